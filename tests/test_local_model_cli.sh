#!/bin/sh
# test_local_model_cli.sh - the local model of each origin's window
# (issue 13 part 1) through the command line:
#  - fit --local-model: the head has H more features, head.local_features
#    and its periods (day and week of half-hourly demand); forecast --head
#    uses it (the forecasts of a head read back equal its own: C test
#    test_head_update); --no-local-model on that head is refused, not
#    ignored;
#  - fit --baseline local: the head corrects the local model (std scale),
#    round-trips through the file; --baseline local --seasonal-scale is
#    refused with the reason;
#  - default fit: the candidate with the local model is scored and named in
#    the report; --no-local-model: never tried;
#  - backtest --baseline local on the bundled half-hourly demand: better than
#    the seasonal naive (the model alone under a one-lag ridge).
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # check's conditions are eval'ed: single quotes on purpose
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_local.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "$XF_SRCDIR/tests/testlib.sh"
cd "$T" || exit 99
TAY=$XF_SRCDIR/datasets/taylor-halfhourly.csv
# the last four weeks: quick fits
awk -F, 'NR == 1 || $1 >= "2000-07-17"' "$TAY" >t4.csv

# ---------------------------------------------------------------- features
run 0 "$XFCAST" fit t4.csv --target demand --encoder none --local-model -o lf.xfm
out_has "local model features (periods 48, 336)"
out_has "; 408 features$"
run 0 "$XFCAST" info lf.xfm
out_has "head.local_features  *i64  *1$"
out_has "head.local_period1  *i64  *336$"
out_has "head.local_period2  *i64  *48$"
run 0 "$XFCAST" forecast t4.csv --head lf.xfm -o fc2.csv
lines fc2.csv 49
check '[ "$(awk -F, "NR > 1 && \$4 + 0 > 15000 && \$4 + 0 < 60000" fc2.csv | wc -l)" = 48 ]' "forecast --head: 48 values of demand expected: $(head -3 fc2.csv)"
run 2 "$XFCAST" forecast t4.csv --head lf.xfm --no-local-model -o fc3.csv
err_has "local-model"
check '[ ! -e fc3.csv ]' "a refused forecast wrote its output"

# ---------------------------------------------------------------- baseline
run 0 "$XFCAST" fit t4.csv --target demand --encoder none --baseline local --no-local-model --blend none -o lb.xfm
out_has "std scale; corrects the local model (periods 48, 336); 360 features$"
run 0 "$XFCAST" info lb.xfm
out_has "head.baseline  *i64  *-3$"
run 0 "$XFCAST" forecast t4.csv --head lb.xfm -o fb2.csv
lines fb2.csv 49
run 2 "$XFCAST" fit t4.csv --target demand --baseline local --seasonal-scale -o x.xfm
err_has "the seasonal scale needs a seasonal baseline"
check '[ ! -e x.xfm ]' "a refused fit wrote a head"

# ---------------------------------------------------------------- defaults
run 0 "$XFCAST" fit t4.csv --target demand --encoder none -o d.xfm
out_has "^candidates:  .*+local_model [0-9.e-]* (held-out MASE"
run 0 "$XFCAST" fit t4.csv --target demand --encoder none --no-local-model -o n.xfm
out_lacks "local_model"
out_lacks "local model" # not as features, nor in the blend
run 0 "$XFCAST" info n.xfm
out_has "head.local_features  *i64  *0$"
out_lacks "head.local_period"

# ---------------------------------------------------------------- blend
# the report says what the held-out origins chose, and --blend none is honoured
run 0 "$XFCAST" fit t4.csv --target demand --encoder none -o d.xfm
out_has "^blend:       "
run 0 "$XFCAST" fit t4.csv --target demand --encoder none --format json -o d.xfm
out_has '"blend": {"chosen": "'
run 0 "$XFCAST" fit t4.csv --target demand --encoder none --blend none -o d2.xfm
out_lacks "blend"
run 0 "$XFCAST" info d2.xfm
out_lacks "head.blend_"
out_has "head.format  *u32  *1$"
run 2 "$XFCAST" fit t4.csv --target demand --encoder none --blend maybe -o d3.xfm
err_has "--blend"
check "[ ! -e d3.xfm ]" "a refused fit wrote a head"

# ---------------------------------------------------------------- accuracy
# the local model alone (a one-lag ridge on it) against the seasonal naive
# on the test weeks of the bundled file
run 0 "$XFCAST" backtest "$TAY" --target demand --domain energy --test-start 2000-08-14 \
    --horizon 48 --stride 48 --baseline local --lags 1 --encoder none --no-calendar --format json
check 'python3 -c "import json,sys; d = json.load(open(sys.argv[1])); o = d[\"overall\"]; assert o[\"xfcast\"][\"mae\"] < 0.85 * o[\"snaive\"][\"mae\"], o" "$T/out"' \
    "backtest --baseline local: not 15% below the seasonal naive: $(head -c 400 "$T/out")"

echo "test_local_model_cli: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
