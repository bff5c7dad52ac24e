/* head.c - where domain heads are fitted: options and domain presets,
 * origins and the time-ordered validation split, the ridge solve, split-
 * conformal intervals, zero-shot heads, and forecasting with a head.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "head_internal.h"
#include "linalg.h"

#define DAY_US 86400000000LL
#define FEAT_BATCH 256

/* ------------------------------------------------------------ domains */

static const char *const domain_names[] = {"generic", "stock", "weather", "energy"};

const char *xf_domain_name(xf_domain d)
{
    return (unsigned)d < 4 ? domain_names[d] : "?";
}

int xf_domain_parse(const char *text, xf_domain *out, xf_error *err)
{
    int i;
    for (i = 0; i < 4; i++)
        if (text != NULL && strcmp(text, domain_names[i]) == 0) {
            *out = (xf_domain)i;
            return XF_OK;
        }
    return xf__fail(err, XF_EINVAL, 0, 0, "unknown domain '%s' (expected generic, stock, "
                    "weather or energy)", text != NULL ? text : "");
}

static int name_has(const char *name, const char *const *words)
{
    char low[128];
    size_t i;
    if (name == NULL)
        return 0;
    for (i = 0; name[i] != '\0' && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    low[i] = '\0';
    for (i = 0; words[i] != NULL; i++)
        if (strstr(low, words[i]) != NULL)
            return 1;
    return 0;
}

/* Autocorrelation of x at lag k over finite pairs (0 when undefined). */
static double autocorr(const double *x, size_t n, size_t k)
{
    double s = 0, s2 = 0, c = 0;
    size_t i, m = 0;
    if (k >= n)
        return 0;
    for (i = 0; i < n; i++)
        if (isfinite(x[i])) {
            s += x[i];
            s2 += x[i] * x[i];
            m++;
        }
    if (m < 2 * k + 8)
        return 0;
    s /= (double)m;
    s2 = s2 / (double)m - s * s;
    if (!(s2 > 0))
        return 0;
    m = 0;
    for (i = k; i < n; i++)
        if (isfinite(x[i]) && isfinite(x[i - k])) {
            c += (x[i] - s) * (x[i - k] - s);
            m++;
        }
    return m > 0 ? c / (double)m / s2 : 0;
}

xf_domain xf_domain_suggest(const double *y, size_t n, xf_freq freq, const char *name, char *why,
                            size_t why_len)
{
    static const char *const weather[] = {"temp", "precip", "rain", "wind", "pressure", "humid",
                                          "weather", "snow", "cloud", "solar", NULL};
    static const char *const stock[] = {"close", "open", "price", "high", "low", "stock",
                                        "adj", "ticker", NULL};
    static const char *const energy[] = {"load", "demand", "power", "energy", "kwh", "mwh",
                                         "consumption", "electric", "ot", NULL};
    char buf[160];
    xf_domain d = XF_DOMAIN_GENERIC;
    int positive = 1;
    size_t i;
    double *dy = NULL;
    for (i = 0; i < n; i++)
        if (isfinite(y[i]) && y[i] <= 0)
            positive = 0;
    snprintf(buf, sizeof buf, "no domain pattern recognised");
    if (name_has(name, weather)) {
        d = XF_DOMAIN_WEATHER;
        snprintf(buf, sizeof buf, "the column name looks like a weather variable");
    } else if (freq.kind == XF_FREQ_BDAY) {
        d = XF_DOMAIN_STOCK;
        snprintf(buf, sizeof buf, "business-day frequency");
    } else if (name_has(name, stock) && positive) {
        d = XF_DOMAIN_STOCK;
        snprintf(buf, sizeof buf, "the column name looks like a price");
    } else if (name_has(name, energy)) {
        d = XF_DOMAIN_ENERGY;
        snprintf(buf, sizeof buf, "the column name looks like an energy quantity");
    } else if (freq.kind == XF_FREQ_FIXED && freq.step < DAY_US && DAY_US % freq.step == 0) {
        size_t spd = (size_t)(DAY_US / freq.step);
        double a1 = autocorr(y, n, spd), a7 = autocorr(y, n, 7 * spd);
        if (a1 > 0.5 && a7 > a1 - 0.05) {
            d = XF_DOMAIN_ENERGY;
            snprintf(buf, sizeof buf, "sub-daily with daily and weekly cycles (autocorrelation "
                     "%.2f at 1 day, %.2f at 1 week)", a1, a7);
        }
    } else if (positive && n > 64 && (dy = malloc(n * sizeof *dy)) != NULL) {
        double a1;
        dy[0] = NAN;
        for (i = 1; i < n; i++)
            dy[i] = y[i] - y[i - 1];
        a1 = autocorr(dy, n, 1);
        if (autocorr(y, n, 1) > 0.98 && fabs(a1) < 0.1 && freq.kind == XF_FREQ_FIXED &&
            freq.step == DAY_US) {
            d = XF_DOMAIN_STOCK;
            snprintf(buf, sizeof buf, "a daily random walk (changes barely autocorrelated: %.2f)",
                     a1);
        }
    }
    free(dy);
    if (why != NULL && why_len > 0)
        snprintf(why, why_len, "%s", buf);
    return d;
}

/* ------------------------------------------------------------ options */

void xf_head_options_init(xf_head_options *o)
{
    memset(o, 0, sizeof *o);
    o->domain = XF_DOMAIN_GENERIC;
    o->horizon = XF_AUTO;
    o->n_lags = XF_AUTO;
    o->embedding = XF_AUTO;
    o->calendar = XF_AUTO;
    o->covariates = 1;
    o->history = 0;
    o->penalty_per_step = 0;
    o->baseline = XF_AUTO;
    o->seasonal_scale = XF_AUTO;
    o->select = XF_SELECT_MASE;
    o->log_transform = XF_AUTO;
    o->season = XF_AUTO;
    o->n_levels = 2;
    o->levels[0] = 80;
    o->levels[1] = 95;
    o->valid_fraction = 0.2;
    o->valid_start = XF_TIME_NONE;
    o->valid_start_row = -1;
    o->train_end = XF_TIME_NONE;
    o->train_end_row = -1;
    o->stride = 0;
    o->max_windows = 40000;
    o->n_threads = 1;
    o->source = NULL;
}

/* Steps per day of a sub-daily fixed frequency, else 0. */
static int64_t steps_per_day(xf_freq f)
{
    if (f.kind != XF_FREQ_FIXED || f.step <= 0 || f.step >= DAY_US || DAY_US % f.step != 0)
        return 0;
    return DAY_US / f.step;
}

int32_t xf__default_season(xf_freq f, xf_domain d)
{
    int64_t spd = steps_per_day(f);
    if (spd > 0)
        return (int32_t)(d == XF_DOMAIN_ENERGY ? 7 * spd : spd);
    if (f.kind == XF_FREQ_FIXED && f.step == DAY_US)
        return d == XF_DOMAIN_WEATHER ? 365 : 7;
    if (f.kind == XF_FREQ_FIXED && f.step == 7 * DAY_US)
        return 52;
    if (f.kind == XF_FREQ_BDAY && f.step == 1)
        return 5;
    if (f.kind == XF_FREQ_MONTH && f.step == 1)
        return 12;
    if (f.kind == XF_FREQ_MONTH && f.step == 3)
        return 4;
    return 1;
}

/* Frequency and domain defaults: horizon, lags, calendar harmonics. */
static void freq_defaults(xf_freq f, xf_domain d, int32_t *H, int32_t *L, int32_t *harm)
{
    int64_t spd = steps_per_day(f);
    memset(harm, 0, XF_CAL_N * sizeof *harm);
    if (spd > 0) {
        *H = (int32_t)spd;
        *L = (int32_t)(7 * spd > 512 ? 512 : 7 * spd);
        harm[XF_CAL_DAY] = (int32_t)(spd / 2 < 4 ? spd / 2 : 4);
        harm[XF_CAL_WEEK] = d == XF_DOMAIN_ENERGY ? 8 : d == XF_DOMAIN_WEATHER ? 0 : 3;
        if (d == XF_DOMAIN_WEATHER)
            harm[XF_CAL_YEAR] = 3;
    } else if (f.kind == XF_FREQ_FIXED && f.step == DAY_US) {
        *H = 14;
        *L = 56;
        harm[XF_CAL_WEEK] = d == XF_DOMAIN_WEATHER ? 0 : d == XF_DOMAIN_STOCK ? 2 : 3;
        harm[XF_CAL_YEAR] = d == XF_DOMAIN_STOCK ? 0 : 4;
    } else if (f.kind == XF_FREQ_FIXED && f.step == 7 * DAY_US) {
        *H = 8;
        *L = 104;
        harm[XF_CAL_YEAR] = 3;
    } else if (f.kind == XF_FREQ_BDAY) {
        *H = 5;
        *L = d == XF_DOMAIN_STOCK ? 20 : 40;
        harm[XF_CAL_WEEK] = 2;
        harm[XF_CAL_YEAR] = d == XF_DOMAIN_STOCK ? 0 : 2;
    } else if (f.kind == XF_FREQ_MONTH && f.step == 1) {
        *H = 12;
        *L = 36;
        harm[XF_CAL_MONTH] = 3;
    } else if (f.kind == XF_FREQ_MONTH && f.step == 3) {
        *H = 8;
        *L = 12;
        harm[XF_CAL_MONTH] = 2;
    } else if (f.kind == XF_FREQ_MONTH) {
        *H = 4;
        *L = 8;
    } else if (f.kind == XF_FREQ_FIXED) {
        *H = 8;
        *L = 32;
        harm[XF_CAL_YEAR] = 2;
    } else {
        *H = 12;
        *L = 32;
    }
}

static xf_freq panel_freq(const xf_panel *p)
{
    size_t i;
    xf_freq none = {XF_FREQ_UNKNOWN, 0, 0};
    for (i = 0; i < xf_panel_n_series(p); i++)
        if (xf_panel_series_freq(p, i).kind != XF_FREQ_UNKNOWN)
            return xf_panel_series_freq(p, i);
    return none;
}

static int panel_has_times(const xf_panel *p)
{
    size_t i;
    for (i = 0; i < xf_panel_n_series(p); i++)
        if (xf_panel_series_times(p, i) == NULL)
            return 0;
    return 1;
}

int xf_head_options_resolve(xf_head_options *o, const xf_panel *panel, xf_error *err)
{
    xf_freq f = panel_freq(panel);
    int32_t H, L, harm[XF_CAL_N];
    size_t i, k;
    if ((unsigned)o->domain > XF_DOMAIN_ENERGY)
        return xf__fail(err, XF_EINVAL, 0, 0, "unknown domain %d", (int)o->domain);
    freq_defaults(f, o->domain, &H, &L, harm);
    if (o->horizon == XF_AUTO)
        o->horizon = H;
    if (o->n_lags == XF_AUTO)
        o->n_lags = L;
    if (o->season == XF_AUTO)
        o->season = xf__default_season(f, o->domain);
    if (o->baseline == XF_BASELINE_SEASONAL)
        o->baseline = o->season;
    if (o->baseline < 0 && o->baseline != XF_AUTO)
        return xf__fail(err, XF_EINVAL, 0, 0, "baseline %d: expected 0, 1, a period or "
                        "XF_AUTO", (int)o->baseline);
    if (o->baseline == XF_AUTO) {
        if (o->domain == XF_DOMAIN_STOCK)
            o->baseline = 1;
        else if (o->season > 1 && o->n_lags >= o->season)
            o->baseline = o->season;
        else
            o->baseline = 0;
    }
    if (o->seasonal_scale == XF_AUTO)
        o->seasonal_scale = o->baseline > 1;
    if (o->calendar == XF_AUTO)
        o->calendar = panel_has_times(panel) && f.kind != XF_FREQ_UNKNOWN;
    if (o->log_transform == XF_AUTO) {
        int positive = o->domain == XF_DOMAIN_STOCK;
        for (i = 0; positive && i < xf_panel_n_series(panel); i++) {
            const double *y = xf_panel_series_values(panel, i);
            for (k = 0; k < xf_panel_series_length(panel, i); k++)
                if (isfinite(y[k]) && y[k] <= 0) {
                    positive = 0;
                    break;
                }
        }
        o->log_transform = positive;
    }
    if (o->horizon < 1 || o->horizon > 10000)
        return xf__fail(err, XF_EINVAL, 0, 0, "horizon %d is outside 1..10000", (int)o->horizon);
    if (o->n_lags < 0 || o->n_lags > 100000)
        return xf__fail(err, XF_EINVAL, 0, 0, "lags %d is outside 0..100000", (int)o->n_lags);
    if (o->season < 1)
        return xf__fail(err, XF_EINVAL, 0, 0, "season %d must be at least 1", (int)o->season);
    if (o->n_levels > XF_MAX_LEVELS)
        return xf__fail(err, XF_EINVAL, 0, 0, "%zu interval levels; at most %d", o->n_levels,
                        XF_MAX_LEVELS);
    for (i = 0; i < o->n_levels; i++)
        if (!(o->levels[i] > 0 && o->levels[i] < 100))
            return xf__fail(err, XF_EINVAL, 0, 0, "interval level %g is not in (0, 100)",
                            o->levels[i]);
    if (!(o->valid_fraction > 0 && o->valid_fraction < 1))
        return xf__fail(err, XF_EINVAL, 0, 0, "validation fraction %g is not in (0, 1)",
                        o->valid_fraction);
    if (o->stride < 0 || o->max_windows < 1)
        return xf__fail(err, XF_EINVAL, 0, 0, "stride and max_windows must be positive");
    if (o->n_threads < 1)
        o->n_threads = 1;
    return XF_OK;
}

/* ------------------------------------------------------------ objects */

xf_head *xf__head_alloc(void)
{
    xf_head *h = calloc(1, sizeof *h);
    if (h == NULL)
        return NULL;
    if (xf_xfm_new("head", &h->meta) != XF_OK) {
        free(h);
        return NULL;
    }
    return h;
}

void xf_head_free(xf_head *h)
{
    size_t j;
    if (h == NULL)
        return;
    if (h->cov_names != NULL)
        for (j = 0; j < h->spec.n_cov; j++)
            free(h->cov_names[j]);
    free(h->cov_names);
    free(h->W);
    free(h->b);
    free(h->lambda);
    free(h->q_lo);
    free(h->q_hi);
    xf_ridge_stats_free(&h->stats);
    xf_xfm_free(h->meta);
    free(h);
}

int32_t xf_head_horizon(const xf_head *h)
{
    return h->spec.horizon;
}

xf_domain xf_head_domain(const xf_head *h)
{
    return h->domain;
}

size_t xf_head_n_levels(const xf_head *h)
{
    return h->n_levels;
}

double xf_head_level(const xf_head *h, size_t i)
{
    return i < h->n_levels ? h->levels[i] : NAN;
}

int32_t xf_head_season(const xf_head *h)
{
    return h->season;
}

size_t xf_head_n_features(const xf_head *h)
{
    return h->spec.p;
}

size_t xf_head_n_covariates(const xf_head *h)
{
    return h->spec.n_cov;
}

const char *xf_head_covariate_name(const xf_head *h, size_t j)
{
    return j < h->spec.n_cov ? h->cov_names[j] : NULL;
}

int xf_head_is_zeroshot(const xf_head *h)
{
    return h->zeroshot;
}

const struct xf_xfm *xf_head_meta(const xf_head *h)
{
    return h->meta;
}

struct xf_xfm *xf_head_meta_mut(xf_head *h)
{
    return h->meta;
}

size_t xf_head_n_encoders(const xf_head *h)
{
    return h->n_enc;
}

const char *xf_head_encoder_name(const xf_head *h, size_t i)
{
    return i < h->n_enc ? h->enc_name[i] : NULL;
}

uint64_t xf_head_encoder_fingerprint(const xf_head *h, size_t i)
{
    return i < h->n_enc ? h->enc_fp[i] : 0;
}

int xf_head_attach_encoders(xf_head *h, xf_encoder *const *encs, size_t n_enc, xf_error *err)
{
    size_t i, j;
    const xf_encoder *found[XF_MAX_ENCODERS];
    for (i = 0; i < h->n_enc; i++) {
        found[i] = NULL;
        for (j = 0; j < n_enc; j++)
            if (encs[j] != NULL && xf_encoder_fingerprint(encs[j]) == h->enc_fp[i])
                found[i] = encs[j];
        if (found[i] == NULL) {
            char got[256] = "";
            size_t len = 0;
            for (j = 0; j < n_enc && len < sizeof got - 40; j++)
                len += (size_t)snprintf(got + len, sizeof got - len, "%s'%s' %016llx",
                                        j ? ", " : "", xf_encoder_name(encs[j]),
                                        (unsigned long long)xf_encoder_fingerprint(encs[j]));
            return xf__fail(err, XF_EDATA, 0, 0, "the head was fitted on encoder '%s' "
                            "(fingerprint %016llx), which is not among the encoders given (%s): "
                            "pass the encoder file it was fitted with, or refit the head",
                            h->enc_name[i], (unsigned long long)h->enc_fp[i],
                            n_enc ? got : "none");
        }
        if ((int64_t)xf_encoder_embed_size(found[i]) != h->enc_embed[i] ||
            (int64_t)xf_encoder_context(found[i]) != h->enc_context[i])
            return xf__fail(err, XF_EDATA, 0, 0, "encoder '%s' has embedding %zu / context %d; "
                            "the head expects %lld / %lld", h->enc_name[i],
                            xf_encoder_embed_size(found[i]), (int)xf_encoder_context(found[i]),
                            (long long)h->enc_embed[i], (long long)h->enc_context[i]);
    }
    for (i = 0; i < h->n_enc; i++)
        h->spec.enc[i] = found[i];
    h->spec.n_enc = h->n_enc;
    xf__feat_spec_layout(&h->spec);
    h->attached = 1;
    return XF_OK;
}

static void record_encoders(xf_head *h, xf_encoder *const *encs, size_t n_enc)
{
    size_t i;
    h->n_enc = n_enc;
    for (i = 0; i < n_enc; i++) {
        snprintf(h->enc_name[i], sizeof h->enc_name[i], "%s", xf_encoder_name(encs[i]));
        h->enc_fp[i] = xf_encoder_fingerprint(encs[i]);
        h->enc_embed[i] = (int64_t)xf_encoder_embed_size(encs[i]);
        h->enc_context[i] = xf_encoder_context(encs[i]);
        h->spec.enc[i] = encs[i];
    }
    h->attached = 1;
}

static int copy_covariates(xf_head *h, const xf_panel *panel, xf_error *err)
{
    size_t j;
    if (h->spec.n_cov == 0)
        return XF_OK;
    if ((h->cov_names = calloc(h->spec.n_cov, sizeof *h->cov_names)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    for (j = 0; j < h->spec.n_cov; j++) {
        const char *nm = xf_panel_covariate_name(panel, j);
        if ((h->cov_names[j] = xf__strndup(nm, strlen(nm))) == NULL)
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    return XF_OK;
}

/* The panel must carry the head's covariates, in the head's order. */
int xf__head_check_covariates(const xf_head *h, const xf_panel *panel, xf_error *err)
{
    size_t j;
    if (xf_panel_n_covariates(panel) < h->spec.n_cov)
        return xf__fail(err, XF_EDATA, 0, 0, "the head uses %zu covariate(s) (first: '%s'); the "
                        "data has %zu", h->spec.n_cov, h->cov_names[0],
                        xf_panel_n_covariates(panel));
    for (j = 0; j < h->spec.n_cov; j++)
        if (strcmp(xf_panel_covariate_name(panel, j), h->cov_names[j]) != 0)
            return xf__fail(err, XF_EDATA, 0, 0, "covariate %zu is '%s' in the data but '%s' in "
                            "the head", j + 1, xf_panel_covariate_name(panel, j),
                            h->cov_names[j]);
    return XF_OK;
}

/* ------------------------------------------------------------ prediction */

int xf__head_predict(const xf_head *h, xf__feat_ws *fws, const xf_panel *panel,
                     const size_t *series, const size_t *origin, size_t m, int strict_cov,
                     double *X, double *pred, double *level, double *scale, unsigned char *ok,
                     xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, p = h->spec.p, i, k;
    int rc;
    if ((rc = xf__feat_build(&h->spec, fws, panel, series, origin, m, strict_cov, NULL, X,
                             level, scale, ok, err)) != XF_OK)
        return rc;
    if (h->zeroshot) {
        const xf_encoder *enc = h->spec.enc[0];
        const float *w = xf_encoder_head_weights(enc), *b = xf_encoder_head_bias(enc);
        size_t E = xf_encoder_embed_size(enc), j;
        for (i = 0; i < m; i++) {
            double em = fws->rows[i * (E + 2) + E], es = fws->rows[i * (E + 2) + E + 1];
            for (k = 0; k < H; k++) {
                double acc = b[k];
                for (j = 0; j < E; j++)
                    acc += (double)w[k * E + j] * X[i * p + j];
                pred[i * H + k] = (em + es * acc - level[i]) / scale[i];
            }
        }
        return XF_OK;
    }
    /* pred = baseline + X W' + b */
    xf__dgemm(0, 1, m, H, p, 1.0, X, p, h->W, p, 0.0, pred, H);
    for (i = 0; i < m; i++) {
        double *base = fws->vals; /* scratch of at least H values */
        xf__feat_baseline(&h->spec, xf_panel_series_values(panel, series[i]),
                          xf_panel_series_length(panel, series[i]), origin[i], level[i],
                          scale[i], base);
        for (k = 0; k < H; k++)
            pred[i * H + k] += h->b[k] + base[k];
    }
    return XF_OK;
}

void xf__head_denorm(const xf_head *h, const double *pred, double level, double scale,
                     int32_t horizon, double *mean, double *lo, double *hi)
{
    size_t H = (size_t)h->spec.horizon, k, l, hz = (size_t)horizon;
    for (k = 0; k < hz; k++) {
        double v = level + scale * pred[k];
        mean[k] = h->spec.log_transform ? exp(v) : v;
        for (l = 0; l < h->n_levels; l++) {
            double a = level + scale * (pred[k] + h->q_lo[l * H + k]);
            double c = level + scale * (pred[k] + h->q_hi[l * H + k]);
            if (lo != NULL)
                lo[l * hz + k] = h->spec.log_transform ? exp(a) : a;
            if (hi != NULL)
                hi[l * hz + k] = h->spec.log_transform ? exp(c) : c;
        }
    }
}

struct xf_head_workspace {
    const xf_head *head;
    xf__feat_ws *fws;
    double *x;    /* [p] */
    double *pred; /* [H] */
};

int xf_head_workspace_new(const xf_head *h, xf_head_workspace **out, xf_error *err)
{
    xf_head_workspace *ws;
    int rc;
    *out = NULL;
    if (!h->attached)
        return xf__fail(err, XF_EINVAL, 0, 0, "the head has no encoders yet: call "
                        "xf_head_attach_encoders after loading it");
    if ((ws = calloc(1, sizeof *ws)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    ws->head = h;
    if ((rc = xf__feat_ws_new(&h->spec, 1, 1, &ws->fws, err)) != XF_OK) {
        free(ws);
        return rc;
    }
    ws->x = malloc((h->spec.p ? h->spec.p : 1) * sizeof *ws->x);
    ws->pred = malloc((size_t)h->spec.horizon * sizeof *ws->pred);
    if (ws->x == NULL || ws->pred == NULL) {
        xf_head_workspace_free(ws);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    *out = ws;
    return XF_OK;
}

void xf_head_workspace_free(xf_head_workspace *ws)
{
    if (ws == NULL)
        return;
    xf__feat_ws_free(ws->fws);
    free(ws->x);
    free(ws->pred);
    free(ws);
}

int xf_head_forecast(const xf_head *h, xf_head_workspace *ws, const xf_panel *panel, size_t i,
                     size_t origin, int32_t horizon, xf_time *t, double *mean, double *lo,
                     double *hi, xf_error *err)
{
    double level, scale;
    unsigned char ok;
    int32_t k;
    int rc;
    if (ws == NULL || ws->head != h)
        return xf__fail(err, XF_EINVAL, 0, 0, "the workspace was made for another head");
    if (i >= xf_panel_n_series(panel))
        return xf__fail(err, XF_EINVAL, 0, 0, "series %zu of %zu", i + 1,
                        xf_panel_n_series(panel));
    if (horizon < 1 || horizon > h->spec.horizon)
        return xf__fail(err, XF_ERANGE, 0, 0, "horizon %d: the head forecasts 1..%d steps (fit "
                        "it with --horizon %d to go further)", (int)horizon,
                        (int)h->spec.horizon, (int)horizon);
    if ((rc = xf__head_check_covariates(h, panel, err)) != XF_OK)
        return rc;
    if (origin == SIZE_MAX)
        origin = xf_panel_series_observed(panel, i);
    if (origin == 0 || origin > xf_panel_series_length(panel, i))
        return xf__fail(err, XF_EDATA, 0, 0, "series '%s' has no observed value to forecast "
                        "from", xf_panel_series_id(panel, i));
    if ((rc = xf__head_predict(h, ws->fws, panel, &i, &origin, 1, 1, ws->x, ws->pred, &level,
                               &scale, &ok, err)) != XF_OK)
        return rc;
    if (!ok)
        return xf__fail(err, XF_EDATA, 0, 0, "series '%s': no observed value in the %d values "
                        "before the forecast origin", xf_panel_series_id(panel, i),
                        (int)h->spec.norm_window);
    xf__head_denorm(h, ws->pred, level, scale, horizon, mean, lo, hi);
    if (t != NULL)
        for (k = 0; k < horizon; k++)
            t[k] = xf__feat_step_time(panel, i, origin, k);
    return XF_OK;
}

/* ------------------------------------------------------------ fitting */

typedef struct origin_list {
    size_t *series, *origin;
    unsigned char *late;  /* validation: second half of the series' held-out origins */
    size_t n, cap;
} origin_list;

static int ol_push(origin_list *l, size_t s, size_t o, unsigned char late)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1024;
        size_t *a = xf__realloc_array(l->series, cap, sizeof *a);
        size_t *b;
        unsigned char *c;
        if (a == NULL)
            return -1;
        l->series = a;
        if ((b = xf__realloc_array(l->origin, cap, sizeof *b)) == NULL)
            return -1;
        l->origin = b;
        if ((c = realloc(l->late, cap)) == NULL)
            return -1;
        l->late = c;
        l->cap = cap;
    }
    l->series[l->n] = s;
    l->origin[l->n] = o;
    l->late[l->n] = late;
    l->n++;
    return 0;
}

static void ol_free(origin_list *l)
{
    free(l->series);
    free(l->origin);
    free(l->late);
    memset(l, 0, sizeof *l);
}

/* First index of series i at or after a time / row cut (n when none). */
static size_t cut_index(const xf_panel *panel, size_t i, xf_time t, int64_t row)
{
    size_t n = xf_panel_series_length(panel, i), lo = 0, hi;
    const xf_time *ts = xf_panel_series_times(panel, i);
    size_t cut = n;
    if (row >= 0 && (uint64_t)row < cut)
        cut = (size_t)row;
    if (t != XF_TIME_NONE && ts != NULL) {
        hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ts[mid] < t)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < cut)
            cut = lo;
    }
    return cut;
}

/* Training and validation origins: every t with t >= t_min and the H
 * targets [t, t+H) finite and before the training cut; validation = the
 * latest ones; training origins whose targets reach into validation are
 * dropped. */
static int make_origins(const xf_panel *panel, xf_head_options *o, size_t t_min,
                        origin_list *train, origin_list *valid, xf_error *err)
{
    size_t ns = xf_panel_n_series(panel), s, H = (size_t)o->horizon, total = 0, stride;
    size_t *miss = NULL, cap = 0;
    int rc = XF_OK;
    /* count candidates first, to pick the stride */
    for (stride = 0; stride < 2; stride++) {
        for (s = 0; s < ns; s++) {
            size_t n = xf_panel_series_length(panel, s), end, t, v0, cnt = 0, nv, seen = 0;
            const double *y = xf_panel_series_values(panel, s);
            size_t step = stride == 0 ? 1 : (size_t)o->stride;
            end = cut_index(panel, s, o->train_end, o->train_end_row);
            if (end < t_min + H)
                continue;
            if (xf__grow((void **)&miss, &cap, n + 1, sizeof *miss) != 0) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                goto done;
            }
            miss[0] = 0;
            for (t = 0; t < n; t++)
                miss[t + 1] = miss[t] + (isfinite(y[t]) ? 0 : 1);
            for (t = t_min; t + H <= end; t++)
                if (miss[t + H] == miss[t] && isfinite(y[t - 1]))
                    cnt++;
            if (stride == 0) {
                total += cnt;
                continue;
            }
            if (cnt == 0)
                continue;
            /* validation start: by time/row, or the latest share */
            if (o->valid_start != XF_TIME_NONE || o->valid_start_row >= 0) {
                v0 = cut_index(panel, s, o->valid_start, o->valid_start_row);
                nv = 0;
                for (t = v0 > t_min ? v0 : t_min; t + H <= end; t++)
                    if (miss[t + H] == miss[t] && isfinite(y[t - 1]))
                        nv++;
            } else {
                nv = (size_t)ceil(o->valid_fraction * (double)cnt);
                v0 = end;
                for (t = end - H + 1; t-- > t_min && seen < nv;)
                    if (miss[t + H] == miss[t] && isfinite(y[t - 1])) {
                        seen++;
                        v0 = t;
                    }
            }
            seen = 0;
            for (t = t_min; t + H <= end; t++) {
                int is_valid = t >= v0;
                if (!(miss[t + H] == miss[t] && isfinite(y[t - 1])))
                    continue;
                if (!is_valid && t + H > v0)
                    continue; /* its targets overlap the held-out period */
                if ((t - t_min) % step != 0)
                    continue;
                if (is_valid) {
                    if (ol_push(valid, s, t, (unsigned char)(2 * seen >= nv / step)) != 0)
                        goto oom;
                    seen++;
                } else if (ol_push(train, s, t, 0) != 0) {
                    goto oom;
                }
            }
        }
        if (stride == 0) {
            int64_t st = o->stride > 0 ? o->stride : 1;
            if ((int64_t)total / st > o->max_windows)
                st = ((int64_t)total + o->max_windows - 1) / o->max_windows;
            o->stride = (int32_t)st;
        }
    }
    goto done;
oom:
    rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
done:
    free(miss);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Conformal quantiles of residuals e[0..n) (sorted in place): the
 * floor((n+1) a/2)-th and ceil((n+1)(1-a/2))-th order statistics. */
static void conformal(double *e, size_t n, double level, double *lo, double *hi)
{
    double a = 1.0 - level / 100.0;
    double kl = floor((double)(n + 1) * a / 2.0), kh = ceil((double)(n + 1) * (1.0 - a / 2.0));
    qsort(e, n, sizeof *e, cmp_double);
    if (kl < 1)
        kl = 1;
    if (kh > (double)n)
        kh = (double)n;
    *lo = e[(size_t)kl - 1];
    *hi = e[(size_t)kh - 1];
}

/* Intervals from held-out residuals res [nv][H]: quantiles per step; the
 * coverage reported is that of quantiles from the early half of the
 * held-out origins on the late half (honest, out of sample). */
static int calibrate(xf_head *h, const double *res, const unsigned char *late, size_t nv,
                     xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, l, k, i, ne = 0, nl = 0;
    double *col = malloc((nv ? nv : 1) * sizeof *col);
    if (col == NULL || (h->q_lo = calloc(h->n_levels * H + 1, sizeof *h->q_lo)) == NULL ||
        (h->q_hi = calloc(h->n_levels * H + 1, sizeof *h->q_hi)) == NULL) {
        free(col);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    for (i = 0; i < nv; i++) {
        ne += !late[i];
        nl += late[i];
    }
    for (l = 0; l < h->n_levels; l++) {
        size_t inside = 0, tot = 0;
        char key[48];
        for (k = 0; k < H; k++) {
            double lo, hi;
            size_t m = 0;
            for (i = 0; i < nv; i++)
                col[i] = res[i * H + k];
            conformal(col, nv, h->levels[l], &h->q_lo[l * H + k], &h->q_hi[l * H + k]);
            if (ne >= 10 && nl >= 10) {
                for (i = 0; i < nv; i++)
                    if (!late[i])
                        col[m++] = res[i * H + k];
                conformal(col, m, h->levels[l], &lo, &hi);
                for (i = 0; i < nv; i++)
                    if (late[i]) {
                        inside += res[i * H + k] >= lo && res[i * H + k] <= hi;
                        tot++;
                    }
            }
        }
        snprintf(key, sizeof key, "coverage.%g", h->levels[l]);
        xf_xfm_set_f64(h->meta, key, tot ? 100.0 * (double)inside / (double)tot : NAN);
    }
    free(col);
    return XF_OK;
}

static uint64_t fnv_data(uint64_t hsh, const void *p, size_t n)
{
    const unsigned char *c = p;
    size_t i;
    for (i = 0; i < n; i++) {
        hsh ^= c[i];
        hsh *= 0x100000001b3ULL;
    }
    return hsh;
}

/* Provenance of the data a head was fitted on. */
static void record_provenance(xf_head *h, const xf_panel *panel, const xf_head_options *o)
{
    size_t i, rows = 0;
    xf_time t0 = INT64_MAX, t1 = INT64_MIN;
    uint64_t fp = 0xcbf29ce484222325ULL;
    char buf[32], date[40];
    time_t now = time(NULL);
    for (i = 0; i < xf_panel_n_series(panel); i++) {
        size_t n = xf_panel_series_length(panel, i);
        const xf_time *t = xf_panel_series_times(panel, i);
        const char *id = xf_panel_series_id(panel, i);
        rows += n;
        fp = fnv_data(fp, id, strlen(id) + 1);
        fp = fnv_data(fp, xf_panel_series_values(panel, i), n * sizeof(double));
        if (t != NULL) {
            if (t[0] < t0)
                t0 = t[0];
            if (t[n - 1] > t1)
                t1 = t[n - 1];
        }
    }
    xf_xfm_set_str(h->meta, "source", o->source != NULL ? o->source : "");
    {
        /* the distinct value columns, "a,b" (forecasts check them) */
        char cols[1024] = "";
        size_t len = 0, j;
        for (i = 0; i < xf_panel_n_series(panel); i++) {
            const char *c = xf_panel_series_column(panel, i);
            int seen = 0;
            if (c == NULL)
                continue;
            for (j = 0; j < i && !seen; j++)
                seen = xf_panel_series_column(panel, j) != NULL &&
                       strcmp(xf_panel_series_column(panel, j), c) == 0;
            if (!seen && len + strlen(c) + 2 < sizeof cols)
                len += (size_t)snprintf(cols + len, sizeof cols - len, "%s%s", len ? "," : "",
                                        c);
        }
        xf_xfm_set_str(h->meta, "data.columns", cols);
    }
    xf_xfm_set_i64(h->meta, "data.series", (int64_t)xf_panel_n_series(panel));
    xf_xfm_set_i64(h->meta, "data.rows", (int64_t)rows);
    if (t0 != INT64_MAX) {
        xf_xfm_set_i64(h->meta, "data.start", t0);
        xf_xfm_set_i64(h->meta, "data.end", t1);
    }
    snprintf(buf, sizeof buf, "%016llx", (unsigned long long)fp);
    xf_xfm_set_str(h->meta, "data.fingerprint", buf);
    xf_time_format((xf_time)now * 1000000, 0, date, sizeof date);
    xf_xfm_set_str(h->meta, "fit.date", date);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const double lambda_grid[] = {1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2,
                                     3e-2, 0.1,  0.3,  1,    3,    10,   30,   100,  300, 1000};

static int fill_spec(xf_head *h, const xf_head_options *o, xf_encoder *const *encs,
                     size_t n_enc, size_t n_cov, xf_error *err)
{
    xf__feat_spec *s = &h->spec;
    size_t e;
    memset(s, 0, sizeof *s);
    s->horizon = o->horizon;
    s->n_lags = o->n_lags;
    s->norm_window = o->n_lags >= 24 ? o->n_lags : o->n_lags > 0 ? 24 : 64;
    s->log_transform = o->log_transform;
    s->level_last = o->domain == XF_DOMAIN_STOCK;
    s->n_cov = o->covariates ? n_cov : 0;
    s->history = o->history ? 1 : 0;
    s->baseline = o->baseline;
    s->scale_mode = o->seasonal_scale;
    if (n_enc > XF_MAX_ENCODERS)
        return xf__fail(err, XF_EINVAL, 0, 0, "%zu encoders; at most %d", n_enc,
                        XF_MAX_ENCODERS);
    for (e = 0; e < n_enc; e++)
        if (encs[e] == NULL)
            return xf__fail(err, XF_EINVAL, 0, 0, "encoder %zu is NULL", e + 1);
    s->n_enc = o->embedding ? n_enc : 0;
    h->domain = o->domain;
    h->season = o->season;
    h->n_levels = o->n_levels;
    memcpy(h->levels, o->levels, sizeof h->levels);
    record_encoders(h, encs, s->n_enc);
    return XF_OK;
}

static void set_calendar(xf__feat_spec *s, const xf_panel *panel, const xf_head_options *o)
{
    int32_t H, L;
    freq_defaults(panel_freq(panel), o->domain, &H, &L, s->n_harm);
    if (!o->calendar)
        memset(s->n_harm, 0, sizeof s->n_harm);
}

/* One candidate configuration fitted on the training origins and scored on
 * the held-out ones. */
typedef struct fit_pass {
    xf__feat_spec spec;        /* the candidate's features */
    xf_ridge_stats st, sv;     /* training and held-out statistics */
    xf_ridge_model model;      /* fitted on st, penalty chosen on sv */
    double *res;               /* [nv][H] held-out residuals (normalised) */
    unsigned char *vlate;      /* [nv] later half of each series' held-out origins */
    size_t nv;                 /* held-out origins used */
    double score;              /* held-out MASE estimate: |error| / local MASE scale */
    double score_mse;          /* held-out MSE in the data's units */
    double vmse, nmse;         /* held-out MSE (normalised) of the head and of naive */
} fit_pass;

static void pass_free(fit_pass *f)
{
    xf_ridge_stats_free(&f->st);
    xf_ridge_stats_free(&f->sv);
    xf_ridge_model_free(&f->model);
    free(f->res);
    free(f->vlate);
    memset(f, 0, sizeof *f);
}

/* Build the features of every origin (embeddings from the cache), fit on
 * the training ones, choose the penalty and score on the held-out ones. */
static int run_pass(fit_pass *f, const xf_panel *panel, const xf_head_options *o,
                    xf__feat_ws *fws, const origin_list *train, const origin_list *valid,
                    const float *cache, int32_t season, xf_error *err)
{
    size_t H = (size_t)f->spec.horizon, p = f->spec.p, width = xf__feat_emb_width(&f->spec);
    size_t b, i, k, set;
    double *X = NULL, *Y = NULL, *lev = NULL, *sca = NULL, *XV = NULL, *YV = NULL;
    double *VB = NULL, *VD = NULL, *VS = NULL, *base = NULL, sabs = 0, ssq = 0;
    unsigned char *ok = NULL;
    int rc = XF_OK;
    X = xf__malloc_array(FEAT_BATCH * p, sizeof *X);
    Y = xf__malloc_array(FEAT_BATCH * H, sizeof *Y);
    lev = malloc(FEAT_BATCH * sizeof *lev);
    sca = malloc(FEAT_BATCH * sizeof *sca);
    ok = malloc(FEAT_BATCH);
    base = malloc(H * sizeof *base);
    XV = xf__malloc_array(valid->n * p, sizeof *XV);
    YV = xf__malloc_array(valid->n * H, sizeof *YV);
    VB = xf__malloc_array(valid->n * H, sizeof *VB);
    VD = malloc(valid->n * sizeof *VD);
    VS = malloc(valid->n * sizeof *VS);
    f->res = xf__malloc_array(valid->n * H, sizeof *f->res);
    f->vlate = malloc(valid->n);
    if (!X || !Y || !lev || !sca || !ok || !base || !XV || !YV || !VB || !VD || !VS || !f->res ||
        !f->vlate || xf_ridge_stats_init(&f->st, p, H) != XF_OK ||
        xf_ridge_stats_init(&f->sv, p, H) != XF_OK) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory (%zu features x %zu origins)", p,
                      train->n + valid->n);
        goto done;
    }
    for (set = 0; set < 2; set++) {
        const origin_list *l = set ? valid : train;
        const float *c0 = cache != NULL ? cache + (set ? train->n : 0) * width : NULL;
        for (b = 0; b < l->n; b += FEAT_BATCH) {
            size_t m = l->n - b < FEAT_BATCH ? l->n - b : FEAT_BATCH, j;
            if ((rc = xf__feat_build(&f->spec, fws, panel, l->series + b, l->origin + b, m, 0,
                                     c0 != NULL ? c0 + b * width : NULL, X, lev, sca, ok,
                                     err)) != XF_OK)
                goto done;
            for (i = 0, j = 0; i < m; i++) {
                const double *y = xf_panel_series_values(panel, l->series[b + i]);
                size_t n = xf_panel_series_length(panel, l->series[b + i]);
                if (!ok[i])
                    continue;
                for (k = 0; k < H; k++) {
                    double v = xf__feat_value(&f->spec, y, n, (int64_t)(l->origin[b + i] + k));
                    if (!isfinite(v))
                        break; /* not positive under the log transform */
                    Y[j * H + k] = (v - lev[i]) / sca[i];
                    if (!(fabs(Y[j * H + k]) <= XF_HEAD_MAX_TARGET))
                        break; /* a flat window cannot scale this origin's future */
                }
                if (k < H)
                    continue;
                xf__feat_baseline(&f->spec, y, n, l->origin[b + i], lev[i], sca[i], base);
                for (k = 0; k < H; k++)
                    Y[j * H + k] -= base[k];
                if (j != i)
                    memmove(X + j * p, X + i * p, p * sizeof *X);
                if (set) {
                    double d = xf__feat_mase_scale(&f->spec, y, n, l->origin[b + i], season);
                    memcpy(XV + f->nv * p, X + j * p, p * sizeof *X);
                    memcpy(YV + f->nv * H, Y + j * H, H * sizeof *Y);
                    memcpy(VB + f->nv * H, base, H * sizeof *base);
                    /* errors in MASE units: normalised error x scale / MASE scale */
                    VD[f->nv] = d > 0 ? sca[i] / d : 0.0;
                    VS[f->nv] = sca[i];
                    f->vlate[f->nv] = l->late[b + i];
                    f->nv++;
                }
                j++;
            }
            xf_ridge_stats_add(set ? &f->sv : &f->st, X, Y, j);
        }
    }
    if (f->st.n < 20 || f->nv < 10) {
        rc = xf__fail(err, XF_EDATA, 0, 0, "too little usable data: %.0f training and %zu "
                      "validation origins have a complete target and history", f->st.n, f->nv);
        goto done;
    }
    /* penalty on the held-out origins, then that model's residuals */
    if ((rc = xf_ridge_fit(&f->st, &f->sv, lambda_grid, sizeof lambda_grid / sizeof *lambda_grid,
                           o->penalty_per_step, &f->model, err)) != XF_OK)
        goto done;
    xf__dgemm(0, 1, f->nv, H, p, 1.0, XV, p, f->model.w, p, 0.0, f->res, H);
    f->vmse = f->nmse = 0;
    for (i = 0; i < f->nv; i++)
        for (k = 0; k < H; k++) {
            double e = YV[i * H + k] - (f->res[i * H + k] + f->model.b[k]);
            double nai = YV[i * H + k] + VB[i * H + k] -
                         (f->spec.n_lags > 0 ? XV[i * p + f->spec.off_lags] : 0.0);
            f->res[i * H + k] = e;
            f->vmse += e * e;
            f->nmse += nai * nai;
            sabs += fabs(e) * VD[i];
            ssq += e * VS[i] * e * VS[i];
        }
    f->vmse /= (double)(f->nv * H);
    f->nmse /= (double)(f->nv * H);
    f->score = sabs / (double)(f->nv * H);
    f->score_mse = ssq / (double)(f->nv * H);
    if (o->select == XF_SELECT_MSE) {
        double t = f->score;
        f->score = f->score_mse;
        f->score_mse = t;
    }
done:
    free(X);
    free(Y);
    free(lev);
    free(sca);
    free(ok);
    free(base);
    free(XV);
    free(YV);
    free(VB);
    free(VD);
    free(VS);
    return rc;
}

int xf_head_fit(const xf_panel *panel, xf_encoder *const *encs, size_t n_enc,
                const xf_head_options *opts, xf_head **out, xf_error *err)
{
    xf_head_options o = *opts;
    xf_head *h = NULL;
    origin_list train = {0}, valid = {0};
    xf__feat_ws *fws = NULL;
    fit_pass pass[4], *best;
    xf_ridge_model final = {0};
    float *cache = NULL;
    size_t H, i, b, t_min, maxlen = 0, width, n_pass = 1, c;
    double t_start = now_s();
    int rc;
    *out = NULL;
    memset(pass, 0, sizeof pass);
    if (xf_panel_n_series(panel) == 0)
        return xf__fail(err, XF_EDATA, 0, 0, "no series to fit");
    if ((rc = xf_head_options_resolve(&o, panel, err)) != XF_OK)
        return rc;
    for (i = 0; i < xf_panel_n_series(panel); i++)
        if (xf_panel_series_length(panel, i) > maxlen)
            maxlen = xf_panel_series_length(panel, i);
    /* keep enough origins for short series: lags at most length - H - 40 */
    if (opts->n_lags == XF_AUTO && (size_t)o.n_lags + (size_t)o.horizon + 40 > maxlen) {
        o.n_lags = (int32_t)(maxlen > (size_t)o.horizon + 44 ? maxlen - (size_t)o.horizon - 40
                                                               : 4);
        if (opts->baseline == XF_AUTO && o.baseline > o.n_lags)
            o.baseline = 0;
    }
    if ((h = xf__head_alloc()) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    if ((rc = fill_spec(h, &o, encs, n_enc, xf_panel_n_covariates(panel), err)) != XF_OK ||
        (rc = copy_covariates(h, panel, err)) != XF_OK)
        goto done;
    set_calendar(&h->spec, panel, &o);
    xf__feat_spec_layout(&h->spec);
    H = (size_t)o.horizon;
    width = xf__feat_emb_width(&h->spec);
    if (h->spec.p == 0) {
        rc = xf__fail(err, XF_EINVAL, 0, 0, "the head would have no features: keep lags, "
                      "embeddings, calendar terms or covariates");
        goto done;
    }
    /* origins need one value of history and a full lag window where possible */
    t_min = xf__head_first_origin(&h->spec);
    if ((rc = make_origins(panel, &o, t_min, &train, &valid, err)) != XF_OK)
        goto done;
    if (train.n < 20 || valid.n < 10) {
        rc = xf__fail(err, XF_EDATA, 0, 0, "too little data: %zu training and %zu validation "
                      "origins (need 20 and 10); with %d lags and horizon %zu a series needs "
                      "at least about %zu observed values (use fewer --lags or a shorter "
                      "--horizon)", train.n, valid.n, (int)o.n_lags, H,
                      t_min + 2 * H + 40);
        goto done;
    }
    if ((rc = xf__feat_ws_new(&h->spec, FEAT_BATCH, o.n_threads, &fws, err)) != XF_OK)
        goto done;
    /* the embeddings of every origin, once: the candidates below share them */
    if (width > 0) {
        if ((cache = xf__malloc_array((train.n + valid.n) * width, sizeof *cache)) == NULL) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory (embeddings of %zu origins)",
                          train.n + valid.n);
            goto done;
        }
        for (c = 0; c < 2; c++) {
            const origin_list *l = c ? &valid : &train;
            float *dst = cache + (c ? train.n : 0) * width;
            for (b = 0; b < l->n; b += FEAT_BATCH) {
                size_t m = l->n - b < FEAT_BATCH ? l->n - b : FEAT_BATCH;
                if ((rc = xf__feat_embed(&h->spec, fws, panel, l->series + b, l->origin + b, m,
                                         dst + b * width, err)) != XF_OK)
                    goto done;
            }
        }
    }
    /* candidates: the configuration asked for; with the defaults, also no
     * baseline with the standard-deviation scale (when the baseline
     * resolved to seasonal naive) and no embeddings - the held-out MASE
     * estimate decides */
    pass[0].spec = h->spec;
    n_pass = 1;
    if (opts->baseline == XF_AUTO && opts->seasonal_scale == XF_AUTO && h->spec.baseline > 1) {
        pass[n_pass].spec = h->spec;
        pass[n_pass].spec.baseline = 0;
        pass[n_pass].spec.scale_mode = 0;
        n_pass++;
    }
    if (opts->embedding == XF_AUTO && h->spec.n_enc > 0) {
        size_t k0 = n_pass;
        for (c = 0; c < k0; c++) {
            pass[n_pass].spec = pass[c].spec;
            pass[n_pass].spec.n_enc = 0;
            xf__feat_spec_layout(&pass[n_pass].spec);
            n_pass++;
        }
    }
    for (c = 0; c < n_pass; c++)
        if ((rc = run_pass(&pass[c], panel, &o, fws, &train, &valid, cache,
                           o.season > 1 ? o.season : 1, err)) != XF_OK)
            goto done;
    best = &pass[0];
    for (c = 1; c < n_pass; c++)
        if (pass[c].score < best->score)
            best = &pass[c];
    h->spec = best->spec;
    if (h->spec.n_enc == 0)
        h->n_enc = 0; /* the embeddings lost: the head needs no encoder */
    if ((rc = calibrate(h, best->res, best->vlate, best->nv, err)) != XF_OK)
        goto done;
    /* refit on everything with the chosen penalty */
    xf_ridge_stats_merge(&best->st, &best->sv);
    if ((rc = xf_ridge_solve(&best->st, best->model.lambda, &final, err)) != XF_OK)
        goto done;
    h->W = final.w;
    h->b = final.b;
    h->lambda = final.lambda;
    final.w = final.b = final.lambda = NULL;
    h->stats = best->st;
    memset(&best->st, 0, sizeof best->st);
    record_provenance(h, panel, &o);
    xf_xfm_set_i64(h->meta, "fit.windows", (int64_t)(h->stats.n));
    xf_xfm_set_i64(h->meta, "fit.windows_valid", (int64_t)best->nv);
    xf_xfm_set_i64(h->meta, "fit.stride", o.stride);
    h->stride = o.stride > 0 ? o.stride : 1;
    xf_xfm_set_f64(h->meta, "fit.lambda", best->model.lambda[0]);
    xf_xfm_set_f64(h->meta, "valid.mse", best->vmse);
    xf_xfm_set_f64(h->meta, o.select == XF_SELECT_MSE ? "valid.mse_units" : "valid.mase",
                   best->score);
    for (c = 0; c < n_pass; c++) {
        char key[64];
        snprintf(key, sizeof key, "valid.%s.%s%s", o.select == XF_SELECT_MSE ? "mse_units" : "mase",
                 pass[c].spec.n_enc > 0 ? "embeddings" : "no_embeddings",
                 pass[c].spec.baseline > 1 ? "+seasonal_baseline" : "");
        xf_xfm_set_f64(h->meta, key, pass[c].score);
    }
    if (o.n_lags > 0)
        xf_xfm_set_f64(h->meta, "valid.naive_mse", best->nmse);
    xf_xfm_set_f64(h->meta, "fit.seconds", now_s() - t_start);
    *out = h;
    h = NULL;
    rc = XF_OK;
done:
    xf_head_free(h);
    ol_free(&train);
    ol_free(&valid);
    xf__feat_ws_free(fws);
    for (c = 0; c < 4; c++)
        pass_free(&pass[c]);
    xf_ridge_model_free(&final);
    free(cache);
    return rc;
}

size_t xf__head_first_origin(const xf__feat_spec *s)
{
    size_t t = (size_t)s->n_lags;
    if (t < 16)
        t = 16; /* a normalisation window of a few values is no scale */
    return t;
}

/* ------------------------------------------------------------ updates */

/* Add the origins of series i with t in [t0, t1) (t on the head's stride
 * grid from its lag window, targets complete) to the head's statistics. */
typedef struct upd {
    xf_head *h;
    const xf_panel *panel;
    xf__feat_ws *fws;
    size_t *bs, *bo, nb;
    double *X, *Y, *lev, *sca, *base;
    unsigned char *ok;
    size_t added;
} upd;

static int upd_flush(upd *u, xf_error *err)
{
    size_t H = (size_t)u->h->spec.horizon, p = u->h->spec.p, i, j, k;
    int rc;
    if (u->nb == 0)
        return XF_OK;
    if ((rc = xf__feat_build(&u->h->spec, u->fws, u->panel, u->bs, u->bo, u->nb, 0, NULL, u->X,
                             u->lev, u->sca, u->ok, err)) != XF_OK)
        return rc;
    for (i = 0, j = 0; i < u->nb; i++) {
        const double *y = xf_panel_series_values(u->panel, u->bs[i]);
        size_t n = xf_panel_series_length(u->panel, u->bs[i]);
        if (!u->ok[i])
            continue;
        for (k = 0; k < H; k++) {
            double v = xf__feat_value(&u->h->spec, y, n, (int64_t)(u->bo[i] + k));
            if (!isfinite(v))
                break;
            u->Y[j * H + k] = (v - u->lev[i]) / u->sca[i];
            if (!(fabs(u->Y[j * H + k]) <= XF_HEAD_MAX_TARGET))
                break; /* as in run_pass */
        }
        if (k < H)
            continue;
        xf__feat_baseline(&u->h->spec, y, n, u->bo[i], u->lev[i], u->sca[i], u->base);
        for (k = 0; k < H; k++)
            u->Y[j * H + k] -= u->base[k];
        if (j != i)
            memmove(u->X + j * p, u->X + i * p, p * sizeof *u->X);
        j++;
    }
    xf_ridge_stats_add(&u->h->stats, u->X, u->Y, j);
    u->added += j;
    u->nb = 0;
    return XF_OK;
}

static int add_origins(xf_head *h, const xf_panel *panel, const size_t *seen, int n_threads,
                       size_t *added, xf_error *err)
{
    size_t H = (size_t)h->spec.horizon, p = h->spec.p, s, ns = xf_panel_n_series(panel);
    size_t t_min = xf__head_first_origin(&h->spec);
    size_t stride = h->stride > 0 ? (size_t)h->stride : 1;
    upd u;
    int rc = XF_OK;
    memset(&u, 0, sizeof u);
    u.h = h;
    u.panel = panel;
    if ((rc = xf__feat_ws_new(&h->spec, FEAT_BATCH, n_threads, &u.fws, err)) != XF_OK)
        return rc;
    u.bs = malloc(FEAT_BATCH * sizeof *u.bs);
    u.bo = malloc(FEAT_BATCH * sizeof *u.bo);
    u.X = xf__malloc_array(FEAT_BATCH * (p ? p : 1), sizeof *u.X);
    u.Y = xf__malloc_array(FEAT_BATCH * H, sizeof *u.Y);
    u.lev = malloc(FEAT_BATCH * sizeof *u.lev);
    u.sca = malloc(FEAT_BATCH * sizeof *u.sca);
    u.base = malloc(H * sizeof *u.base);
    u.ok = malloc(FEAT_BATCH);
    if (!u.bs || !u.bo || !u.X || !u.Y || !u.lev || !u.sca || !u.base || !u.ok) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (s = 0; s < ns; s++) {
        size_t n = xf_panel_series_length(panel, s), t;
        const double *y = xf_panel_series_values(panel, s);
        size_t from = seen != NULL && seen[s] >= H ? seen[s] - H + 1 : t_min;
        if (from < t_min)
            from = t_min;
        /* first grid point at or after `from` */
        t = t_min + (from - t_min + stride - 1) / stride * stride;
        for (; t + H <= n; t += stride) {
            size_t k;
            for (k = 0; k < H && isfinite(y[t + k]); k++)
                ;
            if (k < H || !isfinite(y[t - 1]))
                continue;
            u.bs[u.nb] = s;
            u.bo[u.nb] = t;
            if (++u.nb == FEAT_BATCH && (rc = upd_flush(&u, err)) != XF_OK)
                goto done;
        }
    }
    rc = upd_flush(&u, err);
done:
    if (added != NULL)
        *added = u.added;
    xf__feat_ws_free(u.fws);
    free(u.bs);
    free(u.bo);
    free(u.X);
    free(u.Y);
    free(u.lev);
    free(u.sca);
    free(u.base);
    free(u.ok);
    return rc;
}

/* Re-solve with the head's penalties. */
static int resolve_weights(xf_head *h, xf_error *err)
{
    xf_ridge_model m = {0};
    int rc;
    if ((rc = xf_ridge_solve(&h->stats, h->lambda, &m, err)) != XF_OK)
        return rc;
    free(h->W);
    free(h->b);
    h->W = m.w;
    h->b = m.b;
    m.w = m.b = NULL;
    xf_ridge_model_free(&m);
    return XF_OK;
}

static int check_updatable(const xf_head *h, const xf_panel *panel, xf_error *err)
{
    if (h->zeroshot)
        return xf__fail(err, XF_EINVAL, 0, 0, "a zero-shot head has nothing to refit");
    if (!h->attached)
        return xf__fail(err, XF_EINVAL, 0, 0, "the head has no encoders yet: call "
                        "xf_head_attach_encoders first");
    return xf__head_check_covariates(h, panel, err);
}

/* The common end of refit and update: add the panel's origins (after
 * seen[], or all) to h->stats, solve for the weights, and on failure put
 * back *old, the statistics from before; on success free *old. */
static int add_and_solve(xf_head *h, const xf_panel *panel, const size_t *seen, int n_threads,
                         size_t *added, xf_ridge_stats *old, xf_error *err)
{
    int rc;
    if ((rc = add_origins(h, panel, seen, n_threads, added, err)) != XF_OK ||
        (rc = resolve_weights(h, err)) != XF_OK) {
        xf_ridge_stats_free(&h->stats);
        h->stats = *old;
        return rc;
    }
    xf_ridge_stats_free(old);
    xf_xfm_set_i64(h->meta, "fit.windows", (int64_t)h->stats.n);
    return XF_OK;
}

int xf_head_refit(xf_head *h, const xf_panel *panel, int n_threads, size_t *origins,
                  xf_error *err)
{
    xf_ridge_stats old;
    int rc;
    if ((rc = check_updatable(h, panel, err)) != XF_OK)
        return rc;
    old = h->stats;
    if (xf_ridge_stats_init(&h->stats, h->spec.p, (size_t)h->spec.horizon) != XF_OK) {
        h->stats = old;
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    return add_and_solve(h, panel, NULL, n_threads, origins, &old, err);
}

int xf_head_update(xf_head *h, const xf_panel *panel, const size_t *seen, int n_threads,
                   size_t *added, xf_error *err)
{
    xf_ridge_stats old;
    size_t i;
    int rc;
    if ((rc = check_updatable(h, panel, err)) != XF_OK)
        return rc;
    if (h->stats.p == 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "the head has no sufficient statistics to "
                        "update (refit it)");
    for (i = 0; i < xf_panel_n_series(panel); i++)
        if (seen[i] > xf_panel_series_length(panel, i))
            return xf__fail(err, XF_EINVAL, 0, 0, "series '%s': %zu values seen before, %zu "
                            "now", xf_panel_series_id(panel, i), seen[i],
                            xf_panel_series_length(panel, i));
    /* work on a copy so that a failure leaves the head as it was */
    if (xf_ridge_stats_init(&old, h->stats.p, h->stats.q) != XF_OK)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    xf_ridge_stats_merge(&old, &h->stats);
    return add_and_solve(h, panel, seen, n_threads, added, &old, err);
}

/* ------------------------------------------------------------ zero-shot */

int xf_head_zeroshot(const xf_panel *panel, xf_encoder *enc, const xf_head_options *opts,
                     xf_head **out, xf_error *err)
{
    xf_head_options o = *opts;
    xf_head *h = NULL;
    xf__feat_ws *fws = NULL;
    size_t H, i, k, s, n_cal = 0, cap = 0, cap_org = 0, cap_late = 0, b;
    size_t *ser = NULL, *org = NULL;
    double *X = NULL, *pred = NULL, *lev = NULL, *sca = NULL, *res = NULL;
    unsigned char *ok = NULL, *late = NULL;
    int rc;
    *out = NULL;
    if (xf_encoder_horizon(enc) <= 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "encoder '%s' has no pretraining head",
                        xf_encoder_name(enc));
    if (o.horizon == XF_AUTO) {
        if ((rc = xf_head_options_resolve(&o, panel, err)) != XF_OK)
            return rc;
        if (o.horizon > xf_encoder_horizon(enc))
            o.horizon = xf_encoder_horizon(enc);
    }
    if ((rc = xf_head_options_resolve(&o, panel, err)) != XF_OK)
        return rc;
    if (o.horizon > xf_encoder_horizon(enc))
        return xf__fail(err, XF_ERANGE, 0, 0, "horizon %d: the zero-shot head of '%s' forecasts "
                        "at most %d steps (fit a head for longer horizons)", (int)o.horizon,
                        xf_encoder_name(enc), (int)xf_encoder_horizon(enc));
    if ((h = xf__head_alloc()) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    o.embedding = 1;
    o.covariates = 0;
    o.n_lags = 0;
    if ((rc = fill_spec(h, &o, &enc, 1, 0, err)) != XF_OK)
        goto done;
    h->zeroshot = 1;
    h->stride = 1;
    h->spec.norm_window = xf_encoder_context(enc);
    h->spec.level_last = 0;
    h->spec.baseline = 0;
    xf__feat_spec_layout(&h->spec);
    H = (size_t)o.horizon;
    /* calibration origins: the last ones of each series whose targets are
     * all observed, up to 200 per series */
    for (s = 0; s < xf_panel_n_series(panel); s++) {
        const double *y = xf_panel_series_values(panel, s);
        size_t n = xf_panel_series_observed(panel, s), t, got = 0;
        size_t cut = cut_index(panel, s, o.train_end, o.train_end_row);
        if (cut < n)
            n = cut; /* backtests: calibrate before the test period only */
        for (t = n >= H ? n - H + 1 : 0; t-- > 8 && got < 200;) {
            for (k = 0; k < H && isfinite(xf__feat_value(&h->spec, y, n, (int64_t)(t + k))); k++)
                ;
            if (k < H)
                continue;
            if (xf__grow((void **)&ser, &cap, n_cal + 1, sizeof *ser) != 0 ||
                xf__grow((void **)&org, &cap_org, n_cal + 1, sizeof *org) != 0 ||
                xf__grow((void **)&late, &cap_late, n_cal + 1, sizeof *late) != 0) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                goto done;
            }
            ser[n_cal] = s;
            org[n_cal] = t;
            late[n_cal] = got < 100; /* the most recent half */
            n_cal++;
            got++;
        }
    }
    if (n_cal < 10) {
        rc = xf__fail(err, XF_EDATA, 0, 0, "too little history to calibrate intervals: %zu "
                      "origins with %zu observed values after them (need 10)", n_cal, H);
        goto done;
    }
    if ((rc = xf__feat_ws_new(&h->spec, FEAT_BATCH, o.n_threads, &fws, err)) != XF_OK)
        goto done;
    X = xf__malloc_array(FEAT_BATCH * h->spec.p, sizeof *X);
    pred = xf__malloc_array(FEAT_BATCH * H, sizeof *pred);
    lev = malloc(FEAT_BATCH * sizeof *lev);
    sca = malloc(FEAT_BATCH * sizeof *sca);
    ok = malloc(FEAT_BATCH);
    res = xf__malloc_array(n_cal * H, sizeof *res);
    if (!X || !pred || !lev || !sca || !ok || !res) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    {
        size_t nr = 0;
        for (b = 0; b < n_cal; b += FEAT_BATCH) {
            size_t m = n_cal - b < FEAT_BATCH ? n_cal - b : FEAT_BATCH;
            if ((rc = xf__head_predict(h, fws, panel, ser + b, org + b, m, 0, X, pred, lev, sca,
                                       ok, err)) != XF_OK)
                goto done;
            for (i = 0; i < m; i++) {
                const double *y = xf_panel_series_values(panel, ser[b + i]);
                size_t n = xf_panel_series_length(panel, ser[b + i]);
                if (!ok[i])
                    continue;
                for (k = 0; k < H; k++)
                    res[nr * H + k] = (xf__feat_value(&h->spec, y, n, (int64_t)(org[b + i] + k)) -
                                       lev[i]) / sca[i] - pred[i * H + k];
                late[nr] = late[b + i];
                nr++;
            }
        }
        if ((rc = calibrate(h, res, late, nr, err)) != XF_OK)
            goto done;
        record_provenance(h, panel, &o);
        xf_xfm_set_i64(h->meta, "fit.windows_valid", (int64_t)nr);
    }
    *out = h;
    h = NULL;
    rc = XF_OK;
done:
    xf_head_free(h);
    xf__feat_ws_free(fws);
    free(ser);
    free(org);
    free(late);
    free(X);
    free(pred);
    free(lev);
    free(sca);
    free(ok);
    free(res);
    return rc;
}

size_t xf_head_describe(const xf_head *h, char *buf, size_t n)
{
    char enc[256] = "", cal[96] = "", base[64];
    size_t i, len = 0;
    int c, k;
    static const char *const cal_names[] = {"hour-of-day", "day-of-week", "day-of-year",
                                            "month-of-year"};
    /* h->n_enc: the encoders the head needs, attached or not yet */
    for (i = 0; i < h->n_enc && len < sizeof enc - 80; i++)
        len += (size_t)snprintf(enc + len, sizeof enc - len, "%s%s", i ? " + " : "",
                                h->enc_name[i]);
    len = 0;
    for (c = 0; c < XF_CAL_N && len < sizeof cal - 30; c++)
        if (h->spec.n_harm[c] > 0)
            len += (size_t)snprintf(cal + len, sizeof cal - len, "%s%s x%d", len ? ", " : "",
                                    c == XF_CAL_WEEK && h->spec.n_harm[c] > 4 ? "hour-of-week"
                                                                              : cal_names[c],
                                    (int)h->spec.n_harm[c]);
    if (h->spec.baseline > 1)
        snprintf(base, sizeof base, "corrects seasonal naive (period %d)", (int)h->spec.baseline);
    else
        snprintf(base, sizeof base, "%s", h->spec.baseline == 1 ? "corrects naive" : "no baseline");
    k = snprintf(buf, n, "%s head, domain %s, horizon %d: %s%s%s; %d lags; calendar %s; "
                 "%zu covariate(s); %s, %s; %s; %zu features",
                 h->zeroshot ? "zero-shot" : "ridge", xf_domain_name(h->domain),
                 (int)h->spec.horizon, h->n_enc ? "embeddings of " : "",
                 h->n_enc ? enc : "no embeddings", h->zeroshot ? " (pretraining head)" : "",
                 (int)h->spec.n_lags, cal[0] ? cal : "off", h->spec.n_cov,
                 h->spec.log_transform ? "log values" : "values",
                 h->spec.level_last ? "returns scale"
                 : h->spec.scale_mode ? "seasonal-difference scale" : "std scale",
                 base, h->spec.p);
    return k < 0 ? 0 : (size_t)k;
}
