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

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from tui_workshop.experiments.schema import (
    Param,
    ParameterError,
    defaults,
    excerpt,
    named,
    validate_params,
)
from tui_workshop.i18n.message import Text, msg

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

    label: Text
    x: np.ndarray
    y: np.ndarray
    style: Literal["line", "points"] = "line"
    role: int = 0


@dataclass(frozen=True)
class TextPanel:
    """Plain text shown in a monospace block; lines are kept as written."""

    title: Text
    text: Text


@dataclass(frozen=True)
class LinePlot:
    title: Text
    series: tuple[Series, ...]
    xlabel: Text = ""
    ylabel: Text = ""
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    logy: bool = False


@dataclass(frozen=True)
class Heatmap:
    """A scalar field over a rectangle, with optional points drawn on top.

    ``z[row, col]``: row 0 is the *bottom* edge (y = y_range[0]), col 0 the
    left edge (x = x_range[0]). Values are clipped to [vmin, vmax] (the UI widens
    the colour scale to the data when they do not fit, and its legend shows the
    range of the values drawn). ``y_range`` may run downwards (an image: row 0
    at the top, ``y_range = (height, 0)``).
    """

    title: Text
    z: np.ndarray
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    points: tuple[Series, ...] = ()
    vmin: float = 0.0
    vmax: float = 1.0
    xlabel: Text = ""
    ylabel: Text = ""
    diverging: bool = True  # blue for low, orange for high, pale in the middle
    # x and y in the same units (a plane, an image): drawn with the aspect ratio
    # kept. False for a table of settings (learning rate × hidden units).
    square: bool = True
    # Colours follow log(1 + z − vmin) (valleys next to steep walls stay visible);
    # the legend still speaks in values of z.
    log_colors: bool = False


@dataclass(frozen=True)
class Table:
    title: Text
    columns: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]
    highlight: frozenset[tuple[int, int]] = frozenset()  # (row, col) cells


@dataclass(frozen=True)
class Bars:
    title: Text
    labels: tuple[Text, ...]
    values: tuple[float, ...]
    vmax: float | None = None


Panel = TextPanel | LinePlot | Heatmap | Table | Bars


@dataclass(frozen=True)
class Frame:
    """What the UI draws for an experiment at one moment."""

    step: int
    status: Text
    panels: tuple[Panel, ...]
    metrics: Mapping[str, float] = field(default_factory=dict)
    done: bool = False
    message: Text | None = None
    level: Literal["info", "warning", "error"] = "info"
    progress: float | None = None  # 0..1 for long runs (searches, epoch limit)


class Experiment:
    """Base class: subclasses set ``name``, ``title``, ``SCHEMA`` and implement ``frame``.

    ``SCHEMA`` (from the experiment's spec module) declares every parameter
    the experiment accepts; values are validated against it before
    ``__init__`` of a subclass sees them, and ``check_params`` adds rules
    that join several parameters. ``defaults`` and ``live_params`` derive
    from the schema.
    """

    name: ClassVar[str] = ""
    title: ClassVar[Text] = ""
    SCHEMA: ClassVar[Mapping[str, Param]] = {}
    defaults: ClassVar[Mapping[str, Any]] = {}
    trainable: ClassVar[bool] = False
    # Parameters that may change while running without a reset.
    live_params: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "SCHEMA" in cls.__dict__:
            cls.SCHEMA = named(cls.SCHEMA)
            cls.defaults = defaults(cls.SCHEMA)
            cls.live_params = frozenset(n for n, p in cls.SCHEMA.items() if p.live)

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        self.params: dict[str, Any] = validate_params(self.SCHEMA, params)
        self.check_params(self.params)
        self.steps_done = 0

    def check_params(self, params: dict[str, Any]) -> None:
        """Rules joining several parameters (ParameterError); the schema checked the rest."""

    @property
    def done(self) -> bool:
        """True when stepping further would do nothing (limit, early stop, divergence)."""
        return not self.trainable

    def step(self) -> None:
        """Advance by one unit. Called from a worker thread; must not block long."""
        self.steps_done += 1

    def require_choice(self, key: str, choices: Any) -> None:  # provisional: goes with the checks
        if self.params[key] not in choices:
            raise ParameterError(msg("{name} must be one of {choices}", name=key,
                                     choices=", ".join(choices)))

    def validate_live(self, name: str, value: Any) -> Any:
        if name not in self.live_params:
            raise ParameterError(msg("{name} cannot change while running", name=excerpt(name)))
        return self.SCHEMA[name].validate(value)

    def set_live(self, name: str, value: Any) -> None:
        self.params[name] = self.validate_live(name, value)

    def frame(self) -> Frame:
        raise NotImplementedError

    # ---- keeping a run (leaving a lesson, quitting) ----------------------------------
    # Experiments that train set ``keeps_state`` and save what training changed in
    # ``save_state`` / ``load_state`` (see :mod:`tui_workshop.experiments.state`).
    keeps_state: ClassVar[bool] = False
    # Names of state entries whose length may differ from a fresh run's (histories).
    variable_state: ClassVar[tuple[str, ...]] = ("history.",)

    def state(self) -> dict[str, np.ndarray | float | int]:
        """What a restart needs to continue this run as it is now; {} when the
        experiment keeps nothing (or has not moved yet)."""
        if not self.keeps_state or not self.moved():
            return {}
        return self._full_state()

    def moved(self) -> bool:
        """True once the run has moved from where a fresh one starts."""
        return self.steps_done > 0

    def _full_state(self) -> dict[str, np.ndarray | float | int]:
        out: dict[str, Any] = {"steps_done": int(self.steps_done)}
        out.update({f"run.{key}": value for key, value in self.save_state().items()})
        return out

    def restore(self, state: Mapping[str, Any]) -> None:
        """Continue the run saved by :meth:`state` (of an experiment built from the same
        parameters). StateError (a ValueError with a message key) when it does not fit;
        the experiment is then as built."""
        from tui_workshop.experiments import state as states

        if not self.keeps_state:
            raise states.StateError(msg("this experiment keeps no run"))
        template = self._full_state()
        checked = states.check_state(template, state, self.variable_state)
        try:
            self._restore(checked, states)
        except (ValueError, TypeError, KeyError, IndexError) as error:
            # Half restored: back to the run as it was (its own state always fits).
            self._restore(states.check_state(template, template, ()), states)
            if isinstance(error, states.StateError):
                raise
            raise states.StateError(msg("it does not match this experiment ({name})",
                                        name=type(error).__name__)) from None

    def _restore(self, state: Mapping[str, Any], states: Any) -> None:
        self.load_state(states.part("run", state))
        self.steps_done = states.as_int(state["steps_done"])

    def save_state(self) -> dict[str, np.ndarray | float | int]:
        """What training changed (weights, optimiser, counters), for :meth:`state`."""
        return {}

    def load_state(self, state: Mapping[str, Any]) -> None:
        """Put back what :meth:`save_state` saved (checked against a fresh run's shapes)."""


# Why a run stopped (the trainer's stop reasons) and what the student is told.
STOP_MESSAGES: dict[str, tuple[Text, Literal["info", "warning", "error"]]] = {
    "diverged": (
        msg("Training diverged (the loss is no longer a number): lower the learning rate."),
        "warning",
    ),
    "early stopping": (msg("Stopped early: the validation loss stopped improving."), "info"),
}


class TrainerExperiment(Experiment):
    """An experiment that trains step by step in a worker while the UI reads frames.

    It owns the lock (``step`` runs in the worker, ``frame`` in the UI thread,
    ``set_live`` from either), the step/frame template, the bounded history
    and the mapping of stop reasons to messages. Subclasses implement
    :meth:`advance` (one unit of work, under the lock) and :meth:`draw` (the
    frame, under the lock), and set ``self.stopped`` to a stop reason when
    the run ends ("epoch limit", "early stopping", "diverged", or their own).
    """

    trainable: ClassVar[bool] = True
    # The unit of work on the limit message: "Epoch limit reached (500 epochs)."
    limit_param: ClassVar[str] = "epochs"

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(params)
        self._lock = threading.RLock()
        self.history: dict[str, list[float]] = {}
        self.stopped: str | None = None

    @property
    def done(self) -> bool:
        return self.stopped is not None

    def step(self) -> None:
        """One unit of work (nothing once done); safe against a concurrent frame()."""
        with self._lock:
            if self.done:
                return
            self.advance()
            thin_history(self.history)

    def advance(self) -> None:
        raise NotImplementedError

    def _full_state(self) -> dict[str, np.ndarray | float | int]:
        import numpy as np

        with self._lock:
            out = super()._full_state()
            out["stopped"] = np.array(self.stopped or "")
            for key, values in self.history.items():
                out[f"history.{key}"] = np.array(values, dtype=float)
        return out

    def _restore(self, state: Mapping[str, Any], states: Any) -> None:
        with self._lock:
            super()._restore(state, states)  # may start another part of the run
            self.stopped = states.as_text(state["stopped"]) or None
            for key in self.history:
                values = state[f"history.{key}"]
                if len(values) > 2 * HISTORY_LIMIT:
                    raise states.StateError(msg("it is too large"))
                self.history[key][:] = values.tolist()  # in place: lists may be shared

    def frame(self) -> Frame:
        with self._lock:
            return self.draw()

    def draw(self) -> Frame:
        raise NotImplementedError

    def set_live(self, name: str, value: Any) -> None:
        value = self.validate_live(name, value)
        with self._lock:
            self.params[name] = value
            self.on_live_change(name, value)

    def on_live_change(self, name: str, value: Any) -> None:
        """React to a live parameter change (under the lock), e.g. set the optimiser's rate."""

    def stop_message(self) -> tuple[Text | None, Literal["info", "warning", "error"]]:
        """The message and level for ``self.stopped`` (None while running)."""
        if self.stopped is None:
            return None, "info"
        if self.stopped == "epoch limit":
            limit = self.params.get(self.limit_param)
            return msg("Epoch limit reached ({epochs} epochs).", epochs=limit), "info"
        return STOP_MESSAGES.get(self.stopped, (None, "info"))


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
