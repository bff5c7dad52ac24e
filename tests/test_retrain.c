/* test_retrain.c - exact incremental updates of a head (xf_head_update gives
 * what xf_head_refit gives on the grown data), the INI reader of
 * `xfcast retrain`, shards, and xf_retrain_source end to end on a store.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "xfcast.h"

#define N_SERIES 3

static const char *srcdir(void)
{
    const char *d = getenv("XF_SRCDIR");
    return d != NULL ? d : ".";
}

/* A panel of N_SERIES hourly series with n[i] values each (same generator,
 * so a longer panel extends a shorter one exactly). */
static xf_panel *make_panel(const size_t *n)
{
    xf_panel *p = NULL;
    xf_error err;
    xf_freq f;
    size_t i, k;
    CHECK(xf_freq_parse("1h", &f, &err) == XF_OK);
    CHECK(xf_panel_new(NULL, 0, &p, &err) == XF_OK);
    for (i = 0; i < N_SERIES; i++) {
        double *y = malloc(n[i] * sizeof *y);
        xf_time *t = malloc(n[i] * sizeof *t);
        char id[16];
        for (k = 0; k < n[i]; k++) {
            t[k] = (xf_time)(1600000000LL + 3600LL * (int64_t)k) * 1000000;
            y[k] = 50.0 * (double)(i + 1) + 10.0 * sin(2 * 3.14159265358979 * (double)k / 24.0) +
                   3.0 * sin(0.013 * (double)k * (double)(i + 1)) + 2.0 * cos(1.7 * (double)k);
        }
        snprintf(id, sizeof id, "s%zu", i);
        CHECK(xf_panel_add_series(p, id, n[i], t, f, y, NULL, &err) == XF_OK);
        free(y);
        free(t);
    }
    return p;
}

static double max_rel_diff(const double *a, const double *b, size_t n)
{
    double m = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]) / (fabs(a[i]) + fabs(b[i]) + 1e-12);
        if (d > m)
            m = d;
    }
    return m;
}

static void test_update_equals_refit(xf_encoder *enc)
{
    size_t n0[N_SERIES] = {900, 1000, 700}, n1[N_SERIES] = {960, 1000, 777};
    xf_panel *p0 = make_panel(n0), *p1 = make_panel(n1);
    xf_head_options o;
    xf_head *a = NULL, *b = NULL;
    xf_error err;
    size_t added = 0, origins = 0, s;
    char path[] = "/tmp/xf_test_retrain_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    xf_head_options_init(&o);
    o.horizon = 12;
    o.n_lags = 48;
    o.embedding = enc != NULL;
    o.max_windows = 100000;
    /* split intervals: an update's adaptive intervals also learn the new
     * origins' out-of-sample errors, which a refit has not seen
     * (test_intervals.c) */
    o.intervals = XF_INTERVALS_SPLIT;
    CHECK(xf_head_fit(p0, &enc, enc != NULL, &o, &a, &err) == XF_OK);
    if (a == NULL)
        goto done;
    /* the head b: a's configuration refitted on everything, via a file (as
     * the store does: the update happens on a loaded head) */
    CHECK(xf_head_refit(a, p0, 1, &origins, &err) == XF_OK);
    CHECK(origins > 2000);
    CHECK(xf_head_save(a, path, &err) == XF_OK);
    CHECK(xf_head_load(path, &b, &err) == XF_OK);
    if (b == NULL)
        goto done;
    CHECK(xf_head_attach_encoders(b, &enc, enc != NULL, &err) == XF_OK);
    /* grow: b updated with the new origins only; a refitted on all */
    CHECK(xf_head_update(b, p1, n0, 1, &added, &err) == XF_OK);
    CHECK_INT(added, (960 - 900) + 0 + (777 - 700));
    CHECK(xf_head_refit(a, p1, 2, &origins, &err) == XF_OK);
    {
        xf_head_workspace *wa = NULL, *wb = NULL;
        double ma[12], mb[12], la[24], lb[24], ha[24], hb[24];
        CHECK(xf_head_workspace_new(a, &wa, &err) == XF_OK);
        CHECK(xf_head_workspace_new(b, &wb, &err) == XF_OK);
        for (s = 0; s < N_SERIES && wa && wb; s++) {
            CHECK(xf_head_forecast(a, wa, p1, s, SIZE_MAX, 12, NULL, ma, la, ha, &err) == XF_OK);
            CHECK(xf_head_forecast(b, wb, p1, s, SIZE_MAX, 12, NULL, mb, lb, hb, &err) == XF_OK);
            CHECK_MSG(max_rel_diff(ma, mb, 12) < 1e-9, "series %zu: update vs refit %.3g", s,
                      max_rel_diff(ma, mb, 12));
            CHECK(max_rel_diff(la, lb, 24) < 1e-9 && max_rel_diff(ha, hb, 24) < 1e-9);
        }
        if (enc == NULL)
            printf("update vs refit (lags only): max relative difference %.3g\n",
                   max_rel_diff(ma, mb, 12));
        else
            printf("update vs refit (embeddings of '%s'): max relative difference %.3g\n",
                   xf_encoder_name(enc), max_rel_diff(ma, mb, 12));
        xf_head_workspace_free(wa);
        xf_head_workspace_free(wb);
    }
    /* updating with nothing new adds nothing */
    CHECK(xf_head_update(b, p1, n1, 1, &added, &err) == XF_OK);
    CHECK_INT(added, 0);
    /* seen beyond the data is a usage error; the head is unchanged */
    {
        size_t bad[N_SERIES] = {5000, 0, 0};
        CHECK_INT(xf_head_update(b, p1, bad, 1, &added, &err), XF_EINVAL);
    }
done:
    unlink(path);
    xf_head_free(a);
    xf_head_free(b);
    xf_panel_free(p0);
    xf_panel_free(p1);
}

static int write_file(const char *path, const char *text)
{
    return tu_write_file(path, text, strlen(text));
}

static void test_ini(void)
{
    char dir[] = "/tmp/xf_test_ini_XXXXXX", path[256];
    xf_source *s = NULL;
    size_t n = 0, i, count[3] = {0, 0, 0};
    xf_error err;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/sources.conf", dir);
    CHECK(write_file(path, "; comment\n[defaults]\nhorizon = 24\nencoder = none\n"
                           "[meter-1]\ncsv = data/m1.csv\ntarget = load\ncovariates = temp\n"
                           "levels = 90\nholdout = 48\n[meter-2]\ncsv = /abs/m2.csv\nhorizon = 12\n"
                           "delimiter = tab\ngaps = interpolate\ntolerance = 0.1\nkeep = 3\n"
                           "on_corrupt = skip\n") == 0);
    CHECK(xf_sources_load(path, &s, &n, &err) == XF_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(s[0].name, "meter-1");
        CHECK(strstr(s[0].csv, "/data/m1.csv") != NULL && s[0].csv[0] == '/');
        CHECK_STR(s[0].csv_opts.targets, "load");
        CHECK_STR(s[0].covariates, "temp");
        CHECK_STR(s[0].encoders, "none");
        CHECK_INT(s[0].head.horizon, 24);
        CHECK_INT(s[0].head.n_levels, 1);
        CHECK_INT(s[0].holdout, 48);
        CHECK_STR(s[1].csv, "/abs/m2.csv");
        CHECK_INT(s[1].head.horizon, 12);
        CHECK_INT(s[1].csv_opts.delimiter, '\t');
        CHECK_INT(s[1].csv_opts.gaps, XF_GAPS_INTERPOLATE);
        CHECK_NEAR(s[1].tolerance, 0.1, 0);
        CHECK_INT(s[1].keep, 3);
        CHECK_INT(s[1].on_corrupt_skip, 1);
        CHECK_INT(s[1].head.n_levels, 2); /* not set: the default 80,95 */
    }
    xf_sources_free(s, n);
    /* errors name the file, line or section and key */
    CHECK(write_file(path, "[a]\ncsv = x.csv\nhorizn = 3\n") == 0);
    CHECK_INT(xf_sources_load(path, &s, &n, &err), XF_EINVAL);
    CHECK(strstr(err.message, ":3:") != NULL && strstr(err.message, "unknown key 'horizn'"));
    CHECK(write_file(path, "[a]\ncsv = x.csv\nhorizon = abc\n") == 0);
    CHECK_INT(xf_sources_load(path, &s, &n, &err), XF_EINVAL);
    CHECK(strstr(err.message, "[a] horizon") != NULL);
    CHECK(write_file(path, "[a]\nhorizon = 3\n") == 0);
    CHECK_INT(xf_sources_load(path, &s, &n, &err), XF_EINVAL);
    CHECK(strstr(err.message, "no 'csv'") != NULL);
    CHECK(write_file(path, "[a/b]\ncsv = x.csv\n") == 0);
    CHECK_INT(xf_sources_load(path, &s, &n, &err), XF_EINVAL);
    CHECK(write_file(path, "[a]\ncsv = x.csv\nthis is not ini\n") == 0);
    CHECK(xf_sources_load(path, &s, &n, &err) != XF_OK);
    CHECK(strstr(err.message, ":3:") != NULL);
    CHECK_INT(xf_sources_load("/nonexistent/sources.conf", &s, &n, &err), XF_EIO);
    /* shards split the sources: each in exactly one of 3 */
    CHECK(write_file(path, "[s1]\ncsv=a\n[s2]\ncsv=a\n[s3]\ncsv=a\n[s4]\ncsv=a\n[s5]\ncsv=a\n"
                           "[s6]\ncsv=a\n[s7]\ncsv=a\n") == 0);
    CHECK(xf_sources_load(path, &s, &n, &err) == XF_OK);
    for (i = 0; i < n; i++) {
        int k, in = 0;
        for (k = 0; k < 3; k++)
            if (xf_source_in_shard(&s[i], k, 3)) {
                in++;
                count[k]++;
            }
        CHECK_INT(in, 1);
        CHECK(xf_source_in_shard(&s[i], 0, 1));
    }
    CHECK_INT(count[0] + count[1] + count[2], 7);
    xf_sources_free(s, n);
    unlink(path);
    rmdir(dir);
}

/* Write the CSV of a load with a future-known temperature: rows 0..n-1,
 * with an empty load from row `empty` on (the temperature is known ahead). */
static int write_load_csv(const char *path, size_t n, size_t empty)
{
    FILE *fp = fopen(path, "w");
    size_t k;
    if (fp == NULL)
        return -1;
    fprintf(fp, "time,load,temp\n");
    for (k = 0; k < n; k++) {
        double temp = 10.0 + 6.0 * sin(2 * 3.14159265358979 * (double)(k + 5) / 24.0) +
                      1.3 * cos(0.37 * (double)k);
        double load = 120.0 + 15.0 * sin(2 * 3.14159265358979 * (double)k / 24.0) - 1.7 * temp +
                      2.0 * sin(1.3 * (double)k);
        if (k < empty)
            fprintf(fp, "%lld,%.6f,%.6f\n", 1600000000LL + 3600LL * (long long)k, load, temp);
        else
            fprintf(fp, "%lld,,%.6f\n", 1600000000LL + 3600LL * (long long)k, temp);
    }
    return fclose(fp) == 0 ? 0 : -1;
}

/* xf_retrain_source on a store: rows with covariates and no target make no
 * version and are not values seen, so that the update when their targets
 * arrive is exact; a rollback's pin holds until the data or configuration
 * change. */
static void test_retrain_store(void)
{
    char dir[] = "/tmp/xf_test_rt_XXXXXX", conf[256], csv[256], sdir[256];
    xf_source *src = NULL;
    size_t n = 0;
    xf_store *st = NULL;
    xf_retrain_options o;
    xf_retrain_report rep;
    xf_error err;
    int64_t v = 0, pv = 0, from = 0;
    xf_lock *lock = NULL;
    int rc;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(conf, sizeof conf, "%s/s.conf", dir);
    snprintf(csv, sizeof csv, "%s/load.csv", dir);
    snprintf(sdir, sizeof sdir, "%s/store", dir);
    CHECK(write_file(conf, "[m]\ncsv = load.csv\nencoder = none\nhorizon = 12\nholdout = 48\n"
                           "target = load\ncovariates = temp\ntime-format = epoch\n") == 0);
    CHECK(xf_sources_load(conf, &src, &n, &err) == XF_OK && n == 1);
    CHECK(xf_store_open(sdir, 1, &st, &err) == XF_OK);
    xf_retrain_options_init(&o);
    if (n != 1 || st == NULL)
        goto done;
    CHECK(write_load_csv(csv, 600, 600) == 0);
    rc = xf_retrain_source(st, src, NULL, 0, &o, &rep, &err);
    CHECK_MSG(rc == XF_OK && rep.outcome == XF_RETRAIN_PROMOTED && rep.version == 1, "%d %s", rc,
              rep.message);
    /* 24 rows of temperature only: no version, nothing seen */
    CHECK(write_load_csv(csv, 624, 600) == 0);
    rc = xf_retrain_source(st, src, NULL, 0, &o, &rep, &err);
    CHECK_MSG(rc == XF_OK && rep.outcome == XF_RETRAIN_UNCHANGED && rep.version == 1, "%d %s", rc,
              rep.message);
    CHECK_MSG(strstr(rep.message, "24 rows with covariates only") != NULL, "%s", rep.message);
    /* their loads arrive: the exact update, 24 values */
    CHECK(write_load_csv(csv, 648, 624) == 0);
    rc = xf_retrain_source(st, src, NULL, 0, &o, &rep, &err);
    CHECK_MSG(rc == XF_OK && rep.outcome == XF_RETRAIN_UPDATED && rep.version == 2 &&
                  rep.rows_added == 24 && rep.origins_added > 0,
              "%d %s", rc, rep.message);
    /* roll back to v1 and pin it: the same data keeps v1 */
    CHECK(xf_store_lock(st, "m", 0, &lock, &err) == XF_OK);
    CHECK(xf_store_set_current(st, "m", 1, &v, &err) == XF_OK && v == 1);
    xf_store_unlock(lock);
    CHECK(xf_store_pinned(st, "m", &pv, &from, &err) == XF_OK && pv == 1 && from == 2);
    rc = xf_retrain_source(st, src, NULL, 0, &o, &rep, &err);
    CHECK_MSG(rc == XF_OK && rep.outcome == XF_RETRAIN_UNCHANGED && rep.version == 1, "%d %s", rc,
              rep.message);
    CHECK(xf_store_current(st, "m", &v, &err) == XF_OK && v == 1);
    /* --force ignores the pin (and the commit ends it) */
    o.force = 1;
    rc = xf_retrain_source(st, src, NULL, 0, &o, &rep, &err);
    CHECK_MSG(rc == XF_OK && rep.outcome == XF_RETRAIN_PROMOTED && rep.version == 3, "%d %s", rc,
              rep.message);
    CHECK(xf_store_pinned(st, "m", &pv, &from, &err) == XF_OK && pv == 0);
    o.force = 0;
    /* pinned again; new loads release it and update v1 exactly */
    CHECK(xf_store_lock(st, "m", 0, &lock, &err) == XF_OK);
    CHECK(xf_store_set_current(st, "m", 1, &v, &err) == XF_OK && v == 1);
    xf_store_unlock(lock);
    CHECK(write_load_csv(csv, 672, 672) == 0);
    rc = xf_retrain_source(st, src, NULL, 0, &o, &rep, &err);
    CHECK_MSG(rc == XF_OK && rep.outcome == XF_RETRAIN_UPDATED && rep.version == 4 &&
                  rep.rows_added == 72,
              "%d %s", rc, rep.message);
    CHECK(xf_store_pinned(st, "m", &pv, &from, &err) == XF_OK && pv == 0);
    /* CURRENT names a version that is gone (issue 12): the newest version
     * that loads is the champion, with a warning, and the run commits (no
     * "unchanged" without new data), which repairs CURRENT; so does
     * --force */
    {
        char cpath[300];
        snprintf(cpath, sizeof cpath, "%s/m/CURRENT", sdir);
        CHECK(write_file(cpath, "9\n") == 0);
        rc = xf_retrain_source(st, src, NULL, 0, &o, &rep, &err);
        CHECK_MSG(rc == XF_OK && rep.warning &&
                      (rep.outcome == XF_RETRAIN_KEPT || rep.outcome == XF_RETRAIN_PROMOTED) &&
                      rep.version == 10,
                  "%d %d %s", rc, (int)rep.outcome, rep.message);
        CHECK_MSG(strstr(rep.message, "has no version 9") != NULL &&
                      strstr(rep.message, "using v4") != NULL,
                  "%s", rep.message);
        CHECK(xf_store_current(st, "m", &v, &err) == XF_OK && v == 10);
        CHECK(write_file(cpath, "20\n") == 0);
        o.force = 1;
        rc = xf_retrain_source(st, src, NULL, 0, &o, &rep, &err);
        CHECK_MSG(rc == XF_OK && rep.warning && rep.outcome == XF_RETRAIN_PROMOTED &&
                      rep.version == 21,
                  "%d %d %s", rc, (int)rep.outcome, rep.message);
        CHECK(xf_store_current(st, "m", &v, &err) == XF_OK && v == 21);
        o.force = 0;
    }
    /* a season the head loader would refuse (it reads at most the table's
     * limit) is refused before the fit: no version written, none pruned,
     * the champion still current (a head committed that its loader refuses
     * would be called damaged the next run and, after `keep` runs, the
     * last good version pruned) */
    {
        int64_t *before = NULL, *after = NULL, cur0 = 0, cur1 = 0;
        size_t nb = 0, na = 0;
        CHECK(xf_store_versions(st, "m", &before, &nb, &err) == XF_OK && nb > 0);
        CHECK(xf_store_current(st, "m", &cur0, &err) == XF_OK);
        src[0].head.season = 2000000;
        src[0].keep = 1;
        o.force = 1;
        memset(&err, 0, sizeof err);
        rc = xf_retrain_source(st, src, NULL, 0, &o, &rep, &err);
        CHECK_MSG(rc == XF_EINVAL, "season 2000000: %d %s", rc, err.message);
        CHECK_MSG(strstr(err.message, "season 2000000 exceeds the limit 1000000") != NULL, "%s",
                  err.message);
        CHECK(xf_store_versions(st, "m", &after, &na, &err) == XF_OK);
        CHECK_INT(na, nb);
        CHECK(na == nb && before != NULL && after != NULL &&
              memcmp(before, after, nb * sizeof *before) == 0);
        CHECK(xf_store_current(st, "m", &cur1, &err) == XF_OK && cur1 == cur0);
        free(before);
        free(after);
        o.force = 0;
    }
done:
    xf_store_close(st);
    xf_sources_free(src, n);
    {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        CHECK(system(cmd) == 0);
    }
}

/* More covariates than retrain's old fixed arrays held (64, and 1024
 * bytes of list): all of them read and fitted, as `xfcast fit` does; past
 * the limit the fit says which. */
static void test_many_covariates(void)
{
    char dir[] = "/tmp/xf_test_cov_XXXXXX", csv[256], sdir[256], list[8192], name[] = "wide",
         none[] = "none";
    xf_source src;
    xf_store *st = NULL;
    xf_retrain_options o;
    xf_retrain_report rep;
    xf_error err;
    FILE *fp;
    size_t k, j, len = 0;
    const size_t n_cov = 70, n_rows = 400;
    int rc;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(csv, sizeof csv, "%s/wide.csv", dir);
    snprintf(sdir, sizeof sdir, "%s/store", dir);
    CHECK((fp = fopen(csv, "w")) != NULL);
    if (fp == NULL)
        return;
    fprintf(fp, "time,load");
    for (j = 0; j < n_cov; j++) {
        fprintf(fp, ",covariate_column_%03zu", j);
        len += (size_t)snprintf(list + len, sizeof list - len, "%scovariate_column_%03zu",
                                j ? "," : "", j);
    }
    fprintf(fp, "\n");
    for (k = 0; k < n_rows; k++) {
        fprintf(fp, "%lld,%.4f", 1600000000LL + 3600LL * (long long)k,
                100 + 10 * sin(2 * 3.14159265358979 * (double)k / 24.0) + 0.3 * (double)(k % 7));
        for (j = 0; j < n_cov; j++)
            fprintf(fp, ",%.3f", cos(0.1 * (double)(k * (j + 1))));
        fprintf(fp, "\n");
    }
    CHECK(fclose(fp) == 0);
    CHECK(len > 1024);
    memset(&src, 0, sizeof src);
    xf_csv_options_init(&src.csv_opts);
    xf_head_options_init(&src.head);
    src.name = name;
    src.csv = csv;
    src.encoders = none;
    src.covariates = list;
    src.csv_opts.targets = "load";
    src.csv_opts.time_format = "epoch";
    src.head.horizon = 2;
    src.head.n_lags = 24;
    src.holdout = XF_AUTO;
    src.tolerance = 0.02;
    src.keep = 2;
    xf_retrain_options_init(&o);
    CHECK(xf_store_open(sdir, 1, &st, &err) == XF_OK);
    if (st != NULL) {
        rc = xf_retrain_source(st, &src, NULL, 0, &o, &rep, &err);
        CHECK_MSG(rc == XF_OK && rep.outcome == XF_RETRAIN_PROMOTED, "%d %s / %s", rc, err.message,
                  rep.message);
        if (rc == XF_OK) {
            xf_head *h = NULL;
            CHECK(xf_store_load(st, "wide", rep.version, &h, &err) == XF_OK);
            CHECK(h != NULL && xf_head_n_covariates(h) == n_cov);
            xf_head_free(h);
        }
    }
    xf_store_close(st);
    {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        CHECK(system(cmd) == 0);
    }
}

int main(void)
{
    xf_encoder *enc = NULL;
    xf_error err;
    char path[4096];
    test_ini();
    test_retrain_store();
    test_many_covariates();
    test_update_equals_refit(NULL);
    snprintf(path, sizeof path, "%s/models/gru-base.xfm", srcdir());
    if (xf_encoder_load(path, &enc, &err) == XF_OK) {
        test_update_equals_refit(enc);
        xf_encoder_free(enc);
    } else {
        fprintf(stderr, "test_retrain: %s (embedding case skipped)\n", err.message);
    }
    return tu_report("test_retrain");
}
