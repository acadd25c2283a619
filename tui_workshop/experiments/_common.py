"""Small helpers shared by experiments: number formatting, grids, points, boundaries.

- :func:`num` writes a number the way lessons print it (Unicode minus, no
  "−0.00", scientific form for very small or very large values);
  :func:`term` wraps a negative number in parentheses for use inside a sum.
- :func:`grid_points` lays a (rows, cols) grid over a rectangle with row 0 at
  the bottom, the orientation :class:`~tui_workshop.experiments.base.Heatmap` uses.
- :func:`class_points` turns a labelled 2D data set into one point series per class.
- :func:`boundary_heatmap` draws a trained model's decision boundary with the
  data on top (it imports ``tui_workshop.nn`` only when called).
- :func:`wrap_sum` breaks a long sum with its numbers into lines that fit a panel.
- :func:`start_hint` is the message of a trainable experiment's first frame,
  whose plots stay empty until it runs.
- :data:`OPTIMIZER_LABELS` names the optimisers as students see them.
- :class:`GridMixin` gives an experiment a heatmap resolution the UI may change
  with ``set_grid(cols, rows)``.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any

import numpy as np

from tui_workshop.experiments.base import Heatmap, Series, frozen_array
from tui_workshop.i18n import render
from tui_workshop.i18n.message import MINUS, Cat, Msg, Num, Text, msg

__all__ = [
    "DEFAULT_GRID",
    "MINUS",
    "OPTIMIZER_LABELS",
    "GridMixin",
    "boundary_heatmap",
    "class_points",
    "formula",
    "grid_points",
    "num",
    "param_num",
    "percent",
    "point_label",
    "start_hint",
    "term",
    "vec",
    "wrap_sum",
]

DEFAULT_GRID = (48, 20)  # (cols, rows): fits a half-width pane of an 80x24 terminal
# How optimiser names (the values of optimiser parameters) are shown: the names of
# the methods stay as published; "Momentum" is a word a language may translate.
OPTIMIZER_LABELS: dict[str, Text] = {
    "sgd": "SGD",
    "momentum": msg("Momentum"),
    "rmsprop": "RMSProp",
    "adam": "Adam",
}


def num(value: float, digits: int = 2) -> Num:
    """``value`` with ``digits`` decimals and a Unicode minus, in the language's
    convention when rendered (0.58, or 0,58 in pt-BR).

    Values that would print as zero (but are not) or that are huge switch to
    the short scientific form ``1.2e−5``; non-finite values print as ``nan``/``∞``.
    """
    return Num(float(value), digits)


def param_num(value: float, digits: int = 2, max_digits: int = 4) -> Num:
    """A parameter as typed: at least ``digits`` decimals, more (up to
    ``max_digits``) when needed to show it exactly, e.g. 0.10, 0.005, 0.125."""
    return Num(float(value), digits, exact=True, max_digits=max_digits)


def percent(value: float, digits: int = 0) -> Num:
    """A fraction as a percentage: 0.953 -> "95%" (the language's decimal mark with digits)."""
    return Num(float(value), digits, percent=True)


def term(value: float, digits: int = 2, exact: bool = False) -> Text:
    """A number as a term of a sum: negative values in parentheses, "(−0.30)"."""
    number = param_num(value, digits) if exact else num(value, digits)
    return Cat(("(", number, ")")) if number.text().startswith(MINUS) else number


def vec(values: Any, digits: int = 2, exact: bool = False) -> Cat:
    """A vector as "(1.20, −0.40)"."""
    fmt = param_num if exact else num
    return Cat(("(", Cat(tuple(fmt(v, digits) for v in np.ravel(values)), ", "), ")"))


def formula(template: str, /, **args: Any) -> Cat:
    """Mathematical notation with values filled in, shown as written in every language:
    ``formula("σ({z}) = {a}", z=num(0.5), a=num(0.62, 4))``. The values may be
    numbers (:class:`Num`), vectors (:func:`vec`) or other texts; no format specs."""
    parts: list[Any] = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        if literal:
            parts.append(literal)
        if field is not None:
            if spec or conversion or field not in args:
                raise ValueError(f"bad field {field!r} in formula {template!r}")
            parts.append(args[field])
    return Cat(tuple(parts))


def wrap_sum(head: Text, terms: Sequence[Text], result: Text, width: int = 32) -> list[Cat]:
    """``head``, the ``terms`` joined by " + ", then " = " and ``result``, broken into
    lines of at most ``width`` characters (as rendered in the current language) where
    possible: a term that does not fit starts a line "  + ", a result "  = "."""
    out: list[list[Text]] = [[head, terms[0]]]
    used = _width(head) + _width(terms[0])
    for item in terms[1:]:
        size = _width(item)
        if used + 3 + size <= width:
            out[-1] += [" + ", item]
            used += 3 + size
        else:
            out.append(["  + ", item])
            used = 4 + size
    if used + 3 + _width(result) <= width:
        out[-1] += [" = ", result]
    else:
        out.append(["  = ", result])
    return [Cat(tuple(parts)) for parts in out]


def _width(text: Text) -> int:
    return len(render(text))


def _key(text: Text) -> str | None:
    """The English words of a plain text or of a message without arguments."""
    if isinstance(text, str):
        return text
    if isinstance(text, Msg) and not text.args and text.plural is None:
        return text.msgid
    return None


# Whole sentences for the usual hints, so that a translator sees each one complete.
_START_HINTS: dict[tuple[str, str], Msg] = {
    ("epoch", "train"): msg("Press F5 to train, F6 for one epoch."),
    ("epoch", "start the race"): msg("Press F5 to start the race, F6 for one epoch."),
    ("update", "start the race"): msg("Press F5 to start the race, F6 for one update."),
}


def start_hint(unit: Text = "epoch", verb: Text = "train") -> Msg:
    """The first frame's message: "Press F5 to train, F6 for one epoch.".

    ``unit`` and ``verb`` are messages (``msg("update")``); the usual pairs,
    also given as plain English ("update"), give one whole sentence to
    translate; any other pair fills them into a general sentence (a plain str
    is then shown as it is).
    """
    known = _START_HINTS.get((_key(unit) or "", _key(verb) or ""))
    if known is not None:
        return known
    return msg("Press F5 to {verb}, F6 for one {unit}.", verb=verb, unit=unit)


def grid_points(
    x_range: tuple[float, float], y_range: tuple[float, float], cols: int, rows: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell centres of a cols x rows grid: ``(xs, ys, P)``.

    ``P`` has shape (rows * cols, 2); reshaping a per-point value to
    (rows, cols) gives ``z[row, col]`` with row 0 at the bottom (y = y_range[0]).
    """
    xs = np.linspace(x_range[0], x_range[1], cols)
    ys = np.linspace(y_range[0], y_range[1], rows)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def point_label(prefix: Text, index: int) -> Text:
    """The label of the points of class ``index``: "class 1", "train 0".

    ``prefix`` is "class" or "train" (whole messages), a message whose text
    holds ``{index}`` (filled in), or any other text (a plain str is shown as
    it is) followed by the index.
    """
    key = _key(prefix)
    if key == "class":
        return msg("class {index}", index=index)
    if key == "train":
        return msg("train {index}", index=index)
    if isinstance(prefix, Msg) and "{index}" in prefix.msgid:
        return prefix.with_args(index=index)
    return msg("{prefix} {index}", prefix=prefix, index=index)


def class_points(X: np.ndarray, y: np.ndarray, prefix: Text = "class") -> tuple[Series, ...]:
    """One point series per class of ``y``, labelled by :func:`point_label`; the class
    index is the series role."""
    labels = np.asarray(y).astype(int).ravel()
    return tuple(
        Series(
            point_label(prefix, int(c)),
            frozen_array(X[labels == c, 0]),
            frozen_array(X[labels == c, 1]),
            "points",
            int(c),
        )
        for c in np.unique(labels)
    )


def boundary_heatmap(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    cols: int,
    rows: int,
    *,
    title: Text | None = None,
    transform: Any = None,
    extra_points: tuple[Series, ...] = (),
    vmin: float = 0.0,
    vmax: float = 1.0,
    bounds: tuple[float, float, float, float] | None = None,
    prefix: Text = "class",
) -> Heatmap:
    """A model's output over the plane around ``X``, with ``X`` drawn by class.

    For a sigmoid output the heatmap shows P(class 1) in [0, 1], pale at 0.5
    (the decision boundary); for regression pass the target's ``vmin``/``vmax``.
    NaN outputs (a diverged model) show as the middle value. ``transform``
    maps raw 2D points to the model's input features (``nn.datasets.transform``);
    ``bounds`` = (x_min, x_max, y_min, y_max) fixes the rectangle (default:
    around ``X``); ``prefix`` names the point series ("class 0", "class 1", see
    :func:`point_label`); ``title`` defaults to "Decision boundary".
    """
    from tui_workshop.nn.boundary import decision_grid

    xs, ys, Z = decision_grid(model, X, cols, rows, transform=transform, bounds=bounds)
    Z = np.asarray(Z, dtype=float)
    if Z.ndim == 3:  # class probabilities: show the last class
        Z = Z[..., -1]
    return Heatmap(
        title=msg("Decision boundary") if title is None else title,
        z=frozen_array(np.nan_to_num(Z.reshape(len(ys), len(xs)), nan=(vmin + vmax) / 2)),
        x_range=(float(xs[0]), float(xs[-1])),
        y_range=(float(ys[0]), float(ys[-1])),
        points=class_points(X, y, prefix) + tuple(extra_points),
        vmin=vmin,
        vmax=vmax,
        xlabel="x1",  # names of the inputs, not words
        ylabel="x2",
    )


class GridMixin:
    """Heatmap resolution that the UI may set to fit its pane."""

    grid: tuple[int, int] = DEFAULT_GRID

    def set_grid(self, cols: int, rows: int) -> None:
        """Use a cols x rows heatmap from the next frame on (each at least 4)."""
        self.grid = (max(4, int(cols)), max(4, int(rows)))
