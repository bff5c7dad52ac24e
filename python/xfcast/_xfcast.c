/* _xfcast.c - the CPython extension module behind the xfcast package.
 *
 * A thin layer over the public API of libxfcast (include/xfcast.h only):
 * panels built from numpy arrays (no copy on the way in when the arrays are
 * float64 / int64 and contiguous; the library copies them into the panel),
 * the CSV reader returning read-only arrays that share the dataset's memory,
 * heads (fit, zero-shot, load, save, forecast, exact update), backtests, the
 * model store and retraining.  The pandas side (DataFrames in and out, the
 * Forecaster class) is python/xfcast/__init__.py.
 *
 * The GIL is released around every call that computes (reading CSV, fitting,
 * forecasting, updating, backtesting, retraining).  A head may forecast from
 * several threads at once (the library allows it: each call has its own
 * workspace); changing it (update, set_levels) while another thread uses it
 * raises RuntimeError instead of racing.
 *
 * Errors raise xfcast.Error subclasses carrying .status (the XF_E* code),
 * .status_name and the library's message.
 *
 * Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xfcast.h>

/* Run one statement without the GIL. */
#define XF_NOGIL(stmt)                                                                             \
    do {                                                                                           \
        Py_BEGIN_ALLOW_THREADS stmt;                                                               \
        Py_END_ALLOW_THREADS                                                                       \
    } while (0)

#ifndef XF_MODELDIR
#define XF_MODELDIR ""
#endif
#ifndef XF_SRC_MODELDIR
#define XF_SRC_MODELDIR ""
#endif

/* ------------------------------------------------------------ errors */

#define N_CODES 11 /* XF_OK .. -XF_EBUSY */
static PyObject *Error, *OptionError, *exc_by_code[N_CODES];

/* Raise the xfcast.Error subclass of status rc with err's message,
 * prefixed by `what` (may be NULL).  Returns NULL. */
static PyObject *raise_xf(int rc, const xf_error *err, const char *what)
{
    PyObject *cls = (rc < 0 && -rc < N_CODES && exc_by_code[-rc]) ? exc_by_code[-rc] : Error;
    const char *msg = err != NULL && err->message[0] ? err->message : xf_strerror(rc);
    PyObject *text, *e;
    text = what != NULL ? PyUnicode_FromFormat("%s: %s", what, msg) : PyUnicode_FromString(msg);
    if (text == NULL)
        return NULL;
    e = PyObject_CallOneArg(cls, text);
    if (e != NULL) {
        PyObject *st = PyLong_FromLong(rc);
        if (st == NULL || PyObject_SetAttrString(e, "status", st) < 0 ||
            PyObject_SetAttrString(e, "message", text) < 0) {
            Py_XDECREF(st);
            Py_DECREF(e);
            Py_DECREF(text);
            return NULL;
        }
        Py_DECREF(st);
        PyErr_SetObject(cls, e);
        Py_DECREF(e);
    }
    Py_DECREF(text);
    return NULL;
}

/* Same, for an option: xfcast.OptionError (a subclass of the EINVAL one). */
static PyObject *raise_option(const xf_error *err, const char *text)
{
    PyObject *m = PyUnicode_FromString(text != NULL  ? text
                                       : err != NULL ? err->message
                                                     : "bad option"),
             *e;
    if (m == NULL)
        return NULL;
    e = PyObject_CallOneArg(OptionError, m);
    if (e != NULL) {
        PyObject *st = PyLong_FromLong(XF_EINVAL);
        if (st != NULL) {
            PyObject_SetAttrString(e, "status", st);
            PyObject_SetAttrString(e, "message", m);
            Py_DECREF(st);
        }
        PyErr_SetObject(OptionError, e);
        Py_DECREF(e);
    }
    Py_DECREF(m);
    return NULL;
}

/* ------------------------------------------------------------ options */

static const char *type_name(xf_option_type t)
{
    static const char *const names[] = {"int",  "double", "flag", "enum",   "char",
                                        "text", "freq",   "list", "levels", "path"};
    return (unsigned)t < sizeof names / sizeof *names ? names[t] : "?";
}

static int dict_set_str(PyObject *d, const char *k, const char *v)
{
    PyObject *o;
    int rc;
    if (v == NULL)
        return PyDict_SetItemString(d, k, Py_None);
    if ((o = PyUnicode_FromString(v)) == NULL)
        return -1;
    rc = PyDict_SetItemString(d, k, o);
    Py_DECREF(o);
    return rc;
}

static int dict_set_obj(PyObject *d, const char *k, PyObject *o)
{
    int rc;
    if (o == NULL)
        return -1;
    rc = PyDict_SetItemString(d, k, o);
    Py_DECREF(o);
    return rc;
}

static PyObject *py_options(PyObject *self, PyObject *noargs)
{
    size_t n, i, j;
    const xf_option *t = xf_options(&n);
    PyObject *list = PyList_New(0);
    (void)self;
    (void)noargs;
    if (list == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        const xf_option *o = &t[i];
        PyObject *d = PyDict_New(), *ch = PyList_New(0);
        static const char *const where[] = {"head", "csv", "source"};
        if (d == NULL || ch == NULL)
            goto fail_item;
        for (j = 0; o->type == XF_OPT_ENUM && o->choices[j].name != NULL; j++) {
            PyObject *s = PyUnicode_FromString(o->choices[j].name);
            if (s == NULL || PyList_Append(ch, s) < 0) {
                Py_XDECREF(s);
                goto fail_item;
            }
            Py_DECREF(s);
        }
        if (dict_set_str(d, "name", o->name) < 0 || dict_set_str(d, "type", type_name(o->type)) ||
            dict_set_str(d, "where", where[o->where]) < 0 || dict_set_str(d, "default", o->dflt) ||
            dict_set_str(d, "help", o->help) < 0 || dict_set_str(d, "group", o->help_group) ||
            dict_set_str(d, "head_key", o->head_key) < 0 ||
            dict_set_str(d, "off_name", o->off_name) < 0 ||
            dict_set_obj(d, "cli_only", PyBool_FromLong(o->flags & XF_OPT_CLI_ONLY)) < 0 ||
            dict_set_obj(d, "ini_only", PyBool_FromLong(o->flags & XF_OPT_INI_ONLY)) < 0 ||
            PyDict_SetItemString(d, "choices", ch) < 0 || PyList_Append(list, d) < 0)
            goto fail_item;
        Py_DECREF(ch);
        Py_DECREF(d);
        continue;
    fail_item:
        Py_XDECREF(ch);
        Py_XDECREF(d);
        Py_DECREF(list);
        return NULL;
    }
    return list;
}

/* Apply a {INI name: text} dict to the head and/or CSV options.  `kinds`
 * says which structures may be set ("head", "csv"); an option of another
 * kind is an OptionError naming where it belongs.  The dict's strings must
 * outlive the options (CSV strings are borrowed).  Python names (with '_')
 * are given in messages: the dict maps INI names to (python name, text). */
static int apply_options(PyObject *opts, xf_head_options *head, xf_csv_options *csv)
{
    PyObject *key, *val;
    Py_ssize_t pos = 0;
    xf_option_target t;
    memset(&t, 0, sizeof t);
    t.head = head;
    t.csv = csv;
    if (opts == NULL || opts == Py_None)
        return 0;
    if (!PyDict_Check(opts)) {
        PyErr_SetString(PyExc_TypeError, "options must be a dict");
        return -1;
    }
    while (PyDict_Next(opts, &pos, &key, &val)) {
        const char *name, *as, *text;
        const xf_option *o;
        xf_error err;
        char msg[700];
        if (!PyUnicode_Check(key) || !PyTuple_Check(val) || PyTuple_GET_SIZE(val) != 2) {
            PyErr_SetString(PyExc_TypeError, "options: {name: (python name, text)}");
            return -1;
        }
        name = PyUnicode_AsUTF8(key);
        as = PyUnicode_AsUTF8(PyTuple_GET_ITEM(val, 0));
        text = PyUnicode_AsUTF8(PyTuple_GET_ITEM(val, 1));
        if (name == NULL || as == NULL || text == NULL)
            return -1;
        /* INI keys, and the command-line-only ones (threads) by their long name */
        snprintf(msg, sizeof msg, "--%s", name);
        o = xf_option_find_ini(name);
        if (o == NULL && (o = xf_option_find_cli(msg, &(int){0})) == NULL) {
            snprintf(msg, sizeof msg, "unknown option '%s' (xfcast.options() lists them)", as);
            raise_option(NULL, msg);
            return -1;
        }
        if ((o->where == XF_OPT_IN_HEAD && head == NULL) ||
            (o->where == XF_OPT_IN_CSV && csv == NULL) || o->where == XF_OPT_IN_SOURCE) {
            snprintf(msg, sizeof msg, "'%s' is %s here", as,
                     o->where == XF_OPT_IN_CSV    ? "a CSV reader option (xfcast.read_csv), not "
                                                    "a model option"
                     : o->where == XF_OPT_IN_HEAD ? "a model option (xfcast.Forecaster), not "
                                                    "a CSV reader option"
                                                  : "not an option (a keyword argument of its "
                                                    "own: encoders=, covariates=)");
            raise_option(NULL, msg);
            return -1;
        }
        if (xf_option_set(o, as, text, &t, &err) != XF_OK) {
            raise_option(&err, NULL);
            return -1;
        }
    }
    return 0;
}

static int cpu_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* Options for a head: the defaults of `xfcast fit` (threads: the CPUs, at
 * most 8), then the given ones. */
static int head_options(PyObject *opts, xf_head_options *h)
{
    xf_head_options_init(h);
    h->n_threads = cpu_threads();
    return apply_options(opts, h, NULL);
}

static PyObject *py_check_options(PyObject *self, PyObject *args)
{
    PyObject *opts;
    const char *kind;
    xf_head_options h;
    xf_csv_options c;
    (void)self;
    if (!PyArg_ParseTuple(args, "Os", &opts, &kind))
        return NULL;
    xf_head_options_init(&h);
    xf_csv_options_init(&c);
    if (apply_options(opts, strcmp(kind, "csv") == 0 ? NULL : &h,
                      strcmp(kind, "head") == 0 ? NULL : &c) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------ frequencies */

static PyObject *freq_tuple(xf_freq f)
{
    return Py_BuildValue("(iLi)", (int)f.kind, (long long)f.step, (int)f.month_end);
}

static int freq_from(PyObject *o, xf_freq *f)
{
    int kind = 0, me = 0;
    long long step = 0;
    memset(f, 0, sizeof *f);
    if (o == Py_None)
        return 0;
    if (!PyArg_ParseTuple(o, "iLi", &kind, &step, &me))
        return -1;
    if (kind < XF_FREQ_UNKNOWN || kind > XF_FREQ_MONTH || (kind != 0 && step <= 0)) {
        PyErr_SetString(PyExc_ValueError, "bad frequency tuple");
        return -1;
    }
    f->kind = (xf_freq_kind)kind;
    f->step = step;
    f->month_end = me;
    return 0;
}

static PyObject *py_freq_parse(PyObject *self, PyObject *args)
{
    const char *text;
    xf_freq f;
    xf_error err;
    int rc;
    (void)self;
    if (!PyArg_ParseTuple(args, "s", &text))
        return NULL;
    if ((rc = xf_freq_parse(text, &f, &err)) != XF_OK)
        return raise_xf(rc, &err, NULL);
    return freq_tuple(f);
}

static PyObject *py_freq_format(PyObject *self, PyObject *args)
{
    PyObject *o;
    xf_freq f;
    char buf[64];
    (void)self;
    if (!PyArg_ParseTuple(args, "O", &o) || freq_from(o, &f) < 0)
        return NULL;
    xf_freq_format(f, buf, sizeof buf);
    return PyUnicode_FromString(buf);
}

/* The n timestamps of a grid from t0 (int64 array). */
static PyObject *py_freq_grid(PyObject *self, PyObject *args)
{
    PyObject *o;
    xf_freq f;
    long long t0;
    Py_ssize_t n, k;
    npy_intp dim;
    PyArrayObject *a;
    int64_t *p;
    (void)self;
    if (!PyArg_ParseTuple(args, "OLn", &o, &t0, &n) || freq_from(o, &f) < 0)
        return NULL;
    if (f.kind == XF_FREQ_UNKNOWN || n < 0) {
        PyErr_SetString(PyExc_ValueError, "freq_grid needs a frequency and n >= 0");
        return NULL;
    }
    dim = n;
    if ((a = (PyArrayObject *)PyArray_SimpleNew(1, &dim, NPY_INT64)) == NULL)
        return NULL;
    p = PyArray_DATA(a);
    for (k = 0; k < n; k++)
        if (xf_freq_advance(f, (xf_time)t0, k, &p[k]) != XF_OK) {
            Py_DECREF(a);
            PyErr_SetString(PyExc_OverflowError, "the grid leaves the supported years");
            return NULL;
        }
    return (PyObject *)a;
}

/* Steps from a to b on the grid of f, or None when b is off the grid. */
static PyObject *py_freq_steps(PyObject *self, PyObject *args)
{
    PyObject *o;
    xf_freq f;
    long long a, b;
    int64_t k;
    (void)self;
    if (!PyArg_ParseTuple(args, "OLL", &o, &a, &b) || freq_from(o, &f) < 0)
        return NULL;
    if (f.kind == XF_FREQ_UNKNOWN || xf_freq_steps_between(f, a, b, &k) != XF_OK)
        Py_RETURN_NONE;
    return PyLong_FromLongLong(k);
}

/* ------------------------------------------------------------ CSV reader */

static void dataset_capsule_free(PyObject *cap)
{
    xf_dataset_free(PyCapsule_GetPointer(cap, "xfcast.dataset"));
}

/* A read-only 1-D array over n items of the dataset's memory. */
static PyObject *shared_array(PyObject *cap, const void *data, size_t n, int type)
{
    npy_intp dim = (npy_intp)n;
    PyArrayObject *a;
    a = (PyArrayObject *)PyArray_SimpleNewFromData(1, &dim, type, (void *)(uintptr_t)data);
    if (a == NULL)
        return NULL;
    Py_INCREF(cap);
    if (PyArray_SetBaseObject(a, cap) < 0) {
        Py_DECREF(a);
        return NULL;
    }
    PyArray_CLEARFLAGS(a, NPY_ARRAY_WRITEABLE);
    return (PyObject *)a;
}

static PyObject *py_read_csv(PyObject *self, PyObject *args)
{
    const char *path;
    PyObject *opts, *cap = NULL, *series = NULL, *notes = NULL, *out = NULL;
    xf_csv_options co;
    xf_dataset *ds = NULL;
    xf_error err;
    size_t i;
    int rc;
    char delim[2];
    (void)self;
    if (!PyArg_ParseTuple(args, "sO", &path, &opts))
        return NULL;
    xf_csv_options_init(&co);
    if (apply_options(opts, NULL, &co) < 0)
        return NULL;
    XF_NOGIL(rc = xf_dataset_read_csv(path, &co, &ds, &err));
    if (rc != XF_OK)
        return raise_xf(rc, &err, NULL);
    if ((cap = PyCapsule_New(ds, "xfcast.dataset", dataset_capsule_free)) == NULL) {
        xf_dataset_free(ds);
        return NULL;
    }
    if ((series = PyList_New(0)) == NULL || (notes = PyList_New(0)) == NULL)
        goto done;
    for (i = 0; i < xf_dataset_n_series(ds); i++) {
        size_t n = xf_dataset_series_length(ds, i);
        const xf_series_stats *st = xf_dataset_series_stats(ds, i);
        PyObject *t = shared_array(cap, xf_dataset_series_times(ds, i), n, NPY_INT64);
        PyObject *v = t ? shared_array(cap, xf_dataset_series_values(ds, i), n, NPY_DOUBLE) : NULL;
        PyObject *f = v ? freq_tuple(xf_dataset_series_freq(ds, i)) : NULL;
        PyObject *item = NULL;
        if (f != NULL)
            item = Py_BuildValue("{s:s,s:s,s:z,s:O,s:O,s:O,s:{s:L,s:L,s:L,s:L,s:L,s:L}}", "id",
                                 xf_dataset_series_id(ds, i), "column",
                                 xf_dataset_series_column(ds, i), "group",
                                 xf_dataset_series_group(ds, i), "freq", f, "times", t, "values", v,
                                 "stats", "rows", (long long)st->n_rows, "missing",
                                 (long long)st->n_missing, "gaps", (long long)st->n_gaps,
                                 "duplicates", (long long)st->n_duplicates, "interpolated",
                                 (long long)st->n_interpolated, "first_line",
                                 (long long)st->first_line);
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(f);
        if (item == NULL || PyList_Append(series, item) < 0) {
            Py_XDECREF(item);
            goto done;
        }
        Py_DECREF(item);
    }
    for (i = 0; i < xf_dataset_n_notes(ds); i++) {
        PyObject *s = PyUnicode_FromString(xf_dataset_note(ds, i));
        if (s == NULL || PyList_Append(notes, s) < 0) {
            Py_XDECREF(s);
            goto done;
        }
        Py_DECREF(s);
    }
    delim[0] = xf_dataset_delimiter(ds);
    delim[1] = '\0';
    out = Py_BuildValue("{s:O,s:O,s:z,s:z,s:s,s:L}", "series", series, "notes", notes, "tz",
                        xf_dataset_tz(ds), "time_column", xf_dataset_time_column(ds), "delimiter",
                        delim, "rows", (long long)xf_dataset_n_rows(ds));
done:
    Py_XDECREF(series);
    Py_XDECREF(notes);
    Py_XDECREF(cap);
    return out;
}

/* ------------------------------------------------------------ panels */

typedef struct {
    PyObject_HEAD xf_panel *p;
    int users; /* calls that read it with the GIL released */
} PanelObject;

static PyTypeObject PanelType;

static int panel_init(PanelObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"covariates", "tz", NULL};
    PyObject *covs = NULL, *seq = NULL;
    const char *tz = NULL, **names = NULL;
    Py_ssize_t n = 0, j;
    xf_error err;
    int rc;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|Oz", kwlist, &covs, &tz))
        return -1;
    if (self->p != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "panel already initialised");
        return -1;
    }
    if (covs != NULL && covs != Py_None) {
        if ((seq = PySequence_Fast(covs, "covariates must be a sequence of str")) == NULL)
            return -1;
        n = PySequence_Fast_GET_SIZE(seq);
        if ((names = calloc((size_t)n + 1, sizeof *names)) == NULL) {
            Py_DECREF(seq);
            PyErr_NoMemory();
            return -1;
        }
        for (j = 0; j < n; j++)
            if ((names[j] = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(seq, j))) == NULL) {
                free(names);
                Py_DECREF(seq);
                return -1;
            }
    }
    rc = xf_panel_new(names, (size_t)n, &self->p, &err);
    free(names);
    Py_XDECREF(seq);
    if (rc != XF_OK) {
        raise_xf(rc, &err, NULL);
        return -1;
    }
    if (tz != NULL && tz[0] != '\0' && (rc = xf_panel_set_tz(self->p, tz, &err)) != XF_OK) {
        raise_xf(rc, &err, NULL);
        return -1;
    }
    return 0;
}

static void panel_dealloc(PanelObject *self)
{
    xf_panel_free(self->p);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int panel_ready(PanelObject *self, int write)
{
    if (self->p == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "panel not initialised");
        return -1;
    }
    if (write && self->users > 0) {
        PyErr_SetString(PyExc_RuntimeError, "panel in use by another thread");
        return -1;
    }
    return 0;
}

/* add(id, values, times=None, freq=None, covariates=None, start=None) */
static PyObject *panel_add(PanelObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"id", "values", "times", "freq", "covariates", "start", NULL};
    const char *id;
    PyObject *vo, *to = Py_None, *fo = Py_None, *co = Py_None, *so = Py_None, *ret = NULL;
    PyArrayObject *v = NULL, *t = NULL, **c = NULL;
    const double **cp = NULL;
    xf_time *grid = NULL;
    const xf_time *tp = NULL;
    size_t n, nc, j;
    xf_freq f;
    xf_error err;
    int rc;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "sO|OOOO", kwlist, &id, &vo, &to, &fo, &co, &so) ||
        panel_ready(self, 1) < 0 || freq_from(fo, &f) < 0)
        return NULL;
    nc = xf_panel_n_covariates(self->p);
    v = (PyArrayObject *)PyArray_FROMANY(vo, NPY_DOUBLE, 1, 1, NPY_ARRAY_IN_ARRAY);
    if (v == NULL)
        return NULL;
    n = (size_t)PyArray_DIM(v, 0);
    if (to != Py_None) {
        t = (PyArrayObject *)PyArray_FROMANY(to, NPY_INT64, 1, 1, NPY_ARRAY_IN_ARRAY);
        if (t == NULL)
            goto done;
        if ((size_t)PyArray_DIM(t, 0) != n) {
            PyErr_Format(PyExc_ValueError, "series '%s': %zu values but %zd timestamps", id, n,
                         PyArray_DIM(t, 0));
            goto done;
        }
        tp = PyArray_DATA(t);
    } else if (so != Py_None) {
        long long t0 = PyLong_AsLongLong(so);
        size_t k;
        if (t0 == -1 && PyErr_Occurred())
            goto done;
        if (f.kind == XF_FREQ_UNKNOWN) {
            PyErr_SetString(PyExc_ValueError, "a start time needs a frequency");
            goto done;
        }
        if ((grid = malloc((n + 1) * sizeof *grid)) == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (k = 0; k < n; k++)
            if (xf_freq_advance(f, t0, (int64_t)k, &grid[k]) != XF_OK) {
                PyErr_Format(PyExc_OverflowError,
                             "series '%s': its timestamps leave the supported years", id);
                goto done;
            }
        tp = grid;
    }
    if (nc > 0) {
        PyObject *seq;
        if (co == Py_None) {
            PyErr_Format(PyExc_ValueError, "series '%s': the panel has %zu covariates", id, nc);
            goto done;
        }
        if ((seq = PySequence_Fast(co, "covariates must be a sequence of arrays")) == NULL)
            goto done;
        if ((size_t)PySequence_Fast_GET_SIZE(seq) != nc) {
            PyErr_Format(PyExc_ValueError, "series '%s': %zd covariate arrays for %zu covariates",
                         id, PySequence_Fast_GET_SIZE(seq), nc);
            Py_DECREF(seq);
            goto done;
        }
        c = calloc(nc, sizeof *c);
        cp = calloc(nc, sizeof *cp);
        if (c == NULL || cp == NULL) {
            Py_DECREF(seq);
            PyErr_NoMemory();
            goto done;
        }
        for (j = 0; j < nc; j++) {
            c[j] = (PyArrayObject *)PyArray_FROMANY(PySequence_Fast_GET_ITEM(seq, j), NPY_DOUBLE, 1,
                                                    1, NPY_ARRAY_IN_ARRAY);
            if (c[j] == NULL || (size_t)PyArray_DIM(c[j], 0) != n) {
                if (c[j] != NULL)
                    PyErr_Format(PyExc_ValueError,
                                 "series '%s': covariate %zu has %zd values, the series %zu", id, j,
                                 PyArray_DIM(c[j], 0), n);
                Py_DECREF(seq);
                goto done;
            }
            cp[j] = PyArray_DATA(c[j]);
        }
        Py_DECREF(seq);
    }
    rc = xf_panel_add_series(self->p, id, n, tp, f, PyArray_DATA(v), nc ? cp : NULL, &err);
    if (rc != XF_OK) {
        raise_xf(rc, &err, id);
        goto done;
    }
    ret = Py_None;
    Py_INCREF(ret);
done:
    if (c != NULL)
        for (j = 0; j < nc; j++)
            Py_XDECREF(c[j]);
    free(c);
    free(cp);
    free(grid);
    Py_XDECREF(t);
    Py_DECREF(v);
    return ret;
}

static PyObject *panel_load_holidays(PanelObject *self, PyObject *args)
{
    const char *path;
    xf_error err;
    int rc;
    if (!PyArg_ParseTuple(args, "s", &path) || panel_ready(self, 1) < 0)
        return NULL;
    if ((rc = xf_panel_load_holidays(self->p, path, &err)) != XF_OK)
        return raise_xf(rc, &err, NULL);
    Py_RETURN_NONE;
}

static PyObject *panel_series(PanelObject *self, PyObject *args)
{
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "n", &i) || panel_ready(self, 0) < 0)
        return NULL;
    if (i < 0 || (size_t)i >= xf_panel_n_series(self->p)) {
        PyErr_SetString(PyExc_IndexError, "series index out of range");
        return NULL;
    }
    return Py_BuildValue("{s:s,s:n,s:n}", "id", xf_panel_series_id(self->p, (size_t)i), "length",
                         (Py_ssize_t)xf_panel_series_length(self->p, (size_t)i), "observed",
                         (Py_ssize_t)xf_panel_series_observed(self->p, (size_t)i));
}

static Py_ssize_t panel_len(PanelObject *self)
{
    return self->p != NULL ? (Py_ssize_t)xf_panel_n_series(self->p) : 0;
}

static PyMethodDef panel_methods[] = {
    {"add", (PyCFunction)(void (*)(void))panel_add, METH_VARARGS | METH_KEYWORDS,
     "add(id, values, times=None, freq=None, covariates=None, start=None): append a series"},
    {"load_holidays", (PyCFunction)panel_load_holidays, METH_VARARGS,
     "load_holidays(path): the panel's holiday calendar from a file"},
    {"series", (PyCFunction)panel_series, METH_VARARGS,
     "series(i) -> {'id', 'length', 'observed'}"},
    {NULL, NULL, 0, NULL}};

static PySequenceMethods panel_as_seq = {.sq_length = (lenfunc)panel_len};

static PyTypeObject PanelType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "xfcast._xfcast.Panel",
    .tp_basicsize = sizeof(PanelObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Panel(covariates=(), tz=None): series with their future-known covariates "
              "(xf_panel)",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)panel_init,
    .tp_dealloc = (destructor)panel_dealloc,
    .tp_methods = panel_methods,
    .tp_as_sequence = &panel_as_seq,
};

static PanelObject *as_panel(PyObject *o)
{
    if (!PyObject_TypeCheck(o, &PanelType)) {
        PyErr_SetString(PyExc_TypeError, "expected a Panel");
        return NULL;
    }
    if (panel_ready((PanelObject *)o, 0) < 0)
        return NULL;
    return (PanelObject *)o;
}

/* ------------------------------------------------------------ encoders */

/* Load the encoder files at the given paths (a sequence of str) into enc[]. */
static int load_encoders(PyObject *paths, xf_encoder **enc, size_t *n_enc)
{
    PyObject *seq = PySequence_Fast(paths, "encoders must be a sequence of paths");
    Py_ssize_t i, n;
    *n_enc = 0;
    if (seq == NULL)
        return -1;
    n = PySequence_Fast_GET_SIZE(seq);
    if (n > XF_MAX_ENCODERS) {
        PyErr_Format(PyExc_ValueError, "at most %d encoders", XF_MAX_ENCODERS);
        Py_DECREF(seq);
        return -1;
    }
    for (i = 0; i < n; i++) {
        const char *p = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(seq, i));
        xf_error err;
        int rc;
        if (p == NULL)
            goto fail;
        XF_NOGIL(rc = xf_encoder_load(p, &enc[*n_enc], &err));
        if (rc != XF_OK) {
            raise_xf(rc, &err, NULL);
            goto fail;
        }
        (*n_enc)++;
    }
    Py_DECREF(seq);
    return 0;
fail:
    while (*n_enc > 0)
        xf_encoder_free(enc[--*n_enc]);
    Py_DECREF(seq);
    return -1;
}

/* ------------------------------------------------------------ heads */

typedef struct {
    PyObject_HEAD xf_head *h;
    xf_encoder *enc[XF_MAX_ENCODERS];
    size_t n_enc;
    int attached; /* encoders given to the head */
    int readers;  /* calls reading it with the GIL released */
    int writing;  /* a call changing it with the GIL released */
} HeadObject;

static PyTypeObject HeadType;

static void head_dealloc(HeadObject *self)
{
    size_t i;
    xf_head_free(self->h);
    for (i = 0; i < self->n_enc; i++)
        xf_encoder_free(self->enc[i]);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static HeadObject *head_wrap(xf_head *h, xf_encoder **enc, size_t n_enc, int attached)
{
    HeadObject *o = PyObject_New(HeadObject, &HeadType);
    size_t i;
    if (o == NULL) {
        xf_head_free(h);
        for (i = 0; i < n_enc; i++)
            xf_encoder_free(enc[i]);
        return NULL;
    }
    o->h = h;
    o->n_enc = n_enc;
    for (i = 0; i < n_enc; i++)
        o->enc[i] = enc[i];
    o->attached = attached;
    o->readers = 0;
    o->writing = 0;
    return o;
}

static int head_check(HeadObject *self, int write, int need_encoders)
{
    if (self->writing || (write && self->readers > 0)) {
        PyErr_SetString(PyExc_RuntimeError, "the head is in use by another thread");
        return -1;
    }
    if (need_encoders && !self->attached) {
        PyErr_SetString(PyExc_RuntimeError, "the head has no encoders: call attach() first");
        return -1;
    }
    return 0;
}

/* fit(panel, encoder_paths, options, explicit_encoders, domain_auto, source) */
static PyObject *py_fit(PyObject *self, PyObject *args)
{
    PyObject *po, *paths, *opts;
    int expl, dauto, rc;
    const char *source = NULL;
    PanelObject *p;
    xf_head_options ho;
    xf_encoder *enc[XF_MAX_ENCODERS];
    size_t n_enc = 0, i;
    xf_head *h = NULL;
    xf_error err;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOOppz", &po, &paths, &opts, &expl, &dauto, &source) ||
        (p = as_panel(po)) == NULL || head_options(opts, &ho) < 0)
        return NULL;
    if (xf_panel_n_series(p->p) == 0) {
        PyErr_SetString(PyExc_ValueError, "no series to fit on");
        return NULL;
    }
    if (load_encoders(paths, enc, &n_enc) < 0)
        return NULL;
    /* as `xfcast fit`: encoders named are used; the default ones are kept
     * only when they win on the held-out origins */
    if (expl && n_enc > 0)
        ho.embedding = 1;
    if (n_enc == 0)
        ho.embedding = 0;
    if (dauto)
        ho.domain =
            xf_domain_suggest(xf_panel_series_values(p->p, 0), xf_panel_series_length(p->p, 0),
                              xf_panel_series_freq(p->p, 0), xf_panel_series_id(p->p, 0), NULL, 0);
    ho.source = source;
    p->users++;
    XF_NOGIL(rc = xf_head_fit(p->p, enc, n_enc, &ho, &h, &err));
    p->users--;
    if (rc != XF_OK) {
        for (i = 0; i < n_enc; i++)
            xf_encoder_free(enc[i]);
        return raise_xf(rc, &err, NULL);
    }
    return (PyObject *)head_wrap(h, enc, n_enc, 1);
}

/* zero_shot(panel, encoder_path, options) */
static PyObject *py_zero_shot(PyObject *self, PyObject *args)
{
    PyObject *po, *opts;
    const char *path;
    PanelObject *p;
    xf_head_options ho;
    xf_encoder *enc = NULL;
    xf_head *h = NULL;
    xf_error err;
    int rc;
    (void)self;
    if (!PyArg_ParseTuple(args, "OsO", &po, &path, &opts) || (p = as_panel(po)) == NULL ||
        head_options(opts, &ho) < 0)
        return NULL;
    XF_NOGIL(rc = xf_encoder_load(path, &enc, &err));
    if (rc != XF_OK)
        return raise_xf(rc, &err, NULL);
    p->users++;
    XF_NOGIL(rc = xf_head_zeroshot(p->p, enc, &ho, &h, &err));
    p->users--;
    if (rc != XF_OK) {
        xf_encoder_free(enc);
        return raise_xf(rc, &err, NULL);
    }
    return (PyObject *)head_wrap(h, &enc, 1, 1);
}

static PyObject *py_load_head(PyObject *self, PyObject *args)
{
    const char *path;
    xf_head *h = NULL;
    xf_error err;
    int rc, statistics = 1;
    (void)self;
    if (!PyArg_ParseTuple(args, "s|p", &path, &statistics))
        return NULL;
    XF_NOGIL(rc = xf_head_load_ex(path, statistics ? 0u : XF_HEAD_LOAD_NO_STATS, &h, &err));
    if (rc != XF_OK)
        return raise_xf(rc, &err, NULL);
    return (PyObject *)head_wrap(h, NULL, 0, 0);
}

static PyObject *head_attach(HeadObject *self, PyObject *args)
{
    PyObject *paths;
    xf_encoder *enc[XF_MAX_ENCODERS];
    size_t n = 0, i;
    xf_error err;
    int rc;
    if (!PyArg_ParseTuple(args, "O", &paths) || head_check(self, 1, 0) < 0 ||
        load_encoders(paths, enc, &n) < 0)
        return NULL;
    if ((rc = xf_head_attach_encoders(self->h, enc, n, &err)) != XF_OK) {
        for (i = 0; i < n; i++)
            xf_encoder_free(enc[i]);
        return raise_xf(rc, &err, NULL);
    }
    for (i = 0; i < self->n_enc; i++)
        xf_encoder_free(self->enc[i]);
    for (i = 0; i < n; i++)
        self->enc[i] = enc[i];
    self->n_enc = n;
    self->attached = 1;
    Py_RETURN_NONE;
}

static PyObject *head_save(HeadObject *self, PyObject *args)
{
    const char *path;
    xf_error err;
    int rc;
    if (!PyArg_ParseTuple(args, "s", &path) || head_check(self, 0, 0) < 0)
        return NULL;
    self->readers++;
    XF_NOGIL(rc = xf_head_save(self->h, path, &err));
    self->readers--;
    if (rc != XF_OK)
        return raise_xf(rc, &err, NULL);
    Py_RETURN_NONE;
}

/* record_csv(options): the data spec (how the CSV was read) kept in the head */
static PyObject *head_record_csv(HeadObject *self, PyObject *args)
{
    PyObject *opts;
    xf_csv_options co;
    xf_error err;
    int rc;
    if (!PyArg_ParseTuple(args, "O", &opts) || head_check(self, 1, 0) < 0)
        return NULL;
    xf_csv_options_init(&co);
    if (apply_options(opts, NULL, &co) < 0)
        return NULL;
    if ((rc = xf_head_record_csv_options(self->h, &co, NULL, &err)) != XF_OK)
        return raise_xf(rc, &err, NULL);
    Py_RETURN_NONE;
}

/* The head's data spec as {option name: text} (empty for a head without one). */
static PyObject *head_csv_spec(HeadObject *self, PyObject *noargs)
{
    xf_csv_options co;
    xf_option_target t;
    xf_error err;
    size_t n, i;
    const xf_option *tab = xf_options(&n);
    PyObject *d;
    int rc;
    (void)noargs;
    xf_csv_options_init(&co);
    rc = xf_head_csv_options(self->h, &co, &err);
    if ((d = PyDict_New()) == NULL)
        return NULL;
    if (rc == XF_ENOTFOUND)
        return d;
    if (rc != XF_OK) {
        Py_DECREF(d);
        return raise_xf(rc, &err, NULL);
    }
    memset(&t, 0, sizeof t);
    t.csv = &co;
    for (i = 0; i < n; i++) {
        char buf[1024];
        if (tab[i].where != XF_OPT_IN_CSV || tab[i].head_key == NULL)
            continue;
        xf_option_format(&tab[i], &t, buf, sizeof buf);
        if (buf[0] != '\0' && dict_set_str(d, tab[i].name, buf) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

static PyObject *meta_dict(const xf_xfm *m)
{
    PyObject *d = PyDict_New();
    size_t i, k;
    if (d == NULL)
        return NULL;
    for (i = 0; i < xf_xfm_n_meta(m); i++) {
        const char *key = xf_xfm_meta_key(m, i);
        PyObject *v = NULL;
        uint32_t u;
        int64_t l;
        double x;
        const char *s;
        const int64_t *la;
        const double *da;
        size_t n;
        switch (xf_xfm_meta_type(m, i)) {
        case XF_XFM_TYPE_U32:
            if (xf_xfm_get_u32(m, key, &u, NULL) == XF_OK)
                v = PyLong_FromUnsignedLong(u);
            break;
        case XF_XFM_TYPE_I64:
            if (xf_xfm_get_i64(m, key, &l, NULL) == XF_OK)
                v = PyLong_FromLongLong(l);
            break;
        case XF_XFM_TYPE_F64:
            if (xf_xfm_get_f64(m, key, &x, NULL) == XF_OK)
                v = PyFloat_FromDouble(x);
            break;
        case XF_XFM_TYPE_STR:
            if (xf_xfm_get_str(m, key, &s, NULL) == XF_OK)
                v = PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
            break;
        case XF_XFM_TYPE_I64_ARRAY:
            if (xf_xfm_get_i64_array(m, key, &la, &n, NULL) == XF_OK && (v = PyList_New(0)))
                for (k = 0; k < n; k++) {
                    PyObject *e = PyLong_FromLongLong(la[k]);
                    if (e == NULL || PyList_Append(v, e) < 0)
                        Py_CLEAR(v);
                    Py_XDECREF(e);
                    if (v == NULL)
                        break;
                }
            break;
        case XF_XFM_TYPE_F64_ARRAY:
            if (xf_xfm_get_f64_array(m, key, &da, &n, NULL) == XF_OK && (v = PyList_New(0)))
                for (k = 0; k < n; k++) {
                    PyObject *e = PyFloat_FromDouble(da[k]);
                    if (e == NULL || PyList_Append(v, e) < 0)
                        Py_CLEAR(v);
                    Py_XDECREF(e);
                    if (v == NULL)
                        break;
                }
            break;
        }
        if (v == NULL) {
            if (PyErr_Occurred()) {
                Py_DECREF(d);
                return NULL;
            }
            continue;
        }
        if (dict_set_obj(d, key, v) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    }
    return d;
}

static PyObject *head_meta(HeadObject *self, PyObject *noargs)
{
    (void)noargs;
    if (head_check(self, 0, 0) < 0)
        return NULL;
    return meta_dict(xf_head_meta(self->h));
}

static PyObject *head_info(HeadObject *self, PyObject *noargs)
{
    PyObject *levels = NULL, *covs = NULL, *encs = NULL, *d = NULL;
    size_t i;
    char desc[1024];
    (void)noargs;
    if (head_check(self, 0, 0) < 0)
        return NULL;
    if ((levels = PyList_New(0)) == NULL || (covs = PyList_New(0)) == NULL ||
        (encs = PyList_New(0)) == NULL)
        goto done;
    for (i = 0; i < xf_head_n_levels(self->h); i++) {
        PyObject *x = PyFloat_FromDouble(xf_head_level(self->h, i));
        if (x == NULL || PyList_Append(levels, x) < 0) {
            Py_XDECREF(x);
            goto done;
        }
        Py_DECREF(x);
    }
    for (i = 0; i < xf_head_n_covariates(self->h); i++) {
        PyObject *x = PyUnicode_FromString(xf_head_covariate_name(self->h, i));
        if (x == NULL || PyList_Append(covs, x) < 0) {
            Py_XDECREF(x);
            goto done;
        }
        Py_DECREF(x);
    }
    for (i = 0; i < xf_head_n_encoders(self->h); i++) {
        char fp[20];
        PyObject *x;
        snprintf(fp, sizeof fp, "%016llx",
                 (unsigned long long)xf_head_encoder_fingerprint(self->h, i));
        x = Py_BuildValue("(ss)", xf_head_encoder_name(self->h, i), fp);
        if (x == NULL || PyList_Append(encs, x) < 0) {
            Py_XDECREF(x);
            goto done;
        }
        Py_DECREF(x);
    }
    xf_head_describe(self->h, desc, sizeof desc);
    d = Py_BuildValue("{s:i,s:s,s:O,s:i,s:n,s:O,s:O,s:O,s:s,s:O}", "horizon",
                      (int)xf_head_horizon(self->h), "domain",
                      xf_domain_name(xf_head_domain(self->h)), "levels", levels, "season",
                      (int)xf_head_season(self->h), "features",
                      (Py_ssize_t)xf_head_n_features(self->h), "covariates", covs, "encoders", encs,
                      "zero_shot", xf_head_is_zeroshot(self->h) ? Py_True : Py_False, "description",
                      desc, "attached", self->attached ? Py_True : Py_False);
done:
    Py_XDECREF(levels);
    Py_XDECREF(covs);
    Py_XDECREF(encs);
    return d;
}

static PyObject *head_set_levels(HeadObject *self, PyObject *args)
{
    PyObject *o, *seq;
    double lv[XF_MAX_LEVELS];
    Py_ssize_t n, i;
    xf_error err;
    int rc;
    if (!PyArg_ParseTuple(args, "O", &o) || head_check(self, 1, 0) < 0)
        return NULL;
    if ((seq = PySequence_Fast(o, "levels must be a sequence of numbers")) == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    if (n > XF_MAX_LEVELS) {
        Py_DECREF(seq);
        return raise_option(NULL, "levels: at most 8 interval levels");
    }
    for (i = 0; i < n; i++)
        if ((lv[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(seq, i))) == -1.0 &&
            PyErr_Occurred()) {
            Py_DECREF(seq);
            return NULL;
        }
    Py_DECREF(seq);
    if ((rc = xf_head_set_levels(self->h, lv, (size_t)n, &err)) != XF_OK)
        return raise_xf(rc, &err, "levels");
    Py_RETURN_NONE;
}

/* forecast(panel, horizon) -> dict of arrays, one row per (series, step):
 * series (index), time (int64 microseconds, or the value index when the
 * series has no timestamps), step, mean, lo [L][rows], hi [L][rows], and
 * has_time [series].  The whole loop runs without the GIL. */
static PyObject *head_forecast(HeadObject *self, PyObject *args)
{
    PyObject *po, *ret = NULL;
    PanelObject *p;
    int horizon, rc = XF_OK, bad = -1;
    size_t ns, L, i, k, l, rows;
    npy_intp d1, d2[2];
    PyArrayObject *a_series = NULL, *a_time = NULL, *a_step = NULL, *a_mean = NULL, *a_lo = NULL,
                  *a_hi = NULL, *a_has = NULL;
    double *lo = NULL, *hi = NULL;
    xf_head_workspace *ws = NULL;
    xf_error err;
    if (!PyArg_ParseTuple(args, "Oi", &po, &horizon) || (p = as_panel(po)) == NULL ||
        head_check(self, 0, 1) < 0)
        return NULL;
    if (horizon < 1) {
        PyErr_SetString(PyExc_ValueError, "horizon must be at least 1");
        return NULL;
    }
    ns = xf_panel_n_series(p->p);
    L = xf_head_n_levels(self->h);
    rows = ns * (size_t)horizon;
    d1 = (npy_intp)rows;
    d2[0] = (npy_intp)L;
    d2[1] = (npy_intp)rows;
    a_series = (PyArrayObject *)PyArray_SimpleNew(1, &d1, NPY_INT64);
    a_time = (PyArrayObject *)PyArray_SimpleNew(1, &d1, NPY_INT64);
    a_step = (PyArrayObject *)PyArray_SimpleNew(1, &d1, NPY_INT64);
    a_mean = (PyArrayObject *)PyArray_SimpleNew(1, &d1, NPY_DOUBLE);
    a_lo = (PyArrayObject *)PyArray_SimpleNew(2, d2, NPY_DOUBLE);
    a_hi = (PyArrayObject *)PyArray_SimpleNew(2, d2, NPY_DOUBLE);
    d1 = (npy_intp)ns;
    a_has = (PyArrayObject *)PyArray_SimpleNew(1, &d1, NPY_BOOL);
    lo = malloc((L * (size_t)horizon + 1) * sizeof *lo);
    hi = malloc((L * (size_t)horizon + 1) * sizeof *hi);
    if (!a_series || !a_time || !a_step || !a_mean || !a_lo || !a_hi || !a_has || !lo || !hi) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto done;
    }
    if ((rc = xf_head_workspace_new(self->h, &ws, &err)) != XF_OK) {
        raise_xf(rc, &err, NULL);
        goto done;
    }
    self->readers++;
    p->users++;
    Py_BEGIN_ALLOW_THREADS;
    {
        int64_t *s_ = PyArray_DATA(a_series), *t_ = PyArray_DATA(a_time),
                *k_ = PyArray_DATA(a_step);
        double *m_ = PyArray_DATA(a_mean), *lo_ = PyArray_DATA(a_lo), *hi_ = PyArray_DATA(a_hi);
        npy_bool *has = PyArray_DATA(a_has);
        for (i = 0; i < ns && rc == XF_OK; i++) {
            size_t r0 = i * (size_t)horizon;
            size_t origin = xf_panel_series_observed(p->p, i);
            has[i] = xf_panel_series_times(p->p, i) != NULL;
            rc = xf_head_forecast(self->h, ws, p->p, i, SIZE_MAX, horizon, has[i] ? t_ + r0 : NULL,
                                  m_ + r0, lo, hi, &err);
            if (rc != XF_OK) {
                bad = (int)i;
                break;
            }
            for (k = 0; k < (size_t)horizon; k++) {
                s_[r0 + k] = (int64_t)i;
                k_[r0 + k] = (int64_t)k + 1;
                if (!has[i])
                    t_[r0 + k] = (int64_t)(origin + k);
                for (l = 0; l < L; l++) {
                    lo_[l * rows + r0 + k] = lo[l * (size_t)horizon + k];
                    hi_[l * rows + r0 + k] = hi[l * (size_t)horizon + k];
                }
            }
        }
    }
    Py_END_ALLOW_THREADS;
    self->readers--;
    p->users--;
    if (rc != XF_OK) {
        raise_xf(rc, &err, xf_panel_series_id(p->p, (size_t)bad));
        goto done;
    }
    ret = Py_BuildValue("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "series", a_series, "time", a_time, "step",
                        a_step, "mean", a_mean, "lo", a_lo, "hi", a_hi, "has_time", a_has);
done:
    xf_head_workspace_free(ws);
    free(lo);
    free(hi);
    Py_XDECREF(a_series);
    Py_XDECREF(a_time);
    Py_XDECREF(a_step);
    Py_XDECREF(a_mean);
    Py_XDECREF(a_lo);
    Py_XDECREF(a_hi);
    Py_XDECREF(a_has);
    return ret;
}

/* update(panel, seen, threads) -> origins added (xf_head_update) */
static PyObject *head_update(HeadObject *self, PyObject *args)
{
    PyObject *po, *so;
    PanelObject *p;
    PyArrayObject *seen;
    size_t *sv = NULL, ns, i, added = 0;
    int threads = 0, rc;
    xf_error err;
    if (!PyArg_ParseTuple(args, "OO|i", &po, &so, &threads) || (p = as_panel(po)) == NULL ||
        head_check(self, 1, 1) < 0)
        return NULL;
    seen = (PyArrayObject *)PyArray_FROMANY(so, NPY_INT64, 1, 1, NPY_ARRAY_IN_ARRAY);
    if (seen == NULL)
        return NULL;
    ns = xf_panel_n_series(p->p);
    if ((size_t)PyArray_DIM(seen, 0) != ns) {
        PyErr_SetString(PyExc_ValueError, "seen: one count per series of the panel");
        Py_DECREF(seen);
        return NULL;
    }
    if ((sv = malloc((ns + 1) * sizeof *sv)) == NULL) {
        Py_DECREF(seen);
        return PyErr_NoMemory();
    }
    for (i = 0; i < ns; i++) {
        int64_t v = ((const int64_t *)PyArray_DATA(seen))[i];
        sv[i] = v < 0 ? 0 : (size_t)v;
    }
    Py_DECREF(seen);
    if (threads < 1)
        threads = cpu_threads();
    self->writing = 1;
    p->users++;
    XF_NOGIL(rc = xf_head_update(self->h, p->p, sv, threads, &added, &err));
    self->writing = 0;
    p->users--;
    free(sv);
    if (rc != XF_OK)
        return raise_xf(rc, &err, NULL);
    return PyLong_FromSize_t(added);
}

/* refit(panel, threads) -> origins used (xf_head_refit: the statistics
 * recomputed from every origin, configuration and penalties kept) */
static PyObject *head_refit(HeadObject *self, PyObject *args)
{
    PyObject *po;
    PanelObject *p;
    size_t used = 0;
    int threads = 0, rc;
    xf_error err;
    if (!PyArg_ParseTuple(args, "O|i", &po, &threads) || (p = as_panel(po)) == NULL ||
        head_check(self, 1, 1) < 0)
        return NULL;
    if (threads < 1)
        threads = cpu_threads();
    self->writing = 1;
    p->users++;
    XF_NOGIL(rc = xf_head_refit(self->h, p->p, threads, &used, &err));
    self->writing = 0;
    p->users--;
    if (rc != XF_OK)
        return raise_xf(rc, &err, NULL);
    return PyLong_FromSize_t(used);
}

static PyMethodDef head_methods[] = {
    {"attach", (PyCFunction)head_attach, METH_VARARGS,
     "attach(encoder_paths): load and attach the head's encoders"},
    {"save", (PyCFunction)head_save, METH_VARARGS, "save(path): write the head file atomically"},
    {"record_csv", (PyCFunction)head_record_csv, METH_VARARGS,
     "record_csv(options): keep how the data were read (the data spec)"},
    {"csv_spec", (PyCFunction)head_csv_spec, METH_NOARGS, "the data spec: {option: text}"},
    {"meta", (PyCFunction)head_meta, METH_NOARGS, "the head file's metadata as a dict"},
    {"info", (PyCFunction)head_info, METH_NOARGS, "horizon, domain, levels, encoders, ..."},
    {"set_levels", (PyCFunction)head_set_levels, METH_VARARGS,
     "set_levels(levels): intervals at other levels from the kept residuals"},
    {"forecast", (PyCFunction)head_forecast, METH_VARARGS,
     "forecast(panel, horizon) -> dict of arrays (GIL released)"},
    {"refit", (PyCFunction)head_refit, METH_VARARGS,
     "refit(panel, threads=0) -> origins used (exact; GIL released)"},
    {"update", (PyCFunction)head_update, METH_VARARGS,
     "update(panel, seen, threads=0) -> origins added (exact; GIL released)"},
    {NULL, NULL, 0, NULL}};

static PyTypeObject HeadType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "xfcast._xfcast.Head",
    .tp_basicsize = sizeof(HeadObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "a fitted head with its encoders (xf_head); made by fit, zero_shot, load_head",
    .tp_dealloc = (destructor)head_dealloc,
    .tp_methods = head_methods,
};

/* ------------------------------------------------------------ backtest */

static PyObject *metrics_dict(const xf_metrics *m, size_t n_levels, const double *levels)
{
    PyObject *d = Py_BuildValue("{s:d,s:d,s:d,s:d,s:d}", "mae", m->mae, "rmse", m->rmse, "smape",
                                m->smape, "mase", m->mase, "n", m->n);
    size_t l;
    for (l = 0; d != NULL && l < n_levels; l++) {
        char key[40];
        snprintf(key, sizeof key, "coverage-%g", levels[l]);
        if (dict_set_obj(d, key, PyFloat_FromDouble(m->coverage[l])) < 0)
            Py_CLEAR(d);
    }
    return d;
}

/* backtest(panel, encoder_paths, options, explicit, domain_auto, start_time,
 * start_row, end_time, end_row, stride, zero_shot) -> dict */
static PyObject *py_backtest(PyObject *self, PyObject *args)
{
    PyObject *po, *paths, *opts, *ret = NULL, *steps = NULL;
    int expl, dauto, stride, zs, rc;
    long long st, sr, et, er;
    PanelObject *p;
    xf_backtest_options bo;
    xf_backtest_result res;
    xf_encoder *enc[XF_MAX_ENCODERS];
    size_t n_enc = 0, i, k;
    xf_error err;
    static const char *const methods[XF_N_METHODS] = {"model", "naive", "snaive"};
    (void)self;
    if (!PyArg_ParseTuple(args, "OOOppLLLLip", &po, &paths, &opts, &expl, &dauto, &st, &sr, &et,
                          &er, &stride, &zs) ||
        (p = as_panel(po)) == NULL)
        return NULL;
    xf_backtest_options_init(&bo);
    if (head_options(opts, &bo.fit) < 0)
        return NULL;
    bo.test_start = st;
    bo.test_start_row = sr;
    bo.test_end = et;
    bo.test_end_row = er;
    bo.stride = stride;
    bo.zeroshot = zs;
    if (load_encoders(paths, enc, &n_enc) < 0)
        return NULL;
    if (expl && n_enc > 0)
        bo.fit.embedding = 1;
    if (n_enc == 0)
        bo.fit.embedding = 0;
    if (dauto)
        bo.fit.domain =
            xf_domain_suggest(xf_panel_series_values(p->p, 0), xf_panel_series_length(p->p, 0),
                              xf_panel_series_freq(p->p, 0), xf_panel_series_id(p->p, 0), NULL, 0);
    memset(&res, 0, sizeof res);
    p->users++;
    XF_NOGIL(rc = xf_backtest(p->p, enc, n_enc, &bo, NULL, NULL, &res, NULL, &err));
    p->users--;
    for (i = 0; i < n_enc; i++)
        xf_encoder_free(enc[i]);
    if (rc != XF_OK)
        return raise_xf(rc, &err, NULL);
    if ((ret = Py_BuildValue("{s:i,s:i,s:n,s:n,s:n,s:d,s:d}", "horizon", (int)res.horizon, "season",
                             (int)res.season, "origins", (Py_ssize_t)res.n_origins, "series",
                             (Py_ssize_t)res.n_series, "mase_skipped",
                             (Py_ssize_t)res.n_mase_skipped, "fit_seconds", res.fit_seconds,
                             "forecast_seconds", res.forecast_seconds)) == NULL)
        goto done;
    for (k = 0; k < XF_N_METHODS; k++)
        if (dict_set_obj(ret, methods[k],
                         metrics_dict(&res.overall[k], k == 0 ? res.n_levels : 0, res.levels)) < 0)
            goto fail;
    if ((steps = PyList_New(0)) == NULL)
        goto fail;
    for (i = 0; res.per_step != NULL && i < (size_t)res.horizon; i++) {
        PyObject *row = PyDict_New();
        if (row == NULL)
            goto fail;
        for (k = 0; k < XF_N_METHODS; k++)
            if (dict_set_obj(row, methods[k],
                             metrics_dict(&res.per_step[i * XF_N_METHODS + k],
                                          k == 0 ? res.n_levels : 0, res.levels)) < 0) {
                Py_DECREF(row);
                goto fail;
            }
        if (PyList_Append(steps, row) < 0) {
            Py_DECREF(row);
            goto fail;
        }
        Py_DECREF(row);
    }
    if (PyDict_SetItemString(ret, "per_step", steps) < 0)
        goto fail;
    goto done;
fail:
    Py_CLEAR(ret);
done:
    Py_XDECREF(steps);
    xf_backtest_result_free(&res);
    return ret;
}

/* ------------------------------------------------------------ store */

typedef struct {
    PyObject_HEAD xf_store *s;
} StoreObject;

static int store_init(StoreObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"path", "create", NULL};
    const char *path;
    int create = 0, rc;
    xf_error err;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|p", kwlist, &path, &create))
        return -1;
    xf_store_close(self->s);
    self->s = NULL;
    if ((rc = xf_store_open(path, create, &self->s, &err)) != XF_OK) {
        raise_xf(rc, &err, NULL);
        return -1;
    }
    return 0;
}

static void store_dealloc(StoreObject *self)
{
    xf_store_close(self->s);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int store_ready(StoreObject *self)
{
    if (self->s == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "store not open");
        return -1;
    }
    return 0;
}

static PyObject *store_list(StoreObject *self, PyObject *noargs)
{
    char **names = NULL;
    size_t n = 0, i;
    xf_error err;
    int rc;
    PyObject *l;
    (void)noargs;
    if (store_ready(self) < 0)
        return NULL;
    if ((rc = xf_store_list(self->s, &names, &n, &err)) != XF_OK)
        return raise_xf(rc, &err, NULL);
    if ((l = PyList_New(0)) != NULL)
        for (i = 0; i < n; i++) {
            PyObject *s = PyUnicode_FromString(names[i]);
            if (s == NULL || PyList_Append(l, s) < 0) {
                Py_XDECREF(s);
                Py_CLEAR(l);
                break;
            }
            Py_DECREF(s);
        }
    xf_store_names_free(names, n);
    return l;
}

/* entry(name) -> {current, versions, pinned, pinned_from, status} */
static PyObject *store_entry(StoreObject *self, PyObject *args)
{
    const char *name;
    int64_t cur = 0, *v = NULL, pin = 0, from = 0;
    size_t n = 0, i;
    char *status = NULL;
    xf_error err;
    int rc;
    PyObject *vl, *d = NULL;
    if (!PyArg_ParseTuple(args, "s", &name) || store_ready(self) < 0)
        return NULL;
    if ((rc = xf_store_versions(self->s, name, &v, &n, &err)) != XF_OK)
        return raise_xf(rc, &err, NULL);
    if ((rc = xf_store_current(self->s, name, &cur, &err)) != XF_OK && rc != XF_ENOTFOUND) {
        free(v);
        return raise_xf(rc, &err, NULL);
    }
    xf_store_pinned(self->s, name, &pin, &from, NULL);
    if (xf_store_read_status(self->s, name, &status, NULL) != XF_OK)
        status = NULL;
    if ((vl = PyList_New(0)) != NULL)
        for (i = 0; i < n; i++) {
            PyObject *x = PyLong_FromLongLong(v[i]);
            if (x == NULL || PyList_Append(vl, x) < 0) {
                Py_XDECREF(x);
                Py_CLEAR(vl);
                break;
            }
            Py_DECREF(x);
        }
    if (vl != NULL)
        d = Py_BuildValue("{s:s,s:L,s:O,s:L,s:L,s:z}", "name", name, "current", (long long)cur,
                          "versions", vl, "pinned", (long long)pin, "pinned_from", (long long)from,
                          "status", status);
    Py_XDECREF(vl);
    free(v);
    free(status);
    return d;
}

static PyObject *store_load(StoreObject *self, PyObject *args)
{
    const char *name;
    long long version = 0;
    xf_head *h = NULL;
    xf_error err;
    int rc;
    if (!PyArg_ParseTuple(args, "s|L", &name, &version) || store_ready(self) < 0)
        return NULL;
    XF_NOGIL(rc = xf_store_load(self->s, name, version, &h, &err));
    if (rc != XF_OK)
        return raise_xf(rc, &err, NULL);
    return (PyObject *)head_wrap(h, NULL, 0, 0);
}

/* rollback(name, to=0) -> (was, now): under the entry's lock, as
 * `xfcast store rollback` (0: the version before the current one): the
 * version made current and pinned, the status saying so. */
static PyObject *store_rollback(StoreObject *self, PyObject *args)
{
    const char *name;
    long long to = 0;
    int64_t was = 0, now = 0;
    xf_error err;
    int rc;
    if (!PyArg_ParseTuple(args, "s|L", &name, &to) || store_ready(self) < 0)
        return NULL;
    if ((rc = xf_store_rollback(self->s, name, to, &was, &now, &err)) != XF_OK)
        return raise_xf(rc, &err, NULL);
    return Py_BuildValue("(LL)", (long long)was, (long long)now);
}

static PyMethodDef store_methods[] = {{"list", (PyCFunction)store_list, METH_NOARGS,
                                       "the source names"},
                                      {"entry", (PyCFunction)store_entry, METH_VARARGS,
                                       "entry(name) -> {current, versions, pinned, status}"},
                                      {"load", (PyCFunction)store_load, METH_VARARGS,
                                       "load(name, version=0) -> Head"},
                                      {"rollback", (PyCFunction)store_rollback, METH_VARARGS,
                                       "rollback(name, to=0) -> (was, now), pinned"},
                                      {NULL, NULL, 0, NULL}};

static PyTypeObject StoreType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "xfcast._xfcast.Store",
    .tp_basicsize = sizeof(StoreObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Store(path, create=False): a model store (xf_store)",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)store_init,
    .tp_dealloc = (destructor)store_dealloc,
    .tp_methods = store_methods,
};

/* ------------------------------------------------------------ retrain */

/* retrain(config, store_path, resolve, force, dry_run, threads) -> list of
 * per-source dicts.  resolve(name) -> path finds a source's encoder. */
static PyObject *py_retrain(PyObject *self, PyObject *args)
{
    const char *config, *store_path;
    PyObject *resolve, *list = NULL;
    int force, dry, threads, rc;
    xf_source *src = NULL;
    size_t n = 0, i;
    xf_store *st = NULL;
    xf_retrain_options ro;
    xf_error err;
    (void)self;
    if (!PyArg_ParseTuple(args, "ssOppi", &config, &store_path, &resolve, &force, &dry, &threads))
        return NULL;
    if ((rc = xf_sources_load(config, &src, &n, &err)) != XF_OK)
        return raise_xf(rc, &err, NULL);
    if ((rc = xf_store_open(store_path, 1, &st, &err)) != XF_OK) {
        xf_sources_free(src, n);
        return raise_xf(rc, &err, NULL);
    }
    xf_retrain_options_init(&ro);
    ro.force = force;
    ro.dry_run = dry;
    ro.n_threads = threads > 0 ? threads : cpu_threads();
    if ((list = PyList_New(0)) == NULL)
        goto done;
    for (i = 0; i < n; i++) {
        xf_encoder *enc[XF_MAX_ENCODERS];
        size_t n_enc = 0, k;
        xf_retrain_report rep;
        PyObject *paths, *d;
        paths =
            PyObject_CallFunction(resolve, "s",
                                  src[i].encoders != NULL ? src[i].encoders : "gru-base,tcn-base");
        if (paths == NULL || load_encoders(paths, enc, &n_enc) < 0) {
            Py_XDECREF(paths);
            Py_CLEAR(list);
            goto done;
        }
        Py_DECREF(paths);
        memset(&rep, 0, sizeof rep);
        XF_NOGIL(rc = xf_retrain_source(st, &src[i], enc, n_enc, &ro, &rep, &err));
        for (k = 0; k < n_enc; k++)
            xf_encoder_free(enc[k]);
        d = Py_BuildValue("{s:s,s:s,s:i,s:s,s:L,s:L,s:L,s:L,s:d,s:d,s:d,s:O,s:s}", "source",
                          src[i].name, "outcome", xf_retrain_outcome_name(rep.outcome), "status",
                          rc, "status_name", xf_status_name(rc), "version", (long long)rep.version,
                          "rows", (long long)rep.rows, "rows_added", (long long)rep.rows_added,
                          "origins_added", (long long)rep.origins_added, "mase_champion",
                          rep.mase_champion, "mase_challenger", rep.mase_challenger, "seconds",
                          rep.seconds, "warning", rep.warning ? Py_True : Py_False, "message",
                          rep.message[0] ? rep.message : (rc != XF_OK ? err.message : ""));
        if (d == NULL || PyList_Append(list, d) < 0) {
            Py_XDECREF(d);
            Py_CLEAR(list);
            goto done;
        }
        Py_DECREF(d);
    }
done:
    xf_store_close(st);
    xf_sources_free(src, n);
    return list;
}

/* ------------------------------------------------------------ misc */

static PyObject *py_set_blas_threads(PyObject *self, PyObject *args)
{
    int n;
    (void)self;
    if (!PyArg_ParseTuple(args, "i", &n))
        return NULL;
    xf_blas_set_threads(n);
    Py_RETURN_NONE;
}

static PyObject *py_domain_suggest(PyObject *self, PyObject *args)
{
    PyObject *po;
    PanelObject *p;
    char why[256];
    xf_domain d;
    (void)self;
    if (!PyArg_ParseTuple(args, "O", &po) || (p = as_panel(po)) == NULL)
        return NULL;
    if (xf_panel_n_series(p->p) == 0) {
        PyErr_SetString(PyExc_ValueError, "empty panel");
        return NULL;
    }
    d = xf_domain_suggest(xf_panel_series_values(p->p, 0), xf_panel_series_length(p->p, 0),
                          xf_panel_series_freq(p->p, 0), xf_panel_series_id(p->p, 0), why,
                          sizeof why);
    return Py_BuildValue("(ss)", xf_domain_name(d), why);
}

static PyMethodDef module_methods[] = {
    {"options", py_options, METH_NOARGS, "the option table (xf_options) as a list of dicts"},
    {"check_options", py_check_options, METH_VARARGS,
     "check_options({name: (as, text)}, 'head'|'csv'|'any'): validate, raising OptionError"},
    {"freq_parse", py_freq_parse, METH_VARARGS, "freq_parse(text) -> (kind, step, month_end)"},
    {"freq_format", py_freq_format, METH_VARARGS, "freq_format((kind, step, month_end)) -> str"},
    {"freq_grid", py_freq_grid, METH_VARARGS, "freq_grid(freq, t0, n) -> int64 array"},
    {"freq_steps", py_freq_steps, METH_VARARGS, "freq_steps(freq, a, b) -> int or None"},
    {"read_csv", py_read_csv, METH_VARARGS, "read_csv(path, options) -> dict (GIL released)"},
    {"fit", py_fit, METH_VARARGS,
     "fit(panel, encoder_paths, options, explicit, domain_auto, source) -> Head"},
    {"zero_shot", py_zero_shot, METH_VARARGS, "zero_shot(panel, encoder_path, options) -> Head"},
    {"load_head", py_load_head, METH_VARARGS,
     "load_head(path, statistics=True) -> Head (attach its encoders); statistics False: "
     "xf_head_load_ex(XF_HEAD_LOAD_NO_STATS), forecasts only"},
    {"backtest", py_backtest, METH_VARARGS, "backtest(...) -> dict of metrics"},
    {"retrain", py_retrain, METH_VARARGS, "retrain(config, store, resolve, force, dry, threads)"},
    {"set_blas_threads", py_set_blas_threads, METH_VARARGS, "xf_blas_set_threads(n)"},
    {"domain_suggest", py_domain_suggest, METH_VARARGS, "domain_suggest(panel) -> (name, why)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_xfcast",
    .m_doc = "xfcast's C extension (see the xfcast package)",
    .m_size = -1,
    .m_methods = module_methods,
};

/* xfcast.Error subclasses, one per status code, with the builtin exception
 * a Python user would catch for it as a second base. */
static int add_errors(PyObject *m)
{
    static const struct {
        int code;
        const char *name;
        const char *doc;
    } defs[] = {
        {XF_ENOMEM, "OutOfMemoryError", "XF_ENOMEM: out of memory"},
        {XF_EIO, "IOError", "XF_EIO: a read or write failed"},
        {XF_EINVAL, "InvalidArgumentError", "XF_EINVAL: invalid argument or option value"},
        {XF_EPARSE, "ParseError", "XF_EPARSE: malformed input (CSV syntax, number, time)"},
        {XF_ENOTFOUND, "NotFoundError", "XF_ENOTFOUND: a named column, key or file is absent"},
        {XF_EDATA, "DataError", "XF_EDATA: well-formed but unusable data"},
        {XF_ERANGE, "RangeError", "XF_ERANGE: a value or size out of the supported range"},
        {XF_EFORMAT, "FormatError", "XF_EFORMAT: a damaged or unsupported binary file"},
        {XF_ECHECKSUM, "ChecksumError", "XF_ECHECKSUM: a binary file's checksum is wrong"},
        {XF_EBUSY, "BusyError", "XF_EBUSY: a model store lock is held by another process"},
    };
    size_t i;
    Error = PyErr_NewExceptionWithDoc("xfcast.Error",
                                      "An xfcast library error: .status is the XF_E* code "
                                      "(negative), .message the library's message.",
                                      NULL, NULL);
    if (Error == NULL || PyModule_AddObjectRef(m, "Error", Error) < 0)
        return -1;
    for (i = 0; i < sizeof defs / sizeof *defs; i++) {
        PyObject *py = defs[i].code == XF_ENOMEM      ? PyExc_MemoryError
                       : defs[i].code == XF_EIO       ? PyExc_OSError
                       : defs[i].code == XF_ENOTFOUND ? PyExc_LookupError
                       : defs[i].code == XF_EBUSY     ? PyExc_BlockingIOError
                       : defs[i].code == XF_EFORMAT || defs[i].code == XF_ECHECKSUM
                           ? NULL
                           : PyExc_ValueError;
        PyObject *bases = py != NULL ? PyTuple_Pack(2, Error, py) : PyTuple_Pack(1, Error);
        char qual[64];
        PyObject *cls;
        if (bases == NULL)
            return -1;
        snprintf(qual, sizeof qual, "xfcast.%s", defs[i].name);
        cls = PyErr_NewExceptionWithDoc(qual, defs[i].doc, bases, NULL);
        Py_DECREF(bases);
        if (cls == NULL || PyModule_AddObjectRef(m, defs[i].name, cls) < 0)
            return -1;
        exc_by_code[-defs[i].code] = cls;
    }
    OptionError = PyErr_NewExceptionWithDoc(
        "xfcast.OptionError",
        "A bad option name or value, with the message of the CLI's option table.",
        exc_by_code[-XF_EINVAL], NULL);
    if (OptionError == NULL || PyModule_AddObjectRef(m, "OptionError", OptionError) < 0)
        return -1;
    return 0;
}

PyMODINIT_FUNC PyInit__xfcast(void);
PyMODINIT_FUNC PyInit__xfcast(void)
{
    PyObject *m;
    import_array();
    if (PyType_Ready(&PanelType) < 0 || PyType_Ready(&HeadType) < 0 || PyType_Ready(&StoreType) < 0)
        return NULL;
    if ((m = PyModule_Create(&module_def)) == NULL)
        return NULL;
    if (add_errors(m) < 0 || PyModule_AddObjectRef(m, "Panel", (PyObject *)&PanelType) < 0 ||
        PyModule_AddObjectRef(m, "Head", (PyObject *)&HeadType) < 0 ||
        PyModule_AddObjectRef(m, "Store", (PyObject *)&StoreType) < 0 ||
        PyModule_AddStringConstant(m, "version", xf_version()) < 0 ||
        PyModule_AddStringConstant(m, "MODELDIR", XF_MODELDIR) < 0 ||
        PyModule_AddStringConstant(m, "SRC_MODELDIR", XF_SRC_MODELDIR) < 0 ||
        PyModule_AddIntConstant(m, "TIME_NONE_IS_MIN", 1) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    /* as the CLI: bit-identical results need single-threaded BLAS (see
     * xfcast/encoder.h); xfcast runs its own threads */
    xf_blas_set_threads(1);
    return m;
}
