/* retrain.c - where a data source is retrained into the model store:
 * incremental updates when its CSV only grew, champion/challenger
 * otherwise (see xfcast/retrain.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "head_internal.h"
#include "options_internal.h"
#include "xfcast/backtest.h"
#include "xfcast/retrain.h"
#include "xfcast/xfm.h"

const char *xf_retrain_outcome_name(xf_retrain_outcome o)
{
    switch (o) {
    case XF_RETRAIN_PROMOTED:
        return "promoted";
    case XF_RETRAIN_UPDATED:
        return "updated";
    case XF_RETRAIN_KEPT:
        return "kept";
    case XF_RETRAIN_UNCHANGED:
        return "unchanged";
    case XF_RETRAIN_DRY_RUN:
        return "dry-run";
    default:
        return "failed";
    }
}

static void retrain_options_defaults(xf_retrain_options *o)
{
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
    o->n_threads = 1;
}

void xf_retrain_options_init_sized(xf_retrain_options *o, size_t size)
{
    xf_retrain_options d;
    if (o == NULL)
        return;
    retrain_options_defaults(&d);
    xf__init_sized(o, &d, sizeof d, size);
}

/* The function itself, for programs that call it without the header's
 * macro: the struct as of libtool version 3. */
void(xf_retrain_options_init)(xf_retrain_options *o)
{
    xf_retrain_options_init_sized(o, XF__RETRAIN_OPTIONS_V3);
}

/* FNV-1a over the first k values (and timestamps) of series i. */
static uint64_t prefix_hash(const xf_panel *p, size_t i, size_t k)
{
    uint64_t h = XF__FNV_OFFSET;
    const double *y = xf_panel_series_values(p, i);
    const xf_time *t = xf_panel_series_times(p, i);
    size_t j, b;
    for (j = 0; j < k; j++) {
        unsigned char buf[16];
        uint64_t bits;
        memcpy(&bits, &y[j], sizeof bits);
        for (b = 0; b < 8; b++)
            buf[b] = (unsigned char)(bits >> (8 * b));
        bits = t != NULL ? (uint64_t)t[j] : 0;
        for (b = 0; b < 8; b++)
            buf[8 + b] = (unsigned char)(bits >> (8 * b));
        h = xf__fnv1a(h, buf, sizeof buf);
    }
    return h;
}

/* A fingerprint of what the source's configuration asks of a head, so that
 * an edited INI section leads to a full refit instead of an update: the
 * options the table marks as fingerprinted (src/options.c). */
static uint64_t config_hash(const xf_source *src)
{
    return xf__option_fingerprint(src);
}

static int record_config(xf_head *h, const xf_source *src)
{
    char val[32];
    snprintf(val, sizeof val, "%016llx", (unsigned long long)config_hash(src));
    /* the data spec too: `store forecast` reads the CSV as retrain did */
    if (xf_head_record_csv_options(h, &src->csv_opts, NULL, NULL) != XF_OK)
        return XF_ENOMEM;
    return xf_xfm_set_str(xf_head_meta_mut(h), "store.config", val);
}

static int same_config(const xf_head *h, const xf_source *src)
{
    const char *v;
    char val[32];
    if (xf_xfm_get_str(xf_head_meta(h), "store.config", &v, NULL) != XF_OK)
        return 0;
    snprintf(val, sizeof val, "%016llx", (unsigned long long)config_hash(src));
    return strcmp(v, val) == 0;
}

/* Record what the head saw: per series id, values and their fingerprint. */
static int record_seen(xf_head *h, const xf_panel *p)
{
    xf_xfm *m = xf_head_meta_mut(h);
    size_t i, n = xf_panel_n_series(p);
    char key[64], val[32];
    int rc = xf_xfm_set_i64(m, "store.series", (int64_t)n);
    for (i = 0; i < n && rc == XF_OK; i++) {
        /* rows after the last observed value hold only covariates: the
         * future, not values seen (their targets may still arrive) */
        size_t len = xf_panel_series_observed(p, i);
        snprintf(key, sizeof key, "store.series.%zu.id", i);
        rc = xf_xfm_set_str(m, key, xf_panel_series_id(p, i));
        snprintf(key, sizeof key, "store.series.%zu.rows", i);
        if (rc == XF_OK)
            rc = xf_xfm_set_i64(m, key, (int64_t)len);
        snprintf(key, sizeof key, "store.series.%zu.hash", i);
        snprintf(val, sizeof val, "%016llx", (unsigned long long)prefix_hash(p, i, len));
        if (rc == XF_OK)
            rc = xf_xfm_set_str(m, key, val);
    }
    return rc;
}

/* Observed target values of series i in rows [from, up to its last
 * observed value): what a retrain can learn from. */
static int64_t new_values(const xf_panel *p, size_t i, size_t from)
{
    const double *y = xf_panel_series_values(p, i);
    size_t j, n = xf_panel_series_observed(p, i);
    int64_t k = 0;
    for (j = from; j < n; j++)
        k += isfinite(y[j]) != 0;
    return k;
}

/* What the champion saw of this panel: seen[i] = values of series i it
 * saw (0 for a new series), *added = observed target values after them
 * (rows with covariates and a missing target are not values).  Returns 1
 * when every series it saw is still here with the same first values (the
 * data only grew, or did not change), 0 otherwise (history changed: a
 * full refit is needed). */
static int grown_since(const xf_head *h, const xf_panel *p, size_t *seen, int64_t *added)
{
    const xf_xfm *m = xf_head_meta(h);
    int64_t ns = 0, rows;
    size_t i, k, n = xf_panel_n_series(p);
    char key[64];
    const char *id, *hash;
    *added = 0;
    if (xf_xfm_get_i64(m, "store.series", &ns, NULL) != XF_OK || ns < 0)
        return 0;
    for (i = 0; i < n; i++)
        seen[i] = 0;
    for (k = 0; k < (size_t)ns; k++) {
        int found = 0;
        snprintf(key, sizeof key, "store.series.%zu.id", k);
        if (xf_xfm_get_str(m, key, &id, NULL) != XF_OK)
            return 0;
        snprintf(key, sizeof key, "store.series.%zu.rows", k);
        if (xf_xfm_get_i64(m, key, &rows, NULL) != XF_OK || rows < 0)
            return 0;
        snprintf(key, sizeof key, "store.series.%zu.hash", k);
        if (xf_xfm_get_str(m, key, &hash, NULL) != XF_OK)
            return 0;
        for (i = 0; i < n && !found; i++) {
            char val[32];
            if (strcmp(xf_panel_series_id(p, i), id) != 0)
                continue;
            found = 1;
            if ((uint64_t)rows > xf_panel_series_length(p, i))
                return 0; /* shrank */
            snprintf(val, sizeof val, "%016llx",
                     (unsigned long long)prefix_hash(p, i, (size_t)rows));
            if (strcmp(val, hash) != 0)
                return 0; /* history rewritten */
            seen[i] = (size_t)rows;
        }
        if (!found)
            return 0; /* a series disappeared */
    }
    for (i = 0; i < n; i++)
        *added += new_values(p, i, seen[i]);
    return 1;
}

/* A copy of the panel without the last k values of each series. */
static int panel_head(const xf_panel *p, size_t k, xf_panel **out, xf_error *err)
{
    size_t nc = xf_panel_n_covariates(p), i, j;
    const char **names = xf__malloc_array(nc + 1, sizeof *names);
    const double **cov = xf__malloc_array(nc + 1, sizeof *cov);
    int rc;
    *out = NULL;
    if (names == NULL || cov == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (j = 0; j < nc; j++)
        names[j] = xf_panel_covariate_name(p, j);
    if ((rc = xf_panel_new(names, nc, out, err)) != XF_OK)
        goto done;
    if (xf_panel_tz(p) != NULL &&
        (rc = xf_panel_set_tz(*out, xf_tz_name(xf_panel_tz(p)), err)) != XF_OK)
        goto done;
    {
        const int32_t *hol;
        size_t nh = xf_panel_holidays(p, &hol);
        if (nh > 0 && (rc = xf_panel_set_holidays(*out, hol, nh, err)) != XF_OK)
            goto done;
    }
    for (i = 0; i < xf_panel_n_series(p); i++) {
        size_t n = xf_panel_series_length(p, i);
        if (n <= k)
            continue;
        for (j = 0; j < nc; j++)
            cov[j] = xf_panel_series_covariate(p, i, j);
        if ((rc = xf_panel_add_series(*out, xf_panel_series_id(p, i), n - k,
                                      xf_panel_series_times(p, i), xf_panel_series_freq(p, i),
                                      xf_panel_series_values(p, i), nc ? cov : NULL, err)) != XF_OK)
            goto done;
    }
    rc = XF_OK;
done:
    if (rc != XF_OK) {
        xf_panel_free(*out);
        *out = NULL;
    }
    free(names);
    free(cov);
    return rc;
}

/* *out = MASE of a head over the last `holdout` values of each series, or
 * NaN when they cannot be scored.  Returns XF_OK, or XF_ENOMEM: a score
 * lost for want of memory must not decide between two heads. */
static int holdout_mase(const xf_head *h, const xf_panel *p, size_t holdout, int n_threads,
                        double *out)
{
    size_t n = xf_panel_n_series(p), i, *ts = malloc((n ? n : 1) * sizeof *ts);
    xf_backtest_result r;
    int rc;
    *out = NAN;
    if (ts == NULL)
        return XF_ENOMEM;
    for (i = 0; i < n; i++) {
        size_t len = xf_panel_series_length(p, i);
        ts[i] = len > holdout ? len - holdout : len;
    }
    if ((rc = xf_head_evaluate(h, p, ts, 0, n_threads, &r, NULL)) == XF_OK) {
        *out = r.overall[XF_METHOD_MODEL].mase;
        xf_backtest_result_free(&r);
    }
    free(ts);
    return rc == XF_ENOMEM ? XF_ENOMEM : XF_OK;
}

/* Commit a head; rep->version changes only when the new version is current. */
static int commit(xf_store *st, const xf_source *src, const xf_head *h, xf_retrain_report *rep,
                  xf_error *err)
{
    int64_t v = 0;
    int rc = xf_store_commit(st, src->name, h, src->keep, &v, err);
    if (v > 0)
        rep->version = v; /* current even when a later step (pruning) failed */
    return rc;
}

static void append_status_time(char *buf, size_t n)
{
    char t[48];
    xf_time_format((xf_time)time(NULL) * 1000000, 0, t, sizeof t);
    snprintf(buf, n, "%s", t);
}

static int write_status(xf_store *st, const xf_source *src, const xf_retrain_report *rep,
                        xf_error *err)
{
    char text[2048], when[48];
    append_status_time(when, sizeof when);
    snprintf(text, sizeof text,
             "source: %s\n"
             "csv: %s\n"
             "last_run: %s\n"
             "outcome: %s\n"
             "version: %lld\n"
             "rows: %lld\n"
             "rows_added: %lld\n"
             "origins_added: %lld\n"
             "mase_champion: %.6g\n"
             "mase_challenger: %.6g\n"
             "seconds: %.3f\n"
             "message: %s\n",
             src->name, src->csv, when, xf_retrain_outcome_name(rep->outcome),
             (long long)rep->version, (long long)rep->rows, (long long)rep->rows_added,
             (long long)rep->origins_added, rep->mase_champion, rep->mase_challenger, rep->seconds,
             rep->message);
    return xf_store_write_status(st, src->name, text, err);
}

/* Split "a,b,c" into names (pointers into buf). */
static size_t split_list(char *buf, const char **names, size_t max)
{
    size_t n = 0;
    char *p = buf;
    while (p != NULL && *p != '\0' && n < max) {
        char *c = strchr(p, ',');
        if (c != NULL)
            *c = '\0';
        while (*p == ' ')
            p++;
        if (*p != '\0')
            names[n++] = p;
        p = c != NULL ? c + 1 : NULL;
    }
    return n;
}

static int read_panel(const xf_source *src, xf_dataset **ds, xf_panel **panel, xf_error *err)
{
    xf_csv_options o = src->csv_opts;
    char *targets = NULL, *covbuf = NULL;
    const char **covs = NULL;
    size_t nc = 0, max = 1;
    const char *q;
    int rc;
    if (src->covariates != NULL) {
        /* the whole list, however long (the fit checks the count's limit) */
        for (q = src->covariates; *q != '\0'; q++)
            max += *q == ',';
        covbuf = xf__strndup(src->covariates, strlen(src->covariates));
        covs = xf__malloc_array(max, sizeof *covs);
        if (covbuf == NULL || covs == NULL) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        nc = split_list(covbuf, covs, max);
        if (o.targets != NULL) {
            size_t len = strlen(o.targets) + strlen(src->covariates) + 2;
            if ((targets = malloc(len)) == NULL) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                goto done;
            }
            snprintf(targets, len, "%s,%s", o.targets, src->covariates);
            o.targets = targets;
        }
    }
    if ((rc = xf_dataset_read_csv(src->csv, &o, ds, err)) == XF_OK)
        rc = xf_panel_from_dataset(*ds, covs, nc, panel, err);
done:
    free(targets);
    free(covbuf);
    free(covs);
    return rc;
}

int xf_retrain_source(xf_store *st, const xf_source *src, xf_encoder *const *encs, size_t n_enc,
                      const xf_retrain_options *o, xf_retrain_report *rep, xf_error *err)
{
    xf_lock *lock = NULL;
    xf_dataset *ds = NULL;
    xf_panel *panel = NULL, *train = NULL;
    xf_head *champ = NULL, *chall = NULL;
    size_t *seen = NULL, i, holdout, n_series;
    int64_t added = 0, cur = 0;
    double t0 = xf__now();
    int rc, have_champ = 0, grown, cur_damaged = 0, fell_back = 0;
    xf_retrain_options in;
    xf_head_options ho = src->head;
    memset(rep, 0, sizeof *rep);
    rep->outcome = XF_RETRAIN_FAILED;
    rep->mase_champion = rep->mase_challenger = NAN;
    xf_retrain_options_init(&in);
    XF__IMPORT_OPTIONS(in, o, XF__RETRAIN_OPTIONS_V1, xf_retrain_options, err);
    /* a dry run only reads (loads retry when a commit replaces a file) */
    if (!o->dry_run && (rc = xf_store_lock(st, src->name, o->wait, &lock, err)) != XF_OK)
        return rc; /* XF_EBUSY: another run has it */
    {
        /* no readable champion is no champion; out of memory is not */
        xf_error e0;
        if (xf_store_current(st, src->name, &cur, &e0) != XF_OK) {
            cur = 0;
            if (e0.code == XF_ENOMEM) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                goto fail_msg;
            }
            cur_damaged = e0.code == XF_EFORMAT;
        }
    }
    rep->version = cur; /* the champion, whatever happens below */
    /* the data */
    if ((rc = read_panel(src, &ds, &panel, err)) != XF_OK) {
        snprintf(rep->message, sizeof rep->message, "%s", err != NULL ? err->message : "");
        goto done;
    }
    n_series = xf_panel_n_series(panel);
    for (i = 0; i < n_series; i++)
        rep->rows += (int64_t)xf_panel_series_length(panel, i);
    /* the champion */
    if (cur > 0 || cur_damaged) {
        xf_error e2, warn;
        rc = cur > 0 ? xf_store_load(st, src->name, 0, &champ, &e2) : XF_EFORMAT;
        if (cur_damaged || rc == XF_ENOTFOUND) {
            /* CURRENT is damaged or names a version that is gone: the
             * newest version that loads is the champion, and the commit
             * below (never "unchanged") repairs CURRENT; with no version
             * that loads, a new head */
            int64_t got = 0;
            rc = xf_store_load_current(st, src->name, &champ, &got, &warn, &e2);
            rep->warning = 1;
            if (rc == XF_OK) {
                fell_back = 1;
                cur = got;
                rep->version = cur;
                snprintf(rep->message, sizeof rep->message, "%.400s; ", warn.message);
            } else if (rc != XF_ENOMEM) {
                snprintf(rep->message, sizeof rep->message, "%.400s: retrained; ", e2.message);
                cur = 0;
                rep->version = 0;
                rc = XF_OK;
            }
        }
        if (champ == NULL && rc == XF_OK) {
            /* no version loads: no champion */
        } else if (rc == XF_OK) {
            if (xf_head_attach_encoders(champ, encs, n_enc, &e2) == XF_OK &&
                xf__head_check_covariates(champ, panel, &e2) == XF_OK) {
                have_champ = 1;
            } else if (e2.code == XF_ENOMEM) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                goto fail_msg;
            } else {
                /* the source's encoders or covariates changed: the champion
                 * cannot run on this configuration any more */
                snprintf(rep->message + strlen(rep->message),
                         sizeof rep->message - strlen(rep->message),
                         "champion v%lld no longer fits the "
                         "configuration (%.300s): replaced; ",
                         (long long)cur, e2.message);
                xf_head_free(champ);
                champ = NULL;
            }
        } else if (rc == XF_ECHECKSUM || rc == XF_EFORMAT) {
            rep->warning = 1;
            if (src->on_corrupt_skip) {
                xf__fail(err, rc, 0, 0, "champion v%lld is damaged (%s); on_corrupt = skip",
                         (long long)cur, e2.message);
                snprintf(rep->message, sizeof rep->message, "%s",
                         err != NULL ? err->message : e2.message);
                goto done;
            }
            snprintf(rep->message, sizeof rep->message,
                     "champion v%lld is damaged (%.400s): "
                     "retrained; ",
                     (long long)cur, e2.message);
        } else {
            if (err != NULL)
                *err = e2;
            snprintf(rep->message, sizeof rep->message, "%s", e2.message);
            goto done;
        }
        rc = XF_OK;
    }
    if ((seen = calloc(n_series ? n_series : 1, sizeof *seen)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    if (have_champ && !o->force && !fell_back) {
        /* A rollback pinned the champion: keep it while the data and the
         * configuration are those the version rolled back from saw. */
        int64_t pv = 0, from = 0, padd = 0;
        xf_error ep;
        if ((rc = xf_store_pinned(st, src->name, &pv, &from, &ep)) == XF_ENOMEM) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto fail_msg;
        }
        rc = XF_OK;
        if (pv > 0 && pv == cur) {
            xf_head *ref = NULL;
            const xf_head *r = champ;
            int same;
            if (from != cur && xf_store_load(st, src->name, from, &ref, &ep) == XF_OK)
                r = ref; /* else it is gone: what the pinned version saw */
            same = same_config(r, src) && grown_since(r, panel, seen, &padd) && padd == 0;
            xf_head_free(ref);
            if (same) {
                rep->outcome = XF_RETRAIN_UNCHANGED;
                snprintf(rep->message + strlen(rep->message),
                         sizeof rep->message - strlen(rep->message),
                         "v%lld pinned by a rollback from v%lld: no new data or configuration "
                         "since (xfcast store unpin releases it)",
                         (long long)cur, (long long)from);
                goto status;
            }
            if (!o->dry_run && (rc = xf_store_unpin(st, src->name, NULL, err)) != XF_OK)
                goto fail_msg;
            snprintf(rep->message + strlen(rep->message),
                     sizeof rep->message - strlen(rep->message),
                     "pin on v%lld %s (new data or configuration); ", (long long)cur,
                     o->dry_run ? "would be released" : "released");
        }
    }
    grown = have_champ && !o->force && !fell_back && same_config(champ, src) &&
            grown_since(champ, panel, seen, &added);
    if (grown && added == 0) {
        int64_t future = 0;
        for (i = 0; i < n_series; i++)
            future += (int64_t)(xf_panel_series_length(panel, i) -
                                (seen[i] > xf_panel_series_observed(panel, i)
                                     ? seen[i]
                                     : xf_panel_series_observed(panel, i)));
        rep->outcome = XF_RETRAIN_UNCHANGED;
        if (future > 0)
            snprintf(rep->message + strlen(rep->message),
                     sizeof rep->message - strlen(rep->message),
                     "no new target values since v%lld; %lld rows with covariates only are "
                     "kept as the future",
                     (long long)cur, (long long)future);
        else
            snprintf(rep->message + strlen(rep->message),
                     sizeof rep->message - strlen(rep->message), "no new data since v%lld",
                     (long long)cur);
        goto status;
    }
    if (grown) {
        /* the data only grew: score the champion on what is new, then add it */
        size_t origins = 0;
        rep->rows_added = added;
        {
            size_t *ts = malloc(n_series * sizeof *ts);
            xf_backtest_result r;
            int rc_ev = XF_ENOMEM;
            if (ts != NULL) {
                for (i = 0; i < n_series; i++)
                    ts[i] = seen[i];
                rc_ev = xf_head_evaluate(champ, panel, ts, 0, o->n_threads, &r, NULL);
                if (rc_ev == XF_OK) {
                    rep->mase_champion = r.overall[XF_METHOD_MODEL].mase;
                    xf_backtest_result_free(&r);
                }
                free(ts);
            }
            if (rc_ev == XF_ENOMEM) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                goto fail_msg;
            }
        }
        if ((rc = xf_head_update(champ, panel, seen, o->n_threads, &origins, err)) != XF_OK) {
            snprintf(rep->message, sizeof rep->message, "%s", err != NULL ? err->message : "");
            goto done;
        }
        rep->origins_added = (int64_t)origins;
        if ((rc = record_seen(champ, panel)) != XF_OK ||
            (rc = record_config(champ, src)) != XF_OK) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        if (o->dry_run) {
            rep->outcome = XF_RETRAIN_DRY_RUN;
            snprintf(rep->message + strlen(rep->message),
                     sizeof rep->message - strlen(rep->message),
                     "would add %lld new values (%zu origins) "
                     "to v%lld",
                     (long long)added, origins, (long long)cur);
            goto done_ok;
        }
        if ((rc = commit(st, src, champ, rep, err)) != XF_OK) {
            snprintf(rep->message, sizeof rep->message, "%s", err != NULL ? err->message : "");
            goto done;
        }
        rep->outcome = XF_RETRAIN_UPDATED;
        snprintf(rep->message + strlen(rep->message), sizeof rep->message - strlen(rep->message),
                 "%lld new values, %zu origins added exactly "
                 "to v%lld -> v%lld",
                 (long long)added, origins, (long long)cur, (long long)rep->version);
        goto status;
    }
    /* full: challenger on all but the holdout, compared with the champion */
    if (ho.horizon == XF_AUTO) {
        xf_head_options tmp = ho;
        if ((rc = xf_head_options_resolve(&tmp, panel, err)) != XF_OK)
            goto fail_msg;
        ho.horizon = tmp.horizon;
    }
    holdout = src->holdout != XF_AUTO ? (size_t)src->holdout : 4 * (size_t)ho.horizon;
    if (holdout < (size_t)ho.horizon)
        holdout = (size_t)ho.horizon;
    ho.n_threads = o->n_threads;
    ho.source = src->name;
    if ((rc = panel_head(panel, holdout, &train, err)) != XF_OK)
        goto fail_msg;
    if (xf_panel_n_series(train) == 0) {
        /* every series within the holdout: say what a fit needs */
        size_t s, longest = 0, H = (size_t)ho.horizon,
                  need = (size_t)XF_HEAD_MIN_FIRST_ORIGIN + H - 1 +
                         xf__head_min_origins(H, ho.valid_fraction);
        for (s = 0; s < xf_panel_n_series(panel); s++)
            if (xf_panel_series_length(panel, s) > longest)
                longest = xf_panel_series_length(panel, s);
        rc = xf__fail(err, XF_EDATA, 0, 0,
                      "too few values: the longest series has %zu; retrain holds out the last "
                      "%zu (holdout%s) and a fit with horizon %zu needs at least %zu before them, "
                      "%zu in all (lower holdout or horizon, or add data)",
                      longest, holdout, src->holdout != XF_AUTO ? "" : ": 4 horizons by default", H,
                      need, holdout + need);
        goto fail_msg;
    }
    if ((rc = xf_head_fit(train, encs, n_enc, &ho, &chall, err)) != XF_OK)
        goto fail_msg;
    if (holdout_mase(chall, panel, holdout, o->n_threads, &rep->mase_challenger) != XF_OK) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto fail_msg;
    }
    if (have_champ) {
        /* a fair comparison: the champion's configuration refitted on the
         * same training part (it may have seen the holdout values); a
         * champion that cannot be refitted scores NaN, unless memory ran out */
        xf_head *ct = NULL;
        xf_error e4;
        int rc4;
        if ((rc4 = xf_store_load(st, src->name, cur, &ct, &e4)) == XF_OK &&
            (rc4 = xf_head_attach_encoders(ct, encs, n_enc, &e4)) == XF_OK &&
            (rc4 = xf_head_refit(ct, train, o->n_threads, NULL, &e4)) == XF_OK)
            rc4 = holdout_mase(ct, panel, holdout, o->n_threads, &rep->mase_champion);
        xf_head_free(ct);
        if (rc4 == XF_ENOMEM) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto fail_msg;
        }
    }
    if (have_champ && !o->force && isfinite(rep->mase_champion) &&
        !(rep->mase_challenger <= rep->mase_champion * (1.0 + src->tolerance))) {
        /* the champion's configuration stays, refitted on everything */
        if ((rc = xf_head_refit(champ, panel, o->n_threads, NULL, err)) != XF_OK ||
            (rc = record_seen(champ, panel)) != XF_OK || (rc = record_config(champ, src)) != XF_OK)
            goto fail_msg;
        if (o->dry_run) {
            rep->outcome = XF_RETRAIN_DRY_RUN;
            snprintf(rep->message + strlen(rep->message),
                     sizeof rep->message - strlen(rep->message),
                     "would keep the champion's configuration: challenger MASE %.4g vs %.4g on "
                     "the last %zu values",
                     rep->mase_challenger, rep->mase_champion, holdout);
            goto done_ok;
        }
        if ((rc = commit(st, src, champ, rep, err)) != XF_OK)
            goto fail_msg;
        rep->outcome = XF_RETRAIN_KEPT;
        snprintf(rep->message + strlen(rep->message), sizeof rep->message - strlen(rep->message),
                 "champion's configuration kept (v%lld refitted as v%lld): challenger MASE %.4g "
                 "on the last %zu values is worse than the champion's %.4g by more than %.3g%%",
                 (long long)cur, (long long)rep->version, rep->mase_challenger, holdout,
                 rep->mase_champion, 100 * src->tolerance);
        goto status;
    }
    /* promote: the challenger's configuration refitted exactly on everything */
    if ((rc = xf_head_refit(chall, panel, o->n_threads, NULL, err)) != XF_OK ||
        (rc = record_seen(chall, panel)) != XF_OK || (rc = record_config(chall, src)) != XF_OK)
        goto fail_msg;
    if (o->dry_run) {
        rep->outcome = XF_RETRAIN_DRY_RUN;
        snprintf(rep->message + strlen(rep->message), sizeof rep->message - strlen(rep->message),
                 "would promote a challenger (MASE %.4g%s on the last %zu values)",
                 rep->mase_challenger, have_champ ? " vs the champion's" : "", holdout);
        goto done_ok;
    }
    if ((rc = commit(st, src, chall, rep, err)) != XF_OK)
        goto fail_msg;
    rep->outcome = XF_RETRAIN_PROMOTED;
    if (have_champ)
        snprintf(rep->message + strlen(rep->message), sizeof rep->message - strlen(rep->message),
                 "v%lld promoted over v%lld: MASE %.4g vs %.4g on the last %zu values%s",
                 (long long)rep->version, (long long)cur, rep->mase_challenger, rep->mase_champion,
                 holdout, o->force ? " (--force)" : "");
    else
        snprintf(rep->message + strlen(rep->message), sizeof rep->message - strlen(rep->message),
                 "v%lld: %s (MASE %.4g on the last %zu values)", (long long)rep->version,
                 cur > 0 ? "new head" : "first head", rep->mase_challenger, holdout);
status:
    rep->seconds = xf__now() - t0;
    if (!o->dry_run && (rc = write_status(st, src, rep, err)) != XF_OK) {
        rep->outcome = XF_RETRAIN_FAILED;
        goto done;
    }
done_ok:
    rc = XF_OK;
    goto done;
fail_msg:
    snprintf(rep->message + strlen(rep->message), sizeof rep->message - strlen(rep->message), "%s",
             err != NULL ? err->message : "");
done:
    rep->seconds = xf__now() - t0;
    if (rc != XF_OK && !o->dry_run) {
        xf_error e3;
        rep->outcome = XF_RETRAIN_FAILED;
        write_status(st, src, rep, &e3); /* best effort: the run reports rc */
    }
    xf_store_unlock(lock);
    xf_head_free(champ);
    xf_head_free(chall);
    xf_panel_free(train);
    xf_panel_free(panel);
    xf_dataset_free(ds);
    free(seen);
    return rc;
}
