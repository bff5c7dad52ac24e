#!/bin/sh
# bench/run_domain.sh - the default domain (`auto`: the one `xfcast inspect`
# suggests, issue 13 part 7) against --domain generic on every file of
# datasets/ with the protocol of bench/run_accuracy.sh (target, test start,
# horizon = stride, period), both fitted and scored on the same origins by
# `xfcast backtest`.  MASE with the file's period (--season) for both, so
# the scales agree.  Rewrites the section between <!-- domain:begin --> and
# <!-- domain:end --> of bench/RESULTS.md.  From the build directory:
#
#     make bench-domain      (or: sh bench/run_domain.sh)
#
# Never reads ../shared/data.  Run time on 2 cores: about two minutes.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown
set -eu
PROG=bench/run_domain.sh
SRC=${XF_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${XF_BUILDDIR:-$(pwd)}
XFCAST=$BUILD/xfcast
. "$SRC/bench/results.sh"
[ -x "$XFCAST" ] || { echo "$PROG: $XFCAST is missing: run 'make' first" >&2; exit 1; }
RESULTS=$(results_file "$PROG")
machine_facts
DATE=$(date -u)
COMMIT=$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')
W=$(mktemp -d) SECT=$(mktemp)
trap 'rm -rf "$W" "$SECT"' EXIT

# one FILE TARGET START H PERIOD: two table rows (default, generic)
one() {
    for dom in default generic; do
        echo "$PROG: $1 --domain $dom" >&2
        extra=""
        [ "$dom" = default ] || extra="--domain generic"
        # shellcheck disable=SC2086 # extra splits on purpose
        if ! "$XFCAST" backtest "$SRC/datasets/$1" --target "$2" --test-start "$3" --horizon "$4" \
            --stride "$4" --season "$5" $extra --format json >"$W/r.json" 2>"$W/r.err"; then
            echo "| $1 | $dom | FAILED: $(head -c 200 "$W/r.err" | tr '\n|' '  ') | | | |"
            continue
        fi
        sed '/per_step/,$d' "$W/r.json" | tr -d '\n' | awk -v f="$1" -v d="$dom" '{
            match($0, /"xfcast": \{[^}]*\}/); x = substr($0, RSTART, RLENGTH)
            match(x, /"mase": [-0-9.e+]+/); m = substr(x, RSTART + 8, RLENGTH - 8)
            match(x, /"mae": [-0-9.e+]+/); a = substr(x, RSTART + 7, RLENGTH - 7)
            ch = "generic"
            if (match($0, /"model": "[^"]*"/)) { md = substr($0, RSTART + 10, RLENGTH - 11); if (match(md, /domain [a-z]+/)) ch = substr(md, RSTART + 7, RLENGTH - 7) }
            printf "| %s | %s | %s | %.4g | %.4f |\n", f, d, ch, a, m
        }'
    done
}

{
    echo '| file | --domain | domain used | MAE | MASE |'
    echo '|---|---|---|---:|---:|'
    one taylor-halfhourly.csv demand 2000-08-14 48 48
    one sp500-2000.csv close 2019-01-02 5 5
    one seattle-weather.csv temp_max 2015-01-01 7 7
    one seattle-weather-hourly-normals.csv temperature 2010-11-01 24 24
} >"$W/table.md"

{
    echo '<!-- domain:begin -->'
    echo '## The default domain against generic (issue 13 part 7)'
    echo
    echo 'Written by `bench/run_domain.sh` (`make bench-domain`); rerun it to update this section.'
    echo
    echo "- Command: \`xfcast backtest datasets/FILE --target T --test-start S --horizon H --stride H --season P --format json\` without \`--domain\` (the default: the domain \`xfcast inspect\` suggests, said in the report) and with \`--domain generic\`; the protocol of \`bench/run_accuracy.sh\`; MASE with the file's period P for both."
    echo "- Date: $DATE, tree at commit $COMMIT"
    echo "- Machine: $NPROC CPUs (nproc), ${CPU}, CPU vector flags: $ISA, $MEM_G GiB RAM (free -g); $(uname -srm)"
    echo
    cat "$W/table.md"
    echo
    awk -F'|' 'NR > 2 { f = $2; gsub(/ /, "", f); m[f, ($3 ~ /default/)] = $6 + 0; files[f] = 1 }
        END { for (f in files) { r = m[f, 1] / m[f, 0]; printf "- %s: default / generic MASE %.3f (%s)\n", f, r, r <= 1.0005 ? "not worse" : "WORSE" } }' "$W/table.md" | sort
    echo '<!-- domain:end -->'
} >"$SECT"
results_replace domain "$SECT" "$RESULTS"
echo "$PROG: wrote the domain section of $RESULTS"
