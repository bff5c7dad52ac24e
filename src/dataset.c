/* dataset.c - the dataset container: series, columns and notes.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_internal.h"

xf_dataset *xf__dataset_new(void)
{
    return calloc(1, sizeof(xf_dataset));
}

void xf_dataset_free(xf_dataset *ds)
{
    size_t i;
    if (ds == NULL)
        return;
    for (i = 0; i < ds->n_series; i++) {
        free(ds->series[i].id);
        free(ds->series[i].v);
        free(ds->series[i].group);
    }
    free(ds->series);
    free(ds->tz);
    xf__holidays_free(&ds->hol);
    for (i = 0; i < ds->n_time_arrays; i++)
        free(ds->time_arrays[i]);
    free(ds->time_arrays);
    for (i = 0; i < ds->n_columns; i++)
        free(ds->columns[i]);
    free(ds->columns);
    free(ds->roles);
    for (i = 0; i < ds->n_notes; i++)
        free(ds->notes[i]);
    free(ds->notes);
    free(ds->time_col);
    free(ds);
}

int xf__dataset_own_times(xf_dataset *ds, xf_time *t)
{
    if (xf__grow((void **)&ds->time_arrays, &ds->cap_time_arrays, ds->n_time_arrays + 1,
                 sizeof *ds->time_arrays) != 0)
        return -1;
    ds->time_arrays[ds->n_time_arrays++] = t;
    return 0;
}

int xf__dataset_add_series(xf_dataset *ds, char *id, size_t n, const xf_time *t, double *v,
                           xf_freq freq, const xf_series_stats *stats, size_t column,
                           const char *group)
{
    xf_series_rec *s;
    char *g = NULL;
    if (group != NULL && (g = xf__strndup(group, strlen(group))) == NULL)
        return -1;
    if (xf__grow((void **)&ds->series, &ds->cap_series, ds->n_series + 1, sizeof *ds->series) !=
        0) {
        free(g);
        return -1;
    }
    s = &ds->series[ds->n_series++];
    s->column = column;
    s->group = g;
    s->id = id;
    s->n = n;
    s->t = t;
    s->v = v;
    s->freq = freq;
    s->stats = *stats;
    return 0;
}

int xf__dataset_add_note(xf_dataset *ds, const char *fmt, ...)
{
    char buf[512];
    char *copy;
    size_t cap = ds->n_notes;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    copy = xf__strndup(buf, strlen(buf));
    if (copy == NULL)
        return -1;
    if (xf__grow((void **)&ds->notes, &cap, ds->n_notes + 1, sizeof *ds->notes) != 0) {
        free(copy);
        return -1;
    }
    ds->notes[ds->n_notes++] = copy;
    return 0;
}

size_t xf_dataset_n_series(const xf_dataset *ds)
{
    return ds->n_series;
}

const char *xf_dataset_series_id(const xf_dataset *ds, size_t i)
{
    return i < ds->n_series ? ds->series[i].id : NULL;
}

size_t xf_dataset_series_length(const xf_dataset *ds, size_t i)
{
    return i < ds->n_series ? ds->series[i].n : 0;
}

const xf_time *xf_dataset_series_times(const xf_dataset *ds, size_t i)
{
    return i < ds->n_series ? ds->series[i].t : NULL;
}

const double *xf_dataset_series_values(const xf_dataset *ds, size_t i)
{
    return i < ds->n_series ? ds->series[i].v : NULL;
}

xf_freq xf_dataset_series_freq(const xf_dataset *ds, size_t i)
{
    xf_freq none = {XF_FREQ_UNKNOWN, 0, 0};
    return i < ds->n_series ? ds->series[i].freq : none;
}

const char *xf_dataset_series_column(const xf_dataset *ds, size_t i)
{
    if (i >= ds->n_series || ds->series[i].column >= ds->n_columns)
        return NULL;
    return ds->columns[ds->series[i].column];
}

const char *xf_dataset_series_group(const xf_dataset *ds, size_t i)
{
    return i < ds->n_series ? ds->series[i].group : NULL;
}

const xf_series_stats *xf_dataset_series_stats(const xf_dataset *ds, size_t i)
{
    return i < ds->n_series ? &ds->series[i].stats : NULL;
}

const char *xf_dataset_time_column(const xf_dataset *ds)
{
    return ds->time_col;
}

xf_timefmt xf_dataset_time_format(const xf_dataset *ds)
{
    return ds->time_fmt;
}

char xf_dataset_delimiter(const xf_dataset *ds)
{
    return ds->delimiter;
}

int64_t xf_dataset_n_rows(const xf_dataset *ds)
{
    return ds->n_rows;
}

size_t xf_dataset_n_columns(const xf_dataset *ds)
{
    return ds->n_columns;
}

const char *xf_dataset_column_name(const xf_dataset *ds, size_t i)
{
    return i < ds->n_columns ? ds->columns[i] : NULL;
}

xf_column_role xf_dataset_column_role(const xf_dataset *ds, size_t i)
{
    return i < ds->n_columns ? ds->roles[i] : XF_COLUMN_IGNORED;
}

size_t xf_dataset_n_notes(const xf_dataset *ds)
{
    return ds->n_notes;
}

const char *xf_dataset_note(const xf_dataset *ds, size_t i)
{
    return i < ds->n_notes ? ds->notes[i] : NULL;
}

const char *xf_dataset_tz(const xf_dataset *ds)
{
    return ds != NULL ? ds->tz : NULL;
}

const xf__holidays *xf__dataset_holidays(const xf_dataset *ds)
{
    return ds != NULL ? &ds->hol : NULL;
}
