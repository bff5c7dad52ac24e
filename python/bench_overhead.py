"""bench_overhead.py - what the Python package costs over the C library and
the CLI on fit and forecast of one CSV file.

    python3 python/bench_overhead.py DATA.csv [--xfcast ./xfcast] [--repeat 3]
                                     [--filter-before TIME] [key=value ...]

key=value are model options (domain=energy, lags=336, encoders=none ...),
given to the CLI as --key value and to xfcast.Forecaster as keywords;
target=COL is a CSV option.  --filter-before fits on the rows before TIME
(the CLI fits on a copy of the CSV cut there).  For each of --repeat runs:

  fit       CLI wall time (process, CSV read, encoders, fit, save) and the
            library's own fit time in it (the head's fit.seconds); the
            package's Forecaster.fit wall time (DataFrame -> panel,
            encoders, fit) and the library's fit.seconds in it
  forecast  CLI forecast --head wall time; the package's predict() wall
            time (the panel of the fit) and the C forecast call alone
Medians are printed.  Run it from the build tree with the package on
PYTHONPATH (tests/test_python.sh shows how) or after make install.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

# python/ itself holds the package's sources, not the built one: not from here
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
import xfcast  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--xfcast", default="./xfcast")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--filter-before", default=None)
    ap.add_argument("opts", nargs="*")
    a = ap.parse_intermixed_args()
    kw, csv, cli = {}, {}, []
    for o in a.opts:
        k, v = o.split("=", 1)
        if k == "target":
            csv[k] = v
            cli += ["--target", v]
            continue
        if k == "encoders":
            kw[k] = tuple(v.split(","))
            for e in v.split(","):
                cli += ["--encoder", e]
            continue
        kw[k] = int(v) if v.isdigit() else v
        cli += ["--" + k.replace("_", "-"), v]
    tmp = tempfile.mkdtemp()
    data = a.data
    df = xfcast.read_csv(data, **csv)
    if a.filter_before:
        import pandas as pd
        cut = pd.Timestamp(a.filter_before)
        df = df[df["ds"] < cut]
        data = os.path.join(tmp, "train.csv")
        out = df.rename(columns={"unique_id": "id", "ds": "timestamp", "y": "value"})
        out.to_csv(data, index=False, date_format="%Y-%m-%dT%H:%M:%S")
        df = xfcast.read_csv(data)
        csv = {}
    rows = {k: [] for k in ("cli_fit", "cli_lib_fit", "py_fit", "py_lib_fit", "cli_fc", "py_fc",
                            "c_fc", "read_csv")}
    for _ in range(a.repeat):
        head = os.path.join(tmp, "h.xfm")
        t0 = time.perf_counter()
        subprocess.run([a.xfcast, "fit", data, *cli, "-q", "-o", head], check=True)
        rows["cli_fit"].append(time.perf_counter() - t0)
        rows["cli_lib_fit"].append(xfcast.Forecaster.load(head).report["seconds"])
        t0 = time.perf_counter()
        subprocess.run([a.xfcast, "forecast", data, "--head", head, "-q", "-o",
                        os.path.join(tmp, "fc.csv")], check=True)
        rows["cli_fc"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        d = xfcast.read_csv(data, **csv)
        rows["read_csv"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        f = xfcast.Forecaster(**kw).fit(d)
        rows["py_fit"].append(time.perf_counter() - t0)
        rows["py_lib_fit"].append(f.report["seconds"])
        t0 = time.perf_counter()
        p = f.predict()
        rows["py_fc"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        f._head.forecast(f._data.panel, f.info["horizon"])
        rows["c_fc"].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in rows.items()}
    n = len(p)
    print(f"data: {a.data} ({len(d)} values, {d['unique_id'].nunique()} series), options: "
          f"{' '.join(a.opts) or '(defaults)'}, median of {a.repeat}")
    print(f"fit:      CLI {med['cli_fit']:.3f} s (library fit {med['cli_lib_fit']:.3f} s); "
          f"package {med['py_fit']:.3f} s (library fit {med['py_lib_fit']:.3f} s): "
          f"overhead {med['py_fit'] - med['py_lib_fit']:.3f} s = "
          f"{100 * (med['py_fit'] / med['py_lib_fit'] - 1):.1f}% of the library's fit")
    print(f"forecast: CLI {med['cli_fc']:.3f} s (whole process); package predict "
          f"{med['py_fc'] * 1e3:.1f} ms for {n} rows, C call alone {med['c_fc'] * 1e3:.2f} ms: "
          f"overhead {100 * (med['py_fc'] / med['c_fc'] - 1):.1f}%")
    print(f"read_csv: {med['read_csv'] * 1e3:.1f} ms (the C reader + DataFrame)")


if __name__ == "__main__":
    sys.exit(main())
