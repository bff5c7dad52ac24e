#!/bin/sh
# test_intervals_cli.sh - adaptive intervals through the command line: on an
# hourly series whose noise triples after the calibration window (the test
# start), `backtest` with the default intervals (aci) covers within TOL
# points of 80% and 95%, and with --intervals split it does not (it keeps the
# calibration's width: the method matters); the report carries the mean
# interval width and MSIS (text and JSON), the head file records
# head.intervals, and a bad method is a usage error.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # check's conditions are eval'ed: single quotes on purpose
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_intervals.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "$XF_SRCDIR/tests/testlib.sh"
cd "$T" || exit 99

TOL=3 # coverage points around nominal

# 3000 hourly values from 2024-01-01: a daily sine plus noise (a sum of 12
# uniforms from the Park-Miller generator, exact in doubles, the same in
# every awk), its standard deviation 1 up to row 2000 and 3 from there
awk "$AWK_CIVIL"'BEGIN {
    s = 2385; print "time,y"
    for (i = 0; i < 3000; i++) {
        z = 0
        for (j = 0; j < 12; j++) { s = (s * 16807) % 2147483647; z += s / 2147483647 }
        d = int(i / 24); h = i % 24
        printf "%sT%02d:00:00Z,%.5f\n", civil(19723 + d), h, 10 + 3 * sin(6.283185307 * h / 24) + (i < 2000 ? 1 : 3) * (z - 6)
    }
}' >shift.csv
check '[ "$(wc -l <shift.csv)" -eq 3001 ]' "shift.csv: $(wc -l <shift.csv) lines"

BT="backtest shift.csv --test-start 2000 --horizon 24 --stride 24 --encoder none --format json"

# cov FILE: the model's overall coverage "c80 c95" from a JSON report
cov() { sed '/per_step/,$d' "$1" | tr -d '\n' | sed 's/.*"xfcast": {[^}]*"coverage": \[\([^]]*\)\].*/\1/; s/,/ /'; }
# within X NOMINAL: |X - NOMINAL| <= TOL
within() { awk -v x="$1" -v n="$2" -v t="$TOL" 'BEGIN { exit !(x - n <= t && n - x <= t) }'; }

# shellcheck disable=SC2086 # BT splits on purpose
run 0 "$XFCAST" $BT
cp "$T/out" default.json
# shellcheck disable=SC2046 # two numbers
set -- $(cov default.json)
c80=$1 c95=$2
check 'within "$c80" 80 && within "$c95" 95' "default (aci) intervals: coverage $c80 / $c95, expected 80 / 95 within $TOL"
out_has '"interval_width": \['
out_has '"msis": \['

# the intervals (every number after "levels") are those of --intervals aci
ivl() { sed 's/.*"levels"//' "$1"; }
# shellcheck disable=SC2086
run 0 "$XFCAST" $BT --intervals aci
check '[ "$(ivl "$T/out")" = "$(ivl default.json)" ]' "the default is not --intervals aci"

# shellcheck disable=SC2086
run 0 "$XFCAST" $BT --intervals split
cp "$T/out" split.json
# shellcheck disable=SC2046
set -- $(cov split.json)
s80=$1 s95=$2
check 'awk -v x="$s80" -v y="$s95" "BEGIN { exit !(x < 60 && y < 80) }"' "split intervals: coverage $s80 / $s95, expected below 60 / 80 after the variance change"
# the point forecasts do not depend on the interval method
check '[ "$(grep -o "\"mae\": [^,]*" split.json)" = "$(grep -o "\"mae\": [^,]*" default.json)" ]' "MAE differs between split and aci"
# MSIS rewards the adapted intervals
msis() { sed 's/.*"msis": \[\([^],]*\).*/\1/;t;d' "$1" | head -1; }
check 'awk -v a="$(msis default.json)" -v s="$(msis split.json)" "BEGIN { exit !(a < s) }"' "MSIS at 80%: aci $(msis default.json), split $(msis split.json)"

# the text report
run 0 "$XFCAST" backtest shift.csv --test-start 2000 --horizon 24 --stride 24 --encoder none
out_has '^  intervals 80%: coverage [0-9.]*, mean width [0-9.]*, MSIS [0-9.]*$'
out_has '^            95%: coverage'

# the head records its method; a bad one is a usage error
run 0 "$XFCAST" fit shift.csv --encoder none --horizon 24 --intervals rolling -q -o h.xfm
run 0 "$XFCAST" info h.xfm
out_has 'head.intervals *i64 *1$'
run 2 "$XFCAST" fit shift.csv --encoder none --intervals bogus -q -o h2.xfm
err_has 'intervals'

echo "test_intervals_cli: $checks checks, $fails failed"
[ "$fails" = 0 ]
