/* head_testutil.h - what the head tests share (test_panel, test_head_fit,
 * test_head_file, test_head_update, test_head_forecast, test_backtest,
 * test_featurize): a small random GRU, hourly sine panels, options of the
 * small heads, fitting and forecasting helpers, temporary files and the
 * save/load round trip.
 *
 * Most tests use the small GRU (1 x 8, context 64) and panels of a few
 * thousand values so that each program runs in seconds.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_HEAD_TESTUTIL_H
#define XF_HEAD_TESTUTIL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xfcast.h>

#include "testutil.h"

#define HOUR_US (3600 * XF_TIME_US_PER_SEC)
#define TWO_PI 6.283185307179586
#define N_SINE 600 /* values per series of the sine panel */
#define H_SMALL 12 /* horizon of the small heads */
#define L_SMALL 24 /* lags of the small heads */
#define MAX_H 128  /* largest horizon any test forecasts */

static const xf_freq hourly = {XF_FREQ_FIXED, HOUR_US, 0};
static xf_time t_start; /* 2024-01-01T00:00:00Z, a Monday */
static xf_encoder *gru; /* small random GRU used by most tests (ht_init; owned by main) */
static const char *ht_prog = "test_head"; /* the program, for messages (ht_init) */

/* ------------------------------------------------------------ helpers */

/* Fixtures must build: a failure there is a hard error (exit 99), not a
 * failed check. */
static inline void need(int ok, const char *what, const xf_error *err)
{
    if (ok)
        return;
    fprintf(stderr, "%s: cannot build fixture (%s): %s\n", ht_prog, what,
            err != NULL ? err->message : "");
    exit(99);
}

/* splitmix64: a small deterministic generator, and normal deviates. */
typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline double rng_unif(rng *r) /* in (0, 1] */
{
    return ((double)(rng_next(r) >> 11) + 1.0) * 0x1.0p-53;
}

static inline double rng_norm(rng *r)
{
    double u1 = rng_unif(r), u2 = rng_unif(r);
    return sqrt(-2.0 * log(u1)) * cos(TWO_PI * u2);
}

static inline void hourly_times(xf_time *t, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        t[i] = t_start + (xf_time)i * HOUR_US;
}

/* Noise-free value of sine series s at step t: 10 + 3 sin(2 pi (t + 4s) / 24). */
static inline double sine_truth(size_t s, size_t t)
{
    return 10.0 + 3.0 * sin(TWO_PI * (double)(t + 4 * s) / 24.0);
}

/* A panel of n_series hourly sines of n values plus normal noise of
 * standard deviation `noise`. */
static inline xf_panel *sine_panel(size_t n_series, size_t n, double noise, uint64_t seed)
{
    xf_panel *p = NULL;
    xf_time *t = malloc(n * sizeof *t);
    double *y = malloc(n * sizeof *y);
    rng r = {seed};
    xf_error err;
    size_t s, k;
    char id[32];
    need(t != NULL && y != NULL, "sine panel arrays", NULL);
    hourly_times(t, n);
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "sine panel", &err);
    for (s = 0; s < n_series; s++) {
        for (k = 0; k < n; k++)
            y[k] = sine_truth(s, k) + noise * rng_norm(&r);
        snprintf(id, sizeof id, "sine%zu", s);
        need(xf_panel_add_series(p, id, n, t, hourly, y, NULL, &err) == XF_OK, "sine series", &err);
    }
    free(t);
    free(y);
    return p;
}

/* A panel of 2 hourly sines with one covariate "c" (noise), from seed. */
static inline xf_panel *cov_sine_panel(uint64_t seed)
{
    const char *names[1] = {"c"};
    xf_panel *p = NULL;
    xf_time t[N_SINE];
    double y[N_SINE], c[N_SINE];
    const double *cov[1] = {c};
    rng r = {seed};
    xf_error err;
    size_t s, k;
    hourly_times(t, N_SINE);
    need(xf_panel_new(names, 1, &p, &err) == XF_OK, "covariate panel", &err);
    for (s = 0; s < 2; s++) {
        for (k = 0; k < N_SINE; k++) {
            y[k] = sine_truth(s, k) + 0.3 * rng_norm(&r);
            c[k] = rng_norm(&r);
        }
        need(xf_panel_add_series(p, s ? "b" : "a", N_SINE, t, hourly, y, cov, &err) == XF_OK,
             "covariate series", &err);
    }
    return p;
}

/* Options of the small heads: 12 steps, 24 lags, few windows, the
 * encoders' embeddings always used (by default the fit may drop them when
 * they do not help on the held-out origins; most tests need them) and no
 * local model features (the tests count columns; test_head_update and
 * test_local_model_cli.sh switch them on). */
static inline void small_opts(xf_head_options *o)
{
    xf_head_options_init(o);
    o->horizon = H_SMALL;
    o->n_lags = L_SMALL;
    o->max_windows = 1500;
    o->embedding = 1;
    o->local_model = 0;
}

/* Fit, checking success; NULL on failure. */
static inline xf_head *fit_ok(const xf_panel *p, xf_encoder *const *encs, size_t n_enc,
                              const xf_head_options *o, const char *what)
{
    xf_head *h = NULL;
    xf_error err;
    int rc = xf_head_fit(p, encs, n_enc, o, &h, &err);
    CHECK_MSG(rc == XF_OK && h != NULL, "fit %s: %d %s", what, rc, err.message);
    return rc == XF_OK ? h : NULL;
}

/* One forecast with a fresh workspace; returns the status. */
static inline int forecast(const xf_head *h, const xf_panel *p, size_t i, size_t origin,
                           int32_t horizon, xf_time *t, double *mean, double *lo, double *hi,
                           xf_error *err)
{
    xf_head_workspace *ws = NULL;
    int rc = xf_head_workspace_new(h, &ws, err);
    if (rc != XF_OK)
        return rc;
    rc = xf_head_forecast(h, ws, p, i, origin, horizon, t, mean, lo, hi, err);
    xf_head_workspace_free(ws);
    return rc;
}

/* Mean absolute error of a head's forecasts from `origin` for the first
 * n_s series of p against the noise-free sines (NAN when a forecast fails). */
static inline double sine_mae(const xf_head *h, const xf_panel *p, size_t n_s, size_t origin)
{
    double mean[H_SMALL], mae = 0;
    xf_error err;
    size_t s, k;
    for (s = 0; s < n_s; s++) {
        if (forecast(h, p, s, origin, H_SMALL, NULL, mean, NULL, NULL, &err) != XF_OK)
            return NAN;
        for (k = 0; k < H_SMALL; k++)
            mae += fabs(mean[k] - sine_truth(s, origin + k));
    }
    return mae / (double)(n_s * H_SMALL);
}

static inline int all_finite(const double *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

static inline double meta_f64(const xf_head *h, const char *key)
{
    double v = NAN;
    if (xf_xfm_get_f64(xf_head_meta(h), key, &v, NULL) != XF_OK)
        return NAN;
    return v;
}

/* A unique temporary file name under /tmp (the file is created empty). */
static inline void temp_path(char *buf, size_t n)
{
    int fd;
    snprintf(buf, n, "/tmp/xf_test_head_XXXXXX");
    fd = mkstemp(buf);
    need(fd >= 0, "temporary file", NULL);
    close(fd);
}

static inline unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long sz = 0;
    need(f != NULL, path, NULL);
    need(fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0, path,
         NULL);
    buf = malloc((size_t)sz);
    need(buf != NULL && fread(buf, 1, (size_t)sz, f) == (size_t)sz, path, NULL);
    fclose(f);
    *len = (size_t)sz;
    return buf;
}

static inline void write_all(const char *path, const unsigned char *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    need(f != NULL && fwrite(buf, 1, len, f) == len && fclose(f) == 0, path, NULL);
}

/* Set up what every head test needs: the program name for messages, one
 * BLAS thread (bit-identical results across threads), t_start and the small
 * GRU (the caller frees it with xf_encoder_free(gru)). */
static inline void ht_init(const char *prog)
{
    static const char t0[] = "2024-01-01T00:00:00Z";
    xf_encoder_config cfg;
    xf_error err;
    ht_prog = prog;
    xf_blas_set_threads(1);
    need(xf_time_parse_iso(t0, strlen(t0), &t_start) == XF_OK, "start time", NULL);
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    cfg.context = 64;
    cfg.n_layers = 1;
    cfg.n_hidden = 8;
    need(xf_encoder_new(&cfg, 1, &gru, &err) == XF_OK, "small GRU", &err);
    xf_encoder_set_name(gru, "gru-small");
}

/* The small sine head most tests use: 3 noisy sines, small_opts, the small
 * GRU (NULL when the fit fails, which is a failed check). */
static inline xf_head *ht_sine_head(const xf_panel *sine)
{
    xf_head_options o;
    small_opts(&o);
    return fit_ok(sine, &gru, 1, &o, "sine panel");
}

/* Save h, load it back, attach encs and compare forecasts for every
 * series of panel bit for bit. */
static inline void check_roundtrip(const xf_head *h, xf_encoder *const *encs, size_t n_enc,
                                   const xf_panel *panel, const char *what)
{
    char path[64];
    xf_head *g = NULL;
    xf_head_workspace *ws = NULL;
    xf_error err;
    size_t i, l, H = (size_t)xf_head_horizon(h), L = xf_head_n_levels(h);
    xf_time t1[MAX_H], t2[MAX_H];
    double m1[MAX_H], m2[MAX_H], lo1[2 * MAX_H], lo2[2 * MAX_H], hi1[2 * MAX_H], hi2[2 * MAX_H];
    const char *s1, *s2;

    temp_path(path, sizeof path);
    CHECK_MSG(xf_head_save(h, path, &err) == XF_OK, "%s: %s", what, err.message);
    CHECK_MSG(xf_head_load(path, &g, &err) == XF_OK && g != NULL, "%s: %s", what, err.message);
    if (g == NULL) {
        remove(path);
        return;
    }
    /* what the head is */
    CHECK_INT(xf_head_horizon(g), xf_head_horizon(h));
    CHECK_INT(xf_head_n_features(g), xf_head_n_features(h));
    CHECK_INT(xf_head_n_levels(g), L);
    for (l = 0; l < L; l++)
        CHECK(xf_head_level(g, l) == xf_head_level(h, l));
    CHECK_INT(xf_head_season(g), xf_head_season(h));
    CHECK_INT(xf_head_domain(g), xf_head_domain(h));
    CHECK_INT(xf_head_is_zeroshot(g), xf_head_is_zeroshot(h));
    CHECK_INT(xf_head_n_encoders(g), xf_head_n_encoders(h));
    for (i = 0; i < xf_head_n_encoders(h); i++) {
        CHECK_STR(xf_head_encoder_name(g, i), xf_head_encoder_name(h, i));
        CHECK(xf_head_encoder_fingerprint(g, i) == xf_head_encoder_fingerprint(h, i));
    }
    CHECK_INT(xf_head_n_covariates(g), xf_head_n_covariates(h));
    for (i = 0; i < xf_head_n_covariates(h); i++)
        CHECK_STR(xf_head_covariate_name(g, i), xf_head_covariate_name(h, i));
    /* the fit report travels with it */
    CHECK(meta_f64(g, "coverage.80") == meta_f64(h, "coverage.80") ||
          (isnan(meta_f64(g, "coverage.80")) && isnan(meta_f64(h, "coverage.80"))));
    if (!xf_head_is_zeroshot(h))
        CHECK(meta_f64(g, "valid.mse") == meta_f64(h, "valid.mse"));
    CHECK(xf_xfm_get_str(xf_head_meta(h), "data.fingerprint", &s1, NULL) == XF_OK &&
          xf_xfm_get_str(xf_head_meta(g), "data.fingerprint", &s2, NULL) == XF_OK &&
          strcmp(s1, s2) == 0);

    /* no forecast before the encoders are attached */
    if (xf_head_n_encoders(h) > 0) {
        ws = (xf_head_workspace *)&err;
        CHECK(xf_head_workspace_new(g, &ws, &err) != XF_OK && ws == NULL);
        CHECK_MSG(strstr(err.message, "attach") != NULL, "%s", err.message);
    }
    CHECK_MSG(xf_head_attach_encoders(g, encs, n_enc, &err) == XF_OK, "%s: %s", what, err.message);
    for (i = 0; i < xf_panel_n_series(panel); i++) {
        int32_t hz = (int32_t)H;
        int rc1 = forecast(h, panel, i, SIZE_MAX, hz, t1, m1, lo1, hi1, &err);
        int rc2 = forecast(g, panel, i, SIZE_MAX, hz, t2, m2, lo2, hi2, &err);
        CHECK_MSG(rc1 == XF_OK && rc2 == XF_OK, "%s: %s", what, err.message);
        if (rc1 != XF_OK || rc2 != XF_OK)
            continue;
        CHECK_MSG(memcmp(m1, m2, H * sizeof *m1) == 0, "%s: series %zu means differ", what, i);
        CHECK(memcmp(lo1, lo2, L * H * sizeof *lo1) == 0);
        CHECK(memcmp(hi1, hi2, L * H * sizeof *hi1) == 0);
        CHECK(memcmp(t1, t2, H * sizeof *t1) == 0);
    }
    xf_head_free(g);
    remove(path);
}

#endif /* XF_HEAD_TESTUTIL_H */
