/* bench_encoder.c - encoder throughput: inference (xf_encoder_embed) and
 * training steps (forward with cache + linear head + backward + Adam, as
 * src/pretrain.c does it), plus the machine's SGEMM rate for scale.
 *
 *     bench/bench_encoder sgemm [-n N] [-t THREADS] [-r REPS]
 *     bench/bench_encoder infer|train -a gru|tcn [-t THREADS] [-b BATCH]
 *                         [-r REPS] [-m MODEL.xfm]
 *
 * Prints one line of key=value pairs per measurement, e.g.
 *
 *     impl=xfcast arch=gru mode=infer threads=2 batch=256 context=512
 *     hidden=64 layers=1 channels=0 blocks=0 kernel=0 head=0 reps=5
 *     best_s=0.061 median_s=0.063 windows_per_s=4190.1 check=...
 *
 *     impl=openblas mode=sgemm threads=2 n=2048 reps=5 best_s=... gflops=...
 *
 * infer: xf_encoder_embed of BATCH windows of random data (instance
 *   normalisation included) with a workspace of max_batch BATCH spread over
 *   THREADS threads (xf_encoder_workspace_set_threads); OpenBLAS itself
 *   single-threaded (xf_blas_set_threads(1)), as the CLI runs it.
 * train: one optimiser step on BATCH windows (already normalised: the
 *   kernels only, no data generation), split into groups of
 *   XF_ENCODER_GROUP windows handed to THREADS worker threads round-robin
 *   (src/pretrain.c's worker): per group xf__encoder_forward with cache, a
 *   linear head of 64 outputs, MSE loss, head backward, xf__encoder_backward
 *   into the group's own gradient; then the groups' gradients summed in
 *   order, global-norm clipping and Adam on the encoder and the head.
 * sgemm: C = A B (row-major, N x N, single precision) through cblas_sgemm
 *   with OpenBLAS on THREADS threads; gflops = 2 N^3 / best time.
 * Times are CLOCK_MONOTONIC, best (and median) of REPS after one warm-up.
 * check: a sum over the outputs, to see that the work was done.
 * The weights are random (xf_encoder_new, seed 1) unless -m loads a model.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#if defined(__GLIBC__) || defined(__linux__)
#include <dlfcn.h> /* dladdr: which library cblas_sgemm is bound to */
#endif

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include <xfcast.h>

#include "encoder_internal.h"
#include "nn.h"

#define G XF_ENCODER_GROUP
#define HEAD 64 /* outputs of the linear training head */
#define MAX_THREADS 64

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 0x243F6A8885A308D3u;

/* uniform in [-1, 1) (xorshift64*) */
static float urand(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (float)((double)((rng_state * 2685821657736338717u) >> 11) * 0x1.0p-53 * 2.0 - 1.0);
}

static void *xmalloc(size_t n_floats)
{
    void *p = malloc(n_floats * sizeof(float));
    if (p == NULL) {
        fprintf(stderr, "bench_encoder: out of memory (%zu floats)\n", n_floats);
        exit(1);
    }
    return p;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* best and median of n times (sorts them) */
static void summarise(double *t, int n, double *best, double *median)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    *best = t[0];
    *median = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/* ---------------------------------------------------------------- sgemm */

/* The file of the library that cblas_sgemm was bound to ("?" when the
 * system cannot say).  Linked against OpenBLAS, a binding to GSL's
 * reference CBLAS (libgslcblas, which libgsl also loads) would time the
 * wrong library: a link order that puts -lgslcblas first does that. */
static const char *sgemm_library(void)
{
#if defined(RTLD_DEFAULT) || defined(__GLIBC__)
    Dl_info info;
    if (dladdr((void *)(uintptr_t)cblas_sgemm, &info) != 0 && info.dli_fname != NULL) {
        const char *slash = strrchr(info.dli_fname, '/');
        return slash != NULL ? slash + 1 : info.dli_fname;
    }
#endif
    return "?";
}

static int run_sgemm(int n, int threads, int reps)
{
    size_t nn = (size_t)n * (size_t)n, i;
    float *a = xmalloc(nn), *b = xmalloc(nn), *c = xmalloc(nn);
    double *t = calloc((size_t)reps, sizeof *t), best, median;
    int r;
    if (t == NULL)
        return 1;
    for (i = 0; i < nn; i++) {
        a[i] = urand();
        b[i] = urand();
    }
    xf_blas_set_threads(threads);
    for (r = -1; r < reps; r++) {
        double t0 = now_s();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c,
                    n);
        if (r >= 0)
            t[r] = now_s() - t0;
    }
    summarise(t, reps, &best, &median);
    printf("impl=openblas mode=sgemm threads=%d n=%d reps=%d best_s=%.6f median_s=%.6f "
           "gflops=%.2f check=%.6g library=%s\n",
           threads, n, reps, best, median, 2.0 * (double)n * n * n / best / 1e9, (double)c[nn / 3],
           sgemm_library());
    free(a);
    free(b);
    free(c);
    free(t);
    return 0;
}

/* ------------------------------------------------------------- training */

typedef struct group {
    float *x;       /* [G][T][2] normalised inputs */
    float *y;       /* [G][HEAD] targets */
    float *emb;     /* [G][E] */
    float *yhat;    /* [G][HEAD], then d loss / d yhat */
    float *demb;    /* [G][E] */
    float *cache;   /* encoder forward cache */
    float *scratch; /* encoder scratch */
    float *grad;    /* encoder gradient of this group */
    float *hgrad;   /* head gradient [HEAD*E + HEAD] */
    double loss;
} group;

typedef struct trainer {
    xf_encoder *enc;
    float *head; /* [HEAD][E] then [HEAD] */
    size_t T, E, n_head, n_groups, batch;
    group *groups;
} trainer;

static void train_group(trainer *tr, size_t gi)
{
    group *s = &tr->groups[gi];
    size_t E = tr->E, n_params = xf_encoder_n_params(tr->enc), i, k;
    const float scale = 2.0f / (float)(tr->batch * HEAD);
    memset(s->grad, 0, n_params * sizeof *s->grad);
    memset(s->hgrad, 0, tr->n_head * sizeof *s->hgrad);
    xf__encoder_forward(tr->enc, s->x, G, s->emb, s->cache, s->scratch);
    for (i = 0; i < G; i++)
        memcpy(s->yhat + i * HEAD, tr->head + HEAD * E, HEAD * sizeof *s->yhat);
    xf__sgemm(0, 1, G, HEAD, E, 1.0f, s->emb, E, tr->head, E, 1.0f, s->yhat, HEAD);
    s->loss = 0;
    for (k = 0; k < G * HEAD; k++) {
        float r = s->yhat[k] - s->y[k];
        s->loss += (double)r * r;
        s->yhat[k] = r * scale;
    }
    xf__sgemm(1, 0, HEAD, E, G, 1.0f, s->yhat, HEAD, s->emb, E, 0.0f, s->hgrad, E);
    for (i = 0; i < G; i++)
        for (k = 0; k < HEAD; k++)
            s->hgrad[HEAD * E + k] += s->yhat[i * HEAD + k];
    xf__sgemm(0, 0, G, E, HEAD, 1.0f, s->yhat, HEAD, tr->head, E, 0.0f, s->demb, E);
    xf__encoder_backward(tr->enc, s->x, G, s->demb, s->cache, s->grad, s->scratch);
}

typedef struct job {
    trainer *tr;
    size_t first, stride;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    size_t g;
    for (g = j->first; g < j->tr->n_groups; g += j->stride)
        train_group(j->tr, g);
    return NULL;
}

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

typedef struct optim {
    float *m, *v, *hm, *hv, *gsum, *hsum;
    int64_t t;
} optim;

/* One optimiser step; returns the loss. */
static double train_step(trainer *tr, optim *o, int threads)
{
    size_t n_params = xf_encoder_n_params(tr->enc), i, g, nt;
    double norm2 = 0, loss = 0, scale;
    pthread_t th[MAX_THREADS];
    job jobs[MAX_THREADS];
    nt = (size_t)threads < tr->n_groups ? (size_t)threads : tr->n_groups;
    if (nt > 1) {
        for (i = 0; i < nt; i++) {
            jobs[i].tr = tr;
            jobs[i].first = i;
            jobs[i].stride = nt;
            if (pthread_create(&th[i], NULL, worker, &jobs[i]) != 0) {
                fprintf(stderr, "bench_encoder: cannot start a thread\n");
                exit(1);
            }
        }
        for (i = 0; i < nt; i++)
            pthread_join(th[i], NULL);
    } else {
        for (g = 0; g < tr->n_groups; g++)
            train_group(tr, g);
    }
    memcpy(o->gsum, tr->groups[0].grad, n_params * sizeof *o->gsum);
    memcpy(o->hsum, tr->groups[0].hgrad, tr->n_head * sizeof *o->hsum);
    loss = tr->groups[0].loss;
    for (g = 1; g < tr->n_groups; g++) {
        for (i = 0; i < n_params; i++)
            o->gsum[i] += tr->groups[g].grad[i];
        for (i = 0; i < tr->n_head; i++)
            o->hsum[i] += tr->groups[g].hgrad[i];
        loss += tr->groups[g].loss;
    }
    for (i = 0; i < n_params; i++)
        norm2 += (double)o->gsum[i] * o->gsum[i];
    for (i = 0; i < tr->n_head; i++)
        norm2 += (double)o->hsum[i] * o->hsum[i];
    scale = sqrt(norm2) > 1.0 ? 1.0 / sqrt(norm2) : 1.0;
    o->t++;
    /* a tiny learning rate: the weights stay where the benchmark started */
    adam(xf_encoder_params_mut(tr->enc), o->gsum, o->m, o->v, n_params, 1e-6, scale, o->t);
    adam(tr->head, o->hsum, o->hm, o->hv, tr->n_head, 1e-6, scale, o->t);
    return loss / (double)(tr->batch * HEAD);
}

/* ------------------------------------------------------------- printing */

static void print_line(const xf_encoder *enc, const char *mode, int threads, size_t batch, int reps,
                       double best, double median, double check)
{
    const xf_encoder_config *c = xf_encoder_get_config(enc);
    int gru = c->arch == XF_ARCH_GRU; /* the fields run_encoder.sh reads per architecture */
    printf("impl=xfcast arch=%s mode=%s threads=%d batch=%zu context=%d hidden=%d layers=%d "
           "channels=%d blocks=%d kernel=%d head=%d reps=%d best_s=%.6f median_s=%.6f "
           "windows_per_s=%.2f check=%.9g\n",
           xf_encoder_arch_name(c->arch), mode, threads, batch, (int)c->context,
           gru ? (int)c->n_hidden : 0, gru ? (int)c->n_layers : 0, gru ? 0 : (int)c->n_channels,
           gru ? 0 : (int)c->n_blocks, gru ? 0 : (int)c->kernel_size,
           strcmp(mode, "train") == 0 ? HEAD : 0, reps, best, median, (double)batch / best, check);
}

static int run_infer(xf_encoder *enc, int threads, size_t batch, int reps)
{
    size_t T = (size_t)xf_encoder_context(enc), E = xf_encoder_embed_size(enc), i;
    float *win = xmalloc(batch * T), *emb = xmalloc(batch * E);
    double *t = calloc((size_t)reps, sizeof *t), best, median, check = 0;
    xf_encoder_workspace *ws = NULL;
    xf_error err;
    int r;
    xf_error_clear(&err);
    if (t == NULL || xf_encoder_workspace_new(enc, batch, &ws, &err) != XF_OK ||
        xf_encoder_workspace_set_threads(ws, threads, &err) != XF_OK) {
        fprintf(stderr, "bench_encoder: %s\n", err.message[0] ? err.message : "out of memory");
        return 1;
    }
    for (i = 0; i < batch * T; i++)
        win[i] = urand();
    for (r = -1; r < reps; r++) {
        double t0 = now_s();
        if (xf_encoder_embed(enc, ws, win, batch, emb, NULL, &err) != XF_OK) {
            fprintf(stderr, "bench_encoder: %s\n", err.message);
            return 1;
        }
        if (r >= 0)
            t[r] = now_s() - t0;
    }
    for (i = 0; i < batch * E; i++)
        check += emb[i];
    summarise(t, reps, &best, &median);
    print_line(enc, "infer", threads, batch, reps, best, median, check);
    xf_encoder_workspace_free(ws);
    free(win);
    free(emb);
    free(t);
    return 0;
}

static int run_train(xf_encoder *enc, int threads, size_t batch, int reps)
{
    trainer tr;
    optim o;
    size_t T = (size_t)xf_encoder_context(enc), n_params = xf_encoder_n_params(enc), g, i;
    double *t = calloc((size_t)reps, sizeof *t), best, median, loss = 0;
    float *raw = xmalloc(T);
    int r;
    if (t == NULL || batch % G != 0) {
        fprintf(stderr, "bench_encoder: the training batch must be a multiple of %d\n", G);
        return 1;
    }
    memset(&tr, 0, sizeof tr);
    memset(&o, 0, sizeof o);
    tr.enc = enc;
    tr.T = T;
    tr.E = xf_encoder_embed_size(enc);
    tr.n_head = HEAD * tr.E + HEAD;
    tr.batch = batch;
    tr.n_groups = batch / G;
    tr.head = xmalloc(tr.n_head);
    for (i = 0; i < tr.n_head; i++)
        tr.head[i] = urand() / sqrtf((float)tr.E);
    tr.groups = calloc(tr.n_groups, sizeof *tr.groups);
    if (tr.groups == NULL)
        return 1;
    for (g = 0; g < tr.n_groups; g++) {
        group *s = &tr.groups[g];
        s->x = xmalloc(G * T * XF_ENCODER_N_IN);
        s->y = xmalloc(G * HEAD);
        s->emb = xmalloc(G * tr.E);
        s->yhat = xmalloc(G * HEAD);
        s->demb = xmalloc(G * tr.E);
        s->cache = xmalloc(xf__encoder_cache_size(enc, G, T));
        s->scratch = xmalloc(xf__encoder_scratch_size(enc, G, T));
        s->grad = xmalloc(n_params);
        s->hgrad = xmalloc(tr.n_head);
        for (i = 0; i < G; i++) {
            size_t k;
            float mean, sd;
            for (k = 0; k < T; k++)
                raw[k] = urand();
            xf__normalise_window(raw, T, s->x + i * T * XF_ENCODER_N_IN, &mean, &sd);
        }
        for (i = 0; i < G * HEAD; i++)
            s->y[i] = urand();
    }
    o.m = calloc(n_params, sizeof(float));
    o.v = calloc(n_params, sizeof(float));
    o.gsum = xmalloc(n_params);
    o.hm = calloc(tr.n_head, sizeof(float));
    o.hv = calloc(tr.n_head, sizeof(float));
    o.hsum = xmalloc(tr.n_head);
    if (!o.m || !o.v || !o.hm || !o.hv)
        return 1;
    for (r = -1; r < reps; r++) {
        double t0 = now_s();
        loss = train_step(&tr, &o, threads);
        if (r >= 0)
            t[r] = now_s() - t0;
    }
    summarise(t, reps, &best, &median);
    print_line(enc, "train", threads, batch, reps, best, median, loss);
    for (g = 0; g < tr.n_groups; g++) {
        group *s = &tr.groups[g];
        free(s->x);
        free(s->y);
        free(s->emb);
        free(s->yhat);
        free(s->demb);
        free(s->cache);
        free(s->scratch);
        free(s->grad);
        free(s->hgrad);
    }
    free(tr.groups);
    free(tr.head);
    free(o.m);
    free(o.v);
    free(o.gsum);
    free(o.hm);
    free(o.hv);
    free(o.hsum);
    free(raw);
    free(t);
    return 0;
}

/* ----------------------------------------------------------------- main */

static void usage(void)
{
    fprintf(stderr, "usage: bench_encoder sgemm [-n N] [-t THREADS] [-r REPS]\n"
                    "       bench_encoder infer|train -a gru|tcn [-t THREADS] [-b BATCH] "
                    "[-r REPS] [-m MODEL.xfm]\n");
}

static int int_arg(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode, *arch = NULL, *model = NULL;
    int threads = 1, reps = 5, batch = 256, n = 2048, i, rc;
    xf_encoder *enc = NULL;
    xf_arch arch_id = XF_ARCH_GRU;
    xf_error err;

    if (argc < 2) {
        usage();
        return 2;
    }
    mode = argv[1];
#ifdef XF_HAVE_OPENBLAS
    if (strstr(sgemm_library(), "gslcblas") != NULL) {
        fprintf(stderr,
                "bench_encoder: cblas_sgemm is bound to %s, GSL's reference CBLAS, not "
                "OpenBLAS: the link order is wrong (-lopenblas must come before -lgslcblas)\n",
                sgemm_library());
        return 1;
    }
#endif
    for (i = 2; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = v == NULL;
        if (!bad && strcmp(o, "-a") == 0)
            arch = v;
        else if (!bad && strcmp(o, "-m") == 0)
            model = v;
        else if (!bad && strcmp(o, "-t") == 0)
            bad = int_arg(v, 1, MAX_THREADS, &threads);
        else if (!bad && strcmp(o, "-r") == 0)
            bad = int_arg(v, 1, 1000, &reps);
        else if (!bad && strcmp(o, "-b") == 0)
            bad = int_arg(v, 1, 65536, &batch);
        else if (!bad && strcmp(o, "-n") == 0)
            bad = int_arg(v, 16, 16384, &n);
        else
            bad = 1;
        if (bad) {
            usage();
            return 2;
        }
        i++;
    }
    if (strcmp(mode, "sgemm") == 0)
        return run_sgemm(n, threads, reps);
    if ((strcmp(mode, "infer") != 0 && strcmp(mode, "train") != 0) || arch == NULL ||
        xf_encoder_arch_from_name(arch, &arch_id, &err) != XF_OK) {
        usage();
        return 2;
    }
    xf_error_clear(&err);
    if (model != NULL) {
        rc = xf_encoder_load(model, &enc, &err);
        if (rc == XF_OK && xf_encoder_get_config(enc)->arch != arch_id) {
            fprintf(stderr, "bench_encoder: %s is not a %s encoder\n", model, arch);
            return 1;
        }
    } else {
        xf_encoder_config cfg;
        xf_encoder_config_init(&cfg, arch_id);
        rc = xf_encoder_new(&cfg, 1, &enc, &err);
    }
    if (rc != XF_OK) {
        fprintf(stderr, "bench_encoder: %s\n", err.message[0] ? err.message : xf_strerror(rc));
        return 1;
    }
    /* xfcast's own threads do the spreading; BLAS runs single-threaded */
    xf_blas_set_threads(1);
    rc = strcmp(mode, "infer") == 0 ? run_infer(enc, threads, (size_t)batch, reps)
                                    : run_train(enc, threads, (size_t)batch, reps);
    xf_encoder_free(enc);
    return rc;
}
