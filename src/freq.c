/* freq.c - sampling frequencies: text forms and calendar-aware stepping.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "xf_internal.h"
#include "xfcast/freq.h"

#define US_SEC XF_TIME_US_PER_SEC
#define US_MIN (60 * US_SEC)
#define US_HOUR (3600 * US_SEC)
#define US_DAY XF_TIME_US_PER_DAY
#define US_WEEK (7 * US_DAY)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Words accepted by --freq, with their meaning. */
static const struct {
    const char *name;
    xf_freq_kind kind;
    int64_t unit;
} freq_units[] = {
    {"us", XF_FREQ_FIXED, 1},         {"ms", XF_FREQ_FIXED, 1000},
    {"s", XF_FREQ_FIXED, US_SEC},     {"sec", XF_FREQ_FIXED, US_SEC},
    {"min", XF_FREQ_FIXED, US_MIN},   {"h", XF_FREQ_FIXED, US_HOUR},
    {"H", XF_FREQ_FIXED, US_HOUR},    {"hourly", XF_FREQ_FIXED, US_HOUR},
    {"D", XF_FREQ_FIXED, US_DAY},     {"d", XF_FREQ_FIXED, US_DAY},
    {"daily", XF_FREQ_FIXED, US_DAY}, {"W", XF_FREQ_FIXED, US_WEEK},
    {"w", XF_FREQ_FIXED, US_WEEK},    {"weekly", XF_FREQ_FIXED, US_WEEK},
    {"B", XF_FREQ_BDAY, 1},           {"business", XF_FREQ_BDAY, 1},
    {"M", XF_FREQ_MONTH, 1},          {"monthly", XF_FREQ_MONTH, 1},
    {"Q", XF_FREQ_MONTH, 3},          {"quarterly", XF_FREQ_MONTH, 3},
    {"Y", XF_FREQ_MONTH, 12},         {"A", XF_FREQ_MONTH, 12},
    {"yearly", XF_FREQ_MONTH, 12},
};

int xf_freq_parse(const char *text, xf_freq *out, xf_error *err)
{
    const char *p = text;
    int64_t n = 0;
    int have_n = 0;
    size_t i;
    if (text == NULL)
        return xf__fail(err, XF_EINVAL, 0, 0, "no frequency given");
    while (isdigit((unsigned char)*p)) {
        if (n > INT64_C(1000000000))
            return xf__fail(err, XF_EINVAL, 0, 0, "frequency '%s' is too large", text);
        n = n * 10 + (*p++ - '0');
        have_n = 1;
    }
    if (!have_n)
        n = 1;
    for (i = 0; i < sizeof freq_units / sizeof freq_units[0]; i++) {
        if (strcmp(p, freq_units[i].name) == 0) {
            if (n <= 0)
                return xf__fail(err, XF_EINVAL, 0, 0, "frequency '%s' must be positive", text);
            if (freq_units[i].kind == XF_FREQ_FIXED && n > INT64_MAX / freq_units[i].unit / 1024)
                return xf__fail(err, XF_EINVAL, 0, 0, "frequency '%s' is too large", text);
            out->kind = freq_units[i].kind;
            out->step = n * freq_units[i].unit;
            out->month_end = 0;
            return XF_OK;
        }
    }
    return xf__fail(err, XF_EINVAL, 0, 0,
                    "unknown frequency '%s' (use e.g. 15s, 30min, 1h, D, W, B, M, Q, Y)", text);
}

size_t xf_freq_format(xf_freq f, char *buf, size_t n)
{
    char tmp[48];
    int k;
    int64_t s = f.step;
    switch (f.kind) {
    case XF_FREQ_FIXED:
        if (s > 0 && s % US_WEEK == 0)
            k = s == US_WEEK ? snprintf(tmp, sizeof tmp, "W")
                             : snprintf(tmp, sizeof tmp, "%lldW", (long long)(s / US_WEEK));
        else if (s > 0 && s % US_DAY == 0)
            k = s == US_DAY ? snprintf(tmp, sizeof tmp, "D")
                            : snprintf(tmp, sizeof tmp, "%lldD", (long long)(s / US_DAY));
        else if (s > 0 && s % US_HOUR == 0)
            k = snprintf(tmp, sizeof tmp, "%lldh", (long long)(s / US_HOUR));
        else if (s > 0 && s % US_MIN == 0)
            k = snprintf(tmp, sizeof tmp, "%lldmin", (long long)(s / US_MIN));
        else if (s > 0 && s % US_SEC == 0)
            k = snprintf(tmp, sizeof tmp, "%llds", (long long)(s / US_SEC));
        else if (s > 0 && s % 1000 == 0)
            k = snprintf(tmp, sizeof tmp, "%lldms", (long long)(s / 1000));
        else
            k = snprintf(tmp, sizeof tmp, "%lldus", (long long)s);
        break;
    case XF_FREQ_BDAY:
        k = s == 1 ? snprintf(tmp, sizeof tmp, "B")
                   : snprintf(tmp, sizeof tmp, "%lldB", (long long)s);
        break;
    case XF_FREQ_MONTH:
        if (s == 1)
            k = snprintf(tmp, sizeof tmp, "M");
        else if (s == 3)
            k = snprintf(tmp, sizeof tmp, "Q");
        else if (s == 12)
            k = snprintf(tmp, sizeof tmp, "Y");
        else if (s % 12 == 0)
            k = snprintf(tmp, sizeof tmp, "%lldY", (long long)(s / 12));
        else
            k = snprintf(tmp, sizeof tmp, "%lldM", (long long)s);
        break;
    default:
        k = snprintf(tmp, sizeof tmp, "?");
        break;
    }
    return xf__copy_out(buf, n, tmp, k);
}

static int days_in_month(int64_t y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* Business-day index of a day number (days since 1970-01-01, a Thursday):
 * Monday of the week containing day 0 is day -3. */
static int64_t bday_index(int64_t day, int *weekend)
{
    int64_t dm = day + 3, week = floor_div(dm, 7), dow = dm - week * 7;
    *weekend = dow >= 5;
    return week * 5 + (dow < 5 ? dow : 4);
}

static int64_t bday_to_day(int64_t b)
{
    int64_t week = floor_div(b, 5), dow = b - week * 5;
    return week * 7 + dow - 3;
}

/* The supported instants: years -99999..99999, as xf_time_from_civil
 * (-99999-01-01T00:00:00Z and 99999-12-31T23:59:59.999999Z; test_freq.c
 * checks both against xf_time_from_civil). */
#define TIME_MIN INT64_C(-3217830796800000000)
#define TIME_MAX INT64_C(3093527980799999999)

static int in_range(xf_time t)
{
    return t >= TIME_MIN && t <= TIME_MAX;
}

/* *out = a + k * step without int64 overflow; 0 on success. */
static int add_mul(int64_t a, int64_t k, int64_t step, int64_t *out)
{
    int64_t d;
    if (step <= 0)
        return -1;
    if (k > INT64_MAX / step || k < -(INT64_MAX / step))
        return -1;
    d = k * step;
    if ((d > 0 && a > INT64_MAX - d) || (d < 0 && a < INT64_MIN - d))
        return -1;
    *out = a + d;
    return 0;
}

int xf_freq_advance(xf_freq f, xf_time t, int64_t k, xf_time *out)
{
    xf_time r;
    switch (f.kind) {
    case XF_FREQ_FIXED:
        if (f.step <= 0)
            return XF_EINVAL;
        if (add_mul(t, k, f.step, &r) != 0)
            return XF_ERANGE;
        break;
    case XF_FREQ_BDAY: {
        int64_t day = floor_div(t, US_DAY), tod = t - day * US_DAY, b, d;
        int weekend;
        if (f.step <= 0)
            return XF_EINVAL;
        b = bday_index(day, &weekend);
        /* 1e9 business days (3.8 million years) is far beyond the range:
         * refusing it first keeps the day arithmetic below from overflowing */
        if (add_mul(b, k, f.step, &b) != 0 || b > INT64_C(1000000000) || b < -INT64_C(1000000000))
            return XF_ERANGE;
        d = bday_to_day(b);
        r = d * US_DAY + tod;
        break;
    }
    case XF_FREQ_MONTH: {
        xf_civil c;
        int64_t mi, y;
        if (f.step <= 0)
            return XF_EINVAL;
        xf_time_to_civil(t, &c);
        if (add_mul((int64_t)c.year * 12 + (c.month - 1), k, f.step, &mi) != 0)
            return XF_ERANGE;
        y = floor_div(mi, 12);
        if (y < -99999 || y > 99999)
            return XF_ERANGE;
        c.year = (int32_t)y;
        c.month = (int32_t)(mi - y * 12 + 1);
        if (f.month_end || c.day > days_in_month(c.year, c.month))
            c.day = days_in_month(c.year, c.month);
        if (xf_time_from_civil(&c, &r) != XF_OK)
            return XF_ERANGE;
        break;
    }
    default:
        return XF_EINVAL;
    }
    if (!in_range(r))
        return XF_ERANGE;
    *out = r;
    return XF_OK;
}

int xf_freq_steps_between(xf_freq f, xf_time a, xf_time b, int64_t *k)
{
    switch (f.kind) {
    case XF_FREQ_FIXED:
        if (f.step <= 0 || (b - a) % f.step != 0)
            return XF_EDATA;
        *k = (b - a) / f.step;
        return XF_OK;
    case XF_FREQ_BDAY: {
        int64_t da = floor_div(a, US_DAY), db = floor_div(b, US_DAY);
        int wa, wb;
        int64_t ba = bday_index(da, &wa), bb = bday_index(db, &wb);
        if (wa || wb || a - da * US_DAY != b - db * US_DAY || (bb - ba) % f.step != 0)
            return XF_EDATA;
        *k = (bb - ba) / f.step;
        return XF_OK;
    }
    case XF_FREQ_MONTH: {
        xf_civil ca, cb;
        int64_t d;
        xf_time back;
        xf_time_to_civil(a, &ca);
        xf_time_to_civil(b, &cb);
        d = ((int64_t)cb.year * 12 + cb.month) - ((int64_t)ca.year * 12 + ca.month);
        if (d % f.step != 0 || xf_freq_advance(f, a, d / f.step, &back) != XF_OK || back != b)
            return XF_EDATA;
        *k = d / f.step;
        return XF_OK;
    }
    default:
        return XF_EDATA;
    }
}
