/* abi.h - option structs across library versions (private).
 *
 * Every option struct a caller fills (xf_csv_options, xf_head_options, ...)
 * begins with `size_t struct_size`, set to its sizeof by the struct's _init
 * function.  A function that takes one imports it with xf__options_import:
 * the caller's struct_size bytes over the defaults.  A program built against
 * an older header (a smaller struct) then gets the defaults for the fields
 * it does not know; a struct_size that is 0 (not initialised), smaller than
 * the struct's first version or larger than this library's struct is
 * XF_EINVAL.  See the ABI rule in include/xfcast.h.
 *
 * When a field is added to one of these structs (at its end), its
 * XF__*_V1 size below stays: it is the smallest struct this library reads.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_ABI_H
#define XF_ABI_H

#include <stddef.h>

#include "xfcast/backtest.h"
#include "xfcast/corpus.h"
#include "xfcast/dataset.h"
#include "xfcast/encoder.h"
#include "xfcast/error.h"
#include "xfcast/head.h"
#include "xfcast/plot.h"
#include "xfcast/pretrain.h"
#include "xfcast/retrain.h"

/* The bytes of `type` up to and including `field`. */
#define XF__SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Whether the caller's struct *o (its struct_size) holds `field`: a
 * function that reads the caller's struct in place reads a field added
 * after the first version only then. */
#define XF__HAS_FIELD(o, type, field) ((o)->struct_size >= XF__SIZE_THROUGH(type, field))

/* Sizes of the first version of each option struct (xfcast 0.1). */
#define XF__CSV_OPTIONS_V1 XF__SIZE_THROUGH(xf_csv_options, sniff_rows)
#define XF__CORPUS_OPTIONS_V1 XF__SIZE_THROUGH(xf_corpus_options, gp_points)
#define XF__ENCODER_CONFIG_V1 XF__SIZE_THROUGH(xf_encoder_config, kernel_size)
#define XF__HEAD_OPTIONS_V1 XF__SIZE_THROUGH(xf_head_options, source)
#define XF__BACKTEST_OPTIONS_V1 XF__SIZE_THROUGH(xf_backtest_options, zeroshot)
#define XF__PLOT_OPTIONS_V1 XF__SIZE_THROUGH(xf_plot_options, height)
#define XF__PRETRAIN_OPTIONS_V1 XF__SIZE_THROUGH(xf_pretrain_options, user)
#define XF__RETRAIN_OPTIONS_V1 XF__SIZE_THROUGH(xf_retrain_options, n_threads)

/* Sizes of each option struct as of libtool version 3 (xfcast 0.1, the
 * _init macros' introduction): what the _init functions write when called
 * as functions, without the size the macros pass.  (Version 4 added
 * xf_head_options.blend, which xf_backtest_options holds by value: a new
 * SONAME, so no program calls the functions with the older layout; version
 * 5 added xf_head_options.pilot and progress/progress_user, the same way.) */
#define XF__CSV_OPTIONS_V3 XF__SIZE_THROUGH(xf_csv_options, max_gap_fill)
#define XF__CORPUS_OPTIONS_V3 XF__SIZE_THROUGH(xf_corpus_options, kind_weights)
#define XF__ENCODER_CONFIG_V3 XF__SIZE_THROUGH(xf_encoder_config, kernel_size)
#define XF__HEAD_OPTIONS_V3 XF__SIZE_THROUGH(xf_head_options, prior)
#define XF__BACKTEST_OPTIONS_V3 XF__SIZE_THROUGH(xf_backtest_options, windows)
#define XF__PLOT_OPTIONS_V3 XF__SIZE_THROUGH(xf_plot_options, height)
#define XF__PRETRAIN_OPTIONS_V3 XF__SIZE_THROUGH(xf_pretrain_options, quantiles)
#define XF__RETRAIN_OPTIONS_V3 XF__SIZE_THROUGH(xf_retrain_options, n_threads)

/* Write the defaults `d` (full bytes, from the struct's defaults) into the
 * caller's struct `dst` of `size` bytes: min(size, full) bytes, with
 * struct_size set to that (when it fits).  Never writes past size. */
void xf__init_sized(void *dst, const void *d, size_t full, size_t size);

/* Copy the caller's option struct `src` (its struct_size bytes, the first
 * field) over `dst`, which holds this library's defaults (dst_size bytes,
 * from the struct's _init), and set dst's struct_size to dst_size.  `type`
 * ("xf_head_options") and `init` ("xf_head_options_init") name them in the
 * message.  XF_EINVAL, dst untouched, when struct_size is outside
 * [min_size, dst_size].  With dst == src it only checks (for the functions
 * that write the caller's struct: today every accepted size is the full
 * one; once a field is added they must write only struct_size bytes). */
int xf__options_import(void *dst, size_t dst_size, const void *src, size_t min_size,
                       const char *type, const char *init, xf_error *err);

/* The same, as one statement for a function's entry: checks `*ptr`
 * (a const TYPE *), copies it into `local` (a TYPE already holding the
 * defaults) and points `ptr` at `local`; returns the status on failure. */
#define XF__IMPORT_OPTIONS(local, ptr, v1, type, err)                                              \
    do {                                                                                           \
        int xf__rc_ =                                                                              \
            xf__options_import(&(local), sizeof(local), (ptr), (v1), #type, #type "_init", (err)); \
        if (xf__rc_ != XF_OK)                                                                      \
            return xf__rc_;                                                                        \
        (ptr) = &(local);                                                                          \
    } while (0)

#endif /* XF_ABI_H */
