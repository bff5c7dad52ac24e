/* test_holidays.c - unit tests of src/holidays.c: the holiday-file parser
 * (hostile input refused with file:line), trading days that skip listed
 * dates, the holiday / bridge-day indicators, and the shipped NYSE calendar
 * checked against the weekdays missing from datasets/sp500-2000.csv.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

#include "fileio.h"
#include "holidays.h"
#include "testutil.h"

#define US_DAY INT64_C(86400000000)

static int64_t day_of(const char *iso)
{
    xf_time t = 0;
    if (xf_time_parse_iso(iso, strlen(iso), &t) != XF_OK)
        return INT64_MIN;
    return t / US_DAY;
}

static int read_csv(const char *text, const xf_csv_options *o, xf_dataset **ds, xf_error *err)
{
    xf_csv_reader *r = NULL;
    int rc = xf_csv_reader_new("t.csv", o, &r, err);
    *ds = NULL;
    if (rc == XF_OK && (rc = xf_csv_reader_feed(r, text, strlen(text), err)) == XF_OK)
        rc = xf_csv_reader_finish(r, ds, err);
    xf_csv_reader_free(r);
    return rc;
}

static int parse(const char *text, xf__holidays *h, xf_error *err)
{
    return xf__holidays_parse(text, strlen(text), "h.csv", h, err);
}

static void test_parser(void)
{
    xf__holidays h;
    xf_error err;
    char *big;
    size_t i, n;

    CHECK_INT(parse("date,name\n2020-12-25,Christmas\n\n2020-01-01,New Year\r\n", &h, &err), XF_OK);
    CHECK_INT(h.n, 2);
    CHECK_INT(h.day[0], day_of("2020-01-01"));
    CHECK_INT(h.day[1], day_of("2020-12-25"));
    xf__holidays_free(&h);
    /* no header, quoted dates, ';' separator, date-only lines */
    CHECK_INT(parse("\"2021-07-05\";x\n2021-07-04\n", &h, &err), XF_OK);
    CHECK_INT(h.n, 2);
    xf__holidays_free(&h);

    CHECK_INT(parse("date\n2021-02-30\n", &h, &err), XF_EPARSE);
    CHECK_MSG(strstr(err.message, "h.csv:2:") && strstr(err.message, "2021-02-30"), "%s",
              err.message);
    CHECK_INT(err.line, 2);
    CHECK_INT(parse("date\n2021-01-01\n01/02/2021,x\n", &h, &err), XF_EPARSE);
    CHECK_MSG(strstr(err.message, "h.csv:3:") != NULL, "%s", err.message);
    CHECK_INT(parse("date\n2021-13-01\n", &h, &err), XF_EPARSE);
    CHECK_INT(parse("date\n2021-1-01\n", &h, &err), XF_EPARSE);
    CHECK_INT(parse("date\n2021-01-01\n2020-05-25\n2021-01-01,again\n", &h, &err), XF_EPARSE);
    CHECK_MSG(strstr(err.message, "h.csv:4:") && strstr(err.message, "listed twice") &&
                  strstr(err.message, "line 2"),
              "%s", err.message);
    CHECK_INT(parse("date,name\n", &h, &err), XF_EPARSE);
    CHECK_MSG(strstr(err.message, "no dates") != NULL, "%s", err.message);
    CHECK_INT(parse("", &h, &err), XF_EPARSE);
    CHECK(h.day == NULL && h.n == 0);

    /* too many dates: refused at the first line over the limit */
    n = (size_t)XF__HOLIDAYS_MAX + 2;
    big = malloc(n * 11 + 1);
    CHECK(big != NULL);
    if (big != NULL) {
        for (i = 0; i < n; i++) {
            xf_time_format((xf_time)(int64_t)(i)*US_DAY, 1, big + i * 11, 12);
            big[i * 11 + 10] = '\n';
        }
        big[n * 11] = '\0';
        CHECK_INT(xf__holidays_parse(big, n * 11, "big.csv", &h, &err), XF_ERANGE);
        CHECK_MSG(strstr(err.message, "big.csv:100001:") != NULL, "%s", err.message);
        /* and a file over the byte limit is refused before parsing */
        CHECK_INT(tu_write_file("test_holidays_big.csv", big, n * 11), 0);
        free(big);
    }
    {
        char *huge = calloc(1, XF__HOLIDAYS_MAX_BYTES + 2);
        CHECK(huge != NULL);
        if (huge != NULL) {
            memset(huge, '\n', XF__HOLIDAYS_MAX_BYTES + 1);
            CHECK_INT(tu_write_file("test_holidays_huge.csv", huge, XF__HOLIDAYS_MAX_BYTES + 1), 0);
            free(huge);
            CHECK_INT(xf__holidays_load("test_holidays_huge.csv", &h, &err), XF_ERANGE);
            CHECK_MSG(strstr(err.message, "larger than") != NULL, "%s", err.message);
            remove("test_holidays_huge.csv");
        }
    }
    remove("test_holidays_big.csv");
    CHECK_INT(xf__holidays_load("no/such/holidays.csv", &h, &err), XF_EIO);

    /* a head's stored table */
    {
        int32_t good[3] = {10, 11, 40}, bad[3] = {10, 10, 40};
        CHECK_INT(xf__holidays_from_days(good, 3, &h, &err), XF_OK);
        CHECK_INT(h.n, 3);
        CHECK(xf__holidays_has(&h, 11) && !xf__holidays_has(&h, 12) && xf__holidays_has(&h, 40));
        xf__holidays_free(&h);
        CHECK_INT(xf__holidays_from_days(bad, 3, &h, &err), XF_EINVAL);
        CHECK_INT(xf__holidays_from_days(good, 0, &h, &err), XF_EINVAL);
    }
}

static void test_indicators(void)
{
    /* 2020: Christmas Friday 25 Dec; a holiday on Thursday 2020-11-26
     * (Thanksgiving) makes Friday 27 Nov a bridge day; Good Friday 10 Apr
     * and Easter Monday 13 Apr. */
    xf__holidays h;
    xf_error err;
    float v[XF__HOLIDAY_WIDTH];
    CHECK_INT(parse("date\n2020-11-26\n2020-12-25\n2020-04-10\n2020-04-13\n", &h, &err), XF_OK);
    xf__holidays_indicators(&h, day_of("2020-11-26"), v);
    CHECK(v[0] == 1 && v[1] == 0 && v[2] == 0 && v[3] == 0);
    xf__holidays_indicators(&h, day_of("2020-11-25"), v);
    CHECK(v[0] == 0 && v[1] == 1 && v[2] == 0 && v[3] == 0);
    xf__holidays_indicators(&h, day_of("2020-11-27"), v);
    CHECK(v[0] == 0 && v[1] == 0 && v[2] == 1 && v[3] == 1);
    xf__holidays_indicators(&h, day_of("2020-12-24"), v);
    CHECK(v[0] == 0 && v[1] == 1 && v[2] == 0 && v[3] == 0); /* Thursday: not a bridge */
    xf__holidays_indicators(&h, day_of("2020-12-26"), v);    /* Saturday after */
    CHECK(v[0] == 0 && v[1] == 0 && v[2] == 1 && v[3] == 0);
    xf__holidays_indicators(&h, day_of("2020-04-14"), v);
    CHECK(v[0] == 0 && v[1] == 0 && v[2] == 1 && v[3] == 0);
    xf__holidays_indicators(&h, day_of("2020-06-10"), v);
    CHECK(v[0] == 0 && v[1] == 0 && v[2] == 0 && v[3] == 0);
    xf__holidays_free(&h);
}

/* The shipped NYSE calendar: trading days skip Memorial Day 2020 and the
 * observed Independence Day (Friday 2020-07-03); every weekday missing from
 * sp500-2000.csv is listed, and no listed date is a trading day there. */
static void test_nyse(const char *srcdir)
{
    char path[1024], buf[40];
    xf__holidays h;
    xf_error err;
    void *text = NULL;
    size_t len = 0, pos = 0;
    int64_t k, prev = INT64_MIN, missing = 0, d;
    xf_time t = 0;

    snprintf(path, sizeof path, "%s/datasets/holidays/nyse.csv", srcdir);
    CHECK_INT(xf__holidays_load(path, &h, &err), XF_OK);
    if (h.n == 0)
        return;
    CHECK_INT(h.n, 254);
    CHECK_INT(xf_time_parse_iso("2020-05-22T16:00:00Z", 20, &t), XF_OK);
    t = xf__holidays_advance(&h, t, 1);
    xf_time_format(t, 0, buf, sizeof buf);
    CHECK_MSG(strncmp(buf, "2020-05-26T16:00:00", 19) == 0, "%s", buf);
    t = xf__holidays_advance(&h, (xf_time)day_of("2020-07-02") * US_DAY, 1);
    CHECK_INT(t / US_DAY, day_of("2020-07-06"));
    t = xf__holidays_advance(&h, (xf_time)day_of("2020-07-06") * US_DAY, -2);
    CHECK_INT(t / US_DAY, day_of("2020-07-01"));
    CHECK_INT(xf__holidays_steps_between(&h, (xf_time)day_of("2020-05-22") * US_DAY,
                                         (xf_time)day_of("2020-07-06") * US_DAY, &k),
              XF_OK);
    CHECK_INT(k, 29); /* 31 weekdays after 22 May, less 25 May and 3 July */
    CHECK_INT(xf__holidays_steps_between(&h, (xf_time)day_of("2020-05-22") * US_DAY,
                                         (xf_time)day_of("2020-05-25") * US_DAY, &k),
              XF_EDATA);
    CHECK_INT(xf__holidays_is_bday(&h, day_of("2001-09-12")), 0);
    CHECK_INT(xf__holidays_is_bday(&h, day_of("2022-01-03")), 1);

    snprintf(path, sizeof path, "%s/datasets/sp500-2000.csv", srcdir);
    CHECK_INT(xf__read_file(path, (size_t)1 << 24, &text, &len, &err), XF_OK);
    while (text != NULL && pos < len) {
        const char *s = (const char *)text + pos;
        size_t end = pos;
        while (end < len && ((const char *)text)[end] != '\n')
            end++;
        pos = end + 1;
        {
            char ds[11];
            if (end - (size_t)(s - (const char *)text) < 10)
                continue;
            memcpy(ds, s, 10);
            ds[10] = '\0';
            d = day_of(ds); /* the header line is not a date */
        }
        if (d == INT64_MIN)
            continue;
        CHECK_MSG(!xf__holidays_has(&h, d), "listed date %lld traded", (long long)d);
        if (prev != INT64_MIN) {
            int64_t x;
            for (x = prev + 1; x < d; x++)
                if (((x + 3) % 7 + 7) % 7 < 5) {
                    missing++;
                    CHECK_MSG(xf__holidays_has(&h, x), "weekday %lld missing but not listed",
                              (long long)x);
                }
            CHECK_INT(xf__holidays_steps_between(&h, (xf_time)prev * US_DAY, (xf_time)d * US_DAY,
                                                 &k),
                      XF_OK);
            CHECK_INT(k, 1); /* no gap left */
        }
        prev = d;
    }
    /* the whole span: 5105 trading days, both directions, and back by stepping */
    CHECK_INT(xf__holidays_steps_between(&h, (xf_time)day_of("2000-01-03") * US_DAY,
                                         (xf_time)day_of("2020-04-17") * US_DAY, &k),
              XF_OK);
    CHECK_INT(k, 5104);
    CHECK_INT(xf__holidays_steps_between(&h, (xf_time)day_of("2020-04-17") * US_DAY,
                                         (xf_time)day_of("2000-01-03") * US_DAY, &k),
              XF_OK);
    CHECK_INT(k, -5104);
    CHECK_INT(xf__holidays_advance(&h, (xf_time)day_of("2020-04-17") * US_DAY, -5104) / US_DAY,
              day_of("2000-01-03"));
    CHECK_INT(missing, 190);
    free(text);
    xf__holidays_free(&h);
}

static xf_time adv(xf_freq f, const xf__holidays *h, xf_time t, int64_t k)
{
    xf_time out = XF_TIME_NONE;
    CHECK_INT(xf__freq_advance_hol(f, h, t, k, &out), XF_OK);
    return out;
}

/* The calendar-aware frequency steps: business days of 1 and 2 trading
 * days skip a listed Monday; other frequencies are the plain functions. */
static void test_freq_steps(void)
{
    xf__holidays h;
    xf_error err;
    xf_freq b1 = {XF_FREQ_BDAY, 1, 0}, b2 = {XF_FREQ_BDAY, 2, 0}, hr = {XF_FREQ_FIXED, 0, 0};
    xf_time fri = (xf_time)day_of("2024-05-24") * US_DAY,
            tue = (xf_time)day_of("2024-05-28") * US_DAY;
    int64_t k = 0;
    hr.step = 3600 * INT64_C(1000000);
    CHECK_INT(parse("2024-05-27,Memorial Day\n", &h, &err), XF_OK);
    CHECK_INT(adv(b1, &h, fri, 1), tue);
    CHECK_INT(adv(b1, NULL, fri, 1), tue - US_DAY); /* no calendar: Monday */
    CHECK_INT(adv(b2, &h, fri, 1), tue + US_DAY);
    CHECK_INT(adv(b1, &h, tue, -1), fri);
    CHECK_INT(xf__freq_steps_hol(b1, &h, fri, tue, &k), XF_OK);
    CHECK_INT(k, 1);
    CHECK_INT(xf__freq_steps_hol(b2, &h, fri, tue, &k), XF_EDATA); /* one trading day: off grid */
    CHECK_INT(xf__freq_steps_hol(b2, &h, fri, tue + US_DAY, &k), XF_OK);
    CHECK_INT(k, 1);
    CHECK_INT(xf__freq_steps_hol(b1, &h, fri, tue - US_DAY, &k), XF_EDATA); /* the holiday */
    CHECK_INT(adv(hr, &h, fri, 5), fri + 5 * hr.step);
    {
        xf_time out = 0;
        CHECK_INT(xf__freq_advance_hol(b1, &h, fri, INT64_C(1) << 40, &out), XF_ERANGE);
    }
    CHECK_INT(xf__freq_steps_hol(hr, &h, fri, tue, &k), XF_OK);
    CHECK_INT(k, 96);
    xf__holidays_free(&h);
}

/* The panel's calendar: set from days in any order (a duplicate refused),
 * read back sorted, removed with n = 0, loaded from a file (errors name
 * file:line), and taken from a dataset read with xf_csv_options.holidays;
 * business-day steps of a panel series then skip it. */
static void test_panel_calendar(void)
{
    xf_panel *p = NULL;
    xf_error err;
    const int32_t *d = NULL;
    int32_t days[3] = {19870, 19800, 19850}, dup[2] = {19800, 19800};
    char path[] = "/tmp/xf_hol_XXXXXX";
    const char *csv = "date,close\n2024-05-22,1\n2024-05-23,2\n2024-05-24,3\n2024-05-28,4\n"
                      "2024-05-29,5\n2024-05-30,6\n2024-05-31,7\n2024-06-03,8\n";
    xf_dataset *ds = NULL;
    xf_csv_options o;
    FILE *f;
    int fd;

    CHECK_INT(xf_panel_new(NULL, 0, &p, &err), XF_OK);
    if (p == NULL)
        return;
    CHECK_INT(xf_panel_holidays(p, &d), 0);
    CHECK_INT(xf_panel_set_holidays(p, days, 3, &err), XF_OK);
    CHECK_INT(xf_panel_holidays(p, &d), 3);
    CHECK(d != NULL && d[0] == 19800 && d[1] == 19850 && d[2] == 19870);
    CHECK_INT(xf_panel_set_holidays(p, dup, 2, &err), XF_EINVAL);
    CHECK_INT(xf_panel_holidays(p, NULL), 3); /* a refused table leaves the old one */
    CHECK_INT(xf_panel_set_holidays(p, NULL, 0, &err), XF_OK);
    CHECK_INT(xf_panel_holidays(p, NULL), 0);
    fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        f = fdopen(fd, "w");
        fputs("date,name\n2024-05-27,Memorial Day\nnot a date\n", f);
        fclose(f);
        CHECK_INT(xf_panel_load_holidays(p, path, &err), XF_EPARSE);
        CHECK_MSG(strstr(err.message, ":3:") != NULL, "%s", err.message);
        f = fopen(path, "w");
        fputs("date,name\n2024-05-27,Memorial Day\n", f);
        fclose(f);
        CHECK_INT(xf_panel_load_holidays(p, path, &err), XF_OK);
        CHECK_INT(xf_panel_holidays(p, &d), 1);
    }
    xf_panel_free(p);
    p = NULL;

    /* through the CSV reader: no gap at the holiday, and the panel's steps skip it */
    xf_csv_options_init(&o);
    o.holidays = path;
    CHECK_INT(read_csv(csv, &o, &ds, &err), XF_OK);
    if (ds != NULL) {
        const xf_series_stats *st = xf_dataset_series_stats(ds, 0);
        CHECK_INT(xf_dataset_series_freq(ds, 0).kind, XF_FREQ_BDAY);
        CHECK_INT(st->n_gaps, 0);
        CHECK_INT(xf_dataset_series_length(ds, 0), 8);
        CHECK_INT(xf_panel_from_dataset(ds, NULL, 0, &p, &err), XF_OK);
        CHECK_INT(xf_panel_holidays(p, NULL), 1);
        xf_dataset_free(ds);
        ds = NULL;
    }
    /* without the calendar: one gap (the Monday) */
    o.holidays = NULL;
    CHECK_INT(read_csv(csv, &o, &ds, &err), XF_OK);
    if (ds != NULL) {
        CHECK_INT(xf_dataset_series_stats(ds, 0)->n_gaps, 1);
        xf_dataset_free(ds);
    }
    /* a row on the holiday: an error at its line (5) */
    o.holidays = path;
    CHECK_INT(read_csv("date,close\n2024-05-22,1\n2024-05-23,2\n2024-05-24,3\n2024-05-27,4\n"
                       "2024-05-28,5\n2024-05-29,6\n",
                       &o, &ds, &err),
              XF_EDATA);
    CHECK_INT(err.line, 5);
    xf_panel_free(p);
    remove(path);
}

int main(void)
{
    const char *srcdir = getenv("XF_SRCDIR");
    test_parser();
    test_indicators();
    test_freq_steps();
    test_panel_calendar();
    test_nyse(srcdir != NULL ? srcdir : ".");
    return tu_report("test_holidays");
}
