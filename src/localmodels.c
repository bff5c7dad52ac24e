/* localmodels.c - exponential smoothing, theta and seasonal decomposition
 * of one series (see localmodels.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "localmodels.h"
#include "xf_internal.h"

#define NM_MAX_D 8
#define HUGE_SSE 1e300

/* ------------------------------------------------------------ Nelder-Mead */

double xf__nelder_mead(double (*f)(const double *x, void *ctx), void *ctx, double *x, int d,
                       double step, int max_eval)
{
    double p[NM_MAX_D + 1][NM_MAX_D], fv[NM_MAX_D + 1], c[NM_MAX_D], xr[NM_MAX_D], xe[NM_MAX_D],
        xc[NM_MAX_D];
    int i, j, n_eval = 0;
    if (d < 1 || d > NM_MAX_D)
        return HUGE_SSE;
    for (i = 0; i <= d; i++) {
        for (j = 0; j < d; j++)
            p[i][j] = x[j] + (i == j + 1 ? step : 0.0);
        fv[i] = f(p[i], ctx);
        n_eval++;
    }
    while (n_eval < max_eval) {
        int best = 0, worst = 0, second = 0;
        double fr;
        for (i = 1; i <= d; i++) {
            if (fv[i] < fv[best])
                best = i;
            if (fv[i] > fv[worst])
                worst = i;
        }
        second = best;
        for (i = 0; i <= d; i++)
            if (i != worst && fv[i] > fv[second])
                second = i;
        if (fabs(fv[worst] - fv[best]) <= 1e-10 * (fabs(fv[best]) + 1e-12))
            break;
        for (j = 0; j < d; j++) {
            c[j] = 0;
            for (i = 0; i <= d; i++)
                if (i != worst)
                    c[j] += p[i][j];
            c[j] /= d;
            xr[j] = c[j] + (c[j] - p[worst][j]);
        }
        fr = f(xr, ctx);
        n_eval++;
        if (fr < fv[best]) {
            double fe;
            for (j = 0; j < d; j++)
                xe[j] = c[j] + 2.0 * (c[j] - p[worst][j]);
            fe = f(xe, ctx);
            n_eval++;
            if (fe < fr) {
                memcpy(p[worst], xe, sizeof xe[0] * (size_t)d);
                fv[worst] = fe;
            } else {
                memcpy(p[worst], xr, sizeof xr[0] * (size_t)d);
                fv[worst] = fr;
            }
        } else if (fr < fv[second]) {
            memcpy(p[worst], xr, sizeof xr[0] * (size_t)d);
            fv[worst] = fr;
        } else {
            double fc;
            int outside = fr < fv[worst];
            for (j = 0; j < d; j++)
                xc[j] = outside ? c[j] + 0.5 * (xr[j] - c[j]) : c[j] + 0.5 * (p[worst][j] - c[j]);
            fc = f(xc, ctx);
            n_eval++;
            if (fc < (outside ? fr : fv[worst])) {
                memcpy(p[worst], xc, sizeof xc[0] * (size_t)d);
                fv[worst] = fc;
            } else { /* shrink towards the best */
                for (i = 0; i <= d; i++) {
                    if (i == best)
                        continue;
                    for (j = 0; j < d; j++)
                        p[i][j] = p[best][j] + 0.5 * (p[i][j] - p[best][j]);
                    fv[i] = f(p[i], ctx);
                    n_eval++;
                }
            }
        }
    }
    {
        int best = 0;
        for (i = 1; i <= d; i++)
            if (fv[i] < fv[best])
                best = i;
        memcpy(x, p[best], sizeof x[0] * (size_t)d);
        return fv[best];
    }
}

/* ------------------------------------------------------------ ETS */

static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

static double logit(double p)
{
    return log(p / (1.0 - p));
}

#define PHI_LO 0.8
#define PHI_HI 0.98

/* The running state of an ETS pass. */
typedef struct ets_run {
    const xf__ets *e;
    double l, b;
    double *s; /* [m] by phase (absolute t mod m) */
} ets_run;

static double nanmean(const double *y, size_t from, size_t to, size_t stride)
{
    double sum = 0;
    size_t i, k = 0;
    for (i = from; i < to; i += stride)
        if (isfinite(y[i])) {
            sum += y[i];
            k++;
        }
    return k > 0 ? sum / (double)k : NAN;
}

/* Initial states from the first values of y (absolute index t0 of y[0]):
 * the seasonal phases from the first two seasons, the trend from the
 * change between them (or a line through the first 10 values), the level
 * at t0 - 1. */
static int ets_init(ets_run *r, const double *y, size_t n, size_t t0)
{
    const xf__ets *e = r->e;
    size_t i;
    r->b = 0;
    if (e->season != XF__LM_SEASON_NONE) {
        size_t m = (size_t)e->m, j;
        double m1, m2, sum = 0;
        if (n < 2 * m)
            return -1;
        m1 = nanmean(y, 0, m, 1);
        m2 = nanmean(y, m, 2 * m, 1);
        if (!isfinite(m1) || !isfinite(m2))
            return -1;
        if (e->trend != XF__LM_TREND_NONE)
            r->b = (m2 - m1) / (double)m;
        for (j = 0; j < m; j++) {
            double a = y[j], c = y[j + m], v;
            double ta = m1 + r->b * ((double)j - (double)(m - 1) / 2.0);
            double tc = m2 + r->b * ((double)j - (double)(m - 1) / 2.0);
            if (e->season == XF__LM_SEASON_ADD) {
                double u = isfinite(a) ? a - ta : NAN, w = isfinite(c) ? c - tc : NAN;
                v = isfinite(u) && isfinite(w) ? (u + w) / 2
                    : isfinite(u)              ? u
                    : isfinite(w)              ? w
                                               : 0;
            } else {
                double u = isfinite(a) && ta > 0 ? a / ta : NAN,
                       w = isfinite(c) && tc > 0 ? c / tc : NAN;
                v = isfinite(u) && isfinite(w) ? (u + w) / 2
                    : isfinite(u)              ? u
                    : isfinite(w)              ? w
                                               : 1;
            }
            r->s[(t0 + j) % m] = v;
            sum += v;
        }
        for (j = 0; j < m; j++) { /* additive: sum 0; multiplicative: mean 1 */
            if (e->season == XF__LM_SEASON_ADD)
                r->s[j] -= sum / (double)m;
            else if (sum > 0)
                r->s[j] *= (double)m / sum;
            if (e->season == XF__LM_SEASON_MUL && !(r->s[j] > 0))
                return -1;
        }
        r->l = m1 - r->b * ((double)(m - 1) / 2.0 + 1.0);
        return 0;
    }
    {
        double st = 0, sy = 0, stt = 0, sty = 0, k = 0;
        for (i = 0; i < n && k < 10; i++)
            if (isfinite(y[i])) {
                st += (double)i;
                sy += y[i];
                stt += (double)i * (double)i;
                sty += (double)i * y[i];
                k++;
            }
        if (k == 0)
            return -1;
        if (e->trend != XF__LM_TREND_NONE && k >= 2) {
            double den = k * stt - st * st;
            r->b = den > 0 ? (k * sty - st * sy) / den : 0;
            r->l = (sy - r->b * st) / k - r->b; /* the line at index -1 */
        } else {
            for (i = 0; i < n && !isfinite(y[i]); i++)
                ;
            r->l = y[i];
        }
    }
    return 0;
}

/* sum_{i=1..h} phi^i, the damped trend multiplier */
static double damp_sum(const xf__ets *e, int64_t h)
{
    double s = 0, p = 1;
    int64_t i;
    if (e->trend == XF__LM_TREND_NONE)
        return 0;
    if (e->trend == XF__LM_TREND_ADD)
        return (double)h;
    for (i = 1; i <= h; i++) {
        p *= e->phi;
        s += p;
    }
    return s;
}

/* The forecast h >= 1 steps ahead of absolute time t (the next value is
 * y[t]): phase (t + h - 1) mod m. */
static double ets_fc(const ets_run *r, size_t t, int64_t h, double dsum)
{
    const xf__ets *e = r->e;
    double T = r->l + dsum * r->b;
    if (e->season == XF__LM_SEASON_NONE)
        return T;
    {
        double s = r->s[(t + (size_t)h - 1) % (size_t)e->m];
        return e->season == XF__LM_SEASON_ADD ? T + s : T * s;
    }
}

/* One step at absolute time t with value v (NaN: missing).  Returns the
 * one-step forecast made before the update. */
static double ets_step(ets_run *r, size_t t, double v)
{
    const xf__ets *e = r->e;
    double phi = e->trend == XF__LM_TREND_DAMPED ? e->phi : 1.0;
    double bt = e->trend == XF__LM_TREND_NONE ? 0.0 : phi * r->b;
    double T = r->l + bt, s = 0, yhat, l2;
    size_t ph = e->season != XF__LM_SEASON_NONE ? t % (size_t)e->m : 0;
    if (e->season != XF__LM_SEASON_NONE)
        s = r->s[ph];
    yhat = e->season == XF__LM_SEASON_ADD ? T + s : e->season == XF__LM_SEASON_MUL ? T * s : T;
    if (!isfinite(v)) {
        r->l = T;
        r->b = bt;
        return yhat;
    }
    if (e->season == XF__LM_SEASON_ADD)
        l2 = e->alpha * (v - s) + (1 - e->alpha) * T;
    else if (e->season == XF__LM_SEASON_MUL)
        l2 = e->alpha * (v / s) + (1 - e->alpha) * T;
    else
        l2 = e->alpha * v + (1 - e->alpha) * T;
    if (e->trend != XF__LM_TREND_NONE)
        r->b = e->beta * (l2 - r->l) + (1 - e->beta) * bt;
    if (e->season == XF__LM_SEASON_ADD)
        r->s[ph] = e->gamma * (v - l2) + (1 - e->gamma) * s;
    else if (e->season == XF__LM_SEASON_MUL && l2 != 0)
        r->s[ph] = e->gamma * (v / l2) + (1 - e->gamma) * s;
    r->l = l2;
    return yhat;
}

typedef struct sse_ctx {
    xf__ets *e;
    const double *y;
    size_t n;
    double *s; /* [m] scratch */
} sse_ctx;

static void ets_params(xf__ets *e, const double *x)
{
    int k = 0;
    e->alpha = 1e-4 + (1 - 2e-4) * logistic(x[k++]);
    e->beta = e->trend != XF__LM_TREND_NONE ? 1e-4 + (1 - 2e-4) * logistic(x[k++]) : 0;
    e->gamma = e->season != XF__LM_SEASON_NONE ? 1e-4 + (1 - 2e-4) * logistic(x[k++]) : 0;
    e->phi = e->trend == XF__LM_TREND_DAMPED ? PHI_LO + (PHI_HI - PHI_LO) * logistic(x[k++]) : 1;
}

/* One-step squared errors of the pass over c->y with the parameters x. */
static double ets_sse(const double *x, void *ctx)
{
    sse_ctx *c = ctx;
    ets_run r;
    double sse = 0;
    size_t t, k = 0;
    ets_params(c->e, x);
    r.e = c->e;
    r.s = c->s;
    if (ets_init(&r, c->y, c->n, 0) != 0)
        return HUGE_SSE;
    for (t = 0; t < c->n; t++) {
        double v = c->y[t], f = ets_step(&r, t, v);
        if (!isfinite(f) || fabs(f) > 1e150)
            return HUGE_SSE;
        if (isfinite(v)) {
            sse += (v - f) * (v - f);
            k++;
        }
    }
    c->e->n_fit = k;
    return isfinite(sse) ? sse : HUGE_SSE;
}

void xf__ets_free(xf__ets *e)
{
    if (e == NULL)
        return;
    free(e->s0);
    e->s0 = NULL;
}

static size_t n_observed(const double *y, size_t n)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++)
        k += isfinite(y[i]) != 0;
    return k;
}

int xf__ets_fit(const double *y, size_t n, xf__lm_trend trend, xf__lm_season season, int32_t m,
                xf__ets *out, xf_error *err)
{
    sse_ctx c;
    double x[4];
    int d = 0, k;
    size_t i;
    memset(out, 0, sizeof *out);
    out->trend = trend;
    out->season = season;
    out->m = season != XF__LM_SEASON_NONE ? m : 1;
    if (season != XF__LM_SEASON_NONE && (m < 2 || m > XF__LM_MAX_PERIOD || n < 2 * (size_t)m))
        return xf__fail(err, XF_EDATA, 0, 0,
                        "a seasonal model of period %d needs %d values, not %zu", (int)m,
                        2 * (int)m, n);
    if (n_observed(y, n) < 3)
        return xf__fail(err, XF_EDATA, 0, 0, "exponential smoothing needs 3 observed values");
    if (season == XF__LM_SEASON_MUL)
        for (i = 0; i < n; i++)
            if (isfinite(y[i]) && !(y[i] > 0))
                return xf__fail(err, XF_EDATA, 0, 0,
                                "a multiplicative season needs positive values");
    if ((out->s0 = calloc((size_t)out->m, sizeof *out->s0)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    x[d++] = logit(0.3);
    if (trend != XF__LM_TREND_NONE)
        x[d++] = logit(0.1);
    if (season != XF__LM_SEASON_NONE)
        x[d++] = logit(0.1);
    if (trend == XF__LM_TREND_DAMPED)
        x[d++] = 0.0;
    c.e = out;
    c.y = y;
    c.n = n;
    c.s = out->s0;
    out->sse = xf__nelder_mead(ets_sse, &c, x, d, 1.0, 60 * d + 60);
    ets_params(out, x);
    ets_sse(x, &c); /* n_fit of the best point */
    if (!(out->sse < HUGE_SSE)) {
        xf__ets_free(out);
        return xf__fail(err, XF_EDATA, 0, 0, "exponential smoothing diverged");
    }
    {
        ets_run r = {out, 0, 0, out->s0};
        ets_init(&r, y, n, 0); /* keep the initial states of the fit */
        out->l0 = r.l;
        out->b0 = r.b;
    }
    k = d + 1 + (trend != XF__LM_TREND_NONE) + (season != XF__LM_SEASON_NONE ? (int)m - 1 : 0);
    if (out->n_fit > (size_t)k + 1 && out->sse > 0)
        out->aicc = (double)out->n_fit * log(out->sse / (double)out->n_fit) + 2.0 * k +
                    2.0 * k * (k + 1) / ((double)out->n_fit - k - 1);
    else
        out->aicc = out->sse > 0 ? INFINITY : -INFINITY;
    return XF_OK;
}

int xf__ets_auto(const double *y, size_t n, int32_t m, xf__ets *out, xf_error *err)
{
    static const xf__lm_trend trends[3] = {XF__LM_TREND_NONE, XF__LM_TREND_ADD,
                                           XF__LM_TREND_DAMPED};
    static const xf__lm_season seasons[3] = {XF__LM_SEASON_NONE, XF__LM_SEASON_ADD,
                                             XF__LM_SEASON_MUL};
    int ti, si, have = 0, rc = XF_EDATA;
    xf_error e1;
    memset(out, 0, sizeof *out);
    for (si = 0; si < 3; si++) {
        if (si > 0 && (m < 2 || n < 2 * (size_t)m + 2))
            break;
        for (ti = 0; ti < 3; ti++) {
            xf__ets cand;
            int r = xf__ets_fit(y, n, trends[ti], seasons[si], m, &cand, &e1);
            if (r == XF_ENOMEM) {
                if (have)
                    xf__ets_free(out);
                return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            }
            if (r != XF_OK)
                continue;
            if (!have || cand.aicc < out->aicc) {
                if (have)
                    xf__ets_free(out);
                *out = cand;
                have = 1;
            } else {
                xf__ets_free(&cand);
            }
            rc = XF_OK;
        }
    }
    if (!have)
        return xf__fail(err, XF_EDATA, 0, 0, "no exponential smoothing model fits %zu values", n);
    return rc;
}

/* ------------------------------------------------------------ seasonal profiles */

/* Centered moving average of length p (2 x p for even p) with at least 80%
 * of its window observed; NaN elsewhere. */
static void centered_ma(const double *y, size_t n, size_t p, double *out)
{
    size_t half = p / 2, t;
    for (t = 0; t < n; t++) {
        double sum = 0, w = 0, wt = 0;
        size_t j;
        out[t] = NAN;
        if (t < half || t + half >= n)
            continue;
        for (j = t - half; j <= t + half; j++) {
            double wj = (p % 2 == 0 && (j == t - half || j == t + half)) ? 0.5 : 1.0;
            wt += wj;
            if (isfinite(y[j])) {
                sum += wj * y[j];
                w += wj;
            }
        }
        if (w >= 0.8 * wt)
            out[t] = sum / w;
    }
}

/* Additive profiles of np periods of y (absolute index of y[0]: t0) by
 * backfitting on the detrended values; profile[i][phase] with phase =
 * absolute t mod period[i], each centred on 0. */
static int additive_profiles(const double *y, size_t n, size_t t0, const int32_t *period, size_t np,
                             double **profile)
{
    size_t pmax = 0, i, t, it;
    double *tr = malloc(n * sizeof *tr), *d = malloc(n * sizeof *d);
    double *sum = NULL, *cnt = NULL;
    if (tr == NULL || d == NULL) {
        free(tr);
        free(d);
        return -1;
    }
    for (i = 0; i < np; i++)
        pmax = (size_t)period[i] > pmax ? (size_t)period[i] : pmax;
    centered_ma(y, n, pmax, tr);
    for (t = 0; t < n; t++)
        d[t] = isfinite(y[t]) && isfinite(tr[t]) ? y[t] - tr[t] : NAN;
    sum = malloc(pmax * sizeof *sum);
    cnt = malloc(pmax * sizeof *cnt);
    if (sum == NULL || cnt == NULL) {
        free(tr);
        free(d);
        free(sum);
        free(cnt);
        return -1;
    }
    for (i = 0; i < np; i++)
        memset(profile[i], 0, (size_t)period[i] * sizeof *profile[i]);
    for (it = 0; it < (np > 1 ? 3u : 1u); it++)
        for (i = 0; i < np; i++) {
            size_t p = (size_t)period[i], ph, j;
            double mean = 0;
            memset(sum, 0, p * sizeof *sum);
            memset(cnt, 0, p * sizeof *cnt);
            for (t = 0; t < n; t++) {
                double r = d[t];
                if (!isfinite(r))
                    continue;
                for (j = 0; j < np; j++)
                    if (j != i)
                        r -= profile[j][(t0 + t) % (size_t)period[j]];
                sum[(t0 + t) % p] += r;
                cnt[(t0 + t) % p] += 1;
            }
            for (ph = 0; ph < p; ph++) {
                profile[i][ph] = cnt[ph] > 0 ? sum[ph] / cnt[ph] : 0;
                mean += profile[i][ph];
            }
            for (ph = 0; ph < p; ph++)
                profile[i][ph] -= mean / (double)p;
        }
    free(tr);
    free(d);
    free(sum);
    free(cnt);
    return 0;
}

/* Is the season of period m significant (the test of forecast::thetaf: the
 * autocorrelation at lag m beyond 1.645 of its Bartlett standard error)? */
static int seasonal_test(const double *y, size_t n, size_t m)
{
    double mean = 0, var = 0, r[XF__LM_MAX_PERIOD + 1], s2 = 0, k = 0;
    size_t i, lag;
    if (m < 2 || n < 3 * m || m > XF__LM_MAX_PERIOD)
        return 0;
    for (i = 0; i < n; i++)
        if (isfinite(y[i])) {
            mean += y[i];
            k++;
        }
    if (k < 3 * (double)m)
        return 0;
    mean /= k;
    for (i = 0; i < n; i++)
        if (isfinite(y[i]))
            var += (y[i] - mean) * (y[i] - mean);
    if (!(var > 0))
        return 0;
    for (lag = 1; lag <= m; lag++) {
        double c = 0;
        for (i = lag; i < n; i++)
            if (isfinite(y[i]) && isfinite(y[i - lag]))
                c += (y[i] - mean) * (y[i - lag] - mean);
        r[lag] = c / var;
    }
    for (lag = 1; lag < m; lag++)
        s2 += r[lag] * r[lag];
    return fabs(r[m]) > 1.645 * sqrt((1 + 2 * s2) / k);
}

/* ------------------------------------------------------------ local models */

const char *xf__lm_kind_name(xf__lm_kind k)
{
    switch (k) {
    case XF__LM_ETS:
        return "ets";
    case XF__LM_THETA:
        return "theta";
    case XF__LM_DECOMP:
        return "decomp";
    default:
        return "?";
    }
}

void xf__lm_free(xf__lm *m)
{
    size_t i;
    if (m == NULL)
        return;
    xf__ets_free(&m->ets);
    for (i = 0; i < XF__LM_MAX_PERIODS; i++) {
        free(m->profile[i]);
        m->profile[i] = NULL;
    }
}

/* The adjusted value of y[t] (absolute t): DECOMP less the profiles, THETA
 * divided by its multiplicative profile. */
static double adjust(const xf__lm *m, size_t t, double v)
{
    size_t i;
    if (!isfinite(v))
        return v;
    for (i = 0; i < m->np; i++) {
        double s = m->profile[i][t % (size_t)m->period[i]];
        v = m->kind == XF__LM_THETA ? v / s : v - s;
    }
    return v;
}

static double readjust(const xf__lm *m, size_t t, double v)
{
    size_t i;
    for (i = 0; i < m->np; i++) {
        double s = m->profile[i][t % (size_t)m->period[i]];
        v = m->kind == XF__LM_THETA ? v * s : v + s;
    }
    return v;
}

int xf__lm_fit(xf__lm_kind kind, const double *y, size_t n, const int32_t *periods, size_t np,
               xf__lm *out, xf_error *err)
{
    size_t n0 = n > XF__LM_FIT_WINDOW ? n - XF__LM_FIT_WINDOW : 0, w = n - n0, i, t;
    const double *yw = y + n0;
    double *adj = NULL;
    int rc = XF_OK;
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->n0 = n0;
    if (np > XF__LM_MAX_PERIODS)
        return xf__fail(err, XF_EINVAL, 0, 0, "at most %d seasonal periods", XF__LM_MAX_PERIODS);
    for (i = 0; i < np; i++)
        if (periods[i] < 2 || periods[i] > XF__LM_MAX_PERIOD)
            return xf__fail(err, XF_EINVAL, 0, 0, "seasonal period %d out of range",
                            (int)periods[i]);
    if (w < 3 || n_observed(yw, w) < 3)
        return xf__fail(err, XF_EDATA, 0, 0, "a local model needs 3 observed values");
    if (kind == XF__LM_ETS) {
        int32_t m = 1;
        /* the shortest period the data holds twice over, if not too long for
         * a state per phase */
        for (i = 0; i < np; i++)
            if (periods[i] <= 168 && w >= 2 * (size_t)periods[i] + 2 && (m == 1 || periods[i] < m))
                m = periods[i];
        return xf__ets_auto(yw, w, m, &out->ets, err);
    }
    if ((adj = calloc(w, sizeof *adj)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    if (kind == XF__LM_DECOMP) {
        for (i = 0; i < np; i++)
            if (w >= 2 * (size_t)periods[i]) {
                out->period[out->np] = periods[i];
                if ((out->profile[out->np] = malloc((size_t)periods[i] * sizeof(double))) == NULL) {
                    rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                    goto done;
                }
                out->np++;
            }
        if (out->np > 0 && additive_profiles(yw, w, n0, out->period, out->np, out->profile) != 0) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        for (t = 0; t < w; t++)
            adj[t] = adjust(out, n0 + t, yw[t]);
        rc = xf__ets_auto(adj, w, 1, &out->ets, err);
        goto done;
    }
    /* THETA: multiplicative classical decomposition when the season is
     * significant and the values positive */
    if (np > 0 && seasonal_test(yw, w, (size_t)periods[0])) {
        int pos = 1;
        for (t = 0; t < w; t++)
            pos &= !isfinite(yw[t]) || yw[t] > 0;
        if (pos) {
            size_t p = (size_t)periods[0], ph;
            double *tr = malloc(w * sizeof *tr), *sum = calloc(p, sizeof *sum),
                   *cnt = calloc(p, sizeof *cnt), mean = 0;
            out->period[0] = periods[0];
            out->profile[0] = malloc(p * sizeof(double));
            if (tr == NULL || sum == NULL || cnt == NULL || out->profile[0] == NULL) {
                free(tr);
                free(sum);
                free(cnt);
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                goto done;
            }
            centered_ma(yw, w, p, tr);
            for (t = 0; t < w; t++)
                if (isfinite(yw[t]) && isfinite(tr[t]) && tr[t] > 0) {
                    sum[(n0 + t) % p] += yw[t] / tr[t];
                    cnt[(n0 + t) % p] += 1;
                }
            for (ph = 0; ph < p; ph++) {
                out->profile[0][ph] = cnt[ph] > 0 ? sum[ph] / cnt[ph] : 1;
                mean += out->profile[0][ph];
            }
            for (ph = 0; ph < p; ph++)
                out->profile[0][ph] /= mean / (double)p;
            free(tr);
            free(sum);
            free(cnt);
            out->np = 1;
        }
    }
    for (t = 0; t < w; t++)
        adj[t] = adjust(out, n0 + t, yw[t]);
    if ((rc = xf__ets_fit(adj, w, XF__LM_TREND_NONE, XF__LM_SEASON_NONE, 1, &out->ets, err)) !=
        XF_OK)
        goto done;
    { /* half the slope of the least-squares line */
        double st = 0, sy = 0, stt = 0, sty = 0, k = 0, den;
        for (t = 0; t < w; t++)
            if (isfinite(adj[t])) {
                st += (double)t;
                sy += adj[t];
                stt += (double)t * (double)t;
                sty += (double)t * adj[t];
                k++;
            }
        den = k * stt - st * st;
        out->drift = den > 0 ? 0.5 * (k * sty - st * sy) / den : 0;
    }
done:
    free(adj);
    if (rc != XF_OK)
        xf__lm_free(out);
    return rc;
}

int xf__lm_forecast_origins(const xf__lm *m, const double *y, size_t n, const size_t *origins,
                            size_t k, int32_t H, double *out, xf_error *err)
{
    ets_run r;
    double *s = NULL, *ds = NULL, *adj = NULL;
    size_t t, j = 0, seen = 0, mm = (size_t)(m->ets.m > 1 ? m->ets.m : 1);
    int64_t h;
    if (H < 1)
        return xf__fail(err, XF_EINVAL, 0, 0, "horizon %d", (int)H);
    if ((s = calloc(mm, sizeof *s)) == NULL || (ds = malloc((size_t)H * sizeof *ds)) == NULL ||
        (adj = malloc((n ? n : 1) * sizeof *adj)) == NULL) {
        free(s);
        free(ds);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    for (t = 0; t < n; t++)
        adj[t] = adjust(m, t, y[t]);
    for (h = 1; h <= H; h++)
        ds[h - 1] = damp_sum(&m->ets, h);
    r.e = &m->ets;
    r.s = s;
    if (ets_init(&r, adj, n, 0) != 0) { /* too short a start: the fit's states */
        r.l = m->ets.l0;
        r.b = m->ets.b0;
        if (m->ets.s0 != NULL)
            memcpy(s, m->ets.s0, mm * sizeof *s);
    }
    for (t = 0; t <= n && j < k; t++) {
        while (j < k && origins[j] == t) {
            double *o = out + j * (size_t)H;
            for (h = 1; h <= H; h++) {
                double f;
                if (m->kind == XF__LM_THETA) {
                    double a = m->ets.alpha;
                    f = r.l + m->drift * ((double)h - 1 + 1 / a -
                                          pow(1 - a, (double)(seen > 0 ? seen : 1)) / a);
                } else {
                    f = ets_fc(&r, t, h, ds[h - 1]);
                }
                o[h - 1] = readjust(m, t + (size_t)h - 1, f);
            }
            j++;
        }
        if (t < n) {
            ets_step(&r, t, adj[t]);
            seen += isfinite(adj[t]) != 0;
        }
    }
    for (; j < k; j++) /* origins past the end: none expected */
        for (h = 0; h < H; h++)
            out[j * (size_t)H + (size_t)h] = NAN;
    free(s);
    free(ds);
    free(adj);
    return XF_OK;
}

/* ------------------------------------------------------------ window models */

size_t xf__lm_window_length(size_t o, const int32_t *periods, size_t np)
{
    size_t pmax = 1, i, w;
    for (i = 0; i < np; i++)
        if (periods[i] > 1 && (size_t)periods[i] > pmax)
            pmax = (size_t)periods[i];
    w = XF__LM_WIN_CYCLES * pmax;
    if (w < XF__LM_WIN_MIN)
        w = XF__LM_WIN_MIN;
    if (w > XF__LM_FIT_WINDOW)
        w = XF__LM_FIT_WINDOW;
    return w < o ? w : o;
}

size_t xf__lm_window_work(size_t n, const int32_t *periods, size_t np)
{
    size_t sum = 0, pmax = 1, i;
    for (i = 0; i < np; i++)
        if (periods[i] > 1) {
            sum += (size_t)periods[i];
            pmax = (size_t)periods[i] > pmax ? (size_t)periods[i] : pmax;
        }
    return 4 * n + 2 + sum + 2 * pmax;
}

/* Centred moving average of length p (2 x p for even p: half weights at
 * the ends) of w[0..n) from prefix sums S, C [n+1] of the observed values
 * and their count; NaN where less than 80% of its weight is observed. */
static void window_ma(const double *w, size_t n, size_t p, const double *S, const double *C,
                      double *out)
{
    size_t half = p / 2, t;
    for (t = 0; t < n; t++) {
        double sum, cnt, tot = (double)(2 * half + 1);
        out[t] = NAN;
        if (t < half || t + half >= n)
            continue;
        sum = S[t + half + 1] - S[t - half];
        cnt = C[t + half + 1] - C[t - half];
        if (p % 2 == 0) {
            tot -= 1.0;
            if (isfinite(w[t - half])) {
                sum -= 0.5 * w[t - half];
                cnt -= 0.5;
            }
            if (isfinite(w[t + half])) {
                sum -= 0.5 * w[t + half];
                cnt -= 0.5;
            }
        }
        if (cnt >= 0.8 * tot && cnt > 0)
            out[t] = sum / cnt;
    }
}

/* The grid of the window model: every alpha without trend, and with a
 * damped trend of beta* XF__LM_WIN_BETAS[j] (beta = alpha beta*). */
#define WIN_N_ALPHA 9
#define WIN_N_BETA 3
#define WIN_N_FORMS (WIN_N_ALPHA * WIN_N_BETA)
static const double win_alpha[WIN_N_ALPHA] = {0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0};
static const double win_beta[WIN_N_BETA] = {0.0, 0.02, 0.1}; /* 0: no trend */

/* Exponential smoothing of a[0..n) in every form of the grid at once (the
 * forms are independent recursions, interleaved so that they overlap):
 * the one-step squared errors from the second observed value, their
 * count (the same for every form), and each form's final level and
 * trend. */
static size_t window_es_grid(const double *a, size_t n, double *sse, double *l, double *b)
{
    double al[WIN_N_FORMS], be[WIN_N_FORMS], ph[WIN_N_FORMS];
    size_t t, f, k = 0;
    for (f = 0; f < WIN_N_FORMS; f++) {
        al[f] = win_alpha[f % WIN_N_ALPHA];
        be[f] = win_beta[f / WIN_N_ALPHA] * al[f];
        ph[f] = win_beta[f / WIN_N_ALPHA] > 0 ? XF__LM_WIN_PHI : 1.0;
        sse[f] = 0;
        b[f] = 0;
    }
    for (t = 0; t < n && !isfinite(a[t]); t++)
        ;
    for (f = 0; f < WIN_N_FORMS; f++)
        l[f] = t < n ? a[t] : NAN;
    for (t++; t < n; t++) {
        double v = a[t];
        if (!isfinite(v)) {
            for (f = 0; f < WIN_N_FORMS; f++) {
                l[f] += ph[f] * b[f];
                b[f] *= ph[f];
            }
            continue;
        }
        k++;
        for (f = 0; f < WIN_N_FORMS; f++) {
            double pb = ph[f] * b[f], e = v - (l[f] + pb);
            sse[f] += e * e;
            l[f] += pb + al[f] * e;
            b[f] = pb + be[f] * e; /* error-correction form: beta = alpha beta* */
        }
    }
    return k;
}

int xf__lm_window_forecast(const double *w, size_t n, const int32_t *periods, size_t np, int32_t H,
                           double *work, double *out)
{
    double *S = work, *C = S + n + 1, *d = C + n + 1, *adj = d + n, *prof = adj + n;
    double *prof_of[XF__LM_MAX_PERIODS], *sum, *cnt, *fs = NULL;
    int32_t per[XF__LM_MAX_PERIODS];
    size_t npu = 0, pmax = 1, i, t, it, obs = 0, total = 0;
    double best_aic = INFINITY, bl = NAN, bb = 0, bphi = 1;
    int64_t h;
    for (t = 0; t < n; t++)
        obs += isfinite(w[t]) != 0;
    if (obs < 3)
        return -1;
    for (i = 0; i < np && npu < XF__LM_MAX_PERIODS; i++)
        if (periods[i] > 1 && n >= 2 * (size_t)periods[i]) {
            per[npu] = periods[i];
            prof_of[npu] = prof + total;
            memset(prof_of[npu], 0, (size_t)periods[i] * sizeof *prof);
            total += (size_t)periods[i];
            pmax = (size_t)periods[i] > pmax ? (size_t)periods[i] : pmax;
            npu++;
        }
    sum = prof + total;
    cnt = sum + pmax;
    if (npu > 0) {
        S[0] = C[0] = 0;
        for (t = 0; t < n; t++) {
            S[t + 1] = S[t] + (isfinite(w[t]) ? w[t] : 0);
            C[t + 1] = C[t] + (isfinite(w[t]) != 0);
        }
        window_ma(w, n, pmax, S, C, adj);
        for (t = 0; t < n; t++)
            d[t] = isfinite(w[t]) && isfinite(adj[t]) ? w[t] - adj[t] : NAN;
        /* backfitting; S (free after the moving average) holds the sum of
         * the profiles at each t, phases counted up rather than divided */
        fs = S;
        for (t = 0; t < n; t++)
            fs[t] = 0;
        for (it = 0; it < (npu > 1 ? 3u : 1u); it++)
            for (i = 0; i < npu; i++) {
                size_t p = (size_t)per[i], ph = 0;
                double mean = 0, *pr = prof_of[i];
                memset(sum, 0, p * sizeof *sum);
                memset(cnt, 0, p * sizeof *cnt);
                for (t = 0; t < n; t++) {
                    if (isfinite(d[t])) {
                        sum[ph] += d[t] - fs[t] + pr[ph];
                        cnt[ph] += 1;
                    }
                    if (++ph == p)
                        ph = 0;
                }
                for (ph = 0; ph < p; ph++) {
                    sum[ph] = cnt[ph] > 0 ? sum[ph] / cnt[ph] : 0;
                    mean += sum[ph];
                }
                for (ph = 0; ph < p; ph++)
                    sum[ph] -= mean / (double)p;
                for (t = 0, ph = 0; t < n; t++) {
                    fs[t] += sum[ph] - pr[ph];
                    if (++ph == p)
                        ph = 0;
                }
                memcpy(pr, sum, p * sizeof *pr);
            }
    }
    for (t = 0; t < n; t++)
        adj[t] = npu > 0 && isfinite(w[t]) ? w[t] - fs[t] : w[t];
    /* the form with the lowest AIC (parameters: alpha; alpha, beta) */
    {
        double sse[WIN_N_FORMS], fl[WIN_N_FORMS], fb[WIN_N_FORMS];
        size_t k = window_es_grid(adj, n, sse, fl, fb), f;
        for (f = 0; f < WIN_N_FORMS; f++) {
            double kpar = win_beta[f / WIN_N_ALPHA] > 0 ? 3.0 : 1.0;
            double aic = k > 0 ? (double)k * log(sse[f] / (double)k + 1e-300) + 2.0 * kpar : 0.0;
            if (isfinite(aic) && isfinite(fl[f]) && aic < best_aic) {
                best_aic = aic;
                bl = fl[f];
                bb = fb[f];
                bphi = win_beta[f / WIN_N_ALPHA] > 0 ? XF__LM_WIN_PHI : 1.0;
            }
        }
    }
    if (!isfinite(bl))
        return -1;
    {
        double damp = 0, pw = 1;
        for (h = 1; h <= H; h++) {
            double v;
            pw *= bphi;
            damp += pw;
            v = bl + damp * bb;
            for (i = 0; i < npu; i++)
                v += prof_of[i][(n + (size_t)h - 1) % (size_t)per[i]];
            out[h - 1] = v;
        }
    }
    return 0;
}
