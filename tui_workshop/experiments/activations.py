"""Activation functions and their derivatives, evaluated at a chosen point.

For sigmoid, tanh, relu, leaky_relu and softplus the frame plots f and f′ over
z ∈ [−6, 6], marks the chosen z and writes both values out with the formula of
the derivative; a derivative below 0.01 is flagged as saturation (the gradient
vanishes). For softmax it shows the distribution of three logits at a
temperature T, p = softmax(z / T), as bars with its numbers.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import num, term, vec
from tui_workshop.experiments.specs import activations as spec
from tui_workshop.experiments.base import (
    Bars,
    Experiment,
    Frame,
    LinePlot,
    ParameterError,
    Series,
    TextPanel,
    frozen_array,
    register,
)

FUNCTIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "softplus", "softmax")
Z_RANGE = (-6.0, 6.0)
SATURATION = 0.01  # a derivative below this barely passes any gradient back
SATURATED = "saturated: the gradient vanishes"


def activation(name: str):
    """The engine's activation ``name`` (with ``.f`` and ``.df``)."""
    from tui_workshop.nn import activations

    return activations.get(name)


def softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """The engine's softmax of ``z / temperature``."""
    from tui_workshop.nn import activations

    return np.asarray(activations.softmax(np.asarray(z, dtype=float) / temperature), dtype=float)


def derivative_text(name: str, z: float, f: float, df: float) -> list[str]:
    """Lines showing f(z), f′(z) and how f′ follows from f (at most 36 characters)."""
    zs = num(z)
    if name == "sigmoid":
        return [
            "σ(z) = 1 / (1 + e^(−z))",
            f"σ({zs}) = {num(f, 4)}",
            f"σ′ = σ(1−σ) = {num(f, 4)}·{num(1 - f, 4)}",
            f"σ′({zs}) = {num(df, 4)}",
        ]
    if name == "tanh":
        return [
            "tanh(z) = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)",
            f"tanh({zs}) = {num(f, 4)}",
            f"tanh′ = 1 − tanh² = 1 − {term(f, 4)}²",
            f"tanh′({zs}) = {num(df, 4)}",
        ]
    if name == "relu":
        side = "z > 0: slope 1" if z > 0 else "z ≤ 0: flat, slope 0"
        return [
            "relu(z) = max(0, z)",
            f"relu({zs}) = {num(f, 4)}",
            f"relu′({zs}) = {num(df, 4)}",
            f"({side})",
        ]
    if name == "leaky_relu":
        alpha = float(activation("leaky_relu").df(np.array([-1.0]))[0])
        side = "z > 0: slope 1" if z > 0 else f"z ≤ 0: slope α = {num(alpha)}"
        return [
            "leaky_relu(z) = z if z > 0,",
            f"  else α·z, with α = {num(alpha)}",
            f"leaky_relu({zs}) = {num(f, 4)}",
            f"leaky_relu′({zs}) = {num(df, 4)}",
            f"({side})",
        ]
    return [
        "softplus(z) = log(1 + eᶻ)",
        f"softplus({zs}) = {num(f, 4)}",
        f"softplus′ = σ(z) = {num(df, 4)}",
    ]


@register
class Activations(Experiment):
    name = "activations"
    SCHEMA = spec.SCHEMA  # provisional: the hand-written checks below still run
    title = "Activation functions"
    defaults: ClassVar[dict[str, Any]] = {
        "function": "sigmoid",
        "z": 0.5,
        "derivative": True,
        "temperature": 1.0,
        "z1": 2.0,
        "z2": 1.0,
        "z3": 0.1,
    }
    live_params = frozenset(defaults)

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.require_choice("function", FUNCTIONS)
        for key in ("z", "temperature", "z1", "z2", "z3"):
            p[key] = float(p[key])
        if p["temperature"] <= 0:
            raise ParameterError("temperature must be positive")

    def frame(self) -> Frame:
        if self.params["function"] == "softmax":
            return self._softmax_frame()
        return self._function_frame()

    def _function_frame(self) -> Frame:
        name, z = self.params["function"], self.params["z"]
        act = activation(name)
        xs = np.linspace(*Z_RANGE, 121)
        f = float(act.f(np.array([z]))[0])
        df = float(act.df(np.array([z]))[0])
        series = [Series(f"{name}(z)", frozen_array(xs), frozen_array(act.f(xs)))]
        if self.params["derivative"]:
            series.append(Series(f"{name}′(z)", frozen_array(xs), frozen_array(act.df(xs)), role=1))
        series.append(Series(f"z = {num(z)}", frozen_array([z]), frozen_array([f]), "points", 2))
        if self.params["derivative"]:
            series.append(Series("f′ at z", frozen_array([z]), frozen_array([df]), "points", 3))
        lines = derivative_text(name, z, f, df)
        saturated = df < SATURATION
        if saturated:
            lines += ["", f"{SATURATED}:", f"f′ = {num(df, 4)} < {SATURATION}"]
        elif name in ("sigmoid", "tanh"):
            lines += ["", f"Try |z| > 5: f′ drops below {SATURATION}."]
        plot = LinePlot(
            title=f"{name} and its derivative" if self.params["derivative"] else name,
            series=tuple(series),
            xlabel="z",
            ylabel="f(z)",
            xlim=Z_RANGE,
        )
        return Frame(
            step=0,
            status=f"{name}({num(z)}) = {num(f, 4)}",
            panels=(plot, TextPanel(name, "\n".join(lines))),
            metrics={"f": f, "df": df, "saturated": 1.0 if saturated else 0.0},
            message=SATURATED if saturated else None,
            level="warning" if saturated else "info",
        )

    def _softmax_frame(self) -> Frame:
        p = self.params
        T = p["temperature"]
        logits = np.array([p["z1"], p["z2"], p["z3"]])
        probs = softmax(logits, T)
        scaled = logits / T
        # unshifted powers read best; shift by the largest only when they would overflow
        big = scaled.max() > 30
        exps = np.exp(scaled - scaled.max()) if big else np.exp(scaled)
        # p₁ as z₁ moves over the range, the other logits fixed
        xs = np.linspace(*Z_RANGE, 121)
        grid = np.column_stack([xs, np.full_like(xs, p["z2"]), np.full_like(xs, p["z3"])])
        p1 = softmax(grid, T)[:, 0]
        series = [Series("p₁ as z₁ varies", frozen_array(xs), frozen_array(p1))]
        if p["derivative"]:
            dp1 = p1 * (1 - p1) / T
            series.append(
                Series("∂p₁/∂z₁ = p₁(1−p₁)/T", frozen_array(xs), frozen_array(dp1), role=1)
            )
        series.append(
            Series(
                f"z₁ = {num(p['z1'])}",
                frozen_array([p["z1"]]),
                frozen_array([probs[0]]),
                "points",
                2,
            )
        )
        power = "e^(z/T − max)" if big else "e^(z/T)"
        lines = [
            "pᵢ = e^(zᵢ/T) / Σⱼ e^(zⱼ/T)",
            f"z/T = {vec(scaled)}",
            f"{power} = {vec(exps, 3)}",
            f"sum = {num(exps.sum(), 3)}",
            f"p = {vec(probs, 3)}, Σ = {num(probs.sum(), 0)}",
        ]
        if T < 1:
            lines.append("T < 1 sharpens toward the max.")
        elif T > 1:
            lines.append("T > 1 flattens toward (⅓, ⅓, ⅓).")
        else:
            lines.append("T = 1: the usual softmax.")
        bars = Bars(
            f"softmax(z / {num(T)})",
            tuple(f"p{i} = {num(v, 3)}" for i, v in zip(("₁", "₂", "₃"), probs, strict=True)),
            tuple(float(v) for v in probs),
            vmax=1.0,
        )
        plot = LinePlot(
            "softmax: p₁ against z₁", tuple(series), xlabel="z₁", ylabel="p₁", xlim=Z_RANGE
        )
        return Frame(
            step=0,
            status=f"p = {vec(probs, 3)}",
            panels=(bars, TextPanel("softmax", "\n".join(lines)), plot),
            metrics={
                "p1": float(probs[0]),
                "p2": float(probs[1]),
                "p3": float(probs[2]),
                "max_p": float(probs.max()),
            },
        )
