/* featurize.h - the features of a forecast origin (private): the origin's
 * level and scale (instance normalisation), the baseline forecast, the
 * encoders' embeddings, and the rows built by walking the feature groups.
 *
 * A row (p columns) is the feature groups side by side, in the order of
 * enum xf__feat_group_id; each group (width, row filler, head-file keys) is
 * declared once in feature_groups.c, which says what its columns are.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_FEATURIZE_H
#define XF_FEATURIZE_H

#include <stddef.h>
#include <stdint.h>
#include "xfcast/encoder.h"
#include "xfcast/head.h"
#include "xfcast/panel.h"

#define XF_HIST_WINDOW 2048 /* values behind the history features */

/* Calendar periods. */
enum { XF_CAL_DAY = 0, XF_CAL_WEEK, XF_CAL_YEAR, XF_CAL_MONTH, XF_CAL_N };

/* The feature groups, in row order (the index of each in xf__feat_groups[],
 * feature_groups.c). */
enum xf__feat_group_id {
    XF__FG_EMBEDDINGS = 0, /* each encoder's embedding, window mean and spread */
    XF__FG_LAGS,           /* the last L values */
    XF__FG_HISTORY,        /* level and scale against the long history */
    XF__FG_CALENDAR,       /* Fourier terms of the first forecast step's time */
    XF__FG_COVARIATES,     /* future-known covariates at every forecast step */
    XF__FG_HOLIDAYS,       /* holiday indicators of the days the forecast covers */
    XF__FG_LOCAL,          /* the local window model's forecast of every step */
    XF__FG_N
};

#define XF__FEAT_LOCAL_PERIODS 2 /* seasonal periods of the local baseline */

typedef struct xf__feat_spec {
    int32_t horizon;          /* H: outputs and covariate steps */
    int32_t n_lags;           /* L */
    int32_t norm_window;      /* values the level and scale are computed from */
    int32_t log_transform;    /* 1: features and targets on log values */
    int32_t level_last;       /* 1: level = last value, scale = std of differences */
    int32_t n_harm[XF_CAL_N]; /* Fourier harmonics per calendar period (0 = off) */
    int32_t history;          /* 1: where the level and scale stand in the long history */
    int32_t scale_mode;       /* 0: std of the window; 1: mean |seasonal difference| */
    int32_t baseline;         /* the ridge learns the correction to a baseline forecast:
                                 0 none, 1 naive, m > 1 seasonal naive with period m,
                                 XF_BASELINE_LOCAL the window model of localmodels.h */
    int32_t local_period[XF__FEAT_LOCAL_PERIODS]; /* its seasonal periods (0 = unused) */
    int32_t local_features; /* 1: the local window model's H forecasts are columns */
    size_t n_enc;           /* encoders */
    const xf_encoder *enc[XF_MAX_ENCODERS]; /* borrowed */
    size_t embed[XF_MAX_ENCODERS];          /* embedding sizes: from enc[] (set by the layout), or
                                      from a head file before its encoders are attached */
    size_t n_cov;                           /* covariates used (0 when switched off) */
    int32_t holiday_days; /* days whose holiday indicators enter a row (0 = off): the
                             days of the forecast steps, from the first step's day */
    /* derived by xf__feat_spec_layout */
    size_t off[XF__FG_N]; /* first column of each feature group */
    size_t p;             /* columns in all */
    int32_t max_context;  /* longest encoder context */
} xf__feat_spec;

/* Take the embedding sizes and contexts from enc[], then compute the column
 * offsets and p from the groups' widths. */
void xf__feat_spec_layout(xf__feat_spec *s);

/* Columns of a row (the sum of the groups' widths; embed[] is used for the
 * encoders, so that it can be computed from a head file alone). */
size_t xf__feat_width(const xf__feat_spec *s);

/* Scratch for building features of up to `batch` origins at once. */
typedef struct xf__feat_ws {
    size_t batch;
    xf_encoder_workspace *ews[XF_MAX_ENCODERS];
    float *win;    /* [batch][max_context] */
    float *emb;    /* [batch][max embed] */
    float *norm;   /* [batch][2] */
    int32_t *wper; /* [batch] each window's period (encoders with the seasonal difference) */
    double *vals;  /* [norm_window or L + 1] scratch */
    double *bwork; /* the local baseline's window and scratch (NULL without local periods) */
    float *rows;   /* [batch][emb width]: embeddings with their window mean and std */
    double *zsw;   /* [batch] a zero-shot head's predicted spread at each origin
                      (head_forecast.c; NaN when its pretraining head has none) */
} xf__feat_ws;

int xf__feat_ws_new(const xf__feat_spec *s, size_t batch, int n_threads, xf__feat_ws **out,
                    xf_error *err);
void xf__feat_ws_free(xf__feat_ws *ws);

/* Value of series i at index k on the model's scale (log when set), NaN
 * when missing, out of range or not positive under the log transform. */
double xf__feat_value(const xf__feat_spec *s, const double *y, size_t n, int64_t k);

/* Level and scale of an origin (values [0, origin) of y).  Returns 0, or -1
 * when no value is observed in the normalisation window. */
int xf__feat_norm(const xf__feat_spec *s, const double *y, size_t n, size_t origin, double *level,
                  double *scale);

/* Floats per origin from xf__feat_embed: for each encoder its embedding,
 * then the window's mean and standard deviation. */
size_t xf__feat_emb_width(const xf__feat_spec *s);

/* The encoders' part of m origins (the expensive part), into out
 * [m][xf__feat_emb_width]; it does not depend on the level, scale, lags,
 * baseline or calendar, so it can be computed once and reused. */
int xf__feat_embed(const xf__feat_spec *s, xf__feat_ws *ws, const xf_panel *panel,
                   const size_t *series, const size_t *origin, size_t m, float *out, xf_error *err);

/* Build the rows of m origins of one panel: X [m][p] (doubles), level and
 * scale [m].  emb: the origins' rows from xf__feat_embed, or NULL to
 * compute them (into ws->rows).  series[i], origin[i] name each origin; ok[i] is set to 0 for
 * origins that cannot be used (nothing observed in the normalisation window;
 * or, when strict_cov, a covariate missing at a forecast step: then the
 * function fails with XF_EDATA naming it).  m <= ws->batch. */
int xf__feat_build(const xf__feat_spec *s, xf__feat_ws *ws, const xf_panel *panel,
                   const size_t *series, const size_t *origin, size_t m, int strict_cov,
                   const float *emb, double *X, double *level, double *scale, unsigned char *ok,
                   xf_error *err);

/* Mean absolute difference at lag m over the normalisation window before
 * origin, or the last 2m values when that is longer (the local MASE
 * scale); 0 when fewer than 4 pairs are observed. */
double xf__feat_mase_scale(const xf__feat_spec *s, const double *y, size_t n, size_t origin,
                           int64_t m);

/* The normalised targets of an origin as a ridge head learns them: Y [H]
 * = (value - level) / scale - baseline, base [H] the baseline (scratch of
 * H values from ws, as xf__feat_baseline).  Returns 1, or 0 when a target
 * is missing, not finite under the log transform, or beyond max_target
 * scale units (a flat window cannot scale its future). */
int xf__feat_targets(const xf__feat_spec *s, xf__feat_ws *ws, const double *y, size_t n,
                     size_t origin, double level, double scale, double max_target, double *Y,
                     double *base);

/* The baseline forecast of steps 0..H-1 from origin, normalised with
 * (level, scale): the last observed value (period 1) or the value a whole
 * number of periods earlier (older periods, then the last value, when it
 * is missing); the local window model (XF_BASELINE_LOCAL: from the values
 * before origin alone, the last value when too few are observed); all 0
 * when there is no baseline.  ws: a workspace made for a spec with the
 * same local periods. */
void xf__feat_baseline(const xf__feat_spec *s, xf__feat_ws *ws, const double *y, size_t n,
                       size_t origin, double level, double scale, double *out);

/* The largest |value| an encoder window takes: encoders read float32 (and
 * return the window's mean and deviation as float32), so larger values
 * would become infinite; the ridge features are computed in double and
 * scaled (xf__feat_norm), and take any finite value. */
#define XF__FEAT_ENC_MAX 1e38

/* Timestamp of step h (0-based) after origin of series i, or XF_TIME_NONE
 * when the series has no timestamps, when a step past its end is asked of a
 * series of unknown frequency (a single timestamp), or when the step lies
 * outside the supported years (xf_freq_advance). */
xf_time xf__feat_step_time(const xf_panel *panel, size_t i, size_t origin, int64_t h);

#endif /* XF_FEATURIZE_H */
