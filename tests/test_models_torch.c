/* test_models_torch.c - the SHIPPED encoders (models/gru-base.xfm,
 * models/tcn-base.xfm) forward-match an independent PyTorch implementation.
 *
 * tests/fixtures/model-{gru,tcn}-base.txt hold 6 input windows (512 steps,
 * the encoder's normalised [value, mask] convention) and torch's embeddings
 * of them, made by tests/fixtures/make_model_fixture.py, which parses the
 * .xfm file itself (struct, CRC32C checked), loads the weights into
 * torch.nn.GRU / a TCN of torch.nn.Conv1d and runs the forward in float64
 * from the file's float32 values.  The weights are not in the fixture: this
 * test loads the model with xf_encoder_load.  The fixture records the
 * model's SHA-256; when the shipped file no longer has it, the fixture is
 * stale and the test stops with a hard error (exit 99) saying so.
 *
 * Tolerance (float32 here, float64 in torch): |c - torch| <= rtol *
 * max(|torch|, 1e-2) for every embedding value, with rtol 1e-4 for both
 * (the independent fixtures of test_encoder_torch.c, random weights, keep
 * 1e-5).  1e-5 is at float32 rounding for the trained models: torch's own
 * float32 GRU (same weights, same inputs) is 6.2e-5 off its float64 result
 * on this fixture (1.4e-6 absolute, 13 values over 1e-5), this code 2.2e-5
 * (1.7e-6 absolute); for the tcn-base of 2026-11-28 (19 layers, 512 steps)
 * torch's float32 TCN is 4.9e-6 off (4.8e-6 absolute) and this code 1.04e-5
 * (5.0e-6 absolute, on a value of 0.019).  A real error (a wrong gate, tap
 * or weight) is many orders of magnitude above either.
 * A missing or malformed fixture is a hard error (exit 99), never a pass.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

#include "encoder_internal.h"
#include "testutil.h"

#define TF_TEST_NAME "test_models_torch"
#include "torch_fixture.h"

#define FWD_RTOL_TCN 1e-4
#define FWD_RTOL_GRU 1e-4
#define FWD_FLOOR 1e-2

#define FIXTURE_MAGIC "xfcast-model-fixture"
#define FIXTURE_VERSION 1

typedef struct fixture {
    char model[256];
    char sha256[65];
    char arch[16];
    long context, batch;
    double *x, *emb;
    size_t nx, nemb;
} fixture;

/* ---------------------------------------------------------------- SHA-256 */
static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
    int i;
    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 = ROR32(w[i - 15], 7) ^ ROR32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR32(w[i - 2], 17) ^ ROR32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (i = 0; i < 64; i++) {
        t1 = hh + (ROR32(e, 6) ^ ROR32(e, 11) ^ ROR32(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] +
             w[i];
        t2 = (ROR32(a, 2) ^ ROR32(a, 13) ^ ROR32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

/* SHA-256 of a file as 64 lowercase hex digits; 0 on success, -1 if it
 * cannot be read. */
static int sha256_file(const char *path, char hex[65])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    unsigned char buf[64];
    uint64_t total = 0;
    size_t n;
    int i;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return -1;
    while ((n = fread(buf, 1, 64, fp)) == 64) {
        sha256_block(h, buf);
        total += 64;
    }
    if (ferror(fp)) {
        fclose(fp);
        return -1;
    }
    fclose(fp);
    total += n;
    buf[n++] = 0x80;
    if (n > 56) {
        memset(buf + n, 0, 64 - n);
        sha256_block(h, buf);
        n = 0;
    }
    memset(buf + n, 0, 56 - n);
    for (i = 0; i < 8; i++)
        buf[56 + i] = (unsigned char)((total * 8) >> (56 - 8 * i));
    sha256_block(h, buf);
    for (i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", (unsigned)h[i]);
    return 0;
}

/* ---------------------------------------------------------------- fixture */

/* Read a fixture; exits 99 on anything unexpected. */
static void fixture_read(const char *path, fixture *f)
{
    FILE *fp = fopen(path, "r");
    char tok[128];
    int version = 0, c;
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
        char val[256];
        if (fscanf(fp, "%127s", tok) != 1)
            hard_error(path, "unexpected end of file: no 'end' line (truncated?)");
        if (tok[0] == '#') {
            while ((c = fgetc(fp)) != EOF && c != '\n')
                ;
            continue;
        }
        if (strcmp(tok, "end") == 0)
            break;
        if (strcmp(tok, "x") == 0 || strcmp(tok, "emb") == 0) {
            int is_x = tok[0] == 'x';
            if ((is_x ? f->x : f->emb) != NULL)
                hard_error(path, "tensor '%s' appears twice", tok);
            if (is_x)
                f->x = read_tensor(fp, path, "x", &f->nx);
            else
                f->emb = read_tensor(fp, path, "emb", &f->nemb);
            continue;
        }
        if (fscanf(fp, "%255s", val) != 1)
            hard_error(path, "key '%s' has no value", tok);
        if (strcmp(tok, "model") == 0) {
            if (strlen(val) >= sizeof f->model || strstr(val, "..") != NULL)
                hard_error(path, "bad value for 'model'");
            strcpy(f->model, val);
        } else if (strcmp(tok, "model_sha256") == 0) {
            if (strlen(val) != 64 || strspn(val, "0123456789abcdef") != 64)
                hard_error(path, "bad value for 'model_sha256'");
            strcpy(f->sha256, val);
        } else if (strcmp(tok, "arch") == 0) {
            if (strlen(val) >= sizeof f->arch)
                hard_error(path, "bad value for 'arch'");
            strcpy(f->arch, val);
        } else if (strcmp(tok, "context") == 0) {
            f->context = parse_long(path, tok, val);
        } else if (strcmp(tok, "batch") == 0) {
            f->batch = parse_long(path, tok, val);
        } else if (strcmp(tok, "torch") != 0 && strcmp(tok, "seed") != 0) {
            hard_error(path, "unknown key '%s'", tok);
        }
    }
    if (fscanf(fp, "%127s", tok) == 1)
        hard_error(path, "text after the 'end' line: '%s'", tok);
    fclose(fp);
    if (f->x == NULL || f->emb == NULL)
        hard_error(path, "tensor 'x' or 'emb' is missing");
    if (f->model[0] == '\0' || f->sha256[0] == '\0' || f->arch[0] == '\0')
        hard_error(path, "'model', 'model_sha256' or 'arch' is missing");
    if (f->context <= 0 || f->batch <= 0)
        hard_error(path, "context or batch missing");
}

/* ------------------------------------------------------------------ test */
static void run_fixture(const char *srcdir, const char *file, const char *want)
{
    char path[4096], mpath[4096], sha[65];
    fixture f;
    xf_encoder *e = NULL;
    xf_error err;
    size_t b, t, ne, i;
    float *x, *emb, *scratch;
    tf_stats fs = {0, 0, 0, 0, 0};
    const double FWD_RTOL = strcmp(want, "gru") == 0 ? FWD_RTOL_GRU : FWD_RTOL_TCN;

    snprintf(path, sizeof path, "%s/tests/fixtures/%s", srcdir, file);
    fixture_read(path, &f);
    snprintf(mpath, sizeof mpath, "%s/%s", srcdir, f.model);
    if (sha256_file(mpath, sha) != 0)
        hard_error(path, "cannot read the model %s (%s)", mpath, strerror(errno));
    if (strcmp(sha, f.sha256) != 0)
        hard_error(path,
                   "the shipped model %s changed (sha256 %s, the fixture was made from %s): "
                   "rerun /usr/bin/python3 tests/fixtures/make_model_fixture.py",
                   f.model, sha, f.sha256);
    if (xf_encoder_load(mpath, &e, &err) != XF_OK)
        hard_error(path, "cannot load the model: %s", err.message);
    if (strcmp(e->arch->name, want) != 0 || strcmp(f.arch, want) != 0)
        hard_error(path, "arch of the fixture or the model is not the expected one");
    if ((long)xf_encoder_context(e) != f.context)
        hard_error(path, "context %ld differs from the model's %ld", f.context,
                   (long)xf_encoder_context(e));
    b = (size_t)f.batch;
    t = (size_t)f.context;
    ne = xf_encoder_embed_size(e);
    if (f.nx != b * t * XF_ENCODER_N_IN)
        hard_error(path, "x count is not batch * context * 2");
    if (f.nemb != b * ne)
        hard_error(path, "emb count is not batch * embed size (%zu)", ne);

    x = malloc(b * t * XF_ENCODER_N_IN * sizeof *x);
    emb = malloc(b * ne * sizeof *emb);
    scratch = malloc(xf__encoder_scratch_size(e, b, t) * sizeof *scratch);
    if (!x || !emb || !scratch)
        hard_error(path, "out of memory");
    for (i = 0; i < b * t * XF_ENCODER_N_IN; i++)
        x[i] = (float)f.x[i];
    for (i = 0; i < b * ne; i++)
        emb[i] = NAN;
    xf__encoder_forward(e, x, b, emb, NULL, scratch);
    tf_compare(f.model, emb, f.emb, b * ne, ne, FWD_FLOOR, FWD_RTOL, &fs);
    printf("%s (sha256 %s): %zu windows x %zu steps, %zu values, max |c - torch| %.3g, "
           "max |c - torch| / |torch| %.3g (values >= %g), max |c - torch| / max(|torch|, %g) "
           "%.3g (emb[%zu]; tolerance %g)\n",
           f.model, sha, b, t, b * ne, fs.abs, fs.rel_big, FWD_FLOOR, FWD_FLOOR, fs.rel, fs.worst,
           FWD_RTOL);
    CHECK_MSG(fs.bad == 0, "%s: %zu embedding values differ from torch by more than %g relative",
              f.model, fs.bad, FWD_RTOL);

    xf_encoder_free(e);
    free(x);
    free(emb);
    free(scratch);
    free(f.x);
    free(f.emb);
}

int main(void)
{
    const char *srcdir = getenv("XF_SRCDIR");
    if (srcdir == NULL || *srcdir == '\0')
        srcdir = ".";
    run_fixture(srcdir, "model-gru-base.txt", "gru");
    run_fixture(srcdir, "model-tcn-base.txt", "tcn");
    return tu_report("test_models_torch");
}
