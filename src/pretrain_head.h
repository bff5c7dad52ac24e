/* pretrain_head.h - the pretraining head of an encoder (private): what it
 * reads besides the embedding and how it predicts.  Used by pretraining
 * (src/pretrain.c) and by zero-shot forecasts (xf_encoder_forecast*,
 * the zero-shot heads of head_forecast.c), so that both build the same
 * inputs.
 *
 * Two kinds (pretrain.head in the encoder file):
 *   linear    y[h] = b[h] + W[h] . emb: the mean of the next `horizon`
 *             normalised values (the shipped v1 encoders).
 *   seasonal  the head in the configuration a fitted head uses: for quantile
 *             q and step h, output o = q * horizon + h,
 *               y[o] = b[o] + W[o] . [emb, lags]
 *                      + sum_j (A[o][j] + U[j] . emb) base[h][j]
 *             where lags are the last `lags` normalised context values
 *             (latest first, missing 0), base[h] the XF__PHEAD_NB
 *             baseline forecasts of step h from the window's periods p1, p2
 *             (xf__phead_inputs), and U the gates through which the
 *             embedding moves the weight of each baseline (which season to
 *             trust is a property of the series); trained with the pinball loss of each
 *             quantile, so the embedding learns what lags and seasonal naive
 *             cannot express.  The periods come from the series' calendar
 *             (xf__phead_periods_freq), the same table for the corpus's
 *             calendars (xf__phead_periods_calendar).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#ifndef XF_PRETRAIN_HEAD_H
#define XF_PRETRAIN_HEAD_H

#include <stddef.h>
#include <stdint.h>

#include "xfcast/encoder.h"
#include "xfcast/freq.h"

#define XF__PHEAD_LINEAR XF_ENCODER_HEAD_LINEAR
#define XF__PHEAD_SEASONAL XF_ENCODER_HEAD_SEASONAL
/* baselines per step: seasonal naive of period p1, the mean of the same
 * phase over the last XF__PHEAD_CYCLES cycles of p1, seasonal naive of p2 */
#define XF__PHEAD_NB 3
#define XF__PHEAD_CYCLES 4
#define XF__PHEAD_MAX_Q 9 /* quantile outputs per step */
#define XF__PHEAD_MAX_LAGS 512

/* The two periods (steps) of a calendar as the corpus names it
 * ("hourly" -> 24, 168; "monthly" -> 12, 0; "none" or unknown -> 1, 0). */
void xf__phead_periods_calendar(const char *calendar, int32_t p[2]);
/* The corpus calendar of frequency f ("hourly", "business-day", ...), or
 * NULL when none matches (static). */
const char *xf__phead_calendar_freq(xf_freq f);
/* The periods of a series of frequency f: the calendar of f, or for other
 * sub-daily steps that divide a day (steps per day, 7 x that). */
void xf__phead_periods_freq(xf_freq f, int32_t p[2]);

/* The head's inputs from one normalised window x [T][2] (value, observed):
 * lags [L] (latest first, missing 0) and base [Hf][XF__PHEAD_NB].  A
 * period of 1 or less means none (naive: the last observed value); a
 * period longer than the window, or a phase whose values are all missing,
 * falls back to the first baseline (and that to the last observed value,
 * 0 when none). */
void xf__phead_inputs(const float *x, size_t T, size_t L, const int32_t p[2], size_t Hf,
                      float *lags, float *base);

/* A head's shape and weights (borrowed). Outputs: nq * Hf forecasts then
 * Hb backcast values (training only; their rows read the embedding alone). */
typedef struct xf__phead {
    int kind;                /* XF__PHEAD_LINEAR or XF__PHEAD_SEASONAL */
    size_t E, L, nq, Hf, Hb; /* embedding, lags, quantiles, steps, backcast values */
    const float *W;          /* [nq*Hf + Hb][E + L] */
    const float *A;          /* seasonal: [nq*Hf][XF__PHEAD_NB] */
    const float *U;          /* seasonal: [XF__PHEAD_NB][E] baseline gates */
    const float *b;          /* [nq*Hf + Hb] */
} xf__phead;

/* Outputs of the head. */
static inline size_t xf__phead_outputs(const xf__phead *hd)
{
    return hd->nq * hd->Hf + hd->Hb;
}

/* The gates U . emb of one window's embedding: g [XF__PHEAD_NB]. */
void xf__phead_gates(const xf__phead *hd, const float *emb, float *g);

/* Predictions of n windows: yhat [n][outputs] from emb [n][E], lags [n][L]
 * and base [n][Hf][NB] (both unused by a linear head); z is scratch of
 * n * (E + L) floats (unused when L = 0). */
void xf__phead_forward(const xf__phead *hd, size_t n, const float *emb, const float *lags,
                       const float *base, float *z, float *yhat);

/* The outputs yhat [outputs] of one window of T raw values w (NaN =
 * missing) whose embedding is emb, with the series' periods p: the window
 * instance-normalised as the encoder does, its inputs, the forward pass
 * (normalised units).  scratch: xf__phead_window_scratch(hd, T) floats. */
size_t xf__phead_window_scratch(const xf__phead *hd, size_t T);
void xf__phead_window(const xf__phead *hd, const float *w, size_t T, const int32_t p[2],
                      const float *emb, float *scratch, float *yhat);

#endif /* XF_PRETRAIN_HEAD_H */
