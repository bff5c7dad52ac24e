#!/bin/sh
# test_limits_cli.sh - one set of limits, from the outside: `xfcast help
# limits` and the man page's LIMITS section list the same lines; the command
# line and the INI file of retrain refuse a value beyond a limit naming it
# ("horizon 10001 exceeds the limit 10000"), and retrain refuses such a
# source before touching its store (no version written, none pruned); the
# INI reader names what libinih would cut or merge silently (long lines,
# section names past 49 bytes, repeated sections and keys); data too short
# for a fit says what a fit needs.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
set -u
: "${XF_SRCDIR:=.}" "${XFCAST:=./xfcast}"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_test_limits.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
. "$XF_SRCDIR/tests/testlib.sh"
D=$XF_SRCDIR/datasets/taylor-halfhourly.csv

# meta FILE KEY: the value `xfcast info` shows for a metadata key
meta() { "$XFCAST" info "$1" --format json | sed -n "s/^ *{\"key\": \"$2\", \"type\": \"[a-z0-9]*\(\[\]\)*\", \"value\": \(.*\)},*\$/\2/p"; }
# versions DIR: the version files of a store entry, one line
versions() { (cd "$1" 2>/dev/null && ls v*.xfm 2>/dev/null | tr '\n' ' '); }

# the list, and the man page's copy of it (hyphens unescaped)
run 0 "$XFCAST" help limits; err_empty
out_has "^  horizon  *1\.\.10000 "
out_has "^  season  *1\.\.1000000 "
out_has "^  source name  *1\.\.100 "
out_has "^  INI line  *0\.\.197 "
sed -n '/^\.SH LIMITS/,/^\.SH /p' "$XF_SRCDIR/man/xfcast.1" | sed 's/\\-/-/g' >"$T/man.txt"
tail -n +3 "$T/out" >"$T/lines.txt"
while IFS= read -r l; do
    check 'grep -qxF -- "$l" "$T/man.txt"' "man page LIMITS lacks '$l'"
done <"$T/lines.txt"
run 0 "$XFCAST" --help; out_has "xfcast help limits"

# the command line: the limit named
run 2 "$XFCAST" fit "$D" --horizon 10001 -o "$T/h.xfm"; err_has "horizon 10001 exceeds the limit 10000"
run 2 "$XFCAST" fit "$D" --season 2000000 -o "$T/h.xfm"; err_has "season 2000000 exceeds the limit 1000000"
run 2 "$XFCAST" fit "$D" --lags 100001 -o "$T/h.xfm"; err_has "lags 100001 exceeds the limit 100000"
check '[ ! -e "$T/h.xfm" ]' "a head was written"

# retrain: a good version first, then season = 2000000 (the head loader reads
# at most 1000000): refused at the configuration, exit 2, the store untouched
mkdir -p "$T/data" && head -n 1500 "$D" >"$T/data/t.csv"
printf '[t]\ncsv = data/t.csv\nencoder = none\nhorizon = 12\nkeep = 1\n' >"$T/good.conf"
run 0 "$XFCAST" retrain --config "$T/good.conf" --store "$T/st"
V0=$(versions "$T/st/t")
check '[ -n "$V0" ]' "no first version: $(cat "$T/err")"
printf '[t]\ncsv = data/t.csv\nencoder = none\nhorizon = 12\nkeep = 1\nseason = 2000000\n' >"$T/bad.conf"
run 2 "$XFCAST" retrain --config "$T/bad.conf" --store "$T/st" --force
err_has "bad.conf:6: \[t\] season 2000000 exceeds the limit 1000000"
check '[ "$(versions "$T/st/t")" = "$V0" ]' "versions changed: '$V0' -> '$(versions "$T/st/t")'"
run 0 "$XFCAST" store show t --store "$T/st"

# the INI file: each case names its line
ini() { printf "$1" >"$T/i.conf"; run 2 "$XFCAST" retrain --config "$T/i.conf" --store "$T/st2"; }
ini '[a]\ncsv = data/t.csv\nhorizon = 10001\n'; err_has "i.conf:3: \[a\] horizon 10001 exceeds the limit 10000"
ini '[a]\ncsv = data/t.csv\n[b]\ncsv = data/t.csv\n[a]\nhorizon = 3\n'
err_has "i.conf:5: section \[a\] repeats the one at line 1"
ini '[a]\ncsv = data/t.csv\nhorizon = 3\nhorizon = 4\n'; err_has "i.conf:4: \[a\]: key 'horizon' repeats line 3"
ini '[a]\ncsv = data/t.csv\n  horizon = 4\n'; err_has "i.conf:3: \[a\]: this indented line would continue the value of 'csv' (line 2)"
LONG=$(printf '%0250d' 0)
ini "[a]\ncsv = data/t.csv\n; $LONG\n"; err_has "i.conf: line 3 is longer than the INI limit of 197 characters (252)"
N101=$(printf 'n%0100d' 0)
ini "[a]\ncsv = data/t.csv\n[$N101]\ncsv = data/t.csv\n"; err_has "i.conf:3: source name 'n0.*' is 101 bytes long; the limit is 100"
check '[ ! -e "$T/st2" ]' "a refused configuration made a store"

# two names sharing their first 49 bytes (all libinih keeps) stay two
# sources, each fitted on its own data
P=$(printf 'p%048d' 0)
head -n 1200 "$D" >"$T/data/u.csv"
printf '[%sA]\ncsv = data/t.csv\nhorizon = 6\n[%sB]\ncsv = data/u.csv\nhorizon = 7\n[defaults]\nencoder = none\n' \
    "$P" "$P" >"$T/two.conf"
run 0 "$XFCAST" retrain --config "$T/two.conf" --store "$T/st3"
A=$(ls "$T/st3/${P}A"/v*.xfm 2>/dev/null | head -n 1)
B=$(ls "$T/st3/${P}B"/v*.xfm 2>/dev/null | head -n 1)
check '[ -n "$A" ] && [ -n "$B" ]' "not two sources: $(ls "$T/st3")"
if [ -n "$A" ] && [ -n "$B" ]; then
    check '[ "$(meta "$A" head.horizon)" = 6 ] && [ "$(meta "$B" head.horizon)" = 7 ]' \
        "horizons $(meta "$A" head.horizon) $(meta "$B" head.horizon)"
fi

# too short: what a fit needs, not "no series to fit"
printf 'date,v\n2024-01-01,1\n' >"$T/data/one.csv"
run 1 "$XFCAST" fit "$T/data/one.csv" -o "$T/one.xfm"; err_has "needs at least 73 observed values"
printf '[one]\ncsv = data/one.csv\nencoder = none\n' >"$T/one.conf"
run 1 "$XFCAST" retrain --config "$T/one.conf" --store "$T/st4"
err_has "too few values: the longest series has 1; retrain holds out the last 48"
err_has "needs at least 73 before them, 121 in all"
err_lacks() { checks=$((checks + 1)); ! grep -q -- "$1" "$T/err" || fail "stderr has '$1'"; }
err_lacks "no series to fit"
# forecast without a head (zero-shot): the length its intervals need, exactly
run 1 "$XFCAST" forecast "$T/data/one.csv"; err_has "the longest series has 1 observed values and needs at least 29"
awk 'BEGIN { print "date,v"; for (i = 0; i < 31; i++) printf "2024-01-%02d,%g\n", i + 1, 10 + i % 7 + 0.1 * i }' >"$T/data/d31.csv"
head -n 31 "$T/data/d31.csv" >"$T/data/d30.csv"
run 1 "$XFCAST" forecast "$T/data/d30.csv"; err_has "the longest series has 30 observed values and needs at least 31"
run 0 "$XFCAST" forecast "$T/data/d31.csv"
printf '[t]\ncsv = data/t.csv\nencoder = none\nholdout = 100000000\n' >"$T/ho.conf"
run 1 "$XFCAST" retrain --config "$T/ho.conf" --store "$T/st5"
err_has "the longest series has 1499; retrain holds out the last 100000000 (holdout)"
err_lacks "no series to fit"

echo "test_limits_cli: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
