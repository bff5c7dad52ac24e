/* head_stats.c - a head fitted in parts: the statistics of a shard of the
 * series (xf_head_stats_fit), their part file (kind "head-stats"), the
 * merge of parts and the solve (head_fit.c does the accumulating and the
 * solving; see head_stats.h for why the sums are compensated).
 *
 * Part file (an .xfm container: magic, version, CRC32C, atomic save):
 *   stats.format u32        layout version (XF_HEAD_STATS_FORMAT)
 *   shard.count i64         N, the shard count the parts were cut with
 *   shard.has i64[]         the shards summed in this file (0-based)
 *   stats.seconds f64       accumulation time, summed over the shards
 *   opt.* / cand.N          resolved settings: a merge compares them
 *   source, data.*          provenance (data.fingerprint: the XOR of the
 *                           series' FNV-1a fingerprints, order-free)
 *   rec.KEY str             the CSV options (head key KEY) the data was read with
 *   fit.note str            the fit's note (short series), when any
 *   head.domain str, head.season i64, head.levels f64[],
 *   head.enc.names str (comma-separated), head.enc.fp/embed/context i64[],
 *   head.covariates str (comma-separated, names without commas)
 *   cN.spec i64[20]         candidate N's features (see spec_pack)
 *   cN.failed i64, cN.why str, cN.n_undef i64
 * tensors, per candidate N with p features and horizon H:
 *   cN.st, cN.sv [2][L] f64 training / held-out statistics, value and
 *                           compensation, L = 1 + p + H + p*p + p*H + H
 *                           (n, sx, sy, X'X, X'Y, diag Y'Y)
 *   cN.xv [nv][p], cN.yv [nv][H], cN.vb [nv][H], cN.vd [nv][VD_COLS]
 *                           (MASE factor, scale, late flag, rolling window,
 *                           first training window, first row of a series):
 *                           the held-out rows, each series' rows together
 *                           in time order
 * Layout 2 added the last three columns of cN.vd (and opt.selection,
 * opt.folds); parts of layout 1 are refused with a message to remake them.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature_groups.h"
#include "head_stats.h"
#include "localmodels.h"
#include "model_check.h"
#include "options_internal.h"

#define STATS_KIND "head-stats"
#define SPEC_LEN (15 + XF_CAL_N)
#define VD_COLS 6 /* columns of cN.vd */

/* ------------------------------------------------------------ compensated sums */

int xf__csum_init(xf__csum_stats *c, size_t p, size_t q)
{
    if (xf__ridge_stats_init(&c->hi, p, q) != XF_OK ||
        xf__ridge_stats_init(&c->lo, p, q) != XF_OK) {
        xf__csum_free(c);
        return XF_ENOMEM;
    }
    return XF_OK;
}

void xf__csum_free(xf__csum_stats *c)
{
    xf__ridge_stats_free(&c->hi);
    xf__ridge_stats_free(&c->lo);
}

static void csum_arr(double *hi, double *lo, const double *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        xf__csum1(&hi[i], &lo[i], x[i]);
}

void xf__csum_add(xf__csum_stats *c, const xf__ridge_stats *x)
{
    size_t i, p = x->p, q = x->q;
    for (i = 0; i < p; i++) /* the upper triangle, row i from column i */
        csum_arr(c->hi.xtx + i * p + i, c->lo.xtx + i * p + i, x->xtx + i * p + i, p - i);
    csum_arr(c->hi.xty, c->lo.xty, x->xty, p * q);
    csum_arr(c->hi.sx, c->lo.sx, x->sx, p);
    csum_arr(c->hi.sy, c->lo.sy, x->sy, q);
    csum_arr(c->hi.yty, c->lo.yty, x->yty, q);
    xf__csum1(&c->hi.n, &c->lo.n, x->n);
}

void xf__csum_merge(xf__csum_stats *c, const xf__csum_stats *o)
{
    xf__csum_add(c, &o->hi);
    xf__ridge_stats_merge(&c->lo, &o->lo);
}

int xf__csum_round(const xf__csum_stats *c, xf__ridge_stats *out)
{
    size_t i, p = c->hi.p, q = c->hi.q;
    if (xf__ridge_stats_init(out, p, q) != XF_OK)
        return XF_ENOMEM;
    for (i = 0; i < p * p; i++)
        out->xtx[i] = c->hi.xtx[i] + c->lo.xtx[i];
    for (i = 0; i < p * q; i++)
        out->xty[i] = c->hi.xty[i] + c->lo.xty[i];
    for (i = 0; i < p; i++)
        out->sx[i] = c->hi.sx[i] + c->lo.sx[i];
    for (i = 0; i < q; i++) {
        out->sy[i] = c->hi.sy[i] + c->lo.sy[i];
        out->yty[i] = c->hi.yty[i] + c->lo.yty[i];
    }
    out->n = c->hi.n + c->lo.n;
    return XF_OK;
}

/* ------------------------------------------------------------ handles */

int xf__head_stats_new(int32_t n_shards, xf_head_stats **out, xf_error *err)
{
    xf_head_stats *s = calloc(1, sizeof *s);
    *out = NULL;
    if (s == NULL || (s->has = calloc((size_t)n_shards, 1)) == NULL ||
        xf_xfm_new(STATS_KIND, &s->info) != XF_OK) {
        xf_head_stats_free(s);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    s->n_shards = n_shards;
    *out = s;
    return XF_OK;
}

void xf__cand_stats_free(xf__cand_stats *c)
{
    xf__csum_free(&c->st);
    xf__csum_free(&c->sv);
    free(c->XV);
    free(c->YV);
    free(c->VB);
    free(c->VD);
    free(c->VS);
    free(c->late);
    free(c->fold);
    free(c->from);
    free(c->first);
    free(c->vser);
    free(c->vorg);
    free(c->W0);
    free(c->b0);
    memset(c, 0, sizeof *c);
}

void xf_head_stats_free(xf_head_stats *s)
{
    size_t c;
    if (s == NULL)
        return;
    xf_head_free(s->h);
    for (c = 0; c < XF_HEAD_MAX_CANDIDATES; c++)
        xf__cand_stats_free(&s->cand[c]);
    free(s->has);
    xf_xfm_free(s->info);
    free(s);
}

int32_t xf_head_stats_n_shards(const xf_head_stats *s)
{
    return s->n_shards;
}

int xf_head_stats_has_shard(const xf_head_stats *s, int32_t i)
{
    return i >= 0 && i < s->n_shards && s->has[i];
}

int64_t xf_head_stats_n_series(const xf_head_stats *s)
{
    int64_t v = 0;
    xf_xfm_get_i64(s->info, "data.series", &v, NULL);
    return v;
}

const struct xf_xfm *xf_head_stats_meta(const xf_head_stats *s)
{
    return s->info;
}

/* ------------------------------------------------------------ provenance */

/* Provenance of the shard's series: as xf__head_record_provenance, with an
 * order-free fingerprint (the XOR of each series' FNV-1a of id and values). */
static void part_provenance(xf_head_stats *hs, const xf_panel *panel, int32_t shard,
                            int32_t n_shards, const char *source)
{
    size_t i, j, rows = 0, series = 0, len = 0;
    xf_time t0 = INT64_MAX, t1 = INT64_MIN;
    uint64_t fp = 0;
    char buf[32], cols[1024] = "";
    for (i = 0; i < xf_panel_n_series(panel); i++) {
        size_t n = xf_panel_series_length(panel, i);
        const xf_time *t = xf_panel_series_times(panel, i);
        const char *id = xf_panel_series_id(panel, i), *c = xf_panel_series_column(panel, i);
        uint64_t f = XF__FNV_OFFSET;
        int seen = 0;
        if (!xf__in_shard(id, shard, n_shards))
            continue;
        series++;
        rows += n;
        f = xf__fnv1a(f, id, strlen(id) + 1);
        fp ^= xf__fnv1a(f, xf_panel_series_values(panel, i), n * sizeof(double));
        if (t != NULL) {
            if (t[0] < t0)
                t0 = t[0];
            if (t[n - 1] > t1)
                t1 = t[n - 1];
        }
        if (c == NULL)
            continue;
        for (j = 0; j < i && !seen; j++)
            seen = xf_panel_series_column(panel, j) != NULL &&
                   xf__in_shard(xf_panel_series_id(panel, j), shard, n_shards) &&
                   strcmp(xf_panel_series_column(panel, j), c) == 0;
        if (!seen && len + strlen(c) + 2 < sizeof cols)
            len += (size_t)snprintf(cols + len, sizeof cols - len, "%s%s", len ? "," : "", c);
    }
    xf_xfm_set_str(hs->info, "source", source != NULL ? source : "");
    xf_xfm_set_str(hs->info, "data.columns", cols);
    xf_xfm_set_i64(hs->info, "data.series", (int64_t)series);
    xf_xfm_set_i64(hs->info, "data.rows", (int64_t)rows);
    if (t0 != INT64_MAX) {
        xf_xfm_set_i64(hs->info, "data.start", t0);
        xf_xfm_set_i64(hs->info, "data.end", t1);
    }
    snprintf(buf, sizeof buf, "%016llx", (unsigned long long)fp);
    xf_xfm_set_str(hs->info, "data.fingerprint", buf);
}

void xf__head_stats_provenance(const xf_head_stats *hs, xf_xfm *meta)
{
    static const char *const keys[] = {"source",     "data.columns", "data.series",     "data.rows",
                                       "data.start", "data.end",     "data.fingerprint"};
    size_t i;
    char date[40];
    for (i = 0; i < sizeof keys / sizeof *keys; i++) {
        const char *sv;
        int64_t v;
        if (xf_xfm_get_str(hs->info, keys[i], &sv, NULL) == XF_OK)
            xf_xfm_set_str(meta, keys[i], sv);
        else if (xf_xfm_get_i64(hs->info, keys[i], &v, NULL) == XF_OK)
            xf_xfm_set_i64(meta, keys[i], v);
    }
    xf_time_format((xf_time)time(NULL) * 1000000, 0, date, sizeof date);
    xf_xfm_set_str(meta, "fit.date", date);
}

/* ------------------------------------------------------------ fit */

int xf_head_stats_fit(const xf_panel *panel, xf_encoder *const *encs, size_t n_enc,
                      const xf_head_options *opts, int32_t shard, int32_t n_shards,
                      xf_head_stats **out, xf_error *err)
{
    xf_head_stats *hs = NULL;
    xf_head_options o;
    int rc;
    *out = NULL;
    if (n_shards < 1 || n_shards > XF_HEAD_STATS_MAX_SHARDS || shard < 0 || shard >= n_shards)
        return xf__fail(err, XF_EINVAL, 0, 0, "shard %d of %d: shards are 0..N-1, N in 1..%d",
                        (int)shard, (int)n_shards, XF_HEAD_STATS_MAX_SHARDS);
    if ((rc = xf__head_stats_new(n_shards, &hs, err)) != XF_OK)
        return rc;
    /* two accumulations at least (n_shards 1 is a part too: the sharded
     * origin checks apply, the single fit's messages are xf_head_fit's) */
    rc = xf__head_stats_accumulate(panel, encs, n_enc, opts, shard, n_shards, hs, &o, err);
    if (rc != XF_OK) {
        xf_head_stats_free(hs);
        return rc;
    }
    hs->has[shard] = 1;
    part_provenance(hs, panel, shard, n_shards, o.source);
    if (xf__xfm_set_failed(hs->info)) {
        xf_head_stats_free(hs);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    *out = hs;
    return XF_OK;
}

int xf_head_stats_record_csv_options(xf_head_stats *s, const xf_csv_options *opts,
                                     const xf_dataset *ds, xf_error *err)
{
    xf_xfm *keep = s->h->meta, *tmp = NULL;
    size_t i;
    int rc;
    if (xf_xfm_new("head", &tmp) != XF_OK)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    s->h->meta = tmp;
    rc = xf_head_record_csv_options(s->h, opts, ds, err);
    s->h->meta = keep;
    for (i = 0; rc == XF_OK && i < xf_xfm_n_meta(tmp); i++) {
        const char *k = xf_xfm_meta_key(tmp, i), *v;
        char key[128];
        if (xf_xfm_get_str(tmp, k, &v, NULL) != XF_OK)
            continue;
        snprintf(key, sizeof key, "rec.%s", k);
        if (xf_xfm_set_str(s->info, key, v) != XF_OK)
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    xf_xfm_free(tmp);
    return rc;
}

/* ------------------------------------------------------------ the file */

static void spec_pack(const xf__feat_spec *s, int64_t *v)
{
    size_t i, k = 0;
    v[k++] = s->horizon;
    v[k++] = s->n_lags;
    v[k++] = s->norm_window;
    v[k++] = s->log_transform;
    v[k++] = s->level_last;
    for (i = 0; i < XF_CAL_N; i++)
        v[k++] = s->n_harm[i];
    v[k++] = s->history;
    v[k++] = s->scale_mode;
    v[k++] = s->baseline;
    v[k++] = (int64_t)s->n_enc;
    v[k++] = (int64_t)s->n_cov;
    v[k++] = s->holiday_days;
    v[k++] = s->local_features;
    v[k++] = s->local_period[0];
    v[k++] = s->local_period[1];
    v[k++] = (int64_t)s->p; /* last */
}

static size_t stats_len(size_t p, size_t q)
{
    return 1 + p + q + p * p + p * q + q;
}

static void stats_pack(const xf__ridge_stats *s, double *v)
{
    size_t p = s->p, q = s->q, k = 0;
    v[k++] = s->n;
    memcpy(v + k, s->sx, p * sizeof *v), k += p;
    memcpy(v + k, s->sy, q * sizeof *v), k += q;
    memcpy(v + k, s->xtx, p * p * sizeof *v), k += p * p;
    memcpy(v + k, s->xty, p * q * sizeof *v), k += p * q;
    memcpy(v + k, s->yty, q * sizeof *v);
}

static void stats_unpack(xf__ridge_stats *s, const double *v)
{
    size_t p = s->p, q = s->q, k = 0;
    s->n = v[k++];
    memcpy(s->sx, v + k, p * sizeof *v), k += p;
    memcpy(s->sy, v + k, q * sizeof *v), k += q;
    memcpy(s->xtx, v + k, p * p * sizeof *v), k += p * p;
    memcpy(s->xty, v + k, p * q * sizeof *v), k += p * q;
    memcpy(s->yty, v + k, q * sizeof *v);
}

static int copy_key(const xf_xfm *src, size_t i, xf_xfm *dst)
{
    const char *k = xf_xfm_meta_key(src, i), *sv;
    const int64_t *ia;
    const double *fa;
    int64_t iv;
    double fv;
    uint32_t uv;
    size_t n;
    switch (xf_xfm_meta_type(src, i)) {
    case XF_XFM_TYPE_U32:
        xf_xfm_get_u32(src, k, &uv, NULL);
        return xf_xfm_set_u32(dst, k, uv);
    case XF_XFM_TYPE_I64:
        xf_xfm_get_i64(src, k, &iv, NULL);
        return xf_xfm_set_i64(dst, k, iv);
    case XF_XFM_TYPE_F64:
        xf_xfm_get_f64(src, k, &fv, NULL);
        return xf_xfm_set_f64(dst, k, fv);
    case XF_XFM_TYPE_STR:
        xf_xfm_get_str(src, k, &sv, NULL);
        return xf_xfm_set_str(dst, k, sv);
    case XF_XFM_TYPE_I64_ARRAY:
        xf_xfm_get_i64_array(src, k, &ia, &n, NULL);
        return xf_xfm_set_i64_array(dst, k, ia, n);
    case XF_XFM_TYPE_F64_ARRAY:
        xf_xfm_get_f64_array(src, k, &fa, &n, NULL);
        return xf_xfm_set_f64_array(dst, k, fa, n);
    }
    return XF_EINVAL;
}

/* Keys of the settings and provenance a part carries (copied both ways). */
static int info_key(const char *k)
{
    return strncmp(k, "opt.", 4) == 0 || strncmp(k, "cand.", 5) == 0 ||
           strncmp(k, "data.", 5) == 0 || strncmp(k, "rec.", 4) == 0 || strcmp(k, "source") == 0;
}

static int add_f64(xf_xfm *mf, const char *name, int64_t d0, int64_t d1, const double *v)
{
    int64_t dims[2] = {d0, d1};
    return xf_xfm_add_tensor_f64(mf, name, 2, dims, v);
}

int xf_head_stats_save(const xf_head_stats *s, const char *path, xf_error *err)
{
    xf_xfm *mf = NULL;
    const xf_head *h = s->h;
    int64_t *has = NULL, v[SPEC_LEN], fp[XF_MAX_ENCODERS], emb[XF_MAX_ENCODERS],
            ctx[XF_MAX_ENCODERS];
    size_t i, n = 0, c, len;
    char names[XF_MAX_ENCODERS * 66] = "", *covs = NULL, key[64];
    double *buf = NULL;
    int rc = XF_OK;
    if (xf_xfm_new(STATS_KIND, &mf) != XF_OK ||
        (has = xf__malloc_array((size_t)s->n_shards, sizeof *has)) == NULL)
        goto oom;
    for (i = 0; i < (size_t)s->n_shards; i++)
        if (s->has[i])
            has[n++] = (int64_t)i;
    xf_xfm_set_u32(mf, "stats.format", XF_HEAD_STATS_FORMAT);
    xf_xfm_set_i64(mf, "shard.count", s->n_shards);
    xf_xfm_set_i64_array(mf, "shard.has", has, n);
    xf_xfm_set_f64(mf, "stats.seconds", s->seconds);
    for (i = 0; i < xf_xfm_n_meta(s->info); i++)
        if (info_key(xf_xfm_meta_key(s->info, i)) && copy_key(s->info, i, mf) != XF_OK)
            goto oom;
    {
        const char *note;
        if (xf_xfm_get_str(h->meta, "fit.note", &note, NULL) == XF_OK)
            xf_xfm_set_str(mf, "fit.note", note);
    }
    xf_xfm_set_str(mf, "head.domain", xf_domain_name(h->domain));
    xf_xfm_set_i64(mf, "head.season", h->season);
    xf_xfm_set_f64_array(mf, "head.levels", h->levels, h->n_levels);
    for (i = 0, len = 0; i < h->n_enc; i++) {
        len +=
            (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? "," : "", h->enc_name[i]);
        fp[i] = (int64_t)h->enc_fp[i];
        emb[i] = h->enc_embed[i];
        ctx[i] = h->enc_context[i];
    }
    xf_xfm_set_str(mf, "head.enc.names", names);
    xf_xfm_set_i64_array(mf, "head.enc.fp", fp, h->n_enc);
    xf_xfm_set_i64_array(mf, "head.enc.embed", emb, h->n_enc);
    xf_xfm_set_i64_array(mf, "head.enc.context", ctx, h->n_enc);
    for (i = 0, len = 1; i < h->spec.n_cov; i++)
        len += strlen(h->cov_names[i]) + 1;
    if ((covs = malloc(len)) == NULL)
        goto oom;
    covs[0] = '\0';
    for (i = 0; i < h->spec.n_cov; i++) {
        if (i)
            strcat(covs, ",");
        strcat(covs, h->cov_names[i]);
    }
    xf_xfm_set_str(mf, "head.covariates", covs);
    for (c = 0; c < s->n_cand; c++) {
        const xf__cand_stats *cs = &s->cand[c];
        size_t p = cs->spec.p, H = (size_t)cs->spec.horizon, L = stats_len(p, H), set;
        spec_pack(&cs->spec, v);
        snprintf(key, sizeof key, "c%zu.spec", c);
        xf_xfm_set_i64_array(mf, key, v, SPEC_LEN);
        snprintf(key, sizeof key, "c%zu.failed", c);
        xf_xfm_set_i64(mf, key, cs->failed);
        snprintf(key, sizeof key, "c%zu.why", c);
        xf_xfm_set_str(mf, key, cs->why);
        snprintf(key, sizeof key, "c%zu.n_undef", c);
        xf_xfm_set_i64(mf, key, (int64_t)cs->n_undef);
        if (cs->failed)
            continue;
        free(buf);
        if ((buf = xf__malloc_array(2 * L > VD_COLS * cs->nv ? 2 * L : VD_COLS * cs->nv,
                                    sizeof *buf)) == NULL)
            goto oom;
        for (set = 0; set < 2; set++) {
            const xf__csum_stats *cst = set ? &cs->sv : &cs->st;
            stats_pack(&cst->hi, buf);
            stats_pack(&cst->lo, buf + L);
            snprintf(key, sizeof key, "c%zu.%s", c, set ? "sv" : "st");
            if ((rc = add_f64(mf, key, 2, (int64_t)L, buf)) != XF_OK)
                goto fail;
        }
        for (i = 0; i < cs->nv; i++) {
            double *r = buf + VD_COLS * i;
            r[0] = cs->VD[i];
            r[1] = cs->VS[i];
            r[2] = cs->late[i];
            r[3] = cs->fold[i];
            r[4] = cs->from[i];
            r[5] = cs->first[i];
        }
        snprintf(key, sizeof key, "c%zu.xv", c);
        if ((rc = add_f64(mf, key, (int64_t)cs->nv, (int64_t)p, cs->XV)) != XF_OK)
            goto fail;
        snprintf(key, sizeof key, "c%zu.yv", c);
        if ((rc = add_f64(mf, key, (int64_t)cs->nv, (int64_t)H, cs->YV)) != XF_OK)
            goto fail;
        snprintf(key, sizeof key, "c%zu.vb", c);
        if ((rc = add_f64(mf, key, (int64_t)cs->nv, (int64_t)H, cs->VB)) != XF_OK)
            goto fail;
        snprintf(key, sizeof key, "c%zu.vd", c);
        if ((rc = add_f64(mf, key, (int64_t)cs->nv, VD_COLS, buf)) != XF_OK)
            goto fail;
    }
    if (xf__xfm_set_failed(mf))
        goto oom;
    rc = xf_xfm_save(mf, path, err);
    goto done;
oom:
    rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    goto done;
fail:
    rc = xf__fail(err, rc, 0, 0, "%s: cannot build the part (%s)", path, xf_strerror(rc));
done:
    free(has);
    free(covs);
    free(buf);
    xf_xfm_free(mf);
    return rc;
}

typedef struct ld_ctx {
    const xf_xfm *mf;
    const char *path;
    xf_error *err;
} ld_ctx;

static int bad(ld_ctx *l, const char *what)
{
    return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: not a valid head-stats part: %s", l->path, what);
}

static int get_i64(ld_ctx *l, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    if (xf_xfm_get_i64(l->mf, key, out, NULL) != XF_OK)
        return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: key '%s' is missing", l->path, key);
    if (*out < lo || *out > hi)
        return xf__fail(l->err, XF_EFORMAT, 0, 0,
                        "%s: key '%s' is %" PRId64 ", not in %" PRId64 "..%" PRId64, l->path, key,
                        *out, lo, hi);
    return XF_OK;
}

/* A finite f64 tensor of exactly [d0][d1] (d0 may be 0: absent allowed). */
static int get_tensor(ld_ctx *l, const char *name, size_t d0, size_t d1, const double **out)
{
    size_t i, k;
    const int64_t *d;
    const double *v;
    *out = NULL;
    if (xf_xfm_find_tensor(l->mf, name, &i) != XF_OK) {
        if (d0 == 0)
            return XF_OK;
        return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: tensor '%s' is missing", l->path, name);
    }
    d = xf_xfm_tensor_dims(l->mf, i);
    if (xf_xfm_tensor_dtype(l->mf, i) != XF_XFM_DTYPE_F64 || xf_xfm_tensor_n_dims(l->mf, i) != 2 ||
        d[0] != (int64_t)d0 || d[1] != (int64_t)d1)
        return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: tensor '%s' is not f64 [%zu][%zu]", l->path,
                        name, d0, d1);
    v = xf_xfm_tensor_data(l->mf, i);
    for (k = 0; k < d0 * d1; k++)
        if (!isfinite(v[k]))
            return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: tensor '%s' element %zu is not finite",
                            l->path, name, k);
    *out = v;
    return XF_OK;
}

/* Offsets and width of a spec whose encoders are not attached (embed[]
 * from the file). */
static void layout_detached(xf__feat_spec *s)
{
    size_t off = 0;
    int g;
    for (g = 0; g < XF__FG_N; g++) {
        s->off[g] = off;
        off += xf__feat_groups[g].width(s);
    }
    s->p = off;
}

static int load_spec(ld_ctx *l, const xf_head *h, size_t c, xf__feat_spec *s)
{
    const int64_t *v;
    size_t n, i, k = 0;
    char key[32];
    snprintf(key, sizeof key, "c%zu.spec", c);
    if (xf_xfm_get_i64_array(l->mf, key, &v, &n, NULL) != XF_OK || n != SPEC_LEN)
        return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: key '%s' is missing or not %d integers",
                        l->path, key, SPEC_LEN);
    memset(s, 0, sizeof *s);
#define TAKE(field, lo, hi)                                                                        \
    do {                                                                                           \
        if (v[k] < (lo) || v[k] > (hi))                                                            \
            return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: '%s' item %zu is %" PRId64, l->path,    \
                            key, k, v[k]);                                                         \
        s->field = v[k++];                                                                         \
    } while (0)
    TAKE(horizon, 1, XF__LIM_HORIZON_MAX);
    TAKE(n_lags, 0, XF__LIM_LAGS_MAX);
    TAKE(norm_window, 1, XF__LIM_NORM_WINDOW_MAX);
    TAKE(log_transform, 0, 1);
    TAKE(level_last, 0, 1);
    for (i = 0; i < XF_CAL_N; i++)
        TAKE(n_harm[i], 0, 1000);
    TAKE(history, 0, 1);
    TAKE(scale_mode, 0, 1);
    TAKE(baseline, XF_BASELINE_LOCAL, XF__LIM_SEASON_MAX);
    if (s->baseline < 0 && s->baseline != XF_BASELINE_LOCAL)
        return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: '%s': baseline %d", l->path, key,
                        (int)s->baseline);
    TAKE(n_enc, 0, (int64_t)h->n_enc);
    TAKE(n_cov, 0, (int64_t)h->spec.n_cov);
    TAKE(holiday_days, 0, XF__LIM_HORIZON_MAX + 2);
    TAKE(local_features, 0, 1);
    TAKE(local_period[0], 0, XF__LM_FIT_WINDOW / XF__LM_WIN_CYCLES);
    TAKE(local_period[1], 0, XF__LM_FIT_WINDOW / XF__LM_WIN_CYCLES);
    TAKE(p, 1, XF__LIM_FEATURES_MAX);
#undef TAKE
    if (s->local_period[0] == 1 || s->local_period[1] == 1)
        return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: '%s': a local period of 1", l->path, key);
    for (i = 0; i < s->n_enc; i++)
        s->embed[i] = (size_t)h->enc_embed[i];
    n = s->p;
    layout_detached(s);
    if (s->p != n)
        return xf__fail(l->err, XF_EFORMAT, 0, 0, "%s: '%s' says %zu features, its layout %zu",
                        l->path, key, n, s->p);
    for (i = 0; i < s->n_enc; i++)
        if (h->enc_context[i] > s->max_context)
            s->max_context = (int32_t)h->enc_context[i];
    return XF_OK;
}

static int load_head(ld_ctx *l, xf_head *h)
{
    const char *str;
    const double *lev;
    const int64_t *fp, *emb, *ctx;
    size_t n, i, n_fp, n_emb, n_ctx;
    int64_t v;
    int rc;
    if (xf_xfm_get_str(l->mf, "head.domain", &str, NULL) != XF_OK ||
        xf_domain_parse(str, &h->domain, NULL) != XF_OK)
        return bad(l, "head.domain is missing or unknown");
    if ((rc = get_i64(l, "head.season", 1, XF__LIM_SEASON_MAX, &v)) != XF_OK)
        return rc;
    h->season = (int32_t)v;
    if (xf_xfm_get_f64_array(l->mf, "head.levels", &lev, &n, NULL) != XF_OK || n > XF_MAX_LEVELS)
        return bad(l, "head.levels is missing or too long");
    for (i = 0; i < n; i++) {
        if (!(lev[i] > 0 && lev[i] < 100))
            return bad(l, "an interval level is not in (0, 100)");
        h->levels[i] = lev[i];
    }
    h->n_levels = n;
    if (xf_xfm_get_str(l->mf, "head.enc.names", &str, NULL) != XF_OK ||
        xf_xfm_get_i64_array(l->mf, "head.enc.fp", &fp, &n_fp, NULL) != XF_OK ||
        xf_xfm_get_i64_array(l->mf, "head.enc.embed", &emb, &n_emb, NULL) != XF_OK ||
        xf_xfm_get_i64_array(l->mf, "head.enc.context", &ctx, &n_ctx, NULL) != XF_OK ||
        n_fp > XF_MAX_ENCODERS || n_emb != n_fp || n_ctx != n_fp)
        return bad(l, "the encoders (head.enc.*) are missing or inconsistent");
    h->n_enc = n_fp;
    for (i = 0; i < n_fp; i++) {
        size_t len = strcspn(str, ",");
        if (len == 0 || len >= sizeof h->enc_name[i] || emb[i] < 1 ||
            emb[i] > XF__LIM_ENC_SIZE_MAX || ctx[i] < 1 || ctx[i] > XF__LIM_ENC_SIZE_MAX)
            return bad(l, "an encoder's name, embedding size or context is out of range");
        memcpy(h->enc_name[i], str, len);
        h->enc_name[i][len] = '\0';
        if (!xf__model_encoder_name_ok(h->enc_name[i]))
            return bad(l, "an encoder name is not a plain name");
        str += len + (str[len] == ',');
        h->enc_fp[i] = (uint64_t)fp[i];
        h->enc_embed[i] = emb[i];
        h->enc_context[i] = ctx[i];
    }
    if (*str != '\0')
        return bad(l, "head.enc.names lists more encoders than head.enc.fp");
    h->attached = h->n_enc == 0;
    if (xf_xfm_get_str(l->mf, "head.covariates", &str, NULL) != XF_OK)
        return bad(l, "head.covariates is missing");
    for (n = 0, i = 0; str[0] != '\0' && str[i] != '\0'; i++)
        n += str[i] == ',';
    n += str[0] != '\0';
    if (n > XF__LIM_COVARIATES_MAX)
        return bad(l, "too many covariates");
    h->spec.n_cov = n;
    if (n > 0) {
        if ((h->cov_names = calloc(n, sizeof *h->cov_names)) == NULL)
            return xf__fail(l->err, XF_ENOMEM, 0, 0, "out of memory");
        for (i = 0; i < n; i++) {
            size_t len = strcspn(str, ",");
            if ((h->cov_names[i] = xf__strndup(str, len)) == NULL)
                return xf__fail(l->err, XF_ENOMEM, 0, 0, "out of memory");
            str += len + (str[len] == ',');
        }
    }
    if (xf_xfm_get_str(l->mf, "fit.note", &str, NULL) == XF_OK)
        xf_xfm_set_str(h->meta, "fit.note", str);
    return XF_OK;
}

static int load_cand(ld_ctx *l, xf_head_stats *s, size_t c)
{
    xf__cand_stats *cs = &s->cand[c];
    const double *st, *sv, *xv, *yv, *vb, *vd;
    size_t p, H, L, i, nv = 0, k;
    int64_t v;
    const char *why;
    char key[32];
    int rc;
    if ((rc = load_spec(l, s->h, c, &cs->spec)) != XF_OK)
        return rc;
    p = cs->spec.p;
    H = (size_t)cs->spec.horizon;
    if ((rc = xf__model_check_head_cost(l->path, (int64_t)H, (int64_t)p, s->h->n_levels, 1,
                                        l->err)) != XF_OK)
        return rc;
    snprintf(key, sizeof key, "c%zu.failed", c);
    if ((rc = get_i64(l, key, 0, 1, &v)) != XF_OK)
        return rc;
    cs->failed = (int)v;
    snprintf(key, sizeof key, "c%zu.why", c);
    if (xf_xfm_get_str(l->mf, key, &why, NULL) == XF_OK)
        snprintf(cs->why, sizeof cs->why, "%s", why);
    snprintf(key, sizeof key, "c%zu.n_undef", c);
    if ((rc = get_i64(l, key, 0, INT64_MAX, &v)) != XF_OK)
        return rc;
    cs->n_undef = (size_t)v;
    if (cs->failed)
        return XF_OK;
    L = stats_len(p, H);
    snprintf(key, sizeof key, "c%zu.xv", c);
    if (xf_xfm_find_tensor(l->mf, key, &i) == XF_OK && xf_xfm_tensor_n_dims(l->mf, i) == 2 &&
        xf_xfm_tensor_dims(l->mf, i)[0] >= 0)
        nv = (size_t)xf_xfm_tensor_dims(l->mf, i)[0];
    if (cs->n_undef > nv)
        return bad(l, "more held-out origins without a MASE scale than held-out origins");
    snprintf(key, sizeof key, "c%zu.st", c);
    if ((rc = get_tensor(l, key, 2, L, &st)) != XF_OK)
        return rc;
    snprintf(key, sizeof key, "c%zu.sv", c);
    if ((rc = get_tensor(l, key, 2, L, &sv)) != XF_OK)
        return rc;
    snprintf(key, sizeof key, "c%zu.xv", c);
    if ((rc = get_tensor(l, key, nv, p, &xv)) != XF_OK)
        return rc;
    snprintf(key, sizeof key, "c%zu.yv", c);
    if ((rc = get_tensor(l, key, nv, H, &yv)) != XF_OK)
        return rc;
    snprintf(key, sizeof key, "c%zu.vb", c);
    if ((rc = get_tensor(l, key, nv, H, &vb)) != XF_OK)
        return rc;
    snprintf(key, sizeof key, "c%zu.vd", c);
    if ((rc = get_tensor(l, key, nv, VD_COLS, &vd)) != XF_OK)
        return rc;
    if (st[0] < 0 || sv[0] < 0 || st[0] != floor(st[0]) || sv[0] != floor(sv[0]))
        return bad(l, "a row count is not a whole number >= 0");
    for (i = 0; i < nv; i++) {
        const double *r = vd + VD_COLS * i;
        if (!(r[0] >= 0) || !(r[1] > 0) || (r[2] != 0 && r[2] != 1))
            return bad(l, "a held-out origin's MASE factor, scale or late flag is out of range");
        /* windows: a whole number below the count; the first training
         * window after it, at most the count; a series starts at row 0, and
         * its windows never go back */
        if (!(r[3] >= 0 && r[3] < XF_HEAD_SELECT_FOLDS) || r[3] != floor(r[3]) ||
            !(r[4] > r[3] && r[4] <= XF_HEAD_SELECT_FOLDS) || r[4] != floor(r[4]) ||
            (r[5] != 0 && r[5] != 1) || (i == 0 && r[5] != 1) ||
            (i > 0 && r[5] == 0 && (r[3] < r[3 - VD_COLS] || r[4] < r[4 - VD_COLS])))
            return bad(l, "a held-out origin's rolling window is out of range or out of order");
    }
    if (xf__csum_init(&cs->st, p, H) != XF_OK || xf__csum_init(&cs->sv, p, H) != XF_OK)
        return xf__fail(l->err, XF_ENOMEM, 0, 0, "out of memory");
    stats_unpack(&cs->st.hi, st);
    stats_unpack(&cs->st.lo, st + L);
    stats_unpack(&cs->sv.hi, sv);
    stats_unpack(&cs->sv.lo, sv + L);
    k = nv ? nv : 1;
    cs->XV = xf__malloc_array(k * p, sizeof *cs->XV);
    cs->YV = xf__malloc_array(k * H, sizeof *cs->YV);
    cs->VB = xf__malloc_array(k * H, sizeof *cs->VB);
    cs->VD = malloc(k * sizeof *cs->VD);
    cs->VS = malloc(k * sizeof *cs->VS);
    cs->late = malloc(k);
    cs->fold = malloc(k);
    cs->from = malloc(k);
    cs->first = malloc(k);
    if (!cs->XV || !cs->YV || !cs->VB || !cs->VD || !cs->VS || !cs->late || !cs->fold ||
        !cs->from || !cs->first)
        return xf__fail(l->err, XF_ENOMEM, 0, 0, "out of memory");
    cs->nv = cs->cap = nv;
    if (nv > 0) {
        memcpy(cs->XV, xv, nv * p * sizeof *xv);
        memcpy(cs->YV, yv, nv * H * sizeof *yv);
        memcpy(cs->VB, vb, nv * H * sizeof *vb);
    }
    for (i = 0; i < nv; i++) {
        const double *r = vd + VD_COLS * i;
        cs->VD[i] = r[0];
        cs->VS[i] = r[1];
        cs->late[i] = (unsigned char)r[2];
        cs->fold[i] = (unsigned char)r[3];
        cs->from[i] = (unsigned char)r[4];
        cs->first[i] = (unsigned char)r[5];
    }
    return XF_OK;
}

int xf_head_stats_load(const char *path, xf_head_stats **out, xf_error *err)
{
    xf_xfm *mf = NULL;
    xf_head_stats *s = NULL;
    ld_ctx l;
    uint32_t fmt;
    const int64_t *has;
    size_t n, i;
    int64_t v, n_shards;
    int rc;
    *out = NULL;
    if ((rc = xf_xfm_load(path, &mf, err)) != XF_OK)
        return rc;
    l.mf = mf;
    l.path = path;
    l.err = err;
    if (strcmp(xf_xfm_kind(mf), STATS_KIND) != 0) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0, "%s is a '%s' file, not a head-stats part", path,
                      xf_xfm_kind(mf));
        goto done;
    }
    if (xf_xfm_get_u32(mf, "stats.format", &fmt, NULL) == XF_OK && fmt >= 1 &&
        fmt < XF_HEAD_STATS_FORMAT) {
        /* layout 1 lacks the held-out rows' rolling windows: its parts
         * cannot be merged with this build's, nor solved alike */
        rc = xf__fail(err, XF_EFORMAT, 0, 0,
                      "%s: a head-stats part of layout %u, written by an older xfcast; this "
                      "build reads layout %d (the held-out rows' rolling windows): rerun "
                      "`xfcast fit --shard I/N --stats-out` for every part",
                      path, (unsigned)fmt, XF_HEAD_STATS_FORMAT);
        goto done;
    }
    if (xf_xfm_get_u32(mf, "stats.format", &fmt, NULL) != XF_OK || fmt != XF_HEAD_STATS_FORMAT) {
        rc = xf__fail(err, XF_EFORMAT, 0, 0,
                      "%s: head-stats layout version missing or unknown; this build reads %d", path,
                      XF_HEAD_STATS_FORMAT);
        goto done;
    }
    if ((rc = get_i64(&l, "shard.count", 1, XF_HEAD_STATS_MAX_SHARDS, &n_shards)) != XF_OK)
        goto done;
    if ((rc = xf__head_stats_new((int32_t)n_shards, &s, err)) != XF_OK)
        goto done;
    if (xf_xfm_get_i64_array(mf, "shard.has", &has, &n, NULL) != XF_OK || n < 1 ||
        n > (size_t)n_shards) {
        rc = bad(&l, "shard.has is missing or has a wrong length");
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (has[i] < 0 || has[i] >= n_shards || s->has[has[i]]) {
            rc = bad(&l, "shard.has names a shard out of range or twice");
            goto done;
        }
        s->has[has[i]] = 1;
    }
    if (xf_xfm_get_f64(mf, "stats.seconds", &s->seconds, NULL) != XF_OK || !(s->seconds >= 0)) {
        rc = bad(&l, "stats.seconds is missing or negative");
        goto done;
    }
    if ((rc = get_i64(&l, "opt.stride", 1, XF__LIM_STRIDE_MAX, &v)) != XF_OK)
        goto done;
    s->stride = (int32_t)v;
    if ((rc = get_i64(&l, "opt.select", XF_SELECT_MASE, XF_SELECT_MSE, &v)) != XF_OK)
        goto done;
    s->select = (int32_t)v;
    if ((rc = get_i64(&l, "opt.penalty_per_step", 0, 1, &v)) != XF_OK)
        goto done;
    s->per_step = (int32_t)v;
    if ((rc = get_i64(&l, "opt.selection", XF_SELECTION_SINGLE, XF_SELECTION_ROLLING, &v)) != XF_OK)
        goto done;
    s->selection = (int32_t)v;
    if ((rc = get_i64(&l, "opt.folds", XF_HEAD_SELECT_FOLDS, XF_HEAD_SELECT_FOLDS, &v)) != XF_OK)
        goto done;
    if ((rc = get_i64(&l, "opt.candidates", 1, XF_HEAD_MAX_CANDIDATES, &v)) != XF_OK ||
        (rc = get_i64(&l, "data.series", 1, INT64_MAX, &n_shards)) != XF_OK)
        goto done;
    s->n_cand = (size_t)v;
    if ((s->h = xf__head_alloc()) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    if ((rc = load_head(&l, s->h)) != XF_OK)
        goto done;
    for (i = 0; i < s->n_cand; i++)
        if ((rc = load_cand(&l, s, i)) != XF_OK)
            goto done;
    for (i = 1; i < s->n_cand; i++)
        if (s->cand[i].spec.horizon != s->cand[0].spec.horizon)
            break;
    if (i < s->n_cand) {
        rc = bad(&l, "the candidates have different horizons");
        goto done;
    }
    s->h->spec = s->cand[0].spec;
    for (i = 0; i < xf_xfm_n_meta(mf); i++)
        if (info_key(xf_xfm_meta_key(mf, i)) && copy_key(mf, i, s->info) != XF_OK) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
    *out = s;
    s = NULL;
    rc = XF_OK;
done:
    xf_head_stats_free(s);
    xf_xfm_free(mf);
    return rc;
}

/* ------------------------------------------------------------ merge */

/* The option to pass so that every part resolves key alike. */
static const char *advice(const char *key)
{
    static const char *const map[][2] = {
        {"opt.horizon", "--horizon"},
        {"opt.lags", "--lags (automatic lags follow the series a part reads)"},
        {"opt.domain", "--domain (chosen from each part's first series)"},
        {"opt.season", "--season"},
        {"opt.baseline", "--baseline"},
        {"opt.seasonal_scale", "--seasonal-scale or --std-scale"},
        {"opt.log", "--log or --no-log"},
        {"opt.history", "the same --history"},
        {"opt.calendar", "--calendar or --no-calendar (the parts' frequencies differ)"},
        {"opt.holiday_days", "the same --holidays calendar"},
        {"opt.local_model", "the same --local-model or --no-local-model"},
        {"opt.encoders", "the same --encoder files"},
        {"opt.covariates", "the same --covariate columns"},
        {"opt.levels", "--levels"},
        {"opt.stride", "the same data to every part, or a --max-windows above the total "
                       "origin count (the stride is chosen on the origins of the series a "
                       "part reads)"},
        {"opt.valid_fraction", "--valid-fraction"},
        {"opt.valid_start", "--valid-start"},
        {"opt.valid_start_row", "--valid-start"},
        {"opt.selection", "the same --selection"}, /* before its prefix opt.select */
        {"opt.select", "--select"},
        {"opt.penalty_per_step", "the same --penalty-per-step"},
        {"opt.folds", "parts written by one xfcast version"},
        {"opt.candidates", "--baseline and --encoder (or 'none')"},
        {"rec.", "the same CSV options"},
        {"cand.", "--baseline and --encoder"},
    };
    size_t i;
    for (i = 0; i < sizeof map / sizeof *map; i++)
        if (strncmp(key, map[i][0], strlen(map[i][0])) == 0)
            return map[i][1];
    return "the same options for every part";
}

static void format_key(const xf_xfm *m, const char *key, char *buf, size_t size)
{
    size_t i, n, len = 0;
    const char *sv;
    const int64_t *ia;
    const double *fa;
    int64_t iv;
    double fv;
    if (xf_xfm_get_str(m, key, &sv, NULL) == XF_OK)
        snprintf(buf, size, "'%s'", sv);
    else if (xf_xfm_get_i64(m, key, &iv, NULL) == XF_OK)
        snprintf(buf, size, "%" PRId64, iv);
    else if (xf_xfm_get_f64(m, key, &fv, NULL) == XF_OK)
        snprintf(buf, size, "%.17g", fv);
    else if (xf_xfm_get_i64_array(m, key, &ia, &n, NULL) == XF_OK) {
        buf[0] = '\0';
        for (i = 0; i < n && len < size; i++)
            len += (size_t)snprintf(buf + len, size - len, "%s%" PRId64, i ? "," : "", ia[i]);
    } else if (xf_xfm_get_f64_array(m, key, &fa, &n, NULL) == XF_OK) {
        buf[0] = '\0';
        for (i = 0; i < n && len < size; i++)
            len += (size_t)snprintf(buf + len, size - len, "%s%.17g", i ? "," : "", fa[i]);
    } else
        snprintf(buf, size, "(absent)");
}

static int compared(const char *k)
{
    return strncmp(k, "opt.", 4) == 0 || strncmp(k, "cand.", 5) == 0 || strncmp(k, "rec.", 4) == 0;
}

static const char *shards_text(const xf_head_stats *s, char *buf, size_t size)
{
    size_t len = 0;
    int32_t i;
    buf[0] = '\0';
    for (i = 0; i < s->n_shards && len + 16 < size; i++)
        if (s->has[i])
            len += (size_t)snprintf(buf + len, size - len, "%s%d", len ? "," : "", (int)i);
    return buf;
}

static int check_same(const xf_head_stats *a, const xf_head_stats *b, xf_error *err)
{
    size_t pass, i;
    char va[256], vb[256], sa[64], sb[64];
    for (pass = 0; pass < 2; pass++) {
        const xf_xfm *m = pass ? b->info : a->info;
        for (i = 0; i < xf_xfm_n_meta(m); i++) {
            const char *k = xf_xfm_meta_key(m, i);
            if (!compared(k))
                continue;
            format_key(a->info, k, va, sizeof va);
            format_key(b->info, k, vb, sizeof vb);
            if (strcmp(va, vb) != 0)
                return xf__fail(err, XF_EINVAL, 0, 0,
                                "the parts resolved %s differently: %s in shard(s) %s/%d, %s in "
                                "shard(s) %s/%d; pass %s explicitly to every part",
                                k + (strchr(k, '.') - k) + 1, va, shards_text(a, sa, sizeof sa),
                                (int)a->n_shards, vb, shards_text(b, sb, sizeof sb),
                                (int)b->n_shards, advice(k));
        }
    }
    return XF_OK;
}

static int append_rows(xf__cand_stats *d, const xf__cand_stats *s)
{
    size_t p = d->spec.p, H = (size_t)d->spec.horizon, need = d->nv + s->nv, cap = need ? need : 1;
    double *a;
    unsigned char *c;
    /* rows of several parts: no panel holds them all */
    free(d->vser);
    free(d->vorg);
    d->vser = d->vorg = NULL;
    if (cap > d->cap) {
        if ((a = xf__realloc_array(d->XV, cap * p, sizeof *a)) == NULL)
            return XF_ENOMEM;
        d->XV = a;
        if ((a = xf__realloc_array(d->YV, cap * H, sizeof *a)) == NULL)
            return XF_ENOMEM;
        d->YV = a;
        if ((a = xf__realloc_array(d->VB, cap * H, sizeof *a)) == NULL)
            return XF_ENOMEM;
        d->VB = a;
        if ((a = xf__realloc_array(d->VD, cap, sizeof *a)) == NULL)
            return XF_ENOMEM;
        d->VD = a;
        if ((a = xf__realloc_array(d->VS, cap, sizeof *a)) == NULL)
            return XF_ENOMEM;
        d->VS = a;
        if ((c = realloc(d->late, cap)) == NULL)
            return XF_ENOMEM;
        d->late = c;
        if ((c = realloc(d->fold, cap)) == NULL)
            return XF_ENOMEM;
        d->fold = c;
        if ((c = realloc(d->from, cap)) == NULL)
            return XF_ENOMEM;
        d->from = c;
        if ((c = realloc(d->first, cap)) == NULL)
            return XF_ENOMEM;
        d->first = c;
        d->cap = cap;
    }
    if (s->nv > 0) {
        memcpy(d->XV + d->nv * p, s->XV, s->nv * p * sizeof *a);
        memcpy(d->YV + d->nv * H, s->YV, s->nv * H * sizeof *a);
        memcpy(d->VB + d->nv * H, s->VB, s->nv * H * sizeof *a);
        memcpy(d->VD + d->nv, s->VD, s->nv * sizeof *a);
        memcpy(d->VS + d->nv, s->VS, s->nv * sizeof *a);
        memcpy(d->late + d->nv, s->late, s->nv);
        memcpy(d->fold + d->nv, s->fold, s->nv);
        memcpy(d->from + d->nv, s->from, s->nv);
        memcpy(d->first + d->nv, s->first, s->nv);
    }
    d->nv = need;
    return XF_OK;
}

/* Union of two comma-separated lists, in a's order then b's new items. */
static void union_list(char *a, size_t size, const char *b)
{
    size_t len = strlen(a);
    while (*b != '\0') {
        size_t l = strcspn(b, ",");
        char item[256];
        const char *p = a;
        int seen = 0;
        if (l < sizeof item) {
            memcpy(item, b, l);
            item[l] = '\0';
            while (*p != '\0' && !seen) {
                size_t m = strcspn(p, ",");
                seen = m == l && strncmp(p, item, l) == 0;
                p += m + (p[m] == ',');
            }
            if (!seen && len + l + 2 < size)
                len += (size_t)snprintf(a + len, size - len, "%s%s", len ? "," : "", item);
        }
        b += l + (b[l] == ',');
    }
}

int xf_head_stats_merge(xf_head_stats *dst, const xf_head_stats *src, xf_error *err)
{
    int32_t i;
    size_t c;
    int64_t a, b;
    const char *sa, *sb;
    char cols[1024], sx[64];
    if (dst->n_shards != src->n_shards)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "the parts were cut into different shard counts (%d and %d): every "
                        "part of one fit uses the same --shard I/N",
                        (int)dst->n_shards, (int)src->n_shards);
    for (i = 0; i < dst->n_shards; i++)
        if (dst->has[i] && src->has[i])
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "shard %d/%d is given twice: its series would count twice", (int)i,
                            (int)dst->n_shards);
    if (check_same(dst, src, err) != XF_OK)
        return XF_EINVAL;
    if (dst->n_cand != src->n_cand)
        return xf__fail(err, XF_EINVAL, 0, 0, "the parts compared %zu and %zu candidates",
                        dst->n_cand, src->n_cand);
    for (c = 0; c < dst->n_cand; c++) {
        xf__cand_stats *d = &dst->cand[c];
        const xf__cand_stats *s = &src->cand[c];
        if (d->spec.p != s->spec.p || d->spec.horizon != s->spec.horizon)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "candidate %zu has %zu features in one part, %zu in another", c + 1,
                            d->spec.p, s->spec.p);
    }
    for (c = 0; c < dst->n_cand; c++) {
        xf__cand_stats *d = &dst->cand[c];
        const xf__cand_stats *s = &src->cand[c];
        if (d->failed || s->failed) {
            if (!d->failed)
                snprintf(d->why, sizeof d->why, "%s", s->why);
            d->failed = 1;
            continue;
        }
        if (append_rows(d, s) != XF_OK)
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        xf__csum_merge(&d->st, &s->st);
        xf__csum_merge(&d->sv, &s->sv);
        d->n_undef += s->n_undef;
    }
    for (i = 0; i < dst->n_shards; i++)
        dst->has[i] |= src->has[i];
    dst->seconds += src->seconds;
    /* provenance: counts add, the span widens, fingerprints XOR */
    if (xf_xfm_get_i64(dst->info, "data.series", &a, NULL) == XF_OK &&
        xf_xfm_get_i64(src->info, "data.series", &b, NULL) == XF_OK)
        xf_xfm_set_i64(dst->info, "data.series", a + b);
    if (xf_xfm_get_i64(dst->info, "data.rows", &a, NULL) == XF_OK &&
        xf_xfm_get_i64(src->info, "data.rows", &b, NULL) == XF_OK)
        xf_xfm_set_i64(dst->info, "data.rows", a + b);
    if (xf_xfm_get_i64(src->info, "data.start", &b, NULL) == XF_OK &&
        (xf_xfm_get_i64(dst->info, "data.start", &a, NULL) != XF_OK || b < a))
        xf_xfm_set_i64(dst->info, "data.start", b);
    if (xf_xfm_get_i64(src->info, "data.end", &b, NULL) == XF_OK &&
        (xf_xfm_get_i64(dst->info, "data.end", &a, NULL) != XF_OK || b > a))
        xf_xfm_set_i64(dst->info, "data.end", b);
    if (xf_xfm_get_str(dst->info, "data.fingerprint", &sa, NULL) == XF_OK &&
        xf_xfm_get_str(src->info, "data.fingerprint", &sb, NULL) == XF_OK) {
        unsigned long long x = strtoull(sa, NULL, 16) ^ strtoull(sb, NULL, 16);
        snprintf(sx, sizeof sx, "%016llx", x);
        xf_xfm_set_str(dst->info, "data.fingerprint", sx);
    }
    if (xf_xfm_get_str(dst->info, "data.columns", &sa, NULL) == XF_OK &&
        xf_xfm_get_str(src->info, "data.columns", &sb, NULL) == XF_OK) {
        snprintf(cols, sizeof cols, "%s", sa);
        union_list(cols, sizeof cols, sb);
        xf_xfm_set_str(dst->info, "data.columns", cols);
    }
    if (xf__xfm_set_failed(dst->info))
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    return XF_OK;
}

/* ------------------------------------------------------------ solve */

int xf_head_stats_solve(xf_head_stats *s, int allow_missing, xf_head **out, xf_error *err)
{
    char miss[256];
    size_t len = 0, i, n_miss = 0;
    double t_start = xf__now() - s->seconds;
    int rc;
    *out = NULL;
    if (s->h == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "these statistics were solved already");
    miss[0] = '\0';
    for (i = 0; i < (size_t)s->n_shards; i++)
        if (!s->has[i]) {
            if (n_miss++ < 8)
                len += (size_t)snprintf(miss + len, sizeof miss - len, "%s%zu", len ? ", " : "", i);
        }
    if (n_miss > 0 && !allow_missing)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "%zu of the %d shards are missing (%s%s): the head would leave their "
                        "series out",
                        n_miss, (int)s->n_shards, miss, n_miss > 8 ? ", ..." : "");
    if ((rc = xf__head_stats_finish(s, NULL, NULL, t_start, out, err)) != XF_OK)
        return rc;
    for (i = 0; i < xf_xfm_n_meta(s->info); i++) {
        const char *k = xf_xfm_meta_key(s->info, i), *v;
        if (strncmp(k, "rec.", 4) == 0 && xf_xfm_get_str(s->info, k, &v, NULL) == XF_OK)
            xf_xfm_set_str(xf_head_meta_mut(*out), k + 4, v);
    }
    xf_xfm_set_i64(xf_head_meta_mut(*out), "fit.shards", s->n_shards);
    if (xf__xfm_set_failed(xf_head_meta(*out))) {
        xf_head_free(*out);
        *out = NULL;
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    return XF_OK;
}
