/* head_provenance.c - provenance of the data a head was fitted on: source,
 * columns, series, rows, time span, data fingerprint and fit date.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "head_internal.h"

/* Provenance of the data a head was fitted on. */
void xf__head_record_provenance(xf_head *h, const xf_panel *panel, const xf_head_options *o)
{
    size_t i, rows = 0;
    xf_time t0 = INT64_MAX, t1 = INT64_MIN;
    uint64_t fp = XF__FNV_OFFSET;
    char buf[32], date[40];
    time_t now = time(NULL);
    for (i = 0; i < xf_panel_n_series(panel); i++) {
        size_t n = xf_panel_series_length(panel, i);
        const xf_time *t = xf_panel_series_times(panel, i);
        const char *id = xf_panel_series_id(panel, i);
        rows += n;
        fp = xf__fnv1a(fp, id, strlen(id) + 1);
        fp = xf__fnv1a(fp, xf_panel_series_values(panel, i), n * sizeof(double));
        if (t != NULL) {
            if (t[0] < t0)
                t0 = t[0];
            if (t[n - 1] > t1)
                t1 = t[n - 1];
        }
    }
    xf_xfm_set_str(h->meta, "source", o->source != NULL ? o->source : "");
    {
        /* the distinct value columns, "a,b" (forecasts check them) */
        char cols[1024] = "";
        size_t len = 0, j;
        for (i = 0; i < xf_panel_n_series(panel); i++) {
            const char *c = xf_panel_series_column(panel, i);
            int seen = 0;
            if (c == NULL)
                continue;
            for (j = 0; j < i && !seen; j++)
                seen = xf_panel_series_column(panel, j) != NULL &&
                       strcmp(xf_panel_series_column(panel, j), c) == 0;
            if (!seen && len + strlen(c) + 2 < sizeof cols)
                len += (size_t)snprintf(cols + len, sizeof cols - len, "%s%s", len ? "," : "", c);
        }
        xf_xfm_set_str(h->meta, "data.columns", cols);
    }
    xf_xfm_set_i64(h->meta, "data.series", (int64_t)xf_panel_n_series(panel));
    xf_xfm_set_i64(h->meta, "data.rows", (int64_t)rows);
    if (t0 != INT64_MAX) {
        xf_xfm_set_i64(h->meta, "data.start", t0);
        xf_xfm_set_i64(h->meta, "data.end", t1);
    }
    snprintf(buf, sizeof buf, "%016llx", (unsigned long long)fp);
    xf_xfm_set_str(h->meta, "data.fingerprint", buf);
    xf_time_format((xf_time)now * 1000000, 0, date, sizeof date);
    xf_xfm_set_str(h->meta, "fit.date", date);
}
