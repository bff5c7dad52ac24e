/* cmd_forecast.c - `xfcast forecast`: forecast every series of a CSV file
 * with a fitted head, or zero-shot with an encoder's pretraining head.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const char cmd_forecast_usage[] =
    "usage: xfcast forecast DATA.csv [--head HEAD.xfm] [-o OUT] [--format csv|json]\n"
    "                       [--plot OUT.svg] [--horizon H] [CSV options]\n"
    "\n"
    "Forecast every series of DATA.csv from its last observed value. With\n"
    "--head, the head's encoders are found by name (or given with --encoder)\n"
    "and must be the ones it was fitted on (checked by fingerprint). Without\n"
    "--head, forecast zero-shot with the pretraining head of an encoder\n"
    "(--encoder, default " CLI_ZEROSHOT_ENCODER "; at most its pretraining horizon, 336\n"
    "steps for tcn-v2 and tcn-v3, 64 for gru-base and tcn-base), alone or blended\n"
    "with naive, seasonal naive or the local window model, whichever had the\n"
    "lowest error on the series' last origins (--baseline none: the\n"
    "pretraining head alone), with intervals calibrated on the series' own\n"
    "recent errors. Nothing is fitted on the series. Rows after a series' last\n"
    "value supply future covariates. With --head, DATA.csv is read as the\n"
    "head's data were (its data spec, shown by 'xfcast info': value columns,\n"
    "id and time columns, delimiter, policies, covariates); CSV options given\n"
    "override how the bytes are read, but --target, --id-col and --freq must\n"
    "agree with the head's.\n"
    "\n"
    "Output (CSV): id,timestamp,step,mean,lo80,hi80,lo95,hi95 - one row per\n"
    "series and step; the interval columns follow the levels; id is the column\n"
    "name in wide files and the id value in long files; timestamps continue the\n"
    "series' frequency (calendar months, quarters, business days).\n"
    "\n"
    "Options:\n"
    "  --head FILE          a head fitted by 'xfcast fit'\n"
    "  -o, --output FILE    write the forecasts to FILE (atomic) instead of stdout\n"
    "  --format csv|json    output format (default csv)\n"
    "  --plot FILE.svg      plot history, forecast and intervals as SVG (one file\n"
    "                       per series, FILE-ID.svg, when there are several)\n"
    "  --horizon H          steps (at most the head's)\n"
    "  --encoder NAME|PATH  encoder(s) for the head or the zero-shot forecast\n"
    "  --levels L[,L..]     interval levels (default: the head's, else 80,95)\n"
    "  -q, --quiet          no notes on stderr\n"
    "\n"
    "@CSV_OPTIONS@"
    "\n"
    "Exit status: 0 success, 1 a series could not be forecast or bad data,\n"
    "2 usage error.\n"
    "Example: xfcast forecast datasets/taylor-halfhourly.csv --head taylor.xfm --plot t.svg\n";

/* PATH.svg for one series, PATH-<id>.svg for several. */
/* A forecast timestamp: UTC ("...Z" or a date), or with --tz the local time
 * with its offset ("2024-03-31T03:00:00+02:00"). */
static void fmt_time(const xf_panel *p, xf_time t, int dates, char *buf, size_t n)
{
    if (xf_panel_tz(p) != NULL)
        xf_tz_format(xf_panel_tz(p), t, 0, buf, n);
    else
        xf_time_format(t, dates, buf, n);
}

static void plot_path(const char *base, const char *id, int many, char *out, size_t n)
{
    size_t len = strlen(base), k, j = 0;
    char safe[80];
    if (!many) {
        snprintf(out, n, "%s", base);
        return;
    }
    for (k = 0; id[k] != '\0' && j + 1 < sizeof safe; k++)
        safe[j++] = isalnum((unsigned char)id[k]) || id[k] == '-' || id[k] == '_' ? id[k] : '_';
    safe[j] = '\0';
    if (len > 4 && strcmp(base + len - 4, ".svg") == 0)
        snprintf(out, n, "%.*s-%s.svg", (int)(len - 4), base, safe);
    else
        snprintf(out, n, "%s-%s.svg", base, safe);
}

/* A saved head's model options are the head's: one given with another
 * value than the head was fitted with is refused, never ignored.  Only
 * --horizon (forecast fewer or more steps), --threads (the encoders') and
 * --levels apply at forecast time. */
static int check_head_options(const char *path, const cli_model *m)
{
    xf_head_options given = m->head;
    xf_xfm *mf = NULL;
    int rc = CLI_OK;
    xf_option_target tg;
    const xf_option *t;
    size_t n, k;
    memset(&tg, 0, sizeof tg);
    tg.head = &given;
    t = xf_options(&n);
    for (k = 0; k < n && rc == CLI_OK; k++) {
        char gv[256], hv[256];
        const xf_option *o = &t[k];
        if (o->where != XF_OPT_IN_HEAD || (o->flags & XF_OPT_INI_ONLY) ||
            strcmp(o->name, "horizon") == 0 || strcmp(o->name, "threads") == 0 ||
            strcmp(o->name, "levels") == 0)
            continue;
        if (!cli_model_given(m, o))
            continue; /* the head's */
        xf_option_format(o, &tg, gv, sizeof gv);
        if (mf == NULL && xf_xfm_load(path, &mf, NULL) != XF_OK)
            mf = NULL;
        if (mf == NULL || xf_option_head_text(o, mf, hv, sizeof hv, NULL) != XF_OK)
            snprintf(hv, sizeof hv, "not recorded");
        else if (strcmp(hv, gv) == 0)
            continue; /* what the head has anyway */
        cli_error("forecast",
                  "--%s %s: a saved head's model options are fixed when it is fitted (this "
                  "head: %s); fit a new head to change it",
                  o->name, gv, hv);
        rc = CLI_USAGE;
    }
    xf_xfm_free(mf);
    return rc;
}

/* The data's value columns must be the ones the head was fitted on. */
static int check_columns(const xf_head *h, const xf_panel *p, const char *data)
{
    const char *cols = NULL;
    size_t i;
    if (xf_xfm_get_str(xf_head_meta(h), "data.columns", &cols, NULL) != XF_OK || cols[0] == '\0')
        return CLI_OK;
    for (i = 0; i < xf_panel_n_series(p); i++) {
        const char *c = xf_panel_series_column(p, i), *q = cols;
        size_t len;
        int found = 0;
        if (c == NULL)
            continue;
        len = strlen(c);
        while (*q != '\0' && !found) {
            size_t l2 = strcspn(q, ",");
            found = l2 == len && strncmp(q, c, len) == 0;
            q += l2 + (q[l2] == ',');
        }
        if (!found) {
            cli_error("forecast",
                      "%s: column '%s' is not one the head was fitted on (%s); "
                      "pick the columns with --target, or fit a head on this file",
                      data, c, cols);
            return CLI_ERROR;
        }
    }
    return CLI_OK;
}

int cli_forecast_output(const char *cmd, const xf_head *h, const xf_panel *panel, const char *data,
                        int32_t H, const char *out, int json, const char *plot, int quiet)
{
    xf_head_workspace *ws = NULL;
    xf_error err;
    FILE *fp = stdout;
    char *buf = NULL;
    size_t blen = 0, i, k, l, ns, L;
    double *mean = NULL, *lo = NULL, *hi = NULL;
    xf_time *t = NULL;
    int rc = CLI_OK, dates, failed = 0, first = 1;
    char lvn[XF_MAX_LEVELS][40]; /* the levels' names: lo<name>, hi<name> */
    L = xf_head_n_levels(h);
    ns = xf_panel_n_series(panel);
    if ((rc = xf_head_workspace_new(h, &ws, &err)) != XF_OK) {
        cli_error(cmd, "%s", err.message);
        rc = CLI_ERROR;
        goto done;
    }
    mean = malloc((size_t)H * sizeof *mean);
    t = malloc((size_t)H * sizeof *t);
    lo = malloc((L * (size_t)H + 1) * sizeof *lo);
    hi = malloc((L * (size_t)H + 1) * sizeof *hi);
    if (!mean || !t || !lo || !hi) {
        cli_error(cmd, "out of memory");
        rc = CLI_ERROR;
        goto done;
    }
    if (out != NULL && (fp = open_memstream(&buf, &blen)) == NULL) {
        cli_error(cmd, "out of memory");
        rc = CLI_ERROR;
        goto done;
    }
    dates = xf_panel_tz(panel) == NULL && cli_dates_only(panel);
    if (json) {
        fprintf(fp, "{\"horizon\": %d, \"levels\": [", (int)H);
        for (l = 0; l < L; l++) {
            cli_level_name(xf_head_level(h, l), lvn[l], sizeof lvn[l]);
            fprintf(fp, "%s%s", l ? ", " : "", lvn[l]);
        }
        fprintf(fp, "], \"forecasts\": [");
    } else {
        fprintf(fp, "id,timestamp,step,mean");
        for (l = 0; l < L; l++) {
            cli_level_name(xf_head_level(h, l), lvn[l], sizeof lvn[l]);
            fprintf(fp, ",lo%s,hi%s", lvn[l], lvn[l]);
        }
        fputc('\n', fp);
    }
    for (i = 0; i < ns; i++) {
        const char *id = xf_panel_series_id(panel, i);
        size_t origin = xf_panel_series_observed(panel, i);
        char ts[48];
        int has_t = xf_panel_series_times(panel, i) != NULL;
        if ((rc = xf_head_forecast(h, ws, panel, i, SIZE_MAX, H, t, mean, lo, hi, &err)) != XF_OK) {
            cli_error(cmd, "%s: %s", data, err.message);
            if (rc == XF_ERANGE || rc == XF_EINVAL) {
                rc = cli_exit_code(rc);
                goto done;
            }
            failed = 1;
            continue;
        }
        if (json) {
            fprintf(fp, "%s\n  {\"id\": ", first ? "" : ",");
            cli_json_string(fp, id);
            fprintf(fp, ", \"origin\": ");
            if (has_t) {
                fmt_time(panel, xf_panel_series_times(panel, i)[origin - 1], dates, ts, sizeof ts);
                cli_json_string(fp, ts);
            } else {
                fprintf(fp, "%zu", origin);
            }
            fprintf(fp, ", \"steps\": [");
        }
        first = 0;
        for (k = 0; k < (size_t)H; k++) {
            if (has_t)
                fmt_time(panel, t[k], dates, ts, sizeof ts);
            else
                snprintf(ts, sizeof ts, "%zu", origin + k);
            if (json) {
                fprintf(fp,
                        "%s\n    {\"timestamp\": \"%s\", \"step\": %zu, \"mean\": ", k ? "," : "",
                        ts, k + 1);
                cli_print_number(fp, mean[k]);
                for (l = 0; l < L; l++) {
                    fprintf(fp, ", \"lo%s\": ", lvn[l]);
                    cli_print_number(fp, lo[l * (size_t)H + k]);
                    fprintf(fp, ", \"hi%s\": ", lvn[l]);
                    cli_print_number(fp, hi[l * (size_t)H + k]);
                }
                fputc('}', fp);
            } else {
                cli_csv_field(fp, id);
                fprintf(fp, ",%s,%zu,", ts, k + 1);
                cli_print_number(fp, mean[k]);
                for (l = 0; l < L; l++) {
                    fputc(',', fp);
                    cli_print_number(fp, lo[l * (size_t)H + k]);
                    fputc(',', fp);
                    cli_print_number(fp, hi[l * (size_t)H + k]);
                }
                fputc('\n', fp);
            }
        }
        if (json)
            fprintf(fp, "]}");
        if (plot != NULL) {
            char path[4096];
            double lv[XF_MAX_LEVELS];
            for (l = 0; l < L; l++)
                lv[l] = xf_head_level(h, l);
            plot_path(plot, id, ns > 1, path, sizeof path);
            if (cli_write_plot(cmd, path, id, panel, i, origin, H, t, mean, L, lv, lo, hi) !=
                CLI_OK)
                failed = 1;
            else if (!quiet)
                fprintf(stderr, "xfcast %s: plot of '%s' written to %s\n", cmd, id, path);
        }
    }
    if (json)
        fprintf(fp, "\n]}\n");
    if (out != NULL) {
        fclose(fp);
        fp = stdout;
        if ((rc = cli_write_file_atomic(cmd, out, buf, blen)) != CLI_OK)
            goto done;
    }
    rc = failed ? CLI_ERROR : CLI_OK;
done:
    if (fp != stdout)
        fclose(fp);
    free(buf);
    free(mean);
    free(t);
    free(lo);
    free(hi);
    xf_head_workspace_free(ws);
    return rc;
}

int cmd_forecast(int argc, char **argv)
{
    cli_args a;
    cli_model m;
    const char *data = NULL, *head_path = NULL, *out = NULL, *plot = NULL;
    xf_head *h = NULL;
    xf_error err;
    int kind, rc = CLI_OK, json = 0;
    cli_model_init(&m);
    cli_args_init(&a, "forecast", argc, argv);
    while ((kind = cli_model_next(&a, &m, &data)) != 0) {
        if (kind == 3) {
            cli_model_free(&m);
            return CLI_OK;
        }
        if (kind < 0)
            goto usage;
        if (strcmp(a.opt, "--head") == 0) {
            if ((head_path = cli_args_value(&a)) == NULL)
                goto usage;
        } else if (strcmp(a.opt, "-o") == 0 || strcmp(a.opt, "--output") == 0) {
            if ((out = cli_args_value(&a)) == NULL)
                goto usage;
        } else if (strcmp(a.opt, "--plot") == 0) {
            if ((plot = cli_args_value(&a)) == NULL)
                goto usage;
        } else if (strcmp(a.opt, "--format") == 0) {
            if (cli_parse_format(&a, "csv", &json) != 0)
                goto usage;
        } else {
            cli_error("forecast", "unknown option '%s'; see 'xfcast help forecast'", a.opt);
            goto usage;
        }
    }
    if (data == NULL) {
        cli_error("forecast", "usage: xfcast forecast DATA.csv [--head HEAD.xfm] [options]");
        goto usage;
    }
    /* before anything is read or written: no output replaces an input */
    if ((rc = cli_check_model_output("forecast", "-o", out, data, head_path, &m)) != CLI_OK ||
        (rc = cli_check_model_output("forecast", "--plot", plot, data, head_path, &m)) != CLI_OK)
        goto done;
    if (head_path != NULL) {
        size_t j;
        /* a forecast never updates the head: its statistics stay unread */
        if ((rc = xf_head_load_ex(head_path, XF_HEAD_LOAD_NO_STATS, &h, &err)) != XF_OK) {
            cli_error("forecast", "%s", err.message);
            rc = CLI_ERROR;
            goto done;
        }
        if ((rc = check_head_options(head_path, &m)) != CLI_OK)
            goto done;
        /* the head's covariates are read without repeating --covariate */
        cli_model_head_covariates(h, &m);
        /* the data read as the head's was, unless told otherwise */
        if ((rc = cli_model_apply_spec("forecast", h, &m)) != CLI_OK ||
            (rc = cli_model_read("forecast", data, &m, m.quiet)) != CLI_OK)
            goto done;
        if ((rc = check_columns(h, m.panel, data)) != CLI_OK)
            goto done;
        /* encoders: those given, else the head's by name */
        if (m.n_enc_spec > 0) {
            if ((rc = cli_model_load_encoders("forecast", &m)) != CLI_OK)
                goto done;
        } else {
            for (j = 0; j < xf_head_n_encoders(h); j++)
                if ((rc = cli_load_encoder("forecast", xf_head_encoder_name(h, j),
                                           &m.enc[m.n_enc++])) != CLI_OK)
                    goto done;
        }
        /* --levels: intervals from the residuals the head kept at fit time */
        if (m.levels_set &&
            (rc = xf_head_set_levels(h, m.head.levels, m.head.n_levels, &err)) != XF_OK) {
            cli_error("forecast", "%s: --levels: %s", head_path, err.message);
            rc = CLI_ERROR;
            goto done;
        }
        if ((rc = xf_head_attach_encoders(h, m.enc, m.n_enc, &err)) != XF_OK) {
            cli_error("forecast", "%s: %s", head_path, err.message);
            rc = CLI_ERROR;
            goto done;
        }
    } else {
        xf_head_options zo = m.head;
        if ((rc = cli_model_read("forecast", data, &m, m.quiet)) != CLI_OK)
            goto done;
        if ((rc = cli_model_load_zeroshot_encoder("forecast", &m)) != CLI_OK)
            goto done;
        zo = m.head;
        if ((rc = xf_head_zeroshot(m.panel, m.enc[0], &zo, &h, &err)) != XF_OK) {
            cli_error("forecast", "%s: %s", data, err.message);
            rc = cli_exit_code(rc);
            goto done;
        }
        if (!m.quiet) {
            const char *point = "the pretraining head's";
            xf_xfm_get_str(xf_head_meta(h), "zeroshot.point", &point, NULL);
            fprintf(stderr,
                    "xfcast forecast: zero-shot with the pretraining head of '%s' (no "
                    "--head); point forecast: %s, %s; intervals calibrated on the series' "
                    "own recent errors\n",
                    xf_encoder_name(m.enc[0]), point,
                    zo.blend == XF_BLEND_NONE ? "as asked (--blend none)"
                    : zo.baseline == 0        ? "as asked (--baseline none)"
                                              : "the lowest error on the series' last origins");
        }
    }
    rc = cli_forecast_output("forecast", h, m.panel, data,
                             m.horizon_set ? m.head.horizon : xf_head_horizon(h), out, json, plot,
                             m.quiet);
done:
    xf_head_free(h);
    cli_model_free(&m);
    return rc;
usage:
    cli_model_free(&m);
    return CLI_USAGE;
}
