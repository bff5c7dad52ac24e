/* test_head.c - the head API: panels, fitting ridge heads on frozen
 * encoder features, the feature layout, covariates, head files, bad input,
 * the log transform, zero-shot heads, backtests and forecasting from many
 * threads.
 *
 * Most tests use a small random GRU (1 x 8, context 64) and panels of a
 * few thousand values so that the whole program runs in seconds; only the
 * zero-shot test loads a shipped encoder (models/gru-base.xfm, found under
 * $XF_SRCDIR, default ".").
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xfcast.h>

#include "testutil.h"

#define HOUR_US (3600 * XF_TIME_US_PER_SEC)
#define TWO_PI 6.283185307179586
#define N_SINE 600   /* values per series of the sine panel */
#define H_SMALL 12   /* horizon of the small heads */
#define L_SMALL 24   /* lags of the small heads */
#define MAX_H 128    /* largest horizon any test forecasts */

static const xf_freq hourly = {XF_FREQ_FIXED, HOUR_US, 0};
static xf_time t_start;   /* 2024-01-01T00:00:00Z, a Monday */
static xf_encoder *gru;   /* small random GRU used by most tests (owned by main) */

/* ------------------------------------------------------------ helpers */

/* Fixtures must build: a failure there is a hard error (exit 99), not a
 * failed check. */
static void need(int ok, const char *what, const xf_error *err)
{
    if (ok)
        return;
    fprintf(stderr, "test_head: cannot build fixture (%s): %s\n", what,
            err != NULL ? err->message : "");
    exit(99);
}

/* splitmix64: a small deterministic generator, and normal deviates. */
typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double rng_unif(rng *r) /* in (0, 1] */
{
    return ((double)(rng_next(r) >> 11) + 1.0) * 0x1.0p-53;
}

static double rng_norm(rng *r)
{
    double u1 = rng_unif(r), u2 = rng_unif(r);
    return sqrt(-2.0 * log(u1)) * cos(TWO_PI * u2);
}

static void hourly_times(xf_time *t, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        t[i] = t_start + (xf_time)i * HOUR_US;
}

/* Noise-free value of sine series s at step t: 10 + 3 sin(2 pi (t + 4s) / 24). */
static double sine_truth(size_t s, size_t t)
{
    return 10.0 + 3.0 * sin(TWO_PI * (double)(t + 4 * s) / 24.0);
}

/* A panel of n_series hourly sines of n values plus normal noise of
 * standard deviation `noise`. */
static xf_panel *sine_panel(size_t n_series, size_t n, double noise, uint64_t seed)
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
        need(xf_panel_add_series(p, id, n, t, hourly, y, NULL, &err) == XF_OK, "sine series",
             &err);
    }
    free(t);
    free(y);
    return p;
}

/* Options of the small heads: 12 steps, 24 lags, few windows, and the
 * encoders' embeddings always used (by default the fit may drop them when
 * they do not help on the held-out origins; most tests need them). */
static void small_opts(xf_head_options *o)
{
    xf_head_options_init(o);
    o->horizon = H_SMALL;
    o->n_lags = L_SMALL;
    o->max_windows = 1500;
    o->embedding = 1;
}

/* Fit, checking success; NULL on failure. */
static xf_head *fit_ok(const xf_panel *p, xf_encoder *const *encs, size_t n_enc,
                       const xf_head_options *o, const char *what)
{
    xf_head *h = NULL;
    xf_error err;
    int rc = xf_head_fit(p, encs, n_enc, o, &h, &err);
    CHECK_MSG(rc == XF_OK && h != NULL, "fit %s: %d %s", what, rc, err.message);
    return rc == XF_OK ? h : NULL;
}

/* One forecast with a fresh workspace; returns the status. */
static int forecast(const xf_head *h, const xf_panel *p, size_t i, size_t origin,
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
static double sine_mae(const xf_head *h, const xf_panel *p, size_t n_s, size_t origin)
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

static int all_finite(const double *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

static double meta_f64(const xf_head *h, const char *key)
{
    double v = NAN;
    if (xf_xfm_get_f64(xf_head_meta(h), key, &v, NULL) != XF_OK)
        return NAN;
    return v;
}

/* A unique temporary file name under /tmp (the file is created empty). */
static void temp_path(char *buf, size_t n)
{
    int fd;
    snprintf(buf, n, "/tmp/xf_test_head_XXXXXX");
    fd = mkstemp(buf);
    need(fd >= 0, "temporary file", NULL);
    close(fd);
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long sz = 0;
    need(f != NULL, path, NULL);
    need(fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0,
         path, NULL);
    buf = malloc((size_t)sz);
    need(buf != NULL && fread(buf, 1, (size_t)sz, f) == (size_t)sz, path, NULL);
    fclose(f);
    *len = (size_t)sz;
    return buf;
}

static void write_all(const char *path, const unsigned char *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    need(f != NULL && fwrite(buf, 1, len, f) == len && fclose(f) == 0, path, NULL);
}

/* Save, reload and compare a head (section 5). */
static void check_roundtrip(const xf_head *h, xf_encoder *const *encs, size_t n_enc,
                            const xf_panel *panel, const char *what);

/* ------------------------------------------------------------ 1. panels */

/* A dataset from CSV text held in memory. */
static xf_dataset *csv_dataset(const char *text, const char *id_col)
{
    xf_csv_options o;
    xf_csv_reader *r = NULL;
    xf_dataset *ds = NULL;
    xf_error err;
    xf_csv_options_init(&o);
    o.id_col = id_col;
    need(xf_csv_reader_new("mem.csv", &o, &r, &err) == XF_OK, "csv reader", &err);
    need(xf_csv_reader_feed(r, text, strlen(text), &err) == XF_OK, "csv feed", &err);
    need(xf_csv_reader_finish(r, &ds, &err) == XF_OK, "csv finish", &err);
    xf_csv_reader_free(r);
    return ds;
}

static void test_panel_arrays(void)
{
    char name0[8] = "temp", name1[8] = "wind", id[8] = "s1";
    const char *names[2] = {name0, name1};
    double y[5] = {1, 2, 3, NAN, NAN}, c0[5] = {10, 11, 12, 13, 14},
           c1[5] = {20, 21, 22, 23, 24};
    const double *cov[2] = {c0, c1}, *cov_bad[2] = {c0, NULL};
    xf_time t[5], t_bad[5];
    xf_panel *p = NULL, *q = NULL;
    xf_error err;
    const double *v;
    size_t k;

    hourly_times(t, 5);
    CHECK(xf_panel_new(names, 2, &p, &err) == XF_OK && p != NULL);
    if (p == NULL)
        return;
    CHECK_INT(xf_panel_n_covariates(p), 2);
    CHECK_INT(xf_panel_n_series(p), 0);
    CHECK(xf_panel_add_series(p, id, 5, t, hourly, y, cov, &err) == XF_OK);

    /* everything was copied: changing the caller's arrays changes nothing */
    name0[0] = 'X';
    id[0] = 'Z';
    y[0] = 99;
    t[0] = 0;
    c0[0] = 99;
    c1[4] = 99;
    CHECK_STR(xf_panel_covariate_name(p, 0), "temp");
    CHECK_STR(xf_panel_covariate_name(p, 1), "wind");
    CHECK_STR(xf_panel_series_id(p, 0), "s1");
    CHECK_INT(xf_panel_series_length(p, 0), 5);
    v = xf_panel_series_values(p, 0);
    CHECK(v != y && v[0] == 1 && v[2] == 3 && isnan(v[3]) && isnan(v[4]));
    CHECK(xf_panel_series_times(p, 0) != t && xf_panel_series_times(p, 0)[0] == t_start);
    CHECK(xf_panel_series_covariate(p, 0, 0)[0] == 10);
    CHECK(xf_panel_series_covariate(p, 0, 1)[4] == 24);
    CHECK(xf_panel_series_freq(p, 0).kind == XF_FREQ_FIXED &&
          xf_panel_series_freq(p, 0).step == HOUR_US);
    CHECK(xf_panel_series_column(p, 0) == NULL);
    /* observed: up to the last finite value (two trailing NaNs) */
    CHECK_INT(xf_panel_series_observed(p, 0), 3);

    /* errors leave the panel as it was */
    hourly_times(t, 5);
    CHECK(xf_panel_add_series(p, "e", 0, t, hourly, y, cov, &err) == XF_EINVAL);
    CHECK(err.code == XF_EINVAL && err.message[0] != '\0');
    memcpy(t_bad, t, sizeof t);
    t_bad[3] = t_bad[2]; /* repeated timestamp */
    CHECK(xf_panel_add_series(p, "e", 5, t_bad, hourly, y, cov, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "increasing") != NULL, "%s", err.message);
    t_bad[3] = t_bad[1]; /* going back in time */
    CHECK(xf_panel_add_series(p, "e", 5, t_bad, hourly, y, cov, &err) == XF_EINVAL);
    CHECK(xf_panel_add_series(p, "e", 5, t, hourly, y, NULL, &err) == XF_EINVAL);
    CHECK(err.message[0] != '\0');
    CHECK(xf_panel_add_series(p, "e", 5, t, hourly, y, cov_bad, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "wind") != NULL, "%s", err.message);
    CHECK(xf_panel_add_series(p, "e", 5, t, hourly, NULL, cov, &err) == XF_EINVAL);
    CHECK(xf_panel_add_series(p, NULL, 5, t, hourly, y, cov, &err) == XF_EINVAL);
    CHECK_INT(xf_panel_n_series(p), 1);

    /* more series: all missing, trailing infinities, no timestamps */
    {
        double none[4] = {NAN, NAN, NAN, NAN}, inf[6] = {1, INFINITY, 2, 3, -INFINITY, NAN};
        const double *cov4[2] = {c0, c1}, *cov6[2] = {inf, inf};
        xf_freq unknown = {XF_FREQ_UNKNOWN, 0, 0};
        CHECK(xf_panel_add_series(p, "none", 4, t, hourly, none, cov4, &err) == XF_OK);
        CHECK(xf_panel_add_series(p, "inf", 6, NULL, unknown, inf, cov6, &err) == XF_OK);
        CHECK_INT(xf_panel_series_observed(p, 1), 0);
        CHECK_INT(xf_panel_series_observed(p, 2), 4); /* -Inf and NaN are not observed */
        CHECK(xf_panel_series_times(p, 2) == NULL);
        CHECK(xf_panel_series_freq(p, 2).kind == XF_FREQ_UNKNOWN);
    }
    /* out-of-range accessors */
    CHECK(xf_panel_series_id(p, 3) == NULL);
    CHECK_INT(xf_panel_series_length(p, 3), 0);
    CHECK(xf_panel_series_values(p, 3) == NULL);
    CHECK(xf_panel_series_times(p, 3) == NULL);
    CHECK(xf_panel_series_covariate(p, 0, 2) == NULL);
    CHECK(xf_panel_series_covariate(p, 3, 0) == NULL);
    CHECK(xf_panel_covariate_name(p, 2) == NULL);
    CHECK_INT(xf_panel_series_observed(p, 3), 0);
    xf_panel_free(p);

    /* xf_panel_new errors */
    {
        const char *dup[2] = {"a", "a"}, *empty[1] = {""};
        q = (xf_panel *)&err; /* must be reset to NULL on failure */
        CHECK(xf_panel_new(dup, 2, &q, &err) == XF_EINVAL && q == NULL);
        CHECK_MSG(strstr(err.message, "'a'") != NULL, "%s", err.message);
        CHECK(xf_panel_new(empty, 1, &q, &err) == XF_EINVAL && q == NULL);
        CHECK(xf_panel_new(NULL, 1, &q, &err) == XF_EINVAL && q == NULL);
    }
    /* a panel without covariates takes cov == NULL */
    CHECK(xf_panel_new(NULL, 0, &q, &err) == XF_OK);
    if (q != NULL) {
        double x[5] = {10, 11, 12, 13, 14};
        CHECK(xf_panel_add_series(q, "x", 5, NULL, hourly, x, NULL, &err) == XF_OK);
        for (k = 0; k < 5; k++)
            CHECK(xf_panel_series_values(q, 0)[k] == 10 + (double)k);
        xf_panel_free(q);
    }
    xf_panel_free(NULL);
}

static void test_panel_dataset(void)
{
    static const char wide[] =
        "time,y,temp\n"
        "2024-01-01T00:00:00Z,1,20.5\n"
        "2024-01-01T01:00:00Z,2,21.5\n"
        "2024-01-01T02:00:00Z,3,22.5\n"
        "2024-01-01T03:00:00Z,4,23.5\n"
        "2024-01-01T04:00:00Z,5,24.5\n"
        "2024-01-01T05:00:00Z,,25.5\n";
    static const char longf[] =
        "time,id,y,temp\n"
        "2024-01-01T00:00:00Z,a,1,10\n"
        "2024-01-01T00:00:00Z,b,101,50\n"
        "2024-01-01T01:00:00Z,a,2,11\n"
        "2024-01-01T01:00:00Z,b,102,51\n"
        "2024-01-01T02:00:00Z,a,3,12\n"
        "2024-01-01T02:00:00Z,b,103,52\n"
        "2024-01-01T03:00:00Z,a,4,13\n"
        "2024-01-01T03:00:00Z,b,104,53\n";
    const char *temp[1] = {"temp"}, *pressure[1] = {"pressure"};
    xf_dataset *ds;
    xf_panel *p = NULL;
    xf_error err;
    size_t i, k;

    /* wide: y is the target, temp its covariate */
    ds = csv_dataset(wide, NULL);
    CHECK_MSG(xf_panel_from_dataset(ds, temp, 1, &p, &err) == XF_OK, "%s", err.message);
    if (p != NULL) {
        const double *y = xf_panel_series_values(p, 0), *c = xf_panel_series_covariate(p, 0, 0);
        const xf_time *t = xf_panel_series_times(p, 0);
        CHECK_INT(xf_panel_n_series(p), 1);
        CHECK_INT(xf_panel_n_covariates(p), 1);
        CHECK_STR(xf_panel_covariate_name(p, 0), "temp");
        CHECK_STR(xf_panel_series_id(p, 0), "y");
        CHECK(xf_panel_series_column(p, 0) != NULL &&
              strcmp(xf_panel_series_column(p, 0), "y") == 0);
        CHECK_INT(xf_panel_series_length(p, 0), 6);
        CHECK_INT(xf_panel_series_observed(p, 0), 5); /* the empty last y is missing */
        CHECK(xf_panel_series_freq(p, 0).kind == XF_FREQ_FIXED &&
              xf_panel_series_freq(p, 0).step == HOUR_US);
        for (k = 0; k < 6 && t != NULL && c != NULL; k++) {
            CHECK(t[k] == t_start + (xf_time)k * HOUR_US);
            CHECK(c[k] == 20.5 + (double)k);
            CHECK(k == 5 ? isnan(y[k]) : y[k] == 1 + (double)k);
        }
        xf_panel_free(p);
    }
    /* without covariates both columns are targets */
    CHECK(xf_panel_from_dataset(ds, NULL, 0, &p, &err) == XF_OK);
    if (p != NULL) {
        CHECK_INT(xf_panel_n_series(p), 2);
        CHECK_INT(xf_panel_n_covariates(p), 0);
        xf_panel_free(p);
    }
    /* an unknown covariate column */
    p = (xf_panel *)&err;
    CHECK(xf_panel_from_dataset(ds, pressure, 1, &p, &err) == XF_ENOTFOUND && p == NULL);
    CHECK_MSG(strstr(err.message, "pressure") != NULL, "%s", err.message);
    /* every column a covariate: no target left */
    {
        const char *both[2] = {"y", "temp"};
        CHECK(xf_panel_from_dataset(ds, both, 2, &p, &err) == XF_EDATA && p == NULL);
    }
    xf_dataset_free(ds);

    /* long: each id's y gets that id's temp */
    ds = csv_dataset(longf, "id");
    CHECK_MSG(xf_panel_from_dataset(ds, temp, 1, &p, &err) == XF_OK, "%s", err.message);
    if (p != NULL) {
        int seen_a = 0, seen_b = 0;
        CHECK_INT(xf_panel_n_series(p), 2);
        for (i = 0; i < xf_panel_n_series(p); i++) {
            const double *y = xf_panel_series_values(p, i);
            const double *c = xf_panel_series_covariate(p, i, 0);
            const char *sid = xf_panel_series_id(p, i);
            double y0 = y[0] < 100 ? 1 : 101, c0 = y[0] < 100 ? 10 : 50;
            CHECK_INT(xf_panel_series_length(p, i), 4);
            CHECK(xf_panel_series_column(p, i) != NULL &&
                  strcmp(xf_panel_series_column(p, i), "y") == 0);
            if (y[0] < 100) {
                seen_a++;
                CHECK_MSG(strchr(sid, 'a') != NULL, "id '%s'", sid);
            } else {
                seen_b++;
                CHECK_MSG(strchr(sid, 'b') != NULL, "id '%s'", sid);
            }
            for (k = 0; k < 4; k++) {
                CHECK(y[k] == y0 + (double)k);
                CHECK(c[k] == c0 + (double)k);
            }
        }
        CHECK(seen_a == 1 && seen_b == 1);
        xf_panel_free(p);
    }
    CHECK(xf_panel_from_dataset(ds, pressure, 1, &p, &err) == XF_ENOTFOUND && p == NULL);
    xf_dataset_free(ds);
}

/* ------------------------------------------------------------ 2. fitting */

static void test_fit_sine(const xf_panel *p, const xf_head *h)
{
    xf_time t[H_SMALL];
    double mean[H_SMALL], lo[2 * H_SMALL], hi[2 * H_SMALL];
    double mean5[5], lo5[10], hi5[10];
    xf_error err;
    int64_t windows = 0;
    double cov80 = meta_f64(h, "coverage.80"), cov95 = meta_f64(h, "coverage.95");
    double mae_end = 0, mae_mid = 0;
    size_t s, k, n_s = xf_panel_n_series(p);
    char desc[512];

    CHECK_INT(xf_head_horizon(h), H_SMALL);
    CHECK_INT(xf_head_n_levels(h), 2);
    CHECK(xf_head_level(h, 0) == 80 && xf_head_level(h, 1) == 95);
    CHECK(isnan(xf_head_level(h, 2)));
    CHECK_INT(xf_head_season(h), 24); /* hourly data: one day */
    CHECK_INT(xf_head_domain(h), XF_DOMAIN_GENERIC);
    CHECK(!xf_head_is_zeroshot(h));
    CHECK_INT(xf_head_n_encoders(h), 1);
    CHECK_STR(xf_head_encoder_name(h, 0), "gru-small");
    CHECK(xf_head_encoder_fingerprint(h, 0) == xf_encoder_fingerprint(gru));
    CHECK(xf_head_encoder_name(h, 1) == NULL);
    CHECK_INT(xf_head_n_covariates(h), 0);
    /* the fit report */
    CHECK(xf_xfm_get_i64(xf_head_meta(h), "fit.windows", &windows, NULL) == XF_OK);
    CHECK_MSG(windows > 100 && windows <= 1500, "%lld windows", (long long)windows);
    CHECK(isfinite(meta_f64(h, "valid.mse")) && meta_f64(h, "valid.mse") > 0);
    CHECK_MSG(isfinite(cov80) && cov80 >= 0 && cov80 <= 100, "coverage.80 = %g", cov80);
    CHECK_MSG(isfinite(cov95) && cov95 >= 0 && cov95 <= 100, "coverage.95 = %g", cov95);
    CHECK(xf_head_describe(h, desc, sizeof desc) > 0 && strstr(desc, "ridge") != NULL &&
          strstr(desc, "gru-small") != NULL);

    for (s = 0; s < n_s; s++) {
        const xf_time *ts = xf_panel_series_times(p, s);
        /* after the end of the data: the timestamps continue the hourly grid */
        CHECK_MSG(forecast(h, p, s, SIZE_MAX, H_SMALL, t, mean, lo, hi, &err) == XF_OK, "%s",
                  err.message);
        for (k = 0; k < H_SMALL; k++) {
            double w80 = hi[k] - lo[k], w95 = hi[H_SMALL + k] - lo[H_SMALL + k];
            CHECK(t[k] == t_start + (xf_time)(N_SINE + k) * HOUR_US);
            mae_end += fabs(mean[k] - sine_truth(s, N_SINE + k));
            CHECK_MSG(lo[k] <= mean[k] && mean[k] <= hi[k], "step %zu: %g %g %g", k, lo[k],
                      mean[k], hi[k]);
            CHECK(lo[H_SMALL + k] <= lo[k] && hi[H_SMALL + k] >= hi[k]);
            CHECK_MSG(w95 > w80, "step %zu: 95%% width %g, 80%% width %g", k, w95, w80);
        }
        /* from an interior origin: the panel's own timestamps */
        CHECK(forecast(h, p, s, 500, H_SMALL, t, mean, lo, hi, &err) == XF_OK);
        for (k = 0; k < H_SMALL; k++) {
            CHECK(t[k] == ts[500 + k]);
            mae_mid += fabs(mean[k] - sine_truth(s, 500 + k));
        }
        /* a shorter horizon gives the first steps, lo/hi laid out [level][5] */
        CHECK(forecast(h, p, s, 500, 5, NULL, mean5, lo5, hi5, &err) == XF_OK);
        for (k = 0; k < 5; k++) {
            CHECK(mean5[k] == mean[k]);
            CHECK(lo5[k] == lo[k] && lo5[5 + k] == lo[H_SMALL + k]);
            CHECK(hi5[k] == hi[k] && hi5[5 + k] == hi[H_SMALL + k]);
        }
        /* mean only: lo and hi may be NULL */
        CHECK(forecast(h, p, s, 500, 5, NULL, mean5, NULL, NULL, &err) == XF_OK);
        CHECK(mean5[0] == mean[0]);
    }
    mae_end /= (double)(n_s * H_SMALL);
    mae_mid /= (double)(n_s * H_SMALL);
    printf("sine: MAE %.3f (after the end), %.3f (origin 500); amplitude 3, noise 0.3; "
           "coverage.80 %.1f\n", mae_end, mae_mid, cov80);
    CHECK_MSG(mae_end < 0.5, "MAE %g", mae_end);
    CHECK_MSG(mae_mid < 0.5, "MAE %g", mae_mid);
}

/* ------------------------------------------------------------ 3. options */

/* A panel of 2 hourly sines with one covariate "c" (noise). */
static xf_panel *cov_sine_panel(void)
{
    const char *names[1] = {"c"};
    xf_panel *p = NULL;
    xf_time t[N_SINE];
    double y[N_SINE], c[N_SINE];
    const double *cov[1] = {c};
    rng r = {7};
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

/* Features of a head fitted with o (0 when the fit fails). */
static size_t n_features(const xf_panel *p, xf_encoder *const *encs, size_t n_enc,
                         const xf_head_options *o, const char *what)
{
    xf_head *h = fit_ok(p, encs, n_enc, o, what);
    size_t n = h != NULL ? xf_head_n_features(h) : 0;
    xf_head_free(h);
    return n;
}

static void test_options(xf_encoder *tcn)
{
    xf_panel *p = cov_sine_panel(), *untimed = NULL;
    xf_encoder *both[2] = {gru, tcn};
    xf_head_options o;
    xf_head *h = NULL;
    xf_error err;
    size_t E = xf_encoder_embed_size(gru), E2 = xf_encoder_embed_size(tcn);
    size_t p_base, p_nocal, cal;

    CHECK_INT(E, 8);
    CHECK_INT(E2, 40);
    /* the base layout: history features on (2 columns) */
    small_opts(&o);
    o.history = 1;
    h = fit_ok(p, &gru, 1, &o, "base");
    if (h == NULL) {
        xf_panel_free(p);
        return;
    }
    p_base = xf_head_n_features(h);
    CHECK_INT(xf_head_n_covariates(h), 1);
    CHECK_STR(xf_head_covariate_name(h, 0), "c");
    CHECK(xf_head_covariate_name(h, 1) == NULL);
    xf_head_free(h);

    /* calendar off: embedding (E + 2) + lags + history (2) + one covariate
     * at each step */
    o.calendar = 0;
    p_nocal = n_features(p, &gru, 1, &o, "calendar off");
    CHECK_INT(p_nocal, (E + 2) + L_SMALL + 2 + 1 * H_SMALL);
    cal = p_base - p_nocal;
    CHECK_MSG(cal > 0 && cal % 2 == 0, "%zu calendar features", cal); /* sin + cos */
    o.calendar = 1;
    CHECK_INT(n_features(p, &gru, 1, &o, "calendar on"), p_base);

    /* horizon: one covariate column per step */
    small_opts(&o);
    o.history = 1;
    o.horizon = 6;
    CHECK_INT(n_features(p, &gru, 1, &o, "horizon 6"), p_base - 6);
    /* lags */
    small_opts(&o);
    o.history = 1;
    o.n_lags = 10;
    CHECK_INT(n_features(p, &gru, 1, &o, "10 lags"), p_base - (L_SMALL - 10));
    o.n_lags = 0;
    CHECK_INT(n_features(p, &gru, 1, &o, "no lags"), p_base - L_SMALL);
    /* embedding off, or no encoder at all */
    small_opts(&o);
    o.history = 1;
    o.embedding = 0;
    h = fit_ok(p, &gru, 1, &o, "embedding off");
    if (h != NULL) {
        CHECK_INT(xf_head_n_features(h), p_base - (E + 2));
        CHECK_INT(xf_head_n_encoders(h), 0);
        xf_head_free(h);
    }
    small_opts(&o);
    o.history = 1;
    CHECK_INT(n_features(p, NULL, 0, &o, "no encoder"), p_base - (E + 2));
    /* embedding auto (the default): with or without the encoder, whichever
     * wins on the held-out origins; the layout follows the choice */
    o.embedding = XF_AUTO;
    h = fit_ok(p, &gru, 1, &o, "embedding auto");
    if (h != NULL) {
        size_t ne = xf_head_n_encoders(h);
        CHECK(ne <= 1);
        CHECK_INT(xf_head_n_features(h), ne ? p_base : p_base - (E + 2));
        CHECK(ne == 0 || xf_head_encoder_fingerprint(h, 0) == xf_encoder_fingerprint(gru));
        xf_head_free(h);
    }
    o.embedding = 1;
    /* two encoders */
    CHECK_INT(n_features(p, both, 2, &o, "two encoders"), p_base + (E2 + 2));
    /* history features off */
    o.history = 0;
    CHECK_INT(n_features(p, &gru, 1, &o, "history off"), p_base - 2);
    o.history = 1;
    /* a penalty per step changes the fit, not the layout */
    o.penalty_per_step = 1;
    h = fit_ok(p, &gru, 1, &o, "penalty per step");
    if (h != NULL) {
        double mean[H_SMALL];
        CHECK_INT(xf_head_n_features(h), p_base);
        CHECK(forecast(h, p, 0, 400, H_SMALL, NULL, mean, NULL, NULL, &err) == XF_OK &&
              all_finite(mean, H_SMALL));
        xf_head_free(h);
    }
    o.penalty_per_step = 0;
    /* covariates ignored */
    o.covariates = 0;
    h = fit_ok(p, &gru, 1, &o, "covariates off");
    if (h != NULL) {
        CHECK_INT(xf_head_n_features(h), p_base - H_SMALL);
        CHECK_INT(xf_head_n_covariates(h), 0);
        xf_head_free(h);
    }
    /* no timestamps: calendar (auto) off */
    {
        xf_freq unknown = {XF_FREQ_UNKNOWN, 0, 0};
        size_t s;
        need(xf_panel_new(NULL, 0, &untimed, &err) == XF_OK, "untimed panel", &err);
        for (s = 0; s < 2; s++)
            need(xf_panel_add_series(untimed, s ? "b" : "a", N_SINE, NULL, unknown,
                                     xf_panel_series_values(p, s), NULL, &err) == XF_OK,
                 "untimed series", &err);
        small_opts(&o);
        o.history = 1;
        CHECK_INT(n_features(untimed, &gru, 1, &o, "untimed"), (E + 2) + L_SMALL + 2);
    }

    /* invalid options */
    {
        struct {
            const char *what;
            int field;
            double value;
        } bad[] = {{"level 0", 0, 0},          {"level 100", 0, 100},
                   {"level -5", 0, -5},        {"valid_fraction 1", 1, 1},
                   {"valid_fraction 0", 1, 0}, {"horizon 0", 2, 0},
                   {"horizon -3", 2, -3},      {"9 levels", 3, 9},
                   {"lags -2", 4, -2},         {"max_windows 0", 5, 0}};
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            small_opts(&o);
            switch (bad[i].field) {
            case 0:
                o.levels[1] = bad[i].value;
                break;
            case 1:
                o.valid_fraction = bad[i].value;
                break;
            case 2:
                o.horizon = (int32_t)bad[i].value;
                break;
            case 3:
                o.n_levels = (size_t)bad[i].value;
                break;
            case 4:
                o.n_lags = (int32_t)bad[i].value;
                break;
            default:
                o.max_windows = (int64_t)bad[i].value;
                break;
            }
            h = (xf_head *)&err;
            memset(&err, 0, sizeof err);
            CHECK_MSG(xf_head_fit(p, &gru, 1, &o, &h, &err) == XF_EINVAL && h == NULL, "%s",
                      bad[i].what);
            CHECK_MSG(err.code == XF_EINVAL && err.message[0] != '\0', "%s: no message",
                      bad[i].what);
        }
        small_opts(&o);
        o.domain = (xf_domain)9;
        CHECK(xf_head_fit(p, &gru, 1, &o, &h, &err) == XF_EINVAL);
        /* encoders: at most XF_MAX_ENCODERS, none NULL */
        small_opts(&o);
        {
            xf_encoder *five[5] = {gru, gru, gru, gru, gru}, *null1[1] = {NULL};
            CHECK(xf_head_fit(p, five, 5, &o, &h, &err) == XF_EINVAL);
            CHECK(xf_head_fit(p, null1, 1, &o, &h, &err) == XF_EINVAL);
        }
        /* level 0 message names the value */
        o.levels[0] = 100;
        CHECK(xf_head_fit(p, &gru, 1, &o, &h, &err) == XF_EINVAL);
        CHECK_MSG(strstr(err.message, "100") != NULL, "%s", err.message);
    }
    xf_panel_free(untimed);
    xf_panel_free(p);
}

/* Heads with no or few lags still forecast the sine panel. */
static void test_few_lags(const xf_panel *sine)
{
    static const int32_t lags[3] = {0, 1, 2};
    xf_head_options o;
    xf_head *h;
    size_t i, s, k;

    /* BUG: src/head.c xf_head_fit ("t_min = o.n_lags > 0 ? n_lags : 1") and
     * fill_spec ("norm_window = n_lags > 0 ? n_lags : 64"): with n_lags 0
     * training origins start at t = 1, whose normalisation window holds one
     * value, and with n_lags 1 or 2 every window holds one or two; their
     * scale is then the floor of xf__feat_norm (1e-6 |level|, src/featurize.c
     * scale_floor), so their normalised targets are ~1e5 and swamp the ridge
     * fit.  On this panel (amplitude 3, noise 0.3) the forecasts from origin
     * 500 had, when this was written, MAE 12 (0 lags), 0.2 (1 lag, but
     * held-out MSE 2e9) and 5.7 (2 lags), against 0.09 with 24 lags.  A
     * normalisation window of at least 16 values and origins starting after
     * a full window give MAE 0.09 and held-out MSE 0.02-0.04 for all three. */
    for (i = 0; i < 3; i++) {
        double mae, vmse;
        small_opts(&o);
        o.n_lags = lags[i];
        if ((h = fit_ok(sine, &gru, 1, &o, "few lags")) == NULL)
            continue;
        mae = sine_mae(h, sine, xf_panel_n_series(sine), 500);
        vmse = meta_f64(h, "valid.mse");
        CHECK_MSG(mae < 0.5, "%d lags: MAE %g (amplitude 3, noise 0.3)", (int)lags[i], mae);
        CHECK_MSG(vmse < 1, "%d lags: held-out MSE %g on the normalised scale", (int)lags[i],
                  vmse);
        xf_head_free(h);
    }
    /* BUG (same cause): no feature at all (no encoder, lags, calendar,
     * history or covariate) is accepted, and the intercept b = mean
     * normalised target is swamped by the origins at t = 1, 2, ...: the
     * head forecasts hundreds to thousands for a sine between 7 and 13
     * (about 10 +- 2 once the origins have a full window).  Refusing such a
     * head (XF_EINVAL) would be fine too.  (Under valgrind this fit also
     * leaks its ridge statistics: src/head.c frees them only when p > 0, in
     * pass_free and xf_head_free, but xf_ridge_stats_init allocates them for
     * p == 0 too.) */
    small_opts(&o);
    o.n_lags = 0;
    o.calendar = 0;
    o.history = 0;
    h = NULL;
    {
        xf_error err;
        int rc = xf_head_fit(sine, NULL, 0, &o, &h, &err);
        CHECK(rc == XF_OK || rc == XF_EINVAL);
        if (rc == XF_OK && h != NULL) {
            double mean[H_SMALL], lo[2 * H_SMALL], hi[2 * H_SMALL], worst = 0;
            size_t crossed = 0;
            CHECK_INT(xf_head_n_features(h), 0);
            for (s = 0; s < xf_panel_n_series(sine); s++) {
                CHECK(forecast(h, sine, s, 500, H_SMALL, NULL, mean, lo, hi, &err) == XF_OK);
                for (k = 0; k < H_SMALL; k++) {
                    if (!(fabs(mean[k] - 10) <= worst))
                        worst = fabs(mean[k] - 10);
                    crossed += !(lo[H_SMALL + k] <= hi[H_SMALL + k]);
                }
            }
            CHECK_MSG(worst < 4, "intercept-only forecasts up to %g from the level 10 of "
                      "sines between 7 and 13", worst);
            CHECK_MSG(crossed == 0, "%zu 95%% intervals with lo > hi", crossed);
        }
        xf_head_free(h);
    }
}

/* ------------------------------------------------------------ 4. covariates */

#define N_COV 600

static void test_covariates(void)
{
    const char *names[1] = {"price_index"};
    xf_panel *train = NULL, *future = NULL, *gap = NULL, *bare = NULL;
    xf_time t[N_COV];
    double y[2][N_COV], c[2][N_COV], yf[N_COV], cg[N_COV];
    const double *cov[1];
    xf_head_options o;
    xf_head *with = NULL, *without = NULL;
    xf_error err;
    rng r = {42};
    size_t s, k, origin = N_COV - H_SMALL;
    double mse_with, mse_without, mean[H_SMALL], mae = 0;

    hourly_times(t, N_COV);
    /* y = 5 c + small noise, c a random walk known in the future */
    for (s = 0; s < 2; s++) {
        double walk = 0;
        for (k = 0; k < N_COV; k++) {
            walk += rng_norm(&r);
            c[s][k] = walk;
            y[s][k] = 5 * walk + 0.1 * rng_norm(&r);
        }
    }
    need(xf_panel_new(names, 1, &train, &err) == XF_OK, "covariate panel", &err);
    need(xf_panel_new(names, 1, &future, &err) == XF_OK, "covariate panel", &err);
    need(xf_panel_new(names, 1, &gap, &err) == XF_OK, "covariate panel", &err);
    need(xf_panel_new(NULL, 0, &bare, &err) == XF_OK, "panel", &err);
    for (s = 0; s < 2; s++) {
        cov[0] = c[s];
        need(xf_panel_add_series(train, s ? "b" : "a", N_COV, t, hourly, y[s], cov, &err) ==
                 XF_OK, "series", &err);
        /* the same rows with the last 12 targets unknown */
        memcpy(yf, y[s], sizeof yf);
        for (k = origin; k < N_COV; k++)
            yf[k] = NAN;
        need(xf_panel_add_series(future, s ? "b" : "a", N_COV, t, hourly, yf, cov, &err) ==
                 XF_OK, "series", &err);
        /* and the covariate missing at the third forecast step */
        memcpy(cg, c[s], sizeof cg);
        cg[origin + 2] = NAN;
        cov[0] = cg;
        need(xf_panel_add_series(gap, s ? "b" : "a", N_COV, t, hourly, yf, cov, &err) == XF_OK,
             "series", &err);
        need(xf_panel_add_series(bare, s ? "b" : "a", N_COV, t, hourly, yf, NULL, &err) ==
                 XF_OK, "series", &err);
    }

    small_opts(&o);
    with = fit_ok(train, &gru, 1, &o, "with covariate");
    o.covariates = 0;
    without = fit_ok(train, &gru, 1, &o, "without covariate");
    if (with == NULL || without == NULL)
        goto done;
    mse_with = meta_f64(with, "valid.mse");
    mse_without = meta_f64(without, "valid.mse");
    printf("covariate: held-out MSE %.4g with it, %.4g without\n", mse_with, mse_without);
    CHECK_MSG(mse_with < 0.5 * mse_without, "valid.mse %g with, %g without", mse_with,
              mse_without);
    /* BUG: src/featurize.c (xf__feat_build, "covariates at every forecast
     * step") puts the raw covariate values in the features while the targets
     * are (y - level) / scale of each origin, so even y = 5 c cannot be fitted
     * linearly: the held-out MSE only drops to about 0.17 of the MSE without
     * the covariate (0.57 vs 3.32).  With each covariate normalised by its
     * own mean and std over the origin's normalisation window the ratio is
     * about 1e-4 (0.0002 vs 3.16) and the forecasts below follow 5 c. */
    CHECK_MSG(mse_with < 0.01 * mse_without, "valid.mse %g with, %g without", mse_with,
              mse_without);
    CHECK_INT(xf_head_n_covariates(with), 1);
    CHECK_STR(xf_head_covariate_name(with, 0), "price_index");

    /* forecasts from the covariate's future values follow 5 c */
    for (s = 0; s < 2; s++) {
        CHECK_MSG(forecast(with, future, s, SIZE_MAX, H_SMALL, NULL, mean, NULL, NULL, &err) ==
                      XF_OK, "%s", err.message);
        for (k = 0; k < H_SMALL; k++)
            mae += fabs(mean[k] - 5 * c[s][origin + k]);
    }
    mae /= 2 * H_SMALL;
    /* BUG: the same (raw covariates against normalised targets): MAE about
     * 1.8 when this was written; under 1 with normalised covariates */
    CHECK_MSG(mae < 1.0, "MAE %g against 5 c (steps of 5 c have sd 5)", mae);

    /* a covariate missing at a forecast step */
    CHECK(forecast(with, gap, 0, SIZE_MAX, H_SMALL, NULL, mean, NULL, NULL, &err) == XF_EDATA);
    CHECK_MSG(strstr(err.message, "price_index") != NULL && strstr(err.message, "step 3") != NULL,
              "%s", err.message);
    /* the features hold the covariate at all H steps of the head, so a
     * shorter forecast needs them too */
    CHECK(forecast(with, gap, 0, SIZE_MAX, 2, NULL, mean, NULL, NULL, &err) == XF_EDATA);
    CHECK_MSG(strstr(err.message, "step 3") != NULL, "%s", err.message);
    /* from an earlier origin the gap is at step 5 */
    CHECK(forecast(with, gap, 0, origin - 2, H_SMALL, NULL, mean, NULL, NULL, &err) ==
          XF_EDATA);
    CHECK_MSG(strstr(err.message, "step 5") != NULL, "%s", err.message);
    /* no rows after the data: missing at step 1 */
    CHECK(forecast(with, train, 0, SIZE_MAX, H_SMALL, NULL, mean, NULL, NULL, &err) == XF_EDATA);
    CHECK_MSG(strstr(err.message, "price_index") != NULL && strstr(err.message, "step 1") != NULL,
              "%s", err.message);
    /* a panel without the covariate */
    CHECK(forecast(with, bare, 0, SIZE_MAX, H_SMALL, NULL, mean, NULL, NULL, &err) == XF_EDATA);
    CHECK_MSG(strstr(err.message, "price_index") != NULL, "%s", err.message);
    /* the covariate's name survives a head file */
    check_roundtrip(with, &gru, 1, future, "covariate head");
    /* the head without covariates forecasts from either panel */
    CHECK(forecast(without, bare, 0, SIZE_MAX, H_SMALL, NULL, mean, NULL, NULL, &err) == XF_OK);
    CHECK(forecast(without, gap, 0, SIZE_MAX, H_SMALL, NULL, mean, NULL, NULL, &err) == XF_OK);
done:
    xf_head_free(with);
    xf_head_free(without);
    xf_panel_free(train);
    xf_panel_free(future);
    xf_panel_free(gap);
    xf_panel_free(bare);
}

/* ------------------------------------------------------------ 5. files */

/* Save h, load it back, attach encs and compare forecasts for every
 * series of panel bit for bit. */
static void check_roundtrip(const xf_head *h, xf_encoder *const *encs, size_t n_enc,
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
    CHECK_MSG(xf_head_attach_encoders(g, encs, n_enc, &err) == XF_OK, "%s: %s", what,
              err.message);
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

/* Rewrite the .xfm file src as dst without the metadata keys in `drop`
 * (NULL-terminated): what a file written before those keys existed looks
 * like.  0 on success. */
static int xfm_copy_without(const char *src, const char *dst, const char *const *drop)
{
    xf_xfm *in = NULL, *out = NULL;
    xf_error err;
    size_t i, j, n;
    int rc = 0, skip;
    if (xf_xfm_load(src, &in, &err) != XF_OK || xf_xfm_new(xf_xfm_kind(in), &out) != XF_OK) {
        xf_xfm_free(in);
        return -1;
    }
    for (i = 0; i < xf_xfm_n_meta(in) && rc == 0; i++) {
        const char *k = xf_xfm_meta_key(in, i);
        for (j = 0, skip = 0; drop[j] != NULL; j++)
            skip |= strcmp(k, drop[j]) == 0;
        if (skip)
            continue;
        switch (xf_xfm_meta_type(in, i)) {
        case XF_XFM_TYPE_U32: {
            uint32_t v = 0;
            rc = xf_xfm_get_u32(in, k, &v, NULL) || xf_xfm_set_u32(out, k, v);
            break;
        }
        case XF_XFM_TYPE_I64: {
            int64_t v = 0;
            rc = xf_xfm_get_i64(in, k, &v, NULL) || xf_xfm_set_i64(out, k, v);
            break;
        }
        case XF_XFM_TYPE_F64: {
            double v = 0;
            rc = xf_xfm_get_f64(in, k, &v, NULL) || xf_xfm_set_f64(out, k, v);
            break;
        }
        case XF_XFM_TYPE_STR: {
            const char *v = NULL;
            rc = xf_xfm_get_str(in, k, &v, NULL) || xf_xfm_set_str(out, k, v);
            break;
        }
        case XF_XFM_TYPE_I64_ARRAY: {
            const int64_t *v = NULL;
            rc = xf_xfm_get_i64_array(in, k, &v, &n, NULL) || xf_xfm_set_i64_array(out, k, v, n);
            break;
        }
        case XF_XFM_TYPE_F64_ARRAY: {
            const double *v = NULL;
            rc = xf_xfm_get_f64_array(in, k, &v, &n, NULL) || xf_xfm_set_f64_array(out, k, v, n);
            break;
        }
        default:
            rc = -1;
        }
    }
    for (i = 0; i < xf_xfm_n_tensors(in) && rc == 0; i++)
        rc = xf_xfm_tensor_dtype(in, i) != XF_XFM_DTYPE_F64 ||
             xf_xfm_add_tensor_f64(out, xf_xfm_tensor_name(in, i), xf_xfm_tensor_n_dims(in, i),
                                   xf_xfm_tensor_dims(in, i), xf_xfm_tensor_data(in, i)) != XF_OK;
    if (rc == 0)
        rc = xf_xfm_save(out, dst, &err) != XF_OK;
    xf_xfm_free(in);
    xf_xfm_free(out);
    return rc ? -1 : 0;
}

/* A head file written before the history features and baselines existed
 * (9b23767 and earlier: no "head.history", "head.baseline" or
 * "head.seasonal_scale"; head.format is still 1) must keep loading, as a
 * head without them. */
static void test_old_head_file(const xf_panel *panel)
{
    static const char *const new_keys[] = {"head.history", "head.baseline",
                                           "head.seasonal_scale", NULL};
    char path[64], old[64];
    xf_head_options o;
    xf_head *h = NULL, *g = NULL;
    xf_error err;
    double a[H_SMALL], b[H_SMALL];

    /* what the earlier builds fitted */
    small_opts(&o);
    o.history = 0;
    o.baseline = 0;
    o.seasonal_scale = 0;
    if ((h = fit_ok(panel, &gru, 1, &o, "earlier layout")) == NULL)
        return;
    check_roundtrip(h, &gru, 1, panel, "earlier layout");
    temp_path(path, sizeof path);
    temp_path(old, sizeof old);
    CHECK(xf_head_save(h, path, &err) == XF_OK);
    CHECK(xfm_copy_without(path, old, new_keys) == 0);
    /* BUG: since 9b6f322 src/head_file.c xf_head_load requires these keys
     * (get_i64 -> XF_EFORMAT "head file lacks key 'head.history'") although
     * XF_HEAD_FORMAT is still 1, so every head saved by earlier builds stops
     * loading (STYLE.md: old versions keep loading); a missing key should
     * read as 0 (or the layout version be raised and version 1 read with
     * zeros) */
    CHECK_MSG(xf_head_load(old, &g, &err) == XF_OK, "%s", err.message);
    if (g != NULL) {
        CHECK_INT(xf_head_n_features(g), xf_head_n_features(h));
        CHECK(xf_head_attach_encoders(g, &gru, 1, &err) == XF_OK);
        CHECK(forecast(h, panel, 0, SIZE_MAX, H_SMALL, NULL, a, NULL, NULL, &err) == XF_OK);
        CHECK(forecast(g, panel, 0, SIZE_MAX, H_SMALL, NULL, b, NULL, NULL, &err) == XF_OK);
        CHECK(memcmp(a, b, sizeof a) == 0);
        xf_head_free(g);
    }
    xf_head_free(h);
    remove(path);
    remove(old);
}

static void test_files(const xf_head *h, const xf_panel *panel)
{
    char path[64], enc_path[64];
    xf_encoder_config cfg;
    xf_encoder *other = NULL, *pair[2];
    xf_head *g = NULL;
    xf_head_workspace *ws = NULL;
    xf_error err;
    unsigned char *buf;
    size_t len;
    int rc;

    check_roundtrip(h, &gru, 1, panel, "sine head");

    /* an encoder of the same shape from another seed */
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    cfg.context = 64;
    cfg.n_hidden = 8;
    need(xf_encoder_new(&cfg, 2, &other, &err) == XF_OK, "second encoder", &err);
    xf_encoder_set_name(other, "gru-other");
    CHECK(xf_encoder_fingerprint(other) != xf_encoder_fingerprint(gru));

    temp_path(path, sizeof path);
    CHECK(xf_head_save(h, path, &err) == XF_OK);
    CHECK(xf_head_load(path, &g, &err) == XF_OK);
    if (g != NULL) {
        CHECK(xf_head_attach_encoders(g, &other, 1, &err) == XF_EDATA);
        CHECK_MSG(strstr(err.message, "gru-small") != NULL &&
                      strstr(err.message, "fingerprint") != NULL,
                  "%s", err.message);
        CHECK(xf_head_attach_encoders(g, NULL, 0, &err) == XF_EDATA);
        CHECK_MSG(strstr(err.message, "gru-small") != NULL, "%s", err.message);
        /* still not attached */
        CHECK(xf_head_workspace_new(g, &ws, &err) != XF_OK && ws == NULL);
        /* any order; extra encoders are ignored */
        pair[0] = other;
        pair[1] = gru;
        CHECK_MSG(xf_head_attach_encoders(g, pair, 2, &err) == XF_OK, "%s", err.message);
        CHECK(xf_head_workspace_new(g, &ws, &err) == XF_OK);
        xf_head_workspace_free(ws);
        xf_head_free(g);
        g = NULL;
    }

    /* a workspace of one head does not serve another */
    {
        xf_head *g2 = NULL;
        double mean[H_SMALL];
        CHECK(xf_head_load(path, &g2, &err) == XF_OK);
        if (g2 != NULL && xf_head_attach_encoders(g2, &gru, 1, &err) == XF_OK &&
            xf_head_workspace_new(g2, &ws, &err) == XF_OK) {
            CHECK(xf_head_forecast(h, ws, panel, 0, SIZE_MAX, H_SMALL, NULL, mean, NULL, NULL,
                                   &err) == XF_EINVAL);
            xf_head_workspace_free(ws);
        }
        xf_head_free(g2);
    }

    /* one byte flipped in the middle */
    buf = read_all(path, &len);
    buf[len / 2] ^= 0x5A;
    write_all(path, buf, len);
    g = (xf_head *)&err;
    rc = xf_head_load(path, &g, &err);
    CHECK_MSG((rc == XF_ECHECKSUM || rc == XF_EFORMAT) && g == NULL, "damaged file: %d %s", rc,
              err.message);
    /* cut short */
    buf[len / 2] ^= 0x5A;
    write_all(path, buf, len / 3);
    rc = xf_head_load(path, &g, &err);
    CHECK_MSG((rc == XF_ECHECKSUM || rc == XF_EFORMAT) && g == NULL, "truncated file: %d %s",
              rc, err.message);
    free(buf);
    remove(path);
    /* no such file */
    CHECK(xf_head_load("/nonexistent-dir/head.xfm", &g, &err) == XF_EIO && g == NULL);
    CHECK(xf_head_save(h, "/nonexistent-dir/head.xfm", &err) == XF_EIO);

    /* an encoder file is not a head */
    temp_path(enc_path, sizeof enc_path);
    CHECK(xf_encoder_save(gru, enc_path, &err) == XF_OK);
    CHECK(xf_head_load(enc_path, &g, &err) == XF_EFORMAT && g == NULL);
    CHECK_MSG(strstr(err.message, "encoder") != NULL, "%s", err.message);
    remove(enc_path);
    xf_encoder_free(other);
    test_old_head_file(panel);
}

/* ------------------------------------------------------------ 6. bad input */

static void test_bad_input(const xf_head *h)
{
    xf_panel *p = NULL, *fp = NULL;
    xf_head *g = NULL;
    xf_head_options o;
    xf_time t[N_SINE];
    double y[N_SINE], mean[H_SMALL], lo[2 * H_SMALL], hi[2 * H_SMALL];
    xf_error err;
    rng r = {99};
    size_t s, k;
    xf_head_workspace *ws = NULL;

    hourly_times(t, N_SINE);
    /* horizon outside 1..H */
    need(xf_head_workspace_new(h, &ws, &err) == XF_OK, "workspace", &err);
    p = sine_panel(1, 100, 0.3, 5);
    CHECK(xf_head_forecast(h, ws, p, 0, SIZE_MAX, H_SMALL + 1, NULL, mean, lo, hi, &err) ==
          XF_ERANGE);
    CHECK_MSG(strstr(err.message, "13") != NULL, "%s", err.message);
    CHECK(xf_head_forecast(h, ws, p, 0, SIZE_MAX, 0, NULL, mean, lo, hi, &err) == XF_ERANGE);
    /* series index and origin out of range */
    CHECK(xf_head_forecast(h, ws, p, 1, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) ==
          XF_EINVAL);
    CHECK(xf_head_forecast(h, ws, p, 0, 101, H_SMALL, NULL, mean, lo, hi, &err) == XF_EDATA);
    CHECK(xf_head_forecast(h, ws, p, 0, 0, H_SMALL, NULL, mean, lo, hi, &err) == XF_EDATA);
    xf_panel_free(p);

    /* a panel with an all-missing series, a series with NaN and +-Inf
     * inside and a constant one: the fit ignores what it cannot use */
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    for (s = 0; s < 2; s++) {
        for (k = 0; k < N_SINE; k++)
            y[k] = sine_truth(s, k) + 0.3 * rng_norm(&r);
        need(xf_panel_add_series(p, s ? "sine1" : "sine0", N_SINE, t, hourly, y, NULL, &err) ==
                 XF_OK, "series", &err);
    }
    for (k = 0; k < N_SINE; k++)
        y[k] = NAN;
    need(xf_panel_add_series(p, "empty", N_SINE, t, hourly, y, NULL, &err) == XF_OK, "series",
         &err);
    for (k = 0; k < N_SINE; k++)
        y[k] = k % 37 == 5 ? NAN : k % 53 == 7 ? INFINITY : k % 71 == 9 ? -INFINITY
                                                                        : sine_truth(2, k);
    y[N_SINE - 2] = INFINITY; /* just before the end */
    need(xf_panel_add_series(p, "holes", N_SINE, t, hourly, y, NULL, &err) == XF_OK, "series",
         &err);
    for (k = 0; k < N_SINE; k++)
        y[k] = 1234.5;
    need(xf_panel_add_series(p, "const", N_SINE, t, hourly, y, NULL, &err) == XF_OK, "series",
         &err);
    CHECK_INT(xf_panel_series_observed(p, 2), 0);
    small_opts(&o);
    g = fit_ok(p, &gru, 1, &o, "panel with bad series");
    if (g != NULL) {
        /* the all-missing series cannot be forecast */
        CHECK(forecast(g, p, 2, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) == XF_EDATA);
        CHECK_MSG(strstr(err.message, "empty") != NULL, "%s", err.message);
        /* holes: finite from the end and from just after an infinity */
        CHECK_MSG(forecast(g, p, 3, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) == XF_OK, "%s",
                  err.message);
        CHECK(all_finite(mean, H_SMALL) && all_finite(lo, 2 * H_SMALL) &&
              all_finite(hi, 2 * H_SMALL));
        CHECK(forecast(g, p, 3, 8, H_SMALL, NULL, mean, lo, hi, &err) == XF_OK); /* Inf at 7 */
        CHECK(all_finite(mean, H_SMALL) && all_finite(lo, 2 * H_SMALL));
        CHECK(forecast(g, p, 3, 54, H_SMALL, NULL, mean, NULL, NULL, &err) == XF_OK);
        CHECK(all_finite(mean, H_SMALL));
        /* BUG: src/featurize.c scale_floor (used by xf__feat_norm) lets the
         * scale of an origin fall to 1e-6 |level| when its window is flat -
         * here the "holes" series, an exact 24-periodic sine, has a zero
         * seasonal (MASE) scale - and its normalised targets then reach
         * 1e5 (origin 28, step 6: the seasonal value is -Inf, the baseline
         * falls back to the last value); a few such origins dominate the
         * global ridge fit: intercepts of -300..-500 at steps 2, 4 and 6,
         * forecasts of the clean sines off by ~100 (MAE 30-40) and the
         * constant below off by 3e-4 relative.  Leaving out training origins
         * with |normalised target| > 100 gives MAE 0.1-0.3.  The bad series
         * must not spoil the good ones: */
        {
            double mae = sine_mae(g, p, 2, 500);
            CHECK_MSG(mae < 0.5, "clean sines next to bad series: MAE %g", mae);
        }
        /* the constant series: its constant, within 1e-6 relative (BUG:
         * the same cause) */
        CHECK(forecast(g, p, 4, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) == XF_OK);
        {
            double worst = 0;
            for (k = 0; k < H_SMALL; k++)
                if (!(fabs(mean[k] / 1234.5 - 1) <= worst))
                    worst = fabs(mean[k] / 1234.5 - 1);
            CHECK_MSG(worst <= 1e-6, "constant 1234.5 forecast %g relative off", worst);
        }
        xf_head_free(g);
    }
    xf_panel_free(p);

    /* BUG (the same floor): a series that is flat for a while and then
     * steps (a square wave, 0 for 100 values then 5 for 100: intermittent
     * demand, a held price, an on/off load) gives origins with a flat
     * window and a jump in their targets, normalised to ~1e12 at level 0;
     * the whole head is ruined: the clean sines beside it are forecast with
     * MAE ~1e10 (about 100 at level 100).  Also in the committed 9b23767. */
    p = sine_panel(2, N_SINE, 0.3, 21);
    for (k = 0; k < N_SINE; k++)
        y[k] = (k / 100) % 2 ? 5.0 : 0.0;
    need(xf_panel_add_series(p, "square", N_SINE, t, hourly, y, NULL, &err) == XF_OK, "series",
         &err);
    g = fit_ok(p, &gru, 1, &o, "sines and a square wave");
    if (g != NULL) {
        double mae = sine_mae(g, p, 2, 500);
        CHECK_MSG(mae < 0.5, "sines next to a square wave: MAE %g", mae);
        xf_head_free(g);
    }
    xf_panel_free(p);

    /* a panel of constant series only */
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    for (s = 0; s < 2; s++) {
        for (k = 0; k < N_SINE; k++)
            y[k] = s ? -7.25 : 3.0;
        need(xf_panel_add_series(p, s ? "c1" : "c0", N_SINE, t, hourly, y, NULL, &err) == XF_OK,
             "series", &err);
    }
    g = fit_ok(p, &gru, 1, &o, "constant panel");
    if (g != NULL) {
        for (s = 0; s < 2; s++) {
            double c = s ? -7.25 : 3.0;
            double worst = 0;
            CHECK(forecast(g, p, s, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) == XF_OK);
            for (k = 0; k < H_SMALL; k++)
                if (!(fabs(mean[k] / c - 1) <= worst))
                    worst = fabs(mean[k] / c - 1);
            CHECK_MSG(worst <= 1e-6, "constant %g forecast %g relative off", c, worst);
            CHECK(all_finite(lo, 2 * H_SMALL) && all_finite(hi, 2 * H_SMALL));
        }
        xf_head_free(g);
    }
    xf_panel_free(p);

    /* series shorter than the lag window and the encoder context: padded */
    need(xf_panel_new(NULL, 0, &fp, &err) == XF_OK, "panel", &err);
    {
        size_t lens[3] = {1, 5, 30};
        for (s = 0; s < 3; s++) {
            char id[16];
            for (k = 0; k < lens[s]; k++)
                y[k] = sine_truth(0, k);
            snprintf(id, sizeof id, "short%zu", lens[s]);
            need(xf_panel_add_series(fp, id, lens[s], t, hourly, y, NULL, &err) == XF_OK,
                 "series", &err);
        }
        for (s = 0; s < 3; s++) {
            xf_time tt[H_SMALL];
            CHECK_MSG(forecast(h, fp, s, SIZE_MAX, H_SMALL, tt, mean, lo, hi, &err) == XF_OK,
                      "%s", err.message);
            CHECK(all_finite(mean, H_SMALL) && all_finite(lo, 2 * H_SMALL) &&
                  all_finite(hi, 2 * H_SMALL));
            CHECK(tt[0] == t_start + (xf_time)lens[s] * HOUR_US);
        }
    }
    xf_panel_free(fp);

    /* too little data to fit: the message says how much is needed, and
     * that much is enough */
    p = sine_panel(1, 60, 0.3, 11);
    g = (xf_head *)&err;
    CHECK(xf_head_fit(p, &gru, 1, &o, &g, &err) == XF_EDATA && g == NULL);
    CHECK_MSG(strstr(err.message, "at least") != NULL, "%s", err.message);
    xf_panel_free(p);
    {
        const char *at = strstr(err.message, "at least about ");
        long need_n = at != NULL ? strtol(at + strlen("at least about "), NULL, 10) : 0;
        CHECK_MSG(need_n > 60 && need_n < N_SINE, "%s", err.message);
        if (need_n > 60 && need_n < N_SINE) {
            p = sine_panel(1, (size_t)need_n, 0.3, 11);
            g = fit_ok(p, &gru, 1, &o, "the length the message asks for");
            xf_head_free(g);
            xf_panel_free(p);
        }
    }
    /* no series at all */
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    CHECK(xf_head_fit(p, &gru, 1, &o, &g, &err) == XF_EDATA);
    xf_panel_free(p);
    xf_head_workspace_free(ws);
}

/* ------------------------------------------------------------ 7. log */

static double growth_truth(size_t s, size_t t)
{
    return (50.0 + 30.0 * (double)s) * exp(0.002 * (double)t) *
           (1.0 + 0.1 * sin(TWO_PI * (double)t / 24.0));
}

static void test_log(void)
{
    xf_panel *p = NULL;
    xf_head_options o;
    xf_head *h = NULL;
    xf_time t[N_SINE];
    double y[N_SINE], mean[H_SMALL], lo[2 * H_SMALL], hi[2 * H_SMALL], rel = 0;
    xf_error err;
    size_t s, k;

    hourly_times(t, N_SINE);
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    for (s = 0; s < 2; s++) {
        for (k = 0; k < N_SINE; k++)
            y[k] = growth_truth(s, k);
        if (s == 1) { /* values that are not positive: missing on the log scale */
            y[100] = 0;
            y[200] = -5;
            y[N_SINE - 3] = 0;
        }
        need(xf_panel_add_series(p, s ? "g1" : "g0", N_SINE, t, hourly, y, NULL, &err) == XF_OK,
             "series", &err);
    }
    /* a positive series whose last values are all negative */
    for (k = 0; k < 100; k++)
        y[k] = k < 60 ? growth_truth(0, k) : -1.0;
    need(xf_panel_add_series(p, "negative", 100, t, hourly, y, NULL, &err) == XF_OK, "series",
         &err);

    small_opts(&o);
    o.log_transform = 1;
    h = fit_ok(p, &gru, 1, &o, "log transform");
    if (h == NULL) {
        xf_panel_free(p);
        return;
    }
    for (s = 0; s < 2; s++) {
        CHECK_MSG(forecast(h, p, s, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) == XF_OK, "%s",
                  err.message);
        for (k = 0; k < H_SMALL; k++) {
            CHECK_MSG(isfinite(mean[k]) && mean[k] > 0, "series %zu step %zu: %g", s, k,
                      mean[k]);
            /* positive intervals, nested; on this noise-free series the
             * held-out residuals can all have one sign, so the interval need
             * not contain the mean */
            CHECK(lo[k] > 0 && hi[k] > 0 && lo[H_SMALL + k] > 0 && hi[H_SMALL + k] > 0);
            CHECK(lo[k] < hi[k] && lo[H_SMALL + k] <= lo[k] && hi[k] <= hi[H_SMALL + k]);
            rel += fabs(mean[k] / growth_truth(s, N_SINE + k) - 1);
        }
    }
    rel /= 2 * H_SMALL;
    printf("log transform: mean relative error %.4f\n", rel);
    CHECK_MSG(rel < 0.05, "relative error %g", rel);
    /* nothing positive in the normalisation window */
    CHECK(forecast(h, p, 2, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) == XF_EDATA);
    CHECK_MSG(strstr(err.message, "negative") != NULL, "%s", err.message);
    /* from before the negative run it works */
    CHECK(forecast(h, p, 2, 60, H_SMALL, NULL, mean, lo, hi, &err) == XF_OK);
    CHECK(all_finite(mean, H_SMALL) && mean[0] > 0);
    xf_head_free(h);

    /* the same series on the linear scale (log_transform auto is off for
     * the generic domain): the non-positive values are data there */
    small_opts(&o);
    h = fit_ok(p, &gru, 1, &o, "log auto");
    if (h != NULL) {
        CHECK_MSG(forecast(h, p, 2, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) == XF_OK, "%s",
                  err.message);
        CHECK(all_finite(mean, H_SMALL));
        xf_head_free(h);
    }
    xf_panel_free(p);
}

/* ------------------------------------------------------------ 8. zero-shot */

static void test_zeroshot(const char *srcdir)
{
    char path[1024];
    xf_encoder *base = NULL;
    xf_panel *p = NULL;
    xf_head_options o;
    xf_head *h = NULL;
    xf_error err;
    xf_freq quarter = {XF_FREQ_FIXED, 900 * XF_TIME_US_PER_SEC, 0};
    xf_time t[700];
    double y[700], mean[MAX_H], lo[2 * MAX_H], hi[2 * MAX_H];
    int32_t eh, k;
    size_t i, n = 700;

    snprintf(path, sizeof path, "%s/models/gru-base.xfm", srcdir);
    CHECK_MSG(xf_encoder_load(path, &base, &err) == XF_OK, "%s", err.message);
    if (base == NULL)
        return;
    eh = xf_encoder_horizon(base);
    CHECK_INT(eh, 64);
    CHECK(eh > 0 && eh <= MAX_H);

    /* quarter-hourly data: the automatic horizon (a day, 96 steps) is capped */
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    for (i = 0; i < n; i++) {
        t[i] = t_start + (xf_time)i * 900 * XF_TIME_US_PER_SEC;
        y[i] = 10.0 + 3.0 * sin(TWO_PI * (double)i / 24.0);
    }
    need(xf_panel_add_series(p, "wave", n, t, quarter, y, NULL, &err) == XF_OK, "series", &err);
    xf_head_options_init(&o);
    CHECK_MSG(xf_head_zeroshot(p, base, &o, &h, &err) == XF_OK, "%s", err.message);
    if (h != NULL) {
        double mae = 0;
        CHECK(xf_head_is_zeroshot(h));
        CHECK_INT(xf_head_horizon(h), eh);
        CHECK_INT(xf_head_n_encoders(h), 1);
        CHECK_STR(xf_head_encoder_name(h, 0), "gru-base");
        CHECK_MSG(forecast(h, p, 0, SIZE_MAX, eh, NULL, mean, lo, hi, &err) == XF_OK, "%s",
                  err.message);
        CHECK(all_finite(mean, (size_t)eh) && all_finite(lo, 2 * (size_t)eh) &&
              all_finite(hi, 2 * (size_t)eh));
        for (k = 0; k < eh; k++) {
            CHECK(lo[k] <= hi[k] && lo[eh + k] <= lo[k] && hi[eh + k] >= hi[k]);
            mae += fabs(mean[k] - (10.0 + 3.0 * sin(TWO_PI * (double)((int32_t)n + k) / 24.0)));
        }
        printf("zero-shot gru-base on a sine: MAE %.3f over %d steps\n", mae / eh, (int)eh);
        CHECK(forecast(h, p, 0, SIZE_MAX, eh + 1, NULL, mean, lo, hi, &err) == XF_ERANGE);
        check_roundtrip(h, &base, 1, p, "zero-shot head");
        xf_head_free(h);
        h = NULL;
    }
    /* asking for more than the pretraining horizon */
    o.horizon = eh + 1;
    CHECK(xf_head_zeroshot(p, base, &o, &h, &err) == XF_ERANGE && h == NULL);
    CHECK_MSG(strstr(err.message, "gru-base") != NULL, "%s", err.message);
    /* an encoder without a pretraining head */
    o.horizon = 12;
    CHECK(xf_head_zeroshot(p, gru, &o, &h, &err) == XF_EINVAL && h == NULL);
    xf_panel_free(p);
    xf_encoder_free(base);
}

/* ------------------------------------------------------------ 9. backtests */

typedef struct bt_check {
    const xf_panel *panel;
    size_t calls, bad_actual, bad_time, bad_interval, bad_shape;
    size_t origin[4], series[4]; /* the first forecasts, compared with the head later */
    double mean0[4];
    int stop_after;              /* > 0: ask to stop at that call */
} bt_check;

static int bt_callback(const xf_backtest_forecast *f, void *user, xf_error *err)
{
    bt_check *c = user;
    const double *y = xf_panel_series_values(c->panel, f->series);
    const xf_time *ts = xf_panel_series_times(c->panel, f->series);
    int32_t k;
    size_t l;
    (void)err;
    if (c->calls < 4) {
        c->origin[c->calls] = f->origin;
        c->series[c->calls] = f->series;
        c->mean0[c->calls] = f->mean[0];
    }
    c->calls++;
    if (f->horizon != H_SMALL || f->n_levels != 2 || f->levels[0] != 80 ||
        f->levels[1] != 95 || strcmp(f->id, xf_panel_series_id(c->panel, f->series)) != 0 ||
        f->origin_time != ts[f->origin - 1] || f->t == NULL)
        c->bad_shape++;
    for (k = 0; k < f->horizon; k++) {
        size_t idx = f->origin + (size_t)k;
        if (!(f->actual[k] == y[idx] || (isnan(f->actual[k]) && isnan(y[idx]))))
            c->bad_actual++;
        if (f->t != NULL && f->t[k] != ts[idx])
            c->bad_time++;
        for (l = 0; l < f->n_levels; l++)
            if (!(f->lo[l * (size_t)f->horizon + (size_t)k] <= f->mean[k] &&
                  f->mean[k] <= f->hi[l * (size_t)f->horizon + (size_t)k]))
                c->bad_interval++;
    }
    return c->stop_after > 0 && c->calls >= (size_t)c->stop_after;
}

/* Exactly periodic hourly series: seasonal naive is exact. */
static xf_panel *periodic_panel(void)
{
    xf_panel *p = NULL;
    xf_time t[N_SINE];
    double y[N_SINE], pattern[24];
    xf_error err;
    size_t s, k;
    hourly_times(t, N_SINE);
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    for (s = 0; s < 2; s++) {
        for (k = 0; k < 24; k++)
            pattern[k] = 10.0 + 3.0 * sin(TWO_PI * (double)(k + 5 * s) / 24.0) +
                         (k == 7 ? 2.0 : 0.0);
        for (k = 0; k < N_SINE; k++)
            y[k] = pattern[k % 24];
        need(xf_panel_add_series(p, s ? "p1" : "p0", N_SINE, t, hourly, y, NULL, &err) == XF_OK,
             "series", &err);
    }
    return p;
}

static void test_backtest(const xf_panel *sine)
{
    xf_backtest_options bo;
    xf_backtest_result res;
    xf_head *h = NULL;
    xf_error err;
    bt_check chk;
    xf_panel *per = NULL;
    size_t k, m, l, n_s = xf_panel_n_series(sine), per_series;
    int rc;

    xf_backtest_options_init(&bo);
    small_opts(&bo.fit);
    bo.test_start_row = 480;
    memset(&chk, 0, sizeof chk);
    chk.panel = sine;
    rc = xf_backtest(sine, &gru, 1, &bo, bt_callback, &chk, &res, &h, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    if (rc == XF_OK) {
        /* origins 480, 492, ..., 588 in each series (stride = horizon) */
        per_series = (N_SINE - H_SMALL - 480) / H_SMALL + 1;
        CHECK_INT(per_series, 10);
        CHECK_INT(res.n_origins, n_s * per_series);
        CHECK_INT(res.n_series, n_s);
        CHECK_INT(res.horizon, H_SMALL);
        CHECK_INT(res.season, 24);
        CHECK_INT(res.n_levels, 2);
        CHECK(res.levels[0] == 80 && res.levels[1] == 95);
        CHECK(res.per_step != NULL);
        for (m = 0; m < XF_N_METHODS; m++) {
            const xf_metrics *ov = &res.overall[m];
            CHECK(ov->n == (double)(res.n_origins * H_SMALL));
            CHECK(isfinite(ov->mae) && ov->mae >= 0 && isfinite(ov->rmse) && ov->rmse >= ov->mae);
            CHECK(isfinite(ov->smape) && ov->smape >= 0 && ov->smape <= 200);
            CHECK(isfinite(ov->mase) && ov->mase >= 0);
            for (k = 0; k < H_SMALL && res.per_step != NULL; k++) {
                const xf_metrics *ps = &res.per_step[k * XF_N_METHODS + m];
                CHECK(ps->n == (double)res.n_origins);
                CHECK(isfinite(ps->mae) && isfinite(ps->rmse));
                if (m == XF_METHOD_MODEL)
                    for (l = 0; l < 2; l++)
                        CHECK(ps->coverage[l] >= 0 && ps->coverage[l] <= 100);
            }
        }
        for (l = 0; l < 2; l++)
            CHECK_MSG(res.overall[XF_METHOD_MODEL].coverage[l] >= 0 &&
                          res.overall[XF_METHOD_MODEL].coverage[l] <= 100,
                      "coverage %g", res.overall[XF_METHOD_MODEL].coverage[l]);
        CHECK(res.overall[XF_METHOD_MODEL].coverage[1] >= res.overall[XF_METHOD_MODEL].coverage[0]);
        /* the model does well on a noisy sine: error about the noise */
        CHECK_MSG(res.overall[XF_METHOD_MODEL].mae < 0.6, "MAE %g",
                  res.overall[XF_METHOD_MODEL].mae);
        printf("backtest sine: MAE model %.3f, naive %.3f, seasonal naive %.3f; coverage "
               "%.0f%% / %.0f%%\n", res.overall[0].mae, res.overall[1].mae, res.overall[2].mae,
               res.overall[0].coverage[0], res.overall[0].coverage[1]);
        /* the callback saw every forecast, with the data's actual values */
        CHECK_INT(chk.calls, res.n_origins);
        CHECK_INT(chk.bad_shape, 0);
        CHECK_INT(chk.bad_actual, 0);
        CHECK_INT(chk.bad_time, 0);
        CHECK_INT(chk.bad_interval, 0);
        CHECK(chk.origin[0] == 480 && chk.series[0] == 0 && chk.origin[1] == 492);
        /* and the head it returns forecasts the same from those origins */
        if (h != NULL) {
            double mean[H_SMALL];
            for (k = 0; k < 4; k++) {
                CHECK(forecast(h, sine, chk.series[k], chk.origin[k], H_SMALL, NULL, mean, NULL,
                               NULL, &err) == XF_OK);
                CHECK_NEAR(mean[0], chk.mean0[k], 1e-9 * (1 + fabs(mean[0])));
            }
        }
        xf_backtest_result_free(&res);
        CHECK(res.per_step == NULL);
    }
    xf_head_free(h);
    h = NULL;

    /* a callback that stops the run: XF_EIO */
    memset(&chk, 0, sizeof chk);
    chk.panel = sine;
    chk.stop_after = 3;
    xf_error_clear(&err);
    rc = xf_backtest(sine, &gru, 1, &bo, bt_callback, &chk, &res, NULL, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK_INT(chk.calls, 3);
    /* BUG: src/backtest.c:202 (flush) returns err->code when it is not XF_OK
     * but never sets it: with a cleared report the call returns XF_EIO and
     * leaves err.code at XF_OK with an empty message (error.h: code is "the
     * same as the call's return value") */
    CHECK_MSG(err.code == rc, "err.code %d, returned %d", err.code, rc);

    /* no test origin: the test period is shorter than the horizon */
    bo.test_start_row = N_SINE - H_SMALL + 1;
    CHECK(xf_backtest(sine, &gru, 1, &bo, NULL, NULL, &res, &h, &err) == XF_EDATA && h == NULL);
    CHECK_MSG(strstr(err.message, "no test origin") != NULL, "%s", err.message);

    /* BUG: the same line: with a report still holding an earlier failure
     * (the XF_EDATA just above), stopping from the callback returns that
     * stale XF_EDATA and its message instead of XF_EIO */
    bo.test_start_row = 480;
    memset(&chk, 0, sizeof chk);
    chk.panel = sine;
    chk.stop_after = 1;
    rc = xf_backtest(sine, &gru, 1, &bo, bt_callback, &chk, &res, NULL, &err);
    CHECK_MSG(rc == XF_EIO, "stopped by the callback: %d (%s)", rc, err.message);
    CHECK_INT(chk.calls, 1);
    /* no test start */
    bo.test_start_row = -1;
    CHECK(xf_backtest(sine, &gru, 1, &bo, NULL, NULL, &res, NULL, &err) == XF_EINVAL);

    /* exactly periodic series with the seasonal period: seasonal naive is
     * exact, naive is not, and MASE has no scale */
    per = periodic_panel();
    xf_backtest_options_init(&bo);
    small_opts(&bo.fit);
    bo.test_start_row = 480;
    bo.stride = 5;
    memset(&chk, 0, sizeof chk);
    chk.panel = per;
    rc = xf_backtest(per, &gru, 1, &bo, bt_callback, &chk, &res, NULL, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    if (rc == XF_OK) {
        /* origins 480, 485, ..., 585 */
        CHECK_INT(res.n_origins, 2 * ((N_SINE - H_SMALL - 480) / 5 + 1));
        CHECK_INT(chk.calls, res.n_origins);
        CHECK_INT(chk.bad_actual, 0);
        CHECK_INT(res.season, 24);
        CHECK_MSG(res.overall[XF_METHOD_SNAIVE].mae < 1e-12, "seasonal naive MAE %g",
                  res.overall[XF_METHOD_SNAIVE].mae);
        CHECK_MSG(res.overall[XF_METHOD_NAIVE].mae > 0.5, "naive MAE %g",
                  res.overall[XF_METHOD_NAIVE].mae);
        for (k = 0; k < H_SMALL; k++)
            CHECK(res.per_step[k * XF_N_METHODS + XF_METHOD_SNAIVE].mae < 1e-12);
        CHECK_INT(res.n_mase_skipped, 2);
        CHECK(isnan(res.overall[XF_METHOD_MODEL].mase));
        xf_backtest_result_free(&res);
    }
    xf_panel_free(per);
}

/* ------------------------------------------------------------ 10. threads */

#define N_THREADS 4
#define REPS 50

typedef struct job {
    const xf_head *h;
    const xf_panel *p;
    const double *ref; /* [series][5 H]: mean, lo (2 H), hi (2 H) */
    size_t mismatches, errors;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    xf_head_workspace *ws = NULL;
    double out[5 * H_SMALL];
    size_t rep, s, n_s = xf_panel_n_series(j->p);
    if (xf_head_workspace_new(j->h, &ws, NULL) != XF_OK) {
        j->errors++;
        return NULL;
    }
    for (rep = 0; rep < REPS; rep++)
        for (s = 0; s < n_s; s++) {
            if (xf_head_forecast(j->h, ws, j->p, s, SIZE_MAX, H_SMALL, NULL, out, out + H_SMALL,
                                 out + 3 * H_SMALL, NULL) != XF_OK)
                j->errors++;
            else if (memcmp(out, j->ref + s * 5 * H_SMALL, sizeof out) != 0)
                j->mismatches++;
        }
    xf_head_workspace_free(ws);
    return NULL;
}

static void test_threads(const xf_head *h, const xf_panel *p)
{
    size_t n_s = xf_panel_n_series(p), s, i;
    double *ref = malloc(n_s * 5 * H_SMALL * sizeof *ref);
    pthread_t th[N_THREADS];
    job jobs[N_THREADS];
    int started[N_THREADS];
    xf_error err;
    xf_head_options o;
    xf_head *h1 = NULL, *h2 = NULL;

    need(ref != NULL, "reference", NULL);
    for (s = 0; s < n_s; s++) {
        double *r = ref + s * 5 * H_SMALL;
        CHECK(forecast(h, p, s, SIZE_MAX, H_SMALL, NULL, r, r + H_SMALL, r + 3 * H_SMALL,
                       &err) == XF_OK);
    }
    for (i = 0; i < N_THREADS; i++) {
        jobs[i].h = h;
        jobs[i].p = p;
        jobs[i].ref = ref;
        jobs[i].mismatches = jobs[i].errors = 0;
        started[i] = pthread_create(&th[i], NULL, worker, &jobs[i]) == 0;
        CHECK(started[i]);
    }
    for (i = 0; i < N_THREADS; i++) {
        if (!started[i])
            continue;
        pthread_join(th[i], NULL);
        CHECK_MSG(jobs[i].errors == 0 && jobs[i].mismatches == 0,
                  "thread %zu: %zu errors, %zu results differ", i, jobs[i].errors,
                  jobs[i].mismatches);
    }

    /* fitting with 1 or 2 threads gives the same head */
    small_opts(&o);
    o.n_threads = 1;
    h1 = fit_ok(p, &gru, 1, &o, "1 thread");
    o.n_threads = 2;
    h2 = fit_ok(p, &gru, 1, &o, "2 threads");
    if (h1 != NULL && h2 != NULL) {
        double a[5 * H_SMALL], b[5 * H_SMALL];
        CHECK(meta_f64(h1, "valid.mse") == meta_f64(h2, "valid.mse"));
        for (s = 0; s < n_s; s++) {
            CHECK(forecast(h1, p, s, 400, H_SMALL, NULL, a, a + H_SMALL, a + 3 * H_SMALL,
                           &err) == XF_OK);
            CHECK(forecast(h2, p, s, 400, H_SMALL, NULL, b, b + H_SMALL, b + 3 * H_SMALL,
                           &err) == XF_OK);
            CHECK_MSG(memcmp(a, b, sizeof a) == 0, "series %zu: 1 and 2 threads differ", s);
        }
    }
    xf_head_free(h1);
    xf_head_free(h2);
    free(ref);
}

/* ------------------------------------------------------------ main */

int main(void)
{
    const char *srcdir = getenv("XF_SRCDIR") ? getenv("XF_SRCDIR") : ".";
    xf_encoder_config cfg;
    xf_encoder *tcn = NULL;
    xf_panel *sine = NULL;
    xf_head *head = NULL;
    xf_head_options o;
    xf_error err;
    static const char t0[] = "2024-01-01T00:00:00Z";

    xf_blas_set_threads(1); /* bit-identical results across threads */
    need(xf_time_parse_iso(t0, strlen(t0), &t_start) == XF_OK, "start time", NULL);
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    cfg.context = 64;
    cfg.n_layers = 1;
    cfg.n_hidden = 8;
    need(xf_encoder_new(&cfg, 1, &gru, &err) == XF_OK, "small GRU", &err);
    xf_encoder_set_name(gru, "gru-small");
    xf_encoder_config_init(&cfg, XF_ARCH_TCN);
    cfg.context = 64;
    cfg.n_channels = 8;
    cfg.n_blocks = 5;
    need(xf_encoder_new(&cfg, 1, &tcn, &err) == XF_OK, "small TCN", &err);
    xf_encoder_set_name(tcn, "tcn-small");

    test_panel_arrays();
    test_panel_dataset();

    sine = sine_panel(3, N_SINE, 0.3, 1);
    small_opts(&o);
    head = fit_ok(sine, &gru, 1, &o, "sine panel");
    if (head != NULL) {
        test_fit_sine(sine, head);
        test_files(head, sine);
        test_bad_input(head);
        test_threads(head, sine);
    }
    test_options(tcn);
    test_few_lags(sine);
    test_covariates();
    test_log();
    test_zeroshot(srcdir);
    test_backtest(sine);

    xf_head_free(head);
    xf_panel_free(sine);
    xf_encoder_free(tcn);
    xf_encoder_free(gru);
    return tu_report("test_head");
}
