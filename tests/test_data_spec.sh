#!/bin/sh
# test_data_spec.sh - a head's data spec: a head records how its CSV was
# read (time column, target columns, id column, delimiter, decimal mark,
# policies) and `forecast --head`, `store forecast` and `info` use it.
# A head fitted on one column of a wide file forecasts that column without
# --target; a head fitted on a long file reads new data as long without
# --id-col, new ids included (heads are global); `backtest --head` refits
# the head's configuration on the data read alike; command-line options that
# agree with the spec, or only say how this file's bytes are read, are
# accepted, and ones that change what is modelled are refused, naming the
# head's value; a store entry of a long-file source forecasts with nothing
# but NAME and --store.  (tests/test_options.c tests the library calls.)
# shellcheck disable=SC2016 # check's conditions are eval'ed: single quotes on purpose
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
if [ "$(awk 'BEGIN { print strftime("%Y", 0, 1) }' 2>/dev/null)" != 1970 ]; then
    echo "test_data_spec: awk has no strftime (needed to write the test data): skipped"
    exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_spec.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"
cd "$T" || exit 99

# long FILE N IDS...: a long file index,date,value, N daily values per id,
# rows in date order (a portable LCG, not rand(), for the noise)
long() {
    f=$1 n=$2
    shift 2
    awk -v n="$n" -v ids="$*" 'BEGIN {
        print "index,date,value"; k = split(ids, id, " "); s = 7
        for (i = 0; i < n; i++)
            for (j = 1; j <= k; j++) {
                s = (s * 1103515245 + 12345) % 2147483648
                printf "%s,%s,%.3f\n", id[j], strftime("%Y-%m-%d", 1577836800 + i * 86400, 1),
                    50 * j + 10 * sin(6.2831853 * i / 7) + 0.05 * i + 3 * (s / 2147483648 - 0.5)
            } }' >"$f"
}

# -------------------------------------------------- one column of a wide file
SP=$XF_SRCDIR/datasets/sp500-2000.csv
run 0 "$XFCAST" fit "$SP" --target close --encoder none -q -o h.xfm
# no --target: the head's column only (volume is not read)
run 0 "$XFCAST" forecast "$SP" --head h.xfm
err_empty; out_has "^close,"; out_lacks "^volume,"
cp "$T/out" fc_close.csv
lines fc_close.csv 6
# agreeing options, and options that only say how the bytes are read
run 0 "$XFCAST" forecast "$SP" --head h.xfm --target close --delimiter , --gaps keep
check 'cmp -s "$T/out" fc_close.csv' "--target close --delimiter , changed the forecast"
# backtest --head: the same data and configuration, refitted before the test start
run 0 "$XFCAST" fit "$SP" --target close --encoder none -o h2.xfm
grep "^model:" "$T/out" | sed 's/^model: *//' >model_fit.txt
run 0 "$XFCAST" backtest "$SP" --head h.xfm --test-start 2019-06-03
out_has "1 series"
check '[ "$(grep "^model:" "$T/out" | sed "s/^model: *//")" = "$(cat model_fit.txt)" ]' \
    "backtest --head: another model than the head's: $(grep "^model:" "$T/out")"
run 2 "$XFCAST" backtest "$SP" --head h.xfm --test-start 2019-06-03 --target volume
err_has "the head models 'close'"
# a column the head was not fitted on: refused, naming the head's
run 2 "$XFCAST" forecast "$SP" --head h.xfm --target volume
err_has "the head models 'close'"; err_has "--target volume"; out_empty
run 2 "$XFCAST" forecast "$SP" --head h.xfm --target close,volume
err_has "the head models 'close'"
# a wide-file head is not one for a long reading
run 2 "$XFCAST" forecast "$SP" --head h.xfm --id-col open
err_has "fitted on a wide file (no id column); --id-col open"
# info shows the spec
run 0 "$XFCAST" info h.xfm
out_has "^data spec:"; out_has "^  target  *close$"; out_has "^  time-col  *date$"
out_has "^  id-col  *none (wide file)$"; out_has "^  delimiter  *,$"
run 0 "$XFCAST" info h.xfm --format json
out_has '"data_spec": {"delimiter": ",", '; out_has '"target": "close"'
# an encoder file has no spec
if [ -f "$XF_SRCDIR/models/gru-base.xfm" ]; then
    run 0 "$XFCAST" info "$XF_SRCDIR/models/gru-base.xfm"
    out_lacks "^data spec:"
fi

# ------------------------------------- a target with a future covariate
awk 'BEGIN {
    print "timestamp;load;temp"; s = 3
    for (i = 0; i < 24 * 45; i++) {
        s = (s * 1103515245 + 12345) % 2147483648
        t = 10 + 5 * sin(6.2831853 * (i % 24) / 24)
        l = (i < 24 * 44) ? sprintf("%.2f", 100 + 2 * t + 3 * (s / 2147483648 - 0.5)) : ""
        printf "%s;%s;%.2f\n", strftime("%Y-%m-%dT%H:00:00", 1577836800 + i * 3600, 1), l, t
    } }' | sed 's/\([0-9]\)\.\([0-9]\)/\1,\2/g' >e.csv
run 0 "$XFCAST" fit e.csv --decimal , --target load --covariate temp --encoder none --horizon 24 -q -o he.xfm
# no option repeated: the ';' delimiter, the decimal comma, the covariate
run 0 "$XFCAST" forecast e.csv --head he.xfm
err_empty
check '[ "$(grep -c "^load," "$T/out")" = 24 ]' "covariate head: not 24 load rows: $(head -c 300 "$T/err")"
cp "$T/out" fc_e.csv
run 0 "$XFCAST" forecast e.csv --head he.xfm --target load,temp --decimal , --delimiter ';'
check 'cmp -s "$T/out" fc_e.csv' "--target load,temp (target and covariate) changed the forecast"
run 0 "$XFCAST" info he.xfm
out_has "^  delimiter  *;$"; out_has "^  decimal  *,$"; out_has "^  covariate  *temp$"

# ------------------------------------------------------------- a long file
long l.csv 200 A B C
run 0 "$XFCAST" fit l.csv --id-col index --encoder none -q -o hl.xfm
# no --id-col: read as long again, one forecast per id (14 steps each)
run 0 "$XFCAST" forecast l.csv --head hl.xfm
err_empty
for s in A B C; do out_has "^$s,"; done
check '[ "$(grep -c "^[ABC]," "$T/out")" = 42 ]' "long file: not 3 x 14 forecast rows: $(head -c 300 "$T/out")"
cp "$T/out" fc_long.csv
run 0 "$XFCAST" forecast l.csv --head hl.xfm --id-col index
check 'cmp -s "$T/out" fc_long.csv' "--id-col index (the spec's) changed the forecast"
run 0 "$XFCAST" backtest l.csv --head hl.xfm --test-start 2020-06-01
out_has "3 series"
# another id column is a conflict
run 2 "$XFCAST" forecast l.csv --head hl.xfm --id-col date
err_has "fitted with --id-col index; --id-col date conflicts"
# --duplicates merges nothing: the file is still read per id
run 0 "$XFCAST" forecast l.csv --head hl.xfm --duplicates mean
check 'cmp -s "$T/out" fc_long.csv' "--duplicates mean changed a long file's forecast"
# a new id: the head is global, so it is forecast too
long l4.csv 200 A B C D
run 0 "$XFCAST" forecast l4.csv --head hl.xfm
out_has "^D,"
check '[ "$(grep -c "^[ABCD]," "$T/out")" = 56 ]' "new id: not 4 x 14 forecast rows"
run 0 "$XFCAST" info hl.xfm
out_has "^  id-col  *index$"; out_has "^  target  *value$"

# ------------------------------------------------ the store of a long source
printf '[stocks]\ncsv = l.csv\nid = index\nencoder = none\nhorizon = 7\n' >s.conf
run 0 "$XFCAST" retrain --config s.conf --store st
# nothing but the name and the store: the version's head carries the spec
run 0 "$XFCAST" store forecast stocks --store st
for s in A B C; do out_has "^$s,"; done
check '[ "$(grep -c "^[ABC]," "$T/out")" = 21 ]' "store forecast: not 3 x 7 rows: $(head -c 300 "$T/err")"
cp "$T/out" fc_store.csv
run 0 "$XFCAST" store forecast stocks --store st --config s.conf
check 'cmp -s "$T/out" fc_store.csv' "store forecast with --config differs from the head's spec"
run 0 "$XFCAST" info st/stocks/v1.xfm
out_has "^  id-col  *index$"

# ------------------------------- a model option given with a saved head
# is checked against the head when given, even when it is the default
# (a head fitted with --no-calendar once took --calendar silently)
awk 'BEGIN { print "date,v"; for (i = 0; i < 400; i++)
    printf "2024-01-%02dT%02d:00:00Z,%.3f\n", 1 + int(i / 24), i % 24, 10 + sin(i / 3.82) + (i % 7) / 10 }' >hr.csv
run 0 "$XFCAST" fit hr.csv --encoder none --no-calendar -q -o nocal.xfm
run 2 "$XFCAST" forecast hr.csv --head nocal.xfm --calendar
err_has "calendar on: a saved head's model options are fixed"
err_has "this head: off"
run 0 "$XFCAST" forecast hr.csv --head nocal.xfm --no-calendar
run 0 "$XFCAST" fit hr.csv --encoder none -q -o cal.xfm
run 0 "$XFCAST" forecast hr.csv --head cal.xfm --calendar
run 2 "$XFCAST" forecast hr.csv --head cal.xfm --no-calendar
err_has "this head: on"

echo "test_data_spec: $checks checks, $fails failed"
[ "$fails" = 0 ]
