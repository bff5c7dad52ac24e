#!/bin/sh
# test_forecast.sh - fit, forecast and backtest from the command line: on
# every bundled dataset, output formats (CSV, JSON, SVG), calendar-aware
# timestamps, covariates, zero-shot forecasts and the errors a user meets.
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
D="$XF_SRCDIR/datasets"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_fc.XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"

# cheap settings for the per-dataset runs (the defaults are exercised on taylor)
FAST="--encoder gru-base --max-windows 1500 --threads 2"

# --- every bundled dataset: fit, forecast with the head, zero-shot, backtest
for f in taylor-halfhourly sp500-2000 seattle-weather seattle-weather-hourly-normals; do
    case $f in
    sp500-2000) dom=stock; tgt="--target close,volume"; ts=2019-01-02; nser=2 ;;
    seattle-weather) dom=weather; tgt=""; ts=2015-06-01; nser=4 ;;
    seattle-weather-hourly-normals) dom=weather; tgt="--target temperature"; ts=2010-12-01; nser=1 ;;
    *) dom=energy; tgt=""; ts=2000-08-14; nser=1 ;;
    esac
    # shellcheck disable=SC2086
    run 0 "$XFCAST" fit "$D/$f.csv" --domain $dom $tgt $FAST -o "$T/$f.xfm"
    out_has "model:"; out_has "coverage:"; out_has "validation:"
    run 0 "$XFCAST" info "$T/$f.xfm"; out_has "head"; out_has "weights"
    # shellcheck disable=SC2086
    run 0 "$XFCAST" forecast "$D/$f.csv" $tgt --head "$T/$f.xfm" -o "$T/$f.fc.csv"
    H=$("$XFCAST" info "$T/$f.xfm" --format json | sed -n 's/.*"head.horizon", "type": "i64", "value": \([0-9]*\).*/\1/p' | head -n 1)
    check '[ -n "$H" ]' "$f: no horizon in the head's info"
    [ -n "$H" ] && lines "$T/$f.fc.csv" $((nser * H + 1))
    file_has "$T/$f.fc.csv" "^id,timestamp,step,mean,lo80,hi80,lo95,hi95$"
    check '! grep -q "NA" "$T/$f.fc.csv"' "$f: forecast has NA values"
    # shellcheck disable=SC2086
    run 0 "$XFCAST" forecast "$D/$f.csv" $tgt --horizon 5 -q
    out_has "^id,timestamp,step,mean"
    # shellcheck disable=SC2086
    run 0 "$XFCAST" backtest "$D/$f.csv" --domain $dom $tgt $FAST --test-start $ts \
        --forecasts-out "$T/$f.bt.csv"
    out_has "seasonal naive"; out_has "MASE"
    file_has "$T/$f.bt.csv" "^id,origin,timestamp,step,actual,mean,lo80,hi80,lo95,hi95$"
done

# --- defaults (both shipped encoders), plot, JSON -------------------------
run 0 "$XFCAST" fit "$D/taylor-halfhourly.csv" -o "$T/taylor.xfm"
out_has "model:"; out_has "^candidates:  embeddings+seasonal_baseline [0-9.]*, embeddings [0-9.]*, no_embeddings+seasonal_baseline [0-9.]*, no_embeddings [0-9.]*\(, [a-z_+]*local_model [0-9.e-]*\)\{0,1\} (held-out MASE on 3 rolling windows; the simplest within 1 SE of the lowest is kept)$"
out_has "^chosen:      [a-z_+]* (\\(the lowest\\|[a-z_+]* [0-9.e-]* \\(within 1 SE\\|below\\)\\)"
# without --domain (the fit above): the domain inspect suggests, said in the report
out_has "^model:       ridge head, domain energy,"
out_has "^domain:      energy, chosen from the data (the column name looks like an energy quantity); --domain to choose another$"
err_empty
run 0 "$XFCAST" fit "$D/taylor-halfhourly.csv" --domain generic --encoder none -o "$T/generic.xfm"
out_has "^model:       ridge head, domain generic,"; out_lacks "^domain:"
run 0 "$XFCAST" fit "$D/taylor-halfhourly.csv" --domain auto --encoder none --format json -o "$T/auto.xfm"
out_has '"domain": "energy", "domain_chosen_because": "the column name looks like an energy quantity"'
err_has "domain energy (the column name looks like an energy quantity; --domain to choose another)"
run 0 "$XFCAST" backtest "$D/seattle-weather.csv" --target temp_max --encoder none --test-start 2015-06-01
out_has "^domain:     weather, chosen from the data"
# the defaults compare the head with and without the shipped encoders' embeddings
run 0 "$XFCAST" info "$T/taylor.xfm"
out_has "valid.mase.embeddings "; out_has "valid.mase.no_embeddings "
out_has "valid.mase.embeddings+seasonal_baseline"
# --selection single: the one split of the fits before the rolling windows,
# the lowest kept (no rule to report)
run 0 "$XFCAST" fit "$D/taylor-halfhourly.csv" --encoder none --selection single -o "$T/taylor1.xfm"
out_has "^candidates:  .* (held-out MASE; the lowest is kept)$"
out_lacks "^chosen:"
run 0 "$XFCAST" info "$T/taylor1.xfm"
out_has 'valid.selection  *str  *"single"'
run 2 "$XFCAST" fit "$D/taylor-halfhourly.csv" --selection best -o "$T/taylor1.xfm"
err_has "selection"
run 0 "$XFCAST" fit "$D/taylor-halfhourly.csv" --encoder gru-base --encoder tcn-base -o "$T/taylor2.xfm"
out_has "embeddings of gru-base + tcn-base"
run 0 "$XFCAST" forecast "$D/taylor-halfhourly.csv" --head "$T/taylor.xfm" --plot "$T/t.svg" \
    --format json
out_has '"forecasts"'; out_has '"lo95"'; err_has "plot of 'demand' written"
if command -v python3 >/dev/null 2>&1; then
    checks=$((checks + 1))
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["forecasts"][0]["steps"]) == 48' "$T/out" \
        || fail "forecast JSON is not valid or lacks 48 steps"
fi
file_has "$T/t.svg" "<svg"; file_has "$T/t.svg" 'class="forecast"'; file_has "$T/t.svg" 'data-level="95"'
file_has "$T/t.svg" "2000-08-2"
if command -v xmllint >/dev/null 2>&1; then
    checks=$((checks + 1))
    xmllint --noout "$T/t.svg" 2>"$T/err" || fail "SVG is not well-formed: $(head -c 300 "$T/err")"
fi
# the first forecast step follows the last half-hour of the file
run 0 "$XFCAST" forecast "$D/taylor-halfhourly.csv" --head "$T/taylor.xfm"
out_has "^demand,2000-08-28T00:00:00Z,1,"; out_has "^demand,2000-08-28T23:30:00Z,48,"

# --- calendars: business days skip weekends; months keep month ends ---------
run 0 "$XFCAST" forecast "$D/sp500-2000.csv" --target close --head "$T/sp500-2000.xfm"
# forecast steps of a business-day series never fall on weekends
checks=$((checks + 1))
for d in $(cut -d, -f2 "$T/out" | tail -n +2); do
    wd=$(date -u -d "$d" +%u 2>/dev/null) || continue
    [ "$wd" -le 5 ] || fail "business-day forecast on a weekend: $d"
done
awk 'BEGIN { print "month,sales"; for (i = 0; i < 96; i++) { y = 2010 + int(i / 12); m = i % 12 + 1;
     d = (m == 2) ? ((y % 4 == 0) ? 29 : 28) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
     printf "%04d-%02d-%02d,%.3f\n", y, m, d, 100 + 10 * sin(6.2831853 * i / 12) + i * 0.5 } }' \
    >"$T/monthly.csv"
run 0 "$XFCAST" fit "$T/monthly.csv" --encoder none -o "$T/monthly.xfm" -q
run 0 "$XFCAST" forecast "$T/monthly.csv" --head "$T/monthly.xfm" --horizon 3
out_has "^sales,2018-01-31,1,"; out_has "^sales,2018-02-28,2,"; out_has "^sales,2018-03-31,3,"

# --- covariates: future values come from the rows after the target ---------
awk 'BEGIN { s = 12345; print "time,load,temperature";
     for (i = 0; i < 24 * 80; i++) { s = (s * 1103515245 + 12345) % 2147483648;
       temp = 15 + 8 * sin(6.2831853 * i / (24 * 30)) + 4 * (s / 2147483648 - 0.5);
       load = 300 + 40 * sin(6.2831853 * (i % 24) / 24) + 6 * temp;
       t = i * 3600 + 1577836800;
       if (i < 24 * 79) printf "%s,%.3f,%.3f\n", strftime("%Y-%m-%dT%H:%M:%S", t, 1), load, temp;
       else printf "%s,,%.3f\n", strftime("%Y-%m-%dT%H:%M:%S", t, 1), temp } }' >"$T/energy.csv" 2>/dev/null
if [ -s "$T/energy.csv" ]; then
    run 0 "$XFCAST" fit "$T/energy.csv" --domain energy --target load --encoder none -o "$T/e0.xfm"
    err_has "column 'temperature' looks like a covariate"
    v0=$(sed -n 's/^validation:  MSE \([0-9.e-]*\).*/\1/p' "$T/out")
    run 0 "$XFCAST" fit "$T/energy.csv" --domain energy --target load --covariate temperature \
        --encoder none -o "$T/e1.xfm"
    v1=$(sed -n 's/^validation:  MSE \([0-9.e-]*\).*/\1/p' "$T/out")
    check "awk -v a=\"$v1\" -v b=\"$v0\" 'BEGIN { exit !(a < 0.5 * b) }'" \
        "covariate did not help: held-out MSE $v1 with, $v0 without"
    run 0 "$XFCAST" forecast "$T/energy.csv" --target load --head "$T/e1.xfm"
    out_has "^load,2020-03-20T00:00:00Z,1,"
    # the covariate's future rows are missing: a clear error
    head -n $((24 * 79 + 1 + 5)) "$T/energy.csv" >"$T/energy-short.csv"
    run 1 "$XFCAST" forecast "$T/energy-short.csv" --target load --head "$T/e1.xfm"
    err_has "covariate 'temperature' has no value at forecast step 6"
    # a file without the covariate column
    cut -d, -f1,2 "$T/energy.csv" >"$T/energy-nocov.csv"
    run 1 "$XFCAST" forecast "$T/energy-nocov.csv" --head "$T/e1.xfm"
    err_has "temperature"
fi

# --- errors -----------------------------------------------------------------
# a head with another encoder than the one it was fitted on
run 1 "$XFCAST" forecast "$D/taylor-halfhourly.csv" --head "$T/taylor-halfhourly.xfm" --encoder tcn-base
err_has "fitted on encoder 'gru-base'"; err_has "fingerprint"
# horizon beyond the head's
run 1 "$XFCAST" forecast "$D/taylor-halfhourly.csv" --head "$T/taylor.xfm" --horizon 49
err_has "the head forecasts 1..48 steps"
# zero-shot beyond the pretraining horizon
run 1 "$XFCAST" forecast "$D/taylor-halfhourly.csv" --horizon 337
err_has "the zero-shot head of 'tcn-v3' forecasts at most 336 steps"
run 1 "$XFCAST" forecast "$D/taylor-halfhourly.csv" --horizon 65 --encoder gru-base
err_has "at most 64 steps"
# columns that differ from the fitted ones: a conflict with the head's data spec
run 2 "$XFCAST" forecast "$D/seattle-weather-hourly-normals.csv" --target pressure \
    --head "$T/seattle-weather-hourly-normals.xfm"
err_has "the head models 'temperature'; --target pressure"
# not a head
run 1 "$XFCAST" forecast "$D/taylor-halfhourly.csv" --head "$XF_SRCDIR/models/gru-base.xfm"
err_has "not a head"
run 1 "$XFCAST" fit "$T/missing.csv" -o "$T/x.xfm"; err_has "cannot open"
run 2 "$XFCAST" fit "$D/taylor-halfhourly.csv"; err_has "usage: xfcast fit"
run 2 "$XFCAST" fit "$D/taylor-halfhourly.csv" -o "$T/x.xfm" --levels 100; err_has "--levels"
run 2 "$XFCAST" backtest "$D/taylor-halfhourly.csv"; err_has "--test-start"
run 2 "$XFCAST" forecast "$D/taylor-halfhourly.csv" --format xml; err_has "csv or json"
run 1 "$XFCAST" fit "$D/taylor-halfhourly.csv" -o "$T/x.xfm" --encoder nosuch; err_has "encoder 'nosuch' not found"
# an all-missing series next to a good one: the good one is still forecast
awk 'BEGIN { print "date,good,empty"; for (i = 0; i < 300; i++)
     printf "%s,%d,NA\n", strftime("%Y-%m-%d", 1609459200 + i * 86400, 1), i % 7 }' >"$T/mixed.csv"
run 0 "$XFCAST" fit "$T/mixed.csv" --target good,empty --na-values NA --encoder none -o "$T/mixed.xfm" -q
run 1 "$XFCAST" forecast "$T/mixed.csv" --target good,empty --na-values NA --head "$T/mixed.xfm"
err_has "'empty' has no observed value"; out_has "^good,2021-10-28,1,"
# too little data: 19 daily values (two weeks and 5 days) get the local model
# with pooled intervals; 16 (under 3 + 14 + 1) are refused with the length needed
head -n 20 "$T/mixed.csv" >"$T/tiny.csv"
run 0 "$XFCAST" fit "$T/tiny.csv" --target good -o "$T/x.xfm"; err_has "too little data"
err_has "pooled over the steps"
run 0 "$XFCAST" forecast "$T/tiny.csv" --target good --head "$T/x.xfm"
out_has "^good,"
head -n 17 "$T/mixed.csv" >"$T/tiny.csv"
run 1 "$XFCAST" fit "$T/tiny.csv" --target good -o "$T/x.xfm"; err_has "too little data"
err_has "at least 18 are needed with horizon 14"

# backtests that refit as the origin moves, or over windows: the same origins
run 0 "$XFCAST" backtest "$D/taylor-halfhourly.csv" --encoder none --test-start 2000-08-14 --format json
n1=$(sed -n 's/.*"origins": \([0-9]*\).*/\1/p' "$T/out")
run 0 "$XFCAST" backtest "$D/taylor-halfhourly.csv" --encoder none --test-start 2000-08-14 --refit-every 96
out_has "^refits:     every 96 steps"; out_has " 14 forecast origins"
run 0 "$XFCAST" backtest "$D/taylor-halfhourly.csv" --encoder none --test-start 2000-08-14 --windows 2 --format json
check '[ "$(sed -n "s/.*\"origins\": \([0-9]*\).*/\1/p" "$T/out")" = "$n1" ]' "--windows 2: not the $n1 origins of one fit"
out_has '"refit_every": 0, "windows": 2'
run 2 "$XFCAST" backtest "$D/taylor-halfhourly.csv" --encoder none --test-start 2000-08-14 --windows 2 --refit-every 48
err_has "give one of them"
run 2 "$XFCAST" backtest "$D/taylor-halfhourly.csv" --test-start 2000-08-14 --windows 0
err_has "\-\-windows takes a whole number in 1..1000"

echo "test_forecast: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
