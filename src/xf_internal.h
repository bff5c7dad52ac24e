/* xf_internal.h - helpers shared by the library's modules (not installed).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_INTERNAL_H
#define XF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "xfcast/error.h"

#if defined(__GNUC__)
#define XF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define XF_PRINTF(a, b)
#endif

/* Fill err (if not NULL) with code, position and a formatted message, and
 * return code, so that callers can write `return xf__fail(err, ...)`. */
int xf__fail(xf_error *err, int code, int64_t line, int32_t column, const char *fmt, ...)
    XF_PRINTF(5, 6);

/* Copy at most `max` bytes of s into dst (size n) for quoting in a message,
 * replacing control bytes by '?' and ending with "..." when cut. */
void xf__quote(char *dst, size_t n, const char *s, size_t len, size_t max);

/* Allocation that checks count * size for overflow; NULL on failure. */
void *xf__malloc_array(size_t count, size_t size);
void *xf__realloc_array(void *p, size_t count, size_t size);

/* Grow a buffer of `*cap` elements of `size` bytes so that it holds at
 * least `need`; capacity grows by half.  Returns 0, or -1 (buffer intact). */
int xf__grow(void **p, size_t *cap, size_t need, size_t size);

/* Copy the k bytes of text `tmp` (k < 0 counts as 0) into buf of size n,
 * snprintf-style (cut and always NUL-terminated when n > 0); returns k. */
size_t xf__copy_out(char *buf, size_t n, const char *tmp, int k);

/* strdup of len bytes; NULL on failure. */
char *xf__strndup(const char *s, size_t len);

/* FNV-1a, 64 bits: hash the n bytes at p onto h (start from
 * XF__FNV_OFFSET).  The fingerprints kept in files (heads, store entries,
 * encoders) and the shard of a source are FNV-1a values: never change it. */
#define XF__FNV_OFFSET UINT64_C(14695981039346656037)
uint64_t xf__fnv1a(uint64_t h, const void *p, size_t n);

/* CRC32C (xf_crc32c) by the portable tables, whatever the CPU; and
 * whether xf_crc32c uses the CPU's CRC32 instruction instead (x86-64 with
 * SSE4.2).  Both give the same value (tests/test_xfm.c). */
uint32_t xf__crc32c_table(uint32_t crc, const void *data, size_t len);
int xf__crc32c_hw(void);

/* Seconds on the monotonic clock, for durations (never for dates). */
double xf__now(void);

/* Whether an xf_xfm_set_* call on mf failed for want of memory (sticky;
 * xf_xfm_save then refuses the incomplete model): callers that set many
 * keys without checking each check this once (xfm.c). */
struct xf_xfm;
int xf__xfm_set_failed(const struct xf_xfm *mf);

/* The index of interval level lv among levels[0..n), or n when absent:
 * levels are refused twice (two lo80 columns, two "lo80" JSON keys). */
static inline size_t xf__level_index(const double *levels, size_t n, double lv)
{
    size_t i;
    for (i = 0; i < n && levels[i] != lv; i++)
        ;
    return i;
}

/* A copy of panel p whose target values from index cut[i] of each series i
 * on are missing (NaN): the data as it was known at those points, with the
 * timestamps, covariates, time zone and holiday calendar kept (panel.c;
 * backtests that refit as their origin moves). */
struct xf_panel;
int xf__panel_masked(const struct xf_panel *p, const size_t *cut, struct xf_panel **out,
                     struct xf_error *err);

/* Private version strings provided by the modules that own each dependency. */
const char *xf__csv_lib_version(void);
size_t xf__blas_version(char *buf, size_t n);

#endif /* XF_INTERNAL_H */
