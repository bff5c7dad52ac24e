# python/local.mk - the Python package (included by Makefile.am).
#
# The CPython extension python/xfcast/_xfcast.la links the shared library
# (the public API only) and is installed with the package's Python files
# into the interpreter's $(pyexecdir)/xfcast, as automake installs Python
# modules.  It is built without the sanitizer flags (a normal python3
# cannot load an ASan-instrumented module); tests/test_python.sh then skips
# under --enable-sanitizers, the library itself being instrumented.
if XF_PYTHON
xfcastpyexecdir = $(pyexecdir)/xfcast
xfcastpyexec_LTLIBRARIES = python/xfcast/_xfcast.la
xfcastpyexec_PYTHON = python/xfcast/__init__.py
xfcastpyexec_DATA = python/xfcast/__init__.pyi python/xfcast/py.typed
python_xfcast__xfcast_la_SOURCES = python/xfcast/_xfcast.c
python_xfcast__xfcast_la_CPPFLAGS = -I$(top_builddir)/include -I$(top_srcdir)/include \
	$(PYTHON_CPPFLAGS) $(NUMPY_CPPFLAGS) -DXF_MODELDIR='"$(pkgdatadir)/models"' \
	-DXF_SRC_MODELDIR='"$(abs_top_srcdir)/models"'
# CPython's keyword lists are char *[] of string literals
python_xfcast__xfcast_la_CFLAGS = $(XF_WARN_CFLAGS) -Wno-write-strings -fno-strict-aliasing
# -R: the installed module finds the installed libxfcast without ldconfig
python_xfcast__xfcast_la_LDFLAGS = -module -avoid-version -shared -no-undefined \
	-shrext $(PYTHON_EXT) -R$(libdir)
python_xfcast__xfcast_la_LIBADD = libxfcast.la
endif

# `make check` runs the pytest suite from the build tree (skipped, exit 77,
# when the package was not built or pytest is missing)
TESTS += tests/test_python.sh
AM_TESTS_ENVIRONMENT += \
	XF_PYTHON='$(PYTHON)'; export XF_PYTHON; \
	XF_PYTHON_BUILT='$(xf_python)'; export XF_PYTHON_BUILT; \
	XF_SAN_CFLAGS='$(XF_SAN_CFLAGS)'; export XF_SAN_CFLAGS;
EXTRA_DIST += tests/test_python.sh python/README.md python/local.mk \
	python/xfcast/__init__.py python/xfcast/__init__.pyi python/xfcast/py.typed \
	python/xfcast/_xfcast.c python/tests python/bench_overhead.py
