#!/bin/sh
# test_localmodels_r.sh - the local models of src/localmodels.c next to R's
# forecast package on the same series: 36 generated monthly-like series
# (period 12, 72 to 156 values: level only, trend, damped trend, additive
# and multiplicative seasons, noise), each fitted on all but its last 12
# values and forecast 12 steps, by xfcast (`tests/test_localmodels
# --forecast`) and by R (ets(), thetaf(), stlf()).  Asserts:
#  - theta: the same method as forecast::thetaf (SES + half the drift on the
#    data deseasonalised when the season is significant); R also estimates
#    the initial level by maximum likelihood where xfcast starts from the
#    first value, so the forecasts agree to within 2% of the series' level
#    on average, not exactly;
#  - ets / decomposition: held-out sMAPE within 15% (relative) of R's ets()
#    and stlf() (different estimators - least squares with heuristic initial
#    states here, likelihood over parameters and initial states in R - so
#    accuracy is compared, not values).
# The table of both is printed.  Skipped (77) without Rscript or R's
# forecast package.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
set -u
: "${XF_SRCDIR:=.}" "${XF_BUILDDIR:=.}"
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
case $XF_BUILDDIR in /*) ;; *) XF_BUILDDIR=$(pwd)/$XF_BUILDDIR ;; esac
LM=$XF_BUILDDIR/tests/test_localmodels
if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e 'library(forecast)' >/dev/null 2>&1; then
    echo "test_localmodels_r: Rscript with the forecast package not found: skipped"
    exit 77
fi
[ -x "$LM" ] || { echo "test_localmodels_r: $LM not built"; exit 99; }
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_lmr.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 99

# 36 series, one per line; a MINSTD generator so that every awk draws the
# same numbers
awk 'function u() { s = (16807 * s) % 2147483647; return s / 2147483647 }
function g(   k, a) { a = 0; for (k = 0; k < 12; k++) a += u(); return a - 6 }
BEGIN {
    s = 12345
    for (i = 0; i < 36; i++) {
        kind = i % 6; n = 72 + 12 * (i % 8)
        lvl = 50 + 100 * u(); tr = (kind == 1 || kind == 4) ? 0.3 + u() : 0
        damp = kind == 2; amp = (kind >= 3) ? 0.1 + 0.3 * u() : 0; sd = 0.02 + 0.05 * u()
        line = ""; b = tr
        for (t = 0; t < n; t++) {
            if (damp) { b *= 0.97; lvl += b + 2 } else lvl += tr
            season = sin(6.283185307 * (t % 12) / 12) + 0.5 * cos(6.283185307 * (t % 12) / 6)
            v = kind == 4 ? lvl * (1 + amp * season) : lvl + 30 * amp * season
            v += lvl * sd * g()
            line = line (t ? "," : "") sprintf("%.6f", v)
        }
        print line
    }
}' >series.csv
"$LM" --forecast series.csv 12 12 >ours.csv 2>ours.err || { echo "test_localmodels_r: driver failed: $(cat ours.err)"; exit 1; }

cat >cmp.R <<'EOF'
suppressMessages(library(forecast))
lines <- readLines("series.csv")
ours <- read.csv("ours.csv")
H <- 12
smape <- function(a, f) mean(200 * abs(a - f) / (abs(a) + abs(f)))
res <- NULL
theta_rel <- c()
for (s in seq_along(lines)) {
    y <- as.numeric(strsplit(lines[s], ",")[[1]])
    n <- length(y) - H
    x <- ts(y[1:n], frequency = 12)
    a <- y[(n + 1):(n + H)]
    r_ets <- forecast(ets(x), h = H)$mean
    r_theta <- thetaf(x, h = H)$mean
    r_stl <- stlf(x, h = H)$mean
    get <- function(m) ours$forecast[ours$series == s & ours$model == m]
    o_ets <- get("ets"); o_theta <- get("theta"); o_dec <- get("decomp")
    theta_rel <- c(theta_rel, mean(abs(o_theta - r_theta)) / mean(abs(y[1:n])))
    res <- rbind(res, data.frame(series = s,
        ets_xf = smape(a, o_ets), ets_r = smape(a, r_ets),
        theta_xf = smape(a, o_theta), theta_r = smape(a, r_theta),
        decomp_xf = smape(a, o_dec), stlf_r = smape(a, r_stl)))
}
m <- colMeans(res[, -1])
cat(sprintf("mean held-out sMAPE over %d series (12 steps):\n", nrow(res)))
cat(sprintf("  ets:    xfcast %.3f   R ets()    %.3f\n", m["ets_xf"], m["ets_r"]))
cat(sprintf("  theta:  xfcast %.3f   R thetaf() %.3f\n", m["theta_xf"], m["theta_r"]))
cat(sprintf("  decomp: xfcast %.3f   R stlf()   %.3f\n", m["decomp_xf"], m["stlf_r"]))
cat(sprintf("theta forecasts: mean |xfcast - R| / mean |y| = %.4f (max %.4f)\n",
            mean(theta_rel), max(theta_rel)))
bad <- 0
if (mean(theta_rel) > 0.02) { cat("FAIL: theta forecasts differ from thetaf() by more than 2% of the level\n"); bad <- 1 }
if (m["ets_xf"] > 1.15 * m["ets_r"]) { cat("FAIL: ets sMAPE more than 15% above R's ets()\n"); bad <- 1 }
if (m["decomp_xf"] > 1.15 * m["stlf_r"]) { cat("FAIL: decomposition sMAPE more than 15% above R's stlf()\n"); bad <- 1 }
quit(status = bad)
EOF
Rscript cmp.R
rc=$?
echo "test_localmodels_r: $([ $rc = 0 ] && echo passed || echo FAILED)"
exit $rc
