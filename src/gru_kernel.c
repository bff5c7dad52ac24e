/* gru_kernel.c - the GRU encoder's inference forward (no cache), as a
 * hand-written kernel: the recurrent product, the input projection, the
 * biases, the gate activations and the state update of one step are fused,
 * so that the gate pre-activations never leave the registers.
 *
 * Why not BLAS: a step is a product [b][H] x [H][3H] with b = 32 windows and
 * H = 64, far too small for a GEMM call (OpenBLAS packs W_hh again in each of
 * the t calls) and followed by element-wise work that then has to read the
 * product back from memory.  Here the weights are packed once per call and
 * every step is a register-blocked loop over them.
 *
 * Layout.  V is the vector width in floats, R the rows (windows) of a block;
 * Hp = H rounded up to V, the hidden units are taken V at a time ("unit
 * block" jb: units jb*V .. jb*V+V-1).  Per layer, the packed weights are
 *   panel[jb][k][g][V], k = 0 .. I+H-1, g = r, z, n:
 *     k <  I: W_ih[g*H + u][k]        (input weights)
 *     k >= I: W_hh[g*H + u][k - I]    (recurrent weights)
 *   bias[4][Hp]: b_ir + b_hr, b_iz + b_hz, b_hn, b_in
 * with u = jb*V + lane, and zeros for u >= H, so a unit block is one
 * contiguous (I+H) x 3V stream.  For a block of R windows and one unit block
 * the kernel keeps 4R vector accumulators: r and z (input and recurrent
 * parts together), the input part of n and the recurrent part of n, and
 * streams the panel once, each weight vector multiplied by the R windows'
 * broadcast inputs / previous states (3R FMAs per 3 loads).  Then the gates
 * are computed from the accumulators and the new state stored:
 *   r = sigmoid(acc_r), z = sigmoid(acc_z), n = tanh(acc_xn + r * acc_hn),
 *   h = (1 - z) * n + z * h_prev.
 * States are [2][bp][Hp] per layer (bp = b rounded up to R; the previous
 * step's and this step's, alternating), so one step reads h_{s-1} while
 * writing h_s.  All layers advance one step at a time: layer l at step s
 * reads layer l-1's state of step s, so no sequence of outputs is stored.
 * Padded units stay exactly 0; padded windows (b not a multiple of R) repeat
 * the last window's input and are never copied out.
 *
 * Results.  Every window is computed by the same sequence of operations, in
 * the same order, whatever its position in the block, the batch size or the
 * thread: the embedding of a window does not depend on its neighbours.  The
 * order of the sums differs from the training forward (gru.c with a cache,
 * BLAS), so the two agree to rounding (about 1e-7 relative), not bit for
 * bit.  sigmoid and tanh are computed by the formulas of activ.c.
 *
 * Instances.  On x86-64 the kernel below is compiled twice by including
 * this file into itself: an AVX2+FMA one (V = 8, R = 4: 12 accumulators of
 * the 16 ymm registers) and an AVX-512F one (V = 16, R = 8: 24 accumulators
 * of the 32 zmm registers for the recurrent loop), chosen at run time by the
 * CPU's features.  Elsewhere (other CPUs, other compilers) xf__gru_infer
 * declines and gru.c runs the same forward through BLAS: a portable
 * instance with 16-byte vectors measured 3x slower than that.
 *
 * Dependencies.  gru.c calls this file; this file calls nothing of gru.c:
 * it reads the parameters where the xf__gru struct says they are (the
 * offsets of the encoder's layout, encoder_gru.c) and the activation
 * formulas of activ.h.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_GRU_KERNEL_INSTANCE

#include <config.h>

#include <stdint.h>
#include <string.h>

#include "activ.h"
#include "kernel_cpu.h"
#include "nn.h"

#define XF_GRU_VMAX 16 /* widest vector of any instance, in floats */
#define XF_GRU_RMAX 8  /* most windows per block of any instance */

static size_t round_up(size_t n, size_t m)
{
    return (n + m - 1) / m * m;
}

/* Floats of packed weights of layer l: (I_l + H) * 3 * Hp + 4 * Hp. */
static size_t packed_size(const xf__gru *g, int l, size_t hp)
{
    size_t in = (size_t)(l == 0 ? g->n_in : g->n_hidden);
    return (in + (size_t)g->n_hidden) * 3 * hp + 4 * hp;
}

size_t xf__gru_infer_scratch_size(const xf__gru *g, size_t b)
{
    size_t hp = round_up((size_t)g->n_hidden, XF_GRU_VMAX), bp = round_up(b, XF_GRU_RMAX), n = 0;
    int l;
    for (l = 0; l < g->n_layers; l++)
        n += packed_size(g, l, hp);
    /* + states, + slack to align the start to 64 bytes */
    return n + (size_t)g->n_layers * 2 * bp * hp + XF_GRU_VMAX;
}

#if XF_KERNEL_X86_CLONES
static float *align64(float *p)
{
    uintptr_t a = (uintptr_t)p;
    return p + ((64 - a % 64) % 64) / sizeof *p;
}

/* Pack layer l's parameters (in p where g says) into dst (layout above)
 * for width v. */
static void pack_layer(const xf__gru *g, int l, const float *p, size_t v, size_t hp, float *dst)
{
    size_t H = (size_t)g->n_hidden, I = (size_t)(l == 0 ? g->n_in : g->n_hidden);
    const float *W_ih = p + g->at[l].W_ih, *W_hh = p + g->at[l].W_hh;
    const float *b_ih = p + g->at[l].b_ih, *b_hh = p + g->at[l].b_hh;
    float *bias = dst + (I + H) * 3 * hp;
    size_t jb, k, gi, lane, u;
    for (jb = 0; jb < hp / v; jb++)
        for (k = 0; k < I + H; k++)
            for (gi = 0; gi < 3; gi++)
                for (lane = 0; lane < v; lane++) {
                    u = jb * v + lane;
                    *dst++ = u >= H  ? 0.0f
                             : k < I ? W_ih[(gi * H + u) * I + k]
                                     : W_hh[(gi * H + u) * H + k - I];
                }
    for (u = 0; u < hp; u++) {
        int real = u < H;
        bias[u] = real ? b_ih[u] + b_hh[u] : 0.0f;
        bias[hp + u] = real ? b_ih[H + u] + b_hh[H + u] : 0.0f;
        bias[2 * hp + u] = real ? b_hh[2 * H + u] : 0.0f;
        bias[3 * hp + u] = real ? b_ih[2 * H + u] : 0.0f;
    }
}

#define XF_GRU_KERNEL_INSTANCE 1
#define KCAT2(a, b) a##_##b
#define KCAT(a, b) KCAT2(a, b)
#define KNAME(name) KCAT(name, KSUFFIX)

#define KSUFFIX avx2
#define KVB 32
#define KR 4
#define KTARGET __attribute__((target("avx2,fma")))
#include "gru_kernel.c"
#undef KSUFFIX
#undef KVB
#undef KR
#undef KTARGET

#define KSUFFIX avx512
#define KVB 64
#define KR 8
#define KTARGET __attribute__((target("avx2,fma,avx512f")))
#include "gru_kernel.c"
#undef KSUFFIX
#undef KVB
#undef KR
#undef KTARGET
#endif

int xf__gru_infer_available(void)
{
    return xf__kernel_isa() != XF__ISA_NONE;
}

int xf__gru_infer(const xf__gru *g, const float *p, const float *x, size_t b, size_t t, float *emb,
                  float *scratch)
{
    if (b == 0 || t == 0)
        return 1;
#if XF_KERNEL_X86_CLONES
    switch (xf__kernel_isa()) {
    case XF__ISA_AVX512:
        gru_infer_avx512(g, p, x, b, t, emb, scratch);
        return 1;
    case XF__ISA_AVX2:
        gru_infer_avx2(g, p, x, b, t, emb, scratch);
        return 1;
    default:
        break;
    }
#else
    (void)g, (void)p, (void)x, (void)emb, (void)scratch;
#endif
    return 0; /* no instance for this CPU: gru.c runs its BLAS path */
}

#else /* XF_GRU_KERNEL_INSTANCE: one instance of the kernel (KSUFFIX, KVB bytes, KR rows) */

#include "kernel_vec.h"

/* m ? a : b, lane by lane (m: all ones or all zeros per lane) */
static inline KTARGET KNAME(vf) KNAME(vsel)(KNAME(vi) m, KNAME(vf) a, KNAME(vf) b)
{
    return (KNAME(vf))((m & (KNAME(vi))a) | (~m & (KNAME(vi))b));
}

/* exp(x) for x in [-87, 87]: exp_core of activ.c, lane by lane */
static inline KTARGET KNAME(vf) KNAME(vexp)(KNAME(vf) x)
{
    KNAME(vf) n, r, q;
    KNAME(vu) bits;
    XF__EXP_REDUCE(x, n, r);
    /* 2^n from the exponent bits (unsigned: no overflow to worry about) */
    bits = ((KNAME(vu)) __builtin_convertvector(n, KNAME(vi)) + 127u) << 23;
    XF__EXP_POLY(r, q);
    return q * (KNAME(vf))bits;
}

/* 1 / (1 + exp(-x)): xf__sigmoid_v of activ.c */
static inline KTARGET KNAME(vf) KNAME(vsigmoid)(KNAME(vf) x)
{
    const KNAME(vf) hi = KNAME(vsplat)(87.0f), lo = KNAME(vsplat)(-87.0f);
    KNAME(vf) v = -x;
    v = KNAME(vsel)(v > hi, hi, v);
    v = KNAME(vsel)(v < lo, lo, v);
    return 1.0f / (1.0f + KNAME(vexp)(v));
}

/* tanh: xf__tanh_v of activ.c (odd Taylor series below 1/16, else
 * (1 - e) / (1 + e) with e = exp(-2|v|)) */
static inline KTARGET KNAME(vf) KNAME(vtanh)(KNAME(vf) v)
{
    const KNAME(vi) sign = (KNAME(vi)){0} + INT32_MIN;
    KNAME(vf) a = (KNAME(vf))((KNAME(vi))v & ~sign), a2 = a * a, small, big, e;
    small = a * (1.0f + a2 * (-1.0f / 3.0f + a2 * (2.0f / 15.0f + a2 * (-17.0f / 315.0f))));
    e = KNAME(vexp)(KNAME(vsel)(a > KNAME(vsplat)(43.0f), KNAME(vsplat)(-86.0f), -2.0f * a));
    big = (1.0f - e) / (1.0f + e);
    big = KNAME(vsel)(a < KNAME(vsplat)(0.0625f), small, big);
    /* big >= 0: give it v's sign (-0 stays -0, as in activ.c) */
    return (KNAME(vf))((KNAME(vi))big | ((KNAME(vi))v & sign));
}

/* One step of one layer for windows rb .. rb+KR-1: xin[i] points at window
 * rb+i's input of this step (I floats), hp / hc are the layer's previous /
 * new states [bp][hpad] (rows from rb on), w the packed layer. */
static KTARGET void KNAME(gru_step)(const float *const *xin, size_t I, size_t H, size_t hpad,
                                    const float *w, const float *hp, float *hc)
{
    enum { V = KVB / (int)sizeof(float) };
    const float *bias = w + (I + H) * 3 * hpad;
    size_t jb, k;
    int i;
    for (jb = 0; jb < hpad / V; jb++) {
        const float *pw = w + jb * (I + H) * 3 * V;
        KNAME(vf) ar[KR], az[KR], an[KR], ax[KR];
        KNAME(vf) b_r = KNAME(vload)(bias + jb * V), b_z = KNAME(vload)(bias + hpad + jb * V);
        KNAME(vf) b_hn = KNAME(vload)(bias + 2 * hpad + jb * V);
        KNAME(vf) b_in = KNAME(vload)(bias + 3 * hpad + jb * V);
        /* input part: r, z and the input part of n */
#pragma GCC unroll 8
        for (i = 0; i < KR; i++) {
            ar[i] = b_r;
            az[i] = b_z;
            ax[i] = b_in;
        }
        for (k = 0; k < I; k++, pw += 3 * V) {
            KNAME(vf) w_r = KNAME(vload)(pw), w_z = KNAME(vload)(pw + V);
            KNAME(vf) w_n = KNAME(vload)(pw + 2 * V);
#pragma GCC unroll 8
            for (i = 0; i < KR; i++) {
                float xv = xin[i][k];
                ar[i] += w_r * xv;
                az[i] += w_z * xv;
                ax[i] += w_n * xv;
            }
        }
        /* recurrent part: r, z and the recurrent part of n (with b_hn) */
#pragma GCC unroll 8
        for (i = 0; i < KR; i++)
            an[i] = b_hn;
        for (k = 0; k < H; k++, pw += 3 * V) {
            KNAME(vf) w_r = KNAME(vload)(pw), w_z = KNAME(vload)(pw + V);
            KNAME(vf) w_n = KNAME(vload)(pw + 2 * V);
#pragma GCC unroll 8
            for (i = 0; i < KR; i++) {
                float hv = hp[(size_t)i * hpad + k];
                ar[i] += w_r * hv;
                az[i] += w_z * hv;
                an[i] += w_n * hv;
            }
        }
        /* gates and the new state */
#pragma GCC unroll 8
        for (i = 0; i < KR; i++) {
            KNAME(vf) r = KNAME(vsigmoid)(ar[i]), z = KNAME(vsigmoid)(az[i]);
            KNAME(vf) n = KNAME(vtanh)(ax[i] + r * an[i]);
            KNAME(vf) h_prev = KNAME(vload)(hp + (size_t)i * hpad + jb * V);
            KNAME(vstore)(hc + (size_t)i * hpad + jb * V, (1.0f - z) * n + z * h_prev);
        }
    }
}

static KTARGET void KNAME(gru_infer)(const xf__gru *g, const float *p, const float *x, size_t b,
                                     size_t t, float *emb, float *scratch)
{
    enum { V = KVB / (int)sizeof(float) };
    size_t H = (size_t)g->n_hidden, L = (size_t)g->n_layers, I0 = (size_t)g->n_in;
    size_t hpad = round_up(H, V), bp = round_up(b, KR), n_packed = 0, s, rb, i, l;
    float *base = align64(scratch), *states;
    const float *xin[KR];

    for (l = 0; l < L; l++) {
        pack_layer(g, (int)l, p, V, hpad, base + n_packed);
        n_packed += packed_size(g, (int)l, hpad);
    }
    /* layer l's state of parity q: states + (2 l + q) bp hpad; h_{-1} = 0 */
    states = base + n_packed;
    memset(states, 0, L * 2 * bp * hpad * sizeof *states);
    for (s = 0; s < t; s++) {
        size_t q = s & 1, off = 0;
        for (l = 0; l < L; l++) {
            size_t I = l == 0 ? I0 : H;
            const float *w = base + off;
            const float *hp = states + (2 * l + (q ^ 1)) * bp * hpad;
            float *hc = states + (2 * l + q) * bp * hpad;
            for (rb = 0; rb < bp; rb += KR) {
                for (i = 0; i < KR; i++) {
                    if (l == 0) {
                        size_t row = rb + i < b ? rb + i : b - 1;
                        xin[i] = x + (row * t + s) * I0;
                    } else {
                        xin[i] = states + (2 * (l - 1) + q) * bp * hpad + (rb + i) * hpad;
                    }
                }
                KNAME(gru_step)(xin, I, H, hpad, w, hp + rb * hpad, hc + rb * hpad);
            }
            off += packed_size(g, (int)l, hpad);
        }
    }
    for (l = 0; l < L; l++) {
        const float *h = states + (2 * l + ((t - 1) & 1)) * bp * hpad;
        for (i = 0; i < b; i++)
            memcpy(emb + (i * L + l) * H, h + i * hpad, H * sizeof *emb);
    }
}

#endif /* XF_GRU_KERNEL_INSTANCE */
