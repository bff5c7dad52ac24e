/* test_head_blend.c - a head's forecast blended with naive, seasonal naive or
 * the local window model (src/head_blend.c): chosen on the held-out origins
 * of a fit when it lowers their error, applied exactly as the head file
 * says, refused when the file says nonsense, absent from sharded fits.
 * (The zero-shot choice is tested in test_head_forecast.c.)
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include "head_testutil.h"

#define N_RW 150 /* hourly values: a random walk with a small daily cycle */
#define H_RW 24

static void rw_panel(xf_panel **p, uint64_t seed)
{
    xf_time t[N_RW];
    double y[N_RW], x = 50.0;
    rng r = {seed};
    xf_error err;
    size_t i;
    hourly_times(t, N_RW);
    for (i = 0; i < N_RW; i++) {
        x += rng_norm(&r);
        y[i] = x + 2.0 * sin(TWO_PI * (double)i / 24.0);
    }
    need(xf_panel_new(NULL, 0, p, &err) == XF_OK, "panel", &err);
    need(xf_panel_add_series(*p, "walk", N_RW, t, hourly, y, NULL, &err) == XF_OK, "series", &err);
}

static const char *meta_str(const xf_head *h, const char *key)
{
    const char *v = NULL;
    return xf_xfm_get_str(xf_head_meta(h), key, &v, NULL) == XF_OK ? v : "";
}

/* Rewrite head file `path` with the blend keys set (format 2). */
static void set_blend(const char *path, int64_t base, int64_t share)
{
    xf_xfm *mf = NULL;
    xf_error err;
    need(xf_xfm_load(path, &mf, &err) == XF_OK, path, &err);
    need(xf_xfm_set_u32(mf, "head.format", 2) == XF_OK &&
             xf_xfm_set_i64(mf, "head.blend_baseline", base) == XF_OK &&
             xf_xfm_set_i64(mf, "head.blend_share", share) == XF_OK &&
             xf_xfm_save(mf, path, &err) == XF_OK,
         "blend keys", &err);
    xf_xfm_free(mf);
}

static xf_head *load_ok(const char *path)
{
    xf_head *g = NULL;
    xf_error err;
    CHECK_MSG(xf_head_load(path, &g, &err) == XF_OK, "%s", err.message);
    if (g != NULL)
        CHECK_MSG(xf_head_attach_encoders(g, &gru, 1, &err) == XF_OK, "%s", err.message);
    return g;
}

/* A random walk: the ridge fitted on 150 values forecasts worse on the
 * held-out origins than naive or the local model, and the fit blends. */
static void test_fit_blends(void)
{
    xf_panel *p = NULL;
    xf_head_options o;
    xf_head *h;
    char desc[512];
    rw_panel(&p, 1);
    xf_head_options_init(&o);
    o.horizon = H_RW;
    if ((h = fit_ok(p, &gru, 1, &o, "random walk")) != NULL) {
        const char *b = meta_str(h, "valid.blend");
        printf("random walk: blend %s, held-out MASE %.4f -> %.4f\n", b,
               meta_f64(h, "valid.blend_before"), meta_f64(h, "valid.blend_after"));
        CHECK_MSG(strcmp(b, "none") != 0 && b[0] != '\0', "blend '%s'", b);
        CHECK(meta_f64(h, "valid.blend_after") < meta_f64(h, "valid.blend_before"));
        xf_head_describe(h, desc, sizeof desc);
        CHECK_MSG(strstr(desc, "; blended with ") != NULL && strstr(desc, b) != NULL, "%s", desc);
        check_roundtrip(h, &gru, 1, p, "blended head");
        xf_head_free(h);
    }
    /* a series the ridge forecasts well: the head's own forecast stays */
    xf_panel_free(p);
    p = NULL;
    {
        xf_panel *s = NULL;
        xf_time t[N_SINE];
        double y[N_SINE];
        rng r = {7};
        xf_error err;
        size_t i;
        hourly_times(t, N_SINE);
        for (i = 0; i < N_SINE; i++)
            y[i] = 10.0 + 5.0 * sin(TWO_PI * (double)i / 24.0) + 0.01 * (double)i +
                   0.05 * rng_norm(&r);
        need(xf_panel_new(NULL, 0, &s, &err) == XF_OK, "panel", &err);
        need(xf_panel_add_series(s, "sine", N_SINE, t, hourly, y, NULL, &err) == XF_OK, "series",
             &err);
        if ((h = fit_ok(s, &gru, 1, &o, "sine")) != NULL) {
            CHECK(meta_f64(h, "valid.blend_after") <= meta_f64(h, "valid.blend_before"));
            if (strcmp(meta_str(h, "valid.blend"), "none") == 0) {
                CHECK(meta_f64(h, "valid.blend_after") == meta_f64(h, "valid.blend_before"));
                xf_head_describe(h, desc, sizeof desc);
                CHECK_MSG(strstr(desc, "blended") == NULL, "%s", desc);
            }
            xf_head_free(h);
        }
        xf_panel_free(s);
    }
}

/* The blend the file states is the forecast: (1 - s) own + s baseline. */
static void test_apply(void)
{
    xf_panel *p = NULL;
    xf_head_options o;
    xf_head *h, *g;
    char path[64];
    double own[H_RW], m[H_RW], lo[2 * H_RW], hi[2 * H_RW];
    const double *y;
    xf_error err;
    size_t k;
    rw_panel(&p, 2);
    y = xf_panel_series_values(p, 0);
    xf_head_options_init(&o);
    o.horizon = H_RW;
    o.local_model = 0;
    if ((h = fit_ok(p, &gru, 1, &o, "random walk 2")) == NULL)
        goto done;
    temp_path(path, sizeof path);
    CHECK(xf_head_save(h, path, &err) == XF_OK);
    set_blend(path, 0, 0); /* no blend: the head's own forecast */
    if ((g = load_ok(path)) != NULL) {
        CHECK(forecast(g, p, 0, SIZE_MAX, H_RW, NULL, own, lo, hi, &err) == XF_OK);
        xf_head_free(g);
    }
    set_blend(path, 1, 50); /* half naive */
    if ((g = load_ok(path)) != NULL) {
        CHECK(forecast(g, p, 0, SIZE_MAX, H_RW, NULL, m, lo, hi, &err) == XF_OK);
        for (k = 0; k < H_RW; k++)
            CHECK_MSG(fabs(m[k] - (0.5 * own[k] + 0.5 * y[N_RW - 1])) < 1e-9 * fabs(m[k]) + 1e-9,
                      "step %zu: %.12g, not %.12g", k + 1, m[k], 0.5 * own[k] + 0.5 * y[N_RW - 1]);
        xf_head_free(g);
    }
    set_blend(path, 24, 100); /* seasonal naive alone */
    if ((g = load_ok(path)) != NULL) {
        CHECK(forecast(g, p, 0, SIZE_MAX, H_RW, NULL, m, lo, hi, &err) == XF_OK);
        for (k = 0; k < H_RW; k++)
            CHECK_MSG(fabs(m[k] - y[N_RW - 24 + k]) < 1e-9 * fabs(m[k]) + 1e-9,
                      "step %zu: %.12g, not %.12g", k + 1, m[k], y[N_RW - 24 + k]);
        xf_head_free(g);
    }
    /* nonsense is refused with the keys named */
    set_blend(path, 1, 0);
    CHECK_INT(xf_head_load(path, &g, &err), XF_EFORMAT);
    CHECK_MSG(strstr(err.message, "head.blend_baseline = 1 with head.blend_share = 0") != NULL,
              "%s", err.message);
    set_blend(path, -7, 50);
    CHECK_INT(xf_head_load(path, &g, &err), XF_EFORMAT);
    set_blend(path, 1, 150);
    CHECK_INT(xf_head_load(path, &g, &err), XF_EFORMAT);
    CHECK_MSG(strstr(err.message, "head.blend_share") != NULL, "%s", err.message);
    remove(path);
    xf_head_free(h);
done:
    xf_panel_free(p);
}

/* The parts of a sharded fit do not know their rows' series: no blend, and
 * the merged head says nothing of one. */
static void test_sharded(void)
{
    xf_panel *p = NULL;
    xf_head_options o;
    xf_head_stats *a = NULL, *b = NULL;
    xf_head *h = NULL;
    xf_error err;
    size_t i;
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    for (i = 0; i < 4; i++) {
        xf_time t[N_RW];
        double y[N_RW], x = 50.0;
        rng r = {11 + i};
        char id[16];
        size_t k;
        hourly_times(t, N_RW);
        for (k = 0; k < N_RW; k++) {
            x += rng_norm(&r);
            y[k] = x;
        }
        snprintf(id, sizeof id, "walk%zu", i);
        need(xf_panel_add_series(p, id, N_RW, t, hourly, y, NULL, &err) == XF_OK, "series", &err);
    }
    xf_head_options_init(&o);
    o.horizon = H_RW;
    CHECK_MSG(xf_head_stats_fit(p, &gru, 1, &o, 0, 2, &a, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(xf_head_stats_fit(p, &gru, 1, &o, 1, 2, &b, &err) == XF_OK, "%s", err.message);
    if (a != NULL && b != NULL) {
        CHECK_MSG(xf_head_stats_merge(a, b, &err) == XF_OK, "%s", err.message);
        CHECK_MSG(xf_head_stats_solve(a, 0, &h, &err) == XF_OK, "%s", err.message);
        if (h != NULL) {
            CHECK_STR(meta_str(h, "valid.blend"), "");
            xf_head_free(h);
        }
    }
    xf_head_stats_free(a);
    xf_head_stats_free(b);
    xf_panel_free(p);
}

int main(void)
{
    ht_init("test_head_blend");
    test_fit_blends();
    test_apply();
    test_sharded();
    xf_encoder_free(gru);
    return tu_report("test_head_blend");
}
