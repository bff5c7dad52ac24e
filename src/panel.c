/* panel.c - target series with their future-known covariates.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_internal.h"
#include "holidays.h"
#include "xf_internal.h"
#include "xfcast/panel.h"

typedef struct panel_series {
    char *id;        /* owned */
    size_t n;        /* values */
    xf_time *t;      /* [n] or NULL; owned */
    xf_freq freq;    /* frequency */
    double *y;       /* [n] target, NaN = missing; owned */
    double **cov;    /* [n_cov][n]; owned */
    size_t observed; /* values up to the last finite target */
    char *column;    /* CSV column the values came from (owned; NULL: arrays) */
} panel_series;

struct xf_panel {
    char **cov_names;     /* [n_cov]; owned */
    size_t n_cov;         /* covariates per series */
    panel_series *series; /* [n_series]; owned */
    size_t n_series;      /* series */
    size_t cap;           /* allocated records */
    xf_tz *tz;            /* time zone of the calendar terms, or NULL (UTC); owned */
    xf__holidays hol;     /* holiday calendar (n = 0: none); owned */
};

static void series_free(panel_series *s, size_t n_cov)
{
    size_t j;
    free(s->id);
    free(s->column);
    free(s->t);
    free(s->y);
    if (s->cov != NULL)
        for (j = 0; j < n_cov; j++)
            free(s->cov[j]);
    free(s->cov);
}

void xf_panel_free(xf_panel *p)
{
    size_t i;
    if (p == NULL)
        return;
    xf_tz_free(p->tz);
    xf__holidays_free(&p->hol);
    for (i = 0; i < p->n_series; i++)
        series_free(&p->series[i], p->n_cov);
    free(p->series);
    if (p->cov_names != NULL)
        for (i = 0; i < p->n_cov; i++)
            free(p->cov_names[i]);
    free(p->cov_names);
    free(p);
}

int xf_panel_new(const char *const *cov_names, size_t n_cov, xf_panel **out, xf_error *err)
{
    xf_panel *p;
    size_t j, k;
    *out = NULL;
    if (n_cov > 0 && cov_names == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "covariate names missing");
    for (j = 0; j < n_cov; j++) {
        if (cov_names[j] == NULL || cov_names[j][0] == '\0')
            return xf__fail(err, XF_EINVAL, 0, 0, "covariate %zu has an empty name", j + 1);
        for (k = 0; k < j; k++)
            if (strcmp(cov_names[j], cov_names[k]) == 0)
                return xf__fail(err, XF_EINVAL, 0, 0, "covariate '%s' is named twice",
                                cov_names[j]);
    }
    if ((p = calloc(1, sizeof *p)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    if (n_cov > 0 && (p->cov_names = calloc(n_cov, sizeof *p->cov_names)) == NULL)
        goto oom;
    p->n_cov = n_cov;
    for (j = 0; j < n_cov; j++)
        if ((p->cov_names[j] = xf__strndup(cov_names[j], strlen(cov_names[j]))) == NULL)
            goto oom;
    *out = p;
    return XF_OK;
oom:
    xf_panel_free(p);
    return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
}

static void *dup_array(const void *src, size_t n, size_t size)
{
    void *d = xf__malloc_array(n, size);
    if (d != NULL)
        memcpy(d, src, n * size);
    return d;
}

int xf_panel_add_series(xf_panel *p, const char *id, size_t n, const xf_time *t, xf_freq freq,
                        const double *y, const double *const *cov, xf_error *err)
{
    panel_series s;
    size_t i, j;
    if (id == NULL || y == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "series id and values are required");
    if (n == 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "series '%s' has no values", id);
    if (p->n_cov > 0 && cov == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "series '%s': the panel has %zu covariates but "
                        "none were given",
                        id, p->n_cov);
    if (t != NULL)
        for (i = 1; i < n; i++)
            if (t[i] <= t[i - 1])
                return xf__fail(err, XF_EINVAL, 0, 0,
                                "series '%s': timestamps are not "
                                "increasing at value %zu",
                                id, i + 1);
    memset(&s, 0, sizeof s);
    s.n = n;
    s.freq = freq;
    if ((s.id = xf__strndup(id, strlen(id))) == NULL ||
        (s.y = dup_array(y, n, sizeof *y)) == NULL ||
        (t != NULL && (s.t = dup_array(t, n, sizeof *t)) == NULL))
        goto oom;
    if (p->n_cov > 0) {
        if ((s.cov = calloc(p->n_cov, sizeof *s.cov)) == NULL)
            goto oom;
        for (j = 0; j < p->n_cov; j++) {
            if (cov[j] == NULL) {
                series_free(&s, p->n_cov);
                return xf__fail(err, XF_EINVAL, 0, 0, "series '%s': covariate '%s' missing", id,
                                p->cov_names[j]);
            }
            if ((s.cov[j] = dup_array(cov[j], n, sizeof *cov[j])) == NULL)
                goto oom;
        }
    }
    for (i = n; i > 0; i--)
        if (isfinite(y[i - 1]))
            break;
    s.observed = i;
    if (xf__grow((void **)&p->series, &p->cap, p->n_series + 1, sizeof *p->series) != 0)
        goto oom;
    p->series[p->n_series++] = s;
    return XF_OK;
oom:
    series_free(&s, p->n_cov);
    return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
}

static int same_group(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

int xf_panel_from_dataset(const xf_dataset *ds, const char *const *cov_names, size_t n_cov,
                          xf_panel **out, xf_error *err)
{
    size_t n = xf_dataset_n_series(ds), i, j, k, n_targets = 0;
    const double **cov = NULL;
    xf_panel *p = NULL;
    int rc;
    *out = NULL;
    for (j = 0; j < n_cov; j++) {
        int found = 0;
        for (k = 0; k < n && !found; k++) {
            const char *col = xf_dataset_series_column(ds, k);
            found = col != NULL && strcmp(col, cov_names[j]) == 0;
        }
        if (!found)
            return xf__fail(err, XF_ENOTFOUND, 0, 0,
                            "covariate column '%s' is not among the "
                            "numeric columns read",
                            cov_names[j]);
    }
    if ((rc = xf_panel_new(cov_names, n_cov, &p, err)) != XF_OK)
        return rc;
    if (xf_dataset_tz(ds) != NULL && (rc = xf_panel_set_tz(p, xf_dataset_tz(ds), err)) != XF_OK)
        goto done;
    if (xf__dataset_holidays(ds)->n > 0 &&
        (rc = xf__holidays_from_days(xf__dataset_holidays(ds)->day, xf__dataset_holidays(ds)->n,
                                     &p->hol, err)) != XF_OK)
        goto done;
    if (n_cov > 0 && (cov = calloc(n_cov, sizeof *cov)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        const char *col = xf_dataset_series_column(ds, i);
        const char *group = xf_dataset_series_group(ds, i);
        size_t len = xf_dataset_series_length(ds, i);
        int is_cov = 0;
        for (j = 0; j < n_cov; j++)
            if (col != NULL && strcmp(col, cov_names[j]) == 0)
                is_cov = 1;
        if (is_cov)
            continue;
        n_targets++;
        for (j = 0; j < n_cov; j++) {
            cov[j] = NULL;
            for (k = 0; k < n; k++) {
                const char *c2 = xf_dataset_series_column(ds, k);
                if (c2 != NULL && strcmp(c2, cov_names[j]) == 0 &&
                    same_group(group, xf_dataset_series_group(ds, k))) {
                    if (xf_dataset_series_length(ds, k) != len) {
                        rc = xf__fail(err, XF_EDATA, 0, 0,
                                      "covariate '%s' of series '%s' has "
                                      "%zu values, the target %zu",
                                      cov_names[j], xf_dataset_series_id(ds, i),
                                      xf_dataset_series_length(ds, k), len);
                        goto done;
                    }
                    cov[j] = xf_dataset_series_values(ds, k);
                    break;
                }
            }
            if (cov[j] == NULL) {
                rc = xf__fail(err, XF_EDATA, 0, 0, "series '%s' has no covariate '%s'",
                              xf_dataset_series_id(ds, i), cov_names[j]);
                goto done;
            }
        }
        if ((rc = xf_panel_add_series(p, xf_dataset_series_id(ds, i), len,
                                      xf_dataset_series_times(ds, i), xf_dataset_series_freq(ds, i),
                                      xf_dataset_series_values(ds, i), (const double *const *)cov,
                                      err)) != XF_OK)
            goto done;
        if (col != NULL &&
            (p->series[p->n_series - 1].column = xf__strndup(col, strlen(col))) == NULL) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
    }
    if (n_targets == 0) {
        rc = xf__fail(err, XF_EDATA, 0, 0,
                      "no target series left once the covariate columns "
                      "are set aside");
        goto done;
    }
    *out = p;
    p = NULL;
    rc = XF_OK;
done:
    free(cov);
    xf_panel_free(p);
    return rc;
}

size_t xf_panel_n_series(const xf_panel *p)
{
    return p->n_series;
}

size_t xf_panel_n_covariates(const xf_panel *p)
{
    return p->n_cov;
}

const char *xf_panel_covariate_name(const xf_panel *p, size_t j)
{
    return j < p->n_cov ? p->cov_names[j] : NULL;
}

const char *xf_panel_series_id(const xf_panel *p, size_t i)
{
    return i < p->n_series ? p->series[i].id : NULL;
}

size_t xf_panel_series_length(const xf_panel *p, size_t i)
{
    return i < p->n_series ? p->series[i].n : 0;
}

const xf_time *xf_panel_series_times(const xf_panel *p, size_t i)
{
    return i < p->n_series ? p->series[i].t : NULL;
}

const double *xf_panel_series_values(const xf_panel *p, size_t i)
{
    return i < p->n_series ? p->series[i].y : NULL;
}

const double *xf_panel_series_covariate(const xf_panel *p, size_t i, size_t j)
{
    return i < p->n_series && j < p->n_cov ? p->series[i].cov[j] : NULL;
}

const char *xf_panel_series_column(const xf_panel *p, size_t i)
{
    return i < p->n_series ? p->series[i].column : NULL;
}

xf_freq xf_panel_series_freq(const xf_panel *p, size_t i)
{
    xf_freq none = {XF_FREQ_UNKNOWN, 0, 0};
    return i < p->n_series ? p->series[i].freq : none;
}

size_t xf_panel_series_observed(const xf_panel *p, size_t i)
{
    return i < p->n_series ? p->series[i].observed : 0;
}

int xf_panel_set_tz(xf_panel *p, const char *name, xf_error *err)
{
    xf_tz *tz = NULL;
    int rc;
    if (p == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_panel_set_tz: NULL panel");
    if (name != NULL && name[0] != '\0' && (rc = xf_tz_load(name, &tz, err)) != XF_OK)
        return rc;
    xf_tz_free(p->tz);
    p->tz = tz;
    return XF_OK;
}

const xf_tz *xf_panel_tz(const xf_panel *p)
{
    return p != NULL ? p->tz : NULL;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int xf_panel_set_holidays(xf_panel *p, const int32_t *days, size_t n, xf_error *err)
{
    xf__holidays h = {NULL, 0};
    int32_t *sorted;
    int rc;
    if (p == NULL || (days == NULL && n > 0))
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_panel_set_holidays: NULL argument");
    if (n > 0) {
        if (n > XF__HOLIDAYS_MAX)
            return xf__fail(err, XF_EINVAL, 0, 0, "%zu holidays: at most %d", n, XF__HOLIDAYS_MAX);
        if ((sorted = xf__malloc_array(n, sizeof *sorted)) == NULL)
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        memcpy(sorted, days, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_i32);
        rc = xf__holidays_from_days(sorted, n, &h, err);
        free(sorted);
        if (rc != XF_OK)
            return rc;
    }
    xf__holidays_free(&p->hol);
    p->hol = h;
    return XF_OK;
}

int xf_panel_load_holidays(xf_panel *p, const char *path, xf_error *err)
{
    xf__holidays h;
    int rc;
    if (p == NULL || path == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_panel_load_holidays: NULL argument");
    if ((rc = xf__holidays_load(path, &h, err)) != XF_OK)
        return rc;
    xf__holidays_free(&p->hol);
    p->hol = h;
    return XF_OK;
}

size_t xf_panel_holidays(const xf_panel *p, const int32_t **days)
{
    if (days != NULL)
        *days = p != NULL ? p->hol.day : NULL;
    return p != NULL ? p->hol.n : 0;
}

const xf__holidays *xf__panel_holidays(const xf_panel *p)
{
    return p != NULL && p->hol.n > 0 ? &p->hol : NULL;
}

int xf__panel_masked(const xf_panel *p, const size_t *cut, xf_panel **out, xf_error *err)
{
    xf_panel *q = NULL;
    double *y = NULL;
    const double **cov = NULL;
    size_t i, j, k;
    int rc;
    *out = NULL;
    if ((rc = xf_panel_new((const char *const *)p->cov_names, p->n_cov, &q, err)) != XF_OK)
        return rc;
    if (p->tz != NULL && (rc = xf_panel_set_tz(q, xf_tz_name(p->tz), err)) != XF_OK)
        goto done;
    if (p->hol.n > 0 && (rc = xf__holidays_from_days(p->hol.day, p->hol.n, &q->hol, err)) != XF_OK)
        goto done;
    if (p->n_cov > 0 && (cov = calloc(p->n_cov, sizeof *cov)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (i = 0; i < p->n_series; i++) {
        const panel_series *s = &p->series[i];
        free(y);
        if ((y = xf__malloc_array(s->n ? s->n : 1, sizeof *y)) == NULL) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        for (k = 0; k < s->n; k++)
            y[k] = k < cut[i] ? s->y[k] : NAN;
        for (j = 0; j < p->n_cov; j++)
            cov[j] = s->cov[j];
        if ((rc = xf_panel_add_series(q, s->id, s->n, s->t, s->freq, y, cov, err)) != XF_OK)
            goto done;
        if (s->column != NULL &&
            (q->series[i].column = xf__strndup(s->column, strlen(s->column))) == NULL) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
    }
    *out = q;
    q = NULL;
    rc = XF_OK;
done:
    free(y);
    free(cov);
    xf_panel_free(q);
    return rc;
}
