#!/bin/sh
# bench/run_accuracy.sh - forecast accuracy of xfcast side by side with its
# anchors, in one run, on every file of datasets/, on ETTh1 (univariate
# protocol) and on M4 Hourly, and rewrites the section between
# <!-- accuracy:begin --> and <!-- accuracy:end --> of bench/RESULTS.md,
# leaving the rest of the file alone.  Run by `make bench-accuracy`, which
# sets XF_BUILDDIR (xfcast, bench/work/) and XF_SRCDIR (datasets/, bench/
# scripts, bench/RESULTS.md); also runs by hand from the top directory:
#
#     sh bench/run_accuracy.sh
#
# Parts (each skipped with a note when its data, or R, is absent):
#   datasets  every file of datasets/ with the protocol set below (test
#             start, horizon = stride, scoring period): `xfcast backtest`
#             with the default model and "ridge on lags" (--encoder none
#             --baseline none --std-scale) on the same origins; R's forecast
#             package on the same origins (bench/r_anchors.R: auto.arima,
#             ets, stlf, thetaf); all scored together by bench/score.R
#             (which adds naive and seasonal naive) with one period per file.
#   etth1     ETTh1 target OT, z-scored on the train rows, horizons 24 48
#             168 336 720, stride 1 (the TS2Vec protocol): default model,
#             the default model with --select mse, and ridge on 200 lags;
#             next to the published anchors.  No R (2857 origins per
#             horizon: auto.arima would take days).
#   m4        M4 Hourly (414 series, 48 steps from the end of each training
#             series; long file made by bench/m4_to_long.sh): default model
#             and ridge on 336 lags; sMAPE / MASE / OWA next to the M4
#             anchors; R only with XF_ACCURACY_M4_R=1 (it takes long).
# Every intermediate file is kept in $XF_BUILDDIR/bench/work/accuracy/.
# Progress goes to stderr.  Verdicts are computed here from the numbers.
# Run time on 2 cores (estimated): datasets ~40 min (nearly all of it the R
# fits: auto.arima at periods 24 and 48 on 2000 points), ETTh1 ~4 min, M4
# ~7 min; R on M4 (XF_ACCURACY_M4_R=1) ~1 h more.
#
# Environment (all optional):
#   XF_BENCH_DATA        directory of ETTh1.csv and M4-Hourly-{train,test}.csv
#                        (default $XF_SRCDIR/../shared/data; never copied into
#                        the project)
#   XF_BENCH_RESULTS     results file (default $XF_SRCDIR/bench/RESULTS.md, or
#                        $XF_BUILDDIR/bench/RESULTS.md if that is read-only)
#   XF_ACCURACY_PARTS    which parts to run (default "datasets etth1 m4")
#   XF_ACCURACY_QUICK    1: reduced settings for testing the script, NOT the
#                        protocol (--max-windows 2000 for every xfcast run,
#                        ETTh1 horizons 24 48, R --max-history 200); the
#                        section then says so in bold
#   XF_ACCURACY_HORIZONS ETTh1 horizons (default "24 48 168 336 720", quick
#                        "24 48")
#   XF_ACCURACY_R        0: no R anchors at all (default 1: when Rscript and
#                        the forecast package are there)
#   XF_ACCURACY_M4_R     1: also run the R methods on M4 Hourly (long)
#   XF_ACCURACY_NOTE     a line of text to put in the section
#   XF_ACCURACY_R_CACHE  0: always rerun R (default 1: reuse the R forecasts
#                        of an earlier run whose data, origins, options and R
#                        scripts are all the same; see r_anchors below)
#   RSCRIPT              the Rscript program (default Rscript)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu

PROG=bench/run_accuracy.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
DATA=${XF_BENCH_DATA:-$SRC/../shared/data}
XFCAST=$BUILD/xfcast
WORK=$BUILD/bench/work/accuracy
RSCRIPT=${RSCRIPT:-Rscript}
QUICK=${XF_ACCURACY_QUICK:-0}
PARTS=${XF_ACCURACY_PARTS:-datasets etth1 m4}
USE_R=${XF_ACCURACY_R:-1}
M4_R=${XF_ACCURACY_M4_R:-0}

die() {
    echo "$PROG: $*" >&2
    exit 1
}
say() { echo "$PROG: $*" >&2; }

[ -x "$XFCAST" ] || die "$XFCAST is missing: run 'make' first"
for part in $PARTS; do
    case $part in datasets | etth1 | m4) ;; *) die "XF_ACCURACY_PARTS: unknown part '$part' (datasets, etth1, m4)" ;; esac
done

# Settings that the quick mode reduces.
if [ "$QUICK" = 1 ]; then
    MAXW_OPT='--max-windows 2000'   # every xfcast run
    M4_MAXW=2000
    ETT_H=${XF_ACCURACY_HORIZONS:-24 48}
    R_HIST=200
else
    MAXW_OPT=''
    M4_MAXW=300000
    ETT_H=${XF_ACCURACY_HORIZONS:-24 48 168 336 720}
    R_HIST=2000
fi
for h in $ETT_H; do
    case $h in '' | *[!0-9]* | 0) die "XF_ACCURACY_HORIZONS must list positive integers" ;; esac
done

# The command line that reproduces this run.
if [ -n "${XF_BUILDDIR:-}" ]; then CMD="make bench-accuracy"; else CMD="sh bench/run_accuracy.sh"; fi
for v in XF_ACCURACY_HORIZONS XF_ACCURACY_PARTS XF_ACCURACY_R XF_ACCURACY_M4_R XF_ACCURACY_QUICK; do
    eval "val=\${$v:-}"
    # shellcheck disable=SC2154 # val is set by the eval
    [ -z "$val" ] || CMD="$v='$val' $CMD"
done

# ------------------------------------------------------------ R
# HAVE_R: Rscript runs (score.R needs base R only); HAVE_FC: and the forecast
# package is installed (r_anchors.R needs it).  R runs with one BLAS thread
# per process (r_anchors.R forks its own workers, --cores 2): Rscript is
# always called through rscript().
rscript() { OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$RSCRIPT" "$@"; }
HAVE_R=0 HAVE_FC=0 R_VER='R: not used (XF_ACCURACY_R=0)'
if [ "$USE_R" != 0 ]; then
    if command -v "$RSCRIPT" >/dev/null 2>&1 &&
        R_VER=$(rscript -e 'cat(R.version$major, ".", R.version$minor, sep = "")' 2>/dev/null); then
        HAVE_R=1
        R_VER="R $R_VER"
        if FC_VER=$(rscript -e 'if (!suppressMessages(requireNamespace("forecast", quietly = TRUE))) quit(status = 1); cat(format(packageVersion("forecast")))' 2>/dev/null); then
            HAVE_FC=1
            R_VER="$R_VER, forecast $FC_VER"
        else
            R_VER="$R_VER (package forecast not installed: no R anchors)"
            say "R package forecast not installed: no R anchors (scoring with bench/score.R only)"
        fi
    else
        R_VER="R: $RSCRIPT not found (no R anchors, no common scoring)"
        say "$RSCRIPT not found: no R anchors; tables from xfcast's own reports"
    fi
fi

# ------------------------------------------------------------ the results file
# shellcheck disable=SC1091 source=bench/results.sh # (followed with shellcheck -x)
. "$SRC/bench/results.sh"
RESULTS=$(results_file "$PROG")

# ------------------------------------------------------------ the machine
machine_facts
ARCH=$(uname -m)
OS=$(uname -sr)
DATE=$(date -u)
LOAD=$(awk '{print $1 ", " $2 ", " $3}' /proc/loadavg 2>/dev/null || echo '?')
XF_VER=$("$XFCAST" --version 2>/dev/null | head -1 || true)

# ------------------------------------------------------------ helpers
mkdir -p "$WORK"
BODY=$WORK/accuracy-body.md         # the section's text, part by part
VERD=$WORK/accuracy-verdicts.md     # every verdict line, for the summary
SECTION=$WORK/accuracy-section.md
: >"$BODY"
: >"$VERD"
out() { printf '%s\n' "$@" >>"$BODY"; }
verdict() {
    printf '%s\n' "- $1" >>"$BODY"
    printf '%s\n' "- $1" >>"$VERD"
}

# calc EXPR FMT [A [B]]: a value computed from numbers passed as text,
# printed with printf FMT; "-" when any of them is "-".  EXPR: a (A itself),
# a*a (A squared), pct (A vs B in %), owa (OWA of sMAPE A and MASE B).
calc() {
    awk -v e="$1" -v a="${3:-}" -v b="${4:-}" -v fmt="$2" 'BEGIN {
        if (a == "-" || b == "-") { print "-"; exit }
        if (e == "a") r = a
        else if (e == "a*a") r = a * a
        else if (e == "pct") r = 100 * (a - b) / b          # a vs b in %
        else if (e == "owa") r = (a / 18.383 + b / 2.395) / 2
        else { print "calc: unknown expression " e > "/dev/stderr"; exit 1 }
        printf fmt "\n", r
    }'
}

# xf_backtest NAME DATA [options]: run `xfcast backtest DATA --format json`
# into $WORK/NAME.json (stderr in NAME.log); 0 on success.
xf_backtest() {
    _n=$1 _d=$2
    shift 2
    say "xfcast backtest $(basename "$_d") $* ..."
    _t0=$(date +%s)
    if "$XFCAST" backtest "$_d" --format json "$@" >"$WORK/$_n.json" 2>"$WORK/$_n.log"; then
        say "  done in $(($(date +%s) - _t0)) s: $(jget "$WORK/$_n.json" model)"
        return 0
    fi
    say "  FAILED (see $WORK/$_n.log):"
    tail -3 "$WORK/$_n.log" >&2
    return 1
}

# r_anchors NAME DATA ORIGINS PERIOD METHODS TIMELIMIT [data options]:
# bench/r_anchors.R into $WORK/NAME-r/ (emptied first); its messages
# (progress, one line per method) go to stdout, with a line "r_anchors.R:
# exit status N" when it fails.  The callers pipe them through tee into
# $WORK/NAME-r.log.
# The R forecasts depend only on the data, the origins (columns id, origin,
# timestamp, step, actual of the origins file; not xfcast's forecasts), the
# options and the R scripts, so a run whose inputs are all unchanged reuses
# them from $WORK/r-cache/ (key: SHA-256 of all of these; XF_ACCURACY_R_CACHE=0
# recomputes) and says so in the section.
r_anchors() {
    _n=$1 _d=$2 _o=$3 _p=$4 _m=$5 _tl=$6
    shift 6
    rm -rf "$WORK/$_n-r"
    _key=$({
        cat "$SRC/bench/r_anchors.R" "$SRC/bench/r_common.R" "$_d"
        cut -d, -f1-5 "$_o"
        echo "$* --period $_p --methods $_m --max-history $R_HIST --time-limit $_tl"
        "$RSCRIPT" --version 2>&1 | head -n 1
    } | sha256sum | cut -c1-32)
    _c=$WORK/r-cache/$_key
    if [ "${XF_ACCURACY_R_CACHE:-1}" != 0 ] && [ -f "$_c/done" ]; then
        say "R anchors ($_m) on $(basename "$_d"): reused from bench/work/accuracy/r-cache/$_key"
        cp -R "$_c/out" "$WORK/$_n-r"
        cat "$_c/log"
        echo "r_anchors.R: note: forecasts reused from an earlier run with the same data, origins, options and R scripts (bench/work/accuracy/r-cache/$_key, made $(cat "$_c/done")); the fit times below are that run's"
        return 0
    fi
    say "R anchors ($_m) on $(basename "$_d"), period $_p, max history $R_HIST ..."
    _st=0
    rscript "$SRC/bench/r_anchors.R" --data "$_d" "$@" --origins "$_o" --period "$_p" \
        --methods "$_m" --max-history "$R_HIST" --cores 2 --time-limit "$_tl" \
        --out-dir "$WORK/$_n-r" >"$WORK/$_n-r.tmp" 2>&1 || _st=$?
    cat "$WORK/$_n-r.tmp"
    if [ $_st != 0 ]; then
        echo "r_anchors.R: exit status $_st"
    else
        rm -rf "$_c"
        mkdir -p "$_c"
        cp -R "$WORK/$_n-r" "$_c/out"
        cp "$WORK/$_n-r.tmp" "$_c/log"
        date -u '+%Y-%m-%d %H:%M UTC' >"$_c/done"
    fi
    rm -f "$WORK/$_n-r.tmp"
}

# r_summary LOG: the per-method lines of an r_anchors.R log as a list.
r_summary() {
    sed -n 's/^r_anchors.R: //p' "$1" | grep -E '^(method |  first fallback|done: |note: |warning|error|exit status)' |
        sed 's/ -> .*$//; s/^ *//; s/^/  - /'
}

# ------------------------------------------------------------ part: datasets
# Protocol per file: target, domain, test start, horizon (= stride), period
# used to score every method (seasonal naive and MASE scale).
ds_protocol() {
    case $1 in
        taylor-halfhourly.csv) echo "demand energy 2000-08-14 48 48" ;;
        sp500-2000.csv) echo "close stock 2019-01-02 5 5" ;;
        seattle-weather.csv) echo "temp_max weather 2015-01-01 7 7" ;;
        seattle-weather-hourly-normals.csv) echo "temperature weather 2010-11-01 24 24" ;;
        *) echo "" ;;
    esac
}

R_METHODS_DS=auto.arima,ets,stlf,thetaf

# one file of datasets/
ds_file() {
    f=$1
    b=$(basename "$f" .csv)
    proto=$(ds_protocol "$b.csv")
    if [ -z "$proto" ]; then
        out "#### $b.csv" "" "No protocol is defined for this file in bench/run_accuracy.sh: skipped." ""
        say "$b.csv: no protocol defined: skipped"
        return 0
    fi
    # shellcheck disable=SC2086 # split on purpose
    set -- $proto
    tgt=$1 dom=$2 ts=$3 h=$4 per=$5
    out "#### $b.csv (target $tgt, --domain $dom, test start $ts, H = stride = $h, period $per)" ""
    rm -f "$WORK/$b-xfcast.csv" "$WORK/$b-ridge.csv" # no stale forecasts
    # shellcheck disable=SC2086 # MAXW_OPT is split on purpose
    if ! xf_backtest "$b-xfcast" "$f" --target "$tgt" --domain "$dom" --test-start "$ts" \
        --horizon "$h" --stride "$h" $MAXW_OPT --forecasts-out "$WORK/$b-xfcast.csv"; then
        out "xfcast backtest FAILED (log: \`bench/work/accuracy/$b-xfcast.log\`)." ""
        verdict "$b.csv: xfcast backtest FAILED"
        return 0
    fi
    ridge_ok=1
    # shellcheck disable=SC2086
    xf_backtest "$b-ridge" "$f" --target "$tgt" --domain "$dom" --test-start "$ts" \
        --horizon "$h" --stride "$h" $MAXW_OPT --encoder none --baseline none --std-scale --no-local-model --blend none \
        --forecasts-out "$WORK/$b-ridge.csv" || ridge_ok=0
    J=$WORK/$b-xfcast.json
    out "- xfcast (default model): $(jget "$J" model); its own season $(jget "$J" season); $(jget "$J" origins) origins; fit $(jget "$J" fit_seconds) s, forecast $(jget "$J" forecast_seconds) s"
    if [ $ridge_ok = 1 ]; then
        out "- ridge-lags (\`--encoder none --baseline none --std-scale --no-local-model --blend none\`): $(jget "$WORK/$b-ridge.json" model); fit $(jget "$WORK/$b-ridge.json" fit_seconds) s"
    else
        out "- ridge-lags: xfcast backtest FAILED (log: \`bench/work/accuracy/$b-ridge.log\`)"
    fi

    # the R anchors on the same origins
    rlist=''
    if [ $HAVE_FC = 1 ]; then
        r_anchors "$b" "$f" "$WORK/$b-xfcast.csv" "$per" "$R_METHODS_DS" 60 2>&1 | tee "$WORK/$b-r.log" >&2
        out "- R (\`r_anchors.R --period $per --methods $R_METHODS_DS --max-history $R_HIST --cores 2 --time-limit 60\`; a fit over the limit or failing falls back to naive):"
        r_summary "$WORK/$b-r.log" >>"$BODY"
        for m in auto.arima ets stlf thetaf; do
            [ ! -s "$WORK/$b-r/$m.csv" ] || rlist="$rlist $m"
        done
    fi

    # common scoring
    if [ $HAVE_R = 1 ]; then
        # MASE scale on the data up to the last value before the test start:
        # that is the first origin (origin = time of the last value used)
        te=$(sed -n '2p' "$WORK/$b-xfcast.csv" | cut -d, -f2)
        set -- "xfcast=$WORK/$b-xfcast.csv"
        [ $ridge_ok = 0 ] || set -- "$@" "ridge-lags=$WORK/$b-ridge.csv"
        for m in $rlist; do set -- "$@" "$m=$WORK/$b-r/$m.csv"; done
        say "score.R on $b.csv (period $per, train end $te)"
        if rscript "$SRC/bench/score.R" --data "$f" --period "$per" --train-end "$te" \
            --tsv "$WORK/$b-score.tsv" "$@" >"$WORK/$b-score.md" 2>"$WORK/$b-score.log"; then
            out "- Scored by \`bench/score.R --period $per --train-end $te\` on the rows common to all (MASE scale: mean |x_t - x_{t-$per}| up to $te; naive and snaive computed by score.R):" ""
            cat "$WORK/$b-score.md" >>"$BODY"
            out ""
            # score.R's warnings (rows dropped, origins off the series' rows)
            if grep -q 'warning' "$WORK/$b-score.log"; then
                out "score.R warnings:"
                sed -n 's/^score.R: warning: /  - /p' "$WORK/$b-score.log" >>"$BODY"
                [ "$b" != sp500-2000 ] || out "  - (sp500: xfcast's business-day grid keeps exchange holidays as missing values, so a window that spans one has a step without an actual, and the R methods and score.R, which count trading days, are a day apart from xfcast on the steps after it)"
                out ""
            fi
            T=$WORK/$b-score.tsv
            xm=$(tsv_get "$T" xfcast MASE)
            best=$(awk -F'\t' -v list="$rlist" 'BEGIN {n = split(list, a, " "); for (i = 1; i <= n; i++) r[a[i]] = 1}
                $2 == "all" && $3 == "MASE" && ($1 in r) && (b == "" || $4 + 0 < b + 0) {b = $4; bn = $1}
                END {if (bn != "") print b, bn}' "$T")
            if [ -n "$best" ]; then
                bv=${best% *} bn=${best#* }
                if awk -v x="$xm" -v y="$bv" 'BEGIN {exit !(x + 0 <= y + 0)}'; then ok=met; else ok='NOT met'; fi
                verdict "**Verdict $b.csv:** MASE xfcast $(calc a %.4f "$xm") vs best R method $(calc a %.4f "$bv") ($bn): $ok"
            else
                verdict "**Verdict $b.csv:** MASE xfcast $(calc a %.4f "$xm"); no R method to compare with"
            fi
            c80=$(tsv_get "$T" xfcast cov80) c95=$(tsv_get "$T" xfcast cov95)
        else
            out "bench/score.R FAILED (log: \`bench/work/accuracy/$b-score.log\`)."
            tail -3 "$WORK/$b-score.log" >&2
            verdict "$b.csv: scoring FAILED"
            c80=- c95=-
        fi
    else
        # no R: xfcast's own report (MASE with xfcast's season, not $per)
        out "- No R: figures from xfcast's own reports (MASE with xfcast's season $(jget "$J" season), not the protocol's period $per):" ""
        out "| method | MAE | RMSE | sMAPE | MASE | cov80 | cov95 |" "|---|---:|---:|---:|---:|---:|---:|"
        # jrow LABEL JSON METHOD: one row from a report's "overall"
        jrow() {
            _cv=$(jget "$2" "$3.coverage")
            [ "$_cv" != - ] || _cv='- -'
            out "| $1 | $(calc a %.4g "$(jget "$2" "$3.mae")") | $(calc a %.4g "$(jget "$2" "$3.rmse")") | $(calc a %.4g "$(jget "$2" "$3.smape")") | $(calc a %.4g "$(jget "$2" "$3.mase")") | $(calc a %.1f "${_cv% *}") | $(calc a %.1f "${_cv#* }") |"
        }
        for m in naive snaive xfcast; do jrow $m "$J" $m; done
        [ $ridge_ok = 0 ] || jrow ridge-lags "$WORK/$b-ridge.json" xfcast
        out ""
        verdict "**Verdict $b.csv:** MASE xfcast $(calc a %.4f "$(jget "$J" xfcast.mase)") (its season); no R method to compare with"
        cv=$(jget "$J" xfcast.coverage)
        c80=${cv% *} c95=${cv#* }
    fi
    # intervals against their nominal level
    if [ "$c80" != - ] && [ "$c95" != - ]; then
        w=$(awk -v a="$c80" -v b="$c95" 'BEGIN {d1 = a - 80; d2 = b - 95; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2
            print (d1 <= 3 && d2 <= 3) ? "yes" : "no"}')
        verdict "Intervals $b.csv: xfcast coverage $(calc a %.1f "$c80")% (nominal 80) and $(calc a %.1f "$c95")% (nominal 95); within ±3 points: $w"
    fi
    out ""
}

part_datasets() {
    out "### datasets/ (every file)" ""
    out "Per file: \`xfcast backtest FILE --target T --domain D --test-start S --horizon H --stride H$([ -z "$MAXW_OPT" ] || echo " $MAXW_OPT") --forecasts-out ...\` (fits on the data before S, forecasts every H steps from there to the end; xfcast chooses its own season for its own MASE), \"ridge-lags\" the same with \`--encoder none --baseline none --std-scale --no-local-model --blend none\`, the R forecast package's methods on the same origins (\`bench/r_anchors.R\`), and every method scored on the same rows by \`bench/score.R\` with one period per file (seasonal naive and MASE scale)."
    out ""
    n=0
    for f in "$SRC"/datasets/*.csv; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        ds_file "$f"
    done
    [ $n -gt 0 ] || out "No CSV file in datasets/: skipped." ""
}

# ------------------------------------------------------------ part: ETTh1
# published anchors (MSE / MAE) by horizon, from shared/data/README.md
ett_anchor() { # H -> "ridgeMSE ridgeMAE ts2vecMSE ts2vecMAE" or "- - - -"
    case $1 in
        24) echo "0.0273 0.1251 0.039 0.152" ;;
        48) echo "0.0409 0.1521 0.062 0.191" ;;
        168) echo "0.0713 0.1973 0.134 0.282" ;;
        336) echo "0.0834 0.2183 0.154 0.310" ;;
        720) echo "0.1149 0.2643 0.163 0.327" ;;
        *) echo "- - - -" ;;
    esac
}

part_etth1() {
    out "### ETTh1 (target OT, univariate protocol)" ""
    E=$DATA/ETTh1.csv
    if [ ! -f "$E" ]; then
        out "Skipped: \`$E\` is absent (set XF_BENCH_DATA)." ""
        say "ETTh1: $E is absent: skipped"
        return 0
    fi
    Z=$WORK/etth1-ot-z.csv
    # date and OT, z-scored with the mean and (population) standard deviation
    # of the train rows [0, 8640)
    awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) {c = $i; gsub(/["\r]/, "", c); if (c == "OT") k = i; if (c == "date") t = i}
                      if (!k || !t) {print "no date or OT column" > "/dev/stderr"; exit 1}; next}
        {sub(/\r$/, ""); r = NR - 2; d[r] = $t; v[r] = $k; if (r < 8640) {s += $k; ss += $k * $k; n++}}
        END {if (n < 8640) {print "fewer than 8640 rows" > "/dev/stderr"; exit 1}
             m = s / n; sd = sqrt(ss / n - m * m)
             printf "%.10g %.10g\n", m, sd > "'"$WORK/etth1-ot-z.stats"'"
             print "date,OT"
             for (r = 0; r in v; r++) printf "%s,%.10g\n", d[r], (v[r] - m) / sd}' "$E" >"$Z" ||
        die "cannot make $Z from $E"
    read -r zm zs <"$WORK/etth1-ot-z.stats"
    out "Protocol: target OT z-scored with the mean $zm and standard deviation $zs (population) of rows [0, 8640) (file \`bench/work/accuracy/etth1-ot-z.csv\`); \`xfcast backtest etth1-ot-z.csv --valid-start 8640 --test-start 11520 --test-end 14400 --stride 1 --horizon H$([ -z "$MAXW_OPT" ] || echo " $MAXW_OPT")\`: fitted on rows [0, 11520) with [8640, 11520) held out for choices, one origin per test timestamp whose H targets lie in [11520, 14400); MSE = RMSE² and MAE over all test origins and steps on the z-scored scale. Columns: the default model; the default model with \`--select mse\` (configuration chosen by validation MSE, allowed by the protocol); ridge on lags, ours (\`--encoder none --baseline none --std-scale --no-local-model --blend none --lags 200\`, calendar terms on); the published/measured anchors from shared/data/README.md; seasonal naive from xfcast's snaive on the same origins. vs anchor: MSE relative to the ridge-on-lags anchor."
    out ""
    out "No R methods on ETTh1: 2857 origins per horizon (stride 1) x auto.arima at period 24 (seconds to a minute per fit) would take days."
    out ""
    snl='' # season of xfcast's snaive, from the first report
    rows=$WORK/etth1-rows.md
    : >"$rows"
    below_all=yes below_all_mse=yes ten='' ten_mse='' nh=0
    for h in $ETT_H; do
        nh=$((nh + 1))
        base="--valid-start 8640 --test-start 11520 --test-end 14400 --stride 1 --horizon $h $MAXW_OPT"
        # shellcheck disable=SC2086 # base is split on purpose
        xf_backtest "etth1-H$h-default" "$Z" $base || true
        # shellcheck disable=SC2086
        xf_backtest "etth1-H$h-mse" "$Z" $base --select mse || true
        # shellcheck disable=SC2086
        xf_backtest "etth1-H$h-ridge" "$Z" $base --encoder none --baseline none --std-scale --no-local-model --blend none --lags 200 || true
        jd=$WORK/etth1-H$h-default.json jm=$WORK/etth1-H$h-mse.json jr=$WORK/etth1-H$h-ridge.json
        for j in "$jd" "$jm" "$jr"; do [ -s "$j" ] || echo '{}' >"$j"; done
        dmse=$(calc a*a %.4f "$(jget "$jd" xfcast.rmse)") dmae=$(calc a %.4f "$(jget "$jd" xfcast.mae)")
        mmse=$(calc a*a %.4f "$(jget "$jm" xfcast.rmse)") mmae=$(calc a %.4f "$(jget "$jm" xfcast.mae)")
        rmse=$(calc a*a %.4f "$(jget "$jr" xfcast.rmse)") rmae=$(calc a %.4f "$(jget "$jr" xfcast.mae)")
        smse=$(calc a*a %.4f "$(jget "$jd" snaive.rmse)") smae=$(calc a %.4f "$(jget "$jd" snaive.mae)")
        [ -n "$snl" ] || snl=$(jget "$jd" season)
        # shellcheck disable=SC2046 # four words
        set -- $(ett_anchor "$h")
        pd=$(calc pct %+.1f "$(calc a*a %.8g "$(jget "$jd" xfcast.rmse)")" "$1")
        pm=$(calc pct %+.1f "$(calc a*a %.8g "$(jget "$jm" xfcast.rmse)")" "$1")
        echo "| $h | $dmse / $dmae | $mmse / $mmae | $rmse / $rmae | $1 / $2 | $3 / $4 | $smse / $smae | $pd / $pm |" >>"$rows"
        out_model="$(jget "$jd" model)"
        echo "- H=$h: default model: $out_model (fit $(jget "$jd" fit_seconds) s, forecast $(jget "$jd" forecast_seconds) s, $(jget "$jd" origins) origins); --select mse: $(jget "$jm" model); ridge: $(jget "$jr" model)" >>"$rows.models"
        # verdicts: below the anchor, and 10% below
        for which in d m; do
            if [ $which = d ]; then p=$pd; else p=$pm; fi
            if [ "$p" = - ] || ! awk -v p="$p" 'BEGIN {exit !(p + 0 < 0)}'; then
                if [ $which = d ]; then below_all=no; else below_all_mse=no; fi
            fi
            if [ "$p" != - ] && awk -v p="$p" 'BEGIN {exit !(p + 0 <= -10)}'; then
                if [ $which = d ]; then ten="$ten $h"; else ten_mse="$ten_mse $h"; fi
            fi
        done
    done
    out "| H | xfcast MSE / MAE | xfcast --select mse MSE / MAE | ridge on lags (ours) MSE / MAE | ridge-on-lags anchor (published) | TS2Vec (published) | seasonal naive ($snl, xfcast's snaive) | vs anchor (%), default / select mse |"
    out "|---:|---:|---:|---:|---:|---:|---:|---:|"
    cat "$rows" >>"$BODY"
    out "" "Models chosen:"
    cat "$rows.models" >>"$BODY"
    rm -f "$rows.models"
    out ""
    [ -n "$ten" ] || ten=' none'
    [ -n "$ten_mse" ] || ten_mse=' none'
    verdict "**Verdict ETTh1 (H = $(echo "$ETT_H" | tr ' ' ',')):** default model below the ridge-on-lags anchor (MSE) at every horizon: $below_all; 10% below: H =$ten. With --select mse: $below_all_mse; 10% below: H =$ten_mse"
    out ""
}

# ------------------------------------------------------------ part: M4 Hourly
part_m4() {
    out "### M4 Hourly (horizon 48)" ""
    TR=$DATA/M4-Hourly-train.csv TE=$DATA/M4-Hourly-test.csv
    if [ ! -f "$TR" ] || [ ! -f "$TE" ]; then
        out "Skipped: \`$TR\` or \`$TE\` is absent (set XF_BENCH_DATA)." ""
        say "M4 Hourly: data absent: skipped"
        return 0
    fi
    L=$WORK/m4-hourly-long.csv
    say "M4 Hourly: making $L"
    sh "$SRC/bench/m4_to_long.sh" "$TR" "$TE" >"$L.tmp" || die "bench/m4_to_long.sh failed"
    mv "$L.tmp" "$L"
    m4opt="--id-col id --test-start 2020-01-01T00:00:00 --horizon 48 --stride 48 --season 24 --no-calendar --max-windows $M4_MAXW"
    out "Protocol: the official one (forecast the 48 test values from the end of each training series; sMAPE and MASE with m = 24 averaged over the 414 series, which here equals the mean over all 19872 rows since every series has 48; OWA = mean(sMAPE/18.383, MASE/2.395)). Long file \`bench/work/accuracy/m4-hourly-long.csv\` from \`bench/m4_to_long.sh\` (synthetic hourly timestamps, first test value of every series at 2020-01-01T00:00:00); \`xfcast backtest m4-hourly-long.csv $m4opt\`; ridge on lags: the same with \`--encoder none --baseline none --std-scale --no-local-model --blend none --lags 336\`."
    out ""
    m4_ok=1
    rm -f "$WORK/m4-xfcast.csv" "$WORK/m4-ridge.csv" # no stale forecasts
    # shellcheck disable=SC2086 # m4opt is split on purpose
    xf_backtest m4-xfcast "$L" $m4opt --forecasts-out "$WORK/m4-xfcast.csv" || m4_ok=0
    # shellcheck disable=SC2086
    xf_backtest m4-ridge "$L" $m4opt --encoder none --baseline none --std-scale --no-local-model --blend none --lags 336 \
        --forecasts-out "$WORK/m4-ridge.csv" || true
    jx=$WORK/m4-xfcast.json jr=$WORK/m4-ridge.json
    for j in "$jx" "$jr"; do [ -s "$j" ] || echo '{}' >"$j"; done
    row() { # LABEL SMAPE MASE SOURCE
        out "| $1 | $(calc a %.3f "$2") | $(calc a %.3f "$3") | $(calc owa %.3f "$2" "$3") | $4 |"
    }
    nser=$(jget "$jx" origins)
    [ "$nser" = 414 ] || out "**Not the full M4 Hourly set: $nser series (the organisers' figures are over 414).**" ""
    out "| method | sMAPE | MASE | OWA | source |" "|---|---:|---:|---:|---|"
    row "xfcast (default model)" "$(jget "$jx" xfcast.smape)" "$(jget "$jx" xfcast.mase)" "measured here"
    row "ridge on 336 lags (ours)" "$(jget "$jr" xfcast.smape)" "$(jget "$jr" xfcast.mase)" "measured here"
    ss=$(jget "$jx" snaive.smape) sm=$(jget "$jx" snaive.mase)
    row "seasonal naive (xfcast's snaive)" "$ss" "$sm" "measured here"
    row "naive (xfcast's; Naive1, not Naive2)" "$(jget "$jx" naive.smape)" "$(jget "$jx" naive.mase)" "measured here"
    out "| Naive2 | 18.383 | 2.395 | 1.000 | M4 organisers |"
    out "| seasonal naive | 13.912 | 1.193 | 0.628 | M4 organisers |"
    out "| Theta | 18.138 | 2.455 | 1.006 | M4 organisers |"
    out "| Smyl ES-RNN (winner overall) | 9.328 | 0.893 | 0.440 | M4 organisers |"
    out "| Montero-Manso FFORMA | 11.506 | 0.819 | 0.484 | M4 organisers |"
    out "| Doornik et al. (best hourly) | 8.913 | 0.801 | 0.410 | M4 organisers |"
    out "| global ridge on 336 z-normalized lags | 13.949 | 1.184 | $(calc owa %.3f 13.949 1.184) | shared/data/README.md |"
    out ""
    out "- xfcast: $(jget "$jx" model); fit $(jget "$jx" fit_seconds) s, forecast $(jget "$jx" forecast_seconds) s, $(jget "$jx" origins) origins"
    out "- ridge on lags: $(jget "$jr" model); fit $(jget "$jr" fit_seconds) s"
    repro=$(awk -v a="$ss" -v b="$sm" 'BEGIN {print (sprintf("%.3f", a) == "13.912" && sprintf("%.3f", b) == "1.193") ? "yes" : "NO"}')
    out "- Seasonal naive reproduces the organisers' 13.912 / 1.193: $repro"
    out ""
    if [ $m4_ok = 1 ]; then
        xm=$(jget "$jx" xfcast.mase)
        if awk -v x="$xm" 'BEGIN {exit !(x + 0 <= 0.85)}'; then ok=met; else ok='NOT met'; fi
        verdict "**Verdict M4 Hourly:** MASE <= 0.85: $ok (xfcast MASE $(calc a %.3f "$xm"), sMAPE $(calc a %.3f "$(jget "$jx" xfcast.smape)"), OWA $(calc owa %.3f "$(jget "$jx" xfcast.smape)" "$xm")); seasonal naive reproduced: $repro"
    else
        verdict "**Verdict M4 Hourly:** xfcast backtest FAILED"
    fi
    out ""
    # R on M4: only when asked (414 windows x 4 methods)
    if [ "$M4_R" != 1 ]; then
        out "R methods on M4: not run (set XF_ACCURACY_M4_R=1; ~1 h on 2 cores: about 15 s of fits per series, auto.arima often stopped at 30 s)." ""
    elif [ $HAVE_FC = 0 ] || [ $m4_ok = 0 ]; then
        out "R methods on M4: not run (R, the forecast package or xfcast's forecasts are missing)." ""
    else
        r_anchors m4 "$L" "$WORK/m4-xfcast.csv" 24 ets,stlf,thetaf,auto.arima 30 \
            --id id --value value --time timestamp 2>&1 | tee "$WORK/m4-r.log" >&2
        out "R methods on M4 (\`r_anchors.R --period 24 --methods ets,stlf,thetaf,auto.arima --max-history $R_HIST --cores 2 --time-limit 30\`; a fit over the limit or failing falls back to naive):"
        r_summary "$WORK/m4-r.log" >>"$BODY"
        set -- "xfcast=$WORK/m4-xfcast.csv"
        [ ! -s "$WORK/m4-ridge.csv" ] || set -- "$@" "ridge-lags=$WORK/m4-ridge.csv"
        rl=''
        for m in ets stlf thetaf auto.arima; do
            [ ! -s "$WORK/m4-r/$m.csv" ] || { set -- "$@" "$m=$WORK/m4-r/$m.csv"; rl="$rl $m"; }
        done
        te=$(sed -n '2p' "$WORK/m4-xfcast.csv" | cut -d, -f2)
        say "score.R on M4 Hourly (period 24, train end $te)"
        if rscript "$SRC/bench/score.R" --data "$L" --id id --value value --time timestamp \
            --period 24 --train-end "$te" --tsv "$WORK/m4-score.tsv" "$@" \
            >"$WORK/m4-score.md" 2>"$WORK/m4-score.log"; then
            out "" "Scored by \`bench/score.R --period 24 --train-end $te\` (same rows for all):" ""
            cat "$WORK/m4-score.md" >>"$BODY"
            out "" "OWA from score.R's sMAPE and MASE:"
            for m in xfcast ridge-lags naive snaive $rl; do
                s=$(tsv_get "$WORK/m4-score.tsv" "$m" sMAPE) k=$(tsv_get "$WORK/m4-score.tsv" "$m" MASE)
                [ "$s" = - ] || out "- $m: $(calc owa %.3f "$s" "$k")"
            done
        else
            out "bench/score.R FAILED on M4 (log: \`bench/work/accuracy/m4-score.log\`)."
        fi
        out ""
    fi
}

# ------------------------------------------------------------ the run
say "accuracy benchmark: parts '$PARTS'$([ "$QUICK" != 1 ] || echo ' (QUICK settings)'), work dir $WORK"
t0=$(date +%s)
for part in $PARTS; do
    tp=$(date +%s)
    case $part in
        datasets) part_datasets ;;
        etth1) part_etth1 ;;
        m4) part_m4 ;;
    esac
    say "part $part took $(($(date +%s) - tp)) s"
done
t1=$(date +%s)

{
    echo '<!-- accuracy:begin -->'
    echo '## Accuracy: xfcast vs R forecast, ridge on lags and published anchors'
    echo
    echo 'Written by `bench/run_accuracy.sh`; rerun `make bench-accuracy` to update this section.'
    echo
    [ "$QUICK" != 1 ] || { echo '**QUICK run (XF_ACCURACY_QUICK=1): reduced settings (--max-windows 2000, R --max-history 200, fewer ETTh1 horizons); these are not the protocol'"'"'s numbers.**'; echo; }
    [ -z "${XF_ACCURACY_NOTE:-}" ] || { echo "**$XF_ACCURACY_NOTE**"; echo; }
    echo "- Command: \`$CMD\` (parts: $PARTS)"
    echo "- Date: $DATE"
    echo "- Machine: $ARCH, $CPU, $NPROC cores (nproc), $MEM_G GiB RAM (free -g); $OS; load average at start $LOAD"
    echo "- Software: ${XF_VER:-xfcast ?}; $R_VER"
    echo "- Total runtime: $((t1 - t0)) s"
    echo
    cat "$BODY"
    echo '### Summary of verdicts'
    echo
    cat "$VERD"
    echo '<!-- accuracy:end -->'
} >"$SECTION"

results_replace accuracy "$SECTION" "$RESULTS"
echo >&2
cat "$VERD" >&2
say "took $((t1 - t0)) s; wrote $RESULTS (section 'accuracy'; files in $WORK)"
