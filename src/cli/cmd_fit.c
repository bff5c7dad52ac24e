/* cmd_fit.c - `xfcast fit`: fit a ridge head on a CSV file and save it.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const char cmd_fit_usage[] =
    "usage: xfcast fit DATA.csv -o HEAD.xfm [model options] [CSV options]\n"
    "       xfcast fit DATA.csv --shard I/N --stats-out PART.xfm [model options] [CSV options]\n"
    "       xfcast fit --merge PART.xfm... -o HEAD.xfm [--allow-missing-shards]\n"
    "\n"
    "Fit a ridge head on the frozen encoders' embeddings (plus lags, calendar\n"
    "terms and covariates) over every series of DATA.csv (one global model)\n"
    "and save it to HEAD.xfm. One output per horizon step; the most recent\n"
    "origins of each series are held out to choose the penalty (time-ordered\n"
    "split) and to calibrate split-conformal prediction intervals; the head is\n"
    "then refitted on everything. The report gives the held-out error next to\n"
    "the naive forecast's and the interval coverage measured out of sample.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE    where the head is written (required; atomic)\n"
    "  --valid-start ROW|TIME  hold out the origins whose first target is at or\n"
    "                       after this row (0-based, per series) or time, instead\n"
    "                       of --valid-fraction\n"
    "  --source NAME        data source name recorded in the head (default: the\n"
    "                       file name)\n"
    "  --format text|json   report format (default text)\n"
    "  --shard I/N          fit in parts: accumulate the statistics of the series\n"
    "                       of shard I (0-based) of N only (a stable hash of the\n"
    "                       id, as retrain --shard) and write them with\n"
    "                       --stats-out instead of a head\n"
    "  --stats-out FILE     where the shard's statistics are written (atomic)\n"
    "  --merge              the arguments are parts (--stats-out files of every\n"
    "                       shard): add them, choose the candidate and penalty and\n"
    "                       write the head; equal to one fit on all the series with\n"
    "                       the options the parts resolved (model and CSV options\n"
    "                       come from the parts and are not accepted here)\n"
    "  --allow-missing-shards  merge even when some shards' parts are missing\n"
    "  -q, --quiet          no report, no notes, no progress line (shown on a\n"
    "                       terminal only)\n"
    "\n"
    "@MODEL_OPTIONS@"
    "\n"
    "@CSV_OPTIONS@"
    "\n"
    "Exit status: 0 success, 1 unreadable or unusable data, 2 usage error.\n"
    "Example: xfcast fit datasets/taylor-halfhourly.csv --domain energy -o taylor.xfm\n"
    "Sharded: xfcast fit big.csv --shard 0/2 --stats-out p0.xfm & xfcast fit big.csv \\\n"
    "         --shard 1/2 --stats-out p1.xfm & wait; xfcast fit --merge p*.xfm -o h.xfm\n";

/* The head's string key equals v. */
static int meta_is(const xf_head *h, const char *key, const char *v)
{
    const char *s = NULL;
    return xf_xfm_get_str(xf_head_meta(h), key, &s, NULL) == XF_OK && strcmp(s, v) == 0;
}

static double meta_f64(const xf_head *h, const char *key)
{
    double v = NAN;
    xf_xfm_get_f64(xf_head_meta(h), key, &v, NULL);
    return v;
}

static int64_t meta_i64(const xf_head *h, const char *key)
{
    int64_t v = 0;
    xf_xfm_get_i64(xf_head_meta(h), key, &v, NULL);
    return v;
}

/* The score the candidates were compared on: the key prefix of their
 * scores ("valid.mase.", "valid.mae_norm." or "valid.mse_units.") and its
 * name in reports. */
static const char *const score_keys[][2] = {
    {"valid.mase.", "held-out MASE"},
    {"valid.mae_norm.", "held-out MAE on the normalised scale"},
    {"valid.mse_units.", "held-out MSE"},
};

/* The candidate named by meta key k (NULL when k is no candidate score);
 * *which: its row of score_keys. */
static const char *candidate_name(const char *k, size_t *which)
{
    size_t j;
    for (j = 0; j < sizeof score_keys / sizeof *score_keys; j++)
        if (strncmp(k, score_keys[j][0], strlen(score_keys[j][0])) == 0) {
            *which = j;
            return k + strlen(score_keys[j][0]);
        }
    return NULL;
}

/* The blend the fit chose on the held-out origins (head_blend.h), when it
 * looked for one. */
static void print_blend(FILE *fp, const xf_head *h)
{
    const char *blend = NULL, *unit = "MASE";
    if (xf_xfm_get_str(xf_head_meta(h), "valid.blend", &blend, NULL) != XF_OK)
        return;
    xf_xfm_get_str(xf_head_meta(h), "valid.blend_score", &unit, NULL);
    if (strcmp(blend, "none") == 0)
        fprintf(fp, "blend:       none (no blend lowered the held-out %s %.4g)\n", unit,
                meta_f64(h, "valid.blend_before"));
    else
        fprintf(fp, "blend:       %s (held-out %s %.4g -> %.4g; --blend none: without)\n", blend,
                unit, meta_f64(h, "valid.blend_before"), meta_f64(h, "valid.blend_after"));
}

/* ", \"name\": " and the head's f64 metadata `key` (null when absent). */
static void json_meta_number(FILE *fp, const char *name, const xf_head *h, const char *key)
{
    fprintf(fp, ", \"%s\": ", name);
    cli_print_number(fp, meta_f64(h, key));
}

/* The pilot that decided, on a subsample of the origins, whether the
 * candidates with embeddings were worth fitting on all of them. */
static void print_pilot(FILE *fp, const xf_head *h)
{
    const char *pilot = NULL, *score = "mase";
    if (xf_xfm_get_str(xf_head_meta(h), "valid.pilot", &pilot, NULL) != XF_OK)
        return;
    xf_xfm_get_str(xf_head_meta(h), "valid.pilot_score", &score, NULL);
    fprintf(fp,
            "pilot:       every %lld%s origin (%lld of %lld): held-out %s %.4g with "
            "embeddings, %.4g without (1 SE of the difference %.2g): %s\n",
            (long long)meta_i64(h, "valid.pilot_step"),
            meta_i64(h, "valid.pilot_step") == 2   ? "nd"
            : meta_i64(h, "valid.pilot_step") == 3 ? "rd"
                                                   : "th",
            (long long)meta_i64(h, "valid.pilot_origins"), (long long)meta_i64(h, "valid.pilot_of"),
            strcmp(score, "mase") == 0 ? "MASE" : "normalised MAE", meta_f64(h, "valid.pilot_with"),
            meta_f64(h, "valid.pilot_without"), meta_f64(h, "valid.pilot_se"),
            strcmp(pilot, "embeddings kept") == 0
                ? "the candidates with embeddings fitted on every origin"
                : "the embeddings computed no further (--pilot none: on every origin)");
}

/* The configurations the fit compared, on one line, with the score they
 * were compared on (and why, when MASE could not be computed). */
static void print_candidates(FILE *fp, const xf_head *h)
{
    const xf_xfm *m = xf_head_meta(h);
    const char *dropped = NULL, *chosen = NULL;
    size_t i, n = 0, which = 0;
    int64_t folds = 0;
    int rolling = meta_is(h, "valid.selection", "rolling");
    for (i = 0; i < xf_xfm_n_meta(m); i++) {
        const char *k = xf_xfm_meta_key(m, i), *name = candidate_name(k, &which);
        double v = NAN;
        if (name == NULL || xf_xfm_get_f64(m, k, &v, NULL) != XF_OK)
            continue;
        fprintf(fp, "%s%s %.4g", n ? ", " : "candidates:  ", name, v);
        n++;
    }
    if (n == 0)
        return;
    xf_xfm_get_i64(m, "valid.folds", &folds, NULL);
    if (n == 1 && which != 1 && xf_xfm_get_str(m, "valid.dropped", &dropped, NULL) != XF_OK) {
        fputc('\n', fp);
        return;
    }
    fprintf(fp, " (%s", score_keys[which][1]);
    if (rolling)
        fprintf(fp, " on %lld rolling windows", (long long)folds);
    if (which == 1) {
        int64_t und = 0, season = 0;
        xf_xfm_get_i64(m, "valid.mase_undefined", &und, NULL);
        xf_xfm_get_i64(m, "valid.season", &season, NULL);
        (void)season;
        fprintf(fp, ": MASE is undefined for %lld held-out origin(s), their history being constant",
                (long long)und);
    }
    if (xf_xfm_get_str(m, "valid.dropped", &dropped, NULL) == XF_OK)
        fprintf(fp, "; dropped, too few usable origins: %s", dropped);
    fprintf(fp, "%s)\n",
            n <= 1    ? ""
            : rolling ? "; the simplest within 1 SE of the lowest is kept"
                      : "; the lowest is kept");
    if (n > 1 && rolling && xf_xfm_get_str(m, "valid.chosen", &chosen, NULL) == XF_OK)
        fprintf(fp, "chosen:      %s\n", chosen);
}

/* The candidates as a JSON object {"score": ..., "values": {name: score}}
 * (null when the head compared none: zero-shot). */
static void json_candidates(FILE *fp, const xf_head *h)
{
    const xf_xfm *m = xf_head_meta(h);
    size_t i, n = 0, which = 0;
    for (i = 0; i < xf_xfm_n_meta(m); i++)
        if (candidate_name(xf_xfm_meta_key(m, i), &which) != NULL)
            break;
    if (i == xf_xfm_n_meta(m)) {
        fprintf(fp, "null");
        return;
    }
    fprintf(fp, "{\"score\": \"%s\", \"values\": {",
            which == 0   ? "mase"
            : which == 1 ? "mae_normalised"
                         : "mse");
    for (i = 0; i < xf_xfm_n_meta(m); i++) {
        const char *k = xf_xfm_meta_key(m, i), *name = candidate_name(k, &which);
        double v = NAN;
        if (name == NULL || xf_xfm_get_f64(m, k, &v, NULL) != XF_OK)
            continue;
        fprintf(fp, "%s", n++ ? ", " : "");
        cli_json_string(fp, name);
        fprintf(fp, ": ");
        cli_print_number(fp, v);
    }
    fprintf(fp, "}}");
}

void cli_print_fit_report(FILE *fp, const xf_head *h, const char *data, const char *out, int json,
                          const char *domain_why)
{
    char desc[512], key[48];
    size_t l;
    xf_head_describe(h, desc, sizeof desc);
    if (json) {
        fprintf(fp, "{\"head\": ");
        cli_json_string(fp, out != NULL ? out : "");
        fprintf(fp, ", \"data\": ");
        cli_json_string(fp, data);
        fprintf(fp, ", \"model\": ");
        cli_json_string(fp, desc);
        fprintf(fp, ", \"kind\": \"%s\"",
                xf_head_is_zeroshot(h)            ? "zeroshot"
                : meta_is(h, "fit.kind", "local") ? "local"
                                                  : "ridge");
        fprintf(fp, ", \"domain\": ");
        cli_json_string(fp, xf_domain_name(xf_head_domain(h)));
        fprintf(fp, ", \"domain_chosen_because\": ");
        if (domain_why != NULL)
            cli_json_string(fp, domain_why);
        else
            fprintf(fp, "null");
        fprintf(fp,
                ", \"horizon\": %d, \"features\": %zu, \"windows\": %lld, "
                "\"windows_valid\": %lld, \"stride\": %lld, \"lambda\": ",
                (int)xf_head_horizon(h), xf_head_n_features(h),
                (long long)meta_i64(h, "fit.windows"), (long long)meta_i64(h, "fit.windows_valid"),
                (long long)meta_i64(h, "fit.stride"));
        cli_print_number(fp, meta_f64(h, "fit.lambda"));
        fprintf(fp, ", \"valid_mse\": ");
        cli_print_number(fp, meta_f64(h, "valid.mse"));
        fprintf(fp, ", \"valid_naive_mse\": ");
        cli_print_number(fp, meta_f64(h, "valid.naive_mse"));
        fprintf(fp, ", \"coverage\": {");
        for (l = 0; l < xf_head_n_levels(h); l++) {
            snprintf(key, sizeof key, "coverage.%g", xf_head_level(h, l));
            fprintf(fp, "%s\"%g\": ", l ? ", " : "", xf_head_level(h, l));
            cli_print_number(fp, meta_f64(h, key));
        }
        fprintf(fp, "}, \"candidates\": ");
        json_candidates(fp, h);
        {
            const char *chosen;
            fprintf(fp, ", \"chosen\": ");
            if (xf_xfm_get_str(xf_head_meta(h), "valid.chosen", &chosen, NULL) == XF_OK)
                cli_json_string(fp, chosen);
            else
                fprintf(fp, "null");
        }
        {
            const char *blend, *unit = "MASE";
            fprintf(fp, ", \"blend\": ");
            if (xf_xfm_get_str(xf_head_meta(h), "valid.blend", &blend, NULL) == XF_OK) {
                xf_xfm_get_str(xf_head_meta(h), "valid.blend_score", &unit, NULL);
                fprintf(fp, "{\"chosen\": ");
                cli_json_string(fp, blend);
                fprintf(fp, ", \"score\": ");
                cli_json_string(fp, unit);
                json_meta_number(fp, "before", h, "valid.blend_before");
                json_meta_number(fp, "after", h, "valid.blend_after");
                fprintf(fp, "}");
            } else
                fprintf(fp, "null");
        }
        {
            const char *pilot, *score = "mase";
            fprintf(fp, ", \"pilot\": ");
            if (xf_xfm_get_str(xf_head_meta(h), "valid.pilot", &pilot, NULL) == XF_OK) {
                xf_xfm_get_str(xf_head_meta(h), "valid.pilot_score", &score, NULL);
                fprintf(fp,
                        "{\"embeddings\": %s, \"step\": %lld, \"origins\": %lld, \"of\": %lld, "
                        "\"score\": ",
                        strcmp(pilot, "embeddings kept") == 0 ? "true" : "false",
                        (long long)meta_i64(h, "valid.pilot_step"),
                        (long long)meta_i64(h, "valid.pilot_origins"),
                        (long long)meta_i64(h, "valid.pilot_of"));
                cli_json_string(fp, strcmp(score, "mase") == 0 ? "MASE" : "normalised MAE");
                json_meta_number(fp, "with", h, "valid.pilot_with");
                json_meta_number(fp, "without", h, "valid.pilot_without");
                json_meta_number(fp, "se", h, "valid.pilot_se");
                fprintf(fp, "}");
            } else
                fprintf(fp, "null");
        }
        fprintf(fp, ", \"seconds\": ");
        cli_print_number(fp, meta_f64(h, "fit.seconds"));
        fprintf(fp, "}\n");
        return;
    }
    if (out != NULL)
        fprintf(fp, "head:        %s\n", out);
    fprintf(fp, "data:        %s (%lld series, %lld values)\n", data,
            (long long)meta_i64(h, "data.series"), (long long)meta_i64(h, "data.rows"));
    fprintf(fp, "model:       %s\n", desc);
    if (domain_why != NULL)
        fprintf(fp, "domain:      %s, chosen from the data (%s); --domain to choose another\n",
                xf_domain_name(xf_head_domain(h)), domain_why);
    if (meta_is(h, "fit.kind", "local")) {
        fprintf(fp,
                "training:    none: too few origins for a ridge head (see the note); the local "
                "model of each origin's window alone, its errors at %lld origins calibrate the "
                "intervals\n",
                (long long)meta_i64(h, "fit.windows_valid"));
    } else if (!xf_head_is_zeroshot(h)) {
        fprintf(fp,
                "training:    %lld origins (stride %lld), of which %lld held out to choose "
                "the penalty (%.3g x n)\n",
                (long long)meta_i64(h, "fit.windows"), (long long)meta_i64(h, "fit.stride"),
                (long long)meta_i64(h, "fit.windows_valid"), meta_f64(h, "fit.lambda"));
        fprintf(fp, "validation:  MSE %.4g on the normalised scale (naive forecast: %.4g)\n",
                meta_f64(h, "valid.mse"), meta_f64(h, "valid.naive_mse"));
        print_pilot(fp, h);
        print_candidates(fp, h);
        print_blend(fp, h);
    }
    if (xf_head_n_levels(h) > 0) {
        fprintf(fp, "coverage:   ");
        for (l = 0; l < xf_head_n_levels(h); l++) {
            double c;
            char lvn[40];
            snprintf(key, sizeof key, "coverage.%g", xf_head_level(h, l));
            c = meta_f64(h, key);
            cli_level_name(xf_head_level(h, l), lvn, sizeof lvn);
            if (isfinite(c))
                fprintf(fp, " %s%% interval %.1f%%;", lvn, c);
            else
                fprintf(fp, " %s%% interval n/a (too few held-out origins);", lvn);
        }
        fprintf(fp, " calibrated on the earlier half of the held-out origins, counted on the "
                    "later half\n");
    }
    if (!xf_head_is_zeroshot(h))
        fprintf(fp, "fit time:    %.2f s\n", meta_f64(h, "fit.seconds"));
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* `fit --merge PART... -o HEAD`: only -o, --format, -q and
 * --allow-missing-shards; everything else comes from the parts. */
static int cmd_fit_merge(int argc, char **argv)
{
    static const char *const own[] = {"-o", "--output", "--format", NULL};
    cli_args a;
    const char *pos, *out = NULL, **parts = NULL;
    xf_head_stats *acc = NULL, *s = NULL;
    xf_head *h = NULL;
    xf_error err;
    size_t n = 0, i;
    int kind, json = 0, quiet = 0, allow = 0, rc = CLI_USAGE;
    char data[512];
    if ((parts = calloc((size_t)argc, sizeof *parts)) == NULL) {
        cli_error("fit", "out of memory");
        return CLI_ERROR;
    }
    cli_args_init(&a, "fit", argc, argv);
    a.own = own;
    while ((kind = cli_args_next(&a, &pos)) != 0) {
        if (kind == 3) {
            cli_print_command_help("fit");
            free(parts);
            return CLI_OK;
        }
        if (kind == 2) {
            parts[n++] = pos;
            continue;
        }
        if (strcmp(a.opt, "--merge") == 0)
            continue;
        if (strcmp(a.opt, "-o") == 0 || strcmp(a.opt, "--output") == 0) {
            if ((out = cli_args_value(&a)) == NULL)
                goto done;
        } else if (strcmp(a.opt, "--format") == 0) {
            if (cli_parse_format(&a, "text", &json) != 0)
                goto done;
        } else if (strcmp(a.opt, "-q") == 0 || strcmp(a.opt, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a.opt, "--allow-missing-shards") == 0) {
            allow = 1;
        } else {
            cli_error("fit",
                      "'%s' is not accepted with --merge: the model and CSV options come from "
                      "the parts (give them to the --shard fits)",
                      a.opt);
            goto done;
        }
    }
    if (n == 0 || out == NULL) {
        cli_error("fit", "usage: xfcast fit --merge PART.xfm... -o HEAD.xfm");
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(parts[i], out) == 0) {
            cli_error("fit", "-o %s would replace one of the parts", out);
            goto done;
        }
        if (has_suffix(parts[i], ".csv") || has_suffix(parts[i], ".CSV")) {
            cli_error("fit",
                      "--merge takes the parts written by 'fit --shard I/N --stats-out', not "
                      "data ('%s')",
                      parts[i]);
            goto done;
        }
    }
    rc = CLI_ERROR;
    for (i = 0; i < n; i++) {
        int r = xf_head_stats_load(parts[i], &s, &err);
        if (r != XF_OK) {
            cli_error("fit", "%s", err.message);
            rc = cli_exit_code(r);
            goto done;
        }
        if (acc == NULL) {
            acc = s;
        } else {
            r = xf_head_stats_merge(acc, s, &err);
            xf_head_stats_free(s);
            s = NULL;
            if (r != XF_OK) {
                cli_error("fit", "%s: %s", parts[i], err.message);
                rc = cli_exit_code(r);
                goto done;
            }
        }
        s = NULL;
    }
    if ((rc = xf_head_stats_solve(acc, allow, &h, &err)) != XF_OK) {
        cli_error("fit", "%s%s", err.message,
                  rc == XF_EINVAL ? " (--allow-missing-shards to fit without them)" : "");
        rc = cli_exit_code(rc);
        goto done;
    }
    if ((rc = xf_head_save(h, out, &err)) != XF_OK) {
        cli_error("fit", "%s", err.message);
        rc = CLI_ERROR;
        goto done;
    }
    if (!quiet) {
        const char *note = NULL;
        if (xf_xfm_get_str(xf_head_meta(h), "fit.note", &note, NULL) == XF_OK)
            cli_error("fit", "note: %s", note);
        if (n == 1)
            snprintf(data, sizeof data, "%s", parts[0]);
        else
            snprintf(data, sizeof data, "%s and %zu more part(s) of %d shard(s)", parts[0], n - 1,
                     (int)xf_head_stats_n_shards(acc));
        cli_print_fit_report(stdout, h, data, out, json, NULL);
    }
    rc = CLI_OK;
done:
    xf_head_free(h);
    xf_head_stats_free(acc);
    xf_head_stats_free(s);
    free(parts);
    return rc;
}

int cmd_fit(int argc, char **argv)
{
    cli_args a;
    cli_model m;
    const char *data = NULL, *out = NULL, *source = NULL, *stats_out = NULL;
    xf_head *h = NULL;
    xf_head_stats *part = NULL;
    cli_progress prog;
    xf_error err;
    int kind, rc, json = 0;
    int32_t shard = -1, n_shards = 0;
    for (kind = 1; kind < argc; kind++)
        if (strcmp(argv[kind], "--merge") == 0)
            return cmd_fit_merge(argc, argv);
        else if (strcmp(argv[kind], "--") == 0)
            break;
    cli_model_init(&m);
    cli_args_init(&a, "fit", argc, argv);
    while ((kind = cli_model_next(&a, &m, &data)) != 0) {
        if (kind == 3) {
            cli_model_free(&m);
            return CLI_OK;
        }
        if (kind < 0)
            goto usage;
        if (strcmp(a.opt, "-o") == 0 || strcmp(a.opt, "--output") == 0) {
            if ((out = cli_args_value(&a)) == NULL)
                goto usage;
        } else if (strcmp(a.opt, "--valid-start") == 0) {
            const char *v = cli_args_value(&a);
            if (v == NULL ||
                cli_parse_point("fit", a.opt, v, &m.head.valid_start, &m.head.valid_start_row) != 0)
                goto usage;
        } else if (strcmp(a.opt, "--source") == 0) {
            if ((source = cli_args_value(&a)) == NULL)
                goto usage;
        } else if (strcmp(a.opt, "--format") == 0) {
            if (cli_parse_format(&a, "text", &json) != 0)
                goto usage;
        } else if (strcmp(a.opt, "--shard") == 0) {
            const char *v = cli_args_value(&a);
            if (v == NULL || cli_parse_shard("fit", v, 65536, &shard, &n_shards) != 0)
                goto usage;
        } else if (strcmp(a.opt, "--stats-out") == 0) {
            if ((stats_out = cli_args_value(&a)) == NULL)
                goto usage;
        } else {
            cli_error("fit", "unknown option '%s'; see 'xfcast help fit'", a.opt);
            goto usage;
        }
    }
    if ((shard >= 0) != (stats_out != NULL)) {
        cli_error("fit", "--shard I/N and --stats-out PART.xfm go together");
        goto usage;
    }
    if (stats_out != NULL) {
        if (out != NULL) {
            cli_error("fit", "a --shard fit writes its part with --stats-out, not a head (-o): "
                             "'fit --merge' makes the head");
            goto usage;
        }
        if (data == NULL) {
            cli_error("fit", "usage: xfcast fit DATA.csv --shard I/N --stats-out PART.xfm");
            goto usage;
        }
        if (strcmp(stats_out, data) == 0) {
            cli_error("fit", "--stats-out %s would replace the data", stats_out);
            goto usage;
        }
        m.head.source = source != NULL ? source : data;
        cli_model_default_domain(&m);
        if ((rc = cli_model_read("fit", data, &m, m.quiet)) != CLI_OK ||
            (rc = cli_model_load_encoders("fit", &m)) != CLI_OK)
            goto done;
        if ((rc = xf_head_stats_fit(m.panel, m.enc, m.n_enc, &m.head, shard, n_shards, &part,
                                    &err)) != XF_OK) {
            cli_error("fit", "%s: %s", data, err.message);
            rc = cli_exit_code(rc);
            goto done;
        }
        if ((rc = xf_head_stats_record_csv_options(part, &m.csv, m.ds, &err)) != XF_OK ||
            (rc = xf_head_stats_save(part, stats_out, &err)) != XF_OK) {
            cli_error("fit", "%s", err.message);
            rc = CLI_ERROR;
            goto done;
        }
        if (!m.quiet && json) {
            printf("{\"part\": ");
            cli_json_string(stdout, stats_out);
            printf(", \"data\": ");
            cli_json_string(stdout, data);
            printf(", \"shard\": %d, \"shards\": %d, \"series\": %lld, \"series_in_data\": %zu}\n",
                   (int)shard, (int)n_shards, (long long)xf_head_stats_n_series(part),
                   xf_panel_n_series(m.panel));
        } else if (!m.quiet) {
            printf("part:        %s (shard %d/%d: %lld of the %zu series of %s)\n", stats_out,
                   (int)shard, (int)n_shards, (long long)xf_head_stats_n_series(part),
                   xf_panel_n_series(m.panel), data);
        }
        rc = CLI_OK;
        goto done;
    }
    if (data == NULL || out == NULL) {
        cli_error("fit", "usage: xfcast fit DATA.csv -o HEAD.xfm [options]");
        goto usage;
    }
    /* before anything is read or written: -o must not replace an input */
    if ((rc = cli_check_model_output("fit", "-o", out, data, NULL, &m)) != CLI_OK)
        goto done;
    m.head.source = source != NULL ? source : data;
    cli_model_default_domain(&m);
    if ((rc = cli_model_read("fit", data, &m, m.quiet)) != CLI_OK ||
        (rc = cli_model_load_encoders("fit", &m)) != CLI_OK)
        goto done;
    cli_progress_start(&prog, "fit", &m.head, m.quiet);
    rc = xf_head_fit(m.panel, m.enc, m.n_enc, &m.head, &h, &err);
    cli_progress_end(&prog);
    if (rc != XF_OK) {
        cli_error("fit", "%s: %s", data, err.message);
        rc = cli_exit_code(rc);
        goto done;
    }
    if ((rc = xf_head_record_csv_options(h, &m.csv, m.ds, &err)) != XF_OK ||
        (rc = xf_head_save(h, out, &err)) != XF_OK) {
        cli_error("fit", "%s", err.message);
        rc = CLI_ERROR;
        goto done;
    }
    if (!m.quiet) {
        const char *note = NULL;
        if (xf_xfm_get_str(xf_head_meta(h), "fit.note", &note, NULL) == XF_OK)
            cli_error("fit", "note: %s", note);
        cli_print_fit_report(stdout, h, data, out, json, m.domain_auto ? m.domain_why : NULL);
    }
    rc = CLI_OK;
done:
    xf_head_free(h);
    xf_head_stats_free(part);
    cli_model_free(&m);
    return rc;
usage:
    cli_model_free(&m);
    return CLI_USAGE;
}
