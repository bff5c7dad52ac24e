#!/bin/sh
# test_exports.sh - the shared library exports exactly the public API.
#
# The functions declared in the public headers (include/xfcast.h and
# include/xfcast/*.h, read through the C preprocessor) are compared with the
# functions the built libxfcast.so defines in its dynamic symbol table
# (nm -D --defined-only): nothing exported that no header declares (an
# internal helper that leaked), and every declared function exported (a
# public function that lost its XF_API).
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
XF_SRCDIR=${XF_SRCDIR:-.}
skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

builddir=${XF_BUILDDIR:-.}
so=
for f in "$builddir"/.libs/libxfcast.so "$builddir"/.libs/libxfcast.dylib; do
    [ -f "$f" ] && { so=$f; break; }
done
[ -n "$so" ] || skip "no shared library in $builddir/.libs (built with --disable-shared?)"
command -v nm >/dev/null 2>&1 || skip "nm not found"
command -v perl >/dev/null 2>&1 || skip "perl not found"
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || skip "no C compiler ($cc) to read the headers"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xf_exports.XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT

# Declared: every `xf_name(` in the preprocessed umbrella header that is not
# a function-pointer type or field (those read `(*name)(`).
"$cc" -E -P -I"$builddir/include" -I"$XF_SRCDIR/include" "$XF_SRCDIR/include/xfcast.h" >"$tmp/pp.h" \
    || fail "cannot preprocess include/xfcast.h"
perl -0777 -ne 'while (/(\(\s*\*\s*)?(?<!\w)(xf_\w+)\s*\(/g) { print "$2\n" unless defined $1 }' "$tmp/pp.h" \
    | sort -u >"$tmp/declared"
[ -s "$tmp/declared" ] || fail "no function found in the public headers"

# Exported: defined text (code) symbols of the dynamic symbol table.
nm -D --defined-only "$so" | awk '$2 == "T" || $2 == "W" || $2 == "i" { print $3 }' \
    | sed 's/@.*//' | sort -u >"$tmp/exported"

comm -13 "$tmp/declared" "$tmp/exported" >"$tmp/extra"
comm -23 "$tmp/declared" "$tmp/exported" >"$tmp/missing"
# data symbols must not leak either
nm -D --defined-only "$so" | awk '$2 ~ /^[BDGRSV]$/ { print $3 }' | sed 's/@.*//' \
    | grep -v '^_' >"$tmp/data" || true

status=0
if [ -s "$tmp/extra" ]; then
    echo "exported but declared in no public header ($(wc -l <"$tmp/extra")):" >&2
    sed 's/^/  /' "$tmp/extra" >&2
    status=1
fi
if [ -s "$tmp/missing" ]; then
    echo "declared in a public header but not exported ($(wc -l <"$tmp/missing")):" >&2
    sed 's/^/  /' "$tmp/missing" >&2
    status=1
fi
if [ -s "$tmp/data" ]; then
    echo "data symbols exported:" >&2
    sed 's/^/  /' "$tmp/data" >&2
    status=1
fi
[ $status -eq 0 ] || fail "the export list of $so does not match the public headers"
echo "ok: $(wc -l <"$tmp/exported") functions exported, all declared in include/xfcast/"
