#!/bin/sh
# test_shard_fit_cli.sh - a head fitted in shards from the command line, as
# examples/parallel-fit.sh does with GNU parallel but with plain background
# processes: `fit --shard I/N --stats-out PART` for every shard at once
# (`&` + `wait`), `fit --merge` of the parts in any order, and the merged
# head's forecasts equal to one `fit` on all the series, to the printed
# digit (short series too: the automatic lags shortened alike); then what
# is refused: a part twice, a missing shard (unless
# --allow-missing-shards), parts that resolved an option differently (named,
# with the option to pass), other shard counts, a corrupted part, data or
# model options given to --merge, and --shard without --stats-out.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016,SC2086 # check's conditions are evaluated later; $F: options, split on purpose
set -u
: "${XF_SRCDIR:=.}" "${XFCAST:=./xfcast}"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_test_shard.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/testlib.sh
. "$XF_SRCDIR/tests/testlib.sh"

# 12 daily series of 240 values (a weekly cycle, a trend, noise), long format
awk "$AWK_CIVIL"'BEGIN {
    srand(7); print "id,date,value"
    for (s = 0; s < 12; s++)
        for (t = 0; t < 240; t++)
            printf "meter%02d,%s,%.4f\n", s, civil(19000 + t),
                50 + 5 * s + 8 * sin(6.2831853 * (t + s) / 7) + 0.02 * s * t + 3 * (rand() - 0.5)
}' >"$T/data.csv"
# (--blend none: the parts of a sharded fit do not know their rows' series,
# so they never blend; the merged head equals a whole fit without a blend)
F="--encoder none --horizon 7 --blend none"

# the reference: one process
run 0 "$XFCAST" fit "$T/data.csv" $F -o "$T/single.xfm"
cp "$T/out" "$T/single.report"
run 0 "$XFCAST" forecast "$T/data.csv" --head "$T/single.xfm"
cp "$T/out" "$T/single.csv"

# the recipe: N shards at once, then the merge
N=3
pids=
i=0
while [ $i -lt $N ]; do
    "$XFCAST" fit "$T/data.csv" $F --shard $i/$N --stats-out "$T/part$i.xfm" \
        >"$T/shard$i.out" 2>"$T/shard$i.err" &
    pids="$pids $!"
    i=$((i + 1))
done
for p in $pids; do
    checks=$((checks + 1))
    wait "$p" || fail "a shard fit failed: $(cat "$T"/shard*.err)"
done
file_has "$T/shard0.out" "shard 0/$N"
run 0 "$XFCAST" fit --merge "$T/part2.xfm" "$T/part0.xfm" "$T/part1.xfm" -o "$T/merged.xfm"
out_has "candidates:"
out_has "(12 series, 2880 values)"
# the report's fit lines (not the time nor the file names) are the single fit's
grep -E '^(model|training|validation|candidates|coverage):' "$T/single.report" >"$T/r1"
grep -E '^(model|training|validation|candidates|coverage):' "$T/out" >"$T/r2"
check 'cmp -s "$T/r1" "$T/r2"' "merged report differs: $(diff "$T/r1" "$T/r2" | head -5)"
run 0 "$XFCAST" forecast "$T/data.csv" --head "$T/merged.xfm"
check 'cmp -s "$T/single.csv" "$T/out"' \
    "merged forecasts differ: $(diff "$T/single.csv" "$T/out" | head -4)"
lines "$T/out" $((12 * 7 + 1))
# a part describes itself
run 0 "$XFCAST" info "$T/part1.xfm"
out_has "kind: *head-stats"
out_has "shard.count .* $N"
# 2 configurations and, as a part cannot know the winner, each one with
# the local model's features (the single fit adds only the winner's)
out_has "^part: *shard 1 of $N (0-based), [0-9]* series, 4 candidate configurations"

# short series: the automatic lags shortened alike in every part (each
# counts the whole file), so the default options merge too
# (the first 80 values of each series)
awk -F, 'NR == 1 || ($1 != p && (n = 0) == 0) || n < 80 { print; n++ } { p = $1 }' \
    "$T/data.csv" >"$T/short.csv"
# (960 values in all: --prior auto, the default, takes the domain prior in
# a whole fit, which parts cannot fit - they leave it out; the merged head
# equals a whole fit with --prior none and without a blend)
run 0 "$XFCAST" fit "$T/short.csv" --encoder none --horizon 7 -o "$T/s0.xfm"
out_has "shrunk towards the generic domain head"
run 0 "$XFCAST" fit "$T/short.csv" --encoder none --horizon 7 --prior none --blend none -o "$T/s1.xfm"
err_has "short series"
out_lacks "domain head"
for i in 0 1 2; do
    "$XFCAST" fit "$T/short.csv" --encoder none --horizon 7 --prior auto --shard $i/3 \
        --stats-out "$T/sp$i.xfm" -q 2>/dev/null &
done
wait
run 0 "$XFCAST" fit --merge "$T/sp0.xfm" "$T/sp1.xfm" "$T/sp2.xfm" -o "$T/s2.xfm"
err_has "short series"
"$XFCAST" forecast "$T/short.csv" --head "$T/s1.xfm" >"$T/sf1.csv" 2>/dev/null
"$XFCAST" forecast "$T/short.csv" --head "$T/s2.xfm" >"$T/sf2.csv" 2>/dev/null
check 'cmp -s "$T/sf1.csv" "$T/sf2.csv" && [ -s "$T/sf1.csv" ]' "short series: merged forecasts differ"

# refused: a part twice, a missing shard (allowed on request)
run 2 "$XFCAST" fit --merge "$T/part0.xfm" "$T/part0.xfm" "$T/part1.xfm" -o "$T/x.xfm"
err_has "shard 0/$N is given twice"
check '[ ! -e "$T/x.xfm" ]' "a refused merge wrote a head"
run 2 "$XFCAST" fit --merge "$T/part0.xfm" "$T/part1.xfm" -o "$T/x.xfm"
err_has "1 of the $N shards are missing (2)"
err_has "allow-missing-shards"
run 0 "$XFCAST" fit --merge "$T/part0.xfm" "$T/part1.xfm" --allow-missing-shards -q -o "$T/x.xfm"
out_empty
# a part that resolved its lags alone: named, with the option to pass
run 0 "$XFCAST" fit "$T/data.csv" $F --lags 14 --shard 2/$N --stats-out "$T/odd.xfm" -q
run 2 "$XFCAST" fit --merge "$T/part0.xfm" "$T/part1.xfm" "$T/odd.xfm" -o "$T/x.xfm"
err_has "resolved lags differently"
err_has "pass --lags"
# the part's report as JSON
run 0 "$XFCAST" fit "$T/data.csv" $F --shard 1/$N --stats-out "$T/p1.xfm" --format json
out_has '"shard": 1, "shards": 3, "series": '
out_has '"series_in_data": 12}'
# another shard count
run 0 "$XFCAST" fit "$T/data.csv" $F --shard 0/2 --stats-out "$T/two.xfm" -q
run 2 "$XFCAST" fit --merge "$T/two.xfm" "$T/part1.xfm" "$T/part2.xfm" -o "$T/x.xfm"
err_has "different shard counts"
# a corrupted part (one byte flipped in the middle)
cp "$T/part1.xfm" "$T/bad.xfm"
size=$(wc -c <"$T/bad.xfm")
printf '\377' | dd of="$T/bad.xfm" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run 1 "$XFCAST" fit --merge "$T/part0.xfm" "$T/bad.xfm" "$T/part2.xfm" -o "$T/x.xfm"
err_has "bad.xfm"
# a head is no part
run 1 "$XFCAST" fit --merge "$T/single.xfm" -o "$T/x.xfm"
err_has "not a head-stats part"
# options accepted and ignored are errors
run 2 "$XFCAST" fit --merge "$T/part0.xfm" "$T/data.csv" -o "$T/x.xfm"
err_has "not data"
run 2 "$XFCAST" fit --merge "$T/part0.xfm" --lags 5 -o "$T/x.xfm"
err_has "'--lags' is not accepted with --merge"
run 2 "$XFCAST" fit --merge "$T/part0.xfm" --encoder none -o "$T/x.xfm"
err_has "'--encoder' is not accepted with --merge"
run 2 "$XFCAST" fit --merge "$T/part0.xfm" "$T/part1.xfm" "$T/part2.xfm"
run 2 "$XFCAST" fit "$T/data.csv" $F --shard 0/$N -o "$T/x.xfm"
err_has "go together"
run 2 "$XFCAST" fit "$T/data.csv" $F --shard 0/$N --stats-out "$T/p.xfm" -o "$T/x.xfm"
err_has "not a head"
run 2 "$XFCAST" fit "$T/data.csv" $F --shard 3/$N --stats-out "$T/p.xfm"
err_has "0 <= I < N"
# an empty shard says so
run 1 "$XFCAST" fit "$T/data.csv" $F --shard 0/60000 --stats-out "$T/p.xfm"
err_has "holds none of the 12 series"

echo "test_shard_fit_cli: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
