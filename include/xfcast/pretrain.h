/* xfcast/pretrain.h - pretraining an encoder on generic series.
 *
 * Objective (options.head = XF_ENCODER_HEAD_LINEAR, the default; for the
 * seasonal head see the option): from the embedding of an instance-normalised context window,
 * forecast the next `horizon` normalised values (and, with `backcast`, the
 * last values of the context) through a LINEAR head (so that a ridge head
 * fitted later on the same embedding can represent it and improve on it).  Loss: Huber (delta 1) on observed future values.
 * Optimiser: Adam with global-norm gradient clipping, linear warm-up then
 * cosine decay.  Window number w of the run is drawn from corpus series w
 * (synthetic corpus) or from a hashed place in the user's series (corpus
 * directory), so a run is deterministic by seed, does not depend on the
 * number of threads, and resumes from a checkpoint exactly where it stopped.
 * The pretraining head is saved with the encoder and gives zero-shot
 * forecasts (xf_encoder_forecast).
 *
 * Data parallelism (several processes, e.g. MPI ranks): with `comm` set,
 * process r of N computes only its share of each step's groups of 32
 * windows (a contiguous run of group numbers, the same split on every
 * process), the per-group gradients are gathered to every process through
 * comm->allgather and summed in group order there, exactly as one process
 * sums them: N processes with global batch B give bit-identical weights to
 * one process with batch B, and a checkpoint (written by process 0 only)
 * resumes with any N.  Validation is shared the same way.  The library
 * knows no transport: the caller's allgather moves the bytes (the xfcast
 * CLI fills it with MPI_Allgatherv when built with --with-mpi).
 *
 * Thread safety: a run keeps its state in the call (its worker threads are
 * its own, joined before it returns), so runs may go in parallel; BLAS's
 * own thread count is process-wide (xf_blas_set_threads).  The progress
 * callback runs on the calling thread.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_PRETRAIN_H
#define XFCAST_PRETRAIN_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "encoder.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Progress of a run, passed to the progress callback. */
typedef struct xf_pretrain_status {
    int64_t step;         /* optimiser steps done */
    int64_t steps;        /* steps of the whole run */
    int64_t windows;      /* training windows seen */
    double train_loss;    /* mean training loss over the last report interval */
    double valid_loss;    /* last validation MSE (normalised scale), NaN before the first */
    double valid_naive;   /* validation MSE of the last-value forecast, for scale */
    double lr;            /* current learning rate */
    double elapsed_s;     /* wall time of this process's part of the run */
    double windows_per_s; /* training throughput */
    int is_eval;          /* 1 when this report follows a validation */
    double valid_snaive;  /* validation MSE of the seasonal-naive input of a seasonal head
                             (its first baseline), NaN for a linear head */
} xf_pretrain_status;

/* How the processes of a data-parallel run exchange data.  Every process
 * of the run passes one, with its own rank, to xf_pretrain with the same
 * options (xf_pretrain refuses a run whose processes differ in options,
 * start step or weights). */
typedef struct xf_pretrain_comm {
    int32_t rank;    /* this process, 0..n_ranks-1 */
    int32_t n_ranks; /* processes in the run, 1..65536 */
    /* Gather in place: `buf` holds one block per process, process r's at
     * byte offset offsets[r], counts[r] bytes long (blocks in rank order,
     * not overlapping); on entry this process's own block is filled, on
     * return every block is.  Every process calls it with the same counts
     * and offsets, the same number of times.  Returns 0, or nonzero when the
     * exchange failed (the run then stops with XF_EIO; the other processes
     * may be left waiting, so a transport should rather end the job). */
    int (*allgather)(void *buf, const size_t *counts, const size_t *offsets, void *user);
    void *user;          /* passed to allgather */
    int32_t failed_rank; /* set by xf_pretrain when it fails: the first process (in rank
                            order) whose failure stopped the run, which has the message
                            that says why (the others' say "process R failed"); -1 when
                            the processes could not agree (an exchange failed, or this
                            one failed before its first exchange): end the job */
} xf_pretrain_comm;

typedef struct xf_pretrain_options {
    size_t struct_size;        /* sizeof, set by _init (see the ABI rule in xfcast.h) */
    xf_encoder_config encoder; /* architecture and sizes */
    int64_t steps;             /* optimiser steps (default 16000) */
    int32_t batch;             /* windows per step, a multiple of 32 (default 64) */
    int32_t horizon;           /* steps forecast by the pretraining head (default 64) */
    int32_t backcast;          /* also reconstruct the last `backcast` context values
                                  through extra head outputs, 0..context (default 0); only
                                  the forecast outputs are kept as the zero-shot head */
    uint64_t seed;             /* weights and corpus seed (default 1) */
    double lr;                 /* peak learning rate (default 2e-3) */
    int64_t warmup;            /* warm-up steps (default 300) */
    double lr_floor;           /* final learning rate as a fraction of lr (default 0.05) */
    double clip;               /* global gradient-norm clip (default 1.0) */
    int64_t eval_every;        /* steps between validations (default 500) */
    int32_t n_valid;           /* held-out windows, a multiple of 32 (default 1024) */
    int64_t report_every;      /* steps between progress reports (default 20) */
    const char *checkpoint;    /* save a resumable checkpoint here, or NULL */
    int64_t checkpoint_every;  /* steps between checkpoints (default 500) */
    const char *resume;        /* resume from this checkpoint, or NULL */
    int64_t stop_at;           /* stop after this step (with a checkpoint) to split a long
                                  run over several sessions; 0 = run to the end */
    const char *corpus_dir;    /* NULL: the synthetic corpus; else a directory of CSV files */
    int32_t n_threads;         /* worker threads (default 2) */
    void (*progress)(const xf_pretrain_status *st, void *user); /* NULL = silent */
    void *user;                                                 /* passed to progress */
    /* Fields added after xfcast 0.1 (a caller built against an older header gets
     * their defaults): */
    int32_t corpus_version; /* synthetic corpus: 1 (default; the shipped encoders'
                               corpus) or 2 (domain-like samples of 50-5000 values:
                               window w is cut from sample w at a hashed offset, or
                               padded with missing values when the sample is shorter;
                               the covariate is not used); must be 1 with corpus_dir.
                               Recorded as pretrain.corpus_version (and
                               train.corpus_version in checkpoints: a run is resumed
                               only on the same version) */
    xf_pretrain_comm *comm; /* NULL (default): this process alone; else data-parallel with
                               comm's peers (borrowed; xf_pretrain sets its failed_rank).
                               Only process 0 writes the checkpoint; every process gets
                               the same encoder in *out */
    /* Fields added with the seasonal pretraining head (issue 14): */
    int32_t head;        /* XF_ENCODER_HEAD_LINEAR (default: the v1 objective above) or
                             XF_ENCODER_HEAD_SEASONAL: the head also reads the window's last
                             head_lags normalised values and its seasonal-naive forecasts for
                             the periods of the window's calendar (corpus v2; 1 = none for
                             v1 and CSV corpora), and predicts n_quantiles quantiles of
                             each of the horizon steps (pinball loss; backcast outputs keep
                             Huber on the embedding alone) */
    int32_t head_lags;   /* seasonal head: lags it reads, 0..min(512, context) (default 32) */
    int32_t n_quantiles; /* seasonal head: quantile levels, 1..9 (default 5) */
    double quantiles[9]; /* increasing in (0, 1), one of them 0.5 (default 0.025, 0.1, 0.5,
                             0.9, 0.975) */
} xf_pretrain_options;

XF_API void xf_pretrain_options_init(xf_pretrain_options *o, xf_arch arch);
XF_API void xf_pretrain_options_init_sized(xf_pretrain_options *o, xf_arch arch, size_t size);
/* (a macro: the library writes only the caller's sizeof; see the ABI rule in xfcast.h) */
#define xf_pretrain_options_init(o, arch) xf_pretrain_options_init_sized((o), (arch), sizeof *(o))

/* Run (or resume) pretraining.  On success *out owns the trained encoder
 * with its pretraining head and provenance ("pretrain.*" metadata).
 * Returns XF_OK, XF_EINVAL (bad options, or a checkpoint made with other
 * options), XF_EIO / XF_EFORMAT (checkpoint or corpus files), XF_EDATA (a
 * corpus directory without a usable series) or XF_ENOMEM. */
XF_API int xf_pretrain(const xf_pretrain_options *o, xf_encoder **out, xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_PRETRAIN_H */
