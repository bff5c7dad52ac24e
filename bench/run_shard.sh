#!/bin/sh
# bench/run_shard.sh - one global head fitted in shards: for S synthetic
# daily series of LENGTH values (a weekly cycle, a trend, noise; long CSV
# id,date,value), one `xfcast fit` on all of them, then N = 2, 4, 8 shards
# (`fit --shard I/N --stats-out`, at most JOBS at once) and `fit --merge`.
# Reports the wall time of the shard phase, the sum and the largest of the
# shards' times, the peak resident memory of a shard (/usr/bin/time -v),
# the part size, the merge's time and memory, and whether the merged
# head's forecasts equal the single fit's (those of the first
# XF_SHARD_CHECK_MAX series: forecasting every series of the largest panels
# costs more than the fit).  Rewrites the section between <!-- shard-fit:begin --> and
# <!-- shard-fit:end --> of bench/RESULTS.md.  Runs from the build
# directory:
#
#     sh bench/run_shard.sh          (or: make bench-shard)
#
# Environment (all optional):
#   XF_SHARD_SERIES     series counts (default "10000 100000")
#   XF_SHARD_LENGTH     values per series (default 100)
#   XF_SHARD_COUNTS     shard counts (default "2 4 8"; 1 = the plain fit)
#   XF_SHARD_JOBS       shards run at once (default 2)
#   XF_SHARD_CHECK_MAX  series whose forecasts are compared (default 2000)
#   XF_SHARD_XFCAST     the xfcast program (default: .libs/xfcast behind the
#                       libtool wrapper, else $XF_BUILDDIR/xfcast)
#   XF_BENCH_RESULTS    results file (default $XF_SRCDIR/bench/RESULTS.md)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016,SC2086 # backquotes in single quotes are Markdown; $OPTS split on purpose
set -eu

PROG=bench/run_shard.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
WORK=$BUILD/bench/work/shard
SERIES=${XF_SHARD_SERIES:-10000 100000}
LENGTH=${XF_SHARD_LENGTH:-100}
COUNTS=${XF_SHARD_COUNTS:-2 4 8}
JOBS=${XF_SHARD_JOBS:-2}
CHECK_MAX=${XF_SHARD_CHECK_MAX:-2000}
# explicit lags (automatic ones follow each part's series), and a
# max-windows above every origin count: stride 1, every origin fitted, so
# that the cost measured is that of all the data
OPTS="--encoder none --domain generic --horizon 7 --lags 28 --max-windows 100000000"

die() {
    echo "$PROG: $*" >&2
    exit 1
}
say() { echo "$PROG: $*" >&2; }

for v in $SERIES "$LENGTH" $COUNTS "$JOBS" "$CHECK_MAX"; do
    case $v in '' | *[!0-9]* | 0) die "XF_SHARD_* must be positive integers" ;; esac
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian: apt-get install time)"

# shellcheck disable=SC1091 source=bench/results.sh # (followed with shellcheck -x)
. "$SRC/bench/results.sh"
real_xfcast XF_SHARD_XFCAST
"$XF" --version >/dev/null 2>&1 || die "$XF does not run: run 'make' first (or set XF_SHARD_XFCAST)"
RESULTS=$(results_file "$PROG")
machine_facts
MK_CFLAGS=$(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)
XF_VER=$("$XF" --version 2>/dev/null | head -1)
T0=$(date +%s)
DATE=$(date -u)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
rm -rf "$WORK"
mkdir -p "$WORK"
TABLE=$WORK/table.md

now() { date +%s.%N; }
# timed NAME CMD...: runs CMD under /usr/bin/time -v (report in $WORK/NAME.time)
timed() {
    _n=$1
    shift
    /usr/bin/time -v -o "$WORK/$_n.time" "$@" >"$WORK/$_n.out" 2>"$WORK/$_n.err" ||
        die "failed: $* ($(tail -c 300 "$WORK/$_n.err"))"
}
# elapsed NAME / rss NAME: seconds and peak RSS (MiB) of a timed run
elapsed() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f\n", s }' "$WORK/$1.time"
}
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$WORK/$1.time"; }

{
    echo '| series | shards | shard phase, wall | sum of shard times | slowest shard | peak RSS of a shard | part size | merge time | merge RSS | fit + merge, wall | forecasts = single fit |'
    echo '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'
} >"$TABLE"
NOTES=$WORK/notes
: >"$NOTES"

for S in $SERIES; do
    data=$WORK/data$S.csv
    say "$S series x $LENGTH values"
    awk -v S="$S" -v L="$LENGTH" 'BEGIN {
        srand(11); print "id,date,value"
        for (s = 0; s < S; s++) {
            lvl = 50 + (s % 97); amp = 2 + (s % 13); tr = ((s % 7) - 3) * 0.02
            for (t = 0; t < L; t++) {
                d = 10957 + t # days since 1970: 2000-01-01 on
                printf "m%06d,%d,%.3f\n", s, d * 86400, lvl + amp * sin(6.2831853 * (t + s) / 7) + tr * t + 2 * (rand() - 0.5)
            }
        }
    }' >"$data"
    size=$(wc -c <"$data")
    timed "inspect$S" "$XF" inspect "$data" --time-format epoch
    echo "- $S series: CSV $((size / 1000000)) MB; reading it (\`xfcast inspect\`) $(elapsed "inspect$S") s, $(rss "inspect$S") MiB; every shard reads the whole file and keeps its own series" >>"$NOTES"
    # the plain fit
    t1=$(now)
    timed "single$S" "$XF" fit "$data" --time-format epoch $OPTS -q -o "$WORK/single$S.xfm"
    t2=$(now)
    wall=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", b - a }')
    echo "| $S | 1 (plain fit) | $(elapsed "single$S") s | - | - | $(rss "single$S") MiB | - | - | - | $wall s | - |" >>"$TABLE"
    # the forecasts compared: the first CHECK_MAX series (the file is
    # ordered by series)
    head -n $((CHECK_MAX * LENGTH + 1)) "$data" >"$WORK/check.csv"
    "$XF" forecast "$WORK/check.csv" --time-format epoch --head "$WORK/single$S.xfm" >"$WORK/fc_single$S.csv" ||
        die "forecast with the single fit failed"
    for N in $COUNTS; do
        [ "$N" -gt 1 ] || continue
        say "$S series, $N shards"
        i=0
        t1=$(now)
        while [ $i -lt "$N" ]; do
            echo "$i"
            i=$((i + 1))
        done | xargs -P "$JOBS" -I{} /usr/bin/time -v -o "$WORK/s${S}_${N}_{}.time" \
            "$XF" fit "$data" --time-format epoch $OPTS -q --shard "{}/$N" \
            --stats-out "$WORK/part${S}_${N}_{}.xfm" ||
            die "a shard failed ($S series, $N shards)"
        t2=$(now)
        phase=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", b - a }')
        sum=0 max=0 mem=0 psize=0
        i=0
        while [ $i -lt "$N" ]; do
            e=$(elapsed "s${S}_${N}_$i")
            m=$(rss "s${S}_${N}_$i")
            p=$(wc -c <"$WORK/part${S}_${N}_$i.xfm")
            sum=$(awk -v a="$sum" -v b="$e" 'BEGIN { printf "%.2f", a + b }')
            max=$(awk -v a="$max" -v b="$e" 'BEGIN { printf "%.2f", (b > a ? b : a) }')
            [ "$m" -gt "$mem" ] && mem=$m
            [ "$p" -gt "$psize" ] && psize=$p
            i=$((i + 1))
        done
        timed "merge${S}_$N" "$XF" fit --merge "$WORK/part${S}_${N}"_*.xfm -q -o "$WORK/merged${S}_$N.xfm"
        t3=$(now)
        total=$(awk -v a="$t1" -v b="$t3" 'BEGIN { printf "%.2f", b - a }')
        "$XF" forecast "$WORK/check.csv" --time-format epoch --head "$WORK/merged${S}_$N.xfm" >"$WORK/fc.csv" ||
            die "forecast with the merged head failed"
        if cmp -s "$WORK/fc.csv" "$WORK/fc_single$S.csv"; then same=yes; else same=NO; fi
        echo "| $S | $N | $phase s | $sum s | $max s | $mem MiB | $((psize / 1024)) KiB | $(elapsed "merge${S}_$N") s | $(rss "merge${S}_$N") MiB | $total s | $same |" >>"$TABLE"
        rm -f "$WORK/part${S}_${N}"_*.xfm
    done
    rm -f "$data"
done

SECT=$WORK/section.md
{
    echo '<!-- shard-fit:begin -->'
    echo '## Sharded head fits: one global head over many series in N parts'
    echo
    echo 'Written by `bench/run_shard.sh` (`make bench-shard`); rerun it to update this section.'
    echo
    echo "- Command: \`sh bench/run_shard.sh\` (series: $SERIES; $LENGTH values each; shards: $COUNTS; $JOBS at once); fit options \`$OPTS\`; shards: \`xfcast fit DATA.csv OPTIONS --shard I/N --stats-out PART.xfm\` under \`xargs -P $JOBS\`, then \`xfcast fit --merge PART... -o HEAD.xfm\`"
    echo "- Date: $DATE"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm); load average before: $LOAD0 (a machine shared with other jobs: wall times are upper bounds)"
    echo "- Software: ${XF_VER:-xfcast ?}, CFLAGS \`${MK_CFLAGS:-?}\`; run: $XF_HOW; total runtime $(($(date +%s) - T0)) s"
    echo "- Data: synthetic daily series (long CSV, epoch-second timestamps): level 50..146, weekly cycle of amplitude 2..14, trend, uniform noise; no encoders (the cost measured is the head's), lags 28, horizon 7, stride 1 (every origin), two candidates (seasonal baseline or none)"
    echo "- Times are elapsed seconds and memory the maximum resident set size from \`/usr/bin/time -v\`; \"shard phase, wall\" runs the N shards $JOBS at a time; \"forecasts = single fit\": \`xfcast forecast\` output of the merged head byte for byte equal to the plain fit's (the forecasts of the first $CHECK_MAX series: 10 significant digits, intervals included)"
    cat "$NOTES"
    echo
    cat "$TABLE"
    echo
    echo 'A shard'"'"'s memory is the CSV it reads (the whole file here: give each job its own file to bound that too) plus the statistics of its own series; the part holds per candidate two p x p statistics with their compensation and the held-out rows of its series (held twice while it is written), so its size falls with N. On this 2-core machine the shards do not beat one process: every shard re-reads the whole CSV (the read time above) and they share the 2 cores; what sharding buys is the memory per process falling with N and shards on other hosts. The merge holds the held-out rows of every part (the score and the interval residuals need them once the model is solved).'
    echo '<!-- shard-fit:end -->'
} >"$SECT"
results_replace shard-fit "$SECT" "$RESULTS"
say "wrote the shard-fit section of $RESULTS ($(($(date +%s) - T0)) s)"
