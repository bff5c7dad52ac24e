/* test_intervals.c - adaptive conformal intervals (src/head_intervals.c):
 * the rolling window, ACI moving the level the right way, a variance jump
 * after the calibration window whose coverage split intervals lose and the
 * adaptive ones restore within a bounded number of origins, the head's
 * window fed by exact updates (errors under the head before the update),
 * forecasts from data grown since the fit learning from its new origins,
 * symmetric intervals (an option; separate tails by default), and the
 * head-file round trip with the new keys and without them (a head
 * written before them loads with split intervals).
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include "head_testutil.h"

#include "head_internal.h"
#include "head_intervals.h"

#define N_CAL 1200 /* values before the jump (fit and calibration) */
#define N_ALL 2400 /* values in all */
#define JUMP 3.0   /* the noise's standard deviation is multiplied by this */
#define SKIP 24    /* origins (of H_SMALL steps) the adaptive intervals may take */
#define TOL 4.0    /* coverage points allowed around nominal after SKIP origins */

/* One hourly sine with noise 0.5, JUMP times that from N_CAL on. */
static xf_panel *jump_panel(size_t n)
{
    xf_panel *p = NULL;
    xf_time t[N_ALL];
    double y[N_ALL];
    rng r = {2385};
    xf_error err;
    size_t k;
    hourly_times(t, N_ALL);
    for (k = 0; k < N_ALL; k++)
        y[k] = sine_truth(0, k) + 0.5 * (k >= N_CAL ? JUMP : 1.0) * rng_norm(&r);
    need(xf_panel_new(NULL, 0, &p, &err) == XF_OK, "panel", &err);
    need(xf_panel_add_series(p, "jump", n, t, hourly, y, NULL, &err) == XF_OK, "series", &err);
    return p;
}

static void test_roll(void)
{
    xf__roll r, c = {0};
    size_t i;
    CHECK(xf__roll_init(&r, 5) == XF_OK);
    for (i = 0; i < 7; i++)
        xf__roll_push(&r, 1.5 + (double)i);
    xf__roll_push(&r, NAN); /* ignored */
    CHECK_INT(r.n, 5);
    for (i = 0; i < 5; i++)
        CHECK_NEAR(xf__roll_get(&r, i), 3.5 + (double)i, 0); /* the oldest two dropped */
    r.dalpha[1] = -0.0125;
    CHECK(xf__roll_copy(&c, &r) == XF_OK);
    CHECK_INT(c.n, 5);
    CHECK_NEAR(xf__roll_get(&c, 0), 3.5, 0);
    CHECK_NEAR(c.dalpha[1], -0.0125, 0);
    xf__roll_free(&r);
    xf__roll_free(&c);
    CHECK_INT(xf__ivl_cap(1), XF_IVL_MIN_CAP);
    CHECK_INT(xf__ivl_cap(48), 48 * XF_IVL_ORIGINS);
    CHECK_INT(xf__ivl_cap(100000), XF_IVL_MAX_CAP);
}

/* Coverage of level 0 over the origins after SKIP, counted by the callback. */
typedef struct late_cov {
    size_t n_origins, in, tot;
} late_cov;

static int count_late(const xf_backtest_forecast *f, void *user, xf_error *err)
{
    late_cov *c = user;
    int32_t k;
    (void)err;
    if (c->n_origins++ < SKIP)
        return 0;
    for (k = 0; k < f->horizon; k++)
        if (isfinite(f->actual[k])) {
            c->in += f->actual[k] >= f->lo[k] && f->actual[k] <= f->hi[k];
            c->tot++;
        }
    return 0;
}

static double backtest_cov(const xf_panel *p, int32_t intervals, double *late, double *msis)
{
    xf_backtest_options bo;
    xf_backtest_result res;
    late_cov lc = {0, 0, 0};
    xf_error err;
    double cov = NAN;
    xf_backtest_options_init(&bo);
    small_opts(&bo.fit);
    bo.fit.embedding = 0;
    bo.fit.intervals = intervals;
    bo.test_start_row = N_CAL;
    CHECK_MSG(xf_backtest(p, NULL, 0, &bo, count_late, &lc, &res, NULL, &err) == XF_OK, "%s",
              err.message);
    if (res.n_origins > 0) {
        cov = res.overall[XF_METHOD_MODEL].coverage[0];
        *msis = res.msis[0];
        CHECK(res.width[0] > 0 && res.width[1] > res.width[0]);
    }
    *late = lc.tot ? 100.0 * (double)lc.in / (double)lc.tot : NAN;
    xf_backtest_result_free(&res);
    return cov;
}

/* The case adaptive intervals are for: the noise triples after the
 * calibration window.  Split intervals keep their width and lose coverage;
 * rolling and ACI ones get it back after at most SKIP origins. */
static void test_variance_jump(void)
{
    xf_panel *p = jump_panel(N_ALL);
    double late_s, late_r, late_a, msis_s, msis_r, msis_a;
    double cov_s = backtest_cov(p, XF_INTERVALS_SPLIT, &late_s, &msis_s);
    double cov_r = backtest_cov(p, XF_INTERVALS_ROLLING, &late_r, &msis_r);
    double cov_a = backtest_cov(p, XF_INTERVALS_ACI, &late_a, &msis_a);
    printf("variance x%g after the calibration window, 80%%: split %.1f (after %d origins %.1f, "
           "MSIS %.2f), rolling %.1f (%.1f, %.2f), aci %.1f (%.1f, %.2f)\n",
           JUMP, cov_s, SKIP, late_s, msis_s, cov_r, late_r, msis_r, cov_a, late_a, msis_a);
    CHECK_MSG(late_s < 80.0 - 15.0, "split coverage %.1f", late_s);
    CHECK_MSG(fabs(late_r - 80.0) <= TOL, "rolling coverage %.1f", late_r);
    CHECK_MSG(fabs(late_a - 80.0) <= TOL, "aci coverage %.1f", late_a);
    CHECK_MSG(msis_a < msis_s && msis_r < msis_s, "MSIS split %.3f rolling %.3f aci %.3f", msis_s,
              msis_r, msis_a);
    xf_panel_free(p);
}

/* ACI: errors outside the intervals issued lower the miscoverage aimed at
 * (wider intervals), errors inside raise it (narrower), by gamma (alpha -
 * missed) each. */
static void test_aci_direction(void)
{
    xf_panel *p = jump_panel(N_CAL);
    xf_head_options o;
    xf_head *h;
    xf__roll r = {0};
    double e[H_SMALL], lo0[2 * H_SMALL], hi0[2 * H_SMALL], lo[2 * H_SMALL], hi[2 * H_SMALL];
    double *scratch;
    size_t k;
    small_opts(&o);
    o.embedding = 0;
    o.intervals = XF_INTERVALS_ACI;
    h = fit_ok(p, NULL, 0, &o, "aci");
    if (h == NULL || h->ivl == NULL) {
        CHECK(h != NULL && h->ivl != NULL);
        xf_head_free(h);
        xf_panel_free(p);
        return;
    }
    CHECK(xf__roll_copy(&r, xf__ivl_roll(h->ivl)) == XF_OK);
    scratch = malloc(r.cap * sizeof *scratch);
    need(scratch != NULL, "scratch", NULL);
    /* an empty window: the split quantiles, exactly */
    xf__ivl_quantiles(h, &r, lo0, hi0, scratch);
    CHECK(memcmp(lo0, h->q_lo, sizeof lo0) == 0 && memcmp(hi0, h->q_hi, sizeof hi0) == 0);
    /* one origin of errors all beyond the 95% intervals */
    for (k = 0; k < H_SMALL; k++)
        e[k] = 2.0 * h->q_hi[H_SMALL + k] + 0.25;
    xf__ivl_observe(h, &r, e, h->q_lo, h->q_hi, 0, H_SMALL);
    CHECK_INT(r.n, H_SMALL);
    CHECK_NEAR(r.dalpha[0], H_SMALL * XF_IVL_ACI_GAMMA * (0.2 - 1.0), 1e-12);
    CHECK_NEAR(r.dalpha[1], H_SMALL * XF_IVL_ACI_GAMMA * (0.05 - 1.0), 1e-12);
    xf__ivl_quantiles(h, &r, lo, hi, scratch);
    for (k = 0; k < H_SMALL; k++)
        CHECK(hi[k] - lo[k] > hi0[k] - lo0[k]);
    /* errors of 0, inside every interval, raise it back */
    {
        double before = r.dalpha[0];
        for (k = 0; k < H_SMALL; k++)
            e[k] = 0.0;
        xf__ivl_observe(h, &r, e, h->q_lo, h->q_hi, 0, H_SMALL);
        CHECK_NEAR(r.dalpha[0], before + H_SMALL * XF_IVL_ACI_GAMMA * 0.2, 1e-12);
    }
    /* rolling intervals do not move the level */
    h->intervals = XF_INTERVALS_ROLLING;
    r.dalpha[0] = r.dalpha[1] = 0;
    xf__ivl_observe(h, &r, e, h->q_lo, h->q_hi, 0, H_SMALL);
    CHECK(r.dalpha[0] == 0 && r.dalpha[1] == 0);
    free(scratch);
    xf__roll_free(&r);
    xf_head_free(h);
    xf_panel_free(p);
}

/* A copy of the head file at src without the adaptive intervals' keys, as
 * an xfcast before them wrote it. */
static void strip_new_keys(const char *src, const char *dst)
{
    xf_xfm *a = NULL, *b = NULL;
    xf_error err;
    size_t i;
    need(xf_xfm_load(src, &a, &err) == XF_OK && xf_xfm_new("head", &b) == XF_OK, "xfm", &err);
    for (i = 0; i < xf_xfm_n_meta(a); i++) {
        const char *k = xf_xfm_meta_key(a, i);
        uint32_t u;
        int64_t v;
        double d;
        const char *s;
        const int64_t *iv;
        const double *dv;
        size_t n;
        if (strcmp(k, "head.intervals") == 0)
            continue;
        switch (xf_xfm_meta_type(a, i)) {
        case XF_XFM_TYPE_U32:
            need(xf_xfm_get_u32(a, k, &u, NULL) == XF_OK && xf_xfm_set_u32(b, k, u) == XF_OK, k,
                 NULL);
            break;
        case XF_XFM_TYPE_I64:
            need(xf_xfm_get_i64(a, k, &v, NULL) == XF_OK && xf_xfm_set_i64(b, k, v) == XF_OK, k,
                 NULL);
            break;
        case XF_XFM_TYPE_F64:
            need(xf_xfm_get_f64(a, k, &d, NULL) == XF_OK && xf_xfm_set_f64(b, k, d) == XF_OK, k,
                 NULL);
            break;
        case XF_XFM_TYPE_STR:
            need(xf_xfm_get_str(a, k, &s, NULL) == XF_OK && xf_xfm_set_str(b, k, s) == XF_OK, k,
                 NULL);
            break;
        case XF_XFM_TYPE_I64_ARRAY:
            need(xf_xfm_get_i64_array(a, k, &iv, &n, NULL) == XF_OK &&
                     xf_xfm_set_i64_array(b, k, iv, n) == XF_OK,
                 k, NULL);
            break;
        case XF_XFM_TYPE_F64_ARRAY:
            need(xf_xfm_get_f64_array(a, k, &dv, &n, NULL) == XF_OK &&
                     xf_xfm_set_f64_array(b, k, dv, n) == XF_OK,
                 k, NULL);
            break;
        }
    }
    for (i = 0; i < xf_xfm_n_tensors(a); i++) {
        const char *k = xf_xfm_tensor_name(a, i);
        if (strncmp(k, "interval.recent", 15) == 0 || strcmp(k, "interval.aci") == 0)
            continue;
        need(xf_xfm_tensor_dtype(a, i) == XF_XFM_DTYPE_F64 &&
                 xf_xfm_add_tensor_f64(b, k, xf_xfm_tensor_n_dims(a, i), xf_xfm_tensor_dims(a, i),
                                       xf_xfm_tensor_data(a, i)) == XF_OK,
             k, NULL);
    }
    need(xf_xfm_save(b, dst, &err) == XF_OK, "save", &err);
    xf_xfm_free(a);
    xf_xfm_free(b);
}

/* Exact updates feed the head's window with the new origins' errors under
 * the head before the update; the window and the ACI offsets survive a
 * save and load; a head file without them loads with split intervals. */
static void test_update_and_file(void)
{
    xf_panel *p0 = jump_panel(N_CAL), *p1 = jump_panel(N_CAL + 240);
    xf_head_options o;
    xf_head *h, *g = NULL, *old = NULL;
    xf_error err;
    char path[64], path2[64];
    size_t seen = N_CAL, added = 0, i;
    double m0[H_SMALL], lo0[2 * H_SMALL], hi0[2 * H_SMALL];
    double m1[H_SMALL], lo1[2 * H_SMALL], hi1[2 * H_SMALL];
    double m2[H_SMALL], lo2[2 * H_SMALL], hi2[2 * H_SMALL];
    small_opts(&o);
    o.embedding = 0;
    h = fit_ok(p0, NULL, 0, &o, "update");
    if (h == NULL)
        goto done;
    CHECK_INT(h->intervals, XF_INTERVALS_ACI); /* the default */
    CHECK(h->ivl != NULL && xf__ivl_roll(h->ivl)->n == 0);
    CHECK(forecast(h, p1, 0, N_CAL + 240, H_SMALL, NULL, m0, lo0, hi0, &err) == XF_OK);
    CHECK_MSG(xf_head_update(h, p1, &seen, 1, &added, &err) == XF_OK, "%s", err.message);
    CHECK(added > 100);
    /* every new origin's H errors (none beyond the window's size) */
    CHECK_INT(xf__ivl_roll(h->ivl)->n,
              added * H_SMALL < xf__ivl_cap(H_SMALL) ? added * H_SMALL : xf__ivl_cap(H_SMALL));
    {
        /* the window holds the errors after the jump: larger than the
         * held-out ones, whose mean |z| is 1 by construction */
        const xf__roll *rr = xf__ivl_roll(h->ivl);
        double a = 0;
        for (i = 0; i < rr->n; i++)
            a += fabs(xf__roll_get(rr, i));
        CHECK_MSG(a / (double)rr->n > 1.2, "mean |z| %g", a / (double)rr->n);
        CHECK(rr->dalpha[0] != 0 && rr->dalpha[1] != 0);
    }
    CHECK(forecast(h, p1, 0, N_CAL + 240, H_SMALL, NULL, m1, lo1, hi1, &err) == XF_OK);
    CHECK(memcmp(xf__ivl_head_lo(h), h->q_lo, 2 * H_SMALL * sizeof *h->q_lo) != 0);
    /* save and load: the same window, offsets and intervals */
    temp_path(path, sizeof path);
    CHECK(xf_head_save(h, path, &err) == XF_OK);
    CHECK_MSG(xf_head_load(path, &g, &err) == XF_OK, "%s", err.message);
    if (g == NULL)
        goto done;
    CHECK_INT(g->intervals, XF_INTERVALS_ACI);
    CHECK(g->ivl != NULL);
    if (g->ivl != NULL) {
        const xf__roll *a = xf__ivl_roll(h->ivl), *b = xf__ivl_roll(g->ivl);
        CHECK_INT(a->n, b->n);
        for (i = 0; i < a->n && i < b->n; i++)
            CHECK(xf__roll_get(a, i) == xf__roll_get(b, i));
        CHECK(a->dalpha[0] == b->dalpha[0] && a->dalpha[1] == b->dalpha[1]);
    }
    CHECK(forecast(g, p1, 0, N_CAL + 240, H_SMALL, NULL, m2, lo2, hi2, &err) == XF_OK);
    CHECK(memcmp(m1, m2, sizeof m1) == 0 && memcmp(lo1, lo2, sizeof lo1) == 0 &&
          memcmp(hi1, hi2, sizeof hi1) == 0);
    /* written before adaptive intervals: split, no window, the fit's quantiles */
    temp_path(path2, sizeof path2);
    strip_new_keys(path, path2);
    CHECK_MSG(xf_head_load(path2, &old, &err) == XF_OK, "%s", err.message);
    if (old != NULL) {
        CHECK_INT(old->intervals, XF_INTERVALS_SPLIT);
        CHECK(old->ivl == NULL);
        CHECK(forecast(old, p1, 0, N_CAL + 240, H_SMALL, NULL, m2, lo2, hi2, &err) == XF_OK);
        CHECK(memcmp(m1, m2, sizeof m1) == 0);
        /* the split intervals, not the adapted ones */
        CHECK(memcmp(lo1, lo2, sizeof lo1) != 0 && memcmp(hi1, hi2, sizeof hi1) != 0);
        CHECK(memcmp(old->q_lo, h->q_lo, 2 * H_SMALL * sizeof *h->q_lo) == 0);
    }
    /* a corrupt window is refused */
    {
        xf_xfm *a = NULL;
        double bad[3] = {0.5, NAN, 1.5};
        int64_t dims[1] = {3};
        xf_head *x = NULL;
        need(xf_xfm_load(path2, &a, &err) == XF_OK, "xfm", &err);
        need(xf_xfm_add_tensor_f64(a, "interval.recent", 1, dims, bad) == XF_OK, "tensor", NULL);
        need(xf_xfm_save(a, path2, &err) == XF_OK, "save", &err);
        xf_xfm_free(a);
        CHECK(xf_head_load(path2, &x, &err) == XF_EFORMAT && x == NULL);
        CHECK(strstr(err.message, "interval.recent") != NULL);
    }
    remove(path);
    remove(path2);
done:
    xf_head_free(h);
    xf_head_free(g);
    xf_head_free(old);
    xf_panel_free(p0);
    xf_panel_free(p1);
}

/* forecast from data grown since the fit: the origins after the data the
 * head learnt are out of sample, and their errors widen the intervals
 * after the jump; on the data it was fitted on, nothing changes; after an
 * update (interval.end) the same errors are not learnt twice. */
static void test_forecast_grown(void)
{
    xf_panel *p0 = jump_panel(N_CAL), *p1 = jump_panel(N_ALL);
    xf_head_options o;
    xf_head *hs, *ha;
    xf_error err;
    double ms[H_SMALL], ls[2 * H_SMALL], us[2 * H_SMALL];
    double ma[H_SMALL], la[2 * H_SMALL], ua[2 * H_SMALL];
    size_t k, seen = N_CAL;
    int64_t end;
    small_opts(&o);
    o.embedding = 0;
    o.intervals = XF_INTERVALS_SPLIT;
    hs = fit_ok(p0, NULL, 0, &o, "split");
    o.intervals = XF_INTERVALS_ACI;
    ha = fit_ok(p0, NULL, 0, &o, "aci");
    if (hs == NULL || ha == NULL)
        goto done;
    /* the data of the fit: the same intervals */
    CHECK(forecast(hs, p0, 0, SIZE_MAX, H_SMALL, NULL, ms, ls, us, &err) == XF_OK);
    CHECK(forecast(ha, p0, 0, SIZE_MAX, H_SMALL, NULL, ma, la, ua, &err) == XF_OK);
    CHECK(memcmp(ms, ma, sizeof ms) == 0 && memcmp(ls, la, sizeof ls) == 0 &&
          memcmp(us, ua, sizeof us) == 0);
    /* grown data: the same means, wider adaptive intervals */
    CHECK(forecast(hs, p1, 0, SIZE_MAX, H_SMALL, NULL, ms, ls, us, &err) == XF_OK);
    CHECK(forecast(ha, p1, 0, SIZE_MAX, H_SMALL, NULL, ma, la, ua, &err) == XF_OK);
    CHECK(memcmp(ms, ma, sizeof ms) == 0);
    for (k = 0; k < 2 * H_SMALL; k++)
        CHECK_MSG(ua[k] - la[k] > 1.5 * (us[k] - ls[k]), "%zu: %g vs %g", k, ua[k] - la[k],
                  us[k] - ls[k]);
    /* means only: no intervals asked, nothing to adapt */
    CHECK(forecast(ha, p1, 0, SIZE_MAX, H_SMALL, NULL, ma, NULL, NULL, &err) == XF_OK);
    CHECK(memcmp(ms, ma, sizeof ms) == 0);
    /* after an update on p1 the head knows those errors: a forecast on p1
     * takes the head's window as it is */
    CHECK_MSG(xf_head_update(ha, p1, &seen, 1, NULL, &err) == XF_OK, "%s", err.message);
    CHECK(xf_xfm_get_i64(xf_head_meta(ha), "interval.end", &end, NULL) == XF_OK &&
          end == t_start + (xf_time)(N_ALL - 1) * HOUR_US);
    CHECK(forecast(ha, p1, 0, SIZE_MAX, H_SMALL, NULL, ma, la, ua, &err) == XF_OK);
    {
        double ql[2 * H_SMALL], qh[2 * H_SMALL];
        memcpy(ql, xf__ivl_head_lo(ha), sizeof ql);
        memcpy(qh, xf__ivl_head_hi(ha), sizeof qh);
        /* bounds = mean + scale * (quantile): the ratio of the two sides
         * is that of the head's quantiles */
        for (k = 0; k < H_SMALL; k++)
            CHECK_NEAR((la[k] - ma[k]) * qh[k], (ua[k] - ma[k]) * ql[k], 1e-9);
    }
done:
    xf_head_free(hs);
    xf_head_free(ha);
    xf_panel_free(p0);
    xf_panel_free(p1);
}

/* Symmetric intervals: -/+ a quantile of |residual|, in the split
 * quantiles, at other levels, in the adapted ones and through the file. */
static void test_symmetric(void)
{
    xf_panel *p0 = jump_panel(N_CAL), *p1 = jump_panel(N_ALL);
    xf_head_options o;
    xf_head *h, *g = NULL;
    xf_error err;
    double m[H_SMALL], lo[2 * H_SMALL], hi[2 * H_SMALL], levels[2] = {67.5, 90};
    char path[64];
    size_t k, seen = N_CAL;
    int asym = 0;
    small_opts(&o);
    o.embedding = 0;
    h = fit_ok(p0, NULL, 0, &o, "asymmetric");
    for (k = 0; h != NULL && k < 2 * H_SMALL; k++)
        asym += h->q_lo[k] != -h->q_hi[k];
    CHECK(asym > 0); /* the default: separate tails */
    xf_head_free(h);
    o.symmetric_intervals = 1;
    h = fit_ok(p0, NULL, 0, &o, "symmetric");
    if (h == NULL)
        goto done;
    for (k = 0; k < 2 * H_SMALL; k++)
        CHECK(h->q_lo[k] == -h->q_hi[k] && h->q_hi[k] > 0);
    CHECK(xf_head_set_levels(h, levels, 2, &err) == XF_OK);
    for (k = 0; k < 2 * H_SMALL; k++)
        CHECK(h->q_lo[k] == -h->q_hi[k]);
    for (k = 0; k < H_SMALL; k++)
        CHECK(h->q_hi[k] < h->q_hi[H_SMALL + k]);
    CHECK_MSG(xf_head_update(h, p1, &seen, 1, NULL, &err) == XF_OK, "%s", err.message);
    CHECK(xf__ivl_roll(h->ivl)->n > 0);
    for (k = 0; k < 2 * H_SMALL; k++)
        CHECK(xf__ivl_head_lo(h)[k] == -xf__ivl_head_hi(h)[k]);
    temp_path(path, sizeof path);
    CHECK(xf_head_save(h, path, &err) == XF_OK);
    CHECK_MSG(xf_head_load(path, &g, &err) == XF_OK, "%s", err.message);
    if (g != NULL) {
        CHECK_INT(g->symmetric, 1);
        CHECK(forecast(g, p1, 0, SIZE_MAX, H_SMALL, NULL, m, lo, hi, &err) == XF_OK);
        for (k = 0; k < 2 * H_SMALL; k++)
            CHECK_NEAR(hi[k] - m[k % H_SMALL], m[k % H_SMALL] - lo[k], 1e-9 * fabs(m[k % H_SMALL]));
    }
    remove(path);
done:
    xf_head_free(h);
    xf_head_free(g);
    xf_panel_free(p0);
    xf_panel_free(p1);
}

/* Options: an unknown interval method is refused. */
static void test_options(void)
{
    xf_panel *p = jump_panel(N_CAL);
    xf_head_options o;
    xf_head *h = NULL;
    xf_error err;
    small_opts(&o);
    o.intervals = 7;
    CHECK(xf_head_fit(p, NULL, 0, &o, &h, &err) == XF_EINVAL && h == NULL);
    CHECK(strstr(err.message, "intervals 7") != NULL);
    xf_panel_free(p);
}

int main(void)
{
    ht_init("test_intervals");
    test_roll();
    test_variance_jump();
    test_aci_direction();
    test_update_and_file();
    test_forecast_grown();
    test_symmetric();
    test_options();
    xf_encoder_free(gru);
    return tu_report("test_intervals");
}
