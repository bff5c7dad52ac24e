#!/bin/sh
# test_example.sh - the library example (examples/forecast_arrays.c) builds
# in `make check` and forecasts from in-memory arrays: 3 series x 24 steps,
# finite values, lo80 <= mean <= hi80 and lo95 <= lo80, hi80 <= hi95.
set -u
: "${XF_SRCDIR:=.}"
: "${XF_BUILDDIR:=.}"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_ex.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$XF_BUILDDIR/examples/forecast_arrays" "$XF_SRCDIR/models/gru-base.xfm" "$T/head.xfm" \
    >"$T/out" 2>"$T/err" || { echo "FAIL: example exited $?: $(cat "$T/err")" >&2; exit 1; }
[ -s "$T/head.xfm" ] || { echo "FAIL: no head written" >&2; exit 1; }
awk -F, 'NR == 1 { if ($0 != "id,timestamp,step,mean,lo80,hi80,lo95,hi95") bad = "header " $0; next }
     { n++; for (i = 4; i <= 8; i++) if ($i !~ /^-?[0-9]/) bad = "not a number: " $0;
       if (!($5 <= $4 && $4 <= $6 && $7 <= $5 && $6 <= $8)) bad = "intervals out of order: " $0 }
     END { if (n != 72) bad = bad " rows " n; if (bad != "") { print "FAIL: " bad; exit 1 }
           print "test_example: 72 forecasts checked" }' "$T/out"
