/* encoder_gru.c - the GRU architecture: its configuration fields, its
 * parameter layout (the one place it is written) and the calls into its
 * kernels (gru.c, gru_kernel.c).  See encoder_arch.h.
 *
 * Layout, per layer l (I_0 = 2 input channels, else H), as torch.nn.GRU's
 * weight_ih_l<l>, weight_hh_l<l>, bias_ih_l<l>, bias_hh_l<l>:
 *   gru.l<l>.W_ih [3H][I_l], gru.l<l>.W_hh [3H][H], gru.l<l>.b_ih [3H],
 *   gru.l<l>.b_hh [3H]; rows in gate order r, z, n.
 * New weights: U(-1/sqrt(H), 1/sqrt(H)) for every tensor (PyTorch's default).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <assert.h>
#include <math.h>

#include "encoder_arch.h"
#include "nn.h"

/* A layer's tensors, in parameter order (the index of tensor k of layer l
 * in the layout is l * GRU_PER_LAYER + k). */
enum { GRU_W_IH, GRU_W_HH, GRU_B_IH, GRU_B_HH, GRU_PER_LAYER };

static const xf__encoder_field gru_fields[] = {
    {"encoder.n_layers", "layers", offsetof(xf_encoder_config, n_layers), 1, XF__GRU_MAX_LAYERS},
    {"encoder.n_hidden", "hidden size", offsetof(xf_encoder_config, n_hidden), 1, 4096},
};

static void gru_layout(const xf_encoder_config *cfg, xf__layout *lay)
{
    int64_t H = cfg->n_hidden;
    double bound = 1.0 / sqrt((double)cfg->n_hidden);
    int l;
    for (l = 0; l < cfg->n_layers; l++) {
        int64_t I = l == 0 ? cfg->n_inputs : H;
        xf__layout_add(lay, bound, 2, (const int64_t[]){3 * H, I}, "gru.l%d.W_ih", l);
        xf__layout_add(lay, bound, 2, (const int64_t[]){3 * H, H}, "gru.l%d.W_hh", l);
        xf__layout_add(lay, bound, 1, (const int64_t[]){3 * H}, "gru.l%d.b_ih", l);
        xf__layout_add(lay, bound, 1, (const int64_t[]){3 * H}, "gru.l%d.b_hh", l);
    }
}

/* The kernels' view of a configuration; with a layout, where the tensors are. */
static void gru_shape(const xf_encoder_config *cfg, const xf__tensor *tensors, xf__gru *g)
{
    int l;
    g->n_in = cfg->n_inputs;
    g->n_hidden = cfg->n_hidden;
    g->n_layers = cfg->n_layers;
    assert(cfg->n_layers >= 1 && cfg->n_layers <= XF__GRU_MAX_LAYERS);
    for (l = 0; l < g->n_layers; l++) {
        const xf__tensor *t = tensors != NULL ? tensors + (size_t)l * GRU_PER_LAYER : NULL;
        g->at[l].W_ih = t ? t[GRU_W_IH].offset : 0;
        g->at[l].W_hh = t ? t[GRU_W_HH].offset : 0;
        g->at[l].b_ih = t ? t[GRU_B_IH].offset : 0;
        g->at[l].b_hh = t ? t[GRU_B_HH].offset : 0;
    }
}

static size_t gru_embed_size(const xf_encoder_config *cfg)
{
    return (size_t)cfg->n_layers * (size_t)cfg->n_hidden;
}

static size_t gru_scratch_size(const xf_encoder_config *cfg, size_t b, size_t t)
{
    xf__gru g;
    gru_shape(cfg, NULL, &g);
    return xf__gru_scratch_size(&g, b, t);
}

static size_t gru_cache_size(const xf_encoder_config *cfg, size_t b, size_t t)
{
    xf__gru g;
    gru_shape(cfg, NULL, &g);
    return xf__gru_cache_size(&g, b, t);
}

static void gru_forward(const xf__encoder_net *net, const float *x, size_t b, size_t t, float *emb,
                        float *cache, float *scratch)
{
    xf__gru g;
    gru_shape(net->cfg, net->tensors, &g);
    xf__gru_forward(&g, net->params, x, b, t, emb, cache, scratch);
}

static void gru_backward(const xf__encoder_net *net, const float *x, size_t b, size_t t,
                         const float *demb, const float *cache, float *grad, float *scratch)
{
    xf__gru g;
    gru_shape(net->cfg, net->tensors, &g);
    xf__gru_backward(&g, net->params, x, b, t, demb, cache, grad, NULL, scratch);
}

/* The fused inference kernel computes every window alone (gru_kernel.c);
 * the BLAS fallback does not promise it. */
static int gru_batch_free(const xf_encoder_config *cfg)
{
    (void)cfg;
    return xf__gru_infer_available();
}

const xf__encoder_arch xf__encoder_arch_gru = {
    .abi_version = XF__ENCODER_ARCH_VERSION,
    .struct_size = sizeof(xf__encoder_arch),
    .name = "gru",
    .id = XF_ARCH_GRU,
    .fields = gru_fields,
    .n_fields = sizeof gru_fields / sizeof gru_fields[0],
    .check = NULL,
    .layout = gru_layout,
    .embed_size = gru_embed_size,
    .scratch_size = gru_scratch_size,
    .forward = gru_forward,
    .cache_size = gru_cache_size,
    .backward = gru_backward,
    .infer_batch_free = gru_batch_free,
};
