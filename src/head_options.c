/* head_options.c - head options: defaults, and their resolution against a
 * panel (frequency and domain presets for horizon, lags, calendar terms,
 * season, baseline, log transform), with the range checks.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "abi.h"
#include "head_internal.h"
#include "options_internal.h"

static void head_options_defaults(xf_head_options *o)
{
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
    o->domain = XF_DOMAIN_GENERIC;
    o->horizon = XF_AUTO;
    o->n_lags = XF_AUTO;
    o->embedding = XF_AUTO;
    o->calendar = XF_AUTO;
    o->covariates = 1;
    o->history = 0;
    o->penalty_per_step = 0;
    o->baseline = XF_AUTO;
    o->seasonal_scale = XF_AUTO;
    o->select = XF_SELECT_MASE;
    o->log_transform = XF_AUTO;
    o->season = XF_AUTO;
    o->n_levels = 2;
    o->levels[0] = 80;
    o->levels[1] = 95;
    o->valid_fraction = 0.2;
    o->valid_start = XF_TIME_NONE;
    o->valid_start_row = -1;
    o->train_end = XF_TIME_NONE;
    o->train_end_row = -1;
    o->stride = 0;
    o->max_windows = 40000;
    o->n_threads = 1;
    o->source = NULL;
    o->local_model = XF_AUTO;
    o->intervals = XF_INTERVALS_ACI;
    o->selection = XF_SELECTION_ROLLING;
    o->prior = XF_AUTO;
    o->blend = XF_AUTO;
    o->pilot = XF_AUTO;
    o->progress = NULL;
    o->progress_user = NULL;
}

void xf_head_options_init_sized(xf_head_options *o, size_t size)
{
    xf_head_options d;
    if (o == NULL)
        return;
    head_options_defaults(&d);
    xf__init_sized(o, &d, sizeof d, size);
}

/* The function itself, for programs that call it without the header's
 * macro: the struct as of libtool version 3. */
void(xf_head_options_init)(xf_head_options *o)
{
    xf_head_options_init_sized(o, XF__HEAD_OPTIONS_V3);
}

/* Steps per day of a sub-daily fixed frequency, else 0. */
static int64_t steps_per_day(xf_freq f)
{
    if (f.kind != XF_FREQ_FIXED || f.step <= 0 || f.step >= XF_TIME_US_PER_DAY ||
        XF_TIME_US_PER_DAY % f.step != 0)
        return 0;
    return XF_TIME_US_PER_DAY / f.step;
}

int32_t xf__default_season(xf_freq f, xf_domain d)
{
    int64_t spd = steps_per_day(f);
    if (spd > 0)
        return (int32_t)(d == XF_DOMAIN_ENERGY ? 7 * spd : spd);
    if (f.kind == XF_FREQ_FIXED && f.step == XF_TIME_US_PER_DAY)
        return d == XF_DOMAIN_WEATHER ? 365 : 7;
    if (f.kind == XF_FREQ_FIXED && f.step == 7 * XF_TIME_US_PER_DAY)
        return 52;
    if (f.kind == XF_FREQ_BDAY && f.step == 1)
        return 5;
    if (f.kind == XF_FREQ_MONTH && f.step == 1)
        return 12;
    if (f.kind == XF_FREQ_MONTH && f.step == 3)
        return 4;
    return 1;
}

/* Frequency and domain defaults: horizon, lags, calendar harmonics. */
void xf__head_freq_defaults(xf_freq f, xf_domain d, int32_t *H, int32_t *L, int32_t *harm)
{
    int64_t spd = steps_per_day(f);
    memset(harm, 0, XF_CAL_N * sizeof *harm);
    if (spd > 0) {
        *H = (int32_t)spd;
        *L = (int32_t)(7 * spd > 512 ? 512 : 7 * spd);
        harm[XF_CAL_DAY] = (int32_t)(spd / 2 < 4 ? spd / 2 : 4);
        harm[XF_CAL_WEEK] = d == XF_DOMAIN_ENERGY ? 8 : d == XF_DOMAIN_WEATHER ? 0 : 3;
        if (d == XF_DOMAIN_WEATHER)
            harm[XF_CAL_YEAR] = 3;
    } else if (f.kind == XF_FREQ_FIXED && f.step == XF_TIME_US_PER_DAY) {
        *H = 14;
        *L = 56;
        harm[XF_CAL_WEEK] = d == XF_DOMAIN_WEATHER ? 0 : d == XF_DOMAIN_STOCK ? 2 : 3;
        harm[XF_CAL_YEAR] = d == XF_DOMAIN_STOCK ? 0 : 4;
    } else if (f.kind == XF_FREQ_FIXED && f.step == 7 * XF_TIME_US_PER_DAY) {
        *H = 8;
        *L = 104;
        harm[XF_CAL_YEAR] = 3;
    } else if (f.kind == XF_FREQ_BDAY) {
        *H = 5;
        *L = d == XF_DOMAIN_STOCK ? 20 : 40;
        harm[XF_CAL_WEEK] = 2;
        harm[XF_CAL_YEAR] = d == XF_DOMAIN_STOCK ? 0 : 2;
    } else if (f.kind == XF_FREQ_MONTH && f.step == 1) {
        *H = 12;
        *L = 36;
        harm[XF_CAL_MONTH] = 3;
    } else if (f.kind == XF_FREQ_MONTH && f.step == 3) {
        *H = 8;
        *L = 12;
        harm[XF_CAL_MONTH] = 2;
    } else if (f.kind == XF_FREQ_MONTH) {
        *H = 4;
        *L = 8;
    } else if (f.kind == XF_FREQ_FIXED) {
        *H = 8;
        *L = 32;
        harm[XF_CAL_YEAR] = 2;
    } else {
        *H = 12;
        *L = 32;
    }
}

xf_freq xf__head_panel_freq(const xf_panel *p)
{
    size_t i;
    xf_freq none = {XF_FREQ_UNKNOWN, 0, 0};
    for (i = 0; i < xf_panel_n_series(p); i++)
        if (xf_panel_series_freq(p, i).kind != XF_FREQ_UNKNOWN)
            return xf_panel_series_freq(p, i);
    return none;
}

static int panel_has_times(const xf_panel *p)
{
    size_t i;
    for (i = 0; i < xf_panel_n_series(p); i++)
        if (xf_panel_series_times(p, i) == NULL)
            return 0;
    return 1;
}

int xf_head_options_resolve(xf_head_options *o, const xf_panel *panel, xf_error *err)
{
    xf_freq f = xf__head_panel_freq(panel);
    int32_t H, L, harm[XF_CAL_N];
    size_t i, k;
    int rc;
    if ((rc = xf__options_import(o, sizeof *o, o, XF__HEAD_OPTIONS_V1, "xf_head_options",
                                 "xf_head_options_init", err)) != XF_OK)
        return rc;
    if ((unsigned)o->domain > XF_DOMAIN_ENERGY)
        return xf__fail(err, XF_EINVAL, 0, 0, "unknown domain %d", (int)o->domain);
    /* a field added after the first version: read only when the caller's
     * struct has it */
    if (XF__HAS_FIELD(o, xf_head_options, intervals) &&
        (o->intervals < XF_INTERVALS_SPLIT || o->intervals > XF_INTERVALS_ACI))
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "intervals %d: expected XF_INTERVALS_SPLIT, _ROLLING or _ACI",
                        (int)o->intervals);
    xf__head_freq_defaults(f, o->domain, &H, &L, harm);
    if (o->horizon == XF_AUTO)
        o->horizon = H;
    if (o->n_lags == XF_AUTO)
        o->n_lags = L;
    if (o->season == XF_AUTO)
        o->season = xf__default_season(f, o->domain);
    if (o->baseline == XF_BASELINE_SEASONAL)
        o->baseline = o->season;
    if (o->baseline < 0 && o->baseline != XF_AUTO && o->baseline != XF_BASELINE_LOCAL)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "baseline %d: expected 0, 1, a period, XF_BASELINE_LOCAL or "
                        "XF_AUTO",
                        (int)o->baseline);
    if (XF__HAS_FIELD(o, xf_head_options, local_model) && o->local_model != XF_AUTO &&
        o->local_model != 0 && o->local_model != 1)
        return xf__fail(err, XF_EINVAL, 0, 0, "local_model %d: expected 0, 1 or XF_AUTO",
                        (int)o->local_model);
    if (o->baseline == XF_BASELINE_LOCAL && o->seasonal_scale == 1)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "the seasonal scale needs a seasonal baseline: the local baseline "
                        "uses the standard-deviation scale (--std-scale)");
    if (o->baseline == XF_AUTO) {
        if (o->domain == XF_DOMAIN_STOCK)
            o->baseline = 1;
        else if (o->season > 1 && o->n_lags >= o->season)
            o->baseline = o->season;
        else
            o->baseline = 0;
    }
    if (o->seasonal_scale == XF_AUTO)
        o->seasonal_scale = o->baseline > 1;
    if (o->calendar == XF_AUTO)
        o->calendar = panel_has_times(panel) && f.kind != XF_FREQ_UNKNOWN;
    if (o->log_transform == XF_AUTO) {
        int positive = o->domain == XF_DOMAIN_STOCK;
        for (i = 0; positive && i < xf_panel_n_series(panel); i++) {
            const double *y = xf_panel_series_values(panel, i);
            for (k = 0; k < xf_panel_series_length(panel, i); k++)
                if (isfinite(y[k]) && y[k] <= 0) {
                    positive = 0;
                    break;
                }
        }
        o->log_transform = positive;
    }
    /* the limits of the option table, which the head loader checks too:
     * a head this fit would write is one that loads */
    if ((rc = xf__limit_check("horizon", o->horizon, 1, XF__LIM_HORIZON_MAX, err)) != XF_OK ||
        (rc = xf__limit_check("lags", o->n_lags, 0, XF__LIM_LAGS_MAX, err)) != XF_OK ||
        (rc = xf__limit_check("season", o->season, 1, XF__LIM_SEASON_MAX, err)) != XF_OK ||
        (o->baseline != XF_BASELINE_LOCAL &&
         (rc = xf__limit_check("baseline period", o->baseline, 0, XF__LIM_SEASON_MAX, err)) !=
             XF_OK) ||
        (rc = xf__limit_check("max-windows", o->max_windows, XF__LIM_WINDOWS_MIN,
                              XF__LIM_WINDOWS_MAX, err)) != XF_OK ||
        (rc = xf__limit_check("stride", o->stride, 0, XF__LIM_STRIDE_MAX, err)) != XF_OK)
        return rc;
    if (o->n_levels > XF_MAX_LEVELS)
        return xf__fail(err, XF_EINVAL, 0, 0, "%zu interval levels; at most %d", o->n_levels,
                        XF_MAX_LEVELS);
    for (i = 0; i < o->n_levels; i++)
        if (!(o->levels[i] > 0 && o->levels[i] < 100))
            return xf__fail(err, XF_EINVAL, 0, 0, "interval level %g is not in (0, 100)",
                            o->levels[i]);
        else if (xf__level_index(o->levels, i, o->levels[i]) < i)
            return xf__fail(err, XF_EINVAL, 0, 0, "interval level %.17g is given twice",
                            o->levels[i]);
    if (!(o->valid_fraction > 0 && o->valid_fraction < 1))
        return xf__fail(err, XF_EINVAL, 0, 0, "validation fraction %g is not in (0, 1)",
                        o->valid_fraction);
    if (XF__HAS_FIELD(o, xf_head_options, selection) && o->selection != XF_SELECTION_SINGLE &&
        o->selection != XF_SELECTION_ROLLING)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "selection %d is neither single (%d) nor rolling (%d)", (int)o->selection,
                        XF_SELECTION_SINGLE, XF_SELECTION_ROLLING);
    if (!XF__HAS_FIELD(o, xf_head_options, prior))
        ; /* an older caller's struct: the fields it has not got are not read */
    else if (o->prior != XF_AUTO && o->prior != XF_PRIOR_NONE && o->prior != XF_PRIOR_DOMAIN)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "prior %d is neither none (%d), domain (%d) nor auto (%d)", (int)o->prior,
                        XF_PRIOR_NONE, XF_PRIOR_DOMAIN, XF_AUTO);
    else if (o->prior == XF_PRIOR_DOMAIN && o->covariates && panel != NULL &&
             xf_panel_n_covariates(panel) > 0)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "a domain prior has no covariates (the generated series have none): "
                        "fit with prior none, or without the %zu covariate(s)",
                        xf_panel_n_covariates(panel));
    if (XF__HAS_FIELD(o, xf_head_options, blend) && o->blend != XF_AUTO &&
        o->blend != XF_BLEND_NONE)
        return xf__fail(err, XF_EINVAL, 0, 0, "blend %d is neither auto (%d) nor none (%d)",
                        (int)o->blend, XF_AUTO, XF_BLEND_NONE);
    if (XF__HAS_FIELD(o, xf_head_options, pilot) && o->pilot != XF_AUTO &&
        o->pilot != XF_PILOT_NONE)
        return xf__fail(err, XF_EINVAL, 0, 0, "pilot %d is neither auto (%d) nor none (%d)",
                        (int)o->pilot, XF_AUTO, XF_PILOT_NONE);
    if (o->n_threads < 1)
        o->n_threads = 1;
    return XF_OK;
}
