#!/bin/sh
# slurm-fit.sh - one global head over many series, fitted across a Slurm
# cluster: a job array fits the N shards (each task reads the data and keeps
# the series of its shard), then a job that depends on all of them
# (afterok) merges the parts into the head.
#
#   sh examples/slurm-fit.sh DATA.csv HEAD.xfm [N] [-- fit options]
#
# DATA.csv and the parts directory must be on a file system every node
# sees (PARTS, default ./parts).  Fit options (the same for every shard)
# follow `--`, e.g. -- --domain energy --lags 168.  Memory per task is that
# of a fit on 1/N of the series plus reading DATA.csv (split the file per
# shard to bound that too: the hash decides the shard, not the file).
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 DATA.csv HEAD.xfm [N] [-- fit options]" >&2; exit 2; }
data=$1 head=$2
shift 2
n=16
[ $# -gt 0 ] && [ "$1" != "--" ] && { n=$1; shift; }
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
XFCAST=${XFCAST:-xfcast}
PARTS=${PARTS:-parts}
mkdir -p "$PARTS" logs
rm -f "$PARTS"/part*.xfm
# options as one quoted string for the job scripts
opts=
for o in "$@"; do opts="$opts '$(printf %s "$o" | sed "s/'/'\\\\''/g")'"; done

# the shards: one array task each; --parsable prints the job id alone
jobid=$(sbatch --parsable --job-name=xfcast-fit --array=0-$((n - 1)) \
    --cpus-per-task=1 --output=logs/fit-%A_%a.out <<JOB
#!/bin/sh
exec "$XFCAST" fit "$data" --shard \$SLURM_ARRAY_TASK_ID/$n \\
    --stats-out "$PARTS/part\$SLURM_ARRAY_TASK_ID.xfm" -q $opts
JOB
)
# the merge: runs once every task of the array succeeded
sbatch --parsable --job-name=xfcast-merge --dependency=afterok:"$jobid" \
    --output=logs/merge-%j.out <<JOB
#!/bin/sh
exec "$XFCAST" fit --merge "$PARTS"/part*.xfm -o "$head"
JOB
echo "submitted: shards job $jobid (array 0-$((n - 1))), then the merge into $head"
