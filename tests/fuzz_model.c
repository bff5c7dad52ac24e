/* fuzz_model.c - libFuzzer target for the meaning of model files: encoders
 * and heads that are valid containers (src/model_check.c).
 *
 * fuzz_xfm mutates bytes and repairs the checksum, so most of its inputs
 * stop at the container's structure.  Here a custom mutator edits the
 * *model*: it loads the input as an .xfm container, changes one thing
 * through the xfm API (an integer key to an edge value, a string key to a
 * path or garbage, a key or a tensor left out, a tensor value made NaN, Inf
 * or huge, a tensor reshaped) and saves it, so every input has a valid CRC
 * and reaches the encoder and head loaders' semantic checks.  Inputs that
 * do not load as containers fall back to libFuzzer's byte mutations (the
 * size field and CRC are then repaired before use).
 *
 * Each input is then loaded as what its kind says:
 *   - an encoder: embeds a window; with a pretraining head, forecasts its
 *     whole horizon; and is attached to the zero-shot head of the reference
 *     encoder (same weights, so the same fingerprint, whatever happened to
 *     the pretraining head), which then forecasts;
 *   - a head: saves and loads again (what loads must be writable), is
 *     attached to the reference encoder and forecasts every series of a
 *     small panel over its whole horizon.
 * A crash, sanitizer report, leak, allocation over the limits, or a failure
 * that does not report itself is a bug.  The memory budget of one model is
 * lowered to 64 MB (XFCAST_MODEL_MEMORY_MB) so that nothing legitimate
 * approaches -malloc_limit_mb.
 *
 * Seeds (tests/data/fuzz-seeds-model) are written by the target itself:
 *   XF_FUZZ_MODEL_SEEDS=DIR ./tests/fuzz_model
 * (the reference GRU encoder and a TCN, a zero-shot head, a ridge head with
 * embeddings, lags and calendar, one with lags only).  Build:
 * ./configure CC=clang --enable-fuzz --enable-sanitizers; `make fuzz-run`.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xfcast.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

#define SIZE_OFFSET 16 /* u64 file size in the fixed header */
#define HEADER_BYTES 40
#define N_VALUES 200 /* per series of the panel */
#define REF_H 6      /* steps of the reference encoder's pretraining head */

static xf_encoder *ref_enc; /* the reference GRU (context 32, 1 x 4) */
static xf_panel *panel;     /* 2 hourly sines */
static void *zs_buf;        /* the zero-shot head of ref_enc, as a file */
static size_t zs_len;
static char path_a[64], path_b[64]; /* temporary files of this process */

static void fail_if(int bad, const char *what, const xf_error *err)
{
    if (!bad)
        return;
    fprintf(stderr, "fuzz_model: %s: %s\n", what, err != NULL ? err->message : "");
    abort();
}

/* A failed call must say so: its status in err, a message, no object. */
static void check_failure(int rc, const xf_error *err, const void *obj)
{
    if (obj != NULL || err->code != rc || err->message[0] == '\0')
        abort();
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    int i;
    for (i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void write_file(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
        abort();
}

/* ------------------------------------------------------------ setup */

static xf_panel *make_panel(void)
{
    static const xf_freq hourly = {XF_FREQ_FIXED, 3600 * XF_TIME_US_PER_SEC, 0};
    xf_panel *p = NULL;
    xf_time t[N_VALUES];
    double y[N_VALUES];
    xf_error err;
    size_t s, k;
    fail_if(xf_panel_new(NULL, 0, &p, &err) != XF_OK, "panel", &err);
    for (s = 0; s < 2; s++) {
        for (k = 0; k < N_VALUES; k++) {
            t[k] = (xf_time)(1704067200 + 3600 * (int64_t)k) * XF_TIME_US_PER_SEC;
            y[k] = 10.0 + 3.0 * sin(6.283185307179586 * (double)(k + 5 * s) / 24.0) +
                   0.1 * (double)((k * 7 + s) % 5);
        }
        fail_if(xf_panel_add_series(p, s ? "b" : "a", N_VALUES, t, hourly, y, NULL, &err) != XF_OK,
                "series", &err);
    }
    return p;
}

static xf_encoder *make_encoder(xf_arch arch, const char *name)
{
    xf_encoder_config cfg;
    xf_encoder *e = NULL;
    xf_error err;
    float w[REF_H * 16], b[REF_H];
    size_t k, E;
    xf_encoder_config_init(&cfg, arch);
    cfg.context = 32;
    cfg.n_hidden = 4;
    cfg.n_channels = 4;
    cfg.n_blocks = 4;
    cfg.kernel_size = 3;
    fail_if(xf_encoder_new(&cfg, 3, &e, &err) != XF_OK, "encoder", &err);
    E = xf_encoder_embed_size(e);
    for (k = 0; k < REF_H * E; k++)
        w[k] = 0.05f * (float)((int)(k % 9) - 4);
    for (k = 0; k < REF_H; k++)
        b[k] = 0.01f * (float)k;
    fail_if(xf_encoder_set_head(e, REF_H, w, b) != XF_OK, "pretraining head", NULL);
    xf_encoder_set_name(e, name);
    return e;
}

static void save_seed(const char *dir, const char *name, const xf_head *h, const xf_encoder *e)
{
    char path[4096];
    xf_error err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fail_if((h != NULL ? xf_head_save(h, path, &err) : xf_encoder_save(e, path, &err)) != XF_OK,
            path, &err);
}

static xf_head *fit(int embedding, int32_t lags, int32_t calendar)
{
    xf_head_options o;
    xf_head *h = NULL;
    xf_error err;
    xf_head_options_init(&o);
    o.horizon = 4;
    o.n_lags = lags;
    o.embedding = embedding;
    o.calendar = calendar;
    o.max_windows = 200;
    o.n_levels = 1;
    o.levels[0] = 80;
    fail_if(xf_head_fit(panel, &ref_enc, embedding ? 1 : 0, &o, &h, &err) != XF_OK, "fit", &err);
    return h;
}

static void write_seeds(const char *dir)
{
    xf_encoder *tcn = make_encoder(XF_ARCH_TCN, "fz-tcn");
    xf_head *h;
    save_seed(dir, "encoder-gru.xfm", NULL, ref_enc);
    save_seed(dir, "encoder-tcn.xfm", NULL, tcn);
    xf_encoder_free(tcn);
    write_file(path_a, zs_buf, zs_len);
    fail_if(xf_head_load(path_a, &h, NULL) != XF_OK, "zero-shot head", NULL);
    save_seed(dir, "head-zeroshot.xfm", h, NULL);
    xf_head_free(h);
    h = fit(1, 3, 1);
    save_seed(dir, "head-ridge.xfm", h, NULL);
    xf_head_free(h);
    h = fit(0, 2, 0);
    save_seed(dir, "head-lags.xfm", h, NULL);
    xf_head_free(h);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    xf_head_options o;
    xf_head *zs = NULL;
    xf_error err;
    const char *seeds = getenv("XF_FUZZ_MODEL_SEEDS");
    (void)argc;
    (void)argv;
    setenv("XFCAST_MODEL_MEMORY_MB", "64", 0);
    xf_blas_set_threads(1);
    snprintf(path_a, sizeof path_a, "/tmp/fuzz-model-%ld-a.xfm", (long)getpid());
    snprintf(path_b, sizeof path_b, "/tmp/fuzz-model-%ld-b.xfm", (long)getpid());
    panel = make_panel();
    ref_enc = make_encoder(XF_ARCH_GRU, "fz-gru");
    xf_head_options_init(&o);
    o.horizon = REF_H;
    o.n_levels = 1;
    o.levels[0] = 90;
    fail_if(xf_head_zeroshot(panel, ref_enc, &o, &zs, &err) != XF_OK, "zero-shot head", &err);
    fail_if(xf_head_save(zs, path_a, &err) != XF_OK, "zero-shot head file", &err);
    {
        FILE *f = fopen(path_a, "rb");
        long n = 0;
        fail_if(f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
                    fseek(f, 0, SEEK_SET) != 0 || (zs_buf = malloc((size_t)n)) == NULL ||
                    fread(zs_buf, 1, (size_t)n, f) != (size_t)n,
                "zero-shot head bytes", NULL);
        fclose(f);
        zs_len = (size_t)n;
    }
    xf_head_free(zs);
    if (seeds != NULL) {
        write_seeds(seeds);
        unlink(path_a);
        exit(0);
    }
    return 0;
}

/* ------------------------------------------------------------ mutator */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *s, size_t n)
{
    return n > 0 ? (size_t)(rng_next(s) % n) : 0;
}

static int64_t edge_int(uint64_t *s, int64_t v)
{
    static const int64_t edges[] = {0,         -1,        1,         2,         3,
                                    7,         8,         64,        65,        4096,
                                    10000,     10001,     100000,    1000000,   1000001,
                                    INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, 1 << 20};
    switch (pick(s, 4)) {
    case 0:
        return edges[pick(s, sizeof edges / sizeof *edges)];
    case 1: /* wrapping: the loaders must not care */
        return (int64_t)((uint64_t)v + 1);
    case 2:
        return (int64_t)((uint64_t)v - 1);
    default:
        return (int64_t)((uint64_t)v * 2);
    }
}

static double edge_f64(uint64_t *s, double v)
{
    static const double edges[] = {0.0, -0.0, 1.0, -1.0, 1e300, -1e300, 1e-310, 100.0, 99.9999999};
    switch (pick(s, 5)) {
    case 0:
        return NAN;
    case 1:
        return pick(s, 2) ? INFINITY : -INFINITY;
    case 2:
        return edges[pick(s, sizeof edges / sizeof *edges)];
    case 3:
        return -v;
    default:
        return v * 1e6;
    }
}

static const char *edge_str(uint64_t *s)
{
    static const char *const edges[] = {
        "",       "/etc/passwd", "../../x.xfm", "x.xfm",   "fz-gru",           "fz-tcn",
        "gru",    "tcn",         "lstm",        ".hidden", "0000000000000000", "ffffffffffffffff",
        "energy", "a\\b"};
    return edges[pick(s, sizeof edges / sizeof *edges)];
}

/* What one mutation changes. */
typedef struct change {
    int op;          /* 0 int key, 1 f64 key, 2 str key, 3 array key, 4 drop key,
                      * 5 tensor value, 6 reshape tensor, 7 drop tensor */
    size_t target;   /* key or tensor index */
    int64_t i64;     /* new integer */
    double f64;      /* new float */
    const char *str; /* new string */
    size_t at;       /* element index (op 3, 5) */
    int64_t dims[4]; /* new shape (op 6) */
} change;

static int copy_key(const xf_xfm *in, xf_xfm *out, size_t i, const change *c)
{
    const char *k = xf_xfm_meta_key(in, i);
    size_t n = 0;
    int mine = c->target == i && c->op <= 4;
    if (mine && c->op == 4)
        return 0;
    switch (xf_xfm_meta_type(in, i)) {
    case XF_XFM_TYPE_U32: {
        uint32_t v = 0;
        xf_xfm_get_u32(in, k, &v, NULL);
        return xf_xfm_set_u32(out, k, mine ? (uint32_t)c->i64 : v);
    }
    case XF_XFM_TYPE_I64: {
        int64_t v = 0;
        xf_xfm_get_i64(in, k, &v, NULL);
        return xf_xfm_set_i64(out, k, mine ? c->i64 : v);
    }
    case XF_XFM_TYPE_F64: {
        double v = 0;
        xf_xfm_get_f64(in, k, &v, NULL);
        return xf_xfm_set_f64(out, k, mine ? c->f64 : v);
    }
    case XF_XFM_TYPE_STR: {
        const char *v = "";
        xf_xfm_get_str(in, k, &v, NULL);
        return xf_xfm_set_str(out, k, mine ? c->str : v);
    }
    case XF_XFM_TYPE_I64_ARRAY: {
        const int64_t *v = NULL;
        int64_t *w;
        int rc;
        xf_xfm_get_i64_array(in, k, &v, &n, NULL);
        if ((w = malloc((n + 1) * sizeof *w)) == NULL)
            return -1;
        if (n > 0)
            memcpy(w, v, n * sizeof *w);
        if (mine && n > 0)
            w[c->at % n] = c->i64;
        rc = xf_xfm_set_i64_array(out, k, w, n);
        free(w);
        return rc;
    }
    case XF_XFM_TYPE_F64_ARRAY: {
        const double *v = NULL;
        double *w;
        int rc;
        xf_xfm_get_f64_array(in, k, &v, &n, NULL);
        if ((w = malloc((n + 1) * sizeof *w)) == NULL)
            return -1;
        if (n > 0)
            memcpy(w, v, n * sizeof *w);
        if (mine && n > 0)
            w[c->at % n] = c->f64;
        /* shorter by one, as a file of another layout */
        rc = xf_xfm_set_f64_array(out, k, w, mine && c->i64 == 0 && n > 0 ? n - 1 : n);
        free(w);
        return rc;
    }
    }
    return -1;
}

static int copy_tensor(const xf_xfm *in, xf_xfm *out, size_t i, const change *c)
{
    const char *name = xf_xfm_tensor_name(in, i);
    xf_xfm_dtype dt = xf_xfm_tensor_dtype(in, i);
    size_t nd = xf_xfm_tensor_n_dims(in, i), n = xf_xfm_tensor_n_elems(in, i), m = n, k, d;
    size_t esz = xf_xfm_dtype_size(dt);
    const unsigned char *src = xf_xfm_tensor_data(in, i);
    int64_t dims[4];
    unsigned char *buf;
    int rc, mine = c->target == i && c->op >= 5;
    if (mine && c->op == 7)
        return 0;
    memcpy(dims, xf_xfm_tensor_dims(in, i), nd * sizeof *dims);
    if (mine && c->op == 6) {
        m = 1;
        for (d = 0; d < nd; d++) {
            dims[d] = c->dims[d];
            m *= (size_t)dims[d];
        }
    }
    if ((dt != XF_XFM_DTYPE_F32 && dt != XF_XFM_DTYPE_F64) || m > (1u << 22))
        return -1;
    if ((buf = malloc(m * esz + 8)) == NULL)
        return -1;
    for (k = 0; k < m; k++)
        if (n > 0)
            memcpy(buf + k * esz, src + (k % n) * esz, esz);
        else
            memset(buf + k * esz, 0, esz);
    if (mine && c->op == 5 && m > 0) {
        k = c->at % m;
        if (dt == XF_XFM_DTYPE_F32) {
            float f = (float)c->f64;
            memcpy(buf + k * esz, &f, esz);
        } else {
            memcpy(buf + k * esz, &c->f64, esz);
        }
    }
    rc = dt == XF_XFM_DTYPE_F32
             ? xf_xfm_add_tensor_f32(out, name, nd, dims, (const float *)(const void *)buf)
             : xf_xfm_add_tensor_f64(out, name, nd, dims, (const double *)(const void *)buf);
    free(buf);
    return rc;
}

/* Choose one change to mf. */
static void choose(const xf_xfm *mf, uint64_t *s, change *c)
{
    size_t nm = xf_xfm_n_meta(mf), nt = xf_xfm_n_tensors(mf), d;
    memset(c, 0, sizeof *c);
    c->target = SIZE_MAX;
    if (nt > 0 && (nm == 0 || pick(s, 3) == 0)) {
        size_t i = pick(s, nt);
        const int64_t *dims = xf_xfm_tensor_dims(mf, i);
        c->target = i;
        c->op = 5 + (int)pick(s, 3);
        if (c->op == 6 && pick(s, 2))
            c->op = 5; /* values more often than shapes */
        c->at = (size_t)rng_next(s);
        c->f64 = edge_f64(s, 1.0);
        for (d = 0; d < xf_xfm_tensor_n_dims(mf, i); d++) {
            int64_t v = dims[d];
            switch (pick(s, 4)) {
            case 0:
                v = v > 1 ? v - 1 : v + 1;
                break;
            case 1:
                v = v + 1;
                break;
            case 2:
                v = v > 1 ? v / 2 : 2;
                break;
            }
            c->dims[d] = v < 1 ? 1 : v > 4096 ? 4096 : v;
        }
        return;
    }
    if (nm == 0)
        return;
    c->target = pick(s, nm);
    c->at = (size_t)rng_next(s);
    if (pick(s, 8) == 0) {
        c->op = 4;
        return;
    }
    switch (xf_xfm_meta_type(mf, c->target)) {
    case XF_XFM_TYPE_U32:
    case XF_XFM_TYPE_I64: {
        int64_t v = 0;
        xf_xfm_get_i64(mf, xf_xfm_meta_key(mf, c->target), &v, NULL);
        c->op = 0;
        c->i64 = edge_int(s, v);
        break;
    }
    case XF_XFM_TYPE_F64:
        c->op = 1;
        c->f64 = edge_f64(s, 1.0);
        break;
    case XF_XFM_TYPE_STR:
        c->op = 2;
        c->str = edge_str(s);
        break;
    default:
        c->op = 3;
        c->i64 = edge_int(s, 1);
        c->f64 = edge_f64(s, 80.0);
        break;
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    uint64_t s = seed;
    xf_xfm *in = NULL, *out = NULL;
    void *buf = NULL;
    size_t len = 0, i;
    change c;
    int rc = 0;
    if (xf_xfm_load_buffer(data, size, "mutate", &in, NULL) != XF_OK || pick(&s, 16) == 0) {
        xf_xfm_free(in);
        return LLVMFuzzerMutate(data, size, max_size);
    }
    choose(in, &s, &c);
    if (xf_xfm_new(xf_xfm_kind(in), &out) != XF_OK)
        abort();
    for (i = 0; i < xf_xfm_n_meta(in) && rc == 0; i++)
        rc = copy_key(in, out, i, &c);
    for (i = 0; i < xf_xfm_n_tensors(in) && rc == 0; i++)
        rc = copy_tensor(in, out, i, &c);
    if (rc == 0 && xf_xfm_save_buffer(out, &buf, &len, NULL) == XF_OK && len <= max_size) {
        memcpy(data, buf, len);
    } else {
        len = 0;
    }
    free(buf);
    xf_xfm_free(in);
    xf_xfm_free(out);
    return len > 0 ? len : LLVMFuzzerMutate(data, size, max_size);
}

/* ------------------------------------------------------------ target */

/* Forecast every series of the panel with an attached head. */
static void forecast_all(const xf_head *h)
{
    xf_head_workspace *ws = NULL;
    xf_error err;
    size_t H = (size_t)xf_head_horizon(h), L = xf_head_n_levels(h), s;
    double *mean = malloc(H * sizeof *mean), *lo = malloc((L + 1) * H * sizeof *lo),
           *hi = malloc((L + 1) * H * sizeof *hi);
    xf_time *t = malloc(H * sizeof *t);
    int rc;
    if (mean == NULL || lo == NULL || hi == NULL || t == NULL)
        abort();
    rc = xf_head_workspace_new(h, &ws, &err);
    if (rc != XF_OK) {
        check_failure(rc, &err, ws);
    } else {
        for (s = 0; s < xf_panel_n_series(panel); s++) {
            rc = xf_head_forecast(h, ws, panel, s, SIZE_MAX, (int32_t)H, t, mean, lo, hi, &err);
            if (rc != XF_OK && (err.code != rc || err.message[0] == '\0'))
                abort();
        }
    }
    xf_head_workspace_free(ws);
    free(mean);
    free(lo);
    free(hi);
    free(t);
}

static void try_encoder(void)
{
    xf_encoder *enc = NULL;
    xf_encoder_workspace *ws = NULL;
    xf_head *zs = NULL;
    xf_error err;
    float *win, *emb, *fc, norm[2];
    size_t ctx, k, H;
    int rc = xf_encoder_load(path_a, &enc, &err);
    if (rc != XF_OK) {
        check_failure(rc, &err, enc);
        return;
    }
    ctx = (size_t)xf_encoder_context(enc);
    H = xf_encoder_horizon(enc) > 0 ? (size_t)xf_encoder_horizon(enc) : 1;
    win = malloc(ctx * sizeof *win);
    emb = malloc(xf_encoder_embed_size(enc) * sizeof *emb);
    fc = malloc(H * sizeof *fc);
    if (win == NULL || emb == NULL || fc == NULL)
        abort();
    for (k = 0; k < ctx; k++)
        win[k] = k % 11 == 3 ? (float)NAN : (float)(k % 24) * 0.5f;
    if (xf_encoder_workspace_new(enc, 1, &ws, &err) != XF_OK ||
        xf_encoder_embed(enc, ws, win, 1, emb, norm, &err) != XF_OK)
        abort(); /* a loaded encoder can embed */
    if (xf_encoder_horizon(enc) > 0 &&
        xf_encoder_forecast(enc, ws, win, 1, xf_encoder_horizon(enc), fc, &err) != XF_OK)
        abort(); /* and forecast with its pretraining head */
    /* the reference zero-shot head on this encoder: attaches only when the
     * fingerprint matches, then must forecast or refuse */
    write_file(path_b, zs_buf, zs_len);
    if (xf_head_load(path_b, &zs, &err) != XF_OK)
        abort();
    rc = xf_head_attach_encoders(zs, &enc, 1, &err);
    if (rc == XF_OK)
        forecast_all(zs);
    else if (err.code != rc || err.message[0] == '\0')
        abort();
    xf_head_free(zs);
    xf_encoder_workspace_free(ws);
    free(win);
    free(emb);
    free(fc);
    xf_encoder_free(enc);
}

static void try_head(void)
{
    xf_head *h = NULL, *again = NULL;
    xf_error err;
    char text[2048];
    int rc = xf_head_load(path_a, &h, &err);
    if (rc != XF_OK) {
        check_failure(rc, &err, h);
        return;
    }
    xf_head_describe(h, text, sizeof text);
    /* what loads can be saved and loads again */
    if (xf_head_save(h, path_b, &err) != XF_OK)
        abort();
    if (xf_head_load(path_b, &again, &err) != XF_OK)
        fail_if(1, "a saved head does not load again", &err);
    xf_head_free(again);
    rc = xf_head_attach_encoders(h, &ref_enc, 1, &err);
    if (rc == XF_OK)
        forecast_all(h);
    else if (err.code != rc || err.message[0] == '\0')
        abort();
    xf_head_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xf_xfm *mf = NULL;
    uint8_t *fixed;
    const char *kind;
    int is_encoder, is_head;
    if (size < HEADER_BYTES + 4)
        return 0;
    /* byte mutations and crossovers: repair the size field and CRC */
    if ((fixed = malloc(size)) == NULL)
        abort();
    memcpy(fixed, data, size);
    put_le(fixed + SIZE_OFFSET, size, 8);
    put_le(fixed + size - 4, xf_crc32c(0, fixed, size - 4), 4);
    if (xf_xfm_load_buffer(fixed, size, "fuzz.xfm", &mf, NULL) != XF_OK) {
        free(fixed);
        return 0;
    }
    kind = xf_xfm_kind(mf);
    is_encoder = strcmp(kind, "encoder") == 0;
    is_head = strcmp(kind, "head") == 0;
    xf_xfm_free(mf);
    write_file(path_a, fixed, size);
    free(fixed);
    if (is_encoder)
        try_encoder();
    else if (is_head)
        try_head();
    unlink(path_a);
    unlink(path_b);
    return 0;
}
