"""Backpropagation step by step on a 2-2-1 network, ending in a gradient check.

The network: x (2) → z₁ = W₁ᵀx + b₁ → a₁ = tanh(z₁) → z₂ = W₂ᵀa₁ + b₂ →
p = σ(z₂), with the binary cross-entropy loss L = −[y·log p + (1−y)·log(1−p)].
Weights follow the engine's layout (W of shape (fan_in, fan_out)), so the same
numbers in ``tui_workshop.nn.MLP`` give the same gradients.

Each step reveals the next quantity in computational-graph order: the forward
pass (z₁, a₁, z₂, p, L), the backward pass (dL/dp, dL/dz₂, dL/dW₂, dL/db₂,
dL/da₁, dL/dz₁, dL/dW₁, dL/db₁) and finally a numerical gradient check by
central differences. The math is written out here in NumPy on purpose: the
lesson shows every step. A "bug" switch plants a classic mistake in the
backward pass so the check visibly fails.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import num, term, vec
from tui_workshop.experiments.specs import backprop as spec
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    ParameterError,
    Table,
    TextPanel,
    register,
)
from tui_workshop.experiments.linear_algebra import wrap_sum

# Fixed weights used by the lesson text (engine layout: W has shape (in, out)).
W1 = np.array([[0.5, -0.3], [0.2, 0.4]])
B1 = np.array([0.1, -0.1])
W2 = np.array([[0.7], [-0.6]])
B2 = np.array([0.05])

BUGS = ("none", "no_tanh_derivative", "no_bias_gradient", "wrong_sign")
BUG_LABELS = {
    "none": "none",
    "no_tanh_derivative": "drop the tanh derivative (1 − a₁²)",
    "no_bias_gradient": "forget the bias gradient",
    "wrong_sign": "wrong sign (dL/dz₂ = y − p)",
}
STEPS = (
    "z1", "a1", "z2", "p", "L",
    "dL_dp", "dL_dz2", "dW2", "db2", "dL_da1", "dL_dz1", "dW1", "db1",
    "check",
)  # fmt: skip
EPS = 1e-6
PASS_BELOW = 1e-7
PARAM_NAMES = ("W1", "b1", "W2", "b2")
# the reveal step (its name) at which each parameter's gradient appears
GRAD_STEP = {"W1": "dW1", "b1": "db1", "W2": "dW2", "b2": "db2"}


def default_params() -> list[np.ndarray]:
    """Copies of the lesson's weights in engine order [W1, b1, W2, b2]."""
    return [W1.copy(), B1.copy(), W2.copy(), B2.copy()]


def forward(params: list[np.ndarray], x: np.ndarray, y: int) -> dict[str, Any]:
    """Every forward quantity for one sample x (2,) with label y."""
    w1, b1, w2, b2 = params
    z1 = w1.T @ x + b1
    a1 = np.tanh(z1)
    z2 = w2.T @ a1 + b2
    p = 1.0 / (1.0 + np.exp(-z2))
    loss = float(-(y * np.log(p[0]) + (1 - y) * np.log(1 - p[0])))
    return {"z1": z1, "a1": a1, "z2": z2, "p": p, "L": loss}


def backward(params: list[np.ndarray], x: np.ndarray, y: int, bug: str = "none") -> dict[str, Any]:
    """The backward pass (with the chosen bug planted), plus the forward values."""
    _, _, w2, _ = params
    f = forward(params, x, y)
    a1, p = f["a1"], f["p"]
    dL_dp = -y / p + (1 - y) / (1 - p)
    dL_dz2 = (y - p) if bug == "wrong_sign" else (p - y)  # σ′(z₂)·dL/dp simplifies to p − y
    dW2 = np.outer(a1, dL_dz2)
    db2 = np.zeros_like(dL_dz2) if bug == "no_bias_gradient" else dL_dz2.copy()
    dL_da1 = w2 @ dL_dz2
    dL_dz1 = dL_da1 if bug == "no_tanh_derivative" else dL_da1 * (1 - a1**2)
    dW1 = np.outer(x, dL_dz1)
    db1 = np.zeros_like(dL_dz1) if bug == "no_bias_gradient" else dL_dz1.copy()
    return {
        **f,
        "dL_dp": dL_dp,
        "dL_dz2": dL_dz2,
        "dW2": dW2,
        "db2": db2,
        "dL_da1": dL_da1,
        "dL_dz1": dL_dz1,
        "dW1": dW1,
        "db1": db1,
        "grads": [dW1, db1, dW2, db2],
    }


def numerical_gradients(
    params: list[np.ndarray], x: np.ndarray, y: int, eps: float = EPS
) -> list[np.ndarray]:
    """Central differences (L(w + ε) − L(w − ε)) / 2ε for every weight and bias."""
    grads = []
    for k, param in enumerate(params):
        grad = np.zeros_like(param)
        for idx in np.ndindex(param.shape):
            shifted = [q.copy() for q in params]
            shifted[k][idx] = param[idx] + eps
            plus = forward(shifted, x, y)["L"]
            shifted[k][idx] = param[idx] - eps
            minus = forward(shifted, x, y)["L"]
            grad[idx] = (plus - minus) / (2 * eps)
        grads.append(grad)
    return grads


def relative_difference(g: list[np.ndarray], g_hat: list[np.ndarray]) -> float:
    """‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) over all arrays together."""
    flat = np.concatenate([a.ravel() for a in g])
    flat_hat = np.concatenate([a.ravel() for a in g_hat])
    den = np.linalg.norm(flat) + np.linalg.norm(flat_hat)
    return float(np.linalg.norm(flat - flat_hat) / den) if den else 0.0


def sci(value: float, digits: int = 2) -> str:
    """Scientific notation as printed in the lesson: 1.04e−10, 1.00e0."""
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return f"{mantissa}e{int(exponent)}".replace("-", "−")


def _products(weights: np.ndarray, values: np.ndarray, digits: int = 2) -> list[str]:
    return [f"{term(w)}·{term(v, digits)}" for w, v in zip(weights, values, strict=True)]


def detail(
    step: str, r: dict[str, Any], weights: list[np.ndarray], x: np.ndarray, y: int, bug: str
) -> list[str]:
    """The computation of one revealed quantity with its numbers (lines of at most 36)."""
    w1, b1, w2, b2 = weights
    if step == "z1":
        lines = ["z₁ = W₁ᵀx + b₁"]
        for j in range(2):
            terms = [*_products(w1[:, j], x), term(b1[j])]
            lines += wrap_sum(f"z₁[{j + 1}] = ", terms, f" = {num(r['z1'][j], 4)}")
        return lines
    if step == "a1":
        return [
            "a₁ = tanh(z₁)",
            f"   = tanh{vec(r['z1'], 4)}",
            f"   = {vec(r['a1'], 4)}",
        ]
    if step == "z2":
        terms = [*_products(w2[:, 0], r["a1"], 4), term(b2[0])]
        return ["z₂ = W₂ᵀa₁ + b₂", *wrap_sum("  = ", terms, f" = {num(r['z2'][0], 4)}")]
    if step == "p":
        return [
            "p = σ(z₂) = 1/(1 + e^(−z₂))",
            f"  = 1/(1 + e^({num(-r['z2'][0], 4)}))",
            f"  = {num(r['p'][0], 4)}",
        ]
    if step == "L":
        truth = " p" if y == 1 else "(1 − p)"
        prob = r["p"][0] if y == 1 else 1 - r["p"][0]
        return [
            "L = −[y·log p + (1−y)·log(1−p)]",
            f"y = {y}: L = −log{truth}",
            f"  = −log({num(prob, 4)}) = {num(r['L'], 4)}",
        ]
    if step == "dL_dp":
        return ["dL/dp = −y/p + (1−y)/(1−p)", f"  = {num(r['dL_dp'][0], 4)}"]
    if step == "dL_dz2":
        p = num(r["p"][0], 4)
        if bug == "wrong_sign":
            return ["dL/dz₂ = y − p", f"  = {y} − {p}", f"  = {num(r['dL_dz2'][0], 4)}"]
        return [
            "dL/dz₂ = dL/dp · σ′(z₂)",
            f"  = p − y = {p} − {y}",
            f"  = {num(r['dL_dz2'][0], 4)}",
        ]
    if step == "dW2":
        return [
            "dL/dW₂ = a₁ · dL/dz₂",
            f"  = {vec(r['a1'], 4)}·{term(r['dL_dz2'][0], 4)}",
            f"  = {vec(r['dW2'][:, 0], 4)}",
        ]
    if step == "db2":
        if bug == "no_bias_gradient":
            return ["dL/db₂ = 0"]
        return ["dL/db₂ = dL/dz₂ · 1", f"  = {num(r['db2'][0], 4)}"]
    if step == "dL_da1":
        return [
            "dL/da₁ = W₂ · dL/dz₂",
            f"  = {vec(w2[:, 0])}·{term(r['dL_dz2'][0], 4)}",
            f"  = {vec(r['dL_da1'], 4)}",
        ]
    if step == "dL_dz1":
        if bug == "no_tanh_derivative":
            return ["dL/dz₁ = dL/da₁", f"  = {vec(r['dL_dz1'], 4)}"]
        return [
            "dL/dz₁ = dL/da₁ ⊙ (1 − a₁²)",
            f"  = {vec(r['dL_da1'], 4)}",
            f"  ⊙ {vec(1 - r['a1'] ** 2, 4)}",
            f"  = {vec(r['dL_dz1'], 4)}",
        ]
    if step == "dW1":
        return [
            "dL/dW₁ = x ⊗ dL/dz₁",
            "row i = xᵢ · dL/dz₁",
            f"x = {vec(x)}",
            f"  = [{vec(r['dW1'][0], 4)},",
            f"     {vec(r['dW1'][1], 4)}]",
        ]
    if step == "db1":
        if bug == "no_bias_gradient":
            return ["dL/db₁ = (0, 0)"]
        return ["dL/db₁ = dL/dz₁", f"  = {vec(r['db1'], 4)}"]
    return []


def summary(step: str, r: dict[str, Any], y: int, bug: str) -> list[str]:
    """One short line (two for a matrix) per revealed quantity."""
    if step == "z1":
        return [f"z₁ = W₁ᵀx + b₁ = {vec(r['z1'], 4)}"]
    if step == "a1":
        return [f"a₁ = tanh(z₁) = {vec(r['a1'], 4)}"]
    if step == "z2":
        return [f"z₂ = W₂ᵀa₁ + b₂ = {num(r['z2'][0], 4)}"]
    if step == "p":
        return [f"p = σ(z₂) = {num(r['p'][0], 4)}"]
    if step == "L":
        return [f"L = −log{' p' if y == 1 else '(1−p)'} = {num(r['L'], 4)}"]
    if step == "dL_dp":
        return [f"dL/dp = {num(r['dL_dp'][0], 4)}"]
    if step == "dL_dz2":
        rule = "y − p" if bug == "wrong_sign" else "p − y"
        return [f"dL/dz₂ = {rule} = {num(r['dL_dz2'][0], 4)}"]
    if step == "dW2":
        return [f"dL/dW₂ = {vec(r['dW2'][:, 0], 4)}"]
    if step == "db2":
        return [f"dL/db₂ = {num(r['db2'][0], 4)}"]
    if step == "dL_da1":
        return [f"dL/da₁ = {vec(r['dL_da1'], 4)}"]
    if step == "dL_dz1":
        return [f"dL/dz₁ = {vec(r['dL_dz1'], 4)}"]
    if step == "dW1":
        return [f"dL/dW₁ = [{vec(r['dW1'][0], 4)},", f"          {vec(r['dW1'][1], 4)}]"]
    if step == "db1":
        return [f"dL/db₁ = {vec(r['db1'], 4)}"]
    return []


STEP_TITLES = {
    "z1": "forward: z₁",
    "a1": "forward: a₁",
    "z2": "forward: z₂",
    "p": "forward: p",
    "L": "forward: loss L",
    "dL_dp": "backward: dL/dp",
    "dL_dz2": "backward: dL/dz₂",
    "dW2": "backward: dL/dW₂",
    "db2": "backward: dL/db₂",
    "dL_da1": "backward: dL/da₁",
    "dL_dz1": "backward: dL/dz₁",
    "dW1": "backward: dL/dW₁",
    "db1": "backward: dL/db₁",
    "check": "gradient check",
}


def gradient_labels() -> list[str]:
    """Row labels for every weight and bias, in engine order."""
    return [
        "W₁[1,1]", "W₁[1,2]", "W₁[2,1]", "W₁[2,2]", "b₁[1]", "b₁[2]",
        "W₂[1]", "W₂[2]", "b₂",
    ]  # fmt: skip


@register
class Backprop(Experiment):
    name = "backprop"
    SCHEMA = spec.SCHEMA  # provisional: the hand-written checks below still run
    title = "Backpropagation step by step"
    defaults: ClassVar[dict[str, Any]] = {"x1": 1.0, "x2": 0.5, "y": 1, "bug": "none"}
    trainable = True

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.require_choice("bug", BUGS)
        if int(p["y"]) not in (0, 1):
            raise ParameterError("y must be 0 or 1")
        p["y"] = int(p["y"])
        self.x = np.array([float(p["x1"]), float(p["x2"])])
        self.weights = default_params()
        self.result = backward(self.weights, self.x, p["y"], p["bug"])
        self.numerical = numerical_gradients(self.weights, self.x, p["y"])
        self.rel_diff = relative_difference(self.result["grads"], self.numerical)
        self.revealed = 0

    @property
    def done(self) -> bool:
        return self.revealed >= len(STEPS)

    def step(self) -> None:
        """Reveal the next quantity of the graph."""
        if not self.done:
            self.revealed += 1
            self.steps_done += 1

    def is_revealed(self, name: str) -> bool:
        return STEPS.index(name) < self.revealed

    @property
    def passed(self) -> bool:
        return self.rel_diff < PASS_BELOW

    def check_lines(self) -> list[str]:
        verdict = "PASS < 1e−7" if self.passed else "FAIL: a gradient is wrong"
        return [
            "ĝ = (L(w+ε) − L(w−ε)) / 2ε",
            "ε = 1e−6, each of the 9 weights",
            "‖g − ĝ‖/(‖g‖ + ‖ĝ‖)",
            f"  = {sci(self.rel_diff)}",
            verdict,
        ]

    def frame(self) -> Frame:
        y, bug = self.params["y"], self.params["bug"]
        graph: list[str] = [f"x = {vec(self.x)}, y = {y}"]
        for name in STEPS[: self.revealed]:
            if name == "check":
                verdict = "PASS" if self.passed else "FAIL"
                graph.append(f"check: {sci(self.rel_diff, 1)} {verdict}")
            else:
                graph += summary(name, self.result, y, bug)
        if self.revealed:
            current = STEPS[self.revealed - 1]
            lines = [f"Step {self.revealed}/{len(STEPS)}: {STEP_TITLES[current]}", ""]
            if current == "check":
                lines += self.check_lines()
            else:
                lines += detail(current, self.result, self.weights, self.x, y, bug)
        else:
            lines = ["Step 0: nothing computed yet", "", f"x = {vec(self.x)}, y = {y}"]
            lines.append("Press step (F6) to start.")
        if not self.done:
            lines += ["", f"next: {STEP_TITLES[STEPS[self.revealed]]}"]

        analytic = np.concatenate([g.ravel() for g in self.result["grads"]])
        numeric = np.concatenate([g.ravel() for g in self.numerical])
        sizes = [g.size for g in self.result["grads"]]
        owners = [name for name, size in zip(PARAM_NAMES, sizes, strict=True) for _ in range(size)]
        checked = self.is_revealed("check")
        rows, highlight = [], set()
        for i, label in enumerate(gradient_labels()):
            shown = self.is_revealed(GRAD_STEP[owners[i]])
            rows.append(
                (
                    label,
                    num(analytic[i], 5) if shown else "?",
                    num(numeric[i], 5) if checked else "?",
                )
            )
            if checked and abs(analytic[i] - numeric[i]) > 1e-6:
                highlight.update({(i, 1), (i, 2)})
        table = Table(
            "dL/dw: backprop g, numeric ĝ",
            ("w", "g", "ĝ"),
            tuple(rows),
            frozenset(highlight),
        )
        metrics: dict[str, float] = {
            "revealed": float(self.revealed),
            "loss": self.result["L"],
        }
        if checked:
            metrics["relative_difference"] = self.rel_diff
            metrics["check_passed"] = 1.0 if self.passed else 0.0
        message, level = None, "info"
        if checked:
            message = "Gradient check passed." if self.passed else "Gradient check FAILED."
            level = "info" if self.passed else "error"
        return Frame(
            step=self.revealed,
            status=f"{self.revealed}/{len(STEPS)} revealed",
            panels=(
                TextPanel("Current step", "\n".join(lines)),
                table,
                TextPanel("The graph so far", "\n".join(graph)),
            ),
            metrics=metrics,
            done=self.done,
            message=message,
            level=level,
            progress=self.revealed / len(STEPS),
        )
