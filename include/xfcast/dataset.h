/* xfcast/dataset.h - datasets of time series, and reading them from CSV.
 *
 * A dataset holds one or more series.  Each series has an id, a regular
 * grid of UTC timestamps (see freq.h), one double value per timestamp (NaN
 * marks a missing value) and summary statistics of how it was read.
 *
 * CSV layout understood by the reader:
 *   - a header row; fields separated by ',' ';' TAB or '|' (detected from the
 *     header, or given); RFC 4180 quoting; CRLF or LF; an optional UTF-8 BOM;
 *     blank lines are ignored;
 *   - one time column (detected: a column named date/time/timestamp/
 *     datetime/date_time/dt/ds/period/month/year, else the first column whose
 *     first value is an ISO-8601 date with '-'; or given by name or 1-based
 *     number);
 *   - wide files: every target column is one series (id = column name);
 *     long files (id column given, or detected when the first rows repeat
 *     timestamps and a text column makes them unique): one series per
 *     distinct id value (id = that value; "value:column" when several
 *     targets are read).  Without an id column, rows at one timestamp that
 *     differ in an ignored text column are never merged by the duplicates
 *     policy (unless id_col is "none").
 * The reader is streaming: memory grows with the values kept, not with the
 * size of the file.  Every error names file:line:column and the offending
 * text.
 *
 * Thread safety: a dataset is immutable once read (every accessor takes a
 * const pointer and changes nothing): one dataset may be read from many
 * threads at once; xf_dataset_free needs that no other thread uses it.  A
 * reader (xf_csv_reader) is used by one thread at a time; different readers
 * and different xf_dataset_read_csv calls run in parallel freely.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_DATASET_H
#define XFCAST_DATASET_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "error.h"
#include "freq.h"
#include "time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What to do with timestamps missing from a series' regular grid. */
typedef enum xf_gap_policy {
    XF_GAPS_KEEP = 0,   /* insert them as missing values (NaN) - the default */
    XF_GAPS_ERROR,      /* fail, naming the first gap */
    XF_GAPS_INTERPOLATE /* fill gaps and interior missing values linearly along the grid */
} xf_gap_policy;

/* What to do with two rows of one series at the same timestamp. */
typedef enum xf_dup_policy {
    XF_DUPS_ERROR = 0, /* fail, naming both lines - the default */
    XF_DUPS_LAST,      /* keep the row that comes last in the file */
    XF_DUPS_MEAN       /* average the non-missing values */
} xf_dup_policy;

/* Options of the CSV reader.  Initialise with xf_csv_options_init() and then
 * set the fields you need; fields may be added in later versions.  Strings
 * are borrowed for the duration of the call that takes the options. */
typedef struct xf_csv_options {
    size_t struct_size;       /* sizeof, set by _init (see the ABI rule in xfcast.h) */
    char delimiter;           /* ',' ';' '\t' '|' or any byte; 0 = detect from the header */
    char decimal;             /* decimal separator: '.' (default) or ',' */
    const char *time_col;     /* column name or 1-based number; NULL = detect */
    const char *time_format;  /* NULL/"auto", "iso", "epoch", "epoch_ms", or a strptime format */
    const char *targets;      /* comma-separated names or numbers; NULL = every numeric column */
    const char *id_col;       /* long files: column holding the series id; NULL = detect
                                 (else wide), "none" = wide, never detected */
    const char *na_values;    /* comma-separated missing-value tokens (case-insensitive);
                                NULL = ",NA,N/A,NaN,null,None,#N/A" (leading empty = empty field) */
    const char *freq;         /* NULL = infer per series; else as xf_freq_parse */
    xf_gap_policy gaps;       /* default XF_GAPS_KEEP */
    xf_dup_policy duplicates; /* default XF_DUPS_ERROR */
    size_t sniff_rows;        /* data rows looked at to pick numeric columns; default 1000 */
    const char *tz;           /* time zone ("Europe/Berlin", see xfcast/tz.h) of timestamps
                                 written without an offset; NULL or "" = UTC.  A local time
                                 in the spring-forward gap is an error; a repeated (autumn)
                                 local time is its first occurrence unless the row before
                                 lies inside the repeated hour (then its second). */
    const char *holidays;     /* holiday calendar file (datasets/README.md: a YYYY-MM-DD
                                 date per line, an optional name), or NULL.  Business-day
                                 series step over its dates (trading days); the table is
                                 kept with the dataset for the panel's holiday features. */
    int64_t max_gap_fill;     /* most values gap filling may add to the regular grids of
                                 all series of the file (grid timestamps absent from the
                                 file, times the value columns); default 10000000.  A file
                                 that needs more is an XF_ERANGE error naming the option,
                                 before anything is allocated for it. */
} xf_csv_options;

/* Set every option to its default. */
XF_API void xf_csv_options_init(xf_csv_options *opts);
XF_API void xf_csv_options_init_sized(xf_csv_options *o, size_t size);
/* (a macro: the library writes only the caller's sizeof; see the ABI rule in xfcast.h) */
#define xf_csv_options_init(o) xf_csv_options_init_sized((o), sizeof *(o))

/* How one series was read. */
typedef struct xf_series_stats {
    int64_t n_rows;         /* data rows read for this series */
    int64_t n_missing;      /* rows whose value was a missing-value token */
    int64_t n_gaps;         /* grid timestamps absent from the file */
    int64_t n_gap_runs;     /* maximal runs of consecutive absent timestamps */
    int64_t max_gap;        /* longest run of absent timestamps, in steps */
    int64_t n_duplicates;   /* rows merged by the duplicates policy */
    int64_t n_interpolated; /* values filled by XF_GAPS_INTERPOLATE */
    int64_t first_line;     /* input line of the series' first row */
} xf_series_stats;

typedef struct xf_dataset xf_dataset;

/* Read a CSV file.  `path` "-" reads standard input.  On success *out owns a
 * new dataset (free with xf_dataset_free).  On failure returns a status, sets
 * *out to NULL and fills err (may be NULL). */
XF_API int xf_dataset_read_csv(const char *path, const xf_csv_options *opts, xf_dataset **out,
                               xf_error *err);

/* Incremental reader, for data that arrives in pieces (sockets, tests).
 * `name` is used in messages as the file name (copied).  Feed the bytes in
 * chunks of any size, then finish to get the dataset.  After any error the
 * reader only accepts xf_csv_reader_free. */
typedef struct xf_csv_reader xf_csv_reader;
XF_API int xf_csv_reader_new(const char *name, const xf_csv_options *opts, xf_csv_reader **out,
                             xf_error *err);
XF_API int xf_csv_reader_feed(xf_csv_reader *r, const void *data, size_t len, xf_error *err);
XF_API int xf_csv_reader_finish(xf_csv_reader *r, xf_dataset **out, xf_error *err);
XF_API void xf_csv_reader_free(xf_csv_reader *r);

/* Free a dataset and everything it owns.  NULL is a no-op. */
XF_API void xf_dataset_free(xf_dataset *ds);

/* Number of series. */
XF_API size_t xf_dataset_n_series(const xf_dataset *ds);

/* The time zone (xf_csv_options.tz) the timestamps were read in, or NULL. */
XF_API const char *xf_dataset_tz(const xf_dataset *ds);

/* Series accessors; i < xf_dataset_n_series().  Pointers are borrowed and
 * valid until xf_dataset_free. */
XF_API const char *xf_dataset_series_id(const xf_dataset *ds, size_t i);
XF_API size_t xf_dataset_series_length(const xf_dataset *ds, size_t i);
XF_API const xf_time *xf_dataset_series_times(const xf_dataset *ds, size_t i);
XF_API const double *xf_dataset_series_values(const xf_dataset *ds, size_t i);
XF_API xf_freq xf_dataset_series_freq(const xf_dataset *ds, size_t i);
XF_API const xf_series_stats *xf_dataset_series_stats(const xf_dataset *ds, size_t i);
/* The name of the column the series' values came from, and for long files
 * the value of the id column (NULL for wide files).  Borrowed. */
XF_API const char *xf_dataset_series_column(const xf_dataset *ds, size_t i);
XF_API const char *xf_dataset_series_group(const xf_dataset *ds, size_t i);

/* What the reader decided about the file: the time column's name, how its
 * values were written, the delimiter, and the number of data rows. */
XF_API const char *xf_dataset_time_column(const xf_dataset *ds);
XF_API xf_timefmt xf_dataset_time_format(const xf_dataset *ds);
XF_API char xf_dataset_delimiter(const xf_dataset *ds);
XF_API int64_t xf_dataset_n_rows(const xf_dataset *ds);

/* The columns of the file, in order, and what the reader made of each. */
typedef enum xf_column_role {
    XF_COLUMN_IGNORED = 0, /* not read (not numeric, or not among --target) */
    XF_COLUMN_TIME,        /* the time column */
    XF_COLUMN_ID,          /* the series-id column of a long file */
    XF_COLUMN_TARGET       /* read as series values */
} xf_column_role;
XF_API size_t xf_dataset_n_columns(const xf_dataset *ds);
XF_API const char *xf_dataset_column_name(const xf_dataset *ds, size_t i);
XF_API xf_column_role xf_dataset_column_role(const xf_dataset *ds, size_t i);

/* Notes the reader wants the user to see, e.g. "rows were not in time
 * order and have been sorted (first at line 17)".  Borrowed strings. */
XF_API size_t xf_dataset_n_notes(const xf_dataset *ds);
XF_API const char *xf_dataset_note(const xf_dataset *ds, size_t i);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_DATASET_H */
