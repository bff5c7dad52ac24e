/* head_conformal.c - split-conformal intervals: quantiles of held-out
 * residuals per step, and the honest coverage of early-half quantiles on the
 * late half.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "head_internal.h"
#include "head_intervals.h"
#include "xf_internal.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Conformal quantiles of residuals e[0..n) (sorted in place): the
 * floor((n+1) a/2)-th and ceil((n+1)(1-a/2))-th order statistics; sym: -/+
 * the ceil((n+1)(1-a))-th of |e| (e made absolute). */
static void conformal(double *e, size_t n, double level, int sym, double *lo, double *hi)
{
    double a = 1.0 - level / 100.0;
    if (sym) {
        size_t i;
        double k = ceil((double)(n + 1) * (1.0 - a));
        for (i = 0; i < n; i++)
            e[i] = fabs(e[i]);
        qsort(e, n, sizeof *e, cmp_double);
        if (k > (double)n)
            k = (double)n;
        if (k < 1)
            k = 1;
        *hi = e[(size_t)k - 1];
        *lo = -*hi;
        return;
    }
    double kl = floor((double)(n + 1) * a / 2.0), kh = ceil((double)(n + 1) * (1.0 - a / 2.0));
    qsort(e, n, sizeof *e, cmp_double);
    if (kl < 1)
        kl = 1;
    if (kh > (double)n)
        kh = (double)n;
    *lo = e[(size_t)kl - 1];
    *hi = e[(size_t)kh - 1];
}

/* Index into n sorted values of the i-th of m evenly spaced order
 * statistics (i itself when all are kept). */
static size_t calib_index(size_t i, size_t m, size_t n)
{
    if (m >= n || m < 2)
        return i;
    return (size_t)floor((double)i * (double)(n - 1) / (double)(m - 1) + 0.5);
}

int xf__head_levels_from_calib(xf_head *h)
{
    size_t H = (size_t)h->spec.horizon, n = h->calib_n, m = h->calib_m, l, k, i;
    if (h->symmetric) {
        /* -/+ the order statistic of |residual| conformal() takes, from
         * the kept ones (all n, or m evenly spaced: |.| of those) */
        double *col = malloc(m * sizeof *col);
        if (col == NULL)
            return XF_ENOMEM;
        for (k = 0; k < H; k++) {
            for (i = 0; i < m; i++)
                col[i] = h->calib[k * m + i];
            for (l = 0; l < h->n_levels; l++) {
                double q, dummy;
                conformal(col, m, h->levels[l], 1, &dummy, &q);
                h->q_lo[l * H + k] = -q;
                h->q_hi[l * H + k] = q;
            }
        }
        free(col);
        return XF_OK;
    }
    for (l = 0; l < h->n_levels; l++) {
        /* the order statistics conformal() takes, mapped onto those kept */
        double a = 1.0 - h->levels[l] / 100.0;
        double kl = floor((double)(n + 1) * a / 2.0), kh = ceil((double)(n + 1) * (1.0 - a / 2.0));
        size_t il, ih;
        if (kl < 1)
            kl = 1;
        if (kh > (double)n)
            kh = (double)n;
        il = (size_t)kl - 1;
        ih = (size_t)kh - 1;
        if (m < n && m >= 2) {
            il = (size_t)floor((double)il * (double)(m - 1) / (double)(n - 1) + 0.5);
            ih = (size_t)floor((double)ih * (double)(m - 1) / (double)(n - 1) + 0.5);
        }
        for (k = 0; k < H; k++) {
            h->q_lo[l * H + k] = h->calib[k * m + il];
            h->q_hi[l * H + k] = h->calib[k * m + ih];
        }
    }
    return XF_OK;
}

int xf_head_set_levels(xf_head *h, const double *levels, size_t n_levels, xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, i;
    double *lo, *hi;
    if (n_levels > XF_MAX_LEVELS)
        return xf__fail(err, XF_EINVAL, 0, 0, "%zu interval levels; at most %d", n_levels,
                        XF_MAX_LEVELS);
    for (i = 0; i < n_levels; i++)
        if (!(levels[i] > 0 && levels[i] < 100))
            return xf__fail(err, XF_EINVAL, 0, 0, "interval level %g is not in (0, 100)",
                            levels[i]);
        else if (xf__level_index(levels, i, levels[i]) < i)
            return xf__fail(err, XF_EINVAL, 0, 0, "interval level %.17g is given twice", levels[i]);
    if (n_levels == h->n_levels) {
        for (i = 0; i < n_levels && levels[i] == h->levels[i]; i++)
            ;
        if (i == n_levels)
            return XF_OK; /* its own levels: the quantiles of the fit */
    }
    if (h->calib == NULL || h->calib_m == 0)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "the head keeps no calibration scores (written by an older xfcast): "
                        "refit it to forecast other interval levels");
    lo = calloc(n_levels * H + 1, sizeof *lo);
    hi = calloc(n_levels * H + 1, sizeof *hi);
    if (lo == NULL || hi == NULL) {
        free(lo);
        free(hi);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    free(h->q_lo);
    free(h->q_hi);
    h->q_lo = lo;
    h->q_hi = hi;
    h->n_levels = n_levels;
    for (i = 0; i < n_levels; i++)
        h->levels[i] = levels[i];
    if (xf__head_levels_from_calib(h) != XF_OK)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    /* the adaptive intervals at the new levels, from the same window */
    return xf__ivl_setup(h, NULL, 0, NULL, err);
}

/* Intervals from held-out residuals res [nv][H]: quantiles per step; the
 * coverage reported is that of quantiles from the early half of the
 * held-out origins on the late half (honest, out of sample). */
int xf__head_calibrate(xf_head *h, const double *res, const unsigned char *late, size_t nv,
                       xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, l, k, i, ne = 0, nl = 0;
    double *col = malloc((nv ? nv : 1) * sizeof *col);
    if (col == NULL || (h->q_lo = calloc(h->n_levels * H + 1, sizeof *h->q_lo)) == NULL ||
        (h->q_hi = calloc(h->n_levels * H + 1, sizeof *h->q_hi)) == NULL) {
        free(col);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    for (i = 0; i < nv; i++) {
        ne += !late[i];
        nl += late[i];
    }
    /* the sorted residuals of each step, kept for other levels */
    free(h->calib);
    h->calib_n = nv;
    h->calib_m = nv < XF_HEAD_CALIB_MAX ? nv : XF_HEAD_CALIB_MAX;
    if ((h->calib = xf__malloc_array(H * h->calib_m + 1, sizeof *h->calib)) == NULL) {
        free(col);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    for (k = 0; k < H; k++) {
        for (i = 0; i < nv; i++)
            col[i] = res[i * H + k];
        qsort(col, nv, sizeof *col, cmp_double);
        for (i = 0; i < h->calib_m; i++)
            h->calib[k * h->calib_m + i] = col[calib_index(i, h->calib_m, nv)];
    }
    for (l = 0; l < h->n_levels; l++) {
        size_t inside = 0, tot = 0;
        char key[48];
        for (k = 0; k < H; k++) {
            double lo, hi;
            size_t m = 0;
            for (i = 0; i < nv; i++)
                col[i] = res[i * H + k];
            conformal(col, nv, h->levels[l], h->symmetric, &h->q_lo[l * H + k],
                      &h->q_hi[l * H + k]);
            if (ne >= XF_HEAD_MIN_COVERAGE_HALF && nl >= XF_HEAD_MIN_COVERAGE_HALF) {
                for (i = 0; i < nv; i++)
                    if (!late[i])
                        col[m++] = res[i * H + k];
                conformal(col, m, h->levels[l], h->symmetric, &lo, &hi);
                for (i = 0; i < nv; i++)
                    if (late[i]) {
                        inside += res[i * H + k] >= lo && res[i * H + k] <= hi;
                        tot++;
                    }
            }
        }
        snprintf(key, sizeof key, "coverage.%g", h->levels[l]);
        xf_xfm_set_f64(h->meta, key, tot ? 100.0 * (double)inside / (double)tot : NAN);
    }
    free(col);
    return xf__ivl_setup(h, NULL, 0, NULL, err);
}
