/* gru.c - where the GRU runs: a stacked GRU encoder, forward and backward
 * (backpropagation through time), batched over windows so that the work is
 * GEMM.
 *
 * Equations (torch.nn.GRU; gates r, z, n in that order):
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 *   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *   h' = (1 - z) * n + z * h,      h_0 = 0
 * Training: the input projections of all steps are one GEMM ([b*t][I] x
 * [I][3H]); each step then needs one GEMM [b][H] x [H][3H] for the
 * recurrence.  Inference (no cache) runs the fused kernel of gru_kernel.c
 * where the CPU has one (AVX2 or AVX-512 on x86-64), else this same path.
 * Calls go one way: this file calls gru_kernel.c, never the reverse.  The
 * parameter layout is not written here: xf__gru says where each tensor is
 * (from encoder_gru.c's layout).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "activ.h"
#include "nn.h"

static size_t layer_in(const xf__gru *g, int l)
{
    return (size_t)(l == 0 ? g->n_in : g->n_hidden);
}

/* Cache per layer: gates [b][t][3H] (r, z, n after activation, in place of
 * the pre-activations), hn = W_hn h + b_hn [b][t][H], outputs h [b][t][H]. */
size_t xf__gru_cache_size(const xf__gru *g, size_t b, size_t t)
{
    return (size_t)g->n_layers * b * t * (5 * (size_t)g->n_hidden);
}

size_t xf__gru_scratch_size(const xf__gru *g, size_t b, size_t t)
{
    size_t h = (size_t)g->n_hidden;
    /* inference: the fused kernel's (gru_kernel.c), or through BLAS gates
     * [b][t][3H] + two layer outputs [b][t][H] + gh [b][3H] (training forward:
     * gh only); backward: dgates [b][t][3H] + dh_seq [b][t][H] + dh_next [b][H]
     * + dgh [b][3H] + dx of a layer [b][t][H] */
    size_t fwd = xf__gru_infer_scratch_size(g, b), blas = b * t * 3 * h + 2 * b * t * h + b * 3 * h;
    size_t bwd = b * t * 3 * h + 2 * b * t * h + b * h + b * 3 * h + b * h;
    if (fwd < blas)
        fwd = blas;
    return fwd > bwd ? fwd : bwd;
}

/* One layer forward through BLAS.  x [b][t][I]; out h [b][t][H]; gates
 * [b][t][3H] receives the input projections and then, step by step, the
 * activated gates r, z, n; hn [b][t][H] the recurrent part of the candidate
 * (kept for backward, may be a scratch row when not training: hn_step = 0).
 * Inference goes through the fused kernel of gru_kernel.c where the CPU
 * has one. */
static void layer_forward(const xf__gru *g, const float *p, int l, const float *x, size_t b,
                          size_t t, float *h_out, float *gates, float *hn, size_t hn_step,
                          float *gh)
{
    size_t H = (size_t)g->n_hidden, H3 = 3 * H, I = layer_in(g, l), i, s, k;
    const float *W_ih = p + g->at[l].W_ih, *W_hh = p + g->at[l].W_hh;
    const float *b_ih = p + g->at[l].b_ih, *b_hh = p + g->at[l].b_hh;

    /* input projection of every step at once */
    xf__sgemm(0, 1, b * t, H3, I, 1.0f, x, I, W_ih, I, 0.0f, gates, H3);
    for (s = 0; s < t; s++) {
        /* recurrent projection gh = h_{s-1} W_hh^T + b_hh (h_{-1} = 0) */
        if (s == 0) {
            for (i = 0; i < b; i++)
                memcpy(gh + i * H3, b_hh, H3 * sizeof *gh);
        } else {
            for (i = 0; i < b; i++)
                memcpy(gh + i * H3, b_hh, H3 * sizeof *gh);
            xf__sgemm(0, 1, b, H3, H, 1.0f, h_out + (s - 1) * H, t * H, W_hh, H, 1.0f, gh, H3);
        }
        for (i = 0; i < b; i++) {
            float *gt = gates + (i * t + s) * H3;
            const float *ghi = gh + i * H3;
            float *hni = hn + (i * t + s) * hn_step;
            float *hs = h_out + (i * t + s) * H;
            const float *hp = s > 0 ? hs - H : NULL;
            /* r and z: sigmoid of input + recurrent projections */
            for (k = 0; k < 2 * H; k++)
                gt[k] += b_ih[k] + ghi[k];
            xf__sigmoid_v(gt, 2 * H);
            /* candidate n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) */
            for (k = 0; k < H; k++)
                gt[2 * H + k] += b_ih[2 * H + k] + gt[k] * ghi[2 * H + k];
            if (hn_step)
                memcpy(hni, ghi + 2 * H, H * sizeof *hni);
            xf__tanh_v(gt + 2 * H, H);
            if (hp != NULL)
                for (k = 0; k < H; k++)
                    hs[k] = (1.0f - gt[H + k]) * gt[2 * H + k] + gt[H + k] * hp[k];
            else
                for (k = 0; k < H; k++)
                    hs[k] = (1.0f - gt[H + k]) * gt[2 * H + k];
        }
    }
}

void xf__gru_forward(const xf__gru *g, const float *p, const float *x, size_t b, size_t t,
                     float *emb, float *cache, float *scratch)
{
    size_t H = (size_t)g->n_hidden, L = (size_t)g->n_layers, i;
    int l;
    const float *in = x;
    if (cache == NULL && xf__gru_infer(g, p, x, b, t, emb, scratch))
        return;
    for (l = 0; l < g->n_layers; l++) {
        float *gates, *hn, *h_out, *gh;
        size_t hn_step;
        if (cache != NULL) {
            float *c = cache + (size_t)l * b * t * 5 * H;
            gates = c;
            hn = c + b * t * 3 * H;
            h_out = hn + b * t * H;
            hn_step = H;
            gh = scratch;
        } else {
            gates = scratch;
            h_out = scratch + b * t * 3 * H + (size_t)(l & 1) * b * t * H;
            gh = scratch + b * t * 3 * H + 2 * b * t * H;
            hn = gh; /* unused: hn_step = 0 */
            hn_step = 0;
        }
        layer_forward(g, p, l, in, b, t, h_out, gates, hn, hn_step, gh);
        for (i = 0; i < b; i++)
            memcpy(emb + i * L * H + (size_t)l * H, h_out + (i * t + t - 1) * H, H * sizeof *emb);
        in = h_out;
    }
}

void xf__gru_backward(const xf__gru *g, const float *p, const float *x, size_t b, size_t t,
                      const float *demb, const float *cache, float *grad, float *dx, float *scratch)
{
    size_t H = (size_t)g->n_hidden, H3 = 3 * H, L = (size_t)g->n_layers, i, k;
    float *dgates = scratch;             /* [b][t][3H]: d(pre-activation) per gate */
    float *dh_seq = dgates + b * t * H3; /* [b][t][H]: gradient reaching each output */
    float *dx_l = dh_seq + b * t * H;    /* [b][t][H]: gradient to the layer's input */
    float *dh = dx_l + b * t * H;        /* [b][H]: running d h_s */
    float *dgh = dh + b * H;             /* [b][3H]: d(recurrent projection) */
    int l;

    memset(dh_seq, 0, b * t * H * sizeof *dh_seq);
    for (l = g->n_layers - 1; l >= 0; l--) {
        const float *c = cache + (size_t)l * b * t * 5 * H;
        const float *gates = c, *hn = c + b * t * H3, *h_out = hn + b * t * H;
        const float *in = l == 0 ? x : cache + (size_t)(l - 1) * b * t * 5 * H + b * t * 4 * H;
        size_t I = layer_in(g, l), s;
        const float *W_ih = p + g->at[l].W_ih, *W_hh = p + g->at[l].W_hh;
        float *dW_ih = grad + g->at[l].W_ih, *dW_hh = grad + g->at[l].W_hh;
        float *db_ih = grad + g->at[l].b_ih, *db_hh = grad + g->at[l].b_hh;

        /* the embedding took this layer's last output */
        for (i = 0; i < b; i++)
            for (k = 0; k < H; k++)
                dh_seq[(i * t + t - 1) * H + k] += demb[i * L * H + (size_t)l * H + k];
        memset(dh, 0, b * H * sizeof *dh);
        for (s = t; s-- > 0;) {
            for (i = 0; i < b; i++) {
                const float *gt = gates + (i * t + s) * H3;
                const float *hni = hn + (i * t + s) * H;
                const float *hp = s > 0 ? h_out + (i * t + s - 1) * H : NULL;
                float *dgt = dgates + (i * t + s) * H3;
                float *dghi = dgh + i * H3;
                float *dhi = dh + i * H;
                const float *dsi = dh_seq + (i * t + s) * H;
                for (k = 0; k < H; k++) {
                    float r = gt[k], z = gt[H + k], n = gt[2 * H + k];
                    float d = dhi[k] + dsi[k];
                    float hprev = hp ? hp[k] : 0.0f;
                    float dz = d * (hprev - n), dn = d * (1.0f - z);
                    float da_n = dn * (1.0f - n * n);
                    float dr = da_n * hni[k];
                    float da_r = dr * r * (1.0f - r), da_z = dz * z * (1.0f - z);
                    dgt[k] = da_r;
                    dgt[H + k] = da_z;
                    dgt[2 * H + k] = da_n;
                    dghi[k] = da_r;
                    dghi[H + k] = da_z;
                    dghi[2 * H + k] = da_n * r;
                    dhi[k] = d * z; /* direct path; the recurrent path is added below */
                }
            }
            if (s > 0) {
                /* dh_{s-1} += dgh W_hh;  dW_hh += dgh^T h_{s-1} */
                xf__sgemm(0, 0, b, H, H3, 1.0f, dgh, H3, W_hh, H, 1.0f, dh, H);
                xf__sgemm(1, 0, H3, H, b, 1.0f, dgh, H3, h_out + (s - 1) * H, t * H, 1.0f, dW_hh,
                          H);
            }
            for (i = 0; i < b; i++)
                for (k = 0; k < H3; k++)
                    db_hh[k] += dgh[i * H3 + k];
        }
        /* input side, all steps at once */
        xf__sgemm(1, 0, H3, I, b * t, 1.0f, dgates, H3, in, I, 1.0f, dW_ih, I);
        for (i = 0; i < b * t; i++)
            for (k = 0; k < H3; k++)
                db_ih[k] += dgates[i * H3 + k];
        if (l > 0) {
            xf__sgemm(0, 0, b * t, I, H3, 1.0f, dgates, H3, W_ih, I, 0.0f, dx_l, I);
            memcpy(dh_seq, dx_l, b * t * H * sizeof *dh_seq);
        } else if (dx != NULL) {
            xf__sgemm(0, 0, b * t, I, H3, 1.0f, dgates, H3, W_ih, I, 1.0f, dx, I);
        }
    }
}
