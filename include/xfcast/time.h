/* xfcast/time.h - UTC timestamps: parsing and formatting.
 *
 * xfcast keeps every timestamp as an xf_time: signed 64-bit microseconds
 * since 1970-01-01T00:00:00Z (proleptic Gregorian calendar, no leap
 * seconds).  Text with a UTC offset is converted to UTC; text without one is
 * taken as UTC.
 *
 * Thread safety: the functions here keep no state and use no time zone:
 * any thread may call any of them at any time (a strptime format reads the
 * process's locale, as strptime does).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_TIME_H
#define XFCAST_TIME_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t xf_time; /* microseconds since the Unix epoch, UTC */
#define XF_TIME_US_PER_SEC INT64_C(1000000)
#define XF_TIME_US_PER_DAY INT64_C(86400000000)

/* How a time column is written.  XF_TIMEFMT_AUTO lets the reader decide from
 * the first value (see xf_time_detect). */
typedef enum xf_timefmt {
    XF_TIMEFMT_AUTO = 0,
    XF_TIMEFMT_ISO,      /* ISO-8601: YYYY-MM-DD[(T| )hh:mm[:ss[.f...]]][Z|+-hh[:mm]],
                            YYYY-MM (a month) and YYYY (a year) */
    XF_TIMEFMT_EPOCH_S,  /* integer or decimal seconds since the epoch */
    XF_TIMEFMT_EPOCH_MS, /* milliseconds since the epoch (a fraction is allowed) */
    XF_TIMEFMT_STRPTIME  /* a strptime(3) format given by the user */
} xf_timefmt;

/* Parse ISO-8601 text (the forms listed for XF_TIMEFMT_ISO; leading and
 * trailing blanks allowed).  `s` need not be NUL-terminated.
 * Returns XF_OK, or XF_EPARSE when the text is not such a timestamp or names
 * an impossible date or time (2023-02-30, 25:00). */
XF_API int xf_time_parse_iso(const char *s, size_t len, xf_time *out);

/* Parse epoch seconds (may have a fraction) or milliseconds (integer).
 * Returns XF_OK, XF_EPARSE, or XF_ERANGE beyond year +-100000. */
XF_API int xf_time_parse_epoch(const char *s, size_t len, int millis, xf_time *out);

/* Parse with a strptime(3) format (NUL-terminated `s`).  %z offsets are
 * honoured.  The whole text must be consumed (trailing blanks allowed).
 * Returns XF_OK or XF_EPARSE. */
XF_API int xf_time_parse_strptime(const char *s, const char *format, xf_time *out);

/* Decide how a time column's first value is written: ISO text, or a plain
 * number read as epoch milliseconds when |v| >= 1e11 and epoch seconds
 * otherwise (4-digit integers 1000..9999 are years and give ISO).
 * Returns XF_OK with *fmt set, or XF_EPARSE when it is none of these. */
XF_API int xf_time_detect(const char *s, size_t len, xf_timefmt *fmt);

/* Broken-down UTC time. */
typedef struct xf_civil {
    int32_t year;   /* e.g. 2026 */
    int32_t month;  /* 1..12 */
    int32_t day;    /* 1..31 */
    int32_t hour;   /* 0..23 */
    int32_t minute; /* 0..59 */
    int32_t second; /* 0..59 */
    int32_t usec;   /* 0..999999 */
    int32_t wday;   /* day of week, 0 = Monday .. 6 = Sunday */
    int32_t yday;   /* day of year, 0-based */
} xf_civil;

/* Split a timestamp into calendar fields (always succeeds). */
XF_API void xf_time_to_civil(xf_time t, xf_civil *c);

/* Build a timestamp from calendar fields (wday and yday are ignored).
 * Returns XF_OK, or XF_ERANGE when a field is out of range. */
XF_API int xf_time_from_civil(const xf_civil *c, xf_time *out);

/* Format as ISO-8601 in UTC into buf (size n, always NUL-terminated when
 * n > 0): "YYYY-MM-DD" when the time of day is midnight and `date_only_ok`
 * is non-zero, else "YYYY-MM-DDThh:mm:ssZ" (with ".ffffff" trimmed of
 * trailing zeros when there is a fraction).  Returns the length of the full
 * text (like snprintf). */
XF_API size_t xf_time_format(xf_time t, int date_only_ok, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_TIME_H */
