#!/usr/bin/python3
# bench_pandas.py - time one pandas.read_csv of a file, for comparison with
# bench/bench_csv.  Run with Debian's /usr/bin/python3 (python3-pandas).
#
#     /usr/bin/python3 bench/bench_pandas.py [--parse-dates] FILE.csv
#     /usr/bin/python3 bench/bench_pandas.py --probe
#
# Prints one line of key=value pairs, like bench_csv:
#
#     reader=pandas wall_s=... bytes=... rows=... series=8 values=...
#     missing=0 rss_base_kb=... rss_peak_kb=... checksum=... pandas=1.5.3
#
# wall_s       time of the read_csv call alone (time.perf_counter);
# rss_base_kb  peak RSS of the process after `import pandas`, before reading;
# rss_peak_kb  peak RSS right after the read (the DataFrame is still alive);
# checksum     sum of every value of every numeric column (math.fsum, NaN
#              skipped), computed after rss_peak_kb was taken.
# --parse-dates reads with parse_dates=["timestamp"], which is the fair
# comparison: xfcast parses every timestamp too.  One process does one read.
# --probe prints the pandas version, or exits with status 3 and a message
# when pandas cannot be imported.
#
# Copyright (C) 2026 the xfcast authors.  GPL-3.0-or-later.
import itertools
import math
import os
import resource
import sys
import time


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def main(argv):
    args = argv[1:]
    probe = "--probe" in args
    parse_dates = "--parse-dates" in args
    files = [a for a in args if not a.startswith("--")]
    if not probe and len(files) != 1:
        sys.stderr.write("usage: bench_pandas.py [--parse-dates] FILE.csv | --probe\n")
        return 2
    try:
        import pandas
    except ImportError as e:
        sys.stderr.write("bench_pandas.py: pandas not installed for %s (%s)\n"
                         % (sys.executable, e))
        return 3
    if probe:
        print("pandas=%s numpy=%s python=%s" % (
            pandas.__version__, sys.modules["numpy"].__version__,
            sys.version.split()[0]))
        return 0
    path = files[0]
    size = os.stat(path).st_size
    rss_base = peak_rss_kb()

    if parse_dates:
        t0 = time.perf_counter()
        df = pandas.read_csv(path, parse_dates=["timestamp"])
        t1 = time.perf_counter()
    else:
        t0 = time.perf_counter()
        df = pandas.read_csv(path)
        t1 = time.perf_counter()
    rss_peak = peak_rss_kb()

    num = df.select_dtypes(include="number")
    n_values = 0
    n_missing = 0
    cols = []
    for name in num.columns:
        col = num[name].to_numpy(dtype="float64")
        ok = col[~pandas.isna(col)]
        n_missing += len(col) - len(ok)
        n_values += len(ok)
        cols.append(ok)
    # the correctly rounded sum of all values
    checksum = math.fsum(itertools.chain.from_iterable(cols))

    tcol = df.columns[0]
    print("reader=pandas%s wall_s=%.6f bytes=%d rows=%d series=%d values=%d "
          "missing=%d time_dtype=%s rss_base_kb=%d rss_peak_kb=%d checksum=%.17g "
          "pandas=%s" % (
              "_parse_dates" if parse_dates else "", t1 - t0, size, len(df),
              num.shape[1], n_values, n_missing, str(df[tcol].dtype).replace(" ", "_"),
              rss_base, rss_peak, checksum, pandas.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
