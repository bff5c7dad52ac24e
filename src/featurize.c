/* featurize.c - where the features of a forecast origin are built: its
 * level and scale, the embeddings of the frozen encoders, the baseline
 * forecast, and rows built by walking the feature groups (feature_groups.c).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "feature_groups.h"
#include "featurize.h"
#include "holidays.h"
#include "encoder_internal.h"
#include "localmodels.h"
#include "pretrain_head.h"
#include "xf_internal.h"

void xf__feat_spec_layout(xf__feat_spec *s)
{
    size_t off = 0, e;
    int g;
    s->max_context = 0;
    for (e = 0; e < s->n_enc; e++) {
        s->embed[e] = xf_encoder_embed_size(s->enc[e]);
        if (xf_encoder_context(s->enc[e]) > s->max_context)
            s->max_context = xf_encoder_context(s->enc[e]);
    }
    for (g = 0; g < XF__FG_N; g++) {
        s->off[g] = off;
        off += xf__feat_groups[g].width(s);
    }
    s->p = off;
}

size_t xf__feat_width(const xf__feat_spec *s)
{
    size_t w = 0;
    int g;
    for (g = 0; g < XF__FG_N; g++)
        w += xf__feat_groups[g].width(s);
    return w;
}

void xf__feat_ws_free(xf__feat_ws *ws)
{
    size_t e;
    if (ws == NULL)
        return;
    for (e = 0; e < XF_MAX_ENCODERS; e++)
        xf_encoder_workspace_free(ws->ews[e]);
    free(ws->win);
    free(ws->emb);
    free(ws->norm);
    free(ws->wper);
    free(ws->vals);
    free(ws->bwork);
    free(ws->rows);
    free(ws->zsw);
    free(ws);
}

int xf__feat_ws_new(const xf__feat_spec *s, size_t batch, int n_threads, xf__feat_ws **out,
                    xf_error *err)
{
    xf__feat_ws *ws;
    size_t e, max_e = 1, nv;
    int rc;
    *out = NULL;
    if ((ws = calloc(1, sizeof *ws)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    ws->batch = batch;
    for (e = 0; e < s->n_enc; e++) {
        size_t E = xf_encoder_embed_size(s->enc[e]);
        if (E > max_e)
            max_e = E;
        if ((rc = xf_encoder_workspace_new(s->enc[e], batch, &ws->ews[e], err)) != XF_OK)
            goto fail;
        if (n_threads > 1 &&
            (rc = xf_encoder_workspace_set_threads(ws->ews[e], n_threads, err)) != XF_OK)
            goto fail;
    }
    nv = (size_t)(s->norm_window > s->n_lags ? s->norm_window : s->n_lags) + 1;
    if (nv < (size_t)s->horizon + 1)
        nv = (size_t)s->horizon + 1; /* also the baseline's scratch */
    ws->win = xf__malloc_array(batch * (size_t)(s->max_context > 0 ? s->max_context : 1),
                               sizeof *ws->win);
    ws->emb = xf__malloc_array(batch * max_e, sizeof *ws->emb);
    ws->norm = xf__malloc_array(batch * 2, sizeof *ws->norm);
    ws->wper = xf__malloc_array(batch, sizeof *ws->wper);
    ws->vals = xf__malloc_array(nv, sizeof *ws->vals);
    { /* the local baseline's window and scratch (small without periods) */
        size_t wmax = xf__lm_window_length((size_t)-1, s->local_period, XF__FEAT_LOCAL_PERIODS);
        ws->bwork = xf__malloc_array(wmax + xf__lm_window_work(wmax, s->local_period,
                                                               XF__FEAT_LOCAL_PERIODS),
                                     sizeof *ws->bwork);
    }
    ws->rows = xf__malloc_array(batch * (xf__feat_emb_width(s) + 1), sizeof *ws->rows);
    ws->zsw = xf__malloc_array(batch, sizeof *ws->zsw);
    if (!ws->win || !ws->emb || !ws->norm || !ws->wper || !ws->vals || !ws->bwork || !ws->rows ||
        !ws->zsw) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    *out = ws;
    return XF_OK;
fail:
    xf__feat_ws_free(ws);
    return rc;
}

double xf__feat_value(const xf__feat_spec *s, const double *y, size_t n, int64_t k)
{
    double v;
    if (k < 0 || (uint64_t)k >= n)
        return NAN;
    v = y[k];
    if (!isfinite(v))
        return NAN;
    if (s->log_transform)
        return v > 0 ? log(v) : NAN;
    return v;
}

static double scale_floor(double level, double scale)
{
    double fl = 1e-6 * fabs(level) + 1e-12;
    return scale > fl ? scale : fl;
}

/* The largest |value| of the window [start, origin). */
static double window_max_abs(const xf__feat_spec *s, const double *y, size_t n, int64_t start,
                             size_t origin)
{
    double m = 0;
    int64_t k;
    for (k = start; k < (int64_t)origin; k++) {
        double v = xf__feat_value(s, y, n, k);
        if (isfinite(v) && fabs(v) > m)
            m = fabs(v);
    }
    return m;
}

/* Level and scale of the window computed on values divided by their
 * largest magnitude M, then multiplied back: used only when the plain sums
 * overflow (values beyond about 1e150, whose squares are infinite), so that
 * ordinary data keep their exact results.  Returns 0, or -1 when the level
 * or the scale is itself beyond the largest double. */
static int norm_scaled(const xf__feat_spec *s, const double *y, size_t n, int64_t start,
                       size_t origin, double *level, double *scale)
{
    double M = window_max_abs(s, y, n, start, origin), sum = 0, sum2 = 0, prev = NAN, last = NAN,
           lv, var, acc = 0;
    size_t cnt = 0;
    int64_t k;
    if (M == 0)
        return -1;
    if (s->level_last) {
        for (k = start; k < (int64_t)origin; k++) {
            double v = xf__feat_value(s, y, n, k);
            if (!isfinite(v)) {
                prev = NAN;
                continue;
            }
            v /= M;
            if (isfinite(prev)) {
                double d = v - prev;
                sum += d;
                sum2 += d * d;
                cnt++;
            }
            prev = last = v;
        }
        var = cnt >= 2 ? sum2 / (double)cnt - (sum / (double)cnt) * (sum / (double)cnt) : 0;
        *level = last * M;
        *scale = scale_floor(*level, sqrt(var > 0 ? var : 0) * M);
        return isfinite(*scale) ? 0 : -1;
    }
    for (k = start; k < (int64_t)origin; k++) {
        double v = xf__feat_value(s, y, n, k);
        if (isfinite(v)) {
            sum += v / M;
            cnt++;
        }
    }
    lv = sum / (double)cnt;
    for (k = start; k < (int64_t)origin; k++) {
        double v = xf__feat_value(s, y, n, k);
        if (isfinite(v)) {
            sum2 = v / M - lv;
            acc += sum2 * sum2;
        }
    }
    var = acc / (double)cnt;
    *level = lv * M;
    *scale = scale_floor(*level, sqrt(var) * M);
    if (s->scale_mode == 1 && s->baseline > 1) {
        double ad = xf__feat_mase_scale(s, y, n, origin, s->baseline);
        if (ad > 0)
            *scale = scale_floor(*level, ad);
    }
    return isfinite(*scale) ? 0 : -1;
}

int xf__feat_norm(const xf__feat_spec *s, const double *y, size_t n, size_t origin, double *level,
                  double *scale)
{
    int64_t w = s->norm_window, k, start = (int64_t)origin - w;
    double sum = 0, sum2 = 0, prev = NAN, last = NAN;
    size_t cnt = 0, nd = 0;
    if (start < 0)
        start = 0;
    if (s->level_last) {
        /* level = last value; scale = std of the differences (returns) */
        double dsum = 0, dsum2 = 0;
        for (k = start; k < (int64_t)origin; k++) {
            double v = xf__feat_value(s, y, n, k);
            if (!isfinite(v)) {
                prev = NAN;
                continue;
            }
            if (isfinite(prev)) {
                double d = v - prev;
                dsum += d;
                dsum2 += d * d;
                nd++;
            }
            prev = last = v;
            cnt++;
        }
        if (cnt == 0)
            return -1;
        if (!isfinite(dsum2))
            return norm_scaled(s, y, n, start, origin, level, scale);
        *level = last;
        if (nd >= 2) {
            double m = dsum / (double)nd, var = dsum2 / (double)nd - m * m;
            *scale = sqrt(var > 0 ? var : 0);
        } else {
            *scale = 0;
        }
        *scale = scale_floor(*level, *scale);
        return 0;
    }
    for (k = start; k < (int64_t)origin; k++) {
        double v = xf__feat_value(s, y, n, k);
        if (!isfinite(v))
            continue;
        sum += v;
        sum2 += v * v;
        cnt++;
    }
    if (cnt == 0)
        return -1;
    if (!isfinite(sum2))
        return norm_scaled(s, y, n, start, origin, level, scale);
    *level = sum / (double)cnt;
    {
        double var = sum2 / (double)cnt - *level * *level;
        /* recompute around the mean when cancellation could bite */
        if (var < 1e-8 * (*level * *level)) {
            double acc = 0;
            for (k = start; k < (int64_t)origin; k++) {
                double v = xf__feat_value(s, y, n, k);
                if (isfinite(v))
                    acc += (v - *level) * (v - *level);
            }
            var = acc / (double)cnt;
        }
        *scale = scale_floor(*level, sqrt(var > 0 ? var : 0));
    }
    if (s->scale_mode == 1 && s->baseline > 1) {
        /* the mean absolute seasonal difference: the local MASE scale, so
         * that the squared loss weighs series as MASE does */
        double ad = xf__feat_mase_scale(s, y, n, origin, s->baseline);
        if (ad > 0)
            *scale = scale_floor(*level, ad);
    }
    return 0;
}

double xf__feat_mase_scale(const xf__feat_spec *s, const double *y, size_t n, size_t origin,
                           int64_t m)
{
    int64_t w = s->norm_window > 2 * m ? s->norm_window : 2 * m;
    int64_t k, start = (int64_t)origin - w;
    double ad = 0;
    size_t na = 0;
    if (start < 0)
        start = 0;
    for (k = start + m; k < (int64_t)origin; k++) {
        double a = xf__feat_value(s, y, n, k), b = xf__feat_value(s, y, n, k - m);
        if (isfinite(a) && isfinite(b)) {
            ad += fabs(a - b);
            na++;
        }
    }
    if (!isfinite(ad) && na > 0) {
        /* differences beyond the largest double: the mean of the
         * differences of the values divided by their largest magnitude */
        double M = window_max_abs(s, y, n, start, origin);
        ad = 0;
        for (k = start + m; k < (int64_t)origin; k++) {
            double a = xf__feat_value(s, y, n, k), b = xf__feat_value(s, y, n, k - m);
            if (isfinite(a) && isfinite(b))
                ad += fabs(a / M - b / M);
        }
        ad = ad / (double)na * M;
        /* beyond the largest double: no MASE scale, the standard deviation stays */
        return na >= 4 && isfinite(ad) ? ad : 0.0;
    }
    return na >= 4 ? ad / (double)na : 0.0;
}

void xf__feat_baseline(const xf__feat_spec *s, xf__feat_ws *ws, const double *y, size_t n,
                       size_t origin, double level, double scale, double *out)
{
    int64_t H = s->horizon, m = s->baseline, k, idx;
    double last = NAN;
    for (idx = (int64_t)origin - 1; idx >= 0 && !isfinite(last); idx--)
        last = xf__feat_value(s, y, n, idx);
    if (m == XF_BASELINE_LOCAL) {
        size_t w = xf__lm_window_length(origin, s->local_period, XF__FEAT_LOCAL_PERIODS), t;
        double *win = ws->bwork;
        for (t = 0; t < w; t++)
            win[t] = xf__feat_value(s, y, n, (int64_t)(origin - w + t));
        if (xf__lm_window_forecast(win, w, s->local_period, XF__FEAT_LOCAL_PERIODS, s->horizon,
                                   win + w, out) != 0)
            for (k = 0; k < H; k++)
                out[k] = last;
        for (k = 0; k < H; k++)
            out[k] = isfinite(out[k]) ? (out[k] - level) / scale : 0.0;
        return;
    }
    for (k = 0; k < H; k++) {
        double v = NAN;
        if (m > 1) {
            for (idx = (int64_t)origin + k - m * ((k + m) / m); idx >= 0 && !isfinite(v); idx -= m)
                v = xf__feat_value(s, y, n, idx);
        }
        if (!isfinite(v))
            v = last;
        out[k] = m > 0 && isfinite(v) ? (v - level) / scale : 0.0;
    }
}

xf_time xf__feat_step_time(const xf_panel *panel, size_t i, size_t origin, int64_t h)
{
    const xf_time *t = xf_panel_series_times(panel, i);
    size_t n = xf_panel_series_length(panel, i);
    int64_t k = (int64_t)origin + h;
    xf_freq f = xf_panel_series_freq(panel, i);
    xf_time out;
    if (t == NULL || n == 0)
        return XF_TIME_NONE;
    if (k >= 0 && (uint64_t)k < n)
        return t[k];
    /* business days step over the panel's holidays (trading days) */
    if (f.kind == XF_FREQ_UNKNOWN || xf__freq_advance_hol(f, xf__panel_holidays(panel), t[n - 1],
                                                          k - (int64_t)(n - 1), &out) != XF_OK)
        return XF_TIME_NONE;
    return out;
}

int xf__feat_build(const xf__feat_spec *s, xf__feat_ws *ws, const xf_panel *panel,
                   const size_t *series, const size_t *origin, size_t m, int strict_cov,
                   const float *emb, double *X, double *level, double *scale, unsigned char *ok,
                   xf_error *err)
{
    size_t p = s->p, i;
    xf__feat_ctx c;
    int g, batch, rc;
    if (m > ws->batch)
        return xf__fail(err, XF_EINVAL, 0, 0, "feature batch of %zu origins over %zu", m,
                        ws->batch);
    /* each origin's level and scale */
    for (i = 0; i < m; i++) {
        const double *y = xf_panel_series_values(panel, series[i]);
        size_t n = xf_panel_series_length(panel, series[i]);
        double lv, sc;
        ok[i] = 1;
        if (xf__feat_norm(s, y, n, origin[i], &lv, &sc) != 0) {
            ok[i] = 0;
            lv = 0;
            sc = 1;
        }
        level[i] = lv;
        scale[i] = sc;
    }
    c.s = s;
    c.ws = ws;
    c.panel = panel;
    c.series = series;
    c.origin = origin;
    c.m = m;
    c.strict_cov = strict_cov;
    c.level = level;
    c.scale = scale;
    c.emb = emb;
    /* the groups' columns: first those filled origin by origin, then those
     * with a batch step (the embeddings, computed now unless the caller
     * passed them) */
    for (batch = 0; batch < 2; batch++)
        for (g = 0; g < XF__FG_N; g++) {
            const xf__feat_group *G = &xf__feat_groups[g];
            if ((G->prepare != NULL) != batch || G->width(s) == 0)
                continue;
            if (G->prepare != NULL && (rc = G->prepare(&c, err)) != XF_OK)
                return rc;
            for (i = 0; i < m; i++)
                if ((rc = G->fill(&c, i, X + i * p + s->off[g], err)) != XF_OK)
                    return rc;
        }
    return XF_OK;
}

size_t xf__feat_emb_width(const xf__feat_spec *s)
{
    size_t e, w = 0;
    for (e = 0; e < s->n_enc; e++)
        w += xf_encoder_embed_size(s->enc[e]) + 2;
    return w;
}

int xf__feat_embed(const xf__feat_spec *s, xf__feat_ws *ws, const xf_panel *panel,
                   const size_t *series, const size_t *origin, size_t m, float *out, xf_error *err)
{
    size_t width = xf__feat_emb_width(s), off = 0, e, i;
    int64_t k;
    const int32_t *wp;
    int rc;
    if (m > ws->batch)
        return xf__fail(err, XF_EINVAL, 0, 0, "embedding batch of %zu origins over %zu", m,
                        ws->batch);
    for (e = 0; e < s->n_enc; e++) {
        const xf_encoder *enc = s->enc[e];
        int64_t C = xf_encoder_context(enc);
        size_t E = xf_encoder_embed_size(enc);
        for (i = 0; i < m; i++) {
            const double *y = xf_panel_series_values(panel, series[i]);
            size_t n = xf_panel_series_length(panel, series[i]);
            float *w = ws->win + i * (size_t)C;
            for (k = 0; k < C; k++) {
                double v = xf__feat_value(s, y, n, (int64_t)origin[i] - C + k);
                if (fabs(v) > XF__FEAT_ENC_MAX)
                    return xf__fail(err, XF_EDATA, 0, 0,
                                    "series '%s': value %.3g is too large for encoder '%s', "
                                    "which reads single-precision numbers (|value| up to "
                                    "%.0e); divide the series by a power of ten, or use "
                                    "--encoder none",
                                    xf_panel_series_id(panel, series[i]), v, xf_encoder_name(enc),
                                    XF__FEAT_ENC_MAX);
                w[k] = (float)v;
            }
        }
        /* an encoder with the seasonal difference reads it at the first
         * period of each series' frequency, as in pretraining */
        wp = NULL;
        if (xf_encoder_get_config(enc)->n_inputs != XF_ENCODER_N_IN) {
            for (i = 0; i < m; i++) {
                int32_t pp[2];
                xf__phead_periods_freq(xf_panel_series_freq(panel, series[i]), pp);
                ws->wper[i] = pp[0];
            }
            wp = ws->wper;
        }
        if ((rc = xf__encoder_embed_periods(enc, ws->ews[e], ws->win, m, wp, ws->emb, ws->norm,
                                            err)) != XF_OK)
            return rc;
        for (i = 0; i < m; i++) {
            float *r = out + i * width + off;
            memcpy(r, ws->emb + i * E, E * sizeof *r);
            r[E] = ws->norm[2 * i];
            r[E + 1] = ws->norm[2 * i + 1];
        }
        off += E + 2;
    }
    return XF_OK;
}

int xf__feat_targets(const xf__feat_spec *s, xf__feat_ws *ws, const double *y, size_t n,
                     size_t origin, double level, double scale, double max_target, double *Y,
                     double *base)
{
    size_t H = (size_t)s->horizon, k;
    for (k = 0; k < H; k++) {
        double v = xf__feat_value(s, y, n, (int64_t)(origin + k));
        if (!isfinite(v))
            return 0; /* missing, or not positive under the log transform */
        Y[k] = (v - level) / scale;
        if (!(fabs(Y[k]) <= max_target))
            return 0; /* a flat window cannot scale this origin's future */
    }
    xf__feat_baseline(s, ws, y, n, origin, level, scale, base);
    for (k = 0; k < H; k++)
        Y[k] -= base[k];
    return 1;
}
