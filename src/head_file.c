/* head_file.c - heads in the .xfm container (kind "head"): what is stored,
 * and the checks made when loading one (docs/model-format.md, "Heads").
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feature_groups.h"
#include "head_internal.h"
#include "head_intervals.h"
#include "model_check.h"
#include "options_internal.h"

/* Keys written by the structure (the head's and its feature groups'), not
 * copied from the fit report. */
static int structural(const char *key)
{
    int g;
    if (strncmp(key, "head.", 5) == 0 || strcmp(key, "stats.n") == 0 || strcmp(key, "calib.n") == 0)
        return 1;
    for (g = 0; g < XF__FG_N; g++) {
        const char *pre = xf__feat_groups[g].key_prefix;
        if (pre != NULL && strncmp(key, pre, strlen(pre)) == 0)
            return 1;
    }
    return 0;
}

/* Every feature group's keys of one slot (feature_groups.h): 0, or nonzero
 * when out of memory. */
static int save_groups(const xf_head *h, xf_xfm *mf, int slot)
{
    int g;
    for (g = 0; g < XF__FG_N; g++)
        if (xf__feat_groups[g].save(h, mf, slot) != 0)
            return -1;
    return 0;
}

static int copy_meta(const xf_xfm *from, xf_xfm *to, int skip_structural)
{
    size_t i, n;
    for (i = 0; i < xf_xfm_n_meta(from); i++) {
        const char *k = xf_xfm_meta_key(from, i);
        int rc = XF_OK;
        if (skip_structural && structural(k))
            continue;
        switch (xf_xfm_meta_type(from, i)) {
        case XF_XFM_TYPE_U32: {
            uint32_t v = 0;
            xf_xfm_get_u32(from, k, &v, NULL);
            rc = xf_xfm_set_u32(to, k, v);
            break;
        }
        case XF_XFM_TYPE_I64: {
            int64_t v = 0;
            xf_xfm_get_i64(from, k, &v, NULL);
            rc = xf_xfm_set_i64(to, k, v);
            break;
        }
        case XF_XFM_TYPE_F64: {
            double v = 0;
            xf_xfm_get_f64(from, k, &v, NULL);
            rc = xf_xfm_set_f64(to, k, v);
            break;
        }
        case XF_XFM_TYPE_STR: {
            const char *v = "";
            xf_xfm_get_str(from, k, &v, NULL);
            rc = xf_xfm_set_str(to, k, v);
            break;
        }
        case XF_XFM_TYPE_I64_ARRAY: {
            const int64_t *v = NULL;
            xf_xfm_get_i64_array(from, k, &v, &n, NULL);
            rc = xf_xfm_set_i64_array(to, k, v, n);
            break;
        }
        case XF_XFM_TYPE_F64_ARRAY: {
            const double *v = NULL;
            xf_xfm_get_f64_array(from, k, &v, &n, NULL);
            rc = xf_xfm_set_f64_array(to, k, v, n);
            break;
        }
        }
        if (rc != XF_OK)
            return rc;
    }
    return XF_OK;
}

static int add_f64(xf_xfm *mf, const char *name, const double *data, int64_t d0, int64_t d1)
{
    int64_t dims[2] = {d0, d1};
    return xf_xfm_add_tensor_f64(mf, name, d1 > 0 ? 2 : 1, dims, data);
}

int xf_head_save(const xf_head *h, const char *path, xf_error *err)
{
    xf_xfm *mf = NULL;
    const xf__feat_spec *s = &h->spec;
    int64_t H = s->horizon, P = (int64_t)s->p, L = (int64_t)h->n_levels;
    int rc = XF_ENOMEM;
    if (h->stats_skipped)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "cannot save to '%s': the head was loaded without its sufficient "
                        "statistics (XF_HEAD_LOAD_NO_STATS), and the file would lose them; "
                        "load it with xf_head_load",
                        path);
    if (xf_xfm_new("head", &mf) != XF_OK)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    /* the head's keys, with the feature groups' at their slots */
    /* a head without a blend stays readable by builds before it (layout 1) */
    if (xf_xfm_set_u32(mf, "head.format",
                       h->zs_width          ? 3
                       : h->blend_share > 0 ? 2
                                            : 1) ||
        xf_xfm_set_i64(mf, "head.zeroshot", h->zeroshot) ||
        (h->zeroshot && (xf_xfm_set_i64(mf, "head.zs_period1", h->zs_periods[0]) ||
                         xf_xfm_set_i64(mf, "head.zs_period2", h->zs_periods[1]))) ||
        (h->zs_width && xf_xfm_set_i64(mf, "head.zs_interval_scale", 1)) ||
        (h->blend_share > 0 && (xf_xfm_set_i64(mf, "head.blend_baseline", h->blend_base) ||
                                xf_xfm_set_i64(mf, "head.blend_share", h->blend_share))) ||
        xf_xfm_set_str(mf, "head.domain", xf_domain_name(h->domain)) ||
        xf_xfm_set_i64(mf, "head.horizon", H) || save_groups(h, mf, XF__HK_AFTER_HORIZON) ||
        xf_xfm_set_i64(mf, "head.norm_window", s->norm_window) ||
        xf_xfm_set_i64(mf, "head.log", s->log_transform) ||
        xf_xfm_set_i64(mf, "head.level_last", s->level_last) ||
        save_groups(h, mf, XF__HK_AFTER_LEVEL_LAST) ||
        xf_xfm_set_i64(mf, "head.baseline", s->baseline) ||
        xf_xfm_set_i64(mf, "head.seasonal_scale", s->scale_mode) ||
        save_groups(h, mf, XF__HK_AFTER_SEASONAL) || xf_xfm_set_i64(mf, "head.season", h->season) ||
        xf_xfm_set_i64(mf, "head.stride", h->stride) ||
        (h->nonneg && xf_xfm_set_i64(mf, "head.nonneg", 1)) ||
        xf_xfm_set_i64(mf, "head.intervals", h->intervals) ||
        (h->symmetric && xf_xfm_set_i64(mf, "head.symmetric", 1)) ||
        xf_xfm_set_f64_array(mf, "head.levels", h->levels, h->n_levels) ||
        xf_xfm_set_i64(mf, "head.n_features", P) || save_groups(h, mf, XF__HK_COUNTS) ||
        save_groups(h, mf, XF__HK_ITEMS))
        goto fail;
    if (copy_meta(h->meta, mf, 1) != XF_OK)
        goto fail;
    if (!h->zeroshot && (add_f64(mf, "weights", h->W, H, P) || add_f64(mf, "bias", h->b, H, 0) ||
                         add_f64(mf, "lambda", h->lambda, H, 0)))
        goto fail;
    /* the domain head the weights were shrunk towards: exact updates
     * re-solve around it */
    if (!h->zeroshot && (xf_xfm_set_str(mf, "head.prior", h->prior_w != NULL ? "domain" : "none") ||
                         (h->prior_w != NULL && (add_f64(mf, "prior.weights", h->prior_w, H, P) ||
                                                 add_f64(mf, "prior.bias", h->prior_b, H, 0)))))
        goto fail;
    if (add_f64(mf, "interval.lo", h->q_lo, L, H) || add_f64(mf, "interval.hi", h->q_hi, L, H))
        goto fail;
    if (h->stats.p > 0 &&
        (xf_xfm_set_f64(mf, "stats.n", h->stats.n) ||
         add_f64(mf, "stats.xtx", h->stats.xtx, P, P) ||
         add_f64(mf, "stats.xty", h->stats.xty, P, H) ||
         add_f64(mf, "stats.sx", h->stats.sx, P, 0) || add_f64(mf, "stats.sy", h->stats.sy, H, 0) ||
         add_f64(mf, "stats.yty", h->stats.yty, H, 0)))
        goto fail;
    /* the held-out residuals intervals at other levels are computed from */
    if (h->calib != NULL && h->calib_m > 0 &&
        (xf_xfm_set_i64(mf, "calib.n", (int64_t)h->calib_n) ||
         add_f64(mf, "calib.residuals", h->calib, H, (int64_t)h->calib_m)))
        goto fail;
    /* the recent out-of-sample errors of the adaptive intervals, oldest
     * first (head_intervals.h) */
    if (xf__ivl_roll(h->ivl) != NULL && xf__ivl_roll(h->ivl)->n > 0) {
        const xf__roll *r = xf__ivl_roll(h->ivl);
        double *w = malloc(r->n * sizeof *w);
        size_t i;
        if (w == NULL)
            goto fail;
        for (i = 0; i < r->n; i++)
            w[i] = xf__roll_get(r, i);
        i = add_f64(mf, "interval.recent", w, (int64_t)r->n, 0) != XF_OK;
        free(w);
        if (i || (h->intervals == XF_INTERVALS_ACI && L > 0 &&
                  add_f64(mf, "interval.aci", r->dalpha, L, 0) != XF_OK))
            goto fail;
    }
    rc = xf_xfm_save(mf, path, err);
    xf_xfm_free(mf);
    return rc;
fail:
    xf_xfm_free(mf);
    return xf__fail(err, rc, 0, 0, "%s: out of memory while building the head file", path);
}

/* ------------------------------------------------------------ loading */

typedef xf__head_loader loader;

int xf__head_get_i64(loader *ld, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    int rc = xf_xfm_get_i64(ld->mf, key, out, ld->err);
    if (rc == XF_ENOTFOUND)
        return xf__fail(ld->err, XF_EFORMAT, 0, 0, "%s: head file lacks key '%s'", ld->path, key);
    if (rc != XF_OK)
        return rc;
    if (*out < lo || *out > hi)
        return xf__fail(ld->err, XF_EFORMAT, 0, 0,
                        "%s: '%s' is %" PRId64 ", outside %" PRId64 "..%" PRId64, ld->path, key,
                        *out, lo, hi);
    return XF_OK;
}

int xf__head_get_i64_opt(loader *ld, const char *key, int64_t lo, int64_t hi, int64_t dflt,
                         int64_t *out)
{
    int64_t v;
    if (xf_xfm_get_i64(ld->mf, key, &v, NULL) == XF_ENOTFOUND) {
        *out = dflt;
        return XF_OK;
    }
    return xf__head_get_i64(ld, key, lo, hi, out);
}

int xf__head_get_str(loader *ld, const char *key, const char **out)
{
    int rc = xf_xfm_get_str(ld->mf, key, out, ld->err);
    if (rc == XF_ENOTFOUND)
        return xf__fail(ld->err, XF_EFORMAT, 0, 0, "%s: head file lacks key '%s'", ld->path, key);
    return rc;
}

static int get_tensor(loader *ld, const char *name, int64_t d0, int64_t d1, double **out);

/* The adaptive intervals' window (interval.recent, absent from heads
 * written before it: empty), after calib. */
static int load_recent(loader *ld, xf_head *h)
{
    size_t i, n = 0;
    double *w = NULL, *da = NULL;
    int rc;
    if (xf_xfm_find_tensor(ld->mf, "interval.recent", &i) == XF_OK) {
        const int64_t *d = xf_xfm_tensor_dims(ld->mf, i);
        size_t j;
        if (xf_xfm_tensor_dtype(ld->mf, i) != XF_XFM_DTYPE_F64 ||
            xf_xfm_tensor_n_dims(ld->mf, i) != 1 || d[0] < 1 || d[0] > XF_IVL_MAX_CAP)
            return xf__fail(ld->err, XF_EFORMAT, 0, 0,
                            "%s: tensor 'interval.recent' is not f64 [1..%d]", ld->path,
                            XF_IVL_MAX_CAP);
        n = (size_t)d[0];
        if ((rc = get_tensor(ld, "interval.recent", d[0], 0, &w)) != XF_OK)
            return rc;
        for (j = 0; j < n; j++)
            if (!isfinite(w[j])) {
                free(w);
                return xf__fail(ld->err, XF_EFORMAT, 0, 0,
                                "%s: 'interval.recent' value %zu is not finite", ld->path, j + 1);
            }
    }
    if (n > 0 && h->n_levels > 0 && xf_xfm_find_tensor(ld->mf, "interval.aci", &i) == XF_OK) {
        size_t j;
        if ((rc = get_tensor(ld, "interval.aci", (int64_t)h->n_levels, 0, &da)) != XF_OK) {
            free(w);
            return rc;
        }
        for (j = 0; j < h->n_levels; j++)
            if (!(da[j] >= -2.0 && da[j] <= 2.0)) {
                free(w);
                free(da);
                return xf__fail(ld->err, XF_EFORMAT, 0, 0,
                                "%s: 'interval.aci' value %zu is not in [-2, 2]", ld->path, j + 1);
            }
    }
    rc = xf__ivl_setup(h, w, n, da, ld->err);
    free(w);
    free(da);
    return rc;
}

/* A f64 tensor of exactly the shape (d0) or (d0, d1), copied out. */
static int get_tensor(loader *ld, const char *name, int64_t d0, int64_t d1, double **out)
{
    size_t idx, nd = d1 > 0 ? 2 : 1, n = (size_t)d0 * (size_t)(d1 > 0 ? d1 : 1);
    const int64_t *dims;
    if (xf_xfm_find_tensor(ld->mf, name, &idx) != XF_OK)
        return xf__fail(ld->err, XF_EFORMAT, 0, 0, "%s: head file lacks tensor '%s'", ld->path,
                        name);
    dims = xf_xfm_tensor_dims(ld->mf, idx);
    if (xf_xfm_tensor_dtype(ld->mf, idx) != XF_XFM_DTYPE_F64 ||
        xf_xfm_tensor_n_dims(ld->mf, idx) != nd || dims[0] != d0 || (nd == 2 && dims[1] != d1))
        return xf__fail(ld->err, XF_EFORMAT, 0, 0, "%s: tensor '%s' is not f64 [%" PRId64 "%s%s]",
                        ld->path, name, d0, nd == 2 ? " x " : "", nd == 2 ? "..." : "");
    if ((*out = xf__malloc_array(n + 1, sizeof **out)) == NULL)
        return xf__fail(ld->err, XF_ENOMEM, 0, 0, "out of memory");
    memcpy(*out, xf_xfm_tensor_data(ld->mf, idx), n * sizeof **out);
    return XF_OK;
}

/* Every feature group's keys of one slot. */
static int load_groups(loader *ld, xf_head *h, int slot)
{
    int g, rc;
    for (g = 0; g < XF__FG_N; g++)
        if ((rc = xf__feat_groups[g].load(ld, h, slot)) != XF_OK)
            return rc;
    return XF_OK;
}

int xf_head_load(const char *path, xf_head **out, xf_error *err)
{
    return xf_head_load_ex(path, 0, out, err);
}

int xf_head_load_ex(const char *path, unsigned flags, xf_head **out, xf_error *err)
{
    xf_xfm *mf = NULL;
    xf_head *h = NULL;
    loader ld;
    xf__feat_spec whole;
    int64_t v, H, P;
    const double *lev;
    size_t n, i;
    uint32_t fmt;
    const char *str;
    int rc, stats_in_file;
    *out = NULL;
    if ((flags & ~XF_HEAD_LOAD_NO_STATS) != 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "%s: unknown load flags 0x%x", path,
                        flags & ~XF_HEAD_LOAD_NO_STATS);
    if ((rc = xf_xfm_load(path, &mf, err)) != XF_OK)
        return rc;
    ld.mf = mf;
    ld.path = path;
    ld.err = err;
    if (strcmp(xf_xfm_kind(mf), "head") != 0) {
        rc =
            xf__fail(err, XF_EFORMAT, 0, 0, "%s is a '%s' file, not a head", path, xf_xfm_kind(mf));
        goto done;
    }
    if ((rc = xf_xfm_get_u32(mf, "head.format", &fmt, err)) != XF_OK)
        goto done;
    if (fmt < 1 || fmt > XF_HEAD_FORMAT) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0,
                      "%s: head layout version %u; this build reads "
                      "1..%d",
                      path, fmt, XF_HEAD_FORMAT);
        goto done;
    }
    if ((h = xf__head_alloc()) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    /* the head's keys, with the feature groups' at their slots, in the
     * order xf_head_save writes them */
    if ((rc = xf__head_get_i64(&ld, "head.zeroshot", 0, 1, &v)) != XF_OK)
        goto done;
    h->zeroshot = (int)v;
    h->zs_periods[0] = 1;
    if (h->zeroshot) {
        /* heads written before the seasonal pretraining head: no period */
        if ((rc = xf__head_get_i64_opt(&ld, "head.zs_period1", 0, XF__LIM_SEASON_MAX, 1, &v)) !=
            XF_OK)
            goto done;
        h->zs_periods[0] = (int32_t)v;
        if ((rc = xf__head_get_i64_opt(&ld, "head.zs_period2", 0, XF__LIM_SEASON_MAX, 0, &v)) !=
            XF_OK)
            goto done;
        h->zs_periods[1] = (int32_t)v;
        /* heads written before it (layouts 1, 2): the window's std */
        if ((rc = xf__head_get_i64_opt(&ld, "head.zs_interval_scale", 0, 1, 0, &v)) != XF_OK)
            goto done;
        h->zs_width = (int)v;
    }
    /* heads written before the blend (layout 1): the head's own forecast */
    if ((rc = xf__head_get_i64_opt(&ld, "head.blend_share", 0, 100, 0, &v)) != XF_OK)
        goto done;
    h->blend_share = (int32_t)v;
    if ((rc = xf__head_get_i64_opt(&ld, "head.blend_baseline", XF_BASELINE_LOCAL,
                                   XF__LIM_SEASON_MAX, 0, &v)) != XF_OK)
        goto done;
    if ((v < 0 && v != XF_BASELINE_LOCAL) || (h->blend_share > 0) != (v != 0)) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0,
                      "%s: head.blend_baseline = %lld with head.blend_share = %d: expected %d "
                      "(local), 1 or a period with a share of 1..100, or neither",
                      path, (long long)v, (int)h->blend_share, XF_BASELINE_LOCAL);
        goto done;
    }
    h->blend_base = (int32_t)v;
    if ((rc = xf__head_get_str(&ld, "head.domain", &str)) != XF_OK ||
        (rc = xf_domain_parse(str, &h->domain, err)) != XF_OK)
        goto done;
    if ((rc = xf__head_get_i64(&ld, "head.horizon", 1, XF__LIM_HORIZON_MAX, &H)) != XF_OK)
        goto done;
    h->spec.horizon = (int32_t)H;
    if ((rc = load_groups(&ld, h, XF__HK_AFTER_HORIZON)) != XF_OK)
        goto done;
    if ((rc = xf__head_get_i64(&ld, "head.norm_window", 1, XF__LIM_NORM_WINDOW_MAX, &v)) != XF_OK)
        goto done;
    h->spec.norm_window = (int32_t)v;
    if ((rc = xf__head_get_i64(&ld, "head.log", 0, 1, &v)) != XF_OK)
        goto done;
    h->spec.log_transform = (int32_t)v;
    if ((rc = xf__head_get_i64(&ld, "head.level_last", 0, 1, &v)) != XF_OK)
        goto done;
    h->spec.level_last = (int32_t)v;
    if ((rc = load_groups(&ld, h, XF__HK_AFTER_LEVEL_LAST)) != XF_OK)
        goto done;
    if ((rc = xf__head_get_i64_opt(&ld, "head.baseline", XF_BASELINE_LOCAL, XF__LIM_SEASON_MAX, 0,
                                   &v)) != XF_OK)
        goto done;
    if (v < 0 && v != XF_BASELINE_LOCAL) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0,
                      "%s: head.baseline = %lld: expected %d (local), 0, 1 or a period", path,
                      (long long)v, XF_BASELINE_LOCAL);
        goto done;
    }
    h->spec.baseline = (int32_t)v;
    if ((rc = xf__head_get_i64_opt(&ld, "head.seasonal_scale", 0, 1, 0, &v)) != XF_OK)
        goto done;
    h->spec.scale_mode = (int32_t)v;
    if ((rc = load_groups(&ld, h, XF__HK_AFTER_SEASONAL)) != XF_OK)
        goto done;
    if ((rc = xf__head_get_i64(&ld, "head.season", 1, XF__LIM_SEASON_MAX, &v)) != XF_OK)
        goto done;
    h->season = (int32_t)v;
    if ((rc = xf__head_get_i64_opt(&ld, "head.stride", 1, XF__LIM_STRIDE_MAX, 1, &v)) != XF_OK)
        goto done;
    h->stride = (int32_t)v;
    if ((rc = xf__head_get_i64_opt(&ld, "head.nonneg", 0, 1, 0, &v)) != XF_OK)
        goto done;
    h->nonneg = (int)v;
    /* heads written before adaptive intervals: split */
    if ((rc = xf__head_get_i64_opt(&ld, "head.intervals", XF_INTERVALS_SPLIT, XF_INTERVALS_ACI,
                                   XF_INTERVALS_SPLIT, &v)) != XF_OK)
        goto done;
    h->intervals = (int32_t)v;
    if ((rc = xf__head_get_i64_opt(&ld, "head.symmetric", 0, 1, 0, &v)) != XF_OK)
        goto done;
    h->symmetric = (int32_t)v;
    if ((rc = xf_xfm_get_f64_array(mf, "head.levels", &lev, &n, err)) != XF_OK)
        goto done;
    if (n > XF_MAX_LEVELS) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0, "%s: %zu interval levels (at most %d)", path, n,
                      XF_MAX_LEVELS);
        goto done;
    }
    h->n_levels = n;
    for (i = 0; i < n; i++) {
        if (!(lev[i] > 0 && lev[i] < 100)) {
            rc = xf__fail(err, XF_EFORMAT, 0, 0, "%s: interval level %g", path, lev[i]);
            goto done;
        }
        h->levels[i] = lev[i];
    }
    if ((rc = load_groups(&ld, h, XF__HK_COUNTS)) != XF_OK ||
        (rc = xf__head_get_i64(&ld, "head.n_features", 0, XF__LIM_FEATURES_MAX, &P)) != XF_OK ||
        (rc = load_groups(&ld, h, XF__HK_ITEMS)) != XF_OK)
        goto done;
    /* the recorded width against the groups' widths (the encoders' from
     * their recorded embedding sizes: they are not attached yet) */
    whole = h->spec;
    whole.n_enc = h->n_enc;
    for (i = 0; i < h->n_enc; i++)
        whole.embed[i] = (size_t)h->enc_embed[i];
    if ((int64_t)xf__feat_width(&whole) != P) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0,
                      "%s: %" PRId64 " features recorded, the layout "
                      "implies %" PRId64,
                      path, P, (int64_t)xf__feat_width(&whole));
        goto done;
    }
    h->spec.p = (size_t)P;
    stats_in_file = xf_xfm_find_tensor(mf, "stats.xtx", &i) == XF_OK;
    if ((rc = xf__model_check_head_cost(path, H, P, h->n_levels, stats_in_file, err)) != XF_OK)
        goto done;
    if (!h->zeroshot && ((rc = get_tensor(&ld, "weights", H, P, &h->W)) != XF_OK ||
                         (rc = get_tensor(&ld, "bias", H, 0, &h->b)) != XF_OK ||
                         (rc = get_tensor(&ld, "lambda", H, 0, &h->lambda)) != XF_OK))
        goto done;
    /* the domain prior (a head of before the key: none); its values are
     * checked with the weights' (xf__model_check_head) */
    if (!h->zeroshot) {
        int domain = 0;
        if (xf_xfm_get_str(mf, "head.prior", &str, NULL) == XF_OK) {
            domain = strcmp(str, "domain") == 0;
            if (!domain && strcmp(str, "none") != 0) {
                rc = xf__fail(err, XF_EFORMAT, 0, 0,
                              "%s: head.prior is '%s', not 'none' or 'domain'", path, str);
                goto done;
            }
        }
        if (!domain && xf_xfm_find_tensor(mf, "prior.weights", &i) == XF_OK) {
            rc = xf__fail(err, XF_EFORMAT, 0, 0,
                          "%s: the file has prior tensors but head.prior is not 'domain'", path);
            goto done;
        }
        if (domain && ((rc = get_tensor(&ld, "prior.weights", H, P, &h->prior_w)) != XF_OK ||
                       (rc = get_tensor(&ld, "prior.bias", H, 0, &h->prior_b)) != XF_OK))
            goto done;
    }
    if (h->n_levels > 0 &&
        ((rc = get_tensor(&ld, "interval.lo", (int64_t)h->n_levels, H, &h->q_lo)) != XF_OK ||
         (rc = get_tensor(&ld, "interval.hi", (int64_t)h->n_levels, H, &h->q_hi)) != XF_OK))
        goto done;
    if (!h->zeroshot && stats_in_file && (flags & XF_HEAD_LOAD_NO_STATS)) {
        h->stats_skipped = 1; /* checked by the file's CRC, left unread */
    } else if (!h->zeroshot && stats_in_file) {
        xf__ridge_stats *s = &h->stats;
        s->p = (size_t)P;
        s->q = (size_t)H;
        if ((rc = xf_xfm_get_f64(mf, "stats.n", &s->n, err)) != XF_OK ||
            (rc = get_tensor(&ld, "stats.xtx", P, P, &s->xtx)) != XF_OK ||
            (rc = get_tensor(&ld, "stats.xty", P, H, &s->xty)) != XF_OK ||
            (rc = get_tensor(&ld, "stats.sx", P, 0, &s->sx)) != XF_OK ||
            (rc = get_tensor(&ld, "stats.sy", H, 0, &s->sy)) != XF_OK ||
            (rc = get_tensor(&ld, "stats.yty", H, 0, &s->yty)) != XF_OK)
            goto done;
    }
    if (xf_xfm_find_tensor(mf, "calib.residuals", &i) == XF_OK) {
        const int64_t *d = xf_xfm_tensor_dims(mf, i);
        int64_t cn;
        if (xf_xfm_tensor_n_dims(mf, i) != 2 || d[1] < 1 || d[1] > XF_HEAD_CALIB_MAX) {
            rc = xf__fail(err, XF_EFORMAT, 0, 0,
                          "%s: tensor 'calib.residuals' is not [horizon][1..%d]", path,
                          XF_HEAD_CALIB_MAX);
            goto done;
        }
        if ((rc = xf__head_get_i64(&ld, "calib.n", d[1], INT64_MAX, &cn)) != XF_OK ||
            (rc = get_tensor(&ld, "calib.residuals", H, d[1], &h->calib)) != XF_OK)
            goto done;
        h->calib_m = (size_t)d[1];
        h->calib_n = (size_t)cn;
        for (i = 0; i < (size_t)H * h->calib_m; i++)
            if (!isfinite(h->calib[i]) || (i % h->calib_m > 0 && h->calib[i] < h->calib[i - 1])) {
                rc = xf__fail(err, XF_EFORMAT, 0, 0,
                              "%s: 'calib.residuals' is not finite and sorted per step", path);
                goto done;
            }
    }
    if ((rc = load_recent(&ld, h)) != XF_OK || (rc = xf__model_check_head(h, path, err)) != XF_OK)
        goto done;
    if ((rc = copy_meta(mf, h->meta, 1)) != XF_OK) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    if (h->n_enc == 0) {
        h->attached = 1;
        xf__feat_spec_layout(&h->spec);
    }
    *out = h;
    h = NULL;
    rc = XF_OK;
done:
    xf_head_free(h);
    xf_xfm_free(mf);
    return rc;
}
