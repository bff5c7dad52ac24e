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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Conformal quantiles of residuals e[0..n) (sorted in place): the
 * floor((n+1) a/2)-th and ceil((n+1)(1-a/2))-th order statistics. */
static void conformal(double *e, size_t n, double level, double *lo, double *hi)
{
    double a = 1.0 - level / 100.0;
    double kl = floor((double)(n + 1) * a / 2.0), kh = ceil((double)(n + 1) * (1.0 - a / 2.0));
    qsort(e, n, sizeof *e, cmp_double);
    if (kl < 1)
        kl = 1;
    if (kh > (double)n)
        kh = (double)n;
    *lo = e[(size_t)kl - 1];
    *hi = e[(size_t)kh - 1];
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
    for (l = 0; l < h->n_levels; l++) {
        size_t inside = 0, tot = 0;
        char key[48];
        for (k = 0; k < H; k++) {
            double lo, hi;
            size_t m = 0;
            for (i = 0; i < nv; i++)
                col[i] = res[i * H + k];
            conformal(col, nv, h->levels[l], &h->q_lo[l * H + k], &h->q_hi[l * H + k]);
            if (ne >= XF_HEAD_MIN_COVERAGE_HALF && nl >= XF_HEAD_MIN_COVERAGE_HALF) {
                for (i = 0; i < nv; i++)
                    if (!late[i])
                        col[m++] = res[i * H + k];
                conformal(col, m, h->levels[l], &lo, &hi);
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
    return XF_OK;
}
