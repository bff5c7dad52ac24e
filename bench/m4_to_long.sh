#!/bin/sh
# bench/m4_to_long.sh - turn the M4 competition's wide train and test files
# (one row per series: "H1",v1,v2,...,,, with trailing empty fields, and a
# header row "V1","V2",...) into one long CSV that xfcast and the R scripts
# read:
#
#     id,timestamp,value
#     H1,2019-11-22T00:00:00,605
#     ...
#
# Each series' training values are followed by its test values.  The
# series have no timestamps; synthetic ones are written at the step given
# (default 1 hour, for M4 Hourly) such that every series' FIRST TEST value
# is at 2020-01-01T00:00:00 (so `xfcast backtest --test-start
# 2020-01-01T00:00:00` forecasts exactly the test values from the end of
# each training series, and the last training value is at
# 2019-12-31T23:00:00).  Values are copied verbatim.  Series are written
# in the order of the training file; a series without test values (or
# with test values but no training row) is an error.
#
# Usage:
#     sh bench/m4_to_long.sh TRAIN.csv TEST.csv [STEP_SECONDS] >LONG.csv
#
# STEP_SECONDS: seconds between values (default 3600; must divide 86400).
# Exit status: 0 success, 1 bad input, 2 usage error.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
set -eu

usage() {
    echo "usage: sh bench/m4_to_long.sh TRAIN.csv TEST.csv [STEP_SECONDS] >LONG.csv" >&2
    exit 2
}

[ $# -eq 2 ] || [ $# -eq 3 ] || usage
TRAIN=$1
TEST=$2
STEP=${3:-3600}
case $STEP in '' | *[!0-9]* | 0) usage ;; esac
[ $((86400 % STEP)) -eq 0 ] || {
    echo "bench/m4_to_long.sh: STEP_SECONDS must divide 86400" >&2
    exit 2
}
for f in "$TRAIN" "$TEST"; do
    [ -r "$f" ] || {
        echo "bench/m4_to_long.sh: cannot read $f" >&2
        exit 1
    }
done

# One awk program (POSIX awk; mawk is fine): the test file is read first
# into memory (414 x 48 values for Hourly), then the training file is
# streamed.  Dates are computed from day numbers with the proleptic
# Gregorian algorithms of H. Hinnant ("chrono-compatible low-level date
# algorithms"), so no mktime/strftime extension is needed.
awk -v step="$STEP" -v testfile="$TEST" '
# day number (days since 1970-01-01) -> "YYYY-MM-DD"
function civil(z,    era, doe, yoe, y, doy, mp, d, m) {
    z += 719468
    era = int((z >= 0 ? z : z - 146096) / 146097)
    doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153)
    d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9
    if (m <= 2) y++
    return sprintf("%04d-%02d-%02d", y, m, d)
}
# "YYYY-MM-DD" of 2020-01-01 as a day number (checked once at the start)
function days_from_civil(y, m, d,    era, yoe, doy, doe) {
    if (m <= 2) y--
    era = int((y >= 0 ? y : y - 399) / 400)
    yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
}
# timestamp of the value k steps after 2020-01-01T00:00:00 (k may be < 0)
function stamp(k,    s, day, sod) {
    s = k * step
    day = base + int(s / 86400)
    sod = s % 86400
    if (sod < 0) { sod += 86400; day-- }
    if (!(day in dcache)) dcache[day] = civil(day)
    return sprintf("%sT%02d:%02d:%02d", dcache[day], int(sod / 3600), int(sod % 3600 / 60), sod % 60)
}
# report an error and stop (END sees bad = 1 and exits at once)
function fail(msg) {
    printf "m4_to_long: %s\n", msg > "/dev/stderr"
    bad = 1
    exit 1
}
# strip quotes and a carriage return from a field
function clean(v) {
    gsub(/["\r]/, "", v)
    return v
}
BEGIN {
    FS = ","
    base = days_from_civil(2020, 1, 1)
    if (civil(base) != "2020-01-01") fail("date arithmetic failed")
    # the test file: id -> its values, comma-joined
    nr = 0
    while ((getline line < testfile) > 0) {
        if (++nr == 1) continue                  # header "V1","V2",...
        nf = split(line, f, ",")
        id = clean(f[1])
        if (id == "") continue
        n = 0; vals = ""
        for (i = 2; i <= nf; i++) {
            v = clean(f[i])
            if (v == "") continue
            vals = vals (n ? "," : "") v; n++
        }
        if (id in tvals) fail(testfile ": series " id " twice")
        tvals[id] = vals; tn[id] = n
    }
    if (nr == 0) fail(testfile " is empty or unreadable")
    close(testfile)
    print "id,timestamp,value"
}
FNR == 1 { next }                                # header of the training file
{
    id = clean($1)
    if (id == "") next
    if (!(id in tvals)) fail("series " id " has no test row")
    # training values: the non-empty fields (trailing ones are empty)
    n = 0
    for (i = 2; i <= NF; i++) {
        v = clean($i)
        if (v != "") x[++n] = v
    }
    for (i = 1; i <= n; i++) print id "," stamp(i - 1 - n) "," x[i]
    m = split(tvals[id], y, ",")
    for (i = 1; i <= m; i++) print id "," stamp(i - 1) "," y[i]
    done[id] = 1; nser++
}
END {
    if (bad) exit 1
    for (id in tvals) if (!(id in done)) {
        bad = 1
        printf "m4_to_long: series %s of the test file has no training row\n", id > "/dev/stderr"
        exit 1
    }
    printf "m4_to_long: %d series\n", nser > "/dev/stderr"
}' "$TRAIN"
