/* test_encoder_arch.c - the encoder architecture interface (src/encoder_arch.h):
 * one file is enough to add an architecture.
 *
 * This file alone defines a toy architecture, "last": the embedding of a
 * window is W x + b, x the last k normalised values (W [E][k], b [E]).  It
 * goes through the whole encoder life cycle with its descriptor passed
 * explicitly (no registration, no global state): create, embed (checked
 * against a hand computation), save, load back with the descriptor
 * (identical embeddings), load without it (a clean error naming it).  Then
 * the lookups, the refusals of malformed descriptors and configurations, a
 * file naming an unknown architecture ("lstm"), and the library's own
 * layouts (GRU, TCN) as the single source of the files' tensors.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xfcast.h>

#include "encoder_internal.h"
#include "nn.h"
#include "testutil.h"

/* ------------------------------------------------ the toy architecture */

#define LAST_ID 1000 /* its xf_arch value: outside the library's enum */

enum { LAST_W, LAST_B }; /* its tensors, in parameter order */

static const xf__encoder_field last_fields[] = {
    {"encoder.n_hidden", "embedding size", offsetof(xf_encoder_config, n_hidden), 1, 64},
    {"encoder.kernel_size", "last values", offsetof(xf_encoder_config, kernel_size), 1, 32},
};

static int last_check(const xf_encoder_config *cfg, xf_error *err)
{
    if (cfg->kernel_size > cfg->context)
        return xf__fail(err, XF_EINVAL, 0, 0, "last: %d values from a context of %d",
                        (int)cfg->kernel_size, (int)cfg->context);
    return XF_OK;
}

static void last_layout(const xf_encoder_config *cfg, xf__layout *lay)
{
    int64_t E = cfg->n_hidden, k = cfg->kernel_size;
    xf__layout_add(lay, 1.0 / sqrt((double)k), 2, (const int64_t[]){E, k}, "last.W");
    xf__layout_add(lay, 0.0, 1, (const int64_t[]){E}, "last.b");
}

static size_t last_embed_size(const xf_encoder_config *cfg)
{
    return (size_t)cfg->n_hidden;
}

static size_t last_scratch_size(const xf_encoder_config *cfg, size_t b, size_t t)
{
    (void)cfg, (void)b, (void)t;
    return 0;
}

static void last_forward(const xf__encoder_net *net, const float *x, size_t b, size_t t, float *emb,
                         float *cache, float *scratch)
{
    size_t E = (size_t)net->cfg->n_hidden, k = (size_t)net->cfg->kernel_size, i, j, q;
    const float *W = net->params + net->tensors[LAST_W].offset;
    const float *bias = net->params + net->tensors[LAST_B].offset;
    (void)cache, (void)scratch;
    for (i = 0; i < b; i++)
        for (j = 0; j < E; j++) {
            float acc = bias[j];
            for (q = 0; q < k; q++)
                acc += W[j * k + q] * x[(i * t + t - k + q) * (size_t)net->cfg->n_inputs];
            emb[i * E + j] = acc;
        }
}

static const xf__encoder_arch last_arch = {
    .abi_version = XF__ENCODER_ARCH_VERSION,
    .struct_size = sizeof(xf__encoder_arch),
    .name = "last",
    .id = LAST_ID,
    .fields = last_fields,
    .n_fields = sizeof last_fields / sizeof last_fields[0],
    .check = last_check,
    .layout = last_layout,
    .embed_size = last_embed_size,
    .scratch_size = last_scratch_size,
    .forward = last_forward,
    .cache_size = NULL, /* inference only */
    .backward = NULL,
};

/* ------------------------------------------------------------- helpers */

#define CONTEXT 16
#define E_SIZE 3
#define K_LAST 4
#define N_WIN 5

static void last_config(xf_encoder_config *cfg)
{
    xf_encoder_config_init(cfg, (xf_arch)LAST_ID);
    cfg->context = CONTEXT;
    cfg->n_hidden = E_SIZE;
    cfg->kernel_size = K_LAST;
}

/* Deterministic, uneven windows; one has missing values in its tail, one is
 * constant. */
static void make_windows(float *w)
{
    size_t i, s;
    for (i = 0; i < N_WIN; i++)
        for (s = 0; s < CONTEXT; s++)
            w[i * CONTEXT + s] = (float)(2.385 * sin(0.7 * (double)s + 1.3 * (double)i) +
                                         0.173 * (double)s * (double)(i + 1) + 10.0 * (double)i);
    w[1 * CONTEXT + CONTEXT - 2] = NAN;
    w[1 * CONTEXT + 3] = NAN;
    for (s = 0; s < CONTEXT; s++)
        w[4 * CONTEXT + s] = 7.25f;
}

/* The embedding by hand, in double: instance normalisation of the window
 * (mean and population deviation of the observed values, missing -> 0),
 * then W x + b on the last K_LAST values. */
static void hand_embed(const float *w, const float *p, double *out)
{
    double sum = 0, sq = 0, mean, sd, x[K_LAST];
    size_t s, n = 0, j, q;
    for (s = 0; s < CONTEXT; s++)
        if (!isnan(w[s]))
            sum += w[s], n++;
    mean = sum / (double)n;
    for (s = 0; s < CONTEXT; s++)
        if (!isnan(w[s]))
            sq += (w[s] - mean) * (w[s] - mean);
    sd = sqrt(sq / (double)n);
    if (!(sd > 1e-7 * fabs(mean)))
        sd = 1.0;
    for (q = 0; q < K_LAST; q++) {
        float v = w[CONTEXT - K_LAST + q];
        x[q] = isnan(v) ? 0.0 : (v - mean) / sd;
    }
    for (j = 0; j < E_SIZE; j++) {
        out[j] = p[E_SIZE * K_LAST + j];
        for (q = 0; q < K_LAST; q++)
            out[j] += (double)p[j * K_LAST + q] * x[q];
    }
}

static int embed_all(const xf_encoder *e, const float *win, float *emb)
{
    xf_encoder_workspace *ws = NULL;
    xf_error err;
    int rc = xf_encoder_workspace_new(e, 2, &ws, &err);
    if (rc == XF_OK)
        rc = xf_encoder_embed(e, ws, win, N_WIN, emb, NULL, &err);
    xf_encoder_workspace_free(ws);
    return rc;
}

static void temp_path(char *buf, size_t n, const char *what)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, n, "%s/xf-test-arch-%ld-%s.xfm", dir && *dir ? dir : "/tmp", (long)getpid(),
             what);
}

/* -------------------------------------------------------------- tests */

/* One file is enough: create, embed, save, load with and without the toy. */
static void test_toy_life_cycle(void)
{
    const xf__encoder_arch *const extra[1] = {&last_arch};
    xf_encoder_config cfg;
    xf_encoder *e = NULL, *back = NULL, *none = (xf_encoder *)&cfg;
    xf_error err;
    float win[N_WIN * CONTEXT], emb[N_WIN * E_SIZE], emb2[N_WIN * E_SIZE];
    char path[512];
    size_t i, j;

    last_config(&cfg);
    CHECK_INT(xf__encoder_new_arch(&last_arch, &cfg, 42, &e, &err), XF_OK);
    if (e == NULL)
        return;
    CHECK(e->arch == &last_arch);
    CHECK_INT(xf_encoder_get_config(e)->arch, LAST_ID);
    CHECK_INT(xf_encoder_embed_size(e), E_SIZE);
    CHECK_INT(xf_encoder_n_params(e), E_SIZE * K_LAST + E_SIZE);
    CHECK_INT(e->n_tensors, 2);
    CHECK_STR(e->tensors[LAST_W].name, "last.W");
    CHECK_INT(e->tensors[LAST_B].offset, E_SIZE * K_LAST);
    CHECK(!xf__encoder_trainable(e));
    CHECK_INT(xf__encoder_cache_size(e, 32, CONTEXT), 0);
    /* the initialisation follows the layout: W from U(-1/2, 1/2), b zeros */
    {
        const float *p = xf_encoder_params(e);
        int nonzero = 0;
        for (i = 0; i < E_SIZE * K_LAST; i++) {
            CHECK(fabsf(p[i]) <= 0.5f);
            nonzero += p[i] != 0.0f;
        }
        CHECK(nonzero > 0);
        for (i = 0; i < E_SIZE; i++)
            CHECK(p[E_SIZE * K_LAST + i] == 0.0f);
    }
    /* weights of our own, then the embeddings against the hand computation */
    {
        float *p = xf_encoder_params_mut(e);
        for (i = 0; i < xf_encoder_n_params(e); i++)
            p[i] = (float)(0.37 * cos(1.9 * (double)i) - 0.05 * (double)i);
    }
    make_windows(win);
    CHECK_INT(embed_all(e, win, emb), XF_OK);
    for (i = 0; i < N_WIN; i++) {
        double want[E_SIZE];
        hand_embed(win + i * CONTEXT, xf_encoder_params(e), want);
        for (j = 0; j < E_SIZE; j++)
            CHECK_MSG(fabs(emb[i * E_SIZE + j] - want[j]) <= 1e-5 * (1.0 + fabs(want[j])),
                      "window %zu unit %zu: %.9g, by hand %.9g", i, j, (double)emb[i * E_SIZE + j],
                      want[j]);
    }
    /* the constant window normalises to zeros: its embedding is b */
    for (j = 0; j < E_SIZE; j++)
        CHECK(emb[4 * E_SIZE + j] == xf_encoder_params(e)[E_SIZE * K_LAST + j]);

    /* save; load back with the descriptor: same everything */
    temp_path(path, sizeof path, "last");
    CHECK_INT(xf_encoder_save(e, path, &err), XF_OK);
    CHECK_INT(xf__encoder_load_arch(path, extra, 1, &back, &err), XF_OK);
    if (back != NULL) {
        const xf_xfm *meta = xf_encoder_meta(back);
        const char *s = NULL;
        int64_t v = 0;
        CHECK(back->arch == &last_arch);
        CHECK(xf__encoder_same_config(e, back));
        CHECK_INT(xf_encoder_get_config(back)->arch, LAST_ID);
        CHECK(xf_encoder_fingerprint(back) == xf_encoder_fingerprint(e));
        CHECK(xf_xfm_get_str(meta, "encoder.arch", &s, NULL) == XF_OK && s && !strcmp(s, "last"));
        CHECK(xf_xfm_get_i64(meta, "encoder.kernel_size", &v, NULL) == XF_OK && v == K_LAST);
        CHECK_INT(embed_all(back, win, emb2), XF_OK);
        CHECK(memcmp(emb, emb2, sizeof emb) == 0);
    }
    xf_encoder_free(back);

    /* without the descriptor: a clean error naming the file and the architecture */
    CHECK_INT(xf_encoder_load(path, &none, &err), XF_EFORMAT);
    CHECK(none == NULL);
    CHECK_MSG(strstr(err.message, path) != NULL &&
                  strstr(err.message, "encoder architecture 'last' is unknown (this build knows "
                                      "gru, tcn)") != NULL,
              "%s", err.message);
    /* an extra list without it is the same */
    {
        const xf__encoder_arch *const other[2] = {NULL, &xf__encoder_arch_gru};
        CHECK_INT(xf__encoder_load_arch(path, other, 2, &none, &err), XF_EFORMAT);
        CHECK(strstr(err.message, "'last' is unknown") != NULL);
    }
    unlink(path);
    xf_encoder_free(e);
}

/* A file naming an architecture no one knows, and a file without one. */
static void test_unknown_in_file(void)
{
    const xf__encoder_arch *const extra[1] = {&last_arch};
    xf_encoder_config cfg;
    xf_encoder *e = NULL, *bad = NULL;
    xf_xfm *mf = NULL;
    xf_error err;
    char path[512];
    temp_path(path, sizeof path, "lstm");
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    cfg.context = 24;
    cfg.n_hidden = 5;
    CHECK_INT(xf_encoder_new(&cfg, 3, &e, &err), XF_OK);
    if (e == NULL)
        return;
    /* a well-formed GRU file, but its encoder.arch says "lstm" */
    CHECK_INT(xf__encoder_to_xfm(e, path, &mf, &err), XF_OK);
    CHECK_INT(xf_xfm_set_str(mf, "encoder.arch", "lstm"), XF_OK);
    CHECK_INT(xf_xfm_save(mf, path, &err), XF_OK);
    xf_xfm_free(mf);
    mf = NULL;
    CHECK_INT(xf_encoder_load(path, &bad, &err), XF_EFORMAT);
    CHECK_MSG(strstr(err.message, path) != NULL &&
                  strstr(err.message, "encoder architecture 'lstm' is unknown (this build knows "
                                      "gru, tcn)") != NULL,
              "%s", err.message);
    CHECK_INT(xf__encoder_load_arch(path, extra, 1, &bad, &err), XF_EFORMAT);
    CHECK(strstr(err.message, "'lstm' is unknown (this build knows gru, tcn, last)") != NULL);
    CHECK(bad == NULL);
    /* encoder.arch missing, or not a string */
    CHECK_INT(xf_xfm_new("encoder", &mf), XF_OK);
    CHECK_INT(xf_xfm_set_i64(mf, "encoder.arch", 1), XF_OK);
    CHECK_INT(xf_xfm_save(mf, path, &err), XF_OK);
    CHECK_INT(xf_encoder_load(path, &bad, &err), XF_EFORMAT);
    CHECK(strstr(err.message, "encoder.arch is missing or not a string") != NULL);
    xf_xfm_free(mf);
    /* a name with control bytes is quoted safely */
    CHECK_INT(xf_xfm_new("encoder", &mf), XF_OK);
    CHECK_INT(xf_xfm_set_str(mf, "encoder.arch", "gr\nu"), XF_OK);
    CHECK_INT(xf_xfm_save(mf, path, &err), XF_OK);
    CHECK_INT(xf_encoder_load(path, &bad, &err), XF_EFORMAT);
    CHECK(strstr(err.message, "'gr?u' is unknown") != NULL);
    CHECK(strchr(err.message, '\n') == NULL);
    xf_xfm_free(mf);
    unlink(path);
    xf_encoder_free(e);
}

/* Lookups, and an xf_arch value no descriptor has. */
static void test_lookup(void)
{
    const xf__encoder_arch *const extra[1] = {&last_arch};
    xf_encoder_config cfg;
    xf_encoder *e = (xf_encoder *)&cfg;
    xf_error err;
    char names[64];
    CHECK(xf__encoder_arch_by_id(XF_ARCH_GRU) == &xf__encoder_arch_gru);
    CHECK(xf__encoder_arch_by_id(XF_ARCH_TCN) == &xf__encoder_arch_tcn);
    CHECK(xf__encoder_arch_by_id(LAST_ID) == NULL); /* not the library's */
    CHECK(xf__encoder_arch_by_id(0) == NULL);
    CHECK(xf__encoder_arch_by_name("gru", NULL, 0) == &xf__encoder_arch_gru);
    CHECK(xf__encoder_arch_by_name("tcn", extra, 1) == &xf__encoder_arch_tcn);
    CHECK(xf__encoder_arch_by_name("last", NULL, 0) == NULL);
    CHECK(xf__encoder_arch_by_name("last", extra, 1) == &last_arch);
    CHECK(xf__encoder_arch_by_name("GRU", NULL, 0) == NULL);
    xf__encoder_arch_names(extra, 1, names, sizeof names);
    CHECK_STR(names, "gru, tcn, last");
    xf__encoder_arch_names(NULL, 0, names, 6);
    CHECK_STR(names, "gru, "); /* cut to the buffer, terminated */
    CHECK_INT(xf__encoder_arch_validate(&xf__encoder_arch_gru, &err), XF_OK);
    CHECK_INT(xf__encoder_arch_validate(&xf__encoder_arch_tcn, &err), XF_OK);
    CHECK_INT(xf__encoder_arch_validate(&last_arch, &err), XF_OK);
    /* the public names */
    {
        xf_arch a = (xf_arch)0;
        CHECK_STR(xf_encoder_arch_name(XF_ARCH_GRU), "gru");
        CHECK_STR(xf_encoder_arch_name(XF_ARCH_TCN), "tcn");
        CHECK(xf_encoder_arch_name((xf_arch)LAST_ID) == NULL);
        CHECK_INT(xf_encoder_arch_from_name("tcn", &a, &err), XF_OK);
        CHECK_INT(a, XF_ARCH_TCN);
        CHECK_INT(xf_encoder_arch_from_name("gru", &a, &err), XF_OK);
        CHECK_INT(a, XF_ARCH_GRU);
        CHECK_INT(xf_encoder_arch_from_name("lstm", &a, &err), XF_EINVAL);
        CHECK_STR(err.message, "unknown encoder architecture 'lstm' (this build knows gru, tcn)");
        CHECK_INT(xf_encoder_arch_from_name("last", &a, &err), XF_EINVAL); /* not the library's */
        CHECK_INT(a, XF_ARCH_GRU);
    }
    /* the public constructor knows only the library's architectures */
    last_config(&cfg);
    CHECK_INT(xf_encoder_new(&cfg, 1, &e, &err), XF_EINVAL);
    CHECK(e == NULL);
    CHECK_STR(err.message, "unknown encoder architecture 1000");
}

/* Malformed descriptors and configurations are refused with a message. */
static void dup_layout(const xf_encoder_config *cfg, xf__layout *lay)
{
    (void)cfg;
    xf__layout_add(lay, 0.1, 1, (const int64_t[]){3}, "twice");
    xf__layout_add(lay, 0.1, 1, (const int64_t[]){2}, "twice");
}

static void reserved_layout(const xf_encoder_config *cfg, xf__layout *lay)
{
    (void)cfg;
    xf__layout_add(lay, 0.1, 1, (const int64_t[]){3}, "pretrain.W");
}

static void zero_dim_layout(const xf_encoder_config *cfg, xf__layout *lay)
{
    (void)cfg;
    xf__layout_add(lay, 0.1, 2, (const int64_t[]){3, 0}, "empty");
}

static void expect_refused(const xf__encoder_arch *a, const xf_encoder_config *cfg, int code,
                           const char *msg)
{
    xf_encoder *e = (xf_encoder *)&e;
    xf_error err;
    memset(&err, 0, sizeof err);
    CHECK_INT(xf__encoder_new_arch(a, cfg, 1, &e, &err), code);
    CHECK(e == NULL);
    CHECK_MSG(strstr(err.message, msg) != NULL, "'%s' lacks '%s'", err.message, msg);
}

static void test_refusals(void)
{
    xf_encoder_config cfg;
    xf__encoder_arch a;
    static const xf__encoder_field bad_field[] = {
        {"encoder.context", "context again", offsetof(xf_encoder_config, context), 1, 9}};
    static const xf__encoder_field bad_key[] = {
        {"encoder.embed_size", "size", offsetof(xf_encoder_config, n_hidden), 1, 9}};
    last_config(&cfg);

    a = last_arch;
    a.abi_version = XF__ENCODER_ARCH_VERSION + 1;
    expect_refused(&a, &cfg, XF_EINVAL, "descriptor version 4; this build reads versions 1-3");
    /* a descriptor before version 3 takes two inputs only */
    a = last_arch;
    a.abi_version = 2;
    cfg.n_inputs = 3;
    expect_refused(&a, &cfg, XF_EINVAL, "takes 2 input channels, not 3");
    cfg.n_inputs = 2;
    a = last_arch;
    a.abi_version = 0;
    expect_refused(&a, &cfg, XF_EINVAL, "descriptor version 0");
    a = last_arch;
    a.struct_size = 16;
    expect_refused(&a, &cfg, XF_EINVAL, "descriptor of 16 bytes");
    a = last_arch;
    a.name = "Last";
    expect_refused(&a, &cfg, XF_EINVAL, "name must be 1-15 of [a-z0-9_]");
    a = last_arch;
    a.name = "";
    expect_refused(&a, &cfg, XF_EINVAL, "name must be");
    a = last_arch;
    a.forward = NULL;
    expect_refused(&a, &cfg, XF_EINVAL, "'last' lacks a hook");
    a = last_arch;
    a.cache_size = last_scratch_size; /* without a backward */
    expect_refused(&a, &cfg, XF_EINVAL, "cache_size and backward go together");
    a = last_arch;
    a.fields = bad_field;
    a.n_fields = 1;
    expect_refused(&a, &cfg, XF_EINVAL, "'last': field 0 is malformed");
    a.fields = bad_key; /* a key every encoder file has */
    expect_refused(&a, &cfg, XF_EINVAL, "'last': field 0 is malformed");
    a = last_arch;
    a.layout = dup_layout;
    expect_refused(&a, &cfg, XF_EINVAL, "'last' names two tensors 'twice'");
    a = last_arch;
    a.layout = reserved_layout;
    expect_refused(&a, &cfg, XF_EINVAL, "'last' names a tensor 'pretrain.W': the prefixes");
    a = last_arch;
    a.layout = zero_dim_layout;
    expect_refused(&a, &cfg, XF_EINVAL, "'last' made a malformed parameter layout");
    expect_refused(NULL, &cfg, XF_EINVAL, "no encoder architecture descriptor");

    /* configurations: the context, the fields' ranges, the check hook */
    cfg.context = 4;
    expect_refused(&last_arch, &cfg, XF_EINVAL, "encoder context is 4; it must be 8..65536");
    last_config(&cfg);
    cfg.n_hidden = 65;
    expect_refused(&last_arch, &cfg, XF_EINVAL, "encoder embedding size is 65; it must be 1..64");
    last_config(&cfg);
    cfg.kernel_size = 20;
    cfg.context = 18;
    expect_refused(&last_arch, &cfg, XF_EINVAL, "last: 20 values from a context of 18");
    /* the library's: the GRU's fields, the TCN's receptive field */
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    cfg.n_layers = 9;
    expect_refused(&xf__encoder_arch_gru, &cfg, XF_EINVAL, "encoder layers is 9; it must be 1..8");
    xf_encoder_config_init(&cfg, XF_ARCH_TCN);
    cfg.n_blocks = 6;
    expect_refused(&xf__encoder_arch_tcn, &cfg, XF_EINVAL,
                   "TCN receptive field 253 is shorter than the context 512");
}

/* The library's layouts are what the files hold, back to back. */
static void check_layout_is_file(const xf_encoder_config *cfg, const char *first, const char *last,
                                 size_t n_tensors)
{
    xf_encoder *e = NULL;
    xf_xfm *mf = NULL;
    xf_error err;
    size_t i, off = 0, idx;
    CHECK_INT(xf_encoder_new(cfg, 5, &e, &err), XF_OK);
    if (e == NULL)
        return;
    CHECK_INT(e->n_tensors, n_tensors);
    CHECK_STR(e->tensors[0].name, first);
    CHECK_STR(e->tensors[e->n_tensors - 1].name, last);
    CHECK_INT(xf__encoder_to_xfm(e, "layout.xfm", &mf, &err), XF_OK);
    for (i = 0; i < e->n_tensors && mf != NULL; i++) {
        const xf__tensor *t = &e->tensors[i];
        size_t d, count = 1;
        CHECK_INT(t->offset, off);
        for (d = 0; d < t->n_dims; d++)
            count *= (size_t)t->dims[d];
        CHECK_INT(t->count, count);
        off += t->count;
        CHECK_MSG(xf_xfm_find_tensor(mf, t->name, &idx) == XF_OK, "%s not in the file", t->name);
        CHECK_INT(xf_xfm_tensor_n_dims(mf, idx), t->n_dims);
        CHECK(memcmp(xf_xfm_tensor_data(mf, idx), xf_encoder_params(e) + t->offset,
                     t->count * sizeof(float)) == 0);
    }
    CHECK_INT(off, xf_encoder_n_params(e));
    xf_xfm_free(mf);
    xf_encoder_free(e);
}

static void test_library_layouts(void)
{
    xf_encoder_config cfg;
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    cfg.context = 32;
    cfg.n_layers = 3;
    cfg.n_hidden = 7;
    check_layout_is_file(&cfg, "gru.l0.W_ih", "gru.l2.b_hh", 12);
    xf_encoder_config_init(&cfg, XF_ARCH_TCN);
    cfg.context = 32;
    cfg.n_channels = 5;
    cfg.n_blocks = 4;
    check_layout_is_file(&cfg, "tcn.in.W", "tcn.b3.b2", 2 + 4 * 4);
}

/* Descriptor version 2's infer_batch_free: the GRU's follows its fused
 * kernel (present on this CPU or not), the TCN's its kernel likewise, and a
 * version-1 descriptor (without the field) is accepted and read as 0. */
static void test_batch_free(void)
{
    xf_encoder_config cfg;
    xf__encoder_arch a = last_arch;
    xf_error err;
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    CHECK_INT(xf__encoder_arch_batch_free(&xf__encoder_arch_gru, &cfg), xf__gru_infer_available());
    xf_encoder_config_init(&cfg, XF_ARCH_TCN);
    CHECK_INT(xf__encoder_arch_batch_free(&xf__encoder_arch_tcn, &cfg), xf__tcn_infer_available());
    last_config(&cfg);
    a.abi_version = 1;
    a.struct_size = (uint32_t)XF__ENCODER_ARCH_SIZE_V1;
    a.infer_batch_free = NULL;
    CHECK_INT(xf__encoder_arch_validate(&a, &err), XF_OK);
    CHECK_INT(xf__encoder_arch_batch_free(&a, &cfg), 0);
}

int main(void)
{
    test_toy_life_cycle();
    test_unknown_in_file();
    test_lookup();
    test_refusals();
    test_library_layouts();
    test_batch_free();
    return tu_report("test_encoder_arch");
}
