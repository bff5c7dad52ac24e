/* test_options.c - the option table (xfcast/options.h) walked entry by
 * entry: every option round-trips command line -> options -> head file ->
 * INI key -> options (those the head file does not record: command line
 * <-> INI, with the table's reason), the retrain fingerprint keeps the
 * value stores recorded before the table existed, the policy and levels
 * parsers, the messages, and every option appears in man/xfcast.1.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "head_internal.h"
#include "options_internal.h"
#include "testutil.h"
#include "xfcast.h"

static char tmpdir[256];

/* ------------------------------------------------------------ values */

/* A value for option o that is not its default, as the command line
 * would give it. */
static void sample_value(const xf_option *o, char *buf, size_t n)
{
    xf_head_options dh;
    xf_csv_options dc;
    xf_source ds;
    xf_option_target d;
    char dflt[256];
    xf_head_options_init(&dh);
    xf_csv_options_init(&dc);
    memset(&ds, 0, sizeof ds);
    d.head = &dh;
    d.csv = &dc;
    d.source = &ds;
    d.base_dir = NULL;
    xf_option_format(o, &d, dflt, sizeof dflt);
    switch (o->type) {
    case XF_OPT_INT:
        snprintf(buf, n, "%lld", (long long)(o->min + 7 <= o->max ? o->min + 7 : o->max));
        break;
    case XF_OPT_DOUBLE:
        snprintf(buf, n, "%.17g", o->dmin + (o->dmax - o->dmin) * 0.3125);
        break;
    case XF_OPT_FLAG:
        snprintf(buf, n, "%s", strcmp(dflt, "on") == 0 ? "off" : "on");
        break;
    case XF_OPT_ENUM: {
        const xf_option_choice *c, *pick = NULL;
        for (c = o->choices; c->name != NULL; c++)
            if (strcmp(c->name, dflt) != 0)
                pick = c;
        snprintf(buf, n, "%s", pick != NULL ? pick->name : "?");
        break;
    }
    case XF_OPT_CHAR:
        if (o->chars == NULL)
            snprintf(buf, n, "tab");
        else
            snprintf(buf, n, "%c", o->chars[strlen(o->chars) - 1]);
        break;
    case XF_OPT_STRING:
        snprintf(buf, n, "col_b");
        break;
    case XF_OPT_FREQ:
        snprintf(buf, n, "1h");
        break;
    case XF_OPT_LIST:
        snprintf(buf, n, "temp");
        break;
    case XF_OPT_LEVELS:
        snprintf(buf, n, "67.5,90");
        break;
    case XF_OPT_PATH:
        snprintf(buf, n, "data/x.csv");
        break;
    }
}

typedef struct opts {
    xf_head_options head;
    xf_csv_options csv;
    xf_source src;
    xf_option_target t;
} opts;

static void opts_init(opts *s)
{
    memset(s, 0, sizeof *s);
    xf_head_options_init(&s->head);
    xf_csv_options_init(&s->csv);
    s->t.head = &s->head;
    s->t.csv = &s->csv;
    s->t.source = &s->src;
}

static void opts_free(opts *s)
{
    free(s->src.csv);
    free(s->src.covariates);
    free(s->src.encoders);
}

/* ---------------------------------------------------------- the head */

/* Hourly load with a daily cycle and a temperature column, all positive. */
static const char *data_csv(void)
{
    static char path[300];
    FILE *fp;
    int i;
    snprintf(path, sizeof path, "%s/data.csv", tmpdir);
    if ((fp = fopen(path, "w")) == NULL)
        return NULL;
    fprintf(fp, "timestamp,load,temp\n");
    for (i = 0; i < 24 * 30; i++)
        fprintf(fp, "2024-01-%02dT%02d:00:00,%.3f,%.2f\n", 1 + i / 24, i % 24,
                50 + 10 * sin(2 * M_PI * (i % 24) / 24.0) + 0.013 * i + 2.385 * ((i * 7) % 5),
                10 + 4 * cos(2 * M_PI * (i % 24) / 24.0) + 0.1 * ((i * 3) % 7));
    return fclose(fp) == 0 ? path : NULL;
}

/* Fit a head on the data with the head options of s, save it and give the
 * text the head file records for o. */
static int head_text(const xf_option *o, const opts *s, char *buf, size_t n)
{
    const char *path = data_csv();
    xf_csv_options co;
    xf_dataset *ds = NULL;
    xf_panel *p = NULL;
    xf_head *h = NULL;
    xf_xfm *mf = NULL;
    xf_head_options ho = s->head;
    xf_error err;
    char hpath[300];
    const char *cov[1] = {"temp"};
    int rc = XF_EIO;
    snprintf(hpath, sizeof hpath, "%s/head.xfm", tmpdir);
    xf_csv_options_init(&co);
    ho.embedding = 0;
    ho.n_threads = 1;
    snprintf(err.message, sizeof err.message, "cannot write the data");
    if (path == NULL || (rc = xf_dataset_read_csv(path, &co, &ds, &err)) != XF_OK)
        goto done;
    rc = xf_panel_from_dataset(ds, cov, s->src.covariates != NULL ? 1 : 0, &p, &err);
    if (rc == XF_OK)
        rc = xf_head_fit(p, NULL, 0, &ho, &h, &err);
    /* the CSV options as given (the data itself is read with the defaults) */
    if (rc == XF_OK)
        rc = xf_head_record_csv_options(h, &s->csv, NULL, &err);
    if (rc == XF_OK)
        rc = xf_head_save(h, hpath, &err);
    if (rc == XF_OK)
        rc = xf_xfm_load(hpath, &mf, &err);
    if (rc == XF_OK)
        rc = xf_option_head_text(o, mf, buf, n, &err);
done:
    if (rc != XF_OK)
        fprintf(stderr, "%s: head: %s\n", o->name, err.message);
    xf_xfm_free(mf);
    xf_head_free(h);
    xf_panel_free(p);
    xf_dataset_free(ds);
    return rc;
}

/* ----------------------------------------------------------- the INI */

/* Load "[s]\ncsv = x.csv\nKEY = VALUE\n" and format o from the source. */
static int ini_text(const xf_option *o, const char *key, const char *value, char *buf, size_t n)
{
    char path[300], text[600];
    xf_source *src = NULL;
    size_t n_src = 0;
    xf_option_target t;
    xf_error err;
    int rc;
    snprintf(path, sizeof path, "%s/s.conf", tmpdir);
    if (strcmp(key, "csv") == 0)
        snprintf(text, sizeof text, "[s]\n%s = %s\n", key, value);
    else
        snprintf(text, sizeof text, "[defaults]\ncsv = x.csv\n[s]\n%s = %s\n", key, value);
    if (tu_write_file(path, text, strlen(text)) != 0)
        return XF_EIO;
    if ((rc = xf_sources_load(path, &src, &n_src, &err)) != XF_OK) {
        fprintf(stderr, "%s: INI '%s = %s': %s\n", o->name, key, value, err.message);
        return rc;
    }
    t.head = &src[0].head;
    t.csv = &src[0].csv_opts;
    t.source = &src[0];
    t.base_dir = NULL;
    xf_option_format(o, &t, buf, n);
    xf_sources_free(src, n_src);
    return XF_OK;
}

/* ------------------------------------------------------ round trips */

static void test_round_trips(void)
{
    size_t n, i, n_head = 0, n_cli = 0, n_ini = 0;
    const xf_option *tab = xf_options(&n);
    for (i = 0; i < n; i++) {
        const xf_option *o = &tab[i];
        char value[256], cli[256], ini[256], arg[80];
        opts s;
        int off;
        xf_error err;
        sample_value(o, value, sizeof value);
        opts_init(&s);
        if (!(o->flags & XF_OPT_INI_ONLY)) {
            /* the command line: the option found by its spelling, its value stored */
            snprintf(arg, sizeof arg, "--%s", o->name);
            CHECK_MSG(xf_option_find_cli(arg, &off) == o && off == 0, "%s", arg);
            CHECK_MSG(xf_option_set(o, arg, value, &s.t, &err) == XF_OK, "%s %s: %s", arg, value,
                      err.message);
            xf_option_format(o, &s.t, cli, sizeof cli);
            if (o->type == XF_OPT_DOUBLE || o->type == XF_OPT_CHAR)
                CHECK_MSG(strtod(cli, NULL) == strtod(value, NULL) || strcmp(cli, value) == 0,
                          "%s %s reads back as '%s'", arg, value, cli);
            else
                CHECK_MSG(strcmp(cli, value) == 0, "%s %s reads back as '%s'", arg, value, cli);
            n_cli++;
        } else {
            CHECK_MSG(xf_option_find_cli(o->name, &off) == NULL, "%s: INI only", o->name);
            snprintf(cli, sizeof cli, "%s", value);
        }
        /* the head file */
        if (o->head_key != NULL) {
            char head[256] = "";
            CHECK_MSG(!(o->flags & XF_OPT_INI_ONLY), "%s: in heads but not a fit option", o->name);
            if (head_text(o, &s, head, sizeof head) == XF_OK) {
                CHECK_MSG(strcmp(head, cli) == 0, "--%s %s: the head file records '%s'", o->name,
                          value, head);
                n_head++;
            } else {
                CHECK_MSG(0, "--%s %s: no head", o->name, value);
            }
        } else {
            CHECK_MSG(o->not_in_head != NULL && o->not_in_head[0] != '\0',
                      "%s: neither a head key nor a reason", o->name);
        }
        /* the INI file, by its name and by its older key */
        if (!(o->flags & XF_OPT_CLI_ONLY)) {
            const char *keys[2];
            size_t k;
            keys[0] = o->name;
            keys[1] = o->ini_alias;
            CHECK_MSG(xf_option_find_ini(o->name) == o, "%s", o->name);
            for (k = 0; k < 2 && keys[k] != NULL; k++) {
                CHECK_MSG(xf_option_find_ini(keys[k]) == o, "%s", keys[k]);
                if (ini_text(o, keys[k], cli, ini, sizeof ini) != XF_OK) {
                    CHECK_MSG(0, "%s = %s not read", keys[k], cli);
                    continue;
                }
                if (o->type == XF_OPT_PATH) {
                    /* made absolute against the INI file's directory */
                    size_t li = strlen(ini), lv = strlen(cli);
                    CHECK_MSG(ini[0] == '/' && li > lv && strcmp(ini + li - lv, cli) == 0 &&
                                  ini[li - lv - 1] == '/',
                              "%s = %s reads back as '%s'", keys[k], cli, ini);
                } else {
                    CHECK_MSG(strcmp(ini, cli) == 0, "%s = %s reads back as '%s'", keys[k], cli,
                              ini);
                }
                n_ini++;
            }
        } else {
            CHECK_MSG(xf_option_find_ini(o->name) == NULL, "%s: not an INI key", o->name);
            CHECK_MSG(o->not_hashed != NULL && o->not_in_head != NULL,
                      "%s: command line only, without a reason", o->name);
        }
        CHECK_MSG(o->type != XF_OPT_FLAG || o->off_text != NULL, "%s: flag without off text",
                  o->name);
        /* every option says whether the retrain fingerprint covers it */
        CHECK_MSG(o->hash != XF_OPT_HASH_NO || (o->not_hashed != NULL && o->not_hashed[0]),
                  "%s: not fingerprinted, without a reason", o->name);
        CHECK_MSG(o->help != NULL && o->help[0] != '\0' && o->dflt != NULL, "%s: no help", o->name);
        opts_free(&s);
    }
    printf("round trips: %zu options, %zu on the command line, %zu through a head file, "
           "%zu INI keys\n",
           n, n_cli, n_head, n_ini);
    CHECK(n_head >= 10);
}

/* Off spellings and flags without a value, as the CLI gives them. */
static void test_spellings(void)
{
    static const struct {
        const char *arg, *name, *text;
    } cases[] = {{"--no-lags", "lags", "0"},
                 {"--std-scale", "seasonal-scale", "off"},
                 {"--no-calendar", "calendar", "off"},
                 {"--no-log", "log", "off"},
                 {"--no-history", "history", "off"},
                 {"--no-penalty-per-step", "penalty-per-step", "off"}};
    size_t i;
    int off;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const xf_option *o = xf_option_find_cli(cases[i].arg, &off);
        opts s;
        char buf[64];
        xf_error err;
        CHECK_MSG(o != NULL && strcmp(o->name, cases[i].name) == 0 && off == 1, "%s", cases[i].arg);
        if (o == NULL)
            continue;
        opts_init(&s);
        CHECK(xf_option_set(o, cases[i].arg, o->off_text, &s.t, &err) == XF_OK);
        xf_option_format(o, &s.t, buf, sizeof buf);
        CHECK_STR(buf, cases[i].text);
    }
    CHECK(xf_option_find_cli("--no-horizon", &off) == NULL); /* not a flag */
    CHECK(xf_option_find_cli("--csv", &off) == NULL);        /* INI only */
    CHECK(xf_option_find_cli("lags", &off) == NULL);         /* no dashes */
    CHECK(xf_option_find_ini("threads") == NULL);            /* command line only */
    CHECK(xf_option_find_ini("horzion") == NULL);
}

/* TAB as a delimiter: every spelling, on the command line and in INI. */
static void test_tab(void)
{
    static const char *const spellings[] = {"tab", "TAB", "\\t"};
    const xf_option *o = xf_option_find_ini("delimiter");
    size_t i;
    for (i = 0; i < 3; i++) {
        opts s;
        char buf[16];
        xf_error err;
        opts_init(&s);
        CHECK(xf_option_set(o, "--delimiter", spellings[i], &s.t, &err) == XF_OK);
        CHECK_INT(s.csv.delimiter, '\t');
        CHECK(ini_text(o, "delimiter", spellings[i], buf, sizeof buf) == XF_OK);
        CHECK_STR(buf, "tab");
    }
}

/* ------------------------------------------------------------ errors */

static void test_errors(void)
{
    static const struct {
        const char *as, *value, *message;
    } cases[] = {
        {"--gaps", "sometimes", "--gaps takes keep, interpolate or error, not 'sometimes'"},
        {"duplicates", "first", "duplicates takes error, last or mean, not 'first'"},
        {"--decimal", ";", "--decimal takes '.' or ',', not ';'"},
        {"--delimiter", "ab", "--delimiter takes one character (or 'tab'), not 'ab'"},
        {"--delimiter", "\"", "--delimiter takes one character (or 'tab'), not '\"'"},
        {"--horizon", "0", "--horizon 0 is below the minimum 1"},
        {"--horizon", "10001", "--horizon 10001 exceeds the limit 10000"},
        {"horizon", "10001", "horizon 10001 exceeds the limit 10000"},
        {"season", "2000000", "season 2000000 exceeds the limit 1000000"},
        {"--lags", "99999999999999999999", "--lags 99999999999999999999 exceeds the limit 100000"},
        {"holdout", "100000001", "holdout 100000001 exceeds the limit 100000000"},
        {"holdout", "1e8", "holdout takes a whole number in 1..100000000, not '1e8'"},
        {"--lags", "3x", "--lags takes a whole number in 0..100000, not '3x'"},
        {"--valid-fraction", "1", "--valid-fraction takes a number in (0, 1), not '1'"},
        {"tolerance", "-0.5", "tolerance takes a number in [0, 10), not '-0.5'"},
        {"--levels", "80,120", "--levels: '120' is not a percentage in (0, 100)"},
        {"--levels", "80,,95",
         "--levels: expected up to 8 percentages like 80,95 (or none), "
         "not '80,,95'"},
        {"calendar", "yes", "calendar takes on or off, not 'yes'"},
        {"--domain", "finance",
         "--domain takes generic, stock, weather or energy, not "
         "'finance'"},
        {"--baseline", "drift", "--baseline takes none, naive, seasonal or local, not 'drift'"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *name = cases[i].as + (cases[i].as[0] == '-' ? 2 : 0);
        const xf_option *o = xf_option_find_ini(name);
        opts s;
        xf_error err;
        opts_init(&s);
        CHECK_MSG(o != NULL, "%s", name);
        if (o == NULL)
            continue;
        CHECK_INT(xf_option_set(o, cases[i].as, cases[i].value, &s.t, &err), XF_EINVAL);
        CHECK_STR(err.message, cases[i].message);
    }
    {
        /* an option whose structure the caller does not have */
        xf_option_target t;
        xf_error err;
        memset(&t, 0, sizeof t);
        CHECK_INT(xf_option_set(xf_option_find_ini("lags"), NULL, "3", &t, &err), XF_EINVAL);
        CHECK_STR(err.message, "lags cannot be set here");
    }
    {
        /* an INI value error names the file, the section and the key */
        char path[300];
        const char *text = "[defaults]\nhorizon = 24\n[meter]\ncsv = m.csv\ngaps = never\n";
        xf_source *src = NULL;
        size_t n = 0;
        xf_error err;
        char want[400];
        snprintf(path, sizeof path, "%s/bad.conf", tmpdir);
        CHECK(tu_write_file(path, text, strlen(text)) == 0);
        CHECK_INT(xf_sources_load(path, &src, &n, &err), XF_EINVAL);
        snprintf(want, sizeof want,
                 "%s:5: [meter] gaps takes keep, interpolate or error, "
                 "not 'never'",
                 path);
        CHECK_STR(err.message, want);
        CHECK(src == NULL && n == 0);
    }
}

/* The INI reader: what libinih would cut or merge silently is an error
 * naming the line (and the earlier line it repeats); the limits are the
 * table's, with the file and line. */
static void test_ini_limits(void)
{
    static const struct {
        const char *text, *message; /* the message after "PATH:" */
    } cases[] = {
        {"[a]\ncsv = x.csv\nseason = 2000000\n", "3: [a] season 2000000 exceeds the limit 1000000"},
        {"[a]\ncsv = x.csv\nhorizon = 10001\n", "3: [a] horizon 10001 exceeds the limit 10000"},
        {"[defaults]\nholdout = 100000001\n[a]\ncsv = x.csv\n",
         "2: [defaults] holdout 100000001 exceeds the limit 100000000"},
        {"[a]\ncsv = x.csv\n[b]\ncsv = y.csv\n[a]\nhorizon = 3\n",
         "5: section [a] repeats the one at line 1 (one section per source: merge them)"},
        {"[defaults]\nhorizon = 3\n[defaults]\nlags = 3\n",
         "3: section [defaults] repeats the one at line 1 (one section per source: merge them)"},
        {"[a]\ncsv = x.csv\nhorizon = 3\n\nhorizon = 4\n", "5: [a]: key 'horizon' repeats line 3"},
        {"[a]\ntime = t\ncsv = x.csv\ntime-col = u\n",
         "4: [a]: key 'time-col' repeats 'time' of line 2 (the same option)"},
        {"[a]\n  csv = x.csv\n  horizon = 3\n",
         "3: [a]: this indented line would continue the value of 'csv' (line 2); values are one "
         "line: remove the indentation"},
        {"horizon = 3\n[a]\ncsv = x.csv\n",
         "1: key 'horizon' outside any section (put it under [defaults] or a source)"},
        {"[a]\ncsv = x.csv\n[b]\n", "3: [b] has no 'csv' key"},
        {"[a]\ncsv = x.csv\nhorizon = 3\nthis is not ini\n",
         "4: not INI syntax (expected [section] or key = value)"},
        {"[a]\ncsv = x\0y.csv\n", " line 2 contains a NUL byte (not a text file?)"},
    };
    char path[300], want[600], text[1024];
    xf_source *src = NULL;
    size_t n = 0, i;
    xf_error err;
    snprintf(path, sizeof path, "%s/lim.conf", tmpdir);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].text);
        if (strstr(cases[i].message, "NUL") != NULL)
            len = strlen(cases[i].text) + 1 + strlen(cases[i].text + strlen(cases[i].text) + 1);
        CHECK(tu_write_file(path, cases[i].text, len) == 0);
        memset(&err, 0, sizeof err);
        CHECK_MSG(xf_sources_load(path, &src, &n, &err) != XF_OK, "case %zu loaded", i);
        snprintf(want, sizeof want, "%s:%s", path, cases[i].message);
        CHECK_STR(err.message, want);
        CHECK(src == NULL && n == 0);
    }
    /* the line limit: 197 characters pass, 198 are named (libinih would
     * read the rest of the line as another line) */
    for (i = XF__LIM_INI_LINE; i <= XF__LIM_INI_LINE + 1; i++) {
        int k = snprintf(text, sizeof text, "[a]\ncsv = x.csv\n;");
        memset(text + k, 'x', i - 1);
        snprintf(text + k + i - 1, sizeof text - (size_t)k - i + 1, "\r\nhorizon = 3\n");
        CHECK(tu_write_file(path, text, strlen(text)) == 0);
        if (i == XF__LIM_INI_LINE) {
            CHECK_MSG(xf_sources_load(path, &src, &n, &err) == XF_OK, "%s", err.message);
            CHECK(n == 1 && src[0].head.horizon == 3);
            xf_sources_free(src, n);
        } else {
            CHECK_INT(xf_sources_load(path, &src, &n, &err), XF_EPARSE);
            snprintf(want, sizeof want,
                     "%s: line 3 is longer than the INI limit of %d characters (%zu)", path,
                     XF__LIM_INI_LINE, i);
            CHECK_STR(err.message, want);
        }
    }
    /* names longer than libinih keeps (49 bytes) are kept in full: two
     * sources sharing their first 49 bytes stay two, each with its data,
     * the [defaults] after them applied to both; 100 bytes (the store's
     * limit) pass */
    {
        char a[101], b[101], c[101];
        memset(a, 'n', 60);
        memcpy(b, a, 60);
        a[59] = 'a';
        b[59] = 'b';
        a[60] = b[60] = '\0';
        memset(c, 'c', 100);
        c[100] = '\0';
        snprintf(text, sizeof text,
                 "[%s]\ncsv = a.csv\n[%s]\ncsv = b.csv\nhorizon = 5\n[%s]\ncsv = c.csv\n"
                 "[defaults]\nhorizon = 7\nlags = 9\n",
                 a, b, c);
        CHECK(tu_write_file(path, text, strlen(text)) == 0);
        CHECK_MSG(xf_sources_load(path, &src, &n, &err) == XF_OK, "%s", err.message);
        CHECK_INT(n, 3);
        if (n == 3) {
            CHECK_STR(src[0].name, a);
            CHECK_STR(src[1].name, b);
            CHECK_STR(src[2].name, c);
            CHECK(strstr(src[0].csv, "/a.csv") != NULL && strstr(src[1].csv, "/b.csv") != NULL);
            CHECK_INT(src[0].head.horizon, 7);
            CHECK_INT(src[1].head.horizon, 5);
            CHECK_INT(src[2].head.n_lags, 9);
        }
        xf_sources_free(src, n);
        /* 101 bytes: the store's limit, at the section's line */
        snprintf(text, sizeof text, "[a]\ncsv = a.csv\n[%sx]\ncsv = b.csv\n", c);
        CHECK(tu_write_file(path, text, strlen(text)) == 0);
        CHECK_INT(xf_sources_load(path, &src, &n, &err), XF_EINVAL);
        snprintf(want, sizeof want,
                 "%s:3: source name '%.60s...' is 101 bytes long; the limit is 100", path, c);
        CHECK_STR(err.message, want);
    }
    /* many sources load in linear time (a search of the sources per key
     * made 40000 take 44 s): 20000 well under the bound even sanitized */
    {
        FILE *fp = fopen(path, "w");
        struct timespec t0, t1;
        double secs;
        CHECK(fp != NULL);
        if (fp == NULL)
            return;
        fprintf(fp, "[defaults]\nencoder = none\n");
        for (i = 0; i < 20000; i++)
            fprintf(fp, "[s%06zu]\ncsv = d.csv\nhorizon = %zu\n", i, 1 + i % 24);
        CHECK(fclose(fp) == 0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        CHECK_MSG(xf_sources_load(path, &src, &n, &err) == XF_OK, "%s", err.message);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        CHECK_INT(n, 20000);
        CHECK(n == 20000 && strcmp(src[19999].name, "s019999") == 0 &&
              src[19999].head.horizon == 1 + 19999 % 24 &&
              strcmp(src[19999].encoders, "none") == 0);
        CHECK_MSG(secs < 20, "20000 sources took %.1f s", secs);
        xf_sources_free(src, n);
    }
    unlink(path);
}

/* A head that its loader would refuse is never committed: a fit refuses
 * the values past the limits, and xf_store_commit loads the file it wrote
 * back before making it current (here a head whose season was set past
 * the limit behind the fit's back). */
static void test_commit_unloadable(void)
{
    const char *path = data_csv();
    xf_csv_options co;
    xf_dataset *ds = NULL;
    xf_panel *p = NULL;
    xf_head *h = NULL;
    xf_head_options ho;
    xf_store *st = NULL;
    xf_error err;
    int64_t v = 0, cur = 0, *vs = NULL;
    size_t nv = 0;
    char sdir[300], cmd[400];
    CHECK(path != NULL);
    if (path == NULL)
        return;
    snprintf(sdir, sizeof sdir, "%s/commit-store", tmpdir);
    xf_csv_options_init(&co);
    xf_head_options_init(&ho);
    ho.embedding = 0;
    CHECK(xf_dataset_read_csv(path, &co, &ds, &err) == XF_OK);
    CHECK(ds != NULL && xf_panel_from_dataset(ds, NULL, 0, &p, &err) == XF_OK);
    CHECK(p != NULL && xf_head_fit(p, NULL, 0, &ho, &h, &err) == XF_OK);
    CHECK(xf_store_open(sdir, 1, &st, &err) == XF_OK);
    if (h == NULL || st == NULL)
        goto done;
    CHECK_MSG(xf_store_commit(st, "s", h, 1, &v, &err) == XF_OK && v == 1, "%s", err.message);
    h->season = XF__LIM_SEASON_MAX + 1;
    CHECK_INT(xf_store_commit(st, "s", h, 1, &v, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "does not load back") != NULL &&
                  strstr(err.message, "head.season") != NULL,
              "%s", err.message);
    CHECK_INT(v, 0);
    CHECK(xf_store_current(st, "s", &cur, &err) == XF_OK && cur == 1);
    CHECK(xf_store_versions(st, "s", &vs, &nv, &err) == XF_OK && nv == 1 && vs[0] == 1);
    free(vs);
done:
    xf_store_close(st);
    xf_head_free(h);
    xf_panel_free(p);
    xf_dataset_free(ds);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", sdir);
    CHECK(system(cmd) == 0);
}

/* What a head file lacks is XF_ENOTFOUND, not a made-up value. */
static void test_head_missing(void)
{
    xf_xfm *mf = NULL;
    char buf[64];
    xf_error err;
    CHECK(xf_xfm_new("head", &mf) == XF_OK);
    if (mf == NULL)
        return;
    CHECK_INT(xf_option_head_text(xf_option_find_ini("select"), mf, buf, sizeof buf, &err),
              XF_ENOTFOUND);
    CHECK(strstr(err.message, "does not record select") != NULL);
    CHECK_INT(xf_option_head_text(xf_option_find_ini("gaps"), mf, buf, sizeof buf, &err),
              XF_ENOTFOUND); /* recorded since the data spec, absent from older heads */
    CHECK_INT(xf_option_head_text(xf_option_find_ini("lags"), mf, buf, sizeof buf, &err),
              XF_ENOTFOUND);
    CHECK_INT(xf_option_head_text(xf_option_find_ini("covariate"), mf, buf, sizeof buf, &err),
              XF_ENOTFOUND);
    CHECK(xf_xfm_set_i64(mf, "head.baseline", 24) == XF_OK);
    CHECK(xf_option_head_text(xf_option_find_ini("baseline"), mf, buf, sizeof buf, &err) == XF_OK);
    CHECK_STR(buf, "seasonal");
    CHECK(xf_xfm_set_i64(mf, "head.baseline", 1) == XF_OK);
    CHECK(xf_option_head_text(xf_option_find_ini("baseline"), mf, buf, sizeof buf, &err) == XF_OK);
    CHECK_STR(buf, "naive");
    xf_xfm_free(mf);
}

static void test_parsers(void)
{
    double lv[XF_MAX_LEVELS];
    size_t n = 99;
    xf_gap_policy g;
    xf_dup_policy d;
    xf_error err;
    CHECK(xf_levels_parse("67.5,90,99.25", lv, &n, &err) == XF_OK);
    CHECK_INT(n, 3);
    CHECK(lv[0] == 67.5 && lv[1] == 90 && lv[2] == 99.25);
    CHECK(xf_levels_parse("none", lv, &n, &err) == XF_OK);
    CHECK_INT(n, 0);
    n = 5;
    CHECK_INT(xf_levels_parse("", lv, &n, &err), XF_EINVAL);
    CHECK_INT(xf_levels_parse("0", lv, &n, &err), XF_EINVAL);
    CHECK_INT(xf_levels_parse("1,2,3,4,5,6,7,8,9", lv, &n, &err), XF_EINVAL);
    CHECK_INT(n, 5); /* untouched on failure */
    CHECK(xf_levels_parse("1,2,3,4,5,6,7,8", lv, &n, &err) == XF_OK && n == 8);
    CHECK(xf_gap_policy_parse("interpolate", &g, &err) == XF_OK && g == XF_GAPS_INTERPOLATE);
    CHECK(xf_gap_policy_parse("keep", &g, &err) == XF_OK && g == XF_GAPS_KEEP);
    CHECK_INT(xf_gap_policy_parse("Keep", &g, &err), XF_EINVAL);
    CHECK_STR(err.message, "unknown gap policy 'Keep' (expected keep, interpolate or error)");
    CHECK(xf_dup_policy_parse("mean", &d, &err) == XF_OK && d == XF_DUPS_MEAN);
    CHECK_INT(xf_dup_policy_parse(NULL, &d, &err), XF_EINVAL);
    CHECK_STR(xf_gap_policy_name(XF_GAPS_ERROR), "error");
    CHECK_STR(xf_dup_policy_name(XF_DUPS_LAST), "last");
    CHECK_STR(xf_gap_policy_name((xf_gap_policy)42), "unknown");
}

/* ------------------------------------------------------ fingerprint */

/* The fingerprint as retrain.c computed it before the option table: the
 * value every existing store recorded (store.config). */
static uint64_t legacy_hash(const xf_source *src)
{
    char buf[2048];
    const xf_head_options *h = &src->head;
    const xf_csv_options *c = &src->csv_opts;
    uint64_t x = 0xcbf29ce484222325ULL;
    size_t i, n;
    n = (size_t)snprintf(buf, sizeof buf, "%s|%s|%s|%s|%s|%s|%s|%d|%d|%d|%d|%d|%d|%lld|%d|%d",
                         c->time_col ? c->time_col : "", c->targets ? c->targets : "",
                         c->id_col ? c->id_col : "", c->freq ? c->freq : "",
                         src->covariates ? src->covariates : "", src->encoders ? src->encoders : "",
                         xf_domain_name(h->domain), (int)h->horizon, (int)h->n_lags, (int)h->season,
                         (int)c->gaps, (int)c->delimiter, (int)c->decimal,
                         (long long)h->max_windows, (int)h->n_levels, (int)h->calendar);
    for (i = 0; i < h->n_levels; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "|%g", h->levels[i]);
    for (i = 0; i < n && i < sizeof buf; i++) {
        x ^= (unsigned char)buf[i];
        x *= 0x100000001b3ULL;
    }
    return x;
}

static void test_fingerprint(void)
{
    static const char *const configs[] = {
        "[a]\ncsv = a.csv\n",
        "[defaults]\nhorizon = 24\nlevels = 50,80,95.5\n[b]\ncsv = b.csv\ntime = ts\n"
        "target = load,kw\nid = meter\nfreq = 1h\ncovariates = temp,hdd\n"
        "encoder = gru-base,tcn-base\ndomain = energy\nlags = 168\nseason = 24\n"
        "gaps = interpolate\ndelimiter = |\ndecimal = ,\nmax_windows = 5000\ncalendar = off\n"
        "holdout = 96\ntolerance = 0.05\nkeep = 3\non_corrupt = skip\nduplicates = mean\n"
        "time_format = iso\nna_values = ,-\n",
        "[c]\ncsv = c.csv\nlevels = none\ndelimiter = tab\nencoder = none\ndomain = stock\n",
    };
    char path[300];
    size_t i;
    uint64_t prev = 0;
    snprintf(path, sizeof path, "%s/fp.conf", tmpdir);
    for (i = 0; i < sizeof configs / sizeof configs[0]; i++) {
        xf_source *src = NULL;
        size_t n = 0;
        xf_error err;
        CHECK(tu_write_file(path, configs[i], strlen(configs[i])) == 0);
        CHECK_MSG(xf_sources_load(path, &src, &n, &err) == XF_OK, "config %zu: %s", i, err.message);
        if (src == NULL)
            continue;
        CHECK_MSG(xf__option_fingerprint(&src[0]) == legacy_hash(&src[0]),
                  "config %zu: fingerprint %016llx, stores recorded %016llx", i,
                  (unsigned long long)xf__option_fingerprint(&src[0]),
                  (unsigned long long)legacy_hash(&src[0]));
        CHECK(xf__option_fingerprint(&src[0]) != prev);
        prev = xf__option_fingerprint(&src[0]);
        /* an option fingerprinted since the table: it counts when set */
        {
            xf_option_target t;
            uint64_t before = xf__option_fingerprint(&src[0]);
            t.head = &src[0].head;
            t.csv = &src[0].csv_opts;
            t.source = &src[0];
            t.base_dir = NULL;
            CHECK(xf_option_set(xf_option_find_ini("baseline"), NULL, "naive", &t, &err) == XF_OK);
            CHECK(xf__option_fingerprint(&src[0]) != before);
            CHECK(xf_option_set(xf_option_find_ini("history"), NULL, "on", &t, &err) == XF_OK);
            CHECK(xf__option_fingerprint(&src[0]) != before);
            /* not fingerprinted: how retrain keeps heads */
            before = xf__option_fingerprint(&src[0]);
            CHECK(xf_option_set(xf_option_find_ini("keep"), NULL, "9", &t, &err) == XF_OK);
            CHECK(xf__option_fingerprint(&src[0]) == before);
        }
        xf_sources_free(src, n);
    }
}

/* ------------------------------------------------------------- help */

static void test_help(void)
{
    char buf[8192];
    size_t n = xf_options_help("Model", buf, sizeof buf), m;
    CHECK(n > 0 && n < sizeof buf);
    CHECK(strncmp(buf, "Model options:\n", 15) == 0);
    CHECK(strstr(buf, "\n  --lags N             last values used as features") != NULL);
    CHECK(strstr(buf, "\n  --log / --no-log     model log values") != NULL);
    CHECK(strstr(buf, "--csv") == NULL && strstr(buf, "--holdout") == NULL);
    m = xf_options_help("CSV", buf, 10); /* cut: still the full length */
    CHECK(m > 10 && strlen(buf) == 9);
    CHECK(xf_options_help("CSV", buf, sizeof buf) == m);
    CHECK(strstr(buf, "\n  --delimiter C        field separator") != NULL);
    CHECK(strstr(buf, "--horizon") == NULL);
}

/* ---------------------------------------------------------- man page */

/* Every command-line spelling and every INI key of the table appears in
 * man/xfcast.1 (hyphens unescaped). */
static void test_man_page(void)
{
    const char *srcdir = getenv("XF_SRCDIR");
    char path[512];
    char *text = NULL, *q;
    const char *p;
    size_t n, i, len = 0, cap = 0;
    const xf_option *tab = xf_options(&n);
    FILE *fp;
    int c;
    snprintf(path, sizeof path, "%s/man/xfcast.1", srcdir != NULL ? srcdir : ".");
    if ((fp = fopen(path, "r")) == NULL) {
        CHECK_MSG(0, "cannot open %s", path);
        return;
    }
    while ((c = fgetc(fp)) != EOF) {
        if (len + 2 > cap) {
            char *t = realloc(text, cap = 2 * cap + 4096);
            if (t == NULL) {
                CHECK(0);
                free(text);
                fclose(fp);
                return;
            }
            text = t;
        }
        text[len++] = (char)c;
    }
    fclose(fp);
    if (text == NULL)
        return;
    text[len] = '\0';
    for (p = text, q = text; *p != '\0'; p++) /* "\-" is a hyphen */
        if (!(p[0] == '\\' && p[1] == '-'))
            *q++ = *p;
    *q = '\0';
    for (i = 0; i < n; i++) {
        const xf_option *o = &tab[i];
        char word[80];
        const char *spellings[2];
        size_t k;
        spellings[0] = o->name;
        spellings[1] = o->off_name;
        for (k = 0; k < 2; k++) {
            const char *hit;
            int found = 0;
            if (spellings[k] == NULL)
                continue;
            snprintf(word, sizeof word, (o->flags & XF_OPT_INI_ONLY) ? "%s" : "--%s", spellings[k]);
            for (hit = strstr(text, word); hit != NULL && !found; hit = strstr(hit + 1, word)) {
                char after = hit[strlen(word)];
                char before = hit > text ? hit[-1] : ' ';
                found = !(after == '-' || (after >= 'a' && after <= 'z')) &&
                        !(before == '-' || (before >= 'a' && before <= 'z'));
            }
            CHECK_MSG(found, "%s is not in %s", word, path);
        }
    }
    /* the LIMITS section lists the limits as `xfcast help limits` does,
     * line for line: each line of xf_limits_help after its heading */
    {
        char lim[8192], *line, *save = NULL;
        size_t m = xf_limits_help(lim, sizeof lim);
        int k = 0;
        CHECK(m < sizeof lim);
        CHECK(strstr(text, ".SH LIMITS") != NULL);
        for (line = strtok_r(lim, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
            if (k++ >= 2)
                CHECK_MSG(strstr(text, line) != NULL, "man page LIMITS lacks '%s'", line);
        CHECK(k > 10);
    }
    free(text);
}

/* ---------------------------------------------------- the data spec */

/* A head records how its data was read (what the reader decided, not
 * "detect"), and gives it back as options that read the file alike. */
static void test_data_spec(void)
{
    const char *path = data_csv();
    xf_csv_options co, got;
    xf_dataset *ds = NULL, *ds2 = NULL;
    xf_panel *p = NULL;
    xf_head *h = NULL, *g = NULL;
    xf_head_options ho;
    xf_error err;
    char hpath[300];
    const char *cov[1] = {"temp"};
    CHECK(path != NULL);
    if (path == NULL)
        return;
    snprintf(hpath, sizeof hpath, "%s/spec.xfm", tmpdir);
    xf_csv_options_init(&co);
    co.gaps = XF_GAPS_INTERPOLATE;
    co.na_values = "NA,-999";
    xf_head_options_init(&ho);
    ho.embedding = 0;
    ho.n_threads = 1;
    CHECK(xf_dataset_read_csv(path, &co, &ds, &err) == XF_OK);
    CHECK(ds != NULL && xf_panel_from_dataset(ds, cov, 1, &p, &err) == XF_OK);
    CHECK(p != NULL && xf_head_fit(p, NULL, 0, &ho, &h, &err) == XF_OK);
    if (h == NULL)
        goto done;
    /* no spec yet: XF_ENOTFOUND, *out at the defaults */
    xf_csv_options_init(&got);
    got.delimiter = ';';
    CHECK_INT(xf_head_csv_options(h, &got, &err), XF_ENOTFOUND);
    CHECK(strstr(err.message, "no data spec") != NULL);
    CHECK(got.delimiter == '\0' && got.targets == NULL && got.struct_size == sizeof got);
    /* recorded with the dataset: the reader's decisions */
    CHECK(xf_head_record_csv_options(h, &co, ds, &err) == XF_OK);
    CHECK(xf_head_save(h, hpath, &err) == XF_OK);
    CHECK(xf_head_load(hpath, &g, &err) == XF_OK);
    if (g == NULL)
        goto done;
    xf_csv_options_init(&got);
    CHECK_INT(xf_head_csv_options(g, &got, &err), XF_OK);
    CHECK(got.delimiter == ',' && got.decimal == '.');
    CHECK(got.time_col != NULL && strcmp(got.time_col, "timestamp") == 0);
    CHECK(got.time_format == NULL && got.freq == NULL);
    /* read wide: recorded as --id-col none, so that no id column is detected later */
    CHECK(got.id_col != NULL && strcmp(got.id_col, "none") == 0);
    CHECK(got.targets != NULL && strcmp(got.targets, "load,temp") == 0);
    CHECK(got.na_values != NULL && strcmp(got.na_values, "NA,-999") == 0);
    CHECK(got.gaps == XF_GAPS_INTERPOLATE && got.duplicates == XF_DUPS_ERROR);
    /* the spec reads the file as the fit did */
    CHECK(xf_dataset_read_csv(path, &got, &ds2, &err) == XF_OK);
    CHECK(ds2 != NULL && xf_dataset_n_series(ds2) == xf_dataset_n_series(ds) &&
          xf_dataset_series_length(ds2, 0) == xf_dataset_series_length(ds, 0));
    /* an uninitialised or oversized struct is refused */
    memset(&got, 0, sizeof got);
    CHECK_INT(xf_head_csv_options(g, &got, &err), XF_EINVAL);
    xf_csv_options_init(&got);
    got.struct_size = sizeof got + 8;
    CHECK_INT(xf_head_csv_options(g, &got, &err), XF_EINVAL);
    /* a damaged value is named */
    CHECK(xf_xfm_set_str(xf_head_meta_mut(g), "data.gaps", "sometimes") == XF_OK);
    xf_csv_options_init(&got);
    CHECK_INT(xf_head_csv_options(g, &got, &err), XF_EINVAL);
    CHECK(strstr(err.message, "data spec") != NULL && strstr(err.message, "sometimes") != NULL);
    /* a long value (a wide file's many columns) is kept whole */
    {
        char many[2000];
        size_t len = 0;
        int k;
        for (k = 0; k < 120; k++)
            len +=
                (size_t)snprintf(many + len, sizeof many - len, "%scolumn_%03d", k ? "," : "", k);
        xf_csv_options_init(&co);
        co.targets = many;
        CHECK(xf_head_record_csv_options(g, &co, NULL, &err) == XF_OK);
        xf_csv_options_init(&got);
        CHECK_INT(xf_head_csv_options(g, &got, &err), XF_OK);
        CHECK(got.targets != NULL && strlen(got.targets) == len && strcmp(got.targets, many) == 0);
        CHECK(got.gaps == XF_GAPS_KEEP && got.time_col == NULL); /* all re-recorded */
    }
    /* uninitialised options are not recorded */
    memset(&co, 0, sizeof co);
    CHECK_INT(xf_head_record_csv_options(g, &co, NULL, &err), XF_EINVAL);
done:
    xf_head_free(g);
    xf_head_free(h);
    xf_panel_free(p);
    xf_dataset_free(ds2);
    xf_dataset_free(ds);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/xf_test_options.XXXXXX");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 99;
    }
    test_spellings();
    test_tab();
    test_errors();
    test_ini_limits();
    test_commit_unloadable();
    test_parsers();
    test_head_missing();
    test_fingerprint();
    test_help();
    test_round_trips();
    test_data_spec();
    test_man_page();
    {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
    return tu_report("test_options");
}
