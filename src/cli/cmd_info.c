/* cmd_info.c - `xfcast info`: check a model file (.xfm) and show what it
 * holds.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const char cmd_info_usage[] =
    "usage: xfcast info MODEL.xfm [--format text|json]\n"
    "\n"
    "Check a model file (.xfm: a pretrained encoder, a fitted head, a head's\n"
    "part from 'fit --shard' or a model-store entry) and print what it holds:\n"
    "kind, format version, size and CRC32C, every metadata key with its type\n"
    "and value, and every tensor with its dtype, shape, element count and\n"
    "bytes, then the total number of parameters. The whole file is verified\n"
    "first (checksum and structure); the format is described in\n"
    "docs/model-format.md (a part's in docs/ARCHITECTURE.md).\n"
    "\n"
    "Options:\n"
    "  --format text|json   output format (default: text). Text abbreviates long\n"
    "                       arrays and strings; JSON gives every value in full,\n"
    "                       non-finite numbers as the strings \"nan\", \"inf\", \"-inf\"\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 success, 1 missing, unreadable or damaged file, 2 usage error.\n"
    "Example: xfcast info models/gru-base.xfm --format json\n";

#define TEXT_HEAD 6      /* array values shown before "..." in text output */
#define TEXT_TAIL 2      /* ... and after it */
#define TEXT_STR_MAX 120 /* bytes of a string value shown in text output */
#define NAME_COL_MAX 40  /* widest key/name column */

/* The shortest "%.*g" text that reads back as exactly v; "nan", "inf",
 * "-inf" for the non-finite values. */
static void fmt_double(char *buf, size_t n, double v)
{
    int prec;
    if (isnan(v)) {
        snprintf(buf, n, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, v < 0 ? "-inf" : "inf");
        return;
    }
    for (prec = 1; prec < 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
    snprintf(buf, n, "%.17g", v);
}

static void json_double(double v)
{
    char b[40];
    fmt_double(b, sizeof b, v);
    if (isfinite(v))
        fputs(b, stdout);
    else
        printf("\"%s\"", b); /* JSON has no NaN or infinity */
}

/* A string value for the text output: quoted, control characters escaped,
 * cut after TEXT_STR_MAX bytes (on a UTF-8 character boundary). */
static void text_string(const char *s)
{
    size_t len = strlen(s), show = len, i;
    if (show > TEXT_STR_MAX) {
        show = TEXT_STR_MAX;
        while (show > 0 && ((unsigned char)s[show] & 0xC0) == 0x80)
            show--;
    }
    putchar('"');
    for (i = 0; i < show; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c < 0x20 || c == 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('"');
    if (show < len)
        printf("... (%zu bytes)", len);
}

/* Value of metadata entry i.  Text output abbreviates long arrays and
 * strings; JSON gives everything. */
static void print_value(const xf_xfm *mf, size_t i, int json)
{
    const char *key = xf_xfm_meta_key(mf, i);
    char b[40];
    size_t n = 0, k;
    switch (xf_xfm_meta_type(mf, i)) {
    case XF_XFM_TYPE_U32: {
        uint32_t v = 0;
        xf_xfm_get_u32(mf, key, &v, NULL);
        printf("%lu", (unsigned long)v);
        break;
    }
    case XF_XFM_TYPE_I64: {
        int64_t v = 0;
        xf_xfm_get_i64(mf, key, &v, NULL);
        printf("%lld", (long long)v);
        break;
    }
    case XF_XFM_TYPE_F64: {
        double v = 0;
        xf_xfm_get_f64(mf, key, &v, NULL);
        if (json)
            json_double(v);
        else {
            fmt_double(b, sizeof b, v);
            fputs(b, stdout);
        }
        break;
    }
    case XF_XFM_TYPE_STR: {
        const char *v = "";
        xf_xfm_get_str(mf, key, &v, NULL);
        if (json)
            cli_json_string(stdout, v);
        else
            text_string(v);
        break;
    }
    case XF_XFM_TYPE_I64_ARRAY:
    case XF_XFM_TYPE_F64_ARRAY: {
        const int64_t *iv = NULL;
        const double *dv = NULL;
        int is_int = xf_xfm_meta_type(mf, i) == XF_XFM_TYPE_I64_ARRAY;
        if (is_int)
            xf_xfm_get_i64_array(mf, key, &iv, &n, NULL);
        else
            xf_xfm_get_f64_array(mf, key, &dv, &n, NULL);
        putchar('[');
        for (k = 0; k < n; k++) {
            if (!json && n > TEXT_HEAD + TEXT_TAIL + 1 && k == TEXT_HEAD) {
                fputs(", ...", stdout);
                k = n - TEXT_TAIL - 1;
                continue;
            }
            if (k > 0)
                fputs(", ", stdout);
            if (is_int)
                printf("%lld", (long long)iv[k]);
            else if (json)
                json_double(dv[k]);
            else {
                fmt_double(b, sizeof b, dv[k]);
                fputs(b, stdout);
            }
        }
        putchar(']');
        if (!json)
            printf(" (%zu value%s)", n, n == 1 ? "" : "s");
        break;
    }
    default:
        fputs(json ? "null" : "?", stdout); /* the loader refuses unknown types */
        break;
    }
}

static void shape_text(const xf_xfm *mf, size_t i, char *buf, size_t size)
{
    size_t k, nd = xf_xfm_tensor_n_dims(mf, i), used;
    const int64_t *d = xf_xfm_tensor_dims(mf, i);
    used = (size_t)snprintf(buf, size, "[");
    for (k = 0; k < nd && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, "%s%lld", k ? ", " : "", (long long)d[k]);
    if (used < size)
        snprintf(buf + used, size - used, "]");
}

static size_t width(size_t w, const char *s)
{
    size_t n = strlen(s);
    if (n > NAME_COL_MAX)
        n = NAME_COL_MAX;
    return n > w ? n : w;
}

static uint64_t n_params(const xf_xfm *mf)
{
    uint64_t total = 0;
    size_t i;
    for (i = 0; i < xf_xfm_n_tensors(mf); i++)
        total += xf_xfm_tensor_n_elems(mf, i);
    return total;
}

static uint64_t tensor_bytes(const xf_xfm *mf, size_t i)
{
    return (uint64_t)xf_xfm_tensor_n_elems(mf, i) * xf_xfm_dtype_size(xf_xfm_tensor_dtype(mf, i));
}

/* A head's data spec (the CSV options its head_key records, and its
 * covariates): "data spec:" lines in text, a "data_spec" object in JSON.
 * Nothing for other files and for heads saved without one. */
static void print_spec(const xf_xfm *mf, int json)
{
    size_t n, i, shown = 0;
    const xf_option *tab = xf_options(&n);
    char v[512];
    if (strcmp(xf_xfm_kind(mf), "head") != 0)
        return;
    for (i = 0; i < n; i++) {
        const xf_option *o = &tab[i];
        int cov = o->where == XF_OPT_IN_SOURCE && o->head_key != NULL;
        if ((o->where != XF_OPT_IN_CSV && !cov) || o->head_key == NULL)
            continue;
        if (xf_option_head_text(o, mf, v, sizeof v, NULL) != XF_OK) {
            if (!cov)
                continue;
            v[0] = '\0'; /* no covariates */
        } else if (!cov) {
            shown++;
        }
        if (shown == 0)
            continue; /* no spec recorded (an older head) */
        if (json) {
            printf("%s", shown == 1 && !cov ? ",\n  \"data_spec\": {" : ", ");
            cli_json_string(stdout, o->name);
            printf(": ");
            cli_json_string(stdout, v);
        } else {
            if (shown == 1 && !cov)
                printf("data spec:  how the data was read (forecasts read new data alike)\n");
            printf("  %-12s %s\n", o->name,
                   o->offset == offsetof(xf_csv_options, id_col) && strcmp(v, "none") == 0
                       ? "none (wide file)"
                   : v[0] != '\0' ? v
                   : cov          ? "none"
                                  : o->dflt);
        }
    }
    if (json && shown > 0)
        putchar('}');
}

static void print_text(const char *path, const xf_xfm *mf)
{
    size_t i, nm = xf_xfm_n_meta(mf), nt = xf_xfm_n_tensors(mf), kw = 3, tw = 4;
    char shape[XF_XFM_MAX_DIMS * 24];
    printf("file:       %s\n", path);
    printf("kind:       %s\n", xf_xfm_kind(mf));
    printf("format:     version %lu\n", (unsigned long)xf_xfm_format_version(mf));
    printf("size:       %llu bytes\n", (unsigned long long)xf_xfm_file_size(mf));
    printf("crc32c:     0x%08lx (verified)\n", (unsigned long)xf_xfm_file_crc32c(mf));
    if (strcmp(xf_xfm_kind(mf), "head-stats") == 0) {
        /* a part of a sharded fit: which shards, how many series */
        const int64_t *has = NULL;
        int64_t count = 0, series = 0, cands = 0;
        size_t nh = 0, k;
        xf_xfm_get_i64(mf, "shard.count", &count, NULL);
        xf_xfm_get_i64(mf, "data.series", &series, NULL);
        xf_xfm_get_i64(mf, "opt.candidates", &cands, NULL);
        xf_xfm_get_i64_array(mf, "shard.has", &has, &nh, NULL);
        printf("part:       shard%s", nh == 1 ? "" : "s");
        for (k = 0; k < nh && k < 8; k++)
            printf("%s%lld", k ? "," : " ", (long long)has[k]);
        printf("%s of %lld (0-based), %lld series, %lld candidate configuration%s; "
               "'xfcast fit --merge' makes the head\n",
               nh > 8 ? ",..." : "", (long long)count, (long long)series, (long long)cands,
               cands == 1 ? "" : "s");
    }
    printf("metadata:   %zu key%s\n", nm, nm == 1 ? "" : "s");
    for (i = 0; i < nm; i++)
        kw = width(kw, xf_xfm_meta_key(mf, i));
    for (i = 0; i < nm; i++) {
        printf("  %-*s  %-5s  ", (int)kw, xf_xfm_meta_key(mf, i),
               xf_xfm_type_name(xf_xfm_meta_type(mf, i)));
        print_value(mf, i, 0);
        putchar('\n');
    }
    printf("tensors:    %zu\n", nt);
    if (nt > 0) {
        for (i = 0; i < nt; i++)
            tw = width(tw, xf_xfm_tensor_name(mf, i));
        printf("  %-*s  %-5s  %-20s  %12s  %12s\n", (int)tw, "name", "dtype", "shape", "elements",
               "bytes");
        for (i = 0; i < nt; i++) {
            shape_text(mf, i, shape, sizeof shape);
            printf("  %-*s  %-5s  %-20s  %12zu  %12llu\n", (int)tw, xf_xfm_tensor_name(mf, i),
                   xf_xfm_dtype_name(xf_xfm_tensor_dtype(mf, i)), shape,
                   xf_xfm_tensor_n_elems(mf, i), (unsigned long long)tensor_bytes(mf, i));
        }
    }
    printf("elements:   %llu (all tensors)\n", (unsigned long long)n_params(mf));
    print_spec(mf, 0);
}

static void print_json(const char *path, const xf_xfm *mf)
{
    size_t i, k, nm = xf_xfm_n_meta(mf), nt = xf_xfm_n_tensors(mf);
    printf("{\"file\": ");
    cli_json_string(stdout, path);
    printf(", \"kind\": ");
    cli_json_string(stdout, xf_xfm_kind(mf));
    printf(", \"format_version\": %lu, \"file_size\": %llu, \"crc32c\": \"0x%08lx\",\n",
           (unsigned long)xf_xfm_format_version(mf), (unsigned long long)xf_xfm_file_size(mf),
           (unsigned long)xf_xfm_file_crc32c(mf));
    printf("  \"metadata\": [");
    for (i = 0; i < nm; i++) {
        printf("%s\n    {\"key\": ", i ? "," : "");
        cli_json_string(stdout, xf_xfm_meta_key(mf, i));
        printf(", \"type\": \"%s\", \"value\": ", xf_xfm_type_name(xf_xfm_meta_type(mf, i)));
        print_value(mf, i, 1);
        putchar('}');
    }
    printf("%s],\n  \"tensors\": [", nm ? "\n  " : "");
    for (i = 0; i < nt; i++) {
        const int64_t *d = xf_xfm_tensor_dims(mf, i);
        printf("%s\n    {\"name\": ", i ? "," : "");
        cli_json_string(stdout, xf_xfm_tensor_name(mf, i));
        printf(", \"dtype\": \"%s\", \"shape\": [", xf_xfm_dtype_name(xf_xfm_tensor_dtype(mf, i)));
        for (k = 0; k < xf_xfm_tensor_n_dims(mf, i); k++)
            printf("%s%lld", k ? ", " : "", (long long)d[k]);
        printf("], \"elements\": %zu, \"bytes\": %llu}", xf_xfm_tensor_n_elems(mf, i),
               (unsigned long long)tensor_bytes(mf, i));
    }
    printf("%s],\n  \"elements\": %llu", nt ? "\n  " : "", (unsigned long long)n_params(mf));
    print_spec(mf, 1);
    printf("}\n");
}

int cmd_info(int argc, char **argv)
{
    cli_args a;
    const char *pos, *file = NULL;
    xf_xfm *mf = NULL;
    xf_error err;
    int json = 0, kind, st;

    cli_args_init(&a, "info", argc, argv);
    while ((kind = cli_args_next(&a, &pos)) != 0) {
        if (kind == 3) {
            cli_print_command_help("info");
            return CLI_OK;
        }
        if (kind == 2) {
            if (file != NULL) {
                cli_error("info", "one model file at a time ('%s' is extra)", pos);
                return CLI_USAGE;
            }
            file = pos;
            continue;
        }
        if (strcmp(a.opt, "--format") == 0) {
            const char *v = cli_args_value(&a);
            if (v == NULL)
                return CLI_USAGE;
            if (strcmp(v, "json") == 0)
                json = 1;
            else if (strcmp(v, "text") == 0)
                json = 0;
            else {
                cli_error("info", "--format takes text or json, not '%s'", v);
                return CLI_USAGE;
            }
        } else {
            cli_error("info", "unknown option '%s'; see 'xfcast help info'", a.opt);
            return CLI_USAGE;
        }
    }
    if (file == NULL) {
        cli_error("info", "no model file; usage: xfcast info MODEL.xfm [--format text|json]");
        return CLI_USAGE;
    }
    if ((st = xf_xfm_load(file, &mf, &err)) != XF_OK) {
        cli_error("info", "%s", err.message);
        return cli_exit_code(st);
    }
    if (json)
        print_json(file, mf);
    else
        print_text(file, mf);
    xf_xfm_free(mf);
    return CLI_OK;
}
