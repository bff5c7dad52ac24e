#!/bin/sh
# test_pretrain_head_cli.sh - the seasonal pretraining head through the
# command line (issue 14, parts 1-2):
#  - `pretrain --head seasonal --head-lags N --quantiles LIST` trains (corpus
#    v2) and `info` shows the head, its lags and quantiles; the stopped run
#    resumes to the same losses; misuse is refused with a message;
#  - `forecast` without --head forecasts zero-shot with it on an hourly CSV,
#    says it reads the periods 24 and 168, and gives finite values and
#    ordered intervals.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # check's conditions are eval'ed: single quotes on purpose
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_phead_cli.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
. "$XF_SRCDIR/tests/testlib.sh"

# --- misuse
run 2 "$XFCAST" pretrain --arch tcn --head deep -o "$T/x.xfm"
err_has "--head takes linear or seasonal, not 'deep'"
run 2 "$XFCAST" pretrain --arch tcn --head-lags 8 -o "$T/x.xfm"
err_has "apply to --head seasonal"
run 2 "$XFCAST" pretrain --arch tcn --head seasonal --quantiles 0.1,x -o "$T/x.xfm"
err_has "--quantiles takes up to 9 comma-separated levels in (0, 1), not '0.1,x'"
run 2 "$XFCAST" pretrain --arch tcn --head seasonal --quantiles 0.1,1.5 -o "$T/x.xfm"
err_has "levels in (0, 1)"
SMALL="--arch tcn --context 64 --channels 4 --blocks 5 --horizon 24 --batch 32 --steps 20 --warmup 5 --valid 32 --eval-every 10 --corpus v2 -q"
# shellcheck disable=SC2086 # SMALL is a list of words
run 2 "$XFCAST" pretrain $SMALL --head seasonal --quantiles 0.1,0.9 -o "$T/x.xfm"
err_has "must include the median"
check '[ ! -e "$T/x.xfm" ]' "a refused run wrote its output"

# --- a short run, resumed exactly
# shellcheck disable=SC2086
run 0 "$XFCAST" pretrain $SMALL --head seasonal --head-lags 6 --quantiles 0.1,0.5,0.9 -o "$T/s.xfm"
run 0 "$XFCAST" info "$T/s.xfm"
out_has 'pretrain.head *str *"seasonal"'
out_has "pretrain.lags *i64 *6"
out_has "pretrain.n_quantiles *i64 *3"
out_has "pretrain.quantile.2 *f64 *0.9"
out_has "pinball"
grep -E "pretrain\.(train_loss|valid_mse)" "$T/out" >"$T/straight"
# shellcheck disable=SC2086
run 0 "$XFCAST" pretrain $SMALL --head seasonal --head-lags 6 --quantiles 0.1,0.5,0.9 \
    --stop-at 10 --checkpoint "$T/ck" -o "$T/r.xfm"
# shellcheck disable=SC2086
run 2 "$XFCAST" pretrain $SMALL --resume "$T/ck" --checkpoint "$T/ck" -o "$T/r.xfm"
err_has "made with another --head, --head-lags or --quantiles (a seasonal head)"
# shellcheck disable=SC2086
run 0 "$XFCAST" pretrain $SMALL --head seasonal --head-lags 6 --quantiles 0.1,0.5,0.9 \
    --resume "$T/ck" --checkpoint "$T/ck" -o "$T/r.xfm"
run 0 "$XFCAST" info "$T/r.xfm"
grep -E "pretrain\.(train_loss|valid_mse)" "$T/out" >"$T/resumed"
check 'cmp -s "$T/straight" "$T/resumed"' "resumed run differs: $(cat "$T/straight" "$T/resumed")"

# --- zero-shot forecast on hourly data: the periods of the frequency
awk 'BEGIN { print "time,load"; for (i = 0; i < 400; i++) {
    d = int(i / 24); h = i % 24
    printf "2024-01-%02dT%02d:00:00Z,%.3f\n", d + 1, h, 100 + 20 * sin(6.283185 * h / 24) + (d % 7 == 5 ? -15 : 0)
} }' >"$T/hourly.csv"
run 0 "$XFCAST" forecast "$T/hourly.csv" --encoder "$T/s.xfm" --horizon 24
err_has "zero-shot with the pretraining head"
lines "$T/out" 25
check 'awk -F, "NR > 1 && !(\$5 <= \$4 && \$4 <= \$6 && \$7 <= \$5 && \$6 <= \$8) { bad = 1 } END { exit bad }" "$T/out"' \
    "zero-shot intervals not ordered: $(head -3 "$T/out")"
run 0 "$XFCAST" backtest "$T/hourly.csv" --zero-shot --encoder "$T/s.xfm" --test-start 336 --horizon 24 --stride 24 --format json
out_has "seasonal pretraining head, periods 24, 168; intervals scaled by its 0.1-0.9 quantile spread"
out_has "; point forecast: "
# the point forecast is said, and --baseline is not ignored
run 0 "$XFCAST" forecast "$T/hourly.csv" --encoder "$T/s.xfm" --horizon 24 --baseline none
err_has "point forecast: the pretraining head's, as asked (--baseline none)"
run 0 "$XFCAST" forecast "$T/hourly.csv" --encoder "$T/s.xfm" --horizon 24 --blend none
err_has "point forecast: the pretraining head's, as asked (--blend none)"
run 0 "$XFCAST" forecast "$T/hourly.csv" --encoder "$T/s.xfm" --horizon 24 --baseline naive
check 'grep -Eq "point forecast: (the pretraining head.s|.*naive), the lowest error" "$T/err"' \
    "--baseline naive: $(cat "$T/err")"
echo "test_pretrain_head_cli: $checks checks, $fails failed"
[ "$fails" = 0 ]
