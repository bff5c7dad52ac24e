#!/bin/sh
# bench/run_localmodels.sh - the local statistical models of issue 13
# (src/localmodels.c: ets, theta, seasonal decomposition + ets) on M4 Hourly,
# scored as the M4 organisers score them (48 steps from the end of each
# training part; sMAPE, and MASE on the in-sample seasonal-naive scale),
# next to seasonal naive, so that each can be compared with the published
# figure of the same method.  Reads the M4 files from $XFCAST_BENCH_DATA or
# ../shared/data beside the source tree; skips (exit 0, a message) when they
# are absent.  Rewrites the section between <!-- localmodels:begin --> and
# <!-- localmodels:end --> of bench/RESULTS.md.  From the build directory:
#
#     make bench-local          (or: sh bench/run_localmodels.sh)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu
PROG=bench/run_localmodels.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
DATA=${XFCAST_BENCH_DATA:-$SRC/../shared/data}
BIN=$BUILD/bench/bench_localmodels
. "$SRC/bench/results.sh"
if [ ! -f "$DATA/M4-Hourly-train.csv" ] || [ ! -f "$DATA/M4-Hourly-test.csv" ]; then
    echo "$PROG: no M4 Hourly files in $DATA (set XFCAST_BENCH_DATA): skipped" >&2
    exit 0
fi
[ -x "$BIN" ] || { echo "$PROG: $BIN missing: run 'make bench/bench_localmodels' first" >&2; exit 1; }
RESULTS=$(results_file "$PROG")
machine_facts
DATE=$(date -u)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
OUT=$(mktemp) SECT=$(mktemp)
trap 'rm -f "$OUT" "$SECT"' EXIT
"$BIN" "$DATA/M4-Hourly-train.csv" "$DATA/M4-Hourly-test.csv" >"$OUT"
{
    echo '<!-- localmodels:begin -->'
    echo '## Local statistical models on M4 Hourly (issue 13, part 1)'
    echo
    echo 'Written by `bench/run_localmodels.sh` (`make bench-local`); rerun it to update this section.'
    echo
    echo "- Command: \`bench/bench_localmodels M4-Hourly-train.csv M4-Hourly-test.csv\` (414 series, 48 steps from the end of each training part, negative forecasts clipped at 0; sMAPE and MASE as the M4 organisers compute them, MASE scale: in-sample seasonal naive at 24)"
    echo "- Date: $DATE"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm); load average before: $LOAD0; one thread"
    echo
    echo '```'
    cat "$OUT"
    echo '```'
    echo
    echo 'Published M4 figures for the same methods (`../shared/data/README.md`): seasonal naive 13.912 / 1.193, Theta 18.138 / 2.455 (sMAPE / MASE). The theta line is the check of `src/localmodels.c`'"'"'s theta against that published implementation (forecast::thetaf: SES with half the linear drift on data deseasonalised by a multiplicative classical decomposition when the 90% autocorrelation test finds the season). On their own none of these local models beats seasonal naive on hourly data, as in M4; they are meant as baselines and features under the ridge head, not as forecasters alone.'
    echo '<!-- localmodels:end -->'
} >"$SECT"
results_replace localmodels "$SECT" "$RESULTS"
echo "$PROG: wrote the local-models section of $RESULTS"
