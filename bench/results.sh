# results.sh - sourced by the bench scripts (after they set SRC and BUILD):
# where bench/RESULTS.md is, and how one benchmark's section is put into it,
# between its marker comments, leaving the rest alone.
#
#   RESULTS=$(results_file SCRIPT)   $XF_BENCH_RESULTS, else the source tree's
#                                    bench/RESULTS.md, else (read-only source)
#                                    the build tree's, with a note naming SCRIPT
#   results_replace NAME SECTION_FILE RESULTS_FILE
#
# SECTION_FILE holds the whole section including "<!-- NAME:begin -->" and
# "<!-- NAME:end -->".  The file is rewritten through a temporary file and a
# rename, so a reader never sees half of it.

results_file() {
    if [ -n "${XF_BENCH_RESULTS:-}" ]; then
        echo "$XF_BENCH_RESULTS"
    elif [ -w "$SRC/bench" ] && { [ ! -e "$SRC/bench/RESULTS.md" ] || [ -w "$SRC/bench/RESULTS.md" ]; }; then
        echo "$SRC/bench/RESULTS.md"
    else
        mkdir -p "$BUILD/bench"
        echo "$1: $SRC/bench is read-only; writing $BUILD/bench/RESULTS.md" >&2
        echo "$BUILD/bench/RESULTS.md"
    fi
}

results_replace() {
    _name=$1 _sect=$2 _res=$3 _tmp=$3.tmp.$$
    if [ -s "$_res" ] && grep -q "^<!-- $_name:begin -->\$" "$_res" &&
        grep -q "^<!-- $_name:end -->\$" "$_res"; then
        # replace our section, keep everything else
        awk -v sect="$_sect" -v b="<!-- $_name:begin -->" -v e="<!-- $_name:end -->" '
            $0 == b { while ((getline l < sect) > 0) print l; skip = 1; next }
            $0 == e { skip = 0; next }
            !skip { print }' "$_res" >"$_tmp"
    elif [ -s "$_res" ] && grep -q '[^[:space:]]' "$_res"; then
        # a file without our section: append it
        { cat "$_res"; echo; cat "$_sect"; } >"$_tmp"
    else
        {
            echo '# xfcast benchmarks'
            echo
            echo 'Measured by `make bench` (scripts and programs in bench/). Each section is'
            echo 'rewritten by the script that produces it, between its marker comments;'
            echo 'new benchmarks add their own sections.'
            echo
            cat "$_sect"
        } >"$_tmp"
    fi
    mv "$_tmp" "$_res"
}
