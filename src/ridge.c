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

int xf_ridge_stats_init(xf_ridge_stats *s, size_t p, size_t q)
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
        xf_ridge_stats_free(s);
        return XF_ENOMEM;
    }
    memset(s->xtx, 0, p * p * sizeof *s->xtx);
    memset(s->xty, 0, p * q * sizeof *s->xty);
    return XF_OK;
}

void xf_ridge_stats_free(xf_ridge_stats *s)
{
    free(s->sx);
    free(s->sy);
    free(s->xtx);
    free(s->xty);
    free(s->yty);
    memset(s, 0, sizeof *s);
}

void xf_ridge_stats_add(xf_ridge_stats *s, const double *x, const double *y, size_t m)
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

void xf_ridge_stats_merge(xf_ridge_stats *s, const xf_ridge_stats *o)
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

void xf_ridge_model_free(xf_ridge_model *m)
{
    free(m->w);
    free(m->b);
    free(m->lambda);
    free(m->score);
    memset(m, 0, sizeof *m);
}

void xf_ridge_predict(const xf_ridge_model *m, const double *x, double *y)
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

/* Squared validation error of weights (w, b) from validation statistics:
 * sum (y - Xw - b)^2 = y'y - 2 w'X'y - 2 b sum y + w'X'Xw + 2 b w'sx + n b^2. */
static double valid_sse(const xf_ridge_stats *v, size_t k, const double *w, double b)
{
    size_t p = v->p, i, j;
    double sse = v->yty[k] + v->n * b * b - 2.0 * b * v->sy[k], wx = 0;
    for (i = 0; i < p; i++) {
        double row = 0;
        sse -= 2.0 * w[i] * v->xty[i * v->q + k];
        wx += w[i] * v->sx[i];
        for (j = 0; j < p; j++) {
            double g = i <= j ? v->xtx[i * p + j] : v->xtx[j * p + i];
            row += g * w[j];
        }
        sse += w[i] * row;
    }
    return sse + 2.0 * b * wx;
}

int xf_ridge_fit(const xf_ridge_stats *s, const xf_ridge_stats *valid, const double *lambdas,
                 size_t n_lambdas, int per_output, xf_ridge_model *out, xf_error *err)
{
    size_t p = s->p, q = s->q, i, j, k, l;
    double n = s->n, *mu = NULL, *sd = NULL, *C = NULL, *d = NULL, *B = NULL, *VB = NULL;
    double *wtmp = NULL, *scores = NULL;
    int rc = XF_ENOMEM;
    memset(out, 0, sizeof *out);
    if (n < 2)
        return xf__fail(err, XF_EDATA, 0, 0, "ridge: %g rows are too few to fit", n);
    mu = malloc(p * sizeof *mu);
    sd = malloc(p * sizeof *sd);
    C = xf__malloc_array(p * p, sizeof *C);
    d = malloc(p * sizeof *d);
    B = xf__malloc_array(p * q, sizeof *B);
    VB = xf__malloc_array(p * q, sizeof *VB);
    wtmp = malloc(p * sizeof *wtmp);
    scores = xf__malloc_array(n_lambdas * q, sizeof *scores);
    out->p = p;
    out->q = q;
    out->w = xf__malloc_array(p * q, sizeof *out->w);
    out->b = malloc(q * sizeof *out->b);
    out->lambda = malloc(q * sizeof *out->lambda);
    out->score = malloc(q * sizeof *out->score);
    if (!mu || !sd || !C || !d || !B || !VB || !wtmp || !scores || !out->w || !out->b ||
        !out->lambda || !out->score)
        goto fail;
    /* standardise: C = D^-1 (X'X - n mu mu') D^-1, B = D^-1 (X'Y - n mu ybar') */
    for (i = 0; i < p; i++) {
        double var;
        mu[i] = s->sx[i] / n;
        var = s->xtx[i * p + i] / n - mu[i] * mu[i];
        sd[i] = var > 1e-12 * (1.0 + mu[i] * mu[i]) ? sqrt(var) : 0.0; /* 0: constant feature */
    }
    for (i = 0; i < p; i++)
        for (j = i; j < p; j++) {
            double c = 0;
            if (sd[i] > 0 && sd[j] > 0)
                c = (s->xtx[i * p + j] - n * mu[i] * mu[j]) / (sd[i] * sd[j]);
            C[i * p + j] = C[j * p + i] = c;
        }
    for (i = 0; i < p; i++)
        for (k = 0; k < q; k++)
            B[i * q + k] = sd[i] > 0 ? (s->xty[i * q + k] - mu[i] * s->sy[k]) / sd[i] : 0.0;
    if (xf__sym_eigen(C, p, d) != 0) {
        rc = xf__fail(err, XF_ERANGE, 0, 0, "ridge: the eigen-decomposition did not converge");
        goto fail2;
    }
    /* VB = V' B (C now holds V, column j = eigenvector j, row-major) */
    for (j = 0; j < p; j++)
        for (k = 0; k < q; k++) {
            double acc = 0;
            for (i = 0; i < p; i++)
                acc += C[i * p + j] * B[i * q + k];
            VB[j * q + k] = acc;
        }
    /* score every penalty for every output */
    for (l = 0; l < n_lambdas; l++) {
        double lam = lambdas[l] * n, df = 0;
        for (j = 0; j < p; j++)
            df += d[j] > 0 ? d[j] / (d[j] + lam) : 0.0;
        for (k = 0; k < q; k++) {
            double ybar = s->sy[k] / n, yy = s->yty[k] - n * ybar * ybar;
            if (valid == NULL) {
                double rss = yy;
                for (j = 0; j < p; j++) {
                    double f;
                    if (!(d[j] > 1e-12 * (d[p - 1] > 0 ? d[p - 1] : 1.0)))
                        continue;
                    f = d[j] / (d[j] + lam);
                    rss -= (2 * f - f * f) * VB[j * q + k] * VB[j * q + k] / d[j];
                }
                scores[l * q + k] = rss / (n * (1 - df / n) * (1 - df / n));
            } else {
                double bk = ybar;
                for (i = 0; i < p; i++) {
                    double acc = 0;
                    for (j = 0; j < p; j++)
                        acc += C[i * p + j] * VB[j * q + k] / (d[j] + lam > 0 ? d[j] + lam : 1.0);
                    wtmp[i] = sd[i] > 0 ? acc / sd[i] : 0.0;
                    bk -= wtmp[i] * mu[i];
                }
                scores[l * q + k] = valid_sse(valid, k, wtmp, bk) / (valid->n > 0 ? valid->n : 1);
            }
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
        {
            double lam = lambdas[best] * n, ybar = s->sy[k] / n, bk = ybar;
            for (i = 0; i < p; i++) {
                double acc = 0;
                for (j = 0; j < p; j++)
                    acc += C[i * p + j] * VB[j * q + k] / (d[j] + lam > 0 ? d[j] + lam : 1.0);
                out->w[k * p + i] = sd[i] > 0 ? acc / sd[i] : 0.0;
                bk -= out->w[k * p + i] * mu[i];
            }
            out->b[k] = bk;
        }
    }
    rc = XF_OK;
    goto done;
fail:
    rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
fail2:
    xf_ridge_model_free(out);
done:
    free(mu);
    free(sd);
    free(C);
    free(d);
    free(B);
    free(VB);
    free(wtmp);
    free(scores);
    return rc;
}
