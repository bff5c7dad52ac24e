/* head_forecast.c - forecasting with a head: normalised predictions of a batch
 * of origins (ridge or zero-shot), back to values with intervals, and the
 * one-series forecast through a workspace.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "head_blend.h"
#include "head_internal.h"
#include "head_intervals.h"
#include "linalg.h"
#include "model_check.h"
#include "encoder_internal.h"

/* Zero-shot predictions of a seasonal pretraining head (pretrain_head.h):
 * the median output, from each origin's embedding (in X), its window's
 * lags and seasonal-naive forecasts for the head's periods.  width [m]
 * (when not NULL): the head's predicted spread at each origin, the mean
 * over the steps of its 0.9 minus its 0.1 quantile, in the series' units
 * (NaN when the head has no such quantiles). */
static int zeroshot_seasonal(const xf_head *h, xf__feat_ws *fws, const xf_panel *panel,
                             const size_t *series, const size_t *origin, size_t m, const double *X,
                             double *pred, const double *level, const double *scale, double *width,
                             xf_error *err)
{
    const xf_encoder *enc = h->spec.enc[0];
    size_t H = (size_t)h->spec.horizon, p = h->spec.p, E = xf_encoder_embed_size(enc), i, k;
    size_t T = (size_t)xf_encoder_context(enc), med = xf__encoder_phead_median(enc), O;
    size_t q1 = xf__encoder_phead_quantile(enc, 0.1), q9 = xf__encoder_phead_quantile(enc, 0.9);
    float *buf, *win, *scratch, *emb, *yhat;
    xf__phead hd;
    xf__encoder_phead(enc, &hd);
    O = xf__phead_outputs(&hd);
    buf = xf__malloc_array(T + xf__phead_window_scratch(&hd, T) + E + O, sizeof *buf);
    if (buf == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    win = buf;
    scratch = win + T;
    emb = scratch + xf__phead_window_scratch(&hd, T);
    yhat = emb + E;
    for (i = 0; i < m; i++) {
        const double *y = xf_panel_series_values(panel, series[i]);
        size_t n = xf_panel_series_length(panel, series[i]);
        for (k = 0; k < T; k++)
            win[k] =
                (float)xf__feat_value(&h->spec, y, n, (int64_t)origin[i] - (int64_t)T + (int64_t)k);
        for (k = 0; k < E; k++)
            emb[k] = (float)X[i * p + k];
        xf__phead_window(&hd, win, T, h->zs_periods, emb, scratch, yhat);
        /* the encoder's own normalisation, as the embedding (fws->rows) */
        double em = fws->rows[i * (E + 2) + E], es = fws->rows[i * (E + 2) + E + 1];
        double spread = 0;
        for (k = 0; k < H; k++) {
            pred[i * H + k] = (em + es * (double)yhat[med * hd.Hf + k] - level[i]) / scale[i];
            if (q1 != SIZE_MAX && q9 != SIZE_MAX)
                spread += (double)yhat[q9 * hd.Hf + k] - (double)yhat[q1 * hd.Hf + k];
        }
        if (width != NULL)
            width[i] = q1 != SIZE_MAX && q9 != SIZE_MAX ? es * spread / (double)H : NAN;
    }
    free(buf);
    return XF_OK;
}

double xf__head_zs_unit(double width, double scale)
{
    if (!isfinite(width))
        return scale;
    return width > XF_HEAD_ZS_WIDTH_FLOOR * scale ? width : XF_HEAD_ZS_WIDTH_FLOOR * scale;
}

int xf__head_predict(const xf_head *h, xf__feat_ws *fws, const xf_panel *panel,
                     const size_t *series, const size_t *origin, size_t m, int strict_cov,
                     double *X, double *pred, double *level, double *scale, unsigned char *ok,
                     xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, p = h->spec.p, i, k;
    int rc;
    /* checked at attach; again here, where the pretraining head is read */
    if (h->zeroshot && (rc = xf__model_check_zeroshot(h, h->spec.enc[0], err)) != XF_OK)
        return rc;
    if ((rc = xf__feat_build(&h->spec, fws, panel, series, origin, m, strict_cov, NULL, X, level,
                             scale, ok, err)) != XF_OK)
        return rc;
    if (h->zeroshot && xf_encoder_head_kind(h->spec.enc[0]) == XF_ENCODER_HEAD_SEASONAL) {
        if ((rc = zeroshot_seasonal(h, fws, panel, series, origin, m, X, pred, level, scale,
                                    fws->zsw, err)) != XF_OK)
            return rc;
        xf__blend_apply(h, fws, panel, series, origin, m, level, scale, ok, pred);
        /* normalised conformal: the same forecasts in units of the head's
         * predicted spread, so that the errors (and the intervals) scale with
         * it */
        for (i = 0; h->zs_width && i < m; i++) {
            double s = xf__head_zs_unit(fws->zsw[i], scale[i]);
            for (k = 0; k < H; k++)
                pred[i * H + k] *= scale[i] / s;
            scale[i] = s;
        }
        return XF_OK;
    }
    if (h->zeroshot) {
        const xf_encoder *enc = h->spec.enc[0];
        const float *w = xf_encoder_head_weights(enc), *b = xf_encoder_head_bias(enc);
        size_t E = xf_encoder_embed_size(enc), j;
        for (i = 0; i < m; i++) {
            double em = fws->rows[i * (E + 2) + E], es = fws->rows[i * (E + 2) + E + 1];
            for (k = 0; k < H; k++) {
                double acc = b[k];
                for (j = 0; j < E; j++)
                    acc += (double)w[k * E + j] * X[i * p + j];
                pred[i * H + k] = (em + es * acc - level[i]) / scale[i];
            }
        }
        xf__blend_apply(h, fws, panel, series, origin, m, level, scale, ok, pred);
        return XF_OK;
    }
    /* pred = baseline + X W' + b */
    xf__dgemm(0, 1, m, H, p, 1.0, X, p, h->W, p, 0.0, pred, H);
    for (i = 0; i < m; i++) {
        double *base = fws->vals; /* scratch of at least H values */
        xf__feat_baseline(&h->spec, fws, xf_panel_series_values(panel, series[i]),
                          xf_panel_series_length(panel, series[i]), origin[i], level[i], scale[i],
                          base);
        for (k = 0; k < H; k++)
            pred[i * H + k] += h->b[k] + base[k];
    }
    xf__blend_apply(h, fws, panel, series, origin, m, level, scale, ok, pred);
    return XF_OK;
}

size_t xf__head_first_negative(const double *y, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (y[i] < 0) /* NaN compares false: missing values do not count */
            break;
    return i;
}

static double clip(int on, double v)
{
    return on && v < 0 ? 0.0 : v;
}

void xf__head_denorm(const xf_head *h, const double *pred, double level, double scale,
                     int32_t horizon, int clip0, const double *q_lo, const double *q_hi,
                     double *mean, double *lo, double *hi)
{
    size_t H = (size_t)h->spec.horizon, k, l, hz = (size_t)horizon;
    if (q_lo == NULL || q_hi == NULL) {
        q_lo = xf__ivl_head_lo(h);
        q_hi = xf__ivl_head_hi(h);
    }
    for (k = 0; k < hz; k++) {
        double v = level + scale * pred[k];
        mean[k] = clip(clip0, h->spec.log_transform ? exp(v) : v);
        for (l = 0; l < h->n_levels; l++) {
            double a = level + scale * (pred[k] + q_lo[l * H + k]);
            double c = level + scale * (pred[k] + q_hi[l * H + k]);
            if (lo != NULL)
                lo[l * hz + k] = clip(clip0, h->spec.log_transform ? exp(a) : a);
            if (hi != NULL)
                hi[l * hz + k] = clip(clip0, h->spec.log_transform ? exp(c) : c);
        }
    }
}

struct xf_head_workspace {
    const xf_head *head;
    xf__feat_ws *fws;
    double *x;    /* [p] */
    double *pred; /* [H] */
    /* adaptive intervals (h->ivl): the head's window grown with the errors
     * of the series' origins after the data the head learnt */
    xf__roll roll;
    double *qlo, *qhi, *scratch, *e; /* [L][H], [L][H], [window], [H] */
};

int xf_head_workspace_new(const xf_head *h, xf_head_workspace **out, xf_error *err)
{
    xf_head_workspace *ws;
    int rc;
    *out = NULL;
    if (!h->attached)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "the head has no encoders yet: call "
                        "xf_head_attach_encoders after loading it");
    if ((ws = calloc(1, sizeof *ws)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    ws->head = h;
    if ((rc = xf__feat_ws_new(&h->spec, 1, 1, &ws->fws, err)) != XF_OK) {
        free(ws);
        return rc;
    }
    ws->x = malloc((h->spec.p ? h->spec.p : 1) * sizeof *ws->x);
    ws->pred = malloc((size_t)h->spec.horizon * sizeof *ws->pred);
    if (h->ivl != NULL) {
        size_t LH = h->n_levels * (size_t)h->spec.horizon + 1;
        ws->qlo = xf__malloc_array(LH, sizeof *ws->qlo);
        ws->qhi = xf__malloc_array(LH, sizeof *ws->qhi);
        ws->e = malloc((size_t)h->spec.horizon * sizeof *ws->e);
        if (ws->qlo == NULL || ws->qhi == NULL || ws->e == NULL ||
            xf__roll_copy(&ws->roll, xf__ivl_roll(h->ivl)) != XF_OK ||
            (ws->scratch = malloc(ws->roll.cap * sizeof *ws->scratch)) == NULL) {
            xf_head_workspace_free(ws);
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        }
    }
    if (ws->x == NULL || ws->pred == NULL) {
        xf_head_workspace_free(ws);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    *out = ws;
    return XF_OK;
}

void xf_head_workspace_free(xf_head_workspace *ws)
{
    if (ws == NULL)
        return;
    xf__feat_ws_free(ws->fws);
    free(ws->x);
    free(ws->pred);
    xf__roll_free(&ws->roll);
    free(ws->qlo);
    free(ws->qhi);
    free(ws->scratch);
    free(ws->e);
    free(ws);
}

/* The last instant written as a four-digit ISO-8601 year, which the CSV
 * reader reads back: 9999-12-31T23:59:59.999999Z. */
#define ISO_TIME_MAX INT64_C(253402300799999999)

/* The timestamps of a forecast's steps (t may be NULL: checked only).  A
 * series with timestamps must be able to continue them: a single timestamp
 * has no frequency to continue (the "no time" marker is never a date), and
 * steps past 9999-12-31 could not be read back. */
static int forecast_times(const xf_panel *panel, size_t i, size_t origin, int32_t horizon,
                          xf_time *t, xf_error *err)
{
    int32_t k;
    for (k = 0; k < horizon; k++) {
        xf_time tk = xf__feat_step_time(panel, i, origin, k);
        if (xf_panel_series_times(panel, i) != NULL) {
            const char *id = xf_panel_series_id(panel, i);
            if (tk == XF_TIME_NONE && xf_panel_series_freq(panel, i).kind == XF_FREQ_UNKNOWN)
                return xf__fail(err, XF_EDATA, 0, 0,
                                "series '%s' has a single timestamp, so its frequency cannot be "
                                "inferred: give the frequency (--freq) to forecast it",
                                id);
            if (tk == XF_TIME_NONE || tk > ISO_TIME_MAX)
                return xf__fail(err, XF_EDATA, 0, 0,
                                "series '%s': the forecast would run past 9999-12-31 (step %d), "
                                "beyond the timestamps xfcast reads and writes",
                                id, (int)k + 1);
        }
        if (t != NULL)
            t[k] = tk;
    }
    return XF_OK;
}

/* A forecast is numbers or an error, never missing values with success: a
 * prediction that is not a number (non-finite weights), or values beyond
 * the largest double once scaled back (a series near 1.8e308), name the
 * series. */
static int check_finite(const xf_head *h, const xf_panel *panel, size_t i, const double *pred,
                        int32_t horizon, const double *mean, const double *lo, const double *hi,
                        xf_error *err)
{
    size_t k, l, hz = (size_t)horizon, L = h->n_levels;
    for (k = 0; k < hz; k++) {
        int bad = !isfinite(mean[k]);
        for (l = 0; l < L && !bad; l++)
            bad = (lo != NULL && !isfinite(lo[l * hz + k])) ||
                  (hi != NULL && !isfinite(hi[l * hz + k]));
        if (!bad)
            continue;
        if (!isfinite(pred[k]))
            return xf__fail(err, XF_EDATA, 0, 0,
                            "series '%s': the head's prediction for step %zu is not a number",
                            xf_panel_series_id(panel, i), k + 1);
        return xf__fail(err, XF_EDATA, 0, 0,
                        "series '%s': values too large to forecast (step %zu or its interval "
                        "is beyond the largest number, about 1.8e308); divide the series by a "
                        "power of ten",
                        xf_panel_series_id(panel, i), k + 1);
    }
    return XF_OK;
}

/* Adaptive intervals for a forecast of series i from `origin`: the head's
 * window, then the errors of the series' origins whose targets come after
 * the data the head learnt (interval.end, else data.end: out of sample)
 * and before `origin` (observed), in order, each under the intervals the
 * window gave before it - at most XF_IVL_ORIGINS origins, H steps apart,
 * the latest.  Returns 1 with ws->qlo/qhi set, 0 when there is nothing to
 * learn (the head's own intervals then). */
static int adapt(const xf_head *h, xf_head_workspace *ws, const xf_panel *panel, size_t i,
                 size_t origin)
{
    const xf_time *ts = xf_panel_series_times(panel, i);
    const double *y = xf_panel_series_values(panel, i);
    size_t n = xf_panel_series_length(panel, i), H = (size_t)h->spec.horizon, lo = 0, hi, o, k;
    size_t first;
    int64_t end;
    int used = 0;
    if (h->ivl == NULL || ts == NULL ||
        (xf_xfm_get_i64(h->meta, "interval.end", &end, NULL) != XF_OK &&
         xf_xfm_get_i64(h->meta, "data.end", &end, NULL) != XF_OK))
        return 0;
    hi = origin < n ? origin : n;
    while (lo < hi) { /* the first value after the data learnt */
        size_t mid = lo + (hi - lo) / 2;
        if (ts[mid] <= end)
            lo = mid + 1;
        else
            hi = mid;
    }
    first = lo;
    if (first >= origin)
        return 0;
    xf__roll_copy(&ws->roll, xf__ivl_roll(h->ivl)); /* same size: cannot fail */
    o = origin - first > XF_IVL_ORIGINS * H ? origin - XF_IVL_ORIGINS * H : first;
    for (; o < origin; o += H) {
        double level, scale;
        unsigned char ok = 0;
        if (o < 1 ||
            xf__head_predict(h, ws->fws, panel, &i, &o, 1, 1, ws->x, ws->pred, &level, &scale, &ok,
                             NULL) != XF_OK ||
            !ok)
            continue; /* an origin that cannot be forecast teaches nothing */
        for (k = 0; k < H; k++)
            ws->e[k] = o + k < origin
                           ? (xf__feat_value(&h->spec, y, n, (int64_t)(o + k)) - level) / scale -
                                 ws->pred[k]
                           : NAN;
        xf__ivl_quantiles(h, &ws->roll, ws->qlo, ws->qhi, ws->scratch);
        xf__ivl_observe(h, &ws->roll, ws->e, ws->qlo, ws->qhi, 0, H);
        used = 1;
    }
    if (used)
        xf__ivl_quantiles(h, &ws->roll, ws->qlo, ws->qhi, ws->scratch);
    return used;
}

int xf_head_forecast(const xf_head *h, xf_head_workspace *ws, const xf_panel *panel, size_t i,
                     size_t origin, int32_t horizon, xf_time *t, double *mean, double *lo,
                     double *hi, xf_error *err)
{
    int adapted;
    double level, scale;
    unsigned char ok;
    int rc;
    if (ws == NULL || ws->head != h)
        return xf__fail(err, XF_EINVAL, 0, 0, "the workspace was made for another head");
    if (i >= xf_panel_n_series(panel))
        return xf__fail(err, XF_EINVAL, 0, 0, "series %zu of %zu", i + 1, xf_panel_n_series(panel));
    if (horizon < 1 || horizon > h->spec.horizon)
        return xf__fail(err, XF_ERANGE, 0, 0,
                        "horizon %d: the head forecasts 1..%d steps (fit "
                        "it with --horizon %d to go further)",
                        (int)horizon, (int)h->spec.horizon, (int)horizon);
    if ((rc = xf__head_check_covariates(h, panel, err)) != XF_OK)
        return rc;
    if (origin == SIZE_MAX)
        origin = xf_panel_series_observed(panel, i);
    if (origin == 0 || origin > xf_panel_series_length(panel, i))
        return xf__fail(err, XF_EDATA, 0, 0,
                        "series '%s' has no observed value to forecast "
                        "from",
                        xf_panel_series_id(panel, i));
    if ((rc = forecast_times(panel, i, origin, horizon, t, err)) != XF_OK)
        return rc;
    adapted = lo != NULL && hi != NULL && adapt(h, ws, panel, i, origin);
    if ((rc = xf__head_predict(h, ws->fws, panel, &i, &origin, 1, 1, ws->x, ws->pred, &level,
                               &scale, &ok, err)) != XF_OK)
        return rc;
    if (!ok)
        return xf__fail(err, XF_EDATA, 0, 0,
                        "series '%s': no observed value in the %d values "
                        "before the forecast origin",
                        xf_panel_series_id(panel, i), (int)h->spec.norm_window);
    xf__head_denorm(h, ws->pred, level, scale, horizon,
                    h->nonneg &&
                        origin <= xf__head_first_negative(xf_panel_series_values(panel, i), origin),
                    adapted ? ws->qlo : NULL, adapted ? ws->qhi : NULL, mean, lo, hi);
    return check_finite(h, panel, i, ws->pred, horizon, mean, lo, hi, err);
}

int xf__head_origin_errors(const xf_head *h, const xf_panel *panel, size_t *ser, size_t *org,
                           unsigned char *late, size_t n, int n_threads, double *res, double *unit,
                           size_t *nr, xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, b, i, k;
    xf__feat_ws *fws = NULL;
    double *X = NULL, *pred = NULL, *lev = NULL, *sca = NULL;
    unsigned char *ok = NULL;
    int rc;
    *nr = 0;
    if ((rc = xf__feat_ws_new(&h->spec, XF_HEAD_FEAT_BATCH, n_threads, &fws, err)) != XF_OK)
        return rc;
    X = xf__malloc_array(XF_HEAD_FEAT_BATCH * h->spec.p, sizeof *X);
    pred = xf__malloc_array(XF_HEAD_FEAT_BATCH * H, sizeof *pred);
    lev = malloc(XF_HEAD_FEAT_BATCH * sizeof *lev);
    sca = malloc(XF_HEAD_FEAT_BATCH * sizeof *sca);
    ok = malloc(XF_HEAD_FEAT_BATCH);
    if (!X || !pred || !lev || !sca || !ok) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (b = 0; b < n; b += XF_HEAD_FEAT_BATCH) {
        size_t m = n - b < XF_HEAD_FEAT_BATCH ? n - b : XF_HEAD_FEAT_BATCH;
        if ((rc = xf__head_predict(h, fws, panel, ser + b, org + b, m, 0, X, pred, lev, sca, ok,
                                   err)) != XF_OK)
            goto done;
        for (i = 0; i < m; i++) {
            const double *y = xf_panel_series_values(panel, ser[b + i]);
            size_t len = xf_panel_series_length(panel, ser[b + i]);
            if (!ok[i])
                continue;
            for (k = 0; k < H; k++)
                res[*nr * H + k] =
                    (xf__feat_value(&h->spec, y, len, (int64_t)(org[b + i] + k)) - lev[i]) /
                        sca[i] -
                    pred[i * H + k];
            if (unit != NULL) /* scale / the spread unit; 1 without a seasonal head */
                unit[*nr] =
                    h->zeroshot && xf_encoder_head_kind(h->spec.enc[0]) == XF_ENCODER_HEAD_SEASONAL
                        ? sca[i] / xf__head_zs_unit(fws->zsw[i], sca[i])
                        : 1.0;
            late[*nr] = late[b + i];
            ser[*nr] = ser[b + i];
            org[*nr] = org[b + i];
            (*nr)++;
        }
    }
    rc = XF_OK;
done:
    xf__feat_ws_free(fws);
    free(X);
    free(pred);
    free(lev);
    free(sca);
    free(ok);
    return rc;
}
