/* localmodels.h - statistical models of one series (private): exponential
 * smoothing (ETS: none / additive / damped trend x none / additive /
 * multiplicative season, additive errors), the theta method, and a seasonal
 * decomposition with one or several periods (day and week of sub-daily
 * data) whose seasonally adjusted part is forecast by exponential smoothing.
 *
 * They are the "local" half of a head (issue 13): fitted per series on the
 * values a fit may see, then run forward over the whole series once, so
 * that the forecasts from every origin cost one pass (O(n + k H)), not one
 * fit per origin.
 *
 * Parameters are fitted by least squares of the one-step errors (the
 * likelihood of the additive-error models up to a constant), with a small
 * deterministic Nelder-Mead on logistic-transformed parameters (no GSL
 * minimiser: its allocation failures would call GSL's aborting handler).
 * Missing values (NaN) are skipped: the state moves on its forecast.
 *
 * Thread safety: a fitted model is a value; every function is reentrant.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_LOCALMODELS_H
#define XF_LOCALMODELS_H

#include <stddef.h>
#include <stdint.h>

#include "xfcast/error.h"

#define XF__LM_MAX_PERIODS 3    /* seasonal periods of a decomposition */
#define XF__LM_MAX_PERIOD 10000 /* longest period */
#define XF__LM_FIT_WINDOW 4096  /* at most the last this many values are fitted on */

typedef enum xf__lm_trend {
    XF__LM_TREND_NONE = 0,
    XF__LM_TREND_ADD,
    XF__LM_TREND_DAMPED
} xf__lm_trend;
typedef enum xf__lm_season {
    XF__LM_SEASON_NONE = 0,
    XF__LM_SEASON_ADD,
    XF__LM_SEASON_MUL
} xf__lm_season;

/* The kinds of local model. */
typedef enum xf__lm_kind {
    XF__LM_ETS = 0, /* exponential smoothing, the form chosen by AICc (or given) */
    XF__LM_THETA,   /* theta method: SES with half the linear drift, on seasonally
                         adjusted values when the season is significant */
    XF__LM_DECOMP,  /* seasonal profiles of each period + ETS (no season) on the rest */
    XF__LM_N
} xf__lm_kind;

/* An ETS model: form, parameters, initial states. */
typedef struct xf__ets {
    xf__lm_trend trend;
    xf__lm_season season;
    int32_t m;                      /* period (season != NONE) */
    double alpha, beta, gamma, phi; /* smoothing (beta, gamma relative: HW's beta*, gamma*) */
    double l0, b0;                  /* initial level and trend */
    double *s0;                     /* [m] initial season, owned (NULL without season) */
    double sse;                     /* one-step squared errors of the fit */
    size_t n_fit;                   /* one-step errors counted */
    double aicc;                    /* n log(sse / n) + 2k + 2k(k+1)/(n-k-1) */
} xf__ets;

/* A fitted local model of one series. */
typedef struct xf__lm {
    xf__lm_kind kind;
    xf__ets ets;                         /* ETS, or the adjusted part's (DECOMP, THETA) */
    size_t np;                           /* DECOMP, THETA: seasonal periods used (0..) */
    int32_t period[XF__LM_MAX_PERIODS];  /* their lengths */
    double *profile[XF__LM_MAX_PERIODS]; /* [period]: additive (DECOMP) or multiplicative
                                                 (THETA) seasonal profile, by t mod period */
    double drift;                        /* THETA: half the slope of a linear trend */
    size_t n0;                           /* index of the first value the fit used */
} xf__lm;

/* Fit one ETS form on y[0..n) (NaN = missing).  m: the period (ignored
 * without season; a season needs n >= 2m observed-spanning values and, if
 * multiplicative, positive values).  XF_OK, XF_EDATA (too short, not
 * positive), XF_ENOMEM. */
int xf__ets_fit(const double *y, size_t n, xf__lm_trend trend, xf__lm_season season, int32_t m,
                xf__ets *out, xf_error *err);

/* The ETS form with the lowest AICc among none/additive/damped trend x no /
 * additive / multiplicative season (the seasons only when m > 1 and n allows,
 * multiplicative only for positive data). */
int xf__ets_auto(const double *y, size_t n, int32_t m, xf__ets *out, xf_error *err);

void xf__ets_free(xf__ets *e);

/* Fit a local model of `kind` on y[0..n).  periods: the seasonal periods
 * (np of them, 0..XF__LM_MAX_PERIODS, each > 1), longest last or in any
 * order; ETS uses the first that the data allows, THETA the first, DECOMP
 * all that fit twice in the data. */
int xf__lm_fit(xf__lm_kind kind, const double *y, size_t n, const int32_t *periods, size_t np,
               xf__lm *out, xf_error *err);

/* Forecasts of steps 1..H from each of k origins (origin o: the values
 * y[0..o) are known), origins sorted ascending and each in [1, n]: out
 * [k][H].  One pass over y with the fitted parameters.  XF_OK or XF_ENOMEM. */
int xf__lm_forecast_origins(const xf__lm *m, const double *y, size_t n, const size_t *origins,
                            size_t k, int32_t H, double *out, xf_error *err);

void xf__lm_free(xf__lm *m);

/* Name of a kind ("ets", "theta", "decomp"). */
const char *xf__lm_kind_name(xf__lm_kind k);

/* Nelder-Mead on f over R^d (d <= 8) from x (overwritten with the best
 * point), initial step `step`, at most max_eval evaluations; returns the
 * best value.  Deterministic. */
double xf__nelder_mead(double (*f)(const double *x, void *ctx), void *ctx, double *x, int d,
                       double step, int max_eval);

/* ------------------------------------------------------------ window models
 * The local baseline of a head (XF_BASELINE_LOCAL): a model fitted on the
 * window before one origin alone, in closed form or a small grid, so that
 * it costs O(window) per origin and depends on nothing but the values
 * before the origin (a head's exact updates stay exact; a series the head
 * has never seen is forecast the same way).  Additive seasonal profiles
 * of each period the window holds twice (backfitted on the values less a
 * centred moving average of the longest period), then exponential
 * smoothing of the rest: simple, or with a damped trend (phi
 * XF__LM_WIN_PHI), the smoothing constants from a grid by the one-step
 * squared errors and the form by AIC. */
#define XF__LM_WIN_MIN 256  /* window: at least this many values (when there) */
#define XF__LM_WIN_CYCLES 3 /* ... and this many cycles of the longest period */
#define XF__LM_WIN_PHI 0.9  /* damping of the trend form */

/* The window length used before an origin o with these periods. */
size_t xf__lm_window_length(size_t o, const int32_t *periods, size_t np);

/* Doubles of scratch xf__lm_window_forecast needs for a window of up to n
 * values with these periods. */
size_t xf__lm_window_work(size_t n, const int32_t *periods, size_t np);

/* Forecast steps 1..H after the window w[0..n) (NaN = missing) into out[H]
 * (phases relative to w[0]); work: xf__lm_window_work(n, ...) doubles.
 * Returns 0, or -1 when fewer than 3 values are observed (out untouched). */
int xf__lm_window_forecast(const double *w, size_t n, const int32_t *periods, size_t np, int32_t H,
                           double *work, double *out);

#endif /* XF_LOCALMODELS_H */
