"""The package and the CLI agree to the last printed digit on every bundled
dataset: the forecasts of ``xfcast forecast DATA --head H`` (CSV, numbers
printed with %.10g) and the package's DataFrame, for heads fitted by the CLI
and heads fitted by the package with the same options, and zero-shot."""
import io
import subprocess

import numpy as np
import pandas as pd
import pytest

import xfcast

# (dataset, CSV options, CLI model options, the same as keyword arguments)
CASES = [
    ("taylor-halfhourly.csv", {}, ["--domain", "energy"], dict(domain="energy")),
    ("taylor-halfhourly.csv", {},
     ["--encoder", "gru-base", "--encoder", "tcn-base", "--lags", "48", "--baseline", "seasonal"],
     dict(encoders=("gru-base", "tcn-base"), lags=48, baseline="seasonal")),
    ("sp500-2000.csv", {"target": "close"}, ["--domain", "stock"], dict(domain="stock")),
    ("seattle-weather.csv", {}, ["--domain", "weather"], dict(domain="weather")),
    ("seattle-weather.csv", {},
     ["--domain", "auto", "--encoder", "gru-base", "--penalty-per-step", "--history"],
     dict(domain="auto", encoders=("gru-base",), penalty_per_step=True, history=True)),
    ("seattle-weather-hourly-normals.csv", {"target": "temperature"}, ["--domain", "weather"],
     dict(domain="weather")),
]


def cli_csv_args(csv):
    return [a for k, v in csv.items() for a in ("--" + k.replace("_", "-"), v)]


def as_cli_text(df: pd.DataFrame, levels) -> pd.DataFrame:
    """The package's forecasts written as the CLI writes them."""
    fmt = np.vectorize(lambda v: "%.10g" % v if np.isfinite(v) else "NA", otypes=[object])
    cols = {"id": df["unique_id"].astype(str).values, "step": df["step"].astype(str).values,
            "mean": fmt(df["mean"].values)}
    for lv in levels:
        cols[f"lo{lv:g}"] = fmt(df[f"lo-{lv:g}"].values)
        cols[f"hi{lv:g}"] = fmt(df[f"hi-{lv:g}"].values)
    return pd.DataFrame(cols)


def compare(cli_out: str, df: pd.DataFrame):
    cli = pd.read_csv(io.StringIO(cli_out), dtype=str, keep_default_na=False)
    levels = [float(c[2:]) for c in cli.columns if c.startswith("lo")]
    ours = as_cli_text(df, levels)
    assert len(cli) == len(ours) > 0
    for c in ours.columns:
        diff = np.flatnonzero(cli[c].values != ours[c].values)
        assert len(diff) == 0, f"column {c}, row {diff[0]}: CLI {cli[c].values[diff[0]]}, " \
                               f"package {ours[c].values[diff[0]]}"
    t_cli = pd.to_datetime(cli["timestamp"], utc=True).values
    ds = df["ds"]
    ds = ds.dt.tz_convert("UTC") if ds.dt.tz is not None else ds.dt.tz_localize("UTC")
    assert np.array_equal(t_cli, ds.values)


def run(cli, *args):
    r = subprocess.run([cli, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("data,csv,cli_opts,kw", CASES,
                         ids=[f"{c[0]}:{' '.join(c[2])}" for c in CASES])
def test_parity(cli, datasets, tmp_path, data, csv, cli_opts, kw):
    path = datasets / data
    # a head fitted by the CLI, forecast by both
    head = tmp_path / "cli.xfm"
    run(cli, "fit", path, *cli_csv_args(csv), *cli_opts, "-q", "-o", head)
    want = run(cli, "forecast", path, *cli_csv_args(csv), "--head", head, "-q")
    f = xfcast.Forecaster.load(head)
    compare(want, f.predict(str(path)))
    # a head fitted by the package on the reader's DataFrame, same options
    g = xfcast.Forecaster(**kw).fit(xfcast.read_csv(path, **csv))
    compare(want, g.predict())
    # and the CLI forecasts the package's head the same way
    g.save(tmp_path / "py.xfm")
    compare(run(cli, "forecast", path, *cli_csv_args(csv), "--head", tmp_path / "py.xfm", "-q"),
            g.predict())


@pytest.mark.parametrize("data,csv", [("taylor-halfhourly.csv", {}),
                                      ("sp500-2000.csv", {"target": "close,volume"})])
def test_zero_shot_parity(cli, datasets, data, csv):
    path = datasets / data
    want = run(cli, "forecast", path, *cli_csv_args(csv), "-q")
    compare(want, xfcast.zero_shot(xfcast.read_csv(path, **csv)))


def test_covariate_parity(cli, tmp_path):
    """A future-known covariate: rows after the target's last value give its
    future values (the CLI's reading of a CSV, the package's of a frame)."""
    n = 24 * 80
    rng = np.random.default_rng(7)
    ds = pd.date_range("2020-01-01", periods=n, freq="h")
    temp = 15 + 8 * np.sin(2 * np.pi * np.arange(n) / (24 * 30)) + rng.uniform(-2, 2, n)
    load = 300 + 40 * np.sin(2 * np.pi * ds.hour.values / 24) + 6 * temp
    load[24 * 79:] = np.nan
    path = tmp_path / "energy.csv"
    pd.DataFrame({"time": ds.strftime("%Y-%m-%dT%H:%M:%S"), "load": np.round(load, 3),
                  "temperature": np.round(temp, 3)}).to_csv(path, index=False, na_rep="")
    head = tmp_path / "e.xfm"
    run(cli, "fit", path, "--target", "load", "--covariate", "temperature", "--encoder", "none",
        "--domain", "energy", "-q", "-o", head)
    want = run(cli, "forecast", path, "--target", "load", "--head", head, "-q")
    compare(want, xfcast.Forecaster.load(head).predict(str(path)))
    df = xfcast.read_csv(path, target="load,temperature")
    g = xfcast.Forecaster(encoders="none", domain="energy").fit(df, covariates=["temperature"])
    compare(want, g.predict())
    # the same data as a frame of the user's: history and future rows apart
    frame = pd.DataFrame({"unique_id": "load", "ds": ds, "y": load, "temperature": temp})
    hist, fut = frame.iloc[:24 * 79], frame.iloc[24 * 79:].drop(columns="y")
    h = xfcast.Forecaster(encoders="none", domain="energy").fit(
        pd.concat([hist, fut]), covariates=["temperature"])
    p = h.predict(hist, future=fut)
    assert len(p) == 24 and np.isfinite(p["mean"]).all()
