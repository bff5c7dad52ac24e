/* encoder_tcn.c - the TCN architecture: its configuration fields and
 * checks, its parameter layout (the one place it is written) and the calls
 * into its kernels (tcn.c).  See encoder_arch.h.
 *
 * Layout (C channels, k taps, 2 input channels):
 *   tcn.in.W [C][2], tcn.in.b [C]                        1x1 input projection
 *   per block i: tcn.b<i>.W1 [C][k][C], tcn.b<i>.b1 [C],  first convolution
 *                tcn.b<i>.W2 [C][k][C], tcn.b<i>.b2 [C]   second convolution
 * New weights (PyTorch's torch.nn.Conv1d default): U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in)), fan_in = n_inputs for the input projection, k*C in the blocks.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <assert.h>
#include <math.h>

#include "encoder_arch.h"
#include "nn.h"

/* Tensors in parameter order: the input projection, then per block (the
 * index of tensor k of block i in the layout is TCN_IN + i * TCN_PER_BLOCK + k). */
enum { TCN_IN_W, TCN_IN_B, TCN_IN };
enum { TCN_W1, TCN_B1, TCN_W2, TCN_B2, TCN_PER_BLOCK };

static const xf__encoder_field tcn_fields[] = {
    {"encoder.n_channels", "channels", offsetof(xf_encoder_config, n_channels), 1, 4096},
    {"encoder.n_blocks", "blocks", offsetof(xf_encoder_config, n_blocks), 1, XF__TCN_MAX_BLOCKS},
    {"encoder.kernel_size", "kernel size", offsetof(xf_encoder_config, kernel_size), 2, 64},
};

/* The kernels' view of a configuration; with a layout, where the tensors are. */
static void tcn_shape(const xf_encoder_config *cfg, const xf__tensor *tensors, xf__tcn *m)
{
    int blk;
    m->n_in = cfg->n_inputs;
    m->n_channels = cfg->n_channels;
    m->n_blocks = cfg->n_blocks;
    m->kernel = cfg->kernel_size;
    assert(cfg->n_blocks >= 1 && cfg->n_blocks <= XF__TCN_MAX_BLOCKS);
    m->W_in = tensors ? tensors[TCN_IN_W].offset : 0;
    m->b_in = tensors ? tensors[TCN_IN_B].offset : 0;
    for (blk = 0; blk < m->n_blocks; blk++) {
        const xf__tensor *t = tensors ? tensors + TCN_IN + (size_t)blk * TCN_PER_BLOCK : NULL;
        m->at[blk].W1 = t ? t[TCN_W1].offset : 0;
        m->at[blk].b1 = t ? t[TCN_B1].offset : 0;
        m->at[blk].W2 = t ? t[TCN_W2].offset : 0;
        m->at[blk].b2 = t ? t[TCN_B2].offset : 0;
    }
}

static int tcn_check(const xf_encoder_config *cfg, xf_error *err)
{
    xf__tcn m;
    tcn_shape(cfg, NULL, &m);
    if (xf__tcn_receptive_field(&m) < cfg->context)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "TCN receptive field %d is shorter than the context %d: add blocks or "
                        "widen the kernel",
                        xf__tcn_receptive_field(&m), (int)cfg->context);
    return XF_OK;
}

static void tcn_layout(const xf_encoder_config *cfg, xf__layout *lay)
{
    int64_t C = cfg->n_channels, k = cfg->kernel_size;
    int64_t I = cfg->n_inputs;
    double in_bound = 1.0 / sqrt((double)I);
    double bound = 1.0 / sqrt((double)(k * C));
    int blk, w;
    xf__layout_add(lay, in_bound, 2, (const int64_t[]){C, I}, "tcn.in.W");
    xf__layout_add(lay, in_bound, 1, (const int64_t[]){C}, "tcn.in.b");
    for (blk = 0; blk < cfg->n_blocks; blk++)
        for (w = 1; w <= 2; w++) {
            xf__layout_add(lay, bound, 3, (const int64_t[]){C, k, C}, "tcn.b%d.W%d", blk, w);
            xf__layout_add(lay, bound, 1, (const int64_t[]){C}, "tcn.b%d.b%d", blk, w);
        }
}

static size_t tcn_embed_size(const xf_encoder_config *cfg)
{
    return (size_t)cfg->n_blocks * (size_t)cfg->n_channels;
}

static size_t tcn_scratch_size(const xf_encoder_config *cfg, size_t b, size_t t)
{
    xf__tcn m;
    tcn_shape(cfg, NULL, &m);
    return xf__tcn_scratch_size(&m, b, t);
}

static size_t tcn_cache_size(const xf_encoder_config *cfg, size_t b, size_t t)
{
    xf__tcn m;
    tcn_shape(cfg, NULL, &m);
    return xf__tcn_cache_size(&m, b, t);
}

static void tcn_forward(const xf__encoder_net *net, const float *x, size_t b, size_t t, float *emb,
                        float *cache, float *scratch)
{
    xf__tcn m;
    tcn_shape(net->cfg, net->tensors, &m);
    xf__tcn_forward(&m, net->params, x, b, t, emb, cache, scratch);
}

static void tcn_backward(const xf__encoder_net *net, const float *x, size_t b, size_t t,
                         const float *demb, const float *cache, float *grad, float *scratch)
{
    xf__tcn m;
    tcn_shape(net->cfg, net->tensors, &m);
    xf__tcn_backward(&m, net->params, x, b, t, demb, cache, grad, NULL, scratch);
}

/* The inference kernel computes every window alone (tcn_kernel.c); the
 * BLAS fallback does not promise it. */
static int tcn_batch_free(const xf_encoder_config *cfg)
{
    (void)cfg;
    return xf__tcn_infer_available();
}

const xf__encoder_arch xf__encoder_arch_tcn = {
    .abi_version = XF__ENCODER_ARCH_VERSION,
    .struct_size = sizeof(xf__encoder_arch),
    .name = "tcn",
    .id = XF_ARCH_TCN,
    .fields = tcn_fields,
    .n_fields = sizeof tcn_fields / sizeof tcn_fields[0],
    .check = tcn_check,
    .layout = tcn_layout,
    .embed_size = tcn_embed_size,
    .scratch_size = tcn_scratch_size,
    .forward = tcn_forward,
    .cache_size = tcn_cache_size,
    .backward = tcn_backward,
    .infer_batch_free = tcn_batch_free,
};
