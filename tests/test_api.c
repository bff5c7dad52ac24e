/* test_api.c - the promises the library makes to the programs that embed
 * it: version macros and functions agree, every status code has a name and
 * a description, and every option struct's struct_size is checked by each
 * function that takes the struct (0 = not initialised, larger than this
 * library's struct = built against a newer header: XF_EINVAL naming the
 * struct and its _init function).  Also the one FNV-1a and clock helpers
 * of the library (xf_internal.h), so it links the static core.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

#include "testutil.h"
#include "abi.h"
#include "xf_internal.h"

static void test_version(void)
{
    char buf[64];
    CHECK_INT(XF_VERSION_NUMBER,
              XF_VERSION_MAJOR * 10000 + XF_VERSION_MINOR * 100 + XF_VERSION_PATCH);
    CHECK_INT(xf_version_number(), XF_VERSION_NUMBER);
    CHECK_STR(xf_version(), XF_VERSION_STRING);
    CHECK_STR(xf_version(), PACKAGE_VERSION); /* configure.ac is the one source */
    snprintf(buf, sizeof buf, "%d.%d.%d", XF_VERSION_MAJOR, XF_VERSION_MINOR, XF_VERSION_PATCH);
    CHECK_STR(xf_version(), buf);
    CHECK(XF_VERSION_MINOR < 100 && XF_VERSION_PATCH < 100);
}

static void test_status_names(void)
{
    static const struct {
        int code;
        const char *name;
    } codes[] = {{XF_OK, "XF_OK"},           {XF_ENOMEM, "XF_ENOMEM"},
                 {XF_EIO, "XF_EIO"},         {XF_EINVAL, "XF_EINVAL"},
                 {XF_EPARSE, "XF_EPARSE"},   {XF_ENOTFOUND, "XF_ENOTFOUND"},
                 {XF_EDATA, "XF_EDATA"},     {XF_ERANGE, "XF_ERANGE"},
                 {XF_EFORMAT, "XF_EFORMAT"}, {XF_ECHECKSUM, "XF_ECHECKSUM"},
                 {XF_EBUSY, "XF_EBUSY"}};
    size_t i, j, n = sizeof codes / sizeof codes[0];
    for (i = 0; i < n; i++) {
        CHECK_STR(xf_status_name(codes[i].code), codes[i].name);
        CHECK(strcmp(xf_strerror(codes[i].code), "unknown error") != 0);
        for (j = 0; j < i; j++)
            CHECK(strcmp(xf_strerror(codes[i].code), xf_strerror(codes[j].code)) != 0);
    }
    /* the codes are -10..0: one past each end is unknown */
    CHECK_STR(xf_status_name(XF_EBUSY - 1), "XF_E?");
    CHECK_STR(xf_status_name(1), "XF_E?");
    CHECK_STR(xf_strerror(XF_EBUSY - 1), "unknown error");
}

/* A call taking the struct returned XF_EINVAL with a message naming it. */
static void expect_size_error(int rc, const xf_error *err, const char *type, const char *what)
{
    char want[64];
    CHECK_MSG(rc == XF_EINVAL, "%s: rc %d (%s)", what, rc, xf_status_name(rc));
    snprintf(want, sizeof want, "%s.struct_size is ", type);
    CHECK_MSG(strstr(err->message, want) != NULL, "%s: '%s'", what, err->message);
    snprintf(want, sizeof want, "%s_init()", type);
    CHECK_MSG(strstr(err->message, want) != NULL, "%s: '%s'", what, err->message);
}

/* An older program's smaller struct: the _init functions write only the
 * size they are given (the header's macros pass sizeof), with struct_size
 * set to it, and never a byte past it. */
#define CHECK_INIT_SIZED(type, call, field)                                                        \
    do {                                                                                           \
        union {                                                                                    \
            type t;                                                                                \
            unsigned char b[sizeof(type) + 64];                                                    \
        } u_;                                                                                      \
        size_t n_ = offsetof(type, field), i_, bad_ = 0;                                           \
        type *o_ = &u_.t;                                                                          \
        memset(u_.b, 0xAB, sizeof u_.b);                                                           \
        call;                                                                                      \
        for (i_ = n_; i_ < sizeof u_.b; i_++)                                                      \
            bad_ += u_.b[i_] != 0xAB;                                                              \
        CHECK_MSG(bad_ == 0, "%s: %zu bytes written past the %zu given", #type, bad_, n_);         \
        CHECK_MSG(o_->struct_size == n_, "%s: struct_size %zu, given %zu", #type, o_->struct_size, \
                  n_);                                                                             \
    } while (0)

static void test_init_sized(void)
{
    CHECK_INIT_SIZED(xf_csv_options, xf_csv_options_init_sized(o_, n_), decimal);
    CHECK_INIT_SIZED(xf_corpus_options, xf_corpus_options_init_sized(o_, n_), seed);
    CHECK_INIT_SIZED(xf_encoder_config, xf_encoder_config_init_sized(o_, XF_ARCH_TCN, n_), arch);
    CHECK_INIT_SIZED(xf_head_options, xf_head_options_init_sized(o_, n_), horizon);
    CHECK_INIT_SIZED(xf_backtest_options, xf_backtest_options_init_sized(o_, n_), test_start);
    CHECK_INIT_SIZED(xf_plot_options, xf_plot_options_init_sized(o_, n_), width);
    CHECK_INIT_SIZED(xf_pretrain_options, xf_pretrain_options_init_sized(o_, XF_ARCH_GRU, n_),
                     encoder);
    CHECK_INIT_SIZED(xf_retrain_options, xf_retrain_options_init_sized(o_, n_), n_threads);
    /* the functions themselves (no macro), for callers that cannot pass a
     * size: a struct of this version, defaults set */
    {
        xf_head_options o;
        memset(&o, 0xAB, sizeof o);
        (xf_head_options_init)(&o);
        CHECK(o.struct_size > offsetof(xf_head_options, source) && o.struct_size <= sizeof o);
        CHECK_INT(o.horizon, XF_AUTO);
        CHECK_INT(o.prior, XF_AUTO);
    }
    /* a struct of an older program's size is accepted, the fields it has
     * not got taking their defaults */
    {
        xf_head_options o;
        xf_error err;
        xf_panel *panel = NULL;
        int rc;
        CHECK_INT(xf_panel_new(NULL, 0, &panel, NULL), XF_OK);
        xf_head_options_init_sized(&o, offsetof(xf_head_options, local_model));
        o.prior = 99; /* past its size: not read */
        rc = xf_head_options_resolve(&o, panel, &err);
        CHECK_MSG(rc == XF_OK || strstr(err.message, "struct_size") == NULL, "%s", err.message);
        CHECK_MSG(rc != XF_EINVAL || strstr(err.message, "prior") == NULL, "%s", err.message);
        xf_panel_free(panel);
    }
}

static void test_struct_sizes(void)
{
    /* a bad struct_size: 0 (never initialised) and a newer, larger struct */
    const size_t bad[2] = {0, 1};
    xf_error err;
    int k, rc;
    for (k = 0; k < 2; k++) {
        xf_csv_options co;
        xf_csv_reader *r = (xf_csv_reader *)&co;
        xf_corpus_options cpo;
        xf_corpus *corpus = (xf_corpus *)&cpo;
        xf_encoder_config ec;
        xf_encoder *enc = (xf_encoder *)&ec;
        xf_head_options ho;
        xf_head *head = (xf_head *)&ho;
        xf_backtest_options bo;
        xf_backtest_result bres;
        xf_plot_options po;
        xf_plot_data pd;
        char *svg = NULL;
        size_t svg_len = 0;
        xf_pretrain_options pro;
        xf_retrain_options ro;
        xf_retrain_report rep;
        xf_source src;
        xf_panel *panel = NULL;

        CHECK_INT(xf_panel_new(NULL, 0, &panel, NULL), XF_OK);

        xf_csv_options_init(&co);
        CHECK_INT(co.struct_size, sizeof co);
        co.struct_size = bad[k] ? sizeof co + bad[k] : 0;
        rc = xf_csv_reader_new("x.csv", &co, &r, &err);
        expect_size_error(rc, &err, "xf_csv_options", "xf_csv_reader_new");
        CHECK(r == NULL);
        xf_dataset *ds = (xf_dataset *)&co;
        rc = xf_dataset_read_csv("x.csv", &co, &ds, &err);
        expect_size_error(rc, &err, "xf_csv_options", "xf_dataset_read_csv");
        CHECK(ds == NULL);

        xf_corpus_options_init(&cpo);
        CHECK_INT(cpo.struct_size, sizeof cpo);
        cpo.struct_size = bad[k] ? sizeof cpo + bad[k] : 0;
        rc = xf_corpus_new(&cpo, &corpus, &err);
        expect_size_error(rc, &err, "xf_corpus_options", "xf_corpus_new");
        CHECK(corpus == NULL);

        xf_encoder_config_init(&ec, XF_ARCH_GRU);
        CHECK_INT(ec.struct_size, sizeof ec);
        ec.struct_size = bad[k] ? sizeof ec + bad[k] : 0;
        rc = xf_encoder_new(&ec, 1, &enc, &err);
        expect_size_error(rc, &err, "xf_encoder_config", "xf_encoder_new");
        CHECK(enc == NULL);

        xf_head_options_init(&ho);
        CHECK_INT(ho.struct_size, sizeof ho);
        ho.struct_size = bad[k] ? sizeof ho + bad[k] : 0;
        rc = xf_head_fit(panel, NULL, 0, &ho, &head, &err);
        expect_size_error(rc, &err, "xf_head_options", "xf_head_fit");
        CHECK(head == NULL);
        head = (xf_head *)&ho;
        rc = xf_head_zeroshot(panel, NULL, &ho, &head, &err);
        expect_size_error(rc, &err, "xf_head_options", "xf_head_zeroshot");
        CHECK(head == NULL);
        rc = xf_head_options_resolve(&ho, panel, &err);
        expect_size_error(rc, &err, "xf_head_options", "xf_head_options_resolve");

        xf_backtest_options_init(&bo);
        CHECK_INT(bo.struct_size, sizeof bo);
        CHECK_INT(bo.fit.struct_size, sizeof bo.fit);
        bo.test_start_row = 10;
        bo.struct_size = bad[k] ? sizeof bo + bad[k] : 0;
        rc = xf_backtest(panel, NULL, 0, &bo, NULL, NULL, &bres, NULL, &err);
        expect_size_error(rc, &err, "xf_backtest_options", "xf_backtest");
        /* the embedded head options are checked too */
        bo.struct_size = sizeof bo;
        bo.fit.struct_size = bad[k] ? sizeof bo.fit + bad[k] : 0;
        rc = xf_backtest(panel, NULL, 0, &bo, NULL, NULL, &bres, NULL, &err);
        expect_size_error(rc, &err, "xf_head_options", "xf_backtest (fit)");

        xf_plot_options_init(&po);
        CHECK_INT(po.struct_size, sizeof po);
        po.struct_size = bad[k] ? sizeof po + bad[k] : 0;
        memset(&pd, 0, sizeof pd);
        rc = xf_plot_svg(&pd, &po, &svg, &svg_len, &err);
        expect_size_error(rc, &err, "xf_plot_options", "xf_plot_svg");
        CHECK(svg == NULL);

        xf_pretrain_options_init(&pro, XF_ARCH_TCN);
        CHECK_INT(pro.struct_size, sizeof pro);
        CHECK_INT(pro.encoder.struct_size, sizeof pro.encoder);
        pro.struct_size = bad[k] ? sizeof pro + bad[k] : 0;
        enc = (xf_encoder *)&pro;
        rc = xf_pretrain(&pro, &enc, &err);
        expect_size_error(rc, &err, "xf_pretrain_options", "xf_pretrain");
        CHECK(enc == NULL);

        xf_retrain_options_init(&ro);
        CHECK_INT(ro.struct_size, sizeof ro);
        ro.struct_size = bad[k] ? sizeof ro + bad[k] : 0;
        memset(&src, 0, sizeof src);
        xf_csv_options_init(&src.csv_opts);
        xf_head_options_init(&src.head);
        rc = xf_retrain_source(NULL, &src, NULL, 0, &ro, &rep, &err);
        expect_size_error(rc, &err, "xf_retrain_options", "xf_retrain_source");
        CHECK(rep.outcome == XF_RETRAIN_FAILED);

        xf_panel_free(panel);
    }
}

/* What a later release does with a program built against this one: a
 * "version 2" struct with a field appended, read from a "version 1"
 * caller, gets the default of the new field. */
static void test_options_import(void)
{
    typedef struct {
        size_t struct_size;
        int32_t a;
        double b;
    } v1;
    typedef struct {
        size_t struct_size;
        int32_t a;
        double b;
        double c; /* added in "version 2" */
    } v2;
    v1 old;
    v2 cur;
    xf_error err;
    const size_t min = XF__SIZE_THROUGH(v1, b);
    memset(&old, 0, sizeof old);
    old.struct_size = sizeof old;
    old.a = 17;
    old.b = 2.385;
    cur.struct_size = sizeof cur;
    cur.a = 1;
    cur.b = 1.0;
    cur.c = -4.75; /* the default of the new field */
    CHECK_INT(xf__options_import(&cur, sizeof cur, &old, min, "v", "v_init", &err), XF_OK);
    CHECK_INT(cur.struct_size, sizeof cur);
    CHECK_INT(cur.a, 17);
    CHECK(cur.b == 2.385);
    CHECK(cur.c == -4.75);
    /* smaller than the first version, or larger than this library's */
    old.struct_size = min - 1;
    CHECK_INT(xf__options_import(&cur, sizeof cur, &old, min, "v", "v_init", &err), XF_EINVAL);
    CHECK(strstr(err.message, "v.struct_size is") != NULL);
    old.struct_size = sizeof cur + 8;
    cur.a = 5;
    CHECK_INT(xf__options_import(&cur, sizeof cur, &old, min, "v", "v_init", &err), XF_EINVAL);
    CHECK_INT(cur.a, 5); /* untouched */
    /* dst == src: a check only, the caller's size stays */
    old.struct_size = sizeof old;
    CHECK_INT(xf__options_import(&old, sizeof old, &old, min, "v", "v_init", &err), XF_OK);
    CHECK_INT(old.struct_size, sizeof old);
}

/* The struct_size an _init sets is accepted: a small read through the
 * options works. */
static void test_struct_sizes_accepted(void)
{
    static const char csv[] = "date,y\n2024-01-01,2.385\n2024-01-02,2.5\n";
    xf_csv_options co;
    xf_csv_reader *r = NULL;
    xf_dataset *ds = NULL;
    xf_error err;
    xf_csv_options_init(&co);
    CHECK_INT(xf_csv_reader_new("mem.csv", &co, &r, &err), XF_OK);
    CHECK_INT(xf_csv_reader_feed(r, csv, sizeof csv - 1, &err), XF_OK);
    CHECK_INT(xf_csv_reader_finish(r, &ds, &err), XF_OK);
    CHECK_INT(xf_dataset_n_series(ds), 1);
    xf_dataset_free(ds);
    xf_csv_reader_free(r);
    /* NULL options still mean the defaults */
    CHECK_INT(xf_csv_reader_new("mem.csv", NULL, &r, &err), XF_OK);
    xf_csv_reader_free(r);
}

/* FNV-1a 64 reference values (the algorithm's published test vectors);
 * the fingerprints in heads and store entries depend on them. */
static void test_fnv(void)
{
    uint64_t h;
    double t0, t1;
    CHECK(xf__fnv1a(XF__FNV_OFFSET, "", 0) == UINT64_C(0xcbf29ce484222325));
    CHECK(xf__fnv1a(XF__FNV_OFFSET, "a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
    CHECK(xf__fnv1a(XF__FNV_OFFSET, "foobar", 6) == UINT64_C(0x85944171f73967e8));
    /* hashing in pieces is hashing the whole */
    h = xf__fnv1a(XF__FNV_OFFSET, "foo", 3);
    CHECK(xf__fnv1a(h, "bar", 3) == UINT64_C(0x85944171f73967e8));
    t0 = xf__now();
    t1 = xf__now();
    CHECK(t0 > 0 && t1 >= t0);
}

int main(void)
{
    test_fnv();
    test_version();
    test_status_names();
    test_struct_sizes();
    test_init_sized();
    test_struct_sizes_accepted();
    test_options_import();
    return tu_report("test_api");
}
