/* test_oom.c - every allocation failure is a clean XF_ENOMEM (the way
 * SQLite tests out-of-memory): malloc, calloc, realloc and posix_memalign
 * are interposed in this executable (the library is linked statically from
 * libxfcast_core.la; GSL and BLAS go through the same symbols), and the
 * scenarios below - (1) build a panel, fit a head (no encoder), forecast,
 * save and load it; (2) read a CSV file, make a small GRU encoder, fit a
 * head on its embeddings, forecast, backtest; (3) retrain an INI source
 * twice into a new model store, load the champion, forecast and plot; (4)
 * two steps of pretraining a tiny GRU - each run once for every N with the
 * N-th allocation failing.
 * Each run must fail with XF_ENOMEM or succeed; no crash, no abort, no
 * leak (allocations and frees are counted); the run whose N lies past the
 * scenario's last allocation succeeds and ends the test.
 *
 * Skipped (77) under AddressSanitizer, whose allocator the interposition
 * would bypass.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xfcast.h>

#include "nn.h"
#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define XF_OOM_SKIP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XF_OOM_SKIP 1
#endif
#endif

#ifndef XF_OOM_SKIP
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void __libc_free(void *p);

static int armed;    /* counting inside the measured region */
static long n_calls; /* allocations seen since armed */
static long fail_at; /* the call that fails (1-based) */
static long n_live;  /* allocations not yet freed */

/* Whether this allocation fails; errno is then ENOMEM, as glibc sets it. */
static int fail_now(void)
{
    if (armed && ++n_calls == fail_at) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    void *p;
    if (fail_now())
        return NULL;
    p = __libc_malloc(n);
    if (p != NULL && armed)
        n_live++;
    return p;
}

void *calloc(size_t n, size_t size)
{
    void *p;
    if (fail_now())
        return NULL;
    p = __libc_calloc(n, size);
    if (p != NULL && armed)
        n_live++;
    return p;
}

void *realloc(void *q, size_t n)
{
    void *p;
    if (fail_now())
        return NULL;
    p = __libc_realloc(q, n);
    if (p != NULL && q == NULL && armed)
        n_live++;
    return p;
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p;
    if (fail_now())
        return ENOMEM;
    p = __libc_memalign(align, n);
    if (p == NULL)
        return ENOMEM;
    if (armed)
        n_live++;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
    void *p;
    if (fail_now())
        return NULL;
    p = __libc_memalign(align, n);
    if (p != NULL && armed)
        n_live++;
    return p;
}

void free(void *p)
{
    if (p != NULL && armed)
        n_live--;
    __libc_free(p);
}

/* Scenario 1: a panel from arrays, a head fitted with no encoder,
 * forecast, saved and loaded.  Returns its status; frees what it made. */
static int scenario_plain(const char *path, xf_error *err)
{
    enum { N = 400, H = 6 };
    xf_panel *panel = NULL;
    xf_head *h = NULL, *h2 = NULL;
    xf_head_workspace *ws = NULL;
    xf_head_options o;
    xf_time t[N];
    double y[N], mean[H], lo[2 * H], hi[2 * H];
    xf_freq f;
    size_t i;
    int rc;
    for (i = 0; i < N; i++) {
        t[i] = (xf_time)i * XF_TIME_US_PER_DAY;
        y[i] = 10.0 + 2.385 * sin(2 * M_PI * (double)i / 7.0) + 0.01 * (double)(i % 5);
    }
    if ((rc = xf_freq_parse("D", &f, err)) != XF_OK)
        return rc;
    if ((rc = xf_panel_new(NULL, 0, &panel, err)) != XF_OK)
        return rc;
    if ((rc = xf_panel_add_series(panel, "a", N, t, f, y, NULL, err)) != XF_OK)
        goto done;
    xf_head_options_init(&o);
    o.horizon = H;
    o.n_lags = 14;
    o.n_threads = 1;
    o.prior = XF_PRIOR_NONE; /* (the domain prior's corpus: thousands of allocations more) */
    if ((rc = xf_head_fit(panel, NULL, 0, &o, &h, err)) != XF_OK)
        goto done;
    if ((rc = xf_head_workspace_new(h, &ws, err)) != XF_OK)
        goto done;
    if ((rc = xf_head_forecast(h, ws, panel, 0, SIZE_MAX, H, NULL, mean, lo, hi, err)) != XF_OK)
        goto done;
    if ((rc = xf_head_save(h, path, err)) != XF_OK)
        goto done;
    rc = xf_head_load(path, &h2, err);
done:
    xf_head_free(h2);
    xf_head_workspace_free(ws);
    xf_head_free(h);
    xf_panel_free(panel);
    return rc;
}

/* Scenario 2: a CSV file read, a small GRU encoder made, a head fitted on
 * its embeddings and forecast from, then a backtest.  `path` is the CSV
 * file. */
static int scenario_encoder(const char *path, xf_error *err)
{
    enum { H = 4 };
    xf_dataset *ds = NULL;
    xf_panel *panel = NULL;
    xf_encoder_config ec;
    xf_encoder *enc = NULL;
    xf_head *h = NULL;
    xf_head_workspace *ws = NULL;
    xf_head_options o;
    xf_backtest_options bo;
    xf_backtest_result res;
    double mean[H];
    int rc;
    if ((rc = xf_dataset_read_csv(path, NULL, &ds, err)) != XF_OK)
        return rc;
    if ((rc = xf_panel_from_dataset(ds, NULL, 0, &panel, err)) != XF_OK)
        goto done;
    xf_encoder_config_init(&ec, XF_ARCH_GRU);
    ec.context = 16;
    ec.n_hidden = 4;
    if ((rc = xf_encoder_new(&ec, 7, &enc, err)) != XF_OK)
        goto done;
    xf_head_options_init(&o);
    o.horizon = H;
    o.n_lags = 7;
    o.embedding = 1;
    o.n_threads = 1;
    o.prior = XF_PRIOR_NONE;
    if ((rc = xf_head_fit(panel, &enc, 1, &o, &h, err)) != XF_OK)
        goto done;
    if ((rc = xf_head_workspace_new(h, &ws, err)) != XF_OK)
        goto done;
    if ((rc = xf_head_forecast(h, ws, panel, 1, SIZE_MAX, H, NULL, mean, NULL, NULL, err)) != XF_OK)
        goto done;
    xf_backtest_options_init(&bo);
    bo.fit = o;
    bo.test_start_row = 90;
    rc = xf_backtest(panel, &enc, 1, &bo, NULL, NULL, &res, NULL, err);
    xf_backtest_result_free(&res);
done:
    xf_head_workspace_free(ws);
    xf_head_free(h);
    xf_encoder_free(enc);
    xf_panel_free(panel);
    xf_dataset_free(ds);
    return rc;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* rm -rf dir (outside the measured region). */
static void remove_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Scenario 3: an INI file of one source (the CSV of scenario 2, no encoder)
 * retrained twice into a new model store (a first champion, then "no new
 * data"), the champion loaded from the store, its forecast plotted.  `path`
 * is the INI file; the store is STORE_DIR below, emptied before each run. */
static char store_dir[256];

static int scenario_retrain(const char *path, xf_error *err)
{
    enum { H = 4 };
    xf_source *src = NULL;
    size_t n_src = 0;
    xf_store *st = NULL;
    xf_retrain_options ro;
    xf_retrain_report rep;
    xf_head *h = NULL;
    xf_head_workspace *ws = NULL;
    xf_dataset *ds = NULL;
    xf_panel *panel = NULL;
    xf_plot_data pd;
    xf_time t[H];
    double mean[H], lo[2 * H], hi[2 * H], levels[2] = {80, 95};
    char *svg = NULL;
    size_t svg_len = 0;
    int k, rc;
    int armed_was = armed;
    armed = 0;
    remove_tree(store_dir);
    armed = armed_was;
    if ((rc = xf_sources_load(path, &src, &n_src, err)) != XF_OK)
        return rc;
    if ((rc = xf_store_open(store_dir, 1, &st, err)) != XF_OK)
        goto done;
    xf_retrain_options_init(&ro);
    for (k = 0; k < 2; k++)
        if ((rc = xf_retrain_source(st, &src[0], NULL, 0, &ro, &rep, err)) != XF_OK)
            goto done;
    if ((rc = xf_store_load(st, src[0].name, 0, &h, err)) != XF_OK)
        goto done;
    if ((rc = xf_dataset_read_csv(src[0].csv, &src[0].csv_opts, &ds, err)) != XF_OK ||
        (rc = xf_panel_from_dataset(ds, NULL, 0, &panel, err)) != XF_OK ||
        (rc = xf_head_workspace_new(h, &ws, err)) != XF_OK ||
        (rc = xf_head_forecast(h, ws, panel, 0, SIZE_MAX, H, t, mean, lo, hi, err)) != XF_OK)
        goto done;
    memset(&pd, 0, sizeof pd);
    pd.title = "a";
    pd.n_history = 20;
    pd.history_t = xf_panel_series_times(panel, 0) + xf_panel_series_length(panel, 0) - 20;
    pd.history_y = xf_panel_series_values(panel, 0) + xf_panel_series_length(panel, 0) - 20;
    pd.n_forecast = H;
    pd.forecast_t = t;
    pd.mean = mean;
    pd.n_levels = 2;
    pd.levels = levels;
    pd.lo = lo;
    pd.hi = hi;
    rc = xf_plot_svg(&pd, NULL, &svg, &svg_len, err);
done:
    free(svg);
    xf_panel_free(panel);
    xf_dataset_free(ds);
    xf_head_workspace_free(ws);
    xf_head_free(h);
    xf_store_close(st);
    xf_sources_free(src, n_src);
    return rc;
}

/* Scenario 4: two steps of pretraining a tiny GRU on the synthetic corpus
 * (one worker thread).  No checkpoint: its atomic write (fsync) is scenario
 * 1's save, and would cost a second per hundred runs. */
static int scenario_pretrain(const char *path, xf_error *err)
{
    xf_pretrain_options o;
    xf_encoder *enc = NULL;
    int rc;
    (void)path;
    xf_pretrain_options_init(&o, XF_ARCH_GRU);
    o.encoder.context = 16;
    o.encoder.n_hidden = 4;
    o.steps = 2;
    o.batch = 32;
    o.horizon = 4;
    o.n_valid = 32;
    o.warmup = 1;
    o.eval_every = 1;
    o.n_threads = 1;
    rc = xf_pretrain(&o, &enc, err);
    xf_encoder_free(enc);
    return rc;
}

/* Run a scenario once per N with the N-th allocation failing, until one
 * run makes fewer than N allocations (and then must succeed). */
static void fail_every_allocation(const char *name, int (*scenario)(const char *, xf_error *),
                                  const char *path)
{
    xf_error err;
    long n, n_enomem = 0, n_other = 0, n_absorbed = 0, last = 0;
    int rc;
    /* a run without failures first: the allocations BLAS and libc make once */
    rc = scenario(path, &err);
    CHECK_MSG(rc == XF_OK, "%s: %s", name, err.message);
    for (n = 1; n < 1000000; n++) {
        xf_error_clear(&err);
        n_calls = 0;
        n_live = 0;
        fail_at = n;
        armed = 1;
        rc = scenario(path, &err);
        armed = 0;
        CHECK_MSG(n_live == 0, "%s: N=%ld: %ld allocations leaked (rc %s)", name, n, n_live,
                  xf_status_name(rc));
        if (n_calls < n) { /* nothing failed: the scenario must succeed */
            CHECK_MSG(rc == XF_OK, "%s: N=%ld: %s: %s", name, n, xf_status_name(rc), err.message);
            last = n;
            break;
        }
        /* success is allowed: libc's stdio, for one, falls back to
         * unbuffered I/O when its buffer cannot be allocated */
        if (rc == XF_OK)
            n_absorbed++;
        else if (rc == XF_ENOMEM)
            n_enomem++;
        else {
            n_other++;
            fprintf(stderr, "%s: N=%ld: %s: %s\n", name, n, xf_status_name(rc), err.message);
        }
    }
    CHECK_MSG(last > 0, "%s: the scenario never completed", name);
    printf("test_oom: %s: %ld failure points: %ld XF_ENOMEM, %ld other errors, %ld absorbed\n",
           name, last - 1, n_enomem, n_other, n_absorbed);
    CHECK_MSG(n_other == 0, "%s: %ld allocation failures reported as another error", name, n_other);
}
#endif

int main(void)
{
#ifdef XF_OOM_SKIP
    fprintf(stderr, "test_oom: skipped under AddressSanitizer\n");
    return 77;
#else
    char path[256], csv[256], ini[256];
    FILE *fp;
    int i;
    snprintf(path, sizeof path, "%s/xf_oom_%ld.xfm", P_tmpdir, (long)getpid());
    snprintf(csv, sizeof csv, "%s/xf_oom_%ld.csv", P_tmpdir, (long)getpid());
    if ((fp = fopen(csv, "w")) == NULL) {
        perror(csv);
        return 99;
    }
    fputs("date,a,b\n", fp);
    for (i = 0; i < 120; i++)
        fprintf(fp, "2024-%02d-%02d,%.3f,%.3f\n", 1 + i / 28, 1 + i % 28,
                5.0 + 2.385 * sin(i * 0.9), 7.5 + (i % 7) * 0.25);
    if (fclose(fp) != 0) {
        perror(csv);
        return 99;
    }
    /* OpenBLAS's threaded GEMM driver exits the process when its malloc
     * fails ("malloc failed in gemm_driver"): run BLAS on one thread */
    xf__blas_set_threads(1);
    fail_every_allocation("fit+forecast+save+load", scenario_plain, path);
    fail_every_allocation("csv+gru encoder+fit+forecast+backtest", scenario_encoder, csv);
    snprintf(ini, sizeof ini, "%s/xf_oom_%ld.ini", P_tmpdir, (long)getpid());
    snprintf(store_dir, sizeof store_dir, "%s/xf_oom_%ld.store", P_tmpdir, (long)getpid());
    if ((fp = fopen(ini, "w")) == NULL) {
        perror(ini);
        return 99;
    }
    fprintf(fp,
            "[defaults]\nlevels = 80,95\n[src-a]\ncsv = %s\ntarget = a\nencoder = none\n"
            "horizon = 4\nlags = 7\nholdout = 8\nprior = none\n",
            csv);
    if (fclose(fp) != 0) {
        perror(ini);
        return 99;
    }
    fail_every_allocation("ini+retrain x2+store load+forecast+plot", scenario_retrain, ini);
    remove_tree(store_dir);
    fail_every_allocation("pretrain 2 steps", scenario_pretrain, path);
    remove(ini);
    remove(path);
    remove(csv);
    return tu_report("test_oom");
#endif
}
