/* test_encoder_torch.c - forward and backward parity of the GRU and TCN
 * encoders with PyTorch.
 *
 * tests/fixtures/encoder-{gru,tcn}.txt hold weights, inputs, a loss weight R,
 * torch's embeddings and torch autograd's parameter gradient of
 * loss = sum(emb * R), made by tests/fixtures/make_encoder_fixture.py
 * (torch.nn.GRU and a TCN of torch.nn.Conv1d, computed in float64 from
 * float32 weights and inputs; the format is described in that script).
 *
 * Tolerances (C computes in float32, torch in float64 from the same values):
 *   forward:  |c - torch| <= 1e-5 * max(|torch|, 1e-2) for every embedding
 *             value: 1e-5 relative, and values under 1e-2 in magnitude held
 *             to 1e-7 absolute.  The floor is float32 rounding: a GRU output
 *             of 3e-3 is (1 - z) n + z h of terms of size ~0.5, whose float32
 *             rounding is a few 1e-8 whatever the implementation (torch's own
 *             float32 GRU is 4.2e-8 off its float64 result on this fixture;
 *             this code 4.2e-8 to 4.8e-8 depending on the OpenBLAS kernel,
 *             which with a 1e-3 floor would be 9.1e-6 "relative" on the
 *             SkylakeX kernel: too close to 1e-5 to be a stable test);
 *   backward: |c - torch| <= 1e-4 * max |torch grad| over the parameter
 *             tensor the value belongs to (gru.l0.W_ih, tcn.b3.b1, ...: the
 *             tensors of the encoder's parameter layout): gradients sum over many steps and windows and mix
 *             magnitudes, so their error is measured against the tensor's
 *             scale.
 * A missing or malformed fixture is a hard error (exit 99), never a pass.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

#include "encoder_internal.h"
#include "testutil.h"

#define TF_TEST_NAME "test_encoder_torch"
#include "torch_fixture.h"

#define FWD_RTOL 1e-5
#define FWD_FLOOR 1e-2
#define GRAD_RTOL 1e-4

#define FIXTURE_MAGIC "xfcast-encoder-fixture"
#define FIXTURE_VERSION 1

enum { T_PARAMS, T_X, T_R, T_EMB, T_GRAD, T_COUNT };
static const char *const tensor_names[T_COUNT] = {"params", "x", "R", "emb", "grad"};

#define MAX_KEYS 8

typedef struct fixture {
    char arch[16];
    long context, batch;
    char key[MAX_KEYS][32]; /* the architecture's configuration: its fields' keys */
    long val[MAX_KEYS];     /* without "encoder." (n_layers, n_channels, ...) */
    int n_keys;
    double *t[T_COUNT];
    size_t n[T_COUNT];
} fixture;

static void fixture_free(fixture *f)
{
    int k;
    for (k = 0; k < T_COUNT; k++)
        free(f->t[k]);
}

/* Read a fixture; exits 99 on anything unexpected. */
static void fixture_read(const char *path, fixture *f)
{
    FILE *fp = fopen(path, "r");
    char tok[128];
    int version = 0, k, c;
    memset(f, 0, sizeof *f);
    f->context = f->batch = -1;
    if (fp == NULL)
        hard_error(path, "cannot open the fixture (%s); set XF_SRCDIR to the source tree",
                   strerror(errno));
    if (fscanf(fp, "%127s %d", tok, &version) != 2 || strcmp(tok, FIXTURE_MAGIC) != 0)
        hard_error(path, "not an " FIXTURE_MAGIC " file");
    if (version != FIXTURE_VERSION)
        hard_error(path, "fixture version %d is not %d", version, FIXTURE_VERSION);
    for (;;) {
        if (fscanf(fp, "%127s", tok) != 1)
            hard_error(path, "unexpected end of file: no 'end' line (truncated?)");
        if (tok[0] == '#') {
            while ((c = fgetc(fp)) != EOF && c != '\n')
                ;
            continue;
        }
        if (strcmp(tok, "end") == 0)
            break;
        for (k = 0; k < T_COUNT; k++)
            if (strcmp(tok, tensor_names[k]) == 0)
                break;
        if (k < T_COUNT) {
            if (f->t[k] != NULL)
                hard_error(path, "tensor '%s' appears twice", tensor_names[k]);
            f->t[k] = read_tensor(fp, path, tensor_names[k], &f->n[k]);
            continue;
        }
        /* a configuration key: one value token */
        {
            char key[128], val[128];
            strcpy(key, tok);
            if (fscanf(fp, "%127s", val) != 1)
                hard_error(path, "key '%s' has no value", key);
            if (strcmp(key, "arch") == 0) {
                if (strlen(val) >= sizeof f->arch)
                    hard_error(path, "bad value for '%s'", key);
                strcpy(f->arch, val);
            } else if (strcmp(key, "context") == 0) {
                f->context = parse_long(path, key, val);
            } else if (strcmp(key, "batch") == 0) {
                f->batch = parse_long(path, key, val);
            } else if (strcmp(key, "torch") != 0 && strcmp(key, "seed") != 0) {
                /* checked against the architecture's fields in run_fixture */
                if (f->n_keys == MAX_KEYS || strlen(key) >= sizeof f->key[0])
                    hard_error(path, "too many keys or key '%s' too long", key);
                strcpy(f->key[f->n_keys], key);
                f->val[f->n_keys++] = parse_long(path, key, val);
            }
        }
    }
    if (fscanf(fp, "%127s", tok) == 1)
        hard_error(path, "text after the 'end' line: '%s'", tok);
    fclose(fp);
    for (k = 0; k < T_COUNT; k++)
        if (f->t[k] == NULL)
            hard_error(path, "tensor '%s' is missing", tensor_names[k]);
    if (f->context <= 0 || f->batch <= 0)
        hard_error(path, "context or batch missing");
}

/* The fixture's configuration for its architecture: every key must be one
 * of the architecture's fields (encoder_arch.h), and every field given. */
static void fixture_config(const char *path, const fixture *f, const xf__encoder_arch *arch,
                           xf_encoder_config *cfg)
{
    size_t i;
    int k;
    xf_encoder_config_init(cfg, (xf_arch)arch->id);
    cfg->context = (int32_t)f->context;
    for (k = 0; k < f->n_keys; k++) {
        for (i = 0; i < arch->n_fields; i++)
            if (strcmp(arch->fields[i].key + strlen("encoder."), f->key[k]) == 0)
                break;
        if (i == arch->n_fields)
            hard_error(path, "unknown key '%s' (not a field of arch %s)", f->key[k], arch->name);
        xf__encoder_field_set(cfg, &arch->fields[i], (int32_t)f->val[k]);
    }
    for (i = 0; i < arch->n_fields; i++) {
        for (k = 0; k < f->n_keys; k++)
            if (strcmp(arch->fields[i].key + strlen("encoder."), f->key[k]) == 0)
                break;
        if (k == f->n_keys)
            hard_error(path, "key '%s' is missing", arch->fields[i].key + strlen("encoder."));
    }
}

static void run_fixture(const char *srcdir, const char *file, const char *want)
{
    char path[4096];
    fixture f;
    xf_encoder_config cfg;
    const xf__encoder_arch *arch;
    xf_encoder *e = NULL;
    xf_error err;
    size_t b, t, ne, np, i, s;
    float *x, *R, *emb, *grad, *cache, *scratch, *p;
    double grad_worst = 0;
    size_t grad_bad = 0;
    tf_stats fs = {0, 0, 0, 0, 0};
    const char *grad_worst_seg = "";

    snprintf(path, sizeof path, "%s/tests/fixtures/%s", srcdir, file);
    fixture_read(path, &f);
    if (strcmp(f.arch, want) != 0 || (arch = xf__encoder_arch_by_name(f.arch, NULL, 0)) == NULL)
        hard_error(path, "arch '%s' is not the expected '%s'", f.arch, want);
    fixture_config(path, &f, arch, &cfg);
    if (xf_encoder_new(&cfg, 1, &e, &err) != XF_OK)
        hard_error(path, "the fixture's configuration is refused: %s", err.message);
    b = (size_t)f.batch;
    t = (size_t)f.context;
    ne = xf_encoder_embed_size(e);
    np = xf_encoder_n_params(e);
    if (f.n[T_PARAMS] != np || f.n[T_GRAD] != np)
        hard_error(path, "params/grad count differs from the encoder's parameter count");
    if (f.n[T_X] != b * t * XF_ENCODER_N_IN)
        hard_error(path, "x count is not batch * context * 2");
    if (f.n[T_R] != b * ne || f.n[T_EMB] != b * ne)
        hard_error(path, "R/emb count is not batch * embed size");

    p = xf_encoder_params_mut(e);
    for (i = 0; i < np; i++)
        p[i] = (float)f.t[T_PARAMS][i];
    x = malloc(b * t * XF_ENCODER_N_IN * sizeof *x);
    R = malloc(b * ne * sizeof *R);
    emb = malloc(b * ne * sizeof *emb);
    grad = calloc(np, sizeof *grad);
    cache = malloc(xf__encoder_cache_size(e, b, t) * sizeof *cache);
    scratch = malloc(xf__encoder_scratch_size(e, b, t) * sizeof *scratch);
    if (!x || !R || !emb || !grad || !cache || !scratch)
        hard_error(path, "out of memory");
    for (i = 0; i < b * t * XF_ENCODER_N_IN; i++)
        x[i] = (float)f.t[T_X][i];
    for (i = 0; i < b * ne; i++)
        R[i] = (float)f.t[T_R][i];

    /* forward: inference path (no cache) and training path (cache) must
     * both match torch */
    {
        int pass;
        for (pass = 0; pass < 2; pass++) {
            for (i = 0; i < b * ne; i++)
                emb[i] = NAN;
            xf__encoder_forward(e, x, b, emb, pass ? cache : NULL, scratch);
            tf_compare(f.arch, emb, f.t[T_EMB], b * ne, ne, FWD_FLOOR, FWD_RTOL, &fs);
        }
    }
    printf("%s forward: %zu values, max |c - torch| %.3g, max |c - torch| / |torch| %.3g "
           "(values >= %g), max |c - torch| / max(|torch|, %g) %.3g (emb[%zu]; tolerance %g)\n",
           f.arch, b * ne, fs.abs, fs.rel_big, FWD_FLOOR, FWD_FLOOR, fs.rel, fs.worst, FWD_RTOL);
    CHECK_MSG(fs.bad == 0, "%s: %zu embedding values differ from torch by more than %g relative",
              f.arch, fs.bad, FWD_RTOL);

    /* backward (the cache is from the second forward pass above); the
     * tolerance is per tensor of the encoder's parameter layout, which the
     * fixture's flat order must follow (torch's order: see the script) */
    xf__encoder_backward(e, x, b, R, cache, grad, scratch);
    CHECK_INT(e->tensors[e->n_tensors - 1].offset + e->tensors[e->n_tensors - 1].count, np);
    for (s = 0; s < e->n_tensors; s++) {
        const xf__tensor *seg = &e->tensors[s];
        double gmax = 0, dmax = 0, rel;
        size_t worst_j = seg->offset, bad = 0;
        for (i = seg->offset; i < seg->offset + seg->count; i++)
            if (fabs(f.t[T_GRAD][i]) > gmax)
                gmax = fabs(f.t[T_GRAD][i]);
        for (i = seg->offset; i < seg->offset + seg->count; i++) {
            double d = fabs((double)grad[i] - f.t[T_GRAD][i]);
            if (!(d <= dmax)) {
                dmax = d;
                worst_j = i;
            }
            /* an all-zero torch gradient must be all zero here too */
            if (!(d <= GRAD_RTOL * gmax)) {
                if (bad++ < 5)
                    fprintf(stderr, "%s: grad %s[%zu] = %.9g, torch %.17g\n", f.arch, seg->name,
                            i - seg->offset, (double)grad[i], f.t[T_GRAD][i]);
            }
        }
        rel = gmax > 0 ? dmax / gmax : (dmax > 0 ? INFINITY : 0);
        if (!(rel <= grad_worst)) {
            grad_worst = rel;
            grad_worst_seg = seg->name;
        }
        grad_bad += bad;
        CHECK_MSG(bad == 0,
                  "%s: %zu gradient values of %s differ from torch (max |diff| %.3g "
                  "at %s[%zu], max |grad| %.3g)",
                  f.arch, bad, seg->name, dmax, seg->name, worst_j - seg->offset, gmax);
    }
    printf("%s backward: %zu parameters in %zu tensors, max |c - torch| / max|torch| per tensor "
           "%.3g (%s; tolerance %g)\n",
           f.arch, np, e->n_tensors, grad_worst, grad_worst_seg, GRAD_RTOL);

    xf_encoder_free(e);
    free(x);
    free(R);
    free(emb);
    free(grad);
    free(cache);
    free(scratch);
    fixture_free(&f);
}

int main(void)
{
    const char *srcdir = getenv("XF_SRCDIR");
    if (srcdir == NULL || *srcdir == '\0')
        srcdir = ".";
    run_fixture(srcdir, "encoder-gru.txt", "gru");
    run_fixture(srcdir, "encoder-tcn.txt", "tcn");
    return tu_report("test_encoder_torch");
}
