/* bench_csv.c - time one xf_dataset_read_csv of a file.
 *
 *     bench/bench_csv FILE.csv
 *
 * Reads FILE with the default options and prints one line of key=value
 * pairs (FILE is not printed, so that every value is a single word):
 *
 *     reader=xfcast wall_s=1.234567 bytes=... rows=... series=8 values=...
 *     missing=0 freq=1h rss_base_kb=... rss_peak_kb=... checksum=...
 *
 * wall_s      CLOCK_MONOTONIC time of the xf_dataset_read_csv call alone;
 * rss_base_kb peak RSS of the process before the read (getrusage ru_maxrss);
 * rss_peak_kb peak RSS right after the read (the dataset is still alive);
 * checksum    sum of every value of every series (compensated summation,
 *             NaN skipped), to compare with other readers of the same file.
 * One process does one read: run it several times for a best-of-N, so that
 * each peak RSS belongs to one read.  Exit status 1 on a read error.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <xfcast.h>

static long peak_rss_kb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss; /* kilobytes on Linux */
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    xf_csv_options opts;
    xf_dataset *ds = NULL;
    xf_error err;
    struct stat st;
    double t0, t1, sum = 0, comp = 0;
    long rss_base, rss_peak;
    size_t i, k, n_series;
    long long n_values = 0, n_missing = 0;
    char freq[32] = "?";
    int rc;

    if (argc != 2 || argv[1][0] == '\0') {
        fprintf(stderr, "usage: bench_csv FILE.csv\n");
        return 2;
    }
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    xf_csv_options_init(&opts);
    xf_error_clear(&err);
    rss_base = peak_rss_kb();

    t0 = now_s();
    rc = xf_dataset_read_csv(argv[1], &opts, &ds, &err);
    t1 = now_s();
    rss_peak = peak_rss_kb();

    if (rc != XF_OK) {
        fprintf(stderr, "bench_csv: %s\n", err.message[0] ? err.message : xf_strerror(rc));
        return 1;
    }
    n_series = xf_dataset_n_series(ds);
    for (i = 0; i < n_series; i++) {
        const double *v = xf_dataset_series_values(ds, i);
        size_t n = xf_dataset_series_length(ds, i);
        for (k = 0; k < n; k++) {
            double x = v[k], t;
            if (isnan(x)) {
                n_missing++;
                continue;
            }
            /* Neumaier's compensated sum */
            t = sum + x;
            if (fabs(sum) >= fabs(x))
                comp += (sum - t) + x;
            else
                comp += (x - t) + sum;
            sum = t;
            n_values++;
        }
    }
    if (n_series > 0)
        xf_freq_format(xf_dataset_series_freq(ds, 0), freq, sizeof freq);
    for (i = 0; freq[i] != '\0'; i++) /* keep the value one word */
        if (freq[i] == ' ' || freq[i] == '=')
            freq[i] = '_';

    printf("reader=xfcast wall_s=%.6f bytes=%lld rows=%lld series=%zu values=%lld missing=%lld "
           "freq=%s rss_base_kb=%ld rss_peak_kb=%ld checksum=%.17g\n",
           t1 - t0, (long long)st.st_size, (long long)xf_dataset_n_rows(ds), n_series, n_values,
           n_missing, freq, rss_base, rss_peak, sum + comp);
    xf_dataset_free(ds);
    return 0;
}
