/* xfcast/backtest.h - backtests: fit a head on the data before a test
 * period, forecast from every origin in it, and score the forecasts next
 * to naive and seasonal-naive ones on the same origins.
 *
 * Metrics, averaged over every (origin, step) with an observed actual:
 *   MAE, RMSE, sMAPE (x100, 200|y-f|/(|y|+|f|), 0 when both are 0), MASE
 *   (|y-f| / scale, scale = the series' mean |x_t - x_{t-m}| before the test
 *   start, m = the seasonal period; series with a zero scale are left out of
 *   MASE and counted), and the coverage of each interval level (percent),
 *   with the mean width and MSIS of each (overall).
 * Baselines: naive = the last observed value before the origin; seasonal
 * naive = the value m steps before each target within the history.
 *
 * Thread safety: a backtest keeps its state in the call; it reads the
 * panel and the encoders (never changes them), so several backtests may run
 * at once on the same panel and encoders.  The callback runs on the calling
 * thread.  xf_head_evaluate uses the head read-only (see head.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_BACKTEST_H
#define XFCAST_BACKTEST_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "head.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xf_backtest_options {
    size_t struct_size;     /* sizeof, set by _init (see the ABI rule in xfcast.h) */
    xf_head_options fit;    /* how the head is fitted; its train_end is set to the test
                                start, its valid_start(_row) chooses the validation rows */
    xf_time test_start;     /* first target of the test period (time) ... */
    int64_t test_start_row; /* ... or 0-based value index per series; one is required */
    xf_time test_end;       /* targets before this time (XF_TIME_NONE: to the end) */
    int64_t test_end_row;   /* same as an index (-1: unset) */
    int32_t stride;         /* steps between test origins; 0 = the horizon */
    int32_t zeroshot;       /* 1: no fitting; the pretraining head of encoder 0 */
    int32_t refit_every;    /* > 0: the head fitted before the test start is refitted
                               (xf_head_refit) on that data, then, before every block of
                               this many steps of the test period (from each series' test
                               start), updated exactly with the data before the block
                               (xf_head_update), as nightly retraining does: each block's
                               head is the refit on the data before it; 0: fitted once */
    int32_t windows;        /* > 1: the test period of each series is cut into this many
                               windows and a head fitted from scratch (candidates and
                               penalty chosen again) on the data before each, as in
                               cross-validation; 0 or 1 (default): one window.  Not
                               together with refit_every or zeroshot */
} xf_backtest_options;

XF_API void xf_backtest_options_init(xf_backtest_options *o);
XF_API void xf_backtest_options_init_sized(xf_backtest_options *o, size_t size);
/* (a macro: the library writes only the caller's sizeof; see the ABI rule in xfcast.h) */
#define xf_backtest_options_init(o) xf_backtest_options_init_sized((o), sizeof *(o))

/* One forecast, handed to the caller's callback as it is made (borrowed
 * pointers, valid during the call). */
typedef struct xf_backtest_forecast {
    size_t series;        /* index in the panel */
    const char *id;       /* series id */
    size_t origin;        /* values used as history: [0, origin) */
    xf_time origin_time;  /* time of the last history value (XF_TIME_NONE: no times) */
    int32_t horizon;      /* steps */
    const xf_time *t;     /* [horizon] target times (NULL: no times) */
    const double *actual; /* [horizon] realised values (NaN: missing) */
    const double *mean;   /* [horizon] */
    size_t n_levels;
    const double *levels;  /* [n_levels] */
    const double *lo, *hi; /* [n_levels][horizon] */
} xf_backtest_forecast;

/* Return non-zero to stop the backtest (it then fails with XF_EIO and the
 * message set by the callback through err, if any). */
typedef int (*xf_backtest_cb)(const xf_backtest_forecast *f, void *user, xf_error *err);

enum { XF_METHOD_MODEL = 0, XF_METHOD_NAIVE, XF_METHOD_SNAIVE, XF_N_METHODS };

typedef struct xf_metrics {
    double mae, rmse, smape, mase;  /* NaN when nothing was scored */
    double n;                       /* (origin, step) pairs scored */
    double coverage[XF_MAX_LEVELS]; /* percent inside each interval (model only) */
} xf_metrics;

typedef struct xf_backtest_result {
    int32_t horizon;
    int32_t season;        /* m of seasonal naive and MASE */
    size_t n_origins;      /* forecasts made */
    size_t n_series;       /* series with at least one test origin */
    size_t n_mase_skipped; /* series left out of MASE (zero scale) */
    size_t n_levels;
    double levels[XF_MAX_LEVELS];
    xf_metrics overall[XF_N_METHODS];
    xf_metrics *per_step; /* [horizon][XF_N_METHODS]; owned */
    double fit_seconds, forecast_seconds;
    size_t n_snaive_naive;       /* series whose history before the test start is shorter than
                              one season: their seasonal naive is naive (at least at the
                              first origins) */
    size_t n_mase_naive;         /* series with less than two seasons of history: MASE scaled by
                              naive's in-sample error (m = 1) */
    double width[XF_MAX_LEVELS]; /* model: mean interval width (hi - lo) per level */
    double msis[XF_MAX_LEVELS];  /* model: mean scaled interval score per level (M4's MSIS:
                                    (hi - lo) + 2/a (lo - y)+ + 2/a (y - hi)+, a = 1 -
                                    level/100, over the MASE scale; NaN without one) */
} xf_backtest_result;

/* Run a backtest.  cb may be NULL.  head_out (may be NULL) receives the
 * fitted head (owned by the caller).  Errors: XF_EINVAL (no test start),
 * XF_EDATA (no test origin, too little training data), and those of
 * xf_head_fit. */
XF_API int xf_backtest(const xf_panel *panel, xf_encoder *const *encs, size_t n_enc,
                       const xf_backtest_options *o, xf_backtest_cb cb, void *user,
                       xf_backtest_result *out, xf_head **head_out, xf_error *err);

XF_API void xf_backtest_result_free(xf_backtest_result *r);

/* Score a fitted head (encoders attached) without fitting: forecasts from
 * value index test_start[i] of each series i on, every `stride` steps (0:
 * the horizon), targets within the series; MASE scale from the values
 * before test_start[i].  out as for xf_backtest (fit_seconds 0). */
XF_API int xf_head_evaluate(const xf_head *h, const xf_panel *panel, const size_t *test_start,
                            int32_t stride, int n_threads, xf_backtest_result *out, xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_BACKTEST_H */
