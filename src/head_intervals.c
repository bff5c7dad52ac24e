/* head_intervals.c - adaptive ("rolling") conformal intervals: the
 * split-conformal quantiles rescaled by the most recent out-of-sample
 * errors (see head_intervals.h).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "head_internal.h"
#include "head_intervals.h"

struct xf__ivl {
    size_t H, L;
    double *s;  /* [H] mean |held-out residual| per step */
    double *cz; /* [ncz] sorted held-out residuals / s of every step */
    size_t ncz;
    xf__roll roll;                    /* the head's recent errors (z) */
    double *qlo, *qhi;                /* [L][H] adapted quantiles (roll.n > 0) */
    double *scratch;                  /* [roll.cap] */
    double levels[XF_IVL_MAX_LEVELS]; /* the levels the window's offsets are for */
};

size_t xf__ivl_cap(size_t H)
{
    size_t c = H <= XF_IVL_MAX_CAP / XF_IVL_ORIGINS ? XF_IVL_ORIGINS * H : XF_IVL_MAX_CAP;
    return c < XF_IVL_MIN_CAP ? XF_IVL_MIN_CAP : c;
}

int xf__roll_init(xf__roll *r, size_t cap)
{
    memset(r, 0, sizeof *r);
    if ((r->z = xf__malloc_array(cap ? cap : 1, sizeof *r->z)) == NULL)
        return XF_ENOMEM;
    r->cap = cap;
    return XF_OK;
}

void xf__roll_free(xf__roll *r)
{
    if (r == NULL)
        return;
    free(r->z);
    memset(r, 0, sizeof *r);
}

int xf__roll_copy(xf__roll *dst, const xf__roll *src)
{
    if (dst->cap != src->cap) {
        xf__roll_free(dst);
        if (xf__roll_init(dst, src->cap) != XF_OK)
            return XF_ENOMEM;
    }
    memcpy(dst->z, src->z, src->cap * sizeof *src->z);
    memcpy(dst->dalpha, src->dalpha, sizeof dst->dalpha);
    dst->n = src->n;
    dst->pos = src->pos;
    return XF_OK;
}

void xf__roll_push(xf__roll *r, double z)
{
    if (!isfinite(z) || r->cap == 0)
        return;
    r->z[r->pos] = z;
    r->pos = (r->pos + 1) % r->cap;
    if (r->n < r->cap)
        r->n++;
}

double xf__roll_get(const xf__roll *r, size_t i)
{
    size_t first = r->n < r->cap ? 0 : r->pos;
    return r->z[(first + i) % r->cap];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void xf__ivl_free(xf__ivl *v)
{
    if (v == NULL)
        return;
    free(v->s);
    free(v->cz);
    xf__roll_free(&v->roll);
    free(v->qlo);
    free(v->qhi);
    free(v->scratch);
    free(v);
}

const xf__roll *xf__ivl_roll(const xf__ivl *v)
{
    return v != NULL ? &v->roll : NULL;
}

xf__roll *xf__ivl_roll_mut(xf__ivl *v)
{
    return v != NULL ? &v->roll : NULL;
}

void xf__ivl_observe(const xf_head *h, xf__roll *roll, const double *e, const double *qlo,
                     const double *qhi, size_t from, size_t to)
{
    const xf__ivl *v = h->ivl;
    size_t k, l, H;
    if (v == NULL) /* a backtest window's head without held-out residuals */
        return;
    H = v->H;
    for (k = from; k < to && k < H; k++) {
        if (!isfinite(e[k]))
            continue;
        if (v->s[k] > 0)
            xf__roll_push(roll, e[k] / v->s[k]);
        if (h->intervals != XF_INTERVALS_ACI || qlo == NULL || qhi == NULL)
            continue;
        for (l = 0; l < v->L; l++) {
            double a = 1.0 - h->levels[l] / 100.0;
            int missed = e[k] < qlo[l * H + k] || e[k] > qhi[l * H + k];
            double d = roll->dalpha[l] + XF_IVL_ACI_GAMMA * (a - missed);
            if (a + d < XF_IVL_ACI_MIN)
                d = XF_IVL_ACI_MIN - a;
            if (a + d > 1.0)
                d = 1.0 - a;
            roll->dalpha[l] = d;
        }
    }
}

/* Conformal order statistics (1-based, clipped) of n values at level. */
static void conformal_ranks(size_t n, double level, size_t *il, size_t *ih)
{
    double a = 1.0 - level / 100.0;
    if (a < 0)
        a = 0;
    if (a > 1)
        a = 1;
    double kl = floor((double)(n + 1) * a / 2.0), kh = ceil((double)(n + 1) * (1.0 - a / 2.0));
    if (kl < 1)
        kl = 1;
    if (kh > (double)n)
        kh = (double)n;
    *il = (size_t)kl - 1;
    *ih = (size_t)kh - 1;
}

void xf__ivl_quantiles(const xf_head *h, const xf__roll *roll, double *qlo, double *qhi,
                       double *scratch)
{
    const xf__ivl *v = h->ivl;
    size_t H = (size_t)h->spec.horizon, L = h->n_levels, l, k, i, m;
    if (v == NULL || roll == NULL || roll->n == 0 || v->ncz == 0) {
        memcpy(qlo, h->q_lo, L * H * sizeof *qlo);
        memcpy(qhi, h->q_hi, L * H * sizeof *qhi);
        return;
    }
    /* the window's n values and cap - n evenly spaced held-out ones */
    m = roll->cap - roll->n;
    for (i = 0; i < roll->n; i++)
        scratch[i] = roll->z[i];
    for (i = 0; i < m; i++) {
        size_t j = m < 2 ? v->ncz / 2
                         : (size_t)floor((double)i * (double)(v->ncz - 1) / (double)(m - 1) + 0.5);
        scratch[roll->n + i] = v->cz[j];
    }
    if (h->symmetric)
        for (i = 0; i < roll->cap; i++)
            scratch[i] = fabs(scratch[i]);
    qsort(scratch, roll->cap, sizeof *scratch, cmp_double);
    for (l = 0; l < L; l++) {
        size_t il, ih;
        double level = h->levels[l];
        if (h->intervals == XF_INTERVALS_ACI)
            level -= 100.0 * roll->dalpha[l]; /* 100 (1 - alpha_t) */
        conformal_ranks(roll->cap, level, &il, &ih);
        if (h->symmetric) {
            /* the ceil((N+1) level)-th of |z|: -/+ it */
            double a = 1.0 - level / 100.0, kk = ceil((double)(roll->cap + 1) * (1.0 - a));
            size_t ik = kk < 1 ? 0 : kk > (double)roll->cap ? roll->cap - 1 : (size_t)kk - 1;
            for (k = 0; k < H; k++) {
                qlo[l * H + k] = -v->s[k] * scratch[ik];
                qhi[l * H + k] = v->s[k] * scratch[ik];
            }
            continue;
        }
        for (k = 0; k < H; k++) {
            qlo[l * H + k] = v->s[k] * scratch[il];
            qhi[l * H + k] = v->s[k] * scratch[ih];
        }
    }
}

void xf__ivl_refresh(xf_head *h)
{
    if (h->ivl != NULL && h->ivl->qlo != NULL)
        xf__ivl_quantiles(h, &h->ivl->roll, h->ivl->qlo, h->ivl->qhi, h->ivl->scratch);
}

const double *xf__ivl_head_lo(const xf_head *h)
{
    return h->ivl != NULL && h->ivl->roll.n > 0 && h->ivl->ncz > 0 ? h->ivl->qlo : h->q_lo;
}

const double *xf__ivl_head_hi(const xf_head *h)
{
    return h->ivl != NULL && h->ivl->roll.n > 0 && h->ivl->ncz > 0 ? h->ivl->qhi : h->q_hi;
}

int xf__ivl_setup(xf_head *h, const double *window, size_t n_window, const double *dalpha,
                  xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, L = h->n_levels, m = h->calib_m, k, i, cap;
    xf__ivl *v;
    if (h->intervals == XF_INTERVALS_SPLIT || h->calib == NULL || m == 0 || H == 0) {
        xf__ivl_free(h->ivl);
        h->ivl = NULL;
        return XF_OK;
    }
    cap = xf__ivl_cap(H);
    if ((v = calloc(1, sizeof *v)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    v->H = H;
    v->L = L;
    memcpy(v->levels, h->levels, L * sizeof *h->levels);
    v->s = malloc(H * sizeof *v->s);
    v->cz = xf__malloc_array(H * m, sizeof *v->cz);
    v->qlo = xf__malloc_array(L * H + 1, sizeof *v->qlo);
    v->qhi = xf__malloc_array(L * H + 1, sizeof *v->qhi);
    v->scratch = malloc(cap * sizeof *v->scratch);
    if (v->s == NULL || v->cz == NULL || v->qlo == NULL || v->qhi == NULL || v->scratch == NULL ||
        xf__roll_init(&v->roll, cap) != XF_OK) {
        xf__ivl_free(v);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    for (k = 0; k < H; k++) {
        double a = 0;
        for (i = 0; i < m; i++)
            a += fabs(h->calib[k * m + i]);
        v->s[k] = a / (double)m;
        if (v->s[k] > 0)
            for (i = 0; i < m; i++)
                v->cz[v->ncz++] = h->calib[k * m + i] / v->s[k];
    }
    qsort(v->cz, v->ncz, sizeof *v->cz, cmp_double);
    /* the window: the one given, else the head's current one */
    if (window != NULL) {
        for (i = 0; i < n_window; i++)
            xf__roll_push(&v->roll, window[i]);
        for (i = 0; i < L && dalpha != NULL; i++)
            v->roll.dalpha[i] = dalpha[i];
    } else if (h->ivl != NULL) {
        const xf__roll *o = &h->ivl->roll;
        for (i = 0; i < o->n; i++)
            xf__roll_push(&v->roll, xf__roll_get(o, i));
        /* the offsets belong to the levels they were learnt at */
        if (h->ivl->L == L && memcmp(h->ivl->levels, h->levels, L * sizeof *h->levels) == 0)
            memcpy(v->roll.dalpha, o->dalpha, sizeof v->roll.dalpha);
    }
    xf__ivl_free(h->ivl);
    h->ivl = v;
    xf__ivl_refresh(h);
    return XF_OK;
}
