/* test_head_update.c - exact updates of fitted heads from their sufficient
 * statistics (src/head_update.c): an update on grown series gives the head
 * a refit on them gives, to rounding; nothing new changes nothing; heads
 * that cannot be updated and bad input are refused, and a failure leaves
 * the head as it was.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include "head_testutil.h"

#define N_SERIES 3
#define N_OLD 480 /* values the head first sees */

/* The first n values of N_SERIES noisy hourly sines (the same values for
 * every n), with covariate "c" when with_cov. */
static xf_panel *grown_panel(size_t n, int with_cov)
{
    const char *names[1] = {"c"};
    xf_panel *p = NULL;
    xf_time t[N_SINE];
    double y[N_SINE], c[N_SINE];
    const double *cov[1] = {c};
    rng r = {41};
    xf_error err;
    size_t s, k;
    hourly_times(t, N_SINE);
    need(xf_panel_new(with_cov ? names : NULL, with_cov ? 1 : 0, &p, &err) == XF_OK, "panel", &err);
    for (s = 0; s < N_SERIES; s++) {
        char id[16];
        for (k = 0; k < N_SINE; k++) {
            y[k] = sine_truth(s, k) + 0.3 * rng_norm(&r);
            c[k] = 0.1 * (double)(k % 24);
        }
        snprintf(id, sizeof id, "s%zu", s);
        need(xf_panel_add_series(p, id, n, t, hourly, y, with_cov ? cov : NULL, &err) == XF_OK,
             "series", &err);
    }
    return p;
}

/* Forecasts of every series from its end, means only, into m [N_SERIES][H]. */
static void forecasts(const xf_head *h, const xf_panel *p, double *m)
{
    xf_error err;
    size_t s;
    for (s = 0; s < N_SERIES; s++)
        CHECK_MSG(forecast(h, p, s, SIZE_MAX, H_SMALL, NULL, m + s * H_SMALL, NULL, NULL, &err) ==
                      XF_OK,
                  "%s", err.message);
}

/* A copy of h through a head file, encoders attached. */
static xf_head *copy_head(const xf_head *h)
{
    char path[64];
    xf_head *g = NULL;
    xf_error err;
    temp_path(path, sizeof path);
    need(xf_head_save(h, path, &err) == XF_OK && xf_head_load(path, &g, &err) == XF_OK &&
             xf_head_attach_encoders(g, &gru, 1, &err) == XF_OK,
         "head copy", &err);
    remove(path);
    return g;
}

/* mode 0: the defaults; 1: the local model's features; 2: the local
 * model as the baseline (both depend on each origin's window alone, so
 * updates stay exact), both without a prior; 3: shrunk towards the domain
 * head (the statistics
 * are of the targets less its forecast, which updates subtract too) */
static void test_update_is_refit(int mode)
{
    xf_panel *old = grown_panel(N_OLD, 0), *now = grown_panel(N_SINE, 0);
    xf_head_options o;
    xf_head *h, *g;
    xf_error err;
    size_t seen[N_SERIES], n_old = 0, n_all = 0, added = 0, s, k;
    double a[N_SERIES * H_SMALL], b[N_SERIES * H_SMALL], worst = 0;

    small_opts(&o);
    if (mode == 1)
        o.local_model = 1;
    if (mode == 2) {
        o.baseline = XF_BASELINE_LOCAL;
        o.seasonal_scale = 0;
    }
    if (mode == 1 || mode == 2)
        o.prior = XF_PRIOR_NONE;
    if (mode == 3)
        o.prior = XF_PRIOR_DOMAIN;
    if ((h = fit_ok(old, &gru, 1, &o, "first data")) == NULL)
        goto done;
    {
        char desc[512];
        xf_head_describe(h, desc, sizeof desc);
        CHECK_MSG(mode == 0 || strstr(desc, mode == 1   ? "local model features"
                                            : mode == 2 ? "corrects the local model"
                                                        : "shrunk towards the generic domain "
                                                          "head") != NULL,
                  "%s", desc);
        /* mode 0: 3 x 480 values, over the 1000 of the automatic prior */
        CHECK_MSG((mode == 3) == (strstr(desc, "domain head") != NULL), "%s", desc);
    }
    /* the statistics of every origin of the first data */
    CHECK_MSG(xf_head_refit(h, old, 1, &n_old, &err) == XF_OK, "%s", err.message);
    CHECK(n_old > 100);
    g = copy_head(h);
    /* the copy through a file forecasts the same */
    forecasts(h, old, a);
    forecasts(g, old, b);
    CHECK(memcmp(a, b, sizeof a) == 0);

    /* nothing new: nothing added, the same forecasts bit for bit */
    for (s = 0; s < N_SERIES; s++)
        seen[s] = N_OLD;
    forecasts(h, old, a);
    CHECK_MSG(xf_head_update(h, old, seen, 1, &added, &err) == XF_OK, "%s", err.message);
    CHECK_INT(added, 0);
    forecasts(h, old, b);
    CHECK(memcmp(a, b, sizeof a) == 0);

    /* grown series: update one head, refit the other on everything */
    CHECK_MSG(xf_head_update(h, now, seen, 2, &added, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(xf_head_refit(g, now, 1, &n_all, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(added > 0 && n_old + added == n_all, "%zu + %zu origins, refit %zu", n_old, added,
              n_all);
    forecasts(h, now, a);
    forecasts(g, now, b);
    for (k = 0; k < N_SERIES * H_SMALL; k++)
        if (fabs(a[k] - b[k]) > worst)
            worst = fabs(a[k] - b[k]);
    CHECK_MSG(worst < 1e-9, "update and refit differ by %g", worst);
    {
        int64_t w = 0;
        CHECK(xf_xfm_get_i64(xf_head_meta(h), "fit.windows", &w, NULL) == XF_OK &&
              (size_t)w == n_all);
    }
    xf_head_free(g);
    xf_head_free(h);
done:
    xf_panel_free(old);
    xf_panel_free(now);
}

static void test_refused(const char *srcdir)
{
    xf_panel *old = grown_panel(N_OLD, 0), *now = grown_panel(N_SINE, 0);
    xf_panel *with_cov = grown_panel(N_SINE, 1);
    xf_head_options o;
    xf_head *h, *g = NULL;
    xf_error err;
    size_t seen[N_SERIES], s;
    double a[N_SERIES * H_SMALL], b[N_SERIES * H_SMALL];
    char path[64], model[512];
    xf_encoder *base = NULL;

    small_opts(&o);
    if ((h = fit_ok(old, &gru, 1, &o, "first data")) == NULL)
        goto done;
    forecasts(h, old, a);
    /* more values seen than the series has */
    for (s = 0; s < N_SERIES; s++)
        seen[s] = N_OLD;
    seen[1] = N_OLD + 1;
    CHECK(xf_head_update(h, old, seen, 1, NULL, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "'s1'") != NULL, "%s", err.message);
    /* the head's covariates missing from the data, or data with others */
    o.covariates = 1;
    if ((g = fit_ok(with_cov, &gru, 1, &o, "covariate head")) != NULL) {
        CHECK(xf_head_refit(g, now, 1, NULL, &err) == XF_EDATA);
        CHECK_MSG(strstr(err.message, "covariate") != NULL, "%s", err.message);
        xf_head_free(g);
        g = NULL;
    }
    /* nothing changed by the failures */
    forecasts(h, old, b);
    CHECK(memcmp(a, b, sizeof a) == 0);

    /* a loaded head before its encoders are attached */
    temp_path(path, sizeof path);
    CHECK(xf_head_save(h, path, &err) == XF_OK);
    CHECK(xf_head_load(path, &g, &err) == XF_OK);
    if (g != NULL) {
        CHECK(xf_head_refit(g, now, 1, NULL, &err) == XF_EINVAL);
        CHECK_MSG(strstr(err.message, "attach") != NULL, "%s", err.message);
        CHECK(xf_head_update(g, now, seen, 1, NULL, &err) == XF_EINVAL);
        xf_head_free(g);
        g = NULL;
    }
    remove(path);

    /* a zero-shot head has no weights to refit */
    snprintf(model, sizeof model, "%s/models/gru-base.xfm", srcdir);
    need(xf_encoder_load(model, &base, &err) == XF_OK, "models/gru-base.xfm", &err);
    xf_head_options_init(&o);
    o.horizon = H_SMALL;
    CHECK_MSG(xf_head_zeroshot(now, base, &o, &g, &err) == XF_OK, "%s", err.message);
    if (g != NULL) {
        CHECK(xf_head_refit(g, now, 1, NULL, &err) == XF_EINVAL);
        CHECK_MSG(strstr(err.message, "zero-shot") != NULL, "%s", err.message);
        xf_head_free(g);
    }
    xf_encoder_free(base);
    xf_head_free(h);
done:
    xf_panel_free(old);
    xf_panel_free(now);
    xf_panel_free(with_cov);
}

/* A head loaded without its statistics (XF_HEAD_LOAD_NO_STATS, what
 * `xfcast forecast` does): the same forecasts as one loaded whole; update
 * and save refused with a message that says what to do, the file left as
 * it was; a refit makes it whole again. */
static void test_load_no_stats(void)
{
    xf_panel *old = grown_panel(N_OLD, 0), *now = grown_panel(N_SINE, 0);
    xf_head_options o;
    xf_head *h, *whole = NULL, *lean = NULL;
    xf_error err;
    size_t seen[N_SERIES], s;
    double a[N_SERIES * H_SMALL], b[N_SERIES * H_SMALL];
    char path[64], path2[64];
    unsigned char *before = NULL, *after = NULL;
    size_t n_before = 0, n_after = 0;

    small_opts(&o);
    if ((h = fit_ok(old, &gru, 1, &o, "first data")) == NULL)
        goto done;
    temp_path(path, sizeof path);
    temp_path(path2, sizeof path2);
    need(xf_head_save(h, path, &err) == XF_OK, "save", &err);
    need(xf_head_load(path, &whole, &err) == XF_OK &&
             xf_head_attach_encoders(whole, &gru, 1, &err) == XF_OK,
         "load whole", &err);
    CHECK(xf_head_load_ex(path, 4u, &lean, &err) == XF_EINVAL && lean == NULL);
    CHECK_MSG(strstr(err.message, "flags") != NULL, "%s", err.message);
    need(xf_head_load_ex(path, XF_HEAD_LOAD_NO_STATS, &lean, &err) == XF_OK &&
             xf_head_attach_encoders(lean, &gru, 1, &err) == XF_OK,
         "load without statistics", &err);
    forecasts(whole, old, a);
    forecasts(lean, old, b);
    CHECK(memcmp(a, b, sizeof a) == 0);
    /* no update, no save: the file keeps its statistics */
    for (s = 0; s < N_SERIES; s++)
        seen[s] = N_OLD;
    CHECK(xf_head_update(lean, now, seen, 1, NULL, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "xf_head_load") != NULL, "%s", err.message);
    need((before = tu_read_file(path, &n_before)) != NULL, "read head file", NULL);
    CHECK(xf_head_save(lean, path, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "statistics") != NULL, "%s", err.message);
    need((after = tu_read_file(path, &n_after)) != NULL, "read head file", NULL);
    CHECK(n_before == n_after && memcmp(before, after, n_before) == 0);
    /* nothing changed by the refusals */
    forecasts(lean, old, b);
    CHECK(memcmp(a, b, sizeof a) == 0);
    /* a refit computes whole statistics: the same head as the whole one's
     * refit, and it saves */
    CHECK_MSG(xf_head_refit(whole, now, 1, NULL, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(xf_head_refit(lean, now, 1, NULL, &err) == XF_OK, "%s", err.message);
    forecasts(whole, now, a);
    forecasts(lean, now, b);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK_MSG(xf_head_save(lean, path2, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(xf_head_update(lean, now, seen, 1, NULL, &err) == XF_OK, "%s", err.message);
    remove(path);
    remove(path2);
done:
    free(before);
    free(after);
    xf_head_free(lean);
    xf_head_free(whole);
    xf_head_free(h);
    xf_panel_free(old);
    xf_panel_free(now);
}

int main(void)
{
    const char *srcdir = getenv("XF_SRCDIR") ? getenv("XF_SRCDIR") : ".";
    ht_init("test_head_update");
    test_update_is_refit(0);
    test_update_is_refit(1);
    test_update_is_refit(2);
    test_update_is_refit(3);
    test_refused(srcdir);
    test_load_no_stats();
    xf_encoder_free(gru);
    return tu_report("test_head_update");
}
