/* test_head_fit.c - fitting ridge heads on frozen encoder features: the sine
 * head, options and the feature layout they imply, short series (few lags,
 * shortened automatic lags and the minimum length), covariates, the log
 * transform, candidates scored when MASE is undefined, and interval levels
 * chosen after the fit.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include "head_testutil.h"

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
            CHECK_MSG(lo[k] <= mean[k] && mean[k] <= hi[k], "step %zu: %g %g %g", k, lo[k], mean[k],
                      hi[k]);
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
           "coverage.80 %.1f\n",
           mae_end, mae_mid, cov80);
    CHECK_MSG(mae_end < 0.5, "MAE %g", mae_end);
    CHECK_MSG(mae_mid < 0.5, "MAE %g", mae_mid);
}

/* ------------------------------------------------------------ 3. options */

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
    xf_panel *p = cov_sine_panel(7), *untimed = NULL;
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
        } bad[] = {{"level 0", 0, 0},          {"level 100", 0, 100},      {"level -5", 0, -5},
                   {"valid_fraction 1", 1, 1}, {"valid_fraction 0", 1, 0}, {"horizon 0", 2, 0},
                   {"horizon -3", 2, -3},      {"9 levels", 3, 9},         {"lags -2", 4, -2},
                   {"max_windows 0", 5, 0}};
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
        /* the option table's limits, which the head loader checks too: a
         * season the loader would refuse is refused before the fit */
        small_opts(&o);
        o.season = 2000000;
        CHECK_INT(xf_head_fit(p, &gru, 1, &o, &h, &err), XF_EINVAL);
        CHECK_STR(err.message, "season 2000000 exceeds the limit 1000000");
        small_opts(&o);
        o.horizon = 10001;
        CHECK_INT(xf_head_fit(p, &gru, 1, &o, &h, &err), XF_EINVAL);
        CHECK_STR(err.message, "horizon 10001 exceeds the limit 10000");
        small_opts(&o);
        o.max_windows = 50;
        CHECK_INT(xf_head_fit(p, &gru, 1, &o, &h, &err), XF_EINVAL);
        CHECK_STR(err.message, "max-windows 50 is below the minimum 100");
        small_opts(&o);
        o.baseline = 1000001;
        CHECK_INT(xf_head_fit(p, &gru, 1, &o, &h, &err), XF_EINVAL);
        CHECK_STR(err.message, "baseline period 1000001 exceeds the limit 1000000");
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
        CHECK_MSG(vmse < 1, "%d lags: held-out MSE %g on the normalised scale", (int)lags[i], vmse);
        xf_head_free(h);
    }
    /* BUG (same cause): no feature at all (no encoder, lags, calendar,
     * history or covariate) is accepted, and the intercept b = mean
     * normalised target is swamped by the origins at t = 1, 2, ...: the
     * head forecasts hundreds to thousands for a sine between 7 and 13
     * (about 10 +- 2 once the origins have a full window).  Refusing such a
     * head (XF_EINVAL) would be fine too.  (Under valgrind this fit also
     * leaks its ridge statistics: src/head.c frees them only when p > 0, in
     * pass_free and xf_head_free, but xf__ridge_stats_init allocates them for
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
            CHECK_MSG(worst < 4,
                      "intercept-only forecasts up to %g from the level 10 of "
                      "sines between 7 and 13",
                      worst);
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
        need(xf_panel_add_series(train, s ? "b" : "a", N_COV, t, hourly, y[s], cov, &err) == XF_OK,
             "series", &err);
        /* the same rows with the last 12 targets unknown */
        memcpy(yf, y[s], sizeof yf);
        for (k = origin; k < N_COV; k++)
            yf[k] = NAN;
        need(xf_panel_add_series(future, s ? "b" : "a", N_COV, t, hourly, yf, cov, &err) == XF_OK,
             "series", &err);
        /* and the covariate missing at the third forecast step */
        memcpy(cg, c[s], sizeof cg);
        cg[origin + 2] = NAN;
        cov[0] = cg;
        need(xf_panel_add_series(gap, s ? "b" : "a", N_COV, t, hourly, yf, cov, &err) == XF_OK,
             "series", &err);
        need(xf_panel_add_series(bare, s ? "b" : "a", N_COV, t, hourly, yf, NULL, &err) == XF_OK,
             "series", &err);
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
    CHECK_MSG(mse_with < 0.5 * mse_without, "valid.mse %g with, %g without", mse_with, mse_without);
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
                      XF_OK,
                  "%s", err.message);
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
    CHECK(forecast(with, gap, 0, origin - 2, H_SMALL, NULL, mean, NULL, NULL, &err) == XF_EDATA);
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
            CHECK_MSG(isfinite(mean[k]) && mean[k] > 0, "series %zu step %zu: %g", s, k, mean[k]);
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

/* ------------------------------------------------------------ domains */

static void test_domains(void)
{
    static const char *const names[] = {"generic", "stock", "weather", "energy"};
    const xf_freq daily = {XF_FREQ_FIXED, 24 * HOUR_US, 0}, bday = {XF_FREQ_BDAY, 1, 0};
    double y[24 * 7 * 8], walk[2000], noise[400];
    char why[160];
    xf_domain d;
    xf_error err;
    rng r = {23};
    size_t i;
    int k;

    for (k = 0; k < 4; k++) {
        CHECK_STR(xf_domain_name((xf_domain)k), names[k]);
        CHECK(xf_domain_parse(names[k], &d, &err) == XF_OK && d == (xf_domain)k);
    }
    CHECK_STR(xf_domain_name((xf_domain)4), "?");
    CHECK(xf_domain_parse("Stock", &d, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "'Stock'") != NULL, "%s", err.message);
    CHECK(xf_domain_parse(NULL, &d, &err) == XF_EINVAL);

    for (i = 0; i < 400; i++)
        noise[i] = 5.0 + rng_norm(&r);
    for (i = 0; i < 2000; i++)
        walk[i] = (i ? walk[i - 1] : 500.0) + rng_norm(&r);
    /* the column name first, then the frequency, then the values */
    CHECK_INT(xf_domain_suggest(noise, 400, hourly, "Temperature_C", why, sizeof why),
              XF_DOMAIN_WEATHER);
    CHECK_MSG(strstr(why, "weather") != NULL, "%s", why);
    CHECK_INT(xf_domain_suggest(noise, 400, bday, "x", why, sizeof why), XF_DOMAIN_STOCK);
    CHECK_INT(xf_domain_suggest(noise, 400, daily, "adj_close", NULL, 0), XF_DOMAIN_STOCK);
    CHECK_INT(xf_domain_suggest(noise, 400, daily, "load_mw", NULL, 0), XF_DOMAIN_ENERGY);
    /* hourly with daily and weekly cycles */
    for (i = 0; i < sizeof y / sizeof *y; i++)
        y[i] = 50.0 + 10.0 * sin(TWO_PI * (double)i / 24.0) +
               5.0 * sin(TWO_PI * (double)i / 168.0) + 0.5 * rng_norm(&r);
    CHECK_INT(xf_domain_suggest(y, sizeof y / sizeof *y, hourly, NULL, why, sizeof why),
              XF_DOMAIN_ENERGY);
    CHECK_MSG(strstr(why, "daily and weekly") != NULL, "%s", why);
    /* a positive daily random walk; white noise is nothing in particular */
    CHECK_INT(xf_domain_suggest(walk, 2000, daily, "v", why, sizeof why), XF_DOMAIN_STOCK);
    CHECK_MSG(strstr(why, "random walk") != NULL, "%s", why);
    CHECK_INT(xf_domain_suggest(noise, 400, daily, "v", why, sizeof why), XF_DOMAIN_GENERIC);
    CHECK_STR(why, "no domain pattern recognised");
}

/* ------------------------------------------------------------ main */

/* ------------------------------------------- 3. short series and scores */

/* A series shorter than the default lags is fitted with shorter lags, a
 * note saying so; below the stated minimum the error names it. */
static void test_short_series(void)
{
    xf_head_options o;
    xf_head *h = NULL;
    xf_error err;
    xf_panel *p150 = sine_panel(1, 150, 0.3, 7), *p90 = sine_panel(1, 90, 0.3, 7);
    const char *note = NULL;
    double mean[24];
    int rc;

    /* hourly: horizon 24 and 168 lags by default; 150 values fit with fewer */
    xf_head_options_init(&o);
    o.max_windows = 1500;
    h = fit_ok(p150, NULL, 0, &o, "150 hourly values");
    if (h != NULL) {
        CHECK(xf_head_horizon(h) == 24);
        CHECK(xf_xfm_get_str(xf_head_meta(h), "fit.note", &note, NULL) == XF_OK);
        CHECK_MSG(note != NULL && strstr(note, "short series: 150 values") != NULL &&
                      strstr(note, "instead of 168") != NULL,
                  "note: %s", note ? note : "(none)");
        CHECK(forecast(h, p150, 0, SIZE_MAX, 24, NULL, mean, NULL, NULL, &err) == XF_OK &&
              all_finite(mean, 24));
        xf_head_free(h);
    }
    /* below the minimum (16 values before the first origin, 23 more for the
     * horizon, 54 origins for 20 training and 11 held-out ones): stated */
    o.local_model = 0; /* else the local model alone (below) */
    rc = xf_head_fit(p90, NULL, 0, &o, &h, &err);
    CHECK_INT(rc, XF_EDATA);
    CHECK_MSG(strstr(err.message, "needs at least 93 observed values") != NULL &&
                  strstr(err.message, "90 values") != NULL,
              "%s", err.message);
    /* with the defaults: the local model alone, which says why */
    o.local_model = XF_AUTO;
    if ((h = fit_ok(p90, NULL, 0, &o, "90 hourly values, local model alone")) != NULL) {
        const char *kind = NULL;
        CHECK(xf_xfm_get_str(xf_head_meta(h), "fit.kind", &kind, NULL) == XF_OK &&
              strcmp(kind, "local") == 0);
        CHECK(xf_xfm_get_str(xf_head_meta(h), "fit.note", &note, NULL) == XF_OK &&
              strstr(note, "needs at least 93 observed values") != NULL &&
              strstr(note, "local model of each origin's window alone") != NULL);
        CHECK(forecast(h, p90, 0, SIZE_MAX, 24, NULL, mean, NULL, NULL, &err) == XF_OK &&
              all_finite(mean, 24));
        xf_head_free(h);
        h = NULL;
    }
    o.local_model = 0;
    /* lags given explicitly are not shortened: the error says to use fewer */
    o.n_lags = 168;
    rc = xf_head_fit(p150, NULL, 0, &o, &h, &err);
    CHECK_INT(rc, XF_EDATA);
    CHECK_MSG(strstr(err.message, "fewer --lags") != NULL, "%s", err.message);
    /* a long series keeps the default lags and has no note */
    xf_panel_free(p90);
    p90 = sine_panel(1, 600, 0.3, 7);
    o.n_lags = XF_AUTO;
    if ((h = fit_ok(p90, NULL, 0, &o, "600 hourly values")) != NULL) {
        CHECK(xf_xfm_get_str(xf_head_meta(h), "fit.note", &note, NULL) == XF_ENOTFOUND);
        xf_head_free(h);
    }
    xf_panel_free(p90);
    xf_panel_free(p150);
}

/* A season longer than the history: MASE is scaled by naive's error, the
 * same for every candidate (their own normalised errors would not compare:
 * each has its own scale), never 0. */
static void test_undefined_mase(xf_encoder *tcn)
{
    xf_head_options o;
    xf_head *h;
    xf_panel *p = sine_panel(2, 600, 0.3, 11);
    const xf_xfm *m;
    size_t i, n = 0, n_local = 0;
    int64_t und = 0;
    double v;

    xf_head_options_init(&o);
    o.max_windows = 1500;
    o.season = 1000; /* longer than the 600 values */
    if ((h = fit_ok(p, &tcn, 1, &o, "season 1000")) == NULL) {
        xf_panel_free(p);
        return;
    }
    m = xf_head_meta(h);
    CHECK(xf_xfm_get_f64(m, "valid.mase", &v, NULL) == XF_OK && v > 0 && isfinite(v));
    CHECK(xf_xfm_get_f64(m, "valid.mae_norm", &v, NULL) == XF_ENOTFOUND);
    CHECK(xf_xfm_get_i64(m, "valid.mase_undefined", &und, NULL) == XF_ENOTFOUND);
    for (i = 0; i < xf_xfm_n_meta(m); i++) {
        const char *k = xf_xfm_meta_key(m, i);
        CHECK_MSG(strncmp(k, "valid.mae_norm.", 15) != 0, "%s written with MASE defined", k);
        if (strncmp(k, "valid.mase.", 11) == 0) {
            CHECK(xf_xfm_get_f64(m, k, &v, NULL) == XF_OK && v > 0 && isfinite(v));
            n++;
            n_local += strstr(k, "+local_model") != NULL;
        }
    }
    /* with and without embeddings, and the better one with the local
     * model's features, scored the same way */
    CHECK_MSG(n == 3 && n_local == 1, "%zu candidates, %zu with the local model", n, n_local);
    xf_head_free(h);
    /* the default season (24 for hourly data) keeps MASE */
    o.season = XF_AUTO;
    if ((h = fit_ok(p, &tcn, 1, &o, "default season")) != NULL) {
        CHECK(xf_xfm_get_f64(xf_head_meta(h), "valid.mase", &v, NULL) == XF_OK && v > 0);
        CHECK(xf_xfm_get_f64(xf_head_meta(h), "valid.mae_norm", &v, NULL) == XF_ENOTFOUND);
        xf_head_free(h);
    }
    xf_panel_free(p);
}

/* A copy of the head file at src without its calibration residuals (as
 * heads were written before they were kept) at dst. */
static void strip_calibration(const char *src, const char *dst)
{
    xf_xfm *in = NULL, *out = NULL;
    xf_error err;
    size_t i;
    need(xf_xfm_load(src, &in, &err) == XF_OK, "load head container", &err);
    need(xf_xfm_new(xf_xfm_kind(in), &out) == XF_OK, "new container", NULL);
    for (i = 0; i < xf_xfm_n_meta(in); i++) {
        const char *k = xf_xfm_meta_key(in, i);
        int rc = XF_OK;
        if (strncmp(k, "calib.", 6) == 0)
            continue;
        switch (xf_xfm_meta_type(in, i)) {
        case XF_XFM_TYPE_U32: {
            uint32_t v = 0;
            xf_xfm_get_u32(in, k, &v, NULL);
            rc = xf_xfm_set_u32(out, k, v);
            break;
        }
        case XF_XFM_TYPE_I64: {
            int64_t v = 0;
            xf_xfm_get_i64(in, k, &v, NULL);
            rc = xf_xfm_set_i64(out, k, v);
            break;
        }
        case XF_XFM_TYPE_F64: {
            double v = 0;
            xf_xfm_get_f64(in, k, &v, NULL);
            rc = xf_xfm_set_f64(out, k, v);
            break;
        }
        case XF_XFM_TYPE_STR: {
            const char *v = "";
            xf_xfm_get_str(in, k, &v, NULL);
            rc = xf_xfm_set_str(out, k, v);
            break;
        }
        case XF_XFM_TYPE_I64_ARRAY: {
            const int64_t *v = NULL;
            size_t n = 0;
            xf_xfm_get_i64_array(in, k, &v, &n, NULL);
            rc = xf_xfm_set_i64_array(out, k, v, n);
            break;
        }
        case XF_XFM_TYPE_F64_ARRAY: {
            const double *v = NULL;
            size_t n = 0;
            xf_xfm_get_f64_array(in, k, &v, &n, NULL);
            rc = xf_xfm_set_f64_array(out, k, v, n);
            break;
        }
        }
        need(rc == XF_OK, "copy key", NULL);
    }
    for (i = 0; i < xf_xfm_n_tensors(in); i++) {
        const char *nm = xf_xfm_tensor_name(in, i);
        if (strncmp(nm, "calib.", 6) == 0)
            continue;
        need(xf_xfm_tensor_dtype(in, i) == XF_XFM_DTYPE_F64 &&
                 xf_xfm_add_tensor_f64(out, nm, xf_xfm_tensor_n_dims(in, i),
                                       xf_xfm_tensor_dims(in, i),
                                       (const double *)xf_xfm_tensor_data(in, i)) == XF_OK,
             "copy tensor", NULL);
    }
    need(xf_xfm_save(out, dst, &err) == XF_OK, "save stripped head", &err);
    xf_xfm_free(in);
    xf_xfm_free(out);
}

/* Other interval levels from the residuals kept at fit time: the same
 * quantiles a fit at those levels gives; kept through save and load; a
 * head file without them refuses, saying to refit. */
static void test_set_levels(xf_encoder *tcn)
{
    static const double lv3[3] = {80, 90, 95}, lv90[1] = {90}, bad[1] = {100};
    xf_head_options o;
    xf_head *h, *h3, *g = NULL;
    xf_panel *p = sine_panel(2, 600, 0.3, 13);
    double mean[H_SMALL], lo[3 * H_SMALL], hi[3 * H_SMALL], lo1[H_SMALL], hi1[H_SMALL];
    char path[64], old[64];
    xf_error err;
    size_t k;

    small_opts(&o);
    h = fit_ok(p, &tcn, 1, &o, "levels 80, 95");
    o.n_levels = 3;
    memcpy(o.levels, lv3, sizeof lv3);
    h3 = fit_ok(p, &tcn, 1, &o, "levels 80, 90, 95");
    if (h == NULL || h3 == NULL)
        goto done;
    CHECK(forecast(h3, p, 0, SIZE_MAX, H_SMALL, NULL, mean, lo, hi, &err) == XF_OK);
    CHECK_INT(xf_head_set_levels(h, bad, 1, &err), XF_EINVAL);
    CHECK(xf_head_n_levels(h) == 2);
    CHECK_INT(xf_head_set_levels(h, lv90, 1, &err), XF_OK);
    CHECK(xf_head_n_levels(h) == 1 && xf_head_level(h, 0) == 90);
    CHECK(forecast(h, p, 0, SIZE_MAX, H_SMALL, NULL, mean, lo1, hi1, &err) == XF_OK);
    for (k = 0; k < H_SMALL; k++)
        CHECK_MSG(lo1[k] == lo[H_SMALL + k] && hi1[k] == hi[H_SMALL + k],
                  "step %zu: 90%% [%g, %g] vs the fit's [%g, %g]", k + 1, lo1[k], hi1[k],
                  lo[H_SMALL + k], hi[H_SMALL + k]);
    /* saved and loaded: the residuals travel with the head */
    temp_path(path, sizeof path);
    CHECK(xf_head_save(h3, path, &err) == XF_OK);
    if (xf_head_load(path, &g, &err) == XF_OK &&
        xf_head_attach_encoders(g, &tcn, 1, &err) == XF_OK) {
        CHECK_INT(xf_head_set_levels(g, lv90, 1, &err), XF_OK);
        CHECK(forecast(g, p, 0, SIZE_MAX, H_SMALL, NULL, mean, lo1, hi1, &err) == XF_OK);
        for (k = 0; k < H_SMALL; k++)
            CHECK(lo1[k] == lo[H_SMALL + k] && hi1[k] == hi[H_SMALL + k]);
    } else {
        CHECK_MSG(0, "reload: %s", err.message);
    }
    xf_head_free(g);
    g = NULL;
    /* an older head file: no residuals, a clear error, its own levels kept */
    temp_path(old, sizeof old);
    strip_calibration(path, old);
    if (xf_head_load(old, &g, &err) == XF_OK) {
        CHECK_INT(xf_head_set_levels(g, lv90, 1, &err), XF_EINVAL);
        CHECK_MSG(strstr(err.message, "refit") != NULL, "%s", err.message);
        CHECK(xf_head_n_levels(g) == 3);
        CHECK_INT(xf_head_set_levels(g, lv3, 3, &err), XF_OK); /* its own: nothing to do */
    } else {
        CHECK_MSG(0, "load the stripped head: %s", err.message);
    }
    remove(path);
    remove(old);
done:
    xf_head_free(g);
    xf_head_free(h);
    xf_head_free(h3);
    xf_panel_free(p);
}

/* Rolling selection and "simpler wins within noise": noisy sines, where
 * the small random GRU's embeddings (a random network) add little to the
 * lags, and with this seed score slightly lower on the held-out origins
 * by chance (0.818 against 0.821; the standard error of the difference is
 * 0.015).  Rolling selection keeps the head without them and says why on
 * its report; a single split keeps the lowest, the embeddings, as before
 * this rule. */
static void test_rolling_selection(void)
{
    xf_head_options o;
    xf_head *h, *g;
    xf_panel *p = sine_panel(3, N_SINE, 0.8, 4);
    const char *chosen = NULL, *sel = NULL;
    double e, ne, se;
    int64_t folds = 0;

    small_opts(&o);
    o.embedding = XF_AUTO;
    o.baseline = 0;
    o.seasonal_scale = 0;
    CHECK_INT(o.selection, XF_SELECTION_ROLLING); /* the default */
    if ((h = fit_ok(p, &gru, 1, &o, "rolling selection")) == NULL) {
        xf_panel_free(p);
        return;
    }
    e = meta_f64(h, "valid.mase.embeddings");
    ne = meta_f64(h, "valid.mase.no_embeddings");
    se = meta_f64(h, "valid.se");
    CHECK_MSG(isfinite(e) && isfinite(ne) && se > 0 && isfinite(se),
              "scores %g (embeddings) %g (none), SE %g", e, ne, se);
    CHECK(xf_xfm_get_str(xf_head_meta(h), "valid.selection", &sel, NULL) == XF_OK &&
          strcmp(sel, "rolling") == 0);
    CHECK(xf_xfm_get_i64(xf_head_meta(h), "valid.folds", &folds, NULL) == XF_OK && folds == 3);
    CHECK(xf_xfm_get_str(xf_head_meta(h), "valid.chosen", &chosen, NULL) == XF_OK);
    /* the simpler head wins: no embeddings, no encoder needed */
    CHECK_INT((int)xf_head_n_encoders(h), 0);
    CHECK_MSG(e < ne, "fixture: the embeddings score %g, not below %g: the rule is not tried", e,
              ne);
    CHECK_MSG(chosen != NULL && strncmp(chosen, "no_embeddings (no_embeddings ", 29) == 0 &&
                  strstr(chosen, "within 1 SE") != NULL &&
                  strstr(chosen, "of embeddings ") != NULL && strstr(chosen, ": simpler)") != NULL,
              "%s", chosen != NULL ? chosen : "(no valid.chosen)");

    o.selection = XF_SELECTION_SINGLE;
    if ((g = fit_ok(p, &gru, 1, &o, "single split")) != NULL) {
        double e1 = meta_f64(g, "valid.mase.embeddings"),
               n1 = meta_f64(g, "valid.mase.no_embeddings");
        CHECK(xf_xfm_get_str(xf_head_meta(g), "valid.selection", &sel, NULL) == XF_OK &&
              strcmp(sel, "single") == 0);
        CHECK(xf_xfm_get_i64(xf_head_meta(g), "valid.folds", &folds, NULL) == XF_ENOTFOUND);
        CHECK(xf_xfm_get_str(xf_head_meta(g), "valid.chosen", &chosen, NULL) == XF_OK &&
              strstr(chosen, "(the lowest)") != NULL);
        /* the lowest kept: here the embeddings; the scores are not the
         * rolling ones */
        CHECK(e1 < n1);
        CHECK_INT((int)xf_head_n_encoders(g), 1);
        CHECK(chosen != NULL && strcmp(chosen, "embeddings (the lowest)") == 0);
        CHECK(e1 != e || n1 != ne);
        xf_head_free(g);
    }
    o.selection = 2;
    {
        xf_error err;
        CHECK_INT(xf_head_fit(p, &gru, 1, &o, &g, &err), XF_EINVAL);
        CHECK(strstr(err.message, "selection 2") != NULL);
    }
    xf_head_free(h);
    xf_panel_free(p);
}

int main(void)
{
    xf_encoder_config cfg;
    xf_encoder *tcn = NULL;
    xf_panel *sine = NULL;
    xf_head *head = NULL;
    xf_error err;

    ht_init("test_head_fit");
    xf_encoder_config_init(&cfg, XF_ARCH_TCN);
    cfg.context = 64;
    cfg.n_channels = 8;
    cfg.n_blocks = 5;
    need(xf_encoder_new(&cfg, 1, &tcn, &err) == XF_OK, "small TCN", &err);
    xf_encoder_set_name(tcn, "tcn-small");

    sine = sine_panel(3, N_SINE, 0.3, 1);
    head = ht_sine_head(sine);
    if (head != NULL)
        test_fit_sine(sine, head);
    test_options(tcn);
    test_few_lags(sine);
    test_covariates();
    test_log();
    test_domains();
    test_short_series();
    test_undefined_mase(tcn);
    test_set_levels(tcn);
    test_rolling_selection();

    xf_head_free(head);
    xf_panel_free(sine);
    xf_encoder_free(tcn);
    xf_encoder_free(gru);
    return tu_report("test_head_fit");
}
