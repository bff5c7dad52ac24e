/* featurize.c - where the features of a forecast origin are built: frozen
 * encoder embeddings, lags, calendar terms and covariates (see featurize.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "featurize.h"
#include "xf_internal.h"

#define TWO_PI 6.283185307179586

void xf__feat_spec_layout(xf__feat_spec *s)
{
    size_t off = 0, e;
    int c;
    s->max_context = 0;
    for (e = 0; e < s->n_enc; e++) {
        s->off_enc[e] = off;
        off += xf_encoder_embed_size(s->enc[e]) + 2;
        if (xf_encoder_context(s->enc[e]) > s->max_context)
            s->max_context = xf_encoder_context(s->enc[e]);
    }
    s->off_lags = off;
    off += (size_t)s->n_lags;
    s->off_hist = off;
    off += s->history ? 2 : 0;
    s->off_cal = off;
    for (c = 0; c < XF_CAL_N; c++)
        off += 2 * (size_t)s->n_harm[c];
    s->off_cov = off;
    off += s->n_cov * (size_t)s->horizon;
    s->p = off;
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
    free(ws->vals);
    free(ws->rows);
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
    ws->vals = xf__malloc_array(nv, sizeof *ws->vals);
    ws->rows = xf__malloc_array(batch * (xf__feat_emb_width(s) + 1), sizeof *ws->rows);
    if (!ws->win || !ws->emb || !ws->norm || !ws->vals || !ws->rows) {
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

int xf__feat_norm(const xf__feat_spec *s, const double *y, size_t n, size_t origin,
                  double *level, double *scale)
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
    return na >= 4 ? ad / (double)na : 0.0;
}

void xf__feat_baseline(const xf__feat_spec *s, const double *y, size_t n, size_t origin,
                       double level, double scale, double *out)
{
    int64_t H = s->horizon, m = s->baseline, k, idx;
    double last = NAN;
    for (idx = (int64_t)origin - 1; idx >= 0 && !isfinite(last); idx--)
        last = xf__feat_value(s, y, n, idx);
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
    if (t == NULL || n == 0)
        return XF_TIME_NONE;
    if (k >= 0 && (uint64_t)k < n)
        return t[k];
    if (f.kind == XF_FREQ_UNKNOWN)
        return XF_TIME_NONE;
    return xf_freq_advance(f, t[n - 1], k - (int64_t)(n - 1));
}

static double floor_mod(int64_t a, int64_t m)
{
    int64_t r = a % m;
    return (double)(r < 0 ? r + m : r);
}

/* Phase in [0, 1) of time t in calendar period c. */
static double cal_phase(int c, xf_time t)
{
    double day_frac = floor_mod(t, XF_TIME_US_PER_DAY) / (double)XF_TIME_US_PER_DAY;
    xf_civil cv;
    switch (c) {
    case XF_CAL_DAY:
        return day_frac;
    case XF_CAL_WEEK: {
        int64_t days = (t - (int64_t)floor_mod(t, XF_TIME_US_PER_DAY)) / XF_TIME_US_PER_DAY;
        return (floor_mod(days + 3, 7) + day_frac) / 7.0; /* 1970-01-01 was a Thursday */
    }
    case XF_CAL_YEAR: {
        int leap;
        xf_time_to_civil(t, &cv);
        leap = (cv.year % 4 == 0 && cv.year % 100 != 0) || cv.year % 400 == 0;
        return ((double)cv.yday + day_frac) / (leap ? 366.0 : 365.0);
    }
    default:
        xf_time_to_civil(t, &cv);
        return ((double)(cv.month - 1) + (double)(cv.day - 1) / 31.0) / 12.0;
    }
}

int xf__feat_build(const xf__feat_spec *s, xf__feat_ws *ws, const xf_panel *panel,
                   const size_t *series, const size_t *origin, size_t m, int strict_cov,
                   const float *emb, double *X, double *level, double *scale, unsigned char *ok,
                   xf_error *err)
{
    size_t p = s->p, i, e, width = xf__feat_emb_width(s);
    int64_t L = s->n_lags, H = s->horizon, k;
    int rc;
    if (m > ws->batch)
        return xf__fail(err, XF_EINVAL, 0, 0, "feature batch of %zu origins over %zu", m,
                        ws->batch);
    /* level, scale, lags, calendar, covariates */
    for (i = 0; i < m; i++) {
        size_t si = series[i], o = origin[i];
        const double *y = xf_panel_series_values(panel, si);
        size_t n = xf_panel_series_length(panel, si);
        double *row = X + i * p, lv, sc, fill;
        int c;
        ok[i] = 1;
        if (xf__feat_norm(s, y, n, o, &lv, &sc) != 0) {
            ok[i] = 0;
            lv = 0;
            sc = 1;
        }
        level[i] = lv;
        scale[i] = sc;
        /* lags, most recent first; gaps carry the previous (older) value,
         * leading gaps and values before the series start take the first
         * observed one */
        if (L > 0) {
            double last = NAN, first = NAN;
            for (k = L; k >= 1; k--) {
                double v = xf__feat_value(s, y, n, (int64_t)o - k);
                if (isfinite(v)) {
                    last = v;
                    if (!isfinite(first))
                        first = v;
                }
                ws->vals[k] = last;
            }
            fill = isfinite(first) ? first : lv;
            for (k = 1; k <= L; k++) {
                double v = isfinite(ws->vals[k]) ? ws->vals[k] : fill;
                row[s->off_lags + (size_t)(k - 1)] = (v - lv) / sc;
            }
        }
        /* the level and scale against the long history */
        if (s->history) {
            double sum = 0, sum2 = 0, mu, sd, z, r;
            size_t cnt = 0;
            int64_t b0 = (int64_t)o - XF_HIST_WINDOW;
            for (k = b0 > 0 ? b0 : 0; k < (int64_t)o; k++) {
                double v = xf__feat_value(s, y, n, k);
                if (isfinite(v)) {
                    sum += v;
                    sum2 += v * v;
                    cnt++;
                }
            }
            mu = cnt > 0 ? sum / (double)cnt : lv;
            sd = cnt > 1 ? sum2 / (double)cnt - mu * mu : 0;
            sd = sqrt(sd > 0 ? sd : 0);
            if (sd < sc)
                sd = sc;
            z = (lv - mu) / sd;
            r = log(sc / sd);
            row[s->off_hist] = z > 50 ? 50 : z < -50 ? -50 : z;
            row[s->off_hist + 1] = r < -20 ? -20 : r;
        }
        /* calendar terms at the first forecast step */
        {
            size_t off = s->off_cal;
            xf_time t0 = xf__feat_step_time(panel, si, o, 0);
            for (c = 0; c < XF_CAL_N; c++) {
                double ph = t0 == XF_TIME_NONE ? 0.0 : cal_phase(c, t0);
                int32_t hk;
                for (hk = 1; hk <= s->n_harm[c]; hk++) {
                    double a = TWO_PI * hk * ph;
                    row[off++] = t0 == XF_TIME_NONE ? 0.0 : sin(a);
                    row[off++] = t0 == XF_TIME_NONE ? 0.0 : cos(a);
                }
            }
        }
        /* covariates at every forecast step */
        {
            size_t j;
            for (j = 0; j < s->n_cov; j++) {
                const double *cv = xf_panel_series_covariate(panel, si, j);
                double cm = 0, cs = 0, cn = 0;
                int64_t b0 = (int64_t)o - s->norm_window, q;
                /* on the covariate's own scale over the normalisation
                 * window, as the target is on its own: y = a + b c stays
                 * linear in the features */
                for (q = b0 > 0 ? b0 : 0; q < (int64_t)o && (uint64_t)q < n; q++)
                    if (isfinite(cv[q])) {
                        cm += cv[q];
                        cs += cv[q] * cv[q];
                        cn += 1;
                    }
                cm = cn > 0 ? cm / cn : 0.0;
                cs = cn > 1 ? cs / cn - cm * cm : 0.0;
                cs = cs > 0 ? sqrt(cs) : 0.0;
                if (!(cs > 1e-9 * (fabs(cm) + 1e-300)))
                    cs = fabs(cm) > 0 ? fabs(cm) : 1.0;
                for (k = 0; k < H; k++) {
                    int64_t idx = (int64_t)o + k, b;
                    double v = (uint64_t)idx < n ? cv[idx] : NAN;
                    if (!isfinite(v)) {
                        if (strict_cov) {
                            xf_time tt = xf__feat_step_time(panel, si, o, k);
                            char when[40] = "";
                            if (tt != XF_TIME_NONE)
                                xf_time_format(tt, 1, when, sizeof when);
                            return xf__fail(err, XF_EDATA, 0, 0, "series '%s': covariate '%s' "
                                            "has no value at forecast step %lld%s%s: future-known "
                                            "covariates need a value in every row being "
                                            "forecast", xf_panel_series_id(panel, si),
                                            xf_panel_covariate_name(panel, j), (long long)k + 1,
                                            when[0] ? " " : "", when);
                        }
                        for (b = idx < (int64_t)n ? idx : (int64_t)n - 1; b >= 0; b--)
                            if (isfinite(cv[b]))
                                break;
                        v = b >= 0 ? cv[b] : 0.0;
                    }
                    row[s->off_cov + j * (size_t)H + (size_t)k] = (v - cm) / cs;
                }
            }
        }
    }
    /* encoder embeddings: computed now, or taken from the caller's rows */
    if (s->n_enc > 0 && emb == NULL) {
        if ((rc = xf__feat_embed(s, ws, panel, series, origin, m, ws->rows, err)) != XF_OK)
            return rc;
        emb = ws->rows;
    }
    for (i = 0; i < m; i++) {
        const float *r = emb + i * width;
        for (e = 0; e < s->n_enc; e++) {
            size_t E = xf_encoder_embed_size(s->enc[e]), j;
            double *row = X + i * p + s->off_enc[e];
            double mz, lz, es = r[E + 1];
            for (j = 0; j < E; j++)
                row[j] = r[j];
            mz = (r[E] - level[i]) / scale[i];
            lz = es > 0 ? log(es / scale[i]) : -20.0;
            row[E] = mz > 50 ? 50 : mz < -50 ? -50 : mz;
            row[E + 1] = lz > 20 ? 20 : lz < -20 ? -20 : lz;
            r += E + 2;
        }
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
                   const size_t *series, const size_t *origin, size_t m, float *out,
                   xf_error *err)
{
    size_t width = xf__feat_emb_width(s), off = 0, e, i;
    int64_t k;
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
            for (k = 0; k < C; k++)
                w[k] = (float)xf__feat_value(s, y, n, (int64_t)origin[i] - C + k);
        }
        if ((rc = xf_encoder_embed(enc, ws->ews[e], ws->win, m, ws->emb, ws->norm, err)) != XF_OK)
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
