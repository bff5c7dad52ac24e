"""The GIL is released while forecasting: two threads forecast with one
model at once, and get what one thread gets."""
import threading
import time

import numpy as np
import pandas as pd

import pytest

import xfcast


@pytest.fixture(scope="module")
def fitted(datasets):
    df = xfcast.read_csv(datasets / "taylor-halfhourly.csv")
    return df, xfcast.Forecaster(domain="energy", encoders=("gru-base",)).fit(df)


def test_two_threads_one_model(fitted):
    df, f = fitted
    want = f.predict()
    # many series make one call long enough to overlap
    big = pd.concat([df.assign(unique_id=f"s{i}") for i in range(40)], ignore_index=True)
    results, errors, spans = {}, [], {}

    def work(k):
        try:
            t0 = time.monotonic()
            results[k] = f.predict(big)
            spans[k] = (t0, time.monotonic())
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for k in range(2):
        r = results[k]
        assert len(r) == 40 * len(want)
        for i in (0, 39):
            part = r[r["unique_id"] == f"s{i}"]
            assert np.array_equal(part["mean"].values, want["mean"].values)
            assert np.array_equal(part["hi-95"].values, want["hi-95"].values)
    # both calls ran at the same time: each started before the other ended
    (a0, a1), (b0, b1) = spans[0], spans[1]
    assert a0 < b1 and b0 < a1


def test_gil_released_during_forecast(fitted):
    """Python code runs in another thread while a forecast is computing."""
    df, f = fitted
    big = pd.concat([df.assign(unique_id=f"s{i}") for i in range(40)], ignore_index=True)
    data = xfcast._panel(big)
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.01)
    n0 = len(ticks)
    t0 = time.monotonic()
    f._head.forecast(data.panel, 48)  # the C call alone
    t1 = time.monotonic()
    done.set()
    t.join()
    during = [x for x in ticks if t0 < x < t1]
    assert t1 - t0 < 0.05 or len(during) >= 3, (t1 - t0, len(during), n0)




def test_update_refused_while_forecasting(fitted):
    """Changing a model while another thread forecasts with it raises
    instead of racing."""
    df, f = fitted
    big = pd.concat([df.assign(unique_id=f"s{i}") for i in range(40)], ignore_index=True)
    data = xfcast._panel(big)
    errors = []
    started = threading.Event()

    def work():
        started.set()
        f._head.forecast(data.panel, 48)

    t = threading.Thread(target=work)
    t.start()
    started.wait()
    deadline = time.monotonic() + 5
    while t.is_alive() and time.monotonic() < deadline:
        try:
            f._head.set_levels([80, 95])
        except RuntimeError as e:
            errors.append(e)
            break
        time.sleep(0.0005)
    t.join()
    assert errors and "in use" in str(errors[0])
