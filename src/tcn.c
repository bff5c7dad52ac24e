/* tcn.c - where the TCN runs: residual blocks of dilated causal 1-D
 * convolutions (Bai et al. 2018), forward and backward, as GEMMs.
 *
 *   x0 = W_in x + b_in                         (1x1 input projection)
 *   block i (dilation d = 2^i):
 *     h1 = relu(conv_d(x_i; W1, b1))
 *     h2 = relu(conv_d(h1; W2, b2))
 *     x_{i+1} = relu(x_i + h2)
 *   conv_d(u)[s] = b + sum_j W[:, j, :] u[s - j*d]   (u[<0] = 0: causal)
 * A convolution is an im2col copy ([b*t][kernel*C]) and one GEMM with the
 * weights [C][kernel*C].  The embedding is x_{i+1} at the last step of every
 * block, concatenated.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "nn.h"

static size_t conv_params(const xf__tcn *m)
{
    size_t c = (size_t)m->n_channels;
    return c * (size_t)m->kernel * c + c;
}

size_t xf__tcn_block_offset(const xf__tcn *m, int block)
{
    size_t c = (size_t)m->n_channels;
    return c * (size_t)m->n_in + c + (size_t)block * 2 * conv_params(m);
}

size_t xf__tcn_n_params(const xf__tcn *m)
{
    return xf__tcn_block_offset(m, m->n_blocks);
}

int xf__tcn_receptive_field(const xf__tcn *m)
{
    long rf = 1, d = 1;
    int i;
    for (i = 0; i < m->n_blocks; i++, d *= 2)
        rf += 2 * (long)(m->kernel - 1) * d;
    return rf > 1000000000L ? 1000000000 : (int)rf;
}

/* Cache: x_0 and per block h1, h2, x_{i+1}: (1 + 3 * n_blocks) * [b][t][C]. */
size_t xf__tcn_cache_size(const xf__tcn *m, size_t b, size_t t)
{
    return (1 + 3 * (size_t)m->n_blocks) * b * t * (size_t)m->n_channels;
}

/* Scratch: im2col [b][t][kernel*C] plus three [b][t][C] buffers. */
size_t xf__tcn_scratch_size(const xf__tcn *m, size_t b, size_t t)
{
    size_t c = (size_t)m->n_channels;
    return b * t * ((size_t)m->kernel * c + 3 * c);
}

/* im2col for a causal dilated convolution: col[i][s][j*C + c] = u[i][s-j*d][c]. */
static void im2col(const float *u, size_t b, size_t t, size_t c, int kernel, size_t d, float *col)
{
    size_t i, s, kc = (size_t)kernel * c;
    int j;
    for (i = 0; i < b; i++) {
        for (s = 0; s < t; s++) {
            float *row = col + (i * t + s) * kc;
            for (j = 0; j < kernel; j++) {
                size_t lag = (size_t)j * d;
                if (s >= lag)
                    memcpy(row + (size_t)j * c, u + (i * t + s - lag) * c, c * sizeof *row);
                else
                    memset(row + (size_t)j * c, 0, c * sizeof *row);
            }
        }
    }
}

/* du[i][s-j*d][c] += dcol[i][s][j*C + c]. */
static void col2im(const float *dcol, size_t b, size_t t, size_t c, int kernel, size_t d, float *du)
{
    size_t i, s, k, kc = (size_t)kernel * c;
    int j;
    for (i = 0; i < b; i++)
        for (s = 0; s < t; s++)
            for (j = 0; j < kernel; j++) {
                size_t lag = (size_t)j * d;
                const float *src = dcol + (i * t + s) * kc + (size_t)j * c;
                float *dst;
                if (s < lag)
                    continue;
                dst = du + (i * t + s - lag) * c;
                for (k = 0; k < c; k++)
                    dst[k] += src[k];
            }
}

/* x = max(x, 0) without branches (so the loop vectorises and the run time
 * does not depend on the weights): clear the values whose sign bit is set. */
static void relu(float *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        int32_t b;
        memcpy(&b, &x[i], sizeof b);
        b &= ~(b >> 31);
        memcpy(&x[i], &b, sizeof b);
    }
}

/* out = relu(conv(u) + bias). */
static void conv_relu(const float *w, const float *bias, const float *u, size_t b, size_t t,
                      size_t c, int kernel, size_t d, float *col, float *out)
{
    size_t r, k, n = b * t;
    im2col(u, b, t, c, kernel, d, col);
    for (r = 0; r < n; r++)
        memcpy(out + r * c, bias, c * sizeof *out);
    xf__sgemm(0, 1, n, c, (size_t)kernel * c, 1.0f, col, (size_t)kernel * c, w,
              (size_t)kernel * c, 1.0f, out, c);
    relu(out, n * c);
    (void)k;
}

void xf__tcn_forward(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t,
                     float *emb, float *cache, float *scratch)
{
    size_t c = (size_t)m->n_channels, bt = b * t, nb = (size_t)m->n_blocks, r, i, d = 1;
    float *col = scratch, *bufs = scratch + bt * (size_t)m->kernel * c;
    float *xi, *h1, *h2, *xo;
    int blk;
    const float *W_in = p, *b_in = p + c * (size_t)m->n_in;

    xi = cache ? cache : bufs;
    for (r = 0; r < bt; r++)
        memcpy(xi + r * c, b_in, c * sizeof *xi);
    xf__sgemm(0, 1, bt, c, (size_t)m->n_in, 1.0f, x, (size_t)m->n_in, W_in, (size_t)m->n_in, 1.0f,
              xi, c);
    for (blk = 0; blk < m->n_blocks; blk++, d *= 2) {
        const float *pb = p + xf__tcn_block_offset(m, blk);
        const float *W1 = pb, *b1 = W1 + c * (size_t)m->kernel * c, *W2 = b1 + c,
                    *b2 = W2 + c * (size_t)m->kernel * c;
        if (cache) {
            float *cb = cache + (1 + 3 * (size_t)blk) * bt * c;
            h1 = cb;
            h2 = cb + bt * c;
            xo = cb + 2 * bt * c;
        } else {
            /* rotate three buffers: xi is one of them */
            float *b0 = bufs, *b1b = bufs + bt * c, *b2b = bufs + 2 * bt * c;
            float *others[2];
            int k = 0;
            if (xi != b0)
                others[k++] = b0;
            if (xi != b1b)
                others[k++] = b1b;
            if (k < 2 && xi != b2b)
                others[k++] = b2b;
            h1 = others[0];
            h2 = others[1];
            xo = h1; /* h1 is dead once h2 is computed */
        }
        conv_relu(W1, b1, xi, b, t, c, m->kernel, d, col, h1);
        conv_relu(W2, b2, h1, b, t, c, m->kernel, d, col, h2);
        for (r = 0; r < bt * c; r++)
            xo[r] = xi[r] + h2[r];
        relu(xo, bt * c);
        for (i = 0; i < b; i++)
            memcpy(emb + i * nb * c + (size_t)blk * c, xo + (i * t + t - 1) * c, c * sizeof *emb);
        xi = xo;
    }
}

/* Backward of out = relu(conv(u) + bias) given dout (overwritten with the
 * pre-activation gradient); accumulates dW, db and du. */
static void conv_relu_backward(const float *w, const float *u, const float *out, float *dout,
                               size_t b, size_t t, size_t c, int kernel, size_t d, float *col,
                               float *dw, float *db, float *du)
{
    size_t r, k, n = b * t, kc = (size_t)kernel * c;
    for (r = 0; r < n * c; r++)
        if (out[r] <= 0.0f)
            dout[r] = 0.0f;
    for (r = 0; r < n; r++)
        for (k = 0; k < c; k++)
            db[k] += dout[r * c + k];
    im2col(u, b, t, c, kernel, d, col);
    xf__sgemm(1, 0, c, kc, n, 1.0f, dout, c, col, kc, 1.0f, dw, kc);
    /* dcol = dout W, then scatter back */
    xf__sgemm(0, 0, n, kc, c, 1.0f, dout, c, w, kc, 0.0f, col, kc);
    col2im(col, b, t, c, kernel, d, du);
}

void xf__tcn_backward(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t,
                      const float *demb, const float *cache, float *grad, float *dx,
                      float *scratch)
{
    size_t c = (size_t)m->n_channels, bt = b * t, nb = (size_t)m->n_blocks, r, i, k;
    float *col = scratch, *dxo = scratch + bt * (size_t)m->kernel * c;
    float *dh2 = dxo + bt * c, *dh1 = dh2 + bt * c;
    const float *W_in = p;
    float *dW_in = grad, *db_in = grad + c * (size_t)m->n_in;
    int blk;

    memset(dxo, 0, bt * c * sizeof *dxo);
    for (blk = m->n_blocks - 1; blk >= 0; blk--) {
        size_t d = (size_t)1 << blk;
        const float *cb = cache + (1 + 3 * (size_t)blk) * bt * c;
        const float *h1 = cb, *h2 = cb + bt * c, *xo = cb + 2 * bt * c;
        const float *xi = blk == 0 ? cache : cache + (1 + 3 * ((size_t)blk - 1)) * bt * c + 2 * bt * c;
        const float *pb = p + xf__tcn_block_offset(m, blk);
        const float *W1 = pb, *W2 = W1 + c * (size_t)m->kernel * c + c;
        float *gb = grad + xf__tcn_block_offset(m, blk);
        float *dW1 = gb, *db1 = dW1 + c * (size_t)m->kernel * c, *dW2 = db1 + c,
              *db2 = dW2 + c * (size_t)m->kernel * c;

        for (i = 0; i < b; i++)
            for (k = 0; k < c; k++)
                dxo[(i * t + t - 1) * c + k] += demb[i * nb * c + (size_t)blk * c + k];
        /* x_{i+1} = relu(x_i + h2): the gradient passes where x_{i+1} > 0 */
        for (r = 0; r < bt * c; r++)
            dxo[r] = xo[r] > 0.0f ? dxo[r] : 0.0f;
        memcpy(dh2, dxo, bt * c * sizeof *dh2);
        memset(dh1, 0, bt * c * sizeof *dh1);
        conv_relu_backward(W2, h1, h2, dh2, b, t, c, m->kernel, d, col, dW2, db2, dh1);
        /* dxo now becomes d x_i: the skip path (already in dxo) plus conv1's input gradient */
        conv_relu_backward(W1, xi, h1, dh1, b, t, c, m->kernel, d, col, dW1, db1, dxo);
    }
    /* input projection: x_0 = x W_in^T + b_in */
    for (r = 0; r < bt; r++)
        for (k = 0; k < c; k++)
            db_in[k] += dxo[r * c + k];
    xf__sgemm(1, 0, c, (size_t)m->n_in, bt, 1.0f, dxo, c, x, (size_t)m->n_in, 1.0f, dW_in,
              (size_t)m->n_in);
    if (dx != NULL)
        xf__sgemm(0, 0, bt, (size_t)m->n_in, c, 1.0f, dxo, c, W_in, (size_t)m->n_in, 1.0f, dx,
                  (size_t)m->n_in);
}
