#!/bin/sh
# test_datasets.sh - `xfcast inspect` gives the right summary for every
# bundled dataset (facts checked independently when the files were made:
# see datasets/README.md).
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
D="$XF_SRCDIR/datasets"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_ds.XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"

# expect FILE ID ROWS START END FREQ MISSING GAPS RUNS LONGEST DOMAIN
expect() {
    f=$1; id=$2; shift 2
    checks=$((checks + 1))
    if ! "$XFCAST" inspect "$D/$f" >"$T/out" 2>"$T/err"; then
        fail "$f: exit status $? ($(cat "$T/err"))"; return
    fi
    [ -s "$T/err" ] && fail "$f: stderr not empty: $(cat "$T/err")"
    got=$(awk -v id="$id" '$1 == id { print; exit }' "$T/out" | tr -s ' ' | cut -d' ' -f2-)
    [ "$got" = "$*" ] || fail "$f: series $id: got '$got', expected '$*'"
}

# S&P 500: business days, 190 weekday market holidays in 185 runs (longest 4: Sept 2001)
for c in open high low close adjclose volume; do
    expect sp500-2000.csv $c 5105 2000-01-03 2020-04-17 B 0 190 185 4 stock
done
# Seattle daily weather: the text column 'weather' is not a series
for c in precipitation temp_max temp_min wind; do
    expect seattle-weather.csv $c 1461 2012-01-01 2015-12-31 D 0 0 0 0 weather
done
checks=$((checks + 1))
"$XFCAST" inspect "$D/seattle-weather.csv" | grep -q 'weather\[ignored\]' || fail "weather column not ignored"
# Seattle hourly normals: 8759 rows, the first hour of 2010 absent
for c in pressure temperature wind; do
    expect seattle-weather-hourly-normals.csv $c 8759 2010-01-01T01:00:00Z 2010-12-31T23:00:00Z 1h 0 0 0 0 weather
done
# Taylor: 12 weeks of half-hours
expect taylor-halfhourly.csv demand 4032 2000-06-05T00:00:00Z 2000-08-27T23:30:00Z 30min 0 0 0 0 energy

# JSON for all of them at once is valid JSON with 14 series
checks=$((checks + 1))
"$XFCAST" inspect "$D"/*.csv --format json >"$T/all.json" 2>"$T/err" || fail "json over all datasets failed"
if command -v python3 >/dev/null 2>&1; then
    checks=$((checks + 1))
    n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(f["series"]) for f in d["files"]))' "$T/all.json")
    [ "$n" = 14 ] || fail "expected 14 series over all datasets, got $n"
fi

# The holiday calendars are what datasets/make-holidays.sh computes from the rules
checks=$((checks + 1))
if sh "$D/make-holidays.sh" "$T/holidays" 2>"$T/err"; then
    for f in nyse.csv england-wales.csv; do
        cmp -s "$T/holidays/$f" "$D/holidays/$f" || fail "datasets/holidays/$f differs from make-holidays.sh's output"
    done
else
    fail "make-holidays.sh failed: $(cat "$T/err")"
fi

echo "test_datasets: $checks checks, $fails failed"
[ "$fails" = 0 ]
