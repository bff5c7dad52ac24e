# results.sh - sourced by the bench scripts (after they set SRC and BUILD):
# where bench/RESULTS.md is, and how one benchmark's section is put into it,
# between its marker comments, leaving the rest alone.
#
#   RESULTS=$(results_file SCRIPT)   $XF_BENCH_RESULTS, else the source tree's
#                                    bench/RESULTS.md, else (read-only source)
#                                    the build tree's, with a note naming SCRIPT
#   results_replace NAME SECTION_FILE RESULTS_FILE
#   real_xfcast OVERRIDE_NAME        XF = the xfcast program to run and time:
#                                    $OVERRIDE_NAME when set, else .libs/xfcast
#                                    (LD_LIBRARY_PATH exported) when ./xfcast is
#                                    a libtool wrapper script, else ./xfcast;
#                                    XF_HOW = how, in Markdown
#   machine_facts                    NPROC, CPU, MEM_G (GiB) of this machine, ISA
#                                    (its CPU vector flags among avx2 fma avx512f)
#   jget FILE KEY, tsv_get TSV METHOD METRIC   one value of a backtest's JSON
#                                    report, of a bench/score.R --tsv file
#
# SECTION_FILE holds the whole section including "<!-- NAME:begin -->" and
# "<!-- NAME:end -->".  The file is rewritten through a temporary file and a
# rename, so a reader never sees half of it.
# shellcheck disable=SC2016,SC2034 # Markdown in single quotes; variables set for the sourcing script

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

real_xfcast() {
    eval "_ov=\${$1:-}"
    if [ -n "$_ov" ]; then
        XF=$_ov
        XF_HOW="\`$XF\` ($1)"
    elif [ -x "$BUILD/xfcast" ] && [ "$(head -c 2 "$BUILD/xfcast")" = '#!' ] && [ -x "$BUILD/.libs/xfcast" ]; then
        # a libtool wrapper execs .libs/xfcast: run that directly (no shell
        # start-up in the timings, the RSS is xfcast's alone)
        XF=$BUILD/.libs/xfcast
        LD_LIBRARY_PATH=$BUILD/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
        export LD_LIBRARY_PATH
        XF_HOW='`.libs/xfcast` with LD_LIBRARY_PATH=.libs (./xfcast is a libtool wrapper script)'
    else
        XF=$BUILD/xfcast
        XF_HOW='`./xfcast`'
    fi
}

machine_facts() {
    NPROC=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
    CPU=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
    [ -n "$CPU" ] || CPU='CPU model unknown'
    MEM_G=$(free -g 2>/dev/null | awk '/^Mem:/ {print $2}' || true)
    [ -n "$MEM_G" ] || MEM_G='?'
    ISA=$(awk '/^flags/ {for (i = 2; i <= NF; i++) f[$i] = 1; exit}
        END {s = ""; n = split("avx2 fma avx512f", w, " ");
             for (i = 1; i <= n; i++) if (w[i] in f) s = s (s == "" ? "" : " ") w[i];
             print (s == "" ? "no AVX2" : s)}' /proc/cpuinfo 2>/dev/null || echo '?')
}

# tsv_get TSV METHOD METRIC: a value of bench/score.R --tsv (series "all"),
# "-" when absent.
tsv_get() {
    awk -F'\t' -v m="$2" -v k="$3" '$1 == m && $2 == "all" && $3 == k {print $4; f = 1; exit}
        END {if (!f) print "-"}' "$1"
}

# jget FILE KEY: one value from an `xfcast backtest --format json` report:
# a top-level key (model, season, origins, fit_seconds, forecast_seconds) or
# METHOD.FIELD of "overall" (xfcast.mae, snaive.rmse, ...; a coverage array
# prints as "c80 c95").  Prints "-" when absent.  Only the part before
# "per_step" is read.
jget() {
    awk -v key="$2" '
    /"per_step"/ { exit }
    { s = s " " $0 }
    function after(t, k,    i) {
        i = index(t, "\"" k "\":")
        return i ? substr(t, i + length(k) + 3) : ""
    }
    function val(t,    v) {
        sub(/^ +/, "", t)
        if (substr(t, 1, 1) == "\"") { t = substr(t, 2); return substr(t, 1, index(t, "\"") - 1) }
        if (substr(t, 1, 1) == "[") { v = substr(t, 2, index(t, "]") - 2); gsub(/,/, "", v); return v }
        match(t, /^[^,}]*/)
        return substr(t, 1, RLENGTH)
    }
    END {
        if (index(key, ".")) {
            split(key, p, ".")
            t = after(after(s, "overall"), p[1])
            t = after(substr(t, 1, index(t, "}")), p[2])
        } else t = after(s, key)
        print (t == "" ? "-" : val(t))
    }' "$1"
}
