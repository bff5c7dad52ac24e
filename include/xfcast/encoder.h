/* xfcast/encoder.h - frozen time-series encoders (GRU and TCN).
 *
 * An encoder maps a context window of `context` values (missing values as
 * NaN) to a fixed-length embedding.  Each window is instance-normalised
 * first: mean and standard deviation of its observed values, values mapped to
 * (v - mean) / std, missing values to 0, plus a second input channel that is
 * 1 where a value was observed and 0 where it was missing.
 *   GRU: stacked torch.nn.GRU-style layers; embedding = the last hidden state
 *        of every layer (n_layers * n_hidden floats).
 *   TCN: 1x1 input projection, then residual blocks of two dilated causal
 *        convolutions (dilation 2^i) with ReLU; embedding = every block's
 *        output at the last step (n_blocks * n_channels floats).
 * Numbers are float32; the work is batched over windows as GEMM (CBLAS).
 * A `const xf_encoder *` may serve many threads at once, each with its own
 * workspace, and a workspace can spread one call over several threads.
 * Embeddings are bit-identical whatever the batch, the grouping and the
 * number of xfcast threads, provided BLAS itself runs single-threaded:
 * OpenBLAS sums in another order when it splits one product over its own
 * threads.  The xfcast CLI calls xf_blas_set_threads(1) and uses its own
 * threads; library users who need bit-identical results do the same.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XFCAST_ENCODER_H
#define XFCAST_ENCODER_H

#include <stddef.h>
#include <stdint.h>
#include "api.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xf_arch { XF_ARCH_GRU = 1, XF_ARCH_TCN = 2 } xf_arch;

/* The name of an architecture as files and the CLI write it ("gru", "tcn";
 * static), or NULL for a value this build does not know. */
XF_API const char *xf_encoder_arch_name(xf_arch arch);
/* The architecture called `name`.  Returns XF_OK, or XF_EINVAL ("unknown
 * encoder architecture 'lstm' (this build knows gru, tcn)"). */
XF_API int xf_encoder_arch_from_name(const char *name, xf_arch *out, xf_error *err);

/* Shape of an encoder.  Initialise with xf_encoder_config_init(). */
typedef struct xf_encoder_config {
    size_t struct_size;  /* sizeof, set by _init (see the ABI rule in xfcast.h) */
    xf_arch arch;        /* XF_ARCH_GRU or XF_ARCH_TCN */
    int32_t context;     /* window length (default 512) */
    int32_t n_layers;    /* GRU: stacked layers (default 1) */
    int32_t n_hidden;    /* GRU: hidden units per layer (default 64) */
    int32_t n_channels;  /* TCN: channels (default 32) */
    int32_t n_blocks;    /* TCN: residual blocks (default 9: receptive field 2045 at kernel 3) */
    int32_t kernel_size; /* TCN: taps per convolution (default 3) */
    /* ---- libtool version 6 */
    int32_t n_inputs; /* input channels per step: 2 (default: the normalised value and its
                         observed mask) or 3 (also the seasonal difference: the value less
                         the value one period earlier, on the same scale, 0 where either is
                         missing; the period is the workspace's, see
                         xf_encoder_workspace_set_period) */
} xf_encoder_config;

/* Defaults for an architecture. */
XF_API void xf_encoder_config_init(xf_encoder_config *cfg, xf_arch arch);
XF_API void xf_encoder_config_init_sized(xf_encoder_config *cfg, xf_arch arch, size_t size);
/* (a macro: the library writes only the caller's sizeof; see the ABI rule in xfcast.h) */
#define xf_encoder_config_init(cfg, arch) xf_encoder_config_init_sized((cfg), (arch), sizeof *(cfg))

typedef struct xf_encoder xf_encoder;

/* A new encoder with randomly initialised weights (deterministic by seed;
 * PyTorch's default initialisation ranges).  Returns XF_OK, XF_EINVAL for a
 * bad configuration (the message names the field and its range; a TCN whose
 * receptive field is shorter than the context is refused) or XF_ENOMEM. */
XF_API int xf_encoder_new(const xf_encoder_config *cfg, uint64_t seed, xf_encoder **out,
                          xf_error *err);

/* Free an encoder.  NULL is a no-op. */
XF_API void xf_encoder_free(xf_encoder *enc);

/* The configuration (borrowed). */
XF_API const xf_encoder_config *xf_encoder_get_config(const xf_encoder *enc);
/* Floats in the embedding of one window. */
XF_API size_t xf_encoder_embed_size(const xf_encoder *enc);
/* Window length. */
XF_API int32_t xf_encoder_context(const xf_encoder *enc);
/* Number of trainable parameters. */
XF_API size_t xf_encoder_n_params(const xf_encoder *enc);
/* The parameters as one flat float array (tensors in the order of the
 * architecture's layout: src/encoder_gru.c, src/encoder_tcn.c).  The const
 * version is for reading; the other lets trainers and loaders write. */
XF_API const float *xf_encoder_params(const xf_encoder *enc);
XF_API float *xf_encoder_params_mut(xf_encoder *enc);

/* Scratch memory for embedding up to `max_batch` windows per internal step;
 * one per thread. */
typedef struct xf_encoder_workspace xf_encoder_workspace;
XF_API int xf_encoder_workspace_new(const xf_encoder *enc, size_t max_batch,
                                    xf_encoder_workspace **out, xf_error *err);
XF_API void xf_encoder_workspace_free(xf_encoder_workspace *ws);

/* Let xf_encoder_embed spread its groups of windows over n threads (default
 * 1).  The embeddings are bit-identical for every n.  Each thread calls BLAS;
 * with OpenBLAS set its own threading to 1 (xf_blas_set_threads) to avoid
 * oversubscribing the cores.  Returns XF_OK, XF_EINVAL (n outside 1..256) or
 * XF_ENOMEM. */
XF_API int xf_encoder_workspace_set_threads(xf_encoder_workspace *ws, int n, xf_error *err);

/* The seasonal period of the windows that xf_encoder_embed is given next
 * (an encoder with n_inputs 3 reads the seasonal difference at it; others
 * ignore it).  1 (the default): the first difference, for data without a
 * season.  The heads set it from the data's frequency (24 for hourly data,
 * 48 half-hourly, 7 daily, 12 monthly, ...: its first calendar period).
 * Returns XF_OK or XF_EINVAL (period outside 1..65536). */
XF_API int xf_encoder_workspace_set_period(xf_encoder_workspace *ws, int32_t period, xf_error *err);

/* Embed n windows.  windows: [n][context] raw values, NaN = missing
 * (borrowed).  emb: [n][embed_size] written by the call.  norm: when not
 * NULL, [n][2] receives each window's mean and standard deviation (std 1 for
 * constant or empty windows).  Windows are processed in groups of the
 * workspace's max_batch; results do not depend on n, the grouping or the
 * number of threads in use.  Returns XF_OK or XF_EINVAL (workspace made for
 * another encoder). */
XF_API int xf_encoder_embed(const xf_encoder *enc, xf_encoder_workspace *ws, const float *windows,
                            size_t n, float *emb, float *norm, xf_error *err);

/* Set the number of threads of the BLAS library (OpenBLAS) for the whole
 * process.  The library never calls this itself; programs that run their
 * own worker threads (xf_pretrain) use it to avoid oversubscription.
 * Results do not depend on it. */
XF_API void xf_blas_set_threads(int n);

/* ------------------------------------------------------------ files */

/* Save an encoder (weights, configuration, its pretraining head if any and
 * its provenance metadata) as an .xfm file of kind "encoder", atomically.
 * Returns XF_OK or XF_EIO / XF_ENOMEM (see xf_xfm_save). */
XF_API int xf_encoder_save(const xf_encoder *enc, const char *path, xf_error *err);

/* Load an encoder file.  Every tensor the configuration implies must be
 * present with its exact shape; otherwise XF_EFORMAT names the tensor.
 * Other statuses as xf_xfm_load. */
XF_API int xf_encoder_load(const char *path, xf_encoder **out, xf_error *err);

/* Provenance metadata kept with the encoder and saved with it ("pretrain.*"
 * keys: corpus recipe, seed, steps, date, losses).  Strings are copied.
 * Returns XF_OK, XF_EINVAL (bad key) or XF_ENOMEM. */
XF_API int xf_encoder_set_meta_str(xf_encoder *enc, const char *key, const char *value);
XF_API int xf_encoder_set_meta_i64(xf_encoder *enc, const char *key, int64_t value);
XF_API int xf_encoder_set_meta_f64(xf_encoder *enc, const char *key, double value);
/* The metadata container (borrowed; read it with the xf_xfm_get_* calls). */
XF_API const struct xf_xfm *xf_encoder_meta(const xf_encoder *enc);

/* Short name of the encoder: the file name without directory and ".xfm"
 * when it was loaded (e.g. "gru-base"), else "" until set.  Heads record
 * their encoders by this name and by fingerprint.  Borrowed. */
XF_API const char *xf_encoder_name(const xf_encoder *enc);
/* Set the name (truncated to 63 bytes). */
XF_API void xf_encoder_set_name(xf_encoder *enc, const char *name);
/* A 64-bit content hash (FNV-1a) of the configuration and every weight:
 * two encoders with the same fingerprint compute the same embeddings. */
XF_API uint64_t xf_encoder_fingerprint(const xf_encoder *enc);

/* -------------------------------------------------- zero-shot forecasts */

/* Steps forecast by the pretraining head, 0 when the encoder has none. */
XF_API int32_t xf_encoder_horizon(const xf_encoder *enc);

/* Give the encoder a linear pretraining head of `horizon` steps: w
 * [horizon][embed_size] and b [horizon] (copied). Returns XF_OK, XF_EINVAL,
 * XF_ENOMEM. */
XF_API int xf_encoder_set_head(xf_encoder *enc, int32_t horizon, const float *w, const float *b);
/* The head's weights (borrowed; NULL when there is none): [outputs][embed_size
 * + lags] and [outputs], outputs = horizon x quantiles (see below). */
XF_API const float *xf_encoder_head_weights(const xf_encoder *enc);
XF_API const float *xf_encoder_head_bias(const xf_encoder *enc);

/* The kind of pretraining head: 0 none; XF_ENCODER_HEAD_LINEAR, the mean of
 * the next `horizon` normalised values from the embedding alone (the v1
 * encoders); XF_ENCODER_HEAD_SEASONAL, quantiles of each step from the
 * embedding, the window's last normalised values and its seasonal-naive
 * forecasts for the series' periods (pretrain --head seasonal). */
#define XF_ENCODER_HEAD_LINEAR 1
#define XF_ENCODER_HEAD_SEASONAL 2
XF_API int xf_encoder_head_kind(const xf_encoder *enc);
/* Quantile outputs per step of a seasonal head (0 for none or linear), and
 * the level of output i (increasing; NaN out of range). */
XF_API int32_t xf_encoder_n_quantiles(const xf_encoder *enc);
/* Lags a seasonal head reads (0 for none or linear). */
XF_API int32_t xf_encoder_head_lags(const xf_encoder *enc);
XF_API double xf_encoder_quantile(const xf_encoder *enc, int32_t i);

/* Zero-shot forecast: for each of n windows ([n][context], NaN = missing),
 * the next `horizon` values ([n][horizon], in the data's units) from the
 * pretraining head (a seasonal head's median, with no period: its seasonal
 * baselines are then the last value).  Returns XF_OK, or XF_EINVAL when the
 * encoder has no head or horizon exceeds it. */
XF_API int xf_encoder_forecast(const xf_encoder *enc, xf_encoder_workspace *ws,
                               const float *windows, size_t n, int32_t horizon, float *out,
                               xf_error *err);
/* The same with the series' two seasonal periods in steps (1 or 0: none;
 * e.g. 24 and 168 for hourly data), which a seasonal head reads: out
 * [n][horizon] the median (or the linear head's mean; NULL to skip) and
 * quantiles NULL or [n][max(1, n_quantiles)][horizon], each step's values
 * in increasing order (a linear head's mean as its one "quantile"). */
XF_API int xf_encoder_forecast_periods(const xf_encoder *enc, xf_encoder_workspace *ws,
                                       const float *windows, size_t n, int32_t horizon,
                                       const int32_t periods[2], float *out, float *quantiles,
                                       xf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* XFCAST_ENCODER_H */
