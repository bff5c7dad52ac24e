/* test_localmodels.c - unit tests of src/localmodels.c: the Nelder-Mead
 * minimiser, exponential smoothing (exact on series its form describes,
 * fitted parameters and AICc choice on noisy ones, missing values), theta
 * (its closed form), the seasonal decomposition with a day and a week
 * period, forecasts from many origins in one pass equal to one origin at a
 * time, the errors, and the window model of the heads' local features.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localmodels.h"
#include "testutil.h"

typedef struct rng {
    uint64_t s;
} rng;

static double rng_u(rng *r)
{
    r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(r->s >> 11) + 0.5) / 9007199254740992.0;
}

static double rng_norm(rng *r)
{
    double u = rng_u(r), v = rng_u(r);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static double quad(const double *x, void *ctx)
{
    (void)ctx;
    return (x[0] - 1) * (x[0] - 1) + 10 * (x[1] + 2) * (x[1] + 2) + (x[2] - 0.5) * (x[2] - 0.5);
}

static void test_nelder_mead(void)
{
    double x[3] = {0, 0, 0}, f = xf__nelder_mead(quad, NULL, x, 3, 1.0, 2000);
    CHECK_MSG(f < 1e-8, "minimum %g", f);
    CHECK_MSG(fabs(x[0] - 1) < 1e-3 && fabs(x[1] + 2) < 1e-3 && fabs(x[2] - 0.5) < 1e-3, "%g %g %g",
              x[0], x[1], x[2]);
}

/* forecast of steps 1..H from origin o of a fitted model */
static void fc_at(const xf__lm *m, const double *y, size_t n, size_t o, int32_t H, double *out)
{
    xf_error err;
    CHECK_INT(xf__lm_forecast_origins(m, y, n, &o, 1, H, out, &err), XF_OK);
}

static void test_exact_forms(void)
{
    enum { N = 240, H = 24 };
    double y[N], f[H], s12[12];
    xf__ets e;
    xf__lm m;
    xf_error err;
    size_t t;
    int h;
    /* a line: Holt reproduces it whatever its parameters */
    for (t = 0; t < N; t++)
        y[t] = 3 + 2.0 * (double)t;
    memset(&m, 0, sizeof m);
    m.kind = XF__LM_ETS;
    CHECK_INT(xf__ets_fit(y, N, XF__LM_TREND_ADD, XF__LM_SEASON_NONE, 1, &m.ets, &err), XF_OK);
    CHECK_MSG(m.ets.sse < 1e-12, "sse %g", m.ets.sse);
    fc_at(&m, y, N, N, H, f);
    for (h = 0; h < H; h++)
        CHECK_MSG(fabs(f[h] - (3 + 2.0 * (N + h))) < 1e-8, "line h=%d: %.10g", h + 1, f[h]);
    xf__lm_free(&m);
    /* trend + additive season of period 12 */
    for (t = 0; t < 12; t++)
        s12[t] = 5 * sin(6.283185307179586 * (double)t / 12) + (t == 3 ? 4 : 0);
    {
        double mean = 0;
        for (t = 0; t < 12; t++)
            mean += s12[t] / 12;
        for (t = 0; t < 12; t++)
            s12[t] -= mean;
    }
    for (t = 0; t < N; t++)
        y[t] = 10 + 0.5 * (double)t + s12[t % 12];
    memset(&m, 0, sizeof m);
    m.kind = XF__LM_ETS;
    CHECK_INT(xf__ets_fit(y, N, XF__LM_TREND_ADD, XF__LM_SEASON_ADD, 12, &m.ets, &err), XF_OK);
    CHECK_MSG(m.ets.sse < 1e-10, "sse %g", m.ets.sse);
    fc_at(&m, y, N, 200, H, f);
    for (h = 0; h < H; h++)
        CHECK_MSG(fabs(f[h] - (10 + 0.5 * (200 + h) + s12[(200 + h) % 12])) < 1e-8,
                  "season h=%d: %.10g", h + 1, f[h]);
    xf__lm_free(&m);
    /* the damped multiplier: phi + phi^2 + ... on a constant level + trend 0 */
    for (t = 0; t < N; t++)
        y[t] = 7;
    CHECK_INT(xf__ets_fit(y, N, XF__LM_TREND_DAMPED, XF__LM_SEASON_NONE, 1, &e, &err), XF_OK);
    CHECK(e.phi >= 0.8 && e.phi <= 0.98);
    memset(&m, 0, sizeof m);
    m.kind = XF__LM_ETS;
    m.ets = e;
    fc_at(&m, y, N, N, H, f);
    for (h = 0; h < H; h++)
        CHECK_MSG(fabs(f[h] - 7) < 1e-9, "constant h=%d: %.10g", h + 1, f[h]);
    xf__lm_free(&m);
}

/* Noisy series: the fit recovers a level-only model's alpha roughly, AICc
 * picks a seasonal form for seasonal data and none for white noise, and
 * multiplicative seasonality on a growing level is forecast within 3%. */
static void test_fits(void)
{
    enum { N = 600 };
    static double y[N];
    double f[14], l = 50, mae = 0, naive = 0;
    rng r = {11};
    xf__ets e;
    xf_error err;
    xf__lm m;
    size_t t;
    int h;
    /* local level: y = l + eps, l moves by 0.5 x eps (alpha = 0.5) */
    for (t = 0; t < N; t++) {
        double eps = rng_norm(&r);
        y[t] = l + eps;
        l += 0.5 * eps;
    }
    CHECK_INT(xf__ets_fit(y, N, XF__LM_TREND_NONE, XF__LM_SEASON_NONE, 1, &e, &err), XF_OK);
    CHECK_MSG(e.alpha > 0.35 && e.alpha < 0.65, "alpha %g, not about 0.5", e.alpha);
    CHECK_MSG(e.n_fit == N, "%zu", e.n_fit);
    xf__ets_free(&e);
    /* white noise: no season, no trend */
    for (t = 0; t < N; t++)
        y[t] = 20 + rng_norm(&r);
    CHECK_INT(xf__ets_auto(y, N, 7, &e, &err), XF_OK);
    CHECK_MSG(e.season == XF__LM_SEASON_NONE, "season %d on white noise", (int)e.season);
    xf__ets_free(&e);
    /* weekly multiplicative pattern on a growing level */
    for (t = 0; t < N; t++) {
        static const double s7[7] = {1.2, 1.1, 1.0, 1.0, 1.05, 0.8, 0.85};
        y[t] = (100 + 0.2 * (double)t) * s7[t % 7] * (1 + 0.01 * rng_norm(&r));
    }
    CHECK_INT(xf__ets_auto(y, 560, 7, &e, &err), XF_OK);
    CHECK_MSG(e.season != XF__LM_SEASON_NONE, "no season chosen for a weekly pattern");
    memset(&m, 0, sizeof m);
    m.kind = XF__LM_ETS;
    m.ets = e;
    fc_at(&m, y, N, 560, 14, f);
    for (h = 0; h < 14; h++) {
        mae += fabs(f[h] - y[560 + h]) / 14;
        naive += fabs(y[559] - y[560 + h]) / 14;
        CHECK_MSG(fabs(f[h] / y[560 + h] - 1) < 0.03, "h=%d: %g vs %g", h + 1, f[h], y[560 + h]);
    }
    CHECK_MSG(mae < 0.2 * naive, "ETS MAE %g, naive %g", mae, naive);
    xf__lm_free(&m);
    /* missing values are skipped: forecasts stay finite and close */
    for (t = 100; t < 560; t += 9)
        y[t] = NAN;
    CHECK_INT(xf__lm_fit(XF__LM_ETS, y, 560, (const int32_t[]){7}, 1, &m, &err), XF_OK);
    fc_at(&m, y, N, 560, 14, f);
    for (h = 0; h < 14; h++)
        CHECK_MSG(isfinite(f[h]) && fabs(f[h] / y[560 + h] - 1) < 0.05, "NaN h=%d: %g", h + 1,
                  f[h]);
    xf__lm_free(&m);
}

/* Theta on a non-seasonal series: SES level plus half the slope, in the
 * closed form of forecast::thetaf. */
static void test_theta(void)
{
    enum { N = 300, H = 10 };
    double y[N], f[H], lv;
    rng r = {5};
    xf__lm m;
    xf_error err;
    size_t t;
    int h;
    for (t = 0; t < N; t++)
        y[t] = 5 + 0.3 * (double)t + rng_norm(&r);
    CHECK_INT(xf__lm_fit(XF__LM_THETA, y, N, NULL, 0, &m, &err), XF_OK);
    CHECK_INT(m.np, 0);
    CHECK_MSG(fabs(m.drift - 0.15) < 0.01, "drift %g, not about 0.3 / 2", m.drift);
    fc_at(&m, y, N, N, H, f);
    /* the SES level at the end, by the recursion */
    lv = y[0];
    for (t = 0; t < N; t++)
        lv = m.ets.alpha * y[t] + (1 - m.ets.alpha) * lv;
    for (h = 1; h <= H; h++) {
        double a = m.ets.alpha,
               want = lv + m.drift * ((double)h - 1 + 1 / a - pow(1 - a, (double)N) / a);
        CHECK_MSG(fabs(f[h - 1] - want) < 1e-8, "theta h=%d: %.10g vs %.10g", h, f[h - 1], want);
    }
    xf__lm_free(&m);
}

/* Hourly data with a day and a week profile: the decomposition forecasts a
 * week far better than seasonal naive at 24. */
static void test_decomp(void)
{
    enum { N = 24 * 7 * 12, H = 168 };
    static double y[N];
    double f[H], e_dec = 0, e_sn = 0;
    const int32_t per[2] = {24, 168};
    rng r = {3};
    xf__lm m;
    xf_error err;
    size_t t, o = N - H;
    int h;
    for (t = 0; t < N; t++) {
        double day = 10 * sin(6.283185307179586 * (double)(t % 24) / 24);
        double week = (t / 24) % 7 >= 5 ? -15 : 3;
        y[t] = 100 + 0.01 * (double)t + day + week + rng_norm(&r);
    }
    CHECK_INT(xf__lm_fit(XF__LM_DECOMP, y, o, per, 2, &m, &err), XF_OK);
    CHECK_INT(m.np, 2);
    fc_at(&m, y, N, o, H, f);
    for (h = 0; h < H; h++) {
        e_dec += fabs(f[h] - y[o + (size_t)h]) / H;
        e_sn += fabs(y[o - 24 + (size_t)(h % 24)] - y[o + (size_t)h]) / H;
    }
    CHECK_MSG(e_dec < 1.6 && e_dec < 0.3 * e_sn, "decomposition MAE %g, seasonal naive %g", e_dec,
              e_sn);
    xf__lm_free(&m);
}

/* One pass over many origins = one origin at a time; origins out of order
 * are not allowed, so they are given sorted, repeated ones answered twice. */
static void test_origins(void)
{
    enum { N = 400, H = 12, K = 5 };
    double y[N], all[K * H], one[H];
    const size_t o[K] = {30, 100, 100, 257, 400};
    const int32_t per[1] = {12};
    rng r = {9};
    xf__lm m;
    xf_error err;
    size_t t, j;
    int kind, h;
    for (t = 0; t < N; t++)
        y[t] = 50 + 10 * sin(6.283185307179586 * (double)t / 12) + 0.05 * (double)t + rng_norm(&r);
    for (kind = 0; kind < XF__LM_N; kind++) {
        CHECK_INT(xf__lm_fit((xf__lm_kind)kind, y, 300, per, 1, &m, &err), XF_OK);
        CHECK_INT(xf__lm_forecast_origins(&m, y, N, o, K, H, all, &err), XF_OK);
        for (j = 0; j < K; j++) {
            fc_at(&m, y, N, o[j], H, one);
            for (h = 0; h < H; h++)
                CHECK_MSG(all[j * H + (size_t)h] == one[h] && isfinite(one[h]),
                          "%s origin %zu h=%d: %g vs %g", xf__lm_kind_name((xf__lm_kind)kind), o[j],
                          h + 1, all[j * H + (size_t)h], one[h]);
        }
        xf__lm_free(&m);
    }
}

static void test_errors(void)
{
    double y[20], neg[40];
    const int32_t bad = 1, big = 20000;
    xf__ets e;
    xf__lm m;
    xf_error err;
    size_t t;
    for (t = 0; t < 20; t++)
        y[t] = (double)t;
    for (t = 0; t < 40; t++)
        neg[t] = t % 2 ? -1.0 : 1.0;
    CHECK_INT(xf__ets_fit(y, 20, XF__LM_TREND_NONE, XF__LM_SEASON_ADD, 12, &e, &err), XF_EDATA);
    CHECK_MSG(strstr(err.message, "needs 24 values") != NULL, "%s", err.message);
    CHECK_INT(xf__ets_fit(neg, 40, XF__LM_TREND_NONE, XF__LM_SEASON_MUL, 4, &e, &err), XF_EDATA);
    CHECK_MSG(strstr(err.message, "positive") != NULL, "%s", err.message);
    CHECK_INT(xf__ets_fit(y, 2, XF__LM_TREND_NONE, XF__LM_SEASON_NONE, 1, &e, &err), XF_EDATA);
    CHECK_INT(xf__lm_fit(XF__LM_DECOMP, y, 20, &bad, 1, &m, &err), XF_EINVAL);
    CHECK_INT(xf__lm_fit(XF__LM_DECOMP, y, 20, &big, 1, &m, &err), XF_EINVAL);
    /* a period the data does not hold twice is left out, not an error */
    CHECK_INT(xf__lm_fit(XF__LM_DECOMP, y, 20, (const int32_t[]){12}, 1, &m, &err), XF_OK);
    CHECK_INT(m.np, 0);
    xf__lm_free(&m);
    CHECK_INT(xf__lm_fit(XF__LM_ETS, y, 20, NULL, 0, &m, &err), XF_OK);
    CHECK_INT(xf__lm_forecast_origins(&m, y, 20, (const size_t[]){20}, 1, 0, neg, &err), XF_EINVAL);
    xf__lm_free(&m);
}

/* test_localmodels --forecast FILE H M: for each line of FILE (the values
 * of one series, comma-separated), fit every local model on all but its
 * last H values (period M) and print "series,model,step,forecast" lines:
 * the other half of tests/test_localmodels_r.sh, which compares them with
 * R's forecast package. */
/* The window model of the local baseline / features: exact on a level plus
 * day and week profiles, follows a trend, skips missing values, refuses
 * fewer than 3 observed values, and depends on the window alone. */
static void test_window(void)
{
    enum { N = 1008, H = 48, D = 24, W = 168 };
    static double y[N], work[4 * N + 2 + D + W + 2 * W], f[H], g[H];
    const int32_t per[2] = {W, D};
    double day[D], week[7];
    size_t t, w;
    int64_t h;
    rng r = {99};
    for (t = 0; t < D; t++)
        day[t] = 5 * sin(6.283185307179586 * (double)t / D);
    for (t = 0; t < 7; t++)
        week[t] = t >= 5 ? -3.0 : 0.6;
    CHECK_INT((int)xf__lm_window_work(N, per, 2), 4 * N + 2 + D + W + 2 * W);
    CHECK_INT((int)xf__lm_window_length(10, per, 2), 10);
    CHECK_INT((int)xf__lm_window_length(100000, per, 2), 3 * W);
    CHECK_INT((int)xf__lm_window_length(100000, NULL, 0), XF__LM_WIN_MIN);
    /* a constant level with a day and a week profile: forecast exactly */
    for (t = 0; t < N; t++)
        y[t] = 100 + day[t % D] + week[(t / D) % 7] - (week[0] * 5 + week[5] * 2) / 7.0;
    CHECK_INT(xf__lm_window_forecast(y, N, per, 2, H, work, f), 0);
    for (h = 0; h < H; h++)
        CHECK_NEAR(f[h], y[(N + (size_t)h) % W], 1e-6);
    /* noise: the profiles average it out, better than the seasonal naive */
    {
        double e_lm = 0, e_sn = 0;
        for (t = 0; t < N; t++)
            y[t] = 100 + day[t % D] + 2 * rng_norm(&r);
        CHECK_INT(xf__lm_window_forecast(y, N - H, per + 1, 1, H, work, f), 0);
        for (h = 0; h < H; h++) {
            double truth = 100 + day[(N - H + (size_t)h) % D];
            e_lm += fabs(f[h] - truth);
            e_sn += fabs(y[N - H - D + (size_t)h % D] - truth);
        }
        CHECK_MSG(e_lm < 0.5 * e_sn, "window model %g vs seasonal naive %g", e_lm, e_sn);
    }
    /* a linear trend without season: the damped trend follows it (beats
     * the flat forecast of simple smoothing by AIC) */
    for (t = 0; t < 300; t++)
        y[t] = 10 + 0.5 * (double)t;
    CHECK_INT(xf__lm_window_forecast(y, 300, NULL, 0, 5, work, f), 0);
    /* damped (phi 0.9): above the last value, short of the straight line */
    CHECK_MSG(f[0] > y[299] + 0.1 && f[0] <= y[299] + 0.5 + 1e-9, "trend step 1: %g after %g", f[0],
              y[299]);
    CHECK(f[4] > f[0]);
    /* missing values are skipped: the same forecast with a gap inside a
     * flat series; nothing but the window matters */
    for (t = 0; t < 300; t++)
        y[t] = 7;
    y[150] = NAN;
    CHECK_INT(xf__lm_window_forecast(y, 300, NULL, 0, 3, work, f), 0);
    for (h = 0; h < 3; h++)
        CHECK_NEAR(f[h], 7, 1e-12);
    for (t = 0; t < N; t++)
        y[t] = rng_norm(&r);
    w = xf__lm_window_length(N, per, 2);
    CHECK_INT(xf__lm_window_forecast(y + N - w, w, per, 2, H, work, f), 0);
    y[0] = 1e9; /* before the window: no effect */
    CHECK_INT(xf__lm_window_forecast(y + N - w, w, per, 2, H, work, g), 0);
    CHECK(memcmp(f, g, sizeof f) == 0);
    /* too few observed values */
    y[0] = NAN;
    y[1] = 1;
    y[2] = NAN;
    y[3] = 2;
    f[0] = 42;
    CHECK_INT(xf__lm_window_forecast(y, 4, NULL, 0, 1, work, f), -1);
    CHECK_NEAR(f[0], 42, 0);
}

static int forecast_file(const char *path, int32_t H, int32_t M)
{
    static char line[1 << 16];
    static double y[1 << 13], f[1 << 10];
    FILE *fp = fopen(path, "r");
    int s = 0, kind;
    if (fp == NULL || H < 1 || H > (1 << 10) || M < 1) {
        fprintf(stderr, "test_localmodels: cannot read %s or bad H/M\n", path);
        if (fp != NULL)
            fclose(fp);
        return 2;
    }
    printf("series,model,step,forecast\n");
    while (fgets(line, sizeof line, fp) != NULL) {
        char *p = line, *e;
        size_t n = 0, o;
        while (n < sizeof y / sizeof y[0]) {
            double v = strtod(p, &e);
            if (e == p)
                break;
            y[n++] = v;
            p = *e == ',' ? e + 1 : e;
        }
        s++;
        if (n <= (size_t)H + 3)
            continue;
        o = n - (size_t)H;
        for (kind = 0; kind < XF__LM_N; kind++) {
            xf__lm m;
            xf_error err;
            int h;
            if (xf__lm_fit((xf__lm_kind)kind, y, o, M > 1 ? &M : NULL, M > 1 ? 1 : 0, &m, &err) !=
                    XF_OK ||
                xf__lm_forecast_origins(&m, y, o, &o, 1, H, f, &err) != XF_OK) {
                fprintf(stderr, "series %d %s: %s\n", s, xf__lm_kind_name((xf__lm_kind)kind),
                        err.message);
                xf__lm_free(&m);
                continue;
            }
            for (h = 0; h < H; h++)
                printf("%d,%s,%d,%.10g\n", s, xf__lm_kind_name((xf__lm_kind)kind), h + 1, f[h]);
            xf__lm_free(&m);
        }
    }
    fclose(fp);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--forecast") == 0)
        return forecast_file(argv[2], (int32_t)atoi(argv[3]), (int32_t)atoi(argv[4]));
    test_nelder_mead();
    test_exact_forms();
    test_fits();
    test_theta();
    test_decomp();
    test_origins();
    test_errors();
    test_window();
    return tu_report("test_localmodels");
}
