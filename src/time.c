/* time.c - UTC timestamps: ISO-8601, epoch and strptime parsing, calendar
 * conversion and formatting.
 *
 * Calendar arithmetic uses the days-from-civil algorithm (proleptic
 * Gregorian, era-based, exact for all int32 years), so no libc time zone
 * state is touched: parsing is thread-safe and independent of TZ.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xf_internal.h"
#include "xfcast/time.h"

/* Timestamps are limited to years -99999..99999 so that every arithmetic
 * step below stays far from int64 overflow. */
#define XF_YEAR_MIN (-99999)
#define XF_YEAR_MAX 99999

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Days since 1970-01-01 of a civil date (month 1..12, day 1..31). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = floor_div(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int32_t *m, int32_t *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = floor_div(z, 146097);
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int32_t)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int32_t)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

void xf_time_to_civil(xf_time t, xf_civil *c)
{
    int64_t days = floor_div(t, XF_TIME_US_PER_DAY);
    /* The time of day, 0 .. day-1, from the remainder: t - days * day would
     * overflow for instants near INT64_MIN. */
    int64_t rem = t % XF_TIME_US_PER_DAY;
    int64_t secs, y;
    if (rem < 0)
        rem += XF_TIME_US_PER_DAY;
    secs = rem / XF_TIME_US_PER_SEC;
    civil_from_days(days, &y, &c->month, &c->day);
    c->year = (int32_t)y;
    c->hour = (int32_t)(secs / 3600);
    c->minute = (int32_t)(secs / 60 % 60);
    c->second = (int32_t)(secs % 60);
    c->usec = (int32_t)(rem % XF_TIME_US_PER_SEC);
    c->wday = (int32_t)(floor_div(days + 3, 7) * -7 + days + 3); /* 1970-01-01 was a Thursday */
    c->yday = (int32_t)(days - days_from_civil(y, 1, 1));
}

int xf_time_from_civil(const xf_civil *c, xf_time *out)
{
    /* Second 60 is refused: leap seconds are not representable, and
     * accepting it would silently give the first second of the next
     * minute. */
    if (c->year < XF_YEAR_MIN || c->year > XF_YEAR_MAX || c->month < 1 || c->month > 12 ||
        c->day < 1 || c->day > days_in_month(c->year, c->month) || c->hour < 0 || c->hour > 23 ||
        c->minute < 0 || c->minute > 59 || c->second < 0 || c->second > 59 || c->usec < 0 ||
        c->usec > 999999)
        return XF_ERANGE;
    *out = days_from_civil(c->year, c->month, c->day) * XF_TIME_US_PER_DAY +
           ((int64_t)c->hour * 3600 + c->minute * 60 + c->second) * XF_TIME_US_PER_SEC + c->usec;
    return XF_OK;
}

/* Read exactly n digits at s[*i]; returns -1 when they are not all digits. */
static int64_t digits(const char *s, size_t len, size_t *i, int n)
{
    int64_t v = 0;
    int k;
    if (*i + (size_t)n > len)
        return -1;
    for (k = 0; k < n; k++) {
        char ch = s[*i + (size_t)k];
        if (ch < '0' || ch > '9')
            return -1;
        v = v * 10 + (ch - '0');
    }
    *i += (size_t)n;
    return v;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

int xf_time_parse_iso(const char *s, size_t len, xf_time *out)
{
    size_t i = 0;
    xf_civil c;
    int64_t y, v, offset_s = 0;
    xf_time t;
    char sep = '-';

    while (len > 0 && is_blank(s[len - 1]))
        len--;
    while (i < len && is_blank(s[i]))
        i++;
    memset(&c, 0, sizeof c);
    c.month = 1;
    c.day = 1;

    /* Basic form YYYYMMDD (exactly 8 digits). */
    if (len - i == 8) {
        size_t j = i;
        int64_t yy = digits(s, len, &j, 4), mm = digits(s, len, &j, 2), dd = digits(s, len, &j, 2);
        if (yy < 0 || mm < 0 || dd < 0)
            return XF_EPARSE;
        c.year = (int32_t)yy;
        c.month = (int32_t)mm;
        c.day = (int32_t)dd;
        if (xf_time_from_civil(&c, out) != XF_OK)
            return XF_EPARSE;
        return XF_OK;
    }
    if ((y = digits(s, len, &i, 4)) < 0)
        return XF_EPARSE;
    c.year = (int32_t)y;
    if (i == len)
        goto done; /* YYYY: a year */
    if (s[i] != '-' && s[i] != '/')
        return XF_EPARSE;
    sep = s[i++];
    if ((v = digits(s, len, &i, 2)) < 0)
        return XF_EPARSE;
    c.month = (int32_t)v;
    if (i == len)
        goto done; /* YYYY-MM: a month */
    if (s[i] != sep)
        return XF_EPARSE;
    i++;
    if ((v = digits(s, len, &i, 2)) < 0)
        return XF_EPARSE;
    c.day = (int32_t)v;
    if (i == len)
        goto done;
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        return XF_EPARSE;
    i++;
    if ((v = digits(s, len, &i, 2)) < 0)
        return XF_EPARSE;
    c.hour = (int32_t)v;
    if (i >= len || s[i] != ':')
        return XF_EPARSE;
    i++;
    if ((v = digits(s, len, &i, 2)) < 0)
        return XF_EPARSE;
    c.minute = (int32_t)v;
    if (i < len && s[i] == ':') {
        i++;
        if ((v = digits(s, len, &i, 2)) < 0)
            return XF_EPARSE;
        c.second = (int32_t)v;
        if (i < len && (s[i] == '.' || s[i] == ',')) {
            int n = 0;
            int32_t us = 0;
            i++;
            while (i < len && s[i] >= '0' && s[i] <= '9') {
                if (n < 6) /* digits beyond microseconds are dropped */
                    us = us * 10 + (s[i] - '0');
                n++;
                i++;
            }
            if (n == 0)
                return XF_EPARSE;
            for (; n < 6; n++)
                us *= 10;
            c.usec = us;
        }
    }
    if (i < len && s[i] == ' ')
        i++;
    if (i < len) {
        if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
            i++;
        } else if (len - i == 3 && memcmp(s + i, "UTC", 3) == 0) {
            i += 3;
        } else if (s[i] == '+' || s[i] == '-') {
            int neg = s[i] == '-';
            int64_t oh, om = 0;
            i++;
            if ((oh = digits(s, len, &i, 2)) < 0)
                return XF_EPARSE;
            if (i < len && s[i] == ':') {
                /* A colon must be followed by the minutes ("+02:" is not
                 * an offset). */
                i++;
                if ((om = digits(s, len, &i, 2)) < 0)
                    return XF_EPARSE;
            } else if (i < len && (om = digits(s, len, &i, 2)) < 0) {
                return XF_EPARSE;
            }
            if (oh > 23 || om > 59)
                return XF_EPARSE;
            offset_s = (oh * 3600 + om * 60) * (neg ? -1 : 1);
        } else {
            return XF_EPARSE;
        }
        if (i != len)
            return XF_EPARSE;
    }
done:
    if (xf_time_from_civil(&c, &t) != XF_OK)
        return XF_EPARSE;
    *out = t - offset_s * XF_TIME_US_PER_SEC;
    return XF_OK;
}

int xf_time_parse_epoch(const char *s, size_t len, int millis, xf_time *out)
{
    size_t i = 0;
    int neg = 0, nd = 0, nf = 0;
    int64_t ip = 0, fp = 0, scale;
    const int64_t limit = INT64_C(3155760000000); /* ~100000 years in seconds */

    while (len > 0 && is_blank(s[len - 1]))
        len--;
    while (i < len && is_blank(s[i]))
        i++;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
        if (ip > limit * 1000)
            return XF_ERANGE;
        ip = ip * 10 + (s[i] - '0');
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nf++)
            if (nf < 6)
                fp = fp * 10 + (s[i] - '0');
    }
    if (i != len || nd + nf == 0)
        return XF_EPARSE;
    for (; nf < 6; nf++)
        fp *= 10;
    if (millis) {
        /* ms with fraction: fp holds millionths of a millisecond */
        if (ip > limit * 1000)
            return XF_ERANGE;
        scale = ip * 1000 + fp / 1000;
    } else {
        if (ip > limit)
            return XF_ERANGE;
        scale = ip * XF_TIME_US_PER_SEC + fp;
    }
    *out = neg ? -scale : scale;
    return XF_OK;
}

int xf_time_parse_strptime(const char *s, const char *format, xf_time *out)
{
#ifdef HAVE_STRPTIME
    struct tm tm;
    const char *end;
    xf_civil c;
    xf_time t;
    memset(&tm, 0, sizeof tm);
    end = strptime(s, format, &tm);
    if (end == NULL)
        return XF_EPARSE;
    while (is_blank(*end))
        end++;
    if (*end != '\0')
        return XF_EPARSE;
    memset(&c, 0, sizeof c);
    c.year = tm.tm_year + 1900;
    c.month = tm.tm_mon + 1;
    c.day = tm.tm_mday == 0 ? 1 : tm.tm_mday;
    c.hour = tm.tm_hour;
    c.minute = tm.tm_min;
    c.second = tm.tm_sec;
    if (xf_time_from_civil(&c, &t) != XF_OK)
        return XF_EPARSE;
#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__)
    t -= (int64_t)tm.tm_gmtoff * XF_TIME_US_PER_SEC;
#endif
    *out = t;
    return XF_OK;
#else
    (void)s;
    (void)format;
    (void)out;
    return XF_EINVAL;
#endif
}

int xf_time_detect(const char *s, size_t len, xf_timefmt *fmt)
{
    xf_time t;
    size_t i = 0, nd = 0;
    int dot = 0;
    if (xf_time_parse_iso(s, len, &t) == XF_OK) {
        *fmt = XF_TIMEFMT_ISO;
        return XF_OK;
    }
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    while (i < len && is_blank(s[i]))
        i++;
    if (i < len && s[i] == '-')
        i++;
    for (; i < len; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            nd++;
        else if (s[i] == '.' && !dot)
            dot = 1;
        else
            return XF_EPARSE;
    }
    if (nd == 0)
        return XF_EPARSE;
    /* 1e11 s is year 5138; 1e11 ms is 1973: magnitude tells the unit. */
    {
        size_t int_digits = 0, k = 0;
        while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '-'))
            k++;
        while (k < len && s[k] >= '0' && s[k] <= '9') {
            if (int_digits > 0 || s[k] != '0')
                int_digits++;
            k++;
        }
        *fmt = int_digits >= 12 ? XF_TIMEFMT_EPOCH_MS : XF_TIMEFMT_EPOCH_S;
    }
    return XF_OK;
}

size_t xf_time_format(xf_time t, int date_only_ok, char *buf, size_t n)
{
    xf_civil c;
    char tmp[64];
    int k;
    xf_time_to_civil(t, &c);
    if (date_only_ok && c.hour == 0 && c.minute == 0 && c.second == 0 && c.usec == 0) {
        k = snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", c.year, c.month, c.day);
    } else if (c.usec == 0) {
        k = snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day,
                     c.hour, c.minute, c.second);
    } else {
        char frac[8];
        int e = 6;
        snprintf(frac, sizeof frac, "%06d", c.usec);
        while (e > 1 && frac[e - 1] == '0')
            frac[--e] = '\0';
        k = snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%sZ", c.year, c.month, c.day,
                     c.hour, c.minute, c.second, frac);
    }
    return xf__copy_out(buf, n, tmp, k);
}
