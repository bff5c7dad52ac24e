/* main.c - the xfcast command: dispatch table, top-level help and version
 * (each command's help text is in its cmd_*.c).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "cli/cli_mpi.h"

const cli_command cli_commands[] = {
    {"inspect", cmd_inspect, "summarise the series in CSV files (rows, span, frequency, gaps)",
     cmd_inspect_usage},
    {"fit", cmd_fit, "fit a ridge head on a CSV file's series and save it", cmd_fit_usage},
    {"forecast", cmd_forecast, "forecast every series of a CSV file (with a head, or zero-shot)",
     cmd_forecast_usage},
    {"backtest", cmd_backtest, "fit before a test period and score forecasts from every origin",
     cmd_backtest_usage},
    {"retrain", cmd_retrain, "retrain the sources of an INI file into a model store (cron)",
     cmd_retrain_usage},
    {"store", cmd_store, "list, show, roll back or forecast from a model store", cmd_store_usage},
    {"pretrain", cmd_pretrain, "pretrain a GRU or TCN encoder on generated generic series",
     cmd_pretrain_usage},
    {"info", cmd_info, "check a model file (.xfm) and show its metadata and tensors",
     cmd_info_usage},
    {NULL, NULL, NULL, NULL},
};

static void print_usage(FILE *fp)
{
    const cli_command *c;
    fprintf(fp, "usage: xfcast [--version] [--help] COMMAND [ARGS]\n\n"
                "Time-series forecasting by transfer learning: frozen pretrained encoders\n"
                "and per-domain ridge heads, from CSV files.\n\nCommands:\n");
    for (c = cli_commands; c->name != NULL; c++)
        fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp, "\nRun 'xfcast help COMMAND' for the options of a command, 'xfcast help limits'\n"
                "for the limits on options and inputs.\n"
                "Exit status: 0 success, 1 data or runtime error, 2 usage error, 75 (retrain)\n"
                "a source's lock is held by another run.\n");
}

static const cli_command *find_command(const char *name)
{
    const cli_command *c;
    for (c = cli_commands; c->name != NULL; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

/* Print a command's help, with the option table's CSV and model options
 * where it says @CSV_OPTIONS@ and @MODEL_OPTIONS@. */
static void print_command_help(const cli_command *c);

void cli_print_command_help(const char *name)
{
    const cli_command *c = find_command(name);
    if (c != NULL)
        print_command_help(c);
}

static void print_command_help(const cli_command *c)
{
    static const char *const marks[] = {"@CSV_OPTIONS@", "@MODEL_OPTIONS@"};
    const char *p = c->usage;
    for (;;) {
        const char *at = NULL;
        size_t which = 0, k;
        for (k = 0; k < 2; k++) {
            const char *q = strstr(p, marks[k]);
            if (q != NULL && (at == NULL || q < at)) {
                at = q;
                which = k;
            }
        }
        if (at == NULL) {
            fputs(p, stdout);
            return;
        }
        fwrite(p, 1, (size_t)(at - p), stdout);
        cli_print_options_help(stdout, which == 0 ? "CSV" : "Model");
        p = at + strlen(marks[which]);
    }
}

static int finish(int rc)
{
    /* catch write errors on stdout (full disk, closed pipe) */
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (errno != EPIPE)
            cli_error(NULL, "error writing output: %s", strerror(errno));
        return CLI_ERROR;
    }
    return rc;
}

int main(int argc, char **argv)
{
    const cli_command *c;
    gsl_set_error_handler_off();
    /* xfcast threads itself; single-threaded BLAS keeps results identical
     * whatever the thread count */
    xf_blas_set_threads(1);
    if (argc < 2) {
        print_usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(stdout);
        return finish(CLI_OK);
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        char deps[1024];
        xf_dependency_versions(deps, sizeof deps);
        printf("xfcast %s\n%s", xf_version(), deps);
        if (cli_mpi_library() != NULL) /* a build configured --with-mpi */
            printf("MPI %s (data-parallel xfcast pretrain)\n", cli_mpi_library());
        return finish(CLI_OK);
    }
    if (strcmp(argv[1], "help") == 0) {
        if (argc < 3 || strcmp(argv[2], "help") == 0) {
            print_usage(stdout);
            return finish(CLI_OK);
        }
        if (strcmp(argv[2], "limits") == 0) {
            char buf[8192];
            size_t n = xf_limits_help(buf, sizeof buf);
            fwrite(buf, 1, n < sizeof buf ? n : sizeof buf - 1, stdout);
            return finish(CLI_OK);
        }
        if ((c = find_command(argv[2])) == NULL) {
            cli_error(NULL, "unrecognized command '%s'; see 'xfcast --help'", argv[2]);
            return CLI_USAGE;
        }
        print_command_help(c);
        return finish(CLI_OK);
    }
    if ((c = find_command(argv[1])) == NULL) {
        cli_error(NULL, "unrecognized command '%s'; see 'xfcast --help'", argv[1]);
        return CLI_USAGE;
    }
    return finish(c->run(argc - 1, argv + 1));
}
