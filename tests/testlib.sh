# testlib.sh - sourced by the shell tests after they make their work
# directory $T: counters and the checks they share.  Each check counts one
# in $checks and reports a failure (FAIL: ... on stderr, one more in
# $fails); the test ends with "NAME: N checks, M failed" and exits non-zero
# when something failed.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
fails=0
checks=0

fail() { fails=$((fails + 1)); echo "FAIL: $*" >&2; }
# run EXPECTED_RC CMD...: runs the command, keeps stdout/stderr in $T/out, $T/err
run() {
    want=$1; shift
    checks=$((checks + 1))
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ "$rc" = "$want" ] || fail "exit $rc, expected $want: $*  (stderr: $(head -c 400 "$T/err"))"
}
out_has() { checks=$((checks + 1)); grep -q -- "$1" "$T/out" || fail "stdout lacks '$1': $(head -c 300 "$T/out")"; }
out_lacks() { checks=$((checks + 1)); ! grep -q -- "$1" "$T/out" || fail "stdout has '$1': $(grep -- "$1" "$T/out" | head -c 300)"; }
err_has() { checks=$((checks + 1)); grep -q -- "$1" "$T/err" || fail "stderr lacks '$1': $(head -c 300 "$T/err")"; }
out_empty() { checks=$((checks + 1)); [ ! -s "$T/out" ] || fail "stdout not empty: $(head -c 200 "$T/out")"; }
err_empty() { checks=$((checks + 1)); [ ! -s "$T/err" ] || fail "stderr not empty: $(head -c 300 "$T/err")"; }
file_has() { checks=$((checks + 1)); grep -q -- "$2" "$1" 2>/dev/null || fail "$1 lacks '$2'"; }
# lines FILE N: the file has N lines
lines() { checks=$((checks + 1)); n=$(wc -l <"$1"); [ "$n" -eq "$2" ] || fail "$1 has $n lines, expected $2"; }
# check CONDITION MESSAGE: a shell condition that must hold
check() { checks=$((checks + 1)); eval "$1" || fail "$2"; }
# AWK_CIVIL: an awk function civil(DAYS) -> "YYYY-MM-DD" of a day number
# (days since 1970-01-01, proleptic Gregorian), for the tests that write
# dated series in awk: awk "$AWK_CIVIL"'...program...'
AWK_CIVIL='
function civil(days,   z, era, doe, yoe, doy, mp, d, m, y) {
    z = days + 719468; era = int(z / 146097); doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
    return sprintf("%04d-%02d-%02d", y, m, d)
}
'
