/* test_tz.c - unit tests of xfcast/tz.h: the TZif parser on the system's
 * zoneinfo (Europe/Berlin, America/New_York: skipped with status 77 when
 * tzdata is not installed), on hand-built files (footer rule only) and on
 * hostile bytes (truncated, huge counts, bad magic, bad indices); offsets and
 * local->UTC conversion around both 2024 transitions; formatting.
 *
 * Expected instants: EU summer time 2024 from 2024-03-31T01:00Z to
 * 2024-10-27T01:00Z; US (New York) from 2024-03-10T07:00Z to 2024-11-03T06:00Z.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

#include "testutil.h"

#define S INT64_C(1000000)

static xf_time iso(const char *s)
{
    xf_time t = 0;
    if (xf_time_parse_iso(s, strlen(s), &t) != XF_OK) {
        fprintf(stderr, "bad test timestamp %s\n", s);
        exit(99);
    }
    return t;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *b = malloc(1 << 20);
    *n = b ? fread(b, 1, 1 << 20, f) : 0;
    fclose(f);
    return b;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A v2 file with one type and no transitions, only a footer rule. */
static size_t build_footer_only(unsigned char *b, const char *footer, int32_t off)
{
    size_t n = 0;
    for (int part = 0; part < 2; part++) {
        memset(b + n, 0, 44);
        memcpy(b + n, "TZif2", 5);
        put32(b + n + 20 + 4 * 4, 1); /* typecnt */
        put32(b + n + 20 + 5 * 4, 4); /* charcnt */
        n += 44;
        put32(b + n, (uint32_t)off);
        b[n + 4] = 0;
        b[n + 5] = 0;
        n += 6;
        memcpy(b + n, "CET", 4);
        n += 4;
    }
    b[n++] = '\n';
    memcpy(b + n, footer, strlen(footer));
    n += strlen(footer);
    b[n++] = '\n';
    return n;
}

static void check_berlin(const xf_tz *tz)
{
    char buf[64];
    xf_time u = 0;
    int rep = -1;
    CHECK_INT(xf_tz_offset_utc(tz, iso("2024-01-15T12:00:00Z")), 3600);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2024-03-31T00:59:59Z")), 3600);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2024-03-31T01:00:00Z")), 7200);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2024-10-27T00:59:59Z")), 7200);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2024-10-27T01:00:00Z")), 3600);
    /* past the fat files' last transition (2037): the footer rule */
    CHECK_INT(xf_tz_offset_utc(tz, iso("2100-07-01T00:00:00Z")), 7200);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2100-12-01T00:00:00Z")), 3600);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2099-03-29T00:59:59Z")), 3600);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2099-03-29T01:00:00Z")), 7200);
    /* spring gap: 02:00..02:59 local does not exist */
    CHECK_INT(xf_tz_local_to_utc(tz, iso("2024-03-31T02:30:00Z"), 0, &u, &rep), XF_EDATA);
    CHECK_INT(xf_tz_local_to_utc(tz, iso("2024-03-31T01:30:00Z"), 0, &u, &rep), XF_OK);
    CHECK_INT(u, iso("2024-03-31T00:30:00Z"));
    CHECK_INT(rep, 0);
    CHECK_INT(xf_tz_local_to_utc(tz, iso("2024-03-31T03:00:00Z"), 0, &u, &rep), XF_OK);
    CHECK_INT(u, iso("2024-03-31T01:00:00Z"));
    /* autumn: 02:00..02:59 local occurs twice */
    CHECK_INT(xf_tz_local_to_utc(tz, iso("2024-10-27T02:30:00Z"), 0, &u, &rep), XF_OK);
    CHECK_INT(u, iso("2024-10-27T00:30:00Z"));
    CHECK_INT(rep, 1);
    CHECK_INT(xf_tz_local_to_utc(tz, iso("2024-10-27T02:30:00Z"), 1, &u, &rep), XF_OK);
    CHECK_INT(u, iso("2024-10-27T01:30:00Z"));
    CHECK_INT(xf_tz_local_to_utc(tz, iso("2024-10-27T03:00:00Z"), 1, &u, &rep), XF_OK);
    CHECK_INT(u, iso("2024-10-27T02:00:00Z"));
    CHECK_INT(rep, 0);
    xf_tz_format(tz, iso("2024-03-31T01:00:00Z"), 0, buf, sizeof buf);
    CHECK_STR(buf, "2024-03-31T03:00:00+02:00");
    xf_tz_format(tz, iso("2024-03-31T00:30:00Z"), 0, buf, sizeof buf);
    CHECK_STR(buf, "2024-03-31T01:30:00+01:00");
    xf_tz_format(tz, iso("2024-10-26T22:00:00Z"), 1, buf, sizeof buf);
    CHECK_STR(buf, "2024-10-27");
}

static void check_new_york(const xf_tz *tz)
{
    xf_time u = 0;
    char buf[64];
    CHECK_INT(xf_tz_offset_utc(tz, iso("2024-03-10T06:59:59Z")), -18000);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2024-03-10T07:00:00Z")), -14400);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2024-11-03T05:59:59Z")), -14400);
    CHECK_INT(xf_tz_offset_utc(tz, iso("2024-11-03T06:00:00Z")), -18000);
    CHECK_INT(xf_tz_local_to_utc(tz, iso("2024-03-10T02:15:00Z"), 0, &u, NULL), XF_EDATA);
    CHECK_INT(xf_tz_local_to_utc(tz, iso("2024-11-03T01:30:00Z"), 0, &u, NULL), XF_OK);
    CHECK_INT(u, iso("2024-11-03T05:30:00Z"));
    CHECK_INT(xf_tz_local_to_utc(tz, iso("2024-11-03T01:30:00Z"), 1, &u, NULL), XF_OK);
    CHECK_INT(u, iso("2024-11-03T06:30:00Z"));
    xf_tz_format(tz, iso("2024-11-03T06:30:00Z"), 0, buf, sizeof buf);
    CHECK_STR(buf, "2024-11-03T01:30:00-05:00");
}

static void test_hostile(const unsigned char *good, size_t n)
{
    xf_error err;
    xf_tz *tz = (xf_tz *)1;
    unsigned char *b = malloc(n + 64);
    CHECK(b != NULL);
    if (!b)
        return;
    /* every truncation is a clean error */
    int clean = 1;
    for (size_t k = 0; k < n; k++) {
        memcpy(b, good, k);
        int rc = xf_tz_parse(b, k, "trunc", &tz, &err);
        if (rc != XF_EFORMAT || tz != NULL)
            clean = 0;
        if (rc == XF_OK)
            xf_tz_free(tz);
    }
    CHECK_MSG(clean, "a truncated file was not refused cleanly");
    /* bad magic */
    memcpy(b, good, n);
    b[0] = 'X';
    CHECK_INT(xf_tz_parse(b, n, "magic", &tz, &err), XF_EFORMAT);
    CHECK(strstr(err.message, "magic") != NULL);
    /* huge counts in each count field of the first header */
    for (int i = 0; i < 6; i++) {
        memcpy(b, good, n);
        put32(b + 20 + 4 * i, 0xffffffffu);
        CHECK_INT(xf_tz_parse(b, n, "huge", &tz, &err), XF_EFORMAT);
        memcpy(b, good, n);
        put32(b + 20 + 4 * i, 0x7ffffff0u);
        CHECK_INT(xf_tz_parse(b, n, "huge", &tz, &err), XF_EFORMAT);
    }
    /* unknown version */
    memcpy(b, good, n);
    b[4] = '9';
    CHECK_INT(xf_tz_parse(b, n, "version", &tz, &err), XF_EFORMAT);
    /* NULL arguments */
    CHECK_INT(xf_tz_parse(NULL, 10, "null", &tz, &err), XF_EINVAL);
    CHECK_INT(xf_tz_parse(good, n, "null", NULL, &err), XF_EINVAL);
    free(b);
}

static void test_built(void)
{
    unsigned char b[512];
    xf_error err;
    xf_tz *tz = NULL;
    size_t n = build_footer_only(b, "CET-1CEST,M3.5.0,M10.5.0/3", 3600);
    CHECK_INT(xf_tz_parse(b, n, "Built/Berlin", &tz, &err), XF_OK);
    if (tz) {
        CHECK_STR(xf_tz_name(tz), "Built/Berlin");
        check_berlin(tz);
        xf_tz_free(tz);
    }
    n = build_footer_only(b, "EST5EDT,M3.2.0,M11.1.0", -18000);
    CHECK_INT(xf_tz_parse(b, n, "Built/NY", &tz, &err), XF_OK);
    if (tz) {
        check_new_york(tz);
        xf_tz_free(tz);
    }
    /* southern hemisphere rule: Sydney, AEST-10AEDT,M10.1.0,M4.1.0/3 */
    n = build_footer_only(b, "AEST-10AEDT,M10.1.0,M4.1.0/3", 36000);
    CHECK_INT(xf_tz_parse(b, n, "Built/Sydney", &tz, &err), XF_OK);
    if (tz) {
        CHECK_INT(xf_tz_offset_utc(tz, iso("2024-01-15T00:00:00Z")), 39600);
        CHECK_INT(xf_tz_offset_utc(tz, iso("2024-07-15T00:00:00Z")), 36000);
        /* 2024-04-07 03:00 AEDT = 2024-04-06T16:00Z */
        CHECK_INT(xf_tz_offset_utc(tz, iso("2024-04-06T15:59:59Z")), 39600);
        CHECK_INT(xf_tz_offset_utc(tz, iso("2024-04-06T16:00:00Z")), 36000);
        xf_tz_free(tz);
    }
    /* fixed offset with <+05> names */
    n = build_footer_only(b, "<+0530>-5:30", 19800);
    CHECK_INT(xf_tz_parse(b, n, "Built/Fixed", &tz, &err), XF_OK);
    if (tz) {
        char buf[64];
        CHECK_INT(xf_tz_offset_utc(tz, iso("2024-06-01T00:00:00Z")), 19800);
        xf_tz_format(tz, iso("2024-06-01T00:00:00Z"), 0, buf, sizeof buf);
        CHECK_STR(buf, "2024-06-01T05:30:00+05:30");
        xf_tz_free(tz);
    }
    /* bad footers */
    const char *badf[] = {"CET-1CEST,M13.5.0,M10.5.0",
                          "CET-1CEST,M3.5.0",
                          "C-1",
                          "CET-99",
                          "CET-1CEST,M3.5.0,M10.5.0/3x",
                          "<CET-1"};
    for (size_t i = 0; i < sizeof badf / sizeof *badf; i++) {
        n = build_footer_only(b, badf[i], 3600);
        tz = NULL;
        CHECK_MSG(xf_tz_parse(b, n, "bad", &tz, &err) == XF_EFORMAT, "footer %s", badf[i]);
        CHECK(tz == NULL);
    }
    /* a v1 file whose transition names a type beyond the type count */
    memset(b, 0, 44);
    memcpy(b, "TZif", 4);
    put32(b + 20 + 3 * 4, 1); /* timecnt */
    put32(b + 20 + 4 * 4, 1); /* typecnt */
    put32(b + 20 + 5 * 4, 4); /* charcnt */
    put32(b + 44, 1000);
    b[48] = 5;
    put32(b + 49, 3600);
    b[53] = b[54] = 0;
    memcpy(b + 55, "CET", 4);
    tz = NULL;
    CHECK_INT(xf_tz_parse(b, 59, "index", &tz, &err), XF_EFORMAT);
    CHECK(strstr(err.message, "index") != NULL);
    b[48] = 0;
    CHECK_INT(xf_tz_parse(b, 59, "index", &tz, &err), XF_OK);
    if (tz) {
        CHECK_INT(xf_tz_offset_utc(tz, 0), 3600);
        xf_tz_free(tz);
    }
    /* every truncation, huge count, bad magic of a footer-only file */
    n = build_footer_only(b, "CET-1", 3600);
    test_hostile(b, n);
}

/* The CSV reader with xf_csv_options.tz: local text without an offset,
 * the repeated hour in row order, text with an offset, the gap an error at
 * its line; the dataset and the panel built from it carry the zone. */
static void test_csv_tz(void)
{
    static const char csv[] = "time,load\n"
                              "2024-10-27T01:30:00,1\n"
                              "2024-10-27T02:00:00,2\n"
                              "2024-10-27T02:30:00,3\n"
                              "2024-10-27T02:00:00,4\n"
                              "2024-10-27T02:30:00,5\n"
                              "2024-10-27T03:00:00+01:00,6\n";
    static const char *const want[] = {"2024-10-26T23:30:00Z", "2024-10-27T00:00:00Z",
                                       "2024-10-27T00:30:00Z", "2024-10-27T01:00:00Z",
                                       "2024-10-27T01:30:00Z", "2024-10-27T02:00:00Z"};
    static const char gap[] = "time,load\n2024-03-31T01:30:00,1\n2024-03-31T02:00:00,2\n";
    xf_csv_options o;
    xf_csv_reader *r = NULL;
    xf_dataset *ds = NULL;
    xf_panel *p = NULL;
    xf_error err;
    xf_csv_options_init(&o);
    o.tz = "Europe/Berlin";
    CHECK_INT(xf_csv_reader_new("t.csv", &o, &r, &err), XF_OK);
    if (r == NULL)
        return;
    CHECK_INT(xf_csv_reader_feed(r, csv, sizeof csv - 1, &err), XF_OK);
    CHECK_INT(xf_csv_reader_finish(r, &ds, &err), XF_OK);
    xf_csv_reader_free(r);
    if (ds != NULL) {
        const xf_time *t = xf_dataset_series_times(ds, 0);
        CHECK_STR(xf_dataset_tz(ds), "Europe/Berlin");
        CHECK_INT(xf_dataset_series_length(ds, 0), 6);
        for (size_t i = 0; i < 6 && xf_dataset_series_length(ds, 0) == 6; i++)
            CHECK_INT(t[i], iso(want[i]));
        CHECK_INT(xf_panel_from_dataset(ds, NULL, 0, &p, &err), XF_OK);
        if (p != NULL) {
            CHECK(xf_panel_tz(p) != NULL &&
                  strcmp(xf_tz_name(xf_panel_tz(p)), "Europe/Berlin") == 0);
            CHECK_INT(xf_panel_set_tz(p, NULL, &err), XF_OK);
            CHECK(xf_panel_tz(p) == NULL);
            CHECK_INT(xf_panel_set_tz(p, "No/Such_Zone", &err), XF_ENOTFOUND);
            xf_panel_free(p);
        }
        xf_dataset_free(ds);
    }
    ds = NULL;
    r = NULL;
    CHECK_INT(xf_csv_reader_new("g.csv", &o, &r, &err), XF_OK);
    if (r != NULL) {
        int rc = xf_csv_reader_feed(r, gap, sizeof gap - 1, &err);
        if (rc == XF_OK)
            rc = xf_csv_reader_finish(r, &ds, &err);
        CHECK_INT(rc, XF_EDATA);
        CHECK_INT(err.line, 3);
        CHECK(strstr(err.message, "does not exist in time zone Europe/Berlin") != NULL);
        xf_csv_reader_free(r);
        xf_dataset_free(ds);
    }
    o.tz = "../x";
    CHECK_INT(xf_csv_reader_new("t.csv", &o, &r, &err), XF_EINVAL);
}

int main(void)
{
    xf_error err;
    xf_tz *tz = NULL;
    int have_sys = 0, have_berlin = 0;

    test_built();
    CHECK_INT(xf_tz_load("../etc/passwd", &tz, &err), XF_EINVAL);
    CHECK_INT(xf_tz_load("/etc/passwd", &tz, &err), XF_EINVAL);
    CHECK_INT(xf_tz_load("", &tz, &err), XF_EINVAL);
    CHECK_INT(xf_tz_load("No/Such_Zone", &tz, &err), XF_ENOTFOUND);

    if (xf_tz_load("Europe/Berlin", &tz, &err) == XF_OK) {
        have_sys = have_berlin = 1;
        CHECK_STR(xf_tz_name(tz), "Europe/Berlin");
        check_berlin(tz);
        xf_tz_free(tz);
        const char *dir = getenv("TZDIR");
        char path[512];
        size_t n = 0;
        snprintf(path, sizeof path, "%s/Europe/Berlin", dir && *dir ? dir : "/usr/share/zoneinfo");
        unsigned char *b = slurp(path, &n);
        if (b) {
            test_hostile(b, n);
            free(b);
        }
    } else {
        fprintf(stderr, "test_tz: no Europe/Berlin zoneinfo (%s): system part skipped\n",
                err.message);
    }
    if (xf_tz_load("America/New_York", &tz, &err) == XF_OK) {
        have_sys = 1;
        check_new_york(tz);
        xf_tz_free(tz);
    }
    if (have_berlin)
        test_csv_tz();
    int rc = tu_report("test_tz");
    if (rc == 0 && !have_sys)
        return 77;
    return rc;
}
