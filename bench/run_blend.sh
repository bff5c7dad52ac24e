#!/bin/sh
# bench/run_blend.sh - the blend of a fitted head's forecast with naive,
# seasonal naive or the local window model (src/head_blend.c, --blend),
# side by side with the head's own forecast (--blend none) on the same
# origins:
#   - every bundled dataset with the protocol of bench/run_accuracy.sh
#     (target, domain, test start, horizon = stride);
#   - short histories: WINDOWS cuts of N + ORIGINS x H values of each file
#     (N = 100 and 200 values; the cuts end evenly spaced from the end of the
#     file back, as bench/run_short.sh takes them), fitted on the N values,
#     forecast at ORIGINS origins (stride H).
# MASE (xfcast backtest's scale: the in-sample seasonal-naive error, naive's
# under two seasons), averaged over the cuts; the blend chosen (from the
# model description); coverage of the 80% intervals.  Rewrites the section
# between <!-- blend:begin --> and <!-- blend:end --> of bench/RESULTS.md.
# From the build directory:
#
#     sh bench/run_blend.sh          (make bench-blend)
#
# Environment (all optional):
#   XF_BLEND_LENGTHS  history lengths of the cuts (default "100 200")
#   XF_BLEND_WINDOWS  cuts per dataset and length (default 5)
#   XF_BLEND_ORIGINS  test origins per cut (default 8)
#   XF_BLEND_XFCAST   the xfcast program (default: .libs/xfcast behind the
#                     libtool wrapper, else $XF_BUILDDIR/xfcast)
#   XF_BENCH_RESULTS  results file (default $XF_SRCDIR/bench/RESULTS.md)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu
PROG=bench/run_blend.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
LENGTHS=${XF_BLEND_LENGTHS:-100 200}
WINDOWS=${XF_BLEND_WINDOWS:-5}
ORIGINS=${XF_BLEND_ORIGINS:-8}
die() {
    echo "$PROG: $*" >&2
    exit 1
}
say() { echo "$PROG: $*" >&2; }
for v in $LENGTHS "$WINDOWS" "$ORIGINS"; do
    case $v in '' | *[!0-9]* | 0) die "XF_BLEND_LENGTHS, XF_BLEND_WINDOWS and XF_BLEND_ORIGINS must be positive integers" ;; esac
done
# shellcheck disable=SC1091 source=bench/results.sh # (followed with shellcheck -x)
. "$SRC/bench/results.sh"
real_xfcast XF_BLEND_XFCAST
"$XF" --version >/dev/null 2>&1 || die "$XF does not run: run 'make' first (or set XF_BLEND_XFCAST)"
RESULTS=$(results_file "$PROG")
machine_facts
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
DATE=$(date -u)
COMMIT=$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')
T0=$(date +%s)

# bt NAME ARGS...: one backtest per blend setting; prints "mase_auto mase_none cov80_auto blend"
bt() {
    _n=$1
    shift
    "$XF" backtest "$@" --format json >"$W/$_n.a.json" 2>"$W/$_n.a.log" || return 1
    "$XF" backtest "$@" --blend none --format json >"$W/$_n.n.json" 2>"$W/$_n.n.log" || return 1
    _b=$(jget "$W/$_n.a.json" model | sed -n 's/.*; blended with \([^;]*\);.*/\1/p')
    _cov=$(jget "$W/$_n.a.json" xfcast.coverage)
    echo "$(jget "$W/$_n.a.json" xfcast.mase) $(jget "$W/$_n.n.json" xfcast.mase) ${_cov%% *} ${_b:-none}"
}

FULL=$W/full.md SHORT=$W/short.md
: >"$W/ratios"
echo '| dataset | horizon | MASE --blend auto (default) | MASE --blend none | auto / none | blend chosen | coverage 80 (auto) |' >"$FULL"
echo '|---|---:|---:|---:|---:|---|---:|' >>"$FULL"
echo '| dataset | history N | horizon | MASE --blend auto (mean of cuts) | MASE --blend none | auto / none | cuts blended | blends chosen |' >"$SHORT"
echo '|---|---:|---:|---:|---:|---:|---:|---|' >>"$SHORT"

one() {
    _file=$1 _tgt=$2 _dom=$3 _start=$4 _h=$5
    _name=$(basename "$_file" .csv)
    _f=$SRC/datasets/$_file
    say "$_name: full file"
    if _r=$(bt "$_name" "$_f" --target "$_tgt" --domain "$_dom" --test-start "$_start" --horizon "$_h" --stride "$_h"); then
        echo "$_r" | awk -v d="$_name" -v h="$_h" '{ b = $4; for (i = 5; i <= NF; i++) b = b " " $i
            printf "| %s | %d | %.4f | %.4f | %.3f | %s | %.1f |\n", d, h, $1, $2, $1 / $2, b, $3 }' >>"$FULL"
        echo "$_r" | awk '{ print $1 / $2 }' >>"$W/ratios"
    else
        echo "| $_name | $_h | FAILED: $(tail -1 "$W/$_name.a.log" "$W/$_name.n.log" 2>/dev/null | tr '\n|' '  ' | cut -c1-160) | | | | |" >>"$FULL"
    fi
    _rows=$(($(wc -l <"$_f") - 1))
    for n in $LENGTHS; do
        _len=$((n + ORIGINS * _h))
        [ "$_len" -le "$_rows" ] || continue
        _gap=$(((_rows - _len) / WINDOWS))
        : >"$W/cuts"
        w=0
        while [ "$w" -lt "$WINDOWS" ]; do
            _end=$((_rows - w * _gap))
            _c=$_name-$n-$w
            awk -v a=$((_end - _len + 2)) -v b=$((_end + 1)) 'NR == 1 || (NR >= a && NR <= b)' "$_f" >"$W/$_c.csv"
            say "$_c: history $n"
            if _r=$(bt "$_c" "$W/$_c.csv" --target "$_tgt" --domain "$_dom" --horizon "$_h" --test-start "$n"); then
                echo "$_r" >>"$W/cuts"
            fi
            w=$((w + 1))
        done
        [ -s "$W/cuts" ] || {
            echo "| $_name | $n | $_h | refused | | | | |" >>"$SHORT"
            continue
        }
        awk -v d="$_name" -v n="$n" -v h="$_h" '{ a += $1; b += $2; k++; if ($4 != "none") { nb++; c = $4; for (i = 5; i <= NF; i++) c = c " " $i; seen[c]++ } }
            END { s = ""; for (c in seen) s = s (s == "" ? "" : "; ") c " (" seen[c] ")"
                  printf "| %s | %d | %d | %.4f | %.4f | %.3f | %d of %d | %s |\n", d, n, h, a / k, b / k, a / b, nb, k, s == "" ? "-" : s }' "$W/cuts" >>"$SHORT"
        awk '{ a += $1; b += $2 } END { print a / b }' "$W/cuts" >>"$W/ratios"
    done
}

one taylor-halfhourly.csv demand energy 2000-08-14 48
one sp500-2000.csv close stock 2019-01-02 5
one seattle-weather.csv temp_max weather 2015-01-01 7
one seattle-weather-hourly-normals.csv temperature weather 2010-11-01 24

SECT=$W/section.md
{
    echo '<!-- blend:begin -->'
    echo '## Blend: the fitted head with naive, seasonal naive or the local model (issue 13 part 2)'
    echo
    echo 'Written by `bench/run_blend.sh` (`make bench-blend`); rerun it to update this section.'
    echo
    echo "- Command: \`xfcast backtest FILE --target T --domain D --test-start S --horizon H --stride H --format json\` with the defaults (\`--blend auto\`: the chosen configuration's forecast blended with naive, seasonal naive of the season or the local window model at 25/50/75/100% when that lowers the held-out MASE) and the same with \`--blend none\`, on the same origins. Full files: the protocol of \`bench/run_accuracy.sh\`. Short histories: $WINDOWS cuts per length of N + $ORIGINS x H values, fitted on the N values (\`--test-start N\`), forecast at $ORIGINS origins; the cuts end evenly spaced from the end of the file back (as \`bench/run_short.sh\`). MASE on xfcast backtest's scale (in-sample seasonal-naive error; naive's under two seasons)."
    echo "- Date: $DATE, tree at commit $COMMIT; runtime $(($(date +%s) - T0)) s"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm); $XF_HOW"
    echo
    cat "$FULL"
    echo
    cat "$SHORT"
    echo
    awk '$1 > 0 { s += log($1); n++ } END { if (n) printf "- Geometric mean of MASE auto / none over the %d rows: **%.3f**\n", n, exp(s / n) }' "$W/ratios"
    echo '<!-- blend:end -->'
} >"$SECT"
results_replace blend "$SECT" "$RESULTS"
echo "$PROG: wrote the blend section of $RESULTS"
