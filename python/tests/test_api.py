"""The package's API: inputs, options, errors, files, pickling, report."""
import os
import pickle

import numpy as np
import pandas as pd
import pytest

import xfcast


def hourly(n=24 * 7 * 10, ids=("a", "b"), tz=None, seed=1):
    rng = np.random.default_rng(seed)
    ds = pd.date_range("2024-01-01", periods=n, freq="h", tz=tz)
    rows = []
    for k, i in enumerate(ids):
        hour = ds.hour.values
        y = 100 + 10 * k + 20 * np.sin(2 * np.pi * hour / 24) + rng.normal(0, 1, n)
        rows.append(pd.DataFrame({"unique_id": i, "ds": ds, "y": y}))
    return pd.concat(rows, ignore_index=True)


FAST = dict(encoders="none", lags=48, horizon=12)


def test_version():
    assert xfcast.__version__.count(".") == 2


def test_fit_predict_long_frame():
    df = hourly()
    f = xfcast.Forecaster(**FAST).fit(df)
    p = f.predict()
    assert list(p.columns) == ["unique_id", "ds", "step", "mean", "lo-80", "hi-80",
                               "lo-95", "hi-95"]
    assert len(p) == 2 * 12
    assert list(p["unique_id"].unique()) == ["a", "b"]
    assert p["ds"].iloc[0] == df["ds"].max() + pd.Timedelta(hours=1)
    assert (p["lo-95"] <= p["lo-80"]).all() and (p["lo-80"] <= p["mean"]).all()
    assert (p["mean"] <= p["hi-80"]).all() and (p["hi-80"] <= p["hi-95"]).all()
    # a shorter horizon is the first steps of the full one
    p5 = f.predict(horizon=5)
    assert np.array_equal(p5["mean"].values, p.groupby("unique_id").head(5)["mean"].values)


def test_inputs_agree():
    """Long, wide, Series and numpy+freq inputs of one series give one forecast."""
    df = hourly(ids=("a",))
    long = xfcast.Forecaster(**FAST).fit(df).predict()
    wide = df.pivot(index="ds", columns="unique_id", values="y")
    w = xfcast.Forecaster(**FAST).fit(wide).predict()
    s = xfcast.Forecaster(**FAST).fit(wide["a"]).predict()
    a = xfcast.Forecaster(**FAST).fit(df["y"].values, freq="1h", start=df["ds"].iloc[0],
                                      target_col="a").predict()
    for other in (w, s, a):
        assert np.array_equal(long["mean"].values, other["mean"].values)
        assert np.array_equal(long["ds"].values, other["ds"].values)


def test_column_names_and_gaps():
    df = hourly(ids=("x",)).rename(columns={"unique_id": "store", "ds": "time", "y": "sales"})
    df = df.drop(index=[100, 101, 102])  # missing hours become NaN on the grid
    f = xfcast.Forecaster(**FAST).fit(df, id_col="store", time_col="time", target_col="sales")
    assert f.predict()["unique_id"].iloc[0] == "x"


def test_timezone():
    df = hourly(ids=("a",), tz="Europe/Berlin")
    p = xfcast.Forecaster(**FAST).fit(df).predict()
    assert str(p["ds"].dt.tz) == "Europe/Berlin"
    assert p["ds"].iloc[0] == df["ds"].max() + pd.Timedelta(hours=1)


def test_covariates_and_future():
    n = 24 * 7 * 8
    ds = pd.date_range("2024-01-01", periods=n + 12, freq="h")
    temp = 10 + 5 * np.cos(np.arange(n + 12) / 24 * 2 * np.pi)
    y = 50 + 3 * temp + np.random.default_rng(0).normal(0, 0.1, n + 12)
    hist = pd.DataFrame({"unique_id": "e", "ds": ds[:n], "y": y[:n], "temp": temp[:n]})
    fut = pd.DataFrame({"unique_id": "e", "ds": ds[n:], "temp": temp[n:]})
    f = xfcast.Forecaster(**FAST).fit(hist, covariates=["temp"])
    assert f.info["covariates"] == ["temp"]
    p = f.predict(hist, future=fut)
    assert len(p) == 12 and np.isfinite(p["mean"]).all()
    # without the future values the covariates are missing: a DataError naming the step
    with pytest.raises(xfcast.DataError) as e:
        f.predict(hist)
    assert e.value.status == -6 and "step" in str(e.value)


def test_option_errors():
    with pytest.raises(xfcast.OptionError) as e:
        xfcast.Forecaster(lags=-3)
    assert isinstance(e.value, xfcast.Error) and isinstance(e.value, ValueError)
    assert e.value.status == -3 and "lags" in str(e.value)
    with pytest.raises(xfcast.OptionError, match="sometimes"):
        xfcast.Forecaster(baseline="sometimes")
    with pytest.raises(xfcast.OptionError, match="unknown option 'lagz'"):
        xfcast.Forecaster(lagz=3)
    with pytest.raises(xfcast.OptionError, match="read_csv"):
        xfcast.Forecaster(gaps="keep")
    with pytest.raises(xfcast.OptionError):
        xfcast.Forecaster(levels=(80, 120))
    # flags and enums as Python values
    xfcast.Forecaster(calendar=False, history=True, seasonal_scale=True, select="mse")


def test_library_errors(tmp_path):
    with pytest.raises(xfcast.IOError) as e:
        xfcast.read_csv(tmp_path / "absent.csv")
    assert isinstance(e.value, OSError) and e.value.status == -2 and "absent.csv" in str(e.value)
    bad = tmp_path / "bad.csv"
    bad.write_text("date,y\n2024-01-01,1\n2024-01-02,2\n2024-01-03,x1\n")
    with pytest.raises(xfcast.ParseError) as e:
        xfcast.read_csv(bad, target="y")
    assert e.value.status == -4 and "bad.csv:4" in str(e.value)
    junk = tmp_path / "junk.xfm"
    junk.write_bytes(b"not a head file")
    with pytest.raises((xfcast.FormatError, xfcast.ChecksumError)):
        xfcast.Forecaster.load(junk)
    with pytest.raises(xfcast.DataError):  # too little data
        xfcast.Forecaster(**FAST).fit(hourly(n=20))
    with pytest.raises(xfcast.NotFoundError, match="nosuch"):
        xfcast.Forecaster(encoders=("nosuch",)).fit(hourly())


def test_save_load_pickle(tmp_path):
    f = xfcast.Forecaster(**FAST).fit(hourly())
    p = f.predict()
    f.save(tmp_path / "h.xfm")
    g = xfcast.Forecaster.load(tmp_path / "h.xfm")
    assert g.info["horizon"] == 12
    assert np.array_equal(g.predict(hourly())["mean"].values, p["mean"].values)
    h = pickle.loads(pickle.dumps(f))
    assert np.array_equal(h.predict(hourly())["mean"].values, p["mean"].values)


def test_levels_at_predict():
    f = xfcast.Forecaster(**FAST).fit(hourly())
    p = f.predict(levels=(50, 99))
    assert "lo-50" in p.columns and "hi-99" in p.columns
    assert (p["hi-99"] >= p["hi-50"]).all()


def test_report():
    f = xfcast.Forecaster(encoders="none", horizon=12).fit(hourly())
    r = f.report
    assert r["horizon"] == 12
    assert r["candidates"]["values"]  # the held-out configurations compared
    assert set(r["coverage"]) == {80.0, 95.0}
    assert r["provenance"]["data.series"] == 2
    assert "fit.date" in r["provenance"]
    assert r["provenance"]["source"] == "python" and r["provenance"]["encoders"] == []


def test_update_is_exact():
    """After a refit, update() on the grown series gives the head a refit on
    them gives (the library's exact incremental update), to rounding."""
    full = hourly(n=24 * 7 * 12)
    old = full.groupby("unique_id").head(24 * 7 * 10)
    f = xfcast.Forecaster(**FAST).fit(old)
    f.refit(old)  # the statistics of every origin, as update keeps them
    before = f.predict(full)["mean"].values
    added = f.update(full)
    assert added == 2 * 24 * 7 * 2  # one origin per new value of each series
    g = xfcast.Forecaster(**FAST).fit(old)
    used = g.refit(full)
    assert used > added
    pf, pg = f.predict(full)["mean"].values, g.predict(full)["mean"].values
    assert np.allclose(pf, pg, rtol=1e-9, atol=0)
    assert not np.array_equal(pf, before)  # the new data changed the model
    # nothing new: nothing added
    assert f.update(full) == 0


def test_load_without_statistics(tmp_path):
    f = xfcast.Forecaster(**FAST).fit(hourly())
    f.save(tmp_path / "h.xfm")
    g = xfcast.Forecaster.load(tmp_path / "h.xfm")
    lean = xfcast.Forecaster.load(tmp_path / "h.xfm", statistics=False)
    assert np.array_equal(lean.predict(hourly())["mean"].values,
                          g.predict(hourly())["mean"].values)
    before = (tmp_path / "h.xfm").read_bytes()
    with pytest.raises(ValueError, match="xf_head_load"):
        lean.update(hourly(n=24 * 7 * 11), seen={"a": 24 * 7 * 10, "b": 24 * 7 * 10})
    with pytest.raises(ValueError, match="statistics"):
        lean.save(tmp_path / "h.xfm")
    assert (tmp_path / "h.xfm").read_bytes() == before


def test_update_needs_what_the_head_saw(tmp_path):
    f = xfcast.Forecaster(**FAST).fit(hourly())
    f.save(tmp_path / "h.xfm")
    g = xfcast.Forecaster.load(tmp_path / "h.xfm")
    with pytest.raises(ValueError, match="seen"):
        g.update(hourly())
    assert g.update(hourly(n=24 * 7 * 11), seen={"a": 24 * 7 * 10, "b": 24 * 7 * 10}) > 0


def test_backtest():
    f = xfcast.Forecaster(**FAST)
    df = hourly()
    r = f.backtest(df, test_start=df["ds"].max() - pd.Timedelta(hours=48))
    assert r["horizon"] == 12 and r["origins"] > 0
    assert set(r["model"]) >= {"mae", "rmse", "smape", "mase", "coverage-80"}
    assert r["model"]["mase"] < r["naive"]["mase"] * 1.5
    assert len(r["per_step"]) == 12


def test_zero_shot():
    p = xfcast.zero_shot(hourly(), horizon=8)
    assert len(p) == 16 and np.isfinite(p["mean"]).all()


def test_options_table():
    names = {o["name"] for o in xfcast.options()}
    assert {"lags", "baseline", "levels", "gaps", "target"} <= names


def test_help_is_useful():
    doc = xfcast.Forecaster.__doc__
    assert "lags=48" in doc and "domain" in doc
    assert xfcast.Forecaster.fit.__doc__ and xfcast.Forecaster.predict.__doc__


def test_encoders_named_are_used():
    """As the CLI: the default pair competes with no embeddings; encoders
    named (even the same pair) are always used."""
    df = hourly()
    auto = xfcast.Forecaster(horizon=12, lags=48).fit(df).report["candidates"]["values"]
    named = xfcast.Forecaster(horizon=12, lags=48, encoders=("gru-base", "tcn-base")).fit(df)
    assert any(k.startswith("no_embeddings") for k in auto)
    assert not any(k.startswith("no_embeddings") for k in named.report["candidates"]["values"])
    assert [n for n, _ in named.info["encoders"]] == ["gru-base", "tcn-base"]
