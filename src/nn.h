/* nn.h - the encoder kernels (gru.c, gru_kernel.c, tcn.c, tcn_kernel.c) and the BLAS
 * door (blas.c), called by the architecture descriptors encoder_gru.c and
 * encoder_tcn.c (private).
 *
 * Memory layout of every activation: row-major [batch][time][channel].
 * All parameters of an encoder live in one flat float array; the kernels
 * are told where each of their tensors is in it (the shape structs below,
 * filled from the architecture's parameter layout).  Forward passes can keep what the
 * backward pass needs in a cache; backward passes ACCUMULATE into a gradient
 * array of the same layout as the parameters (kann's convention).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_NN_H
#define XF_NN_H

#include <stddef.h>
#include <stdint.h>

/* C = alpha * op(A) * op(B) + beta * C, row-major single precision; the
 * only way the kernels reach CBLAS (blas.c). trans_a/trans_b: 0 or 1. */
void xf__sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha, const float *a,
               size_t lda, const float *b, size_t ldb, float beta, float *c, size_t ldc);

/* Set the BLAS library's thread count (tests and benchmarks only: it is
 * process-wide state of the BLAS library, never touched by the library). */
void xf__blas_set_threads(int n);

/* ------------------------------------------------------------------ GRU */

#define XF__GRU_MAX_LAYERS 8 /* most stacked layers */

/* Where one layer's tensors are in the flat parameter array (and in a
 * gradient of the same layout): W_ih [3H][I_l], W_hh [3H][H], b_ih [3H],
 * b_hh [3H], gate order r, z, n as in torch.nn.GRU.  The offsets come from
 * the encoder's parameter layout (encoder_gru.c), never from the kernels. */
typedef struct xf__gru_layer {
    size_t W_ih; /* input weights [3H][I_l] (I_0 = n_in, else H) */
    size_t W_hh; /* recurrent weights [3H][H] */
    size_t b_ih; /* input bias [3H] */
    size_t b_hh; /* recurrent bias [3H] */
} xf__gru_layer;

typedef struct xf__gru {
    int n_in;                             /* input channels of layer 0 */
    int n_hidden;                         /* H */
    int n_layers;                         /* stacked layers, 1..XF__GRU_MAX_LAYERS */
    xf__gru_layer at[XF__GRU_MAX_LAYERS]; /* each layer's tensors in the parameters */
} xf__gru;

/* Floats of cache needed for a batch of b windows of t steps (training). */
size_t xf__gru_cache_size(const xf__gru *g, size_t b, size_t t);
/* Floats of scratch needed for inference / for backward. */
size_t xf__gru_scratch_size(const xf__gru *g, size_t b, size_t t);

/* Forward over x [b][t][n_in]; writes the embedding [b][n_layers*H] (last
 * hidden state of every layer).  cache: NULL for inference, else
 * xf__gru_cache_size floats kept for xf__gru_backward. */
void xf__gru_forward(const xf__gru *g, const float *p, const float *x, size_t b, size_t t,
                     float *emb, float *cache, float *scratch);

/* The inference forward (gru_kernel.c): what xf__gru_forward does without a
 * cache, by a fused kernel; scratch of xf__gru_infer_scratch_size floats.
 * Returns 0 without doing anything where no instance of the kernel suits the
 * CPU (the caller then runs the BLAS path), else 1. */
size_t xf__gru_infer_scratch_size(const xf__gru *g, size_t b);
/* 1 when this CPU has an instance of the fused kernel: then an inference
 * forward gives each window the same embedding whatever the batch (the
 * kernel computes every window by the same operations in the same
 * order); 0 when gru.c's BLAS path runs instead. */
int xf__gru_infer_available(void);
int xf__gru_infer(const xf__gru *g, const float *p, const float *x, size_t b, size_t t, float *emb,
                  float *scratch);

/* Backward from d(emb) [b][n_layers*H]; accumulates into grad (same layout
 * as p).  dx [b][t][n_in] receives the input gradient when not NULL. */
void xf__gru_backward(const xf__gru *g, const float *p, const float *x, size_t b, size_t t,
                      const float *demb, const float *cache, float *grad, float *dx,
                      float *scratch);

/* ------------------------------------------------------------------ TCN */

#define XF__TCN_MAX_BLOCKS 24 /* most residual blocks */

/* Where one block's tensors are in the flat parameter array (and in a
 * gradient of the same layout): W1 [C][kernel][C], b1 [C], W2 [C][kernel][C],
 * b2 [C].  Tap j of a convolution reads the input j*dilation steps in the
 * past (causal).  Offsets come from the encoder's parameter layout
 * (encoder_tcn.c). */
typedef struct xf__tcn_block {
    size_t W1; /* first convolution [C][kernel][C] */
    size_t b1; /* its bias [C] */
    size_t W2; /* second convolution [C][kernel][C] */
    size_t b2; /* its bias [C] */
} xf__tcn_block;

typedef struct xf__tcn {
    int n_in;                             /* input channels */
    int n_channels;                       /* C */
    int n_blocks;                         /* residual blocks, dilation 2^i, 1..XF__TCN_MAX_BLOCKS */
    int kernel;                           /* taps per convolution */
    size_t W_in;                          /* input projection [C][n_in] */
    size_t b_in;                          /* its bias [C] */
    xf__tcn_block at[XF__TCN_MAX_BLOCKS]; /* each block's tensors in the parameters */
} xf__tcn;

/* Steps of the past that reach the last output. */
int xf__tcn_receptive_field(const xf__tcn *m);
size_t xf__tcn_cache_size(const xf__tcn *m, size_t b, size_t t);
size_t xf__tcn_scratch_size(const xf__tcn *m, size_t b, size_t t);

/* Forward; embedding [b][n_blocks*C] = every block's output at the last
 * step.  cache as for the GRU: without one, the batch-free kernel of
 * tcn_kernel.c runs where the CPU has an instance of it. */
void xf__tcn_forward(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t,
                     float *emb, float *cache, float *scratch);
void xf__tcn_backward(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t,
                      const float *demb, const float *cache, float *grad, float *dx,
                      float *scratch);

/* The inference forward (tcn_kernel.c): what xf__tcn_forward does without
 * a cache, each window alone, by a hand-written kernel; scratch of
 * xf__tcn_infer_scratch_size floats (whatever the batch).  Returns 0
 * without doing anything where no instance of the kernel suits the CPU,
 * else 1.  xf__tcn_infer_available: 1 when this CPU has an instance (then
 * a window's embedding does not depend on the batch), else 0. */
size_t xf__tcn_infer_scratch_size(const xf__tcn *m, size_t t);
int xf__tcn_infer_available(void);
int xf__tcn_infer(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t, float *emb,
                  float *scratch);

#endif /* XF_NN_H */
