/* tcn_kernel.c - the TCN encoder's inference forward (no cache), as a
 * hand-written kernel: every window computed alone, by the same operations
 * in the same order, so that its embedding does not depend on the batch.
 *
 * Why not BLAS: tcn.c's forward is an im2col copy and one GEMM per
 * convolution over the rows of every window at once, and a GEMM rounds a
 * row by its position in the kernels' row blocks, so a window's embedding
 * would depend on its neighbours; encoder.c therefore ran it one window per
 * call, a product of [n][kernel*C] x [kernel*C][C] with n from 512 points
 * down to 2, where OpenBLAS spends much of its time packing.  Here the
 * weights are packed once per call, the taps are read in place (no im2col)
 * and the bias, ReLU and residual are applied in registers.
 *
 * Layout.  V is the vector width in floats, P = 2V the output channels of a
 * panel, R the rows (grid points) of a block; Cp = C rounded up to 32 (the
 * widest panel; padded channels stay exactly 0).  Activations are [points]
 * [Cp].  Packed weights, for width P:
 *   input projection  [Cp/P][n_in][P], then its bias [Cp]
 *   each convolution  [Cp/P][kernel*C][P] with input index k = j*C + c (tap
 *                     j, input channel c), then its bias [Cp]
 * so a panel of one convolution is one contiguous stream.  For a block of R
 * points and one panel the kernel keeps 2R vector accumulators and streams
 * the panel once, each pair of weight vectors multiplied by the R points'
 * broadcast inputs (2R FMAs per 2 loads and R broadcasts).  Tap j of point
 * s reads the input at s - j on the block's grid (tcn.c explains the grids)
 * or a row of zeros before the first point.  A convolution's output is
 * relu(acc); the second one of a block adds the block's input and applies
 * relu again (x_{i+1} = relu(x_i + h2)), as tcn.c does.
 *
 * Results.  The order of the sums differs from tcn.c's GEMMs, so the two
 * agree to rounding (about 1e-6 relative), not bit for bit; training keeps
 * tcn.c's forward (it needs the cache), so pretraining is unchanged.
 *
 * Instances.  On x86-64 the kernel below is compiled twice by including
 * this file into itself, an AVX2+FMA one (V = 8, R = 4: 8 accumulators) and
 * an AVX-512F one (V = 16, R = 6: 12 accumulators), chosen at run time by
 * the CPU's features, as gru_kernel.c does.  Elsewhere xf__tcn_infer
 * declines and tcn.c runs the BLAS path (one window per call).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_TCN_KERNEL_INSTANCE

#include <config.h>

#include <stdint.h>
#include <string.h>

#include "kernel_cpu.h"
#include "nn.h"

#define XF_TCN_CMULT 32 /* channels are padded to a multiple of the widest panel */
#define XF_TCN_VMAX 16  /* widest vector of any instance, in floats */

static size_t round_up(size_t n, size_t m)
{
    return (n + m - 1) / m * m;
}

static size_t grid_points(size_t t, size_t d)
{
    return (t - 1) / d + 1;
}

/* Floats of packed weights (layout above). */
static size_t packed_size(const xf__tcn *m, size_t cp)
{
    size_t kc = (size_t)m->kernel * (size_t)m->n_channels;
    return ((size_t)m->n_in + 1) * cp + (size_t)m->n_blocks * 2 * (kc + 1) * cp;
}

size_t xf__tcn_infer_scratch_size(const xf__tcn *m, size_t t)
{
    size_t cp = round_up((size_t)m->n_channels, XF_TCN_CMULT);
    /* packed weights, a row of zeros, three [t][Cp] buffers (x_i, h1,
     * x_{i+1}) of one window, slack to align the start to 64 bytes */
    return packed_size(m, cp) + cp + 3 * t * cp + XF_TCN_VMAX;
}

#if XF_KERNEL_X86_CLONES
static float *align64(float *p)
{
    uintptr_t a = (uintptr_t)p;
    return p + ((64 - a % 64) % 64) / sizeof *p;
}

/* Pack W [C][k_in] (row co, column k) and its bias [C] into dst for panel
 * width pw: [Cp/pw][k_in][pw], then the bias [Cp]; returns the end. */
static float *pack_matrix(const float *W, const float *bias, size_t C, size_t k_in, size_t cp,
                          size_t pw, float *dst)
{
    size_t jb, k, lane;
    for (jb = 0; jb < cp / pw; jb++)
        for (k = 0; k < k_in; k++)
            for (lane = 0; lane < pw; lane++) {
                size_t co = jb * pw + lane;
                *dst++ = co < C ? W[co * k_in + k] : 0.0f;
            }
    for (k = 0; k < cp; k++)
        *dst++ = k < C ? bias[k] : 0.0f;
    return dst;
}

/* The whole network's weights, packed for panel width pw.  A convolution's
 * W [C][kernel][C] is read as [C][kernel*C]: column j*C + c is tap j of
 * input channel c, as the kernel reads its inputs. */
static void pack_all(const xf__tcn *m, const float *p, size_t cp, size_t pw, float *dst)
{
    size_t C = (size_t)m->n_channels, kc = (size_t)m->kernel * C;
    int blk;
    dst = pack_matrix(p + m->W_in, p + m->b_in, C, (size_t)m->n_in, cp, pw, dst);
    for (blk = 0; blk < m->n_blocks; blk++) {
        dst = pack_matrix(p + m->at[blk].W1, p + m->at[blk].b1, C, kc, cp, pw, dst);
        dst = pack_matrix(p + m->at[blk].W2, p + m->at[blk].b2, C, kc, cp, pw, dst);
    }
}

#define XF_TCN_KERNEL_INSTANCE 1
#define KCAT2(a, b) a##_##b
#define KCAT(a, b) KCAT2(a, b)
#define KNAME(name) KCAT(name, KSUFFIX)

#define KSUFFIX avx2
#define KVB 32
#define KR 4
#define KTARGET __attribute__((target("avx2,fma")))
#include "tcn_kernel.c"
#undef KSUFFIX
#undef KVB
#undef KR
#undef KTARGET

#define KSUFFIX avx512
#define KVB 64
#define KR 6
#define KTARGET __attribute__((target("avx2,fma,avx512f")))
#include "tcn_kernel.c"
#undef KSUFFIX
#undef KVB
#undef KR
#undef KTARGET
#endif

int xf__tcn_infer_available(void)
{
    return xf__kernel_isa() != XF__ISA_NONE;
}

int xf__tcn_infer(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t, float *emb,
                  float *scratch)
{
    if (b == 0 || t == 0)
        return 1;
#if XF_KERNEL_X86_CLONES
    switch (xf__kernel_isa()) {
    case XF__ISA_AVX512:
        tcn_infer_avx512(m, p, x, b, t, emb, scratch);
        return 1;
    case XF__ISA_AVX2:
        tcn_infer_avx2(m, p, x, b, t, emb, scratch);
        return 1;
    default:
        break;
    }
#else
    (void)m, (void)p, (void)x, (void)emb, (void)scratch;
#endif
    return 0; /* no instance for this CPU: tcn.c runs its BLAS path */
}

#else /* XF_TCN_KERNEL_INSTANCE: one instance of the kernel (KSUFFIX, KVB bytes, KR rows) */

#include "kernel_vec.h"

/* max(v, 0) as tcn.c's relu: the lanes whose sign bit is set become +0
 * (sign 1: mask 0; sign 0: mask all ones; unsigned, so well defined) */
static inline KTARGET KNAME(vf) KNAME(vrelu)(KNAME(vf) v)
{
    KNAME(vu) b = (KNAME(vu))v;
    return (KNAME(vf))(b & ((b >> 31) - 1u));
}

/* The input projection of one window: out [t][cp] = b_in + W_in x[s] for
 * x [t][n_in] (w packed by pack_matrix). */
static KTARGET void KNAME(project)(const float *w, size_t n_in, size_t cp, const float *x, size_t t,
                                   float *out)
{
    enum { V = KVB / (int)sizeof(float), P = 2 * V };
    const float *bias = w + cp * n_in;
    size_t s, jb, k;
    for (s = 0; s < t; s++) {
        const float *xs = x + s * n_in;
        for (jb = 0; jb < cp / P; jb++) {
            const float *pw = w + jb * n_in * P;
            KNAME(vf) a0 = KNAME(vload)(bias + jb * P), a1 = KNAME(vload)(bias + jb * P + V);
            for (k = 0; k < n_in; k++, pw += P) {
                a0 += KNAME(vload)(pw) * xs[k];
                a1 += KNAME(vload)(pw + V) * xs[k];
            }
            KNAME(vstore)(out + s * cp + jb * P, a0);
            KNAME(vstore)(out + s * cp + jb * P + V, a1);
        }
    }
}

/* One causal convolution on a grid: output point q (q < no) is grid point
 * s = first + stride*q of the input u [*][cp], and tap j reads u[s - j] (a
 * row of zeros when s < j).  out[q] = relu(bias + sum_j,c W[:, j*C + c]
 * u[s-j][c]); with res (the block's input, on u's grid) out[q] =
 * relu(res[s] + that). */
static KTARGET void KNAME(conv)(const float *w, size_t C, size_t cp, int kernel, const float *u,
                                size_t first, size_t stride, size_t no, const float *zero,
                                const float *res, float *out)
{
    enum { V = KVB / (int)sizeof(float), P = 2 * V };
    size_t kc = (size_t)kernel * C, q0, jb, c;
    const float *bias = w + cp * kc;
    int i, j;
    for (q0 = 0; q0 < no; q0 += KR) {
        size_t s[KR];
        for (i = 0; i < KR; i++) /* points past the end repeat the last one */
            s[i] = first + stride * (q0 + (size_t)i < no ? q0 + (size_t)i : no - 1);
        for (jb = 0; jb < cp / P; jb++) {
            const float *pw = w + jb * kc * P;
            KNAME(vf) a0[KR], a1[KR];
            KNAME(vf) b0 = KNAME(vload)(bias + jb * P), b1 = KNAME(vload)(bias + jb * P + V);
#pragma GCC unroll 8
            for (i = 0; i < KR; i++) {
                a0[i] = b0;
                a1[i] = b1;
            }
            for (j = 0; j < kernel; j++) {
                const float *src[KR];
#pragma GCC unroll 8
                for (i = 0; i < KR; i++)
                    src[i] = s[i] >= (size_t)j ? u + (s[i] - (size_t)j) * cp : zero;
                for (c = 0; c < C; c++, pw += P) {
                    KNAME(vf) w0 = KNAME(vload)(pw), w1 = KNAME(vload)(pw + V);
#pragma GCC unroll 8
                    for (i = 0; i < KR; i++) {
                        float v = src[i][c];
                        a0[i] += w0 * v;
                        a1[i] += w1 * v;
                    }
                }
            }
            for (i = 0; i < KR && q0 + (size_t)i < no; i++) {
                float *o = out + (q0 + (size_t)i) * cp + jb * P;
                KNAME(vf) h0 = KNAME(vrelu)(a0[i]), h1 = KNAME(vrelu)(a1[i]);
                if (res != NULL) {
                    const float *r = res + s[i] * cp + jb * P;
                    h0 = KNAME(vrelu)(KNAME(vload)(r) + h0);
                    h1 = KNAME(vrelu)(KNAME(vload)(r + V) + h1);
                }
                KNAME(vstore)(o, h0);
                KNAME(vstore)(o + V, h1);
            }
        }
    }
}

static KTARGET void KNAME(tcn_infer)(const xf__tcn *m, const float *p, const float *x, size_t b,
                                     size_t t, float *emb, float *scratch)
{
    enum { V = KVB / (int)sizeof(float), P = 2 * V };
    size_t C = (size_t)m->n_channels, cp = round_up(C, XF_TCN_CMULT), n_in = (size_t)m->n_in;
    size_t kc = (size_t)m->kernel * C, nb = (size_t)m->n_blocks, conv_floats = (kc + 1) * cp;
    float *packed = align64(scratch), *zero = packed + packed_size(m, cp);
    float *buf[3], *xi, *h1, *xo;
    size_t i, blk, d;
    buf[0] = zero + cp;
    buf[1] = buf[0] + t * cp;
    buf[2] = buf[1] + t * cp;
    pack_all(m, p, cp, P, packed);
    memset(zero, 0, cp * sizeof *zero);
    for (i = 0; i < b; i++) {
        const float *w = packed + (n_in + 1) * cp;
        xi = buf[0];
        h1 = buf[1];
        xo = buf[2];
        KNAME(project)(packed, n_in, cp, x + i * t * n_in, t, xi);
        for (blk = 0, d = 1; blk < nb; blk++, d *= 2) {
            size_t n_pts = grid_points(t, d), n_out = grid_points(t, 2 * d);
            size_t first = (n_pts - 1) - 2 * (n_out - 1);
            float *tmp;
            KNAME(conv)(w, C, cp, m->kernel, xi, 0, 1, n_pts, zero, NULL, h1);
            KNAME(conv)(w + conv_floats, C, cp, m->kernel, h1, first, 2, n_out, zero, xi, xo);
            memcpy(emb + i * nb * C + blk * C, xo + (n_out - 1) * cp, C * sizeof *emb);
            w += 2 * conv_floats;
            tmp = xi; /* x_{i+1} is the next block's input */
            xi = xo;
            xo = tmp;
        }
    }
}

#endif /* XF_TCN_KERNEL_INSTANCE */
