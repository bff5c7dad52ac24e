#!/bin/sh
# bench/run_selection.sh - candidate and penalty selection on rolling
# held-out windows (issue 13 part 2: --selection rolling, the default) against
# the one time-ordered split before it (--selection single) on every file of
# datasets/, side by side in one run: `xfcast backtest` with the default
# model otherwise.  Two protocols per file: the accuracy bench's (test
# start, horizon = stride) and a longer test period that starts earlier
# (more origins, less training data).  Rewrites the section between
# <!-- selection:begin --> and <!-- selection:end --> of bench/RESULTS.md.
# From the build directory:
#
#     sh bench/run_selection.sh
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu
PROG=bench/run_selection.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
. "$SRC/bench/results.sh"
real_xfcast XFCAST
RESULTS=$(results_file "$PROG")
machine_facts
DATE=$(date -u)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# file target domain test-start horizon (protocol A: the accuracy bench's;
# B: a longer test period)
CASES='seattle-weather-hourly-normals.csv temperature weather 2010-11-01 24 A
seattle-weather.csv temp_max weather 2015-01-01 7 A
sp500-2000.csv close stock 2019-01-02 5 A
taylor-halfhourly.csv demand energy 2000-08-14 48 A
seattle-weather-hourly-normals.csv temperature weather 2010-09-01 24 B
seattle-weather.csv temp_max weather 2014-01-01 7 B
sp500-2000.csv close stock 2016-01-04 5 B
taylor-halfhourly.csv demand energy 2000-07-24 48 B'
ROWS=$W/rows
: >"$ROWS"
echo "$CASES" | while read -r f tgt dom ts h pr; do
    for v in single rolling; do
        echo "$PROG: $f $pr $v" >&2
        "$XF" backtest "$SRC/datasets/$f" --target "$tgt" --domain "$dom" --test-start "$ts" \
            --horizon "$h" --stride "$h" --format json -q --selection "$v" >"$W/$v.json"
        printf '%s|%s %s|%s|%s|%s|%s|%s|%s|%s\n' "$f" "$pr" "$ts" "$v" \
            "$(jget "$W/$v.json" origins)" "$(jget "$W/$v.json" xfcast.mae)" \
            "$(jget "$W/$v.json" xfcast.mase)" "$(jget "$W/$v.json" xfcast.coverage)" \
            "$(jget "$W/$v.json" fit_seconds)" "$(jget "$W/$v.json" model)" >>"$ROWS"
    done
done
SECT=$W/sect
{
    echo '<!-- selection:begin -->'
    echo '## Selection on rolling windows (issue 13 part 2)'
    echo
    echo 'Written by `bench/run_selection.sh`; rerun it to update this section.'
    echo
    echo "- Command: \`xfcast backtest datasets/FILE --target T --domain D --test-start S --horizon H --stride H --selection single|rolling\`, the default model otherwise (both shipped encoders, baseline and local model chosen on the held-out origins). single: the configuration and penalty chosen on one time-ordered split (the latest 20% of each series' origins before the test period), the lowest held-out MASE kept (the fits before this change); rolling: those held-out origins cut into 3 consecutive windows per series, each scored by the model of the origins before it (training statistics + earlier windows whose targets end before it), the penalty chosen on the summed errors, and the simpler configuration (no embeddings, no local model) kept when its held-out MASE is within one standard error (between series x window blocks) of the best. Protocol A: the test start and horizon of the accuracy bench; B: a longer test period starting earlier. Same origins for both rows of a file and protocol. Binary: $XF_HOW"
    echo "- Date: $DATE"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm); load average before: $LOAD0"
    echo
    echo '| file | protocol, test start | selection | origins | MAE | MASE | cov80 cov95 | fit s | head |'
    echo '|---|---|---|---:|---:|---:|---:|---:|---|'
    awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$ROWS"
    echo
    awk -F'|' '$3 == "single" { s[$1 " " $2] = $6 } $3 == "rolling" { r[$1 " " $2] = $6 }
        END { for (k in s) if (s[k] > 0) printf "- %s: rolling vs single MASE %+.2f%%\n", k, 100 * (r[k] / s[k] - 1) }' "$ROWS" | sort
    awk -F'|' '$3 == "single" { s[$1 " " $2] = $6 } $3 == "rolling" { r[$1 " " $2] = $6 }
        END { for (k in s) { n++; if (r[k] < s[k]) b++; else if (r[k] > s[k]) w++; else e++; g += log(r[k] / s[k]) }
              printf "- rolling lower MASE on %d, higher on %d, equal on %d of %d file x protocol cases; geometric mean ratio %.4f\n", b, w, e, n, exp(g / n) }' "$ROWS"
    echo '<!-- selection:end -->'
} >"$SECT"
results_replace selection "$SECT" "$RESULTS"
echo "$PROG: wrote the selection section of $RESULTS"
