#!/bin/sh
# pretrain-mpi.sh - pretrain an encoder as an MPI job across hosts, with a
# checkpoint that survives the job (xfcast built with ./configure --with-mpi
# on every host, the same path everywhere; the checkpoint and the output on
# a file system every host sees).
#
#   sh examples/pretrain-mpi.sh                 # 2 processes on this host, a short run
#   HOSTS=hosts NP=8 STEPS=16000 BATCH=512 DIR=/shared/xf sh examples/pretrain-mpi.sh
#
# A hostfile names one host per line with its process slots (Open MPI's
# syntax; MPICH's mpiexec -f takes "host:slots"):
#
#   node1 slots=4
#   node2 slots=4
#
# --batch is the global batch: each step's windows are shared among the
# processes (at least 32 per process), and the weights are those one process
# would compute with the same batch, bit for bit.  Process 0 writes the
# checkpoint every --checkpoint-every steps; when the job is killed (a time
# limit, a node lost), run the same command again: --resume continues from
# the checkpoint, with any number of processes.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
set -eu
XFCAST=${XFCAST:-xfcast}
NP=${NP:-2}
STEPS=${STEPS:-200}
BATCH=${BATCH:-64}
DIR=${DIR:-.}
VALID=${XF_EXAMPLE_VALID:-1024} # held-out windows (fewer: a quicker check)
CKPT=$DIR/gru-mpi.ckpt
OUT=$DIR/gru-mpi.xfm

if [ -n "${HOSTS:-}" ]; then
    where="--hostfile $HOSTS"
else
    where="--oversubscribe" # this host alone, whatever its cores (Open MPI)
fi
resume=""
[ -f "$CKPT" ] && resume="--resume $CKPT" # an earlier job stopped: go on
# Open MPI refuses to run as root without these (containers)
[ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# one worker thread per process: give each process its own core (2 ranks x 1
# thread, not 2 ranks x 2 threads on 2 cores)
# shellcheck disable=SC2086
mpirun $where -np "$NP" "$XFCAST" pretrain --arch gru --steps "$STEPS" --batch "$BATCH" \
    --threads 1 --valid "$VALID" --checkpoint "$CKPT" --checkpoint-every 100 $resume --progress \
    -o "$OUT"
"$XFCAST" info "$OUT" | head -5
