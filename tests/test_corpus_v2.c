/* test_corpus_v2.c - corpus version 2 (the domain-like corpus, issue 14):
 *
 *   - options and arguments: unknown version, bad kind weights, a sample
 *     info without struct_size, lengths out of range, with their messages;
 *   - determinism: sample i is the same bytes (values, mask, covariate) from
 *     another workspace, in reverse order, and from 3 threads at once;
 *     xf_corpus_sample_length(i) (O(1)) is the generated length;
 *     xf_corpus_series at a given length is xf_corpus_sample at it;
 *   - version 1 through xf_corpus_sample is xf_corpus_series, bit for bit;
 *   - the mixture: every kind appears with its weight (within 4 standard
 *     deviations), lengths lie in 50..5000 with short and long ones, values
 *     are finite where observed, only energy samples carry a covariate;
 *   - the periods users have (4, 7, 12, 24, 48, 52, 168, 336, 24 + 168,
 *     48 + 336) all occur, and seasonal, energy and weather samples
 *     correlate at their main period;
 *   - per kind: intermittent samples are non-negative integers with zeros;
 *     stock prices are positive and their squared returns autocorrelate
 *     (volatility clustering) while the returns barely do; energy loads are
 *     positive and follow the temperature covariate; radiation is zero at
 *     night; damped trends have a damping factor in (0, 1); level-shift
 *     samples have shifts.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

#include "testutil.h"

#define MAXN XF_CORPUS_V2_MAX_LENGTH

static xf_corpus *v2_corpus(uint64_t seed, double missing_rate)
{
    xf_corpus_options o;
    xf_corpus *c = NULL;
    xf_error e;
    xf_corpus_options_init(&o);
    o.version = XF_CORPUS_VERSION_2;
    o.seed = seed;
    o.missing_rate = missing_rate;
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n == 0 ? NAN : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* R^2 of the least-squares fit of y by a + b x + c x^2 over the 7-day
 * moving averages of y and x (which remove the weekly cycle), finite
 * values only. */
static double quad_r2(const double *y, const double *x, size_t n)
{
    double S[3][4] = {{0}}, my = 0, syy = 0, sse = 0, cnt = 0, coef[3], det;
    double M[3][3];
    size_t d, j, k;
    for (d = 3; d + 3 < n; d++) {
        double ya = 0, xa = 0, m = 0, b[3];
        for (j = d - 3; j <= d + 3; j++)
            if (isfinite(y[j]) && isfinite(x[j])) {
                ya += y[j];
                xa += x[j];
                m++;
            }
        if (m < 4)
            continue;
        ya /= m;
        xa /= m;
        b[0] = 1.0;
        b[1] = xa;
        b[2] = xa * xa;
        for (j = 0; j < 3; j++) {
            for (k = 0; k < 3; k++)
                S[j][k] += b[j] * b[k];
            S[j][3] += b[j] * ya;
        }
        my += ya;
        syy += ya * ya;
        cnt++;
    }
    if (cnt < 10)
        return 0.0;
        /* Cramer's rule on the 3 x 3 normal equations */
#define DET3(A)                                                                                    \
    ((A)[0][0] * ((A)[1][1] * (A)[2][2] - (A)[1][2] * (A)[2][1]) -                                 \
     (A)[0][1] * ((A)[1][0] * (A)[2][2] - (A)[1][2] * (A)[2][0]) +                                 \
     (A)[0][2] * ((A)[1][0] * (A)[2][1] - (A)[1][1] * (A)[2][0]))
    for (j = 0; j < 3; j++)
        for (k = 0; k < 3; k++)
            M[j][k] = S[j][k];
    det = DET3(M);
    if (!(fabs(det) > 0.0))
        return 0.0;
    for (j = 0; j < 3; j++) {
        for (d = 0; d < 3; d++)
            for (k = 0; k < 3; k++)
                M[d][k] = k == j ? S[d][3] : S[d][k];
        coef[j] = DET3(M) / det;
    }
#undef DET3
    /* SSE = y'y - 2 c'X'y + c'X'Xc */
    sse = syy;
    for (j = 0; j < 3; j++) {
        sse -= 2.0 * coef[j] * S[j][3];
        for (k = 0; k < 3; k++)
            sse += coef[j] * S[j][k] * coef[k];
    }
    syy -= my * my / cnt;
    return syy > 0.0 ? 1.0 - sse / syy : 0.0;
}

/* Digest of sample i: values, mask, covariate and length. */
static uint64_t sample_digest(const xf_corpus *c, xf_corpus_workspace *ws, uint64_t i, double *v,
                              uint8_t *ob, double *cov)
{
    xf_corpus_sample_info in;
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    xf_corpus_sample_info_init(&in);
    if (xf_corpus_sample(c, ws, i, 0, v, ob, cov, &in) != XF_OK)
        return 0;
    h = tu_fnv1a(h, &in.length, sizeof in.length);
    h = tu_fnv1a(h, v, in.length * sizeof *v);
    h = tu_fnv1a(h, ob, in.length);
    h = tu_fnv1a(h, cov, in.length * sizeof *cov);
    return h;
}

/* ---------------------------------------------------------- options */

static void test_options(void)
{
    xf_corpus_options o;
    xf_corpus *c = NULL;
    xf_corpus_workspace *ws;
    xf_corpus_sample_info in;
    xf_error e;
    double *v = malloc(sizeof(double) * (MAXN + 1));

    xf_corpus_options_init(&o);
    CHECK_INT(o.version, XF_CORPUS_VERSION_1);
    o.version = 3;
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_EINVAL);
    CHECK_STR(e.message, "corpus version 3 is unknown; this build makes 1 and 2");
    CHECK(c == NULL);
    o.version = XF_CORPUS_VERSION_2;
    o.kind_weights[XF_CORPUS_KIND_STOCK] = -1.0;
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_EINVAL);
    CHECK_STR(e.message, "corpus weight of kind 'stock' is -1; weights must be finite and >= 0");
    memset(o.kind_weights, 0, sizeof o.kind_weights);
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_EINVAL);
    CHECK(strstr(e.message, "kind weights sum to 0") != NULL);
    CHECK_STR(xf_corpus_kind_name(XF_CORPUS_KIND_LEVEL_SHIFT), "level_shift");
    CHECK_STR(xf_corpus_kind_name(XF_CORPUS_N_KINDS), "unknown");

    c = v2_corpus(5, 0.0);
    ws = new_ws(c);
    /* a version-2 corpus serves lengths up to 5000 whatever its `length` */
    CHECK_INT(xf_corpus_get_options(c)->length, 1024);
    CHECK_INT(xf_corpus_series(c, ws, 1, MAXN, v, NULL, NULL), XF_OK);
    CHECK_INT(xf_corpus_series(c, ws, 1, MAXN + 1, v, NULL, NULL), XF_EINVAL);
    CHECK_INT(xf_corpus_sample(c, ws, 1, MAXN + 1, v, NULL, NULL, NULL), XF_EINVAL);
    CHECK_INT(xf_corpus_sample(c, ws, 1, XF_CORPUS_MIN_LENGTH - 1, v, NULL, NULL, NULL), XF_EINVAL);
    CHECK_INT(xf_corpus_sample(NULL, ws, 1, 0, v, NULL, NULL, NULL), XF_EINVAL);
    CHECK_INT(xf_corpus_sample(c, NULL, 1, 0, v, NULL, NULL, NULL), XF_EINVAL);
    CHECK_INT(xf_corpus_sample(c, ws, 1, 0, NULL, NULL, NULL, NULL), XF_EINVAL);
    memset(&in, 0, sizeof in); /* struct_size not set */
    CHECK_INT(xf_corpus_sample(c, ws, 1, 0, v, NULL, NULL, &in), XF_EINVAL);
    xf_corpus_sample_info_init(&in);
    CHECK_INT(xf_corpus_sample(c, ws, 1, 0, v, NULL, NULL, &in), XF_OK);
    CHECK_INT(in.struct_size, sizeof in);
    CHECK_INT(in.version, 2);
    CHECK_INT(xf_corpus_sample_length(NULL, 1), 0);
    /* a workspace of a shorter version-1 corpus is too small */
    {
        xf_corpus_options o1;
        xf_corpus *c1 = NULL;
        xf_corpus_workspace *w1;
        xf_corpus_options_init(&o1);
        o1.length = 100;
        CHECK_INT(xf_corpus_new(&o1, &c1, &e), XF_OK);
        w1 = new_ws(c1);
        CHECK_INT(xf_corpus_sample(c, w1, 1, 101, v, NULL, NULL, NULL), XF_EINVAL);
        CHECK_INT(xf_corpus_sample_length(c1, 7), 100);
        xf_corpus_workspace_free(w1);
        xf_corpus_free(c1);
    }
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
    free(v);
}

/* ------------------------------------------------------ determinism */

enum { N_DET = 240, N_THREADS = 3 };

typedef struct det_job {
    const xf_corpus *c;
    int first;
    uint64_t *digest; /* [N_DET] */
} det_job;

static void *det_worker(void *arg)
{
    det_job *j = arg;
    xf_corpus_workspace *ws = new_ws(j->c);
    double *v = malloc(sizeof(double) * MAXN), *cov = malloc(sizeof(double) * MAXN);
    uint8_t *ob = malloc(MAXN);
    int i;
    for (i = j->first; i < N_DET; i += N_THREADS)
        j->digest[i] = sample_digest(j->c, ws, (uint64_t)i, v, ob, cov);
    free(v);
    free(cov);
    free(ob);
    xf_corpus_workspace_free(ws);
    return NULL;
}

static void test_determinism(void)
{
    xf_corpus *c = v2_corpus(0x2385, 0.02), *c_other = v2_corpus(0x2386, 0.02);
    xf_corpus_workspace *w1 = new_ws(c), *w2 = new_ws(c);
    uint64_t a[N_DET], b[N_DET];
    double *v = malloc(sizeof(double) * MAXN), *cov = malloc(sizeof(double) * MAXN);
    double *v2 = malloc(sizeof(double) * MAXN);
    uint8_t *ob = malloc(MAXN);
    pthread_t th[N_THREADS];
    det_job jobs[N_THREADS];
    int i, n_diff = 0, n_len = 0, n_same_other = 0, n_series_diff = 0, n_dup = 0;

    for (i = 0; i < N_DET; i++)
        a[i] = sample_digest(c, w1, (uint64_t)i, v, ob, cov);
    /* reverse order, another workspace, other samples in between */
    for (i = N_DET - 1; i >= 0; i--) {
        xf_corpus_sample_info in;
        size_t n;
        sample_digest(c, w2, UINT64_C(1) << 40 | (uint64_t)i, v, ob, cov);
        b[i] = sample_digest(c, w2, (uint64_t)i, v, ob, cov);
        n_diff += a[i] != b[i];
        if (i > 0 && a[i] == a[i - 1])
            n_dup++;
        /* the O(1) length is the generated one */
        xf_corpus_sample_info_init(&in);
        xf_corpus_sample(c, w1, (uint64_t)i, 0, v, NULL, NULL, &in);
        n = xf_corpus_sample_length(c, (uint64_t)i);
        n_len += n != in.length;
        /* xf_corpus_series at that length is the same series; its v1
         * info says the kind */
        {
            xf_corpus_info v1;
            xf_corpus_series(c, w2, (uint64_t)i, n, v2, NULL, &v1);
            n_series_diff += memcmp(v, v2, n * sizeof *v) != 0 ||
                             v1.family != XF_CORPUS_N_FAMILIES ||
                             strcmp(v1.variant, xf_corpus_kind_name(in.kind)) != 0 ||
                             v1.n_missing != in.n_missing || v1.index != (uint64_t)i;
        }
        n_same_other += sample_digest(c_other, w2, (uint64_t)i, v2, ob, cov) == a[i];
    }
    CHECK_INT(n_diff, 0);
    CHECK_INT(n_len, 0);
    CHECK_INT(n_series_diff, 0);
    CHECK_INT(n_same_other, 0);
    CHECK_INT(n_dup, 0);
    /* three threads at once, interleaved indices */
    memset(b, 0, sizeof b);
    for (i = 0; i < N_THREADS; i++) {
        jobs[i].c = c;
        jobs[i].first = i;
        jobs[i].digest = b;
        CHECK(pthread_create(&th[i], NULL, det_worker, &jobs[i]) == 0);
    }
    for (i = 0; i < N_THREADS; i++)
        pthread_join(th[i], NULL);
    n_diff = 0;
    for (i = 0; i < N_DET; i++)
        n_diff += a[i] != b[i];
    CHECK_INT(n_diff, 0);
    /* a forced length gives a series of that length, also deterministic */
    {
        xf_corpus_sample_info in;
        xf_corpus_sample_info_init(&in);
        CHECK_INT(xf_corpus_sample(c, w1, 17, 777, v, ob, cov, &in), XF_OK);
        CHECK_INT(in.length, 777);
        CHECK_INT(xf_corpus_sample(c, w2, 17, 777, v2, ob, cov, NULL), XF_OK);
        CHECK(memcmp(v, v2, 777 * sizeof *v) == 0);
    }
    xf_corpus_workspace_free(w1);
    xf_corpus_workspace_free(w2);
    xf_corpus_free(c);
    xf_corpus_free(c_other);
    free(v);
    free(v2);
    free(cov);
    free(ob);
}

/* Version 1 through xf_corpus_sample: the same bits as xf_corpus_series. */
static void test_v1_through_sample(void)
{
    enum { LEN = 300 };
    xf_corpus_options o;
    xf_corpus *c = NULL;
    xf_corpus_workspace *ws;
    xf_corpus_sample_info in;
    xf_corpus_info v1;
    xf_error e;
    double a[LEN], b[LEN], cov[LEN];
    int i, n_diff = 0, n_info = 0;
    xf_corpus_options_init(&o);
    o.length = LEN;
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_OK);
    ws = new_ws(c);
    for (i = 0; i < 100; i++) {
        xf_corpus_sample_info_init(&in);
        CHECK_INT(xf_corpus_sample(c, ws, (uint64_t)i, 0, a, NULL, cov, &in), XF_OK);
        xf_corpus_series(c, ws, (uint64_t)i, LEN, b, NULL, &v1);
        n_diff += memcmp(a, b, sizeof a) != 0;
        n_info += in.version != 1 || in.length != LEN || in.family != v1.family ||
                  in.kind != XF_CORPUS_KIND_GENERIC || in.has_covariate || !isnan(cov[0]) ||
                  in.n_missing != v1.n_missing;
    }
    CHECK_INT(n_diff, 0);
    CHECK_INT(n_info, 0);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* ------------------------------------------------ mixture and kinds */

enum { N_MIX = 6000 };

/* Statistics gathered over the mixture. */
typedef struct kind_stats {
    int count;
    double *acf; /* at the main period, per sample with one */
    int n_acf;
} kind_stats;

static void test_mixture(void)
{
    static const double want[XF_CORPUS_N_KINDS] = {0.20, 0.14, 0.12, 0.12, 0.10, 0.10, 0.07, 0.15};
    /* periods and pairs users have */
    static const double periods[] = {4, 7, 12, 24, 48, 52, 168, 336};
    enum { N_P = sizeof periods / sizeof periods[0] };
    xf_corpus *c = v2_corpus(1, 0.01);
    xf_corpus_workspace *ws = new_ws(c);
    xf_corpus_sample_info in;
    kind_stats ks[XF_CORPUS_N_KINDS];
    double *v = malloc(sizeof(double) * MAXN), *cov = malloc(sizeof(double) * MAXN);
    uint8_t *ob = malloc(MAXN);
    double *sq_acf = malloc(sizeof(double) * N_MIX), *ret_acf = malloc(sizeof(double) * N_MIX);
    double *load_temp = malloc(sizeof(double) * N_MIX),
           *zero_share = malloc(sizeof(double) * N_MIX);
    double *ret = malloc(sizeof(double) * MAXN), *sq = malloc(sizeof(double) * MAXN);
    int seen_p[N_P] = {0}, pair_24_168 = 0, pair_48_336 = 0, n_sq = 0, n_lt = 0, n_zs = 0;
    int n_bad_len = 0, n_nonfinite = 0, n_bad_cov = 0, n_short = 0, n_long = 0, n_int_bad = 0;
    int n_price_bad = 0, n_load_bad = 0, n_rad = 0, n_rad_night = 0, n_damped = 0, n_damp_bad = 0,
        n_ls_bad = 0, n_temp_bad = 0, n_hol = 0, n_energy_long = 0, k;
    size_t sum_len = 0, t;
    int i;

    for (k = 0; k < XF_CORPUS_N_KINDS; k++) {
        ks[k].count = 0;
        ks[k].n_acf = 0;
        ks[k].acf = malloc(sizeof(double) * N_MIX);
    }
    for (i = 0; i < N_MIX; i++) {
        size_t n;
        kind_stats *s;
        xf_corpus_sample_info_init(&in);
        CHECK_INT(xf_corpus_sample(c, ws, (uint64_t)i, 0, v, ob, cov, &in), XF_OK);
        n = in.length;
        s = &ks[in.kind];
        s->count++;
        sum_len += n;
        n_bad_len += n < XF_CORPUS_V2_MIN_LENGTH || n > XF_CORPUS_V2_MAX_LENGTH;
        n_short += n < 200;
        n_long += n > 2000;
        for (t = 0; t < n; t++)
            if (ob[t] ? !isfinite(v[t]) : !isnan(v[t]))
                n_nonfinite++;
        if (in.has_covariate != (in.kind == XF_CORPUS_KIND_ENERGY))
            n_bad_cov++;
        for (t = 0; t < n; t++)
            if (in.has_covariate ? !isfinite(cov[t]) : !isnan(cov[t])) {
                n_bad_cov++;
                break;
            }
        for (k = 0; k < in.n_periods; k++) {
            int j;
            for (j = 0; j < N_P; j++)
                seen_p[j] += in.periods[k] == periods[j];
        }
        pair_24_168 += in.n_periods == 2 && in.periods[0] == 24 && in.periods[1] == 168;
        pair_48_336 += in.n_periods == 2 && in.periods[0] == 48 && in.periods[1] == 336;
        /* correlation at the main period of the seasonal kinds */
        if ((in.kind == XF_CORPUS_KIND_SEASONAL || in.kind == XF_CORPUS_KIND_ENERGY ||
             (in.kind == XF_CORPUS_KIND_WEATHER && strcmp(in.calendar, "hourly") == 0)) &&
            in.n_periods > 0 && in.periods[0] == floor(in.periods[0]) &&
            in.periods[0] * 3 <= (double)n)
            s->acf[s->n_acf++] = tu_lag_corr(v, n, (size_t)in.periods[0]);
        switch (in.kind) {
        case XF_CORPUS_KIND_INTERMITTENT: {
            size_t zeros = 0, obs = 0;
            for (t = 0; t < n; t++) {
                if (!ob[t])
                    continue;
                obs++;
                zeros += v[t] == 0.0;
                if (v[t] < 0.0 || v[t] != floor(v[t]))
                    n_int_bad++;
            }
            n_int_bad += !in.integer || !in.positive;
            zero_share[n_zs++] = obs ? (double)zeros / (double)obs : 0.0;
            break;
        }
        case XF_CORPUS_KIND_STOCK:
            if (strcmp(in.variant, "price") == 0) {
                size_t m = 0;
                n_price_bad += !in.positive || in.garch_alpha <= 0.0 || in.garch_beta <= 0.0;
                for (t = 1; t < n; t++)
                    if (ob[t] && ob[t - 1] && v[t] > 0 && v[t - 1] > 0)
                        ret[m++] = log(v[t] / v[t - 1]);
                if (m > 500) {
                    double mu = 0.0;
                    for (t = 0; t < m; t++)
                        mu += ret[t] / (double)m;
                    for (t = 0; t < m; t++)
                        sq[t] = (ret[t] - mu) * (ret[t] - mu);
                    sq_acf[n_sq] = 0.0;
                    ret_acf[n_sq] = 0.0;
                    for (k = 1; k <= 5; k++) {
                        sq_acf[n_sq] += tu_lag_corr(sq, m, (size_t)k) / 5.0;
                        ret_acf[n_sq] += fabs(tu_lag_corr(ret, m, (size_t)k)) / 5.0;
                    }
                    n_sq++;
                }
            }
            break;
        case XF_CORPUS_KIND_ENERGY: {
            /* daily means of load against those of temperature, on long
             * sub-daily samples: the temperature explains the load's
             * week-to-week variation (heating and cooling: a quadratic fit) */
            size_t spd = (size_t)in.periods[0], d, nd;
            double dl[220], dt[220];
            n_load_bad += !in.positive || strcmp(in.covariate, "temperature") != 0;
            for (t = 0; t < n; t++)
                if (cov[t] < -60.0 || cov[t] > 70.0)
                    n_temp_bad++;
            n_hol += in.n_holidays > 0;
            if (spd >= 24 && n >= 60 * spd) {
                n_energy_long++;
                nd = n / spd < 220 ? n / spd : 220;
                for (d = 0; d < nd; d++) {
                    double sl = 0, st = 0, cnt = 0;
                    for (t = d * spd; t < (d + 1) * spd; t++)
                        if (ob[t]) {
                            sl += v[t];
                            st += cov[t];
                            cnt++;
                        }
                    dl[d] = cnt > 0 ? sl / cnt : NAN;
                    dt[d] = cnt > 0 ? st / cnt : NAN;
                }
                load_temp[n_lt++] = quad_r2(dl, dt, nd);
            }
            break;
        }
        case XF_CORPUS_KIND_WEATHER:
            if (strcmp(in.variant, "radiation") == 0 && strcmp(in.calendar, "hourly") == 0) {
                size_t zeros = 0;
                n_rad++;
                for (t = 0; t < n; t++)
                    zeros += ob[t] && v[t] == 0.0;
                n_rad_night += zeros > n / 5 && in.positive;
            }
            break;
        case XF_CORPUS_KIND_TREND:
            if (strcmp(in.variant, "damped") == 0) {
                n_damped++;
                n_damp_bad += !(in.damping > 0.0 && in.damping < 1.0);
            }
            break;
        case XF_CORPUS_KIND_LEVEL_SHIFT:
            n_ls_bad += in.n_level_shifts < 1;
            break;
        default:
            break;
        }
    }

    printf("corpus v2, %d samples, mean length %.0f (%d shorter than 200, %d longer than 2000):\n",
           N_MIX, (double)sum_len / N_MIX, n_short, n_long);
    for (k = 0; k < XF_CORPUS_N_KINDS; k++) {
        double p = want[k], sd = sqrt(p * (1 - p) / N_MIX), got = (double)ks[k].count / N_MIX;
        double med = ks[k].n_acf ? median(ks[k].acf, (size_t)ks[k].n_acf) : NAN;
        printf("  %-13s %5d  share %.3f (weight %.2f)", xf_corpus_kind_name((xf_corpus_kind)k),
               ks[k].count, got, p);
        if (ks[k].n_acf)
            printf("  median correlation at the main period %.2f (%d samples)", med, ks[k].n_acf);
        printf("\n");
        CHECK_MSG(fabs(got - p) <= 4 * sd, "kind %s: share %.4f, weight %.2f",
                  xf_corpus_kind_name((xf_corpus_kind)k), got, p);
        if (ks[k].n_acf)
            CHECK_MSG(med > 0.5, "kind %s: median correlation at the period %.3f",
                      xf_corpus_kind_name((xf_corpus_kind)k), med);
    }
    CHECK_INT(n_bad_len, 0);
    CHECK(n_short > N_MIX / 10);
    CHECK(n_long > N_MIX / 10);
    CHECK_INT(n_nonfinite, 0);
    CHECK_INT(n_bad_cov, 0);
    for (k = 0; k < N_P; k++)
        CHECK_MSG(seen_p[k] > 20, "period %g seen in %d samples", periods[k], seen_p[k]);
    printf("  periods present: 4:%d 7:%d 12:%d 24:%d 48:%d 52:%d 168:%d 336:%d; "
           "24+168: %d, 48+336: %d\n",
           seen_p[0], seen_p[1], seen_p[2], seen_p[3], seen_p[4], seen_p[5], seen_p[6], seen_p[7],
           pair_24_168, pair_48_336);
    CHECK(pair_24_168 > 20);
    CHECK(pair_48_336 > 20);

    /* intermittent: non-negative integers, with zeros */
    CHECK_INT(n_int_bad, 0);
    CHECK(n_zs > 100);
    {
        int no_zero = 0;
        for (i = 0; i < n_zs; i++)
            no_zero += zero_share[i] == 0.0;
        printf("  intermittent: median zero share %.2f, %d of %d without zeros\n",
               median(zero_share, (size_t)n_zs), no_zero, n_zs);
        CHECK(no_zero <= n_zs / 100);
        CHECK(median(zero_share, (size_t)n_zs) > 0.3);
    }
    /* stock: volatility clustering (squared returns autocorrelate, returns
     * hardly) */
    CHECK_INT(n_price_bad, 0);
    CHECK(n_sq > 50);
    {
        double msq = median(sq_acf, (size_t)n_sq), mret = median(ret_acf, (size_t)n_sq);
        int pos = 0;
        for (i = 0; i < n_sq; i++)
            pos += sq_acf[i] > 0.0;
        printf("  stock prices: %d long ones: median mean-ACF(1..5) of squared returns %.3f "
               "(%d positive), of |returns| ACF %.3f\n",
               n_sq, msq, pos, mret);
        CHECK(msq > 0.05);
        CHECK(pos >= n_sq * 9 / 10);
        CHECK(mret < msq);
    }
    /* energy: positive, temperature covariate in range and driving the load */
    CHECK_INT(n_load_bad, 0);
    CHECK_INT(n_temp_bad, 0);
    CHECK(n_hol > ks[XF_CORPUS_KIND_ENERGY].count / 2);
    CHECK(n_lt > 30);
    {
        double m = median(load_temp, (size_t)n_lt);
        printf("  energy: %d long sub-daily samples, median R^2 of the smoothed daily load "
               "on a quadratic in the temperature %.2f\n",
               n_lt, m);
        CHECK(m > 0.4);
    }
    printf("  weather: %d hourly radiation samples, %d zero at night; trend: %d damped\n", n_rad,
           n_rad_night, n_damped);
    CHECK(n_rad > 20);
    CHECK_INT(n_rad_night, n_rad);
    CHECK(n_damped > 100);
    CHECK_INT(n_damp_bad, 0);
    CHECK_INT(n_ls_bad, 0);
    (void)n_energy_long;

    for (k = 0; k < XF_CORPUS_N_KINDS; k++)
        free(ks[k].acf);
    free(v);
    free(cov);
    free(ob);
    free(sq_acf);
    free(ret_acf);
    free(load_temp);
    free(zero_share);
    free(ret);
    free(sq);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

/* Kind weights select kinds: a stock-only corpus (for domain heads). */
static void test_kind_weights(void)
{
    xf_corpus_options o;
    xf_corpus *c = NULL;
    xf_corpus_workspace *ws;
    xf_corpus_sample_info in;
    xf_error e;
    double *v = malloc(sizeof(double) * MAXN);
    int i, n_other = 0;
    xf_corpus_options_init(&o);
    o.version = XF_CORPUS_VERSION_2;
    memset(o.kind_weights, 0, sizeof o.kind_weights);
    o.kind_weights[XF_CORPUS_KIND_STOCK] = 2.385;
    CHECK_INT(xf_corpus_new(&o, &c, &e), XF_OK);
    ws = new_ws(c);
    for (i = 0; i < 200; i++) {
        xf_corpus_sample_info_init(&in);
        xf_corpus_sample(c, ws, (uint64_t)i, 0, v, NULL, NULL, &in);
        n_other += in.kind != XF_CORPUS_KIND_STOCK || strcmp(in.calendar, "business-day") != 0 ||
                   in.length < 250;
    }
    CHECK_INT(n_other, 0);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
    free(v);
}

/* xf_corpus_sample_plan says what xf_corpus_sample makes, without making it. */
static void test_plan(void)
{
    xf_corpus *c = v2_corpus(7, 0.01);
    xf_corpus_workspace *ws = new_ws(c);
    xf_corpus_sample_info in;
    xf_corpus_kind kind;
    const char *cal;
    size_t len;
    double *v = malloc(XF_CORPUS_V2_MAX_LENGTH * sizeof *v);
    int i, bad = 0;
    for (i = 0; v != NULL && i < 300; i++) {
        xf_corpus_sample_info_init(&in);
        CHECK_INT(xf_corpus_sample_plan(c, (uint64_t)i, &kind, &cal, &len), XF_OK);
        CHECK_INT(xf_corpus_sample(c, ws, (uint64_t)i, 0, v, NULL, NULL, &in), XF_OK);
        bad += kind != in.kind || strcmp(cal, in.calendar) != 0 || len != in.length;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(xf_corpus_sample_plan(NULL, 0, &kind, &cal, &len), XF_EINVAL);
    CHECK_INT(xf_corpus_sample_plan(c, 5, NULL, NULL, NULL), XF_OK);
    free(v);
    xf_corpus_workspace_free(ws);
    xf_corpus_free(c);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    xf_blas_set_threads(1);
    test_options();
    test_determinism();
    test_v1_through_sample();
    test_mixture();
    test_kind_weights();
    test_plan();
    return tu_report("test_corpus_v2");
}
