/* fuzz_ini.c - libFuzzer target for the INI reader of data sources
 * (xf_sources_load, the file behind `xfcast retrain --config`).
 *
 * The input is written to a temporary file and read as a sources file.
 * A file that loads must give sources with a name and a CSV path, options
 * inside their documented ranges, and a shard assignment that puts each
 * source in exactly one shard; a failure must report itself (status,
 * message, no sources).  Any crash, leak or sanitizer report is a bug.
 * Seeds: tests/data/fuzz-seeds-ini.  Build: ./configure CC=clang
 * --enable-fuzz --enable-sanitizers; `make fuzz-run`.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <xfcast.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    xf_source *src = NULL;
    size_t n = 0, i;
    xf_error err;
    FILE *f;
    int rc;
    if (path[0] == '\0')
        snprintf(path, sizeof path, "/tmp/fuzz-ini-%ld.conf", (long)getpid());
    if ((f = fopen(path, "wb")) == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    rc = xf_sources_load(path, &src, &n, &err);
    unlink(path);
    if (rc != XF_OK) {
        if (src != NULL || n != 0 || err.code != rc || err.message[0] == '\0')
            abort(); /* a failure must report itself */
        return 0;
    }
    for (i = 0; i < n; i++) {
        const xf_source *s = &src[i];
        int32_t k, in = 0;
        if (s->name == NULL || s->name[0] == '\0' || s->csv == NULL || s->csv[0] == '\0')
            abort();
        if (s->keep < 1 || !(s->tolerance >= 0.0 && s->tolerance < 10.0) ||
            (s->head.horizon < 1 && s->head.horizon != XF_AUTO))
            abort();
        for (k = 0; k < 3; k++)
            in += xf_source_in_shard(s, k, 3);
        if (in != 1)
            abort(); /* each source lies in exactly one shard */
    }
    xf_sources_free(src, n);
    return 0;
}
