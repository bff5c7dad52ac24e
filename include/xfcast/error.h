/* xfcast/error.h - status codes and error reports.
 *
 * Every fallible xfcast call returns an int status: XF_OK (0) on success or
 * one of the negative XF_E* codes below.  Calls that can fail on user data
 * also take an `xf_error *` out-parameter (may be NULL) that receives a
 * precise, human-readable message such as
 *     "data.csv:1042:3: 'abc' is not a number"
 * The library never prints, exits or aborts on bad data, nor when memory
 * runs out: every allocation failure is XF_ENOMEM (tests/test_oom.c fails
 * each allocation of a fit, forecast, backtest, retrain and pretraining in
 * turn).  It leaves GSL's error handler, which is process-wide, alone: none
 * of the GSL calls it makes can reach it.  (OpenBLAS's threaded GEMM driver
 * exits the process when its own malloc fails; run BLAS on one thread,
 * xf_blas_set_threads(1), where that matters.)
 *
 * Thread safety: xf_strerror and xf_status_name return static strings and
 * may be called from any thread; an xf_error belongs to the call that fills
 * it (give each thread its own).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_ERROR_H
#define XFCAST_ERROR_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes.  Values are stable across releases. */
enum {
    XF_OK = 0,
    XF_ENOMEM = -1,    /* out of memory */
    XF_EIO = -2,       /* a read or write failed (open, read, fsync, ...) */
    XF_EINVAL = -3,    /* invalid argument or option value (a usage error) */
    XF_EPARSE = -4,    /* malformed input text (CSV syntax, number, timestamp) */
    XF_ENOTFOUND = -5, /* a named column, key or file entry does not exist */
    XF_EDATA = -6,     /* well-formed but unusable data (irregular, duplicates, gaps) */
    XF_ERANGE = -7,    /* a value or size is out of the supported range */
    XF_EFORMAT = -8,   /* a binary file is damaged or of an unsupported version */
    XF_ECHECKSUM = -9, /* a binary file's checksum does not match */
    XF_EBUSY = -10     /* a lock is held by another process (model store) */
};

/* An error report.  Filled by the call that failed; untouched on success. */
typedef struct xf_error {
    int code;          /* the XF_E* status, same as the call's return value */
    int64_t line;      /* 1-based input line the error refers to, or 0 */
    int32_t column;    /* 1-based input column (field), or 0 */
    char message[640]; /* full message, NUL-terminated, no trailing newline */
} xf_error;

/* Short description of a status code ("out of memory").  Never NULL; the
 * returned string is static and must not be freed. */
XF_API const char *xf_strerror(int code);

/* The status code's name ("XF_ENOMEM"), for logs and tests; "XF_E?" for a
 * code this library does not know.  Static string, never NULL. */
XF_API const char *xf_status_name(int code);

/* Reset an error report to XF_OK with an empty message.  NULL is a no-op. */
XF_API void xf_error_clear(xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_ERROR_H */
