#!/bin/sh
# bench/run_m4_speed.sh - fit + forecast of all 414 M4 Hourly series with one
# global head (xfcast's default model, the protocol of bench/run_accuracy.sh)
# against R's forecast::ets fitted per series, side by side in one run on
# this machine, both scored by bench/score.R on the same rows.  Issue 13's
# target: xfcast at least 10x faster than ets, with the lower MASE.
#
#     make bench-m4speed       (or: sh bench/run_m4_speed.sh)
#
# Reads ../shared/data/M4-Hourly-{train,test}.csv ($XF_BENCH_DATA; skipped
# when absent, never copied into the project).  R: Rscript with the forecast
# package (skipped without it).  Both get the machine's two cores: xfcast
# its default threads, R two mclapply workers (bench/r_anchors.R --cores 2,
# one BLAS thread each); R's single-core time (the sum of its per-series
# fit times) is reported too.  Run time on 2 cores: ~15 min (R's ets at
# period 24 takes seconds per series).
#
#   XF_M4SPEED_SERIES   only the first N series (a quick check of the
#                       script; the section then says so)
#
# Rewrites the section between <!-- m4speed:begin --> and <!-- m4speed:end
# --> of bench/RESULTS.md.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu
PROG=bench/run_m4_speed.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
DATA=${XF_BENCH_DATA:-$SRC/../shared/data}
RSCRIPT=${RSCRIPT:-Rscript}
NSER=${XF_M4SPEED_SERIES:-0}
# shellcheck disable=SC1091 source=bench/results.sh
. "$SRC/bench/results.sh"
real_xfcast XF_M4SPEED_XFCAST
[ -x "$XF" ] || { echo "$PROG: $XF is missing: run 'make' first" >&2; exit 1; }
RESULTS=$(results_file "$PROG")
machine_facts
WORK=$BUILD/bench/work/m4speed
mkdir -p "$WORK"
SECT=$WORK/section.md
say() { [ ! -t 2 ] || echo "$PROG: $*" >&2; }
out() { printf '%s\n' "$@" >>"$SECT"; }
rscript() { OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$RSCRIPT" "$@"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f\n", b - a}'; }
f3() { awk -v v="$1" 'BEGIN {if (v == "-") print "-"; else printf "%.3f\n", v}'; }

{
    echo '<!-- m4speed:begin -->'
    echo '## M4 Hourly: one global head against R ets per series (issue 13)'
    echo
    echo 'Written by `bench/run_m4_speed.sh` (`make bench-m4speed`); rerun it to update this section.'
    echo
} >"$SECT"
TR=$DATA/M4-Hourly-train.csv TE=$DATA/M4-Hourly-test.csv
if [ ! -f "$TR" ] || [ ! -f "$TE" ]; then
    out "Skipped: \`$TR\` or \`$TE\` is absent (set XF_BENCH_DATA)." '<!-- m4speed:end -->'
    results_replace m4speed "$SECT" "$RESULTS"
    exit 0
fi
L=$WORK/m4-hourly-long.csv
sh "$SRC/bench/m4_to_long.sh" "$TR" "$TE" >"$L.tmp" 2>"$WORK/m4_to_long.log"
if [ "$NSER" -gt 0 ]; then
    awk -F, -v n="$NSER" 'NR > 1 && !($1 in s) && k < n { s[$1] = 1; k++ } NR == 1 || ($1 in s)' \
        "$L.tmp" >"$L"
    rm -f "$L.tmp"
else
    mv "$L.tmp" "$L"
fi
opts="--id-col id --test-start 2020-01-01T00:00:00 --horizon 48 --stride 48 --season 24 --no-calendar --max-windows 300000"
load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# xfcast: one process, fit of the global head + the forecasts at every
# series' official origin
say "xfcast backtest (fit + forecast) ..."
rm -f "$WORK/xfcast.csv"
t0=$(now)
# shellcheck disable=SC2086 # opts is split on purpose
"$XF" backtest "$L" $opts --format json --forecasts-out "$WORK/xfcast.csv" >"$WORK/xfcast.json" \
    2>"$WORK/xfcast.log" || { echo "$PROG: xfcast backtest failed: $(tail -3 "$WORK/xfcast.log")" >&2; exit 1; }
xw=$(secs "$t0" "$(now)")
nser=$(jget "$WORK/xfcast.json" origins)

have_fc=0
if command -v "$RSCRIPT" >/dev/null 2>&1 &&
    FC_VER=$(rscript -e 'if (!suppressMessages(requireNamespace("forecast", quietly = TRUE))) quit(status = 1); cat(format(packageVersion("forecast")))' 2>/dev/null); then
    have_fc=1
fi
if [ $have_fc = 1 ]; then
    say "R ets on $nser series (2 workers) ..."
    rm -rf "$WORK/r"
    t0=$(now)
    rscript "$SRC/bench/r_anchors.R" --data "$L" --id id --value value --time timestamp \
        --origins "$WORK/xfcast.csv" --period 24 --methods ets --cores 2 --out-dir "$WORK/r" \
        >"$WORK/r.log" 2>&1 || { echo "$PROG: r_anchors.R failed: $(tail -3 "$WORK/r.log")" >&2; exit 1; }
    rw=$(secs "$t0" "$(now)")
    # the sum of the per-series fit times (one core's worth)
    rsum=$(sed -n 's/^r_anchors.R: method ets .* seconds \([0-9.]*\) (.*$/\1/p' "$WORK/r.log" | head -n 1)
    rfb=$(sed -n 's/^r_anchors.R: method ets .* fallbacks \([0-9]*\) .*$/\1/p' "$WORK/r.log" | head -n 1)
    [ -n "$rsum" ] || rsum=-
    te=$(sed -n '2p' "$WORK/xfcast.csv" | cut -d, -f2)
    rscript "$SRC/bench/score.R" --data "$L" --id id --value value --time timestamp --period 24 \
        --train-end "$te" --tsv "$WORK/score.tsv" "xfcast=$WORK/xfcast.csv" "ets=$WORK/r/ets.csv" \
        >"$WORK/score.md" 2>"$WORK/score.log" || { echo "$PROG: score.R failed: $(tail -3 "$WORK/score.log")" >&2; exit 1; }
fi

out "- Command: \`sh bench/run_m4_speed.sh\`$([ "$NSER" = 0 ] || echo " with XF_M4SPEED_SERIES=$NSER (**a quick check on $NSER series, not the target's 414**)")"
out "- xfcast: \`xfcast backtest m4-hourly-long.csv $opts\` (the accuracy bench's M4 protocol: one global head fitted on every series' history before its 48 test values, then their forecasts), run as $XF_HOW, its default threads"
out "- R: \`Rscript bench/r_anchors.R --methods ets --period 24 --cores 2\` on the same origins (ets() with frequency 24, model selected by AICc per series, no time limit; one BLAS thread per worker)"
out "- Scored by \`bench/score.R --period 24 --train-end 2019-12-31T23:00:00\` on the same rows (MASE scale: in-sample seasonal naive at 24, as the M4 organisers)"
out "- Date: $(date -u), tree at commit $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')"
out "- Machine: $NPROC CPUs (nproc), $CPU, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm); load average before: $load0"
out "- Software: $("$XF" --version 2>/dev/null | head -n 1)$([ $have_fc = 0 ] || echo "; $(rscript -e 'cat(R.version.string)' 2>/dev/null), forecast $FC_VER")"
out ""
out "| method | series | wall time, fit + forecast (s) | one core's worth (s) | sMAPE | MASE |" "|---|---:|---:|---:|---:|---:|"
if [ $have_fc = 1 ]; then
    xs=$(f3 "$(tsv_get "$WORK/score.tsv" xfcast sMAPE)") xm=$(f3 "$(tsv_get "$WORK/score.tsv" xfcast MASE)")
else # xfcast's own scores (the same definitions)
    xs=$(f3 "$(jget "$WORK/xfcast.json" xfcast.smape)") xm=$(f3 "$(jget "$WORK/xfcast.json" xfcast.mase)")
fi
out "| xfcast, one global head (fit $(jget "$WORK/xfcast.json" fit_seconds) s, forecast $(jget "$WORK/xfcast.json" forecast_seconds) s) | $nser | $xw | - | $xs | $xm |"
if [ $have_fc = 1 ]; then
    out "| R ets, per series (${rfb:-?} fell back to naive) | $nser | $rw | $rsum | $(f3 "$(tsv_get "$WORK/score.tsv" ets sMAPE)") | $(f3 "$(tsv_get "$WORK/score.tsv" ets MASE)") |"
    out ""
    em=$(f3 "$(tsv_get "$WORK/score.tsv" ets MASE)")
    ratio=$(awk -v r="$rw" -v x="$xw" 'BEGIN {printf "%.1f\n", r / x}')
    v=$(awk -v q="$ratio" -v a="$xm" -v b="$em" 'BEGIN {print (q >= 10 && a < b) ? "met" : "NOT met"}')
    out "- **Verdict:** xfcast $ratio x faster than R ets (wall time, both on $NPROC cores), MASE $xm against $em: target (>= 10x faster, lower MASE) $v"
else
    out "" "- R ets: not run (Rscript or the forecast package is missing)"
fi
out '<!-- m4speed:end -->'
results_replace m4speed "$SECT" "$RESULTS"
say "wrote the m4speed section of $RESULTS"
