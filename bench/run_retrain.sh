#!/bin/sh
# bench/run_retrain.sh - nightly retraining at scale: `xfcast retrain --jobs 2`
# on 100 data sources of 10,000 hourly values each (synthetic load-like
# series), first run (every source fitted), then after 24 rows were appended
# to every CSV (exact incremental updates), then once more with nothing new;
# wall time and peak RSS of each run.  Rewrites the section between
# <!-- retrain:begin --> and <!-- retrain:end --> of bench/RESULTS.md,
# leaving the rest of the file alone.  Also runs by hand from the top
# directory:
#
#     sh bench/run_retrain.sh
#     XF_RETRAIN_QUICK=1 sh bench/run_retrain.sh     # 10 sources x 2000 rows
#
# Two variants, each on its own copy of the data and its own store:
#   default        the INI gives no `encoder` key: both shipped encoders
#                  (gru-base, tcn-base)
#   encoder none   `encoder = none` in [defaults]: ridge on lags and calendar
# Every run is a fresh process, timed with /usr/bin/time -f "%e %M" (GNU
# time: wall seconds and peak RSS) when it is there, else with `date`
# (no RSS).  Goal: the incremental run (24 new rows per source) of the
# default variant under 10 s.
#
# Environment (all optional):
#   XF_RETRAIN_QUICK    1: 10 sources x 2000 rows (a quick check)
#   XF_RETRAIN_SOURCES  number of sources (default 100; quick 10)
#   XF_RETRAIN_ROWS     hourly rows per source before the append (default
#                       10000; quick 2000)
#   XF_RETRAIN_JOBS     --jobs (default 2)
#   XF_RETRAIN_XFCAST   the xfcast program to time (default: .libs/xfcast
#                       behind the libtool wrapper, else $XF_BUILDDIR/xfcast)
#   XF_RETRAIN_NOTE     a line of text to put in the section
#   XF_BENCH_RESULTS    results file (default $XF_SRCDIR/bench/RESULTS.md, or
#                       $XF_BUILDDIR/bench/RESULTS.md if that is read-only)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu

PROG=bench/run_retrain.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
WORK=$BUILD/bench/work/retrain
QUICK=${XF_RETRAIN_QUICK:-0}
if [ "$QUICK" = 1 ]; then
    N_SRC=${XF_RETRAIN_SOURCES:-10}
    ROWS=${XF_RETRAIN_ROWS:-2000}
else
    N_SRC=${XF_RETRAIN_SOURCES:-100}
    ROWS=${XF_RETRAIN_ROWS:-10000}
fi
JOBS=${XF_RETRAIN_JOBS:-2}
APPEND=24
GOAL_S=10

die() {
    echo "$PROG: $*" >&2
    exit 1
}
say() { echo "$PROG: $*" >&2; }

for v in "$N_SRC" "$ROWS" "$JOBS"; do
    case $v in '' | *[!0-9]* | 0) die "XF_RETRAIN_SOURCES, XF_RETRAIN_ROWS and XF_RETRAIN_JOBS must be positive integers" ;; esac
done
[ "$ROWS" -ge 500 ] || die "XF_RETRAIN_ROWS must be at least 500 (lags and holdout need them)"

# ------------------------------------------------------------ the program
# the real program, not a libtool wrapper script (bench/results.sh)
# shellcheck disable=SC1091 source=bench/results.sh # (followed with shellcheck -x)
. "$SRC/bench/results.sh"
real_xfcast XF_RETRAIN_XFCAST
"$XF" --version >/dev/null 2>&1 || die "$XF does not run: run 'make' first (or set XF_RETRAIN_XFCAST)"

# ------------------------------------------------------------ the clock
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
    TIMER="GNU time (\`/usr/bin/time -f \"%e %M\"\`: elapsed wall seconds, peak RSS)"
    HAVE_GTIME=1
else
    TIMER='`date +%s%N` before and after (no /usr/bin/time: peak RSS not measured)'
    HAVE_GTIME=0
fi
now_ns() { date +%s%N; }

# ------------------------------------------------------------ the results file
RESULTS=$(results_file "$PROG")

# ------------------------------------------------------------ the machine
machine_facts
OS=$(uname -srm)
DATE=$(date -u)
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }
LOAD0=$(load)
XF_VER=$("$XF" --version 2>/dev/null | head -1 || true)
BLAS=$("$XF" --version 2>/dev/null | sed -n 's/^BLAS //p' | head -1 || true)
MK_CFLAGS=$(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)
MK_SAN=$(sed -n 's/^XF_SAN_CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)
CMD="sh bench/run_retrain.sh"
for v in XF_RETRAIN_QUICK XF_RETRAIN_SOURCES XF_RETRAIN_ROWS XF_RETRAIN_JOBS XF_RETRAIN_XFCAST; do
    eval "val=\${$v:-}"
    # shellcheck disable=SC2154 # val is set by the eval
    [ -z "$val" ] || CMD="$v='$val' $CMD"
done

# ------------------------------------------------------------ the data
# One awk writes every CSV: hourly from 2024-01-01, per source a level,
# a trend, daily and weekly cycles of their own shape and phase, AR(1) noise
# from a portable LCG (the same values with every awk).  rows FROM..TO-1;
# the header when FROM is 0.
gen_data() { # DIR FROM TO
    awk -v dir="$1" -v from="$2" -v to="$3" -v n="$N_SRC" 'BEGIN {
        t0 = 1704067200; pi2 = 6.283185307
        for (k = 0; k < n; k++) {
            f = sprintf("%s/src%03d.csv", dir, k)
            s = 7919 * (k + 1)
            level = 50 + (k * 37) % 450; trend = ((k * 13) % 11 - 5) * level * 1e-6
            amp_d = 0.15 + (k % 7) * 0.04; amp_w = 0.05 + (k % 5) * 0.03
            ph = (k % 24) / 24; sd = 0.02 + (k % 4) * 0.01; e = 0
            if (from == 0) print "timestamp,load" > f
            for (i = 0; i < to; i++) {
                s = (s * 1103515245 + 12345) % 2147483648
                u = s / 2147483648 - 0.5
                e = 0.7 * e + u
                if (i < from) continue
                h = (i % 24) / 24; d = int(i / 24) % 7
                daily = sin(pi2 * (h + ph)) + 0.5 * sin(2 * pi2 * (h + ph))
                weekly = (d >= 5) ? -1 : 0.2 * sin(pi2 * d / 7)
                y = level * (1 + amp_d * daily + amp_w * weekly + sd * e) + trend * level * i
                line = sprintf("%s,%.3f", strftime("%Y-%m-%dT%H:%M:%S", t0 + 3600 * i, 1), y)
                if (from == 0) print line > f; else print line >> f
            }
            close(f)
        } }'
}

# write_ini FILE ENCODER_LINE: one section per source
write_ini() {
    {
        echo "# $N_SRC sources for $PROG"
        echo "[defaults]"
        echo "horizon = 24"
        echo "target = load"
        echo "domain = energy"
        echo "keep = 3"
        [ -z "$2" ] || echo "$2"
        k=0
        while [ $k -lt "$N_SRC" ]; do
            printf '[src%03d]\ncsv = data/src%03d.csv\n' $k $k
            k=$((k + 1))
        done
    } >"$1"
}

rm -rf "$WORK"
mkdir -p "$WORK/data"
say "generating $N_SRC sources x $ROWS hourly rows in $WORK/data"
t_gen=$(now_ns)
gen_data "$WORK/data" 0 "$ROWS"
[ -s "$WORK/data/src000.csv" ] || die "the data generator wrote nothing (does awk have strftime?)"
GEN_S=$(awk -v a="$t_gen" -v b="$(now_ns)" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
DATA_MB=$(du -sk "$WORK/data" | awk '{printf "%.1f", $1 * 1024 / 1e6}')

# ------------------------------------------------------------ the runs
ROWS_TSV=$WORK/runs.tsv
: >"$ROWS_TSV"
# timed_run VARIANT RUN ROWS_PER_SOURCE: one `xfcast retrain` in $WORK/VARIANT,
# a row in runs.tsv: variant, run, rows, wall s, peak RSS MB, exit, outcomes
timed_run() {
    _d=$WORK/$1
    _log=$_d/$2.log
    rm -f "$_log"
    say "$1: $2 ($N_SRC sources x $3 rows, --jobs $JOBS)"
    _rc=0
    if [ $HAVE_GTIME = 1 ]; then
        /usr/bin/time -f '%e %M' -o "$_d/$2.time" "$XF" retrain --config "$_d/sources.conf" \
            --store "$_d/store" --jobs "$JOBS" --log "$_log" 2>"$_d/$2.err" || _rc=$?
        _wall=$(awk 'END {printf "%.2f", $(NF - 1)}' "$_d/$2.time")
        _rss=$(awk 'END {printf "%.1f", $NF * 1024 / 1e6}' "$_d/$2.time")
    else
        _t=$(now_ns)
        "$XF" retrain --config "$_d/sources.conf" --store "$_d/store" --jobs "$JOBS" \
            --log "$_log" 2>"$_d/$2.err" || _rc=$?
        _wall=$(awk -v a="$_t" -v b="$(now_ns)" 'BEGIN {printf "%.2f", (b - a) / 1e9}')
        _rss='n/a'
    fi
    [ $_rc = 0 ] || { say "$1 $2: exit status $_rc:"; tail -n 5 "$_d/$2.err" >&2; }
    # outcomes from the log: "100 promoted", "90 updated, 10 failed"
    _out=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /^outcome=/) c[substr($i, 9)]++}
        END {s = ""; for (o in c) s = s (s == "" ? "" : ", ") c[o] " " o; print (s == "" ? "none logged" : s)}' \
        "$_log" 2>/dev/null || echo 'none logged')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$_wall" "$_rss" "$_rc" "$_out" >>"$ROWS_TSV"
    say "  $_wall s, peak RSS $_rss MB, exit $_rc: $_out"
}

run_variant() { # VARIANT ENCODER_LINE
    _d=$WORK/$1
    mkdir -p "$_d"
    cp -R "$WORK/data" "$_d/data"
    write_ini "$_d/sources.conf" "$2"
    timed_run "$1" first "$ROWS"
    gen_data "$_d/data" "$ROWS" $((ROWS + APPEND))
    timed_run "$1" incremental $((ROWS + APPEND))
    timed_run "$1" unchanged $((ROWS + APPEND))
    # what the champions hold (`xfcast info`): embeddings kept by how many
    _emb=0 _feat=''
    for _e in "$_d"/store/src*; do
        _f=$_e/v$(cat "$_e/CURRENT" 2>/dev/null).xfm
        _i=$("$XF" info "$_f" 2>/dev/null | awk '$1 == "head.n_encoders" {e = $3} $1 == "head.n_features" {p = $3}
            $1 ~ /^encoder\.[0-9]+\.name$/ {gsub(/"/, "", $3); n = n (n == "" ? "" : " + ") $3}
            END {printf "%s\t%s\t%s", e + 0, p, (n == "" ? "none" : n)}')
        [ "$(echo "$_i" | cut -f1)" = 0 ] || _emb=$((_emb + 1))
        _feat="$_feat$(echo "$_i" | cut -f2) "
    done
    _fr=$(echo "$_feat" | tr ' ' '\n' | awk 'NF {if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1}
        END {print (min == max) ? min : min "-" max}')
    _kb=$(du -sk "$_d/store" | awk '{print $1}')
    printf '%s\t%s\t%s\t%s\n' "$1" "$_emb" "$_fr" "$_kb" >>"$WORK/variants.tsv"
}

: >"$WORK/variants.tsv"
t_all=$(now_ns)
run_variant default ''
run_variant none 'encoder = none'
TOTAL_S=$(awk -v a="$t_all" -v b="$(now_ns)" 'BEGIN {printf "%.0f", (b - a) / 1e9}')
LOAD1=$(load)

# ------------------------------------------------------------ the section
SECTION=$WORK/retrain-section.md
goal() { # WALL EXIT
    if [ "$2" != 0 ]; then echo "NOT met (exit status $2)"
    elif awk -v w="$1" -v g=$GOAL_S 'BEGIN {exit !(w < g)}'; then echo met
    else echo 'NOT met'; fi
}
{
    echo '<!-- retrain:begin -->'
    echo "## Retrain: $N_SRC sources nightly (\`xfcast retrain\`)"
    echo
    echo 'Written by `bench/run_retrain.sh`; rerun it (`sh bench/run_retrain.sh` from the build directory) to update this section.'
    echo
    if [ "$QUICK" = 1 ]; then
        echo "**Quick run (XF_RETRAIN_QUICK=1): $N_SRC sources x $ROWS rows, not the full benchmark.**"
        echo
    fi
    [ -z "${XF_RETRAIN_NOTE:-}" ] || { echo "**$XF_RETRAIN_NOTE**"; echo; }
    echo "- Command: \`$CMD\`; each run: \`xfcast retrain --config sources.conf --store store --jobs $JOBS --log RUN.log\`"
    echo "- Date: $DATE"
    echo "- Machine: $NPROC CPUs (nproc), $CPU, $MEM_G GiB RAM (free -g); $OS; load average (1/5/15 min) before: $LOAD0; after: $LOAD1"
    echo "- Software: ${XF_VER:-xfcast ?} (BLAS ${BLAS:-?}), CFLAGS \`${MK_CFLAGS:-?}\`${MK_SAN:+, sanitizers \`$MK_SAN\` (times not representative)}; timed: $XF_HOW"
    echo "- Timing: $TIMER; every run a fresh process; MB = 10^6 bytes; total runtime $TOTAL_S s"
    echo "- Data: $N_SRC sources, one CSV each (\`timestamp,load\`), $ROWS hourly values from 2024-01-01 ($DATA_MB MB in all, generated in $GEN_S s): level 50-500, a small trend, daily and weekly cycles of varying shape, phase and amplitude, AR(1) noise; then $APPEND rows appended to every CSV"
    echo "- Sources file: \`[defaults]\` horizon = 24, target = load, domain = energy, keep = 3 (holdout, tolerance: defaults, 96 values and 2%); one \`[srcNNN]\` section per source; variant *default*: no \`encoder\` key (both shipped encoders, gru-base and tcn-base); variant *encoder none*: \`encoder = none\`"
    echo
    echo "| run | sources | rows per source | wall s | peak RSS MB | outcomes | goal: incremental < $GOAL_S s |"
    echo "|---|---:|---:|---:|---:|---|---|"
    while IFS="$(printf '\t')" read -r var run rows wall rss rc outc; do
        case $var in default) vname=default ;; *) vname='encoder none' ;; esac
        case $run in
        first) rname='first run (every source fitted)' ;;
        incremental) rname="after +$APPEND rows per source (incremental)" ;;
        *) rname='no new data' ;;
        esac
        [ "$rc" = 0 ] || outc="$outc; exit status $rc"
        g='-'
        [ "$run" != incremental ] || g=$(goal "$wall" "$rc")
        echo "| $vname: $rname | $N_SRC | $rows | $wall | $rss | $outc | $g |"
    done <"$ROWS_TSV"
    echo
    while IFS="$(printf '\t')" read -r var emb feat kb; do
        case $var in default) vname=default ;; *) vname='encoder none' ;; esac
        echo "- Variant $vname: champions with encoder embeddings (the fit keeps them only when they help on its validation part): $emb of $N_SRC; features per head: $feat; store $(awk -v k="$kb" 'BEGIN {printf "%.1f", k * 1024 / 1e6}') MB after the three runs (keep = 3)"
    done <"$WORK/variants.tsv"
    echo
    _inc=$(awk -F'\t' '$1 == "default" && $2 == "incremental" {print $4 "\t" $6}' "$ROWS_TSV")
    _g=$(goal "$(echo "$_inc" | cut -f1)" "$(echo "$_inc" | cut -f2)")
    echo "**Verdict:** incremental nightly run of $N_SRC sources (+$APPEND rows each, default encoders, --jobs $JOBS) under $GOAL_S s: $_g ($(echo "$_inc" | cut -f1) s)."
    echo '<!-- retrain:end -->'
} >"$SECTION"

results_replace retrain "$SECTION" "$RESULTS"
sed -n '/^\*\*Verdict/p' "$SECTION" >&2
say "wrote $RESULTS (section 'retrain'; files in $WORK)"
