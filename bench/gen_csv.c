/* gen_csv.c - write a deterministic numeric CSV for the reader benchmark.
 *
 *     bench/gen_csv [-s MB] OUTPUT.csv
 *
 * Writes a header `timestamp,v1,...,v8` and hourly rows starting at
 * 2000-01-01T00:00:00 until the file holds at least MB megabytes
 * (1 MB = 10^6 bytes; default 100, about 1.3 million rows).  The eight
 * value columns are random walks and cycles of different scales and
 * precisions (some negative, some printed in exponent notation by %.6g), so
 * that the number parser sees realistic, varied input.
 *
 * The output depends only on MB: the PRNG is a fixed-seed xorshift64*, the
 * normal deviates are sums of uniforms and the cycles come from tables, so
 * no libm function (whose last bit may differ between systems) is used.
 * On success prints `rows=N bytes=B` on standard output.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_COLS 8

/* ------------------------------------------------------------------ PRNG */

static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15); /* fixed seed */

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

/* Uniform in [0, 1) with 53 random bits. */
static double rng_uniform(void)
{
    return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

/* Approximately standard normal: the Irwin-Hall sum of 12 uniforms, less 6. */
static double rng_normal(void)
{
    double s = 0;
    int i;
    for (i = 0; i < 12; i++)
        s += rng_uniform();
    return s - 6.0;
}

/* ------------------------------------------------------------- calendar */

/* Civil date of a day count since 1970-01-01 (H. Hinnant's algorithm). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, yoe, doy, mp, yy;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    yoe = z - era * 146097;
    yy = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
    doy = yoe - (365 * yy + yy / 4 - yy / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + era * 400 + (*m <= 2));
}

/* sin(2*pi*h/24), h = 0..23, written out so that no libm call is needed. */
static const double daily[24] = {0.0,         0.25881905,  0.5,         0.70710678,  0.8660254,
                                 0.96592583,  1.0,         0.96592583,  0.8660254,   0.70710678,
                                 0.5,         0.25881905,  0.0,         -0.25881905, -0.5,
                                 -0.70710678, -0.8660254,  -0.96592583, -1.0,        -0.96592583,
                                 -0.8660254,  -0.70710678, -0.5,        -0.25881905};

/* A smooth yearly cycle in [-1, 1]: a parabolic approximation of the cosine
 * of the phase of day d (0..364) of the year, coldest in mid-January. */
static double yearly(int64_t day)
{
    double x = (double)((day + 350) % 365) / 365.0;     /* 0 at ~16 January */
    double t = x < 0.5 ? 4.0 * x - 1.0 : 3.0 - 4.0 * x; /* triangle -1..1 */
    return t * (1.5 - 0.5 * t * t);                     /* smoothed */
}

/* ----------------------------------------------------------------- output */

static void usage(FILE *f)
{
    fprintf(f, "usage: gen_csv [-s MB] OUTPUT.csv\n"
               "  Write a deterministic hourly CSV (timestamp,v1..v8) of at least MB\n"
               "  megabytes (10^6 bytes; default 100).  OUTPUT '-' writes to stdout.\n");
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    double mb = 100;
    uint64_t target, written = 0, rows = 0;
    double state[N_COLS];
    FILE *fp;
    char *buf;
    size_t len = 0;
    const size_t buf_cap = (size_t)1 << 20;
    int i, to_stdout;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-s") == 0 || strcmp(argv[i], "--size") == 0) {
            char *end;
            if (++i >= argc) {
                usage(stderr);
                return 2;
            }
            mb = strtod(argv[i], &end);
            if (end == argv[i] || *end != '\0' || !(mb > 0 && mb <= 100000)) {
                fprintf(stderr, "gen_csv: bad size '%s' (megabytes, 0 < MB <= 100000)\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "gen_csv: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (path == NULL) {
            path = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (path == NULL) {
        usage(stderr);
        return 2;
    }
    target = (uint64_t)(mb * 1e6);
    to_stdout = strcmp(path, "-") == 0;
    fp = to_stdout ? stdout : fopen(path, "wb");
    if (fp == NULL) {
        fprintf(stderr, "gen_csv: cannot create '%s': %s\n", path, strerror(errno));
        return 1;
    }
    buf = malloc(buf_cap);
    if (buf == NULL) {
        fprintf(stderr, "gen_csv: out of memory\n");
        return 1;
    }

    /* starting levels */
    state[0] = 10.0;   /* v1: temperature, degC */
    state[1] = 100.0;  /* v2: price, multiplicative walk */
    state[2] = 0.0;    /* v3: additive walk around zero */
    state[3] = 3000.0; /* v4: electric load */
    state[4] = 0.0;    /* v5: small AR(1) signal */
    state[5] = 50.0;   /* v6: humidity-like, bounded */
    state[6] = 1.5e6;  /* v7: volume, large */
    state[7] = 0.0;    /* v8: AR(1) noise */

    len = (size_t)snprintf(buf, buf_cap, "timestamp,v1,v2,v3,v4,v5,v6,v7,v8\n");
    while (written + len < target) {
        int64_t hour = (int64_t)rows, day = 10957 + hour / 24; /* 2000-01-01 */
        int h = (int)(hour % 24), y, mo, d, n;
        double v[N_COLS], season;
        civil_from_days(day, &y, &mo, &d);
        season = yearly(day - 10957);

        /* v1: seasonal + daily cycle + weather anomaly (AR(1)) */
        state[0] = 0.97 * state[0] + 0.6 * rng_normal();
        v[0] = 11.0 + 9.0 * season + 4.0 * daily[(h + 18) % 24] + state[0];
        /* v2: geometric random walk, kept in a plausible band */
        state[1] *= 1.0 + 0.002 * rng_normal();
        if (state[1] < 5.0)
            state[1] = 5.0 + rng_uniform();
        if (state[1] > 5000.0)
            state[1] = 5000.0 - rng_uniform();
        v[1] = state[1];
        /* v3: additive random walk, drifts through zero */
        state[2] += 0.05 * rng_normal();
        v[2] = state[2];
        /* v4: load with daily and yearly cycles */
        state[3] = 0.9 * state[3] + 0.1 * 3000.0 + 40.0 * rng_normal();
        v[3] = state[3] + 600.0 * daily[(h + 16) % 24] - 400.0 * season;
        /* v5: small AR(1) signal, some values tiny (exponent notation) */
        state[4] = 0.8 * state[4] + 0.001 * rng_normal();
        v[4] = state[4];
        /* v6: bounded random walk in [0, 100] */
        state[5] += 1.5 * rng_normal();
        if (state[5] < 0)
            state[5] = -state[5];
        if (state[5] > 100)
            state[5] = 200 - state[5];
        v[5] = state[5];
        /* v7: large positive volume with bursts, printed as an integer */
        state[6] = 0.95 * state[6] + 0.05 * 1.5e6 + 5e4 * rng_normal();
        if (state[6] < 1000)
            state[6] = 1000 + 1000 * rng_uniform();
        v[6] = state[6] * (rng_uniform() < 0.01 ? 3.0 : 1.0);
        /* v8: AR(1) noise around zero */
        state[7] = 0.5 * state[7] + rng_normal();
        v[7] = state[7];

        if (buf_cap - len < 512) {
            if (fwrite(buf, 1, len, fp) != len)
                goto write_error;
            written += len;
            len = 0;
        }
        n = snprintf(buf + len, buf_cap - len,
                     "%04d-%02d-%02dT%02d:00:00,%.2f,%.2f,%.6g,%.1f,%.6g,%.2f,%.0f,%.3f\n", y, mo,
                     d, h, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        if (n < 0 || (size_t)n >= buf_cap - len) {
            fprintf(stderr, "gen_csv: formatting failed\n");
            return 1;
        }
        len += (size_t)n;
        rows++;
    }
    if (len > 0 && fwrite(buf, 1, len, fp) != len)
        goto write_error;
    written += len;
    if (fflush(fp) != 0 || ferror(fp) || (!to_stdout && fclose(fp) != 0))
        goto write_error;
    free(buf);
    if (!to_stdout)
        printf("rows=%llu bytes=%llu\n", (unsigned long long)rows, (unsigned long long)written);
    return 0;

write_error:
    fprintf(stderr, "gen_csv: error writing '%s': %s\n", path, strerror(errno));
    free(buf);
    return 1;
}
