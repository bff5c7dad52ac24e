/* test_pretrain.c - pretraining: it learns, it is deterministic whatever the
 * thread count, a resumed run equals an uninterrupted one, encoder files
 * round-trip, damaged or mismatched files are refused, a directory of CSV
 * files can serve as the corpus, corpus v2 trains and resumes (only on
 * v2), and a data-parallel run over several processes (simulated by
 * threads exchanging through shared memory) gives the weights of one
 * process, resumes with another process count, and stops every process,
 * with one message, when one fails.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xfcast.h>

#include "testutil.h"

static char dir[] = "/tmp/xf_test_pretrain_XXXXXX";

static void small(xf_pretrain_options *o, xf_arch arch)
{
    xf_pretrain_options_init(o, arch);
    o->encoder.context = 48;
    o->encoder.n_hidden = 8;
    o->encoder.n_channels = 6;
    o->encoder.n_blocks = 4;
    o->horizon = 8;
    o->batch = 64;
    o->steps = 30;
    o->warmup = 5;
    o->lr = 5e-3;
    o->n_valid = 64;
    o->eval_every = 10;
    o->n_threads = 1;
}

static double last_valid, first_valid = -1;

static void progress(const xf_pretrain_status *st, void *user)
{
    (void)user;
    if (st->is_eval) {
        if (first_valid < 0)
            first_valid = st->valid_loss;
        last_valid = st->valid_loss;
    }
}

/* Output rows of an encoder's pretraining head. */
static size_t head_rows(const xf_encoder *e)
{
    int32_t nq = xf_encoder_n_quantiles(e);
    return (size_t)xf_encoder_horizon(e) * (size_t)(nq > 0 ? nq : 1);
}

static int same_params(const xf_encoder *a, const xf_encoder *b)
{
    return xf_encoder_n_params(a) == xf_encoder_n_params(b) &&
           memcmp(xf_encoder_params(a), xf_encoder_params(b),
                  xf_encoder_n_params(a) * sizeof(float)) == 0 &&
           xf_encoder_horizon(a) == xf_encoder_horizon(b) &&
           xf_encoder_n_quantiles(a) == xf_encoder_n_quantiles(b) &&
           xf_encoder_head_lags(a) == xf_encoder_head_lags(b) &&
           memcmp(xf_encoder_head_weights(a), xf_encoder_head_weights(b),
                  head_rows(a) * (xf_encoder_embed_size(a) + (size_t)xf_encoder_head_lags(a)) *
                      sizeof(float)) == 0 &&
           memcmp(xf_encoder_head_bias(a), xf_encoder_head_bias(b), head_rows(a) * sizeof(float)) ==
               0;
}

/* Run o for 120 steps: the validation error must fall by 5% at least.
 * Returns the encoder (NULL on failure); o->progress is NULL afterwards. */
static xf_encoder *check_learns(xf_pretrain_options *o, const char *what)
{
    xf_encoder *e = NULL;
    xf_error err;
    o->steps = 120;
    o->eval_every = 60;
    o->progress = progress;
    first_valid = -1;
    CHECK_MSG(xf_pretrain(o, &e, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(last_valid < 0.95 * first_valid, "%s: validation %.4f -> %.4f did not improve", what,
              first_valid, last_valid);
    o->progress = NULL;
    return e;
}

/* Run o to step 50 with a checkpoint at ck (into *stopped), then resume it
 * to the end (into *resumed): the result must equal `straight`.  Leaves o
 * resuming from ck, with no checkpoint of its own. */
static void check_resume(xf_pretrain_options *o, const xf_encoder *straight, const char *ck,
                         const char *what, xf_encoder **stopped, xf_encoder **resumed)
{
    xf_error err;
    o->checkpoint = ck;
    o->checkpoint_every = 1000;
    o->stop_at = 50;
    CHECK_MSG(xf_pretrain(o, stopped, &err) == XF_OK, "%s", err.message);
    o->stop_at = 0;
    o->resume = ck;
    o->checkpoint = NULL;
    CHECK_MSG(xf_pretrain(o, resumed, &err) == XF_OK, "%s", err.message);
    if (straight && *resumed)
        CHECK_MSG(same_params(straight, *resumed), "%s: resumed run differs from a straight one",
                  what);
}

static void test_learns_and_deterministic(xf_arch arch)
{
    xf_pretrain_options o;
    xf_encoder *a = NULL, *b = NULL, *c = NULL, *r = NULL;
    xf_error err;
    char ck[256];
    snprintf(ck, sizeof ck, "%s/run.ckpt", dir);
    small(&o, arch);
    a = check_learns(&o, arch == XF_ARCH_GRU ? "gru" : "tcn");
    /* two threads, same result */
    o.n_threads = 2;
    CHECK_MSG(xf_pretrain(&o, &b, &err) == XF_OK, "%s", err.message);
    if (a && b)
        CHECK_MSG(same_params(a, b), "arch %d: 1 and 2 threads differ", arch);
    /* stop at step 50 with a checkpoint, resume to 120: same as straight through */
    check_resume(&o, a, ck, arch == XF_ARCH_GRU ? "gru" : "tcn", &c, &r);
    /* a checkpoint of other options is refused */
    {
        xf_encoder *x = NULL;
        o.steps = 121;
        CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
        CHECK(strstr(err.message, "made with another --steps") != NULL);
        o.steps = 120;
        o.stop_at = 50;
        CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
        CHECK(strstr(err.message, "already at step 50") != NULL);
        o.stop_at = 0;
        o.seed = 99;
        CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
        CHECK(strstr(err.message, "other options") != NULL);
        CHECK(x == NULL);
    }
    /* provenance */
    if (a) {
        const char *s;
        int64_t steps;
        CHECK(xf_xfm_get_str(xf_encoder_meta(a), "pretrain.corpus", &s, NULL) == XF_OK);
        CHECK(strstr(s, "synthetic") != NULL);
        CHECK(xf_xfm_get_str(xf_encoder_meta(a), "pretrain.benchmark_data_seen", &s, NULL) ==
                  XF_OK &&
              strcmp(s, "none") == 0);
        CHECK(xf_xfm_get_i64(xf_encoder_meta(a), "pretrain.steps", &steps, NULL) == XF_OK &&
              steps == 120);
    }
    xf_encoder_free(a);
    xf_encoder_free(b);
    xf_encoder_free(c);
    xf_encoder_free(r);
    unlink(ck);
}

static void test_files(void)
{
    xf_pretrain_options o;
    xf_encoder *a = NULL, *l = NULL;
    xf_encoder_workspace *wa = NULL, *wl = NULL;
    xf_error err;
    char path[256];
    float win[2 * 48], fa[2 * 8], fl[2 * 8], ea[64], el[64];
    size_t i;
    snprintf(path, sizeof path, "%s/enc.xfm", dir);
    small(&o, XF_ARCH_TCN);
    CHECK(xf_pretrain(&o, &a, &err) == XF_OK);
    if (a == NULL)
        return;
    CHECK(xf_encoder_save(a, path, &err) == XF_OK);
    CHECK_MSG(xf_encoder_load(path, &l, &err) == XF_OK, "%s", err.message);
    if (l == NULL) {
        xf_encoder_free(a);
        return;
    }
    CHECK(same_params(a, l));
    for (i = 0; i < 2 * 48; i++)
        win[i] = (float)(10.0 + 3.0 * sin(0.4 * (double)i) + (i % 5 == 0 ? NAN : 0.0));
    CHECK(xf_encoder_workspace_new(a, 2, &wa, &err) == XF_OK);
    CHECK(xf_encoder_workspace_new(l, 2, &wl, &err) == XF_OK);
    CHECK(xf_encoder_embed(a, wa, win, 2, ea, NULL, &err) == XF_OK);
    CHECK(xf_encoder_embed(l, wl, win, 2, el, NULL, &err) == XF_OK);
    CHECK(memcmp(ea, el, 2 * xf_encoder_embed_size(a) * sizeof *ea) == 0);
    CHECK(xf_encoder_forecast(a, wa, win, 2, 8, fa, &err) == XF_OK);
    CHECK(xf_encoder_forecast(l, wl, win, 2, 8, fl, &err) == XF_OK);
    CHECK(memcmp(fa, fl, sizeof fa) == 0);
    for (i = 0; i < 16; i++)
        CHECK(isfinite(fa[i]) && fa[i] > -40 && fa[i] < 60); /* in the data's units */
    CHECK_INT(xf_encoder_forecast(a, wa, win, 2, 9, fa, &err), XF_EINVAL);
    CHECK(strstr(err.message, "horizon 9 is outside 1..8") != NULL);
    /* a file that is not an encoder, and one that lacks a tensor */
    {
        xf_xfm *mf = NULL;
        xf_encoder *bad = NULL;
        int64_t d[1] = {2};
        float z[2] = {0, 0};
        CHECK(xf_xfm_new("head", &mf) == XF_OK);
        CHECK(xf_xfm_save(mf, path, &err) == XF_OK);
        CHECK_INT(xf_encoder_load(path, &bad, &err), XF_EFORMAT);
        CHECK(strstr(err.message, "a 'head' file, not an encoder") != NULL);
        xf_xfm_free(mf);
        CHECK(xf_xfm_new("encoder", &mf) == XF_OK);
        xf_xfm_set_str(mf, "encoder.arch", "tcn");
        xf_xfm_set_i64(mf, "encoder.context", 48);
        xf_xfm_set_i64(mf, "encoder.n_channels", 6);
        xf_xfm_set_i64(mf, "encoder.n_blocks", 4);
        xf_xfm_set_i64(mf, "encoder.kernel_size", 3);
        xf_xfm_add_tensor_f32(mf, "tcn.in.b", 1, d, z);
        CHECK(xf_xfm_save(mf, path, &err) == XF_OK);
        CHECK_INT(xf_encoder_load(path, &bad, &err), XF_EFORMAT);
        CHECK(strstr(err.message, "tensor 'tcn.in.W' is missing") != NULL);
        xf_xfm_free(mf);
        CHECK(bad == NULL);
    }
    unlink(path);
    xf_encoder_workspace_free(wa);
    xf_encoder_workspace_free(wl);
    xf_encoder_free(a);
    xf_encoder_free(l);
}

static void test_corpus_dir(void)
{
    xf_pretrain_options o;
    xf_encoder *a = NULL;
    xf_error err;
    char sub[256], f[300];
    FILE *fp;
    int i;
    snprintf(sub, sizeof sub, "%s/csvs", dir);
    CHECK(mkdir(sub, 0700) == 0);
    snprintf(f, sizeof f, "%s/a.csv", sub);
    fp = fopen(f, "w");
    fprintf(fp, "date,load,temp\n");
    for (i = 0; i < 300; i++)
        fprintf(fp, "%lld,%.3f,%.2f\n", 1600000000LL + i * 3600LL, 50 + 10 * sin(i * 0.26),
                12 + (i % 24) * 0.3);
    fclose(fp);
    small(&o, XF_ARCH_GRU);
    o.steps = 10;
    o.corpus_dir = sub;
    CHECK_MSG(xf_pretrain(&o, &a, &err) == XF_OK, "%s", err.message);
    if (a) {
        const char *s;
        CHECK(xf_xfm_get_str(xf_encoder_meta(a), "pretrain.corpus", &s, NULL) == XF_OK);
        CHECK(strstr(s, "(2 series)") != NULL);
    }
    xf_encoder_free(a);
    /* series too short for a window */
    o.encoder.context = 512;
    CHECK_INT(xf_pretrain(&o, &a, &err), XF_EDATA);
    CHECK(strstr(err.message, "no series in") != NULL);
    unlink(f);
    rmdir(sub);
    /* no such directory */
    o.corpus_dir = "/nonexistent/xfcast";
    CHECK_INT(xf_pretrain(&o, &a, &err), XF_EIO);
}

/* --backcast: extra head outputs reconstruct the last context values; the
 * saved zero-shot head keeps only the forecast rows; resumes exactly. */
static void test_backcast(void)
{
    xf_pretrain_options o;
    xf_encoder *a = NULL, *c = NULL, *r = NULL, *x = NULL;
    xf_error err;
    char ck[256];
    int64_t bc = -1;
    snprintf(ck, sizeof ck, "%s/backcast.ckpt", dir);
    small(&o, XF_ARCH_TCN);
    o.backcast = 8;
    a = check_learns(&o, "backcast");
    if (a) {
        CHECK_INT(xf_encoder_horizon(a), 8);
        CHECK(xf_xfm_get_i64(xf_encoder_meta(a), "pretrain.backcast", &bc, NULL) == XF_OK &&
              bc == 8);
    }
    check_resume(&o, a, ck, "backcast", &c, &r);
    /* same number of head outputs, split otherwise: refused by name */
    o.horizon = 12;
    o.backcast = 4;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "another --backcast") != NULL, "%s", err.message);
    CHECK(x == NULL);
    small(&o, XF_ARCH_TCN);
    o.backcast = 49; /* context 48 */
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "backcast 49 must be 0..context (48)") != NULL, "%s",
              err.message);
    xf_encoder_free(a);
    xf_encoder_free(c);
    xf_encoder_free(r);
    unlink(ck);
}

/* Corpus v2: a run learns, does not depend on the thread count, resumes
 * exactly, records its corpus version, and a checkpoint is resumed only on
 * the same version.  Context 48 + horizon 8: v2 samples (50-5000 values)
 * give windows cut at an offset, and the shortest ones padded windows. */
static void test_corpus_v2(void)
{
    xf_pretrain_options o;
    xf_encoder *a = NULL, *b = NULL, *c = NULL, *r = NULL, *x = NULL;
    xf_error err;
    char ck[256];
    int64_t cv = 0;
    const char *s;
    snprintf(ck, sizeof ck, "%s/v2.ckpt", dir);
    small(&o, XF_ARCH_GRU);
    o.corpus_version = 2;
    a = check_learns(&o, "gru on corpus v2");
    if (a) {
        CHECK(xf_xfm_get_i64(xf_encoder_meta(a), "pretrain.corpus_version", &cv, NULL) == XF_OK &&
              cv == 2);
        CHECK(xf_xfm_get_str(xf_encoder_meta(a), "pretrain.corpus", &s, NULL) == XF_OK &&
              strstr(s, "synthetic corpus v2") != NULL);
    }
    o.n_threads = 2;
    CHECK_MSG(xf_pretrain(&o, &b, &err) == XF_OK, "%s", err.message);
    if (a && b)
        CHECK_MSG(same_params(a, b), "corpus v2: 1 and 2 threads differ");
    check_resume(&o, a, ck, "corpus v2", &c, &r);
    /* the checkpoint (v2) resumed on v1: refused, naming both */
    o.corpus_version = 1;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "made on corpus v2; this run uses corpus v1: resume with "
                                  "--corpus v2") != NULL,
              "%s", err.message);
    CHECK(x == NULL);
    /* another corpus: different weights; v1 runs record version 1 */
    o.resume = NULL;
    o.n_threads = 1;
    CHECK_MSG(xf_pretrain(&o, &x, &err) == XF_OK, "%s", err.message);
    if (a && x) {
        CHECK(!same_params(a, x));
        CHECK(xf_xfm_get_i64(xf_encoder_meta(x), "pretrain.corpus_version", &cv, NULL) == XF_OK &&
              cv == 1);
    }
    xf_encoder_free(x);
    x = NULL;
    /* bad versions */
    o.corpus_version = 3;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK_STR(err.message, "corpus version 3 is unknown; this build makes 1 and 2");
    o.corpus_version = 2;
    o.corpus_dir = dir;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK(strstr(err.message, "applies to the synthetic corpus") != NULL);
    CHECK(x == NULL);
    xf_encoder_free(a);
    xf_encoder_free(b);
    xf_encoder_free(c);
    xf_encoder_free(r);
    unlink(ck);
}

/* The seasonal head (options.head): it learns and beats its own
 * seasonal-naive input on validation, is deterministic across threads,
 * resumes exactly (and only as a seasonal head), round-trips through its
 * file with its quantiles, and forecasts sorted quantiles whose median is
 * the point forecast; the periods change the forecast; bad settings are
 * refused. */
static double last_snaive;

static void progress_sn(const xf_pretrain_status *st, void *user)
{
    progress(st, user);
    if (st->is_eval)
        last_snaive = st->valid_snaive;
}

/* The seasonal-difference input (encoder.n_inputs 3) on corpus v2 with a
 * seasonal head: it learns, does not depend on the thread count, resumes
 * exactly, keeps its three inputs in its file, and its checkpoint is not
 * resumed as a two-input run. */
static void test_season_input(void)
{
    xf_pretrain_options o;
    xf_encoder *a = NULL, *b = NULL, *c = NULL, *r = NULL, *x = NULL;
    xf_error err;
    char ck[256];
    snprintf(ck, sizeof ck, "%s/season.ckpt", dir);
    small(&o, XF_ARCH_TCN);
    o.encoder.n_inputs = 3;
    o.corpus_version = 2;
    o.head = XF_ENCODER_HEAD_SEASONAL;
    o.head_lags = 8;
    o.backcast = 4;
    o.steps = 120;
    o.eval_every = 60;
    o.progress = progress;
    first_valid = -1;
    CHECK_MSG(xf_pretrain(&o, &a, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(last_valid < first_valid, "3 inputs: validation %.4f not below its start %.4f",
              last_valid, first_valid);
    o.progress = NULL;
    o.n_threads = 2;
    CHECK_MSG(xf_pretrain(&o, &b, &err) == XF_OK, "%s", err.message);
    if (a && b)
        CHECK_MSG(same_params(a, b), "3 inputs: 1 and 2 threads differ");
    if (a)
        CHECK_INT(xf_encoder_get_config(a)->n_inputs, 3);
    check_resume(&o, a, ck, "3 inputs", &c, &r);
    o.encoder.n_inputs = 2;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "other options") != NULL, "%s", err.message);
    CHECK(x == NULL);
    xf_encoder_free(a);
    xf_encoder_free(b);
    xf_encoder_free(c);
    xf_encoder_free(r);
}

static void test_seasonal_head(void)
{
    xf_pretrain_options o;
    xf_encoder *a = NULL, *b = NULL, *c = NULL, *r = NULL, *l = NULL, *x = NULL;
    xf_encoder_workspace *wa = NULL, *wl = NULL;
    xf_error err;
    char ck[256], path[256];
    const char *s;
    float win[2 * 48], fa[2 * 8], fl[2 * 8], qa[2 * 3 * 8], fn[2 * 8];
    int32_t per[2] = {7, 14}, none[2] = {1, 0};
    int i, h, q;
    snprintf(ck, sizeof ck, "%s/seasonal.ckpt", dir);
    snprintf(path, sizeof path, "%s/seasonal.xfm", dir);
    small(&o, XF_ARCH_TCN);
    o.corpus_version = 2;
    o.head = XF_ENCODER_HEAD_SEASONAL;
    o.head_lags = 8;
    o.n_quantiles = 3;
    o.quantiles[0] = 0.1;
    o.quantiles[1] = 0.5;
    o.quantiles[2] = 0.9;
    o.backcast = 4;
    o.steps = 160;
    o.eval_every = 80;
    o.progress = progress_sn;
    first_valid = -1;
    CHECK_MSG(xf_pretrain(&o, &a, &err) == XF_OK, "%s", err.message);
    CHECK_MSG(last_valid < last_snaive, "validation %.4f not below its seasonal naive %.4f",
              last_valid, last_snaive);
    o.progress = NULL;
    o.n_threads = 2;
    CHECK_MSG(xf_pretrain(&o, &b, &err) == XF_OK, "%s", err.message);
    if (a && b)
        CHECK_MSG(same_params(a, b), "seasonal head: 1 and 2 threads differ");
    check_resume(&o, a, ck, "seasonal head", &c, &r);
    /* its checkpoint as a linear head or with other quantiles: refused */
    o.head = XF_ENCODER_HEAD_LINEAR;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "--head, --head-lags or --quantiles") != NULL, "%s", err.message);
    o.head = XF_ENCODER_HEAD_SEASONAL;
    o.quantiles[2] = 0.95;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK(x == NULL);
    o.quantiles[2] = 0.9;
    o.resume = NULL;
    if (a == NULL)
        goto done;
    CHECK(xf_encoder_head_kind(a) == XF_ENCODER_HEAD_SEASONAL);
    CHECK(xf_encoder_n_quantiles(a) == 3 && xf_encoder_head_lags(a) == 8);
    CHECK(xf_encoder_quantile(a, 0) == 0.1 && xf_encoder_quantile(a, 2) == 0.9);
    CHECK(isnan(xf_encoder_quantile(a, 3)));
    CHECK(xf_encoder_horizon(a) == 8); /* the backcast outputs are not kept */
    CHECK(xf_xfm_get_str(xf_encoder_meta(a), "pretrain.loss", &s, NULL) == XF_OK &&
          strstr(s, "pinball") != NULL);
    CHECK(xf_encoder_save(a, path, &err) == XF_OK);
    CHECK_MSG(xf_encoder_load(path, &l, &err) == XF_OK, "%s", err.message);
    if (l == NULL)
        goto done;
    CHECK(same_params(a, l));
    CHECK(xf_encoder_workspace_new(a, 2, &wa, &err) == XF_OK);
    CHECK(xf_encoder_workspace_new(l, 2, &wl, &err) == XF_OK);
    for (i = 0; i < 2 * 48; i++)
        win[i] = (float)(sin(i * 2 * M_PI / 7) * (i < 48 ? 1 : 3) + 0.01 * i);
    win[40] = NAN;
    CHECK(xf_encoder_forecast_periods(a, wa, win, 2, 8, per, fa, qa, &err) == XF_OK);
    CHECK(xf_encoder_forecast_periods(l, wl, win, 2, 8, per, fl, NULL, &err) == XF_OK);
    CHECK(memcmp(fa, fl, sizeof fa) == 0);
    for (i = 0; i < 2; i++)
        for (h = 0; h < 8; h++) {
            int sorted = 1, has_median = 0;
            for (q = 0; q < 3; q++) {
                float v = qa[(i * 3 + q) * 8 + h];
                sorted &= q == 0 || v >= qa[(i * 3 + q - 1) * 8 + h];
                has_median |= v == fa[i * 8 + h];
            }
            CHECK_MSG(sorted && has_median, "window %d step %d", i, h);
        }
    /* the periods are read: without them the forecast differs */
    CHECK(xf_encoder_forecast_periods(a, wa, win, 2, 8, none, fn, NULL, &err) == XF_OK);
    CHECK(memcmp(fa, fn, sizeof fa) != 0);
    CHECK(xf_encoder_forecast(a, wa, win, 2, 8, fl, &err) == XF_OK);
    CHECK(memcmp(fn, fl, sizeof fn) == 0);
    per[0] = -1;
    CHECK_INT(xf_encoder_forecast_periods(a, wa, win, 2, 8, per, fa, NULL, &err), XF_EINVAL);
    /* a damaged file: quantiles out of order, no median, an unknown head */
    {
        xf_xfm *mf = NULL;
        CHECK(xf_xfm_load(path, &mf, &err) == XF_OK);
        CHECK(xf_xfm_set_f64(mf, "pretrain.quantile.1", 0.05) == XF_OK);
        CHECK(xf_xfm_save(mf, path, &err) == XF_OK);
        CHECK_INT(xf_encoder_load(path, &x, &err), XF_EFORMAT);
        CHECK_MSG(strstr(err.message, "pretrain.quantile.1") != NULL, "%s", err.message);
        CHECK(xf_xfm_set_f64(mf, "pretrain.quantile.1", 0.6) == XF_OK);
        CHECK(xf_xfm_save(mf, path, &err) == XF_OK);
        CHECK_INT(xf_encoder_load(path, &x, &err), XF_EFORMAT);
        CHECK_MSG(strstr(err.message, "median") != NULL, "%s", err.message);
        CHECK(xf_xfm_set_f64(mf, "pretrain.quantile.1", 0.5) == XF_OK);
        CHECK(xf_xfm_set_str(mf, "pretrain.head", "deep") == XF_OK);
        CHECK(xf_xfm_save(mf, path, &err) == XF_OK);
        CHECK_INT(xf_encoder_load(path, &x, &err), XF_EFORMAT);
        CHECK_MSG(strstr(err.message, "pretraining head 'deep' is unknown") != NULL, "%s",
                  err.message);
        CHECK(xf_xfm_set_i64(mf, "pretrain.lags", 49) == XF_OK); /* > context 48 */
        CHECK(xf_xfm_set_str(mf, "pretrain.head", "seasonal") == XF_OK);
        CHECK(xf_xfm_save(mf, path, &err) == XF_OK);
        CHECK_INT(xf_encoder_load(path, &x, &err), XF_EFORMAT);
        CHECK(x == NULL);
        xf_xfm_free(mf);
    }
    /* bad options */
    o.quantiles[1] = 0.4;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "median") != NULL, "%s", err.message);
    o.quantiles[1] = 0.05;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "must increase") != NULL, "%s", err.message);
    o.quantiles[1] = 0.5;
    o.head_lags = 49;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    o.head_lags = 8;
    o.n_quantiles = 10;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    o.n_quantiles = 3;
    o.head = 7;
    CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
    CHECK(x == NULL);
done:
    xf_encoder_workspace_free(wa);
    xf_encoder_workspace_free(wl);
    xf_encoder_free(a);
    xf_encoder_free(b);
    xf_encoder_free(c);
    xf_encoder_free(r);
    xf_encoder_free(l);
    unlink(ck);
    unlink(path);
}

static void test_bad_options(void)
{
    xf_pretrain_options o;
    xf_encoder *a = NULL;
    xf_error err;
    small(&o, XF_ARCH_GRU);
    o.batch = 48;
    CHECK_INT(xf_pretrain(&o, &a, &err), XF_EINVAL);
    CHECK(strstr(err.message, "batch 48 must be a multiple of 32") != NULL);
    small(&o, XF_ARCH_GRU);
    o.steps = 0;
    CHECK_INT(xf_pretrain(&o, &a, &err), XF_EINVAL);
    small(&o, XF_ARCH_GRU);
    o.resume = "/nonexistent/ckpt";
    CHECK_INT(xf_pretrain(&o, &a, &err), XF_EIO);
    CHECK(a == NULL);
}

/* ------------------------------------------- data-parallel (xf_pretrain_comm) */

#define MAX_FAKE 4

/* An in-process transport: each "process" is a thread; allgather copies
 * the other blocks out of the other threads' buffers between two barriers. */
typedef struct fake_net {
    pthread_barrier_t bar;
    unsigned char *bufs[MAX_FAKE]; /* each process's exchange buffer, during an exchange */
    int n_ranks;
} fake_net;

typedef struct fake_proc {
    fake_net *net;
    xf_pretrain_comm comm;
    xf_pretrain_options o;
    xf_encoder *out;
    xf_error err;
    int rc;
    pthread_t th;
} fake_proc;

static int fake_allgather(void *buf, const size_t *counts, const size_t *offsets, void *user)
{
    fake_proc *p = user;
    fake_net *net = p->net;
    int r;
    net->bufs[p->comm.rank] = buf;
    pthread_barrier_wait(&net->bar);
    for (r = 0; r < net->n_ranks; r++)
        if (r != p->comm.rank)
            memcpy((unsigned char *)buf + offsets[r], net->bufs[r] + offsets[r], counts[r]);
    pthread_barrier_wait(&net->bar); /* nobody reuses its buffer before all have copied */
    return 0;
}

static void *fake_run(void *arg)
{
    fake_proc *p = arg;
    p->rc = xf_pretrain(&p->o, &p->out, &p->err);
    return NULL;
}

/* Run n processes of `o` (process r's options from o, then edit(r, &its o)
 * when edit is set); the results stay in p[]. */
static void fake_pretrain(const xf_pretrain_options *o, int n, fake_proc *p,
                          void (*edit)(int r, xf_pretrain_options *o))
{
    fake_net net;
    int r;
    memset(&net, 0, sizeof net);
    net.n_ranks = n;
    pthread_barrier_init(&net.bar, NULL, (unsigned)n);
    for (r = 0; r < n; r++) {
        memset(&p[r], 0, sizeof p[r]);
        p[r].net = &net;
        p[r].o = *o;
        p[r].comm.rank = r;
        p[r].comm.n_ranks = n;
        p[r].comm.allgather = fake_allgather;
        p[r].comm.user = &p[r];
        p[r].comm.failed_rank = 12345;
        p[r].o.comm = &p[r].comm;
        if (edit != NULL)
            edit(r, &p[r].o);
    }
    for (r = 0; r < n; r++)
        CHECK(pthread_create(&p[r].th, NULL, fake_run, &p[r]) == 0);
    for (r = 0; r < n; r++)
        pthread_join(p[r].th, NULL);
    pthread_barrier_destroy(&net.bar);
}

static double valid_mse(const xf_encoder *e)
{
    double v = NAN;
    xf_xfm_get_f64(xf_encoder_meta(e), "pretrain.valid_mse", &v, NULL);
    return v;
}

static void edit_seed(int r, xf_pretrain_options *o)
{
    if (r == 1)
        o->seed = 7;
}

static void edit_resume_missing(int r, xf_pretrain_options *o)
{
    if (r == 1)
        o->resume = "/nonexistent/xf_test.ckpt";
}

static void test_data_parallel(xf_arch arch)
{
    xf_pretrain_options o;
    fake_proc p[MAX_FAKE];
    xf_encoder *one = NULL, *stopped = NULL, *resumed = NULL;
    xf_error err;
    char ck[256], bad[256];
    int n, r;
    snprintf(ck, sizeof ck, "%s/dp.ckpt", dir);
    snprintf(bad, sizeof bad, "%s/no-such-dir/dp.ckpt", dir);
    small(&o, arch);
    o.batch = 96; /* 3 groups: 2 processes split them 1 + 2 */
    o.steps = 12;
    o.eval_every = 5;
    o.n_valid = 96;
    CHECK_MSG(xf_pretrain(&o, &one, &err) == XF_OK, "%s", err.message);
    /* 1, 2 and 3 processes with the same global batch: the same weights,
     * head and validation loss, on every process */
    for (n = 1; n <= 3 && one != NULL; n++) {
        fake_pretrain(&o, n, p, NULL);
        for (r = 0; r < n; r++) {
            CHECK_MSG(p[r].rc == XF_OK, "%d processes, process %d: %s", n, r, p[r].err.message);
            if (p[r].out == NULL)
                continue;
            CHECK_MSG(same_params(one, p[r].out), "arch %d: %d processes differ from one", arch, n);
            CHECK_MSG(valid_mse(one) == valid_mse(p[r].out), "%.17g != %.17g", valid_mse(one),
                      valid_mse(p[r].out));
            CHECK_INT(p[r].comm.failed_rank, -1);
            xf_encoder_free(p[r].out);
        }
    }
    /* 2 processes stop at step 5 (process 0 writes the checkpoint), one
     * process resumes: the weights of the straight run; then one process
     * stops and 3 resume */
    o.checkpoint = ck;
    o.checkpoint_every = 1000;
    o.stop_at = 5;
    fake_pretrain(&o, 2, p, NULL);
    CHECK_MSG(p[0].rc == XF_OK && p[1].rc == XF_OK, "%s / %s", p[0].err.message, p[1].err.message);
    xf_encoder_free(p[0].out);
    xf_encoder_free(p[1].out);
    o.checkpoint = NULL;
    o.stop_at = 0;
    o.resume = ck;
    CHECK_MSG(xf_pretrain(&o, &resumed, &err) == XF_OK, "%s", err.message);
    if (one && resumed)
        CHECK_MSG(same_params(one, resumed), "arch %d: 2 processes then 1 differ", arch);
    xf_encoder_free(resumed);
    resumed = NULL;
    unlink(ck);
    o.resume = NULL;
    o.checkpoint = ck;
    o.stop_at = 7;
    CHECK_MSG(xf_pretrain(&o, &stopped, &err) == XF_OK, "%s", err.message);
    o.checkpoint = NULL;
    o.stop_at = 0;
    o.resume = ck;
    fake_pretrain(&o, 3, p, NULL);
    for (r = 0; r < 3; r++) {
        CHECK_MSG(p[r].rc == XF_OK, "%s", p[r].err.message);
        if (one && p[r].out)
            CHECK_MSG(same_params(one, p[r].out), "arch %d: 1 process then 3 differ", arch);
        xf_encoder_free(p[r].out);
    }
    /* every process stops with one voice: the same bad option everywhere
     * (process 0 reports it) */
    o.resume = NULL;
    o.batch = 64;
    fake_pretrain(&o, 3, p, NULL);
    for (r = 0; r < 3; r++) {
        CHECK_INT(p[r].rc, XF_EINVAL);
        CHECK_INT(p[r].comm.failed_rank, 0);
        CHECK(p[r].out == NULL);
    }
    CHECK_MSG(strstr(p[0].err.message,
                     "batch 64 is too small for 3 processes: each computes "
                     "whole groups of 32 windows; use a batch of 96 or more") != NULL,
              "%s", p[0].err.message);
    /* options that differ between processes */
    o.batch = 96;
    fake_pretrain(&o, 2, p, edit_seed);
    for (r = 0; r < 2; r++) {
        CHECK_INT(p[r].rc, XF_EINVAL);
        CHECK_INT(p[r].comm.failed_rank, 0);
        CHECK_MSG(strstr(p[r].err.message, "process 1 of 2 runs with other options") != NULL, "%s",
                  p[r].err.message);
    }
    /* one process fails to set up (its checkpoint is missing): it says why,
     * the other stops naming it */
    fake_pretrain(&o, 2, p, edit_resume_missing);
    CHECK_INT(p[1].rc, XF_EIO);
    CHECK_INT(p[0].rc, XF_EIO);
    CHECK_INT(p[0].comm.failed_rank, 1);
    CHECK_INT(p[1].comm.failed_rank, 1);
    CHECK_MSG(strstr(p[1].err.message, "no-such") == NULL &&
                  strstr(p[1].err.message, "nonexistent") != NULL,
              "%s", p[1].err.message);
    CHECK_MSG(strstr(p[0].err.message, "process 1 of 2 failed (XF_EIO") != NULL, "%s",
              p[0].err.message);
    /* process 0 cannot write its checkpoint: both stop, nobody waits */
    o.checkpoint = bad;
    o.checkpoint_every = 3;
    fake_pretrain(&o, 2, p, NULL);
    CHECK_INT(p[0].rc, XF_EIO);
    CHECK_INT(p[1].rc, XF_EIO);
    CHECK_INT(p[0].comm.failed_rank, 0);
    CHECK_INT(p[1].comm.failed_rank, 0);
    CHECK_MSG(strstr(p[1].err.message, "process 0 of 2 failed") != NULL, "%s", p[1].err.message);
    CHECK(p[0].out == NULL && p[1].out == NULL);
    /* a bad rank is refused before any exchange */
    {
        xf_pretrain_comm c;
        xf_encoder *x = NULL;
        memset(&c, 0, sizeof c);
        c.rank = 2;
        c.n_ranks = 2;
        c.allgather = fake_allgather;
        o.comm = &c;
        CHECK_INT(xf_pretrain(&o, &x, &err), XF_EINVAL);
        CHECK_INT(c.failed_rank, -1);
        o.comm = NULL;
    }
    xf_encoder_free(one);
    xf_encoder_free(stopped);
    unlink(ck);
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 99;
    }
    xf_blas_set_threads(1);
    test_learns_and_deterministic(XF_ARCH_GRU);
    test_learns_and_deterministic(XF_ARCH_TCN);
    test_files();
    test_corpus_dir();
    test_backcast();
    test_corpus_v2();
    test_seasonal_head();
    test_season_input();
    test_bad_options();
    test_data_parallel(XF_ARCH_GRU);
    test_data_parallel(XF_ARCH_TCN);
    rmdir(dir);
    return tu_report("test_pretrain");
}
