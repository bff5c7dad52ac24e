#!/bin/sh
# test_short.sh - short series and the scores that go with them, from the
# command line: a history shorter than the default lags is fitted (with a
# note on stderr) down to a stated minimum, below which the local model
# alone is fitted (and says so) unless options ask for more; candidates
# are compared on the
# normalised MAE when MASE is undefined (a season longer than the history)
# and never shown as 0; `fit --format json` lists them; `forecast --head
# --levels` gives the levels asked for; the backtest says when seasonal
# naive is naive.
# shellcheck disable=SC2016 # check evaluates its condition itself
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
D="$XF_SRCDIR/datasets"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_short.XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"

# daily series of N values (date,value) from seattle-weather's temp_max
daily() { awk -F, -v n="$1" 'NR == 1 {print "date,value"; next} NR <= n + 1 {print $1 "," $3}' "$D/seattle-weather.csv"; }

# --- 100 daily values: fitted with shorter lags, a note on stderr ---------
daily 100 >"$T/d100.csv"
run 0 "$XFCAST" fit "$T/d100.csv" --encoder none -o "$T/d100.xfm"
err_has "^xfcast fit: note: short series: 100 values, fitted with [0-9]* lags instead of 56"
out_has "^model:.*; [0-9]* lags;"
out_lacks "; 56 lags;"
run 0 "$XFCAST" forecast "$T/d100.csv" --head "$T/d100.xfm"
lines "$T/out" 15
err_empty
# -q keeps stderr quiet
run 0 "$XFCAST" fit "$T/d100.csv" --encoder none -q -o "$T/d100q.xfm"
err_empty
# below a ridge head's minimum: the local model alone, and the fit says so
# (why, and what it did); with --no-local-model the error states the
# minimum (and a shorter horizon lowers it)
daily 70 >"$T/d70.csv"
run 0 "$XFCAST" fit "$T/d70.csv" --encoder none -o "$T/d70.xfm"
err_has "note: too little data: .*the longest series has 70 values and a head with horizon 14 needs at least 75 observed values.*: forecasts from the local model of each origin's window alone"
out_has "^training:    none: too few origins for a ridge head (see the note); the local model of each origin's window alone, its errors at [0-9]* origins calibrate the intervals$"
out_has "^model:.*corrects the local model (period 7); 1 features$"
run 0 "$XFCAST" forecast "$T/d70.csv" --head "$T/d70.xfm"
lines "$T/out" 15
check '[ "$(awk -F, "NR > 1 && \$4 + 0 > -20 && \$4 + 0 < 45 && \$5 + 0 <= \$4 + 0 && \$4 + 0 <= \$6 + 0" "$T/out" | wc -l)" = 14 ]' "local-model forecast: 14 temperatures inside their intervals expected: $(head -3 "$T/out")"
run 0 "$XFCAST" fit "$T/d70.csv" --encoder none --format json -o "$T/d70.xfm"
out_has '"kind": "local"'
run 1 "$XFCAST" fit "$T/d70.csv" --encoder none --no-local-model -o "$T/d70n.xfm"
err_has "the longest series has 70 values and a head with horizon 14 needs at least 75 observed values"
check '[ ! -e "$T/d70n.xfm" ]' "a refused fit wrote a head"
# options the local model alone would ignore keep the refusal
run 1 "$XFCAST" fit "$T/d70.csv" --encoder none --lags 14 -o "$T/d70n.xfm"
err_has "too little data"
run 0 "$XFCAST" fit "$T/d70.csv" --encoder none --horizon 7 -o "$T/d70.xfm"
out_lacks "local model of each origin's window alone"
# a long series keeps the default lags and prints no note
daily 1000 >"$T/d1000.csv"
run 0 "$XFCAST" fit "$T/d1000.csv" --encoder none -o "$T/d1000.xfm"
out_has "; 56 lags;"
err_empty

# --- less than a year of daily weather with decimal commas ---------------
awk -F, 'NR == 1 {print "date;temp"; next} NR <= 201 {gsub(/\./, ",", $3); print $1 ";" $3}' \
    "$D/seattle-weather.csv" >"$T/euro.csv"
run 0 "$XFCAST" fit "$T/euro.csv" --decimal , --domain weather -o "$T/euro.xfm"
# (the season, 365, is longer than the history: MASE is scaled by naive's error)
out_has "^candidates:  embeddings [0-9.e-]*, no_embeddings [0-9.e-]*\(, [a-z_+]*local_model [0-9.e-]*\)\{0,1\} (held-out MASE on 3 rolling windows; the simplest within 1 SE of the lowest is kept)$"
out_lacks "candidates:.* 0,"
out_lacks "candidates:.* 0 ("
run 0 "$XFCAST" info "$T/euro.xfm"
out_has "valid.mase.embeddings "
out_lacks "valid.mase_undefined"; out_lacks "valid.mae_norm"
# the candidates in JSON, with the score they were compared on
run 0 "$XFCAST" fit "$T/euro.csv" --decimal , --domain weather --format json -o "$T/euro.xfm"
out_has '"candidates": {"score": "mase", "values": {"embeddings": [0-9.e-]*, "no_embeddings": [0-9.e-]*\(, "[a-z_+]*local_model": [0-9.e-]*\)\{0,1\}}}'
if command -v python3 >/dev/null 2>&1; then
    check 'python3 -c "import json,sys; d = json.load(open(sys.argv[1])); c = d[\"candidates\"][\"values\"]; assert len(c) in (2, 3) and min(c.values()) > 0" "$T/out"' \
        "fit --format json: not JSON, or the candidates are missing"
fi
# the rule's outcome: the chosen candidate, named among them
out_has '"chosen": "[a-z_+]* ('
if command -v python3 >/dev/null 2>&1; then
    check 'python3 -c "import json,sys; d = json.load(open(sys.argv[1])); n = d[\"chosen\"].split(\" \")[0]; assert n in d[\"candidates\"][\"values\"], n" "$T/out"' \
        "fit --format json: the chosen candidate is not one of the candidates"
fi
run 0 "$XFCAST" fit "$T/d1000.csv" --format json -o "$T/d1000e.xfm"
out_has '"candidates": {"score": "mase", "values": {"embeddings+seasonal_baseline": [0-9.e-]*, "embeddings": [0-9.e-]*, "no_embeddings+seasonal_baseline": [0-9.e-]*, "no_embeddings": [0-9.e-]*\(, "[a-z_+]*local_model": [0-9.e-]*\)\{0,1\}}}'
# the backtest says seasonal naive is naive when the season is longer
run 0 "$XFCAST" backtest "$T/euro.csv" --decimal , --domain weather --encoder none --test-start 150
out_has "^note:       1 series have less than one season (365) of history before the test start: their seasonal naive is naive$"
out_has "^note:       1 series have less than two seasons of history: MASE is scaled by naive's in-sample error$"
run 0 "$XFCAST" backtest "$T/euro.csv" --decimal , --domain weather --encoder none --test-start 150 --format json
out_has '"series_snaive_is_naive": 1, "series_mase_naive_scale": 1'
# a short training part: the fit's note on stderr
run 0 "$XFCAST" backtest "$T/euro.csv" --decimal , --domain weather --encoder none --test-start 100
err_has "^xfcast backtest: note: short series: 100 values, fitted with [0-9]* lags instead of 56"

# --- a candidate whose scale leaves every target out of range -----------
# (a month of hourly temperature normals: the same curve day after day, so
# the seasonal differences that scale the seasonal-baseline candidates are
# near 0) is scored with the standard deviation's scale instead, when the
# scale is left to the fit: nothing is dropped
awk -F, 'NR == 1 || ($1 >= "2010-07-21T18" && n++ < 500)' "$D/seattle-weather-hourly-normals.csv" >"$T/normals.csv"
run 0 "$XFCAST" fit "$T/normals.csv" --target temperature --domain weather -o "$T/normals.xfm"
out_has "^candidates:  embeddings+seasonal_baseline [0-9.e-]*, embeddings [0-9.e-]*, no_embeddings+seasonal_baseline [0-9.e-]*, no_embeddings [0-9.e-]*\(, [a-z_+]*local_model [0-9.e-]*\)\{0,1\} (held-out MASE on 3 rolling windows; the simplest within 1 SE of the lowest is kept)$"
out_has "^model: .*, std scale; corrects seasonal naive (period 24)"
run 0 "$XFCAST" info "$T/normals.xfm"
out_lacks "valid.dropped"; out_has "valid.mase.embeddings+seasonal_baseline "
# the configuration asked for, alone: its failure is the fit's
run 1 "$XFCAST" fit "$T/normals.csv" --target temperature --domain weather --encoder none \
    --baseline seasonal --seasonal-scale -o "$T/normals2.xfm"
err_has "too little usable data"

# a short hourly series (100 values: lags shortened to 23, below the season
# 24) keeps its seasonal-naive baseline: its history holds two seasons
head -n 101 "$D/seattle-weather-hourly-normals.csv" >"$T/n100.csv"
run 0 "$XFCAST" fit "$T/n100.csv" --target temperature --domain weather -o "$T/n100.xfm"
err_has "fitted with 23 lags"
out_has "corrects seasonal naive (period 24)"
# ... and has no day-of-year terms: 100 hours are not a year (fitted on
# part of a cycle they act as a trend); the hour of day stays
out_has "; calendar hour-of-day x4; "

# four days of half-hourly demand: the weekly season (336) does not fit
# twice, the daily one (48) does: the seasonal-baseline candidates stay,
# with the day as their period (and the week terms are left out)
awk -F, 'NR == 1 || (NR > 1000 && NR <= 1200)' "$D/taylor-halfhourly.csv" >"$T/t200.csv"
run 0 "$XFCAST" fit "$T/t200.csv" --domain energy --horizon 48 -o "$T/t200.xfm"
out_has "^candidates:  embeddings+seasonal_baseline [0-9.e-]*, embeddings [0-9.e-]*, no_embeddings+seasonal_baseline "
out_has "; calendar hour-of-day x4; "

# --- forecast --head --levels: the levels asked for ------------------------
run 0 "$XFCAST" forecast "$T/d1000.csv" --head "$T/d1000.xfm" --levels 90
out_has "^id,timestamp,step,mean,lo90,hi90$"
run 0 "$XFCAST" forecast "$T/d1000.csv" --head "$T/d1000.xfm" --levels 50,99 --format json
out_has '"levels": \[50, 99\]'
# the head's own levels (default) are unchanged, asked for or not
"$XFCAST" forecast "$T/d1000.csv" --head "$T/d1000.xfm" >"$T/own.csv" 2>&1
"$XFCAST" forecast "$T/d1000.csv" --head "$T/d1000.xfm" --levels 80,95 >"$T/own2.csv" 2>&1
check 'cmp -s "$T/own.csv" "$T/own2.csv"' "--levels 80,95 changed the head's own intervals"
file_has "$T/own.csv" "^id,timestamp,step,mean,lo80,hi80,lo95,hi95$"
# a 90% interval lies between the 80% and 95% ones
"$XFCAST" forecast "$T/d1000.csv" --head "$T/d1000.xfm" --levels 80,90,95 >"$T/three.csv" 2>&1
check 'awk -F, "NR > 1 && !(\$7 <= \$5 && \$9 <= \$7 && \$6 <= \$8 && \$8 <= \$10) {bad = 1} END {exit bad}" "$T/three.csv"' \
    "80/90/95% intervals are not nested: $(head -3 "$T/three.csv")"
run 2 "$XFCAST" forecast "$T/d1000.csv" --head "$T/d1000.xfm" --levels 100
err_has "100"

echo "test_short: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
