/* cmd_inspect.c - `xfcast inspect`: how xfcast reads a CSV file.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const char cmd_inspect_usage[] =
    "usage: xfcast inspect DATA.csv [DATA.csv ...] [CSV options] [--format text|json]\n"
    "\n"
    "Read each CSV file and print, per series: id, rows read, first and last\n"
    "timestamp (UTC), inferred frequency, missing values and gaps (timestamps\n"
    "absent from the regular grid: count, runs, longest run). Use it to check\n"
    "how xfcast understands a file before fitting or forecasting. DATA.csv may\n"
    "be '-' for standard input.\n"
    "\n"
    "Options:\n"
    "  --format text|json   output format (default: text)\n"
    "  -q, --quiet          do not print notes (such as 'rows were sorted')\n"
    "  -h, --help           show this help\n"
    "\n"
    "@CSV_OPTIONS@"
    "\n"
    "Exit status: 0 success, 1 unreadable or invalid data, 2 usage error.\n"
    "Example: xfcast inspect datasets/taylor-halfhourly.csv --format json\n";

static const char *role_name(xf_column_role r)
{
    switch (r) {
    case XF_COLUMN_TIME:
        return "time";
    case XF_COLUMN_ID:
        return "id";
    case XF_COLUMN_TARGET:
        return "target";
    default:
        return "ignored";
    }
}

static const char *timefmt_name(xf_timefmt f)
{
    switch (f) {
    case XF_TIMEFMT_EPOCH_S:
        return "epoch seconds";
    case XF_TIMEFMT_EPOCH_MS:
        return "epoch milliseconds";
    case XF_TIMEFMT_STRPTIME:
        return "strptime format";
    default:
        return "ISO-8601";
    }
}

static void delim_name(char d, char *buf, size_t n)
{
    if (d == '\t')
        snprintf(buf, n, "tab");
    else
        snprintf(buf, n, "'%c'", d);
}

/* Is the whole series at midnight, so that dates alone say it all? */
static int dates_only(const xf_dataset *ds, size_t i)
{
    size_t n = xf_dataset_series_length(ds, i), k;
    const xf_time *t = xf_dataset_series_times(ds, i);
    for (k = 0; k < n; k++)
        if (t[k] % XF_TIME_US_PER_DAY != 0)
            return 0;
    return 1;
}

static void series_span(const xf_dataset *ds, size_t i, char *a, char *b, size_t n)
{
    size_t len = xf_dataset_series_length(ds, i);
    const xf_time *t = xf_dataset_series_times(ds, i);
    int d = dates_only(ds, i);
    xf_time_format(t[0], d, a, n);
    xf_time_format(t[len - 1], d, b, n);
}

static xf_domain suggest(const xf_dataset *ds, size_t i, char *why, size_t n)
{
    const char *col = xf_dataset_series_column(ds, i);
    return xf_domain_suggest(xf_dataset_series_values(ds, i), xf_dataset_series_length(ds, i),
                             xf_dataset_series_freq(ds, i),
                             col != NULL ? col : xf_dataset_series_id(ds, i), why, n);
}

static void print_text(const char *path, const xf_dataset *ds)
{
    size_t i, ns = xf_dataset_n_series(ds), nc = xf_dataset_n_columns(ds);
    size_t wid = 2, tw = 10;
    char db[16];
    delim_name(xf_dataset_delimiter(ds), db, sizeof db);
    printf("file:        %s\n", path);
    printf("rows:        %lld\n", (long long)xf_dataset_n_rows(ds));
    printf("delimiter:   %s\n", db);
    printf("time column: %s (%s, %s)\n", xf_dataset_time_column(ds),
           timefmt_name(xf_dataset_time_format(ds)),
           xf_dataset_tz(ds) != NULL ? xf_dataset_tz(ds) : "UTC");
    printf("columns:    ");
    for (i = 0; i < nc; i++)
        printf(" %s[%s]", xf_dataset_column_name(ds, i), role_name(xf_dataset_column_role(ds, i)));
    printf("\nseries:      %zu\n\n", ns);
    for (i = 0; i < ns; i++) {
        size_t w = strlen(xf_dataset_series_id(ds, i));
        if (w > wid)
            wid = w;
    }
    for (i = 0; i < ns; i++) {
        char a[48], b[48];
        series_span(ds, i, a, b, sizeof a);
        if (strlen(a) > tw)
            tw = strlen(a);
        if (strlen(b) > tw)
            tw = strlen(b);
    }
    printf("%-*s %8s  %-*s  %-*s  %-6s %8s %8s %6s %7s  %s\n", (int)wid, "id", "rows", (int)tw,
           "start", (int)tw, "end", "freq", "missing", "gaps", "runs", "longest", "domain");
    for (i = 0; i < ns; i++) {
        const xf_series_stats *st = xf_dataset_series_stats(ds, i);
        char a[48], b[48], f[32];
        series_span(ds, i, a, b, sizeof a);
        xf_freq_format(xf_dataset_series_freq(ds, i), f, sizeof f);
        printf("%-*s %8lld  %-*s  %-*s  %-6s %8lld %8lld %6lld %7lld  %s\n", (int)wid,
               xf_dataset_series_id(ds, i), (long long)st->n_rows, (int)tw, a, (int)tw, b, f,
               (long long)st->n_missing, (long long)st->n_gaps, (long long)st->n_gap_runs,
               (long long)st->max_gap, xf_domain_name(suggest(ds, i, NULL, 0)));
    }
    printf("\nSuggested domains (use with --domain; --domain auto picks them):\n");
    for (i = 0; i < ns; i++) {
        char why[200];
        xf_domain d = suggest(ds, i, why, sizeof why);
        printf("  %-*s %-8s %s\n", (int)wid, xf_dataset_series_id(ds, i), xf_domain_name(d), why);
    }
}

static void print_json(const char *path, const xf_dataset *ds)
{
    size_t i, ns = xf_dataset_n_series(ds), nc = xf_dataset_n_columns(ds);
    char db[4] = {xf_dataset_delimiter(ds), 0, 0, 0};
    printf("{\"file\": ");
    cli_json_string(stdout, path);
    printf(", \"rows\": %lld, \"delimiter\": ", (long long)xf_dataset_n_rows(ds));
    cli_json_string(stdout, db);
    printf(", \"time_column\": ");
    cli_json_string(stdout, xf_dataset_time_column(ds));
    printf(", \"time_format\": ");
    cli_json_string(stdout, timefmt_name(xf_dataset_time_format(ds)));
    printf(",\n  \"columns\": [");
    for (i = 0; i < nc; i++) {
        printf("%s{\"name\": ", i ? ", " : "");
        cli_json_string(stdout, xf_dataset_column_name(ds, i));
        printf(", \"role\": \"%s\"}", role_name(xf_dataset_column_role(ds, i)));
    }
    printf("],\n  \"series\": [");
    for (i = 0; i < ns; i++) {
        const xf_series_stats *st = xf_dataset_series_stats(ds, i);
        char a[48], b[48], f[32], why[200];
        series_span(ds, i, a, b, sizeof a);
        xf_freq_format(xf_dataset_series_freq(ds, i), f, sizeof f);
        printf("%s\n    {\"id\": ", i ? "," : "");
        cli_json_string(stdout, xf_dataset_series_id(ds, i));
        printf(", \"rows\": %lld, \"length\": %zu, \"start\": \"%s\", \"end\": \"%s\", "
               "\"freq\": \"%s\", \"missing\": %lld, \"gaps\": %lld, \"gap_runs\": %lld, "
               "\"longest_gap\": %lld, \"duplicates_merged\": %lld, \"interpolated\": %lld, "
               "\"domain\": \"%s\", \"domain_reason\": ",
               (long long)st->n_rows, xf_dataset_series_length(ds, i), a, b, f,
               (long long)st->n_missing, (long long)st->n_gaps, (long long)st->n_gap_runs,
               (long long)st->max_gap, (long long)st->n_duplicates, (long long)st->n_interpolated,
               xf_domain_name(suggest(ds, i, why, sizeof why)));
        cli_json_string(stdout, why);
        putchar('}');
    }
    printf("\n  ],\n  \"notes\": [");
    for (i = 0; i < xf_dataset_n_notes(ds); i++) {
        printf("%s", i ? ", " : "");
        cli_json_string(stdout, xf_dataset_note(ds, i));
    }
    printf("]}");
}

int cmd_inspect(int argc, char **argv)
{
    cli_args a;
    xf_csv_options o;
    const char *pos;
    const char **files;
    size_t n_files = 0, k, n_printed = 0;
    int json = 0, quiet = 0, kind, rc = CLI_OK;

    files = calloc((size_t)argc, sizeof *files);
    if (files == NULL) {
        cli_error("inspect", "out of memory");
        return CLI_ERROR;
    }
    xf_csv_options_init(&o);
    cli_args_init(&a, "inspect", argc, argv);
    while ((kind = cli_args_next(&a, &pos)) != 0) {
        if (kind == 3) {
            cli_print_command_help("inspect");
            free(files);
            return CLI_OK;
        }
        int h;
        if (kind == 2) {
            files[n_files++] = pos;
            continue;
        }
        h = cli_csv_option(&a, &o);
        if (h < 0)
            goto usage;
        if (h > 0)
            continue;
        if (strcmp(a.opt, "--format") == 0) {
            const char *v = cli_args_value(&a);
            if (v == NULL)
                goto usage;
            if (strcmp(v, "json") == 0)
                json = 1;
            else if (strcmp(v, "text") == 0)
                json = 0;
            else {
                cli_error("inspect", "--format takes text or json, not '%s'", v);
                goto usage;
            }
        } else if (strcmp(a.opt, "-q") == 0 || strcmp(a.opt, "--quiet") == 0) {
            quiet = 1;
        } else {
            cli_error("inspect", "unknown option '%s'; see 'xfcast help inspect'", a.opt);
            goto usage;
        }
    }
    if (n_files == 0) {
        cli_error("inspect", "no input file; usage: xfcast inspect DATA.csv [options]");
        goto usage;
    }
    {
        /* check the options once, not once per file */
        xf_csv_reader *probe = NULL;
        xf_error err;
        int st = xf_csv_reader_new("options", &o, &probe, &err);
        xf_csv_reader_free(probe);
        if (st != XF_OK) {
            cli_error("inspect", "%s", err.message);
            free(files);
            return cli_exit_code(st);
        }
    }
    if (json)
        printf("{\"files\": [\n");
    for (k = 0; k < n_files; k++) {
        xf_dataset *ds = NULL;
        xf_error err;
        size_t i;
        int st = xf_dataset_read_csv(files[k], &o, &ds, &err);
        if (st != XF_OK) {
            cli_error("inspect", "%s", err.message);
            if (cli_exit_code(st) > rc)
                rc = cli_exit_code(st);
            continue;
        }
        if (!quiet)
            for (i = 0; i < xf_dataset_n_notes(ds); i++)
                cli_error("inspect", "note: %s", xf_dataset_note(ds, i));
        if (json) {
            if (n_printed > 0)
                printf(",\n");
            print_json(files[k], ds);
        } else {
            if (n_printed > 0)
                printf("\n");
            print_text(files[k], ds);
        }
        n_printed++;
        xf_dataset_free(ds);
    }
    if (json)
        printf("\n]}\n");
    free(files);
    return rc;
usage:
    free(files);
    return CLI_USAGE;
}
