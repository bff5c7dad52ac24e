/* version.c - library version and dependency versions.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdio.h>

#include <gsl/gsl_version.h>

#include "xf_internal.h"
#include "xfcast/version.h"

const char *xf_version(void)
{
    return PACKAGE_VERSION;
}

int xf_version_number(void)
{
    return XF_VERSION_NUMBER;
}

size_t xf_dependency_versions(char *buf, size_t n)
{
    char blas[256];
    int k;
    xf__blas_version(blas, sizeof blas);
    k = snprintf(buf, n, "GSL %s (built with %s)\nBLAS %s\nlibcsv %s\n", gsl_version, GSL_VERSION,
                 blas, xf__csv_lib_version());
    return k < 0 ? 0 : (size_t)k;
}
