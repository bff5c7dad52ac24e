/* test_head_local.c - unit tests of src/head_local.c: the local model
 * alone for a series too short for a ridge head.  xf_head_fit falls back
 * to it only when the options leave the configuration to the fit; its
 * forecasts are the window model's (finite, near a clean seasonal pattern,
 * inside its intervals); it round-trips through a file; an exact update
 * keeps working; a series too short even for it is refused with the
 * length it needs; the intervals come from errors the model made out of
 * sample, pooled over the steps when there are too few origins for each.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include "head_internal.h"
#include "head_local.h"
#include "head_testutil.h"

/* n hourly values of a daily sine (period 24) around 50, little noise */
static xf_panel *short_panel(size_t n, uint64_t seed)
{
    return sine_panel(1, n, 0.05, seed);
}

static void test_fallback(void)
{
    xf_panel *p = short_panel(90, 3);
    xf_head_options o;
    xf_head *h = NULL;
    xf_error err;
    const char *kind = NULL, *note = NULL;
    double mean[24], lo[2 * 24], hi[2 * 24], worst = 0;
    size_t k;
    xf_head_options_init(&o);
    CHECK(xf__head_local_allowed(&o, p));
    /* options a fallback would ignore: no fallback */
    o.n_lags = 24;
    CHECK(!xf__head_local_allowed(&o, p));
    o.n_lags = XF_AUTO;
    o.embedding = 1;
    CHECK(!xf__head_local_allowed(&o, p));
    o.embedding = XF_AUTO;
    o.local_model = 0;
    CHECK(!xf__head_local_allowed(&o, p));
    o.local_model = XF_AUTO;
    o.baseline = XF_BASELINE_SEASONAL;
    CHECK(!xf__head_local_allowed(&o, p));
    o.baseline = XF_AUTO;
    CHECK_INT(xf_head_fit(p, NULL, 0, &o, &h, &err), XF_OK);
    if (h == NULL) {
        xf_panel_free(p);
        return;
    }
    CHECK(xf_xfm_get_str(xf_head_meta(h), "fit.kind", &kind, NULL) == XF_OK &&
          strcmp(kind, "local") == 0);
    CHECK(xf_xfm_get_str(xf_head_meta(h), "fit.note", &note, NULL) == XF_OK &&
          strstr(note, "too little data") != NULL);
    CHECK_INT(xf_head_n_features(h), 1);
    CHECK_INT(xf_head_n_encoders(h), 0);
    {
        int64_t nv = 0;
        CHECK(xf_xfm_get_i64(xf_head_meta(h), "fit.windows_valid", &nv, NULL) == XF_OK && nv >= 10);
        CHECK(meta_f64(h, "valid.mse") > 0);
    }
    /* the forecast continues the daily sine */
    CHECK_INT(forecast(h, p, 0, SIZE_MAX, 24, NULL, mean, lo, hi, &err), XF_OK);
    for (k = 0; k < 24; k++) {
        double e = fabs(mean[k] - sine_truth(0, 90 + k));
        worst = e > worst ? e : worst;
        CHECK(lo[k] <= mean[k] && mean[k] <= hi[k]);       /* 80% */
        CHECK(lo[24 + k] <= lo[k] && hi[k] <= hi[24 + k]); /* 95% wider */
    }
    CHECK_MSG(worst < 0.25 * 10, "local model: worst error %g against the sine", worst);
    check_roundtrip(h, NULL, 0, p, "local-model head");
    /* an exact update: the new origins enter the (empty) statistics */
    {
        xf_panel *q = short_panel(140, 3);
        size_t seen = 90, added = 0;
        CHECK_MSG(xf_head_update(h, q, &seen, 1, &added, &err) == XF_OK, "%s", err.message);
        CHECK(added > 0);
        CHECK_INT(forecast(h, q, 0, SIZE_MAX, 24, NULL, mean, NULL, NULL, &err), XF_OK);
        CHECK(all_finite(mean, 24));
        xf_panel_free(q);
    }
    xf_head_free(h);
    xf_panel_free(p);
}

static void test_too_short(void)
{
    /* horizon 24 needs 3 + 24 + 1 = 28 values for the 2 calibration origins
     * of pooled intervals (one season plus the horizon, 48, is enough) */
    xf_panel *p = short_panel(27, 5);
    xf_head_options o;
    xf_head *h = NULL;
    xf_error err;
    const char *note = NULL;
    double mean[24], lo[2 * 24], hi[2 * 24];
    size_t k;
    xf_head_options_init(&o);
    CHECK_INT(xf_head_fit(p, NULL, 0, &o, &h, &err), XF_EDATA);
    CHECK(h == NULL);
    CHECK_MSG(strstr(err.message, "too little data") != NULL &&
                  strstr(err.message, "the local model alone needs 2 origins") != NULL &&
                  strstr(err.message, "at least 28 are needed with horizon 24") != NULL,
              "%s", err.message);
    xf_panel_free(p);
    /* 30 values: 3 origins, too few for quantiles of each step: pooled */
    p = short_panel(30, 5);
    CHECK_INT(xf_head_fit(p, NULL, 0, &o, &h, &err), XF_OK);
    if (h != NULL) {
        CHECK(xf_xfm_get_str(xf_head_meta(h), "fit.note", &note, NULL) == XF_OK &&
              strstr(note, "pooled over the steps") != NULL);
        CHECK_INT(forecast(h, p, 0, SIZE_MAX, 24, NULL, mean, lo, hi, &err), XF_OK);
        for (k = 0; k < 24; k++) {
            CHECK(lo[k] <= mean[k] && mean[k] <= hi[k]);
            CHECK(lo[24 + k] <= lo[k] && hi[k] <= hi[24 + k]);
        }
        /* the pooled quantiles grow as sqrt(step): at step 24, 4.9 x step 1
         * (the calibrated split quantiles; the forecast's adaptive intervals
         * rescale them by the recent errors of each step) */
        CHECK_MSG(fabs((h->q_hi[23] - h->q_lo[23]) / (h->q_hi[0] - h->q_lo[0]) - sqrt(24.0)) < 1e-9,
                  "calibrated widths %g at step 1, %g at step 24", h->q_hi[0] - h->q_lo[0],
                  h->q_hi[23] - h->q_lo[23]);
        CHECK(hi[23] - lo[23] > 2 * (hi[0] - lo[0]));
        check_roundtrip(h, NULL, 0, p, "pooled local-model head");
    }
    xf_head_free(h);
    h = NULL;
    xf_panel_free(p);
    /* 40 values: enough origins for quantiles of each step */
    p = short_panel(40, 5);
    CHECK_INT(xf_head_fit(p, NULL, 0, &o, &h, &err), XF_OK);
    if (h != NULL)
        CHECK(xf_xfm_get_str(xf_head_meta(h), "fit.note", &note, NULL) == XF_OK &&
              strstr(note, "pooled") == NULL);
    xf_head_free(h);
    xf_panel_free(p);
}

int main(void)
{
    ht_init("test_head_local");
    test_fallback();
    test_too_short();
    xf_encoder_free(gru);
    return tu_report("test_head_local");
}
