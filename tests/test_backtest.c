/* test_backtest.c - backtests: a head fitted before a test period forecasts
 * every origin in it; errors next to naive and seasonal naive, coverage,
 * the per-forecast callback.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include "head_testutil.h"
#include "xf_internal.h"

/* ------------------------------------------------------------ 9. backtests */

typedef struct bt_check {
    const xf_panel *panel;
    size_t calls, bad_actual, bad_time, bad_interval, bad_shape;
    size_t origin[4], series[4]; /* the first forecasts, compared with the head later */
    double mean0[4];
    int stop_after; /* > 0: ask to stop at that call */
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
    if (f->horizon != H_SMALL || f->n_levels != 2 || f->levels[0] != 80 || f->levels[1] != 95 ||
        strcmp(f->id, xf_panel_series_id(c->panel, f->series)) != 0 ||
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
            pattern[k] =
                10.0 + 3.0 * sin(TWO_PI * (double)(k + 5 * s) / 24.0) + (k == 7 ? 2.0 : 0.0);
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
               "%.0f%% / %.0f%%\n",
               res.overall[0].mae, res.overall[1].mae, res.overall[2].mae,
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

/* ------------------------------------------------------------ main */

/* ------------------------------------------------------------ refits
 * refit_every: the head learns each block's data before forecasting it,
 * exactly as a head fitted before the test start and refitted on the data
 * before the block (xf_head_refit) would.  windows: a new fit per
 * window.  Both forecast the same origins as a single fit; bad
 * combinations are refused.  (A level shift is no test of them: the
 * instance normalisation follows it without any refit.) */
typedef struct means {
    size_t n, origin[64], series[64];
    double mean0[64];
} means;

static int keep_means(const xf_backtest_forecast *f, void *user, xf_error *err)
{
    means *m = user;
    (void)err;
    if (m->n < 64) {
        m->origin[m->n] = f->origin;
        m->series[m->n] = f->series;
        m->mean0[m->n] = f->mean[0];
    }
    m->n++;
    return 0;
}

static void test_refits(void)
{
    enum { N = N_SINE, TS = 420, BLOCK = 60 };
    xf_panel *p = NULL, *masked = NULL;
    xf_time t[N];
    double y[N];
    xf_backtest_options bo;
    xf_backtest_result once, upd, win;
    xf_head *h = NULL;
    xf_head_options fo;
    xf_error err;
    means mu;
    size_t k, cut[2], checked = 0;
    rng r = {5};
    int rc;
    hourly_times(t, N);
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    for (k = 0; k < 2; k++) {
        size_t i;
        for (i = 0; i < N; i++) /* a daily cycle, and a level shift of +8 at 480 */
            y[i] = 10 + 3 * sin(TWO_PI * (double)i / 24) + (i >= 480 ? 8 : 0) + 0.3 * rng_norm(&r);
        need(xf_panel_add_series(p, k ? "b" : "a", N, t, hourly, y, NULL, &err) == XF_OK, "series",
             &err);
    }
    xf_backtest_options_init(&bo);
    small_opts(&bo.fit);
    bo.fit.embedding = 0;
    bo.test_start_row = TS;
    memset(&once, 0, sizeof once);
    memset(&upd, 0, sizeof upd);
    memset(&win, 0, sizeof win);
    CHECK_INT(xf_backtest(p, NULL, 0, &bo, NULL, NULL, &once, NULL, &err), XF_OK);
    bo.refit_every = BLOCK;
    memset(&mu, 0, sizeof mu);
    rc = xf_backtest(p, NULL, 0, &bo, keep_means, &mu, &upd, NULL, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(upd.n_origins, once.n_origins);
    CHECK(isfinite(upd.overall[XF_METHOD_MODEL].mae) &&
          upd.overall[XF_METHOD_MODEL].n == once.overall[XF_METHOD_MODEL].n);
    /* exactness: the forecasts of block 2 ([540, 600)) are those of the head
     * fitted before TS and refitted on the data before 540 */
    fo = bo.fit;
    fo.train_end_row = TS;
    CHECK_INT(xf_head_fit(p, NULL, 0, &fo, &h, &err), XF_OK);
    cut[0] = cut[1] = TS + 2 * BLOCK;
    CHECK_INT(xf__panel_masked(p, cut, &masked, &err), XF_OK);
    if (h != NULL && masked != NULL) {
        CHECK_INT(xf_head_refit(h, masked, 1, NULL, &err), XF_OK);
        for (k = 0; k < mu.n && k < 64; k++) {
            double mean[H_SMALL];
            if (mu.origin[k] < TS + 2 * BLOCK)
                continue;
            CHECK_INT(forecast(h, p, mu.series[k], mu.origin[k], H_SMALL, NULL, mean, NULL, NULL,
                               &err),
                      XF_OK);
            CHECK_MSG(fabs(mean[0] - mu.mean0[k]) <= 1e-8 * (1 + fabs(mean[0])),
                      "origin %zu: refit %.12g, backtest %.12g", mu.origin[k], mean[0],
                      mu.mean0[k]);
            checked++;
        }
    }
    CHECK_MSG(checked >= 4, "%zu block-2 forecasts compared", checked);
    /* windows: 3 new fits, the same origins */
    bo.refit_every = 0;
    bo.windows = 3;
    rc = xf_backtest(p, NULL, 0, &bo, NULL, NULL, &win, NULL, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(win.n_origins, once.n_origins);
    CHECK(isfinite(win.overall[XF_METHOD_MODEL].mae) &&
          win.overall[XF_METHOD_MODEL].n == once.overall[XF_METHOD_MODEL].n);
    /* one or the other, not with zero-shot (the refused calls get their
     * own result: a backtest starts by clearing its result) */
    {
        xf_backtest_result bad;
        bo.refit_every = 12;
        CHECK_INT(xf_backtest(p, NULL, 0, &bo, NULL, NULL, &bad, NULL, &err), XF_EINVAL);
        bo.windows = 0;
        bo.refit_every = -1;
        CHECK_INT(xf_backtest(p, NULL, 0, &bo, NULL, NULL, &bad, NULL, &err), XF_EINVAL);
        xf_backtest_result_free(&bad);
    }
    xf_backtest_result_free(&once);
    xf_backtest_result_free(&upd);
    xf_backtest_result_free(&win);
    xf_head_free(h);
    xf_panel_free(masked);
    xf_panel_free(p);
}

/* What a progress callback saw: per stage (the last 8 distinct ones), the
 * last done/total; calls that went backwards or past the total. */
typedef struct progress_log {
    char what[8][64];
    int64_t done[8], total[8];
    size_t n_stages, calls, bad;
} progress_log;

static void log_progress(const char *what, int64_t done, int64_t total, void *user)
{
    progress_log *pl = user;
    size_t i;
    pl->calls++;
    for (i = 0; i < pl->n_stages && strcmp(pl->what[i], what) != 0; i++)
        ;
    if (i == pl->n_stages) {
        if (pl->n_stages == 8)
            return;
        snprintf(pl->what[i], sizeof pl->what[i], "%s", what);
        pl->n_stages++;
        pl->done[i] = 0;
    }
    if (done < pl->done[i] || done > total || total <= 0)
        pl->bad++;
    pl->done[i] = done;
    pl->total[i] = total;
}

/* The progress callback of the fit options: each stage of the fit and the
 * backtest's forecasts reported up to their totals, nothing changed in the
 * results. */
static void test_progress(const xf_panel *sine)
{
    xf_backtest_options bo;
    xf_backtest_result r1, r2;
    xf_error err;
    progress_log pl;
    size_t i, m;
    int forecasts = 0, fitted = 0;
    memset(&pl, 0, sizeof pl);
    xf_backtest_options_init(&bo);
    small_opts(&bo.fit);
    bo.test_start_row = 480;
    CHECK(xf_backtest(sine, &gru, 1, &bo, NULL, NULL, &r1, NULL, &err) == XF_OK);
    bo.fit.progress = log_progress;
    bo.fit.progress_user = &pl;
    CHECK_MSG(xf_backtest(sine, &gru, 1, &bo, NULL, NULL, &r2, NULL, &err) == XF_OK, "%s",
              err.message);
    CHECK(pl.calls > 0);
    CHECK_INT(pl.bad, 0);
    for (i = 0; i < pl.n_stages; i++) {
        CHECK_MSG(pl.done[i] == pl.total[i], "stage '%s' ended at %lld of %lld", pl.what[i],
                  (long long)pl.done[i], (long long)pl.total[i]);
        if (strcmp(pl.what[i], "forecasts") == 0) {
            forecasts = 1;
            CHECK_INT(pl.total[i], r2.n_origins);
        }
        fitted += strncmp(pl.what[i], "candidate ", 10) == 0;
    }
    CHECK(forecasts);
    CHECK(fitted >= 1);
    CHECK_INT(r1.n_origins, r2.n_origins);
    for (m = 0; m < XF_N_METHODS; m++)
        CHECK(r1.overall[m].mae == r2.overall[m].mae);
    xf_backtest_result_free(&r1);
    xf_backtest_result_free(&r2);
}

int main(void)
{
    xf_panel *sine = NULL;

    ht_init("test_backtest");
    sine = sine_panel(3, N_SINE, 0.3, 1);
    test_backtest(sine);
    test_refits();
    test_progress(sine);
    xf_panel_free(sine);
    xf_encoder_free(gru);
    return tu_report("test_backtest");
}
