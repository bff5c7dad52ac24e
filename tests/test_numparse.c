/* test_numparse.c - unit tests of xf__parse_double (src/numparse.c): syntax,
 * the ',' decimal, and exactness against the C library's strtod.
 *
 * strtod in the "C" locale is the reference: every accepted number must
 * give bit for bit the same double, whether it took the fast path or not.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

#include "testutil.h"

/* Deterministic pseudo-random numbers (splitmix64). */
static uint64_t rng_state = UINT64_C(0x2385a1b2c3d4e5f6);

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static int rng_int(int n)
{
    return (int)(rng_next() % (uint64_t)n);
}

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static int same_bits(double a, double b)
{
    return bits_of(a) == bits_of(b);
}

/* Parse s[0..len) through an exactly sized heap copy without a NUL, so that
 * AddressSanitizer reports any read past the end. */
static int parse_len(const char *s, size_t len, char decimal, double *out)
{
    char *copy = malloc(len > 0 ? len : 1);
    int rc;
    if (copy == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(99);
    }
    memcpy(copy, s, len);
    rc = xf__parse_double(copy, len, decimal, out);
    free(copy);
    return rc;
}

static int parse(const char *s, char decimal, double *out)
{
    return parse_len(s, strlen(s), decimal, out);
}

/* strtod of a '.'-decimal string ("C" locale), or NAN when strtod does not
 * consume all of it. */
static double ref_strtod(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    return end != s && *end == '\0' ? v : NAN;
}

/* Parse s with '.', and with ',' after swapping the decimal point, and
 * compare both with strtod bit for bit.  Returns 1 when all agreed. */
static int check_vs_strtod(const char *s)
{
    double want = ref_strtod(s), got = NAN, got_comma = NAN;
    char comma[700];
    size_t i, n = strlen(s);
    int rc, rc_comma, ok;
    if (n >= sizeof comma) {
        fprintf(stderr, "test string too long\n");
        exit(99);
    }
    for (i = 0; i <= n; i++)
        comma[i] = s[i] == '.' ? ',' : s[i];
    rc = parse(s, '.', &got);
    rc_comma = parse(comma, ',', &got_comma);
    if (isfinite(want))
        ok = rc == XF_NUM_OK && rc_comma == XF_NUM_OK && same_bits(got, want) &&
             same_bits(got_comma, want);
    else
        ok = rc == XF_NUM_NONFINITE && rc_comma == XF_NUM_NONFINITE;
    CHECK_MSG(ok, "'%s': rc %d/%d, got %.17g / %.17g, strtod %.17g", s, rc, rc_comma, got,
              got_comma, want);
    return ok;
}

/* ------------------------------------------------------------ tables */

static void test_table(void)
{
    static const struct {
        const char *text;
        char decimal;
        double want;
    } ok[] = {
        {"0", '.', 0.0},
        {"42", '.', 42.0},
        {"-17", '.', -17.0},
        {"+3", '.', 3.0},
        {"2.385", '.', 2.385},
        {"-0.0001234", '.', -0.0001234},
        {"6.02214076e23", '.', 6.02214076e23},
        {"1.602176634E-19", '.', 1.602176634e-19},
        {"1e22", '.', 1e22},
        {"1e23", '.', 1e23},
        {"1e+5", '.', 1e5},
        {"1E-0", '.', 1.0},
        {"12.5e-3", '.', 0.0125},
        {"5.", '.', 5.0},
        {".5", '.', 0.5},
        {"+.5e-1", '.', 0.05},
        {"-.25", '.', -0.25},
        {"  2.385\t", '.', 2.385},
        {"\t\t-7.125  ", '.', -7.125},
        {"007", '.', 7.0},
        {"00000000000000000000000001.5", '.', 1.5},
        {"0.00000000000000000000000000000000001234", '.', 1.234e-35},
        {"9007199254740992", '.', 9007199254740992.0},
        {"9007199254740993", '.', 9007199254740992.0}, /* ties to even */
        {"9007199254740995", '.', 9007199254740996.0},
        {"123456789012345678901234567890", '.', 1.2345678901234568e29},
        {"0.1", '.', 0.1},
        {"0.3", '.', 0.3},
        {"3.14159265358979323846264338327950288", '.', 3.141592653589793},
        {"1.7976931348623157e308", '.', 1.7976931348623157e308},
        {"2.2250738585072014e-308", '.', 2.2250738585072014e-308},
        {"4.9406564584124654e-324", '.', 4.9406564584124654e-324},
        {"1e-320", '.', 1e-320},
        {"1e308", '.', 1e308},
        {"1e-999", '.', 0.0},
        {"1e-100000000000000000000", '.', 0.0},
        {"0e999999999", '.', 0.0},
        {"2,385", ',', 2.385},
        {"-1,5e3", ',', -1500.0},
        {" 0,125 ", ',', 0.125},
        {",5", ',', 0.5},
        {"17", ',', 17.0},
        {"1e5", ',', 1e5},
    };
    static const struct {
        const char *text;
        char decimal;
        int rc;
    } bad[] = {
        {"", '.', XF_NUM_SYNTAX},
        {"   ", '.', XF_NUM_SYNTAX},
        {"-", '.', XF_NUM_SYNTAX},
        {"+", '.', XF_NUM_SYNTAX},
        {".", '.', XF_NUM_SYNTAX},
        {"-.", '.', XF_NUM_SYNTAX},
        {"e5", '.', XF_NUM_SYNTAX},
        {".e5", '.', XF_NUM_SYNTAX},
        {"1e", '.', XF_NUM_SYNTAX},
        {"1e+", '.', XF_NUM_SYNTAX},
        {"1e-", '.', XF_NUM_SYNTAX},
        {"1E", '.', XF_NUM_SYNTAX},
        {"1e 5", '.', XF_NUM_SYNTAX},
        {"1e5.5", '.', XF_NUM_SYNTAX},
        {"1e5e5", '.', XF_NUM_SYNTAX},
        {"1.2.3", '.', XF_NUM_SYNTAX},
        {"1..2", '.', XF_NUM_SYNTAX},
        {"0x10", '.', XF_NUM_SYNTAX},
        {"0x1p3", '.', XF_NUM_SYNTAX},
        {"inf", '.', XF_NUM_SYNTAX},
        {"-inf", '.', XF_NUM_SYNTAX},
        {"infinity", '.', XF_NUM_SYNTAX},
        {"nan", '.', XF_NUM_SYNTAX},
        {"NaN", '.', XF_NUM_SYNTAX},
        {"1,5", '.', XF_NUM_SYNTAX},
        {"1.5", ',', XF_NUM_SYNTAX},
        {"1,5,5", ',', XF_NUM_SYNTAX},
        {"1 2", '.', XF_NUM_SYNTAX},
        {"1 .5", '.', XF_NUM_SYNTAX},
        {"- 5", '.', XF_NUM_SYNTAX},
        {"--5", '.', XF_NUM_SYNTAX},
        {"+-5", '.', XF_NUM_SYNTAX},
        {"5-", '.', XF_NUM_SYNTAX},
        {"1_000", '.', XF_NUM_SYNTAX},
        {"abc", '.', XF_NUM_SYNTAX},
        {"12abc", '.', XF_NUM_SYNTAX},
        {"\n1", '.', XF_NUM_SYNTAX},
        {"1\n", '.', XF_NUM_SYNTAX},
        {"1\r", '.', XF_NUM_SYNTAX},
        {"1e999", '.', XF_NUM_NONFINITE},
        {"-1e999", '.', XF_NUM_NONFINITE},
        {"1.8e308", '.', XF_NUM_NONFINITE},
        {"1e100000000000000000000", '.', XF_NUM_NONFINITE},
        {"123456789e99999", '.', XF_NUM_NONFINITE},
        {"1,0e999", ',', XF_NUM_NONFINITE},
    };
    size_t i;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double got = NAN;
        int rc = parse(ok[i].text, ok[i].decimal, &got);
        CHECK_MSG(rc == XF_NUM_OK && same_bits(got, ok[i].want), "'%s' -> %d, %.17g, want %.17g",
                  ok[i].text, rc, got, ok[i].want);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double got = 2.385;
        int rc = parse(bad[i].text, bad[i].decimal, &got);
        CHECK_MSG(rc == bad[i].rc, "'%s' (decimal '%c') -> %d, want %d", bad[i].text,
                  bad[i].decimal, rc, bad[i].rc);
    }

    /* Signed zeros. */
    {
        double z = 1.0;
        CHECK(parse("-0", '.', &z) == XF_NUM_OK && z == 0.0 && signbit(z));
        CHECK(parse("-0.000e5", '.', &z) == XF_NUM_OK && z == 0.0 && signbit(z));
        CHECK(parse("0.0", '.', &z) == XF_NUM_OK && z == 0.0 && !signbit(z));
        CHECK(parse("+0e-7", '.', &z) == XF_NUM_OK && z == 0.0 && !signbit(z));
        CHECK(parse("-1e-999", '.', &z) == XF_NUM_OK && z == 0.0 && signbit(z));
    }

    /* Every prefix of a number is either a number (the same as strtod's)
     * or a syntax error, and is never read past its end. */
    {
        static const char *const full[] = {"-123.456e-7", "+.5E+12", "98765432109876543210.125e-3",
                                           "0.000000000000000000000000456e+30", "7e308"};
        for (i = 0; i < sizeof full / sizeof full[0]; i++) {
            size_t len, n = strlen(full[i]);
            for (len = 0; len <= n; len++) {
                char pre[64];
                double want, got = 2.385;
                int rc;
                memcpy(pre, full[i], len);
                pre[len] = '\0';
                want = ref_strtod(pre);
                rc = parse_len(full[i], len, '.', &got);
                if (isnan(want))
                    CHECK_MSG(rc == XF_NUM_SYNTAX, "prefix '%s' -> %d", pre, rc);
                else if (isinf(want))
                    CHECK_MSG(rc == XF_NUM_NONFINITE, "prefix '%s' -> %d", pre, rc);
                else
                    CHECK_MSG(rc == XF_NUM_OK && same_bits(got, want), "prefix '%s' -> %d, %.17g",
                              pre, rc, got);
            }
        }
    }

    /* Only len bytes are read; the text needs no NUL. */
    {
        double v = 0;
        CHECK(xf__parse_double("2.385xyz", 5, '.', &v) == XF_NUM_OK && v == 2.385);
        CHECK(xf__parse_double("1e22"
                               "9",
                               4, '.', &v) == XF_NUM_OK &&
              v == 1e22);
        CHECK(xf__parse_double("12345678901234567890123", 21, '.', &v) == XF_NUM_OK &&
              v == 123456789012345678901.0);
        CHECK_INT(xf__parse_double("7", 0, '.', &v), XF_NUM_SYNTAX);
        CHECK_INT(xf__parse_double("1\0"
                                   "2",
                                   3, '.', &v),
                  XF_NUM_SYNTAX);
    }
}

/* ------------------------------------------------------------ exactness */

static void test_exact_special(void)
{
    static const char *const cases[] = {
        /* Around the fast path's limits: 2^53, 10^22, 19 digits. */
        "9007199254740991",
        "9007199254740992",
        "9007199254740993",
        "9007199254740994",
        "9007199254740995",
        "18014398509481985",
        "1152921504606846977",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999",
        "1234567890123456789",
        "12345678901234567890",
        "1234567890123456789e3",
        "123456789012345678.9",
        "0.9999999999999999999",
        "9999999999999999999e22",
        "4503599627370497.5",
        "4503599627370496.5",
        "1e-22",
        "1e-23",
        "9007199254740993e-22",
        "9007199254740993e22",
        "123e22",
        "123e-22",
        "8.98846567431158e307",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "1.797693134862315807e308",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "7.4109846876186982e-324",
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "1e-320",
        "-1e-320",
        "1e-330",
        "1e308",
        "-1e308",
        "1e309",
        "0.000000000000000000000000000001",
        "100000000000000000000000000000000000000000000000000000000000001",
        "2.00000000000000011102230246251565404236316680908203125",
        "2.00000000000000011102230246251565404236316680908203124",
        "2.00000000000000011102230246251565404236316680908203126",
        "7.2057594037927933e16",
        "3.0540315017723741e-152",
        "6.631236846766476e-316",
        "2.2250738585072014e-308",
        "0.500000000000000166533453693773481063544750213623046875",
        "1.00000005960464477550",
        "9.5e-5",
        "1e23",
        "8.589973e9",
        "5e-324",
        "1.5e-323",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017"
        "977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273"
        "854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704"
        "342711559699508093042880177904174497791."
        "9999999999999999999999999999999999999999999999999999999999999999999999",
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_vs_strtod(cases[i]);

    /* Long digit strings, well beyond 19 digits, up to 600 digits. */
    {
        static const size_t lens[] = {20, 21, 25, 40, 64, 100, 300, 400, 600};
        char s[640];
        size_t j, k;
        for (j = 0; j < sizeof lens / sizeof lens[0]; j++) {
            for (k = 0; k < 20; k++) {
                size_t n = lens[j], p;
                s[0] = (char)('1' + rng_int(9));
                for (p = 1; p < n; p++)
                    s[p] = (char)('0' + rng_int(10));
                s[n] = '\0';
                /* Some with a decimal point inside, some as a fraction. */
                if (k % 3 == 1) {
                    size_t at = 1 + (size_t)rng_int((int)n - 1);
                    memmove(s + at + 1, s + at, n - at + 1);
                    s[at] = '.';
                } else if (k % 3 == 2) {
                    memmove(s + 2, s, n + 1);
                    s[0] = '0';
                    s[1] = '.';
                }
                /* Integers of more than 309 digits overflow: NONFINITE. */
                check_vs_strtod(s);
            }
        }
    }
}

/* Random doubles printed in several ways parse back exactly as strtod. */
static void test_exact_random(void)
{
    int i, failures = 0;
    for (i = 0; i < 60000 && failures < 20; i++) {
        double x;
        char buf[400];
        int style = (i / 3) % 6;
        if (i % 3 == 0) {
            /* Any finite bit pattern, subnormals included. */
            uint64_t u;
            do {
                u = rng_next();
                memcpy(&x, &u, sizeof x);
            } while (!isfinite(x));
        } else if (i % 3 == 1) {
            /* Magnitudes typical of data files. */
            x = ldexp((double)(rng_next() >> 11), -53) * pow(10.0, rng_int(25) - 12);
            if (rng_next() & 1)
                x = -x;
        } else {
            /* Short decimals: up to 19 digits and a small exponent, the
             * fast path's domain and its edge. */
            uint64_t m = rng_next() % UINT64_C(10000000000000000000);
            int digits = 1 + rng_int(19), e = rng_int(61) - 30;
            uint64_t p10 = 1;
            int k;
            for (k = 0; k < digits; k++)
                p10 *= 10;
            if (digits < 20)
                m %= p10;
            snprintf(buf, sizeof buf, "%s%llue%d", (rng_next() & 1) ? "-" : "",
                     (unsigned long long)m, e);
            if (!check_vs_strtod(buf))
                failures++;
            continue;
        }
        if (style == 2 && fabs(x) > 1e300)
            style = 0; /* keep the %.3f text within the buffer */
        switch (style) {
        case 0:
            snprintf(buf, sizeof buf, "%.17g", x);
            break;
        case 1:
            snprintf(buf, sizeof buf, "%.6g", x);
            break;
        case 2:
            snprintf(buf, sizeof buf, "%.3f", x);
            break;
        case 3:
            snprintf(buf, sizeof buf, "%.15e", x);
            break;
        case 4:
            snprintf(buf, sizeof buf, "%.20g", x);
            break;
        default:
            snprintf(buf, sizeof buf, "%.1e", x);
            break;
        }
        if (!check_vs_strtod(buf))
            failures++;
        /* %.17g always reads back as the very same double. */
        if (style == 0) {
            double back = NAN;
            CHECK_MSG(parse(buf, '.', &back) == XF_NUM_OK && same_bits(back, x),
                      "'%s' does not round-trip", buf);
        }
    }
    /* Decimal strings built digit by digit, with blanks and signs. */
    for (i = 0; i < 20000 && failures < 20; i++) {
        char core[128], full[160];
        size_t n = 0;
        int nint = rng_int(25), nfrac = rng_int(25), k;
        if (rng_int(4) == 0)
            core[n++] = rng_int(2) ? '-' : '+';
        for (k = 0; k < nint; k++)
            core[n++] = (char)('0' + (k == 0 && rng_int(3) ? 1 + rng_int(9) : rng_int(10)));
        if (nfrac > 0 || nint == 0) {
            core[n++] = '.';
            if (nint == 0 && nfrac == 0)
                nfrac = 1;
            for (k = 0; k < nfrac; k++)
                core[n++] = (char)('0' + rng_int(10));
        }
        if (rng_int(2)) {
            n += (size_t)snprintf(core + n, sizeof core - n, "%c%s%d", rng_int(2) ? 'e' : 'E',
                                  rng_int(2) ? "-" : (rng_int(2) ? "+" : ""), rng_int(340));
        }
        core[n] = '\0';
        if (!check_vs_strtod(core))
            failures++;
        /* Surrounding blanks change nothing. */
        snprintf(full, sizeof full, "%s%s%s", rng_int(2) ? " \t" : " ", core,
                 rng_int(2) ? "\t " : "  ");
        {
            double a = NAN, b = NAN;
            int ra = parse(core, '.', &a), rb = parse(full, '.', &b);
            CHECK_MSG(ra == rb && (ra != XF_NUM_OK || same_bits(a, b)), "'%s' vs '%s'", core, full);
        }
    }
}

/* The slow path must not depend on the process locale. */
static void test_locale(void)
{
    static const char *const locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
                                          "ru_RU.UTF-8"};
    size_t i;
    const char *set = NULL;
    for (i = 0; i < sizeof locales / sizeof locales[0] && set == NULL; i++)
        set = setlocale(LC_NUMERIC, locales[i]);
    if (set == NULL)
        return; /* no locale with a ',' decimal point installed */
    {
        double v = 0;
        CHECK(xf__parse_double("3.14159265358979323846", 22, '.', &v) == XF_NUM_OK &&
              v == 3.141592653589793);
        CHECK(xf__parse_double("3,14159265358979323846", 22, ',', &v) == XF_NUM_OK &&
              v == 3.141592653589793);
        CHECK(xf__parse_double("1.5e-320", 8, '.', &v) == XF_NUM_OK && v > 0);
        CHECK_INT(xf__parse_double("1,5e-320", 8, '.', &v), XF_NUM_SYNTAX);
    }
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    test_table();
    test_exact_special();
    test_exact_random();
    test_locale();
    return tu_report("test_numparse");
}
