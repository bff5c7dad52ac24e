#!/bin/sh
# test_retrain_faults.sh - `xfcast retrain` and `xfcast store` from the
# command line, under faults: first run, no new data, appended rows (exact
# incremental update), --force, --dry-run, --log; champion/challenger with
# a tolerance; kill -9 at random moments; a failing write (ulimit -f); a
# source locked by another process (exit 75, --wait) and two runs at once;
# a damaged champion (on_corrupt = retrain | skip) or CURRENT; a missing or
# unreadable CSV; a renamed column; rollback and forecasts from the store;
# --shard; usage errors.  (tests/test_retrain.c tests the library.)  Small
# generated hourly CSVs, mostly with `encoder = none`, so that it runs in
# seconds; one source uses the shipped encoders when they are present.
# shellcheck disable=SC2016 # check's conditions are eval'ed: single quotes on purpose
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
# the tests run in a temporary directory: make relative paths absolute
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
if ! "$XFCAST" help retrain >/dev/null 2>&1; then
    echo "test_retrain_faults: $XFCAST has no retrain command: skipped"
    exit 77
fi
if [ "$(awk 'BEGIN { print strftime("%Y", 0, 1) }' 2>/dev/null)" != 1970 ]; then
    echo "test_retrain_faults: awk has no strftime (needed to write the test data): skipped"
    exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_rt.XXXXXX") && [ -d "$T" ] || exit 99
BG=""   # background processes started here, killed by id on exit
cleanup() {
    for p in $BG; do kill "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"

# ---------------------------------------------------------------- helpers
# gen N SEED [NOISE [FROM]]: hourly rows FROM..N-1 of a load-like series
# (daily and weekly cycles plus uniform noise of width NOISE; a portable LCG,
# not rand(), so every awk writes the same values), with the header when
# FROM is 0
gen() {
    awk -v n="$1" -v seed="$2" -v noise="${3:-2}" -v from="${4:-0}" 'BEGIN {
        s = seed; if (from == 0) print "timestamp,load"
        for (i = 0; i < n; i++) {
            s = (s * 1103515245 + 12345) % 2147483648
            if (i < from) continue
            u = s / 2147483648 - 0.5
            printf "%s,%.3f\n", strftime("%Y-%m-%dT%H:%M:%S", 1577836800 + i * 3600, 1),
                100 + 20 * sin(6.2831853 * (i % 24) / 24) + 8 * sin(6.2831853 * (i % 168) / 168) + noise * u
        } }'
}
# append FILE K SEED: K more rows continuing FILE's hours
append() {
    have=$(($(wc -l <"$1") - 1))
    gen $((have + $2)) "$3" 2 "$have" >>"$1"
}
# edit_value FILE LINE: change the value on line LINE (rewrites history)
edit_value() {
    awk -F, -v l="$2" 'BEGIN { OFS = "," } NR == l { $2 = sprintf("%.3f", $2 + 37.5) } { print }' \
        "$1" >"$1.new" && mv "$1.new" "$1"
}
# cur STORE NAME: the champion version (CURRENT), or "none"
cur() {
    c=$(cat "$1/$2/CURRENT" 2>/dev/null) || c=none
    echo "${c:-none}"
}
# nver STORE NAME: number of version files
nver() { find "$1/$2" -name 'v*.xfm' | wc -l | tr -d ' '; }
# sval STORE NAME KEY: a value of the source's status file
sval() { sed -n "s/^$3: //p" "$1/$2/status" 2>/dev/null; }
# loads STORE NAME: the file CURRENT names loads (xfcast info)
loads() {
    checks=$((checks + 1))
    v=$(cur "$1" "$2")
    "$XFCAST" info "$1/$2/v$v.xfm" >/dev/null 2>"$T/info.err" ||
        fail "$1/$2: current head v$v does not load: $(head -c 300 "$T/info.err")"
}
# is STORE NAME KEY VALUE: a status value
is() {
    checks=$((checks + 1))
    got=$(sval "$1" "$2" "$3")
    [ "$got" = "$4" ] || fail "$1/$2 status $3: '$got', expected '$4' (message: $(sval "$1" "$2" message))"
}
# no_tmp STORE NAME: no temporary file left in the entry
no_tmp() {
    checks=$((checks + 1))
    left=$(find "$1/$2" -name '*.tmp.*' | head -n 3)
    [ -z "$left" ] || fail "$1/$2: temporary files left: $left"
}
# conf FILE SOURCE...: an INI file with cheap defaults and one section per source
conf() {
    f=$1; shift
    {
        printf '# test sources\n[defaults]\nencoder = none\nhorizon = 24\nholdout = 96\ntarget = load\n'
        for s in "$@"; do printf '[%s]\ncsv = %s.csv\n' "$s" "$s"; done
    } >"$f"
}

cd "$T" || exit 1

# =============================================================== a) basics
S=$T/store
gen 1000 1 >s1.csv; gen 1000 2 >s2.csv; gen 1000 3 >s3.csv
conf a.conf s1 s2 s3
# first run: every source promoted, silently
run 0 "$XFCAST" retrain --config a.conf --store "$S" --log "$T/a.log"
out_empty; err_empty
for s in s1 s2 s3; do
    check '[ "$(cur "$S" $s)" = 1 ]' "$s: CURRENT is $(cur "$S" $s) after the first run, expected 1"
    check '[ -f "$S/$s/v1.xfm" ]' "$s: v1.xfm missing"
    is "$S" $s outcome promoted; is "$S" $s version 1; is "$S" $s rows 1000
    loads "$S" $s
done
file_has "$S/s1/status" "^csv: /.*/s1.csv$"
file_has "$S/s1/status" "^last_run: 20[0-9-]*T[0-9:]*Z$"
lines "$T/a.log" 3
file_has "$T/a.log" "source=s2 outcome=promoted version=1 rows=1000"
run 0 "$XFCAST" store list --store "$S"
out_has "^source  *version  *pinned  *outcome"
out_has "^s1  *v1  *-  *promoted  *20"; out_has "^s2  *v1  *-  *promoted"; out_has "^s3  *v1  *-  *promoted"
out_has "first head"
run 0 "$XFCAST" store show s2 --store "$S"
out_has "^current: *v1$"; out_has "^versions: *v1\*$"; out_has "^model: *ridge head"
out_lacks "cannot load"; out_has "^outcome: promoted$"; out_has "^mase_challenger: [0-9]"
run 1 "$XFCAST" store show nosuch --store "$S"; err_has "nosuch"
run 1 "$XFCAST" store list --store "$T/nostore"; err_has "nostore"

# no new data: unchanged, no new version, still silent
run 0 "$XFCAST" retrain --config a.conf --store "$S" --log "$T/a.log"
out_empty; err_empty
for s in s1 s2 s3; do
    is "$S" $s outcome unchanged; is "$S" $s version 1
    check '[ "$(nver "$S" $s)" = 1 ]' "$s: $(nver "$S" $s) versions after an unchanged run"
done
file_has "$S/s1/status" "^message: no new data since v1$"
lines "$T/a.log" 6
check '[ "$(tail -n 3 "$T/a.log" | grep -c " outcome=unchanged ")" = 3 ]' "second run's log lines are not all unchanged"

# rows appended to s2: exact incremental update, a new version
append s2.csv 37 22
run 0 "$XFCAST" retrain --config a.conf --store "$S" --log "$T/a.log"
out_empty; err_empty
is "$S" s2 outcome updated; is "$S" s2 rows_added 37; is "$S" s2 rows 1037; is "$S" s2 version 2
file_has "$S/s2/status" "^message: 37 new values, .* v1 -> v2$"
check '[ "$(cur "$S" s2)" = 2 ] && [ -f "$S/s2/v2.xfm" ] && [ -f "$S/s2/v1.xfm" ]' "s2: v2 not committed next to v1"
loads "$S" s2
is "$S" s1 outcome unchanged; is "$S" s3 outcome unchanged
lines "$T/a.log" 9
file_has "$T/a.log" "source=s2 outcome=updated version=2 rows=1037 added=37"
# --verbose: one line per source on stderr
run 0 "$XFCAST" retrain --config a.conf --store "$S" --verbose
out_empty; err_has "s1: unchanged (v1"; err_has "s2: unchanged (v2"
check '[ "$(grep -c "^xfcast retrain: " "$T/err")" = 3 ]' "--verbose: not one stderr line per source"

# --force: a full refit promoted (only the --source named); one log line
run 0 "$XFCAST" retrain --config a.conf --store "$S" --force --source s1 --log "$T/a.log"
out_empty; err_empty
is "$S" s1 outcome promoted; is "$S" s1 version 2
file_has "$S/s1/status" "^message: v2 promoted over v1: .*(--force)$"
check '[ "$(cur "$S" s1)" = 2 ]' "s1: --force did not promote v2"
loads "$S" s1
lines "$T/a.log" 10
is "$S" s3 version 1
run 2 "$XFCAST" retrain --config a.conf --store "$S" --source nosuch; err_has "nosuch"

# --dry-run: prints what would happen, writes nothing (not even the log)
append s3.csv 24 33
edit_value s1.csv 10
cp -R "$S" "$T/snap"
run 0 "$XFCAST" retrain --config a.conf --store "$S" --dry-run --log "$T/a.log"
out_has "^s3: dry-run: would add 24 new values"
out_has "^s1: dry-run: "; out_has "^s2: unchanged: "
checks=$((checks + 1))
diff -r "$T/snap" "$S" >"$T/diff" 2>&1 || fail "--dry-run changed the store: $(head -c 300 "$T/diff")"
lines "$T/a.log" 10
run 0 "$XFCAST" retrain --config a.conf --store "$S" --dry-run --log "$T/dry.log"
check '[ ! -e "$T/dry.log" ]' "--dry-run created its --log file"
rm -rf "$T/snap"
# a source the store has not seen yet: a dry run says what it would do...
conf a4.conf s1 s2 s3 s4
cp s1.csv s4.csv
run 0 "$XFCAST" retrain --config a4.conf --store "$S" --dry-run --source s4
out_has "^s4: dry-run: would promote"
# BUG: ...but takes the source's lock, which creates its entry directory and
# .lock file: the store then lists a source "s4" without any version
check '[ ! -e "$S/s4" ]' "--dry-run created the store entry of a new source: $(find "$S/s4" 2>/dev/null | tr '\n' ' ')"
rm -rf "$S/s4" s4.csv a4.conf
# the same run for real
run 0 "$XFCAST" retrain --config a.conf --store "$S" --log "$T/a.log"
out_empty; err_empty
is "$S" s3 outcome updated; is "$S" s3 rows_added 24; is "$S" s3 version 2
checks=$((checks + 1))
case $(sval "$S" s1 outcome) in promoted | kept) ;; *) fail "s1 after a history edit: outcome $(sval "$S" s1 outcome)" ;; esac
lines "$T/a.log" 13
# (when kept, the champion has not seen the edited history, so rows appended
# later cannot be added exactly: every run refits and compares again.  The
# champion was fitted on the holdout values it is scored on, the challenger
# was not, so with this data it is typically kept: resynchronise it.)
run 0 "$XFCAST" retrain --config a.conf --store "$S" --force --source s1
is "$S" s1 outcome promoted

# --------------------------------------------------- the shipped encoders
# A series with a weekend drop and AR(1) noise, on which (with this data)
# the fit keeps the embeddings of both encoders; 900 rows, then 30 more.
if [ -f "$XF_SRCDIR/models/gru-base.xfm" ] && [ -f "$XF_SRCDIR/models/tcn-base.xfm" ]; then
    awk 'BEGIN { s = 7919; e = 0; pi2 = 6.283185307; print "timestamp,load"
        for (i = 0; i < 930; i++) {
            s = (s * 1103515245 + 12345) % 2147483648; e = 0.7 * e + s / 2147483648 - 0.5
            h = (i % 24) / 24; d = int(i / 24) % 7
            daily = sin(pi2 * h) + 0.5 * sin(2 * pi2 * h); weekly = (d >= 5) ? -1 : 0.2 * sin(pi2 * d / 7)
            y = 50 * (1 + 0.15 * daily + 0.05 * weekly + 0.02 * e) - 0.0125 * i
            printf "%s,%.3f\n", strftime("%Y-%m-%dT%H:%M:%S", 1704067200 + 3600 * i, 1), y } }' >e1.all
    head -n 901 e1.all >e1.csv
    printf '[e1]\ncsv = e1.csv\nhorizon = 24\ntarget = load\nmax_windows = 600\n' >e.conf
    run 0 "$XFCAST" retrain --config e.conf --store "$T/estore"
    out_empty; err_empty
    is "$T/estore" e1 outcome promoted; loads "$T/estore" e1
    nenc=$("$XFCAST" info "$T/estore/e1/v1.xfm" | awk '$1 == "head.n_encoders" { print $3 }')
    if [ "$nenc" = 2 ]; then
        # BUG: `store show` describes the head before attaching its encoders,
        # so a head with embeddings of gru-base + tcn-base reads "no embeddings"
        run 0 "$XFCAST" store show e1 --store "$T/estore"
        out_has "^model: .*embeddings of gru-base + tcn-base"
    else
        echo "test_retrain_faults: the e1 head kept no embeddings here (head.n_encoders '$nenc'): the store show check is skipped"
    fi
    cp e1.all e1.csv
    run 0 "$XFCAST" retrain --config e.conf --store "$T/estore"
    out_empty; err_empty
    is "$T/estore" e1 outcome updated; is "$T/estore" e1 rows_added 30; loads "$T/estore" e1
    run 0 "$XFCAST" store forecast e1 --store "$T/estore"
    out_has "^id,timestamp,step,mean"; out_has "^load,2024-02-08T18:00:00Z,1,"; lines "$T/out" 25
else
    echo "test_retrain_faults: models/gru-base.xfm or tcn-base.xfm absent: the default-encoder source is skipped"
fi

# ============================================== b) champion / challenger
# The champion is fitted with the defaults on a periodic series.  Then the
# source's configuration is edited to a poor one (1 lag, no calendar terms):
# a full refit; the challenger (new configuration) and the champion's
# configuration are both fitted on the data without the last 96 values and
# scored on them; the champion's configuration wins by far more than the 2%
# tolerance: kept - and refitted on all the data as a new version.
SB=$T/cc
gen 1500 7 2 >p.csv
printf '[defaults]\nencoder = none\nhorizon = 24\nholdout = 96\ntolerance = 0.02\n[p]\ncsv = p.csv\n' >p.conf
run 0 "$XFCAST" retrain --config p.conf --store "$SB"
is "$SB" p outcome promoted
printf '[defaults]\nencoder = none\nhorizon = 24\nholdout = 96\ntolerance = 0.02\nlags = 1\ncalendar = off\n[p]\ncsv = p.csv\n' >pb.conf
run 0 "$XFCAST" retrain --config pb.conf --store "$SB"
out_empty; err_empty
is "$SB" p outcome kept; is "$SB" p version 2
file_has "$SB/p/status" "^message: champion's configuration kept (v1 refitted as v2): challenger MASE [0-9.e-]* on the last 96 values is worse than the champion's [0-9.e-]* by more than 2%$"
mc=$(sval "$SB" p mase_champion); ml=$(sval "$SB" p mase_challenger)
check "awk -v c='$mc' -v l='$ml' 'BEGIN { exit !(c + 0 > 0 && l + 0 > 1.02 * c) }'" \
    "kept, but challenger MASE '$ml' is not worse than 1.02 x champion's '$mc'"
loads "$SB" p
run 0 "$XFCAST" store show p --store "$SB"
out_has "168 lags"
# the losing configuration was recorded: no new data, no new comparison
run 0 "$XFCAST" retrain --config pb.conf --store "$SB"
is "$SB" p outcome unchanged; is "$SB" p version 2
# history edited: compared again and kept again (a 26-fold worse
# challenger); --force promotes it whatever the comparison
edit_value p.csv 10
run 0 "$XFCAST" retrain --config pb.conf --store "$SB"
is "$SB" p outcome kept; is "$SB" p version 3
run 0 "$XFCAST" retrain --config pb.conf --store "$SB" --force
is "$SB" p outcome promoted; is "$SB" p version 4
file_has "$SB/p/status" "^message: v4 promoted over v3: MASE [0-9.e-]* vs [0-9.e-]* on the last 96 values (--force)$"
loads "$SB" p
run 0 "$XFCAST" store show p --store "$SB"
out_has " 1 lags"
run 0 "$XFCAST" retrain --config pb.conf --store "$SB"
is "$SB" p outcome unchanged

# ================================================ c) kill -9 at random moments
# Four sources refitted (--force, on data that grew since) in the background
# and killed after a random delay: every CURRENT still names a head that
# loads, and a normal retrain afterwards succeeds.  The delays span 0-300 ms,
# or the time an uninterrupted run takes when that is longer (a slow build,
# a sanitizer), so that kills land in every phase, commits included.
SK=$T/kill
for k in 1 2 3 4; do gen 2000 $((40 + k)) >k$k.csv; done
conf k.conf k1 k2 k3 k4
# now_ms: milliseconds (0 when date has no %N)
now_ms() { d=$(date +%s%N 2>/dev/null); case $d in *N* | "") echo 0 ;; *) echo $((d / 1000000)) ;; esac; }
run 0 "$XFCAST" retrain --config k.conf --store "$SK"
t0=$(now_ms)
run 0 "$XFCAST" retrain --config k.conf --store "$SK" --force
window=$(($(now_ms) - t0))
window=$((window + window / 5))
[ "$window" -ge 300 ] || window=300
hits=0 partial=0 torn=0
# vsum: the sum of the four CURRENT versions
vsum() { cat "$SK"/k?/CURRENT 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
i=0
while [ $i -lt 15 ]; do
    i=$((i + 1))
    for k in 1 2 3 4; do append k$k.csv 24 $((i * 10 + k)); done
    r=$(od -An -N2 -tu2 /dev/urandom 2>/dev/null | tr -d ' ')
    [ -n "$r" ] || r=$(awk -v s="$i$$" 'BEGIN { srand(s); print int(rand() * 65536) }')
    ms=$((r % (window + 1)))
    before=$(vsum)
    "$XFCAST" retrain --config k.conf --store "$SK" --force >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v m=$ms 'BEGIN { printf "%.3f", m / 1000 }')"
    kill -9 "$pid" 2>/dev/null && hits=$((hits + 1))
    wait "$pid" 2>/dev/null
    after=$(vsum)
    # (what the kill interrupted: some sources committed, a file half written)
    [ "$after" = "$before" ] || [ "$after" = $((before + 4)) ] || partial=$((partial + 1))
    [ -z "$(find "$SK" -name '*.tmp.*' | head -n 1)" ] || torn=$((torn + 1))
    for k in 1 2 3 4; do
        checks=$((checks + 1))
        v=$(cur "$SK" k$k)
        case $v in
        *[!0-9]* | "") fail "kill after $ms ms (round $i): k$k/CURRENT holds '$v'" ;;
        *) "$XFCAST" info "$SK/k$k/v$v.xfm" >/dev/null 2>"$T/info.err" ||
            fail "kill after $ms ms (round $i): k$k v$v does not load: $(head -c 300 "$T/info.err")" ;;
        esac
    done
    run 0 "$XFCAST" store show k1 --store "$SK"
    out_has "^model: *ridge"; out_lacks "cannot load"
    run 0 "$XFCAST" retrain --config k.conf --store "$SK"
    for k in 1 2 3 4; do
        checks=$((checks + 1))
        case $(sval "$SK" k$k outcome) in
        updated | unchanged) ;;
        *) fail "round $i (kill after $ms ms): k$k then $(sval "$SK" k$k outcome): $(sval "$SK" k$k message)" ;;
        esac
    done
done
echo "test_retrain_faults: kill -9 after 0-$window ms hit $hits of 15 runs while they were running" \
    "($partial between two sources' commits, $torn leaving a temporary file)"
# the next commit removes what killed runs left, and prunes to keep = 5
run 0 "$XFCAST" retrain --config k.conf --store "$SK" --force
for k in 1 2 3 4; do
    no_tmp "$SK" k$k; loads "$SK" k$k
    check '[ "$(nver "$SK" k$k)" -le 5 ]' "k$k: $(nver "$SK" k$k) versions kept, expected at most 5"
done

# ============================================== d) a write that fails
# ulimit -f: the new head (~300 KB) cannot be written; the status (a few
# hundred bytes) can.
v0=$(cur "$S" s2)
append s2.csv 24 44
checks=$((checks + 1))
(ulimit -f 64 && trap '' XFSZ && exec "$XFCAST" retrain --config a.conf --store "$S" --source s2) \
    >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 1 ] || fail "retrain under ulimit -f 64: exit $rc, expected 1 ($(head -c 300 "$T/err"))"
err_has "s2: "; err_has "s2/v$((v0 + 1)).xfm"; err_has "File too large"
check '[ "$(cur "$S" s2)" = "$v0" ]' "s2: CURRENT changed by a failed write"
check '[ ! -e "$S/s2/v$((v0 + 1)).xfm" ]' "s2: a partial v$((v0 + 1)).xfm was left"
loads "$S" s2; no_tmp "$S" s2
is "$S" s2 outcome failed
# BUG: the status (and --log line) of a failed run says "version: 0" while
# v$v0 is still the champion: retrain.h documents the report's version as
# "champion version after the run"; the failed commit sets it to 0 (and a
# run that fails before loading the champion never sets it)
is "$S" s2 version "$v0"
run 0 "$XFCAST" retrain --config a.conf --store "$S" --source s2
is "$S" s2 outcome updated; is "$S" s2 rows_added 24; is "$S" s2 version $((v0 + 1))

# ============================================ e) a lock held by another run
if command -v flock >/dev/null 2>&1; then
    rm -f "$T/held"
    flock "$S/s1/.lock" sh -c "touch '$T/held'; sleep 3" &
    holder=$!
    BG="$BG $holder"
    n=0
    while [ ! -e "$T/held" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
    append s3.csv 5 66
    run 75 "$XFCAST" retrain --config a.conf --store "$S" --log "$T/a.log"
    err_has "s1: locked"
    is "$S" s3 outcome updated  # the other sources are processed
    file_has "$T/a.log" "source=s1 outcome=locked"
    run 75 "$XFCAST" store rollback s1 --store "$S"
    wait "$holder"
    # --wait: blocks until the holder is gone, then retrains
    rm -f "$T/held"
    flock "$S/s1/.lock" sh -c "touch '$T/held'; sleep 2" &
    holder=$!
    BG="$BG $holder"
    n=0
    while [ ! -e "$T/held" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
    append s1.csv 12 77
    t0=$(date +%s)
    run 0 "$XFCAST" retrain --config a.conf --store "$S" --wait --source s1
    t1=$(date +%s)
    err_empty
    check '[ $((t1 - t0)) -ge 1 ]' "--wait returned after $((t1 - t0)) s while the lock was held for 2 s"
    is "$S" s1 outcome updated; is "$S" s1 rows_added 12
    wait "$holder"
else
    echo "test_retrain_faults: flock(1) not found: lock tests (exit 75, --wait) skipped"
fi
# two runs at once on one store: each source is retrained by one of them
# (the other finds it locked: exit 75) or by both in turn (exit 0)
for s in s1 s2 s3; do append $s.csv 6 5; done
"$XFCAST" retrain --config a.conf --store "$S" --log "$T/c.log" >/dev/null 2>"$T/c1.err" &
p1=$!
"$XFCAST" retrain --config a.conf --store "$S" --log "$T/c.log" >/dev/null 2>"$T/c2.err" &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
checks=$((checks + 1))
case $r1$r2 in 00 | 075 | 750 | 7575) ;; *) fail "concurrent runs exited $r1 and $r2: $(cat "$T/c1.err" "$T/c2.err" | head -c 300)" ;; esac
lines "$T/c.log" 6
for s in s1 s2 s3; do
    checks=$((checks + 1))
    n=$(grep -c " source=$s outcome=updated " "$T/c.log")
    [ "$n" = 1 ] || fail "$s: updated $n times by two concurrent runs: $(grep " source=$s " "$T/c.log")"
    loads "$S" $s
done

# ============================================== f) a damaged champion
# flip one byte in the middle of FILE
flip() {
    sz=$(wc -c <"$1"); off=$((sz / 2))
    b=$(od -An -tu1 -j "$off" -N1 "$1" | tr -d ' ')
    # shellcheck disable=SC2059 # the format is the octal escape
    printf "\\$(printf %o $(((b + 1) % 256)))" | dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
v0=$(cur "$S" s3)
cp "$S/s3/v$v0.xfm" "$T/orig.xfm"
flip "$S/s3/v$v0.xfm"
check '! cmp -s "$T/orig.xfm" "$S/s3/v$v0.xfm"' "the byte flip did not change the file"
run 0 "$XFCAST" store show s3 --store "$S"
out_has "^model: *cannot load: .*damaged"
run 0 "$XFCAST" retrain --config a.conf --store "$S"
is "$S" s3 outcome promoted; is "$S" s3 version $((v0 + 1))
file_has "$S/s3/status" "^message: champion v$v0 is damaged"
check '[ "$(cur "$S" s3)" = $((v0 + 1)) ]' "s3: no new version after a damaged champion"
loads "$S" s3
# on_corrupt = skip: the source fails and the damaged file is left alone
sed 's/^\[s3\]$/[s3]\non_corrupt = skip/' a.conf >skip.conf
file_has skip.conf "^on_corrupt = skip$"
v0=$(cur "$S" s3)
flip "$S/s3/v$v0.xfm"
cp "$S/s3/v$v0.xfm" "$T/damaged.xfm"
run 1 "$XFCAST" retrain --config skip.conf --store "$S"
err_has "s3: .*damaged"; err_has "on_corrupt = skip"
is "$S" s3 outcome failed
check '[ "$(cur "$S" s3)" = "$v0" ]' "on_corrupt = skip: CURRENT changed"
check 'cmp -s "$T/damaged.xfm" "$S/s3/v$v0.xfm"' "on_corrupt = skip: the damaged file was changed"
is "$S" s1 outcome unchanged
# a rollback to the damaged version is refused; repair by retraining
run 1 "$XFCAST" store rollback s3 --to "v$v0" --store "$S"; err_has "damaged"
run 0 "$XFCAST" retrain --config a.conf --store "$S" --source s3
is "$S" s3 outcome promoted; loads "$S" s3
# a damaged CURRENT: the next run commits a new version and repairs it
echo garbage >"$S/s2/CURRENT"
v0=$(find "$S/s2" -name 'v*.xfm' | sed -n 's|.*/v\([0-9]*\)\.xfm$|\1|p' | sort -n | tail -n 1)
run 0 "$XFCAST" retrain --config a.conf --store "$S" --source s2
check '[ "$(cur "$S" s2)" = $((v0 + 1)) ]' "s2: a damaged CURRENT was not replaced by v$((v0 + 1)) (CURRENT: $(cur "$S" s2))"
loads "$S" s2

# ========================================= g) a missing or unreadable CSV
for s in s1 s2 s3; do eval "b_$s=\$(cur \"\$S\" $s)"; done
append s1.csv 10 88; append s3.csv 10 99
mv s2.csv s2.csv.away
run 1 "$XFCAST" retrain --config a.conf --store "$S" --jobs 2
out_empty
err_has "1 of 3 sources failed"; err_has "s2: .*/s2.csv"; err_has "No such file"
is "$S" s2 outcome failed
check '[ "$(cur "$S" s2)" = "$b_s2" ]' "s2: CURRENT changed although its CSV is missing"
is "$S" s1 outcome updated; is "$S" s3 outcome updated
check '[ "$(cur "$S" s1)" = $((b_s1 + 1)) ] && [ "$(cur "$S" s3)" = $((b_s3 + 1)) ]' \
    "the other sources got no new version when s2's CSV was missing"
# a directory where the CSV should be
mkdir s2.csv
run 1 "$XFCAST" retrain --config a.conf --store "$S"
err_has "s2: .*/s2.csv"; err_has "directory"
rmdir s2.csv
if [ "$(id -u)" != 0 ]; then
    cp s2.csv.away s2.csv
    chmod 000 s2.csv
    run 1 "$XFCAST" retrain --config a.conf --store "$S"
    err_has "s2: .*/s2.csv"; err_has "Permission denied"
    rm -f s2.csv
fi
mv s2.csv.away s2.csv
run 0 "$XFCAST" retrain --config a.conf --store "$S"
is "$S" s2 outcome unchanged

# ======================================== h) the target column renamed
v0=$(cur "$S" s1)
sed '1s/load/power/' s1.csv >s1.new && mv s1.new s1.csv
run 1 "$XFCAST" retrain --config a.conf --store "$S"
err_has "s1: .*column 'load'"
is "$S" s1 outcome failed
check '[ "$(cur "$S" s1)" = "$v0" ]' "s1: CURRENT changed after a column rename"
loads "$S" s1
sed '1s/power/load/' s1.csv >s1.new && mv s1.new s1.csv
run 0 "$XFCAST" retrain --config a.conf --store "$S"
is "$S" s1 outcome unchanged

# ==================================== i) rollback and forecasts from the store
SR=$T/roll
gen 1000 11 >r.csv
printf '[defaults]\nencoder = none\nhorizon = 24\n[r]\ncsv = r.csv\nkeep = 10\n' >r.conf
run 0 "$XFCAST" retrain --config r.conf --store "$SR"
append r.csv 24 12
run 0 "$XFCAST" retrain --config r.conf --store "$SR"
append r.csv 24 13
run 0 "$XFCAST" retrain --config r.conf --store "$SR"
check '[ "$(cur "$SR" r)" = 3 ]' "r: expected v3 after two appends, CURRENT $(cur "$SR" r)"
run 0 "$XFCAST" store rollback r --store "$SR"
out_has "^r: v3 -> v2 (pinned)$"
check '[ "$(cur "$SR" r)" = 2 ]' "rollback: CURRENT $(cur "$SR" r), expected 2"
run 0 "$XFCAST" store rollback r --to v1 --store "$SR"
out_has "^r: v2 -> v1 (pinned)$"
run 0 "$XFCAST" store show r --store "$SR"
out_has "^current: *v1$"; out_has "^versions: *v1\*! v2 v3$"
out_has "^pinned: *v1, by a rollback from v3"; out_has "^outcome: rolled-back$"
run 0 "$XFCAST" store list --store "$SR"
out_has "^r  *v1  *from v3  *rolled-back  *20.*rolled back from v2 to v1"
run 1 "$XFCAST" store rollback r --store "$SR"    # nothing older than v1
run 1 "$XFCAST" store rollback r --to 9 --store "$SR"; err_has "9"
run 2 "$XFCAST" store rollback r --to vx --store "$SR"
check '[ "$(cur "$SR" r)" = 1 ]' "failed rollbacks changed CURRENT to $(cur "$SR" r)"
# forecasts with the champion (v1) on the source's CSV, from the status or --config
next=$(awk 'BEGIN { print strftime("%Y-%m-%dT%H:%M:%SZ", 1577836800 + 1048 * 3600, 1) }')
run 0 "$XFCAST" store forecast r --store "$SR"
out_has "^id,timestamp,step,mean,lo80,hi80,lo95,hi95$"; lines "$T/out" 25
out_has "^load,$next,1,"; out_has "^load,.*,24,"
run 0 "$XFCAST" store forecast r --store "$SR" --config r.conf --horizon 5 -o "$T/fc.csv"
lines "$T/fc.csv" 6; file_has "$T/fc.csv" "^load,$next,1,"
run 0 "$XFCAST" store forecast r --store "$SR" --format json
out_has '"forecasts"'
head -n 900 r.csv >r900.csv
run 0 "$XFCAST" store forecast r r900.csv --store "$SR"
out_has "^load,$(awk 'BEGIN { print strftime("%Y-%m-%dT%H:%M:%SZ", 1577836800 + 899 * 3600, 1) }'),1,"
# a rollback pins v1: a retrain with the data and configuration v2 saw
# keeps it (no version promoted or updated over it), twice
for i in 1 2; do
    run 0 "$XFCAST" retrain --config r.conf --store "$SR"
    out_empty; err_empty
    is "$SR" r outcome unchanged; is "$SR" r version 1
    check '[ "$(cur "$SR" r)" = 1 ] && [ "$(nver "$SR" r)" = 3 ]' "retrain $i after the rollback: CURRENT $(cur "$SR" r), $(nver "$SR" r) versions (expected v1 of 3)"
done
file_has "$SR/r/status" "^message: v1 pinned by a rollback from v3"
run 0 "$XFCAST" retrain --config r.conf --store "$SR" --dry-run
check '[ "$(cur "$SR" r)" = 1 ]' "a dry run after the rollback moved CURRENT to $(cur "$SR" r)"
# new data releases the pin: the champion v1 is updated exactly with what
# it has not seen (the 48 values of v2 and v3, and 24 new ones): v4
append r.csv 24 14
run 0 "$XFCAST" retrain --config r.conf --store "$SR"
is "$SR" r outcome updated; is "$SR" r rows_added 72; is "$SR" r version 4
file_has "$SR/r/status" "^message: pin on v1 released (new data or configuration); 72 new values"
check '[ "$(cur "$SR" r)" = 4 ]' "a version number was reused after a rollback: CURRENT $(cur "$SR" r)"
check '[ ! -e "$SR/r/PINNED" ]' "the pin outlived the commit of v4"
run 0 "$XFCAST" store show r --store "$SR"
out_lacks "^pinned:"; out_has "^versions: .*v4\*$"
# unpin: the next retrain with the same data and configuration then runs as usual
run 0 "$XFCAST" store rollback r --store "$SR"
out_has "^r: v4 -> v3 (pinned)$"
run 0 "$XFCAST" retrain --config r.conf --store "$SR"
is "$SR" r outcome unchanged; is "$SR" r version 3
run 0 "$XFCAST" store unpin r --store "$SR"; out_has "^r: unpinned$"
run 0 "$XFCAST" store unpin r --store "$SR"; out_has "^r: was not pinned$"
run 0 "$XFCAST" store show r --store "$SR"; out_lacks "^pinned:"
run 0 "$XFCAST" retrain --config r.conf --store "$SR"
is "$SR" r outcome updated; is "$SR" r rows_added 24; is "$SR" r version 5
# a changed configuration releases a pin too
run 0 "$XFCAST" store rollback r --store "$SR"
sed 's/^keep = 10$/keep = 10\nlags = 36/' r.conf >r2.conf
run 0 "$XFCAST" retrain --config r2.conf --store "$SR"
check '[ "$(cur "$SR" r)" = 6 ]' "a changed configuration did not release the pin: CURRENT $(cur "$SR" r)"
file_has "$SR/r/status" "^message: pin on v4 released"
run 1 "$XFCAST" store unpin nosuch --store "$SR"; err_has "nosuch"

# ==================== i2) --format json, unknown options, options a subcommand does not take
if command -v python3 >/dev/null 2>&1; then
    for sub in "list" "show r"; do
        # shellcheck disable=SC2086 # $sub is two words on purpose
        run 0 "$XFCAST" store $sub --store "$SR" --format json
        checks=$((checks + 1))
        python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["status"] if "status" in d else d["sources"][0]["status"]' <"$T/out" ||
            fail "store $sub --format json: not valid JSON: $(head -c 300 "$T/out")"
    done
    python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["source"] == "r" and d["current"] == 6 and d["pinned"] is False and 6 in d["versions"], d' <"$T/out" ||
        fail "store show --format json: wrong content: $(head -c 300 "$T/out")"
    "$XFCAST" store rollback r --store "$SR" >/dev/null
    "$XFCAST" store list --store "$SR" --format json >"$T/out"
    python3 -c 'import json, sys; d = json.load(sys.stdin); s = d["sources"][0]; assert s["source"] == "r" and s["current"] == 5 and s["pinned"] is True and s["pinned_from"] == 6 and s["status"]["outcome"] == "rolled-back", d' <"$T/out" ||
        fail "store list --format json after a rollback: wrong content: $(head -c 300 "$T/out")"
fi
run 0 "$XFCAST" store list --store "$SR" --format json; out_has '^{"store": '; out_lacks "^source "
run 0 "$XFCAST" store list --store "$SR" --format text; out_has "^source "
run 2 "$XFCAST" store list --store "$SR" --format csv; err_has "text or json"
run 2 "$XFCAST" store forecast r --store "$SR" --format text; err_has "csv or json"
for sub in list "show r" "rollback r" "unpin r" "forecast r"; do
    # shellcheck disable=SC2086
    run 2 "$XFCAST" store $sub --store "$SR" --bogus; err_has "unknown option '--bogus'"
    # shellcheck disable=SC2086
    run 2 "$XFCAST" store $sub --bogus --store "$SR"; err_has "unknown option '--bogus'"
done
run 2 "$XFCAST" retrain --config r.conf --store "$SR" --bogus; err_has "unknown option '--bogus'"
run 2 "$XFCAST" store list --store "$SR" --to 3; err_has "store list does not take --to"
run 2 "$XFCAST" store show r --store "$SR" --horizon 3; err_has "does not take --horizon"
run 2 "$XFCAST" store rollback r --store "$SR" --config r.conf; err_has "does not take --config"
run 2 "$XFCAST" store unpin r --store "$SR" --format json; err_has "does not take --format"
run 2 "$XFCAST" store list extra --store "$SR"; err_has "extra"
check '[ "$(cur "$SR" r)" = 5 ]' "refused store commands changed CURRENT to $(cur "$SR" r)"

# ==================== i3) future covariates: rows with an empty target are the future
SF=$T/future
# genf N SEED FROM TO_EMPTY: hourly rows FROM..N-1 with load and temperature;
# rows at or after TO_EMPTY have an empty load (temperature is known ahead)
genf() {
    awk -v n="$1" -v seed="$2" -v from="$3" -v empty="$4" 'BEGIN {
        s = seed; if (from == 0) print "timestamp,load,temperature"
        for (i = 0; i < n; i++) {
            s = (s * 1103515245 + 12345) % 2147483648
            if (i < from) continue
            u = s / 2147483648 - 0.5
            temp = 10 + 8 * sin(6.2831853 * ((i + 5) % 24) / 24) + 3 * u
            load = 100 + 20 * sin(6.2831853 * (i % 24) / 24) - 1.5 * temp + 2 * u
            if (i >= empty) printf "%s,,%.3f\n", strftime("%Y-%m-%dT%H:%M:%S", 1577836800 + i * 3600, 1), temp
            else printf "%s,%.3f,%.3f\n", strftime("%Y-%m-%dT%H:%M:%S", 1577836800 + i * 3600, 1), load, temp
        } }'
}
genf 1000 21 0 100000 >f.csv
printf '[defaults]\nencoder = none\nhorizon = 24\nholdout = 96\n[f]\ncsv = f.csv\ntarget = load\ncovariates = temperature\nkeep = 2\n' >f.conf
run 0 "$XFCAST" retrain --config f.conf --store "$SF"
is "$SF" f outcome promoted; is "$SF" f version 1
# tonight: 24 rows with the temperature forecast and no load yet
genf 1024 21 1000 1000 >>f.csv
run 0 "$XFCAST" retrain --config f.conf --store "$SF"
out_empty; err_empty
is "$SF" f outcome unchanged; is "$SF" f version 1
file_has "$SF/f/status" "^message: no new target values since v1; 24 rows with covariates only are kept as the future"
check '[ "$(nver "$SF" f)" = 1 ]' "rows without a target made a new version ($(nver "$SF" f) versions)"
# the forecast starts after the last load, with the known temperatures
run 0 "$XFCAST" store forecast f --store "$SF"
out_has "^load,$(awk 'BEGIN { print strftime("%Y-%m-%dT%H:%M:%SZ", 1577836800 + 1000 * 3600, 1) }'),1,"
# the loads arrive (and the next day's temperatures): the exact update, not a refit
genf 1024 21 0 1024 >f.csv; genf 1048 21 1024 1024 >>f.csv
run 0 "$XFCAST" retrain --config f.conf --store "$SF"
is "$SF" f outcome updated; is "$SF" f version 2; is "$SF" f rows_added 24
file_has "$SF/f/status" "^message: 24 new values, 24 origins added exactly to v1 -> v2"
# the update equals a refit on the same data (forecasts agree)
genf 1024 21 0 1024 >f1024.csv; genf 1048 21 1024 1024 >>f1024.csv
"$XFCAST" store forecast f --store "$SF" >"$T/fu.csv" 2>/dev/null
run 0 "$XFCAST" retrain --config f.conf --store "$SF" --force
is "$SF" f outcome promoted; is "$SF" f version 3
"$XFCAST" store forecast f --store "$SF" >"$T/ff.csv" 2>/dev/null
checks=$((checks + 1))
awk -F, 'NR == FNR { if (FNR > 1) m[FNR] = $4; next } FNR > 1 { d = $4 - m[FNR]; if (d < 0) d = -d; if (d > 1e-6 * (1 + ($4 < 0 ? -$4 : $4))) bad++ } END { exit bad > 0 }' "$T/fu.csv" "$T/ff.csv" ||
    fail "the exact update's forecasts differ from a full refit's: $(head -n 3 "$T/fu.csv") vs $(head -n 3 "$T/ff.csv")"

# ======================================================== j) --shard
SS=$T/shard
for h in 0 1 2 3 4 5; do gen 800 $((60 + h)) >h$h.csv; done
conf h.conf h0 h1 h2 h3 h4 h5
for i in 0 1 2; do
    run 0 "$XFCAST" retrain --config h.conf --store "$SS" --shard $i/3 --log "$T/shard.log" --jobs 2
    out_empty; err_empty
done
lines "$T/shard.log" 6
for h in 0 1 2 3 4 5; do
    check '[ "$(grep -c " source=h$h " "$T/shard.log")" = 1 ]' "h$h processed $(grep -c " source=h$h " "$T/shard.log") times by the three shards"
    is "$SS" h$h outcome promoted
    check '[ "$(cur "$SS" h$h)" = 1 ] && [ "$(nver "$SS" h$h)" = 1 ]' "h$h: not exactly one version after the three shards"
done
run 2 "$XFCAST" retrain --config h.conf --store "$SS" --shard 3/3; err_has "\-\-shard"
run 2 "$XFCAST" retrain --config h.conf --store "$SS" --shard 1/0
run 2 "$XFCAST" retrain --config h.conf --store "$SS" --shard x
run 0 "$XFCAST" retrain --config h.conf --store "$SS" --shard 0/1 --log "$T/shard.log"
lines "$T/shard.log" 12

# ======================================================== k) usage errors
run 2 "$XFCAST" retrain --store "$T/u"; err_has "usage"
run 2 "$XFCAST" retrain --config a.conf; err_has "usage"
run 2 "$XFCAST" retrain --config a.conf --store "$T/u" extra; err_has "extra"
run 2 "$XFCAST" retrain --config a.conf --store "$T/u" --jobs 0; err_has "\-\-jobs"
run 2 "$XFCAST" retrain --config a.conf --store "$T/u" --frobnicate
run 1 "$XFCAST" retrain --config "$T/nosuch.conf" --store "$T/u"; err_has "nosuch.conf"
printf '[defaults]\nencoder = none\n[s1]\nhorzion = 24\ncsv = s1.csv\n' >typo.conf
run 2 "$XFCAST" retrain --config typo.conf --store "$T/u"
err_has "unknown key"; err_has "horzion"; err_has "typo.conf:4"
printf '[defaults]\nencoder = none\n[s1]\ncsv = s1.csv\nhorizon = abc\n' >bad.conf
run 2 "$XFCAST" retrain --config bad.conf --store "$T/u"
err_has "\[s1\] horizon"; err_has "abc"
printf '[defaults]\nhorizon = 0\n[s1]\ncsv = s1.csv\n' >bad2.conf
run 2 "$XFCAST" retrain --config bad2.conf --store "$T/u"; err_has "\[defaults\] horizon"
printf '[s1]\ncsv = s1.csv\non_corrupt = ignore\n' >bad3.conf
run 2 "$XFCAST" retrain --config bad3.conf --store "$T/u"; err_has "on_corrupt"
printf '[s1]\nhorizon = 24\n' >nocsv.conf
run 2 "$XFCAST" retrain --config nocsv.conf --store "$T/u"; err_has "no 'csv' key"
printf '[s1]\ncsv = s1.csv\nthis is not ini\n' >syntax.conf
run 2 "$XFCAST" retrain --config syntax.conf --store "$T/u"; err_has "syntax.conf:3"
printf '[bad/name]\ncsv = s1.csv\n' >name.conf
run 2 "$XFCAST" retrain --config name.conf --store "$T/u"; err_has "bad/name"
check '[ ! -e "$T/u" ]' "a usage error created the store directory"
run 2 "$XFCAST" store list; err_has "usage"
run 2 "$XFCAST" store frobnicate --store "$S"
run 2 "$XFCAST" store show --store "$S"
run 2 "$XFCAST" store show ../etc --store "$S"

echo "test_retrain_faults: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
