/* head_domain.c - domains: names, parsing, and the heuristics that suggest one
 * for a series (column name, frequency, autocorrelation).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "head_internal.h"

static const char *const domain_names[] = {"generic", "stock", "weather", "energy"};

const char *xf_domain_name(xf_domain d)
{
    return (unsigned)d < 4 ? domain_names[d] : "?";
}

int xf_domain_parse(const char *text, xf_domain *out, xf_error *err)
{
    int i;
    for (i = 0; i < 4; i++)
        if (text != NULL && strcmp(text, domain_names[i]) == 0) {
            *out = (xf_domain)i;
            return XF_OK;
        }
    return xf__fail(err, XF_EINVAL, 0, 0,
                    "unknown domain '%s' (expected generic, stock, "
                    "weather or energy)",
                    text != NULL ? text : "");
}

static int name_has(const char *name, const char *const *words)
{
    char low[128];
    size_t i;
    if (name == NULL)
        return 0;
    for (i = 0; name[i] != '\0' && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    low[i] = '\0';
    for (i = 0; words[i] != NULL; i++)
        if (strstr(low, words[i]) != NULL)
            return 1;
    return 0;
}

/* Autocorrelation of x at lag k over finite pairs (0 when undefined). */
static double autocorr(const double *x, size_t n, size_t k)
{
    double s = 0, s2 = 0, c = 0;
    size_t i, m = 0;
    if (k >= n)
        return 0;
    for (i = 0; i < n; i++)
        if (isfinite(x[i])) {
            s += x[i];
            s2 += x[i] * x[i];
            m++;
        }
    if (m < 2 * k + 8)
        return 0;
    s /= (double)m;
    s2 = s2 / (double)m - s * s;
    if (!(s2 > 0))
        return 0;
    m = 0;
    for (i = k; i < n; i++)
        if (isfinite(x[i]) && isfinite(x[i - k])) {
            c += (x[i] - s) * (x[i - k] - s);
            m++;
        }
    return m > 0 ? c / (double)m / s2 : 0;
}

xf_domain xf_domain_suggest(const double *y, size_t n, xf_freq freq, const char *name, char *why,
                            size_t why_len)
{
    static const char *const weather[] = {"temp",     "precip", "rain",    "wind",
                                          "pressure", "humid",  "weather", "snow",
                                          "cloud",    "solar",  NULL};
    static const char *const stock[] = {"close", "open", "price",  "high", "low",
                                        "stock", "adj",  "ticker", NULL};
    static const char *const energy[] = {"load", "demand",      "power",    "energy", "kwh",
                                         "mwh",  "consumption", "electric", "ot",     NULL};
    char buf[160];
    xf_domain d = XF_DOMAIN_GENERIC;
    int positive = 1;
    size_t i;
    double *dy = NULL;
    for (i = 0; i < n; i++)
        if (isfinite(y[i]) && y[i] <= 0)
            positive = 0;
    snprintf(buf, sizeof buf, "no domain pattern recognised");
    if (name_has(name, weather)) {
        d = XF_DOMAIN_WEATHER;
        snprintf(buf, sizeof buf, "the column name looks like a weather variable");
    } else if (freq.kind == XF_FREQ_BDAY) {
        d = XF_DOMAIN_STOCK;
        snprintf(buf, sizeof buf, "business-day frequency");
    } else if (name_has(name, stock) && positive) {
        d = XF_DOMAIN_STOCK;
        snprintf(buf, sizeof buf, "the column name looks like a price");
    } else if (name_has(name, energy)) {
        d = XF_DOMAIN_ENERGY;
        snprintf(buf, sizeof buf, "the column name looks like an energy quantity");
    } else if (freq.kind == XF_FREQ_FIXED && freq.step < XF_TIME_US_PER_DAY &&
               XF_TIME_US_PER_DAY % freq.step == 0) {
        size_t spd = (size_t)(XF_TIME_US_PER_DAY / freq.step);
        double a1 = autocorr(y, n, spd), a7 = autocorr(y, n, 7 * spd);
        if (a1 > 0.5 && a7 > a1 - 0.05) {
            d = XF_DOMAIN_ENERGY;
            snprintf(buf, sizeof buf,
                     "sub-daily with daily and weekly cycles (autocorrelation "
                     "%.2f at 1 day, %.2f at 1 week)",
                     a1, a7);
        }
    } else if (positive && n > 64 && (dy = malloc(n * sizeof *dy)) != NULL) {
        double a1;
        dy[0] = NAN;
        for (i = 1; i < n; i++)
            dy[i] = y[i] - y[i - 1];
        a1 = autocorr(dy, n, 1);
        if (autocorr(y, n, 1) > 0.98 && fabs(a1) < 0.1 && freq.kind == XF_FREQ_FIXED &&
            freq.step == XF_TIME_US_PER_DAY) {
            d = XF_DOMAIN_STOCK;
            snprintf(buf, sizeof buf, "a daily random walk (changes barely autocorrelated: %.2f)",
                     a1);
        }
    }
    free(dy);
    if (why != NULL && why_len > 0)
        snprintf(why, why_len, "%s", buf);
    return d;
}
