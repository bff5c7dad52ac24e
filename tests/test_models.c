/* test_models.c - the shipped encoders in models/ load, say what they are
 * and where they come from, and forecast zero-shot on a bundled dataset.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

#include "testutil.h"

static void check_model(const char *srcdir, const char *name, xf_arch arch, int64_t min_windows,
                        const double *demand, size_t n)
{
    char path[1024];
    xf_encoder *e = NULL;
    xf_encoder_workspace *ws = NULL;
    xf_error err;
    const char *s;
    int64_t steps = 0, batch = 0;
    double valid = NAN, naive = NAN;
    size_t T, H, i, k, n_win = 20;
    float *win, *fc;
    double se = 0, sn = 0;
    snprintf(path, sizeof path, "%s/models/%s", srcdir, name);
    CHECK_MSG(xf_encoder_load(path, &e, &err) == XF_OK, "%s", err.message);
    if (e == NULL)
        return;
    CHECK_INT(xf_encoder_get_config(e)->arch, arch);
    CHECK_INT(xf_encoder_context(e), 512);
    CHECK(xf_encoder_horizon(e) >= 48);
    /* provenance: at least min_windows windows of the synthetic corpus, no
     * benchmark data */
    CHECK(xf_xfm_get_str(xf_encoder_meta(e), "pretrain.corpus", &s, NULL) == XF_OK &&
          strstr(s, "synthetic") != NULL);
    CHECK(xf_xfm_get_str(xf_encoder_meta(e), "pretrain.benchmark_data_seen", &s, NULL) == XF_OK &&
          strcmp(s, "none") == 0);
    CHECK(xf_xfm_get_i64(xf_encoder_meta(e), "pretrain.steps", &steps, NULL) == XF_OK);
    CHECK(xf_xfm_get_i64(xf_encoder_meta(e), "pretrain.batch", &batch, NULL) == XF_OK);
    CHECK_MSG(steps * batch >= min_windows, "%s saw %lld windows", name,
              (long long)(steps * batch));
    /* it learned: validation error well below the last-value forecast's */
    CHECK(xf_xfm_get_f64(xf_encoder_meta(e), "pretrain.valid_mse", &valid, NULL) == XF_OK);
    CHECK(xf_xfm_get_f64(xf_encoder_meta(e), "pretrain.valid_naive_mse", &naive, NULL) == XF_OK);
    CHECK_MSG(valid < 0.7 * naive, "%s: validation MSE %.3f vs naive %.3f", name, valid, naive);
    printf("%s: %zu parameters, %lld windows, validation MSE %.4f (last value %.4f)\n", name,
           xf_encoder_n_params(e), (long long)(steps * batch), valid, naive);

    /* zero-shot, 48 half-hours ahead of 20 origins in the Taylor demand data:
     * finite, and better than repeating the last value */
    T = (size_t)xf_encoder_context(e);
    H = 48;
    win = malloc(n_win * T * sizeof *win);
    fc = malloc(n_win * H * sizeof *fc);
    CHECK(xf_encoder_workspace_new(e, 8, &ws, &err) == XF_OK);
    for (i = 0; i < n_win; i++) {
        size_t origin = 600 + i * 150;
        for (k = 0; k < T; k++)
            win[i * T + k] = (float)demand[origin - T + k];
    }
    CHECK(xf_encoder_forecast(e, ws, win, n_win, (int32_t)H, fc, &err) == XF_OK);
    for (i = 0; i < n_win; i++) {
        size_t origin = 600 + i * 150;
        for (k = 0; k < H && origin + k < n; k++) {
            double y = demand[origin + k], last = demand[origin - 1];
            CHECK(isfinite(fc[i * H + k]));
            se += (fc[i * H + k] - y) * (fc[i * H + k] - y);
            sn += (last - y) * (last - y);
        }
    }
    printf("%s: zero-shot on taylor, 48 steps: RMSE %.0f MW vs last value %.0f MW\n", name,
           sqrt(se / (double)(n_win * H)), sqrt(sn / (double)(n_win * H)));
    CHECK(se < sn);
    xf_encoder_workspace_free(ws);
    xf_encoder_free(e);
    free(win);
    free(fc);
}

/* tcn-v2 and tcn-v3 (issue 14): a seasonal pretraining head of 5
 * quantiles over two weeks of hourly steps, so that zero-shot forecasts
 * cover a week of hourly data and their intervals scale with its predicted
 * spread; tcn-v3 also reads the seasonal difference (3 input channels) */
static void check_seasonal(const char *srcdir, const char *name, int n_inputs)
{
    static const double want[5] = {0.025, 0.1, 0.5, 0.9, 0.975};
    char path[1024], key[64];
    xf_encoder *e = NULL;
    xf_error err;
    int64_t nq = 0;
    double q;
    int i;
    snprintf(path, sizeof path, "%s/models/%s.xfm", srcdir, name);
    CHECK_MSG(xf_encoder_load(path, &e, &err) == XF_OK, "%s", err.message);
    if (e == NULL)
        return;
    CHECK_STR(xf_encoder_name(e), name);
    CHECK_INT(xf_encoder_get_config(e)->n_inputs, n_inputs);
    CHECK(xf_encoder_head_kind(e) == XF_ENCODER_HEAD_SEASONAL);
    CHECK_INT(xf_encoder_horizon(e), 336);
    CHECK(xf_xfm_get_i64(xf_encoder_meta(e), "pretrain.n_quantiles", &nq, NULL) == XF_OK &&
          nq == 5);
    for (i = 0; i < 5; i++) {
        snprintf(key, sizeof key, "pretrain.quantile.%d", i);
        CHECK_MSG(xf_xfm_get_f64(xf_encoder_meta(e), key, &q, NULL) == XF_OK && q == want[i], "%s",
                  key);
    }
    xf_encoder_free(e);
}

int main(void)
{
    const char *srcdir = getenv("XF_SRCDIR") ? getenv("XF_SRCDIR") : ".";
    char path[1024];
    xf_dataset *ds = NULL;
    xf_error err;
    snprintf(path, sizeof path, "%s/datasets/taylor-halfhourly.csv", srcdir);
    if (xf_dataset_read_csv(path, NULL, &ds, &err) != XF_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 99;
    }
    xf_blas_set_threads(1);
    check_model(srcdir, "gru-base.xfm", XF_ARCH_GRU, 1000000, xf_dataset_series_values(ds, 0),
                xf_dataset_series_length(ds, 0));
    check_model(srcdir, "tcn-base.xfm", XF_ARCH_TCN, 1000000, xf_dataset_series_values(ds, 0),
                xf_dataset_series_length(ds, 0));
    /* v2: 10x the windows of tcn-base (issue 14), a seasonal quantile head */
    check_model(srcdir, "tcn-v2.xfm", XF_ARCH_TCN, 40000000, xf_dataset_series_values(ds, 0),
                xf_dataset_series_length(ds, 0));
    check_seasonal(srcdir, "tcn-v2", 2);
    /* v3: v2's recipe with the seasonal difference as a third input */
    check_model(srcdir, "tcn-v3.xfm", XF_ARCH_TCN, 40000000, xf_dataset_series_values(ds, 0),
                xf_dataset_series_length(ds, 0));
    check_seasonal(srcdir, "tcn-v3", 3);
    xf_dataset_free(ds);
    return tu_report("test_models");
}
