/* cli.h - shared pieces of the xfcast command-line tool (uses only the
 * public API in <xfcast.h>).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_CLI_H
#define XF_CLI_H

#include <stdio.h>
#include "xfcast.h"

/* Exit codes, as documented in xfcast(1). */
enum { CLI_OK = 0, CLI_ERROR = 1, CLI_USAGE = 2 };

/* One subcommand. */
typedef struct cli_command {
    const char *name;                 /* as typed: "inspect" */
    int (*run)(int argc, char **argv);/* argv[0] is the command name */
    const char *summary;              /* one line for the command list */
    const char *usage;                /* full help text shown by `help CMD` */
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
    int argc;          /* number of arguments */
    char **argv;       /* the arguments (argv[0] = command name) */
    int i;             /* next argument to look at */
    const char *cmd;   /* command name, for messages */
    char *opt;         /* current option name, without its =value */
    const char *inline_val; /* the value after '=' or NULL */
    char optbuf[64];   /* storage for opt */
    int only_positional; /* after "--" */
} cli_args;

void cli_args_init(cli_args *a, const char *cmd, int argc, char **argv);
/* Next argument: returns 1 for an option (a->opt set), 2 for a positional
 * (*pos set), 3 for -h/--help, 0 at the end.  An option's value, taken with
 * cli_args_value, is never mistaken for --help. */
int cli_args_next(cli_args *a, const char **pos);
/* Print the full help of a command on stdout (main.c). */
void cli_print_command_help(const char *name);

/* The value of the current option; prints an error and returns NULL when
 * it is missing. */
const char *cli_args_value(cli_args *a);

/* Handle one of the CSV reader options (--delimiter, --decimal, --time-col,
 * --time-format, --target, --id-col, --na-values, --freq, --gaps,
 * --duplicates).  Returns 1 when handled, 0 when `opt` is not a CSV option,
 * -1 on a bad value (message printed). */
int cli_csv_option(cli_args *a, xf_csv_options *o);

/* Help text for the CSV options, shared by every command that reads CSV. */
extern const char cli_csv_options_help[];

/* Print a JSON string literal (with quotes and escapes). */
void cli_json_string(FILE *fp, const char *s);

/* The command table (main.c). */
extern const cli_command cli_commands[];
int cmd_inspect(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_pretrain(int argc, char **argv);

#endif /* XF_CLI_H */
