/* fuzz_xfm.c - libFuzzer target for the .xfm container loader and, through
 * it, the encoder and head loaders.
 *
 * Each input is loaded twice from memory: as given (so the magic, version,
 * size and CRC checks are exercised), then with its size field and CRC32C
 * trailer recomputed (so that mutations reach the metadata, directory and
 * tensor checks behind the checksum).  A container that loads must save
 * and load again with the same kind, metadata and tensors.  The repaired
 * bytes are then written to a temporary file and loaded as an encoder and
 * as a head (each refuses the other's kind); an encoder that loads embeds
 * one window, a head that loads describes itself.  Any crash, leak,
 * sanitizer report, huge allocation, or a failure that does not report
 * itself is a bug.  Seeds: tests/data/fuzz-seeds-xfm.  Build:
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SIZE_OFFSET 16 /* u64 file size in the fixed header */
#define HEADER_BYTES 40

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

/* The container must survive a save/load round trip unchanged. */
static void round_trip(const xf_xfm *mf)
{
    void *buf = NULL;
    size_t len = 0, i;
    xf_xfm *back = NULL;
    xf_error err;
    if (xf_xfm_save_buffer(mf, &buf, &len, &err) != XF_OK)
        abort(); /* anything that loads can be written */
    if (xf_xfm_load_buffer(buf, len, "round-trip", &back, &err) != XF_OK)
        abort();
    if (strcmp(xf_xfm_kind(back), xf_xfm_kind(mf)) != 0 ||
        xf_xfm_n_meta(back) != xf_xfm_n_meta(mf) || xf_xfm_n_tensors(back) != xf_xfm_n_tensors(mf))
        abort();
    for (i = 0; i < xf_xfm_n_tensors(mf); i++) {
        size_t n = xf_xfm_tensor_n_elems(mf, i);
        size_t esz = xf_xfm_dtype_size(xf_xfm_tensor_dtype(mf, i));
        if (strcmp(xf_xfm_tensor_name(back, i), xf_xfm_tensor_name(mf, i)) != 0 ||
            xf_xfm_tensor_n_elems(back, i) != n ||
            (n > 0 && memcmp(xf_xfm_tensor_data(back, i), xf_xfm_tensor_data(mf, i), n * esz) != 0))
            abort();
    }
    xf_xfm_free(back);
    free(buf);
}

/* Encoder: load, then embed one window of a sine (a few values missing). */
static void try_encoder(const char *path)
{
    xf_encoder *enc = NULL;
    xf_encoder_workspace *ws = NULL;
    xf_error err;
    float *win = NULL, *emb = NULL, norm[2];
    size_t ctx, k;
    int rc = xf_encoder_load(path, &enc, &err);
    if (rc != XF_OK) {
        check_failure(rc, &err, enc);
        return;
    }
    ctx = (size_t)xf_encoder_context(enc);
    win = malloc(ctx * sizeof *win);
    emb = malloc(xf_encoder_embed_size(enc) * sizeof *emb);
    if (win == NULL || emb == NULL)
        abort();
    for (k = 0; k < ctx; k++)
        win[k] = k % 17 == 3 ? (float)NAN : (float)(k % 24) * 0.25f;
    if (xf_encoder_workspace_new(enc, 1, &ws, &err) != XF_OK ||
        xf_encoder_embed(enc, ws, win, 1, emb, norm, &err) != XF_OK)
        abort(); /* a loaded encoder can embed */
    xf_encoder_workspace_free(ws);
    free(win);
    free(emb);
    xf_encoder_free(enc);
}

static void try_head(const char *path)
{
    xf_head *h = NULL;
    xf_error err;
    char text[2048];
    size_t i;
    int rc = xf_head_load(path, &h, &err);
    if (rc != XF_OK) {
        check_failure(rc, &err, h);
        return;
    }
    xf_head_describe(h, text, sizeof text);
    for (i = 0; i < xf_head_n_encoders(h); i++)
        if (xf_head_encoder_name(h, i) == NULL)
            abort();
    for (i = 0; i < xf_head_n_covariates(h); i++)
        if (xf_head_covariate_name(h, i) == NULL)
            abort();
    if (xf_head_horizon(h) < 1)
        abort();
    xf_head_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    xf_xfm *mf = NULL;
    xf_error err;
    uint8_t *fixed;
    FILE *f;
    int rc;

    rc = xf_xfm_load_buffer(data, size, "fuzz.xfm", &mf, &err);
    if (rc == XF_OK)
        round_trip(mf);
    else
        check_failure(rc, &err, mf);
    xf_xfm_free(mf);
    mf = NULL;

    if (size < HEADER_BYTES + 4)
        return 0;
    if ((fixed = malloc(size)) == NULL)
        abort();
    memcpy(fixed, data, size);
    put_le(fixed + SIZE_OFFSET, size, 8);
    put_le(fixed + size - 4, xf_crc32c(0, fixed, size - 4), 4);
    rc = xf_xfm_load_buffer(fixed, size, "fuzz.xfm", &mf, &err);
    if (rc != XF_OK) {
        check_failure(rc, &err, mf);
        free(fixed);
        return 0;
    }
    round_trip(mf);
    xf_xfm_free(mf);

    /* the encoder and head loaders read files */
    if (path[0] == '\0')
        snprintf(path, sizeof path, "/tmp/fuzz-xfm-%ld.xfm", (long)getpid());
    if ((f = fopen(path, "wb")) == NULL || fwrite(fixed, 1, size, f) != size || fclose(f) != 0)
        abort();
    free(fixed);
    try_encoder(path);
    try_head(path);
    unlink(path);
    return 0;
}
