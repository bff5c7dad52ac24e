/* pretrain.c - where encoders are pretrained: windows from the generated
 * corpus (or the user's CSV files), a linear forecasting head on the
 * embedding, Adam with clipping and a warm-up + cosine schedule, validation,
 * checkpoints and exact resume.
 *
 * Determinism: step s uses windows s*batch .. s*batch+batch-1; each group of
 * XF_ENCODER_GROUP windows has its own gradient buffer and the groups are
 * summed in order, so the result does not depend on the thread count, and a
 * resumed run continues exactly as an uninterrupted one.
 *
 * Data parallelism (options.comm): process r of N computes the groups
 * [n*r/N, n*(r+1)/N) of each step into one exchange buffer laid out as one
 * block per process (a 64-byte header with its status, then one record per
 * group: encoder gradient, head gradient, loss); after comm->allgather every
 * process holds every group's record and sums them in group order, as one
 * process does: the weights are bit-identical whatever N.  The header's
 * status makes each exchange an agreement too: a process that failed sends
 * its status instead of stopping, and every process stops at the same
 * step.  One process is the same code with N = 1 and no exchange.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "encoder_internal.h"
#include "nn.h"
#include "options_internal.h"
#include "pretrain_head.h"
#include "xfcast/corpus.h"
#include "xfcast/dataset.h"
#include "xfcast/pretrain.h"
#include "xfcast/xfm.h"

#define G XF_ENCODER_GROUP
#define VALID_BASE (UINT64_C(1) << 62) /* window ids of the validation set */
#define TARGET_CLIP 50.0f              /* normalised targets are clipped to +-this */
#define XHDR 64                        /* bytes of a block's header: int32 status, uint64 check */
#define MAX_RANKS 65536                /* processes of a data-parallel run */

static void pretrain_options_defaults(xf_pretrain_options *o, xf_arch arch)
{
    memset(o, 0, sizeof *o);
    o->struct_size = sizeof *o;
    xf_encoder_config_init(&o->encoder, arch);
    o->steps = 16000;
    o->batch = 64;
    o->horizon = 64;
    o->backcast = 0;
    o->seed = 1;
    o->lr = 2e-3;
    o->warmup = 300;
    o->lr_floor = 0.05;
    o->clip = 1.0;
    o->eval_every = 500;
    o->n_valid = 1024;
    o->report_every = 20;
    o->checkpoint_every = 500;
    o->n_threads = 2;
    o->corpus_version = 1;
    o->head = XF_ENCODER_HEAD_LINEAR;
    o->head_lags = 32;
    o->n_quantiles = 5;
    o->quantiles[0] = 0.025;
    o->quantiles[1] = 0.1;
    o->quantiles[2] = 0.5;
    o->quantiles[3] = 0.9;
    o->quantiles[4] = 0.975;
}

void xf_pretrain_options_init_sized(xf_pretrain_options *o, xf_arch arch, size_t size)
{
    xf_pretrain_options d;
    if (o == NULL)
        return;
    pretrain_options_defaults(&d, arch);
    xf__init_sized(o, &d, sizeof d, size);
}

/* The function itself, for programs that call it without the header's
 * macro: the struct as of libtool version 3. */
void(xf_pretrain_options_init)(xf_pretrain_options *o, xf_arch arch)
{
    xf_pretrain_options_init_sized(o, arch, XF__PRETRAIN_OPTIONS_V3);
}

static uint64_t splitmix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    return x ^ (x >> 31);
}

/* ------------------------------------------------------- window sources */

typedef struct source {
    xf_corpus *corpus;  /* synthetic corpus, or NULL */
    float **series;     /* corpus directory: series values (NaN = missing); owned */
    size_t *len;        /* their lengths */
    uint64_t *cum;      /* cumulative window counts */
    size_t n_series;    /* number of usable series */
    uint64_t n_windows; /* total windows */
    uint64_t seed;      /* for hashing window ids into places */
    int version;        /* synthetic corpus version (1 or 2), 0 for a directory */
    size_t horizon;     /* future steps of a window (version 2: where short samples are cut) */
    size_t buf_len;     /* values the slots' dv / ob buffers hold */
} source;

static void source_free(source *s)
{
    size_t i;
    xf_corpus_free(s->corpus);
    for (i = 0; i < s->n_series; i++)
        free(s->series[i]);
    free(s->series);
    free(s->len);
    free(s->cum);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load every *.csv of a directory (in name order) with default options. */
static int source_dir(source *s, const char *dir, size_t need, xf_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n_names = 0, cap = 0, i, cap_s = 0, cap_len = 0, cap_cum = 0;
    int rc = XF_OK;
    if (d == NULL)
        return xf__fail(err, XF_EIO, 0, 0, "cannot open corpus directory '%s'", dir);
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".csv") != 0)
            continue;
        if (xf__grow((void **)&names, &cap, n_names + 1, sizeof *names) != 0 ||
            (names[n_names] = xf__strndup(de->d_name, l)) == NULL) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            break;
        }
        n_names++;
    }
    closedir(d);
    if (rc == XF_OK && n_names > 1)
        qsort(names, n_names, sizeof *names, cmp_str);
    for (i = 0; i < n_names && rc == XF_OK; i++) {
        char path[4096];
        xf_dataset *ds = NULL;
        size_t k;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if ((rc = xf_dataset_read_csv(path, NULL, &ds, err)) != XF_OK)
            break;
        for (k = 0; k < xf_dataset_n_series(ds) && rc == XF_OK; k++) {
            size_t n = xf_dataset_series_length(ds, k), j;
            const double *v = xf_dataset_series_values(ds, k);
            float *f;
            if (n < need)
                continue;
            if (xf__grow((void **)&s->series, &cap_s, s->n_series + 1, sizeof *s->series) != 0 ||
                xf__grow((void **)&s->len, &cap_len, s->n_series + 1, sizeof *s->len) != 0 ||
                xf__grow((void **)&s->cum, &cap_cum, s->n_series + 1, sizeof *s->cum) != 0 ||
                (f = xf__malloc_array(n, sizeof *f)) == NULL) {
                rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                break;
            }
            for (j = 0; j < n; j++)
                f[j] = (float)v[j];
            s->series[s->n_series] = f;
            s->len[s->n_series] = n;
            s->n_windows += n - need + 1;
            s->cum[s->n_series] = s->n_windows;
            s->n_series++;
        }
        xf_dataset_free(ds);
    }
    for (i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    if (rc == XF_OK && s->n_series == 0)
        rc = xf__fail(err, XF_EDATA, 0, 0,
                      "no series in '%s/*.csv' has the %zu points a window "
                      "needs (context + horizon)",
                      dir, need);
    return rc;
}

/* Version 2: window w from corpus sample w (of its own length L): a
 * window of `need` values at a hashed offset when L >= need; else the
 * sample's last `horizon` values (at most half of it) are the future, its
 * start is the context, right-aligned, and what the sample lacks on either
 * side is missing.  The covariate is not used (yet). */
static void source_window_v2(const source *s, xf_corpus_workspace *cws, double *dv, uint8_t *ob,
                             uint64_t w, size_t need, float *out, int32_t *periods)
{
    size_t L = xf_corpus_sample_length(s->corpus, w), T = need - s->horizon, i, ctx, off;
    xf_corpus_sample_info info;
    if (L > s->buf_len)
        L = s->buf_len; /* not reached: buf_len >= XF_CORPUS_V2_MAX_LENGTH */
    xf_corpus_sample_info_init(&info);
    xf_corpus_sample(s->corpus, cws, w, L, dv, ob, NULL, &info);
    xf__phead_periods_calendar(info.calendar, periods);
    if (L >= need) {
        off = (size_t)(splitmix(s->seed ^ splitmix(w ^ UINT64_C(0x77696e646f77))) %
                       (uint64_t)(L - need + 1));
        for (i = 0; i < need; i++)
            out[i] = ob[off + i] ? (float)dv[off + i] : NAN;
        return;
    }
    ctx = L > 2 * s->horizon ? L - s->horizon : (L + 1) / 2;
    if (ctx > T)
        ctx = T;
    for (i = 0; i < need; i++) {
        /* out[i] holds sample value i - (T - ctx) */
        size_t j = i + ctx;
        if (j < T || j - T >= L)
            out[i] = NAN;
        else
            out[i] = ob[j - T] ? (float)dv[j - T] : NAN;
    }
}

/* Window number w: `need` raw values (NaN = missing), and the periods of
 * its calendar (version 2; else none: 1, 0). */
static void source_window(const source *s, xf_corpus_workspace *cws, double *dv, uint8_t *ob,
                          uint64_t w, size_t need, float *out, int32_t *periods)
{
    size_t i;
    periods[0] = 1;
    periods[1] = 0;
    if (s->corpus != NULL && s->version == XF_CORPUS_VERSION_2) {
        source_window_v2(s, cws, dv, ob, w, need, out, periods);
    } else if (s->corpus != NULL) {
        xf_corpus_series(s->corpus, cws, w, need, dv, ob, NULL);
        for (i = 0; i < need; i++)
            out[i] = ob[i] ? (float)dv[i] : NAN;
    } else {
        uint64_t h = splitmix(s->seed ^ splitmix(w)) % s->n_windows;
        size_t lo = 0, hi = s->n_series - 1;
        while (lo < hi) { /* first series whose cumulative count exceeds h */
            size_t mid = (lo + hi) / 2;
            if (s->cum[mid] > h)
                hi = mid;
            else
                lo = mid + 1;
        }
        h -= lo > 0 ? s->cum[lo - 1] : 0;
        memcpy(out, s->series[lo] + h, need * sizeof *out);
    }
}

/* -------------------------------------------------------------- training */

typedef struct slot {
    xf_corpus_workspace *cws; /* corpus scratch */
    double *dv;               /* corpus values */
    uint8_t *ob;              /* corpus observed flags */
    float *raw;               /* one raw window (context + horizon) */
    float *x;                 /* [G][T][n_inputs] the encoder's inputs */
    float *x2;                /* [T][2] one window's two channels (n_inputs 3) */
    float *y;                 /* [G][Hf + Hb] normalised targets, NaN = missing */
    float *lags;              /* seasonal head: [G][L] lags */
    float *base;              /* seasonal head: [G][Hf][XF__PHEAD_NB] baselines */
    float *z;                 /* seasonal head: [G][E + L] embedding and lags */
    float *emb;               /* [G][E] */
    float *yhat;              /* [G][Ho] */
    float *demb;              /* [G][E] */
    float *cache, *scratch;   /* encoder kernels */
    unsigned char *rec;       /* this group's record in the exchange buffer (not owned) */
    float *grad;              /* encoder gradient of this group (in rec) */
    float *hgrad;             /* head gradient of this group [Ho*E + Ho] (in rec) */
    double loss;              /* summed Huber loss of the group */
} slot;

/* One exchange between the processes: a block per process, each a XHDR
 * header then its records (see the header comment). */
typedef struct xchg {
    unsigned char *buf; /* every block, in rank order; owned */
    size_t *counts;     /* bytes of each process's block */
    size_t *offsets;    /* where each block starts in buf */
    size_t rec;         /* bytes per record */
} xchg;

typedef struct trainer {
    const xf_pretrain_options *o;
    xf_encoder *enc;
    float *head;   /* W [Ho][K], then (seasonal) A [nq*Hf][XF__PHEAD_NB] and U [NB][E], then b [Ho]:
                      outputs are the nq*Hf forecasts (quantile-major), then the Hb
                      backcast values; K = E + L */
    size_t n_head; /* Ho*K (+ nq*Hf*NB + NB*E) + Ho */
    xf__phead hd;  /* the head's shape, pointing into head */
    size_t L, nq, K, Hy; /* lags, quantiles, inputs per output row, targets (Hf + Hb) */
    source src;
    slot *slots;             /* one per group this process computes */
    size_t n_groups;         /* groups of a step (all processes) */
    size_t g0, g1;           /* this process's groups [g0, g1) */
    size_t T, Hf, Hb, Ho, E; /* context, future steps, backcast values, outputs, embedding */
    int64_t step;            /* the step being computed */
    xf_pretrain_comm *comm;  /* NULL: one process */
    int rank, n_ranks;       /* this process and the processes of the run */
    size_t loss_off;         /* where a gradient record holds its loss */
    xchg gx, vx, ax;         /* exchanges: gradients, validation sums, agreement */
} trainer;

/* The first of the n groups (or validation groups) process r computes. */
static size_t share(size_t n, int r, int n_ranks)
{
    return (size_t)((uint64_t)n * (uint64_t)r / (uint64_t)n_ranks);
}

static void xchg_free(xchg *x)
{
    free(x->buf);
    free(x->counts);
    free(x->offsets);
}

/* Blocks of XHDR + (each process's share of n records) * rec bytes. */
static int xchg_alloc(xchg *x, size_t n, size_t rec, int n_ranks, xf_error *err)
{
    size_t total = 0;
    int r;
    x->rec = rec;
    x->counts = xf__malloc_array((size_t)n_ranks, sizeof *x->counts);
    x->offsets = xf__malloc_array((size_t)n_ranks, sizeof *x->offsets);
    if (x->counts == NULL || x->offsets == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory for the exchange buffers");
    for (r = 0; r < n_ranks; r++) {
        size_t k = share(n, r + 1, n_ranks) - share(n, r, n_ranks);
        if (rec != 0 && k > (SIZE_MAX - XHDR) / rec)
            return xf__fail(err, XF_ENOMEM, 0, 0, "exchange buffer too large");
        x->counts[r] = XHDR + k * rec;
        x->offsets[r] = total;
        if (total > SIZE_MAX - x->counts[r])
            return xf__fail(err, XF_ENOMEM, 0, 0, "exchange buffer too large");
        total += x->counts[r];
    }
    if ((x->buf = calloc(total, 1)) == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory for the exchange buffers");
    return XF_OK;
}

/* Record j of process r's block. */
static unsigned char *xchg_rec(const xchg *x, int r, size_t j)
{
    return x->buf + x->offsets[r] + XHDR + j * x->rec;
}

/* Send this process's status (and, when `check` is nonzero, a fingerprint
 * of its run that must equal process 0's) with its block, receive every
 * other block, and agree: returns XF_OK when every process is fine, else
 * the status of the first failed process (its own message on that one,
 * "process R failed" on the others) with comm->failed_rank set. */
static int xchg_run(trainer *tr, xchg *x, int status, uint64_t check, xf_error *err)
{
    unsigned char *own = x->buf + x->offsets[tr->rank];
    int32_t st32 = (int32_t)status, st_r;
    uint64_t check_r, check_0 = 0;
    int r;
    if (tr->n_ranks == 1)
        return status;
    memcpy(own, &st32, sizeof st32);
    memcpy(own + 8, &check, sizeof check);
    if (tr->comm->allgather(x->buf, x->counts, x->offsets, tr->comm->user) != 0) {
        tr->comm->failed_rank = -1;
        return xf__fail(err, XF_EIO, 0, 0,
                        "process %d of %d: the exchange with the other processes failed", tr->rank,
                        tr->n_ranks);
    }
    for (r = 0; r < tr->n_ranks; r++) {
        memcpy(&st_r, x->buf + x->offsets[r], sizeof st_r);
        if (st_r != XF_OK) {
            tr->comm->failed_rank = r;
            if (r == tr->rank)
                return status;
            return xf__fail(err, st_r < 0 ? st_r : XF_EIO, 0, 0,
                            "process %d of %d failed (%s; its message says why), so process %d "
                            "stopped too",
                            r, tr->n_ranks, xf_status_name(st_r), tr->rank);
        }
    }
    if (check != 0)
        for (r = 0; r < tr->n_ranks; r++) {
            memcpy(&check_r, x->buf + x->offsets[r] + 8, sizeof check_r);
            if (r == 0)
                check_0 = check_r;
            else if (check_r != check_0) {
                tr->comm->failed_rank = 0;
                return xf__fail(err, XF_EINVAL, 0, 0,
                                "process %d of %d runs with other options, another start step or "
                                "other weights than process 0: give every process the same "
                                "options and the same checkpoint",
                                r, tr->n_ranks);
            }
        }
    return XF_OK;
}

static void slot_free(slot *s)
{
    xf_corpus_workspace_free(s->cws);
    free(s->dv);
    free(s->ob);
    free(s->raw);
    free(s->x);
    free(s->x2);
    free(s->y);
    free(s->lags);
    free(s->base);
    free(s->z);
    free(s->emb);
    free(s->yhat);
    free(s->demb);
    free(s->cache);
    free(s->scratch);
}

static int slot_alloc(trainer *tr, slot *s, xf_error *err)
{
    size_t T = tr->T, Hf = tr->Hf, E = tr->E, need = T + Hf;
    if (tr->src.corpus != NULL && xf_corpus_workspace_new(tr->src.corpus, &s->cws, err) != XF_OK)
        return err ? err->code : XF_ENOMEM;
    s->dv = xf__malloc_array(tr->src.buf_len, sizeof *s->dv);
    s->ob = xf__malloc_array(tr->src.buf_len, sizeof *s->ob);
    s->raw = xf__malloc_array(need, sizeof *s->raw);
    s->x = xf__malloc_array(G * T * (size_t)tr->enc->cfg.n_inputs, sizeof *s->x);
    s->x2 = xf__malloc_array(T * XF_ENCODER_N_IN, sizeof *s->x2);
    s->y = xf__malloc_array(G * tr->Hy, sizeof *s->y);
    s->lags = xf__malloc_array(G * (tr->L ? tr->L : 1), sizeof *s->lags);
    s->base = xf__malloc_array(G * Hf * XF__PHEAD_NB, sizeof *s->base);
    s->z = xf__malloc_array(G * tr->K, sizeof *s->z);
    s->emb = xf__malloc_array(G * E, sizeof *s->emb);
    s->yhat = xf__malloc_array(G * tr->Ho, sizeof *s->yhat);
    s->demb = xf__malloc_array(G * E, sizeof *s->demb);
    s->cache = xf__malloc_array(xf__encoder_cache_size(tr->enc, G, T), sizeof *s->cache);
    s->scratch = xf__malloc_array(xf__encoder_scratch_size(tr->enc, G, T), sizeof *s->scratch);
    if (!s->dv || !s->ob || !s->raw || !s->x || !s->x2 || !s->y || !s->lags || !s->base || !s->z ||
        !s->emb || !s->yhat || !s->demb || !s->cache || !s->scratch)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory for the training buffers");
    return XF_OK;
}

/* Make the inputs and targets of G windows starting at window id w0: the
 * next Hf values, then the last Hb context values (latest first), all on
 * the window's normalised scale.  The encoder's input has its n_inputs
 * channels (the seasonal difference at the sample's first period); the
 * pretraining head and the targets read the two-channel form (x2). */
static void make_group(trainer *tr, slot *s, uint64_t w0)
{
    size_t T = tr->T, Hf = tr->Hf, Hy = tr->Hy, i, h, ni = (size_t)tr->enc->cfg.n_inputs;
    for (i = 0; i < G; i++) {
        float mean, sd, *y = s->y + i * Hy;
        float *xe = s->x + i * T * ni;
        float *xi = ni == XF_ENCODER_N_IN ? xe : s->x2;
        int32_t periods[2];
        source_window(&tr->src, s->cws, s->dv, s->ob, w0 + i, T + Hf, s->raw, periods);
        xf__normalise_window(s->raw, T, xi, &mean, &sd);
        if (ni != XF_ENCODER_N_IN)
            xf__encoder_spread(xi, T, (int)ni, periods[0], xe);
        if (tr->hd.kind == XF__PHEAD_SEASONAL)
            xf__phead_inputs(xi, T, tr->L, periods, Hf, s->lags + i * tr->L,
                             s->base + i * Hf * XF__PHEAD_NB);
        for (h = 0; h < Hf; h++) {
            float v = s->raw[T + h];
            if (isnan(v)) {
                y[h] = NAN;
            } else {
                float z = (v - mean) / sd;
                y[h] = z > TARGET_CLIP ? TARGET_CLIP : z < -TARGET_CLIP ? -TARGET_CLIP : z;
            }
        }
        for (h = 0; h < tr->Hb; h++) {
            const float *xt = xi + (T - 1 - h) * XF_ENCODER_N_IN;
            y[Hf + h] = xt[1] > 0.5f ? xt[0] : NAN;
        }
    }
}

static void head_forward(const trainer *tr, slot *s)
{
    xf__phead_forward(&tr->hd, G, s->emb, s->lags, s->base, s->z, s->yhat);
}

/* The target of output o of a window's targets y. */
static float target_of(const trainer *tr, const float *y, size_t o)
{
    size_t nf = tr->nq * tr->Hf;
    return o < nf ? y[o % tr->Hf] : y[tr->Hf + (o - nf)];
}

/* Forward, loss and backward of group g (of the step's n_groups) into its
 * own record. */
static void train_group(trainer *tr, size_t g)
{
    slot *s = &tr->slots[g - tr->g0];
    size_t Ho = tr->Ho, E = tr->E, K = tr->K, i, k;
    const float scale = 1.0f / (float)((size_t)tr->o->batch * Ho);
    make_group(tr, s, (uint64_t)tr->step * (uint64_t)tr->o->batch + g * G);
    memset(s->grad, 0, tr->enc->n_params * sizeof *s->grad);
    memset(s->hgrad, 0, tr->n_head * sizeof *s->hgrad);
    xf__encoder_forward(tr->enc, s->x, G, s->emb, s->cache, s->scratch);
    head_forward(tr, s);
    s->loss = 0;
    for (k = 0; k < G * Ho; k++) {
        size_t o = k % Ho;
        float y = target_of(tr, s->y + (k / Ho) * tr->Hy, o), r = s->yhat[k] - y;
        if (isnan(y)) {
            s->yhat[k] = 0.0f; /* reused as d loss / d yhat */
            continue;
        }
        if (tr->hd.kind == XF__PHEAD_SEASONAL && o < tr->nq * tr->Hf) {
            /* pinball loss of quantile tau: tau * u above, (1 - tau) * -u below, u = y - yhat */
            float tau = (float)tr->o->quantiles[o / tr->Hf];
            if (r < 0) {
                s->loss += -(double)tau * r;
                s->yhat[k] = -tau * scale;
            } else {
                s->loss += (1.0 - tau) * (double)r;
                s->yhat[k] = (1.0f - tau) * scale;
            }
        } else if (fabsf(r) <= 1.0f) {
            s->loss += 0.5 * (double)r * r;
            s->yhat[k] = r * scale;
        } else {
            s->loss += fabs((double)r) - 0.5;
            s->yhat[k] = (r > 0 ? 1.0f : -1.0f) * scale;
        }
    }
    /* head gradients: dW = dy^T [emb, lags], dA = dy x baselines, db = sum dy;
     * embedding gradient dy W (its first E columns) */
    xf__sgemm(1, 0, Ho, K, G, 1.0f, s->yhat, Ho, tr->L ? s->z : s->emb, K, 0.0f, s->hgrad, K);
    xf__sgemm(0, 0, G, E, Ho, 1.0f, s->yhat, Ho, tr->head, K, 0.0f, s->demb, E);
    if (tr->hd.kind == XF__PHEAD_SEASONAL) {
        size_t nf = tr->nq * tr->Hf, j, e;
        float *ga = s->hgrad + Ho * K, *gu = ga + nf * XF__PHEAD_NB, *gb = gu + XF__PHEAD_NB * E;
        for (k = nf; k < Ho; k++) /* backcast rows read the embedding alone */
            memset(s->hgrad + k * K + E, 0, tr->L * sizeof *s->hgrad);
        for (i = 0; i < G; i++) {
            /* sg[j] = sum over outputs of dy x baseline j: A's and the gates' gradient */
            float sg[XF__PHEAD_NB] = {0};
            const float *emb = s->emb + i * E;
            for (k = 0; k < nf; k++) {
                float d = s->yhat[i * Ho + k];
                const float *bs = s->base + (i * tr->Hf + k % tr->Hf) * XF__PHEAD_NB;
                for (j = 0; j < XF__PHEAD_NB; j++) {
                    ga[k * XF__PHEAD_NB + j] += d * bs[j];
                    sg[j] += d * bs[j];
                }
            }
            for (j = 0; j < XF__PHEAD_NB; j++)
                for (e = 0; e < E; e++) {
                    gu[j * E + e] += sg[j] * emb[e];
                    s->demb[i * E + e] += sg[j] * tr->hd.U[j * E + e];
                }
        }
        for (i = 0; i < G; i++)
            for (k = 0; k < Ho; k++)
                gb[k] += s->yhat[i * Ho + k];
    } else {
        for (i = 0; i < G; i++)
            for (k = 0; k < Ho; k++)
                s->hgrad[Ho * E + k] += s->yhat[i * Ho + k];
    }
    xf__encoder_backward(tr->enc, s->x, G, s->demb, s->cache, s->grad, s->scratch);
    memcpy(s->rec + tr->loss_off, &s->loss, sizeof s->loss);
}

typedef struct job {
    trainer *tr;
    size_t first, stride;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    size_t g;
    for (g = j->tr->g0 + j->first; g < j->tr->g1; g += j->stride)
        train_group(j->tr, g);
    return NULL;
}

/* Validation MSE over observed targets, and that of the last-value
 * forecast: each validation group's sums (this process's share of them),
 * exchanged, then added in group order. */
static int validate(trainer *tr, double *mse, double *naive, double *snaive, xf_error *err)
{
    slot *s = &tr->slots[0];
    size_t Hf = tr->Hf, T = tr->T, n = 0, i, h, j, n_groups = (size_t)tr->o->n_valid / G;
    size_t v0 = share(n_groups, tr->rank, tr->n_ranks),
           v1 = share(n_groups, tr->rank + 1, tr->n_ranks), g, med = 0;
    double se = 0, sn = 0, ss = 0;
    for (i = 0; tr->hd.kind == XF__PHEAD_SEASONAL && i < tr->nq; i++)
        if (tr->o->quantiles[i] == 0.5)
            med = i;
    int r, rc;
    for (g = v0; g < v1; g++) {
        unsigned char *rec = xchg_rec(&tr->vx, tr->rank, g - v0);
        double gse = 0, gsn = 0, gss = 0;
        uint64_t gn = 0;
        make_group(tr, s, VALID_BASE + (uint64_t)g * G);
        xf__encoder_forward(tr->enc, s->x, G, s->emb, NULL, s->scratch);
        head_forward(tr, s);
        for (i = 0; i < G; i++) {
            /* last observed normalised context value */
            float last = 0.0f;
            size_t t, ni = (size_t)tr->enc->cfg.n_inputs;
            for (t = T; t-- > 0;)
                if (s->x[(i * T + t) * ni + 1] > 0.5f) {
                    last = s->x[(i * T + t) * ni];
                    break;
                }
            for (h = 0; h < Hf; h++) {
                float y = s->y[i * tr->Hy + h], yh = s->yhat[i * tr->Ho + med * Hf + h];
                if (isnan(y))
                    continue;
                gse += ((double)yh - y) * ((double)yh - y);
                gsn += ((double)last - y) * ((double)last - y);
                if (tr->hd.kind == XF__PHEAD_SEASONAL) {
                    double sv = s->base[(i * Hf + h) * XF__PHEAD_NB];
                    gss += (sv - y) * (sv - y);
                }
                gn++;
            }
        }
        memcpy(rec, &gse, sizeof gse);
        memcpy(rec + 8, &gsn, sizeof gsn);
        memcpy(rec + 16, &gn, sizeof gn);
        memcpy(rec + 24, &gss, sizeof gss);
    }
    if ((rc = xchg_run(tr, &tr->vx, XF_OK, 0, err)) != XF_OK)
        return rc;
    for (r = 0; r < tr->n_ranks; r++) {
        size_t k = share(n_groups, r + 1, tr->n_ranks) - share(n_groups, r, tr->n_ranks);
        for (j = 0; j < k; j++) {
            const unsigned char *rec = xchg_rec(&tr->vx, r, j);
            double gse, gsn, gss;
            uint64_t gn;
            memcpy(&gse, rec, sizeof gse);
            memcpy(&gsn, rec + 8, sizeof gsn);
            memcpy(&gn, rec + 16, sizeof gn);
            memcpy(&gss, rec + 24, sizeof gss);
            se += gse;
            sn += gsn;
            ss += gss;
            n += (size_t)gn;
        }
    }
    *mse = n ? se / (double)n : NAN;
    *naive = n ? sn / (double)n : NAN;
    *snaive = n && tr->hd.kind == XF__PHEAD_SEASONAL ? ss / (double)n : NAN;
    return XF_OK;
}

/* ----------------------------------------------------------- checkpoints */

/* The encoder's seasonal head: the forecast rows of the training head. */
static int set_seasonal_head(trainer *tr)
{
    return xf__encoder_set_phead(tr->enc, XF__PHEAD_SEASONAL, (int32_t)tr->Hf, (int32_t)tr->L,
                                 (int32_t)tr->nq, tr->o->quantiles, tr->hd.W, tr->hd.A, tr->hd.U,
                                 tr->hd.b);
}

static int save_checkpoint(trainer *tr, const float *m, const float *v, const float *hm,
                           const float *hv, double wall, double last_loss, xf_error *err)
{
    xf_xfm *mf = NULL;
    int64_t dn[1] = {(int64_t)tr->enc->n_params}, dh[1] = {(int64_t)tr->n_head};
    int rc;
    /* the checkpoint keeps every output of the head (backcast included): a
     * linear head as the encoder's head of Ho outputs, a seasonal one as its
     * forecast part plus the whole vector in train.head */
    if (tr->hd.kind == XF__PHEAD_SEASONAL)
        rc = set_seasonal_head(tr);
    else
        rc = xf_encoder_set_head(tr->enc, (int32_t)tr->Ho, tr->head, tr->head + tr->Ho * tr->E);
    if (rc != XF_OK)
        return xf__fail(err, rc, 0, 0, "out of memory");
    if ((rc = xf__encoder_to_xfm(tr->enc, tr->o->checkpoint, &mf, err)) != XF_OK)
        return rc;
    if (tr->hd.kind == XF__PHEAD_SEASONAL &&
        xf_xfm_add_tensor_f32(mf, "train.head", 1, dh, tr->head) != XF_OK) {
        xf_xfm_free(mf);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    if (xf_xfm_set_i64(mf, "train.step", tr->step) ||
        xf_xfm_set_i64(mf, "train.batch", tr->o->batch) ||
        xf_xfm_set_i64(mf, "train.seed", (int64_t)tr->o->seed) ||
        xf_xfm_set_f64(mf, "train.wall_seconds", wall) ||
        xf_xfm_set_f64(mf, "train.last_loss", last_loss) ||
        xf_xfm_set_i64(mf, "train.steps", tr->o->steps) ||
        xf_xfm_set_f64(mf, "train.lr", tr->o->lr) ||
        xf_xfm_set_i64(mf, "train.warmup", tr->o->warmup) ||
        xf_xfm_set_f64(mf, "train.lr_floor", tr->o->lr_floor) ||
        xf_xfm_set_f64(mf, "train.clip", tr->o->clip) ||
        xf_xfm_set_i64(mf, "train.n_valid", tr->o->n_valid) ||
        xf_xfm_set_i64(mf, "train.backcast", (int64_t)tr->Hb) ||
        xf_xfm_set_str(mf, "train.corpus", tr->o->corpus_dir ? tr->o->corpus_dir : "synthetic") ||
        xf_xfm_set_i64(mf, "train.corpus_version", tr->src.version) ||
        xf_xfm_add_tensor_f32(mf, "train.adam_m", 1, dn, m) ||
        xf_xfm_add_tensor_f32(mf, "train.adam_v", 1, dn, v) ||
        xf_xfm_add_tensor_f32(mf, "train.head_m", 1, dh, hm) ||
        xf_xfm_add_tensor_f32(mf, "train.head_v", 1, dh, hv)) {
        xf_xfm_free(mf);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    rc = xf_xfm_save(mf, tr->o->checkpoint, err);
    xf_xfm_free(mf);
    return rc;
}

static int load_tensor(const xf_xfm *mf, const char *path, const char *name, float *dst, size_t n,
                       xf_error *err)
{
    size_t idx;
    if (xf_xfm_find_tensor(mf, name, &idx) != XF_OK ||
        xf_xfm_tensor_dtype(mf, idx) != XF_XFM_DTYPE_F32 || xf_xfm_tensor_n_elems(mf, idx) != n)
        return xf__fail(err, XF_EFORMAT, 0, 0,
                        "%s: checkpoint tensor '%s' is missing or has the "
                        "wrong size",
                        path, name);
    memcpy(dst, xf_xfm_tensor_data(mf, idx), n * sizeof *dst);
    return XF_OK;
}

/* Resume: the encoder, head and Adam state; checks that the run matches. */
static int load_checkpoint(trainer *tr, const char *path, float *m, float *v, float *hm, float *hv,
                           double *wall, xf_error *err)
{
    xf_xfm *mf = NULL;
    xf_encoder *e = NULL;
    int64_t step, batch, seed;
    int rc;
    if ((rc = xf_xfm_load(path, &mf, err)) != XF_OK)
        return rc;
    if ((rc = xf__encoder_from_xfm(mf, path, NULL, 0, &e, err)) != XF_OK)
        goto done;
    if (xf_xfm_get_i64(mf, "train.step", &step, NULL) != XF_OK ||
        xf_xfm_get_i64(mf, "train.batch", &batch, NULL) != XF_OK ||
        xf_xfm_get_i64(mf, "train.seed", &seed, NULL) != XF_OK ||
        xf_xfm_get_f64(mf, "train.wall_seconds", wall, NULL) != XF_OK) {
        rc =
            xf__fail(err, XF_EFORMAT, 0, 0, "%s: an encoder file, not a training checkpoint", path);
        goto done;
    }
    if (e->head_kind != tr->hd.kind) {
        rc = xf__fail(err, XF_EINVAL, 0, 0,
                      "%s was made with another --head, --head-lags or --quantiles (a %s "
                      "head): resume with the options of the interrupted run",
                      path, e->head_kind == XF__PHEAD_SEASONAL ? "seasonal" : "linear");
        goto done;
    }
    if (!xf__encoder_same_config(e, tr->enc) || e->n_params != tr->enc->n_params ||
        batch != tr->o->batch || (uint64_t)seed != tr->o->seed ||
        e->horizon != (int32_t)(tr->hd.kind == XF__PHEAD_SEASONAL ? tr->Hf : tr->Ho)) {
        rc = xf__fail(err, XF_EINVAL, 0, 0,
                      "%s was made with other options (architecture, sizes, "
                      "batch %lld, seed %lld, horizon + backcast %d): resume with the same ones",
                      path, (long long)batch, (long long)seed, (int)e->horizon);
        goto done;
    }
    {
        /* the schedule and the data must be those of the interrupted run (keys
         * absent from older checkpoints are not checked) */
        const xf_pretrain_options *o = tr->o;
        int64_t iv;
        double dv;
        const char *sv, *bad = NULL;
        if (xf_xfm_get_i64(mf, "train.steps", &iv, NULL) == XF_OK && iv != o->steps)
            bad = "--steps";
        else if (xf_xfm_get_f64(mf, "train.lr", &dv, NULL) == XF_OK && dv != o->lr)
            bad = "--lr";
        else if (xf_xfm_get_i64(mf, "train.warmup", &iv, NULL) == XF_OK && iv != o->warmup)
            bad = "--warmup";
        else if (xf_xfm_get_f64(mf, "train.lr_floor", &dv, NULL) == XF_OK && dv != o->lr_floor)
            bad = "the learning-rate floor";
        else if (xf_xfm_get_f64(mf, "train.clip", &dv, NULL) == XF_OK && dv != o->clip)
            bad = "--clip";
        else if (xf_xfm_get_i64(mf, "train.n_valid", &iv, NULL) == XF_OK && iv != o->n_valid)
            bad = "--valid";
        else if ((xf_xfm_get_i64(mf, "train.backcast", &iv, NULL) == XF_OK ? iv : 0) != o->backcast)
            bad = "--backcast";
        else if (xf_xfm_get_str(mf, "train.corpus", &sv, NULL) == XF_OK &&
                 strcmp(sv, o->corpus_dir ? o->corpus_dir : "synthetic") != 0)
            bad = "--corpus";
        if (bad == NULL) {
            /* the head: its kind, lags and quantiles */
            int same = e->head_kind == tr->hd.kind;
            size_t k;
            if (same && tr->hd.kind == XF__PHEAD_SEASONAL) {
                same = (size_t)e->head_lags == tr->L && (size_t)e->head_nq == tr->nq;
                for (k = 0; same && k < tr->nq; k++)
                    same = e->head_q[k] == o->quantiles[k];
            }
            if (!same)
                bad = "--head, --head-lags or --quantiles";
        }
        if (bad == NULL && o->corpus_dir == NULL) {
            /* checkpoints from before corpus v2 have no version: v1 */
            int64_t cv = 1;
            if (xf_xfm_get_i64(mf, "train.corpus_version", &iv, NULL) == XF_OK)
                cv = iv;
            if (cv != tr->src.version) {
                rc = xf__fail(err, XF_EINVAL, 0, 0,
                              "%s was made on corpus v%lld; this run uses corpus v%d: resume "
                              "with --corpus v%lld (the options of the interrupted run)",
                              path, (long long)cv, tr->src.version, (long long)cv);
                goto done;
            }
        }
        if (bad != NULL) {
            rc = xf__fail(err, XF_EINVAL, 0, 0,
                          "%s was made with another %s: resume with the "
                          "options of the interrupted run",
                          path, bad);
            goto done;
        }
        if (o->stop_at > 0 && o->stop_at <= step) {
            rc = xf__fail(err, XF_EINVAL, 0, 0,
                          "%s is already at step %lld; --stop-at %lld "
                          "would do nothing",
                          path, (long long)step, (long long)o->stop_at);
            goto done;
        }
    }
    memcpy(tr->enc->params, e->params, e->n_params * sizeof *e->params);
    if (tr->hd.kind == XF__PHEAD_SEASONAL) {
        if ((rc = load_tensor(mf, path, "train.head", tr->head, tr->n_head, err)) != XF_OK)
            goto done;
    } else {
        memcpy(tr->head, e->head_w, tr->Ho * tr->E * sizeof *tr->head);
        memcpy(tr->head + tr->Ho * tr->E, e->head_b, tr->Ho * sizeof *tr->head);
    }
    if ((rc = load_tensor(mf, path, "train.adam_m", m, e->n_params, err)) != XF_OK ||
        (rc = load_tensor(mf, path, "train.adam_v", v, e->n_params, err)) != XF_OK ||
        (rc = load_tensor(mf, path, "train.head_m", hm, tr->n_head, err)) != XF_OK ||
        (rc = load_tensor(mf, path, "train.head_v", hv, tr->n_head, err)) != XF_OK)
        goto done;
    tr->step = step;
    rc = XF_OK;
done:
    xf_encoder_free(e);
    xf_xfm_free(mf);
    return rc;
}

/* ------------------------------------------------------------------ Adam */

static void adam(float *p, const float *g, float *m, float *v, size_t n, double lr, double scale,
                 int64_t t)
{
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    double c1 = 1.0 - pow(b1, (double)t), c2 = 1.0 - pow(b2, (double)t);
    size_t i;
    for (i = 0; i < n; i++) {
        double gi = (double)g[i] * scale;
        m[i] = (float)(b1 * m[i] + (1 - b1) * gi);
        v[i] = (float)(b2 * v[i] + (1 - b2) * gi * gi);
        p[i] -= (float)(lr * (m[i] / c1) / (sqrt(v[i] / c2) + eps));
    }
}

static double learning_rate(const xf_pretrain_options *o, int64_t step)
{
    double progress;
    if (step < o->warmup)
        return o->lr * (double)(step + 1) / (double)o->warmup;
    progress =
        (double)(step - o->warmup) / (double)(o->steps > o->warmup ? o->steps - o->warmup : 1);
    if (progress > 1)
        progress = 1;
    return o->lr *
           (o->lr_floor + (1 - o->lr_floor) * 0.5 * (1 + cos(3.14159265358979323846 * progress)));
}

static int check_options(const xf_pretrain_options *o, xf_error *err)
{
    if (o->steps < 1 || o->steps > INT64_C(100000000))
        return xf__fail(err, XF_EINVAL, 0, 0, "steps %lld must be 1..100000000",
                        (long long)o->steps);
    if (o->batch < G || o->batch % G != 0 || o->batch > 4096)
        return xf__fail(err, XF_EINVAL, 0, 0, "batch %d must be a multiple of %d up to 4096",
                        (int)o->batch, G);
    if (xf__limit_check("horizon", o->horizon, 1, XF__LIM_PRETRAIN_HORIZON_MAX, err) != XF_OK)
        return XF_EINVAL;
    if (o->backcast < 0 || o->backcast > o->encoder.context)
        return xf__fail(err, XF_EINVAL, 0, 0, "backcast %d must be 0..context (%d)",
                        (int)o->backcast, (int)o->encoder.context);
    if (o->n_valid < G || o->n_valid % G != 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "validation windows %d must be a multiple of %d",
                        (int)o->n_valid, G);
    if (!(o->lr > 0 && o->lr < 1) || !(o->clip > 0) || o->warmup < 1 ||
        !(o->lr_floor >= 0 && o->lr_floor <= 1))
        return xf__fail(err, XF_EINVAL, 0, 0, "learning rate, warm-up, floor or clip out of range");
    if (o->n_threads < 1 || o->n_threads > 256)
        return xf__fail(err, XF_EINVAL, 0, 0, "threads %d must be 1..256", (int)o->n_threads);
    if (o->stop_at < 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "stop step %lld must be >= 0", (long long)o->stop_at);
    if (o->eval_every < 1 || o->report_every < 1 || o->checkpoint_every < 1)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "report, validation and checkpoint intervals must be >= 1");
    if (o->corpus_version != XF_CORPUS_VERSION_1 && o->corpus_version != XF_CORPUS_VERSION_2)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "corpus version %d is unknown; this build makes 1 and 2",
                        (int)o->corpus_version);
    if (o->head != XF_ENCODER_HEAD_LINEAR && o->head != XF_ENCODER_HEAD_SEASONAL)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "pretraining head %d is unknown (linear %d, seasonal %d)", (int)o->head,
                        XF_ENCODER_HEAD_LINEAR, XF_ENCODER_HEAD_SEASONAL);
    if (o->head == XF_ENCODER_HEAD_SEASONAL) {
        int32_t i, max_lags = o->encoder.context < XF__PHEAD_MAX_LAGS ? o->encoder.context
                                                                      : XF__PHEAD_MAX_LAGS;
        int median = 0;
        if (o->head_lags < 0 || o->head_lags > max_lags)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "head lags %d must be 0..%d (and at most the context)",
                            (int)o->head_lags, (int)max_lags);
        if (o->n_quantiles < 1 || o->n_quantiles > XF__PHEAD_MAX_Q)
            return xf__fail(err, XF_EINVAL, 0, 0, "%d quantiles: the head takes 1..%d",
                            (int)o->n_quantiles, XF__PHEAD_MAX_Q);
        for (i = 0; i < o->n_quantiles; i++) {
            if (!(o->quantiles[i] > 0 && o->quantiles[i] < 1) ||
                (i > 0 && !(o->quantiles[i] > o->quantiles[i - 1])))
                return xf__fail(err, XF_EINVAL, 0, 0,
                                "quantile %g: the levels must increase, each in (0, 1)",
                                o->quantiles[i]);
            median |= o->quantiles[i] == 0.5;
        }
        if (!median)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "the quantiles must include the median (0.5): it is the point "
                            "forecast");
        if ((int64_t)o->n_quantiles * o->horizon + o->backcast > XF__LIM_PRETRAIN_HORIZON_MAX * 2)
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "%d quantiles x horizon %d (+ backcast %d) is more than %d outputs",
                            (int)o->n_quantiles, (int)o->horizon, (int)o->backcast,
                            2 * XF__LIM_PRETRAIN_HORIZON_MAX);
    }
    if (o->corpus_dir != NULL && o->corpus_version != XF_CORPUS_VERSION_1)
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "corpus version %d applies to the synthetic corpus, not to the CSV files "
                        "of %s",
                        (int)o->corpus_version, o->corpus_dir);
    return XF_OK;
}

/* A fingerprint of what must be the same on every process of a run: the
 * options that shape the steps, the start step and the whole state. */
static uint64_t run_check(const trainer *tr, const float *m, const float *v, const float *hm,
                          const float *hv)
{
    const xf_pretrain_options *o = tr->o;
    int64_t iv[20];
    double dv[3 + XF__PHEAD_MAX_Q];
    size_t np = tr->enc->n_params;
    uint64_t h = 14695981039346656037u;
    iv[0] = o->steps;
    iv[1] = o->batch;
    iv[2] = o->horizon;
    iv[3] = o->backcast;
    iv[4] = (int64_t)o->seed;
    iv[5] = o->warmup;
    iv[6] = o->eval_every;
    iv[7] = o->n_valid;
    iv[8] = o->stop_at;
    iv[9] = tr->step;
    iv[10] = (int64_t)o->encoder.arch;
    iv[11] = o->encoder.context;
    iv[12] = (int64_t)np;
    iv[13] = (int64_t)tr->src.n_windows;
    iv[14] = (int64_t)tr->src.n_series;
    iv[15] = o->corpus_dir != NULL;
    iv[16] = o->corpus_version;
    iv[17] = o->head;
    iv[18] = o->head == XF_ENCODER_HEAD_SEASONAL ? o->head_lags : 0;
    iv[19] = o->head == XF_ENCODER_HEAD_SEASONAL ? o->n_quantiles : 0;
    memset(dv, 0, sizeof dv);
    dv[0] = o->lr;
    dv[1] = o->lr_floor;
    dv[2] = o->clip;
    if (o->head == XF_ENCODER_HEAD_SEASONAL)
        memcpy(dv + 3, o->quantiles, (size_t)o->n_quantiles * sizeof *dv);
    h = xf__fnv1a(h, iv, sizeof iv);
    h = xf__fnv1a(h, dv, sizeof dv);
    h = xf__fnv1a(h, tr->enc->params, np * sizeof *tr->enc->params);
    h = xf__fnv1a(h, tr->head, tr->n_head * sizeof *tr->head);
    h = xf__fnv1a(h, m, np * sizeof *m);
    h = xf__fnv1a(h, v, np * sizeof *v);
    h = xf__fnv1a(h, hm, tr->n_head * sizeof *hm);
    h = xf__fnv1a(h, hv, tr->n_head * sizeof *hv);
    return h ? h : 1; /* 0 means "no check" */
}

int xf_pretrain(const xf_pretrain_options *o, xf_encoder **out, xf_error *err)
{
    xf_pretrain_options in;
    trainer tr;
    float *m = NULL, *v = NULL, *hm = NULL, *hv = NULL, *gsum = NULL, *hsum = NULL;
    pthread_t th[256];
    job jobs[256];
    double t0 = xf__now(), wall0 = 0, loss_acc = 0, valid = NAN, naive = NAN, snaive = NAN,
           last_loss = NAN;
    int64_t loss_n = 0, start_step;
    size_t i, g, n_threads = 1, n_local;
    int rc, r;

    *out = NULL;
    memset(&tr, 0, sizeof tr);
    xf_pretrain_options_init(&in, o->encoder.arch);
    XF__IMPORT_OPTIONS(in, o, XF__PRETRAIN_OPTIONS_V1, xf_pretrain_options, err);
    tr.o = o;
    tr.comm = o->comm;
    tr.n_ranks = 1;
    if (tr.comm != NULL) {
        tr.comm->failed_rank = -1;
        if (tr.comm->n_ranks < 1 || tr.comm->n_ranks > MAX_RANKS || tr.comm->rank < 0 ||
            tr.comm->rank >= tr.comm->n_ranks || (tr.comm->n_ranks > 1 && !tr.comm->allgather))
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "data-parallel run: rank %d of %d processes (at most %d), or no "
                            "allgather function",
                            (int)tr.comm->rank, (int)tr.comm->n_ranks, MAX_RANKS);
        tr.rank = tr.comm->rank;
        tr.n_ranks = tr.comm->n_ranks;
    }
    /* the agreement on the setup, before anything that may fail */
    if ((rc = xchg_alloc(&tr.ax, 0, 0, tr.n_ranks, err)) != XF_OK)
        goto done;
    if ((rc = check_options(o, err)) != XF_OK)
        goto setup_done;
    tr.T = (size_t)o->encoder.context;
    tr.Hf = (size_t)o->horizon;
    tr.Hb = (size_t)o->backcast;
    tr.hd.kind = o->head;
    tr.nq = o->head == XF_ENCODER_HEAD_SEASONAL ? (size_t)o->n_quantiles : 1;
    tr.L = o->head == XF_ENCODER_HEAD_SEASONAL ? (size_t)o->head_lags : 0;
    tr.Ho = tr.nq * tr.Hf + tr.Hb;
    tr.Hy = tr.Hf + tr.Hb;
    tr.n_groups = (size_t)o->batch / G;
    if (tr.n_groups < (size_t)tr.n_ranks) {
        rc = xf__fail(err, XF_EINVAL, 0, 0,
                      "batch %d is too small for %d processes: each computes whole groups of %d "
                      "windows; use a batch of %d or more",
                      (int)o->batch, tr.n_ranks, G, G * tr.n_ranks);
        goto setup_done;
    }
    tr.g0 = share(tr.n_groups, tr.rank, tr.n_ranks);
    tr.g1 = share(tr.n_groups, tr.rank + 1, tr.n_ranks);
    n_local = tr.g1 - tr.g0;
    if ((rc = xf_encoder_new(&o->encoder, o->seed, &tr.enc, err)) != XF_OK)
        goto setup_done;
    if (!xf__encoder_trainable(tr.enc)) {
        rc = xf__fail(err, XF_EINVAL, 0, 0,
                      "encoder architecture '%s' has no backward pass: it "
                      "cannot be pretrained",
                      tr.enc->arch->name);
        goto setup_done;
    }
    tr.E = tr.enc->embed_size;
    tr.K = tr.E + tr.L;
    tr.n_head = tr.Ho * tr.K + tr.Ho;
    if (tr.hd.kind == XF__PHEAD_SEASONAL)
        tr.n_head += tr.nq * tr.Hf * XF__PHEAD_NB + XF__PHEAD_NB * tr.E;
    tr.src.seed = o->seed;
    tr.src.horizon = tr.Hf;
    tr.src.buf_len = tr.T + tr.Hf;
    if (o->corpus_dir == NULL) {
        xf_corpus_options co;
        xf_corpus_options_init(&co);
        co.seed = o->seed;
        co.length = tr.T + tr.Hf;
        co.version = o->corpus_version;
        tr.src.version = o->corpus_version;
        if (o->corpus_version == XF_CORPUS_VERSION_2 && tr.src.buf_len < XF_CORPUS_V2_MAX_LENGTH)
            tr.src.buf_len = XF_CORPUS_V2_MAX_LENGTH;
        if ((rc = xf_corpus_new(&co, &tr.src.corpus, err)) != XF_OK)
            goto setup_done;
    } else if ((rc = source_dir(&tr.src, o->corpus_dir, tr.T + tr.Hf, err)) != XF_OK) {
        goto setup_done;
    }
    /* a gradient record: encoder then head gradient, the loss at an 8-byte
     * boundary, the whole rounded up to 64 bytes (records stay aligned) */
    if (tr.enc->n_params > (SIZE_MAX / 2 - 128) / sizeof(float) - tr.n_head) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto setup_done;
    }
    tr.loss_off = ((tr.enc->n_params + tr.n_head) * sizeof(float) + 7) / 8 * 8;
    tr.head = calloc(tr.n_head, sizeof *tr.head);
    tr.slots = calloc(n_local, sizeof *tr.slots);
    m = calloc(tr.enc->n_params, sizeof *m);
    v = calloc(tr.enc->n_params, sizeof *v);
    gsum = calloc(tr.enc->n_params, sizeof *gsum);
    hm = calloc(tr.n_head, sizeof *hm);
    hv = calloc(tr.n_head, sizeof *hv);
    hsum = calloc(tr.n_head, sizeof *hsum);
    if (!tr.head || !tr.slots || !m || !v || !gsum || !hm || !hv || !hsum) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto setup_done;
    }
    tr.hd.E = tr.E;
    tr.hd.L = tr.L;
    tr.hd.nq = tr.nq;
    tr.hd.Hf = tr.Hf;
    tr.hd.Hb = tr.Hb;
    tr.hd.W = tr.head;
    tr.hd.A = tr.head + tr.Ho * tr.K;
    tr.hd.U = tr.hd.A + (tr.hd.kind == XF__PHEAD_SEASONAL ? tr.nq * tr.Hf * XF__PHEAD_NB : 0);
    tr.hd.b = tr.hd.U + (tr.hd.kind == XF__PHEAD_SEASONAL ? XF__PHEAD_NB * tr.E : 0);
    if (tr.hd.kind == XF__PHEAD_SEASONAL) {
        /* start from the seasonal-naive forecast: weight 1 on the first baseline */
        float *a = tr.head + tr.Ho * tr.K;
        for (i = 0; i < tr.nq * tr.Hf; i++)
            a[i * XF__PHEAD_NB] = 1.0f;
    }
    if ((rc = xchg_alloc(&tr.gx, tr.n_groups, (tr.loss_off + sizeof(double) + 63) / 64 * 64,
                         tr.n_ranks, err)) != XF_OK ||
        (rc = xchg_alloc(&tr.vx, (size_t)o->n_valid / G, 32, tr.n_ranks, err)) != XF_OK)
        goto setup_done;
    for (g = 0; g < n_local; g++) {
        slot *s = &tr.slots[g];
        if ((rc = slot_alloc(&tr, s, err)) != XF_OK)
            goto setup_done;
        s->rec = xchg_rec(&tr.gx, tr.rank, g);
        s->grad = (float *)(void *)s->rec;
        s->hgrad = s->grad + tr.enc->n_params;
    }
    if (o->resume != NULL &&
        (rc = load_checkpoint(&tr, o->resume, m, v, hm, hv, &wall0, err)) != XF_OK)
        goto setup_done;
    n_threads = (size_t)o->n_threads < n_local ? (size_t)o->n_threads : n_local;
setup_done:
    /* every process set up the same run, or all stop */
    if ((rc = xchg_run(&tr, &tr.ax, rc, rc == XF_OK ? run_check(&tr, m, v, hm, hv) : 0, err)) !=
        XF_OK)
        goto done;
    start_step = tr.step;
    if ((rc = validate(&tr, &valid, &naive, &snaive, err)) != XF_OK)
        goto done;
    if (o->progress != NULL) {
        xf_pretrain_status st;
        memset(&st, 0, sizeof st);
        st.step = tr.step;
        st.steps = o->steps;
        st.windows = tr.step * o->batch;
        st.train_loss = NAN;
        st.valid_loss = valid;
        st.valid_naive = naive;
        st.valid_snaive = snaive;
        st.lr = learning_rate(o, tr.step);
        st.is_eval = 1;
        o->progress(&st, o->user);
    }
    for (; tr.step < o->steps && (o->stop_at <= 0 || tr.step < o->stop_at); tr.step++) {
        double norm2 = 0, scale, lr = learning_rate(o, tr.step);
        int first = 1;
        /* this process's groups, in parallel (unless it failed: it then
         * only tells the others) */
        if (rc == XF_OK && n_threads > 1) {
            for (i = 0; i < n_threads; i++) {
                jobs[i].tr = &tr;
                jobs[i].first = i;
                jobs[i].stride = n_threads;
                if (pthread_create(&th[i], NULL, worker, &jobs[i]) != 0) {
                    size_t k;
                    for (k = 0; k < i; k++)
                        pthread_join(th[k], NULL);
                    rc = xf__fail(err, XF_ENOMEM, 0, 0, "cannot start a worker thread");
                    break;
                }
            }
            if (rc == XF_OK)
                for (i = 0; i < n_threads; i++)
                    pthread_join(th[i], NULL);
        } else if (rc == XF_OK) {
            for (g = tr.g0; g < tr.g1; g++)
                train_group(&tr, g);
        }
        /* every group's gradients on every process, summed in group order */
        if ((rc = xchg_run(&tr, &tr.gx, rc, 0, err)) != XF_OK)
            goto done;
        for (r = 0; r < tr.n_ranks; r++) {
            size_t k = share(tr.n_groups, r + 1, tr.n_ranks) - share(tr.n_groups, r, tr.n_ranks), j;
            for (j = 0; j < k; j++) {
                const unsigned char *rec = xchg_rec(&tr.gx, r, j);
                const float *gg = (const float *)(const void *)rec, *hg = gg + tr.enc->n_params;
                double gl;
                memcpy(&gl, rec + tr.loss_off, sizeof gl);
                if (first) {
                    memcpy(gsum, gg, tr.enc->n_params * sizeof *gsum);
                    memcpy(hsum, hg, tr.n_head * sizeof *hsum);
                    first = 0;
                } else {
                    for (i = 0; i < tr.enc->n_params; i++)
                        gsum[i] += gg[i];
                    for (i = 0; i < tr.n_head; i++)
                        hsum[i] += hg[i];
                }
                loss_acc += gl;
            }
        }
        loss_n += o->batch * (int64_t)tr.Ho;
        for (i = 0; i < tr.enc->n_params; i++)
            norm2 += (double)gsum[i] * gsum[i];
        for (i = 0; i < tr.n_head; i++)
            norm2 += (double)hsum[i] * hsum[i];
        scale = sqrt(norm2) > o->clip ? o->clip / sqrt(norm2) : 1.0;
        if (!isfinite(norm2)) {
            /* the same sums on every process: all stop here, process 0 says why */
            if (tr.comm != NULL)
                tr.comm->failed_rank = 0;
            rc = xf__fail(err, XF_EDATA, 0, 0,
                          "training diverged at step %lld (gradient not "
                          "finite): lower --lr",
                          (long long)tr.step);
            goto done;
        }
        adam(tr.enc->params, gsum, m, v, tr.enc->n_params, lr, scale, tr.step + 1);
        adam(tr.head, hsum, hm, hv, tr.n_head, lr, scale, tr.step + 1);
        {
            int64_t done_steps = tr.step + 1;
            int is_eval = done_steps % o->eval_every == 0 || done_steps == o->steps;
            if (is_eval && (rc = validate(&tr, &valid, &naive, &snaive, err)) != XF_OK)
                goto done;
            if (done_steps % o->report_every == 0 || is_eval) {
                last_loss = loss_acc / (double)(loss_n ? loss_n : 1);
                if (o->progress != NULL) {
                    xf_pretrain_status st;
                    double el = xf__now() - t0;
                    st.step = done_steps;
                    st.steps = o->steps;
                    st.windows = done_steps * o->batch;
                    st.train_loss = last_loss;
                    st.valid_loss = valid;
                    st.valid_naive = naive;
                    st.valid_snaive = snaive;
                    st.lr = lr;
                    st.elapsed_s = el;
                    st.windows_per_s =
                        el > 0 ? (double)(done_steps - start_step) * o->batch / el : 0;
                    st.is_eval = is_eval;
                    o->progress(&st, o->user);
                }
                loss_acc = 0;
                loss_n = 0;
            }
            /* process 0 writes the checkpoint; a failure reaches the others
             * with the next exchange */
            if (o->checkpoint != NULL && tr.rank == 0 &&
                (done_steps % o->checkpoint_every == 0 || done_steps == o->steps ||
                 done_steps == o->stop_at)) {
                tr.step = done_steps; /* the checkpoint says how many steps are done */
                rc = save_checkpoint(&tr, m, v, hm, hv, wall0 + xf__now() - t0, last_loss, err);
                tr.step = done_steps - 1;
            }
        }
    }
    /* the last checkpoint written, or all stop */
    if ((rc = xchg_run(&tr, &tr.ax, rc, 0, err)) != XF_OK)
        goto done;
    /* the trained encoder with its head (the future outputs: the first Hf
     * rows and biases) and provenance */
    if ((rc = tr.hd.kind == XF__PHEAD_SEASONAL
                  ? set_seasonal_head(&tr)
                  : xf_encoder_set_head(tr.enc, (int32_t)tr.Hf, tr.head, tr.head + tr.Ho * tr.E)) !=
        XF_OK) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    {
        char date[32], recipe[512];
        time_t now = time(NULL);
        struct tm tmv;
        gmtime_r(&now, &tmv);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tmv);
        if (o->corpus_dir == NULL && o->corpus_version == XF_CORPUS_VERSION_2)
            snprintf(recipe, sizeof recipe,
                     "xfcast synthetic corpus v2 (xf_corpus version 2 defaults, seed %llu): "
                     "domain-like series of 50-5000 values on calendars with periods 4-672 "
                     "(seasonal, energy load with holidays and temperature, weather, business-day "
                     "stock prices with GARCH and jumps, Croston intermittent demand, damped "
                     "trends, level shifts, v1 families); one sample per window, cut at a hashed "
                     "offset or padded with missing values; covariates not used",
                     (unsigned long long)o->seed);
        else if (o->corpus_dir == NULL)
            snprintf(recipe, sizeof recipe,
                     "xfcast synthetic corpus (xf_corpus defaults, seed %llu): "
                     "Gaussian-process (KernelSynth-style), trend x multi-seasonal, ARMA, random "
                     "walks with volatility clustering, intermittent series, level shifts, spikes, "
                     "missing stretches and their mixtures; one series per window",
                     (unsigned long long)o->seed);
        else
            snprintf(recipe, sizeof recipe, "CSV files in %s (%zu series)", o->corpus_dir,
                     tr.src.n_series);
        if (xf_encoder_set_meta_str(tr.enc, "pretrain.corpus", recipe) ||
            xf_encoder_set_meta_str(tr.enc, "pretrain.benchmark_data_seen",
                                    o->corpus_dir ? "unknown (user corpus)" : "none") ||
            (o->corpus_dir == NULL &&
             xf_encoder_set_meta_i64(tr.enc, "pretrain.corpus_version", o->corpus_version)) ||
            xf_encoder_set_meta_i64(tr.enc, "pretrain.seed", (int64_t)o->seed) ||
            xf_encoder_set_meta_i64(tr.enc, "pretrain.steps", o->steps) ||
            xf_encoder_set_meta_i64(tr.enc, "pretrain.batch", o->batch) ||
            xf_encoder_set_meta_i64(tr.enc, "pretrain.windows", o->steps * o->batch) ||
            xf_encoder_set_meta_f64(tr.enc, "pretrain.lr", o->lr) ||
            xf_encoder_set_meta_str(
                tr.enc, "pretrain.loss",
                tr.hd.kind == XF__PHEAD_SEASONAL
                    ? (tr.Hb ? "pinball loss of each quantile on normalised future values; Huber "
                               "(delta 1) on the last pretrain.backcast context values"
                             : "pinball loss of each quantile on normalised future values")
                : tr.Hb ? "Huber (delta 1) on normalised future values and on the "
                          "last pretrain.backcast context values"
                        : "Huber (delta 1) on normalised future values") ||
            xf_encoder_set_meta_i64(tr.enc, "pretrain.backcast", (int64_t)tr.Hb) ||
            xf_encoder_set_meta_str(tr.enc, "pretrain.date", date) ||
            xf_encoder_set_meta_f64(tr.enc, "pretrain.train_loss", last_loss) ||
            xf_encoder_set_meta_f64(tr.enc, "pretrain.valid_mse", valid) ||
            xf_encoder_set_meta_f64(tr.enc, "pretrain.valid_naive_mse", naive) ||
            xf_encoder_set_meta_f64(tr.enc, "pretrain.wall_seconds", wall0 + xf__now() - t0) ||
            xf_encoder_set_meta_str(tr.enc, "pretrain.xfcast_version", PACKAGE_VERSION)) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
    }
    *out = tr.enc;
    tr.enc = NULL;
    rc = XF_OK;
done:
    if (tr.slots != NULL)
        for (g = 0; g < tr.g1 - tr.g0; g++)
            slot_free(&tr.slots[g]);
    xchg_free(&tr.gx);
    xchg_free(&tr.vx);
    xchg_free(&tr.ax);
    free(tr.slots);
    free(tr.head);
    source_free(&tr.src);
    xf_encoder_free(tr.enc);
    free(m);
    free(v);
    free(hm);
    free(hv);
    free(gsum);
    free(hsum);
    return rc;
}
