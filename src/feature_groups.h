/* feature_groups.h - the registry of feature groups (private): one
 * descriptor per group of columns of a feature row, in row order.
 *
 * A group declares, in its entry of xf__feat_groups[] (feature_groups.c):
 * its name, its width as a function of the feature spec, how it fills its
 * columns of one origin's row, and its head-file keys (how they are
 * written, read back and validated).  featurize.c computes the layout and
 * builds rows by walking the table; head_file.c writes and reads the
 * groups' keys through it.
 *
 * Adding a group: its functions and its line of the table in
 * feature_groups.c; its id in enum xf__feat_group_id (featurize.h; the
 * enum's order is the row order) and its parameter, if it has one, in
 * xf__feat_spec.  A group the user switches also needs its option
 * (xfcast/head.h) copied into the spec by xf__head_fill_spec (head_fit.c).
 * test_featurize.c checks every entry of the table.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_FEATURE_GROUPS_H
#define XF_FEATURE_GROUPS_H

#include <stddef.h>
#include "featurize.h"
#include "xfcast/error.h"

struct xf_head;
struct xf_xfm;
struct xf__head_loader;

/* The origins of one xf__feat_build call, as the groups see them. */
typedef struct xf__feat_ctx {
    const xf__feat_spec *s;        /* the features */
    xf__feat_ws *ws;               /* scratch (ws->vals: at least L + 1 values) */
    const xf_panel *panel;         /* borrowed */
    const size_t *series, *origin; /* [m]: series index and origin of each row */
    size_t m;                      /* rows */
    int strict_cov;                /* 1: a missing covariate at a forecast step is an error */
    const double *level, *scale;   /* [m]: each origin's normalisation */
    const float *emb;              /* [m][xf__feat_emb_width]: the encoders' part (set by
                                      the caller, or by the embeddings group's prepare) */
} xf__feat_ctx;

/* Where a group's keys sit among the head's own head.* keys.  head_file.c
 * writes its keys in a fixed order and, at each of these points, every
 * group's keys for that point (in group order); the points keep head files
 * byte-identical with those written before the registry existed.  A new
 * group writes at XF__HK_ITEMS and reads its keys as optional ones with a
 * default (xf__head_get_i64_opt), so that older heads still load. */
enum xf__head_key_slot {
    XF__HK_AFTER_HORIZON = 0, /* after head.horizon (head.lags) */
    XF__HK_AFTER_LEVEL_LAST,  /* after head.level_last (head.history) */
    XF__HK_AFTER_SEASONAL,    /* after head.seasonal_scale (head.calendar) */
    XF__HK_COUNTS,            /* after head.n_features (head.n_encoders, head.n_covariates) */
    XF__HK_ITEMS,             /* after all head.* keys (encoder.N.*, covariate.N) */
    XF__HK_N
};

typedef struct xf__feat_group {
    const char *name;       /* unique, lower case ("lags") */
    const char *key_prefix; /* keys it owns beyond head.* ("encoder."), or NULL; such keys are
                               structure, not fit report */
    /* Columns it adds to a row (0: the group is off). */
    size_t (*width)(const xf__feat_spec *s);
    /* Batch work before the rows are filled (NULL: none).  Groups without
     * it are filled first, so that a data error is reported before any
     * expensive batch step runs. */
    int (*prepare)(xf__feat_ctx *c, xf_error *err);
    /* Fill cols [0, width) of row i.  XF_OK, or a status with err set. */
    int (*fill)(const xf__feat_ctx *c, size_t i, double *cols, xf_error *err);
    /* Write the group's keys of one slot into a head file being built: 0,
     * or nonzero when out of memory. */
    int (*save)(const struct xf_head *h, struct xf_xfm *mf, int slot);
    /* Read and validate the group's keys of one slot from a head file
     * (the head's other keys of earlier slots are already read). */
    int (*load)(struct xf__head_loader *ld, struct xf_head *h, int slot);
} xf__feat_group;

/* The registry, in row order: xf__feat_groups[g] for g < XF__FG_N. */
extern const xf__feat_group xf__feat_groups[XF__FG_N];

#endif /* XF_FEATURE_GROUPS_H */
