/* test_model_check.c - model files that are valid containers but make no
 * sense (src/model_check.c): each is written through the .xfm API (a valid
 * file is copied with one key or tensor changed, so its CRC is valid) and
 * must be refused with its precise error, before any large allocation.
 *
 * With `--write-fixtures DIR` it writes instead the files of
 * tests/test_model_cli.sh: DIR/models/zs-enc.xfm (a small GRU with an
 * 8-step pretraining head), DIR/store/zs/v1.xfm + CURRENT (a zero-shot
 * head of that encoder claiming 65 steps), DIR/head-path.xfm (a head naming
 * its encoder "../../zs-enc"), DIR/big-enc.xfm (an encoder file of a few KB
 * declaring a 4096 x 8 GRU) and DIR/data.csv (the panel).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "head_testutil.h"
#include "model_check.h"

/* ------------------------------------------------------------ rewriting */

/* One change made while copying a file: every field NULL/0 is no change. */
typedef struct edit {
    const char *key;      /* set this metadata key ... */
    int64_t i64;          /* ... to this integer (when str is NULL) */
    const char *str;      /* ... or to this string */
    const char *drop;     /* leave out the key or tensor of this name */
    const char *drop2;    /* and this one */
    const char *poke;     /* tensor whose element poke_at becomes poke_value */
    size_t poke_at;       /* element index */
    double poke_value;    /* new value */
    const char *reshape;  /* tensor given the shape dims[0..n_dims): its values repeated */
    size_t n_dims;        /* 1 or 2 */
    int64_t dims[2];      /* the new shape */
    const char *reshape2; /* a second tensor reshaped to dims2, keeping its rank (dims2[0] */
    int64_t dims2[2];     /*   0: its own first dimension kept) */
} edit;

static int copy_key(const xf_xfm *in, xf_xfm *out, size_t i)
{
    const char *k = xf_xfm_meta_key(in, i);
    size_t n;
    switch (xf_xfm_meta_type(in, i)) {
    case XF_XFM_TYPE_U32: {
        uint32_t v = 0;
        return xf_xfm_get_u32(in, k, &v, NULL) || xf_xfm_set_u32(out, k, v);
    }
    case XF_XFM_TYPE_I64: {
        int64_t v = 0;
        return xf_xfm_get_i64(in, k, &v, NULL) || xf_xfm_set_i64(out, k, v);
    }
    case XF_XFM_TYPE_F64: {
        double v = 0;
        return xf_xfm_get_f64(in, k, &v, NULL) || xf_xfm_set_f64(out, k, v);
    }
    case XF_XFM_TYPE_STR: {
        const char *v = NULL;
        return xf_xfm_get_str(in, k, &v, NULL) || xf_xfm_set_str(out, k, v);
    }
    case XF_XFM_TYPE_I64_ARRAY: {
        const int64_t *v = NULL;
        return xf_xfm_get_i64_array(in, k, &v, &n, NULL) || xf_xfm_set_i64_array(out, k, v, n);
    }
    case XF_XFM_TYPE_F64_ARRAY: {
        const double *v = NULL;
        return xf_xfm_get_f64_array(in, k, &v, &n, NULL) || xf_xfm_set_f64_array(out, k, v, n);
    }
    }
    return -1;
}

static int same(const char *a, const char *b)
{
    return a != NULL && strcmp(a, b) == 0;
}

/* Copy tensor i of `in` into `out` with the edit's changes to it. */
static int copy_tensor(const xf_xfm *in, xf_xfm *out, size_t i, const edit *e)
{
    const char *name = xf_xfm_tensor_name(in, i);
    xf_xfm_dtype dt = xf_xfm_tensor_dtype(in, i);
    size_t nd = xf_xfm_tensor_n_dims(in, i), n = xf_xfm_tensor_n_elems(in, i), m = n, k;
    const int64_t *dims = xf_xfm_tensor_dims(in, i);
    int64_t nd_dims[4];
    double *v;
    int rc;
    memcpy(nd_dims, dims, nd * sizeof *dims);
    if (same(e->reshape, name) || same(e->reshape2, name)) {
        const int64_t *d = same(e->reshape, name) ? e->dims : e->dims2;
        nd = same(e->reshape, name) ? e->n_dims : nd; /* reshape2 keeps its rank */
        nd_dims[0] = d[0] > 0 ? d[0] : dims[0];
        nd_dims[1] = d[1];
        m = (size_t)nd_dims[0] * (nd == 2 ? (size_t)nd_dims[1] : 1);
    }
    if ((v = malloc((m + 1) * sizeof *v)) == NULL)
        return -1;
    for (k = 0; k < m; k++) {
        size_t j = n > 0 ? k % n : 0;
        v[k] = dt == XF_XFM_DTYPE_F32 ? (double)((const float *)xf_xfm_tensor_data(in, i))[j]
                                      : ((const double *)xf_xfm_tensor_data(in, i))[j];
    }
    if (same(e->poke, name) && e->poke_at < m)
        v[e->poke_at] = e->poke_value;
    if (dt == XF_XFM_DTYPE_F32) {
        float *f = malloc((m + 1) * sizeof *f);
        if (f == NULL) {
            free(v);
            return -1;
        }
        for (k = 0; k < m; k++)
            f[k] = (float)v[k];
        rc = xf_xfm_add_tensor_f32(out, name, nd, nd_dims, f) != XF_OK;
        free(f);
    } else {
        rc = xf_xfm_add_tensor_f64(out, name, nd, nd_dims, v) != XF_OK;
    }
    free(v);
    return rc;
}

/* Copy the .xfm file src to dst with the changes of e (a new, valid file:
 * its CRC is computed by xf_xfm_save).  Fixtures must build: exits 99. */
static void rewrite(const char *src, const char *dst, const edit *e)
{
    xf_xfm *in = NULL, *out = NULL;
    xf_error err;
    size_t i;
    int rc = 0;
    need(xf_xfm_load(src, &in, &err) == XF_OK, src, &err);
    need(xf_xfm_new(xf_xfm_kind(in), &out) == XF_OK, "container", NULL);
    for (i = 0; i < xf_xfm_n_meta(in) && rc == 0; i++) {
        const char *k = xf_xfm_meta_key(in, i);
        if (same(e->drop, k) || same(e->drop2, k) || same(e->key, k))
            continue;
        rc = copy_key(in, out, i);
    }
    if (e->key != NULL && rc == 0)
        rc = e->str != NULL ? xf_xfm_set_str(out, e->key, e->str)
                            : xf_xfm_set_i64(out, e->key, e->i64);
    for (i = 0; i < xf_xfm_n_tensors(in) && rc == 0; i++) {
        const char *name = xf_xfm_tensor_name(in, i);
        if (same(e->drop, name) || same(e->drop2, name))
            continue;
        rc = copy_tensor(in, out, i, e);
    }
    need(rc == 0, "rewritten container", NULL);
    need(xf_xfm_save(out, dst, &err) == XF_OK, dst, &err);
    xf_xfm_free(in);
    xf_xfm_free(out);
}

/* Apply edits one after the other (each on the previous result). */
static void rewrite_all(const char *src, const char *dst, const edit *e, size_t n)
{
    size_t i;
    rewrite(src, dst, &e[0]);
    for (i = 1; i < n; i++)
        rewrite(dst, dst, &e[i]);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Load path as an encoder: it must fail with `code` and a message holding
 * each of the NULL-terminated `parts`. */
static void encoder_refused(const char *path, int code, const char *what, const char *const *parts)
{
    xf_encoder *e = NULL;
    xf_error err;
    int rc = xf_encoder_load(path, &e, &err);
    size_t i;
    CHECK_MSG(rc == code && e == NULL, "%s: %d (want %d) %s", what, rc, code,
              rc != XF_OK ? err.message : "loaded");
    for (i = 0; rc != XF_OK && parts[i] != NULL; i++)
        CHECK_MSG(strstr(err.message, parts[i]) != NULL, "%s: '%s' lacks '%s'", what, err.message,
                  parts[i]);
    xf_encoder_free(e);
}

static void head_refused(const char *path, int code, const char *what, const char *const *parts)
{
    xf_head *h = NULL;
    xf_error err;
    int rc = xf_head_load(path, &h, &err);
    size_t i;
    CHECK_MSG(rc == code && h == NULL, "%s: %d (want %d) %s", what, rc, code,
              rc != XF_OK ? err.message : "loaded");
    for (i = 0; rc != XF_OK && parts[i] != NULL; i++)
        CHECK_MSG(strstr(err.message, parts[i]) != NULL, "%s: '%s' lacks '%s'", what, err.message,
                  parts[i]);
    xf_head_free(h);
}

/* The small GRU with an 8-step pretraining head (weights 0.01 k). */
#define ZS_H 8
static xf_encoder *zs_encoder(const char *name)
{
    xf_encoder *e = NULL;
    xf_encoder_config cfg;
    xf_error err;
    float w[ZS_H * 8], b[ZS_H];
    size_t k;
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    cfg.context = 64;
    cfg.n_hidden = 8;
    need(xf_encoder_new(&cfg, 7, &e, &err) == XF_OK, "zero-shot encoder", &err);
    for (k = 0; k < ZS_H * 8; k++)
        w[k] = 0.01f * (float)((int)(k % 7) - 3);
    for (k = 0; k < ZS_H; k++)
        b[k] = 0.001f * (float)k;
    need(xf_encoder_set_head(e, ZS_H, w, b) == XF_OK, "pretraining head", NULL);
    xf_encoder_set_name(e, name);
    return e;
}

static xf_head *zs_head(const xf_panel *p, xf_encoder *e)
{
    xf_head_options o;
    xf_head *h = NULL;
    xf_error err;
    xf_head_options_init(&o);
    o.horizon = ZS_H;
    need(xf_head_zeroshot(p, e, &o, &h, &err) == XF_OK, "zero-shot head", &err);
    return h;
}

/* ------------------------------------------------------------ encoders */

static void test_encoders(void)
{
    char good[64], bad[64];
    xf_encoder *e = zs_encoder("zs"), *got = NULL;
    xf_error err;
    struct stat st;
    double t0;
    temp_path(good, sizeof good);
    temp_path(bad, sizeof bad);
    need(xf_encoder_save(e, good, &err) == XF_OK, "encoder file", &err);
    CHECK_MSG(xf_encoder_load(good, &got, &err) == XF_OK, "%s", err.message);
    xf_encoder_free(got);

    /* a file of a few KB declaring a 4096 x 8 GRU: refused from its header
     * (3 GB of weights), quickly, naming the fields and the budget */
    {
        const edit es[2] = {{.key = "encoder.n_hidden", .i64 = 4096},
                            {.key = "encoder.n_layers", .i64 = 8}};
        static const char *const parts[] = {"n_layers 8 x n_hidden 4096", "GB, over the 1 GB limit",
                                            XF__MODEL_MEMORY_ENV, NULL};
        rewrite_all(good, bad, es, 2);
        CHECK(stat(bad, &st) == 0 && st.st_size < 8192);
        t0 = now_s();
        encoder_refused(bad, XF_ERANGE, "GRU 4096 x 8", parts);
        CHECK_MSG(now_s() - t0 < 1.0, "refusing took %.2f s", now_s() - t0);
    }
    /* the TCN variant and the largest TCN this build knows (hundreds of GB) */
    {
        const edit es[5] = {{.key = "encoder.arch", .str = "tcn"},
                            {.key = "encoder.n_channels", .i64 = 4096},
                            {.key = "encoder.n_blocks", .i64 = 24},
                            {.key = "encoder.kernel_size", .i64 = 64},
                            {.drop = "encoder.n_hidden", .drop2 = "encoder.n_layers"}};
        static const char *const parts[] = {
            "encoder tcn n_channels 4096 x n_blocks 24 x kernel_size 64 (context 64) needs",
            "over the 1 GB limit", NULL};
        rewrite_all(good, bad, es, 5);
        encoder_refused(bad, XF_ERANGE, "TCN 4096 x 24 x 64", parts);
    }
    /* the budget can be lowered (and raised) through the environment: a
     * 2 x 512 GRU (about 12 MB) passes the default budget (then lacks its
     * tensors), not a 1 MB one */
    {
        const edit es[2] = {{.key = "encoder.n_hidden", .i64 = 512},
                            {.key = "encoder.n_layers", .i64 = 2}};
        static const char *const missing[] = {"tensor 'gru.l0.W_ih'", NULL};
        static const char *const over1[] = {"n_layers 2 x n_hidden 512", "MB, over the 1 MB limit",
                                            NULL};
        rewrite_all(good, bad, es, 2);
        encoder_refused(bad, XF_EFORMAT, "2 x 512 GRU, default budget", missing);
        setenv(XF__MODEL_MEMORY_ENV, "1", 1);
        CHECK_NEAR(xf__model_memory_limit(), 1024.0 * 1024.0, 0);
        encoder_refused(bad, XF_ERANGE, "2 x 512 GRU, 1 MB budget", over1);
        setenv(XF__MODEL_MEMORY_ENV, "lots", 1); /* not a number: the default */
        CHECK_NEAR(xf__model_memory_limit(), 1024.0 * 1024.0 * 1024.0, 0);
        unsetenv(XF__MODEL_MEMORY_ENV);
    }
    /* non-finite weights, named by tensor */
    {
        const edit nan_w = {.poke = "gru.l0.W_hh", .poke_at = 5, .poke_value = NAN};
        const edit inf_b = {.poke = "pretrain.b", .poke_at = 3, .poke_value = INFINITY};
        static const char *const p1[] = {"tensor 'gru.l0.W_hh'", "element 5", "finite", NULL};
        static const char *const p2[] = {"tensor 'pretrain.b'", "[3]", NULL};
        rewrite(good, bad, &nan_w);
        encoder_refused(bad, XF_EFORMAT, "NaN weight", p1);
        rewrite(good, bad, &inf_b);
        encoder_refused(bad, XF_EFORMAT, "Inf pretraining bias", p2);
    }
    /* a pretraining head shorter than its key says is a damaged file */
    {
        const edit es = {.reshape = "pretrain.W", .n_dims = 2, .dims = {4, 8}};
        static const char *const parts[] = {"tensor 'pretrain.W' dimension 0 is 4", NULL};
        rewrite(good, bad, &es);
        encoder_refused(bad, XF_EFORMAT, "short pretrain.W", parts);
    }
    xf_encoder_free(e);
    remove(good);
    remove(bad);
}

/* A new encoder too large for memory (the largest TCN: 206 GB of
 * parameters) fails naming its shape, not just "out of memory".  In a child
 * limited to 1 GiB of address space; not under AddressSanitizer, which
 * reports the failed allocation itself. */
static void test_new_too_large(void)
{
#if !XF_TEST_HAS_ASAN
    pid_t pid;
    int status = 0;
    fflush(NULL);
    pid = fork();
    need(pid >= 0, "fork", NULL);
    if (pid == 0) {
        struct rlimit lim = {(rlim_t)1 << 30, (rlim_t)1 << 30};
        xf_encoder_config cfg;
        xf_encoder *e = NULL;
        xf_error err;
        int rc;
        setrlimit(RLIMIT_AS, &lim);
        xf_encoder_config_init(&cfg, XF_ARCH_TCN);
        cfg.n_channels = 4096;
        cfg.n_blocks = 24;
        cfg.kernel_size = 64;
        rc = xf_encoder_new(&cfg, 1, &e, &err);
        if (rc != XF_ENOMEM || e != NULL ||
            strstr(err.message, "out of memory for encoder tcn n_channels 4096 x n_blocks 24 x "
                                "kernel_size 64 (context 512): 51539816448 parameters") == NULL) {
            fprintf(stderr, "new TCN: %d %s\n", rc, rc != XF_OK ? err.message : "made");
            _exit(1);
        }
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "a 206 GB encoder did not fail naming its shape");
#endif
}

/* ------------------------------------------------------------ zero-shot */

/* A zero-shot head must never forecast further than its encoder's
 * pretraining head: at attach, and again at forecast time. */
static void test_zeroshot(const xf_panel *p)
{
    char enc_path[64], head_path[64], bad[64];
    xf_encoder *e = zs_encoder("zs"), *stripped = NULL, *shortened = NULL;
    xf_head *h = zs_head(p, e), *g = NULL;
    xf_error err;
    double mean[MAX_H];
    int rc;
    temp_path(enc_path, sizeof enc_path);
    temp_path(head_path, sizeof head_path);
    temp_path(bad, sizeof bad);
    need(xf_encoder_save(e, enc_path, &err) == XF_OK, "encoder file", &err);
    need(xf_head_save(h, head_path, &err) == XF_OK, "head file", &err);

    /* the head claims 65 (or 10000) steps; its encoder's head has 8 */
    {
        int64_t hs[2] = {65, 10000};
        size_t k;
        for (k = 0; k < 2; k++) {
            const edit es[2] = {{.key = "head.horizon", .i64 = hs[k]},
                                {.reshape = "interval.lo",
                                 .n_dims = 2,
                                 .dims = {0, hs[k]},
                                 .reshape2 = "interval.hi",
                                 .dims2 = {0, hs[k]}}};
            const edit drop = {.drop = "calib.residuals", .drop2 = "calib.n"};
            rewrite(head_path, bad, &drop);
            rewrite_all(bad, bad, es, 2);
            rc = xf_head_load(bad, &g, &err);
            CHECK_MSG(rc == XF_OK, "H=%lld head loads (its encoder is not known yet): %s",
                      (long long)hs[k], err.message);
            if (rc != XF_OK)
                continue;
            rc = xf_head_attach_encoders(g, &e, 1, &err);
            CHECK_MSG(rc == XF_EDATA && strstr(err.message, "the pretraining head of encoder "
                                                            "'zs' forecasts 8") != NULL,
                      "H=%lld: %d %s", (long long)hs[k], rc, err.message);
            CHECK(forecast(g, p, 0, SIZE_MAX, 1, NULL, mean, NULL, NULL, &err) == XF_EINVAL);
            xf_head_free(g);
            g = NULL;
        }
    }
    /* the encoder with its pretraining head removed, or cut to 4 steps:
     * the fingerprint (the encoder's own weights) still matches */
    {
        const edit strip = {.drop = "pretrain.W", .drop2 = "pretrain.b"};
        const edit nokey = {.drop = "pretrain.horizon"};
        const edit cut[2] = {{.key = "pretrain.horizon", .i64 = 4},
                             {.reshape = "pretrain.W",
                              .n_dims = 2,
                              .dims = {4, 8},
                              .reshape2 = "pretrain.b",
                              .dims2 = {4, 0}}};
        rewrite(enc_path, bad, &strip);
        rewrite(bad, bad, &nokey);
        CHECK_MSG(xf_encoder_load(bad, &stripped, &err) == XF_OK, "%s", err.message);
        rewrite_all(enc_path, bad, cut, 2);
        /* reshape2 of a 1-D tensor: dims2[0] = 4 */
        CHECK_MSG(xf_encoder_load(bad, &shortened, &err) == XF_OK, "%s", err.message);
        if (stripped != NULL && shortened != NULL) {
            CHECK(xf_encoder_fingerprint(stripped) == xf_encoder_fingerprint(e));
            CHECK_INT(xf_encoder_horizon(stripped), 0);
            CHECK_INT(xf_encoder_horizon(shortened), 4);
            CHECK(xf_head_load(head_path, &g, &err) == XF_OK);
            rc = xf_head_attach_encoders(g, &stripped, 1, &err);
            CHECK_MSG(rc == XF_EDATA && strstr(err.message, "which has none") != NULL, "%d %s", rc,
                      err.message);
            rc = xf_head_attach_encoders(g, &shortened, 1, &err);
            CHECK_MSG(rc == XF_EDATA && strstr(err.message, "forecasts 4") != NULL, "%d %s", rc,
                      err.message);
            xf_head_free(g);
            g = NULL;
        }
    }
    /* checked again before the forecast loop: a pretraining head cut after
     * the head was attached */
    CHECK(xf_head_load(head_path, &g, &err) == XF_OK);
    if (g != NULL) {
        float w[4 * 8] = {0}, b[4] = {0};
        CHECK_MSG(xf_head_attach_encoders(g, &e, 1, &err) == XF_OK, "%s", err.message);
        CHECK_MSG(forecast(g, p, 0, SIZE_MAX, ZS_H, NULL, mean, NULL, NULL, &err) == XF_OK, "%s",
                  err.message);
        CHECK(xf_encoder_set_head(e, 4, w, b) == XF_OK);
        rc = forecast(g, p, 0, SIZE_MAX, ZS_H, NULL, mean, NULL, NULL, &err);
        CHECK_MSG(rc == XF_EDATA && strstr(err.message, "forecasts 4") != NULL, "%d %s", rc,
                  err.message);
        xf_head_free(g);
    }
    xf_encoder_free(stripped);
    xf_encoder_free(shortened);
    xf_head_free(h);
    xf_encoder_free(e);
    remove(enc_path);
    remove(head_path);
    remove(bad);
}

/* ------------------------------------------------------------ heads */

static void test_heads(const xf_panel *p)
{
    char good[64], lags[64], bad[64];
    xf_head_options o;
    xf_head *h, *hl, *g = NULL;
    xf_error err;
    xf_encoder *none[2] = {NULL, NULL};
    int64_t P;
    int rc;
    temp_path(good, sizeof good);
    temp_path(lags, sizeof lags);
    temp_path(bad, sizeof bad);
    h = ht_sine_head(p);
    need(h != NULL && xf_head_save(h, good, &err) == XF_OK, "ridge head", &err);
    P = (int64_t)xf_head_n_features(h);

    /* encoder names that are paths: refused, saying where encoders are
     * looked up */
    {
        static const char *const names[] = {"/etc/x.xfm", "../../x", "x.xfm", "a/b", ".hidden"};
        static const char *const parts[] = {"encoder.0.name", "not a plain name",
                                            "model search path", NULL};
        size_t k;
        for (k = 0; k < sizeof names / sizeof *names; k++) {
            const edit es = {.key = "encoder.0.name", .str = names[k]};
            rewrite(good, bad, &es);
            head_refused(bad, XF_EFORMAT, names[k], parts);
        }
        CHECK(xf__model_encoder_name_ok("gru-base"));
        CHECK(xf__model_encoder_name_ok("enc.v2"));
        CHECK(xf__model_encoder_name_ok(""));
        CHECK(!xf__model_encoder_name_ok("a\\b"));
        CHECK(!xf__model_encoder_name_ok("a\nb"));
    }
    /* fitting refuses to record such a name */
    {
        xf_head *f = NULL;
        xf_head_options so;
        small_opts(&so);
        xf_encoder_set_name(gru, "models/gru-small");
        rc = xf_head_fit(p, &gru, 1, &so, &f, &err);
        CHECK_MSG(rc == XF_EINVAL && f == NULL && strstr(err.message, "plain name") != NULL,
                  "%d %s", rc, err.message);
        xf_head_free(f);
        xf_encoder_set_name(gru, "gru-small");
    }
    /* NaN weights, lower bound above upper bound */
    {
        const edit nan_w = {.poke = "weights", .poke_at = (size_t)P + 3, .poke_value = NAN};
        const edit inf_l = {.poke = "lambda", .poke_at = 2, .poke_value = INFINITY};
        const edit lo_hi = {.poke = "interval.lo", .poke_at = 5, .poke_value = 1e6};
        static const char *const p1[] = {"tensor 'weights' holds nan at [1][3]", NULL};
        static const char *const p2[] = {"tensor 'lambda' holds inf at [2]", NULL};
        static const char *const p3[] = {"step 6: lower bound 1e+06 is above the upper bound",
                                         NULL};
        rewrite(good, bad, &nan_w);
        head_refused(bad, XF_EFORMAT, "NaN weight", p1);
        rewrite(good, bad, &inf_l);
        head_refused(bad, XF_EFORMAT, "Inf penalty", p2);
        rewrite(good, bad, &lo_hi);
        head_refused(bad, XF_EFORMAT, "lo above hi", p3);
    }
    /* a NaN in the domain head the weights were shrunk towards (--prior
     * domain): exact updates subtract it from new targets, so it is checked
     * like the weights */
    {
        xf_head *hp = NULL;
        xf_head_options po;
        small_opts(&po);
        po.embedding = 0;
        po.prior = XF_PRIOR_DOMAIN;
        hp = fit_ok(p, NULL, 0, &po, "head with a domain prior");
        if (hp != NULL) {
            const edit nan_p = {.poke = "prior.weights", .poke_at = 2, .poke_value = NAN};
            const edit inf_p = {.poke = "prior.bias", .poke_at = 1, .poke_value = -INFINITY};
            static const char *const p1[] = {"tensor 'prior.weights' holds nan at [0][2]", NULL};
            static const char *const p2[] = {"tensor 'prior.bias' holds -inf at [1]", NULL};
            need(xf_head_save(hp, lags, &err) == XF_OK, "head file with a prior", &err);
            rewrite(lags, bad, &nan_p);
            head_refused(bad, XF_EFORMAT, "NaN prior weight", p1);
            rewrite(lags, bad, &inf_p);
            head_refused(bad, XF_EFORMAT, "-Inf prior bias", p2);
            remove(lags);
            xf_head_free(hp);
        }
    }
    /* head.n_features = 0 in a file that is otherwise consistent: a ridge
     * head with lags only, its lags set to 0 and its weights [H][0] */
    xf_head_options_init(&o);
    o.horizon = H_SMALL;
    o.n_lags = 4;
    o.embedding = 0;
    o.calendar = 0;
    o.history = 0;
    o.local_model = 0;
    o.max_windows = 500;
    hl = fit_ok(p, NULL, 0, &o, "lags-only head");
    if (hl != NULL) {
        const edit es[4] = {{.key = "head.lags", .i64 = 0},
                            {.key = "head.n_features", .i64 = 0},
                            {.reshape = "weights", .n_dims = 1, .dims = {H_SMALL, 0}},
                            {.drop = "stats.xtx", .drop2 = "stats.xty"}};
        static const char *const parts[] = {"head.n_features is 0", NULL};
        CHECK_INT(xf_head_n_features(hl), 4);
        need(xf_head_save(hl, lags, &err) == XF_OK, "lags-only head file", &err);
        rewrite_all(lags, bad, es, 4);
        head_refused(bad, XF_EFORMAT, "no features", parts);
        xf_head_free(hl);
    }
    /* a head whose weights would need gigabytes: refused from its header,
     * before its tensors are read (the file holds only the small ones) */
    {
        const int64_t E = 100000;
        const edit es[3] = {{.key = "encoder.0.embed", .i64 = E},
                            {.key = "head.n_features", .i64 = P - 8 + E},
                            {.key = "head.horizon", .i64 = 10000}};
        char want[96];
        const char *parts[] = {want, "over the 1 GB limit", NULL};
        snprintf(want, sizeof want, "head horizon 10000 x n_features %lld (with its statistics)",
                 (long long)(P - 8 + E));
        rewrite_all(good, bad, es, 3);
        head_refused(bad, XF_ERANGE, "huge head", parts);
    }
    /* attaching with a NULL entry: an error naming it, no crash */
    CHECK(xf_head_load(good, &g, &err) == XF_OK);
    if (g != NULL) {
        rc = xf_head_attach_encoders(g, none, 2, &err);
        CHECK_MSG(rc == XF_EDATA && strstr(err.message, "(none), (none)") != NULL, "%d %s", rc,
                  err.message);
        xf_head_free(g);
    }
    xf_head_free(h);
    remove(good);
    remove(lags);
    remove(bad);
}

/* ------------------------------------------------------------ fixtures */

static void write_csv(const xf_panel *p, const char *path)
{
    FILE *f = fopen(path, "w");
    size_t s, k;
    char ts[64];
    need(f != NULL, path, NULL);
    fprintf(f, "id,time,value\n");
    for (s = 0; s < xf_panel_n_series(p); s++)
        for (k = 0; k < xf_panel_series_length(p, s); k++) {
            xf_time_format(xf_panel_series_times(p, s)[k], 0, ts, sizeof ts);
            fprintf(f, "%s,%s,%.6f\n", xf_panel_series_id(p, s), ts,
                    xf_panel_series_values(p, s)[k]);
        }
    need(fclose(f) == 0, path, NULL);
}

static int write_fixtures(const char *dir, const xf_panel *p)
{
    char path[4096], tmp[4096];
    xf_encoder *e = zs_encoder("zs-enc");
    xf_head *h = zs_head(p, e);
    xf_error err;
    FILE *f;
    const edit drop = {.drop = "calib.residuals", .drop2 = "calib.n"};
    const edit es[2] = {{.key = "head.horizon", .i64 = 65},
                        {.reshape = "interval.lo",
                         .n_dims = 2,
                         .dims = {0, 65},
                         .reshape2 = "interval.hi",
                         .dims2 = {0, 65}}};
    const edit path_name = {.key = "encoder.0.name", .str = "../../zs-enc"};
    const edit big[2] = {{.key = "encoder.n_hidden", .i64 = 4096},
                         {.key = "encoder.n_layers", .i64 = 8}};
    snprintf(path, sizeof path, "%s/models", dir);
    need(mkdir(path, 0777) == 0, path, NULL);
    snprintf(path, sizeof path, "%s/store", dir);
    need(mkdir(path, 0777) == 0, path, NULL);
    snprintf(path, sizeof path, "%s/store/zs", dir);
    need(mkdir(path, 0777) == 0, path, NULL);
    snprintf(path, sizeof path, "%s/models/zs-enc.xfm", dir);
    need(xf_encoder_save(e, path, &err) == XF_OK, path, &err);
    snprintf(tmp, sizeof tmp, "%s/big-enc.xfm", dir);
    rewrite_all(path, tmp, big, 2);
    snprintf(tmp, sizeof tmp, "%s/zs-head.xfm", dir);
    need(xf_head_save(h, tmp, &err) == XF_OK, tmp, &err);
    snprintf(path, sizeof path, "%s/head-path.xfm", dir);
    rewrite(tmp, path, &path_name);
    snprintf(path, sizeof path, "%s/store/zs/v1.xfm", dir);
    rewrite(tmp, path, &drop);
    rewrite_all(path, path, es, 2);
    snprintf(path, sizeof path, "%s/store/zs/CURRENT", dir);
    need((f = fopen(path, "w")) != NULL && fputs("1\n", f) >= 0 && fclose(f) == 0, path, NULL);
    snprintf(path, sizeof path, "%s/data.csv", dir);
    write_csv(p, path);
    xf_head_free(h);
    xf_encoder_free(e);
    return 0;
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    xf_panel *sine;
    int rc;
    ht_init("test_model_check");
    unsetenv(XF__MODEL_MEMORY_ENV);
    sine = sine_panel(3, N_SINE, 0.3, 5);
    if (argc == 3 && strcmp(argv[1], "--write-fixtures") == 0) {
        rc = write_fixtures(argv[2], sine);
        xf_panel_free(sine);
        xf_encoder_free(gru);
        return rc;
    }
    test_encoders();
    test_new_too_large();
    test_zeroshot(sine);
    test_heads(sine);
    xf_panel_free(sine);
    xf_encoder_free(gru);
    return tu_report("test_model_check");
}
