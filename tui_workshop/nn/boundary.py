"""Decision grid: a model's output over a rectangle of the input plane.

The grid is what the UI paints behind the data points, as TensorFlow
Playground does. Rows go upwards: ``Z[0]`` is the bottom row (smallest y),
so a plot with y increasing upwards can draw ``Z`` as is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def grid_bounds(X, margin: float = 0.1) -> tuple[float, float, float, float]:
    """``(x_min, x_max, y_min, y_max)`` of the data plus ``margin`` times each span per side.

    A zero span (all points on one line) is widened to 1.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] < 2 or len(X) == 0:
        raise ValueError(f"X must have shape (n, 2) with n >= 1, got {X.shape}")
    if margin < 0:
        raise ValueError(f"margin must be >= 0, got {margin}")
    bounds: list[float] = []
    for column in (X[:, 0], X[:, 1]):
        low, high = float(column.min()), float(column.max())
        span = high - low
        if span == 0.0:
            low, high, span = low - 0.5, high + 0.5, 1.0
        bounds += [low - margin * span, high + margin * span]
    x_min, x_max, y_min, y_max = bounds
    return x_min, x_max, y_min, y_max


def decision_grid(
    model,
    X,
    width: int,
    height: int,
    margin: float = 0.1,
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
    *,
    bounds: Sequence[float] | None = None,
):
    """Evaluate ``model.forward`` on a ``width`` x ``height`` grid over the data.

    Returns ``(xs (width,), ys (height,), Z)``. The grid spans the bounding
    box of ``X`` (raw 2D points) plus ``margin`` of its span on each side,
    or ``bounds = (x_min, x_max, y_min, y_max)`` when given. ``transform``
    maps raw points to model features first (for example
    ``lambda P: datasets.transform(P, names)``). All points go through one
    vectorised forward pass.

    ``Z[row, col]`` is the output at ``(xs[col], ys[row])``, row 0 at the
    bottom. Its shape is ``(height, width)`` for a single output (P(class 1)
    for a sigmoid model, the value for regression) and ``(height, width, k)``
    for ``k`` outputs (class probabilities of a softmax model).
    """
    width, height = int(width), int(height)
    if width < 2 or height < 2:
        raise ValueError(f"the grid needs at least 2 x 2 points, got {width} x {height}")
    if bounds is None:
        bounds = grid_bounds(X, margin)
    x_min, x_max, y_min, y_max = (float(b) for b in bounds)
    xs = np.linspace(x_min, x_max, width)
    ys = np.linspace(y_min, y_max, height)
    gx, gy = np.meshgrid(xs, ys)  # (height, width), row 0 at y_min
    points = np.column_stack([gx.ravel(), gy.ravel()])
    inputs = transform(points) if transform is not None else points
    out = np.asarray(model.forward(inputs), dtype=np.float64)
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    if out.shape[0] != len(points) or out.ndim > 2:
        raise ValueError(f"model output has shape {out.shape} for {len(points)} grid points")
    Z = out.reshape((height, width, *out.shape[1:]))
    return xs, ys, Z


def grid_classes(Z) -> np.ndarray:
    """Predicted class per cell: ``Z >= 0.5`` for a probability grid, argmax for ``k`` outputs."""
    Z = np.asarray(Z)
    if Z.ndim == 3:
        return np.argmax(Z, axis=-1)
    return (Z >= 0.5).astype(np.int64)
