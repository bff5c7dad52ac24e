#!/bin/sh
# test_pilot_cli.sh - the pilot of a fit with many origins (issue 13 part 5):
#  - hourly temperature normals (8,545 origins): on every 8th origin the
#    candidates with the encoders' embeddings score above those without by
#    more than a standard error, so they are fitted no further: the report's "pilot:" line and
#    JSON "pilot" say so, only candidates without embeddings are listed, and
#    the forecast is the one --pilot none fits (the same candidate wins, its
#    statistics accumulated the same way);
#  - S&P 500 volume: the embeddings win the pilot and every candidate goes
#    on (as on Seattle's daily weather, where the pilot ties and the full
#    fit keeps the embeddings); the pilot's embeddings are reused, and the forecast is that of
#    --pilot none (to float32 rounding);
#  - fewer than 3000 origins, --pilot none, or the embeddings asked for: no
#    pilot (JSON "pilot": null); --pilot with another value is refused.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # check's conditions are eval'ed: single quotes on purpose
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_pilot.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "$XF_SRCDIR/tests/testlib.sh"
cd "$T" || exit 99
SP=$XF_SRCDIR/datasets/sp500-2000.csv
HN=$XF_SRCDIR/datasets/seattle-weather-hourly-normals.csv

# ------------------------------------------------- the embeddings dropped
HNF="$HN --target temperature --domain weather --horizon 24"
# shellcheck disable=SC2086 # $HNF: several words on purpose
run 0 "$XFCAST" fit $HNF -o auto.xfm
out_has "^pilot:       every 8th origin (10[0-9][0-9] of 85[0-9][0-9]): held-out MASE [0-9.]* with embeddings, [0-9.]* without (1 SE of the difference [0-9.e-]*): the embeddings computed no further"
out_lacks "^candidates:.*[:,]  *embeddings"
out_has "^candidates:  no_embeddings"
out_has "model:       .*no embeddings"
# shellcheck disable=SC2086
run 0 "$XFCAST" fit $HNF --format json -o auto2.xfm
out_has '"pilot": {"embeddings": false, "step": 8, "origins": 10[0-9][0-9], "of": 85[0-9][0-9], "score": "MASE", "with": '
# shellcheck disable=SC2086
run 0 "$XFCAST" fit $HNF --pilot none -o none.xfm
out_lacks "^pilot:"
out_has "candidates:  embeddings"
out_has "model:       .*no embeddings"
run 0 "$XFCAST" forecast "$HN" --target temperature --head auto.xfm -o auto.csv
run 0 "$XFCAST" forecast "$HN" --target temperature --head none.xfm -o none.csv
check 'cmp -s auto.csv none.csv' "the pilot's forecast differs from --pilot none's (the same candidate)"
lines auto.csv 25

# --------------------------------------------------- the embeddings kept
run 0 "$XFCAST" fit "$SP" --target volume --domain stock --horizon 5 -o spa.xfm
out_has "^pilot:       every 4th origin (.*): held-out MASE [0-9.]* with embeddings, [0-9.]* without (1 SE of the difference [0-9.e-]*): the candidates with embeddings fitted on every origin"
out_has "candidates:  embeddings"
run 0 "$XFCAST" fit "$SP" --target volume --domain stock --horizon 5 --pilot none -o spn.xfm
out_lacks "^pilot:"
run 0 "$XFCAST" forecast "$SP" --target volume --head spa.xfm -o spa.csv
run 0 "$XFCAST" forecast "$SP" --target volume --head spn.xfm -o spn.csv
# the same up to float32 rounding: the pilot computed some embeddings in
# other batches (the encoders' GEMMs may round a row differently in another
# batch; bit for bit on the machines tried)
check 'paste -d, spa.csv spn.csv | awk -F, "NR > 1 { for (i = 4; i <= 8; i++) { d = \$i - \$(i + 8); if (d < 0) d = -d; if (d > 1e-6 * (\$i < 0 ? -\$i : \$i) + 1e-9) bad++ } } END { exit bad > 0 || NR != 6 }"' \
    "with the embeddings kept, the forecast differs from --pilot none's"

# ------------------------------------------------------------- no pilot
head -n 2001 "$HN" >short.csv
run 0 "$XFCAST" fit short.csv --target temperature --horizon 24 --format json -o short.xfm
out_has '"pilot": null'
# shellcheck disable=SC2086
run 0 "$XFCAST" fit $HNF --encoder gru-base --format json -o emb.xfm
out_has '"pilot": null'
# shellcheck disable=SC2086
run 2 "$XFCAST" fit $HNF --pilot maybe -o x.xfm
err_has "pilot"
check '[ ! -e x.xfm ]' "a refused option wrote a head"

echo "test_pilot_cli: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
