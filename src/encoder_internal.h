/* encoder_internal.h - the encoder object and hooks for trainers (private).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_ENCODER_INTERNAL_H
#define XF_ENCODER_INTERNAL_H

#include "nn.h"
#include "xf_internal.h"
#include "xfcast/encoder.h"

#define XF_ENCODER_N_IN 2   /* input channels: normalised value, observed mask */
#define XF_ENCODER_GROUP 32 /* windows per kernel call (fixed: see encoder.c) */

struct xf_encoder {
    xf_encoder_config cfg; /* shape */
    xf__gru gru;           /* GRU kernel shape (arch GRU) */
    xf__tcn tcn;           /* TCN kernel shape (arch TCN) */
    size_t n_params;       /* floats in params */
    size_t embed_size;     /* floats per embedding */
    float *params;         /* all weights, one flat array; owned */
    int32_t horizon;       /* steps of the pretraining (zero-shot) head, 0 = none */
    float *head_w;         /* pretraining head weights [horizon][embed_size]; owned */
    float *head_b;         /* pretraining head bias [horizon]; owned */
    struct xf_xfm *meta;   /* provenance metadata saved with the encoder; owned */
    char name[64];         /* short name ("gru-base"), from the file name on load */
};

struct xf_encoder_workspace {
    const xf_encoder *enc; /* the encoder it was made for (borrowed) */
    size_t max_batch;      /* windows per internal step */
    float *x;              /* normalised input [max_batch][context][2] */
    float *scratch;        /* kernel scratch for one group */
    float *emb;            /* embeddings of one group */
    float *fc_emb;         /* embeddings of one group for xf_encoder_forecast */
    int n_threads;         /* threads used by xf_encoder_embed (1 = the caller's only) */
    float **t_scratch;     /* per extra thread: kernel scratch for one group */
    float **t_emb;         /* per extra thread: embeddings of one group */
};

/* Instance-normalise one window of t raw values (NaN = missing) into the
 * two-channel input x [t][2]; writes the mean and scale used. */
void xf__normalise_window(const float *w, size_t t, float *x, float *mean, float *std);

/* Scratch and cache sizes (floats) for b windows of t steps. */
size_t xf__encoder_scratch_size(const xf_encoder *e, size_t b, size_t t);
size_t xf__encoder_cache_size(const xf_encoder *e, size_t b, size_t t);

/* Forward on normalised input x [b][context][2]; cache NULL for inference. */
void xf__encoder_forward(const xf_encoder *e, const float *x, size_t b, float *emb, float *cache,
                         float *scratch);
/* Backward: accumulates d(loss)/d(params) into grad. */
void xf__encoder_backward(const xf_encoder *e, const float *x, size_t b, const float *demb,
                          const float *cache, float *grad, float *scratch);

/* An encoder as an .xfm container (kind "encoder", not yet saved), and back.
 * `path` only names the file in messages. */
struct xf_xfm;
int xf__encoder_to_xfm(const xf_encoder *enc, const char *path, struct xf_xfm **out,
                       xf_error *err);
int xf__encoder_from_xfm(const struct xf_xfm *mf, const char *path, xf_encoder **out,
                         xf_error *err);

#endif /* XF_ENCODER_INTERNAL_H */
