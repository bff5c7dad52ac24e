#!/bin/sh
# test_longfile.sh - long files are recognised, never collapsed, and the
# reader's hints help: the reproductions of issue 11 (points 2 and 9) on the
# command line.  A long file id,date,value of 5 series x 200 days gives 5
# series in inspect, fit and forecast without --id-col; duplicate timestamps
# name the likely id column; --duplicates mean never averages rows of
# different ids unless --id-col none says so; a ';' file with decimal commas
# suggests --decimal ,.
set -u
: "${XFCAST:=./xfcast}"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_long.XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"

# 5 series of 200 daily values, one block of rows per series (sorted by id,
# as exports usually are); a weekly pattern, a trend and some noise
awk 'BEGIN {
    print "id,date,value"
    split("alpha beta gamma delta epsilon", ids, " ")
    split("31 29 31 30 31 30 31", mdays, " ")               # 2024 is a leap year
    for (s = 1; s <= 5; s++)
        for (i = 0; i < 200; i++) {
            m = 1; day = i + 1                               # 2024-01-01 + i days
            while (day > mdays[m]) { day -= mdays[m]; m++ }
            d = sprintf("2024-%02d-%02d", m, day)
            v = 10 + 3.125 * s + 2.37 * sin(6.283185307 * i / 7) + 0.0131 * i * s \
                + 0.731 * (((i * 7919 + s * 31) % 13) / 13)
            printf "%s,%s,%.3f\n", ids[s], d, v
        }
}' >"$T/long.csv" || exit 99

# --- inspect: the id column is detected, and the note says which and why
run 0 "$XFCAST" inspect "$T/long.csv"
out_has "^series: *5$"; out_has "id\[id\]"; out_has "^epsilon  *200 "
err_has "note: .*column 'id' read as the series id: it has a usual id name, its values repeat"
err_has "(5 series); give --id-col COL to choose another, or --id-col none for one series"
run 0 "$XFCAST" inspect "$T/long.csv" --format json -q; err_empty; out_has '"id": "gamma"'
# --duplicates mean has nothing to merge: still 5 series, nothing averaged
run 0 "$XFCAST" inspect "$T/long.csv" --duplicates mean -q; err_empty; out_has "^series: *5$"
out_lacks "^value "
# an explicit --id-col wins; --id-col none reads one series and refuses the
# duplicates unless a policy merges them (explicitly)
run 0 "$XFCAST" inspect "$T/long.csv" --id-col id -q; err_empty; out_has "^series: *5$"
run 1 "$XFCAST" inspect "$T/long.csv" --id-col none; out_empty
err_has "duplicate timestamp 2024-01-01 in series 'value' (also at line 2); use --duplicates last|mean"
run 0 "$XFCAST" inspect "$T/long.csv" --id-col none --duplicates mean -q
out_has "^series: *1$"; out_has "^value  *1000 "

# --- fit, then forecast with the head: 5 forecasts, ids kept
run 0 "$XFCAST" fit "$T/long.csv" --encoder none -o "$T/h.xfm" -q; err_empty
run 0 "$XFCAST" forecast "$T/long.csv" --head "$T/h.xfm" -q; err_empty
for id in alpha beta gamma delta epsilon; do out_has "^$id,2024-07-19,1,"; done
check "[ \"\$(cut -d, -f1 \"\$T/out\" | sort -u | grep -vc '^id\$')\" -eq 5 ]" "forecast has not 5 series ids"

# --- duplicate timestamps inside one series name the likely id column: a
# second row for alpha on 2024-01-05 among the first rows (so the id column
# no longer makes the timestamps unique and is not detected)
{ head -n 2 "$T/long.csv"; echo "alpha,2024-01-05,17.250"; tail -n +3 "$T/long.csv"; } >"$T/dup.csv"
run 1 "$XFCAST" inspect "$T/dup.csv"; out_empty
err_has "duplicate timestamp 2024-01-01 in series 'value' (also at line 2); the rows differ in column 'id', which looks like the series id: give --id-col id"
# ... and --duplicates mean does not average rows of different ids
run 1 "$XFCAST" inspect "$T/dup.csv" --duplicates mean; out_empty
err_has "differ in column 'id': they look like rows of different series, which --duplicates mean does not merge; give --id-col id, or --id-col none"
# with the id column the duplicate is inside series 'alpha': merged on request
run 1 "$XFCAST" inspect "$T/dup.csv" --id-col id
err_has "duplicate timestamp 2024-01-05 in series 'alpha' (also at line 3); use --duplicates last|mean"
run 0 "$XFCAST" inspect "$T/dup.csv" --id-col id --duplicates last -q; out_has "^series: *5$"
# a duplicate after the rows that revealed the id column: the message says
# where the series come from
{ cat "$T/long.csv"; echo "beta,2024-02-02,17.250"; } >"$T/dup2.csv"
run 1 "$XFCAST" inspect "$T/dup2.csv"; out_empty
err_has "duplicate timestamp 2024-02-02 in series 'beta' (also at line 234); use --duplicates last|mean to merge (the series come from column 'id', detected as the id"

# --- decimal commas in a ';' file suggest --decimal ,
printf 'date;temperature;rain\n2024-01-01;3,25;0,5\n2024-01-02;4,125;1,5\n2024-01-03;-0,75;0,25\n' >"$T/euro.csv"
run 1 "$XFCAST" inspect "$T/euro.csv"; out_empty
err_has "column 'temperature' holds numbers with ',' as decimal mark: give --decimal ,"
run 0 "$XFCAST" inspect "$T/euro.csv" --decimal , -q; out_has "^series: *2$"
run 1 "$XFCAST" inspect "$T/euro.csv" --decimal . --target temperature; err_has "'3,25' is not a number (give --decimal , if ',' is the decimal mark)"
printf 'date;n;rain\n2024-01-01;3;0,5\n2024-01-02;4;1,5\n' >"$T/euro2.csv"
run 0 "$XFCAST" inspect "$T/euro2.csv"; out_has "^series: *1$"
err_has "column 'rain' was not read: its values are numbers only with ',' as decimal mark; give --decimal ,"

echo "test_longfile: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
