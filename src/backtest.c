/* backtest.c - where forecasts are scored: fit before the test period,
 * forecast from every test origin, compare with naive and seasonal naive.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "head_internal.h"
#include "head_intervals.h"
#include "xfcast/backtest.h"

#define BT_BATCH 256

static void backtest_options_defaults(xf_backtest_options *o)
{
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
    xf_head_options_init(&o->fit);
    o->test_start = XF_TIME_NONE;
    o->test_start_row = -1;
    o->test_end = XF_TIME_NONE;
    o->test_end_row = -1;
    o->stride = 0;
    o->zeroshot = 0;
}

void xf_backtest_options_init_sized(xf_backtest_options *o, size_t size)
{
    xf_backtest_options d;
    if (o == NULL)
        return;
    backtest_options_defaults(&d);
    xf__init_sized(o, &d, sizeof d, size);
}

/* The function itself, for programs that call it without the header's
 * macro: the struct as of libtool version 3. */
void(xf_backtest_options_init)(xf_backtest_options *o)
{
    xf_backtest_options_init_sized(o, XF__BACKTEST_OPTIONS_V3);
}

void xf_backtest_result_free(xf_backtest_result *r)
{
    free(r->per_step);
    memset(r, 0, sizeof *r);
}

/* Running sums of one method at one step (or overall). */
typedef struct acc {
    double sae, sse, ssmape, smase, n, nmase;
    double big, ssq; /* sse = big^2 * ssq, which does not overflow (values near 1e300) */
    double inside[XF_MAX_LEVELS];
    double width[XF_MAX_LEVELS], is[XF_MAX_LEVELS], nis; /* interval width, scaled score */
} acc;

static void acc_add(acc *a, double y, double f, double scale)
{
    double e = y - f, d = fabs(y) + fabs(f), ae = fabs(e);
    a->sae += fabs(e);
    a->sse += e * e;
    if (ae > a->big) {
        a->ssq = 1.0 + a->ssq * (a->big / ae) * (a->big / ae);
        a->big = ae;
    } else if (ae > 0) {
        a->ssq += (ae / a->big) * (ae / a->big);
    }
    a->ssmape += d > 0 ? 200.0 * fabs(e) / d : 0.0;
    a->n += 1;
    if (scale > 0) {
        a->smase += fabs(e) / scale;
        a->nmase += 1;
    }
}

static void acc_finish(const acc *a, size_t n_levels, xf_metrics *m)
{
    size_t l;
    memset(m, 0, sizeof *m);
    m->n = a->n;
    m->mae = a->n > 0 ? a->sae / a->n : NAN;
    m->rmse = a->n > 0 ? sqrt(a->sse / a->n) : NAN;
    if (a->n > 0 && !isfinite(a->sse)) /* the plain sum overflowed: the scaled one */
        m->rmse = a->big * sqrt(a->ssq / a->n);
    m->smape = a->n > 0 ? a->ssmape / a->n : NAN;
    m->mase = a->nmase > 0 ? a->smase / a->nmase : NAN;
    for (l = 0; l < XF_MAX_LEVELS; l++)
        m->coverage[l] = l < n_levels && a->n > 0 ? 100.0 * a->inside[l] / a->n : NAN;
}

/* First index at or after a time / row cut (n when none). */
static size_t cut_at(const xf_panel *panel, size_t i, xf_time t, int64_t row, size_t dflt)
{
    size_t n = xf_panel_series_length(panel, i), lo = 0, hi = n;
    const xf_time *ts = xf_panel_series_times(panel, i);
    if (row >= 0)
        return (uint64_t)row < n ? (size_t)row : n;
    if (t == XF_TIME_NONE)
        return dflt;
    if (ts == NULL)
        return n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Mean |x_t - x_{t-m}| over observed pairs with t < end (m falls back to 1
 * when the history is shorter than two seasons). */
static double mase_scale(const double *y, size_t end, size_t m)
{
    double s = 0;
    size_t t, n = 0;
    if (end <= 2 * m)
        m = 1;
    for (t = m; t < end; t++)
        if (isfinite(y[t]) && isfinite(y[t - m])) {
            s += fabs(y[t] - y[t - m]);
            n++;
        }
    return n > 0 ? s / (double)n : 0.0;
}

static double last_observed(const double *y, size_t origin)
{
    size_t t = origin;
    while (t-- > 0)
        if (isfinite(y[t]))
            return y[t];
    return NAN;
}

/* Seasonal naive for target index origin + h: the value a whole number of
 * seasons earlier inside the history (older seasons when it is missing). */
static double seasonal_naive(const double *y, size_t origin, size_t h, size_t m)
{
    size_t k = (h + m) / m; /* ceil((h + 1) / m) */
    int64_t idx = (int64_t)origin + (int64_t)h - (int64_t)(m * k);
    for (; idx >= 0; idx -= (int64_t)m)
        if (isfinite(y[idx]))
            return y[idx];
    return last_observed(y, origin);
}

/* State of one backtest run. */
typedef struct bt {
    const xf_head *h;
    const xf_panel *panel;
    xf__feat_ws *fws;
    size_t H, L, m_season, nb, ns;
    size_t *bs, *bo; /* batch: series, origin */
    double *X, *pred, *lev, *sca, *mean, *lo, *hi, *act, *scale;
    size_t *neg; /* [series] index of the first negative value (head.nonneg clipping) */
    xf_time *tt;
    unsigned char *ok;
    acc *steps, tot[XF_N_METHODS];
    /* adaptive intervals (head_intervals.h): per series, the window of
     * recent errors and the forecasts whose targets are not all observed
     * yet (a ring of np[s] of P: origin, steps released, errors [H]) */
    xf__roll *roll;
    size_t P, *np, *pfirst, *porg, *prel;
    double *pres, *pqlo, *pqhi; /* [series][P][H], issued quantiles [series][P][L][H] */
    double *qlo, *qhi, *qscratch;
    xf_backtest_cb cb;
    void *user;
    xf_backtest_result *out;
    const xf_head_options *fo; /* its progress callback: the forecasts done of total */
    size_t done, total;
} bt;

/* Adaptive intervals: the errors of series s's earlier forecasts whose
 * targets precede origin o (observed by then) enter its window. */
static void release(bt *c, size_t s, size_t o)
{
    size_t H = c->H;
    while (c->np[s] > 0) {
        size_t j = s * c->P + c->pfirst[s], po = c->porg[j], r = c->prel[j];
        size_t to = po + H <= o ? H : o > po ? o - po : 0;
        if (to > r)
            xf__ivl_observe(c->h, &c->roll[s], c->pres + j * H, c->pqlo + j * c->L * H,
                            c->pqhi + j * c->L * H, r, to);
        c->prel[j] = to > r ? to : r;
        if (c->prel[j] < H)
            break; /* later forecasts have later targets */
        c->pfirst[s] = (c->pfirst[s] + 1) % c->P;
        c->np[s]--;
    }
}

/* Keep the normalised errors of series s's forecast from origin o until
 * its targets are observed. */
static void pend(bt *c, size_t s, size_t o, const double *pred, double lev, double sca)
{
    const double *y = xf_panel_series_values(c->panel, s);
    size_t n = xf_panel_series_length(c->panel, s), H = c->H, j, k;
    if (c->np[s] == c->P) { /* cannot happen with the stride it was sized for */
        c->pfirst[s] = (c->pfirst[s] + 1) % c->P;
        c->np[s]--;
    }
    j = s * c->P + (c->pfirst[s] + c->np[s]) % c->P;
    c->porg[j] = o;
    c->prel[j] = 0;
    memcpy(c->pqlo + j * c->L * H, c->qlo, c->L * H * sizeof *c->qlo);
    memcpy(c->pqhi + j * c->L * H, c->qhi, c->L * H * sizeof *c->qhi);
    for (k = 0; k < H; k++)
        c->pres[j * H + k] =
            (xf__feat_value(&c->h->spec, y, n, (int64_t)(o + k)) - lev) / sca - pred[k];
    c->np[s]++;
}

/* Forecast the batch, score it and hand each forecast to the callback. */
static int flush(bt *c, xf_error *err)
{
    size_t H = c->H, i, k, l, mth;
    int rc;
    if (c->nb == 0)
        return XF_OK;
    if ((rc = xf__head_predict(c->h, c->fws, c->panel, c->bs, c->bo, c->nb, 1, c->X, c->pred,
                               c->lev, c->sca, c->ok, err)) != XF_OK)
        return rc;
    for (i = 0; i < c->nb; i++) {
        const double *y = xf_panel_series_values(c->panel, c->bs[i]);
        size_t si = c->bs[i], oi = c->bo[i];
        xf_backtest_forecast f;
        const double *qlo = NULL, *qhi = NULL;
        if (!c->ok[i])
            continue; /* nothing observed in the normalisation window */
        if (c->roll != NULL) {
            release(c, si, oi);
            xf__ivl_quantiles(c->h, &c->roll[si], c->qlo, c->qhi, c->qscratch);
            qlo = c->qlo;
            qhi = c->qhi;
            pend(c, si, oi, c->pred + i * H, c->lev[i], c->sca[i]);
        }
        xf__head_denorm(c->h, c->pred + i * H, c->lev[i], c->sca[i], (int32_t)H,
                        c->h->nonneg && oi <= c->neg[si], qlo, qhi, c->mean, c->lo, c->hi);
        for (k = 0; k < H; k++) {
            double yv = y[oi + k], fc[XF_N_METHODS];
            c->act[k] = yv;
            c->tt[k] = xf__feat_step_time(c->panel, si, oi, (int64_t)k);
            if (!isfinite(yv))
                continue;
            fc[XF_METHOD_MODEL] = c->mean[k];
            fc[XF_METHOD_NAIVE] = last_observed(y, oi);
            fc[XF_METHOD_SNAIVE] = seasonal_naive(y, oi, k, c->m_season);
            for (mth = 0; mth < XF_N_METHODS; mth++) {
                if (!isfinite(fc[mth]))
                    continue;
                acc_add(&c->steps[k * XF_N_METHODS + mth], yv, fc[mth], c->scale[si]);
                acc_add(&c->tot[mth], yv, fc[mth], c->scale[si]);
            }
            for (l = 0; l < c->L; l++) {
                double lo = c->lo[l * H + k], hi = c->hi[l * H + k], w = hi - lo;
                int in = yv >= lo && yv <= hi;
                acc *a = &c->steps[k * XF_N_METHODS], *t = &c->tot[XF_METHOD_MODEL];
                a->inside[l] += in;
                t->inside[l] += in;
                a->width[l] += w;
                t->width[l] += w;
                if (c->scale[si] > 0) {
                    /* Gneiting-Raftery interval score, scaled as MASE (M4's MSIS) */
                    double al = 1.0 - c->h->levels[l] / 100.0;
                    double is = w + (yv < lo ? 2.0 / al * (lo - yv) : 0.0) +
                                (yv > hi ? 2.0 / al * (yv - hi) : 0.0);
                    a->is[l] += is / c->scale[si];
                    t->is[l] += is / c->scale[si];
                }
            }
            if (c->L > 0 && c->scale[si] > 0) {
                c->steps[k * XF_N_METHODS].nis += 1;
                c->tot[XF_METHOD_MODEL].nis += 1;
            }
        }
        c->out->n_origins++;
        if (c->cb != NULL) {
            f.series = si;
            f.id = xf_panel_series_id(c->panel, si);
            f.origin = oi;
            f.origin_time = xf__feat_step_time(c->panel, si, oi, -1);
            f.horizon = (int32_t)H;
            f.t = xf_panel_series_times(c->panel, si) != NULL ? c->tt : NULL;
            f.actual = c->act;
            f.mean = c->mean;
            f.n_levels = c->L;
            f.levels = c->h->levels;
            f.lo = c->lo;
            f.hi = c->hi;
            if (err != NULL)
                xf_error_clear(err);
            if (c->cb(&f, c->user, err) != 0) {
                if (err != NULL && err->code != XF_OK)
                    return err->code;
                return xf__fail(err, XF_EIO, 0, 0, "the forecast callback stopped the backtest");
            }
        }
    }
    c->done += c->nb;
    xf__head_progress(c->fo, "forecasts", c->done, c->total);
    c->nb = 0;
    return XF_OK;
}

/* The first origin of the grid ts, ts + stride, ... (ts at least 1) at or
 * after lo. */
static size_t grid_first(size_t ts, size_t lo, size_t stride)
{
    if (ts < 1)
        ts = 1;
    if (lo > ts)
        ts += (lo - ts + stride - 1) / stride * stride;
    return ts;
}

/* The origins run_series queues for series s (its arguments). */
static size_t count_origins(size_t ts, size_t te, size_t stride, size_t lo, size_t hi, size_t H)
{
    size_t org, n = 0;
    for (org = grid_first(ts, lo, stride); org + H <= te && org < hi; org += stride)
        n++;
    return n;
}

/* Queue the origins of series s from ts to te (targets before te), every
 * stride steps from ts, those in [lo, hi) only; first: the series' first
 * block (its counts and MASE scale are taken then). */
static int run_series(bt *c, size_t s, size_t ts, size_t te, size_t stride, size_t lo, size_t hi,
                      int first, xf_error *err)
{
    const double *y = xf_panel_series_values(c->panel, s);
    size_t org, H = c->H;
    int rc;
    if (first) {
        c->scale[s] = mase_scale(y, ts, c->m_season);
        c->neg[s] = xf__head_first_negative(y, xf_panel_series_length(c->panel, s));
    }
    if (ts < 1)
        ts = 1;
    if (first && ts + H <= te) {
        c->out->n_series++;
        if (!(c->scale[s] > 0))
            c->out->n_mase_skipped++;
        if (ts < c->m_season)
            c->out->n_snaive_naive++;
        if (ts <= 2 * c->m_season && c->m_season > 1)
            c->out->n_mase_naive++;
    }
    for (org = grid_first(ts, lo, stride); org + H <= te && org < hi; org += stride) {
        c->bs[c->nb] = s;
        c->bo[c->nb] = org;
        if (++c->nb == BT_BATCH && (rc = flush(c, err)) != XF_OK)
            return rc;
    }
    return XF_OK;
}

/* Per-series windows of recent errors, each starting as the head's, and
 * room for the forecasts of a series whose targets are not all observed
 * (those from the last H steps: H / stride + 1). */
static int bt_alloc_roll(bt *c, size_t ns, size_t stride)
{
    const xf__roll *r0 = xf__ivl_roll(c->h->ivl);
    size_t s, H = c->H;
    if (r0 == NULL)
        return XF_OK;
    c->P = (H + stride - 1) / stride + 1;
    if ((c->roll = calloc(ns ? ns : 1, sizeof *c->roll)) == NULL ||
        (c->np = calloc(ns ? ns : 1, sizeof *c->np)) == NULL ||
        (c->pfirst = calloc(ns ? ns : 1, sizeof *c->pfirst)) == NULL ||
        (c->porg = xf__malloc_array((ns ? ns : 1) * c->P, sizeof *c->porg)) == NULL ||
        (c->prel = xf__malloc_array((ns ? ns : 1) * c->P, sizeof *c->prel)) == NULL ||
        (c->pres = xf__malloc_array((ns ? ns : 1) * c->P * H, sizeof *c->pres)) == NULL ||
        (c->pqlo = xf__malloc_array((ns ? ns : 1) * c->P * c->L * H + 1, sizeof *c->pqlo)) ==
            NULL ||
        (c->pqhi = xf__malloc_array((ns ? ns : 1) * c->P * c->L * H + 1, sizeof *c->pqhi)) ==
            NULL ||
        (c->qlo = xf__malloc_array(c->L * H + 1, sizeof *c->qlo)) == NULL ||
        (c->qhi = xf__malloc_array(c->L * H + 1, sizeof *c->qhi)) == NULL ||
        (c->qscratch = malloc(r0->cap * sizeof *c->qscratch)) == NULL)
        return XF_ENOMEM;
    for (s = 0; s < ns; s++)
        if (xf__roll_copy(&c->roll[s], r0) != XF_OK)
            return XF_ENOMEM;
    return XF_OK;
}

static int bt_alloc(bt *c, const xf_head *h, const xf_panel *panel, int n_threads, size_t stride,
                    xf_backtest_result *out, xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, L = h->n_levels, ns = xf_panel_n_series(panel);
    int rc;
    c->h = h;
    c->panel = panel;
    c->H = H;
    c->L = L;
    c->m_season = (size_t)h->season;
    c->ns = ns;
    c->out = out;
    out->horizon = (int32_t)H;
    out->season = h->season;
    out->n_levels = L;
    memcpy(out->levels, h->levels, sizeof out->levels);
    if ((rc = xf__feat_ws_new(&h->spec, BT_BATCH, n_threads, &c->fws, err)) != XF_OK)
        return rc;
    c->bs = malloc(BT_BATCH * sizeof *c->bs);
    c->bo = malloc(BT_BATCH * sizeof *c->bo);
    c->X = xf__malloc_array(BT_BATCH * (h->spec.p ? h->spec.p : 1), sizeof *c->X);
    c->pred = xf__malloc_array(BT_BATCH * H, sizeof *c->pred);
    c->lev = malloc(BT_BATCH * sizeof *c->lev);
    c->sca = malloc(BT_BATCH * sizeof *c->sca);
    c->ok = malloc(BT_BATCH);
    c->mean = malloc(H * sizeof *c->mean);
    c->act = malloc(H * sizeof *c->act);
    c->tt = malloc(H * sizeof *c->tt);
    c->lo = xf__malloc_array(L * H + 1, sizeof *c->lo);
    c->hi = xf__malloc_array(L * H + 1, sizeof *c->hi);
    c->scale = malloc((ns ? ns : 1) * sizeof *c->scale);
    c->neg = malloc((ns ? ns : 1) * sizeof *c->neg);
    c->steps = calloc(H * XF_N_METHODS, sizeof *c->steps);
    out->per_step = calloc(H * XF_N_METHODS, sizeof *out->per_step);
    if (!c->bs || !c->bo || !c->X || !c->pred || !c->lev || !c->sca || !c->ok || !c->mean ||
        !c->act || !c->tt || !c->lo || !c->hi || !c->scale || !c->neg || !c->steps ||
        !out->per_step || bt_alloc_roll(c, ns, stride ? stride : H) != XF_OK)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    return XF_OK;
}

/* A new head of the same horizon and levels (a window's fit): its feature
 * workspace and rows, which depend on its features. */
static int bt_set_head(bt *c, const xf_head *h, int n_threads, xf_error *err)
{
    xf__feat_ws *fws = NULL;
    double *X;
    int rc;
    if ((size_t)h->spec.horizon != c->H || h->n_levels != c->L)
        return xf__fail(err, XF_EINVAL, 0, 0, "a window's head has another horizon or levels");
    if ((rc = xf__feat_ws_new(&h->spec, BT_BATCH, n_threads, &fws, err)) != XF_OK)
        return rc;
    if ((X = xf__malloc_array(BT_BATCH * (h->spec.p ? h->spec.p : 1), sizeof *X)) == NULL) {
        xf__feat_ws_free(fws);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    xf__feat_ws_free(c->fws);
    free(c->X);
    c->fws = fws;
    c->X = X;
    c->h = h;
    return XF_OK;
}

static void bt_free(bt *c)
{
    size_t s;
    xf__feat_ws_free(c->fws);
    free(c->bs);
    free(c->bo);
    free(c->X);
    free(c->pred);
    free(c->lev);
    free(c->sca);
    free(c->ok);
    free(c->mean);
    free(c->act);
    free(c->tt);
    free(c->lo);
    free(c->hi);
    free(c->scale);
    free(c->neg);
    free(c->steps);
    if (c->roll != NULL)
        for (s = 0; s < c->ns; s++)
            xf__roll_free(&c->roll[s]);
    free(c->roll);
    free(c->np);
    free(c->pfirst);
    free(c->porg);
    free(c->prel);
    free(c->pres);
    free(c->pqlo);
    free(c->pqhi);
    free(c->qlo);
    free(c->qhi);
    free(c->qscratch);
    memset(c, 0, sizeof *c);
}

static void bt_finish(bt *c)
{
    size_t k, mth, l;
    const acc *t = &c->tot[XF_METHOD_MODEL];
    for (l = 0; l < XF_MAX_LEVELS; l++) {
        c->out->width[l] = l < c->L && t->n > 0 ? t->width[l] / t->n : NAN;
        c->out->msis[l] = l < c->L && t->nis > 0 ? t->is[l] / t->nis : NAN;
    }
    for (mth = 0; mth < XF_N_METHODS; mth++) {
        acc_finish(&c->tot[mth], mth == XF_METHOD_MODEL ? c->L : 0, &c->out->overall[mth]);
        for (k = 0; k < c->H; k++)
            acc_finish(&c->steps[k * XF_N_METHODS + mth], mth == XF_METHOD_MODEL ? c->L : 0,
                       &c->out->per_step[k * XF_N_METHODS + mth]);
    }
}

int xf_head_evaluate(const xf_head *h, const xf_panel *panel, const size_t *test_start,
                     int32_t stride, int n_threads, xf_backtest_result *out, xf_error *err)
{
    bt c;
    size_t s;
    int rc;
    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    if (!h->attached)
        return xf__fail(err, XF_EINVAL, 0, 0, "the head has no encoders yet");
    if ((rc = xf__head_check_covariates(h, panel, err)) != XF_OK)
        return rc;
    if ((rc = bt_alloc(&c, h, panel, n_threads, stride > 0 ? (size_t)stride : 0, out, err)) !=
        XF_OK)
        goto done;
    for (s = 0; s < xf_panel_n_series(panel); s++)
        if ((rc = run_series(&c, s, test_start[s], xf_panel_series_length(panel, s),
                             stride > 0 ? (size_t)stride : c.H, 0, SIZE_MAX, 1, err)) != XF_OK)
            goto done;
    if ((rc = flush(&c, err)) != XF_OK)
        goto done;
    bt_finish(&c);
    rc = XF_OK;
done:
    if (rc != XF_OK)
        xf_backtest_result_free(out);
    bt_free(&c);
    return rc;
}

/* The blocks of a backtest that refits: each series' test start and end,
 * and its block length (SIZE_MAX: one block). */
typedef struct bt_blocks {
    size_t *ts, *te, *len, *cut, *seen;
} bt_blocks;

static void blocks_free(bt_blocks *bl)
{
    if (bl == NULL)
        return;
    free(bl->ts);
    free(bl->te);
    free(bl->len);
    free(bl->cut);
    free(bl->seen);
    free(bl);
}

static bt_blocks *blocks_new(const xf_panel *panel, const xf_backtest_options *o,
                             const xf_backtest_options *in, size_t ns, size_t *nblocks,
                             xf_error *err)
{
    bt_blocks *bl = calloc(1, sizeof *bl);
    size_t s, m = ns ? ns : 1;
    *nblocks = 1;
    if (bl == NULL || (bl->ts = malloc(m * sizeof *bl->ts)) == NULL ||
        (bl->te = malloc(m * sizeof *bl->te)) == NULL ||
        (bl->len = malloc(m * sizeof *bl->len)) == NULL ||
        (bl->cut = malloc(m * sizeof *bl->cut)) == NULL ||
        (bl->seen = malloc(m * sizeof *bl->seen)) == NULL) {
        blocks_free(bl);
        xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    for (s = 0; s < ns; s++) {
        size_t n = xf_panel_series_length(panel, s), span;
        bl->ts[s] = cut_at(panel, s, o->test_start, o->test_start_row, n);
        bl->te[s] = cut_at(panel, s, o->test_end, o->test_end_row, n);
        span = bl->te[s] > bl->ts[s] ? bl->te[s] - bl->ts[s] : 0;
        bl->len[s] = in->refit_every > 0 ? (size_t)in->refit_every
                     : in->windows > 1   ? (span + (size_t)in->windows - 1) / (size_t)in->windows
                                         : SIZE_MAX;
        if (bl->len[s] == 0)
            bl->len[s] = 1;
        if (bl->len[s] != SIZE_MAX && span > 0 && (span + bl->len[s] - 1) / bl->len[s] > *nblocks)
            *nblocks = (span + bl->len[s] - 1) / bl->len[s];
        bl->seen[s] = bl->ts[s];
    }
    return bl;
}

/* Before block b: the data up to each series' block start taught to the
 * head - an exact update (refit_every) or a new fit (windows). */
static int block_refit(bt *c, xf_head **h, const xf_panel *panel, xf_encoder *const *encs,
                       size_t n_enc, const xf_head_options *fo, const xf_backtest_options *in,
                       bt_blocks *bl, size_t ns, size_t b, xf_backtest_result *out, xf_error *err)
{
    xf_panel *masked = NULL;
    double t0 = xf__now();
    size_t s;
    int rc;
    for (s = 0; s < ns; s++) {
        size_t cut = bl->ts[s] + b * bl->len[s];
        bl->cut[s] = cut < bl->te[s] ? cut : bl->te[s];
    }
    if ((rc = xf__panel_masked(panel, bl->cut, &masked, err)) != XF_OK)
        return rc;
    if (in->refit_every > 0) {
        /* block 0: the fit's head refitted on the same data, so that each
         * later head is exactly the refit on the data before its block
         * (an update after a refit is that refit) */
        rc = b == 0 ? xf_head_refit(*h, masked, fo->n_threads, NULL, err)
                    : xf_head_update(*h, masked, bl->seen, fo->n_threads, NULL, err);
        if (rc == XF_OK)
            memcpy(bl->seen, bl->cut, ns * sizeof *bl->seen);
    } else {
        xf_head_options f2 = *fo;
        xf_head *nh = NULL;
        f2.train_end = XF_TIME_NONE; /* the masked panel ends at the window */
        f2.train_end_row = -1;
        if ((rc = xf_head_fit(masked, encs, n_enc, &f2, &nh, err)) == XF_OK &&
            (rc = bt_set_head(c, nh, fo->n_threads, err)) == XF_OK) {
            xf_head_free(*h);
            *h = nh;
        } else {
            xf_head_free(nh);
        }
    }
    xf_panel_free(masked);
    out->fit_seconds += xf__now() - t0;
    return rc;
}

/* Block b of series s: its origins lie in [*lo, *hi); 0 when the block is
 * empty (a later block that starts past the series' test period). */
static int block_range(const bt_blocks *bl, size_t s, size_t b, size_t *lo, size_t *hi)
{
    *lo = bl->ts[s] + b * bl->len[s];
    *hi = bl->len[s] == SIZE_MAX ? SIZE_MAX : *lo + bl->len[s];
    return b == 0 || *lo < bl->te[s];
}

int xf_backtest(const xf_panel *panel, xf_encoder *const *encs, size_t n_enc,
                const xf_backtest_options *o, xf_backtest_cb cb, void *user,
                xf_backtest_result *out, xf_head **head_out, xf_error *err)
{
    xf_backtest_options in;
    xf_head_options fo;
    xf_head *h = NULL;
    size_t ns = xf_panel_n_series(panel), s, H, b, nblocks = 1, stride;
    bt_blocks *bl = NULL;
    bt c;
    double t0;
    int rc;
    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    if (head_out != NULL)
        *head_out = NULL;
    xf_backtest_options_init(&in);
    XF__IMPORT_OPTIONS(in, o, XF__BACKTEST_OPTIONS_V1, xf_backtest_options, err);
    fo = o->fit; /* embedded: its size is the header's, checked all the same */
    if ((rc = xf__options_import(&fo, sizeof fo, &fo, XF__HEAD_OPTIONS_V1, "xf_head_options",
                                 "xf_head_options_init", err)) != XF_OK)
        return rc;
    if (o->test_start == XF_TIME_NONE && o->test_start_row < 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "a backtest needs the start of the test period");
    if (in.refit_every < 0 || in.windows < 0 || (in.refit_every > 0 && in.windows > 1) ||
        ((in.refit_every > 0 || in.windows > 1) && o->zeroshot))
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "refit every %d steps, %d windows: give one of them (not with a "
                        "zero-shot backtest), each > 0",
                        (int)in.refit_every, (int)in.windows);
    fo.train_end = o->test_start;
    fo.train_end_row = o->test_start_row;
    {
        /* check the options early; the fit resolves its own copy (it only
         * compares candidate baselines when they were left to it) */
        xf_head_options chk = fo;
        if ((rc = xf_head_options_resolve(&chk, panel, err)) != XF_OK)
            return rc;
    }
    t0 = xf__now();
    if (o->zeroshot) {
        if (n_enc < 1)
            return xf__fail(err, XF_EINVAL, 0, 0, "a zero-shot backtest needs an encoder");
        rc = xf_head_zeroshot(panel, encs[0], &fo, &h, err);
    } else {
        rc = xf_head_fit(panel, encs, n_enc, &fo, &h, err);
    }
    if (rc != XF_OK)
        return rc;
    out->fit_seconds = xf__now() - t0;
    t0 = xf__now();
    H = (size_t)h->spec.horizon;
    c.cb = cb;
    c.user = user;
    stride = o->stride > 0 ? (size_t)o->stride : H; /* default: one origin per horizon */
    if ((rc = bt_alloc(&c, h, panel, fo.n_threads, o->stride > 0 ? (size_t)o->stride : 0, out,
                       err)) != XF_OK)
        goto done;
    if ((bl = blocks_new(panel, o, &in, ns, &nblocks, err)) == NULL) {
        rc = err->code;
        goto done;
    }
    /* the origins to forecast, for the progress callback */
    c.fo = &fo;
    for (b = 0; b < nblocks && fo.progress != NULL; b++)
        for (s = 0; s < ns; s++) {
            size_t lo, hi;
            if (block_range(bl, s, b, &lo, &hi))
                c.total += count_origins(bl->ts[s], bl->te[s], stride, lo, hi, H);
        }
    /* origins block by block (one block unless refitting), series by
     * series, in batches; before each later block the head learns the data
     * before it */
    if (in.refit_every > 0 &&
        (rc = block_refit(&c, &h, panel, encs, n_enc, &fo, &in, bl, ns, 0, out, err)) != XF_OK)
        goto done;
    for (b = 0; b < nblocks; b++) {
        if (b > 0) {
            if ((rc = flush(&c, err)) != XF_OK ||
                (rc = block_refit(&c, &h, panel, encs, n_enc, &fo, &in, bl, ns, b, out, err)) !=
                    XF_OK)
                goto done;
        }
        for (s = 0; s < ns; s++) {
            size_t lo, hi;
            if (!block_range(bl, s, b, &lo, &hi))
                continue;
            if ((rc = run_series(&c, s, bl->ts[s], bl->te[s], stride, lo, hi, b == 0, err)) !=
                XF_OK)
                goto done;
        }
    }
    if ((rc = flush(&c, err)) != XF_OK)
        goto done;
    if (out->n_origins == 0) {
        rc = xf__fail(err, XF_EDATA, 0, 0,
                      "no test origin: the test period must hold at least "
                      "one full horizon (%zu values) after the test start",
                      H);
        goto done;
    }
    bt_finish(&c);
    out->forecast_seconds = xf__now() - t0;
    if (head_out != NULL) {
        *head_out = h;
        h = NULL;
    }
    rc = XF_OK;
done:
    if (rc != XF_OK)
        xf_backtest_result_free(out);
    blocks_free(bl);
    xf_head_free(h);
    bt_free(&c);
    return rc;
}
