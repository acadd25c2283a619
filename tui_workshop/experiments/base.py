"""The experiment contract: parameters in, immutable frames out.

An experiment is built from a dict of validated parameter values. The UI asks
it for its current :class:`Frame` and, when it is ``trainable``, calls
:meth:`Experiment.step` from a worker thread to advance it by one unit (an
epoch, one gradient-descent step, one reveal of a backprop step...). A frame
holds only copies (read-only arrays), so it may cross threads safely.

A frame is described with a few *panel* kinds (text, line plot, heatmap,
table, bars). The UI knows how to draw each kind, so a new experiment needs
no UI code. Nothing here imports textual, rich or plotext.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    import numpy as np


def frozen_array(values: Any) -> np.ndarray:
    """A read-only float copy, safe to hand to another thread."""
    import numpy as np  # imported on first use: the app draws its first screen sooner

    array = np.array(values, dtype=float, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class Series:
    """One line or one set of points in a plot.

    ``role`` picks the colour and marker from the UI's colour-blind-safe
    palette: 0 is blue (class 0), 1 is orange (class 1), 2 and up further
    distinct colours; markers differ by role too, so NO_COLOR still works.
    """

    label: str
    x: np.ndarray
    y: np.ndarray
    style: Literal["line", "points"] = "line"
    role: int = 0


@dataclass(frozen=True)
class TextPanel:
    """Plain text shown in a monospace block; lines are kept as written."""

    title: str
    text: str


@dataclass(frozen=True)
class LinePlot:
    title: str
    series: tuple[Series, ...]
    xlabel: str = ""
    ylabel: str = ""
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    logy: bool = False


@dataclass(frozen=True)
class Heatmap:
    """A scalar field over a rectangle, with optional points drawn on top.

    ``z[row, col]``: row 0 is the *bottom* edge (y = y_range[0]), col 0 the
    left edge (x = x_range[0]). Values are clipped to [vmin, vmax].
    """

    title: str
    z: np.ndarray
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    points: tuple[Series, ...] = ()
    vmin: float = 0.0
    vmax: float = 1.0
    xlabel: str = ""
    ylabel: str = ""
    diverging: bool = True  # blue for low, orange for high, pale in the middle


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    highlight: frozenset[tuple[int, int]] = frozenset()  # (row, col) cells


@dataclass(frozen=True)
class Bars:
    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    vmax: float | None = None


Panel = TextPanel | LinePlot | Heatmap | Table | Bars


@dataclass(frozen=True)
class Frame:
    """What the UI draws for an experiment at one moment."""

    step: int
    status: str
    panels: tuple[Panel, ...]
    metrics: Mapping[str, float] = field(default_factory=dict)
    done: bool = False
    message: str | None = None
    level: Literal["info", "warning", "error"] = "info"
    progress: float | None = None  # 0..1 for long runs (searches, epoch limit)


class ParameterError(ValueError):
    """A combination of parameters the experiment cannot run, with a clear message."""


class Experiment:
    """Base class: subclasses set ``name``, ``defaults`` and implement ``frame``.

    ``defaults`` lists every parameter the experiment accepts, with the value
    used when a lesson does not expose it. Lessons are validated against it.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    defaults: ClassVar[Mapping[str, Any]] = {}
    trainable: ClassVar[bool] = False
    # Parameters that may change while running without a reset.
    live_params: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        unknown = set(params or {}) - set(self.defaults)
        if unknown:
            raise ParameterError(f"unknown parameter(s): {', '.join(sorted(unknown))}")
        self.params: dict[str, Any] = {**self.defaults, **(params or {})}
        self.steps_done = 0

    @property
    def done(self) -> bool:
        """True when stepping further would do nothing (limit, early stop, divergence)."""
        return not self.trainable

    def step(self) -> None:
        """Advance by one unit. Called from a worker thread; must not block long."""
        self.steps_done += 1

    def require_choice(self, key: str, choices) -> None:
        """Raise ParameterError unless parameter ``key`` is one of ``choices``."""
        if self.params[key] not in choices:
            raise ParameterError(f"{key} must be one of {', '.join(choices)}")

    def set_live(self, name: str, value: Any) -> None:
        if name not in self.live_params:
            raise ParameterError(f"{name} cannot change while running")
        self.params[name] = value

    def frame(self) -> Frame:
        raise NotImplementedError


# Longest history (points per series) an experiment keeps; plots thin to their width anyway.
HISTORY_LIMIT = 2000


def thin_history(history: Mapping[str, list], limit: int = HISTORY_LIMIT) -> None:
    """Keep each list of ``history`` (e.g. epoch, losses: parallel lists) at most ``limit`` long.

    When a list grows past ``limit``, every second point of its older part is
    dropped; the first point and the newest ``limit // 2`` points stay, so a
    long run keeps its start, a thinned middle and its recent detail, in
    bounded memory (amortised O(1) per appended point). Parallel lists of
    equal length stay aligned. In place.
    """
    if limit < 4:
        raise ValueError("limit must be at least 4")
    for values in history.values():
        n = len(values)
        if n <= limit:
            continue
        split = n - limit // 2
        values[:] = [values[0], *values[2:split:2], *values[split:]]


REGISTRY: dict[str, type[Experiment]] = {}


def register(cls: type[Experiment]) -> type[Experiment]:
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"experiment {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls
    return cls
