#!/bin/sh
# test_rpkg.sh - the R package (r/): installed into a temporary library
# against this build tree, its tests (r/tests/*.R: parity with the CLI on
# the bundled datasets, errors as xfcast_error conditions, the API, the
# forecast package's accuracy()/autoplot()) run with Rscript.  Skipped
# (77) without R (r-base-dev), and in a sanitizer build: a package linked
# against an ASan library cannot be loaded into R.
set -u
: "${XF_SRCDIR:=.}"
: "${XF_BUILDDIR:=.}"
: "${XFCAST:=$XF_BUILDDIR/xfcast}"
R=${R:-R}
if ! command -v "$R" >/dev/null 2>&1 || ! command -v Rscript >/dev/null 2>&1; then
    echo "test_rpkg: skipped: R not found (sh tools/install-deps.sh --r)"
    exit 77
fi
[ -f "$("$R" RHOME)/etc/Makeconf" ] || { echo "test_rpkg: skipped: no R headers (r-base-dev)"; exit 77; }
lib=$XF_BUILDDIR/.libs/libxfcast.so
[ -f "$lib" ] || { echo "test_rpkg: skipped: no shared libxfcast in $XF_BUILDDIR/.libs"; exit 77; }
if ldd "$lib" 2>/dev/null | grep -q 'libasan\|libubsan' ||
    grep -q -- '-fsanitize=address' "$XF_BUILDDIR/Makefile" 2>/dev/null; then
    echo "test_rpkg: skipped: sanitizer build (R cannot load an ASan library)"
    exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/xf_rpkg.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir "$T/lib"
cp -R "$XF_SRCDIR/r" "$T/xfcast" && chmod -R u+w "$T/xfcast"
abs_build=$(cd "$XF_BUILDDIR" && pwd)
abs_src=$(cd "$XF_SRCDIR" && pwd)
if ! XFCAST_CFLAGS="-I$abs_src/include -I$abs_build/include" \
    XFCAST_LIBS="-Wl,-rpath,$abs_build/.libs -L$abs_build/.libs -lxfcast" \
    XFCAST_MODELDIR="$abs_src/models" \
    "$R" CMD INSTALL --no-multiarch -l "$T/lib" "$T/xfcast" >"$T/install.log" 2>&1; then
    echo "FAIL: R CMD INSTALL:" >&2
    tail -30 "$T/install.log" >&2
    exit 1
fi
fails=0
n=0
for t in "$abs_src"/r/tests/*.R; do
    n=$((n + 1))
    if R_LIBS="$T/lib" XF_SRCDIR="$abs_src" XFCAST="$(cd "$(dirname "$XFCAST")" && pwd)/$(basename "$XFCAST")" \
        XFCAST_MODELS="$abs_src/models" Rscript --vanilla "$t" >"$T/out" 2>&1; then
        cat "$T/out"
    else
        fails=$((fails + 1))
        echo "FAIL: $(basename "$t"):" >&2
        tail -30 "$T/out" >&2
    fi
done
echo "test_rpkg: $n R test files, $fails failed"
[ "$fails" -eq 0 ]
