/* options_internal.h - what the library, not its users, takes from the
 * option table (src/options.c; not installed).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_OPTIONS_INTERNAL_H
#define XF_OPTIONS_INTERNAL_H

#include <stdint.h>
#include "xfcast/options.h"
#include "xfcast/retrain.h"

/* The limits, defined once.  The option table's ranges are these (so the
 * command line and the INI reader of retrain refuse what they refuse),
 * xf_head_options_resolve checks them for every fit (xf_head_fit, retrain),
 * and the head loader checks the keys a head records against the same
 * values: a head that can be fitted loads, and a value the loader would
 * refuse is refused before the fit.  `xfcast help limits` and the LIMITS
 * section of the man page list them (xf_limits_help). */
#define XF__LIM_HORIZON_MAX 10000  /* --horizon, head.horizon */
#define XF__LIM_LAGS_MAX 100000    /* --lags, head.lags */
#define XF__LIM_SEASON_MAX 1000000 /* --season, head.season, a seasonal baseline's period */
#define XF__LIM_WINDOWS_MIN 100    /* --max-windows */
#define XF__LIM_WINDOWS_MAX 100000000
#define XF__LIM_STRIDE_MAX 1000000000 /* head.stride: the origin stride a fit chose */
#define XF__LIM_FEATURES_MAX 1000000  /* head.n_features: one head's feature columns */
#define XF__LIM_COVARIATES_MAX 1000   /* head.n_covariates */
#define XF__LIM_ENC_SIZE_MAX                                                                       \
    1000000 /* an encoder's embedding and context (encoder.N.embed,
                                          encoder.N.context, a zero-shot head.norm_window) */
#define XF__LIM_NORM_WINDOW_MAX XF__LIM_ENC_SIZE_MAX /* head.norm_window */
#define XF__LIM_PRETRAIN_HORIZON_MAX 4096 /* an encoder's pretraining head (pretrain.horizon) */
#define XF__LIM_THREADS_MAX 256           /* --threads */
#define XF__LIM_HOLDOUT_MAX 100000000     /* INI holdout */
#define XF__LIM_KEEP_MAX 100000000        /* INI keep */
#define XF__LIM_INI_LINE                                                                           \
    197 /* characters of an INI line, without its end: libinih's buffer
                                (INI_MAX_LINE, 200) less "\r\n" and the NUL */

/* "NAME V exceeds the limit MAX" or "NAME V is below the minimum MIN" into
 * err (XF_EINVAL) when v is outside [lo, hi], else XF_OK: the one message
 * of every range check of a limit above. */
int xf__limit_check(const char *name, int64_t v, int64_t lo, int64_t hi, xf_error *err);

/* The retrain configuration fingerprint of a source: FNV-1a over the
 * options the table marks as fingerprinted (see xf_option_hash), so that
 * an edited INI section makes `xfcast retrain` refit instead of update.
 * The value for a configuration that sets only options fingerprinted
 * since the first store format is the one those stores recorded. */
uint64_t xf__option_fingerprint(const xf_source *src);

#endif /* XF_OPTIONS_INTERNAL_H */
