/* activ.c - vectorised sigmoid and tanh.
 *
 * libm's expf/tanhf are called one value at a time and dominated the GRU's
 * run time.  Here exp is computed the classic way - x = n ln2 + r with
 * |r| <= ln2/2, exp(r) by its degree-7 Taylor polynomial (truncation error
 * below 6e-9 relative), 2^n by building the exponent bits - in plain loops
 * the compiler vectorises; on x86-64 with GCC an x86-64-v3 (AVX2+FMA) clone is
 * chosen at run time.  The results are the same for every batch and thread
 * count (each element is computed on its own).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "activ.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define XF_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), optimize("O3")))
#else
#define XF_VECTOR_CLONES
#endif

/* exp(x) for x in [-87, 87] (callers clamp).  Branch-free so that loops
 * calling it vectorise: n = round(x / ln2) by the 1.5 * 2^23 trick. */
static inline float exp_core(float x)
{
    float n, r, p, scale;
    int32_t bits;
    XF__EXP_REDUCE(x, n, r);
    bits = ((int32_t)n + 127) * (1 << 23);
    XF__EXP_POLY(r, p);
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

XF_VECTOR_CLONES void xf__sigmoid_v(float *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        float v = -x[i];
        v = v > 87.0f ? 87.0f : v;
        v = v < -87.0f ? -87.0f : v;
        x[i] = 1.0f / (1.0f + exp_core(v));
    }
}

XF_VECTOR_CLONES void xf__tanh_v(float *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        /* tanh(v) = sign(v) (1 - e) / (1 + e), e = exp(-2|v|): no cancellation
         * trouble for large |v|; for small |v| an odd Taylor series keeps the
         * relative accuracy.  Both are computed and one is selected. */
        float v = x[i], a = v < 0 ? -v : v, a2 = a * a, big, small, e;
        small = a * (1.0f + a2 * (-1.0f / 3.0f + a2 * (2.0f / 15.0f + a2 * (-17.0f / 315.0f))));
        e = exp_core(a > 43.0f ? -86.0f : -2.0f * a);
        big = (1.0f - e) / (1.0f + e);
        big = a < 0.0625f ? small : big;
        x[i] = v < 0 ? -big : big;
    }
}
