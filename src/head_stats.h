/* head_stats.h - the sufficient statistics of a head fit, before the
 * solve (private; head_fit.c accumulates them, head_stats.c saves, loads
 * and merges them).
 *
 * A fit is "accumulate, then solve": per candidate configuration, the
 * ridge statistics of the training origins (st) and of the held-out ones
 * (sv), and the held-out rows themselves (the held-out score and the
 * conformal residuals need the solved model, so they cannot be summed in
 * advance).  Statistics are accumulated one series at a time (feature
 * batches never span two series) and the per-series sums are added with
 * compensated (Neumaier) summation into a value and its rounding error:
 * the rounded sum then depends on the set of series, not on the order they
 * were added in, so a merge of shards gives the statistics of one fit on
 * all the series.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_HEAD_STATS_PRIV_H
#define XF_HEAD_STATS_PRIV_H

#include "head_internal.h"
#include "xfcast/head_stats.h"

#define XF_HEAD_STATS_FORMAT                                                                       \
    2 /* version of the part file's layout (stats.format):
                                  2 added each held-out row's rolling window */
#define XF_HEAD_STATS_MAX_SHARDS 65536

/* Compensated sums: a value hi and the rounding error lo of its sum. */
typedef struct xf__csum_stats {
    xf__ridge_stats hi, lo;
} xf__csum_stats;

int xf__csum_init(xf__csum_stats *c, size_t p, size_t q);
void xf__csum_free(xf__csum_stats *c);
/* c += x (x's upper triangle of X'X only, as the ridge statistics keep). */
void xf__csum_add(xf__csum_stats *c, const xf__ridge_stats *x);
/* c += other (both compensated). */
void xf__csum_merge(xf__csum_stats *c, const xf__csum_stats *other);
/* out = hi + lo rounded (out allocated here). */
int xf__csum_round(const xf__csum_stats *c, xf__ridge_stats *out);
/* a += x with Neumaier's compensation in *lo. */
static inline void xf__csum1(double *hi, double *lo, double x)
{
    double t = *hi + x;
    if ((*hi >= 0 ? *hi : -*hi) >= (x >= 0 ? x : -x))
        *lo += (*hi - t) + x;
    else
        *lo += (x - t) + *hi;
    *hi = t;
}

/* One candidate configuration's statistics. */
typedef struct xf__cand_stats {
    xf__feat_spec spec;    /* the candidate's features (enc[] borrowed, maybe NULL) */
    xf__csum_stats st, sv; /* training and held-out statistics */
    size_t nv, cap;        /* held-out rows kept, allocated */
    double *XV;            /* [nv][p] held-out features */
    double *YV;            /* [nv][H] their normalised targets (baseline removed) */
    double *VB;            /* [nv][H] the baseline (normalised) */
    double *VD;            /* [nv] normalised error -> MASE units (0: MASE undefined) */
    double *VS;            /* [nv] the origin's scale (normalised -> data units) */
    unsigned char *late;   /* [nv] later half of each series' held-out origins */
    unsigned char *fold;   /* [nv] rolling window (0..XF_HEAD_SELECT_FOLDS-1) */
    unsigned char *from;   /* [nv] first window whose model trains on the row
                              (fold+1..XF_HEAD_SELECT_FOLDS; the last: none) */
    unsigned char *first;  /* [nv] 1 on the first row of a series (rows of a series
                              are consecutive, in time order) */
    size_t *vser, *vorg;   /* [nv] each held-out row's series and origin in the panel
                              of a whole fit (head_blend.h); NULL once parts merge */
    size_t n_undef;        /* held-out origins whose MASE scale is undefined */
    double *W0, *b0;       /* [H][p], [H] the candidate's domain head (prior), or NULL */
    int failed;            /* the features failed (XF_EDATA): the candidate drops out */
    char why[640];         /* why, when failed (an xf_error message) */
} xf__cand_stats;

/* Free a candidate's statistics, rows and prior; *c is zeroed. */
void xf__cand_stats_free(xf__cand_stats *c);

struct xf_head_stats {
    xf_head *h;         /* the head being built: spec (candidate 0), domain, season,
                           levels, encoders, covariate names, meta (fit.note) */
    int32_t select;     /* XF_SELECT_* */
    int32_t per_step;   /* penalty per horizon step */
    int32_t selection;  /* XF_SELECTION_* */
    int32_t stride;     /* the resolved stride */
    int32_t n_shards;   /* 1: the whole panel */
    unsigned char *has; /* [n_shards]: shards accumulated here */
    size_t n_cand;
    xf__cand_stats cand[XF_HEAD_MAX_CANDIDATES];
    double seconds; /* accumulation time (summed over merged parts) */
    xf_xfm *info;   /* resolved settings (opt.*), provenance (data.*, source) and
                       the CSV options (csv.*) of the part */
};

/* head_fit.c: the statistics of the series of panel in shard `shard` of
 * n_shards (n_shards 1: all); full != 0 keeps the single fit's origin
 * count checks and messages. */
int xf__head_stats_accumulate(const xf_panel *panel, xf_encoder *const *encs, size_t n_enc,
                              const xf_head_options *opts, int32_t shard, int32_t n_shards,
                              xf_head_stats *hs, xf_head_options *resolved, xf_error *err);
/* head_fit.c: select, calibrate and refit from the statistics: the head
 * (hs->h moves into *out).  panel: provenance from the panel (single fit),
 * NULL: from hs->info (merged parts). */
int xf__head_stats_finish(xf_head_stats *hs, const xf_panel *panel, const xf_head_options *o,
                          double t_start, xf_head **out, xf_error *err);

/* head_stats.c: an empty set of statistics for n_shards shards. */
int xf__head_stats_new(int32_t n_shards, xf_head_stats **out, xf_error *err);
/* head_stats.c: the provenance keys of merged parts (source, data.*,
 * fit.date) in meta, in the order xf__head_record_provenance writes them. */
void xf__head_stats_provenance(const xf_head_stats *hs, xf_xfm *meta);

/* Whether series id belongs to shard i of n: the same stable hash as
 * xf_source_in_shard (FNV-1a of the name). */
int xf__in_shard(const char *id, int32_t shard, int32_t n_shards);

#endif /* XF_HEAD_STATS_PRIV_H */
