/* bench_transfer.c - does pretraining transfer?  Ridge heads on raw lags, on
 * the embedding of a randomly initialised frozen encoder, and on the
 * pretrained embedding, on ETTh1, M4 Hourly and every file in datasets/.
 *
 *     bench/bench_transfer [options] MODEL.xfm[,TWIN.xfm] ...
 *
 * For every model file it compares, on the same forecast origins:
 *   (a)      ridge on the last L normalised lags;
 *   (b)      ridge on the embedding of an untrained encoder of the same
 *            configuration (xf_encoder_new, seed 12345), or of TWIN.xfm when
 *            given: the same run's initial weights, pretraining head
 *            included (xfcast pretrain with the model's options, --steps 1
 *            --lr 1e-7);
 *   (c)      ridge on the pretrained embedding;
 *   (b+lags) and (c+lags): the embedding and the lags side by side;
 *   (a+sn), (b+lags+sn), (c+lags+sn): the same features with the
 *            seasonal-naive baseline, the way xfcast's heads use them: the
 *            ridge predicts the residual over the seasonal-naive forecast of
 *            the series' period (in the window's normalised units) and the
 *            forecast adds the baseline back, so the penalty shrinks the head
 *            toward seasonal naive instead of toward the window mean;
 *   (b+lags+sn+fc), (c+lags+sn+fc): also the median forecast of the
 *            encoder's own pretraining head for every step (in the window's
 *            units, less seasonal naive), read at the series' periods: the
 *            pretrained forecast as a feature of the ridge (stacking); only
 *            when both encoders have a head of at least the horizon;
 * plus seasonal naive for reference.  The verdict (issue 14's transfer
 * target) compares (c+lags+sn) with (b+lags+sn): pretrained beats random by
 * at least 10% on average over the benchmarks and is worse on none of them.
 * Every window is instance-normalised with its own mean and std (the `norm`
 * output of xf_encoder_embed: the same computation is done here for the lags
 * and the baseline), ridge targets are in those units and forecasts are
 * mapped back before scoring.  The penalty is chosen per
 * output step from a grid on a time-ordered validation part; the head is
 * then refitted with that penalty on everything before the test part
 * (--no-refit keeps the training-only fit).  Embeddings are computed once
 * per origin and reused for every horizon.
 *
 * Writes the Markdown body of the "transfer" section of bench/RESULTS.md on
 * standard output (bench/run_transfer.sh adds the header and splices it in),
 * progress and notes on standard error, and with --tsv one line per number.
 * Benchmarks whose data are absent are skipped with a note, and so are
 * missing model files.
 *
 * Options:
 *   --data DIR        ETTh1.csv, M4-Hourly-{train,test}.csv (default
 *                     $XF_BENCH_DATA, else $XF_SRCDIR/../shared/data)
 *   --datasets DIR    the shipped datasets (default $XF_SRCDIR/datasets)
 *   --only LIST       comma-separated subset of etth1,m4,datasets
 *   --etth1-stride N  stride of ETTh1 training origins (default 1)
 *   --m4-stride N     stride of M4 training origins (default 4)
 *   --m4-series N     use only the first N M4 series (default all 414)
 *   --ds-stride N     stride of datasets/ training origins (default 1)
 *   --ds-test-stride N stride of datasets/ test origins (default 1)
 *   --ds-skip LIST    file:col,col;file:col series to leave out (default
 *                     "sp500-2000.csv:open,high,low,adjclose": copies of close)
 *   --no-refit        keep the head fitted on the training part only
 *   --group-penalty   also choose, with the penalty, a weight w of the
 *                     embedding's (standardised) columns against the lags':
 *                     the embedding's penalty is the common one over w^2,
 *                     w in 1, 1/2, 1/4, 1/8, 1/16 (one per head)
 *   --threads N       BLAS threads (default: OpenBLAS's own choice)
 *   --tsv FILE        also write every number as a tab-separated line
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <xfcast.h>
#include "pretrain_head.h"
#include "ridge.h"

#define RANDOM_SEED 12345u
#define MAX_H 8
#define MAX_MODELS 8
#define ROW_CHUNK 256
#define EMBED_CHUNK 512
#define EMBED_BATCH 256

enum { SPLIT_TRAIN = 0, SPLIT_VALID, SPLIT_TEST };
/* methods: seasonal naive, lags, lags over the seasonal-naive baseline,
 * then six per model */
enum { M_SNAIVE = 0, M_LAGS = 1, M_LAGS_SN = 2, M_FIRST_MODEL = 3 };
enum {
    F_RAND = 0,
    F_PRE,
    F_RAND_LAGS,
    F_PRE_LAGS,
    F_RAND_LAGS_SN,
    F_PRE_LAGS_SN,
    F_RAND_LAGS_SN_FC, /* + the pretraining head's median forecast */
    F_PRE_LAGS_SN_FC,
    F_N
};
#define N_METHODS(nm) (M_FIRST_MODEL + F_N * (nm))

static const double LAMBDAS[] = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100};
/* the embedding's weights tried against the lags' (--group-penalty) */
static const double EMB_W[] = {1, 0.5, 0.25, 0.125, 0.0625};
#define N_EMB_W (sizeof EMB_W / sizeof EMB_W[0])
#define N_LAMBDAS (sizeof LAMBDAS / sizeof LAMBDAS[0])

typedef struct origin {
    int32_t s;           /* series */
    int32_t t;           /* first forecast index; the context is [t - C, t) */
    int32_t limit;       /* the targets t .. t+H-1 must lie below this */
    int32_t refit_limit; /* training origins: bound for the refit on train + valid */
    int split;
} origin;

typedef struct acc {
    double abs_sc; /* |e| / MASE scale */
    double sq_z;   /* (e / zsd)^2 */
    double abs_z;  /* |e| / zsd */
    double smape;  /* 200 |e| / (|y| + |f|) */
    double n;
} acc;

typedef struct problem {
    char name[160];
    size_t n_series;
    double **x; /* [n_series][len] values, NaN = missing */
    size_t *len;
    double *scale; /* MASE scale per series */
    double *zsd;   /* scale of the normalised MSE per series */
    int m, L, C;
    int32_t per[2]; /* the periods a seasonal pretraining head reads */
    int n_h, h[MAX_H];
    origin *o;
    size_t n_o, cap_o;
    double *mean, *sd;       /* per origin: the context window's mean and std */
    acc *res;                /* [method][n_h] */
    double *lam_lo, *lam_hi; /* [method][n_h] chosen penalties */
    double *emb_w;           /* [method][n_h] chosen weight of the embedding */
    int *ok;                 /* [method][n_h] result present */
    size_t n_train[MAX_H], n_valid[MAX_H], n_test[MAX_H];
} problem;

typedef struct model {
    const char *path;
    char label[64];
    xf_encoder *pre, *rnd;
    const char *twin; /* the random twin's file (pretrain's initial weights), or NULL */
    xf_encoder_workspace *ws_pre, *ws_rnd; /* one workspace per encoder, for every batch */
    size_t E;
    double embed_s;     /* seconds spent embedding (both encoders) */
    size_t n_embedded;  /* windows embedded per encoder */
    double norm_diff;   /* max |own norm - encoder norm| / std */
    size_t n_nonfinite; /* non-finite embedding values seen */
} model;

/* one cell of the summary: the primary metric of one benchmark column */
typedef struct cell {
    char bench[192];
    int model;
    double v[N_METHODS(MAX_MODELS)];
} cell;

static model g_models[MAX_MODELS];
static int g_n_models;
static int g_refit = 1;
static int g_group_w; /* --group-penalty: choose the embedding's weight too */
static FILE *g_tsv;
static cell *g_cells;
static size_t g_n_cells, g_cap_cells;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("bench_transfer: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void note(const char *fmt, ...)
{
    va_list ap;
    fputs("bench_transfer: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        die("out of memory (%zu bytes)", n);
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        die("out of memory");
    return p;
}

static void join_path(char *buf, size_t n, const char *dir, const char *name)
{
    int k = snprintf(buf, n, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= n)
        die("path too long: %s/%s", dir, name);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ------------------------------------------------------------ problems */

static problem *problem_new(const char *name, size_t n_series, int C, int m, int L)
{
    problem *P = xcalloc(1, sizeof *P);
    snprintf(P->name, sizeof P->name, "%s", name);
    P->n_series = n_series;
    P->per[0] = m;
    P->per[1] = 0;
    P->x = xcalloc(n_series, sizeof *P->x);
    P->len = xcalloc(n_series, sizeof *P->len);
    P->scale = xcalloc(n_series, sizeof *P->scale);
    P->zsd = xcalloc(n_series, sizeof *P->zsd);
    P->C = C;
    P->m = m;
    P->L = L < C ? L : C;
    return P;
}

static void problem_free(problem *P)
{
    size_t i;
    if (P == NULL)
        return;
    for (i = 0; i < P->n_series; i++)
        free(P->x[i]);
    free(P->x);
    free(P->len);
    free(P->scale);
    free(P->zsd);
    free(P->o);
    free(P->mean);
    free(P->sd);
    free(P->res);
    free(P->lam_lo);
    free(P->lam_hi);
    free(P->emb_w);
    free(P->ok);
    free(P);
}

static void add_origin(problem *P, int s, long t, long limit, long refit_limit, int split)
{
    origin *o;
    if (P->n_o == P->cap_o) {
        P->cap_o = P->cap_o ? 2 * P->cap_o : 1024;
        P->o = realloc(P->o, P->cap_o * sizeof *P->o);
        if (P->o == NULL)
            die("out of memory");
    }
    o = &P->o[P->n_o++];
    o->s = s;
    o->t = (int32_t)t;
    o->limit = (int32_t)limit;
    o->refit_limit = (int32_t)refit_limit;
    o->split = split;
}

/* the context's mean and std exactly as the encoder computes them
 * (src/encoder.c xf__normalise_window: population std over the observed
 * values; 1 for constant or empty windows) */
static void window_norm(const problem *P, const origin *o, double *mean_out, double *sd_out)
{
    const double *x = P->x[o->s];
    double sum = 0, sq = 0, mean, sd;
    long i, n = 0;
    for (i = o->t - P->C; i < o->t; i++)
        if (i >= 0 && !isnan(x[i])) {
            sum += (double)(float)x[i];
            n++;
        }
    mean = n ? sum / (double)n : 0.0;
    for (i = o->t - P->C; i < o->t; i++)
        if (i >= 0 && !isnan(x[i])) {
            double d = (double)(float)x[i] - mean;
            sq += d * d;
        }
    sd = n ? sqrt(sq / (double)n) : 0.0;
    if (!(sd > 1e-7 * fabs(mean)) || sd < 1e-30)
        sd = 1.0;
    *mean_out = mean;
    *sd_out = sd;
}

static void fill_window(const problem *P, const origin *o, float *w)
{
    const double *x = P->x[o->s];
    long i, j = 0;
    for (i = o->t - P->C; i < o->t; i++, j++)
        w[j] = i >= 0 ? (float)x[i] : NAN;
}

/* ------------------------------------------------------------ embeddings */

static float *embed_all(const problem *P, model *M, xf_encoder *enc, xf_encoder_workspace *ws)
{
    size_t E = xf_encoder_embed_size(enc), C = (size_t)P->C, start, i;
    float *win = xmalloc(EMBED_CHUNK * C * sizeof *win);
    float *nm = xmalloc(EMBED_CHUNK * 2 * sizeof *nm);
    float *emb = xmalloc(P->n_o * E * sizeof *emb);
    xf_error err;
    double t0 = now_s();
    /* an encoder with the seasonal difference reads it at the series' period */
    if (xf_encoder_workspace_set_period(ws, P->m >= 1 ? P->m : 1, &err) != XF_OK)
        die("%s: %s", M->path, err.message);
    for (start = 0; start < P->n_o; start += EMBED_CHUNK) {
        size_t b = P->n_o - start < EMBED_CHUNK ? P->n_o - start : EMBED_CHUNK;
        for (i = 0; i < b; i++)
            fill_window(P, &P->o[start + i], win + i * C);
        if (xf_encoder_embed(enc, ws, win, b, emb + start * E, nm, &err) != XF_OK)
            die("%s: xf_encoder_embed: %s", M->path, err.message);
        for (i = 0; i < b; i++) {
            double sd = P->sd[start + i];
            double d1 = fabs((double)nm[2 * i] - P->mean[start + i]) / sd;
            double d2 = fabs((double)nm[2 * i + 1] - sd) / sd;
            if (d1 > M->norm_diff)
                M->norm_diff = d1;
            if (d2 > M->norm_diff)
                M->norm_diff = d2;
        }
    }
    for (i = 0; i < P->n_o * E; i++)
        if (!isfinite(emb[i])) {
            M->n_nonfinite++;
            emb[i] = 0.0f;
        }
    free(win);
    free(nm);
    M->embed_s += now_s() - t0;
    return emb;
}

/* The pretraining head's median forecast of the first Hf steps after every
 * origin ([n_o][Hf], data units), reading the problem's periods; NULL when
 * the encoder's head forecasts fewer steps. */
static float *forecast_all(const problem *P, model *M, xf_encoder *enc, xf_encoder_workspace *ws,
                           int Hf)
{
    size_t C = (size_t)P->C, start, i;
    float *win, *fc;
    xf_error err;
    if (Hf < 1 || xf_encoder_horizon(enc) < Hf)
        return NULL;
    win = xmalloc(EMBED_CHUNK * C * sizeof *win);
    fc = xmalloc(P->n_o * (size_t)Hf * sizeof *fc);
    for (start = 0; start < P->n_o; start += EMBED_CHUNK) {
        size_t b = P->n_o - start < EMBED_CHUNK ? P->n_o - start : EMBED_CHUNK;
        for (i = 0; i < b; i++)
            fill_window(P, &P->o[start + i], win + i * C);
        if (xf_encoder_forecast_periods(enc, ws, win, b, Hf, P->per, fc + start * (size_t)Hf, NULL,
                                        &err) != XF_OK)
            die("%s: xf_encoder_forecast_periods: %s", M->path, err.message);
    }
    for (i = 0; i < P->n_o * (size_t)Hf; i++)
        if (!isfinite(fc[i]))
            fc[i] = NAN; /* feat_row writes the baseline's 0 for it */
    free(win);
    return fc; /* not counted in M->embed_s: that reports the embeddings alone */
}

/* ------------------------------------------------------------ scoring */

static void acc_add(acc *a, const problem *P, int s, double y, double f)
{
    double e = f - y, ae = fabs(e), den = fabs(y) + fabs(f);
    a->abs_sc += ae / P->scale[s];
    a->sq_z += (e / P->zsd[s]) * (e / P->zsd[s]);
    a->abs_z += ae / P->zsd[s];
    a->smape += den > 0 ? 200.0 * ae / den : 0.0;
    a->n += 1;
}

static acc *res_at(problem *P, int method, int hi)
{
    return &P->res[method * P->n_h + hi];
}

/* the seasonal-naive forecast of step h (0-based) from origin o: the last
 * observed value a whole number of seasons before t + h; NaN when the series
 * has no observed value before t */
static double snaive_at(const problem *P, const origin *o, int h)
{
    const double *x = P->x[o->s];
    int m = P->m;
    long j = (long)o->t - m + h % m;
    double f = NAN;
    while (j >= 0 && isnan(x[j]))
        j -= m;
    if (j >= 0)
        f = x[j];
    else /* no value a whole number of seasons back: the last observed */
        for (j = o->t - 1; j >= 0 && isnan(f); j--)
            f = x[j];
    return f;
}

/* the seasonal-naive baseline of origin oi for steps 0..H-1 in the window's
 * normalised units (0, the window mean, where there is none) */
static void snaive_row(const problem *P, size_t oi, int H, double *b)
{
    int h;
    for (h = 0; h < H; h++) {
        double f = snaive_at(P, &P->o[oi], h);
        b[h] = isnan(f) ? 0.0 : (f - P->mean[oi]) / P->sd[oi];
    }
}

static void seasonal_naive(problem *P, int hi)
{
    int H = P->h[hi];
    size_t oi;
    acc *a = res_at(P, M_SNAIVE, hi);
    for (oi = 0; oi < P->n_o; oi++) {
        const origin *o = &P->o[oi];
        const double *x = P->x[o->s];
        int h;
        if (o->split != SPLIT_TEST || o->t + H > o->limit)
            continue;
        for (h = 0; h < H; h++) {
            double f = snaive_at(P, o, h);
            if (isnan(x[o->t + h]) || isnan(f))
                continue;
            acc_add(a, P, o->s, x[o->t + h], f);
        }
    }
    P->ok[M_SNAIVE * P->n_h + hi] = a->n > 0;
}

/* ------------------------------------------------------------ ridge heads */

typedef struct fset {
    const float *emb; /* [n_o][E] or NULL */
    size_t E;
    int lags;        /* the last L normalised values as features */
    int snaive;      /* targets are residuals over the seasonal-naive baseline */
    const float *fc; /* [n_o][Hf] the pretraining head's forecasts, or NULL */
    int Hf;          /* fc's stride; its first H steps are features (normalised,
                        less the seasonal-naive forecast when snaive) */
    int H;
} fset;

static size_t fset_p(const problem *P, const fset *f)
{
    return (f->emb ? f->E : 0) + (f->lags ? (size_t)P->L : 0) + (f->fc ? (size_t)f->H : 0);
}

static void feat_row(const problem *P, size_t oi, const fset *f, double *row)
{
    const origin *o = &P->o[oi];
    double mu = P->mean[oi], sd = P->sd[oi];
    size_t k = 0, e;
    if (f->fc) {
        double base[512];
        int h;
        if (f->H > 512)
            die("horizon %d over 512", f->H);
        memset(base, 0, sizeof base);
        if (f->snaive)
            snaive_row(P, oi, f->H, base);
        for (h = 0; h < f->H; h++) {
            double v = f->fc[oi * (size_t)f->Hf + (size_t)h];
            row[k++] = isnan(v) ? 0.0 : (v - mu) / sd - base[h];
        }
    }
    if (f->emb)
        for (e = 0; e < f->E; e++)
            row[k++] = f->emb[oi * f->E + e];
    if (f->lags) {
        const double *x = P->x[o->s];
        long i;
        for (i = o->t - P->L; i < o->t; i++) {
            double v = i >= 0 ? x[i] : NAN;
            row[k++] = isnan(v) ? 0.0 : (v - mu) / sd;
        }
    }
}

static void fit_eval(problem *P, int hi, int method, const fset *f)
{
    int H = P->h[hi];
    size_t p = fset_p(P, f), oi, cnt[3] = {0, 0, 0}, k;
    xf__ridge_stats st[3];
    xf__ridge_model m0, mk;
    double *X[3], *Y[3], *row, *yhat, *base, lo = INFINITY, hi_l = 0;
    double *colw = NULL, best_score = INFINITY, best_w = 1;
    xf_error err;
    int d, rc;
    size_t wi;
    acc *a = res_at(P, method, hi);

    base = xcalloc((size_t)H, sizeof *base); /* stays 0 without the baseline */
    for (d = 0; d < 3; d++) {
        if (xf__ridge_stats_init(&st[d], p, (size_t)H) != XF_OK)
            die("out of memory");
        X[d] = xmalloc(ROW_CHUNK * p * sizeof(double));
        Y[d] = xmalloc(ROW_CHUNK * (size_t)H * sizeof(double));
    }
    /* 0 = train, 1 = valid, 2 = training origins whose targets reach into
     * the validation part (used by the refit only) */
    for (oi = 0; oi < P->n_o; oi++) {
        const origin *o = &P->o[oi];
        const double *x = P->x[o->s];
        double mu = P->mean[oi], sd = P->sd[oi], *y;
        int h, bad = 0;
        d = -1;
        if (o->split == SPLIT_TRAIN)
            d = o->t + H <= o->limit ? 0 : (g_refit && o->t + H <= o->refit_limit) ? 2 : -1;
        else if (o->split == SPLIT_VALID)
            d = o->t + H <= o->limit ? 1 : -1;
        if (d < 0)
            continue;
        y = Y[d] + cnt[d] * (size_t)H;
        if (f->snaive)
            snaive_row(P, oi, H, base);
        for (h = 0; h < H && !bad; h++) {
            if (isnan(x[o->t + h]))
                bad = 1;
            else
                y[h] = (x[o->t + h] - mu) / sd - base[h];
        }
        if (bad)
            continue;
        feat_row(P, oi, f, X[d] + cnt[d] * p);
        if (++cnt[d] == ROW_CHUNK) {
            xf__ridge_stats_add(&st[d], X[d], Y[d], cnt[d]);
            cnt[d] = 0;
        }
    }
    for (d = 0; d < 3; d++)
        if (cnt[d])
            xf__ridge_stats_add(&st[d], X[d], Y[d], cnt[d]);
    P->n_train[hi] = (size_t)st[0].n;
    P->n_valid[hi] = (size_t)st[1].n;

    /* the embedding's weight against the other features (its penalty
     * 1/w^2 times theirs), chosen on the validation part with the penalty */
    colw = xmalloc((p ? p : 1) * sizeof *colw);
    for (k = 0; k < p; k++)
        colw[k] = 1.0;
    for (wi = 0; wi < (f->emb && (f->lags || f->fc) && g_group_w ? N_EMB_W : (size_t)1); wi++) {
        xf__ridge_model mw;
        double tot = 0;
        size_t e0 = f->fc ? (size_t)f->H : 0;
        for (k = 0; k < f->E && f->emb; k++)
            colw[e0 + k] = EMB_W[wi];
        st[0].colw = colw;
        rc = xf__ridge_fit(&st[0], st[1].n > 0 ? &st[1] : NULL, LAMBDAS, N_LAMBDAS, 1, &mw, &err);
        if (rc != XF_OK) {
            note("%s H=%d: ridge fit failed: %s", P->name, H, err.message);
            if (wi > 0)
                xf__ridge_model_free(&m0);
            goto done;
        }
        for (k = 0; k < (size_t)H; k++)
            tot += mw.score[k];
        if (wi == 0 || tot < best_score) {
            if (wi > 0)
                xf__ridge_model_free(&m0);
            m0 = mw;
            best_score = tot;
            best_w = EMB_W[wi];
        } else
            xf__ridge_model_free(&mw);
    }
    for (k = 0; k < f->E && f->emb; k++)
        colw[(f->fc ? (size_t)f->H : 0) + k] = best_w;
    P->emb_w[method * P->n_h + hi] = best_w;
    if (g_refit) {
        /* refit on train + valid with each output's chosen penalty */
        xf__ridge_stats_merge(&st[0], &st[1]);
        xf__ridge_stats_merge(&st[0], &st[2]);
        for (k = 0; k < (size_t)H; k++) {
            double lam = m0.lambda[k];
            size_t j, kk;
            int seen = 0;
            for (j = 0; j < k; j++)
                if (m0.lambda[j] == lam)
                    seen = 1;
            if (seen)
                continue;
            rc = xf__ridge_fit(&st[0], NULL, &lam, 1, 0, &mk, &err);
            if (rc != XF_OK) {
                note("%s H=%d: ridge refit failed: %s", P->name, H, err.message);
                xf__ridge_model_free(&m0);
                goto done;
            }
            for (kk = k; kk < (size_t)H; kk++)
                if (m0.lambda[kk] == lam) {
                    memcpy(m0.w + kk * p, mk.w + kk * p, p * sizeof *m0.w);
                    m0.b[kk] = mk.b[kk];
                }
            xf__ridge_model_free(&mk);
        }
    }
    for (k = 0; k < (size_t)H; k++) {
        if (m0.lambda[k] < lo)
            lo = m0.lambda[k];
        if (m0.lambda[k] > hi_l)
            hi_l = m0.lambda[k];
    }
    P->lam_lo[method * P->n_h + hi] = lo;
    P->lam_hi[method * P->n_h + hi] = hi_l;

    row = xmalloc(p * sizeof *row);
    yhat = xmalloc((size_t)H * sizeof *yhat);
    P->n_test[hi] = 0;
    for (oi = 0; oi < P->n_o; oi++) {
        const origin *o = &P->o[oi];
        const double *x = P->x[o->s];
        int h;
        if (o->split != SPLIT_TEST || o->t + H > o->limit)
            continue;
        feat_row(P, oi, f, row);
        xf__ridge_predict(&m0, row, yhat);
        if (f->snaive)
            snaive_row(P, oi, H, base);
        for (h = 0; h < H; h++)
            if (!isnan(x[o->t + h]))
                acc_add(a, P, o->s, x[o->t + h], (yhat[h] + base[h]) * P->sd[oi] + P->mean[oi]);
        P->n_test[hi]++;
    }
    P->ok[method * P->n_h + hi] = a->n > 0;
    free(row);
    free(yhat);
    xf__ridge_model_free(&m0);
done:
    free(colw);
    free(base);
    for (d = 0; d < 3; d++) {
        xf__ridge_stats_free(&st[d]);
        free(X[d]);
        free(Y[d]);
    }
}

static void run_problem(problem *P)
{
    size_t oi, nm = (size_t)N_METHODS(g_n_models);
    int hi, j;
    double t0 = now_s();
    P->mean = xmalloc(P->n_o * sizeof *P->mean);
    P->sd = xmalloc(P->n_o * sizeof *P->sd);
    P->res = xcalloc(nm * (size_t)P->n_h, sizeof *P->res);
    P->lam_lo = xcalloc(nm * (size_t)P->n_h, sizeof *P->lam_lo);
    P->lam_hi = xcalloc(nm * (size_t)P->n_h, sizeof *P->lam_hi);
    P->emb_w = xcalloc(nm * (size_t)P->n_h, sizeof *P->emb_w);
    P->ok = xcalloc(nm * (size_t)P->n_h, sizeof *P->ok);
    for (oi = 0; oi < P->n_o; oi++)
        window_norm(P, &P->o[oi], &P->mean[oi], &P->sd[oi]);
    note("%s: %zu origins, lags L=%d, horizons %d..%d", P->name, P->n_o, P->L, P->h[0],
         P->h[P->n_h - 1]);
    for (hi = 0; hi < P->n_h; hi++) {
        fset f = {NULL, 0, 1, 0, NULL, 0, 0}, fs = {NULL, 0, 1, 1, NULL, 0, 0};
        seasonal_naive(P, hi);
        fit_eval(P, hi, M_LAGS, &f);
        fit_eval(P, hi, M_LAGS_SN, &fs);
    }
    for (j = 0; j < g_n_models; j++) {
        model *M = &g_models[j];
        float *er = embed_all(P, M, M->rnd, M->ws_rnd), *ep = embed_all(P, M, M->pre, M->ws_pre);
        int Hf = P->h[P->n_h - 1];
        /* the forecast rows: both encoders need a pretraining head */
        float *cr = forecast_all(P, M, M->rnd, M->ws_rnd, Hf);
        float *cp = cr ? forecast_all(P, M, M->pre, M->ws_pre, Hf) : NULL;
        M->n_embedded += P->n_o;
        for (hi = 0; hi < P->n_h; hi++) {
            int H = P->h[hi];
            fset fr = {er, M->E, 0, 0, NULL, 0, 0}, fp = {ep, M->E, 0, 0, NULL, 0, 0};
            fset frl = {er, M->E, 1, 0, NULL, 0, 0}, fpl = {ep, M->E, 1, 0, NULL, 0, 0};
            fset frs = {er, M->E, 1, 1, NULL, 0, 0}, fps = {ep, M->E, 1, 1, NULL, 0, 0};
            fset frc = {er, M->E, 1, 1, cr, Hf, H}, fpc = {ep, M->E, 1, 1, cp, Hf, H};
            int base = M_FIRST_MODEL + F_N * j;
            if (cr && cp) {
                fit_eval(P, hi, base + F_RAND_LAGS_SN_FC, &frc);
                fit_eval(P, hi, base + F_PRE_LAGS_SN_FC, &fpc);
            }
            fit_eval(P, hi, base + F_RAND, &fr);
            fit_eval(P, hi, base + F_PRE, &fp);
            fit_eval(P, hi, base + F_RAND_LAGS, &frl);
            fit_eval(P, hi, base + F_PRE_LAGS, &fpl);
            fit_eval(P, hi, base + F_RAND_LAGS_SN, &frs);
            fit_eval(P, hi, base + F_PRE_LAGS_SN, &fps);
        }
        free(er);
        free(ep);
        free(cr);
        free(cp);
    }
    note("%s: done in %.1f s", P->name, now_s() - t0);
}

/* ------------------------------------------------------------ output */

static const char *method_label(int method, char *buf, size_t n, const problem *P)
{
    int j, f;
    if (method == M_SNAIVE) {
        snprintf(buf, n, "seasonal naive (m=%d)", P->m);
        return buf;
    }
    if (method == M_LAGS) {
        snprintf(buf, n, "(a) ridge: lags (L=%d)", P->L);
        return buf;
    }
    if (method == M_LAGS_SN) {
        snprintf(buf, n, "(a+sn) lags (L=%d) + seasonal naive", P->L);
        return buf;
    }
    j = (method - M_FIRST_MODEL) / F_N;
    f = (method - M_FIRST_MODEL) % F_N;
    switch (f) {
    case F_RAND:
        snprintf(buf, n, "(b) ridge: %s random", g_models[j].label);
        break;
    case F_PRE:
        snprintf(buf, n, "(c) ridge: %s pretrained", g_models[j].label);
        break;
    case F_RAND_LAGS:
        snprintf(buf, n, "(b+lags) %s random + lags", g_models[j].label);
        break;
    case F_RAND_LAGS_SN:
        snprintf(buf, n, "(b+lags+sn) %s random + lags + seasonal naive", g_models[j].label);
        break;
    case F_PRE_LAGS_SN:
        snprintf(buf, n, "(c+lags+sn) %s pretrained + lags + seasonal naive", g_models[j].label);
        break;
    case F_RAND_LAGS_SN_FC:
        snprintf(buf, n, "(b+lags+sn+fc) %s random + lags + seasonal naive + its head's forecast",
                 g_models[j].label);
        break;
    case F_PRE_LAGS_SN_FC:
        snprintf(buf, n,
                 "(c+lags+sn+fc) %s pretrained + lags + seasonal naive + its head's forecast",
                 g_models[j].label);
        break;
    default:
        snprintf(buf, n, "(c+lags) %s pretrained + lags", g_models[j].label);
        break;
    }
    return buf;
}

static const char *method_key(int method, char *buf, size_t n)
{
    static const char *fk[F_N] = {"random",
                                  "pretrained",
                                  "random+lags",
                                  "pretrained+lags",
                                  "random+lags+snaive",
                                  "pretrained+lags+snaive",
                                  "random+lags+snaive+fc",
                                  "pretrained+lags+snaive+fc"};
    if (method == M_SNAIVE)
        return "snaive";
    if (method == M_LAGS)
        return "lags";
    if (method == M_LAGS_SN)
        return "lags+snaive";
    snprintf(buf, n, "%s:%s", g_models[(method - M_FIRST_MODEL) / F_N].label,
             fk[(method - M_FIRST_MODEL) % F_N]);
    return buf;
}

static void tsv(const char *bench, const char *col, int method, const char *metric, double v,
                const problem *P, int hi)
{
    char kb[96];
    if (g_tsv == NULL)
        return;
    fprintf(g_tsv, "%s\t%s\t%s\t%s\t%.6g", bench, col, method_key(method, kb, sizeof kb), metric,
            v);
    if (P != NULL && method != M_SNAIVE)
        fprintf(g_tsv, "\tlambda=%g..%g\temb_w=%g", P->lam_lo[method * P->n_h + hi],
                P->lam_hi[method * P->n_h + hi], P->emb_w[method * P->n_h + hi]);
    fputc('\n', g_tsv);
}

static void add_cell(const char *bench, const double *v)
{
    size_t nm = (size_t)N_METHODS(g_n_models);
    cell *c;
    if (g_n_cells == g_cap_cells) {
        g_cap_cells = g_cap_cells ? 2 * g_cap_cells : 64;
        g_cells = realloc(g_cells, g_cap_cells * sizeof *g_cells);
        if (g_cells == NULL)
            die("out of memory");
    }
    c = &g_cells[g_n_cells++];
    snprintf(c->bench, sizeof c->bench, "%s", bench);
    memcpy(c->v, v, nm * sizeof *v);
}

static void table_rule(int ncol)
{
    int i;
    printf("|---|");
    for (i = 0; i < ncol; i++)
        printf("---:|");
    printf("\n");
}

/* ------------------------------------------------------------ ETTh1 */

static const int ETT_TRAIN = 8640, ETT_VALID = 11520, ETT_TEST = 14400;

static void bench_etth1(const char *dir, int C, int stride)
{
    char path[4096], lab[160];
    xf_csv_options opts;
    xf_dataset *ds = NULL;
    xf_error err;
    const double *v;
    double mean = 0, var = 0, *x;
    problem *P;
    int i, hi, method, nm = N_METHODS(g_n_models);
    static const int hs[] = {24, 48, 168, 336, 720};
    static const char *ts2vec[] = {"0.039 / 0.152", "0.062 / 0.191", "0.134 / 0.282",
                                   "0.154 / 0.310", "0.163 / 0.327"};
    static const char *ridge_cal[] = {"0.0273 / 0.1251", "0.0409 / 0.1521", "0.0713 / 0.1973",
                                      "0.0834 / 0.2183", "0.1149 / 0.2643"};
    double v5[N_METHODS(MAX_MODELS)];

    join_path(path, sizeof path, dir, "ETTh1.csv");
    printf("### ETTh1 (target OT, univariate protocol)\n\n");
    if (!file_exists(path)) {
        note("%s is absent: skipping ETTh1", path);
        printf(
            "Skipped: `%s` is absent (set XF_BENCH_DATA to the directory holding ETTh1.csv).\n\n",
            path);
        return;
    }
    xf_csv_options_init(&opts);
    opts.targets = "OT";
    if (xf_dataset_read_csv(path, &opts, &ds, &err) != XF_OK)
        die("%s", err.message);
    if (xf_dataset_series_length(ds, 0) < (size_t)ETT_TEST)
        die("%s: %zu rows, need %d", path, xf_dataset_series_length(ds, 0), ETT_TEST);
    v = xf_dataset_series_values(ds, 0);
    for (i = 0; i < ETT_TRAIN; i++)
        mean += v[i];
    mean /= ETT_TRAIN;
    for (i = 0; i < ETT_TRAIN; i++)
        var += (v[i] - mean) * (v[i] - mean);
    var /= ETT_TRAIN;
    P = problem_new("ETTh1 OT", 1, C, 24, 200);
    P->per[1] = 168;
    P->x[0] = x = xmalloc(ETT_TEST * sizeof *x);
    P->len[0] = ETT_TEST;
    for (i = 0; i < ETT_TEST; i++)
        x[i] = (v[i] - mean) / sqrt(var);
    xf_dataset_free(ds);
    P->scale[0] = 1;
    P->zsd[0] = 1; /* the data are z-scored already */
    P->n_h = 5;
    memcpy(P->h, hs, sizeof hs);
    for (i = C; i < ETT_TRAIN; i += stride)
        add_origin(P, 0, i, ETT_TRAIN, ETT_VALID, SPLIT_TRAIN);
    for (i = ETT_TRAIN; i < ETT_VALID; i++)
        add_origin(P, 0, i, ETT_VALID, ETT_VALID, SPLIT_VALID);
    for (i = ETT_VALID; i < ETT_TEST; i++)
        add_origin(P, 0, i, ETT_TEST, ETT_TEST, SPLIT_TEST);
    run_problem(P);

    printf("Rows [0, 8640) train, [8640, 11520) validation, [11520, 14400) test; z-scored with "
           "the train mean/std; one origin per test timestamp whose H targets lie in the test "
           "part (stride 1); context %d; training origins from t = %d at stride %d "
           "(%zu ridge rows at H=24, %zu at H=720), validation origins at stride 1 (%zu at "
           "H=24). MSE / MAE on the z-scored scale, averaged over all test origins and steps.\n\n",
           C, C, stride, P->n_train[0], P->n_train[4], P->n_valid[0]);
    printf("| features |");
    for (hi = 0; hi < P->n_h; hi++)
        printf(" H=%d |", P->h[hi]);
    printf("\n");
    table_rule(P->n_h);
    for (method = 0; method < nm; method++) {
        printf("| %s |", method_label(method, lab, sizeof lab, P));
        for (hi = 0; hi < P->n_h; hi++) {
            acc *a = res_at(P, method, hi);
            char col[16];
            snprintf(col, sizeof col, "H=%d", P->h[hi]);
            if (!P->ok[method * P->n_h + hi]) {
                printf(" - |");
                continue;
            }
            printf(" %.4f / %.4f |", a->sq_z / a->n, a->abs_z / a->n);
            tsv("etth1", col, method, "mse", a->sq_z / a->n, P, hi);
            tsv("etth1", col, method, "mae", a->abs_z / a->n, P, hi);
        }
        printf("\n");
    }
    printf("| *ridge on 200 raw lags + calendar (anchor measured in shared/data/README.md)* |");
    for (hi = 0; hi < 5; hi++)
        printf(" *%s* |", ridge_cal[hi]);
    printf("\n| *TS2Vec (published)* |");
    for (hi = 0; hi < 5; hi++)
        printf(" *%s* |", ts2vec[hi]);
    printf("\n\n");
    /* summary cells: MSE per horizon */
    for (hi = 0; hi < P->n_h; hi++) {
        for (method = 0; method < nm; method++) {
            acc *a = res_at(P, method, hi);
            v5[method] = P->ok[method * P->n_h + hi] ? a->sq_z / a->n : NAN;
        }
        add_cell("ETTh1 (MSE)", v5);
    }
    problem_free(P);
}

/* ------------------------------------------------------------ M4 Hourly */

/* Read a wide M4 file: "id","v1","v2",... per line (header skipped); empty
 * fields end a row.  Returns the number of rows; *vals[i] owns row i. */
static size_t read_m4(const char *path, double ***vals, size_t **lens, size_t max_rows)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, n = 0, ncap = 0;
    ssize_t got;
    int header = 1;
    if (fp == NULL)
        die("%s: %s", path, strerror(errno));
    *vals = NULL;
    *lens = NULL;
    while ((got = getline(&line, &cap, fp)) > 0) {
        char *p = line, *tok;
        double *row = NULL;
        size_t k = 0, rcap = 0;
        int first = 1;
        if (header) {
            header = 0;
            continue;
        }
        if (n == max_rows)
            break;
        while ((tok = strsep(&p, ",\r\n")) != NULL) {
            char *end, *q = tok;
            double d;
            size_t l = strlen(q);
            if (l >= 2 && q[0] == '"' && q[l - 1] == '"') {
                q[l - 1] = '\0';
                q++;
            }
            if (first) {
                first = 0;
                continue;
            }
            if (*q == '\0')
                break;
            d = strtod(q, &end);
            if (end == q || *end != '\0')
                die("%s: bad number '%s' in row %zu", path, q, n + 1);
            if (k == rcap) {
                rcap = rcap ? 2 * rcap : 1024;
                row = realloc(row, rcap * sizeof *row);
                if (row == NULL)
                    die("out of memory");
            }
            row[k++] = d;
        }
        if (k == 0) {
            free(row);
            continue;
        }
        if (n == ncap) {
            ncap = ncap ? 2 * ncap : 512;
            *vals = realloc(*vals, ncap * sizeof **vals);
            *lens = realloc(*lens, ncap * sizeof **lens);
            if (*vals == NULL || *lens == NULL)
                die("out of memory");
        }
        (*vals)[n] = row;
        (*lens)[n] = k;
        n++;
    }
    free(line);
    fclose(fp);
    return n;
}

static void bench_m4(const char *dir, int C, int stride, size_t max_series)
{
    char ptr[4096], pte[4096], lab[160];
    double **tr = NULL, **te = NULL, v[N_METHODS(MAX_MODELS)];
    size_t *ltr = NULL, *lte = NULL, ntr, nte, s;
    const int H = 48, m = 24, min_hist = 168;
    problem *P;
    int method, nm = N_METHODS(g_n_models);
    size_t n700 = 0, n960 = 0;

    join_path(ptr, sizeof ptr, dir, "M4-Hourly-train.csv");
    join_path(pte, sizeof pte, dir, "M4-Hourly-test.csv");
    printf("### M4 Hourly (official split)\n\n");
    if (!file_exists(ptr) || !file_exists(pte)) {
        note("%s or %s is absent: skipping M4 Hourly", ptr, pte);
        printf("Skipped: `%s` or `%s` is absent (set XF_BENCH_DATA).\n\n", ptr, pte);
        return;
    }
    ntr = read_m4(ptr, &tr, &ltr, max_series);
    nte = read_m4(pte, &te, &lte, max_series);
    if (ntr != nte || ntr == 0)
        die("M4 Hourly: %zu training rows but %zu test rows", ntr, nte);
    P = problem_new("M4 Hourly", ntr, C, m, 336);
    P->per[1] = 168;
    P->n_h = 1;
    P->h[0] = H;
    for (s = 0; s < ntr; s++) {
        size_t n = ltr[s], t;
        double sum = 0, mu = 0, var = 0;
        long tt;
        if (lte[s] != (size_t)H)
            die("M4 Hourly: test row %zu has %zu values, not %d", s + 1, lte[s], H);
        if (n < (size_t)(2 * H + m + 1))
            die("M4 Hourly: training row %zu is too short (%zu)", s + 1, n);
        n700 += n == 700;
        n960 += n == 960;
        P->x[s] = xmalloc((n + H) * sizeof(double));
        memcpy(P->x[s], tr[s], n * sizeof(double));
        memcpy(P->x[s] + n, te[s], H * sizeof(double));
        P->len[s] = n + H;
        for (t = m; t < n; t++)
            sum += fabs(tr[s][t] - tr[s][t - m]);
        P->scale[s] = sum / (double)(n - m);
        if (!(P->scale[s] > 0))
            P->scale[s] = 1;
        for (t = 0; t < n; t++)
            mu += tr[s][t];
        mu /= (double)n;
        for (t = 0; t < n; t++)
            var += (tr[s][t] - mu) * (tr[s][t] - mu);
        P->zsd[s] = var > 0 ? sqrt(var / (double)n) : 1;
        /* test: the official origin; valid: the last 48 training points;
         * train: every stride-th origin before that (aligned on the end) */
        add_origin(P, (int)s, (long)n, (long)n + H, (long)n + H, SPLIT_TEST);
        add_origin(P, (int)s, (long)n - H, (long)n, (long)n, SPLIT_VALID);
        for (tt = (long)n - H - stride; tt >= min_hist; tt -= stride)
            add_origin(P, (int)s, tt, (long)n - H, (long)n, SPLIT_TRAIN);
        free(tr[s]);
        free(te[s]);
    }
    free(tr);
    free(te);
    free(ltr);
    free(lte);
    run_problem(P);

    printf("%zu series (%zu of 700 and %zu of 960 training values); forecast the 48 test values "
           "from the end of each training series (context %d, NaN-padded where the series is "
           "shorter). One global ridge head over all series: training origins every %d steps "
           "(aligned on the end of the series) from %d steps of history up to the last 48 "
           "training points (%zu ridge rows); validation = one origin per series forecasting "
           "its last 48 training values (%zu rows); then refitted on both%s. sMAPE (x100) and "
           "MASE (m=24, scale = in-sample mean |x_t - x_{t-24}|), averaged over the series; "
           "OWA = mean(sMAPE/18.383, MASE/2.395).\n\n",
           ntr, n700, n960, C, stride, min_hist, P->n_train[0], P->n_valid[0],
           g_refit ? "" : " (refit disabled)");
    printf("| features | sMAPE | MASE | OWA |\n");
    table_rule(3);
    for (method = 0; method < nm; method++) {
        acc *a = res_at(P, method, 0);
        printf("| %s |", method_label(method, lab, sizeof lab, P));
        if (!P->ok[method]) {
            printf(" - | - | - |\n");
            v[method] = NAN;
            continue;
        }
        printf(" %.3f | %.3f | %.3f |\n", a->smape / a->n, a->abs_sc / a->n,
               0.5 * (a->smape / a->n / 18.383 + a->abs_sc / a->n / 2.395));
        tsv("m4", "H=48", method, "smape", a->smape / a->n, P, 0);
        tsv("m4", "H=48", method, "mase", a->abs_sc / a->n, P, 0);
        v[method] = a->abs_sc / a->n;
    }
    printf("| *seasonal naive (M4 organisers)* | *13.912* | *1.193* | *0.628* |\n");
    printf("| *global ridge on 336 lags (anchor measured in shared/data/README.md)* | *13.949* | "
           "*1.184* | |\n");
    printf("| *Smyl ES-RNN (M4 winner)* | *9.328* | *0.893* | *0.440* |\n\n");
    add_cell("M4 Hourly (MASE)", v);
    problem_free(P);
}

/* ------------------------------------------------------------ datasets/ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* is column `col` of file `file` in the skip list "file:c1,c2;file2:c3"? */
static int skipped(const char *list, const char *file, const char *col)
{
    const char *p = list;
    size_t fl = strlen(file), cl = strlen(col);
    while (p && *p) {
        const char *end = strchr(p, ';'), *colon = strchr(p, ':');
        if (end == NULL)
            end = p + strlen(p);
        if (colon && colon < end && (size_t)(colon - p) == fl && strncmp(p, file, fl) == 0) {
            const char *c = colon + 1;
            while (c < end) {
                const char *ce = memchr(c, ',', (size_t)(end - c));
                if (ce == NULL)
                    ce = end;
                if ((size_t)(ce - c) == cl && strncmp(c, col, cl) == 0)
                    return 1;
                c = ce + 1;
            }
        }
        p = *end ? end + 1 : end;
    }
    return 0;
}

static void bench_dataset_file(const char *dir, const char *fname, int C, int stride,
                               int test_stride, const char *skip)
{
    char path[4096], lab[160], bench[192], fq[32];
    xf_csv_options opts;
    xf_dataset *ds = NULL;
    xf_error err;
    size_t ns, i, k, n_used = 0;
    problem *Ps[64];
    int method, nm = N_METHODS(g_n_models);
    double v[N_METHODS(MAX_MODELS)];

    join_path(path, sizeof path, dir, fname);
    printf("#### datasets/%s\n\n", fname);
    xf_csv_options_init(&opts);
    if (xf_dataset_read_csv(path, &opts, &ds, &err) != XF_OK) {
        note("%s", err.message);
        printf("Skipped: %s\n\n", err.message);
        return;
    }
    ns = xf_dataset_n_series(ds);
    for (i = 0; i < ns && n_used < 64; i++) {
        const char *id = xf_dataset_series_id(ds, i);
        size_t N = xf_dataset_series_length(ds, i), n_test, n_valid, vs, ts;
        const double *val = xf_dataset_series_values(ds, i);
        int H, m;
        long t, t_min;
        problem *P;
        char name[160];
        double sum = 0, cnt = 0, mu = 0, var = 0;
        xf_freq_format(xf_dataset_series_freq(ds, i), fq, sizeof fq);
        if (skipped(skip, fname, id)) {
            note("%s: %s left out (--ds-skip)", fname, id);
            continue;
        }
        if (strcmp(fq, "1h") == 0)
            H = 24, m = 24;
        else if (strcmp(fq, "30min") == 0)
            H = 48, m = 48;
        else if (strcmp(fq, "D") == 0)
            H = 7, m = 7;
        else if (strcmp(fq, "B") == 0)
            H = 5, m = 5;
        else {
            note("%s: %s has frequency %s, which has no horizon here: skipped", fname, id, fq);
            continue;
        }
        n_test = (size_t)llround(0.2 * (double)N);
        n_valid = (size_t)llround(0.1 * (double)N);
        ts = N - n_test;
        vs = ts - n_valid;
        t_min = (long)vs / 2 < C ? (long)vs / 2 : C;
        if (vs < (size_t)(2 * H + m) || t_min < m) {
            note("%s: %s is too short (%zu values): skipped", fname, id, N);
            continue;
        }
        snprintf(name, sizeof name, "%s %s", fname, id);
        P = problem_new(name, 1, C, m, 7 * m);
        xf__phead_periods_freq(xf_dataset_series_freq(ds, i), P->per);
        P->n_h = 1;
        P->h[0] = H;
        P->x[0] = xmalloc(N * sizeof(double));
        memcpy(P->x[0], val, N * sizeof(double));
        P->len[0] = N;
        for (k = (size_t)m; k < ts; k++)
            if (!isnan(val[k]) && !isnan(val[k - m])) {
                sum += fabs(val[k] - val[k - m]);
                cnt++;
            }
        P->scale[0] = cnt > 0 && sum > 0 ? sum / cnt : 1;
        cnt = 0;
        for (k = 0; k < ts; k++)
            if (!isnan(val[k])) {
                mu += val[k];
                cnt++;
            }
        mu /= cnt;
        for (k = 0; k < ts; k++)
            if (!isnan(val[k]))
                var += (val[k] - mu) * (val[k] - mu);
        P->zsd[0] = var > 0 ? sqrt(var / cnt) : 1;
        for (t = t_min; t < (long)vs; t += stride)
            add_origin(P, 0, t, (long)vs, (long)ts, SPLIT_TRAIN);
        for (t = (long)vs; t < (long)ts; t++)
            add_origin(P, 0, t, (long)ts, (long)ts, SPLIT_VALID);
        for (t = (long)ts; t < (long)N; t += test_stride)
            add_origin(P, 0, t, (long)N, (long)N, SPLIT_TEST);
        run_problem(P);
        snprintf(P->name, sizeof P->name,
                 "%s (%s, H=%d, m=%d, L=%d; %zu values, test %zu, "
                 "valid %zu)",
                 id, fq, H, m, P->L, N, n_test, n_valid);
        Ps[n_used++] = P;
    }
    xf_dataset_free(ds);
    if (n_used == 0) {
        printf("No usable series.\n\n");
        return;
    }
    for (k = 0; k < n_used; k++)
        printf("- %s: %zu training / %zu validation ridge rows, %zu test origins\n", Ps[k]->name,
               Ps[k]->n_train[0], Ps[k]->n_valid[0], Ps[k]->n_test[0]);
    printf("\nMASE / normalised MSE per series:\n\n| features |");
    for (k = 0; k < n_used; k++)
        printf(" %.*s |", (int)strcspn(Ps[k]->name, " "), Ps[k]->name);
    printf("\n");
    table_rule((int)n_used);
    snprintf(bench, sizeof bench, "%s (MASE)", fname);
    for (method = 0; method < nm; method++) {
        printf("| %s |", method_label(method, lab, sizeof lab, Ps[0]));
        for (k = 0; k < n_used; k++) {
            problem *P = Ps[k];
            acc *a = res_at(P, method, 0);
            char col[160];
            snprintf(col, sizeof col, "%s:%.*s", fname, (int)strcspn(P->name, " "), P->name);
            if (!P->ok[method]) {
                printf(" - |");
                continue;
            }
            printf(" %.3f / %.3f |", a->abs_sc / a->n, a->sq_z / a->n);
            tsv("datasets", col, method, "mase", a->abs_sc / a->n, P, 0);
            tsv("datasets", col, method, "nmse", a->sq_z / a->n, P, 0);
        }
        printf("\n");
    }
    printf("\n");
    for (k = 0; k < n_used; k++) {
        for (method = 0; method < nm; method++) {
            acc *a = res_at(Ps[k], method, 0);
            v[method] = Ps[k]->ok[method] ? a->abs_sc / a->n : NAN;
        }
        add_cell(bench, v);
        problem_free(Ps[k]);
    }
}

static void bench_datasets(const char *dir, int C, int stride, int test_stride, const char *skip)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    printf("### datasets/ (every CSV file shipped with xfcast)\n\n");
    if (d == NULL) {
        note("%s: %s: skipping datasets/", dir, strerror(errno));
        printf("Skipped: `%s` cannot be opened.\n\n", dir);
        return;
    }
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".csv") != 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            names = realloc(names, cap * sizeof *names);
            if (names == NULL)
                die("out of memory");
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    printf("Each numeric series on its own (columns left out: `%s`). The last 20%% of the "
           "series is the test part (an origin every %d step(s) whose horizon fits in it), the "
           "10%% before it validation (every step), the rest training (origins every %d "
           "step(s), from min(context, half the training part) steps of history). Horizon and "
           "seasonal period by frequency: 1h 24/24, 30min 48/48, D 7/7, B 5/5; lags L = 7 "
           "seasons (at most the context). Values are levels (sp500 close is modelled as is); "
           "missing values (sp500 holidays on the business-day grid) are NaN in the context, "
           "0 in the lags, and are skipped as targets. MASE: scale = mean |x_t - x_{t-m}| "
           "before the test part; normalised MSE: MSE / variance of the series before the "
           "test part.\n\n",
           skip, test_stride, stride);
    for (i = 0; i < n; i++) {
        bench_dataset_file(dir, names[i], C, stride, test_stride, skip);
        free(names[i]);
    }
    free(names);
    if (n == 0)
        printf("No CSV files in `%s`.\n\n", dir);
}

/* ------------------------------------------------------------ summary */

/* one line of the summary: method `num` of a model against method `den` of
 * the same model, or against the model-free method `den` when `global` */
typedef struct comparison {
    const char *name;
    int num;    /* F_* */
    int den;    /* F_* or, when global, M_* */
    int global; /* den is M_LAGS or M_LAGS_SN */
} comparison;

/* the first line is the one the verdict judges (issue 14's transfer target);
 * the lines without the baseline are the comparisons of before, kept to show
 * what the baseline changes */
static const comparison COMPARISONS[] = {
    {"(c+lags+sn) vs (b+lags+sn)", F_PRE_LAGS_SN, F_RAND_LAGS_SN, 0},
    {"(c+lags+sn) vs (a+sn) lags + seasonal naive", F_PRE_LAGS_SN, M_LAGS_SN, 1},
    {"(b+lags+sn) vs (a+sn) lags + seasonal naive", F_RAND_LAGS_SN, M_LAGS_SN, 1},
    {"(c) vs (b)", F_PRE, F_RAND, 0},
    {"(c+lags) vs (b+lags)", F_PRE_LAGS, F_RAND_LAGS, 0},
    {"(c+lags) vs (a) lags", F_PRE_LAGS, M_LAGS, 1},
    {"(c+lags+sn+fc) vs (b+lags+sn+fc), with each pretraining head's forecast", F_PRE_LAGS_SN_FC,
     F_RAND_LAGS_SN_FC, 0},
    {"(c+lags+sn+fc) vs (a+sn) lags + seasonal naive", F_PRE_LAGS_SN_FC, M_LAGS_SN, 1},
};
#define N_COMPARISONS (sizeof COMPARISONS / sizeof COMPARISONS[0])

typedef struct comparison_result {
    double avg;       /* mean over the benchmarks of their mean relative reduction */
    int n_bench;      /* benchmarks with at least one comparable cell */
    int n_worse;      /* benchmarks whose mean relative reduction is negative */
    char worse[1024]; /* "name -x.x%; ..." of those, truncated if long */
} comparison_result;

/* Relative reduction 1 - num / den of every cell, averaged within each
 * benchmark (cells of one benchmark are contiguous in g_cells), then over the
 * benchmarks; prints the per-benchmark values after the comparison's name. */
static void compare(int j, const comparison *cp, comparison_result *r)
{
    int base = M_FIRST_MODEL + F_N * j;
    int num = base + cp->num, den = cp->global ? cp->den : base + cp->den;
    const char *cur = NULL;
    double bsum = 0, tot = 0;
    int bn = 0;
    size_t c, wl = 0;
    memset(r, 0, sizeof *r);
    printf("- %s:", cp->name);
    for (c = 0; c <= g_n_cells; c++) {
        if (c == g_n_cells || cur == NULL || strcmp(cur, g_cells[c].bench) != 0) {
            if (cur != NULL && bn > 0) {
                double rel = bsum / bn;
                printf(" %s %+.1f%%;", cur, 100 * rel);
                tot += rel;
                r->n_bench++;
                if (rel < 0) {
                    int k = snprintf(r->worse + wl, sizeof r->worse - wl, "%s%s %+.1f%%",
                                     r->n_worse ? "; " : "", cur, 100 * rel);
                    if (k > 0)
                        wl =
                            wl + (size_t)k < sizeof r->worse ? wl + (size_t)k : sizeof r->worse - 1;
                    r->n_worse++;
                }
            }
            if (c == g_n_cells)
                break;
            cur = g_cells[c].bench;
            bsum = 0;
            bn = 0;
        }
        if (isfinite(g_cells[c].v[num]) && isfinite(g_cells[c].v[den]) && g_cells[c].v[den] > 0) {
            bsum += 1 - g_cells[c].v[num] / g_cells[c].v[den];
            bn++;
        }
    }
    r->avg = r->n_bench ? tot / r->n_bench : NAN;
    if (r->n_bench == 0)
        printf(" no comparable results\n");
    else
        printf(" **average %+.1f%%** over %d benchmark(s)\n", 100 * r->avg, r->n_bench);
    if (g_tsv)
        fprintf(g_tsv, "summary\t%s\t%s\trel_reduction\t%.6g\n", g_models[j].label, cp->name,
                r->avg);
}

static void summary(void)
{
    int j;
    printf("### Summary: pretrained vs random encoder vs lags\n\n");
    if (g_n_models == 0 || g_n_cells == 0) {
        printf("No results: no model or no benchmark data.\n\n");
        return;
    }
    printf("Relative reduction = 1 - pretrained / random (or / lags) of the primary metric "
           "(ETTh1: MSE at each horizon; M4 Hourly: MASE; each datasets/ file: MASE of each "
           "series), averaged within each benchmark, then over the benchmarks (each benchmark "
           "weighs the same). Positive: the first method is better. The verdict judges the "
           "first line, the rows with lags and the seasonal-naive baseline in both (the way "
           "heads use the embeddings; issue 14's transfer target): pretrained beats random by "
           "at least 10%% on average and is worse on none of the benchmarks. The lines without "
           "the baseline are the comparisons of before, reported, not judged.\n\n");
    for (j = 0; j < g_n_models; j++) {
        comparison_result r[N_COMPARISONS];
        size_t c;
        printf("**%s** (`%s`):\n\n", g_models[j].label, g_models[j].path);
        for (c = 0; c < N_COMPARISONS; c++)
            compare(j, &COMPARISONS[c], &r[c]);
        printf("\n**Verdict (%s):** ", g_models[j].label);
        if (r[0].n_bench == 0 || !isfinite(r[0].avg))
            printf("not judged: no comparable results.\n\n");
        else
            printf("goal %s: with lags and the seasonal-naive baseline in both, ridge on the "
                   "pretrained embedding improves on ridge on the random encoder's embedding "
                   "by %+.1f%% on average over %d benchmark(s) (goal >= 10%%) and is worse on "
                   "%d of them (goal: none%s%s). Against lags + seasonal naive alone the "
                   "pretrained embedding gives %+.1f%%. Without the baseline (reported, not "
                   "judged): (c) vs (b) %+.1f%%, (c+lags) vs (b+lags) %+.1f%%.\n\n",
                   r[0].avg >= 0.10 && r[0].n_worse == 0 ? "MET" : "NOT MET", 100 * r[0].avg,
                   r[0].n_bench, r[0].n_worse, r[0].n_worse ? "; worse: " : "", r[0].worse,
                   100 * r[1].avg, 100 * r[3].avg, 100 * r[4].avg);
    }
}

/* ------------------------------------------------------------ main */

static int parse_pos(const char *opt, const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < 1 || v > 1000000)
        die("%s needs a positive integer, not '%s'", opt, s);
    return (int)v;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_transfer [--data DIR] [--datasets DIR] [--only LIST] "
                    "[--etth1-stride N] [--m4-stride N] [--m4-series N] [--ds-stride N] "
                    "[--ds-test-stride N] [--ds-skip LIST] [--no-refit] [--group-penalty] "
                    "[--threads N] [--tsv FILE] MODEL.xfm[,TWIN.xfm]...\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *src = getenv("XF_SRCDIR"), *data = getenv("XF_BENCH_DATA"), *dsdir = NULL;
    const char *only = "etth1,m4,datasets", *tsv_path = NULL;
    const char *skip = "sp500-2000.csv:open,high,low,adjclose";
    char data_buf[4096], ds_buf[4096];
    int etth1_stride = 1, m4_stride = 4, ds_stride = 1, ds_test_stride = 1, threads = 0;
    size_t m4_series = (size_t)-1;
    int i, C = 0, j;
    double t0 = now_s();

    if (src == NULL || *src == '\0')
        src = ".";
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "--group-penalty") == 0) {
            g_group_w = 1;
            continue;
        }
        if (strcmp(a, "--no-refit") == 0) {
            g_refit = 0;
            continue;
        }
        if (strcmp(a, "--help") == 0)
            usage();
        if (i + 1 >= argc)
            usage();
        if (strcmp(a, "--data") == 0)
            data = argv[++i];
        else if (strcmp(a, "--datasets") == 0)
            dsdir = argv[++i];
        else if (strcmp(a, "--only") == 0)
            only = argv[++i];
        else if (strcmp(a, "--etth1-stride") == 0)
            etth1_stride = parse_pos(a, argv[++i]);
        else if (strcmp(a, "--m4-stride") == 0)
            m4_stride = parse_pos(a, argv[++i]);
        else if (strcmp(a, "--m4-series") == 0)
            m4_series = (size_t)parse_pos(a, argv[++i]);
        else if (strcmp(a, "--ds-stride") == 0)
            ds_stride = parse_pos(a, argv[++i]);
        else if (strcmp(a, "--ds-test-stride") == 0)
            ds_test_stride = parse_pos(a, argv[++i]);
        else if (strcmp(a, "--ds-skip") == 0)
            skip = argv[++i];
        else if (strcmp(a, "--threads") == 0)
            threads = parse_pos(a, argv[++i]);
        else if (strcmp(a, "--tsv") == 0)
            tsv_path = argv[++i];
        else
            usage();
    }
    if (data == NULL || *data == '\0') {
        snprintf(data_buf, sizeof data_buf, "%s/../shared/data", src);
        data = data_buf;
    }
    if (dsdir == NULL) {
        snprintf(ds_buf, sizeof ds_buf, "%s/datasets", src);
        dsdir = ds_buf;
    }
    if (threads > 0)
        xf_blas_set_threads(threads);
    if (i >= argc)
        usage();
    for (; i < argc; i++) {
        model *M;
        xf_error err;
        const char *base;
        char *dot;
        char *comma;
        if (g_n_models == MAX_MODELS)
            die("at most %d models", MAX_MODELS);
        /* MODEL.xfm,TWIN.xfm: the random twin read from a file */
        if ((comma = strchr(argv[i], ',')) != NULL) {
            *comma = '\0';
            if (!file_exists(comma + 1))
                die("%s: no such file (the random twin of %s)", comma + 1, argv[i]);
        }
        if (!file_exists(argv[i])) {
            note("%s is absent: skipped", argv[i]);
            printf("- Model `%s` is absent: skipped.\n", argv[i]);
            continue;
        }
        M = &g_models[g_n_models];
        memset(M, 0, sizeof *M);
        M->path = argv[i];
        M->twin = comma ? comma + 1 : NULL;
        if (xf_encoder_load(argv[i], &M->pre, &err) != XF_OK)
            die("%s: %s", argv[i], err.message);
        if (C == 0)
            C = xf_encoder_context(M->pre);
        if (xf_encoder_context(M->pre) != C) {
            note("%s: context %d differs from the first model's %d: skipped", argv[i],
                 (int)xf_encoder_context(M->pre), C);
            printf("- Model `%s` skipped: context %d differs from the first model's %d.\n", argv[i],
                   (int)xf_encoder_context(M->pre), C);
            xf_encoder_free(M->pre);
            continue;
        }
        if (M->twin != NULL) {
            if (xf_encoder_load(M->twin, &M->rnd, &err) != XF_OK)
                die("%s: %s", M->twin, err.message);
            if (xf_encoder_context(M->rnd) != C ||
                xf_encoder_embed_size(M->rnd) != xf_encoder_embed_size(M->pre))
                die("%s: the random twin's shape differs from %s's", M->twin, M->path);
        } else if (xf_encoder_new(xf_encoder_get_config(M->pre), RANDOM_SEED, &M->rnd, &err) !=
                   XF_OK)
            die("%s: random twin: %s", argv[i], err.message);
        M->E = xf_encoder_embed_size(M->pre);
        if (xf_encoder_workspace_new(M->pre, EMBED_BATCH, &M->ws_pre, &err) != XF_OK ||
            xf_encoder_workspace_new(M->rnd, EMBED_BATCH, &M->ws_rnd, &err) != XF_OK)
            die("%s: workspace: %s", argv[i], err.message);
        base = strrchr(argv[i], '/');
        base = base ? base + 1 : argv[i];
        snprintf(M->label, sizeof M->label, "%s", base);
        dot = strrchr(M->label, '.');
        if (dot && strcmp(dot, ".xfm") == 0)
            *dot = '\0';
        for (j = 0; j < g_n_models; j++)
            if (strcmp(g_models[j].label, M->label) == 0) { /* same name twice: number it */
                char tmp[sizeof M->label + 16];
                snprintf(tmp, sizeof tmp, "%.48s#%d", M->label, g_n_models + 1);
                memcpy(M->label, tmp, sizeof M->label);
                M->label[sizeof M->label - 1] = '\0';
                break;
            }
        g_n_models++;
    }
    if (g_n_models == 0) {
        printf("\nNo model file found: nothing measured.\n\n");
        return 0;
    }
    if (tsv_path != NULL && (g_tsv = fopen(tsv_path, "w")) == NULL)
        die("%s: %s", tsv_path, strerror(errno));
    printf("\nRidge penalty grid (relative to n, on standardised features): ");
    for (i = 0; i < (int)N_LAMBDAS; i++)
        printf("%g%s", LAMBDAS[i], i + 1 < (int)N_LAMBDAS ? ", " : "");
    printf("; chosen per output step on the validation part%s, then the head is %s. Random "
           "encoder: ",
           g_group_w ? " together with one weight of the embedding's columns against the "
                       "others' (their penalty divided by its square: 1, 1/2, 1/4, 1/8 or 1/16; "
                       "--group-penalty)"
                     : "",
           g_refit ? "refitted with that penalty on training + validation origins"
                   : "kept as fitted on the training origins");
    for (j = 0; j < g_n_models; j++)
        if (g_models[j].twin)
            printf("`%s` for %s; ", g_models[j].twin, g_models[j].label);
    printf("otherwise `xf_encoder_new` with the pretrained file's configuration and seed %u, "
           "untrained (without a pretraining head: no `+fc` rows). Lags and targets are in each "
           "context window's own normalised units (window mean and std, as the encoder's "
           "instance normalisation); forecasts are mapped back before scoring. No calendar "
           "features.\n\n",
           RANDOM_SEED);

    if (strstr(only, "etth1"))
        bench_etth1(data, C, etth1_stride);
    if (strstr(only, "m4"))
        bench_m4(data, C, m4_stride, m4_series);
    if (strstr(only, "datasets"))
        bench_datasets(dsdir, C, ds_stride, ds_test_stride, skip);
    summary();

    printf("Encoder checks: ");
    for (j = 0; j < g_n_models; j++) {
        model *M = &g_models[j];
        printf("%s (%zu encoder parameters, embedding %zu): %zu windows embedded per encoder, "
               "%.1f s embedding (random + pretrained, %.2f ms per window), max |own norm - "
               "xf_encoder_embed norm| / std %.1e, %zu non-finite embedding values%s",
               M->label, xf_encoder_n_params(M->pre), M->E, M->n_embedded, M->embed_s,
               M->n_embedded ? 1e3 * M->embed_s / (2.0 * (double)M->n_embedded) : 0.0, M->norm_diff,
               M->n_nonfinite, j + 1 < g_n_models ? "; " : ".\n\n");
    }
    printf("bench_transfer wall time: %.1f s.\n", now_s() - t0);
    for (j = 0; j < g_n_models; j++) {
        xf_encoder_workspace_free(g_models[j].ws_pre);
        xf_encoder_workspace_free(g_models[j].ws_rnd);
        xf_encoder_free(g_models[j].pre);
        xf_encoder_free(g_models[j].rnd);
    }
    if (g_tsv)
        fclose(g_tsv);
    free(g_cells);
    return 0;
}
