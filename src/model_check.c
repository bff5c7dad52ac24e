/* model_check.c - the checks of meaning made on every loaded encoder and
 * head, after the container's (model_check.h; docs/model-format.md,
 * "Validation at load").
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoder_internal.h"
#include "head_internal.h"
#include "model_check.h"

#define MB (1024.0 * 1024.0)
#define GB (1024.0 * MB)

double xf__model_memory_limit(void)
{
    const char *s = getenv(XF__MODEL_MEMORY_ENV);
    char *end;
    long long v;
    if (s == NULL || s[0] == '\0')
        return XF__MODEL_MEMORY_DEFAULT_MB * MB;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < 1 || v > (1LL << 30))
        return XF__MODEL_MEMORY_DEFAULT_MB * MB;
    return (double)v * MB;
}

/* "3.2 GB", "12 MB": bytes for messages */
static void bytes_text(char *buf, size_t n, double bytes)
{
    if (bytes >= GB)
        snprintf(buf, n, "%.*f GB", bytes >= 10 * GB ? 0 : 1, bytes / GB);
    else
        snprintf(buf, n, "%.0f MB", ceil(bytes / MB));
}

/* "needs 3.2 GB, over the 1 GB limit (...)" for messages */
static void cost_text(char *buf, size_t n, double need)
{
    char a[32], b[32];
    double limit = xf__model_memory_limit();
    bytes_text(a, sizeof a, need);
    if (fmod(limit, GB) == 0)
        snprintf(b, sizeof b, "%.0f GB", limit / GB);
    else
        snprintf(b, sizeof b, "%.0f MB", limit / MB);
    snprintf(buf, n, "needs %s, over the %s limit (set %s, in MB, to raise it)", a, b,
             XF__MODEL_MEMORY_ENV);
}

double xf__model_encoder_bytes(const xf__encoder_arch *arch, const xf_encoder_config *cfg,
                               int64_t outputs, int32_t lags)
{
    xf__layout lay;
    double E = (double)arch->embed_size(cfg), t = (double)cfg->context;
    double batch = XF_HEAD_FEAT_BATCH, group = XF_ENCODER_GROUP, floats;
    /* count the parameters: a layout with no room allocates nothing */
    memset(&lay, 0, sizeof lay);
    arch->layout(cfg, &lay);
    floats = (double)lay.n_params;
    /* the pretraining head: weights, baseline weights, bias */
    floats += (outputs > 0 ? (double)outputs : 0.0) * (E + (lags > 0 ? lags : 0) + 4);
    /* the workspaces of a batch of forecast origins (encoder.c's
     * xf_encoder_workspace_new, featurize.c's xf__feat_ws_new) */
    floats += batch * t * cfg->n_inputs +
              (double)arch->scratch_size(cfg, XF_ENCODER_GROUP, (size_t)cfg->context);
    floats += 2 * group * E + batch * t + batch * E + batch * (E + 3);
    return floats * sizeof(float);
}

void xf__model_encoder_shape(const xf__encoder_arch *arch, const xf_encoder_config *cfg, char *buf,
                             size_t n)
{
    size_t i, len;
    int k = snprintf(buf, n, "%s", arch->name);
    len = k > 0 && (size_t)k < n ? (size_t)k : 0;
    for (i = 0; i < arch->n_fields && len + 64 < n; i++) {
        const char *key = arch->fields[i].key;
        key += strncmp(key, "encoder.", 8) == 0 ? 8 : 0;
        len += (size_t)snprintf(buf + len, n - len, "%s%s %d", i ? " x " : " ", key,
                                (int)xf__encoder_field_get(cfg, &arch->fields[i]));
    }
    if (len + 24 < n)
        snprintf(buf + len, n - len, " (context %d)", (int)cfg->context);
}

int xf__model_check_encoder_cost(const char *path, const xf__encoder_arch *arch,
                                 const xf_encoder_config *cfg, int64_t outputs, int32_t lags,
                                 xf_error *err)
{
    double need;
    char shape[256], lim[160];
    if (xf__encoder_arch_check_config(arch, cfg, NULL) != XF_OK)
        return XF_OK; /* the loader names what the architecture refuses */
    need = xf__model_encoder_bytes(arch, cfg, outputs, lags);
    if (need <= xf__model_memory_limit())
        return XF_OK;
    xf__model_encoder_shape(arch, cfg, shape, sizeof shape);
    cost_text(lim, sizeof lim, need);
    return xf__fail(err, XF_ERANGE, 0, 0, "%s: encoder %s %s", path, shape, lim);
}

/* The first non-finite value of x[0..n), or n. */
static size_t first_bad(const float *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return i;
    return n;
}

static size_t first_bad_f64(const double *x, size_t n)
{
    size_t i;
    for (i = 0; x != NULL && i < n; i++)
        if (!isfinite(x[i]))
            return i;
    return n;
}

int xf__model_check_encoder(const xf_encoder *enc, const char *path, xf_error *err)
{
    size_t i, k, E = enc->embed_size;
    for (i = 0; i < enc->n_tensors; i++) {
        const xf__tensor *t = &enc->tensors[i];
        if ((k = first_bad(enc->params + t->offset, t->count)) < t->count)
            return xf__fail(err, XF_EFORMAT, 0, 0,
                            "%s: tensor '%s' holds %g at element %zu: weights must be finite", path,
                            t->name, (double)enc->params[t->offset + k], k);
    }
    if (enc->horizon > 0) {
        size_t H = (size_t)enc->horizon * (size_t)enc->head_nq, K = E + (size_t)enc->head_lags;
        if ((k = first_bad(enc->head_w, H * K)) < H * K)
            return xf__fail(err, XF_EFORMAT, 0, 0,
                            "%s: tensor 'pretrain.W' holds %g at [%zu][%zu]: weights must be "
                            "finite",
                            path, (double)enc->head_w[k], k / K, k % K);
        if ((k = first_bad(enc->head_b, H)) < H)
            return xf__fail(err, XF_EFORMAT, 0, 0,
                            "%s: tensor 'pretrain.b' holds %g at [%zu]: weights must be finite",
                            path, (double)enc->head_b[k], k);
        if (enc->head_a != NULL &&
            (k = first_bad(enc->head_a, H * XF__PHEAD_NB)) < H * XF__PHEAD_NB)
            return xf__fail(err, XF_EFORMAT, 0, 0,
                            "%s: tensor 'pretrain.A' holds %g at [%zu][%zu]: weights must be "
                            "finite",
                            path, (double)enc->head_a[k], k / XF__PHEAD_NB, k % XF__PHEAD_NB);
        if (enc->head_u != NULL &&
            (k = first_bad(enc->head_u, XF__PHEAD_NB * E)) < XF__PHEAD_NB * E)
            return xf__fail(err, XF_EFORMAT, 0, 0,
                            "%s: tensor 'pretrain.U' holds %g at [%zu][%zu]: weights must be "
                            "finite",
                            path, (double)enc->head_u[k], k / E, k % E);
    }
    return XF_OK;
}

int xf__model_check_head_cost(const char *path, int64_t H, int64_t P, size_t n_levels,
                              int has_stats, xf_error *err)
{
    double h = (double)H, p = (double)P, batch = XF_HEAD_FEAT_BATCH, need;
    char lim[160];
    /* weights, biases, penalties, interval bounds, statistics */
    need = h * p + 3 * h + 2 * (double)n_levels * h;
    if (has_stats)
        need += p * p + p * h + p + 2 * h;
    /* a batch of forecast origins: feature rows, predictions */
    need += batch * (p + h + 3);
    need *= sizeof(double);
    if (need <= xf__model_memory_limit())
        return XF_OK;
    cost_text(lim, sizeof lim, need);
    return xf__fail(err, XF_ERANGE, 0, 0,
                    "%s: head horizon %" PRId64 " x n_features %" PRId64 "%s %s", path, H, P,
                    has_stats ? " (with its statistics)" : "", lim);
}

int xf__model_encoder_name_ok(const char *name)
{
    size_t i, len = strlen(name);
    if (name[0] == '.' || (len >= 4 && strcmp(name + len - 4, ".xfm") == 0))
        return 0;
    for (i = 0; i < len; i++)
        if (name[i] == '/' || name[i] == '\\' || (unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return 0;
    return 1;
}

/* A non-finite value of tensor `name` [d0][d1] (d1 0: one dimension). */
static int check_finite(const char *path, const char *name, const double *x, size_t d0, size_t d1,
                        xf_error *err)
{
    size_t n = d0 * (d1 > 0 ? d1 : 1), k = first_bad_f64(x, n);
    if (k == n)
        return XF_OK;
    if (d1 > 0)
        return xf__fail(err, XF_EFORMAT, 0, 0,
                        "%s: tensor '%s' holds %g at [%zu][%zu]: values must be finite", path, name,
                        x[k], k / d1, k % d1);
    return xf__fail(err, XF_EFORMAT, 0, 0,
                    "%s: tensor '%s' holds %g at [%zu]: values must be finite", path, name, x[k],
                    k);
}

int xf__model_check_head(const xf_head *h, const char *path, xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, P = h->spec.p, L = h->n_levels, i, l, k;
    int rc;
    for (i = 0; i < h->n_enc; i++)
        if (!xf__model_encoder_name_ok(h->enc_name[i])) {
            char q[80];
            xf__quote(q, sizeof q, h->enc_name[i], strlen(h->enc_name[i]), 64);
            return xf__fail(err, XF_EFORMAT, 0, 0,
                            "%s: encoder.%zu.name '%s' is not a plain name: a head names its "
                            "encoders, which are looked up by name in the model search path "
                            "($XFCAST_MODELS, then the installed models directory) or given "
                            "explicitly (xfcast --encoder PATH), never at a path the head holds",
                            path, i, q);
        }
    if (!h->zeroshot && P == 0)
        return xf__fail(err, XF_EFORMAT, 0, 0,
                        "%s: head.n_features is 0: a ridge head needs at least one feature", path);
    if (!h->zeroshot && ((rc = check_finite(path, "weights", h->W, H, P, err)) != XF_OK ||
                         (rc = check_finite(path, "bias", h->b, H, 0, err)) != XF_OK ||
                         (rc = check_finite(path, "lambda", h->lambda, H, 0, err)) != XF_OK))
        return rc;
    if (h->prior_w != NULL &&
        ((rc = check_finite(path, "prior.weights", h->prior_w, H, P, err)) != XF_OK ||
         (rc = check_finite(path, "prior.bias", h->prior_b, H, 0, err)) != XF_OK))
        return rc;
    if (L > 0 && ((rc = check_finite(path, "interval.lo", h->q_lo, L, H, err)) != XF_OK ||
                  (rc = check_finite(path, "interval.hi", h->q_hi, L, H, err)) != XF_OK))
        return rc;
    for (l = 0; l < L; l++)
        for (k = 0; k < H; k++)
            if (h->q_lo[l * H + k] > h->q_hi[l * H + k])
                return xf__fail(err, XF_EFORMAT, 0, 0,
                                "%s: interval level %g, step %zu: lower bound %g is above the "
                                "upper bound %g",
                                path, h->levels[l], k + 1, h->q_lo[l * H + k], h->q_hi[l * H + k]);
    if (h->stats.p > 0) {
        const xf__ridge_stats *s = &h->stats;
        if (!isfinite(s->n) || s->n < 0)
            return xf__fail(err, XF_EFORMAT, 0, 0, "%s: stats.n is %g", path, s->n);
        if ((rc = check_finite(path, "stats.xtx", s->xtx, P, P, err)) != XF_OK ||
            (rc = check_finite(path, "stats.xty", s->xty, P, H, err)) != XF_OK ||
            (rc = check_finite(path, "stats.sx", s->sx, P, 0, err)) != XF_OK ||
            (rc = check_finite(path, "stats.sy", s->sy, H, 0, err)) != XF_OK ||
            (rc = check_finite(path, "stats.yty", s->yty, H, 0, err)) != XF_OK)
            return rc;
    }
    return XF_OK;
}

int xf__model_check_zeroshot(const xf_head *h, const xf_encoder *enc, xf_error *err)
{
    int32_t have;
    if (!h->zeroshot)
        return XF_OK;
    if (enc == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "the zero-shot head has no encoder attached");
    have = xf_encoder_horizon(enc);
    if (have <= 0 || xf_encoder_head_weights(enc) == NULL || xf_encoder_head_bias(enc) == NULL)
        return xf__fail(err, XF_EDATA, 0, 0,
                        "the zero-shot head forecasts %d steps with the pretraining head of "
                        "encoder '%s', which has none (no pretrain.W / pretrain.b tensors)",
                        (int)h->spec.horizon, xf_encoder_name(enc));
    if (have < h->spec.horizon)
        return xf__fail(err, XF_EDATA, 0, 0,
                        "the zero-shot head forecasts %d steps; the pretraining head of encoder "
                        "'%s' forecasts %d (a head for longer horizons must be fitted)",
                        (int)h->spec.horizon, xf_encoder_name(enc), (int)have);
    if (h->zs_width && !xf__encoder_phead_has_spread(enc))
        return xf__fail(err, XF_EDATA, 0, 0,
                        "the zero-shot head scales its intervals by the 0.1 and 0.9 quantiles "
                        "of the pretraining head of encoder '%s', which has none",
                        xf_encoder_name(enc));
    return XF_OK;
}
