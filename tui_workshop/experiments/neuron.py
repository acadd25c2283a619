"""One artificial neuron on a 2D data set: z = w·x + b, then a = g(z).

The heatmap shows the neuron's output a over the plane with the data on top;
the decision line z = 0 is where the colours meet. A text panel writes out
the computation for one chosen sample with its numbers, so students can check
every figure by hand. Not trainable: students move w1, w2 and b themselves.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import (
    GridMixin,
    class_points,
    num,
    param_num,
    term,
    vec,
)
from tui_workshop.experiments.specs import neuron as spec
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    Heatmap,
    Series,
    TextPanel,
    frozen_array,
    register,
)

DATASETS = ("gauss", "xor", "circle", "moons")
N_POINTS = 100


def _sigmoid(z):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


# name -> (written form, function, threshold on a for class 1, strict comparison)
ACTIVATIONS: dict[str, tuple[str, Any, float, bool]] = {
    "sigmoid": ("σ(z)", _sigmoid, 0.5, False),
    "tanh": ("tanh(z)", np.tanh, 0.0, False),
    "relu": ("ReLU(z) = max(0, z)", lambda z: np.maximum(0.0, z), 0.0, True),
    "step": ("step(z)", lambda z: np.where(np.asarray(z) >= 0, 1.0, 0.0), 0.5, False),
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
    SCHEMA = spec.SCHEMA  # provisional: the hand-written checks below still run
    title = "A neuron is a dot product"
    defaults: ClassVar[dict[str, Any]] = {
        "w1": 0.5,
        "w2": -0.3,
        "b": 0.1,
        "activation": "sigmoid",
        "dataset": "gauss",
        "noise": 0.0,
        "sample": 0,
    }
    trainable = False
    live_params = frozenset({"w1", "w2", "b", "activation", "sample"})

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.require_choice("activation", ACTIVATIONS)
        self.require_choice("dataset", DATASETS)
        for key in ("w1", "w2", "b", "noise"):
            p[key] = float(p[key])
        from tui_workshop.nn import datasets

        X, y = datasets.make(p["dataset"], n=N_POINTS, noise=p["noise"], seed=0)
        # two decimals, so every number shown is the exact number used
        self.X, self.y = np.round(X, 2), y.astype(int)

    @property
    def neuron(self) -> _Neuron:
        p = self.params
        return _Neuron(np.array([p["w1"], p["w2"]]), p["b"], p["activation"])

    @property
    def sample_index(self) -> int:
        return int(np.clip(int(self.params["sample"]), 0, len(self.X) - 1))

    def classify(self, a: np.ndarray) -> np.ndarray:
        """Class 1 where the output passes the activation's threshold (that is, z ≥ 0)."""
        _, _, threshold, strict = ACTIVATIONS[self.params["activation"]]
        a = np.asarray(a)
        return (a > threshold if strict else a >= threshold).astype(int)

    def accuracy(self) -> float:
        return float(np.mean(self.classify(self.neuron.forward(self.X)) == self.y))

    def computation_text(self) -> tuple[str, float, float, int]:
        """The chosen sample's computation written out; also returns z, a, class."""
        p = self.params
        i = self.sample_index
        x = self.X[i]
        w = np.array([p["w1"], p["w2"]])
        neuron = self.neuron
        z = float(neuron.z(x[None, :])[0])
        a = float(neuron.forward(x[None, :])[0])
        cls = int(self.classify(a))
        formula, _, threshold, strict = ACTIVATIONS[p["activation"]]
        cmp = ">" if strict else "≥"
        if cls == 0:
            cmp = "≤" if strict else "<"
        rule = f"(a {cmp} {num(threshold, 1)})"
        if p["activation"] == "step":
            a_text = f"a = {formula} = {int(a)}"
        elif p["activation"] == "identity":
            a_text = f"a = z = {param_num(a)}"
        else:
            a_text = f"a = {formula} = {num(a, 3)}"
        truth = int(self.y[i])
        verdict = "✓ right" if cls == truth else "✗ wrong"
        lines = [
            f"sample {i}: x = {vec(x)}   true class {truth}",
            f"w = {vec(w, exact=True)}  b = {param_num(p['b'])}",
            f"z = w·x + b = {term(w[0], exact=True)}·{term(x[0])} + "
            f"{term(w[1], exact=True)}·{term(x[1])} + {term(p['b'], exact=True)} = {param_num(z)}",
            f"{a_text} → class {cls} {rule}  {verdict}",
            "",
            f"decision line z = 0: {term(w[0], exact=True)}·x₁ + {term(w[1], exact=True)}·x₂"
            f" + {term(p['b'], exact=True)} = 0",
        ]
        return "\n".join(lines), z, a, cls

    def heatmap(self) -> Heatmap:
        from tui_workshop.nn.boundary import decision_grid

        cols, rows = self.grid
        xs, ys, A = decision_grid(self.neuron, self.X, cols, rows)
        activation = self.params["activation"]
        if activation in ("sigmoid", "step"):
            vmin, vmax = 0.0, 1.0
        elif activation == "tanh":
            vmin, vmax = -1.0, 1.0
        else:  # unbounded: symmetric around 0 so the middle colour is the threshold
            m = max(float(np.max(np.abs(A))), 1e-9)
            vmin, vmax = -m, m
        i = self.sample_index
        sample = Series(
            f"sample {i}",
            frozen_array(self.X[i : i + 1, 0]),
            frozen_array(self.X[i : i + 1, 1]),
            "points",
            2,
        )
        return Heatmap(
            f"a = {ACTIVATIONS[activation][0].split(' = ')[0]} over the plane",
            frozen_array(A),
            (float(xs[0]), float(xs[-1])),
            (float(ys[0]), float(ys[-1])),
            points=(*class_points(self.X, self.y), sample),
            vmin=vmin,
            vmax=vmax,
            xlabel="x₁",
            ylabel="x₂",
        )

    def frame(self) -> Frame:
        text, z, a, cls = self.computation_text()
        acc = self.accuracy()
        return Frame(
            step=0,
            status=f"accuracy {round(100 * acc)}% · {len(self.X)} points",
            panels=(self.heatmap(), TextPanel("One sample through the neuron", text)),
            metrics={"accuracy": acc, "z": z, "a": a, "predicted_class": float(cls)},
        )
