/* head_fit.c - where a head is fitted: origins and the time-ordered
 * validation split (with its rolling windows), the candidate
 * configurations, the ridge solve with its penalty chosen on held-out
 * origins (one split, or rolling windows with the simpler configuration
 * kept within one standard error), and the final refit on all origins.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "head_blend.h"
#include "head_internal.h"
#include "head_local.h"
#include "head_prior.h"
#include "head_stats.h"
#include "holidays.h"
#include "localmodels.h"
#include "options_internal.h"

#include "linalg.h"
#include "model_check.h"

typedef struct origin_list {
    size_t *series, *origin;
    unsigned char *late; /* validation: second half of the series' held-out origins */
    unsigned char *fold; /* validation: the rolling window (0..XF_HEAD_SELECT_FOLDS-1) */
    unsigned char *from; /* validation: the first window whose model may train on it
                            (XF_HEAD_SELECT_FOLDS: none, its targets reach the next) */
    size_t n, cap;
} origin_list;

static int ol_push(origin_list *l, size_t s, size_t o, unsigned char late)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1024;
        size_t *a = xf__realloc_array(l->series, cap, sizeof *a);
        size_t *b;
        unsigned char *c;
        if (a == NULL)
            return -1;
        l->series = a;
        if ((b = xf__realloc_array(l->origin, cap, sizeof *b)) == NULL)
            return -1;
        l->origin = b;
        if ((c = realloc(l->late, cap)) == NULL)
            return -1;
        l->late = c;
        if ((c = realloc(l->fold, cap)) == NULL)
            return -1;
        l->fold = c;
        if ((c = realloc(l->from, cap)) == NULL)
            return -1;
        l->from = c;
        l->cap = cap;
    }
    l->series[l->n] = s;
    l->origin[l->n] = o;
    l->late[l->n] = late;
    l->fold[l->n] = 0;
    l->from[l->n] = XF_HEAD_SELECT_FOLDS;
    l->n++;
    return 0;
}

static void ol_free(origin_list *l)
{
    free(l->series);
    free(l->origin);
    free(l->late);
    free(l->fold);
    free(l->from);
    memset(l, 0, sizeof *l);
}

/* First index of series i at or after a time / row cut (n when none). */
size_t xf__head_cut_index(const xf_panel *panel, size_t i, xf_time t, int64_t row)
{
    size_t n = xf_panel_series_length(panel, i), lo = 0, hi;
    const xf_time *ts = xf_panel_series_times(panel, i);
    size_t cut = n;
    if (row >= 0 && (uint64_t)row < cut)
        cut = (size_t)row;
    if (t != XF_TIME_NONE && ts != NULL) {
        hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ts[mid] < t)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < cut)
            cut = lo;
    }
    return cut;
}

/* The rolling windows of one series' held-out origins l[v0..l->n): K
 * consecutive blocks of (nearly) equal counts; each origin's first window
 * is the earliest later one that starts at or after its last target (its
 * model may train on it without seeing the targets it scores). */
static void assign_folds(origin_list *l, size_t v0, size_t H)
{
    size_t m = l->n - v0, i, k, start[XF_HEAD_SELECT_FOLDS + 1];
    for (k = 0; k <= XF_HEAD_SELECT_FOLDS; k++)
        start[k] = SIZE_MAX;
    for (i = 0; i < m; i++) {
        size_t f = i * XF_HEAD_SELECT_FOLDS / m;
        l->fold[v0 + i] = (unsigned char)f;
        if (start[f] == SIZE_MAX)
            start[f] = l->origin[v0 + i];
    }
    /* an empty window starts where the next non-empty one does */
    for (k = XF_HEAD_SELECT_FOLDS; k-- > 0;)
        if (start[k] == SIZE_MAX)
            start[k] = start[k + 1];
    for (i = 0; i < m; i++) {
        size_t t = l->origin[v0 + i];
        for (k = (size_t)l->fold[v0 + i] + 1; k < XF_HEAD_SELECT_FOLDS; k++)
            if (start[k] == SIZE_MAX || t + H <= start[k])
                break;
        l->from[v0 + i] = (unsigned char)k;
    }
}

/* Training and validation origins: every t with t >= t_min and the H
 * targets [t, t+H) finite and before the training cut; validation = the
 * latest ones; training origins whose targets reach into validation are
 * dropped.  in: the series taken (NULL: all); the stride is chosen on the
 * origins of every series, and n_all [2] counts the training and held-out
 * origins of every series, so that every shard of one panel takes the
 * decisions of a fit on all of it. */
static int make_origins(const xf_panel *panel, const unsigned char *in, xf_head_options *o,
                        size_t t_min, origin_list *train, origin_list *valid, size_t *n_all,
                        xf_error *err)
{
    size_t ns = xf_panel_n_series(panel), s, H = (size_t)o->horizon, total = 0, stride;
    size_t *miss = NULL, cap = 0, vfirst;
    int rc = XF_OK;
    n_all[0] = n_all[1] = 0;
    /* count candidates first, to pick the stride */
    for (stride = 0; stride < 2; stride++) {
        for (s = 0; s < ns; s++) {
            size_t n = xf_panel_series_length(panel, s), end, t, v0, cnt = 0, nv, seen = 0;
            const double *y = xf_panel_series_values(panel, s);
            size_t step = stride == 0 ? 1 : (size_t)o->stride;
            int keep = in == NULL || in[s]; /* another shard's series: counted only */
            end = xf__head_cut_index(panel, s, o->train_end, o->train_end_row);
            if (end < t_min + H)
                continue;
            if (xf__grow((void **)&miss, &cap, n + 1, sizeof *miss) != 0) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                goto done;
            }
            miss[0] = 0;
            for (t = 0; t < n; t++)
                miss[t + 1] = miss[t] + (isfinite(y[t]) ? 0 : 1);
            for (t = t_min; t + H <= end; t++)
                if (miss[t + H] == miss[t] && isfinite(y[t - 1]))
                    cnt++;
            if (stride == 0) {
                total += cnt;
                continue;
            }
            if (cnt == 0)
                continue;
            /* validation start: by time/row, or the latest share */
            if (o->valid_start != XF_TIME_NONE || o->valid_start_row >= 0) {
                v0 = xf__head_cut_index(panel, s, o->valid_start, o->valid_start_row);
                nv = 0;
                for (t = v0 > t_min ? v0 : t_min; t + H <= end; t++)
                    if (miss[t + H] == miss[t] && isfinite(y[t - 1]))
                        nv++;
            } else {
                nv = (size_t)ceil(o->valid_fraction * (double)cnt);
                v0 = end;
                for (t = end - H + 1; t-- > t_min && seen < nv;)
                    if (miss[t + H] == miss[t] && isfinite(y[t - 1])) {
                        seen++;
                        v0 = t;
                    }
            }
            seen = 0;
            vfirst = valid->n;
            for (t = t_min; t + H <= end; t++) {
                int is_valid = t >= v0;
                if (!(miss[t + H] == miss[t] && isfinite(y[t - 1])))
                    continue;
                if (!is_valid && t + H > v0)
                    continue; /* its targets overlap the held-out period */
                if ((t - t_min) % step != 0)
                    continue;
                n_all[is_valid]++;
                if (!keep)
                    continue;
                if (is_valid) {
                    if (ol_push(valid, s, t, (unsigned char)(2 * seen >= nv / step)) != 0)
                        goto oom;
                    seen++;
                } else if (ol_push(train, s, t, 0) != 0) {
                    goto oom;
                }
            }
            if (keep && valid->n > vfirst)
                assign_folds(valid, vfirst, H);
        }
        if (stride == 0) {
            int64_t st = o->stride > 0 ? o->stride : 1;
            if ((int64_t)total / st > o->max_windows)
                st = ((int64_t)total + o->max_windows - 1) / o->max_windows;
            o->stride = (int32_t)st;
        }
    }
    goto done;
oom:
    rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
done:
    free(miss);
    return rc;
}

static void record_encoders(xf_head *h, xf_encoder *const *encs, size_t n_enc)
{
    size_t i;
    h->n_enc = n_enc;
    for (i = 0; i < n_enc; i++) {
        snprintf(h->enc_name[i], sizeof h->enc_name[i], "%s", xf_encoder_name(encs[i]));
        h->enc_fp[i] = xf_encoder_fingerprint(encs[i]);
        h->enc_embed[i] = (int64_t)xf_encoder_embed_size(encs[i]);
        h->enc_context[i] = xf_encoder_context(encs[i]);
        h->spec.enc[i] = encs[i];
    }
    h->attached = 1;
}

static int copy_covariates(xf_head *h, const xf_panel *panel, xf_error *err)
{
    size_t j;
    if (h->spec.n_cov == 0)
        return XF_OK;
    if ((h->cov_names = calloc(h->spec.n_cov, sizeof *h->cov_names)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    for (j = 0; j < h->spec.n_cov; j++) {
        const char *nm = xf_panel_covariate_name(panel, j);
        if ((h->cov_names[j] = xf__strndup(nm, strlen(nm))) == NULL)
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    return XF_OK;
}

void xf__head_local_periods(int32_t season, int32_t *period)
{
    size_t i;
    for (i = 0; i < XF__FEAT_LOCAL_PERIODS; i++)
        period[i] = 0;
    /* a period the window holds XF__LM_WIN_CYCLES times within its limit */
    if (season < 2 || (size_t)season * XF__LM_WIN_CYCLES > XF__LM_FIT_WINDOW)
        return;
    period[0] = season;
    /* a week of sub-daily steps: the day too */
    if (season % 7 == 0 && season / 7 >= 2)
        period[1] = season / 7;
}

static const double lambda_grid[] = {1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2,
                                     0.1,  0.3,  1,    3,    10,   30,   100,  300,  1000};

/* Whether an automatic seasonal baseline of period m stays when short
 * series shorten the lags below it: the value a season back must exist for
 * most origins, so the history before the last origin (maxlen - H) must
 * hold two seasons; the lag window need not cover it (the baseline reads
 * the series, not the lags). */
static int baseline_fits(int32_t m, size_t maxlen, int32_t H)
{
    return m <= 1 || (maxlen > (size_t)H && 2 * (size_t)m <= maxlen - (size_t)H);
}

/* The automatic baseline of a short series whose seasonal period m does not
 * fit: the day of a weekly sub-daily season when two days fit (a week of
 * half-hourly demand seen for four days still has its daily cycle), else
 * naive, the forecast a short history supports.  The scale follows. */
static void short_baseline(xf_head_options *o, const xf_head_options *asked, size_t maxlen)
{
    int32_t m = o->baseline;
    if (asked->baseline != XF_AUTO || baseline_fits(m, maxlen, o->horizon))
        return;
    o->baseline = m % 7 == 0 && m / 7 >= 2 && baseline_fits(m / 7, maxlen, o->horizon) ? m / 7 : 1;
    if (asked->seasonal_scale == XF_AUTO)
        o->seasonal_scale = o->baseline > 1;
}

int xf__head_fill_spec(xf_head *h, const xf_head_options *o, xf_encoder *const *encs, size_t n_enc,
                       size_t n_cov, xf_error *err)
{
    xf__feat_spec *s = &h->spec;
    size_t e;
    memset(s, 0, sizeof *s);
    s->horizon = o->horizon;
    s->n_lags = o->n_lags;
    s->norm_window = o->n_lags >= XF_HEAD_MIN_NORM_WINDOW ? o->n_lags
                     : o->n_lags > 0                      ? XF_HEAD_MIN_NORM_WINDOW
                                                          : XF_HEAD_NORM_WINDOW_NO_LAGS;
    s->log_transform = o->log_transform;
    s->level_last = o->domain == XF_DOMAIN_STOCK;
    s->n_cov = o->covariates ? n_cov : 0;
    s->history = o->history ? 1 : 0;
    s->baseline = o->baseline;
    s->scale_mode = o->baseline == XF_BASELINE_LOCAL ? 0 : o->seasonal_scale;
    xf__head_local_periods(o->season, s->local_period);
    s->local_features = o->local_model == 1;
    if (n_enc > XF_MAX_ENCODERS)
        return xf__fail(err, XF_EINVAL, 0, 0, "%zu encoders; at most %d", n_enc, XF_MAX_ENCODERS);
    if (s->n_cov > XF__LIM_COVARIATES_MAX)
        return xf__fail(err, XF_EINVAL, 0, 0, "%zu covariates exceed the limit %d", s->n_cov,
                        XF__LIM_COVARIATES_MAX);
    for (e = 0; e < n_enc; e++)
        if (encs[e] == NULL)
            return xf__fail(err, XF_EINVAL, 0, 0, "encoder %zu is NULL", e + 1);
        else if (!xf__model_encoder_name_ok(xf_encoder_name(encs[e])))
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "encoder %zu is named '%s': a head records its encoders' names, "
                            "which must be plain names (no path)",
                            e + 1, xf_encoder_name(encs[e]));
        else if (xf_encoder_embed_size(encs[e]) > XF__LIM_ENC_SIZE_MAX ||
                 xf_encoder_context(encs[e]) > XF__LIM_ENC_SIZE_MAX)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "encoder %zu: embedding %zu or context %d exceeds the limit %d", e + 1,
                            (size_t)xf_encoder_embed_size(encs[e]),
                            (int)xf_encoder_context(encs[e]), XF__LIM_ENC_SIZE_MAX);
    s->n_enc = o->embedding ? n_enc : 0;
    h->domain = o->domain;
    h->season = o->season;
    h->n_levels = o->n_levels;
    memcpy(h->levels, o->levels, sizeof h->levels);
    h->intervals = o->intervals;
    h->symmetric = o->symmetric_intervals ? 1 : 0;
    record_encoders(h, encs, s->n_enc);
    return XF_OK;
}

/* Length in days of a step of frequency f (nominal for business days and
 * months); 0 when unknown. */
static double step_days(xf_freq f)
{
    switch (f.kind) {
    case XF_FREQ_FIXED:
        return (double)f.step / (double)XF_TIME_US_PER_DAY;
    case XF_FREQ_BDAY:
        return (double)f.step * 7.0 / 5.0;
    case XF_FREQ_MONTH:
        return (double)f.step * 365.25 / 12.0;
    default:
        return 0.0;
    }
}

/* Calendar terms and holiday days of the head.  A calendar period whose
 * cycle the training origins of the longest series (maxlen - H values) do
 * not span once is left out: fitted on part of a cycle its sine and cosine
 * act as a trend and extrapolate (day of year on a few days of hourly
 * data).  maxlen SIZE_MAX: every term (calendar asked for explicitly). */
static void set_calendar(xf__feat_spec *s, const xf_panel *panel, const xf_head_options *o,
                         size_t maxlen)
{
    static const double cycle_days[XF_CAL_N] = {1.0, 7.0, 365.25, 365.25};
    int32_t H, L;
    int c;
    xf_freq f = xf__head_panel_freq(panel);
    double span = maxlen == SIZE_MAX ? HUGE_VAL
                  : maxlen > (size_t)o->horizon
                      ? (double)(maxlen - (size_t)o->horizon) * step_days(f)
                      : 0.0;
    xf__head_freq_defaults(f, o->domain, &H, &L, s->n_harm);
    for (c = 0; c < XF_CAL_N; c++)
        if (!o->calendar || span < cycle_days[c])
            s->n_harm[c] = 0;
    /* holiday indicators of the days the horizon covers, for daily and finer
     * fixed steps (business days step over the holidays instead) */
    s->holiday_days = 0;
    if (xf__panel_holidays(panel) != NULL && f.kind == XF_FREQ_FIXED && f.step > 0 &&
        f.step <= XF_TIME_US_PER_DAY) {
        int64_t d = (int64_t)(s->horizon - 1) * f.step / XF_TIME_US_PER_DAY + 2;
        s->holiday_days = (int32_t)(d < s->horizon ? d : s->horizon);
    }
}

static void stats_zero(xf__ridge_stats *s)
{
    memset(s->xtx, 0, s->p * s->p * sizeof *s->xtx);
    memset(s->xty, 0, s->p * s->q * sizeof *s->xty);
    memset(s->sx, 0, s->p * sizeof *s->sx);
    memset(s->sy, 0, s->q * sizeof *s->sy);
    memset(s->yty, 0, s->q * sizeof *s->yty);
    s->n = 0;
}

void xf__head_prior_apply(const double *W0, const double *b0, size_t p, size_t H, const double *X,
                          double *Y, double *add, size_t m)
{
    size_t i, k, j;
    for (i = 0; i < m; i++)
        for (k = 0; k < H; k++) {
            const double *x = X + i * p, *w = W0 + k * p;
            double f = b0[k];
            for (j = 0; j < p; j++)
                f += x[j] * w[j];
            Y[i * H + k] -= f;
            if (add != NULL)
                add[i * H + k] += f;
        }
}

/* The domain head of candidate f's features (o->prior), into f->W0 / b0.
 * soft (the prior chosen by the fit, not asked for): a domain head that
 * cannot be fitted leaves the candidate without one instead of failing. */
static int cand_prior(xf__cand_stats *f, const xf_head_options *o, xf_freq freq, int soft,
                      xf__prior_cache *pc, xf_error *err)
{
    xf__ridge_model m = {0};
    size_t H = (size_t)f->spec.horizon, t0 = xf__head_first_origin(&f->spec);
    size_t stride = H / XF_HEAD_PRIOR_STRIDE_DIV > 0 ? H / XF_HEAD_PRIOR_STRIDE_DIV : 1;
    size_t per = XF_HEAD_PRIOR_LEN > t0 + H ? XF_HEAD_PRIOR_LEN - t0 - H : 1;
    size_t want = XF_HEAD_PRIOR_ROWS_PER_FEATURE * (f->spec.p > 0 ? f->spec.p : 1);
    xf_error perr;
    int rc;
    /* a wide head (long lags, embeddings) takes denser origins: about
     * XF_HEAD_PRIOR_ROWS_PER_FEATURE rows per feature where the series
     * hold them */
    if ((size_t)XF_HEAD_PRIOR_SERIES * per / stride < want)
        stride = (size_t)XF_HEAD_PRIOR_SERIES * per / want > 0
                     ? (size_t)XF_HEAD_PRIOR_SERIES * per / want
                     : 1;
    rc = xf__head_prior_fit(&f->spec, o->domain, freq, XF_HEAD_PRIOR_SERIES, XF_HEAD_PRIOR_LEN,
                            stride, XF_HEAD_PRIOR_SEED, o->n_threads, pc, &m, NULL, &perr);
    if (rc != XF_OK && soft && rc != XF_ENOMEM)
        return XF_OK;
    if (rc != XF_OK)
        return xf__fail(err, rc == XF_EDATA ? XF_EINVAL : rc, 0, 0,
                        "the %s domain prior: %s (fit with prior none)", xf_domain_name(o->domain),
                        perr.message);
    f->W0 = m.w;
    f->b0 = m.b;
    m.w = m.b = NULL;
    xf__ridge_model_free(&m);
    return XF_OK;
}

/* Build the features of every origin of one candidate (embeddings from the
 * cache) and accumulate its training and held-out statistics, one series
 * at a time (feature batches never span two series, so a series' sums do
 * not depend on its neighbours), keeping the held-out rows. */
static int accumulate_pass(xf__cand_stats *f, const xf_panel *panel, xf__feat_ws *fws,
                           const origin_list *train, const origin_list *valid, const float *cache,
                           int32_t season, const xf_head_options *o, const char *what,
                           xf_error *err)
{
    size_t H = (size_t)f->spec.horizon, p = f->spec.p, width = xf__feat_emb_width(&f->spec);
    size_t b, i, set, s0, s1, nvmax = valid->n ? valid->n : 1;
    double *X = NULL, *Y = NULL, *lev = NULL, *sca = NULL, *base = NULL;
    unsigned char *ok = NULL;
    xf__ridge_stats one = {0};
    int rc = XF_OK;
    X = xf__malloc_array(XF_HEAD_FEAT_BATCH * p, sizeof *X);
    Y = xf__malloc_array(XF_HEAD_FEAT_BATCH * H, sizeof *Y);
    lev = malloc(XF_HEAD_FEAT_BATCH * sizeof *lev);
    sca = malloc(XF_HEAD_FEAT_BATCH * sizeof *sca);
    ok = malloc(XF_HEAD_FEAT_BATCH);
    base = malloc(H * sizeof *base);
    f->XV = xf__malloc_array(nvmax * p, sizeof *f->XV);
    f->YV = xf__malloc_array(nvmax * H, sizeof *f->YV);
    f->VB = xf__malloc_array(nvmax * H, sizeof *f->VB);
    f->VD = malloc(nvmax * sizeof *f->VD);
    f->VS = malloc(nvmax * sizeof *f->VS);
    f->late = malloc(nvmax);
    f->fold = malloc(nvmax);
    f->from = malloc(nvmax);
    f->first = malloc(nvmax);
    f->vser = xf__malloc_array(nvmax, sizeof *f->vser);
    f->vorg = xf__malloc_array(nvmax, sizeof *f->vorg);
    f->cap = nvmax;
    if (!X || !Y || !lev || !sca || !ok || !base || !f->XV || !f->YV || !f->VB || !f->VD ||
        !f->VS || !f->late || !f->fold || !f->from || !f->first || !f->vser || !f->vorg ||
        xf__ridge_stats_init(&one, p, H) != XF_OK || xf__csum_init(&f->st, p, H) != XF_OK ||
        xf__csum_init(&f->sv, p, H) != XF_OK) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory (%zu features x %zu origins)", p,
                      train->n + valid->n);
        goto done;
    }
    for (set = 0; set < 2; set++) {
        const origin_list *l = set ? valid : train;
        const float *c0 = cache != NULL ? cache + (set ? train->n : 0) * width : NULL;
        for (s0 = 0; s0 < l->n; s0 = s1) {
            size_t nv0 = f->nv;
            for (s1 = s0 + 1; s1 < l->n && l->series[s1] == l->series[s0]; s1++)
                ;
            stats_zero(&one);
            for (b = s0; b < s1; b += XF_HEAD_FEAT_BATCH) {
                size_t m = s1 - b < XF_HEAD_FEAT_BATCH ? s1 - b : XF_HEAD_FEAT_BATCH, j;
                if ((rc = xf__feat_build(&f->spec, fws, panel, l->series + b, l->origin + b, m, 0,
                                         c0 != NULL ? c0 + b * width : NULL, X, lev, sca, ok,
                                         err)) != XF_OK)
                    goto done;
                for (i = 0, j = 0; i < m; i++) {
                    const double *y = xf_panel_series_values(panel, l->series[b + i]);
                    size_t n = xf_panel_series_length(panel, l->series[b + i]);
                    if (!ok[i] || !xf__feat_targets(&f->spec, fws, y, n, l->origin[b + i], lev[i],
                                                    sca[i], XF_HEAD_MAX_TARGET, Y + j * H, base))
                        continue;
                    if (j != i)
                        memmove(X + j * p, X + i * p, p * sizeof *X);
                    if (f->W0 != NULL) /* the target: the correction of the prior */
                        xf__head_prior_apply(f->W0, f->b0, p, H, X + j * p, Y + j * H, base, 1);
                    if (set) {
                        double d = xf__feat_mase_scale(&f->spec, y, n, l->origin[b + i], season);
                        /* less than two seasons before it: naive's error is
                         * the scale (the same for every candidate, so their
                         * scores stay comparable) */
                        if (!(d > 0) && season > 1)
                            d = xf__feat_mase_scale(&f->spec, y, n, l->origin[b + i], 1);
                        memcpy(f->XV + f->nv * p, X + j * p, p * sizeof *X);
                        memcpy(f->YV + f->nv * H, Y + j * H, H * sizeof *Y);
                        memcpy(f->VB + f->nv * H, base, H * sizeof *base);
                        /* errors in MASE units: normalised error x scale / MASE scale */
                        f->VD[f->nv] = d > 0 ? sca[i] / d : 0.0;
                        f->n_undef += !(d > 0);
                        f->VS[f->nv] = sca[i];
                        f->late[f->nv] = l->late[b + i];
                        f->fold[f->nv] = l->fold[b + i];
                        f->from[f->nv] = l->from[b + i];
                        f->first[f->nv] = f->nv == nv0;
                        f->vser[f->nv] = l->series[b + i];
                        f->vorg[f->nv] = l->origin[b + i];
                        f->nv++;
                    }
                    j++;
                }
                xf__ridge_stats_add(&one, X, Y, j);
                xf__head_progress(o, what, (set ? train->n : 0) + b + m, train->n + valid->n);
            }
            if (one.n > 0)
                xf__csum_add(set ? &f->sv : &f->st, &one);
        }
    }
done:
    xf__ridge_stats_free(&one);
    free(X);
    free(Y);
    free(lev);
    free(sca);
    free(ok);
    free(base);
    return rc;
}

/* Accumulate candidate f (its domain head first, with o->prior).  A
 * seasonal-difference scale that leaves too few usable origins (near-
 * periodic data: the differences are tiny, the targets out of range) is
 * retried with the standard deviation when the scale was left to the fit
 * (asked) and the fit is whole (parts of a sharded fit must agree on the
 * configuration, which one part's data cannot decide). */
static int run_candidate(xf__cand_stats *f, const xf_head_options *o, const xf_head_options *asked,
                         int full, const xf_panel *panel, xf__feat_ws *fws,
                         const origin_list *train, const origin_list *valid, const float *cache,
                         xf__prior_cache *pc, const char *what, xf_error *err)
{
    int32_t season = o->season > 1 ? o->season : 1;
    int rc;
    for (;;) {
        xf__feat_spec spec;
        if (o->prior == XF_PRIOR_DOMAIN &&
            (rc = cand_prior(f, o, xf__head_panel_freq(panel), asked->prior == XF_AUTO, pc, err)) !=
                XF_OK)
            return rc;
        rc = accumulate_pass(f, panel, fws, train, valid, cache, season, o, what, err);
        if (!(rc == XF_EDATA || (rc == XF_OK && (f->st.hi.n + f->st.lo.n < XF_HEAD_MIN_TRAIN ||
                                                 f->nv < XF_HEAD_MIN_VALID))) ||
            !full || f->spec.scale_mode != 1 || f->spec.baseline <= 1 ||
            asked->seasonal_scale != XF_AUTO)
            return rc;
        /* once more with the standard deviation (scale_mode 0: no third try) */
        spec = f->spec;
        xf__cand_stats_free(f);
        f->spec = spec;
        f->spec.scale_mode = 0;
    }
}

/* One candidate fitted on its training statistics, its penalty chosen and
 * its score taken on the held-out ones. */
typedef struct fit_pass {
    xf__ridge_stats st, sv; /* training and held-out statistics (rounded) */
    xf__ridge_model model;  /* fitted on st, penalty chosen on sv (rolling: the model
                               of the last window; its penalty is the one chosen) */
    double *res;            /* [nv][H] held-out residuals (normalised) */
    double *row;            /* [3][nv] each held-out row's error summed over the steps,
                               as each score counts it (MASE units, normalised MAE,
                               squared error in the data's units) */
    double score;           /* held-out MASE estimate: |error| / local MASE scale */
    double score_mse;       /* held-out MSE in the data's units */
    double score_mae;       /* held-out MAE on the normalised scale */
    double se;              /* standard error of score (rolling selection; 0: none) */
    const double *err;      /* [nv] the rows of `row` the score counts */
    double vmse, nmse;      /* held-out MSE (normalised) of the head and of naive */
} fit_pass;

static void pass_free(fit_pass *f)
{
    xf__ridge_stats_free(&f->st);
    xf__ridge_stats_free(&f->sv);
    xf__ridge_model_free(&f->model);
    free(f->res);
    free(f->row);
    memset(f, 0, sizeof *f);
}

/* The residuals of model m on the held-out rows of window `fold` (-1:
 * every row), each computed alone. */
static void pass_residuals(fit_pass *f, const xf__cand_stats *c, const xf__ridge_model *m, int fold)
{
    size_t H = (size_t)c->spec.horizon, p = c->spec.p, i, k, j;
    for (i = 0; i < c->nv; i++) {
        if (fold >= 0 && c->fold[i] != (unsigned char)fold)
            continue;
        for (k = 0; k < H; k++) {
            const double *x = c->XV + i * p, *w = m->w + k * p;
            double acc = 0;
            for (j = 0; j < p; j++)
                acc += x[j] * w[j];
            f->res[i * H + k] = c->YV[i * H + k] - (acc + m->b[k]);
        }
    }
}

/* The scores from the residuals.  The held-out sums are compensated, so
 * that they do not depend on the order of the rows. */
static void pass_scores(fit_pass *f, const xf__cand_stats *c, int32_t select)
{
    size_t H = (size_t)c->spec.horizon, i, k, nv = c->nv;
    double sabs[2] = {0}, ssq[2] = {0}, snorm[2] = {0}, vmse[2] = {0}, nmse[2] = {0}, nvh;
    for (i = 0; i < nv; i++) {
        const double *x = c->XV + i * c->spec.p;
        double r[3] = {0, 0, 0};
        for (k = 0; k < H; k++) {
            double e = f->res[i * H + k], nai;
            nai = c->YV[i * H + k] + c->VB[i * H + k] -
                  (c->spec.n_lags > 0 ? x[c->spec.off[XF__FG_LAGS]] : 0.0);
            xf__csum1(&vmse[0], &vmse[1], e * e);
            xf__csum1(&nmse[0], &nmse[1], nai * nai);
            xf__csum1(&sabs[0], &sabs[1], fabs(e) * c->VD[i]);
            xf__csum1(&snorm[0], &snorm[1], fabs(e));
            xf__csum1(&ssq[0], &ssq[1], e * c->VS[i] * e * c->VS[i]);
            r[0] += fabs(e) * c->VD[i];
            r[1] += fabs(e);
            r[2] += e * c->VS[i] * e * c->VS[i];
        }
        f->row[i] = r[0];
        f->row[nv + i] = r[1];
        f->row[2 * nv + i] = r[2];
    }
    nvh = (double)(nv * H);
    f->vmse = (vmse[0] + vmse[1]) / nvh;
    f->nmse = (nmse[0] + nmse[1]) / nvh;
    f->score = (sabs[0] + sabs[1]) / nvh;
    f->score_mse = (ssq[0] + ssq[1]) / nvh;
    f->score_mae = (snorm[0] + snorm[1]) / nvh;
    if (select == XF_SELECT_MSE) {
        double t = f->score;
        f->score = f->score_mse;
        f->score_mse = t;
    }
}

/* acc += the statistics of the held-out rows whose window (by_from 0) or
 * first training window (by_from 1) is k, summed per series (one scratch)
 * and added compensated, as the accumulation does. */
static void add_rows(const xf__cand_stats *c, int by_from, size_t k, xf__csum_stats *acc,
                     xf__ridge_stats *one)
{
    size_t p = c->spec.p, H = (size_t)c->spec.horizon, s0, s1, i, i1;
    const unsigned char *v = by_from ? c->from : c->fold;
    for (s0 = 0; s0 < c->nv; s0 = s1) {
        for (s1 = s0 + 1; s1 < c->nv && !c->first[s1]; s1++)
            ;
        stats_zero(one);
        for (i = s0; i < s1; i = i1) {
            for (i1 = i + 1; i1 < s1 && (v[i1] == k) == (v[i] == k); i1++)
                ;
            if (v[i] == k)
                xf__ridge_stats_add(one, c->XV + i * p, c->YV + i * H, i1 - i);
        }
        if (one->n > 0)
            xf__csum_add(acc, one);
    }
}

/* Rolling selection: window k scored by the model of the training origins
 * and the held-out ones usable before it (from <= k); the penalty (per
 * step or one) minimises the squared errors summed over the windows, and
 * each window's residuals come from its own model with that penalty. */
static int score_rolling(fit_pass *f, const xf__cand_stats *c, int per_step, xf_error *err)
{
    size_t p = c->spec.p, H = (size_t)c->spec.horizon, k, l, j;
    size_t nl = sizeof lambda_grid / sizeof *lambda_grid;
    xf__ridge_path *path[XF_HEAD_SELECT_FOLDS] = {NULL};
    xf__csum_stats acc = {0}, vacc = {0};
    xf__ridge_stats one = {0}, t = {0}, v = {0};
    double *sse = NULL, *tmp = NULL, *lam = NULL;
    size_t *pick = NULL;
    int rc = XF_OK, last = -1;
    sse = calloc(nl * H, sizeof *sse);
    tmp = xf__malloc_array(nl * H, sizeof *tmp);
    lam = xf__malloc_array(H, sizeof *lam);
    pick = xf__malloc_array(H, sizeof *pick);
    if (!sse || !tmp || !lam || !pick || xf__ridge_stats_init(&one, p, H) != XF_OK ||
        xf__csum_init(&acc, p, H) != XF_OK || xf__csum_init(&vacc, p, H) != XF_OK) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory (%zu features)", p);
        goto done;
    }
    xf__csum_merge(&acc, &c->st);
    for (k = 0; k < XF_HEAD_SELECT_FOLDS; k++) {
        if (k > 0)
            add_rows(c, 1, k, &acc, &one);
        stats_zero(&vacc.hi);
        stats_zero(&vacc.lo);
        add_rows(c, 0, k, &vacc, &one);
        if (vacc.hi.n + vacc.lo.n == 0)
            continue; /* no held-out origin in this window */
        if (xf__csum_round(&vacc, &v) != XF_OK || xf__csum_round(&acc, &t) != XF_OK) {
            xf__ridge_stats_free(&v); /* the first may have succeeded */
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory (%zu features)", p);
            goto done;
        }
        rc = xf__ridge_path_new(&t, &path[k], err);
        xf__ridge_stats_free(&t);
        if (rc != XF_OK) {
            xf__ridge_stats_free(&v);
            goto done;
        }
        xf__ridge_path_valid_sse(path[k], &v, lambda_grid, nl, tmp);
        xf__ridge_stats_free(&v);
        for (j = 0; j < nl * H; j++)
            sse[j] += tmp[j];
        last = (int)k;
    }
    if (last < 0) {
        rc = xf__fail(err, XF_EDATA, 0, 0, "no held-out origin in any rolling window");
        goto done;
    }
    xf__ridge_choose(sse, nl, H, per_step, pick);
    for (l = 0; l < H; l++)
        lam[l] = lambda_grid[pick[l]];
    for (k = 0; k < XF_HEAD_SELECT_FOLDS; k++) {
        xf__ridge_model m = {0};
        if (path[k] == NULL)
            continue;
        if ((rc = xf__ridge_path_model(path[k], lam, &m, err)) != XF_OK)
            goto done;
        pass_residuals(f, c, &m, (int)k);
        if ((int)k == last) {
            for (l = 0; l < H; l++)
                m.score[l] = sse[pick[l] * H + l] / (double)c->nv;
            f->model = m;
        } else {
            xf__ridge_model_free(&m);
        }
    }
done:
    for (k = 0; k < XF_HEAD_SELECT_FOLDS; k++)
        xf__ridge_path_free(path[k]);
    xf__csum_free(&acc);
    xf__csum_free(&vacc);
    xf__ridge_stats_free(&one);
    free(sse);
    free(tmp);
    free(lam);
    free(pick);
    return rc;
}

/* Fit on the training statistics, choose the penalty and score on the
 * held-out rows (one split, or rolling windows of them). */
static int score_pass(fit_pass *f, const xf__cand_stats *c, int per_step, int32_t select,
                      int32_t selection, xf_error *err)
{
    size_t H = (size_t)c->spec.horizon, p = c->spec.p;
    int rc;
    if ((rc = xf__csum_round(&c->st, &f->st)) != XF_OK ||
        (rc = xf__csum_round(&c->sv, &f->sv)) != XF_OK ||
        (f->res = xf__malloc_array((c->nv ? c->nv : 1) * H, sizeof *f->res)) == NULL ||
        (f->row = xf__malloc_array((c->nv ? c->nv : 1) * 3, sizeof *f->row)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory (%zu features x %zu origins)", p,
                        c->nv);
    if (f->st.n < XF_HEAD_MIN_TRAIN || c->nv < XF_HEAD_MIN_VALID)
        return xf__fail(err, XF_EDATA, 0, 0,
                        "too little usable data: %.0f training and %zu "
                        "validation origins have a complete target and history",
                        f->st.n, c->nv);
    if (selection == XF_SELECTION_ROLLING) {
        if ((rc = score_rolling(f, c, per_step, err)) != XF_OK)
            return rc;
    } else {
        /* penalty on the held-out origins, then that model's residuals */
        if ((rc = xf__ridge_fit(&f->st, &f->sv, lambda_grid,
                                sizeof lambda_grid / sizeof *lambda_grid, per_step, &f->model,
                                err)) != XF_OK)
            return rc;
        pass_residuals(f, c, &f->model, -1);
    }
    pass_scores(f, c, select);
    return XF_OK;
}

/* Blocks of held-out rows for standard errors: consecutive origins of one
 * series in one window, at most `len` of them (the origins of H steps:
 * overlapping targets make neighbours' errors close, blocks of that span
 * are nearly independent), and the cursor that walks them. */
typedef struct block_cursor {
    const xf__cand_stats *c;
    const double *row;          /* [nv] row errors */
    size_t len;                 /* rows per block at most */
    size_t i, i1;               /* the block's rows [i, i1) */
    size_t series, fold, chunk; /* its key: series ordinal, window, block within */
    double sum;                 /* its error sum */
} block_cursor;

static void block_start(block_cursor *b, const xf__cand_stats *c, const double *row, int32_t stride)
{
    size_t H = (size_t)c->spec.horizon, st = stride > 0 ? (size_t)stride : 1;
    memset(b, 0, sizeof *b);
    b->c = c;
    b->row = row;
    b->len = (H + st - 1) / st;
}

/* Move to the next block (0: none left). */
static int block_next(block_cursor *b)
{
    const xf__cand_stats *c = b->c;
    size_t i;
    if (b->i1 >= c->nv)
        return 0;
    b->i = b->i1;
    if (b->i > 0 && c->first[b->i]) {
        b->series++;
        b->chunk = 0;
    } else if (b->i > 0 && c->fold[b->i] != b->fold) {
        b->chunk = 0;
    } else if (b->i > 0) {
        b->chunk++;
    }
    b->fold = c->fold[b->i];
    b->sum = b->row[b->i];
    for (i = b->i + 1; i < c->nv && i - b->i < b->len && !c->first[i] && c->fold[i] == b->fold; i++)
        b->sum += b->row[i];
    b->i1 = i;
    return 1;
}

/* Order of two blocks' keys (<0, 0, >0). */
static int block_cmp(const block_cursor *a, const block_cursor *b)
{
    if (a->series != b->series)
        return a->series < b->series ? -1 : 1;
    if (a->fold != b->fold)
        return a->fold < b->fold ? -1 : 1;
    if (a->chunk != b->chunk)
        return a->chunk < b->chunk ? -1 : 1;
    return 0;
}

/* The standard error of a score that is the mean of the row errors
 * row[nv] (each summed over H steps), taken between blocks:
 * sqrt(B/(B-1) sum_b (S_b - m n_b)^2) / N, the spread of the block sums S_b
 * about the mean m.  0 with fewer than 2 blocks. */
static double score_se(const xf__cand_stats *c, const double *row, double m, int32_t stride)
{
    size_t H = (size_t)c->spec.horizon, n_blocks = 0;
    double q[2] = {0, 0};
    block_cursor b;
    block_start(&b, c, row, stride);
    while (block_next(&b)) {
        double d = b.sum - m * (double)((b.i1 - b.i) * H);
        xf__csum1(&q[0], &q[1], d * d);
        n_blocks++;
    }
    if (n_blocks < 2 || !isfinite(m))
        return 0.0;
    return sqrt((double)n_blocks / (double)(n_blocks - 1) * (q[0] + q[1])) / (double)(c->nv * H);
}

/* The standard error of the difference between the scores of candidates a
 * and b on the same held-out origins (their errors are strongly
 * correlated, so the difference is far less noisy than either score):
 * their blocks are paired, d_j = the difference of the blocks' mean
 * errors, weighed by their rows w_j:
 * sqrt(B/(B-1) sum_j w_j^2 (d_j - D)^2) / sum_j w_j, D the weighted mean.
 * -1 when the blocks cannot be paired (a series missing from one), 0 with
 * fewer than 2 pairs. */
static double diff_se(const xf__cand_stats *ca, const double *ra, const xf__cand_stats *cb,
                      const double *rb, int32_t stride)
{
    block_cursor a, b;
    size_t i, na = 0, nb = 0, pass, n_pairs = 0;
    double sw[2] = {0, 0}, swd[2] = {0, 0}, q[2] = {0, 0}, D = 0;
    for (i = 0; i < ca->nv; i++)
        na += ca->first[i];
    for (i = 0; i < cb->nv; i++)
        nb += cb->first[i];
    if (na != nb) /* both list the series in one order: equal counts, same series */
        return -1.0;
    for (pass = 0; pass < 2; pass++) {
        int more_a, more_b;
        block_start(&a, ca, ra, stride);
        block_start(&b, cb, rb, stride);
        more_a = block_next(&a);
        more_b = block_next(&b);
        while (more_a && more_b) {
            int cmp = block_cmp(&a, &b);
            if (cmp == 0) {
                double wa = (double)(a.i1 - a.i), wb = (double)(b.i1 - b.i), w = 0.5 * (wa + wb);
                double d = a.sum / wa - b.sum / wb;
                if (pass == 0) {
                    xf__csum1(&sw[0], &sw[1], w);
                    xf__csum1(&swd[0], &swd[1], w * d);
                    n_pairs++;
                } else {
                    xf__csum1(&q[0], &q[1], w * w * (d - D) * (d - D));
                }
            }
            if (cmp <= 0)
                more_a = block_next(&a);
            if (cmp >= 0)
                more_b = block_next(&b);
        }
        if (pass == 0) {
            if (n_pairs < 2 || !(sw[0] + sw[1] > 0))
                return 0.0;
            D = (swd[0] + swd[1]) / (sw[0] + sw[1]);
        }
    }
    return sqrt((double)n_pairs / (double)(n_pairs - 1) * (q[0] + q[1])) / (sw[0] + sw[1]) /
           (double)ca->spec.horizon;
}

/* A candidate's name in the fit report's keys ("embeddings+seasonal_baseline"). */
static void candidate_name(const xf__feat_spec *s, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s", s->n_enc > 0 ? "embeddings" : "no_embeddings",
             s->baseline > 1                    ? "+seasonal_baseline"
             : s->baseline == XF_BASELINE_LOCAL ? "+local_baseline"
                                                : "",
             s->local_features ? "+local_model" : "");
}

/* Score candidates 0..n-1 (failed[c] set for those that drop out, with the
 * first failure in err); the score they are compared on: MASE, or the
 * normalised MAE when MASE is undefined for a held-out origin (a season
 * longer than the history before it), or the squared error; with rolling
 * selection, each score's standard error. */
static int score_all(const xf_head_stats *hs, size_t n, fit_pass *pass, unsigned char *failed,
                     size_t *n_failed, const char **score_name, xf_error *err)
{
    size_t c, which;
    int rc;
    *n_failed = 0;
    for (c = 0; c < n; c++) {
        xf_error perr;
        if (hs->cand[c].failed) {
            failed[c] = 1;
            if ((*n_failed)++ == 0)
                xf__fail(err, XF_EDATA, 0, 0, "%s", hs->cand[c].why);
            continue;
        }
        rc = score_pass(&pass[c], &hs->cand[c], hs->per_step, hs->select, hs->selection, &perr);
        if (rc == XF_EDATA) {
            failed[c] = 1;
            if ((*n_failed)++ == 0 && err != NULL)
                *err = perr;
            continue;
        }
        if (rc != XF_OK) {
            if (err != NULL)
                *err = perr;
            return rc;
        }
    }
    *score_name = hs->select == XF_SELECT_MSE ? "mse_units" : "mase";
    for (c = 0; c < n && hs->select != XF_SELECT_MSE; c++)
        if (!failed[c] && hs->cand[c].n_undef > 0)
            *score_name = "mae_norm";
    if (strcmp(*score_name, "mae_norm") == 0)
        for (c = 0; c < n; c++)
            pass[c].score = pass[c].score_mae;
    which = hs->select == XF_SELECT_MSE ? 2 : strcmp(*score_name, "mae_norm") == 0 ? 1 : 0;
    for (c = 0; c < n; c++)
        if (!failed[c]) {
            pass[c].err = pass[c].row + which * hs->cand[c].nv;
            if (hs->selection == XF_SELECTION_ROLLING)
                pass[c].se = score_se(&hs->cand[c], pass[c].err, pass[c].score, hs->stride);
        }
    return XF_OK;
}

/* The same configuration apart from the local model's features. */
static int same_but_local(const xf__feat_spec *a, const xf__feat_spec *b)
{
    return a->n_enc == b->n_enc && a->baseline == b->baseline && a->scale_mode == b->scale_mode;
}

/* Candidate c is another one's local variant (added by local_model auto). */
static int is_local_variant(const xf_head_stats *hs, size_t n, size_t c)
{
    size_t d;
    if (!hs->cand[c].spec.local_features)
        return 0;
    for (d = 0; d < n; d++)
        if (!hs->cand[d].spec.local_features &&
            same_but_local(&hs->cand[d].spec, &hs->cand[c].spec))
            return 1;
    return 0;
}

/* What a candidate adds to the lags, calendar and baseline: the
 * embeddings, the local model, or dropping the baseline.  Fewer is
 * simpler. */
static int complexity(const xf__feat_spec *s)
{
    /* no baseline counts as a complication: the baseline is what the
     * ridge shrinks towards, which few held-out origins must not overturn
     * by chance (short seasonal series: without it, 2x its error) */
    return (s->n_enc > 0) + (s->local_features != 0) + (s->baseline == 0);
}

/* The standard error of score(a) - score(b): paired on their common
 * held-out origins, or (when they cannot be paired) that of b's score. */
static double pair_se(const xf_head_stats *hs, const fit_pass *pass, size_t a, size_t b)
{
    double se;
    if (a == b)
        return 0.0;
    se = diff_se(&hs->cand[a], pass[a].err, &hs->cand[b], pass[b].err, hs->stride);
    return se >= 0 ? se : pass[b].se;
}

/* The winner among the scored candidates (SIZE_MAX: none).  First among
 * those without the local model's features: the lowest score or, with
 * rolling selection, the simplest candidate whose score is within
 * XF_HEAD_SELECT_SE standard errors (of the difference) of the lowest (of
 * the same simplicity, the lower score); then that one with the local
 * model's features when it scores lower (rolling: by more than
 * XF_HEAD_SELECT_SE standard errors of the difference).  The single fit
 * adds only the first winner's local variant; parts of a sharded fit add
 * every one's, and the choice is the same.  why (may be NULL): the rule's
 * outcome for the fit report. */
static size_t pick_best(const xf_head_stats *hs, size_t n, const fit_pass *pass,
                        const unsigned char *failed, char *why, size_t why_len)
{
    size_t c, best = SIZE_MAX, low, len = 0;
    int rolling = hs->selection == XF_SELECTION_ROLLING;
    double best_se = 0;
    char n1[64], n2[64];
    if (why != NULL && why_len > 0)
        why[0] = '\0';
    for (c = 0; c < n; c++)
        if (!failed[c] && !is_local_variant(hs, n, c) &&
            (best == SIZE_MAX || pass[c].score < pass[best].score))
            best = c;
    if (best == SIZE_MAX)
        return best;
    low = best;
    if (rolling) {
        for (c = 0; c < n; c++) {
            int cc, cb;
            double se;
            if (failed[c] || is_local_variant(hs, n, c) || c == low)
                continue;
            cc = complexity(&hs->cand[c].spec);
            cb = complexity(&hs->cand[best].spec);
            if (cc > cb || (cc == cb && !(pass[c].score < pass[best].score)))
                continue;
            se = pair_se(hs, pass, c, low);
            if (pass[c].score <= pass[low].score + XF_HEAD_SELECT_SE * se) {
                best = c;
                best_se = se;
            }
        }
        if (best != low && why != NULL) {
            candidate_name(&hs->cand[best].spec, n1, sizeof n1);
            candidate_name(&hs->cand[low].spec, n2, sizeof n2);
            len += (size_t)snprintf(why + len, why_len - len,
                                    "%s %.4g within 1 SE (%.2g) of %s %.4g: simpler", n1,
                                    pass[best].score, best_se, n2, pass[low].score);
        }
    }
    if (!hs->cand[best].spec.local_features)
        for (c = 0; c < n; c++)
            if (!failed[c] && is_local_variant(hs, n, c) &&
                same_but_local(&hs->cand[c].spec, &hs->cand[best].spec)) {
                double se = rolling ? pair_se(hs, pass, best, c) : 0.0;
                int take = pass[c].score + XF_HEAD_SELECT_SE * se < pass[best].score;
                if (why != NULL && rolling && len < why_len) {
                    candidate_name(&hs->cand[take ? c : best].spec, n1, sizeof n1);
                    candidate_name(&hs->cand[take ? best : c].spec, n2, sizeof n2);
                    if (take)
                        len += (size_t)snprintf(why + len, why_len - len,
                                                "%s%s %.4g below %s %.4g by more than 1 SE "
                                                "(%.2g)",
                                                len ? "; " : "", n1, pass[c].score, n2,
                                                pass[best].score, se);
                    else if (pass[c].score < pass[best].score)
                        len += (size_t)snprintf(why + len, why_len - len,
                                                "%s%s %.4g within 1 SE (%.2g) of %s %.4g: simpler",
                                                len ? "; " : "", n1, pass[best].score, se, n2,
                                                pass[c].score);
                }
                if (take)
                    best = c;
                break;
            }
    if (why != NULL && why[0] == '\0')
        snprintf(why, why_len, "the lowest");
    return best;
}

int xf__in_shard(const char *id, int32_t shard, int32_t n_shards)
{
    uint64_t hv;
    if (n_shards <= 1)
        return 1;
    hv = xf__fnv1a(XF__FNV_OFFSET, id, strlen(id));
    return (int32_t)(hv % (uint64_t)n_shards) == shard;
}

/* The resolved settings a part records (opt.*, cand.*): the merge compares
 * them. */
static void record_settings(xf_head_stats *hs, const xf_head_options *o)
{
    xf_xfm *m = hs->info;
    const xf__feat_spec *s = &hs->h->spec;
    int64_t harm[XF_CAL_N];
    char buf[1024];
    size_t i, len = 0, c;
    xf_xfm_set_i64(m, "opt.horizon", s->horizon);
    xf_xfm_set_i64(m, "opt.lags", s->n_lags);
    xf_xfm_set_str(m, "opt.domain", xf_domain_name(hs->h->domain));
    xf_xfm_set_i64(m, "opt.season", hs->h->season);
    xf_xfm_set_i64(m, "opt.baseline", s->baseline);
    xf_xfm_set_i64(m, "opt.seasonal_scale", s->scale_mode);
    xf_xfm_set_i64(m, "opt.log", s->log_transform);
    xf_xfm_set_i64(m, "opt.history", s->history);
    for (i = 0; i < XF_CAL_N; i++)
        harm[i] = s->n_harm[i];
    xf_xfm_set_i64_array(m, "opt.calendar", harm, XF_CAL_N);
    xf_xfm_set_i64(m, "opt.holiday_days", s->holiday_days);
    xf_xfm_set_i64(m, "opt.local_model", o->local_model);
    buf[0] = '\0';
    for (i = 0; i < hs->h->n_enc && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s:%016llx", i ? "," : "",
                                hs->h->enc_name[i], (unsigned long long)hs->h->enc_fp[i]);
    xf_xfm_set_str(m, "opt.encoders", buf);
    buf[0] = '\0';
    for (i = 0, len = 0; i < s->n_cov && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? "," : "",
                                hs->h->cov_names[i]);
    xf_xfm_set_str(m, "opt.covariates", buf);
    xf_xfm_set_f64_array(m, "opt.levels", hs->h->levels, hs->h->n_levels);
    xf_xfm_set_i64(m, "opt.stride", hs->stride);
    xf_xfm_set_f64(m, "opt.valid_fraction", o->valid_fraction);
    xf_xfm_set_i64(m, "opt.valid_start", o->valid_start);
    xf_xfm_set_i64(m, "opt.valid_start_row", o->valid_start_row);
    xf_xfm_set_i64(m, "opt.train_end", o->train_end);
    xf_xfm_set_i64(m, "opt.train_end_row", o->train_end_row);
    xf_xfm_set_i64(m, "opt.select", hs->select);
    xf_xfm_set_i64(m, "opt.penalty_per_step", hs->per_step);
    xf_xfm_set_i64(m, "opt.selection", hs->selection);
    xf_xfm_set_i64(m, "opt.folds", XF_HEAD_SELECT_FOLDS);
    xf_xfm_set_i64(m, "opt.candidates", (int64_t)hs->n_cand);
    for (c = 0; c < hs->n_cand; c++) {
        const xf__feat_spec *cs = &hs->cand[c].spec;
        char key[32];
        int64_t v[5] = {cs->baseline, cs->scale_mode, (int64_t)cs->n_enc, (int64_t)cs->p,
                        cs->local_features};
        snprintf(key, sizeof key, "cand.%zu", c);
        xf_xfm_set_i64_array(m, key, v, 5);
    }
}

/* The embeddings of the origins of train, then valid, into a new
 * [train->n + valid->n][width] array, in batches within a series (as the
 * statistics).  have (may be NULL): those of every k-th origin of each list
 * already (the pilot's, train's then valid's), copied instead. */
static int embed_origins(const xf__feat_spec *spec, xf__feat_ws *fws, const xf_panel *panel,
                         const origin_list *train, const origin_list *valid, const float *have,
                         size_t k, const xf_head_options *o, const char *what, float **out,
                         xf_error *err)
{
    size_t width = xf__feat_emb_width(spec), c, i, m, s0, s1, h0 = 0;
    size_t ser[XF_HEAD_FEAT_BATCH], org[XF_HEAD_FEAT_BATCH], idx[XF_HEAD_FEAT_BATCH];
    float *cache, *tmp = NULL;
    int rc = XF_OK;
    *out = NULL;
    cache = xf__malloc_array((train->n + valid->n) * width, sizeof *cache);
    tmp = xf__malloc_array((size_t)XF_HEAD_FEAT_BATCH * width, sizeof *tmp);
    if (cache == NULL || tmp == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory (embeddings of %zu origins)",
                      train->n + valid->n);
        goto done;
    }
    for (c = 0; c < 2; c++) {
        const origin_list *l = c ? valid : train;
        float *dst = cache + (c ? train->n : 0) * width;
        for (s0 = 0; s0 < l->n; s0 = s1) {
            for (s1 = s0 + 1; s1 < l->n && l->series[s1] == l->series[s0]; s1++)
                ;
            for (i = s0, m = 0; i < s1 || m > 0;) {
                if (i < s1 && have != NULL && i % k == 0) { /* the pilot's */
                    memcpy(dst + i * width, have + (h0 + i / k) * width, width * sizeof *dst);
                    i++;
                    continue;
                }
                if (i < s1 && m < XF_HEAD_FEAT_BATCH) {
                    ser[m] = l->series[i];
                    org[m] = l->origin[i];
                    idx[m++] = i++;
                    continue;
                }
                /* a full batch, or the series' last */
                if ((rc = xf__feat_embed(spec, fws, panel, ser, org, m, tmp, err)) != XF_OK)
                    goto done;
                while (m-- > 0)
                    memcpy(dst + idx[m] * width, tmp + m * width, width * sizeof *dst);
                m = 0;
                xf__head_progress(o, what, (c ? train->n : 0) + i, train->n + valid->n);
            }
        }
        if (have != NULL)
            h0 = (train->n + k - 1) / k; /* valid's rows follow train's in have */
    }
    *out = cache;
    cache = NULL;
done:
    free(cache);
    free(tmp);
    return rc;
}

/* Every k-th origin of l into out, with its window, first window and half. */
static int ol_thin(const origin_list *l, size_t k, origin_list *out)
{
    size_t i;
    for (i = 0; i < l->n; i += k) {
        if (ol_push(out, l->series[i], l->origin[i], l->late[i]) != 0)
            return -1;
        out->fold[out->n - 1] = l->fold[i];
        out->from[out->n - 1] = l->from[i];
    }
    return 0;
}

/* The pilot (XF_HEAD_PILOT_*): candidates [0, n) of hs accumulated and
 * scored on every k-th origin.  *keep = 0 when every one scores and the
 * best with embeddings scores above the best one without by more than
 * XF_HEAD_PILOT_SE standard errors of their paired difference; else 1 (the fit goes
 * on as without a pilot).  What it found goes to the head's meta
 * (valid.pilot*) for the fit report.  *have, *pk (when kept): the
 * embeddings of every k-th origin of train and of valid (embed_origins
 * copies them), NULL when there are none. */
static int pilot_embeddings(const xf_head_stats *hs, size_t n, const xf_head_options *o,
                            const xf_head_options *asked, const xf_panel *panel, xf__feat_ws *fws,
                            const origin_list *train, const origin_list *valid, int *keep,
                            float **have, size_t *pk, xf_error *err)
{
    size_t all = train->n + valid->n, k = all / XF_HEAD_PILOT_ORIGINS, c, nf = 0;
    size_t with = SIZE_MAX, without = SIZE_MAX;
    double se;
    origin_list pt = {0}, pv = {0};
    float *cache = NULL;
    xf_head_stats *tmp = NULL;
    fit_pass pre[XF_HEAD_MAX_CANDIDATES];
    unsigned char pfail[XF_HEAD_MAX_CANDIDATES] = {0};
    xf__prior_cache pc = {0};
    const char *score_name = "mase";
    xf_xfm *meta = hs->h->meta;
    xf_error perr;
    int rc;
    *keep = 1;
    *have = NULL;
    *pk = 0;
    memset(pre, 0, sizeof pre);
    if (k > XF_HEAD_PILOT_MAX_STEP)
        k = XF_HEAD_PILOT_MAX_STEP;
    if (k < 2)
        return XF_OK;
    if ((tmp = calloc(1, sizeof *tmp)) == NULL || ol_thin(train, k, &pt) != 0 ||
        ol_thin(valid, k, &pv) != 0) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    tmp->h = hs->h;
    tmp->select = hs->select;
    tmp->per_step = hs->per_step;
    tmp->selection = XF_SELECTION_SINGLE; /* one split: scores, no standard errors */
    tmp->stride = hs->stride * (int32_t)k;
    tmp->n_shards = 1;
    tmp->n_cand = n;
    if ((rc = embed_origins(&hs->h->spec, fws, panel, &pt, &pv, NULL, 0, o, "pilot: embeddings",
                            &cache, err)) != XF_OK)
        goto done;
    for (c = 0; c < n; c++) {
        char what[64];
        snprintf(what, sizeof what, "pilot: candidate %zu/%zu", c + 1, n);
        tmp->cand[c].spec = hs->cand[c].spec;
        rc = run_candidate(&tmp->cand[c], o, asked, 1, panel, fws, &pt, &pv, cache, &pc, what,
                           &perr);
        if (rc == XF_EDATA) {
            tmp->cand[c].failed = 1;
            snprintf(tmp->cand[c].why, sizeof tmp->cand[c].why, "%s", perr.message);
        } else if (rc != XF_OK) {
            if (err != NULL)
                *err = perr;
            goto done;
        }
    }
    rc = score_all(tmp, n, pre, pfail, &nf, &score_name, &perr);
    if (rc == XF_ENOMEM) {
        if (err != NULL)
            *err = perr;
        goto done;
    }
    if (rc != XF_OK)
        nf = n; /* the pilot cannot tell: every candidate goes on */
    rc = XF_OK;
    for (c = 0; c < n && nf == 0; c++) {
        size_t *b = tmp->cand[c].spec.n_enc > 0 ? &with : &without;
        if (*b == SIZE_MAX || pre[c].score < pre[*b].score)
            *b = c;
    }
    if (nf > 0 || with == SIZE_MAX || without == SIZE_MAX)
        goto done; /* nothing recorded: as without a pilot */
    /* fewer rows per feature favour the candidates without embeddings: they
     * are dropped only when clearly worse (more than XF_HEAD_PILOT_SE
     * standard errors of the paired difference) */
    se = diff_se(&tmp->cand[with], pre[with].err, &tmp->cand[without], pre[without].err,
                 tmp->stride);
    *keep = !(se >= 0 && pre[with].score > pre[without].score + XF_HEAD_PILOT_SE * se);
    xf_xfm_set_str(meta, "valid.pilot", *keep ? "embeddings kept" : "embeddings dropped");
    xf_xfm_set_i64(meta, "valid.pilot_step", (int64_t)k);
    xf_xfm_set_i64(meta, "valid.pilot_origins", (int64_t)(pt.n + pv.n));
    xf_xfm_set_i64(meta, "valid.pilot_of", (int64_t)all);
    xf_xfm_set_str(meta, "valid.pilot_score", score_name);
    xf_xfm_set_f64(meta, "valid.pilot_with", pre[with].score);
    xf_xfm_set_f64(meta, "valid.pilot_without", pre[without].score);
    xf_xfm_set_f64(meta, "valid.pilot_se", se);
    if (*keep) { /* the full fit reuses them */
        *have = cache;
        *pk = k;
        cache = NULL;
    }
done:
    for (c = 0; c < XF_HEAD_MAX_CANDIDATES; c++)
        pass_free(&pre[c]);
    if (tmp != NULL)
        for (c = 0; c < n; c++)
            xf__cand_stats_free(&tmp->cand[c]);
    free(tmp);
    ol_free(&pt);
    ol_free(&pv);
    free(cache);
    xf__prior_cache_free(&pc);
    return rc;
}

int xf__head_stats_accumulate(const xf_panel *panel, xf_encoder *const *encs, size_t n_enc,
                              const xf_head_options *opts, int32_t shard, int32_t n_shards,
                              xf_head_stats *hs, xf_head_options *resolved, xf_error *err)
{
    xf_head_options in, o;
    xf_head *h = NULL;
    origin_list train = {0}, valid = {0};
    xf__feat_ws *fws = NULL;
    float *cache = NULL, *have = NULL; /* have: the pilot's embeddings (every have_k-th origin) */
    size_t have_k = 0;
    xf__prior_cache pc = {0}; /* the domain heads' panel and rows, shared by the candidates */
    unsigned char *take = NULL;
    size_t H, i, t_min, maxlen = 0, width, n_pass = 1, c, ns = xf_panel_n_series(panel), nin;
    size_t n_all[2] = {0, 0}; /* origins of every series of the panel */
    int32_t default_lags;
    size_t total = 0;
    int full = n_shards <= 1;
    double t_start = xf__now();
    int rc;
    xf_head_options_init(&in);
    XF__IMPORT_OPTIONS(in, opts, XF__HEAD_OPTIONS_V1, xf_head_options, err);
    o = *opts;
    if (ns == 0)
        return xf__fail(err, XF_EDATA, 0, 0, "no series to fit");
    if (!full) {
        if ((take = malloc(ns)) == NULL)
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        for (i = 0, nin = 0; i < ns; i++)
            nin += take[i] =
                (unsigned char)xf__in_shard(xf_panel_series_id(panel, i), shard, n_shards);
        if (nin == 0) {
            free(take);
            return xf__fail(err, XF_EDATA, 0, 0,
                            "shard %d/%d holds none of the %zu series (fewer shards, or more "
                            "series)",
                            (int)shard, (int)n_shards, ns);
        }
    }
    if ((rc = xf_head_options_resolve(&o, panel, err)) != XF_OK)
        goto done;
    if (!full && o.prior == XF_PRIOR_DOMAIN) {
        rc = xf__fail(err, XF_EINVAL, 0, 0,
                      "a sharded fit has no domain prior (each part would fit its own): fit "
                      "with prior none, or in one process");
        goto done;
    }
    default_lags = o.n_lags;
    /* the longest training part (a backtest fits on the values before its
     * test period only), and the values of them all */
    for (i = 0; i < ns; i++) {
        size_t n = xf__head_cut_index(panel, i, o.train_end, o.train_end_row);
        if (n > maxlen) /* every series, the shard's or not: parts agree */
            maxlen = n;
        total += n;
    }
    /* the domain prior by default for little data, where the data's own
     * fit has few origins: fewer than XF_HEAD_PRIOR_AUTO_LEN values in all
     * (not in parts of a sharded fit, which would each fit their own, nor
     * with covariates, which generated series lack) */
    if (o.prior == XF_AUTO)
        o.prior = full && total < XF_HEAD_PRIOR_AUTO_LEN &&
                          !(o.covariates && xf_panel_n_covariates(panel) > 0) &&
                          xf__head_panel_freq(panel).kind != XF_FREQ_UNKNOWN
                      ? XF_PRIOR_DOMAIN
                      : XF_PRIOR_NONE;
    /* keep enough origins for short series: lags at most length - H - margin */
    if (opts->n_lags == XF_AUTO &&
        (size_t)o.n_lags + (size_t)o.horizon + XF_HEAD_LAG_MARGIN > maxlen) {
        o.n_lags = (int32_t)(maxlen > (size_t)o.horizon + XF_HEAD_LAG_MARGIN + XF_HEAD_MIN_AUTO_LAGS
                                 ? maxlen - (size_t)o.horizon - XF_HEAD_LAG_MARGIN
                                 : XF_HEAD_MIN_AUTO_LAGS);
        short_baseline(&o, opts, maxlen);
    }
    if ((h = hs->h = xf__head_alloc()) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    if ((rc = xf__head_fill_spec(h, &o, encs, n_enc, xf_panel_n_covariates(panel), err)) != XF_OK ||
        (rc = copy_covariates(h, panel, err)) != XF_OK)
        goto done;
    set_calendar(&h->spec, panel, &o, opts->calendar == XF_AUTO ? maxlen : SIZE_MAX);
    xf__feat_spec_layout(&h->spec);
    H = (size_t)o.horizon;
    width = xf__feat_emb_width(&h->spec);
    if (h->spec.p > XF__LIM_FEATURES_MAX) {
        rc = xf__fail(err, XF_EINVAL, 0, 0,
                      "%zu features (lags, covariates x horizon, embeddings, calendar terms) "
                      "exceed the limit %d",
                      h->spec.p, XF__LIM_FEATURES_MAX);
        goto done;
    }
    if (h->spec.p == 0) {
        rc = xf__fail(err, XF_EINVAL, 0, 0,
                      "the head would have no features: keep lags, "
                      "embeddings, calendar terms or covariates");
        goto done;
    }
    /* a head its loader would refuse (over the memory budget of a model
     * file) is refused before it is fitted */
    if ((rc = xf__model_check_head_cost("this fit", o.horizon, (int64_t)h->spec.p, o.n_levels, 1,
                                        err)) != XF_OK)
        goto done;
    /* origins need one value of history and a full lag window where possible */
    t_min = xf__head_first_origin(&h->spec);
    if ((rc = make_origins(panel, take, &o, t_min, &train, &valid, n_all, err)) != XF_OK)
        goto done;
    /* a short series: automatic lags shrink until the longest series has
     * the origins a fit needs (and the encoders mask the missing context);
     * below that, the minimum length is stated */
    if ((n_all[0] < XF_HEAD_MIN_TRAIN || n_all[1] < XF_HEAD_MIN_VALID) && opts->n_lags == XF_AUTO) {
        size_t need = xf__head_min_origins(H, o.valid_fraction);
        size_t first = maxlen + 1 > H + need ? maxlen + 1 - H - need : 0;
        if (first >= XF_HEAD_MIN_FIRST_ORIGIN && first < (size_t)o.n_lags) {
            o.n_lags = (int32_t)(first > XF_HEAD_MIN_AUTO_LAGS ? first : XF_HEAD_MIN_AUTO_LAGS);
            short_baseline(&o, opts, maxlen);
            o.stride = opts->stride;
            ol_free(&train);
            ol_free(&valid);
            if ((rc = xf__head_fill_spec(h, &o, encs, n_enc, xf_panel_n_covariates(panel), err)) !=
                XF_OK)
                goto done;
            set_calendar(&h->spec, panel, &o, opts->calendar == XF_AUTO ? maxlen : SIZE_MAX);
            xf__feat_spec_layout(&h->spec);
            t_min = xf__head_first_origin(&h->spec);
            if ((rc = make_origins(panel, take, &o, t_min, &train, &valid, n_all, err)) != XF_OK)
                goto done;
        }
    }
    if (full && (train.n < XF_HEAD_MIN_TRAIN || valid.n < XF_HEAD_MIN_VALID)) {
        size_t need = xf__head_min_origins(H, o.valid_fraction);
        if (opts->n_lags == XF_AUTO)
            rc = xf__fail(err, XF_EDATA, 0, 0,
                          "too little data: %zu training and %zu validation origins (need %d "
                          "and %d); the longest series has %zu values and a head with horizon "
                          "%zu needs at least %zu observed values (use a shorter --horizon)",
                          train.n, valid.n, XF_HEAD_MIN_TRAIN, XF_HEAD_MIN_VALID, maxlen, H,
                          (size_t)XF_HEAD_MIN_FIRST_ORIGIN + H - 1 + need);
        else
            rc = xf__fail(err, XF_EDATA, 0, 0,
                          "too little data: %zu training and %zu validation "
                          "origins (need %d and %d); with %d lags and horizon %zu a series needs "
                          "at least %zu observed values (use fewer --lags or a shorter "
                          "--horizon)",
                          train.n, valid.n, XF_HEAD_MIN_TRAIN, XF_HEAD_MIN_VALID, (int)o.n_lags, H,
                          t_min + H - 1 + need);
        goto done;
    }
    if (!full && train.n + valid.n == 0) {
        rc = xf__fail(err, XF_EDATA, 0, 0,
                      "shard %d/%d: none of its series has an origin with a complete target "
                      "(%d lags, horizon %zu)",
                      (int)shard, (int)n_shards, (int)o.n_lags, H);
        goto done;
    }
    if (opts->n_lags == XF_AUTO && o.n_lags < default_lags) {
        char note[256];
        snprintf(note, sizeof note,
                 "short series: %zu values, fitted with %d lags instead of %d (the encoders "
                 "mask the missing context); %zu values or more fit the default lags",
                 maxlen, (int)o.n_lags, (int)default_lags,
                 (size_t)default_lags + H + XF_HEAD_LAG_MARGIN);
        xf_xfm_set_str(h->meta, "fit.note", note);
    }
    if ((rc = xf__feat_ws_new(&h->spec, XF_HEAD_FEAT_BATCH, o.n_threads, &fws, err)) != XF_OK)
        goto done;
    /* candidates (XF_HEAD_MAX_CANDIDATES at most): the configuration asked
     * for; with the defaults, also no baseline with the standard-deviation
     * scale (when the baseline resolved to seasonal naive) and no
     * embeddings - the held-out MASE estimate decides */
    hs->cand[0].spec = h->spec;
    n_pass = 1;
    if (opts->baseline == XF_AUTO && opts->seasonal_scale == XF_AUTO && h->spec.baseline > 1) {
        hs->cand[n_pass].spec = h->spec;
        hs->cand[n_pass].spec.baseline = 0;
        hs->cand[n_pass].spec.scale_mode = 0;
        n_pass++;
    }
    if (opts->embedding == XF_AUTO && h->spec.n_enc > 0) {
        size_t k0 = n_pass;
        for (c = 0; c < k0; c++) {
            hs->cand[n_pass].spec = hs->cand[c].spec;
            hs->cand[n_pass].spec.n_enc = 0;
            xf__feat_spec_layout(&hs->cand[n_pass].spec);
            n_pass++;
        }
    }
    hs->n_cand = n_pass;
    hs->select = o.select;
    hs->per_step = o.penalty_per_step;
    hs->selection = o.selection;
    hs->stride = o.stride;
    /* many origins: a pilot on a subsample decides whether the candidates
     * with embeddings deserve them all */
    if (full && opts->embedding == XF_AUTO && o.pilot != XF_PILOT_NONE && h->spec.n_enc > 0 &&
        o.prior != XF_PRIOR_DOMAIN && train.n + valid.n >= XF_HEAD_PILOT_MIN_ORIGINS) {
        int keep = 1;
        if ((rc = pilot_embeddings(hs, n_pass, &o, opts, panel, fws, &train, &valid, &keep, &have,
                                   &have_k, err)) != XF_OK)
            goto done;
        if (!keep) {
            size_t k = 0;
            for (c = 0; c < n_pass; c++)
                if (hs->cand[c].spec.n_enc == 0)
                    hs->cand[k++].spec = hs->cand[c].spec;
            n_pass = hs->n_cand = k;
            width = 0;
        }
    }
    /* the embeddings of every origin, once: the candidates below share them */
    if (width > 0 && (rc = embed_origins(&h->spec, fws, panel, &train, &valid, have, have_k, &o,
                                         "embeddings", &cache, err)) != XF_OK)
        goto done;
    /* a candidate without enough usable origins (its scale, e.g. the
     * seasonal difference of near-periodic data, leaves every target out
     * of range) drops out; the fit fails only when every one does */
    for (c = 0; c < n_pass; c++) {
        xf_error perr;
        char what[64];
        snprintf(what, sizeof what, "candidate %zu/%zu", c + 1, n_pass);
        rc = run_candidate(&hs->cand[c], &o, opts, full, panel, fws, &train, &valid, cache, &pc,
                           what, &perr);
        if (rc == XF_EDATA) {
            hs->cand[c].failed = 1;
            snprintf(hs->cand[c].why, sizeof hs->cand[c].why, "%s", perr.message);
            continue;
        }
        if (rc != XF_OK) {
            if (err != NULL)
                *err = perr;
            goto done;
        }
    }
    rc = XF_OK;
    /* the local model's features: tried on the winner of the candidates
     * above (scored here as the finish will score them), or, in a part of
     * a sharded fit, which cannot know the winner, on each of them */
    if (opts->local_model == XF_AUTO) {
        size_t k0 = n_pass, pick = SIZE_MAX;
        if (full) {
            fit_pass pre[XF_HEAD_MAX_CANDIDATES];
            unsigned char pfail[XF_HEAD_MAX_CANDIDATES] = {0};
            size_t nf;
            const char *sn;
            xf_error perr;
            memset(pre, 0, sizeof pre);
            hs->n_cand = k0;
            rc = score_all(hs, k0, pre, pfail, &nf, &sn, &perr);
            if (rc == XF_OK)
                pick = pick_best(hs, k0, pre, pfail, NULL, 0);
            for (c = 0; c < k0; c++)
                pass_free(&pre[c]);
            if (rc != XF_OK) {
                if (err != NULL)
                    *err = perr;
                goto done;
            }
        }
        for (c = 0; c < k0 && n_pass < XF_HEAD_MAX_CANDIDATES; c++) {
            xf_error perr;
            if (hs->cand[c].failed || (full && c != pick))
                continue;
            hs->cand[n_pass].spec = hs->cand[c].spec;
            hs->cand[n_pass].spec.local_features = 1;
            xf__feat_spec_layout(&hs->cand[n_pass].spec);
            rc = run_candidate(&hs->cand[n_pass], &o, opts, full, panel, fws, &train, &valid, cache,
                               &pc, "candidate with the local model", &perr);
            if (rc == XF_EDATA) {
                hs->cand[n_pass].failed = 1;
                snprintf(hs->cand[n_pass].why, sizeof hs->cand[n_pass].why, "%s", perr.message);
            } else if (rc != XF_OK) {
                if (err != NULL)
                    *err = perr;
                goto done;
            }
            n_pass++;
        }
        hs->n_cand = n_pass;
        rc = XF_OK;
    }
    record_settings(hs, &o);
    if (xf__xfm_set_failed(hs->info)) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    hs->seconds = xf__now() - t_start;
    if (resolved != NULL)
        *resolved = o;
done:
    free(take);
    ol_free(&train);
    ol_free(&valid);
    xf__feat_ws_free(fws);
    free(cache);
    free(have);
    xf__prior_cache_free(&pc);
    return rc;
}

/* The chosen candidate blended with naive, seasonal naive of the season or
 * the local window model when that lowers its held-out score (head_blend.h):
 * a whole fit's held-out rows are forecast by each; best->res becomes the
 * blend's residuals (for the intervals).  The parts of a sharded fit do not
 * know their rows' series (no blend).  Tried and dropped (commit b932e8a):
 * a guard against noise (the blend to beat the head by one standard error
 * of the paired difference) kept almost every short fit from blending and
 * lost most of the gain on bench/run_little.sh's cuts. */
static int choose_blend(xf_head *h, const xf__cand_stats *bc, fit_pass *best, const xf_panel *panel,
                        const xf_head_options *o, xf_error *err)
{
    int32_t bases[XF__BLEND_MAX_BASES];
    size_t nb = 0, i;
    xf__blend_rows rows;
    double before, after;
    char name[128];
    int rc;
    h->blend_base = h->blend_share = 0;
    if (panel == NULL || o == NULL || o->blend == XF_BLEND_NONE || bc->vser == NULL || bc->nv == 0)
        return XF_OK;
    bases[nb++] = 1;
    if (h->season > 1)
        bases[nb++] = h->season;
    if (o->local_model != 0) /* --no-local-model: not in the blend either */
        bases[nb++] = XF_BASELINE_LOCAL;
    rows.ser = bc->vser;
    rows.org = bc->vorg;
    rows.n = bc->nv;
    rows.w = NULL; /* MASE units where every row has a MASE scale */
    for (i = 0; i < bc->nv && bc->VD[i] > 0; i++)
        ;
    if (i == bc->nv)
        rows.w = bc->VD;
    if ((rc = xf__blend_choose(h, panel, &rows, bases, nb, best->res, &before, &after, err)) !=
        XF_OK)
        return rc;
    xf__blend_name(h, 1, name, sizeof name);
    xf_xfm_set_str(h->meta, "valid.blend", h->blend_share > 0 ? name : "none");
    xf_xfm_set_str(h->meta, "valid.blend_score", rows.w != NULL ? "MASE" : "normalised MAE");
    xf_xfm_set_f64(h->meta, "valid.blend_before", before);
    xf_xfm_set_f64(h->meta, "valid.blend_after", after);
    return XF_OK;
}

int xf__head_stats_finish(xf_head_stats *hs, const xf_panel *panel, const xf_head_options *o,
                          double t_start, xf_head **out, xf_error *err)
{
    xf_head *h = hs->h;
    fit_pass pass[XF_HEAD_MAX_CANDIDATES];
    xf__cand_stats *bc;
    fit_pass *best;
    xf__ridge_model final = {0};
    size_t n_pass = hs->n_cand, c;
    const char *score_name;
    unsigned char failed[XF_HEAD_MAX_CANDIDATES] = {0};
    size_t n_failed = 0;
    char why[512], chosen[64];
    int rc = XF_OK;
    *out = NULL;
    memset(pass, 0, sizeof pass);
    if ((rc = score_all(hs, n_pass, pass, failed, &n_failed, &score_name, err)) != XF_OK)
        goto done;
    c = pick_best(hs, n_pass, pass, failed, why, sizeof why);
    if (c == SIZE_MAX) {
        rc = XF_EDATA; /* every candidate failed: err holds the first failure */
        goto done;
    }
    best = &pass[c];
    bc = &hs->cand[c];
    h->spec = bc->spec;
    if (h->spec.n_enc == 0)
        h->n_enc = 0; /* the embeddings lost: the head needs no encoder */
    if ((rc = choose_blend(h, bc, best, panel, o, err)) != XF_OK)
        goto done;
    if ((rc = xf__head_calibrate(h, best->res, bc->late, bc->nv, err)) != XF_OK)
        goto done;
    /* refit on everything with the chosen penalty */
    xf__ridge_stats_merge(&best->st, &best->sv);
    if ((rc = xf__ridge_solve(&best->st, best->model.lambda, &final, err)) != XF_OK)
        goto done;
    if (bc->W0 != NULL) { /* fitted around the prior: the weights include it */
        xf__ridge_model_add_prior(&final, bc->W0, bc->b0);
        h->prior_w = bc->W0;
        h->prior_b = bc->b0;
        bc->W0 = bc->b0 = NULL;
    }
    h->W = final.w;
    h->b = final.b;
    h->lambda = final.lambda;
    final.w = final.b = final.lambda = NULL;
    h->stats = best->st;
    memset(&best->st, 0, sizeof best->st);
    if (panel != NULL)
        xf__head_record_provenance(h, panel, o);
    else
        xf__head_stats_provenance(hs, h->meta);
    xf_xfm_set_i64(h->meta, "fit.windows", (int64_t)(h->stats.n));
    xf_xfm_set_i64(h->meta, "fit.windows_valid", (int64_t)bc->nv);
    xf_xfm_set_i64(h->meta, "fit.stride", hs->stride);
    h->stride = hs->stride > 0 ? hs->stride : 1;
    h->nonneg = 1; /* forecasts of series never negative so far are clipped at 0 */
    xf_xfm_set_f64(h->meta, "fit.lambda", best->model.lambda[0]);
    xf_xfm_set_f64(h->meta, "valid.mse", best->vmse);
    {
        char key[64];
        snprintf(key, sizeof key, "valid.%s", score_name);
        xf_xfm_set_f64(h->meta, key, best->score);
    }
    if (bc->n_undef > 0) {
        xf_xfm_set_i64(h->meta, "valid.mase_undefined", (int64_t)bc->n_undef);
        xf_xfm_set_i64(h->meta, "valid.season", h->season);
    }
    if (n_failed > 0) {
        char names[256] = "";
        size_t len = 0;
        for (c = 0; c < n_pass; c++)
            if (failed[c] && len < sizeof names &&
                !(is_local_variant(hs, n_pass, c) &&
                  !same_but_local(&hs->cand[c].spec, &bc->spec))) {
                char name[64];
                candidate_name(&hs->cand[c].spec, name, sizeof name);
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "",
                                        name);
            }
        xf_xfm_set_str(h->meta, "valid.dropped", names);
    }
    for (c = 0; c < n_pass; c++) {
        char key[128], name[64];
        if (failed[c])
            continue; /* no score: never shown */
        /* the local variants of the candidates that lost (parts of a
         * sharded fit have them) are not part of the single fit's report */
        if (is_local_variant(hs, n_pass, c) && !same_but_local(&hs->cand[c].spec, &bc->spec))
            continue;
        candidate_name(&hs->cand[c].spec, name, sizeof name);
        snprintf(key, sizeof key, "valid.%s.%s", score_name, name);
        xf_xfm_set_f64(h->meta, key, pass[c].score);
    }
    if (h->spec.n_lags > 0)
        xf_xfm_set_f64(h->meta, "valid.naive_mse", best->nmse);
    xf_xfm_set_str(h->meta, "valid.selection",
                   hs->selection == XF_SELECTION_ROLLING ? "rolling" : "single");
    if (hs->selection == XF_SELECTION_ROLLING) {
        xf_xfm_set_i64(h->meta, "valid.folds", XF_HEAD_SELECT_FOLDS);
        xf_xfm_set_f64(h->meta, "valid.se", best->se);
    }
    {
        char text[sizeof why + sizeof chosen + 4];
        candidate_name(&bc->spec, chosen, sizeof chosen);
        snprintf(text, sizeof text, "%s (%s)", chosen, why);
        xf_xfm_set_str(h->meta, "valid.chosen", text);
    }
    xf_xfm_set_f64(h->meta, "fit.seconds", xf__now() - t_start);
    if (xf__xfm_set_failed(h->meta)) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    *out = h;
    hs->h = NULL;
    rc = XF_OK;
done:
    for (c = 0; c < XF_HEAD_MAX_CANDIDATES; c++)
        pass_free(&pass[c]);
    xf__ridge_model_free(&final);
    return rc;
}

int xf_head_fit(const xf_panel *panel, xf_encoder *const *encs, size_t n_enc,
                const xf_head_options *opts, xf_head **out, xf_error *err)
{
    xf_head_stats *hs = NULL;
    xf_head_options in, o;
    double t_start = xf__now();
    int rc;
    *out = NULL;
    /* the caller's struct_size bytes over the defaults (the fallback below
     * reads fields a smaller struct has not got) */
    xf_head_options_init(&in);
    XF__IMPORT_OPTIONS(in, opts, XF__HEAD_OPTIONS_V1, xf_head_options, err);
    if ((rc = xf__head_stats_new(1, &hs, err)) != XF_OK)
        return rc;
    if ((rc = xf__head_stats_accumulate(panel, encs, n_enc, opts, 0, 1, hs, &o, err)) == XF_OK)
        rc = xf__head_stats_finish(hs, panel, &o, t_start, out, err);
    xf_head_stats_free(hs);
    /* too few origins for a ridge head: the local model alone, when the
     * options leave the configuration to the fit (else the error stands) */
    if (rc == XF_EDATA && xf_panel_n_series(panel) > 0 && xf__head_local_allowed(opts, panel)) {
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err != NULL ? err->message : "too little data");
        rc = xf__head_fit_local(panel, opts, why, out, err);
    }
    return rc;
}

size_t xf__head_min_origins(size_t H, double valid_fraction)
{
    size_t c;
    for (c = XF_HEAD_MIN_VALID;; c++) {
        size_t nv = (size_t)ceil(valid_fraction * (double)c);
        if (nv >= XF_HEAD_MIN_VALID && c >= nv + H - 1 + XF_HEAD_MIN_TRAIN)
            return c;
    }
}

size_t xf__head_first_origin(const xf__feat_spec *s)
{
    size_t t = (size_t)s->n_lags;
    if (t < XF_HEAD_MIN_FIRST_ORIGIN)
        t = XF_HEAD_MIN_FIRST_ORIGIN;
    return t;
}
