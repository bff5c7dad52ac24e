/* test_head_stats.c - heads fitted in parts (xf_head_stats_*): the merge of
 * 2 or 3 shards' statistics, saved and loaded, in any order, gives the head
 * of one fit on all the series (same candidate scores and penalty, the
 * same forecasts bit for bit), with rolling or single selection; merges of
 * parts that disagree, overlap or are missing, corrupted part files and
 * parts of the layout before the rolling windows are refused.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include "head_testutil.h"

#define N_SERIES 9
#define XF_HEAD_FOLDS_TEST 3 /* the rolling windows of this build (opt.folds) */

static xf_panel *panel;
static int32_t selection = XF_SELECTION_ROLLING; /* of the parts opts() makes */

static void opts(xf_head_options *o)
{
    small_opts(o);
    o->embedding = XF_AUTO; /* two candidates: with and without the GRU */
    o->baseline = XF_AUTO;
    o->seasonal_scale = XF_AUTO;
    o->max_windows = 1000000; /* stride 1 (the stride tests lower it) */
    o->selection = selection;
    o->blend = XF_BLEND_NONE; /* parts never blend (they do not know their rows' series): the
                                 single fit the merged head must equal does not either */
    o->pilot = XF_PILOT_NONE; /* nor do they run the pilot (one part's origins cannot decide
                                 for all) */
}

static xf_head_stats *part(const xf_head_options *o, int32_t i, int32_t n)
{
    xf_head_stats *s = NULL;
    xf_error err;
    int rc = xf_head_stats_fit(panel, &gru, 1, o, i, n, &s, &err);
    CHECK_MSG(rc == XF_OK && s != NULL, "part %d/%d: %s", (int)i, (int)n, err.message);
    return s;
}

/* Save and load back (parts travel as files). */
static xf_head_stats *roundtrip(xf_head_stats *s)
{
    char path[64];
    xf_head_stats *t = NULL;
    xf_error err;
    if (s == NULL)
        return NULL;
    temp_path(path, sizeof path);
    CHECK_MSG(xf_head_stats_save(s, path, &err) == XF_OK, "save: %s", err.message);
    CHECK_MSG(xf_head_stats_load(path, &t, &err) == XF_OK, "load: %s", err.message);
    remove(path);
    xf_head_stats_free(s);
    return t;
}

/* Every series' forecast (mean and bounds) of a and b, bit for bit. */
static void same_forecasts(const xf_head *a, const xf_head *b, const char *what)
{
    double m1[H_SMALL], m2[H_SMALL], lo1[2 * H_SMALL], lo2[2 * H_SMALL], hi1[2 * H_SMALL],
        hi2[2 * H_SMALL];
    xf_error err;
    size_t s, k, diff = 0;
    for (s = 0; s < N_SERIES; s++) {
        size_t o = xf_panel_series_length(panel, s);
        CHECK_MSG(forecast(a, panel, s, o, H_SMALL, NULL, m1, lo1, hi1, &err) == XF_OK, "%s: %s",
                  what, err.message);
        CHECK_MSG(forecast(b, panel, s, o, H_SMALL, NULL, m2, lo2, hi2, &err) == XF_OK, "%s: %s",
                  what, err.message);
        for (k = 0; k < H_SMALL; k++)
            diff += m1[k] != m2[k];
        for (k = 0; k < 2 * H_SMALL; k++)
            diff += lo1[k] != lo2[k] || hi1[k] != hi2[k];
    }
    CHECK_MSG(diff == 0, "%s: %zu forecast values differ from the single fit's", what, diff);
}

static void same_report(const xf_head *a, const xf_head *b, const char *what)
{
    const xf_xfm *m = xf_head_meta(a);
    size_t i, n = 0;
    char d1[512], d2[512];
    xf_head_describe(a, d1, sizeof d1);
    xf_head_describe(b, d2, sizeof d2);
    CHECK_MSG(strcmp(d1, d2) == 0, "%s: '%s' != '%s'", what, d1, d2);
    CHECK_MSG(meta_f64(a, "fit.lambda") == meta_f64(b, "fit.lambda"), "%s: penalty %g != %g", what,
              meta_f64(a, "fit.lambda"), meta_f64(b, "fit.lambda"));
    /* the held-out score of every candidate, to the last bit */
    for (i = 0; i < xf_xfm_n_meta(m); i++) {
        const char *k = xf_xfm_meta_key(m, i);
        if (strncmp(k, "valid.", 6) != 0 || xf_xfm_meta_type(m, i) != XF_XFM_TYPE_F64)
            continue;
        n++;
        CHECK_MSG(meta_f64(a, k) == meta_f64(b, k), "%s: %s %.17g != %.17g", what, k,
                  meta_f64(a, k), meta_f64(b, k));
    }
    CHECK_MSG(n >= 3, "%s: %zu held-out scores", what, n);
    /* the rule's outcome, standard errors included, to the last digit */
    {
        const char *c1 = "", *c2 = "";
        xf_xfm_get_str(xf_head_meta(a), "valid.chosen", &c1, NULL);
        xf_xfm_get_str(xf_head_meta(b), "valid.chosen", &c2, NULL);
        CHECK_MSG(strcmp(c1, c2) == 0 && c1[0] != '\0', "%s: chosen '%s' != '%s'", what, c1, c2);
    }
}

/* Merge-equals-single: N shards, merged in reverse order after a file
 * round trip. */
static void test_merge_is_single(const xf_head *single, int32_t n, int32_t stride,
                                 int64_t max_windows)
{
    xf_head_options o;
    xf_head_stats *acc = NULL;
    xf_head *h = NULL;
    xf_error err;
    char what[64];
    int64_t series = 0;
    int32_t i;
    opts(&o);
    o.stride = stride;
    o.max_windows = max_windows;
    snprintf(what, sizeof what, "%d shards, stride %d, max_windows %lld", (int)n, (int)stride,
             (long long)max_windows);
    for (i = n - 1; i >= 0; i--) {
        xf_head_stats *s = roundtrip(part(&o, i, n));
        if (s == NULL)
            return;
        series += xf_head_stats_n_series(s);
        CHECK(xf_head_stats_n_shards(s) == n && xf_head_stats_has_shard(s, i));
        if (acc == NULL) {
            acc = s;
            continue;
        }
        CHECK_MSG(xf_head_stats_merge(acc, s, &err) == XF_OK, "%s: %s", what, err.message);
        xf_head_stats_free(s);
    }
    CHECK_INT(series, N_SERIES); /* each series in exactly one part */
    CHECK_INT(xf_head_stats_n_series(acc), N_SERIES);
    CHECK_MSG(xf_head_stats_solve(acc, 0, &h, &err) == XF_OK, "%s: %s", what, err.message);
    xf_head_stats_free(acc);
    if (h == NULL)
        return;
    CHECK_MSG(xf_head_attach_encoders(h, &gru, 1, &err) == XF_OK, "%s: %s", what, err.message);
    same_report(single, h, what);
    same_forecasts(single, h, what);
    xf_head_free(h);
}

static void test_refusals(void)
{
    xf_head_options o, o2;
    xf_head_stats *a, *b, *c, *d, *e;
    xf_head *h = NULL;
    xf_error err;
    char path[64], hpath[64];
    unsigned char *buf;
    size_t len;
    opts(&o);
    a = part(&o, 0, 2);
    b = part(&o, 1, 2);
    c = part(&o, 0, 3);
    o2 = o;
    o2.n_lags = L_SMALL - 4;
    d = part(&o2, 1, 2);
    e = roundtrip(part(&o, 0, 2));
    if (!a || !b || !c || !d || !e)
        goto done;
    /* another resolved option: named, with the option to pass */
    CHECK(xf_head_stats_merge(a, d, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "lags") != NULL && strstr(err.message, "--lags") != NULL, "%s",
              err.message);
    /* another encoder of the same name (its fingerprint differs) */
    {
        xf_encoder_config cfg;
        xf_encoder *other = NULL;
        xf_head_stats *f = NULL;
        xf_encoder_config_init(&cfg, XF_ARCH_GRU);
        cfg.context = 64;
        cfg.n_layers = 1;
        cfg.n_hidden = 8;
        need(xf_encoder_new(&cfg, 2, &other, &err) == XF_OK, "second GRU", &err);
        xf_encoder_set_name(other, "gru-small");
        CHECK_MSG(xf_head_stats_fit(panel, &other, 1, &o, 1, 2, &f, &err) == XF_OK, "%s",
                  err.message);
        if (f != NULL) {
            CHECK(xf_head_stats_merge(a, f, &err) == XF_EINVAL);
            CHECK_MSG(strstr(err.message, "encoders") != NULL &&
                          strstr(err.message, "--encoder") != NULL,
                      "%s", err.message);
        }
        xf_head_stats_free(f);
        xf_encoder_free(other);
    }
    /* another horizon */
    {
        xf_head_stats *f = NULL;
        o2 = o;
        o2.horizon = H_SMALL - 2;
        CHECK_MSG(xf_head_stats_fit(panel, &gru, 1, &o2, 1, 2, &f, &err) == XF_OK, "%s",
                  err.message);
        if (f != NULL) {
            CHECK(xf_head_stats_merge(a, f, &err) == XF_EINVAL);
            CHECK_MSG(strstr(err.message, "horizon") != NULL, "%s", err.message);
        }
        xf_head_stats_free(f);
    }
    /* another shard count */
    CHECK(xf_head_stats_merge(a, c, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "shard counts") != NULL, "%s", err.message);
    /* the same shard twice */
    CHECK(xf_head_stats_merge(a, e, &err) == XF_EINVAL);
    CHECK_MSG(strstr(err.message, "shard 0/2 is given twice") != NULL, "%s", err.message);
    /* a missing shard: refused unless allowed */
    CHECK(xf_head_stats_solve(e, 0, &h, &err) == XF_EINVAL && h == NULL);
    CHECK_MSG(strstr(err.message, "missing (1)") != NULL, "%s", err.message);
    CHECK_MSG(xf_head_stats_solve(e, 1, &h, &err) == XF_OK && h != NULL, "%s", err.message);
    xf_head_free(h);
    h = NULL;
    /* solved statistics are spent: a second solve is refused */
    CHECK(xf_head_stats_solve(e, 1, &h, &err) == XF_EINVAL && h == NULL);
    xf_head_stats_free(e);
    e = NULL;
    /* the refused merges left a unchanged: it still merges with b */
    CHECK_MSG(xf_head_stats_merge(a, b, &err) == XF_OK, "%s", err.message);
    CHECK_INT(xf_head_stats_n_series(a), N_SERIES);
    /* bad shard arguments, an empty shard */
    CHECK(xf_head_stats_fit(panel, &gru, 1, &o, 2, 2, &e, &err) == XF_EINVAL);
    CHECK(xf_head_stats_fit(panel, &gru, 1, &o, 0, 0, &e, &err) == XF_EINVAL);
    {
        int32_t i, n = 64, empty = -1;
        for (i = 0; i < n && empty < 0; i++) {
            size_t s;
            int any = 0;
            char id[32];
            for (s = 0; s < N_SERIES; s++) {
                uint64_t hv = 14695981039346656037ULL;
                size_t k;
                snprintf(id, sizeof id, "sine%zu", s);
                for (k = 0; id[k] != '\0'; k++)
                    hv = (hv ^ (unsigned char)id[k]) * 1099511628211ULL;
                any |= (int32_t)(hv % (uint64_t)n) == i;
            }
            if (!any)
                empty = i;
        }
        CHECK(empty >= 0);
        CHECK(xf_head_stats_fit(panel, &gru, 1, &o, empty, n, &e, &err) == XF_EDATA);
        CHECK_MSG(strstr(err.message, "holds none") != NULL, "%s", err.message);
    }
    /* corrupted files: a flipped byte, a truncated file, a head */
    temp_path(path, sizeof path);
    CHECK_MSG(xf_head_stats_save(b, path, &err) == XF_OK, "%s", err.message);
    buf = read_all(path, &len);
    buf[len / 2] ^= 0x40;
    write_all(path, buf, len);
    e = NULL;
    CHECK(xf_head_stats_load(path, &e, &err) != XF_OK && e == NULL);
    write_all(path, buf, len / 3);
    CHECK(xf_head_stats_load(path, &e, &err) != XF_OK && e == NULL);
    free(buf);
    temp_path(hpath, sizeof hpath);
    h = fit_ok(panel, &gru, 1, &o, "a head");
    if (h != NULL) {
        CHECK(xf_head_save(h, hpath, &err) == XF_OK);
        CHECK(xf_head_stats_load(hpath, &e, &err) == XF_EFORMAT && e == NULL);
        CHECK_MSG(strstr(err.message, "not a head-stats part") != NULL, "%s", err.message);
        xf_head_free(h);
    }
    remove(path);
    remove(hpath);
done:
    xf_head_stats_free(a);
    xf_head_stats_free(b);
    xf_head_stats_free(c);
    xf_head_stats_free(d);
    xf_head_stats_free(e);
}

/* parts that read different panels (their own files) count different
 * origins: with a small max_windows they choose different strides, and the
 * merge is refused naming --max-windows */
static void test_stride_refused(void)
{
    xf_head_options o;
    xf_head_stats *a = NULL, *b = NULL;
    xf_panel *small = sine_panel(4, N_SINE, 0.4, 17);
    xf_error err;
    opts(&o);
    o.max_windows = 1200;
    CHECK(xf_head_stats_fit(panel, &gru, 1, &o, 0, 3, &a, &err) == XF_OK);
    CHECK(xf_head_stats_fit(small, &gru, 1, &o, 1, 3, &b, &err) == XF_OK);
    if (a != NULL && b != NULL) {
        CHECK(xf_head_stats_merge(a, b, &err) == XF_EINVAL);
        CHECK_MSG(strstr(err.message, "stride") != NULL &&
                      strstr(err.message, "--max-windows") != NULL,
                  "%s", err.message);
    }
    xf_head_stats_free(a);
    xf_head_stats_free(b);
    xf_panel_free(small);
}

/* A part edited into nonsense (through the container, so its checksum is
 * right): each edit is refused at load, naming what is wrong. */
static void hostile_edit(const char *good, const char *key, int64_t value, const char *want)
{
    xf_xfm *mf = NULL;
    xf_head_stats *s = NULL;
    xf_error err;
    char path[64];
    CHECK(xf_xfm_load(good, &mf, &err) == XF_OK);
    if (mf == NULL)
        return;
    if (strcmp(key, "c0.spec") == 0) {
        const int64_t *v;
        int64_t w[64];
        size_t n;
        CHECK(xf_xfm_get_i64_array(mf, key, &v, &n, NULL) == XF_OK && n <= 64);
        memcpy(w, v, n * sizeof *w);
        w[n - 1] += value; /* the feature count */
        CHECK(xf_xfm_set_i64_array(mf, key, w, n) == XF_OK);
    } else if (strcmp(key, "shard.has") == 0) {
        CHECK(xf_xfm_set_i64_array(mf, key, &value, 1) == XF_OK);
    } else if (strcmp(key, "stats.format") == 0) {
        CHECK(xf_xfm_set_u32(mf, key, (uint32_t)value) == XF_OK);
    } else {
        CHECK(xf_xfm_set_i64(mf, key, value) == XF_OK);
    }
    temp_path(path, sizeof path);
    CHECK(xf_xfm_save(mf, path, &err) == XF_OK);
    xf_xfm_free(mf);
    CHECK_MSG(xf_head_stats_load(path, &s, &err) == XF_EFORMAT && s == NULL, "%s = %lld loaded",
              key, (long long)value);
    CHECK_MSG(strstr(err.message, want) != NULL, "%s: %s", key, err.message);
    xf_head_stats_free(s);
    remove(path);
}

static void test_hostile(void)
{
    xf_head_options o;
    xf_head_stats *s;
    xf_error err;
    char path[64];
    opts(&o);
    if ((s = part(&o, 1, 2)) == NULL)
        return;
    temp_path(path, sizeof path);
    CHECK_MSG(xf_head_stats_save(s, path, &err) == XF_OK, "%s", err.message);
    xf_head_stats_free(s);
    hostile_edit(path, "opt.candidates", 9, "opt.candidates");
    hostile_edit(path, "shard.count", 0, "shard.count");
    hostile_edit(path, "shard.has", 7, "shard.has");
    hostile_edit(path, "c0.spec", 1, "features, its layout");
    hostile_edit(path, "c0.spec", 1000000000, "c0.spec");
    hostile_edit(path, "head.season", -3, "head.season");
    hostile_edit(path, "c0.n_undef", 1000000000, "MASE scale");
    hostile_edit(path, "opt.selection", 2, "opt.selection");
    hostile_edit(path, "opt.folds", XF_HEAD_FOLDS_TEST + 1, "opt.folds");
    /* a part of the layout before the rolling windows: refused, saying how
     * to remake it; a layout from the future: unknown */
    hostile_edit(path, "stats.format", 1, "layout 1, written by an older xfcast");
    hostile_edit(path, "stats.format", 1, "rerun `xfcast fit --shard I/N --stats-out`");
    hostile_edit(path, "stats.format", 3, "layout version missing or unknown; this build reads 2");
    remove(path);
}

int main(void)
{
    xf_head_options o;
    xf_head *single;
    ht_init("test_head_stats");
    panel = sine_panel(N_SERIES, N_SINE, 0.4, 17);
    opts(&o);
    single = fit_ok(panel, &gru, 1, &o, "single");
    if (single != NULL) {
        test_merge_is_single(single, 1, 0, o.max_windows);
        test_merge_is_single(single, 2, 0, o.max_windows);
        test_merge_is_single(single, 3, 0, o.max_windows);
    }
    xf_head_free(single);
    o.stride = 3;
    single = fit_ok(panel, &gru, 1, &o, "single, stride 3");
    if (single != NULL)
        test_merge_is_single(single, 2, 3, o.max_windows);
    xf_head_free(single);
    /* a stride raised by max_windows: every part counts the origins of the
     * whole panel, so the parts choose the single fit's stride */
    o.stride = 0;
    o.max_windows = 1200;
    single = fit_ok(panel, &gru, 1, &o, "single, max_windows 1200");
    CHECK(single != NULL);
    if (single != NULL) {
        int64_t st = 0;
        xf_xfm_get_i64(xf_head_meta(single), "fit.stride", &st, NULL);
        CHECK_MSG(st > 1, "stride %lld: max_windows 1200 should raise it", (long long)st);
        test_merge_is_single(single, 3, 0, 1200);
    }
    xf_head_free(single);
    /* the one split of --selection single: the same exactness */
    selection = XF_SELECTION_SINGLE;
    opts(&o);
    single = fit_ok(panel, &gru, 1, &o, "single, one split");
    if (single != NULL)
        test_merge_is_single(single, 3, 0, o.max_windows);
    xf_head_free(single);
    single = NULL;
    {
        xf_head_stats *a, *b;
        xf_error err;
        a = part(&o, 0, 2);
        selection = XF_SELECTION_ROLLING;
        opts(&o);
        b = part(&o, 1, 2);
        if (a != NULL && b != NULL) {
            CHECK_INT(xf_head_stats_merge(a, b, &err), XF_EINVAL);
            CHECK_MSG(strstr(err.message, "selection") != NULL &&
                          strstr(err.message, "--selection") != NULL,
                      "%s", err.message);
        }
        xf_head_stats_free(a);
        xf_head_stats_free(b);
    }
    test_stride_refused();
    test_refusals();
    test_hostile();
    xf_head_free(single);
    xf_panel_free(panel);
    xf_encoder_free(gru);
    return tu_report("test_head_stats");
}
