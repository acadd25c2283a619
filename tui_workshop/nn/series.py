"""Time series for the recurrent-network lessons: generated and one real series.

Generated series are 1-D float arrays indexed by step t = 0..n−1, made
reproducible by ``seed``. :func:`windows` and :func:`sequences` cut a series
into training examples for :class:`tui_workshop.nn.rnn.RNN`; :func:`split_series`
keeps time order (test after train). :class:`Scaler` normalises with
statistics of the training part only.

The real series is the yearly sunspot numbers 1700-2008 (NGDC/NOAA, public
domain; see ``data/ATTRIBUTION.md``), shipped in the package and read with
importlib.resources.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

__all__ = [
    "Scaler",
    "load_sunspots",
    "noise",
    "random_walk",
    "sequences",
    "sine",
    "split_series",
    "sum_of_sines",
    "trend_season",
    "windows",
]


def _check_n(n: int) -> int:
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return int(n)


def _noise(n: int, scale: float, seed: int) -> np.ndarray:
    if scale < 0:
        raise ValueError(f"noise must be zero or positive, got {scale}")
    if scale == 0:
        return np.zeros(n)
    return np.random.default_rng(seed).normal(0.0, scale, n)


def sine(
    n: int = 200,
    period: float = 20.0,
    noise: float = 0.0,
    seed: int = 0,
    amplitude: float = 1.0,
    phase: float = 0.0,
) -> np.ndarray:
    """``amplitude · sin(2π t / period + phase)`` plus Gaussian noise (std ``noise``)."""
    n = _check_n(n)
    if period <= 0:
        raise ValueError(f"period must be positive, got {period}")
    t = np.arange(n)
    return amplitude * np.sin(2.0 * np.pi * t / period + phase) + _noise(n, noise, seed)


def sum_of_sines(
    n: int = 200,
    periods: tuple[float, ...] = (20.0, 7.0),
    amplitudes: tuple[float, ...] | None = None,
    noise: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """Σ_i a_i · sin(2π t / p_i) plus noise; amplitudes default to 1, 1/2, 1/3..."""
    n = _check_n(n)
    if amplitudes is None:
        amplitudes = tuple(1.0 / (i + 1) for i in range(len(periods)))
    if len(amplitudes) != len(periods) or not periods:
        raise ValueError("give one amplitude per period (and at least one period)")
    if min(periods) <= 0:
        raise ValueError(f"periods must be positive, got {periods}")
    t = np.arange(n)
    total = sum(a * np.sin(2.0 * np.pi * t / p) for a, p in zip(amplitudes, periods, strict=True))
    return total + _noise(n, noise, seed)


def noise(n: int = 200, scale: float = 1.0, seed: int = 0) -> np.ndarray:
    """White Gaussian noise: nothing to learn beyond the mean."""
    return _noise(_check_n(n), scale, seed)


def random_walk(n: int = 200, scale: float = 1.0, seed: int = 0) -> np.ndarray:
    """Cumulative sum of Gaussian steps: the best forecast is the last value."""
    return np.cumsum(_noise(_check_n(n), scale, seed))


def trend_season(
    n: int = 200,
    slope: float = 0.01,
    period: float = 12.0,
    amplitude: float = 1.0,
    noise: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """Linear trend ``slope · t`` plus a seasonal sine of ``period`` plus noise."""
    n = _check_n(n)
    if period <= 0:
        raise ValueError(f"period must be positive, got {period}")
    t = np.arange(n)
    return slope * t + amplitude * np.sin(2.0 * np.pi * t / period) + _noise(n, noise, seed)


def _as_series(series) -> np.ndarray:
    s = np.asarray(series, dtype=np.float64)
    if s.ndim != 1:
        raise ValueError(f"expected a 1-D series, got shape {s.shape}")
    return s


def windows(series, length: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Sliding windows for sequence-to-one training.

    Returns X (n, length, 1) and y (n, horizon) with ``X[i, :, 0] =
    s[i : i + length]`` and ``y[i] = s[i + length : i + length + horizon]`` (the
    next ``horizon`` values), n = len(s) − length − horizon + 1.
    """
    s = _as_series(series)
    if length < 1 or horizon < 1:
        raise ValueError(f"length and horizon must be at least 1, got {length} and {horizon}")
    n = len(s) - length - horizon + 1
    if n < 1:
        raise ValueError(
            f"a series of {len(s)} values is too short for windows of {length} + {horizon}"
        )
    view = np.lib.stride_tricks.sliding_window_view(s, length + horizon)[:n]
    return view[:, :length, None].copy(), view[:, length:].copy()


def sequences(series, length: int, step: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and next-value targets for "next_value" training.

    Returns X (n, length, 1) and Y (n, length, 1) with ``Y[i, t] = X[i, t + 1]``
    along the series (Y is X shifted by one step); windows start every ``step``.
    """
    s = _as_series(series)
    if length < 1 or step < 1:
        raise ValueError(f"length and step must be at least 1, got {length} and {step}")
    if len(s) < length + 1:
        raise ValueError(f"a series of {len(s)} values is too short for length {length} + 1")
    view = np.lib.stride_tricks.sliding_window_view(s, length + 1)[::step]
    return view[:, :-1, None].copy(), view[:, 1:, None].copy()


def split_series(series, train_fraction: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    """(train, test): the first ``train_fraction`` of the series, then the rest (no shuffle)."""
    s = _as_series(series)
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be between 0 and 1, got {train_fraction}")
    cut = round(len(s) * train_fraction)
    if cut < 1 or cut >= len(s):
        raise ValueError(f"cannot split {len(s)} values at fraction {train_fraction}")
    return s[:cut].copy(), s[cut:].copy()


@dataclass(frozen=True)
class Scaler:
    """Affine normalisation ``(x − shift) / scale`` and its inverse.

    Build it from the training part only: ``Scaler.fit(train, kind)`` with kind
    "zscore" (mean 0, std 1) or "minmax" (range [−1, 1]).
    """

    shift: float
    scale: float

    @classmethod
    def fit(cls, series, kind: str = "zscore") -> Scaler:
        s = _as_series(series)
        if kind == "zscore":
            shift, scale = float(s.mean()), float(s.std())
        elif kind == "minmax":
            lo, hi = float(s.min()), float(s.max())
            shift, scale = (lo + hi) / 2.0, (hi - lo) / 2.0
        else:
            raise ValueError(f"unknown kind {kind!r}; choose zscore or minmax")
        return cls(shift, scale if scale > 0 else 1.0)

    def transform(self, values) -> np.ndarray:
        return (np.asarray(values, dtype=np.float64) - self.shift) / self.scale

    def inverse(self, values) -> np.ndarray:
        return np.asarray(values, dtype=np.float64) * self.scale + self.shift


@lru_cache(maxsize=1)
def _sunspots() -> tuple[np.ndarray, np.ndarray]:
    text = resources.files("tui_workshop.nn").joinpath("data/sunspots.csv").read_text("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1)
    years, values = table[:, 0].astype(np.int64), table[:, 1]
    years.setflags(write=False)
    values.setflags(write=False)
    return years, values


def load_sunspots() -> tuple[np.ndarray, np.ndarray]:
    """(years, values): yearly sunspot numbers 1700-2008, 309 values (NGDC/NOAA)."""
    years, values = _sunspots()
    return years.copy(), values.copy()
