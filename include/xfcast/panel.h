/* xfcast/panel.h - the series a head is fitted on or forecasts: targets
 * with their future-known covariates.
 *
 * A panel is a set of target series, each with optional timestamps and any
 * number of covariate series aligned with it (same length, same grid).  A
 * covariate is "future-known": its values at the steps being forecast come
 * from the rows after the target's last observed value (e.g. a temperature
 * forecast next to energy demand), so a panel series may run past its last
 * observed target value.
 *
 * Build one from a dataset read from CSV (xf_panel_from_dataset) or from the
 * caller's arrays (xf_panel_add_series).  Everything is copied: the panel
 * owns its data and does not refer to the dataset or arrays afterwards.
 *
 * Thread safety: building a panel (xf_panel_new, xf_panel_add_series) needs
 * exclusive access; once built, a const panel may be read by many threads at
 * once, e.g. several heads fitted or forecasting from it in parallel.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_PANEL_H
#define XFCAST_PANEL_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "dataset.h"
#include "tz.h"
#include "error.h"
#include "freq.h"
#include "time.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xf_panel xf_panel;

/* An empty panel whose series will carry the named covariates (n_cov may be
 * 0; names are copied).  Returns XF_OK, XF_EINVAL or XF_ENOMEM. */
XF_API int xf_panel_new(const char *const *cov_names, size_t n_cov, xf_panel **out, xf_error *err);
XF_API void xf_panel_free(xf_panel *p);

/* Append a series: id (copied), n values y (NaN = missing), timestamps t
 * (NULL: none - calendar features are then off for it) on frequency freq
 * (XF_FREQ_UNKNOWN allowed when t is NULL), and cov[j][n] for each of the
 * panel's covariates (NULL when it has none).  Copies everything.  Returns
 * XF_OK, XF_EINVAL (n == 0, timestamps not increasing) or XF_ENOMEM. */
XF_API int xf_panel_add_series(xf_panel *p, const char *id, size_t n, const xf_time *t,
                               xf_freq freq, const double *y, const double *const *cov,
                               xf_error *err);

/* Build a panel from a dataset: every series whose column is not one of the
 * covariate columns is a target; each target is given the covariate series
 * of the same id (long files) or of the file (wide files).  Errors name a
 * covariate column that is absent (XF_ENOTFOUND) or that has no series for
 * some id (XF_EDATA). */
XF_API int xf_panel_from_dataset(const xf_dataset *ds, const char *const *cov_names, size_t n_cov,
                                 xf_panel **out, xf_error *err);

/* The time zone of the panel's calendar: calendar features (hour of day,
 * day of week, day of year) are computed in this zone's local time.
 * xf_panel_from_dataset takes the dataset's (xf_dataset_tz); NULL or ""
 * = UTC.  Returns XF_OK or xf_tz_load's errors. */
XF_API int xf_panel_set_tz(xf_panel *p, const char *name, xf_error *err);
/* The zone set, or NULL (UTC). */
XF_API const xf_tz *xf_panel_tz(const xf_panel *p);

/* The panel's holiday calendar, n dates as days since 1970-01-01 (in any
 * order; a date twice is XF_EINVAL; n = 0 removes the calendar).  Business-
 * day series step over its dates (forecast timestamps are trading days), and
 * heads fitted on daily or finer series get holiday indicator features
 * (datasets/README.md, Holiday calendars).  xf_panel_from_dataset takes the dataset's
 * (xf_csv_options.holidays). */
XF_API int xf_panel_set_holidays(xf_panel *p, const int32_t *days, size_t n, xf_error *err);
/* The same from a holiday file (YYYY-MM-DD per line; errors name file:line). */
XF_API int xf_panel_load_holidays(xf_panel *p, const char *path, xf_error *err);
/* Dates in the panel's calendar (0: none); *days (may be NULL) is set to
 * them, sorted, borrowed from the panel. */
XF_API size_t xf_panel_holidays(const xf_panel *p, const int32_t **days);

XF_API size_t xf_panel_n_series(const xf_panel *p);
XF_API size_t xf_panel_n_covariates(const xf_panel *p);
XF_API const char *xf_panel_covariate_name(const xf_panel *p, size_t j);
/* Accessors of series i (borrowed; NULL/0 when i is out of range). */
XF_API const char *xf_panel_series_id(const xf_panel *p, size_t i);
XF_API size_t xf_panel_series_length(const xf_panel *p, size_t i);
XF_API const xf_time *xf_panel_series_times(const xf_panel *p, size_t i); /* may be NULL */
XF_API const double *xf_panel_series_values(const xf_panel *p, size_t i);
XF_API const double *xf_panel_series_covariate(const xf_panel *p, size_t i, size_t j);
XF_API xf_freq xf_panel_series_freq(const xf_panel *p, size_t i);
/* The CSV column the series came from (NULL when built from arrays). */
XF_API const char *xf_panel_series_column(const xf_panel *p, size_t i);
/* Number of values up to and including the last observed (finite) target
 * value: the default forecast origin.  0 when all are missing. */
XF_API size_t xf_panel_series_observed(const xf_panel *p, size_t i);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_PANEL_H */
