/* model_check.h - what a model file must mean, beyond a valid container
 * (private).
 *
 * The .xfm reader (xfm.c) checks the container: magic, version, sizes,
 * offsets, CRC.  A valid container is not a valid model: these checks, made
 * by the encoder loader (encoder_file.c) and the head loader (head_file.c)
 * and when a head meets its encoders (head.c, head_forecast.c), refuse what
 * would crash, overflow, cost without bound or forecast garbage:
 *   - the memory a model would need (its weights and the workspaces of a
 *     forecast), computed from its header before anything is allocated,
 *     against a budget (XF__MODEL_MEMORY_DEFAULT_MB, or $XFCAST_MODEL_MEMORY_MB);
 *   - non-finite weights, named by tensor;
 *   - interval bounds out of order, a ridge head without features;
 *   - encoder names that are paths (a head names its encoders; they are
 *     looked up by name in the model search path, never where a file says);
 *   - a zero-shot head whose horizon its encoder's pretraining head does
 *     not reach.
 * docs/model-format.md ("Validation at load") lists the rules.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_MODEL_CHECK_H
#define XF_MODEL_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "encoder_arch.h"
#include "xf_internal.h"

#define XF__MODEL_MEMORY_DEFAULT_MB 1024              /* the default budget: 1 GB */
#define XF__MODEL_MEMORY_ENV "XFCAST_MODEL_MEMORY_MB" /* overrides it (MB, 1..2^30) */

struct xf_head;

/* The memory budget of one model, in bytes: $XFCAST_MODEL_MEMORY_MB when it
 * is a whole number 1..2^30, else the default. */
double xf__model_memory_limit(void);

/* Bytes an encoder of this architecture and configuration needs to be
 * loaded and used for forecasting: its parameters, a pretraining head of
 * `outputs` outputs reading the embedding and `lags` lags (and the
 * baselines), and the workspaces of a batch of forecast origins.  The
 * configuration must pass xf__encoder_arch_check_config.  Allocates
 * nothing. */
double xf__model_encoder_bytes(const xf__encoder_arch *arch, const xf_encoder_config *cfg,
                               int64_t outputs, int32_t lags);

/* "gru n_layers 8 x n_hidden 4096 (context 512)": a configuration's shape
 * for messages, into buf of size n. */
void xf__model_encoder_shape(const xf__encoder_arch *arch, const xf_encoder_config *cfg, char *buf,
                             size_t n);

/* Refuse (XF_ERANGE) an encoder configuration whose xf__model_encoder_bytes
 * are over the budget, naming the shape: "m.xfm: encoder gru n_layers 8 x
 * n_hidden 4096 (context 512) needs 3.2 GB, over the 1 GB limit (...)".  A
 * configuration the architecture refuses passes (its loader says why).
 * `path` names the file in the message. */
int xf__model_check_encoder_cost(const char *path, const xf__encoder_arch *arch,
                                 const xf_encoder_config *cfg, int64_t outputs, int32_t lags,
                                 xf_error *err);

/* Refuse (XF_EFORMAT) a loaded encoder with a non-finite weight, naming its
 * tensor and index. */
int xf__model_check_encoder(const xf_encoder *enc, const char *path, xf_error *err);

/* Refuse (XF_ERANGE) a head whose weights and forecast workspaces would need
 * more than the budget: H steps, P features, n_levels interval levels,
 * with sufficient statistics or not.  Called before its tensors are read. */
int xf__model_check_head_cost(const char *path, int64_t H, int64_t P, size_t n_levels,
                              int has_stats, xf_error *err);

/* Refuse (XF_EFORMAT) a loaded head that does not make sense: encoder names
 * that are not plain names, a ridge head without features, non-finite
 * weights, biases, penalties, interval bounds or statistics (named), a
 * lower interval bound above its upper bound. */
int xf__model_check_head(const struct xf_head *h, const char *path, xf_error *err);

/* Whether `name` may name an encoder in a head: not a path (no '/' or '\\',
 * not starting with '.', not ending in ".xfm") and no control characters. */
int xf__model_encoder_name_ok(const char *name);

/* Refuse (XF_EDATA) a zero-shot head's encoder whose pretraining head is
 * missing or shorter than the head's horizon.  XF_OK for a ridge head. */
int xf__model_check_zeroshot(const struct xf_head *h, const xf_encoder *enc, xf_error *err);

#endif /* XF_MODEL_CHECK_H */
