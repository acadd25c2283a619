"""The formula sheet: the course's key formulas, one section at a time.

A static experiment: the parameter ``section`` picks a topic and the frame
shows its formulas in Unicode, each followed by a one-line example whose
numbers are computed by the engine (``tui_workshop.nn``) when the frame is
built, so the sheet can never disagree with the code. Some sections add a
small table (a confusion matrix, the optimisers side by side).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import MINUS, OPTIMIZER_LABELS, num, vec
from tui_workshop.experiments.specs import summary as spec
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    Table,
    TextPanel,
    register,
)
from tui_workshop.nn import activations as act
from tui_workshop.nn import conv, losses, metrics, optim, rnn
from tui_workshop.nn.gradcheck import gradient_check
from tui_workshop.nn.mlp import MLP

Entry = tuple[str, str]  # (formula, example with numbers)


def _f(name: str, z: float) -> float:
    return float(act.get(name).f(np.array([z]))[0])


def _df(name: str, z: float) -> float:
    return float(act.get(name).df(np.array([z]))[0])


def short(values: Any) -> str:
    """Numbers as written by hand: 1, −0.5, 0.25 (a tuple for several)."""
    items = [f"{float(v):g}".replace("-", MINUS) for v in np.ravel(values)]
    return items[0] if np.ndim(values) == 0 else "(" + ", ".join(items) + ")"


def linear_algebra() -> tuple[list[Entry], Table | None]:
    x, w = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    A = np.zeros((2, 3))
    return [
        ("x·w = Σᵢ xᵢwᵢ", f"{short(x)}·{short(w)} = {short(x @ w)}"),
        ("‖x‖ = √(x·x)", f"‖(3, 4)‖ = {short(np.linalg.norm([3.0, 4.0]))}"),
        ("(W·x)ᵢ = Σⱼ Wᵢⱼ xⱼ", f"[[1, 2], [3, 4]]·(1, 1) = {short(W @ np.ones(2))}"),
        ("(Aᵀ)ᵢⱼ = Aⱼᵢ", f"A {A.shape[0]}×{A.shape[1]} → Aᵀ {A.T.shape[0]}×{A.T.shape[1]}"),
        ("z = x·W + b  (a layer)", "(1×2)·(2×3) + (3) → 1×3"),
    ], None


def activations() -> tuple[list[Entry], Table | None]:
    soft = act.softmax(np.array([1.0, 2.0, 3.0]))
    return [
        ("σ(z) = 1/(1 + e⁻ᶻ)", f"σ(0) = {num(_f('sigmoid', 0))}, σ(2) = {num(_f('sigmoid', 2))}"),
        ("σ′(z) = σ(z)·(1 − σ(z))", f"σ′(0) = {num(_df('sigmoid', 0))}"),
        (
            "tanh′(z) = 1 − tanh²(z)",
            f"tanh(1) = {num(_f('tanh', 1))}, tanh′(1) = {num(_df('tanh', 1))}",
        ),
        (
            "ReLU(z) = max(0, z)",
            f"ReLU(−2) = {num(_f('relu', -2), 0)}, ReLU(3) = {num(_f('relu', 3), 0)}",
        ),
        ("softmax(z)ᵢ = e^zᵢ / Σⱼ e^zⱼ", f"softmax(1, 2, 3) = {vec(soft)}"),
    ], None


def losses_section() -> tuple[list[Entry], Table | None]:
    y, yhat = np.array([1.0, 2.0]), np.array([1.5, 1.5])
    bce = losses.binary_cross_entropy(np.array([1.0]), np.array([0.8]))
    logits = np.log(np.array([[0.7, 0.2, 0.1]]))
    ce = losses.categorical_cross_entropy(np.array([0]), logits=logits)
    grad = float(
        np.ravel(losses.binary_cross_entropy_grad(np.array([1.0]), np.log(np.array([4.0]))))[0]
    )
    return [
        ("MSE = (1/n)·Σ (ŷ − y)²", f"y = (1, 2), ŷ = (1.5, 1.5): MSE = {num(losses.mse(y, yhat))}"),
        ("BCE = −[y·log p + (1−y)·log(1−p)]", f"y = 1, p = 0.8: BCE = {num(bce, 3)}"),
        ("CE = −log p_y  (softmax output)", f"p_y = 0.7: CE = {num(ce, 3)}"),
        ("∂BCE/∂z = p − y  (sigmoid output)", f"p = 0.8, y = 1: ∂L/∂z = {num(grad)}"),
    ], None


def gradient_descent() -> tuple[list[Entry], Table | None]:
    x = np.array([1.5])
    optim.make("sgd", [x], 0.1).step([2 * x])  # f(x) = x², f′(x) = 2x
    return [
        ("x ← x − η·f′(x)", f"f = x², x = 1.5, η = 0.1: 1.5 − 0.1·3 = {num(x[0])}"),
        ("θ ← θ − η·∇L(θ)", "every weight and bias at once"),
        ("on x²: x ← (1 − 2η)·x", f"η = 0.1: ×{num(1 - 2 * 0.1)}; η > 1 diverges"),
        ("minibatch: ∇L ≈ (1/B)·Σ_batch ∇ℓᵢ", f"n = 200, B = 10: {200 // 10} steps per epoch"),
    ], None


def backprop() -> tuple[list[Entry], Table | None]:
    model = MLP([1, 1], output="sigmoid", seed=0)
    model.params[0][...] = 0.5
    model.params[1][...] = 0.0
    X, y = np.array([[2.0]]), np.array([1])
    p = float(model.forward(X)[0, 0])
    _, grads = model.loss_and_grads(X, y)
    dw = float(grads[0][0, 0])
    small = MLP([2, 3, 1], activation="tanh", seed=0)
    rel = gradient_check(small, np.array([[1.0, -0.5], [0.3, 0.8]]), np.array([1, 0]))
    return [
        ("∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂z · ∂z/∂w", "the chain rule, one factor per step"),
        ("z = w·x + b, p = σ(z), ∂L/∂z = p − y", f"x = 2, w = 0.5, b = 0: p = σ(1) = {num(p, 3)}"),
        ("∂L/∂w = (p − y)·x", f"y = 1: ({num(p, 3)} − 1)·2 = {num(dw, 3)}"),
        ("δˡ = (δˡ⁺¹·Wˡ⁺¹ᵀ) ⊙ f′(zˡ)", "the error flows back layer by layer"),
        ("∂L/∂Wˡ = aˡ⁻¹ᵀ·δˡ,  ∂L/∂bˡ = Σ δˡ", "shapes match W and b"),
        ("(L(w+h) − L(w−h))/2h ≈ ∂L/∂w", f"gradient check: relative difference {num(rel, 2)}"),
    ], None


def metrics_section() -> tuple[list[Entry], Table | None]:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    yhat = np.array([1, 1, 0, 1, 0, 0, 0, 0])
    tp, fp, fn, tn = metrics.binary_counts(y, yhat)
    r2 = metrics.r2(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    entries = [
        ("accuracy = (TP + TN)/n", f"({tp} + {tn})/{len(y)} = {num(metrics.accuracy(y, yhat))}"),
        ("precision = TP/(TP + FP)", f"{tp}/({tp} + {fp}) = {num(metrics.precision(y, yhat))}"),
        ("recall = TP/(TP + FN)", f"{tp}/({tp} + {fn}) = {num(metrics.recall(y, yhat))}"),
        ("F1 = 2·P·R/(P + R)", f"F1 = {num(metrics.f1(y, yhat))}"),
        ("R² = 1 − SS_res/SS_tot", f"y = (1, 2, 3), ŷ = (1, 2, 4): R² = {num(r2)}"),
    ]
    table = Table(
        "Confusion matrix of the example",
        ("", "predicted 1", "predicted 0"),
        (("actual 1", f"TP {tp}", f"FN {fn}"), ("actual 0", f"FP {fp}", f"TN {tn}")),
    )
    return entries, table


def regularisation() -> tuple[list[Entry], Table | None]:
    def penalty(**strength: float) -> float:
        model = MLP([2, 1], seed=0, **strength)
        model.params[0][:, 0] = [1.0, -2.0]
        return model.penalty()

    return [
        ("L2: L + (λ/2)·Σ w², ∂/∂w adds λ·w", f"w = (1, −2), λ = 0.01: {num(penalty(l2=0.01), 3)}"),
        (
            "L1: L + λ·Σ |w|, ∂/∂w adds λ·sign(w)",
            f"w = (1, −2), λ = 0.01: {num(penalty(l1=0.01), 3)}",
        ),
        ("w ← (1 − ηλ)·w − η·∇L  (weight decay)", f"η = 0.1, λ = 0.01: ×{num(1 - 0.1 * 0.01, 3)}"),
        (
            "dropout: keep with 1 − p, scale 1/(1 − p)",
            f"p = 0.5: kept units ×{num(1 / (1 - 0.5), 0)}",
        ),
        ("early stopping: stop when val loss rises", "keep the weights of the best epoch"),
    ], None


def optimisers() -> tuple[list[Entry], Table | None]:
    w0, g, lr = 1.0, 0.5, 0.1
    after = {}
    for name in ("sgd", "momentum", "rmsprop", "adam"):
        w = np.array([w0])
        optim.make(name, [w], lr).step([np.array([g])])
        after[name] = float(w[0])
    entries = [
        ("SGD: w ← w − η·g", f"w = 1, g = 0.5, η = 0.1: w = {short(after['sgd'])}"),
        (
            "Momentum: v ← β·v − η·g; w ← w + v",
            f"v = 0 at first: v = {short(-lr * g)}, w = {short(after['momentum'])}",
        ),
        (
            "RMSProp: s ← ρ·s + (1−ρ)·g²; w ← w − η·g/(√s + ε)",
            f"s = 0.1·0.25 = {short(0.1 * g * g)}, w = {num(after['rmsprop'], 3)}",
        ),
        ("Adam: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²", "running means of g and g²"),
        (
            "m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ); w ← w − η·m̂/(√v̂ + ε)",
            f"first step moves by η: w = {num(after['adam'], 3)}",
        ),
    ]
    table = Table(
        "One step from w = 1, g = 0.5, η = 0.1",
        ("optimiser", "new w"),
        tuple((OPTIMIZER_LABELS[name], num(value, 3)) for name, value in after.items()),
    )
    return entries, table


def cnn() -> tuple[list[Entry], Table | None]:
    image = np.arange(9.0).reshape(3, 3)
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    out = conv.correlate2d(image, kernel)
    return [
        (
            "out = ⌊(n + 2p − k)/s⌋ + 1",
            f"n = 8, k = 3, p = 0, s = 1: {conv.conv_output_size(8, 3)}",
        ),
        ("", f"n = 28, k = 5, p = 2, s = 1: {conv.conv_output_size(28, 5, 2, 1)}"),
        (
            "(I ⋆ K)[i, j] = Σₘ Σₙ I[i+m, j+n]·K[m, n]",
            f"3×3 image 0..8, K = [[1, 0], [0, −1]]: {num(out[0, 0], 0)}",
        ),
        ("parameters: k·k·c_in·c_out + c_out", f"3·3·1·8 + 8 = {3 * 3 * 1 * 8 + 8}"),
        (
            "max pooling 2×2, stride 2: halves H and W",
            f"6×6 → {conv.conv_output_size(6, 2, 0, 2)}×{conv.conv_output_size(6, 2, 0, 2)}",
        ),
    ], None


def rnn_section() -> tuple[list[Entry], Table | None]:
    hs = rnn.scalar_trace(0.5, 1.0, [1.0, 0.0, 0.0])
    grad = rnn.scalar_gradient(0.5, 1.0, [1.0] + [0.0] * 9)
    model = rnn.RNN(n_inputs=1, n_hidden=8, n_outputs=1)
    return [
        ("hₜ = tanh(xₜ·W_xh + hₜ₋₁·W_hh + b)", "the same weights at every step"),
        ("one unit: hₜ = tanh(w·hₜ₋₁ + u·xₜ)", f"w = 0.5, u = 1, x = (1, 0, 0): h = {vec(hs[1:])}"),
        ("ŷ = h_T·W_hy + b_y", "the last state makes the prediction"),
        ("∂hₜ/∂h₀ = Πₖ w·(1 − hₖ²)", f"w = 0.5, 10 steps: {num(grad[-1], 2)} (vanishes)"),
        ("parameters: d·h + h·h + h + h·o + o", f"d = 1, h = 8, o = 1: {model.n_params}"),
    ], None


SECTIONS: dict[str, tuple[str, Callable[[], tuple[list[Entry], Table | None]]]] = {
    "linear_algebra": ("Linear algebra", linear_algebra),
    "activations": ("Activations", activations),
    "losses": ("Losses", losses_section),
    "gradient_descent": ("Gradient descent", gradient_descent),
    "backprop": ("Backpropagation", backprop),
    "metrics": ("Metrics", metrics_section),
    "regularisation": ("Regularisation", regularisation),
    "optimisers": ("Optimisers", optimisers),
    "cnn": ("Convolutional networks", cnn),
    "rnn": ("Recurrent networks", rnn_section),
}


def sheet_text(entries: list[Entry]) -> str:
    """Each formula on its own line, its example indented below it."""
    lines = []
    for formula, example in entries:
        if formula:
            lines.append(formula)
        lines.append(f"  {example}")
    return "\n".join(lines)


@register
class Summary(Experiment):
    name = "summary"
    SCHEMA = spec.SCHEMA  # provisional: the hand-written checks below still run
    title = "Summary: the formula sheet"
    defaults: ClassVar[dict[str, Any]] = {"section": "activations"}
    trainable = False

    def __init__(self, params=None) -> None:
        super().__init__(params)
        self.require_choice("section", SECTIONS)
        key = self.params["section"]
        self.section_title, build = SECTIONS[key]
        with np.errstate(all="ignore"):
            self.entries, self.table = build()

    def frame(self) -> Frame:
        panels: tuple = (TextPanel(self.section_title, sheet_text(self.entries)),)
        if self.table is not None:
            panels += (self.table,)
        index = list(SECTIONS).index(self.params["section"])
        return Frame(
            step=0,
            status=f"{self.section_title} ({index + 1}/{len(SECTIONS)}) · formula sheet",
            panels=panels,
            metrics={"formulas": float(sum(1 for f, _ in self.entries if f))},
            done=True,
        )
