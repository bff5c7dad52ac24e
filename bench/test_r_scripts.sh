#!/bin/sh
# bench/test_r_scripts.sh - self-check of bench/r_anchors.R and
# bench/score.R on small synthetic data (needs only Rscript, base R and the
# CRAN package forecast).
#
# Usage: sh bench/test_r_scripts.sh
#   Environment: RSCRIPT (default Rscript); KEEP=1 keeps the work directory.
# Exit status: 0 all checks passed; 1 a check failed; 77 Rscript or the R
# package forecast is missing (automake's "skipped").
#
# What it does:
#   1. makes a long CSV with 2 hourly series of 400 points (daily season,
#      trend, pseudo-random noise from an LCG; one missing value), and an
#      xfcast-format forecasts file whose mean is the seasonal naive forecast
#      (period 24), computed here in awk together with its MAE;
#   2. runs r_anchors.R with all four methods and checks each output's
#      header, rows, copied columns and intervals;
#   3. runs score.R on the forecasts file and the four outputs and checks
#      that its snaive baseline and the seasonal-naive file both have the
#      MAE computed by awk, and that every coverage is within [0, 100];
#   4. checks MAE, RMSE, MASE (with --scale-period 1 and 2), coverage and
#      the baselines on a tiny wide file computed by hand, the
#      inner join, and the exit status 2 for a missing file, an unknown
#      column and an unknown series.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016,SC2317 # awk programs in single quotes; helpers called via check
set -u

RSCRIPT=${RSCRIPT:-Rscript}
HERE=$(cd "$(dirname "$0")" && pwd)
ANCHORS=$HERE/r_anchors.R
SCORE=$HERE/score.R

command -v "$RSCRIPT" >/dev/null 2>&1 || { echo "SKIP: $RSCRIPT not found"; exit 77; }
"$RSCRIPT" -e 'if (!suppressMessages(requireNamespace("forecast", quietly = TRUE))) quit(status = 1)' \
    >/dev/null 2>&1 || { echo "SKIP: R package 'forecast' not installed"; exit 77; }

# One core for everything (also for OpenBLAS inside R).
OPENBLAS_NUM_THREADS=1; OMP_NUM_THREADS=1
export OPENBLAS_NUM_THREADS OMP_NUM_THREADS

W=$(mktemp -d "${TMPDIR:-/tmp}/xf-rtest.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then echo "work directory: $W"; else trap 'rm -rf "$W"' EXIT; fi

FAILS=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; FAILS=$((FAILS + 1)); }
# check DESCRIPTION COMMAND...: pass when the command succeeds.
check() { d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }
# near A B [TOL]: |A - B| <= TOL (default 1e-6 relative to max(1, |B|)).
near() { awk -v a="$1" -v b="$2" -v t="${3:-1e-6}" 'BEGIN {
    if (a == "" || b == "") exit 1
    d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; if (s < 1) s = 1
    exit !(d <= t * s) }'; }
# tsv_get FILE METHOD SERIES METRIC: print the value from a score.R --tsv file.
tsv_get() { awk -F '\t' -v m="$2" -v s="$3" -v k="$4" \
    '$1 == m && $2 == s && $3 == k { print $4 }' "$1"; }

# ---------------------------------------------------------------------
# 1. Synthetic long data and a seasonal-naive forecasts file.
# ---------------------------------------------------------------------
awk 'BEGIN {
    OFS = ","; print "id,timestamp,value"; seed = 12345
    for (s = 1; s <= 2; s++) for (t = 0; t < 400; t++) {
        seed = (seed * 1103515245 + 12345) % 2147483648
        e = seed / 2147483648 - 0.5
        h = t % 24
        ts = sprintf("2020-01-%02dT%02d:00:00Z", 1 + int(t / 24), h)
        v = (s == 1 ? 10 : 50) + (s == 1 ? 3 : 8) * sin(2 * 3.14159265 * h / 24) + 0.01 * t + e
        val = sprintf("%.4f", v)
        if (s == 1 && t == 250) val = ""      # one missing value
        print (s == 1 ? "a" : "b"), ts, val
    } }' > "$W/long.csv"

# Origins (1-based row numbers) 330 and 370, H = 6, period 24.  Mean =
# x[o + step - 24]; intervals mean +- 0.5 (80%) and +- 1 (95%).  The
# actual of b's last row is left empty.  MAE over rows with an actual
# goes to mae.txt.
awk -F, -v H=6 -v M=24 -v MAEFILE="$W/mae.txt" '
    NR > 1 { n[$1]++; ts[$1, n[$1]] = $2; x[$1, n[$1]] = $3 }
    END {
        print "id,origin,timestamp,step,actual,mean,lo80,hi80,lo95,hi95"
        split("a b", ids, " "); split("330 370", os, " ")
        for (i = 1; i <= 2; i++) for (j = 1; j <= 2; j++) {
            id = ids[i]; o = os[j]
            for (s = 1; s <= H; s++) {
                k = o + s - M * int((s + M - 1) / M)
                m = x[id, k]; a = x[id, o + s]
                if (id == "b" && j == 2 && s == H) a = ""
                if (a != "") { e = a - m; sum += (e < 0 ? -e : e); cnt++ }
                printf "%s,%s,%s,%d,%s,%s,%.4f,%.4f,%.4f,%.4f\n", id, ts[id, o],
                    ts[id, o + s], s, a, m, m - 0.5, m + 0.5, m - 1, m + 1
            }
        }
        printf "%.10f\n", sum / cnt > MAEFILE
    }' "$W/long.csv" > "$W/fc.csv"
MAE_AWK=$(cat "$W/mae.txt")
NFC=$(($(wc -l < "$W/fc.csv") - 1))
check "forecasts file has 24 rows" test "$NFC" -eq 24

# ---------------------------------------------------------------------
# 2. r_anchors.R, all methods (windows of 96 points = 4 days).
# ---------------------------------------------------------------------
t0=$(date +%s)
if "$RSCRIPT" "$ANCHORS" --data "$W/long.csv" --id id --value value \
        --origins "$W/fc.csv" --period 24 --max-history 96 --time-limit 60 \
        --methods auto.arima,ets,stlf,thetaf --out-dir "$W/out" 2> "$W/anchors.err"; then
    pass "r_anchors.R runs ($(( $(date +%s) - t0 )) s)"
else
    fail "r_anchors.R runs"; cat "$W/anchors.err"
fi
HDR=$(head -n 1 "$W/fc.csv")
cut -d, -f1-5 "$W/fc.csv" > "$W/keys.csv"
for m in auto.arima ets stlf thetaf; do
    f=$W/out/$m.csv
    if [ ! -f "$f" ]; then fail "$m.csv written"; continue; fi
    check "$m.csv header" test "$(head -n 1 "$f")" = "$HDR"
    check "$m.csv id,origin,timestamp,step,actual equal the input's" \
        sh -c "cut -d, -f1-5 '$f' | cmp -s - '$W/keys.csv'"
    # Every row: 10 fields, finite mean, lo95 <= lo80 <= mean <= hi80 <= hi95.
    check "$m.csv means and intervals" awk -F, 'NR > 1 {
        if (NF != 10 || $6 == "") bad = 1
        if (!($7 + 0 <= $6 + 1e-9 && $6 <= $8 + 1e-9 && $9 <= $7 + 1e-9 && $8 <= $10 + 1e-9)) bad = 1
        rows++ } END { exit bad || rows != 24 }' "$f"
    check "$m summary line on stderr" grep -q "method $m " "$W/anchors.err"
done
check "no fallbacks for ets, stlf, thetaf" sh -c "! grep -E 'method (ets|stlf|thetaf) .*fallbacks [1-9]' '$W/anchors.err'"
# auto.arima's run time varies a lot between similar windows (seasonal
# ARIMA at lag 24); 4-day windows are fast, and the 60 s limit above only
# guards the test's run time.  A timeout is reported, not failed.
if grep -qE 'method auto.arima .*fallbacks [1-9]' "$W/anchors.err"; then
    echo "note - auto.arima fell back on some window: $(grep 'method auto.arima' "$W/anchors.err")"
fi

# Determinism: a rerun (thetaf, 2 cores via mclapply) gives identical output.
"$RSCRIPT" "$ANCHORS" --data "$W/long.csv" --id id --value value --origins "$W/fc.csv" \
    --period 24 --max-history 96 --methods thetaf --cores 2 --out-dir "$W/out2" 2>/dev/null
check "thetaf rerun with --cores 2 is identical" cmp -s "$W/out/thetaf.csv" "$W/out2/thetaf.csv"

# Other levels, --series and a period > 24 (ets becomes stlf there).
"$RSCRIPT" "$ANCHORS" --data "$W/long.csv" --origins "$W/fc.csv" --series b \
    --period 48 --levels 90 --methods ets,stlf --out-dir "$W/out3" 2> "$W/out3.err"
check "--levels 90 header" test "$(head -n 1 "$W/out3/ets.csv" 2>/dev/null)" = \
    "id,origin,timestamp,step,actual,mean,lo90,hi90"
check "--series b keeps b's 12 rows" test "$(grep -c '^b,' "$W/out3/ets.csv" 2>/dev/null)" -eq 12 \
    -a "$(wc -l < "$W/out3/ets.csv" 2>/dev/null)" -eq 13
check "period 48: ets uses stlf (same forecasts)" cmp -s "$W/out3/ets.csv" "$W/out3/stlf.csv"

# ---------------------------------------------------------------------
# 3. score.R on the synthetic data.
# ---------------------------------------------------------------------
if "$RSCRIPT" "$SCORE" --data "$W/long.csv" --id id --value value --period 24 \
        --train-end 2020-01-13T00:00:00Z --per-series --tsv "$W/s.tsv" \
        snaivefile="$W/fc.csv" arima="$W/out/auto.arima.csv" ets="$W/out/ets.csv" \
        stlf="$W/out/stlf.csv" theta="$W/out/thetaf.csv" > "$W/s.md" 2> "$W/s.err"; then
    pass "score.R runs"
else
    fail "score.R runs"; cat "$W/s.err"
fi
check "table header" grep -qx '| method | MAE | RMSE | sMAPE | MASE | cov80 | cov95 |' "$W/s.md"
check "baselines first" sh -c "sed -n '3p;4p' '$W/s.md' | cut -d'|' -f2 | tr -d ' ' | tr '\n' ' ' | grep -qx 'naive snaive '"
check "7 method rows in the overall table" test "$(sed -n '3,9p' "$W/s.md" | grep -c '^| ')" -eq 7
check "per-series tables for a and b" sh -c "grep -q '^#### series a' '$W/s.md' && grep -q '^#### series b' '$W/s.md'"
check "scored rows = 23 (one actual empty)" test "$(tsv_get "$W/s.tsv" snaive all n)" = 23
check "snaive MAE = awk MAE ($MAE_AWK)" near "$(tsv_get "$W/s.tsv" snaive all MAE)" "$MAE_AWK"
check "seasonal-naive file MAE = awk MAE" near "$(tsv_get "$W/s.tsv" snaivefile all MAE)" "$MAE_AWK"
check "coverages within [0, 100]" awk -F '\t' 'NR > 1 && $3 ~ /^cov/ { n++; if ($4 < 0 || $4 > 100) bad = 1 }
    END { exit bad || n != 5 * 2 * 3 }' "$W/s.tsv"
check "seasonal-naive file cov95 >= cov80" awk -F '\t' '$1 == "snaivefile" && $2 == "all" { v[$3] = $4 }
    END { exit !(v["cov95"] >= v["cov80"]) }' "$W/s.tsv"

# ---------------------------------------------------------------------
# 4. Hand-computed case (wide file, daily dates).
#    a: 1 2 4 7 11 | 16 22 29   train-end = row 5 (2021-01-05)
#       scale lag 1 = mean(1,2,3,4) = 2.5; lag 2 = mean(3,5,7) = 5
#       origin row 5, mean 13 for steps 1, 2; actuals 16, 22
#       errors 3, 9: MAE 6, RMSE sqrt(45), MASE 2.4 (lag 1) / 1.2 (lag 2)
#       80% interval [12, 17]: coverage 50%
#       naive = 11: errors 5, 11: MAE 8, MASE 3.2 (lag 1)
#       snaive, period 2: x[4] = 7 and x[5] = 11: errors 9, 11: MAE 10
#    b: 10 NA 13 15 20 | 23      scale lag 1 = mean(2, 5) = 3.5
#       origin row 5, mean 20 at step 1, actual 23: MASE 3 / 3.5
# ---------------------------------------------------------------------
cat > "$W/wide.csv" <<'EOF'
date,a,b,label
2021-01-01,1,10,x
2021-01-02,2,,y
2021-01-03,4,13,x
2021-01-04,7,15,y
2021-01-05,11,20,x
2021-01-06,16,23,y
2021-01-07,22,30,x
2021-01-08,29,31,y
EOF
cat > "$W/hand.csv" <<'EOF'
id,origin,timestamp,step,actual,mean,lo80,hi80
a,2021-01-05T00:00:00Z,2021-01-06T00:00:00Z,1,16,13,12,17
a,2021-01-05T00:00:00Z,2021-01-07T00:00:00Z,2,22,13,12,17
b,2021-01-05T00:00:00Z,2021-01-06T00:00:00Z,1,23,20,19,21
EOF
# The same rows plus one more, without intervals.
{ echo "id,origin,timestamp,step,actual,mean"
  cut -d, -f1-6 "$W/hand.csv" | tail -n +2
  echo "b,2021-01-05,2021-01-07,2,30,20"; } > "$W/hand2.csv"

"$RSCRIPT" "$SCORE" --data "$W/wide.csv" --period 1 --train-end 2021-01-05 \
    --tsv "$W/h1.tsv" hand="$W/hand.csv" other="$W/hand2.csv" > "$W/h1.md" 2> "$W/h1.err"
check "hand: score.R exit 0" test $? -eq 0
check "hand: 3 common rows reported" grep -q '3 common' "$W/h1.err"
check "hand: warns about the extra row" grep -q 'other has 1 of 4 rows that other files lack' "$W/h1.err"
check "hand: a MAE 6" near "$(tsv_get "$W/h1.tsv" hand a MAE)" 6
check "hand: a RMSE sqrt(45)" near "$(tsv_get "$W/h1.tsv" hand a RMSE)" 6.7082039325
check "hand: a MASE 2.4" near "$(tsv_get "$W/h1.tsv" hand a MASE)" 2.4
check "hand: b MASE 3/3.5 (NA skipped)" near "$(tsv_get "$W/h1.tsv" hand b MASE)" 0.857142857143
check "hand: all MASE (2.4*2 + 6/7)/3" near "$(tsv_get "$W/h1.tsv" hand all MASE)" 1.885714285714
check "hand: a cov80 50" near "$(tsv_get "$W/h1.tsv" hand a cov80)" 50
check "hand: cov80 '-' for the file without intervals" \
    grep -qE '^\| other \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| - \|$' "$W/h1.md"
check "hand: naive a MAE 8" near "$(tsv_get "$W/h1.tsv" naive a MAE)" 8
check "hand: naive a MASE 3.2" near "$(tsv_get "$W/h1.tsv" naive a MASE)" 3.2
check "hand: sMAPE a = (200*3/29 + 200*9/35)/2" near "$(tsv_get "$W/h1.tsv" hand a sMAPE)" 36.0591133005

"$RSCRIPT" "$SCORE" --data "$W/wide.csv" --period 2 --scale-period 2 --train-end 2021-01-05 \
    --tsv "$W/h2.tsv" hand="$W/hand.csv" > /dev/null 2>&1
check "hand: a MASE 1.2 with --scale-period 2" near "$(tsv_get "$W/h2.tsv" hand a MASE)" 1.2
check "hand: snaive a MAE 10 with --period 2" near "$(tsv_get "$W/h2.tsv" snaive a MAE)" 10

# ---------------------------------------------------------------------
# Errors: exit status 2 with a message naming the problem.
# ---------------------------------------------------------------------
expect2() { # DESCRIPTION PATTERN COMMAND...
    d=$1; p=$2; shift 2
    "$@" > /dev/null 2> "$W/e.err"; rc=$?
    if [ "$rc" -eq 2 ] && grep -q "$p" "$W/e.err"; then pass "$d"
    else fail "$d (rc $rc: $(cat "$W/e.err"))"; fi
}
expect2 "score.R: missing file" "nope.csv" "$RSCRIPT" "$SCORE" --data "$W/nope.csv" \
    --period 1 --train-end 2021-01-05 x="$W/hand.csv"
expect2 "score.R: missing forecasts file" "nofc.csv" "$RSCRIPT" "$SCORE" --data "$W/wide.csv" \
    --period 1 --train-end 2021-01-05 x="$W/nofc.csv"
expect2 "score.R: unknown time column" "'when'" "$RSCRIPT" "$SCORE" --data "$W/wide.csv" \
    --time when --period 1 --train-end 2021-01-05 x="$W/hand.csv"
expect2 "r_anchors.R: unknown series" "'zz'" "$RSCRIPT" "$ANCHORS" --data "$W/wide.csv" \
    --series zz --origins "$W/hand.csv" --period 1 --out-dir "$W/o4"
expect2 "r_anchors.R: unknown value column" "'val'" "$RSCRIPT" "$ANCHORS" --data "$W/long.csv" \
    --id id --value val --origins "$W/fc.csv" --period 24 --out-dir "$W/o4"
expect2 "r_anchors.R: missing origins file" "nofc.csv" "$RSCRIPT" "$ANCHORS" --data "$W/wide.csv" \
    --origins "$W/nofc.csv" --period 1 --out-dir "$W/o4"
expect2 "r_anchors.R: unknown method" "'arima'" "$RSCRIPT" "$ANCHORS" --data "$W/wide.csv" \
    --origins "$W/hand.csv" --period 1 --methods arima --out-dir "$W/o4"

if [ "$FAILS" -ne 0 ]; then
    echo "$FAILS check(s) failed"
    exit 1
fi
echo "all checks passed"
exit 0
