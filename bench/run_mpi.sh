#!/bin/sh
# bench/run_mpi.sh - data-parallel pretraining (`xfcast pretrain` as an MPI
# job, a build configured --with-mpi): training windows per second for 1 and
# 2 processes, each with 1 or 2 worker threads, on encoders of the shipped
# models' shapes (gru-base: GRU 1 x 64, batch 64; tcn-base: TCN 32 x 9 with
# its 512 backcast outputs, batch 64 here), and the gradient bytes each step
# exchanges (from the parameter counts of models/*.xfm).  Rewrites the
# section between <!-- mpi:begin --> and <!-- mpi:end --> of
# bench/RESULTS.md, leaving the rest of the file alone.  Runs from the build
# directory (`make bench-mpi`):
#
#     sh bench/run_mpi.sh
#
# Environment (all optional):
#   XF_MPI_STEPS    optimiser steps per run (default 40)
#   XF_MPI_REPEAT   runs of each configuration, the best kept (default 3)
#   XF_MPI_XFCAST   the xfcast program (default: .libs/xfcast behind the
#                   libtool wrapper, else $XF_BUILDDIR/xfcast)
#   XF_MPIRUN       the launcher (default: mpirun, else mpiexec)
#   XF_BENCH_RESULTS  results file (default $XF_SRCDIR/bench/RESULTS.md)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu

PROG=bench/run_mpi.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
WORK=$BUILD/bench/work/mpi
STEPS=${XF_MPI_STEPS:-40}
REPEAT=${XF_MPI_REPEAT:-3}

die() {
    echo "$PROG: $*" >&2
    exit 1
}
for v in "$STEPS" "$REPEAT"; do
    case $v in '' | *[!0-9]* | 0) die "XF_MPI_STEPS and XF_MPI_REPEAT must be positive integers" ;; esac
done

# shellcheck disable=SC1091 source=bench/results.sh # (followed with shellcheck -x)
. "$SRC/bench/results.sh"
real_xfcast XF_MPI_XFCAST
"$XF" --version 2>/dev/null | grep -q '^MPI ' ||
    die "$XF is not built for MPI jobs: ./configure --with-mpi (sh tools/install-deps.sh --mpi), make"
MPIRUN=${XF_MPIRUN:-$(command -v mpirun || command -v mpiexec || true)}
[ -n "$MPIRUN" ] || die "no mpirun or mpiexec on the PATH"
if "$MPIRUN" --version 2>&1 | grep -q "Open MPI"; then
    MPIRUN="$MPIRUN --oversubscribe --bind-to none"
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export OMPI_MCA_btl_vader_single_copy_mechanism=none
fi
RESULTS=$(results_file "$PROG")
machine_facts
XF_VER=$("$XF" --version 2>/dev/null | head -1)
MPI_VER=$("$XF" --version 2>/dev/null | sed -n 's/^MPI \(.*\) (.*/\1/p')
rm -rf "$WORK"
mkdir -p "$WORK"

GRU="--arch gru --context 512 --hidden 64 --horizon 64 --batch 64"
TCN="--arch tcn --context 512 --channels 32 --blocks 9 --kernel 3 --horizon 64 --backcast 512 --batch 64"
COMMON="--steps $STEPS --warmup 10 --valid 32 --eval-every 100000 --progress --no-progress"

# wps NAME PROCS THREADS ARGS...: windows per second of one run (process
# 0's own count: windows of the run / its wall time), and the wall time of
# the whole command
wps() {
    _n=$1 _p=$2 _t=$3
    shift 3
    _t0=$(date +%s.%N)
    if [ "$_p" = 1 ]; then
        # shellcheck disable=SC2086
        "$XF" pretrain "$@" $COMMON --progress --threads "$_t" -o "$WORK/$_n.xfm" 2>"$WORK/$_n.err"
    else
        # shellcheck disable=SC2086
        $MPIRUN -np "$_p" "$XF" pretrain "$@" $COMMON --progress --threads "$_t" \
            -o "$WORK/$_n.xfm" 2>"$WORK/$_n.err"
    fi
    _t1=$(date +%s.%N)
    awk -v t0="$_t0" -v t1="$_t1" '/windows\/s/ { for (i = 2; i <= NF; i++) if ($i == "windows/s") w = $(i - 1) }
        END { printf "%s %.1f\n", w, t1 - t0 }' "$WORK/$_n.err"
}

TABLE=$WORK/table.md
{
    echo '| encoder (shape) | processes x threads | windows/s (best) | every run | wall s of the best (whole command) | weights = 1 process |'
    echo '|---|---|---:|---|---:|---|'
} >"$TABLE"
DATE=$(date -u)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
# REPEAT rounds over every configuration (interleaved, so that a burst of
# load on the shared machine hits one run, not one configuration); each
# configuration's best run is kept
i=1
while [ "$i" -le "$REPEAT" ]; do
    for enc in gru tcn; do
        if [ $enc = gru ]; then ARGS=$GRU; else ARGS=$TCN; fi
        for pt in "1 1" "1 2" "2 1" "2 2"; do
            # shellcheck disable=SC2086
            set -- $pt
            # shellcheck disable=SC2086
            wps "$enc-$1x$2" "$1" "$2" $ARGS >>"$WORK/$enc-$1x$2.runs"
        done
    done
    i=$((i + 1))
done
for enc in gru tcn; do
    for pt in "1 1" "1 2" "2 1" "2 2"; do
        # shellcheck disable=SC2086
        set -- $pt
        r=$(sort -n -r "$WORK/$enc-$1x$2.runs" | head -1)
        all=$(awk '{ printf "%s%s", s, $1; s = " / " }' "$WORK/$enc-$1x$2.runs")
        same=""
        if [ "$1x$2" = 1x1 ]; then
            same="(the reference)"
        elif cmp -s "$WORK/$enc-1x1.xfm" "$WORK/$enc-$1x$2.xfm"; then
            same="file identical"
        else
            # the files differ in the date and wall time: compare the data sections
            d0=$(od -An -t u8 -j 24 -N 8 "$WORK/$enc-1x1.xfm" | tr -d ' ')
            s0=$(wc -c <"$WORK/$enc-1x1.xfm")
            a=$(tail -c +$((d0 + 1)) "$WORK/$enc-1x1.xfm" | head -c $((s0 - 4 - d0)) | cksum)
            b=$(tail -c +$((d0 + 1)) "$WORK/$enc-$1x$2.xfm" | head -c $((s0 - 4 - d0)) | cksum)
            if [ "$a" = "$b" ]; then same="tensors identical"; else same="**differ**"; fi
        fi
        echo "| $enc-base shape | $1 x $2 | ${r% *} | $all | ${r#* } | $same |" >>"$TABLE"
    done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# parameter counts of the shipped models: the encoder's tensors, and the
# pretraining head (horizon + backcast outputs x embedding + biases)
params() { "$XF" info "$SRC/models/$1.xfm" | awk -v pre="$2" '$1 ~ "^" pre { n += $(NF - 1) } END { print n }'; }
# ship NAME: windows per second of the shipped model's own pretraining run
ship() {
    "$XF" info "$SRC/models/$1.xfm" | awk '$1 == "pretrain.windows" { w = $3 } $1 == "pretrain.wall_seconds" { s = $3 }
        END { if (s > 0) printf "%.0f", w / s; else printf "?" }'
}
GRU_P=$(params gru-base gru.)
TCN_P=$(params tcn-base tcn.)
GRU_E=64
TCN_E=288
GRU_HEAD=$(((64 + 0) * GRU_E + 64))
TCN_HEAD=$(((64 + 512) * TCN_E + 64 + 512))

SECT=$WORK/section.md
{
    echo '<!-- mpi:begin -->'
    echo '## Data-parallel pretraining: `mpirun -np N xfcast pretrain` (issue 17, part 1)'
    echo
    echo "Measured $DATE by \`sh bench/run_mpi.sh\` (\`make bench-mpi\`, a build configured"
    echo "\`--with-mpi\`) with $XF_HOW, $XF_VER, $MPI_VER, on $CPU ($NPROC cores,"
    echo "${MEM_G} GiB; vector flags: $ISA); load average $LOAD0 before, $LOAD1 after"
    echo "(the machine is shared). Each run: $STEPS steps of 64 windows (context 512) from"
    echo 'the synthetic corpus, `--valid 32`; windows/s is process 0'"'"'s count over its'
    echo 'run (setup included); wall s is the whole command, `mpirun` start-up included;'
    echo "each configuration ran $REPEAT times, interleaved with the others, the best kept."
    echo 'Every run of a shape must give the same weights, whatever the processes and threads.'
    echo
    cat "$TABLE"
    echo
    echo "This machine has $NPROC cores: 1 process x 2 threads and 2 processes x 1 thread use"
    echo 'both; 2 x 2 oversubscribes them (4 busy threads on 2 cores). BLAS runs 1 thread per'
    echo 'process (the CLI sets it), so the worker threads are all the parallelism. On one'
    echo 'host, processes do what threads already did (each computes whole groups of 32'
    echo 'windows); their point is more hosts, where threads cannot go. Other sessions'
    echo 'share these cores (the load average above): the spread between runs of one'
    echo 'configuration is that noise, and differences smaller than it mean nothing.'
    echo
    echo '### Communication cost on paper'
    echo
    echo 'What a step exchanges: every process needs every group'"'"'s gradient record (encoder'
    echo 'gradient + pretraining-head gradient, float32, + the loss), gathered with'
    echo '`MPI_Allgatherv` and summed in group order on every process (that is what makes'
    echo 'N processes bit-identical to one; an `MPI_Allreduce` sums in an order that depends'
    echo 'on N and on the MPI library). Parameter counts from `xfcast info models/*.xfm`:'
    echo
    echo "- gru-base: encoder $GRU_P + head $GRU_HEAD = $((GRU_P + GRU_HEAD)) floats: a record of $(((GRU_P + GRU_HEAD) * 4 / 1024)) KiB per group"
    echo "- tcn-base: encoder $TCN_P + head $TCN_HEAD (64 forecast + 512 backcast outputs x 288) = $((TCN_P + TCN_HEAD)) floats: $(((TCN_P + TCN_HEAD) * 4 / 1024)) KiB per group"
    echo
    echo 'Assumptions: one group (32 windows) per process, so the global batch is 32 N'
    echo '(the least N processes accept; today'"'"'s limit of 4096 windows caps N at 128, so the'
    echo '512 line needs that limit raised); a ring allgather, where each process receives'
    echo 'the N-1 other records ((N-1) x record bytes; latency terms, N-1 messages of a few'
    echo 'microseconds, left out); links used at their full rate; the compute per group is'
    echo 'that of 1 process x 1 thread above (32 / windows-per-second), unchanged by N; the'
    echo 'in-order sum adds N records on every process (about 1 ns per float).'
    echo
    echo '| encoder | N | global batch | received per step per process | at 10 Gb/s | at 100 Gb/s | compute per group | in-order sum | share of the step at 10 / 100 Gb/s | allreduce (2 records) at 10 Gb/s |'
    echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
    for enc in gru tcn; do
        if [ $enc = gru ]; then
            P=$((GRU_P + GRU_HEAD))
        else
            P=$((TCN_P + TCN_HEAD))
        fi
        w1=$(awk -v e="$enc-base shape" -F' *\\| *' '$2 == e && $3 == "1 x 1" { print $4 }' "$TABLE")
        for N in 8 64 512; do
            awk -v enc="$enc-base" -v N="$N" -v P="$P" -v w1="$w1" 'BEGIN {
                rec = P * 4 + 64; bytes = (N - 1) * rec
                c10 = bytes * 8 / 10e9; c100 = bytes * 8 / 100e9
                comp = 32 / w1; sum = N * P * 1e-9
                s10 = (c10 + sum) / (c10 + sum + comp); s100 = (c100 + sum) / (c100 + sum + comp)
                ar = 2 * rec * (N - 1) / N * 8 / 10e9
                printf "| %s | %d | %d | %.1f MB | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.0f%% / %.0f%% | %.2f ms |\n",
                    enc, N, 32 * N, bytes / 1e6, c10 * 1e3, c100 * 1e3, comp * 1e3, sum * 1e3,
                    100 * s10, 100 * s100, ar * 1e3 }'
        done
    done
    echo
    echo "The compute per group comes from this shared, loaded machine. The shipped models'"
    echo "own runs (their \`pretrain.windows\` / \`pretrain.wall_seconds\`, at the default 2"
    echo "threads) went at $(ship gru-base) (gru-base) and $(ship tcn-base) (tcn-base) windows/s:"
    echo 'on such a machine a group computes faster, and the shares above grow accordingly.'
    echo
    echo 'Reading: the exchange grows with N (every process receives every record) while a'
    echo 'process'"'"'s compute stays one group, so the gather that buys bit-identity moves'
    echo 'N/2 times the bytes of an allreduce, and the in-order sum on every process grows'
    echo 'with N too. tcn-base'"'"'s record is 13 times gru-base'"'"'s (three quarters of it the'
    echo 'gradient of its 512-output backcast head), so its share of the step grows fastest.'
    echo 'The way past it keeps the determinism: a summation tree over group numbers fixed'
    echo 'independently of N (each process reduces its own aligned subtree, then a fixed'
    echo 'tree across processes), which moves about two records per process like an'
    echo 'allreduce, at the price of a one-time change of the single-process summation order'
    echo '(weights would differ in the last bits from those of this version).'
    echo '<!-- mpi:end -->'
} >"$SECT"
results_replace mpi "$SECT" "$RESULTS"
echo "$PROG: wrote the mpi section of $RESULTS" >&2
