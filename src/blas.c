/* blas.c - the library's door to CBLAS (the only module including <cblas.h>).
 *
 * SGEMM for the encoders' kernels (gru.c, tcn.c), the double-precision
 * products of the ridge head: statistics, solves, forecasts (DSYRK, DGEMM, DSYMM),
 * the BLAS thread count and which BLAS was linked.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <cblas.h>

#include "linalg.h"
#include "nn.h"
#include "xfcast/encoder.h"
#include "xf_internal.h"

void xf__sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha, const float *a,
               size_t lda, const float *b, size_t ldb, float beta, float *c, size_t ldc)
{
    if (m == 0 || n == 0)
        return;
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, alpha, a, (int)lda, b,
                (int)ldb, beta, c, (int)ldc);
}

size_t xf__blas_version(char *buf, size_t n)
{
    int k;
#ifdef XF_HAVE_OPENBLAS
    k = snprintf(buf, n, "OpenBLAS (%s), %d threads", openblas_get_config(),
                 openblas_get_num_threads());
#else
    k = snprintf(buf, n, "generic CBLAS");
#endif
    return k < 0 ? 0 : (size_t)k;
}

void xf_blas_set_threads(int n)
{
    xf__blas_set_threads(n);
}

void xf__blas_set_threads(int n)
{
#ifdef XF_HAVE_OPENBLAS
    openblas_set_num_threads(n);
#else
    (void)n;
#endif
}

void xf__dsyrk_upper_acc(double *c, size_t p, const double *x, size_t m)
{
    if (m == 0 || p == 0)
        return;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)p, (int)m, 1.0, x, (int)p, 1.0, c,
                (int)p);
}

void xf__dgemm_tn_acc(double *c, size_t p, size_t q, const double *x, const double *y, size_t m)
{
    if (m == 0 || p == 0 || q == 0)
        return;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)p, (int)q, (int)m, 1.0, x, (int)p, y,
                (int)q, 1.0, c, (int)q);
}

void xf__dgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, double alpha,
               const double *a, size_t lda, const double *b, size_t ldb, double beta, double *c,
               size_t ldc)
{
    if (m == 0 || n == 0)
        return;
    cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, alpha, a, (int)lda, b,
                (int)ldb, beta, c, (int)ldc);
}

void xf__dsymm_right_upper(size_t q, size_t p, const double *a, const double *w, double *g)
{
    if (p == 0 || q == 0)
        return;
    cblas_dsymm(CblasRowMajor, CblasRight, CblasUpper, (int)q, (int)p, 1.0, a, (int)p, w, (int)p,
                0.0, g, (int)p);
}
