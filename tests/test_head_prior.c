/* test_head_prior.c - the domain heads' data: panels of corpus-v2 samples
 * of a domain on the calendar of a frequency (kinds, calendars, lengths,
 * timestamps, ids), the fallbacks when the domain has no sample on that
 * calendar or the frequency has no calendar, determinism, refusals.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "head_prior.h"
#include "testutil.h"
#include "xfcast/corpus.h"

#define T0 ((xf_time)10959 * XF_TIME_US_PER_DAY) /* 2000-01-03 */

static xf_freq fixed(int64_t seconds)
{
    xf_freq f;
    memset(&f, 0, sizeof f);
    f.kind = XF_FREQ_FIXED;
    f.step = seconds * XF_TIME_US_PER_SEC;
    return f;
}

/* Every series of p: its sample's plan has kind `kind` (or any when < 0)
 * and calendar cal; at most max_len values, timestamps from T0 on f. */
static void check_panel(const xf_panel *p, size_t n, int kind, const char *cal, size_t max_len,
                        xf_freq f, const char *what)
{
    xf_corpus_options co;
    xf_corpus *c = NULL;
    xf_error err;
    size_t s, bad = 0;
    xf_corpus_options_init(&co);
    co.version = XF_CORPUS_VERSION_2;
    co.seed = 5;
    CHECK(xf_corpus_new(&co, &c, &err) == XF_OK);
    CHECK_INT(xf_panel_n_series(p), n);
    for (s = 0; c != NULL && s < xf_panel_n_series(p); s++) {
        unsigned long long idx;
        xf_corpus_kind k;
        const char *sc;
        size_t len, n_obs = xf_panel_series_length(p, s);
        const xf_time *t = xf_panel_series_times(p, s);
        xf_time t1;
        if (sscanf(xf_panel_series_id(p, s), "corpus-%llu", &idx) != 1) {
            bad++;
            continue;
        }
        xf_corpus_sample_plan(c, idx, &k, &sc, &len);
        bad += (kind >= 0 && (int)k != kind) || strcmp(sc, cal) != 0;
        bad += n_obs != (len < max_len ? len : max_len);
        bad += t == NULL || t[0] != T0;
        bad +=
            xf_panel_series_freq(p, s).kind != f.kind || xf_panel_series_freq(p, s).step != f.step;
        if (t != NULL && n_obs > 1)
            bad += xf_freq_advance(f, t[0], (int64_t)n_obs - 1, &t1) != XF_OK || t1 != t[n_obs - 1];
    }
    CHECK_MSG(bad == 0, "%s: %zu problems", what, bad);
    xf_corpus_free(c);
}

int main(void)
{
    xf_panel *p = NULL, *q = NULL;
    xf__prior_match m;
    xf_error err;
    xf_freq f = fixed(3600), bday;
    size_t s;
    int same = 1;

    xf_blas_set_threads(1);
    /* energy, hourly: energy samples on the hourly calendar */
    CHECK(xf__prior_panel(XF_DOMAIN_ENERGY, f, 12, 800, 5, &p, &m, &err) == XF_OK);
    CHECK_INT(m, XF__PRIOR_DOMAIN);
    if (p)
        check_panel(p, 12, XF_CORPUS_KIND_ENERGY, "hourly", 800, f, "energy hourly");
    /* deterministic */
    CHECK(xf__prior_panel(XF_DOMAIN_ENERGY, f, 12, 800, 5, &q, &m, &err) == XF_OK);
    for (s = 0; p && q && s < 12; s++)
        same &= xf_panel_series_length(p, s) == xf_panel_series_length(q, s) &&
                memcmp(xf_panel_series_values(p, s), xf_panel_series_values(q, s),
                       xf_panel_series_length(p, s) * sizeof(double)) == 0;
    CHECK(same);
    xf_panel_free(q);
    xf_panel_free(p);
    /* stock, business days */
    memset(&bday, 0, sizeof bday);
    bday.kind = XF_FREQ_BDAY;
    bday.step = 1;
    CHECK(xf__prior_panel(XF_DOMAIN_STOCK, bday, 6, 300, 5, &p, &m, &err) == XF_OK);
    CHECK_INT(m, XF__PRIOR_DOMAIN);
    if (p)
        check_panel(p, 6, XF_CORPUS_KIND_STOCK, "business-day", 300, bday, "stock");
    xf_panel_free(p);
    /* no stock sample is hourly: any kind on the hourly calendar */
    CHECK(xf__prior_panel(XF_DOMAIN_STOCK, f, 5, 300, 5, &p, &m, &err) == XF_OK);
    CHECK_INT(m, XF__PRIOR_CALENDAR);
    if (p)
        check_panel(p, 5, -1, "hourly", 300, f, "stock hourly");
    xf_panel_free(p);
    /* 7 hours has no calendar: samples of none */
    CHECK(xf__prior_panel(XF_DOMAIN_GENERIC, fixed(7 * 3600), 4, 200, 5, &p, &m, &err) == XF_OK);
    CHECK_INT(m, XF__PRIOR_ANY);
    if (p)
        check_panel(p, 4, -1, "none", 200, fixed(7 * 3600), "7-hourly");
    xf_panel_free(p);
    /* refusals */
    CHECK_INT(xf__prior_panel(XF_DOMAIN_GENERIC, f, 0, 200, 5, &p, &m, &err), XF_EINVAL);
    CHECK_INT(xf__prior_panel(XF_DOMAIN_GENERIC, f, 3, 10, 5, &p, &m, &err), XF_EINVAL);
    memset(&f, 0, sizeof f);
    CHECK_INT(xf__prior_panel(XF_DOMAIN_GENERIC, f, 3, 200, 5, &p, &m, &err), XF_EINVAL);
    CHECK(p == NULL);
    return tu_report("test_head_prior");
}
