/* activ.h - vectorised activation functions for the encoder kernels
 * (private).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_ACTIV_H
#define XF_ACTIV_H

#include <stddef.h>

/* x[i] = 1 / (1 + exp(-x[i])), in place; relative error below 3e-7. */
void xf__sigmoid_v(float *x, size_t n);
/* x[i] = tanh(x[i]), in place; absolute error below 3e-7. */
void xf__tanh_v(float *x, size_t n);

/* The arithmetic of exp(x), x in [-87, 87], shared by activ.c (floats) and
 * the GRU inference kernel (gru_kernel.c, GCC vectors of floats), so that
 * both compute the same values.  XF__EXP_REDUCE: n = round(x / ln2) by the
 * 1.5 * 2^23 trick and r = x - n ln2 (ln2 in two parts, |r| <= ln2/2).
 * XF__EXP_POLY: p = exp(r) by its degree-7 Taylor polynomial (truncation
 * error below 6e-9 relative), in Horner form.  The caller multiplies p by
 * 2^n, made from the exponent bits. */
#define XF__EXP_REDUCE(x, n, r)                                                                    \
    ((n) = ((x)*1.44269504088896341f + 12582912.0f) - 12582912.0f,                                 \
     (r) = (x) - (n)*0.693359375f - (n) * -2.12194440e-4f)
#define XF__EXP_POLY(r, p)                                                                         \
    ((p) = (r) * (1.0f / 5040.0f) + 1.0f / 720.0f, (p) = (p) * (r) + 1.0f / 120.0f,                \
     (p) = (p) * (r) + 1.0f / 24.0f, (p) = (p) * (r) + 1.0f / 6.0f, (p) = (p) * (r) + 0.5f,        \
     (p) = (p) * (r) + 1.0f, (p) = (p) * (r) + 1.0f)

#endif /* XF_ACTIV_H */
