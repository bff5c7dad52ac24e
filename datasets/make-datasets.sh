#!/bin/sh
# Regenerate the datasets shipped in datasets/ from their upstream packages.
#
#   sh datasets/make-datasets.sh [OUTDIR]
#
# OUTDIR defaults to the directory holding this script (datasets/).
# Needs: npm (registry access), tar, Rscript with the CRAN package
# 'forecast' installed (Debian: apt-get install r-cran-forecast).
#
# Files written:
#   sp500-2000.csv, seattle-weather.csv, seattle-weather-hourly-normals.csv
#       byte-for-byte copies of package/data/<name> from the npm package
#       vega-datasets@3.2.1
#   taylor-halfhourly.csv
#       the 'taylor' series of R package 'forecast', with ISO-8601 timestamps
set -eu

VEGA_VERSION=3.2.1
# sha1 of vega-datasets-3.2.1.tgz as reported by the npm registry ("shasum")
VEGA_SHA1=0357a23aa33e9e2cfba939c9efddbb757bf61888
VEGA_FILES="sp500-2000.csv seattle-weather.csv seattle-weather-hourly-normals.csv"

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
mkdir -p "$out"
out=$(cd "$out" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# --- vega-datasets (BSD-3-Clause package; see README.md for data licences) ---
(cd "$tmp" && npm pack --silent "vega-datasets@$VEGA_VERSION" >/dev/null)
tgz=$tmp/vega-datasets-$VEGA_VERSION.tgz
if command -v sha1sum >/dev/null 2>&1; then
    sum=$(sha1sum "$tgz" | cut -d' ' -f1)
else
    sum=$(shasum -a 1 "$tgz" | cut -d' ' -f1)
fi
if [ "$sum" != "$VEGA_SHA1" ]; then
    echo "make-datasets.sh: unexpected sha1 $sum for $tgz" >&2
    exit 1
fi
members=
for f in $VEGA_FILES; do members="$members package/data/$f"; done
# shellcheck disable=SC2086
tar -xzf "$tgz" -C "$tmp" $members
for f in $VEGA_FILES; do
    cp "$tmp/package/data/$f" "$out/$f"
done

# --- taylor (R package 'forecast', GPL-3) ---
# Half-hourly demand, Mon 2000-06-05 00:00 to Sun 2000-08-27 23:30, 4032 values.
# The original series has no time zone; timestamps are its clock time, written as UTC.
Rscript -e 'suppressMessages(library(forecast)); x <- as.numeric(taylor); t <- seq(as.POSIXct("2000-06-05 00:00:00", tz = "UTC"), by = 1800, length.out = length(x)); s <- format(t, "%Y-%m-%dT%H:%M:%SZ", tz = "UTC"); stopifnot(length(x) == 4032L, s[length(s)] == "2000-08-27T23:30:00Z", !anyNA(x)); writeLines(c("timestamp,demand", paste0(s, ",", sprintf("%.10g", x))), commandArgs(TRUE)[1])' \
    "$out/taylor-halfhourly.csv"

echo "make-datasets.sh: wrote $VEGA_FILES taylor-halfhourly.csv to $out" >&2
