/* encoder_internal.h - the encoder object and hooks for trainers (private).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_ENCODER_INTERNAL_H
#define XF_ENCODER_INTERNAL_H

#include "encoder_arch.h"
#include "pretrain_head.h"
#include "xf_internal.h"
#include "xfcast/encoder.h"

#define XF_ENCODER_GROUP 32 /* windows per kernel call (fixed: see encoder.c) */

struct xf_encoder {
    const xf__encoder_arch *arch;   /* its architecture (borrowed: static, or the caller's,
                                   * which must outlive the encoder) */
    xf_encoder_config cfg;          /* shape; cfg.arch is arch->id */
    xf__tensor *tensors;            /* parameter layout made by arch->layout; owned */
    size_t n_tensors;               /* tensors in it */
    size_t n_params;                /* floats in params */
    size_t embed_size;              /* floats per embedding */
    float *params;                  /* all weights, one flat array; owned */
    int32_t horizon;                /* steps of the pretraining (zero-shot) head, 0 = none */
    int head_kind;                  /* XF__PHEAD_LINEAR or XF__PHEAD_SEASONAL (pretrain_head.h) */
    int32_t head_lags;              /* seasonal: normalised lags the head reads; linear: 0 */
    int32_t head_nq;                /* quantiles per step (linear: 1, the mean) */
    double head_q[XF__PHEAD_MAX_Q]; /* seasonal: the quantile levels, increasing */
    float *head_w;                  /* pretraining head weights [nq*horizon][embed_size + lags] */
    float *head_a;                  /* seasonal: baseline weights [nq*horizon][XF__PHEAD_NB] */
    float *head_u;                  /* seasonal: baseline gates [XF__PHEAD_NB][embed_size] */
    float *head_b;                  /* pretraining head bias [nq*horizon]; all three owned */
    struct xf_xfm *meta;            /* provenance metadata saved with the encoder; owned */
    char name[64];                  /* short name ("gru-base"), from the file name on load */
};

struct xf_encoder_workspace {
    const xf_encoder *enc; /* the encoder it was made for (borrowed) */
    size_t max_batch;      /* windows per internal step */
    float *x;              /* normalised input [max_batch][context][n_inputs] */
    int32_t period;        /* the windows' seasonal period (n_inputs 3), default 1 */
    float *scratch;        /* kernel scratch for one group */
    float *emb;            /* embeddings of one group */
    float *fc_emb;         /* embeddings of one group for xf_encoder_forecast */
    int n_threads;         /* threads used by xf_encoder_embed (1 = the caller's only) */
    float **t_scratch;     /* per extra thread: kernel scratch for one group */
    float **t_emb;         /* per extra thread: embeddings of one group */
};

/* Give enc a pretraining head (copied): kind, steps, lags (seasonal), nq
 * quantile levels q (seasonal; NULL and 1 for linear), W [nq*horizon][E +
 * lags], A [nq*horizon][XF__PHEAD_NB] and U [XF__PHEAD_NB][E] (seasonal;
 * else NULL), b [nq*horizon].  Returns XF_OK, XF_EINVAL (shape) or
 * XF_ENOMEM. */
int xf__encoder_set_phead(xf_encoder *enc, int kind, int32_t horizon, int32_t lags, int32_t nq,
                          const double *q, const float *W, const float *A, const float *U,
                          const float *b);
/* The encoder's pretraining head as an xf__phead (no backcast). */
void xf__encoder_phead(const xf_encoder *enc, xf__phead *hd);
/* The index of the median among the head's quantiles (0 for a linear head). */
size_t xf__encoder_phead_median(const xf_encoder *enc);
/* The index of quantile q among a seasonal head's, SIZE_MAX when it has none
 * at exactly q (or is linear). */
size_t xf__encoder_phead_quantile(const xf_encoder *enc, double q);
/* Does the head predict the 0.1 and 0.9 quantiles (a seasonal head's
 * spread, which scales zero-shot intervals)? */
int xf__encoder_phead_has_spread(const xf_encoder *enc);

/* Instance-normalise one window of t raw values (NaN = missing) into the
 * two-channel input x [t][2]; writes the mean and scale used. */
void xf__normalise_window(const float *w, size_t t, float *x, float *mean, float *std);

/* The encoder's input of one window: x [t][n_in], the two channels of
 * xf__normalise_window, and with n_in 3 the seasonal difference at
 * `period` (below 1: 1): (w[i] - w[i - period]) / std, 0 where i < period
 * or either value is missing. */
void xf__encoder_input(const float *w, size_t t, int n_in, int32_t period, float *x, float *mean,
                       float *std);

/* The same from a window already normalised into the two-channel form x2
 * [t][2]: x [t][n_in] (n_in 3); x2 may be x itself. */
void xf__encoder_spread(const float *x2, size_t t, int n_in, int32_t period, float *x);

/* xf_encoder_embed with a period per window (periods [n], a value below
 * 1 read as 1; NULL: the workspace's): what a head does when its windows
 * come from series of different frequencies. */
int xf__encoder_embed_periods(const xf_encoder *enc, xf_encoder_workspace *ws, const float *windows,
                              size_t n, const int32_t *periods, float *emb, float *norm,
                              xf_error *err);

/* A new encoder of architecture `arch` (validated first; it must outlive the
 * encoder), with random weights as xf_encoder_new: what xf_encoder_new does
 * for the library's architectures, open to others (tests).  cfg->arch is
 * ignored: the encoder's is arch->id.  Returns XF_OK, XF_EINVAL (bad
 * descriptor or configuration) or XF_ENOMEM. */
int xf__encoder_new_arch(const xf__encoder_arch *arch, const xf_encoder_config *cfg, uint64_t seed,
                         xf_encoder **out, xf_error *err);

/* Whether two encoders have the same architecture and configuration (the
 * context and every field the architecture reads). */
int xf__encoder_same_config(const xf_encoder *a, const xf_encoder *b);

/* Scratch and cache sizes (floats) for b windows of t steps; the cache size
 * is 0 for an architecture that cannot be trained (no backward). */
size_t xf__encoder_scratch_size(const xf_encoder *e, size_t b, size_t t);
size_t xf__encoder_cache_size(const xf_encoder *e, size_t b, size_t t);

/* Forward on normalised input x [b][context][2]; cache NULL for inference. */
void xf__encoder_forward(const xf_encoder *e, const float *x, size_t b, float *emb, float *cache,
                         float *scratch);
/* Backward: accumulates d(loss)/d(params) into grad.  Only for an
 * architecture with a backward pass (xf__encoder_trainable). */
void xf__encoder_backward(const xf_encoder *e, const float *x, size_t b, const float *demb,
                          const float *cache, float *grad, float *scratch);

int xf__encoder_trainable(const xf_encoder *e);

/* An encoder as an .xfm container (kind "encoder", not yet saved), and back.
 * `path` only names the file in messages.  from_xfm finds the file's
 * encoder.arch among the library's architectures, then the n_extra of
 * `extra` (may be NULL when n_extra is 0; they must outlive the encoder). */
struct xf_xfm;
int xf__encoder_to_xfm(const xf_encoder *enc, const char *path, struct xf_xfm **out, xf_error *err);
int xf__encoder_from_xfm(const struct xf_xfm *mf, const char *path,
                         const xf__encoder_arch *const *extra, size_t n_extra, xf_encoder **out,
                         xf_error *err);

/* xf_encoder_load, also knowing the architectures of `extra` (as
 * xf__encoder_from_xfm).  An architecture the file names and no one knows is
 * XF_EFORMAT: "m.xfm: encoder architecture 'lstm' is unknown (this build
 * knows gru, tcn)". */
int xf__encoder_load_arch(const char *path, const xf__encoder_arch *const *extra, size_t n_extra,
                          xf_encoder **out, xf_error *err);

#endif /* XF_ENCODER_INTERNAL_H */
