/* cmd_store.c - `xfcast store list|show|rollback|forecast`: what a model
 * store holds, going back to an earlier head, and forecasting with one.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

const char cmd_store_usage[] =
    "usage: xfcast store list --store DIR [--format text|json]\n"
    "       xfcast store show NAME --store DIR [--format text|json]\n"
    "       xfcast store rollback NAME [--to VERSION] --store DIR\n"
    "       xfcast store unpin NAME --store DIR\n"
    "       xfcast store forecast NAME [DATA.csv] --store DIR [--config SOURCES.conf]\n"
    "                             [-o OUT] [--format csv|json] [--plot OUT.svg] [--horizon H]\n"
    "\n"
    "What a model store holds: list its sources with their champion version,\n"
    "last outcome and message; show one source's versions, model and status;\n"
    "roll a source back to an earlier version (default: the one before the\n"
    "current) and pin it: retrain keeps it until it finds new data or a changed\n"
    "configuration, or until unpin; forecast with a source's champion (data: DATA.csv,\n"
    "else the source's CSV from --config or from its status, read with the head's\n"
    "data spec: the source's CSV options when it was retrained; --config: its own).\n"
    "\n"
    "Exit status: 0 success, 1 error, 2 usage error, 75 the source is locked.\n";

/* One "key: value" line of a status text, or "-". */
static void status_value(const char *text, const char *key, char *out, size_t n)
{
    size_t kl = strlen(key);
    const char *p = text;
    snprintf(out, n, "-");
    while (p != NULL && *p != '\0') {
        if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
            const char *v = p + kl + 1, *e = strchr(v, '\n');
            while (*v == ' ')
                v++;
            snprintf(out, n, "%.*s", (int)(e != NULL ? e - v : (long)strlen(v)), v);
            return;
        }
        p = strchr(p, '\n');
        if (p != NULL)
            p++;
    }
}

/* The status as JSON members ("key": "value", ...), in the order given. */
static void status_json(const char *text)
{
    const char *p = text;
    int first = 1;
    putchar('{');
    while (p != NULL && *p != '\0') {
        const char *e = strchr(p, '\n'), *c = strchr(p, ':');
        size_t l = e != NULL ? (size_t)(e - p) : strlen(p);
        if (c != NULL && (size_t)(c - p) < l) {
            char key[64], val[1024];
            const char *v = c + 1;
            while (*v == ' ' && v < p + l)
                v++;
            snprintf(key, sizeof key, "%.*s", (int)(c - p), p);
            snprintf(val, sizeof val, "%.*s", (int)(p + l - v), v);
            printf("%s", first ? "" : ", ");
            cli_json_string(stdout, key);
            fputs(": ", stdout);
            cli_json_string(stdout, val);
            first = 0;
        }
        p += l + (e != NULL);
    }
    putchar('}');
}

static int store_list(xf_store *st, int json)
{
    char **names = NULL;
    size_t n = 0, i;
    xf_error err;
    if (xf_store_list(st, &names, &n, &err) != XF_OK) {
        cli_error("store", "%s", err.message);
        return CLI_ERROR;
    }
    if (json) {
        printf("{\"store\": ");
        cli_json_string(stdout, xf_store_dir(st));
        printf(", \"sources\": [");
    } else {
        printf("%-24s %8s  %-8s  %-11s  %-20s  %s\n", "source", "version", "pinned", "outcome",
               "last run", "message");
    }
    for (i = 0; i < n; i++) {
        char *text = NULL, outcome[64], when[64], msg[1024], ver[32], pin[32];
        int64_t cur = 0, pv = 0, from = 0;
        int have_cur = xf_store_current(st, names[i], &cur, NULL) == XF_OK;
        if (have_cur)
            snprintf(ver, sizeof ver, "v%lld", (long long)cur);
        else
            snprintf(ver, sizeof ver, "-");
        if (xf_store_pinned(st, names[i], &pv, &from, NULL) != XF_OK)
            pv = 0;
        if (pv > 0)
            snprintf(pin, sizeof pin, "from v%lld", (long long)from);
        else
            snprintf(pin, sizeof pin, "-");
        if (xf_store_read_status(st, names[i], &text, NULL) == XF_OK) {
            status_value(text, "outcome", outcome, sizeof outcome);
            status_value(text, "last_run", when, sizeof when);
            status_value(text, "message", msg, sizeof msg);
        } else {
            snprintf(outcome, sizeof outcome, "-");
            snprintf(when, sizeof when, "-");
            snprintf(msg, sizeof msg, "-");
        }
        if (json) {
            printf("%s{\"source\": ", i > 0 ? ", " : "");
            cli_json_string(stdout, names[i]);
            if (have_cur)
                printf(", \"current\": %lld", (long long)cur);
            else
                printf(", \"current\": null");
            printf(", \"pinned\": %s", pv > 0 ? "true" : "false");
            if (pv > 0)
                printf(", \"pinned_from\": %lld", (long long)from);
            printf(", \"status\": ");
            status_json(text);
            putchar('}');
        } else {
            printf("%-24s %8s  %-8s  %-11s  %-20s  %s\n", names[i], ver, pin, outcome, when, msg);
        }
        free(text);
    }
    if (json)
        printf("]}\n");
    xf_store_names_free(names, n);
    return CLI_OK;
}

static int store_show(xf_store *st, const char *name, int json)
{
    char *text = NULL, desc[768];
    int64_t cur = 0, *v = NULL, pv = 0, from = 0, used = 0;
    size_t n = 0, i;
    xf_head *h = NULL;
    xf_error err, warn;
    int rc, loaded;
    if (xf_store_name_check(name, &err) != XF_OK) {
        cli_error("store", "%s", err.message);
        return CLI_USAGE;
    }
    /* a damaged CURRENT is shown (as v0) with the version used instead */
    if ((rc = xf_store_current(st, name, &cur, &err)) != XF_OK && rc != XF_EFORMAT) {
        cli_error("store", "%s", err.message);
        return CLI_ERROR;
    }
    if (xf_store_pinned(st, name, &pv, &from, NULL) != XF_OK)
        pv = 0;
    if (xf_store_versions(st, name, &v, &n, NULL) != XF_OK)
        n = 0;
    loaded = xf_store_load_current(st, name, &h, &used, &warn, &err) == XF_OK;
    if (loaded)
        xf_head_describe(h, desc, sizeof desc);
    else
        snprintf(desc, sizeof desc, "cannot load: %s", err.message);
    if (loaded && warn.code != XF_OK)
        cli_error("store", "warning: %s", warn.message);
    xf_head_free(h);
    if (xf_store_read_status(st, name, &text, NULL) != XF_OK)
        text = NULL;
    if (json) {
        printf("{\"source\": ");
        cli_json_string(stdout, name);
        printf(", \"current\": %lld, \"pinned\": %s", (long long)cur, pv > 0 ? "true" : "false");
        if (loaded && used != cur)
            printf(", \"loaded\": %lld", (long long)used);
        if (pv > 0)
            printf(", \"pinned_from\": %lld", (long long)from);
        printf(", \"versions\": [");
        for (i = 0; i < n; i++)
            printf("%s%lld", i > 0 ? ", " : "", (long long)v[i]);
        printf("], \"model\": ");
        cli_json_string(stdout, loaded ? desc : "");
        if (!loaded || warn.code != XF_OK) {
            /* with a fallback: why CURRENT's version is not the one loaded */
            printf(", \"model_error\": ");
            cli_json_string(stdout, loaded ? warn.message : err.message);
        }
        printf(", \"status\": ");
        status_json(text);
        printf("}\n");
    } else {
        printf("source:      %s\n", name);
        if (loaded && used != cur)
            printf("current:     v%lld (cannot be loaded: v%lld is used)\n", (long long)cur,
                   (long long)used);
        else
            printf("current:     v%lld\n", (long long)cur);
        if (pv > 0)
            printf("pinned:      v%lld, by a rollback from v%lld (retrain keeps it until new data "
                   "or a changed configuration; 'xfcast store unpin' releases it)\n",
                   (long long)pv, (long long)from);
        printf("versions:   ");
        for (i = 0; i < n; i++)
            printf(" v%lld%s", (long long)v[i], v[i] == cur ? (pv > 0 ? "*!" : "*") : "");
        putchar('\n');
        if (loaded && warn.code != XF_OK) {
            printf("model:       cannot load: %s\n", warn.message);
            printf("used:        v%lld, %s\n", (long long)used, desc);
        } else {
            printf("model:       %s\n", desc);
        }
        if (text != NULL)
            printf("\n%s", text);
    }
    free(text);
    free(v);
    return CLI_OK;
}

static int store_rollback(xf_store *st, const char *name, int64_t to)
{
    xf_error err;
    int64_t was = 0, now = 0;
    int rc = xf_store_rollback(st, name, to, &was, &now, &err);
    if (rc != XF_OK) {
        cli_error("store", "%s", err.message);
        return rc == XF_EINVAL ? CLI_USAGE : rc == XF_EBUSY ? CLI_LOCKED : CLI_ERROR;
    }
    printf("%s: v%lld -> v%lld (pinned)\n", name, (long long)was, (long long)now);
    return CLI_OK;
}

static int store_unpin(xf_store *st, const char *name)
{
    xf_lock *lock = NULL;
    xf_error err;
    int rc, was = 0;
    int64_t *v = NULL;
    size_t n = 0;
    if (xf_store_name_check(name, &err) != XF_OK) {
        cli_error("store", "%s", err.message);
        return CLI_USAGE;
    }
    /* the lock would make the entry: check it exists first */
    if (xf_store_versions(st, name, &v, &n, &err) != XF_OK) {
        cli_error("store", "%s", err.message);
        return CLI_ERROR;
    }
    free(v);
    if ((rc = xf_store_lock(st, name, 0, &lock, &err)) != XF_OK) {
        cli_error("store", "%s", err.message);
        return rc == XF_EBUSY ? CLI_LOCKED : CLI_ERROR;
    }
    rc = xf_store_unpin(st, name, &was, &err);
    xf_store_unlock(lock);
    if (rc != XF_OK) {
        cli_error("store", "%s", err.message);
        return CLI_ERROR;
    }
    printf("%s: %s\n", name, was ? "unpinned" : "was not pinned");
    return CLI_OK;
}

/* `store forecast NAME`: the source's CSV (from --config, else the one its
 * status names, read with the head's value columns). */
static int store_forecast(xf_store *st, const char *name, const char *config, const char *data,
                          int32_t horizon, const char *out, int json, const char *plot, int quiet)
{
    xf_head *h = NULL;
    xf_source *src = NULL;
    size_t n_src = 0, i, j;
    xf_csv_options o;
    xf_dataset *ds = NULL;
    xf_panel *panel = NULL;
    xf_encoder *enc[XF_MAX_ENCODERS] = {NULL};
    char csv_path[4096] = "", *text = NULL, targets[1024] = "";
    const char *covs[XF_MAX_ENCODERS * 16];
    size_t nc = 0;
    xf_error err;
    int rc = CLI_ERROR;
    xf_csv_options_init(&o);
    {
        /* CURRENT damaged or naming a version that cannot be loaded: the
         * newest version that loads, with a warning */
        xf_error warn;
        int64_t used;
        if (xf_store_load_current(st, name, &h, &used, &warn, &err) != XF_OK) {
            cli_error("store", "%s", err.message);
            return CLI_ERROR;
        }
        if (warn.code != XF_OK)
            cli_error("store", "warning: %s", warn.message);
    }
    if (config != NULL) {
        if (xf_sources_load(config, &src, &n_src, &err) != XF_OK) {
            cli_error("store", "%s", err.message);
            goto done;
        }
        for (i = 0; i < n_src; i++)
            if (strcmp(src[i].name, name) == 0)
                break;
        if (i == n_src) {
            cli_error("store", "no source '%s' in %s", name, config);
            goto done;
        }
        o = src[i].csv_opts;
        snprintf(csv_path, sizeof csv_path, "%s", src[i].csv);
    } else {
        /* the head's data spec: read as retrain read it (older heads: defaults) */
        if (xf_head_csv_options(h, &o, &err) != XF_OK && err.code != XF_ENOTFOUND) {
            cli_error("store", "%s", err.message);
            goto done;
        }
        if (xf_store_read_status(st, name, &text, NULL) == XF_OK)
            status_value(text, "csv", csv_path, sizeof csv_path);
    }
    if (data != NULL)
        snprintf(csv_path, sizeof csv_path, "%s", data);
    if (csv_path[0] == '\0' || strcmp(csv_path, "-") == 0) {
        cli_error("store", "no data for '%s': give DATA.csv or --config", name);
        goto done;
    }
    {
        /* before anything is written: no output replaces an input */
        const char *in[2];
        in[0] = csv_path;
        in[1] = config;
        if ((rc = cli_check_output("store", "-o", out, in, 2)) != CLI_OK ||
            (rc = cli_check_output("store", "--plot", plot, in, 2)) != CLI_OK)
            goto done;
        rc = CLI_ERROR;
    }
    /* the head's value columns and covariates */
    if (o.targets == NULL) {
        const char *cols = NULL;
        if (xf_xfm_get_str(xf_head_meta(h), "data.columns", &cols, NULL) == XF_OK && cols[0])
            snprintf(targets, sizeof targets, "%s", cols);
    } else {
        snprintf(targets, sizeof targets, "%s", o.targets);
    }
    for (j = 0; j < xf_head_n_covariates(h) && nc < sizeof covs / sizeof *covs; j++) {
        covs[nc++] = xf_head_covariate_name(h, j);
        if (targets[0] != '\0' && !cli_list_has(targets, xf_head_covariate_name(h, j))) {
            size_t len = strlen(targets);
            snprintf(targets + len, sizeof targets - len, ",%s", xf_head_covariate_name(h, j));
        }
    }
    if (targets[0] != '\0')
        o.targets = targets;
    if (xf_dataset_read_csv(csv_path, &o, &ds, &err) != XF_OK ||
        xf_panel_from_dataset(ds, covs, nc, &panel, &err) != XF_OK) {
        cli_error("store", "%s", err.message);
        goto done;
    }
    for (j = 0; j < xf_head_n_encoders(h); j++)
        if (cli_load_encoder("store", xf_head_encoder_name(h, j), &enc[j]) != CLI_OK)
            goto done;
    if (xf_head_attach_encoders(h, enc, xf_head_n_encoders(h), &err) != XF_OK) {
        cli_error("store", "%s", err.message);
        goto done;
    }
    rc = cli_forecast_output("store", h, panel, csv_path,
                             horizon > 0 ? horizon : xf_head_horizon(h), out, json, plot, quiet);
done:
    for (j = 0; j < XF_MAX_ENCODERS; j++)
        xf_encoder_free(enc[j]);
    free(text);
    xf_panel_free(panel);
    xf_dataset_free(ds);
    xf_sources_free(src, n_src);
    xf_head_free(h);
    return rc;
}

int cmd_store(int argc, char **argv)
{
    cli_args a;
    const char *pos, *sub = NULL, *name = NULL, *store_dir = NULL, *config = NULL;
    const char *out = NULL, *plot = NULL, *data = NULL;
    int64_t to = 0;
    int32_t horizon = 0;
    int kind, json = 0, quiet = 0, rc, csv_given = 0, text_given = 0;
    xf_store *st = NULL;
    xf_error err;
    /* the options each subcommand takes besides --store: any other is
     * refused, never ignored */
    static const char *const own[] = {"--store", "--to",      "--config", "--output", "-o",
                                      "--plot",  "--horizon", "--format", NULL};
    const char *given[16];
    size_t n_given = 0, k;
    cli_args_init(&a, "store", argc, argv);
    a.own = own;
    while ((kind = cli_args_next(&a, &pos)) != 0) {
        const char *v;
        if (kind == 3) {
            cli_print_command_help("store");
            return CLI_OK;
        }
        if (kind == 2) {
            if (sub == NULL)
                sub = pos;
            else if (name == NULL)
                name = pos;
            else if (data == NULL && strcmp(sub, "forecast") == 0)
                data = pos;
            else {
                cli_error("store", "unexpected argument '%s'", pos);
                return CLI_USAGE;
            }
            continue;
        }
        if (strcmp(a.opt, "-q") == 0 || strcmp(a.opt, "--quiet") == 0) {
            quiet = 1;
            if (n_given < sizeof given / sizeof *given)
                given[n_given++] = "--quiet";
            continue;
        }
        if ((v = cli_args_value(&a)) == NULL)
            return CLI_USAGE;
        for (k = 0; own[k] != NULL; k++)
            if (strcmp(a.opt, own[k]) == 0 && n_given < sizeof given / sizeof *given)
                given[n_given++] = strcmp(own[k], "-o") == 0 ? "--output" : own[k];
        if (strcmp(a.opt, "--store") == 0) {
            store_dir = v;
        } else if (strcmp(a.opt, "--to") == 0) {
            char *end;
            to = strtoll(v[0] == 'v' ? v + 1 : v, &end, 10);
            if (*end != '\0' || to < 1) {
                cli_error("store", "--to takes a version number such as 3 or v3, not '%s'", v);
                return CLI_USAGE;
            }
        } else if (strcmp(a.opt, "--config") == 0) {
            config = v;
        } else if (strcmp(a.opt, "-o") == 0 || strcmp(a.opt, "--output") == 0) {
            out = v;
        } else if (strcmp(a.opt, "--plot") == 0) {
            plot = v;
        } else if (strcmp(a.opt, "--horizon") == 0) {
            char *end;
            long x = strtol(v, &end, 10);
            if (*end != '\0' || x < 1 || x > 10000) {
                cli_error("store", "--horizon takes a whole number in 1..10000, not '%s'", v);
                return CLI_USAGE;
            }
            horizon = (int32_t)x;
        } else if (strcmp(a.opt, "--format") == 0) {
            /* csv for forecasts, text for list and show (checked below) */
            if (strcmp(v, "csv") != 0 && strcmp(v, "text") != 0 && strcmp(v, "json") != 0) {
                cli_error("store", "--format takes text, csv or json, not '%s'", v);
                return CLI_USAGE;
            }
            json = v[0] == 'j';
            if (v[0] == 'c')
                csv_given = 1;
            if (v[0] == 't')
                text_given = 1;
        } else {
            cli_error("store", "unknown option '%s'; see 'xfcast help store'", a.opt);
            return CLI_USAGE;
        }
    }
    if (sub == NULL || store_dir == NULL ||
        (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 && strcmp(sub, "rollback") != 0 &&
         strcmp(sub, "unpin") != 0 && strcmp(sub, "forecast") != 0) ||
        (strcmp(sub, "list") != 0 && name == NULL)) {
        cli_error("store", "usage: xfcast store list|show NAME|rollback NAME [--to V]|unpin "
                           "NAME|forecast NAME --store DIR");
        return CLI_USAGE;
    }
    if (strcmp(sub, "list") == 0 && name != NULL) {
        cli_error("store", "unexpected argument '%s' (store list takes no name)", name);
        return CLI_USAGE;
    }
    for (k = 0; k < n_given; k++) {
        /* which subcommands take the option */
        static const struct {
            const char *opt, *subs;
        } takes[] = {{"--store", " list show rollback unpin forecast "},
                     {"--format", " list show forecast "},
                     {"--to", " rollback "},
                     {"--config", " forecast "},
                     {"--output", " forecast "},
                     {"--plot", " forecast "},
                     {"--horizon", " forecast "},
                     {"--quiet", " forecast "}};
        char word[32];
        size_t t;
        snprintf(word, sizeof word, " %s ", sub);
        for (t = 0; t < sizeof takes / sizeof *takes; t++)
            if (strcmp(given[k], takes[t].opt) == 0 && strstr(takes[t].subs, word) == NULL) {
                cli_error("store", "store %s does not take %s; see 'xfcast help store'", sub,
                          given[k]);
                return CLI_USAGE;
            }
    }
    if (csv_given && !json && strcmp(sub, "forecast") != 0) {
        cli_error("store", "--format for store %s takes text or json, not csv", sub);
        return CLI_USAGE;
    }
    if (text_given && !json && strcmp(sub, "forecast") == 0) {
        cli_error("store", "--format for store forecast takes csv or json, not text");
        return CLI_USAGE;
    }
    if (xf_store_open(store_dir, 0, &st, &err) != XF_OK) {
        cli_error("store", "%s", err.message);
        return CLI_ERROR;
    }
    if (strcmp(sub, "list") == 0)
        rc = store_list(st, json);
    else if (strcmp(sub, "show") == 0)
        rc = store_show(st, name, json);
    else if (strcmp(sub, "rollback") == 0)
        rc = store_rollback(st, name, to);
    else if (strcmp(sub, "unpin") == 0)
        rc = store_unpin(st, name);
    else
        rc = store_forecast(st, name, config, data, horizon, out, json, plot, quiet);
    xf_store_close(st);
    return rc;
}
