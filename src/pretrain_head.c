/* pretrain_head.c - the pretraining head of an encoder: its inputs (lags and
 * seasonal baselines of a normalised window), the periods of a calendar,
 * and its forward pass.  See pretrain_head.h.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <string.h>

#include "encoder_internal.h"
#include "nn.h"
#include "pretrain_head.h"
#include "xfcast/time.h"

/* The one table of calendars and their periods: pretraining reads it by the
 * corpus's calendar name, forecasting by the series' frequency. */
static const struct {
    const char *calendar;
    int32_t p1, p2;
} calendars[] = {
    {"quarterly", 4, 0},    {"monthly", 12, 0},  {"weekly", 52, 0},        {"daily", 7, 365},
    {"business-day", 5, 0}, {"hourly", 24, 168}, {"half-hourly", 48, 336}, {"15-minute", 96, 672},
};

void xf__phead_periods_calendar(const char *calendar, int32_t p[2])
{
    size_t i;
    p[0] = 1;
    p[1] = 0;
    for (i = 0; calendar != NULL && i < sizeof calendars / sizeof calendars[0]; i++)
        if (strcmp(calendar, calendars[i].calendar) == 0) {
            p[0] = calendars[i].p1;
            p[1] = calendars[i].p2;
            return;
        }
}

const char *xf__phead_calendar_freq(xf_freq f)
{
    if (f.kind == XF_FREQ_FIXED && f.step == 3600 * XF_TIME_US_PER_SEC)
        return "hourly";
    if (f.kind == XF_FREQ_FIXED && f.step == 1800 * XF_TIME_US_PER_SEC)
        return "half-hourly";
    if (f.kind == XF_FREQ_FIXED && f.step == 900 * XF_TIME_US_PER_SEC)
        return "15-minute";
    if (f.kind == XF_FREQ_FIXED && f.step == XF_TIME_US_PER_DAY)
        return "daily";
    if (f.kind == XF_FREQ_FIXED && f.step == 7 * XF_TIME_US_PER_DAY)
        return "weekly";
    if (f.kind == XF_FREQ_BDAY && f.step == 1)
        return "business-day";
    if (f.kind == XF_FREQ_MONTH && f.step == 1)
        return "monthly";
    if (f.kind == XF_FREQ_MONTH && f.step == 3)
        return "quarterly";
    return NULL;
}

void xf__phead_periods_freq(xf_freq f, int32_t p[2])
{
    const char *cal = xf__phead_calendar_freq(f);
    p[0] = 1;
    p[1] = 0;
    if (cal == NULL && f.kind == XF_FREQ_FIXED && f.step > 0 && f.step < XF_TIME_US_PER_DAY &&
        XF_TIME_US_PER_DAY % f.step == 0) {
        int64_t spd = XF_TIME_US_PER_DAY / f.step;
        p[0] = (int32_t)spd;
        p[1] = spd * 7 <= INT32_MAX ? (int32_t)(7 * spd) : 0;
        return;
    }
    xf__phead_periods_calendar(cal != NULL ? cal : "none", p);
}

static int observed(const float *x, size_t t)
{
    return x[2 * t + 1] > 0.5f;
}

/* The value of step h's phase in the latest cycle of period p that has it
 * observed; 0 when none (or p unusable). */
static int phase_value(const float *x, size_t T, int32_t p, size_t h, float *v)
{
    size_t t;
    if (p < 1 || (size_t)p > T)
        return 0;
    for (t = T - (size_t)p + h % (size_t)p;; t -= (size_t)p) {
        if (observed(x, t)) {
            *v = x[2 * t];
            return 1;
        }
        if (t < (size_t)p)
            return 0;
    }
}

void xf__phead_inputs(const float *x, size_t T, size_t L, const int32_t p[2], size_t Hf,
                      float *lags, float *base)
{
    size_t i, h, t;
    float last = 0.0f;
    int32_t p1 = p[0] >= 1 ? p[0] : 1;
    for (t = T; t-- > 0;)
        if (observed(x, t)) {
            last = x[2 * t];
            break;
        }
    for (i = 0; i < L; i++)
        lags[i] = i < T && observed(x, T - 1 - i) ? x[2 * (T - 1 - i)] : 0.0f;
    for (h = 0; h < Hf; h++) {
        float *b = base + h * XF__PHEAD_NB, v;
        double sum = 0;
        int n = 0, k;
        b[0] = phase_value(x, T, p1, h, &v) ? v : last;
        if ((size_t)p1 <= T) {
            size_t t0 = T - (size_t)p1 + h % (size_t)p1;
            for (k = 0; k < XF__PHEAD_CYCLES && t0 >= (size_t)k * (size_t)p1; k++) {
                size_t tk = t0 - (size_t)k * (size_t)p1;
                if (observed(x, tk)) {
                    sum += x[2 * tk];
                    n++;
                }
            }
        }
        b[1] = n > 0 ? (float)(sum / n) : b[0];
        b[2] = p[1] > 1 && phase_value(x, T, p[1], h, &v) ? v : b[0];
    }
}

void xf__phead_gates(const xf__phead *hd, const float *emb, float *g)
{
    size_t j, k;
    for (j = 0; j < XF__PHEAD_NB; j++) {
        const float *u = hd->U + j * hd->E;
        float acc = 0.0f;
        for (k = 0; k < hd->E; k++)
            acc += u[k] * emb[k];
        g[j] = acc;
    }
}

void xf__phead_forward(const xf__phead *hd, size_t n, const float *emb, const float *lags,
                       const float *base, float *z, float *yhat)
{
    size_t O = xf__phead_outputs(hd), K = hd->E + hd->L, i, q, h, j;
    const float *in = emb;
    for (i = 0; i < n; i++)
        memcpy(yhat + i * O, hd->b, O * sizeof *yhat);
    if (hd->L > 0) {
        for (i = 0; i < n; i++) {
            memcpy(z + i * K, emb + i * hd->E, hd->E * sizeof *z);
            memcpy(z + i * K + hd->E, lags + i * hd->L, hd->L * sizeof *z);
        }
        in = z;
    }
    xf__sgemm(0, 1, n, O, K, 1.0f, in, K, hd->W, K, 1.0f, yhat, O);
    if (hd->kind != XF__PHEAD_SEASONAL)
        return;
    for (i = 0; i < n; i++) {
        float g[XF__PHEAD_NB];
        xf__phead_gates(hd, emb + i * hd->E, g);
        for (q = 0; q < hd->nq; q++)
            for (h = 0; h < hd->Hf; h++) {
                const float *a = hd->A + (q * hd->Hf + h) * XF__PHEAD_NB;
                const float *bs = base + (i * hd->Hf + h) * XF__PHEAD_NB;
                float acc = 0.0f;
                for (j = 0; j < XF__PHEAD_NB; j++)
                    acc += (a[j] + g[j]) * bs[j];
                yhat[i * O + q * hd->Hf + h] += acc;
            }
    }
}

size_t xf__phead_window_scratch(const xf__phead *hd, size_t T)
{
    return 2 * T + hd->L + hd->Hf * XF__PHEAD_NB + hd->E + hd->L;
}

void xf__phead_window(const xf__phead *hd, const float *w, size_t T, const int32_t p[2],
                      const float *emb, float *scratch, float *yhat)
{
    float *x = scratch, *lags = x + 2 * T, *base = lags + hd->L;
    float *z = base + hd->Hf * XF__PHEAD_NB, mean, sd;
    xf__normalise_window(w, T, x, &mean, &sd);
    xf__phead_inputs(x, T, hd->L, p, hd->Hf, lags, base);
    xf__phead_forward(hd, 1, emb, lags, base, z, yhat);
}
