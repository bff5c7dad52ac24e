/* tcn.c - where the TCN runs: residual blocks of dilated causal 1-D
 * convolutions (Bai et al. 2018), forward and backward, as GEMMs.
 *
 *   x0 = W_in x + b_in                         (1x1 input projection)
 *   block i (dilation d = 2^i):
 *     h1 = relu(conv_d(x_i; W1, b1))
 *     h2 = relu(conv_d(h1; W2, b2))
 *     x_{i+1} = relu(x_i + h2)
 *   conv_d(u)[s] = b + sum_j W[:, j, :] u[s - j*d]   (u[<0] = 0: causal)
 * A convolution is an im2col copy ([rows][kernel*C]) and one GEMM with the
 * weights [C][kernel*C].  The embedding is x_{i+1} at the last step of every
 * block, concatenated; only the steps that can reach it are computed (see
 * grid_points below).  Where each tensor is in the parameters is not written
 * here: xf__tcn says (from encoder_tcn.c's layout).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "nn.h"

int xf__tcn_receptive_field(const xf__tcn *m)
{
    long rf = 1, d = 1;
    int i;
    for (i = 0; i < m->n_blocks; i++, d *= 2)
        rf += 2 * (long)(m->kernel - 1) * d;
    return rf > 1000000000L ? 1000000000 : (int)rf;
}

/* Only the embedding is ever needed - every block's output at the last
 * step - and the dilations double from block to block, so most of the
 * sequence never influences it.  Block i (dilation d = 2^i) needs its input
 * only at the steps t-1, t-1-d, t-1-2d, ... (its "grid", n_i = (t-1)/d + 1
 * points) and its output only on the next block's grid (every other point).
 * On its grid a dilated convolution is an ordinary one (tap j reads grid
 * point q - j), so each block computes h1 on n_i points and h2 and x_{i+1}
 * on n_{i+1} points: about 1/6 of the work of the full sequence for 9
 * blocks, with exactly the same result (the steps skipped cannot reach the
 * embedding).  Sequences below are stored per window in time order, the
 * last point being step t-1. */
static size_t grid_points(size_t t, size_t d)
{
    return (t - 1) / d + 1;
}

/* Cache: x_0 [b][t][C], then per block h1 [b][n_i][C], h2 and x_{i+1}
 * [b][n_{i+1}][C]. */
size_t xf__tcn_cache_size(const xf__tcn *m, size_t b, size_t t)
{
    size_t c = (size_t)m->n_channels, rows = t, d = 1;
    int blk;
    for (blk = 0; blk < m->n_blocks; blk++, d *= 2)
        rows += grid_points(t, d) + 2 * grid_points(t, 2 * d);
    return rows * b * c;
}

/* Offset in the cache of block blk's h1 (h2 and x_{i+1} follow it). */
static size_t cache_block(const xf__tcn *m, size_t b, size_t t, int blk)
{
    size_t c = (size_t)m->n_channels, rows = t, d = 1;
    int i;
    for (i = 0; i < blk; i++, d *= 2)
        rows += grid_points(t, d) + 2 * grid_points(t, 2 * d);
    return rows * b * c;
}

/* Scratch: im2col [b][t][kernel*C] plus four [b][t][C] buffers, or the
 * inference kernel's (tcn_kernel.c) if that is more. */
size_t xf__tcn_scratch_size(const xf__tcn *m, size_t b, size_t t)
{
    size_t c = (size_t)m->n_channels, blas = b * t * ((size_t)m->kernel * c + 4 * c);
    size_t infer = xf__tcn_infer_scratch_size(m, t);
    return blas > infer ? blas : infer;
}

/* im2col of a causal convolution on a grid: u holds nu points per window,
 * output point q reads u at s = first + stride*q and taps s - j (zero before
 * the first point): col[i][q][j*C + c] = u[i][s-j][c]. */
static void im2col(const float *u, size_t b, size_t nu, size_t c, int kernel, size_t no,
                   size_t first, size_t stride, float *col)
{
    size_t i, q, kc = (size_t)kernel * c;
    int j;
    for (i = 0; i < b; i++) {
        for (q = 0; q < no; q++) {
            float *row = col + (i * no + q) * kc;
            size_t s = first + stride * q;
            for (j = 0; j < kernel; j++) {
                if (s >= (size_t)j)
                    memcpy(row + (size_t)j * c, u + (i * nu + s - (size_t)j) * c, c * sizeof *row);
                else
                    memset(row + (size_t)j * c, 0, c * sizeof *row);
            }
        }
    }
}

/* The adjoint of im2col: du[i][s-j][c] += dcol[i][q][j*C + c]. */
static void col2im(const float *dcol, size_t b, size_t nu, size_t c, int kernel, size_t no,
                   size_t first, size_t stride, float *du)
{
    size_t i, q, k, kc = (size_t)kernel * c;
    int j;
    for (i = 0; i < b; i++)
        for (q = 0; q < no; q++) {
            size_t s = first + stride * q;
            for (j = 0; j < kernel; j++) {
                const float *src = dcol + (i * no + q) * kc + (size_t)j * c;
                float *dst;
                if (s < (size_t)j)
                    continue;
                dst = du + (i * nu + s - (size_t)j) * c;
                for (k = 0; k < c; k++)
                    dst[k] += src[k];
            }
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

/* One convolution on a grid (see im2col): out [b][no][C] = relu(conv(u) + bias). */
typedef struct conv_geom {
    size_t nu, no, first, stride;
} conv_geom;

static void conv_relu(const float *w, const float *bias, const float *u, size_t b, size_t c,
                      int kernel, conv_geom g, float *col, float *out)
{
    size_t r, n = b * g.no, kc = (size_t)kernel * c;
    im2col(u, b, g.nu, c, kernel, g.no, g.first, g.stride, col);
    for (r = 0; r < n; r++)
        memcpy(out + r * c, bias, c * sizeof *out);
    xf__sgemm(0, 1, n, c, kc, 1.0f, col, kc, w, kc, 1.0f, out, c);
    relu(out, n * c);
}

/* The two convolutions of block blk (dilation d): h1 on every point of the
 * block's grid, h2 on every other point (the next block's grid). */
static void block_geometry(size_t t, size_t d, conv_geom *g1, conv_geom *g2)
{
    size_t n_in = grid_points(t, d), n_out = grid_points(t, 2 * d);
    g1->nu = g1->no = n_in;
    g1->first = 0;
    g1->stride = 1;
    g2->nu = n_in;
    g2->no = n_out;
    g2->first = (n_in - 1) - 2 * (n_out - 1);
    g2->stride = 2;
}

void xf__tcn_forward(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t,
                     float *emb, float *cache, float *scratch)
{
    size_t c = (size_t)m->n_channels, bt = b * t, nb = (size_t)m->n_blocks, r, i, k, d = 1;
    float *col = scratch, *bufs = scratch + bt * (size_t)m->kernel * c;
    float *xi, *h1, *h2, *xo;
    int blk;
    const float *W_in = p + m->W_in, *b_in = p + m->b_in;

    if (cache == NULL && xf__tcn_infer(m, p, x, b, t, emb, scratch))
        return;
    xi = cache ? cache : bufs;
    for (r = 0; r < bt; r++)
        memcpy(xi + r * c, b_in, c * sizeof *xi);
    xf__sgemm(0, 1, bt, c, (size_t)m->n_in, 1.0f, x, (size_t)m->n_in, W_in, (size_t)m->n_in, 1.0f,
              xi, c);
    for (blk = 0; blk < m->n_blocks; blk++, d *= 2) {
        const float *W1 = p + m->at[blk].W1, *b1 = p + m->at[blk].b1;
        const float *W2 = p + m->at[blk].W2, *b2 = p + m->at[blk].b2;
        conv_geom g1, g2;
        size_t no;
        block_geometry(t, d, &g1, &g2);
        no = g2.no;
        if (cache) {
            h1 = cache + cache_block(m, b, t, blk);
            h2 = h1 + b * g1.no * c;
            xo = h2 + b * no * c;
        } else {
            /* rotate three buffers: xi is one of them */
            float *b0 = bufs, *b1b = bufs + bt * c, *b2b = bufs + 2 * bt * c;
            float *others[2];
            int n = 0;
            if (xi != b0)
                others[n++] = b0;
            if (xi != b1b)
                others[n++] = b1b;
            if (n < 2 && xi != b2b)
                others[n++] = b2b;
            h1 = others[0];
            h2 = others[1];
            xo = h1; /* h1 is dead once h2 is computed */
        }
        conv_relu(W1, b1, xi, b, c, m->kernel, g1, col, h1);
        conv_relu(W2, b2, h1, b, c, m->kernel, g2, col, h2);
        for (i = 0; i < b; i++)
            for (r = 0; r < no; r++) {
                const float *xs = xi + (i * g2.nu + g2.first + 2 * r) * c;
                float *xd = xo + (i * no + r) * c;
                const float *hs = h2 + (i * no + r) * c;
                for (k = 0; k < c; k++)
                    xd[k] = xs[k] + hs[k];
            }
        relu(xo, b * no * c);
        for (i = 0; i < b; i++)
            memcpy(emb + i * nb * c + (size_t)blk * c, xo + (i * no + no - 1) * c, c * sizeof *emb);
        xi = xo;
    }
}

/* Backward of out = relu(conv(u) + bias) given dout (overwritten with the
 * pre-activation gradient); accumulates dW, db and du. */
static void conv_relu_backward(const float *w, const float *u, const float *out, float *dout,
                               size_t b, size_t c, int kernel, conv_geom g, float *col, float *dw,
                               float *db, float *du)
{
    size_t r, k, n = b * g.no, kc = (size_t)kernel * c;
    for (r = 0; r < n * c; r++)
        if (out[r] <= 0.0f)
            dout[r] = 0.0f;
    for (r = 0; r < n; r++)
        for (k = 0; k < c; k++)
            db[k] += dout[r * c + k];
    im2col(u, b, g.nu, c, kernel, g.no, g.first, g.stride, col);
    xf__sgemm(1, 0, c, kc, n, 1.0f, dout, c, col, kc, 1.0f, dw, kc);
    /* dcol = dout W, then scatter back */
    xf__sgemm(0, 0, n, kc, c, 1.0f, dout, c, w, kc, 0.0f, col, kc);
    col2im(col, b, g.nu, c, kernel, g.no, g.first, g.stride, du);
}

void xf__tcn_backward(const xf__tcn *m, const float *p, const float *x, size_t b, size_t t,
                      const float *demb, const float *cache, float *grad, float *dx, float *scratch)
{
    size_t c = (size_t)m->n_channels, bt = b * t, nb = (size_t)m->n_blocks, r, i, k;
    float *col = scratch, *dxo = scratch + bt * (size_t)m->kernel * c;
    float *dxi = dxo + bt * c, *dh2 = dxi + bt * c, *dh1 = dh2 + bt * c;
    const float *W_in = p + m->W_in;
    float *dW_in = grad + m->W_in, *db_in = grad + m->b_in;
    int blk;

    /* dxo: the gradient reaching the last block's output (on its grid) */
    memset(dxo, 0, b * grid_points(t, (size_t)1 << m->n_blocks) * c * sizeof *dxo);
    for (blk = m->n_blocks - 1; blk >= 0; blk--) {
        size_t d = (size_t)1 << blk, no;
        conv_geom g1, g2;
        const float *h1, *h2, *xo, *xi;
        const float *W1 = p + m->at[blk].W1, *W2 = p + m->at[blk].W2;
        float *dW1 = grad + m->at[blk].W1, *db1 = grad + m->at[blk].b1;
        float *dW2 = grad + m->at[blk].W2, *db2 = grad + m->at[blk].b2, *tmp;

        block_geometry(t, d, &g1, &g2);
        no = g2.no;
        h1 = cache + cache_block(m, b, t, blk);
        h2 = h1 + b * g1.no * c;
        xo = h2 + b * no * c;
        xi = blk == 0 ? cache
                      : cache + cache_block(m, b, t, blk - 1) +
                            b * (grid_points(t, d / 2) + grid_points(t, d)) * c;

        for (i = 0; i < b; i++)
            for (k = 0; k < c; k++)
                dxo[(i * no + no - 1) * c + k] += demb[i * nb * c + (size_t)blk * c + k];
        /* x_{i+1} = relu(x_i + h2): the gradient passes where x_{i+1} > 0 */
        for (r = 0; r < b * no * c; r++)
            dxo[r] = xo[r] > 0.0f ? dxo[r] : 0.0f;
        memcpy(dh2, dxo, b * no * c * sizeof *dh2);
        /* d x_i: the skip path onto every other grid point, then conv1's input gradient */
        memset(dxi, 0, b * g1.no * c * sizeof *dxi);
        for (i = 0; i < b; i++)
            for (r = 0; r < no; r++) {
                float *dd = dxi + (i * g1.no + g2.first + 2 * r) * c;
                const float *ds = dxo + (i * no + r) * c;
                for (k = 0; k < c; k++)
                    dd[k] = ds[k];
            }
        memset(dh1, 0, b * g1.no * c * sizeof *dh1);
        conv_relu_backward(W2, h1, h2, dh2, b, c, m->kernel, g2, col, dW2, db2, dh1);
        conv_relu_backward(W1, xi, h1, dh1, b, c, m->kernel, g1, col, dW1, db1, dxi);
        tmp = dxo;
        dxo = dxi;
        dxi = tmp;
    }
    /* input projection: x_0 = x W_in^T + b_in (dxo now holds d x_0 over all t steps) */
    for (r = 0; r < bt; r++)
        for (k = 0; k < c; k++)
            db_in[k] += dxo[r * c + k];
    xf__sgemm(1, 0, c, (size_t)m->n_in, bt, 1.0f, dxo, c, x, (size_t)m->n_in, 1.0f, dW_in,
              (size_t)m->n_in);
    if (dx != NULL)
        xf__sgemm(0, 0, bt, (size_t)m->n_in, c, 1.0f, dxo, c, W_in, (size_t)m->n_in, 1.0f, dx,
                  (size_t)m->n_in);
}
