#!/bin/sh
# test_holidays_cli.sh - --holidays FILE through the command line and the
# retrain INI:
#  - stock: the S&P 500 file read with the NYSE calendar has no gap left (190
#    without it); a head fitted with it forecasts trading days (2019-12-25 is
#    skipped) and forecast --head reuses the calendar from the head's data
#    spec (by absolute path, from another directory); a row dated on a listed
#    holiday is an error naming its line; a bad calendar names file:line;
#  - energy: a daily load at the weekend level on bank holidays: the head gets
#    holiday features (head.holidays), and on a backtest of 2023 its error on
#    holidays falls to a fraction of the error without the calendar;
#  - a head with holiday features refuses data without a calendar; a source
#    of `xfcast retrain` with `holidays = FILE` (relative to the INI file)
#    is read with it, and `store forecast` needs nothing else.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # check's conditions are eval'ed: single quotes on purpose
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_holidays.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "$XF_SRCDIR/tests/testlib.sh"
cd "$T" || exit 99
SP=$XF_SRCDIR/datasets/sp500-2000.csv
NYSE=$XF_SRCDIR/datasets/holidays/nyse.csv
EW=$XF_SRCDIR/datasets/holidays/england-wales.csv

# ---------------------------------------------------------------- stock
# gaps of the close series (column 7 of inspect's table)
run 0 "$XFCAST" inspect "$SP" --target close
check '[ "$(awk "\$1 == \"close\" { print \$7 }" "$T/out")" = 190 ]' "S&P without a calendar: 190 gaps expected: $(cat "$T/out")"
run 0 "$XFCAST" inspect "$SP" --target close --holidays "$NYSE"
check '[ "$(awk "\$1 == \"close\" { print \$7 }" "$T/out")" = 0 ]' "S&P with nyse.csv: no gap expected: $(cat "$T/out")"

awk -F, 'NR == 1 || $1 <= "2019-12-20"' "$SP" >sp19.csv
cp "$NYSE" nyse.csv
run 0 "$XFCAST" fit sp19.csv --target close --domain stock --encoder none --holidays nyse.csv -q -o sp.xfm
run 0 "$XFCAST" info sp.xfm
out_has "data.holidays *str *\"$T/nyse.csv\""
mkdir elsewhere
(cd elsewhere && "$XFCAST" forecast ../sp19.csv --head ../sp.xfm >../out 2>../err)
check '[ "$(cut -d, -f2 out | tr "\n" " ")" = "timestamp 2019-12-23 2019-12-24 2019-12-26 2019-12-27 2019-12-30 " ]' \
    "trading days after 2019-12-20 (no 25 December): $(cut -d, -f2 out | tr '\n' ' ') $(cat err)"
# without the calendar the 25th is a forecast day
run 0 "$XFCAST" fit sp19.csv --target close --domain stock --encoder none -q -o plain.xfm
run 0 "$XFCAST" forecast sp19.csv --head plain.xfm
out_has "2019-12-25"
# a row on a listed holiday: an error at its line
awk -F, 'NR == 1 || $1 <= "2019-12-20"; END { print "2019-12-25,1,1,1,3200,3200,1" }' "$SP" >sp_bad.csv
run 1 "$XFCAST" inspect sp_bad.csv --target close --holidays nyse.csv
err_has "sp_bad.csv:$(wc -l <sp_bad.csv)"
err_has "holiday in"
# a bad calendar names its line
printf 'date\n2020-01-01\n2020-02-30\n' >bad_hol.csv
run 1 "$XFCAST" inspect sp19.csv --target close --holidays bad_hol.csv
err_has "bad_hol.csv:3"
run 1 "$XFCAST" inspect sp19.csv --target close --holidays missing.csv
err_has "missing.csv"

# --------------------------------------------------------------- energy
# daily load 2021-2023: weekly and yearly cycles, the weekend level on the
# bank holidays of england-wales.csv, noise
awk -F, "$AWK_CIVIL"'
FNR == NR { if (FNR > 1) hol[$1] = 1; next }
END {
    srand(7); print "date,load"
    for (k = 0; k < 1095; k++) {
        day = 18628 + k; s = civil(day)          # 18628: 2021-01-01, a Friday
        base = 100 + 10 * sin(6.2831853 * k / 365.25)
        v = (day + 3) % 7 >= 5 || (s in hol) ? base - 27 : base
        n = 0; for (i = 0; i < 12; i++) n += rand()
        printf "%s,%.3f\n", s, v + 2 * (n - 6)
    }
}' "$EW" /dev/null >load.csv
lines load.csv 1096
file_has load.csv "^2023-12-25,"
# holiday MAE of a --forecasts-out file (columns id,origin,timestamp,step,actual,mean)
hol_mae() {
    awk -F, 'FNR == NR { if (FNR > 1) hol[$1] = 1; next }
    FNR > 1 && (substr($3, 1, 10) in hol) { e = $5 - $6; a += e < 0 ? -e : e; n++ }
    END { if (n == 0) print "none"; else printf "%.4f\n", a / n }' "$EW" "$1"
}
run 0 "$XFCAST" backtest load.csv --domain energy --encoder none --test-start 2023-01-01 --stride 1 -q --forecasts-out plain.csv
run 0 "$XFCAST" backtest load.csv --domain energy --encoder none --test-start 2023-01-01 --stride 1 -q --forecasts-out hol.csv --holidays "$EW"
plain=$(hol_mae plain.csv)
withh=$(hol_mae hol.csv)
echo "energy backtest 2023, MAE on bank holidays: without the calendar $plain, with it $withh"
check 'awk -v a="$plain" -v b="$withh" "BEGIN { exit !(a > 10 && b < 0.25 * a) }"' \
    "holiday features should cut the holiday error to under a quarter: $plain -> $withh"
run 0 "$XFCAST" fit load.csv --domain energy --encoder none --holidays "$EW" -q -o load.xfm
run 0 "$XFCAST" info load.xfm
out_has "head.holidays *i64 *14"
# a head with holiday features and data without a calendar: refused
run 0 "$XFCAST" forecast load.csv --head load.xfm
cp "$EW" ew.csv
run 0 "$XFCAST" fit load.csv --domain energy --encoder none --holidays ew.csv -q -o load2.xfm
mv ew.csv ew_moved.csv
run 1 "$XFCAST" forecast load.csv --head load2.xfm
err_has "ew.csv"
# ... unless given again (a later file, with next year's dates, is the usual case)
run 0 "$XFCAST" forecast load.csv --head load2.xfm --holidays ew_moved.csv
lines "$T/out" 15

# ---------------------------------------------------------------- retrain
mkdir -p cfg/cal
cp "$EW" cfg/cal/ew.csv
cp load.csv cfg/load.csv
printf '[defaults]\nencoder = none\n[load]\ncsv = load.csv\ndomain = energy\nholidays = cal/ew.csv\n' >cfg/s.conf
run 0 "$XFCAST" retrain --config cfg/s.conf --store st
(cd elsewhere && "$XFCAST" store forecast load --store ../st >../out 2>../err)
check '[ "$(wc -l <out)" = 15 ]' "store forecast with the source's calendar: $(cat err)"
v=$(ls st/load | grep -m1 '\.xfm$')
run 0 "$XFCAST" info "st/load/$v"
out_has "data.holidays *str *\"$T/cfg/cal/ew.csv\""
out_has "head.holidays"

echo "test_holidays_cli: $checks checks, $fails failed"
[ "$fails" = 0 ]
