#!/bin/sh
# bench/run_hostile.sh - costs that must stay linear in hostile inputs
# (issue 12): generates and times
#   - a CSV of 200,000 value columns (3-character names, 3 rows, about
#     2 MB) through `xfcast inspect` (the header checks: were quadratic);
#   - an INI of 40,000 sources loaded by `xfcast retrain --dry-run --source`
#     naming one of them (the whole file is read and checked, one tiny
#     source is fitted, nothing is written);
#   - a file whose regular grid needs 1,000,000 gap values (1,001 rows
#     1,000 steps apart) through `xfcast inspect`, and a file whose 60 ids
#     with --freq 1s would need about 100 million: refused by the per-file
#     cap (--max-gap-fill) before anything is allocated; once more with the
#     cap raised to 30,000,000 on a 20,000,000-gap file.
# Each line gives the wall time and the peak RSS (GNU time when present).
# Rewrites the section between <!-- hostile:begin --> and <!-- hostile:end -->
# of bench/RESULTS.md, leaving the rest of the file alone.  Runs from the
# build directory (`make bench` runs it; `make bench-hostile` alone):
#
#     sh bench/run_hostile.sh
#
# Environment (all optional):
#   XF_HOSTILE_XFCAST  the xfcast program (default: .libs/xfcast behind the
#                      libtool wrapper, else $XF_BUILDDIR/xfcast)
#   XF_HOSTILE_COLS    columns of the wide file (default 200000)
#   XF_HOSTILE_SOURCES sources of the INI file (default 40000)
#   XF_BENCH_RESULTS   results file (default $XF_SRCDIR/bench/RESULTS.md)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu

PROG=bench/run_hostile.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
WORK=$BUILD/bench/work/hostile
COLS=${XF_HOSTILE_COLS:-200000}
SOURCES=${XF_HOSTILE_SOURCES:-40000}

die() {
    echo "$PROG: $*" >&2
    exit 1
}
say() { echo "$PROG: $*" >&2; }

for v in "$COLS" "$SOURCES"; do
    case $v in '' | *[!0-9]* | 0) die "XF_HOSTILE_COLS and XF_HOSTILE_SOURCES must be positive integers" ;; esac
done

# shellcheck disable=SC1091 source=bench/results.sh # (followed with shellcheck -x)
. "$SRC/bench/results.sh"
real_xfcast XF_HOSTILE_XFCAST
"$XF" --version >/dev/null 2>&1 || die "$XF does not run: run 'make' first (or set XF_HOSTILE_XFCAST)"
RESULTS=$(results_file "$PROG")
machine_facts
MK_CFLAGS=$(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)
XF_VER=$("$XF" --version 2>/dev/null | head -1)
GNU_TIME=
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' true >/dev/null 2>&1; then
    GNU_TIME=/usr/bin/time
fi
rm -rf "$WORK"
mkdir -p "$WORK"

T0=$(date +%s)
DATE=$(date -u)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
TABLE=$WORK/table.md
{
    echo '| input | command | exit | wall s | peak RSS MiB | outcome |'
    echo '|---|---|---:|---:|---:|---|'
} >"$TABLE"

# measure NAME INPUT-WORDS CMD...: runs CMD (stdout to NAME.out, stderr to
# NAME.err) and adds a table line: the exit status, wall seconds, peak RSS
# and the last line of stderr (or "ok").
measure() {
    _name=$1 _input=$2
    shift 2
    say "$_name: $*"
    _s=$(date +%s.%N)
    set +e
    if [ -n "$GNU_TIME" ]; then
        "$GNU_TIME" -o "$WORK/$_name.time" -f '%e %M' "$@" >"$WORK/$_name.out" 2>"$WORK/$_name.err"
    else
        "$@" >"$WORK/$_name.out" 2>"$WORK/$_name.err"
    fi
    _rc=$?
    set -e
    _e=$(date +%s.%N)
    if [ -n "$GNU_TIME" ] && [ -s "$WORK/$_name.time" ]; then
        # the last line: GNU time writes "Command exited with non-zero status N" first
        _wall=$(tail -1 "$WORK/$_name.time" | awk '{print $1}')
        _rss=$(tail -1 "$WORK/$_name.time" | awk '{printf "%.0f", $2 / 1024}')
    else
        _wall=$(awk -v a="$_s" -v b="$_e" 'BEGIN {printf "%.2f", b - a}')
        _rss='-'
    fi
    _out=$(grep -v '^xfcast [a-z]*: note:' "$WORK/$_name.err" | tail -1 | sed "s#$WORK/##g" |
        cut -c1-200 | sed 's/|/\\|/g')
    [ -n "$_out" ] || _out=ok
    # the command as a reader would type it: paths relative to the work folder
    _cmd=$(echo "xfcast $*" | sed "s#$XF ##; s#$WORK/##g")
    echo "| $_input | \`$_cmd\` | $_rc | $_wall | $_rss | $_out |" >>"$TABLE"
}

# --- a wide CSV: COLS value columns named by 3 base-62 characters
awk -v n="$COLS" 'BEGIN {
    a = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    printf "date"
    for (i = 0; i < n; i++)
        printf ",%s%s%s", substr(a, int(i / 3844) % 62 + 1, 1), substr(a, int(i / 62) % 62 + 1, 1),
            substr(a, i % 62 + 1, 1)
    printf "\n"
    for (d = 1; d <= 3; d++) {
        printf "2024-01-0%d", d
        for (i = 0; i < n; i++)
            printf ",%d", (i + d) % 10
        printf "\n"
    }
}' >"$WORK/wide.csv"
WIDE_MB=$(awk -v b="$(wc -c <"$WORK/wide.csv")" 'BEGIN {printf "%.1f", b / 1048576}')
measure wide "$COLS columns, 3 rows ($WIDE_MB MiB)" "$XF" inspect "$WORK/wide.csv" -q

# --- an INI of SOURCES sources, all on one tiny CSV
awk 'BEGIN {
    print "date,v"
    for (i = 0; i < 120; i++) {
        t = 1704067200 + i * 86400
        printf "%d,%.3f\n", t, 10 + 3 * sin(i * 6.2832 / 7) + 0.01 * i
    }
}' >"$WORK/tiny.csv"
awk -v n="$SOURCES" 'BEGIN {
    print "[defaults]"
    print "csv = tiny.csv"
    print "time-format = epoch"
    print "time-col = date"
    print "encoder = none"
    print "horizon = 2"
    print "holdout = 10"
    for (i = 0; i < n; i++)
        printf "\n[source-%06d]\ntarget = v\n", i
}' >"$WORK/sources.conf"
mkdir -p "$WORK/store"
measure ini "$SOURCES sources" "$XF" retrain --config "$WORK/sources.conf" --store "$WORK/store" \
    --source source-000000 --dry-run

# --- gaps: 1,001 rows 1,000 steps apart (1,000,000 gap values)
awk 'BEGIN {print "date,v"; for (i = 0; i <= 1000; i++) printf "%d,%d\n", 1704067200 + i * 1000, i % 7}' \
    >"$WORK/gaps1m.csv"
measure gaps1m "1,000,000 gap values" "$XF" inspect "$WORK/gaps1m.csv" --time-format epoch --freq 1s -q
# 60 ids, 3 daily rows each, read at one second: about 1.7 million gap
# values per id, 100 million in all
awk 'BEGIN {print "id,date,v"; for (k = 0; k < 60; k++) for (d = 0; d < 3; d++) printf "s%d,2024-01-%02d,%d\n", k, 1 + 10 * d, d}' \
    >"$WORK/ids.csv"
measure ids60 "60 ids x 3 rows, --freq 1s" "$XF" inspect "$WORK/ids.csv" --freq 1s -q
# 20,000,000 gap values with the cap raised
awk 'BEGIN {print "date,v"; for (i = 0; i <= 20; i++) printf "%d,%d\n", 1704067200 + i * 1000000, i % 7}' \
    >"$WORK/gaps20m.csv"
measure gaps20m "20,000,000 gap values, cap raised" "$XF" inspect "$WORK/gaps20m.csv" --time-format epoch \
    --freq 1s --max-gap-fill 30000000 -q

SECT=$WORK/section.md
{
    echo '<!-- hostile:begin -->'
    echo '## Hostile inputs: costs linear in the input'
    echo
    echo 'Written by `bench/run_hostile.sh` (`make bench-hostile`, also part of `make bench`); rerun it to update this section.'
    echo
    echo "- Command: \`sh bench/run_hostile.sh\` ($COLS columns, $SOURCES sources); each line below is one run"
    echo "- Date: $DATE"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm); load average before: $LOAD0"
    echo "- Software: ${XF_VER:-xfcast ?}, CFLAGS \`${MK_CFLAGS:-?}\`; run: $XF_HOW; total runtime $(($(date +%s) - T0)) s; peak RSS: $([ -n "$GNU_TIME" ] && echo "GNU time" || echo "not measured (no GNU time)")"
    echo '- Before issue 12: the 200,000-column file took 97 s (header checks quadratic in the columns), 40,000 sources 44 s (INI loading quadratic), and the 60-id file needed more than 8 GB (the gap cap was per series).'
    echo
    cat "$TABLE"
    echo '<!-- hostile:end -->'
} >"$SECT"
results_replace hostile "$SECT" "$RESULTS"
say "wrote the hostile-inputs section of $RESULTS ($(($(date +%s) - T0)) s)"
