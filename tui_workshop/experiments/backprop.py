"""Backpropagation step by step on a 2-2-1 network, ending in a gradient check.

The network: x (2) → z₁ = x·W₁ + b₁ → a₁ = tanh(z₁) → z₂ = a₁·W₂ + b₂ →
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

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from tui_workshop.experiments._common import num, term, vec, wrap_sum
from tui_workshop.experiments.base import Frame, Table, TextPanel, TrainerExperiment, register
from tui_workshop.experiments.specs import backprop as spec
from tui_workshop.i18n.message import MINUS, Cat, Num, Text, join, lines, msg

# Fixed weights used by the lesson text (engine layout: W has shape (in, out)).
W1 = np.array([[0.5, -0.3], [0.2, 0.4]])
B1 = np.array([0.1, -0.1])
W2 = np.array([[0.7], [-0.6]])
B2 = np.array([0.05])

BUGS = spec.SCHEMA["bug"].choices
# What the failed check says about each planted bug.
BUG_MESSAGES = {
    "no_tanh_derivative": msg(
        "Gradient check FAILED: the planted bug drops the tanh derivative {term},"
        " so dL/dW₁ and dL/db₁ are wrong.", term="(1 − a₁²)"
    ),
    "no_bias_gradient": msg(
        "Gradient check FAILED: the planted bug forgets the bias gradients"
        " (dL/db₁ and dL/db₂ are set to 0)."
    ),
    "wrong_sign": msg(
        "Gradient check FAILED: the planted bug flips the sign of dL/dz₂ (y − p instead of"
        " p − y), so every gradient points the wrong way."
    ),
}
# Stop reasons: the last step ran the gradient check.
CHECK_PASSED, CHECK_FAILED = "check passed", "check failed"
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


def sci(value: float, digits: int = 2) -> Cat:
    """Scientific notation as printed in the lesson: 1.04e−10, 1.00e0 (decimal mark of
    the language)."""
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return Cat((Num(float(mantissa), digits), f"e{int(exponent)}".replace("-", MINUS)))


def formula(*parts: Text) -> Cat:
    """A line of formula and numbers (no words)."""
    return Cat(parts)


def _products(weights: np.ndarray, values: np.ndarray, digits: int = 2) -> list[Cat]:
    return [formula(term(w), "·", term(v, digits)) for w, v in zip(weights, values, strict=True)]


def detail(
    step: str, r: dict[str, Any], weights: list[np.ndarray], x: np.ndarray, y: int, bug: str
) -> list[Text]:
    """The computation of one revealed quantity with its numbers (lines of at most 36)."""
    w1, b1, w2, b2 = weights
    if step == "z1":
        out: list[Text] = ["z₁ = x·W₁ + b₁"]
        for j in range(2):
            terms = [*_products(w1[:, j], x), term(b1[j])]
            out += wrap_sum(f"z₁[{j + 1}] = ", terms, num(r["z1"][j], 4))
        return out
    if step == "a1":
        return [
            "a₁ = tanh(z₁)",
            formula("   = tanh", vec(r["z1"], 4)),
            formula("   = ", vec(r["a1"], 4)),
        ]
    if step == "z2":
        terms = [*_products(w2[:, 0], r["a1"], 4), term(b2[0])]
        return ["z₂ = a₁·W₂ + b₂", *wrap_sum("  = ", terms, num(r["z2"][0], 4))]
    if step == "p":
        return [
            "p = σ(z₂) = 1/(1 + e^(−z₂))",
            formula("  = 1/(1 + e^(", num(-r["z2"][0], 4), "))"),
            formula("  = ", num(r["p"][0], 4)),
        ]
    if step == "L":
        truth = " p" if y == 1 else "(1 − p)"
        prob = r["p"][0] if y == 1 else 1 - r["p"][0]
        return [
            "L = −[y·log p + (1−y)·log(1−p)]",
            f"y = {y}: L = −log{truth}",
            formula("  = −log(", num(prob, 4), ") = ", num(r["L"], 4)),
        ]
    if step == "dL_dp":
        return ["dL/dp = −y/p + (1−y)/(1−p)", formula("  = ", num(r["dL_dp"][0], 4))]
    if step == "dL_dz2":
        p = num(r["p"][0], 4)
        if bug == "wrong_sign":
            return [
                "dL/dz₂ = y − p",
                formula(f"  = {y} − ", p),
                formula("  = ", num(r["dL_dz2"][0], 4)),
            ]
        return [
            "dL/dz₂ = dL/dp · σ′(z₂)",
            formula("  = p − y = ", p, f" − {y}"),
            formula("  = ", num(r["dL_dz2"][0], 4)),
        ]
    if step == "dW2":
        return [
            "dL/dW₂ = a₁ᵀ · dL/dz₂",
            formula("  = ", vec(r["a1"], 4), "·", term(r["dL_dz2"][0], 4)),
            formula("  = ", vec(r["dW2"][:, 0], 4)),
        ]
    if step == "db2":
        if bug == "no_bias_gradient":
            return ["dL/db₂ = 0"]
        return ["dL/db₂ = dL/dz₂ · 1", formula("  = ", num(r["db2"][0], 4))]
    if step == "dL_da1":
        return [
            "dL/da₁ = dL/dz₂ · W₂ᵀ",
            formula("  = ", term(r["dL_dz2"][0], 4), "·", vec(w2[:, 0])),
            formula("  = ", vec(r["dL_da1"], 4)),
        ]
    if step == "dL_dz1":
        if bug == "no_tanh_derivative":
            return ["dL/dz₁ = dL/da₁", formula("  = ", vec(r["dL_dz1"], 4))]
        return [
            "dL/dz₁ = dL/da₁ ⊙ (1 − a₁²)",
            formula("  = ", vec(r["dL_da1"], 4)),
            formula("  ⊙ ", vec(1 - r["a1"] ** 2, 4)),
            formula("  = ", vec(r["dL_dz1"], 4)),
        ]
    if step == "dW1":
        return [
            "dL/dW₁ = xᵀ · dL/dz₁",
            msg("row i = {formula}", formula="xᵢ · dL/dz₁"),
            formula("x = ", vec(x)),
            formula("  = [", vec(r["dW1"][0], 4), ","),
            formula("     ", vec(r["dW1"][1], 4), "]"),
        ]
    if step == "db1":
        if bug == "no_bias_gradient":
            return ["dL/db₁ = (0, 0)"]
        return ["dL/db₁ = dL/dz₁", formula("  = ", vec(r["db1"], 4))]
    return []


def summary(step: str, r: dict[str, Any], y: int, bug: str) -> list[Text]:
    """One short line (two for a matrix) per revealed quantity."""
    if step == "z1":
        return [formula("z₁ = x·W₁ + b₁ = ", vec(r["z1"], 4))]
    if step == "a1":
        return [formula("a₁ = tanh(z₁) = ", vec(r["a1"], 4))]
    if step == "z2":
        return [formula("z₂ = a₁·W₂ + b₂ = ", num(r["z2"][0], 4))]
    if step == "p":
        return [formula("p = σ(z₂) = ", num(r["p"][0], 4))]
    if step == "L":
        return [formula(f"L = −log{' p' if y == 1 else '(1−p)'} = ", num(r["L"], 4))]
    if step == "dL_dp":
        return [formula("dL/dp = ", num(r["dL_dp"][0], 4))]
    if step == "dL_dz2":
        rule = "y − p" if bug == "wrong_sign" else "p − y"
        return [formula(f"dL/dz₂ = {rule} = ", num(r["dL_dz2"][0], 4))]
    if step == "dW2":
        return [formula("dL/dW₂ = ", vec(r["dW2"][:, 0], 4))]
    if step == "db2":
        return [formula("dL/db₂ = ", num(r["db2"][0], 4))]
    if step == "dL_da1":
        return [formula("dL/da₁ = ", vec(r["dL_da1"], 4))]
    if step == "dL_dz1":
        return [formula("dL/dz₁ = ", vec(r["dL_dz1"], 4))]
    if step == "dW1":
        return [
            formula("dL/dW₁ = [", vec(r["dW1"][0], 4), ","),
            formula("          ", vec(r["dW1"][1], 4), "]"),
        ]
    if step == "db1":
        return [formula("dL/db₁ = ", vec(r["db1"], 4))]
    return []


def _forward(quantity: str) -> Text:
    return msg("forward: {quantity}", quantity=quantity)


def _backward(quantity: str) -> Text:
    return msg("backward: {quantity}", quantity=quantity)


STEP_TITLES: dict[str, Text] = {
    "z1": _forward("z₁"),
    "a1": _forward("a₁"),
    "z2": _forward("z₂"),
    "p": _forward("p"),
    "L": msg("forward: loss {quantity}", quantity="L"),
    "dL_dp": _backward("dL/dp"),
    "dL_dz2": _backward("dL/dz₂"),
    "dW2": _backward("dL/dW₂"),
    "db2": _backward("dL/db₂"),
    "dL_da1": _backward("dL/da₁"),
    "dL_dz1": _backward("dL/dz₁"),
    "dW1": _backward("dL/dW₁"),
    "db1": _backward("dL/db₁"),
    "check": msg("gradient check"),
}


def gradient_labels() -> list[str]:
    """Row labels for every weight and bias, in engine order."""
    return [
        "W₁[1,1]", "W₁[1,2]", "W₁[2,1]", "W₁[2,2]", "b₁[1]", "b₁[2]",
        "W₂[1]", "W₂[2]", "b₂",
    ]  # fmt: skip


@register
class Backprop(TrainerExperiment):
    """Reveals one quantity per step; the last step runs the gradient check.

    Stepped by the worker like a trainer (F5 runs to the end); the run stops
    with the reason "check passed" or "check failed".
    """

    name = "backprop"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.x = np.array([p["x1"], p["x2"]])
        self.weights = default_params()
        self.result = backward(self.weights, self.x, p["y"], p["bug"])
        self.numerical = numerical_gradients(self.weights, self.x, p["y"])
        self.rel_diff = relative_difference(self.result["grads"], self.numerical)
        self.revealed = 0

    def advance(self) -> None:
        """Reveal the next quantity of the graph."""
        self.revealed += 1
        self.steps_done += 1
        if self.revealed >= len(STEPS):
            self.stopped = CHECK_PASSED if self.passed else CHECK_FAILED

    def is_revealed(self, name: str) -> bool:
        return STEPS.index(name) < self.revealed

    @property
    def passed(self) -> bool:
        return self.rel_diff < PASS_BELOW

    keeps_state = True

    def save_state(self) -> dict[str, Any]:
        return {"revealed": int(self.revealed)}

    def load_state(self, saved: Mapping[str, Any]) -> None:
        from tui_workshop.experiments.state import as_int

        self.revealed = as_int(saved["revealed"], high=len(STEPS))

    def stop_message(self) -> tuple[Text | None, Literal["info", "warning", "error"]]:
        """Passed: info. Failed: a warning naming the planted bug (the failure the
        lesson wants to show, not an error of the app)."""
        if self.stopped == CHECK_PASSED:
            return msg("Gradient check passed."), "info"
        if self.stopped == CHECK_FAILED:
            bug = self.params["bug"]
            return BUG_MESSAGES.get(bug, msg("Gradient check FAILED.")), "warning"
        return None, "info"

    def check_lines(self) -> list[Text]:
        verdict = (
            msg("PASS < {limit}", limit=sci(PASS_BELOW, 0)) if self.passed
            else msg("FAIL: a gradient is wrong")
        )  # fmt: skip
        return [
            "ĝ = (L(w+ε) − L(w−ε)) / 2ε",
            msg("ε = {eps}, each of the {n} weights", eps=sci(EPS, 0), n=len(gradient_labels())),
            "‖g − ĝ‖/(‖g‖ + ‖ĝ‖)",
            formula("  = ", sci(self.rel_diff)),
            verdict,
        ]

    def status(self) -> Text:
        """The gradient check's result once it is revealed (the lesson's goal), then
        how far the steps are."""
        steps = msg("{revealed}/{total} revealed", revealed=self.revealed, total=len(STEPS))
        if not self.is_revealed("check"):
            return steps
        rd = sci(self.rel_diff, 1)
        check = msg("check: {value} PASS", value=rd) if self.passed else msg(
            "check: {value} FAIL", value=rd
        )
        return join(" · ", (check, steps))

    def draw(self) -> Frame:
        y, bug = self.params["y"], self.params["bug"]
        graph: list[Text] = [formula("x = ", vec(self.x), f", y = {y}")]
        for name in STEPS[: self.revealed]:
            if name == "check":
                rd = sci(self.rel_diff, 1)
                graph.append(
                    msg("check: {value} PASS", value=rd) if self.passed
                    else msg("check: {value} FAIL", value=rd)
                )  # fmt: skip
            else:
                graph += summary(name, self.result, y, bug)
        current: list[Text]
        if self.revealed:
            step = STEPS[self.revealed - 1]
            current = [
                msg("Step {step}/{total}: {title}", step=self.revealed, total=len(STEPS),
                    title=STEP_TITLES[step]),
                "",
            ]  # fmt: skip
            if step == "check":
                current += self.check_lines()
            else:
                current += detail(step, self.result, self.weights, self.x, y, bug)
        else:
            current = [
                msg("Step 0: nothing computed yet"),
                "",
                formula("x = ", vec(self.x), f", y = {y}"),
                msg("Press step (F6) to start."),
            ]
        if not self.done:
            current += ["", msg("next: {title}", title=STEP_TITLES[STEPS[self.revealed]])]

        analytic = np.concatenate([g.ravel() for g in self.result["grads"]])
        numeric = np.concatenate([g.ravel() for g in self.numerical])
        sizes = [g.size for g in self.result["grads"]]
        owners = [name for name, size in zip(PARAM_NAMES, sizes, strict=True) for _ in range(size)]
        checked = self.is_revealed("check")
        rows: list[tuple[Text, ...]] = []
        highlight = set()
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
            msg("dL/dw: backprop g, numeric ĝ"),
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
        message, level = self.stop_message()
        return Frame(
            step=self.revealed,
            status=self.status(),
            panels=(
                TextPanel(msg("Current step"), lines(*current)),
                table,
                TextPanel(msg("The graph so far"), lines(*graph)),
            ),
            metrics=metrics,
            done=self.done,
            message=message,
            level=level,
            progress=self.revealed / len(STEPS),
        )
