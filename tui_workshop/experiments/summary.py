"""The formula sheet: the course's key formulas, one section at a time.

A static experiment: the parameter ``section`` picks a topic and the frame
shows its formulas in Unicode, each followed by a one-line example whose
numbers are computed by the engine (``tui_workshop.nn``) when the frame is
built, so the sheet can never disagree with the code. Some sections add a
small table (a confusion matrix, the optimisers side by side).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from tui_workshop.experiments._common import OPTIMIZER_LABELS, formula, num, vec
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    Table,
    TextPanel,
    register,
)
from tui_workshop.experiments.specs import summary as spec
from tui_workshop.i18n.message import Cat, Num, Text, join, lines, msg, msg_n
from tui_workshop.nn import activations as act
from tui_workshop.nn import conv, losses, metrics, optim, rnn
from tui_workshop.nn.gradcheck import gradient_check
from tui_workshop.nn.mlp import MLP

Entry = tuple[Text, Text]  # (formula, example with numbers)
Section = tuple[list[Entry], Table | None]


def _f(name: str, z: float) -> float:
    return float(act.get(name).f(np.array([z]))[0])


def _df(name: str, z: float) -> float:
    return float(act.get(name).df(np.array([z]))[0])


def short(values: Any) -> Text:
    """Numbers as written by hand: 1, −0.5, 0.25 (a tuple for several)."""
    items = [Num(float(v), 0, exact=True, max_digits=6) for v in np.ravel(values)]
    return items[0] if np.ndim(values) == 0 else Cat(("(", join(", ", items), ")"))


def linear_algebra() -> Section:
    x, w = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    A = np.zeros((2, 3))
    return [
        ("x·w = Σᵢ xᵢwᵢ", formula("{x}·{w} = {v}", x=short(x), w=short(w), v=short(x @ w))),
        ("‖x‖ = √(x·x)", formula("‖(3, 4)‖ = {v}", v=short(np.linalg.norm([3.0, 4.0])))),
        ("(W·x)ᵢ = Σⱼ Wᵢⱼ xⱼ", formula("[[1, 2], [3, 4]]·(1, 1) = {v}", v=short(W @ np.ones(2)))),
        ("(Aᵀ)ᵢⱼ = Aⱼᵢ", f"A {A.shape[0]}×{A.shape[1]} → Aᵀ {A.T.shape[0]}×{A.T.shape[1]}"),
        (msg("z = x·W + b  (a layer)"), "(1×2)·(2×3) + (3) → 1×3"),
    ], None


def activations() -> Section:
    soft = act.softmax(np.array([1.0, 2.0, 3.0]))
    return [
        (
            "σ(z) = 1/(1 + e⁻ᶻ)",
            formula("σ(0) = {a}, σ(2) = {b}", a=num(_f("sigmoid", 0)), b=num(_f("sigmoid", 2))),
        ),
        ("σ′(z) = σ(z)·(1 − σ(z))", formula("σ′(0) = {a}", a=num(_df("sigmoid", 0)))),
        (
            "tanh′(z) = 1 − tanh²(z)",
            formula("tanh(1) = {a}, tanh′(1) = {b}", a=num(_f("tanh", 1)), b=num(_df("tanh", 1))),
        ),
        (
            "ReLU(z) = max(0, z)",
            formula("ReLU(−2) = {a}, ReLU(3) = {b}", a=num(_f("relu", -2), 0),
                    b=num(_f("relu", 3), 0)),
        ),
        ("softmax(z)ᵢ = e^zᵢ / Σⱼ e^zⱼ", formula("softmax(1, 2, 3) = {p}", p=vec(soft))),
    ], None


def losses_section() -> Section:
    y, yhat = np.array([1.0, 2.0]), np.array([1.5, 1.5])
    bce = losses.binary_cross_entropy(np.array([1.0]), np.array([0.8]))
    logits = np.log(np.array([[0.7, 0.2, 0.1]]))
    ce = losses.categorical_cross_entropy(np.array([0]), logits=logits)
    grad = float(
        np.ravel(losses.binary_cross_entropy_grad(np.array([1.0]), np.log(np.array([4.0]))))[0]
    )
    return [
        (
            "MSE = (1/n)·Σ (ŷ − y)²",
            formula("y = {y}, ŷ = {yhat}: MSE = {v}", y=short(y), yhat=short(yhat),
                    v=num(losses.mse(y, yhat))),
        ),
        (
            "BCE = −[y·log p + (1−y)·log(1−p)]",
            formula("y = 1, p = {p}: BCE = {v}", p=short(0.8), v=num(bce, 3)),
        ),
        (msg("CE = −log p_y  (softmax output)"), formula("p_y = {p}: CE = {v}", p=short(0.7),
                                                          v=num(ce, 3))),
        (
            msg("∂BCE/∂z = p − y  (sigmoid output)"),
            formula("p = {p}, y = 1: ∂L/∂z = {v}", p=short(0.8), v=num(grad)),
        ),
    ], None


def gradient_descent() -> Section:
    x = np.array([1.5])
    optim.make("sgd", [x], 0.1).step([2 * x])  # f(x) = x², f′(x) = 2x
    return [
        (
            "x ← x − η·f′(x)",
            formula("f = x², x = {x}, η = {eta}: {x} − {eta}·3 = {v}", x=short(1.5),
                    eta=short(0.1), v=num(x[0])),
        ),
        ("θ ← θ − η·∇L(θ)", msg("every weight and bias at once")),
        (
            msg("on x²: x ← (1 − 2η)·x"),
            msg("η = {eta}: ×{factor}; η > 1 diverges", eta=short(0.1), factor=num(1 - 2 * 0.1)),
        ),
        (
            msg("minibatch: ∇L ≈ (1/B)·Σ_batch ∇ℓᵢ"),
            msg_n("n = {size}, B = {batch}: {n} step per epoch",
                  "n = {size}, B = {batch}: {n} steps per epoch", 200 // 10, size=200, batch=10),
        ),
    ], None


def backprop() -> Section:
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
        ("∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂z · ∂z/∂w", msg("the chain rule, one factor per step")),
        (
            "z = w·x + b, p = σ(z), ∂L/∂z = p − y",
            formula("x = 2, w = {w}, b = 0: p = σ(1) = {p}", w=short(0.5), p=num(p, 3)),
        ),
        ("∂L/∂w = (p − y)·x", formula("y = 1: ({p} − 1)·2 = {dw}", p=num(p, 3), dw=num(dw, 3))),
        ("δˡ = (δˡ⁺¹·Wˡ⁺¹ᵀ) ⊙ f′(zˡ)", msg("the error flows back layer by layer")),
        ("∂L/∂Wˡ = aˡ⁻¹ᵀ·δˡ,  ∂L/∂bˡ = Σ δˡ", msg("shapes match W and b")),
        (
            "(L(w+h) − L(w−h))/2h ≈ ∂L/∂w",
            msg("gradient check: relative difference {value}", value=num(rel, 2)),
        ),
    ], None


def metrics_section() -> Section:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    yhat = np.array([1, 1, 0, 1, 0, 0, 0, 0])
    tp, fp, fn, tn = metrics.binary_counts(y, yhat)
    r2 = metrics.r2(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    entries: list[Entry] = [
        (
            msg("accuracy = (TP + TN)/n"),
            formula("({tp} + {tn})/{n} = {v}", tp=tp, tn=tn, n=len(y),
                    v=num(metrics.accuracy(y, yhat))),
        ),
        (
            msg("precision = TP/(TP + FP)"),
            formula("{tp}/({tp} + {fp}) = {v}", tp=tp, fp=fp, v=num(metrics.precision(y, yhat))),
        ),
        (
            msg("recall = TP/(TP + FN)"),
            formula("{tp}/({tp} + {fn}) = {v}", tp=tp, fn=fn, v=num(metrics.recall(y, yhat))),
        ),
        ("F1 = 2·P·R/(P + R)", formula("F1 = {v}", v=num(metrics.f1(y, yhat)))),
        (
            "R² = 1 − SS_res/SS_tot",
            formula("y = (1, 2, 3), ŷ = (1, 2, 4): R² = {v}", v=num(r2)),
        ),
    ]
    table = Table(
        msg("Confusion matrix of the example"),
        ("", msg("predicted 1"), msg("predicted 0")),
        (
            (msg("actual 1"), msg("TP {n}", n=tp), msg("FN {n}", n=fn)),
            (msg("actual 0"), msg("FP {n}", n=fp), msg("TN {n}", n=tn)),
        ),
    )
    return entries, table


def regularisation() -> Section:
    def penalty(**strength: float) -> float:
        model = MLP([2, 1], seed=0, **strength)
        model.params[0][:, 0] = [1.0, -2.0]
        return model.penalty()

    def example(value: float) -> Text:
        return formula("w = (1, −2), λ = {lam}: {v}", lam=short(0.01), v=num(value, 3))

    return [
        (msg("L2: L + (λ/2)·Σ w², ∂/∂w adds λ·w"), example(penalty(l2=0.01))),
        (msg("L1: L + λ·Σ |w|, ∂/∂w adds λ·sign(w)"), example(penalty(l1=0.01))),
        (
            msg("w ← (1 − ηλ)·w − η·∇L  (weight decay)"),
            formula("η = {eta}, λ = {lam}: ×{v}", eta=short(0.1), lam=short(0.01),
                    v=num(1 - 0.1 * 0.01, 3)),
        ),
        (
            msg("dropout: keep with 1 − p, scale 1/(1 − p)"),
            msg("p = {p}: kept units ×{v}", p=short(0.5), v=num(1 / (1 - 0.5), 0)),
        ),
        (
            msg("early stopping: stop when val loss rises"),
            msg("keep the weights of the best epoch"),
        ),
    ], None


def optimisers() -> Section:
    w0, g, lr = 1.0, 0.5, 0.1
    after = {}
    for name in ("sgd", "momentum", "rmsprop", "adam"):
        w = np.array([w0])
        optim.make(name, [w], lr).step([np.array([g])])
        after[name] = float(w[0])
    start = formula("w = {w}, g = {g}, η = {eta}", w=short(w0), g=short(g), eta=short(lr))
    entries: list[Entry] = [
        ("SGD: w ← w − η·g", formula("{start}: w = {w}", start=start, w=short(after["sgd"]))),
        (
            msg("Momentum: v ← β·v − η·g; w ← w + v"),
            msg("v = 0 at first: v = {v}, w = {w}", v=short(-lr * g), w=short(after["momentum"])),
        ),
        (
            "RMSProp: s ← ρ·s + (1−ρ)·g²; w ← w − η·g/(√s + ε)",
            formula("s = {rho}·{g2} = {s}, w = {w}", rho=short(0.1), g2=short(g * g),
                    s=short(0.1 * g * g), w=num(after["rmsprop"], 3)),
        ),
        ("Adam: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²", msg("running means of g and g²")),
        (
            "m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ); w ← w − η·m̂/(√v̂ + ε)",
            msg("first step moves by η: w = {w}", w=num(after["adam"], 3)),
        ),
    ]
    table = Table(
        msg("One step from {start}", start=start),
        (msg("optimiser"), msg("new w")),
        tuple((OPTIMIZER_LABELS[name], num(value, 3)) for name, value in after.items()),
    )
    return entries, table


def cnn() -> Section:
    image = np.arange(9.0).reshape(3, 3)
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    out = conv.correlate2d(image, kernel)
    pooled = conv.conv_output_size(6, 2, 0, 2)
    return [
        (
            msg("out = ⌊(n + 2p − k)/s⌋ + 1"),
            f"n = 8, k = 3, p = 0, s = 1: {conv.conv_output_size(8, 3)}",
        ),
        ("", f"n = 28, k = 5, p = 2, s = 1: {conv.conv_output_size(28, 5, 2, 1)}"),
        (
            "(I ⋆ K)[i, j] = Σₘ Σₙ I[i+m, j+n]·K[m, n]",
            msg("3×3 image 0..8, K = {kernel}: {value}", kernel="[[1, 0], [0, −1]]",
                value=num(out[0, 0], 0)),
        ),
        (msg("parameters: k·k·c_in·c_out + c_out"), f"3·3·1·8 + 8 = {3 * 3 * 1 * 8 + 8}"),
        (msg("max pooling 2×2, stride 2: halves H and W"), f"6×6 → {pooled}×{pooled}"),
    ], None


def rnn_section() -> Section:
    hs = rnn.scalar_trace(0.5, 1.0, [1.0, 0.0, 0.0])
    grad = rnn.scalar_gradient(0.5, 1.0, [1.0] + [0.0] * 9)
    model = rnn.RNN(n_inputs=1, n_hidden=8, n_outputs=1)
    return [
        ("hₜ = tanh(xₜ·W_xh + hₜ₋₁·W_hh + b)", msg("the same weights at every step")),
        (
            msg("one unit: hₜ = tanh(w·hₜ₋₁ + u·xₜ)"),
            formula("w = {w}, u = 1, x = (1, 0, 0): h = {h}", w=short(0.5), h=vec(hs[1:])),
        ),
        ("ŷ = h_T·W_hy + b_y", msg("the last state makes the prediction")),
        (
            "∂hₜ/∂h₀ = Πₖ w·(1 − hₖ²)",
            msg_n("w = {w}, {n} step: {value} (vanishes)", "w = {w}, {n} steps: {value} (vanishes)",
                  10, w=short(0.5), value=num(grad[-1], 2)),
        ),
        (msg("parameters: d·h + h·h + h + h·o + o"), f"d = 1, h = 8, o = 1: {model.n_params}"),
    ], None


SECTIONS: dict[str, tuple[Text, Callable[[], Section]]] = {
    "linear_algebra": (msg("Linear algebra"), linear_algebra),
    "activations": (msg("Activations"), activations),
    "losses": (msg("Losses"), losses_section),
    "gradient_descent": (msg("Gradient descent"), gradient_descent),
    "backprop": (msg("Backpropagation"), backprop),
    "metrics": (msg("Metrics"), metrics_section),
    "regularisation": (msg("Regularisation"), regularisation),
    "optimisers": (msg("Optimisers"), optimisers),
    "cnn": (msg("Convolutional networks"), cnn),
    "rnn": (msg("Recurrent networks"), rnn_section),
}


def sheet_text(entries: list[Entry]) -> Cat:
    """Each formula on its own line, its example indented below it."""
    out: list[Text] = []
    for written, example in entries:
        if written:
            out.append(written)
        out.append(Cat(("  ", example)))
    return lines(*out)


@register
class Summary(Experiment):
    name = "summary"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params=None) -> None:
        super().__init__(params)
        self.section_title, build = SECTIONS[self.params["section"]]
        with np.errstate(all="ignore"):
            self.entries, self.table = build()

    def frame(self) -> Frame:
        panels: tuple = (TextPanel(self.section_title, sheet_text(self.entries)),)
        if self.table is not None:
            panels += (self.table,)
        index = list(SECTIONS).index(self.params["section"])
        return Frame(
            step=0,
            status=msg("{section} ({index}/{count}) · formula sheet",
                       section=self.section_title, index=index + 1, count=len(SECTIONS)),
            panels=panels,
            metrics={"formulas": float(sum(1 for written, _ in self.entries if written))},
            done=True,
        )
