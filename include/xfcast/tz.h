/* xfcast/tz.h - time zones from the system's zoneinfo (TZif files).
 *
 * A zone is loaded once from a TZif file (RFC 8536, versions 1 to 3) under
 * $TZDIR, or /usr/share/zoneinfo when TZDIR is unset (Debian's `tzdata`),
 * into an immutable xf_tz; every query is a pure function of that object.
 * The library never reads or changes the process's TZ and never calls
 * localtime: any thread may use a loaded zone at any time.  Instants past
 * the file's last transition follow its POSIX TZ footer rule (v2+).
 * Files with leap-second records ("right/" zones) are refused.
 *
 * Local time is represented as an xf_time holding the wall clock read as if
 * it were UTC (xf_time_to_civil on it gives the local calendar fields).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_TZ_H
#define XFCAST_TZ_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "error.h"
#include "time.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xf_tz xf_tz; /* opaque, immutable once loaded */

/* Load the zone `name` ("Europe/Berlin", "UTC") from $TZDIR or
 * /usr/share/zoneinfo.  The name must be relative, without "." or ".."
 * components.  Returns XF_OK with *out set (free with xf_tz_free),
 * XF_EINVAL for a bad name, XF_ENOTFOUND when no such zone file exists,
 * XF_EFORMAT when the file is not a valid TZif file, XF_ENOMEM. */
XF_API int xf_tz_load(const char *name, xf_tz **out, xf_error *err);

/* Parse TZif bytes (buf, n) already in memory; `name` is recorded as the
 * zone's name.  The bytes are treated as hostile: every count and index is
 * bounds-checked.  Returns XF_OK, XF_EFORMAT, XF_EINVAL or XF_ENOMEM. */
XF_API int xf_tz_parse(const void *buf, size_t n, const char *name, xf_tz **out, xf_error *err);

XF_API void xf_tz_free(xf_tz *tz);

/* The name the zone was loaded under (never NULL for a loaded zone). */
XF_API const char *xf_tz_name(const xf_tz *tz);

/* Offset from UTC in seconds (east positive) in force at the UTC instant. */
XF_API int32_t xf_tz_offset_utc(const xf_tz *tz, xf_time utc);

/* The UTC instant of a local wall-clock time.  The rule:
 *   - a local time that occurs once gives its instant;
 *   - a repeated local time (the autumn hour) gives its first occurrence
 *     when `second` is 0 and its second occurrence when `second` is 1;
 *   - a local time that does not exist (the spring-forward gap) is an error:
 *     XF_EDATA, never shifted.
 * Returns XF_OK with *utc set, or XF_EDATA (gap).  *repeated (may be NULL)
 * is set to 1 when the local time occurs twice, else 0. */
XF_API int xf_tz_local_to_utc(const xf_tz *tz, xf_time local, int second, xf_time *utc,
                              int *repeated);

/* Format `t` as ISO-8601 local time with its offset into buf (size n,
 * always NUL-terminated when n > 0): "YYYY-MM-DDThh:mm:ss+hh:mm" (fraction
 * as in xf_time_format), or "YYYY-MM-DD" when the local time of day is
 * midnight and `date_only_ok` is non-zero.  Returns the full text's length
 * (like snprintf). */
XF_API size_t xf_time_format_offset(xf_time t, int32_t offset_s, int date_only_ok, char *buf,
                                    size_t n);

/* xf_time_format_offset with the zone's offset at t. */
XF_API size_t xf_tz_format(const xf_tz *tz, xf_time t, int date_only_ok, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_TZ_H */
