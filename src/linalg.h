/* linalg.h - dense linear algebra on top of LAPACKE (private, not installed).
 *
 * src/linalg.c is the library's only door to LAPACKE: it is the only file
 * that includes <lapacke.h>, so that swapping the LAPACK implementation
 * touches one file.  It holds the Cholesky factorisation of the corpus's
 * Gaussian processes and the symmetric eigen-decomposition behind the ridge
 * head (ridge.c); the BLAS products declared at the end live in blas.c.
 *
 * Matrices are dense, row-major, double precision, with a leading dimension
 * `lda` (the distance in elements between the starts of two rows, >= n).
 *
 * Thread safety: the functions keep no state; calls on distinct matrices
 * may run concurrently.  They allocate nothing (the factorisation runs
 * LAPACK on the caller's memory in place; see linalg.c for how the
 * row-major transposition copy that LAPACKE would make is avoided).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_LINALG_H
#define XF_LINALG_H

#include <stddef.h>
#include "xfcast/error.h"

/* Most retries xf__cholesky_jitter accepts (the jitter grows tenfold per
 * try), and the largest relative jitter it ever adds: beyond a tenth of the
 * mean diagonal the result would no longer factor the matrix asked for. */
#define XF_CHOL_MAX_TRIES 12
#define XF_CHOL_MAX_JITTER 0.1

/* Cholesky factorisation A = L L^T of a symmetric positive definite matrix,
 * with diagonal jitter retries.
 *
 * a:          n x n row-major matrix, leading dimension lda >= n.  On entry
 *             BOTH triangles must hold the symmetric matrix A (the strict
 *             upper triangle is the backup from which a failed attempt is
 *             undone, so it must mirror the lower one).  On success the lower
 *             triangle and the diagonal hold L (with A + jitter*I = L L^T);
 *             the strict upper triangle is left unchanged.  On failure a
 *             holds A again, as on entry.
 * n, lda:     order and leading dimension; 1 <= n <= INT_MAX, lda >= n,
 *             and lda * n must not overflow a size_t.
 * diag:       caller-owned scratch of n doubles (the original diagonal is
 *             saved there between attempts); must not alias a.
 * jitter0:    relative jitter of the first attempt: that attempt factors
 *             A + jitter0 * mean(diag(A)) * I.  0 = try A itself first;
 *             at most XF_CHOL_MAX_JITTER.
 * max_tries:  further attempts after the first, 0..XF_CHOL_MAX_TRIES.  Each
 *             retry restores A and multiplies the relative jitter by 10
 *             (starting from 1e-10 when jitter0 is 0); retries stop early
 *             once the relative jitter has reached XF_CHOL_MAX_JITTER.
 * jitter_out: if not NULL, receives the absolute jitter added to the
 *             diagonal by the attempt that succeeded (0 when none).
 * err:        if not NULL, receives a message on failure.
 *
 * Returns XF_OK; XF_EINVAL for bad arguments (sizes, NULL pointers, a
 * jitter0 outside [0, XF_CHOL_MAX_JITTER], a non-finite matrix entry) -
 * nothing is modified then; or XF_EDATA when A is not positive definite even with the
 * largest jitter tried (the message names the failing leading minor).
 * Never aborts and never prints: the arguments are checked here before
 * LAPACKE sees them, so LAPACKE's own argument error path (which prints) is
 * never taken. */
int xf__cholesky_jitter(double *a, size_t n, size_t lda, double *diag, double jitter0,
                        int max_tries, double *jitter_out, xf_error *err);

/* y = L x for the lower triangle (diagonal included) of the row-major n x n
 * matrix L with leading dimension lda >= n; the strict upper triangle is not
 * read.  x and y have n elements; y may be the same array as x (the product
 * is formed from the last row up), but must not partially overlap it.
 * Cannot fail; n == 0 does nothing. */
void xf__trmv_lower(const double *L, size_t n, size_t lda, const double *x, double *y);

/* Eigen-decomposition of a symmetric n x n matrix (row-major, upper
 * triangle read): on return a holds the eigenvectors as columns and w the
 * eigenvalues in ascending order.  Returns 0, -1 when LAPACK fails (or a
 * NaN in the upper triangle), -2 when out of memory. */
int xf__sym_eigen(double *a, size_t n, double *w);

/* CBLAS helpers (blas.c): c[p][p] (upper) += x' x for x [m][p]; and
 * c[p][q] += x' y for x [m][p], y [m][q]. */
void xf__dsyrk_upper_acc(double *c, size_t p, const double *x, size_t m);
/* C = alpha op(A) op(B) + beta C, row-major doubles. */
void xf__dgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, double alpha,
               const double *a, size_t lda, const double *b, size_t ldb, double beta, double *c,
               size_t ldc);
/* G [q][p] = W A with A symmetric (upper triangle of [p][p] used), W [q][p]. */
void xf__dsymm_right_upper(size_t q, size_t p, const double *a, const double *w, double *g);
void xf__dgemm_tn_acc(double *c, size_t p, size_t q, const double *x, const double *y, size_t m);

#endif /* XF_LINALG_H */
