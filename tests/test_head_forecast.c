/* test_head_forecast.c - forecasting with heads: bad input to forecasts and fits,
 * zero-shot heads (models/gru-base.xfm, found under $XF_SRCDIR, default
 * "."), and one head forecasting from many threads.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <pthread.h>

#include "head_testutil.h"

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
    CHECK(xf_head_forecast(h, ws, p, 1, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) == XF_EINVAL);
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
                 XF_OK,
             "series", &err);
    }
    for (k = 0; k < N_SINE; k++)
        y[k] = NAN;
    need(xf_panel_add_series(p, "empty", N_SINE, t, hourly, y, NULL, &err) == XF_OK, "series",
         &err);
    for (k = 0; k < N_SINE; k++)
        y[k] = k % 37 == 5   ? NAN
               : k % 53 == 7 ? INFINITY
               : k % 71 == 9 ? -INFINITY
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
            need(xf_panel_add_series(fp, id, lens[s], t, hourly, y, NULL, &err) == XF_OK, "series",
                 &err);
        }
        for (s = 0; s < 3; s++) {
            xf_time tt[H_SMALL];
            CHECK_MSG(forecast(h, fp, s, SIZE_MAX, H_SMALL, tt, mean, lo, hi, &err) == XF_OK, "%s",
                      err.message);
            CHECK(all_finite(mean, H_SMALL) && all_finite(lo, 2 * H_SMALL) &&
                  all_finite(hi, 2 * H_SMALL));
            CHECK(tt[0] == t_start + (xf_time)lens[s] * HOUR_US);
        }
    }
    xf_panel_free(fp);

    /* too little data to fit: the message says how much is needed, and
     * that much is enough (and one value less is not) */
    p = sine_panel(1, 60, 0.3, 11);
    g = (xf_head *)&err;
    CHECK(xf_head_fit(p, &gru, 1, &o, &g, &err) == XF_EDATA && g == NULL);
    CHECK_MSG(strstr(err.message, "at least") != NULL, "%s", err.message);
    xf_panel_free(p);
    {
        const char *at = strstr(err.message, "at least ");
        long need_n = at != NULL ? strtol(at + strlen("at least "), NULL, 10) : 0;
        CHECK_MSG(need_n > 60 && need_n < N_SINE, "%s", err.message);
        if (need_n > 60 && need_n < N_SINE) {
            p = sine_panel(1, (size_t)need_n, 0.3, 11);
            g = fit_ok(p, &gru, 1, &o, "the length the message asks for");
            xf_head_free(g);
            xf_panel_free(p);
            /* and it is the minimum: one value less is too little */
            p = sine_panel(1, (size_t)need_n - 1, 0.3, 11);
            CHECK(xf_head_fit(p, &gru, 1, &o, &g, &err) == XF_EDATA && g == NULL);
            xf_panel_free(p);
        }
    }
    /* no series at all */
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    CHECK(xf_head_fit(p, &gru, 1, &o, &g, &err) == XF_EDATA);
    xf_panel_free(p);
    xf_head_workspace_free(ws);
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
    o.baseline = 0; /* the pretraining head's forecast (seasonal naive of 96 steps is exact) */
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

/* ------------------------------------------------------------ 9. the
 * zero-shot point forecast: the pretraining head's or a blend with a
 * baseline, chosen on the calibration origins */

static const char *meta_str(const xf_head *h, const char *key)
{
    const char *v = NULL;
    return xf_xfm_get_str(xf_head_meta(h), key, &v, NULL) == XF_OK ? v : "";
}

static void test_zeroshot_point(const char *srcdir)
{
    enum { N = 600, P = 24 };
    char path[1024], file[64], desc[512];
    xf_encoder *base = NULL;
    xf_panel *p = NULL;
    xf_head_options o;
    xf_head *h = NULL, *g = NULL, *alone = NULL;
    xf_xfm *mf = NULL;
    xf_error err;
    xf_time t[N];
    double y[N], pat[P], mean[MAX_H], lo[2 * MAX_H], hi[2 * MAX_H], m2[MAX_H];
    uint32_t state = 12345;
    int32_t k, H = 24;
    size_t i;

    snprintf(path, sizeof path, "%s/models/gru-base.xfm", srcdir);
    CHECK_MSG(xf_encoder_load(path, &base, &err) == XF_OK, "%s", err.message);
    if (base == NULL)
        return;
    /* a daily profile no smooth model continues, repeated exactly: seasonal
     * naive of the day is exact, so it must win */
    for (k = 0; k < P; k++) {
        state = state * 1664525u + 1013904223u;
        pat[k] = 50.0 + (double)(state >> 8) / (double)(1u << 24) * 20.0;
    }
    hourly_times(t, N);
    for (i = 0; i < N; i++)
        y[i] = pat[i % P];
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    need(xf_panel_add_series(p, "profile", N, t, hourly, y, NULL, &err) == XF_OK, "series", &err);
    xf_head_options_init(&o);
    o.horizon = H;
    CHECK_MSG(xf_head_zeroshot(p, base, &o, &h, &err) == XF_OK, "%s", err.message);
    if (h == NULL)
        goto done;
    CHECK_STR(meta_str(h, "zeroshot.point"), "seasonal naive (period 24)");
    CHECK(meta_f64(h, "zeroshot.mae") == 0.0 && meta_f64(h, "zeroshot.mae_encoder") > 0.01);
    xf_head_describe(h, desc, sizeof desc);
    CHECK_MSG(strstr(desc, "point forecast: the pretraining head's blended with 100% seasonal "
                           "naive (period 24)") != NULL,
              "%s", desc);
    CHECK_MSG(forecast(h, p, 0, SIZE_MAX, H, NULL, mean, lo, hi, &err) == XF_OK, "%s", err.message);
    for (k = 0; k < H; k++)
        CHECK_MSG(fabs(mean[k] - pat[(N + (size_t)k) % P]) < 1e-9, "step %d: %g, not %g",
                  (int)k + 1, mean[k], pat[(N + (size_t)k) % P]);
    check_roundtrip(h, &base, 1, p, "zero-shot head on seasonal naive");

    /* --baseline none: the pretraining head alone, as before the choice */
    o.baseline = 0;
    CHECK_MSG(xf_head_zeroshot(p, base, &o, &alone, &err) == XF_OK, "%s", err.message);
    if (alone != NULL) {
        CHECK_STR(meta_str(alone, "zeroshot.point"), "the pretraining head's");
        CHECK(meta_f64(alone, "zeroshot.mae") == meta_f64(h, "zeroshot.mae_encoder"));
        xf_head_describe(alone, desc, sizeof desc);
        CHECK_MSG(strstr(desc, "point forecast: the pretraining head's;") != NULL, "%s", desc);
        CHECK(forecast(alone, p, 0, SIZE_MAX, H, NULL, m2, lo, hi, &err) == XF_OK);
        CHECK(memcmp(mean, m2, (size_t)H * sizeof *m2) != 0);
    }
    /* one baseline named: the choice is among its shares */
    o.baseline = XF_BASELINE_LOCAL;
    CHECK_MSG(xf_head_zeroshot(p, base, &o, &g, &err) == XF_OK, "%s", err.message);
    if (g != NULL) {
        const char *pt = meta_str(g, "zeroshot.point");
        CHECK_MSG(strstr(pt, "local model (periods 24, 168)") != NULL ||
                      strcmp(pt, "the pretraining head's") == 0,
                  "%s", pt);
        CHECK(meta_f64(g, "zeroshot.mae") <= meta_f64(g, "zeroshot.mae_encoder"));
        xf_head_free(g);
        g = NULL;
    }

    /* the blend in the file: a share out of 0..100, or a share without a
     * baseline, is refused */
    temp_path(file, sizeof file);
    CHECK(xf_head_save(h, file, &err) == XF_OK);
    CHECK(xf_xfm_load(file, &mf, &err) == XF_OK);
    if (mf != NULL) {
        uint32_t fmt = 0;
        CHECK(xf_xfm_get_u32(mf, "head.format", &fmt, NULL) == XF_OK && fmt == 2);
        CHECK(xf_xfm_set_i64(mf, "head.blend_share", 101) == XF_OK);
        CHECK(xf_xfm_save(mf, file, &err) == XF_OK);
        CHECK_INT(xf_head_load(file, &g, &err), XF_EFORMAT);
        CHECK_MSG(strstr(err.message, "head.blend_share") != NULL, "%s", err.message);
        CHECK(xf_xfm_set_i64(mf, "head.blend_share", 50) == XF_OK &&
              xf_xfm_set_i64(mf, "head.blend_baseline", 0) == XF_OK);
        CHECK(xf_xfm_save(mf, file, &err) == XF_OK);
        CHECK_INT(xf_head_load(file, &g, &err), XF_EFORMAT);
        CHECK_MSG(strstr(err.message, "head.blend_baseline = 0 with head.blend_share = 50") != NULL,
                  "%s", err.message);
        xf_xfm_free(mf);
        mf = NULL;
    }
    /* a head without a blend is written as builds before it wrote heads
     * (layout 1, no blend keys), and forecasts its own */
    if (alone != NULL) {
        CHECK(xf_head_save(alone, file, &err) == XF_OK);
        CHECK(xf_xfm_load(file, &mf, &err) == XF_OK);
        if (mf != NULL) {
            uint32_t fmt = 0;
            int64_t v;
            CHECK(xf_xfm_get_u32(mf, "head.format", &fmt, NULL) == XF_OK && fmt == 1);
            CHECK(xf_xfm_get_i64(mf, "head.blend_share", &v, NULL) == XF_ENOTFOUND);
            xf_xfm_free(mf);
        }
        CHECK_MSG(xf_head_load(file, &g, &err) == XF_OK, "%s", err.message);
        if (g != NULL) {
            CHECK(xf_head_attach_encoders(g, &base, 1, &err) == XF_OK);
            CHECK(forecast(g, p, 0, SIZE_MAX, H, NULL, mean, lo, hi, &err) == XF_OK);
            CHECK(memcmp(mean, m2, (size_t)H * sizeof *m2) == 0);
        }
    }
    remove(file);
done:
    xf_head_free(g);
    xf_head_free(alone);
    xf_head_free(h);
    xf_panel_free(p);
    xf_encoder_free(base);
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
        CHECK(forecast(h, p, s, SIZE_MAX, H_SMALL, NULL, r, r + H_SMALL, r + 3 * H_SMALL, &err) ==
              XF_OK);
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
            CHECK(forecast(h1, p, s, 400, H_SMALL, NULL, a, a + H_SMALL, a + 3 * H_SMALL, &err) ==
                  XF_OK);
            CHECK(forecast(h2, p, s, 400, H_SMALL, NULL, b, b + H_SMALL, b + 3 * H_SMALL, &err) ==
                  XF_OK);
            CHECK_MSG(memcmp(a, b, sizeof a) == 0, "series %zu: 1 and 2 threads differ", s);
        }
    }
    xf_head_free(h1);
    xf_head_free(h2);
    free(ref);
}

/* ------------------------------------------------------------ main */

/* ------------------------------------------------------------ non-negative series
 * A series never negative so far (rain: zero on most hours) gets forecasts
 * and interval bounds clipped at 0; one that went negative (a temperature)
 * keeps its negative bounds; the head says so (head.nonneg) and keeps it
 * through its file. */
static void test_nonneg(void)
{
    xf_panel *p = NULL;
    xf_head *h = NULL, *g = NULL;
    xf_head_options o;
    xf_time t[N_SINE];
    double rain[N_SINE], temp[N_SINE], mean[H_SMALL], lo[2 * H_SMALL], hi[2 * H_SMALL];
    rng r = {77};
    xf_error err;
    char path[64];
    size_t k, n_zero_lo = 0, n_neg_lo = 0;
    hourly_times(t, N_SINE);
    for (k = 0; k < N_SINE; k++) {
        double v = 2 * sin(6.283185307179586 * (double)k / 24) - 1 + rng_norm(&r);
        rain[k] = v > 0 ? v : 0;
        temp[k] = v - 3;
    }
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    need(xf_panel_add_series(p, "rain", N_SINE, t, (xf_freq){XF_FREQ_FIXED, 3600000000, 0}, rain,
                             NULL, &err) == XF_OK,
         "rain", &err);
    need(xf_panel_add_series(p, "temp", N_SINE, t, (xf_freq){XF_FREQ_FIXED, 3600000000, 0}, temp,
                             NULL, &err) == XF_OK,
         "temp", &err);
    small_opts(&o);
    o.embedding = 0;
    if ((h = fit_ok(p, NULL, 0, &o, "non-negative")) == NULL) {
        xf_panel_free(p);
        return;
    }
    CHECK_INT(forecast(h, p, 0, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err), XF_OK);
    for (k = 0; k < 2 * H_SMALL; k++) {
        CHECK_MSG(lo[k] >= 0 && hi[k] >= 0, "rain bound %zu: %g %g", k, lo[k], hi[k]);
        n_zero_lo += lo[k] == 0;
    }
    for (k = 0; k < H_SMALL; k++)
        CHECK_MSG(mean[k] >= 0, "rain mean %zu: %g", k, mean[k]);
    CHECK_MSG(n_zero_lo > 0, "no lower bound reached 0: nothing was clipped");
    CHECK_INT(forecast(h, p, 1, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err), XF_OK);
    for (k = 0; k < 2 * H_SMALL; k++)
        n_neg_lo += lo[k] < 0;
    CHECK_MSG(n_neg_lo > 0, "the temperature's negative bounds were clipped");
    temp_path(path, sizeof path);
    CHECK_INT(xf_head_save(h, path, &err), XF_OK);
    CHECK_INT(xf_head_load(path, &g, &err), XF_OK);
    if (g != NULL) {
        double m2[H_SMALL], l2[2 * H_SMALL], h2[2 * H_SMALL];
        int64_t v = 0;
        xf_xfm *mf = NULL;
        CHECK_INT(xf_xfm_load(path, &mf, &err), XF_OK);
        CHECK_INT(xf_xfm_get_i64(mf, "head.nonneg", &v, NULL), XF_OK);
        CHECK_INT(v, 1);
        xf_xfm_free(mf);
        CHECK_INT(xf_head_attach_encoders(g, NULL, 0, &err), XF_OK);
        CHECK_INT(forecast(h, p, 0, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err), XF_OK);
        CHECK_INT(forecast(g, p, 0, SIZE_MAX, H_SMALL, NULL, m2, l2, h2, &err), XF_OK);
        CHECK(memcmp(lo, l2, sizeof lo) == 0 && memcmp(mean, m2, sizeof mean) == 0);
    }
    remove(path);
    xf_head_free(g);
    xf_head_free(h);
    xf_panel_free(p);
}

/* Hostile inputs (issue 12): a one-timestamp series of unknown frequency,
 * a forecast past 9999-12-31, values near 1e300 (forecast as the same data
 * divided by 1e300, times 1e300) and near the largest double (an error
 * naming the series, never NaN with success), values beyond the encoders'
 * float32 input. */
static void test_hostile(const xf_head *h)
{
    static const xf_freq unknown = {XF_FREQ_UNKNOWN, 0, 0};
    xf_panel *p = NULL;
    xf_head *g = NULL, *gs = NULL;
    xf_head_options o;
    xf_error err;
    xf_time t[N_SINE], tt[H_SMALL];
    double y[N_SINE], ys[N_SINE], mean[H_SMALL], lo[2 * H_SMALL], hi[2 * H_SMALL], means[H_SMALL],
        los[2 * H_SMALL], his[2 * H_SMALL];
    size_t k;
    hourly_times(t, N_SINE);

    /* one timestamp, frequency unknown: an error naming the fix, with or
     * without asking for the times; known, the next hours */
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    y[0] = 5.25;
    need(xf_panel_add_series(p, "one", 1, t, unknown, y, NULL, &err) == XF_OK, "series", &err);
    need(xf_panel_add_series(p, "one-h", 1, t, hourly, y, NULL, &err) == XF_OK, "series", &err);
    CHECK_INT(forecast(h, p, 0, SIZE_MAX, H_SMALL, tt, mean, lo, hi, &err), XF_EDATA);
    CHECK_STR(err.message, "series 'one' has a single timestamp, so its frequency cannot be "
                           "inferred: give the frequency (--freq) to forecast it");
    CHECK_INT(forecast(h, p, 0, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err), XF_EDATA);
    CHECK_INT(forecast(h, p, 1, SIZE_MAX, H_SMALL, tt, mean, lo, hi, &err), XF_OK);
    CHECK(tt[0] == t_start + HOUR_US && tt[H_SMALL - 1] == t_start + H_SMALL * HOUR_US);
    xf_panel_free(p);

    /* hourly up to 9999-12-31T20:00: steps 1..3 are that day, step 4 is not */
    {
        xf_civil c = {9999, 12, 31, 20, 0, 0, 0, 0, 0};
        xf_time last;
        need(xf_time_from_civil(&c, &last) == XF_OK, "9999-12-31T20:00", NULL);
        for (k = 0; k < 100; k++) {
            t[k] = last - (xf_time)(99 - k) * HOUR_US;
            y[k] = sine_truth(0, k);
        }
        need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
        need(xf_panel_add_series(p, "end", 100, t, hourly, y, NULL, &err) == XF_OK, "series", &err);
        CHECK_INT(forecast(h, p, 0, SIZE_MAX, 3, tt, mean, lo, hi, &err), XF_OK);
        CHECK(tt[2] == last + 3 * HOUR_US);
        CHECK_INT(forecast(h, p, 0, SIZE_MAX, 4, tt, mean, lo, hi, &err), XF_EDATA);
        CHECK_STR(err.message, "series 'end': the forecast would run past 9999-12-31 (step 4), "
                               "beyond the timestamps xfcast reads and writes");
        /* the encoder reads float32: values near 1e300 are refused, named */
        for (k = 0; k < 100; k++)
            y[k] *= 1e299;
        need(xf_panel_add_series(p, "huge", 100, t, hourly, y, NULL, &err) == XF_OK, "series",
             &err);
        CHECK_INT(forecast(h, p, 1, SIZE_MAX, 3, tt, mean, lo, hi, &err), XF_EDATA);
        CHECK_MSG(strstr(err.message, "series 'huge': value ") != NULL &&
                      strstr(err.message, "is too large for encoder") != NULL,
                  "%s", err.message);
        xf_panel_free(p);
        hourly_times(t, N_SINE);
    }

    /* +-1e300 (squares overflow): a ridge head (no encoders) forecasts it as
     * the same series divided by 1e300, times 1e300 */
    xf_head_options_init(&o);
    o.horizon = H_SMALL;
    o.n_lags = L_SMALL;
    o.max_windows = 1500;
    for (k = 0; k < N_SINE; k++) {
        ys[k] = (k % 2 ? 1.0 : -1.0) * sine_truth(0, k);
        y[k] = ys[k] * 1e300;
    }
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    need(xf_panel_add_series(p, "big", N_SINE, t, hourly, y, NULL, &err) == XF_OK, "series", &err);
    need(xf_panel_add_series(p, "small", N_SINE, t, hourly, ys, NULL, &err) == XF_OK, "series",
         &err);
    g = fit_ok(p, NULL, 0, &o, "+-1e300");
    if (g != NULL) {
        double worst = 0;
        CHECK_INT(forecast(g, p, 0, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err), XF_OK);
        CHECK_INT(forecast(g, p, 1, SIZE_MAX, H_SMALL, NULL, means, los, his, &err), XF_OK);
        CHECK(all_finite(mean, H_SMALL) && all_finite(lo, 2 * H_SMALL) &&
              all_finite(hi, 2 * H_SMALL));
        for (k = 0; k < H_SMALL; k++) {
            double d = fabs(mean[k] / 1e300 - means[k]) / fabs(means[k]);
            if (!(d <= worst))
                worst = d;
            d = fabs(lo[k] / 1e300 - los[k]) / fabs(los[k]);
            if (!(d <= worst))
                worst = d;
        }
        CHECK_MSG(worst < 1e-6, "+-1e300 forecast off its scaled copy by %g (relative)", worst);
        CHECK_MSG(fabs(means[0] - (N_SINE % 2 ? 1.0 : -1.0) * sine_truth(0, N_SINE)) < 0.5,
                  "+-sine forecast %g, truth %g", means[0],
                  (N_SINE % 2 ? 1.0 : -1.0) * sine_truth(0, N_SINE));
    }
    xf_panel_free(p);

    /* near the largest double: values forecast while they fit, an error
     * naming the series when the forecast itself would not */
    for (k = 0; k < N_SINE; k++)
        y[k] = 1.79e308 - (double)(N_SINE - 1 - k) * 1e305;
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    need(xf_panel_add_series(p, "ramp", N_SINE, t, hourly, y, NULL, &err) == XF_OK, "series", &err);
    gs = fit_ok(p, NULL, 0, &o, "a ramp to 1.79e308");
    if (gs != NULL) {
        CHECK_INT(forecast(gs, p, 0, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err), XF_EDATA);
        CHECK_MSG(strstr(err.message, "series 'ramp': values too large to forecast") != NULL, "%s",
                  err.message);
        /* from an earlier origin the forecast stays below the largest double */
        CHECK_INT(forecast(gs, p, 0, N_SINE - 200, H_SMALL, NULL, mean, lo, hi, &err), XF_OK);
        CHECK(all_finite(mean, H_SMALL));
    }
    xf_panel_free(p);
    xf_head_free(g);
    xf_head_free(gs);
}

int main(void)
{
    const char *srcdir = getenv("XF_SRCDIR") ? getenv("XF_SRCDIR") : ".";
    xf_panel *sine = NULL;
    xf_head *head = NULL;

    ht_init("test_head_forecast");
    sine = sine_panel(3, N_SINE, 0.3, 1);
    head = ht_sine_head(sine);
    if (head != NULL) {
        test_bad_input(head);
        test_threads(head, sine);
        test_hostile(head);
    }
    test_zeroshot(srcdir);
    test_zeroshot_point(srcdir);
    test_nonneg();
    xf_head_free(head);
    xf_panel_free(sine);
    xf_encoder_free(gru);
    return tu_report("test_head_forecast");
}
