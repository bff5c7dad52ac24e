/* feature_groups.c - the feature groups: for each group of columns of a
 * feature row, its width, how it fills an origin's row, and its keys in a
 * head file (see feature_groups.h).  The table at the end is the registry;
 * its order is the row order.
 *
 * Every value is on the origin's instance-normalised scale (level, scale
 * from xf__feat_norm) unless the group says otherwise.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feature_groups.h"
#include "head_internal.h"
#include "holidays.h"
#include "localmodels.h"
#include "options_internal.h"

#define TWO_PI 6.283185307179586

/* ------------------------------------------------------------ embeddings
 * For each encoder e: its embedding (E_e values) of the context window
 * before the origin, then (window mean - level) / scale and log(window std
 * / scale), clamped to +-50 and +-20.  Keys: head.n_encoders and, per
 * encoder, encoder.N.name / fingerprint / embed / context (what
 * xf_head_attach_encoders checks). */

static size_t emb_width(const xf__feat_spec *s)
{
    size_t e, w = 0;
    for (e = 0; e < s->n_enc; e++)
        w += s->embed[e] + 2;
    return w;
}

static int emb_prepare(xf__feat_ctx *c, xf_error *err)
{
    int rc;
    if (c->emb != NULL)
        return XF_OK;
    if ((rc = xf__feat_embed(c->s, c->ws, c->panel, c->series, c->origin, c->m, c->ws->rows,
                             err)) != XF_OK)
        return rc;
    c->emb = c->ws->rows;
    return XF_OK;
}

static int emb_fill(const xf__feat_ctx *c, size_t i, double *cols, xf_error *err)
{
    const xf__feat_spec *s = c->s;
    /* no pointer arithmetic on a NULL block when there are no encoders (UB) */
    const float *r = s->n_enc > 0 ? c->emb + i * xf__feat_emb_width(s) : NULL;
    size_t e, off = 0;
    (void)err;
    for (e = 0; e < s->n_enc; e++) {
        size_t E = xf_encoder_embed_size(s->enc[e]), j;
        double *row = cols + off;
        double mz, lz, es = r[E + 1];
        for (j = 0; j < E; j++)
            row[j] = r[j];
        mz = (r[E] - c->level[i]) / c->scale[i];
        lz = es > 0 ? log(es / c->scale[i]) : -20.0;
        row[E] = mz > 50 ? 50 : mz < -50 ? -50 : mz;
        row[E + 1] = lz > 20 ? 20 : lz < -20 ? -20 : lz;
        r += E + 2;
        off += E + 2;
    }
    return XF_OK;
}

static int emb_save(const xf_head *h, xf_xfm *mf, int slot)
{
    char key[64], val[32];
    size_t i;
    if (slot == XF__HK_COUNTS)
        return xf_xfm_set_i64(mf, "head.n_encoders", (int64_t)h->n_enc);
    if (slot != XF__HK_ITEMS)
        return 0;
    for (i = 0; i < h->n_enc; i++) {
        snprintf(key, sizeof key, "encoder.%zu.name", i);
        if (xf_xfm_set_str(mf, key, h->enc_name[i]))
            return -1;
        snprintf(key, sizeof key, "encoder.%zu.fingerprint", i);
        snprintf(val, sizeof val, "%016" PRIx64, h->enc_fp[i]);
        if (xf_xfm_set_str(mf, key, val))
            return -1;
        snprintf(key, sizeof key, "encoder.%zu.embed", i);
        if (xf_xfm_set_i64(mf, key, h->enc_embed[i]))
            return -1;
        snprintf(key, sizeof key, "encoder.%zu.context", i);
        if (xf_xfm_set_i64(mf, key, h->enc_context[i]))
            return -1;
    }
    return 0;
}

static int emb_load(xf__head_loader *ld, xf_head *h, int slot)
{
    char key[64];
    const char *str;
    int64_t v;
    size_t i;
    int rc;
    if (slot == XF__HK_COUNTS) {
        /* a zero-shot head predicts through its one encoder */
        if ((rc = xf__head_get_i64(ld, "head.n_encoders", h->zeroshot ? 1 : 0,
                                   h->zeroshot ? 1 : XF_MAX_ENCODERS, &v)) != XF_OK)
            return rc;
        h->n_enc = (size_t)v;
        return XF_OK;
    }
    if (slot != XF__HK_ITEMS)
        return XF_OK;
    for (i = 0; i < h->n_enc; i++) {
        char *end;
        snprintf(key, sizeof key, "encoder.%zu.name", i);
        if ((rc = xf__head_get_str(ld, key, &str)) != XF_OK)
            return rc;
        snprintf(h->enc_name[i], sizeof h->enc_name[i], "%s", str);
        snprintf(key, sizeof key, "encoder.%zu.fingerprint", i);
        if ((rc = xf__head_get_str(ld, key, &str)) != XF_OK)
            return rc;
        h->enc_fp[i] = strtoull(str, &end, 16);
        if (strlen(str) != 16 || *end != '\0')
            return xf__fail(ld->err, XF_EFORMAT, 0, 0, "%s: bad fingerprint '%s'", ld->path, str);
        snprintf(key, sizeof key, "encoder.%zu.embed", i);
        if ((rc = xf__head_get_i64(ld, key, 1, XF__LIM_ENC_SIZE_MAX, &h->enc_embed[i])) != XF_OK)
            return rc;
        snprintf(key, sizeof key, "encoder.%zu.context", i);
        if ((rc = xf__head_get_i64(ld, key, 1, XF__LIM_ENC_SIZE_MAX, &h->enc_context[i])) != XF_OK)
            return rc;
    }
    return XF_OK;
}

/* ------------------------------------------------------------ lags
 * The last L values, most recent first.  Gaps carry the previous (older)
 * value; leading gaps and values before the series start take the first
 * observed one (the level when none is).  Key: head.lags. */

static size_t lags_width(const xf__feat_spec *s)
{
    return (size_t)s->n_lags;
}

static int lags_fill(const xf__feat_ctx *c, size_t i, double *cols, xf_error *err)
{
    const xf__feat_spec *s = c->s;
    const double *y = xf_panel_series_values(c->panel, c->series[i]);
    size_t n = xf_panel_series_length(c->panel, c->series[i]), o = c->origin[i];
    double *vals = c->ws->vals, lv = c->level[i], sc = c->scale[i], last = NAN, first = NAN;
    double fill;
    int64_t L = s->n_lags, k;
    (void)err;
    for (k = L; k >= 1; k--) {
        double v = xf__feat_value(s, y, n, (int64_t)o - k);
        if (isfinite(v)) {
            last = v;
            if (!isfinite(first))
                first = v;
        }
        vals[k] = last;
    }
    fill = isfinite(first) ? first : lv;
    for (k = 1; k <= L; k++) {
        double v = isfinite(vals[k]) ? vals[k] : fill;
        cols[k - 1] = (v - lv) / sc;
    }
    return XF_OK;
}

static int lags_save(const xf_head *h, xf_xfm *mf, int slot)
{
    return slot == XF__HK_AFTER_HORIZON ? xf_xfm_set_i64(mf, "head.lags", h->spec.n_lags) : 0;
}

static int lags_load(xf__head_loader *ld, xf_head *h, int slot)
{
    int64_t v;
    int rc;
    if (slot != XF__HK_AFTER_HORIZON)
        return XF_OK;
    if ((rc = xf__head_get_i64(ld, "head.lags", 0, XF__LIM_LAGS_MAX, &v)) != XF_OK)
        return rc;
    h->spec.n_lags = (int32_t)v;
    return XF_OK;
}

/* ------------------------------------------------------------ history
 * Where the level and scale stand in the long history (the last
 * XF_HIST_WINDOW values): (level - long mean) / long std clamped to +-50,
 * and log(scale / long std) floored at -20; the long std is at least the
 * scale.  Key: head.history (0/1; absent in the first heads: 0). */

static size_t hist_width(const xf__feat_spec *s)
{
    return s->history ? 2 : 0;
}

static int hist_fill(const xf__feat_ctx *c, size_t i, double *cols, xf_error *err)
{
    const xf__feat_spec *s = c->s;
    const double *y = xf_panel_series_values(c->panel, c->series[i]);
    size_t n = xf_panel_series_length(c->panel, c->series[i]), o = c->origin[i];
    double lv = c->level[i], sc = c->scale[i];
    double sum = 0, sum2 = 0, mu, sd, z, r;
    size_t cnt = 0;
    int64_t k, b0 = (int64_t)o - XF_HIST_WINDOW;
    (void)err;
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
    cols[0] = z > 50 ? 50 : z < -50 ? -50 : z;
    cols[1] = r < -20 ? -20 : r;
    return XF_OK;
}

static int hist_save(const xf_head *h, xf_xfm *mf, int slot)
{
    return slot == XF__HK_AFTER_LEVEL_LAST ? xf_xfm_set_i64(mf, "head.history", h->spec.history)
                                           : 0;
}

static int hist_load(xf__head_loader *ld, xf_head *h, int slot)
{
    int64_t v;
    int rc;
    if (slot != XF__HK_AFTER_LEVEL_LAST)
        return XF_OK;
    if ((rc = xf__head_get_i64_opt(ld, "head.history", 0, 1, 0, &v)) != XF_OK)
        return rc;
    h->spec.history = (int32_t)v;
    return XF_OK;
}

/* ------------------------------------------------------------ calendar
 * Fourier terms of the time of the first forecast step: sin and cos of
 * 2 pi k phase for k = 1 .. n_harm[c] of each period c (hour of day, day of
 * week, day of year, month of year); 0 when the series has no times.
 * Key: head.calendar, the harmonics per period (0..64 each). */

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

static size_t cal_width(const xf__feat_spec *s)
{
    size_t w = 0;
    int c;
    for (c = 0; c < XF_CAL_N; c++)
        w += 2 * (size_t)s->n_harm[c];
    return w;
}

static int cal_fill(const xf__feat_ctx *c, size_t i, double *cols, xf_error *err)
{
    const xf__feat_spec *s = c->s;
    size_t off = 0;
    xf_time t0 = xf__feat_step_time(c->panel, c->series[i], c->origin[i], 0);
    const xf_tz *tz = xf_panel_tz(c->panel);
    int p;
    (void)err;
    if (tz != NULL && t0 != XF_TIME_NONE) /* --tz: the calendar of the local wall clock */
        t0 += (xf_time)xf_tz_offset_utc(tz, t0) * XF_TIME_US_PER_SEC;
    for (p = 0; p < XF_CAL_N; p++) {
        double ph = t0 == XF_TIME_NONE ? 0.0 : cal_phase(p, t0);
        int32_t hk;
        for (hk = 1; hk <= s->n_harm[p]; hk++) {
            double a = TWO_PI * hk * ph;
            cols[off++] = t0 == XF_TIME_NONE ? 0.0 : sin(a);
            cols[off++] = t0 == XF_TIME_NONE ? 0.0 : cos(a);
        }
    }
    return XF_OK;
}

static int cal_save(const xf_head *h, xf_xfm *mf, int slot)
{
    int64_t cal[XF_CAL_N];
    size_t i;
    if (slot != XF__HK_AFTER_SEASONAL)
        return 0;
    for (i = 0; i < XF_CAL_N; i++)
        cal[i] = h->spec.n_harm[i];
    return xf_xfm_set_i64_array(mf, "head.calendar", cal, XF_CAL_N);
}

static int cal_load(xf__head_loader *ld, xf_head *h, int slot)
{
    const int64_t *cal;
    size_t n, i;
    int rc;
    if (slot != XF__HK_AFTER_SEASONAL)
        return XF_OK;
    if ((rc = xf_xfm_get_i64_array(ld->mf, "head.calendar", &cal, &n, ld->err)) != XF_OK)
        return rc;
    if (n != XF_CAL_N)
        return xf__fail(ld->err, XF_EFORMAT, 0, 0, "%s: head.calendar has %zu entries, not %d",
                        ld->path, n, XF_CAL_N);
    for (i = 0; i < XF_CAL_N; i++) {
        if (cal[i] < 0 || cal[i] > 64)
            return xf__fail(ld->err, XF_EFORMAT, 0, 0,
                            "%s: calendar harmonics %" PRId64 " out of range", ld->path, cal[i]);
        h->spec.n_harm[i] = (int32_t)cal[i];
    }
    return XF_OK;
}

/* ------------------------------------------------------------ covariates
 * Covariate j at forecast steps 1 .. H (j major), each on the covariate's
 * own mean and spread over the normalisation window, as the target is on
 * its own, so that y = a + b c stays linear in the features.  A missing
 * value takes the last observed one before it (0 when none), or is an
 * error when strict_cov.  Keys: head.n_covariates and covariate.N, the
 * names (the panel must carry them in this order). */

static size_t cov_width(const xf__feat_spec *s)
{
    return s->n_cov * (size_t)s->horizon;
}

static int cov_fill(const xf__feat_ctx *c, size_t i, double *cols, xf_error *err)
{
    const xf__feat_spec *s = c->s;
    size_t si = c->series[i], o = c->origin[i], j;
    size_t n = xf_panel_series_length(c->panel, si);
    int64_t H = s->horizon, k;
    for (j = 0; j < s->n_cov; j++) {
        const double *cv = xf_panel_series_covariate(c->panel, si, j);
        double cm = 0, cs = 0, cn = 0;
        int64_t b0 = (int64_t)o - s->norm_window, q;
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
                if (c->strict_cov) {
                    xf_time tt = xf__feat_step_time(c->panel, si, o, k);
                    char when[40] = "";
                    if (tt != XF_TIME_NONE)
                        xf_time_format(tt, 1, when, sizeof when);
                    return xf__fail(err, XF_EDATA, 0, 0,
                                    "series '%s': covariate '%s' "
                                    "has no value at forecast step %lld%s%s: future-known "
                                    "covariates need a value in every row being "
                                    "forecast",
                                    xf_panel_series_id(c->panel, si),
                                    xf_panel_covariate_name(c->panel, j), (long long)k + 1,
                                    when[0] ? " " : "", when);
                }
                for (b = idx < (int64_t)n ? idx : (int64_t)n - 1; b >= 0; b--)
                    if (isfinite(cv[b]))
                        break;
                v = b >= 0 ? cv[b] : 0.0;
            }
            cols[j * (size_t)H + (size_t)k] = (v - cm) / cs;
        }
    }
    return XF_OK;
}

static int cov_save(const xf_head *h, xf_xfm *mf, int slot)
{
    char key[64];
    size_t i;
    if (slot == XF__HK_COUNTS)
        return xf_xfm_set_i64(mf, "head.n_covariates", (int64_t)h->spec.n_cov);
    if (slot != XF__HK_ITEMS)
        return 0;
    for (i = 0; i < h->spec.n_cov; i++) {
        snprintf(key, sizeof key, "covariate.%zu", i);
        if (xf_xfm_set_str(mf, key, h->cov_names[i]))
            return -1;
    }
    return 0;
}

static int cov_load(xf__head_loader *ld, xf_head *h, int slot)
{
    char key[64];
    const char *str;
    int64_t v;
    size_t i;
    int rc;
    if (slot == XF__HK_COUNTS) {
        if ((rc = xf__head_get_i64(ld, "head.n_covariates", 0, XF__LIM_COVARIATES_MAX, &v)) !=
            XF_OK)
            return rc;
        h->spec.n_cov = (size_t)v;
        return XF_OK;
    }
    if (slot != XF__HK_ITEMS || h->spec.n_cov == 0)
        return XF_OK;
    if ((h->cov_names = calloc(h->spec.n_cov, sizeof *h->cov_names)) == NULL)
        return xf__fail(ld->err, XF_ENOMEM, 0, 0, "out of memory");
    for (i = 0; i < h->spec.n_cov; i++) {
        snprintf(key, sizeof key, "covariate.%zu", i);
        if ((rc = xf__head_get_str(ld, key, &str)) != XF_OK)
            return rc;
        if ((h->cov_names[i] = xf__strndup(str, strlen(str))) == NULL)
            return xf__fail(ld->err, XF_ENOMEM, 0, 0, "out of memory");
    }
    return XF_OK;
}

/* ------------------------------------------------------------ holidays
 * For each of the D days the forecast covers (the first step's day and the
 * D - 1 after it, local days under --tz): holiday, day before, day after,
 * bridge day (xf__holidays_indicators) from the panel's calendar.  Key:
 * head.holidays = D, written only when on, so that heads without a
 * calendar are as they were. */

static size_t hol_width(const xf__feat_spec *s)
{
    return (size_t)s->holiday_days * XF__HOLIDAY_WIDTH;
}

static int hol_fill(const xf__feat_ctx *c, size_t i, double *cols, xf_error *err)
{
    const xf__holidays *hol = xf__panel_holidays(c->panel);
    xf_time t0 = xf__feat_step_time(c->panel, c->series[i], c->origin[i], 0);
    const xf_tz *tz = xf_panel_tz(c->panel);
    float ind[XF__HOLIDAY_WIDTH];
    int64_t day0, d;
    int k;
    if (hol == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "the head uses holiday features but the data has no holiday "
                        "calendar; give it with --holidays FILE (xf_panel_set_holidays)");
    if (t0 == XF_TIME_NONE) {
        memset(cols, 0, hol_width(c->s) * sizeof *cols);
        return XF_OK;
    }
    if (tz != NULL) /* the local day */
        t0 += (xf_time)xf_tz_offset_utc(tz, t0) * XF_TIME_US_PER_SEC;
    day0 = (int64_t)((t0 - floor_mod(t0, XF_TIME_US_PER_DAY)) / XF_TIME_US_PER_DAY);
    for (d = 0; d < c->s->holiday_days; d++) {
        xf__holidays_indicators(hol, day0 + d, ind);
        for (k = 0; k < XF__HOLIDAY_WIDTH; k++)
            cols[d * XF__HOLIDAY_WIDTH + k] = ind[k];
    }
    return XF_OK;
}

static int hol_save(const xf_head *h, xf_xfm *mf, int slot)
{
    if (slot != XF__HK_ITEMS || h->spec.holiday_days == 0)
        return 0;
    return xf_xfm_set_i64(mf, "head.holidays", h->spec.holiday_days);
}

static int hol_load(xf__head_loader *ld, xf_head *h, int slot)
{
    int64_t v;
    int rc;
    if (slot != XF__HK_ITEMS)
        return XF_OK;
    if ((rc = xf__head_get_i64_opt(ld, "head.holidays", 0, h->spec.horizon, 0, &v)) != XF_OK)
        return rc;
    h->spec.holiday_days = (int32_t)v;
    return XF_OK;
}

/* ------------------------------------------------------------ local model
 * The forecasts of steps 1..H of the local window model (localmodels.h:
 * seasonal profiles of the head's local periods + exponential smoothing,
 * fitted on the window before the origin alone), normalised; the last
 * value when too few are observed.  Keys: head.local_features (0/1; absent
 * in heads written before it: 0) and, when it or the local baseline is on,
 * head.local_period1/2 (0 = unused), which the local baseline
 * (XF_BASELINE_LOCAL, featurize.c) uses too. */

static size_t loc_width(const xf__feat_spec *s)
{
    return s->local_features ? (size_t)s->horizon : 0;
}

static int loc_fill(const xf__feat_ctx *c, size_t i, double *cols, xf_error *err)
{
    const xf__feat_spec *s = c->s;
    const double *y = xf_panel_series_values(c->panel, c->series[i]);
    size_t n = xf_panel_series_length(c->panel, c->series[i]), o = c->origin[i];
    size_t w = xf__lm_window_length(o, s->local_period, XF__FEAT_LOCAL_PERIODS), t;
    double *win = c->ws->bwork, last = NAN;
    int64_t k, H = s->horizon;
    (void)err;
    for (t = 0; t < w; t++) {
        win[t] = xf__feat_value(s, y, n, (int64_t)(o - w + t));
        if (isfinite(win[t]))
            last = win[t];
    }
    if (xf__lm_window_forecast(win, w, s->local_period, XF__FEAT_LOCAL_PERIODS, s->horizon, win + w,
                               cols) != 0)
        for (k = 0; k < H; k++)
            cols[k] = last;
    for (k = 0; k < H; k++)
        cols[k] = isfinite(cols[k]) ? (cols[k] - c->level[i]) / c->scale[i] : 0.0;
    return XF_OK;
}

static int loc_save(const xf_head *h, xf_xfm *mf, int slot)
{
    if (slot != XF__HK_ITEMS)
        return 0;
    if (xf_xfm_set_i64(mf, "head.local_features", h->spec.local_features))
        return 1;
    if (!h->spec.local_features && h->spec.baseline != XF_BASELINE_LOCAL &&
        h->blend_base != XF_BASELINE_LOCAL)
        return 0; /* the periods only when the local model is used */
    return xf_xfm_set_i64(mf, "head.local_period1", h->spec.local_period[0]) ||
           xf_xfm_set_i64(mf, "head.local_period2", h->spec.local_period[1]);
}

static int loc_load(xf__head_loader *ld, xf_head *h, int slot)
{
    int64_t v;
    int rc, i;
    if (slot != XF__HK_ITEMS)
        return XF_OK;
    if ((rc = xf__head_get_i64_opt(ld, "head.local_features", 0, 1, 0, &v)) != XF_OK)
        return rc;
    h->spec.local_features = (int32_t)v;
    for (i = 0; i < XF__FEAT_LOCAL_PERIODS; i++) {
        char key[32];
        snprintf(key, sizeof key, "head.local_period%d", i + 1);
        if ((rc = xf__head_get_i64_opt(ld, key, 0, XF__LM_FIT_WINDOW / XF__LM_WIN_CYCLES, 0, &v)) !=
            XF_OK)
            return rc;
        if (v == 1)
            return xf__fail(ld->err, XF_EFORMAT, 0, 0, "%s: %s = 1: a period is 0 or at least 2",
                            ld->path, key);
        h->spec.local_period[i] = (int32_t)v;
    }
    return XF_OK;
}

/* ------------------------------------------------------------ the registry */

const xf__feat_group xf__feat_groups[XF__FG_N] = {
    [XF__FG_EMBEDDINGS] = {"embeddings", "encoder.", emb_width, emb_prepare, emb_fill, emb_save,
                           emb_load},
    [XF__FG_LAGS] = {"lags", NULL, lags_width, NULL, lags_fill, lags_save, lags_load},
    [XF__FG_HISTORY] = {"history", NULL, hist_width, NULL, hist_fill, hist_save, hist_load},
    [XF__FG_CALENDAR] = {"calendar", NULL, cal_width, NULL, cal_fill, cal_save, cal_load},
    [XF__FG_COVARIATES] = {"covariates", "covariate.", cov_width, NULL, cov_fill, cov_save,
                           cov_load},
    [XF__FG_HOLIDAYS] = {"holidays", NULL, hol_width, NULL, hol_fill, hol_save, hol_load},
    [XF__FG_LOCAL] = {"local", NULL, loc_width, NULL, loc_fill, loc_save, loc_load},
};
