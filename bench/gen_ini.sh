#!/bin/sh
# bench/gen_ini.sh - writes a retrain sources INI file with N sources (one
# [sNNNNNN] section each, three keys, all reading the same CSV), for timing
# how `xfcast retrain` loads many sources:
#
#   sh bench/gen_ini.sh 40000 data.csv >sources.conf
#   time xfcast retrain --config sources.conf --store st --source none
#
# (--source with a name the file lacks: the sources are loaded and checked,
# nothing is fitted.)  CSV is written as given, relative to the INI file.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
set -eu
N=${1:?usage: gen_ini.sh N CSV}
CSV=${2:?usage: gen_ini.sh N CSV}
printf '[defaults]\nencoder = none\nkeep = 3\n\n'
awk -v n="$N" -v csv="$CSV" 'BEGIN {
    for (i = 0; i < n; i++)
        printf "[s%06d]\ncsv = %s\nhorizon = %d\nlags = %d\n\n", i, csv, 1 + i % 24, 24 + i % 7
}'
