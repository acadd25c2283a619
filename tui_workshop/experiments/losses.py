"""Loss functions for one prediction: squared error and cross-entropy.

The model says p = P(y = 1) (a sigmoid output, p = σ(z)); the true label is
y ∈ {0, 1}. The frame plots the loss against p for that label with the current
point, writes the loss out with its numbers (cross-entropy is the negative log
of the probability given to the true label), and shows the gradients dL/dp and
dL/dz, where dL/dz = p − y for cross-entropy after a sigmoid.

For one sample, as written in the lesson:
    MSE  L = (p − y)²                          dL/dp = 2(p − y)
    BCE  L = −[y·log p + (1 − y)·log(1 − p)]   dL/dp = (p − y) / (p(1 − p))
and dL/dz = dL/dp · σ′(z) = dL/dp · p(1 − p).
"""

from __future__ import annotations

import numpy as np

from tui_workshop.experiments._common import formula, num, param_num, term
from tui_workshop.experiments.base import (
    Bars,
    Experiment,
    Frame,
    LinePlot,
    Series,
    TextPanel,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import losses as spec
from tui_workshop.i18n.message import Text, lines, msg

P_RANGE = spec.P_RANGE
WRONG = msg("A wrong answer: the loss grows fast as p moves away from y.")
Y_MAX = 5.0  # the plot's top: cross-entropy reaches 6.9 at p = 0.001


def mse(p, y):
    return (np.asarray(p, dtype=float) - y) ** 2


def cross_entropy(p, y):
    p = np.asarray(p, dtype=float)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def gradients(p: float, y: int) -> dict[str, float]:
    """dL/dp and dL/dz (through p = σ(z)) for both losses."""
    sig_prime = p * (1 - p)
    dmse_dp = 2 * (p - y)
    dce_dp = (p - y) / sig_prime
    return {
        "dmse_dp": dmse_dp,
        "dmse_dz": dmse_dp * sig_prime,
        "dce_dp": dce_dp,
        "dce_dz": p - y,
    }


def engine_losses(p: float, y: int) -> tuple[float, float]:
    """(cross-entropy, squared error) of one prediction, from the engine."""
    from tui_workshop.nn import losses

    return losses.binary_cross_entropy([y], p=[p]), losses.mse([y], [p])


@register
class Losses(Experiment):
    name = "losses"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def frame(self) -> Frame:
        p, y, which = self.params["p"], self.params["y"], self.params["loss"]
        show_ce = which in ("cross_entropy", "both")
        show_mse = which in ("mse", "both")
        ce, se = engine_losses(p, y)
        g = gradients(p, y)
        likelihood = p if y == 1 else 1 - p

        xs = np.linspace(*P_RANGE, 200)
        series = []
        if show_ce:
            series.append(
                Series(msg("cross-entropy"), frozen_array(xs), frozen_array(cross_entropy(xs, y)))
            )
            series.append(Series("", frozen_array([p]), frozen_array([ce]), "points", 2))
        if show_mse:
            series.append(
                Series(msg("squared error"), frozen_array(xs), frozen_array(mse(xs, y)), role=1)
            )
            series.append(Series("", frozen_array([p]), frozen_array([se]), "points", 3))
        plot = LinePlot(
            msg("loss against p when y = {y}", y=y),
            tuple(series),
            xlabel="p = P(y = 1)",
            ylabel=msg("loss"),
            xlim=(0.0, 1.0),
            ylim=(0.0, Y_MAX),
        )

        truth = "p" if y == 1 else "1 − p"
        text: list[Text] = [
            msg("y = {y}, P(truth) = {truth} = {value}", y=y, truth=truth,
                value=param_num(likelihood))
        ]
        if show_ce:
            text += [
                msg("cross-entropy = −log P(truth)"),
                formula("  = −log({p}) = {ce}", p=param_num(likelihood), ce=num(ce, 4)),
                formula("  dL/dp = (p−y)/(p(1−p)) = {g}", g=num(g["dce_dp"], 2)),
                formula("  dL/dz = p − y = {g}", g=num(g["dce_dz"], 4)),
            ]
        if show_mse:
            text += [
                msg("squared error = (p − y)²"),
                formula("  = {d}² = {se}", d=term(p - y, 2, exact=True), se=num(se, 4)),
                formula("  dL/dp = 2(p − y) = {g}", g=num(g["dmse_dp"], 4)),
                formula("  dL/dz = 2(p−y)·p(1−p) = {g}", g=num(g["dmse_dz"], 4)),
            ]
        bars = Bars(
            msg("model's probabilities, y = {y}", y=y),
            (
                formula("P(y=0) = {p}", p=param_num(1 - p)),
                formula("P(y=1) = {p}", p=param_num(p)),
            ),
            (1 - p, p),
            vmax=1.0,
        )
        wrong = likelihood < 0.5
        return Frame(
            step=0,
            status=msg("CE {ce}  MSE {mse}", ce=num(ce, 4), mse=num(se, 4)),
            panels=(plot, TextPanel(msg("Loss for one prediction"), lines(*text)), bars),
            metrics={
                "cross_entropy": ce,
                "mse": se,
                "likelihood": likelihood,
                **g,
            },
            message=WRONG if wrong else None,
        )
