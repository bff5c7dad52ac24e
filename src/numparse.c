/* numparse.c - exact, locale-independent decimal number parsing.
 *
 * Reading CSV is dominated by number conversion.  Most numbers in data
 * files have at most 19 significant digits and a small decimal exponent;
 * then mantissa and 10^e are both exact doubles and one IEEE multiply or
 * divide gives the correctly rounded result (Clinger 1990).  Everything
 * else goes to strtod on a cleaned-up copy.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int slow_path(const char *s, size_t len, char decimal, double *out)
{
    char small[512];
    char *buf = small, *end;
    size_t i;
    char dp = '.';
    int rc;
    const struct lconv *lc = localeconv();
    if (lc != NULL && lc->decimal_point != NULL && lc->decimal_point[0] != '\0' &&
        lc->decimal_point[1] == '\0')
        dp = lc->decimal_point[0];
    if (len >= sizeof small) {
        /* The syntax was checked, so this is a valid number with hundreds
         * of digits: it gets a heap copy.  Running out of memory can only
         * be reported as "not a number". */
        buf = malloc(len + 1);
        if (buf == NULL)
            return XF_NUM_SYNTAX;
    }
    for (i = 0; i < len; i++)
        buf[i] = s[i] == decimal ? dp : s[i];
    buf[len] = '\0';
    *out = strtod(buf, &end);
    if (end != buf + len)
        rc = XF_NUM_SYNTAX;
    else
        rc = isfinite(*out) ? XF_NUM_OK : XF_NUM_NONFINITE;
    if (buf != small)
        free(buf);
    return rc;
}

int xf__parse_double(const char *s, size_t len, char decimal, double *out)
{
    size_t i = 0, start;
    int neg = 0, nsig = 0, ndig = 0, exp_neg = 0;
    int64_t exp10 = 0, e = 0;
    uint64_t m = 0;
    int dropped = 0;

    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    start = i;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        ndig++;
        if (nsig < 19) {
            if (m != 0 || s[i] != '0') {
                m = m * 10 + (uint64_t)(s[i] - '0');
                nsig++;
            }
        } else {
            exp10++;
            dropped |= s[i] != '0';
        }
    }
    if (i < len && s[i] == decimal) {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            ndig++;
            if (nsig < 19) {
                if (m != 0 || s[i] != '0') {
                    m = m * 10 + (uint64_t)(s[i] - '0');
                    nsig++;
                }
                exp10--;
            } else {
                dropped |= s[i] != '0';
            }
        }
    }
    if (ndig == 0)
        return XF_NUM_SYNTAX;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int nexp = 0;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            exp_neg = s[i++] == '-';
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nexp++)
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
        if (nexp == 0)
            return XF_NUM_SYNTAX;
        exp10 += exp_neg ? -e : e;
    }
    if (i != len)
        return XF_NUM_SYNTAX;
    if (m == 0) {
        *out = neg ? -0.0 : 0.0;
        return XF_NUM_OK;
    }
    if (!dropped && m <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
        double v = (double)m;
        v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
        *out = neg ? -v : v;
        return XF_NUM_OK;
    }
    return slow_path(s + start, len - start, decimal, out);
}
