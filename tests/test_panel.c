/* test_panel.c - panels: target series with their future-known covariates, from
 * the caller's arrays or from a dataset.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include "head_testutil.h"

/* ------------------------------------------------------------ 1. panels */

/* A dataset from CSV text held in memory. */
static xf_dataset *csv_dataset(const char *text, const char *id_col)
{
    xf_csv_options o;
    xf_csv_reader *r = NULL;
    xf_dataset *ds = NULL;
    xf_error err;
    xf_csv_options_init(&o);
    o.id_col = id_col;
    need(xf_csv_reader_new("mem.csv", &o, &r, &err) == XF_OK, "csv reader", &err);
    need(xf_csv_reader_feed(r, text, strlen(text), &err) == XF_OK, "csv feed", &err);
    need(xf_csv_reader_finish(r, &ds, &err) == XF_OK, "csv finish", &err);
    xf_csv_reader_free(r);
    return ds;
}

static void test_panel_arrays(void)
{
    char name0[8] = "temp", name1[8] = "wind", id[8] = "s1";
    const char *names[2] = {name0, name1};
    double y[5] = {1, 2, 3, NAN, NAN}, c0[5] = {10, 11, 12, 13, 14}, c1[5] = {20, 21, 22, 23, 24};
    const double *cov[2] = {c0, c1}, *cov_bad[2] = {c0, NULL};
    xf_time t[5], t_bad[5];
    xf_panel *p = NULL, *q = NULL;
    xf_error err;
    const double *v;
    size_t k;

    hourly_times(t, 5);
    CHECK(xf_panel_new(names, 2, &p, &err) == XF_OK && p != NULL);
    if (p == NULL)
        return;
    CHECK_INT(xf_panel_n_covariates(p), 2);
    CHECK_INT(xf_panel_n_series(p), 0);
    CHECK(xf_panel_add_series(p, id, 5, t, hourly, y, cov, &err) == XF_OK);

    /* everything was copied: changing the caller's arrays changes nothing */
    name0[0] = 'X';
    id[0] = 'Z';
    y[0] = 99;
    t[0] = 0;
    c0[0] = 99;
    c1[4] = 99;
    CHECK_STR(xf_panel_covariate_name(p, 0), "temp");
    CHECK_STR(xf_panel_covariate_name(p, 1), "wind");
    CHECK_STR(xf_panel_series_id(p, 0), "s1");
    CHECK_INT(xf_panel_series_length(p, 0), 5);
    v = xf_panel_series_values(p, 0);
    CHECK(v != y && v[0] == 1 && v[2] == 3 && isnan(v[3]) && isnan(v[4]));
    CHECK(xf_panel_series_times(p, 0) != t && xf_panel_series_times(p, 0)[0] == t_start);
    CHECK(xf_panel_series_covariate(p, 0, 0)[0] == 10);
    CHECK(xf_panel_series_covariate(p, 0, 1)[4] == 24);
    CHECK(xf_panel_series_freq(p, 0).kind == XF_FREQ_FIXED &&
          xf_panel_series_freq(p, 0).step == HOUR_US);
    CHECK(xf_panel_series_column(p, 0) == NULL);
    /* observed: up to the last finite value (two trailing NaNs) */
    CHECK_INT(xf_panel_series_observed(p, 0), 3);

    /* errors leave the panel as it was */
    hourly_times(t, 5);
    CHECK(xf_panel_add_series(p, "e", 0, t, hourly, y, cov, &err) == XF_EINVAL);
    CHECK(err.code == XF_EINVAL && err.message[0] != '\0');
    memcpy(t_bad, t, sizeof t);
    t_bad[3] = t_bad[2]; /* repeated timestamp */
    CHECK(xf_panel_add_series(p, "e", 5, t_bad, hourly, y, cov, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "increasing") != NULL, "%s", err.message);
    t_bad[3] = t_bad[1]; /* going back in time */
    CHECK(xf_panel_add_series(p, "e", 5, t_bad, hourly, y, cov, &err) == XF_EINVAL);
    CHECK(xf_panel_add_series(p, "e", 5, t, hourly, y, NULL, &err) == XF_EINVAL);
    CHECK(err.message[0] != '\0');
    CHECK(xf_panel_add_series(p, "e", 5, t, hourly, y, cov_bad, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "wind") != NULL, "%s", err.message);
    CHECK(xf_panel_add_series(p, "e", 5, t, hourly, NULL, cov, &err) == XF_EINVAL);
    CHECK(xf_panel_add_series(p, NULL, 5, t, hourly, y, cov, &err) == XF_EINVAL);
    CHECK_INT(xf_panel_n_series(p), 1);

    /* more series: all missing, trailing infinities, no timestamps */
    {
        double none[4] = {NAN, NAN, NAN, NAN}, inf[6] = {1, INFINITY, 2, 3, -INFINITY, NAN};
        const double *cov4[2] = {c0, c1}, *cov6[2] = {inf, inf};
        xf_freq unknown = {XF_FREQ_UNKNOWN, 0, 0};
        CHECK(xf_panel_add_series(p, "none", 4, t, hourly, none, cov4, &err) == XF_OK);
        CHECK(xf_panel_add_series(p, "inf", 6, NULL, unknown, inf, cov6, &err) == XF_OK);
        CHECK_INT(xf_panel_series_observed(p, 1), 0);
        CHECK_INT(xf_panel_series_observed(p, 2), 4); /* -Inf and NaN are not observed */
        CHECK(xf_panel_series_times(p, 2) == NULL);
        CHECK(xf_panel_series_freq(p, 2).kind == XF_FREQ_UNKNOWN);
    }
    /* out-of-range accessors */
    CHECK(xf_panel_series_id(p, 3) == NULL);
    CHECK_INT(xf_panel_series_length(p, 3), 0);
    CHECK(xf_panel_series_values(p, 3) == NULL);
    CHECK(xf_panel_series_times(p, 3) == NULL);
    CHECK(xf_panel_series_covariate(p, 0, 2) == NULL);
    CHECK(xf_panel_series_covariate(p, 3, 0) == NULL);
    CHECK(xf_panel_covariate_name(p, 2) == NULL);
    CHECK_INT(xf_panel_series_observed(p, 3), 0);
    xf_panel_free(p);

    /* xf_panel_new errors */
    {
        const char *dup[2] = {"a", "a"}, *empty[1] = {""};
        q = (xf_panel *)&err; /* must be reset to NULL on failure */
        CHECK(xf_panel_new(dup, 2, &q, &err) == XF_EINVAL && q == NULL);
        CHECK_MSG(strstr(err.message, "'a'") != NULL, "%s", err.message);
        CHECK(xf_panel_new(empty, 1, &q, &err) == XF_EINVAL && q == NULL);
        CHECK(xf_panel_new(NULL, 1, &q, &err) == XF_EINVAL && q == NULL);
    }
    /* a panel without covariates takes cov == NULL */
    CHECK(xf_panel_new(NULL, 0, &q, &err) == XF_OK);
    if (q != NULL) {
        double x[5] = {10, 11, 12, 13, 14};
        CHECK(xf_panel_add_series(q, "x", 5, NULL, hourly, x, NULL, &err) == XF_OK);
        for (k = 0; k < 5; k++)
            CHECK(xf_panel_series_values(q, 0)[k] == 10 + (double)k);
        xf_panel_free(q);
    }
    xf_panel_free(NULL);
}

static void test_panel_dataset(void)
{
    static const char wide[] = "time,y,temp\n"
                               "2024-01-01T00:00:00Z,1,20.5\n"
                               "2024-01-01T01:00:00Z,2,21.5\n"
                               "2024-01-01T02:00:00Z,3,22.5\n"
                               "2024-01-01T03:00:00Z,4,23.5\n"
                               "2024-01-01T04:00:00Z,5,24.5\n"
                               "2024-01-01T05:00:00Z,,25.5\n";
    static const char longf[] = "time,id,y,temp\n"
                                "2024-01-01T00:00:00Z,a,1,10\n"
                                "2024-01-01T00:00:00Z,b,101,50\n"
                                "2024-01-01T01:00:00Z,a,2,11\n"
                                "2024-01-01T01:00:00Z,b,102,51\n"
                                "2024-01-01T02:00:00Z,a,3,12\n"
                                "2024-01-01T02:00:00Z,b,103,52\n"
                                "2024-01-01T03:00:00Z,a,4,13\n"
                                "2024-01-01T03:00:00Z,b,104,53\n";
    const char *temp[1] = {"temp"}, *pressure[1] = {"pressure"};
    xf_dataset *ds;
    xf_panel *p = NULL;
    xf_error err;
    size_t i, k;

    /* wide: y is the target, temp its covariate */
    ds = csv_dataset(wide, NULL);
    CHECK_MSG(xf_panel_from_dataset(ds, temp, 1, &p, &err) == XF_OK, "%s", err.message);
    if (p != NULL) {
        const double *y = xf_panel_series_values(p, 0), *c = xf_panel_series_covariate(p, 0, 0);
        const xf_time *t = xf_panel_series_times(p, 0);
        CHECK_INT(xf_panel_n_series(p), 1);
        CHECK_INT(xf_panel_n_covariates(p), 1);
        CHECK_STR(xf_panel_covariate_name(p, 0), "temp");
        CHECK_STR(xf_panel_series_id(p, 0), "y");
        CHECK(xf_panel_series_column(p, 0) != NULL &&
              strcmp(xf_panel_series_column(p, 0), "y") == 0);
        CHECK_INT(xf_panel_series_length(p, 0), 6);
        CHECK_INT(xf_panel_series_observed(p, 0), 5); /* the empty last y is missing */
        CHECK(xf_panel_series_freq(p, 0).kind == XF_FREQ_FIXED &&
              xf_panel_series_freq(p, 0).step == HOUR_US);
        for (k = 0; k < 6 && t != NULL && c != NULL; k++) {
            CHECK(t[k] == t_start + (xf_time)k * HOUR_US);
            CHECK(c[k] == 20.5 + (double)k);
            CHECK(k == 5 ? isnan(y[k]) : y[k] == 1 + (double)k);
        }
        xf_panel_free(p);
    }
    /* without covariates both columns are targets */
    CHECK(xf_panel_from_dataset(ds, NULL, 0, &p, &err) == XF_OK);
    if (p != NULL) {
        CHECK_INT(xf_panel_n_series(p), 2);
        CHECK_INT(xf_panel_n_covariates(p), 0);
        xf_panel_free(p);
    }
    /* an unknown covariate column */
    p = (xf_panel *)&err;
    CHECK(xf_panel_from_dataset(ds, pressure, 1, &p, &err) == XF_ENOTFOUND && p == NULL);
    CHECK_MSG(strstr(err.message, "pressure") != NULL, "%s", err.message);
    /* every column a covariate: no target left */
    {
        const char *both[2] = {"y", "temp"};
        CHECK(xf_panel_from_dataset(ds, both, 2, &p, &err) == XF_EDATA && p == NULL);
    }
    xf_dataset_free(ds);

    /* long: each id's y gets that id's temp */
    ds = csv_dataset(longf, "id");
    CHECK_MSG(xf_panel_from_dataset(ds, temp, 1, &p, &err) == XF_OK, "%s", err.message);
    if (p != NULL) {
        int seen_a = 0, seen_b = 0;
        CHECK_INT(xf_panel_n_series(p), 2);
        for (i = 0; i < xf_panel_n_series(p); i++) {
            const double *y = xf_panel_series_values(p, i);
            const double *c = xf_panel_series_covariate(p, i, 0);
            const char *sid = xf_panel_series_id(p, i);
            double y0 = y[0] < 100 ? 1 : 101, c0 = y[0] < 100 ? 10 : 50;
            CHECK_INT(xf_panel_series_length(p, i), 4);
            CHECK(xf_panel_series_column(p, i) != NULL &&
                  strcmp(xf_panel_series_column(p, i), "y") == 0);
            if (y[0] < 100) {
                seen_a++;
                CHECK_MSG(strchr(sid, 'a') != NULL, "id '%s'", sid);
            } else {
                seen_b++;
                CHECK_MSG(strchr(sid, 'b') != NULL, "id '%s'", sid);
            }
            for (k = 0; k < 4; k++) {
                CHECK(y[k] == y0 + (double)k);
                CHECK(c[k] == c0 + (double)k);
            }
        }
        CHECK(seen_a == 1 && seen_b == 1);
        xf_panel_free(p);
    }
    CHECK(xf_panel_from_dataset(ds, pressure, 1, &p, &err) == XF_ENOTFOUND && p == NULL);
    xf_dataset_free(ds);
}

/* ------------------------------------------------------------ main */

int main(void)
{
    ht_init("test_panel");
    test_panel_arrays();
    test_panel_dataset();
    xf_encoder_free(gru);
    return tu_report("test_panel");
}
