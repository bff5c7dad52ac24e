#!/bin/sh
# bench/run.sh - CSV read benchmark: xfcast's xf_dataset_read_csv against
# pandas.read_csv on one generated ~100 MB numeric CSV.  Run by `make bench`,
# which sets XF_BUILDDIR (programs, bench/work/) and XF_SRCDIR (scripts,
# bench/RESULTS.md); works from a VPATH build directory.
#
# Steps: generate bench/work/xf-bench-<MB>MB.csv with bench/gen_csv (reused
# when present and unchanged), then RUNS rounds of: bench/bench_csv,
# pandas.read_csv(path) and pandas.read_csv(path, parse_dates=["timestamp"]),
# each a fresh process so that every peak RSS belongs to one read.  Keeps
# each reader's best time (and that run's RSS) and rewrites the section
# between <!-- csv-read:begin --> and <!-- csv-read:end --> of
# bench/RESULTS.md, leaving the rest of the file alone.
#
# Environment (all optional):
#   XF_BENCH_MB       size of the generated file in 10^6 bytes (default 100)
#   XF_BENCH_RUNS     runs per reader (default 3)
#   XF_BENCH_PYTHON   interpreter with pandas (default /usr/bin/python3)
#   XF_BENCH_RESULTS  results file (default $XF_SRCDIR/bench/RESULTS.md,
#                     or $XF_BUILDDIR/bench/RESULTS.md if that is read-only)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu

SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
MB=${XF_BENCH_MB:-100}
RUNS=${XF_BENCH_RUNS:-3}
PY=${XF_BENCH_PYTHON:-/usr/bin/python3}

BENCH_CSV=$BUILD/bench/bench_csv
GEN_CSV=$BUILD/bench/gen_csv
BENCH_PY=$SRC/bench/bench_pandas.py
WORK=$BUILD/bench/work
CSV_NAME=xf-bench-${MB}MB.csv
CSV=$WORK/$CSV_NAME
INFO=$CSV.info

die() {
    echo "bench/run.sh: $*" >&2
    exit 1
}

for p in "$BENCH_CSV" "$GEN_CSV"; do
    [ -x "$p" ] || die "$p is missing: run 'make bench' (it builds the programs first)"
done
[ -f "$BENCH_PY" ] || die "$BENCH_PY is missing"
case $RUNS in '' | *[!0-9]* | 0) die "XF_BENCH_RUNS must be a positive integer" ;; esac

# ------------------------------------------------------------ the results file
. "$SRC/bench/results.sh"
RESULTS=$(results_file bench/run.sh)

# ------------------------------------------------------------ the input file
mkdir -p "$WORK"
gen_id="gen_cksum=$(cksum <"$SRC/bench/gen_csv.c" | awk '{print $1 "-" $2}') mb=$MB"
file_size() { wc -c <"$1" | tr -d ' '; }
info_get() { tr ' ' '\n' <"$INFO" | sed -n "s/^$1=//p"; }

reuse=0
if [ -f "$CSV" ] && [ -f "$INFO" ] && [ "$(sed -n 1p "$INFO")" = "$gen_id" ] &&
    [ "$(file_size "$CSV")" = "$(sed -n 2p "$INFO" | tr ' ' '\n' | sed -n 's/^bytes=//p')" ]; then
    reuse=1
fi
if [ $reuse = 1 ]; then
    echo "bench: reusing $CSV"
else
    echo "bench: generating $CSV ($MB MB)"
    rm -f "$CSV" "$INFO"
    gen_out=$("$GEN_CSV" -s "$MB" "$CSV.tmp") || die "bench/gen_csv failed"
    mv "$CSV.tmp" "$CSV"
    printf '%s\n%s\n' "$gen_id" "$gen_out" >"$INFO"
fi
ROWS=$(sed -n 2p "$INFO" | tr ' ' '\n' | sed -n 's/^rows=//p')
BYTES=$(file_size "$CSV")
# read the file once so that every run finds it in the page cache
cat "$CSV" >/dev/null

# ------------------------------------------------------------ the machine
NPROC=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
CPU=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
[ -n "$CPU" ] || CPU=$(uname -m)
MEM_G=$(free -g 2>/dev/null | awk '/^Mem:/ {print $2}' || true)
[ -n "$MEM_G" ] || MEM_G='?'
OS=$(uname -srm)
DATE=$(date -u)
XF_VER=$("$BUILD/xfcast" --version 2>/dev/null | sed -n '1p' || true)
CSV_VER=$("$BUILD/xfcast" --version 2>/dev/null | sed -n 's/^libcsv /libcsv /p' || true)
MK_CFLAGS=$(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)
MK_SAN=$(sed -n 's/^XF_SAN_CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)

case $PY in */*) ;; *) PY=$(command -v "$PY" 2>/dev/null || echo "$PY") ;; esac
if [ -x "$PY" ] && PD_VER=$("$PY" "$BENCH_PY" --probe 2>/dev/null); then
    HAVE_PANDAS=1
    PD_VER="$(echo "$PD_VER" | sed 's/=/ /g; s/ numpy/, numpy/; s/ python /, Python /') ($PY)"
else
    HAVE_PANDAS=0
    PD_VER="pandas not installed for $PY"
    echo "bench: pandas not installed for $PY: skipping the pandas runs" >&2
fi

# ------------------------------------------------------------ the runs
LOG=$WORK/csv-read-runs.txt
: >"$LOG"
i=1
while [ "$i" -le "$RUNS" ]; do
    echo "bench: round $i of $RUNS"
    line=$("$BENCH_CSV" "$CSV") || die "bench/bench_csv failed on $CSV"
    echo "  $line"
    echo "$line" >>"$LOG"
    if [ $HAVE_PANDAS = 1 ]; then
        for mode in "" --parse-dates; do
            # $mode is unquoted on purpose: empty means no argument
            line=$("$PY" "$BENCH_PY" $mode "$CSV") || die "bench_pandas.py $mode failed on $CSV"
            echo "  $line"
            echo "$line" >>"$LOG"
        done
    fi
    i=$((i + 1))
done
if [ $HAVE_PANDAS = 0 ]; then
    echo "reader=pandas skipped=1" >>"$LOG"
    echo "reader=pandas_parse_dates skipped=1" >>"$LOG"
fi

# ------------------------------------------------------------ the section
SECTION=$WORK/csv-read-section.md
{
    echo '<!-- csv-read:begin -->'
    echo '## CSV read: xfcast vs pandas.read_csv'
    echo
    echo 'Written by `bench/run.sh`; rerun `make bench` to update this section.'
    echo
    echo '- Command: `make bench` (best of '"$RUNS"' runs per reader, each run a fresh process, runs interleaved)'
    echo "- Date: $DATE"
    echo "- Machine: $NPROC CPUs (nproc), $CPU, $MEM_G GiB RAM (free -g); $OS"
    echo "- Software: ${XF_VER:-xfcast ?}${CSV_VER:+ ($CSV_VER)}, CFLAGS \`${MK_CFLAGS:-?}\`${MK_SAN:+, sanitizers \`$MK_SAN\` (times not representative)}; $PD_VER"
    echo "- File: \`bench/work/$CSV_NAME\` from \`bench/gen_csv -s $MB\`: $BYTES bytes, $ROWS rows; hourly ISO-8601 timestamps and 8 float columns; in the page cache"
    echo
    awk -v bytes="$BYTES" -v runs="$RUNS" '
    function kv(line, key,    n, a, i, p) {
        n = split(line, a, " ")
        for (i = 1; i <= n; i++) {
            p = index(a[i], "=")
            if (p > 0 && substr(a[i], 1, p - 1) == key)
                return substr(a[i], p + 1)
        }
        return ""
    }
    function mb(kb) { return kb * 1024 / 1e6 }
    {
        r = kv($0, "reader")
        if (kv($0, "skipped") != "") { skipped[r] = 1; next }
        w = kv($0, "wall_s") + 0
        times[r] = times[r] (times[r] == "" ? "" : ", ") sprintf("%.3f", w)
        if (!(r in best) || w < best[r]) {
            best[r] = w
            peak[r] = kv($0, "rss_peak_kb")
            base[r] = kv($0, "rss_base_kb")
            sum[r] = kv($0, "checksum")
            rows[r] = kv($0, "rows")
            vals[r] = kv($0, "values")
            freq[r] = kv($0, "freq")
        }
    }
    END {
        n = split("xfcast pandas pandas_parse_dates", order, " ")
        label["xfcast"] = "xfcast `xf_dataset_read_csv` (default options)"
        label["pandas"] = "pandas `read_csv(path)`"
        label["pandas_parse_dates"] = "pandas `read_csv(path, parse_dates=[\"timestamp\"])`"
        print "| reader | best wall time (s) | throughput MB/s | peak RSS MB | RSS increment MB | checksum |"
        print "|---|---:|---:|---:|---:|---:|"
        for (k = 1; k <= n; k++) {
            r = order[k]
            if (r in best)
                printf "| %s | %.3f | %.1f | %.1f | %.1f | %s |\n", label[r], best[r],
                       bytes / 1e6 / best[r], mb(peak[r]), mb(peak[r] - base[r]), sum[r]
            else
                printf "| %s | %s | | | | |\n", label[r],
                       (r in skipped) ? "pandas not installed" : "not run"
        }
        print ""
        line = "All runs (s):"
        for (k = 1; k <= n; k++)
            if (order[k] in times)
                line = line sprintf(" %s %s;", order[k], times[order[k]])
        sub(/;$/, ".", line)
        print line
        print ""
        print "Wall time: the read call alone, in-process (CLOCK_MONOTONIC / time.perf_counter), " \
              "without process start-up or `import pandas`. Peak RSS: the process high-water mark " \
              "(getrusage ru_maxrss) right after the read, data still in memory, of the best run; " \
              "RSS increment: that minus the high-water mark just before the read (for pandas, after " \
              "`import pandas`). MB = 10^6 bytes. Checksum: sum of all values of all numeric " \
              "columns (xfcast: compensated sum; pandas: math.fsum)."
        print ""
        x = "xfcast"; p = "pandas_parse_dates"; q = "pandas"
        if (!(x in best)) {
            print "**Verdict:** not judged: xfcast did not run."
            exit 0
        }
        if (!(p in best)) {
            print "**Verdict:** not judged: pandas not installed (xfcast alone: " \
                  sprintf("%.3f s, peak RSS %.1f MB).", best[x], mb(peak[x]))
            exit 0
        }
        fast = best[x] <= best[p] && (!(q in best) || best[x] <= best[q])
        lean = peak[x] + 0 < peak[p] + 0 && (!(q in best) || peak[x] + 0 < peak[q] + 0)
        agree = 1
        for (k = 2; k <= n; k++) {
            r = order[k]
            if (!(r in best))
                continue
            d = sum[r] - sum[x]; if (d < 0) d = -d
            a = sum[x] + 0; if (a < 0) a = -a
            if (d > 1e-12 * a || rows[r] != rows[x] || vals[r] != vals[x])
                agree = 0
        }
        v = (fast && lean) ? "goal MET" : "goal NOT MET"
        why = ""
        if (!fast) why = why " slower than pandas;"
        if (!lean) why = why " peak memory not lower than pandas;"
        if (!agree) why = why " RESULTS DIFFER from pandas (checksum, rows or value count);"
        sub(/;$/, "", why)
        printf "**Verdict:** %s (at least as fast as pandas, with lower peak memory)%s: " \
               "xfcast %.3f s vs %.3f s for pandas with parse_dates (%.2fx as fast; plain read_csv %s), " \
               "peak RSS %.1f MB vs %.1f MB (%.2fx; plain read_csv %s); %s.\n",
               v, (why == "" ? "" : " -" why), best[x], best[p], best[p] / best[x],
               (q in best) ? sprintf("%.3f s", best[q]) : "not run",
               mb(peak[x]), mb(peak[p]), peak[x] / peak[p],
               (q in best) ? sprintf("%.1f MB", mb(peak[q])) : "not run",
               agree ? "checksums, rows and value counts agree" : "checksums, rows or value counts DIFFER"
        if (freq[x] != "")
            printf "\nxfcast read %s rows x %s values and inferred frequency %s.\n", rows[x], vals[x] / rows[x], freq[x]
    }' "$LOG"
    echo '<!-- csv-read:end -->'
} >"$SECTION"

# ------------------------------------------------------------ the results file
results_replace csv-read "$SECTION" "$RESULTS"

echo
sed -n '/^| reader/,/^All runs/p; /^\*\*Verdict/p' "$SECTION"
echo "bench: wrote $RESULTS"
