#!/bin/sh
# bench/run_zeroshot.sh - zero-shot forecasts (no fitting on the series: the
# encoder's pretraining head, intervals calibrated on the series' own recent
# errors) on every file of datasets/ with the protocol of
# bench/run_accuracy.sh (target, domain, test start, horizon = stride),
# against naive and seasonal naive on the same origins (`xfcast backtest
# --zero-shot`).  Issue 14's targets: MASE below seasonal naive on each
# file, <= 0.90 x seasonal naive on geometric mean, coverage within 5
# points of nominal.
#
# Encoders: $XF_ZS_ENCODERS (space-separated files), default the shipped
# models/*.xfm.  Rewrites the section between <!-- zeroshot:begin --> and
# <!-- zeroshot:end --> of bench/RESULTS.md.  From the build directory:
#
#     make bench-zeroshot      (or: sh bench/run_zeroshot.sh)
#
# Reads ../shared/data only with XF_ZS_FINAL=1 (ETTh1 and M4 Hourly are
# scored once, at the end): then it adds M4 Hourly (the official split of
# bench/run_accuracy.sh: 414 series, horizon 48, season 24) and ETTh1 (OT,
# the test rows [11520, 14400), horizon 24 = stride, season 24) for each
# encoder ($XF_BENCH_DATA, default ../shared/data; skipped when absent).
# Run time on 2 cores: under a minute per encoder (a few more with
# XF_ZS_FINAL=1).
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu
PROG=bench/run_zeroshot.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
XFCAST=$BUILD/xfcast
. "$SRC/bench/results.sh"
[ -x "$XFCAST" ] || { echo "$PROG: $XFCAST is missing: run 'make' first" >&2; exit 1; }
RESULTS=$(results_file "$PROG")
machine_facts
DATE=$(date -u)
COMMIT=$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')
ENCODERS=${XF_ZS_ENCODERS:-$(ls "$SRC"/models/*.xfm)}
W=$(mktemp -d) SECT=$(mktemp)
trap 'rm -rf "$W" "$SECT"' EXIT

# one ENCODER NAME FILE TARGET DOMAIN START H [backtest options]: a table row
one() {
    _e=$1 _n=$2 _f=$3 _t=$4 _d=$5 _s=$6 _h=$7
    shift 7
    echo "$PROG: $(basename "$_e") on $_n" >&2
    # the pretraining head alone (--baseline none), then the default point
    # forecast (the head alone or blended with a baseline, as chosen on the
    # series' last origins)
    if ! "$XFCAST" backtest "$_f" --zero-shot --encoder "$_e" --target "$_t" --domain "$_d" \
        --test-start "$_s" --horizon "$_h" --stride "$_h" --baseline none --format json "$@" \
        >"$W/a.json" 2>"$W/r.err" ||
        ! "$XFCAST" backtest "$_f" --zero-shot --encoder "$_e" --target "$_t" --domain "$_d" \
            --test-start "$_s" --horizon "$_h" --stride "$_h" --format json "$@" >"$W/r.json" 2>"$W/r.err"; then
        echo "| $(basename "$_e") | $_n | FAILED: $(head -c 200 "$W/r.err" | tr '\n|' '  ') | | | | | | | | | |"
        return 0
    fi
    alone=$(jget "$W/a.json" xfcast.mase)
    sed '/per_step/,$d' "$W/r.json" | tr -d '\n' | awk -v e="$(basename "$_e")" -v n="$_n" -v alone="$alone" '
        function metric(name, key,   s) {
            if (!match($0, "\"" name "\": \\{[^}]*\\}")) return -1
            s = substr($0, RSTART, RLENGTH)
            if (!match(s, "\"" key "\": [-0-9.e+]+")) return -1
            return substr(s, RSTART + length(key) + 4, RLENGTH - length(key) - 4) + 0
        }
        {
            x = metric("xfcast", "mase"); nv = metric("naive", "mase"); sn = metric("snaive", "mase")
            match($0, /"coverage": \[[^]]*\]/); cv = substr($0, RSTART + 13, RLENGTH - 14)
            split(cv, c2, ", ")
            pt = "?"
            if (match($0, /point forecast: [^;"]*/)) pt = substr($0, RSTART + 16, RLENGTH - 16)
            ok = (x < sn ? "yes" : "no")
            cov = (c2[1] - 80 <= 5 && 80 - c2[1] <= 5 && c2[2] - 95 <= 5 && 95 - c2[2] <= 5) ? "yes" : "no"
            printf "| %s | %s | %.4f | %s | %.4f | %.4f | %.4f | %.3f | %.3f | %s | %.1f / %.1f | %s |\n", e, n, x, pt, alone, nv, sn, x / sn, alone / sn, ok, c2[1], c2[2], cov
        }'
}

{
    echo '| encoder | file | MASE zero-shot | point forecast (chosen on the last origins) | MASE pretraining head alone | MASE naive | MASE seasonal naive | zero-shot / seasonal naive | head alone / seasonal naive | below seasonal naive | coverage 80 / 95 (%) | within 5 points |'
    echo '|---|---|---|---|---|---|---|---|---|---|---|---|'
    D=$SRC/datasets
    FINAL=${XF_ZS_FINAL:-0} DATA=${XF_BENCH_DATA:-$SRC/../shared/data} FINAL_DONE=''
    if [ "$FINAL" = 1 ] && [ -f "$DATA/M4-Hourly-train.csv" ] && [ -f "$DATA/M4-Hourly-test.csv" ]; then
        sh "$SRC/bench/m4_to_long.sh" "$DATA/M4-Hourly-train.csv" "$DATA/M4-Hourly-test.csv" >"$W/m4.csv" &&
            FINAL_DONE="$FINAL_DONE m4"
    fi
    if [ "$FINAL" = 1 ] && [ -f "$DATA/ETTh1.csv" ]; then
        # the target OT alone, with its timestamps (row 11520 = 2017-10-20 00:00)
        cut -d, -f1,8 "$DATA/ETTh1.csv" >"$W/etth1.csv" && FINAL_DONE="$FINAL_DONE etth1"
    fi
    for e in $ENCODERS; do
        one "$e" taylor-halfhourly "$D/taylor-halfhourly.csv" demand energy 2000-08-14 48
        one "$e" sp500-2000 "$D/sp500-2000.csv" close stock 2019-01-02 5
        one "$e" seattle-weather "$D/seattle-weather.csv" temp_max weather 2015-01-01 7
        one "$e" seattle-weather-hourly-normals "$D/seattle-weather-hourly-normals.csv" temperature weather 2010-11-01 24
        case $FINAL_DONE in *m4*)
            one "$e" "M4 Hourly" "$W/m4.csv" value generic 2020-01-01T00:00:00 48 --id-col id --season 24 ;;
        esac
        case $FINAL_DONE in *etth1*)
            one "$e" "ETTh1 OT" "$W/etth1.csv" OT generic 11520 24 --test-end 14400 --season 24 ;;
        esac
    done
} >"$W/table.md"

{
    echo '<!-- zeroshot:begin -->'
    echo '## Zero-shot forecasts (issue 14)'
    echo
    echo 'Written by `bench/run_zeroshot.sh` (`make bench-zeroshot`); rerun it to update this section.'
    echo
    echo "- Command: \`xfcast backtest FILE --zero-shot --encoder E --target T --domain D --test-start S --horizon H --stride H --format json\` (the protocol of \`bench/run_accuracy.sh\`): no fitting on the series; the point forecast is the encoder's pretraining head (a linear head's mean, a seasonal head's median reading the series' periods) alone or blended (25/50/75/100%) with naive, seasonal naive of a period of the frequency or the local window model (seasonal profiles + exponential smoothing of the values before each origin), whichever had the lowest mean absolute error on the calibration origins (the series' last origins before the test start), on which the intervals are calibrated too. \"Pretraining head alone\": the same with \`--baseline none\`. MASE with xfcast's season for the file (48, 5, 7, 24). Seasonal naive and naive on the same origins."
    echo "- Date: $DATE, tree at commit $COMMIT"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm)"
    echo
    cat "$W/table.md"
    echo
    awk -F'|' 'NR > 2 && $9 + 0 > 0 && $10 + 0 > 0 { e = $2; gsub(/ /, "", e); s[e] += log($9 + 0); a[e] += log($10 + 0); n[e]++; b[e] += ($11 ~ /yes/); ba[e] += ($10 + 0 < 1); c[e] += ($13 ~ /yes/) }
        END { for (e in s) printf "- `%s`: geometric mean of zero-shot / seasonal-naive MASE %.3f over %d files (target <= 0.90; the pretraining head alone: %.3f); below seasonal naive on %d of %d (the head alone: %d); coverage within 5 points on %d of %d\n", e, exp(s[e] / n[e]), n[e], exp(a[e] / n[e]), b[e], n[e], ba[e], c[e], n[e] }' "$W/table.md" | sort
    echo
    if [ -n "${FINAL_DONE:-}" ]; then
        echo "ETTh1 and M4 Hourly (XF_ZS_FINAL=1, scored once at the end; no recipe chosen on them):$FINAL_DONE. M4 Hourly: the official split (the long file of \`bench/m4_to_long.sh\`, \`--id-col id --season 24\`); ETTh1: OT alone, \`--test-start 11520 --test-end 14400\`, horizon 24 = stride, season 24. Issue 14's target: M4 Hourly zero-shot MASE <= 1.00 (seasonal naive 1.193)."
    else
        echo 'ETTh1 and M4 Hourly are not run here (XF_ZS_FINAL=1 adds them): that data is scored once, at the end.'
    fi
    echo '<!-- zeroshot:end -->'
} >"$SECT"
results_replace zeroshot "$SECT" "$RESULTS"
echo "$PROG: wrote the zero-shot section of $RESULTS"
