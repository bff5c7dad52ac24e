/* xfcast/head.h - domain heads: ridge regression on frozen encoder
 * features, with split-conformal prediction intervals.
 *
 * A head forecasts `horizon` steps of a series from a forecast origin (the
 * values observed so far).  Its features, computed for each origin from the
 * history before it, are (each group can be switched off):
 *   - embeddings of the last `context` values from each frozen encoder, plus
 *     the encoder window's level and spread relative to the head's scale;
 *   - the last n_lags values;
 *   - where the origin's level and scale stand in the last 2048 values;
 *   - calendar terms at the first forecast step: Fourier terms of the
 *     hour of day, day of week, hour of week, day of year or month of year,
 *     chosen by frequency and domain;
 *   - future-known covariates at every forecast step.
 * Values are instance-normalised per origin: level = mean of the lag window
 * (or the last value, for stock-like series), scale = its standard
 * deviation (or that of its first differences).  Targets are the next
 * `horizon` values on the same scale, one ridge output per step; a log
 * transform can be applied first (positive series).
 *
 * With the defaults, a few configurations are fitted and the one with the
 * lowest held-out error in MASE units (or MSE, see select) kept: with or without the encoders'
 * embeddings, and correcting a seasonal-naive baseline on the local MASE
 * scale or no baseline on the standard-deviation scale.
 *
 * Fitting uses every origin of every series in the panel (a global model),
 * with a stride when there are more than max_windows of them.  The most
 * recent origins of each series (valid_fraction, or those at or after
 * valid_start) are held out: the ridge penalty and the configuration are
 * chosen on them (time-ordered rather than GCV: overlapping windows of one
 * series are far from independent, which makes GCV pick too little
 * penalty), by default on 3 rolling windows of them, each scored by the
 * model of the origins before it, a simpler configuration kept when within
 * one standard error of the best (see selection), and their out-of-sample
 * errors calibrate the intervals (split conformal, per step).
 * The head is then refitted on all origins with the chosen penalty.  Its
 * sufficient statistics (X'X, X'Y, sums, count) are kept so later data can
 * be added exactly.
 *
 * Heads are saved in the .xfm container (kind "head", docs/model-format.md)
 * with the fingerprints of the encoders they were fitted on; a head only
 * runs with those encoders.
 *
 * Thread safety: a fitted or loaded head is read-only when forecasting; one
 * head (and its encoders) can serve many threads, each with its own
 * xf_head_workspace.  Changing a head (xf_head_refit, xf_head_update,
 * xf_head_attach_encoders, xf_head_meta_mut, xf_head_free) needs exclusive
 * access: no other thread may use it meanwhile.  Fitting (xf_head_fit,
 * xf_head_zeroshot) only reads the panel and the encoders, so fits may run in
 * parallel on shared ones.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_HEAD_H
#define XFCAST_HEAD_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "encoder.h"
#include "error.h"
#include "panel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Domain presets (see xf_head_options_resolve for what each one sets). */
typedef enum xf_domain {
    XF_DOMAIN_GENERIC = 0,
    XF_DOMAIN_STOCK,   /* log prices, returns scale, business-day calendar */
    XF_DOMAIN_WEATHER, /* day-of-year and hour-of-day terms, annual/daily baselines */
    XF_DOMAIN_ENERGY   /* hour-of-week terms, weekly seasonal baseline */
} xf_domain;

/* "generic", "stock", "weather", "energy". */
XF_API const char *xf_domain_name(xf_domain d);
/* Parse a domain name; XF_OK or XF_EINVAL. */
XF_API int xf_domain_parse(const char *text, xf_domain *out, xf_error *err);

/* Suggest a domain for a series from its frequency, values and column name
 * (may be NULL): stock for business-day or daily random-walk-like positive
 * series, weather for names like temp/precip/wind/pressure or a strong
 * annual cycle, energy for sub-daily series with daily and weekly cycles,
 * generic otherwise.  `why` (may be NULL) receives a one-line reason. */
XF_API xf_domain xf_domain_suggest(const double *y, size_t n, xf_freq freq, const char *name,
                                   char *why, size_t why_len);

#define XF_MAX_LEVELS 8
#define XF_MAX_ENCODERS 4
#define XF_AUTO (-1) /* "choose from the domain and frequency" */
#define XF_TIME_NONE INT64_MIN
#define XF_SELECT_MASE 0
#define XF_SELECT_MSE 1
#define XF_BASELINE_SEASONAL (-2) /* baseline: seasonal naive with the head's season */
#define XF_BASELINE_LOCAL                                                                          \
    (-3)                       /* baseline: a local model of the window before each
                                     origin (seasonal profiles + exponential smoothing) */
#define XF_SELECTION_SINGLE 0  /* selection: one time-ordered held-out split */
#define XF_SELECTION_ROLLING 1 /* ... rolling windows, the simpler within 1 SE */
#define XF_PRIOR_NONE 0        /* prior: the ridge shrinks towards zero (the baseline) */
#define XF_PRIOR_DOMAIN 1      /* ... towards the domain head (see prior) */
#define XF_BLEND_NONE 0        /* blend: the head's own forecast (see blend) */
#define XF_PILOT_NONE 0        /* pilot: every candidate on every origin (see pilot) */
#define XF_INTERVALS_SPLIT 0   /* intervals: split-conformal quantiles of the fit */
#define XF_INTERVALS_ROLLING 1 /* ... rescaled by a rolling window of recent errors */
#define XF_INTERVALS_ACI 2     /* ... and their level adapted (Gibbs-Candes ACI) */

/* How a head is fitted.  Initialise with xf_head_options_init(); XF_AUTO
 * fields are resolved from the domain and the data's frequency. */
/* A progress callback (xf_head_options.progress): `what` is being done,
 * `done` of `total` units so far (origins); called often, cheaply. */
typedef void (*xf_progress_fn)(const char *what, int64_t done, int64_t total, void *user);

typedef struct xf_head_options {
    size_t struct_size;           /* sizeof, set by _init (see the ABI rule in xfcast.h) */
    xf_domain domain;             /* default XF_DOMAIN_GENERIC */
    int32_t horizon;              /* steps forecast; XF_AUTO: one day of sub-daily data, 14 days,
                                  5 business days, 8 weeks, 12 months, 8 quarters, 4 years */
    int32_t n_lags;               /* last values used as features (0 = none); XF_AUTO: a week of
                                  sub-daily data (at most 512), 56 days, 20 business days,
                                  104 weeks, 36 months, 12 quarters, 8 years */
    int32_t embedding;            /* 1: encoder embeddings, 0: off, XF_AUTO (default): fit
                                  with and without them and keep the better on the
                                  held-out origins */
    int32_t calendar;             /* 1 on (every period of the frequency), 0 off, XF_AUTO
                                  (default): on when timestamps exist, each period whose
                                  cycle the history spans once */
    int32_t covariates;           /* 1: use the panel's covariates (default), 0: ignore them */
    int32_t history;              /* 1: the level and scale relative to the last 2048 values,
                                  0: off (default: they hurt M4 Hourly, MASE 1.20 -> 1.47) */
    int32_t penalty_per_step;     /* 1: choose the ridge penalty per horizon step, 0: one for
                                  all steps (default) */
    int32_t baseline;             /* the ridge learns the correction to a baseline, so the
                                  penalty shrinks towards it: 0 none, 1 naive (last value),
                                  m > 1 seasonal naive of period m, XF_BASELINE_SEASONAL
                                  the head's season, XF_BASELINE_LOCAL a local model
                                  of each origin's window (the head's season, and the
                                  day within a week of sub-daily data); XF_AUTO: naive for stock,
                                  else the seasonal period when the lags cover it, else none */
    int32_t seasonal_scale;       /* 1: scale = the window's mean absolute seasonal difference
                                  (the local MASE scale: the squared loss then weighs series
                                  as MASE does), 0: its standard deviation; XF_AUTO: 1 with
                                  a seasonal baseline */
    int32_t select;               /* how the candidate configurations are compared on the
                                  held-out origins: XF_SELECT_MASE (default; absolute
                                  errors on each series' MASE scale, fair across series)
                                  or XF_SELECT_MSE (squared errors in the data's units) */
    int32_t log_transform;        /* 1 log, 0 none, XF_AUTO: stock domain when all values > 0 */
    int32_t season;               /* seasonal period in steps for the seasonal-naive baseline
                                  and MASE; XF_AUTO from domain and frequency */
    size_t n_levels;              /* interval levels (default 2: 80 and 95) */
    double levels[XF_MAX_LEVELS]; /* percent, in (0, 100) */
    double valid_fraction;        /* most recent share of each series' origins held out to
                                  choose the penalty and calibrate intervals (default 0.2) */
    xf_time valid_start;          /* hold out origins whose first target is at or after this
                                  time instead (XF_TIME_NONE: use valid_fraction) */
    int64_t valid_start_row;      /* same as a 0-based value index per series (-1: unset) */
    xf_time train_end;            /* use only targets before this time (XF_TIME_NONE: all) */
    int64_t train_end_row;        /* same as a 0-based value index per series (-1: unset) */
    int32_t stride;               /* step between training origins; 0 = 1, raised to keep at
                                  most max_windows origins */
    int64_t max_windows;          /* default 40000 */
    int32_t n_threads;            /* threads for the embeddings (default 1) */
    const char *source;           /* provenance: data source name (copied; may be NULL) */
    int32_t local_model;          /* 1: the forecasts of a local model of each origin's window
                                  (seasonal profiles of the head's season, and the day in a
                                  week of sub-daily data, + exponential smoothing) are H more
                                  features, 0: off, XF_AUTO (default): kept when they lower
                                  the held-out error of the best configuration */
    int32_t intervals;            /* XF_INTERVALS_ACI (default): the split intervals
                                  rescaled by the most recent out-of-sample errors as
                                  actuals arrive (backtests, exact updates) and their
                                  level adapted to the misses (Gibbs-Candes);
                                  XF_INTERVALS_ROLLING: rescaled only;
                                  XF_INTERVALS_SPLIT: the held-out quantiles of the fit
                                  (head_intervals.h) */
    int32_t symmetric_intervals;  /* 1: each interval is the forecast -/+ a quantile of the
                                  absolute residuals; 0 (default): separate quantiles of
                                  the lower and upper tails (asymmetric) */
    int32_t selection;            /* how candidates and penalty are chosen on the held-out
                                  origins: XF_SELECTION_ROLLING (default): on rolling
                                  windows of them, each scored by a model fitted on the
                                  origins before it, a simpler candidate (fewer feature
                                  groups) kept when within one standard error of the
                                  best; XF_SELECTION_SINGLE: one split, the lowest kept */
    int32_t prior;                /* what the ridge shrinks towards: XF_PRIOR_NONE: zero, i.e.
                                  the baseline; XF_AUTO (default): XF_PRIOR_DOMAIN
                                  when the series hold fewer than 1000 values in all,
                                  there are no covariates and the fit is whole (where the
                                  domain head cannot be fitted, none); XF_PRIOR_DOMAIN: a domain head
                                  fitted, with the same features, on generated series of
                                  the domain at the data's frequency (the pretraining
                                  corpus), so that with little data the forecast is the
                                  domain's and with more it moves to the data's own fit.
                                  Not with covariates or sharded fits */
    int32_t blend;                /* XF_AUTO (default): the head's forecast blended with naive,
                                  seasonal naive or the local window model of each origin
                                  (a share of 25-100% of it) when that lowers the error on
                                  the held-out origins (a zero-shot head: its calibration
                                  origins); not in sharded fits, whose parts do not know
                                  their rows' series.  XF_BLEND_NONE: the head's own */
    int32_t pilot;                /* XF_AUTO (default): with embedding XF_AUTO and 3000
                                  origins or more, the candidates are first scored on every
                                  k-th origin (about 1000 of them, k at most 8); when the
                                  best with embeddings scores above the best without by
                                  more than a standard error, the embeddings are computed
                                  no further (the fit costs what
                                  one without encoders does).  XF_PILOT_NONE: every
                                  candidate on every origin */
    xf_progress_fn progress;      /* NULL (default): silent; else called as a fit (and a
                                  backtest's forecasts) goes on, from the calling thread:
                                  what is done ("embeddings", "candidate 2/5", "forecasts")
                                  and how far (done of total origins) */
    void *progress_user;          /* passed to progress */
} xf_head_options;

XF_API void xf_head_options_init(xf_head_options *o);
XF_API void xf_head_options_init_sized(xf_head_options *o, size_t size);
/* (a macro: the library writes only the caller's sizeof; see the ABI rule in xfcast.h) */
#define xf_head_options_init(o) xf_head_options_init_sized((o), sizeof *(o))

typedef struct xf_head xf_head;

/* Fit a head on a panel with frozen encoders (n_enc 0..XF_MAX_ENCODERS;
 * borrowed: they must outlive the head's use, see xf_head_attach_encoders).
 * Returns XF_OK, XF_EINVAL (bad options), XF_EDATA (too little data: the
 * message says how much is needed), XF_ENOMEM, XF_ERANGE. */
XF_API int xf_head_fit(const xf_panel *panel, xf_encoder *const *encs, size_t n_enc,
                       const xf_head_options *opts, xf_head **out, xf_error *err);

/* A head that forecasts with an encoder's pretraining head (zero-shot, no
 * fitting), its intervals calibrated on the panel's own recent history: the
 * errors of zero-shot forecasts from the last origins before each series'
 * end.  opts gives horizon, levels, transform and the calibration share. */
XF_API int xf_head_zeroshot(const xf_panel *panel, xf_encoder *enc, const xf_head_options *opts,
                            xf_head **out, xf_error *err);

XF_API void xf_head_free(xf_head *h);

/* Save (atomically) and load.  A loaded head needs its encoders: call
 * xf_head_attach_encoders before forecasting. */
XF_API int xf_head_save(const xf_head *h, const char *path, xf_error *err);
XF_API int xf_head_load(const char *path, xf_head **out, xf_error *err);

/* Flags of xf_head_load_ex. */
#define XF_HEAD_LOAD_NO_STATS 1u /* forecast only: leave the sufficient statistics unread */

/* xf_head_load with flags.  XF_HEAD_LOAD_NO_STATS leaves out the stored
 * sufficient statistics (stats.*, p x p doubles: 4 MB for 716 features),
 * which only updates need, so a forecast loads the head in a fraction of
 * the time; the whole file is still checked (CRC, structure).  Such a head
 * forecasts, backtests and refits (xf_head_refit computes new statistics)
 * exactly as one loaded whole, but xf_head_update refuses it and so does
 * xf_head_save (the file written would have lost its statistics) until a
 * refit: load it with xf_head_load for those.  Unknown flags: XF_EINVAL. */
XF_API int xf_head_load_ex(const char *path, unsigned flags, xf_head **out, xf_error *err);

/* The encoders the head was fitted on: their names and fingerprints. */
XF_API size_t xf_head_n_encoders(const xf_head *h);
XF_API const char *xf_head_encoder_name(const xf_head *h, size_t i);
XF_API uint64_t xf_head_encoder_fingerprint(const xf_head *h, size_t i);
/* Give a loaded head its encoders, in any order: each is matched to the
 * head's by fingerprint.  XF_EDATA names the encoder that is missing or
 * different ("head was fitted on encoder 'gru-base' 1f2e...; got ..."). */
XF_API int xf_head_attach_encoders(xf_head *h, xf_encoder *const *encs, size_t n_enc,
                                   xf_error *err);

/* What the head is. */
XF_API int32_t xf_head_horizon(const xf_head *h);
XF_API xf_domain xf_head_domain(const xf_head *h);
XF_API size_t xf_head_n_levels(const xf_head *h);
XF_API double xf_head_level(const xf_head *h, size_t i);
XF_API int32_t xf_head_season(const xf_head *h);
XF_API size_t xf_head_n_features(const xf_head *h);
XF_API size_t xf_head_n_covariates(const xf_head *h);
XF_API const char *xf_head_covariate_name(const xf_head *h, size_t j);
XF_API int xf_head_is_zeroshot(const xf_head *h);
/* Fit report: metadata such as "fit.windows", "valid.mse", "coverage.80"
 * (read with the xf_xfm_get_* calls; borrowed). */
XF_API const struct xf_xfm *xf_head_meta(const xf_head *h);
/* The same, writable: callers may add their own keys (e.g. "store.*"),
 * which are saved with the head.  Keys "head.*", "encoder.*", "covariate.*"
 * and "stats.n" are reserved (not saved from here). */
XF_API struct xf_xfm *xf_head_meta_mut(xf_head *h);
/* Forecast intervals at other levels (percent, in (0, 100); at most
 * XF_MAX_LEVELS) from the held-out residuals the head keeps from its fit:
 * the same split-conformal quantiles a fit at those levels gives (up to
 * XF_HEAD_CALIB_MAX residuals per step are kept; beyond, evenly spaced
 * order statistics).  XF_EINVAL for a bad level, or a head file written
 * before the residuals were kept (refit it). */
XF_API int xf_head_set_levels(xf_head *h, const double *levels, size_t n_levels, xf_error *err);
/* A one-paragraph human-readable summary of the head into buf. */
XF_API size_t xf_head_describe(const xf_head *h, char *buf, size_t n);

/* Per-thread scratch for forecasting with a head. */
typedef struct xf_head_workspace xf_head_workspace;
XF_API int xf_head_workspace_new(const xf_head *h, xf_head_workspace **out, xf_error *err);
XF_API void xf_head_workspace_free(xf_head_workspace *ws);

/* Forecast series i of a panel from origin `origin` (the number of values
 * used as history: values [0, origin); pass SIZE_MAX for "after the last
 * observed value").  horizon <= xf_head_horizon.  Outputs (caller's
 * buffers): t [horizon] target timestamps (may be NULL), mean [horizon],
 * lo and hi [n_levels][horizon] (may be NULL).  Covariates must be known at
 * every forecast step (the panel's rows after the origin); a missing one is
 * an XF_EDATA error naming the step.  A series shorter than the lag window
 * or the encoder context is padded (lags with its first value, the encoder
 * input masked as missing).  Also XF_EDATA, naming the series: a series
 * with timestamps but no frequency (a single one), steps past
 * 9999-12-31, values beyond an encoder's float32 input (1e38), and a
 * forecast that is not finite (beyond about 1.8e308): never NaN with
 * XF_OK. */
XF_API int xf_head_forecast(const xf_head *h, xf_head_workspace *ws, const xf_panel *panel,
                            size_t i, size_t origin, int32_t horizon, xf_time *t, double *mean,
                            double *lo, double *hi, xf_error *err);

/* Exact refits.  A head keeps the sufficient statistics of its origins, so
 * data can be added without revisiting history.
 *
 * xf_head_refit recomputes them from every origin of the panel (the head's
 * stride, from its lag window, targets complete) and re-solves with the
 * head's penalties; configuration and intervals are kept.  *origins (may be
 * NULL) receives the number used.
 *
 * xf_head_update adds only the origins that were not complete before:
 * seen[i] = values of series i the head last saw (0 for a new series).
 * After xf_head_refit on some data, xf_head_update on the same series grown
 * at their ends gives the head xf_head_refit would give on the grown data,
 * to rounding.  *added (may be NULL) receives the origins added.  Both need
 * the head's encoders attached; on failure the head is unchanged. */
XF_API int xf_head_refit(xf_head *h, const xf_panel *panel, int n_threads, size_t *origins,
                         xf_error *err);
XF_API int xf_head_update(xf_head *h, const xf_panel *panel, const size_t *seen, int n_threads,
                          size_t *added, xf_error *err);

/* Seasonal period and the frequency-dependent defaults for a panel: fills
 * every XF_AUTO field of *o from o->domain and the frequency of the
 * panel's first series (leaving set fields alone), then checks the values
 * against the limits that the option table and the head loader share
 * (xf_limits_help, `xfcast help limits`): XF_EINVAL "season 2000000
 * exceeds the limit 1000000".  xf_head_fit calls it, so that a head it
 * fits is one xf_head_load reads. */
XF_API int xf_head_options_resolve(xf_head_options *o, const xf_panel *panel, xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_HEAD_H */
