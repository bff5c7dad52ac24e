/* test_head_file.c - head files: save/load round trips, encoders checked by
 * fingerprint at attach, damaged, truncated and foreign files, and heads
 * written by earlier builds.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include "head_testutil.h"

/* Rewrite the .xfm file src as dst without the metadata keys in `drop`
 * (NULL-terminated): what a file written before those keys existed looks
 * like.  0 on success. */
static int xfm_copy_without(const char *src, const char *dst, const char *const *drop)
{
    xf_xfm *in = NULL, *out = NULL;
    xf_error err;
    size_t i, j, n;
    int rc = 0, skip;
    if (xf_xfm_load(src, &in, &err) != XF_OK || xf_xfm_new(xf_xfm_kind(in), &out) != XF_OK) {
        xf_xfm_free(in);
        return -1;
    }
    for (i = 0; i < xf_xfm_n_meta(in) && rc == 0; i++) {
        const char *k = xf_xfm_meta_key(in, i);
        for (j = 0, skip = 0; drop[j] != NULL; j++)
            skip |= strcmp(k, drop[j]) == 0;
        if (skip)
            continue;
        switch (xf_xfm_meta_type(in, i)) {
        case XF_XFM_TYPE_U32: {
            uint32_t v = 0;
            rc = xf_xfm_get_u32(in, k, &v, NULL) || xf_xfm_set_u32(out, k, v);
            break;
        }
        case XF_XFM_TYPE_I64: {
            int64_t v = 0;
            rc = xf_xfm_get_i64(in, k, &v, NULL) || xf_xfm_set_i64(out, k, v);
            break;
        }
        case XF_XFM_TYPE_F64: {
            double v = 0;
            rc = xf_xfm_get_f64(in, k, &v, NULL) || xf_xfm_set_f64(out, k, v);
            break;
        }
        case XF_XFM_TYPE_STR: {
            const char *v = NULL;
            rc = xf_xfm_get_str(in, k, &v, NULL) || xf_xfm_set_str(out, k, v);
            break;
        }
        case XF_XFM_TYPE_I64_ARRAY: {
            const int64_t *v = NULL;
            rc = xf_xfm_get_i64_array(in, k, &v, &n, NULL) || xf_xfm_set_i64_array(out, k, v, n);
            break;
        }
        case XF_XFM_TYPE_F64_ARRAY: {
            const double *v = NULL;
            rc = xf_xfm_get_f64_array(in, k, &v, &n, NULL) || xf_xfm_set_f64_array(out, k, v, n);
            break;
        }
        default:
            rc = -1;
        }
    }
    for (i = 0; i < xf_xfm_n_tensors(in) && rc == 0; i++)
        rc = xf_xfm_tensor_dtype(in, i) != XF_XFM_DTYPE_F64 ||
             xf_xfm_add_tensor_f64(out, xf_xfm_tensor_name(in, i), xf_xfm_tensor_n_dims(in, i),
                                   xf_xfm_tensor_dims(in, i), xf_xfm_tensor_data(in, i)) != XF_OK;
    if (rc == 0)
        rc = xf_xfm_save(out, dst, &err) != XF_OK;
    xf_xfm_free(in);
    xf_xfm_free(out);
    return rc ? -1 : 0;
}

/* A head file written before the history features and baselines existed
 * (9b23767 and earlier: no "head.history", "head.baseline" or
 * "head.seasonal_scale"; head.format is still 1) must keep loading, as a
 * head without them. */
static void test_old_head_file(const xf_panel *panel)
{
    static const char *const new_keys[] = {"head.history", "head.baseline", "head.seasonal_scale",
                                           NULL};
    char path[64], old[64];
    xf_head_options o;
    xf_head *h = NULL, *g = NULL;
    xf_error err;
    double a[H_SMALL], b[H_SMALL];

    /* what the earlier builds fitted */
    small_opts(&o);
    o.history = 0;
    o.baseline = 0;
    o.seasonal_scale = 0;
    if ((h = fit_ok(panel, &gru, 1, &o, "earlier layout")) == NULL)
        return;
    check_roundtrip(h, &gru, 1, panel, "earlier layout");
    temp_path(path, sizeof path);
    temp_path(old, sizeof old);
    CHECK(xf_head_save(h, path, &err) == XF_OK);
    CHECK(xfm_copy_without(path, old, new_keys) == 0);
    /* BUG: since 9b6f322 src/head_file.c xf_head_load requires these keys
     * (get_i64 -> XF_EFORMAT "head file lacks key 'head.history'") although
     * XF_HEAD_FORMAT is still 1, so every head saved by earlier builds stops
     * loading (STYLE.md: old versions keep loading); a missing key should
     * read as 0 (or the layout version be raised and version 1 read with
     * zeros) */
    CHECK_MSG(xf_head_load(old, &g, &err) == XF_OK, "%s", err.message);
    if (g != NULL) {
        CHECK_INT(xf_head_n_features(g), xf_head_n_features(h));
        CHECK(xf_head_attach_encoders(g, &gru, 1, &err) == XF_OK);
        CHECK(forecast(h, panel, 0, SIZE_MAX, H_SMALL, NULL, a, NULL, NULL, &err) == XF_OK);
        CHECK(forecast(g, panel, 0, SIZE_MAX, H_SMALL, NULL, b, NULL, NULL, &err) == XF_OK);
        CHECK(memcmp(a, b, sizeof a) == 0);
        xf_head_free(g);
    }
    xf_head_free(h);
    remove(path);
    remove(old);
}

static void test_files(const xf_head *h, const xf_panel *panel)
{
    char path[64], enc_path[64];
    xf_encoder_config cfg;
    xf_encoder *other = NULL, *pair[2];
    xf_head *g = NULL;
    xf_head_workspace *ws = NULL;
    xf_error err;
    unsigned char *buf;
    size_t len;
    int rc;

    check_roundtrip(h, &gru, 1, panel, "sine head");

    /* an encoder of the same shape from another seed */
    xf_encoder_config_init(&cfg, XF_ARCH_GRU);
    cfg.context = 64;
    cfg.n_hidden = 8;
    need(xf_encoder_new(&cfg, 2, &other, &err) == XF_OK, "second encoder", &err);
    xf_encoder_set_name(other, "gru-other");
    CHECK(xf_encoder_fingerprint(other) != xf_encoder_fingerprint(gru));

    temp_path(path, sizeof path);
    CHECK(xf_head_save(h, path, &err) == XF_OK);
    CHECK(xf_head_load(path, &g, &err) == XF_OK);
    if (g != NULL) {
        CHECK(xf_head_attach_encoders(g, &other, 1, &err) == XF_EDATA);
        CHECK_MSG(strstr(err.message, "gru-small") != NULL &&
                      strstr(err.message, "fingerprint") != NULL,
                  "%s", err.message);
        CHECK(xf_head_attach_encoders(g, NULL, 0, &err) == XF_EDATA);
        CHECK_MSG(strstr(err.message, "gru-small") != NULL, "%s", err.message);
        /* still not attached */
        CHECK(xf_head_workspace_new(g, &ws, &err) != XF_OK && ws == NULL);
        /* any order; extra encoders are ignored */
        pair[0] = other;
        pair[1] = gru;
        CHECK_MSG(xf_head_attach_encoders(g, pair, 2, &err) == XF_OK, "%s", err.message);
        CHECK(xf_head_workspace_new(g, &ws, &err) == XF_OK);
        xf_head_workspace_free(ws);
        xf_head_free(g);
        g = NULL;
    }

    /* a workspace of one head does not serve another */
    {
        xf_head *g2 = NULL;
        double mean[H_SMALL];
        CHECK(xf_head_load(path, &g2, &err) == XF_OK);
        if (g2 != NULL && xf_head_attach_encoders(g2, &gru, 1, &err) == XF_OK &&
            xf_head_workspace_new(g2, &ws, &err) == XF_OK) {
            CHECK(xf_head_forecast(h, ws, panel, 0, SIZE_MAX, H_SMALL, NULL, mean, NULL, NULL,
                                   &err) == XF_EINVAL);
            xf_head_workspace_free(ws);
        }
        xf_head_free(g2);
    }

    /* one byte flipped in the middle */
    buf = read_all(path, &len);
    buf[len / 2] ^= 0x5A;
    write_all(path, buf, len);
    g = (xf_head *)&err;
    rc = xf_head_load(path, &g, &err);
    CHECK_MSG((rc == XF_ECHECKSUM || rc == XF_EFORMAT) && g == NULL, "damaged file: %d %s", rc,
              err.message);
    /* cut short */
    buf[len / 2] ^= 0x5A;
    write_all(path, buf, len / 3);
    rc = xf_head_load(path, &g, &err);
    CHECK_MSG((rc == XF_ECHECKSUM || rc == XF_EFORMAT) && g == NULL, "truncated file: %d %s", rc,
              err.message);
    free(buf);
    remove(path);
    /* no such file */
    CHECK(xf_head_load("/nonexistent-dir/head.xfm", &g, &err) == XF_EIO && g == NULL);
    CHECK(xf_head_save(h, "/nonexistent-dir/head.xfm", &err) == XF_EIO);

    /* an encoder file is not a head */
    temp_path(enc_path, sizeof enc_path);
    CHECK(xf_encoder_save(gru, enc_path, &err) == XF_OK);
    CHECK(xf_head_load(enc_path, &g, &err) == XF_EFORMAT && g == NULL);
    CHECK_MSG(strstr(err.message, "encoder") != NULL, "%s", err.message);
    remove(enc_path);
    xf_encoder_free(other);
    test_old_head_file(panel);
}

/* ------------------------------------------------------------ main */

int main(void)
{
    xf_panel *sine = NULL;
    xf_head *head = NULL;

    ht_init("test_head_file");
    sine = sine_panel(3, N_SINE, 0.3, 1);
    head = ht_sine_head(sine);
    if (head != NULL)
        test_files(head, sine);
    xf_head_free(head);
    xf_panel_free(sine);
    xf_encoder_free(gru);
    return tu_report("test_head_file");
}
