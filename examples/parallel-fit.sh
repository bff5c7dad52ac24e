#!/bin/sh
# parallel-fit.sh - one global head over many series, fitted in N parts on
# one host with GNU parallel (Debian: apt-get install parallel), then
# merged.  The head is the one `xfcast fit DATA.csv -o HEAD.xfm` gives with
# the same options (see `man xfcast`, fit --shard).
#
#   sh examples/parallel-fit.sh DATA.csv HEAD.xfm [N [JOBS]] [-- fit options]
#
# N parts (default 8), JOBS at once (default: the CPUs).  Fit options (the
# same for every part) follow `--`, e.g. -- --domain energy --horizon 48.
# Without GNU parallel, the same with background processes:
#   for i in $(seq 0 $((N-1))); do xfcast fit ... --shard $i/$N ... & done; wait
# (tests/test_shard_fit_cli.sh runs that).
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 DATA.csv HEAD.xfm [N [JOBS]] [-- fit options]" >&2; exit 2; }
data=$1 head=$2
shift 2
n=8 jobs=
[ $# -gt 0 ] && [ "$1" != "--" ] && { n=$1; shift; }
[ $# -gt 0 ] && [ "$1" != "--" ] && { jobs=$1; shift; }
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
XFCAST=${XFCAST:-xfcast}
command -v parallel >/dev/null 2>&1 || { echo "$0: GNU parallel is not installed" >&2; exit 1; }
parts=$(mktemp -d "${TMPDIR:-/tmp}/xfcast-parts.XXXXXX")
trap 'rm -rf "$parts"' EXIT

# the parts: --halt now,fail=1 stops at the first failed shard
seq 0 $((n - 1)) | parallel --halt now,fail=1 ${jobs:+--jobs "$jobs"} \
    "$XFCAST" fit "$data" --shard {}/"$n" --stats-out "$parts/part{}.xfm" -q "$@"
# the merge: every shard must be there (it says which is missing)
"$XFCAST" fit --merge "$parts"/part*.xfm -o "$head"
