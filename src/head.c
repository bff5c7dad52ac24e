/* head.c - the head object: allocation, getters, attaching encoders,
 * the covariate check and the one-line description.  The jobs around it
 * live in head_domain.c, head_options.c, head_fit.c, head_update.c,
 * head_conformal.c, head_provenance.c, head_forecast.c, head_zeroshot.c
 * and head_file.c.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "head_blend.h"
#include "head_internal.h"
#include "head_intervals.h"
#include "model_check.h"

xf_head *xf__head_alloc(void)
{
    xf_head *h = calloc(1, sizeof *h);
    if (h == NULL)
        return NULL;
    if (xf_xfm_new("head", &h->meta) != XF_OK) {
        free(h);
        return NULL;
    }
    return h;
}

void xf_head_free(xf_head *h)
{
    size_t j;
    if (h == NULL)
        return;
    if (h->cov_names != NULL)
        for (j = 0; j < h->spec.n_cov; j++)
            free(h->cov_names[j]);
    free(h->cov_names);
    free(h->W);
    free(h->b);
    free(h->lambda);
    free(h->prior_w);
    free(h->prior_b);
    free(h->q_lo);
    free(h->q_hi);
    free(h->calib);
    xf__ivl_free(h->ivl);
    xf__ridge_stats_free(&h->stats);
    xf_xfm_free(h->meta);
    free(h);
}

int32_t xf_head_horizon(const xf_head *h)
{
    return h->spec.horizon;
}

xf_domain xf_head_domain(const xf_head *h)
{
    return h->domain;
}

size_t xf_head_n_levels(const xf_head *h)
{
    return h->n_levels;
}

double xf_head_level(const xf_head *h, size_t i)
{
    return i < h->n_levels ? h->levels[i] : NAN;
}

int32_t xf_head_season(const xf_head *h)
{
    return h->season;
}

size_t xf_head_n_features(const xf_head *h)
{
    return h->spec.p;
}

size_t xf_head_n_covariates(const xf_head *h)
{
    return h->spec.n_cov;
}

const char *xf_head_covariate_name(const xf_head *h, size_t j)
{
    return j < h->spec.n_cov ? h->cov_names[j] : NULL;
}

int xf_head_is_zeroshot(const xf_head *h)
{
    return h->zeroshot;
}

const struct xf_xfm *xf_head_meta(const xf_head *h)
{
    return h->meta;
}

struct xf_xfm *xf_head_meta_mut(xf_head *h)
{
    return h->meta;
}

size_t xf_head_n_encoders(const xf_head *h)
{
    return h->n_enc;
}

const char *xf_head_encoder_name(const xf_head *h, size_t i)
{
    return i < h->n_enc ? h->enc_name[i] : NULL;
}

uint64_t xf_head_encoder_fingerprint(const xf_head *h, size_t i)
{
    return i < h->n_enc ? h->enc_fp[i] : 0;
}

int xf_head_attach_encoders(xf_head *h, xf_encoder *const *encs, size_t n_enc, xf_error *err)
{
    size_t i, j;
    const xf_encoder *found[XF_MAX_ENCODERS] = {NULL};
    int rc;
    for (i = 0; i < h->n_enc; i++) {
        found[i] = NULL;
        for (j = 0; j < n_enc; j++)
            if (encs[j] != NULL && xf_encoder_fingerprint(encs[j]) == h->enc_fp[i])
                found[i] = encs[j];
        if (found[i] == NULL) {
            char got[256] = "";
            size_t len = 0;
            for (j = 0; j < n_enc && len < sizeof got - 40; j++)
                len +=
                    encs[j] == NULL
                        ? (size_t)snprintf(got + len, sizeof got - len, "%s(none)", j ? ", " : "")
                        : (size_t)snprintf(got + len, sizeof got - len, "%s'%s' %016llx",
                                           j ? ", " : "", xf_encoder_name(encs[j]),
                                           (unsigned long long)xf_encoder_fingerprint(encs[j]));
            return xf__fail(err, XF_EDATA, 0, 0,
                            "the head was fitted on encoder '%s' "
                            "(fingerprint %016llx), which is not among the encoders given (%s): "
                            "pass the encoder file it was fitted with, or refit the head",
                            h->enc_name[i], (unsigned long long)h->enc_fp[i], n_enc ? got : "none");
        }
        if ((int64_t)xf_encoder_embed_size(found[i]) != h->enc_embed[i] ||
            (int64_t)xf_encoder_context(found[i]) != h->enc_context[i])
            return xf__fail(err, XF_EDATA, 0, 0,
                            "encoder '%s' has embedding %zu / context %d; "
                            "the head expects %lld / %lld",
                            h->enc_name[i], xf_encoder_embed_size(found[i]),
                            (int)xf_encoder_context(found[i]), (long long)h->enc_embed[i],
                            (long long)h->enc_context[i]);
    }
    /* a zero-shot head forecasts with its encoder's pretraining head */
    if (h->n_enc > 0 && (rc = xf__model_check_zeroshot(h, found[0], err)) != XF_OK)
        return rc;
    for (i = 0; i < h->n_enc; i++)
        h->spec.enc[i] = found[i];
    h->spec.n_enc = h->n_enc;
    xf__feat_spec_layout(&h->spec);
    h->attached = 1;
    return XF_OK;
}

/* The panel must carry the head's covariates, in the head's order. */
int xf__head_check_covariates(const xf_head *h, const xf_panel *panel, xf_error *err)
{
    size_t j;
    if (xf_panel_n_covariates(panel) < h->spec.n_cov)
        return xf__fail(err, XF_EDATA, 0, 0,
                        "the head uses %zu covariate(s) (first: '%s'); the "
                        "data has %zu",
                        h->spec.n_cov, h->cov_names[0], xf_panel_n_covariates(panel));
    for (j = 0; j < h->spec.n_cov; j++)
        if (strcmp(xf_panel_covariate_name(panel, j), h->cov_names[j]) != 0)
            return xf__fail(err, XF_EDATA, 0, 0,
                            "covariate %zu is '%s' in the data but '%s' in "
                            "the head",
                            j + 1, xf_panel_covariate_name(panel, j), h->cov_names[j]);
    return XF_OK;
}

void xf__head_local_periods_text(const int32_t *lp, char *buf, size_t n)
{
    if (lp[0] > 1 && lp[1] > 1)
        snprintf(buf, n, " (periods %d, %d)", (int)(lp[0] < lp[1] ? lp[0] : lp[1]),
                 (int)(lp[0] < lp[1] ? lp[1] : lp[0]));
    else if (lp[0] > 1)
        snprintf(buf, n, " (period %d)", (int)lp[0]);
    else
        snprintf(buf, n, " (no season)");
}

size_t xf_head_describe(const xf_head *h, char *buf, size_t n)
{
    char enc[256] = "", cal[96] = "", base[320], zs[160] = " (pretraining head)";
    size_t i, len = 0;
    int c, k;
    static const char *const cal_names[] = {"hour-of-day", "day-of-week", "day-of-year",
                                            "month-of-year"};
    /* h->n_enc: the encoders the head needs, attached or not yet */
    for (i = 0; i < h->n_enc && len < sizeof enc - 80; i++)
        len +=
            (size_t)snprintf(enc + len, sizeof enc - len, "%s%s", i ? " + " : "", h->enc_name[i]);
    len = 0;
    for (c = 0; c < XF_CAL_N && len < sizeof cal - 30; c++)
        if (h->spec.n_harm[c] > 0)
            len += (size_t)snprintf(cal + len, sizeof cal - len, "%s%s x%d", len ? ", " : "",
                                    c == XF_CAL_WEEK && h->spec.n_harm[c] > 4 ? "hour-of-week"
                                                                              : cal_names[c],
                                    (int)h->spec.n_harm[c]);
    if (h->spec.baseline > 1)
        snprintf(base, sizeof base, "corrects seasonal naive (period %d)", (int)h->spec.baseline);
    else
        snprintf(base, sizeof base, "%s",
                 h->spec.baseline == 1                   ? "corrects naive"
                 : h->spec.baseline == XF_BASELINE_LOCAL ? "corrects the local model"
                                                         : "no baseline");
    if (h->spec.local_features || h->spec.baseline == XF_BASELINE_LOCAL) {
        size_t bl = strlen(base);
        snprintf(base + bl, sizeof base - bl, "%s",
                 h->spec.local_features ? "; local model features" : "");
        bl = strlen(base);
        xf__head_local_periods_text(h->spec.local_period, base + bl, sizeof base - bl);
    }
    if (h->prior_w != NULL) {
        size_t bl = strlen(base);
        snprintf(base + bl, sizeof base - bl, "; shrunk towards the %s domain head",
                 xf_domain_name(h->domain));
    }
    if (h->zeroshot) /* its own forecast: the pretraining head's */
        snprintf(base, sizeof base, "%s", "point forecast: the pretraining head's");
    if (h->blend_share > 0) {
        size_t bl = strlen(base);
        bl += (size_t)snprintf(base + bl, sizeof base - bl, "%s",
                               h->zeroshot ? " blended with " : "; blended with ");
        if (bl < sizeof base)
            xf__blend_name(h, 1, base + bl, sizeof base - bl);
    }
    if (h->zeroshot && h->n_enc > 0 && h->spec.enc[0] != NULL &&
        xf_encoder_head_kind(h->spec.enc[0]) == XF_ENCODER_HEAD_SEASONAL) {
        /* the seasonal pretraining head reads the periods */
        snprintf(zs, sizeof zs, " (seasonal pretraining head, periods %d, %d%s)",
                 (int)h->zs_periods[0], (int)h->zs_periods[1],
                 h->zs_width ? "; intervals scaled by its 0.1-0.9 quantile spread" : "");
    }
    k = snprintf(buf, n,
                 "%s head, domain %s, horizon %d: %s%s%s; %d lags; calendar %s; "
                 "%zu covariate(s); %s, %s; %s; %zu features",
                 h->zeroshot ? "zero-shot" : "ridge", xf_domain_name(h->domain),
                 (int)h->spec.horizon, h->n_enc ? "embeddings of " : "",
                 h->n_enc ? enc : "no embeddings", h->zeroshot ? zs : "", (int)h->spec.n_lags,
                 cal[0] ? cal : "off", h->spec.n_cov,
                 h->spec.log_transform ? "log values" : "values",
                 h->spec.level_last   ? "returns scale"
                 : h->spec.scale_mode ? "seasonal-difference scale"
                                      : "std scale",
                 base, h->spec.p);
    return k < 0 ? 0 : (size_t)k;
}
