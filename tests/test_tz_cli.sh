#!/bin/sh
# test_tz_cli.sh - --tz on a half-hourly energy series in Europe/Berlin across
# both 2024 daylight-saving changes (a 23-hour day on 2024-03-31, a 25-hour
# day with 50 half hours on 2024-10-27), written in local time without
# offsets: inspect/fit/forecast read it, forecasts carry +01:00/+02:00 across
# a change, a head records data.tz and forecast --head reuses it, a local
# time in the spring gap is an error with file:line, the same instants
# written with offsets give the same forecast, and the calendar terms follow
# the zone (the same data forecast without --tz differs).  Skipped (77) when
# the system has no Europe/Berlin zoneinfo (Debian: tzdata).
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
if [ ! -f "${TZDIR:-/usr/share/zoneinfo}/Europe/Berlin" ]; then
    echo "test_tz: no Europe/Berlin zoneinfo (install tzdata): skipped"
    exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_tz.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"
cd "$T" || exit 99

# gen FROM N STYLE [NOISE]: N half-hourly loads from UTC epoch second FROM, written
# as Berlin local time (STYLE local) or with the offset (STYLE offset); the
# load is high from 08:00 to 20:00 local time.  Summer time 2024:
# 1711846800 (03-31T01:00Z) .. 1729990800 (10-27T01:00Z).
gen() {
    awk -v from="$1" -v n="$2" -v style="$3" -v noise="${4:-0}" "$AWK_CIVIL"'
    BEGIN {
        print "time,load"
        srand(1)
        for (k = 0; k < n; k++) {
            t = from + 1800 * k
            off = (t >= 1711846800 && t < 1729990800) ? 7200 : 3600
            l = t + off; days = int(l / 86400); sod = l - days * 86400; h = sod / 3600
            v = 100 + 40 * (h >= 8 && h < 20) + 10 * sin(2 * 3.14159265 * h / 24) + (k % 7) * 0.5
            if (noise > 0) v += noise * (rand() - 0.5)
            printf "%sT%02d:%02d:00%s,%.2f\n", civil(days), int(sod / 3600), int((sod % 3600) / 60),
                   style == "offset" ? sprintf("+%02d:00", off / 3600) : "", v
        }
    }'
}

# 2024-03-01 00:00 local .. 2024-11-30 23:30 local: both changes
gen 1709247600 13200 local >year.csv
check '[ "$(grep -c "^2024-03-31" year.csv)" = 46 ]' "generator: 2024-03-31 should have 46 half hours"
check '[ "$(grep -c "^2024-10-27" year.csv)" = 50 ]' "generator: 2024-10-27 should have 50 half hours"
run 0 "$XFCAST" inspect year.csv --tz Europe/Berlin
out_has "ISO-8601, Europe/Berlin"
out_has "^load  *13200 .* 30min  *0  *0 "
# without --tz the repeated autumn hour is a duplicate timestamp
check '! "$XFCAST" inspect year.csv >/dev/null 2>&1' "the local file read as UTC should have duplicates"
run 1 "$XFCAST" inspect year.csv --tz No/Such_Zone
err_has "unknown time zone 'No/Such_Zone'"

# a local time in the spring gap: an error naming file:line
{ head -1 year.csv; grep '^2024-03-31T01:30' year.csv; echo '2024-03-31T02:30:00,101'; } >gap.csv
check '! "$XFCAST" inspect gap.csv --tz Europe/Berlin >out 2>err' "a time in the gap should fail"
file_has err "gap.csv:3:1: local time '2024-03-31T02:30:00' does not exist in time zone Europe/Berlin"

# spring: history ends 2024-03-31 00:00 local (23:00Z); the forecast crosses 02:00 -> 03:00
gen 1709247600 1442 local >spring.csv
check '[ "$(tail -1 spring.csv | cut -c1-19)" = 2024-03-31T00:30:00 ]' "spring.csv should end 00:30 local"
run 0 "$XFCAST" fit spring.csv --tz Europe/Berlin --horizon 8 -o spring.xfm
run 0 "$XFCAST" forecast spring.csv --head spring.xfm
cut -d, -f2 "$T/out" >spring.ts
check '[ "$(sed -n 2,6p spring.ts | tr "\n" " ")" = "2024-03-31T01:00:00+01:00 2024-03-31T01:30:00+01:00 2024-03-31T03:00:00+02:00 2024-03-31T03:30:00+02:00 2024-03-31T04:00:00+02:00 " ]' \
    "spring forecast timestamps: $(sed -n 2,6p spring.ts | tr '\n' ' ')"
run 0 "$XFCAST" info spring.xfm
out_has "Europe/Berlin"
# the zone is part of what the head models: another one is refused
run 2 "$XFCAST" forecast spring.csv --head spring.xfm --tz America/New_York
err_has "fitted with --tz Europe/Berlin"

# a store source with the INI key tz: store forecast needs nothing else
printf '[spring]\ncsv = spring.csv\ntz = Europe/Berlin\nhorizon = 4\nencoder = none\n' >s.conf
run 0 "$XFCAST" retrain --config s.conf --store st
run 0 "$XFCAST" store forecast spring --store st
out_has "^load,2024-03-31T03:00:00+02:00,3,"

# autumn: history ends 2024-10-27 01:30 local (+02:00); the forecast repeats 02:00-02:59
gen 1727733600 1249 local >autumn.csv
check '[ "$(tail -1 autumn.csv | cut -c1-19)" = 2024-10-27T00:00:00 ]' "autumn.csv should end 00:00 local"
run 0 "$XFCAST" fit autumn.csv --tz Europe/Berlin --horizon 8 -o autumn.xfm
run 0 "$XFCAST" forecast autumn.csv --head autumn.xfm
cp "$T/out" autumn_fc.csv
cut -d, -f2 autumn_fc.csv >autumn.ts
check '[ "$(sed -n 2,9p autumn.ts | tr "\n" " ")" = "2024-10-27T00:30:00+02:00 2024-10-27T01:00:00+02:00 2024-10-27T01:30:00+02:00 2024-10-27T02:00:00+02:00 2024-10-27T02:30:00+02:00 2024-10-27T02:00:00+01:00 2024-10-27T02:30:00+01:00 2024-10-27T03:00:00+01:00 " ]' \
    "autumn forecast timestamps: $(sed -n 2,9p autumn.ts | tr '\n' ' ')"

# the same instants written with offsets, read with --tz: the same forecast
gen 1727733600 1249 offset >autumn_off.csv
run 0 "$XFCAST" fit autumn_off.csv --tz Europe/Berlin --horizon 8 -o autumn_off.xfm
run 0 "$XFCAST" forecast autumn_off.csv --head autumn_off.xfm
check 'cmp -s "$T/out" autumn_fc.csv' "offsets + --tz should forecast as local time + --tz"
# ... and without --tz: UTC output
run 0 "$XFCAST" fit autumn_off.csv --horizon 8 -o autumn_utc.xfm
run 0 "$XFCAST" forecast autumn_off.csv --head autumn_utc.xfm
out_has "^load,2024-10-26T22:30:00Z,1,"
run 0 "$XFCAST" info autumn_utc.xfm
out_lacks "Europe/Berlin"
# the calendar terms: a noisy series whose pattern follows local hours, with
# history across the autumn change (the local calendar is the UTC one
# shifted by 2 hours before it and by 1 hour after): fitted with --tz and
# without, the same instants forecast differently
gen 1727733600 1700 offset 30 >noisy.csv
run 0 "$XFCAST" fit noisy.csv --tz Europe/Berlin --horizon 8 -o noisy_tz.xfm
run 0 "$XFCAST" forecast noisy.csv --head noisy_tz.xfm
out_has "^load,2024-11-05T09:00:00+01:00,1,"
cut -d, -f4 "$T/out" >noisy_tz.mean
run 0 "$XFCAST" fit noisy.csv --horizon 8 -o noisy_utc.xfm
run 0 "$XFCAST" forecast noisy.csv --head noisy_utc.xfm
out_has "^load,2024-11-05T08:00:00Z,1,"
cut -d, -f4 "$T/out" >noisy_utc.mean
check '! cmp -s noisy_tz.mean noisy_utc.mean' "calendar terms in local time should change the forecast"

echo "test_tz: $checks checks, $fails failed"
[ "$fails" = 0 ]
