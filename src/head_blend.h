/* head_blend.h - a head's forecast blended with a forecast that needs no
 * fitting (private): naive, seasonal naive, or the local window model of
 * each origin (localmodels.h), the share chosen on held-out origins.
 *
 * A zero-shot head's pretraining head has never seen the user's series,
 * and a ridge head fitted on a short history has little to learn from:
 * both can be worse than a plain forecast that is right there, and a blend
 * of the two is often better than either.  The head stores the baseline
 * (h->blend_base: 1 naive, m > 1 seasonal naive of period m,
 * XF_BASELINE_LOCAL the local window model of spec.local_period) and its
 * share in percent (h->blend_share, 0: none); keys head.blend_baseline and
 * head.blend_share (absent in heads written before them: none).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_HEAD_BLEND_H
#define XF_HEAD_BLEND_H

#include <stddef.h>
#include <stdint.h>

#include "featurize.h"
#include "xfcast/dataset.h"
#include "xfcast/error.h"

struct xf_head;

#define XF__BLEND_MAX_BASES 4 /* baselines tried: naive, two periods, the local model */

/* Held-out rows to choose a blend on: each one's series and origin, usable
 * (normalised by xf__feat_norm of the head's spec), and a weight per row
 * that turns its absolute normalised errors into the score's units (MASE:
 * scale / MASE scale; NULL: 1 for every row). */
typedef struct xf__blend_rows {
    const size_t *ser, *org;
    size_t n;
    const double *w;
} xf__blend_rows;

/* Choose h->blend_base and h->blend_share among the baselines bases[nb]
 * (1, a period > 1, XF_BASELINE_LOCAL with h->spec.local_period) x shares
 * 25, 50, 75 and 100%: the lowest weighted mean absolute error over the
 * rows, the head's own forecast (share 0) unless one is strictly lower.
 * res [n][H] (the head's normalised errors, value - forecast) is replaced
 * by the chosen forecast's.  *before / *after: the scores (may be NULL).
 * XF_OK, XF_ENOMEM, or XF_EINVAL when a row cannot be normalised. */
int xf__blend_choose(struct xf_head *h, const xf_panel *panel, const xf__blend_rows *rows,
                     const int32_t *bases, size_t nb, double *res, double *before, double *after,
                     xf_error *err);

/* pred [m][H] (normalised, the head's own) := the blend, for the origins
 * with ok[i]; nothing without a blend. */
void xf__blend_apply(const struct xf_head *h, xf__feat_ws *fws, const xf_panel *panel,
                     const size_t *series, const size_t *origin, size_t m, const double *level,
                     const double *scale, const unsigned char *ok, double *pred);

/* The blend in words, as snprintf: "" without one, else e.g. "25% seasonal
 * naive (period 24)" or "100% the local model (periods 24, 168)" (without
 * with_share: "seasonal naive (period 24)"). */
size_t xf__blend_name(const struct xf_head *h, int with_share, char *buf, size_t n);

#endif /* XF_HEAD_BLEND_H */
