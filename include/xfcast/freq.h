/* xfcast/freq.h - sampling frequencies: fixed steps and calendar steps.
 *
 * A frequency is a fixed step (seconds to weeks, any multiple of a
 * microsecond), a number of business days (Monday-Friday, with weekends
 * absent), or a number of calendar months (1 = monthly, 3 = quarterly,
 * 12 = yearly).  Text forms, as accepted by --freq and printed by inspect:
 *     15s  30min  1h  6h  D  2D  W  B  M  Q  Y      ("2h", "1D" etc.)
 *
 * Thread safety: xf_freq is a value; every function here is pure and may be
 * called from any thread.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_FREQ_H
#define XFCAST_FREQ_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "time.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xf_freq_kind {
    XF_FREQ_UNKNOWN = 0, /* not known (fewer than two timestamps) */
    XF_FREQ_FIXED,       /* step microseconds */
    XF_FREQ_BDAY,        /* step business days (weekends skipped) */
    XF_FREQ_MONTH        /* step calendar months, same day of month (or month end) */
} xf_freq_kind;

typedef struct xf_freq {
    xf_freq_kind kind; /* see xf_freq_kind */
    int64_t step;      /* microseconds, business days or months; > 0 unless UNKNOWN */
    int32_t month_end; /* XF_FREQ_MONTH only: 1 when anchored at month ends */
} xf_freq;

/* Parse "30min", "1h", "D", "B", "M", "Q", "Y", "2W", "15s", "500ms".
 * Returns XF_OK or XF_EINVAL (the message in err names the text). */
struct xf_error;
XF_API int xf_freq_parse(const char *text, xf_freq *out, struct xf_error *err);

/* Canonical text of a frequency ("1h", "30min", "B", "M", "Q", "Y", "?")
 * into buf (size n, NUL-terminated when n > 0).  Returns the full length. */
XF_API size_t xf_freq_format(xf_freq f, char *buf, size_t n);

/* *out = the timestamp k steps after t (k may be negative).  For
 * XF_FREQ_MONTH the day of month is clamped (Jan 31 + 1 month = Feb 28/29),
 * or kept at the month end when month_end is set.  For XF_FREQ_BDAY, t must
 * be a weekday.  Returns XF_OK; XF_ERANGE when the result would lie outside
 * the years -99999..99999 (or overflow int64: it never wraps); XF_EINVAL for
 * XF_FREQ_UNKNOWN or a step <= 0.  *out is set only on success. */
XF_API int xf_freq_advance(xf_freq f, xf_time t, int64_t k, xf_time *out);

/* Number of steps from a to b when b lies on a's grid: returns XF_OK and
 * sets *k, or XF_EDATA when b is not a whole number of steps from a. */
XF_API int xf_freq_steps_between(xf_freq f, xf_time a, xf_time b, int64_t *k);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_FREQ_H */
