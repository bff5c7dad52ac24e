/* cli.h - shared pieces of the xfcast command-line tool (uses only the
 * public API in <xfcast.h>).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_CLI_H
#define XF_CLI_H

#include <stdio.h>
#include "xfcast.h"

/* Exit codes, as documented in xfcast(1). */
enum { CLI_OK = 0, CLI_ERROR = 1, CLI_USAGE = 2, CLI_LOCKED = 75 /* EX_TEMPFAIL */ };

/* One subcommand. */
typedef struct cli_command {
    const char *name;                  /* as typed: "inspect" */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;               /* one line for the command list */
    const char *usage;                 /* full help text shown by `help CMD` */
} cli_command;

/* Print "xfcast CMD: message\n" on stderr. */
void cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Map a library status to an exit code: XF_EINVAL is a usage error (2),
 * everything else a runtime/data error (1). */
int cli_exit_code(int status);

/* Argument scanner: --name value, --name=value, -x value, and "--". */
typedef struct cli_args {
    int argc;               /* number of arguments */
    char **argv;            /* the arguments (argv[0] = command name) */
    int i;                  /* next argument to look at */
    const char *cmd;        /* command name, for messages */
    char *opt;              /* current option name, without its =value */
    const char *inline_val; /* the value after '=' or NULL */
    char optbuf[64];        /* storage for opt */
    const char *value;      /* the value cli_option took (or the text a flag stands for) */
    int only_positional;    /* after "--" */
    const char *const *own; /* NULL or the command's own options that take a value,
                               NULL-terminated: cli_args_value refuses others */
} cli_args;

void cli_args_init(cli_args *a, const char *cmd, int argc, char **argv);
/* Next argument: returns 1 for an option (a->opt set), 2 for a positional
 * (*pos set), 3 for -h/--help, 0 at the end.  An option's value, taken with
 * cli_args_value, is never mistaken for --help. */
int cli_args_next(cli_args *a, const char **pos);
/* Print the full help of a command on stdout (main.c). */
void cli_print_command_help(const char *name);

/* The value of the current option; prints an error and returns NULL when
 * it is missing, or when a->own is set and the option is not one of them
 * ("unknown option", so that an unknown option at the end of the line is
 * not reported as one missing its value). */
const char *cli_args_value(cli_args *a);

/* Handle the current option when the option table (xfcast/options.h)
 * has it and the target has a structure for it: its value is taken (flags
 * and off spellings take none), stored with xf_option_set and kept in
 * a->value; *which is the table entry.  An option stored in xf_source
 * when t->source is NULL (--encoder, --covariate) is only taken: the
 * caller collects a->value.  Returns 1 when handled, 0 when not such an
 * option, -1 on a bad value (message printed). */
int cli_option(cli_args *a, xf_option_target *t, const xf_option **which);

/* cli_option for the CSV reader options only (--delimiter, --gaps, ...). */
int cli_csv_option(cli_args *a, xf_csv_options *o);

/* Print the option table's help for a group ("CSV" or "Model"). */
void cli_print_options_help(FILE *fp, const char *group);

/* Print a JSON string literal (with quotes and escapes). */
void cli_json_string(FILE *fp, const char *s);

/* ------------------------------------------ modelling (cli_model.c) */

#define CLI_MAX_COV 16
/* The encoder of zero-shot forecasts (forecast without --head, backtest
 * --zero-shot) when --encoder is not given: tcn-v3, the v2 TCN recipe with
 * the seasonal difference as a third input, whose seasonal pretraining head
 * forecasts quantiles of up to 336 steps. */
#define CLI_ZEROSHOT_ENCODER "tcn-v3"

/* Options and state shared by fit, forecast and backtest. */
typedef struct cli_model {
    xf_csv_options csv;                    /* how the CSV is read */
    xf_head_options head;                  /* how a head is fitted */
    int horizon_set;                       /* --horizon given */
    int levels_set;                        /* --levels given */
    int domain_auto;                       /* --domain auto (the default of fit, backtest) */
    int domain_auto_given;                 /* --domain auto on the command line */
    char domain_why[200];                  /* why the automatic domain was chosen */
    const char *enc_spec[XF_MAX_ENCODERS]; /* --encoder values */
    size_t n_enc_spec;
    const char *cov[CLI_MAX_COV]; /* --covariate columns */
    char cov_buf[CLI_MAX_COV][128];
    size_t n_cov;
    char *targets;                    /* --target plus covariates (owned) */
    xf_dataset *ds;                   /* the data read */
    xf_panel *panel;                  /* its targets and covariates */
    xf_encoder *enc[XF_MAX_ENCODERS]; /* encoders loaded */
    size_t n_enc;
    int quiet;                  /* -q, --quiet */
    const xf_option *given[48]; /* table options given on the command line */
    size_t n_given;
} cli_model;

void cli_model_init(cli_model *m);
void cli_model_free(cli_model *m);
/* Handle a model or CSV option: 1 handled, 0 not one, -1 bad value. */
int cli_model_option(cli_args *a, cli_model *m);
/* Next argument for fit, forecast and backtest: 1 an option of the
 * command's own (a->opt), 0 at the end, 3 after printing --help, -1 on a
 * usage error (printed).  The positional DATA.csv goes to *data; model,
 * CSV and -q options are taken here. */
int cli_model_next(cli_args *a, cli_model *m, const char **data);
/* The value of --format: ALT or json (*json set); 0, or -1 (printed). */
int cli_parse_format(cli_args *a, const char *alt, int *json);
/* Read the CSV into m->ds and m->panel (notes on stderr unless quiet). */
int cli_model_read(const char *cmd, const char *path, cli_model *m, int quiet);
/* Take the CSV options a head's data spec records (xf_head_csv_options)
 * for those not given on the command line; a given one that conflicts
 * with the spec (see XF_OPT_HEAD_FIXED) is an error naming both.  A head
 * without a spec changes nothing.  CLI_OK, or an exit code (printed). */
int cli_model_apply_spec(const char *cmd, const xf_head *h, cli_model *m);
/* The head's covariates as the covariates to read, unless --covariate was
 * given (forecast --head, backtest --head). */
void cli_model_head_covariates(const xf_head *h, cli_model *m);
/* Is the table option o given on the command line? */
int cli_model_given(const cli_model *m, const xf_option *o);

/* fit and backtest without --domain: the domain inspect suggests (auto). */
void cli_model_default_domain(cli_model *m);

/* backtest --head: the head's covariates (unless --covariate is given),
 * its model options recorded in its file `mf` (those not given) and its
 * encoders by name (unless --encoder is given).  CLI_OK or an exit code. */
int cli_model_apply_head(const char *cmd, const xf_head *h, const xf_xfm *mf, cli_model *m);
/* Does the comma-separated list hold the item? */
int cli_list_has(const char *list, const char *item);
/* Load the encoders named by --encoder (default gru-base and tcn-base). */
int cli_model_load_encoders(const char *cmd, cli_model *m);
/* Load the one encoder of a zero-shot forecast: the first --encoder, else
 * CLI_ZEROSHOT_ENCODER. */
int cli_model_load_zeroshot_encoder(const char *cmd, cli_model *m);
/* Find an encoder by name or path; 1 found (path set), 0 not. */
int cli_find_encoder(const char *spec, char *path, size_t n);
int cli_load_encoder(const char *cmd, const char *spec, xf_encoder **out);
/* A command's own whole-number option in lo..hi (the option table's
 * wording for a bad one): 0 and *out, or -1 with the message printed. */
int cli_parse_count(const char *cmd, const char *opt, const char *v, long lo, long hi, long *out);
/* --shard I/N with 0 <= I < N <= max (0-based, as the library's shards):
 * 0, or -1 with the message printed. */
int cli_parse_shard(const char *cmd, const char *v, long max, int32_t *i, int32_t *n);
/* "ROW|TIME": a 0-based row number or an ISO time. */
int cli_parse_point(const char *cmd, const char *opt, const char *v, xf_time *t, int64_t *row);
/* Are all timestamps midnight (print dates only)? */
int cli_dates_only(const xf_panel *p);
/* A number as CSV/JSON text ("NA" when not finite). */
void cli_print_number(FILE *fp, double v);
/* A CSV field, quoted when needed. */
void cli_csv_field(FILE *fp, const char *s);
/* An interval level as it names columns and keys (lo80, "hi99.5"): the
 * shortest text that reads back as the level, so distinct levels differ. */
void cli_level_name(double level, char *buf, size_t n);
/* Write a forecast plot (history tail, forecast, intervals) as SVG. */
int cli_write_plot(const char *cmd, const char *path, const char *id, const xf_panel *p,
                   size_t series, size_t origin, int32_t horizon, const xf_time *t,
                   const double *mean, size_t n_levels, const double *levels, const double *lo,
                   const double *hi);

/* Forecast every series of a panel with a head (encoders attached) and
 * write CSV or JSON to `out` (atomically; NULL: stdout), with plots
 * (cmd_forecast.c).  CLI_OK, or CLI_ERROR when a series failed. */
int cli_forecast_output(const char *cmd, const xf_head *h, const xf_panel *panel, const char *data,
                        int32_t H, const char *out, int json, const char *plot, int quiet);

/* The report of a fitted head (cmd_fit.c). */
void cli_print_fit_report(FILE *fp, const xf_head *h, const char *data, const char *out, int json,
                          const char *domain_why);
/* Write `len` bytes to path with xf_file_write_atomic; CLI_OK, or
 * CLI_ERROR after printing the library's message. */
int cli_write_file_atomic(const char *cmd, const char *path, const char *buf, size_t len);
/* Refuse an output that is the same file (device and inode) as one of the
 * n_in inputs (NULL and "-" entries skipped), under any name: prints
 * "output 'OUT' is the input file 'IN'; choose another OPT" and returns
 * CLI_USAGE, before anything is written; else CLI_OK. */
int cli_check_output(const char *cmd, const char *opt, const char *out, const char *const *in,
                     size_t n_in);
/* The same with the inputs of a model command: DATA.csv, the head file
 * (may be NULL) and the encoder files that m's --encoder values (else the
 * default encoders) resolve to.  out NULL: CLI_OK. */
int cli_check_model_output(const char *cmd, const char *opt, const char *out, const char *data,
                           const char *head, const cli_model *m);

/* Progress of a long fit or backtest on a terminal: one line on stderr,
 * redrawn at most ten times a second ("xfcast fit: candidate 2/5: 1200 of
 * 3602 origins (33%)"), cleared at the end.  cli_progress_start returns 1
 * and sets the options' callback (o may be NULL) only when stderr is a
 * terminal and quiet is 0 (logs and pipes stay silent); cli_progress_draw
 * is that callback (user: the cli_progress). */
typedef struct cli_progress {
    const char *cmd;
    double last; /* monotonic seconds of the last redraw */
    int open;    /* a line is drawn and not cleared */
} cli_progress;
int cli_progress_start(cli_progress *p, const char *cmd, xf_head_options *o, int quiet);
void cli_progress_draw(const char *what, int64_t done, int64_t total, void *user);
void cli_progress_end(cli_progress *p);

/* The command table (main.c). */
extern const cli_command cli_commands[];
/* Each command's help text, in its own cmd_*.c (@CSV_OPTIONS@ and
 * @MODEL_OPTIONS@ stand for the option table's help of that group). */
extern const char cmd_inspect_usage[], cmd_info_usage[], cmd_pretrain_usage[], cmd_fit_usage[],
    cmd_forecast_usage[], cmd_backtest_usage[], cmd_retrain_usage[], cmd_store_usage[];
int cmd_inspect(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_pretrain(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_retrain(int argc, char **argv);
int cmd_store(int argc, char **argv);

#endif /* XF_CLI_H */
