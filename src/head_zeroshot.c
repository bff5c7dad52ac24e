/* head_zeroshot.c - zero-shot heads: point forecasts from an encoder's
 * pretraining head, with split-conformal intervals calibrated on the last
 * origins of each series.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>

#include "abi.h"
#include "head_internal.h"
#include "pretrain_head.h"

int xf_head_zeroshot(const xf_panel *panel, xf_encoder *enc, const xf_head_options *opts,
                     xf_head **out, xf_error *err)
{
    xf_head_options in, o;
    xf_head *h = NULL;
    size_t H, k, s, n_cal = 0, cap = 0, cap_org = 0, cap_late = 0, longest = 0;
    size_t *ser = NULL, *org = NULL;
    double *res = NULL;
    unsigned char *late = NULL;
    int rc;
    *out = NULL;
    xf_head_options_init(&in);
    XF__IMPORT_OPTIONS(in, opts, XF__HEAD_OPTIONS_V1, xf_head_options, err);
    o = *opts;
    if (xf_encoder_horizon(enc) <= 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "encoder '%s' has no pretraining head",
                        xf_encoder_name(enc));
    if (o.horizon == XF_AUTO) {
        if ((rc = xf_head_options_resolve(&o, panel, err)) != XF_OK)
            return rc;
        if (o.horizon > xf_encoder_horizon(enc))
            o.horizon = xf_encoder_horizon(enc);
    }
    if ((rc = xf_head_options_resolve(&o, panel, err)) != XF_OK)
        return rc;
    if (o.horizon > xf_encoder_horizon(enc))
        return xf__fail(err, XF_ERANGE, 0, 0,
                        "horizon %d: the zero-shot head of '%s' forecasts "
                        "at most %d steps (fit a head for longer horizons)",
                        (int)o.horizon, xf_encoder_name(enc), (int)xf_encoder_horizon(enc));
    if ((h = xf__head_alloc()) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    o.embedding = 1;
    o.covariates = 0;
    o.n_lags = 0;
    if ((rc = xf__head_fill_spec(h, &o, &enc, 1, 0, err)) != XF_OK)
        goto done;
    h->zeroshot = 1;
    xf__phead_periods_freq(xf__head_panel_freq(panel), h->zs_periods);
    h->stride = 1;
    h->nonneg = 1;
    h->spec.norm_window = xf_encoder_context(enc);
    h->spec.level_last = 0;
    h->spec.baseline = 0;
    xf__feat_spec_layout(&h->spec);
    H = (size_t)o.horizon;
    /* calibration origins: the last ones of each series whose targets are
     * all observed, up to XF_HEAD_ZS_PER_SERIES per series */
    for (s = 0; s < xf_panel_n_series(panel); s++) {
        const double *y = xf_panel_series_values(panel, s);
        size_t n = xf_panel_series_observed(panel, s), t, got = 0;
        size_t cut = xf__head_cut_index(panel, s, o.train_end, o.train_end_row);
        if (cut < n)
            n = cut; /* backtests: calibrate before the test period only */
        if (n > longest)
            longest = n;
        for (t = n >= H ? n - H + 1 : 0;
             t-- > XF_HEAD_ZS_FIRST_ORIGIN && got < XF_HEAD_ZS_PER_SERIES;) {
            for (k = 0; k < H && isfinite(xf__feat_value(&h->spec, y, n, (int64_t)(t + k))); k++)
                ;
            if (k < H)
                continue;
            if (xf__grow((void **)&ser, &cap, n_cal + 1, sizeof *ser) != 0 ||
                xf__grow((void **)&org, &cap_org, n_cal + 1, sizeof *org) != 0 ||
                xf__grow((void **)&late, &cap_late, n_cal + 1, sizeof *late) != 0) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                goto done;
            }
            ser[n_cal] = s;
            org[n_cal] = t;
            late[n_cal] = got < XF_HEAD_ZS_LATE; /* the most recent half */
            n_cal++;
            got++;
        }
    }
    if (n_cal < XF_HEAD_MIN_VALID) {
        rc = xf__fail(err, XF_EDATA, 0, 0,
                      "too little history to calibrate intervals: %zu "
                      "origins with %zu observed values after them (need %d); the longest "
                      "series has %zu observed values and needs at least %zu",
                      n_cal, H, XF_HEAD_MIN_VALID, longest,
                      (size_t)XF_HEAD_ZS_FIRST_ORIGIN + H + XF_HEAD_MIN_VALID - 1);
        goto done;
    }
    if ((res = xf__malloc_array(n_cal * H, sizeof *res)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    {
        size_t nr = 0;
        if ((rc = xf__head_origin_errors(h, panel, ser, org, late, n_cal, o.n_threads, res, &nr,
                                         err)) != XF_OK)
            goto done;
        if ((rc = xf__head_calibrate(h, res, late, nr, err)) != XF_OK)
            goto done;
        xf__head_record_provenance(h, panel, &o);
        xf_xfm_set_i64(h->meta, "fit.windows_valid", (int64_t)nr);
    }
    if (xf__xfm_set_failed(h->meta)) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    *out = h;
    h = NULL;
    rc = XF_OK;
done:
    xf_head_free(h);
    free(ser);
    free(org);
    free(late);
    free(res);
    return rc;
}
