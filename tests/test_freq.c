/* test_freq.c - unit tests of xfcast/freq.h: parsing and formatting of
 * frequencies, calendar-aware stepping and its inverse.
 *
 * Business-day and month steps are cross-checked against naive references
 * (walking day by day; counting months on the calendar fields).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

#include "testutil.h"

#define US_SEC INT64_C(1000000)
#define US_MIN (60 * US_SEC)
#define US_HOUR (3600 * US_SEC)
#define US_DAY INT64_C(86400000000)
#define US_WEEK (7 * US_DAY)

/* Deterministic pseudo-random numbers (splitmix64). */
static uint64_t rng_state = UINT64_C(0x7c15d2385e3779b9);

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static int64_t rng_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

/* An ISO timestamp from the tables (the time parser has its own tests). */
static xf_time T(const char *iso)
{
    xf_time t = 0;
    if (xf_time_parse_iso(iso, strlen(iso), &t) != XF_OK) {
        fprintf(stderr, "bad timestamp in a table: '%s'\n", iso);
        exit(99);
    }
    return t;
}

static xf_freq F(const char *text, int month_end)
{
    xf_freq f;
    if (xf_freq_parse(text, &f, NULL) != XF_OK) {
        fprintf(stderr, "bad frequency in a table: '%s'\n", text);
        exit(99);
    }
    f.month_end = month_end;
    return f;
}

static void fmt_time(xf_time t, char *buf, size_t n)
{
    xf_time_format(t, 0, buf, n);
}

/* xf_freq_advance that must succeed. */
static xf_time adv(xf_freq f, xf_time t, int64_t k)
{
    xf_time out = INT64_C(-777);
    int rc = xf_freq_advance(f, t, k, &out);
    CHECK_MSG(rc == XF_OK, "advance %lld steps: status %d", (long long)k, rc);
    return out;
}

/* ------------------------------------------------------------ parse, format */

static void test_parse_format(void)
{
    static const struct {
        const char *text;
        xf_freq_kind kind;
        int64_t step;
        const char *canon;
    } ok[] = {
        {"15s", XF_FREQ_FIXED, 15 * US_SEC, "15s"},
        {"30min", XF_FREQ_FIXED, 30 * US_MIN, "30min"},
        {"1h", XF_FREQ_FIXED, US_HOUR, "1h"},
        {"h", XF_FREQ_FIXED, US_HOUR, "1h"},
        {"H", XF_FREQ_FIXED, US_HOUR, "1h"},
        {"6h", XF_FREQ_FIXED, 6 * US_HOUR, "6h"},
        {"24h", XF_FREQ_FIXED, US_DAY, "D"},
        {"36h", XF_FREQ_FIXED, 36 * US_HOUR, "36h"},
        {"D", XF_FREQ_FIXED, US_DAY, "D"},
        {"d", XF_FREQ_FIXED, US_DAY, "D"},
        {"1D", XF_FREQ_FIXED, US_DAY, "D"},
        {"2D", XF_FREQ_FIXED, 2 * US_DAY, "2D"},
        {"14D", XF_FREQ_FIXED, 2 * US_WEEK, "2W"},
        {"W", XF_FREQ_FIXED, US_WEEK, "W"},
        {"w", XF_FREQ_FIXED, US_WEEK, "W"},
        {"2W", XF_FREQ_FIXED, 2 * US_WEEK, "2W"},
        {"B", XF_FREQ_BDAY, 1, "B"},
        {"3B", XF_FREQ_BDAY, 3, "3B"},
        {"M", XF_FREQ_MONTH, 1, "M"},
        {"6M", XF_FREQ_MONTH, 6, "6M"},
        {"Q", XF_FREQ_MONTH, 3, "Q"},
        {"2Q", XF_FREQ_MONTH, 6, "6M"},
        {"4Q", XF_FREQ_MONTH, 12, "Y"},
        {"Y", XF_FREQ_MONTH, 12, "Y"},
        {"A", XF_FREQ_MONTH, 12, "Y"},
        {"2Y", XF_FREQ_MONTH, 24, "2Y"},
        {"36M", XF_FREQ_MONTH, 36, "3Y"},
        {"500ms", XF_FREQ_FIXED, 500000, "500ms"},
        {"1000ms", XF_FREQ_FIXED, US_SEC, "1s"},
        {"2500ms", XF_FREQ_FIXED, 2500000, "2500ms"},
        {"250us", XF_FREQ_FIXED, 250, "250us"},
        {"60s", XF_FREQ_FIXED, US_MIN, "1min"},
        {"90min", XF_FREQ_FIXED, 90 * US_MIN, "90min"},
        {"7s", XF_FREQ_FIXED, 7 * US_SEC, "7s"},
        {"sec", XF_FREQ_FIXED, US_SEC, "1s"},
        {"hourly", XF_FREQ_FIXED, US_HOUR, "1h"},
        {"daily", XF_FREQ_FIXED, US_DAY, "D"},
        {"weekly", XF_FREQ_FIXED, US_WEEK, "W"},
        {"business", XF_FREQ_BDAY, 1, "B"},
        {"monthly", XF_FREQ_MONTH, 1, "M"},
        {"quarterly", XF_FREQ_MONTH, 3, "Q"},
        {"yearly", XF_FREQ_MONTH, 12, "Y"},
        {"0015s", XF_FREQ_FIXED, 15 * US_SEC, "15s"},
        {"1000000000us", XF_FREQ_FIXED, INT64_C(1000000000), "1000s"},
        {"10000W", XF_FREQ_FIXED, 10000 * US_WEEK, "10000W"},
    };
    static const char *const bad[] = {
        "",
        "0h",
        "0",
        "0D",
        "000M",
        "x",
        "m",
        "-1h",
        "+1h",
        "1.5h",
        "1 h",
        " 1h",
        "1h ",
        "hours",
        "1hour",
        "MIN",
        "1m",
        "S",
        "BB",
        "2B2",
        "1e3s",
        "Z",
        "annually",
        "12",
        "h1",
        "1hh",
        "1\n",
        "99999999999999999999h",
        "18446744073709551617s",
        "100000000000B",
        "100000000000M",
        "20000W",
        "999999999999us",
    };
    size_t i;
    char buf[64];

    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        xf_freq f, g;
        xf_error err;
        size_t n;
        memset(&f, 0x5a, sizeof f);
        xf_error_clear(&err);
        CHECK_MSG(xf_freq_parse(ok[i].text, &f, &err) == XF_OK, "'%s' rejected: %s", ok[i].text,
                  err.message);
        CHECK_MSG(f.kind == ok[i].kind && f.step == ok[i].step && f.month_end == 0,
                  "'%s' -> kind %d step %lld month_end %d", ok[i].text, (int)f.kind,
                  (long long)f.step, (int)f.month_end);
        CHECK_INT(err.code, XF_OK);
        n = xf_freq_format(f, buf, sizeof buf);
        CHECK_STR(buf, ok[i].canon);
        CHECK_INT(n, strlen(ok[i].canon));
        /* The canonical text reads back as the same frequency. */
        CHECK_MSG(xf_freq_parse(buf, &g, NULL) == XF_OK && g.kind == f.kind && g.step == f.step,
                  "'%s' does not read back", buf);
    }

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xf_freq f;
        xf_error err;
        int rc;
        f.kind = XF_FREQ_UNKNOWN;
        f.step = 0;
        f.month_end = 0;
        xf_error_clear(&err);
        rc = xf_freq_parse(bad[i], &f, &err);
        CHECK_MSG(rc == XF_EINVAL, "'%s' -> %d, want XF_EINVAL", bad[i], rc);
        CHECK_INT(err.code, XF_EINVAL);
        /* The message quotes the text. */
        {
            char quoted[64];
            snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
            CHECK_MSG(strstr(err.message, quoted) != NULL, "message '%s' does not name %s",
                      err.message, quoted);
        }
        CHECK_MSG(f.kind == XF_FREQ_UNKNOWN && f.step == 0, "'%s': output written on error",
                  bad[i]);
        CHECK_INT(xf_freq_parse(bad[i], &f, NULL), XF_EINVAL);
    }
    {
        xf_error err;
        xf_freq f;
        xf_error_clear(&err);
        CHECK_INT(xf_freq_parse(NULL, &f, &err), XF_EINVAL);
        CHECK_INT(err.code, XF_EINVAL);
        CHECK(err.message[0] != '\0');
    }

    /* Canonical forms of frequencies built directly. */
    {
        static const struct {
            xf_freq f;
            const char *want;
        } fm[] = {
            {{XF_FREQ_FIXED, 1, 0}, "1us"},
            {{XF_FREQ_FIXED, 1001, 0}, "1001us"},
            {{XF_FREQ_FIXED, 3 * US_WEEK, 0}, "3W"},
            {{XF_FREQ_FIXED, 3 * US_WEEK + US_DAY, 0}, "22D"},
            {{XF_FREQ_FIXED, 25 * US_HOUR, 0}, "25h"},
            {{XF_FREQ_FIXED, 125 * US_MIN, 0}, "125min"},
            {{XF_FREQ_FIXED, 61 * US_SEC, 0}, "61s"},
            {{XF_FREQ_BDAY, 1, 0}, "B"},
            {{XF_FREQ_BDAY, 10, 0}, "10B"},
            {{XF_FREQ_MONTH, 1, 1}, "M"},
            {{XF_FREQ_MONTH, 2, 0}, "2M"},
            {{XF_FREQ_MONTH, 15, 0}, "15M"},
            {{XF_FREQ_MONTH, 120, 1}, "10Y"},
            {{XF_FREQ_UNKNOWN, 0, 0}, "?"},
        };
        for (i = 0; i < sizeof fm / sizeof fm[0]; i++) {
            size_t n = xf_freq_format(fm[i].f, buf, sizeof buf);
            CHECK_STR(buf, fm[i].want);
            CHECK_INT(n, strlen(fm[i].want));
        }
    }

    /* Truncation works like snprintf. */
    {
        xf_freq f = F("30min", 0);
        char small[16];
        size_t k;
        for (k = 0; k <= 7; k++) {
            size_t n;
            memset(small, '#', sizeof small);
            n = xf_freq_format(f, small, k);
            CHECK_INT(n, 5);
            if (k > 0)
                CHECK_MSG(strlen(small) == (k - 1 < 5 ? k - 1 : 5) &&
                              memcmp(small, "30min", strlen(small)) == 0,
                          "size %zu: '%s'", k, small);
            CHECK_MSG(small[k] == '#', "size %zu: wrote past the buffer", k);
        }
        CHECK_INT(xf_freq_format(f, NULL, 0), 5);
    }
}

/* ------------------------------------------------------------ advance */

static const struct {
    const char *freq;
    int month_end;
    const char *from;
    int64_t k;
    const char *to;
} advance_cases[] = {
    /* Fixed steps. */
    {"1h", 0, "2021-03-04T05:06:07Z", 3, "2021-03-04T08:06:07Z"},
    {"15s", 0, "2021-03-04T05:06:07Z", -4, "2021-03-04T05:05:07Z"},
    {"30min", 0, "2021-12-31T23:45:00Z", 1, "2022-01-01T00:15:00Z"},
    {"6h", 0, "2024-02-28T18:00:00Z", 2, "2024-02-29T06:00:00Z"},
    {"D", 0, "2024-02-28", 2, "2024-03-01"},
    {"D", 0, "2023-02-28", 1, "2023-03-01"},
    {"2D", 0, "1970-01-03", -3, "1969-12-28"},
    {"W", 0, "1969-12-25", 1, "1970-01-01"},
    {"W", 0, "2021-03-04T05:06:07.123456Z", 52, "2022-03-03T05:06:07.123456Z"},
    {"500ms", 0, "1969-12-31T23:59:59.75Z", 1, "1970-01-01T00:00:00.25Z"},
    {"250us", 0, "2021-03-04T05:06:07Z", -3, "2021-03-04T05:06:06.99925Z"},
    {"1h", 0, "2021-03-04T05:06:07Z", 0, "2021-03-04T05:06:07Z"},
    /* Business days: weekends skipped, time of day kept. */
    {"B", 0, "2024-03-08", 1, "2024-03-11"},  /* Fri -> Mon */
    {"B", 0, "2024-03-11", -1, "2024-03-08"}, /* Mon -> Fri */
    {"B", 0, "2024-03-13", 5, "2024-03-20"},  /* Wed + 1 week */
    {"B", 0, "2024-03-13", -5, "2024-03-06"},
    {"B", 0, "2024-03-14T09:30:00Z", 2, "2024-03-18T09:30:00Z"}, /* Thu -> Mon */
    {"B", 0, "2024-03-12", -7, "2024-03-01"}, /* Tue -> Fri a week and a half back */
    {"B", 0, "2024-03-11", 0, "2024-03-11"},
    {"B", 0, "2024-02-26", 23, "2024-03-28"},
    {"3B", 0, "2024-03-11", 2, "2024-03-19"}, /* 6 business days */
    {"2B", 0, "2024-03-15T16:45:00Z", -1, "2024-03-13T16:45:00Z"},
    {"B", 0, "1969-12-26", 1, "1969-12-29"},  /* Fri -> Mon before the epoch */
    {"B", 0, "1970-01-01", -1, "1969-12-31"}, /* Thu -> Wed */
    {"B", 0, "1970-01-05", -1, "1970-01-02"}, /* Mon -> Fri */
    {"B", 0, "1900-01-01", -1, "1899-12-29"}, /* Mon -> Fri */
    {"B", 0, "1900-01-01T23:59:59.999999Z", 260, "1900-12-31T23:59:59.999999Z"}, /* 52 weeks */
    {"B", 0, "1900-01-01T23:59:59.999999Z", 261, "1901-01-01T23:59:59.999999Z"},
    /* Months: the day is clamped to the month's length. */
    {"M", 0, "2024-01-31", 1, "2024-02-29"},
    {"M", 0, "2023-01-31", 1, "2023-02-28"},
    {"M", 0, "1900-01-31", 1, "1900-02-28"},
    {"M", 0, "2000-01-31", 1, "2000-02-29"},
    {"M", 0, "2024-01-31", 2, "2024-03-31"}, /* from the start, not chained */
    {"M", 0, "2024-01-31", 3, "2024-04-30"},
    {"M", 0, "2024-03-31", -1, "2024-02-29"},
    {"M", 0, "2024-02-29", 1, "2024-03-29"},
    {"M", 0, "2021-03-15T12:34:56.789Z", 10, "2022-01-15T12:34:56.789Z"},
    {"M", 0, "2021-03-15", -15, "2019-12-15"},
    {"M", 0, "1970-01-01", -1, "1969-12-01"},
    {"M", 0, "0001-01-15", -1, "0000-12-15"},
    {"6M", 0, "2021-08-31", 1, "2022-02-28"},
    /* Month ends stay month ends. */
    {"M", 1, "2024-02-29", 1, "2024-03-31"},
    {"M", 1, "2024-02-29", -1, "2024-01-31"},
    {"M", 1, "2023-02-28", 1, "2023-03-31"},
    {"M", 1, "2023-02-28", 12, "2024-02-29"},
    {"M", 1, "2024-04-30T17:00:00Z", 1, "2024-05-31T17:00:00Z"},
    {"M", 1, "1969-11-30", 3, "1970-02-28"},
    {"Q", 1, "2023-06-30", 1, "2023-09-30"},
    {"Q", 1, "2023-09-30", 1, "2023-12-31"},
    {"Y", 1, "2023-02-28", 1, "2024-02-29"},
    /* Quarters and years. */
    {"Q", 0, "2021-11-30", 1, "2022-02-28"},
    {"Q", 0, "2021-05-31", -2, "2020-11-30"},
    {"Q", 0, "2021-01-01", 7, "2022-10-01"},
    {"Q", 0, "2021-01-01", -5, "2019-10-01"},
    {"Y", 0, "2024-02-29", 1, "2025-02-28"},
    {"Y", 0, "2024-02-29", 4, "2028-02-29"},
    {"Y", 0, "2024-02-29", -100, "1924-02-29"},
    {"Y", 0, "2000-02-29", 100, "2100-02-28"},
    {"2Y", 0, "1969-07-20T20:17:40Z", 3, "1975-07-20T20:17:40Z"},
    {"2Y", 0, "1969-07-20T20:17:40Z", -3, "1963-07-20T20:17:40Z"},
};

static void test_advance(void)
{
    size_t i;
    char got[64], want[64];
    for (i = 0; i < sizeof advance_cases / sizeof advance_cases[0]; i++) {
        xf_freq f = F(advance_cases[i].freq, advance_cases[i].month_end);
        xf_time a = T(advance_cases[i].from), b = T(advance_cases[i].to), r;
        int64_t k = INT64_C(-777);
        r = adv(f, a, advance_cases[i].k);
        fmt_time(r, got, sizeof got);
        fmt_time(b, want, sizeof want);
        CHECK_MSG(r == b, "%s%s: %s %+lld -> %s, want %s", advance_cases[i].freq,
                  advance_cases[i].month_end ? " (month end)" : "", advance_cases[i].from,
                  (long long)advance_cases[i].k, got, want);
        /* steps_between inverts advance. */
        CHECK_MSG(xf_freq_steps_between(f, a, b, &k) == XF_OK && k == advance_cases[i].k,
                  "%s: steps %s .. %s -> %lld, want %lld", advance_cases[i].freq,
                  advance_cases[i].from, advance_cases[i].to, (long long)k,
                  (long long)advance_cases[i].k);
    }

    /* An unknown frequency does not move. */
    {
        xf_freq u = {XF_FREQ_UNKNOWN, 0, 0};
        int64_t k;
        xf_time r = INT64_C(-777);
        CHECK_INT(xf_freq_advance(u, INT64_C(1614834367123456), 5, &r), XF_EINVAL);
        CHECK_INT(xf_freq_steps_between(u, 0, 0, &k), XF_EDATA);
    }
}

/* Overflow is reported, never wrapped: steps past the years -99999..99999
 * or past int64 are XF_ERANGE with *out untouched, for every kind. */
static void test_advance_range(void)
{
    static const char *const kinds[] = {"1us", "1s", "D", "W", "B", "M", "Q", "Y", "7B", "5Y"};
    static const int64_t ks[] = {INT64_MAX, INT64_MIN + 1, INT64_MAX / 2, -(INT64_MAX / 2)};
    xf_civil lo_c = {-99999, 1, 1, 0, 0, 0, 0, 0, 0},
             hi_c = {99999, 12, 31, 23, 59, 59, 999999, 0, 0};
    xf_time lo, hi, r, t = T("2024-03-15T10:30:00Z");
    size_t i, j;
    char got[64];
    CHECK_INT(xf_time_from_civil(&lo_c, &lo), XF_OK);
    CHECK_INT(xf_time_from_civil(&hi_c, &hi), XF_OK);
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        xf_freq f = F(kinds[i], 0);
        for (j = 0; j < sizeof ks / sizeof ks[0]; j++) {
            r = INT64_C(-777);
            CHECK_MSG(xf_freq_advance(f, t, ks[j], &r) == XF_ERANGE && r == INT64_C(-777),
                      "%s %+lld steps: not XF_ERANGE, or *out set", kinds[i], (long long)ks[j]);
        }
    }
    CHECK_INT(xf_freq_advance(F("1s", 0), t, INT64_C(1) << 42, &r), XF_ERANGE);
    CHECK_INT(xf_freq_advance(F("B", 0), t, -(INT64_C(1) << 42), &r), XF_ERANGE);
    /* the last supported microsecond, and one step more */
    CHECK_INT(xf_freq_advance(F("1us", 0), hi - 5, 5, &r), XF_OK);
    CHECK_INT(r, hi);
    CHECK_INT(xf_freq_advance(F("1us", 0), hi - 5, 6, &r), XF_ERANGE);
    CHECK_INT(xf_freq_advance(F("1us", 0), lo + 5, -5, &r), XF_OK);
    CHECK_INT(r, lo);
    CHECK_INT(xf_freq_advance(F("1us", 0), lo + 5, -6, &r), XF_ERANGE);
    CHECK_INT(xf_freq_advance(F("D", 0), hi, 1, &r), XF_ERANGE);
    CHECK_INT(xf_freq_advance(F("Y", 0), T("9999-12-31"), 1, &r), XF_OK);
    fmt_time(r, got, sizeof got);
    CHECK_STR(got, "10000-12-31T00:00:00Z");
    CHECK_INT(xf_freq_advance(F("M", 0), hi - US_DAY + 1, 1, &r), XF_ERANGE);
    CHECK_INT(xf_freq_advance(F("M", 0), lo, -1, &r), XF_ERANGE);
    /* a day count that overflowed int64 used to wrap to a date in the past */
    CHECK_INT(xf_freq_advance(F("D", 0), INT64_C(0), INT64_MAX / US_DAY + 1, &r), XF_ERANGE);
    CHECK_INT(xf_freq_advance(F("D", 0), INT64_MAX - 10, 1, &r), XF_ERANGE);
    /* an invalid step is not a range error */
    {
        xf_freq z = {XF_FREQ_FIXED, 0, 0}, bz = {XF_FREQ_BDAY, -1, 0}, mz = {XF_FREQ_MONTH, 0, 0};
        CHECK_INT(xf_freq_advance(z, t, 1, &r), XF_EINVAL);
        CHECK_INT(xf_freq_advance(bz, t, 1, &r), XF_EINVAL);
        CHECK_INT(xf_freq_advance(mz, t, 1, &r), XF_EINVAL);
    }
}

/* ------------------------------------------------------------ steps_between */

static void test_steps_errors(void)
{
    static const struct {
        const char *freq;
        int month_end;
        const char *a, *b;
    } cases[] = {
        {"1h", 0, "2021-03-04T05:00:00Z", "2021-03-04T06:30:00Z"},
        {"1h", 0, "2021-03-04T05:00:00Z", "2021-03-04T04:59:59.999999Z"},
        {"15s", 0, "2021-03-04T05:00:00Z", "2021-03-04T05:00:07Z"},
        {"15s", 0, "2021-03-04T05:00:00Z", "2021-03-04T04:59:53Z"},
        {"D", 0, "2021-03-04", "2021-03-05T00:00:01Z"},
        {"W", 0, "2021-03-04", "2021-03-10"},
        {"500ms", 0, "1970-01-01", "1969-12-31T23:59:59.7Z"},
        /* Business days: weekends are off the grid, so are other times. */
        {"B", 0, "2024-03-11", "2024-03-16"}, /* Mon .. Sat */
        {"B", 0, "2024-03-11", "2024-03-17"}, /* Mon .. Sun */
        {"B", 0, "2024-03-16", "2024-03-18"}, /* Sat .. Mon */
        {"B", 0, "2024-03-17", "2024-03-17"}, /* Sun .. Sun */
        {"B", 0, "2024-03-11", "2024-03-12T00:00:01Z"},
        {"B", 0, "2024-03-11T12:00:00Z", "2024-03-08T11:00:00Z"},
        {"2B", 0, "2024-03-11", "2024-03-12"},
        {"3B", 0, "2024-03-11", "2024-03-07"},
        /* Months: wrong day of month, wrong time, wrong count. */
        {"M", 0, "2024-01-15", "2024-02-16"},
        {"M", 0, "2024-01-15", "2024-02-14"},
        {"M", 0, "2024-01-15", "2024-02-15T00:00:01Z"},
        {"M", 0, "2024-02-29", "2024-03-31"}, /* no month-end anchoring */
        {"M", 0, "2024-01-31", "2024-02-28"},
        {"M", 1, "2024-01-31", "2024-02-28"},
        {"M", 1, "2024-02-29", "2024-03-29"},
        {"Q", 0, "2021-01-01", "2021-03-01"},
        {"Q", 0, "2021-01-01", "2020-11-01"},
        {"Y", 0, "2021-01-01", "2022-02-01"},
        {"Y", 0, "2024-02-29", "2025-03-01"},
        {"2Y", 0, "2021-06-15", "2022-06-15"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_freq f = F(cases[i].freq, cases[i].month_end);
        int64_t k = INT64_C(-777);
        int rc = xf_freq_steps_between(f, T(cases[i].a), T(cases[i].b), &k);
        CHECK_MSG(rc == XF_EDATA, "%s: %s .. %s -> %d (k %lld), want XF_EDATA", cases[i].freq,
                  cases[i].a, cases[i].b, rc, (long long)k);
        CHECK_MSG(k == INT64_C(-777), "%s: %s .. %s: k written on error", cases[i].freq, cases[i].a,
                  cases[i].b);
    }
    /* A fixed step that is not positive never matches. */
    {
        xf_freq z = {XF_FREQ_FIXED, 0, 0}, n = {XF_FREQ_FIXED, -US_HOUR, 0};
        int64_t k;
        CHECK_INT(xf_freq_steps_between(z, 0, 0, &k), XF_EDATA);
        CHECK_INT(xf_freq_steps_between(z, 0, US_HOUR, &k), XF_EDATA);
        CHECK_INT(xf_freq_steps_between(n, 0, US_HOUR, &k), XF_EDATA);
    }
}

/* ------------------------------------------------------------ random */

/* Day of week of a timestamp, 0 = Monday. */
static int wday_of(xf_time t)
{
    xf_civil c;
    xf_time_to_civil(t, &c);
    return c.wday;
}

static void test_random(void)
{
    static const char *const fixed[] = {"250us", "500ms", "15s", "7s", "30min", "90min",
                                        "1h",    "6h",    "D",   "2D", "W"};
    int i;

    /* Fixed steps are plain arithmetic. */
    for (i = 0; i < 4000; i++) {
        xf_freq f = F(fixed[i % (int)(sizeof fixed / sizeof fixed[0])], 0);
        xf_time a = rng_range(INT64_C(-5000000000000000), INT64_C(5000000000000000));
        int64_t k = rng_range(-100000, 100000), got = INT64_C(-777), off;
        xf_time b = adv(f, a, k);
        CHECK_MSG(b == a + k * f.step, "fixed advance");
        CHECK_MSG(xf_freq_steps_between(f, a, b, &got) == XF_OK && got == k,
                  "fixed steps: %lld, want %lld", (long long)got, (long long)k);
        off = rng_range(1, f.step - 1);
        CHECK_MSG(xf_freq_steps_between(f, a, b + off, &got) == XF_EDATA, "fixed off grid");
    }

    /* Business days against a day-by-day walk. */
    for (i = 0; i < 1500; i++) {
        int64_t step = i % 3 == 0 ? 1 + i % 7 : 1;
        xf_freq f = {XF_FREQ_BDAY, step, 0};
        xf_time a = rng_range(INT64_C(-4000000000000000), INT64_C(4000000000000000)), b, want;
        int64_t k = rng_range(-60, 60), got = INT64_C(-777), left;
        while (wday_of(a) >= 5)
            a += US_DAY;
        b = adv(f, a, k);
        want = a;
        for (left = k * step; left != 0;) {
            want += left > 0 ? US_DAY : -US_DAY;
            if (wday_of(want) < 5)
                left += left > 0 ? -1 : 1;
        }
        CHECK_MSG(b == want, "bday advance %lld x %lld", (long long)k, (long long)step);
        CHECK_MSG(wday_of(b) < 5, "bday advance lands on a weekend");
        CHECK_MSG(xf_freq_steps_between(f, a, b, &got) == XF_OK && got == k,
                  "bday steps: %lld, want %lld", (long long)got, (long long)k);
        CHECK_MSG(adv(f, b, -k) == a, "bday back");
        /* Weekends and other times of day are off the grid. */
        {
            xf_time sat = b + (5 - wday_of(b)) * US_DAY;
            CHECK_MSG(xf_freq_steps_between(f, a, sat, &got) == XF_EDATA, "bday: saturday");
            CHECK_MSG(xf_freq_steps_between(f, a, sat + US_DAY, &got) == XF_EDATA, "bday: sunday");
            CHECK_MSG(xf_freq_steps_between(f, a, b + 1, &got) == XF_EDATA, "bday: +1us");
        }
    }
    /* Five business days are one week. */
    for (i = 0; i < 500; i++) {
        xf_freq f = F("B", 0);
        xf_time a = rng_range(INT64_C(-4000000000000000), INT64_C(4000000000000000));
        int64_t w = rng_range(-50, 50);
        while (wday_of(a) >= 5)
            a -= US_DAY;
        CHECK_MSG(adv(f, a, 5 * w) == a + w * US_WEEK, "5B = 1W");
    }

    /* Months against calendar arithmetic on the fields. */
    for (i = 0; i < 3000; i++) {
        static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int64_t step = i % 4 == 0 ? 1 : i % 4 == 1 ? 3 : i % 4 == 2 ? 12 : 1 + i % 17;
        int month_end = i % 5 == 0;
        xf_freq f = {XF_FREQ_MONTH, step, month_end};
        xf_time a = rng_range(INT64_C(-4000000000000000), INT64_C(4000000000000000)), b;
        int64_t k = rng_range(-200, 200), mi, got = INT64_C(-777);
        xf_civil ca, cb;
        int32_t y, m, dim, dim_a;
        xf_time_to_civil(a, &ca);
        b = adv(f, a, k);
        xf_time_to_civil(b, &cb);
        mi = (int64_t)ca.year * 12 + (ca.month - 1) + k * step;
        y = (int32_t)(mi >= 0 ? mi / 12 : -((-mi + 11) / 12));
        m = (int32_t)(mi - (int64_t)y * 12) + 1;
        dim = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
        dim_a = mdays[ca.month - 1] +
                (ca.month == 2 && ((ca.year % 4 == 0 && ca.year % 100 != 0) || ca.year % 400 == 0));
        CHECK_MSG(cb.year == y && cb.month == m &&
                      cb.day == (month_end      ? dim
                                 : ca.day < dim ? ca.day
                                                : dim) &&
                      cb.hour == ca.hour && cb.minute == ca.minute && cb.second == ca.second &&
                      cb.usec == ca.usec,
                  "month advance %d-%d-%d %+lld x %lld -> %d-%d-%d", ca.year, ca.month, ca.day,
                  (long long)k, (long long)step, cb.year, cb.month, cb.day);
        CHECK_MSG(xf_freq_steps_between(f, a, b, &got) == XF_OK && got == k,
                  "month steps: %lld, want %lld", (long long)got, (long long)k);
        /* Days up to 28 and month ends are never clamped away: back again. */
        if (ca.day <= 28 || month_end) {
            xf_time back = adv(f, b, -k);
            CHECK_MSG(back == a || (month_end && ca.day != dim_a), "month back");
        }
        /* One microsecond or one day off is off the grid. */
        CHECK_MSG(xf_freq_steps_between(f, a, b + 1, &got) == XF_EDATA, "month: +1us");
        CHECK_MSG(xf_freq_steps_between(f, a, b - US_DAY, &got) == XF_EDATA, "month: -1 day");
    }
}

int main(void)
{
    test_parse_format();
    test_advance();
    test_steps_errors();
    test_advance_range();
    test_random();
    return tu_report("test_freq");
}
