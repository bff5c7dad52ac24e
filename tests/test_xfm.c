/* test_xfm.c - the .xfm model container: CRC32C, round trips, damaged
 * files, atomic saves, the committed version-1 fixture and `xfcast info`.
 *
 * Damaged files are built by an independent writer in this file ("raw"),
 * written from docs/model-format.md alone; a test checks that it produces
 * the same bytes as the library's writer, so the two keep each other (and
 * the document) honest.
 *
 *   tests/test_xfm                      run the tests
 *   tests/test_xfm --write-fixture F    write the sample model to F (this is
 *                                       how tests/data/xfm/v1-sample.xfm was
 *                                       made; never regenerate a released
 *                                       version's fixture)
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xfcast.h>

#include "fileio.h"
#include "xf_internal.h"
#include "testutil.h"

#define FIXTURE "tests/data/xfm/v1-sample.xfm"

/* ------------------------------------------------------------- helpers */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

/* xorshift64*: deterministic high-entropy bits */
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

/* Bit-at-a-time CRC32C, the textbook definition (reflected 0x82F63B78). */
static uint32_t crc_ref(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t c = 0xFFFFFFFFu;
    size_t i;
    int k;
    for (i = 0; i < len; i++) {
        c ^= p[i];
        for (k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    }
    return ~c;
}

static void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void wr64(unsigned char *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Recompute the trailer of a file image after editing it. */
static void fix_crc(unsigned char *p, size_t len)
{
    wr32(p + len - 4, crc_ref(p, len - 4));
}

static char tmpdir[] = "/tmp/xf_test_xfm_XXXXXX";

static void tmp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

/* Load from memory and expect failure with `code` and exactly `msg` (or,
 * when msg starts with '~', a message containing the rest). */
#define EXPECT_LOAD(buf, len, code, msg) expect_load(__LINE__, buf, len, code, msg)
static void expect_load(int line, const void *buf, size_t len, int code, const char *msg)
{
    xf_xfm *mf = (xf_xfm *)1;
    xf_error err;
    int rc;
    xf_error_clear(&err);
    rc = xf_xfm_load_buffer(buf, len, "m.xfm", &mf, &err);
    CHECK_MSG(rc == code, "line %d: status %d (%s), expected %d; message: %s", line, rc,
              xf_strerror(rc), code, err.message);
    CHECK_MSG(mf == NULL || rc == XF_OK, "line %d: *out not NULL on failure", line);
    if (rc == XF_OK)
        xf_xfm_free(mf);
    if (msg != NULL && rc != XF_OK) {
        if (msg[0] == '~')
            CHECK_MSG(strstr(err.message, msg + 1) != NULL, "line %d: '%s' lacks '%s'", line,
                      err.message, msg + 1);
        else
            CHECK_MSG(strcmp(err.message, msg) == 0, "line %d:\n  got  '%s'\n  want '%s'", line,
                      err.message, msg);
        CHECK_INT(err.code, rc);
    }
}

/* ------------------------------------------------------------ raw files */

/* An independent writer of the version-1 layout (docs/model-format.md),
 * able to write what the library refuses to: used to build damaged files
 * that still carry a correct CRC. */
typedef struct raw {
    unsigned char *p;      /* the file so far */
    size_t n, cap;         /* ... its size and capacity */
    size_t toff[16];       /* position of each tensor's offset field */
    const void *tdata[16]; /* each tensor's bytes (NULL: a pattern) */
    uint64_t tbytes[16];   /* bytes of data written for each tensor */
    int64_t tforce[16];    /* offset written in the directory; -1 = the real one */
    size_t nt;             /* tensors in the directory */
} raw;

static void r_bytes(raw *r, const void *s, size_t n)
{
    if (r->n + n > r->cap) {
        r->cap = (r->n + n) * 2 + 256;
        r->p = realloc(r->p, r->cap);
        if (r->p == NULL)
            abort();
    }
    if (n > 0)
        memcpy(r->p + r->n, s, n);
    r->n += n;
}

static void r_u32(raw *r, uint32_t v)
{
    unsigned char b[4];
    wr32(b, v);
    r_bytes(r, b, 4);
}

static void r_u64(raw *r, uint64_t v)
{
    unsigned char b[8];
    wr64(b, v);
    r_bytes(r, b, 8);
}

static void r_f64(raw *r, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    r_u64(r, u);
}

static void r_str(raw *r, const char *s)
{
    r_u32(r, (uint32_t)strlen(s));
    r_bytes(r, s, strlen(s));
}

static void r_pad64(raw *r)
{
    static const unsigned char z[64] = {0};
    r_bytes(r, z, (64 - r->n % 64) % 64);
}

static void raw_begin(raw *r, uint32_t version, const char *kind, uint32_t n_meta,
                      uint32_t n_tensors)
{
    static const unsigned char magic[8] = {0x89, 'X', 'F', 'M', '\r', '\n', 0x1a, '\n'};
    memset(r, 0, sizeof *r);
    r_bytes(r, magic, 8);
    r_u32(r, version);
    r_u32(r, (uint32_t)strlen(kind));
    r_u64(r, 0); /* file size: raw_finish */
    r_u64(r, 0); /* data offset: raw_finish */
    r_u32(r, n_meta);
    r_u32(r, n_tensors);
    r_bytes(r, kind, strlen(kind));
}

/* A metadata entry's key and type; the caller appends the value. */
static void raw_key(raw *r, const char *key, uint32_t type)
{
    r_str(r, key);
    r_u32(r, type);
}

static void raw_tensor(raw *r, const char *name, uint32_t dtype, uint32_t n_dims,
                       const int64_t *dims, const void *data, uint64_t bytes, int64_t force)
{
    uint32_t k;
    r_str(r, name);
    r_u32(r, dtype);
    r_u32(r, n_dims);
    for (k = 0; k < n_dims; k++)
        r_u64(r, (uint64_t)dims[k]);
    r->toff[r->nt] = r->n;
    r->tdata[r->nt] = data;
    r->tbytes[r->nt] = bytes;
    r->tforce[r->nt] = force;
    r->nt++;
    r_u64(r, 0);
}

/* Pad, place the data, fill the size and offsets, append the CRC.  Returns
 * the file (owned by the caller) and its size. */
static unsigned char *raw_finish(raw *r, size_t *len)
{
    size_t i;
    uint64_t k;
    r_pad64(r);
    wr64(r->p + 24, r->n);
    for (i = 0; i < r->nt; i++) {
        r_pad64(r);
        wr64(r->p + r->toff[i], r->tforce[i] >= 0 ? (uint64_t)r->tforce[i] : r->n);
        if (r->tdata[i] != NULL)
            r_bytes(r, r->tdata[i], r->tbytes[i]);
        else
            for (k = 0; k < r->tbytes[i]; k++) {
                unsigned char c = (unsigned char)(k * 7 + 3);
                r_bytes(r, &c, 1);
            }
    }
    wr64(r->p + 16, r->n + 4);
    r_u32(r, crc_ref(r->p, r->n));
    *len = r->n;
    return r->p;
}

/* ---------------------------------------------------------- the sample */

/* The sample model: every metadata type, both dtypes, a scalar, an empty
 * tensor.  Values are "high-entropy" and exactly reproducible (integer
 * formulas scaled by powers of two, and literals). */
static const int64_t sample_i64s[] = {INT64_MIN,      -1, 0, 1, INT64_MAX, 1234567890123LL,
                                      -987654321987LL};
static const double sample_f64s[] = {
    2.385, -0.0, 4.9406564584124654e-324, 1.7976931348623157e308, -7.25e-3, 0.1, 6.02214076e23};
static const int64_t sample_w_dims[] = {3, 5};
static const int64_t sample_b_dims[] = {2, 3, 4};
static const int64_t sample_e_dims[] = {0, 7};
#define SAMPLE_STR "GRU encoder \xc3\xa9t\xc3\xa9 \xe2\x82\xac \"q\"\n"

static float sample_w(size_t i)
{
    return (float)((int32_t)((i * 2654435761u) % 1000003u) - 500000) * 0x1p-12f;
}

static double sample_b(size_t i)
{
    return (double)((int64_t)((i * 11400714819323198485ull) >> 11) - (1LL << 52)) * 0x1p-40;
}

static xf_xfm *build_sample(void)
{
    xf_xfm *mf = NULL;
    float w[15];
    double b[24], s = 0.1;
    size_t i;
    if (xf_xfm_new("encoder", &mf) != XF_OK)
        return NULL;
    for (i = 0; i < 15; i++)
        w[i] = sample_w(i);
    for (i = 0; i < 24; i++)
        b[i] = sample_b(i);
    if (xf_xfm_set_u32(mf, "sample.u32", 4000000007u) != XF_OK ||
        xf_xfm_set_i64(mf, "sample.i64", -9007199254740993LL) != XF_OK ||
        xf_xfm_set_f64(mf, "sample.f64", -2.5e-310) != XF_OK ||
        xf_xfm_set_str(mf, "sample.str", SAMPLE_STR) != XF_OK ||
        xf_xfm_set_i64_array(mf, "sample.i64s", sample_i64s, 7) != XF_OK ||
        xf_xfm_set_f64_array(mf, "sample.f64s", sample_f64s, 7) != XF_OK ||
        xf_xfm_set_f64_array(mf, "sample.empty", NULL, 0) != XF_OK ||
        xf_xfm_set_str(mf, "sample.empty_str", "") != XF_OK ||
        xf_xfm_add_tensor_f32(mf, "layer.W", 2, sample_w_dims, w) != XF_OK ||
        xf_xfm_add_tensor_f64(mf, "layer.b", 3, sample_b_dims, b) != XF_OK ||
        xf_xfm_add_tensor_f64(mf, "scale", 0, NULL, &s) != XF_OK ||
        xf_xfm_add_tensor_f32(mf, "empty", 2, sample_e_dims, NULL) != XF_OK) {
        xf_xfm_free(mf);
        return NULL;
    }
    return mf;
}

static int same_bits(const void *a, const void *b, size_t n)
{
    return memcmp(a, b, n) == 0;
}

/* Check that mf holds exactly the sample (bit for bit). */
static void check_sample(const xf_xfm *mf)
{
    uint32_t u = 0;
    int64_t i64 = 0;
    double f = 0, s = 0.1, ref = -2.5e-310;
    const char *str = NULL;
    const int64_t *iv = NULL;
    const double *dv = NULL;
    size_t n = 99, i, idx = 99;
    xf_error err;
    CHECK_STR(xf_xfm_kind(mf), "encoder");
    CHECK_INT(xf_xfm_n_meta(mf), 8);
    CHECK_INT(xf_xfm_get_u32(mf, "sample.u32", &u, &err), XF_OK);
    CHECK_INT(u, 4000000007u);
    CHECK_INT(xf_xfm_get_i64(mf, "sample.i64", &i64, &err), XF_OK);
    CHECK_INT(i64, -9007199254740993LL);
    CHECK_INT(xf_xfm_get_f64(mf, "sample.f64", &f, &err), XF_OK);
    CHECK(same_bits(&f, &ref, 8));
    CHECK_INT(xf_xfm_get_str(mf, "sample.str", &str, &err), XF_OK);
    CHECK(str != NULL && strcmp(str, SAMPLE_STR) == 0);
    CHECK_INT(xf_xfm_get_i64_array(mf, "sample.i64s", &iv, &n, &err), XF_OK);
    CHECK_INT(n, 7);
    CHECK(iv != NULL && same_bits(iv, sample_i64s, sizeof sample_i64s));
    CHECK_INT(xf_xfm_get_f64_array(mf, "sample.f64s", &dv, &n, &err), XF_OK);
    CHECK_INT(n, 7);
    CHECK(dv != NULL && same_bits(dv, sample_f64s, sizeof sample_f64s));
    CHECK_INT(xf_xfm_get_f64_array(mf, "sample.empty", &dv, &n, &err), XF_OK);
    CHECK_INT(n, 0);
    CHECK(dv != NULL);
    CHECK_INT(xf_xfm_get_str(mf, "sample.empty_str", &str, &err), XF_OK);
    CHECK(str != NULL && str[0] == '\0');
    CHECK_STR(xf_xfm_meta_key(mf, 0), "sample.u32");
    CHECK_STR(xf_xfm_meta_key(mf, 7), "sample.empty_str");
    CHECK_INT(xf_xfm_meta_type(mf, 4), XF_XFM_TYPE_I64_ARRAY);

    CHECK_INT(xf_xfm_n_tensors(mf), 4);
    CHECK_INT(xf_xfm_find_tensor(mf, "layer.W", &idx), XF_OK);
    CHECK_INT(idx, 0);
    CHECK_STR(xf_xfm_tensor_name(mf, 0), "layer.W");
    CHECK_INT(xf_xfm_tensor_dtype(mf, 0), XF_XFM_DTYPE_F32);
    CHECK_INT(xf_xfm_tensor_n_dims(mf, 0), 2);
    CHECK(same_bits(xf_xfm_tensor_dims(mf, 0), sample_w_dims, sizeof sample_w_dims));
    CHECK_INT(xf_xfm_tensor_n_elems(mf, 0), 15);
    {
        const float *w = xf_xfm_tensor_data(mf, 0);
        int ok = w != NULL;
        for (i = 0; ok && i < 15; i++) {
            float e = sample_w(i);
            ok = same_bits(&w[i], &e, 4);
        }
        CHECK_MSG(ok, "layer.W differs at %zu", i);
    }
    CHECK_INT(xf_xfm_find_tensor(mf, "layer.b", &idx), XF_OK);
    CHECK_INT(idx, 1);
    CHECK_INT(xf_xfm_tensor_dtype(mf, 1), XF_XFM_DTYPE_F64);
    CHECK_INT(xf_xfm_tensor_n_dims(mf, 1), 3);
    CHECK(same_bits(xf_xfm_tensor_dims(mf, 1), sample_b_dims, sizeof sample_b_dims));
    CHECK_INT(xf_xfm_tensor_n_elems(mf, 1), 24);
    {
        const double *b = xf_xfm_tensor_data(mf, 1);
        int ok = b != NULL;
        for (i = 0; ok && i < 24; i++) {
            double e = sample_b(i);
            ok = same_bits(&b[i], &e, 8);
        }
        CHECK_MSG(ok, "layer.b differs at %zu", i);
    }
    CHECK_INT(xf_xfm_find_tensor(mf, "scale", &idx), XF_OK);
    CHECK_INT(xf_xfm_tensor_n_dims(mf, 2), 0);
    CHECK_INT(xf_xfm_tensor_n_elems(mf, 2), 1);
    CHECK(xf_xfm_tensor_data(mf, 2) != NULL && same_bits(xf_xfm_tensor_data(mf, 2), &s, 8));
    CHECK_INT(xf_xfm_tensor_n_elems(mf, 3), 0);
    CHECK_INT(xf_xfm_tensor_dims(mf, 3)[1], 7);
    for (i = 0; i < xf_xfm_n_tensors(mf); i++)
        CHECK_MSG(((uintptr_t)xf_xfm_tensor_data(mf, i)) % 64 == 0, "tensor %zu not aligned", i);
    CHECK_INT(xf_xfm_find_tensor(mf, "nope", &idx), XF_ENOTFOUND);
}

/* Tensor data offsets from a file image, walking the layout of the
 * document independently of the library.  Returns the number found. */
static size_t walk_offsets(const unsigned char *p, size_t len, uint64_t *offs, size_t max)
{
    size_t pos = 40 + rd32(p + 12), i, n_meta = rd32(p + 32), n_t = rd32(p + 36);
    (void)len;
    for (i = 0; i < n_meta; i++) {
        uint32_t type;
        pos += 4 + rd32(p + pos);
        type = rd32(p + pos);
        pos += 4;
        if (type == 1)
            pos += 4;
        else if (type == 2 || type == 3)
            pos += 8;
        else if (type == 4)
            pos += 4 + rd32(p + pos);
        else
            pos += 8 + 8 * (size_t)rd64(p + pos);
    }
    for (i = 0; i < n_t && i < max; i++) {
        pos += 4 + rd32(p + pos);
        pos += 8 + 8 * (size_t)rd32(p + pos + 4);
        offs[i] = rd64(p + pos);
        pos += 8;
    }
    return i;
}

/* ----------------------------------------------------------------- tests */

static void test_crc(void)
{
    static const char *v = "123456789";
    unsigned char buf[600], z[32];
    size_t len, off, i;
    int ok = 1;
    CHECK_INT(xf_crc32c(0, v, 9), 0xE3069283u);
    CHECK_INT(crc_ref(v, 9), 0xE3069283u);
    CHECK_INT(xf_crc32c(0, NULL, 0), 0);
    /* RFC 3720 (iSCSI) B.4 test vectors */
    memset(z, 0, 32);
    CHECK_INT(xf_crc32c(0, z, 32), 0x8A9136AAu);
    memset(z, 0xFF, 32);
    CHECK_INT(xf_crc32c(0, z, 32), 0x62A8AB43u);
    for (i = 0; i < 32; i++)
        z[i] = (unsigned char)i;
    CHECK_INT(xf_crc32c(0, z, 32), 0x46DD794Eu);
    for (i = 0; i < 32; i++)
        z[i] = (unsigned char)(31 - i);
    CHECK_INT(xf_crc32c(0, z, 32), 0x113FDB5Cu);
    /* every length and alignment against the bitwise definition, and in
     * two pieces split anywhere */
    for (i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)rnd();
    for (off = 0; off < 8; off++)
        for (len = 0; len + off <= 300; len++) {
            uint32_t want = crc_ref(buf + off, len);
            if (xf_crc32c(0, buf + off, len) != want ||
                xf_crc32c(xf_crc32c(0, buf + off, len / 3), buf + off + len / 3, len - len / 3) !=
                    want ||
                xf__crc32c_table(0, buf + off, len) != want ||
                xf__crc32c_table(xf__crc32c_table(0, buf + off, len / 3), buf + off + len / 3,
                                 len - len / 3) != want)
                ok = 0;
        }
    CHECK_MSG(ok, "xf_crc32c disagrees with the bitwise CRC32C");
    /* the tables and the CPU's instruction (where xf_crc32c uses it) agree
     * on a buffer of a model's size, started from a running CRC */
    {
        size_t n = (size_t)1 << 20, k;
        unsigned char *big = malloc(n + 7);
        CHECK_MSG(big != NULL, "out of memory");
        if (big != NULL) {
            for (k = 0; k < n + 7; k++)
                big[k] = (unsigned char)rnd();
            CHECK_INT(xf_crc32c(0x12345678u, big + 3, n),
                      xf__crc32c_table(0x12345678u, big + 3, n));
            CHECK_INT(xf_crc32c(0, big, n + 7), xf__crc32c_table(0, big, n + 7));
            free(big);
        }
        if (getenv("XF_TEST_VERBOSE") != NULL)
            fprintf(stderr, "xf_crc32c: %s\n", xf__crc32c_hw() ? "CPU instruction" : "tables");
    }
}

static void test_round_trip(void)
{
    xf_xfm *mf = build_sample(), *back = NULL;
    char path[256];
    void *buf = NULL;
    unsigned char *file;
    size_t len = 0, flen = 0, i, n;
    uint64_t offs[8];
    xf_error err;
    int rc;

    CHECK(mf != NULL);
    if (mf == NULL)
        return;
    check_sample(mf); /* the builder itself */
    CHECK_INT(xf_xfm_format_version(mf), XF_XFM_VERSION);
    CHECK_INT(xf_xfm_file_size(mf), 0);
    tmp_path(path, sizeof path, "rt.xfm");
    rc = xf_xfm_save(mf, path, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    CHECK_INT(tu_count_temp_files(tmpdir), 0);
    rc = xf_xfm_load(path, &back, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    if (back != NULL) {
        check_sample(back);
        CHECK_INT(xf_xfm_format_version(back), 1);
    }
    /* the file is what save_buffer gives, its size and CRC are reported,
     * and every tensor offset is a multiple of 64 */
    CHECK_INT(xf_xfm_save_buffer(mf, &buf, &len, &err), XF_OK);
    file = tu_read_file(path, &flen);
    CHECK(file != NULL && flen == len && buf != NULL && memcmp(file, buf, len) == 0);
    if (back != NULL && file != NULL) {
        CHECK_INT(xf_xfm_file_size(back), flen);
        CHECK_INT(xf_xfm_file_crc32c(back), rd32(file + flen - 4));
        CHECK_INT(rd64(file + 24) % 64, 0);
        n = walk_offsets(file, flen, offs, 8);
        CHECK_INT(n, 4);
        for (i = 0; i < n; i++)
            CHECK_MSG(offs[i] % 64 == 0 && offs[i] >= rd64(file + 24), "tensor %zu at offset %llu",
                      i, (unsigned long long)offs[i]);
    }
    /* a loaded model saved again gives the same bytes */
    if (back != NULL) {
        void *buf2 = NULL;
        size_t len2 = 0;
        CHECK_INT(xf_xfm_save_buffer(back, &buf2, &len2, &err), XF_OK);
        CHECK(len2 == len && buf2 != NULL && memcmp(buf, buf2, len) == 0);
        free(buf2);
    }
    /* a loaded model can be changed (a key replaced, one added, a tensor
     * added next to the ones that live in the loaded file) and saved */
    if (back != NULL) {
        static const int64_t d1[1] = {3};
        static const float extra[3] = {-1.25f, 3.0e-38f, 7.5f};
        xf_xfm *again = NULL;
        uint32_t u = 0;
        const char *s = NULL;
        CHECK_INT(xf_xfm_set_u32(back, "sample.u32", 17), XF_OK);
        CHECK_INT(xf_xfm_set_str(back, "added", "yes"), XF_OK);
        CHECK_INT(xf_xfm_add_tensor_f32(back, "extra", 1, d1, extra), XF_OK);
        CHECK_INT(xf_xfm_save(back, path, &err), XF_OK);
        rc = xf_xfm_load(path, &again, &err);
        CHECK_MSG(rc == XF_OK, "%s", err.message);
        if (again != NULL) {
            CHECK_INT(xf_xfm_get_u32(again, "sample.u32", &u, &err), XF_OK);
            CHECK_INT(u, 17);
            CHECK_INT(xf_xfm_get_str(again, "added", &s, &err), XF_OK);
            CHECK_STR(s, "yes");
            CHECK_STR(xf_xfm_meta_key(again, 0), "sample.u32");
            CHECK_INT(xf_xfm_n_tensors(again), 5);
            CHECK(same_bits(xf_xfm_tensor_data(again, 4), extra, sizeof extra));
            CHECK(same_bits(xf_xfm_tensor_data(again, 1), xf_xfm_tensor_data(back, 1), 192));
        }
        xf_xfm_free(again);
    }
    xf_xfm_free(back);
    back = NULL;

    /* high-entropy bits: random f64 patterns (NaN payloads included) in
     * metadata, random f32/f64 tensors of many shapes, 8 dimensions */
    {
        xf_xfm *r = NULL, *rb = NULL;
        double dv[257];
        int64_t iv[129];
        float *f = malloc(2 * 3 * 4 * 5 * sizeof *f);
        double *d = malloc(1000 * sizeof *d);
        int64_t d8[8] = {1, 2, 1, 3, 1, 2, 1, 2}, d1[1] = {1000}, dz[3] = {5, 0, 9};
        const int64_t *giv;
        const double *gdv;
        size_t k, gn;
        uint64_t bits = rnd();
        double fv;
        CHECK(f != NULL && d != NULL);
        CHECK_INT(xf_xfm_new("head", &r), XF_OK);
        for (k = 0; k < 257; k++) {
            uint64_t u = rnd();
            memcpy(&dv[k], &u, 8);
        }
        for (k = 0; k < 129; k++)
            iv[k] = (int64_t)rnd();
        for (k = 0; k < 120; k++) {
            uint32_t u = (uint32_t)rnd();
            memcpy(&f[k], &u, 4);
        }
        for (k = 0; k < 1000; k++) {
            uint64_t u = rnd();
            memcpy(&d[k], &u, 8);
        }
        memcpy(&fv, &bits, 8);
        CHECK_INT(xf_xfm_set_f64(r, "bits", fv), XF_OK);
        CHECK_INT(xf_xfm_set_f64_array(r, "dv", dv, 257), XF_OK);
        CHECK_INT(xf_xfm_set_i64_array(r, "iv", iv, 129), XF_OK);
        CHECK_INT(xf_xfm_add_tensor_f32(r, "f", 8, d8, f), XF_OK);
        CHECK_INT(xf_xfm_add_tensor_f64(r, "d", 1, d1, d), XF_OK);
        CHECK_INT(xf_xfm_add_tensor_f64(r, "z", 3, dz, NULL), XF_OK);
        CHECK_INT(xf_xfm_add_tensor_f32(r, "f2", 1, d1, (const float *)d), XF_OK);
        tmp_path(path, sizeof path, "bits.xfm");
        CHECK_INT(xf_xfm_save(r, path, &err), XF_OK);
        rc = xf_xfm_load(path, &rb, &err);
        CHECK_MSG(rc == XF_OK, "%s", err.message);
        if (rb != NULL) {
            double g;
            CHECK_INT(xf_xfm_get_f64(rb, "bits", &g, &err), XF_OK);
            CHECK(same_bits(&g, &fv, 8));
            CHECK_INT(xf_xfm_get_f64_array(rb, "dv", &gdv, &gn, &err), XF_OK);
            CHECK(gn == 257 && same_bits(gdv, dv, sizeof dv));
            CHECK_INT(xf_xfm_get_i64_array(rb, "iv", &giv, &gn, &err), XF_OK);
            CHECK(gn == 129 && same_bits(giv, iv, sizeof iv));
            CHECK_INT(xf_xfm_tensor_n_elems(rb, 0), 24);
            CHECK_INT(xf_xfm_tensor_n_dims(rb, 0), 8);
            CHECK(same_bits(xf_xfm_tensor_dims(rb, 0), d8, sizeof d8));
            CHECK(same_bits(xf_xfm_tensor_data(rb, 0), f, 24 * 4));
            CHECK(same_bits(xf_xfm_tensor_data(rb, 1), d, 1000 * 8));
            CHECK_INT(xf_xfm_tensor_n_elems(rb, 2), 0);
            CHECK(same_bits(xf_xfm_tensor_data(rb, 3), d, 1000 * 4));
            for (k = 0; k < 4; k++)
                CHECK(((uintptr_t)xf_xfm_tensor_data(rb, k)) % 64 == 0);
            CHECK_STR(xf_xfm_kind(rb), "head");
        }
        xf_xfm_free(rb);
        xf_xfm_free(r);
        free(f);
        free(d);
    }
    free(buf);
    free(file);
    xf_xfm_free(mf);
}

/* A file of XF__MAP_MIN_BYTES or more is mapped rather than read
 * (xf__map_regular): the same values, CRC and refusals as the read path. */
static void test_mapped(void)
{
    enum { N = 60000 }; /* 480,000 bytes of doubles: over the 256 KiB */
    xf_xfm *mf = NULL, *back = NULL;
    char path[256];
    double *v = malloc(N * sizeof *v);
    const double *got;
    unsigned char *file = NULL;
    size_t flen = 0, i, ti;
    int64_t dims[1] = {N};
    xf_error err;
    void *blob = NULL;
    size_t blen = 0;
    int mapped = 0;

    CHECK(v != NULL);
    if (v == NULL)
        return;
    for (i = 0; i < N; i++)
        v[i] = (double)(rnd() >> 11) * 0x1p-53 - 0.5;
    CHECK(xf_xfm_new("big", &mf) == XF_OK && mf != NULL);
    if (mf == NULL)
        goto done;
    CHECK(xf_xfm_set_str(mf, "what", "mapped") == XF_OK);
    CHECK(xf_xfm_add_tensor_f64(mf, "v", 1, dims, v) == XF_OK);
    tmp_path(path, sizeof path, "big.xfm");
    CHECK_MSG(xf_xfm_save(mf, path, &err) == XF_OK, "%s", err.message);
    /* the file is mapped, whole */
    CHECK_MSG(xf__map_regular(path, XF__XFM_MAX_BYTES, 0, &blob, &blen, &mapped, &err) == XF_OK,
              "%s", err.message);
#ifdef HAVE_MMAP
    CHECK(mapped == 1);
#endif
    file = tu_read_file(path, &flen);
    CHECK(file != NULL && blob != NULL && flen == blen && flen > XF__MAP_MIN_BYTES &&
          memcmp(file, blob, flen) == 0);
    xf__unmap(blob, blen, mapped);
    /* loaded: every value bit for bit, the CRC the file's */
    CHECK_MSG(xf_xfm_load(path, &back, &err) == XF_OK, "%s", err.message);
    if (back != NULL && file != NULL) {
        CHECK(xf_xfm_find_tensor(back, "v", &ti) == XF_OK);
        got = xf_xfm_tensor_data(back, ti);
        CHECK(got != NULL && xf_xfm_tensor_n_elems(back, ti) == N &&
              same_bits(got, v, N * sizeof *v));
        CHECK_INT(xf_xfm_file_crc32c(back), rd32(file + flen - 4));
        xf_xfm_free(back);
        back = NULL;
    }
    if (file != NULL) {
        /* one bit flipped in the data: the checksum */
        file[flen / 2] ^= 0x10;
        CHECK(tu_write_file(path, file, flen) == 0);
        CHECK(xf_xfm_load(path, &back, &err) == XF_ECHECKSUM && back == NULL);
        CHECK_MSG(strstr(err.message, "checksum mismatch") != NULL, "%s", err.message);
        file[flen / 2] ^= 0x10;
        /* cut short (still mapped: over the 256 KiB) and grown */
        CHECK(tu_write_file(path, file, flen - 4096) == 0);
        CHECK(xf_xfm_load(path, &back, &err) == XF_EFORMAT && back == NULL);
        CHECK_MSG(strstr(err.message, "truncated") != NULL, "%s", err.message);
        CHECK(tu_write_file(path, file, flen) == 0);
        {
            FILE *fp = fopen(path, "ab");
            CHECK(fp != NULL && fputc(0, fp) == 0 && fclose(fp) == 0);
        }
        CHECK(xf_xfm_load(path, &back, &err) == XF_EFORMAT && back == NULL);
        CHECK_MSG(strstr(err.message, "unexpected bytes") != NULL, "%s", err.message);
    }
    unlink(path);
done:
    free(file);
    free(v);
    xf_xfm_free(mf);
}

static void test_api_errors(void)
{
    xf_xfm *mf = NULL;
    xf_error err;
    char longname[300];
    uint32_t u = 7;
    int64_t i64;
    double f = 0;
    const char *s;
    size_t idx;
    int64_t dims[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1}, neg[2] = {2, -1},
            big[3] = {1LL << 40, 1LL << 40, 0};
    float one = 1.5f;

    memset(longname, 'k', sizeof longname);
    longname[256] = '\0';
    CHECK_INT(xf_xfm_new("", &mf), XF_EINVAL);
    CHECK(mf == NULL);
    CHECK_INT(xf_xfm_new(longname, &mf), XF_EINVAL);
    CHECK_INT(xf_xfm_new("bad\xff", &mf), XF_EINVAL);
    longname[255] = '\0';
    CHECK_INT(xf_xfm_new(longname, &mf), XF_OK); /* 255 bytes is the limit */
    xf_xfm_free(mf);
    CHECK_INT(xf_xfm_new("store-entry", &mf), XF_OK);
    if (mf == NULL)
        return;
    /* keys */
    CHECK_INT(xf_xfm_set_u32(mf, "", 1), XF_EINVAL);
    CHECK_INT(xf_xfm_set_u32(mf, "\xc0\x80", 1), XF_EINVAL);     /* overlong NUL */
    CHECK_INT(xf_xfm_set_u32(mf, "\xed\xa0\x80", 1), XF_EINVAL); /* surrogate */
    longname[255] = 'k';
    CHECK_INT(xf_xfm_set_u32(mf, longname, 1), XF_EINVAL);
    CHECK_INT(xf_xfm_set_str(mf, "s", "\xe2\x82"), XF_EINVAL); /* cut UTF-8 */
    CHECK_INT(xf_xfm_set_str(mf, "s", NULL), XF_EINVAL);
    CHECK_INT(xf_xfm_set_f64_array(mf, "a", NULL, 3), XF_EINVAL);
    CHECK_INT(xf_xfm_n_meta(mf), 0);
    /* replacing keeps the position and may change the type */
    CHECK_INT(xf_xfm_set_u32(mf, "a", 1), XF_OK);
    CHECK_INT(xf_xfm_set_str(mf, "b", "x"), XF_OK);
    CHECK_INT(xf_xfm_set_str(mf, "a", "now a string"), XF_OK);
    CHECK_INT(xf_xfm_set_str(mf, "b", "y"), XF_OK);
    CHECK_INT(xf_xfm_n_meta(mf), 2);
    CHECK_STR(xf_xfm_meta_key(mf, 0), "a");
    CHECK_INT(xf_xfm_meta_type(mf, 0), XF_XFM_TYPE_STR);
    CHECK_INT(xf_xfm_get_str(mf, "b", &s, NULL), XF_OK);
    CHECK_STR(s, "y");
    CHECK(xf_xfm_meta_key(mf, 2) == NULL);
    CHECK_INT(xf_xfm_meta_type(mf, 2), 0);
    /* getters: missing key, wrong type; *out untouched */
    CHECK_INT(xf_xfm_get_u32(mf, "zz", &u, &err), XF_ENOTFOUND);
    CHECK_STR(err.message, "new model: no metadata key 'zz'");
    CHECK_INT(u, 7);
    CHECK_INT(xf_xfm_get_u32(mf, "a", &u, &err), XF_EFORMAT);
    CHECK_STR(err.message, "new model: metadata key 'a' is of type str, expected u32");
    CHECK_INT(xf_xfm_get_i64(mf, "a", &i64, NULL), XF_EFORMAT);
    CHECK_INT(xf_xfm_get_f64(mf, "a", &f, NULL), XF_EFORMAT);
    CHECK_INT(u, 7);
    /* tensors */
    CHECK_INT(xf_xfm_add_tensor_f32(mf, "t", 9, dims, &one), XF_EINVAL);
    CHECK_INT(xf_xfm_add_tensor_f32(mf, "t", 2, neg, &one), XF_EINVAL);
    CHECK_INT(xf_xfm_add_tensor_f32(mf, "t", 1, dims, NULL), XF_EINVAL);
    CHECK_INT(xf_xfm_add_tensor_f32(mf, "", 1, dims, &one), XF_EINVAL);
    CHECK_INT(xf_xfm_add_tensor_f32(mf, "t", 3, big, NULL), XF_ERANGE);
    CHECK_INT(xf_xfm_add_tensor_f32(mf, "t", 8, dims, &one), XF_OK);
    CHECK_INT(xf_xfm_add_tensor_f64(mf, "t", 1, dims, (const double *)&f), XF_EINVAL);
    CHECK_INT(xf_xfm_n_tensors(mf), 1);
    CHECK(xf_xfm_tensor_name(mf, 1) == NULL);
    CHECK(xf_xfm_tensor_data(mf, 1) == NULL);
    CHECK(xf_xfm_tensor_dims(mf, 1) == NULL);
    CHECK_INT(xf_xfm_tensor_n_elems(mf, 1), 0);
    CHECK_INT(xf_xfm_find_tensor(mf, "t", &idx), XF_OK);
    CHECK_STR(xf_xfm_type_name(XF_XFM_TYPE_F64_ARRAY), "f64[]");
    CHECK_STR(xf_xfm_type_name((xf_xfm_type)99), "?");
    CHECK_STR(xf_xfm_dtype_name(XF_XFM_DTYPE_F32), "f32");
    CHECK_STR(xf_xfm_dtype_name((xf_xfm_dtype)0), "?");
    CHECK_INT(xf_xfm_dtype_size(XF_XFM_DTYPE_F64), 8);
    CHECK_INT(xf_xfm_dtype_size((xf_xfm_dtype)3), 0);
    xf_xfm_free(mf);
    xf_xfm_free(NULL);
    /* load_buffer argument checks */
    CHECK_INT(xf_xfm_load_buffer(NULL, 5, NULL, &mf, &err), XF_EINVAL);
    CHECK_INT(xf_xfm_load_buffer(NULL, 0, NULL, &mf, &err), XF_EFORMAT);
    CHECK_STR(err.message, "<memory>: truncated: the file is empty");
}

/* The raw writer gives the library's bytes for the sample. */
static void test_raw_matches_library(void)
{
    xf_xfm *mf = build_sample();
    void *lib = NULL;
    unsigned char *rw;
    size_t llen = 0, rlen = 0, i;
    float w[15];
    double b[24], s = 0.1;
    raw r;
    if (mf == NULL || xf_xfm_save_buffer(mf, &lib, &llen, NULL) != XF_OK) {
        CHECK(0);
        xf_xfm_free(mf);
        return;
    }
    for (i = 0; i < 15; i++)
        w[i] = sample_w(i);
    for (i = 0; i < 24; i++)
        b[i] = sample_b(i);
    raw_begin(&r, 1, "encoder", 8, 4);
    raw_key(&r, "sample.u32", 1);
    r_u32(&r, 4000000007u);
    raw_key(&r, "sample.i64", 2);
    r_u64(&r, (uint64_t)-9007199254740993LL);
    raw_key(&r, "sample.f64", 3);
    r_f64(&r, -2.5e-310);
    raw_key(&r, "sample.str", 4);
    r_str(&r, SAMPLE_STR);
    raw_key(&r, "sample.i64s", 5);
    r_u64(&r, 7);
    for (i = 0; i < 7; i++)
        r_u64(&r, (uint64_t)sample_i64s[i]);
    raw_key(&r, "sample.f64s", 6);
    r_u64(&r, 7);
    for (i = 0; i < 7; i++)
        r_f64(&r, sample_f64s[i]);
    raw_key(&r, "sample.empty", 6);
    r_u64(&r, 0);
    raw_key(&r, "sample.empty_str", 4);
    r_str(&r, "");
    /* tensor data as little-endian bytes */
    {
        unsigned char wb[60], bb[192], sb[8];
        uint32_t u;
        uint64_t q;
        for (i = 0; i < 15; i++) {
            memcpy(&u, &w[i], 4);
            wr32(wb + 4 * i, u);
        }
        for (i = 0; i < 24; i++) {
            memcpy(&q, &b[i], 8);
            wr64(bb + 8 * i, q);
        }
        memcpy(&q, &s, 8);
        wr64(sb, q);
        raw_tensor(&r, "layer.W", 1, 2, sample_w_dims, wb, 60, -1);
        raw_tensor(&r, "layer.b", 2, 3, sample_b_dims, bb, 192, -1);
        raw_tensor(&r, "scale", 2, 0, NULL, sb, 8, -1);
        raw_tensor(&r, "empty", 1, 2, sample_e_dims, NULL, 0, -1);
        rw = raw_finish(&r, &rlen);
    }
    CHECK_INT(rlen, llen);
    CHECK_MSG(rlen == llen && memcmp(rw, lib, llen) == 0,
              "the library's bytes differ from docs/model-format.md's layout");
    free(rw);
    free(lib);
    xf_xfm_free(mf);
}

/* Every way a file can be damaged, each with its code and message. */
static void test_damaged(void)
{
    xf_xfm *mf = build_sample();
    unsigned char *good = NULL, *b;
    void *gv = NULL;
    size_t len = 0, cut, i;
    int bit, ok_codes = 1, ok_msgs = 1;
    char want[640];
    raw r;
    size_t rlen;
    unsigned char *rw;
    static const int64_t d2[2] = {2, 3};

    if (mf == NULL || xf_xfm_save_buffer(mf, &gv, &len, NULL) != XF_OK) {
        CHECK(0);
        xf_xfm_free(mf);
        return;
    }
    xf_xfm_free(mf);
    good = gv;
    b = malloc(len + 64);
    if (b == NULL)
        abort();
    EXPECT_LOAD(good, len, XF_OK, NULL);

    /* truncated at every byte position */
    for (cut = 0; cut < len; cut++) {
        xf_xfm *m = NULL;
        xf_error err;
        int rc = xf_xfm_load_buffer(good, cut, "m.xfm", &m, &err);
        if (rc != XF_EFORMAT || m != NULL)
            ok_codes = 0;
        if (rc != XF_OK && strncmp(err.message, "m.xfm: truncated: ", 18) != 0) {
            if (ok_msgs)
                fprintf(stderr, "cut at %zu: %s\n", cut, err.message);
            ok_msgs = 0;
        }
        xf_xfm_free(m);
    }
    CHECK_MSG(ok_codes, "a truncated file did not fail with XF_EFORMAT");
    CHECK_MSG(ok_msgs, "a truncated file did not say 'truncated'");
    EXPECT_LOAD(good, 0, XF_EFORMAT, "m.xfm: truncated: the file is empty");
    EXPECT_LOAD(good, 5, XF_EFORMAT,
                "m.xfm: truncated: 5 bytes, shorter than the 40-byte fixed header");
    EXPECT_LOAD(good, 20, XF_EFORMAT,
                "m.xfm: truncated: 20 bytes, shorter than the 40-byte fixed header");
    snprintf(want, sizeof want, "m.xfm: truncated: the header says %zu bytes but the file has %zu",
             len, len - 1);
    EXPECT_LOAD(good, len - 1, XF_EFORMAT, want);

    /* appended bytes */
    memcpy(b, good, len);
    memset(b + len, 0, 3);
    snprintf(want, sizeof want,
             "m.xfm: 3 unexpected bytes after the end of the model (the "
             "header says %zu bytes, the file has %zu)",
             len, len + 3);
    EXPECT_LOAD(b, len + 3, XF_EFORMAT, want);

    /* bad magic: a CSV file, a flipped byte, a text-mode conversion */
    EXPECT_LOAD("date,x\n2020-01-01,1\n", 20, XF_EFORMAT,
                "m.xfm: not an xfcast model file (bad magic)");
    memcpy(b, good, len);
    b[1] = 'Y';
    EXPECT_LOAD(b, len, XF_EFORMAT, "m.xfm: not an xfcast model file (bad magic)");
    EXPECT_LOAD("\x89XFM\n", 5, XF_EFORMAT, "m.xfm: not an xfcast model file (bad magic)");

    /* a future version (and an invalid 0): refused before anything else,
     * whatever follows */
    memcpy(b, good, len);
    wr32(b + 8, XF_XFM_VERSION + 1);
    snprintf(want, sizeof want, "m.xfm: file is format version %u; this build reads version %u",
             XF_XFM_VERSION + 1, XF_XFM_VERSION);
    EXPECT_LOAD(b, len, XF_EFORMAT, want);
    EXPECT_LOAD(b, 12, XF_EFORMAT, want);
    wr32(b + 8, 0);
    EXPECT_LOAD(b, len, XF_EFORMAT, "m.xfm: file is format version 0; this build reads version 1");

    /* bad checksum: one bit flipped in the tensor data, and in the CRC */
    memcpy(b, good, len);
    b[len - 20] ^= 0x10;
    snprintf(want, sizeof want,
             "m.xfm: checksum mismatch (file says 0x%08lx, data gives "
             "0x%08lx): the file is damaged",
             (unsigned long)rd32(good + len - 4), (unsigned long)crc_ref(b, len - 4));
    EXPECT_LOAD(b, len, XF_ECHECKSUM, want);
    memcpy(b, good, len);
    b[len - 1] ^= 0x80;
    EXPECT_LOAD(b, len, XF_ECHECKSUM, "~checksum mismatch");

    /* every single-bit flip is caught, and by the expected check */
    ok_codes = 1;
    for (i = 0; i < len; i++)
        for (bit = 0; bit < 8; bit++) {
            xf_xfm *m = NULL;
            int rc, want_rc;
            memcpy(b, good, len);
            b[i] ^= (unsigned char)(1u << bit);
            rc = xf_xfm_load_buffer(b, len, "m.xfm", &m, NULL);
            /* magic, version and size fields fail their own checks; the CRC
             * catches everything else */
            want_rc = (i < 12 || (i >= 16 && i < 24)) ? XF_EFORMAT : XF_ECHECKSUM;
            if (rc != want_rc) {
                if (ok_codes)
                    fprintf(stderr, "flip of bit %d of byte %zu gave %d\n", bit, i, rc);
                ok_codes = 0;
            }
            xf_xfm_free(m);
        }
    CHECK_MSG(ok_codes, "a single-bit flip was not reported as expected");

    /* ---- structural damage with a correct CRC (crafted files) -------- */
    /* offset past the end of the file */
    raw_begin(&r, 1, "k", 0, 1);
    raw_tensor(&r, "gru.W_z", 1, 2, d2, NULL, 24, 1 << 20);
    rw = raw_finish(&r, &rlen);
    snprintf(want, sizeof want,
             "m.xfm: tensor 'gru.W_z' data offset 1048576 is past the end "
             "of the file (%zu bytes)",
             rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT, want);
    free(rw);
    /* offset not aligned; offset inside the header */
    raw_begin(&r, 1, "k", 0, 1);
    raw_tensor(&r, "w", 1, 2, d2, NULL, 24, 65);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT, "m.xfm: tensor 'w' data offset 65 is not a multiple of 64");
    free(rw);
    raw_begin(&r, 1, "k", 0, 1);
    raw_tensor(&r, "w", 1, 2, d2, NULL, 24, 0);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: tensor 'w' data offset 0 lies before the data section (which starts "
                "at 128)");
    free(rw);
    /* the data runs past the end: shape larger than the data written (as
     * the last tensor: past the file; by 2 bytes: into the checksum) */
    {
        static const int64_t d64[2] = {64, 2048};
        raw_begin(&r, 1, "k", 0, 1);
        raw_tensor(&r, "gru.W_z", 1, 2, d64, NULL, 4096, -1); /* 64 x 2048 f32: 512 KiB */
        rw = raw_finish(&r, &rlen);
        snprintf(want, sizeof want,
                 "m.xfm: tensor 'gru.W_z' data at offset 128 + 524288 bytes "
                 "runs past the end of the file (%zu bytes)",
                 rlen);
        EXPECT_LOAD(rw, rlen, XF_EFORMAT, want);
        free(rw);
    }
    raw_begin(&r, 1, "k", 0, 1);
    raw_tensor(&r, "w", 1, 2, d2, NULL, 22, -1);
    rw = raw_finish(&r, &rlen);
    snprintf(want, sizeof want,
             "m.xfm: tensor 'w' data at offset 128 + 24 bytes runs into the "
             "checksum at offset %zu",
             rlen - 4);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT, want);
    free(rw);
    /* shapes whose element count overflows: 64 bits of elements, and of
     * bytes; a negative dimension */
    {
        static const int64_t ov1[3] = {1LL << 32, 1LL << 32, 2};
        static const int64_t ov2[2] = {1LL << 31, 1LL << 31}; /* 2^62 elements, 2^64 bytes */
        static const int64_t ng[2] = {4, -3};
        raw_begin(&r, 1, "k", 0, 1);
        raw_tensor(&r, "w", 2, 3, ov1, NULL, 0, -1);
        rw = raw_finish(&r, &rlen);
        EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                    "m.xfm: tensor 'w' shape [4294967296, 4294967296, 2] "
                    "has too many elements (the byte count overflows 64 bits)");
        free(rw);
        raw_begin(&r, 1, "k", 0, 1);
        raw_tensor(&r, "w", 1, 2, ov2, NULL, 0, -1);
        rw = raw_finish(&r, &rlen);
        EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                    "m.xfm: tensor 'w' shape [2147483648, 2147483648] has "
                    "too many elements (the byte count overflows 64 bits)");
        free(rw);
        raw_begin(&r, 1, "k", 0, 1);
        raw_tensor(&r, "w", 1, 2, ng, NULL, 0, -1);
        rw = raw_finish(&r, &rlen);
        EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                    "m.xfm: tensor 'w' has a negative dimension in shape [4, -3]");
        free(rw);
    }
    /* too many dimensions */
    {
        static const int64_t d9[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        raw_begin(&r, 1, "k", 0, 1);
        raw_tensor(&r, "w", 1, 9, d9, NULL, 4, -1);
        rw = raw_finish(&r, &rlen);
        EXPECT_LOAD(rw, rlen, XF_EFORMAT, "m.xfm: tensor 'w' has 9 dimensions; the limit is 8");
        free(rw);
    }
    /* overlapping tensors */
    raw_begin(&r, 1, "k", 0, 2);
    raw_tensor(&r, "a", 1, 2, d2, NULL, 24, -1);
    raw_tensor(&r, "b", 1, 2, d2, NULL, 24, 128);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: tensor 'b' data at offset 128 overlaps tensor 'a' "
                "(which ends at 152); tensors must be stored in directory order");
    free(rw);
    /* duplicate tensor name */
    raw_begin(&r, 1, "k", 0, 2);
    raw_tensor(&r, "gru.W_z", 1, 2, d2, NULL, 24, -1);
    raw_tensor(&r, "gru.W_z", 1, 2, d2, NULL, 24, -1);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT, "m.xfm: duplicate tensor name 'gru.W_z'");
    free(rw);
    /* unknown dtype */
    raw_begin(&r, 1, "k", 0, 1);
    raw_tensor(&r, "w", 3, 2, d2, NULL, 24, -1);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT, "m.xfm: tensor 'w' has unknown dtype 3");
    free(rw);
    /* duplicate key */
    raw_begin(&r, 1, "k", 3, 0);
    raw_key(&r, "head.lambda", 3);
    r_f64(&r, 0.5);
    raw_key(&r, "x", 1);
    r_u32(&r, 1);
    raw_key(&r, "head.lambda", 1);
    r_u32(&r, 2);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT, "m.xfm: duplicate metadata key 'head.lambda'");
    free(rw);
    /* unknown metadata type */
    raw_begin(&r, 1, "k", 1, 0);
    raw_key(&r, "future", 7);
    r_u32(&r, 1);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT, "m.xfm: metadata key 'future' has unknown type 7");
    free(rw);
    /* counts that the header cannot hold are refused before allocating */
    raw_begin(&r, 1, "k", 0xFFFFFFFFu, 0xFFFFFFFFu);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: the header claims 4294967295 metadata entries and "
                "4294967295 tensors, more than its 23 bytes after the kind can hold");
    free(rw);
    /* lengths running past the header: a string, an array, a key */
    raw_begin(&r, 1, "k", 1, 0);
    raw_key(&r, "s", 4);
    r_u32(&r, 1000);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: metadata key 's' (1000 bytes at offset 54) runs "
                "past the end of the header at offset 64");
    free(rw);
    raw_begin(&r, 1, "k", 1, 0);
    raw_key(&r, "a", 6);
    r_u64(&r, 1ull << 61);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: metadata key 'a': array of 2305843009213693952 "
                "values at offset 58 runs past the end of the header at offset 64");
    free(rw);
    raw_begin(&r, 1, "k", 1, 0);
    r_u32(&r, 200);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: metadata entry 1: key (200 bytes at offset 45) "
                "runs past the end of the header at offset 64");
    free(rw);
    /* bad names and strings */
    raw_begin(&r, 1, "k", 1, 0);
    raw_key(&r, "", 1);
    r_u32(&r, 1);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT, "m.xfm: metadata entry 1: key is empty");
    free(rw);
    raw_begin(&r, 1, "k", 1, 0);
    raw_key(&r, "a\xff", 1);
    r_u32(&r, 1);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: metadata entry 1: key 'a\xff' is not valid UTF-8 (or holds a NUL byte)");
    free(rw);
    raw_begin(&r, 1, "k", 1, 0);
    raw_key(&r, "s", 4);
    r_u32(&r, 3);
    r_bytes(&r, "a\0b", 3);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: metadata key 's': string value is not valid UTF-8 "
                "(or holds a NUL byte)");
    free(rw);
    raw_begin(&r, 1, "\xc3", 0, 0);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: kind '\xc3' is not valid UTF-8 (or holds a NUL byte)");
    free(rw);
    /* header fields */
    raw_begin(&r, 1, "k", 0, 0);
    rw = raw_finish(&r, &rlen);
    EXPECT_LOAD(rw, rlen, XF_OK, NULL);
    wr64(rw + 24, 96);
    fix_crc(rw, rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT, "m.xfm: data offset 96 is not a multiple of 64");
    wr64(rw + 24, 128);
    fix_crc(rw, rlen);
    EXPECT_LOAD(rw, rlen, XF_EFORMAT,
                "m.xfm: data offset 128 lies outside the file's 64 bytes "
                "of header and data");
    free(rw);

    /* an unknown key is kept and ignored: old readers load newer files */
    raw_begin(&r, 1, "head", 3, 1);
    raw_key(&r, "head.horizon", 1);
    r_u32(&r, 24);
    raw_key(&r, "head.v9.new_thing", 5);
    r_u64(&r, 2);
    r_u64(&r, 11);
    r_u64(&r, 12);
    raw_key(&r, "head.lambda", 3);
    r_f64(&r, 0.375);
    raw_tensor(&r, "head.W", 2, 2, d2, NULL, 48, -1);
    rw = raw_finish(&r, &rlen);
    {
        xf_xfm *m = NULL;
        xf_error err;
        uint32_t h = 0;
        double lam = 0;
        int rc = xf_xfm_load_buffer(rw, rlen, "m.xfm", &m, &err);
        CHECK_MSG(rc == XF_OK, "%s", err.message);
        if (m != NULL) {
            void *again = NULL;
            size_t alen = 0;
            CHECK_INT(xf_xfm_get_u32(m, "head.horizon", &h, &err), XF_OK);
            CHECK_INT(h, 24);
            CHECK_INT(xf_xfm_get_f64(m, "head.lambda", &lam, &err), XF_OK);
            CHECK(lam == 0.375);
            CHECK_INT(xf_xfm_n_meta(m), 3);
            /* saved again unchanged, byte for byte */
            CHECK_INT(xf_xfm_save_buffer(m, &again, &alen, &err), XF_OK);
            CHECK(alen == rlen && memcmp(again, rw, rlen) == 0);
            free(again);
            xf_xfm_free(m);
        }
    }
    free(rw);

    /* random damage with the CRC fixed up: never a crash (run under ASan),
     * only XF_OK or XF_EFORMAT */
    ok_codes = 1;
    for (i = 0; i < 20000; i++) {
        xf_xfm *m = NULL;
        int k, n_edits = 1 + (int)(rnd() % 4), rc;
        memcpy(b, good, len);
        for (k = 0; k < n_edits; k++) {
            size_t at = 12 + (size_t)(rnd() % (len - 16));
            if (rnd() % 2)
                b[at] = (unsigned char)rnd();
            else
                b[at] ^= (unsigned char)(1u << (rnd() % 8));
        }
        if (rd64(b + 16) == len)
            fix_crc(b, len);
        rc = xf_xfm_load_buffer(b, len, "m.xfm", &m, NULL);
        if (rc != XF_OK && rc != XF_EFORMAT && !(rc == XF_ECHECKSUM && rd64(b + 16) != len))
            ok_codes = 0;
        xf_xfm_free(m);
    }
    CHECK_MSG(ok_codes, "random damage gave an unexpected status");
    free(b);
    free(good);
}

/* Atomic saves: a failure at each step leaves the old file and no
 * temporary file; real failures name the path. */
static void test_atomic(void)
{
    xf_xfm *a = NULL, *bm = NULL;
    void *abuf = NULL, *bbuf = NULL;
    size_t alen = 0, blen = 0, n;
    char path[256], bad[300];
    unsigned char *got;
    xf_error err;
    int step, rc;
    static const char *step_words[XF__WSTEP_COUNT] = {
        NULL,       "cannot create", "write to",      "flush of",
        "fsync of", "close of",      "cannot rename", "cannot sync its directory"};

    CHECK_INT(xf_xfm_new("head", &a), XF_OK);
    CHECK_INT(xf_xfm_new("head", &bm), XF_OK);
    if (a == NULL || bm == NULL)
        goto done;
    xf_xfm_set_str(a, "which", "old");
    xf_xfm_set_str(bm, "which", "new, and longer than the old one");
    xf_xfm_save_buffer(a, &abuf, &alen, NULL);
    xf_xfm_save_buffer(bm, &bbuf, &blen, NULL);
    tmp_path(path, sizeof path, "atomic.xfm");
    for (step = XF__WSTEP_OPEN; step < XF__WSTEP_COUNT; step++) {
        xf__write_opts o;
        CHECK_INT(xf_xfm_save(a, path, &err), XF_OK);
        xf__write_opts_init(&o);
        o.fail_at = step;
        rc = xf__atomic_write(path, bbuf, blen, &o, &err);
        CHECK_INT(rc, XF_EIO);
        CHECK_MSG(strstr(err.message, path) != NULL && strstr(err.message, step_words[step]),
                  "step %d: %s", step, err.message);
        CHECK_MSG(strstr(err.message, "Input/output error") != NULL, "step %d: %s", step,
                  err.message);
        got = tu_read_file(path, &n);
        if (step < XF__WSTEP_DIRSYNC)
            CHECK_MSG(got != NULL && n == alen && memcmp(got, abuf, alen) == 0,
                      "step %d: the old file was changed", step);
        else /* renamed already: the new file is complete */
            CHECK_MSG(got != NULL && n == blen && memcmp(got, bbuf, blen) == 0,
                      "step %d: the new file is not in place", step);
        free(got);
        CHECK_MSG(tu_count_temp_files(tmpdir) == 0, "step %d left a temporary file", step);
    }
    /* no failure: the new bytes; options NULL means defaults */
    CHECK_INT(xf__atomic_write(path, bbuf, blen, NULL, &err), XF_OK);
    got = tu_read_file(path, &n);
    CHECK(got != NULL && n == blen && memcmp(got, bbuf, blen) == 0);
    free(got);
    /* a missing directory */
    snprintf(bad, sizeof bad, "%s/no/such/dir/m.xfm", tmpdir);
    rc = xf_xfm_save(a, bad, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK_MSG(strstr(err.message, bad) != NULL && strstr(err.message, "No such file") != NULL, "%s",
              err.message);
    /* the target is a directory: the rename fails, nothing is left behind */
    tmp_path(bad, sizeof bad, "adir");
    CHECK(mkdir(bad, 0700) == 0);
    tmp_path(bad, sizeof bad, "adir/x");
    CHECK(mkdir(bad, 0700) == 0);
    tmp_path(bad, sizeof bad, "adir");
    rc = xf_xfm_save(a, bad, &err);
    CHECK_INT(rc, XF_EIO);
    CHECK_MSG(strstr(err.message, "cannot rename") != NULL, "%s", err.message);
    CHECK_INT(tu_count_temp_files(tmpdir), 0);
    /* loading: a missing file, a directory */
    tmp_path(bad, sizeof bad, "missing.xfm");
    {
        xf_xfm *m = (xf_xfm *)1;
        char want[400];
        rc = xf_xfm_load(bad, &m, &err);
        CHECK_INT(rc, XF_EIO);
        CHECK(m == NULL);
        snprintf(want, sizeof want, "cannot open '%s': No such file or directory", bad);
        CHECK_STR(err.message, want);
        tmp_path(bad, sizeof bad, "adir");
        rc = xf_xfm_load(bad, &m, &err);
        CHECK_INT(rc, XF_EIO);
        CHECK_MSG(strstr(err.message, "Is a directory") != NULL, "%s", err.message);
    }
    /* the read helper's size limit */
    {
        void *p = NULL;
        size_t l = 0;
        rc = xf__read_file(path, 10, &p, &l, &err);
        CHECK_INT(rc, XF_ERANGE);
        CHECK(p == NULL);
        rc = xf__read_file(path, blen, &p, &l, &err);
        CHECK_INT(rc, XF_OK);
        CHECK(l == blen && p != NULL && ((uintptr_t)p) % 64 == 0);
        free(p);
    }
    tmp_path(bad, sizeof bad, "adir/x");
    rmdir(bad);
    tmp_path(bad, sizeof bad, "adir");
    rmdir(bad);
    unlink(path);
done:
    free(abuf);
    free(bbuf);
    xf_xfm_free(a);
    xf_xfm_free(bm);
}

/* The committed version-1 file still loads, with the same contents. */
static void test_fixture(void)
{
    const char *src = getenv("XF_SRCDIR");
    char path[1024];
    xf_xfm *mf = NULL;
    xf_error err;
    int rc;
    snprintf(path, sizeof path, "%s/%s", src != NULL && *src ? src : ".", FIXTURE);
    rc = xf_xfm_load(path, &mf, &err);
    CHECK_MSG(rc == XF_OK, "%s", err.message);
    if (mf == NULL)
        return;
    CHECK_INT(xf_xfm_format_version(mf), 1);
    check_sample(mf);
#if XF_XFM_VERSION == 1
    {
        /* while version 1 is current, this build writes it byte for byte */
        xf_xfm *now = build_sample();
        void *buf = NULL;
        size_t len = 0, flen = 0;
        unsigned char *file = tu_read_file(path, &flen);
        CHECK(now != NULL && xf_xfm_save_buffer(now, &buf, &len, NULL) == XF_OK);
        CHECK_MSG(file != NULL && flen == len && memcmp(file, buf, len) == 0,
                  "this build no longer writes the version-1 fixture's bytes");
        free(file);
        free(buf);
        xf_xfm_free(now);
    }
#endif
    xf_xfm_free(mf);
}

/* ------------------------------------------------------------- the CLI */

/* Run $XFCAST with args; stdout and stderr (up to n-1 bytes each) into out
 * and errb.  Returns the exit status, or -1 when it could not run. */
static int run_cli(const char *const *args, char *out, char *errb, size_t n)
{
    const char *xfcast = getenv("XFCAST");
    char po[300], pe[300];
    char *argv[16];
    pid_t pid;
    int st, k;
    tmp_path(po, sizeof po, "cli.out");
    tmp_path(pe, sizeof pe, "cli.err");
    fflush(NULL);
    if ((pid = fork()) < 0)
        return -1;
    if (pid == 0) {
        int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(127);
        /* writable copies, as execv wants; the exec releases them */
        argv[0] = strdup(xfcast);
        for (k = 0; args[k] != NULL && k < 14; k++)
            argv[k + 1] = strdup(args[k]);
        argv[k + 1] = NULL;
        execv(xfcast, argv);
        _exit(127);
    }
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    {
        size_t len;
        unsigned char *b = tu_read_file(po, &len);
        out[0] = errb[0] = '\0';
        if (b != NULL) {
            len = len < n ? len : n - 1;
            memcpy(out, b, len);
            out[len] = '\0';
            free(b);
        }
        b = tu_read_file(pe, &len);
        if (b != NULL) {
            len = len < n ? len : n - 1;
            memcpy(errb, b, len);
            errb[len] = '\0';
            free(b);
        }
    }
    unlink(po);
    unlink(pe);
    return WEXITSTATUS(st);
}

#define CLI(rc_want, ...)                                                                          \
    do {                                                                                           \
        const char *a_[] = {__VA_ARGS__, NULL};                                                    \
        int rc_ = run_cli(a_, out, errb, sizeof out);                                              \
        CHECK_MSG(rc_ == (rc_want), "exit %d, expected %d (stderr: %s)", rc_, rc_want, errb);      \
    } while (0)
#define OUT_HAS(s) CHECK_MSG(strstr(out, s) != NULL, "stdout lacks '%s':\n%s", s, out)
#define ERR_HAS(s) CHECK_MSG(strstr(errb, s) != NULL, "stderr lacks '%s': %s", s, errb)
#define OUT_EMPTY() CHECK_MSG(out[0] == '\0', "stdout not empty: %s", out)
#define ERR_EMPTY() CHECK_MSG(errb[0] == '\0', "stderr not empty: %s", errb)

static void test_cli(void)
{
    static char out[1 << 16], errb[1 << 14];
    const char *xfcast = getenv("XFCAST");
    const char *src = getenv("XF_SRCDIR");
    char fix[1024], p[300], dmg[300];
    xf_xfm *mf = NULL;
    double many[100];
    size_t k;
    if (xfcast == NULL || access(xfcast, X_OK) != 0) {
        printf("test_xfm: XFCAST not set or not executable: CLI checks skipped\n");
        return;
    }
    snprintf(fix, sizeof fix, "%s/%s", src != NULL && *src ? src : ".", FIXTURE);

    CLI(0, "info", fix);
    ERR_EMPTY();
    OUT_HAS("kind:       encoder\n");
    OUT_HAS("format:     version 1\n");
    OUT_HAS("crc32c:     0x");
    OUT_HAS("metadata:   8 keys\n");
    OUT_HAS("  sample.u32        u32    4000000007\n");
    OUT_HAS("  sample.f64s       f64[]  [2.385, -0, 5e-324, "
            "1.7976931348623157e+308, -0.00725, 0.1, 6.02214076e+23] (7 values)\n");
    OUT_HAS("sample.str        str    \"GRU encoder \xc3\xa9t\xc3\xa9 \xe2\x82\xac \\\"q\\\"\\n\"");
    OUT_HAS("tensors:    4\n");
    OUT_HAS("  layer.b  f64    [2, 3, 4]                       24           192\n");
    OUT_HAS("  scale    f64    []                               1             8\n");
    OUT_HAS("elements:   40 (all tensors)\n");
    CLI(0, "info", "--format", "json", fix);
    ERR_EMPTY();
    OUT_HAS("\"kind\": \"encoder\", \"format_version\": 1, \"file_size\": ");
    OUT_HAS("{\"key\": \"sample.str\", \"type\": \"str\", \"value\": \"GRU encoder "
            "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \\\"q\\\"\\n\"}");
    OUT_HAS("{\"key\": \"sample.i64s\", \"type\": \"i64[]\", \"value\": [-9223372036854775808, "
            "-1, 0, 1, 9223372036854775807, 1234567890123, -987654321987]}");
    OUT_HAS("{\"name\": \"layer.W\", \"dtype\": \"f32\", \"shape\": [3, 5], \"elements\": 15, "
            "\"bytes\": 60}");
    OUT_HAS("\"elements\": 40}");
    CLI(0, "help", "info");
    ERR_EMPTY();
    OUT_HAS("usage: xfcast info MODEL.xfm");

    /* long arrays are abbreviated in text, complete in JSON; non-finite
     * numbers; JSON escapes keys */
    CHECK_INT(xf_xfm_new("store-entry", &mf), XF_OK);
    if (mf != NULL) {
        for (k = 0; k < 100; k++)
            many[k] = (double)k + 0.5;
        many[1] = NAN;
        many[2] = -INFINITY;
        xf_xfm_set_f64_array(mf, "many", many, 100);
        xf_xfm_set_str(mf, "we\"ird\\key", "tab\there");
        tmp_path(p, sizeof p, "cli.xfm");
        CHECK_INT(xf_xfm_save(mf, p, NULL), XF_OK);
        xf_xfm_free(mf);
        CLI(0, "info", p);
        ERR_EMPTY();
        OUT_HAS("[0.5, nan, -inf, 3.5, 4.5, 5.5, ..., 98.5, 99.5] (100 values)\n");
        OUT_HAS("\"tab\\there\"");
        OUT_HAS("tensors:    0\nelements:   0 (all tensors)\n");
        CLI(0, "info", p, "--format=json");
        ERR_EMPTY();
        OUT_HAS("[0.5, \"nan\", \"-inf\", 3.5, ");
        OUT_HAS(", 97.5, 98.5, 99.5]}");
        OUT_HAS("{\"key\": \"we\\\"ird\\\\key\", \"type\": \"str\", \"value\": \"tab\\there\"}");
        OUT_HAS("\"tensors\": [],");
    }
    /* damaged, missing: exit 1, message on stderr only */
    {
        size_t len;
        unsigned char *b = tu_read_file(fix, &len);
        CHECK(b != NULL);
        if (b != NULL) {
            b[len - 10] ^= 1;
            tmp_path(dmg, sizeof dmg, "damaged.xfm");
            CHECK(tu_write_file(dmg, b, len) == 0);
            free(b);
            CLI(1, "info", dmg);
            OUT_EMPTY();
            ERR_HAS("xfcast info: ");
            ERR_HAS("damaged.xfm: checksum mismatch (file says 0x");
            unlink(dmg);
        }
    }
    tmp_path(dmg, sizeof dmg, "nope.xfm");
    CLI(1, "info", dmg);
    OUT_EMPTY();
    ERR_HAS("xfcast info: cannot open '");
    /* usage errors: exit 2 */
    CLI(2, "info");
    OUT_EMPTY();
    ERR_HAS("xfcast info: no model file");
    CLI(2, "info", fix, "--format", "yaml");
    ERR_HAS("--format takes text or json, not 'yaml'");
    CLI(2, "info", fix, "--bogus");
    ERR_HAS("unknown option '--bogus'");
    CLI(2, "info", fix, fix);
    ERR_HAS("one model file at a time");
    CLI(2, "info", fix, "--format");
    ERR_HAS("option '--format' needs a value");
    unlink(p);
}

/* Inputs of tests/fuzz_xfm.c, kept as regressions (the same files are
 * seeds in tests/data/fuzz-seeds-xfm/regress-*.xfm).  An encoder file of a
 * few hundred bytes declaring the largest GRU (8 x 4096: 755 million
 * parameters) or a large TCN, without its tensors, must be refused from
 * its header, naming its shape and the memory budget (src/model_check.c),
 * before anything is allocated from its configuration: it used to allocate
 * and fill 3 GB for over a minute (GRU) or fail with "out of memory" (TCN).
 * Each load runs in a child process limited to 1 GiB of
 * address space (not under the sanitizers, which reserve more), where the
 * old allocation fails with "out of memory". */
static void test_fuzz_regressions(void)
{
    static const struct {
        const char *arch, *k1, *k2, *k3, *msg;
        int64_t v1, v2, v3;
    } huge[] = {
        {"gru", "encoder.n_layers", "encoder.n_hidden", NULL,
         "encoder gru n_layers 8 x n_hidden 4096 (context 65536) needs", 8, 4096, 0},
        {"tcn", "encoder.n_channels", "encoder.n_blocks", "encoder.kernel_size",
         "encoder tcn n_channels 4096 x n_blocks 24 x kernel_size 64 (context 65536) needs", 4096,
         24, 64},
    };
    size_t i;
    for (i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        xf_xfm *mf = NULL;
        xf_error err;
        char p[300];
        pid_t pid;
        int status = 0;
        tmp_path(p, sizeof p, "huge.xfm");
        CHECK(xf_xfm_new("encoder", &mf) == XF_OK);
        CHECK(xf_xfm_set_str(mf, "encoder.arch", huge[i].arch) == XF_OK);
        CHECK(xf_xfm_set_i64(mf, "encoder.context", 65536) == XF_OK);
        CHECK(xf_xfm_set_i64(mf, huge[i].k1, huge[i].v1) == XF_OK);
        CHECK(xf_xfm_set_i64(mf, huge[i].k2, huge[i].v2) == XF_OK);
        if (huge[i].k3 != NULL)
            CHECK(xf_xfm_set_i64(mf, huge[i].k3, huge[i].v3) == XF_OK);
        CHECK(xf_xfm_save(mf, p, &err) == XF_OK);
        xf_xfm_free(mf);
        fflush(NULL);
        pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) {
            xf_encoder *enc = NULL;
            int rc;
#if !XF_TEST_HAS_ASAN
            struct rlimit lim = {(rlim_t)1 << 30, (rlim_t)1 << 30};
            setrlimit(RLIMIT_AS, &lim);
#endif
            unsetenv("XFCAST_MODEL_MEMORY_MB"); /* the default budget */
            rc = xf_encoder_load(p, &enc, &err);
            if (rc != XF_ERANGE || enc != NULL || strstr(err.message, huge[i].msg) == NULL ||
                strstr(err.message, "over the 1 GB limit") == NULL) {
                fprintf(stderr, "%s: status %d: %s\n", huge[i].arch, rc, err.message);
                _exit(1);
            }
            _exit(0);
        }
        CHECK(waitpid(pid, &status, 0) == pid);
        CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "%s: a huge encoder without tensors was not refused for its size", huge[i].arch);
        unlink(p);
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-fixture") == 0) {
        xf_xfm *mf = build_sample();
        xf_error err;
        if (mf == NULL || xf_xfm_save(mf, argv[2], &err) != XF_OK) {
            fprintf(stderr, "test_xfm: %s\n", mf ? err.message : "out of memory");
            xf_xfm_free(mf);
            return 99;
        }
        xf_xfm_free(mf);
        return 0;
    }
    if (mkdtemp(tmpdir) == NULL) {
        perror("test_xfm: mkdtemp");
        return 99;
    }
    test_crc();
    test_round_trip();
    test_mapped();
    test_api_errors();
    test_raw_matches_library();
    test_damaged();
    test_atomic();
    test_fixture();
    test_cli();
    test_fuzz_regressions();
    {
        char p[300];
        tmp_path(p, sizeof p, "rt.xfm");
        unlink(p);
        tmp_path(p, sizeof p, "bits.xfm");
        unlink(p);
        rmdir(tmpdir);
    }
    return tu_report("test_xfm");
}
