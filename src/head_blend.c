/* head_blend.c - a head's forecast blended with naive, seasonal naive or
 * the local window model, the share chosen on held-out origins (see
 * head_blend.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "head_blend.h"
#include "head_internal.h"

#define N_SHARES 4
static const int32_t shares[N_SHARES] = {25, 50, 75, 100}; /* percent of the baseline */

/* The weighted mean absolute error of (1 - s) a + s b over the rows (b NULL:
 * a alone). */
static double score(const double *a, const double *b, double s, const xf__blend_rows *r, size_t H)
{
    double acc = 0.0;
    size_t i, k;
    for (i = 0; i < r->n; i++) {
        double row = 0.0, w = r->w != NULL ? r->w[i] : 1.0;
        for (k = 0; k < H; k++)
            row += fabs((1.0 - s) * a[i * H + k] + (b != NULL ? s * b[i * H + k] : 0.0));
        acc += row * w / (double)H;
    }
    return r->n > 0 ? acc / (double)r->n : 0.0;
}

/* Each row's level and scale, into lv [n] and sc [n]. */
static int row_norms(const xf_head *h, const xf_panel *panel, const xf__blend_rows *r, double *lv,
                     double *sc, xf_error *err)
{
    size_t i;
    for (i = 0; i < r->n; i++)
        if (xf__feat_norm(&h->spec, xf_panel_series_values(panel, r->ser[i]),
                          xf_panel_series_length(panel, r->ser[i]), r->org[i], &lv[i], &sc[i]) != 0)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "internal: held-out origin %zu of series '%s' cannot be normalised",
                            r->org[i], xf_panel_series_id(panel, r->ser[i]));
    return XF_OK;
}

/* The errors of baseline `base` at the rows (level lv, scale sc), into
 * out [n][H]. */
static void base_errors(const xf_head *h, xf__feat_ws *fws, const xf_panel *panel,
                        const xf__blend_rows *r, const double *lv, const double *sc, int32_t base,
                        double *out)
{
    xf__feat_spec sb = h->spec;
    size_t H = (size_t)h->spec.horizon, i, k;
    sb.baseline = base;
    for (i = 0; i < r->n; i++) {
        const double *y = xf_panel_series_values(panel, r->ser[i]);
        size_t n = xf_panel_series_length(panel, r->ser[i]);
        double *b = fws->vals; /* scratch of at least H values */
        xf__feat_baseline(&sb, fws, y, n, r->org[i], lv[i], sc[i], b);
        for (k = 0; k < H; k++)
            out[i * H + k] =
                (xf__feat_value(&h->spec, y, n, (int64_t)(r->org[i] + k)) - lv[i]) / sc[i] - b[k];
    }
}

int xf__blend_choose(xf_head *h, const xf_panel *panel, const xf__blend_rows *rows,
                     const int32_t *bases, size_t nb, double *res, double *before, double *after,
                     xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, NH = rows->n * H, b, j, k;
    double own = score(res, NULL, 0.0, rows, H), best = own, *buf = NULL, *cur, *keep, *tmp, *lv,
           *sc;
    int32_t best_base = 0, best_share = 0;
    xf__feat_ws *fws = NULL;
    int rc = XF_OK;
    h->blend_base = 0;
    h->blend_share = 0;
    if (rows->n == 0 || nb == 0)
        goto done;
    if ((buf = xf__malloc_array(2 * NH + 2 * rows->n, sizeof *buf)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    cur = buf;
    keep = buf + NH;
    lv = buf + 2 * NH;
    sc = lv + rows->n;
    if ((rc = row_norms(h, panel, rows, lv, sc, err)) != XF_OK ||
        (rc = xf__feat_ws_new(&h->spec, 1, 1, &fws, err)) != XF_OK)
        goto done;
    for (b = 0; b < nb; b++) {
        int better = 0;
        base_errors(h, fws, panel, rows, lv, sc, bases[b], cur);
        for (j = 0; j < N_SHARES; j++) {
            double e = score(res, cur, shares[j] / 100.0, rows, H);
            if (e < best) {
                best = e;
                best_base = bases[b];
                best_share = shares[j];
                better = 1;
            }
        }
        if (better) {
            tmp = keep;
            keep = cur;
            cur = tmp;
        }
    }
    if (best_share > 0) {
        for (k = 0; k < NH; k++)
            res[k] = (1.0 - best_share / 100.0) * res[k] + best_share / 100.0 * keep[k];
        h->blend_base = best_base;
        h->blend_share = best_share;
    }
done:
    if (before != NULL)
        *before = own;
    if (after != NULL)
        *after = h->blend_share > 0 ? best : own;
    xf__feat_ws_free(fws);
    free(buf);
    return rc;
}

void xf__blend_apply(const xf_head *h, xf__feat_ws *fws, const xf_panel *panel,
                     const size_t *series, const size_t *origin, size_t m, const double *level,
                     const double *scale, const unsigned char *ok, double *pred)
{
    size_t H = (size_t)h->spec.horizon, i, k;
    double s = h->blend_share / 100.0;
    xf__feat_spec sb;
    if (h->blend_share <= 0 || h->blend_base == 0)
        return;
    sb = h->spec;
    sb.baseline = h->blend_base;
    for (i = 0; i < m; i++) {
        double *b = fws->vals; /* scratch of at least H values */
        if (!ok[i])
            continue;
        xf__feat_baseline(&sb, fws, xf_panel_series_values(panel, series[i]),
                          xf_panel_series_length(panel, series[i]), origin[i], level[i], scale[i],
                          b);
        for (k = 0; k < H; k++)
            pred[i * H + k] = (1.0 - s) * pred[i * H + k] + s * b[k];
    }
}

size_t xf__blend_name(const xf_head *h, int with_share, char *buf, size_t n)
{
    char share[16] = "", what[96];
    int k;
    if (h->blend_share <= 0 || h->blend_base == 0)
        return (size_t)snprintf(buf, n, "%s", "");
    if (with_share)
        snprintf(share, sizeof share, "%d%% ", (int)h->blend_share);
    if (h->blend_base == XF_BASELINE_LOCAL) {
        char per[48];
        xf__head_local_periods_text(h->spec.local_period, per, sizeof per);
        snprintf(what, sizeof what, "the local model%s", per);
    } else if (h->blend_base > 1)
        snprintf(what, sizeof what, "seasonal naive (period %d)", (int)h->blend_base);
    else
        snprintf(what, sizeof what, "naive");
    k = snprintf(buf, n, "%s%s", share, what);
    return k < 0 ? 0 : (size_t)k;
}
