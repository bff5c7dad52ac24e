/* head_zeroshot.c - zero-shot heads: point forecasts from an encoder's
 * pretraining head, with split-conformal intervals calibrated on the last
 * origins of each series.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "abi.h"
#include "encoder_internal.h"
#include "head_blend.h"
#include "head_internal.h"
#include "localmodels.h"
#include "pretrain_head.h"

/* ------------------------------------------------------------ the point
 * forecast.  A pretraining head has never seen the user's series; forecasts
 * that need no fitting either - naive, seasonal naive of each of the
 * frequency's periods, the local window model (localmodels.h: seasonal
 * profiles + exponential smoothing of the values before each origin) - are
 * sometimes better on it, and a blend of the two often is (head_blend.h):
 * the point forecast is the one with the lowest mean absolute normalised
 * error over the calibration origins, the pretraining head's alone unless
 * another is strictly lower.  `blend` (the caller's blend option) none: the
 * pretraining head's alone.  `want` (the caller's baseline option) limits
 * the baselines: XF_AUTO all of them, 0 none, else the one it names
 * (XF_BASELINE_SEASONAL: the head's season).  res [nr][H]: the pretraining
 * head's errors at the calibration origins ser/org [nr] (those it could
 * forecast, as xf__head_origin_errors leaves them), the chosen forecast's
 * on return; the choice goes to h->meta. */
static int choose_point(xf_head *h, const xf_panel *panel, const size_t *ser, const size_t *org,
                        int32_t blend, int32_t want, int32_t season, double *res, size_t nr,
                        xf_error *err)
{
    int32_t bases[XF__BLEND_MAX_BASES];
    size_t nb = 0;
    xf__blend_rows rows = {0};
    double before = 0, after = 0;
    char what[160] = "the pretraining head's";
    int rc, p;
    /* the local model's periods: those of the frequency that it can take */
    for (p = 0; p < 2; p++)
        h->spec.local_period[p] =
            h->zs_periods[p] >= 2 && h->zs_periods[p] <= XF__LM_FIT_WINDOW / XF__LM_WIN_CYCLES
                ? h->zs_periods[p]
                : 0;
    if (h->spec.local_period[0] == 0) {
        h->spec.local_period[0] = h->spec.local_period[1];
        h->spec.local_period[1] = 0;
    }
    if (blend == XF_BLEND_NONE) {
        ; /* the pretraining head's alone */
    } else if (want == XF_AUTO) {
        bases[nb++] = 1;
        for (p = 0; p < 2; p++)
            if (h->zs_periods[p] >= 2)
                bases[nb++] = h->zs_periods[p];
        bases[nb++] = XF_BASELINE_LOCAL;
    } else if (want == XF_BASELINE_SEASONAL) {
        bases[nb++] = season > 1 ? season : 1;
    } else if (want != 0) {
        bases[nb++] = want; /* naive, a period, or the local model */
    }
    rows.ser = ser;
    rows.org = org;
    rows.n = nr;
    if ((rc = xf__blend_choose(h, panel, &rows, bases, nb, res, &before, &after, err)) != XF_OK)
        return rc;
    if (h->blend_share >= 100) {
        xf__blend_name(h, 0, what, sizeof what);
    } else if (h->blend_share > 0) {
        size_t l = (size_t)snprintf(what, sizeof what, "%d%% the pretraining head's + ",
                                    (int)(100 - h->blend_share));
        if (l < sizeof what)
            xf__blend_name(h, 1, what + l, sizeof what - l);
    }
    if (h->blend_base != XF_BASELINE_LOCAL)
        h->spec.local_period[0] = h->spec.local_period[1] = 0;
    xf_xfm_set_str(h->meta, "zeroshot.point", what);
    xf_xfm_set_f64(h->meta, "zeroshot.mae_encoder", before);
    xf_xfm_set_f64(h->meta, "zeroshot.mae", after);
    return XF_OK;
}

int xf_head_zeroshot(const xf_panel *panel, xf_encoder *enc, const xf_head_options *opts,
                     xf_head **out, xf_error *err)
{
    xf_head_options in, o;
    xf_head *h = NULL;
    size_t H, k, s, n_cal = 0, cap = 0, cap_org = 0, cap_late = 0, longest = 0;
    size_t *ser = NULL, *org = NULL;
    double *res = NULL, *unit = NULL;
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
    h->spec.scale_mode = 0; /* one scale for the encoder's and the baselines' errors */
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
    if ((res = xf__malloc_array(n_cal * H, sizeof *res)) == NULL ||
        (unit = xf__malloc_array(n_cal, sizeof *unit)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    {
        size_t nr = 0;
        if ((rc = xf__head_origin_errors(h, panel, ser, org, late, n_cal, o.n_threads, res, unit,
                                         &nr, err)) != XF_OK)
            goto done;
        if ((rc = choose_point(h, panel, ser, org, in.blend, in.baseline, o.season, res, nr,
                               err)) != XF_OK)
            goto done;
        /* normalised conformal: the chosen forecast's errors in units of the
         * pretraining head's predicted spread at each origin (as a forecast
         * with h->zs_width computes them, to rounding) */
        if (xf__encoder_phead_has_spread(enc)) {
            size_t r, k2;
            h->zs_width = 1;
            for (r = 0; r < nr; r++)
                for (k2 = 0; k2 < H; k2++)
                    res[r * H + k2] *= unit[r];
        }
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
    free(unit);
    return rc;
}
