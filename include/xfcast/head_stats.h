/* xfcast/head_stats.h - a head fitted in parts: the sufficient statistics
 * of a shard of the series, merged and solved elsewhere.
 *
 * xf_head_stats_fit accumulates what xf_head_fit needs from the series of
 * shard i of n (the series whose id hashes to i, the same stable hash as
 * xf_source_in_shard and `retrain --shard`): per candidate configuration
 * the ridge statistics of the training and held-out origins, plus the
 * held-out rows (features, targets and scales), which choosing the
 * candidate, the penalty and the conformal intervals need.  A part holds
 * only its own series' rows; its memory is that of a fit on those series.
 * xf_head_stats_merge adds parts; xf_head_stats_solve turns the statistics
 * of all n shards into the head xf_head_fit gives on all the series with
 * the same resolved options (see docs/ARCHITECTURE.md, Sharded fits, for
 * what is guaranteed: same candidate and penalty, statistics summed with
 * compensation so that the order of the parts does not matter).
 *
 * Options that a fit resolves from the data (domain, season, lags
 * shortened for short series, the stride, the frequency's calendar terms,
 * covariates, encoders) are resolved on every series of the panel given,
 * not only the shard's, so the parts of one panel resolve them as one fit
 * on it; each part records them, and a merge of parts that resolved them
 * differently (parts of different panels) is refused, naming the option to
 * pass explicitly.  The stride (raised when there are more than max_windows
 * origins) is chosen on the origins of every series of the panel given,
 * not only the shard's: parts of the same panel choose the stride of one
 * fit on it.
 *
 * Ownership: handles are owned by the caller and freed with
 * xf_head_stats_free (NULL is a no-op); inputs are borrowed.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_HEAD_STATS_H
#define XFCAST_HEAD_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "dataset.h"
#include "encoder.h"
#include "error.h"
#include "head.h"
#include "panel.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xf_head_stats xf_head_stats;

/* The statistics of shard `shard` (0-based) of n_shards (1..65536) of the
 * panel's series.  Returns XF_OK, XF_EINVAL (bad options or shard),
 * XF_EDATA (no series in the shard, or none with an origin), XF_ENOMEM. */
XF_API int xf_head_stats_fit(const xf_panel *panel, xf_encoder *const *encs, size_t n_enc,
                             const xf_head_options *opts, int32_t shard, int32_t n_shards,
                             xf_head_stats **out, xf_error *err);

/* Record the CSV options the data was read with (as
 * xf_head_record_csv_options; the merged head carries them). */
XF_API int xf_head_stats_record_csv_options(xf_head_stats *s, const xf_csv_options *opts,
                                            const xf_dataset *ds, xf_error *err);

/* Save (atomically; an .xfm file of kind "head-stats") and load (the file
 * is treated as hostile: counts, shapes and sizes are checked). */
XF_API int xf_head_stats_save(const xf_head_stats *s, const char *path, xf_error *err);
XF_API int xf_head_stats_load(const char *path, xf_head_stats **out, xf_error *err);

/* dst += src: refused (XF_EINVAL, naming the option) when they resolved an
 * option differently, were fitted with other encoders, another horizon or
 * another shard count, or hold a shard in common. */
XF_API int xf_head_stats_merge(xf_head_stats *dst, const xf_head_stats *src, xf_error *err);

/* Shard count, and whether shard i is in s (after merges: several). */
XF_API int32_t xf_head_stats_n_shards(const xf_head_stats *s);
XF_API int xf_head_stats_has_shard(const xf_head_stats *s, int32_t i);
/* Series and held-out origins accumulated. */
XF_API int64_t xf_head_stats_n_series(const xf_head_stats *s);
/* The statistics' metadata (opt.*, data.*, csv.* keys; borrowed). */
XF_API const struct xf_xfm *xf_head_stats_meta(const xf_head_stats *s);

/* Solve: the head (owned by the caller; its encoders are attached with
 * xf_head_attach_encoders before forecasting).  Every shard must be in s
 * unless allow_missing (XF_EINVAL naming the missing ones).  s is consumed
 * (free it after).  Returns xf_head_fit's codes. */
XF_API int xf_head_stats_solve(xf_head_stats *s, int allow_missing, xf_head **out, xf_error *err);

XF_API void xf_head_stats_free(xf_head_stats *s);

#ifdef __cplusplus
}
#endif

#endif /* XFCAST_HEAD_STATS_H */
