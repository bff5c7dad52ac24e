/* blas.c - the library's door to CBLAS (the only module including <cblas.h>).
 *
 * For now it reports which BLAS was linked; the encoders' batched GEMM
 * kernels build on it.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <cblas.h>

#include "xf_internal.h"

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
