/* cli_model.c - what fit, forecast and backtest share: the modelling
 * options, reading the data into a panel, finding and loading encoders,
 * and writing forecasts (CSV, JSON, SVG).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef XF_MODELDIR
#define XF_MODELDIR "/usr/local/share/xfcast/models"
#endif

void cli_model_init(cli_model *m)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    memset(m, 0, sizeof *m);
    xf_csv_options_init(&m->csv);
    xf_head_options_init(&m->head);
    m->head.n_threads = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int32_t)ncpu;
}

void cli_model_free(cli_model *m)
{
    size_t i;
    for (i = 0; i < m->n_enc; i++)
        xf_encoder_free(m->enc[i]);
    m->n_enc = 0;
    xf_panel_free(m->panel);
    xf_dataset_free(m->ds);
    free(m->targets);
    m->panel = NULL;
    m->ds = NULL;
    m->targets = NULL;
}

int cli_parse_shard(const char *cmd, const char *v, long max, int32_t *i, int32_t *n)
{
    char *end;
    long a = strtol(v, &end, 10), b = 0;
    int ok = end != v && *end == '/';
    if (ok) {
        b = strtol(end + 1, &end, 10);
        ok = *end == '\0' && b >= 1 && b <= max && a >= 0 && a < b;
    }
    if (!ok) {
        cli_error(cmd, "--shard takes I/N with 0 <= I < N <= %ld, not '%s'", max, v);
        return -1;
    }
    *i = (int32_t)a;
    *n = (int32_t)b;
    return 0;
}

int cli_parse_count(const char *cmd, const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    long x;
    errno = 0;
    x = strtol(v, &end, 10);
    if (end == v || *end != '\0' || errno != 0 || x < lo || x > hi) {
        cli_error(cmd, "%s takes a whole number in %ld..%ld, not '%s'", opt, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

int cli_parse_point(const char *cmd, const char *opt, const char *v, xf_time *t, int64_t *row)
{
    size_t i, n = strlen(v);
    int digits = n > 0;
    for (i = 0; i < n; i++)
        if (!isdigit((unsigned char)v[i]))
            digits = 0;
    if (digits && n <= 12) {
        *row = strtoll(v, NULL, 10);
        *t = XF_TIME_NONE;
        return 0;
    }
    if (xf_time_parse_iso(v, n, t) == XF_OK) {
        *row = -1;
        return 0;
    }
    cli_error(cmd,
              "%s takes a 0-based row number or an ISO-8601 time such as "
              "2016-07-01T00:00:00, not '%s'",
              opt, v);
    return -1;
}

int cli_model_option(cli_args *a, cli_model *m)
{
    xf_option_target t;
    const xf_option *o;
    const char *v;
    int h;
    memset(&t, 0, sizeof t);
    t.head = &m->head;
    t.csv = &m->csv;
    if (strcmp(a->opt, "--domain") == 0 && a->inline_val != NULL &&
        strcmp(a->inline_val, "auto") == 0) {
        m->domain_auto = m->domain_auto_given = 1;
        return 1;
    }
    if (strcmp(a->opt, "--domain") == 0 && a->inline_val == NULL && a->i < a->argc &&
        strcmp(a->argv[a->i], "auto") == 0) {
        a->i++;
        m->domain_auto = m->domain_auto_given = 1;
        return 1;
    }
    if ((h = cli_option(a, &t, &o)) <= 0)
        return h;
    if (m->n_given < sizeof m->given / sizeof *m->given)
        m->given[m->n_given++] = o;
    if (o->where != XF_OPT_IN_SOURCE) {
        if (o->where == XF_OPT_IN_HEAD && o->offset == offsetof(xf_head_options, horizon))
            m->horizon_set = 1;
        if (o->where == XF_OPT_IN_HEAD && o->offset == offsetof(xf_head_options, levels))
            m->levels_set = 1;
        return 1;
    }
    /* the lists a source keeps as one string: here one item per use */
    v = a->value;
    if (o->offset == offsetof(xf_source, encoders)) {
        if (m->n_enc_spec >= XF_MAX_ENCODERS) {
            cli_error(a->cmd, "at most %d --encoder options", XF_MAX_ENCODERS);
            return -1;
        }
        m->enc_spec[m->n_enc_spec++] = v;
    } else if (o->offset == offsetof(xf_source, covariates)) {
        const char *p = v;
        while (*p != '\0') {
            size_t len = strcspn(p, ",");
            if (len == 0 || len >= sizeof m->cov_buf[0]) {
                cli_error(a->cmd, "--covariate: bad column name in '%s'", v);
                return -1;
            }
            if (m->n_cov >= CLI_MAX_COV) {
                cli_error(a->cmd, "at most %d covariates", CLI_MAX_COV);
                return -1;
            }
            memcpy(m->cov_buf[m->n_cov], p, len);
            m->cov_buf[m->n_cov][len] = '\0';
            m->cov[m->n_cov] = m->cov_buf[m->n_cov];
            m->n_cov++;
            p += len;
            if (*p == ',')
                p++;
        }
    } else {
        cli_error(a->cmd, "%s is not an option of this command", a->opt);
        return -1;
    }
    return 1;
}

int cli_parse_format(cli_args *a, const char *alt, int *json)
{
    const char *v = cli_args_value(a);
    if (v == NULL)
        return -1;
    if (strcmp(v, "json") == 0 || strcmp(v, alt) == 0) {
        *json = strcmp(v, "json") == 0;
        return 0;
    }
    cli_error(a->cmd, "--format takes %s or json, not '%s'", alt, v);
    return -1;
}

int cli_model_next(cli_args *a, cli_model *m, const char **data)
{
    const char *pos;
    int kind, hd;
    while ((kind = cli_args_next(a, &pos)) != 0) {
        if (kind == 3) {
            cli_print_command_help(a->cmd);
            return 3;
        }
        if (kind == 2) {
            if (*data != NULL) {
                cli_error(a->cmd, "one data file at a time ('%s' and '%s')", *data, pos);
                return -1;
            }
            *data = pos;
            continue;
        }
        if (strcmp(a->opt, "-q") == 0 || strcmp(a->opt, "--quiet") == 0) {
            m->quiet = 1;
            continue;
        }
        if ((hd = cli_model_option(a, m)) < 0)
            return -1;
        if (hd == 0)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ data */

int cli_model_read(const char *cmd, const char *path, cli_model *m, int quiet)
{
    xf_error err;
    size_t i;
    int rc;
    /* covariates must be read as numeric columns too */
    if (m->csv.targets != NULL && m->n_cov > 0) {
        size_t len = strlen(m->csv.targets) + 1;
        for (i = 0; i < m->n_cov; i++)
            len += strlen(m->cov[i]) + 1;
        if ((m->targets = malloc(len)) == NULL) {
            cli_error(cmd, "out of memory");
            return CLI_ERROR;
        }
        strcpy(m->targets, m->csv.targets);
        for (i = 0; i < m->n_cov; i++) {
            if (cli_list_has(m->csv.targets, m->cov[i]))
                continue; /* a head's spec lists them already */
            strcat(m->targets, ",");
            strcat(m->targets, m->cov[i]);
        }
        m->csv.targets = m->targets;
    }
    if ((rc = xf_dataset_read_csv(path, &m->csv, &m->ds, &err)) != XF_OK) {
        cli_error(cmd, "%s", err.message);
        return cli_exit_code(rc);
    }
    if (!quiet)
        for (i = 0; i < xf_dataset_n_notes(m->ds); i++)
            fprintf(stderr, "xfcast %s: note: %s\n", cmd, xf_dataset_note(m->ds, i));
    if ((rc = xf_panel_from_dataset(m->ds, (const char *const *)m->cov, m->n_cov, &m->panel,
                                    &err)) != XF_OK) {
        cli_error(cmd, "%s: %s", path, err.message);
        return cli_exit_code(rc);
    }
    if (!quiet && m->n_cov == 0) {
        /* energy: offer temperature-like columns as covariates */
        xf_domain d = m->head.domain;
        if (m->domain_auto)
            d = xf_domain_suggest(xf_panel_series_values(m->panel, 0),
                                  xf_panel_series_length(m->panel, 0),
                                  xf_panel_series_freq(m->panel, 0),
                                  xf_panel_series_id(m->panel, 0), NULL, 0);
        for (i = 0; d == XF_DOMAIN_ENERGY && i < xf_dataset_n_columns(m->ds); i++) {
            const char *c = xf_dataset_column_name(m->ds, i);
            char low[64];
            size_t k;
            for (k = 0; c[k] != '\0' && k + 1 < sizeof low; k++)
                low[k] = (char)tolower((unsigned char)c[k]);
            low[k] = '\0';
            if (strstr(low, "temp") != NULL || strstr(low, "weather") != NULL ||
                strstr(low, "hdd") != NULL || strstr(low, "cdd") != NULL)
                fprintf(stderr,
                        "xfcast %s: note: column '%s' looks like a covariate for energy "
                        "data: add --covariate %s if its values are known for the forecast "
                        "period (rows after the target's last value)\n",
                        cmd, c, c);
        }
    }
    if (m->domain_auto) {
        size_t n = xf_panel_series_length(m->panel, 0);
        m->head.domain =
            xf_domain_suggest(xf_panel_series_values(m->panel, 0), n,
                              xf_panel_series_freq(m->panel, 0), xf_panel_series_id(m->panel, 0),
                              m->domain_why, sizeof m->domain_why);
        if (!quiet && m->domain_auto_given) /* the default says it in the report */
            fprintf(stderr, "xfcast %s: domain %s (%s; --domain to choose another)\n", cmd,
                    xf_domain_name(m->head.domain), m->domain_why);
    }
    return CLI_OK;
}

int cli_list_has(const char *list, const char *item)
{
    size_t len = strlen(item);
    while (list != NULL && *list != '\0') {
        size_t l = strcspn(list, ",");
        if (l == len && strncmp(list, item, len) == 0)
            return 1;
        list += l + (list[l] == ',');
    }
    return 0;
}

void cli_model_default_domain(cli_model *m)
{
    size_t i;
    for (i = 0; i < m->n_given; i++)
        if (strcmp(m->given[i]->name, "domain") == 0)
            return;
    m->domain_auto = 1;
}

int cli_model_given(const cli_model *m, const xf_option *o)
{
    size_t i;
    for (i = 0; i < m->n_given; i++)
        if (m->given[i] == o)
            return 1;
    return 0;
}

static int is_covariate(const xf_head *h, const char *col)
{
    size_t j;
    for (j = 0; j < xf_head_n_covariates(h); j++)
        if (strcmp(xf_head_covariate_name(h, j), col) == 0)
            return 1;
    return 0;
}

/* --target COLS with a head: every column must be one the head models (or
 * one of its covariates, which fit reads as value columns too). */
static int check_targets(const char *cmd, const xf_head *h, const char *spec_targets,
                         const char *cli)
{
    const char *cols = NULL, *p = cli;
    char item[256];
    if (xf_xfm_get_str(xf_head_meta(h), "data.columns", &cols, NULL) != XF_OK || cols[0] == '\0')
        cols = spec_targets;
    if (cols == NULL || cols[0] == '\0')
        return CLI_OK;
    while (*p != '\0') {
        size_t l = strcspn(p, ",");
        snprintf(item, sizeof item, "%.*s", (int)l, p);
        p += l + (p[l] == ',');
        if (item[0] == '\0' || cli_list_has(cols, item) || is_covariate(h, item))
            continue;
        cli_error(cmd,
                  "the head models '%s'; --target %s names '%s', which it was not fitted "
                  "on: leave --target out (the head reads its own columns) or fit a head on "
                  "'%s'",
                  cols, cli, item, item);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cli_model_apply_spec(const char *cmd, const xf_head *h, cli_model *m)
{
    xf_csv_options spec;
    xf_option_target ts, tc;
    xf_error err;
    size_t n, i;
    const xf_option *tab = xf_options(&n);
    int rc;
    xf_csv_options_init(&spec);
    rc = xf_head_csv_options(h, &spec, &err);
    if (rc == XF_ENOTFOUND)
        return CLI_OK; /* an older head: the command line says it all */
    if (rc != XF_OK) {
        cli_error(cmd, "%s", err.message);
        return CLI_ERROR;
    }
    memset(&ts, 0, sizeof ts);
    memset(&tc, 0, sizeof tc);
    ts.csv = &spec;
    tc.csv = &m->csv;
    for (i = 0; i < n; i++) {
        const xf_option *o = &tab[i];
        char sv[512], cv[512];
        if (o->where != XF_OPT_IN_CSV || o->head_key == NULL)
            continue;
        if (!cli_model_given(m, o)) {
            /* the head's way of reading its data */
            memcpy((char *)&m->csv + o->offset, (const char *)&spec + o->offset, o->size);
            continue;
        }
        if (!(o->flags & XF_OPT_HEAD_FIXED))
            continue; /* how this file's bytes are read: the command line wins */
        if (o->offset == offsetof(xf_csv_options, targets)) {
            if ((rc = check_targets(cmd, h, spec.targets, m->csv.targets)) != CLI_OK)
                return rc;
            continue;
        }
        xf_option_format(o, &ts, sv, sizeof sv);
        xf_option_format(o, &tc, cv, sizeof cv);
        /* an unset value fixes nothing; a head fitted on a wide file
         * records --id-col none, and is not one fitted on a long file */
        if (strcmp(sv, cv) == 0 || sv[0] == '\0')
            continue;
        if (o->offset == offsetof(xf_csv_options, id_col) && strcmp(sv, "none") == 0)
            cli_error(cmd,
                      "the head was fitted on a wide file (no id column); --%s %s would "
                      "read a long one: leave --%s out or fit a head on this file",
                      o->name, cv, o->name);
        else
            cli_error(cmd,
                      "the head was fitted with --%s %s; --%s %s conflicts with it: leave "
                      "--%s out (the head's data spec is used) or fit a head on this data",
                      o->name, sv, o->name, cv, o->name);
        return CLI_USAGE;
    }
    return CLI_OK;
}

void cli_model_head_covariates(const xf_head *h, cli_model *m)
{
    size_t j;
    if (m->n_cov != 0)
        return;
    for (j = 0; j < xf_head_n_covariates(h) && j < CLI_MAX_COV; j++) {
        snprintf(m->cov_buf[j], sizeof m->cov_buf[j], "%s", xf_head_covariate_name(h, j));
        m->cov[j] = m->cov_buf[j];
        m->n_cov++;
    }
}

int cli_model_apply_head(const char *cmd, const xf_head *h, const xf_xfm *mf, cli_model *m)
{
    xf_option_target t;
    xf_error err;
    size_t n, i, j;
    const xf_option *tab = xf_options(&n);
    cli_model_head_covariates(h, m);
    memset(&t, 0, sizeof t);
    t.head = &m->head;
    for (i = 0; i < n; i++) {
        const xf_option *o = &tab[i];
        char v[512];
        if (o->where != XF_OPT_IN_HEAD || o->head_key == NULL || cli_model_given(m, o) ||
            xf_option_head_text(o, mf, v, sizeof v, NULL) != XF_OK)
            continue;
        if (xf_option_set(o, o->name, v, &t, &err) != XF_OK) {
            cli_error(cmd, "the head's %s: %s", o->name, err.message);
            return CLI_ERROR;
        }
        if (o->offset == offsetof(xf_head_options, horizon))
            m->horizon_set = 1;
    }
    if (m->n_enc_spec == 0) {
        for (j = 0; j < xf_head_n_encoders(h) && j < XF_MAX_ENCODERS; j++)
            m->enc_spec[m->n_enc_spec++] = xf_head_encoder_name(h, j);
        if (m->n_enc_spec == 0)
            m->enc_spec[m->n_enc_spec++] = "none";
    }
    return CLI_OK;
}

/* ------------------------------------------------------------ encoders */

static int file_exists(const char *p)
{
    /* O_NONBLOCK: a FIFO named as an encoder must not make this wait (the
     * loader then refuses it as not a regular file) */
    int fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

int cli_find_encoder(const char *spec, char *path, size_t n)
{
    const char *dirs[3];
    size_t i, len = strlen(spec);
    int has_ext = len > 4 && strcmp(spec + len - 4, ".xfm") == 0;
    if (strchr(spec, '/') != NULL || has_ext) {
        snprintf(path, n, "%s", spec);
        return file_exists(path);
    }
    dirs[0] = getenv("XFCAST_MODELS");
    dirs[1] = XF_MODELDIR;
#ifdef XF_SRC_MODELDIR
    dirs[2] = XF_SRC_MODELDIR;
#else
    dirs[2] = NULL;
#endif
    for (i = 0; i < 3; i++) {
        if (dirs[i] == NULL || dirs[i][0] == '\0')
            continue;
        snprintf(path, n, "%s/%s.xfm", dirs[i], spec);
        if (file_exists(path))
            return 1;
    }
    snprintf(path, n, "%s.xfm", spec);
    return 0;
}

int cli_load_encoder(const char *cmd, const char *spec, xf_encoder **out)
{
    char path[4096];
    xf_error err;
    int rc;
    if (!cli_find_encoder(spec, path, sizeof path)) {
        if (strchr(spec, '/') != NULL || strstr(spec, ".xfm") != NULL)
            cli_error(cmd, "encoder file '%s' not found", spec);
        else
            cli_error(cmd,
                      "encoder '%s' not found in $XFCAST_MODELS, %s or the source tree; "
                      "give its path",
                      spec, XF_MODELDIR);
        return CLI_ERROR;
    }
    if ((rc = xf_encoder_load(path, out, &err)) != XF_OK) {
        cli_error(cmd, "%s", err.message);
        return cli_exit_code(rc);
    }
    return CLI_OK;
}

int cli_model_load_zeroshot_encoder(const char *cmd, cli_model *m)
{
    int rc = cli_load_encoder(cmd, m->n_enc_spec > 0 ? m->enc_spec[0] : CLI_ZEROSHOT_ENCODER,
                              &m->enc[m->n_enc]);
    if (rc == CLI_OK)
        m->n_enc++;
    return rc;
}

int cli_model_load_encoders(const char *cmd, cli_model *m)
{
    static const char *const dflt[] = {"gru-base", "tcn-base"};
    const char *const *specs = m->enc_spec;
    size_t n = m->n_enc_spec, i;
    int rc;
    if (n == 0) {
        specs = dflt;
        n = 2;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(specs[i], "none") == 0) {
            m->head.embedding = 0;
            continue;
        }
        if ((rc = cli_load_encoder(cmd, specs[i], &m->enc[m->n_enc])) != CLI_OK)
            return rc;
        m->n_enc++;
    }
    /* encoders named on the command line are used; the default ones are
     * kept only when they win on the held-out origins */
    if (m->n_enc_spec > 0 && m->n_enc > 0)
        m->head.embedding = 1;
    if (m->n_enc == 0)
        m->head.embedding = 0;
    return CLI_OK;
}

/* ------------------------------------------------------------ output */

int cli_dates_only(const xf_panel *p)
{
    size_t i, k;
    for (i = 0; i < xf_panel_n_series(p); i++) {
        const xf_time *t = xf_panel_series_times(p, i);
        if (t == NULL)
            return 0;
        for (k = 0; k < xf_panel_series_length(p, i); k++)
            if (t[k] % XF_TIME_US_PER_DAY != 0)
                return 0;
    }
    return 1;
}

void cli_print_number(FILE *fp, double v)
{
    if (isfinite(v))
        fprintf(fp, "%.10g", v);
    else
        fputs("NA", fp);
}

void cli_csv_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

void cli_level_name(double level, char *buf, size_t n)
{
    /* the shortest %g text that reads back as the level, so that distinct
     * levels get distinct column names (99.9999999 is not lo100) */
    int prec;
    char tmp[40];
    for (prec = 6; prec < 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, level);
        if (strtod(tmp, NULL) == level)
            break;
    }
    snprintf(buf, n, "%.*g", prec, level);
}

int cli_write_plot(const char *cmd, const char *path, const char *id, const xf_panel *p,
                   size_t series, size_t origin, int32_t horizon, const xf_time *t,
                   const double *mean, size_t n_levels, const double *levels, const double *lo,
                   const double *hi)
{
    xf_plot_data d;
    xf_plot_options po;
    size_t n_hist = origin, start;
    char *svg = NULL;
    size_t len = 0;
    xf_error err;
    int rc;
    size_t tail = (size_t)horizon * 4 < 96 ? 96 : (size_t)horizon * 4;
    if (tail > 1000)
        tail = 1000;
    start = n_hist > tail ? n_hist - tail : 0;
    memset(&d, 0, sizeof d);
    d.title = id;
    d.n_history = n_hist - start;
    d.history_t = xf_panel_series_times(p, series) + start;
    d.history_y = xf_panel_series_values(p, series) + start;
    d.n_forecast = (size_t)horizon;
    d.forecast_t = t;
    d.mean = mean;
    d.n_levels = n_levels;
    d.levels = levels;
    d.lo = lo;
    d.hi = hi;
    xf_plot_options_init(&po);
    if (xf_panel_series_times(p, series) == NULL) {
        cli_error(cmd, "--plot needs timestamps");
        return CLI_ERROR;
    }
    if ((rc = xf_plot_svg(&d, &po, &svg, &len, &err)) != XF_OK) {
        cli_error(cmd, "plot of '%s': %s", id, err.message);
        return CLI_ERROR;
    }
    /* written like every other output: temp file, fsync, rename */
    rc = cli_write_file_atomic(cmd, path, svg, len);
    free(svg);
    return rc;
}

int cli_write_file_atomic(const char *cmd, const char *path, const char *buf, size_t len)
{
    xf_error err;
    if (xf_file_write_atomic(path, buf, len, &err) != XF_OK) {
        cli_error(cmd, "%s", err.message);
        return CLI_ERROR;
    }
    return CLI_OK;
}

int cli_check_output(const char *cmd, const char *opt, const char *out, const char *const *in,
                     size_t n_in)
{
    struct stat so, si;
    size_t i;
    /* an output that does not exist yet (or cannot be reached: the write
     * will say why) is no input */
    if (out == NULL || stat(out, &so) != 0)
        return CLI_OK;
    for (i = 0; i < n_in; i++) {
        if (in[i] == NULL || strcmp(in[i], "-") == 0 || stat(in[i], &si) != 0)
            continue;
        /* the same file under any name: a hard link, a symbolic link,
         * "./x.csv" for "x.csv" */
        if (so.st_dev == si.st_dev && so.st_ino == si.st_ino) {
            cli_error(cmd, "output '%s' is the input file '%s'; choose another %s", out, in[i],
                      opt);
            return CLI_USAGE;
        }
    }
    return CLI_OK;
}

int cli_check_model_output(const char *cmd, const char *opt, const char *out, const char *data,
                           const char *head, const cli_model *m)
{
    static const char *const dflt[] = {"gru-base", "tcn-base"};
    const char *in[2 + XF_MAX_ENCODERS + 2];
    char paths[XF_MAX_ENCODERS + 2][4096];
    const char *const *specs = m->enc_spec;
    size_t n = 0, i, ns = m->n_enc_spec;
    if (out == NULL)
        return CLI_OK;
    in[n++] = data;
    in[n++] = head;
    if (ns == 0) {
        specs = dflt;
        ns = 2;
    }
    for (i = 0; i < ns && i < XF_MAX_ENCODERS + 2; i++)
        if (strcmp(specs[i], "none") != 0 && cli_find_encoder(specs[i], paths[i], sizeof paths[i]))
            in[n++] = paths[i];
    return cli_check_output(cmd, opt, out, in, n);
}
