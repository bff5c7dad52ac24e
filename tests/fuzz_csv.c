/* fuzz_csv.c - libFuzzer target for the CSV reader.
 *
 * The first two input bytes choose reader options (delimiter, decimal
 * separator, id column, policies, sniff size) and the chunk size the rest
 * is fed in, so option handling and chunk boundaries are explored too.
 * Any crash, leak, sanitizer report or reader/dataset inconsistency is a
 * bug.  Build: ./configure CC=clang --enable-fuzz --enable-sanitizers; then
 * `make fuzz-run`.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[4] = {0, ',', ';', '\t'};
    xf_csv_options o;
    xf_csv_reader *r = NULL;
    xf_dataset *ds = NULL;
    xf_error err;
    size_t chunk, off;
    int rc;
    if (size < 2)
        return 0;
    xf_csv_options_init(&o);
    o.delimiter = delims[data[0] & 3];
    o.decimal = (data[0] & 4) ? ',' : '.';
    if (o.decimal == ',' && o.delimiter == ',')
        o.delimiter = ';';
    o.gaps = (xf_gap_policy)((data[0] >> 3) % 3);
    o.duplicates = (xf_dup_policy)((data[0] >> 5) % 3);
    if (data[0] & 0x80)
        o.id_col = "2";
    o.sniff_rows = 1 + (data[1] & 7);
    if (data[1] & 8)
        o.freq = "1h";
    chunk = 1 + (size_t)(data[1] >> 4) * 37;
    data += 2;
    size -= 2;
    if (xf_csv_reader_new("fuzz.csv", &o, &r, &err) != XF_OK)
        abort();
    rc = XF_OK;
    for (off = 0; off < size && rc == XF_OK; off += chunk)
        rc = xf_csv_reader_feed(r, data + off, size - off < chunk ? size - off : chunk, &err);
    if (rc == XF_OK)
        rc = xf_csv_reader_finish(r, &ds, &err);
    xf_csv_reader_free(r);
    if (rc == XF_OK) {
        size_t i, k;
        if (ds == NULL || xf_dataset_n_series(ds) == 0)
            abort();
        for (i = 0; i < xf_dataset_n_series(ds); i++) {
            size_t n = xf_dataset_series_length(ds, i);
            const xf_time *t = xf_dataset_series_times(ds, i);
            const double *v = xf_dataset_series_values(ds, i);
            if (n == 0 || xf_dataset_series_id(ds, i) == NULL)
                abort();
            for (k = 0; k < n; k++) {
                if (k > 0 && t[k] <= t[k - 1])
                    abort(); /* the grid must be strictly increasing */
                if (isinf(v[k]))
                    abort(); /* values are finite or NaN (missing) */
            }
        }
    } else if (ds != NULL || err.code != rc || err.message[0] == '\0') {
        abort(); /* a failure must report itself */
    }
    xf_dataset_free(ds);
    return 0;
}
