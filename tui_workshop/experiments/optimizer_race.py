"""The optimiser race: SGD, momentum, RMSProp and Adam on the same problem.

Every optimiser starts from the same point: on a network problem each trains
its own copy of one MLP built from the same seed (identical initial weights)
with the same minibatch order; on the ``ravine`` surface each starts at the
same (x, y). One step trains one epoch for each optimiser (one update on the
surface). The frame overlays the four loss curves and writes out the last
update of one parameter (w₁, the first weight, or x on the surface) for each
optimiser with the numbers read from the optimiser's own state, e.g.::

    SGD: w ← w − η·g
      0.512 − 0.010·0.023 = 0.512

The update rules are those of :mod:`tui_workshop.nn.optim` (momentum keeps
the velocity v ← β·v − η·g and adds it: w ← w + v).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from tui_workshop.experiments._common import (
    OPTIMIZER_LABELS,
    GridMixin,
    grid_points,
    num,
    param_num,
)
from tui_workshop.experiments.base import (
    Frame,
    Heatmap,
    LinePlot,
    Series,
    Table,
    TextPanel,
    TrainerExperiment,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import optimizer_race as spec
from tui_workshop.i18n.message import MINUS, Cat, Num, Text, join, lines, msg, render
from tui_workshop.nn import datasets, optim
from tui_workshop.nn.mlp import MLP
from tui_workshop.nn.train import Trainer

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
# Short names on the status line.
SHORT: dict[str, Text] = {"sgd": "SGD", "momentum": msg("mom."), "rmsprop": "RMS", "adam": "Adam"}
NETWORK_PROBLEMS = ("spiral", "circle")
HIDDEN = (8, 8)  # the network of the network problems: 2 → 8 → 8 → 1
POINTS, BATCH = 200, 10

# The ravine f(x, y) = A·x² + B·y²: flat along x, steep across (y).
RAVINE_A, RAVINE_B = 0.1, 2.0
RAVINE_START = (-4.5, 1.2)
RAVINE_X, RAVINE_Y = (-5.0, 5.0), (-1.5, 1.5)
RAVINE_FORMULA = "f(x, y) = 0.1·x² + 2·y²"
DIVERGED_AT = 1e6  # a point this far away has diverged
LOG_FLOOR = 1e-12  # losses are drawn on a log axis on the surface


def ravine(points: np.ndarray) -> np.ndarray:
    """f at points (..., 2)."""
    return RAVINE_A * points[..., 0] ** 2 + RAVINE_B * points[..., 1] ** 2


def ravine_grad(point: np.ndarray) -> np.ndarray:
    return np.array([2 * RAVINE_A * point[0], 2 * RAVINE_B * point[1]])


@dataclass(frozen=True)
class Update:
    """One update of element 0 of the first parameter: before, gradient, after.

    ``s1``/``s2`` are the optimiser's state for that element (momentum: the
    velocity v; RMSProp: the mean square s; Adam: m and v), before (``_old``)
    and after (``_new``) the update; ``t`` is the optimiser's step count.
    """

    name: str
    t: int
    lr: float
    w_old: float
    g: float
    w_new: float
    s1_old: float = 0.0
    s1_new: float = 0.0
    s2_old: float = 0.0
    s2_new: float = 0.0


class _Recorder:
    """Wraps an optimiser and keeps the numbers of its last update of element 0."""

    def __init__(self, opt: optim.Optimizer) -> None:
        self.opt = opt
        self.last: Update | None = None

    @property
    def lr(self) -> float:
        return self.opt.lr

    def step(self, grads) -> None:
        flat = getattr(grads, "flat", None)
        g = float(np.ravel(flat if flat is not None else grads[0])[0])
        w_old, s1_old, s2_old = self.opt.first_entry_state()
        lr = self.opt.lr
        self.opt.step(grads)
        w_new, s1_new, s2_new = self.opt.first_entry_state()
        self.last = Update(
            self.opt.name, self.opt.t, lr, w_old, g, w_new, s1_old, s1_new, s2_old, s2_new
        )

    def on_epoch_end(self) -> None:
        self.opt.on_epoch_end()


def sig(value: float, digits: int = 3) -> Text:
    """``value`` to ``digits`` significant digits with a Unicode minus: 0.00312, 4.87e−5."""
    value = float(value)
    if value == 0.0 or not np.isfinite(value):
        return num(value, digits)
    if abs(value) < 1e-3 or abs(value) >= 1e5:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        return Cat((Num(float(mantissa), digits - 1), f"e{int(exponent)}".replace("-", MINUS)))
    decimals = max(digits - 1 - int(np.floor(np.log10(abs(value)))), 0)
    return num(value, decimals)


def sterm(value: float, digits: int = 3) -> Text:
    """:func:`sig` in parentheses when negative, for use inside a formula."""
    text = sig(value, digits)
    return Cat(("(", text, ")")) if render(text).startswith(MINUS) else text


def maths(*parts: Text) -> Cat:
    """A line of formula and numbers (no words)."""
    return Cat(parts)


def update_lines(u: Update, opt: optim.Optimizer, w: str = "w") -> list[Cat]:
    """The update rule of ``u.name`` and its numbers, a few short lines.

    Weights are written with 4 decimals, gradients and state with 3
    significant digits; every number comes from the optimiser's own state.
    """
    eta = param_num(u.lr)
    w_old, w_new, g = num(u.w_old, 4), num(u.w_new, 4), sterm(u.g)
    if u.name == "sgd":
        return [
            maths(f"SGD: {w} ← {w} − η·g"),
            maths(f"  {w} = ", w_old, " − ", eta, "·", g, " = ", w_new),
        ]
    if u.name == "momentum":
        assert isinstance(opt, optim.Momentum)
        beta = param_num(opt.beta, 1)
        return [
            maths(f"Momentum: v ← βv − ηg; {w} ← {w} + v"),
            maths("  v = ", beta, "·", sterm(u.s1_old), " − ", eta, "·", g, " = ", sig(u.s1_new)),
            maths(f"  {w} = ", w_old, " + ", sterm(u.s1_new), " = ", w_new),
        ]
    if u.name == "rmsprop":
        assert isinstance(opt, optim.RMSprop)
        rho, rest = param_num(opt.rho, 1), param_num(1 - opt.rho, 1)
        return [
            maths(f"RMSProp: s ← ρs + (1−ρ)g²; {w} ← {w} − ηg/(√s+ε)"),
            maths("  s = ", rho, "·", sterm(u.s1_old), " + ", rest, "·", g, "² = ",
                  sig(u.s1_new)),
            maths(f"  {w} = ", w_old, " − ", eta, "·", g, "/", sig(np.sqrt(u.s1_new)), " = ",
                  w_new),
        ]  # fmt: skip
    assert isinstance(opt, optim.Adam)
    b1, b2 = opt.beta1, opt.beta2
    m_hat, v_hat = adam_hats(u, opt)
    return [
        maths("Adam: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²"),
        maths("      w ← w − η·m̂/(√v̂+ε)"),
        maths("  m = ", param_num(b1, 1), "·", sterm(u.s1_old), " + ", param_num(1 - b1, 1), "·",
              g, " = ", sig(u.s1_new)),
        maths("  v = ", param_num(b2, 3), "·", sterm(u.s2_old), " + ", param_num(1 - b2, 3), "·",
              g, "² = ", sig(u.s2_new)),
        maths("  m̂ = m/(1−β₁ᵗ) = ", sig(m_hat), f", t = {u.t}"),
        maths("  v̂ = v/(1−β₂ᵗ) = ", sig(v_hat)),
        maths(f"  {w} = ", w_old, " − ", eta, "·", sterm(m_hat), "/", sig(np.sqrt(v_hat)), " = ",
              w_new),
    ]  # fmt: skip


def compact_lines(u: Update, opt: optim.Optimizer, w: str = "w") -> list[Cat]:
    """Two lines per optimiser: its rule with the new state, then the new weight."""
    eta, w_old, w_new, g = param_num(u.lr), num(u.w_old, 4), num(u.w_new, 4), sterm(u.g)
    if u.name == "sgd":
        return [
            maths("SGD: w ← w − η·g"),
            maths(f"  {w} = ", w_old, " − ", eta, "·", g, " = ", w_new),
        ]
    if u.name == "momentum":
        return [
            maths("Momentum: v = βv − ηg = ", sig(u.s1_new), "; w ← w + v"),
            maths(f"  {w} = ", w_old, " + ", sterm(u.s1_new), " = ", w_new),
        ]
    if u.name == "rmsprop":
        return [
            maths("RMSProp: s = ρs + (1−ρ)g² = ", sig(u.s1_new), "; w ← w − ηg/√s"),
            maths(f"  {w} = ", w_old, " − ", eta, "·", g, "/", sig(np.sqrt(u.s1_new)), " = ",
                  w_new),
        ]  # fmt: skip
    m_hat, v_hat = adam_hats(u, opt)
    return [
        maths("Adam: m̂ = ", sig(m_hat), ", v̂ = ", sig(v_hat), "; w ← w − ηm̂/√v̂"),
        maths(f"  {w} = ", w_old, " − ", eta, "·", sterm(m_hat), "/", sig(np.sqrt(v_hat)), " = ",
              w_new),
    ]  # fmt: skip


def adam_hats(u: Update, opt: optim.Optimizer) -> tuple[float, float]:
    """Adam's bias-corrected moments m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ) after update ``u``."""
    assert isinstance(opt, optim.Adam)
    return u.s1_new / (1 - opt.beta1**u.t), u.s2_new / (1 - opt.beta2**u.t)


RULES = (
    "SGD: w ← w − η·g",
    "Momentum: v ← βv − ηg; w ← w + v",
    "RMSProp: s ← ρs + (1−ρ)g²; w ← w − ηg/√s",
    "Adam: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²",
    "      w ← w − η·m̂/(√v̂+ε)",
)


@register
class OptimizerRace(GridMixin, TrainerExperiment):
    """Four optimisers, one step each per step of the race.

    ``history`` holds the parallel lists "epoch" and one per optimiser (its
    loss; nan from the step it diverged on).
    """

    name = "optimizer_race"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params=None) -> None:
        super().__init__(params)
        self.surface = self.params["problem"] == "ravine"
        self.epoch = 0
        self.diverged: dict[str, bool] = dict.fromkeys(OPTIMIZERS, False)
        self.recorders: dict[str, _Recorder] = {}
        self.history = {"epoch": [0.0]}
        if self.surface:
            self._build_surface()
        else:
            self._build_networks()

    # --- building ---------------------------------------------------------------

    def _build_networks(self) -> None:
        p = self.params
        X, y = datasets.make(p["problem"], n=POINTS, seed=p["seed"])
        self.X, self.y = X, y
        self.models: dict[str, MLP] = {}
        self.trainers: dict[str, Trainer] = {}
        self.accuracy: dict[str, float] = {}
        for name in OPTIMIZERS:
            model = MLP([2, *HIDDEN, 1], activation="tanh", seed=p["seed"])
            recorder = _Recorder(optim.make(name, model.params, p["learning_rate"]))
            trainer = Trainer(
                model, recorder, X, y, batch_size=BATCH, epochs=p["epochs"], seed=p["seed"]
            )
            loss, acc = trainer.evaluate(X, y)
            self.models[name], self.trainers[name], self.recorders[name] = model, trainer, recorder
            self.history[name] = [loss]
            self.accuracy[name] = acc

    def _build_surface(self) -> None:
        lr = self.params["learning_rate"]
        self.points: dict[str, np.ndarray] = {}
        # the points visited, at most epochs + 1 each (the schema bounds epochs)
        self.paths: dict[str, list[np.ndarray]] = {}
        for name in OPTIMIZERS:
            point = np.array(RAVINE_START, dtype=float)
            self.points[name] = point
            self.recorders[name] = _Recorder(optim.make(name, [point], lr))
            self.paths[name] = [point.copy()]
            self.history[name] = [float(ravine(point))]

    def initial_weights(self, name: str) -> np.ndarray:
        """A copy of the starting parameters of optimiser ``name``'s model or point."""
        if self.surface:
            return self.paths[name][0].copy()
        model = MLP([2, *HIDDEN, 1], activation="tanh", seed=self.params["seed"])
        return model.flat_params.copy()

    # --- stepping ---------------------------------------------------------------

    def advance(self) -> None:
        """One epoch (network) or one update (surface) for every optimiser."""
        with np.errstate(all="ignore"):
            for name in OPTIMIZERS:
                loss = np.nan
                if not self.diverged[name]:
                    loss = self._surface_step(name) if self.surface else self._network_step(name)
                self.history[name].append(loss)
        self.epoch += 1
        self.steps_done = self.epoch
        self.history["epoch"].append(float(self.epoch))
        if self.epoch >= self.params["epochs"]:
            self.stopped = "epoch limit"
        elif all(self.diverged.values()):
            self.stopped = "diverged"

    def _network_step(self, name: str) -> float:
        snap = self.trainers[name].step_epoch()
        if snap.diverged:
            self.diverged[name] = True
            return np.nan
        self.accuracy[name] = snap.metrics.get("train_accuracy", np.nan)
        return float(snap.train_loss)

    def _surface_step(self, name: str) -> float:
        point = self.points[name]
        self.recorders[name].step([ravine_grad(point)])
        if not np.all(np.isfinite(point)) or np.abs(point).max() > DIVERGED_AT:
            self.diverged[name] = True
            return np.nan
        self.paths[name].append(point.copy())
        return float(ravine(point))

    # --- keeping the run ----------------------------------------------------------

    keeps_state = True
    variable_state = ("history.", "run.path.")

    def save_state(self) -> dict[str, Any]:
        from tui_workshop.experiments import state

        out: dict[str, Any] = {
            "epoch": int(self.epoch),
            "diverged": np.array([self.diverged[n] for n in OPTIMIZERS], dtype=float),
        }
        for name in OPTIMIZERS:
            recorder = self.recorders[name]
            last = recorder.last
            numbers = [np.nan] * 9 if last is None else [
                last.t, last.lr, last.w_old, last.g, last.w_new,
                last.s1_old, last.s1_new, last.s2_old, last.s2_new,
            ]  # fmt: skip
            out[f"last.{name}"] = np.array(numbers, dtype=float)
            if self.surface:
                out[f"point.{name}"] = self.points[name].copy()
                out[f"path.{name}"] = np.array(self.paths[name], dtype=float)
                out.update(state.prefixed(f"opt.{name}", state.optimizer_state(recorder)))
            else:
                out[f"accuracy.{name}"] = float(self.accuracy[name])
                trainer = state.trainer_state(self.trainers[name])
                out.update(state.prefixed(f"trainer.{name}", trainer))
        return out

    def load_state(self, saved: Mapping[str, Any]) -> None:
        from tui_workshop.experiments import state

        self.epoch = state.as_int(saved["epoch"], high=self.params["epochs"])
        flags = np.asarray(saved["diverged"], dtype=float)
        self.diverged = {name: bool(flags[i]) for i, name in enumerate(OPTIMIZERS)}
        for name in OPTIMIZERS:
            recorder = self.recorders[name]
            numbers = np.asarray(saved[f"last.{name}"], dtype=float)
            recorder.last = None
            if not np.isnan(numbers[0]):
                recorder.last = Update(recorder.opt.name, int(numbers[0]), *map(float, numbers[1:]))
            if self.surface:
                path = np.asarray(saved[f"path.{name}"], dtype=float)
                if not 1 <= len(path) <= self.epoch + 1:
                    raise state.StateError(msg("it does not match this experiment ({name})",
                                               name="path"))
                self.points[name][...] = saved[f"point.{name}"]  # the optimiser's array
                self.paths[name] = list(path)
                state.load_optimizer(recorder, state.part(f"opt.{name}", saved))
            else:
                self.accuracy[name] = state.as_float(saved[f"accuracy.{name}"])
                trainer = state.part(f"trainer.{name}", saved)
                state.load_trainer(self.trainers[name], trainer)

    # --- reading ----------------------------------------------------------------

    def losses(self) -> dict[str, float]:
        """The current loss of each optimiser (nan once it diverged)."""
        return {
            name: np.nan if self.diverged[name] else float(self.history[name][-1])
            for name in OPTIMIZERS
        }

    def metrics(self) -> dict[str, float]:
        out = {f"loss_{name}": value for name, value in self.losses().items()}
        out["epoch"] = float(self.epoch)
        return out

    @property
    def weight_name(self) -> str:
        return "x" if self.surface else "w₁"

    def text_title(self) -> Text:
        return msg(
            "Last update of {w}, η = {eta}", w=self.weight_name,
            eta=param_num(self.params["learning_rate"]),
        )  # fmt: skip

    def update_text(self) -> Cat:
        """The last update of w₁ (x on the surface): two lines per optimiser, or
        every intermediate number for the one chosen with ``show``."""
        w = self.weight_name
        show = self.params["show"]
        names = OPTIMIZERS if show == "all" else (show,)
        if self.epoch == 0:
            return lines(msg("Press Step to see each update of {w}.", w=w), *RULES)
        out: list[Text] = []
        for name in names:
            recorder = self.recorders[name]
            if self.diverged[name]:
                out.append(msg("{name}: diverged", name=OPTIMIZER_LABELS[name]))
            elif recorder.last is not None:
                make = compact_lines if show == "all" else update_lines
                out += make(recorder.last, recorder.opt, w)
        return lines(*out)

    def _loss_plot(self) -> LinePlot:
        epochs = np.asarray(self.history["epoch"], dtype=float)
        series = []
        for role, name in enumerate(OPTIMIZERS):
            values = np.asarray(self.history[name], dtype=float)
            if self.surface:
                values = np.maximum(values, LOG_FLOOR)
            keep = np.isfinite(values)
            series.append(
                Series(
                    OPTIMIZER_LABELS[name],
                    frozen_array(epochs[keep]),
                    frozen_array(values[keep]),
                    "line",
                    role,
                )
            )
        return LinePlot(
            msg("f along each path") if self.surface else msg("Training loss per epoch"),
            tuple(series),
            xlabel=msg("update") if self.surface else msg("epoch"),
            ylabel="f(x, y)" if self.surface else msg("loss"),
            logy=self.surface,
        )

    def _heatmap(self) -> Heatmap:
        cols, rows = self.grid
        _, _, P = grid_points(RAVINE_X, RAVINE_Y, cols, rows)
        z = ravine(P).reshape(rows, cols)
        points = []
        for role, name in enumerate(OPTIMIZERS):
            path = np.array(self.paths[name])
            inside = (np.abs(path[:, 0]) <= RAVINE_X[1]) & (np.abs(path[:, 1]) <= RAVINE_Y[1])
            path = path[inside]
            points.append(
                Series(
                    OPTIMIZER_LABELS[name],
                    frozen_array(path[:, 0]),
                    frozen_array(path[:, 1]),
                    "points",
                    role,
                )
            )
        return Heatmap(
            msg("The ravine {formula}", formula=RAVINE_FORMULA),
            frozen_array(z),
            RAVINE_X,
            RAVINE_Y,
            points=tuple(points),
            vmin=0.0,
            vmax=float(z.max()),
            xlabel="x",
            ylabel="y",
            diverging=False,
        )

    def _table(self) -> Table:
        rows: list[tuple[Text, ...]] = []
        for name in OPTIMIZERS:
            if self.diverged[name]:
                rows.append((OPTIMIZER_LABELS[name], msg("diverged"), "–"))
            else:
                loss = num(self.history[name][-1], 3)
                rows.append((OPTIMIZER_LABELS[name], loss, Num(self.accuracy[name], 0,
                                                               percent=True)))
        losses = self.losses()
        finite = {k: v for k, v in losses.items() if np.isfinite(v)}
        best = min(finite, key=finite.__getitem__) if finite else None
        highlight = frozenset({(OPTIMIZERS.index(best), 1)}) if best else frozenset()
        return Table(
            msg("Where each one is"),
            (msg("optimiser"), msg("loss"), msg("accuracy")),
            tuple(rows),
            highlight,
        )

    def status(self) -> Cat:
        # The four losses first, the leader first (short names), the counter last.
        parts: list[Text] = []
        losses = self.losses()
        ranked = sorted(losses, key=lambda n: losses[n] if np.isfinite(losses[n]) else np.inf)
        for name, value in ((n, losses[n]) for n in ranked):
            if np.isfinite(value):
                parts.append(Cat((SHORT[name], num(value, 3)), " "))
            else:
                parts.append(msg("{name} diverged", name=SHORT[name]))
        total = self.params["epochs"]
        if self.surface:
            parts.append(msg("update {step}/{total}", step=self.epoch, total=total))
        else:
            parts.append(msg("epoch {step}/{total}", step=self.epoch, total=total))
        return join(" · ", parts)

    def stop_message(self) -> tuple[Text | None, Literal["info", "warning", "error"]]:
        """Any divergence (a warning, even while the others race on), the end of
        the race, or how to start it."""
        if any(self.diverged.values()):
            lost = join(", ", [OPTIMIZER_LABELS[n] for n in OPTIMIZERS if self.diverged[n]])
            return msg("Diverged: {names}. Try a smaller learning rate.", names=lost), "warning"
        if self.stopped is not None:
            return msg("The race is over: compare the curves."), "info"
        if self.epoch == 0:
            if self.surface:
                return msg("Press F5 to start the race, F6 for one update."), "info"
            return msg("Press F5 to start the race, F6 for one epoch."), "info"
        return None, "info"

    def draw(self) -> Frame:
        with np.errstate(all="ignore"):
            text = TextPanel(self.text_title(), self.update_text())
            if self.surface:
                panels: tuple = (self._heatmap(), self._loss_plot(), text)
            else:
                panels = (self._loss_plot(), text, self._table())
            message, level = self.stop_message()
            return Frame(
                step=self.epoch,
                status=self.status(),
                panels=panels,
                metrics=self.metrics(),
                done=self.done,
                message=message,
                level=level,
                progress=min(1.0, self.epoch / self.params["epochs"]),
            )
