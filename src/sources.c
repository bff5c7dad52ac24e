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
#include "xfcast/options.h"
#include "xfcast/retrain.h"

/* Every key/value of the file, by section, before defaults are applied. */
typedef struct kv {
    char *section, *key, *value;
} kv;

typedef struct ini_ctx {
    kv *items;
    size_t n, cap;
    char msg[400]; /* the first value error */
    int oom;
} ini_ctx;

static int on_item(void *user, const char *section, const char *name, const char *value)
{
    ini_ctx *c = user;
    kv *it;
    if (xf_option_find_ini(name) == NULL) {
        if (c->msg[0] == '\0')
            snprintf(c->msg, sizeof c->msg, "[%s]: unknown key '%s'", section, name);
        return 0;
    }
    if (section[0] == '\0') {
        if (c->msg[0] == '\0')
            snprintf(c->msg, sizeof c->msg,
                     "key '%s' outside any section (put it under "
                     "[defaults] or a source)",
                     name);
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
    for (i = 0; i < sizeof s->opt_str / sizeof s->opt_str[0]; i++)
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

/* Give the source its own copies of the CSV options' strings, which
 * xf_option_set left pointing into the parsed file: the i-th string option
 * of xf_csv_options in the table is kept in opt_str[i]; a path (holidays)
 * is made relative to the INI file's directory, dir. */
static int own_csv_strings(xf_source *s, const char *dir)
{
    xf_option_target t;
    const xf_option *tab;
    size_t n, i, k = 0;
    memset(&t, 0, sizeof t);
    t.csv = &s->csv_opts;
    tab = xf_options(&n);
    for (i = 0; i < n; i++) {
        const xf_option *o = &tab[i];
        const char *v;
        char **slot;
        if (o->where != XF_OPT_IN_CSV || (o->type != XF_OPT_STRING && o->type != XF_OPT_FREQ &&
                                          o->type != XF_OPT_LIST && o->type != XF_OPT_PATH))
            continue;
        if (k >= sizeof s->opt_str / sizeof s->opt_str[0])
            return -1; /* the table outgrew opt_str: a programming error */
        slot = &s->opt_str[k++];
        memcpy(&v, (char *)&s->csv_opts + o->offset, sizeof v);
        if (v == NULL)
            continue;
        if (o->type == XF_OPT_PATH && v[0] != '/' && v[0] != '\0') {
            /* a file named in the INI: relative to the INI file's directory */
            size_t need = strlen(dir) + strlen(v) + 2;
            if ((*slot = malloc(need)) == NULL)
                return -2;
            snprintf(*slot, need, "%s/%s", dir, v);
        } else if ((*slot = xf__strndup(v, strlen(v))) == NULL) {
            return -2;
        }
        memcpy((char *)&s->csv_opts + o->offset, slot, sizeof *slot);
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
    char dir[4096];
    const char *slash;
    int rc = XF_OK;
    *out = NULL;
    *n_out = 0;
    memset(&c, 0, sizeof c);
    if ((fp = fopen(path, "r")) == NULL)
        return xf__fail(err, errno == ENOMEM ? XF_ENOMEM : XF_EIO, 0, 0, "cannot open %s: %s", path,
                        strerror(errno));
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
            rc = xf__fail(err, XF_EPARSE, line, 0,
                          "%s:%d: not INI syntax (expected [section] "
                          "or key = value)",
                          path, line);
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
        int pass, r2;
        /* defaults first, then the source's own keys */
        for (pass = 0; pass < 2; pass++)
            for (i = 0; i < c.n; i++) {
                const char *sec = pass == 0 ? "defaults" : src[j].name;
                xf_option_target t;
                xf_error e;
                int r;
                if (strcmp(c.items[i].section, sec) != 0)
                    continue;
                t.head = &src[j].head;
                t.csv = &src[j].csv_opts;
                t.source = &src[j];
                t.base_dir = dir;
                r = xf_option_set(xf_option_find_ini(c.items[i].key), c.items[i].key,
                                  c.items[i].value, &t, &e);
                if (r == XF_ENOMEM) {
                    rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
                    goto done;
                }
                if (r != XF_OK) {
                    rc = xf__fail(err, XF_EINVAL, 0, 0, "%s: [%s] %s", path, sec, e.message);
                    goto done;
                }
            }
        if ((r2 = own_csv_strings(&src[j], dir)) != 0) {
            rc = xf__fail(err, r2 == -2 ? XF_ENOMEM : XF_EINVAL, 0, 0,
                          r2 == -2 ? "out of memory"
                                   : "internal error: more CSV strings than opt_str");
            goto done;
        }
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
