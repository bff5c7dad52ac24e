"""xfcast: time-series forecasting with frozen pretrained encoders and ridge
heads, from pandas and numpy.

A Python package over libxfcast (the C library behind the ``xfcast``
command): the same models, the same options (keyword arguments named like
the CLI's long options, ``-`` written ``_``), the same numbers.

    >>> import xfcast
    >>> df = xfcast.read_csv("datasets/taylor-halfhourly.csv")
    >>> f = xfcast.Forecaster(domain="energy").fit(df)
    >>> f.predict()            # DataFrame: unique_id, ds, step, mean, lo-80, hi-80, ...

Data may be given as
  * a long DataFrame (statsforecast names: ``unique_id``, ``ds``, ``y``;
    other names with ``id_col=``, ``time_col=``, ``target_col=``),
  * a wide DataFrame indexed by time (one series per column),
  * a ``pd.Series`` with a DatetimeIndex,
  * a numpy array (1-D: one series; 2-D: one series per column) with
    ``freq=`` and optionally ``start=``.
A tz-aware index or ``ds`` column gives the calendar's time zone.

Encoders are found as the CLI finds them: a path, else NAME.xfm in
``$XFCAST_MODELS``, the installed models directory, then the source
tree's ``models/`` (so an uninstalled build finds them).

Errors raise ``xfcast.Error`` subclasses with ``.status`` (the C library's
XF_E* code) and ``.message``; bad options raise ``xfcast.OptionError`` with
the messages of the CLI's option table.  Nothing is printed.

Fitting, forecasting, backtesting and retraining release the GIL: one
fitted Forecaster can forecast from several threads at once.  On import
the BLAS library is set to one thread, as the CLI does, so that results
are bit-identical to the CLI's (``set_blas_threads`` changes it).
"""
from __future__ import annotations

import os
import tempfile
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _xfcast
from ._xfcast import (  # noqa: F401  (re-exported)
    BusyError,
    ChecksumError,
    DataError,
    Error,
    FormatError,
    InvalidArgumentError,
    IOError,
    NotFoundError,
    OptionError,
    OutOfMemoryError,
    ParseError,
    RangeError,
)

try:  # pandas is needed for DataFrames; numpy arrays work without it
    import pandas as pd
except ImportError:  # pragma: no cover
    pd = None

__version__: str = _xfcast.version
__all__ = [
    "Forecaster", "zero_shot", "read_csv", "Store", "retrain", "options",
    "find_encoder", "model_dirs", "set_blas_threads",
    "Error", "OptionError", "OutOfMemoryError", "IOError", "InvalidArgumentError",
    "ParseError", "NotFoundError", "DataError", "RangeError", "FormatError",
    "ChecksumError", "BusyError", "__version__",
]

_FREQ_FIXED, _FREQ_BDAY, _FREQ_MONTH = 1, 2, 3
_US_DAY = 86_400_000_000
_DEFAULT_ENCODERS = ("gru-base", "tcn-base")


def _raise(cls, status: int, message: str):
    e = cls(message)
    e.status = status
    e.message = message
    raise e


# ---------------------------------------------------------------- options

def options() -> List[Dict[str, Any]]:
    """The option table the CLI, the sources INI file and the head file
    share (xf_options): name (the CLI's long option and INI key; the
    keyword argument is the name with '-' written '_'), type, where
    ('head': a model option of Forecaster, 'csv': a reader option of
    read_csv, 'source': a retrain INI key), default, help, choices."""
    return _xfcast.options()


_TABLE = {o["name"]: o for o in _xfcast.options()}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (list, tuple)):
        return ",".join(_text(v) for v in value) if value else "none"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (np.integer, np.floating)):
        return _text(value.item())
    return str(value)


def _option_dict(kw: Mapping[str, Any]) -> Dict[str, Tuple[str, str]]:
    """{INI name: (python name, text)} for the C layer (None: left out)."""
    out = {}
    for k, v in kw.items():
        if v is None:
            continue
        out[k.replace("_", "-")] = (k, _text(v))
    return out


def set_blas_threads(n: int) -> None:
    """Threads of the BLAS library for the whole process (xf_blas_set_threads).
    xfcast sets 1 on import, as the CLI does: results are then bit-identical
    to the CLI's; xfcast uses its own threads (``threads=``)."""
    _xfcast.set_blas_threads(int(n))


# ---------------------------------------------------------------- encoders

def model_dirs() -> List[str]:
    """Where encoders are looked for by name, in order: $XFCAST_MODELS, the
    installed models directory, the source tree's models/ (as the CLI)."""
    dirs = [os.environ.get("XFCAST_MODELS", ""), _xfcast.MODELDIR, _xfcast.SRC_MODELDIR]
    return [d for d in dirs if d]


def find_encoder(spec: str) -> str:
    """The path of an encoder given by name ("gru-base") or path.  Raises
    NotFoundError as the CLI words it."""
    if "/" in spec or spec.endswith(".xfm"):
        if os.path.isfile(spec):
            return spec
        _raise(NotFoundError, -5, f"encoder file '{spec}' not found")
    for d in model_dirs():
        p = os.path.join(d, spec + ".xfm")
        if os.path.isfile(p):
            return p
    _raise(NotFoundError, -5,
           f"encoder '{spec}' not found in $XFCAST_MODELS, {_xfcast.MODELDIR} or the "
           f"source tree; give its path")


def _encoder_paths(specs: Iterable[str]) -> List[str]:
    return [find_encoder(s) for s in specs if s != "none"]


# ---------------------------------------------------------------- time

def _freq_tuple(freq: Any) -> Optional[Tuple[int, int, int]]:
    """A frequency as the C layer takes it, from xfcast text ("1h", "B",
    "M"), a pandas offset or alias ("H", "30T", "MS", "W-SUN"), or a tuple."""
    if freq is None or isinstance(freq, tuple):
        return freq
    text = freq.freqstr if hasattr(freq, "freqstr") else str(freq)
    try:
        return _xfcast.freq_parse(text)
    except Error:
        pass
    if pd is not None:  # a pandas alias: its step, or its calendar unit
        off = pd.tseries.frequencies.to_offset(text)
        name = type(off).__name__
        n = int(getattr(off, "n", 1))
        if name in ("BusinessDay",):
            return (_FREQ_BDAY, n, 0)
        if name in ("MonthEnd", "MonthBegin"):
            return (_FREQ_MONTH, n, int(name == "MonthEnd"))
        if name in ("QuarterEnd", "QuarterBegin"):
            return (_FREQ_MONTH, 3 * n, int(name == "QuarterEnd"))
        if name in ("YearEnd", "YearBegin"):
            return (_FREQ_MONTH, 12 * n, int(name == "YearEnd"))
        if name == "Week":
            return (_FREQ_FIXED, n * 7 * _US_DAY, 0)
        try:
            return (_FREQ_FIXED, int(pd.Timedelta(off).value // 1000), 0)
        except (ValueError, TypeError):
            pass
    _raise(OptionError, -3, f"unknown frequency '{text}' (use e.g. 15s, 30min, 1h, D, W, B, M, Q, Y)")


def _infer_freq(t: np.ndarray) -> Optional[Tuple[int, int, int]]:
    """The frequency of sorted microsecond timestamps: calendar months
    (same day of month, or month ends), business days, else the greatest
    common step."""
    if len(t) < 2:
        return None
    d = np.diff(t)
    if np.any(d <= 0):
        _raise(DataError, -6, "timestamps are not strictly increasing")
    days = t // _US_DAY
    midnight = np.all(t % _US_DAY == 0)
    if midnight:
        dt = np.asarray(t, dtype="datetime64[us]")
        y = dt.astype("datetime64[Y]").astype(np.int64) + 1970
        m = dt.astype("datetime64[M]").astype(np.int64) % 12 + 1
        dom = (dt - dt.astype("datetime64[M]")).astype("timedelta64[D]").astype(np.int64) + 1
        nxt = dt + np.timedelta64(1, "D")
        month_end = np.all(nxt.astype("datetime64[M]") != dt.astype("datetime64[M]"))
        months = y * 12 + (m - 1)
        if (month_end or np.all(dom == dom[0])) and np.all(np.diff(months) > 0):
            step = int(np.gcd.reduce(np.diff(months)))
            return (_FREQ_MONTH, step, int(bool(month_end) and dom.min() < 31))
        weekday = (days + 3) % 7  # 0 = Monday
        if np.all(weekday < 5) and np.any(d == 3 * _US_DAY) and \
                np.all((d == _US_DAY) | ((d == 3 * _US_DAY) & (weekday[1:] == 0))):
            return (_FREQ_BDAY, 1, 0)
    return (_FREQ_FIXED, int(np.gcd.reduce(d)), 0)


def _to_us(values) -> Tuple[np.ndarray, Optional[str]]:
    """Timestamps (DatetimeIndex, datetime column, strings) as int64
    microseconds since the epoch, UTC, and the time zone if tz-aware."""
    idx = pd.DatetimeIndex(pd.to_datetime(values))
    tz = None
    if idx.tz is not None:
        tz = str(idx.tz)
        idx = idx.tz_convert("UTC").tz_localize(None)
    return idx.asi8 // 1000, tz


def _regularise(t: np.ndarray, y: np.ndarray, covs: List[np.ndarray], freq, sid: str):
    """Put a series on its regular grid: missing timestamps become NaN."""
    if freq is None or len(t) < 2:
        return t, y, covs
    if freq[0] == _FREQ_FIXED:
        k = (t - t[0]) // freq[1]
        if np.any((t - t[0]) % freq[1] != 0):
            _raise(DataError, -6, f"series '{sid}': a timestamp is off the {_xfcast.freq_format(freq)} grid")
    else:
        k = np.array([_xfcast.freq_steps(freq, int(t[0]), int(x)) for x in t], dtype=object)
        if any(v is None for v in k):
            _raise(DataError, -6, f"series '{sid}': a timestamp is off the {_xfcast.freq_format(freq)} grid")
        k = k.astype(np.int64)
    n = int(k[-1]) + 1
    if n == len(t) and np.all(k == np.arange(n)):
        return t, y, covs
    if len(np.unique(k)) != len(k):
        _raise(DataError, -6, f"series '{sid}': two rows at one timestamp")
    grid = _xfcast.freq_grid(freq, int(t[0]), n)

    def spread(v):
        out = np.full(n, np.nan)
        out[k] = v
        return out
    return grid, spread(y), [spread(c) for c in covs]


# ---------------------------------------------------------------- data -> panel

class _Data:
    """What a panel was built from: the series ids, their lengths and the
    observed values, the zone, and how the forecasts' ds are written."""

    def __init__(self, panel, ids, observed, tz, kind):
        self.panel = panel
        self.ids = ids
        self.observed = observed
        self.tz = tz
        self.kind = kind


def _as_float(v) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(v, dtype=np.float64))


def _panel(data: Any, *, id_col="unique_id", time_col="ds", target_col="y",
           covariates: Sequence[str] = (), freq=None, start=None, future=None,
           holidays: Optional[str] = None) -> _Data:
    covariates = list(covariates or ())
    freq = _freq_tuple(freq)
    series = []  # (id, t or None, y, covs, freq)
    tz = None
    if pd is not None and isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else target_col)
    if isinstance(data, np.ndarray) or (isinstance(data, (list, tuple)) and not covariates):
        arr = np.asarray(data, dtype=np.float64)
        if arr.ndim == 1:
            arr = arr[:, None]
        t0 = None
        if start is not None:
            t0, tz = _to_us([start])
            t0 = int(t0[0])
            if freq is None:
                _raise(OptionError, -3, "numpy data with start= needs freq=")
        for j in range(arr.shape[1]):
            sid = target_col if arr.shape[1] == 1 else f"{target_col}{j}"
            series.append((sid, None, _as_float(arr[:, j]), [], freq, t0))
        kind = "array"
    elif pd is not None and isinstance(data, pd.DataFrame):
        attrs = data.attrs.get("xfcast", {})
        holidays = holidays or attrs.get("holidays")
        if covariates and "columns" in attrs and not all(c in data.columns for c in covariates):
            data = _long_with_covariates(data, covariates)  # read_csv's series -> columns
        if future is not None:
            future = future.copy()
            if id_col in data.columns and id_col not in future.columns:
                _raise(OptionError, -3, f"future: no '{id_col}' column")
            data = pd.concat([data, future], ignore_index=id_col in data.columns, sort=False)
        if id_col in data.columns and time_col in data.columns:
            kind = "long"
            for c in [target_col] + covariates:
                if c not in data.columns:
                    _raise(NotFoundError, -5, f"no column '{c}' (columns: {', '.join(map(str, data.columns))})")
            t_all, tz = _to_us(data[time_col])
            frame = pd.DataFrame({"_id": data[id_col].astype(str).values, "_t": t_all})
            order = np.argsort(t_all, kind="stable")
            frame = frame.iloc[order]
            for sid, idx in frame.groupby("_id", sort=False).indices.items():
                rows = order[idx]
                t = t_all[rows]
                y = _as_float(data[target_col].values[rows])
                cv = [_as_float(data[c].values[rows]) for c in covariates]
                f = attrs.get("freq", {}).get(sid) or freq or _infer_freq(t)
                series.append((sid, t, y, cv, f, None))
            # keep the order in which ids first appear, as the CSV reader does
            first = {sid: i for i, sid in enumerate(pd.unique(data[id_col].astype(str)))}
            series.sort(key=lambda s: first[s[0]])
        else:
            kind = "wide"
            if time_col in data.columns:
                data = data.set_index(time_col)
            t, tz = _to_us(data.index)
            order = np.argsort(t, kind="stable")
            t = t[order]
            cv = [_as_float(data[c].values[order]) for c in covariates]
            for c in data.columns:
                if c in covariates or not np.issubdtype(data[c].dtype, np.number):
                    continue
                y = _as_float(data[c].values[order])
                f = attrs.get("freq", {}).get(str(c)) or freq or _infer_freq(t)
                series.append((str(c), t, y, cv, f, None))
        tz = attrs.get("tz", tz)
    else:
        raise TypeError("data: a DataFrame, a Series or a numpy array, not %s" % type(data).__name__)
    if not series:
        _raise(DataError, -6, "no series in the data")
    panel = _xfcast.Panel(covariates, tz)
    if holidays:
        panel.load_holidays(holidays)
    observed = {}
    for sid, t, y, cv, f, t0 in series:
        if t is not None:
            t, y, cv = _regularise(t, y, cv, f, sid)
        panel.add(sid, y, times=t, freq=f, covariates=cv if covariates else None, start=t0)
    for i in range(len(panel)):
        s = panel.series(i)
        observed[s["id"]] = s["observed"]
    return _Data(panel, [s[0] for s in series], observed, tz, kind)


def _frame(res: Dict[str, Any], data: _Data, levels: Sequence[float]) -> "pd.DataFrame":
    """The forecast arrays as the DataFrame predict returns."""
    ids = np.asarray(data.ids, dtype=object)[res["series"]]
    if res["has_time"].all() and len(res["has_time"]):
        ds = pd.to_datetime(res["time"], unit="us")
        if data.tz:
            ds = ds.tz_localize("UTC").tz_convert(data.tz)
    else:
        ds = res["time"]
    cols = {"unique_id": ids, "ds": ds, "step": res["step"], "mean": res["mean"]}
    for l, lv in enumerate(levels):
        cols[f"lo-{lv:g}"] = res["lo"][l]
        cols[f"hi-{lv:g}"] = res["hi"][l]
    return pd.DataFrame(cols)


# ---------------------------------------------------------------- read_csv

def read_csv(path: str, **csv_options: Any) -> "pd.DataFrame":
    """Read a CSV file with xfcast's reader (the one the CLI uses: detected
    delimiter, time column, long or wide layout, gap and duplicate
    policies, time zones) into a long DataFrame ``unique_id, ds, y``.

    Keyword arguments are the CLI's CSV options (``target="close"``,
    ``id_col="store"``, ``freq="1h"``, ``gaps="interpolate"``, ``tz=...``,
    ``holidays=...``; see ``options()``).  The frame's ``attrs["xfcast"]``
    keeps what the reader found (frequency per series, zone, the options),
    so that fitting on it models exactly what ``xfcast fit`` would."""
    opts = _option_dict(csv_options)
    r = _xfcast.read_csv(os.fspath(path), opts)
    parts, freqs, columns = [], {}, {}
    for s in r["series"]:
        freqs[s["id"]] = s["freq"]
        columns[s["id"]] = s["column"]
        parts.append((s["id"], s["times"], s["values"]))
    n = [len(p[1]) for p in parts]
    t = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
    ds = pd.to_datetime(t, unit="us")
    if r["tz"]:
        ds = ds.tz_localize("UTC").tz_convert(r["tz"])
    df = pd.DataFrame({
        "unique_id": np.repeat(np.asarray([p[0] for p in parts], dtype=object), n),
        "ds": ds,
        "y": np.concatenate([p[2] for p in parts]) if parts else np.zeros(0),
    })
    df.attrs["xfcast"] = {
        "freq": freqs, "tz": r["tz"], "columns": columns, "notes": r["notes"],
        "time_column": r["time_column"], "delimiter": r["delimiter"],
        "csv_options": {k: v for k, v in csv_options.items() if v is not None},
        "holidays": csv_options.get("holidays"), "path": os.fspath(path),
    }
    return df


# ---------------------------------------------------------------- Forecaster

DataLike = Union["pd.DataFrame", "pd.Series", np.ndarray]


class Forecaster:
    """A global forecasting model: a ridge head on frozen pretrained
    encoders, with split-conformal prediction intervals (``xfcast fit``).

    Forecaster(horizon=None, domain=None, encoders=("gru-base", "tcn-base"),
               levels=(80, 95), **options)

    horizon   steps to forecast (None: from the frequency, e.g. a day of
              sub-daily data, 14 days, 12 months)
    domain    "generic", "stock", "weather", "energy", or "auto" (None, the
              default: suggested from the first series, as the CLI's fit
              and backtest do without ``--domain``)
    encoders  encoder names or paths ("none" or (): lags and calendar
              only).  Left at the default (or None), the pair is kept only
              when it wins on the held-out origins; encoders given are
              always used, as the CLI's --encoder
    levels    interval levels in percent (() or None: no intervals)
    options   the CLI's model options, '-' written '_': lags=48,
              baseline="seasonal", seasonal_scale=True, select="mse",
              calendar=False, history=True, penalty_per_step=True,
              log=True, season=24, valid_fraction=0.2, max_windows=40000,
              threads=4 (see ``xfcast.options()``); validated here with the
              CLI's messages (OptionError).

    Methods: fit, predict, backtest, update, refit, save, load (classmethod);
    properties report and info.  Picklable (through the head file).
    """

    def __init__(self, horizon: Optional[int] = None, domain: Optional[str] = None,
                 encoders: Union[Sequence[str], str, None] = _DEFAULT_ENCODERS,
                 levels: Optional[Sequence[float]] = (80, 95), **options: Any) -> None:
        # as the CLI: encoders named are always used (even the default pair,
        # as --encoder gru-base --encoder tcn-base); the default ones only
        # when they win on the held-out origins
        self._explicit = encoders is not _DEFAULT_ENCODERS and encoders is not None
        if encoders is None:
            encoders = _DEFAULT_ENCODERS
        if isinstance(encoders, str):
            encoders = (encoders,)
        self.encoders: Tuple[str, ...] = tuple(encoders) if encoders else ("none",)
        self.horizon = horizon
        self.domain = domain
        self.levels = tuple(levels) if levels else ()
        self.options: Dict[str, Any] = dict(options)
        self._head = None
        self._data: Optional[_Data] = None
        self._seen: Dict[str, int] = {}
        self._source_kw: Dict[str, Any] = {}
        _xfcast.check_options(self._opts(), "head")

    def _opts(self) -> Dict[str, Tuple[str, str]]:
        kw = dict(self.options)
        kw["horizon"] = self.horizon
        kw["levels"] = list(self.levels) if self.levels else "none"
        if self.domain is not None and self.domain != "auto":
            kw["domain"] = self.domain
        for k in kw:
            o = _TABLE.get(k.replace("_", "-"))
            if o is not None and o["where"] != "head":
                _raise(OptionError, -3,
                       f"'{k}' is a CSV reader option: give it to xfcast.read_csv"
                       if o["where"] == "csv" else f"'{k}' is not a model option here")
        return _option_dict(kw)

    def __repr__(self) -> str:
        state = "fitted" if self._head is not None else "not fitted"
        return (f"Forecaster(horizon={self.horizon!r}, domain={self.domain!r}, "
                f"encoders={self.encoders!r}, levels={self.levels!r}"
                + "".join(f", {k}={v!r}" for k, v in self.options.items()) + f")  # {state}")

    # -- fitting
    def fit(self, df: DataLike, id_col: str = "unique_id", time_col: str = "ds",
            target_col: str = "y", covariates: Optional[Sequence[str]] = None,
            freq: Any = None, start: Any = None, source: Optional[str] = None) -> "Forecaster":
        """Fit the head on the data (every series: one global model).

        covariates  columns known in advance (their values at the forecast
                    steps come from ``future=`` in predict, or from rows
                    after the target's last value)
        freq        the frequency when it cannot be inferred ("1h", "B", a
                    pandas alias), required with numpy arrays and start=
        source      provenance recorded in the head (default: "python")
        Returns self.  Releases the GIL while fitting."""
        kw = dict(id_col=id_col, time_col=time_col, target_col=target_col,
                  covariates=covariates or (), freq=freq, start=start)
        data = _panel(df, **kw)
        head = _xfcast.fit(data.panel, _encoder_paths(self.encoders), self._opts(),
                           self._explicit, self.domain in (None, "auto"), source or "python")
        csv = getattr(df, "attrs", {}).get("xfcast", {}).get("csv_options") \
            if pd is not None and isinstance(df, pd.DataFrame) else None
        if csv is not None:
            head.record_csv(_option_dict(csv))
        self._head, self._data, self._source_kw = head, data, kw
        self._seen = dict(data.observed)
        return self

    def _need_head(self):
        if self._head is None:
            raise RuntimeError("this Forecaster is not fitted: call fit() or Forecaster.load()")
        return self._head

    # -- forecasting
    def predict(self, df: Optional[Union[DataLike, str]] = None, horizon: Optional[int] = None,
                future: Optional["pd.DataFrame"] = None,
                levels: Optional[Sequence[float]] = None, **data_kw: Any) -> "pd.DataFrame":
        """Forecast every series from its last observed value.

        df       the history (default: the data fitted on); a str is a CSV
                 path read with the head's data spec, as ``xfcast forecast
                 --head`` reads it
        horizon  steps (default: the head's)
        future   rows after the history with the covariates' future values
                 (same columns as df, no target needed)
        levels   other interval levels, from the residuals kept at fit time
        Returns a DataFrame: unique_id, ds, step, mean, lo-L, hi-L per level.
        Releases the GIL: several threads may predict with one Forecaster."""
        head = self._need_head()
        if levels is not None:
            head.set_levels(list(levels))
        info = head.info()
        if df is None and future is None and self._data is not None:
            data = self._data
        elif df is None and self._data is None:
            raise ValueError("predict: give the data (this Forecaster was loaded, not fitted)")
        else:
            data = self._data_for(df if df is not None else None, future, info, data_kw)
        h = int(horizon) if horizon is not None else info["horizon"]
        res = head.forecast(data.panel, h)
        return _frame(res, data, info["levels"])

    def _data_for(self, df, future, info, data_kw) -> _Data:
        if isinstance(df, (str, os.PathLike)):
            df = self._read_like_head(os.fspath(df), info)
        kw = dict(self._source_kw)
        kw.update(data_kw)
        kw["covariates"] = info["covariates"]
        kw.setdefault("freq", None)
        kw.pop("start", None)
        if df is None:
            raise ValueError("predict: future= needs the history too (df=)")
        return _panel(df, future=future, **kw)

    def _read_like_head(self, path: str, info) -> "pd.DataFrame":
        spec = self._head.csv_spec()
        kw = {k.replace("-", "_"): v for k, v in spec.items()}
        cols = self._head.meta().get("data.columns")
        targets = kw.get("target") or cols
        if targets and info["covariates"]:
            have = targets.split(",")
            targets = ",".join(have + [c for c in info["covariates"] if c not in have])
        if targets:
            kw["target"] = targets
        df = read_csv(path, **kw)
        if info["covariates"]:
            df = _long_with_covariates(df, info["covariates"])
        return df

    # -- evaluation
    def backtest(self, df: DataLike, test_start: Any, test_end: Any = None, stride: int = 0,
                 zero_shot: bool = False, id_col: str = "unique_id", time_col: str = "ds",
                 target_col: str = "y", covariates: Optional[Sequence[str]] = None,
                 freq: Any = None) -> Dict[str, Any]:
        """Fit on the data before ``test_start`` (a time, or an int: a value
        index per series) and forecast every ``stride`` steps (0: the
        horizon) after it, as ``xfcast backtest``.  Returns the metrics:
        {"model": {"mae", "rmse", "smape", "mase", "n", "coverage-80", ...},
        "naive": ..., "snaive": ..., "per_step": [...], "horizon", "season",
        "origins", "series", ...}.  Releases the GIL."""
        data = _panel(df, id_col=id_col, time_col=time_col, target_col=target_col,
                      covariates=covariates or (), freq=freq)
        st, sr = _point(test_start)
        et, er = _point(test_end) if test_end is not None else (_TIME_NONE, -1)
        return _xfcast.backtest(data.panel, _encoder_paths(self.encoders), self._opts(),
                                self._explicit, self.domain in (None, "auto"), st, sr, et, er,
                                int(stride), bool(zero_shot))

    # -- exact update
    def update(self, df: DataLike, seen: Optional[Mapping[str, int]] = None,
               **data_kw: Any) -> int:
        """Add the origins of the data that arrived since the last fit,
        refit or update (xf_head_update) without revisiting history: after
        a refit() the head becomes, to rounding, the one refit() on all the
        data gives (configuration and penalties kept).  ``df`` holds
        the whole grown series; ``seen`` (default: tracked since fit) maps
        each id to the number of values the head already saw.  Returns the
        number of origins added.  Releases the GIL."""
        head = self._need_head()
        info = head.info()
        kw = dict(self._source_kw)
        kw.update(data_kw)
        kw["covariates"] = info["covariates"]
        kw.pop("start", None)
        data = _panel(df, **kw)
        seen = dict(self._seen if seen is None else seen)
        if not seen and self._data is None:
            raise ValueError("update: give seen= (values per series the loaded head saw)")
        counts = np.array([seen.get(i, 0) for i in data.ids], dtype=np.int64)
        added = head.update(data.panel, counts, int(self.options.get("threads", 0) or 0))
        self._seen.update(data.observed)
        self._data = data
        return added

    def refit(self, df: DataLike, **data_kw: Any) -> int:
        """Recompute the head's statistics from every origin of the data
        (xf_head_refit), keeping its configuration, penalties and
        intervals: what update() reaches incrementally.  Returns the number
        of origins used.  Releases the GIL."""
        head = self._need_head()
        kw = dict(self._source_kw)
        kw.update(data_kw)
        kw["covariates"] = head.info()["covariates"]
        kw.pop("start", None)
        data = _panel(df, **kw)
        used = head.refit(data.panel, int(self.options.get("threads", 0) or 0))
        self._seen = dict(data.observed)
        self._data = data
        return used

    # -- files
    def save(self, path: Union[str, os.PathLike]) -> None:
        """Write the head file (atomically); ``xfcast forecast --head PATH``
        and Forecaster.load read it."""
        self._need_head().save(os.fspath(path))

    @classmethod
    def load(cls, path: Union[str, os.PathLike],
             encoders: Optional[Sequence[str]] = None,
             statistics: bool = True) -> "Forecaster":
        """A Forecaster from a head file (``xfcast fit -o``, save()).  Its
        encoders are found by name, as the CLI finds them, unless given.

        statistics=False leaves the head's stored sufficient statistics
        unread (what ``xfcast forecast`` does): a head with embeddings then
        loads several times faster and predicts, backtests and refits the
        same, but update(), save() and pickling raise until a refit."""
        return cls._from_head(_xfcast.load_head(os.fspath(path), bool(statistics)), encoders)

    @classmethod
    def _from_head(cls, head, encoders=None) -> "Forecaster":
        info = head.info()
        names = [n for n, _ in info["encoders"]]
        head.attach(_encoder_paths(encoders if encoders is not None else names))
        f = cls.__new__(cls)
        f.encoders = tuple(encoders if encoders is not None else names) or ("none",)
        f._explicit = True
        f.horizon = info["horizon"]
        f.domain = info["domain"]
        f.levels = tuple(info["levels"])
        f.options = {}
        f._head, f._data, f._seen, f._source_kw = head, None, {}, {}
        return f

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state["_data"] = None
        if self._head is not None:
            with tempfile.TemporaryDirectory() as d:
                p = os.path.join(d, "head.xfm")
                self._head.save(p)
                with open(p, "rb") as fh:
                    state["_head"] = fh.read()
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        blob = state.pop("_head")
        self.__dict__.update(state)
        self._head = None
        if blob is not None:
            with tempfile.TemporaryDirectory() as d:
                p = os.path.join(d, "head.xfm")
                with open(p, "wb") as fh:
                    fh.write(blob)
                head = _xfcast.load_head(p)
            names = [n for n, _ in head.info()["encoders"]]
            enc = self.encoders if self._explicit and self.encoders != ("none",) else names
            head.attach(_encoder_paths(enc if len(enc) == len(names) else names))
            self._head = head

    # -- what the fit found
    @property
    def info(self) -> Dict[str, Any]:
        """horizon, domain, levels, season, features, covariates, encoders
        (name, fingerprint), zero_shot, description."""
        return self._need_head().info()

    @property
    def report(self) -> Dict[str, Any]:
        """The fit report, from the head's metadata: the held-out
        candidates and their scores, the interval coverage on held-out
        origins, the provenance (data, encoders, date, version), the
        training figures, and all metadata under "meta"."""
        return _report(self._need_head())


_TIME_NONE = -(2 ** 63)


def _point(v) -> Tuple[int, int]:
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return _TIME_NONE, int(v)
    t, _ = _to_us([v])
    return int(t[0]), -1


def _report(head) -> Dict[str, Any]:
    meta = head.meta()
    info = head.info()
    cands = {}
    for prefix, score in (("valid.mase.", "mase"), ("valid.mae_norm.", "mae_normalised"),
                          ("valid.mse_units.", "mse")):
        vals = {k[len(prefix):]: v for k, v in meta.items() if k.startswith(prefix)}
        if vals:
            cands = {"score": score, "values": vals}
            break
    coverage = {lv: meta.get(f"coverage.{lv:g}") for lv in info["levels"]}
    prov = {k: v for k, v in meta.items() if k == "source" or k.startswith(("fit.date", "data."))}
    prov["encoders"] = info["encoders"]
    return {
        "model": info["description"], "horizon": info["horizon"], "domain": info["domain"],
        "candidates": cands, "coverage": coverage, "provenance": prov,
        "windows": meta.get("fit.windows"), "windows_valid": meta.get("fit.windows_valid"),
        "lambda": meta.get("fit.lambda"), "valid_mse": meta.get("valid.mse"),
        "seconds": meta.get("fit.seconds"), "meta": meta,
    }


def _long_with_covariates(df: "pd.DataFrame", covs: Sequence[str]) -> "pd.DataFrame":
    """A read_csv frame whose covariate series become columns next to each
    target (as xf_panel_from_dataset pairs them: same id group, or the
    file's for a wide file)."""
    cols = df.attrs["xfcast"]["columns"]
    is_cov = df["unique_id"].map(lambda s: cols.get(s) in covs)
    tgt = df[~is_cov].copy()
    for c in covs:
        cid = [s for s, col in cols.items() if col == c]
        parts = df[df["unique_id"].isin(cid)]
        if len(cid) == 1:
            m = parts[["ds", "y"]].rename(columns={"y": c})
            tgt = tgt.merge(m, on="ds", how="left")
        else:  # long file: the covariate of the same id ("VALUE:col")
            key = parts["unique_id"].str.rsplit(":", n=1).str[0]
            m = parts.assign(_g=key.values)[["_g", "ds", "y"]].rename(columns={"y": c})
            tgt = tgt.assign(_g=tgt["unique_id"].str.rsplit(":", n=1).str[0])
            tgt = tgt.merge(m, on=["_g", "ds"], how="left").drop(columns="_g")
    tgt.attrs = df.attrs
    return tgt


# ---------------------------------------------------------------- zero-shot

def zero_shot(df: DataLike, horizon: Optional[int] = None, encoder: str = "tcn-v3",
              levels: Optional[Sequence[float]] = (80, 95), id_col: str = "unique_id",
              time_col: str = "ds", target_col: str = "y", freq: Any = None,
              start: Any = None, **options: Any) -> "pd.DataFrame":
    """Forecast with an encoder's pretraining head, no fitting (``xfcast
    forecast`` without --head; at most the pretraining horizon: 336 steps for
    tcn-v2 and tcn-v3, 64 for gru-base and tcn-base), intervals calibrated on
    the series' own recent errors.  Returns the DataFrame of predict."""
    data = _panel(df, id_col=id_col, time_col=time_col, target_col=target_col, freq=freq,
                  start=start)
    kw = dict(options)
    kw["horizon"] = horizon
    kw["levels"] = list(levels) if levels else "none"
    head = _xfcast.zero_shot(data.panel, find_encoder(encoder), _option_dict(kw))
    info = head.info()
    return _frame(head.forecast(data.panel, info["horizon"]), data, info["levels"])


# ---------------------------------------------------------------- store, retrain

class Store:
    """A model store (``xfcast retrain`` writes it; ``xfcast store``
    reads it): one directory per source with versioned heads."""

    def __init__(self, path: Union[str, os.PathLike], create: bool = False) -> None:
        self.path = os.fspath(path)
        self._s = _xfcast.Store(self.path, create)

    def list(self) -> List[str]:
        """The source names."""
        return self._s.list()

    def show(self, name: str) -> Dict[str, Any]:
        """A source's versions, current (champion) version, pin, status
        (parsed "key: value" lines) and the champion's report."""
        e = self._s.entry(name)
        status = {}
        for line in (e.get("status") or "").splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                status[k.strip()] = v.strip()
        e["status"] = status
        if e["current"]:
            e["report"] = _report(self._s.load(name, 0))
        return e

    def load(self, name: str, version: int = 0) -> Forecaster:
        """The champion (version 0) or another version as a Forecaster."""
        return Forecaster._from_head(self._s.load(name, int(version)))

    def forecast(self, name: str, df: Optional[Union[DataLike, str]] = None,
                 horizon: Optional[int] = None) -> "pd.DataFrame":
        """Forecast with a source's champion, as ``xfcast store forecast``:
        on df, else the CSV the source's status names, read with the head's
        data spec."""
        f = self.load(name)
        if df is None:
            df = self.show(name)["status"].get("csv")
            if not df or df == "-":
                _raise(NotFoundError, -5, f"no data for '{name}': give df")
        return f.predict(df, horizon=horizon)

    def rollback(self, name: str, to: Optional[int] = None) -> Tuple[int, int]:
        """Make an earlier version current (default: the one before the
        current) and pin it, under the source's lock.  Returns (was, now)."""
        return self._s.rollback(name, int(to or 0))


def retrain(config: Union[str, os.PathLike], store: Union[str, os.PathLike, Store],
            force: bool = False, dry_run: bool = False, threads: int = 0) -> List[Dict[str, Any]]:
    """``xfcast retrain``: retrain every source of a sources INI file into
    a store (refit, exact update or nothing; the challenger is promoted only
    when it wins on the holdout).  Returns one dict per source: source,
    outcome, status, version, rows, rows_added, origins_added,
    mase_champion, mase_challenger, seconds, warning, message.  Releases
    the GIL while fitting."""
    path = store.path if isinstance(store, Store) else os.fspath(store)

    def resolve(spec: str) -> List[str]:
        return _encoder_paths([s.strip() for s in spec.split(",") if s.strip()])
    return _xfcast.retrain(os.fspath(config), path, resolve, bool(force), bool(dry_run),
                           int(threads))
