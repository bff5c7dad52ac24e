#!/bin/sh
# test_pretrain_mpi_cli.sh - `xfcast pretrain` as an MPI job (a build
# configured --with-mpi, with mpirun or mpiexec on the PATH): 2 processes
# with the global batch of one give the same encoder, bit for bit (tensor
# data and every metadata value but the date and the wall time); a run
# stopped by 2 processes resumes with 1 and the other way round, to the
# same weights; process 0 alone speaks (progress, notes) and an error that
# every process meets is said once, with every process ending; the recipe of
# examples/pretrain-mpi.sh resumes a killed job (Open MPI).  In a build
# without MPI: started as one of several processes (the launcher's
# environment), pretrain refuses instead of running the whole training in
# each; the MPI part is then skipped.
# shellcheck disable=SC2086,SC2016 # $A, $TO and $MPIRUN split into words; check() evals
set -u
: "${XFCAST:=./xfcast}"
: "${XF_SRCDIR:=.}"
case $XFCAST in /*) ;; */*) XFCAST=$(pwd)/$XFCAST ;; esac
case $XF_SRCDIR in /*) ;; *) XF_SRCDIR=$(pwd)/$XF_SRCDIR ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_mpi.XXXXXX") && [ -d "$T" ] || exit 99
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# shellcheck source=tests/testlib.sh
. "${XF_SRCDIR:-.}/tests/testlib.sh"
cd "$T" || exit 99

# a small GRU, 3 groups of 32 windows per step (2 processes split them 1 + 2)
A="--arch gru --context 64 --hidden 12 --horizon 8 --steps 12 --batch 96 --valid 64 --eval-every 5 --warmup 3 --threads 1 --no-progress"

if ! "$XFCAST" --version | grep -q '^MPI '; then
    # a build without MPI, as one of 2 processes of a job: refused, no file
    run 1 env OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=1 "$XFCAST" pretrain $A -o x.xfm
    err_has "one of 2 processes, but this xfcast is built without MPI"
    check '[ ! -e x.xfm ] && [ ! -e x.xfm.ckpt ]' "a refused run wrote files"
    run 1 env PMI_SIZE=3 "$XFCAST" pretrain $A -o x.xfm
    err_has "one of 3 processes"
    echo "test_pretrain_mpi_cli: $checks checks, $fails failed (built without MPI: no MPI job run)"
    [ "$fails" = 0 ] || exit 1
    exit 77
fi
MPIRUN=$(command -v mpirun || command -v mpiexec) || {
    echo "test_pretrain_mpi_cli: no mpirun or mpiexec on the PATH: skipped"
    exit 77
}
OPENMPI=0
if "$MPIRUN" --version 2>&1 | grep -q "Open MPI"; then
    OPENMPI=1
    # 2 processes on any number of cores, also as root (containers)
    MPIRUN="$MPIRUN --oversubscribe"
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    OMPI_MCA_btl_vader_single_copy_mechanism=none
    export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
    export OMPI_MCA_btl_vader_single_copy_mechanism
fi
TO=""
command -v timeout >/dev/null 2>&1 && TO="timeout 120" # a hang fails, never blocks

# tensors FILE: the data section of an .xfm file (from its data offset, u64
# at byte 24, to the 4-byte trailer), as a checksum
tensors() {
    off=$(od -An -t u8 -j 24 -N 8 "$1" | tr -d ' ')
    size=$(wc -c <"$1")
    tail -c +$((off + 1)) "$1" | head -c $((size - 4 - off)) | cksum
}
# meta FILE: every metadata value but the date and the wall time
meta() {
    "$XFCAST" info "$1" --format json | grep -v -e '"file"' -e 'pretrain.date' -e 'wall_seconds'
}
# same A B WHAT: A and B hold the same encoder
same() {
    checks=$((checks + 1))
    if [ ! -s "$1" ] || [ ! -s "$2" ]; then
        fail "$3: missing $1 or $2"
    elif [ "$(tensors "$1")" != "$(tensors "$2")" ]; then
        fail "$3: tensors differ"
    elif [ "$(meta "$1")" != "$(meta "$2")" ]; then
        fail "$3: metadata differ: $(meta "$1" | diff - "$(meta "$2" >m2.txt; echo m2.txt)" | head -5)"
    fi
}

run 0 "$XFCAST" pretrain $A -o one.xfm
err_empty

# 2 processes, the same global batch: the same encoder; quiet; no checkpoint left
run 0 $TO $MPIRUN -np 2 "$XFCAST" pretrain $A -o two.xfm
err_empty
same one.xfm two.xfm "2 processes vs 1"
check '[ ! -e two.xfm.ckpt ]' "the checkpoint of a finished run is left"
# a control: another seed gives other tensors (the comparison can fail)
run 0 "$XFCAST" pretrain $A --seed 5 -o seed5.xfm
check '[ "$(tensors one.xfm)" != "$(tensors seed5.xfm)" ]' "tensors() sees no difference"

# progress and notes come from process 0 alone: one line per validation
run 0 $TO $MPIRUN -np 2 "$XFCAST" pretrain $A --progress --stop-at 5 --checkpoint ck2 -o part.xfm
check '[ "$(grep -c "step 5/12" "$T/err")" = 1 ]' "progress of step 5 not printed once: $(cat "$T/err")"
check '[ "$(grep -c "stopped after step 5 of 12" "$T/err")" = 1 ]' "the stop note not printed once"
check '[ -s ck2 ] && [ ! -e part.xfm ]' "a stopped run: checkpoint and no output expected"

# stopped by 2 processes, resumed by 1; stopped by 1, resumed by 2
run 0 "$XFCAST" pretrain $A --resume ck2 --checkpoint ck2 -o r21.xfm
err_empty
same one.xfm r21.xfm "2 processes then 1"
run 0 "$XFCAST" pretrain $A --stop-at 7 --checkpoint ck1 -o part.xfm -q
run 0 $TO $MPIRUN -np 2 "$XFCAST" pretrain $A --resume ck1 --checkpoint ck1 -o r12.xfm
err_empty
same one.xfm r12.xfm "1 process then 2"
check '[ ! -e ck1 ]' "the checkpoint of the resumed run is left"

# an error every process meets (2 processes, 1 group): said once, all end
# (a usage error: exit 2)
run 2 $TO $MPIRUN -np 2 "$XFCAST" pretrain $A --batch 32 -o small.xfm
err_has "batch 32 is too small for 2 processes: each computes whole groups of 32 windows; use a batch of 64 or more"
check '[ "$(grep -c "too small for 2 processes" "$T/err")" = 1 ]' "the error is not said once: $(cat "$T/err")"
check '[ ! -e small.xfm ]' "a failed run wrote its output"
# a resume whose checkpoint is damaged: every process refuses it, once said
printf 'not a checkpoint' >bad.ckpt
run 1 $TO $MPIRUN -np 2 "$XFCAST" pretrain $A --resume bad.ckpt -o bad.xfm
check '[ "$(grep -c "bad.ckpt" "$T/err")" = 1 ]' "the damaged checkpoint is not reported once: $(cat "$T/err")"

# the recipe of examples/pretrain-mpi.sh (Open MPI's mpirun): a job killed
# after step 2 (its checkpoint left) is run again and goes on from the
# checkpoint, to the weights of one uninterrupted process
if [ "$OPENMPI" = 1 ]; then
    R="--arch gru --steps 3 --batch 64 --threads 1 --valid 64"
    run 0 "$XFCAST" pretrain $R -q -o straight.xfm
    mkdir ex
    run 0 "$XFCAST" pretrain $R --checkpoint ex/gru-mpi.ckpt --stop-at 2 -q -o ex/gru-mpi.xfm
    run 0 env XFCAST="$XFCAST" STEPS=3 DIR=ex XF_EXAMPLE_VALID=64 $TO sh "$XF_SRCDIR/examples/pretrain-mpi.sh"
    out_has "^kind: *encoder"
    err_has "step 2/3 valid_mse" # started from the checkpoint's step 2, not from 0
    check '! grep -q "step 0/3" "$T/err"' "the example did not resume from the checkpoint"
    err_has "step 3/3"
    check '[ ! -e ex/gru-mpi.ckpt ]' "the example left its checkpoint"
    # (tensors only: pretrain.train_loss is the mean since the last report, and
    # a resumed run's last report interval starts at the resume)
    check '[ "$(tensors straight.xfm)" = "$(tensors ex/gru-mpi.xfm)" ]' \
        "the example's resumed 2-process job differs from 1 process"
    check '[ "$(meta straight.xfm | grep valid_mse)" = "$(meta ex/gru-mpi.xfm | grep valid_mse)" ]' \
        "the example's validation differs from 1 process"
fi

echo "test_pretrain_mpi_cli: $checks checks, $fails failed"
[ "$fails" = 0 ]
