/* testutil.h - a tiny test harness: CHECK macros that count failures and
 * print file:line; main returns 1 when anything failed (automake harness:
 * 0 pass, 77 skip, 99 hard error).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_TESTUTIL_H
#define XF_TESTUTIL_H

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tu_failures = 0;
static int tu_checks = 0;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        tu_checks++;                                                                               \
        if (!(cond)) {                                                                             \
            tu_failures++;                                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_MSG(cond, ...)                                                                       \
    do {                                                                                           \
        tu_checks++;                                                                               \
        if (!(cond)) {                                                                             \
            tu_failures++;                                                                         \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    CHECK_MSG((long long)(a) == (long long)(b), "%lld != %lld", (long long)(a), (long long)(b))

#define CHECK_STR(a, b) CHECK_MSG(strcmp((a), (b)) == 0, "'%s' != '%s'", (a), (b))

#define CHECK_NEAR(a, b, tol)                                                                      \
    CHECK_MSG(fabs((double)(a) - (double)(b)) <= (tol), "%.17g != %.17g", (double)(a), (double)(b))

static int tu_report(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, tu_checks, tu_failures);
    return tu_failures ? 1 : 0;
}

/* The bytes of path in a malloc'd buffer followed by a NUL (not counted
 * in *n), or NULL (and *n 0) when it cannot be read whole. */
static inline unsigned char *tu_read_file(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *b = NULL;
    long len;
    *n = 0;
    if (fp == NULL)
        return NULL;
    if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)len + 1)) != NULL) {
        if (fread(b, 1, (size_t)len, fp) != (size_t)len) {
            free(b);
            b = NULL;
        } else {
            b[len] = '\0';
            *n = (size_t)len;
        }
    }
    fclose(fp);
    return b;
}

/* Write n bytes to path (created or truncated): 0, or -1 on any failure. */
static inline int tu_write_file(const char *path, const void *p, size_t n)
{
    FILE *fp = fopen(path, "wb");
    int ok;
    if (fp == NULL)
        return -1;
    ok = fwrite(p, 1, n, fp) == n;
    return (fclose(fp) == 0 && ok) ? 0 : -1;
}

/* Files in dir whose name contains ".tmp." (the temporary files of the
 * atomic writes), or -1 when dir cannot be read. */
static inline int tu_count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp.") != NULL)
            n++;
    closedir(d);
    return n;
}

/* XF_TEST_HAS_ASAN: 1 when built with AddressSanitizer (GCC's
 * __SANITIZE_ADDRESS__ or clang's __has_feature), for the checks that
 * must not run under it (huge allocations it reports as failures). */
#if defined(__SANITIZE_ADDRESS__)
#define XF_TEST_HAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XF_TEST_HAS_ASAN 1
#endif
#endif
#ifndef XF_TEST_HAS_ASAN
#define XF_TEST_HAS_ASAN 0
#endif

/* FNV-1a, 64 bits, continued from h (digests of generated data). */
static inline uint64_t tu_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= b[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

/* Pearson correlation of x[t] and x[t + lag] over the pairs where both
 * are finite (0 with fewer than 3 pairs or no spread). */
static inline double tu_lag_corr(const double *x, size_t n, size_t lag)
{
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, k = 0, va, vb;
    size_t t;
    for (t = 0; t + lag < n; t++) {
        double a = x[t], b = x[t + lag];
        if (!isfinite(a) || !isfinite(b))
            continue;
        sa += a;
        sb += b;
        saa += a * a;
        sbb += b * b;
        sab += a * b;
        k++;
    }
    if (k < 3)
        return 0.0;
    va = saa - sa * sa / k;
    vb = sbb - sb * sb / k;
    if (!(va > 0) || !(vb > 0))
        return 0.0;
    return (sab - sa * sb / k) / sqrt(va * vb);
}

#endif /* XF_TESTUTIL_H */
