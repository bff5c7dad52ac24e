/* cmd_backtest.c - `xfcast backtest`: fit before a test period, forecast
 * from every origin in it, score next to naive and seasonal naive.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const char cmd_backtest_usage[] =
    "usage: xfcast backtest DATA.csv --test-start ROW|TIME [--test-end ROW|TIME]\n"
    "                       [--valid-start ROW|TIME] [--stride S] [--forecasts-out FILE]\n"
    "                       [model options] [CSV options]\n"
    "\n"
    "Fit a head only on the data before the test start (origins whose targets\n"
    "all precede it; --valid-start chooses the validation rows, else the latest\n"
    "--valid-fraction of origins), then forecast from every origin in the test\n"
    "range, every --stride steps (default: the horizon; 1 is fine - each origin\n"
    "is embedded once, in batches). Prints MAE, RMSE, sMAPE, MASE (scale: the\n"
    "in-sample seasonal-naive error before the test start) and interval\n"
    "coverage, overall and per step (with the mean interval width and MSIS,\n"
    "the interval score over that scale, overall), next to naive and\n"
    "seasonal naive on the same origins. ROW is a 0-based value index within each series; TIME is\n"
    "ISO-8601.\n"
    "\n"
    "Options:\n"
    "  --test-start ROW|TIME  first forecast target of the test period (required)\n"
    "  --test-end ROW|TIME    targets before this (default: the end of the data)\n"
    "  --valid-start ROW|TIME start of the validation rows inside the training part\n"
    "  --stride S           steps between test origins (default: the horizon)\n"
    "  --refit-every N      before every N steps of the test period, the head learns\n"
    "                       the data before them (an exact update, as nightly\n"
    "                       retraining does); default: fitted once\n"
    "  --windows K          cut the test period into K windows and fit a new head\n"
    "                       (candidates, penalty) on the data before each\n"
    "  --forecasts-out FILE every forecast as CSV id,origin,timestamp,step,actual,\n"
    "                       mean,lo..,hi.. (origin = time of the last value used)\n"
    "  --head HEAD.xfm      backtest a fitted head's configuration: DATA.csv read\n"
    "                       with its data spec, its covariates, encoders and\n"
    "                       model options (those given override; CSV options as\n"
    "                       for forecast --head)\n"
    "  --zero-shot          no fitting: the pretraining head of --encoder (default\n"
    "                       " CLI_ZEROSHOT_ENCODER "), alone or blended with a baseline\n"
    "                       (see forecast --help)\n"
    "  --format text|json   report format (default text; json has every step)\n"
    "  -q, --quiet          no notes, no progress line (shown on a terminal\n"
    "                       only)\n"
    "\n"
    "@MODEL_OPTIONS@"
    "\n"
    "@CSV_OPTIONS@"
    "\n"
    "Exit status: 0 success, 1 unusable data, 2 usage error.\n"
    "Example: xfcast backtest datasets/taylor-halfhourly.csv --test-start 2000-08-14\n";

typedef struct fc_out {
    FILE *fp;  /* forecasts CSV being built (memory) */
    int dates; /* print dates only */
} fc_out;

static void put_time(FILE *fp, xf_time t, int dates)
{
    char b[48];
    xf_time_format(t, dates, b, sizeof b);
    fputs(b, fp);
}

static int write_forecast(const xf_backtest_forecast *f, void *user, xf_error *err)
{
    fc_out *o = user;
    size_t k, l, H = (size_t)f->horizon;
    (void)err;
    for (k = 0; k < H; k++) {
        cli_csv_field(o->fp, f->id);
        fputc(',', o->fp);
        if (f->t != NULL)
            put_time(o->fp, f->origin_time, o->dates);
        else
            fprintf(o->fp, "%zu", f->origin - 1);
        fputc(',', o->fp);
        if (f->t != NULL)
            put_time(o->fp, f->t[k], o->dates);
        else
            fprintf(o->fp, "%zu", f->origin + k);
        fprintf(o->fp, ",%zu,", k + 1);
        cli_print_number(o->fp, f->actual[k]);
        fputc(',', o->fp);
        cli_print_number(o->fp, f->mean[k]);
        for (l = 0; l < f->n_levels; l++) {
            fputc(',', o->fp);
            cli_print_number(o->fp, f->lo[l * H + k]);
            fputc(',', o->fp);
            cli_print_number(o->fp, f->hi[l * H + k]);
        }
        fputc('\n', o->fp);
    }
    return ferror(o->fp) ? -1 : 0;
}

static const char *const method_names[XF_N_METHODS] = {"xfcast", "naive", "seasonal naive"};

static void print_metrics_row(const char *label, const xf_metrics *m, size_t n_levels, int model)
{
    size_t l;
    printf("  %-22s %12.5g %12.5g %8.3f %8.4f", label, m->mae, m->rmse, m->smape, m->mase);
    for (l = 0; l < n_levels; l++) {
        if (model)
            printf(" %7.1f", m->coverage[l]);
        else
            printf(" %7s", "-");
    }
    putchar('\n');
}

static void json_metrics(const xf_metrics *m, size_t n_levels, int model)
{
    size_t l;
    printf("{\"mae\": ");
    cli_print_number(stdout, m->mae);
    printf(", \"rmse\": ");
    cli_print_number(stdout, m->rmse);
    printf(", \"smape\": ");
    cli_print_number(stdout, m->smape);
    printf(", \"mase\": ");
    cli_print_number(stdout, m->mase);
    printf(", \"n\": %.0f", m->n);
    if (model) {
        printf(", \"coverage\": [");
        for (l = 0; l < n_levels; l++) {
            if (l)
                printf(", ");
            cli_print_number(stdout, m->coverage[l]);
        }
        putchar(']');
    }
    putchar('}');
}

/* Steps shown in the text table: all up to 24, else a spread. */
static int show_step(size_t k, size_t H)
{
    static const size_t marks[] = {1, 2, 3, 6, 12, 24, 48, 96, 168, 336, 720, 1440};
    size_t i;
    if (H <= 24 || k == H)
        return 1;
    for (i = 0; i < sizeof marks / sizeof *marks; i++)
        if (marks[i] == k)
            return 1;
    return 0;
}

int cmd_backtest(int argc, char **argv)
{
    static const char *const own[] = {"--format",        "--head",
                                      "--test-start",    "--test-end",
                                      "--valid-start",   "--stride",
                                      "--forecasts-out", "--refit-every",
                                      "--windows",       NULL};
    cli_args a;
    cli_model m;
    xf_backtest_options bo;
    xf_backtest_result res;
    const char *data = NULL, *fc_path = NULL, *head_path = NULL;
    xf_head *h = NULL, *h0 = NULL;
    cli_progress prog;
    xf_xfm *mf = NULL;
    xf_error err;
    fc_out fo = {NULL, 0};
    char *buf = NULL, desc[512];
    size_t blen = 0, k, l, mth;
    int kind, rc, json = 0, have_start = 0;
    long x;
    memset(&res, 0, sizeof res);
    cli_model_init(&m);
    xf_backtest_options_init(&bo);
    cli_args_init(&a, "backtest", argc, argv);
    a.own = own;
    while ((kind = cli_model_next(&a, &m, &data)) != 0) {
        const char *v;
        if (kind == 3) {
            cli_model_free(&m);
            return CLI_OK;
        }
        if (kind < 0)
            goto usage;
        if (strcmp(a.opt, "--zero-shot") == 0) {
            bo.zeroshot = 1;
            continue;
        }
        if (strcmp(a.opt, "--format") == 0) {
            if (cli_parse_format(&a, "text", &json) != 0)
                goto usage;
            continue;
        }
        if ((v = cli_args_value(&a)) == NULL)
            goto usage;
        if (strcmp(a.opt, "--test-start") == 0) {
            if (cli_parse_point("backtest", a.opt, v, &bo.test_start, &bo.test_start_row) != 0)
                goto usage;
            have_start = 1;
        } else if (strcmp(a.opt, "--test-end") == 0) {
            if (cli_parse_point("backtest", a.opt, v, &bo.test_end, &bo.test_end_row) != 0)
                goto usage;
        } else if (strcmp(a.opt, "--valid-start") == 0) {
            if (cli_parse_point("backtest", a.opt, v, &m.head.valid_start,
                                &m.head.valid_start_row) != 0)
                goto usage;
        } else if (strcmp(a.opt, "--stride") == 0) {
            if (cli_parse_count("backtest", a.opt, v, 1, 1000000, &x) != 0)
                goto usage;
            bo.stride = (int32_t)x;
        } else if (strcmp(a.opt, "--refit-every") == 0) {
            if (cli_parse_count("backtest", a.opt, v, 1, 100000000, &x) != 0)
                goto usage;
            bo.refit_every = (int32_t)x;
        } else if (strcmp(a.opt, "--windows") == 0) {
            if (cli_parse_count("backtest", a.opt, v, 1, 1000, &x) != 0)
                goto usage;
            bo.windows = (int32_t)x;
        } else if (strcmp(a.opt, "--forecasts-out") == 0) {
            fc_path = v;
        } else if (strcmp(a.opt, "--head") == 0) {
            head_path = v;
        } else {
            cli_error("backtest", "unknown option '%s'; see 'xfcast help backtest'", a.opt);
            goto usage;
        }
    }
    if (data == NULL || !have_start) {
        cli_error("backtest", "usage: xfcast backtest DATA.csv --test-start ROW|TIME [options]");
        goto usage;
    }
    /* before anything is read or written: no output replaces an input */
    if ((rc = cli_check_model_output("backtest", "--forecasts-out", fc_path, data, head_path,
                                     &m)) != CLI_OK)
        goto done;
    m.head.source = data;
    if (head_path != NULL) {
        /* the head's data spec and configuration, refitted before the test start */
        /* only its configuration is used: the statistics stay unread */
        if (xf_head_load_ex(head_path, XF_HEAD_LOAD_NO_STATS, &h0, &err) != XF_OK ||
            xf_xfm_load(head_path, &mf, &err) != XF_OK) {
            cli_error("backtest", "%s", err.message);
            rc = CLI_ERROR;
            goto done;
        }
        if ((rc = cli_model_apply_spec("backtest", h0, &m)) != CLI_OK ||
            (rc = cli_model_apply_head("backtest", h0, mf, &m)) != CLI_OK)
            goto done;
    } else if (!bo.zeroshot) {
        cli_model_default_domain(&m); /* as fit: the domain the data suggests */
    }
    if ((rc = cli_model_read("backtest", data, &m, m.quiet)) != CLI_OK)
        goto done;
    if (bo.zeroshot) {
        if ((rc = cli_model_load_zeroshot_encoder("backtest", &m)) != CLI_OK)
            goto done;
    } else if ((rc = cli_model_load_encoders("backtest", &m)) != CLI_OK) {
        goto done;
    }
    bo.fit = m.head;
    if (fc_path != NULL) {
        if ((fo.fp = open_memstream(&buf, &blen)) == NULL) {
            cli_error("backtest", "out of memory");
            rc = CLI_ERROR;
            goto done;
        }
        fo.dates = cli_dates_only(m.panel);
        fprintf(fo.fp, "id,origin,timestamp,step,actual,mean");
        for (l = 0; l < bo.fit.n_levels; l++) {
            char lvn[40];
            cli_level_name(bo.fit.levels[l], lvn, sizeof lvn);
            fprintf(fo.fp, ",lo%s,hi%s", lvn, lvn);
        }
        fputc('\n', fo.fp);
    }
    cli_progress_start(&prog, "backtest", &bo.fit, m.quiet);
    rc = xf_backtest(m.panel, m.enc, m.n_enc, &bo, fc_path ? write_forecast : NULL, &fo, &res, &h,
                     &err);
    cli_progress_end(&prog);
    if (rc != XF_OK) {
        cli_error("backtest", "%s: %s", data, err.message);
        rc = cli_exit_code(rc);
        goto done;
    }
    if (fo.fp != NULL) {
        fclose(fo.fp);
        fo.fp = NULL;
        if ((rc = cli_write_file_atomic("backtest", fc_path, buf, blen)) != CLI_OK)
            goto done;
    }
    if (!m.quiet) {
        const char *note = NULL;
        if (xf_xfm_get_str(xf_head_meta(h), "fit.note", &note, NULL) == XF_OK)
            cli_error("backtest", "note: %s", note);
    }
    xf_head_describe(h, desc, sizeof desc);
    if (json) {
        printf("{\"data\": ");
        cli_json_string(stdout, data);
        printf(", \"model\": ");
        cli_json_string(stdout, desc);
        printf(", \"refit_every\": %d, \"windows\": %d", (int)bo.refit_every,
               bo.windows > 1 ? (int)bo.windows : 1);
        printf(", \"domain_chosen_because\": ");
        if (m.domain_auto && !bo.zeroshot)
            cli_json_string(stdout, m.domain_why);
        else
            printf("null");
        printf(", \"horizon\": %d, \"season\": %d, \"origins\": %zu, \"series\": %zu, "
               "\"fit_seconds\": %.3f, \"forecast_seconds\": %.3f, \"levels\": [",
               (int)res.horizon, (int)res.season, res.n_origins, res.n_series, res.fit_seconds,
               res.forecast_seconds);
        for (l = 0; l < res.n_levels; l++) {
            char lvn[40];
            cli_level_name(res.levels[l], lvn, sizeof lvn);
            printf("%s%s", l ? ", " : "", lvn);
        }
        printf("], \"series_snaive_is_naive\": %zu, \"series_mase_naive_scale\": %zu",
               res.n_snaive_naive, res.n_mase_naive);
        printf(", \"interval_width\": [");
        for (l = 0; l < res.n_levels; l++) {
            printf("%s", l ? ", " : "");
            cli_print_number(stdout, res.width[l]);
        }
        printf("], \"msis\": [");
        for (l = 0; l < res.n_levels; l++) {
            printf("%s", l ? ", " : "");
            cli_print_number(stdout, res.msis[l]);
        }
        putchar(']');
        printf(",\n \"overall\": {");
        for (mth = 0; mth < XF_N_METHODS; mth++) {
            printf("%s\"%s\": ", mth ? ", " : "",
                   mth == 0   ? "xfcast"
                   : mth == 1 ? "naive"
                              : "snaive");
            json_metrics(&res.overall[mth], res.n_levels, mth == 0);
        }
        printf("},\n \"per_step\": [");
        for (k = 0; k < (size_t)res.horizon; k++) {
            printf("%s\n  {\"step\": %zu", k ? "," : "", k + 1);
            for (mth = 0; mth < XF_N_METHODS; mth++) {
                printf(", \"%s\": ", mth == 0 ? "xfcast" : mth == 1 ? "naive" : "snaive");
                json_metrics(&res.per_step[k * XF_N_METHODS + mth], res.n_levels, mth == 0);
            }
            putchar('}');
        }
        printf("\n]}\n");
    } else {
        printf("backtest:   %s: %zu series, %zu forecast origins, horizon %d, seasonal period "
               "%d\n",
               data, res.n_series, res.n_origins, (int)res.horizon, (int)res.season);
        printf("model:      %s\n", desc);
        if (m.domain_auto && !bo.zeroshot)
            printf("domain:     %s, chosen from the data (%s); --domain to choose another\n",
                   xf_domain_name(xf_head_domain(h)), m.domain_why);
        if (bo.refit_every > 0)
            printf("refits:     every %d steps of the test period, the head refitted on the data "
                   "before them (exact updates)\n",
                   (int)bo.refit_every);
        if (bo.windows > 1)
            printf("windows:    %d, a head fitted from scratch on the data before each\n",
                   (int)bo.windows);
        printf("time:       fit %.2f s, forecasts %.2f s\n", res.fit_seconds, res.forecast_seconds);
        if (res.n_mase_skipped > 0)
            printf("note:       %zu series left out of MASE (constant before the test start)\n",
                   res.n_mase_skipped);
        if (res.n_snaive_naive > 0)
            printf("note:       %zu series have less than one season (%d) of history before the "
                   "test start: their seasonal naive is naive\n",
                   res.n_snaive_naive, (int)res.season);
        if (res.n_mase_naive > 0)
            printf("note:       %zu series have less than two seasons of history: MASE is "
                   "scaled by naive's in-sample error\n",
                   res.n_mase_naive);
        printf("\n  %-22s %12s %12s %8s %8s", "overall", "MAE", "RMSE", "sMAPE", "MASE");
        for (l = 0; l < res.n_levels; l++) {
            char lvn[40];
            cli_level_name(res.levels[l], lvn, sizeof lvn);
            printf("   cov%s", lvn);
        }
        putchar('\n');
        for (mth = 0; mth < XF_N_METHODS; mth++)
            print_metrics_row(method_names[mth], &res.overall[mth], res.n_levels, mth == 0);
        for (l = 0; l < res.n_levels; l++) {
            char lvn[40];
            cli_level_name(res.levels[l], lvn, sizeof lvn);
            printf("%s%s%%: coverage %.1f, mean width %.5g, MSIS %.4f\n",
                   l ? "            " : "\n  intervals ", lvn, res.overall[0].coverage[l],
                   res.width[l], res.msis[l]);
        }
        printf("\n  %-6s %12s %12s %12s %9s %9s %9s", "step", "MAE", "naive MAE", "snaive MAE",
               "MASE", "naive", "snaive");
        for (l = 0; l < res.n_levels; l++) {
            char lvn[40];
            cli_level_name(res.levels[l], lvn, sizeof lvn);
            printf("   cov%s", lvn);
        }
        putchar('\n');
        for (k = 0; k < (size_t)res.horizon; k++) {
            const xf_metrics *s = &res.per_step[k * XF_N_METHODS];
            if (!show_step(k + 1, (size_t)res.horizon))
                continue;
            printf("  %-6zu %12.5g %12.5g %12.5g %9.4f %9.4f %9.4f", k + 1, s[0].mae, s[1].mae,
                   s[2].mae, s[0].mase, s[1].mase, s[2].mase);
            for (l = 0; l < res.n_levels; l++)
                printf(" %7.1f", s[0].coverage[l]);
            putchar('\n');
        }
    }
    rc = CLI_OK;
done:
    if (fo.fp != NULL)
        fclose(fo.fp);
    free(buf);
    xf_backtest_result_free(&res);
    xf_head_free(h);
    cli_model_free(&m); /* before h0: the encoder names are its */
    xf_head_free(h0);
    xf_xfm_free(mf);
    return rc;
usage:
    cli_model_free(&m);
    return CLI_USAGE;
}
