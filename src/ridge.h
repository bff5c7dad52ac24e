/* ridge.h - multi-output ridge regression from sufficient statistics
 * (private; the domain heads build on it).
 *
 * Rows are accumulated into X'X, X'Y, Y'Y, column sums and a count, so data
 * can be added later exactly without revisiting old rows.  Solving
 * standardises the features (mean 0, variance 1), centres the targets (and
 * shrinks their mean with the same penalty: c = ybar / (1 + l)),
 * eigen-decomposes the p x p Gram matrix once (LAPACKE dsyevd) and then
 * evaluates any number of penalties cheaply:
 *   C = V diag(d) V',  b = X~'y~,  beta(l) = V diag(1/(d+l)) V' b,
 *   RSS(l) = y~'y~ - sum_j (2 f_j - f_j^2) (v_j'b)^2 / d_j,  f_j = d_j/(d_j+l),
 *   GCV(l) = RSS(l) / (n (1 - df(l)/n)^2),   df(l) = sum_j f_j.
 * Penalties are chosen by GCV or by the error on validation statistics
 * accumulated separately (a time-ordered split: overlapping windows of one
 * series are far from independent, which makes GCV too optimistic).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_RIDGE_H
#define XF_RIDGE_H

#include <stddef.h>
#include <stdint.h>
#include "xfcast/error.h"

typedef struct xf__ridge_stats {
    size_t p, q; /* features, outputs */
    double n;    /* rows accumulated */
    double *sx;  /* [p] column sums of X */
    double *sy;  /* [q] column sums of Y */
    double *xtx; /* [p][p] X'X (upper triangle kept current) */
    double *xty; /* [p][q] X'Y */
    double *yty; /* [q] diagonal of Y'Y */
    /* [p] or NULL (all 1): feature i's weight after standardisation, so that
     * its penalty is the common one divided by colw[i]^2 (a group of
     * features penalised more than another: weights < 1).  Borrowed, set by
     * the caller before fitting; read by the fits, not by the accumulation
     * (xf__ridge_stats_init sets NULL, merge keeps the target's). */
    const double *colw;
} xf__ridge_stats;

int xf__ridge_stats_init(xf__ridge_stats *s, size_t p, size_t q);
void xf__ridge_stats_free(xf__ridge_stats *s);
/* Add m rows: x [m][p], y [m][q] (row-major, doubles). */
void xf__ridge_stats_add(xf__ridge_stats *s, const double *x, const double *y, size_t m);
/* s += other (same shape). */
void xf__ridge_stats_merge(xf__ridge_stats *s, const xf__ridge_stats *other);

typedef struct xf__ridge_model {
    size_t p, q;    /* features, outputs */
    double *w;      /* [q][p] weights on the raw features */
    double *b;      /* [q] intercepts */
    double *lambda; /* [q] penalty chosen per output (on standardised features) */
    double *score;  /* [q] GCV or validation MSE at the chosen penalty */
} xf__ridge_model;

void xf__ridge_model_free(xf__ridge_model *m);

/* Fit.  lambdas: candidate penalties (n_lambdas > 0), relative to n (the
 * penalty used is lambda * n on standardised features).  valid: NULL to
 * choose by GCV, else validation statistics: the penalty minimising the
 * validation squared error is chosen per output (per_output != 0) or one for
 * all outputs.  Returns XF_OK, XF_EDATA (fewer than 2 rows), XF_ENOMEM, or
 * XF_ERANGE (the eigen-decomposition failed). */
int xf__ridge_fit(const xf__ridge_stats *train, const xf__ridge_stats *valid, const double *lambdas,
                  size_t n_lambdas, int per_output, xf__ridge_model *out, xf_error *err);

/* Fit with fixed penalties, one per output (relative to n, as above): the
 * refit on all data once the penalties were chosen on a validation split. */
int xf__ridge_solve(const xf__ridge_stats *s, const double *lambdas, xf__ridge_model *out,
                    xf_error *err);

/* A training set's decomposition, kept to score and solve any number of
 * penalties (rolling validation: one per fold, its errors summed over the
 * folds before the penalty is chosen).  Owned by the caller; free with
 * xf__ridge_path_free (NULL allowed).  XF_EDATA (fewer than 2 rows),
 * XF_ENOMEM or XF_ERANGE as xf__ridge_fit. */
typedef struct xf__ridge_path xf__ridge_path;
int xf__ridge_path_new(const xf__ridge_stats *train, xf__ridge_path **out, xf_error *err);
void xf__ridge_path_free(xf__ridge_path *path);
/* sse [n_lambdas][q]: the validation sum of squared errors of each output
 * for each penalty (relative to the training n, as in xf__ridge_fit). */
void xf__ridge_path_valid_sse(xf__ridge_path *path, const xf__ridge_stats *valid,
                              const double *lambdas, size_t n_lambdas, double *sse);
/* The model with fixed penalties lambdas [q] (relative to n; out->score NaN). */
int xf__ridge_path_model(xf__ridge_path *path, const double *lambdas, xf__ridge_model *out,
                         xf_error *err);
/* best [q]: the index of the lowest scores [n_lambdas][q] per output
 * (per_output != 0), or of the lowest sum over the outputs for all; the
 * first of equal ones. */
void xf__ridge_choose(const double *scores, size_t n_lambdas, size_t q, int per_output,
                      size_t *best);

/* y [q] = W x + b. */
void xf__ridge_predict(const xf__ridge_model *m, const double *x, double *y);

/* Ridge shrunk toward a prior (issue 14 part 6: a user's head shrunk toward
 * a domain head): the statistics of the residuals y - (W0 x + b0) of the
 * rows s holds, computed from s alone (out: initialised with s's shape;
 * w0 [q][p] on the raw features, b0 [q] or NULL for 0).  Fitting them
 * (xf__ridge_fit / xf__ridge_solve) and adding the prior back
 * (xf__ridge_model_add_prior) minimises |y - Wx - b|^2 + penalty |W - W0|^2
 * on the standardised features (the mean correction penalised too, see
 * ridge.c prep_weights): a large penalty gives the prior's weights, a small
 * one the data's own fit.  Returns XF_OK,
 * XF_EINVAL (shapes differ) or XF_ENOMEM. */
int xf__ridge_stats_residual(const xf__ridge_stats *s, const double *w0, const double *b0,
                             xf__ridge_stats *out);
/* m->w += w0, m->b += b0 (b0 may be NULL). */
void xf__ridge_model_add_prior(xf__ridge_model *m, const double *w0, const double *b0);
#endif /* XF_RIDGE_H */
