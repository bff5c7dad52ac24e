/* xfcast/version.h - library version and the versions of its dependencies.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_VERSION_H
#define XFCAST_VERSION_H

#include <stddef.h>
#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Package version of the library that is linked ("0.1.0"); static string. */
XF_API const char *xf_version(void);

/* Write one line per dependency into buf (size n, NUL-terminated when
 * n > 0), e.g. "GSL 2.7.1\nBLAS OpenBLAS 0.3.21 ...\nlibcsv 3.0.3\n", as found
 * at run time where the dependency can tell.  Returns the full length. */
XF_API size_t xf_dependency_versions(char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_VERSION_H */
