/* head_prior.c - the domain heads' data: panels of generated corpus-v2
 * series of one domain at a series' frequency (see head_prior.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "head_internal.h"
#include "head_prior.h"
#include "pretrain_head.h"
#include "xf_internal.h"
#include "xfcast/corpus.h"

#define PRIOR_MAX_SERIES 100000
#define PRIOR_MIN_LEN 50
#define PRIOR_SCAN 400 /* sample indices looked at per series asked, per stage */
/* 2000-01-03T00:00:00Z, a Monday: days since 1970-01-01 x microseconds a day */
#define PRIOR_T0 ((xf_time)10959 * XF_TIME_US_PER_DAY)

static int kind_ok(xf_domain d, xf_corpus_kind k)
{
    switch (d) {
    case XF_DOMAIN_STOCK:
        return k == XF_CORPUS_KIND_STOCK;
    case XF_DOMAIN_WEATHER:
        return k == XF_CORPUS_KIND_WEATHER;
    case XF_DOMAIN_ENERGY:
        return k == XF_CORPUS_KIND_ENERGY;
    default:
        return 1;
    }
}

/* The first n sample indices (from 0, at most `scan` looked at) whose plan
 * passes the stage's test; returns how many were found. */
static size_t pick(const xf_corpus *c, xf_domain d, const char *cal, xf__prior_match stage,
                   size_t n, uint64_t scan, uint64_t *idx)
{
    size_t got = 0;
    uint64_t i;
    for (i = 0; i < scan && got < n; i++) {
        xf_corpus_kind k;
        const char *sc;
        xf_corpus_sample_plan(c, i, &k, &sc, NULL);
        if ((stage == XF__PRIOR_DOMAIN && kind_ok(d, k) && strcmp(sc, cal) == 0) ||
            (stage == XF__PRIOR_CALENDAR && strcmp(sc, cal) == 0) ||
            (stage == XF__PRIOR_ANY && strcmp(sc, "none") == 0))
            idx[got++] = i;
    }
    return got;
}

int xf__prior_panel(xf_domain domain, xf_freq freq, size_t n_series, size_t max_len, uint64_t seed,
                    xf_panel **out, xf__prior_match *match, xf_error *err)
{
    xf_corpus_options co;
    xf_corpus *c = NULL;
    xf_corpus_workspace *ws = NULL;
    xf_panel *p = NULL;
    uint64_t *idx = NULL;
    double *v = NULL;
    xf_time *t = NULL;
    const char *cal = xf__phead_calendar_freq(freq);
    xf__prior_match stage = XF__PRIOR_DOMAIN;
    size_t got = 0, s, k;
    int rc;
    *out = NULL;
    if (n_series == 0 || n_series > PRIOR_MAX_SERIES || max_len < PRIOR_MIN_LEN)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "domain data: %zu series of at most %zu values (need 1..%d series of "
                        "%d values or more)",
                        n_series, max_len, PRIOR_MAX_SERIES, PRIOR_MIN_LEN);
    if (freq.kind == XF_FREQ_UNKNOWN || freq.step <= 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "domain data: the frequency is not known");
    xf_corpus_options_init(&co);
    co.version = XF_CORPUS_VERSION_2;
    co.seed = seed;
    if ((rc = xf_corpus_new(&co, &c, err)) != XF_OK)
        return rc;
    if ((rc = xf_corpus_workspace_new(c, &ws, err)) != XF_OK)
        goto done;
    idx = xf__malloc_array(n_series, sizeof *idx);
    v = xf__malloc_array(XF_CORPUS_V2_MAX_LENGTH, sizeof *v);
    t = xf__malloc_array(XF_CORPUS_V2_MAX_LENGTH, sizeof *t);
    if (idx == NULL || v == NULL || t == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    if (cal == NULL)
        stage = XF__PRIOR_ANY;
    for (; stage <= XF__PRIOR_ANY; stage++) {
        got = pick(c, domain, cal, stage, n_series, (uint64_t)PRIOR_SCAN * n_series, idx);
        if (got == n_series)
            break;
    }
    if (got < n_series) { /* not reached: a third of the samples are of no calendar */
        rc = xf__fail(err, XF_EDATA, 0, 0, "domain data: found %zu of %zu samples", got, n_series);
        goto done;
    }
    if ((rc = xf_panel_new(NULL, 0, &p, err)) != XF_OK)
        goto done;
    for (s = 0; s < n_series; s++) {
        xf_corpus_sample_info in;
        size_t len, keep;
        char id[40];
        xf_corpus_sample_info_init(&in);
        if ((rc = xf_corpus_sample(c, ws, idx[s], 0, v, NULL, NULL, &in)) != XF_OK) {
            rc = xf__fail(err, rc, 0, 0, "domain data: corpus sample %llu failed",
                          (unsigned long long)idx[s]);
            goto done;
        }
        len = in.length;
        keep = len < max_len ? len : max_len;
        t[0] = PRIOR_T0;
        for (k = 1; k < keep; k++)
            if (xf_freq_advance(freq, t[k - 1], 1, &t[k]) != XF_OK) {
                rc = xf__fail(err, XF_ERANGE, 0, 0, "domain data: timestamps out of range");
                goto done;
            }
        snprintf(id, sizeof id, "corpus-%llu", (unsigned long long)idx[s]);
        if ((rc = xf_panel_add_series(p, id, keep, t, freq, v + (len - keep), NULL, err)) != XF_OK)
            goto done;
    }
    if (match != NULL)
        *match = stage;
    *out = p;
    p = NULL;
    rc = XF_OK;
done:
    xf_panel_free(p);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
    free(idx);
    free(v);
    free(t);
    return rc;
}

static const double prior_lambdas[] = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 3e-2, 0.1,
                                       0.3,  1,    3,    10,   100,  1000};

void xf__prior_cache_free(xf__prior_cache *c)
{
    if (c == NULL)
        return;
    xf_panel_free(c->panel);
    free(c->emb);
    memset(c, 0, sizeof *c);
}

/* The cache's panel for this key, generated when it holds another one. */
static int cached_panel(xf__prior_cache *c, xf_domain domain, xf_freq freq, size_t n_series,
                        size_t max_len, uint64_t seed, xf_panel **out, xf_error *err)
{
    int rc;
    if (c->panel != NULL && c->domain == domain && c->freq.kind == freq.kind &&
        c->freq.step == freq.step && c->freq.month_end == freq.month_end &&
        c->n_series == n_series && c->max_len == max_len && c->seed == seed) {
        *out = c->panel;
        return XF_OK;
    }
    xf__prior_cache_free(c);
    if ((rc = xf__prior_panel(domain, freq, n_series, max_len, seed, &c->panel, NULL, err)) !=
        XF_OK)
        return rc;
    c->domain = domain;
    c->freq = freq;
    c->n_series = n_series;
    c->max_len = max_len;
    c->seed = seed;
    *out = c->panel;
    return XF_OK;
}

/* Whether the cache's rows are those of spec's encoders at (t0, stride). */
static int rows_match(const xf__prior_cache *c, const xf__feat_spec *spec, size_t t0, size_t stride)
{
    size_t e;
    if (!c->have_rows || c->n_enc != spec->n_enc || c->t0 != t0 || c->stride != stride ||
        c->H != (size_t)spec->horizon || c->width != xf__feat_emb_width(spec))
        return 0;
    for (e = 0; e < spec->n_enc; e++)
        if (c->enc[e] != spec->enc[e])
            return 0;
    return 1;
}

int xf__head_prior_fit(const xf__feat_spec *spec, xf_domain domain, xf_freq freq, size_t n_series,
                       size_t max_len, size_t stride, uint64_t seed, int n_threads,
                       xf__prior_cache *cache, xf__ridge_model *out, size_t *n_rows, xf_error *err)
{
    size_t H = (size_t)spec->horizon, p = spec->p, s, t, i, m, rows = 0, n_train, r = 0;
    size_t width = xf__feat_emb_width(spec), t0 = xf__head_first_origin(spec);
    size_t *ser = NULL, *org = NULL;
    double *X = NULL, *Y = NULL, *lev = NULL, *sca = NULL, *base = NULL;
    unsigned char *ok = NULL;
    xf_panel *panel = NULL, *own = NULL;
    xf__feat_ws *ws = NULL;
    xf__ridge_stats st = {0}, sv = {0};
    xf__ridge_model chosen = {0};
    int rc, reuse = 0, fill = 0;
    memset(out, 0, sizeof *out);
    if (spec->n_cov > 0)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "a domain head has no covariates: fit the prior without them");
    if (stride == 0 || n_series < 2)
        return xf__fail(err, XF_EINVAL, 0, 0, "domain head: stride %zu, %zu series", stride,
                        n_series);
    if (cache != NULL) {
        rc = cached_panel(cache, domain, freq, n_series, max_len, seed, &panel, err);
    } else {
        rc = xf__prior_panel(domain, freq, n_series, max_len, seed, &own, NULL, err);
        panel = own;
    }
    if (rc != XF_OK)
        return rc;
    if (cache != NULL && spec->n_enc > 0) {
        reuse = rows_match(cache, spec, t0, stride);
        if (!reuse) { /* this fit's rows replace the cache's */
            size_t e;
            cache->have_rows = 0;
            cache->n = 0;
            cache->n_enc = spec->n_enc;
            for (e = 0; e < spec->n_enc; e++)
                cache->enc[e] = spec->enc[e];
            cache->t0 = t0;
            cache->stride = stride;
            cache->H = H;
            cache->width = width;
            fill = 1;
        }
    }
    if ((rc = xf__feat_ws_new(spec, XF_HEAD_FEAT_BATCH, n_threads, &ws, err)) != XF_OK)
        goto done;
    ser = xf__malloc_array(XF_HEAD_FEAT_BATCH, sizeof *ser);
    org = xf__malloc_array(XF_HEAD_FEAT_BATCH, sizeof *org);
    X = xf__malloc_array(XF_HEAD_FEAT_BATCH * p, sizeof *X);
    Y = xf__malloc_array(XF_HEAD_FEAT_BATCH * H, sizeof *Y);
    lev = xf__malloc_array(XF_HEAD_FEAT_BATCH, sizeof *lev);
    sca = xf__malloc_array(XF_HEAD_FEAT_BATCH, sizeof *sca);
    ok = malloc(XF_HEAD_FEAT_BATCH);
    base = xf__malloc_array(H, sizeof *base);
    if (!ser || !org || !X || !Y || !lev || !sca || !ok || !base ||
        xf__ridge_stats_init(&st, p, H) != XF_OK || xf__ridge_stats_init(&sv, p, H) != XF_OK) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    /* the last fifth of the series (at least one) choose the penalty */
    n_train = n_series - (n_series / 5 > 0 ? n_series / 5 : 1);
    for (s = 0; s < n_series; s++) {
        size_t n = xf_panel_series_length(panel, s);
        const double *y = xf_panel_series_values(panel, s);
        for (t = t0; t + H <= n;) {
            size_t j;
            const float *emb = NULL;
            for (m = 0; m < XF_HEAD_FEAT_BATCH && t + H <= n; m++, t += stride) {
                ser[m] = s;
                org[m] = t;
            }
            if (reuse) { /* the same origins, in the same order, as when they were cached */
                if (r + m > cache->n) {
                    rc = xf__fail(err, XF_EINVAL, 0, 0, "internal: domain head cache of %zu rows",
                                  cache->n);
                    goto done;
                }
                emb = cache->emb + r * width;
            } else if (fill) {
                if (xf__grow((void **)&cache->emb, &cache->cap, (r + m) * width,
                             sizeof *cache->emb) != 0) {
                    rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                    goto done;
                }
                if ((rc = xf__feat_embed(spec, ws, panel, ser, org, m, cache->emb + r * width,
                                         err)) != XF_OK)
                    goto done;
                emb = cache->emb + r * width;
                cache->n = r + m;
            }
            r += m;
            if ((rc = xf__feat_build(spec, ws, panel, ser, org, m, 0, emb, X, lev, sca, ok, err)) !=
                XF_OK)
                goto done;
            for (i = 0, j = 0; i < m; i++) {
                if (!ok[i] || !xf__feat_targets(spec, ws, y, n, org[i], lev[i], sca[i],
                                                XF_HEAD_MAX_TARGET, Y + j * H, base))
                    continue;
                if (j != i)
                    memmove(X + j * p, X + i * p, p * sizeof *X);
                j++;
            }
            xf__ridge_stats_add(s < n_train ? &st : &sv, X, Y, j);
            rows += j;
        }
    }
    if (st.n < 2 * (double)p || sv.n < 2) {
        rc = xf__fail(err, XF_EDATA, 0, 0,
                      "domain head: %zu usable origins for %zu features: too few", rows, p);
        goto done;
    }
    if ((rc = xf__ridge_fit(&st, &sv, prior_lambdas, sizeof prior_lambdas / sizeof *prior_lambdas,
                            1, &chosen, err)) != XF_OK)
        goto done;
    xf__ridge_stats_merge(&st, &sv);
    rc = xf__ridge_solve(&st, chosen.lambda, out, err);
    if (n_rows != NULL)
        *n_rows = rows;
    if (fill && rc == XF_OK)
        cache->have_rows = 1;
done:
    xf__ridge_model_free(&chosen);
    xf__ridge_stats_free(&st);
    xf__ridge_stats_free(&sv);
    xf__feat_ws_free(ws);
    xf_panel_free(own);
    free(ser);
    free(org);
    free(X);
    free(Y);
    free(lev);
    free(sca);
    free(ok);
    free(base);
    return rc;
}
