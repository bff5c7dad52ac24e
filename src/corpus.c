/* corpus.c - the synthetic pretraining corpus: indexed, deterministic
 * generation of generic time series (see include/xfcast/corpus.h).
 *
 * Layout of a call to xf_corpus_series:
 *   1. the RNG is seeded from (corpus key, index) alone;
 *   2. a family is drawn by the option weights and its generator writes the
 *      "raw" series (signed, positive, or non-negative counts);
 *   3. post(): level shifts and spikes, then a random scale and offset that
 *      respect the raw kind (positive series stay positive, counts stay
 *      integer);
 *   4. missing stretches.
 * Every random number comes from the workspace's RNG, in a fixed order, so
 * the output depends on nothing but (seed, index, len, options).
 *
 * GSL error handling: GSL's default error handler aborts.  Nothing here can
 * reach it: the RNG is a gsl_rng struct built in the workspace (not
 * gsl_rng_alloc, whose malloc failure would call the handler), and the
 * samplers used (gsl_ran_gaussian_ziggurat, _tdist, _gamma, _poisson,
 * _negative_binomial, _exponential, _laplace) have no error paths; their
 * parameters are chosen here, from fixed valid ranges, never taken from the
 * user.  gsl_rng_uniform_int (error on n == 0) and gsl_ran_geometric
 * (unsigned overflow for tiny p) are deliberately not used.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "abi.h"
#include "linalg.h"
#include "xf_internal.h"
#include "xfcast/corpus.h"

#define TWO_PI 6.28318530717958647692528676655900577
#define PI 3.14159265358979323846264338327950288

/* Extra room before a series for the burn-in of recursive generators
 * (ARMA: 100 + 4 * seasonal lag <= 308). */
#define BURN_MAX 512
#define ARMA_BURN(lag) (100 + 4 * (size_t)(lag))

#define GP_MAX_KERNELS 5

/* ------------------------------------------------------------------ RNG */

/* xoshiro256** (Blackman and Vigna, public domain reference code) behind
 * GSL's generator interface, so that GSL's distributions can use it.  It is
 * seeded with 256 bits from splitmix64, unlike GSL's generators, whose
 * seeds are 32 bits. */
typedef struct xrng_state {
    uint64_t s[4]; /* generator state, never all zero */
} xrng_state;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t xrng_next(xrng_state *st)
{
    uint64_t *s = st->s;
    const uint64_t result = rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* Four consecutive splitmix64 outputs are distinct (splitmix64 is a
 * bijection of its counter), so the state is never all zero. */
static void xrng_seed(xrng_state *st, uint64_t seed)
{
    int k;
    for (k = 0; k < 4; k++)
        st->s[k] = splitmix64(&seed);
}

static void xrng_set(void *vstate, unsigned long int seed)
{
    xrng_seed((xrng_state *)vstate, (uint64_t)seed);
}

static unsigned long int xrng_get(void *vstate)
{
    return (unsigned long int)(xrng_next((xrng_state *)vstate) >> 32);
}

static double xrng_get_double(void *vstate)
{
    return (double)(xrng_next((xrng_state *)vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xrng_type = {
    "xf-xoshiro256**", 0xffffffffUL, 0, sizeof(xrng_state), xrng_set, xrng_get, xrng_get_double,
};

static double unif(gsl_rng *r)
{
    return gsl_rng_uniform(r);
}

static double unif_ab(gsl_rng *r, double a, double b)
{
    return a + (b - a) * gsl_rng_uniform(r);
}

/* Log-uniform on [a, b], 0 < a <= b. */
static double log_unif(gsl_rng *r, double a, double b)
{
    return a * exp(log(b / a) * gsl_rng_uniform(r));
}

/* Uniform integer in [lo, hi], lo <= hi. */
static int rand_int(gsl_rng *r, int lo, int hi)
{
    int k = lo + (int)(gsl_rng_uniform(r) * (double)(hi - lo + 1));
    return k > hi ? hi : k;
}

static double gauss(gsl_rng *r)
{
    return gsl_ran_gaussian_ziggurat(r, 1.0);
}

static double rand_sign(gsl_rng *r)
{
    return gsl_rng_uniform(r) < 0.5 ? -1.0 : 1.0;
}

/* Index drawn with probability proportional to w[i] (w >= 0, some > 0). */
static int pick(gsl_rng *r, const double *w, int n)
{
    double total = 0.0, u, acc = 0.0;
    int i, last = 0;
    for (i = 0; i < n; i++)
        total += w[i];
    u = gsl_rng_uniform(r) * total;
    for (i = 0; i < n; i++) {
        if (w[i] <= 0.0)
            continue;
        last = i;
        acc += w[i];
        if (u < acc)
            return i;
    }
    return last;
}

/* Geometric length >= 1 with the given mean (>= 1), at most cap: the
 * number of trials up to the first success with p = 1/mean.  Computed in
 * double and capped, so that a tiny p cannot overflow an integer. */
static size_t geom_len(gsl_rng *r, double mean, size_t cap)
{
    double p = 1.0 / mean, k;
    if (p >= 1.0)
        return 1;
    k = floor(log(gsl_rng_uniform_pos(r)) / log1p(-p)) + 1.0;
    if (!(k < (double)cap))
        return cap;
    return k < 1.0 ? 1 : (size_t)k;
}

/* A heavy- or light-tailed innovation of unit variance: nu == 0 means
 * Gaussian, else Student-t with nu > 2 degrees of freedom, rescaled.  Cut
 * at +-30 standard deviations: a Student-t(3) draw beyond that is a
 * one-in-10^7 event that, once exponentiated (multiplicative seasonality,
 * prices), could overflow. */
static double innov(gsl_rng *r, double nu, double t_scale)
{
    double e;
    if (nu == 0.0)
        return gsl_ran_gaussian_ziggurat(r, 1.0);
    e = gsl_ran_tdist(r, nu) * t_scale;
    return e > 30.0 ? 30.0 : e < -30.0 ? -30.0 : e;
}

/* Draw the innovation law: Gaussian with probability 1 - p_t, else
 * Student-t with 3..8 degrees of freedom.  *t_scale makes its variance 1. */
static double draw_nu(gsl_rng *r, double p_t, double *t_scale)
{
    double nu = 0.0;
    *t_scale = 1.0;
    if (unif(r) < p_t) {
        nu = (double)rand_int(r, 3, 8);
        *t_scale = sqrt((nu - 2.0) / nu);
    }
    return nu;
}

/* --------------------------------------------------------- objects */

struct xf_corpus {
    xf_corpus_options opts;              /* validated copy of the options */
    double cum[XF_CORPUS_N_FAMILIES];    /* normalised weights, for drawing a family */
    double base_w[XF_CORPUS_N_FAMILIES]; /* weights of mixture components (mixture's is 0) */
    uint64_t key;                        /* splitmix64 hash of the seed */
    size_t max_len;                      /* longest series: length, or for version 2 at
                                            least XF_CORPUS_V2_MAX_LENGTH */
    double kind_w[XF_CORPUS_N_KINDS];    /* version 2: kind weights (as given) */
    uint64_t key2;                       /* version 2: hash of the seed, another stream */
};

struct xf_corpus_workspace {
    size_t length;    /* longest series the buffers hold */
    size_t gp_cap;    /* most GP grid points the buffers hold */
    xrng_state state; /* RNG state (reseeded for every series) */
    gsl_rng rng;      /* GSL view of `state`: type = &xrng_type, state = &state */
    double *buf;      /* length + BURN_MAX: ARMA recursion, one seasonal cycle */
    double *aux;      /* length + BURN_MAX: ARMA innovations, seasonal sum */
    double *comp;     /* length: one mixture component */
    double *gp_k;     /* gp_cap^2: GP covariance, then its Cholesky factor */
    double *gp_diag;  /* gp_cap: Cholesky scratch */
    double *gp_f;     /* gp_cap: GP sample on the grid */
    double *gp_tab;   /* 2 * GP_MAX_KERNELS * gp_cap: lag tables of kernels and terms */
    double *gp_lin;   /* GP_MAX_KERNELS * gp_cap: centred grid times of linear kernels */
};

/* What a family generator made, for post(). */
enum raw_kind {
    RAW_SIGNED = 0, /* any sign: standardised, then scaled and offset */
    RAW_POSITIVE,   /* > 0 (or >= 0 for rain): only multiplied by a positive scale */
    RAW_COUNTS      /* non-negative integers: kept as they are */
};

/* State of one generation call. */
typedef struct gen {
    const xf_corpus *c;     /* the corpus */
    xf_corpus_workspace *w; /* scratch and RNG */
    gsl_rng *r;             /* = &w->rng */
    size_t n;               /* series length */
    xf_corpus_info *info;   /* where family fields go; NULL for minor mixture components */
    int want_text;          /* 1: write the GP kernel text into info */
} gen;

static const char *const family_names[XF_CORPUS_N_FAMILIES] = {
    "gp", "seasonal", "arma", "random_walk", "intermittent", "mixture",
};

const char *xf_corpus_family_name(xf_corpus_family family)
{
    if ((int)family < 0 || (int)family >= XF_CORPUS_N_FAMILIES)
        return "unknown";
    return family_names[family];
}

static void corpus_options_defaults(xf_corpus_options *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->struct_size = sizeof *opts;
    opts->seed = 0x5eed;
    opts->length = 1024;
    opts->weights[XF_CORPUS_GP] = 0.25;
    opts->weights[XF_CORPUS_SEASONAL] = 0.25;
    opts->weights[XF_CORPUS_ARMA] = 0.12;
    opts->weights[XF_CORPUS_RANDOM_WALK] = 0.12;
    opts->weights[XF_CORPUS_INTERMITTENT] = 0.08;
    opts->weights[XF_CORPUS_MIXTURE] = 0.18;
    opts->missing_rate = 0.01;
    opts->missing_run_mean = 8.0;
    opts->level_shift_prob = 0.1;
    opts->outlier_prob = 0.1;
    opts->gp_points = 257;
    opts->version = XF_CORPUS_VERSION_1;
    opts->kind_weights[XF_CORPUS_KIND_SEASONAL] = 0.20;
    opts->kind_weights[XF_CORPUS_KIND_ENERGY] = 0.14;
    opts->kind_weights[XF_CORPUS_KIND_WEATHER] = 0.12;
    opts->kind_weights[XF_CORPUS_KIND_STOCK] = 0.12;
    opts->kind_weights[XF_CORPUS_KIND_INTERMITTENT] = 0.10;
    opts->kind_weights[XF_CORPUS_KIND_TREND] = 0.10;
    opts->kind_weights[XF_CORPUS_KIND_LEVEL_SHIFT] = 0.07;
    opts->kind_weights[XF_CORPUS_KIND_GENERIC] = 0.15;
}

void xf_corpus_options_init_sized(xf_corpus_options *opts, size_t size)
{
    xf_corpus_options d;
    if (opts == NULL)
        return;
    corpus_options_defaults(&d);
    xf__init_sized(opts, &d, sizeof d, size);
}

/* The function itself, for programs that call it without the header's
 * macro: the struct as of libtool version 3. */
void(xf_corpus_options_init)(xf_corpus_options *opts)
{
    xf_corpus_options_init_sized(opts, XF__CORPUS_OPTIONS_V3);
}

static int check_prob(const char *name, double v, double hi, xf_error *err)
{
    if (v >= 0.0 && v <= hi)
        return XF_OK;
    return xf__fail(err, XF_EINVAL, 0, 0, "corpus option %s is %g; it must be in [0, %g]", name, v,
                    hi);
}

int xf_corpus_new(const xf_corpus_options *opts, xf_corpus **out, xf_error *err)
{
    xf_corpus_options in;
    xf_corpus *c;
    double total = 0.0, base = 0.0, acc = 0.0;
    uint64_t x;
    int f, rc;

    if (out != NULL)
        *out = NULL;
    if (opts == NULL || out == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_corpus_new: NULL %s",
                        opts == NULL ? "options" : "output pointer");
    xf_corpus_options_init(&in);
    XF__IMPORT_OPTIONS(in, opts, XF__CORPUS_OPTIONS_V1, xf_corpus_options, err);
    if (opts->length < XF_CORPUS_MIN_LENGTH || opts->length > XF_CORPUS_MAX_LENGTH)
        return xf__fail(err, XF_EINVAL, 0, 0, "corpus length %zu is outside [%d, %d]", opts->length,
                        XF_CORPUS_MIN_LENGTH, XF_CORPUS_MAX_LENGTH);
    for (f = 0; f < XF_CORPUS_N_FAMILIES; f++) {
        double w = opts->weights[f];
        if (!(w >= 0.0) || !isfinite(w))
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "corpus weight of family '%s' is %g; weights must be finite and >= 0",
                            family_names[f], w);
        total += w;
    }
    if (!(total > 0.0))
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "every corpus family weight is 0; at least one must be positive");
    if (!isfinite(total))
        return xf__fail(err, XF_EINVAL, 0, 0, "the corpus family weights sum to %g", total);
    if ((rc = check_prob("missing_rate", opts->missing_rate, XF_CORPUS_MAX_MISSING_RATE, err)))
        return rc;
    if (!(opts->missing_run_mean >= 1.0) || !isfinite(opts->missing_run_mean))
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "corpus option missing_run_mean is %g; it must be finite and >= 1",
                        opts->missing_run_mean);
    if ((rc = check_prob("level_shift_prob", opts->level_shift_prob, 1.0, err)))
        return rc;
    if ((rc = check_prob("outlier_prob", opts->outlier_prob, 1.0, err)))
        return rc;
    if (opts->gp_points < XF_CORPUS_MIN_GP_POINTS || opts->gp_points > XF_CORPUS_MAX_GP_POINTS)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "corpus option gp_points is %zu; it must be in [%d, %d]", opts->gp_points,
                        XF_CORPUS_MIN_GP_POINTS, XF_CORPUS_MAX_GP_POINTS);

    if (opts->version != XF_CORPUS_VERSION_1 && opts->version != XF_CORPUS_VERSION_2)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "corpus version %d is unknown; this build makes 1 and 2",
                        (int)opts->version);
    total = 0.0;
    for (f = 0; f < XF_CORPUS_N_KINDS; f++) {
        double w = opts->kind_weights[f];
        if (!(w >= 0.0) || !isfinite(w))
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "corpus weight of kind '%s' is %g; weights must be finite and >= 0",
                            xf_corpus_kind_name((xf_corpus_kind)f), w);
        total += w;
    }
    if (!(total > 0.0) || !isfinite(total))
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "the corpus kind weights sum to %g; it must be positive and finite", total);
    total = 0.0;
    for (f = 0; f < XF_CORPUS_N_FAMILIES; f++)
        total += opts->weights[f];

    c = calloc(1, sizeof *c);
    if (c == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory allocating the corpus");
    c->opts = *opts;
    for (f = 0; f < XF_CORPUS_N_FAMILIES; f++) {
        acc += opts->weights[f];
        c->cum[f] = acc / total;
        if (f != XF_CORPUS_MIXTURE) {
            c->base_w[f] = opts->weights[f];
            base += opts->weights[f];
        }
    }
    /* A corpus of mixtures only mixes every other family equally. */
    if (!(base > 0.0))
        for (f = 0; f < XF_CORPUS_N_FAMILIES; f++)
            c->base_w[f] = f == XF_CORPUS_MIXTURE ? 0.0 : 1.0;
    x = opts->seed;
    c->key = splitmix64(&x);
    c->max_len = opts->length;
    if (opts->version == XF_CORPUS_VERSION_2) {
        if (c->max_len < XF_CORPUS_V2_MAX_LENGTH)
            c->max_len = XF_CORPUS_V2_MAX_LENGTH;
        for (f = 0; f < XF_CORPUS_N_KINDS; f++)
            c->kind_w[f] = opts->kind_weights[f];
        x = opts->seed ^ UINT64_C(0x636f727075733276); /* "corpus2v" */
        c->key2 = splitmix64(&x);
    }
    *out = c;
    return XF_OK;
}

void xf_corpus_free(xf_corpus *c)
{
    free(c);
}

const xf_corpus_options *xf_corpus_get_options(const xf_corpus *c)
{
    return c == NULL ? NULL : &c->opts;
}

void xf_corpus_workspace_free(xf_corpus_workspace *ws)
{
    if (ws == NULL)
        return;
    free(ws->buf);
    free(ws->aux);
    free(ws->comp);
    free(ws->gp_k);
    free(ws->gp_diag);
    free(ws->gp_f);
    free(ws->gp_tab);
    free(ws->gp_lin);
    free(ws);
}

int xf_corpus_workspace_new(const xf_corpus *c, xf_corpus_workspace **out, xf_error *err)
{
    xf_corpus_workspace *ws;
    size_t n, m;

    if (out != NULL)
        *out = NULL;
    if (c == NULL || out == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_corpus_workspace_new: NULL %s",
                        c == NULL ? "corpus" : "output pointer");
    /* Both are bounded by xf_corpus_new (2^20 and 2048), so no product
     * below can overflow. */
    n = c->max_len;
    m = c->opts.gp_points < n ? c->opts.gp_points : n;
    ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        goto fail;
    ws->length = n;
    ws->gp_cap = m;
    ws->rng.type = &xrng_type;
    ws->rng.state = &ws->state;
    ws->buf = xf__malloc_array(n + BURN_MAX, sizeof(double));
    ws->aux = xf__malloc_array(n + BURN_MAX, sizeof(double));
    ws->comp = xf__malloc_array(n, sizeof(double));
    ws->gp_k = xf__malloc_array(m * m, sizeof(double));
    ws->gp_diag = xf__malloc_array(m, sizeof(double));
    ws->gp_f = xf__malloc_array(m, sizeof(double));
    ws->gp_tab = xf__malloc_array(2 * GP_MAX_KERNELS * m, sizeof(double));
    ws->gp_lin = xf__malloc_array(GP_MAX_KERNELS * m, sizeof(double));
    if (ws->buf == NULL || ws->aux == NULL || ws->comp == NULL || ws->gp_k == NULL ||
        ws->gp_diag == NULL || ws->gp_f == NULL || ws->gp_tab == NULL || ws->gp_lin == NULL)
        goto fail;
    xrng_seed(&ws->state, 0);
    *out = ws;
    return XF_OK;
fail:
    xf_corpus_workspace_free(ws);
    return xf__fail(err, XF_ENOMEM, 0, 0,
                    "out of memory allocating a corpus workspace (length %zu, %zu GP points)", n,
                    m);
}

/* ------------------------------------------------------------ helpers */

static void mean_sd(const double *x, size_t n, double *mean, double *sd)
{
    double s = 0.0, ss = 0.0, mu;
    size_t i;
    for (i = 0; i < n; i++)
        s += x[i];
    mu = s / (double)n;
    for (i = 0; i < n; i++)
        ss += (x[i] - mu) * (x[i] - mu);
    *mean = mu;
    *sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
}

/* Standardise x with (mean, sd > 0), then y = s z + off with off drawn
 * from r: 0 (40%), s times a normal (30%), or what moves the series above
 * zero (30%).  Returns off.  Draws: one uniform, then at most one more. */
static double standardise_shift(gsl_rng *r, double *x, size_t n, double s, double mean, double sd)
{
    double u = unif(r), off, zmin = 0.0;
    size_t t;
    for (t = 0; t < n; t++) {
        x[t] = (x[t] - mean) / sd;
        if (t == 0 || x[t] < zmin)
            zmin = x[t];
    }
    if (u < 0.4)
        off = 0.0;
    else if (u < 0.7)
        off = s * 3.0 * gauss(r);
    else
        off = s * (-zmin + log_unif(r, 0.05, 5.0));
    for (t = 0; t < n; t++)
        x[t] = s * x[t] + off;
    return off;
}

static int family_gen(gen *g, xf_corpus_family f, double *out);

/* ------------------------------------------------------------ GP family */

enum { K_PER, K_LIN, K_RBF, K_RQ, K_WHITE, K_CONST, K_N };

typedef struct kern {
    int type; /* K_* */
    double a; /* PER: period; LIN: centre (in [0,1] time); RBF, RQ: length scale;
                 WHITE: variance; CONST: value */
    double b; /* PER: smoothness l; LIN: squared offset s0^2; RQ: alpha */
} kern;

/* KernelSynth's bank, with the probabilities of each kernel type. */
static const double kernel_bank_w[K_N] = {0.30, 0.12, 0.20, 0.15, 0.13, 0.10};
static const double gp_periods[] = {24, 48, 168, 7, 12, 52, 365.25, 4, 30, 96, 336, 60};

/* Draw the parameters of one kernel of type `type` for a series of n steps
 * sampled on a grid of step h: periods >= 6h (4 when exact) and length
 * scales >= 2h, so that the grid resolves them. */
static void gp_draw_kernel(gsl_rng *r, kern *k, int type, size_t n, int h)
{
    double lo, hi;
    k->type = type;
    k->a = k->b = 0.0;
    switch (type) {
    case K_PER: {
        double cand[sizeof gp_periods / sizeof gp_periods[0]];
        int nc = 0;
        size_t i;
        lo = h == 1 ? 4.0 : 6.0 * h;
        hi = (double)n / 1.5;
        if (hi < lo)
            hi = lo;
        for (i = 0; i < sizeof gp_periods / sizeof gp_periods[0]; i++)
            if (gp_periods[i] >= lo && gp_periods[i] <= hi)
                cand[nc++] = gp_periods[i];
        if (nc > 0 && unif(r) < 0.7)
            k->a = cand[rand_int(r, 0, nc - 1)];
        else
            k->a = log_unif(r, lo, hi);
        /* Rougher shapes (small l) only where the grid has room for their
         * harmonics. */
        k->b = k->a < 12.0 * h ? log_unif(r, 1.0, 2.0) : log_unif(r, 0.5, 2.0);
        break;
    }
    case K_LIN: {
        static const double s0sq[3] = {0.0, 0.01, 1.0};
        k->a = unif(r);
        k->b = s0sq[rand_int(r, 0, 2)];
        break;
    }
    case K_RBF:
    case K_RQ: {
        static const double alpha[3] = {0.1, 1.0, 10.0};
        lo = 2.0 * h > 2.0 ? 2.0 * h : 2.0;
        hi = (double)n;
        k->a = log_unif(r, lo, hi > lo ? hi : lo);
        if (type == K_RQ)
            k->b = alpha[rand_int(r, 0, 2)];
        break;
    }
    case K_WHITE:
        k->a = log_unif(r, 1e-3, 0.3);
        break;
    default: /* K_CONST */
        k->a = log_unif(r, 0.1, 1.0);
        break;
    }
}

/* Stationary kernel value at lag tau (steps).  Not for K_LIN / K_WHITE. */
static double kern_lag(const kern *k, double tau)
{
    switch (k->type) {
    case K_PER: {
        double s = sin(PI * tau / k->a);
        return exp(-2.0 * s * s / (k->b * k->b));
    }
    case K_RBF:
        return exp(-tau * tau / (2.0 * k->a * k->a));
    case K_RQ:
        return pow(1.0 + tau * tau / (2.0 * k->b * k->a * k->a), -k->b);
    default: /* K_CONST */
        return k->a;
    }
}

/* k(t, t) at output time t (u = t/n), for white-noise variances. */
static double kern_diag(const kern *k, double u)
{
    switch (k->type) {
    case K_LIN:
        return k->b + (u - k->a) * (u - k->a);
    case K_WHITE:
    case K_CONST:
        return k->a;
    default:
        return 1.0;
    }
}

static void kern_text(char *dst, size_t cap, const kern *k)
{
    switch (k->type) {
    case K_PER:
        snprintf(dst, cap, "Per(%.4g,%.2f)", k->a, k->b);
        break;
    case K_LIN:
        snprintf(dst, cap, "Lin(%.2f)", k->a);
        break;
    case K_RBF:
        snprintf(dst, cap, "RBF(%.4g)", k->a);
        break;
    case K_RQ:
        snprintf(dst, cap, "RQ(%.4g,%.3g)", k->a, k->b);
        break;
    case K_WHITE:
        snprintf(dst, cap, "White(%.3g)", k->a);
        break;
    default:
        snprintf(dst, cap, "Const(%.3g)", k->a);
        break;
    }
}

/* Append s to the NUL-terminated string dst of capacity cap, cutting it
 * when full. */
static void str_append(char *dst, size_t cap, const char *s)
{
    size_t l = strlen(dst), k = strlen(s);
    if (l + 1 >= cap)
        return;
    if (k > cap - 1 - l)
        k = cap - 1 - l;
    memcpy(dst + l, s, k);
    dst[l + k] = '\0';
}

/* Write the left fold "(k0+k1)*k2..." as text (parentheses only where a
 * product follows a sum). */
static void gp_text(char *dst, size_t cap, const kern *ks, const char *ops, int nk)
{
    char kt[64];
    int j, has_plus = 0;
    kern_text(dst, cap, &ks[0]);
    for (j = 1; j < nk; j++) {
        char op[2] = {ops[j], '\0'};
        if (ops[j] == '*' && has_plus) {
            size_t l = strlen(dst);
            if (l + 3 < cap) {
                memmove(dst + 1, dst, l + 1);
                dst[0] = '(';
                str_append(dst, cap, ")");
            }
        }
        kern_text(kt, sizeof kt, &ks[j]);
        str_append(dst, cap, op);
        str_append(dst, cap, kt);
        has_plus = ops[j] == '+';
    }
}

static double catmull_rom(double p0, double p1, double p2, double p3, double s)
{
    return 0.5 * (2.0 * p1 + (p2 - p0) * s + (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3) * s * s +
                  (3.0 * (p1 - p2) + p3 - p0) * s * s * s);
}

/* KernelSynth: kernels k0..k_{J-1} folded left with random + and *.  The
 * fold is expanded into a sum of products ("terms", bit masks over the
 * kernels).  Terms without white noise are smooth: their covariance on the
 * grid is built from per-term lag tables (Toeplitz when no linear kernel
 * takes part) and sampled through the Cholesky factor.  A term with white
 * noise is diagonal, delta(t-t') * prod k(t,t): independent noise with that
 * variance, added at full resolution after the interpolation. */
static int gen_gp(gen *g, double *out)
{
    gsl_rng *r = g->r;
    xf_corpus_workspace *w = g->w;
    const size_t n = g->n, gp_points = g->c->opts.gp_points;
    kern ks[GP_MAX_KERNELS];
    char ops[GP_MAX_KERNELS];
    unsigned terms[GP_MAX_KERNELS];
    int nk, nt = 1, j, t, has_smooth_kernel = 0, any_lin = 0, n_smooth = 0, h;
    size_t m, i, d;
    double jitter = 0.0, *tab = w->gp_tab, *K = w->gp_k, *f = w->gp_f;

    if (n <= gp_points) {
        h = 1;
        m = n;
    } else {
        h = (int)((n - 1 + gp_points - 2) / (gp_points - 1));
        m = (n - 1 + (size_t)h - 1) / (size_t)h + 1;
    }

    nk = rand_int(r, 1, GP_MAX_KERNELS);
    for (j = 0; j < nk; j++) {
        int type = pick(r, kernel_bank_w, K_N);
        gp_draw_kernel(r, &ks[j], type, n, h);
        if (type != K_WHITE && type != K_CONST)
            has_smooth_kernel = 1;
    }
    /* A constant or pure-noise kernel alone would give a flat or white
     * series; make the first kernel one with structure. */
    if (!has_smooth_kernel)
        gp_draw_kernel(r, &ks[0], unif(r) < 0.5 ? K_PER : K_RBF, n, h);
    ops[0] = 0;
    terms[0] = 1u;
    for (j = 1; j < nk; j++) {
        if (unif(r) < 0.5) {
            ops[j] = '+';
            terms[nt++] = 1u << j;
        } else {
            ops[j] = '*';
            for (t = 0; t < nt; t++)
                terms[t] |= 1u << j;
        }
    }

    /* Lag tables: kernel j at tab[j*m + d]; smooth term t at
     * tab[(GP_MAX_KERNELS + t)*m + d]. */
    for (j = 0; j < nk; j++)
        if (ks[j].type != K_LIN && ks[j].type != K_WHITE)
            for (d = 0; d < m; d++)
                tab[(size_t)j * m + d] = kern_lag(&ks[j], (double)d * h);
    for (j = 0; j < nk; j++)
        if (ks[j].type == K_LIN)
            for (i = 0; i < m; i++)
                w->gp_lin[(size_t)j * m + i] = (double)(i * (size_t)h) / (double)n - ks[j].a;
    for (t = 0; t < nt; t++) {
        double *tt;
        int white = 0;
        for (j = 0; j < nk; j++)
            if ((terms[t] >> j & 1u) && ks[j].type == K_WHITE)
                white = 1;
        if (white)
            continue;
        /* Compact the smooth terms to the front. */
        if (n_smooth != t) {
            unsigned tmp = terms[n_smooth];
            terms[n_smooth] = terms[t];
            terms[t] = tmp;
        }
        tt = tab + (size_t)(GP_MAX_KERNELS + n_smooth) * m;
        for (d = 0; d < m; d++)
            tt[d] = 1.0;
        for (j = 0; j < nk; j++) {
            if (!(terms[n_smooth] >> j & 1u))
                continue;
            if (ks[j].type == K_LIN) {
                any_lin = 1;
                continue;
            }
            for (d = 0; d < m; d++)
                tt[d] *= tab[(size_t)j * m + d];
        }
        n_smooth++;
    }

    for (i = 0; i < m; i++)
        f[i] = 0.0;
    if (n_smooth > 0) {
        const double *tt0 = tab + (size_t)GP_MAX_KERNELS * m;
        if (!any_lin) {
            /* Toeplitz: one combined lag table. */
            double *sum = tab; /* kernel tables are no longer needed */
            for (d = 0; d < m; d++) {
                double s = 0.0;
                for (t = 0; t < n_smooth; t++)
                    s += tt0[(size_t)t * m + d];
                sum[d] = s;
            }
            for (i = 0; i < m; i++) {
                double *row = K + i * m;
                for (d = i; d > 0; d--)
                    *row++ = sum[d];
                for (d = 0; d < m - i; d++)
                    *row++ = sum[d];
            }
        } else {
            /* lin[t][0..n_lin[t]): the linear kernels of smooth term t. */
            int lin[GP_MAX_KERNELS][GP_MAX_KERNELS], n_lin[GP_MAX_KERNELS];
            for (t = 0; t < n_smooth; t++) {
                n_lin[t] = 0;
                for (j = 0; j < nk; j++)
                    if ((terms[t] >> j & 1u) && ks[j].type == K_LIN)
                        lin[t][n_lin[t]++] = j;
            }
            for (i = 0; i < m; i++) {
                for (d = 0; d <= i; d++) {
                    size_t jj = i - d;
                    double v = 0.0;
                    for (t = 0; t < n_smooth; t++) {
                        double p = tt0[(size_t)t * m + d];
                        int l;
                        for (l = 0; l < n_lin[t]; l++) {
                            const double *vl = w->gp_lin + (size_t)lin[t][l] * m;
                            p *= ks[lin[t][l]].b + vl[i] * vl[jj];
                        }
                        v += p;
                    }
                    K[i * m + jj] = v;
                    K[jj * m + i] = v;
                }
            }
        }
        /* A relative jitter of 1e-6 (noise of 0.1% of the signal's standard
         * deviation) makes the many numerically rank-deficient kernels
         * (periodic, long RBF, linear) factorable at the first try. */
        if (xf__cholesky_jitter(K, m, m, w->gp_diag, 1e-6, 6, &jitter, NULL) != XF_OK)
            return family_gen(g, XF_CORPUS_SEASONAL, out); /* not reached in practice */
        for (i = 0; i < m; i++)
            f[i] = gauss(r);
        xf__trmv_lower(K, m, m, f, f);
    }

    /* To full resolution. */
    if (h == 1) {
        memcpy(out, f, n * sizeof *out);
    } else {
        const double hd = (double)h;
        for (i = 0; i < n; i++) {
            size_t q = i / (size_t)h, rem = i % (size_t)h;
            double p0, p3;
            if (rem == 0) {
                out[i] = f[q];
                continue;
            }
            p0 = q > 0 ? f[q - 1] : 2.0 * f[0] - f[1];
            p3 = q + 2 < m ? f[q + 2] : 2.0 * f[m - 1] - f[m - 2];
            out[i] = catmull_rom(p0, f[q], f[q + 1], p3, (double)rem / hd);
        }
    }

    /* White-noise terms. */
    if (n_smooth < nt) {
        int lin_in_white = 0;
        double var_const = 0.0;
        for (t = n_smooth; t < nt; t++)
            for (j = 0; j < nk; j++)
                if ((terms[t] >> j & 1u) && ks[j].type == K_LIN)
                    lin_in_white = 1;
        if (!lin_in_white)
            for (t = n_smooth; t < nt; t++) {
                double p = 1.0;
                for (j = 0; j < nk; j++)
                    if (terms[t] >> j & 1u)
                        p *= kern_diag(&ks[j], 0.0);
                var_const += p;
            }
        for (i = 0; i < n; i++) {
            double var = var_const;
            if (lin_in_white) {
                double u = (double)i / (double)n;
                var = 0.0;
                for (t = n_smooth; t < nt; t++) {
                    double p = 1.0;
                    for (j = 0; j < nk; j++)
                        if (terms[t] >> j & 1u)
                            p *= kern_diag(&ks[j], u);
                    var += p;
                }
            }
            out[i] += sqrt(var) * gauss(r);
        }
    }

    if (g->info != NULL) {
        xf_corpus_info *in = g->info;
        in->variant = h == 1 ? "exact" : "interpolated";
        in->n_kernels = nk;
        in->gp_step = h;
        in->gp_jitter = jitter;
        for (j = 0; j < nk; j++)
            if (ks[j].type == K_PER) {
                in->period = ks[j].a;
                break;
            }
        if (g->want_text)
            gp_text(in->kernel, sizeof in->kernel, ks, ops, nk);
    }
    return RAW_SIGNED;
}

/* ------------------------------------------------------ seasonal family */

typedef struct season_class {
    const char *name; /* sampling interval the periods correspond to */
    double p[2];      /* periods in steps: daily/weekly/yearly patterns */
    int np;           /* number of periods */
    double w;         /* probability of the class */
} season_class;

static const season_class season_classes[] = {
    {"15min", {96, 672}, 2, 0.10},   {"hourly", {24, 168}, 2, 0.28},
    {"daily", {7, 365.25}, 2, 0.28}, {"weekly", {52.1775, 0}, 1, 0.08},
    {"monthly", {12, 0}, 1, 0.14},   {"quarterly", {4, 0}, 1, 0.04},
    {"random", {0, 0}, 0, 0.08},
};
#define N_SEASON_CLASSES (sizeof season_classes / sizeof season_classes[0])

static const char *const trend_names[5] = {"none", "linear", "piecewise", "exponential", "damped"};

/* Add amp * (unit-RMS random Fourier pattern of period p) to s[0..n). */
static void add_season(gsl_rng *r, double *s, double *cycle, size_t n, double p, double amp)
{
    double a[10], b[10], rms = 0.0, decay;
    int kmax = p >= 50.0 ? 10 : 5, nh, k;
    size_t t, span;
    if (kmax > (int)(p / 2.0))
        kmax = (int)(p / 2.0);
    if (kmax < 1)
        kmax = 1;
    nh = rand_int(r, 1, kmax);
    decay = unif_ab(r, 0.5, 2.0);
    for (k = 0; k < nh; k++) {
        double sc = pow((double)(k + 1), -decay);
        a[k] = gauss(r) * sc;
        b[k] = gauss(r) * sc;
        rms += 0.5 * (a[k] * a[k] + b[k] * b[k]);
    }
    rms = sqrt(rms);
    if (!(rms > 0.0))
        rms = 1.0;
    /* Integer periods: one cycle, then copies. */
    span = (p == floor(p) && p < (double)n) ? (size_t)p : n;
    for (t = 0; t < span; t++) {
        double th = TWO_PI * (double)t / p, c1 = cos(th), s1 = sin(th), ck = c1, sk = s1, v = 0.0;
        for (k = 0; k < nh; k++) {
            double c2;
            v += a[k] * ck + b[k] * sk;
            c2 = ck * c1 - sk * s1;
            sk = sk * c1 + ck * s1;
            ck = c2;
        }
        cycle[t] = v * amp / rms;
    }
    for (t = 0; t < n; t++)
        s[t] += cycle[span == n ? t : t % span];
}

static int gen_seasonal(gen *g, double *out)
{
    gsl_rng *r = g->r;
    const size_t n = g->n;
    double cls_w[N_SEASON_CLASSES], periods[3], *S = g->w->aux, *cycle = g->w->buf;
    double tmag, sigma, lambda = 0.0, kappa = 0.0, rho = 0.0, fr = 0.0, ph = 0.0, nu, t_scale, smax;
    const season_class *cls;
    int np = 0, trend, hetero, mult, i;
    size_t t;

    for (i = 0; i < (int)N_SEASON_CLASSES; i++)
        cls_w[i] = season_classes[i].w;
    cls = &season_classes[pick(r, cls_w, (int)N_SEASON_CLASSES)];
    for (i = 0; i < cls->np; i++)
        if (cls->p[i] <= (double)n && unif(r) < 0.85)
            periods[np++] = cls->p[i];
    if (np == 0)
        for (i = 0; i < cls->np && np == 0; i++)
            if (cls->p[i] <= (double)n)
                periods[np++] = cls->p[i];
    if (np == 0)
        periods[np++] = log_unif(r, 3.0, (double)n / 3.0);
    if (np < 3 && unif(r) < 0.15)
        periods[np++] = log_unif(r, 3.0, (double)n / 3.0);

    for (t = 0; t < n; t++)
        S[t] = 0.0;
    for (i = 0; i < np; i++)
        add_season(r, S, cycle, n, periods[i], i == 0 ? 1.0 : log_unif(r, 0.15, 1.0));

    /* Trend on u = t/n, of magnitude tmag relative to the main pattern. */
    {
        static const double trend_w[5] = {0.2, 0.3, 0.2, 0.15, 0.15};
        double beta = 0.0, gr = 0.0, tau = 0.0, den = 1.0, cp[4] = {0}, dl[4] = {0};
        int ncp = 0, k;
        trend = pick(r, trend_w, 5);
        tmag = log_unif(r, 0.1, 4.0) * rand_sign(r);
        switch (trend) {
        case 1:
            beta = tmag;
            break;
        case 2:
            beta = tmag * gauss(r);
            ncp = rand_int(r, 1, 4);
            for (k = 0; k < ncp; k++) {
                cp[k] = unif_ab(r, 0.1, 0.9);
                dl[k] = 1.5 * fabs(tmag) * gauss(r);
            }
            break;
        case 3:
            gr = unif_ab(r, 1.0, 5.0) * rand_sign(r);
            den = expm1(gr);
            break;
        case 4:
            tau = log_unif(r, 0.05, 0.5);
            break;
        default:
            break;
        }
        for (t = 0; t < n; t++) {
            double u = (double)t / (double)n, v = 0.0;
            switch (trend) {
            case 1:
                v = beta * u;
                break;
            case 2:
                v = beta * u;
                for (k = 0; k < ncp; k++)
                    if (u > cp[k])
                        v += dl[k] * (u - cp[k]);
                break;
            case 3:
                v = tmag * expm1(gr * u) / den;
                break;
            case 4:
                v = tmag * -expm1(-u / tau);
                break;
            default:
                break;
            }
            out[t] = v;
        }
    }

    /* Noise: constant, pattern-linked or slowly varying scale. */
    {
        static const double hetero_w[3] = {0.4, 0.3, 0.3};
        sigma = log_unif(r, 0.03, 0.5);
        nu = draw_nu(r, 0.3, &t_scale);
        hetero = pick(r, hetero_w, 3);
        if (hetero == 1)
            kappa = unif_ab(r, 0.5, 2.0);
        else if (hetero == 2) {
            rho = unif_ab(r, 0.3, 1.0);
            fr = unif_ab(r, 0.5, 3.0);
            ph = unif(r);
        }
    }
    smax = 0.0;
    for (t = 0; t < n; t++)
        if (fabs(S[t]) > smax)
            smax = fabs(S[t]);
    if (!(smax > 0.0))
        smax = 1.0;
    mult = unif(r) < 0.45;
    if (mult)
        lambda = log_unif(r, 0.05, 0.5);
    for (t = 0; t < n; t++) {
        double sd = sigma, y;
        if (hetero == 1)
            sd *= 1.0 + kappa * fabs(S[t]) / smax;
        else if (hetero == 2)
            sd *= exp(rho * sin(TWO_PI * (fr * (double)t / (double)n + ph)));
        y = out[t] + S[t] + sd * innov(r, nu, t_scale);
        out[t] = mult ? exp(lambda * y) : y;
    }

    if (g->info != NULL) {
        xf_corpus_info *in = g->info;
        in->variant = cls->name;
        in->period = periods[0];
        in->n_periods = np;
        for (i = 0; i < np; i++)
            in->periods[i] = periods[i];
        in->multiplicative = mult;
        in->trend = trend_names[trend];
    }
    return mult ? RAW_POSITIVE : RAW_SIGNED;
}

/* ---------------------------------------------------------- ARMA family */

/* Map partial autocorrelations kappa[0..p) (each in (-1,1)) to the
 * coefficients of a stationary AR(p) (Durbin-Levinson, Barndorff-Nielsen
 * and Schou 1973): every such AR polynomial is stable. */
static void pacf_to_ar(const double *kappa, int p, double *phi)
{
    double tmp[3];
    int k, j;
    for (k = 0; k < p; k++) {
        for (j = 0; j < k; j++)
            tmp[j] = phi[j] - kappa[k] * phi[k - 1 - j];
        for (j = 0; j < k; j++)
            phi[j] = tmp[j];
        phi[k] = kappa[k];
    }
}

static int gen_arma(gen *g, double *out)
{
    static const double lags[5] = {4, 7, 12, 24, 52};
    gsl_rng *r = g->r;
    const size_t n = g->n;
    double kappa[3], ar[3] = {0}, ma[3] = {0}, sar = 0.0, nu, t_scale;
    double *a = g->w->buf, *e = g->w->aux;
    int p = rand_int(r, 0, 3), q = rand_int(r, 0, 3), k, j, lag = 0;
    size_t burn, N, t;

    if (p == 0 && q == 0)
        p = 1;
    /* Mostly positive first-order persistence, as in real series. */
    kappa[0] = unif(r) < 0.7 ? unif_ab(r, 0.3, 0.98) : unif_ab(r, -0.8, 0.3);
    for (k = 1; k < p; k++)
        kappa[k] = unif_ab(r, -0.8, 0.8);
    pacf_to_ar(kappa, p, ar);
    /* The same map makes 1 - sum c_j B^j invertible; ma = -c. */
    for (k = 0; k < q; k++)
        kappa[k] = unif_ab(r, -0.9, 0.9);
    pacf_to_ar(kappa, q, ma);
    for (k = 0; k < q; k++)
        ma[k] = -ma[k];
    if (unif(r) < 0.35) {
        int nl = 0;
        for (k = 0; k < 5; k++)
            if (lags[k] * 4.0 <= (double)n)
                nl++;
        if (nl > 0) {
            lag = (int)lags[rand_int(r, 0, nl - 1)];
            sar = unif_ab(r, 0.3, 0.9) * (unif(r) < 0.15 ? -1.0 : 1.0);
        }
    }
    nu = draw_nu(r, 0.2, &t_scale);

    burn = ARMA_BURN(lag);
    N = n + burn;
    for (t = 0; t < N; t++) {
        double v;
        e[t] = innov(r, nu, t_scale);
        v = e[t];
        for (j = 0; j < q && (size_t)j < t; j++)
            v += ma[j] * e[t - 1 - (size_t)j];
        for (j = 0; j < p && (size_t)j < t; j++)
            v += ar[j] * a[t - 1 - (size_t)j];
        a[t] = v;
    }
    if (lag > 0)
        for (t = (size_t)lag; t < N; t++)
            a[t] += sar * a[t - (size_t)lag];
    memcpy(out, a + burn, n * sizeof *out);

    if (g->info != NULL) {
        xf_corpus_info *in = g->info;
        in->variant = lag > 0 ? "sarma" : "arma";
        in->ar_order = p;
        in->ma_order = q;
        for (k = 0; k < 3; k++) {
            in->ar[k] = ar[k];
            in->ma[k] = ma[k];
        }
        in->seasonal_lag = lag;
        in->seasonal_ar = sar;
        in->period = (double)lag;
    }
    return RAW_SIGNED;
}

/* --------------------------------------------------- random-walk family */

static int gen_random_walk(gen *g, double *out)
{
    static const double variant_w[3] = {0.35, 0.30, 0.35};
    static const char *const variant_names[3] = {"drift", "garch", "price"};
    gsl_rng *r = g->r;
    const size_t n = g->n;
    int v = pick(r, variant_w, 3);
    double vol = 1.0, mu, alpha = 0.0, beta = 0.0, omega, s2, x = 0.0, nu, t_scale;
    size_t t;

    if (v == 2) {
        vol = log_unif(r, 0.004, 0.04);
        mu = vol * (0.02 + 0.05 * gauss(r));
        /* At most a factor e^4 of growth from the drift, whatever the length. */
        if (fabs(mu) * (double)n > 4.0)
            mu = (mu > 0.0 ? 4.0 : -4.0) / (double)n;
    } else {
        mu = unif(r) < 0.5 ? 0.0 : 0.05 * gauss(r);
    }
    if (v == 1 || (v == 2 && unif(r) < 0.7)) {
        alpha = unif_ab(r, 0.03, 0.2);
        beta = unif_ab(r, 0.7, 0.97 - alpha);
    }
    nu = draw_nu(r, 0.4, &t_scale);
    /* Unconditional variance vol^2: omega = vol^2 (1 - alpha - beta). */
    omega = vol * vol * (1.0 - alpha - beta);
    s2 = vol * vol;
    for (t = 0; t < n; t++) {
        double eps = sqrt(s2) * innov(r, nu, t_scale);
        if (t > 0)
            x += mu + eps;
        out[t] = x;
        s2 = omega + alpha * eps * eps + beta * s2;
    }
    if (v == 2) {
        /* Price = exp(log price), centred so that exp cannot overflow (the
         * level is set by post() anyway). */
        double lo = out[0], hi = out[0], mid;
        for (t = 1; t < n; t++) {
            lo = out[t] < lo ? out[t] : lo;
            hi = out[t] > hi ? out[t] : hi;
        }
        mid = 0.5 * (lo + hi);
        for (t = 0; t < n; t++)
            out[t] = exp(out[t] - mid);
    }

    if (g->info != NULL) {
        xf_corpus_info *in = g->info;
        in->variant = variant_names[v];
        in->drift = mu;
        in->volatility = vol;
        in->garch_alpha = alpha;
        in->garch_beta = beta;
    }
    return v == 2 ? RAW_POSITIVE : RAW_SIGNED;
}

/* -------------------------------------------------- intermittent family */

static int gen_intermittent(gen *g, double *out)
{
    static const double variant_w[3] = {0.45, 0.30, 0.25};
    static const char *const variant_names[3] = {"counts", "clustered", "rain"};
    static const double occ_periods[3] = {7, 24, 12};
    gsl_rng *r = g->r;
    const size_t n = g->n;
    int v = pick(r, variant_w, 3), on = 0, any = 0;
    double p = log_unif(r, 0.02, 0.35), lam = 0.0, rho = 0.0, pi_on = 0.0, nb_n = 0.0, nb_p = 0.0;
    double shape = 0.0, scale = 0.0, amp = 0.0, per = 0.0, phase = 0.0;
    size_t t;

    if (unif(r) < 0.3) {
        per = occ_periods[rand_int(r, 0, 2)];
        amp = unif_ab(r, 0.3, 0.9);
        phase = unif(r) * TWO_PI;
    }
    switch (v) {
    case 0:
        lam = log_unif(r, 0.1, 8.0);
        break;
    case 1: {
        double mean = log_unif(r, 0.5, 20.0);
        rho = unif_ab(r, 0.5, 0.9);
        /* Stationary share of "on" steps = p. */
        pi_on = p * (1.0 - rho) / (1.0 - p);
        nb_n = unif_ab(r, 0.5, 5.0);
        nb_p = nb_n / (nb_n + mean);
        break;
    }
    default:
        shape = unif_ab(r, 0.5, 2.0);
        scale = log_unif(r, 0.5, 20.0);
        break;
    }
    for (t = 0; t < n; t++) {
        double pt = p, u;
        if (amp > 0.0)
            pt *= 1.0 + amp * sin(TWO_PI * (double)t / per + phase);
        u = unif(r);
        switch (v) {
        case 0:
            out[t] = u < pt ? 1.0 + (double)gsl_ran_poisson(r, lam) : 0.0;
            break;
        case 1:
            on = on ? u < rho : u < pi_on * (pt / p);
            out[t] = on ? 1.0 + (double)gsl_ran_negative_binomial(r, nb_p, nb_n) : 0.0;
            break;
        default:
            out[t] = u < pt ? gsl_ran_gamma(r, shape, scale) : 0.0;
            break;
        }
        if (out[t] > 0.0)
            any = 1;
    }
    /* An all-zero series is flat: useless for pretraining. */
    if (!any)
        out[rand_int(r, 0, (int)(n - 1))] = 1.0 + (double)gsl_ran_poisson(r, 2.0);

    if (g->info != NULL) {
        xf_corpus_info *in = g->info;
        in->variant = variant_names[v];
        in->occurrence = p;
        in->period = per;
    }
    return v == 2 ? RAW_POSITIVE : RAW_COUNTS;
}

/* ------------------------------------------------------- mixture family */

static int gen_mixture(gen *g, double *out)
{
    gsl_rng *r = g->r;
    const size_t n = g->n;
    xf_corpus_info *info = g->info;
    xf_corpus_family fam[3];
    double wt[3], total = 0.0;
    int k = unif(r) < 0.6 ? 2 : 3, i, j;
    size_t t;

    for (i = 0; i < k; i++) {
        fam[i] = (xf_corpus_family)pick(r, g->c->base_w, XF_CORPUS_N_FAMILIES);
        wt[i] = gsl_ran_exponential(r, 1.0) + 1e-12; /* Dirichlet(1, ..., 1) */
        total += wt[i];
    }
    for (i = 0; i < k; i++)
        wt[i] /= total;
    for (i = 1; i < k; i++) /* largest weight first */
        for (j = i; j > 0 && wt[j] > wt[j - 1]; j--) {
            double tw = wt[j];
            xf_corpus_family tf = fam[j];
            wt[j] = wt[j - 1];
            fam[j] = fam[j - 1];
            wt[j - 1] = tw;
            fam[j - 1] = tf;
        }

    for (t = 0; t < n; t++)
        out[t] = 0.0;
    for (i = 0; i < k; i++) {
        double *comp = g->w->comp, mean, sd;
        g->info = i == 0 ? info : NULL;
        family_gen(g, fam[i], comp);
        mean_sd(comp, n, &mean, &sd);
        if (!(sd > 0.0))
            sd = 1.0;
        for (t = 0; t < n; t++)
            out[t] += wt[i] * (comp[t] - mean) / sd;
    }
    g->info = info;
    if (info != NULL) {
        info->n_components = k;
        for (i = 0; i < k; i++) {
            info->component[i] = fam[i];
            info->component_weight[i] = wt[i];
        }
    }
    return RAW_SIGNED;
}

static int family_gen(gen *g, xf_corpus_family f, double *out)
{
    switch (f) {
    case XF_CORPUS_GP:
        return gen_gp(g, out);
    case XF_CORPUS_SEASONAL:
        return gen_seasonal(g, out);
    case XF_CORPUS_ARMA:
        return gen_arma(g, out);
    case XF_CORPUS_RANDOM_WALK:
        return gen_random_walk(g, out);
    case XF_CORPUS_INTERMITTENT:
        return gen_intermittent(g, out);
    default:
        return gen_mixture(g, out);
    }
}

/* ------------------------------------------------------- post-processing */

/* Level shifts, spikes, then scale and offset. */
static void post(gen *g, double *x, int kind, int overlays, xf_corpus_info *in)
{
    gsl_rng *r = g->r;
    const xf_corpus_options *o = &g->c->opts;
    const size_t n = g->n;
    double mean, sd, s;
    size_t t;
    int k, cnt;

    if (overlays) {
        if (unif(r) < o->level_shift_prob) {
            cnt = rand_int(r, 1, 3);
            mean_sd(x, n, &mean, &sd);
            for (k = 0; k < cnt; k++) {
                size_t t0 = (size_t)((double)n * unif_ab(r, 0.1, 0.9));
                double jump = rand_sign(r);
                if (kind == RAW_POSITIVE) {
                    jump = exp(jump * unif_ab(r, 0.1, 0.7));
                    for (t = t0; t < n; t++)
                        x[t] *= jump;
                } else {
                    jump *= unif_ab(r, 0.5, 3.0) * sd;
                    for (t = t0; t < n; t++)
                        x[t] += jump;
                }
            }
            in->n_level_shifts = cnt;
        }
        if (unif(r) < o->outlier_prob) {
            cnt = 1 + (int)gsl_ran_poisson(r, (double)n * log_unif(r, 0.001, 0.01));
            mean_sd(x, n, &mean, &sd);
            for (k = 0; k < cnt; k++) {
                t = (size_t)rand_int(r, 0, (int)(n - 1));
                if (kind == RAW_POSITIVE) {
                    double f = unif_ab(r, 1.5, 5.0);
                    x[t] = unif(r) < 0.3 ? x[t] / f : x[t] * f;
                } else {
                    x[t] += rand_sign(r) * unif_ab(r, 3.0, 8.0) * sd;
                }
            }
            in->n_spikes = cnt;
        }
    }

    in->scale = 1.0;
    in->offset = 0.0;
    if (kind == RAW_COUNTS)
        return;
    mean_sd(x, n, &mean, &sd);
    s = log_unif(r, 1e-2, 1e4);
    if (kind == RAW_POSITIVE) {
        if (mean > 0.0) {
            in->scale = s / mean;
            for (t = 0; t < n; t++)
                x[t] *= in->scale;
        }
        return;
    }
    /* Signed: standardise, then y = s z + off; a third of these series are
     * moved above zero. */
    {
        double off;
        if (!(sd > 0.0))
            sd = 1.0;
        off = standardise_shift(r, x, n, s, mean, sd);
        in->scale = s / sd;
        in->offset = off - s * mean / sd;
    }
}

/* Alternating renewal process: observed stretches of mean Lo and missing
 * runs of mean Lm, so that the expected missing share is Lm / (Lo + Lm) =
 * rate.  Lm is raised to rate / (1 - rate) when needed to keep Lo >= 1. */
static size_t add_missing(gen *g, double *x, uint8_t *obs)
{
    gsl_rng *r = g->r;
    const double rate = g->c->opts.missing_rate;
    double lm = g->c->opts.missing_run_mean, lo;
    const size_t n = g->n;
    size_t t = 0, n_missing = 0;
    int missing;

    if (obs != NULL)
        memset(obs, 1, n);
    if (!(rate > 0.0))
        return 0;
    if (lm < rate / (1.0 - rate))
        lm = rate / (1.0 - rate);
    lo = lm * (1.0 - rate) / rate;
    missing = unif(r) < rate;
    while (t < n) {
        size_t len = geom_len(r, missing ? lm : lo, n - t), e = t + len;
        if (missing) {
            for (; t < e; t++) {
                x[t] = NAN;
                if (obs != NULL)
                    obs[t] = 0;
            }
            n_missing += len;
        }
        t = e;
        missing = !missing;
    }
    return n_missing;
}

/* ======================================================== version 2 */

/* A version-2 sample is a whole series of its own realistic length on a
 * calendar.  Mixture (kind_weights defaults, also in corpus.h and
 * models/README.md), then calendars per kind and natural lengths:
 *
 *   kind          weight  calendars (weight)                          variants
 *   seasonal      0.20    quarterly .12, monthly .20, weekly .10,     additive 60%,
 *                         daily .18, hourly .22, half-hourly .13,     multiplicative 40%
 *                         15-minute .05
 *   energy        0.14    hourly .45, half-hourly .30, daily .20,     load .60, building .25,
 *                         15-minute .05                               gas .15 (covariate:
 *                                                                     temperature)
 *   weather       0.12    hourly .45, daily .40, monthly .15          temperature .70,
 *                                                                     radiation .30
 *   stock         0.12    business-day 1                              price .60, returns .25,
 *                                                                     volume .15
 *   intermittent  0.10    daily .50, weekly .30, monthly .20          croston .40, lumpy .25,
 *                                                                     obsolescent .15,
 *                                                                     seasonal .20
 *   trend         0.10    quarterly .25, monthly .35, weekly .15,     damped .55,
 *                         daily .25                                   saturating .20,
 *                                                                     changepoints .25
 *   level_shift   0.07    monthly .20, weekly .20, daily .30,         permanent .50,
 *                         hourly .30                                  temporary .25, ramps .25
 *   generic       0.15    none                                        v1 family: GP .35,
 *                                                                     ARMA .20, random walk
 *                                                                     .15, seasonal .10,
 *                                                                     mixture .20
 *
 *   calendar      periods (steps)   natural length (log-uniform)
 *   quarterly     4                 50 - 200
 *   monthly       12                50 - 600
 *   weekly        52                50 - 1000
 *   daily         7, 365.25         60 - 5000
 *   business-day  5 (week), 252     250 - 5000
 *   hourly        24, 168           100 - 5000
 *   half-hourly   48, 336           100 - 5000
 *   15-minute     96, 672           200 - 5000
 *   none          -                 50 - 5000
 *
 * Overlays after the kind's generator: level shifts with probability 0.1
 * (seasonal, trend), 0.05 (energy); spikes with probability 0.1 (seasonal,
 * trend, energy, level_shift), 0.05 (weather); the generic kind gets v1's
 * (level_shift_prob, outlier_prob); then missing stretches at missing_rate
 * for every kind.  Every draw comes from an RNG seeded from (seed, index)
 * alone (another stream than version 1's), in a fixed order: first the
 * kind, the calendar and the natural length (xf_corpus_sample_length
 * replays only these), then the series. */

enum v2_cal_id {
    CAL_NONE = 0,
    CAL_QUARTERLY,
    CAL_MONTHLY,
    CAL_WEEKLY,
    CAL_DAILY,
    CAL_BDAY,
    CAL_HOURLY,
    CAL_HALFHOURLY,
    CAL_15MIN,
    N_CALS
};

typedef struct v2_cal {
    const char *name;
    double p[2];           /* periods in steps: shorter (week or year) first */
    int np;                /* number of periods */
    double lo, hi;         /* natural length range */
    int steps_per_day;     /* sub-daily and daily calendars: steps per day; else 0 */
    double steps_per_year; /* for annual cycles */
} v2_cal;

static const v2_cal v2_cals[N_CALS] = {
    {"none", {0, 0}, 0, 50, 5000, 0, 0},
    {"quarterly", {4, 0}, 1, 50, 200, 0, 4},
    {"monthly", {12, 0}, 1, 50, 600, 0, 12},
    {"weekly", {52, 0}, 1, 50, 1000, 0, 52.1775},
    {"daily", {7, 365.25}, 2, 60, 5000, 1, 365.25},
    {"business-day", {5, 252}, 2, 250, 5000, 1, 252},
    {"hourly", {24, 168}, 2, 100, 5000, 24, 8766},
    {"half-hourly", {48, 336}, 2, 100, 5000, 48, 17532},
    {"15-minute", {96, 672}, 2, 200, 5000, 96, 35064},
};

/* Calendar weights of each kind, in enum v2_cal_id order. */
static const double v2_cal_w[XF_CORPUS_N_KINDS][N_CALS] = {
    /* none  Q     M     W     D     B     H     HH    15m */
    {0, 0.12, 0.20, 0.10, 0.18, 0, 0.22, 0.13, 0.05}, /* seasonal */
    {0, 0, 0, 0, 0.20, 0, 0.45, 0.30, 0.05},          /* energy */
    {0, 0, 0.15, 0, 0.40, 0, 0.45, 0, 0},             /* weather */
    {0, 0, 0, 0, 0, 1, 0, 0, 0},                      /* stock */
    {0, 0, 0.20, 0.30, 0.50, 0, 0, 0, 0},             /* intermittent */
    {0, 0.25, 0.35, 0.15, 0.25, 0, 0, 0, 0},          /* trend */
    {0, 0, 0.20, 0.20, 0.30, 0, 0.30, 0, 0},          /* level_shift */
    {1, 0, 0, 0, 0, 0, 0, 0, 0},                      /* generic */
};

static const char *const kind_names[XF_CORPUS_N_KINDS] = {
    "seasonal", "energy", "weather", "stock", "intermittent", "trend", "level_shift", "generic",
};

const char *xf_corpus_kind_name(xf_corpus_kind kind)
{
    if ((int)kind < 0 || (int)kind >= XF_CORPUS_N_KINDS)
        return "unknown";
    return kind_names[kind];
}

void xf_corpus_sample_info_init(xf_corpus_sample_info *info)
{
    if (info == NULL)
        return;
    memset(info, 0, sizeof *info);
    info->struct_size = sizeof *info;
}

/* What is drawn first: kind, calendar, natural length. */
typedef struct v2_plan {
    int kind;
    int cal;
    size_t natural;
} v2_plan;

static void v2_seed(const xf_corpus *c, xrng_state *st, uint64_t idx)
{
    uint64_t seed = c->key2 ^ idx;
    xrng_seed(st, splitmix64(&seed));
}

static void v2_draw_plan(const xf_corpus *c, gsl_rng *r, v2_plan *pl)
{
    const v2_cal *cal;
    double L;
    pl->kind = pick(r, c->kind_w, XF_CORPUS_N_KINDS);
    pl->cal = pick(r, v2_cal_w[pl->kind], N_CALS);
    cal = &v2_cals[pl->cal];
    L = floor(log_unif(r, cal->lo, cal->hi + 1.0));
    if (L < XF_CORPUS_V2_MIN_LENGTH)
        L = XF_CORPUS_V2_MIN_LENGTH;
    if (L > XF_CORPUS_V2_MAX_LENGTH)
        L = XF_CORPUS_V2_MAX_LENGTH;
    pl->natural = (size_t)L;
}

size_t xf_corpus_sample_length(const xf_corpus *c, uint64_t index)
{
    xrng_state st;
    gsl_rng r;
    v2_plan pl;
    if (c == NULL)
        return 0;
    if (c->opts.version != XF_CORPUS_VERSION_2)
        return c->opts.length;
    r.type = &xrng_type;
    r.state = &st;
    v2_seed(c, &st, index);
    v2_draw_plan(c, &r, &pl);
    return pl.natural;
}

int xf_corpus_sample_plan(const xf_corpus *c, uint64_t index, xf_corpus_kind *kind,
                          const char **calendar, size_t *length)
{
    xrng_state st;
    gsl_rng r;
    v2_plan pl;
    if (c == NULL)
        return XF_EINVAL;
    if (c->opts.version != XF_CORPUS_VERSION_2) {
        if (kind != NULL)
            *kind = XF_CORPUS_KIND_GENERIC;
        if (calendar != NULL)
            *calendar = "none";
        if (length != NULL)
            *length = c->opts.length;
        return XF_OK;
    }
    r.type = &xrng_type;
    r.state = &st;
    v2_seed(c, &st, index);
    v2_draw_plan(c, &r, &pl);
    if (kind != NULL)
        *kind = (xf_corpus_kind)pl.kind;
    if (calendar != NULL)
        *calendar = v2_cals[pl.cal].name;
    if (length != NULL)
        *length = pl.natural;
    return XF_OK;
}

/* State of a version-2 sample, beside the v1 generation state. */
typedef struct v2_gen {
    gen g;                     /* RNG, workspace, length n; g.info for the generic kind */
    const v2_cal *cal;         /* the calendar */
    xf_corpus_sample_info *si; /* what is filled in */
    double *cov;               /* covariate buffer (n), or NULL */
    double day0;               /* day of the year at t = 0, [0, 365.25) */
    int dow0;                  /* day of the week at t = 0 (0 = Monday) */
} v2_gen;

/* Stationary AR(1) with coefficient phi and marginal standard deviation sd,
 * added to x[0..n). */
static void v2_add_ar1(gsl_rng *r, double *x, size_t n, double phi, double sd)
{
    double a = sd * gauss(r), e = sd * sqrt(1.0 - phi * phi);
    size_t t;
    for (t = 0; t < n; t++) {
        if (t > 0)
            a = phi * a + e * gauss(r);
        x[t] += a;
    }
}

/* Standardise x and map it to s * z + offset, the offset chosen as v1's
 * post() does: centred, shifted, or moved above zero. */
static void v2_scale_signed(gsl_rng *r, double *x, size_t n)
{
    double mean, sd, s = log_unif(r, 1e-2, 1e4);
    mean_sd(x, n, &mean, &sd);
    if (!(sd > 0.0))
        sd = 1.0;
    (void)standardise_shift(r, x, n, s, mean, sd);
}

/* Multiply a positive series so that its mean is log-uniform in [lo, hi]. */
static void v2_scale_positive(gsl_rng *r, double *x, size_t n, double lo, double hi)
{
    double mean, sd, s = log_unif(r, lo, hi);
    size_t t;
    mean_sd(x, n, &mean, &sd);
    if (!(mean > 0.0))
        return;
    for (t = 0; t < n; t++)
        x[t] *= s / mean;
}

/* Active periods of a seasonal series on the calendar: both, the first or
 * the second, among those of which the series holds two cycles (else the
 * shortest). */
static int v2_periods(v2_gen *v, double *p)
{
    const v2_cal *cal = v->cal;
    double u = unif(v->g.r), half = (double)v->g.n / 2.0;
    int np = 0, i;
    for (i = 0; i < cal->np; i++) {
        int want = cal->np == 1 || (u < 0.5) || (u < 0.8 ? i == 0 : i == 1);
        if (want && cal->p[i] <= half)
            p[np++] = cal->p[i];
    }
    if (np == 0 && cal->np > 0)
        p[np++] = cal->p[0];
    return np;
}

/* Seasonal kind. */
static int v2_seasonal(v2_gen *v, double *out)
{
    gsl_rng *r = v->g.r;
    const size_t n = v->g.n;
    double p[2], *S = v->g.w->aux, *cycle = v->g.w->buf, mod = 0.0, mph = 0.0, mfr = 0.0;
    double tmag, phi_e, sigma, lambda = 0.0, tau = 1.0, level = 0.0, sl = 0.0, b0 = 0.0;
    int np = v2_periods(v, p), i, trend, mult;
    size_t t;

    for (t = 0; t < n; t++)
        S[t] = 0.0;
    for (i = 0; i < np; i++)
        add_season(r, S, cycle, n, p[i], i == 0 ? 1.0 : log_unif(r, 0.2, 1.0));
    if (unif(r) < 0.5) { /* the pattern's amplitude drifts slowly */
        mod = unif_ab(r, 0.05, 0.3);
        mfr = unif_ab(r, 0.3, 2.0);
        mph = unif(r);
    }
    {
        static const double trend_w[4] = {0.30, 0.20, 0.35, 0.15}; /* none linear damped local */
        trend = pick(r, trend_w, 4);
    }
    tmag = log_unif(r, 0.1, 3.0) * rand_sign(r);
    if (trend == 2) { /* slope b0 damped by phi = exp(-1/tau): asymptotic change tmag */
        tau = log_unif(r, 0.02 * (double)n, 0.5 * (double)n);
        b0 = tmag * (1.0 - exp(-1.0 / tau)) / exp(-1.0 / tau);
    } else if (trend == 3) {
        sl = log_unif(r, 0.005, 0.05);
    }
    phi_e = unif_ab(r, 0.0, 0.8);
    sigma = log_unif(r, 0.05, 0.5);
    mult = unif(r) < 0.4;
    if (mult)
        lambda = log_unif(r, 0.05, 0.4);
    {
        double b = b0, phi = exp(-1.0 / tau), cum = 0.0;
        for (t = 0; t < n; t++) {
            double u = (double)t / (double)n, tr = 0.0, m = 1.0;
            if (mod > 0.0)
                m += mod * sin(TWO_PI * (mfr * u + mph));
            if (trend == 1)
                tr = tmag * u;
            else if (trend == 2) {
                tr = cum;
                b *= phi;
                cum += b;
            } else if (trend == 3) {
                if (t > 0)
                    level += sl * gauss(r);
                tr = level;
            }
            out[t] = tr + m * S[t];
        }
    }
    v2_add_ar1(r, out, n, phi_e, sigma);
    if (mult)
        for (t = 0; t < n; t++)
            out[t] = exp(lambda * out[t]);
    if (mult)
        v2_scale_positive(r, out, n, 1e-1, 1e4);
    else
        v2_scale_signed(r, out, n);
    v->si->variant = mult ? "multiplicative" : "additive";
    v->si->n_periods = np;
    for (i = 0; i < np; i++)
        v->si->periods[i] = p[i];
    v->si->persistence = phi_e;
    return mult ? RAW_POSITIVE : RAW_SIGNED;
}

/* Temperature on the calendar (deg C) into T[0..n): annual cycle, a daily
 * cycle on sub-daily calendars (wider in summer), persistent AR(1)
 * anomalies (coefficient per day phi_d) and a little measurement noise.
 * Returns phi_d. */
static double v2_temperature(v2_gen *v, double *T)
{
    gsl_rng *r = v->g.r;
    const size_t n = v->g.n;
    const v2_cal *cal = v->cal;
    double mean = unif_ab(r, -5.0, 25.0), ay = unif_ab(r, 2.0, 15.0);
    double peak = 200.0 + 15.0 * gauss(r) + (unif(r) < 0.2 ? 182.6 : 0.0);
    double ad = unif_ab(r, 2.0, 7.0), hpeak = unif_ab(r, 13.0, 16.0);
    double phi_d = unif_ab(r, 0.6, 0.95), sd_a = unif_ab(r, 1.5, 4.0), noise = unif_ab(r, 0.1, 0.5);
    double spd = cal->steps_per_day > 0 ? (double)cal->steps_per_day : 0.0, phi;
    size_t t;

    for (t = 0; t < n; t++)
        T[t] = 0.0;
    if (spd > 0.0) {
        phi = pow(phi_d, 1.0 / spd);
        v2_add_ar1(r, T, n, phi, sd_a);
    } else { /* monthly: anomalies of monthly means, less persistent */
        phi_d = unif_ab(r, 0.2, 0.6);
        v2_add_ar1(r, T, n, phi_d, sd_a * 0.5);
    }
    for (t = 0; t < n; t++) {
        double day, annual, y;
        if (spd > 0.0)
            day = v->day0 + (double)t / spd;
        else
            day = v->day0 + 365.25 * (double)t / cal->steps_per_year;
        annual = cos(TWO_PI * (day - peak) / 365.25);
        y = mean + ay * annual + T[t] + noise * gauss(r);
        if (spd > 1.0) {
            double hour = 24.0 * fmod((double)t, spd) / spd;
            y += ad * (1.0 + 0.3 * annual) * cos(TWO_PI * (hour - hpeak) / 24.0);
        }
        T[t] = y;
    }
    return phi_d;
}

/* Weather kind: temperature, or solar radiation (W/m2 hourly, daily totals
 * otherwise). */
static int v2_weather(v2_gen *v, double *out)
{
    gsl_rng *r = v->g.r;
    const size_t n = v->g.n;
    const v2_cal *cal = v->cal;
    int radiation = cal->steps_per_day > 0 && unif(r) < 0.3;
    size_t t;

    v->si->n_periods = 0;
    if (!radiation) {
        v->si->persistence = v2_temperature(v, out);
        v->si->variant = "temperature";
    } else {
        double imax = unif_ab(r, 600.0, 1000.0), swing = unif_ab(r, 0.2, 0.45);
        double dl_amp = unif_ab(r, 1.0, 5.0), phi_d = unif_ab(r, 0.3, 0.85),
               csd = unif_ab(r, 0.5, 1.5);
        double cmean = unif_ab(r, -0.5, 1.5), spd = (double)cal->steps_per_day, phi,
               *cl = v->g.w->aux;
        for (t = 0; t < n; t++)
            cl[t] = 0.0;
        phi = pow(phi_d, 1.0 / spd);
        v2_add_ar1(r, cl, n, phi, csd);
        for (t = 0; t < n; t++) {
            double day = v->day0 + (double)t / spd, annual = cos(TWO_PI * (day - 172.0) / 365.25);
            double cloud = 1.0 / (1.0 + exp(-(cmean + cl[t]))); /* share of clear sky */
            /* (1 - swing) + swing * annual >= 0.1: never negative */
            double peak = imax * (1.0 - swing + swing * annual) * (0.15 + 0.85 * cloud);
            if (spd > 1.0) {
                double hour = 24.0 * fmod((double)t, spd) / spd, dlen = 12.0 + dl_amp * annual;
                double x = (hour - (12.0 - dlen / 2.0)) / dlen;
                out[t] = x > 0.0 && x < 1.0 ? peak * sin(PI * x) : 0.0;
            } else {
                out[t] = peak * (12.0 + dl_amp * annual) * 0.64 * 3.6e-3; /* MJ/m2 a day */
            }
        }
        v->si->persistence = phi_d;
        v->si->variant = "radiation";
    }
    if (cal->steps_per_day > 1) {
        v->si->periods[v->si->n_periods++] = (double)cal->steps_per_day;
        if (n >= (size_t)(2.0 * cal->steps_per_year) && v->si->n_periods < 2)
            v->si->periods[v->si->n_periods++] = cal->steps_per_year;
    } else if (n >= (size_t)(2.0 * cal->steps_per_year)) {
        v->si->periods[v->si->n_periods++] = cal->steps_per_year;
    }
    return radiation ? RAW_POSITIVE : RAW_SIGNED;
}

/* A unit-RMS daily load shape of P steps (P <= 96) into cyc: a night
 * trough, a morning and an evening peak (times, widths and heights drawn;
 * a weekend's morning peak comes later and lower), blended with a random
 * Fourier shape (share `rough`), centred. */
static void v2_day_shape(gsl_rng *r, double *cyc, int P, int weekend, double rough)
{
    double tmp[96], rnd[96], trough = unif_ab(r, 2.5, 5.0), am = unif_ab(r, 7.0, 9.5);
    double pm = unif_ab(r, 17.0, 20.0), wam = unif_ab(r, 1.0, 2.5), wpm = unif_ab(r, 1.0, 3.0);
    double ham = unif_ab(r, 0.1, 0.5), hpm = unif_ab(r, 0.2, 0.8), mean = 0.0, rms = 0.0;
    int k;
    if (weekend) {
        am += unif_ab(r, 1.0, 2.5);
        ham *= unif_ab(r, 0.3, 0.8);
    }
    for (k = 0; k < P; k++)
        rnd[k] = 0.0;
    add_season(r, rnd, tmp, (size_t)P, (double)P, 1.0);
    for (k = 0; k < P; k++) {
        double h = 24.0 * (double)k / (double)P, da = h - am, dp = h - pm;
        cyc[k] = -0.5 * cos(TWO_PI * (h - trough) / 24.0) +
                 ham * exp(-0.5 * da * da / (wam * wam)) + hpm * exp(-0.5 * dp * dp / (wpm * wpm));
        mean += cyc[k] / (double)P;
    }
    for (k = 0; k < P; k++)
        rms += (cyc[k] - mean) * (cyc[k] - mean) / (double)P;
    rms = rms > 0.0 ? sqrt(rms) : 1.0;
    for (k = 0; k < P; k++)
        cyc[k] = (1.0 - rough) * (cyc[k] - mean) / rms + rough * rnd[k];
}

/* Energy kind: load = base x daily profile (weekday / Saturday / Sunday,
 * holidays like Sundays) x (1 + heating + cooling on the smoothed
 * temperature) x exp(growth + AR(1) noise).  The temperature is the
 * covariate. */
static int v2_energy(v2_gen *v, double *out)
{
    static const double var_w[3] = {0.60, 0.25, 0.15};
    static const char *const var_names[3] = {"load", "building", "gas"};
    gsl_rng *r = v->g.r;
    const size_t n = v->g.n;
    const v2_cal *cal = v->cal;
    const int spd = cal->steps_per_day;
    double *T = v->cov != NULL ? v->cov : v->g.w->comp;
    double wk[96], we[96], dowf[7], a_wk, a_we, mix, l_we, th, tc, bh, bc, alpha, ts;
    double growth, phi_n, sd_n, hol_p, hol_f, noise, phi_d;
    int var = pick(r, var_w, 3), climate, k, n_hol = 0;
    size_t t;
    long last_day = -1;
    int is_hol = 0;

    if (var == 2 && spd > 24) /* gas: daily or hourly */
        var = 0;
    phi_d = v2_temperature(v, T);
    a_wk = var == 1 ? unif_ab(r, 0.3, 0.8) : unif_ab(r, 0.1, 0.4);
    a_we = a_wk * unif_ab(r, 0.5, 1.0);
    mix = unif(r);
    l_we = var == 1 ? unif_ab(r, 0.3, 0.7) : unif_ab(r, 0.6, 0.95);
    if (spd > 1) {
        double rough = unif_ab(r, 0.0, var == 1 ? 0.6 : 0.3);
        v2_day_shape(r, wk, spd, 0, rough);
        v2_day_shape(r, we, spd, 1, rough);
        for (k = 0; k < spd; k++)
            we[k] = mix * wk[k] + (1.0 - mix) * we[k];
    }
    for (k = 0; k < 7; k++)
        dowf[k] = k < 5 ? exp(0.03 * gauss(r)) : k == 5 ? sqrt(l_we) : l_we;
    climate = pick(r, (const double[3]){0.35, 0.20, 0.45}, 3); /* heating, cooling, both */
    th = unif_ab(r, 12.0, 18.0);
    tc = unif_ab(r, 20.0, 25.0);
    bh = climate != 1 ? log_unif(r, 0.01, 0.04) : 0.0;
    bc = climate != 0 ? log_unif(r, 0.01, 0.05) : 0.0;
    if (var == 2) {
        bh = log_unif(r, 0.03, 0.08);
        bc = 0.0;
    }
    /* thermal inertia: exponential smoothing with a time constant of 2-24 h */
    alpha = spd > 0 ? 1.0 - exp(-24.0 / ((double)spd * unif_ab(r, 2.0, 24.0))) : 1.0;
    if (alpha > 1.0)
        alpha = 1.0;
    growth = unif_ab(r, -0.1, 0.2);
    phi_n = unif_ab(r, 0.5, 0.95);
    sd_n = var == 1 ? unif_ab(r, 0.03, 0.1) : unif_ab(r, 0.01, 0.05);
    hol_p = unif_ab(r, 8.0, 15.0) / 365.25;
    hol_f = unif_ab(r, 0.85, 1.0);
    noise = sd_n * gauss(r);
    ts = T[0];
    for (t = 0; t < n; t++) {
        double dayf = (double)t / (double)(spd > 0 ? spd : 1), f, temp;
        long day = (long)floor(dayf);
        int dow = (int)((v->dow0 + day) % 7), h = spd > 1 ? (int)(t % (size_t)spd) : 0;
        double doy = fmod(v->day0 + dayf, 365.25);
        if (day != last_day) { /* a new day: holiday or not (late December dips too) */
            last_day = day;
            is_hol = unif(r) < hol_p || doy > 357.0;
            n_hol += is_hol;
        }
        if (is_hol) {
            f = l_we * hol_f;
            if (spd > 1)
                f *= exp(a_we * we[h]);
        } else if (spd > 1) {
            f = dowf[dow] * exp((dow < 5 ? a_wk * wk[h] : a_we * we[h]));
        } else {
            f = dowf[dow];
        }
        ts += alpha * (T[t] - ts);
        temp = 1.0 + bh * (ts < th ? th - ts : 0.0) + bc * (ts > tc ? ts - tc : 0.0);
        if (t > 0)
            noise = phi_n * noise + sd_n * sqrt(1.0 - phi_n * phi_n) * gauss(r);
        out[t] = f * temp * exp(growth * (double)t / (double)n + noise);
    }
    v2_scale_positive(r, out, n, 10.0, 5e4);
    v->si->variant = var_names[var];
    v->si->has_covariate = 1;
    v->si->covariate = "temperature";
    v->si->persistence = phi_d;
    v->si->n_holidays = n_hol;
    v->si->n_periods = 0;
    if (spd > 1) {
        v->si->periods[v->si->n_periods++] = (double)spd;
        if (n >= (size_t)(14 * spd))
            v->si->periods[v->si->n_periods++] = (double)(7 * spd);
    } else {
        v->si->periods[v->si->n_periods++] = 7.0;
        if (n >= 730)
            v->si->periods[v->si->n_periods++] = 365.25;
    }
    return RAW_POSITIVE;
}

/* Stock kind: business-day log returns r_t = mu + e_t + J_t, e_t =
 * sigma_t z_t (Student-t or Gaussian z), GJR-GARCH(1,1) variance driven by
 * e_t + J_t, compound-Poisson jumps J_t; a price (cent ticks), the returns
 * in percent, or a volume tied to |r_t|. */
static int v2_stock(v2_gen *v, double *out)
{
    static const double var_w[3] = {0.60, 0.25, 0.15};
    static const char *const var_names[3] = {"price", "returns", "volume"};
    gsl_rng *r = v->g.r;
    const size_t n = v->g.n;
    int var = pick(r, var_w, 3), n_jumps = 0, k;
    double vol = log_unif(r, 0.006, 0.035), alpha = unif_ab(r, 0.03, 0.15);
    double gamma = unif(r) < 0.5 ? unif_ab(r, 0.0, 0.1) : 0.0, pers = unif_ab(r, 0.90, 0.995);
    double beta = pers - alpha - 0.5 * gamma, omega, s2, nu, t_scale, lam_j, js, jm, mu;
    double p0 = log_unif(r, 5.0, 2000.0), lp = 0.0, vmean = log(log_unif(r, 1e4, 1e8));
    double vphi = unif_ab(r, 0.7, 0.95), vsd = unif_ab(r, 0.15, 0.4), va = unif_ab(r, 0.1, 0.4);
    double vx = 0.0, dow_v[5];
    size_t t;

    if (beta < 0.5) {
        beta = 0.5;
        pers = alpha + 0.5 * gamma + beta;
    }
    nu = draw_nu(r, 0.8, &t_scale);
    lam_j = log_unif(r, 0.002, 0.03);
    js = vol * unif_ab(r, 3.0, 8.0);
    jm = -0.3 * js * unif(r);
    mu = unif_ab(r, -0.1, 0.25) / 252.0;
    omega = vol * vol * (1.0 - pers);
    s2 = vol * vol;
    for (k = 0; k < 5; k++)
        dow_v[k] = k == 0 ? 0.2 : k == 4 ? 0.1 : 0.0; /* busier Mondays and Fridays */
    for (k = 0; k < 100; k++) {                       /* burn-in of the variance */
        double e = sqrt(s2) * innov(r, nu, t_scale);
        s2 = omega + (alpha + (e < 0.0 ? gamma : 0.0)) * e * e + beta * s2;
    }
    for (t = 0; t < n; t++) {
        double e = sqrt(s2) * innov(r, nu, t_scale), j = 0.0, ret;
        if (unif(r) < lam_j) {
            j = jm + js * gauss(r);
            n_jumps++;
        }
        ret = mu + e + j;
        if (ret > 0.5)
            ret = 0.5;
        if (ret < -0.5)
            ret = -0.5;
        s2 = omega + (alpha + (e + j < 0.0 ? gamma : 0.0)) * (e + j) * (e + j) + beta * s2;
        if (s2 > 0.04) /* a daily standard deviation of 20% at most */
            s2 = 0.04;
        switch (var) {
        case 0:
            if (t > 0)
                lp += ret;
            if (lp > 15.0) /* never reached with these parameters; keeps exp finite */
                lp = 15.0;
            if (lp < -15.0)
                lp = -15.0;
            out[t] = floor(100.0 * p0 * exp(lp) + 0.5) / 100.0;
            if (out[t] < 0.01)
                out[t] = 0.01;
            break;
        case 1:
            out[t] = 100.0 * ret;
            break;
        default:
            vx = vphi * vx + vsd * sqrt(1.0 - vphi * vphi) * gauss(r);
            out[t] = floor(
                exp(vmean + vx + va * fabs(ret) / vol + dow_v[(v->dow0 + (int)(t % 5)) % 5]) + 0.5);
            break;
        }
    }
    v->si->variant = var_names[var];
    v->si->garch_alpha = alpha;
    v->si->garch_beta = beta;
    v->si->n_jumps = n_jumps;
    v->si->n_periods = var == 2 ? 1 : 0;
    v->si->periods[0] = var == 2 ? 5.0 : 0.0;
    return var == 1 ? RAW_SIGNED : RAW_POSITIVE;
}

/* Intermittent kind: Croston's model (a demand occurs with probability q
 * each step, so intervals are geometric; sizes Poisson + 1), lumpy sizes
 * (negative binomial + 1), obsolescence (q falls over the series) or a
 * seasonal q. */
static int v2_intermittent(v2_gen *v, double *out)
{
    static const double var_w[4] = {0.40, 0.25, 0.15, 0.20};
    static const char *const var_names[4] = {"croston", "lumpy", "obsolescent", "seasonal"};
    gsl_rng *r = v->g.r;
    const size_t n = v->g.n;
    int var = pick(r, var_w, 4), any = 0;
    double q = 1.0 / log_unif(r, 1.25, 20.0), lam = log_unif(r, 0.2, 10.0);
    double nb_n = unif_ab(r, 0.3, 1.5), nb_mean = log_unif(r, 2.0, 50.0), nb_p;
    double decay = unif_ab(r, 0.5, 1.0), amp = unif_ab(r, 0.3, 0.9), ph = unif(r) * TWO_PI;
    double per = v->cal->p[0], qsum = 0.0;
    size_t t;

    nb_p = nb_n / (nb_n + nb_mean);
    for (t = 0; t < n; t++) {
        double qt = q;
        if (var == 2)
            qt *= 1.0 - decay * (double)t / (double)n;
        else if (var == 3)
            qt *= 1.0 + amp * sin(TWO_PI * (double)t / per + ph);
        if (qt > 0.95)
            qt = 0.95;
        qsum += qt;
        if (unif(r) < qt) {
            out[t] = 1.0 + (double)(var == 1 ? gsl_ran_negative_binomial(r, nb_p, nb_n)
                                             : gsl_ran_poisson(r, lam));
            any = 1;
        } else {
            out[t] = 0.0;
        }
    }
    if (!any) /* an all-zero series is flat: useless for pretraining */
        out[rand_int(r, 0, (int)(n - 1))] = 1.0 + (double)gsl_ran_poisson(r, lam);
    v->si->variant = var_names[var];
    v->si->occurrence = qsum / (double)n;
    v->si->n_periods = var == 3 ? 1 : 0;
    v->si->periods[0] = var == 3 ? per : 0.0;
    return RAW_COUNTS;
}

/* Trend kind: a damped local trend (ETS A,Ad,N-like state equations), a
 * logistic saturating growth, or a piecewise-linear trend; AR(1) noise;
 * optionally the calendar's first period. */
static int v2_trend(v2_gen *v, double *out)
{
    static const double var_w[3] = {0.55, 0.20, 0.25};
    static const char *const var_names[3] = {"damped", "saturating", "changepoints"};
    gsl_rng *r = v->g.r;
    const size_t n = v->g.n;
    int var = pick(r, var_w, 3), mult = unif(r) < 0.3, season = unif(r) < 0.5, k, ncp;
    double phi = 0.0, *S = v->g.w->aux, phi_e = unif_ab(r, 0.0, 0.7), lambda = 0.0;
    double p = v->cal->p[0];
    size_t t;

    for (t = 0; t < n; t++)
        S[t] = 0.0;
    if (season && p <= (double)n / 2.0)
        add_season(r, S, v->g.w->buf, n, p, log_unif(r, 0.5, 5.0));
    else
        season = 0;
    switch (var) {
    case 0: {
        double tau = log_unif(r, 5.0, (double)n / 2.0 > 6.0 ? (double)n / 2.0 : 6.0);
        double a = unif_ab(r, 0.05, 0.5), bb = a * unif_ab(r, 0.0, 0.1);
        double l = 0.0, b = log_unif(r, 0.5, 10.0) * rand_sign(r);
        phi = 1.0 - 1.0 / tau;
        for (t = 0; t < n; t++) {
            double e = gauss(r);
            out[t] = l + phi * b + e;
            l += phi * b + a * e;
            b = phi * b + bb * e;
        }
        break;
    }
    case 1: {
        double t0 = unif_ab(r, 0.2, 0.8) * (double)n, s = unif_ab(r, 0.03, 0.2) * (double)n;
        double K = log_unif(r, 5.0, 50.0);
        for (t = 0; t < n; t++)
            out[t] = K / (1.0 + exp(-((double)t - t0) / s));
        v2_add_ar1(r, out, n, phi_e, 1.0);
        break;
    }
    default: {
        double k0 = log_unif(r, 0.5, 20.0) * rand_sign(r), cp[5], dk[5];
        ncp = rand_int(r, 1, 5);
        for (k = 0; k < ncp; k++) {
            cp[k] = unif_ab(r, 0.05, 0.95);
            dk[k] = 1.5 * fabs(k0) * gauss(r);
        }
        for (t = 0; t < n; t++) {
            double u = (double)t / (double)n, y = k0 * u;
            for (k = 0; k < ncp; k++)
                if (u > cp[k])
                    y += dk[k] * (u - cp[k]);
            out[t] = y;
        }
        v2_add_ar1(r, out, n, phi_e, 1.0);
        break;
    }
    }
    {
        double mean, sd;
        mean_sd(out, n, &mean, &sd);
        if (!(sd > 0.0))
            sd = 1.0;
        for (t = 0; t < n; t++)
            out[t] = (out[t] - mean) / sd + S[t] / (season ? 5.0 : 1.0);
    }
    if (mult) {
        lambda = log_unif(r, 0.1, 0.5);
        for (t = 0; t < n; t++)
            out[t] = exp(lambda * out[t]);
        v2_scale_positive(r, out, n, 1e-1, 1e4);
    } else {
        v2_scale_signed(r, out, n);
    }
    v->si->variant = var_names[var];
    v->si->damping = phi;
    v->si->persistence = var == 0 ? 0.0 : phi_e;
    v->si->n_periods = season;
    v->si->periods[0] = season ? p : 0.0;
    return mult ? RAW_POSITIVE : RAW_SIGNED;
}

/* Level-shift kind: AR(1) noise of unit variance around a level that moves
 * by 1-6 standard deviations at random times: permanently, for a while
 * (then back), or along a ramp. */
static int v2_level_shift(v2_gen *v, double *out)
{
    static const double var_w[3] = {0.50, 0.25, 0.25};
    static const char *const var_names[3] = {"permanent", "temporary", "ramps"};
    enum { MAX_SHIFTS = 12 };
    gsl_rng *r = v->g.r;
    const size_t n = v->g.n;
    int var = pick(r, var_w, 3), ns, k, season = unif(r) < 0.4;
    double at[MAX_SHIFTS], size[MAX_SHIFTS], dur[MAX_SHIFTS], phi = unif_ab(r, 0.0, 0.9);
    double p = v->cal->p[0];
    size_t t;

    ns = 1 + (int)gsl_ran_poisson(r, unif_ab(r, 0.5, 4.0));
    if (ns > MAX_SHIFTS)
        ns = MAX_SHIFTS;
    for (k = 0; k < ns; k++) {
        at[k] = unif_ab(r, 0.05, 0.95) * (double)n;
        size[k] = log_unif(r, 1.0, 6.0) * rand_sign(r);
        dur[k] = var == 1 ? unif_ab(r, 0.02, 0.2) * (double)n : unif_ab(r, 5.0, 50.0);
    }
    for (t = 0; t < n; t++) {
        double y = 0.0, x = (double)t;
        for (k = 0; k < ns; k++) {
            if (x < at[k])
                continue;
            if (var == 0)
                y += size[k];
            else if (var == 1)
                y += x < at[k] + dur[k] ? size[k] : 0.0;
            else
                y += size[k] * (x - at[k] < dur[k] ? (x - at[k]) / dur[k] : 1.0);
        }
        out[t] = y;
    }
    v2_add_ar1(r, out, n, phi, 1.0);
    if (season && p <= (double)n / 2.0)
        add_season(r, out, v->g.w->buf, n, p, unif_ab(r, 0.5, 2.0));
    else
        season = 0;
    v2_scale_signed(r, out, n);
    v->si->variant = var_names[var];
    v->si->n_level_shifts = ns;
    v->si->persistence = phi;
    v->si->n_periods = season;
    v->si->periods[0] = season ? p : 0.0;
    return RAW_SIGNED;
}

/* Level shifts (probability p_shift) and spikes (p_spike), as v1's post()
 * draws them. */
static void v2_overlays(v2_gen *v, double *x, int kind, double p_shift, double p_spike)
{
    gsl_rng *r = v->g.r;
    const size_t n = v->g.n;
    double mean, sd;
    size_t t;
    int k, cnt;
    if (unif(r) < p_shift) {
        cnt = rand_int(r, 1, 3);
        mean_sd(x, n, &mean, &sd);
        for (k = 0; k < cnt; k++) {
            size_t t0 = (size_t)((double)n * unif_ab(r, 0.1, 0.9));
            double jump = rand_sign(r);
            if (kind == RAW_POSITIVE) {
                jump = exp(jump * unif_ab(r, 0.1, 0.7));
                for (t = t0; t < n; t++)
                    x[t] *= jump;
            } else {
                jump *= unif_ab(r, 0.5, 3.0) * sd;
                for (t = t0; t < n; t++)
                    x[t] += jump;
            }
        }
        v->si->n_level_shifts += cnt;
    }
    if (unif(r) < p_spike) {
        cnt = 1 + (int)gsl_ran_poisson(r, (double)n * log_unif(r, 0.001, 0.01));
        mean_sd(x, n, &mean, &sd);
        for (k = 0; k < cnt; k++) {
            t = (size_t)rand_int(r, 0, (int)(n - 1));
            if (kind == RAW_POSITIVE) {
                double f = unif_ab(r, 1.5, 5.0);
                x[t] = unif(r) < 0.3 ? x[t] / f : x[t] * f;
            } else {
                x[t] += rand_sign(r) * unif_ab(r, 3.0, 8.0) * sd;
            }
        }
        v->si->n_spikes += cnt;
    }
}

/* Generate sample idx of a version-2 corpus at length len (0: natural).
 * Arguments checked by the callers. */
static void v2_generate(const xf_corpus *c, xf_corpus_workspace *ws, uint64_t idx, size_t len,
                        double *values, uint8_t *observed, double *covariate,
                        xf_corpus_sample_info *si, xf_corpus_info *v1info)
{
    static const double generic_w[5] = {0.35, 0.10, 0.20, 0.15, 0.0}; /* GP seas ARMA RW int */
    v2_gen v;
    v2_plan pl;
    size_t t;
    int kind, positive = 1, integer = 1;

    memset(&v, 0, sizeof v);
    v2_seed(c, &ws->state, idx);
    v.g.c = c;
    v.g.w = ws;
    v.g.r = &ws->rng;
    v2_draw_plan(c, v.g.r, &pl);
    v.g.n = len > 0 ? len : pl.natural;
    v.g.info = v1info;
    v.g.want_text = 0;
    v.cal = &v2_cals[pl.cal];
    v.si = si;
    v.cov = covariate;
    si->index = idx;
    si->version = XF_CORPUS_VERSION_2;
    si->length = v.g.n;
    si->kind = (xf_corpus_kind)pl.kind;
    si->family = XF_CORPUS_N_FAMILIES;
    si->calendar = v.cal->name;
    si->variant = "";
    si->covariate = "";
    v.day0 = unif(v.g.r) * 365.25;
    v.dow0 = rand_int(v.g.r, 0, 6);

    switch (pl.kind) {
    case XF_CORPUS_KIND_SEASONAL:
        kind = v2_seasonal(&v, values);
        v2_overlays(&v, values, kind, 0.1, 0.1);
        break;
    case XF_CORPUS_KIND_ENERGY:
        kind = v2_energy(&v, values);
        v2_overlays(&v, values, kind, 0.05, 0.1);
        break;
    case XF_CORPUS_KIND_WEATHER:
        kind = v2_weather(&v, values);
        v2_overlays(&v, values, kind, 0.0, 0.05);
        break;
    case XF_CORPUS_KIND_STOCK:
        kind = v2_stock(&v, values);
        break;
    case XF_CORPUS_KIND_INTERMITTENT:
        kind = v2_intermittent(&v, values);
        break;
    case XF_CORPUS_KIND_TREND:
        kind = v2_trend(&v, values);
        v2_overlays(&v, values, kind, 0.1, 0.1);
        break;
    case XF_CORPUS_KIND_LEVEL_SHIFT:
        kind = v2_level_shift(&v, values);
        v2_overlays(&v, values, kind, 0.0, 0.1);
        break;
    default: {
        double wf[XF_CORPUS_N_FAMILIES] = {0};
        xf_corpus_family fam;
        memcpy(wf, generic_w, sizeof generic_w);
        wf[XF_CORPUS_MIXTURE] = 0.20;
        fam = (xf_corpus_family)pick(v.g.r, wf, XF_CORPUS_N_FAMILIES);
        v1info->family = fam;
        kind = family_gen(&v.g, fam, values);
        post(&v.g, values, kind, 1, v1info);
        si->family = fam;
        si->variant = v1info->variant;
        si->n_level_shifts = v1info->n_level_shifts;
        si->n_spikes = v1info->n_spikes;
        si->n_periods = v1info->period > 0.0 ? 1 : 0;
        si->periods[0] = v1info->period;
        break;
    }
    }
    si->n_missing = add_missing(&v.g, values, observed);
    if (covariate != NULL && !si->has_covariate)
        for (t = 0; t < v.g.n; t++)
            covariate[t] = NAN;
    for (t = 0; t < v.g.n; t++) {
        if (values[t] < 0.0)
            positive = 0;
        if (isfinite(values[t]) && values[t] != floor(values[t]))
            integer = 0;
    }
    si->positive = positive;
    si->integer = integer;
}

/* xf_corpus_series on a version-2 corpus. */
static int v2_series(const xf_corpus *c, xf_corpus_workspace *ws, uint64_t idx, size_t len,
                     double *values, uint8_t *observed, xf_corpus_info *info)
{
    xf_corpus_sample_info si;
    xf_corpus_info v1;
    memset(&v1, 0, sizeof v1);
    v1.n_components = 1;
    v1.variant = "";
    xf_corpus_sample_info_init(&si);
    v2_generate(c, ws, idx, len, values, observed, NULL, &si, &v1);
    if (info != NULL) {
        memset(info, 0, sizeof *info);
        info->index = idx;
        info->family = XF_CORPUS_N_FAMILIES;
        info->variant = xf_corpus_kind_name(si.kind);
        info->n_components = 1;
        info->period = si.n_periods > 0 ? si.periods[0] : 0.0;
        info->n_level_shifts = si.n_level_shifts;
        info->n_spikes = si.n_spikes;
        info->n_missing = si.n_missing;
        info->positive = si.positive;
    }
    return XF_OK;
}

int xf_corpus_series(const xf_corpus *c, xf_corpus_workspace *ws, uint64_t idx, size_t len,
                     double *values, uint8_t *observed, xf_corpus_info *info)
{
    xf_corpus_info in;
    gen g;
    uint64_t seed;
    size_t m, t;
    int kind, positive = 1;
    double u;

    if (c == NULL || ws == NULL || values == NULL)
        return XF_EINVAL;
    if (len < XF_CORPUS_MIN_LENGTH || len > c->max_len || len > ws->length)
        return XF_EINVAL;
    m = len < c->opts.gp_points ? len : c->opts.gp_points;
    if (m > ws->gp_cap)
        return XF_EINVAL;
    if (c->opts.version == XF_CORPUS_VERSION_2)
        return v2_series(c, ws, idx, len, values, observed, info);

    memset(&in, 0, sizeof in);
    in.index = idx;
    in.n_components = 1;
    in.variant = "";
    seed = c->key ^ idx;
    xrng_seed(&ws->state, splitmix64(&seed));

    g.c = c;
    g.w = ws;
    g.r = &ws->rng;
    g.n = len;
    g.info = &in;
    g.want_text = info != NULL;

    u = unif(g.r);
    for (in.family = XF_CORPUS_GP; in.family < XF_CORPUS_MIXTURE; in.family++)
        if (u < c->cum[in.family] && c->opts.weights[in.family] > 0.0)
            break;
    /* Rounding in the cumulative sums: fall back to the last positive one. */
    if (c->opts.weights[in.family] <= 0.0)
        while (in.family > XF_CORPUS_GP && c->opts.weights[in.family] <= 0.0)
            in.family--;

    kind = family_gen(&g, in.family, values);
    post(&g, values, kind, in.family != XF_CORPUS_INTERMITTENT, &in);
    in.n_missing = add_missing(&g, values, observed);

    for (t = 0; t < len; t++)
        if (values[t] < 0.0) {
            positive = 0;
            break;
        }
    in.positive = positive;
    if (info != NULL)
        *info = in;
    return XF_OK;
}

int xf_corpus_sample(const xf_corpus *c, xf_corpus_workspace *ws, uint64_t index, size_t len,
                     double *values, uint8_t *observed, double *covariate,
                     xf_corpus_sample_info *info)
{
    xf_corpus_sample_info si;
    xf_corpus_info v1;
    size_t n, m, t;

    if (c == NULL || ws == NULL || values == NULL)
        return XF_EINVAL;
    if (info != NULL && (info->struct_size < XF__SIZE_THROUGH(xf_corpus_sample_info, n_missing) ||
                         info->struct_size > sizeof si))
        return XF_EINVAL;
    n = len > 0 ? len : xf_corpus_sample_length(c, index);
    if (n < XF_CORPUS_MIN_LENGTH || n > c->max_len || n > ws->length)
        return XF_EINVAL;
    m = n < c->opts.gp_points ? n : c->opts.gp_points;
    if (m > ws->gp_cap)
        return XF_EINVAL;
    xf_corpus_sample_info_init(&si);
    memset(&v1, 0, sizeof v1);
    v1.n_components = 1;
    v1.variant = "";
    if (c->opts.version == XF_CORPUS_VERSION_2) {
        v2_generate(c, ws, index, n, values, observed, covariate, &si, &v1);
    } else {
        int integer = 1;
        xf_corpus_series(c, ws, index, n, values, observed, &v1);
        for (t = 0; t < n; t++)
            if (isfinite(values[t]) && values[t] != floor(values[t]))
                integer = 0;
        si.index = index;
        si.version = XF_CORPUS_VERSION_1;
        si.length = n;
        si.kind = XF_CORPUS_KIND_GENERIC;
        si.family = v1.family;
        si.variant = v1.variant;
        si.calendar = "none";
        si.n_periods = v1.period > 0.0 ? 1 : 0;
        si.periods[0] = v1.period;
        si.covariate = "";
        si.positive = v1.positive;
        si.integer = integer;
        si.garch_alpha = v1.garch_alpha;
        si.garch_beta = v1.garch_beta;
        si.occurrence = v1.occurrence;
        si.n_level_shifts = v1.n_level_shifts;
        si.n_spikes = v1.n_spikes;
        si.n_missing = v1.n_missing;
        if (covariate != NULL)
            for (t = 0; t < n; t++)
                covariate[t] = NAN;
    }
    if (info != NULL) {
        size_t size = info->struct_size;
        memcpy(info, &si, size);
        info->struct_size = size;
    }
    return XF_OK;
}
