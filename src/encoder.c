/* encoder.c - the public encoder: configuration, weights, workspaces,
 * instance normalisation and batched embedding, on top of any architecture
 * (encoder_arch.h: GRU in encoder_gru.c, TCN in encoder_tcn.c), reached only
 * through its descriptor.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "abi.h"
#include "encoder_internal.h"
#include "model_check.h"
#include "xfcast/xfm.h"

static void encoder_config_defaults(xf_encoder_config *cfg, xf_arch arch)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->struct_size = sizeof *cfg;
    cfg->arch = arch;
    cfg->context = 512;
    cfg->n_layers = 1;
    cfg->n_hidden = 64;
    cfg->n_channels = 32;
    cfg->n_blocks = 9;
    cfg->kernel_size = 3;
    cfg->n_inputs = XF_ENCODER_N_IN;
}

void xf_encoder_config_init_sized(xf_encoder_config *cfg, xf_arch arch, size_t size)
{
    xf_encoder_config d;
    if (cfg == NULL)
        return;
    encoder_config_defaults(&d, arch);
    xf__init_sized(cfg, &d, sizeof d, size);
}

/* The function itself, for programs that call it without the header's
 * macro: the struct as of libtool version 3. */
void(xf_encoder_config_init)(xf_encoder_config *cfg, xf_arch arch)
{
    xf_encoder_config_init_sized(cfg, arch, XF__ENCODER_CONFIG_V3);
}

static void uniform_fill(gsl_rng *rng, float *p, size_t n, double bound)
{
    size_t i;
    for (i = 0; i < n; i++)
        p[i] = (float)((2.0 * gsl_rng_uniform(rng) - 1.0) * bound);
}

int xf_encoder_new(const xf_encoder_config *cfg, uint64_t seed, xf_encoder **out, xf_error *err)
{
    const xf__encoder_arch *arch = xf__encoder_arch_by_id(cfg->arch);
    xf_encoder_config in;
    *out = NULL;
    if (arch == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "unknown encoder architecture %d", (int)cfg->arch);
    xf_encoder_config_init(&in, cfg->arch);
    XF__IMPORT_OPTIONS(in, cfg, XF__ENCODER_CONFIG_V1, xf_encoder_config, err);
    return xf__encoder_new_arch(arch, cfg, seed, out, err);
}

int xf__encoder_new_arch(const xf__encoder_arch *arch, const xf_encoder_config *cfg, uint64_t seed,
                         xf_encoder **out, xf_error *err)
{
    xf_encoder *e;
    xf_encoder_config c = *cfg;
    gsl_rng rng;
    size_t i;
    int rc;
    *out = NULL;
    if ((rc = xf__encoder_arch_validate(arch, err)) != XF_OK)
        return rc;
    c.arch = (xf_arch)arch->id;
    if ((rc = xf__encoder_arch_check_config(arch, &c, err)) != XF_OK)
        return rc;
    e = calloc(1, sizeof *e);
    if (e == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    e->arch = arch;
    e->cfg = c;
    if ((rc = xf__encoder_arch_layout(arch, &c, &e->tensors, &e->n_tensors, &e->n_params, err)) !=
        XF_OK) {
        xf_encoder_free(e);
        return rc;
    }
    e->embed_size = arch->embed_size(&c);
    if (e->embed_size == 0) {
        xf_encoder_free(e);
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "encoder architecture '%s' gives an empty "
                        "embedding",
                        arch->name);
    }
    e->params = xf__malloc_array(e->n_params, sizeof *e->params);
    /* the RNG is built here, not by gsl_rng_alloc: when its malloc fails,
     * gsl_rng_alloc calls GSL's error handler, which aborts by default (the
     * library does not touch that process-wide handler).  gsl_rng_set
     * initialises the whole state, as after gsl_rng_alloc. */
    rng.type = gsl_rng_mt19937;
    rng.state = calloc(1, gsl_rng_mt19937->size);
    if (e->params == NULL || rng.state == NULL || xf_xfm_new("encoder", &e->meta) != XF_OK) {
        /* name the shape: a large configuration is the likely cause */
        char shape[256];
        xf__model_encoder_shape(arch, &c, shape, sizeof shape);
        free(rng.state);
        rc = xf__fail(err, XF_ENOMEM, 0, 0,
                      "out of memory for encoder %s: %zu parameters (%.1f GB)", shape, e->n_params,
                      (double)e->n_params * sizeof(float) / (1024.0 * 1024 * 1024));
        xf_encoder_free(e);
        return rc;
    }
    /* every tensor in parameter order from one generator, each from its own
     * range (the layout's init_bound: PyTorch's defaults for GRU and TCN) */
    gsl_rng_set(&rng, (unsigned long)(seed ^ (seed >> 32)));
    for (i = 0; i < e->n_tensors; i++)
        uniform_fill(&rng, e->params + e->tensors[i].offset, e->tensors[i].count,
                     e->tensors[i].init_bound);
    free(rng.state);
    *out = e;
    return XF_OK;
}

int xf__encoder_same_config(const xf_encoder *a, const xf_encoder *b)
{
    size_t i;
    if (a->arch != b->arch || a->cfg.context != b->cfg.context ||
        a->cfg.n_inputs != b->cfg.n_inputs)
        return 0;
    for (i = 0; i < a->arch->n_fields; i++)
        if (xf__encoder_field_get(&a->cfg, &a->arch->fields[i]) !=
            xf__encoder_field_get(&b->cfg, &a->arch->fields[i]))
            return 0;
    return 1;
}

void xf_encoder_free(xf_encoder *enc)
{
    if (enc == NULL)
        return;
    free(enc->tensors);
    free(enc->params);
    free(enc->head_w);
    free(enc->head_a);
    free(enc->head_u);
    free(enc->head_b);
    xf_xfm_free(enc->meta);
    free(enc);
}

const xf_encoder_config *xf_encoder_get_config(const xf_encoder *enc)
{
    return &enc->cfg;
}

size_t xf_encoder_embed_size(const xf_encoder *enc)
{
    return enc->embed_size;
}

int32_t xf_encoder_context(const xf_encoder *enc)
{
    return enc->cfg.context;
}

size_t xf_encoder_n_params(const xf_encoder *enc)
{
    return enc->n_params;
}

const float *xf_encoder_params(const xf_encoder *enc)
{
    return enc->params;
}

float *xf_encoder_params_mut(xf_encoder *enc)
{
    return enc->params;
}

size_t xf__encoder_scratch_size(const xf_encoder *e, size_t b, size_t t)
{
    return e->arch->scratch_size(&e->cfg, b, t);
}

size_t xf__encoder_cache_size(const xf_encoder *e, size_t b, size_t t)
{
    return e->arch->cache_size != NULL ? e->arch->cache_size(&e->cfg, b, t) : 0;
}

int xf__encoder_trainable(const xf_encoder *e)
{
    return e->arch->backward != NULL;
}

/* What the architecture's hooks see of e. */
static xf__encoder_net net_of(const xf_encoder *e)
{
    xf__encoder_net net;
    net.cfg = &e->cfg;
    net.tensors = e->tensors;
    net.n_tensors = e->n_tensors;
    net.params = e->params;
    return net;
}

void xf__encoder_forward(const xf_encoder *e, const float *x, size_t b, float *emb, float *cache,
                         float *scratch)
{
    xf__encoder_net net = net_of(e);
    e->arch->forward(&net, x, b, (size_t)e->cfg.context, emb, cache, scratch);
}

void xf__encoder_backward(const xf_encoder *e, const float *x, size_t b, const float *demb,
                          const float *cache, float *grad, float *scratch)
{
    xf__encoder_net net = net_of(e);
    e->arch->backward(&net, x, b, (size_t)e->cfg.context, demb, cache, grad, scratch);
}

void xf__normalise_window(const float *w, size_t t, float *x, float *mean_out, float *std_out)
{
    double sum = 0, sq = 0, mean, sd;
    size_t i, n = 0;
    for (i = 0; i < t; i++)
        if (!isnan(w[i])) {
            sum += w[i];
            n++;
        }
    mean = n ? sum / (double)n : 0.0;
    for (i = 0; i < t; i++)
        if (!isnan(w[i]))
            sq += ((double)w[i] - mean) * ((double)w[i] - mean);
    sd = n ? sqrt(sq / (double)n) : 0.0;
    /* constant (or empty) windows: scale 1, so they become all zeros */
    if (!(sd > 1e-7 * fabs(mean)) || sd < 1e-30)
        sd = 1.0;
    for (i = 0; i < t; i++) {
        if (isnan(w[i])) {
            x[2 * i] = 0.0f;
            x[2 * i + 1] = 0.0f;
        } else {
            x[2 * i] = (float)(((double)w[i] - mean) / sd);
            x[2 * i + 1] = 1.0f;
        }
    }
    *mean_out = (float)mean;
    *std_out = (float)sd;
}

void xf__encoder_spread(const float *x2, size_t t, int n_in, int32_t period, float *x)
{
    size_t i, p = period >= 1 ? (size_t)period : 1;
    /* from the last step back, so that x2 == x (the two channels packed at
     * the front of x) is never overwritten before it is read */
    for (i = t; i-- > 0;) {
        float v = x2[2 * i], m = x2[2 * i + 1];
        x[(size_t)n_in * i] = v;
        x[(size_t)n_in * i + 1] = m;
    }
    for (i = 0; i < t; i++) {
        const float *c = x + (size_t)n_in * i;
        const float *b = i >= p ? x + (size_t)n_in * (i - p) : NULL;
        x[(size_t)n_in * i + 2] = b != NULL && c[1] > 0.5f && b[1] > 0.5f ? c[0] - b[0] : 0.0f;
    }
}

void xf__encoder_input(const float *w, size_t t, int n_in, int32_t period, float *x, float *mean,
                       float *std)
{
    xf__normalise_window(w, t, x, mean, std);
    if (n_in != XF_ENCODER_N_IN)
        xf__encoder_spread(x, t, n_in, period, x);
}

int xf_encoder_workspace_new(const xf_encoder *enc, size_t max_batch, xf_encoder_workspace **out,
                             xf_error *err)
{
    xf_encoder_workspace *ws;
    size_t t = (size_t)enc->cfg.context;
    *out = NULL;
    if (max_batch == 0 || max_batch > 65536)
        return xf__fail(err, XF_EINVAL, 0, 0, "workspace batch %zu must be 1..65536", max_batch);
    ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    /* windows are normalised in groups of XF_ENCODER_GROUP (the last one
     * padded); the forward then takes the group's real windows at once when
     * the architecture is batch-free, else one at a time: a window's
     * embedding must depend neither on its neighbours nor on its place in
     * the group (BLAS may round a row by its position in its row blocks) */
    max_batch = (max_batch + XF_ENCODER_GROUP - 1) / XF_ENCODER_GROUP * XF_ENCODER_GROUP;
    ws->enc = enc;
    ws->max_batch = max_batch;
    ws->n_threads = 1;
    ws->period = 1;
    ws->x = xf__malloc_array(max_batch * t, (size_t)enc->cfg.n_inputs * sizeof(float));
    ws->scratch =
        xf__malloc_array(xf__encoder_scratch_size(enc, XF_ENCODER_GROUP, t), sizeof(float));
    ws->emb = xf__malloc_array(XF_ENCODER_GROUP * enc->embed_size, sizeof(float));
    ws->fc_emb = xf__malloc_array(XF_ENCODER_GROUP * enc->embed_size, sizeof(float));
    if (ws->x == NULL || ws->scratch == NULL || ws->emb == NULL || ws->fc_emb == NULL) {
        xf_encoder_workspace_free(ws);
        return xf__fail(err, XF_ENOMEM, 0, 0,
                        "out of memory for an encoder workspace of %zu "
                        "windows",
                        max_batch);
    }
    *out = ws;
    return XF_OK;
}

static void free_thread_buffers(xf_encoder_workspace *ws)
{
    int i;
    for (i = 0; i + 1 < ws->n_threads; i++) {
        if (ws->t_scratch)
            free(ws->t_scratch[i]);
        if (ws->t_emb)
            free(ws->t_emb[i]);
    }
    free(ws->t_scratch);
    free(ws->t_emb);
    ws->t_scratch = NULL;
    ws->t_emb = NULL;
    ws->n_threads = 1;
}

int xf_encoder_workspace_set_threads(xf_encoder_workspace *ws, int n, xf_error *err)
{
    size_t t = (size_t)ws->enc->cfg.context;
    int i;
    if (n < 1 || n > 256)
        return xf__fail(err, XF_EINVAL, 0, 0, "threads %d must be 1..256", n);
    free_thread_buffers(ws);
    if (n == 1)
        return XF_OK;
    ws->t_scratch = calloc((size_t)n - 1, sizeof *ws->t_scratch);
    ws->t_emb = calloc((size_t)n - 1, sizeof *ws->t_emb);
    if (ws->t_scratch == NULL || ws->t_emb == NULL) {
        free(ws->t_scratch);
        free(ws->t_emb);
        ws->t_scratch = NULL;
        ws->t_emb = NULL;
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    ws->n_threads = n;
    for (i = 0; i + 1 < n; i++) {
        ws->t_scratch[i] =
            xf__malloc_array(xf__encoder_scratch_size(ws->enc, XF_ENCODER_GROUP, t), sizeof(float));
        ws->t_emb[i] = xf__malloc_array(XF_ENCODER_GROUP * ws->enc->embed_size, sizeof(float));
        if (ws->t_scratch[i] == NULL || ws->t_emb[i] == NULL) {
            free_thread_buffers(ws);
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        }
    }
    return XF_OK;
}

int xf_encoder_workspace_set_period(xf_encoder_workspace *ws, int32_t period, xf_error *err)
{
    if (period < 1 || period > 65536)
        return xf__fail(err, XF_EINVAL, 0, 0, "period %d must be 1..65536", (int)period);
    ws->period = period;
    return XF_OK;
}

void xf_encoder_workspace_free(xf_encoder_workspace *ws)
{
    if (ws == NULL)
        return;
    free_thread_buffers(ws);
    free(ws->x);
    free(ws->scratch);
    free(ws->emb);
    free(ws->fc_emb);
    free(ws);
}

/* One thread's share of xf_encoder_embed: groups first, first+stride, ... */
typedef struct embed_job {
    xf_encoder_workspace *ws;
    size_t first, stride, n_groups, n_real;
    float *out, *scratch, *gemb;
} embed_job;

/* The embeddings of the first n (<= XF_ENCODER_GROUP) windows of the
 * normalised group x into out [n][embed_size] (gemb: a group's embeddings
 * of scratch).  An architecture whose inference forward is batch-free
 * computes only the n real windows at once; any other computes one window
 * per call, so that a window's embedding depends neither on its
 * neighbours nor on its place in the group (the TCN's GEMMs round a row
 * by its position in the kernels' row blocks). */
static void embed_group(const xf_encoder *enc, int free_batch, const float *x, size_t n,
                        float *gemb, float *scratch, float *out)
{
    size_t t = (size_t)enc->cfg.context, ne = enc->embed_size, i;
    if (free_batch) {
        xf__encoder_forward(enc, x, n, gemb, NULL, scratch);
        memcpy(out, gemb, n * ne * sizeof *out);
        return;
    }
    for (i = 0; i < n; i++) {
        xf__encoder_forward(enc, x + i * t * (size_t)enc->cfg.n_inputs, 1, gemb, NULL, scratch);
        memcpy(out + i * ne, gemb, ne * sizeof *out);
    }
}

static void *embed_worker(void *arg)
{
    embed_job *j = arg;
    const xf_encoder *enc = j->ws->enc;
    size_t t = (size_t)enc->cfg.context, ne = enc->embed_size, g;
    int free_batch = xf__encoder_arch_batch_free(enc->arch, &enc->cfg);
    for (g = j->first; g < j->n_groups; g += j->stride) {
        size_t row = g * XF_ENCODER_GROUP;
        size_t n = j->n_real - row < XF_ENCODER_GROUP ? j->n_real - row : XF_ENCODER_GROUP;
        embed_group(enc, free_batch, j->ws->x + row * t * (size_t)enc->cfg.n_inputs, n, j->gemb,
                    j->scratch, j->out + row * ne);
    }
    return NULL;
}

int xf_encoder_embed(const xf_encoder *enc, xf_encoder_workspace *ws, const float *windows,
                     size_t n, float *emb, float *norm, xf_error *err)
{
    return xf__encoder_embed_periods(enc, ws, windows, n, NULL, emb, norm, err);
}

int xf__encoder_embed_periods(const xf_encoder *enc, xf_encoder_workspace *ws, const float *windows,
                              size_t n, const int32_t *periods, float *emb, float *norm,
                              xf_error *err)
{
    size_t t = (size_t)enc->cfg.context, done = 0, i, ni = (size_t)enc->cfg.n_inputs;
    if (ws == NULL || ws->enc != enc)
        return xf__fail(err, XF_EINVAL, 0, 0, "the workspace was made for another encoder");
    while (done < n) {
        size_t b = n - done < ws->max_batch ? n - done : ws->max_batch;
        size_t padded = (b + XF_ENCODER_GROUP - 1) / XF_ENCODER_GROUP * XF_ENCODER_GROUP;
        size_t ne = enc->embed_size, g;
        for (i = 0; i < b; i++) {
            float mean, sd;
            xf__encoder_input(windows + (done + i) * t, t, (int)ni,
                              periods != NULL ? periods[done + i] : ws->period, ws->x + i * t * ni,
                              &mean, &sd);
            if (norm != NULL) {
                norm[2 * (done + i)] = mean;
                norm[2 * (done + i) + 1] = sd;
            }
        }
        memset(ws->x + b * t * ni, 0, (padded - b) * t * ni * sizeof *ws->x);
        if (ws->n_threads > 1 && padded > XF_ENCODER_GROUP) {
            embed_job jobs[256];
            pthread_t th[256];
            int k, started = 0;
            for (k = 0; k < ws->n_threads; k++) {
                jobs[k].ws = ws;
                jobs[k].first = (size_t)k;
                jobs[k].stride = (size_t)ws->n_threads;
                jobs[k].n_groups = padded / XF_ENCODER_GROUP;
                jobs[k].n_real = b;
                jobs[k].out = emb + done * ne;
                jobs[k].scratch = k == 0 ? ws->scratch : ws->t_scratch[k - 1];
                jobs[k].gemb = k == 0 ? ws->emb : ws->t_emb[k - 1];
            }
            for (k = 1; k < ws->n_threads; k++) {
                if (pthread_create(&th[k], NULL, embed_worker, &jobs[k]) != 0)
                    break;
                started = k;
            }
            /* the caller's thread takes its share, and any share a thread
             * could not be started for */
            embed_worker(&jobs[0]);
            for (k = started + 1; k < ws->n_threads; k++)
                embed_worker(&jobs[k]);
            for (k = 1; k <= started; k++)
                pthread_join(th[k], NULL);
        } else {
            int free_batch = xf__encoder_arch_batch_free(enc->arch, &enc->cfg);
            for (g = 0; g < b; g += XF_ENCODER_GROUP)
                embed_group(enc, free_batch, ws->x + g * t * ni,
                            b - g < XF_ENCODER_GROUP ? b - g : XF_ENCODER_GROUP, ws->emb,
                            ws->scratch, emb + (done + g) * ne);
        }
        done += b;
    }
    return XF_OK;
}
