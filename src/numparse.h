/* numparse.h - exact, locale-independent decimal number parsing (private).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_NUMPARSE_H
#define XF_NUMPARSE_H

#include <stddef.h>

/* Results of xf__parse_double. */
enum { XF_NUM_OK = 0, XF_NUM_SYNTAX = -1, XF_NUM_NONFINITE = -2 };

/* Parse a decimal number [blanks][+-]digits[<decimal>digits][(e|E)[+-]digits][blanks]
 * from s[0..len) (no NUL needed), with `decimal` '.' or ','.  The result is
 * correctly rounded: an exact fast path (Clinger) covers numbers of up to 19
 * significant digits with small exponents, strtod the rest.  Returns
 * XF_NUM_OK, XF_NUM_SYNTAX (not such a number: "abc", "1.2.3", "0x10", "inf")
 * or XF_NUM_NONFINITE (overflows to infinity, e.g. "1e999"). */
int xf__parse_double(const char *s, size_t len, char decimal, double *out);

#endif /* XF_NUMPARSE_H */
