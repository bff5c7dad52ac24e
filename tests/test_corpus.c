/* test_corpus.c - tests of the synthetic pretraining corpus and of the
 * Cholesky factorisation it samples Gaussian processes with.
 *
 *   - linalg: a known SPD matrix against its hand-computed factor, the
 *     triangular product, leading dimensions, jitter retries, and errors
 *     (non-SPD, NaN, bad sizes) returned as statuses;
 *   - options and argument validation, with the exact messages;
 *   - determinism: same (seed, index) gives bit-identical output on other
 *     workspaces, in another order, from another corpus object;
 *   - every family appears in the default mix and gives finite,
 *     non-constant series; per-family statistics (periodic GP and seasonal
 *     series correlate at their period, ARMA is stationary, random-walk
 *     variance grows with the lag, intermittent series are mostly zero,
 *     the missing share matches the option);
 *   - one workspace serves 10 000 series;
 *   - the generation rate at length 1024 is printed (not asserted).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xfcast.h>

#include "linalg.h"
#include "testutil.h"

/* Digests of corpus v1 (test_v1_frozen). */
#define V1_N_EXACT 287
#define V1_DIGEST_EXACT UINT64_C(0x27a970290665159b)
#define V1_DIGEST_GP UINT64_C(0xe9ea0d0d39e0bbdf)

/* ---------------------------------------------------------------- utils */

static double now_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Mean squared increment over `lag` steps (variogram). */
static double variogram(const double *x, size_t n, size_t lag)
{
    double s = 0;
    size_t t, k = 0;
    for (t = 0; t + lag < n; t++) {
        s += (x[t + lag] - x[t]) * (x[t + lag] - x[t]);
        k++;
    }
    return k ? s / (double)k : 0.0;
}

static double variance(const double *x, size_t n)
{
    double m = 0, s = 0;
    size_t t;
    for (t = 0; t < n; t++)
        m += x[t];
    m /= (double)n;
    for (t = 0; t < n; t++)
        s += (x[t] - m) * (x[t] - m);
    return s / (double)n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n == 0 ? 0.0 : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* A corpus made of one family only, without overlays or missing values. */
static xf_corpus *family_corpus(int family, size_t length)
{
    xf_corpus_options o;
    xf_corpus *c = NULL;
    xf_error e;
    int f;
    xf_corpus_options_init(&o);
    o.seed = 0x2385;
    o.length = length;
    for (f = 0; f < XF_CORPUS_N_FAMILIES; f++)
        o.weights[f] = f == family ? 1.0 : 0.0;
    o.missing_rate = 0.0;
    o.level_shift_prob = 0.0;
    o.outlier_prob = 0.0;
    if (xf_corpus_new(&o, &c, &e) != XF_OK) {
        fprintf(stderr, "xf_corpus_new: %s\n", e.message);
        exit(99);
    }
    return c;
}

static xf_corpus_workspace *new_ws(const xf_corpus *c)
{
    xf_corpus_workspace *ws = NULL;
    xf_error e;
    if (xf_corpus_workspace_new(c, &ws, &e) != XF_OK) {
        fprintf(stderr, "xf_corpus_workspace_new: %s\n", e.message);
        exit(99);
    }
    return ws;
}

/* --------------------------------------------------------------- linalg */

static void test_cholesky(void)
{
    /* L by hand (dyadic values, so A = L L^T is exact in binary). */
    static const double L[3][3] = {{2.5, 0, 0}, {1.25, 1.5, 0}, {-0.75, 2.125, 0.875}};
    static const double A[3][3] = {{6.25, 3.125, -1.875},
                                   {3.125, 3.8125, 2.25},
                                   {-1.875, 2.25, 5.84375}};
    double a[3 * 5], diag[3], x[3] = {1.5, -2.0, 0.25}, y[3], jit = -1;
    xf_error e;
    size_t i, j;

    /* Leading dimension 5: columns 3 and 4 hold sentinels. */
    for (i = 0; i < 3; i++) {
        for (j = 0; j < 3; j++)
            a[i * 5 + j] = A[i][j];
        a[i * 5 + 3] = -7.375;
        a[i * 5 + 4] = 1234.5;
    }
    CHECK_INT(xf__cholesky_jitter(a, 3, 5, diag, 0.0, 0, &jit, &e), XF_OK);
    CHECK(jit == 0.0);
    for (i = 0; i < 3; i++) {
        for (j = 0; j <= i; j++)
            CHECK_NEAR(a[i * 5 + j], L[i][j], 1e-14);
        for (j = i + 1; j < 3; j++)
            CHECK(a[i * 5 + j] == A[i][j]); /* upper triangle untouched */
        CHECK(a[i * 5 + 3] == -7.375 && a[i * 5 + 4] == 1234.5);
    }
    /* y = L x: 2.5*1.5; 1.25*1.5 - 1.5*2; -0.75*1.5 - 2.125*2 + 0.875*0.25 */
    xf__trmv_lower(a, 3, 5, x, y);
    CHECK_NEAR(y[0], 3.75, 1e-14);
    CHECK_NEAR(y[1], -1.125, 1e-14);
    CHECK_NEAR(y[2], -5.15625, 1e-14);
    xf__trmv_lower(a, 3, 5, x, x); /* in place */
    CHECK(x[0] == y[0] && x[1] == y[1] && x[2] == y[2]);

    /* Not positive definite (eigenvalues -1 and 3): an error, the matrix
     * restored, and no jitter up to the cap makes it factor. */
    {
        double b[4] = {1.0, 2.0, 2.0, 1.0}, d2[2];
        xf_error_clear(&e);
        CHECK_INT(xf__cholesky_jitter(b, 2, 2, d2, 0.0, 0, NULL, &e), XF_EDATA);
        CHECK_INT(e.code, XF_EDATA);
        CHECK_MSG(strstr(e.message, "not positive definite") != NULL, "%s", e.message);
        CHECK(b[0] == 1.0 && b[1] == 2.0 && b[2] == 2.0 && b[3] == 1.0);
        CHECK_INT(xf__cholesky_jitter(b, 2, 2, d2, 1e-6, XF_CHOL_MAX_TRIES, NULL, &e), XF_EDATA);
        CHECK(b[0] == 1.0 && b[1] == 2.0 && b[2] == 2.0 && b[3] == 1.0);
    }
    /* Singular (rank 1): fails without jitter, factors after retries. */
    {
        double b[4] = {2.75, 2.75, 2.75, 2.75}, d2[2];
        CHECK_INT(xf__cholesky_jitter(b, 2, 2, d2, 0.0, 0, NULL, NULL), XF_EDATA);
        CHECK_INT(xf__cholesky_jitter(b, 2, 2, d2, 0.0, 8, &jit, NULL), XF_OK);
        CHECK(jit > 0.0 && jit < 1e-2);
        CHECK_NEAR(b[0] * b[0], 2.75 + jit, 1e-12);
    }
    /* Argument errors. */
    {
        double b[4] = {1.0, 0.5, 0.5, NAN}, d2[2];
        CHECK_INT(xf__cholesky_jitter(b, 2, 2, d2, 0.0, 0, NULL, &e), XF_EINVAL);
        CHECK_STR(e.message, "Cholesky: entry (1, 1) is nan");
        b[3] = 1.0;
        CHECK_INT(xf__cholesky_jitter(b, 2, 1, d2, 0.0, 0, NULL, &e), XF_EINVAL);
        CHECK_STR(e.message, "Cholesky: leading dimension 1 is invalid for order 2");
        CHECK_INT(xf__cholesky_jitter(b, 0, 2, d2, 0.0, 0, NULL, &e), XF_EINVAL);
        CHECK_INT(xf__cholesky_jitter(b, 2, 2, NULL, 0.0, 0, NULL, &e), XF_EINVAL);
        CHECK_INT(xf__cholesky_jitter(b, 2, 2, d2, -1e-3, 0, NULL, &e), XF_EINVAL);
        CHECK_INT(xf__cholesky_jitter(b, 2, 2, d2, 0.0, XF_CHOL_MAX_TRIES + 1, NULL, &e),
                  XF_EINVAL);
        b[0] = -1.0;
        b[3] = -2.0;
        CHECK_INT(xf__cholesky_jitter(b, 2, 2, d2, 0.0, 3, NULL, &e), XF_EDATA);
        CHECK_MSG(strstr(e.message, "positive diagonal") != NULL, "%s", e.message);
    }
}

/* -------------------------------------------------------------- options */

static void expect_opt_error(const xf_corpus_options *o, const char *msg)
{
    xf_corpus *c = (xf_corpus *)&c; /* must be reset to NULL */
    xf_error e;
    xf_error_clear(&e);
    CHECK_INT(xf_corpus_new(o, &c, &e), XF_EINVAL);
    CHECK(c == NULL);
    CHECK_INT(e.code, XF_EINVAL);
    CHECK_STR(e.message, msg);
}

static void test_options(void)
{
    xf_corpus_options o;
    xf_corpus *c = NULL, *c2 = NULL;
    xf_corpus_workspace *ws = NULL;
    xf_error e;
    double v[64];
    uint8_t ob[64];
    int f;

    xf_corpus_options_init(&o);
    CHECK_INT(o.length, 1024);
    CHECK_INT(o.gp_points, 257);
    CHECK(o.missing_rate == 0.01);
    CHECK_STR(xf_corpus_family_name(XF_CORPUS_RANDOM_WALK), "random_walk");
    CHECK_STR(xf_corpus_family_name((xf_corpus_family)17), "unknown");

    o.length = 15;
    expect_opt_error(&o, "corpus length 15 is outside [16, 1048576]");
    o.length = 2000000;
    expect_opt_error(&o, "corpus length 2000000 is outside [16, 1048576]");
    xf_corpus_options_init(&o);
    o.weights[XF_CORPUS_ARMA] = -0.5;
    expect_opt_error(&o, "corpus weight of family 'arma' is -0.5; weights must be finite and >= 0");
    o.weights[XF_CORPUS_ARMA] = NAN;
    expect_opt_error(&o, "corpus weight of family 'arma' is nan; weights must be finite and >= 0");
    for (f = 0; f < XF_CORPUS_N_FAMILIES; f++)
        o.weights[f] = 0.0;
    expect_opt_error(&o, "every corpus family weight is 0; at least one must be positive");
    o.weights[0] = 1e308;
    o.weights[1] = 1e308;
    expect_opt_error(&o, "the corpus family weights sum to inf");
    xf_corpus_options_init(&o);
    o.missing_rate = 0.95;
    expect_opt_error(&o, "corpus option missing_rate is 0.95; it must be in [0, 0.9]");
    o.missing_rate = -0.125;
    expect_opt_error(&o, "corpus option missing_rate is -0.125; it must be in [0, 0.9]");
    xf_corpus_options_init(&o);
    o.missing_run_mean = 0.5;
    expect_opt_error(&o, "corpus option missing_run_mean is 0.5; it must be finite and >= 1");
    xf_corpus_options_init(&o);
    o.level_shift_prob = 1.5;
    expect_opt_error(&o, "corpus option level_shift_prob is 1.5; it must be in [0, 1]");
    xf_corpus_options_init(&o);
    o.outlier_prob = NAN;
    expect_opt_error(&o, "corpus option outlier_prob is nan; it must be in [0, 1]");
    xf_corpus_options_init(&o);
    o.gp_points = 8;
    expect_opt_error(&o, "corpus option gp_points is 8; it must be in [16, 2048]");
    CHECK_INT(xf_corpus_new(NULL, &c, &e), XF_EINVAL);
    CHECK_STR(e.message, "xf_corpus_new: NULL options");
    CHECK_INT(xf_corpus_workspace_new(NULL, &ws, &e), XF_EINVAL);
    CHECK(ws == NULL);

    /* Series arguments. */
    xf_corpus_options_init(&o);
    o.length = 64;
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_OK);
    CHECK(xf_corpus_get_options(c)->length == 64);
    ws = new_ws(c);
    CHECK_INT(xf_corpus_series(c, ws, 3, 64, v, ob, NULL), XF_OK);
    CHECK_INT(xf_corpus_series(c, ws, 3, 16, v, NULL, NULL), XF_OK);
    CHECK_INT(xf_corpus_series(c, ws, 3, 15, v, ob, NULL), XF_EINVAL);
    CHECK_INT(xf_corpus_series(c, ws, 3, 65, v, ob, NULL), XF_EINVAL);
    CHECK_INT(xf_corpus_series(c, ws, 3, 64, NULL, ob, NULL), XF_EINVAL);
    CHECK_INT(xf_corpus_series(NULL, ws, 3, 64, v, ob, NULL), XF_EINVAL);
    CHECK_INT(xf_corpus_series(c, NULL, 3, 64, v, ob, NULL), XF_EINVAL);
    /* A workspace sized for a shorter corpus is refused. */
    o.length = 128;
    CHECK_INT(xf_corpus_new(&o, &c2, &e), XF_OK);
    {
        double v2[128];
        CHECK_INT(xf_corpus_series(c2, ws, 3, 128, v2, NULL, NULL), XF_EINVAL);
        CHECK_INT(xf_corpus_series(c2, ws, 3, 64, v2, NULL, NULL), XF_OK);
    }
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c2);
    xf_corpus_free(c);
    xf_corpus_free(NULL);
    xf_corpus_workspace_free(NULL);
}

/* ---------------------------------------------------------- determinism */

static void test_determinism(void)
{
    enum { N = 300, LEN = 512 };
    xf_corpus_options o;
    xf_corpus *c, *c_same, *c_other;
    xf_corpus_workspace *w1, *w2;
    double *a = malloc(sizeof(double) * N * LEN), v[LEN], v2[LEN];
    uint8_t *oa = malloc((size_t)N * LEN), ob[LEN];
    xf_error e;
    int i, n_diff_bits = 0, n_same_next = 0, n_same_seed = 0;

    xf_corpus_options_init(&o);
    o.length = LEN;
    o.missing_rate = 0.05; /* NaN bits are compared too */
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_OK);
    CHECK_INT(xf_corpus_new(&o, &c_same, &e), XF_OK);
    o.seed++;
    CHECK_INT(xf_corpus_new(&o, &c_other, &e), XF_OK);
    w1 = new_ws(c);
    w2 = new_ws(c);
    for (i = 0; i < N; i++)
        CHECK_INT(xf_corpus_series(c, w1, (uint64_t)i, LEN, a + (size_t)i * LEN,
                                   oa + (size_t)i * LEN, NULL),
                  XF_OK);
    /* Reverse order, another workspace, other calls in between, another
     * corpus object with the same options. */
    for (i = N - 1; i >= 0; i--) {
        xf_corpus_series(c, w2, UINT64_C(0xdeadbeef) + (uint64_t)i, 100, v2, NULL, NULL);
        xf_corpus_series(i % 2 ? c : c_same, w2, (uint64_t)i, LEN, v, ob, NULL);
        if (memcmp(v, a + (size_t)i * LEN, sizeof v) != 0 || memcmp(ob, oa + (size_t)i * LEN, LEN))
            n_diff_bits++;
        if (i + 1 < N && memcmp(v, a + (size_t)(i + 1) * LEN, sizeof v) == 0)
            n_same_next++;
        xf_corpus_series(c_other, w1, (uint64_t)i, LEN, v2, NULL, NULL);
        if (memcmp(v, v2, sizeof v) == 0)
            n_same_seed++;
    }
    CHECK_INT(n_diff_bits, 0);
    CHECK_INT(n_same_next, 0);
    CHECK_INT(n_same_seed, 0);
    /* Huge indices work and differ. */
    CHECK_INT(xf_corpus_series(c, w1, UINT64_MAX, LEN, v, NULL, NULL), XF_OK);
    CHECK_INT(xf_corpus_series(c, w2, UINT64_MAX - 1, LEN, v2, NULL, NULL), XF_OK);
    CHECK(memcmp(v, v2, sizeof v) != 0);
    xf_corpus_workspace_free(w1);
    xf_corpus_workspace_free(w2);
    xf_corpus_free(c);
    xf_corpus_free(c_same);
    xf_corpus_free(c_other);
    free(a);
    free(oa);
}

/* ------------------------------------------------------ v1 stays frozen */

/* The corpus the shipped encoders were trained on (seed 1, length 512 + 64,
 * the defaults otherwise: models/README.md) must not change by one bit:
 * digests of training series 0..399 and validation series 2^62 + 0..63,
 * computed by the code that trained them (commit 208b49b, before corpus v2).
 * Values of series with a Gaussian-process part go through LAPACK's
 * Cholesky, whose last bits depend on the CPU kernel OpenBLAS picks (see
 * corpus.h), so for those the digest covers what the RNG decides (family,
 * kernel text, grid step, overlays, the missing mask), and for every other
 * series the value bits themselves. */
static void test_v1_frozen(void)
{
    enum { LEN = 576, N_TRAIN = 400, N_VALID = 64 };
    xf_corpus_options o;
    xf_corpus *c = NULL;
    xf_corpus_workspace *ws;
    xf_corpus_info in;
    double v[LEN];
    uint8_t ob[LEN];
    xf_error e;
    uint64_t h_exact = UINT64_C(0xcbf29ce484222325), h_gp = h_exact;
    int i, n_gp = 0, n_exact = 0;

    xf_corpus_options_init(&o);
    o.seed = 1;
    o.length = LEN;
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_OK);
    if (c == NULL)
        return;
    ws = new_ws(c);
    for (i = 0; i < N_TRAIN + N_VALID; i++) {
        uint64_t idx = i < N_TRAIN ? (uint64_t)i : (UINT64_C(1) << 62) + (uint64_t)(i - N_TRAIN);
        int has_gp, k;
        CHECK_INT(xf_corpus_series(c, ws, idx, LEN, v, ob, &in), XF_OK);
        has_gp = in.family == XF_CORPUS_GP;
        for (k = 0; k < in.n_components && in.family == XF_CORPUS_MIXTURE; k++)
            has_gp |= in.component[k] == XF_CORPUS_GP;
        if (has_gp) {
            int32_t f[5] = {(int32_t)in.family, in.n_kernels, in.gp_step, in.n_level_shifts,
                            in.n_spikes};
            h_gp = tu_fnv1a(h_gp, f, sizeof f);
            h_gp = tu_fnv1a(h_gp, in.kernel, strlen(in.kernel));
            h_gp = tu_fnv1a(h_gp, ob, sizeof ob);
            n_gp++;
        } else {
            h_exact = tu_fnv1a(h_exact, v, sizeof v);
            h_exact = tu_fnv1a(h_exact, ob, sizeof ob);
            n_exact++;
        }
    }
    printf("v1 digests: %d series exact %016llx, %d with a GP part %016llx\n", n_exact,
           (unsigned long long)h_exact, n_gp, (unsigned long long)h_gp);
    CHECK_INT(n_exact, V1_N_EXACT);
    CHECK_INT(n_gp, N_TRAIN + N_VALID - V1_N_EXACT);
    CHECK_MSG(h_exact == V1_DIGEST_EXACT, "corpus v1 changed: digest %016llx",
              (unsigned long long)h_exact);
    CHECK_MSG(h_gp == V1_DIGEST_GP, "corpus v1 changed: GP digest %016llx",
              (unsigned long long)h_gp);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* ------------------------------------------------------------- the mix */

/* Default options: every family appears; every series is finite where
 * observed, NaN where not, and not constant; info is consistent. */
static void test_mix(void)
{
    enum { N = 3000, LEN = 1024 };
    xf_corpus_options o;
    xf_corpus *c;
    xf_corpus_workspace *ws;
    xf_corpus_info in;
    double v[LEN];
    uint8_t ob[LEN];
    int count[XF_CORPUS_N_FAMILIES] = {0}, n_bad = 0, n_const = 0, n_info = 0, n_pos = 0, i, f;
    int n_mix3 = 0, n_shift = 0, n_spike = 0;
    xf_error e;

    xf_corpus_options_init(&o);
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_OK);
    ws = new_ws(c);
    for (i = 0; i < N; i++) {
        double lo = INFINITY, hi = -INFINITY;
        size_t t, miss = 0;
        int neg = 0;
        CHECK_INT(xf_corpus_series(c, ws, (uint64_t)i, LEN, v, ob, &in), XF_OK);
        count[in.family]++;
        for (t = 0; t < LEN; t++) {
            if (ob[t]) {
                if (!isfinite(v[t]))
                    n_bad++;
                lo = v[t] < lo ? v[t] : lo;
                hi = v[t] > hi ? v[t] : hi;
                neg |= v[t] < 0;
            } else {
                miss++;
                if (!isnan(v[t]))
                    n_bad++;
            }
        }
        if (!(hi > lo))
            n_const++;
        if (in.index != (uint64_t)i || in.n_missing != miss || in.positive != !neg ||
            in.variant == NULL || (in.family == XF_CORPUS_MIXTURE) != (in.n_components > 1))
            n_info++;
        if (in.family == XF_CORPUS_MIXTURE) {
            double s = 0;
            for (f = 0; f < in.n_components; f++) {
                s += in.component_weight[f];
                if (in.component[f] == XF_CORPUS_MIXTURE ||
                    (f && in.component_weight[f] > in.component_weight[f - 1]))
                    n_info++;
            }
            if (fabs(s - 1.0) > 1e-9)
                n_info++;
            n_mix3 += in.n_components == 3;
        }
        if (in.family == XF_CORPUS_GP && (in.kernel[0] == '\0' || in.gp_step != 4))
            n_info++;
        n_pos += in.positive;
        n_shift += in.n_level_shifts > 0;
        n_spike += in.n_spikes > 0;
    }
    for (f = 0; f < XF_CORPUS_N_FAMILIES; f++)
        CHECK_MSG(count[f] > N / 50, "family %s: %d series of %d", xf_corpus_family_name(f),
                  count[f], N);
    CHECK_INT(n_bad, 0);
    CHECK_INT(n_const, 0);
    CHECK_INT(n_info, 0);
    CHECK_MSG(n_pos > N / 5 && n_pos < N * 4 / 5, "%d positive series of %d", n_pos, N);
    CHECK(n_mix3 > 0);
    CHECK_MSG(n_shift > N / 20 && n_spike > N / 20, "%d shifted, %d spiked", n_shift, n_spike);
    printf("default mix of %d series:", N);
    for (f = 0; f < XF_CORPUS_N_FAMILIES; f++)
        printf(" %s %d", xf_corpus_family_name(f), count[f]);
    printf("; %d positive-only, %d with level shifts, %d with spikes\n", n_pos, n_shift, n_spike);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* ------------------------------------------------------------- families */

static void print_family(const char *name, int n, double a, const char *an, double b,
                         const char *bn)
{
    printf("  %-13s %4d series: %s %.3g, %s %.3g\n", name, n, an, a, bn, b);
}

/* A GP with one periodic kernel is periodic: at length 256 (exact grid) and
 * 1024 (interpolated from step 4). */
static void test_gp(void)
{
    static const size_t lens[2] = {256, 1024};
    int li;
    for (li = 0; li < 2; li++) {
        const size_t len = lens[li];
        xf_corpus *c = family_corpus(XF_CORPUS_GP, len);
        xf_corpus_workspace *ws = new_ws(c);
        xf_corpus_info in;
        double *v = malloc(len * sizeof *v), corr[400];
        int i, n_per = 0, n_bad = 0, n_lin = 0;
        for (i = 0; i < 1200 && n_per < 400; i++) {
            size_t p;
            double r, rh;
            xf_corpus_series(c, ws, (uint64_t)i, len, v, NULL, &in);
            CHECK_INT(in.family, XF_CORPUS_GP);
            CHECK_INT(in.gp_step, len == 256 ? 1 : 4);
            n_lin += strstr(in.kernel, "Lin(") != NULL;
            if (in.n_kernels != 1 || in.period <= 0)
                continue;
            CHECK_MSG(strncmp(in.kernel, "Per(", 4) == 0, "%s", in.kernel);
            p = (size_t)floor(in.period + 0.5);
            r = tu_lag_corr(v, len, p);
            rh = tu_lag_corr(v, len, (p + 1) / 2);
            corr[n_per++] = r;
            /* Integer periods repeat exactly (up to the 1e-6 jitter). */
            if (in.period == floor(in.period) ? r < 0.99 : r < 0.5 || r < rh)
                n_bad++;
        }
        CHECK_MSG(n_per >= 20, "only %d single periodic kernels", n_per);
        CHECK_MSG(n_bad <= n_per / 20, "%d of %d periodic GP series not periodic", n_bad, n_per);
        CHECK(n_lin > 0);
        if (len == 256)
            print_family("gp (len 256)", n_per, median(corr, (size_t)n_per),
                         "single periodic kernel: median lag-period corr", (double)n_bad, "misses");
        else
            print_family("gp (len 1024)", n_per, median(corr, (size_t)n_per),
                         "single periodic kernel: median lag-period corr", (double)n_bad, "misses");
        free(v);
        xf_corpus_workspace_free(ws);
        xf_corpus_free(c);
    }
}

/* Seasonal series, once the trend is removed with a centred moving average
 * of one period, correlate more at their main period than at half of it. */
static void test_seasonal(void)
{
    enum { LEN = 1024, N = 600 };
    xf_corpus *c = family_corpus(XF_CORPUS_SEASONAL, LEN);
    xf_corpus_workspace *ws = new_ws(c);
    xf_corpus_info in;
    double v[LEN], res[LEN], corr[N];
    int i, n_used = 0, n_bad = 0, n_mult = 0, n_mult_bad = 0;

    for (i = 0; i < N; i++) {
        size_t p, t, k, half;
        double r, rh, s;
        xf_corpus_series(c, ws, (uint64_t)i, LEN, v, NULL, &in);
        CHECK_INT(in.family, XF_CORPUS_SEASONAL);
        CHECK(in.n_periods >= 1 && in.periods[0] == in.period && in.trend != NULL);
        if (in.multiplicative) {
            n_mult++;
            n_mult_bad += !in.positive;
        }
        if (in.period < 4 || in.period > LEN / 4)
            continue;
        p = (size_t)floor(in.period + 0.5);
        half = p / 2;
        /* Residual from a centred moving average of p points. */
        for (t = 0; t + p <= LEN; t++) {
            s = 0;
            for (k = 0; k < p; k++)
                s += v[t + k];
            res[t] = v[t + half] - s / (double)p;
        }
        r = tu_lag_corr(res, LEN - p + 1, p);
        rh = tu_lag_corr(res, LEN - p + 1, (p + 1) / 2);
        corr[n_used++] = r;
        if (!(r > 0.2 && r > rh))
            n_bad++;
    }
    CHECK_MSG(n_used >= N / 2, "%d usable seasonal series", n_used);
    CHECK_MSG(n_bad <= n_used / 10, "%d of %d seasonal series without a peak at their period",
              n_bad, n_used);
    CHECK(n_mult > N / 5);
    CHECK_INT(n_mult_bad, 0);
    print_family("seasonal", n_used, median(corr, (size_t)n_used),
                 "median lag-period corr of the detrended series", (double)n_bad, "misses");
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* Step-down Levinson: the partial autocorrelations of an AR(p) polynomial;
 * it is stationary iff all of them lie in (-1, 1). */
static int ar_stationary(const double *ar, int p)
{
    double phi[3], tmp[3];
    int k, j;
    for (j = 0; j < p; j++)
        phi[j] = ar[j];
    for (k = p - 1; k >= 0; k--) {
        double kap = phi[k];
        if (!(fabs(kap) < 1.0))
            return 0;
        for (j = 0; j < k; j++)
            tmp[j] = (phi[j] + kap * phi[k - 1 - j]) / (1.0 - kap * kap);
        for (j = 0; j < k; j++)
            phi[j] = tmp[j];
    }
    return 1;
}

/* ARMA: stationary coefficients, stable variance over time, variogram flat. */
static void test_arma(double *vario_ratio_median)
{
    enum { LEN = 1024, N = 500 };
    xf_corpus *c = family_corpus(XF_CORPUS_ARMA, LEN);
    xf_corpus_workspace *ws = new_ws(c);
    xf_corpus_info in;
    double v[LEN], ratio[N], vr[N];
    int i, n_nonstat = 0, n_drift = 0, n_sar = 0, n_orders[4][4] = {{0}};

    for (i = 0; i < N; i++) {
        double v1, v2;
        xf_corpus_series(c, ws, (uint64_t)i, LEN, v, NULL, &in);
        CHECK_INT(in.family, XF_CORPUS_ARMA);
        if (!ar_stationary(in.ar, in.ar_order) || !(fabs(in.seasonal_ar) < 1.0))
            n_nonstat++;
        n_sar += in.seasonal_lag > 0;
        n_orders[in.ar_order][in.ma_order]++;
        v1 = variance(v, LEN / 2);
        v2 = variance(v + LEN / 2, LEN / 2);
        ratio[i] = v2 / v1;
        if (!(ratio[i] > 0.2 && ratio[i] < 5.0))
            n_drift++;
        vr[i] = variogram(v, LEN, 64) / variogram(v, LEN, 4);
    }
    CHECK_INT(n_nonstat, 0);
    CHECK_MSG(n_drift <= N / 20, "%d of %d ARMA series change variance by >5x", n_drift, N);
    CHECK(n_sar > N / 5);
    CHECK(n_orders[0][3] > 0 && n_orders[3][0] > 0 && n_orders[3][3] > 0 && n_orders[0][0] == 0);
    *vario_ratio_median = median(vr, N);
    print_family("arma", N, median(ratio, N), "median var(2nd half)/var(1st half)",
                 *vario_ratio_median, "median variogram(64)/variogram(4)");
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* Random walks: the variogram grows with the lag (linearly for a pure walk:
 * ratio 16 between lags 64 and 4); prices are positive. */
static void test_random_walk(double arma_ratio)
{
    enum { LEN = 1024, N = 500 };
    xf_corpus *c = family_corpus(XF_CORPUS_RANDOM_WALK, LEN);
    xf_corpus_workspace *ws = new_ws(c);
    xf_corpus_info in;
    double v[LEN], vr[N], med;
    int i, n_price = 0, n_price_bad = 0, n_garch = 0;

    for (i = 0; i < N; i++) {
        size_t t;
        xf_corpus_series(c, ws, (uint64_t)i, LEN, v, NULL, &in);
        CHECK_INT(in.family, XF_CORPUS_RANDOM_WALK);
        if (strcmp(in.variant, "price") == 0) {
            n_price++;
            n_price_bad += !in.positive;
            for (t = 0; t < LEN; t++)
                v[t] = log(v[t]);
        }
        n_garch += in.garch_alpha > 0 && in.garch_alpha + in.garch_beta < 1.0;
        vr[i] = variogram(v, LEN, 64) / variogram(v, LEN, 4);
    }
    med = median(vr, N);
    CHECK_MSG(med > 8.0, "median variogram ratio %g", med);
    CHECK(med > 3.0 * arma_ratio);
    CHECK(n_price > N / 5);
    CHECK_INT(n_price_bad, 0);
    CHECK(n_garch > N / 5);
    print_family("random_walk", N, med, "median variogram(64)/variogram(4)", (double)n_price,
                 "price-like");
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* Intermittent: mostly zero, never negative, counts are integers. */
static void test_intermittent(void)
{
    enum { LEN = 512, N = 500 };
    xf_corpus *c = family_corpus(XF_CORPUS_INTERMITTENT, LEN);
    xf_corpus_workspace *ws = new_ws(c);
    xf_corpus_info in;
    double v[LEN], zf[N];
    int i, n_mostly_zero = 0, n_neg = 0, n_nonint = 0, n_allzero = 0;

    for (i = 0; i < N; i++) {
        size_t t, z = 0;
        int counts;
        xf_corpus_series(c, ws, (uint64_t)i, LEN, v, NULL, &in);
        CHECK_INT(in.family, XF_CORPUS_INTERMITTENT);
        counts = strcmp(in.variant, "rain") != 0;
        for (t = 0; t < LEN; t++) {
            z += v[t] == 0.0;
            n_neg += v[t] < 0.0;
            if (counts && v[t] != floor(v[t]))
                n_nonint++;
        }
        zf[i] = (double)z / LEN;
        n_mostly_zero += zf[i] > 0.5;
        n_allzero += z == LEN;
    }
    CHECK_MSG(n_mostly_zero >= N * 9 / 10, "%d of %d mostly zero", n_mostly_zero, N);
    CHECK_INT(n_neg, 0);
    CHECK_INT(n_nonint, 0);
    CHECK_INT(n_allzero, 0);
    print_family("intermittent", N, median(zf, N), "median zero share", (double)n_mostly_zero,
                 "mostly zero");
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* Mixtures: standardised components, so the raw mix varies. */
static void test_mixture(void)
{
    enum { LEN = 512, N = 300 };
    xf_corpus *c = family_corpus(XF_CORPUS_MIXTURE, LEN);
    xf_corpus_workspace *ws = new_ws(c);
    xf_corpus_info in;
    double v[LEN];
    int i, seen[XF_CORPUS_N_FAMILIES] = {0}, f, n_bad = 0;

    for (i = 0; i < N; i++) {
        xf_corpus_series(c, ws, (uint64_t)i, LEN, v, NULL, &in);
        CHECK_INT(in.family, XF_CORPUS_MIXTURE);
        if (in.n_components < 2 || in.n_components > 3)
            n_bad++;
        for (f = 0; f < in.n_components; f++)
            seen[in.component[f]]++;
    }
    CHECK_INT(n_bad, 0);
    /* A corpus of mixtures only mixes every other family. */
    for (f = 0; f < XF_CORPUS_MIXTURE; f++)
        CHECK_MSG(seen[f] > 0, "family %s never mixed", xf_corpus_family_name(f));
    CHECK_INT(seen[XF_CORPUS_MIXTURE], 0);
    print_family("mixture", N, (double)seen[XF_CORPUS_GP], "GP components",
                 (double)seen[XF_CORPUS_SEASONAL], "seasonal components");
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* Missing values: the share matches the option; NaN exactly where not
 * observed; runs have about the requested mean length. */
static void test_missing(void)
{
    enum { LEN = 512, N = 1000 };
    xf_corpus_options o;
    xf_corpus *c;
    xf_corpus_workspace *ws;
    xf_corpus_info in;
    double v[LEN], share, run_mean;
    uint8_t ob[LEN];
    size_t miss = 0, runs = 0, mismatch = 0;
    xf_error e;
    int i;

    xf_corpus_options_init(&o);
    o.length = LEN;
    o.missing_rate = 0.05;
    o.missing_run_mean = 8.0;
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_OK);
    ws = new_ws(c);
    for (i = 0; i < N; i++) {
        size_t t;
        xf_corpus_series(c, ws, (uint64_t)i, LEN, v, ob, &in);
        for (t = 0; t < LEN; t++) {
            if (!ob[t]) {
                miss++;
                if (t == 0 || ob[t - 1])
                    runs++;
            }
            if ((ob[t] == 0) != (isnan(v[t]) != 0))
                mismatch++;
        }
    }
    share = (double)miss / ((double)N * LEN);
    run_mean = runs ? (double)miss / (double)runs : 0.0;
    CHECK_MSG(fabs(share - 0.05) < 0.005, "missing share %g", share);
    CHECK_MSG(run_mean > 6.5 && run_mean < 9.0, "mean missing run %g", run_mean);
    CHECK_INT(mismatch, 0);
    printf("  missing       %4d series: share %.4f (option 0.05), mean run %.2f (option 8)\n", N,
           share, run_mean);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);

    /* Rate 0: nothing missing; observed may be NULL. */
    o.missing_rate = 0.0;
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_OK);
    ws = new_ws(c);
    for (i = 0; i < 50; i++) {
        size_t t;
        CHECK_INT(xf_corpus_series(c, ws, (uint64_t)i, LEN, v, ob, &in), XF_OK);
        for (t = 0; t < LEN; t++)
            CHECK(ob[t] == 1 && isfinite(v[t]));
        CHECK_INT(in.n_missing, 0);
    }
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* ------------------------------------------------------- reuse and speed */

static void test_reuse_and_rate(void)
{
    enum { LEN = 1024 };
    xf_corpus_options o;
    xf_corpus *c;
    xf_corpus_workspace *ws;
    double v[LEN], t0, c0, dt, dc;
    uint8_t ob[LEN];
    xf_error e;
    int i, n_bad = 0, n_rate = 2000;

    /* One workspace, 10 000 series of varying lengths. */
    xf_corpus_options_init(&o);
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_OK);
    ws = new_ws(c);
    for (i = 0; i < 10000; i++) {
        size_t len = 16 + (size_t)(i * 7919) % 240, t;
        if (xf_corpus_series(c, ws, (uint64_t)i * 3, len, v, ob, NULL) != XF_OK)
            n_bad++;
        for (t = 0; t < len; t++)
            if (ob[t] && !isfinite(v[t]))
                n_bad++;
    }
    CHECK_INT(n_bad, 0);

    /* Rate at length 1024 with the default mix (printed, not checked). */
    if (getenv("XF_CORPUS_RATE_N") != NULL)
        n_rate = atoi(getenv("XF_CORPUS_RATE_N"));
    t0 = now_s(CLOCK_MONOTONIC);
    c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    for (i = 0; i < n_rate; i++)
        xf_corpus_series(c, ws, UINT64_C(1000000) + (uint64_t)i, LEN, v, ob, NULL);
    dt = now_s(CLOCK_MONOTONIC) - t0;
    dc = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    /* CPU time (all threads, BLAS's included) is the measure that a busy
     * machine disturbs least. */
    if (dt > 0 && dc > 0)
        printf("generation rate, default mix, length 1024, one thread: %.0f series per CPU "
               "second (%.0f windows at 4 per series); %.0f series/s wall clock\n",
               n_rate / dc, 4 * n_rate / dc, n_rate / dt);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

int main(void)
{
    double arma_ratio = 0.0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_cholesky();
    test_options();
    test_determinism();
    test_v1_frozen();
    test_mix();
    printf("per family (no overlays, no missing values):\n");
    test_gp();
    test_seasonal();
    test_arma(&arma_ratio);
    test_random_walk(arma_ratio);
    test_intermittent();
    test_mixture();
    test_missing();
    test_reuse_and_rate();
    return tu_report("test_corpus");
}
