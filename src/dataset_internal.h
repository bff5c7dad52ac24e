/* dataset_internal.h - the dataset object, shared by its builders (private).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_DATASET_INTERNAL_H
#define XF_DATASET_INTERNAL_H

#include "holidays.h"
#include "xf_internal.h"
#include "xfcast/dataset.h"

typedef struct xf_series_rec {
    char *id;              /* owned */
    size_t n;              /* number of grid points */
    const xf_time *t;      /* n timestamps; owned by the dataset's time_arrays */
    double *v;             /* n values, NaN = missing; owned */
    xf_freq freq;          /* sampling frequency */
    xf_series_stats stats; /* how it was read */
    size_t column;         /* index of the value column in the file (SIZE_MAX: none) */
    char *group;           /* long files: the id value (owned); wide files: NULL */
} xf_series_rec;

struct xf_dataset {
    xf_series_rec *series;  /* n_series records; owned */
    size_t n_series;        /* number of series */
    size_t cap_series;      /* allocated records */
    xf_time **time_arrays;  /* timestamp arrays, possibly shared by several series */
    size_t n_time_arrays;   /* number of arrays */
    size_t cap_time_arrays; /* allocated slots */
    char *time_col;         /* name of the time column; owned, may be NULL */
    xf_timefmt time_fmt;    /* how timestamps were written */
    char delimiter;         /* field delimiter that was used */
    int64_t n_rows;         /* data rows read */
    char **columns;         /* column names; owned */
    xf_column_role *roles;  /* role of each column */
    size_t n_columns;       /* number of columns */
    char **notes;           /* notes for the user; owned */
    size_t n_notes;         /* number of notes */
    char *tz;               /* time zone the timestamps were read in (--tz); owned, or NULL */
    xf__holidays hol;       /* the --holidays calendar (n = 0: none); owned */
};

/* The dataset's holiday calendar (n = 0 when none was given). */
const xf__holidays *xf__dataset_holidays(const xf_dataset *ds);

/* A new empty dataset, or NULL when out of memory. */
xf_dataset *xf__dataset_new(void);

/* Hand a timestamp array to the dataset (it frees it).  Returns 0 or -1; on
 * -1 the caller still owns `t`. */
int xf__dataset_own_times(xf_dataset *ds, xf_time *t);

/* Append a series; the dataset takes `id` and `v` on success (returns 0);
 * on -1 the caller still owns them.  `column` is the index of the value
 * column, `group` the id value of a long file (copied; NULL for wide files). */
int xf__dataset_add_series(xf_dataset *ds, char *id, size_t n, const xf_time *t, double *v,
                           xf_freq freq, const xf_series_stats *stats, size_t column,
                           const char *group);

/* Append a formatted note.  Returns 0 or -1 (out of memory). */
int xf__dataset_add_note(xf_dataset *ds, const char *fmt, ...) XF_PRINTF(2, 3);

#endif /* XF_DATASET_INTERNAL_H */
