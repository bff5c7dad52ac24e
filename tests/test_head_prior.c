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

#include "head_internal.h"
#include "head_prior.h"
#include "testutil.h"
#include "xfcast/corpus.h"
#include "xfcast/head_stats.h"
#include "xfcast/xfm.h"

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

/* A domain head fitted on energy data: on other energy series (another
 * corpus seed) its forecasts beat the seasonal baseline it corrects, and a
 * second fit gives the same weights. */
static void test_prior_fit(void)
{
    xf_panel *user = NULL, *test = NULL;
    xf_head *h = NULL;
    xf_head_options o;
    xf__ridge_model a = {0}, b = {0};
    xf__feat_ws *ws = NULL;
    xf_error err;
    xf_freq f = fixed(3600);
    size_t rows = 0, s, t, k, H, p, n_used = 0;
    double X[1024], lev, sca, Y[64], base[64], e_prior = 0, e_base = 0;
    unsigned char ok;
    CHECK(xf__prior_panel(XF_DOMAIN_ENERGY, f, 2, 1500, 9, &user, NULL, &err) == XF_OK);
    xf_head_options_init(&o);
    o.horizon = 24;
    o.n_lags = 48;
    o.embedding = 0;
    o.local_model = 0;
    o.domain = XF_DOMAIN_ENERGY;
    CHECK_MSG(user && xf_head_fit(user, NULL, 0, &o, &h, &err) == XF_OK, "%s", err.message);
    if (h == NULL)
        goto done;
    H = (size_t)h->spec.horizon;
    p = h->spec.p;
    CHECK(H <= 64 && p <= 1024);
    CHECK_MSG(xf__head_prior_fit(&h->spec, XF_DOMAIN_ENERGY, f, 20, 1500, 6, 5, 1, NULL, &a, &rows,
                                 &err) == XF_OK,
              "%s", err.message);
    CHECK(rows > 1000);
    CHECK(xf__head_prior_fit(&h->spec, XF_DOMAIN_ENERGY, f, 20, 1500, 6, 5, 1, NULL, &b, NULL,
                             &err) == XF_OK);
    CHECK(a.w != NULL && b.w != NULL && memcmp(a.w, b.w, H * p * sizeof *a.w) == 0);
    /* held-out energy series: the prior against the baseline alone */
    CHECK(xf__prior_panel(XF_DOMAIN_ENERGY, f, 6, 1500, 77, &test, NULL, &err) == XF_OK);
    CHECK(xf__feat_ws_new(&h->spec, 1, 1, &ws, &err) == XF_OK);
    for (s = 0; a.w != NULL && test != NULL && ws != NULL && s < 6; s++) {
        size_t n = xf_panel_series_length(test, s);
        const double *y = xf_panel_series_values(test, s);
        for (t = xf__head_first_origin(&h->spec); t + H <= n; t += 17) {
            double pred[64];
            if (xf__feat_build(&h->spec, ws, test, &s, &t, 1, 0, NULL, X, &lev, &sca, &ok, &err) !=
                    XF_OK ||
                !ok || !xf__feat_targets(&h->spec, ws, y, n, t, lev, sca, 100.0, Y, base))
                continue;
            xf__ridge_predict(&a, X, pred);
            for (k = 0; k < H; k++) {
                e_prior += fabs(Y[k] - pred[k]);
                e_base += fabs(Y[k]);
            }
            n_used++;
        }
    }
    CHECK(n_used > 100);
    CHECK_MSG(e_prior < 0.9 * e_base, "prior MAE %.4f, baseline %.4f (normalised, %zu origins)",
              e_prior / (double)(n_used * H), e_base / (double)(n_used * H), n_used);
    printf("domain head (energy, hourly, %zu rows): held-out MAE %.4f, the head's baseline (or the "
           "level) alone %.4f\n",
           rows, e_prior / (double)(n_used * H), e_base / (double)(n_used * H));
    /* covariates: refused (b is set to an empty model) */
    xf__ridge_model_free(&b);
    h->spec.n_cov = 1;
    CHECK_INT(xf__head_prior_fit(&h->spec, XF_DOMAIN_ENERGY, f, 20, 1500, 6, 5, 1, NULL, &b, NULL,
                                 &err),
              XF_EINVAL);
    h->spec.n_cov = 0;
done:
    xf__feat_ws_free(ws);
    xf__ridge_model_free(&a);
    xf__ridge_model_free(&b);
    xf_head_free(h);
    xf_panel_free(user);
    xf_panel_free(test);
}

/* A user's head shrunk towards the domain head (xf_head_options.prior):
 * short energy series fit, the head says so and its file keeps the prior
 * (a reloaded head forecasts the same); covariates and sharded fits are
 * refused with a message that says what to do; an unknown value is
 * refused. */
/* The cache of one fit's domain heads: the panel and the encoders' rows are
 * reused by a spec with the same encoders, first origin and stride, and the
 * domain head is the uncached one bit for bit; another stride refills it. */
static void test_prior_cache(void)
{
    xf_encoder_config cfg;
    xf_encoder *gru = NULL;
    xf_panel *user = NULL;
    xf_head *h = NULL;
    xf_head_options o;
    xf__ridge_model a = {0}, b = {0}, c = {0}, d = {0};
    xf__prior_cache pc = {0};
    xf_error err;
    xf_freq f = fixed(3600);
    xf_panel *first;
    size_t H, p, n1;
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    cfg.context = 64;
    cfg.n_layers = 1;
    cfg.n_hidden = 8;
    CHECK(xf_encoder_new(&cfg, 3, &gru, &err) == XF_OK);
    CHECK(xf__prior_panel(XF_DOMAIN_ENERGY, f, 2, 600, 9, &user, NULL, &err) == XF_OK);
    xf_head_options_init(&o);
    o.horizon = 12;
    o.n_lags = 24;
    o.embedding = 1;
    o.local_model = 0;
    o.domain = XF_DOMAIN_ENERGY;
    CHECK_MSG(gru && user && xf_head_fit(user, &gru, 1, &o, &h, &err) == XF_OK, "%s", err.message);
    if (h == NULL)
        goto done;
    H = (size_t)h->spec.horizon;
    p = h->spec.p;
    CHECK(h->spec.n_enc == 1);
    CHECK(xf__head_prior_fit(&h->spec, XF_DOMAIN_ENERGY, f, 8, 600, 5, 5, 1, NULL, &a, NULL,
                             &err) == XF_OK);
    CHECK(xf__head_prior_fit(&h->spec, XF_DOMAIN_ENERGY, f, 8, 600, 5, 5, 1, &pc, &b, NULL, &err) ==
          XF_OK);
    CHECK(pc.panel != NULL && pc.have_rows && pc.n > 0 && pc.width > 0);
    first = pc.panel;
    n1 = pc.n;
    CHECK(xf__head_prior_fit(&h->spec, XF_DOMAIN_ENERGY, f, 8, 600, 5, 5, 1, &pc, &c, NULL, &err) ==
          XF_OK);
    CHECK(pc.panel == first && pc.have_rows && pc.n == n1); /* reused, not regenerated */
    CHECK(a.w && b.w && c.w && memcmp(a.w, b.w, H * p * sizeof *a.w) == 0 &&
          memcmp(a.w, c.w, H * p * sizeof *a.w) == 0 && memcmp(a.b, c.b, H * sizeof *a.b) == 0);
    /* another stride: other rows, the same panel */
    CHECK(xf__head_prior_fit(&h->spec, XF_DOMAIN_ENERGY, f, 8, 600, 7, 5, 1, &pc, &d, NULL, &err) ==
          XF_OK);
    CHECK(pc.panel == first && pc.have_rows && pc.stride == 7 && pc.n < n1);
    CHECK(d.w && memcmp(a.w, d.w, H * p * sizeof *a.w) != 0);
done:
    xf__ridge_model_free(&a);
    xf__ridge_model_free(&b);
    xf__ridge_model_free(&c);
    xf__ridge_model_free(&d);
    xf__prior_cache_free(&pc);
    CHECK(pc.panel == NULL && pc.emb == NULL);
    xf_head_free(h);
    xf_panel_free(user);
    xf_encoder_free(gru);
}

static void test_prior_head(void)
{
    xf_panel *user = NULL;
    xf_head *h = NULL, *g = NULL;
    xf_head_stats *hs = NULL;
    xf_head_options o;
    xf_xfm *mf = NULL;
    xf_error err;
    xf_freq f = fixed(3600);
    char desc[512], path[] = "test_head_prior.tmp.xfm";
    const char *v;
    size_t i;
    CHECK(xf__prior_panel(XF_DOMAIN_ENERGY, f, 2, 400, 31, &user, NULL, &err) == XF_OK);
    if (user == NULL)
        return;
    xf_head_options_init(&o);
    o.horizon = 24;
    o.domain = XF_DOMAIN_ENERGY;
    o.prior = XF_PRIOR_DOMAIN;
    CHECK_MSG(xf_head_fit(user, NULL, 0, &o, &h, &err) == XF_OK, "%s", err.message);
    if (h != NULL) {
        xf_head_describe(h, desc, sizeof desc);
        CHECK_MSG(strstr(desc, "shrunk towards the energy domain head") != NULL, "%s", desc);
        CHECK(h->prior_w != NULL && h->prior_b != NULL);
        CHECK_MSG(xf_head_save(h, path, &err) == XF_OK, "%s", err.message);
        CHECK(xf_xfm_load(path, &mf, &err) == XF_OK);
        CHECK(mf != NULL && xf_xfm_get_str(mf, "head.prior", &v, NULL) == XF_OK &&
              strcmp(v, "domain") == 0 && xf_xfm_find_tensor(mf, "prior.weights", &i) == XF_OK);
        CHECK_MSG(xf_head_load(path, &g, &err) == XF_OK, "%s", err.message);
        if (g != NULL) {
            size_t H = (size_t)h->spec.horizon, P = h->spec.p;
            CHECK(g->prior_w != NULL &&
                  memcmp(g->prior_w, h->prior_w, H * P * sizeof(double)) == 0 &&
                  memcmp(g->W, h->W, H * P * sizeof(double)) == 0);
        }
        remove(path);
    }
    /* the same without the prior: other weights */
    {
        xf_head *n = NULL;
        o.prior = XF_PRIOR_NONE;
        CHECK_MSG(xf_head_fit(user, NULL, 0, &o, &n, &err) == XF_OK, "%s", err.message);
        if (n != NULL && h != NULL) {
            xf_xfm *nf = NULL;
            CHECK(n->prior_w == NULL);
            xf_head_describe(n, desc, sizeof desc);
            CHECK_MSG(strstr(desc, "domain head") == NULL, "%s", desc);
            /* its file says none, without prior tensors */
            CHECK_MSG(xf_head_save(n, path, &err) == XF_OK, "%s", err.message);
            CHECK(xf_xfm_load(path, &nf, &err) == XF_OK);
            CHECK(nf != NULL && xf_xfm_get_str(nf, "head.prior", &v, NULL) == XF_OK &&
                  strcmp(v, "none") == 0 && xf_xfm_find_tensor(nf, "prior.weights", &i) != XF_OK);
            xf_xfm_free(nf);
            remove(path);
        }
        xf_head_free(n);
        o.prior = XF_PRIOR_DOMAIN;
    }
    /* a sharded fit: refused */
    CHECK_INT(xf_head_stats_fit(user, NULL, 0, &o, 0, 2, &hs, &err), XF_EINVAL);
    CHECK_MSG(strstr(err.message, "sharded fit has no domain prior") != NULL, "%s", err.message);
    xf_head_stats_free(hs);
    /* covariates: refused, the message says what to do */
    {
        const char *names[1] = {"temp"};
        const double *cov[1];
        xf_panel *pc = NULL;
        xf_head *x = NULL;
        size_t n = xf_panel_series_length(user, 0);
        cov[0] = xf_panel_series_values(user, 0);
        CHECK(xf_panel_new(names, 1, &pc, &err) == XF_OK);
        CHECK(pc != NULL &&
              xf_panel_add_series(pc, "a", n, xf_panel_series_times(user, 0), f,
                                  xf_panel_series_values(user, 0), cov, &err) == XF_OK);
        CHECK_INT(xf_head_fit(pc, NULL, 0, &o, &x, &err), XF_EINVAL);
        CHECK_MSG(strstr(err.message, "fit with prior none") != NULL, "%s", err.message);
        xf_head_free(x);
        xf_panel_free(pc);
    }
    /* an unknown value */
    {
        xf_head *x = NULL;
        o.prior = 7;
        CHECK_INT(xf_head_fit(user, NULL, 0, &o, &x, &err), XF_EINVAL);
        xf_head_free(x);
    }
    xf_xfm_free(mf);
    xf_head_free(g);
    xf_head_free(h);
    xf_panel_free(user);
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
    test_prior_fit();
    test_prior_cache();
    test_prior_head();
    return tu_report("test_head_prior");
}
