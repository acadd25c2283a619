"""Recurrence with one neuron: h_t = g(w·h_{t−1} + u·x_t + b), g = tanh or linear.

The frame shows the network unrolled in time with its numbers, the trace of
the hidden state, and how far a change of h₀ reaches h_t: by the chain rule

    ∂h_t/∂h₀ = Π_{k=1..t} w·g′(z_k)

which is wᵗ exactly for the linear neuron and w^t·Π(1 − h_k²) for tanh. With
|w| < 1 it vanishes geometrically, with |w| > 1 it explodes; with tanh,
saturation (h near ±1) shrinks every factor, so the true Jacobian stays below
|w|ᵗ. Clipping rescales a gradient whose size exceeds a threshold c to size c
(the direction is kept): the frame shows that clipped size too.

Not trainable: the frame follows the parameters at once.
"""

from __future__ import annotations

import numpy as np

from tui_workshop.experiments._common import formula, num, param_num
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    LinePlot,
    Series,
    TextPanel,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import recurrence as spec
from tui_workshop.i18n.message import Cat, Text, join, lines, msg
from tui_workshop.nn import rnn

SINE_PERIOD = 8
MAX_T = spec.MAX_T
VANISHING, EXPLODING = 1e-2, 1e2  # thresholds for the frame's message
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(t: int) -> str:
    """Subscript digits: 12 -> "₁₂"."""
    return str(t).translate(SUB)


def sig(value: float) -> Text:
    """Four significant digits with a Unicode minus: 57.67, 0.1216, 9.766e−4, 3.325e3."""
    value = float(value)
    if value == 0 or not np.isfinite(value):
        return num(value)
    if 1e-3 <= abs(value) < 1e4:
        digits = max(0, 3 - int(np.floor(np.log10(abs(value)))))
        return num(value, digits)
    mantissa, exponent = f"{value:.3e}".split("e")
    return Cat((num(float(mantissa), 3), "e", num(int(exponent), 0)))


def make_input(kind: str, steps: int) -> np.ndarray:
    """x₁..x_T: zero, a pulse (x₁ = 1), a step (all 1) or a sine of period 8."""
    t = np.arange(1, steps + 1)
    if kind == "zero":
        return np.zeros(steps)
    if kind == "pulse":
        return (t == 1).astype(float)
    if kind == "step":
        return np.ones(steps)
    return np.sin(2 * np.pi * t / SINE_PERIOD)


def trace(w: float, u: float, b: float, x: np.ndarray, h0: float, activation: str) -> np.ndarray:
    """h₀..h_T (length T + 1)."""
    if activation == "tanh":
        return rnn.scalar_trace(w, u, x, h0, b)
    hs = np.empty(len(x) + 1)
    hs[0] = h0
    for k, xk in enumerate(x):
        hs[k + 1] = w * hs[k] + u * xk + b
    return hs


def gradient(w: float, u: float, b: float, x: np.ndarray, h0: float, activation: str) -> np.ndarray:
    """∂h_t/∂h₀ for t = 0..T (1 first)."""
    if activation == "tanh":
        return rnn.scalar_gradient(w, u, x, h0, b)
    return np.asarray(float(w)) ** np.arange(len(x) + 1)


def clipped(g: np.ndarray, threshold: float) -> np.ndarray:
    """Sizes after clipping: |g| rescaled to ``threshold`` where it is larger (0 = off)."""
    size = np.abs(g)
    return np.minimum(size, threshold) if threshold > 0 else size


@register
class Recurrence(Experiment):
    name = "recurrence"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.x = make_input(p["input"], p["T"])
        args = (p["w"], p["u"], p["b"], self.x, p["h0"], p["activation"])
        with np.errstate(all="ignore"):
            self.h = trace(*args)
            self.g = gradient(*args)
            self.bound = np.abs(p["w"]) ** np.arange(p["T"] + 1)
        self.g_clipped = clipped(self.g, p["clip"])

    def metrics(self) -> dict[str, float]:
        p = self.params
        return {
            "grad_T": float(self.g[-1]),
            "grad_abs": float(abs(self.g[-1])),
            "grad_clipped": float(self.g_clipped[-1]),
            "h_T": float(self.h[-1]),
            "w": p["w"],
            "T": float(p["T"]),
        }

    # --- text ---------------------------------------------------------------

    def unrolled(self) -> list[Text]:
        """One line per time step, "x₁ = 1.00 → [h₁] = 0.76", first three and last."""
        T = self.params["T"]
        shown = [1, 2, 3, T] if T > 4 else list(range(1, T + 1))
        out: list[Text] = [formula("h₀ = {h}", h=num(self.h[0]))]
        for t in shown:
            if T > 4 and t == T:
                out.append("…")
            out.append(
                formula("x{t} = {x} → [h{t}] = {h}", t=sub(t), x=num(self.x[t - 1]),
                        h=num(self.h[t]))
            )
        return out

    def chain_rule(self) -> Cat:
        p = self.params
        w, T = p["w"], p["T"]
        g = float(self.g[-1])
        name = f"∂h{sub(T)}/∂h₀"
        wt = formula("{w}^{T}", w=param_num(w, 1), T=T)
        if p["activation"] == "linear":
            out: list[Text] = [formula("{name} = w^T = {wt} = {g}", name=name, wt=wt, g=sig(g))]
        else:
            sat = float(np.prod(1.0 - self.h[1:] ** 2))
            out = [
                formula("{name} = Π w·(1 − hₜ²)", name=name),
                formula("= {wt} · Π(1 − hₜ²)", wt=wt),
                formula("= {a} · {b} = {g}", a=sig(w**T), b=sig(sat), g=sig(g)),
                msg("(linear: {formula})", formula=formula("{wt} = {v}", wt=wt, v=sig(w**T))),
            ]
        clip = p["clip"]
        if clip > 0:
            size = abs(g)
            c = param_num(clip)
            if size > clip:
                out.append(msg("clip c = {c}: |g| = {g} > c", c=c, g=sig(size)))
                out.append(msg("→ g·c/|g|, size {c}", c=c))
            else:
                out.append(msg("clip c = {c}: |g| = {g} ≤ c, kept", c=c, g=sig(size)))
        return lines(*out)

    # --- frame --------------------------------------------------------------

    def frame(self) -> Frame:
        p = self.params
        T = p["T"]
        t = np.arange(T + 1, dtype=float)
        if p["activation"] == "tanh":
            rule = "hₜ = tanh(w·hₜ₋₁ + u·xₜ + b)"
        else:
            rule = "hₜ = w·hₜ₋₁ + u·xₜ + b"
        values = formula(
            "w = {w}, u = {u}, b = {b}", w=param_num(p["w"]), u=param_num(p["u"]),
            b=param_num(p["b"]),
        )
        text = lines(
            rule,
            msg("{values}, input {input}", values=values,
                input=self.SCHEMA["input"].label_of(p["input"])),
            *self.unrolled(),
        )
        h_plot = LinePlot(
            msg("Hidden state hₜ"),
            (
                Series("hₜ", frozen_array(t), frozen_array(self.h), "line", 0),
                Series("xₜ", frozen_array(t[1:]), frozen_array(self.x), "points", 1),
            ),
            xlabel="t",
        )
        g_series = [
            Series("|∂hₜ/∂h₀|", frozen_array(t), frozen_array(np.abs(self.g)), "line", 0),
            Series("|w|ᵗ", frozen_array(t), frozen_array(self.bound), "line", 1),
        ]
        if p["clip"] > 0:
            g_series.append(
                Series(msg("clipped"), frozen_array(t), frozen_array(self.g_clipped), "line", 2)
            )
        g_plot = LinePlot(msg("|∂hₜ/∂h₀|, log scale"), tuple(g_series), xlabel="t", logy=True)
        m = self.metrics()
        size = m["grad_abs"]
        gradient_name = f"|∂h{sub(T)}/∂h₀|"
        message = None
        if not np.isfinite(size) or size > EXPLODING:
            message = msg("Exploding: {gradient} = {size} > {limit}.", gradient=gradient_name,
                          size=num(size), limit=num(EXPLODING, 0))
        elif size < VANISHING:
            message = msg("Vanishing: {gradient} = {size} < {limit}.", gradient=gradient_name,
                          size=num(size), limit=num(VANISHING))
        status: list[Text] = [
            formula("∂h{T}/∂h₀ = {g} · h{T} = {h}", T=sub(T), g=sig(m["grad_T"]),
                    h=sig(m["h_T"]))
        ]
        if p["clip"] > 0:
            status.append(msg("clipped {g}", g=sig(m["grad_clipped"])))
        return Frame(
            step=0,
            status=join(" · ", status),
            panels=(
                TextPanel(msg("Unrolled in time"), text),
                h_plot,
                TextPanel(msg("Chain rule"), self.chain_rule()),
                g_plot,
            ),
            metrics=m,
            done=True,
            message=message,
        )
