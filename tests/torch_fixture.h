/* torch_fixture.h - pieces shared by the tests that compare xfcast with
 * PyTorch reference files (test_encoder_torch.c, test_models_torch.c):
 * fixture errors, number parsing and the embedding comparison.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_TORCH_FIXTURE_H
#define XF_TORCH_FIXTURE_H

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The test's name, for messages; each test defines it before including. */
#ifndef TF_TEST_NAME
#error "define TF_TEST_NAME before including torch_fixture.h"
#endif

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3), noreturn))
#endif
static void
hard_error(const char *path, const char *fmt, ...);

/* Report a missing or malformed fixture and exit 99 (automake: hard error). */
static void hard_error(const char *path, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: %s: ", TF_TEST_NAME, path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(99);
}

static long parse_long(const char *path, const char *key, const char *tok)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(tok, &end, 10);
    if (errno != 0 || end == tok || *end != '\0' || v < 0 || v > 1000000000L)
        hard_error(path, "bad value for '%s'", key);
    return v;
}

/* Read "COUNT v1 v2 ..." after a tensor's name: a new array of COUNT finite
 * numbers (caller frees); exits 99 on anything else. */
static double *read_tensor(FILE *fp, const char *path, const char *name, size_t *count)
{
    char vt[64];
    size_t n, i;
    double *t;
    if (fscanf(fp, "%63s", vt) != 1)
        hard_error(path, "tensor '%s' has no count", name);
    n = (size_t)parse_long(path, name, vt);
    if (n == 0)
        hard_error(path, "tensor '%s' is empty", name);
    t = malloc(n * sizeof *t);
    if (t == NULL)
        hard_error(path, "out of memory for '%s'", name);
    for (i = 0; i < n; i++) {
        char *end;
        if (fscanf(fp, "%63s", vt) != 1)
            hard_error(path, "tensor '%s' is short", name);
        errno = 0;
        t[i] = strtod(vt, &end);
        if (end == vt || *end != '\0' || errno == ERANGE || !isfinite(t[i]))
            hard_error(path, "bad number in tensor '%s'", name);
    }
    *count = n;
    return t;
}

/* How a float32 embedding compares with its float64 reference. */
typedef struct tf_stats {
    double abs;     /* max |c - ref| */
    double rel_big; /* max |c - ref| / |ref| over |ref| >= floor */
    double rel;     /* max |c - ref| / max(|ref|, floor) */
    size_t worst;   /* index of that maximum */
    size_t bad;     /* values beyond rtol * max(|ref|, floor) */
} tf_stats;

/* Compare n values (ne per window); print the first offenders, labelled. */
static void tf_compare(const char *label, const float *c, const double *ref, size_t n, size_t ne,
                       double floor_, double rtol, tf_stats *st)
{
    size_t i;
    for (i = 0; i < n; i++) {
        double d = fabs((double)c[i] - ref[i]);
        double scale = fabs(ref[i]) > floor_ ? fabs(ref[i]) : floor_;
        if (!(d <= rtol * scale) && st->bad++ < 10)
            fprintf(stderr, "%s: emb[%zu] (window %zu, unit %zu) = %.9g, torch %.17g\n", label, i,
                    i / ne, i % ne, (double)c[i], ref[i]);
        if (!(d <= st->abs))
            st->abs = d;
        if (fabs(ref[i]) >= floor_ && !(d / fabs(ref[i]) <= st->rel_big))
            st->rel_big = d / fabs(ref[i]);
        if (!(d / scale <= st->rel)) {
            st->rel = d / scale;
            st->worst = i;
        }
    }
}

#endif /* XF_TORCH_FIXTURE_H */
