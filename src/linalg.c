/* linalg.c - the library's door to LAPACKE (the only file including <lapacke.h>).
 *
 * A Cholesky factorisation with diagonal jitter retries and a
 * lower-triangular matrix-vector product (to sample Gaussian processes for
 * the synthetic pretraining corpus), and the symmetric eigen-decomposition
 * from which ridge.c solves the head for every penalty.
 *
 * Row-major without copies.  LAPACKE's row-major entry points transpose the
 * matrix into a temporary buffer that they malloc on every call, which is
 * a hidden allocation in the corpus generator's hot path.  A row-major
 * array read in column-major order is the transpose, so the row-major lower
 * factor L (A = L L^T) is exactly the column-major upper factor U = L^T
 * (A = U^T U) of the same memory: xf__cholesky_jitter asks LAPACKE for the
 * column-major 'U' factorisation, which LAPACK runs in place.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <lapacke.h>

#include "linalg.h"
#include "xf_internal.h"

/* Copy the strict upper triangle (the caller's backup of A) onto the strict
 * lower one, and the saved diagonal plus `jitter` onto the diagonal. */
static void restore_lower(double *a, size_t n, size_t lda, const double *diag, double jitter)
{
    size_t i, j;
    for (i = 0; i < n; i++) {
        for (j = 0; j < i; j++)
            a[i * lda + j] = a[j * lda + i];
        a[i * lda + i] = diag[i] + jitter;
    }
}

int xf__cholesky_jitter(double *a, size_t n, size_t lda, double *diag, double jitter0,
                        int max_tries, double *jitter_out, xf_error *err)
{
    size_t i, j;
    double mean = 0.0, rel = jitter0, jitter = 0.0;
    lapack_int info = 0;
    int attempt;

    if (a == NULL || diag == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "Cholesky: NULL %s",
                        a == NULL ? "matrix" : "scratch");
    if (n == 0 || n > INT_MAX)
        return xf__fail(err, XF_EINVAL, 0, 0, "Cholesky: order %zu is outside [1, %d]", n, INT_MAX);
    if (lda < n || lda > INT_MAX || lda > SIZE_MAX / n)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "Cholesky: leading dimension %zu is invalid for order %zu", lda, n);
    if (!(jitter0 >= 0.0 && jitter0 <= XF_CHOL_MAX_JITTER))
        return xf__fail(err, XF_EINVAL, 0, 0, "Cholesky: relative jitter %g is outside [0, %g]",
                        jitter0, XF_CHOL_MAX_JITTER);
    if (max_tries < 0 || max_tries > XF_CHOL_MAX_TRIES)
        return xf__fail(err, XF_EINVAL, 0, 0, "Cholesky: %d retries requested; the limit is %d",
                        max_tries, XF_CHOL_MAX_TRIES);
    /* LAPACKE checks for NaN too, but it would only say "argument 4"; this
     * check names the entry, covers infinities and the upper triangle (the
     * backup that retries restore from). */
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            if (!isfinite(a[i * lda + j]))
                return xf__fail(err, XF_EINVAL, 0, 0, "Cholesky: entry (%zu, %zu) is %g", i, j,
                                a[i * lda + j]);

    for (i = 0; i < n; i++) {
        diag[i] = a[i * lda + i];
        mean += diag[i];
    }
    mean /= (double)n;
    if (!(mean > 0.0) || !isfinite(mean))
        return xf__fail(err, XF_EDATA, 0, 0,
                        "Cholesky: the mean of the diagonal is %g; a positive definite matrix "
                        "has a positive diagonal",
                        mean);

    for (attempt = 0; attempt <= max_tries; attempt++) {
        if (attempt > 0) {
            if (rel >= XF_CHOL_MAX_JITTER)
                break;
            rel = rel > 0.0 ? rel * 10.0 : 1e-10;
            if (rel > XF_CHOL_MAX_JITTER)
                rel = XF_CHOL_MAX_JITTER;
        }
        jitter = rel * mean;
        if (attempt == 0) {
            for (i = 0; i < n; i++)
                a[i * lda + i] = diag[i] + jitter;
        } else {
            restore_lower(a, n, lda, diag, jitter);
        }
        info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', (lapack_int)n, a, (lapack_int)lda);
        if (info == 0) {
            if (jitter_out != NULL)
                *jitter_out = jitter;
            return XF_OK;
        }
        if (info < 0) {
            /* Cannot happen: every argument was checked above. */
            restore_lower(a, n, lda, diag, 0.0);
            return xf__fail(err, XF_EINVAL, 0, 0, "Cholesky: LAPACKE_dpotrf rejected argument %d",
                            (int)-info);
        }
    }
    restore_lower(a, n, lda, diag, 0.0);
    return xf__fail(err, XF_EDATA, 0, 0,
                    "Cholesky: the %zu x %zu matrix is not positive definite (leading minor of "
                    "order %d is not positive, even with a diagonal jitter of %g = %g times the "
                    "mean diagonal)",
                    n, n, (int)info, jitter, rel);
}

void xf__trmv_lower(const double *L, size_t n, size_t lda, const double *x, double *y)
{
    size_t i = n;
    /* From the last row up, so that y may be x: row i reads x[0..i] only,
     * and those elements are overwritten later. */
    while (i-- > 0) {
        const double *row = L + i * lda;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        size_t j = 0;
        /* Four partial sums let the compiler keep several multiply-adds in
         * flight; the order is fixed, so the result is deterministic. */
        for (; j + 4 <= i + 1; j += 4) {
            s0 += row[j] * x[j];
            s1 += row[j + 1] * x[j + 1];
            s2 += row[j + 2] * x[j + 2];
            s3 += row[j + 3] * x[j + 3];
        }
        for (; j <= i; j++)
            s0 += row[j] * x[j];
        y[i] = (s0 + s1) + (s2 + s3);
    }
}

/* What LAPACKE_dsyevd does for a row-major matrix (NaN check, workspace
 * query, transpose, dsyevd on the column-major copy, transpose back), with
 * the buffers allocated here: LAPACKE's own allocation failures print to
 * stderr and cannot be told from a failed convergence.  LAPACK sees the
 * same input and workspace sizes, so the results are the same bits. */
int xf__sym_eigen(double *a, size_t n, double *w)
{
    lapack_int info, iwq = 0, N = (lapack_int)n;
    double wq = 0, *t = NULL, *work = NULL;
    lapack_int *iwork = NULL;
    size_t i, j, lwork;
    int rc = -1;
    if (n == 0)
        return 0;
    for (i = 0; i < n; i++)
        for (j = i; j < n; j++)
            if (isnan(a[i * n + j]))
                return -1;
    info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'V', 'U', N, a, N, w, &wq, -1, &iwq, -1);
    if (info != 0 || iwq < 1)
        return -1;
    lwork = (size_t)wq;
    t = xf__malloc_array(n * n, sizeof *t);
    work = xf__malloc_array(lwork, sizeof *work);
    iwork = xf__malloc_array((size_t)iwq, sizeof *iwork);
    if (t == NULL || work == NULL || iwork == NULL) {
        rc = -2;
        goto done;
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            t[j * n + i] = a[i * n + j];
    info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'V', 'U', N, t, N, w, work, (lapack_int)lwork,
                               iwork, iwq);
    if (info == 0) {
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++)
                a[i * n + j] = t[j * n + i];
        rc = 0;
    }
done:
    free(t);
    free(work);
    free(iwork);
    return rc;
}
