#!/bin/sh
# bench/test_transfer.sh - self-check of bench/bench_transfer's rows with the
# seasonal-naive baseline and of its verdict, on small synthetic files (a few
# seconds on one core).
#
# Usage: sh bench/test_transfer.sh
#   Environment: XF_BUILDDIR (where bench/bench_transfer is; default .),
#   XF_SRCDIR (where models/ is; default the folder above this script),
#   XF_TEST_MODEL (default $XF_SRCDIR/models/gru-base.xfm), KEEP=1 keeps the
#   work directory.
# Exit status: 0 all checks passed; 1 a check failed; 77 bench/bench_transfer
# or the model is missing (automake's "skipped": build it with
# `make bench/bench_transfer`).
#
# What it does: writes two datasets, hourly.csv (a series that repeats a
# 24-step profile exactly, and one with the profile plus a trend and noise
# from an LCG) and daily.csv (a weekly profile plus noise), runs
# bench_transfer --only datasets on them with --tsv, and checks that
#   1. on the exactly periodic series the rows over the seasonal-naive
#      baseline, (a+sn), (b+lags+sn) and (c+lags+sn), forecast the test part
#      exactly (their residual targets are all 0, so the ridge predicts 0 and
#      the forecast is the baseline mapped back from the window's units);
#   2. the seasonal-naive MASE of every series is the one computed here in
#      awk (last 20% test, an origin at every step whose 24 or 7 targets fit);
#   3. the rows with the baseline differ from those without on the noisy
#      series (the baseline is really used);
#   4. the summary's judged line, (c+lags+sn) vs (b+lags+sn), is the mean over
#      the two files of the mean over their series of 1 - pretrained/random,
#      recomputed from the per-series MASE, and the verdict says MET exactly
#      when that is >= 10% and no file is negative;
#   5. the Markdown tables have the three new rows;
#   6. without a twin file there are no rows with the pretraining head's
#      forecast (+fc: the random encoder has no head);
#   7. with the model as its own twin (MODEL,MODEL) and --group-penalty, the
#      +fc rows forecast the periodic series exactly and every random row
#      equals its pretrained row.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # awk programs in single quotes
set -u

SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-.}
BENCH=$BUILD/bench/bench_transfer
MODEL=${XF_TEST_MODEL:-$SRC/models/gru-base.xfm}

[ -x "$BENCH" ] || { echo "SKIP: $BENCH not built (make bench/bench_transfer)"; exit 77; }
[ -f "$MODEL" ] || { echo "SKIP: $MODEL is absent"; exit 77; }
LABEL=$(basename "$MODEL" .xfm)

OPENBLAS_NUM_THREADS=1; OMP_NUM_THREADS=1
export OPENBLAS_NUM_THREADS OMP_NUM_THREADS

W=$(mktemp -d "${TMPDIR:-/tmp}/xf-transfer-test.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then echo "work directory: $W"; else trap 'rm -rf "$W"' EXIT; fi

FAILS=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; FAILS=$((FAILS + 1)); }
# near A B [TOL]: |A - B| <= TOL (default 1e-4 relative to max(1, |B|)).
near() { awk -v a="$1" -v b="$2" -v t="${3:-1e-4}" 'BEGIN {
    if (a == "" || b == "") exit 1
    d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; if (s < 1) s = 1
    exit !(d <= t * s) }'; }
# get SERIES METHOD: the MASE of a datasets/ series from the --tsv file.
get() { awk -F '\t' -v c="$1" -v m="$2" \
    '$1 == "datasets" && $2 == c && $3 == m && $4 == "mase" { print $5 }' "$W/out.tsv"; }

# --------------------------------------------------------------- the data
mkdir "$W/ds"
awk 'BEGIN {
    OFS = ","; print "timestamp,periodic,noisy"; seed = 2385
    for (t = 0; t < 720; t++) {
        seed = (seed * 1103515245 + 12345) % 2147483648
        e = seed / 2147483648 - 0.5
        h = t % 24
        p = 10.385 + 3.27 * sin(2 * 3.14159265 * h / 24) + 1.13 * cos(4 * 3.14159265 * h / 24)
        printf "2020-%02d-%02dT%02d:00:00Z,%.4f,%.4f\n", 1 + int(t / 24 / 31), 1 + int(t / 24) % 31,
            h, p, p + 0.0137 * t + 1.9 * e
    } }' >"$W/ds/hourly.csv"
# 400 days from 2020-01-01 (leap year), without date arithmetic in awk
awk 'BEGIN {
    split("31 29 31 30 31 30 31 31 30 31 30 31 31 28", md, " ")
    print "date,weekly"; seed = 4711; mo = 1; d = 1; y = 2020
    for (t = 0; t < 400; t++) {
        seed = (seed * 1103515245 + 12345) % 2147483648
        e = seed / 2147483648 - 0.5
        w = t % 7; v = 52.7 + (w == 5 || w == 6 ? -6.4 : 1.3 * w) + 2.9 * e
        printf "%04d-%02d-%02d,%.4f\n", y, mo, d, v
        if (++d > md[mo + 12 * (y - 2020)]) { d = 1; if (++mo > 12) { mo = 1; y++ } }
    } }' >"$W/ds/daily.csv"

# --------------------------------------------------------------- the run
if ! "$BENCH" --only datasets --datasets "$W/ds" --threads 1 --tsv "$W/out.tsv" "$MODEL" \
    >"$W/out.md" 2>"$W/err.txt"; then
    echo "FAIL - bench_transfer exited with an error:"; cat "$W/err.txt"; exit 1
fi

# 1. exact forecasts over the baseline on the periodic series
for m in lags+snaive "$LABEL:random+lags+snaive" "$LABEL:pretrained+lags+snaive"; do
    v=$(get hourly.csv:periodic "$m")
    if near "$v" 0 1e-9; then pass "periodic series: $m forecasts exactly ($v)"
    else fail "periodic series: $m MASE is '$v', not 0"; fi
done

# 2. seasonal-naive MASE recomputed here
for spec in hourly.csv:periodic:2:24 hourly.csv:noisy:3:24 daily.csv:weekly:2:7; do
    f=${spec%%:*}; rest=${spec#*:}; col=${rest%%:*}; rest=${rest#*:}; k=${rest%%:*}; m=${rest#*:}
    want=$(awk -F, -v k="$k" -v m="$m" 'NR > 1 { x[n++] = $k } END {
        nt = int(0.2 * n + 0.5); ts = n - nt
        for (i = m; i < ts; i++) { d = x[i] - x[i - m]; s += d < 0 ? -d : d }
        sc = s / (ts - m); if (!(sc > 0)) sc = 1
        for (t = ts; t + m <= n; t++) for (h = 0; h < m; h++) {
            d = x[t + h] - x[t - m + h]; a += (d < 0 ? -d : d) / sc; c++ }
        printf "%.9g\n", a / c }' "$W/ds/$f")
    got=$(get "$f:$col" snaive)
    if near "$got" "$want"; then pass "$f $col: seasonal-naive MASE $got (awk $want)"
    else fail "$f $col: seasonal-naive MASE '$got', awk computes $want"; fi
done

# 3. the baseline changes the fit on the noisy series
a=$(get hourly.csv:noisy lags); b=$(get hourly.csv:noisy lags+snaive)
if [ -n "$a" ] && [ -n "$b" ] && ! near "$a" "$b" 1e-7; then pass "noisy series: (a) $a and (a+sn) $b differ"
else fail "noisy series: (a) '$a' and (a+sn) '$b' should both exist and differ"; fi

# 4. the judged comparison and the verdict
want=$(awk -F '\t' -v r="$LABEL:random+lags+snaive" -v p="$LABEL:pretrained+lags+snaive" '
    $1 == "datasets" && $4 == "mase" { split($2, fc, ":"); f = fc[1]
        if ($3 == r) R[$2] = $5; if ($3 == p) { P[$2] = $5; F[$2] = f } }
    END {
        for (c in P) if (c in R && R[c] > 0) { s[F[c]] += 1 - P[c] / R[c]; n[F[c]]++ }
        for (f in s) { v = s[f] / n[f]; tot += v; nb++; if (v < 0) worse++ }
        printf "%.9g %d %d\n", tot / nb, nb, worse + 0 }' "$W/out.tsv")
# shellcheck disable=SC2086 # split into its three words on purpose
set -- $want
got=$(awk -F '\t' -v l="$LABEL" '$1 == "summary" && $2 == l && $3 == "(c+lags+sn) vs (b+lags+sn)" { print $5 }' "$W/out.tsv")
if [ "$2" = 2 ] && near "$got" "$1"; then pass "summary: (c+lags+sn) vs (b+lags+sn) $got over 2 files (recomputed $1)"
else fail "summary: (c+lags+sn) vs (b+lags+sn) is '$got', recomputed $1 over $2 file(s)"; fi
if awk -v a="$1" -v w="$3" 'BEGIN { exit !(a >= 0.10 && w == 0) }'; then verdict=MET; else verdict='NOT MET'; fi
if grep -q "^\*\*Verdict ($LABEL):\*\* goal $verdict: with lags and the seasonal-naive baseline in both" "$W/out.md" &&
    grep -q "is worse on $3 of them" "$W/out.md"; then pass "verdict: goal $verdict, worse on $3 file(s)"
else fail "verdict: expected 'goal $verdict' and 'worse on $3 of them':"; grep '^\*\*Verdict' "$W/out.md"; fi

# 5. the new rows in the tables
n=$(grep -c -e '^| (a+sn) lags (L=[0-9]*) + seasonal naive |' \
    -e "^| (b+lags+sn) $LABEL random + lags + seasonal naive |" \
    -e "^| (c+lags+sn) $LABEL pretrained + lags + seasonal naive |" "$W/out.md")
if [ "$n" = 6 ]; then pass "tables: the three new rows in both files' tables"
else fail "tables: $n of the 6 new rows found"; fi

# 6. without a twin file the random encoder has no pretraining head: no +fc rows
if awk -F '\t' '$1 == "datasets" && $3 ~ /[+]fc$/ { f = 1 } END { exit !f }' "$W/out.tsv"; then fail "no twin: +fc rows where the random encoder has no head"
else pass "no twin: no +fc rows"; fi

# 7. the model as its own twin, with --group-penalty: the +fc rows exist,
#    forecast the periodic series exactly, and random = pretrained everywhere
if ! "$BENCH" --only datasets --datasets "$W/ds" --threads 1 --group-penalty --tsv "$W/twin.tsv" \
    "$MODEL,$MODEL" >"$W/twin.md" 2>"$W/err.txt"; then
    echo "FAIL - bench_transfer MODEL,TWIN exited with an error:"; cat "$W/err.txt"; exit 1
fi
v=$(awk -F '\t' -v m="$LABEL:pretrained+lags+snaive+fc" '$2 == "hourly.csv:periodic" && $3 == m && $4 == "mase" { print $5 }' "$W/twin.tsv")
if near "$v" 0 1e-9; then pass "twin: periodic series: pretrained+lags+snaive+fc forecasts exactly ($v)"
else fail "twin: periodic series: pretrained+lags+snaive+fc MASE is '$v', not 0"; fi
d=$(awk -F '\t' '$1 == "datasets" && $4 == "mase" && $3 ~ /:(random|pretrained)/ {
        k = $3; sub(/:random/, ":X", k); sub(/:pretrained/, ":X", k); k = $2 "|" k
        if (k in v) { if (v[k] != $5) bad++; n++ } else v[k] = $5 }
    END { printf "%d %d\n", n, bad + 0 }' "$W/twin.tsv")
if [ "${d% *}" = 12 ] && [ "${d#* }" = 0 ]; then pass "twin: random = pretrained in all ${d% *} pairs (4 pairs x 3 series)"
else fail "twin: pairs / differing: $d"; fi
if grep -q 'emb_w=0\.' "$W/twin.tsv" || grep -q 'emb_w=1' "$W/twin.tsv"; then pass "twin: the embedding's weight is reported"
else fail "twin: no emb_w in the tsv"; fi

[ "$FAILS" = 0 ] || { echo "$FAILS check(s) failed (KEEP=1 keeps $W)"; exit 1; }
echo "all checks passed"
