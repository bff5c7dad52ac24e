/* encoder_arch.h - an encoder architecture is one descriptor (private).
 *
 * Each architecture (GRU, TCN, ...) is one constant xf__encoder_arch,
 * defined in its own file beside its kernels: src/encoder_gru.c (kernels in
 * gru.c, gru_kernel.c), src/encoder_tcn.c (kernels in tcn.c).  The rest of
 * the library reaches an architecture only through its descriptor:
 *   - encoder.c: configuration checks, parameter count and initialisation,
 *     workspaces, forward and backward;
 *   - encoder_file.c: the file key encoder.arch (the descriptor's name), the
 *     configuration keys (its fields) and the tensors (its layout);
 *   - pretrain.c: whether two configurations are the same.
 * The parameter layout - each tensor's name in the .xfm file, shape, offset
 * in the flat parameter array and initialisation range - is written once,
 * by the descriptor's layout hook; kernels and tests take offsets from it.
 *
 * Adding an architecture to the library: write src/encoder_<name>.c (its
 * fields, layout and hooks, plus its kernels or a call to them), add the
 * descriptor to the list in encoder_arch.c and its extern below, a value to
 * xf_arch in include/xfcast/encoder.h, the file to Makefile.am.  Code
 * outside the library (tests, experiments) needs none of this: it passes
 * its descriptor to xf__encoder_new_arch and xf__encoder_load_arch
 * (encoder_internal.h) directly - see tests/test_encoder_arch.c.
 *
 * Versions (SQLite's iVersion): a descriptor says which version of this
 * struct it was written for (abi_version) and its size (struct_size).
 * Fields are only ever added at the end, each with the version that brought
 * it; the library reads a field only when the descriptor's version has it,
 * and refuses descriptors newer than itself.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_ENCODER_ARCH_H
#define XF_ENCODER_ARCH_H

#include <stddef.h>
#include <stdint.h>

#include "xf_internal.h"
#include "xfcast/encoder.h"

#define XF_ENCODER_N_IN 2     /* input channels by default: normalised value, observed mask */
#define XF_ENCODER_N_IN_MAX 3 /* ... and the seasonal difference (xf_encoder_config.n_inputs) */
#define XF__ENCODER_ARCH_VERSION 3 /* the newest descriptor version this build reads */
#define XF__TENSOR_MAX_DIMS 4      /* most dimensions of a parameter tensor */
#define XF__TENSOR_NAME_MAX 48     /* bytes of a tensor name, with its NUL */

/* One tensor of a parameter layout. */
typedef struct xf__tensor {
    char name[XF__TENSOR_NAME_MAX];    /* name in the .xfm file, e.g. "gru.l0.W_ih" (not
                                        * pretrain.* or train.*: the file's own) */
    size_t n_dims;                     /* dimensions, 1..XF__TENSOR_MAX_DIMS */
    int64_t dims[XF__TENSOR_MAX_DIMS]; /* shape, row-major; each >= 1 */
    size_t offset;                     /* first float in the flat parameter array */
    size_t count;                      /* floats: the product of dims */
    double init_bound;                 /* a new encoder draws U(-bound, bound) (0: zeros) */
} xf__tensor;

/* A layout being built by an architecture's layout hook: tensors are added
 * in parameter order and lie back to back (offset 0, then each after the
 * previous), so the flat array has no holes. */
typedef struct xf__layout {
    xf__tensor *tensors; /* room for `max` tensors (NULL when max is 0); borrowed */
    size_t max;          /* tensors the room holds */
    size_t n;            /* tensors added (may exceed max: only the first max are written) */
    size_t n_params;     /* floats added: the next tensor's offset */
    int bad;             /* set by xf__layout_add on a malformed tensor (a bug in the hook) */
} xf__layout;

/* Add a tensor of n_dims dimensions `dims` named by printf format `fmt`,
 * drawn from U(-init_bound, init_bound) in a new encoder. */
void xf__layout_add(xf__layout *lay, double init_bound, size_t n_dims, const int64_t *dims,
                    const char *fmt, ...) XF_PRINTF(5, 6);

/* One configuration field an architecture reads: an int32_t member of
 * xf_encoder_config, its range, and its key in files. */
typedef struct xf__encoder_field {
    const char *key;  /* file key "encoder.<name>" (not one every encoder has: encoder.arch,
                       * .context, .n_inputs, .embed_size, .normalisation) */
    const char *what; /* its name in messages, "hidden size" */
    size_t offset;    /* offsetof(xf_encoder_config, n_hidden) */
    int32_t lo, hi;   /* accepted range */
} xf__encoder_field;

/* What an architecture's forward and backward see of an encoder (all
 * borrowed). */
typedef struct xf__encoder_net {
    const xf_encoder_config *cfg; /* the configuration (checked) */
    const xf__tensor *tensors;    /* the layout the architecture's hook made for it */
    size_t n_tensors;             /* tensors in it */
    const float *params;          /* the flat parameter array */
} xf__encoder_net;

/* An architecture.  Input x of forward/backward: [b][t][cfg->n_inputs]
 * (normalised value, observed mask, and with 3 inputs the seasonal
 * difference); embeddings [b][embed_size]; gradients have the parameters'
 * layout and are ACCUMULATED into.  A descriptor of version 1 or 2 takes 2
 * inputs only (configurations with 3 are refused for it); version 3 reads
 * cfg->n_inputs in its layout and forward. */
typedef struct xf__encoder_arch {
    /* ---- version 1 */
    uint32_t abi_version;            /* XF__ENCODER_ARCH_VERSION it was written for */
    uint32_t struct_size;            /* sizeof (xf__encoder_arch) where it was compiled */
    const char *name;                /* [a-z0-9_]+, at most 15 bytes: the file's encoder.arch */
    int32_t id;                      /* its xf_arch value (xf_encoder_config.arch); outside the
                           * library, any value not in the enum */
    const xf__encoder_field *fields; /* the configuration it reads, besides context */
    size_t n_fields;                 /* entries in fields */
    /* Checks beyond the fields' ranges (may be NULL): XF_OK or XF_EINVAL. */
    int (*check)(const xf_encoder_config *cfg, xf_error *err);
    /* The parameter layout of a checked configuration (xf__layout_add). */
    void (*layout)(const xf_encoder_config *cfg, xf__layout *lay);
    /* Floats per embedding (>= 1). */
    size_t (*embed_size)(const xf_encoder_config *cfg);
    /* Floats of scratch for forward (either mode) and backward of b windows of t steps. */
    size_t (*scratch_size)(const xf_encoder_config *cfg, size_t b, size_t t);
    /* Forward; cache NULL for inference, else cache_size floats kept for backward. */
    void (*forward)(const xf__encoder_net *net, const float *x, size_t b, size_t t, float *emb,
                    float *cache, float *scratch);
    /* Training (both NULL for an inference-only architecture): the cache size, and the
     * backward pass from d(emb) [b][embed_size]. */
    size_t (*cache_size)(const xf_encoder_config *cfg, size_t b, size_t t);
    void (*backward)(const xf__encoder_net *net, const float *x, size_t b, size_t t,
                     const float *demb, const float *cache, float *grad, float *scratch);
    /* ---- version 2 */
    /* Nonzero when an inference forward (cache NULL) gives each window the
     * same embedding whatever the number of windows b: such windows need
     * not be padded to groups of XF_ENCODER_GROUP (a forecast of one
     * series then computes one window, not 32).  NULL, or a version-1
     * descriptor: windows always go in whole groups. */
    int (*infer_batch_free)(const xf_encoder_config *cfg);
} xf__encoder_arch;

/* Bytes of a version-1 descriptor: struct_size must be at least this. */
#define XF__ENCODER_ARCH_SIZE_V1 offsetof(xf__encoder_arch, infer_batch_free)

/* The architecture's infer_batch_free, 0 when its descriptor predates it. */
int xf__encoder_arch_batch_free(const xf__encoder_arch *a, const xf_encoder_config *cfg);

/* The library's architectures. */
extern const xf__encoder_arch xf__encoder_arch_gru; /* encoder_gru.c */
extern const xf__encoder_arch xf__encoder_arch_tcn; /* encoder_tcn.c */

/* The library's architecture with this xf_arch value, or NULL. */
const xf__encoder_arch *xf__encoder_arch_by_id(int32_t id);

/* The architecture named `name`: the library's first, then the n_extra
 * descriptors of `extra` (may be NULL when n_extra is 0); NULL if none. */
const xf__encoder_arch *
xf__encoder_arch_by_name(const char *name, const xf__encoder_arch *const *extra, size_t n_extra);

/* The names of the library's architectures and of `extra`, ", "-separated
 * ("gru, tcn"), into buf of size n; for messages. */
void xf__encoder_arch_names(const xf__encoder_arch *const *extra, size_t n_extra, char *buf,
                            size_t n);

/* Check that a descriptor is one this build can use (version, size, name,
 * hooks, fields): XF_OK or XF_EINVAL naming what is wrong. */
int xf__encoder_arch_validate(const xf__encoder_arch *a, xf_error *err);

/* The value of field f in cfg. */
int32_t xf__encoder_field_get(const xf_encoder_config *cfg, const xf__encoder_field *f);
void xf__encoder_field_set(xf_encoder_config *cfg, const xf__encoder_field *f, int32_t v);

/* Check a configuration for architecture a: context, the fields' ranges,
 * then a->check.  XF_OK or XF_EINVAL ("encoder hidden size is 0; it must be
 * 1..4096"). */
int xf__encoder_arch_check_config(const xf__encoder_arch *a, const xf_encoder_config *cfg,
                                  xf_error *err);

/* The layout of a checked configuration: a new array of *n tensors (caller
 * frees) and the parameter count.  XF_OK, XF_ENOMEM, or XF_EINVAL when the
 * hook made a malformed layout (empty, duplicate or reserved names, bad
 * shapes). */
int xf__encoder_arch_layout(const xf__encoder_arch *a, const xf_encoder_config *cfg,
                            xf__tensor **tensors, size_t *n, size_t *n_params, xf_error *err);

#endif /* XF_ENCODER_ARCH_H */
