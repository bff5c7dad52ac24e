/* cli_common.c - argument scanning, CSV options and output helpers shared by
 * the subcommands.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "xfcast%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_exit_code(int status)
{
    if (status == XF_OK)
        return CLI_OK;
    return status == XF_EINVAL ? CLI_USAGE : CLI_ERROR;
}

void cli_args_init(cli_args *a, const char *cmd, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->argc = argc;
    a->argv = argv;
    a->i = 1;
    a->cmd = cmd;
}

int cli_args_next(cli_args *a, const char **pos)
{
    char *s;
    const char *eq;
    size_t n;
    if (a->i >= a->argc)
        return 0;
    s = a->argv[a->i++];
    if (a->only_positional || s[0] != '-' || s[1] == '\0') {
        *pos = s;
        return 2;
    }
    if (strcmp(s, "--") == 0) {
        a->only_positional = 1;
        return cli_args_next(a, pos);
    }
    if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0)
        return 3;
    eq = strchr(s, '=');
    n = eq ? (size_t)(eq - s) : strlen(s);
    if (n >= sizeof a->optbuf)
        n = sizeof a->optbuf - 1;
    memcpy(a->optbuf, s, n);
    a->optbuf[n] = '\0';
    a->opt = a->optbuf;
    a->inline_val = eq ? eq + 1 : NULL;
    return 1;
}

const char *cli_args_value(cli_args *a)
{
    if (a->inline_val != NULL)
        return a->inline_val;
    if (a->i >= a->argc) {
        cli_error(a->cmd, "option '%s' needs a value", a->opt);
        return NULL;
    }
    return a->argv[a->i++];
}

const char cli_csv_options_help[] =
    "CSV options:\n"
    "  --delimiter C        field separator: ',' ';' tab (\\t or 'tab') '|' or any\n"
    "                       single character (default: detected from the header)\n"
    "  --decimal C          decimal separator, '.' (default) or ',' (European files)\n"
    "  --time-col NAME|N    time column (default: a column named date, time,\n"
    "                       timestamp, datetime, date_time, dt, ds, period, month\n"
    "                       or year, else the first column holding ISO-8601\n"
    "                       dates like 2024-01-31; give it for epoch columns)\n"
    "  --time-format F      auto (default), iso, epoch (seconds), epoch_ms, or a\n"
    "                       strptime(3) format such as '%d/%m/%Y %H:%M'\n"
    "  --target COL[,COL..] value columns to read (default: every column other\n"
    "                       than time and id whose values in the first 1000 rows\n"
    "                       are mostly numbers)\n"
    "  --id-col COL         long files: column holding the series id; one series\n"
    "                       per distinct id (default: wide file, one series per\n"
    "                       target column)\n"
    "  --na-values LIST     comma-separated missing-value tokens, case-insensitive\n"
    "                       (default: ',NA,N/A,NaN,null,None,#N/A'; the leading\n"
    "                       empty item means empty fields)\n"
    "  --freq F             sampling frequency, e.g. 15s 30min 1h D W B M Q Y\n"
    "                       (default: inferred per series; B = business days)\n"
    "  --gaps P             timestamps missing from the regular grid: keep\n"
    "                       (default: kept as missing values), interpolate\n"
    "                       (linear along the grid, also fills interior missing\n"
    "                       values) or error\n"
    "  --duplicates P       rows with the same timestamp: error (default), last\n"
    "                       or mean\n";

int cli_csv_option(cli_args *a, xf_csv_options *o)
{
    const char *v;
    const char *opt = a->opt;
    static const char *const takes_value[] = {"--delimiter", "--decimal", "--time-col",
                                              "--time-format", "--target", "--id-col",
                                              "--na-values", "--freq", "--gaps",
                                              "--duplicates"};
    size_t k;
    for (k = 0; k < sizeof takes_value / sizeof takes_value[0]; k++)
        if (strcmp(opt, takes_value[k]) == 0)
            break;
    if (k == sizeof takes_value / sizeof takes_value[0])
        return 0;
    if ((v = cli_args_value(a)) == NULL)
        return -1;
    if (strcmp(opt, "--delimiter") == 0) {
        if (strcmp(v, "\\t") == 0 || strcmp(v, "tab") == 0 || strcmp(v, "TAB") == 0)
            o->delimiter = '\t';
        else if (strlen(v) == 1 && v[0] != '"' && v[0] != '\n' && v[0] != '\r')
            o->delimiter = v[0];
        else {
            cli_error(a->cmd, "--delimiter takes one character (or 'tab'), not '%s'", v);
            return -1;
        }
    } else if (strcmp(opt, "--decimal") == 0) {
        if (strcmp(v, ".") != 0 && strcmp(v, ",") != 0) {
            cli_error(a->cmd, "--decimal takes '.' or ',', not '%s'", v);
            return -1;
        }
        o->decimal = v[0];
    } else if (strcmp(opt, "--time-col") == 0) {
        o->time_col = v;
    } else if (strcmp(opt, "--time-format") == 0) {
        o->time_format = v;
    } else if (strcmp(opt, "--target") == 0) {
        o->targets = v;
    } else if (strcmp(opt, "--id-col") == 0) {
        o->id_col = v;
    } else if (strcmp(opt, "--na-values") == 0) {
        o->na_values = v;
    } else if (strcmp(opt, "--freq") == 0) {
        xf_freq f;
        xf_error e;
        if (xf_freq_parse(v, &f, &e) != XF_OK) {
            cli_error(a->cmd, "%s", e.message);
            return -1;
        }
        o->freq = v;
    } else if (strcmp(opt, "--gaps") == 0) {
        if (strcmp(v, "keep") == 0)
            o->gaps = XF_GAPS_KEEP;
        else if (strcmp(v, "error") == 0)
            o->gaps = XF_GAPS_ERROR;
        else if (strcmp(v, "interpolate") == 0)
            o->gaps = XF_GAPS_INTERPOLATE;
        else {
            cli_error(a->cmd, "--gaps takes keep, interpolate or error, not '%s'", v);
            return -1;
        }
    } else {
        if (strcmp(v, "error") == 0)
            o->duplicates = XF_DUPS_ERROR;
        else if (strcmp(v, "last") == 0)
            o->duplicates = XF_DUPS_LAST;
        else if (strcmp(v, "mean") == 0)
            o->duplicates = XF_DUPS_MEAN;
        else {
            cli_error(a->cmd, "--duplicates takes error, last or mean, not '%s'", v);
            return -1;
        }
    }
    return 1;
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n, k;
    unsigned cp;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07u;
    else
        return 0;
    for (k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3Fu);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

void cli_json_string(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', fp);
    while (p != NULL && *p) {
        unsigned char c = *p;
        size_t n;
        if (c == '"' || c == '\\') {
            fprintf(fp, "\\%c", c);
            p++;
        } else if (c < 0x20) {
            if (c == '\n')
                fputs("\\n", fp);
            else if (c == '\t')
                fputs("\\t", fp);
            else if (c == '\r')
                fputs("\\r", fp);
            else
                fprintf(fp, "\\u%04x", c);
            p++;
        } else if ((n = utf8_len(p)) > 0) {
            fwrite(p, 1, n, fp);
            p += n;
        } else {
            fputs("\\ufffd", fp); /* not UTF-8: keep the JSON valid */
            p++;
        }
    }
    fputc('"', fp);
}
