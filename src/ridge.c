/* ridge.c - where ridge heads are fitted: multi-output ridge regression from
 * sufficient statistics with GCV or validation choice of the penalty.  See
 * ridge.h for the mathematics.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"
#include "ridge.h"
#include "xf_internal.h"

int xf__ridge_stats_init(xf__ridge_stats *s, size_t p, size_t q)
{
    memset(s, 0, sizeof *s);
    s->p = p;
    s->q = q;
    s->sx = calloc(p ? p : 1, sizeof *s->sx);
    s->sy = calloc(q ? q : 1, sizeof *s->sy);
    s->xtx = xf__malloc_array(p * p, sizeof *s->xtx);
    s->xty = xf__malloc_array(p * q, sizeof *s->xty);
    s->yty = calloc(q ? q : 1, sizeof *s->yty);
    if (!s->sx || !s->sy || !s->xtx || !s->xty || !s->yty) {
        xf__ridge_stats_free(s);
        return XF_ENOMEM;
    }
    memset(s->xtx, 0, p * p * sizeof *s->xtx);
    memset(s->xty, 0, p * q * sizeof *s->xty);
    return XF_OK;
}

void xf__ridge_stats_free(xf__ridge_stats *s)
{
    free(s->sx);
    free(s->sy);
    free(s->xtx);
    free(s->xty);
    free(s->yty);
    memset(s, 0, sizeof *s);
}

void xf__ridge_stats_add(xf__ridge_stats *s, const double *x, const double *y, size_t m)
{
    size_t i, j, k, p = s->p, q = s->q;
    if (m == 0)
        return;
    xf__dsyrk_upper_acc(s->xtx, p, x, m);
    xf__dgemm_tn_acc(s->xty, p, q, x, y, m);
    for (i = 0; i < m; i++) {
        for (j = 0; j < p; j++)
            s->sx[j] += x[i * p + j];
        for (k = 0; k < q; k++) {
            s->sy[k] += y[i * q + k];
            s->yty[k] += y[i * q + k] * y[i * q + k];
        }
    }
    s->n += (double)m;
}

void xf__ridge_stats_merge(xf__ridge_stats *s, const xf__ridge_stats *o)
{
    size_t i;
    for (i = 0; i < s->p * s->p; i++)
        s->xtx[i] += o->xtx[i];
    for (i = 0; i < s->p * s->q; i++)
        s->xty[i] += o->xty[i];
    for (i = 0; i < s->p; i++)
        s->sx[i] += o->sx[i];
    for (i = 0; i < s->q; i++) {
        s->sy[i] += o->sy[i];
        s->yty[i] += o->yty[i];
    }
    s->n += o->n;
}

void xf__ridge_model_free(xf__ridge_model *m)
{
    free(m->w);
    free(m->b);
    free(m->lambda);
    free(m->score);
    memset(m, 0, sizeof *m);
}

void xf__ridge_predict(const xf__ridge_model *m, const double *x, double *y)
{
    size_t k, j;
    for (k = 0; k < m->q; k++) {
        double acc = m->b[k];
        const double *w = m->w + k * m->p;
        for (j = 0; j < m->p; j++)
            acc += w[j] * x[j];
        y[k] = acc;
    }
}

/* The decomposition shared by every penalty: standardisation, eigen-
 * decomposition of the standardised Gram matrix and the rotated X'Y. */
typedef struct ridge_prep {
    size_t p, q;
    double n;
    double *mu, *sd; /* [p] feature means and standard deviations (0: constant) */
    double *V;       /* [p][p] eigenvectors, column j = vector j */
    double *d;       /* [p] eigenvalues */
    double *VB;      /* [p][q] V' D^-1 (X'Y - n mu ybar') */
    double *ybar;    /* [q] target means */
    double *M;       /* [p][q] scratch */
} ridge_prep;

static void prep_free(ridge_prep *r)
{
    free(r->mu);
    free(r->sd);
    free(r->V);
    free(r->d);
    free(r->VB);
    free(r->ybar);
    free(r->M);
    memset(r, 0, sizeof *r);
}

static int prep_init(const xf__ridge_stats *s, ridge_prep *r, xf_error *err)
{
    size_t p = s->p, q = s->q, i, j, k;
    double n = s->n, *B = NULL;
    int rc;
    memset(r, 0, sizeof *r);
    if (n < 2)
        return xf__fail(err, XF_EDATA, 0, 0, "ridge: %g rows are too few to fit", n);
    r->p = p;
    r->q = q;
    r->n = n;
    r->mu = malloc((p ? p : 1) * sizeof *r->mu);
    r->sd = malloc((p ? p : 1) * sizeof *r->sd);
    r->V = xf__malloc_array(p * p + 1, sizeof *r->V);
    r->d = malloc((p ? p : 1) * sizeof *r->d);
    r->VB = xf__malloc_array(p * q + 1, sizeof *r->VB);
    r->M = xf__malloc_array(p * q + 1, sizeof *r->M);
    r->ybar = malloc((q ? q : 1) * sizeof *r->ybar);
    B = xf__malloc_array(p * q + 1, sizeof *B);
    if (!r->mu || !r->sd || !r->V || !r->d || !r->VB || !r->M || !r->ybar || !B) {
        free(B);
        prep_free(r);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    for (k = 0; k < q; k++)
        r->ybar[k] = s->sy[k] / n;
    /* standardise: C = D^-1 (X'X - n mu mu') D^-1, B = D^-1 (X'Y - n mu ybar') */
    for (i = 0; i < p; i++) {
        double var;
        r->mu[i] = s->sx[i] / n;
        var = s->xtx[i * p + i] / n - r->mu[i] * r->mu[i];
        r->sd[i] = var > 1e-12 * (1.0 + r->mu[i] * r->mu[i]) ? sqrt(var) : 0.0;
        /* a weight w scales the standardised column: (x - mu) / (sd / w) */
        if (s->colw != NULL && r->sd[i] > 0)
            r->sd[i] = s->colw[i] > 0 ? r->sd[i] / s->colw[i] : 0.0;
    }
    for (i = 0; i < p; i++)
        for (j = i; j < p; j++) {
            double c = 0;
            if (r->sd[i] > 0 && r->sd[j] > 0)
                c = (s->xtx[i * p + j] - n * r->mu[i] * r->mu[j]) / (r->sd[i] * r->sd[j]);
            r->V[i * p + j] = r->V[j * p + i] = c;
        }
    for (i = 0; i < p; i++)
        for (k = 0; k < q; k++)
            B[i * q + k] =
                r->sd[i] > 0 ? (s->xty[i * q + k] - r->mu[i] * s->sy[k]) / r->sd[i] : 0.0;
    if (p > 0 && (rc = xf__sym_eigen(r->V, p, r->d)) != 0) {
        free(B);
        prep_free(r);
        if (rc == -2)
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        return xf__fail(err, XF_ERANGE, 0, 0, "ridge: the eigen-decomposition did not converge");
    }
    /* VB = V' B */
    xf__dgemm(1, 0, p, q, p, 1.0, r->V, p, B, q, 0.0, r->VB, q);
    free(B);
    return XF_OK;
}

/* Weights for per-output penalties lam[q] (already multiplied by n):
 * w[k] = D^-1 V diag(1/(d + lam_k)) VB[:, k], b = c - mu'w with the mean
 * correction c = ybar / (1 + lam_k / n): the mean of the targets over the
 * rows is penalised as the weights are (min |y~ - X~w|^2 + n (ybar - c)^2
 * + lam (|w~|^2 + c^2)), so that a large penalty shrinks the whole
 * correction towards 0 (a head's baseline; the prior) instead of keeping a
 * drift learned from a few origins.  W is [q][p]. */
static void prep_weights(ridge_prep *r, const double *lam, double *W, double *b)
{
    size_t p = r->p, q = r->q, i, j, k;
    for (j = 0; j < p; j++)
        for (k = 0; k < q; k++) {
            double den = r->d[j] + lam[k];
            r->M[j * q + k] = den > 0 ? r->VB[j * q + k] / den : 0.0;
        }
    /* W' = V M, written transposed: W = M' V' */
    xf__dgemm(1, 1, q, p, p, 1.0, r->M, q, r->V, p, 0.0, W, p);
    for (k = 0; k < q; k++) {
        double bk = r->ybar[k] / (1.0 + (r->n > 0 ? lam[k] / r->n : 0.0));
        for (i = 0; i < p; i++) {
            W[k * p + i] = r->sd[i] > 0 ? W[k * p + i] / r->sd[i] : 0.0;
            bk -= W[k * p + i] * r->mu[i];
        }
        b[k] = bk;
    }
}

/* Validation mean squared error per output of weights W [q][p], b [q]:
 * sum (y - Xw - b)^2 = y'y - 2 w'X'y - 2 b sum y + w'X'Xw + 2 b w'sx + n b^2,
 * with W X'X computed as one symmetric product (G scratch [q][p]): the sum of
 * squared errors per output. */
static void valid_sse(const xf__ridge_stats *v, const double *W, const double *b, double *G,
                      double *out)
{
    size_t p = v->p, q = v->q, i, k;
    xf__dsymm_right_upper(q, p, v->xtx, W, G);
    for (k = 0; k < q; k++) {
        double sse = v->yty[k] + v->n * b[k] * b[k] - 2.0 * b[k] * v->sy[k], wx = 0;
        for (i = 0; i < p; i++) {
            double w = W[k * p + i];
            sse += w * (G[k * p + i] - 2.0 * v->xty[i * q + k]);
            wx += w * v->sx[i];
        }
        sse += 2.0 * b[k] * wx;
        out[k] = sse;
    }
}

/* Validation mean squared error per output (valid_sse over the row count). */
static void valid_mse(const xf__ridge_stats *v, const double *W, const double *b, double *G,
                      double *out)
{
    size_t k;
    valid_sse(v, W, b, G, out);
    for (k = 0; k < v->q; k++)
        out[k] = out[k] / (v->n > 0 ? v->n : 1);
}

static int model_alloc(xf__ridge_model *out, size_t p, size_t q, xf_error *err)
{
    memset(out, 0, sizeof *out);
    out->p = p;
    out->q = q;
    out->w = xf__malloc_array(p * q + 1, sizeof *out->w);
    out->b = malloc((q ? q : 1) * sizeof *out->b);
    out->lambda = malloc((q ? q : 1) * sizeof *out->lambda);
    out->score = malloc((q ? q : 1) * sizeof *out->score);
    if (!out->w || !out->b || !out->lambda || !out->score) {
        xf__ridge_model_free(out);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    return XF_OK;
}

int xf__ridge_fit(const xf__ridge_stats *s, const xf__ridge_stats *valid, const double *lambdas,
                  size_t n_lambdas, int per_output, xf__ridge_model *out, xf_error *err)
{
    size_t p = s->p, q = s->q, j, k, l;
    double n = s->n, *scores = NULL, *lam = NULL, *W = NULL, *b = NULL, *G = NULL;
    ridge_prep r;
    int rc;
    memset(out, 0, sizeof *out);
    if (n_lambdas == 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "ridge: no candidate penalty");
    if ((rc = prep_init(s, &r, err)) != XF_OK)
        return rc;
    if ((rc = model_alloc(out, p, q, err)) != XF_OK)
        goto done;
    rc = XF_ENOMEM;
    scores = xf__malloc_array(n_lambdas * q + 1, sizeof *scores);
    lam = malloc((q ? q : 1) * sizeof *lam);
    W = xf__malloc_array(p * q + 1, sizeof *W);
    b = malloc((q ? q : 1) * sizeof *b);
    G = xf__malloc_array(p * q + 1, sizeof *G);
    if (!scores || !lam || !W || !b || !G) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto fail;
    }
    /* score every penalty for every output */
    for (l = 0; l < n_lambdas; l++) {
        double L = lambdas[l] * n, df = 0;
        if (valid == NULL) {
            double dmax = p > 0 ? r.d[p - 1] : 1.0;
            for (j = 0; j < p; j++)
                df += r.d[j] > 0 ? r.d[j] / (r.d[j] + L) : 0.0;
            for (k = 0; k < q; k++) {
                /* the shrunk mean's share: n (ybar - c)^2, c = ybar / (1 + L / n) */
                double sh = r.ybar[k] * (L / n) / (1.0 + L / n);
                double yy = s->yty[k] - n * r.ybar[k] * r.ybar[k] + n * sh * sh, rss = yy;
                for (j = 0; j < p; j++) {
                    double f;
                    if (!(r.d[j] > 1e-12 * (dmax > 0 ? dmax : 1.0)))
                        continue;
                    f = r.d[j] / (r.d[j] + L);
                    rss -= (2 * f - f * f) * r.VB[j * q + k] * r.VB[j * q + k] / r.d[j];
                }
                scores[l * q + k] = rss / (n * (1 - df / n) * (1 - df / n));
            }
        } else {
            for (k = 0; k < q; k++)
                lam[k] = L;
            prep_weights(&r, lam, W, b);
            valid_mse(valid, W, b, G, scores + l * q);
        }
    }
    /* choose, per output or jointly */
    for (k = 0; k < q; k++) {
        size_t best = 0;
        if (per_output) {
            for (l = 1; l < n_lambdas; l++)
                if (scores[l * q + k] < scores[best * q + k])
                    best = l;
        } else {
            double bs = INFINITY;
            for (l = 0; l < n_lambdas; l++) {
                double tot = 0;
                size_t kk;
                for (kk = 0; kk < q; kk++)
                    tot += scores[l * q + kk];
                if (tot < bs) {
                    bs = tot;
                    best = l;
                }
            }
        }
        out->lambda[k] = lambdas[best];
        out->score[k] = scores[best * q + k];
        lam[k] = lambdas[best] * n;
    }
    prep_weights(&r, lam, out->w, out->b);
    rc = XF_OK;
    goto done;
fail:
    xf__ridge_model_free(out);
done:
    prep_free(&r);
    free(scores);
    free(lam);
    free(W);
    free(b);
    free(G);
    return rc;
}

int xf__ridge_solve(const xf__ridge_stats *s, const double *lambdas, xf__ridge_model *out,
                    xf_error *err)
{
    ridge_prep r;
    size_t k;
    double *lam = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = prep_init(s, &r, err)) != XF_OK)
        return rc;
    if ((rc = model_alloc(out, s->p, s->q, err)) != XF_OK)
        goto done;
    if ((lam = malloc((s->q ? s->q : 1) * sizeof *lam)) == NULL) {
        xf__ridge_model_free(out);
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (k = 0; k < s->q; k++) {
        out->lambda[k] = lambdas[k];
        out->score[k] = NAN;
        lam[k] = lambdas[k] * s->n;
    }
    prep_weights(&r, lam, out->w, out->b);
done:
    free(lam);
    prep_free(&r);
    return rc;
}

/* X'X v for the upper-triangle-current Gram matrix. */
static double gram_row_dot(const xf__ridge_stats *s, size_t i, const double *v)
{
    size_t j, p = s->p;
    double acc = 0;
    for (j = 0; j < p; j++)
        acc += (j >= i ? s->xtx[i * p + j] : s->xtx[j * p + i]) * v[j];
    return acc;
}

int xf__ridge_stats_residual(const xf__ridge_stats *s, const double *w0, const double *b0,
                             xf__ridge_stats *out)
{
    size_t p = s->p, q = s->q, i, k;
    double *gw;
    if (out->p != p || out->q != q)
        return XF_EINVAL;
    if ((gw = xf__malloc_array(p ? p : 1, sizeof *gw)) == NULL)
        return XF_ENOMEM;
    out->n = s->n;
    memcpy(out->sx, s->sx, p * sizeof *s->sx);
    memcpy(out->xtx, s->xtx, p * p * sizeof *s->xtx);
    for (k = 0; k < q; k++) {
        const double *w = w0 + k * p;
        double b = b0 != NULL ? b0[k] : 0.0, sxw = 0, xtyw = 0, wgw = 0;
        for (i = 0; i < p; i++) {
            gw[i] = gram_row_dot(s, i, w); /* (X'X w)_i */
            sxw += s->sx[i] * w[i];
            xtyw += s->xty[i * q + k] * w[i];
            wgw += w[i] * gw[i];
        }
        /* rows r = y - (x.w + b): X'r, 1'r, r'r */
        for (i = 0; i < p; i++)
            out->xty[i * q + k] = s->xty[i * q + k] - gw[i] - s->sx[i] * b;
        out->sy[k] = s->sy[k] - sxw - s->n * b;
        out->yty[k] = s->yty[k] - 2.0 * (xtyw + s->sy[k] * b) + wgw + 2.0 * b * sxw + s->n * b * b;
    }
    free(gw);
    return XF_OK;
}

void xf__ridge_model_add_prior(xf__ridge_model *m, const double *w0, const double *b0)
{
    size_t i, n = m->p * m->q;
    for (i = 0; i < n; i++)
        m->w[i] += w0[i];
    for (i = 0; b0 != NULL && i < m->q; i++)
        m->b[i] += b0[i];
}

/* ------------------------------------------------------------ penalty paths */

struct xf__ridge_path {
    ridge_prep r;  /* the decomposition of the training statistics */
    double *W, *b; /* [q][p], [q] scratch weights */
    double *G;     /* [q][p] scratch */
    double *lam;   /* [q] scratch penalties (times n) */
    size_t p, q;   /* features, outputs */
    double n;      /* training rows */
};

void xf__ridge_path_free(xf__ridge_path *path)
{
    if (path == NULL)
        return;
    prep_free(&path->r);
    free(path->W);
    free(path->b);
    free(path->G);
    free(path->lam);
    free(path);
}

int xf__ridge_path_new(const xf__ridge_stats *train, xf__ridge_path **out, xf_error *err)
{
    xf__ridge_path *path = calloc(1, sizeof *path);
    size_t p = train->p, q = train->q;
    int rc;
    *out = NULL;
    if (path == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    if ((rc = prep_init(train, &path->r, err)) != XF_OK) {
        free(path);
        return rc;
    }
    path->p = p;
    path->q = q;
    path->n = train->n;
    path->W = xf__malloc_array(p * q + 1, sizeof *path->W);
    path->b = malloc((q ? q : 1) * sizeof *path->b);
    path->G = xf__malloc_array(p * q + 1, sizeof *path->G);
    path->lam = malloc((q ? q : 1) * sizeof *path->lam);
    if (!path->W || !path->b || !path->G || !path->lam) {
        xf__ridge_path_free(path);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    *out = path;
    return XF_OK;
}

void xf__ridge_path_valid_sse(xf__ridge_path *path, const xf__ridge_stats *valid,
                              const double *lambdas, size_t n_lambdas, double *sse)
{
    size_t l, k;
    for (l = 0; l < n_lambdas; l++) {
        for (k = 0; k < path->q; k++)
            path->lam[k] = lambdas[l] * path->n;
        prep_weights(&path->r, path->lam, path->W, path->b);
        valid_sse(valid, path->W, path->b, path->G, sse + l * path->q);
    }
}

int xf__ridge_path_model(xf__ridge_path *path, const double *lambdas, xf__ridge_model *out,
                         xf_error *err)
{
    size_t k;
    int rc;
    if ((rc = model_alloc(out, path->p, path->q, err)) != XF_OK)
        return rc;
    for (k = 0; k < path->q; k++) {
        out->lambda[k] = lambdas[k];
        out->score[k] = NAN;
        path->lam[k] = lambdas[k] * path->n;
    }
    prep_weights(&path->r, path->lam, out->w, out->b);
    return XF_OK;
}

void xf__ridge_choose(const double *scores, size_t n_lambdas, size_t q, int per_output,
                      size_t *best)
{
    size_t k, l, bj = 0;
    double bs = INFINITY;
    if (!per_output) {
        for (l = 0; l < n_lambdas; l++) {
            double tot = 0;
            for (k = 0; k < q; k++)
                tot += scores[l * q + k];
            if (tot < bs) {
                bs = tot;
                bj = l;
            }
        }
    }
    for (k = 0; k < q; k++) {
        best[k] = bj;
        if (per_output)
            for (l = 1; l < n_lambdas; l++)
                if (scores[l * q + k] < scores[best[k] * q + k])
                    best[k] = l;
    }
}
