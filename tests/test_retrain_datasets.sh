#!/bin/sh
# test_retrain_datasets.sh - `xfcast retrain` and `xfcast store` on the
# bundled datasets (examples/sources.conf): every source gets a first head;
# each CSV cut short and then grown back gives exact incremental updates;
# the store lists, shows and forecasts them.
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_rtd.XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"
status_is() { # SOURCE KEY VALUE
    checks=$((checks + 1))
    v=$(sed -n "s/^$2: //p" "$T/store/$1/status")
    [ "$v" = "$3" ] || fail "$1: status $2 is '$v', expected '$3' ($(sed -n 's/^message: //p' "$T/store/$1/status"))"
}

# the datasets, cut short by 200 rows (kept with the header), in a copy of
# the example configuration whose paths point at them; encoder = none keeps
# the test fast (the default encoders are exercised by test_retrain_faults)
mkdir -p "$T/data"
for f in taylor-halfhourly sp500-2000 seattle-weather seattle-weather-hourly-normals; do
    n=$(wc -l <"$XF_SRCDIR/datasets/$f.csv")
    head -n $((n - 200)) "$XF_SRCDIR/datasets/$f.csv" >"$T/data/$f.csv"
done
sed -e 's|\.\./datasets/|data/|' -e 's|^\[defaults\]$|[defaults]\nencoder = none|' \
    "$XF_SRCDIR/examples/sources.conf" >"$T/sources.conf"
run 0 "$XFCAST" retrain --config "$T/sources.conf" --store "$T/store"
for s in taylor sp500 seattle-daily seattle-hourly; do
    status_is $s outcome promoted; status_is $s version 1
done
run 0 "$XFCAST" store list --store "$T/store"
out_has "^taylor  *v1  *-  *promoted"; out_has "^sp500  *v1"
# grown back to the full files: exact incremental updates of the new rows
for f in taylor-halfhourly sp500-2000 seattle-weather seattle-weather-hourly-normals; do
    cp "$XF_SRCDIR/datasets/$f.csv" "$T/data/$f.csv"
done
run 0 "$XFCAST" retrain --config "$T/sources.conf" --store "$T/store" --verbose
for s in taylor sp500 seattle-daily seattle-hourly; do
    status_is $s outcome updated; status_is $s version 2
done
status_is taylor rows_added 200
status_is seattle-daily rows_added 400
run 0 "$XFCAST" store show sp500 --store "$T/store"
out_has "domain stock"; out_has "returns scale"; out_has "outcome: updated"
run 0 "$XFCAST" store forecast taylor --store "$T/store"
out_has "^id,timestamp,step,mean,lo80,hi80,lo95,hi95$"; out_has "^demand,2000-08-28T00:00:00Z,1,"
run 0 "$XFCAST" store forecast seattle-daily --store "$T/store" --format json
out_has '"temp_max"'; out_has '"temp_min"'
echo "test_retrain_datasets: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
