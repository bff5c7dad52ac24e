/* head_prior.h - the domain heads' data (issue 14 part 6, private): panels
 * of generated corpus-v2 series of one domain at a series' frequency, on
 * which a domain head (the prior a user's head is shrunk toward, ridge.h
 * xf__ridge_stats_residual) is fitted with the user's configuration.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_HEAD_PRIOR_H
#define XF_HEAD_PRIOR_H

#include <stddef.h>
#include <stdint.h>

#include "featurize.h"
#include "ridge.h"
#include "xfcast/error.h"
#include "xfcast/freq.h"
#include "xfcast/head.h"
#include "xfcast/panel.h"

/* How closely the panel matches what was asked. */
typedef enum xf__prior_match {
    XF__PRIOR_DOMAIN = 0,   /* samples of the domain's kinds on the frequency's calendar */
    XF__PRIOR_CALENDAR = 1, /* none of the domain on that calendar: any kind on it */
    XF__PRIOR_ANY = 2       /* no calendar of the frequency: generic samples (no calendar) */
} xf__prior_match;

/* A panel of n_series corpus-v2 samples (corpus seed `seed`, samples taken
 * in index order) whose kind belongs to the domain (stock: stock; weather:
 * weather; energy: energy; generic: every kind) and whose calendar is the
 * frequency's (pretrain_head.h xf__phead_calendar_freq), relaxed as
 * *match says when there are none; each series keeps the last max_len
 * values of its sample (at least 50 unless the sample is shorter), with
 * timestamps on freq from 2000-01-03 (a Monday; a frequency of no calendar
 * starts there too, on its own step).  Series ids are "corpus-<index>".
 * Deterministic in its arguments.  Returns XF_OK, XF_EINVAL (n_series 0 or
 * over 100000, max_len under 50, an unknown frequency) or XF_ENOMEM. */
int xf__prior_panel(xf_domain domain, xf_freq freq, size_t n_series, size_t max_len, uint64_t seed,
                    xf_panel **out, xf__prior_match *match, xf_error *err);

/* What the domain heads of one fit's candidates share (cache of
 * xf__head_prior_fit, NULL: none): the generated panel, and the encoders'
 * part of the rows (embeddings and window statistics, the expensive part)
 * for one set of encoders, first origin, stride and horizon - candidates
 * that differ only in lags, baseline, calendar or local features reuse them.
 * The rows do not depend on it: a cached fit equals an uncached one bit for
 * bit.  Zero-initialise; free with xf__prior_cache_free. */
typedef struct xf__prior_cache {
    xf_panel *panel; /* owned; its key: */
    xf_domain domain;
    xf_freq freq;
    size_t n_series, max_len;
    uint64_t seed;
    int have_rows; /* emb holds the rows of this key: */
    size_t n_enc;
    const xf_encoder *enc[XF_MAX_ENCODERS];
    size_t t0, stride, H, width;
    size_t n, cap; /* origins enumerated (usable or not), allocated */
    float *emb;    /* [n][width] xf__feat_embed's rows */
} xf__prior_cache;

void xf__prior_cache_free(xf__prior_cache *c);

/* A domain head for one feature configuration: ridge on the rows (features
 * and normalised targets, as a head learns them: xf__feat_targets) of every
 * `stride`-th origin of xf__prior_panel(domain, freq, n_series, max_len,
 * seed), from xf__head_first_origin(spec) on; the penalty is chosen on the
 * last fifth of the series (held out whole: the series are independent),
 * then refitted on all.  out: W [H][p] on the raw features and b [H] (the
 * prior of a user's head with this spec).  The panel has no covariates: a
 * spec with covariates is XF_EINVAL.  n_rows: the origins used (may be
 * NULL).  cache: see xf__prior_cache (NULL: none).  Returns XF_OK,
 * XF_EINVAL, XF_EDATA (too few usable origins), XF_ENOMEM or an encoder's
 * error. */
int xf__head_prior_fit(const xf__feat_spec *spec, xf_domain domain, xf_freq freq, size_t n_series,
                       size_t max_len, size_t stride, uint64_t seed, int n_threads,
                       xf__prior_cache *cache, xf__ridge_model *out, size_t *n_rows, xf_error *err);

#endif /* XF_HEAD_PRIOR_H */
