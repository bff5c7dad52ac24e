/* bench_localmodels.c - the local statistical models of src/localmodels.c
 * (issue 13) on M4 Hourly, scored as the M4 organisers score them, so that
 * each can be checked against the published figures of the same method:
 * every series fitted on its training part, 48 steps forecast from its
 * end, sMAPE and MASE (scale: in-sample seasonal naive at 24), averaged
 * over the 414 series; negative forecasts are clipped at 0 as the M4
 * benchmarks do.  Prints one line per model and the seconds it took.
 *
 * usage: bench_localmodels M4-Hourly-train.csv M4-Hourly-test.csv
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "localmodels.h"

#define MAX_SERIES 1000
#define MAX_LEN 20000

typedef struct series {
    double *y;
    size_t n;
} series;

/* One M4 file: a header line, then "id","v1","v2",... with empty trailing
 * fields; returns the number of series read, or 0. */
static size_t read_m4(const char *path, series *s)
{
    FILE *f = fopen(path, "r");
    static char line[1 << 20];
    size_t k = 0;
    if (f == NULL || fgets(line, sizeof line, f) == NULL) {
        if (f != NULL)
            fclose(f);
        return 0;
    }
    while (k < MAX_SERIES && fgets(line, sizeof line, f) != NULL) {
        char *p = strchr(line, ',');
        double *y = malloc(MAX_LEN * sizeof *y);
        size_t n = 0;
        if (y == NULL)
            break;
        while (p != NULL && n < MAX_LEN) {
            char *q = p + 1, *e;
            double v;
            if (*q == '"')
                q++;
            v = strtod(q, &e);
            if (e == q)
                break; /* an empty field: the series ended */
            y[n++] = v;
            p = strchr(q, ',');
        }
        s[k].y = y;
        s[k].n = n;
        k++;
    }
    fclose(f);
    return k;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    static series tr[MAX_SERIES], te[MAX_SERIES];
    const int32_t per[2] = {24, 168};
    struct {
        const char *name;
        int kind; /* -1 seasonal naive */
        size_t np;
    } models[] = {{"seasonal naive (24)", -1, 0},
                  {"ets (AICc form, season 24)", XF__LM_ETS, 1},
                  {"theta (multiplicative season 24)", XF__LM_THETA, 1},
                  {"decomposition (24) + ets", XF__LM_DECOMP, 1},
                  {"decomposition (24, 168) + ets", XF__LM_DECOMP, 2}};
    size_t n, i, mi;
    if (argc != 3) {
        fprintf(stderr, "usage: %s M4-Hourly-train.csv M4-Hourly-test.csv\n", argv[0]);
        return 2;
    }
    n = read_m4(argv[1], tr);
    if (n == 0 || read_m4(argv[2], te) != n) {
        fprintf(stderr, "bench_localmodels: cannot read %s and %s as M4 files\n", argv[1], argv[2]);
        return 1;
    }
    printf("%-36s %8s %8s %9s\n", "model", "sMAPE", "MASE", "seconds");
    for (mi = 0; mi < sizeof models / sizeof models[0]; mi++) {
        double smape = 0, mase = 0, t0 = now();
        size_t failed = 0;
        for (i = 0; i < n; i++) {
            const double *y = tr[i].y, *a = te[i].y;
            size_t N = tr[i].n, H = te[i].n, k, t;
            double fc[MAX_LEN], sc = 0, e = 0, sm = 0;
            if (models[mi].kind < 0) {
                for (k = 0; k < H; k++)
                    fc[k] = y[N - 24 + k % 24];
            } else {
                xf__lm m;
                xf_error err;
                size_t o = N;
                if (xf__lm_fit((xf__lm_kind)models[mi].kind, y, N, per, models[mi].np, &m, &err) !=
                        XF_OK ||
                    xf__lm_forecast_origins(&m, y, N, &o, 1, (int32_t)H, fc, &err) != XF_OK) {
                    for (k = 0; k < H; k++) /* counted with the seasonal naive forecast */
                        fc[k] = y[N - 24 + k % 24];
                    failed++;
                }
                xf__lm_free(&m);
            }
            for (t = 24; t < N; t++)
                sc += fabs(y[t] - y[t - 24]);
            sc /= (double)(N - 24);
            for (k = 0; k < H; k++) {
                double p = fc[k] > 0 ? fc[k] : 0;
                e += fabs(a[k] - p);
                sm += 200 * fabs(a[k] - p) / (fabs(a[k]) + fabs(p));
            }
            mase += e / (double)H / sc;
            smape += sm / (double)H;
        }
        printf("%-36s %8.3f %8.4f %9.2f%s\n", models[mi].name, smape / (double)n, mase / (double)n,
               now() - t0, failed ? " (some failed)" : "");
    }
    for (i = 0; i < n; i++) {
        free(tr[i].y);
        free(te[i].y);
    }
    return 0;
}
