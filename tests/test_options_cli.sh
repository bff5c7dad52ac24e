#!/bin/sh
# test_options_cli.sh - the option table from the outside: model options given
# to `xfcast fit` on the command line are what the head file records, the
# same options as INI keys of `xfcast retrain` give a head recording the
# same, and man/xfcast.1 names every command and every option that the
# commands' --help lists (tests/test_options.c checks the table itself
# against the man page, the INI reader and the head file).
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
set -u
: "${XF_SRCDIR:=.}" "${XFCAST:=./xfcast}"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_test_options.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
. "$XF_SRCDIR/tests/testlib.sh"
D=$XF_SRCDIR/datasets/taylor-halfhourly.csv

# meta FILE KEY: the value `xfcast info` shows for a metadata key
meta() { "$XFCAST" info "$1" --format json | sed -n "s/^ *{\"key\": \"$2\", \"type\": \"[a-z0-9]*\(\[\]\)*\", \"value\": \(.*\)},*\$/\2/p"; }

OPTS="--horizon 7 --lags 13 --season 24 --levels 67.5,90 --domain energy --baseline seasonal
      --seasonal-scale --history --log --no-calendar --encoder none"
# shellcheck disable=SC2086
run 0 "$XFCAST" fit "$D" $OPTS -q -o "$T/cli.xfm"; err_empty
check '[ "$(meta "$T/cli.xfm" head.horizon)" = 7 ]' "--horizon 7: head.horizon $(meta "$T/cli.xfm" head.horizon)"
check '[ "$(meta "$T/cli.xfm" head.lags)" = 13 ]' "--lags 13: head.lags $(meta "$T/cli.xfm" head.lags)"
check '[ "$(meta "$T/cli.xfm" head.season)" = 24 ]' "--season 24"
check '[ "$(meta "$T/cli.xfm" head.baseline)" = 24 ]' "--baseline seasonal: period 24"
check '[ "$(meta "$T/cli.xfm" head.domain)" = "\"energy\"" ]' "--domain energy"
check '[ "$(meta "$T/cli.xfm" head.log)" = 1 ]' "--log"
check '[ "$(meta "$T/cli.xfm" head.history)" = 1 ]' "--history"
check '[ "$(meta "$T/cli.xfm" head.seasonal_scale)" = 1 ]' "--seasonal-scale"
check '[ "$(meta "$T/cli.xfm" head.calendar)" = "[0, 0, 0, 0]" ]' "--no-calendar: $(meta "$T/cli.xfm" head.calendar)"
check '[ "$(meta "$T/cli.xfm" head.levels)" = "[67.5, 9e+01]" ]' "--levels: $(meta "$T/cli.xfm" head.levels)"

# the same as INI keys (canonical names and flags as on/off): the same head
mkdir -p "$T/data" && cp "$D" "$T/data/t.csv"
cat >"$T/s.conf" <<'INI'
[t]
csv = data/t.csv
horizon = 7
lags = 13
season = 24
levels = 67.5,90
domain = energy
baseline = seasonal
seasonal-scale = on
history = on
log = on
calendar = off
encoder = none
INI
run 0 "$XFCAST" retrain --config "$T/s.conf" --store "$T/store"; err_empty
INIHEAD=$(ls "$T"/store/t/v*.xfm 2>/dev/null | head -n 1)
check '[ -n "$INIHEAD" ]' "retrain wrote no head: $(ls -R "$T/store" | head -c 300)"
for k in head.horizon head.lags head.season head.baseline head.domain head.log head.history \
         head.seasonal_scale head.calendar head.levels head.n_features; do
    check '[ "$(meta "$INIHEAD" $k)" = "$(meta "$T/cli.xfm" $k)" ]' \
        "$k: INI head '$(meta "$INIHEAD" $k)', command-line head '$(meta "$T/cli.xfm" $k)'"
done

# TAB as a delimiter, in both
printf 'date\tv\n2024-01-01\t1.5\n2024-01-02\t2.5\n2024-01-03\t3.25\n' >"$T/data/tab.tsv"
run 0 "$XFCAST" inspect "$T/data/tab.tsv" --delimiter tab; out_has "3"
printf '[x]\ncsv = data/tab.tsv\ndelimiter = tab\nhorizon = 1\n' >"$T/tab.conf"
# (read as two columns, then too short to fit: the error is the fit's, not the reader's)
run 1 "$XFCAST" retrain --config "$T/tab.conf" --store "$T/store2"
err_lacks() { checks=$((checks + 1)); ! grep -q -- "$1" "$T/err" || fail "stderr has '$1'"; }
err_lacks "delimiter"; err_lacks "single column"; err_has "x: "

# model options are not options of inspect (it takes the CSV ones only)
run 2 "$XFCAST" inspect "$D" --encoder gru-base; err_has "unknown option '--encoder'"
run 2 "$XFCAST" inspect "$D" --no-lags; err_has "unknown option '--no-lags'"
run 0 "$XFCAST" inspect "$D" --delimiter=, --gaps=keep --duplicates error -q; err_empty

# man/xfcast.1 names every command and every option of every command's help
MAN=$T/man.txt
sed 's/\\-/-/g' "$XF_SRCDIR/man/xfcast.1" >"$MAN"
cmds=$("$XFCAST" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ && on { on = 0 }')
check '[ "$(echo "$cmds" | wc -w)" -ge 8 ]' "fewer than 8 commands in --help: $cmds"
for c in $cmds; do
    check 'grep -q "xfcast $c\\b" "$MAN"' "man page lacks the command '$c'"
    for o in $("$XFCAST" help "$c" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        check 'grep -q -- "$o\\b" "$MAN"' "man page lacks $o (xfcast help $c)"
    done
done

echo "test_options_cli.sh: $checks checks, $fails failed"
[ "$fails" = 0 ]
