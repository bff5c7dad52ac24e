#!/bin/sh
# bench/run_short.sh - short series: how accuracy degrades with the length
# of the history.  For every bundled dataset (datasets/*.csv, its usual
# target and domain), WINDOWS cuts of N + T values are taken (N = 50, 100,
# 200, 500 values of history, T = ORIGINS x horizon test values after
# them; the cuts end evenly spaced from the end of the file back) and
# `xfcast backtest` fits the default model (both shipped encoders, automatic
# lags: shortened for short series) on the N values, then forecasts ORIGINS
# origins of the test part (stride = horizon).  MASE of xfcast, naive and
# seasonal naive averaged over the cuts (scale: the in-sample seasonal-naive
# error of the N values; naive's when they hold less than two seasons), and whether the fit was
# refused (below the minimum length, which the message states).  Rewrites
# the section between <!-- short:begin --> and <!-- short:end --> of
# bench/RESULTS.md, leaving the rest of the file alone.  Runs by hand from
# the build directory:
#
#     sh bench/run_short.sh
#
# Environment (all optional):
#   XF_SHORT_LENGTHS  history lengths (default "50 100 200 500")
#   XF_SHORT_ORIGINS  test origins per run (default 8)
#   XF_SHORT_WINDOWS  cuts per dataset and length (default 5)
#   XF_SHORT_PRIOR    1 (default): also `--prior auto` (the head shrunk
#                     toward the domain head under 1000 values), in its own
#                     column; 0: skip
#   XF_SHORT_XFCAST   the xfcast program (default: .libs/xfcast behind the
#                     libtool wrapper, else $XF_BUILDDIR/xfcast)
#   XF_BENCH_RESULTS  results file (default $XF_SRCDIR/bench/RESULTS.md)
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu

PROG=bench/run_short.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
WORK=$BUILD/bench/work/short
LENGTHS=${XF_SHORT_LENGTHS:-50 100 200 500}
ORIGINS=${XF_SHORT_ORIGINS:-8}
WINDOWS=${XF_SHORT_WINDOWS:-5}
PRIOR=${XF_SHORT_PRIOR:-1}

die() {
    echo "$PROG: $*" >&2
    exit 1
}
say() { echo "$PROG: $*" >&2; }

for v in $LENGTHS "$ORIGINS" "$WINDOWS"; do
    case $v in '' | *[!0-9]* | 0) die "XF_SHORT_LENGTHS, XF_SHORT_ORIGINS and XF_SHORT_WINDOWS must be positive integers" ;; esac
done

# shellcheck disable=SC1091 source=bench/results.sh # (followed with shellcheck -x)
. "$SRC/bench/results.sh"
real_xfcast XF_SHORT_XFCAST
"$XF" --version >/dev/null 2>&1 || die "$XF does not run: run 'make' first (or set XF_SHORT_XFCAST)"
RESULTS=$(results_file "$PROG")
machine_facts
MK_CFLAGS=$(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile" 2>/dev/null || true)
XF_VER=$("$XF" --version 2>/dev/null | head -1)
rm -rf "$WORK"
mkdir -p "$WORK"

fmt() { awk -v v="$1" 'BEGIN { if (v == "-" || v == "null") print "-"; else printf "%.4f\n", v }'; }

T0=$(date +%s)
DATE=$(date -u)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
TABLE=$WORK/table.md
{
    echo '| dataset | history N | horizon | xfcast MASE | xfcast --prior auto MASE | naive MASE | seasonal naive MASE | xfcast vs best baseline | cuts fitted | lags (first cut) / notes |'
    echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|'
} >"$TABLE"

# one dataset: FILE TARGET DOMAIN HORIZON.  WINDOWS cuts per length, their
# ends evenly spaced from the end of the file back; MASE averaged over the
# cuts the fit accepted.
run_dataset() {
    _f=$SRC/datasets/$1 _tgt=$2 _dom=$3 _h=$4
    [ -r "$_f" ] || die "$_f: not found"
    _rows=$(($(wc -l <"$_f") - 1))
    _t=$((ORIGINS * _h))
    for n in $LENGTHS; do
        _len=$((n + _t))
        if [ "$_len" -gt "$_rows" ]; then
            echo "| $1 | $n | $_h | - | - | - | - | - | - | the file has $_rows rows |" >>"$TABLE"
            continue
        fi
        _gap=$(((_rows - _len) / WINDOWS))
        : >"$WORK/scores"
        _refused=0 _prefused=0 _msg='' _note=''
        w=0
        while [ "$w" -lt "$WINDOWS" ]; do
            _end=$((_rows - w * _gap)) # last data row (1-based, header excluded)
            _name=$(basename "$1" .csv)-$n-$w
            awk -v a=$((_end - _len + 2)) -v b=$((_end + 1)) 'NR == 1 || (NR >= a && NR <= b)' \
                "$_f" >"$WORK/$_name.csv"
            say "$_name: backtest (history $n, test $_t values, rows up to $_end) ..."
            if "$XF" backtest "$WORK/$_name.csv" --target "$_tgt" --domain "$_dom" --horizon "$_h" \
                --test-start "$n" --format json >"$WORK/$_name.json" 2>"$WORK/$_name.log"; then
                _pm=-
                if [ "$PRIOR" = 1 ]; then
                    if "$XF" backtest "$WORK/$_name.csv" --target "$_tgt" --domain "$_dom" --horizon "$_h" \
                        --test-start "$n" --prior auto --format json >"$WORK/$_name-prior.json" \
                        2>"$WORK/$_name-prior.log"; then
                        _pm=$(jget "$WORK/$_name-prior.json" xfcast.mase)
                    else
                        _prefused=$((_prefused + 1))
                    fi
                fi
                echo "$(jget "$WORK/$_name.json" xfcast.mase) $(jget "$WORK/$_name.json" naive.mase) $(jget "$WORK/$_name.json" snaive.mase) $_pm" >>"$WORK/scores"
                if [ -z "$_note" ]; then
                    _lags=$(jget "$WORK/$_name.json" model | sed -n 's/.*; \([0-9]*\) lags;.*/\1 lags/p')
                    _note="${_lags:-no lags}"
                    [ "$(jget "$WORK/$_name.json" series_snaive_is_naive)" != 0 ] &&
                        _note="$_note; seasonal naive = naive at the first origins (season $(jget "$WORK/$_name.json" season) > history)"
                    [ "$(jget "$WORK/$_name.json" series_mase_naive_scale)" != 0 ] &&
                        _note="$_note; MASE scale: naive (< 2 seasons)"
                fi
                _emb=$(jget "$WORK/$_name.json" model | grep -c 'embeddings of' || true)
                echo "$_emb" >>"$WORK/emb"
            else
                _refused=$((_refused + 1))
                _msg=$(grep -o 'needs at least [0-9]* observed values' "$WORK/$_name.log" | head -1)
                [ -n "$_msg" ] || _msg=$(tail -1 "$WORK/$_name.log" | cut -c1-120)
            fi
            w=$((w + 1))
        done
        _ok=$(wc -l <"$WORK/scores")
        if [ "$_ok" -eq 0 ]; then
            echo "| $1 | $n | $_h | refused | - | - | - | - | 0 of $WINDOWS | $_msg |" >>"$TABLE"
            continue
        fi
        _embn=$(awk '{s += $1} END {print s + 0}' "$WORK/emb")
        rm -f "$WORK/emb"
        awk -v f="$1" -v n="$n" -v h="$_h" -v ok="$_ok" -v win="$WINDOWS" -v note="$_note" \
            -v emb="$_embn" -v msg="$_msg" -v pref="$_prefused" -v prior="$PRIOR" '
            { for (i = 1; i <= 3; i++) if ($i == "-" || $i == "null") bad[i] = 1; else s[i] += $i; k++
              if ($4 != "-" && $4 != "null") { s4 += $4; k4++ } }
            function m(i) { return bad[i] ? "-" : sprintf("%.4f", s[i] / k) }
            END {
                rel = "-"
                if (!bad[1] && !bad[2] && !bad[3]) {
                    best = s[2] < s[3] ? s[2] : s[3]
                    rel = sprintf("%+.1f%%", 100 * (s[1] - best) / best)
                }
                extra = "; embeddings kept in " emb " of " ok
                if (ok < win) extra = extra "; " (win - ok) " refused (" msg ")"
                if (prior == 1 && pref > 0) extra = extra "; --prior auto refused on " pref " cut(s): its mean is over the others"
                pm = k4 > 0 ? sprintf("%.4f", s4 / k4) : "-"
                printf "| %s | %d | %d | %s | %s | %s | %s | %s | %d of %d | %s%s |\n",
                    f, n, h, m(1), pm, m(2), m(3), rel, ok, win, note, extra
            }' "$WORK/scores" >>"$TABLE"
    done
}

run_dataset seattle-weather.csv temp_max weather 14
run_dataset sp500-2000.csv close stock 5
run_dataset seattle-weather-hourly-normals.csv temperature weather 24
run_dataset taylor-halfhourly.csv demand energy 48

SECT=$WORK/section.md
{
    echo '<!-- short:begin -->'
    echo '## Short series: accuracy against the length of the history'
    echo
    echo 'Written by `bench/run_short.sh` (`make bench-short`); rerun it to update this section.'
    echo
    echo "- Command: \`sh bench/run_short.sh\` (lengths $LENGTHS, $ORIGINS origins, $WINDOWS cuts); each run: \`xfcast backtest CUT.csv --target TARGET --domain DOMAIN --horizon H --test-start N --format json\`"
    echo "- Date: $DATE"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm); load average before: $LOAD0"
    echo "- Software: ${XF_VER:-xfcast ?}, CFLAGS \`${MK_CFLAGS:-?}\`; run: $XF_HOW; total runtime $(($(date +%s) - T0)) s"
    echo "- Data: $WINDOWS cuts of N + T values of each file (T = $ORIGINS x horizon test values), their ends evenly spaced from the end of the file back; MASE is the mean over the cuts the fit accepted; the default model (both shipped encoders, the fit keeps them only when they help on its validation part; automatic lags, shortened when the history is short); stride = horizon; MASE scale: the in-sample seasonal-naive error of the N values (naive's when they hold less than two seasons)"
    echo
    cat "$TABLE"
    echo
    echo 'The `--prior auto` column fits the same cuts with the head shrunk toward the domain head (under 1000 values; fitted with the same features on generated series of the domain at the frequency of the data; the penalty still chosen on the held-out origins); the default is `--prior none`. A fit needs, per series, its held-out origins (10), its training origins (20, those whose targets reach into the held-out part dropped) and 16 values before the first origin: `refused` rows are below that minimum, which the message states (e.g. 75 values for a daily horizon of 14).'
    echo '<!-- short:end -->'
} >"$SECT"
results_replace short "$SECT" "$RESULTS"
say "wrote the short-series section of $RESULTS ($(($(date +%s) - T0)) s)"
