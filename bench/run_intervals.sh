#!/bin/sh
# bench/run_intervals.sh - interval coverage of `xfcast backtest` with each
# interval method (--intervals split, the method before issue 13; rolling;
# aci, the default), default settings otherwise: every file of datasets/
# with the protocol of bench/run_accuracy.sh (target, domain, test start,
# horizon = stride), and synthetic hourly series whose noise changes after
# the calibration window (the test start): x3, x1/3, and none (a control).
# aci-symmetric is aci with --symmetric-intervals (-/+ a quantile of the
# absolute errors instead of separate tails).
# Reports coverage at 80% and 95%, the mean interval width and MSIS (the
# interval score over the in-sample seasonal-naive MAE, as in M4) and
# whether coverage is within 3 points of nominal.  Rewrites the section
# between <!-- intervals:begin --> and <!-- intervals:end --> of
# bench/RESULTS.md.  From the build directory:
#
#     make bench-intervals      (or: sh bench/run_intervals.sh)
#
# Never reads ../shared/data (the held-out benchmark data).  Run time on 2
# cores: about a minute.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu
PROG=bench/run_intervals.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
XFCAST=$BUILD/xfcast
. "$SRC/bench/results.sh"
. "$SRC/tests/testlib.sh" # AWK_CIVIL
[ -x "$XFCAST" ] || { echo "$PROG: $XFCAST is missing: run 'make' first" >&2; exit 1; }
RESULTS=$(results_file "$PROG")
machine_facts
DATE=$(date -u)
COMMIT=$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')
W=$(mktemp -d) SECT=$(mktemp)
trap 'rm -rf "$W" "$SECT"' EXIT

# synth NAME FACTOR: 3000 hourly values, a daily sine plus noise (sum of 12
# Park-Miller uniforms) of standard deviation 1, FACTOR from row 2000 on
synth() {
    awk -v f="$2" "$AWK_CIVIL"'BEGIN {
        s = 2385; print "time,y"
        for (i = 0; i < 3000; i++) {
            z = 0
            for (j = 0; j < 12; j++) { s = (s * 16807) % 2147483647; z += s / 2147483647 }
            d = int(i / 24); h = i % 24
            printf "%sT%02d:00:00Z,%.5f\n", civil(19723 + d), h, 10 + 3 * sin(6.283185307 * h / 24) + (i < 2000 ? 1 : f) * (z - 6)
        }
    }' >"$W/$1.csv"
}

# one CASE FILE ARGS...: a table row per interval method
one() {
    _case=$1 _f=$2
    shift 2
    for iv in split rolling aci aci-symmetric; do
        echo "$PROG: $_case --intervals $iv" >&2
        case $iv in
            aci-symmetric) extra="--intervals aci --symmetric-intervals" ;;
            *) extra="--intervals $iv" ;;
        esac
        # shellcheck disable=SC2086 # extra splits on purpose
        if ! "$XFCAST" backtest "$_f" "$@" $extra --format json >"$W/r.json" 2>"$W/r.err"; then
            echo "| $_case | $iv | FAILED: $(head -c 200 "$W/r.err") | | | | | |"
            continue
        fi
        sed '/per_step/,$d' "$W/r.json" | tr -d '\n' | awk -v c="$_case" -v m="$iv" '{
            if (!match($0, /"xfcast": \{[^}]*\}/)) { print "| " c " | " m " | no report | | | | | |"; exit }
            x = substr($0, RSTART, RLENGTH)
            match(x, /"coverage": \[[^]]*\]/); cv = substr(x, RSTART + 13, RLENGTH - 14)
            match($0, /"interval_width": \[[^]]*\]/); wd = substr($0, RSTART + 19, RLENGTH - 20)
            match($0, /"msis": \[[^]]*\]/); ms = substr($0, RSTART + 9, RLENGTH - 10)
            match($0, /"origins": [0-9]+/); no = substr($0, RSTART + 11, RLENGTH - 11)
            split(cv, c2, ", "); split(wd, w2, ", "); split(ms, m2, ", ")
            ok = (c2[1] - 80 <= 3 && 80 - c2[1] <= 3 ? "yes" : "no") " / " (c2[2] - 95 <= 3 && 95 - c2[2] <= 3 ? "yes" : "no")
            printf "| %s | %s | %d | %.1f / %.1f | %s | %.4g / %.4g | %.3f / %.3f |\n", c, m, no, c2[1], c2[2], ok, w2[1], w2[2], m2[1], m2[2]
        }'
    done
}

{
    echo '| case | intervals | origins | coverage 80 / 95 (%) | within 3 points | mean width 80 / 95 | MSIS 80 / 95 |'
    echo '|---|---|---|---|---|---|---|'
    D=$SRC/datasets
    one "taylor-halfhourly (demand, energy, from 2000-08-14, H 48)" "$D/taylor-halfhourly.csv" --target demand --domain energy --test-start 2000-08-14 --horizon 48 --stride 48
    one "sp500-2000 (close, stock, from 2019-01-02, H 5)" "$D/sp500-2000.csv" --target close --domain stock --test-start 2019-01-02 --horizon 5 --stride 5
    one "seattle-weather (temp_max, weather, from 2015-01-01, H 7)" "$D/seattle-weather.csv" --target temp_max --domain weather --test-start 2015-01-01 --horizon 7 --stride 7
    one "seattle-weather-hourly-normals (temperature, weather, from 2010-11-01, H 24)" "$D/seattle-weather-hourly-normals.csv" --target temperature --domain weather --test-start 2010-11-01 --horizon 24 --stride 24
    for f in 3 0.333333 1; do
        synth "shift$f" "$f"
        one "synthetic hourly, noise x$f after row 2000 (H 24)" "$W/shift$f.csv" --test-start 2000 --horizon 24 --stride 24
    done
} >"$W/table.md"

{
    echo '<!-- intervals:begin -->'
    echo '## Interval coverage (issue 13, point 3)'
    echo
    echo 'Written by `bench/run_intervals.sh` (`make bench-intervals`); rerun it to update this section.'
    echo
    echo "- Command: \`xfcast backtest FILE ... --intervals split|rolling|aci --format json\`, default settings otherwise (the datasets with the protocol of \`bench/run_accuracy.sh\`: target, domain, test start, horizon = stride; the synthetic series: \`--test-start 2000 --horizon 24 --stride 24\`, the domain and encoders chosen by default). \`split\` is the method before this change (the held-out quantiles of the fit); \`rolling\` rescales them by a window of the last 8 origins' out-of-sample errors (at least 100 values); \`aci\` (the default now) also moves the quantile level by adaptive conformal inference (gamma 0.005 per error); \`aci-symmetric\` adds \`--symmetric-intervals\` (-/+ a quantile of the absolute errors; the default keeps separate quantiles of each tail, as split did). Point forecasts are the same for the three (same MAE/MASE)."
    echo "- Date: $DATE, tree at commit $COMMIT"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm)"
    echo
    cat "$W/table.md"
    echo
    for iv in split rolling aci aci-symmetric; do
        awk -F'|' -v m="$iv" '$3 ~ " " m " " { n += 2; k += ($6 ~ /yes \//) + ($6 ~ /\/ yes/) } END { printf "- `%s`: coverage within 3 points of nominal in %d of %d (case, level) pairs\n", m, k, n }' "$W/table.md"
    done
    echo
    echo 'Default: `aci`, the method with the most pairs within 3 points, in particular on the hourly normals (44 / 66% with split) and after every variance change; it costs little width where nothing changes (the x1 control: 80.2 / 95.1% against 77.7 / 94.5%, mean width +6% / +4%).  On sp500 it is within 3 points but below split (77.7 against 82.4% at 80%) with wider intervals on average (161 against 134 points): the misses and the width concentrate in different periods (not analysed further).  On taylor no method is within 3 points; one origin decides it: the forecast from 2000-08-26 23:30 (Sunday 27 August) has a MAE of 1135 MW against 132-376 for the 13 others, and none of its 48 targets falls inside any 80% interval; without that origin split covers 82.7 / 95.4% and aci 79.2 / 95.8% (measured by hand from `--forecasts-out` of the same runs).  With 14 origins there is nothing for an adaptive method to learn before it.  Symmetric against separate tails (`aci-symmetric` against `aci`, this run): the same 12 of 14 pairs within 3 points; MSIS lower with symmetric intervals in 6 of the 7 cases at 80% and 4 of 7 at 95%, by 0.6 to 5%, higher on the hourly normals (by 2 and 5%).  The default stays with separate tails (as split had, and as the issue asks): the differences are small and go both ways, and separate tails follow skewed errors; `--symmetric-intervals` is there for data where they do not.'
    echo
    echo 'Coverage is over every (origin, step) pair of the test period; the first origin of each backtest has only the split intervals (no error observed yet), and an error enters the window once its target is observed (origin + step before the origin being forecast).  The ETTh1 and M4 Hourly backtests are not run here: that data is scored once, at the end, by the lead.'
    echo '<!-- intervals:end -->'
} >"$SECT"
results_replace intervals "$SECT" "$RESULTS"
echo "$PROG: wrote the interval-coverage section of $RESULTS"
