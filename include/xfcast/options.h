/* xfcast/options.h - the one table of model, CSV and source options.
 *
 * Every option that the command line (`xfcast fit --lags 48`), the sources
 * INI file of `xfcast retrain` (`lags = 48`), the retrain configuration
 * fingerprint and the head file know is one entry of one table: its long
 * name (which is also its INI key), its type and allowed values, its
 * default, its help text, where it is stored (an offset into
 * xf_head_options, xf_csv_options or xf_source) and whether the head file
 * records it.  The CLI scans arguments, prints its option help, the INI
 * reader applies keys and retrain fingerprints a source by walking it, so
 * an option added here is known to all of them at once.
 *
 * To add a model option: add its field to xf_head_options (head.h) with its
 * default in xf_head_options_init, and one entry to the table in
 * src/options.c; the CLI, the INI reader and the help text follow.
 *
 * The table is constant and every function here is reentrant.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_OPTIONS_H
#define XFCAST_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include "dataset.h"
#include "api.h"
#include "error.h"
#include "head.h"

#ifdef __cplusplus
extern "C" {
#endif

struct xf_source;
struct xf_xfm;

/* How an option's value is written. */
typedef enum xf_option_type {
    XF_OPT_INT = 0, /* whole number in [min, max] */
    XF_OPT_DOUBLE,  /* finite number between dmin and dmax (see XF_OPT_DMIN_CLOSED) */
    XF_OPT_FLAG,    /* on or off: --NAME / off_name on the command line, on|off in INI */
    XF_OPT_ENUM,    /* one of `choices` */
    XF_OPT_CHAR,    /* one character; `chars` lists the allowed ones (NULL: any but '"',
                       CR and LF; "tab" and "\t" mean TAB) */
    XF_OPT_STRING,  /* text, kept as given */
    XF_OPT_FREQ,    /* a frequency as xf_freq_parse reads it, kept as text */
    XF_OPT_LIST,    /* comma-separated items; repeatable on the command line */
    XF_OPT_LEVELS,  /* interval levels as xf_levels_parse reads them */
    XF_OPT_PATH     /* a file path, relative to the INI file's directory */
} xf_option_type;

/* Which structure holds an option. */
typedef enum xf_option_where {
    XF_OPT_IN_HEAD = 0, /* xf_head_options */
    XF_OPT_IN_CSV,      /* xf_csv_options (strings borrowed: see xf_option_set) */
    XF_OPT_IN_SOURCE    /* xf_source (strings owned by the source) */
} xf_option_where;

/* How an option enters the retrain configuration fingerprint (a change of
 * a fingerprinted option makes `xfcast retrain` refit instead of update). */
typedef enum xf_option_hash {
    XF_OPT_HASH_NO = 0, /* not part of it (the reason is in not_hashed) */
    XF_OPT_HASH_RAW,    /* its stored number (enums, characters) or string, at hash_pos */
    XF_OPT_HASH_TEXT,   /* its text (an enum's name), at hash_pos */
    XF_OPT_HASH_CHANGED /* "|NAME=TEXT" after the others, only when it differs from the
                             default (so that the fingerprints of configurations written
                             before the option was fingerprinted stay the same) */
} xf_option_hash;

/* Flags of an option. */
enum {
    XF_OPT_CLI_ONLY = 1,    /* not an INI key */
    XF_OPT_INI_ONLY = 2,    /* not a command-line option of fit, forecast, backtest */
    XF_OPT_DMIN_CLOSED = 4, /* XF_OPT_DOUBLE: dmin itself is allowed */
    XF_OPT_HEAD_FIXED = 8   /* a CSV option a head's data spec fixes: a different value
                               given when forecasting with the head is a conflict (what is
                               modelled: target columns, id column, frequency), where the
                               others only say how this file's bytes are read */
};

/* One allowed value of an XF_OPT_ENUM option. */
typedef struct xf_option_choice {
    const char *name; /* as written: "seasonal" */
    int32_t value;    /* as stored */
} xf_option_choice;

/* One option. */
typedef struct xf_option {
    const char *name;      /* long option without "--" and INI key: "time-col" */
    const char *ini_alias; /* an older INI key still accepted ("time"), or NULL */
    const char *off_name;  /* spelling that sets off_text without a value ("no-lags",
                                  "std-scale"), or NULL; XF_OPT_FLAG options without one
                                  accept "no-NAME" */
    const char *off_text;  /* the value the off spelling stands for ("0", "off") */
    xf_option_type type;
    unsigned flags;                  /* XF_OPT_CLI_ONLY, ... */
    xf_option_where where;           /* the structure holding it */
    size_t offset;                   /* offsetof in that structure */
    size_t size;                     /* sizeof the field */
    int64_t min, max;                /* XF_OPT_INT: the range */
    double dmin, dmax;               /* XF_OPT_DOUBLE: the range (open unless flagged) */
    int32_t on_value, off_value;     /* XF_OPT_FLAG: the values stored for on and off */
    const xf_option_choice *choices; /* XF_OPT_ENUM: the values, ended by a NULL name */
    const char *chars;               /* XF_OPT_CHAR: the allowed characters, or NULL */
    const char *dflt;                /* the default, in words (documentation) */
    const char *arg;                 /* the value's placeholder in help text ("N", "COL"), NULL
                                  for flags */
    const char *help;                /* help text: lines of at most 56 columns joined by '\n' */
    const char *help_group;          /* "CSV" or "Model": the help section listing it */
    const char *head_key;            /* the head file key recording its (resolved) value (for
                                  a list: the prefix of its item keys, "covariate." for
                                  covariate.0, covariate.1, ...), or NULL */
    const char *not_in_head;         /* why the head file does not record it (head_key NULL) */
    xf_option_hash hash;             /* how it enters the retrain fingerprint */
    int hash_pos;                    /* XF_OPT_HASH_RAW/TEXT: its place (1, 2, ...) */
    const char *not_hashed;          /* why it is not fingerprinted (XF_OPT_HASH_NO) */
} xf_option;

/* The table, in help order; *n gets its length.  Borrowed, constant. */
XF_API const xf_option *xf_options(size_t *n);

/* The option a command-line argument names ("--lags", "--no-lags",
 * "--std-scale"; the text before any '='), or NULL.  *off is set to 1 when
 * the argument is an off spelling (then no value follows), else 0.
 * Options flagged XF_OPT_INI_ONLY are not found. */
XF_API const xf_option *xf_option_find_cli(const char *arg, int *off);

/* The option an INI key names (its name or its ini_alias), or NULL.
 * Options flagged XF_OPT_CLI_ONLY are not found. */
XF_API const xf_option *xf_option_find_ini(const char *key);

/* Where xf_option_set stores values: the structures an option may live in
 * (NULL when the caller has none of that kind). */
typedef struct xf_option_target {
    xf_head_options *head;    /* XF_OPT_IN_HEAD options */
    xf_csv_options *csv;      /* XF_OPT_IN_CSV options */
    struct xf_source *source; /* XF_OPT_IN_SOURCE options */
    const char *base_dir;     /* XF_OPT_PATH: relative paths are taken from here ("" or
                                  NULL: as given) */
} xf_option_target;

/* Parse `value` as option o's value and store it in the target.  `as`
 * names the option in messages as the user spelled it ("--gaps" or
 * "gaps"): "--gaps takes keep, interpolate or error, not 'sometimes'".  A
 * flag's value is "on" or "off".  String values of XF_OPT_IN_CSV options
 * are borrowed (the value must outlive the options); those of
 * XF_OPT_IN_SOURCE options are copied (the old one freed).  Returns XF_OK,
 * XF_EINVAL (bad value, or no target structure for the option), XF_ENOMEM. */
XF_API int xf_option_set(const xf_option *o, const char *as, const char *value, xf_option_target *t,
                         xf_error *err);

/* The value of option o in the target as INI text (what xf_option_set
 * reads back): "48", "on", "seasonal", "80,95", "tab", "" for an unset
 * string.  snprintf-style: returns the length the text needs. */
XF_API size_t xf_option_format(const xf_option *o, const xf_option_target *t, char *buf, size_t n);

/* The value the head file `head` (a head loaded with xf_xfm_load) records
 * for option o, as the same text (resolved values: a seasonal baseline
 * reads "seasonal", calendar terms "on" or "off").  XF_ENOTFOUND when the
 * head file does not record the option (head_key NULL or key missing). */
XF_API int xf_option_head_text(const xf_option *o, const struct xf_xfm *head, char *buf, size_t n,
                               xf_error *err);

/* The data spec of a head: how the CSV it was fitted on was read, kept in
 * the head file under the CSV options' head_key ("data.target",
 * "data.delimiter", ...; docs/model-format.md), each as the option's INI
 * text, "" for an unset value (detect, infer, default).
 *
 * xf_head_record_csv_options records `opts` (the options the data was read
 * with) in the head's metadata.  With `ds` (the dataset they read; may be
 * NULL) what the reader decided is recorded instead of "detect": the time
 * column's name, the delimiter, the id column (none for a wide file) and
 * the value columns read (covariates included), so that reading the same
 * file with the spec reads it the same way.  A value that is not valid
 * UTF-8 (a Latin-1 column name) is left out: it reads back as unset.
 * XF_OK, XF_EINVAL (opts not initialised), XF_ENOMEM.
 *
 * xf_head_csv_options sets *out (initialised by the caller with
 * xf_csv_options_init) to the defaults and then to the head's spec: the
 * options to read new data of the same kind with (for a long file, new
 * series ids are fine: heads are global, one model for every series).
 * Strings are borrowed from the head and live as long as it does.
 * XF_ENOTFOUND (and *out left at the defaults) for a head saved without a
 * spec (older heads, or a caller that recorded none); XF_EINVAL
 * when *out was not initialised or a recorded value is not valid. */
XF_API int xf_head_record_csv_options(xf_head *h, const xf_csv_options *opts, const xf_dataset *ds,
                                      xf_error *err);
XF_API int xf_head_csv_options(const xf_head *h, xf_csv_options *out, xf_error *err);

/* Help text of the command-line options of one help group ("CSV" or
 * "Model"), in table order, as the CLI prints it, headed "GROUP options:".
 * snprintf-style: returns the length the whole text needs. */
XF_API size_t xf_options_help(const char *group, char *buf, size_t n);

/* The limits on options and inputs, one per line ("  horizon  1..10000
 * (head.horizon)"), headed "Limits ...:", as `xfcast help limits` prints
 * them and the man page's LIMITS section lists them: every range of the
 * option table, then the limits of heads, encoders, source names and INI
 * lines.  snprintf-style: returns the length the whole text needs. */
XF_API size_t xf_limits_help(char *buf, size_t n);

/* Interval levels: "80,95" (up to XF_MAX_LEVELS percentages, each in
 * (0, 100)) or "none" (no intervals: *n = 0).  The message does not name
 * the option. XF_OK or XF_EINVAL (levels untouched). */
XF_API int xf_levels_parse(const char *text, double levels[XF_MAX_LEVELS], size_t *n,
                           xf_error *err);

/* The gap and duplicate policies by name ("keep", "interpolate", "error";
 * "error", "last", "mean") and back.  XF_OK or XF_EINVAL. */
XF_API int xf_gap_policy_parse(const char *text, xf_gap_policy *out, xf_error *err);
XF_API int xf_dup_policy_parse(const char *text, xf_dup_policy *out, xf_error *err);
XF_API const char *xf_gap_policy_name(xf_gap_policy p);
XF_API const char *xf_dup_policy_name(xf_dup_policy p);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_OPTIONS_H */
