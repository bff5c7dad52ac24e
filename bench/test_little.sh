#!/bin/sh
# bench/test_little.sh - self-check of bench/run_little.sh on a tiny setting
# (one dataset, one history length, one origin, no --prior domain column;
# about 10 s on one core).
#
# Usage: sh bench/test_little.sh   (from the build directory)
#   Environment: XF_BUILDDIR (where xfcast is; default .), XF_SRCDIR
#   (default the folder above this script), RSCRIPT (default Rscript),
#   KEEP=1 keeps the work directory.
# Exit status: 0 all checks passed; 1 a check failed; 77 xfcast is not
# built, or Rscript or the R package forecast is missing (automake's
# "skipped").
#
# What it does:
#   1. without R (RSCRIPT pointing nowhere) the script says SKIP, exits 77
#      and leaves the results file alone;
#   2. runs it on sp500-2000.csv, N = 100 values and N = 6000 (longer than
#      the file's second half: skipped, and said so), 1 origin, into a
#      results file in a temporary folder that already holds another
#      section, and checks that the little section is written once with
#      numbers in its row, the geometric-mean, "every series fits" and
#      target lines, and that the other section is untouched;
#   3. checks the cut (header + N + H rows) and that the MASE the script
#      scored for xfcast is the one xfcast's backtest reports for the cut,
#      and that its MASE for xfcast, ets, auto.arima, thetaf, naive and
#      seasonal naive are those bench/score.R computes on the same files.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016,SC2317 # awk programs in single quotes; helpers called via check
set -u

SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
RSCRIPT=${RSCRIPT:-Rscript}
RUN=$SRC/bench/run_little.sh

[ -x "$BUILD/xfcast" ] || { echo "SKIP: $BUILD/xfcast not built (make xfcast)"; exit 77; }

W=$(mktemp -d "${TMPDIR:-/tmp}/xf-little-test.XXXXXX") || exit 1
if [ "${KEEP:-0}" = 1 ]; then echo "work directory: $W"; else trap 'rm -rf "$W"' EXIT; fi

FAILS=0
pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; FAILS=$((FAILS + 1)); }
check() { d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }
# near A B [TOL]: |A - B| <= TOL (default 1e-6 relative to max(1, |B|)).
near() { awk -v a="$1" -v b="$2" -v t="${3:-1e-6}" 'BEGIN {
    if (a == "" || b == "" || a == "-" || b == "-") exit 1
    d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; if (s < 1) s = 1
    exit !(d <= t * s) }'; }

cat >"$W/RESULTS.md" <<'EOF'
# xfcast benchmarks

<!-- other:begin -->
## Another benchmark
| a | b |
<!-- other:end -->
EOF
cp "$W/RESULTS.md" "$W/before.md"

# ---------------------------------------------------------------------
# 1. No R: skipped, results file untouched.
# ---------------------------------------------------------------------
XF_BUILDDIR=$BUILD XF_SRCDIR=$SRC RSCRIPT=$W/no-such-Rscript XF_BENCH_RESULTS=$W/RESULTS.md \
    XF_LITTLE_WORK=$W/work0 sh "$RUN" >"$W/skip.out" 2>&1
rc=$?
check "without Rscript: exit 77 (got $rc)" test "$rc" -eq 77
check "without Rscript: says SKIP" grep -q 'SKIP: .*no-such-Rscript not found' "$W/skip.out"
check "without Rscript: results file untouched" cmp -s "$W/RESULTS.md" "$W/before.md"

command -v "$RSCRIPT" >/dev/null 2>&1 || { echo "SKIP: $RSCRIPT not found"; exit 77; }
"$RSCRIPT" -e 'if (!suppressMessages(requireNamespace("forecast", quietly = TRUE))) quit(status = 1)' \
    >/dev/null 2>&1 || { echo "SKIP: R package 'forecast' not installed"; exit 77; }

# ---------------------------------------------------------------------
# 2. A tiny run.
# ---------------------------------------------------------------------
WK=$W/work
t0=$(date +%s)
XF_BUILDDIR=$BUILD XF_SRCDIR=$SRC RSCRIPT=$RSCRIPT XF_BENCH_RESULTS=$W/RESULTS.md XF_LITTLE_WORK=$WK \
    XF_LITTLE_DATASETS=sp500-2000.csv XF_LITTLE_LENGTHS='100 6000' XF_LITTLE_ORIGINS=1 \
    XF_LITTLE_PRIOR=0 XF_LITTLE_TIME_LIMIT=30 sh "$RUN" >"$W/run.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then pass "run_little.sh runs ($(($(date +%s) - t0)) s)"; else
    fail "run_little.sh runs (exit $rc)"
    tail -20 "$W/run.out"
fi
R=$W/RESULTS.md
check "one little:begin marker" test "$(grep -c '^<!-- little:begin -->$' "$R")" -eq 1
check "one little:end marker" test "$(grep -c '^<!-- little:end -->$' "$R")" -eq 1
check "the other section is untouched" sh -c "sed -n '1,6p' '$R' | cmp -s - '$W/before.md'"
ROW=$(grep '^| sp500-2000.csv | 100 | 5 | 5 |' "$R")
check "a row for sp500-2000.csv, N = 100, H = 5, season 5" test -n "$ROW"
echo "$ROW" >"$W/row"
# fields split on " | ": 5 xfcast, 6 prior (-), 7 ets, 8 auto.arima,
# 9 thetaf, 10 best R, 11 xfcast / best R, 12 prior / best R (-),
# 13 seasonal naive, 14 naive
check "the row has numbers: MASE of every method, best R, the ratio" awk -F' [|] ' '{
    n = split("5 7 8 9 11 13 14", f, " ")
    for (i = 1; i <= n; i++) if ($f[i] !~ /^[0-9]+\.[0-9]+$/) exit 1
    if ($6 != "-" || $12 != "-" || $10 !~ /^(ets|auto\.arima|thetaf) [0-9]+\.[0-9]+$/) exit 1 }' "$W/row"
check "cuts fitted 1 of 1" grep -qF '| 1, - of 1 |' "$W/row"
check "N = 6000 not run, and why" grep -q '^- Not run: sp500-2000.csv, N = 6000 (6000 values of 5): the file has 5104 values' "$R"
check "geometric-mean line with a number" grep -qE '^- Geometric mean over the 1 rows of xfcast / best R: \*\*[0-9]+\.[0-9]{3}\*\*' "$R"
check "no prior line (XF_LITTLE_PRIOR=0)" sh -c "! grep -q 'prior domain / best R' '$R'"
check "every-series-fits line" grep -qE '^- Every series fits: (yes|no) \([0-9]+ of 1 cuts refused by xfcast\)$' "$R"
check "target line" grep -qE '^- Target \(every series fits, geometric mean <= 1.0\): \*\*(met|not met)\*\* for xfcast$' "$R"
check "machine facts and runtime" sh -c "grep -q '^- Machine: .*CPU vector flags' '$R' && grep -q 'total runtime [0-9]* s' '$R'"

# ---------------------------------------------------------------------
# 3. The cut and the scores.
# ---------------------------------------------------------------------
C=$WK/sp500-2000-100-0
check "the cut: header + 100 + 5 rows" test "$(wc -l <"$C.csv")" -eq 106
# scores.tsv: row k scale xf prior ets auto.arima thetaf snaive naive
S=$(awk '$1 == "sp500-2000-100" && $2 == 0' "$WK/scores.tsv")
sc() { echo "$S" | awk -v i="$1" '{ print $i }'; }
# shellcheck disable=SC1091 source=bench/results.sh
. "$SRC/bench/results.sh"
check "xfcast MASE = the backtest's own ($(jget "$C.xf.json" xfcast.mase))" near "$(sc 4)" "$(jget "$C.xf.json" xfcast.mase)"
check "naive MASE = the backtest's naive" near "$(sc 10)" "$(jget "$C.xf.json" naive.mase)"
check "seasonal naive MASE = the backtest's" near "$(sc 9)" "$(jget "$C.xf.json" snaive.mase)"

# score.R on the same cut (R's files carry the cut's id c0: renamed to the
# target's column name, the series id of the wide cut file)
ORG=$(sed -n '101s/,.*//p' "$C.csv")
for m in ets auto.arima thetaf; do
    sed 's/^c0,/close,/' "$WK/sp500-2000-100.r/$m.csv" >"$W/$m.csv"
done
if "$RSCRIPT" "$SRC/bench/score.R" --data "$C.csv" --time date --period 5 --scale-period 5 \
    --train-end "$ORG" --tsv "$W/s.tsv" xfcast="$C.xf.fc.csv" ets="$W/ets.csv" \
    arima="$W/auto.arima.csv" theta="$W/thetaf.csv" >"$W/s.md" 2>"$W/s.err"; then
    pass "score.R runs on the cut"
else
    fail "score.R runs on the cut"
    cat "$W/s.err"
fi
tsv() { awk -F '\t' -v m="$1" '$1 == m && $2 == "all" && $3 == "MASE" { print $4 }' "$W/s.tsv"; }
check "score.R scored 5 rows" test "$(awk -F '\t' '$1 == "xfcast" && $2 == "all" && $3 == "n" { print $4 }' "$W/s.tsv")" = 5
check "xfcast MASE = score.R's" near "$(sc 4)" "$(tsv xfcast)"
check "ets MASE = score.R's" near "$(sc 6)" "$(tsv ets)"
check "auto.arima MASE = score.R's" near "$(sc 7)" "$(tsv arima)"
check "thetaf MASE = score.R's" near "$(sc 8)" "$(tsv theta)"
check "seasonal naive MASE = score.R's" near "$(sc 9)" "$(tsv snaive)"
check "naive MASE = score.R's" near "$(sc 10)" "$(tsv naive)"

if [ "$FAILS" -ne 0 ]; then
    echo "$FAILS check(s) failed"
    exit 1
fi
echo "all checks passed"
exit 0
