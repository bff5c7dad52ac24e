/* xfcast/corpus.h - a synthetic corpus of generic time series for pretraining.
 *
 * The encoders are pretrained on generated series only (no real data, so
 * that no benchmark series can leak into pretraining).  The corpus is never
 * stored: series number `index` is generated on demand, deterministically
 * from (seed, index, length) alone, so any thread, any order of calls and
 * a resumed run all get the same values for the same index.
 *
 *     xf_corpus_options o;
 *     xf_corpus *c; xf_corpus_workspace *ws; xf_error e;
 *     xf_corpus_options_init(&o);
 *     o.seed = 42;
 *     if (xf_corpus_new(&o, &c, &e) != XF_OK) ... e.message ...
 *     if (xf_corpus_workspace_new(c, &ws, &e) != XF_OK) ...
 *     for (i = 0; i < n; i++)
 *         xf_corpus_series(c, ws, i, 1024, values, observed, NULL);
 *     xf_corpus_workspace_free(ws);
 *     xf_corpus_free(c);
 *
 * Families (each with randomised parameters, scales and offsets; both
 * signed and positive-only series):
 *   XF_CORPUS_GP           Gaussian-process samples, KernelSynth-style: a
 *                          random sum/product of 1-5 kernels from {periodic,
 *                          linear, RBF, rational quadratic, white noise,
 *                          constant}, drawn through a Cholesky factor of the
 *                          covariance.  To keep the cost bounded the smooth
 *                          part is sampled exactly on a grid of at most
 *                          `gp_points` points (integer step h = 1 when the
 *                          series is no longer than that, else h =
 *                          ceil((len-1)/(gp_points-1)), e.g. 4 at length 1024)
 *                          and interpolated (Catmull-Rom cubic); periods and
 *                          length scales are drawn only where the grid resolves
 *                          them (period >= 6h, length scale >= 2h), and
 *                          white-noise terms are added at full resolution.
 *                          Short periods (7, 12) at long lengths come from the
 *                          seasonal family instead.  Set gp_points >= the
 *                          length for exact full-resolution samples (cost grows
 *                          as gp_points^3).
 *   XF_CORPUS_SEASONAL     trend x multi-seasonal x noise: linear, piecewise,
 *                          exponential or damped trends; daily, weekly and
 *                          yearly patterns at 15-minute, hourly, daily, weekly,
 *                          monthly or quarterly sampling (periods 96/672, 24/168,
 *                          7/365.25, 52.18, 12, 4, or random), random Fourier
 *                          shapes; additive, or multiplicative (positive);
 *                          homo- or heteroscedastic Gaussian/Student-t noise.
 *   XF_CORPUS_ARMA         stationary ARMA(p,q), p,q <= 3 (coefficients drawn
 *                          through partial autocorrelations in (-1,1), hence
 *                          always stable and invertible), optionally with a
 *                          seasonal AR term at lag 4, 7, 12, 24 or 52.
 *   XF_CORPUS_RANDOM_WALK  random walks with drift, with GARCH(1,1)
 *                          volatility clustering, and positive price-like
 *                          series (exp of cumulated GARCH log returns).
 *   XF_CORPUS_INTERMITTENT mostly-zero series: integer counts, clustered
 *                          (on/off) negative-binomial demand, or continuous
 *                          rain-like amounts; never negative.
 *   XF_CORPUS_MIXTURE      a convex mixture (Dirichlet weights) of two or three
 *                          standardised series of the other families.
 * On top of any family except intermittent, a series gets level shifts
 * with probability `level_shift_prob` and spikes/outliers with probability
 * `outlier_prob`; then missing stretches (runs of NaN) at `missing_rate`.
 *
 * Versions.  The families above are corpus version 1 (the default, frozen:
 * the shipped encoders were trained on it, and a digest test pins it).
 * Version 2 (options.version = 2) is a corpus that looks like the domains
 * users forecast: sample `index` is a whole series of its own realistic
 * length (XF_CORPUS_V2_MIN_LENGTH..XF_CORPUS_V2_MAX_LENGTH, drawn with the
 * sample: 50-200 quarterly values, up to 5000 hourly ones) on a calendar
 * with the periods users have (4, 7, 12, 24, 48, 52, 168, 336, 96 and the
 * pairs 24 + 168, 48 + 336, 96 + 672, 7 + 365.25), drawn from a mixture of
 * kinds (xf_corpus_kind; default weights in options.kind_weights):
 *   SEASONAL      one or two periods of the calendar, random Fourier shapes
 *                 that drift slowly, no / linear / damped / local-level
 *                 trend, AR(1) noise; additive or multiplicative      0.20
 *   ENERGY        load on an hourly, half-hourly, 15-minute or daily
 *                 calendar: weekday and weekend daily profiles, holiday
 *                 dips, heating and cooling driven by a temperature that
 *                 is returned as the sample's covariate                0.14
 *   WEATHER       temperature with annual and daily cycles and persistent
 *                 AR(1) anomalies, or solar radiation (zero at night,
 *                 cloud cover persistent), hourly, daily or monthly    0.12
 *   STOCK         business-day prices (cent ticks), returns or volumes:
 *                 GARCH(1,1)/GJR volatility clustering, Student-t shocks
 *                 and compound-Poisson jumps                           0.12
 *   INTERMITTENT  Croston-like demand (Bernoulli occurrence, so geometric
 *                 intervals; Poisson or negative-binomial sizes), lumpy,
 *                 obsolescent or seasonal occurrence; integer counts   0.10
 *   TREND         damped local-trend (ETS A,Ad-like) paths, saturating
 *                 (logistic) growth or piecewise-linear trends, with an
 *                 optional season                                      0.10
 *   LEVEL_SHIFT   AR(1) noise around a level that shifts (permanently,
 *                 temporarily, or in ramps), optional season           0.07
 *   GENERIC       a version-1 family (GP, seasonal, ARMA, random walk or
 *                 mixture) at the sample's length, with v1's overlays  0.15
 * xf_corpus_sample generates a sample (both versions); xf_corpus_series
 * on a version-2 corpus generates sample `index` at a length the caller
 * chooses.  Nothing in either version is read from data files: no
 * benchmark or evaluation series can be in the corpus.
 *
 * Determinism: a series is a function of (seed, index, len) and the options.
 * It is bit-identical across threads, workspaces, call orders and runs of
 * the same build with the same BLAS setup.  The GP family goes through
 * LAPACK's Cholesky (dpotrf), whose last bits depend on the BLAS thread
 * count and CPU kernel (OpenBLAS: OPENBLAS_NUM_THREADS, OPENBLAS_CORETYPE):
 * keep the BLAS at one thread (also the fastest setup when several threads
 * generate series) to reproduce a run; other families depend only on libm.
 *
 * Random numbers: GSL's distributions (gsl_ran_*) driven by xoshiro256**,
 * wrapped as a gsl_rng type and seeded with 256 bits derived by splitmix64
 * from (seed, index).  GSL's own generators take 32-bit seeds (taus2 and
 * mt19937 keep only the low 32 bits), which at 10^6 series would give
 * about a hundred pairs of identical series.
 *
 * Thread safety: a const xf_corpus may be shared by any number of threads,
 * each with its own xf_corpus_workspace (which holds the RNG state and all
 * scratch memory).  A workspace must not be used by two threads at once.
 *
 * Speed: the hot path (xf_corpus_series) allocates nothing.  With the
 * default options one core of an AMD EPYC generates about 8000 series of
 * length 1024 per second (BLAS at one thread).  The GP family dominates the
 * cost (about 4000/s at grid step 4: a 257 x 257 Cholesky; step 3, i.e.
 * gp_points = 342, halves that and step 2 divides it by five); the other
 * families make 20 000 to 80 000 series/s.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_CORPUS_H
#define XFCAST_CORPUS_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Shortest and longest series the generator makes. */
#define XF_CORPUS_MIN_LENGTH 16
#define XF_CORPUS_MAX_LENGTH 1048576
/* Bounds of xf_corpus_options.gp_points. */
#define XF_CORPUS_MIN_GP_POINTS 16
#define XF_CORPUS_MAX_GP_POINTS 2048
/* Largest accepted missing_rate. */
#define XF_CORPUS_MAX_MISSING_RATE 0.9
/* Corpus versions (xf_corpus_options.version). */
#define XF_CORPUS_VERSION_1 1
#define XF_CORPUS_VERSION_2 2
/* Lengths of the samples of a version-2 corpus. */
#define XF_CORPUS_V2_MIN_LENGTH 50
#define XF_CORPUS_V2_MAX_LENGTH 5000

/* Families of generated series.  Values are stable across releases. */
typedef enum xf_corpus_family {
    XF_CORPUS_GP = 0,           /* Gaussian-process sample (KernelSynth-style kernels) */
    XF_CORPUS_SEASONAL = 1,     /* trend x multi-seasonal x noise */
    XF_CORPUS_ARMA = 2,         /* stationary ARMA(p,q) with optional seasonal AR */
    XF_CORPUS_RANDOM_WALK = 3,  /* random walk / GARCH / price-like */
    XF_CORPUS_INTERMITTENT = 4, /* mostly-zero count-like series */
    XF_CORPUS_MIXTURE = 5,      /* convex mixture of 2-3 of the families above */
    XF_CORPUS_N_FAMILIES = 6    /* number of families (not a family) */
} xf_corpus_family;

/* Kinds of the samples of a version-2 corpus (see above).  Values are
 * stable across releases. */
typedef enum xf_corpus_kind {
    XF_CORPUS_KIND_SEASONAL = 0,     /* calendar periods, trend, AR noise */
    XF_CORPUS_KIND_ENERGY = 1,       /* load with weekly profile, holidays, temperature */
    XF_CORPUS_KIND_WEATHER = 2,      /* temperature or radiation, annual + daily cycles */
    XF_CORPUS_KIND_STOCK = 3,        /* business-day prices / returns / volumes */
    XF_CORPUS_KIND_INTERMITTENT = 4, /* Croston-like demand counts */
    XF_CORPUS_KIND_TREND = 5,        /* damped, saturating or piecewise trends */
    XF_CORPUS_KIND_LEVEL_SHIFT = 6,  /* level shifts over AR noise */
    XF_CORPUS_KIND_GENERIC = 7,      /* a version-1 family */
    XF_CORPUS_N_KINDS = 8            /* number of kinds (not a kind) */
} xf_corpus_kind;

/* Options of a corpus.  Initialise with xf_corpus_options_init() and then
 * set the fields you need; fields may be added in later versions. */
typedef struct xf_corpus_options {
    size_t struct_size;                   /* sizeof, set by _init (see the ABI rule in xfcast.h) */
    uint64_t seed;                        /* corpus seed; default 0x5eed */
    size_t length;                        /* longest series that will be asked for (workspaces are
                                 sized for it), XF_CORPUS_MIN_LENGTH..XF_CORPUS_MAX_LENGTH;
                                 default 1024 */
    double weights[XF_CORPUS_N_FAMILIES]; /* relative family weights, finite and >= 0,
                                 not all 0 (normalised internally); defaults GP 0.25,
                                 seasonal 0.25, ARMA 0.12, random walk 0.12, intermittent
                                 0.08, mixture 0.18 */
    double missing_rate;                  /* expected fraction of missing values in every series,
                                 0..XF_CORPUS_MAX_MISSING_RATE; default 0.01 */
    double missing_run_mean;              /* mean length of a run of missing values, >= 1
                                 (geometric lengths); default 8 */
    double level_shift_prob;              /* probability that a series gets 1-3 level shifts,
                                 0..1; default 0.1 */
    double outlier_prob;                  /* probability that a series gets spikes/outliers, 0..1;
                                 default 0.1 */
    size_t gp_points; /* most grid points of an exact GP sample (see the GP family
                                 above), XF_CORPUS_MIN_GP_POINTS..XF_CORPUS_MAX_GP_POINTS;
                                 default 257 (grid step 4 at length 1024); a workspace
                                 holds a gp_points^2 matrix */
    /* Fields added after xfcast 0.1 (a caller built against an older header gets
     * their defaults): */
    int32_t version;                        /* XF_CORPUS_VERSION_1 (default) or _2 */
    double kind_weights[XF_CORPUS_N_KINDS]; /* version 2: relative kind weights, finite
                                 and >= 0, not all 0; defaults in the table above */
} xf_corpus_options;

/* Set every option to its default. */
XF_API void xf_corpus_options_init(xf_corpus_options *opts);
XF_API void xf_corpus_options_init_sized(xf_corpus_options *opts, size_t size);
/* (a macro: the library writes only the caller's sizeof; see the ABI rule in xfcast.h) */
#define xf_corpus_options_init(opts) xf_corpus_options_init_sized((opts), sizeof *(opts))

/* What was generated, for tests and debugging.  Fields that do not apply
 * to the series' family are 0 (or "" / NULL).  For a mixture, `family` is
 * XF_CORPUS_MIXTURE, the component fields list the parts, and the
 * family-specific fields describe the component with the largest weight. */
typedef struct xf_corpus_info {
    uint64_t index;                /* the series' index */
    xf_corpus_family family;       /* the family drawn */
    const char *variant;           /* static name of the sub-kind, e.g. "hourly", "garch",
                                   "price", "counts", "kernel" (borrowed, never freed) */
    int n_components;              /* 2 or 3 for a mixture, else 1 */
    xf_corpus_family component[3]; /* families of the mixture's components, by weight */
    double component_weight[3];    /* their convex weights (sum 1), largest first */
    double period;                 /* main period in steps (seasonal: largest pattern; GP: first
                                   periodic kernel; ARMA: seasonal AR lag), 0 if none */
    int n_periods;                 /* seasonal: number of seasonal patterns (1-3) */
    double periods[3];             /* seasonal: their periods, main first */
    int multiplicative;            /* seasonal: 1 when trend, season and noise multiply */
    const char *trend;             /* seasonal: "none", "linear", "piecewise", "exponential",
                                   "damped" (static); NULL otherwise */
    int n_kernels;                 /* GP: base kernels combined (1-5) */
    char kernel[192];       /* GP: the kernel as text, e.g. "Per(24,0.8)*RBF(120)+Lin(0.3)" */
    int gp_step;            /* GP: grid step h (1 = exact at full resolution) */
    double gp_jitter;       /* GP: absolute diagonal jitter the Cholesky needed */
    int ar_order, ma_order; /* ARMA: p and q */
    double ar[3], ma[3];    /* ARMA: x_t = sum ar[j] x_{t-1-j} + e_t + sum ma[j] e_{t-1-j} */
    int seasonal_lag;       /* ARMA: lag of the seasonal AR term, 0 if none */
    double seasonal_ar;     /* ARMA: its coefficient: y_t = seasonal_ar y_{t-lag} + x_t */
    double drift;           /* random walk: mean step (of the log for "price") */
    double volatility;      /* random walk: unconditional step standard deviation */
    double garch_alpha, garch_beta; /* random walk: GARCH(1,1) parameters, 0 if none */
    double occurrence;              /* intermittent: mean probability of a non-zero value */
    int n_level_shifts;             /* level shifts added */
    int n_spikes;                   /* spikes/outliers added */
    double scale;                   /* scale applied to the family's raw output */
    double offset;                  /* offset added after scaling */
    int positive;                   /* 1 when no observed value is negative */
    size_t n_missing;               /* values marked missing */
} xf_corpus_info;

typedef struct xf_corpus xf_corpus;
typedef struct xf_corpus_workspace xf_corpus_workspace;

/* Create a corpus from validated options (copied; opts may be freed after
 * the call).  On success returns XF_OK and *out owns the new corpus (free
 * with xf_corpus_free).  On failure returns XF_EINVAL (a bad option: the
 * message names it, its value and the accepted range) or XF_ENOMEM, sets
 * *out to NULL and fills err (may be NULL). */
XF_API int xf_corpus_new(const xf_corpus_options *opts, xf_corpus **out, xf_error *err);

/* Free a corpus.  NULL is a no-op.  Workspaces made for it may be freed
 * before or after. */
XF_API void xf_corpus_free(xf_corpus *c);

/* The options the corpus was made with (borrowed; valid until
 * xf_corpus_free). */
XF_API const xf_corpus_options *xf_corpus_get_options(const xf_corpus *c);

/* Allocate a workspace for generating series of corpus c (up to its
 * `length`): the RNG state and every scratch buffer, about
 * 8 * (m^2 + 17 m + 3 length + 1024) bytes with m = min(gp_points, length)
 * (600 kB with the defaults; version 2: length at least
 * XF_CORPUS_V2_MAX_LENGTH, about 800 kB).  One per thread.  It may also
 * serve any other corpus with the same length and gp_points.  On success
 * returns XF_OK and *out owns the workspace (free with
 * xf_corpus_workspace_free); on failure XF_EINVAL (c is NULL) or
 * XF_ENOMEM, *out = NULL and err (may be NULL) is filled. */
XF_API int xf_corpus_workspace_new(const xf_corpus *c, xf_corpus_workspace **out, xf_error *err);

/* Free a workspace.  NULL is a no-op. */
XF_API void xf_corpus_workspace_free(xf_corpus_workspace *ws);

/* Generate series number `index` of the corpus, of `len` values.
 *
 * c:        the corpus (read only; may be shared between threads).
 * ws:       a workspace of this thread, from xf_corpus_workspace_new for c
 *           (or a corpus with the same length and gp_points); its previous
 *           content never influences the result.
 * index:    any 64-bit value; distinct indices give independent series.
 * len:      XF_CORPUS_MIN_LENGTH..the corpus length (version 2: at least
 *           XF_CORPUS_V2_MAX_LENGTH).  The series depends on len (a shorter
 *           series is not a prefix of a longer one).  Version 2: sample
 *           `index` generated at this length, as xf_corpus_sample does.
 * values:   caller-owned array of len doubles, filled; missing values NaN.
 * observed: caller-owned array of len bytes, or NULL: observed[i] = 1 when
 *           values[i] is observed, 0 when it is missing.
 * info:     NULL, or receives a description of the series (version 2:
 *           only index, variant (the kind's), period, n_level_shifts,
 *           n_spikes, n_missing and positive are set; family is
 *           XF_CORPUS_N_FAMILIES; use xf_corpus_sample for the rest).
 *
 * Returns XF_OK, or XF_EINVAL when an argument is NULL (other than
 * observed and info), len is out of range, or ws was sized for a shorter
 * length or fewer GP points (nothing is written then).  Allocates nothing
 * and cannot fail otherwise. */
XF_API int xf_corpus_series(const xf_corpus *c, xf_corpus_workspace *ws, uint64_t index, size_t len,
                            double *values, uint8_t *observed, xf_corpus_info *info);

/* What xf_corpus_sample made.  Set struct_size with
 * xf_corpus_sample_info_init() (the library writes only struct_size
 * bytes, so that fields can be added).  Fields that do not apply are 0,
 * NULL or "". */
typedef struct xf_corpus_sample_info {
    size_t struct_size;      /* sizeof, set by _init */
    uint64_t index;          /* the sample's index */
    int32_t version;         /* the corpus version */
    size_t length;           /* values written */
    xf_corpus_kind kind;     /* version 2: the kind; version 1: XF_CORPUS_KIND_GENERIC */
    xf_corpus_family family; /* GENERIC kind (and version 1): the version-1 family */
    const char *variant;     /* static name of the sub-kind, e.g. "price", "load", "croston" */
    const char *calendar;    /* static: "quarterly", "monthly", "weekly", "daily",
                               "business-day", "hourly", "half-hourly", "15-minute", or
                               "none" (GENERIC kind, version 1) */
    int n_periods;           /* seasonal periods present (0-2) */
    double periods[2];       /* their lengths in steps, main (shortest) first */
    int has_covariate;       /* 1 when the covariate channel holds a driver of the values */
    const char *covariate;   /* static: "temperature" (ENERGY), or "" */
    int positive;            /* 1 when no observed value is negative */
    int integer;             /* 1 when every observed value is an integer (counts) */
    double persistence;      /* AR(1) coefficient of the noise / anomaly (per day for
                               WEATHER and ENERGY temperature), 0 if none */
    double damping;          /* TREND "damped": the trend's damping factor per step */
    double garch_alpha, garch_beta; /* STOCK: GARCH(1,1) parameters */
    int n_jumps;                    /* STOCK: price jumps */
    int n_holidays;                 /* ENERGY: holiday days */
    double occurrence;              /* INTERMITTENT: mean probability of a non-zero value */
    int n_level_shifts;             /* level shifts (LEVEL_SHIFT kind or overlay) */
    int n_spikes;                   /* spikes/outliers added */
    size_t n_missing;               /* values marked missing */
} xf_corpus_sample_info;

/* Zero *info and set its struct_size. */
XF_API void xf_corpus_sample_info_init(xf_corpus_sample_info *info);

/* The natural length of sample `index`: for version 2 the length drawn
 * with the sample (XF_CORPUS_V2_MIN_LENGTH..XF_CORPUS_V2_MAX_LENGTH), in
 * O(1) without generating it; for version 1 the corpus `length`.  0 when
 * c is NULL. */
XF_API size_t xf_corpus_sample_length(const xf_corpus *c, uint64_t index);

/* What sample `index` is, in O(1) without generating it (to pick samples
 * of a kind or calendar): its kind, its calendar (static name, as
 * xf_corpus_sample_info.calendar) and natural length; each output may be
 * NULL.  Version 1: XF_CORPUS_KIND_GENERIC, "none" and the corpus length.
 * Returns XF_OK, or XF_EINVAL for a NULL corpus. */
XF_API int xf_corpus_sample_plan(const xf_corpus *c, uint64_t index, xf_corpus_kind *kind,
                                 const char **calendar, size_t *length);

/* Generate sample `index`.
 *
 * len:       0 for the sample's natural length (xf_corpus_sample_length),
 *            else XF_CORPUS_MIN_LENGTH..max(corpus length, version 2:
 *            XF_CORPUS_V2_MAX_LENGTH): the same kind of series, generated at
 *            that length (the same as xf_corpus_series for version 1).
 * values:    caller-owned, room for the length; missing values NaN.
 * observed:  NULL, or caller-owned bytes: 1 observed, 0 missing.
 * covariate: NULL, or caller-owned doubles: the sample's covariate (the
 *            temperature of an ENERGY sample, always observed); NaN for a
 *            sample without one (info->has_covariate tells).
 * info:      NULL, or set up with xf_corpus_sample_info_init.
 *
 * Deterministic in (seed, index, len, options) with the same guarantees as
 * xf_corpus_series; O(length) (the GENERIC kind's GP as in version 1);
 * allocates nothing; thread safety as xf_corpus_series (one workspace per
 * thread).  Returns XF_OK, or XF_EINVAL (NULL c, ws or values, len out of
 * range, a workspace too small, or info->struct_size not set). */
XF_API int xf_corpus_sample(const xf_corpus *c, xf_corpus_workspace *ws, uint64_t index, size_t len,
                            double *values, uint8_t *observed, double *covariate,
                            xf_corpus_sample_info *info);

/* Lower-case name of a kind ("seasonal", "energy", "weather", "stock",
 * "intermittent", "trend", "level_shift", "generic"), or "unknown". */
XF_API const char *xf_corpus_kind_name(xf_corpus_kind kind);

/* Lower-case name of a family ("gp", "seasonal", "arma", "random_walk",
 * "intermittent", "mixture"), or "unknown".  Static string. */
XF_API const char *xf_corpus_family_name(xf_corpus_family family);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_CORPUS_H */
