/* head_intervals.h - adaptive ("rolling") conformal intervals: the
 * split-conformal quantiles of a head rescaled by its most recent
 * out-of-sample errors (private).
 *
 * The held-out residuals of a fit (h->calib) give each step k a scale s_k,
 * their mean absolute value.  An out-of-sample error e of step k (a
 * forecast whose target has since been observed) enters a rolling window
 * as z = e / s_k: one window for all steps, so that each origin adds up to
 * H errors and the window follows a change of the error scale within a few
 * origins.  The interval of step k at a level is s_k times the conformal
 * quantiles (each tail separately, as the split quantiles) of a sample of
 * cap values: the n errors of the window and cap - n evenly spaced order
 * statistics of the held-out z of every step, so that the first recent
 * errors move the intervals a little and a full window alone decides.
 * With an empty window the intervals are the split ones, unchanged.
 * With ACI the level of those quantiles moves with the errors that fell
 * outside the intervals issued for them (XF_IVL_ACI_GAMMA).
 *
 * Where the errors come from (never from origins the head was fitted on):
 * xf_backtest's test origins, once their targets precede the origin being
 * forecast (one window per series, starting from the head's); and
 * xf_head_update, the new origins' errors under the head before the update
 * (the head's window, saved as interval.recent; interval.end records the
 * last time learnt); and xf_head_forecast, the origins of a series whose
 * targets come after interval.end (else data.end) and before the forecast
 * origin: data grown since the fit (at most XF_IVL_ORIGINS origins, H
 * apart; the head itself is not changed).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_HEAD_INTERVALS_H
#define XF_HEAD_INTERVALS_H

#include <stddef.h>

#include "xfcast/error.h"

struct xf_head;

/* The rolling window size for a horizon H: XF_IVL_ORIGINS origins of H
 * errors, at least XF_IVL_MIN_CAP and at most XF_IVL_MAX_CAP values. */
#define XF_IVL_ORIGINS 8
#define XF_IVL_MIN_CAP 100
#define XF_IVL_MAX_CAP 4096
#define XF_IVL_MAX_LEVELS 8 /* XF_MAX_LEVELS */
size_t xf__ivl_cap(size_t H);

/* ACI (Gibbs and Candes 2021): after each error of step k, the
 * miscoverage aimed at for each level moves by XF_IVL_ACI_GAMMA times
 * (nominal - missed), missed = 1 when the error fell outside the interval
 * issued for it; kept within [XF_IVL_ACI_MIN, 1]. */
#define XF_IVL_ACI_GAMMA 0.005
#define XF_IVL_ACI_MIN (-0.5)

/* A ring of the cap most recent values, oldest first at pos once full,
 * and the ACI offsets of the levels' miscoverage (alpha_t - alpha). */
typedef struct xf__roll {
    size_t cap, n, pos;
    double *z; /* [cap] */
    double dalpha[XF_IVL_MAX_LEVELS];
} xf__roll;

int xf__roll_init(xf__roll *r, size_t cap);
void xf__roll_free(xf__roll *r);
/* dst (initialised to the same cap or empty) becomes a copy of src. */
int xf__roll_copy(xf__roll *dst, const xf__roll *src);
/* Add a value (non-finite ones are ignored), the oldest dropped when full. */
void xf__roll_push(xf__roll *r, double z);
/* The i-th value in arrival order (0: the oldest kept). */
double xf__roll_get(const xf__roll *r, size_t i);

/* The adaptive state of a head (h->ivl; NULL for split intervals or a head
 * without held-out residuals).  Its window keeps the ACI offsets too
 * (reset when the levels change). */
typedef struct xf__ivl xf__ivl;

/* (Re)build h->ivl from h->calib and h->intervals, keeping its window when
 * there is one (or taking `window`, values in arrival order, and dalpha
 * [n_levels] (may be NULL: 0) when given); computes the adapted quantiles.
 * A head without calib gets none. */
int xf__ivl_setup(struct xf_head *h, const double *window, size_t n_window, const double *dalpha,
                  xf_error *err);
void xf__ivl_free(xf__ivl *v);
/* The head's window (NULL when none). */
const xf__roll *xf__ivl_roll(const xf__ivl *v);
/* The errors e[from..to) of one origin's steps (NaN: target missing),
 * now observed: pushed to roll, scaled per step, and with ACI (and the
 * quantiles qlo/qhi [L][H] issued for them; may be NULL) the levels'
 * offsets updated. */
void xf__ivl_observe(const struct xf_head *h, xf__roll *roll, const double *e, const double *qlo,
                     const double *qhi, size_t from, size_t to);
/* The quantiles [L][H] for a window: h->q_lo/q_hi when the window is empty
 * (or the head has no adaptive state), else the rescaled ones; scratch
 * holds roll->cap values. */
void xf__ivl_quantiles(const struct xf_head *h, const xf__roll *roll, double *qlo, double *qhi,
                       double *scratch);
/* The head's adapted quantiles (h->q_lo/q_hi when its window is empty). */
const double *xf__ivl_head_lo(const struct xf_head *h);
const double *xf__ivl_head_hi(const struct xf_head *h);
/* After new errors pushed to the head's window: recompute its quantiles. */
void xf__ivl_refresh(struct xf_head *h);
/* The head's window, writable (NULL when none). */
xf__roll *xf__ivl_roll_mut(xf__ivl *v);

#endif /* XF_HEAD_INTERVALS_H */
