/* error.c - status codes, error reports and small shared helpers.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xf_internal.h"

const char *xf_strerror(int code)
{
    switch (code) {
    case XF_OK:
        return "success";
    case XF_ENOMEM:
        return "out of memory";
    case XF_EIO:
        return "input/output error";
    case XF_EINVAL:
        return "invalid argument";
    case XF_EPARSE:
        return "malformed input";
    case XF_ENOTFOUND:
        return "not found";
    case XF_EDATA:
        return "unusable data";
    case XF_ERANGE:
        return "value out of range";
    case XF_EFORMAT:
        return "damaged or unsupported file";
    case XF_ECHECKSUM:
        return "checksum mismatch";
    case XF_EBUSY:
        return "locked by another process";
    default:
        return "unknown error";
    }
}

uint64_t xf__fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= c[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

double xf__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

const char *xf_status_name(int code)
{
    switch (code) {
    case XF_OK:
        return "XF_OK";
    case XF_ENOMEM:
        return "XF_ENOMEM";
    case XF_EIO:
        return "XF_EIO";
    case XF_EINVAL:
        return "XF_EINVAL";
    case XF_EPARSE:
        return "XF_EPARSE";
    case XF_ENOTFOUND:
        return "XF_ENOTFOUND";
    case XF_EDATA:
        return "XF_EDATA";
    case XF_ERANGE:
        return "XF_ERANGE";
    case XF_EFORMAT:
        return "XF_EFORMAT";
    case XF_ECHECKSUM:
        return "XF_ECHECKSUM";
    case XF_EBUSY:
        return "XF_EBUSY";
    default:
        return "XF_E?";
    }
}

void xf_error_clear(xf_error *err)
{
    if (err == NULL)
        return;
    err->code = XF_OK;
    err->line = 0;
    err->column = 0;
    err->message[0] = '\0';
}

int xf__fail(xf_error *err, int code, int64_t line, int32_t column, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->code = code;
        err->line = line;
        err->column = column;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

void xf__quote(char *dst, size_t n, const char *s, size_t len, size_t max)
{
    size_t i, k = 0;
    if (n == 0)
        return;
    for (i = 0; i < len && i < max && k + 1 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (i < len && k + 4 < n) {
        memcpy(dst + k, "...", 3);
        k += 3;
    }
    dst[k] = '\0';
}

void *xf__malloc_array(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return malloc((count * size) != 0 ? count * size : 1);
}

void *xf__realloc_array(void *p, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return realloc(p, (count * size) != 0 ? count * size : 1);
}

int xf__grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap;
    void *q;
    if (need <= c)
        return 0;
    if (c < 16)
        c = 16;
    while (c < need) {
        if (c > SIZE_MAX / 3)
            return -1;
        c += c / 2;
    }
    q = xf__realloc_array(*p, c, size);
    if (q == NULL)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

char *xf__strndup(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

size_t xf__copy_out(char *buf, size_t n, const char *tmp, int k)
{
    if (k < 0)
        k = 0;
    if (n > 0) {
        size_t m = (size_t)k < n - 1 ? (size_t)k : n - 1;
        memcpy(buf, tmp, m);
        buf[m] = '\0';
    }
    return (size_t)k;
}
