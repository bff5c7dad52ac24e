#!/bin/sh
# test_corpus_cli.sh - the pretraining corpus through the command line
# (issue 14, corpus v2):
#  - `pretrain --dump-corpus N` writes N samples as CSV (v2: whole samples of
#    50-5000 values, every kind a name of the mixture, the temperature
#    covariate on energy samples only; v1: context + horizon values), the
#    same bytes twice, other ones with another --seed; misuse is a usage
#    error;
#  - `pretrain --corpus v2` runs a few steps; `info` shows the corpus version
#    and recipe; a run stopped at step 10 resumes exactly on v2 and is
#    refused on v1 with a message that says which version to use.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # check's conditions are eval'ed: single quotes on purpose
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_corpus_cli.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
. "$XF_SRCDIR/tests/testlib.sh"

# --- dump v2
run 0 "$XFCAST" pretrain --corpus v2 --dump-corpus 40
err_empty
cp "$T/out" "$T/v2.csv"
check '[ "$(head -n 1 "$T/v2.csv")" = "sample,kind,variant,calendar,period,t,value,covariate" ]' \
    "header of --dump-corpus"
check '[ "$(tail -n +2 "$T/v2.csv" | cut -d, -f1 | sort -un | wc -l)" -eq 40 ]' "40 samples"
# every sample: 50..5000 values numbered 0..n-1, a kind of the mixture, values numbers or NA
awk -F, 'NR > 1 {
    if ($6 != n[$1] + 0) bad = bad " t" $1; n[$1]++
    if ($2 !~ /^(seasonal|energy|weather|stock|intermittent|trend|level_shift|generic)$/) bad = bad " kind" $1
    if ($7 != "NA" && $7 !~ /^-?[0-9.]+(e[-+][0-9]+)?$/) bad = bad " value" $1
    if (($2 == "energy") != ($8 != "NA")) bad = bad " covariate" $1
    kinds[$2] = 1
} END {
    for (s in n) if (n[s] < 50 || n[s] > 5000) bad = bad " length" s
    k = 0; for (x in kinds) k++
    if (k < 5) bad = bad " only " k " kinds"
    print bad
}' "$T/v2.csv" >"$T/bad"
check '[ ! -s "$T/bad" ] || [ "$(cat "$T/bad")" = "" ]' "dumped samples: $(cat "$T/bad")"
run 0 "$XFCAST" pretrain --corpus v2 --dump-corpus 40
check 'cmp -s "$T/out" "$T/v2.csv"' "--dump-corpus is not deterministic"
run 0 "$XFCAST" pretrain --corpus v2 --dump-corpus 40 --seed 2
check '! cmp -s "$T/out" "$T/v2.csv"' "--seed does not change the corpus"

# --- dump v1: the windows a run sees, context + horizon values each
run 0 "$XFCAST" pretrain --dump-corpus 3 --context 48 --horizon 8
lines "$T/out" $((1 + 3 * 56))
out_has "^0,generic,"
run 0 "$XFCAST" pretrain --corpus v1 --dump-corpus 3 --context 48 --horizon 8
cp "$T/out" "$T/v1.csv"
run 0 "$XFCAST" pretrain --corpus synthetic --dump-corpus 3 --context 48 --horizon 8
check 'cmp -s "$T/out" "$T/v1.csv"' "--corpus v1 is not --corpus synthetic"

# --- misuse
run 2 "$XFCAST" pretrain --corpus v2 --dump-corpus 3 -o "$T/x.xfm"
err_has "takes no -o"
run 2 "$XFCAST" pretrain --corpus "$T" --dump-corpus 3
err_has "shows the generated corpus"
run 2 "$XFCAST" pretrain --corpus v2 --dump-corpus 0
err_has "dump-corpus takes an integer 1..1000000"
run 0 "$XFCAST" help pretrain
out_has "synthetic|v1|v2|DIR"
out_has "dump-corpus N"

# --- a short run on v2, resumable only on v2
SMALL="--arch gru --context 48 --hidden 8 --horizon 8 --steps 20 --warmup 5 --valid 64 --eval-every 10 -q"
# shellcheck disable=SC2086 # SMALL is a list of words
run 0 "$XFCAST" pretrain $SMALL --corpus v2 --threads 2 -o "$T/e.xfm"
run 0 "$XFCAST" info "$T/e.xfm"
out_has "pretrain.corpus_version *i64 *2"
out_has "synthetic corpus v2"
grep -E "pretrain\.(train_loss|valid_mse)" "$T/out" >"$T/straight"
# shellcheck disable=SC2086
run 0 "$XFCAST" pretrain $SMALL --corpus v2 --threads 1 --stop-at 10 --checkpoint "$T/ck" -o "$T/r.xfm"
err_empty
# shellcheck disable=SC2086
run 2 "$XFCAST" pretrain $SMALL --corpus v1 --resume "$T/ck" -o "$T/r.xfm"
err_has "made on corpus v2; this run uses corpus v1: resume with --corpus v2"
# shellcheck disable=SC2086
run 0 "$XFCAST" pretrain $SMALL --corpus v2 --resume "$T/ck" -o "$T/r.xfm"
run 0 "$XFCAST" info "$T/r.xfm"
grep -E "pretrain\.(train_loss|valid_mse)" "$T/out" >"$T/resumed"
check '[ -s "$T/straight" ] && cmp -s "$T/straight" "$T/resumed"' \
    "resumed v2 run differs: $(cat "$T/straight" "$T/resumed")"
# a v1 run says so
# shellcheck disable=SC2086
run 0 "$XFCAST" pretrain $SMALL -o "$T/v1.xfm"
run 0 "$XFCAST" info "$T/v1.xfm"
out_has "pretrain.corpus_version *i64 *1"

echo "test_corpus_cli: $checks checks, $fails failed"
[ "$fails" = 0 ]
