/* xfcast/api.h - XF_API, the mark of every exported declaration.
 *
 * The library is built with -fvisibility=hidden: a function is part of the
 * shared library's interface only when its declaration in a public header
 * carries XF_API.  Internal helpers (xf__ names, the src/ headers) stay
 * hidden, so programs link only against what the headers promise.  make check
 * compares the export list with the headers (tests/test_exports.sh).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_API_H
#define XFCAST_API_H

#if defined(__GNUC__) && __GNUC__ >= 4
#define XF_API __attribute__((visibility("default")))
#else
#define XF_API
#endif

#endif /* XFCAST_API_H */
