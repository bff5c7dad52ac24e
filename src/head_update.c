/* head_update.c - exact updates of a fitted head from its sufficient
 * statistics: refit on a whole panel, or add only the origins a grown panel
 * adds; on failure the head is left as it was.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "head_internal.h"
#include "head_intervals.h"

/* Add the origins of series i with t in [t0, t1) (t on the head's stride
 * grid from its lag window, targets complete) to the head's statistics. */
typedef struct upd {
    xf_head *h;
    const xf_panel *panel;
    xf__feat_ws *fws;
    size_t *bs, *bo, nb;
    double *X, *Y, *lev, *sca, *base;
    unsigned char *ok;
    size_t added;
    xf__roll *recent;  /* update: the new origins' errors under the head before it go
                           here (adaptive intervals); NULL: refit, nothing out of sample */
    double *qlo, *qhi; /* [L][H] the intervals the head issued for an origin: as the
                          window stood before it (the origins in order) */
    double *scratch;   /* [window size] */
} upd;

static int upd_flush(upd *u, xf_error *err)
{
    size_t H = (size_t)u->h->spec.horizon, p = u->h->spec.p, i, j, k;
    int rc;
    if (u->nb == 0)
        return XF_OK;
    if ((rc = xf__feat_build(&u->h->spec, u->fws, u->panel, u->bs, u->bo, u->nb, 0, NULL, u->X,
                             u->lev, u->sca, u->ok, err)) != XF_OK)
        return rc;
    for (i = 0, j = 0; i < u->nb; i++) {
        const double *y = xf_panel_series_values(u->panel, u->bs[i]);
        size_t n = xf_panel_series_length(u->panel, u->bs[i]);
        if (!u->ok[i])
            continue;
        for (k = 0; k < H; k++) {
            double v = xf__feat_value(&u->h->spec, y, n, (int64_t)(u->bo[i] + k));
            if (!isfinite(v))
                break;
            u->Y[j * H + k] = (v - u->lev[i]) / u->sca[i];
            if (!(fabs(u->Y[j * H + k]) <= XF_HEAD_MAX_TARGET))
                break; /* as in run_pass */
        }
        if (k < H)
            continue;
        xf__feat_baseline(&u->h->spec, u->fws, y, n, u->bo[i], u->lev[i], u->sca[i], u->base);
        for (k = 0; k < H; k++)
            u->Y[j * H + k] -= u->base[k];
        if (j != i)
            memmove(u->X + j * p, u->X + i * p, p * sizeof *u->X);
        if (u->recent != NULL) {
            /* the weights are still those of the head before the update */
            for (k = 0; k < H; k++) {
                double f = u->h->b[k];
                size_t q;
                for (q = 0; q < p; q++)
                    f += u->h->W[k * p + q] * u->X[j * p + q];
                u->base[k] = u->Y[j * H + k] - f;
            }
            xf__ivl_quantiles(u->h, u->recent, u->qlo, u->qhi, u->scratch);
            xf__ivl_observe(u->h, u->recent, u->base, u->qlo, u->qhi, 0, H);
        }
        j++;
    }
    /* the statistics are of the targets less the prior's forecast */
    if (u->h->prior_w != NULL)
        xf__head_prior_apply(u->h->prior_w, u->h->prior_b, p, H, u->X, u->Y, NULL, j);
    xf__ridge_stats_add(&u->h->stats, u->X, u->Y, j);
    u->added += j;
    u->nb = 0;
    return XF_OK;
}

static int add_origins(xf_head *h, const xf_panel *panel, const size_t *seen, int n_threads,
                       size_t *added, xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, p = h->spec.p, s, ns = xf_panel_n_series(panel);
    size_t t_min = xf__head_first_origin(&h->spec);
    size_t stride = h->stride > 0 ? (size_t)h->stride : 1;
    upd u;
    int rc = XF_OK;
    memset(&u, 0, sizeof u);
    u.h = h;
    u.panel = panel;
    u.recent = seen != NULL ? xf__ivl_roll_mut(h->ivl) : NULL;
    if (u.recent != NULL) {
        size_t L = h->n_levels;
        u.qlo = xf__malloc_array(L * H + 1, sizeof *u.qlo);
        u.qhi = xf__malloc_array(L * H + 1, sizeof *u.qhi);
        u.scratch = xf__malloc_array(u.recent->cap, sizeof *u.scratch);
        if (u.qlo == NULL || u.qhi == NULL || u.scratch == NULL) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
    }
    if ((rc = xf__feat_ws_new(&h->spec, XF_HEAD_FEAT_BATCH, n_threads, &u.fws, err)) != XF_OK)
        return rc;
    u.bs = malloc(XF_HEAD_FEAT_BATCH * sizeof *u.bs);
    u.bo = malloc(XF_HEAD_FEAT_BATCH * sizeof *u.bo);
    u.X = xf__malloc_array(XF_HEAD_FEAT_BATCH * (p ? p : 1), sizeof *u.X);
    u.Y = xf__malloc_array(XF_HEAD_FEAT_BATCH * H, sizeof *u.Y);
    u.lev = malloc(XF_HEAD_FEAT_BATCH * sizeof *u.lev);
    u.sca = malloc(XF_HEAD_FEAT_BATCH * sizeof *u.sca);
    u.base = malloc(H * sizeof *u.base);
    u.ok = malloc(XF_HEAD_FEAT_BATCH);
    if (!u.bs || !u.bo || !u.X || !u.Y || !u.lev || !u.sca || !u.base || !u.ok) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (s = 0; s < ns; s++) {
        size_t n = xf_panel_series_length(panel, s), t;
        const double *y = xf_panel_series_values(panel, s);
        size_t from = seen != NULL && seen[s] >= H ? seen[s] - H + 1 : t_min;
        if (from < t_min)
            from = t_min;
        /* first grid point at or after `from` */
        t = t_min + (from - t_min + stride - 1) / stride * stride;
        for (; t + H <= n; t += stride) {
            size_t k;
            for (k = 0; k < H && isfinite(y[t + k]); k++)
                ;
            if (k < H || !isfinite(y[t - 1]))
                continue;
            u.bs[u.nb] = s;
            u.bo[u.nb] = t;
            if (++u.nb == XF_HEAD_FEAT_BATCH && (rc = upd_flush(&u, err)) != XF_OK)
                goto done;
        }
    }
    rc = upd_flush(&u, err);
done:
    if (added != NULL)
        *added = u.added;
    xf__feat_ws_free(u.fws);
    free(u.bs);
    free(u.bo);
    free(u.X);
    free(u.Y);
    free(u.lev);
    free(u.sca);
    free(u.base);
    free(u.ok);
    free(u.qlo);
    free(u.qhi);
    free(u.scratch);
    return rc;
}

/* Re-solve with the head's penalties. */
static int resolve_weights(xf_head *h, xf_error *err)
{
    xf__ridge_model m = {0};
    int rc;
    if ((rc = xf__ridge_solve(&h->stats, h->lambda, &m, err)) != XF_OK)
        return rc;
    if (h->prior_w != NULL) /* the fit is around the prior */
        xf__ridge_model_add_prior(&m, h->prior_w, h->prior_b);
    free(h->W);
    free(h->b);
    h->W = m.w;
    h->b = m.b;
    m.w = m.b = NULL;
    xf__ridge_model_free(&m);
    return XF_OK;
}

static int check_updatable(const xf_head *h, const xf_panel *panel, xf_error *err)
{
    if (h->zeroshot)
        return xf__fail(err, XF_EINVAL, 0, 0, "a zero-shot head has nothing to refit");
    if (!h->attached)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "the head has no encoders yet: call "
                        "xf_head_attach_encoders first");
    return xf__head_check_covariates(h, panel, err);
}

/* The common end of refit and update: add the panel's origins (after
 * seen[], or all) to h->stats, solve for the weights, and on failure put
 * back *old, the statistics from before; on success free *old. */
static int add_and_solve(xf_head *h, const xf_panel *panel, const size_t *seen, int n_threads,
                         size_t *added, xf__ridge_stats *old, xf_error *err)
{
    int rc;
    if ((rc = add_origins(h, panel, seen, n_threads, added, err)) != XF_OK ||
        (rc = resolve_weights(h, err)) != XF_OK) {
        xf__ridge_stats_free(&h->stats);
        h->stats = *old;
        return rc;
    }
    xf__ridge_stats_free(old);
    h->stats_skipped = 0; /* a refit's statistics are whole */
    xf_xfm_set_i64(h->meta, "fit.windows", (int64_t)h->stats.n);
    return XF_OK;
}

int xf_head_refit(xf_head *h, const xf_panel *panel, int n_threads, size_t *origins, xf_error *err)
{
    xf__ridge_stats old;
    int rc;
    if ((rc = check_updatable(h, panel, err)) != XF_OK)
        return rc;
    old = h->stats;
    if (xf__ridge_stats_init(&h->stats, h->spec.p, (size_t)h->spec.horizon) != XF_OK) {
        h->stats = old;
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    return add_and_solve(h, panel, NULL, n_threads, origins, &old, err);
}

/* The latest time whose errors the head's window has learnt
 * (interval.end): forecasts learn from the targets after it only. */
static void record_end(xf_head *h, const xf_panel *panel)
{
    size_t i;
    int64_t end = INT64_MIN;
    for (i = 0; i < xf_panel_n_series(panel); i++) {
        const xf_time *t = xf_panel_series_times(panel, i);
        size_t n = xf_panel_series_length(panel, i);
        if (t != NULL && n > 0 && t[n - 1] > end)
            end = t[n - 1];
    }
    if (end != INT64_MIN)
        xf_xfm_set_i64(h->meta, "interval.end", end);
}

int xf_head_update(xf_head *h, const xf_panel *panel, const size_t *seen, int n_threads,
                   size_t *added, xf_error *err)
{
    xf__ridge_stats old;
    xf__roll *recent = xf__ivl_roll_mut(h->ivl), old_recent = {0};
    size_t i;
    int rc;
    if ((rc = check_updatable(h, panel, err)) != XF_OK)
        return rc;
    if (h->stats_skipped)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "the head was loaded without its sufficient statistics "
                        "(XF_HEAD_LOAD_NO_STATS): load it with xf_head_load to update it");
    if (h->stats.p == 0)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "the head has no sufficient statistics to "
                        "update (refit it)");
    for (i = 0; i < xf_panel_n_series(panel); i++)
        if (seen[i] > xf_panel_series_length(panel, i))
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "series '%s': %zu values seen before, %zu "
                            "now",
                            xf_panel_series_id(panel, i), seen[i],
                            xf_panel_series_length(panel, i));
    /* work on a copy so that a failure leaves the head as it was */
    if (xf__ridge_stats_init(&old, h->stats.p, h->stats.q) != XF_OK)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    if (recent != NULL && xf__roll_copy(&old_recent, recent) != XF_OK) {
        xf__ridge_stats_free(&old);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    xf__ridge_stats_merge(&old, &h->stats);
    rc = add_and_solve(h, panel, seen, n_threads, added, &old, err);
    if (recent != NULL) {
        if (rc != XF_OK)
            xf__roll_copy(recent, &old_recent); /* same size: cannot fail */
        else
            record_end(h, panel);
        xf__roll_free(&old_recent);
        xf__ivl_refresh(h);
    }
    return rc;
}
