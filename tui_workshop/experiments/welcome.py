"""Welcome: a tiny experiment to practise the interface.

One number (``a``), one choice (``curve``) and a step counter. The plot shows
y = a·x, a·x² or a·sin(x); each step moves a marker one unit to the right, so
students see what "step", "run" and "reset" do before any maths.
"""

from __future__ import annotations

import numpy as np

from tui_workshop.experiments._common import formula, num
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    LinePlot,
    Series,
    TextPanel,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import welcome as spec
from tui_workshop.i18n.message import lines, msg

FORMULAS = {"line": "y = a·x", "parabola": "y = a·x²", "wave": "y = a·sin(x)"}
MAX_STEPS = 8
X_START = -4.0

HELP_TEXT = msg(
    "Type a value, Enter applies it.\n"
    "F6  one step: the marker moves\n"
    "F5  run / pause    F9  reset run\n"
    "F3/F4 pages    ctrl+t next pane\n"
    "F1  help    F2  contents"
)


def curve_value(curve: str, a: float, x):
    """y for the chosen curve (works on floats and arrays)."""
    if curve == "line":
        return a * x
    if curve == "parabola":
        return a * x**2
    return a * np.sin(x)


@register
class Welcome(Experiment):
    name = "welcome"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA
    trainable = True
    keeps_state = True  # the marker's position: steps_done

    @property
    def done(self) -> bool:
        return self.steps_done >= MAX_STEPS

    def step(self) -> None:
        if not self.done:
            self.steps_done += 1

    @property
    def marker_x(self) -> float:
        return X_START + self.steps_done

    def frame(self) -> Frame:
        a, curve = self.params["a"], self.params["curve"]
        xs = np.linspace(-4.0, 4.0, 81)
        ys = curve_value(curve, a, xs)
        x0 = self.marker_x
        y0 = float(curve_value(curve, a, x0))
        plot = LinePlot(
            title=formula(FORMULAS[curve].replace("a", "{a}", 1), a=num(a, 1)),
            series=(
                Series(msg("curve"), frozen_array(xs), frozen_array(ys)),
                Series(msg("marker"), frozen_array([x0]), frozen_array([y0]), "points", 1),
            ),
            xlabel="x",
            ylabel="y",
            xlim=(-4.0, 4.0),
        )
        reading = lines(
            msg("{formula}, a = {a}", formula=FORMULAS[curve], a=num(a)),
            msg("marker at x = {x}", x=num(x0, 1)),
            msg("y = {y}", y=num(y0)),
            msg("steps taken: {steps} of {total}", steps=self.steps_done, total=MAX_STEPS),
        )
        return Frame(
            step=self.steps_done,
            status=msg("step {steps}/{total}", steps=self.steps_done, total=MAX_STEPS),
            panels=(
                plot,
                TextPanel(msg("Reading the plot"), reading),
                TextPanel(msg("Keys"), HELP_TEXT),
            ),
            metrics={"steps": float(self.steps_done), "y": y0, "x": x0},
            done=self.done,
            progress=self.steps_done / MAX_STEPS,
            message=msg("The marker reached the end: reset to start again.") if self.done else None,
        )
