/* sources.c - the sources of `xfcast retrain`, read from an INI file with
 * libinih (the only file including <ini.h>).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "xf_internal.h"
#include "xfcast/retrain.h"

/* Every key/value of the file, by section, before defaults are applied. */
typedef struct kv {
    char *section, *key, *value;
} kv;

typedef struct ini_ctx {
    kv *items;
    size_t n, cap;
    char msg[400];   /* the first value error */
    int oom;
} ini_ctx;

static const char *const known_keys[] = {
    "csv", "time", "target", "id", "covariates", "horizon", "encoder", "levels", "holdout",
    "delimiter", "decimal", "time_format", "na_values", "freq", "gaps", "duplicates", "domain",
    "tolerance", "keep", "on_corrupt", "lags", "season", "max_windows", "calendar", NULL};

static int on_item(void *user, const char *section, const char *name, const char *value)
{
    ini_ctx *c = user;
    size_t i;
    kv *it;
    for (i = 0; known_keys[i] != NULL; i++)
        if (strcmp(name, known_keys[i]) == 0)
            break;
    if (known_keys[i] == NULL) {
        if (c->msg[0] == '\0')
            snprintf(c->msg, sizeof c->msg, "[%s]: unknown key '%s'", section, name);
        return 0;
    }
    if (section[0] == '\0') {
        if (c->msg[0] == '\0')
            snprintf(c->msg, sizeof c->msg, "key '%s' outside any section (put it under "
                     "[defaults] or a source)", name);
        return 0;
    }
    if (xf__grow((void **)&c->items, &c->cap, c->n + 1, sizeof *c->items) != 0) {
        c->oom = 1;
        return 0;
    }
    it = &c->items[c->n];
    it->section = xf__strndup(section, strlen(section));
    it->key = xf__strndup(name, strlen(name));
    it->value = xf__strndup(value, strlen(value));
    if (!it->section || !it->key || !it->value) {
        free(it->section);
        free(it->key);
        free(it->value);
        c->oom = 1;
        return 0;
    }
    c->n++;
    return 1;
}

static void src_free(xf_source *s)
{
    size_t i;
    free(s->name);
    free(s->csv);
    free(s->covariates);
    free(s->encoders);
    for (i = 0; i < 6; i++)
        free(s->opt_str[i]);
}

void xf_sources_free(xf_source *s, size_t n)
{
    size_t i;
    if (s == NULL)
        return;
    for (i = 0; i < n; i++)
        src_free(&s[i]);
    free(s);
}

static int set_str(char **dst, const char *v)
{
    free(*dst);
    return (*dst = xf__strndup(v, strlen(v))) == NULL ? -1 : 0;
}

static int parse_long(const char *v, long lo, long hi, long *out)
{
    char *end;
    long x;
    errno = 0;
    x = strtol(v, &end, 10);
    if (errno || end == v || *end != '\0' || x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

/* Apply one key to a source; a message in msg on a bad value. */
static int apply(xf_source *s, const char *dir, const char *key, const char *v, char *msg,
                 size_t mlen)
{
    long x;
    xf_error e;
    if (strcmp(key, "csv") == 0) {
        size_t need = strlen(dir) + strlen(v) + 2;
        char *p = malloc(need);
        if (p == NULL)
            return -2;
        if (v[0] == '/' || dir[0] == '\0')
            snprintf(p, need, "%s", v);
        else
            snprintf(p, need, "%s/%s", dir, v);
        free(s->csv);
        s->csv = p;
        return 0;
    }
    if (strcmp(key, "time") == 0)
        return set_str(&s->opt_str[0], v) ? -2 : 0;
    if (strcmp(key, "target") == 0)
        return set_str(&s->opt_str[1], v) ? -2 : 0;
    if (strcmp(key, "id") == 0)
        return set_str(&s->opt_str[2], v) ? -2 : 0;
    if (strcmp(key, "na_values") == 0)
        return set_str(&s->opt_str[3], v) ? -2 : 0;
    if (strcmp(key, "time_format") == 0)
        return set_str(&s->opt_str[5], v) ? -2 : 0;
    if (strcmp(key, "covariates") == 0)
        return set_str(&s->covariates, v) ? -2 : 0;
    if (strcmp(key, "encoder") == 0)
        return set_str(&s->encoders, v) ? -2 : 0;
    if (strcmp(key, "freq") == 0) {
        xf_freq f;
        if (xf_freq_parse(v, &f, &e) != XF_OK) {
            snprintf(msg, mlen, "%.300s", e.message);
            return -1;
        }
        return set_str(&s->opt_str[4], v) ? -2 : 0;
    }
    if (strcmp(key, "delimiter") == 0) {
        if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0)
            s->csv_opts.delimiter = '\t';
        else if (strlen(v) == 1)
            s->csv_opts.delimiter = v[0];
        else {
            snprintf(msg, mlen, "delimiter '%s' is not one character (or tab)", v);
            return -1;
        }
        return 0;
    }
    if (strcmp(key, "decimal") == 0) {
        if (strcmp(v, ".") != 0 && strcmp(v, ",") != 0) {
            snprintf(msg, mlen, "decimal '%s': expected '.' or ','", v);
            return -1;
        }
        s->csv_opts.decimal = v[0];
        return 0;
    }
    if (strcmp(key, "gaps") == 0) {
        if (strcmp(v, "keep") == 0)
            s->csv_opts.gaps = XF_GAPS_KEEP;
        else if (strcmp(v, "interpolate") == 0)
            s->csv_opts.gaps = XF_GAPS_INTERPOLATE;
        else if (strcmp(v, "error") == 0)
            s->csv_opts.gaps = XF_GAPS_ERROR;
        else {
            snprintf(msg, mlen, "gaps '%s': expected keep, interpolate or error", v);
            return -1;
        }
        return 0;
    }
    if (strcmp(key, "duplicates") == 0) {
        if (strcmp(v, "error") == 0)
            s->csv_opts.duplicates = XF_DUPS_ERROR;
        else if (strcmp(v, "last") == 0)
            s->csv_opts.duplicates = XF_DUPS_LAST;
        else if (strcmp(v, "mean") == 0)
            s->csv_opts.duplicates = XF_DUPS_MEAN;
        else {
            snprintf(msg, mlen, "duplicates '%s': expected error, last or mean", v);
            return -1;
        }
        return 0;
    }
    if (strcmp(key, "domain") == 0) {
        if (xf_domain_parse(v, &s->head.domain, &e) != XF_OK) {
            snprintf(msg, mlen, "%.300s", e.message);
            return -1;
        }
        return 0;
    }
    if (strcmp(key, "levels") == 0) {
        const char *p = v;
        s->head.n_levels = 0;
        if (strcmp(v, "none") == 0)
            return 0;
        while (*p != '\0') {
            char buf[32], *end;
            size_t len = strcspn(p, ",");
            double lv;
            if (len == 0 || len >= sizeof buf || s->head.n_levels >= XF_MAX_LEVELS) {
                snprintf(msg, mlen, "levels '%s': expected up to %d percentages like 80,95", v,
                         XF_MAX_LEVELS);
                return -1;
            }
            memcpy(buf, p, len);
            buf[len] = '\0';
            lv = strtod(buf, &end);
            if (*end != '\0' || !(lv > 0 && lv < 100)) {
                snprintf(msg, mlen, "levels: '%s' is not a percentage in (0, 100)", buf);
                return -1;
            }
            s->head.levels[s->head.n_levels++] = lv;
            p += len + (p[len] == ',');
        }
        return 0;
    }
    if (strcmp(key, "tolerance") == 0) {
        char *end;
        double t = strtod(v, &end);
        if (*end != '\0' || end == v || !(t >= 0 && t < 10)) {
            snprintf(msg, mlen, "tolerance '%s': expected a number in [0, 10) (0.02 = 2%%)", v);
            return -1;
        }
        s->tolerance = t;
        return 0;
    }
    if (strcmp(key, "calendar") == 0) {
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
            snprintf(msg, mlen, "calendar '%s': expected on or off", v);
            return -1;
        }
        s->head.calendar = v[1] == 'n' ? XF_AUTO : 0;
        return 0;
    }
    if (strcmp(key, "on_corrupt") == 0) {
        if (strcmp(v, "retrain") != 0 && strcmp(v, "skip") != 0) {
            snprintf(msg, mlen, "on_corrupt '%s': expected retrain or skip", v);
            return -1;
        }
        s->on_corrupt_skip = v[0] == 's';
        return 0;
    }
    /* whole numbers */
    {
        long lo = 1, hi = 100000000;
        if (strcmp(key, "lags") == 0)
            lo = 0;
        if (parse_long(v, lo, hi, &x) != 0) {
            snprintf(msg, mlen, "%s '%s': expected a whole number >= %ld", key, v, lo);
            return -1;
        }
        if (strcmp(key, "horizon") == 0)
            s->head.horizon = (int32_t)x;
        else if (strcmp(key, "holdout") == 0)
            s->holdout = (int32_t)x;
        else if (strcmp(key, "keep") == 0)
            s->keep = (int32_t)x;
        else if (strcmp(key, "lags") == 0)
            s->head.n_lags = (int32_t)x;
        else if (strcmp(key, "season") == 0)
            s->head.season = (int32_t)x;
        else
            s->head.max_windows = x;
    }
    return 0;
}

int xf_sources_load(const char *path, xf_source **out, size_t *n_out, xf_error *err)
{
    ini_ctx c;
    FILE *fp;
    int line;
    size_t i, j, n = 0, cap = 0;
    xf_source *src = NULL;
    char dir[4096], msg[400];
    const char *slash;
    int rc = XF_OK;
    *out = NULL;
    *n_out = 0;
    memset(&c, 0, sizeof c);
    if ((fp = fopen(path, "r")) == NULL)
        return xf__fail(err, errno == ENOMEM ? XF_ENOMEM : XF_EIO, 0, 0, "cannot open %s: %s",
                        path, strerror(errno));
    line = ini_parse_file(fp, on_item, &c);
    fclose(fp);
    if (c.oom) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    if (line != 0) {
        if (c.msg[0] != '\0')
            rc = xf__fail(err, XF_EINVAL, line, 0, "%s:%d: %s", path, line, c.msg);
        else
            rc = xf__fail(err, XF_EPARSE, line, 0, "%s:%d: not INI syntax (expected [section] "
                          "or key = value)", path, line);
        goto done;
    }
    /* CSV paths are relative to the INI file's directory, made absolute so
     * that statuses and logs name them unambiguously */
    slash = strrchr(path, '/');
    {
        char rel[4096], *abs;
        snprintf(rel, sizeof rel, "%.*s", slash != NULL ? (int)(slash - path) : 1,
                 slash != NULL ? path : ".");
        if (rel[0] == '\0')
            snprintf(rel, sizeof rel, "/");
        if ((abs = realpath(rel, NULL)) != NULL) {
            snprintf(dir, sizeof dir, "%s", abs);
            free(abs);
        } else {
            snprintf(dir, sizeof dir, "%s", rel);
        }
    }
    /* one source per section other than [defaults], in file order */
    for (i = 0; i < c.n; i++) {
        int seen = 0;
        if (strcmp(c.items[i].section, "defaults") == 0)
            continue;
        for (j = 0; j < n && !seen; j++)
            seen = strcmp(src[j].name, c.items[i].section) == 0;
        if (seen)
            continue;
        if (xf__grow((void **)&src, &cap, n + 1, sizeof *src) != 0) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        memset(&src[n], 0, sizeof src[n]);
        xf_csv_options_init(&src[n].csv_opts);
        xf_head_options_init(&src[n].head);
        src[n].holdout = XF_AUTO;
        src[n].tolerance = 0.02;
        src[n].keep = 5;
        if ((src[n].name = xf__strndup(c.items[i].section, strlen(c.items[i].section))) == NULL) {
            rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            goto done;
        }
        n++;
    }
    for (j = 0; j < n; j++) {
        int pass;
        /* defaults first, then the source's own keys */
        for (pass = 0; pass < 2; pass++)
            for (i = 0; i < c.n; i++) {
                const char *sec = pass == 0 ? "defaults" : src[j].name;
                int r;
                if (strcmp(c.items[i].section, sec) != 0)
                    continue;
                r = apply(&src[j], dir, c.items[i].key, c.items[i].value, msg, sizeof msg);
                if (r == -2) {
                    rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                    goto done;
                }
                if (r < 0) {
                    rc = xf__fail(err, XF_EINVAL, 0, 0, "%s: [%s] %s: %s", path, sec,
                                  c.items[i].key, msg);
                    goto done;
                }
            }
        src[j].csv_opts.time_col = src[j].opt_str[0];
        src[j].csv_opts.targets = src[j].opt_str[1];
        src[j].csv_opts.id_col = src[j].opt_str[2];
        src[j].csv_opts.na_values = src[j].opt_str[3];
        src[j].csv_opts.freq = src[j].opt_str[4];
        src[j].csv_opts.time_format = src[j].opt_str[5];
        if (src[j].csv == NULL) {
            rc = xf__fail(err, XF_EINVAL, 0, 0, "%s: [%s] has no 'csv' key", path, src[j].name);
            goto done;
        }
        if (xf_store_name_check(src[j].name, err) != XF_OK) {
            rc = XF_EINVAL;
            goto done;
        }
    }
    if (n == 0) {
        rc = xf__fail(err, XF_EINVAL, 0, 0, "%s: no source (one [section] per source)", path);
        goto done;
    }
    *out = src;
    *n_out = n;
    src = NULL;
done:
    xf_sources_free(src, n);
    for (i = 0; i < c.n; i++) {
        free(c.items[i].section);
        free(c.items[i].key);
        free(c.items[i].value);
    }
    free(c.items);
    return rc;
}

int xf_source_in_shard(const xf_source *s, int32_t shard, int32_t n_shards)
{
    uint64_t h;
    if (n_shards <= 1)
        return 1;
    h = xf__fnv1a(XF__FNV_OFFSET, s->name, strlen(s->name));
    return (int32_t)(h % (uint64_t)n_shards) == shard;
}
