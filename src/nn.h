/* nn.h - encoder kernels shared by encoder.c, gru.c, tcn.c and pretraining
 * (private).
 *
 * Memory layout of every activation: row-major [batch][time][channel].
 * All parameters of an encoder live in one flat float array; each kernel
 * knows the offsets of its tensors in it.  Forward passes can keep what the
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
void xf__sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
               const float *a, size_t lda, const float *b, size_t ldb, float beta, float *c,
               size_t ldc);

/* Set the BLAS library's thread count (tests and benchmarks only: it is
 * process-wide state of the BLAS library, never touched by the library). */
void xf__blas_set_threads(int n);

/* ------------------------------------------------------------------ GRU */

typedef struct xf__gru {
    int n_in;     /* input channels of layer 0 */
    int n_hidden; /* H */
    int n_layers; /* stacked layers */
} xf__gru;

/* Parameter count, and the offset of layer l's tensors: W_ih [3H][I_l],
 * W_hh [3H][H], b_ih [3H], b_hh [3H] in that order; gate order r, z, n as
 * in torch.nn.GRU. */
size_t xf__gru_n_params(const xf__gru *g);
size_t xf__gru_layer_offset(const xf__gru *g, int layer);

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
int xf__gru_infer(const xf__gru *g, const float *p, const float *x, size_t b, size_t t,
                  float *emb, float *scratch);

/* Backward from d(emb) [b][n_layers*H]; accumulates into grad (same layout
 * as p).  dx [b][t][n_in] receives the input gradient when not NULL. */
void xf__gru_backward(const xf__gru *g, const float *p, const float *x, size_t b, size_t t,
                      const float *demb, const float *cache, float *grad, float *dx,
                      float *scratch);

/* ------------------------------------------------------------------ TCN */

typedef struct xf__tcn {
    int n_in;       /* input channels */
    int n_channels; /* C */
    int n_blocks;   /* residual blocks, dilation 2^i */
    int kernel;     /* taps per convolution */
} xf__tcn;

/* Parameter layout: W_in [C][n_in], b_in [C]; per block: W1 [C][kernel][C],
 * b1 [C], W2 [C][kernel][C], b2 [C].  Tap j of a convolution reads the input
 * j*dilation steps in the past (causal). */
size_t xf__tcn_n_params(const xf__tcn *m);
size_t xf__tcn_block_offset(const xf__tcn *m, int block);
int xf__tcn_receptive_field(const xf__tcn *m);
size_t xf__tcn_cache_size(const xf__tcn *m, size_t b, size_t t);
size_t xf__tcn_scratch_size(const xf__tcn *m, size_t b, size_t t);

/* Forward; embedding [b][n_blocks*C] = every block's output at the last
 * step.  cache as for the GRU. */
void xf__tcn_forward(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t,
                     float *emb, float *cache, float *scratch);
void xf__tcn_backward(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t,
                      const float *demb, const float *cache, float *grad, float *dx,
                      float *scratch);

#endif /* XF_NN_H */
