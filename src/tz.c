/* tz.c - time zones from TZif files (RFC 8536 v1..v3), see xfcast/tz.h.
 *
 * The parser treats the file as hostile: every count is checked against
 * fixed limits and against the bytes actually present before anything is
 * read, every type index is checked against the type count, and the POSIX
 * TZ footer is parsed with explicit bounds.  No global state, no TZ, no
 * localtime.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xf_internal.h"
#include "xfcast/tz.h"

#define TZ_MAX_FILE (4u << 20) /* no real zone file is near this */
#define TZ_MAX_TIMES 200000u
#define TZ_MAX_TYPES 256u
#define TZ_MAX_CHARS 4096u
#define TZ_MAX_OFF (26 * 3600) /* |offset| allowed, seconds */

/* A POSIX TZ rule date: kind 'M' (month.week.day), 'J' (Julian 1..365, no
 * Feb 29) or 'N' (zero-based day 0..365); secs is the local time of day. */
typedef struct tz_rdate {
    char kind;
    int m, w, d, n;
    int32_t secs;
} tz_rdate;

typedef struct tz_rule {
    int has; /* a footer rule is present */
    int has_dst;
    int32_t std_off, dst_off; /* seconds east of UTC */
    tz_rdate start, end;
} tz_rule;

struct xf_tz {
    char *name;
    size_t ntimes;
    int64_t *times;     /* transition instants, UTC seconds, ascending */
    unsigned char *idx; /* type after each transition */
    size_t ntypes;
    int32_t *type_off; /* utoff of each type */
    tz_rule rule;
};

static uint32_t be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int64_t be64s(const unsigned char *p)
{
    uint64_t v = ((uint64_t)be32(p) << 32) | be32(p + 4);
    return (int64_t)v;
}

static int32_t be32s(const unsigned char *p)
{
    uint32_t v = be32(p);
    return v <= INT32_MAX ? (int32_t)v : -(int32_t)(~v) - 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ------------------------------------------------------------ footer rule */

typedef struct pcur {
    const char *p, *e;
} pcur;

static int p_name(pcur *c)
{
    if (c->p < c->e && *c->p == '<') {
        c->p++;
        while (c->p < c->e && *c->p != '>')
            c->p++;
        if (c->p >= c->e)
            return -1;
        c->p++;
        return 0;
    }
    const char *s = c->p;
    while (c->p < c->e && ((*c->p >= 'A' && *c->p <= 'Z') || (*c->p >= 'a' && *c->p <= 'z')))
        c->p++;
    return c->p - s >= 3 ? 0 : -1;
}

static int p_num(pcur *c, int maxv, int *out)
{
    int v = 0, k = 0;
    while (c->p < c->e && *c->p >= '0' && *c->p <= '9' && k < 4) {
        v = v * 10 + (*c->p - '0');
        c->p++;
        k++;
    }
    if (k == 0 || v > maxv)
        return -1;
    *out = v;
    return 0;
}

/* [+-]hh[:mm[:ss]], hours up to maxh. */
static int p_time(pcur *c, int maxh, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (c->p < c->e && (*c->p == '+' || *c->p == '-'))
        sign = *c->p++ == '-' ? -1 : 1;
    if (p_num(c, maxh, &h) != 0)
        return -1;
    if (c->p < c->e && *c->p == ':') {
        c->p++;
        if (p_num(c, 59, &m) != 0)
            return -1;
        if (c->p < c->e && *c->p == ':') {
            c->p++;
            if (p_num(c, 59, &s) != 0)
                return -1;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return 0;
}

static int p_rdate(pcur *c, tz_rdate *r)
{
    if (c->p < c->e && *c->p == 'M') {
        c->p++;
        r->kind = 'M';
        if (p_num(c, 12, &r->m) != 0 || r->m < 1 || c->p >= c->e || *c->p++ != '.' ||
            p_num(c, 5, &r->w) != 0 || r->w < 1 || c->p >= c->e || *c->p++ != '.' ||
            p_num(c, 6, &r->d) != 0)
            return -1;
    } else if (c->p < c->e && *c->p == 'J') {
        c->p++;
        r->kind = 'J';
        if (p_num(c, 365, &r->n) != 0 || r->n < 1)
            return -1;
    } else {
        r->kind = 'N';
        if (p_num(c, 365, &r->n) != 0)
            return -1;
    }
    r->secs = 7200;
    if (c->p < c->e && *c->p == '/') {
        c->p++;
        if (p_time(c, 167, &r->secs) != 0)
            return -1;
    }
    return 0;
}

/* Parse a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3". */
static int parse_rule(const char *s, size_t n, tz_rule *r)
{
    pcur c = {s, s + n};
    int32_t off;
    memset(r, 0, sizeof *r);
    if (n == 0)
        return 0; /* an empty footer: no rule */
    if (p_name(&c) != 0 || p_time(&c, 24, &off) != 0)
        return -1;
    r->std_off = -off; /* POSIX offsets are west-positive */
    r->dst_off = r->std_off;
    if (c.p < c.e) {
        if (p_name(&c) != 0)
            return -1;
        r->has_dst = 1;
        r->dst_off = r->std_off + 3600;
        if (c.p < c.e && *c.p != ',') {
            if (p_time(&c, 24, &off) != 0)
                return -1;
            r->dst_off = -off;
        }
        if (c.p >= c.e || *c.p++ != ',' || p_rdate(&c, &r->start) != 0 || c.p >= c.e ||
            *c.p++ != ',' || p_rdate(&c, &r->end) != 0)
            return -1;
    }
    if (c.p != c.e)
        return -1;
    r->has = 1;
    return 0;
}

/* Local seconds (wall clock read as UTC) of a rule date in year y. */
static int64_t rdate_local(const tz_rdate *r, int64_t y)
{
    int64_t day;
    if (r->kind == 'M') {
        int64_t first = days_from_civil(y, r->m, 1);
        int wd = (int)((first % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday (4), 0 = Sunday */
        int dd = (r->d - wd + 7) % 7 + 1 + 7 * (r->w - 1);
        while (dd > month_days(y, r->m))
            dd -= 7;
        day = first + dd - 1;
    } else if (r->kind == 'J') {
        day = days_from_civil(y, 1, 1) + r->n - 1 + (is_leap(y) && r->n >= 60);
    } else {
        day = days_from_civil(y, 1, 1) + r->n;
    }
    return day * 86400 + r->secs;
}

static int32_t rule_offset(const tz_rule *r, int64_t utc_s)
{
    if (!r->has_dst)
        return r->std_off;
    int64_t days = floor_div(utc_s + r->std_off, 86400);
    /* the year of that local day */
    int64_t y = floor_div(days * 400, 146097) + 1970;
    while (days_from_civil(y, 1, 1) > days)
        y--;
    while (days_from_civil(y + 1, 1, 1) <= days)
        y++;
    int64_t start = rdate_local(&r->start, y) - r->std_off; /* UTC */
    int64_t end = rdate_local(&r->end, y) - r->dst_off;
    int dst = start < end ? (utc_s >= start && utc_s < end) : !(utc_s >= end && utc_s < start);
    return dst ? r->dst_off : r->std_off;
}

/* ------------------------------------------------------------ TZif */

static int bad(xf_error *err, const char *name, const char *what)
{
    return xf__fail(err, XF_EFORMAT, 0, 0, "time zone '%s': not a valid TZif file (%s)", name,
                    what);
}

void xf_tz_free(xf_tz *tz)
{
    if (!tz)
        return;
    free(tz->name);
    free(tz->times);
    free(tz->idx);
    free(tz->type_off);
    free(tz);
}

int xf_tz_parse(const void *buf, size_t n, const char *name, xf_tz **out, xf_error *err)
{
    const unsigned char *b = buf;
    uint32_t cnt[6];
    size_t off = 0, v1len, tsz;
    int version;
    if (!out)
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_tz_parse: NULL output");
    *out = NULL;
    if (!name)
        name = "?";
    if (!buf && n > 0)
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_tz_parse: NULL buffer");
    if (n < 44 || memcmp(b, "TZif", 4) != 0)
        return bad(err, name, "bad magic or too short");
    version = b[4] == 0 ? 1 : b[4] == '2' ? 2 : b[4] == '3' ? 3 : b[4] == '4' ? 4 : -1;
    if (version < 0)
        return bad(err, name, "unknown version");
    for (int i = 0; i < 6; i++)
        cnt[i] = be32(b + 20 + 4 * i);
    /* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
    if (cnt[3] > TZ_MAX_TIMES || cnt[4] == 0 || cnt[4] > TZ_MAX_TYPES || cnt[5] > TZ_MAX_CHARS ||
        cnt[2] > TZ_MAX_TIMES || (cnt[0] != 0 && cnt[0] != cnt[4]) ||
        (cnt[1] != 0 && cnt[1] != cnt[4]))
        return bad(err, name, "counts out of range");
    v1len = (size_t)cnt[3] * 5 + (size_t)cnt[4] * 6 + cnt[5] + (size_t)cnt[2] * 8 + cnt[1] + cnt[0];
    if (n - 44 < v1len)
        return bad(err, name, "truncated");
    off = 44;
    tsz = 4;
    if (version >= 2) {
        off += v1len;
        if (n - off < 44 || memcmp(b + off, "TZif", 4) != 0)
            return bad(err, name, "second header missing");
        for (int i = 0; i < 6; i++)
            cnt[i] = be32(b + off + 20 + 4 * i);
        if (cnt[3] > TZ_MAX_TIMES || cnt[4] == 0 || cnt[4] > TZ_MAX_TYPES ||
            cnt[5] > TZ_MAX_CHARS || cnt[2] > TZ_MAX_TIMES || (cnt[0] != 0 && cnt[0] != cnt[4]) ||
            (cnt[1] != 0 && cnt[1] != cnt[4]))
            return bad(err, name, "counts out of range");
        off += 44;
        tsz = 8;
        v1len = (size_t)cnt[3] * 9 + (size_t)cnt[4] * 6 + cnt[5] + (size_t)cnt[2] * 12 + cnt[1] +
                cnt[0];
        if (n - off < v1len)
            return bad(err, name, "truncated");
    }
    if (cnt[2] != 0)
        return xf__fail(err, XF_EFORMAT, 0, 0,
                        "time zone '%s': leap-second zones are not supported", name);
    xf_tz *tz = calloc(1, sizeof *tz);
    if (!tz)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    size_t nl = strlen(name);
    tz->name = malloc(nl + 1);
    tz->ntimes = cnt[3];
    tz->ntypes = cnt[4];
    tz->times = malloc((tz->ntimes ? tz->ntimes : 1) * sizeof *tz->times);
    tz->idx = malloc(tz->ntimes ? tz->ntimes : 1);
    tz->type_off = malloc(tz->ntypes * sizeof *tz->type_off);
    if (!tz->name || !tz->times || !tz->idx || !tz->type_off) {
        xf_tz_free(tz);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    memcpy(tz->name, name, nl + 1);
    const unsigned char *p = b + off;
    for (size_t i = 0; i < tz->ntimes; i++) {
        tz->times[i] = tsz == 8 ? be64s(p + 8 * i) : (int64_t)be32s(p + 4 * i);
        if (i > 0 && tz->times[i] <= tz->times[i - 1]) {
            xf_tz_free(tz);
            return bad(err, name, "transition times not ascending");
        }
    }
    p += tz->ntimes * tsz;
    for (size_t i = 0; i < tz->ntimes; i++) {
        if (p[i] >= tz->ntypes) {
            xf_tz_free(tz);
            return bad(err, name, "type index out of range");
        }
        tz->idx[i] = p[i];
    }
    p += tz->ntimes;
    for (size_t i = 0; i < tz->ntypes; i++) {
        int32_t o = be32s(p + 6 * i);
        if (o < -TZ_MAX_OFF || o > TZ_MAX_OFF || p[6 * i + 4] > 1 || p[6 * i + 5] >= cnt[5]) {
            xf_tz_free(tz);
            return bad(err, name, "local time type out of range");
        }
        tz->type_off[i] = o;
    }
    off += v1len;
    if (version >= 2) {
        /* footer: "\n" POSIX-TZ "\n" */
        const char *f = (const char *)b + off, *fe;
        if (n - off < 2 || f[0] != '\n') {
            xf_tz_free(tz);
            return bad(err, name, "footer missing");
        }
        fe = memchr(f + 1, '\n', n - off - 1);
        if (!fe || parse_rule(f + 1, (size_t)(fe - f - 1), &tz->rule) != 0) {
            xf_tz_free(tz);
            return bad(err, name, "bad footer rule");
        }
        if (tz->rule.has && (tz->rule.std_off < -TZ_MAX_OFF || tz->rule.std_off > TZ_MAX_OFF ||
                             tz->rule.dst_off < -TZ_MAX_OFF || tz->rule.dst_off > TZ_MAX_OFF)) {
            xf_tz_free(tz);
            return bad(err, name, "footer offset out of range");
        }
    }
    *out = tz;
    return XF_OK;
}

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 255 || name[0] == '/')
        return 0;
    for (const char *s = name; *s;) {
        const char *e = strchr(s, '/');
        size_t k = e ? (size_t)(e - s) : strlen(s);
        if (k == 0 || (k == 1 && s[0] == '.') || (k == 2 && s[0] == '.' && s[1] == '.'))
            return 0;
        for (size_t i = 0; i < k; i++) {
            char ch = s[i];
            if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '+' || ch == '.'))
                return 0;
        }
        s += k;
        if (*s == '/')
            s++;
    }
    return 1;
}

int xf_tz_load(const char *name, xf_tz **out, xf_error *err)
{
    const char *dir = getenv("TZDIR");
    char path[4096];
    if (!out)
        return xf__fail(err, XF_EINVAL, 0, 0, "xf_tz_load: NULL output");
    *out = NULL;
    if (!name || !name_ok(name))
        return xf__fail(err, XF_EINVAL, 0, 0,
                        "invalid time zone name '%s' (expected e.g. Europe/Berlin)",
                        name ? name : "(null)");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return xf__fail(err, XF_EINVAL, 0, 0, "time zone path too long");
    FILE *f = fopen(path, "rb");
    if (!f)
        return xf__fail(err, XF_ENOTFOUND, 0, 0,
                        "unknown time zone '%s' (no file %s; is tzdata installed?)", name, path);
    unsigned char *buf = malloc(TZ_MAX_FILE);
    if (!buf) {
        fclose(f);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    size_t n = fread(buf, 1, TZ_MAX_FILE, f);
    int rerr = ferror(f), more = n == TZ_MAX_FILE && fgetc(f) != EOF;
    fclose(f);
    int rc;
    if (rerr)
        rc = xf__fail(err, XF_EIO, 0, 0, "time zone '%s': cannot read %s", name, path);
    else if (more)
        rc = bad(err, name, "file too large");
    else
        rc = xf_tz_parse(buf, n, name, out, err);
    free(buf);
    return rc;
}

const char *xf_tz_name(const xf_tz *tz)
{
    return tz ? tz->name : "";
}

static int32_t offset_s(const xf_tz *tz, int64_t s)
{
    if (tz->ntimes == 0 || s < tz->times[0])
        return tz->ntimes == 0 && tz->rule.has ? rule_offset(&tz->rule, s) : tz->type_off[0];
    if (s >= tz->times[tz->ntimes - 1] && tz->rule.has)
        return rule_offset(&tz->rule, s);
    size_t lo = 0, hi = tz->ntimes; /* times[lo] <= s < times[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->times[mid] <= s)
            lo = mid;
        else
            hi = mid;
    }
    return tz->type_off[tz->idx[lo]];
}

int32_t xf_tz_offset_utc(const xf_tz *tz, xf_time utc)
{
    if (!tz)
        return 0;
    return offset_s(tz, floor_div(utc, XF_TIME_US_PER_SEC));
}

int xf_tz_local_to_utc(const xf_tz *tz, xf_time local, int second, xf_time *utc, int *repeated)
{
    if (repeated)
        *repeated = 0;
    if (!tz || !utc)
        return XF_EINVAL;
    /* The offsets in force a little more than a day either side bound the
     * candidates (zones change offset at most once within two days). */
    int64_t ls = floor_div(local, XF_TIME_US_PER_SEC);
    int32_t o1 = offset_s(tz, ls - 93600), o2 = offset_s(tz, ls + 93600);
    int64_t c1 = ls - o1, c2 = ls - o2;
    int v1 = offset_s(tz, c1) == o1, v2 = offset_s(tz, c2) == o2 && c2 != c1;
    xf_time frac = local - ls * XF_TIME_US_PER_SEC;
    if (v1 && v2) {
        int64_t a = c1 < c2 ? c1 : c2, b = c1 < c2 ? c2 : c1;
        if (repeated)
            *repeated = 1;
        *utc = (second ? b : a) * XF_TIME_US_PER_SEC + frac;
        return XF_OK;
    }
    if (v1 || v2) {
        *utc = (v1 ? c1 : c2) * XF_TIME_US_PER_SEC + frac;
        return XF_OK;
    }
    return XF_EDATA;
}

size_t xf_time_format_offset(xf_time t, int32_t off, int date_only_ok, char *buf, size_t n)
{
    char tmp[96];
    size_t k = xf_time_format(t + (xf_time)off * XF_TIME_US_PER_SEC, date_only_ok, tmp, sizeof tmp);
    if (k >= sizeof tmp - 8)
        k = sizeof tmp - 9;
    if (k > 0 && tmp[k - 1] == 'Z') {
        int a = off < 0 ? -off : off;
        k--;
        k += (size_t)snprintf(tmp + k, sizeof tmp - k, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600,
                              (a / 60) % 60);
    }
    return xf__copy_out(buf, n, tmp, (int)k);
}

size_t xf_tz_format(const xf_tz *tz, xf_time t, int date_only_ok, char *buf, size_t n)
{
    return xf_time_format_offset(t, xf_tz_offset_utc(tz, t), date_only_ok, buf, n);
}
