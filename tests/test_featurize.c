/* test_featurize.c - the feature-group registry (src/feature_groups.c):
 * every group is well formed and uniquely named; the groups' widths add up
 * to the feature count and lay the row out contiguously for several option
 * sets; each group's head-file keys round-trip through a head file and a
 * damaged group key is refused; the lag columns hold what they say.
 *
 * This program reaches into the library's private headers (src/), so it
 * links the library's internal symbols.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include "feature_groups.h"
#include "head_internal.h"
#include "head_testutil.h"

/* ------------------------------------------------------------ descriptors */

static void test_descriptors(void)
{
    int g, k;
    for (g = 0; g < XF__FG_N; g++) {
        const xf__feat_group *G = &xf__feat_groups[g];
        CHECK_MSG(G->name != NULL && G->name[0] != '\0', "group %d has no name", g);
        if (G->name == NULL)
            continue;
        CHECK_MSG(G->width != NULL && G->fill != NULL && G->save != NULL && G->load != NULL,
                  "group '%s' lacks a function", G->name);
        for (k = 0; G->name[k] != '\0'; k++)
            CHECK_MSG((G->name[k] >= 'a' && G->name[k] <= 'z') || G->name[k] == '_',
                      "group name '%s'", G->name);
        if (G->key_prefix != NULL) {
            size_t n = strlen(G->key_prefix);
            CHECK_MSG(n > 1 && G->key_prefix[n - 1] == '.' &&
                          strncmp(G->key_prefix, "head.", 5) != 0 &&
                          strncmp(G->key_prefix, "stats.", 6) != 0,
                      "group '%s': key prefix '%s'", G->name, G->key_prefix);
        }
        for (k = 0; k < g; k++) {
            const xf__feat_group *K = &xf__feat_groups[k];
            if (K->name == NULL)
                continue;
            CHECK_MSG(strcmp(K->name, G->name) != 0, "two groups named '%s'", G->name);
            CHECK_MSG(G->key_prefix == NULL || K->key_prefix == NULL ||
                          strcmp(G->key_prefix, K->key_prefix) != 0,
                      "groups '%s' and '%s' share key prefix '%s'", K->name, G->name,
                      G->key_prefix);
        }
    }
    /* the ids other code relies on */
    CHECK_STR(xf__feat_groups[XF__FG_EMBEDDINGS].name, "embeddings");
    CHECK_STR(xf__feat_groups[XF__FG_LAGS].name, "lags");
    CHECK_STR(xf__feat_groups[XF__FG_HISTORY].name, "history");
    CHECK_STR(xf__feat_groups[XF__FG_CALENDAR].name, "calendar");
    CHECK_STR(xf__feat_groups[XF__FG_COVARIATES].name, "covariates");
}

/* ------------------------------------------------------------ widths */

/* The layout of s: offsets contiguous from 0, in registry order, adding up
 * to p and to xf__feat_width. */
static void check_layout(const xf__feat_spec *s, size_t p_expect, const char *what)
{
    size_t off = 0;
    int g;
    for (g = 0; g < XF__FG_N; g++) {
        CHECK_MSG(s->off[g] == off, "%s: group '%s' at column %zu, expected %zu", what,
                  xf__feat_groups[g].name, s->off[g], off);
        off += xf__feat_groups[g].width(s);
    }
    CHECK_MSG(off == s->p && s->p == p_expect, "%s: widths add up to %zu, p %zu, expected %zu",
              what, off, s->p, p_expect);
    CHECK_INT(xf__feat_width(s), s->p);
}

static void test_widths_spec(xf_encoder *tcn)
{
    xf__feat_spec s;
    size_t E = xf_encoder_embed_size(gru), E2 = xf_encoder_embed_size(tcn);

    /* no encoders: 7 lags, history, 2 + 1 harmonics, 3 covariates x 5 steps */
    memset(&s, 0, sizeof s);
    s.horizon = 5;
    s.n_lags = 7;
    s.norm_window = 24;
    s.history = 1;
    s.n_harm[XF_CAL_DAY] = 2;
    s.n_harm[XF_CAL_YEAR] = 1;
    s.n_cov = 3;
    xf__feat_spec_layout(&s);
    check_layout(&s, 7 + 2 + 2 * 3 + 3 * 5, "lags, history, calendar, covariates");
    CHECK_INT(xf__feat_groups[XF__FG_EMBEDDINGS].width(&s), 0);

    /* two encoders and nothing else */
    memset(&s, 0, sizeof s);
    s.horizon = 3;
    s.norm_window = 64;
    s.n_enc = 2;
    s.enc[0] = gru;
    s.enc[1] = tcn;
    xf__feat_spec_layout(&s);
    check_layout(&s, (E + 2) + (E2 + 2), "two encoders");
    CHECK(s.embed[0] == E && s.embed[1] == E2);
    CHECK_INT(s.max_context, 64);

    /* the encoders' widths from recorded sizes alone (a head file before
     * its encoders are attached) */
    s.enc[0] = s.enc[1] = NULL;
    s.embed[0] = 5;
    s.embed[1] = 11;
    CHECK_INT(xf__feat_width(&s), 7 + 13);

    /* every group off */
    memset(&s, 0, sizeof s);
    s.horizon = 4;
    s.norm_window = 64;
    xf__feat_spec_layout(&s);
    check_layout(&s, 0, "nothing");
}

/* Fitted heads: the fit's layout is the groups' layout. */
static void test_widths_fit(const xf_panel *cov, xf_encoder *tcn)
{
    xf_encoder *both[2] = {gru, tcn};
    xf_head_options o;
    xf_head *h;
    size_t E = xf_encoder_embed_size(gru), E2 = xf_encoder_embed_size(tcn);

    small_opts(&o);
    o.history = 1;
    o.baseline = 0;
    if ((h = fit_ok(cov, &gru, 1, &o, "every group")) != NULL) {
        size_t cal = h->spec.p - (E + 2) - L_SMALL - 2 - H_SMALL;
        CHECK_MSG(cal > 0 && cal % 2 == 0, "%zu calendar columns", cal);
        check_layout(&h->spec, (E + 2) + L_SMALL + 2 + cal + H_SMALL, "every group");
        CHECK_INT(xf_head_n_features(h), h->spec.p);
        xf_head_free(h);
    }
    small_opts(&o);
    o.calendar = 0;
    o.covariates = 0;
    if ((h = fit_ok(cov, both, 2, &o, "two encoders and lags")) != NULL) {
        check_layout(&h->spec, (E + 2) + (E2 + 2) + L_SMALL, "two encoders and lags");
        xf_head_free(h);
    }
    small_opts(&o);
    o.embedding = 0;
    o.n_lags = 0;
    o.calendar = 0;
    if ((h = fit_ok(cov, &gru, 1, &o, "covariates only")) != NULL) {
        check_layout(&h->spec, H_SMALL, "covariates only");
        CHECK_INT(xf_head_n_encoders(h), 0);
        xf_head_free(h);
    }
}

/* ------------------------------------------------------------ keys */

/* Whether key/type/value i of a equals key `key` of b. */
static int same_meta(const xf_xfm *a, size_t i, const xf_xfm *b, const char *key)
{
    size_t j, na, nb;
    for (j = 0; j < xf_xfm_n_meta(b); j++)
        if (strcmp(xf_xfm_meta_key(b, j), key) == 0)
            break;
    if (j == xf_xfm_n_meta(b) || xf_xfm_meta_type(a, i) != xf_xfm_meta_type(b, j))
        return 0;
    switch (xf_xfm_meta_type(a, i)) {
    case XF_XFM_TYPE_U32: {
        uint32_t u = 0, v = 1;
        return xf_xfm_get_u32(a, key, &u, NULL) == XF_OK &&
               xf_xfm_get_u32(b, key, &v, NULL) == XF_OK && u == v;
    }
    case XF_XFM_TYPE_I64: {
        int64_t u = 0, v = 1;
        return xf_xfm_get_i64(a, key, &u, NULL) == XF_OK &&
               xf_xfm_get_i64(b, key, &v, NULL) == XF_OK && u == v;
    }
    case XF_XFM_TYPE_F64: {
        double u = 0, v = 1;
        return xf_xfm_get_f64(a, key, &u, NULL) == XF_OK &&
               xf_xfm_get_f64(b, key, &v, NULL) == XF_OK && u == v;
    }
    case XF_XFM_TYPE_STR: {
        const char *u = NULL, *v = NULL;
        return xf_xfm_get_str(a, key, &u, NULL) == XF_OK &&
               xf_xfm_get_str(b, key, &v, NULL) == XF_OK && strcmp(u, v) == 0;
    }
    case XF_XFM_TYPE_I64_ARRAY: {
        const int64_t *u = NULL, *v = NULL;
        return xf_xfm_get_i64_array(a, key, &u, &na, NULL) == XF_OK &&
               xf_xfm_get_i64_array(b, key, &v, &nb, NULL) == XF_OK && na == nb &&
               (na == 0 || memcmp(u, v, na * sizeof *u) == 0);
    }
    case XF_XFM_TYPE_F64_ARRAY: {
        const double *u = NULL, *v = NULL;
        return xf_xfm_get_f64_array(a, key, &u, &na, NULL) == XF_OK &&
               xf_xfm_get_f64_array(b, key, &v, &nb, NULL) == XF_OK && na == nb &&
               (na == 0 || memcmp(u, v, na * sizeof *u) == 0);
    }
    }
    return 0;
}

/* Group g's keys of head h, every slot, into a fresh container. */
static xf_xfm *group_keys(const xf_head *h, int g)
{
    xf_xfm *mf = NULL;
    int slot;
    need(xf_xfm_new("head", &mf) == XF_OK, "container", NULL);
    for (slot = 0; slot < XF__HK_N; slot++)
        CHECK_MSG(xf__feat_groups[g].save(h, mf, slot) == 0, "group '%s' slot %d",
                  xf__feat_groups[g].name, slot);
    return mf;
}

static void test_keys(xf_panel *cov)
{
    xf_head_options o;
    xf_head *h, *g2 = NULL;
    xf_xfm *file = NULL;
    xf_error err;
    char path[64];
    size_t i;
    int g;
    /* three holidays inside the series, so that the holidays group is on */
    int64_t d0 = xf_panel_series_times(cov, 0)[0] / XF_TIME_US_PER_DAY;
    int32_t hol[3] = {(int32_t)(d0 + 11), (int32_t)(d0 + 3), (int32_t)(d0 + 10)};

    small_opts(&o);
    o.history = 1;
    need(xf_panel_set_holidays(cov, hol, 3, &err) == XF_OK, "holidays", &err);
    h = fit_ok(cov, &gru, 1, &o, "every group");
    CHECK(xf_panel_set_holidays(cov, NULL, 0, &err) == XF_OK);
    if (h == NULL)
        return;
    temp_path(path, sizeof path);
    CHECK(xf_head_save(h, path, &err) == XF_OK);
    need(xf_xfm_load(path, &file, &err) == XF_OK, "the saved head", &err);
    CHECK_MSG(xf_head_load(path, &g2, &err) == XF_OK, "%s", err.message);
    for (g = 0; g < XF__FG_N && g2 != NULL; g++) {
        const xf__feat_group *G = &xf__feat_groups[g];
        xf_xfm *a = group_keys(h, g), *b = group_keys(g2, g);
        CHECK_MSG(xf_xfm_n_meta(a) > 0, "group '%s' writes no key", G->name);
        CHECK_INT(xf_xfm_n_meta(b), xf_xfm_n_meta(a));
        for (i = 0; i < xf_xfm_n_meta(a); i++) {
            const char *k = xf_xfm_meta_key(a, i);
            /* in the file as the group writes it, and written back the
             * same after loading */
            CHECK_MSG(same_meta(a, i, file, k),
                      "group '%s': key '%s' not in the file as "
                      "written",
                      G->name, k);
            CHECK_MSG(same_meta(a, i, b, k), "group '%s': key '%s' changed by a round trip",
                      G->name, k);
            /* the group's keys are structure, not fit report */
            CHECK_MSG(strncmp(k, "head.", 5) == 0 ||
                          (G->key_prefix != NULL &&
                           strncmp(k, G->key_prefix, strlen(G->key_prefix)) == 0),
                      "group '%s': key '%s' outside head.* and its prefix", G->name, k);
        }
        xf_xfm_free(a);
        xf_xfm_free(b);
    }
    if (g2 != NULL) {
        CHECK_INT(g2->spec.n_lags, h->spec.n_lags);
        CHECK_INT(g2->spec.history, 1);
        CHECK(memcmp(g2->spec.n_harm, h->spec.n_harm, sizeof h->spec.n_harm) == 0);
        CHECK_INT(g2->spec.n_cov, 1);
        CHECK_STR(g2->cov_names[0], "c");
        CHECK_INT(g2->n_enc, 1);
        CHECK(g2->enc_fp[0] == xf_encoder_fingerprint(gru));
        CHECK_INT(g2->enc_embed[0], xf_encoder_embed_size(gru));
    }
    xf_head_free(g2);

    /* a group key the group refuses: the load fails naming it */
    {
        static const int64_t three[3] = {1, 2, 3};
        int64_t cal[XF_CAL_N];
        for (i = 0; i < XF_CAL_N; i++)
            cal[i] = h->spec.n_harm[i];
        g2 = (xf_head *)&err;
        need(xf_xfm_set_i64_array(file, "head.calendar", three, 3) == XF_OK, "bad calendar", NULL);
        need(xf_xfm_save(file, path, &err) == XF_OK, "bad calendar file", &err);
        CHECK(xf_head_load(path, &g2, &err) == XF_EFORMAT && g2 == NULL);
        CHECK_MSG(strstr(err.message, "head.calendar has 3 entries") != NULL, "%s", err.message);
        /* one covariate more than the file names */
        need(xf_xfm_set_i64(file, "head.n_covariates", 2) == XF_OK, "bad count", NULL);
        need(xf_xfm_set_i64_array(file, "head.calendar", cal, XF_CAL_N) == XF_OK, "calendar back",
             NULL);
        need(xf_xfm_save(file, path, &err) == XF_OK, "bad count file", &err);
        CHECK(xf_head_load(path, &g2, &err) == XF_EFORMAT && g2 == NULL);
        CHECK_MSG(strstr(err.message, "covariate.1") != NULL, "%s", err.message);
    }
    xf_xfm_free(file);
    xf_head_free(h);
    remove(path);
}

/* ------------------------------------------------------------ rows */

/* The lag columns of a gap-free series: (y[o - k] - level) / scale, most
 * recent first; the row's other columns are the other groups'. */
static void test_lag_columns(const xf_panel *sine)
{
    xf__feat_spec s;
    xf__feat_ws *ws = NULL;
    xf_error err;
    size_t series = 1, origin = 300, k;
    double X[64], level, scale;
    unsigned char ok = 0;
    const double *y = xf_panel_series_values(sine, series);

    memset(&s, 0, sizeof s);
    s.horizon = 4;
    s.n_lags = 6;
    s.norm_window = 24;
    s.history = 1;
    xf__feat_spec_layout(&s);
    CHECK_INT(s.p, 8);
    need(xf__feat_ws_new(&s, 1, 1, &ws, &err) == XF_OK, "feature workspace", &err);
    CHECK_MSG(xf__feat_build(&s, ws, sine, &series, &origin, 1, 1, NULL, X, &level, &scale, &ok,
                             &err) == XF_OK,
              "%s", err.message);
    CHECK(ok == 1 && scale > 0);
    for (k = 1; k <= 6; k++)
        CHECK_MSG(X[s.off[XF__FG_LAGS] + k - 1] == (y[origin - k] - level) / scale,
                  "lag %zu: %.17g", k, X[s.off[XF__FG_LAGS] + k - 1]);
    /* the level of a sine over whole periods is near its mean, 10 */
    CHECK_NEAR(X[s.off[XF__FG_HISTORY]], 0.0, 0.5);
    xf__feat_ws_free(ws);
}

/* ------------------------------------------------------------ main */

int main(void)
{
    xf_encoder_config cfg;
    xf_encoder *tcn = NULL;
    xf_panel *cov = NULL, *sine = NULL;
    xf_error err;

    ht_init("test_featurize");
    xf_encoder_config_init(&cfg, XF_ARCH_TCN);
    cfg.context = 64;
    cfg.n_channels = 8;
    cfg.n_blocks = 5;
    need(xf_encoder_new(&cfg, 1, &tcn, &err) == XF_OK, "small TCN", &err);
    xf_encoder_set_name(tcn, "tcn-small");
    cov = cov_sine_panel(17);
    sine = sine_panel(2, N_SINE, 0.0, 3);

    test_descriptors();
    test_widths_spec(tcn);
    test_widths_fit(cov, tcn);
    test_keys(cov);
    test_lag_columns(sine);

    xf_panel_free(cov);
    xf_panel_free(sine);
    xf_encoder_free(tcn);
    xf_encoder_free(gru);
    return tu_report("test_featurize");
}
