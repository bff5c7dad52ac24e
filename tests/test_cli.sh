#!/bin/sh
# test_cli.sh - the xfcast command line: exit codes, stdout/stderr discipline,
# help, version and the inspect command's output and errors.
set -u
: "${XFCAST:=./xfcast}"
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"

# --- top level ---------------------------------------------------------
run 2 "$XFCAST";                      out_empty; err_has "usage: xfcast"; err_has "inspect"
run 0 "$XFCAST" --help;               err_empty; out_has "Commands:"; out_has "inspect"
run 0 "$XFCAST" help;                 err_empty; out_has "Commands:"
run 0 "$XFCAST" help inspect;         err_empty; out_has "usage: xfcast inspect"; out_has "--time-col"; out_has "--gaps P"
run 0 "$XFCAST" inspect --help;       err_empty; out_has "usage: xfcast inspect"
run 0 "$XFCAST" --version;            err_empty; out_has "^xfcast [0-9]"; out_has "^GSL "; out_has "^BLAS "; out_has "^libcsv "
run 2 "$XFCAST" frobnicate;           out_empty; err_has "xfcast: unrecognized command 'frobnicate'"
run 2 "$XFCAST" help frobnicate;      out_empty; err_has "unrecognized command 'frobnicate'"
run 0 "$XFCAST" help help;            err_empty; out_has "Commands:"
# an option's value is never taken for --help
run 1 "$XFCAST" inspect --time-col -h "$T/none.csv"; out_empty; err_has "cannot open"
if [ -w /dev/full ]; then
    checks=$((checks + 1))
    "$XFCAST" --help >/dev/full 2>"$T/err"; rc=$?
    [ "$rc" = 1 ] || fail "write error on stdout gave exit $rc, expected 1"
    err_has "error writing output"
fi

# --- inspect: usage errors (exit 2) ------------------------------------------
run 2 "$XFCAST" inspect;                                  out_empty; err_has "xfcast inspect: no input file"
run 2 "$XFCAST" inspect x.csv --bogus;                    out_empty; err_has "unknown option '--bogus'"
run 2 "$XFCAST" inspect x.csv --gaps sometimes;           err_has "--gaps takes keep, interpolate or error, not 'sometimes'"
run 2 "$XFCAST" inspect x.csv --freq fortnightly;         err_has "unknown frequency 'fortnightly'"
run 2 "$XFCAST" inspect x.csv --format yaml;              err_has "--format takes text or json"
run 2 "$XFCAST" inspect x.csv --delimiter;                err_has "option '--delimiter' needs a value"
run 2 "$XFCAST" inspect x.csv --decimal ';';              err_has "--decimal takes"
run 2 "$XFCAST" inspect x.csv --time-format dd.mm.yyyy;   err_has "unknown time format 'dd.mm.yyyy'"

# --- inspect: data errors (exit 1) -------------------------------------------
run 1 "$XFCAST" inspect "$T/missing.csv";                 out_empty; err_has "xfcast inspect: cannot open '$T/missing.csv'"
printf 'date,price\n2020-01-01,1.5\n2020-01-02,abc\n2020-01-03,2\n' >"$T/bad.csv"
run 1 "$XFCAST" inspect "$T/bad.csv";                     out_empty; err_has "^xfcast inspect: $T/bad.csv:3:2: 'abc' is not a number$"
printf 'date,x\n2020-01-01,1\n2020-01-01,2\n' >"$T/dup.csv"
run 1 "$XFCAST" inspect "$T/dup.csv";                     err_has "dup.csv:3:1: duplicate timestamp 2020-01-01"
run 0 "$XFCAST" inspect "$T/dup.csv" --duplicates mean;   err_empty; out_has "^x  *2 "
printf 'date,x\n2020-01-01T00:00,1\n2020-01-01T01:00,2\n2020-01-01T02:00,3\n2020-01-01T03:00,4\n2020-01-01T04:00,5\n2020-01-01T04:20,6\n2020-01-01T05:00,7\n' >"$T/irr.csv"
run 1 "$XFCAST" inspect "$T/irr.csv";                     err_has "irregular time steps"; err_has "line 7, 8"
run 1 "$XFCAST" inspect "$T/irr.csv" --freq 1h;           err_has "does not follow frequency 1h"

# --- inspect: success ----------------------------------------------------
printf 'date;temp;station\n2021-03-01;1,5;A\n2021-03-02;2,25;A\n2021-03-04;;A\n' >"$T/eu.csv"
run 0 "$XFCAST" inspect "$T/eu.csv" --decimal ,
err_empty
out_has "^delimiter: *';'"
out_has "^time column: date (ISO-8601, UTC)"
out_has "station\[ignored\]"
# id rows start end freq missing gaps runs longest domain
checks=$((checks + 1))
line=$(grep '^temp ' "$T/out" | tr -s ' ')
[ "$line" = "temp 3 2021-03-01 2021-03-04 D 1 1 1 1 weather" ] || fail "eu.csv summary: '$line'"

run 0 "$XFCAST" inspect "$T/eu.csv" --decimal , --format json
err_empty
out_has '"id": "temp", "rows": 3, "length": 4, "start": "2021-03-01", "end": "2021-03-04", "freq": "D", "missing": 1, "gaps": 1'
if command -v python3 >/dev/null 2>&1; then
    checks=$((checks + 1))
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["files"][0]["series"][0]["gaps"] == 1' "$T/out" \
        || fail "inspect --format json is not valid JSON"
fi

# JSON stays valid with quotes and bytes that are not UTF-8 in column names
printf 'date,caf\351,"say ""hi"""\n2020-01-01,1,2\n2020-01-02,2,3\n' >"$T/names.csv"
run 0 "$XFCAST" inspect "$T/names.csv" --format json
out_has '"id": "caf\\ufffd"'; out_has '"id": "say \\"hi\\""'
if command -v python3 >/dev/null 2>&1; then
    checks=$((checks + 1))
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" || fail "JSON with odd names is not valid"
fi

# standard input, long file, unsorted rows (note on stderr; --quiet drops it)
printf 'sym,date,px\nB,2020-01-02,20\nA,2020-01-02,2\nA,2020-01-01,1\nB,2020-01-01,10\n' >"$T/long.csv"
run 0 "$XFCAST" inspect - --id-col sym <"$T/long.csv"
out_has "^file: *-"; out_has "^series: *2"; out_has "^A  *2 "; out_has "^B  *2 "
err_has "xfcast inspect: note: <stdin>: rows of series 'A' were not in time order"
run 0 "$XFCAST" inspect -q --id-col sym "$T/long.csv";    err_empty; out_has "^series: *2"

# several files: a bad one does not stop the others, exit status is 1
printf 'date,x\n2020-01-01,1\n2020-01-02,2\n' >"$T/good.csv"
run 1 "$XFCAST" inspect "$T/good.csv" "$T/bad.csv" "$T/good.csv"
checks=$((checks + 1))
[ "$(grep -c '^file: .*good.csv' "$T/out")" = 2 ] || fail "the good files were not both inspected"
err_has "bad.csv:3:2"
run 1 "$XFCAST" inspect "$T/good.csv" "$T/bad.csv" --format json
checks=$((checks + 1))
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["files"]) == 1' "$T/out" 2>/dev/null \
    || ! command -v python3 >/dev/null || fail "json output with a failed file is not valid JSON"

# --- pretrain and info ------------------------------------------------------
run 2 "$XFCAST" pretrain -o "$T/m.xfm";                      err_has "--arch gru|tcn is required"
run 2 "$XFCAST" pretrain --arch lstm -o "$T/m.xfm";          err_has "--arch: unknown encoder architecture 'lstm' (this build knows gru, tcn)"
run 2 "$XFCAST" pretrain --arch gru;                         err_has "-o FILE is required"
run 2 "$XFCAST" pretrain --arch gru --bogus x -o "$T/m.xfm"; err_has "unknown option '--bogus'"
run 2 "$XFCAST" pretrain --arch gru --blocks 3 -o "$T/m.xfm"; err_has "apply to --arch tcn"
run 2 "$XFCAST" pretrain --arch gru --steps 0 -o "$T/m.xfm"; err_has "--steps takes an integer"
run 2 "$XFCAST" pretrain --arch tcn --blocks 2 --context 64 -o "$T/m.xfm"; err_has "receptive field"
# a tiny run: silent when stderr is not a terminal, writes the model, no checkpoint left
run 0 "$XFCAST" pretrain --arch gru --context 32 --hidden 4 --horizon 4 --steps 6 --valid 32 -o "$T/m.xfm"
out_empty; err_empty
checks=$((checks + 1)); [ -s "$T/m.xfm" ] && [ ! -e "$T/m.xfm.ckpt" ] || fail "pretrain output/checkpoint"
run 0 "$XFCAST" pretrain --arch gru --context 32 --hidden 4 --horizon 4 --steps 6 --valid 32 --eval-every 3 --progress -o "$T/m2.xfm"
out_empty; err_has "^xfcast pretrain: step 3/6 loss"
run 0 "$XFCAST" info "$T/m.xfm";        err_empty; out_has "^kind: *encoder"; out_has "encoder.arch *str *\"gru\""; out_has "gru.l0.W_hh *f32 *\[12, 4\]"
run 0 "$XFCAST" info "$T/m.xfm" --format json; err_empty; out_has '"kind": "encoder"'
head -c 100 "$T/m.xfm" >"$T/cut.xfm"
run 1 "$XFCAST" info "$T/cut.xfm";      out_empty; err_has "xfcast info: .*cut.xfm"
run 1 "$XFCAST" info "$T/none.xfm";     out_empty; err_has "cannot open"
run 2 "$XFCAST" info;                   err_has "usage\|no model file\|MODEL"

echo "test_cli: $checks checks, $fails failed"
[ "$fails" = 0 ]
