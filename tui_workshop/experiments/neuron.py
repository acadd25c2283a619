"""One artificial neuron on a 2D data set: z = w·x + b, then a = g(z).

The heatmap shows the neuron's output a over the plane with the data on top;
the decision line z = 0 is where the colours meet. A text panel writes out
the computation for one chosen sample with its numbers, so students can check
every figure by hand. Not trainable: students move w1, w2 and b themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tui_workshop.experiments._common import (
    GridMixin,
    class_points,
    formula,
    num,
    param_num,
    percent,
    term,
    vec,
)
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    Heatmap,
    Series,
    TextPanel,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import neuron as spec
from tui_workshop.i18n.message import Text, lines, msg, msg_n

N_POINTS = spec.N_POINTS


def _sigmoid(z):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


# name -> (written form, function, threshold on a for class 1, strict comparison)
ACTIVATIONS: dict[str, tuple[Text, Any, float, bool]] = {
    "sigmoid": ("σ(z)", _sigmoid, 0.5, False),
    "tanh": ("tanh(z)", np.tanh, 0.0, False),
    "relu": ("ReLU(z) = max(0, z)", lambda z: np.maximum(0.0, z), 0.0, True),
    "step": (msg("step(z)"), lambda z: np.where(np.asarray(z) >= 0, 1.0, 0.0), 0.5, False),
    "identity": ("z", lambda z: np.asarray(z, dtype=float), 0.0, False),
}


class _Neuron:
    """The neuron as a model (``forward``) so ``nn.boundary.decision_grid`` can draw it."""

    def __init__(self, w: np.ndarray, b: float, activation: str) -> None:
        self.w, self.b, self.g = w, b, ACTIVATIONS[activation][1]

    def z(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=float) @ self.w + self.b

    def forward(self, X: np.ndarray) -> np.ndarray:
        return self.g(self.z(X))


@register
class Neuron(GridMixin, Experiment):
    name = "neuron"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params=None) -> None:
        super().__init__(params)
        from tui_workshop.nn import datasets

        p = self.params
        X, y = datasets.make(p["dataset"], n=N_POINTS, noise=p["noise"], seed=0)
        # two decimals, so every number shown is the exact number used
        self.X, self.y = np.round(X, 2), y.astype(int)

    @property
    def neuron(self) -> _Neuron:
        p = self.params
        return _Neuron(np.array([p["w1"], p["w2"]]), p["b"], p["activation"])

    @property
    def sample_index(self) -> int:
        return int(np.clip(self.params["sample"], 0, len(self.X) - 1))

    def classify(self, a: np.ndarray) -> np.ndarray:
        """Class 1 where the output passes the activation's threshold (that is, z ≥ 0)."""
        _, _, threshold, strict = ACTIVATIONS[self.params["activation"]]
        a = np.asarray(a)
        return (a > threshold if strict else a >= threshold).astype(int)

    def accuracy(self) -> float:
        return float(np.mean(self.classify(self.neuron.forward(self.X)) == self.y))

    def computation_text(self) -> tuple[Text, float, float, int]:
        """The chosen sample's computation written out; also returns z, a, class."""
        p = self.params
        i = self.sample_index
        x = self.X[i]
        w = np.array([p["w1"], p["w2"]])
        neuron = self.neuron
        z = float(neuron.z(x[None, :])[0])
        a = float(neuron.forward(x[None, :])[0])
        cls = int(self.classify(np.array(a)))
        written, _, threshold, strict = ACTIVATIONS[p["activation"]]
        cmp = ">" if strict else "≥"
        if cls == 0:
            cmp = "≤" if strict else "<"
        rule = formula("(a {cmp} {t})", cmp=cmp, t=num(threshold, 1))
        if p["activation"] == "step":
            a_text = formula("a = {g} = {a}", g=written, a=int(a))
        elif p["activation"] == "identity":
            a_text = formula("a = z = {a}", a=param_num(a))
        else:
            a_text = formula("a = {g} = {a}", g=written, a=num(a, 3))
        truth = int(self.y[i])
        verdict = msg("✓ right") if cls == truth else msg("✗ wrong")
        w1, w2, b = (term(v, exact=True) for v in (w[0], w[1], p["b"]))
        text = lines(
            msg("sample {i}: x = {x}   true class {truth}", i=i, x=vec(x), truth=truth),
            formula("w = {w}  b = {b}", w=vec(w, exact=True), b=param_num(p["b"])),
            formula(
                "z = w·x + b = {w1}·{x1} + {w2}·{x2} + {b} = {z}",
                w1=w1, x1=term(x[0]), w2=w2, x2=term(x[1]), b=b, z=param_num(z),
            ),
            msg("{a} → class {cls} {rule}  {verdict}", a=a_text, cls=cls, rule=rule,
                verdict=verdict),
            "",
            msg("decision line z = 0: {equation}",
                equation=formula("{w1}·x₁ + {w2}·x₂ + {b} = 0", w1=w1, w2=w2, b=b)),
        )  # fmt: skip
        return text, z, a, cls

    def heatmap(self) -> Heatmap:
        from tui_workshop.nn.boundary import decision_grid

        cols, rows = self.grid
        xs, ys, A = decision_grid(self.neuron, self.X, cols, rows)
        activation = self.params["activation"]
        if activation in ("sigmoid", "step"):
            vmin, vmax = 0.0, 1.0
        elif activation == "tanh":
            vmin, vmax = -1.0, 1.0
        elif activation == "relu":  # a >= 0: from 0 (inactive) to the largest output
            vmin, vmax = 0.0, max(float(np.max(A)), 1e-9)
        else:  # unbounded: symmetric around 0 so the middle colour is the threshold
            m = max(float(np.max(np.abs(A))), 1e-9)
            vmin, vmax = -m, m
        written = ACTIVATIONS[activation][0]
        i = self.sample_index
        sample = Series(
            msg("sample {i}", i=i),
            frozen_array(self.X[i : i + 1, 0]),
            frozen_array(self.X[i : i + 1, 1]),
            "points",
            2,
        )
        return Heatmap(
            msg("a = {g} over the plane", g="ReLU(z)" if activation == "relu" else written),
            frozen_array(A),
            (float(xs[0]), float(xs[-1])),
            (float(ys[0]), float(ys[-1])),
            points=(*class_points(self.X, self.y), sample),
            vmin=vmin,
            vmax=vmax,
            xlabel="x₁",
            ylabel="x₂",
            diverging=activation != "relu",
        )

    def frame(self) -> Frame:
        text, z, a, cls = self.computation_text()
        acc = self.accuracy()
        n = len(self.X)
        return Frame(
            step=0,
            status=msg_n(
                "accuracy {accuracy} · {n} point", "accuracy {accuracy} · {n} points", n,
                accuracy=percent(acc),
            ),
            panels=(self.heatmap(), TextPanel(msg("One sample through the neuron"), text)),
            metrics={"accuracy": acc, "z": z, "a": a, "predicted_class": float(cls)},
        )
