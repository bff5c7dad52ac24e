#!/bin/sh
# test_python.sh - the Python package's pytest suite (python/tests), run
# from the build tree without installing: the package's files and the
# built extension are put together in a temporary directory on PYTHONPATH.
# Skipped (77) when configure did not build the package, when pytest is
# missing, or under --enable-sanitizers (an ASan-instrumented libxfcast
# cannot be loaded by a normal python3).
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
set -u
S=$(cd "${XF_SRCDIR:-.}" && pwd)
B=$(cd "${XF_BUILDDIR:-.}" && pwd)
PY=${XF_PYTHON:-python3}
if [ "${XF_PYTHON_BUILT:-no}" != yes ]; then
    echo "test_python: the Python package was not built (configure: python no)"
    exit 77
fi
case ${XF_SAN_CFLAGS:-} in
*sanitize=address*)
    echo "test_python: skipped under --enable-sanitizers"
    exit 77
    ;;
esac
if ! "$PY" -c 'import pytest, pandas' 2>/dev/null; then
    echo "test_python: pytest or pandas missing (apt-get install python3-pytest python3-pandas)"
    exit 77
fi
so=$(ls "$B"/python/xfcast/.libs/_xfcast*.so 2>/dev/null | head -n 1)
if [ -z "$so" ]; then
    echo "test_python: no built extension in $B/python/xfcast/.libs" >&2
    exit 1
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/xfpy.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
mkdir "$T/xfcast"
cp "$S"/python/xfcast/__init__.py "$S"/python/xfcast/__init__.pyi "$S"/python/xfcast/py.typed \
    "$T/xfcast/" || exit 1
cp "$so" "$T/xfcast/" || exit 1
# the uninstalled library, before any installed one
LD_LIBRARY_PATH="$B/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
PYTHONPATH="$T" PYTHONDONTWRITEBYTECODE=1 XFCAST_TEST_TMP="$T"
XF_SRCDIR=$S XF_BUILDDIR=$B
export LD_LIBRARY_PATH PYTHONPATH PYTHONDONTWRITEBYTECODE XFCAST_TEST_TMP XF_SRCDIR XF_BUILDDIR
cd "$T" && "$PY" -m pytest -q -p no:cacheprovider "$S/python/tests" ${XF_PYTEST_ARGS:-}
