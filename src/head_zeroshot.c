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
#include "localmodels.h"
#include "pretrain_head.h"

/* ------------------------------------------------------------ the point
 * forecast.  A pretraining head has never seen the user's series; forecasts
 * that need no fitting either - naive, seasonal naive of each of the
 * frequency's periods, the local window model (localmodels.h: seasonal
 * profiles + exponential smoothing of the values before each origin) - are
 * sometimes better on it, and a blend of the two often is.  The point
 * forecast is the one of these with the lowest mean absolute normalised
 * error over the calibration origins (the encoder's alone unless another is
 * strictly lower): the encoder's, or ZS_SHARES shares of one baseline. */
#define ZS_SHARES 4
static const int32_t zs_shares[ZS_SHARES] = {25, 50, 75, 100}; /* percent of the baseline */
#define ZS_MAX_BASES 4

static double mean_abs(const double *a, const double *b, double wb, size_t n)
{
    double acc = 0.0;
    size_t i;
    for (i = 0; i < n; i++)
        acc += fabs((1.0 - wb) * a[i] + (b != NULL ? wb * b[i] : 0.0));
    return acc / (double)(n > 0 ? n : 1);
}

/* The baseline errors (normalised value - baseline) of the calibration
 * origins that the encoder's errors kept (those whose window normalises),
 * in their order, into out [nr][H]. */
static int baseline_errors(const xf__feat_spec *s, xf__feat_ws *fws, const xf_panel *panel,
                           const size_t *ser, const size_t *org, size_t n_cal, size_t nr,
                           double *out, xf_error *err)
{
    size_t H = (size_t)s->horizon, i, j = 0, k;
    for (i = 0; i < n_cal; i++) {
        const double *y = xf_panel_series_values(panel, ser[i]);
        size_t n = xf_panel_series_length(panel, ser[i]);
        double lv, sc, *base = fws->vals; /* scratch of at least H values */
        if (xf__feat_norm(s, y, n, org[i], &lv, &sc) != 0)
            continue;
        if (j < nr) {
            xf__feat_baseline(s, fws, y, n, org[i], lv, sc, base);
            for (k = 0; k < H; k++)
                out[j * H + k] =
                    (xf__feat_value(s, y, n, (int64_t)(org[i] + k)) - lv) / sc - base[k];
        }
        j++;
    }
    if (j != nr)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "internal: %zu calibration origins for the baselines, %zu for the "
                        "encoder",
                        j, nr);
    return XF_OK;
}

/* Choose the point forecast (h->spec.baseline, h->zs_base_share) on the
 * calibration origins among the baselines `want` allows (the caller's
 * baseline option: XF_AUTO all of them, 0 none - the encoder's alone -, or
 * the one it names; season: the head's); res [nr][H]: the encoder's errors
 * on entry, the chosen forecast's on return.  The choice and the errors go
 * to h->meta. */
static int choose_point(xf_head *h, const xf_panel *panel, const size_t *ser, const size_t *org,
                        size_t n_cal, int32_t want, int32_t season, double *res, size_t nr,
                        xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, nb = 0, b, k, NH = nr * H;
    int32_t bases[ZS_MAX_BASES], best_base = 0, best_share = 0;
    double enc_mae = mean_abs(res, NULL, 0.0, NH), best = enc_mae, *buf, *cur, *keep, *tmp;
    xf__feat_spec sb = h->spec;
    xf__feat_ws *fws = NULL;
    char what[128];
    int rc = XF_OK, p;
    /* the local model's periods: those the frequency has that it can take */
    for (p = 0; p < XF__FEAT_LOCAL_PERIODS && p < 2; p++)
        sb.local_period[p] =
            h->zs_periods[p] >= 2 && h->zs_periods[p] <= XF__LM_FIT_WINDOW / XF__LM_WIN_CYCLES
                ? h->zs_periods[p]
                : 0;
    if (sb.local_period[0] == 0) {
        sb.local_period[0] = sb.local_period[1];
        sb.local_period[1] = 0;
    }
    if (want == XF_AUTO) {
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
    if ((buf = xf__malloc_array(NH ? 2 * NH : 1, sizeof *buf)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    cur = buf;
    keep = buf + NH;
    sb.baseline = XF_BASELINE_LOCAL; /* a workspace for the local model's scratch */
    if ((rc = xf__feat_ws_new(&sb, 1, 1, &fws, err)) != XF_OK)
        goto done;
    for (b = 0; b < nb; b++) {
        int better = 0;
        size_t j;
        sb.baseline = bases[b];
        if ((rc = baseline_errors(&sb, fws, panel, ser, org, n_cal, nr, cur, err)) != XF_OK)
            goto done;
        for (j = 0; j < ZS_SHARES; j++) {
            double e = mean_abs(res, cur, zs_shares[j] / 100.0, NH);
            if (e < best) {
                best = e;
                best_base = bases[b];
                best_share = zs_shares[j];
                better = 1;
            }
        }
        if (better) {
            tmp = keep;
            keep = cur;
            cur = tmp;
        }
    }
    if (best_share > 0)
        for (k = 0; k < NH; k++)
            res[k] = (1.0 - best_share / 100.0) * res[k] + best_share / 100.0 * keep[k];
    h->spec.baseline = best_base;
    h->zs_base_share = best_share;
    if (best_base == XF_BASELINE_LOCAL)
        for (p = 0; p < XF__FEAT_LOCAL_PERIODS; p++)
            h->spec.local_period[p] = sb.local_period[p];
    xf__head_zs_point_name(h, what, sizeof what);
    xf_xfm_set_str(h->meta, "zeroshot.point", what);
    xf_xfm_set_f64(h->meta, "zeroshot.mae_encoder", enc_mae);
    xf_xfm_set_f64(h->meta, "zeroshot.mae", best);
done:
    xf__feat_ws_free(fws);
    free(buf);
    return rc;
}

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
    if ((res = xf__malloc_array(n_cal * H, sizeof *res)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    {
        size_t nr = 0;
        if ((rc = xf__head_origin_errors(h, panel, ser, org, late, n_cal, o.n_threads, res, &nr,
                                         err)) != XF_OK)
            goto done;
        if ((rc = choose_point(h, panel, ser, org, n_cal, in.baseline, o.season, res, nr, err)) !=
            XF_OK)
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
