#!/bin/sh
# bench/run_local_heads.sh - the local window model inside the heads (issue
# 13 part 1: --local-model, --baseline local) on every file of datasets/,
# side by side in one run: `xfcast backtest` with the default model (the
# local model's features tried on the best candidate, kept when the held-out
# error falls), with --no-local-model (the heads before it), with
# --local-model (always), and the local model alone under a one-lag ridge
# (--baseline local --lags 1 --encoder none --no-calendar --no-local-model)
# next to the seasonal naive of the same origins.  Same protocol as the
# accuracy bench (test start, horizon = stride).  Rewrites the section
# between <!-- localheads:begin --> and <!-- localheads:end --> of
# bench/RESULTS.md.  From the build directory:
#
#     make bench-local          (or: sh bench/run_local_heads.sh)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu
PROG=bench/run_local_heads.sh
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
# file target domain test-start horizon
CASES='seattle-weather-hourly-normals.csv temperature weather 2010-11-01 24
seattle-weather.csv temp_max weather 2015-01-01 7
sp500-2000.csv close stock 2019-01-02 5
taylor-halfhourly.csv demand energy 2000-08-14 48'
ROWS=$W/rows
: >"$ROWS"
echo "$CASES" | while read -r f tgt dom ts h; do
    for v in default no-local local alone; do
        case $v in
        default) extra= ;;
        no-local) extra=--no-local-model ;;
        local) extra=--local-model ;;
        alone) extra='--baseline local --lags 1 --encoder none --no-calendar --no-local-model' ;;
        esac
        echo "$PROG: $f $v" >&2
        # shellcheck disable=SC2086 # $extra is a word list
        "$XF" backtest "$SRC/datasets/$f" --target "$tgt" --domain "$dom" --test-start "$ts" \
            --horizon "$h" --stride "$h" --format json -q $extra >"$W/$v.json"
        printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$f" "$v" "$(jget "$W/$v.json" xfcast.mae)" \
            "$(jget "$W/$v.json" xfcast.mase)" "$(jget "$W/$v.json" xfcast.coverage)" \
            "$(jget "$W/$v.json" snaive.mae)" "$(jget "$W/$v.json" fit_seconds)" \
            "$(jget "$W/$v.json" model)" >>"$ROWS"
    done
done
SECT=$W/sect
{
    echo '<!-- localheads:begin -->'
    echo '## The local window model inside the heads (issue 13, part 1)'
    echo
    echo 'Written by `bench/run_local_heads.sh` (`make bench-local`); rerun it to update this section.'
    echo
    echo "- Command: \`xfcast backtest datasets/FILE --target T --domain D --test-start S --horizon H --stride H\` with: the default model; \`--no-local-model\` (the heads before the local model); \`--local-model\` (always on); the local model alone under a one-lag ridge (\`--baseline local --lags 1 --encoder none --no-calendar --no-local-model\`). Same origins in every row; \"snaive MAE\" is the seasonal naive of those origins (the head's season). Binary: $XF_HOW"
    echo "- Date: $DATE"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm); load average before: $LOAD0"
    echo
    echo '| file | model | MAE | MASE | cov80 cov95 | snaive MAE | fit s | head |'
    echo '|---|---|---:|---:|---:|---:|---:|---|'
    awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$ROWS"
    echo
    awk -F'|' '$2 == "default" { d[$1] = $3 } $2 == "no-local" { n[$1] = $3 }
        END { for (f in d) if (n[f] > 0) printf "- %s: default vs --no-local-model MAE %+.2f%%\n", f, 100 * (d[f] / n[f] - 1) }' "$ROWS" | sort
    echo '<!-- localheads:end -->'
} >"$SECT"
results_replace localheads "$SECT" "$RESULTS"
echo "$PROG: wrote the local-heads section of $RESULTS"
