/* xfcast/plot.h - forecast plots rendered as SVG.
 *
 * A plot shows the tail of a series' history, the point forecast, shaded
 * prediction intervals and, optionally, the values that were later
 * observed.  The x axis is time, with dated ticks chosen for the span
 * (minutes, hours, days, weeks, months or years); the y axis has 1/2/5 x 10^k
 * ticks.  The output is a standalone SVG 1.1 document (UTF-8, well-formed
 * XML) that browsers display directly.
 *
 * Elements carry classes so that the document can be restyled or checked:
 *     path.history            the history line, broken at missing values
 *     path.forecast           the point forecast, joined to the last history point
 *     path.interval[data-level="80"]   one filled band per interval level
 *     path.actual             the realised values, when given
 *     line.forecast-start     dashed vertical line at the forecast origin
 *     g.legend, g.x-axis, g.y-axis, g.grid
 *
 * Output depends only on the input: the same data give the same bytes, in
 * any locale.
 *
 * Thread safety: xf_plot_svg keeps its state in the call and reads only
 * what it is given: any number of threads may render at once.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_PLOT_H
#define XFCAST_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "error.h"
#include "time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most interval levels one plot shows. */
#define XF_PLOT_MAX_LEVELS 8

/* What to draw.  Every pointer is borrowed for the duration of the call.
 * Timestamps must increase strictly through history_t and then forecast_t
 * (the first forecast step comes after the last history point).  Values
 * that are NaN or infinite are missing: lines and bands are broken there. */
typedef struct xf_plot_data {
    const char *title;         /* UTF-8 text, e.g. the series id; NULL = "forecast" */
    const char *y_label;       /* UTF-8 text beside the y axis; NULL = none */
    size_t n_history;          /* history points drawn (pass only the tail to show) */
    const xf_time *history_t;  /* [n_history] timestamps; may be NULL when n_history == 0 */
    const double *history_y;   /* [n_history] values, NaN = missing */
    size_t n_forecast;         /* forecast steps */
    const xf_time *forecast_t; /* [n_forecast] timestamps; may be NULL when n_forecast == 0 */
    const double *mean;        /* [n_forecast] point forecast */
    size_t n_levels;           /* interval levels, 0..XF_PLOT_MAX_LEVELS (needs a forecast) */
    const double *levels;      /* [n_levels] coverage in percent, in (0, 100), e.g. 80, 95 */
    const double *lo;          /* [n_levels][n_forecast] lower bounds, row-major by level */
    const double *hi;          /* [n_levels][n_forecast] upper bounds, same layout */
    const double *actual;      /* [n_forecast] realised values to overlay, or NULL */
} xf_plot_data;

/* Rendering options.  Initialise with xf_plot_options_init() and then set
 * the fields you need; fields may be added in later versions. */
typedef struct xf_plot_options {
    size_t struct_size; /* sizeof, set by _init (see the ABI rule in xfcast.h) */
    int32_t width;      /* picture width in pixels, 100..10000; default 900 */
    int32_t height;     /* picture height in pixels, 100..10000; default 420 */
} xf_plot_options;

/* Set every option to its default.  NULL is a no-op. */
XF_API void xf_plot_options_init(xf_plot_options *o);
XF_API void xf_plot_options_init_sized(xf_plot_options *o, size_t size);
/* (a macro: the library writes only the caller's sizeof; see the ABI rule in xfcast.h) */
#define xf_plot_options_init(o) xf_plot_options_init_sized((o), sizeof *(o))

/* Render a plot as an SVG document.
 *   d     what to draw (borrowed);
 *   opt   options (borrowed); NULL means the defaults;
 *   out   receives the document, NUL-terminated, allocated with malloc: the
 *         caller owns it and frees it with free();
 *   len   receives the document's length in bytes, without the NUL;
 *   err   receives a message on failure (may be NULL).
 * Returns XF_OK; XF_EINVAL for a NULL pointer (d, out, len, or an array that
 * is needed), nothing to draw (no history and no forecast), more than
 * XF_PLOT_MAX_LEVELS levels or levels without a forecast, a level outside
 * (0, 100), a width or height outside 100..10000, timestamps that do not
 * increase strictly or lie outside the years -99999..99999; XF_EDATA when no
 * value at all is finite; XF_ENOMEM.  On failure *out is NULL and *len 0. */
XF_API int xf_plot_svg(const xf_plot_data *d, const xf_plot_options *opt, char **out, size_t *len,
                       xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_PLOT_H */
