/* holidays.h - holiday calendars (private, not installed): a sorted table of
 * day numbers read from a `--holidays FILE.csv`, business days that skip
 * them, and the holiday / bridge-day indicators of a day.
 *
 * File format: one date per line in the first field, YYYY-MM-DD; a second
 * field (a name) and any further fields are ignored; a first line whose first
 * field is not a date is a header; blank lines are skipped.  Dates need not
 * be sorted; a date listed twice is an error (file:line).  At most
 * XF__HOLIDAYS_MAX dates and XF__HOLIDAYS_MAX_BYTES bytes.
 *
 * Thread safety: a table is a value once loaded; every function is pure.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_HOLIDAYS_H
#define XF_HOLIDAYS_H

#include <stddef.h>
#include <stdint.h>

#include "xfcast/error.h"
#include "xfcast/freq.h"
#include "xfcast/time.h"

#define XF__HOLIDAYS_MAX 100000
#define XF__HOLIDAYS_MAX_BYTES ((size_t)8 << 20)

typedef struct xf__holidays {
    int32_t *day; /* days since 1970-01-01, sorted ascending, unique */
    size_t n;
} xf__holidays;

/* Parse the text of a holiday file (len bytes; `name` labels messages as
 * "name:line: ...").  On success *out owns a new table (xf__holidays_free). */
int xf__holidays_parse(const char *text, size_t len, const char *name, xf__holidays *out,
                       xf_error *err);

/* Read and parse a holiday file; refuses files over XF__HOLIDAYS_MAX_BYTES. */
int xf__holidays_load(const char *path, xf__holidays *out, xf_error *err);

/* A table from n day numbers (copied, sorted; duplicates are XF_EINVAL), as
 * stored in a head. */
int xf__holidays_from_days(const int32_t *day, size_t n, xf__holidays *out, xf_error *err);

void xf__holidays_free(xf__holidays *h);

/* 1 when day (days since 1970-01-01) is in the table. */
int xf__holidays_has(const xf__holidays *h, int64_t day);

/* 1 when day is a trading day: Monday-Friday and not in the table. */
int xf__holidays_is_bday(const xf__holidays *h, int64_t day);

/* The timestamp k trading days after t (k may be negative), at t's time of
 * day.  t itself need not be a trading day: stepping starts from its day. */
xf_time xf__holidays_advance(const xf__holidays *h, xf_time t, int64_t k);

/* Number of trading days from a to b (b on a's time of day, both trading
 * days): XF_OK and *k, else XF_EDATA. */
int xf__holidays_steps_between(const xf__holidays *h, xf_time a, xf_time b, int64_t *k);

/* xf_freq_advance and xf_freq_steps_between on a calendar: when f is
 * business days (XF_FREQ_BDAY) and h holds dates, steps are trading days
 * (f.step of them a step); otherwise exactly the plain functions.  h may be
 * NULL.  The advance returns xf_freq_advance's status (XF_ERANGE outside
 * the supported years) and costs O(|k| f.step) days: step one at a time
 * along a long grid. */
int xf__freq_advance_hol(xf_freq f, const xf__holidays *h, xf_time t, int64_t k, xf_time *out);
int xf__freq_steps_hol(xf_freq f, const xf__holidays *h, xf_time a, xf_time b, int64_t *k);

/* The calendar of a panel (panel.c), or NULL when it has none. */
struct xf_panel;
const xf__holidays *xf__panel_holidays(const struct xf_panel *p);

/* Indicators of one day, written to out[0..XF__HOLIDAY_WIDTH-1] as 0/1:
 * holiday, day before a holiday, day after a holiday, bridge day (a weekday
 * that is not a holiday, between a holiday and a weekend or another holiday). */
#define XF__HOLIDAY_WIDTH 4
void xf__holidays_indicators(const xf__holidays *h, int64_t day, float *out);

#endif /* XF_HOLIDAYS_H */
