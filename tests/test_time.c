/* test_time.c - unit tests of xfcast/time.h: ISO-8601, epoch and strptime
 * parsing, format detection, calendar conversion and formatting.
 *
 * Expected values of the tables were computed independently (Python's
 * datetime); the calendar conversion is also cross-checked against glibc's
 * timegm/gmtime_r over thousands of pseudo-random seconds, and against the
 * 400-year period of the Gregorian calendar far outside libc's range.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xfcast.h>

#include "testutil.h"

#define US_SEC INT64_C(1000000)
#define US_DAY INT64_C(86400000000)

/* Deterministic pseudo-random numbers (splitmix64). */
static uint64_t rng_state = UINT64_C(0x2385d1ce4f0a97b3);

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi] (hi - lo well below 2^63). */
static int64_t rng_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

/* Parse s through an exactly sized heap copy without a terminating NUL, so
 * that AddressSanitizer reports any read past the end. */
static int parse_iso_exact(const char *s, size_t len, xf_time *out)
{
    char *copy = malloc(len > 0 ? len : 1);
    int rc;
    if (copy == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(99);
    }
    memcpy(copy, s, len);
    rc = xf_time_parse_iso(copy, len, out);
    free(copy);
    return rc;
}

static int parse_iso(const char *s, xf_time *out)
{
    return parse_iso_exact(s, strlen(s), out);
}

static int parse_epoch(const char *s, int millis, xf_time *out)
{
    size_t len = strlen(s);
    char *copy = malloc(len > 0 ? len : 1);
    int rc;
    if (copy == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(99);
    }
    memcpy(copy, s, len);
    rc = xf_time_parse_epoch(copy, len, millis, out);
    free(copy);
    return rc;
}

/* ------------------------------------------------------------ ISO-8601 */

static const struct {
    const char *text;
    xf_time want;
} iso_ok[] = {
    {"2021-03-04", INT64_C(1614816000000000)},
    {"2021-03-04T05:06:07Z", INT64_C(1614834367000000)},
    {"2021-03-04T05:06:07", INT64_C(1614834367000000)},
    {"2021-03-04 05:06:07", INT64_C(1614834367000000)},
    {"2021-03-04T05:06", INT64_C(1614834360000000)},
    {"2021-03-04 05:06", INT64_C(1614834360000000)},
    {"2021-03-04T05:06Z", INT64_C(1614834360000000)},
    {"2021-03-04t05:06:07z", INT64_C(1614834367000000)},
    {"2021-03-04T05:06:07+02:30", INT64_C(1614825367000000)},
    {"2021-03-04T05:06:07-07:45", INT64_C(1614862267000000)},
    {"2021-03-04T05:06:07+0230", INT64_C(1614825367000000)},
    {"2021-03-04T05:06:07-0230", INT64_C(1614843367000000)},
    {"2021-03-04T05:06:07+02", INT64_C(1614827167000000)},
    {"2021-03-04T05:06:07-11", INT64_C(1614873967000000)},
    {"2021-03-04T05:06:07+00:00", INT64_C(1614834367000000)},
    {"2021-03-04T05:06:07-00:00", INT64_C(1614834367000000)},
    {"2021-03-04T05:06+05:45", INT64_C(1614813660000000)},
    {"2021-03-04T00:15:00+05:30", INT64_C(1614797100000000)},
    {"2021-12-31T23:30:00-01:00", INT64_C(1640997000000000)},
    {"2024-02-28T23:59:59-23:59", INT64_C(1709251139000000)},
    {"2021-03-04 05:06:07 +02:30", INT64_C(1614825367000000)},
    {"2021-03-04 05:06:07 UTC", INT64_C(1614834367000000)},
    {"2021-03-04T05:06:07UTC", INT64_C(1614834367000000)},
    {"2021-03-04 05:06:07 Z", INT64_C(1614834367000000)},
    {"2021-03-04T05:06:07.1Z", INT64_C(1614834367100000)},
    {"2021-03-04T05:06:07.12", INT64_C(1614834367120000)},
    {"2021-03-04T05:06:07.123", INT64_C(1614834367123000)},
    {"2021-03-04T05:06:07.1234", INT64_C(1614834367123400)},
    {"2021-03-04T05:06:07.12345", INT64_C(1614834367123450)},
    {"2021-03-04T05:06:07.123456", INT64_C(1614834367123456)},
    {"2021-03-04T05:06:07.1234567", INT64_C(1614834367123456)},
    {"2021-03-04T05:06:07.12345678", INT64_C(1614834367123456)},
    {"2021-03-04T05:06:07.123456789Z", INT64_C(1614834367123456)},
    {"2021-03-04T05:06:07.9999999", INT64_C(1614834367999999)},
    {"2021-03-04T05:06:07.000001", INT64_C(1614834367000001)},
    {"2021-03-04T05:06:07,25", INT64_C(1614834367250000)},
    {"2021-03-04T05:06:07.5-03:00", INT64_C(1614845167500000)},
    {"2021-03", INT64_C(1614556800000000)},
    {"2021", INT64_C(1609459200000000)},
    {"20210304", INT64_C(1614816000000000)},
    {"2021/03/04", INT64_C(1614816000000000)},
    {"2021/03", INT64_C(1614556800000000)},
    {"2021/03/04 05:06:07", INT64_C(1614834367000000)},
    {"  2021-03-04T05:06:07Z\t", INT64_C(1614834367000000)},
    {"\t 2021-03 ", INT64_C(1614556800000000)},
    {" 20210304 ", INT64_C(1614816000000000)},
    {"2024-02-29", INT64_C(1709164800000000)},
    {"2000-02-29T12:00", INT64_C(951825600000000)},
    {"2400-02-29", INT64_C(13574563200000000)},
    {"1969-12-31T23:59:59.999999Z", INT64_C(-1)},
    {"1969-07-20T20:17:40Z", INT64_C(-14182940000000)},
    {"1900-01-01", INT64_C(-2208988800000000)},
    {"1900-02-28T23:59:59", INT64_C(-2203891201000000)},
    {"0001-01-01", INT64_C(-62135596800000000)},
    {"0001-01-01T00:00:00+00:01", INT64_C(-62135596860000000)},
    {"0000-01-01", INT64_C(-62167219200000000)},
    {"1583-10-15", INT64_C(-12187756800000000)},
    {"9999-12-31T23:59:59.999999Z", INT64_C(253402300799999999)},
    {"2038-01-19T03:14:08Z", INT64_C(2147483648000000)},
    {"1970-01-01T00:00:00Z", INT64_C(0)},
};

static const char *const iso_bad[] = {
    "",
    "   ",
    "\t",
    "garbage",
    "abcd-ef-gh",
    "202",
    "20211",
    "2021031",
    "202103041",
    "2021030a",
    "20210230", /* basic form, impossible day */
    "20211301",
    "-2021-03-04",
    "+2021-03-04",
    "2023-02-29", /* not a leap year */
    "1900-02-29", /* divisible by 100, not by 400 */
    "2100-02-29",
    "2024-02-30",
    "2021-04-31",
    "2021-03-32",
    "2021-03-00",
    "2021-00-10",
    "2021-13-01",
    "2021-13",
    "2021-00",
    "2021-3",
    "2020-1-5",
    "2021-03-4",
    "2021-0304",
    "2021-03/04",
    "2021/03-04",
    "2021.03.04",
    "2021-03-04x",
    "2021-03-04Z",
    "2021-03-04 UTC",
    "2021-03-04T",
    "2021-03-04T05",
    "2021-03-04T05:",
    "2021-03-04T5:06",
    "2021-03-04T05:6",
    "2021-03-04T0506",
    "2021-03-04X05:06",
    "2021-03-04T24:00",
    "2021-03-04T24:00:00Z",
    "2021-03-04T23:60",
    "2021-03-04T23:59:60",
    "2021-03-04T23:59:60Z",
    "2021-03-04T23:59:61",
    "2021-03-04T99:99:99",
    "2021-03-04T05:06:07.",
    "2021-03-04T05:06:07.Z",
    "2021-03-04T05:06:07.12a",
    "2021-03-04T05:06.5",
    "2021-03-04T05:06:07Zjunk",
    "2021-03-04T05:06:07ZZ",
    "2021-03-04T05:06:07 UTCx",
    "2021-03-04T05:06:07 utc",
    "2021-03-04T05:06:07 GMT",
    "2021-03-04T05:06:07+",
    "2021-03-04T05:06:07+2",
    "2021-03-04T05:06:07+2:30",
    "2021-03-04T05:06:07+02:",
    "2021-03-04T05:06:07+02:3",
    "2021-03-04T05:06:07+023",
    "2021-03-04T05:06:07+02:30:00",
    "2021-03-04T05:06:07+02:30Z",
    "2021-03-04T05:06:07+24:00",
    "2021-03-04T05:06:07+05:60",
    "2021-03-04T05:06:07+ab:cd",
    "2021-03-04T05:06:07  Z",
    "2021-03-04T05:06:07 x",
    "2021-03-04T05:06:07 5",
    "2021-03-04  05:06:07",
    "2021-03-04T05:06:07\n",
};

static void test_iso(void)
{
    size_t i;
    xf_time t;

    for (i = 0; i < sizeof iso_ok / sizeof iso_ok[0]; i++) {
        t = INT64_C(0x5a5a5a5a);
        CHECK_MSG(parse_iso(iso_ok[i].text, &t) == XF_OK, "'%s' rejected", iso_ok[i].text);
        CHECK_MSG(t == iso_ok[i].want, "'%s' -> %lld, want %lld", iso_ok[i].text, (long long)t,
                  (long long)iso_ok[i].want);
    }
    for (i = 0; i < sizeof iso_bad / sizeof iso_bad[0]; i++) {
        int rc = parse_iso(iso_bad[i], &t);
        CHECK_MSG(rc == XF_EPARSE, "'%s' -> %d, want XF_EPARSE", iso_bad[i], rc);
    }

    /* The text need not be NUL-terminated: only len bytes count. */
    CHECK_INT(xf_time_parse_iso("2021-03-04XYZ", 10, &t), XF_OK);
    CHECK_INT(t, INT64_C(1614816000000000));
    CHECK_INT(xf_time_parse_iso("2021-03-04T05:06:07+02:30 trailing", 25, &t), XF_OK);
    CHECK_INT(t, INT64_C(1614825367000000));
    CHECK_INT(xf_time_parse_iso("2021-03-04T05:06:07.5", 19, &t), XF_OK);
    CHECK_INT(t, INT64_C(1614834367000000));
    CHECK_INT(xf_time_parse_iso("2021", 0, &t), XF_EPARSE);
    /* An embedded NUL is not a terminator but a bad character. */
    CHECK_INT(xf_time_parse_iso("2021-03-04\0T05", 14, &t), XF_EPARSE);

    /* Every prefix of a long timestamp: exactly the lengths that end a
     * complete form parse; the others fail without reading past the end. */
    {
        static const char full[] = "2021-03-04T05:06:07.123+02:30";
        static const struct {
            size_t len;
            xf_time want;
        } ok[] = {
            {4, INT64_C(1609459200000000)},  {7, INT64_C(1614556800000000)},
            {10, INT64_C(1614816000000000)}, {16, INT64_C(1614834360000000)},
            {19, INT64_C(1614834367000000)}, {21, INT64_C(1614834367100000)},
            {22, INT64_C(1614834367120000)}, {23, INT64_C(1614834367123000)},
            {26, INT64_C(1614827167123000)}, {29, INT64_C(1614825367123000)},
        };
        size_t len, k;
        for (len = 0; len <= sizeof full - 1; len++) {
            int rc = parse_iso_exact(full, len, &t);
            int want_ok = 0;
            for (k = 0; k < sizeof ok / sizeof ok[0]; k++) {
                if (ok[k].len == len) {
                    want_ok = 1;
                    CHECK_MSG(rc == XF_OK && t == ok[k].want, "prefix %zu: rc %d, t %lld", len, rc,
                              (long long)t);
                }
            }
            if (!want_ok)
                CHECK_MSG(rc == XF_EPARSE, "prefix %zu ('%.*s') -> %d, want XF_EPARSE", len,
                          (int)len, full, rc);
        }
    }

    /* Offsets are converted to UTC: the same instant in several zones. */
    {
        static const char *const same[] = {
            "2021-03-04T02:36:07Z",      "2021-03-04T05:06:07+02:30", "2021-03-04T05:06:07+0230",
            "2021-03-03T21:36:07-05",    "2021-03-03T21:36:07-0500",  "2021-03-04T16:36:07+14:00",
            "2021-03-03T14:36:07-12:00", "2021-03-04 02:36:07 UTC",   "2021-03-04T08:21:07+05:45",
        };
        for (i = 0; i < sizeof same / sizeof same[0]; i++) {
            CHECK_MSG(parse_iso(same[i], &t) == XF_OK && t == INT64_C(1614825367000000),
                      "'%s' -> %lld", same[i], (long long)t);
        }
    }
}

/* ------------------------------------------------------------ epoch */

static const struct {
    const char *text;
    int millis;
    int rc;
    xf_time want;
} epoch_cases[] = {
    {"1700000000", 0, XF_OK, INT64_C(1700000000000000)},
    {"1700000000.5", 0, XF_OK, INT64_C(1700000000500000)},
    {"1700000000.123456", 0, XF_OK, INT64_C(1700000000123456)},
    {"1700000000.1234567", 0, XF_OK, INT64_C(1700000000123456)},
    {"1700000000.000001", 0, XF_OK, INT64_C(1700000000000001)},
    {"1614834367.25", 0, XF_OK, INT64_C(1614834367250000)},
    {"-1.5", 0, XF_OK, INT64_C(-1500000)},
    {"-0.000001", 0, XF_OK, INT64_C(-1)},
    {"-86400", 0, XF_OK, INT64_C(-86400000000)},
    {"-2208988800", 0, XF_OK, INT64_C(-2208988800000000)},
    {"-62135596800", 0, XF_OK, INT64_C(-62135596800000000)},
    {"+42", 0, XF_OK, INT64_C(42000000)},
    {" 12 ", 0, XF_OK, INT64_C(12000000)},
    {"\t-7\t", 0, XF_OK, INT64_C(-7000000)},
    {".5", 0, XF_OK, INT64_C(500000)},
    {"7.", 0, XF_OK, INT64_C(7000000)},
    {"0", 0, XF_OK, INT64_C(0)},
    {"-0", 0, XF_OK, INT64_C(0)},
    {"000000000017", 0, XF_OK, INT64_C(17000000)},
    {"3155760000000", 0, XF_OK, INT64_C(3155760000000000000)},
    {"-3155760000000", 0, XF_OK, INT64_C(-3155760000000000000)},
    {"1700000000123", 1, XF_OK, INT64_C(1700000000123000)},
    {"-1", 1, XF_OK, INT64_C(-1000)},
    {"-2208988800001", 1, XF_OK, INT64_C(-2208988800001000)},
    {"1.5", 1, XF_OK, INT64_C(1500)},
    {"2.385", 1, XF_OK, INT64_C(2385)},
    {"0.0019", 1, XF_OK, INT64_C(1)},
    {" 1614834367123 ", 1, XF_OK, INT64_C(1614834367123000)},
    {"3155760000000000", 1, XF_OK, INT64_C(3155760000000000000)},
    /* Beyond year +-100000. */
    {"3155760000001", 0, XF_ERANGE, 0},
    {"-3155760000001", 0, XF_ERANGE, 0},
    {"99999999999999999999", 0, XF_ERANGE, 0},
    {"999999999999999999999999999999", 0, XF_ERANGE, 0},
    {"3155760000000001", 1, XF_ERANGE, 0},
    {"-99999999999999999999", 1, XF_ERANGE, 0},
    /* Not numbers. */
    {"", 0, XF_EPARSE, 0},
    {"  ", 0, XF_EPARSE, 0},
    {"-", 0, XF_EPARSE, 0},
    {"+", 0, XF_EPARSE, 0},
    {".", 0, XF_EPARSE, 0},
    {"-.", 0, XF_EPARSE, 0},
    {"1e5", 0, XF_EPARSE, 0},
    {"12a", 0, XF_EPARSE, 0},
    {"1.2.3", 0, XF_EPARSE, 0},
    {"1 2", 0, XF_EPARSE, 0},
    {"0x10", 0, XF_EPARSE, 0},
    {"- 5", 0, XF_EPARSE, 0},
    {"--5", 0, XF_EPARSE, 0},
    {"1,5", 0, XF_EPARSE, 0},
    {"2021-03-04", 0, XF_EPARSE, 0},
    {"abc", 1, XF_EPARSE, 0},
    {"", 1, XF_EPARSE, 0},
    {"17x", 1, XF_EPARSE, 0},
};

static void test_epoch(void)
{
    size_t i;
    for (i = 0; i < sizeof epoch_cases / sizeof epoch_cases[0]; i++) {
        xf_time t = INT64_C(-77);
        int rc = parse_epoch(epoch_cases[i].text, epoch_cases[i].millis, &t);
        CHECK_MSG(rc == epoch_cases[i].rc, "'%s' (millis %d) -> %d, want %d", epoch_cases[i].text,
                  epoch_cases[i].millis, rc, epoch_cases[i].rc);
        if (rc == XF_OK && epoch_cases[i].rc == XF_OK)
            CHECK_MSG(t == epoch_cases[i].want, "'%s' -> %lld, want %lld", epoch_cases[i].text,
                      (long long)t, (long long)epoch_cases[i].want);
    }
    /* Only len bytes are read. */
    {
        xf_time t;
        CHECK_INT(xf_time_parse_epoch("1700000000.5junk", 12, 0, &t), XF_OK);
        CHECK_INT(t, INT64_C(1700000000500000));
    }
    /* Random integer seconds and milliseconds over +-3000 years. */
    for (i = 0; i < 3000; i++) {
        int64_t s = rng_range(INT64_C(-95000000000), INT64_C(95000000000));
        int64_t frac = rng_range(0, 999999);
        char buf[64];
        xf_time t;
        snprintf(buf, sizeof buf, "%lld", (long long)s);
        CHECK_MSG(parse_epoch(buf, 0, &t) == XF_OK && t == s * US_SEC, "'%s'", buf);
        CHECK_MSG(parse_epoch(buf, 1, &t) == XF_OK && t == s * 1000, "'%s' ms", buf);
        snprintf(buf, sizeof buf, "%s%lld.%06lld", s < 0 ? "-" : "", (long long)llabs(s),
                 (long long)frac);
        CHECK_MSG(parse_epoch(buf, 0, &t) == XF_OK &&
                      t == (s < 0 ? s * US_SEC - frac : s * US_SEC + frac),
                  "'%s' -> %lld", buf, (long long)t);
    }
}

/* ------------------------------------------------------------ strptime */

static void test_strptime(void)
{
#ifdef HAVE_STRPTIME
    static const struct {
        const char *text;
        const char *format;
        int rc;
        xf_time want;
    } cases[] = {
        {"04/03/2021 05:06", "%d/%m/%Y %H:%M", XF_OK, INT64_C(1614834360000000)},
        {"04/03/2021 05:06  ", "%d/%m/%Y %H:%M", XF_OK, INT64_C(1614834360000000)},
        {"04/03/2021 05:06\t", "%d/%m/%Y %H:%M", XF_OK, INT64_C(1614834360000000)},
#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__)
        /* %z offsets (read through tm_gmtoff on these systems). */
        {"2021-03-04 05:06:07 +0230", "%Y-%m-%d %H:%M:%S %z", XF_OK, INT64_C(1614825367000000)},
        {"2021-03-04 05:06:07 -0100", "%Y-%m-%d %H:%M:%S %z", XF_OK, INT64_C(1614837967000000)},
        {"2021-03-04 05:06:07 -0545", "%Y-%m-%d %H:%M:%S %z", XF_OK, INT64_C(1614855067000000)},
        {"2021-03-04 05:06:07 +0000", "%Y-%m-%d %H:%M:%S %z", XF_OK, INT64_C(1614834367000000)},
        {"2024-02-29 00:00:00 +1400", "%Y-%m-%d %H:%M:%S %z", XF_OK, INT64_C(1709114400000000)},
#endif
        {"2021-03-04", "%Y-%m-%d", XF_OK, INT64_C(1614816000000000)},
        {"20210304 050607", "%Y%m%d %H%M%S", XF_OK, INT64_C(1614834367000000)},
        {"31.12.1999 23:59:58", "%d.%m.%Y %H:%M:%S", XF_OK, INT64_C(946684798000000)},
        {"1900-01-01", "%Y-%m-%d", XF_OK, INT64_C(-2208988800000000)},
        {"2021-03", "%Y-%m", XF_OK, INT64_C(1614556800000000)},
#ifdef __GLIBC__
        /* glibc's %s fills local time and tm_gmtoff: the result is UTC
         * whatever TZ says (main sets a +05:30 zone). */
        {"1614834367", "%s", XF_OK, INT64_C(1614834367000000)},
#endif
        {"04/03/2021 05:06 junk", "%d/%m/%Y %H:%M", XF_EPARSE, 0},
        {"04/03/2021", "%d/%m/%Y %H:%M", XF_EPARSE, 0},
        {"31/02/2021 00:00", "%d/%m/%Y %H:%M", XF_EPARSE, 0},
        {"29/02/2023 00:00", "%d/%m/%Y %H:%M", XF_EPARSE, 0},
        {"04/13/2021 00:00", "%d/%m/%Y %H:%M", XF_EPARSE, 0},
        {"04/03/2021 25:00", "%d/%m/%Y %H:%M", XF_EPARSE, 0},
        {"2021-03-04 23:59:60", "%Y-%m-%d %H:%M:%S", XF_EPARSE, 0},
        {"xx", "%Y-%m-%d", XF_EPARSE, 0},
        {"", "%Y-%m-%d", XF_EPARSE, 0},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_time t = INT64_C(-77);
        int rc = xf_time_parse_strptime(cases[i].text, cases[i].format, &t);
        CHECK_MSG(rc == cases[i].rc, "'%s' with '%s' -> %d, want %d", cases[i].text,
                  cases[i].format, rc, cases[i].rc);
        if (rc == XF_OK && cases[i].rc == XF_OK)
            CHECK_MSG(t == cases[i].want, "'%s' -> %lld, want %lld", cases[i].text, (long long)t,
                      (long long)cases[i].want);
    }
#else
    xf_time t;
    CHECK_INT(xf_time_parse_strptime("2021-03-04", "%Y-%m-%d", &t), XF_EINVAL);
#endif
}

/* ------------------------------------------------------------ detection */

static void test_detect(void)
{
    static const struct {
        const char *text;
        int rc;
        xf_timefmt fmt;
    } cases[] = {
        {"2021-03-04T05:06:07Z", XF_OK, XF_TIMEFMT_ISO},
        {"2021-03-04", XF_OK, XF_TIMEFMT_ISO},
        {" 2021-03 ", XF_OK, XF_TIMEFMT_ISO},
        {"2019", XF_OK, XF_TIMEFMT_ISO},
        {"1000", XF_OK, XF_TIMEFMT_ISO},
        {"9999", XF_OK, XF_TIMEFMT_ISO},
        {"20190101", XF_OK, XF_TIMEFMT_ISO},
        {"1700000000", XF_OK, XF_TIMEFMT_EPOCH_S},
        {"1700000000.5", XF_OK, XF_TIMEFMT_EPOCH_S},
        {" 1700000000 ", XF_OK, XF_TIMEFMT_EPOCH_S},
        {"-1700000000", XF_OK, XF_TIMEFMT_EPOCH_S},
        {"99999999999", XF_OK, XF_TIMEFMT_EPOCH_S},
        {"99999999999.999", XF_OK, XF_TIMEFMT_EPOCH_S},
        {"000001700000000", XF_OK, XF_TIMEFMT_EPOCH_S},
        {"12345678", XF_OK, XF_TIMEFMT_EPOCH_S}, /* not a valid YYYYMMDD */
        {"999", XF_OK, XF_TIMEFMT_EPOCH_S},
        {"0", XF_OK, XF_TIMEFMT_EPOCH_S},
        {".5", XF_OK, XF_TIMEFMT_EPOCH_S},
        {"100000000000", XF_OK, XF_TIMEFMT_EPOCH_MS},
        {"1700000000000", XF_OK, XF_TIMEFMT_EPOCH_MS},
        {"-1700000000000", XF_OK, XF_TIMEFMT_EPOCH_MS},
        {"\t1614834367123\t", XF_OK, XF_TIMEFMT_EPOCH_MS},
        {"abc", XF_EPARSE, XF_TIMEFMT_AUTO},
        {"", XF_EPARSE, XF_TIMEFMT_AUTO},
        {"   ", XF_EPARSE, XF_TIMEFMT_AUTO},
        {"-", XF_EPARSE, XF_TIMEFMT_AUTO},
        {".", XF_EPARSE, XF_TIMEFMT_AUTO},
        {"--5", XF_EPARSE, XF_TIMEFMT_AUTO},
        {"1.2.3", XF_EPARSE, XF_TIMEFMT_AUTO},
        {"1e5", XF_EPARSE, XF_TIMEFMT_AUTO},
        {"12:00", XF_EPARSE, XF_TIMEFMT_AUTO},
        {"2023-02-29", XF_EPARSE, XF_TIMEFMT_AUTO},
        {"1700000000 x", XF_EPARSE, XF_TIMEFMT_AUTO},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_timefmt fmt = XF_TIMEFMT_STRPTIME;
        int rc = xf_time_detect(cases[i].text, strlen(cases[i].text), &fmt);
        CHECK_MSG(rc == cases[i].rc, "'%s' -> %d, want %d", cases[i].text, rc, cases[i].rc);
        if (rc == XF_OK && cases[i].rc == XF_OK)
            CHECK_MSG(fmt == cases[i].fmt, "'%s' -> format %d, want %d", cases[i].text, (int)fmt,
                      (int)cases[i].fmt);
    }
}

/* ------------------------------------------------------------ civil */

static int civil_equal(const xf_civil *a, const xf_civil *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day && a->hour == b->hour &&
           a->minute == b->minute && a->second == b->second && a->usec == b->usec &&
           a->wday == b->wday && a->yday == b->yday;
}

static int64_t floor_div64(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static void test_civil_table(void)
{
    static const struct {
        xf_time t;
        xf_civil c;
    } cases[] = {
        {INT64_C(0), {1970, 1, 1, 0, 0, 0, 0, 3, 0}},
        {INT64_C(-1), {1969, 12, 31, 23, 59, 59, 999999, 2, 364}},
        {INT64_C(1), {1970, 1, 1, 0, 0, 0, 1, 3, 0}},
        {INT64_C(1709210096789012), {2024, 2, 29, 12, 34, 56, 789012, 3, 59}},
        {INT64_C(-2208988800000000), {1900, 1, 1, 0, 0, 0, 0, 0, 0}},
        {INT64_C(-2208988800000001), {1899, 12, 31, 23, 59, 59, 999999, 6, 364}},
        {INT64_C(-62135596800000000), {1, 1, 1, 0, 0, 0, 0, 0, 0}},
        {INT64_C(-62167219200000000), {0, 1, 1, 0, 0, 0, 0, 5, 0}},
        {INT64_C(-62167219200000001), {-1, 12, 31, 23, 59, 59, 999999, 4, 364}},
        {INT64_C(951868799999999), {2000, 2, 29, 23, 59, 59, 999999, 1, 59}},
        {INT64_C(978220800000000), {2000, 12, 31, 0, 0, 0, 0, 6, 365}},
        {INT64_C(4102444800000000), {2100, 1, 1, 0, 0, 0, 0, 4, 0}},
        {INT64_C(13574563200000000), {2400, 2, 29, 0, 0, 0, 0, 1, 59}},
        {INT64_C(253402300799999999), {9999, 12, 31, 23, 59, 59, 999999, 4, 364}},
        {INT64_C(-14182940000000), {1969, 7, 20, 20, 17, 40, 0, 6, 200}},
        {INT64_C(86399999999), {1970, 1, 1, 23, 59, 59, 999999, 3, 0}},
        {INT64_C(-86400000000), {1969, 12, 31, 0, 0, 0, 0, 2, 364}},
        {INT64_C(1614834367123456), {2021, 3, 4, 5, 6, 7, 123456, 3, 62}},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_civil c;
        xf_time back = INT64_C(-77);
        memset(&c, 0x55, sizeof c);
        xf_time_to_civil(cases[i].t, &c);
        CHECK_MSG(civil_equal(&c, &cases[i].c), "%lld -> %d-%d-%d %d:%d:%d.%d wday %d yday %d",
                  (long long)cases[i].t, c.year, c.month, c.day, c.hour, c.minute, c.second, c.usec,
                  c.wday, c.yday);
        CHECK_INT(xf_time_from_civil(&cases[i].c, &back), XF_OK);
        CHECK_INT(back, cases[i].t);
    }
}

static void test_from_civil_errors(void)
{
    static const xf_civil good = {2021, 3, 4, 5, 6, 7, 123456, 0, 0};
    static const struct {
        int field; /* index of the int32 field changed */
        int32_t value;
        int rc;
    } cases[] = {
        {0, 100000, XF_ERANGE},
        {0, -100000, XF_ERANGE},
        {0, INT32_MAX, XF_ERANGE},
        {0, INT32_MIN, XF_ERANGE},
        {0, 99999, XF_OK},
        {0, -99999, XF_OK},
        {1, 0, XF_ERANGE},
        {1, 13, XF_ERANGE},
        {1, -1, XF_ERANGE},
        {1, 12, XF_OK},
        {2, 0, XF_ERANGE},
        {2, 32, XF_ERANGE},
        {2, -4, XF_ERANGE},
        {2, 31, XF_OK},
        {3, 24, XF_ERANGE},
        {3, -1, XF_ERANGE},
        {3, 23, XF_OK},
        {4, 60, XF_ERANGE},
        {4, -1, XF_ERANGE},
        {4, 59, XF_OK},
        {5, 60, XF_ERANGE},
        {5, 61, XF_ERANGE},
        {5, -1, XF_ERANGE},
        {5, 59, XF_OK},
        {6, 1000000, XF_ERANGE},
        {6, -1, XF_ERANGE},
        {6, 999999, XF_OK},
        {7, 99, XF_OK}, /* wday and yday are ignored */
        {8, -5, XF_OK},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xf_civil c = good;
        int32_t *f[9];
        xf_time t = INT64_C(-77);
        int rc;
        f[0] = &c.year;
        f[1] = &c.month;
        f[2] = &c.day;
        f[3] = &c.hour;
        f[4] = &c.minute;
        f[5] = &c.second;
        f[6] = &c.usec;
        f[7] = &c.wday;
        f[8] = &c.yday;
        *f[cases[i].field] = cases[i].value;
        rc = xf_time_from_civil(&c, &t);
        CHECK_MSG(rc == cases[i].rc, "field %d = %ld -> %d, want %d", cases[i].field,
                  (long)cases[i].value, rc, cases[i].rc);
        if (rc != XF_OK)
            CHECK_MSG(t == INT64_C(-77), "field %d: output written on error", cases[i].field);
    }

    /* Days per month, leap years included (proleptic Gregorian). */
    {
        static const struct {
            int32_t year, month, days;
        } dm[] = {
            {2024, 2, 29}, {2023, 2, 28}, {2000, 2, 29}, {1900, 2, 28},  {2100, 2, 28},
            {2400, 2, 29}, {1600, 2, 29}, {0, 2, 29},    {-4, 2, 29},    {-1, 2, 28},
            {-100, 2, 28}, {-400, 2, 29}, {2021, 1, 31}, {2021, 4, 30},  {2021, 6, 30},
            {2021, 7, 31}, {2021, 8, 31}, {2021, 9, 30}, {2021, 11, 30}, {2021, 12, 31},
        };
        for (i = 0; i < sizeof dm / sizeof dm[0]; i++) {
            xf_civil c;
            xf_time t;
            memset(&c, 0, sizeof c);
            c.year = dm[i].year;
            c.month = dm[i].month;
            c.day = dm[i].days;
            CHECK_MSG(xf_time_from_civil(&c, &t) == XF_OK, "%d-%d-%d", c.year, c.month, c.day);
            c.day = dm[i].days + 1;
            CHECK_MSG(xf_time_from_civil(&c, &t) == XF_ERANGE, "%d-%d-%d", c.year, c.month, c.day);
        }
    }
}

/* Round trips over random instants (negative ones included), with every
 * field in range and wday/yday consistent with the day number. */
static void test_civil_random(void)
{
    /* The supported range: years -99999..99999. */
    static const xf_civil first = {-99999, 1, 1, 0, 0, 0, 0, 0, 0};
    static const xf_civil last = {99999, 12, 31, 23, 59, 59, 999999, 0, 0};
    xf_time lo = 0, hi = 0;
    int i;
    CHECK_INT(xf_time_from_civil(&first, &lo), XF_OK);
    CHECK_INT(xf_time_from_civil(&last, &hi), XF_OK);
    /* 199999 years of 365 days and 48499 leap days. */
    CHECK_INT(hi - lo + 1, (INT64_C(199999) * 365 + 48499) * US_DAY);
    for (i = 0; i < 20000; i++) {
        xf_time t = i < 10000 ? rng_range(lo, hi)
                              : rng_range(INT64_C(-2208988800000000), INT64_C(4102444800000000));
        xf_civil c, jan1;
        xf_time back = 0, y0 = 0;
        int64_t day = floor_div64(t, US_DAY);
        xf_time_to_civil(t, &c);
        CHECK_MSG(c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= 31 && c.hour >= 0 &&
                      c.hour <= 23 && c.minute >= 0 && c.minute <= 59 && c.second >= 0 &&
                      c.second <= 59 && c.usec >= 0 && c.usec <= 999999 && c.wday >= 0 &&
                      c.wday <= 6 && c.yday >= 0 && c.yday <= 365,
                  "%lld: field out of range", (long long)t);
        CHECK_MSG(xf_time_from_civil(&c, &back) == XF_OK && back == t, "%lld -> %lld", (long long)t,
                  (long long)back);
        CHECK_MSG(c.wday == (int32_t)(day + 3 - floor_div64(day + 3, 7) * 7), "%lld: wday %d",
                  (long long)t, c.wday);
        memset(&jan1, 0, sizeof jan1);
        jan1.year = c.year;
        jan1.month = 1;
        jan1.day = 1;
        CHECK_MSG(xf_time_from_civil(&jan1, &y0) == XF_OK && y0 + c.yday * US_DAY == day * US_DAY,
                  "%lld: yday %d", (long long)t, c.yday);
        /* The Gregorian calendar repeats every 400 years = 146097 days
         * (a whole number of weeks). */
        if (c.year >= -99999 + 400) {
            xf_civil e = c, ce;
            xf_time early = 0;
            e.year -= 400;
            CHECK_MSG(xf_time_from_civil(&e, &early) == XF_OK &&
                          early == t - INT64_C(146097) * US_DAY,
                      "%lld: 400-year period", (long long)t);
            xf_time_to_civil(early, &ce);
            CHECK_MSG(ce.wday == c.wday && ce.yday == c.yday && ce.month == c.month &&
                          ce.day == c.day,
                      "%lld: 400-year period fields", (long long)t);
        }
    }

    /* Consecutive days across year boundaries: the day number steps by one
     * and wday cycles. */
    {
        xf_time t = INT64_C(-62198755200000000); /* -0001-01-01 */
        xf_civil prev, c;
        int k;
        xf_time_to_civil(t, &prev);
        CHECK_INT(prev.year, -1);
        CHECK_INT(prev.yday, 0);
        for (k = 0; k < 3 * 366 + 20; k++) {
            t += US_DAY;
            xf_time_to_civil(t, &c);
            CHECK_MSG(c.wday == (prev.wday + 1) % 7, "day %d: wday", k);
            if (c.year == prev.year)
                CHECK_MSG(c.yday == prev.yday + 1, "day %d: yday", k);
            else
                CHECK_MSG(c.year == prev.year + 1 && c.yday == 0 && c.month == 1 && c.day == 1 &&
                              prev.month == 12 && prev.day == 31,
                          "day %d: new year", k);
            prev = c;
        }
    }

    /* Extreme instants are split without trouble. */
    {
        xf_civil c;
        xf_time_to_civil(INT64_MAX, &c);
        CHECK_INT(c.year, 294247);
        CHECK_INT(c.usec, 775807);
        xf_time_to_civil(INT64_MIN, &c);
        CHECK_INT(c.year, -290308);
        CHECK_INT(c.usec, 224192);
    }
}

/* Cross-check against glibc's timegm/gmtime_r (an independent
 * implementation) for years 1..9999. */
static void test_civil_vs_libc(void)
{
    int i;
    if (sizeof(time_t) < 8)
        return; /* years 1..9999 do not fit a 32-bit time_t */
    for (i = 0; i < 5000; i++) {
        int64_t s = rng_range(INT64_C(-62135596800), INT64_C(253402300799));
        time_t tt = (time_t)s, back_tt;
        struct tm tm;
        xf_civil c;
        xf_time t = 0;
        if (gmtime_r(&tt, &tm) == NULL) {
            CHECK_MSG(0, "gmtime_r(%lld) failed", (long long)s);
            continue;
        }
        xf_time_to_civil(s * US_SEC, &c);
        CHECK_MSG(c.year == tm.tm_year + 1900 && c.month == tm.tm_mon + 1 && c.day == tm.tm_mday &&
                      c.hour == tm.tm_hour && c.minute == tm.tm_min && c.second == tm.tm_sec &&
                      c.usec == 0 && c.wday == (tm.tm_wday + 6) % 7 && c.yday == tm.tm_yday,
                  "%lld: %d-%d-%d vs libc %d-%d-%d", (long long)s, c.year, c.month, c.day,
                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        back_tt = timegm(&tm);
        c.usec = (int32_t)rng_range(0, 999999);
        CHECK_MSG(xf_time_from_civil(&c, &t) == XF_OK && t == (int64_t)back_tt * US_SEC + c.usec,
                  "%lld: from_civil %lld vs timegm %lld", (long long)s, (long long)t,
                  (long long)back_tt);
    }
}

/* ------------------------------------------------------------ format */

static void test_format(void)
{
    static const struct {
        xf_time t;
        int date_only_ok;
        const char *want;
    } cases[] = {
        {INT64_C(0), 1, "1970-01-01"},
        {INT64_C(0), 0, "1970-01-01T00:00:00Z"},
        {INT64_C(1614816000000000), 1, "2021-03-04"},
        {INT64_C(1614834367000000), 1, "2021-03-04T05:06:07Z"},
        {INT64_C(1614834367000000), 0, "2021-03-04T05:06:07Z"},
        {INT64_C(1614834367500000), 0, "2021-03-04T05:06:07.5Z"},
        {INT64_C(1614834367120000), 1, "2021-03-04T05:06:07.12Z"},
        {INT64_C(1614834367123456), 0, "2021-03-04T05:06:07.123456Z"},
        {INT64_C(1614834367000001), 0, "2021-03-04T05:06:07.000001Z"},
        {INT64_C(1614834367010000), 0, "2021-03-04T05:06:07.01Z"},
        {INT64_C(1614816000000001), 1, "2021-03-04T00:00:00.000001Z"},
        {INT64_C(1614816060000000), 1, "2021-03-04T00:01:00Z"},
        {INT64_C(-1), 1, "1969-12-31T23:59:59.999999Z"},
        {INT64_C(-2208988800000000), 1, "1900-01-01"},
        {INT64_C(-62135596800000000), 1, "0001-01-01"},
        {INT64_C(-14182940000000), 1, "1969-07-20T20:17:40Z"},
        {INT64_C(253402300799999999), 1, "9999-12-31T23:59:59.999999Z"},
        {INT64_C(1709164800000000), 1, "2024-02-29"},
    };
    size_t i;
    char buf[64];
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = xf_time_format(cases[i].t, cases[i].date_only_ok, buf, sizeof buf);
        CHECK_STR(buf, cases[i].want);
        CHECK_INT(n, strlen(cases[i].want));
    }

    /* Truncation works like snprintf. */
    {
        const char *full = "2021-03-04T05:06:07.123456Z";
        size_t k;
        for (k = 0; k <= strlen(full) + 2; k++) {
            char small[40];
            size_t n;
            memset(small, '#', sizeof small);
            n = xf_time_format(INT64_C(1614834367123456), 1, small, k);
            CHECK_INT(n, strlen(full));
            if (k > 0) {
                size_t m = k - 1 < strlen(full) ? k - 1 : strlen(full);
                CHECK_MSG(strlen(small) == m && memcmp(small, full, m) == 0, "size %zu: '%s'", k,
                          small);
            }
            CHECK_MSG(small[k] == '#', "size %zu: wrote past the buffer", k);
        }
        CHECK_INT(xf_time_format(0, 1, NULL, 0), 10);
    }

    /* Formatting then parsing gives back the instant (years 0..9999). */
    for (i = 0; i < 5000; i++) {
        xf_time t = rng_range(INT64_C(-62167219200000000), INT64_C(253402300799999999)), back = 0;
        size_t n;
        if (i % 4 == 1)
            t -= t % US_SEC;
        else if (i % 4 == 2)
            t = floor_div64(t, US_DAY) * US_DAY;
        n = xf_time_format(t, (int)(i & 1), buf, sizeof buf);
        CHECK_MSG(n == strlen(buf) && xf_time_parse_iso(buf, n, &back) == XF_OK && back == t,
                  "%lld -> '%s' -> %lld", (long long)t, buf, (long long)back);
    }
}

int main(void)
{
    /* Nothing may depend on the local time zone. */
    setenv("TZ", "XST-5:30", 1);
    tzset();

    test_iso();
    test_epoch();
    test_strptime();
    test_detect();
    test_civil_table();
    test_from_civil_errors();
    test_civil_random();
    test_civil_vs_libc();
    test_format();
    return tu_report("test_time");
}
