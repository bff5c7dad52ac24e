/* test_ridge.c - ridge regression from sufficient statistics against GSL's
 * gsl_multifit_linear_solve (Tikhonov in standard form) on the same
 * standardised data, penalty choice by GCV, by validation and by rolling
 * validation windows (penalty paths), column weights (a penalty per feature)
 * and exact incremental accumulation.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>

#include "ridge.h"
#include "testutil.h"

static uint64_t st = 42;
static double urand(void)
{
    uint64_t z = (st += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}
static double nrand(void)
{
    double u = urand() + 1e-12, v = urand();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

#define N 300
#define P 7
#define Q 3

/* The reference: GSL's standard-form ridge (gsl_multifit_linear_solve,
 * min |y~ - Zc|^2 + (lam n) |c|^2) on the standardised columns of x, each
 * multiplied by colw[j] (NULL: 1), and centred targets; wref [Q][P] gets
 * the weights on the raw features, c_j colw_j / sd_j, and mu [P] the
 * feature means. */
static void gsl_reference(const double *x, const double *y, const double *colw, double lam,
                          double *wref, double *mu)
{
    gsl_matrix *Z = gsl_matrix_alloc(N, P);
    gsl_vector *yy = gsl_vector_alloc(N), *c = gsl_vector_alloc(P);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(N, P);
    double sd[P], rnorm, snorm;
    size_t i, j, k;
    for (j = 0; j < P; j++) {
        double s1 = 0, s2 = 0, wj = colw ? colw[j] : 1.0;
        for (i = 0; i < N; i++) {
            s1 += x[i * P + j];
            s2 += x[i * P + j] * x[i * P + j];
        }
        mu[j] = s1 / N;
        sd[j] = sqrt(s2 / N - mu[j] * mu[j]);
        for (i = 0; i < N; i++)
            gsl_matrix_set(Z, i, j, (x[i * P + j] - mu[j]) / sd[j] * wj);
    }
    gsl_multifit_linear_svd(Z, ws);
    for (k = 0; k < Q; k++) {
        double ybar = 0;
        for (i = 0; i < N; i++)
            ybar += y[i * Q + k] / N;
        for (i = 0; i < N; i++)
            gsl_vector_set(yy, i, y[i * Q + k] - ybar);
        CHECK(gsl_multifit_linear_solve(sqrt(lam * N), Z, yy, c, &rnorm, &snorm, ws) == 0);
        for (j = 0; j < P; j++)
            wref[k * P + j] = gsl_vector_get(c, j) * (colw ? colw[j] : 1.0) / sd[j];
    }
    gsl_matrix_free(Z);
    gsl_vector_free(yy);
    gsl_vector_free(c);
    gsl_multifit_linear_free(ws);
}

/* Column weights (colw): feature j's penalty is the common one over
 * colw[j]^2, i.e. GSL's standard-form ridge on the standardised columns
 * multiplied by colw; a zero weight drops the feature; NULL and all-1
 * weights fit the same. */
static void test_colw(const xf__ridge_stats *s0, const double *x, const double *y)
{
    static const double w[P] = {1, 0.5, 0.25, 2, 0, 1, 0.125};
    static const double one[P] = {1, 1, 1, 1, 1, 1, 1};
    xf__ridge_stats s = *s0;
    xf__ridge_model m, m1, m0;
    xf_error err;
    double lam[1] = {0.2}, mu[P], wref[Q * P], maxdiff = 0;
    size_t j, k;
    s.colw = w;
    CHECK(xf__ridge_fit(&s, NULL, lam, 1, 1, &m, &err) == XF_OK);
    s.colw = one;
    CHECK(xf__ridge_fit(&s, NULL, lam, 1, 1, &m1, &err) == XF_OK);
    s.colw = NULL;
    CHECK(xf__ridge_fit(&s, NULL, lam, 1, 1, &m0, &err) == XF_OK);
    for (j = 0; j < P * Q; j++)
        CHECK(m1.w[j] == m0.w[j]);
    gsl_reference(x, y, w, lam[0], wref, mu);
    for (k = 0; k < Q; k++) {
        for (j = 0; j < P; j++)
            maxdiff = fmax(maxdiff, fabs(m.w[k * P + j] - wref[k * P + j]));
        CHECK(m.w[k * P + 4] == 0.0); /* weight 0: dropped */
    }
    printf("ridge with column weights vs gsl on weighted columns: max |w diff| %.3g\n", maxdiff);
    CHECK(maxdiff < 1e-9);
    xf__ridge_model_free(&m);
    xf__ridge_model_free(&m1);
    xf__ridge_model_free(&m0);
}

/* Ridge shrunk toward a prior W0, b0: the residual statistics computed
 * from s equal those accumulated from the residual rows; fitted and added
 * back, a huge penalty gives W0 and a tiny one the plain least-squares fit,
 * whatever W0. */
static void test_prior(const double *x, const double *y, const xf__ridge_stats *s)
{
    static double w0[Q * P], b0[Q], r[N * Q];
    xf__ridge_stats direct, shifted;
    xf__ridge_model m, plain;
    xf_error err;
    size_t i, j, k;
    double maxd = 0, lam[Q];
    for (i = 0; i < Q * P; i++)
        w0[i] = 0.5 * nrand();
    for (k = 0; k < Q; k++)
        b0[k] = 3.0 * nrand();
    for (i = 0; i < N; i++)
        for (k = 0; k < Q; k++) {
            double f = b0[k];
            for (j = 0; j < P; j++)
                f += w0[k * P + j] * x[i * P + j];
            r[i * Q + k] = y[i * Q + k] - f;
        }
    CHECK(xf__ridge_stats_init(&direct, P, Q) == XF_OK);
    CHECK(xf__ridge_stats_init(&shifted, P, Q) == XF_OK);
    xf__ridge_stats_add(&direct, x, r, N);
    CHECK(xf__ridge_stats_residual(s, w0, b0, &shifted) == XF_OK);
    for (i = 0; i < P * Q; i++)
        maxd = fmax(maxd, fabs(shifted.xty[i] - direct.xty[i]) / (1 + fabs(direct.xty[i])));
    for (k = 0; k < Q; k++) {
        maxd = fmax(maxd, fabs(shifted.sy[k] - direct.sy[k]) / (1 + fabs(direct.sy[k])));
        maxd = fmax(maxd, fabs(shifted.yty[k] - direct.yty[k]) / (1 + fabs(direct.yty[k])));
    }
    CHECK_MSG(maxd < 1e-10, "residual statistics differ by %.3g", maxd);
    /* a huge penalty: the prior's weights; the intercept adjusts freely */
    for (k = 0; k < Q; k++)
        lam[k] = 1e9;
    CHECK(xf__ridge_solve(&shifted, lam, &m, &err) == XF_OK);
    xf__ridge_model_add_prior(&m, w0, b0);
    for (i = 0; i < P * Q; i++)
        CHECK_NEAR(m.w[i], w0[i], 1e-5);
    xf__ridge_model_free(&m);
    /* a tiny one: the data's own fit, the same as without a prior */
    for (k = 0; k < Q; k++)
        lam[k] = 1e-12;
    CHECK(xf__ridge_solve(&shifted, lam, &m, &err) == XF_OK);
    xf__ridge_model_add_prior(&m, w0, b0);
    CHECK(xf__ridge_solve(s, lam, &plain, &err) == XF_OK);
    for (i = 0; i < P * Q; i++)
        CHECK_NEAR(m.w[i], plain.w[i], 1e-6);
    for (k = 0; k < Q; k++)
        CHECK_NEAR(m.b[k], plain.b[k], 1e-5);
    xf__ridge_model_free(&m);
    xf__ridge_model_free(&plain);
    /* shapes must agree */
    xf__ridge_stats_free(&direct);
    CHECK(xf__ridge_stats_init(&direct, P + 1, Q) == XF_OK);
    CHECK(xf__ridge_stats_residual(s, w0, b0, &direct) == XF_EINVAL);
    xf__ridge_stats_free(&direct);
    xf__ridge_stats_free(&shifted);
}

/* Rolling validation from statistics against a direct computation: rows
 * [0, N0) train, the rest cut into K consecutive windows; window k is
 * scored by the model of the rows before it.  The penalty path's summed
 * validation errors equal the squared residuals of each window's model
 * computed row by row, its models equal xf__ridge_solve's, and the penalty
 * chosen on the sum is the one whose direct error is lowest. */
#define N0 150
#define K 3
static void test_rolling(const double *x, const double *y)
{
    static const double grid[5] = {1e-6, 1e-3, 0.1, 3, 300};
    double sse[5 * Q], tot[5 * Q], direct[5 * Q], maxrel = 0;
    size_t bounds[K + 1], k, l, i, j, q, best[Q];
    xf__ridge_stats train, valid;
    xf_error err;
    memset(tot, 0, sizeof tot);
    memset(direct, 0, sizeof direct);
    for (k = 0; k <= K; k++)
        bounds[k] = N0 + k * (N - N0) / K;
    CHECK(xf__ridge_stats_init(&train, P, Q) == XF_OK);
    xf__ridge_stats_add(&train, x, y, N0);
    for (k = 0; k < K; k++) {
        xf__ridge_path *path = NULL;
        CHECK(xf__ridge_stats_init(&valid, P, Q) == XF_OK);
        xf__ridge_stats_add(&valid, x + bounds[k] * P, y + bounds[k] * Q,
                            bounds[k + 1] - bounds[k]);
        CHECK(xf__ridge_path_new(&train, &path, &err) == XF_OK);
        xf__ridge_path_valid_sse(path, &valid, grid, 5, sse);
        for (l = 0; l < 5; l++) {
            xf__ridge_model m = {0}, r = {0};
            double lam[Q];
            for (q = 0; q < Q; q++)
                lam[q] = grid[l];
            CHECK(xf__ridge_path_model(path, lam, &m, &err) == XF_OK);
            CHECK(xf__ridge_solve(&train, lam, &r, &err) == XF_OK);
            for (j = 0; j < P * Q; j++)
                CHECK(m.w[j] == r.w[j]); /* one decomposition, the same weights */
            for (i = bounds[k]; i < bounds[k + 1]; i++) {
                double yp[Q];
                xf__ridge_predict(&m, x + i * P, yp);
                for (q = 0; q < Q; q++)
                    direct[l * Q + q] += (y[i * Q + q] - yp[q]) * (y[i * Q + q] - yp[q]);
            }
            xf__ridge_model_free(&m);
            xf__ridge_model_free(&r);
        }
        for (j = 0; j < 5 * Q; j++)
            tot[j] += sse[j];
        xf__ridge_path_free(path);
        /* the window joins the training rows of the next one */
        xf__ridge_stats_merge(&train, &valid);
        xf__ridge_stats_free(&valid);
    }
    for (j = 0; j < 5 * Q; j++)
        maxrel = fmax(maxrel, fabs(tot[j] - direct[j]) / direct[j]);
    CHECK_MSG(maxrel < 1e-9, "summed window errors from statistics differ by %.3g", maxrel);
    /* per output and jointly: the lowest summed error, the first of ties */
    xf__ridge_choose(direct, 5, Q, 1, best);
    for (q = 0; q < Q; q++) {
        size_t b = 0;
        for (l = 1; l < 5; l++)
            if (direct[l * Q + q] < direct[b * Q + q])
                b = l;
        CHECK_INT((int)best[q], (int)b);
    }
    xf__ridge_choose(direct, 5, Q, 0, best);
    {
        size_t b = 0;
        double bs = INFINITY;
        for (l = 0; l < 5; l++) {
            double t = direct[l * Q] + direct[l * Q + 1] + direct[l * Q + 2];
            if (t < bs) {
                bs = t;
                b = l;
            }
        }
        for (q = 0; q < Q; q++)
            CHECK_INT((int)best[q], (int)b);
    }
    /* too few training rows: the path says so */
    {
        xf__ridge_path *path = NULL;
        xf__ridge_stats e;
        CHECK(xf__ridge_stats_init(&e, P, Q) == XF_OK);
        xf__ridge_stats_add(&e, x, y, 1);
        CHECK_INT(xf__ridge_path_new(&e, &path, &err), XF_EDATA);
        CHECK(path == NULL);
        xf__ridge_path_free(NULL);
        xf__ridge_stats_free(&e);
    }
    xf__ridge_stats_free(&train);
}

int main(void)
{
    static double x[N * P], y[N * Q], beta[P * Q];
    xf__ridge_stats s, a, b;
    xf__ridge_model m;
    xf_error err;
    size_t i, j, k;
    double lam[1] = {0.05};
    gsl_set_error_handler_off();
    for (j = 0; j < P * Q; j++)
        beta[j] = 3.0 * nrand();
    for (i = 0; i < N; i++) {
        for (j = 0; j < P; j++)
            x[i * P + j] = 10.0 * j + (1.0 + j) * nrand(); /* different means and scales */
        for (k = 0; k < Q; k++) {
            double acc = 1.5 * k - 2.0;
            for (j = 0; j < P; j++)
                acc += beta[j * Q + k] * x[i * P + j];
            y[i * Q + k] = acc + 0.7 * nrand();
        }
    }
    CHECK(xf__ridge_stats_init(&s, P, Q) == XF_OK);
    xf__ridge_stats_add(&s, x, y, N);
    CHECK(xf__ridge_fit(&s, NULL, lam, 1, 1, &m, &err) == XF_OK);

    /* GSL on standardised, centred data: min |y - Zc|^2 + (lam n) |c|^2 */
    {
        double mu[P], wref[Q * P], maxdiff = 0;
        gsl_reference(x, y, NULL, lam[0], wref, mu);
        for (j = 0; j < Q * P; j++)
            maxdiff = fmax(maxdiff, fabs(m.w[j] - wref[j]));
        printf("ridge vs gsl_multifit_linear_solve: max |w diff| %.3g\n", maxdiff);
        CHECK(maxdiff < 1e-9);
        /* the mean correction is penalised as the weights are:
         * b = ybar / (1 + lam) - mu'w */
        for (k = 0; k < Q; k++) {
            double ybar = 0, want;
            for (i = 0; i < N; i++)
                ybar += y[i * Q + k] / N;
            want = ybar / (1.0 + lam[0]);
            for (j = 0; j < P; j++)
                want -= mu[j] * m.w[k * P + j];
            CHECK_NEAR(m.b[k], want, 1e-9 * (1.0 + fabs(want)));
        }
    }
    /* with a tiny penalty the fit recovers the true coefficients */
    xf__ridge_model_free(&m);
    lam[0] = 1e-9;
    CHECK(xf__ridge_fit(&s, NULL, lam, 1, 1, &m, &err) == XF_OK);
    for (j = 0; j < P * Q; j++)
        CHECK_NEAR(m.w[(j % Q) * P + j / Q], beta[j], 0.15);
    {
        double yp[Q];
        xf__ridge_predict(&m, x, yp);
        for (k = 0; k < Q; k++)
            CHECK_NEAR(yp[k], y[k], 3.0);
    }
    xf__ridge_model_free(&m);

    /* GCV and validation prefer small penalties on this well-posed problem */
    {
        double grid[6] = {1e-6, 1e-4, 1e-2, 1, 100, 1e4};
        CHECK(xf__ridge_fit(&s, NULL, grid, 6, 1, &m, &err) == XF_OK);
        for (k = 0; k < Q; k++)
            CHECK_MSG(m.lambda[k] <= 1e-2, "GCV chose %g", m.lambda[k]);
        xf__ridge_model_free(&m);
        /* validation statistics from the same data: same preference */
        CHECK(xf__ridge_fit(&s, &s, grid, 6, 0, &m, &err) == XF_OK);
        CHECK(m.lambda[0] <= 1e-2 && m.lambda[0] == m.lambda[1]);
        CHECK(m.score[0] > 0.3 && m.score[0] < 0.8); /* about the noise variance 0.49 */
        xf__ridge_model_free(&m);
    }
    /* accumulating in two parts and merging equals accumulating at once */
    CHECK(xf__ridge_stats_init(&a, P, Q) == XF_OK);
    CHECK(xf__ridge_stats_init(&b, P, Q) == XF_OK);
    xf__ridge_stats_add(&a, x, y, 120);
    xf__ridge_stats_add(&b, x + 120 * P, y + 120 * Q, N - 120);
    xf__ridge_stats_merge(&a, &b);
    {
        double maxd = 0;
        for (i = 0; i < P; i++)
            for (j = i; j < P; j++)
                maxd = fmax(maxd, fabs(a.xtx[i * P + j] - s.xtx[i * P + j]) /
                                      (1 + fabs(s.xtx[i * P + j])));
        for (i = 0; i < P * Q; i++)
            maxd = fmax(maxd, fabs(a.xty[i] - s.xty[i]) / (1 + fabs(s.xty[i])));
        CHECK(maxd < 1e-12);
        CHECK(a.n == s.n);
    }
    /* too few rows */
    {
        xf__ridge_stats e;
        CHECK(xf__ridge_stats_init(&e, P, Q) == XF_OK);
        xf__ridge_stats_add(&e, x, y, 1);
        CHECK_INT(xf__ridge_fit(&e, NULL, lam, 1, 1, &m, &err), XF_EDATA);
        xf__ridge_stats_free(&e);
    }
    test_rolling(x, y);
    xf__ridge_stats_free(&a);
    xf__ridge_stats_free(&b);
    test_prior(x, y, &s);
    test_colw(&s, x, y);
    xf__ridge_stats_free(&s);
    return tu_report("test_ridge");
}
