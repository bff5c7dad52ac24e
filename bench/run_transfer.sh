#!/bin/sh
# bench/run_transfer.sh - does pretraining transfer?  Runs bench/bench_transfer
# (ridge heads on lags, on a randomly initialised frozen encoder and on the
# pretrained one, each also with lags and over the seasonal-naive baseline as
# heads use them; ETTh1, M4 Hourly and every file in datasets/) and rewrites
# the section between <!-- transfer:begin --> and <!-- transfer:end --> of
# bench/RESULTS.md, leaving the rest of the file alone.  The verdict is issue
# 14's transfer target: with lags and the seasonal-naive baseline in both,
# pretrained beats random-initialised by >= 10% on average over the
# benchmarks and is worse on none.  bench/test_transfer.sh checks the
# program's rows and verdict on synthetic files.  Run by `make bench`
# and `make bench-transfer`, which set XF_BUILDDIR (programs, bench/work/)
# and XF_SRCDIR (datasets/, models/, bench/RESULTS.md).
#
#     sh bench/run_transfer.sh [MODEL.xfm ...]
#
# Models: the arguments, else $XF_TRANSFER_MODELS (space-separated), else
# models/gru-base.xfm and models/tcn-base.xfm.  Any file xf_encoder_load
# reads is a model, e.g. a copy of a pretraining checkpoint
# (models/pretrain/*.ckpt) while the run goes on: its random twin has the
# same configuration.  Models with another context than the first one are
# skipped.  MODEL.xfm,TWIN.xfm takes the random twin from TWIN.xfm (the same
# pretraining run's initial weights, its pretraining head included, which
# the +fc rows need; see bench/bench_transfer.c).  A missing model is
# skipped with a note; when none exists,
# RESULTS.md is left as it is.  Example, the bundled datasets only:
#
#     XF_TRANSFER_ARGS='--only datasets --threads 1' \
#     XF_TRANSFER_NOTE='datasets only' sh bench/run_transfer.sh /tmp/tcn-v2.ckpt
#
# Environment (all optional):
#   XF_BENCH_DATA       directory of ETTh1.csv and M4-Hourly-*.csv (default
#                       $XF_SRCDIR/../shared/data; never copied into the
#                       project; benchmarks whose files are absent are skipped)
#   XF_TRANSFER_MODELS  models when no argument is given
#   XF_TRANSFER_ARGS    extra bench_transfer options, e.g. "--m4-stride 8" or
#                       "--only datasets" (see bench/bench_transfer.c)
#   XF_TRANSFER_NOTE    a line of text to put in the section (e.g. "pilot run")
#   XF_BENCH_RESULTS    results file (default $XF_SRCDIR/bench/RESULTS.md, or
#                       $XF_BUILDDIR/bench/RESULTS.md if that is read-only)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu

SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
DATA=${XF_BENCH_DATA:-$SRC/../shared/data}
BENCH=$BUILD/bench/bench_transfer
XFCAST=$BUILD/xfcast
WORK=$BUILD/bench/work

die() {
    echo "bench/run_transfer.sh: $*" >&2
    exit 1
}

[ -x "$BENCH" ] || die "$BENCH is missing: run 'make bench-transfer' (it builds it first)"
[ -x "$XFCAST" ] || die "$XFCAST is missing: run 'make' first"

if [ $# -gt 0 ]; then
    CMD="sh bench/run_transfer.sh $*"
elif [ -n "${XF_TRANSFER_MODELS:-}" ]; then
    # shellcheck disable=SC2086 # word splitting wanted
    set -- $XF_TRANSFER_MODELS
    CMD="XF_TRANSFER_MODELS='$XF_TRANSFER_MODELS' make bench-transfer"
else
    set -- "$SRC/models/gru-base.xfm" "$SRC/models/tcn-base.xfm"
    CMD="make bench-transfer"
fi
[ -z "${XF_TRANSFER_ARGS:-}" ] || CMD="XF_TRANSFER_ARGS='$XF_TRANSFER_ARGS' $CMD"

found=0
for m in "$@"; do
    if [ -f "${m%%,*}" ]; then
        found=1
    else
        echo "bench/run_transfer.sh: model $m is absent: skipped" >&2
    fi
done
if [ $found = 0 ]; then
    echo "bench/run_transfer.sh: no model file found ($*): nothing measured, RESULTS.md left as it is" >&2
    exit 0
fi
[ -d "$DATA" ] || echo "bench/run_transfer.sh: $DATA is absent: ETTh1 and M4 Hourly will be skipped (set XF_BENCH_DATA)" >&2

# ------------------------------------------------------------ the results file
. "$SRC/bench/results.sh"
RESULTS=$(results_file bench/run_transfer.sh)

# ------------------------------------------------------------ the machine
machine_facts
OS=$(uname -srm)
DATE=$(date -u)
LOAD=$(awk '{print $1 ", " $2 ", " $3}' /proc/loadavg 2>/dev/null || echo '?')
XF_VER=$("$XFCAST" --version 2>/dev/null | sed -n '1p' || true)
MK_CFLAGS=$(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)
MK_SAN=$(sed -n 's/^XF_SAN_CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)
THREADS=${OPENBLAS_NUM_THREADS:-${OMP_NUM_THREADS:-default}}

# one line per model from `xfcast info` (a pretraining checkpoint has train.*
# keys instead of the shipped model's pretrain.steps and provenance)
model_line() {
    "$XFCAST" info "$1" 2>/dev/null | awk -v path="$1" '
    $1 ~ /^(encoder|pretrain|train)\./ && NF >= 3 {
        v = $3; for (i = 4; i <= NF; i++) v = v " " $i
        gsub(/"/, "", v); m[$1] = v
    }
    function g(k) { return (k in m) ? m[k] : "?" }
    END {
        a = g("encoder.arch")
        if (a == "gru") shape = sprintf("GRU %s x %s", g("encoder.n_layers"), g("encoder.n_hidden"))
        else if (a == "tcn") shape = sprintf("TCN %s channels x %s blocks, kernel %s", g("encoder.n_channels"), g("encoder.n_blocks"), g("encoder.kernel_size"))
        else shape = a
        if (g("encoder.n_inputs") == 3) shape = shape ", inputs value + mask + seasonal difference"
        vm = g("pretrain.valid_mse"); vn = g("pretrain.valid_naive_mse")
        if (vm != "?") vm = sprintf("%.4f", vm)
        if (vn != "?") vn = sprintf("%.4f", vn)
        tl = g("pretrain.train_loss"); if (tl != "?") tl = sprintf("%.4f", tl)
        if (g("pretrain.steps") == "?" && g("train.step") != "?") {
            ll = g("train.last_loss"); if (ll != "?") ll = sprintf("%.4f", ll)
            printf "- Encoder `%s` (pretraining checkpoint): %s, context %s, embedding %s; " \
                   "head %s; train.step %s of train.steps %s, batch %s, corpus %s v%s, " \
                   "train.last_loss %s\n", path, shape, g("encoder.context"),
                   g("encoder.embed_size"), g("pretrain.head"), g("train.step"),
                   g("train.steps"), g("train.batch"), g("train.corpus"),
                   g("train.corpus_version"), ll
            exit
        }
        printf "- Encoder `%s`: %s, context %s, embedding %s; pretrain.steps %s, " \
               "pretrain.valid_mse %s (valid_naive_mse %s), pretrain.train_loss %s, benchmark data seen: %s, " \
               "pretrained %s\n", path, shape, g("encoder.context"), g("encoder.embed_size"),
               g("pretrain.steps"), vm, vn, tl, g("pretrain.benchmark_data_seen"),
               g("pretrain.date")
    }'
}

# ------------------------------------------------------------ the run
mkdir -p "$WORK"
BODY=$WORK/transfer-body.md
TSV=$WORK/transfer-results.tsv
SECTION=$WORK/transfer-section.md
echo "bench: transfer benchmark on $* (data $DATA)"
t0=$(date +%s)
# shellcheck disable=SC2086 # XF_TRANSFER_ARGS is split on purpose
XF_SRCDIR=$SRC "$BENCH" --data "$DATA" --datasets "$SRC/datasets" --tsv "$TSV" \
    ${XF_TRANSFER_ARGS:-} "$@" >"$BODY" || die "bench/bench_transfer failed"
t1=$(date +%s)

{
    echo '<!-- transfer:begin -->'
    echo '## Transfer: pretrained vs random encoder vs lags'
    echo
    echo 'Written by `bench/run_transfer.sh` (program `bench/bench_transfer`); rerun `make bench-transfer` to update this section.'
    echo
    echo 'Verdict (issue 14'"'"'s transfer target): with lags and the seasonal-naive baseline in both rows, the way heads use the embeddings (`(c+lags+sn)` vs `(b+lags+sn)`: the ridge predicts the residual over the seasonal-naive forecast, in the window'"'"'s normalised units), the pretrained encoder beats its random-initialised twin by at least 10% on average over the benchmarks and is worse on none of them. `(a+sn)` is lags-only over the same baseline; the rows without the baseline are those of before, kept for comparison.'
    echo
    [ -z "${XF_TRANSFER_NOTE:-}" ] || { echo "**$XF_TRANSFER_NOTE**"; echo; }
    echo "- Command: \`$CMD\`"
    echo "- Date: $DATE"
    echo "- Machine: $NPROC CPUs (nproc), $CPU, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $OS; load average at start $LOAD; BLAS threads: $THREADS"
    echo "- Software: ${XF_VER:-xfcast ?}, CFLAGS \`${MK_CFLAGS:-?}\`${MK_SAN:+, sanitizers \`$MK_SAN\` (times not representative)}"
    echo "- Total runtime: $((t1 - t0)) s"
    for m in "$@"; do
        [ ! -f "${m%%,*}" ] || model_line "${m%%,*}"
        [ "${m#*,}" = "$m" ] || [ ! -f "${m#*,}" ] || printf '  (its random twin: `%s`, the same run'"'"'s initial weights)\n' "${m#*,}"
    done
    cat "$BODY"
    echo '<!-- transfer:end -->'
} >"$SECTION"

# ------------------------------------------------------------ the results file
results_replace transfer "$SECTION" "$RESULTS"

echo
sed -n '/^\*\*Verdict/p' "$SECTION"
echo "bench: transfer benchmark took $((t1 - t0)) s; wrote $RESULTS (every number also in $TSV)"
