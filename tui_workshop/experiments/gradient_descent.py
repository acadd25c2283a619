"""Gradient descent on a chosen surface, one step at a time, with optional momentum.

Surfaces: 1D ``parabola`` (x²) and ``double_well`` (non-convex, two minima);
2D ``bowl``, ``ravine`` (a long narrow valley), ``saddle`` (a saddle point
between two minima) and ``rosenbrock`` (a curved valley).

One step (momentum β, learning rate η)::

    v ← β·v − η·∇f(p)
    p ← p + v

With β = 0 this is plain gradient descent, p ← p − η·∇f(p). The frame shows
the surface with the path taken, the value of f at each step, and the next
update written out with its numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from tui_workshop.experiments._common import GridMixin, grid_points, num, param_num, term
from tui_workshop.experiments.base import (
    Frame,
    Heatmap,
    LinePlot,
    Series,
    TextPanel,
    TrainerExperiment,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import gradient_descent as spec
from tui_workshop.i18n.message import Cat, Text, join, lines, msg, msg_n

DIVERGE_SPANS = 50  # a run diverges when it goes this many plot widths away
CONVERGED_AT = 1e-8  # gradient and velocity norms below which a run has stopped
DIVERGED_MESSAGE = msg("The learning rate is too large: the steps diverge.")
# Stop reasons of this experiment (besides the base's "diverged").
STEP_LIMIT, CONVERGED = "step limit", "converged"


@dataclass(frozen=True)
class Surface:
    """A function to minimise, its gradient, and where its minima are."""

    formula: str
    dim: int
    f: Callable[[np.ndarray], np.ndarray]  # points (..., dim) -> values (...)
    grad: Callable[[np.ndarray], np.ndarray]  # point (dim,) -> gradient (dim,)
    minima: tuple[tuple[float, ...], ...]
    x_range: tuple[float, float]
    y_range: tuple[float, float] = (0.0, 0.0)


def _double_well_minima() -> tuple[tuple[float], ...]:
    # f'(x) = 4x³ − 4x + 0.5 = 0: the outer roots are minima, the middle one a maximum
    roots = np.sort(np.roots([4.0, 0.0, -4.0, 0.5]).real)
    return ((float(roots[0]),), (float(roots[2]),))


SURFACES: dict[str, Surface] = {
    "parabola": Surface(
        "f(x) = x²",
        1,
        lambda p: p[..., 0] ** 2,
        lambda p: np.array([2 * p[0]]),
        ((0.0,),),
        (-3.0, 3.0),
    ),
    "double_well": Surface(
        "f(x) = x⁴ − 2x² + 0.5x",
        1,
        lambda p: p[..., 0] ** 4 - 2 * p[..., 0] ** 2 + 0.5 * p[..., 0],
        lambda p: np.array([4 * p[0] ** 3 - 4 * p[0] + 0.5]),
        _double_well_minima(),
        (-2.0, 2.0),
    ),
    "bowl": Surface(
        "f(x, y) = x² + y²",
        2,
        lambda p: p[..., 0] ** 2 + p[..., 1] ** 2,
        lambda p: np.array([2 * p[0], 2 * p[1]]),
        ((0.0, 0.0),),
        (-3.0, 3.0),
        (-3.0, 3.0),
    ),
    "ravine": Surface(
        "f(x, y) = 0.1x² + y²",
        2,
        lambda p: 0.1 * p[..., 0] ** 2 + p[..., 1] ** 2,
        lambda p: np.array([0.2 * p[0], 2 * p[1]]),
        ((0.0, 0.0),),
        (-5.0, 5.0),
        (-2.0, 2.0),
    ),
    "saddle": Surface(
        "f(x, y) = x² + y⁴/4 − y²/2",
        2,
        lambda p: p[..., 0] ** 2 + p[..., 1] ** 4 / 4 - p[..., 1] ** 2 / 2,
        lambda p: np.array([2 * p[0], p[1] ** 3 - p[1]]),
        ((0.0, -1.0), (0.0, 1.0)),
        (-2.5, 2.5),
        (-1.8, 1.8),
    ),
    "rosenbrock": Surface(
        "f(x, y) = (1 − x)² + 100(y − x²)²",
        2,
        lambda p: (1 - p[..., 0]) ** 2 + 100 * (p[..., 1] - p[..., 0] ** 2) ** 2,
        lambda p: np.array(
            [-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2), 200 * (p[1] - p[0] ** 2)]
        ),
        ((1.0, 1.0),),
        (-2.0, 2.0),
        (-1.0, 3.0),
    ),
}


def maths(*parts: Text) -> Cat:
    """A line of formula and numbers (no words): its parts side by side."""
    return Cat(parts)


@register
class GradientDescent(GridMixin, TrainerExperiment):
    name = "gradient_descent"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA
    limit_param = "max_steps"

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.surface = SURFACES[p["surface"]]
        start = [p["x0"], p["y0"]][: self.surface.dim]
        self.point = np.array(start, dtype=float)
        self.velocity = np.zeros(self.surface.dim)
        # the points visited, at most max_steps + 1 (the schema bounds max_steps)
        self.path: list[np.ndarray] = [self.point.copy()]
        self.history = {"step": [0.0], "f": [self._f(self.point)]}
        spans = [self.surface.x_range[1] - self.surface.x_range[0]]
        if self.surface.dim == 2:
            spans.append(self.surface.y_range[1] - self.surface.y_range[0])
        self._limit = DIVERGE_SPANS * max([*spans, float(np.max(np.abs(self.point)))])

    # --- stepping -------------------------------------------------------------

    def _f(self, point: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            return float(self.surface.f(point))

    def _grad(self, point: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return self.surface.grad(point).astype(float)

    @property
    def diverged(self) -> bool:
        return self.stopped == "diverged"

    @property
    def converged(self) -> bool:
        return self.stopped == CONVERGED

    def advance(self) -> None:
        """One update v ← β·v − η·∇f(p), p ← p + v."""
        lr, beta = self.params["learning_rate"], self.params["momentum"]
        grad = self._grad(self.point)
        with np.errstate(all="ignore"):
            self.velocity = beta * self.velocity - lr * grad
            self.point = self.point + self.velocity
        self.steps_done += 1
        self.path.append(self.point.copy())
        self.history["step"].append(float(self.steps_done))
        self.history["f"].append(self._f(self.point))
        if not np.all(np.isfinite(self.point)) or np.max(np.abs(self.point)) > self._limit:
            self.stopped = "diverged"
        elif (
            np.linalg.norm(self._grad(self.point)) < CONVERGED_AT
            and np.linalg.norm(self.velocity) < CONVERGED_AT
        ):
            self.stopped = CONVERGED
        elif self.steps_done >= self.params["max_steps"]:
            self.stopped = STEP_LIMIT

    def on_live_change(self, name: str, value: Any) -> None:
        # A new step limit ends the run or lets a run stopped by the old one go on.
        if name != "max_steps" or self.stopped not in (None, STEP_LIMIT):
            return
        self.stopped = STEP_LIMIT if self.steps_done >= value else None

    # --- keeping the run ----------------------------------------------------------

    keeps_state = True
    variable_state = ("history.", "run.path")

    def save_state(self) -> dict[str, Any]:
        return {"point": self.point.copy(), "velocity": self.velocity.copy(),
                "path": np.array(self.path, dtype=float)}

    def load_state(self, saved: Mapping[str, Any]) -> None:
        from tui_workshop.experiments.state import StateError

        path = np.array(saved["path"], dtype=float)
        if not 1 <= len(path) <= self.params["max_steps"] + 1:
            raise StateError(msg("it does not match this experiment ({name})", name="path"))
        self.point = np.array(saved["point"], dtype=float)
        self.velocity = np.array(saved["velocity"], dtype=float)
        self.path = list(path)

    # --- reading --------------------------------------------------------------

    def distance_to_minimum(self) -> float:
        """Distance from the current point to the nearest minimum."""
        if not np.all(np.isfinite(self.point)):
            return float("inf")
        return float(min(np.linalg.norm(self.point - np.array(m)) for m in self.surface.minima))

    def update_lines(self) -> list[Cat]:
        """The next update written out with its numbers, one formula per line."""
        lr, beta = self.params["learning_rate"], self.params["momentum"]
        names = ("x", "y")[: self.surface.dim]
        partial = ("f′(x)",) if self.surface.dim == 1 else ("∂f/∂x", "∂f/∂y")
        grad = self._grad(self.point)
        eta = param_num(lr)
        out = []
        if self.surface.dim == 2:
            out.append(maths("∇f = (", num(grad[0]), ", ", num(grad[1]), ")"))
        with np.errstate(all="ignore"):
            for i, name in enumerate(names):
                pos, g = self.point[i], grad[i]
                if beta == 0.0:
                    out.append(maths(
                        f"{name} ← {name} − η·{partial[i]} = ", num(pos), " − ", eta, "·",
                        term(g), " = ", num(pos - lr * g),
                    ))  # fmt: skip
                else:
                    v = self.velocity[i]
                    new_v = beta * v - lr * g
                    vn = f"v{name}" if self.surface.dim == 2 else "v"
                    out.append(maths(
                        f"{vn} ← β·{vn} − η·{partial[i]} = ", param_num(beta), "·", term(v),
                        " − ", eta, "·", term(g), " = ", num(new_v),
                    ))  # fmt: skip
                    out.append(maths(
                        f"{name} ← {name} + {vn} = ", num(pos), " + ", term(new_v), " = ",
                        num(pos + new_v),
                    ))  # fmt: skip
        return out

    def update_text(self) -> Cat:
        return lines(*self.update_lines())

    def _plot_range(self, axis: int) -> tuple[float, float]:
        """The surface's range widened to show the path (but not a diverging one)."""
        lo, hi = self.surface.x_range if axis == 0 else self.surface.y_range
        span = hi - lo
        coords = np.array([p[axis] for p in self.path])
        coords = coords[np.isfinite(coords) & (np.abs(coords) <= 3 * span)]
        if coords.size:
            lo, hi = min(lo, float(coords.min())), max(hi, float(coords.max()))
        return lo, hi

    def _visible_path(self, xlim, ylim=None) -> np.ndarray:
        path = np.array(self.path)
        keep = np.all(np.isfinite(path), axis=1)
        keep &= (path[:, 0] >= xlim[0]) & (path[:, 0] <= xlim[1])
        if ylim is not None:
            keep &= (path[:, 1] >= ylim[0]) & (path[:, 1] <= ylim[1])
        return path[keep]

    def _surface_panel(self) -> LinePlot | Heatmap:
        s = self.surface
        xlim = self._plot_range(0)
        if s.dim == 1:
            xs = np.linspace(*xlim, 161)
            fs = s.f(xs[:, None])
            path = self._visible_path(xlim)
            px = path[:, 0]
            series = [
                Series("f(x)", frozen_array(xs), frozen_array(fs)),
                Series(msg("path"), frozen_array(px), frozen_array(s.f(path)), "line", 1),
            ]
            if len(path) and np.array_equal(path[-1], self.point):
                series.append(
                    Series(
                        msg("now"), frozen_array(px[-1:]), frozen_array(s.f(path[-1:])),
                        "points", 2,
                    )
                )
            return LinePlot(s.formula, tuple(series), xlabel="x", ylabel="f(x)", xlim=xlim)
        ylim = self._plot_range(1)
        cols, rows = self.grid
        _, _, grid = grid_points(xlim, ylim, cols, rows)
        values = np.asarray(s.f(grid), dtype=float)
        path = self._visible_path(xlim, ylim)
        points = [
            Series(
                msg("minimum"),
                frozen_array([m[0] for m in s.minima]),
                frozen_array([m[1] for m in s.minima]),
                "points",
                3,
            ),
            Series(msg("path"), frozen_array(path[:, 0]), frozen_array(path[:, 1]), "points", 1),
        ]
        if len(path) and np.array_equal(path[-1], self.point):
            points.append(
                Series(
                    msg("now"), frozen_array(path[-1:, 0]), frozen_array(path[-1:, 1]),
                    "points", 2,
                )
            )
        return Heatmap(
            s.formula,
            frozen_array(values.reshape(rows, cols)),
            xlim,
            ylim,
            points=tuple(points),
            vmin=float(values.min()),
            vmax=float(values.max()),
            xlabel="x",
            ylabel="y",
            diverging=False,
            log_colors=True,  # so the valleys stay visible next to steep walls
        )

    def stop_message(self) -> tuple[Text | None, Literal["info", "warning", "error"]]:
        if self.stopped == "diverged":
            return DIVERGED_MESSAGE, "warning"
        if self.stopped == STEP_LIMIT:
            steps = self.params["max_steps"]
            return msg_n(
                "Step limit reached ({n} step).", "Step limit reached ({n} steps).", steps
            ), "info"
        if self.stopped == CONVERGED:
            lowest = min(self._f(np.array(m)) for m in self.surface.minima)
            if self.distance_to_minimum() > 1e-3:
                return msg(
                    "Stuck where the gradient is zero, but not at a minimum (a saddle point)."
                ), "info"
            if self._f(self.point) > lowest + 1e-6:
                return msg("Reached a local minimum: there is a lower one elsewhere."), "info"
            return msg("Reached a minimum: the gradient is zero."), "info"
        return None, "info"

    def draw(self) -> Frame:
        steps = np.array(self.history["step"], dtype=float)
        losses = np.array(self.history["f"], dtype=float)
        finite = np.isfinite(losses) & (np.abs(losses) < 1e12)
        loss_plot = LinePlot(
            msg("f at each step"),
            (Series("f", frozen_array(steps[finite]), frozen_array(losses[finite]), "line", 1),),
            xlabel=msg("step"),
            ylabel="f",
        )
        loss, dist = self._f(self.point), self.distance_to_minimum()
        header = (
            maths(
                self.surface.formula, "   η = ", param_num(self.params["learning_rate"]),
                "   β = ", param_num(self.params["momentum"]),
            ),
            msg(
                "step {step}: ({point})  f = {f}", step=self.steps_done,
                point=join(", ", [num(v) for v in self.point]), f=num(loss, 3),
            ),
        )  # fmt: skip
        if self.diverged:
            body: tuple[Text, ...] = (
                msg("The point left the plot: {reason}", reason=DIVERGED_MESSAGE),
            )
        elif self.converged:
            body = (msg("The gradient is zero here: the steps stopped."),)
        else:
            body = (msg("next step:"), *self.update_lines())
        message, level = self.stop_message()
        metrics = {
            "loss": loss,
            "steps": float(self.steps_done),
            "distance": dist,
            "x": float(self.point[0]),
        }
        if self.surface.dim == 2:
            metrics["y"] = float(self.point[1])
        limit = self.params["max_steps"]
        return Frame(
            step=self.steps_done,
            status=msg(
                "f = {f} · step {step}/{limit} · {distance} from the minimum",
                f=num(loss, 3), step=self.steps_done, limit=limit, distance=num(dist, 3),
            ),
            panels=(
                self._surface_panel(),
                loss_plot,
                TextPanel(msg("The update"), lines(*header, *body)),
            ),
            metrics=metrics,
            done=self.done,
            message=message,
            level=level,
            progress=min(1.0, self.steps_done / limit),
        )

