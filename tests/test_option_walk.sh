#!/bin/sh
# test_option_walk.sh - every subcommand x every command-line option of the
# option table (src/options.c, as `xfcast help fit` lists it): each run
# either honours the option (exit 0, and the pair is in HONOURED below) or
# refuses it (exit 2 with a message naming it).  A command that starts to
# accept an option it does not use fails here until the pair is added to
# HONOURED (and the option really does something there) or refused.
# Also: an unknown option is "unknown option" everywhere, also at the end
# of the line (where it once read "needs a value").
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
# shellcheck disable=SC2016 # check's conditions are eval'ed: single quotes on purpose
set -u
: "${XF_SRCDIR:=.}" "${XFCAST:=./xfcast}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_option_walk.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/testlib.sh
. "$XF_SRCDIR/tests/testlib.sh"
cd "$T" || exit 99

# a tiny hourly source: load with a future-known temperature (480 rows),
# and a meter column (one meter) for --id-col
awk 'BEGIN { print "date,meter,load,temp"
    for (i = 0; i < 480; i++) {
        d = int(i / 24); h = i % 24
        printf "2024-%02d-%02dT%02d:00:00Z,m1,%.3f,%.3f\n", 1 + int(d / 28), 1 + d % 28, h,
            100 + 20 * sin(6.2831853 * h / 24) + 3 * sin(i * 0.7), 10 + 5 * sin(6.2831853 * (h + 3) / 24)
    } }' >d.csv
printf 'date,name\n2024-01-15,a holiday\n2024-02-19,another\n' >hol.csv
printf '[defaults]\nencoder = none\nhorizon = 6\n[d]\ncsv = d.csv\ntarget = load\n' >s.conf
"$XFCAST" fit d.csv --target load --encoder none --horizon 6 --domain generic -q -o h.xfm 2>err.txt ||
    { echo "setup: fit failed: $(cat err.txt)"; exit 99; }
"$XFCAST" retrain --config s.conf --store st >/dev/null 2>err.txt ||
    { echo "setup: retrain failed: $(cat err.txt)"; exit 99; }
cp -r st st0

# the table's command-line options: those the help of fit lists under its
# "Model options:" and "CSV options:" headings (generated from the table)
OPTS=$("$XFCAST" help fit | awk '/^(Model|CSV) options:/ { on = 1; next } /^[A-Z]/ { on = 0 }
    on && /^  --/ { print $1 }' | sort -u)
check '[ "$(echo "$OPTS" | wc -l)" -ge 20 ]' "fewer than 20 table options in 'xfcast help fit': $OPTS"

# value OPTION CMD: a valid value for the tiny source, "FLAG" for a flag
value() {
    case $2$1 in
    forecast-zs--encoder) echo gru-base; return ;; # a zero-shot forecast needs one
    esac
    case $1 in
    --horizon) echo 6 ;; --domain) echo energy ;; --encoder) echo none ;;
    --covariate) echo temp ;; --lags) echo 24 ;; --baseline) echo seasonal ;;
    --select) echo mse ;; --season) echo 24 ;; --levels) echo 90 ;; --intervals) echo rolling ;;
    --valid-fraction) echo 0.3 ;; --max-windows) echo 300 ;; --threads) echo 1 ;;
    --delimiter) echo , ;; --decimal) echo . ;; --time-col) echo date ;;
    --time-format) echo iso ;; --target) echo load ;; --id-col) echo meter ;;
    --na-values) echo NA ;; --freq) echo 1h ;; --gaps) echo keep ;;
    --duplicates) echo error ;; --tz) echo UTC ;; --holidays) echo hol.csv ;;
    --max-gap-fill) echo 20000000 ;;
    --seasonal-scale | --calendar | --history | --penalty-per-step | --log | --local-model) echo FLAG ;;
    --symmetric-intervals) echo FLAG ;;
    --selection) echo single ;; --prior) echo none ;; --blend) echo none ;; --pilot) echo none ;;
    *) echo UNKNOWN ;;
    esac
}

# cmdline NAME: the command (a word list) the options are added to
cmdline() {
    case $1 in
    inspect) echo "inspect d.csv -q" ;;
    fit) echo "fit d.csv --target load --encoder none --horizon 6 -q -o o.xfm" ;;
    forecast-zs) echo "forecast d.csv --target load -q" ;;
    forecast-head) echo "forecast d.csv --head h.xfm --target load -q" ;;
    backtest) echo "backtest d.csv --target load --encoder none --horizon 6 --test-start 400 -q" ;;
    retrain) echo "retrain --config s.conf --store st" ;;
    store-list) echo "store list --store st" ;;
    store-show) echo "store show d --store st" ;;
    store-rollback) echo "store rollback d --to 1 --store st" ;;
    store-unpin) echo "store unpin d --store st" ;;
    store-forecast) echo "store forecast d --store st" ;;
    info) echo "info h.xfm" ;;
    pretrain) echo "pretrain --arch gru --steps 1 --batch 32 --hidden 4 --context 16 -o p.xfm" ;;
    esac
}
CMDS="inspect fit forecast-zs forecast-head backtest retrain store-list store-show store-rollback
      store-unpin store-forecast info pretrain"

# The pairs that exit 0: the option is honoured there.
#  - inspect reads the CSV options only;
#  - fit and backtest take every model and CSV option;
#  - a zero-shot forecast fits a head on the data first: every option too;
#  - forecast with a saved head reads the data with the CSV options and
#    forecasts --horizon steps; --covariate and --encoder name the columns
#    and encoders to use (the head checks them), --threads the encoder
#    threads, --levels the interval levels.  The other model options are
#    the head's: accepted when they say what the head has (--calendar and
#    --season 24 here), refused otherwise (checked below).
#  - retrain takes --threads (its options come from the INI file);
#  - store forecast takes --horizon;
#  - info, pretrain, store list|show|rollback|unpin take none of them.
CSVOPTS="--decimal --delimiter --duplicates --freq --gaps --holidays --id-col --na-values --target --time-col --time-format --tz"
CSVOPTS="$CSVOPTS --max-gap-fill"
# forecast --head: a head fitted on a wide file records --id-col none, so a
# different --id-col conflicts with it and is refused (the walk gives one)
CSVOPTS_HEAD=$(echo "$CSVOPTS" | sed 's/ --id-col//')
HONOURED="
inspect: $CSVOPTS
fit: * 
backtest: *
forecast-zs: *
forecast-head: $CSVOPTS_HEAD --horizon --covariate --encoder --threads --levels --calendar --season
retrain: --threads
store-forecast: --horizon
pretrain: --horizon --threads
"
# honoured CMD OPT: is the pair in HONOURED?
honoured() {
    l=$(echo "$HONOURED" | sed -n "s/^$1: //p")
    case " $l " in *" * "* | *" $2 "*) return 0 ;; esac
    return 1
}

for c in $CMDS; do
    for o in $OPTS; do
        v=$(value "$o" "$c")
        check '[ "$v" != UNKNOWN ]' "option $o of the table has no test value in value(): add one, and decide where it is honoured"
        [ "$v" = UNKNOWN ] && continue
        rm -rf st && cp -r st0 st
        # shellcheck disable=SC2046 # word splitting of the command on purpose
        if [ "$v" = FLAG ]; then
            "$XFCAST" $(cmdline "$c") "$o" >out.txt 2>err.txt
        else
            "$XFCAST" $(cmdline "$c") "$o" "$v" >out.txt 2>err.txt
        fi
        rc=$?
        checks=$((checks + 1))
        if honoured "$c" "$o"; then
            [ "$rc" = 0 ] || fail "$(cmdline "$c") $o: exit $rc, expected 0 (honoured): $(head -c 300 err.txt)"
        elif [ "$rc" = 0 ]; then
            fail "$(cmdline "$c") $o: accepted (exit 0) but not in HONOURED: make it do something and list it, or refuse it"
        elif [ "$rc" != 2 ] || ! grep -q -- "$o" err.txt; then
            fail "$(cmdline "$c") $o: exit $rc, expected 2 with a message naming $o: $(head -c 300 err.txt)"
        fi
    done
done

# a saved head's model options cannot change at forecast time
for o in "--season 12" "--no-calendar" "--lags 12" "--log" "--baseline naive" "--domain weather"; do
    # shellcheck disable=SC2086
    run 2 "$XFCAST" forecast d.csv --head h.xfm --target load -q $o
    o=${o%% *}; o=${o#--}; err_has "\-\-${o#no-} "; err_has "fixed when it is fitted"
done

# an unknown option is "unknown option" everywhere, at the end of the line too
for c in $CMDS; do
    rm -rf st && cp -r st0 st
    # shellcheck disable=SC2046
    run 2 "$XFCAST" $(cmdline "$c") --bogus; err_has "unknown option '--bogus'"
    # shellcheck disable=SC2046
    run 2 "$XFCAST" $(cmdline "$c") --bogus=1; err_has "unknown option '--bogus'"
done

echo "test_option_walk: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
