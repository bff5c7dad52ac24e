/* test_plot.c - unit tests of xfcast/plot.h: SVG forecast plots.
 *
 * Every picture is run through a small XML well-formedness checker written
 * here (UTF-8, balanced and nested tags, quoted attributes, escaped text,
 * one <svg> root) and, when xmllint is installed, through xmllint as well.
 * The tests then look for the elements and the dated tick labels each span
 * should give, and provoke every error condition.
 *
 * With XF_PLOT_EXAMPLE set in the environment, an example is written to
 * /tmp/plot_example.svg (and /tmp/plot_example.png when rsvg-convert is
 * installed) for a person to look at; with XF_PLOT_DUMP=DIR set, every
 * picture the tests draw is kept in DIR.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xfcast.h>
#include <xfcast/plot.h>

#include "testutil.h"

#define US_SEC INT64_C(1000000)
#define US_HOUR (3600 * US_SEC)
#define US_DAY INT64_C(86400000000)

/* ------------------------------------------------------------ XML checker */

typedef struct xml_checker {
    const char *s; /* document */
    size_t n, i;   /* length, position */
    char why[200]; /* first problem found */
} xml_checker;

static int xml_bad(xml_checker *x, const char *what)
{
    snprintf(x->why, sizeof x->why, "%s at byte %zu", what, x->i);
    return 0;
}

static int is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}

static int is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whole document valid UTF-8 (no overlongs, surrogates or controls but
 * tab/LF/CR)? */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], len, k, cp, min;
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return 0;
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2, cp = c & 0x1f, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3, cp = c & 0x0f, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (i + len > n)
            return 0;
        for (k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
            cp == 0xffff)
            return 0;
        i += len;
    }
    return 1;
}

/* An entity reference at x->i (which is '&'); advances past it. */
static int xml_entity(xml_checker *x)
{
    static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    size_t k, j;
    for (k = 0; k < 5; k++) {
        size_t l = strlen(named[k]);
        if (x->n - x->i >= l && memcmp(x->s + x->i, named[k], l) == 0) {
            x->i += l;
            return 1;
        }
    }
    j = x->i + 1;
    if (j < x->n && x->s[j] == '#') {
        int hex = j + 1 < x->n && x->s[j + 1] == 'x';
        size_t start;
        j += hex ? 2 : 1;
        start = j;
        while (j < x->n &&
               (hex ? strchr("0123456789abcdefABCDEF", x->s[j]) != NULL
                    : (x->s[j] >= '0' && x->s[j] <= '9')) &&
               x->s[j] != '\0')
            j++;
        if (j > start && j < x->n && x->s[j] == ';') {
            x->i = j + 1;
            return 1;
        }
    }
    return xml_bad(x, "raw '&' or unknown entity");
}

static int xml_name(xml_checker *x, const char **name, size_t *len)
{
    size_t start = x->i;
    if (x->i >= x->n || !is_name_start(x->s[x->i]))
        return xml_bad(x, "expected a name");
    while (x->i < x->n && is_name_char(x->s[x->i]))
        x->i++;
    *name = x->s + start;
    *len = x->i - start;
    return 1;
}

static void xml_skip_space(xml_checker *x)
{
    while (x->i < x->n && is_space(x->s[x->i]))
        x->i++;
}

/* A start tag at x->i (just after '<'); sets *empty for "/>". */
static int xml_start_tag(xml_checker *x, const char **name, size_t *len, int *empty)
{
    const char *attr[64];
    size_t attr_len[64], n_attr = 0, k;
    if (!xml_name(x, name, len))
        return 0;
    for (;;) {
        size_t before = x->i;
        const char *an;
        size_t al;
        char q;
        xml_skip_space(x);
        if (x->i >= x->n)
            return xml_bad(x, "unterminated tag");
        if (x->s[x->i] == '>') {
            x->i++;
            *empty = 0;
            return 1;
        }
        if (x->s[x->i] == '/') {
            if (x->i + 1 >= x->n || x->s[x->i + 1] != '>')
                return xml_bad(x, "'/' not followed by '>'");
            x->i += 2;
            *empty = 1;
            return 1;
        }
        if (x->i == before)
            return xml_bad(x, "no space before an attribute");
        if (!xml_name(x, &an, &al))
            return 0;
        for (k = 0; k < n_attr; k++)
            if (attr_len[k] == al && memcmp(attr[k], an, al) == 0)
                return xml_bad(x, "duplicate attribute");
        if (n_attr < 64) {
            attr[n_attr] = an;
            attr_len[n_attr++] = al;
        }
        xml_skip_space(x);
        if (x->i >= x->n || x->s[x->i] != '=')
            return xml_bad(x, "attribute without '='");
        x->i++;
        xml_skip_space(x);
        if (x->i >= x->n || (x->s[x->i] != '"' && x->s[x->i] != '\''))
            return xml_bad(x, "unquoted attribute value");
        q = x->s[x->i++];
        while (x->i < x->n && x->s[x->i] != q) {
            if (x->s[x->i] == '<')
                return xml_bad(x, "'<' in an attribute value");
            if (x->s[x->i] == '&') {
                if (!xml_entity(x))
                    return 0;
            } else {
                x->i++;
            }
        }
        if (x->i >= x->n)
            return xml_bad(x, "unterminated attribute value");
        x->i++;
    }
}

/* Check that s[0..n) is a well-formed XML document with a single <svg>
 * root.  On failure fills why. */
static int xml_well_formed(const char *s, size_t n, char *why, size_t why_n)
{
    xml_checker x;
    const char *stack[64];
    size_t stack_len[64], depth = 0, roots = 0;
    int ok = 1;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.n = n;
    if (!utf8_valid((const unsigned char *)s, n)) {
        ok = xml_bad(&x, "not valid UTF-8 XML characters");
        goto done;
    }
    if (n < 5 || memcmp(s, "<?xml", 5) != 0) {
        ok = xml_bad(&x, "no XML declaration at the start");
        goto done;
    }
    while (x.i < n && ok) {
        if (s[x.i] == '<') {
            if (n - x.i >= 4 && memcmp(s + x.i, "<!--", 4) == 0) {
                const char *end = strstr(s + x.i + 4, "--");
                if (end == NULL || end[2] != '>') {
                    ok = xml_bad(&x, "bad comment");
                    break;
                }
                x.i = (size_t)(end - s) + 3;
            } else if (n - x.i >= 2 && s[x.i + 1] == '?') {
                const char *end = strstr(s + x.i + 2, "?>");
                if (end == NULL || (x.i > 0 && memcmp(s + x.i, "<?xml ", 6) == 0)) {
                    ok = xml_bad(&x, "bad processing instruction");
                    break;
                }
                x.i = (size_t)(end - s) + 2;
            } else if (n - x.i >= 2 && s[x.i + 1] == '/') {
                const char *name;
                size_t len;
                x.i += 2;
                if (!(ok = xml_name(&x, &name, &len)))
                    break;
                xml_skip_space(&x);
                if (x.i >= n || s[x.i] != '>') {
                    ok = xml_bad(&x, "bad end tag");
                    break;
                }
                x.i++;
                if (depth == 0 || stack_len[depth - 1] != len ||
                    memcmp(stack[depth - 1], name, len) != 0) {
                    ok = xml_bad(&x, "end tag does not match the open element");
                    break;
                }
                depth--;
            } else {
                const char *name;
                size_t len;
                int empty;
                x.i++;
                if (!(ok = xml_start_tag(&x, &name, &len, &empty)))
                    break;
                if (depth == 0) {
                    if (++roots > 1 || len != 3 || memcmp(name, "svg", 3) != 0) {
                        ok = xml_bad(&x, "root is not a single <svg>");
                        break;
                    }
                }
                if (!empty) {
                    if (depth == 64) {
                        ok = xml_bad(&x, "too deep");
                        break;
                    }
                    stack[depth] = name;
                    stack_len[depth++] = len;
                }
            }
        } else if (s[x.i] == '&') {
            ok = xml_entity(&x);
            if (ok && depth == 0)
                ok = xml_bad(&x, "text outside the root");
        } else {
            if (s[x.i] == '>' && x.i >= 2 && s[x.i - 1] == ']' && s[x.i - 2] == ']') {
                ok = xml_bad(&x, "']]>' in text");
                break;
            }
            if (depth == 0 && !is_space(s[x.i])) {
                ok = xml_bad(&x, "text outside the root");
                break;
            }
            x.i++;
        }
    }
    if (ok && depth != 0)
        ok = xml_bad(&x, "unclosed element");
    if (ok && roots != 1)
        ok = xml_bad(&x, "no root element");
done:
    if (!ok)
        snprintf(why, why_n, "%s", x.why);
    return ok;
}

static void test_checker(void)
{
    static const char *const good[] = {
        "<?xml version=\"1.0\"?>\n<svg a=\"1\" b='&amp;'><g/><t>x &lt; y &#38; &#x26;</t></svg>\n",
        "<?xml version=\"1.0\"?><svg><!-- c --><g></g></svg>",
    };
    static const char *const bad[] = {
        "<svg></svg>",                                        /* no declaration */
        "<?xml version=\"1.0\"?><svg><g></svg>",              /* unclosed g */
        "<?xml version=\"1.0\"?><svg><g></h></svg>",          /* mismatched */
        "<?xml version=\"1.0\"?><svg a=1></svg>",             /* unquoted */
        "<?xml version=\"1.0\"?><svg>a & b</svg>",            /* raw & */
        "<?xml version=\"1.0\"?><svg>a < b</svg>",            /* raw < */
        "<?xml version=\"1.0\"?><svg a=\"<\"></svg>",         /* < in attribute */
        "<?xml version=\"1.0\"?><svg></svg><svg></svg>",      /* two roots */
        "<?xml version=\"1.0\"?><html></html>",               /* wrong root */
        "<?xml version=\"1.0\"?><svg a=\"1\" a=\"2\"></svg>", /* duplicate */
        "<?xml version=\"1.0\"?><svg>\xff</svg>",             /* bad UTF-8 */
        "<?xml version=\"1.0\"?><svg>&bogus;</svg>",          /* unknown entity */
        "<?xml version=\"1.0\"?><svg/>x",                     /* text after root */
    };
    char why[200];
    size_t i;
    for (i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK_MSG(xml_well_formed(good[i], strlen(good[i]), why, sizeof why), "%s", why);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_MSG(!xml_well_formed(bad[i], strlen(bad[i]), why, sizeof why), "accepted %s", bad[i]);
}

/* ------------------------------------------------------------ fixtures */

/* A plot's arrays, owned. */
typedef struct fixture {
    xf_plot_data d;
    xf_time *ht, *ft;
    double *hy, *mean, *lo, *hi, *actual, levels[8];
} fixture;

static void *xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(99);
    }
    return p;
}

/* History of n_h points and a forecast of n_f steps on a fixed grid
 * (start, step), a seasonal pattern with trend, and intervals widening with
 * the horizon at the given levels. */
static void fixture_make(fixture *f, xf_time start, int64_t step, size_t n_h, size_t n_f,
                         size_t n_levels, int with_actual)
{
    static const double z[8] = {1.2816, 1.96, 0.6745, 1.6449, 2.5758, 0.2533, 1.0364, 3.0};
    static const double lv[8] = {80, 95, 50, 90, 99, 20, 70, 99.73};
    size_t i, l;
    memset(f, 0, sizeof *f);
    f->ht = xmalloc(n_h * sizeof *f->ht);
    f->hy = xmalloc(n_h * sizeof *f->hy);
    f->ft = xmalloc(n_f * sizeof *f->ft);
    f->mean = xmalloc(n_f * sizeof *f->mean);
    f->lo = xmalloc(n_levels * n_f * sizeof *f->lo);
    f->hi = xmalloc(n_levels * n_f * sizeof *f->hi);
    f->actual = with_actual ? xmalloc(n_f * sizeof *f->actual) : NULL;
    for (i = 0; i < n_h + n_f; i++) {
        double v = 41.385 + 0.0237 * (double)i + 6.25 * sin((double)i * 2.0 * M_PI / 24.0) +
                   1.5 * sin((double)i * 0.731);
        if (i < n_h) {
            f->ht[i] = start + (int64_t)i * step;
            f->hy[i] = v;
        } else {
            size_t h = i - n_h;
            f->ft[h] = start + (int64_t)i * step;
            f->mean[h] = 41.385 + 0.0237 * (double)i + 6.25 * sin((double)i * 2.0 * M_PI / 24.0);
            if (with_actual)
                f->actual[h] = v;
            for (l = 0; l < n_levels; l++) {
                double w = z[l] * 1.1 * sqrt((double)h + 1.0);
                f->lo[l * n_f + h] = f->mean[h] - w;
                f->hi[l * n_f + h] = f->mean[h] + w;
            }
        }
    }
    for (l = 0; l < n_levels; l++)
        f->levels[l] = lv[l];
    f->d.title = "series";
    f->d.n_history = n_h;
    f->d.history_t = f->ht;
    f->d.history_y = f->hy;
    f->d.n_forecast = n_f;
    f->d.forecast_t = f->ft;
    f->d.mean = f->mean;
    f->d.n_levels = n_levels;
    f->d.levels = f->levels;
    f->d.lo = f->lo;
    f->d.hi = f->hi;
    f->d.actual = f->actual;
}

static void fixture_free(fixture *f)
{
    free(f->ht);
    free(f->hy);
    free(f->ft);
    free(f->mean);
    free(f->lo);
    free(f->hi);
    free(f->actual);
}

static xf_time iso(const char *s)
{
    xf_time t = 0;
    if (xf_time_parse_iso(s, strlen(s), &t) != XF_OK) {
        fprintf(stderr, "bad fixture time %s\n", s);
        exit(99);
    }
    return t;
}

/* ------------------------------------------------------------ checks */

static size_t count(const char *s, const char *what)
{
    size_t n = 0, l = strlen(what);
    const char *p = s;
    while ((p = strstr(p, what)) != NULL) {
        n++;
        p += l;
    }
    return n;
}

static int has(const char *s, const char *what)
{
    return strstr(s, what) != NULL;
}

/* Contents of the d attribute of the first element with class `cls` (into
 * buf, size n); "" when there is none. */
static void path_d(const char *svg, const char *cls, char *buf, size_t n)
{
    char key[64];
    const char *p, *q, *e;
    buf[0] = '\0';
    snprintf(key, sizeof key, "class=\"%s\"", cls);
    p = strstr(svg, key);
    if (p == NULL)
        return;
    e = strchr(p, '>');
    q = strstr(p, " d=\"");
    if (q == NULL || (e != NULL && q > e))
        return;
    q += 4;
    e = strchr(q, '"');
    if (e == NULL)
        return;
    snprintf(buf, n, "%.*s", (int)(e - q), q);
}

static int xmllint_present = -1; /* -1 = not looked for yet */
static int xmllint_skip = 0;     /* set around the many random plots */

/* Validate with xmllint when it is installed. */
static void check_xmllint(const char *svg, size_t len)
{
    char path[256], cmd[400];
    const char *dir = getenv("TMPDIR");
    FILE *fp;
    int fd;
    if (xmllint_present < 0)
        xmllint_present = system("command -v xmllint >/dev/null 2>&1") == 0;
    if (!xmllint_present || xmllint_skip)
        return;
    snprintf(path, sizeof path, "%s/test_plot_XXXXXX", dir != NULL && dir[0] ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0)
        return;
    fp = fdopen(fd, "wb");
    if (fp == NULL) {
        close(fd);
        unlink(path);
        return;
    }
    CHECK(fwrite(svg, 1, len, fp) == len);
    CHECK(fclose(fp) == 0);
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
    CHECK_MSG(system(cmd) == 0, "xmllint rejected the SVG (kept in %s)", path);
    unlink(path);
}

/* With XF_PLOT_DUMP=DIR in the environment, keep every picture as
 * DIR/<name>.svg for a person to look at. */
static void dump(const char *svg, const char *name)
{
    const char *dir = getenv("XF_PLOT_DUMP");
    char path[512];
    size_t i, k;
    FILE *fp;
    if (dir == NULL || dir[0] == '\0')
        return;
    k = (size_t)snprintf(path, sizeof path, "%s/", dir);
    for (i = 0; name[i] != '\0' && k + 5 < sizeof path; i++)
        path[k++] = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9')
                        ? name[i]
                        : '_';
    memcpy(path + k, ".svg", 5);
    fp = fopen(path, "wb");
    if (fp != NULL) {
        fputs(svg, fp);
        CHECK(fclose(fp) == 0);
    }
}

/* Render, check the result is a well-formed, finite, deterministic SVG and
 * return it (caller frees). */
static char *render(const xf_plot_data *d, const xf_plot_options *o, const char *name)
{
    char *svg = NULL, *again = NULL, why[200];
    size_t len = 0, len2 = 0;
    xf_error err;
    int rc;
    xf_error_clear(&err);
    rc = xf_plot_svg(d, o, &svg, &len, &err);
    CHECK_MSG(rc == XF_OK, "%s: %d %s", name, rc, err.message);
    if (rc != XF_OK || svg == NULL)
        return NULL;
    CHECK_INT(strlen(svg), len);
    CHECK_MSG(xml_well_formed(svg, len, why, sizeof why), "%s: %s", name, why);
    CHECK_MSG(!has(svg, "nan") && !has(svg, "NaN") && !has(svg, "inf") && !has(svg, "Inf"),
              "%s: a non-finite number was printed", name);
    CHECK_MSG(has(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""), "%s", name);
    CHECK_MSG(has(svg, "<title>"), "%s", name);
    check_xmllint(svg, len);
    dump(svg, name);
    /* Deterministic: a second rendering gives the same bytes. */
    CHECK(xf_plot_svg(d, o, &again, &len2, NULL) == XF_OK);
    CHECK_MSG(again != NULL && len2 == len && memcmp(svg, again, len) == 0,
              "%s: output differs between two calls", name);
    free(again);
    return svg;
}

/* ------------------------------------------------------------ cases */

static void write_example(const char *svg)
{
    FILE *fp;
    if (getenv("XF_PLOT_EXAMPLE") == NULL || svg == NULL)
        return;
    fp = fopen("/tmp/plot_example.svg", "wb");
    if (fp == NULL)
        return;
    fputs(svg, fp);
    if (fclose(fp) != 0)
        return;
    if (system("command -v rsvg-convert >/dev/null 2>&1") == 0)
        CHECK(system("rsvg-convert -o /tmp/plot_example.png /tmp/plot_example.svg") == 0);
}

static void test_hourly(void)
{
    fixture f;
    char *svg;
    char d_hist[65536];
    const char *p80, *p95;
    /* A week of hourly values from 2016-07-01, two days of forecast. */
    fixture_make(&f, iso("2016-07-01T00:00:00Z"), US_HOUR, 7 * 24, 48, 2, 1);
    f.d.title = "hourly <&>\"' load";
    f.d.y_label = "MW";
    svg = render(&f.d, NULL, "hourly");
    if (svg != NULL) {
        CHECK(has(svg, "width=\"900\" height=\"420\" viewBox=\"0 0 900 420\""));
        CHECK(has(svg, "<title>hourly &lt;&amp;&gt;&quot;&apos; load</title>"));
        CHECK(!has(svg, "<&>"));
        CHECK_INT(count(svg, "class=\"history\""), 1);
        CHECK_INT(count(svg, "class=\"forecast\""), 1);
        CHECK_INT(count(svg, "class=\"actual\""), 1);
        CHECK_INT(count(svg, "class=\"interval\""), 2);
        CHECK_INT(count(svg, "class=\"forecast-start\""), 1);
        CHECK(has(svg, "stroke-dasharray"));
        p80 = strstr(svg, "class=\"interval\" data-level=\"80\"");
        p95 = strstr(svg, "class=\"interval\" data-level=\"95\"");
        CHECK(p80 != NULL && p95 != NULL);
        CHECK_MSG(p80 != NULL && p95 != NULL && p95 < p80, "the wider band must come first");
        CHECK(has(svg, "fill-opacity=\"0.18\""));
        CHECK(has(svg, ">80% interval<"));
        CHECK(has(svg, ">95% interval<"));
        CHECK(has(svg, ">history<") && has(svg, ">forecast<") && has(svg, ">actual<"));
        CHECK(has(svg, ">MW<"));
        /* Span of nine days: ticks at whole days, labelled as dates. */
        CHECK_MSG(has(svg, ">2016-07-0"), "no July 2016 date among the tick labels");
        CHECK(has(svg, "2016-07"));
        path_d(svg, "history", d_hist, sizeof d_hist);
        CHECK_INT(count(d_hist, "M"), 1);
        /* The forecast is joined to the last history point. */
        {
            char d_fc[8192], last[64];
            const char *lp;
            path_d(svg, "forecast", d_fc, sizeof d_fc);
            lp = strrchr(d_hist, ' ');
            /* The last "x y" pair of the history is the forecast's start. */
            if (lp != NULL) {
                const char *xp = lp - 1;
                while (xp > d_hist && *xp != ' ' && *xp != 'L')
                    xp--;
                snprintf(last, sizeof last, "M%s", xp + 1);
                CHECK_MSG(strncmp(d_fc, last, strlen(last)) == 0,
                          "forecast starts '%.30s', "
                          "history ends '%s'",
                          d_fc, last);
            }
        }
    }
    write_example(svg);
    free(svg);

    /* Two days only: ticks every few hours, with the date under the first
     * tick and at each midnight. */
    f.d.n_history = 24;
    f.d.history_t = f.ht + 7 * 24 - 24;
    f.d.history_y = f.hy + 7 * 24 - 24;
    f.d.n_forecast = 24;
    svg = render(&f.d, NULL, "hourly, 2 days");
    if (svg != NULL) {
        CHECK(has(svg, ">2016-07-07<") || has(svg, ">2016-07-08<"));
        CHECK(has(svg, ">12:00<") || has(svg, ">06:00<") || has(svg, ">18:00<"));
    }
    free(svg);
    fixture_free(&f);
}

static void test_daily_3_years(void)
{
    fixture f;
    char *svg;
    fixture_make(&f, iso("2014-01-01"), US_DAY, 3 * 365 + 1, 60, 2, 0);
    svg = render(&f.d, NULL, "daily");
    if (svg != NULL) {
        CHECK_MSG(has(svg, ">2015-01<") || has(svg, ">2015<"), "no tick at 2015");
        CHECK(has(svg, ">2016-07<") || has(svg, ">2016<"));
        CHECK(!has(svg, "class=\"actual\""));
        CHECK(!has(svg, ">actual<"));
        CHECK_INT(count(svg, "class=\"interval\""), 2);
    }
    free(svg);
    fixture_free(&f);
}

static void test_monthly(void)
{
    fixture f;
    xf_freq m = {XF_FREQ_MONTH, 1, 0};
    xf_time start = iso("2006-01-01");
    size_t i;
    char *svg;
    fixture_make(&f, start, 1, 132, 12, 3, 1);
    for (i = 0; i < 132; i++)
        CHECK_INT(xf_freq_advance(m, start, (int64_t)i, &f.ht[i]), XF_OK);
    for (i = 0; i < 12; i++)
        CHECK_INT(xf_freq_advance(m, start, (int64_t)(132 + i), &f.ft[i]), XF_OK);
    svg = render(&f.d, NULL, "monthly");
    if (svg != NULL) {
        CHECK_MSG(has(svg, ">2010<") || has(svg, ">2012<"), "no year tick");
        CHECK_INT(count(svg, "class=\"interval\""), 3);
        CHECK(has(svg, "data-level=\"50\""));
    }
    free(svg);

    /* Six months of monthly data: month ticks. */
    f.d.n_history = 4;
    f.d.history_t = f.ht + 128;
    f.d.history_y = f.hy + 128;
    f.d.n_forecast = 2;
    svg = render(&f.d, NULL, "6 months");
    if (svg != NULL)
        CHECK(has(svg, ">2016-09<") || has(svg, ">2016-10<"));
    free(svg);
    fixture_free(&f);
}

static void test_minutes_and_seconds(void)
{
    fixture f;
    char *svg;
    fixture_make(&f, iso("2021-03-14T22:00:00Z"), 60 * US_SEC, 180, 30, 1, 0);
    svg = render(&f.d, NULL, "minutes");
    if (svg != NULL) {
        CHECK(has(svg, ">23:00<") || has(svg, ">00:00<"));
        CHECK(has(svg, ">2021-03-14<") && has(svg, ">2021-03-15<"));
    }
    free(svg);
    fixture_free(&f);

    fixture_make(&f, iso("2021-03-14T22:00:00Z"), 10000, 300, 200, 1, 0);
    svg = render(&f.d, NULL, "10 ms");
    if (svg != NULL)
        CHECK(has(svg, ">22:00:01<") || has(svg, ">22:00:02<"));
    free(svg);
    fixture_free(&f);

    fixture_make(&f, iso("2021-03-14T22:00:00Z"), 10, 30, 20, 1, 0);
    svg = render(&f.d, NULL, "10 us");
    if (svg != NULL)
        CHECK(has(svg, ">22:00:00.0001<") || has(svg, ">22:00:00.0002<"));
    free(svg);
    fixture_free(&f);
}

static void test_years(void)
{
    fixture f;
    xf_freq y = {XF_FREQ_MONTH, 12, 0};
    xf_time start = iso("1901-01-01");
    size_t i;
    char *svg;
    fixture_make(&f, start, 1, 120, 10, 0, 0);
    for (i = 0; i < 130; i++) {
        if (i < 120)
            CHECK_INT(xf_freq_advance(y, start, (int64_t)i, &f.ht[i]), XF_OK);
        else
            CHECK_INT(xf_freq_advance(y, start, (int64_t)i, &f.ft[i - 120]), XF_OK);
    }
    svg = render(&f.d, NULL, "yearly");
    if (svg != NULL) {
        CHECK(has(svg, ">1920<") && has(svg, ">2000<"));
        CHECK(!has(svg, "class=\"interval\""));
    }
    free(svg);

    /* The whole representable range. */
    {
        xf_civil c;
        memset(&c, 0, sizeof c);
        c.year = -99999;
        c.month = 1;
        c.day = 1;
        CHECK(xf_time_from_civil(&c, &f.ht[0]) == XF_OK);
        c.year = 99999;
        c.month = 12;
        c.day = 31;
        c.hour = 23;
        c.minute = 59;
        c.second = 59;
        c.usec = 999999;
        CHECK(xf_time_from_civil(&c, &f.ft[9]) == XF_OK);
    }
    svg = render(&f.d, NULL, "all years");
    free(svg);
    fixture_free(&f);
}

static void test_constant_and_extreme(void)
{
    fixture f;
    char *svg;
    size_t i;
    static const double consts[] = {5.0, 0.0, -2.385e-7, 1.75e12, 1e300, -1.7976931348623157e308};
    fixture_make(&f, iso("2020-02-28"), US_DAY, 40, 10, 2, 1);
    for (i = 0; i < sizeof consts / sizeof consts[0]; i++) {
        size_t k;
        char name[64];
        for (k = 0; k < 40; k++)
            f.hy[k] = consts[i];
        for (k = 0; k < 10; k++)
            f.mean[k] = f.actual[k] = f.lo[k] = f.hi[k] = f.lo[10 + k] = f.hi[10 + k] = consts[i];
        snprintf(name, sizeof name, "constant %g", consts[i]);
        svg = render(&f.d, NULL, name);
        if (svg != NULL && i == 0)
            CHECK(has(svg, ">5.0<"));
        if (svg != NULL && i == 1)
            CHECK(has(svg, ">0<") || has(svg, ">0.0<"));
        free(svg);
    }

    /* History only from here on. */
    f.d.n_forecast = 0;
    f.d.n_levels = 0;
    for (i = 0; i < 40; i++)
        f.hy[i] = 0.0;

    /* Extremes of the double range in one plot. */
    f.hy[0] = -1.7976931348623157e308;
    f.hy[1] = 1.7976931348623157e308;
    svg = render(&f.d, NULL, "full double range");
    if (svg != NULL)
        CHECK(has(svg, ">1e+308<") && has(svg, ">-1e+308<") && has(svg, ">0<"));
    free(svg);
    f.hy[0] = 0.0;
    f.hy[1] = 4.9406564584124654e-324;
    svg = render(&f.d, NULL, "subnormal range");
    if (svg != NULL)
        CHECK(has(svg, ">0.0<") && has(svg, ">0.5<"));
    free(svg);
    /* Small changes on a large level: labels with enough digits. */
    for (i = 0; i < 40; i++)
        f.hy[i] = 1e6 + 0.001 * (double)(i % 3);
    svg = render(&f.d, NULL, "offset 1e6");
    if (svg != NULL)
        CHECK(has(svg, ">1000000.0010<"));
    free(svg);
    for (i = 0; i < 40; i++)
        f.hy[i] = 1e12 + (double)(i % 3);
    svg = render(&f.d, NULL, "offset 1e12");
    if (svg != NULL)
        CHECK(has(svg, ">1.0000000000005e+12<") && has(svg, ">1e+12<"));
    free(svg);
    for (i = 0; i < 40; i++)
        f.hy[i] = 1e-9 * (double)(i % 7);
    svg = render(&f.d, NULL, "tiny values");
    if (svg != NULL)
        CHECK(has(svg, ">2e-09<") && has(svg, ">0<"));
    free(svg);
    fixture_free(&f);
}

static void test_gaps(void)
{
    fixture f;
    char *svg, d[65536];
    size_t i;
    fixture_make(&f, iso("2019-05-01"), US_DAY, 60, 14, 1, 1);
    for (i = 10; i < 15; i++)
        f.hy[i] = NAN;
    f.hy[20] = INFINITY;
    f.hy[22] = -INFINITY; /* leaves 21 isolated */
    f.hy[59] = NAN;       /* forecast joins point 58 */
    f.mean[5] = NAN;
    f.lo[7] = NAN;
    f.hi[9] = NAN; /* step 8 alone: a bar */
    f.actual[3] = NAN;
    svg = render(&f.d, NULL, "gaps");
    if (svg != NULL) {
        path_d(svg, "history", d, sizeof d);
        CHECK_INT(count(d, "M"), 4);
        CHECK_INT(count(d, "h0"), 1);
        path_d(svg, "forecast", d, sizeof d);
        CHECK_INT(count(d, "M"), 2);
        path_d(svg, "interval", d, sizeof d);
        CHECK_INT(count(d, "M"), 3);
        CHECK_INT(count(d, "Z"), 3);
        CHECK(has(d, "H"));
        path_d(svg, "actual", d, sizeof d);
        CHECK_INT(count(d, "M"), 2);
    }
    free(svg);

    /* Nothing finite in the history: only the forecast is drawn. */
    for (i = 0; i < 60; i++)
        f.hy[i] = NAN;
    svg = render(&f.d, NULL, "history all missing");
    if (svg != NULL) {
        path_d(svg, "history", d, sizeof d);
        CHECK_STR(d, "");
    }
    free(svg);
    fixture_free(&f);
}

static void test_shapes(void)
{
    fixture f;
    char *svg;
    xf_plot_options o;
    /* Only history, a single point. */
    fixture_make(&f, iso("2022-12-31T18:00:00Z"), US_HOUR, 1, 0, 0, 0);
    f.d.title = NULL;
    svg = render(&f.d, NULL, "one point");
    if (svg != NULL) {
        CHECK(has(svg, "<title>forecast</title>"));
        CHECK(has(svg, "h0"));
        CHECK(!has(svg, "class=\"forecast\""));
        CHECK(!has(svg, "forecast-start"));
    }
    free(svg);
    fixture_free(&f);

    /* Only a forecast, eight levels, one step. */
    fixture_make(&f, iso("2022-12-31"), US_DAY, 0, 1, 8, 0);
    svg = render(&f.d, NULL, "forecast only");
    if (svg != NULL) {
        CHECK_INT(count(svg, "class=\"interval\""), 8);
        CHECK(has(svg, ">99.73% interval<"));
        CHECK(!has(svg, ">history<"));
    }
    free(svg);
    fixture_free(&f);

    /* Tuesday to Saturday in a narrow picture: no Monday for a weekly
     * tick, so every other day is labelled. */
    fixture_make(&f, iso("2016-07-05"), US_DAY, 5, 0, 0, 0);
    xf_plot_options_init(&o);
    o.width = 150;
    svg = render(&f.d, &o, "narrow");
    if (svg != NULL)
        CHECK(has(svg, ">2016-07-05<") || has(svg, ">2016-07-06<") || has(svg, ">2016-07-08<"));
    free(svg);
    fixture_free(&f);

    /* Smallest and largest pictures, eight levels. */
    fixture_make(&f, iso("2016-07-01"), US_HOUR, 200, 48, 8, 1);
    xf_plot_options_init(&o);
    CHECK_INT(o.width, 900);
    CHECK_INT(o.height, 420);
    o.width = 100;
    o.height = 100;
    svg = render(&f.d, &o, "100x100");
    free(svg);
    o.width = 10000;
    o.height = 10000;
    svg = render(&f.d, &o, "10000x10000");
    free(svg);
    o.width = 640;
    o.height = 100;
    svg = render(&f.d, &o, "640x100");
    free(svg);

    /* Text that is not clean UTF-8, very long, with control characters. */
    {
        static const char head[] =
            "bad \xff\xfe utf8 \xc3\xa9t\xc3\xa9 \xe2\x82 \x01\t\n \xed\xa0\x80 ]]>";
        char title[700];
        memset(title, 'w', sizeof title - 1);
        title[sizeof title - 1] = '\0';
        memcpy(title, head, sizeof head - 1);
        f.d.title = title;
        f.d.y_label = "\xef\xbf\xbf<y>";
        svg = render(&f.d, NULL, "odd title");
        if (svg != NULL) {
            CHECK(has(svg, "\xc3\xa9t\xc3\xa9"));
            CHECK(has(svg, "..."));
            CHECK(has(svg, "&lt;y&gt;"));
        }
        free(svg);
    }
    fixture_free(&f);
}

/* Deterministic pseudo-random numbers (splitmix64). */
static uint64_t rng_state = UINT64_C(0x5eed2385a1c0ffee);

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double rng_unit(void)
{
    return (double)(rng_next() >> 11) * 0x1.0p-53;
}

/* The x tick labels' first lines: centre x and length in bytes. */
static size_t x_labels(const char *svg, double *x, size_t *len, size_t max)
{
    const char *p = strstr(svg, "<g class=\"x-axis\">"), *end = strstr(svg, "<g class=\"y-axis\">");
    double y_first = -1.0;
    size_t n = 0;
    while (p != NULL && end != NULL && (p = strstr(p, "<text x=\"")) != NULL && p < end &&
           n < max) {
        double tx, ty;
        const char *gt = strchr(p, '>'), *lt;
        if (sscanf(p, "<text x=\"%lf\" y=\"%lf\"", &tx, &ty) != 2 || gt == NULL)
            break;
        lt = strchr(gt, '<');
        if (y_first < 0.0)
            y_first = ty;
        if (ty == y_first && lt != NULL) {
            x[n] = tx;
            len[n++] = (size_t)(lt - gt - 1);
        }
        p = gt;
    }
    return n;
}

/* Spans from a microsecond to centuries, at picture widths from the
 * smallest up: always at least one x tick, labels that do not overlap, and
 * at least two y ticks. */
static void test_random_spans(void)
{
    int round;
    xmllint_skip = 1;
    for (round = 0; round < 300; round++) {
        fixture f;
        xf_plot_options o;
        xf_time start =
            iso("1900-01-01") + (int64_t)(rng_unit() * 200.0 * 365.0 * 86400.0) * US_SEC;
        int64_t step = (int64_t)exp(rng_unit() * log(3.2e13 * 4.0)) + 1;
        size_t n_h = 1 + rng_next() % 60, n_f = rng_next() % 30, i;
        double x[16];
        size_t len[16], n;
        char *svg, name[96];
        if (n_h + n_f < 2)
            n_f = 1;
        fixture_make(&f, start, step, n_h, n_f, n_f > 0 ? rng_next() % 4 : 0,
                     (int)(rng_next() & 1));
        xf_plot_options_init(&o);
        o.width = (int32_t)(100 + rng_next() % 1500);
        o.height = (int32_t)(100 + rng_next() % 700);
        snprintf(name, sizeof name, "random %d: step %lld us, %zu+%zu points, %dx%d", round,
                 (long long)step, n_h, n_f, (int)o.width, (int)o.height);
        svg = render(&f.d, &o, name);
        if (svg != NULL) {
            n = x_labels(svg, x, len, 16);
            CHECK_MSG(n >= 1, "%s: no x tick", name);
            for (i = 1; i < n; i++)
                CHECK_MSG(x[i] - x[i - 1] >= 5.5 * (double)(len[i] + len[i - 1]) / 2.0,
                          "%s: x labels %zu and %zu overlap", name, i - 1, i);
            CHECK_MSG(count(svg, "text-anchor=\"end\"") >= 2, "%s: fewer than 2 y ticks", name);
        }
        free(svg);
        fixture_free(&f);
    }
    xmllint_skip = 0;
}

/* Same bytes whatever the locale's decimal point (when a locale with a
 * decimal comma is installed). */
static void test_locale(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8"};
    fixture f;
    char *a, *b;
    size_t i, la = 0, lb = 0;
    fixture_make(&f, iso("2016-07-01"), US_HOUR, 100, 24, 2, 1);
    for (i = 0; i < 40; i++)
        f.hy[i] *= 1e-3;
    f.d.levels = (const double[]){97.5, 80.25};
    CHECK(xf_plot_svg(&f.d, NULL, &a, &la, NULL) == XF_OK);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (setlocale(LC_NUMERIC, names[i]) == NULL)
            continue;
        CHECK(xf_plot_svg(&f.d, NULL, &b, &lb, NULL) == XF_OK);
        CHECK_MSG(la == lb && memcmp(a, b, la) == 0, "output differs in locale %s", names[i]);
        free(b);
        setlocale(LC_NUMERIC, "C");
        break;
    }
    CHECK(has(a, "data-level=\"97.5\"") && has(a, ">80.25% interval<"));
    free(a);
    fixture_free(&f);
}

/* ------------------------------------------------------------ errors */

static void expect_error(const xf_plot_data *d, const xf_plot_options *o, int code,
                         const char *needle, int line)
{
    char *svg = (char *)1;
    size_t len = 7;
    xf_error err;
    int rc;
    xf_error_clear(&err);
    rc = xf_plot_svg(d, o, &svg, &len, &err);
    CHECK_MSG(rc == code, "line %d: returned %d, expected %d (%s)", line, rc, code, err.message);
    CHECK_MSG(err.code == code, "line %d", line);
    CHECK_MSG(err.message[0] != '\0', "line %d: empty message", line);
    CHECK_MSG(needle == NULL || strstr(err.message, needle) != NULL,
              "line %d: message '%s' does not mention '%s'", line, err.message, needle);
    CHECK_MSG(svg == NULL && len == 0, "line %d: output not cleared", line);
    if (rc == XF_OK)
        free(svg);
}

#define EXPECT(code, needle) expect_error(&d, &o, code, needle, __LINE__)

static void test_errors(void)
{
    fixture f;
    xf_plot_data d;
    xf_plot_options o;
    xf_time t;
    char *svg = NULL;
    size_t len = 0;
    double bad_levels[2];
    xf_error err;

    fixture_make(&f, iso("2016-07-01"), US_HOUR, 24, 12, 2, 1);
    xf_plot_options_init(&o);
    xf_plot_options_init(NULL);

    /* NULL pointers. */
    xf_error_clear(&err);
    CHECK_INT(xf_plot_svg(NULL, &o, &svg, &len, &err), XF_EINVAL);
    CHECK(err.message[0] != '\0' && svg == NULL);
    CHECK_INT(xf_plot_svg(&f.d, &o, NULL, &len, &err), XF_EINVAL);
    CHECK(strstr(err.message, "output") != NULL);
    CHECK_INT(xf_plot_svg(&f.d, &o, &svg, NULL, &err), XF_EINVAL);
    CHECK(strstr(err.message, "length") != NULL);
    CHECK_INT(xf_plot_svg(&f.d, &o, &svg, NULL, NULL), XF_EINVAL);

#define RESET() (d = f.d, xf_plot_options_init(&o))
    RESET();
    d.history_t = NULL;
    EXPECT(XF_EINVAL, "history_t");
    RESET();
    d.history_y = NULL;
    EXPECT(XF_EINVAL, "history_y");
    RESET();
    d.forecast_t = NULL;
    EXPECT(XF_EINVAL, "forecast_t");
    RESET();
    d.mean = NULL;
    EXPECT(XF_EINVAL, "mean");
    RESET();
    d.levels = NULL;
    EXPECT(XF_EINVAL, "levels");
    RESET();
    d.lo = NULL;
    EXPECT(XF_EINVAL, "lo");
    RESET();
    d.hi = NULL;
    EXPECT(XF_EINVAL, "hi");

    /* Nothing to draw; too many levels; levels without a forecast. */
    RESET();
    d.n_history = 0;
    d.n_forecast = 0;
    d.n_levels = 0;
    EXPECT(XF_EINVAL, "nothing");
    RESET();
    d.n_levels = 9;
    EXPECT(XF_EINVAL, "9");
    RESET();
    d.n_forecast = 0;
    EXPECT(XF_EINVAL, "no forecast");

    /* Sizes. */
    RESET();
    o.width = 99;
    EXPECT(XF_EINVAL, "99");
    RESET();
    o.width = 10001;
    EXPECT(XF_EINVAL, "10001");
    RESET();
    o.height = 50;
    EXPECT(XF_EINVAL, "height 50");
    RESET();
    o.height = -420;
    EXPECT(XF_EINVAL, "-420");

    /* Levels outside (0, 100). */
    bad_levels[0] = 80.0;
    bad_levels[1] = 100.0;
    RESET();
    d.levels = bad_levels;
    EXPECT(XF_EINVAL, "100");
    bad_levels[1] = 0.0;
    EXPECT(XF_EINVAL, "level [1] is 0");
    bad_levels[1] = -2.5;
    EXPECT(XF_EINVAL, "-2.5");
    bad_levels[1] = NAN;
    EXPECT(XF_EINVAL, "level [1]");
    bad_levels[0] = INFINITY;
    EXPECT(XF_EINVAL, "level [0]");

    /* Timestamps. */
    RESET();
    t = f.ht[5];
    f.ht[5] = f.ht[4];
    EXPECT(XF_EINVAL, "2016-07-01T04:00:00Z");
    f.ht[5] = f.ht[4] - 1;
    EXPECT(XF_EINVAL, "do not increase");
    f.ht[5] = t;
    t = f.ft[3];
    f.ft[3] = f.ft[2];
    EXPECT(XF_EINVAL, "forecast timestamps");
    f.ft[3] = t;
    t = f.ft[0];
    f.ft[0] = f.ht[23];
    EXPECT(XF_EINVAL, "first forecast timestamp");
    f.ft[0] = t;
    d.n_forecast = 0;
    d.n_levels = 0;
    t = f.ht[23];
    f.ht[23] = INT64_MAX;
    EXPECT(XF_EINVAL, "outside the years");
    f.ht[23] = t;
    t = f.ht[0];
    f.ht[0] = INT64_MIN;
    EXPECT(XF_EINVAL, "outside the years");
    f.ht[0] = t;

    /* No finite value anywhere. */
    {
        size_t i;
        RESET();
        for (i = 0; i < 24; i++)
            f.hy[i] = NAN;
        for (i = 0; i < 12; i++) {
            f.mean[i] = f.actual[i] = INFINITY;
            f.lo[i] = f.hi[i] = f.lo[12 + i] = f.hi[12 + i] = NAN;
        }
        EXPECT(XF_EDATA, "no finite value");
        f.actual[11] = 1.5;
        svg = render(&d, NULL, "one finite actual");
        free(svg);
    }
#undef RESET
    fixture_free(&f);
}

int main(void)
{
    test_checker();
    test_hourly();
    test_daily_3_years();
    test_monthly();
    test_minutes_and_seconds();
    test_years();
    test_constant_and_extreme();
    test_gaps();
    test_shapes();
    test_random_spans();
    test_locale();
    test_errors();
    return tu_report("test_plot");
}
