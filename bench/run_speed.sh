#!/bin/sh
# bench/run_speed.sh - end-to-end speed of xfcast on one series, side by side
# with R's forecast::auto.arima, in one run, on datasets/taylor-halfhourly.csv
# (4032 half-hourly values, target demand), and rewrites the section between
# <!-- speed:begin --> and <!-- speed:end --> of bench/RESULTS.md, leaving the
# rest of the file alone.  Run by `make bench-speed`, which sets XF_BUILDDIR
# (xfcast, bench/work/) and XF_SRCDIR (datasets/, bench/RESULTS.md); also
# runs by hand from the top directory:
#
#     sh bench/run_speed.sh
#
# Measurements (every one a fresh process, wall time from the shell, the
# data file in the page cache):
#   (a) `xfcast fit taylor.csv --domain energy --horizon 48 -o HEAD.xfm`
#       followed by `xfcast forecast taylor.csv --head HEAD.xfm -o /dev/null`
#       (fit + forecast of the one series), RUNS times: best and median; with
#       the default model and with --encoder none.
#   (b) R: forecast::auto.arima on the same series (ts frequency 48, all 4032
#       values) then forecast(h = 48); the fit + forecast timed inside R with
#       system.time(), and the whole Rscript process (start-up, loading the
#       package, reading the CSV) from the shell; one run, under
#       `timeout $XF_SPEED_R_TIMEOUT`.  Ratio R / xfcast (best fit + forecast
#       of the default model) and the goal "100x faster".
#   (c) `xfcast forecast taylor.csv --head HEAD.xfm -o /dev/null` alone (read
#       the CSV, load the head, forecast, write), FC_RUNS times: best and
#       median in ms, goal < 50 ms; for both heads of (a) and a head fitted
#       with --encoder gru-base --encoder tcn-base (embeddings kept).
#   (d) the pilot (issue 13 part 5): (a)'s default fit with --pilot none
#       (every candidate on every origin), and `xfcast fit` of the hourly
#       temperature normals (datasets/seattle-weather-hourly-normals.csv,
#       8760 values, --domain weather --horizon 24), where the embeddings
#       lose the pilot, with and without it; RUNS times each.
# The binary timed is the real program: .libs/xfcast with LD_LIBRARY_PATH
# when $XF_BUILDDIR/xfcast is a libtool wrapper script, else xfcast itself;
# or $XF_SPEED_XFCAST (e.g. an installed xfcast).
#
# Environment (all optional):
#   XF_SPEED_XFCAST     the xfcast program to time (default: see above)
#   XF_SPEED_RUNS       runs of (a) (default 5)
#   XF_SPEED_FC_RUNS    runs of (c) (default 20)
#   XF_SPEED_R          0: skip (b) (default 1: when Rscript and forecast exist)
#   XF_SPEED_R_TIMEOUT  seconds allowed for the Rscript process (default 600)
#   XF_SPEED_NOTE       a line of text to put in the section
#   XF_BENCH_RESULTS    results file (default $XF_SRCDIR/bench/RESULTS.md, or
#                       $XF_BUILDDIR/bench/RESULTS.md if that is read-only)
#   RSCRIPT             the Rscript program (default Rscript)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu

PROG=bench/run_speed.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
WORK=$BUILD/bench/work/speed
RSCRIPT=${RSCRIPT:-Rscript}
RUNS=${XF_SPEED_RUNS:-5}
FC_RUNS=${XF_SPEED_FC_RUNS:-20}
USE_R=${XF_SPEED_R:-1}
R_TIMEOUT=${XF_SPEED_R_TIMEOUT:-600}
DATAFILE=$SRC/datasets/taylor-halfhourly.csv
HNFILE=$SRC/datasets/seattle-weather-hourly-normals.csv
H=48

die() {
    echo "$PROG: $*" >&2
    exit 1
}
say() { echo "$PROG: $*" >&2; }

for v in "$RUNS" "$FC_RUNS" "$R_TIMEOUT"; do
    case $v in '' | *[!0-9]* | 0) die "XF_SPEED_RUNS, XF_SPEED_FC_RUNS and XF_SPEED_R_TIMEOUT must be positive integers" ;; esac
done
[ -f "$DATAFILE" ] || die "$DATAFILE is missing"
[ -f "$HNFILE" ] || die "$HNFILE is missing"

# ------------------------------------------------------------ the program
# the real program, not a libtool wrapper script (bench/results.sh)
# shellcheck disable=SC1091 source=bench/results.sh # (followed with shellcheck -x)
. "$SRC/bench/results.sh"
real_xfcast XF_SPEED_XFCAST
"$XF" --version >/dev/null 2>&1 || die "$XF does not run: run 'make' first (or set XF_SPEED_XFCAST)"

# ------------------------------------------------------------ the clock
# Wall time in ns from GNU date +%s%N; one fresh `date` before and after.
case $(date +%N) in
    '' | *[!0-9]*) die "date +%N is not supported here (GNU date needed for ms timing)" ;;
esac
now_ns() { date +%s%N; }
# ms_since T0: milliseconds since T0 (ns), 3 decimals
ms_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN {printf "%.3f\n", (b - a) / 1e6}'; }
# stats FILE: "best median" of the numbers in FILE, one a line
stats() {
    sort -n "$1" | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f %.1f\n", v[1], m}'
}

# ------------------------------------------------------------ the results file
RESULTS=$(results_file "$PROG")

# ------------------------------------------------------------ the machine
machine_facts
ARCH=$(uname -m)
OS=$(uname -sr)
DATE=$(date -u)
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }
LOAD0=$(load)
XF_VER=$("$XF" --version 2>/dev/null | head -1 || true)
BLAS=$("$XF" --version 2>/dev/null | sed -n 's/^BLAS //p' | sed 's/, [0-9]* threads$//' | head -1 || true)
if [ -n "${XF_BUILDDIR:-}" ]; then CMD="make bench-speed"; else CMD="sh bench/run_speed.sh"; fi
for v in XF_SPEED_RUNS XF_SPEED_FC_RUNS XF_SPEED_R XF_SPEED_R_TIMEOUT XF_SPEED_XFCAST; do
    eval "val=\${$v:-}"
    # shellcheck disable=SC2154 # val is set by the eval
    [ -z "$val" ] || CMD="$v='$val' $CMD"
done

mkdir -p "$WORK"
cat "$DATAFILE" >/dev/null # into the page cache
T=$WORK/taylor-halfhourly.csv
cp "$DATAFILE" "$T"
HN=$WORK/seattle-weather-hourly-normals.csv
cp "$HNFILE" "$HN"

# ------------------------------------------------------------ (a) fit + forecast
# fit_forecast NAME [fit options]: RUNS runs of fit then forecast; the total
# per run (ms) in $WORK/NAME-total.txt, the parts in NAME-fit.txt and
# NAME-fc.txt; the head of the last run stays in $WORK/NAME.xfm.
fit_forecast() {
    _n=$1
    shift
    : >"$WORK/$_n-total.txt"
    : >"$WORK/$_n-fit.txt"
    : >"$WORK/$_n-fc.txt"
    _i=0
    while [ $_i -lt "$RUNS" ]; do
        _i=$((_i + 1))
        rm -f "$WORK/$_n.xfm"
        _t0=$(now_ns)
        "$XF" fit "$T" --target demand --domain energy --horizon $H -q -o "$WORK/$_n.xfm" "$@" ||
            die "xfcast fit $* failed"
        _f=$(ms_since "$_t0")
        _t1=$(now_ns)
        "$XF" forecast "$T" --head "$WORK/$_n.xfm" -q -o /dev/null || die "xfcast forecast (head $_n) failed"
        _g=$(ms_since "$_t1")
        echo "$_f" >>"$WORK/$_n-fit.txt"
        echo "$_g" >>"$WORK/$_n-fc.txt"
        awk -v a="$_f" -v b="$_g" 'BEGIN {printf "%.3f\n", a + b}' >>"$WORK/$_n-total.txt"
        say "  $_n run $_i: fit $_f ms + forecast $_g ms"
    done
}

say "(a) xfcast fit + forecast, default model, $RUNS runs"
fit_forecast default
say "(a) xfcast fit + forecast, --encoder none, $RUNS runs"
fit_forecast none --encoder none
say "(d) xfcast fit + forecast, --pilot none, $RUNS runs"
fit_forecast nopilot --pilot none
# fit_hn NAME [fit options]: RUNS fits of the hourly normals (ms) in NAME-fit.txt
fit_hn() {
    _n=$1
    shift
    : >"$WORK/$_n-fit.txt"
    _i=0
    while [ $_i -lt "$RUNS" ]; do
        _i=$((_i + 1))
        rm -f "$WORK/$_n.xfm"
        _t0=$(now_ns)
        "$XF" fit "$HN" --target temperature --domain weather --horizon 24 -q -o "$WORK/$_n.xfm" "$@" ||
            die "xfcast fit (hourly normals) $* failed"
        _f=$(ms_since "$_t0")
        echo "$_f" >>"$WORK/$_n-fit.txt"
        say "  $_n run $_i: fit $_f ms"
    done
}
say "(d) xfcast fit of the hourly normals, with and without the pilot, $RUNS runs each"
fit_hn hn
fit_hn hn-nopilot --pilot none
# the model each head holds (`xfcast info`: lags, features, encoders)
head_desc() {
    "$XF" info "$1" 2>/dev/null | awk '$1 == "head.n_encoders" {e = $3} $1 == "head.lags" {l = $3}
        $1 == "head.n_features" {f = $3} $1 == "head.season" {s = $3}
        END {printf "%s encoder(s), %s lags, %s features, season %s", e, l, f, s}'
}
DESC_D=$(head_desc "$WORK/default.xfm")
DESC_N=$(head_desc "$WORK/none.xfm")
DESC_P=$(head_desc "$WORK/nopilot.xfm")
DESC_HN=$(head_desc "$WORK/hn.xfm")
DESC_HNP=$(head_desc "$WORK/hn-nopilot.xfm")
# what the pilot found (the head's valid.pilot), "no pilot" without one
pilot_of() {
    "$XF" info "$1" 2>/dev/null | awk '$1 == "valid.pilot" {v = $3 " " $4; gsub(/"/, "", v)} END {print (v == "" ? "no pilot" : "pilot: " v)}'
}
PIL_D=$(pilot_of "$WORK/default.xfm")
PIL_HN=$(pilot_of "$WORK/hn.xfm")

# ------------------------------------------------------------ (c) forecast only
# forecast_only NAME: FC_RUNS runs of forecast with $WORK/NAME.xfm (ms).
forecast_only() {
    : >"$WORK/$1-fconly.txt"
    "$XF" forecast "$T" --head "$WORK/$1.xfm" -q -o /dev/null || die "xfcast forecast (head $1) failed"
    _i=0
    while [ $_i -lt "$FC_RUNS" ]; do
        _i=$((_i + 1))
        _t0=$(now_ns)
        "$XF" forecast "$T" --head "$WORK/$1.xfm" -q -o /dev/null
        ms_since "$_t0" >>"$WORK/$1-fconly.txt"
    done
}
say "(c) xfcast forecast with a saved head, $FC_RUNS runs per head"
forecast_only default
forecast_only none
# a head that keeps both encoders' embeddings (named encoders are kept),
# which the default fit may drop: the forecast the 50 ms target is about
"$XF" fit "$T" --domain energy --horizon "$H" --encoder gru-base --encoder tcn-base -q \
    -o "$WORK/emb.xfm" || die "xfcast fit (head with embeddings) failed"
forecast_only emb
DESC_E=$(head_desc "$WORK/emb.xfm")
# the cost of the clock itself: `date` + an empty process (/bin/true)
: >"$WORK/empty.txt"
_i=0
while [ $_i -lt "$FC_RUNS" ]; do
    _i=$((_i + 1))
    _t0=$(now_ns)
    /bin/true
    ms_since "$_t0" >>"$WORK/empty.txt"
done

# ------------------------------------------------------------ (b) R auto.arima
R_LINE='' R_ELAPSED='' R_PROC=''
if [ "$USE_R" = 0 ]; then
    R_LINE='not run (XF_SPEED_R=0)'
elif ! command -v "$RSCRIPT" >/dev/null 2>&1; then
    R_LINE="not run ($RSCRIPT not found)"
elif ! "$RSCRIPT" -e 'if (!suppressMessages(requireNamespace("forecast", quietly = TRUE))) quit(status = 1)' >/dev/null 2>&1; then
    R_LINE='not run (R package forecast not installed)'
else
    command -v timeout >/dev/null 2>&1 || die "timeout (coreutils) is needed for the R run"
    R_VER="R $("$RSCRIPT" -e 'cat(R.version$major, ".", R.version$minor, ", forecast ", format(packageVersion("forecast")), sep = "")' 2>/dev/null || echo '?')"
    cat >"$WORK/auto_arima.R" <<'EOF'
# fit + forecast of one series with forecast::auto.arima, timed inside R
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(forecast))
x <- utils::read.csv(args[1])[["demand"]]
y <- stats::ts(x, frequency = as.integer(args[2]))
t <- system.time({
  fit <- forecast::auto.arima(y)
  fc <- forecast::forecast(fit, h = as.integer(args[3]))
})
cat(sprintf("n %d elapsed %.3f user %.3f sys %.3f model %s\n", length(x),
            t[["elapsed"]], t[["user.self"]], t[["sys.self"]],
            gsub(" ", "_", as.character(fit))))
EOF
    say "(b) R auto.arima on the same series (frequency 48, h = 48; timeout $R_TIMEOUT s)"
    # (R and the package were loaded just above: their files are cached)
    _t0=$(now_ns)
    if timeout "$R_TIMEOUT" "$RSCRIPT" "$WORK/auto_arima.R" "$T" 48 $H >"$WORK/auto_arima.out" 2>"$WORK/auto_arima.log"; then
        R_PROC=$(awk -v ms="$(ms_since "$_t0")" 'BEGIN {printf "%.1f", ms / 1000}')
        R_ELAPSED=$(awk '$1 == "n" {print $4}' "$WORK/auto_arima.out")
        R_MODEL=$(awk '$1 == "n" {print $10}' "$WORK/auto_arima.out" | tr '_' ' ')
        R_LINE="fit + forecast (system.time elapsed) $R_ELAPSED s; whole Rscript process $R_PROC s; model $R_MODEL; $R_VER"
    else
        rc=$?
        R_PROC=$(awk -v ms="$(ms_since "$_t0")" 'BEGIN {printf "%.1f", ms / 1000}')
        if [ $rc = 124 ]; then
            R_LINE="timed out: the Rscript process was stopped after $R_TIMEOUT s ($R_PROC s); $R_VER"
            R_ELAPSED=">$R_TIMEOUT"
        else
            R_LINE="FAILED (exit status $rc; log \`bench/work/speed/auto_arima.log\`); $R_VER"
            tail -3 "$WORK/auto_arima.log" >&2
        fi
    fi
    say "  R: $R_LINE"
fi
LOAD1=$(load)

# ------------------------------------------------------------ the section
# best_median PREFIX FILE: PREFIX_B and PREFIX_M = the best and the median of FILE
best_median() {
    # shellcheck disable=SC2046 # stats prints two words: best and median
    set -- "$1" $(stats "$2")
    eval "$1_B=\$2 $1_M=\$3"
}
best_median AD "$WORK/default-total.txt"
best_median AN "$WORK/none-total.txt"
best_median FD "$WORK/default-fit.txt"
best_median FN "$WORK/none-fit.txt"
best_median CD "$WORK/default-fconly.txt"
best_median CN "$WORK/none-fconly.txt"
best_median CE "$WORK/emb-fconly.txt"
best_median E "$WORK/empty.txt"
best_median AP "$WORK/nopilot-total.txt"
best_median HN "$WORK/hn-fit.txt"
best_median HNP "$WORK/hn-nopilot-fit.txt"

# ratio R / xfcast on the best fit + forecast of each model; "-" without R,
# ">=" when R timed out
ratio() {
    case $R_ELAPSED in
        '') echo '-' ;;
        '>'*) awk -v r="${R_ELAPSED#>}" -v x="$1" 'BEGIN {v = r * 1000 / x; printf (v < 10 ? ">= %.1fx" : ">= %.0fx"), v}' ;;
        *) awk -v r="$R_ELAPSED" -v x="$1" 'BEGIN {v = r * 1000 / x; printf (v < 10 ? "%.1fx" : "%.0fx"), v}' ;;
    esac
}
RD=$(ratio "$AD_B") RN=$(ratio "$AN_B")
goal100() {
    _r=$(echo "$1" | tr -d '>= x')
    case $1 in
        -) echo 'not judged (no R run)' ;;
        '>'*) if awk -v r="$_r" 'BEGIN {exit !(r >= 100)}'; then echo met; else echo 'not decided (R timed out below 100x)'; fi ;;
        *) if awk -v r="$_r" 'BEGIN {exit !(r >= 100)}'; then echo met; else echo 'NOT met'; fi ;;
    esac
}
G100=$(goal100 "$RD")
G100N=$(goal100 "$RN")
g50() { if awk -v v="$1" 'BEGIN {exit !(v < 50)}'; then echo met; else echo 'NOT met'; fi; }
G50=$(g50 "$CD_B") G50N=$(g50 "$CN_B") G50E=$(g50 "$CE_B")

SECTION=$WORK/speed-section.md
{
    echo '<!-- speed:begin -->'
    echo '## Speed: one series end to end, xfcast vs R auto.arima'
    echo
    echo 'Written by `bench/run_speed.sh`; rerun `make bench-speed` to update this section.'
    echo
    [ -z "${XF_SPEED_NOTE:-}" ] || { echo "**$XF_SPEED_NOTE**"; echo; }
    echo "- Command: \`$CMD\`"
    echo "- Date: $DATE"
    echo "- Machine: $ARCH, $CPU, $NPROC cores (nproc), CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $OS; load average (1/5/15 min) before: $LOAD0; after: $LOAD1"
    echo "- Software: ${XF_VER:-xfcast ?} (BLAS ${BLAS:-?}), timed: $XF_HOW; R: ${R_VER:-not used}"
    echo "- Data: \`datasets/taylor-halfhourly.csv\` (one series, 4032 half-hourly values, target demand), horizon $H, in the page cache"
    echo "- Wall time of each fresh process from the shell (GNU \`date +%s%N\` before and after; that clock and an empty process cost $E_B ms best, $E_M ms median, included in every xfcast figure)"
    echo
    echo "| measurement | model | runs | best | median |"
    echo "|---|---|---:|---:|---:|"
    echo "| (a) \`xfcast fit --domain energy --horizon $H\` + \`xfcast forecast --head\` | default ($DESC_D) | $RUNS | $AD_B ms | $AD_M ms |"
    echo "| (a) ... of which fit | default | $RUNS | $FD_B ms | $FD_M ms |"
    echo "| (a) same, \`--encoder none\` | $DESC_N | $RUNS | $AN_B ms | $AN_M ms |"
    echo "| (a) ... of which fit | --encoder none | $RUNS | $FN_B ms | $FN_M ms |"
    echo "| (c) \`xfcast forecast taylor.csv --head HEAD.xfm -o /dev/null\` | default head | $FC_RUNS | $CD_B ms | $CD_M ms |"
    echo "| (c) same | --encoder none head | $FC_RUNS | $CN_B ms | $CN_M ms |"
    echo "| (c) same | head with both encoders' embeddings (\`fit --encoder gru-base --encoder tcn-base\`: $DESC_E) | $FC_RUNS | $CE_B ms | $CE_M ms |"
    echo "| (d) (a) with \`--pilot none\` (default: $PIL_D) | $DESC_P | $RUNS | $AP_B ms | $AP_M ms |"
    echo "| (d) \`xfcast fit seattle-weather-hourly-normals.csv --target temperature --domain weather --horizon 24\` | default ($PIL_HN; $DESC_HN) | $RUNS | $HN_B ms | $HN_M ms |"
    echo "| (d) same, \`--pilot none\` | $DESC_HNP | $RUNS | $HNP_B ms | $HNP_M ms |"
    echo
    echo "(b) R \`forecast::auto.arima(ts(demand, frequency = 48))\` then \`forecast(fit, h = $H)\`, one run: $R_LINE."
    echo
    echo "Ratio R auto.arima fit + forecast (system.time) / xfcast best fit + forecast: default model $RD, --encoder none $RN."
    echo
    if [ "$RD" = - ]; then
        V100='100x faster than R auto.arima (fit + forecast of one series): not judged (R not run)'
    else
        V100="100x faster than R auto.arima (fit + forecast of one series): $G100 (default model, $RD; --encoder none: $G100N, $RN)"
    fi
    echo "**Verdict:** $V100. End-to-end forecast from CSV with a saved head < 50 ms: with embeddings (issue 13's target) $G50E (best $CE_B ms, median $CE_M ms); default head $G50 (best $CD_B ms, median $CD_M ms); --encoder none head: $G50N, best $CN_B ms, median $CN_M ms. An empty process costs $E_B ms here (included)."
    echo '<!-- speed:end -->'
} >"$SECTION"

results_replace speed "$SECTION" "$RESULTS"
sed -n '/^\*\*Verdict/p' "$SECTION" >&2
say "wrote $RESULTS (section 'speed'; files in $WORK)"
