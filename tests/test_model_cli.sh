#!/bin/sh
# test_model_cli.sh - model files that are valid containers but make no
# sense, through the CLI (src/model_check.c): a zero-shot head claiming 65
# steps of an encoder whose pretraining head has 8 is refused by `store
# forecast` and `forecast --head` (no overflow), a head naming its encoder
# by a path is refused saying where encoders are looked up, an encoder file
# of a few KB declaring a 4096 x 8 GRU is refused at once naming its shape,
# and the encoder a head names is found by name in $XFCAST_MODELS.  The
# files are written by tests/test_model_check --write-fixtures (through the
# .xfm API, with valid checksums).
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
: "${XF_BUILDDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
case $XF_BUILDDIR in /*) ;; *) XF_BUILDDIR=$(pwd)/$XF_BUILDDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_model.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"
cd "$T" || exit 99
"$XF_BUILDDIR/tests/test_model_check" --write-fixtures "$T" || exit 99
XFCAST_MODELS=$T/models
export XFCAST_MODELS
unset XFCAST_MODEL_MEMORY_MB

# the zero-shot head as fitted (8 steps) forecasts with its encoder, found by
# the name the head records in $XFCAST_MODELS
run 0 "$XFCAST" forecast data.csv --head zs-head.xfm --quiet
out_has "sine0,"
err_empty
lines "$T/out" 25

# the crafted 65-step head: refused at attach, by store forecast and forecast
run 1 "$XFCAST" store forecast zs data.csv --store store
err_has "the zero-shot head forecasts 65 steps; the pretraining head of encoder 'zs-enc' forecasts 8"
out_empty
run 1 "$XFCAST" forecast data.csv --head store/zs/v1.xfm
err_has "forecasts 65 steps"

# a head naming its encoder by a path: refused, never opened
run 1 "$XFCAST" forecast data.csv --head head-path.xfm
err_has "encoder.0.name '../../zs-enc' is not a plain name"
err_has "model search path"

# an encoder file of a few KB declaring a 4096 x 8 GRU: refused from its
# header, naming the shape and the budget; a lower budget refuses more
check "[ \$(wc -c <big-enc.xfm) -lt 8192 ]" "big-enc.xfm is not small"
run 1 "$XFCAST" forecast data.csv --encoder big-enc.xfm
err_has "big-enc.xfm: encoder gru n_layers 8 x n_hidden 4096 (context 64) needs"
err_has "over the 1 GB limit (set XFCAST_MODEL_MEMORY_MB"
run 0 "$XFCAST" forecast data.csv --encoder models/zs-enc.xfm --horizon 8 --quiet
XFCAST_MODEL_MEMORY_MB=1 run 1 "$XFCAST" forecast data.csv --encoder "$XF_SRCDIR/models/gru-base.xfm"
err_has "gru-base.xfm: encoder gru n_layers 1 x n_hidden 64 (context 512) needs"
err_has "over the 1 MB limit"
# a head its loader would refuse is refused before it is fitted
XFCAST_MODEL_MEMORY_MB=1 run 1 "$XFCAST" fit data.csv --encoder none --horizon 8 --lags 600 -o toobig.xfm
err_has "this fit: head horizon 8 x n_features"
err_has "over the 1 MB limit"
check "[ ! -e toobig.xfm ]" "a refused fit wrote its head"

echo "test_model_cli: $checks checks, $fails failed"
[ "$fails" = 0 ]
