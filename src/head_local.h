/* head_local.h - the head of a series too short for a ridge head: the
 * local window model alone, calibrated on its own errors (private; see
 * head_local.c).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_HEAD_LOCAL_H
#define XF_HEAD_LOCAL_H

#include "xfcast/head.h"
#include "xfcast/panel.h"

/* The first calibration origin: the window model needs 3 observed values. */
#define XF_HEAD_LOCAL_FIRST 3
/* Fewer calibration origins than XF_HEAD_MIN_VALID, but at least this
 * many: the intervals come from their errors pooled over the steps (each
 * error divided by sqrt(step), the quantiles grown back by sqrt(step)), so
 * that a series of one season plus the horizon still gets a head. */
#define XF_HEAD_LOCAL_MIN_POOLED 2

/* 1 when the options leave the configuration to the fit (automatic lags,
 * embeddings and baseline, no covariates, seasonal scale, history or
 * per-step penalty asked for, the local model not switched off), so that
 * a fit without the origins a ridge head needs may fall back to the local
 * model alone; 0 when a fallback would ignore an option the caller gave. */
int xf__head_local_allowed(const xf_head_options *o, const xf_panel *panel);

/* The local-model head of panel (opts as given to xf_head_fit; why: the
 * reason a ridge head could not be fitted, repeated in the note and in
 * any error).  XF_OK, XF_EDATA (too short even for this: the message
 * says how long a series must be), XF_ENOMEM. */
int xf__head_fit_local(const xf_panel *panel, const xf_head_options *opts, const char *why,
                       xf_head **out, xf_error *err);

#endif /* XF_HEAD_LOCAL_H */
