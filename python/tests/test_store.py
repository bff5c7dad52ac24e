"""retrain() and Store: a sources INI file retrained into a store, listed,
shown, forecast and rolled back, as `xfcast retrain` and `xfcast store`."""
import numpy as np
import pandas as pd
import pytest

import xfcast


def write_csv(path, n, seed=3):
    ds = pd.date_range("2024-01-01", periods=n, freq="h")
    y = 100 + 20 * np.sin(2 * np.pi * ds.hour.values / 24) + \
        np.random.default_rng(seed).normal(0, 1, n)
    pd.DataFrame({"timestamp": ds.strftime("%Y-%m-%dT%H:%M:%SZ"), "load": y}).to_csv(path, index=False)


@pytest.fixture
def setup(tmp_path):
    write_csv(tmp_path / "load.csv", 24 * 7 * 8)
    (tmp_path / "sources.conf").write_text(
        "[load]\ncsv = load.csv\nhorizon = 12\nlags = 48\nencoder = none\nholdout = 48\n")
    return tmp_path


def test_retrain_store(setup):
    store = setup / "store"
    rep = xfcast.retrain(setup / "sources.conf", store)
    assert len(rep) == 1 and rep[0]["source"] == "load"
    assert rep[0]["outcome"] == "promoted" and rep[0]["version"] == 1 and rep[0]["status"] == 0
    # nothing new: unchanged
    rep = xfcast.retrain(setup / "sources.conf", store)
    assert rep[0]["outcome"] == "unchanged"
    # more data: an exact update or a new version
    write_csv(setup / "load.csv", 24 * 7 * 9)
    rep = xfcast.retrain(setup / "sources.conf", xfcast.Store(store))
    assert rep[0]["outcome"] in ("updated", "promoted", "kept") and rep[0]["version"] == 2

    st = xfcast.Store(store)
    assert st.list() == ["load"]
    info = st.show("load")
    assert info["current"] == 2 and info["versions"] == [1, 2]
    assert info["status"]["csv"].endswith("load.csv")
    assert info["report"]["horizon"] == 12
    fc = st.forecast("load")
    assert len(fc) == 12 and list(fc["unique_id"].unique()) == ["load"]
    # the champion as a Forecaster, on the path: the same forecasts
    same = st.load("load").predict(str(setup / "load.csv"))
    assert np.array_equal(fc["mean"].values, same["mean"].values)
    assert st.rollback("load") == (2, 1)
    shown = st.show("load")
    assert shown["current"] == 1 and shown["pinned"] == 1
    assert shown["status"]["outcome"] == "rolled-back" and shown["status"]["version"] == "1"
    assert "rolled back from v2 to v1" in shown["status"]["message"]
    with pytest.raises(xfcast.NotFoundError):
        st.rollback("load", to=7)


def test_retrain_errors(setup):
    (setup / "bad.conf").write_text("[x]\ncsv = load.csv\nlags = many\n")
    with pytest.raises(xfcast.Error) as e:
        xfcast.retrain(setup / "bad.conf", setup / "store")
    assert "lags" in str(e.value) and "bad.conf" in str(e.value)
    with pytest.raises(xfcast.Error):
        xfcast.Store(setup / "nostore")
