/* head_local.c - the head of a series too short for a ridge head: the
 * local model of each origin's window alone (localmodels.h's window
 * model as the baseline, a one-lag ridge part with zero weights and empty
 * statistics), its intervals calibrated on that model's own errors at the
 * last origins of each series.  xf_head_fit falls back to it, and says so,
 * when there are too few origins for the candidates' held-out choice and
 * the options leave the configuration to the fit (issue 14, part 6: never
 * a refusal for a series that has a season plus the horizon).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "head_internal.h"
#include "head_local.h"

int xf__head_local_allowed(const xf_head_options *o, const xf_panel *panel)
{
    return o->local_model != 0 && o->n_lags == XF_AUTO && o->embedding != 1 &&
           (o->baseline == XF_AUTO || o->baseline == XF_BASELINE_LOCAL) && o->seasonal_scale != 1 &&
           !o->history && !o->penalty_per_step && xf_panel_n_covariates(panel) == 0;
}

/* The calibration origins: the last ones of each series (before the
 * backtest cut) whose H targets are observed, from `first` on,
 * up to XF_HEAD_ZS_PER_SERIES per series, the latest half of each the
 * later half. */
static int origins(const xf_head *h, const xf_panel *panel, const xf_head_options *o, size_t first,
                   size_t **ser, size_t **org, unsigned char **late, size_t *n_out, size_t *longest,
                   xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, s, k, n_cal = 0, c1 = 0, c2 = 0, c3 = 0;
    *longest = 0;
    for (s = 0; s < xf_panel_n_series(panel); s++) {
        const double *y = xf_panel_series_values(panel, s);
        size_t n = xf_panel_series_observed(panel, s), t, got = 0;
        size_t cut = xf__head_cut_index(panel, s, o->train_end, o->train_end_row);
        if (cut < n)
            n = cut; /* backtests: calibrate before the test period only */
        if (n > *longest)
            *longest = n;
        for (t = n >= H ? n - H + 1 : 0; t-- > first && got < XF_HEAD_ZS_PER_SERIES;) {
            for (k = 0; k < H && isfinite(xf__feat_value(&h->spec, y, n, (int64_t)(t + k))); k++)
                ;
            if (k < H)
                continue;
            if (xf__grow((void **)ser, &c1, n_cal + 1, sizeof **ser) != 0 ||
                xf__grow((void **)org, &c2, n_cal + 1, sizeof **org) != 0 ||
                xf__grow((void **)late, &c3, n_cal + 1, sizeof **late) != 0)
                return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            (*ser)[n_cal] = s;
            (*org)[n_cal] = t;
            n_cal++;
            got++;
        }
    }
    /* the later half of each series' origins (they come newest first, a
     * series' together): the honest coverage counts them */
    for (s = 0; s < n_cal;) {
        size_t e = s, j;
        while (e < n_cal && (*ser)[e] == (*ser)[s])
            e++;
        for (j = s; j < e; j++)
            (*late)[j] = j - s < (e - s) / 2;
        s = e;
    }
    *n_out = n_cal;
    return XF_OK;
}

/* Intervals from the errors of too few origins for quantiles of each step:
 * every error divided by sqrt(step) joins one pool, and each step's
 * "residuals" are the pool grown back by sqrt(step) (the width of a random
 * walk's errors; the window model's grow no faster), one row per pooled
 * value, the origin's half kept for the honest coverage. */
static int calibrate_pooled(xf_head *h, const double *res, const unsigned char *late, size_t nr,
                            xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, i, j, k, nv = nr * H;
    double *pool = xf__malloc_array(nv * H, sizeof *pool);
    unsigned char *pl = malloc(nv ? nv : 1);
    int rc;
    if (pool == NULL || pl == NULL) {
        free(pool);
        free(pl);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    for (i = 0; i < nr; i++)
        for (j = 0; j < H; j++) {
            double z = res[i * H + j] / sqrt((double)(j + 1));
            size_t row = i * H + j;
            for (k = 0; k < H; k++)
                pool[row * H + k] = z * sqrt((double)(k + 1));
            pl[row] = late[i];
        }
    rc = xf__head_calibrate(h, pool, pl, nv, err);
    free(pool);
    free(pl);
    return rc;
}

int xf__head_fit_local(const xf_panel *panel, const xf_head_options *opts, const char *why,
                       xf_head **out, xf_error *err)
{
    xf_head_options o = *opts;
    xf_head *h = NULL;
    size_t H, i, k, n_cal = 0, nr = 0, longest = 0;
    size_t *ser = NULL, *org = NULL;
    double *res = NULL, t_start = xf__now();
    unsigned char *late = NULL;
    int rc, pooled = 0;
    *out = NULL;
    if ((rc = xf_head_options_resolve(&o, panel, err)) != XF_OK)
        return rc;
    o.n_lags = 1; /* one column with a zero weight: a head has features */
    o.embedding = 0;
    o.calendar = 0;
    o.covariates = 0;
    o.history = 0;
    o.baseline = XF_BASELINE_LOCAL;
    o.seasonal_scale = 0;
    o.local_model = 0;
    if ((h = xf__head_alloc()) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    if ((rc = xf__head_fill_spec(h, &o, NULL, 0, 0, err)) != XF_OK)
        goto done;
    xf__feat_spec_layout(&h->spec);
    h->stride = 1;
    h->nonneg = 1;
    H = (size_t)o.horizon;
    /* origins whose window holds two seasons (the model's profiles on),
     * as the forecast's will, when there are enough; else from the first
     * values on */
    if (h->spec.local_period[0] > 1 &&
        (rc = origins(h, panel, &o, 2 * (size_t)h->spec.local_period[0], &ser, &org, &late, &n_cal,
                      &longest, err)) != XF_OK)
        goto done;
    if (n_cal < XF_HEAD_MIN_VALID && (rc = origins(h, panel, &o, XF_HEAD_LOCAL_FIRST, &ser, &org,
                                                   &late, &n_cal, &longest, err)) != XF_OK)
        goto done;
    if (n_cal < XF_HEAD_LOCAL_MIN_POOLED) {
        rc = xf__fail(err, XF_EDATA, 0, 0,
                      "%s; the local model alone needs %d origins to calibrate its intervals "
                      "and has %zu: the longest series has %zu observed values, at least %zu "
                      "are needed with horizon %zu (use a shorter --horizon)",
                      why, XF_HEAD_LOCAL_MIN_POOLED, n_cal, longest,
                      (size_t)XF_HEAD_LOCAL_FIRST + H + XF_HEAD_LOCAL_MIN_POOLED - 1, H);
        goto done;
    }
    /* the ridge part: zero weights, a unit penalty, empty statistics (an
     * exact update adds the new origins and solves) */
    h->W = calloc(H * h->spec.p, sizeof *h->W);
    h->b = calloc(H, sizeof *h->b);
    h->lambda = malloc(H * sizeof *h->lambda);
    if (h->W == NULL || h->b == NULL || h->lambda == NULL ||
        xf__ridge_stats_init(&h->stats, h->spec.p, H) != XF_OK) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (k = 0; k < H; k++)
        h->lambda[k] = 1.0;
    if ((res = xf__malloc_array(n_cal * H, sizeof *res)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    /* the model's errors at the calibration origins: out of sample, as it
     * sees only the window before each */
    if ((rc = xf__head_origin_errors(h, panel, ser, org, late, n_cal, 1, res, NULL, &nr, err)) !=
        XF_OK)
        goto done;
    if (nr < XF_HEAD_LOCAL_MIN_POOLED) {
        rc = xf__fail(err, XF_EDATA, 0, 0,
                      "%s; the local model alone has %zu usable calibration origins (need %d)", why,
                      nr, XF_HEAD_LOCAL_MIN_POOLED);
        goto done;
    }
    pooled = nr < XF_HEAD_MIN_VALID;
    if ((rc = pooled ? calibrate_pooled(h, res, late, nr, err)
                     : xf__head_calibrate(h, res, late, nr, err)) != XF_OK)
        goto done;
    xf__head_record_provenance(h, panel, &o);
    {
        char note[768];
        snprintf(note, sizeof note,
                 "%s: forecasts from the local model of each origin's window alone (seasonal "
                 "profiles + exponential smoothing), intervals from its errors at the last %zu "
                 "origins%s; with more data the fit chooses a ridge head",
                 why, nr,
                 pooled ? " (too few for each step: pooled over the steps, grown as the "
                          "square root of the step)"
                        : "");
        xf_xfm_set_str(h->meta, "fit.note", note);
    }
    {
        /* the calibration errors' mean square on the normalised scale: the
         * validation MSE of a ridge head's report */
        double sq = 0;
        for (i = 0; i < nr * H; i++)
            sq += res[i] * res[i];
        xf_xfm_set_f64(h->meta, "valid.mse", sq / (double)(nr * H));
    }
    xf_xfm_set_str(h->meta, "fit.kind", "local");
    xf_xfm_set_i64(h->meta, "fit.windows", 0);
    xf_xfm_set_i64(h->meta, "fit.windows_valid", (int64_t)nr);
    xf_xfm_set_i64(h->meta, "fit.stride", 1);
    xf_xfm_set_f64(h->meta, "fit.seconds", xf__now() - t_start);
    if (xf__xfm_set_failed(h->meta)) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    *out = h;
    h = NULL;
    rc = XF_OK;
done:
    xf_head_free(h);
    free(ser);
    free(org);
    free(late);
    free(res);
    return rc;
}
