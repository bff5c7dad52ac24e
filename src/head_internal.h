/* head_internal.h - the head object, shared by fitting, files and
 * backtests (private).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_HEAD_INTERNAL_H
#define XF_HEAD_INTERNAL_H

#include "featurize.h"
#include "ridge.h"
#include "xf_internal.h"
#include "xfcast/head.h"
#include "xfcast/xfm.h"

/* The version of the head's metadata layout (head.format): 2 adds the blend
 * (head_blend.h), 3 the zero-shot intervals scaled by the pretraining head's
 * spread (head.zs_interval_scale); a head is written with the lowest
 * version that holds it, so that builds before a change still read it. */
#define XF_HEAD_FORMAT 3
/* Training origins whose normalised targets go beyond this many scale units
 * are left out: their window was (nearly) flat, so its spread cannot scale
 * the future, and one such row would dominate a global least-squares fit. */
#define XF_HEAD_MAX_TARGET 100.0

struct xf_head {
    xf__feat_spec spec;    /* features; spec.enc[] set once encoders are attached */
    int zeroshot;          /* 1: point forecasts from encoder 0's pretraining head */
    int32_t zs_periods[2]; /* zero-shot: the periods of the series' calendar, which a seasonal
                              pretraining head reads (head.zs_period1/2; 1, 0 = none) */
    int zs_width;          /* zero-shot, seasonal pretraining head: 1 when each origin's errors
                              are scaled by the head's predicted spread, the mean over the
                              steps of its 0.9 minus its 0.1 quantile (normalised conformal,
                              head.zs_interval_scale), 0 by the window's standard deviation */
    int32_t blend_base;    /* the forecast blended in (head_blend.h): 1 naive, m > 1 seasonal
                              naive, XF_BASELINE_LOCAL the local model; 0 none */
    int32_t blend_share;   /* its share in percent (0: the head's own forecast) */
    int attached;          /* encoders attached (fit, or xf_head_attach_encoders) */
    xf_domain domain;      /* preset it was fitted with */
    int32_t season;        /* seasonal period for baselines */
    int32_t stride;        /* step between fitted origins (refits and updates keep it) */
    int nonneg;            /* 1: a series whose observed values before the origin are all
                           >= 0 gets forecasts and bounds clipped at 0 (head.nonneg) */
    size_t n_levels;       /* interval levels */
    double levels[XF_MAX_LEVELS];
    size_t n_enc; /* encoders the head needs */
    char enc_name[XF_MAX_ENCODERS][64];
    uint64_t enc_fp[XF_MAX_ENCODERS];
    int64_t enc_embed[XF_MAX_ENCODERS];   /* embedding sizes (checked at attach) */
    int64_t enc_context[XF_MAX_ENCODERS]; /* contexts */
    char **cov_names;                     /* [spec.n_cov]; owned */
    double *W;                            /* [H][p] ridge weights (NULL when zero-shot) */
    double *b;                            /* [H] intercepts */
    double *lambda;                       /* [H] penalties (relative to n) */
    double *prior_w, *prior_b; /* [H][p], [H] the domain head the fit shrank towards (W and b
                                  include it; stats are of the targets less its forecast),
                                  NULL without a prior (head.prior, prior.weights/bias) */
    double *q_lo, *q_hi;       /* [n_levels][H] normalised residual quantiles */
    double *calib;             /* [H][calib_m] sorted normalised held-out residuals per step (or
                      calib_m evenly spaced order statistics of them), NULL when the
                      file predates them: other levels are computed from these */
    size_t calib_m;            /* residuals kept per step */
    size_t calib_n;            /* held-out residuals per step they were taken from */
    xf__ridge_stats stats;     /* sufficient statistics of every fitted origin (p == 0: none) */
    int stats_skipped;         /* 1: the file has statistics that xf_head_load_ex left unread
                                  (XF_HEAD_LOAD_NO_STATS): no update, no save */
    xf_xfm *meta;              /* fit report and provenance; owned */
    int32_t intervals;         /* XF_INTERVALS_SPLIT, _ROLLING or _ACI (head.intervals) */
    int32_t symmetric;         /* 1: quantiles of |residual|, -q..q (head.symmetric) */
    struct xf__ivl *ivl;       /* adaptive interval state (head_intervals.h); owned, NULL
                              for split intervals or without calib */
};

/* ------------------------------------------------------------ the numbers
 * that drive fitting and candidate selection (head_fit.c, head_zeroshot.c,
 * head_conformal.c).  Changing one changes fitted heads. */

/* Candidate configurations, compared on the held-out origins: each axis
 * whose option was left on XF_AUTO doubles them.  Candidate 0 is the
 * configuration asked for (options resolved); the baseline axis adds "no
 * baseline, standard-deviation scale" when the baseline resolved to
 * seasonal naive; the embedding axis adds each candidate so far without
 * the encoders' embeddings.  The lowest held-out score wins (the MAE of the
 * normalised errors when MASE is undefined for a held-out origin); a
 * candidate with too few usable origins drops out (valid.dropped). */
#define XF_HEAD_BASELINE_CHOICES 2  /* the resolved seasonal baseline; none */
#define XF_HEAD_EMBEDDING_CHOICES 2 /* with the embeddings; without */
/* ... and, with local_model auto, the best of them with the local model's
 * features (a part of a sharded fit, which cannot know the best, adds each
 * one's variant; the choice is the same) */
#define XF_HEAD_MAX_CANDIDATES (XF_HEAD_BASELINE_CHOICES * XF_HEAD_EMBEDDING_CHOICES * 2)
/* Rolling selection (XF_SELECTION_ROLLING): each series' held-out origins
 * are cut into this many consecutive windows; window k is scored by the
 * model fitted on the training origins and the held-out ones before it
 * (those whose targets end before it starts), with one penalty chosen on
 * the errors summed over the windows.  A candidate with more feature groups
 * (the embeddings, the local model; dropping the baseline counts as one)
 * is kept only when its score is lower
 * than the simpler one's by more than XF_HEAD_SELECT_SE standard errors of
 * the difference: paired between the two on blocks of the origins of H
 * steps of one series in one window (nearly independent, where neighbouring
 * origins share targets), so that a consistent gain counts and noise does
 * not. */
#define XF_HEAD_SELECT_FOLDS 3
#define XF_HEAD_SELECT_SE 1.0
/* The pilot (issue 13 part 5): with embedding XF_AUTO and at least
 * XF_HEAD_PILOT_MIN_ORIGINS origins, every candidate is first accumulated
 * and scored on every k-th origin (k = origins / XF_HEAD_PILOT_ORIGINS,
 * at most XF_HEAD_PILOT_MAX_STEP); when the best candidate with
 * embeddings scores above the best one without by more than
 * XF_HEAD_PILOT_SE standard errors of the paired difference (on blocks of
 * H steps, as the selection pairs them; fewer rows per feature favour the
 * smaller candidates, so a tie keeps them), the embeddings are computed no
 * further and only the candidates without them are fitted on every
 * origin (a fit that ends without embeddings does not pay for them). */
#define XF_HEAD_PILOT_MIN_ORIGINS 3000
#define XF_HEAD_PILOT_ORIGINS 1000
#define XF_HEAD_PILOT_MAX_STEP 8
#define XF_HEAD_PILOT_SE 1.0
/* The domain prior (xf_head_options.prior): each candidate's domain head
 * is fitted (head_prior.h xf__head_prior_fit) on this many generated
 * series of the domain at the data's frequency, each its last
 * XF_HEAD_PRIOR_LEN values, every max(1, H / XF_HEAD_PRIOR_STRIDE_DIV)-th
 * origin (denser, down to every one, until there are about
 * XF_HEAD_PRIOR_ROWS_PER_FEATURE rows per feature), from corpus seed
 * XF_HEAD_PRIOR_SEED (fixed: one data set, one head).  prior XF_AUTO takes
 * the domain prior when the series hold fewer than XF_HEAD_PRIOR_AUTO_LEN
 * values in all (not the default: measured mixed, bench/RESULTS.md "short"
 * and "little"). */
#define XF_HEAD_PRIOR_AUTO_LEN 1000
#define XF_HEAD_PRIOR_SERIES 24
#define XF_HEAD_PRIOR_LEN 1000
#define XF_HEAD_PRIOR_STRIDE_DIV 4
#define XF_HEAD_PRIOR_ROWS_PER_FEATURE 6
#define XF_HEAD_PRIOR_SEED 20261204u

/* Fewest training / held-out origins a fit accepts (before and after
 * dropping unusable origins): below them the penalty choice and the
 * interval quantiles are noise. */
#define XF_HEAD_MIN_TRAIN 20
#define XF_HEAD_MIN_VALID 10
/* Automatic lags leave this many values of each series for origins: with
 * a series of n values and horizon H, lags are at most n - H - margin, and
 * at least XF_HEAD_MIN_AUTO_LAGS (so lags shrink only while n > H + margin
 * + that minimum). */
#define XF_HEAD_LAG_MARGIN 40
#define XF_HEAD_MIN_AUTO_LAGS 4
/* The first origin fitted is at least this many values in: a
 * normalisation window of a few values is no scale. */
#define XF_HEAD_MIN_FIRST_ORIGIN 16
/* Values the level and scale are computed from: the lag window, but at
 * least XF_HEAD_MIN_NORM_WINDOW; XF_HEAD_NORM_WINDOW_NO_LAGS without lags. */
#define XF_HEAD_MIN_NORM_WINDOW 24
#define XF_HEAD_NORM_WINDOW_NO_LAGS 64
/* Coverage is reported (early-half quantiles on the late half) when both
 * halves of the held-out origins have at least this many. */
#define XF_HEAD_MIN_COVERAGE_HALF 10
/* Held-out residuals kept per step for intervals at other levels
 * (xf_head_set_levels): all of them up to this many, else this many evenly
 * spaced order statistics. */
#define XF_HEAD_CALIB_MAX 1024
/* Zero-shot calibration: up to XF_HEAD_ZS_PER_SERIES of the latest origins
 * of each series (the XF_HEAD_ZS_LATE most recent form the late half),
 * none before XF_HEAD_ZS_FIRST_ORIGIN values, at least XF_HEAD_MIN_VALID in
 * all. */
#define XF_HEAD_ZS_PER_SERIES 200
#define XF_HEAD_ZS_LATE 100
#define XF_HEAD_ZS_FIRST_ORIGIN 8
/* A zero-shot head's predicted spread (zs_width) scales an origin's errors
 * only down to this fraction of the window's standard deviation: a head
 * sure of a flat future must not make one surprise an outlier of 1e6. */
#define XF_HEAD_ZS_WIDTH_FLOOR 0.05

/* Origins whose features are built at once (fitting, updates, zero-shot
 * calibration): the batch of the feature workspaces. */
#define XF_HEAD_FEAT_BATCH 256

/* Reading a head file (head_file.c), shared with the feature groups'
 * loaders (feature_groups.c). */
typedef struct xf__head_loader {
    const xf_xfm *mf; /* the file's container */
    const char *path; /* for messages */
    xf_error *err;    /* where failures are reported */
} xf__head_loader;

/* A required i64 key within [lo, hi]; XF_EFORMAT naming it when absent or
 * outside. */
int xf__head_get_i64(xf__head_loader *ld, const char *key, int64_t lo, int64_t hi, int64_t *out);
/* An optional key (added after the first heads were written): dflt when
 * absent. */
int xf__head_get_i64_opt(xf__head_loader *ld, const char *key, int64_t lo, int64_t hi, int64_t dflt,
                         int64_t *out);
/* A required string key (borrowed from the container). */
int xf__head_get_str(xf__head_loader *ld, const char *key, const char **out);

/* An empty head (calloc'ed, meta created). */
xf_head *xf__head_alloc(void);

/* Normalised predictions of m origins: pred [m][H], level, scale [m], ok [m]
 * (0: origin unusable).  X is scratch [m][p] (may be ws-sized).  Zero-shot
 * heads predict through the pretraining head. */
int xf__head_predict(const xf_head *h, xf__feat_ws *fws, const xf_panel *panel,
                     const size_t *series, const size_t *origin, size_t m, int strict_cov,
                     double *X, double *pred, double *level, double *scale, unsigned char *ok,
                     xf_error *err);

/* Turn a normalised prediction row into values: mean [H'], lo/hi
 * [n_levels][H'] (stride H' = horizon requested, NULL allowed); clip0: the
 * values and bounds are clipped at 0 (xf__head_clips); q_lo/q_hi
 * [n_levels][H] the residual quantiles (NULL: the head's, adapted to its
 * recent errors, head_intervals.h). */
void xf__head_denorm(const xf_head *h, const double *pred, double level, double scale,
                     int32_t horizon, int clip0, const double *q_lo, const double *q_hi,
                     double *mean, double *lo, double *hi);

/* The index of the first negative observed value of y[0..n), or n: a head
 * with nonneg set clips the forecasts of an origin at or before it. */
size_t xf__head_first_negative(const double *y, size_t n);

/* The panel carries the head's covariates in the head's order (XF_EDATA
 * naming the first difference otherwise). */
int xf__head_check_covariates(const xf_head *h, const xf_panel *panel, xf_error *err);

/* First origin (values of history) fitted: the lag window, at least 16. */
size_t xf__head_first_origin(const xf__feat_spec *s);
/* o->progress(what, done, total) when the caller asked for progress. */
static inline void xf__head_progress(const xf_head_options *o, const char *what, size_t done,
                                     size_t total)
{
    if (o != NULL && o->progress != NULL)
        o->progress(what, (int64_t)done, (int64_t)total, o->progress_user);
}

/* The seasonal periods of the local baseline for a head's season (0 =
 * unused): the season when the window can hold it, and the day of a
 * week of sub-daily steps. */
void xf__head_local_periods(int32_t season, int32_t *period);

/* Origins one series needs (with horizon H and that held-out share) for
 * XF_HEAD_MIN_TRAIN training and XF_HEAD_MIN_VALID held-out origins, the
 * training ones whose targets reach into the held-out period dropped. */
size_t xf__head_min_origins(size_t H, double valid_fraction);

/* Default seasonal period for a frequency and domain. */
/* Rows [m][H] of normalised targets Y less the prior's forecast b0 + X W0'
 * (W0 [H][p], X [m][p]); that forecast is added to add [m][H] too when not
 * NULL (the baseline a score reads).  head_fit.c. */
void xf__head_prior_apply(const double *W0, const double *b0, size_t p, size_t H, const double *X,
                          double *Y, double *add, size_t m);
int32_t xf__default_season(xf_freq f, xf_domain d);

/* head_options.c: the frequency and domain defaults of the horizon H, lags
 * L and calendar harmonics harm [XF_CAL_N]; the first known frequency of a
 * panel (XF_FREQ_UNKNOWN when none). */
void xf__head_freq_defaults(xf_freq f, xf_domain d, int32_t *H, int32_t *L, int32_t *harm);
xf_freq xf__head_panel_freq(const xf_panel *p);

/* head_fit.c: first index of series i at or after a time / row cut (its
 * length when none). */
size_t xf__head_cut_index(const xf_panel *panel, size_t i, xf_time t, int64_t row);

/* head_fit.c: the head's features, domain, season and levels from resolved
 * options; the encoders are recorded (n_enc of them when o->embedding). */
int xf__head_fill_spec(xf_head *h, const xf_head_options *o, xf_encoder *const *encs, size_t n_enc,
                       size_t n_cov, xf_error *err);

/* head.c: the local window model's periods (spec.local_period) as a
 * description says them, " (periods 48, 336)" (ascending), " (period 24)" or
 * " (no season)", as snprintf into buf [n]. */
void xf__head_local_periods_text(const int32_t *lp, char *buf, size_t n);

/* head_forecast.c: the normalised errors res [n][H] of h's predictions at
 * n origins (series ser[i], origin org[i], all H targets observed) against
 * their values, for calibrating intervals: the origins that cannot be used
 * are left out, ser[], org[] and late[] are compacted alike (row i of res
 * is origin i), *nr gets the count kept.  unit (NULL, or [n] compacted
 * alike): for a zero-shot head with a seasonal pretraining head, the
 * origin's scale over its spread unit (xf__head_zs_unit), which turns an
 * error in scale units into one in spread units; 1 otherwise.  A feature
 * workspace with n_threads encoder threads is made for it. */
int xf__head_origin_errors(const xf_head *h, const xf_panel *panel, size_t *ser, size_t *org,
                           unsigned char *late, size_t n, int n_threads, double *res, double *unit,
                           size_t *nr, xf_error *err);
/* The unit of a zero-shot head's normalised conformal errors at an origin
 * of window scale `scale` whose predicted spread is `width` (NaN: none):
 * the spread, at least XF_HEAD_ZS_WIDTH_FLOOR x scale; scale when NaN. */
double xf__head_zs_unit(double width, double scale);

/* head_conformal.c: intervals from held-out residuals res [nv][H] (late [nv]
 * marks the later half of each series' held-out origins): h->q_lo/q_hi, and
 * coverage.<level> in h->meta. */
int xf__head_calibrate(xf_head *h, const double *res, const unsigned char *late, size_t nv,
                       xf_error *err);

/* head_conformal.c: h->q_lo/q_hi for h->levels from h->calib (XF_ENOMEM). */
int xf__head_levels_from_calib(xf_head *h);

/* head_provenance.c: source, data.* and fit.date keys in h->meta. */
void xf__head_record_provenance(xf_head *h, const xf_panel *panel, const xf_head_options *o);

#endif /* XF_HEAD_INTERNAL_H */
