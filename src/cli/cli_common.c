/* cli_common.c - argument scanning, CSV options and output helpers shared by
 * the subcommands.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* The value of the current option, known to be one (see cli_args_value). */
static const char *option_value(cli_args *a)
{
    if (a->inline_val != NULL)
        return a->inline_val;
    if (a->i >= a->argc) {
        cli_error(a->cmd, "option '%s' needs a value", a->opt);
        return NULL;
    }
    return a->argv[a->i++];
}

const char *cli_args_value(cli_args *a)
{
    if (a->own != NULL) {
        size_t k;
        for (k = 0; a->own[k] != NULL; k++)
            if (strcmp(a->opt, a->own[k]) == 0)
                return option_value(a);
        cli_error(a->cmd, "unknown option '%s'; see 'xfcast help %s'", a->opt, a->cmd);
        return NULL;
    }
    return option_value(a);
}

void cli_print_options_help(FILE *fp, const char *group)
{
    char buf[8192];
    size_t n = xf_options_help(group, buf, sizeof buf);
    fwrite(buf, 1, n < sizeof buf ? n : sizeof buf - 1, fp);
}

int cli_option(cli_args *a, xf_option_target *t, const xf_option **which)
{
    const xf_option *o;
    const char *v;
    xf_error e;
    int off;
    *which = NULL;
    /* an option of a structure the caller lacks is not one of its options
     * (source lists go with the model options) */
    if ((o = xf_option_find_cli(a->opt, &off)) == NULL ||
        (t->csv == NULL && o->where == XF_OPT_IN_CSV) ||
        (t->head == NULL && o->where != XF_OPT_IN_CSV))
        return 0;
    *which = o;
    if (off)
        v = o->off_text != NULL ? o->off_text : "off";
    else if (o->type == XF_OPT_FLAG)
        v = "on";
    else if ((v = option_value(a)) == NULL)
        return -1;
    a->value = v;
    if (o->where == XF_OPT_IN_SOURCE && t->source == NULL)
        return 1; /* a list the caller collects itself (a->value) */
    if (xf_option_set(o, a->opt, v, t, &e) != XF_OK) {
        cli_error(a->cmd, "%s", e.message);
        return -1;
    }
    return 1;
}

int cli_csv_option(cli_args *a, xf_csv_options *o)
{
    xf_option_target t;
    const xf_option *which;
    memset(&t, 0, sizeof t);
    t.csv = o;
    return cli_option(a, &t, &which);
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
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
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

/* ------------------------------------------------------------ progress */

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress_draw(const char *what, int64_t done, int64_t total, void *user)
{
    cli_progress *p = user;
    double now = mono_now();
    if (done < total && now - p->last < 0.1)
        return;
    p->last = now;
    if (total > 0)
        fprintf(stderr, "\rxfcast %s: %s: %lld of %lld (%d%%)\033[K", p->cmd, what, (long long)done,
                (long long)total, (int)(100.0 * (double)done / (double)total));
    else
        fprintf(stderr, "\rxfcast %s: %s: %lld\033[K", p->cmd, what, (long long)done);
    fflush(stderr);
    p->open = 1;
}

int cli_progress_start(cli_progress *p, const char *cmd, xf_head_options *o, int quiet)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    if (quiet || !isatty(2))
        return 0;
    if (o != NULL) {
        o->progress = cli_progress_draw;
        o->progress_user = p;
    }
    return 1;
}

void cli_progress_end(cli_progress *p)
{
    if (p->open) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->open = 0;
    }
}
