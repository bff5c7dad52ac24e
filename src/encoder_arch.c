/* encoder_arch.c - the list of the library's encoder architectures, lookups
 * by xf_arch value and by name, and what every descriptor shares: its
 * validation, configuration checks and the building of its parameter
 * layout (encoder_arch.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoder_arch.h"

/* The library's architectures; a new one is one line here. */
static const xf__encoder_arch *const builtin[] = {
    &xf__encoder_arch_gru,
    &xf__encoder_arch_tcn,
};
#define N_BUILTIN (sizeof builtin / sizeof builtin[0])

int xf__encoder_arch_batch_free(const xf__encoder_arch *a, const xf_encoder_config *cfg)
{
    if (a->abi_version < 2 ||
        a->struct_size <
            offsetof(xf__encoder_arch, infer_batch_free) + sizeof a->infer_batch_free ||
        a->infer_batch_free == NULL)
        return 0;
    return a->infer_batch_free(cfg) != 0;
}

const xf__encoder_arch *xf__encoder_arch_by_id(int32_t id)
{
    size_t i;
    for (i = 0; i < N_BUILTIN; i++)
        if (builtin[i]->id == id)
            return builtin[i];
    return NULL;
}

const xf__encoder_arch *
xf__encoder_arch_by_name(const char *name, const xf__encoder_arch *const *extra, size_t n_extra)
{
    size_t i;
    for (i = 0; i < N_BUILTIN; i++)
        if (strcmp(builtin[i]->name, name) == 0)
            return builtin[i];
    for (i = 0; i < n_extra; i++)
        if (extra[i] != NULL && extra[i]->name != NULL && strcmp(extra[i]->name, name) == 0)
            return extra[i];
    return NULL;
}

/* Append ", name" (or "name" first) to buf; 0 once buf is full. */
static int append_name(char *buf, size_t n, size_t *len, const xf__encoder_arch *a)
{
    int k;
    if (a == NULL || a->name == NULL)
        return 1;
    k = snprintf(buf + *len, n - *len, "%s%s", *len ? ", " : "", a->name);
    if (k < 0 || (size_t)k >= n - *len)
        return 0; /* cut: snprintf terminated it */
    *len += (size_t)k;
    return 1;
}

void xf__encoder_arch_names(const xf__encoder_arch *const *extra, size_t n_extra, char *buf,
                            size_t n)
{
    size_t i, len = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (i = 0; i < N_BUILTIN; i++)
        if (!append_name(buf, n, &len, builtin[i]))
            return;
    for (i = 0; extra != NULL && i < n_extra; i++)
        if (!append_name(buf, n, &len, extra[i]))
            return;
}

/* The file keys every encoder has (encoder_file.c): no field may take one. */
static int generic_key(const char *key)
{
    static const char *const keys[] = {"encoder.arch", "encoder.context", "encoder.n_inputs",
                                       "encoder.embed_size", "encoder.normalisation"};
    size_t i;
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

const char *xf_encoder_arch_name(xf_arch arch)
{
    const xf__encoder_arch *a = xf__encoder_arch_by_id((int32_t)arch);
    return a != NULL ? a->name : NULL;
}

int xf_encoder_arch_from_name(const char *name, xf_arch *out, xf_error *err)
{
    const xf__encoder_arch *a = xf__encoder_arch_by_name(name, NULL, 0);
    if (a == NULL) {
        char known[128], quoted[40];
        xf__encoder_arch_names(NULL, 0, known, sizeof known);
        xf__quote(quoted, sizeof quoted, name, strlen(name), 32);
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "unknown encoder architecture '%s' (this build "
                        "knows %s)",
                        quoted, known);
    }
    *out = (xf_arch)a->id;
    return XF_OK;
}

/* [a-z0-9_]+ of at most 15 bytes: safe in files and messages. */
static int good_name(const char *s)
{
    size_t i;
    if (s == NULL || s[0] == '\0' || strlen(s) > 15)
        return 0;
    for (i = 0; s[i] != '\0'; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

int xf__encoder_arch_validate(const xf__encoder_arch *a, xf_error *err)
{
    size_t i;
    if (a == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "no encoder architecture descriptor");
    if (a->abi_version < 1 || a->abi_version > XF__ENCODER_ARCH_VERSION)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "encoder architecture descriptor version %u; this "
                        "build reads versions 1-%d",
                        (unsigned)a->abi_version, XF__ENCODER_ARCH_VERSION);
    if (a->struct_size < XF__ENCODER_ARCH_SIZE_V1)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "encoder architecture descriptor of %u bytes; "
                        "version 1 has %zu",
                        (unsigned)a->struct_size, XF__ENCODER_ARCH_SIZE_V1);
    if (!good_name(a->name))
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "encoder architecture name must be 1-15 of "
                        "[a-z0-9_]");
    if (a->layout == NULL || a->embed_size == NULL || a->scratch_size == NULL ||
        a->forward == NULL || (a->cache_size == NULL) != (a->backward == NULL))
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "encoder architecture '%s' lacks a hook (layout, "
                        "embed_size, scratch_size and forward are required; cache_size and "
                        "backward go together)",
                        a->name);
    if (a->n_fields > 0 && a->fields == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "encoder architecture '%s' has no field table",
                        a->name);
    for (i = 0; i < a->n_fields; i++) {
        const xf__encoder_field *f = &a->fields[i];
        if (f->key == NULL || strncmp(f->key, "encoder.", 8) != 0 || generic_key(f->key) ||
            f->what == NULL || f->offset % sizeof(int32_t) != 0 ||
            f->offset + sizeof(int32_t) > sizeof(xf_encoder_config) ||
            f->offset == offsetof(xf_encoder_config, arch) ||
            f->offset == offsetof(xf_encoder_config, context) || f->lo > f->hi)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "encoder architecture '%s': field %zu is "
                            "malformed",
                            a->name, i);
    }
    return XF_OK;
}

int32_t xf__encoder_field_get(const xf_encoder_config *cfg, const xf__encoder_field *f)
{
    int32_t v;
    memcpy(&v, (const char *)cfg + f->offset, sizeof v);
    return v;
}

void xf__encoder_field_set(xf_encoder_config *cfg, const xf__encoder_field *f, int32_t v)
{
    memcpy((char *)cfg + f->offset, &v, sizeof v);
}

static int check_range(xf_error *err, const char *what, int32_t v, int32_t lo, int32_t hi)
{
    if (v < lo || v > hi)
        return xf__fail(err, XF_EINVAL, 0, 0, "encoder %s is %d; it must be %d..%d", what, (int)v,
                        (int)lo, (int)hi);
    return XF_OK;
}

int xf__encoder_arch_check_config(const xf__encoder_arch *a, const xf_encoder_config *cfg,
                                  xf_error *err)
{
    size_t i;
    int rc;
    if ((rc = check_range(err, "context", cfg->context, 8, 65536)) != XF_OK ||
        (rc = check_range(err, "input channels", cfg->n_inputs, XF_ENCODER_N_IN,
                          XF_ENCODER_N_IN_MAX)) != XF_OK)
        return rc;
    if (cfg->n_inputs != XF_ENCODER_N_IN && a->abi_version < 3)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "encoder architecture '%s' takes %d input channels, not %d", a->name,
                        XF_ENCODER_N_IN, (int)cfg->n_inputs);
    for (i = 0; i < a->n_fields; i++)
        if ((rc = check_range(err, a->fields[i].what, xf__encoder_field_get(cfg, &a->fields[i]),
                              a->fields[i].lo, a->fields[i].hi)) != XF_OK)
            return rc;
    return a->check != NULL ? a->check(cfg, err) : XF_OK;
}

void xf__layout_add(xf__layout *lay, double init_bound, size_t n_dims, const int64_t *dims,
                    const char *fmt, ...)
{
    xf__tensor t;
    size_t d, count = 1;
    va_list ap;
    int k;
    memset(&t, 0, sizeof t);
    va_start(ap, fmt);
    k = vsnprintf(t.name, sizeof t.name, fmt, ap);
    va_end(ap);
    if (k <= 0 || (size_t)k >= sizeof t.name || n_dims < 1 || n_dims > XF__TENSOR_MAX_DIMS)
        lay->bad = 1;
    for (d = 0; d < n_dims && d < XF__TENSOR_MAX_DIMS; d++) {
        if (dims[d] < 1 || (uint64_t)dims[d] > SIZE_MAX / count) {
            lay->bad = 1;
            break;
        }
        t.dims[d] = dims[d];
        count *= (size_t)dims[d];
    }
    t.n_dims = n_dims;
    t.offset = lay->n_params;
    t.count = count;
    t.init_bound = init_bound;
    if (count > SIZE_MAX - lay->n_params)
        lay->bad = 1;
    if (lay->n < lay->max)
        lay->tensors[lay->n] = t;
    lay->n++;
    lay->n_params += count;
}

int xf__encoder_arch_layout(const xf__encoder_arch *a, const xf_encoder_config *cfg,
                            xf__tensor **tensors, size_t *n, size_t *n_params, xf_error *err)
{
    xf__layout lay;
    size_t i, j;
    *tensors = NULL;
    *n = *n_params = 0;
    /* once to count, once to fill */
    memset(&lay, 0, sizeof lay);
    a->layout(cfg, &lay);
    if (lay.bad || lay.n == 0)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "encoder architecture '%s' made a malformed "
                        "parameter layout",
                        a->name);
    lay.max = lay.n;
    lay.tensors = xf__malloc_array(lay.max, sizeof *lay.tensors);
    if (lay.tensors == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    lay.n = lay.n_params = 0;
    a->layout(cfg, &lay);
    if (lay.bad || lay.n != lay.max) {
        free(lay.tensors);
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "encoder architecture '%s' made a malformed "
                        "parameter layout",
                        a->name);
    }
    for (i = 0; i < lay.n; i++) {
        /* the encoder file's own tensors (pretraining head, checkpoint state) */
        if (strncmp(lay.tensors[i].name, "pretrain.", 9) == 0 ||
            strncmp(lay.tensors[i].name, "train.", 6) == 0) {
            int rc = xf__fail(err, XF_EINVAL, 0, 0,
                              "encoder architecture '%s' names a tensor "
                              "'%s': the prefixes pretrain. and train. are the file's",
                              a->name, lay.tensors[i].name);
            free(lay.tensors);
            return rc;
        }
        for (j = 0; j < i; j++)
            if (strcmp(lay.tensors[i].name, lay.tensors[j].name) == 0) {
                int rc = xf__fail(err, XF_EINVAL, 0, 0,
                                  "encoder architecture '%s' names two "
                                  "tensors '%s'",
                                  a->name, lay.tensors[i].name);
                free(lay.tensors);
                return rc;
            }
    }
    *tensors = lay.tensors;
    *n = lay.n;
    *n_params = lay.n_params;
    return XF_OK;
}
