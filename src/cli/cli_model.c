/* cli_model.c - what fit, forecast and backtest share: the modelling
 * options, reading the data into a panel, finding and loading encoders,
 * and writing forecasts (CSV, JSON, SVG).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef XF_MODELDIR
#define XF_MODELDIR "/usr/local/share/xfcast/models"
#endif

const char cli_model_options_help[] =
    "Model options:\n"
    "  --horizon H          steps to forecast (default: one day of sub-daily data,\n"
    "                       14 days, 5 business days, 8 weeks, 12 months, ...)\n"
    "  --domain D           generic (default), stock, weather, energy, or auto (the\n"
    "                       domain 'xfcast inspect' suggests): presets for the\n"
    "                       transform, calendar terms and seasonal baseline\n"
    "  --encoder NAME|PATH  frozen encoder whose embedding is a feature; repeat for\n"
    "                       several ('none' for no embedding). Default: gru-base\n"
    "                       and tcn-base, kept only when they beat the head\n"
    "                       without embeddings on the held-out origins. Names are\n"
    "                       looked up in $XFCAST_MODELS, the installed models\n"
    "                       directory and the source tree\n"
    "  --covariate COL      a future-known covariate column (repeat or list with\n"
    "                       commas): its values at every forecast step are\n"
    "                       features; rows after the target's last value supply\n"
    "                       them when forecasting\n"
    "  --lags N             last values used as features (default by frequency;\n"
    "                       0 = none)\n"
    "  --baseline B         none, naive or seasonal: the head learns corrections to\n"
    "                       this forecast and shrinks towards it (default: naive\n"
    "                       for stock, seasonal when the lags cover a season)\n"
    "  --std-scale          normalise each origin by the standard deviation of its\n"
    "                       window (default without a seasonal baseline)\n"
    "  --seasonal-scale     ... by its mean absolute seasonal difference, the local\n"
    "                       MASE scale (default with a seasonal baseline)\n"
    "  --select mase|mse    how the default configurations (with or without\n"
    "                       embeddings and seasonal baseline) are compared on the\n"
    "                       held-out origins: MASE (default) or squared error\n"
    "  --no-calendar        no calendar (Fourier) terms\n"
    "  --history            add two features placing the level and scale in the\n"
    "                       last 2048 values (default off)\n"
    "  --penalty-per-step   choose the ridge penalty for each horizon step (default:\n"
    "                       one penalty for all steps)\n"
    "  --log / --no-log     model log values (default: on for the stock domain\n"
    "                       when every value is positive)\n"
    "  --season M           seasonal period for baselines and MASE (default by\n"
    "                       frequency and domain)\n"
    "  --levels L[,L..]     prediction-interval levels in percent (default 80,95;\n"
    "                       'none' for no intervals)\n"
    "  --valid-fraction F   share of the most recent origins held out to choose the\n"
    "                       penalty and calibrate intervals (default 0.2)\n"
    "  --max-windows N      at most N training origins (a stride is used above;\n"
    "                       default 40000)\n"
    "  --threads N          threads for the encoders (default: the CPUs, at most\n"
    "                       8; results do not depend on it)\n";

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

static int parse_int(const char *cmd, const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    long x;
    errno = 0;
    x = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || x < lo || x > hi) {
        cli_error(cmd, "%s takes a whole number in %ld..%ld, not '%s'", opt, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

static int parse_double(const char *cmd, const char *opt, const char *v, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(v, &end);
    if (errno != 0 || end == v || *end != '\0' || !isfinite(*out)) {
        cli_error(cmd, "%s takes a number, not '%s'", opt, v);
        return -1;
    }
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
    cli_error(cmd, "%s takes a 0-based row number or an ISO-8601 time such as "
                   "2016-07-01T00:00:00, not '%s'", opt, v);
    return -1;
}

int cli_model_option(cli_args *a, cli_model *m)
{
    const char *o = a->opt, *v;
    long x;
    int h = cli_csv_option(a, &m->csv);
    if (h != 0)
        return h;
    if (strcmp(o, "--no-calendar") == 0) {
        m->head.calendar = 0;
        return 1;
    }
    if (strcmp(o, "--log") == 0 || strcmp(o, "--no-log") == 0) {
        m->head.log_transform = strcmp(o, "--log") == 0;
        return 1;
    }
    if (strcmp(o, "--history") == 0 || strcmp(o, "--no-history") == 0) {
        m->head.history = strcmp(o, "--history") == 0;
        return 1;
    }
    if (strcmp(o, "--seasonal-scale") == 0 || strcmp(o, "--std-scale") == 0) {
        m->head.seasonal_scale = strcmp(o, "--seasonal-scale") == 0;
        return 1;
    }
    if (strcmp(o, "--penalty-per-step") == 0) {
        m->head.penalty_per_step = 1;
        return 1;
    }
    if (strcmp(o, "--no-lags") == 0) {
        m->head.n_lags = 0;
        return 1;
    }
    if (strcmp(o, "--horizon") != 0 && strcmp(o, "--domain") != 0 &&
        strcmp(o, "--encoder") != 0 && strcmp(o, "--covariate") != 0 &&
        strcmp(o, "--lags") != 0 && strcmp(o, "--season") != 0 && strcmp(o, "--levels") != 0 &&
        strcmp(o, "--valid-fraction") != 0 && strcmp(o, "--max-windows") != 0 &&
        strcmp(o, "--threads") != 0 && strcmp(o, "--baseline") != 0 &&
        strcmp(o, "--select") != 0)
        return 0;
    if ((v = cli_args_value(a)) == NULL)
        return -1;
    if (strcmp(o, "--horizon") == 0) {
        if (parse_int(a->cmd, o, v, 1, 10000, &x) != 0)
            return -1;
        m->head.horizon = (int32_t)x;
        m->horizon_set = 1;
    } else if (strcmp(o, "--domain") == 0) {
        xf_error e;
        if (strcmp(v, "auto") == 0) {
            m->domain_auto = 1;
        } else if (xf_domain_parse(v, &m->head.domain, &e) != XF_OK) {
            cli_error(a->cmd, "%s", e.message);
            return -1;
        }
    } else if (strcmp(o, "--encoder") == 0) {
        if (m->n_enc_spec >= XF_MAX_ENCODERS) {
            cli_error(a->cmd, "at most %d --encoder options", XF_MAX_ENCODERS);
            return -1;
        }
        m->enc_spec[m->n_enc_spec++] = v;
    } else if (strcmp(o, "--covariate") == 0) {
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
    } else if (strcmp(o, "--select") == 0) {
        if (strcmp(v, "mase") == 0)
            m->head.select = XF_SELECT_MASE;
        else if (strcmp(v, "mse") == 0)
            m->head.select = XF_SELECT_MSE;
        else {
            cli_error(a->cmd, "--select takes mase or mse, not '%s'", v);
            return -1;
        }
    } else if (strcmp(o, "--baseline") == 0) {
        if (strcmp(v, "none") == 0)
            m->head.baseline = 0;
        else if (strcmp(v, "naive") == 0)
            m->head.baseline = 1;
        else if (strcmp(v, "seasonal") == 0)
            m->head.baseline = XF_BASELINE_SEASONAL;
        else {
            cli_error(a->cmd, "--baseline takes none, naive or seasonal, not '%s'", v);
            return -1;
        }
    } else if (strcmp(o, "--lags") == 0) {
        if (parse_int(a->cmd, o, v, 0, 100000, &x) != 0)
            return -1;
        m->head.n_lags = (int32_t)x;
    } else if (strcmp(o, "--season") == 0) {
        if (parse_int(a->cmd, o, v, 1, 1000000, &x) != 0)
            return -1;
        m->head.season = (int32_t)x;
    } else if (strcmp(o, "--levels") == 0) {
        const char *p = v;
        m->head.n_levels = 0;
        if (strcmp(v, "none") == 0)
            return 1;
        while (*p != '\0') {
            char buf[32], *end;
            size_t len = strcspn(p, ",");
            double lv;
            if (len == 0 || len >= sizeof buf || m->head.n_levels >= XF_MAX_LEVELS) {
                cli_error(a->cmd, "--levels takes up to %d percentages like 80,95, not '%s'",
                          XF_MAX_LEVELS, v);
                return -1;
            }
            memcpy(buf, p, len);
            buf[len] = '\0';
            lv = strtod(buf, &end);
            if (*end != '\0' || !(lv > 0 && lv < 100)) {
                cli_error(a->cmd, "--levels: '%s' is not a percentage in (0, 100)", buf);
                return -1;
            }
            m->head.levels[m->head.n_levels++] = lv;
            p += len;
            if (*p == ',')
                p++;
        }
    } else if (strcmp(o, "--valid-fraction") == 0) {
        double f;
        if (parse_double(a->cmd, o, v, &f) != 0)
            return -1;
        if (!(f > 0 && f < 1)) {
            cli_error(a->cmd, "--valid-fraction takes a number in (0, 1), not '%s'", v);
            return -1;
        }
        m->head.valid_fraction = f;
    } else if (strcmp(o, "--max-windows") == 0) {
        if (parse_int(a->cmd, o, v, 100, 100000000, &x) != 0)
            return -1;
        m->head.max_windows = x;
    } else {
        if (parse_int(a->cmd, o, v, 1, 256, &x) != 0)
            return -1;
        m->head.n_threads = (int32_t)x;
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
                fprintf(stderr, "xfcast %s: note: column '%s' looks like a covariate for energy "
                        "data: add --covariate %s if its values are known for the forecast "
                        "period (rows after the target's last value)\n", cmd, c, c);
        }
    }
    if (m->domain_auto) {
        char why[200];
        size_t n = xf_panel_series_length(m->panel, 0);
        m->head.domain = xf_domain_suggest(xf_panel_series_values(m->panel, 0), n,
                                           xf_panel_series_freq(m->panel, 0),
                                           xf_panel_series_id(m->panel, 0), why, sizeof why);
        if (!quiet)
            fprintf(stderr, "xfcast %s: domain %s (%s)\n", cmd, xf_domain_name(m->head.domain),
                    why);
    }
    return CLI_OK;
}

/* ------------------------------------------------------------ encoders */

static int file_exists(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (f == NULL)
        return 0;
    fclose(f);
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
            cli_error(cmd, "encoder '%s' not found in $XFCAST_MODELS, %s or the source tree; "
                      "give its path", spec, XF_MODELDIR);
        return CLI_ERROR;
    }
    if ((rc = xf_encoder_load(path, out, &err)) != XF_OK) {
        cli_error(cmd, "%s", err.message);
        return cli_exit_code(rc);
    }
    return CLI_OK;
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
    snprintf(buf, n, "%g", level);
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
    FILE *fp;
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
    if ((fp = fopen(path, "wb")) == NULL) {
        cli_error(cmd, "cannot write %s: %s", path, strerror(errno));
        free(svg);
        return CLI_ERROR;
    }
    if (fwrite(svg, 1, len, fp) != len) {
        cli_error(cmd, "cannot write %s: %s", path, strerror(errno));
        fclose(fp);
        free(svg);
        return CLI_ERROR;
    }
    if (fclose(fp) != 0) {
        cli_error(cmd, "cannot write %s: %s", path, strerror(errno));
        free(svg);
        return CLI_ERROR;
    }
    free(svg);
    return CLI_OK;
}

int cli_write_file_atomic(const char *cmd, const char *path, const char *buf, size_t len)
{
    char tmp[4200];
    int fd;
    size_t done = 0;
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0) {
        cli_error(cmd, "cannot create %s: %s", tmp, strerror(errno));
        return CLI_ERROR;
    }
    while (done < len) {
        ssize_t w = write(fd, buf + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            cli_error(cmd, "cannot write %s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            return CLI_ERROR;
        }
        done += (size_t)w;
    }
    {
        int bad = fsync(fd) != 0;
        if (close(fd) != 0)
            bad = 1;
        if (bad) {
            cli_error(cmd, "cannot write %s: %s", tmp, strerror(errno));
            unlink(tmp);
            return CLI_ERROR;
        }
    }
    if (rename(tmp, path) != 0) {
        cli_error(cmd, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        return CLI_ERROR;
    }
    return CLI_OK;
}
