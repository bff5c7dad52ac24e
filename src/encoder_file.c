/* encoder_file.c - where encoders are saved and loaded (.xfm kind
 * "encoder"), their provenance metadata, and zero-shot forecasts from the
 * pretraining head.
 *
 * Nothing here depends on the architecture: its descriptor (encoder_arch.h)
 * gives the name written as encoder.arch, its configuration keys and its
 * tensors (names, shapes, offsets in the parameters).
 * Tensors: the architecture's layout (GRU "gru.l<L>.W_ih" ..., encoder_gru.c;
 *          TCN "tcn.in.W" ..., encoder_tcn.c);
 *          head "pretrain.W" [horizon][E], "pretrain.b" [horizon].
 * Keys:    encoder.arch (the architecture's name: "gru", "tcn"),
 *          encoder.context, encoder.n_inputs (2; 3 with the seasonal difference), encoder.embed_size,
 *          encoder.normalisation, pretrain.horizon, then the architecture's
 *          fields (GRU: encoder.n_layers, encoder.n_hidden; TCN:
 *          encoder.n_channels, encoder.n_blocks, encoder.kernel_size), plus
 *          pretrain.* provenance.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoder_internal.h"
#include "model_check.h"
#include "options_internal.h"
#include "xfcast/xfm.h"

int xf_encoder_set_meta_str(xf_encoder *enc, const char *key, const char *value)
{
    return xf_xfm_set_str(enc->meta, key, value);
}

int xf_encoder_set_meta_i64(xf_encoder *enc, const char *key, int64_t value)
{
    return xf_xfm_set_i64(enc->meta, key, value);
}

int xf_encoder_set_meta_f64(xf_encoder *enc, const char *key, double value)
{
    return xf_xfm_set_f64(enc->meta, key, value);
}

const struct xf_xfm *xf_encoder_meta(const xf_encoder *enc)
{
    return enc->meta;
}

int32_t xf_encoder_horizon(const xf_encoder *enc)
{
    return enc->horizon;
}

const float *xf_encoder_head_weights(const xf_encoder *enc)
{
    return enc->head_w;
}

const float *xf_encoder_head_bias(const xf_encoder *enc)
{
    return enc->head_b;
}

int xf__encoder_set_phead(xf_encoder *enc, int kind, int32_t horizon, int32_t lags, int32_t nq,
                          const double *q, const float *W, const float *A, const float *U,
                          const float *b)
{
    float *nw, *na = NULL, *nu = NULL, *nb;
    size_t K, O, i;
    if (horizon <= 0 || horizon > XF__LIM_PRETRAIN_HORIZON_MAX || W == NULL || b == NULL ||
        (kind != XF__PHEAD_LINEAR && kind != XF__PHEAD_SEASONAL))
        return XF_EINVAL;
    if (kind == XF__PHEAD_LINEAR && (lags != 0 || nq != 1))
        return XF_EINVAL;
    if (kind == XF__PHEAD_SEASONAL &&
        (A == NULL || U == NULL || q == NULL || nq < 1 || nq > XF__PHEAD_MAX_Q || lags < 0 ||
         lags > XF__PHEAD_MAX_LAGS || lags > enc->cfg.context))
        return XF_EINVAL;
    for (i = 0; kind == XF__PHEAD_SEASONAL && i < (size_t)nq; i++)
        if (!(q[i] > 0 && q[i] < 1) || (i > 0 && !(q[i] > q[i - 1])))
            return XF_EINVAL;
    K = enc->embed_size + (size_t)lags;
    O = (size_t)nq * (size_t)horizon;
    nw = xf__malloc_array(O * K, sizeof *nw);
    nb = xf__malloc_array(O, sizeof *nb);
    if (kind == XF__PHEAD_SEASONAL) {
        na = xf__malloc_array(O * XF__PHEAD_NB, sizeof *na);
        nu = xf__malloc_array(XF__PHEAD_NB * enc->embed_size, sizeof *nu);
    }
    if (nw == NULL || nb == NULL || (kind == XF__PHEAD_SEASONAL && (na == NULL || nu == NULL))) {
        free(nw);
        free(na);
        free(nu);
        free(nb);
        return XF_ENOMEM;
    }
    memcpy(nw, W, O * K * sizeof *nw);
    memcpy(nb, b, O * sizeof *nb);
    if (na != NULL) {
        memcpy(na, A, O * XF__PHEAD_NB * sizeof *na);
        memcpy(nu, U, XF__PHEAD_NB * enc->embed_size * sizeof *nu);
    }
    free(enc->head_w);
    free(enc->head_a);
    free(enc->head_u);
    free(enc->head_b);
    enc->head_w = nw;
    enc->head_a = na;
    enc->head_u = nu;
    enc->head_b = nb;
    enc->horizon = horizon;
    enc->head_kind = kind;
    enc->head_lags = lags;
    enc->head_nq = nq;
    memset(enc->head_q, 0, sizeof enc->head_q);
    if (kind == XF__PHEAD_SEASONAL)
        memcpy(enc->head_q, q, (size_t)nq * sizeof *q);
    else
        enc->head_q[0] = 0.5;
    return XF_OK;
}

int xf_encoder_set_head(xf_encoder *enc, int32_t horizon, const float *w, const float *b)
{
    return xf__encoder_set_phead(enc, XF__PHEAD_LINEAR, horizon, 0, 1, NULL, w, NULL, NULL, b);
}

void xf__encoder_phead(const xf_encoder *enc, xf__phead *hd)
{
    memset(hd, 0, sizeof *hd);
    hd->kind = enc->head_kind;
    hd->E = enc->embed_size;
    hd->L = (size_t)enc->head_lags;
    hd->nq = enc->head_nq > 0 ? (size_t)enc->head_nq : 1;
    hd->Hf = enc->horizon > 0 ? (size_t)enc->horizon : 0;
    hd->W = enc->head_w;
    hd->A = enc->head_a;
    hd->U = enc->head_u;
    hd->b = enc->head_b;
}

size_t xf__encoder_phead_quantile(const xf_encoder *enc, double q)
{
    size_t i;
    for (i = 0; enc->head_kind == XF__PHEAD_SEASONAL && i < (size_t)enc->head_nq; i++)
        if (enc->head_q[i] == q)
            return i;
    return SIZE_MAX;
}

int xf__encoder_phead_has_spread(const xf_encoder *enc)
{
    return xf__encoder_phead_quantile(enc, 0.1) != SIZE_MAX &&
           xf__encoder_phead_quantile(enc, 0.9) != SIZE_MAX;
}

size_t xf__encoder_phead_median(const xf_encoder *enc)
{
    size_t i = xf__encoder_phead_quantile(enc, 0.5);
    return i == SIZE_MAX ? 0 : i;
}

int xf_encoder_head_kind(const xf_encoder *enc)
{
    return enc->horizon > 0 ? enc->head_kind : 0;
}

int32_t xf_encoder_n_quantiles(const xf_encoder *enc)
{
    return enc->horizon > 0 && enc->head_kind == XF__PHEAD_SEASONAL ? enc->head_nq : 0;
}

int32_t xf_encoder_head_lags(const xf_encoder *enc)
{
    return enc->horizon > 0 && enc->head_kind == XF__PHEAD_SEASONAL ? enc->head_lags : 0;
}

double xf_encoder_quantile(const xf_encoder *enc, int32_t i)
{
    return i >= 0 && i < xf_encoder_n_quantiles(enc) ? enc->head_q[i] : NAN;
}

int xf__encoder_to_xfm(const xf_encoder *enc, const char *path, xf_xfm **out, xf_error *err)
{
    size_t i;
    xf_xfm *mf = NULL;
    int rc = XF_ENOMEM;
    void *buf = NULL;
    size_t len = 0;
    /* start from a copy of the provenance, then set the structural keys */
    if ((rc = xf_xfm_save_buffer(enc->meta, &buf, &len, err)) != XF_OK)
        return rc;
    rc = xf_xfm_load_buffer(buf, len, path, &mf, err);
    free(buf);
    if (rc != XF_OK)
        return rc;
    if (xf_xfm_set_str(mf, "encoder.arch", enc->arch->name) ||
        xf_xfm_set_i64(mf, "encoder.context", enc->cfg.context) ||
        xf_xfm_set_i64(mf, "encoder.n_inputs", enc->cfg.n_inputs) ||
        xf_xfm_set_i64(mf, "encoder.embed_size", (int64_t)enc->embed_size) ||
        xf_xfm_set_str(mf, "encoder.normalisation",
                       enc->cfg.n_inputs == XF_ENCODER_N_IN
                           ? "instance: (x - mean) / std over observed values; mask channel"
                           : "instance: (x - mean) / std over observed values; mask channel; "
                             "seasonal difference channel (x[t] - x[t - period]) / std") ||
        xf_xfm_set_i64(mf, "pretrain.horizon", enc->horizon))
        goto nomem;
    for (i = 0; i < enc->arch->n_fields; i++)
        if (xf_xfm_set_i64(mf, enc->arch->fields[i].key,
                           xf__encoder_field_get(&enc->cfg, &enc->arch->fields[i])))
            goto nomem;
    for (i = 0; i < enc->n_tensors; i++) {
        const xf__tensor *t = &enc->tensors[i];
        if (xf_xfm_add_tensor_f32(mf, t->name, t->n_dims, t->dims, enc->params + t->offset) !=
            XF_OK)
            goto nomem;
    }
    if (enc->horizon > 0) {
        int64_t O = (int64_t)enc->head_nq * enc->horizon;
        int64_t dw[2] = {O, (int64_t)enc->embed_size + enc->head_lags}, db[1] = {O};
        int64_t da[2] = {O, XF__PHEAD_NB}, du[2] = {XF__PHEAD_NB, (int64_t)enc->embed_size};
        if (xf_xfm_add_tensor_f32(mf, "pretrain.W", 2, dw, enc->head_w) != XF_OK ||
            xf_xfm_add_tensor_f32(mf, "pretrain.b", 1, db, enc->head_b) != XF_OK)
            goto nomem;
        if (enc->head_kind == XF__PHEAD_SEASONAL) {
            int32_t k;
            if (xf_xfm_set_str(mf, "pretrain.head", "seasonal") ||
                xf_xfm_set_i64(mf, "pretrain.lags", enc->head_lags) ||
                xf_xfm_set_i64(mf, "pretrain.n_quantiles", enc->head_nq) ||
                xf_xfm_add_tensor_f32(mf, "pretrain.A", 2, da, enc->head_a) != XF_OK ||
                xf_xfm_add_tensor_f32(mf, "pretrain.U", 2, du, enc->head_u) != XF_OK)
                goto nomem;
            for (k = 0; k < enc->head_nq; k++) {
                char key[40];
                snprintf(key, sizeof key, "pretrain.quantile.%d", (int)k);
                if (xf_xfm_set_f64(mf, key, enc->head_q[k]))
                    goto nomem;
            }
        }
    }
    *out = mf;
    return XF_OK;
nomem:
    xf_xfm_free(mf);
    return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
}

int xf_encoder_save(const xf_encoder *enc, const char *path, xf_error *err)
{
    xf_xfm *mf = NULL;
    int rc = xf__encoder_to_xfm(enc, path, &mf, err);
    if (rc == XF_OK)
        rc = xf_xfm_save(mf, path, err);
    xf_xfm_free(mf);
    return rc;
}

static int get_int(const xf_xfm *mf, const char *path, const char *key, int32_t *out, xf_error *err)
{
    int64_t v;
    if (xf_xfm_get_i64(mf, key, &v, NULL) != XF_OK)
        return xf__fail(err, XF_EFORMAT, 0, 0, "%s: encoder key '%s' is missing or not an integer",
                        path, key);
    if (v < INT32_MIN || v > INT32_MAX)
        return xf__fail(err, XF_EFORMAT, 0, 0, "%s: encoder key '%s' = %lld is out of range", path,
                        key, (long long)v);
    *out = (int32_t)v;
    return XF_OK;
}

/* Find a float32 tensor of exactly the given shape. */
static int find_f32(const xf_xfm *mf, const char *path, const char *name, size_t n_dims,
                    const int64_t *dims, const float **data, xf_error *err)
{
    size_t idx, d;
    if (xf_xfm_find_tensor(mf, name, &idx) != XF_OK)
        return xf__fail(err, XF_EFORMAT, 0, 0, "%s: tensor '%s' is missing", path, name);
    if (xf_xfm_tensor_dtype(mf, idx) != XF_XFM_DTYPE_F32 || xf_xfm_tensor_n_dims(mf, idx) != n_dims)
        return xf__fail(err, XF_EFORMAT, 0, 0, "%s: tensor '%s' has the wrong type or rank", path,
                        name);
    for (d = 0; d < n_dims; d++)
        if (xf_xfm_tensor_dims(mf, idx)[d] != dims[d])
            return xf__fail(err, XF_EFORMAT, 0, 0,
                            "%s: tensor '%s' dimension %zu is %lld; the configuration needs %lld",
                            path, name, d, (long long)xf_xfm_tensor_dims(mf, idx)[d],
                            (long long)dims[d]);
    *data = xf_xfm_tensor_data(mf, idx);
    return XF_OK;
}

/* The weights of an encoder are in its file, so a configuration with more
 * parameters than the file has float32 values is damaged: refuse it before
 * xf__encoder_new_arch allocates (and fills) the parameters, which a
 * 200-byte file could otherwise make gigabytes.  The message names the
 * first tensor of the architecture's layout that is missing or of the wrong
 * shape, as the loading loop below would.  A configuration the
 * architecture refuses is left to xf__encoder_new_arch (its message). */
static int check_n_params(const xf_xfm *mf, const char *path, const xf__encoder_arch *arch,
                          const xf_encoder_config *cfg, xf_error *err)
{
    xf__tensor *t = NULL;
    size_t nt = 0, need = 0, have = 0, i;
    const float *d;
    int rc;
    if (xf__encoder_arch_check_config(arch, cfg, NULL) != XF_OK)
        return XF_OK;
    if ((rc = xf__encoder_arch_layout(arch, cfg, &t, &nt, &need, err)) != XF_OK)
        return rc;
    for (i = 0; i < xf_xfm_n_tensors(mf); i++)
        if (xf_xfm_tensor_dtype(mf, i) == XF_XFM_DTYPE_F32)
            have += xf_xfm_tensor_n_elems(mf, i);
    rc = XF_OK;
    if (need > have) {
        for (i = 0; i < nt && rc == XF_OK; i++)
            rc = find_f32(mf, path, t[i].name, t[i].n_dims, t[i].dims, &d, err);
        if (rc == XF_OK)
            rc = xf__fail(err, XF_EFORMAT, 0, 0,
                          "%s: the configuration has %zu parameters; the "
                          "file holds %zu float32 values",
                          path, need, have);
    }
    free(t);
    return rc;
}

/* The keys of the pretraining head: pretrain.head ("linear" when absent, or
 * "seasonal" with pretrain.lags, pretrain.n_quantiles and increasing
 * pretrain.quantile.<i> in (0, 1), one of them 0.5). */
static int read_phead_keys(const xf_xfm *mf, const char *path, int32_t context, int *kind,
                           int32_t *lags, int32_t *nq, double *q, xf_error *err)
{
    const char *sv;
    int32_t i;
    int rc, median = 0;
    if (xf_xfm_get_str(mf, "pretrain.head", &sv, NULL) != XF_OK || strcmp(sv, "linear") == 0)
        return XF_OK;
    if (strcmp(sv, "seasonal") != 0) {
        char quoted[40];
        xf__quote(quoted, sizeof quoted, sv, strlen(sv), 32);
        return xf__fail(err, XF_EFORMAT, 0, 0,
                        "%s: pretraining head '%s' is unknown (this build knows linear, "
                        "seasonal)",
                        path, quoted);
    }
    *kind = XF__PHEAD_SEASONAL;
    if ((rc = get_int(mf, path, "pretrain.lags", lags, err)) != XF_OK ||
        (rc = get_int(mf, path, "pretrain.n_quantiles", nq, err)) != XF_OK)
        return rc;
    if (*lags < 0 || *lags > XF__PHEAD_MAX_LAGS || *lags > context)
        return xf__fail(err, XF_EFORMAT, 0, 0,
                        "%s: pretrain.lags = %d must be 0..%d and at most the context (%d)", path,
                        (int)*lags, XF__PHEAD_MAX_LAGS, (int)context);
    if (*nq < 1 || *nq > XF__PHEAD_MAX_Q)
        return xf__fail(err, XF_EFORMAT, 0, 0, "%s: pretrain.n_quantiles = %d must be 1..%d", path,
                        (int)*nq, XF__PHEAD_MAX_Q);
    for (i = 0; i < *nq; i++) {
        char key[40];
        snprintf(key, sizeof key, "pretrain.quantile.%d", (int)i);
        if (xf_xfm_get_f64(mf, key, &q[i], NULL) != XF_OK || !(q[i] > 0 && q[i] < 1) ||
            (i > 0 && !(q[i] > q[i - 1])))
            return xf__fail(err, XF_EFORMAT, 0, 0,
                            "%s: %s is missing, outside (0, 1) or not above the one before", path,
                            key);
        median |= q[i] == 0.5;
    }
    if (!median)
        return xf__fail(err, XF_EFORMAT, 0, 0,
                        "%s: the pretraining head's quantiles do not include the median (0.5)",
                        path);
    return XF_OK;
}

int xf__encoder_from_xfm(const xf_xfm *mf, const char *path, const xf__encoder_arch *const *extra,
                         size_t n_extra, xf_encoder **out, xf_error *err)
{
    xf_encoder *e = NULL;
    xf_encoder_config cfg;
    const char *name;
    const xf__encoder_arch *arch;
    size_t i;
    int32_t horizon = 0, lags = 0, nq = 1;
    int rc, kind = XF__PHEAD_LINEAR;
    double q[XF__PHEAD_MAX_Q] = {0.5};
    *out = NULL;
    if (strcmp(xf_xfm_kind(mf), "encoder") != 0) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0, "%s: a '%s' file, not an encoder", path,
                      xf_xfm_kind(mf));
        goto done;
    }
    if (xf_xfm_get_str(mf, "encoder.arch", &name, NULL) != XF_OK) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0, "%s: encoder.arch is missing or not a string", path);
        goto done;
    }
    if ((arch = xf__encoder_arch_by_name(name, extra, n_extra)) == NULL) {
        char known[256], quoted[40];
        xf__encoder_arch_names(extra, n_extra, known, sizeof known);
        xf__quote(quoted, sizeof quoted, name, strlen(name), 32);
        rc = xf__fail(err, XF_EFORMAT, 0, 0,
                      "%s: encoder architecture '%s' is unknown (this "
                      "build knows %s)",
                      path, quoted, known);
        goto done;
    }
    xf_encoder_config_init(&cfg, (xf_arch)arch->id);
    {
        int64_t n_in;
        if (xf_xfm_get_i64(mf, "encoder.n_inputs", &n_in, NULL) == XF_OK) {
            if (n_in < XF_ENCODER_N_IN || n_in > XF_ENCODER_N_IN_MAX) {
                rc = xf__fail(err, XF_EFORMAT, 0, 0,
                              "%s: encoder takes %lld input channels; this build "
                              "feeds %d (value, mask) or %d (and the seasonal difference)",
                              path, (long long)n_in, XF_ENCODER_N_IN, XF_ENCODER_N_IN_MAX);
                goto done;
            }
            cfg.n_inputs = (int32_t)n_in;
        }
    }
    if ((rc = get_int(mf, path, "encoder.context", &cfg.context, err)) != XF_OK)
        goto done;
    for (i = 0; i < arch->n_fields; i++) {
        int32_t v;
        if ((rc = get_int(mf, path, arch->fields[i].key, &v, err)) != XF_OK)
            goto done;
        xf__encoder_field_set(&cfg, &arch->fields[i], v);
    }
    if (xf_xfm_get_i64(mf, "pretrain.horizon", &(int64_t){0}, NULL) == XF_OK &&
        (rc = get_int(mf, path, "pretrain.horizon", &horizon, err)) != XF_OK)
        goto done;
    if (horizon > 0 &&
        (rc = read_phead_keys(mf, path, cfg.context, &kind, &lags, &nq, q, err)) != XF_OK)
        goto done;
    if ((rc = xf__model_check_encoder_cost(path, arch, &cfg, (int64_t)nq * horizon, lags, err)) !=
            XF_OK ||
        (rc = check_n_params(mf, path, arch, &cfg, err)) != XF_OK)
        goto done;
    if ((rc = xf__encoder_new_arch(arch, &cfg, 0, &e, err)) != XF_OK) {
        /* a configuration this build refuses: say it is the file's */
        char msg[2 * sizeof err->message];
        if (err != NULL) {
            snprintf(msg, sizeof msg, "%s: %s", path, err->message);
            xf__fail(err, XF_EFORMAT, 0, 0, "%s", msg);
        }
        rc = XF_EFORMAT;
        goto done;
    }
    for (i = 0; i < e->n_tensors; i++) {
        const xf__tensor *t = &e->tensors[i];
        const float *d;
        if ((rc = find_f32(mf, path, t->name, t->n_dims, t->dims, &d, err)) != XF_OK)
            goto done;
        memcpy(e->params + t->offset, d, t->count * sizeof *d);
    }
    if (horizon > 0) {
        const float *w, *b, *a = NULL, *u = NULL;
        int64_t O = (int64_t)nq * horizon;
        int64_t dw[2] = {O, (int64_t)e->embed_size + lags}, db[1] = {O}, da[2] = {O, XF__PHEAD_NB};
        int64_t du[2] = {XF__PHEAD_NB, (int64_t)e->embed_size};
        if ((rc = find_f32(mf, path, "pretrain.W", 2, dw, &w, err)) != XF_OK ||
            (rc = find_f32(mf, path, "pretrain.b", 1, db, &b, err)) != XF_OK ||
            (kind == XF__PHEAD_SEASONAL &&
             ((rc = find_f32(mf, path, "pretrain.A", 2, da, &a, err)) != XF_OK ||
              (rc = find_f32(mf, path, "pretrain.U", 2, du, &u, err)) != XF_OK)))
            goto done;
        if (xf__encoder_set_phead(e, kind, horizon, lags, nq, q, w, a, u, b) != XF_OK) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
    }
    if ((rc = xf__model_check_encoder(e, path, err)) != XF_OK)
        goto done;
    /* keep the file's metadata as the encoder's provenance (tensors are
     * dropped: the weights now live in params) */
    {
        xf_xfm *meta = NULL;
        size_t k;
        if (xf_xfm_new("encoder", &meta) != XF_OK) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        for (k = 0; k < xf_xfm_n_meta(mf); k++) {
            const char *key = xf_xfm_meta_key(mf, k), *sv;
            int64_t iv;
            double fv;
            if (strncmp(key, "train.", 6) == 0)
                continue; /* checkpoint state, not provenance */
            if (xf_xfm_get_str(mf, key, &sv, NULL) == XF_OK)
                xf_xfm_set_str(meta, key, sv);
            else if (xf_xfm_get_i64(mf, key, &iv, NULL) == XF_OK)
                xf_xfm_set_i64(meta, key, iv);
            else if (xf_xfm_get_f64(mf, key, &fv, NULL) == XF_OK)
                xf_xfm_set_f64(meta, key, fv);
        }
        xf_xfm_free(e->meta);
        e->meta = meta;
    }
    *out = e;
    e = NULL;
    rc = XF_OK;
done:
    xf_encoder_free(e);
    return rc;
}

int xf_encoder_load(const char *path, xf_encoder **out, xf_error *err)
{
    return xf__encoder_load_arch(path, NULL, 0, out, err);
}

int xf__encoder_load_arch(const char *path, const xf__encoder_arch *const *extra, size_t n_extra,
                          xf_encoder **out, xf_error *err)
{
    xf_xfm *mf = NULL;
    int rc;
    *out = NULL;
    if ((rc = xf_xfm_load(path, &mf, err)) != XF_OK)
        return rc;
    rc = xf__encoder_from_xfm(mf, path, extra, n_extra, out, err);
    xf_xfm_free(mf);
    if (rc == XF_OK) {
        /* the name is the file name without directory and ".xfm" */
        const char *base = strrchr(path, '/');
        char name[sizeof(*out)->name];
        size_t len;
        base = base != NULL ? base + 1 : path;
        len = strlen(base);
        if (len > 4 && strcmp(base + len - 4, ".xfm") == 0)
            len -= 4;
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, base, len);
        name[len] = '\0';
        xf_encoder_set_name(*out, name);
    }
    return rc;
}

const char *xf_encoder_name(const xf_encoder *enc)
{
    return enc->name;
}

void xf_encoder_set_name(xf_encoder *enc, const char *name)
{
    size_t len = strlen(name);
    if (len >= sizeof enc->name)
        len = sizeof enc->name - 1;
    memcpy(enc->name, name, len);
    enc->name[len] = '\0';
}

/* FNV-1a of v's little-endian bytes. */
static uint64_t fnv_u32(uint64_t h, uint32_t v)
{
    unsigned char b[4];
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16);
    b[3] = (unsigned char)(v >> 24);
    return xf__fnv1a(h, b, 4);
}

uint64_t xf_encoder_fingerprint(const xf_encoder *enc)
{
    const xf_encoder_config *c = &enc->cfg;
    uint64_t h = XF__FNV_OFFSET;
    size_t i;
    h = fnv_u32(h, (uint32_t)c->arch);
    h = fnv_u32(h, (uint32_t)c->context);
    h = fnv_u32(h, (uint32_t)c->n_layers);
    h = fnv_u32(h, (uint32_t)c->n_hidden);
    h = fnv_u32(h, (uint32_t)c->n_channels);
    h = fnv_u32(h, (uint32_t)c->n_blocks);
    h = fnv_u32(h, (uint32_t)c->kernel_size);
    if (c->n_inputs != XF_ENCODER_N_IN) /* so that 2-input fingerprints stay as they were */
        h = fnv_u32(h, (uint32_t)c->n_inputs);
    for (i = 0; i < enc->n_params; i++) {
        uint32_t bits;
        memcpy(&bits, &enc->params[i], sizeof bits);
        h = fnv_u32(h, bits);
    }
    return h;
}

int xf_encoder_forecast(const xf_encoder *enc, xf_encoder_workspace *ws, const float *windows,
                        size_t n, int32_t horizon, float *out, xf_error *err)
{
    const int32_t none[2] = {1, 0};
    return xf_encoder_forecast_periods(enc, ws, windows, n, horizon, none, out, NULL, err);
}

int xf_encoder_forecast_periods(const xf_encoder *enc, xf_encoder_workspace *ws,
                                const float *windows, size_t n, int32_t horizon,
                                const int32_t periods[2], float *out, float *quantiles,
                                xf_error *err)
{
    size_t E = enc->embed_size, T, i, h, k, q, done = 0, nq, O, med;
    float *buf = NULL, *yhat = NULL;
    xf__phead hd;
    int rc = XF_OK;
    if (enc->horizon <= 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "this encoder has no pretraining head");
    if (horizon <= 0 || horizon > enc->horizon)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "horizon %d is outside 1..%d, the encoder's "
                        "pretraining horizon",
                        (int)horizon, (int)enc->horizon);
    if (ws == NULL || ws->enc != enc)
        return xf__fail(err, XF_EINVAL, 0, 0, "the workspace was made for another encoder");
    if (periods == NULL || periods[0] < 0 || periods[1] < 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "the periods must be given and not negative");
    xf__encoder_phead(enc, &hd);
    T = (size_t)enc->cfg.context;
    nq = hd.nq;
    O = xf__phead_outputs(&hd);
    med = xf__encoder_phead_median(enc);
    if (hd.kind == XF__PHEAD_SEASONAL) {
        buf = xf__malloc_array(xf__phead_window_scratch(&hd, T) + O, sizeof *buf);
        if (buf == NULL)
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        yhat = buf + xf__phead_window_scratch(&hd, T);
    }
    /* embed a group at a time into the workspace, then apply the head */
    while (done < n) {
        size_t b = n - done < XF_ENCODER_GROUP ? n - done : XF_ENCODER_GROUP;
        float norm[2 * XF_ENCODER_GROUP];
        int32_t wp[XF_ENCODER_GROUP];
        for (i = 0; i < b; i++)
            wp[i] = periods[0];
        if ((rc = xf__encoder_embed_periods(enc, ws, windows + done * T, b, wp, ws->fc_emb, norm,
                                            err)) != XF_OK)
            break;
        for (i = 0; i < b; i++) {
            const float *e = ws->fc_emb + i * E;
            float mean = norm[2 * i], sd = norm[2 * i + 1];
            if (hd.kind != XF__PHEAD_SEASONAL) {
                for (h = 0; h < (size_t)horizon; h++) {
                    const float *w = enc->head_w + h * E;
                    double acc = enc->head_b[h];
                    for (k = 0; k < E; k++)
                        acc += (double)w[k] * e[k];
                    if (out != NULL)
                        out[(done + i) * (size_t)horizon + h] = (float)(acc * sd + mean);
                    if (quantiles != NULL)
                        quantiles[(done + i) * (size_t)horizon + h] = (float)(acc * sd + mean);
                }
                continue;
            }
            xf__phead_window(&hd, windows + (done + i) * T, T, periods, e, buf, yhat);
            for (q = 0; q < nq; q++)
                for (h = 0; h < (size_t)horizon; h++) {
                    /* quantiles sorted per step: the outputs may cross */
                    float v = yhat[q * hd.Hf + h] * sd + mean;
                    if (quantiles != NULL)
                        quantiles[((done + i) * nq + q) * (size_t)horizon + h] = v;
                    if (out != NULL && q == med)
                        out[(done + i) * (size_t)horizon + h] = v;
                }
            if (quantiles != NULL)
                for (h = 0; h < (size_t)horizon; h++)
                    for (q = 1; q < nq; q++) {
                        /* insertion sort of the step's nq values */
                        float *qs = quantiles + (done + i) * nq * (size_t)horizon + h;
                        size_t r = q;
                        float v = qs[r * (size_t)horizon];
                        while (r > 0 && qs[(r - 1) * (size_t)horizon] > v) {
                            qs[r * (size_t)horizon] = qs[(r - 1) * (size_t)horizon];
                            r--;
                        }
                        qs[r * (size_t)horizon] = v;
                    }
        }
        done += b;
    }
    free(buf);
    return rc;
}
