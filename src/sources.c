/* sources.c - the sources of `xfcast retrain`, read from an INI file with
 * libinih (the only file including <ini.h>).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <ini.h>

#include "options_internal.h"
#include "xf_internal.h"
#include "xfcast/options.h"
#include "xfcast/retrain.h"

/* The file as read: its sections in file order (each once: a repeated
 * section is an error) and their keys, which follow their section's
 * header and so lie in one run of `items` per section. */
typedef struct kv {
    const xf_option *opt; /* the option the key names */
    char *key, *value;    /* as written */
    int line;
} kv;

typedef struct ini_section {
    char *name;      /* in full: libinih's own copy is cut to 49 bytes */
    int line;        /* of its [header] */
    size_t first, n; /* its keys: items[first .. first + n) */
} ini_section;

typedef struct ini_ctx {
    FILE *fp;
    char *buf; /* the line being read (getline) */
    size_t buf_cap;
    int line;     /* lines read so far: the number of the one libinih parses */
    int indented; /* that line starts with white space */
    kv *items;
    size_t n, cap;
    ini_section *secs;
    size_t n_secs, cap_secs;
    size_t cur;   /* the section of the keys that follow, SIZE_MAX before the first */
    size_t *slot; /* hash index of section names: section index + 1, 0 for empty */
    size_t n_slot;
    int err_line;  /* the line of the first error, 0 while there is none */
    int err_code;  /* its status (XF_EINVAL, XF_EPARSE, XF_EIO, XF_ENOMEM) */
    char msg[400]; /* its message, without the "FILE:LINE: " */
    int msg_line;  /* the message names the line itself: "FILE: " only */
} ini_ctx;

static int ctx_fail(ini_ctx *c, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records the first error (at the current line); returns 0 for libinih. */
static int ctx_fail(ini_ctx *c, int code, const char *fmt, ...)
{
    va_list ap;
    if (c->err_line != 0)
        return 0;
    c->err_line = c->line > 0 ? c->line : 1;
    c->err_code = code;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    return 0;
}

static uint64_t name_hash(const char *s)
{
    return xf__fnv1a(XF__FNV_OFFSET, s, strlen(s));
}

/* The section named `name`, or SIZE_MAX. */
static size_t section_find(const ini_ctx *c, const char *name)
{
    size_t i;
    if (c->n_slot == 0)
        return SIZE_MAX;
    for (i = (size_t)name_hash(name) & (c->n_slot - 1); c->slot[i] != 0;
         i = (i + 1) & (c->n_slot - 1))
        if (strcmp(c->secs[c->slot[i] - 1].name, name) == 0)
            return c->slot[i] - 1;
    return SIZE_MAX;
}

/* Indexes section k (the table kept at most half full). */
static int section_index(ini_ctx *c, size_t k)
{
    size_t i, j;
    if (2 * (c->n_secs + 1) > c->n_slot) {
        size_t m = c->n_slot != 0 ? 2 * c->n_slot : 64, *t = calloc(m, sizeof *t);
        if (t == NULL)
            return -1;
        for (j = 0; j < c->n_slot; j++) {
            if (c->slot[j] == 0)
                continue;
            for (i = (size_t)name_hash(c->secs[c->slot[j] - 1].name) & (m - 1); t[i] != 0;
                 i = (i + 1) & (m - 1))
                ;
            t[i] = c->slot[j];
        }
        free(c->slot);
        c->slot = t;
        c->n_slot = m;
    }
    for (i = (size_t)name_hash(c->secs[k].name) & (c->n_slot - 1); c->slot[i] != 0;
         i = (i + 1) & (c->n_slot - 1))
        ;
    c->slot[i] = k + 1;
    return 0;
}

/* A [header] line read: its section in full, checked as a source name
 * (the store's rules) and for a repeat. */
static void on_header(ini_ctx *c, const char *name, size_t len)
{
    ini_section *s;
    size_t k;
    xf_error e;
    if (xf__grow((void **)&c->secs, &c->cap_secs, c->n_secs + 1, sizeof *c->secs) != 0) {
        ctx_fail(c, XF_ENOMEM, "out of memory");
        return;
    }
    s = &c->secs[c->n_secs];
    memset(s, 0, sizeof *s);
    if ((s->name = xf__strndup(name, len)) == NULL) {
        ctx_fail(c, XF_ENOMEM, "out of memory");
        return;
    }
    s->line = c->line;
    s->first = c->n;
    if ((k = section_find(c, s->name)) != SIZE_MAX) {
        char q[80];
        xf__quote(q, sizeof q, s->name, len, 60);
        ctx_fail(c, XF_EINVAL,
                 "section [%s] repeats the one at line %d (one section per source: "
                 "merge them)",
                 q, c->secs[k].line);
        free(s->name);
        return;
    }
    if (strcmp(s->name, "defaults") != 0 && xf_store_name_check(s->name, &e) != XF_OK) {
        ctx_fail(c, XF_EINVAL, "%s", e.message);
        free(s->name);
        return;
    }
    if (section_index(c, c->n_secs) != 0) {
        ctx_fail(c, XF_ENOMEM, "out of memory");
        free(s->name);
        return;
    }
    c->cur = c->n_secs++;
}

/* libinih's reader: one line of the file per call, as fgets would give
 * it, after checking its length against the parser's buffer (libinih
 * would cut a longer line in two and parse the rest as another line) and
 * noting what libinih will make of it: a [header] (whose name libinih
 * cuts to 49 bytes: the name is kept here in full) or an indented line (a
 * continuation when it follows a key).  NULL ends the parse: at the end
 * of the file, or at the first error. */
static char *read_line(char *str, int num, void *stream)
{
    ini_ctx *c = stream;
    ssize_t got;
    /* the documented limit, or less where libinih's buffer is smaller */
    size_t len, body,
        limit =
            num - 3 < XF__LIM_INI_LINE ? (num > 3 ? (size_t)num - 3 : 0) : (size_t)XF__LIM_INI_LINE;
    const char *p, *q;
    if (c->err_line != 0)
        return NULL;
    errno = 0;
    if ((got = getline(&c->buf, &c->buf_cap, c->fp)) < 0) {
        if (ferror(c->fp) || errno == ENOMEM) {
            c->line++;
            ctx_fail(c, errno == ENOMEM ? XF_ENOMEM : XF_EIO, "read error: %s",
                     strerror(errno != 0 ? errno : EIO));
        }
        return NULL;
    }
    c->line++;
    len = (size_t)got;
    body = len;
    if (body > 0 && c->buf[body - 1] == '\n')
        body--;
    if (body > 0 && c->buf[body - 1] == '\r')
        body--;
    if (memchr(c->buf, '\0', len) != NULL) {
        ctx_fail(c, XF_EPARSE, "line %d contains a NUL byte (not a text file?)", c->line);
        c->msg_line = 1;
        return NULL;
    }
    if (body > limit) {
        ctx_fail(c, XF_EPARSE, "line %d is longer than the INI limit of %zu characters (%zu)",
                 c->line, limit, body);
        c->msg_line = 1;
        return NULL;
    }
    memcpy(str, c->buf, len + 1);
    p = c->buf;
    if (c->line == 1 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;
    c->indented = *p == ' ' || *p == '\t';
    while (*p != '\0' && isspace((unsigned char)*p))
        p++;
    if (*p == '[' && (q = strchr(p + 1, ']')) != NULL)
        on_header(c, p + 1, (size_t)(q - p - 1));
    return str;
}

static int on_item(void *user, const char *section, const char *name, const char *value)
{
    ini_ctx *c = user;
    const xf_option *o;
    ini_section *s;
    kv *it;
    size_t k;
    (void)section; /* libinih's copy, cut to 49 bytes: c->secs[c->cur] holds it in full */
    if (c->err_line != 0)
        return 0;
    if (c->cur == SIZE_MAX)
        return ctx_fail(c, XF_EINVAL,
                        "key '%s' outside any section (put it under [defaults] or a source)", name);
    s = &c->secs[c->cur];
    /* libinih reads an indented line after a key as more of its value */
    if (c->indented && s->n > 0 && c->items[c->n - 1].line < c->line &&
        strcmp(c->items[c->n - 1].key, name) == 0)
        return ctx_fail(c, XF_EINVAL,
                        "[%s]: this indented line would continue the value of '%s' (line %d); "
                        "values are one line: remove the indentation",
                        s->name, name, c->items[c->n - 1].line);
    if ((o = xf_option_find_ini(name)) == NULL)
        return ctx_fail(c, XF_EINVAL, "[%s]: unknown key '%s'", s->name, name);
    for (k = s->first; k < s->first + s->n; k++)
        if (c->items[k].opt == o) {
            if (strcmp(c->items[k].key, name) == 0)
                return ctx_fail(c, XF_EINVAL, "[%s]: key '%s' repeats line %d", s->name, name,
                                c->items[k].line);
            return ctx_fail(c, XF_EINVAL,
                            "[%s]: key '%s' repeats '%s' of line %d (the same option)", s->name,
                            name, c->items[k].key, c->items[k].line);
        }
    if (xf__grow((void **)&c->items, &c->cap, c->n + 1, sizeof *c->items) != 0)
        return ctx_fail(c, XF_ENOMEM, "out of memory");
    it = &c->items[c->n];
    it->opt = o;
    it->line = c->line;
    it->key = xf__strndup(name, strlen(name));
    it->value = xf__strndup(value, strlen(value));
    if (!it->key || !it->value) {
        free(it->key);
        free(it->value);
        return ctx_fail(c, XF_ENOMEM, "out of memory");
    }
    c->n++;
    s->n++;
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

/* Applies section k's keys to source s; the first failure is reported at
 * its line. */
static int apply_section(const ini_ctx *c, size_t k, xf_source *s, const char *path,
                         const char *dir, xf_error *err)
{
    const ini_section *sec = &c->secs[k];
    size_t i;
    for (i = sec->first; i < sec->first + sec->n; i++) {
        const kv *it = &c->items[i];
        xf_option_target t;
        xf_error e;
        int r;
        t.head = &s->head;
        t.csv = &s->csv_opts;
        t.source = s;
        t.base_dir = dir;
        r = xf_option_set(it->opt, it->key, it->value, &t, &e);
        if (r == XF_ENOMEM)
            return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        if (r != XF_OK)
            return xf__fail(err, XF_EINVAL, it->line, 0, "%s:%d: [%s] %s", path, it->line,
                            sec->name != NULL ? sec->name : s->name, e.message);
    }
    return XF_OK;
}

/* The directory of the INI file, absolute when it can be made so: CSV
 * paths are relative to it, made absolute so that statuses and logs name
 * them unambiguously. */
static void ini_dir(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    char rel[4096], *abs;
    snprintf(rel, sizeof rel, "%.*s", slash != NULL ? (int)(slash - path) : 1,
             slash != NULL ? path : ".");
    if (rel[0] == '\0')
        snprintf(rel, sizeof rel, "/");
    if ((abs = realpath(rel, NULL)) != NULL) {
        snprintf(dir, n, "%s", abs);
        free(abs);
    } else {
        snprintf(dir, n, "%s", rel);
    }
}

int xf_sources_load(const char *path, xf_source **out, size_t *n_out, xf_error *err)
{
    ini_ctx c;
    int line;
    size_t i, k, n = 0, defaults = SIZE_MAX;
    xf_source *src = NULL;
    char dir[4096];
    int rc = XF_OK;
    *out = NULL;
    *n_out = 0;
    memset(&c, 0, sizeof c);
    c.cur = SIZE_MAX;
    if ((c.fp = fopen(path, "r")) == NULL)
        return xf__fail(err, errno == ENOMEM ? XF_ENOMEM : XF_EIO, 0, 0, "cannot open %s: %s", path,
                        strerror(errno));
    /* one pass over the file: sections and keys kept with their lines, each
     * checked once (hash index of section names, a section's own keys) */
    line = ini_parse_stream(read_line, &c, on_item, &c);
    fclose(c.fp);
    free(c.buf);
    if (c.err_code == XF_ENOMEM) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    if (line > 0 && (c.err_line == 0 || line < c.err_line)) {
        rc = xf__fail(err, XF_EPARSE, line, 0,
                      "%s:%d: not INI syntax (expected [section] or key = value)", path, line);
        goto done;
    }
    if (c.err_line != 0) {
        if (c.msg_line)
            rc = xf__fail(err, c.err_code, c.err_line, 0, "%s: %s", path, c.msg);
        else
            rc = xf__fail(err, c.err_code, c.err_line, 0, "%s:%d: %s", path, c.err_line, c.msg);
        goto done;
    }
    ini_dir(path, dir, sizeof dir);
    /* one source per section other than [defaults], in file order: the
     * defaults' keys first, then its own */
    defaults = section_find(&c, "defaults");
    if ((src = xf__malloc_array(c.n_secs + 1, sizeof *src)) == NULL) {
        rc = xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
        goto done;
    }
    for (k = 0; k < c.n_secs; k++) {
        xf_source *s = &src[n];
        int r2;
        if (k == defaults)
            continue;
        memset(s, 0, sizeof *s);
        xf_csv_options_init(&s->csv_opts);
        xf_head_options_init(&s->head);
        s->holdout = XF_AUTO;
        s->tolerance = 0.02;
        s->keep = 5;
        s->name = c.secs[k].name;
        c.secs[k].name = NULL; /* the source's now */
        n++;
        if ((defaults != SIZE_MAX &&
             (rc = apply_section(&c, defaults, s, path, dir, err)) != XF_OK) ||
            (rc = apply_section(&c, k, s, path, dir, err)) != XF_OK)
            goto done;
        if ((r2 = own_csv_strings(s, dir)) != 0) {
            rc = xf__fail(err, r2 == -2 ? XF_ENOMEM : XF_EINVAL, 0, 0,
                          r2 == -2 ? "out of memory"
                                   : "internal error: more CSV strings than opt_str");
            goto done;
        }
        if (s->csv == NULL) {
            rc = xf__fail(err, XF_EINVAL, c.secs[k].line, 0, "%s:%d: [%s] has no 'csv' key", path,
                          c.secs[k].line, s->name);
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
        free(c.items[i].key);
        free(c.items[i].value);
    }
    for (k = 0; k < c.n_secs; k++)
        free(c.secs[k].name);
    free(c.items);
    free(c.secs);
    free(c.slot);
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
