#!/bin/sh
# test_outputs_cli.sh - outputs that never destroy data, inputs that never
# hang (issue 12): a symbolic link planted at the old PATH.tmp.PID name (or
# any .tmp. name) does not redirect -o; -o /dev/stdout and -o to a FIFO are
# written directly; -o /dev/null stays a device (checked as root, where a
# rename would have replaced it); forecast/fit/backtest/store forecast
# refuse an output that is an input (also through a hard link, a symbolic
# link and a ./ spelling) and leave it intact; `info /dev/zero`, a FIFO as
# a model, and a FIFO or /dev/zero link as a store version file or CURRENT
# fail at once; a CURRENT naming a missing version falls back to the newest
# loadable version with a warning (store show, store forecast, retrain with
# and without --force), and retrain's commit repairs it.  Every command
# that could hang runs under `timeout 10`, so a regression fails.
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
if ! command -v timeout >/dev/null 2>&1 || ! command -v mkfifo >/dev/null 2>&1; then
    echo "test_outputs_cli: needs timeout and mkfifo: skipped"
    exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_out.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"
cd "$T" || exit 99
TO="timeout 10"

# 300 daily rows of the S&P 500 (6 value columns: 6 series); no encoders
head -n 301 "$XF_SRCDIR/datasets/sp500-2000.csv" >x.csv || exit 99
cp x.csv x.orig
run 0 $TO "$XFCAST" fit x.csv --encoder none --horizon 5 -o h.xfm -q
check '[ -s h.xfm ]' "fit wrote no head"
cp h.xfm h.orig

# ---------------------------------------------------- planted links
echo precious >victim.txt
ln -s victim.txt out.csv.tmp.$$
ln -s victim.txt "out.csv.tmp.$$.0000000000000000"
for p in 1 2 3 100 4194303; do ln -s victim.txt "out.csv.tmp.$p"; done
# exec: the forecast runs with the PID the first link names
run 0 $TO sh -c 'exec "$1" forecast x.csv --head h.xfm -o out.csv' sh "$XFCAST"
check '[ "$(cat victim.txt)" = precious ]' "a planted out.csv.tmp link redirected the write: victim.txt holds '$(head -c 80 victim.txt)'"
file_has out.csv "^id,timestamp,step,mean"
lines out.csv 31
check '[ -L out.csv.tmp.$$ ] && [ -L out.csv.tmp.1 ]' "the planted links were followed or removed"
check '[ "$(find . -name "out.csv.tmp.*" ! -type l | wc -l)" -eq 0 ]' "a temporary file was left behind"
# the same for --plot and for fit -o
ln -s victim.txt p.svg.tmp.$$
run 0 $TO sh -c 'exec "$1" forecast x.csv --head h.xfm --plot p.svg -q >/dev/null' sh "$XFCAST"
check '[ "$(cat victim.txt)" = precious ]' "--plot followed a planted link"
ln -s victim.txt h2.xfm.tmp.$$
run 0 $TO sh -c 'exec "$1" fit x.csv --encoder none --horizon 5 -o h2.xfm -q' sh "$XFCAST"
check '[ "$(cat victim.txt)" = precious ]' "fit -o followed a planted link"
# a link at the output itself, made by the user: its target is replaced, the link stays
echo old >real.csv
ln -s real.csv mine.csv
run 0 $TO "$XFCAST" forecast x.csv --head h.xfm -o mine.csv
check '[ -L mine.csv ]' "-o through the user's own link replaced the link"
file_has real.csv "^id,timestamp"
# a dangling link is refused and nothing is created where it points
ln -s nowhere.csv dangling.csv
run 1 $TO "$XFCAST" forecast x.csv --head h.xfm -o dangling.csv
err_has "symbolic link"
check '[ ! -e nowhere.csv ]' "-o through a dangling link created its target"

# ---------------------------------------------------- non-regular outputs
run 0 $TO "$XFCAST" forecast x.csv --head h.xfm -o /dev/stdout
out_has "^id,timestamp,step,mean"
# /dev/stdout redirected to a file: that file gets the forecast
$TO "$XFCAST" forecast x.csv --head h.xfm -o /dev/stdout >redir.csv 2>"$T/err"
check '[ "$(wc -l <redir.csv)" -eq 31 ]' "-o /dev/stdout > file: $(wc -l <redir.csv) lines"
# a FIFO: written directly (a reader in the background, bounded by timeout)
mkfifo fifo.csv
$TO cat fifo.csv >from_fifo.csv &
reader=$!
run 0 $TO "$XFCAST" forecast x.csv --head h.xfm -o fifo.csv
wait "$reader"
check '[ -p fifo.csv ]' "-o to a FIFO replaced it by a file"
check '[ "$(wc -l <from_fifo.csv)" -eq 31 ]' "the FIFO's reader got $(wc -l <from_fifo.csv) lines"
# a character device stays a device (as root a rename would replace it)
run 0 $TO "$XFCAST" forecast x.csv --head h.xfm -o /dev/null
check '[ -c /dev/null ]' "-o /dev/null: /dev/null is no longer a character device"
if [ "$(id -u)" = 0 ]; then
    # a device of our own, so that a regression cannot break /dev/null
    if mknod "$T/null" c 1 3 2>/dev/null; then
        run 0 $TO "$XFCAST" forecast x.csv --head h.xfm -o "$T/null"
        check '[ -c "$T/null" ]' "-o to a character device (as root) replaced it by a file"
    fi
fi

# ---------------------------------------------------- an output that is an input
run 2 $TO "$XFCAST" forecast x.csv --head h.xfm -o x.csv
err_has "output 'x.csv' is the input file 'x.csv'; choose another -o"
check 'cmp -s x.csv x.orig' "forecast -o x.csv changed the input"
run 2 $TO "$XFCAST" forecast x.csv -o ./x.csv --encoder none
err_has "is the input file"
run 2 $TO "$XFCAST" fit x.csv --encoder none -o x.csv
err_has "output 'x.csv' is the input file 'x.csv'; choose another -o"
check 'cmp -s x.csv x.orig' "fit -o x.csv changed the input"
ln x.csv hard.csv
run 2 $TO "$XFCAST" fit x.csv --encoder none -o hard.csv
err_has "output 'hard.csv' is the input file 'x.csv'"
ln -s x.csv soft.csv
run 2 $TO "$XFCAST" forecast soft.csv --head h.xfm -o "$T/./x.csv"
err_has "is the input file 'soft.csv'"
check 'cmp -s x.csv x.orig' "the input changed through a link"
# the head is an input too, and --plot an output
run 2 $TO "$XFCAST" forecast x.csv --head h.xfm -o h.xfm
err_has "output 'h.xfm' is the input file 'h.xfm'"
run 2 $TO "$XFCAST" forecast x.csv --head h.xfm --plot x.csv
err_has "choose another --plot"
check 'cmp -s h.xfm h.orig && cmp -s x.csv x.orig' "a refused output changed an input"
run 2 $TO "$XFCAST" backtest x.csv --encoder none --test-start 250 --forecasts-out x.csv
err_has "choose another --forecasts-out"
check 'cmp -s x.csv x.orig' "backtest --forecasts-out x.csv changed the input"
# a new output, or another existing file, is fine
run 0 $TO "$XFCAST" forecast x.csv --head h.xfm -o other.csv

# ---------------------------------------------------- reads that must not hang
run 1 $TO "$XFCAST" info /dev/zero
err_has "'/dev/zero' is not a regular file"
mkfifo model.xfm
run 1 $TO "$XFCAST" info model.xfm
err_has "is not a regular file (it is a FIFO)"
run 1 $TO "$XFCAST" forecast x.csv --head model.xfm
err_has "not a regular file"
run 1 $TO "$XFCAST" fit x.csv --encoder ./model.xfm -o e.xfm
err_has "not a regular file"
check '[ ! -e e.xfm ]' "fit with a FIFO as encoder wrote a head"

# ---------------------------------------------------- the store
printf '[defaults]\nencoder = none\nhorizon = 5\nholdout = 20\ntarget = close\n[s]\ncsv = %s/x.csv\n' "$T" >a.conf
S=$T/store
# curv: what CURRENT holds, never waiting on a FIFO
curv() { if [ -f "$S/s/CURRENT" ] && [ ! -L "$S/s/CURRENT" ]; then cat "$S/s/CURRENT"; else echo "(not a regular file)"; fi; }
run 0 $TO "$XFCAST" retrain --config a.conf --store "$S"
run 0 $TO "$XFCAST" retrain --config a.conf --store "$S" --force
run 0 $TO "$XFCAST" retrain --config a.conf --store "$S" --force
check '[ "$(curv)" = 3 ]' "three runs: CURRENT $(curv)"
# a FIFO as the current version file: no hang, it is damaged
mv "$S/s/v3.xfm" v3.keep
mkfifo "$S/s/v3.xfm"
run 0 $TO "$XFCAST" store show s --store "$S"
out_has "^current: *v3 (cannot be loaded: v2 is used)"
out_has "^model: *cannot load: .*not a regular file (it is a FIFO)"
out_has "^used: *v2, ridge head"
err_has "warning: .*using v2"
run 0 $TO "$XFCAST" store forecast s --store "$S" -o sf.csv
err_has "warning: .*using v2"
file_has sf.csv "^id,timestamp"
# a link to /dev/zero as the version file: refused at once
rm "$S/s/v3.xfm"
ln -s /dev/zero "$S/s/v3.xfm"
run 0 $TO "$XFCAST" store show s --store "$S"
out_has "^model: *cannot load: .*symbolic link"
run 1 $TO "$XFCAST" info "$S/s/v3.xfm"
err_has "not a regular file"
# the damaged version (a link, not a file) makes retrain train anew, in time
run 0 $TO "$XFCAST" retrain --config a.conf --store "$S"
check '[ "$(curv)" = 4 ]' "retrain over a linked v3: CURRENT $(curv)"
file_has "$S/s/status" "damaged"
# a CURRENT that names a missing version: fall back, warn, and repair
rm -f "$S/s/CURRENT"; echo 9 >"$S/s/CURRENT"
run 0 $TO "$XFCAST" store show s --store "$S"
out_has "^current: *v9 (cannot be loaded: v4 is used)"
err_has "has no version 9"
run 0 $TO "$XFCAST" store forecast s --store "$S" --format json
out_has '"forecasts"'
err_has "warning: source 's' has no version 9"
run 0 $TO "$XFCAST" retrain --config a.conf --store "$S"
err_has "warning: s: .*has no version 9"
check '[ "$(curv)" = 10 ]' "retrain did not repair a CURRENT naming a missing version: $(curv)"
file_has "$S/s/status" "^outcome: \(kept\|promoted\)$"
run 0 $TO "$XFCAST" store show s --store "$S"
err_empty
# and with --force
rm -f "$S/s/CURRENT"; echo 42 >"$S/s/CURRENT"
run 0 $TO "$XFCAST" retrain --config a.conf --store "$S" --force
check '[ "$(curv)" = 43 ]' "retrain --force with CURRENT naming a missing version: CURRENT $(curv)"
file_has "$S/s/status" "^outcome: promoted$"
# a FIFO as CURRENT: no hang; the newest version loads
rm "$S/s/CURRENT"
mkfifo "$S/s/CURRENT"
run 0 $TO "$XFCAST" store forecast s --store "$S" -o sf2.csv
err_has "warning: .*not a regular file"
run 0 $TO "$XFCAST" retrain --config a.conf --store "$S"
check '[ "$(curv)" = 44 ]' "retrain did not replace a FIFO CURRENT by a file naming v44"
# no version at all loads: a new head, not a failure every night
for f in "$S"/s/v*.xfm; do rm -f "$f"; done
rm -f "$S/s/CURRENT"; echo 44 >"$S/s/CURRENT"
run 0 $TO "$XFCAST" retrain --config a.conf --store "$S"
err_has "no other version"
check '[ "$(curv)" = 45 ]' "retrain with no loadable version: CURRENT $(curv)"
# store forecast -o onto the source's CSV is refused
run 2 $TO "$XFCAST" store forecast s --store "$S" --config a.conf -o x.csv
err_has "is the input file"
check 'cmp -s x.csv x.orig' "store forecast -o x.csv changed the input"

echo "test_outputs_cli: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
