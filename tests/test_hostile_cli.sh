#!/bin/sh
# test_hostile_cli.sh - hostile and mismatched inputs from the command line
# (issue 12), each reproduction with its fixed outcome:
#   - a 200,000-column CSV is read by `inspect` (within a generous
#     `timeout 60`, not a timing: bench/run_hostile.sh times it);
#   - 60 ids read with --freq 1s are refused by the per-file gap cap, which
#     the error names (--max-gap-fill), before gigabytes are allocated; the
#     cap is an option and an INI key;
#   - a one-row series forecast is an error naming --freq (it printed the
#     "no time" marker as year -290308), and forecasts with --freq D;
#   - a forecast past 9999-12-31 is an error (it printed year 10000);
#   - a series alternating +-1e300 is forecast by a ridge head (finite
#     values, a finite backtest RMSE), refused with a message naming the
#     series by the encoders (float32 input); a forecast beyond the largest
#     double is an error; inf in the input is named; never NA with exit 0;
#   - --levels 80,80 is refused; --levels 99.9999999 names its columns and
#     keys lo99.9999999 (it was lo100);
#   - a file without a header line is refused as such;
#   - UTF-16 and UTF-32 files are named, with the iconv line.
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_hostile.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"
cd "$T" || exit 99
XFCAST_MODELS=$XF_SRCDIR/models
export XFCAST_MODELS

# daily FILE N FIRST_DAY_EPOCH_S VALUE_AWK_EXPR: N daily rows from a UTC day
daily() {
    awk -v n="$2" -v t0="$3" 'function day(s,   z, era, doe, yoe, doy, mp, d, m, y) {
        z = int(s / 86400) + 719468; era = int(z / 146097); doe = z - era * 146097
        yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
        y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
        mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
        m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
        return sprintf("%04d-%02d-%02d", y, m, d)
    }
    BEGIN { print "date,v"; for (i = 0; i < n; i++) printf "%s,%s\n", day(t0 + i * 86400), '"$4"' }' >"$1"
}

# ---- 200,000 columns: read at all (the header checks were quadratic: 97 s)
awk 'BEGIN {
    a = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    printf "date"
    for (i = 0; i < 200000; i++)
        printf ",%s%s%s", substr(a, int(i / 3844) % 62 + 1, 1), substr(a, int(i / 62) % 62 + 1, 1),
            substr(a, i % 62 + 1, 1)
    printf "\n"
    for (d = 1; d <= 3; d++) { printf "2024-01-0%d", d; for (i = 0; i < 200000; i++) printf ",%d", (i + d) % 10; printf "\n" }
}' >wide.csv
TO=
command -v timeout >/dev/null 2>&1 && TO="timeout 60"
# shellcheck disable=SC2086 # TO is a word list on purpose
run 0 $TO "$XFCAST" inspect wide.csv --format json -q
out_has '"series": 200000\|"n_series": 200000\|"id": "ZZZ"\|"id": "q1N"'
check '[ "$(grep -c "\"id\":" "$T/out")" -ge 200000 ]' "inspect of 200000 columns lists every series"

# ---- the gap cap is per file: 60 ids at --freq 1s (needed > 8 GB)
awk 'BEGIN {print "id,date,v"; for (k = 0; k < 60; k++) for (d = 0; d < 3; d++) printf "s%d,2024-01-%02d,%d\n", k, 1 + 10 * d, d}' >ids.csv
run 1 "$XFCAST" inspect ids.csv --freq 1s -q
err_has "would add more than 10000000 values"; err_has "raise --max-gap-fill"; out_empty
run 0 "$XFCAST" inspect ids.csv --freq 1h -q
run 1 "$XFCAST" inspect ids.csv --freq 1h --max-gap-fill 1000 -q
err_has "more than 1000 values (1434 for the first 3 series, at frequency 1h)"
run 2 "$XFCAST" inspect ids.csv --max-gap-fill -1
err_has "max-gap-fill"
# an INI key too: retrain reads it
daily g.csv 40 1704067200 'i % 7 + 10 + i * 0.01'
sed '5d;6d;7d;8d;9d;10d' g.csv >gaps.csv
printf '[g]\ncsv = gaps.csv\nencoder = none\nhorizon = 2\nmax-gap-fill = 3\n' >gaps.conf
mkdir -p store
run 1 "$XFCAST" retrain --config gaps.conf --store store --dry-run
err_has "max-gap-fill"

# ---- a one-row series: an error naming --freq, or a forecast with it
daily d300.csv 300 1577836800 'sprintf("%.3f", 10 + 3 * sin(i * 6.2832 / 7) + 0.01 * i)'
run 0 "$XFCAST" fit d300.csv --encoder none --horizon 3 -q -o d.xfm
printf 'date,v\n2024-01-01,5.25\n' >one.csv
run 1 "$XFCAST" forecast one.csv --head d.xfm -q
err_has "series 'v' has a single timestamp"; err_has "(--freq)"; out_lacks "-290308"
run 0 "$XFCAST" forecast one.csv --head d.xfm --freq D -q
out_has "^v,2024-01-02,1,"; out_has "^v,2024-01-04,3,"

# ---- a forecast past 9999-12-31
daily end.csv 300 253376380800 'sprintf("%.3f", 10 + 3 * sin(i * 6.2832 / 7))'
check 'tail -1 end.csv | grep -q "^9999-12-31,"' "end.csv ends on 9999-12-31"
run 1 "$XFCAST" forecast end.csv --head d.xfm -q
err_has "would run past 9999-12-31 (step 1)"; out_lacks "10000-"
run 1 "$XFCAST" forecast end.csv --encoder gru-base --horizon 3 -q
err_has "would run past 9999-12-31"; out_lacks "10000-"

# ---- values near 1e300 and DBL_MAX, and inf
daily big.csv 300 1577836800 'sprintf("%.6g", (i % 2 ? 1 : -1) * 1e300 * (1 + 0.1 * sin(i / 7.0)))'
run 1 "$XFCAST" forecast big.csv --encoder gru-base --horizon 3 -q
err_has "series 'v': value"; err_has "too large for encoder 'gru-base'"; out_lacks ",NA"
run 0 "$XFCAST" fit big.csv --encoder none --horizon 3 -q -o big.xfm
run 0 "$XFCAST" forecast big.csv --head big.xfm -q
out_lacks "NA"; out_has "^v,2020-10-27,1,-9\.[0-9]*e+299,"; err_empty
run 0 "$XFCAST" backtest big.csv --encoder none --horizon 3 --test-start 250 --format json -q
out_lacks "inf"; out_lacks "null"
daily ramp.csv 300 1577836800 'sprintf("%.6g", 1.797e308 - (299 - i) * 0.004e308)'
run 0 "$XFCAST" fit ramp.csv --encoder none --horizon 3 -q -o ramp.xfm
run 1 "$XFCAST" forecast ramp.csv --head ramp.xfm -q
err_has "series 'v': values too large to forecast"; out_lacks ",NA"
daily max.csv 300 1577836800 'sprintf("%.6g", (i % 2 ? 1 : -1) * 1.7e308 * (1 - 0.01 * sin(i / 7.0)))'
run 0 "$XFCAST" fit max.csv --encoder none --horizon 3 -q -o max.xfm
run 0 "$XFCAST" forecast max.csv --head max.xfm -q
out_lacks "NA"; out_has "e+308"
sed '3s/,.*/,inf/' d300.csv >inf.csv
run 1 "$XFCAST" inspect inf.csv --target v -q
err_has "inf.csv:3:2: 'inf' is not a number"
sed '3s/,.*/,1e999/' d300.csv >inf.csv
run 1 "$XFCAST" inspect inf.csv -q
err_has "inf.csv:3:2: '1e999' is not a finite number"

# ---- levels: no duplicates, exact names
run 2 "$XFCAST" forecast d300.csv --head d.xfm --levels 80,80 -q
err_has "interval level 80 is given twice"
run 2 "$XFCAST" fit d300.csv --encoder none --horizon 3 --levels 95,80,95.0 -q -o x.xfm
err_has "given twice"
run 0 "$XFCAST" forecast d300.csv --head d.xfm --levels 99.9999999,50 -q
out_has "^id,timestamp,step,mean,lo99.9999999,hi99.9999999,lo50,hi50$"; out_lacks "lo100"
run 0 "$XFCAST" forecast d300.csv --head d.xfm --levels 99.9999999 --format json -q
out_has '"levels": \[99.9999999\]'; out_has '"lo99.9999999": '; out_lacks '"lo100"'
run 0 "$XFCAST" backtest d300.csv --encoder none --horizon 3 --test-start 280 --levels 99.9999999 \
    --forecasts-out bt.csv -q
file_has bt.csv "^id,origin,timestamp,step,actual,mean,lo99.9999999,hi99.9999999$"
out_has "cov99.9999999"
printf '[d]\ncsv = d300.csv\nencoder = none\nhorizon = 2\nlevels = 80,80\n' >lv.conf
run 2 "$XFCAST" retrain --config lv.conf --store store --dry-run
err_has "given twice"

# ---- a file without a header line
tail -n +2 d300.csv >nohdr.csv
run 1 "$XFCAST" inspect nohdr.csv -q
err_has "nohdr.csv:1: the first line looks like data, not a header"; err_has "add a header line"
run 1 "$XFCAST" fit nohdr.csv --encoder none -q -o x.xfm
err_has "looks like data, not a header"
check '[ ! -e x.xfm ]' "no head written from a headerless file"

# ---- UTF-16 and UTF-32
# printf with octal escapes: "date,v\n2024-01-01,1\n" in UTF-16LE with its BOM
printf '\377\376d\000a\000t\000e\000,\000v\000\n\0002\0000\0002\0004\000-\0000\0001\000-\0000\0001\000,\0001\000\n\000' >u16.csv
run 1 "$XFCAST" inspect u16.csv -q
err_has "u16.csv:1: file is UTF-16 (little-endian); convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8"
printf '\000d\000a\000t\000e\000,\000v\000\n' >u16be.csv
run 1 "$XFCAST" inspect u16be.csv -q
err_has "file is UTF-16 (big-endian)"; err_has "iconv -f UTF-16BE"
printf '\377\376\000\000d\000\000\000' >u32.csv
run 1 "$XFCAST" inspect u32.csv -q
err_has "file is UTF-32 (little-endian)"
if command -v iconv >/dev/null 2>&1; then
    iconv -f UTF-8 -t UTF-16 d300.csv >d16.csv 2>/dev/null
    run 1 "$XFCAST" forecast d16.csv --head d.xfm -q
    err_has "is UTF-16"
    # converted as the message says, it reads
    iconv -f UTF-16 -t UTF-8 d16.csv >d8.csv
    run 0 "$XFCAST" inspect d8.csv -q
fi

echo "test_hostile_cli: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
