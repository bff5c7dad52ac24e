/* holidays.c - holiday calendars: parsing, trading days, indicators.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "holidays.h"
#include "xf_internal.h"

#define US_DAY INT64_C(86400000000)

static int64_t floor_div_day(int64_t t)
{
    int64_t q = t / US_DAY;
    return (t % US_DAY < 0) ? q - 1 : q;
}

/* weekday of a day number: 0 = Monday .. 6 = Sunday (day 0 is a Thursday) */
static int weekday(int64_t day)
{
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* Parse YYYY-MM-DD exactly (digits, a real calendar date). */
static int parse_date(const char *s, size_t n, int64_t *day)
{
    xf_civil c;
    xf_time t;
    size_t i;
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    memset(&c, 0, sizeof c);
    c.year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    c.month = (s[5] - '0') * 10 + (s[6] - '0');
    c.day = (s[8] - '0') * 10 + (s[9] - '0');
    if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31 ||
        xf_time_from_civil(&c, &t) != XF_OK)
        return 0;
    {
        xf_civil back;
        xf_time_to_civil(t, &back);
        if (back.year != c.year || back.month != c.month || back.day != c.day)
            return 0; /* 2021-02-30 and the like */
    }
    *day = floor_div_day(t);
    return 1;
}

typedef struct entry {
    int32_t day;
    int64_t line;
} entry;

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->day != y->day)
        return (x->day > y->day) - (x->day < y->day);
    return (x->line > y->line) - (x->line < y->line);
}

int xf__holidays_parse(const char *text, size_t len, const char *name, xf__holidays *out,
                       xf_error *err)
{
    size_t pos = 0, cap = 0, n = 0, i;
    int64_t line = 0;
    entry *e = NULL;
    out->day = NULL;
    out->n = 0;
    if (name == NULL)
        name = "holidays";
    while (pos < len) {
        size_t end = pos, fe, fn;
        const char *s = text + pos;
        int64_t d;
        while (end < len && text[end] != '\n')
            end++;
        line++;
        fe = pos;
        while (fe < end && text[fe] != ',' && text[fe] != ';' && text[fe] != '\t' &&
               text[fe] != '\r')
            fe++;
        pos = end + 1;
        while (s < text + fe && (*s == ' ' || *s == '"'))
            s++;
        fn = (size_t)(text + fe - s);
        while (fn > 0 && (s[fn - 1] == ' ' || s[fn - 1] == '"'))
            fn--;
        if (fn == 0 && fe == end)
            continue; /* blank line */
        if (!parse_date(s, fn, &d)) {
            char what[48];
            if (line == 1)
                continue; /* header */
            snprintf(what, sizeof what, "%.*s", (int)(fn > 40 ? 40 : fn), s);
            free(e);
            return xf__fail(err, XF_EPARSE, line, 1, "%s:%lld: '%s' is not a date (YYYY-MM-DD)",
                            name, (long long)line, what);
        }
        if (n == XF__HOLIDAYS_MAX) {
            free(e);
            return xf__fail(err, XF_ERANGE, line, 1, "%s:%lld: more than %d dates", name,
                            (long long)line, XF__HOLIDAYS_MAX);
        }
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            entry *ne = realloc(e, nc * sizeof *ne);
            if (ne == NULL) {
                free(e);
                return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
            }
            e = ne;
            cap = nc;
        }
        e[n].day = (int32_t)d;
        e[n].line = line;
        n++;
    }
    if (n == 0) {
        free(e);
        return xf__fail(err, XF_EPARSE, 0, 0, "%s: no dates", name);
    }
    qsort(e, n, sizeof *e, cmp_entry);
    for (i = 1; i < n; i++)
        if (e[i].day == e[i - 1].day) {
            char buf[40];
            xf_time_format((xf_time)e[i].day * US_DAY, 1, buf, sizeof buf);
            int64_t l = e[i].line, first = e[i - 1].line;
            free(e);
            return xf__fail(err, XF_EPARSE, l, 1,
                            "%s:%lld: date %s is listed twice (first at line %lld)", name,
                            (long long)l, buf, (long long)first);
        }
    out->day = malloc(n * sizeof *out->day);
    if (out->day == NULL) {
        free(e);
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    }
    for (i = 0; i < n; i++)
        out->day[i] = e[i].day;
    out->n = n;
    free(e);
    return XF_OK;
}

int xf__holidays_load(const char *path, xf__holidays *out, xf_error *err)
{
    void *buf = NULL;
    size_t len = 0;
    int rc;
    out->day = NULL;
    out->n = 0;
    rc = xf__read_file(path, XF__HOLIDAYS_MAX_BYTES, &buf, &len, err);
    if (rc != XF_OK) {
        if (rc == XF_ERANGE)
            return xf__fail(err, rc, 0, 0, "%s: holiday file larger than %zu bytes", path,
                            XF__HOLIDAYS_MAX_BYTES);
        return rc;
    }
    rc = xf__holidays_parse(buf, len, path, out, err);
    free(buf);
    return rc;
}

int xf__holidays_from_days(const int32_t *day, size_t n, xf__holidays *out, xf_error *err)
{
    char text[32];
    size_t i;
    out->day = NULL;
    out->n = 0;
    if (n == 0 || n > XF__HOLIDAYS_MAX)
        return xf__fail(err, XF_EINVAL, 0, 0, "holiday table: %zu dates (1 to %d allowed)", n,
                        XF__HOLIDAYS_MAX);
    for (i = 1; i < n; i++)
        if (day[i] <= day[i - 1]) {
            xf_time_format((xf_time)day[i] * US_DAY, 1, text, sizeof text);
            return xf__fail(err, XF_EINVAL, 0, 0,
                            "holiday table: dates not strictly increasing at %s", text);
        }
    out->day = malloc(n * sizeof *out->day);
    if (out->day == NULL)
        return xf__fail(err, XF_ENOMEM, 0, 0, "out of memory");
    memcpy(out->day, day, n * sizeof *day);
    out->n = n;
    return XF_OK;
}

void xf__holidays_free(xf__holidays *h)
{
    if (h == NULL)
        return;
    free(h->day);
    h->day = NULL;
    h->n = 0;
}

int xf__holidays_has(const xf__holidays *h, int64_t day)
{
    size_t lo = 0, hi = h ? h->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->day[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return h != NULL && lo < h->n && h->day[lo] == day;
}

int xf__holidays_is_bday(const xf__holidays *h, int64_t day)
{
    return weekday(day) < 5 && !xf__holidays_has(h, day);
}

xf_time xf__holidays_advance(const xf__holidays *h, xf_time t, int64_t k)
{
    int64_t day = floor_div_day(t), tod = t - day * US_DAY, dir = k < 0 ? -1 : 1;
    int64_t left = k < 0 ? -k : k;
    while (left > 0) {
        day += dir;
        if (xf__holidays_is_bday(h, day))
            left--;
    }
    return day * US_DAY + tod;
}

/* Weekday index of a weekday (Monday-based weeks; as bday_index in freq.c). */
static int64_t weekday_index(int64_t day)
{
    int64_t dm = day + 3, week = dm / 7 - (dm % 7 < 0);
    return week * 5 + (dm - week * 7);
}

/* First index in the table with day[i] > day. */
static size_t upper(const xf__holidays *h, int64_t day)
{
    size_t lo = 0, hi = h ? h->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->day[mid] <= day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int xf__holidays_steps_between(const xf__holidays *h, xf_time a, xf_time b, int64_t *k)
{
    int64_t da = floor_div_day(a), db = floor_div_day(b), lo, hi, count;
    size_t i, end;
    if (a - da * US_DAY != b - db * US_DAY || !xf__holidays_is_bday(h, da) ||
        !xf__holidays_is_bday(h, db))
        return XF_EDATA;
    lo = da < db ? da : db;
    hi = da < db ? db : da;
    /* weekdays in (lo, hi], less the listed weekdays among them */
    count = weekday_index(hi) - weekday_index(lo);
    end = upper(h, hi);
    for (i = upper(h, lo); i < end; i++)
        count -= weekday(h->day[i]) < 5;
    *k = da <= db ? count : -count;
    return XF_OK;
}

static int uses_calendar(xf_freq f, const xf__holidays *h)
{
    return f.kind == XF_FREQ_BDAY && h != NULL && h->n > 0 && f.step > 0;
}

int xf__freq_advance_hol(xf_freq f, const xf__holidays *h, xf_time t, int64_t k, xf_time *out)
{
    xf_time plain, far;
    int rc;
    if (!uses_calendar(f, h))
        return xf_freq_advance(f, t, k, out);
    /* in range on plain business days, and h->n steps further: the calendar
     * skips at most one day per listed date */
    if ((rc = xf_freq_advance(f, t, k, &plain)) != XF_OK)
        return rc;
    if (k > INT64_MIN / 2 && k < INT64_MAX / 2 &&
        (rc = xf_freq_advance(f, t, k < 0 ? k - (int64_t)h->n : k + (int64_t)h->n, &far)) != XF_OK)
        return rc;
    *out = xf__holidays_advance(h, t, k * f.step);
    return XF_OK;
}

int xf__freq_steps_hol(xf_freq f, const xf__holidays *h, xf_time a, xf_time b, int64_t *k)
{
    int64_t days;
    int rc;
    if (!uses_calendar(f, h))
        return xf_freq_steps_between(f, a, b, k);
    if ((rc = xf__holidays_steps_between(h, a, b, &days)) != XF_OK)
        return rc;
    if (days % f.step != 0)
        return XF_EDATA;
    *k = days / f.step;
    return XF_OK;
}

static int off_day(const xf__holidays *h, int64_t day)
{
    return weekday(day) >= 5 || xf__holidays_has(h, day);
}

void xf__holidays_indicators(const xf__holidays *h, int64_t day, float *out)
{
    int hol = xf__holidays_has(h, day);
    out[0] = (float)hol;
    out[1] = (float)(!hol && xf__holidays_has(h, day + 1));
    out[2] = (float)(!hol && xf__holidays_has(h, day - 1));
    /* bridge: a working weekday squeezed between a holiday and a day off */
    out[3] = (float)(!off_day(h, day) && ((xf__holidays_has(h, day - 1) && off_day(h, day + 1)) ||
                                          (xf__holidays_has(h, day + 1) && off_day(h, day - 1))));
}
