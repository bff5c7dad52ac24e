/* csv_read.c - streaming CSV ingestion into a dataset (libcsv underneath).
 *
 * Data flow:
 *   bytes --(BOM strip, split at '\n' to count lines)--> libcsv
 *         --(fields)--> record --> header | sniff buffer | row
 *   sniff: time column and format, id column (given, or detected when the
 *          sniffed timestamps repeat), targets, text columns to watch
 *   row   --(time parse, id lookup, number parse)--> group arrays
 *   finish: per group sort (stable) -> duplicates -> frequency -> grid/gaps
 *           -> one dataset series per (group, target column).
 * A "group" is the set of rows of one series id (long files) or all rows
 * (wide files); its timestamps are shared by the series of its targets.
 * Only this module includes <csv.h>.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "abi.h"
#include "dataset_internal.h"
#include "holidays.h"
#include "xfcast/tz.h"
#include "numparse.h"

#define HEADER_MAX (1u << 20) /* longest header line we accept when sniffing the delimiter */
#define MAX_ROWS UINT32_MAX   /* line numbers are kept as uint32 */
#define MAX_NOTES_SORTED 5    /* individual "sorted" notes before summarising */
#define MAX_BAD_ROWS 5        /* rows named in an irregular-spacing error */
#define MAX_WATCH 8           /* text columns watched for rows of different series */

const char *xf__csv_lib_version(void)
{
#define XF_STR2(x) #x
#define XF_STR(x) XF_STR2(x)
    return XF_STR(CSV_MAJOR) "." XF_STR(CSV_MINOR) "." XF_STR(CSV_RELEASE);
}

static void csv_options_defaults(xf_csv_options *o)
{
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
    o->decimal = '.';
    o->gaps = XF_GAPS_KEEP;
    o->duplicates = XF_DUPS_ERROR;
    o->sniff_rows = 1000;
    o->max_gap_fill = 10000000;
}

void xf_csv_options_init_sized(xf_csv_options *o, size_t size)
{
    xf_csv_options d;
    if (o == NULL)
        return;
    csv_options_defaults(&d);
    xf__init_sized(o, &d, sizeof d, size);
}

/* The function itself, for programs that call it without the header's
 * macro: the struct as of libtool version 3. */
void(xf_csv_options_init)(xf_csv_options *o)
{
    xf_csv_options_init_sized(o, XF__CSV_OPTIONS_V3);
}

/* ------------------------------------------------------------------ groups */

typedef struct group {
    char *id;           /* id value (long files) or NULL (wide files); owned */
    size_t n;           /* rows */
    size_t cap;         /* allocated rows */
    xf_time *t;         /* timestamps; owned until handed to the dataset */
    uint32_t *line;     /* input line of each row */
    double **v;         /* v[j][i]: value of target j at row i; owned */
    int64_t *n_missing; /* missing-value tokens per target */
    uint32_t *wh;       /* wh[i * n_watch + w]: hash of watched text column w at row i */
} group;

typedef enum { PH_HEADER = 0, PH_SNIFF, PH_ROWS } phase;

struct xf_csv_reader {
    char *name;       /* file name for messages; owned */
    xf_csv_options o; /* options; strings below are owned copies */
    char *s_time_col, *s_time_format, *s_targets, *s_id_col, *s_na, *s_freq;
    xf_tz *tz;               /* --tz: zone of timestamps without an offset, or NULL */
    xf_time tz_last;         /* UTC time of the previous row (repeated local hour) */
    int tz_have_last;        /* tz_last is set */
    xf__holidays hol;        /* --holidays: the calendar (business days skip its dates) */
    char *s_holidays;        /* its path, for messages */
    struct csv_parser p;     /* libcsv state */
    int p_ready;             /* p initialised */
    int failed;              /* an error happened: only free is allowed */
    int bom_state;           /* bytes of a UTF-8 BOM matched so far; 3 = done */
    unsigned char lead[4];   /* the input's first bytes, to recognise UTF-16 and UTF-32 */
    size_t n_lead;           /* ... how many are in */
    char *hdr;               /* header bytes held back to detect the delimiter */
    size_t hdr_len, hdr_cap; /* ... and their size */
    int delim_known;         /* delimiter fixed (given or detected) */
    char delim;              /* the delimiter */
    int64_t line;            /* current physical line (1-based) */
    /* the record being assembled */
    char *rec;               /* field bytes, each NUL-terminated */
    size_t rec_len, rec_cap; /* ... and size */
    size_t *fo;              /* field offsets into rec */
    size_t nf, fo_cap;       /* field count and capacity */
    int64_t rec_line;        /* line where the record's first field ended */
    /* header and column decisions */
    phase ph;                   /* where we are */
    char **cols;                /* header names; owned */
    size_t n_cols;              /* header fields */
    struct col_name *col_index; /* the names sorted, for lookups (built on first use); owned */
    const char **fptr;          /* n_cols field pointers of the current record */
    int time_idx, id_idx;       /* column indices, -1 = none */
    int *targets;               /* target column indices */
    unsigned char *is_target;   /* per column: 1 when it is a target */
    size_t n_targets;           /* number of targets */
    xf_timefmt tfmt;            /* time format */
    int id_none;                /* --id-col none: one series, rows at one time may be merged */
    char *id_note;              /* why the id column was detected (a note for the dataset); owned */
    char *dec_note;             /* a column left out that reads with ',' as decimal mark; owned */
    int watch[MAX_WATCH];       /* text columns other than time, id and targets, whose values
                             must agree between rows merged at one timestamp */
    size_t n_watch;             /* number of watched columns */
    /* missing-value tokens */
    char **na;      /* tokens; owned */
    size_t *na_len; /* their lengths */
    size_t n_na;    /* number of tokens */
    int na_numeric; /* some token reads as a number: test tokens before parsing */
    int check_nul;  /* input holds a NUL byte: check each field for one */
    /* sniff buffer: the first data records, kept verbatim */
    char *sb;                     /* bytes of buffered records */
    size_t sb_len, sb_cap;        /* ... and size */
    size_t *sf;                   /* per buffered field: offset into sb */
    size_t sf_len, sf_cap;        /* ... */
    size_t *sr;                   /* per buffered record: index of first field in sf */
    int64_t *sr_line;             /* per buffered record: line */
    size_t n_sr, sr_cap, srl_cap; /* ... */
    /* rows */
    int64_t n_rows;              /* data records read */
    group *groups;               /* series groups; owned */
    size_t n_groups, groups_cap; /* ... */
    size_t *ht;                  /* open-addressing table: group index + 1, 0 = empty */
    size_t ht_cap;               /* table size (power of two) */
    xf_error *err;               /* where the current call reports */
    int status;                  /* first error status, for the callbacks */
};

/* ---------------------------------------------------------------- helpers */

static int fail_at(xf_csv_reader *r, int code, int64_t line, int32_t col, const char *what)
{
    r->failed = 1;
    if (r->status == XF_OK)
        r->status = code;
    if (line > 0 && col > 0)
        return xf__fail(r->err, code, line, col, "%s:%lld:%d: %s", r->name, (long long)line,
                        (int)col, what);
    if (line > 0)
        return xf__fail(r->err, code, line, 0, "%s:%lld: %s", r->name, (long long)line, what);
    return xf__fail(r->err, code, 0, 0, "%s: %s", r->name, what);
}

static int oom(xf_csv_reader *r)
{
    return fail_at(r, XF_ENOMEM, 0, 0, "out of memory");
}

static const char *field(const xf_csv_reader *r, size_t k)
{
    return r->rec + r->fo[k];
}

static int is_space_only(unsigned char c)
{
    return c == ' ';
}

static char *trim_dup(const char *s)
{
    size_t a = 0, b = strlen(s);
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    return xf__strndup(s + a, b - a);
}

static int is_na(const xf_csv_reader *r, const char *s)
{
    size_t k, a = 0, b = strlen(s);
    if (b == 0) /* the common case: an empty field */
        for (k = 0; k < r->n_na; k++)
            if (r->na_len[k] == 0)
                return 1;
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    for (k = 0; k < r->n_na; k++)
        if (r->na_len[k] == b - a && strncasecmp(r->na[k], s + a, b - a) == 0)
            return 1;
    return 0;
}

/* Split a comma-separated list into owned strings (empty items kept). */
static int split_list(const char *s, char ***out, size_t *n)
{
    size_t k = 1, i;
    const char *p;
    char **v;
    for (p = s; *p; p++)
        k += *p == ',';
    v = calloc(k, sizeof *v);
    if (v == NULL)
        return -1;
    for (i = 0, p = s; i < k; i++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        v[i] = xf__strndup(p, len);
        if (v[i] == NULL) {
            while (i > 0)
                free(v[--i]);
            free(v);
            return -1;
        }
        p = e ? e + 1 : p + len;
    }
    *out = v;
    *n = k;
    return 0;
}

static void free_list(char **v, size_t n)
{
    size_t i;
    if (v == NULL)
        return;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static char *dup_opt(const char *s, int *bad)
{
    char *d;
    if (s == NULL)
        return NULL;
    d = xf__strndup(s, strlen(s));
    if (d == NULL)
        *bad = 1;
    return d;
}

/* -------------------------------------------------------------- lifecycle */

void xf_csv_reader_free(xf_csv_reader *r)
{
    size_t i, j;
    if (r == NULL)
        return;
    if (r->p_ready)
        csv_free(&r->p);
    free(r->name);
    free(r->s_time_col);
    free(r->s_time_format);
    free(r->s_targets);
    free(r->s_id_col);
    free(r->s_na);
    free(r->s_freq);
    xf_tz_free(r->tz);
    xf__holidays_free(&r->hol);
    free(r->s_holidays);
    free(r->hdr);
    free(r->rec);
    free(r->fo);
    free_list(r->cols, r->n_cols);
    free(r->col_index);
    free((void *)r->fptr);
    free(r->targets);
    free(r->is_target);
    free(r->id_note);
    free(r->dec_note);
    free_list(r->na, r->n_na);
    free(r->na_len);
    free(r->sb);
    free(r->sf);
    free(r->sr);
    free(r->sr_line);
    for (i = 0; i < r->n_groups; i++) {
        group *g = &r->groups[i];
        free(g->id);
        free(g->t);
        free(g->line);
        if (g->v != NULL)
            for (j = 0; j < r->n_targets; j++)
                free(g->v[j]);
        free(g->v);
        free(g->n_missing);
        free(g->wh);
    }
    free(r->groups);
    free(r->ht);
    free(r);
}

int xf_csv_reader_new(const char *name, const xf_csv_options *opts, xf_csv_reader **out,
                      xf_error *err)
{
    xf_csv_reader *r;
    xf_csv_options defaults;
    int bad = 0;
    *out = NULL;
    xf_csv_options_init(&defaults);
    if (opts == NULL)
        opts = &defaults;
    XF__IMPORT_OPTIONS(defaults, opts, XF__CSV_OPTIONS_V1, xf_csv_options, err);
    if (opts->decimal != '.' && opts->decimal != ',')
        return xf__fail(err, XF_EINVAL, 0, 0, "decimal separator must be '.' or ',', not '%c'",
                        opts->decimal ? opts->decimal : '?');
    if (opts->delimiter != 0 && opts->delimiter == opts->decimal)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "delimiter and decimal separator are both '%c'; give --delimiter ';'",
                        opts->delimiter);
    if (opts->delimiter == '"' || opts->delimiter == '\n' || opts->delimiter == '\r')
        return xf__fail(err, XF_EINVAL, 0, 0, "the delimiter cannot be a quote or a line break");
    if (opts->gaps > XF_GAPS_INTERPOLATE || opts->duplicates > XF_DUPS_MEAN)
        return xf__fail(err, XF_EINVAL, 0, 0, "invalid gaps or duplicates policy");
    r = calloc(1, sizeof *r);
    if (r == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    r->o = *opts;
    if (opts->tz != NULL && opts->tz[0] != '\0') {
        int rc = xf_tz_load(opts->tz, &r->tz, err);
        if (rc != XF_OK) {
            free(r);
            return rc;
        }
    }
    if (opts->holidays != NULL && opts->holidays[0] != '\0') {
        int rc = xf__holidays_load(opts->holidays, &r->hol, err);
        if (rc != XF_OK) {
            xf_tz_free(r->tz);
            free(r);
            return rc;
        }
    }
    if (r->o.sniff_rows == 0)
        r->o.sniff_rows = 1000;
    r->s_holidays = dup_opt(opts->holidays, &bad);
    r->name = dup_opt(name ? name : "<input>", &bad);
    r->s_time_col = dup_opt(opts->time_col, &bad);
    r->s_time_format = dup_opt(opts->time_format, &bad);
    r->s_targets = dup_opt(opts->targets, &bad);
    r->s_id_col = dup_opt(opts->id_col, &bad);
    r->s_freq = dup_opt(opts->freq, &bad);
    r->s_na = dup_opt(opts->na_values ? opts->na_values : ",NA,N/A,NaN,null,None,#N/A", &bad);
    if (bad || split_list(r->s_na, &r->na, &r->n_na) != 0 ||
        (r->na_len = calloc(r->n_na, sizeof *r->na_len)) == NULL) {
        xf_csv_reader_free(r);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    {
        size_t k;
        for (k = 0; k < r->n_na; k++) {
            double v;
            char *t = r->na[k];
            size_t a = strspn(t, " \t"), b = strlen(t);
            while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t'))
                b--;
            memmove(t, t + a, b - a);
            t[b - a] = '\0';
            r->na_len[k] = b - a;
            if (xf__parse_double(t, b - a, opts->decimal, &v) != XF_NUM_SYNTAX)
                r->na_numeric = 1;
        }
    }
    if (r->s_time_format != NULL && strcmp(r->s_time_format, "auto") != 0 &&
        strcmp(r->s_time_format, "iso") != 0 && strcmp(r->s_time_format, "epoch") != 0 &&
        strcmp(r->s_time_format, "epoch_ms") != 0 && strchr(r->s_time_format, '%') == NULL) {
        xf__fail(err, XF_EINVAL, 0, 0,
                 "unknown time format '%.60s' (use auto, iso, epoch, epoch_ms or a strptime "
                 "format such as '%%d/%%m/%%Y %%H:%%M')",
                 r->s_time_format);
        xf_csv_reader_free(r);
        return XF_EINVAL;
    }
    if (r->s_freq != NULL) {
        xf_freq f;
        int rc = xf_freq_parse(r->s_freq, &f, err);
        if (rc != XF_OK) {
            xf_csv_reader_free(r);
            return rc;
        }
    }
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        xf_csv_reader_free(r);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    r->p_ready = 1;
    r->line = 1;
    r->time_idx = -1;
    r->id_idx = -1;
    if (opts->delimiter != 0) {
        r->delim = opts->delimiter;
        r->delim_known = 1;
        csv_set_delim(&r->p, (unsigned char)r->delim);
        if (r->delim == '\t') /* libcsv's default blanks are space and TAB */
            csv_set_space_func(&r->p, is_space_only);
    }
    *out = r;
    return XF_OK;
}

/* -------------------------------------------------------- column decisions */

typedef struct col_name {
    const char *name; /* header name (trimmed), borrowed from r->cols */
    size_t idx;       /* its column index */
} col_name;

static int cmp_col_name(const void *a, const void *b)
{
    const col_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c != 0)
        return c;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* The header's names sorted (by name, then column): built once, so that
 * looking up columns and finding repeated names cost n log n in the number
 * of columns, not n squared (a 200,000-column header). */
static int build_col_index(xf_csv_reader *r)
{
    size_t i;
    if (r->col_index != NULL)
        return 0;
    r->col_index = xf__malloc_array(r->n_cols ? r->n_cols : 1, sizeof *r->col_index);
    if (r->col_index == NULL)
        return -1;
    for (i = 0; i < r->n_cols; i++) {
        r->col_index[i].name = r->cols[i];
        r->col_index[i].idx = i;
    }
    qsort(r->col_index, r->n_cols, sizeof *r->col_index, cmp_col_name);
    return 0;
}

/* Find a column by name or 1-based number; -1 when absent, -2 ambiguous,
 * -3 out of memory. */
static int find_col(xf_csv_reader *r, const char *spec)
{
    size_t lo = 0, hi = r->n_cols;
    char *end;
    long num;
    if (build_col_index(r) != 0)
        return -3;
    while (lo < hi) { /* the first entry not below spec */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(r->col_index[mid].name, spec) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->n_cols && strcmp(r->col_index[lo].name, spec) == 0) {
        if (lo + 1 < r->n_cols && strcmp(r->col_index[lo + 1].name, spec) == 0)
            return -2;
        return (int)r->col_index[lo].idx;
    }
    errno = 0;
    num = strtol(spec, &end, 10);
    if (end != spec && *end == '\0' && errno == 0 && num >= 1 && (size_t)num <= r->n_cols)
        return (int)(num - 1);
    return -1;
}

static int resolve_col(xf_csv_reader *r, const char *spec, const char *what, int *idx)
{
    char msg[400], q[80];
    *idx = find_col(r, spec);
    if (*idx >= 0)
        return XF_OK;
    if (*idx == -3)
        return oom(r);
    xf__quote(q, sizeof q, spec, strlen(spec), 60);
    if (*idx == -2)
        snprintf(msg, sizeof msg,
                 "%s column '%s' is ambiguous: several columns have that name; "
                 "give its number instead",
                 what, q);
    else
        snprintf(msg, sizeof msg, "%s column '%s' not found (the header has %zu columns)", what, q,
                 r->n_cols);
    return fail_at(r, *idx == -2 ? XF_EDATA : XF_ENOTFOUND, 1, 0, msg);
}

/* The value of column c in buffered sniff record k. */
static const char *sniff_field(const xf_csv_reader *r, size_t k, size_t c)
{
    return r->sb + r->sf[r->sr[k] + c];
}

static int name_is_time(const char *s)
{
    static const char *const names[] = {"date",   "time",  "timestamp", "datetime",  "ds",
                                        "period", "month", "year",      "date_time", "dt"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i]) == 0)
            return 1;
    return 0;
}

/* Parse a timestamp in the decided format; a status, no error report. */
static int parse_time_raw(const xf_csv_reader *r, const char *s, xf_time *t)
{
    size_t len = strlen(s);
    switch (r->tfmt) {
    case XF_TIMEFMT_EPOCH_S:
        return xf_time_parse_epoch(s, len, 0, t);
    case XF_TIMEFMT_EPOCH_MS:
        return xf_time_parse_epoch(s, len, 1, t);
    case XF_TIMEFMT_STRPTIME:
        return xf_time_parse_strptime(s, r->s_time_format, t);
    default:
        return xf_time_parse_iso(s, len, t);
    }
}

/* Count the sniffed values of column c that read as numbers with decimal
 * mark `dec`, and those that do not (missing-value tokens aside). */
static void sniff_kinds(const xf_csv_reader *r, size_t c, char dec, size_t *n_num, size_t *n_text)
{
    size_t k;
    *n_num = *n_text = 0;
    for (k = 0; k < r->n_sr; k++) {
        const char *s = sniff_field(r, k, c);
        double v;
        if (is_na(r, s))
            continue;
        if (xf__parse_double(s, strlen(s), dec, &v) == XF_NUM_SYNTAX)
            (*n_text)++;
        else
            (*n_num)++;
    }
}

/* Equal after trimming blanks, as series ids are compared. */
static int same_trimmed(const char *a, const char *b)
{
    size_t la, lb;
    a += strspn(a, " \t");
    b += strspn(b, " \t");
    la = strlen(a);
    lb = strlen(b);
    while (la > 0 && (a[la - 1] == ' ' || a[la - 1] == '\t'))
        la--;
    while (lb > 0 && (b[lb - 1] == ' ' || b[lb - 1] == '\t'))
        lb--;
    return la == lb && memcmp(a, b, la) == 0;
}

typedef struct sniff_time {
    xf_time t; /* parsed timestamp */
    size_t k;  /* sniff record */
} sniff_time;

static int cmp_sniff_time(const void *a, const void *b)
{
    const sniff_time *x = a, *y = b;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    return (x->k > y->k) - (x->k < y->k);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Rank of a column name among the usual names of a series-id column
 * (0 = the most usual), or -1. */
static int id_name_rank(const char *s)
{
    static const char *const names[] = {"id",       "unique_id", "series_id", "series",
                                        "item_id",  "symbol",    "ticker",    "station",
                                        "meter",    "sensor",    "store",     "item",
                                        "location", "region",    "key",       "name"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

/* Long files: when the sniffed rows repeat timestamps, look for a column
 * that tells their series apart.  A candidate holds text (or has a usual
 * id name), is never missing, repeats its values, and makes every sniffed
 * timestamp unique when taken with it as a key.  Files whose timestamps are
 * already unique are left as they are (a text column such as 'weather' is
 * not an id). */
static int detect_id(xf_csv_reader *r)
{
    sniff_time *st = NULL;
    const char **vals = NULL;
    size_t n = 0, k, c, i, best_series = 0;
    int best = -1, best_rank = 0, any_dup = 0;
    if (r->n_sr < 2)
        return XF_OK;
    st = xf__malloc_array(r->n_sr, sizeof *st);
    vals = xf__malloc_array(r->n_sr, sizeof *vals);
    if (st == NULL || vals == NULL)
        goto nomem;
    for (k = 0; k < r->n_sr; k++) {
        xf_time t;
        if (parse_time_raw(r, sniff_field(r, k, (size_t)r->time_idx), &t) != XF_OK)
            continue; /* add_row reports it at its line */
        st[n].t = t;
        st[n].k = k;
        n++;
    }
    qsort(st, n, sizeof *st, cmp_sniff_time);
    for (i = 1; i < n && !any_dup; i++)
        any_dup = st[i].t == st[i - 1].t;
    if (!any_dup)
        goto done;
    for (c = 0; c < r->n_cols; c++) {
        size_t n_num, n_text, n_na = 0, a, b, distinct;
        int rank = id_name_rank(r->cols[c]), unique = 1;
        if ((int)c == r->time_idx)
            continue;
        sniff_kinds(r, c, r->o.decimal, &n_num, &n_text);
        if (rank < 0) {
            size_t m_num, m_text;
            /* numbers, even with the other decimal mark, are values */
            sniff_kinds(r, c, r->o.decimal == '.' ? ',' : '.', &m_num, &m_text);
            if (n_text == 0 || n_num > 0 || m_num > 0)
                continue;
        }
        for (k = 0; k < n && n_na == 0; k++)
            n_na += is_na(r, sniff_field(r, st[k].k, c));
        if (n_na > 0)
            continue;
        /* unique (time, value) pairs */
        for (a = 0; a < n && unique; a = b) {
            for (b = a + 1; b < n && st[b].t == st[a].t; b++)
                ;
            for (i = a; i < b && unique; i++) {
                size_t j;
                for (j = i + 1; j < b && unique; j++)
                    unique = !same_trimmed(sniff_field(r, st[i].k, c), sniff_field(r, st[j].k, c));
            }
        }
        if (!unique)
            continue;
        /* repeated values */
        for (k = 0; k < n; k++)
            vals[k] = sniff_field(r, st[k].k, c);
        qsort(vals, n, sizeof *vals, cmp_str);
        for (k = 1, distinct = n ? 1 : 0; k < n; k++)
            distinct += strcmp(vals[k], vals[k - 1]) != 0;
        if (distinct >= n)
            continue;
        if (best < 0 || (rank >= 0 && (best_rank < 0 || rank < best_rank))) {
            best = (int)c;
            best_rank = rank;
            best_series = distinct;
        }
    }
    if (best >= 0) {
        char q[80], buf[600];
        xf__quote(q, sizeof q, r->cols[best], strlen(r->cols[best]), 60);
        snprintf(buf, sizeof buf,
                 "%s: column '%s' read as the series id: %s, its values repeat, and "
                 "with them the timestamps of the first %zu rows are unique (%zu series); "
                 "give --id-col COL to choose another, or --id-col none for one series",
                 r->name, q,
                 best_rank >= 0 ? "it has a usual id name" : "it holds text, not numbers", n,
                 best_series);
        r->id_note = xf__strndup(buf, strlen(buf));
        if (r->id_note == NULL)
            goto nomem;
        r->id_idx = best;
    }
done:
    free(st);
    free(vals);
    return XF_OK;
nomem:
    free(st);
    free(vals);
    return oom(r);
}

/* The "no numeric column" error, with a hint when the values read as
 * numbers with the other decimal mark. */
static int no_numeric_column(xf_csv_reader *r)
{
    char msg[500], q[80];
    size_t c;
    if (r->o.decimal == '.' && r->delim != ',')
        for (c = 0; c < r->n_cols; c++) {
            size_t n_num, n_text;
            if ((int)c == r->time_idx || (int)c == r->id_idx)
                continue;
            sniff_kinds(r, c, ',', &n_num, &n_text);
            if (n_num > n_text) {
                xf__quote(q, sizeof q, r->cols[c], strlen(r->cols[c]), 60);
                snprintf(msg, sizeof msg,
                         "no numeric column besides the time column, but column '%s' holds "
                         "numbers with ',' as decimal mark: give --decimal ,",
                         q);
                return fail_at(r, XF_ENOTFOUND, 1, 0, msg);
            }
        }
    return fail_at(r, XF_ENOTFOUND, 1, 0,
                   "no numeric column besides the time column; name one with --target");
}

/* Two targets with one name would give two series with one id: the error
 * names the first target (in target order) whose name a later one repeats,
 * and the next one that repeats it.  The targets sorted by (name, target
 * order) put those pairs side by side: n log n, not n squared. */
static int check_target_names(xf_csv_reader *r)
{
    col_name *v = xf__malloc_array(r->n_targets, sizeof *v);
    size_t i, best = SIZE_MAX, best_j = 0;
    char msg[400];
    if (v == NULL)
        return oom(r);
    for (i = 0; i < r->n_targets; i++) {
        v[i].name = r->cols[r->targets[i]];
        v[i].idx = i;
    }
    qsort(v, r->n_targets, sizeof *v, cmp_col_name);
    for (i = 0; i + 1 < r->n_targets; i++)
        if (strcmp(v[i].name, v[i + 1].name) == 0 && (i == 0 || strcmp(v[i - 1].name, v[i].name)) &&
            v[i].idx < best) {
            best = v[i].idx;
            best_j = v[i + 1].idx;
        }
    free(v);
    if (best == SIZE_MAX)
        return XF_OK;
    snprintf(msg, sizeof msg,
             "columns %d and %d are both named '%.60s'; rename one or choose with --target",
             r->targets[best] + 1, r->targets[best_j] + 1, r->cols[r->targets[best]]);
    return fail_at(r, XF_EDATA, 1, 0, msg);
}

static int decide_columns(xf_csv_reader *r)
{
    size_t c, k;
    int rc;
    char msg[400];

    /* time column */
    if (r->s_time_col != NULL) {
        if ((rc = resolve_col(r, r->s_time_col, "time", &r->time_idx)) != XF_OK)
            return rc;
    } else {
        for (c = 0; c < r->n_cols && r->time_idx < 0; c++)
            if (name_is_time(r->cols[c]))
                r->time_idx = (int)c;
        for (c = 0; c < r->n_cols && r->time_idx < 0; c++) {
            for (k = 0; k < r->n_sr; k++) {
                const char *s = sniff_field(r, k, c);
                xf_time t;
                if (is_na(r, s))
                    continue;
                if (xf_time_parse_iso(s, strlen(s), &t) == XF_OK && strchr(s, '-') != NULL)
                    r->time_idx = (int)c;
                break;
            }
        }
        if (r->time_idx < 0)
            return fail_at(r, XF_ENOTFOUND, 1, 0,
                           "no time column found (none is named date/time/timestamp and none "
                           "holds ISO-8601 dates); name it with --time-col");
    }
    /* time format */
    if (r->s_time_format == NULL || strcmp(r->s_time_format, "auto") == 0) {
        r->tfmt = XF_TIMEFMT_AUTO;
        for (k = 0; k < r->n_sr; k++) {
            const char *s = sniff_field(r, k, (size_t)r->time_idx);
            if (is_na(r, s))
                continue;
            if (xf_time_detect(s, strlen(s), &r->tfmt) != XF_OK) {
                char q[80];
                xf__quote(q, sizeof q, s, strlen(s), 60);
                snprintf(msg, sizeof msg,
                         "'%s' is not a timestamp (ISO-8601 or epoch) or names an impossible "
                         "date; give --time-format",
                         q);
                return fail_at(r, XF_EPARSE, r->sr_line[k], r->time_idx + 1, msg);
            }
            break;
        }
        if (r->tfmt == XF_TIMEFMT_AUTO)
            r->tfmt = XF_TIMEFMT_ISO;
    } else if (strcmp(r->s_time_format, "iso") == 0) {
        r->tfmt = XF_TIMEFMT_ISO;
    } else if (strcmp(r->s_time_format, "epoch") == 0) {
        r->tfmt = XF_TIMEFMT_EPOCH_S;
    } else if (strcmp(r->s_time_format, "epoch_ms") == 0) {
        r->tfmt = XF_TIMEFMT_EPOCH_MS;
    } else {
        r->tfmt = XF_TIMEFMT_STRPTIME; /* checked in xf_csv_reader_new */
    }
    /* id column: given, "none", or detected */
    if (r->s_id_col != NULL && strcmp(r->s_id_col, "none") == 0) {
        r->id_none = 1;
    } else if (r->s_id_col != NULL) {
        if ((rc = resolve_col(r, r->s_id_col, "id", &r->id_idx)) != XF_OK)
            return rc;
        if (r->id_idx == r->time_idx)
            return fail_at(r, XF_EINVAL, 1, 0, "the id column cannot also be the time column");
    } else if ((rc = detect_id(r)) != XF_OK) {
        return rc;
    }
    /* targets */
    r->targets = calloc(r->n_cols ? r->n_cols : 1, sizeof *r->targets);
    r->is_target = calloc(r->n_cols ? r->n_cols : 1, 1);
    if (r->targets == NULL || r->is_target == NULL)
        return oom(r);
    if (r->s_targets != NULL) {
        char **names;
        size_t n, i;
        if (split_list(r->s_targets, &names, &n) != 0)
            return oom(r);
        for (i = 0; i < n; i++) {
            int idx;
            if ((rc = resolve_col(r, names[i], "target", &idx)) != XF_OK) {
                free_list(names, n);
                return rc;
            }
            if (idx == r->time_idx || idx == r->id_idx) {
                snprintf(msg, sizeof msg, "target column '%.60s' is the %s column", names[i],
                         idx == r->time_idx ? "time" : "id");
                free_list(names, n);
                return fail_at(r, XF_EINVAL, 1, 0, msg);
            }
            if (!r->is_target[idx] && r->n_targets < r->n_cols) {
                r->is_target[idx] = 1;
                r->targets[r->n_targets++] = idx;
            }
        }
        free_list(names, n);
    } else {
        /* A column is a target when most of its sniffed values are numbers
         * (or all are missing): a stray typo then gets a precise error at
         * its line instead of silently dropping the whole column. */
        for (c = 0; c < r->n_cols; c++) {
            size_t n_num, n_text;
            if ((int)c == r->time_idx || (int)c == r->id_idx)
                continue;
            sniff_kinds(r, c, r->o.decimal, &n_num, &n_text);
            if (n_num > n_text || (n_num == 0 && n_text == 0)) {
                r->is_target[c] = 1;
                r->targets[r->n_targets++] = (int)c;
            }
        }
        if (r->n_targets == 0)
            return no_numeric_column(r);
        /* a column of '3,25' values beside numeric ones: say why it is left out */
        for (c = 0; c < r->n_cols && r->o.decimal == '.' && r->delim != ','; c++) {
            size_t n_num, n_text;
            char q[80];
            if ((int)c == r->time_idx || (int)c == r->id_idx || r->is_target[c])
                continue;
            sniff_kinds(r, c, ',', &n_num, &n_text);
            if (n_num <= n_text)
                continue;
            xf__quote(q, sizeof q, r->cols[c], strlen(r->cols[c]), 60);
            snprintf(msg, sizeof msg,
                     "%s: column '%s' was not read: its values are numbers only with ',' as "
                     "decimal mark; give --decimal , to read it",
                     r->name, q);
            if ((r->dec_note = xf__strndup(msg, strlen(msg))) == NULL)
                return oom(r);
            break;
        }
    }
    /* Text columns left out of a file read without an id column: rows at
     * one timestamp that differ in one of them look like rows of different
     * series, which are never merged (unless --id-col none).  With an id
     * column, the id is the series key and the policy merges within it. */
    for (c = 0; c < r->n_cols && !r->id_none && r->id_idx < 0 && r->n_watch < MAX_WATCH; c++) {
        size_t n_num, n_text;
        if ((int)c == r->time_idx || (int)c == r->id_idx || r->is_target[c])
            continue;
        sniff_kinds(r, c, r->o.decimal, &n_num, &n_text);
        if (n_text > 0)
            r->watch[r->n_watch++] = (int)c;
    }
    /* two targets with one name would give two series with one id */
    if (r->id_idx < 0 && r->n_targets > 1)
        return check_target_names(r);
    return XF_OK;
}

/* ------------------------------------------------------------------- rows */

static size_t hash_str(const char *s)
{
    return (size_t)xf__fnv1a(XF__FNV_OFFSET, s, strlen(s));
}

static int ht_rehash(xf_csv_reader *r, size_t cap)
{
    size_t *t = calloc(cap, sizeof *t), i;
    if (t == NULL)
        return -1;
    for (i = 0; i < r->n_groups; i++) {
        size_t h = hash_str(r->groups[i].id) & (cap - 1);
        while (t[h] != 0)
            h = (h + 1) & (cap - 1);
        t[h] = i + 1;
    }
    free(r->ht);
    r->ht = t;
    r->ht_cap = cap;
    return 0;
}

static int new_group(xf_csv_reader *r, const char *id, size_t *gi)
{
    group *g;
    if (xf__grow((void **)&r->groups, &r->groups_cap, r->n_groups + 1, sizeof *r->groups) != 0)
        return -1;
    g = &r->groups[r->n_groups];
    memset(g, 0, sizeof *g);
    if (id != NULL && (g->id = trim_dup(id)) == NULL)
        return -1;
    g->v = calloc(r->n_targets, sizeof *g->v);
    g->n_missing = calloc(r->n_targets, sizeof *g->n_missing);
    if (g->v == NULL || g->n_missing == NULL) {
        free(g->v);
        free(g->n_missing);
        free(g->id);
        return -1;
    }
    *gi = r->n_groups++;
    return 0;
}

static int find_group(xf_csv_reader *r, const char *id, size_t *gi)
{
    size_t h, a = 0, b;
    char buf[256];
    char *tmp;
    if (r->id_idx < 0) {
        if (r->n_groups == 0)
            return new_group(r, NULL, gi);
        *gi = 0;
        return 0;
    }
    b = strlen(id);
    while (a < b && (id[a] == ' ' || id[a] == '\t'))
        a++;
    while (b > a && (id[b - 1] == ' ' || id[b - 1] == '\t'))
        b--;
    if (r->ht_cap == 0 && ht_rehash(r, 64) != 0)
        return -1;
    /* look up the id without its surrounding blanks */
    tmp = b - a < sizeof buf ? buf : xf__strndup(id + a, b - a);
    if (tmp == NULL)
        return -1;
    if (tmp == buf) {
        memcpy(buf, id + a, b - a);
        buf[b - a] = '\0';
    }
    h = hash_str(tmp) & (r->ht_cap - 1);
    while (r->ht[h] != 0) {
        if (strcmp(r->groups[r->ht[h] - 1].id, tmp) == 0) {
            *gi = r->ht[h] - 1;
            if (tmp != buf)
                free(tmp);
            return 0;
        }
        h = (h + 1) & (r->ht_cap - 1);
    }
    if (new_group(r, tmp, gi) != 0) {
        if (tmp != buf)
            free(tmp);
        return -1;
    }
    if (tmp != buf)
        free(tmp);
    r->ht[h] = *gi + 1;
    if ((r->n_groups * 10) / 7 >= r->ht_cap && ht_rehash(r, r->ht_cap * 2) != 0)
        return -1;
    return 0;
}

/* Whether timestamp text carries its own UTC offset (Z, +hh[:mm], -hh[:mm]
 * after the time of day; a strptime format with %z or %s). */
static int text_has_offset(const xf_csv_reader *r, const char *s)
{
    size_t len = strlen(s), i;
    if (r->tfmt == XF_TIMEFMT_EPOCH_S || r->tfmt == XF_TIMEFMT_EPOCH_MS)
        return 1;
    if (r->tfmt == XF_TIMEFMT_STRPTIME)
        return strstr(r->s_time_format, "%z") != NULL || strstr(r->s_time_format, "%s") != NULL;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    i = strspn(s, " \t");
    if (len < i + 11) /* a date alone */
        return 0;
    for (i += 11; i < len; i++)
        if (s[i] == 'Z' || s[i] == 'z' || s[i] == '+' || s[i] == '-')
            return 1;
    return 0;
}

/* --tz: *t was read as if the text were UTC; make it the UTC instant of that
 * local time.  The spring-forward gap is an error; a repeated local time is
 * its first occurrence, or its second when the previous row lies inside the
 * repeated hour (rows in order: 02:00 02:30 02:00 02:30 03:00 read as the
 * 50 distinct half hours of that day). */
static int tz_localize(xf_csv_reader *r, const char *s, int64_t line, xf_time *t)
{
    xf_time local = *t, first, second;
    int rep = 0;
    char q[80], msg[300];
    if (text_has_offset(r, s))
        goto done;
    if (xf_tz_local_to_utc(r->tz, local, 0, &first, &rep) != XF_OK) {
        xf__quote(q, sizeof q, s, strlen(s), 60);
        snprintf(msg, sizeof msg,
                 "local time '%s' does not exist in time zone %s (skipped by the change to "
                 "daylight-saving time)",
                 q, xf_tz_name(r->tz));
        return fail_at(r, XF_EDATA, line, r->time_idx + 1, msg);
    }
    *t = first;
    if (rep && r->tz_have_last && xf_tz_local_to_utc(r->tz, local, 1, &second, NULL) == XF_OK &&
        first <= r->tz_last && r->tz_last < second)
        *t = second;
done:
    r->tz_last = *t;
    r->tz_have_last = 1;
    return XF_OK;
}

static int parse_time_field(xf_csv_reader *r, const char *s, int64_t line, xf_time *t)
{
    int rc;
    char q[80], msg[300];
    size_t len = strlen(s);
    switch (r->tfmt) {
    case XF_TIMEFMT_EPOCH_S:
        rc = xf_time_parse_epoch(s, len, 0, t);
        break;
    case XF_TIMEFMT_EPOCH_MS:
        rc = xf_time_parse_epoch(s, len, 1, t);
        break;
    case XF_TIMEFMT_STRPTIME:
        rc = xf_time_parse_strptime(s, r->s_time_format, t);
        break;
    default:
        rc = xf_time_parse_iso(s, len, t);
        break;
    }
    if (rc == XF_OK)
        return r->tz != NULL ? tz_localize(r, s, line, t) : XF_OK;
    if (is_na(r, s))
        return fail_at(r, XF_EPARSE, line, r->time_idx + 1, "missing timestamp");
    xf__quote(q, sizeof q, s, len, 60);
    if (r->tfmt == XF_TIMEFMT_STRPTIME)
        snprintf(msg, sizeof msg, "'%s' does not match time format '%.60s'", q, r->s_time_format);
    else if (r->tfmt == XF_TIMEFMT_ISO)
        snprintf(msg, sizeof msg, "'%s' is not an ISO-8601 timestamp (or names an impossible date)",
                 q);
    else
        snprintf(msg, sizeof msg, "'%s' is not an epoch timestamp in %s", q,
                 r->tfmt == XF_TIMEFMT_EPOCH_MS ? "milliseconds" : "seconds");
    return fail_at(r, XF_EPARSE, line, r->time_idx + 1, msg);
}

/* Parse and store one data record given as an array of field pointers. */
static int add_row(xf_csv_reader *r, const char *const *f, int64_t line)
{
    xf_time t;
    size_t gi, j;
    group *g;
    int rc;
    if ((rc = parse_time_field(r, f[r->time_idx], line, &t)) != XF_OK)
        return rc;
    if (line > (int64_t)MAX_ROWS)
        return fail_at(r, XF_ERANGE, line, 0,
                       "files of more than 4294967295 lines are not supported");
    if (r->id_idx >= 0 && is_na(r, f[r->id_idx]))
        return fail_at(r, XF_EPARSE, line, r->id_idx + 1, "missing series id");
    if (find_group(r, r->id_idx >= 0 ? f[r->id_idx] : NULL, &gi) != 0)
        return oom(r);
    g = &r->groups[gi];
    if (g->n == g->cap) {
        size_t cap = g->cap < 64 ? 64 : g->cap + g->cap / 2;
        xf_time *nt = xf__realloc_array(g->t, cap, sizeof *nt);
        uint32_t *nl;
        if (nt == NULL)
            return oom(r);
        g->t = nt;
        nl = xf__realloc_array(g->line, cap, sizeof *nl);
        if (nl == NULL)
            return oom(r);
        g->line = nl;
        for (j = 0; j < r->n_targets; j++) {
            double *nv = xf__realloc_array(g->v[j], cap, sizeof *nv);
            if (nv == NULL)
                return oom(r);
            g->v[j] = nv;
        }
        if (r->n_watch > 0) {
            uint32_t *nw = xf__realloc_array(g->wh, cap * r->n_watch, sizeof *nw);
            if (nw == NULL)
                return oom(r);
            g->wh = nw;
        }
        g->cap = cap;
    }
    for (j = 0; j < r->n_watch; j++) {
        const char *s = f[r->watch[j]];
        size_t a = strspn(s, " \t"), b = strlen(s);
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
            b--;
        g->wh[g->n * r->n_watch + j] = (uint32_t)xf__fnv1a(XF__FNV_OFFSET, s + a, b - a);
    }
    for (j = 0; j < r->n_targets; j++) {
        const char *s = f[r->targets[j]];
        double v;
        int nr;
        /* numbers first: the missing-value tokens are only tried on text that
         * is not a number, unless a token is itself a number ("-999") */
        if (r->na_numeric && is_na(r, s)) {
            g->v[j][g->n] = NAN;
            g->n_missing[j]++;
            continue;
        }
        nr = xf__parse_double(s, strlen(s), r->o.decimal, &v);
        if (nr == XF_NUM_SYNTAX && !r->na_numeric && is_na(r, s)) {
            g->v[j][g->n] = NAN;
            g->n_missing[j]++;
            continue;
        }
        if (nr != XF_NUM_OK) {
            char q[80], msg[200];
            double v2;
            xf__quote(q, sizeof q, s, strlen(s), 60);
            snprintf(msg, sizeof msg,
                     nr == XF_NUM_NONFINITE ? "'%s' is not a finite number"
                     : r->o.decimal == '.' && r->delim != ',' &&
                             xf__parse_double(s, strlen(s), ',', &v2) == XF_NUM_OK
                         ? "'%s' is not a number (give --decimal , if ',' is the decimal mark)"
                         : "'%s' is not a number",
                     q);
            return fail_at(r, XF_EPARSE, line, r->targets[j] + 1, msg);
        }
        g->v[j][g->n] = v;
    }
    g->t[g->n] = t;
    g->line[g->n] = (uint32_t)line;
    g->n++;
    r->n_rows++;
    return XF_OK;
}

static int sniff_flush(xf_csv_reader *r)
{
    size_t k, c;
    int rc;
    const char **f;
    if ((rc = decide_columns(r)) != XF_OK)
        return rc;
    f = calloc(r->n_cols ? r->n_cols : 1, sizeof *f);
    if (f == NULL)
        return oom(r);
    for (k = 0; k < r->n_sr; k++) {
        for (c = 0; c < r->n_cols; c++)
            f[c] = sniff_field(r, k, c);
        if ((rc = add_row(r, f, r->sr_line[k])) != XF_OK) {
            free(f);
            return rc;
        }
    }
    free(f);
    free(r->sb);
    free(r->sf);
    free(r->sr);
    free(r->sr_line);
    r->sb = NULL;
    r->sf = NULL;
    r->sr = NULL;
    r->sr_line = NULL;
    r->n_sr = 0;
    r->ph = PH_ROWS;
    return XF_OK;
}

static int sniff_keep(xf_csv_reader *r)
{
    size_t c;
    if (xf__grow((void **)&r->sb, &r->sb_cap, r->sb_len + r->rec_len, 1) != 0 ||
        xf__grow((void **)&r->sf, &r->sf_cap, r->sf_len + r->nf, sizeof *r->sf) != 0 ||
        xf__grow((void **)&r->sr, &r->sr_cap, r->n_sr + 1, sizeof *r->sr) != 0 ||
        xf__grow((void **)&r->sr_line, &r->srl_cap, r->n_sr + 1, sizeof *r->sr_line) != 0)
        return oom(r);
    memcpy(r->sb + r->sb_len, r->rec, r->rec_len);
    r->sr[r->n_sr] = r->sf_len;
    r->sr_line[r->n_sr] = r->rec_line;
    for (c = 0; c < r->nf; c++)
        r->sf[r->sf_len++] = r->sb_len + r->fo[c];
    r->sb_len += r->rec_len;
    r->n_sr++;
    if (r->n_sr >= r->o.sniff_rows)
        return sniff_flush(r);
    return XF_OK;
}

/* ---------------------------------------------------------- libcsv hooks */

static void on_field(void *s, size_t len, void *data)
{
    xf_csv_reader *r = data;
    if (r->failed)
        return;
    if (r->nf == 0)
        r->rec_line = r->line;
    if ((r->rec_len + len + 1 > r->rec_cap &&
         xf__grow((void **)&r->rec, &r->rec_cap, r->rec_len + len + 1, 1) != 0) ||
        (r->nf + 1 > r->fo_cap &&
         xf__grow((void **)&r->fo, &r->fo_cap, r->nf + 1, sizeof *r->fo) != 0)) {
        oom(r);
        return;
    }
    if (len > 0)
        memcpy(r->rec + r->rec_len, s, len);
    r->rec[r->rec_len + len] = '\0';
    if (r->check_nul && memchr(r->rec + r->rec_len, '\0', len) != NULL) {
        fail_at(r, XF_EPARSE, r->line, (int32_t)r->nf + 1, "field contains a NUL byte");
        return;
    }
    r->fo[r->nf++] = r->rec_len;
    r->rec_len += len + 1;
}

/* A header whose every field reads as a number or a timestamp is the first
 * data row of a file without a header: reading it as column names would
 * silently drop that row and name the columns "2024-01-01" and "5". */
static int header_is_data(const xf_csv_reader *r)
{
    size_t k;
    for (k = 0; k < r->n_cols; k++) {
        const char *s = r->cols[k];
        size_t len = strlen(s);
        double v;
        xf_time t;
        if (len == 0)
            return 0;
        if (xf__parse_double(s, len, r->o.decimal, &v) != XF_NUM_SYNTAX ||
            xf_time_parse_iso(s, len, &t) == XF_OK)
            continue;
        if (r->s_time_format != NULL && strchr(r->s_time_format, '%') != NULL &&
            xf_time_parse_strptime(s, r->s_time_format, &t) == XF_OK)
            continue;
        return 0;
    }
    return 1;
}

static void on_record(int c, void *data)
{
    xf_csv_reader *r = data;
    size_t k;
    (void)c;
    if (r->failed)
        return;
    /* a line of blanks is a blank line */
    if (r->nf == 1 && r->rec[r->fo[0] + strspn(r->rec + r->fo[0], " \t")] == '\0')
        goto done;
    if (r->ph == PH_HEADER) {
        r->cols = calloc(r->nf, sizeof *r->cols);
        r->fptr = calloc(r->nf, sizeof *r->fptr);
        if (r->cols == NULL || r->fptr == NULL) {
            oom(r);
            return;
        }
        r->n_cols = r->nf;
        for (k = 0; k < r->nf; k++)
            if ((r->cols[k] = trim_dup(field(r, k))) == NULL) {
                oom(r);
                return;
            }
        if (r->n_cols < 2) {
            fail_at(r, XF_EPARSE, r->rec_line, 0,
                    r->delim_known && r->o.delimiter
                        ? "the header has a single column: is --delimiter right?"
                        : "the header has a single column; a time column and a value column are "
                          "needed (give --delimiter if fields are not separated by , ; TAB or |)");
            return;
        }
        if (header_is_data(r)) {
            char line[64], q[80], msg[300];
            size_t len = 0;
            for (k = 0; k < r->n_cols && len < sizeof line; k++) /* the fields, joined again */
                len += (size_t)snprintf(line + len, sizeof line - len, "%.*s%s", k ? 1 : 0,
                                        &r->delim, r->cols[k]);
            if (len >= sizeof line)
                len = sizeof line - 1;
            xf__quote(q, sizeof q, line, len, 60);
            snprintf(msg, sizeof msg,
                     "the first line looks like data, not a header: every field of '%s' is a "
                     "number or a timestamp; add a header line naming the columns (such as "
                     "date,value)",
                     q);
            fail_at(r, XF_EPARSE, r->rec_line, 0, msg);
            return;
        }
        r->ph = PH_SNIFF;
        goto done;
    }
    if (r->nf != r->n_cols) {
        char msg[160];
        snprintf(msg, sizeof msg, "expected %zu fields as in the header, found %zu", r->n_cols,
                 r->nf);
        fail_at(r, XF_EPARSE, r->rec_line, 0, msg);
        return;
    }
    if (r->ph == PH_SNIFF) {
        sniff_keep(r);
    } else {
        for (k = 0; k < r->n_cols; k++)
            r->fptr[k] = field(r, k);
        add_row(r, r->fptr, r->rec_line);
    }
done:
    r->nf = 0;
    r->rec_len = 0;
}

/* --------------------------------------------------------------- feeding */

static int parse_error(xf_csv_reader *r)
{
    char q[80], msg[240];
    int e = csv_error(&r->p);
    if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
        return oom(r);
    /* the field as far as libcsv got: the offending text */
    xf__quote(q, sizeof q, (const char *)r->p.entry_buf, r->p.entry_buf ? r->p.entry_pos : 0, 40);
    snprintf(msg, sizeof msg,
             "malformed quoting in field '%s' (a quote inside an unquoted "
             "field, or text after a closing quote)",
             q);
    return fail_at(r, XF_EPARSE, r->line, (int32_t)r->nf + 1, msg);
}

/* Feed bytes to libcsv, one line at a time so that r->line is exact. */
static int feed_lines(xf_csv_reader *r, const char *s, size_t len)
{
    while (len > 0 && !r->failed) {
        const char *nl = memchr(s, '\n', len);
        size_t seg = nl ? (size_t)(nl - s) + 1 : len;
        size_t done = csv_parse(&r->p, s, seg, on_field, on_record, r);
        if (done != seg && !r->failed)
            return parse_error(r);
        if (r->failed)
            return r->status;
        if (nl)
            r->line++;
        s += seg;
        len -= seg;
    }
    return r->failed ? r->status : XF_OK;
}

/* Pick the delimiter from the header line: the most frequent of , ; TAB |
 * outside quotes (',' on ties or when none occurs). */
static char detect_delim(const char *s, size_t len, char decimal)
{
    static const char cand[4] = {',', ';', '\t', '|'};
    size_t cnt[4] = {0, 0, 0, 0}, i;
    int inq = 0, best = 0, k;
    if (decimal == ',') { /* European files: ',' is the decimal mark, ';' the default */
        best = 1;
        for (i = 0; i < len; i++) {
            if (s[i] == '"')
                inq = !inq;
            else if (!inq)
                for (k = 1; k < 4; k++)
                    cnt[k] += s[i] == cand[k];
        }
        for (k = 2; k < 4; k++)
            if (cnt[k] > cnt[best])
                best = k;
        return cand[best];
    }
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            inq = !inq;
        else if (!inq)
            for (k = 0; k < 4; k++)
                cnt[k] += s[i] == cand[k];
    }
    for (k = 1; k < 4; k++)
        if (cnt[k] > cnt[best])
            best = k;
    return cand[best];
}

static int settle_delim(xf_csv_reader *r)
{
    r->delim = detect_delim(r->hdr, r->hdr_len, r->o.decimal);
    r->delim_known = 1;
    csv_set_delim(&r->p, (unsigned char)r->delim);
    if (r->delim == '\t') /* libcsv's default blanks are space and TAB */
        csv_set_space_func(&r->p, is_space_only);
    return feed_lines(r, r->hdr, r->hdr_len);
}

/* UTF-16 and UTF-32 input, by its byte order mark or, without one, by the
 * NUL bytes of ASCII text in those encodings ("d\0a\0" is UTF-16LE):
 * named, instead of "field contains a NUL byte".  n is how many of the
 * first four bytes there are (fewer only for a shorter input). */
static int check_encoding(xf_csv_reader *r)
{
    const unsigned char *b = r->lead;
    size_t n = r->n_lead;
    int bits = 0, big = 0, bom = 0;
    char msg[300];
    if (n == 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0)
        bits = 32, bom = 1;
    else if (n == 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)
        bits = 32, big = 1, bom = 1;
    else if (n == 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0)
        bits = 32;
    else if (n == 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0)
        bits = 32, big = 1;
    else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        bits = 16, bom = 1;
    else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        bits = 16, big = 1, bom = 1;
    else if (n == 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0)
        bits = 16;
    else if (n == 4 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0)
        bits = 16, big = 1;
    if (bits == 0)
        return XF_OK;
    /* with a byte order mark iconv finds the byte order itself */
    snprintf(msg, sizeof msg,
             "file is UTF-%d (%s-endian); convert it to UTF-8, e.g. iconv -f UTF-%d%s -t UTF-8 "
             "FILE > FILE-utf8.csv",
             bits, big ? "big" : "little", bits,
             bom   ? ""
             : big ? "BE"
                   : "LE");
    return fail_at(r, XF_EPARSE, 1, 0, msg);
}

int xf_csv_reader_feed(xf_csv_reader *r, const void *data, size_t len, xf_error *err)
{
    const char *s = data;
    r->err = err;
    if (r->failed)
        return xf__fail(err, XF_EINVAL, 0, 0, "%s: the reader already failed", r->name);
    if (len == 0)
        return XF_OK;
    if (r->n_lead < sizeof r->lead) {
        size_t take = sizeof r->lead - r->n_lead < len ? sizeof r->lead - r->n_lead : len;
        int rc;
        memcpy(r->lead + r->n_lead, s, take);
        r->n_lead += take;
        if (r->n_lead == sizeof r->lead && (rc = check_encoding(r)) != XF_OK)
            return rc;
    }
    if (!r->check_nul && memchr(s, '\0', len) != NULL)
        r->check_nul = 1; /* rare: from now on, look for it field by field */
    /* strip a UTF-8 byte order mark, which may arrive split across chunks */
    while (r->bom_state < 3 && len > 0) {
        static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
        if ((unsigned char)*s != bom[r->bom_state]) {
            /* not a BOM: push back the bytes matched so far */
            int had = r->bom_state, rc;
            r->bom_state = 3;
            if (had > 0) {
                if (!r->delim_known) {
                    if (xf__grow((void **)&r->hdr, &r->hdr_cap, r->hdr_len + (size_t)had, 1) != 0)
                        return oom(r);
                    memcpy(r->hdr + r->hdr_len, bom, (size_t)had);
                    r->hdr_len += (size_t)had;
                } else if ((rc = feed_lines(r, (const char *)bom, (size_t)had)) != XF_OK) {
                    return rc;
                }
            }
            break;
        }
        r->bom_state++;
        s++;
        len--;
    }
    if (!r->delim_known) {
        const char *nl = memchr(s, '\n', len);
        size_t take = nl ? (size_t)(nl - s) + 1 : len;
        if (r->hdr_len + take > HEADER_MAX)
            return fail_at(r, XF_EPARSE, 1, 0, "the header line is longer than 1 MiB");
        if (xf__grow((void **)&r->hdr, &r->hdr_cap, r->hdr_len + take, 1) != 0)
            return oom(r);
        if (take > 0)
            memcpy(r->hdr + r->hdr_len, s, take);
        r->hdr_len += take;
        s += take;
        len -= take;
        if (nl == NULL)
            return XF_OK;
        {
            int rc = settle_delim(r);
            if (rc != XF_OK)
                return rc;
        }
    }
    return feed_lines(r, s, len);
}

/* ------------------------------------------------------------- finishing */

static void fmt_time(char *buf, size_t n, xf_time t)
{
    xf_time_format(t, 1, buf, n);
}

/* Stable sort of the rows of g by time (merge sort on a permutation). */
static int sort_group(xf_csv_reader *r, group *g)
{
    size_t n = g->n, width, i, j;
    size_t *perm = xf__malloc_array(n, sizeof *perm), *tmp = xf__malloc_array(n, sizeof *tmp);
    void *scratch = NULL;
    if (perm == NULL || tmp == NULL)
        goto nomem;
    for (i = 0; i < n; i++)
        perm[i] = i;
    for (width = 1; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            size_t lo = i, mid = i + width < n ? i + width : n,
                   hi = i + 2 * width < n ? i + 2 * width : n;
            size_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                tmp[k++] = g->t[perm[b]] < g->t[perm[a]] ? perm[b++] : perm[a++];
            while (a < mid)
                tmp[k++] = perm[a++];
            while (b < hi)
                tmp[k++] = perm[b++];
        }
        memcpy(perm, tmp, n * sizeof *perm);
    }
    scratch = xf__malloc_array(n, sizeof(double));
    if (scratch == NULL)
        goto nomem;
    {
        xf_time *st = scratch;
        for (i = 0; i < n; i++)
            st[i] = g->t[perm[i]];
        memcpy(g->t, st, n * sizeof *st);
    }
    {
        uint32_t *sl = scratch;
        for (i = 0; i < n; i++)
            sl[i] = g->line[perm[i]];
        memcpy(g->line, sl, n * sizeof *sl);
    }
    for (j = 0; j < r->n_targets; j++) {
        double *sv = scratch;
        for (i = 0; i < n; i++)
            sv[i] = g->v[j][perm[i]];
        memcpy(g->v[j], sv, n * sizeof *sv);
    }
    for (j = 0; j < r->n_watch; j++) {
        uint32_t *sw = scratch;
        for (i = 0; i < n; i++)
            sw[i] = g->wh[perm[i] * r->n_watch + j];
        for (i = 0; i < n; i++)
            g->wh[i * r->n_watch + j] = sw[i];
    }
    free(scratch);
    free(perm);
    free(tmp);
    return XF_OK;
nomem:
    free(scratch);
    free(perm);
    free(tmp);
    return oom(r);
}

static const char *group_label(const xf_csv_reader *r, const group *g, char *buf, size_t n)
{
    if (g->id != NULL)
        snprintf(buf, n, "series '%.80s'", g->id);
    else if (r->n_targets == 1)
        snprintf(buf, n, "series '%.80s'", r->cols[r->targets[0]]);
    else
        snprintf(buf, n, "the file");
    return buf;
}

/* Rows i..e-1 of g share a timestamp: the row (> i) whose watched text
 * column differs from row i's, with that column in *col; 0 when they agree. */
static size_t differing_row(const xf_csv_reader *r, const group *g, size_t i, size_t e, int *col)
{
    size_t k, w;
    for (k = i + 1; k < e; k++)
        for (w = 0; w < r->n_watch; w++)
            if (g->wh[k * r->n_watch + w] != g->wh[i * r->n_watch + w]) {
                *col = r->watch[w];
                return k;
            }
    return 0;
}

/* Merge rows with equal timestamps according to the duplicates policy.
 * Rows that differ in a text column are rows of different series: never
 * merged, and the error names that column as the likely id column. */
static int merge_duplicates(xf_csv_reader *r, group *g, int64_t *n_dup)
{
    size_t i, w = 0, j;
    *n_dup = 0;
    for (i = 0; i < g->n;) {
        size_t e = i + 1;
        while (e < g->n && g->t[e] == g->t[i])
            e++;
        if (e - i > 1) {
            int col = -1;
            size_t kd = differing_row(r, g, i, e, &col);
            char tb[48], lb[120], q[80], msg[600];
            fmt_time(tb, sizeof tb, g->t[i]);
            if (kd > 0)
                xf__quote(q, sizeof q, r->cols[col], strlen(r->cols[col]), 60);
            if (r->o.duplicates == XF_DUPS_ERROR && kd > 0) {
                snprintf(msg, sizeof msg,
                         "duplicate timestamp %s in %s (also at line %lu); the rows differ in "
                         "column '%s', which looks like the series id: give --id-col %s "
                         "(or --id-col none with --duplicates last|mean to merge them)",
                         tb, group_label(r, g, lb, sizeof lb), (unsigned long)g->line[i], q, q);
                return fail_at(r, XF_EDATA, g->line[kd], r->time_idx + 1, msg);
            }
            if (r->o.duplicates == XF_DUPS_ERROR) {
                char idc[200] = "";
                if (r->id_note != NULL) { /* the id column was detected: say so */
                    xf__quote(q, sizeof q, r->cols[r->id_idx], strlen(r->cols[r->id_idx]), 60);
                    snprintf(idc, sizeof idc,
                             " (the series come from column '%s', detected as the id: "
                             "give --id-col to choose another)",
                             q);
                }
                snprintf(msg, sizeof msg,
                         "duplicate timestamp %s in %s (also at line %lu); use --duplicates "
                         "last|mean to merge%s",
                         tb, group_label(r, g, lb, sizeof lb), (unsigned long)g->line[i], idc);
                return fail_at(r, XF_EDATA, g->line[i + 1], r->time_idx + 1, msg);
            }
            if (kd > 0) {
                snprintf(msg, sizeof msg,
                         "rows at timestamp %s in %s (lines %lu and %lu) differ in column '%s': "
                         "they look like rows of different series, which --duplicates %s does "
                         "not merge; give --id-col %s, or --id-col none to merge them anyway",
                         tb, group_label(r, g, lb, sizeof lb), (unsigned long)g->line[i],
                         (unsigned long)g->line[kd], q,
                         r->o.duplicates == XF_DUPS_LAST ? "last" : "mean", q);
                return fail_at(r, XF_EDATA, g->line[kd], col + 1, msg);
            }
            for (j = 0; j < r->n_targets; j++) {
                double *v = g->v[j], out = NAN;
                size_t k;
                if (r->o.duplicates == XF_DUPS_LAST) {
                    out = v[e - 1];
                } else {
                    double sum = 0;
                    size_t cnt = 0;
                    for (k = i; k < e; k++)
                        if (!isnan(v[k])) {
                            sum += v[k];
                            cnt++;
                        }
                    if (cnt > 0)
                        out = sum / (double)cnt;
                }
                v[w] = out;
            }
            *n_dup += (int64_t)(e - i - 1);
        } else {
            for (j = 0; j < r->n_targets; j++)
                g->v[j][w] = g->v[j][i];
        }
        g->t[w] = g->t[i];
        g->line[w] = g->line[i];
        for (j = 0; j < r->n_watch; j++)
            g->wh[w * r->n_watch + j] = g->wh[i * r->n_watch + j];
        w++;
        i = e;
    }
    g->n = w;
    return XF_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Error for irregular spacing: name up to MAX_BAD_ROWS lines where the step
 * from the previous row is not a multiple of the usual (most common) step. */
static int irregular(xf_csv_reader *r, const group *g)
{
    size_t n = g->n, i, nbad = 0, best_cnt = 0, run = 0;
    int64_t *d = xf__malloc_array(n, sizeof *d), mode = 0;
    char msg[640], lb[120], fb[32];
    size_t len;
    xf_freq f;
    if (d == NULL)
        return oom(r);
    for (i = 1; i < n; i++)
        d[i - 1] = g->t[i] - g->t[i - 1];
    qsort(d, n - 1, sizeof *d, cmp_i64);
    for (i = 0; i < n - 1; i++) {
        run = i > 0 && d[i] == d[i - 1] ? run + 1 : 1;
        if (run > best_cnt) {
            best_cnt = run;
            mode = d[i];
        }
    }
    free(d);
    f.kind = XF_FREQ_FIXED;
    f.step = mode;
    f.month_end = 0;
    xf_freq_format(f, fb, sizeof fb);
    for (i = 1; i < n; i++)
        nbad += (g->t[i] - g->t[i - 1]) % mode != 0;
    if (nbad == 0) {
        snprintf(msg, sizeof msg,
                 "%s has %zu rows spread over more than twice as many steps of "
                 "%s: too sparse to infer the frequency; give --freq",
                 group_label(r, g, lb, sizeof lb), n, fb);
        return fail_at(r, XF_EDATA, g->line[0], 0, msg);
    }
    nbad = 0;
    len = (size_t)snprintf(msg, sizeof msg,
                           "irregular time steps in %s: the usual step is %s but "
                           "the spacing breaks at line",
                           group_label(r, g, lb, sizeof lb), fb);
    for (i = 1; i < n && len < sizeof msg; i++) {
        if ((g->t[i] - g->t[i - 1]) % mode != 0) {
            if (nbad < MAX_BAD_ROWS)
                len += (size_t)snprintf(msg + len, sizeof msg - len, "%s %lu", nbad ? "," : "",
                                        (unsigned long)g->line[i]);
            nbad++;
        }
    }
    if (len < sizeof msg)
        snprintf(msg + len, sizeof msg - len, "%s (%zu place%s); give --freq, or fix the file",
                 nbad > MAX_BAD_ROWS ? " ..." : "", nbad, nbad == 1 ? "" : "s");
    return fail_at(r, XF_EDATA, nbad ? g->line[0] : 0, 0, msg);
}

/* Infer the frequency of a sorted, duplicate-free group with n >= 2. */
static int infer_freq(xf_csv_reader *r, const group *g, xf_freq *f)
{
    size_t n = g->n, i;
    int64_t dmin = INT64_MAX;
    for (i = 1; i < n; i++)
        if (g->t[i] - g->t[i - 1] < dmin)
            dmin = g->t[i] - g->t[i - 1];
    /* calendar months: same day of month (or all month ends), same time of day */
    if (dmin >= 28 * XF_TIME_US_PER_DAY) {
        xf_civil c0, c;
        int same_day = 1, all_end = 1, ok = 1;
        int64_t mmin = INT64_MAX, m0, mp;
        xf_freq fm;
        xf_time_to_civil(g->t[0], &c0);
        m0 = mp = (int64_t)c0.year * 12 + c0.month;
        for (i = 0; i < n && ok; i++) {
            xf_civil nx;
            xf_time nxt;
            int64_t m;
            xf_time_to_civil(g->t[i], &c);
            if (c.hour != c0.hour || c.minute != c0.minute || c.second != c0.second ||
                c.usec != c0.usec)
                ok = 0;
            same_day &= c.day == c0.day;
            /* month end: the next day is the 1st */
            xf_time_to_civil(g->t[i] + XF_TIME_US_PER_DAY, &nx);
            (void)nxt;
            all_end &= nx.day == 1;
            m = (int64_t)c.year * 12 + c.month;
            if (i > 0 && m - mp < mmin)
                mmin = m - mp;
            mp = m;
        }
        (void)m0;
        if (ok && (same_day || all_end) && mmin > 0 && mmin != INT64_MAX) {
            int64_t k;
            fm.kind = XF_FREQ_MONTH;
            fm.step = mmin;
            fm.month_end = !same_day && all_end;
            for (i = 1; i < n && ok; i++)
                ok = xf_freq_steps_between(fm, g->t[0], g->t[i], &k) == XF_OK;
            if (ok) {
                *f = fm;
                return XF_OK;
            }
        }
    }
    /* business days: weekdays only, same time of day, consecutive weekdays seen,
     * and at least one weekend skipped */
    if (dmin >= XF_TIME_US_PER_DAY && dmin % XF_TIME_US_PER_DAY == 0) {
        xf_freq fb = {XF_FREQ_BDAY, 1, 0};
        int ok = 1, skipped_weekend = 0;
        int64_t k, kp = 0;
        for (i = 1; i < n && ok; i++) {
            ok = xf_freq_steps_between(fb, g->t[0], g->t[i], &k) == XF_OK;
            if (ok && k - kp == 1 && g->t[i] - g->t[i - 1] > XF_TIME_US_PER_DAY)
                skipped_weekend = 1;
            kp = k;
        }
        if (ok && skipped_weekend) {
            *f = fb;
            return XF_OK;
        }
    }
    /* fixed step: the smallest spacing must divide every spacing, and the
     * grid it makes must be at least half filled - otherwise a single stray
     * row (01:20 among hourly rows) would turn the series into a sparse
     * 20-minute one. */
    for (i = 1; i < n; i++)
        if ((g->t[i] - g->t[i - 1]) % dmin != 0)
            return irregular(r, g);
    if ((uint64_t)((g->t[n - 1] - g->t[0]) / dmin) + 1 > 2 * (uint64_t)n)
        return irregular(r, g);
    f->kind = XF_FREQ_FIXED;
    f->step = dmin;
    f->month_end = 0;
    return XF_OK;
}

/* --holidays on a business-day series: a row dated on a listed holiday is
 * an error at its line (the calendar and the data disagree). */
static int holiday_rows(xf_csv_reader *r, const group *g, xf_freq f)
{
    size_t i;
    if (f.kind != XF_FREQ_BDAY || r->hol.n == 0)
        return XF_OK;
    for (i = 0; i < g->n; i++) {
        int64_t day = g->t[i] / XF_TIME_US_PER_DAY - (g->t[i] % XF_TIME_US_PER_DAY < 0);
        if (xf__holidays_has(&r->hol, day)) {
            char a[48], msg[400], lb[120];
            fmt_time(a, sizeof a, g->t[i]);
            snprintf(msg, sizeof msg,
                     "%s has a row on %s, a holiday in %s; remove the date from the "
                     "holiday file or the row from the data",
                     group_label(r, g, lb, sizeof lb), a, r->s_holidays);
            return fail_at(r, XF_EDATA, g->line[i], r->time_idx + 1, msg);
        }
    }
    return XF_OK;
}

/* Check that a group lies on the grid of a given frequency. */
static int check_grid(xf_csv_reader *r, const group *g, xf_freq f)
{
    size_t i, nbad = 0, len;
    int64_t k;
    char msg[640], lb[120], fb[32];
    int rc;
    if ((rc = holiday_rows(r, g, f)) != XF_OK)
        return rc;
    xf_freq_format(f, fb, sizeof fb);
    len = (size_t)snprintf(msg, sizeof msg, "%s does not follow frequency %s: off the grid at line",
                           group_label(r, g, lb, sizeof lb), fb);
    for (i = 0; i < g->n; i++) {
        /* business days: each row must itself be a weekday at the first row's
         * time of day, so a Saturday first row does not condemn the rest */
        int off = f.kind == XF_FREQ_BDAY
                      ? xf__freq_steps_hol(f, &r->hol, g->t[i], g->t[i], &k) != XF_OK ||
                            (g->t[i] - g->t[0]) % XF_TIME_US_PER_DAY != 0
                      : xf_freq_steps_between(f, g->t[0], g->t[i], &k) != XF_OK;
        if (off) {
            if (nbad < MAX_BAD_ROWS && len < sizeof msg)
                len += (size_t)snprintf(msg + len, sizeof msg - len, "%s %lu", nbad ? "," : "",
                                        (unsigned long)g->line[i]);
            nbad++;
        }
    }
    if (nbad == 0)
        return XF_OK;
    if (len < sizeof msg)
        snprintf(msg + len, sizeof msg - len, "%s (%zu place%s)", nbad > MAX_BAD_ROWS ? " ..." : "",
                 nbad, nbad == 1 ? "" : "s");
    return fail_at(r, XF_EDATA, g->line[0], r->time_idx + 1, msg);
}

/* Linear interpolation of interior NaNs; returns the number filled. */
static int64_t interpolate(double *v, size_t n)
{
    size_t i = 0, prev = SIZE_MAX;
    int64_t filled = 0;
    for (i = 0; i < n; i++) {
        if (isnan(v[i]))
            continue;
        if (prev != SIZE_MAX && i - prev > 1) {
            size_t k;
            for (k = prev + 1; k < i; k++) {
                double w = (double)(k - prev) / (double)(i - prev);
                v[k] = v[prev] + w * (v[i] - v[prev]);
                filled++;
            }
        }
        prev = i;
    }
    return filled;
}

/* The grid steps from a group's first row to its last (n >= 2), with the
 * sanity check of one series: a span far beyond its rows (more gap values
 * than ten per row plus max_gap_fill) is a wrong timestamp or frequency, not
 * gaps. */
static int grid_steps(xf_csv_reader *r, const group *g, xf_freq f, int64_t *steps)
{
    size_t n = g->n;
    char lb[120];
    int rc;
    if ((rc = holiday_rows(r, g, f)) != XF_OK) /* the row on a holiday, named */
        return rc;
    if (xf__freq_steps_hol(f, &r->hol, g->t[0], g->t[n - 1], steps) != XF_OK)
        return fail_at(r, XF_EDATA, g->line[n - 1], r->time_idx + 1, "timestamp is off the grid");
    if (*steps + 1 > (int64_t)n &&
        (uint64_t)*steps > (uint64_t)n * 10 + (uint64_t)r->o.max_gap_fill) {
        char msg[340], fb[32];
        xf_freq_format(f, fb, sizeof fb);
        snprintf(msg, sizeof msg,
                 "%s spans %lld steps of %s but has only %zu rows; "
                 "check the timestamps%s (or raise --max-gap-fill)",
                 group_label(r, g, lb, sizeof lb), (long long)*steps + 1, fb, n,
                 r->s_freq != NULL ? " and --freq" : " or give --freq");
        return fail_at(r, XF_EDATA, 0, 0, msg);
    }
    return XF_OK;
}

/* The values gap filling adds over the whole file, checked against
 * max_gap_fill before any grid is allocated: the cap is per file, since
 * many series each below the per-series bound (60 ids with --freq 1s) may
 * together need gigabytes. */
static int check_gap_fill(xf_csv_reader *r, const xf_freq *freqs)
{
    size_t gi;
    uint64_t total = 0, ncols = r->n_targets ? r->n_targets : 1;
    for (gi = 0; gi < r->n_groups; gi++) {
        const group *g = &r->groups[gi];
        int64_t steps;
        int rc;
        if (freqs[gi].kind == XF_FREQ_UNKNOWN || g->n < 2)
            continue;
        if ((rc = grid_steps(r, g, freqs[gi], &steps)) != XF_OK)
            return rc;
        if (steps + 1 > (int64_t)g->n)
            total += ((uint64_t)steps + 1 - g->n) * ncols;
        if (total > (uint64_t)r->o.max_gap_fill) {
            char msg[400], fb[32];
            xf_freq_format(freqs[gi], fb, sizeof fb);
            snprintf(msg, sizeof msg,
                     "filling the gaps of the regular grids would add more than %lld values "
                     "(%llu for the first %llu series, at frequency %s); check %s, or raise "
                     "--max-gap-fill",
                     (long long)r->o.max_gap_fill, (unsigned long long)total,
                     (unsigned long long)((gi + 1) * ncols), fb,
                     r->s_freq != NULL ? "--freq" : "the timestamps (or give --freq)");
            return fail_at(r, XF_ERANGE, 0, 0, msg);
        }
    }
    return XF_OK;
}

/* Turn a group into dataset series on a regular grid. */
static int emit_group(xf_csv_reader *r, group *g, xf_freq f, int64_t n_dup, xf_dataset *ds)
{
    size_t n = g->n, len = n, i, j;
    int64_t gaps = 0, runs = 0, maxgap = 0;
    xf_time *t = g->t;
    int rc = XF_OK;
    char lb[120];

    if (f.kind != XF_FREQ_UNKNOWN && n >= 2) {
        int64_t steps;
        if ((rc = grid_steps(r, g, f, &steps)) != XF_OK) /* with holiday_rows */
            return rc;
        if (steps + 1 > (int64_t)n)
            len = (size_t)steps + 1;
    } else if ((rc = holiday_rows(r, g, f)) != XF_OK) {
        return rc;
    }
    if (len > n) {
        xf_time *nt;
        size_t pos = 0;
        if (r->o.gaps == XF_GAPS_ERROR) {
            for (i = 1; i < n; i++) {
                int64_t k;
                xf__freq_steps_hol(f, &r->hol, g->t[i - 1], g->t[i], &k);
                if (k > 1) {
                    char a[48], b[48], msg[400];
                    fmt_time(a, sizeof a, g->t[i - 1]);
                    fmt_time(b, sizeof b, g->t[i]);
                    snprintf(msg, sizeof msg,
                             "gap of %lld missing timestamp%s between %s and %s "
                             "in %s; use --gaps keep|interpolate",
                             (long long)(k - 1), k == 2 ? "" : "s", a, b,
                             group_label(r, g, lb, sizeof lb));
                    return fail_at(r, XF_EDATA, g->line[i], r->time_idx + 1, msg);
                }
            }
        }
        nt = xf__malloc_array(len, sizeof *nt);
        if (nt == NULL)
            return oom(r);
        for (i = 0; i < len; i++) /* trading days: one step at a time (O(step) each) */
            if ((f.kind == XF_FREQ_BDAY && r->hol.n > 0 && i > 0
                     ? xf__freq_advance_hol(f, &r->hol, nt[i - 1], 1, &nt[i])
                     : xf_freq_advance(f, g->t[0], (int64_t)i, &nt[i])) != XF_OK) {
                /* between two read timestamps: cannot fail, but never wraps */
                free(nt);
                return fail_at(r, XF_ERANGE, g->line[n - 1], r->time_idx + 1,
                               "the regular grid leaves the supported years");
            }
        for (j = 0; j < r->n_targets; j++) {
            double *nv = xf__malloc_array(len, sizeof *nv);
            if (nv == NULL) {
                free(nt);
                return oom(r);
            }
            for (i = 0, pos = 0; i < len; i++) {
                if (pos < n && g->t[pos] == nt[i])
                    nv[i] = g->v[j][pos++];
                else
                    nv[i] = NAN;
            }
            free(g->v[j]);
            g->v[j] = nv;
        }
        for (i = 1; i < n; i++) {
            int64_t k;
            xf__freq_steps_hol(f, &r->hol, g->t[i - 1], g->t[i], &k);
            if (k > 1) {
                gaps += k - 1;
                runs++;
                if (k - 1 > maxgap)
                    maxgap = k - 1;
            }
        }
        free(g->t);
        g->t = t = nt;
    } else {
        /* give back spare capacity */
        xf_time *nt = xf__realloc_array(g->t, len, sizeof *nt);
        if (nt != NULL)
            g->t = nt;
        t = g->t;
        for (j = 0; j < r->n_targets; j++) {
            double *nv = xf__realloc_array(g->v[j], len, sizeof *nv);
            if (nv != NULL)
                g->v[j] = nv;
        }
    }
    if (xf__dataset_own_times(ds, t) != 0)
        return oom(r);
    g->t = NULL;
    for (j = 0; j < r->n_targets; j++) {
        xf_series_stats st;
        char *id;
        const char *col = r->cols[r->targets[j]];
        memset(&st, 0, sizeof st);
        st.n_rows = (int64_t)n + n_dup;
        st.n_missing = g->n_missing[j];
        st.n_gaps = gaps;
        st.n_gap_runs = runs;
        st.max_gap = maxgap;
        st.n_duplicates = n_dup;
        st.first_line = n > 0 ? g->line[0] : 0;
        if (r->o.gaps == XF_GAPS_INTERPOLATE)
            st.n_interpolated = interpolate(g->v[j], len);
        if (g->id == NULL) {
            id = xf__strndup(col, strlen(col));
        } else if (r->n_targets == 1) {
            id = xf__strndup(g->id, strlen(g->id));
        } else {
            size_t a = strlen(g->id), b = strlen(col);
            id = malloc(a + b + 2);
            if (id != NULL) {
                memcpy(id, g->id, a);
                id[a] = ':';
                memcpy(id + a + 1, col, b + 1);
            }
        }
        if (id == NULL)
            return oom(r);
        if (xf__dataset_add_series(ds, id, len, t, g->v[j], f, &st, (size_t)r->targets[j], g->id) !=
            0) {
            free(id);
            return oom(r);
        }
        g->v[j] = NULL;
    }
    return rc;
}

static int finish_groups(xf_csv_reader *r, xf_dataset *ds)
{
    size_t gi, n_sorted = 0;
    int rc;
    xf_freq given = {XF_FREQ_UNKNOWN, 0, 0}, common = {XF_FREQ_UNKNOWN, 0, 0};
    xf_freq *freqs = calloc(r->n_groups ? r->n_groups : 1, sizeof *freqs);
    int64_t *dups = calloc(r->n_groups ? r->n_groups : 1, sizeof *dups);
    if (freqs == NULL || dups == NULL) {
        free(freqs);
        free(dups);
        return oom(r);
    }
    if (r->s_freq != NULL)
        xf_freq_parse(r->s_freq, &given, NULL);
    for (gi = 0; gi < r->n_groups; gi++) {
        group *g = &r->groups[gi];
        size_t i;
        for (i = 1; i < g->n; i++)
            if (g->t[i] < g->t[i - 1])
                break;
        if (i < g->n) {
            char lb[120];
            uint32_t at = g->line[i];
            if ((rc = sort_group(r, g)) != XF_OK)
                goto out;
            if (n_sorted < MAX_NOTES_SORTED &&
                xf__dataset_add_note(ds,
                                     "%s: rows of %s were not in time order and have been "
                                     "sorted (first out of order at line %lu)",
                                     r->name, group_label(r, g, lb, sizeof lb),
                                     (unsigned long)at) != 0) {
                rc = oom(r);
                goto out;
            }
            n_sorted++;
        }
        if ((rc = merge_duplicates(r, g, &dups[gi])) != XF_OK)
            goto out;
        if (given.kind != XF_FREQ_UNKNOWN) {
            freqs[gi] = given;
            if (given.kind == XF_FREQ_MONTH && g->n > 0) {
                /* --freq M on month-end data: anchor the grid at month ends */
                xf_civil c;
                xf_time_to_civil(g->t[0] + XF_TIME_US_PER_DAY, &c);
                if (c.day == 1) {
                    xf_freq fe = given;
                    int64_t k;
                    fe.month_end = 1;
                    for (i = 1; i < g->n; i++)
                        if (xf_freq_steps_between(fe, g->t[0], g->t[i], &k) != XF_OK)
                            break;
                    if (i == g->n)
                        freqs[gi] = fe;
                }
            }
            if ((rc = check_grid(r, g, freqs[gi])) != XF_OK)
                goto out;
        } else if (g->n >= 2) {
            if ((rc = infer_freq(r, g, &freqs[gi])) != XF_OK)
                goto out;
        }
    }
    if (n_sorted > MAX_NOTES_SORTED &&
        xf__dataset_add_note(ds, "%s: %zu more series were sorted by time", r->name,
                             n_sorted - MAX_NOTES_SORTED) != 0) {
        rc = oom(r);
        goto out;
    }
    /* series with a single row take the most common frequency of the others */
    {
        size_t best = 0, i, k;
        for (i = 0; i < r->n_groups; i++) {
            size_t cnt = 0;
            if (freqs[i].kind == XF_FREQ_UNKNOWN)
                continue;
            for (k = 0; k < r->n_groups; k++)
                cnt += freqs[k].kind == freqs[i].kind && freqs[k].step == freqs[i].step;
            if (cnt > best) {
                best = cnt;
                common = freqs[i];
            }
            if (best * 2 > r->n_groups)
                break;
        }
    }
    for (gi = 0; gi < r->n_groups; gi++)
        if (freqs[gi].kind == XF_FREQ_UNKNOWN)
            freqs[gi] = common;
    if ((rc = check_gap_fill(r, freqs)) != XF_OK)
        goto out;
    for (gi = 0; gi < r->n_groups; gi++)
        if ((rc = emit_group(r, &r->groups[gi], freqs[gi], dups[gi], ds)) != XF_OK)
            goto out;
    rc = XF_OK;
out:
    free(freqs);
    free(dups);
    return rc;
}

int xf_csv_reader_finish(xf_csv_reader *r, xf_dataset **out, xf_error *err)
{
    xf_dataset *ds = NULL;
    int rc;
    size_t c;
    *out = NULL;
    r->err = err;
    if (r->failed)
        return xf__fail(err, XF_EINVAL, 0, 0, "%s: the reader already failed", r->name);
    if (r->n_lead < sizeof r->lead && (rc = check_encoding(r)) != XF_OK)
        return rc;
    if (r->bom_state < 3) { /* input shorter than a BOM: push back what matched */
        static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
        int had = r->bom_state;
        r->bom_state = 3;
        if (had > 0 && xf__grow((void **)&r->hdr, &r->hdr_cap, r->hdr_len + (size_t)had, 1) == 0) {
            memcpy(r->hdr + r->hdr_len, bom, (size_t)had);
            r->hdr_len += (size_t)had;
        }
    }
    if (!r->delim_known && (rc = settle_delim(r)) != XF_OK)
        return rc;
    if (csv_fini(&r->p, on_field, on_record, r) != 0 && !r->failed) {
        char msg[120];
        snprintf(msg, sizeof msg, "unterminated quoted field at end of input");
        return fail_at(r, XF_EPARSE, r->line, (int32_t)r->nf + 1, msg);
    }
    if (r->failed)
        return r->status;
    if (r->ph == PH_HEADER)
        return fail_at(r, XF_EPARSE, 0, 0, "empty input: no header row");
    if (r->ph == PH_SNIFF && (rc = sniff_flush(r)) != XF_OK)
        return rc;
    if (r->n_rows == 0)
        return fail_at(r, XF_EDATA, 0, 0, "no data rows after the header");
    ds = xf__dataset_new();
    if (ds == NULL)
        return oom(r);
    ds->delimiter = r->delim;
    ds->time_fmt = r->tfmt;
    if (r->tz != NULL &&
        (ds->tz = xf__strndup(xf_tz_name(r->tz), strlen(xf_tz_name(r->tz)))) == NULL)
        goto nomem;
    if (r->hol.n > 0 && xf__holidays_from_days(r->hol.day, r->hol.n, &ds->hol, NULL) != XF_OK)
        goto nomem; /* a copy of a valid table: only memory can fail */
    ds->n_rows = r->n_rows;
    ds->time_col = xf__strndup(r->cols[r->time_idx], strlen(r->cols[r->time_idx]));
    ds->columns = calloc(r->n_cols, sizeof *ds->columns);
    ds->roles = calloc(r->n_cols, sizeof *ds->roles);
    if (ds->time_col == NULL || ds->columns == NULL || ds->roles == NULL)
        goto nomem;
    ds->n_columns = r->n_cols;
    if ((r->id_note != NULL && xf__dataset_add_note(ds, "%s", r->id_note) != 0) ||
        (r->dec_note != NULL && xf__dataset_add_note(ds, "%s", r->dec_note) != 0))
        goto nomem;
    for (c = 0; c < r->n_cols; c++) {
        if ((ds->columns[c] = xf__strndup(r->cols[c], strlen(r->cols[c]))) == NULL)
            goto nomem;
        ds->roles[c] = (int)c == r->time_idx ? XF_COLUMN_TIME
                       : (int)c == r->id_idx ? XF_COLUMN_ID
                                             : XF_COLUMN_IGNORED;
    }
    for (c = 0; c < r->n_targets; c++)
        ds->roles[r->targets[c]] = XF_COLUMN_TARGET;
    if ((rc = finish_groups(r, ds)) != XF_OK) {
        xf_dataset_free(ds);
        return rc;
    }
    r->failed = 1; /* finished: the reader is spent */
    *out = ds;
    return XF_OK;
nomem:
    xf_dataset_free(ds);
    return oom(r);
}

int xf_dataset_read_csv(const char *path, const xf_csv_options *opts, xf_dataset **out,
                        xf_error *err)
{
    FILE *fp;
    xf_csv_reader *r = NULL;
    char *buf;
    const size_t chunk = (size_t)1 << 20;
    int rc, is_stdin = path != NULL && strcmp(path, "-") == 0;
    *out = NULL;
    if (path == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "no file name given");
    /* options first: a bad option is reported whatever the file */
    if ((rc = xf_csv_reader_new(is_stdin ? "<stdin>" : path, opts, &r, err)) != XF_OK)
        return rc;
    fp = is_stdin ? stdin : fopen(path, "rb");
    if (fp == NULL) {
        rc = xf__fail(err, errno == ENOMEM ? XF_ENOMEM : XF_EIO, 0, 0, "cannot open '%s': %s", path,
                      strerror(errno));
        xf_csv_reader_free(r);
        return rc;
    }
    buf = malloc(chunk);
    if (buf == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (;;) {
        size_t got = fread(buf, 1, chunk, fp);
        if (got > 0 && (rc = xf_csv_reader_feed(r, buf, got, err)) != XF_OK)
            goto done;
        if (got < chunk) {
            if (ferror(fp)) {
                rc = xf__fail(err, XF_EIO, 0, 0, "error reading '%s': %s", path, strerror(errno));
                goto done;
            }
            break;
        }
    }
    rc = xf_csv_reader_finish(r, out, err);
done:
    xf_csv_reader_free(r);
    free(buf);
    if (!is_stdin)
        fclose(fp);
    return rc;
}
