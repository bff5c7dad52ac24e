/* test_pretrain_head.c - the seasonal pretraining head's inputs (lags,
 * seasonal naive, seasonal mean, second period, missing values and their
 * fallbacks), the calendar and frequency periods, its forward pass
 * against a direct sum, and the zero-shot heads over it (the series'
 * periods, intervals scaled by the head's predicted spread).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <xfcast.h>

#include "encoder_internal.h"
#include "head_internal.h"
#include "pretrain_head.h"
#include "testutil.h"

#define T 40
#define NB XF__PHEAD_NB

/* x [T][2] from values v (NaN = missing) */
static void window(const double *v, float *x)
{
    int t;
    for (t = 0; t < T; t++) {
        x[2 * t] = isnan(v[t]) ? 0.0f : (float)v[t];
        x[2 * t + 1] = isnan(v[t]) ? 0.0f : 1.0f;
    }
}

static void test_inputs(void)
{
    double v[T];
    float x[2 * T], lags[5], base[30 * NB];
    int32_t p[2] = {7, 14};
    int t, h;
    for (t = 0; t < T; t++)
        v[t] = t % 7 + 10 * (t / 7); /* a period-7 pattern on a rising step */
    window(v, x);
    xf__phead_inputs(x, T, 5, p, 30, lags, base);
    for (t = 0; t < 5; t++)
        CHECK(lags[t] == (float)v[T - 1 - t]);
    for (h = 0; h < 30; h++) {
        int k, n = 0;
        double sum = 0;
        /* seasonal naive: the same phase in the last cycle */
        CHECK_MSG(base[h * NB] == (float)v[T - 7 + h % 7], "h %d", h);
        for (k = 0; k < XF__PHEAD_CYCLES; k++) {
            sum += v[T - 7 + h % 7 - 7 * k];
            n++;
        }
        CHECK_MSG(fabs(base[h * NB + 1] - sum / n) < 1e-5, "h %d mean %g", h, base[h * NB + 1]);
        CHECK_MSG(base[h * NB + 2] == (float)v[T - 14 + h % 14], "h %d", h);
    }
    /* missing values: the phase's last observed cycle, then the fallbacks */
    v[T - 7] = NAN; /* phase 0 of the last cycle */
    v[T - 1] = NAN; /* the last value */
    for (t = T - 14 + 3; t >= 0; t -= 14)
        v[t] = NAN; /* period 14, phase 3: every cycle missing (29, 15, 1) */
    window(v, x);
    xf__phead_inputs(x, T, 5, p, 8, lags, base);
    CHECK(lags[0] == 0.0f); /* missing lag: 0 */
    CHECK(lags[1] == (float)v[T - 2]);
    CHECK(base[0] == (float)v[T - 14]);      /* phase 0: one cycle further back */
    CHECK(base[7 * NB] == (float)v[T - 14]); /* step 7 has phase 0 too */
    CHECK(base[3 * NB] == (float)v[T - 7 + 3]);
    CHECK(base[3 * NB + 2] == base[3 * NB]); /* period 14 falls back to the first baseline */
    CHECK(base[4 * NB + 2] == (float)v[T - 14 + 4]);
    /* the seasonal mean skips the missing cycle */
    CHECK(fabs(base[1] - (v[T - 14] + v[T - 21] + v[T - 28]) / 3) < 1e-5);
    /* no period: naive (last observed) and the mean of the last 4 observed */
    p[0] = 1;
    p[1] = 0;
    xf__phead_inputs(x, T, 0, p, 3, NULL, base);
    for (h = 0; h < 3; h++) {
        CHECK(base[h * NB] == (float)v[T - 2]);
        CHECK(fabs(base[h * NB + 1] - (v[T - 2] + v[T - 3] + v[T - 4]) / 3) < 1e-5);
        CHECK(base[h * NB + 2] == base[h * NB]);
    }
    /* a period longer than the window: the naive forecast */
    p[0] = T + 1;
    p[1] = 2 * T;
    xf__phead_inputs(x, T, 0, p, 2, NULL, base);
    CHECK(base[0] == (float)v[T - 2] && base[1] == base[0] && base[2] == base[0]);
    /* nothing observed: zeros */
    for (t = 0; t < T; t++)
        v[t] = NAN;
    window(v, x);
    p[0] = 7;
    p[1] = 0;
    xf__phead_inputs(x, T, 2, p, 2, lags, base);
    for (h = 0; h < 2 * NB; h++)
        CHECK(base[h] == 0.0f);
    CHECK(lags[0] == 0.0f && lags[1] == 0.0f);
}

static void test_periods(void)
{
    int32_t p[2];
    xf_freq f;
    memset(&f, 0, sizeof f);
    xf__phead_periods_calendar("hourly", p);
    CHECK(p[0] == 24 && p[1] == 168);
    xf__phead_periods_calendar("half-hourly", p);
    CHECK(p[0] == 48 && p[1] == 336);
    xf__phead_periods_calendar("monthly", p);
    CHECK(p[0] == 12 && p[1] == 0);
    xf__phead_periods_calendar("none", p);
    CHECK(p[0] == 1 && p[1] == 0);
    xf__phead_periods_calendar("fortnightly", p);
    CHECK(p[0] == 1 && p[1] == 0);
    /* the frequency maps onto the same table */
    f.kind = XF_FREQ_FIXED;
    f.step = 3600 * XF_TIME_US_PER_SEC;
    xf__phead_periods_freq(f, p);
    CHECK(p[0] == 24 && p[1] == 168);
    f.step = 1800 * XF_TIME_US_PER_SEC;
    xf__phead_periods_freq(f, p);
    CHECK(p[0] == 48 && p[1] == 336);
    f.step = 600 * XF_TIME_US_PER_SEC; /* 10 minutes: 144 a day */
    xf__phead_periods_freq(f, p);
    CHECK(p[0] == 144 && p[1] == 1008);
    f.step = XF_TIME_US_PER_DAY;
    xf__phead_periods_freq(f, p);
    CHECK(p[0] == 7 && p[1] == 365);
    f.step = 7 * XF_TIME_US_PER_DAY;
    xf__phead_periods_freq(f, p);
    CHECK(p[0] == 52 && p[1] == 0);
    f.step = 7 * 3600 * XF_TIME_US_PER_SEC; /* 7 hours: no calendar */
    xf__phead_periods_freq(f, p);
    CHECK(p[0] == 1 && p[1] == 0);
    f.kind = XF_FREQ_BDAY;
    f.step = 1;
    xf__phead_periods_freq(f, p);
    CHECK(p[0] == 5 && p[1] == 0);
    f.kind = XF_FREQ_MONTH;
    f.step = 3;
    xf__phead_periods_freq(f, p);
    CHECK(p[0] == 4 && p[1] == 0);
    f.kind = XF_FREQ_UNKNOWN;
    xf__phead_periods_freq(f, p);
    CHECK(p[0] == 1 && p[1] == 0);
}

/* The forward pass against the sum written out, with backcast rows. */
static void test_forward(void)
{
    enum { E = 3, L = 2, NQ = 2, HF = 3, HB = 2, N = 2 };
    size_t O = NQ * HF + HB, i, o, j;
    float W[(NQ * HF + HB) * (E + L)], A[NQ * HF * NB], U[NB * E], b[NQ * HF + HB];
    float emb[N * E], lags[N * L], base[N * HF * NB], z[N * (E + L)], y[N * (NQ * HF + HB)];
    xf__phead hd = {.kind = XF__PHEAD_SEASONAL,
                    .E = E,
                    .L = L,
                    .nq = NQ,
                    .Hf = HF,
                    .Hb = HB,
                    .W = W,
                    .A = A,
                    .U = U,
                    .b = b};
    for (i = 0; i < sizeof W / sizeof W[0]; i++)
        W[i] = (float)((int)(i * 7 % 11) - 5) / 8.0f;
    for (i = 0; i < sizeof A / sizeof A[0]; i++)
        A[i] = (float)((int)(i * 5 % 7) - 3) / 4.0f;
    for (i = 0; i < O; i++)
        b[i] = (float)i / 16.0f;
    for (i = 0; i < NB * E; i++)
        U[i] = (float)((int)(i % 4) - 1) / 8.0f;
    for (i = 0; i < N * E; i++)
        emb[i] = (float)i / 4.0f - 1.0f;
    for (i = 0; i < N * L; i++)
        lags[i] = (float)i / 2.0f;
    for (i = 0; i < N * HF * NB; i++)
        base[i] = (float)(i % 5) - 2.0f;
    CHECK(xf__phead_outputs(&hd) == O);
    xf__phead_forward(&hd, N, emb, lags, base, z, y);
    for (i = 0; i < N; i++)
        for (o = 0; o < O; o++) {
            double want = b[o];
            for (j = 0; j < E; j++)
                want += (double)W[o * (E + L) + j] * emb[i * E + j];
            for (j = 0; j < L; j++)
                want += (double)W[o * (E + L) + E + j] * lags[i * L + j];
            if (o < NQ * HF)
                for (j = 0; j < NB; j++) {
                    double g = 0;
                    size_t k;
                    for (k = 0; k < E; k++)
                        g += (double)U[j * E + k] * emb[i * E + k];
                    want += ((double)A[o * NB + j] + g) * base[(i * HF + o % HF) * NB + j];
                }
            CHECK_MSG(fabs(y[i * O + o] - want) < 1e-5, "window %zu output %zu: %g vs %g", i, o,
                      (double)y[i * O + o], want);
        }
}

/* An encoder whose seasonal head is exactly the seasonal naive of its
 * first period (baseline weight 1, nothing else) at the median; quantile
 * q_j adds spread * (q_j - 0.5) normalised units to it. */
static xf_encoder *snaive_encoder(const double *q, size_t nq, float spread)
{
    enum { H = 24 };
    xf_encoder_config cfg;
    xf_encoder *enc = NULL;
    xf_error err;
    float *W, *U, *A, *b;
    size_t E, i, j;
    xf_encoder_config_init(&cfg, XF_ARCH_TCN);
    cfg.context = 96;
    cfg.n_channels = 4;
    cfg.n_blocks = 6;
    CHECK(xf_encoder_new(&cfg, 3, &enc, &err) == XF_OK);
    if (enc == NULL)
        return NULL;
    xf_encoder_set_name(enc, "snaive");
    E = xf_encoder_embed_size(enc);
    W = calloc(nq * H * (E + 4), sizeof *W);
    U = calloc((size_t)NB * E, sizeof *U);
    A = calloc(nq * H * NB, sizeof *A);
    b = calloc(nq * H, sizeof *b);
    if (W != NULL && U != NULL && A != NULL && b != NULL) {
        for (j = 0; j < nq; j++)
            for (i = 0; i < H; i++) {
                A[(j * H + i) * NB] = 1.0f;
                b[j * H + i] = spread * (float)(q[j] - 0.5);
            }
        CHECK(xf__encoder_set_phead(enc, XF__PHEAD_SEASONAL, H, 4, (int32_t)nq, q, W, A, U, b) ==
              XF_OK);
        CHECK(xf_encoder_head_kind(enc) == XF_ENCODER_HEAD_SEASONAL);
    } else {
        CHECK(!"out of memory");
    }
    free(W);
    free(U);
    free(A);
    free(b);
    return enc;
}

/* An hourly series of n values: a daily cycle with a bump, a slow trend
 * and (noise > 0) noise whose size triples for the last third. */
static xf_panel *hourly_panel(size_t n, double noise, double *y)
{
    xf_panel *panel = NULL;
    xf_error err;
    xf_freq f;
    xf_time *t = malloc(n * sizeof *t);
    uint32_t state = 99;
    size_t i;
    memset(&f, 0, sizeof f);
    f.kind = XF_FREQ_FIXED;
    f.step = 3600 * XF_TIME_US_PER_SEC;
    for (i = 0; t != NULL && i < n; i++) {
        state = state * 1664525u + 1013904223u;
        t[i] = (xf_time)i * f.step;
        y[i] = 50 + 10 * sin(2 * M_PI * (double)(i % 24) / 24) + (i % 24 == 7 ? 6 : 0) +
               0.05 * (double)(i / 24) +
               noise * (i >= 2 * n / 3 ? 3 : 1) * ((double)(state >> 8) / (1 << 24) - 0.5);
    }
    CHECK(t != NULL && xf_panel_new(NULL, 0, &panel, &err) == XF_OK);
    if (panel != NULL)
        CHECK(xf_panel_add_series(panel, "load", n, t, f, y, NULL, &err) == XF_OK);
    free(t);
    return panel;
}

static void temp_file(char *path, size_t n)
{
    int fd;
    snprintf(path, n, "/tmp/xf_test_phead_XXXXXX");
    fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
}

/* A zero-shot head over the seasonal-naive encoder: on hourly data its
 * forecasts are the values one day back, so the head passes the series'
 * periods (24 from the hourly frequency) through normalisation and back;
 * they survive saving and loading the head.  The head's quantiles are all
 * its median here (no spread): the errors are scaled by the floor. */
static void test_zeroshot_head(void)
{
    enum { N = 24 * 30, H = 24 };
    const double q[3] = {0.1, 0.5, 0.9};
    xf_encoder *enc = snaive_encoder(q, 3, 0.0f);
    xf_panel *panel = NULL;
    xf_head *head = NULL, *back = NULL;
    xf_head_options ho;
    xf_head_workspace *ws = NULL;
    xf_error err;
    double y[N], mean[H], lo[2 * H], hi[2 * H];
    size_t i;
    char path[64];
    if (enc == NULL)
        return;
    temp_file(path, sizeof path);
    panel = hourly_panel(N, 0.0, y);
    xf_head_options_init(&ho);
    ho.horizon = H;
    CHECK_MSG(xf_head_zeroshot(panel, enc, &ho, &head, &err) == XF_OK, "%s", err.message);
    if (head == NULL)
        goto done;
    CHECK(xf_head_save(head, path, &err) == XF_OK);
    CHECK_MSG(xf_head_load(path, &back, &err) == XF_OK, "%s", err.message);
    CHECK(back != NULL && xf_head_attach_encoders(back, &enc, 1, &err) == XF_OK);
    for (i = 0; i < 2; i++) {
        const xf_head *hd = i == 0 ? head : back;
        size_t k;
        if (hd == NULL)
            continue;
        CHECK(xf_head_workspace_new(hd, &ws, &err) == XF_OK);
        CHECK_MSG(xf_head_forecast(hd, ws, panel, 0, N, H, NULL, mean, lo, hi, &err) == XF_OK, "%s",
                  err.message);
        for (k = 0; k < H; k++) {
            CHECK_MSG(fabs(mean[k] - y[N - 24 + k]) < 1e-3 * fabs(y[N - 24 + k]),
                      "%s head, step %zu: %g, seasonal naive %g", i ? "loaded" : "new", k, mean[k],
                      y[N - 24 + k]);
            CHECK(isfinite(lo[k]) && isfinite(hi[k]) && lo[k] <= hi[k]);
        }
        xf_head_workspace_free(ws);
        ws = NULL;
    }
done:
    unlink(path);
    xf_head_free(head);
    xf_head_free(back);
    xf_panel_free(panel);
    xf_encoder_free(enc);
}

/* Normalised conformal: a zero-shot head whose pretraining head has 0.1 and
 * 0.9 quantiles scales each origin's errors by their distance (stored as
 * head.zs_interval_scale = 1, layout 3).  A constant factor on that spread
 * is absorbed by the calibration: three times the spread, the same
 * intervals.  A head file that asks for it over an encoder without those
 * quantiles is refused, as is a value other than 0 or 1. */
static void test_zeroshot_width(void)
{
    enum { N = 24 * 40, H = 24 };
    const double q[3] = {0.1, 0.5, 0.9}, q2[3] = {0.25, 0.5, 0.75};
    xf_encoder *e1 = snaive_encoder(q, 3, 1.0f), *e3 = snaive_encoder(q, 3, 3.0f),
               *eq = snaive_encoder(q2, 3, 1.0f);
    xf_panel *panel = NULL;
    xf_head *h1 = NULL, *h3 = NULL, *hq = NULL, *back = NULL;
    xf_head_options ho;
    xf_head_workspace *ws = NULL;
    xf_xfm *mf = NULL;
    xf_error err;
    double y[N], out[3][5 * H];
    size_t i, k;
    uint32_t fmt = 0;
    int64_t v = -1;
    char path[64] = "";
    if (e1 == NULL || e3 == NULL || eq == NULL)
        goto done;
    temp_file(path, sizeof path);
    panel = hourly_panel(N, 4.0, y);
    xf_head_options_init(&ho);
    ho.horizon = H;
    CHECK_MSG(xf_head_zeroshot(panel, e1, &ho, &h1, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(xf_head_zeroshot(panel, e3, &ho, &h3, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(xf_head_zeroshot(panel, eq, &ho, &hq, &err) == XF_OK, "%s", err.message);
    if (h1 == NULL || h3 == NULL || hq == NULL)
        goto done;
    CHECK(xf_head_save(h1, path, &err) == XF_OK);
    CHECK(xf_xfm_load(path, &mf, &err) == XF_OK);
    if (mf != NULL) {
        CHECK(xf_xfm_get_u32(mf, "head.format", &fmt, NULL) == XF_OK && fmt == 3);
        CHECK(xf_xfm_get_i64(mf, "head.zs_interval_scale", &v, NULL) == XF_OK && v == 1);
    }
    CHECK_MSG(xf_head_load(path, &back, &err) == XF_OK, "%s", err.message);
    CHECK(back != NULL && xf_head_attach_encoders(back, &e1, 1, &err) == XF_OK);
    for (i = 0; i < 3; i++) {
        const xf_head *hd = i == 0 ? h1 : i == 1 ? h3 : back;
        double *m = out[i], *lo = m + H, *hi = lo + 2 * H;
        if (hd == NULL || xf_head_workspace_new(hd, &ws, &err) != XF_OK)
            continue;
        CHECK_MSG(xf_head_forecast(hd, ws, panel, 0, N, H, NULL, m, lo, hi, &err) == XF_OK, "%s",
                  err.message);
        for (k = 0; k < H; k++)
            CHECK(lo[H + k] < lo[k] && lo[k] < m[k] && m[k] < hi[k] && hi[k] < hi[H + k]);
        xf_head_workspace_free(ws);
        ws = NULL;
    }
    for (k = 0; k < 5 * H; k++) {
        CHECK_MSG(fabs(out[1][k] - out[0][k]) <= 1e-6 * fabs(out[0][k]), /* float32 head */
                  "value %zu: %.12g with 3x the spread, %.12g", k, out[1][k], out[0][k]);
        CHECK_MSG(out[2][k] == out[0][k], "value %zu: loaded %.17g, %.17g", k, out[2][k],
                  out[0][k]);
    }
    xf_head_free(back);
    back = NULL;

    /* a value other than 0 or 1 */
    if (mf != NULL) {
        CHECK(xf_xfm_set_i64(mf, "head.zs_interval_scale", 2) == XF_OK);
        CHECK(xf_xfm_save(mf, path, &err) == XF_OK);
        CHECK_INT(xf_head_load(path, &back, &err), XF_EFORMAT);
        CHECK_MSG(strstr(err.message, "head.zs_interval_scale") != NULL, "%s", err.message);
        xf_xfm_free(mf);
        mf = NULL;
    }
    /* without 0.1 and 0.9 quantiles: the window's scale, as before (layout
     * 1, no key); a file that asks for the spread is refused at attach */
    CHECK(xf_head_save(hq, path, &err) == XF_OK);
    CHECK(xf_xfm_load(path, &mf, &err) == XF_OK);
    if (mf != NULL) {
        CHECK(xf_xfm_get_u32(mf, "head.format", &fmt, NULL) == XF_OK && fmt < 3);
        CHECK(xf_xfm_get_i64(mf, "head.zs_interval_scale", &v, NULL) == XF_ENOTFOUND);
        CHECK(xf_xfm_set_u32(mf, "head.format", 3) == XF_OK &&
              xf_xfm_set_i64(mf, "head.zs_interval_scale", 1) == XF_OK);
        CHECK(xf_xfm_save(mf, path, &err) == XF_OK);
        CHECK_MSG(xf_head_load(path, &back, &err) == XF_OK, "%s", err.message);
        if (back != NULL) {
            CHECK_INT(xf_head_attach_encoders(back, &eq, 1, &err), XF_EDATA);
            CHECK_MSG(strstr(err.message, "0.1 and 0.9 quantiles") != NULL, "%s", err.message);
        }
    }
done:
    if (path[0])
        unlink(path);
    xf_xfm_free(mf);
    xf_head_free(h1);
    xf_head_free(h3);
    xf_head_free(hq);
    xf_head_free(back);
    xf_panel_free(panel);
    xf_encoder_free(e1);
    xf_encoder_free(e3);
    xf_encoder_free(eq);
}

/* The zero-shot fit calibrates in one pass: each calibration origin's
 * errors in window-scale units (the point forecast is chosen in them) times
 * the origin's `unit` (xf__head_origin_errors) are its errors in units of
 * the predicted spread, the ones a head with zs_width computes directly. */
static void test_zeroshot_units(void)
{
    enum { N = 24 * 40, H = 24, M = 40 };
    const double q[3] = {0.1, 0.5, 0.9};
    xf_encoder *e = snaive_encoder(q, 3, 1.0f);
    xf_panel *panel = NULL;
    xf_head *h = NULL;
    xf_head_options ho;
    xf_error err;
    double y[N], res0[M * H], res1[M * H], unit[M];
    size_t ser[2][M], org[2][M], n0 = 0, n1 = 0, i, k;
    unsigned char late[2][M];
    double worst = 0;
    if (e == NULL)
        return;
    panel = hourly_panel(N, 4.0, y);
    xf_head_options_init(&ho);
    ho.horizon = H;
    CHECK_MSG(xf_head_zeroshot(panel, e, &ho, &h, &err) == XF_OK, "%s", err.message);
    if (h == NULL)
        goto done;
    CHECK(h->zs_width == 1);
    for (i = 0; i < M; i++) {
        ser[0][i] = ser[1][i] = 0;
        org[0][i] = org[1][i] = N - H - 7 * i;
        late[0][i] = late[1][i] = 0;
    }
    CHECK(xf__head_origin_errors(h, panel, ser[1], org[1], late[1], M, 1, res1, NULL, &n1, &err) ==
          XF_OK);
    h->zs_width = 0; /* window-scale units, as the fit's one pass */
    CHECK(xf__head_origin_errors(h, panel, ser[0], org[0], late[0], M, 1, res0, unit, &n0, &err) ==
          XF_OK);
    h->zs_width = 1;
    CHECK_INT(n0, M);
    CHECK_INT(n1, M);
    for (i = 0; i < n0 && i < n1; i++) {
        CHECK(isfinite(unit[i]) && unit[i] > 0);
        for (k = 0; k < H; k++)
            worst = fmax(worst, fabs(res0[i * H + k] * unit[i] - res1[i * H + k]) /
                                    (1.0 + fabs(res1[i * H + k])));
    }
    printf("zero-shot calibration in one pass: max |error x unit - error in spread units| %.2e "
           "(unit %.4g)\n",
           worst, unit[0]);
    CHECK(worst < 1e-9);
    CHECK(fabs(unit[0] - 1.0) > 1e-3); /* the spread is not the window's scale here */
done:
    xf_head_free(h);
    xf_panel_free(panel);
    xf_encoder_free(e);
}

int main(void)
{
    test_inputs();
    test_periods();
    test_forward();
    test_zeroshot_head();
    test_zeroshot_width();
    test_zeroshot_units();
    return tu_report("test_pretrain_head");
}
