"""Toy data sets in the spirit of TensorFlow Playground, plus splits and feature maps.

Every 2D set lies in the square [-6, 6]^2 (points are clipped to it). Labels
are ``int`` 0/1 for the binary sets (Playground's -1 is 0 here), ``int``
0..2 for the 3-class sets, and ``float`` in [-1, 1] for the regression sets.

``noise`` is a fraction in [0, 1]. Playground's noise field runs from 0 to
50 %: its "25 %" is ``noise=0.25`` here; values above 0.5 go beyond
Playground and make the classes overlap heavily. The same ``seed`` always
gives the same arrays, and the order of the samples is shuffled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

BOUND = 6.0  # points lie in [-BOUND, BOUND]^2

CLASSIFICATION = ("xor", "circle", "gauss", "spiral", "moons")
MULTICLASS = ("blobs3", "spiral3")
REGRESSION = ("plane", "multi_gauss")
NAMES = CLASSIFICATION + MULTICLASS + REGRESSION


def n_classes(name: str) -> int:
    """Number of classes of data set ``name``: 2, 3, or 0 for regression."""
    if name in CLASSIFICATION:
        return 2
    if name in MULTICLASS:
        return 3
    if name in REGRESSION:
        return 0
    raise ValueError(_unknown("data set", name, NAMES))


def task(name: str) -> str:
    """``"binary"``, ``"multiclass"`` or ``"regression"`` for data set ``name``."""
    k = n_classes(name)
    return {2: "binary", 3: "multiclass", 0: "regression"}[k]


def _unknown(what: str, name: object, known: Sequence[str]) -> str:
    return f"unknown {what} {name!r}; expected one of: {', '.join(known)}"


def _check_noise(noise: float) -> float:
    noise = float(noise)
    if not 0.0 <= noise <= 1.0:
        raise ValueError(
            f"noise must be a fraction between 0 and 1 (Playground's 25 % is 0.25), got {noise}"
        )
    return noise


def _counts(n: int, k: int) -> list[int]:
    """Split ``n`` samples into ``k`` near-equal class sizes."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def _uniform_noise(rng: np.random.Generator, n: int, scale: float, noise: float) -> np.ndarray:
    return rng.uniform(-scale, scale, size=(n, 2)) * noise


# Binary sets (Playground's algorithms, labels 0/1) ---------------------------


def _xor(n, noise, rng):
    padding = 0.3
    points = rng.uniform(-5, 5, size=(n, 2))
    points += np.where(points > 0, padding, -padding)
    shifted = points + _uniform_noise(rng, n, 5.0, noise)
    y = (shifted[:, 0] * shifted[:, 1] >= 0).astype(int)
    return points, y


def _circle(n, noise, rng):
    radius = 5.0
    n_in, n_out = _counts(n, 2)
    r = np.concatenate(
        [rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n_out)]
    )
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    shifted = points + _uniform_noise(rng, n, radius, noise)
    # Label by the noisy position, as Playground does: noise flips labels near the edge.
    y = (np.hypot(shifted[:, 0], shifted[:, 1]) < radius * 0.5).astype(int)
    return points, y


def _gauss(n, noise, rng):
    variance = 0.5 + 7.0 * noise  # Playground: 0.5 at no noise, 4 at its 50 %
    n1, n0 = _counts(n, 2)
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [n1, n0], axis=0)
    points = centres + rng.normal(0.0, np.sqrt(variance), size=(n, 2))
    y = np.repeat([1, 0], [n1, n0])
    return points, y


def _spiral_arms(n, noise, rng, k):
    """``k`` interleaved spiral arms of radius 5 (Playground's spiral for k=2)."""
    points, labels = [], []
    for label, count in enumerate(_counts(n, k)):
        i = np.arange(count)
        r = i / max(count, 1) * 5.0
        t = 1.75 * i / max(count, 1) * 2 * np.pi + label * 2 * np.pi / k
        arm = np.column_stack([r * np.sin(t), r * np.cos(t)])
        points.append(arm + _uniform_noise(rng, count, 1.0, noise))
        labels.append(np.full(count, label))
    return np.concatenate(points), np.concatenate(labels)


def _spiral(n, noise, rng):
    points, arm = _spiral_arms(n, noise, rng, 2)
    return points, 1 - arm  # Playground's first arm (delta t = 0) is the positive class


def _moons(n, noise, rng):
    n0, n1 = _counts(n, 2)
    t0 = rng.uniform(0, np.pi, n0)
    t1 = rng.uniform(0, np.pi, n1)
    outer = np.column_stack([np.cos(t0), np.sin(t0)])
    inner = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    points = (np.concatenate([outer, inner]) - [0.5, 0.25]) * 3.0
    points += rng.normal(0.0, 1.5 * noise, size=(n, 2))
    return points, np.repeat([0, 1], [n0, n1])


# 3-class sets ----------------------------------------------------------------


def _blobs3(n, noise, rng):
    angles = np.deg2rad([90.0, 210.0, 330.0])
    centres = 3.2 * np.column_stack([np.cos(angles), np.sin(angles)])
    counts = _counts(n, 3)
    y = np.repeat(np.arange(3), counts)
    points = centres[y] + rng.normal(0.0, 0.8 + 2.0 * noise, size=(n, 2))
    return points, y


def _spiral3(n, noise, rng):
    return _spiral_arms(n, noise, rng, 3)


# Regression sets (Playground's, labels in [-1, 1]) -----------------------------


def _plane(n, noise, rng):
    points = rng.uniform(-BOUND, BOUND, size=(n, 2))
    shifted = points + _uniform_noise(rng, n, BOUND, noise)
    # x1 + x2 spans [-12, 12]; noise may push past it, hence the clip.
    y = np.clip((shifted[:, 0] + shifted[:, 1]) / 12.0, -1.0, 1.0)
    return points, y


_GAUSSIANS = np.array(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]],
    dtype=float,
)


def _multi_gauss(n, noise, rng):
    points = rng.uniform(-BOUND, BOUND, size=(n, 2))
    shifted = points + _uniform_noise(rng, n, BOUND, noise)
    dist = np.hypot(shifted[:, 0, None] - _GAUSSIANS[:, 0], shifted[:, 1, None] - _GAUSSIANS[:, 1])
    values = _GAUSSIANS[:, 2] * np.clip(1.0 - dist / 2.0, 0.0, 1.0)  # (n, 6)
    # Each point takes the value of the bump with the largest magnitude.
    y = values[np.arange(n), np.argmax(np.abs(values), axis=1)]
    return points, y


_MAKERS: dict[str, Callable] = {
    "xor": _xor,
    "circle": _circle,
    "gauss": _gauss,
    "spiral": _spiral,
    "moons": _moons,
    "blobs3": _blobs3,
    "spiral3": _spiral3,
    "plane": _plane,
    "multi_gauss": _multi_gauss,
}


def make(name: str, n: int = 200, noise: float = 0.0, seed: int = 0):
    """Make ``n`` samples of data set ``name``: ``(X (n, 2) float64, y (n,))``.

    ``y`` is int for classification (0/1, or 0..2 for 3-class sets) and
    float for regression. ``noise`` is a fraction in [0, 1] (see module doc).
    """
    if name not in _MAKERS:
        raise ValueError(_unknown("data set", name, NAMES))
    n = int(n)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    X, y = _MAKERS[name](n, noise, rng)
    order = rng.permutation(n)
    X = np.clip(np.asarray(X, dtype=np.float64)[order], -BOUND, BOUND)
    y = np.asarray(y)[order]
    y = y.astype(np.float64) if name in REGRESSION else y.astype(np.int64)
    return X, y


def imbalanced(n: int = 200, ratio: float = 0.1, noise: float = 0.0, seed: int = 0):
    """A binary set where class 1 is rare: a fraction ``ratio`` of the ``n`` points.

    Two overlapping gaussian clouds, so a classifier makes both kinds of
    mistakes and "always predict 0" already scores ``1 - ratio`` accuracy.
    """
    n = int(n)
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    if not 0.0 < ratio < 1.0:
        raise ValueError(f"ratio must be strictly between 0 and 1, got {ratio}")
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    n1 = min(max(round(n * ratio), 1), n - 1)
    n0 = n - n1
    spread = 1.3 + 1.5 * noise
    X = np.concatenate(
        [rng.normal([-1.0, -1.0], spread, (n0, 2)), rng.normal([1.5, 1.5], spread, (n1, 2))]
    )
    y = np.repeat([0, 1], [n0, n1])
    order = rng.permutation(n)
    return np.clip(X[order], -BOUND, BOUND), y[order].astype(np.int64)


# The smooth functions behind :func:`curve`, on x in [-1, 1].
CURVES: Mapping[str, Callable[[np.ndarray], np.ndarray]] = MappingProxyType(
    {
        "sin": lambda x: np.sin(np.pi * x),
        "cubic": lambda x: x**3 - 0.5 * x,
        "quadratic": lambda x: x**2 - 0.5,
        "step": lambda x: np.where(x < 0, -0.5, 0.5),
    }
)


def curve(n: int = 12, noise: float = 0.1, seed: int = 0, kind: str = "sin"):
    """Few noisy samples of a smooth 1D function, for the overfitting lesson.

    Returns ``(X (n, 1), y (n,))`` with x sorted in [-1, 1] and
    ``y = CURVES[kind](x) + normal(0, noise)``; ``noise`` is the standard
    deviation (values lie roughly in [-1, 1]).
    """
    if kind not in CURVES:
        raise ValueError(_unknown("curve", kind, tuple(CURVES)))
    n = int(n)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    y = CURVES[kind](x) + rng.normal(0.0, noise, n)
    return x[:, None], y.astype(np.float64)


# Splits ------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """Train / validation / test parts of a data set (test may be empty)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def _check_fraction(name: str, value: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}") from None
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be a fraction in [0, 1), got {value}")
    return value


def split(X, y, val: float = 0.5, test: float = 0.0, seed: int = 0) -> Split:
    """Shuffle and split into train / validation / test parts.

    ``val`` and ``test`` are fractions of all samples; train keeps the rest.
    Integer (or bool) labels are split per class (stratified), so every part
    keeps about the class proportions of the whole; float labels are split
    at random. Raises ``ValueError`` for invalid fractions.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y differ in length: {len(X)} != {len(y)}")
    val = _check_fraction("val", val)
    test = _check_fraction("test", test)
    if val + test >= 1.0:
        raise ValueError(f"val + test must be below 1 to leave training data, got {val + test}")
    rng = np.random.default_rng(seed)
    n = len(y)
    if y.dtype.kind in "iub" and y.ndim == 1:
        groups = [rng.permutation(np.flatnonzero(y == c)) for c in np.unique(y)]
    else:
        groups = [rng.permutation(n)]
    parts: list[list[np.ndarray]] = [[], [], []]  # train, val, test indices
    for idx in groups:
        n_test = round(test * len(idx))
        n_val = round(val * len(idx))
        excess = n_test + n_val - (len(idx) - 1)  # keep one training sample per class
        if excess > 0:
            cut = min(excess, n_val)
            n_val -= cut
            n_test -= excess - cut
        parts[2].append(idx[:n_test])
        parts[1].append(idx[n_test : n_test + n_val])
        parts[0].append(idx[n_test + n_val :])
    train, val_idx, test_idx = (
        rng.permutation(np.concatenate(p)) if p else np.array([], dtype=int) for p in parts
    )
    if len(train) == 0:
        raise ValueError(f"no training samples left from {n} samples with val={val}, test={test}")
    return Split(X[train], y[train], X[val_idx], y[val_idx], X[test_idx], y[test_idx])


# Feature maps ------------------------------------------------------------------

FEATURES: Mapping[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = MappingProxyType(
    {
        "x1": ("x₁", lambda X: X[:, 0]),
        "x2": ("x₂", lambda X: X[:, 1]),
        "x1^2": ("x₁²", lambda X: X[:, 0] ** 2),
        "x2^2": ("x₂²", lambda X: X[:, 1] ** 2),
        "x1x2": ("x₁x₂", lambda X: X[:, 0] * X[:, 1]),
        "sin_x1": ("sin x₁", lambda X: np.sin(X[:, 0])),
        "sin_x2": ("sin x₂", lambda X: np.sin(X[:, 1])),
    }
)


def transform(X, names: Sequence[str]) -> np.ndarray:
    """Map raw points ``X (n, 2)`` to the features ``names``: ``(n, len(names))``."""
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if not names:
        raise ValueError("choose at least one feature")
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(_unknown("feature", unknown[0], tuple(FEATURES)))
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    return np.column_stack([FEATURES[name][1](X) for name in names])


def standardize(X, mean=None, std=None):
    """``(X - mean) / std`` per column; returns ``(Xs, mean, std)``.

    Mean and std come from ``X`` unless given (pass the training ones to
    scale validation data alike). Constant columns get std 1.
    """
    X = np.asarray(X, dtype=np.float64)
    if mean is None:
        mean = X.mean(axis=0)
    if std is None:
        std = X.std(axis=0)
        std = np.where(std > 0, std, 1.0)
    return (X - mean) / std, np.asarray(mean), np.asarray(std)
