/* xfcast_r.c - .Call entry points of the R package over libxfcast's public
 * API (<xfcast.h>).
 *
 * Every entry point frees what it made with the library before it raises an
 * R error: a failure of the library becomes a condition of class
 * "xfcast_error" made by the package's R function .xf_stop() from the C
 * message (the library never prints).  Nothing here prints either.
 *
 * Data reach the library in one of two ways (R/data.R builds them):
 *   - series with timestamps as CSV text (time,id,value,covariates...),
 *     read by the library's own CSV reader, so that R data and the same
 *     rows in a file give the same panel (frequency inferred the same way);
 *   - series without timestamps as arrays (xf_panel_add_series) with the
 *     frequency given by the ts object.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xfcast.h>

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>

#ifndef XF_R_MODELDIR
#define XF_R_MODELDIR ""
#endif

/* A fitted or loaded head with the encoders it owns. */
typedef struct rxf_model {
    xf_head *head;
    xf_encoder *enc[XF_MAX_ENCODERS];
    size_t n_enc;
} rxf_model;

static void model_free(rxf_model *m)
{
    size_t i;
    if (m == NULL)
        return;
    xf_head_free(m->head);
    for (i = 0; i < m->n_enc; i++)
        xf_encoder_free(m->enc[i]);
    free(m);
}

static void model_finalize(SEXP ptr)
{
    model_free((rxf_model *)R_ExternalPtrAddr(ptr));
    R_ClearExternalPtr(ptr);
}

static SEXP model_wrap(rxf_model *m)
{
    SEXP ptr = PROTECT(R_MakeExternalPtr(m, Rf_install("xfcast_model"), R_NilValue));
    R_RegisterCFinalizerEx(ptr, model_finalize, TRUE);
    UNPROTECT(1);
    return ptr;
}

/* Raise the package's xfcast_error condition (never returns). */
static void rxf_raise(int code, const char *msg)
{
    SEXP ns, fn, m, c, call;
    ns = PROTECT(R_FindNamespace(PROTECT(Rf_mkString("xfcast"))));
    fn = PROTECT(Rf_findFun(Rf_install(".xf_stop"), ns));
    m = PROTECT(Rf_mkCharLenCE(msg, (int)strlen(msg), CE_UTF8));
    m = PROTECT(Rf_ScalarString(m));
    c = PROTECT(Rf_mkString(xf_status_name(code)));
    call = PROTECT(Rf_lang3(fn, m, c));
    Rf_eval(call, ns);
    UNPROTECT(7);
    Rf_error("%s", msg); /* not reached: .xf_stop signals */
}

static void raise_err(const xf_error *err, int rc)
{
    char msg[sizeof err->message];
    /* copy: the caller's buffers are freed before the longjmp */
    snprintf(msg, sizeof msg, "%s", err->message[0] != '\0' ? err->message : xf_strerror(rc));
    rxf_raise(rc, msg);
}

static void set_err(xf_error *err, int code, const char *msg)
{
    err->code = code;
    err->line = 0;
    err->column = 0;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static rxf_model *get_model(SEXP ptr)
{
    rxf_model *m;
    if (TYPEOF(ptr) != EXTPTRSXP || (m = (rxf_model *)R_ExternalPtrAddr(ptr)) == NULL ||
        m->head == NULL)
        rxf_raise(XF_EINVAL, "not a fitted xfcast model (was it saved with saveRDS? use "
                             "xfcast_save() and xfcast_load())");
    return m;
}

static SEXP list_get(SEXP list, const char *name)
{
    SEXP names = Rf_getAttrib(list, R_NamesSymbol);
    R_xlen_t i;
    if (Rf_isNull(names))
        return R_NilValue;
    for (i = 0; i < XLENGTH(list); i++)
        if (strcmp(CHAR(STRING_ELT(names, i)), name) == 0)
            return VECTOR_ELT(list, i);
    return R_NilValue;
}

/* ------------------------------------------------------------ options */

/* CSV options that make sense for R data (how values are read, not where). */
static int csv_option_allowed(const char *name)
{
    return strcmp(name, "gaps") == 0 || strcmp(name, "duplicates") == 0 ||
           strcmp(name, "freq") == 0 || strcmp(name, "tz") == 0 || strcmp(name, "holidays") == 0;
}

/* Apply options given as a named character vector (INI names) through the
 * option table.  Returns XF_OK or an error in err. */
static int apply_options(SEXP opts, xf_head_options *head, xf_csv_options *csv, xf_error *err)
{
    SEXP names;
    R_xlen_t i;
    xf_option_target t;
    if (Rf_isNull(opts) || XLENGTH(opts) == 0)
        return XF_OK;
    names = Rf_getAttrib(opts, R_NamesSymbol);
    memset(&t, 0, sizeof t);
    t.head = head;
    t.csv = csv;
    for (i = 0; i < XLENGTH(opts); i++) {
        const char *name = CHAR(STRING_ELT(names, i)), *value = CHAR(STRING_ELT(opts, i));
        const xf_option *o = xf_option_find_ini(name);
        int rc;
        if (o == NULL) {
            char msg[300];
            snprintf(msg, sizeof msg, "unknown option '%s' (see xfcast_options())", name);
            set_err(err, XF_EINVAL, msg);
            return XF_EINVAL;
        }
        if (o->where == XF_OPT_IN_SOURCE ||
            (o->where == XF_OPT_IN_CSV && !csv_option_allowed(o->name))) {
            char msg[300];
            snprintf(msg, sizeof msg, "option '%s' does not apply to data given from R", name);
            set_err(err, XF_EINVAL, msg);
            return XF_EINVAL;
        }
        if ((rc = xf_option_set(o, name, value, &t, err)) != XF_OK)
            return rc;
    }
    return XF_OK;
}

static int set_levels(SEXP levels, xf_head_options *o, xf_error *err)
{
    R_xlen_t i;
    if (Rf_isNull(levels))
        return XF_OK;
    if (XLENGTH(levels) > XF_MAX_LEVELS) {
        set_err(err, XF_EINVAL, "at most 8 interval levels");
        return XF_EINVAL;
    }
    for (i = 0; i < XLENGTH(levels); i++) {
        double l = REAL(levels)[i];
        if (!(l > 0 && l < 100)) {
            char msg[120];
            snprintf(msg, sizeof msg, "interval level %g is not a percentage in (0, 100)", l);
            set_err(err, XF_EINVAL, msg);
            return XF_EINVAL;
        }
        o->levels[i] = l;
    }
    o->n_levels = (size_t)XLENGTH(levels);
    return XF_OK;
}

/* ------------------------------------------------------------ panels */

/* Build a panel from the list made by R/data.R: either `csv` (text with
 * columns time, [id,] value and the covariates) or `values` (list of
 * numeric vectors) with `ids`, `freq`, and `covs` (list of matrices). */
static int build_panel(SEXP d, const xf_csv_options *base, xf_panel **out, xf_dataset **ds_out,
                       xf_error *err)
{
    SEXP csv = list_get(d, "csv"), cov = list_get(d, "cov");
    const char *cov_names[64];
    size_t n_cov = 0, i;
    int rc;
    *out = NULL;
    *ds_out = NULL;
    if (!Rf_isNull(cov)) {
        if (XLENGTH(cov) > 64) {
            set_err(err, XF_EINVAL, "at most 64 covariates");
            return XF_EINVAL;
        }
        n_cov = (size_t)XLENGTH(cov);
        for (i = 0; i < n_cov; i++)
            cov_names[i] = CHAR(STRING_ELT(cov, (R_xlen_t)i));
    }
    if (!Rf_isNull(csv)) {
        xf_csv_options o = *base;
        xf_csv_reader *r = NULL;
        const char *text = CHAR(STRING_ELT(csv, 0));
        SEXP targets = list_get(d, "targets"), idcol = list_get(d, "id_col");
        o.time_col = "time";
        o.time_format = "iso";
        o.delimiter = ',';
        o.decimal = '.';
        o.na_values = ",NA";
        o.targets = CHAR(STRING_ELT(targets, 0));
        o.id_col = CHAR(STRING_ELT(idcol, 0));
        if ((rc = xf_csv_reader_new("R data", &o, &r, err)) != XF_OK)
            return rc;
        if ((rc = xf_csv_reader_feed(r, text, strlen(text), err)) == XF_OK)
            rc = xf_csv_reader_finish(r, ds_out, err);
        xf_csv_reader_free(r);
        if (rc != XF_OK)
            return rc;
        return xf_panel_from_dataset(*ds_out, cov_names, n_cov, out, err);
    } else {
        SEXP values = list_get(d, "values"), ids = list_get(d, "ids"), covs = list_get(d, "covs");
        SEXP fr = list_get(d, "freq");
        xf_freq freq = {XF_FREQ_UNKNOWN, 0, 0};
        if (!Rf_isNull(fr) && (rc = xf_freq_parse(CHAR(STRING_ELT(fr, 0)), &freq, err)) != XF_OK)
            return rc;
        if ((rc = xf_panel_new(cov_names, n_cov, out, err)) != XF_OK)
            return rc;
        for (i = 0; i < (size_t)XLENGTH(values); i++) {
            SEXP y = VECTOR_ELT(values, (R_xlen_t)i);
            const double *cp[64];
            size_t n = (size_t)XLENGTH(y), j;
            if (n_cov > 0) {
                SEXP cm = VECTOR_ELT(covs, (R_xlen_t)i);
                for (j = 0; j < n_cov; j++)
                    cp[j] = REAL(cm) + j * n;
            }
            if ((rc = xf_panel_add_series(*out, CHAR(STRING_ELT(ids, (R_xlen_t)i)), n, NULL, freq,
                                          REAL(y), n_cov > 0 ? cp : NULL, err)) != XF_OK) {
                xf_panel_free(*out);
                *out = NULL;
                return rc;
            }
        }
        return XF_OK;
    }
}

/* Load encoders from paths into m (appending). */
static int load_encoders(SEXP paths, rxf_model *m, xf_error *err)
{
    R_xlen_t i;
    int rc;
    if (Rf_isNull(paths))
        return XF_OK;
    if (XLENGTH(paths) > XF_MAX_ENCODERS) {
        set_err(err, XF_EINVAL, "at most 4 encoders");
        return XF_EINVAL;
    }
    for (i = 0; i < XLENGTH(paths); i++) {
        if ((rc = xf_encoder_load(CHAR(STRING_ELT(paths, i)), &m->enc[m->n_enc], err)) != XF_OK)
            return rc;
        m->n_enc++;
    }
    return XF_OK;
}

/* ------------------------------------------------------------ fit */

/* rxf_fit(data, opts, levels, h, encoder paths, encoders given, zero-shot) */
static SEXP rxf_fit(SEXP d, SEXP opts, SEXP levels, SEXP h, SEXP enc_paths, SEXP enc_given,
                    SEXP zeroshot)
{
    xf_head_options ho;
    xf_csv_options co;
    xf_panel *p = NULL;
    xf_dataset *ds = NULL;
    xf_error err;
    rxf_model *m = calloc(1, sizeof *m);
    int rc;
    if (m == NULL)
        Rf_error("out of memory");
    xf_error_clear(&err);
    xf_head_options_init(&ho);
    xf_csv_options_init(&co);
    ho.n_threads = 1;
    ho.source = "R";
    if ((rc = apply_options(opts, &ho, &co, &err)) != XF_OK ||
        (rc = set_levels(levels, &ho, &err)) != XF_OK)
        goto fail;
    if (!Rf_isNull(h) && Rf_asInteger(h) != NA_INTEGER)
        ho.horizon = Rf_asInteger(h);
    if ((rc = load_encoders(enc_paths, m, &err)) != XF_OK)
        goto fail;
    if (Rf_asLogical(enc_given) && m->n_enc > 0)
        ho.embedding = 1; /* as the CLI: encoders asked for are used */
    if (m->n_enc == 0)
        ho.embedding = 0;
    if ((rc = build_panel(d, &co, &p, &ds, &err)) != XF_OK)
        goto fail;
    if (Rf_asLogical(zeroshot)) {
        if (m->n_enc == 0) {
            set_err(&err, XF_EINVAL, "a zero-shot forecast needs an encoder");
            rc = XF_EINVAL;
            goto fail;
        }
        rc = xf_head_zeroshot(p, m->enc[0], &ho, &m->head, &err);
    } else {
        rc = xf_head_fit(p, m->enc, m->n_enc, &ho, &m->head, &err);
    }
    if (rc != XF_OK)
        goto fail;
    xf_panel_free(p);
    xf_dataset_free(ds);
    return model_wrap(m);
fail:
    xf_panel_free(p);
    xf_dataset_free(ds);
    model_free(m);
    raise_err(&err, rc);
    return R_NilValue;
}

/* ------------------------------------------------------------ forecast */

static int same_levels(const xf_head *h, SEXP levels)
{
    R_xlen_t i;
    if (Rf_isNull(levels))
        return 1;
    if ((size_t)XLENGTH(levels) != xf_head_n_levels(h))
        return 0;
    for (i = 0; i < XLENGTH(levels); i++)
        if (REAL(levels)[i] != xf_head_level(h, (size_t)i))
            return 0;
    return 1;
}

/* rxf_forecast(model, data, h, levels) -> list(ids, time, origin, mean, lo, hi, levels) with
 * mean [h, n_series], lo and hi [h, n_levels, n_series]. */
static SEXP rxf_forecast(SEXP ptr, SEXP d, SEXP hh, SEXP levels, SEXP opts)
{
    rxf_model *m = get_model(ptr);
    xf_head_options ho;
    xf_csv_options co;
    xf_panel *p = NULL;
    xf_dataset *ds = NULL;
    xf_head_workspace *ws = NULL;
    xf_error err;
    double *mean = NULL, *lo = NULL, *hi = NULL, lv[XF_MAX_LEVELS], orig[XF_MAX_LEVELS];
    xf_time *t = NULL;
    size_t ns = 0, L, i, k, l, n_orig = xf_head_n_levels(m->head);
    int32_t H = Rf_asInteger(hh);
    int rc, has_t = 0, levels_set = 0;
    SEXP res, ids, tm, mn, lom, him, org, lev, nm, dim;
    xf_error_clear(&err);
    xf_head_options_init(&ho);
    xf_csv_options_init(&co);
    if ((rc = apply_options(opts, &ho, &co, &err)) != XF_OK)
        goto fail;
    if (!same_levels(m->head, levels)) {
        size_t n = (size_t)XLENGTH(levels);
        if (n > XF_MAX_LEVELS) {
            set_err(&err, XF_EINVAL, "at most 8 interval levels");
            rc = XF_EINVAL;
            goto fail;
        }
        memcpy(lv, REAL(levels), n * sizeof *lv);
        for (l = 0; l < n_orig && l < XF_MAX_LEVELS; l++)
            orig[l] = xf_head_level(m->head, l);
        if ((rc = xf_head_set_levels(m->head, lv, n, &err)) != XF_OK)
            goto fail;
        levels_set = 1;
    }
    if (H == NA_INTEGER)
        H = xf_head_horizon(m->head);
    if (H < 1) {
        set_err(&err, XF_EINVAL, "h must be at least 1");
        rc = XF_EINVAL;
        goto fail;
    }
    if ((rc = build_panel(d, &co, &p, &ds, &err)) != XF_OK)
        goto fail;
    if ((rc = xf_head_workspace_new(m->head, &ws, &err)) != XF_OK)
        goto fail;
    L = xf_head_n_levels(m->head);
    ns = xf_panel_n_series(p);
    mean = malloc((size_t)H * ns * sizeof *mean + 1);
    t = malloc((size_t)H * ns * sizeof *t + 1);
    lo = malloc((size_t)H * L * ns * sizeof *lo + 1);
    hi = malloc((size_t)H * L * ns * sizeof *hi + 1);
    if (!mean || !t || !lo || !hi) {
        set_err(&err, XF_ENOMEM, "out of memory");
        rc = XF_ENOMEM;
        goto fail;
    }
    for (i = 0; i < ns; i++) {
        has_t = has_t || xf_panel_series_times(p, i) != NULL;
        if ((rc = xf_head_forecast(m->head, ws, p, i, SIZE_MAX, H, t + i * (size_t)H,
                                   mean + i * (size_t)H, lo + i * L * (size_t)H,
                                   hi + i * L * (size_t)H, &err)) != XF_OK)
            goto fail; /* the message names the series */
    }
    res = PROTECT(Rf_allocVector(VECSXP, 7));
    ids = Rf_allocVector(STRSXP, (R_xlen_t)ns);
    SET_VECTOR_ELT(res, 0, ids);
    org = Rf_allocVector(REALSXP, (R_xlen_t)ns);
    SET_VECTOR_ELT(res, 2, org);
    for (i = 0; i < ns; i++) {
        SET_STRING_ELT(ids, (R_xlen_t)i, Rf_mkCharCE(xf_panel_series_id(p, i), CE_UTF8));
        REAL(org)[i] = (double)xf_panel_series_observed(p, i);
    }
    tm = R_NilValue;
    if (has_t) {
        tm = Rf_allocMatrix(REALSXP, H, (int)ns);
        SET_VECTOR_ELT(res, 1, tm);
        for (k = 0; k < (size_t)H * ns; k++)
            REAL(tm)[k] = (double)t[k] / 1e6;
    }
    mn = Rf_allocMatrix(REALSXP, H, (int)ns);
    SET_VECTOR_ELT(res, 3, mn);
    memcpy(REAL(mn), mean, (size_t)H * ns * sizeof *mean);
    /* library layout per series: [level][step]; R's: [step, level, series] */
    lom = Rf_allocVector(REALSXP, (R_xlen_t)((size_t)H * L * ns));
    SET_VECTOR_ELT(res, 4, lom);
    him = Rf_allocVector(REALSXP, (R_xlen_t)((size_t)H * L * ns));
    SET_VECTOR_ELT(res, 5, him);
    memcpy(REAL(lom), lo, (size_t)H * L * ns * sizeof *lo);
    memcpy(REAL(him), hi, (size_t)H * L * ns * sizeof *hi);
    dim = PROTECT(Rf_allocVector(INTSXP, 3));
    INTEGER(dim)[0] = H;
    INTEGER(dim)[1] = (int)L;
    INTEGER(dim)[2] = (int)ns;
    Rf_setAttrib(lom, R_DimSymbol, dim);
    Rf_setAttrib(him, R_DimSymbol, dim);
    UNPROTECT(1);
    lev = Rf_allocVector(REALSXP, (R_xlen_t)L);
    SET_VECTOR_ELT(res, 6, lev);
    for (l = 0; l < L; l++)
        REAL(lev)[l] = xf_head_level(m->head, l);
    nm = PROTECT(Rf_allocVector(STRSXP, 7));
    SET_STRING_ELT(nm, 0, Rf_mkChar("ids"));
    SET_STRING_ELT(nm, 1, Rf_mkChar("time"));
    SET_STRING_ELT(nm, 2, Rf_mkChar("origin"));
    SET_STRING_ELT(nm, 3, Rf_mkChar("mean"));
    SET_STRING_ELT(nm, 4, Rf_mkChar("lower"));
    SET_STRING_ELT(nm, 5, Rf_mkChar("upper"));
    SET_STRING_ELT(nm, 6, Rf_mkChar("level"));
    Rf_setAttrib(res, R_NamesSymbol, nm);
    free(mean);
    free(t);
    free(lo);
    free(hi);
    xf_head_workspace_free(ws);
    xf_panel_free(p);
    xf_dataset_free(ds);
    /* the head keeps its own levels (its residuals give the others) */
    if (levels_set)
        xf_head_set_levels(m->head, orig, n_orig, NULL);
    UNPROTECT(2);
    return res;
fail:
    if (levels_set)
        xf_head_set_levels(m->head, orig, n_orig, NULL);
    free(mean);
    free(t);
    free(lo);
    free(hi);
    xf_head_workspace_free(ws);
    xf_panel_free(p);
    xf_dataset_free(ds);
    raise_err(&err, rc);
    return R_NilValue;
}

/* ------------------------------------------------------------ files */

static SEXP rxf_save(SEXP ptr, SEXP path)
{
    rxf_model *m = get_model(ptr);
    xf_error err;
    int rc;
    xf_error_clear(&err);
    if ((rc = xf_head_save(m->head, CHAR(STRING_ELT(path, 0)), &err)) != XF_OK)
        raise_err(&err, rc);
    return R_NilValue;
}

/* rxf_load(path) -> model without encoders (see rxf_attach) */
static SEXP rxf_load(SEXP path)
{
    xf_error err;
    rxf_model *m = calloc(1, sizeof *m);
    int rc;
    if (m == NULL)
        Rf_error("out of memory");
    xf_error_clear(&err);
    if ((rc = xf_head_load(CHAR(STRING_ELT(path, 0)), &m->head, &err)) != XF_OK) {
        model_free(m);
        raise_err(&err, rc);
    }
    return model_wrap(m);
}

/* The encoder names the head needs. */
static SEXP rxf_head_encoders(SEXP ptr)
{
    rxf_model *m = get_model(ptr);
    size_t n = xf_head_n_encoders(m->head), i;
    SEXP res = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
    for (i = 0; i < n; i++)
        SET_STRING_ELT(res, (R_xlen_t)i, Rf_mkChar(xf_head_encoder_name(m->head, i)));
    UNPROTECT(1);
    return res;
}

static SEXP rxf_attach(SEXP ptr, SEXP paths)
{
    rxf_model *m = get_model(ptr);
    xf_error err;
    size_t i;
    int rc;
    xf_error_clear(&err);
    for (i = 0; i < m->n_enc; i++)
        xf_encoder_free(m->enc[i]);
    m->n_enc = 0;
    if ((rc = load_encoders(paths, m, &err)) != XF_OK ||
        (rc = xf_head_attach_encoders(m->head, m->enc, m->n_enc, &err)) != XF_OK)
        raise_err(&err, rc);
    return R_NilValue;
}

/* ------------------------------------------------------------ update */

/* rxf_update(model, data, seen) -> origins added; the head changes in place */
static SEXP rxf_update(SEXP ptr, SEXP d, SEXP seen)
{
    rxf_model *m = get_model(ptr);
    xf_csv_options co;
    xf_panel *p = NULL;
    xf_dataset *ds = NULL;
    xf_error err;
    size_t *sv = NULL, added = 0, i, ns;
    int rc;
    xf_error_clear(&err);
    xf_csv_options_init(&co);
    if ((rc = build_panel(d, &co, &p, &ds, &err)) != XF_OK)
        goto done;
    ns = xf_panel_n_series(p);
    if ((sv = calloc(ns + 1, sizeof *sv)) == NULL) {
        set_err(&err, XF_ENOMEM, "out of memory");
        rc = XF_ENOMEM;
        goto done;
    }
    {
        /* seen is named by series id: a series the head has not seen is 0 */
        SEXP names = Rf_getAttrib(seen, R_NamesSymbol);
        R_xlen_t j;
        for (i = 0; i < ns; i++)
            for (j = 0; j < XLENGTH(seen) && !Rf_isNull(names); j++)
                if (strcmp(CHAR(STRING_ELT(names, j)), xf_panel_series_id(p, i)) == 0)
                    sv[i] = (size_t)REAL(seen)[j];
    }
    rc = xf_head_update(m->head, p, sv, 1, &added, &err);
done:
    free(sv);
    xf_panel_free(p);
    xf_dataset_free(ds);
    if (rc != XF_OK)
        raise_err(&err, rc);
    return Rf_ScalarReal((double)added);
}

/* rxf_observed(data, opts) -> values of each series up to its last observed
 * one (what a head fitted on the data has seen), named by series id */
static SEXP rxf_observed(SEXP d, SEXP opts)
{
    xf_head_options ho;
    xf_csv_options co;
    xf_panel *p = NULL;
    xf_dataset *ds = NULL;
    xf_error err;
    size_t i, ns;
    int rc;
    SEXP res, nm;
    xf_error_clear(&err);
    xf_head_options_init(&ho);
    xf_csv_options_init(&co);
    if ((rc = apply_options(opts, &ho, &co, &err)) != XF_OK ||
        (rc = build_panel(d, &co, &p, &ds, &err)) != XF_OK) {
        xf_panel_free(p);
        xf_dataset_free(ds);
        raise_err(&err, rc);
    }
    ns = xf_panel_n_series(p);
    res = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)ns));
    nm = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)ns));
    for (i = 0; i < ns; i++) {
        REAL(res)[i] = (double)xf_panel_series_observed(p, i);
        SET_STRING_ELT(nm, (R_xlen_t)i, Rf_mkCharCE(xf_panel_series_id(p, i), CE_UTF8));
    }
    Rf_setAttrib(res, R_NamesSymbol, nm);
    xf_panel_free(p);
    xf_dataset_free(ds);
    UNPROTECT(2);
    return res;
}

/* ------------------------------------------------------------ info */

static SEXP rxf_info(SEXP ptr)
{
    rxf_model *m = get_model(ptr);
    const xf_xfm *mf = xf_head_meta(m->head);
    size_t n = xf_xfm_n_meta(mf), i, k = 0, L = xf_head_n_levels(m->head);
    char desc[4096];
    SEXP res, nm, meta, mnames, lev, encs, cov;
    xf_head_describe(m->head, desc, sizeof desc);
    meta = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)n));
    mnames = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
    for (i = 0; i < n; i++) {
        const char *key = xf_xfm_meta_key(mf, i);
        SEXP v = R_NilValue;
        switch (xf_xfm_meta_type(mf, i)) {
        case XF_XFM_TYPE_U32: {
            uint32_t u;
            if (xf_xfm_get_u32(mf, key, &u, NULL) == XF_OK)
                v = Rf_ScalarReal((double)u);
            break;
        }
        case XF_XFM_TYPE_I64: {
            int64_t x;
            if (xf_xfm_get_i64(mf, key, &x, NULL) == XF_OK)
                v = Rf_ScalarReal((double)x);
            break;
        }
        case XF_XFM_TYPE_F64: {
            double x;
            if (xf_xfm_get_f64(mf, key, &x, NULL) == XF_OK)
                v = Rf_ScalarReal(x);
            break;
        }
        case XF_XFM_TYPE_STR: {
            const char *s;
            if (xf_xfm_get_str(mf, key, &s, NULL) == XF_OK)
                v = Rf_mkString(s);
            break;
        }
        default:
            break; /* arrays: not shown */
        }
        if (v == R_NilValue)
            continue;
        SET_VECTOR_ELT(meta, (R_xlen_t)k, v);
        SET_STRING_ELT(mnames, (R_xlen_t)k, Rf_mkChar(key));
        k++;
    }
    meta = PROTECT(Rf_xlengthgets(meta, (R_xlen_t)k));
    mnames = PROTECT(Rf_xlengthgets(mnames, (R_xlen_t)k));
    Rf_setAttrib(meta, R_NamesSymbol, mnames);
    res = PROTECT(Rf_allocVector(VECSXP, 10));
    SET_VECTOR_ELT(res, 9, Rf_ScalarLogical(xf_head_is_zeroshot(m->head) != 0));
    SET_VECTOR_ELT(res, 0, Rf_ScalarInteger(xf_head_horizon(m->head)));
    SET_VECTOR_ELT(res, 1, Rf_mkString(xf_domain_name(xf_head_domain(m->head))));
    lev = Rf_allocVector(REALSXP, (R_xlen_t)L);
    SET_VECTOR_ELT(res, 2, lev);
    for (i = 0; i < L; i++)
        REAL(lev)[i] = xf_head_level(m->head, i);
    SET_VECTOR_ELT(res, 3, Rf_ScalarInteger(xf_head_season(m->head)));
    SET_VECTOR_ELT(res, 4, Rf_ScalarReal((double)xf_head_n_features(m->head)));
    encs = Rf_allocVector(STRSXP, (R_xlen_t)xf_head_n_encoders(m->head));
    SET_VECTOR_ELT(res, 5, encs);
    for (i = 0; i < xf_head_n_encoders(m->head); i++)
        SET_STRING_ELT(encs, (R_xlen_t)i, Rf_mkChar(xf_head_encoder_name(m->head, i)));
    cov = Rf_allocVector(STRSXP, (R_xlen_t)xf_head_n_covariates(m->head));
    SET_VECTOR_ELT(res, 6, cov);
    for (i = 0; i < xf_head_n_covariates(m->head); i++)
        SET_STRING_ELT(cov, (R_xlen_t)i, Rf_mkChar(xf_head_covariate_name(m->head, i)));
    SET_VECTOR_ELT(res, 7, Rf_mkString(desc));
    SET_VECTOR_ELT(res, 8, meta);
    nm = PROTECT(Rf_allocVector(STRSXP, 10));
    SET_STRING_ELT(nm, 9, Rf_mkChar("zeroshot"));
    SET_STRING_ELT(nm, 0, Rf_mkChar("horizon"));
    SET_STRING_ELT(nm, 1, Rf_mkChar("domain"));
    SET_STRING_ELT(nm, 2, Rf_mkChar("level"));
    SET_STRING_ELT(nm, 3, Rf_mkChar("season"));
    SET_STRING_ELT(nm, 4, Rf_mkChar("n_features"));
    SET_STRING_ELT(nm, 5, Rf_mkChar("encoders"));
    SET_STRING_ELT(nm, 6, Rf_mkChar("covariates"));
    SET_STRING_ELT(nm, 7, Rf_mkChar("description"));
    SET_STRING_ELT(nm, 8, Rf_mkChar("meta"));
    Rf_setAttrib(res, R_NamesSymbol, nm);
    UNPROTECT(6);
    return res;
}

/* The option table: name, type, default, help, group. */
static SEXP rxf_options(void)
{
    size_t n, i;
    const xf_option *t = xf_options(&n);
    static const char *const types[] = {"int",    "double", "flag", "enum",   "char",
                                        "string", "freq",   "list", "levels", "path"};
    SEXP res = PROTECT(Rf_allocVector(VECSXP, 5)), nm;
    SEXP cn = Rf_allocVector(STRSXP, (R_xlen_t)n), ct, cd, ch, cg;
    SET_VECTOR_ELT(res, 0, cn);
    ct = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 1, ct);
    cd = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 2, cd);
    cg = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 3, cg);
    ch = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 4, ch);
    for (i = 0; i < n; i++) {
        const xf_option *o = &t[i];
        const char *where = o->where == XF_OPT_IN_HEAD ? "model"
                            : o->where == XF_OPT_IN_CSV
                                ? (csv_option_allowed(o->name) ? "data" : "csv")
                                : "source";
        SET_STRING_ELT(cn, (R_xlen_t)i, Rf_mkChar(o->name));
        SET_STRING_ELT(ct, (R_xlen_t)i, Rf_mkChar((unsigned)o->type < 10 ? types[o->type] : "?"));
        SET_STRING_ELT(cd, (R_xlen_t)i, Rf_mkChar(o->dflt != NULL ? o->dflt : ""));
        SET_STRING_ELT(cg, (R_xlen_t)i, Rf_mkChar(where));
        SET_STRING_ELT(ch, (R_xlen_t)i, Rf_mkChar(o->help != NULL ? o->help : ""));
    }
    nm = PROTECT(Rf_allocVector(STRSXP, 5));
    SET_STRING_ELT(nm, 0, Rf_mkChar("name"));
    SET_STRING_ELT(nm, 1, Rf_mkChar("type"));
    SET_STRING_ELT(nm, 2, Rf_mkChar("default"));
    SET_STRING_ELT(nm, 3, Rf_mkChar("applies_to"));
    SET_STRING_ELT(nm, 4, Rf_mkChar("help"));
    Rf_setAttrib(res, R_NamesSymbol, nm);
    UNPROTECT(2);
    return res;
}

static SEXP rxf_modeldir(void)
{
    return Rf_mkString(XF_R_MODELDIR);
}

static SEXP rxf_version(void)
{
    return Rf_mkString(xf_version());
}

/* ------------------------------------------------------------ backtest */

typedef struct bt_rows {
    size_t n, cap, L;
    char **id;
    double *origin, *step, *time, *actual, *mean, *lo, *hi; /* lo/hi: [row][L] */
} bt_rows;

static void bt_free(bt_rows *b)
{
    size_t i;
    for (i = 0; i < b->n; i++)
        free(b->id[i]);
    free(b->id);
    free(b->origin);
    free(b->step);
    free(b->time);
    free(b->actual);
    free(b->mean);
    free(b->lo);
    free(b->hi);
}

static int bt_grow(bt_rows *b, size_t need)
{
    size_t cap = b->cap ? b->cap : 256;
    void *p;
    while (cap < need)
        cap *= 2;
    if (cap == b->cap)
        return 0;
#define GROW(f, sz)                                                                                \
    if ((p = realloc(b->f, cap * (sz))) == NULL)                                                   \
        return -1;                                                                                 \
    b->f = p;
    GROW(id, sizeof(char *))
    GROW(origin, sizeof(double))
    GROW(step, sizeof(double))
    GROW(time, sizeof(double))
    GROW(actual, sizeof(double))
    GROW(mean, sizeof(double))
    GROW(lo, (b->L + 1) * sizeof(double))
    GROW(hi, (b->L + 1) * sizeof(double))
#undef GROW
    b->cap = cap;
    return 0;
}

static int bt_collect(const xf_backtest_forecast *f, void *user, xf_error *err)
{
    bt_rows *b = user;
    int32_t k;
    size_t l;
    b->L = f->n_levels;
    if (bt_grow(b, b->n + (size_t)f->horizon) != 0) {
        set_err(err, XF_ENOMEM, "out of memory");
        return 1;
    }
    for (k = 0; k < f->horizon; k++) {
        size_t r = b->n;
        if ((b->id[r] = strdup(f->id)) == NULL) {
            set_err(err, XF_ENOMEM, "out of memory");
            return 1;
        }
        b->n++;
        b->origin[r] =
            f->origin_time != XF_TIME_NONE ? (double)f->origin_time / 1e6 : (double)f->origin;
        b->step[r] = k + 1;
        b->time[r] = f->t != NULL ? (double)f->t[k] / 1e6 : (double)(f->origin + (size_t)k);
        b->actual[r] = f->actual[k];
        b->mean[r] = f->mean[k];
        for (l = 0; l < f->n_levels; l++) {
            b->lo[r * (b->L + 1) + l] = f->lo[l * (size_t)f->horizon + (size_t)k];
            b->hi[r * (b->L + 1) + l] = f->hi[l * (size_t)f->horizon + (size_t)k];
        }
    }
    return 0;
}

/* rxf_backtest(data, opts, levels, h, encoder paths, encoders given, test start row,
 * stride, zero-shot) -> list(rows = list(id, origin, step, time, actual, mean, lower,
 * upper), metrics = [method x (mae, rmse, smape, mase, n, coverage...)], levels, season) */
static SEXP rxf_backtest(SEXP d, SEXP opts, SEXP levels, SEXP h, SEXP enc_paths, SEXP enc_given,
                         SEXP start_row, SEXP stride, SEXP zeroshot)
{
    xf_backtest_options bo;
    xf_csv_options co;
    xf_panel *p = NULL;
    xf_dataset *ds = NULL;
    xf_error err;
    xf_backtest_result br;
    bt_rows b;
    rxf_model encs;
    size_t i, l, L;
    int rc, have_result = 0;
    SEXP res, rows, rn, lo, hi, ids, met, nm, lev;
    memset(&b, 0, sizeof b);
    memset(&encs, 0, sizeof encs);
    memset(&br, 0, sizeof br);
    xf_error_clear(&err);
    xf_backtest_options_init(&bo);
    xf_csv_options_init(&co);
    bo.fit.n_threads = 1;
    bo.fit.source = "R";
    if ((rc = apply_options(opts, &bo.fit, &co, &err)) != XF_OK ||
        (rc = set_levels(levels, &bo.fit, &err)) != XF_OK)
        goto done;
    if (!Rf_isNull(h) && Rf_asInteger(h) != NA_INTEGER)
        bo.fit.horizon = Rf_asInteger(h);
    bo.test_start_row = (int64_t)Rf_asReal(start_row);
    bo.stride = Rf_asInteger(stride) == NA_INTEGER ? 0 : Rf_asInteger(stride);
    bo.zeroshot = Rf_asLogical(zeroshot);
    if ((rc = load_encoders(enc_paths, &encs, &err)) != XF_OK)
        goto done;
    if (Rf_asLogical(enc_given) && encs.n_enc > 0)
        bo.fit.embedding = 1;
    if (encs.n_enc == 0)
        bo.fit.embedding = 0;
    if ((rc = build_panel(d, &co, &p, &ds, &err)) != XF_OK)
        goto done;
    rc = xf_backtest(p, encs.enc, encs.n_enc, &bo, bt_collect, &b, &br, NULL, &err);
    have_result = rc == XF_OK;
done:
    xf_panel_free(p);
    xf_dataset_free(ds);
    for (i = 0; i < encs.n_enc; i++)
        xf_encoder_free(encs.enc[i]);
    if (rc != XF_OK) {
        bt_free(&b);
        if (have_result)
            xf_backtest_result_free(&br);
        raise_err(&err, rc);
    }
    L = br.n_levels;
    res = PROTECT(Rf_allocVector(VECSXP, 4));
    rows = Rf_allocVector(VECSXP, 8);
    SET_VECTOR_ELT(res, 0, rows);
    ids = Rf_allocVector(STRSXP, (R_xlen_t)b.n);
    SET_VECTOR_ELT(rows, 0, ids);
    for (i = 0; i < b.n; i++)
        SET_STRING_ELT(ids, (R_xlen_t)i, Rf_mkCharCE(b.id[i], CE_UTF8));
#define COL(j, f)                                                                                  \
    {                                                                                              \
        SEXP c = Rf_allocVector(REALSXP, (R_xlen_t)b.n);                                           \
        SET_VECTOR_ELT(rows, j, c);                                                                \
        if (b.n > 0)                                                                               \
            memcpy(REAL(c), b.f, b.n * sizeof(double));                                            \
    }
    COL(1, origin)
    COL(2, step)
    COL(3, time)
    COL(4, actual)
    COL(5, mean)
#undef COL
    lo = Rf_allocMatrix(REALSXP, (int)b.n, (int)L);
    SET_VECTOR_ELT(rows, 6, lo);
    hi = Rf_allocMatrix(REALSXP, (int)b.n, (int)L);
    SET_VECTOR_ELT(rows, 7, hi);
    for (i = 0; i < b.n; i++)
        for (l = 0; l < L; l++) {
            REAL(lo)[l * b.n + i] = b.lo[i * (b.L + 1) + l];
            REAL(hi)[l * b.n + i] = b.hi[i * (b.L + 1) + l];
        }
    met = Rf_allocMatrix(REALSXP, XF_N_METHODS, (int)(5 + L));
    SET_VECTOR_ELT(res, 1, met);
    for (i = 0; i < XF_N_METHODS; i++) {
        const xf_metrics *x = &br.overall[i];
        REAL(met)[i + 0 * XF_N_METHODS] = x->mae;
        REAL(met)[i + 1 * XF_N_METHODS] = x->rmse;
        REAL(met)[i + 2 * XF_N_METHODS] = x->smape;
        REAL(met)[i + 3 * XF_N_METHODS] = x->mase;
        REAL(met)[i + 4 * XF_N_METHODS] = x->n;
        for (l = 0; l < L; l++)
            REAL(met)[i + (5 + l) * XF_N_METHODS] = i == XF_METHOD_MODEL ? x->coverage[l] : NA_REAL;
    }
    lev = Rf_allocVector(REALSXP, (R_xlen_t)L);
    SET_VECTOR_ELT(res, 2, lev);
    for (l = 0; l < L; l++)
        REAL(lev)[l] = br.levels[l];
    SET_VECTOR_ELT(res, 3, Rf_ScalarInteger(br.season));
    nm = PROTECT(Rf_allocVector(STRSXP, 4));
    SET_STRING_ELT(nm, 0, Rf_mkChar("rows"));
    SET_STRING_ELT(nm, 1, Rf_mkChar("metrics"));
    SET_STRING_ELT(nm, 2, Rf_mkChar("level"));
    SET_STRING_ELT(nm, 3, Rf_mkChar("season"));
    Rf_setAttrib(res, R_NamesSymbol, nm);
    rn = PROTECT(Rf_allocVector(STRSXP, 8));
    SET_STRING_ELT(rn, 0, Rf_mkChar("id"));
    SET_STRING_ELT(rn, 1, Rf_mkChar("origin"));
    SET_STRING_ELT(rn, 2, Rf_mkChar("step"));
    SET_STRING_ELT(rn, 3, Rf_mkChar("time"));
    SET_STRING_ELT(rn, 4, Rf_mkChar("actual"));
    SET_STRING_ELT(rn, 5, Rf_mkChar("mean"));
    SET_STRING_ELT(rn, 6, Rf_mkChar("lower"));
    SET_STRING_ELT(rn, 7, Rf_mkChar("upper"));
    Rf_setAttrib(rows, R_NamesSymbol, rn);
    bt_free(&b);
    xf_backtest_result_free(&br);
    UNPROTECT(3);
    return res;
}

/* ------------------------------------------------------------ store */

static SEXP rxf_store_list(SEXP dir)
{
    xf_store *s = NULL;
    xf_error err;
    char **names = NULL;
    size_t n = 0, i;
    int rc;
    SEXP res, nm, cur, pin;
    xf_error_clear(&err);
    if ((rc = xf_store_open(CHAR(STRING_ELT(dir, 0)), 0, &s, &err)) != XF_OK)
        raise_err(&err, rc);
    if ((rc = xf_store_list(s, &names, &n, &err)) != XF_OK) {
        xf_store_close(s);
        raise_err(&err, rc);
    }
    res = PROTECT(Rf_allocVector(VECSXP, 3));
    nm = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 0, nm);
    cur = Rf_allocVector(REALSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 1, cur);
    pin = Rf_allocVector(REALSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 2, pin);
    for (i = 0; i < n; i++) {
        int64_t v = 0, pv = 0;
        SET_STRING_ELT(nm, (R_xlen_t)i, Rf_mkChar(names[i]));
        REAL(cur)[i] = xf_store_current(s, names[i], &v, NULL) == XF_OK ? (double)v : NA_REAL;
        REAL(pin)
        [i] =
            xf_store_pinned(s, names[i], &pv, NULL, NULL) == XF_OK && pv > 0 ? (double)pv : NA_REAL;
    }
    xf_store_names_free(names, n);
    xf_store_close(s);
    UNPROTECT(1);
    return res;
}

/* A store entry's version as a model without encoders (attach them next). */
static SEXP rxf_store_load(SEXP dir, SEXP name, SEXP version)
{
    xf_store *s = NULL;
    xf_error err;
    rxf_model *m = calloc(1, sizeof *m);
    int rc;
    if (m == NULL)
        Rf_error("out of memory");
    xf_error_clear(&err);
    if ((rc = xf_store_open(CHAR(STRING_ELT(dir, 0)), 0, &s, &err)) == XF_OK)
        rc = xf_store_load(s, CHAR(STRING_ELT(name, 0)), (int64_t)Rf_asReal(version), &m->head,
                           &err);
    xf_store_close(s);
    if (rc != XF_OK) {
        model_free(m);
        raise_err(&err, rc);
    }
    return model_wrap(m);
}

static SEXP rxf_store_rollback(SEXP dir, SEXP name, SEXP version)
{
    xf_store *s = NULL;
    xf_error err;
    int64_t now = 0;
    int rc;
    const char *nm = CHAR(STRING_ELT(name, 0));
    xf_error_clear(&err);
    /* as `xfcast store rollback`: pinned, and the status says so */
    if ((rc = xf_store_open(CHAR(STRING_ELT(dir, 0)), 0, &s, &err)) == XF_OK)
        rc = xf_store_rollback(s, nm, (int64_t)Rf_asReal(version), NULL, &now, &err);
    xf_store_close(s);
    if (rc != XF_OK)
        raise_err(&err, rc);
    return Rf_ScalarReal((double)now);
}

/* ------------------------------------------------------------ retrain */

/* The sources of an INI file: names and encoder lists, for R to resolve. */
static SEXP rxf_sources(SEXP config)
{
    xf_source *src = NULL;
    size_t n = 0, i;
    xf_error err;
    int rc;
    SEXP res, nm, en;
    xf_error_clear(&err);
    if ((rc = xf_sources_load(CHAR(STRING_ELT(config, 0)), &src, &n, &err)) != XF_OK)
        raise_err(&err, rc);
    res = PROTECT(Rf_allocVector(VECSXP, 2));
    nm = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 0, nm);
    en = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 1, en);
    for (i = 0; i < n; i++) {
        SET_STRING_ELT(nm, (R_xlen_t)i, Rf_mkChar(src[i].name));
        SET_STRING_ELT(en, (R_xlen_t)i,
                       Rf_mkChar(src[i].encoders != NULL ? src[i].encoders : "gru-base,tcn-base"));
    }
    xf_sources_free(src, n);
    UNPROTECT(1);
    return res;
}

/* rxf_retrain(config, store, encoder paths per source (list of character), force,
 * dry_run) -> list(name, outcome, version, rows_added, mase_champion, mase_challenger,
 * message) */
static SEXP rxf_retrain(SEXP config, SEXP dir, SEXP enc_paths, SEXP force, SEXP dry_run)
{
    xf_source *src = NULL;
    xf_store *st = NULL;
    size_t n = 0, i, j;
    xf_error err;
    xf_retrain_options ro;
    xf_retrain_report *rep = NULL;
    int rc;
    SEXP res, c, nm;
    xf_error_clear(&err);
    xf_retrain_options_init(&ro);
    ro.force = Rf_asLogical(force);
    ro.dry_run = Rf_asLogical(dry_run);
    ro.n_threads = 1;
    if ((rc = xf_sources_load(CHAR(STRING_ELT(config, 0)), &src, &n, &err)) != XF_OK)
        raise_err(&err, rc);
    if ((size_t)XLENGTH(enc_paths) != n) {
        xf_sources_free(src, n);
        rxf_raise(XF_EINVAL, "one encoder list per source is needed");
    }
    if ((rc = xf_store_open(CHAR(STRING_ELT(dir, 0)), 1, &st, &err)) != XF_OK) {
        xf_sources_free(src, n);
        raise_err(&err, rc);
    }
    if ((rep = calloc(n + 1, sizeof *rep)) == NULL) {
        xf_store_close(st);
        xf_sources_free(src, n);
        Rf_error("out of memory");
    }
    for (i = 0; i < n; i++) {
        rxf_model e;
        memset(&e, 0, sizeof e);
        xf_error_clear(&err);
        rc = load_encoders(VECTOR_ELT(enc_paths, (R_xlen_t)i), &e, &err);
        if (rc == XF_OK)
            rc = xf_retrain_source(st, &src[i], e.enc, e.n_enc, &ro, &rep[i], &err);
        else
            rep[i].outcome = XF_RETRAIN_FAILED;
        if (rc != XF_OK && rep[i].message[0] == '\0')
            snprintf(rep[i].message, sizeof rep[i].message, "%s", err.message);
        if (rc != XF_OK)
            rep[i].outcome = XF_RETRAIN_FAILED;
        for (j = 0; j < e.n_enc; j++)
            xf_encoder_free(e.enc[j]);
    }
    res = PROTECT(Rf_allocVector(VECSXP, 7));
    c = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 0, c);
    for (i = 0; i < n; i++)
        SET_STRING_ELT(c, (R_xlen_t)i, Rf_mkChar(src[i].name));
    c = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 1, c);
    for (i = 0; i < n; i++)
        SET_STRING_ELT(c, (R_xlen_t)i, Rf_mkChar(xf_retrain_outcome_name(rep[i].outcome)));
    c = Rf_allocVector(REALSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 2, c);
    for (i = 0; i < n; i++)
        REAL(c)[i] = (double)rep[i].version;
    c = Rf_allocVector(REALSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 3, c);
    for (i = 0; i < n; i++)
        REAL(c)[i] = (double)rep[i].rows_added;
    c = Rf_allocVector(REALSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 4, c);
    for (i = 0; i < n; i++)
        REAL(c)[i] = rep[i].mase_champion;
    c = Rf_allocVector(REALSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 5, c);
    for (i = 0; i < n; i++)
        REAL(c)[i] = rep[i].mase_challenger;
    c = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 6, c);
    for (i = 0; i < n; i++)
        SET_STRING_ELT(c, (R_xlen_t)i, Rf_mkCharCE(rep[i].message, CE_UTF8));
    nm = PROTECT(Rf_allocVector(STRSXP, 7));
    SET_STRING_ELT(nm, 0, Rf_mkChar("source"));
    SET_STRING_ELT(nm, 1, Rf_mkChar("outcome"));
    SET_STRING_ELT(nm, 2, Rf_mkChar("version"));
    SET_STRING_ELT(nm, 3, Rf_mkChar("rows_added"));
    SET_STRING_ELT(nm, 4, Rf_mkChar("mase_champion"));
    SET_STRING_ELT(nm, 5, Rf_mkChar("mase_challenger"));
    SET_STRING_ELT(nm, 6, Rf_mkChar("message"));
    Rf_setAttrib(res, R_NamesSymbol, nm);
    free(rep);
    xf_store_close(st);
    xf_sources_free(src, n);
    UNPROTECT(2);
    return res;
}

/* ------------------------------------------------------------ CSV */

/* rxf_read_csv(path, opts) -> list(id, time, value): every series of a CSV
 * file as the command-line tool reads it, in long form (time in seconds
 * since the epoch, NA when the series has none). */
static SEXP rxf_read_csv(SEXP path, SEXP opts)
{
    xf_head_options ho;
    xf_csv_options co;
    xf_dataset *ds = NULL;
    xf_error err;
    xf_option_target t;
    SEXP names, res, id, tm, val, nm;
    size_t i, k, n = 0, r = 0;
    R_xlen_t j;
    int rc = XF_OK;
    xf_error_clear(&err);
    xf_head_options_init(&ho);
    xf_csv_options_init(&co);
    memset(&t, 0, sizeof t);
    t.head = &ho;
    t.csv = &co;
    names = Rf_getAttrib(opts, R_NamesSymbol);
    for (j = 0; j < XLENGTH(opts) && rc == XF_OK; j++) {
        const char *name = CHAR(STRING_ELT(names, j));
        const xf_option *o = xf_option_find_ini(name);
        if (o == NULL || o->where != XF_OPT_IN_CSV) {
            char msg[300];
            snprintf(msg, sizeof msg, "'%.200s' is not a CSV option (see xfcast_options())", name);
            set_err(&err, XF_EINVAL, msg);
            rc = XF_EINVAL;
        } else {
            rc = xf_option_set(o, name, CHAR(STRING_ELT(opts, j)), &t, &err);
        }
    }
    if (rc == XF_OK)
        rc = xf_dataset_read_csv(CHAR(STRING_ELT(path, 0)), &co, &ds, &err);
    if (rc != XF_OK)
        raise_err(&err, rc);
    for (i = 0; i < xf_dataset_n_series(ds); i++)
        n += xf_dataset_series_length(ds, i);
    res = PROTECT(Rf_allocVector(VECSXP, 3));
    id = Rf_allocVector(STRSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 0, id);
    tm = Rf_allocVector(REALSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 1, tm);
    val = Rf_allocVector(REALSXP, (R_xlen_t)n);
    SET_VECTOR_ELT(res, 2, val);
    for (i = 0; i < xf_dataset_n_series(ds); i++) {
        const xf_time *ts = xf_dataset_series_times(ds, i);
        const double *v = xf_dataset_series_values(ds, i);
        SEXP sid = PROTECT(Rf_mkCharCE(xf_dataset_series_id(ds, i), CE_UTF8));
        for (k = 0; k < xf_dataset_series_length(ds, i); k++, r++) {
            SET_STRING_ELT(id, (R_xlen_t)r, sid);
            REAL(tm)[r] = ts != NULL ? (double)ts[k] / 1e6 : NA_REAL;
            REAL(val)[r] = isnan(v[k]) ? NA_REAL : v[k];
        }
        UNPROTECT(1);
    }
    xf_dataset_free(ds);
    nm = PROTECT(Rf_allocVector(STRSXP, 3));
    SET_STRING_ELT(nm, 0, Rf_mkChar("id"));
    SET_STRING_ELT(nm, 1, Rf_mkChar("time"));
    SET_STRING_ELT(nm, 2, Rf_mkChar("value"));
    Rf_setAttrib(res, R_NamesSymbol, nm);
    UNPROTECT(2);
    return res;
}

/* ------------------------------------------------------------ registration */

static const R_CallMethodDef call_methods[] = {{"rxf_fit", (DL_FUNC)&rxf_fit, 7},
                                               {"rxf_forecast", (DL_FUNC)&rxf_forecast, 5},
                                               {"rxf_save", (DL_FUNC)&rxf_save, 2},
                                               {"rxf_load", (DL_FUNC)&rxf_load, 1},
                                               {"rxf_head_encoders", (DL_FUNC)&rxf_head_encoders,
                                                1},
                                               {"rxf_attach", (DL_FUNC)&rxf_attach, 2},
                                               {"rxf_update", (DL_FUNC)&rxf_update, 3},
                                               {"rxf_info", (DL_FUNC)&rxf_info, 1},
                                               {"rxf_observed", (DL_FUNC)&rxf_observed, 2},
                                               {"rxf_options", (DL_FUNC)&rxf_options, 0},
                                               {"rxf_modeldir", (DL_FUNC)&rxf_modeldir, 0},
                                               {"rxf_version", (DL_FUNC)&rxf_version, 0},
                                               {"rxf_backtest", (DL_FUNC)&rxf_backtest, 9},
                                               {"rxf_store_list", (DL_FUNC)&rxf_store_list, 1},
                                               {"rxf_store_load", (DL_FUNC)&rxf_store_load, 3},
                                               {"rxf_store_rollback", (DL_FUNC)&rxf_store_rollback,
                                                3},
                                               {"rxf_sources", (DL_FUNC)&rxf_sources, 1},
                                               {"rxf_retrain", (DL_FUNC)&rxf_retrain, 5},
                                               {"rxf_read_csv", (DL_FUNC)&rxf_read_csv, 2},
                                               {NULL, NULL, 0}};

void R_init_xfcast(DllInfo *dll);
void R_init_xfcast(DllInfo *dll)
{
    /* BLAS on one thread, as the command-line tool runs it: OpenBLAS's
     * threaded kernels may sum in another order, and the forecasts would
     * then differ from the CLI's in the last digits */
    xf_blas_set_threads(1);
    R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
}
