"""Activation functions and their derivatives, evaluated at a chosen point.

For sigmoid, tanh, relu, leaky_relu and softplus the frame plots f and f′ over
z ∈ [−6, 6], marks the chosen z and writes both values out with the formula of
the derivative; a derivative below 0.01 is flagged as saturation (the gradient
vanishes). For softmax it shows the distribution of three logits at a
temperature T, p = softmax(z / T), as bars with its numbers.
"""

from __future__ import annotations

import numpy as np

from tui_workshop.experiments._common import formula, num, term, vec
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
from tui_workshop.experiments.specs import activations as spec
from tui_workshop.i18n.message import Cat, Text, lines, msg

FUNCTIONS = spec.FUNCTIONS
Z_RANGE = (-6.0, 6.0)
SATURATION = 0.01  # a derivative below this barely passes any gradient back
SATURATED = msg("saturated: the gradient vanishes")


def activation(name: str):
    """The engine's activation ``name`` (with ``.f`` and ``.df``)."""
    from tui_workshop.nn import activations

    return activations.get(name)


def softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """The engine's softmax of ``z / temperature``."""
    from tui_workshop.nn import activations

    return np.asarray(activations.softmax(np.asarray(z, dtype=float) / temperature), dtype=float)


def derivative_text(name: str, z: float, f: float, df: float) -> list[Text]:
    """Lines showing f(z), f′(z) and how f′ follows from f (at most 36 characters)."""
    zs, fs, dfs = num(z), num(f, 4), num(df, 4)
    if name == "sigmoid":
        return [
            "σ(z) = 1 / (1 + e^(−z))",
            formula("σ({z}) = {f}", z=zs, f=fs),
            formula("σ′ = σ(1−σ) = {f}·{g}", f=fs, g=num(1 - f, 4)),
            formula("σ′({z}) = {df}", z=zs, df=dfs),
        ]
    if name == "tanh":
        return [
            "tanh(z) = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)",
            formula("tanh({z}) = {f}", z=zs, f=fs),
            formula("tanh′ = 1 − tanh² = 1 − {f}²", f=term(f, 4)),
            formula("tanh′({z}) = {df}", z=zs, df=dfs),
        ]
    if name == "relu":
        side = msg("(z > 0: slope 1)") if z > 0 else msg("(z ≤ 0: flat, slope 0)")
        return [
            "relu(z) = max(0, z)",
            formula("relu({z}) = {f}", z=zs, f=fs),
            formula("relu′({z}) = {df}", z=zs, df=dfs),
            side,
        ]
    if name == "leaky_relu":
        alpha = num(float(activation("leaky_relu").df(np.array([-1.0]))[0]))
        side = (
            msg("(z > 0: slope 1)")
            if z > 0
            else msg("(z ≤ 0: slope α = {alpha})", alpha=alpha)
        )
        return [
            msg("leaky_relu(z) = z if z > 0,"),
            msg("  else α·z, with α = {alpha}", alpha=alpha),
            formula("leaky_relu({z}) = {f}", z=zs, f=fs),
            formula("leaky_relu′({z}) = {df}", z=zs, df=dfs),
            side,
        ]
    return [
        "softplus(z) = log(1 + eᶻ)",
        formula("softplus({z}) = {f}", z=zs, f=fs),
        formula("softplus′ = σ(z) = {df}", df=dfs),
    ]


@register
class Activations(Experiment):
    name = "activations"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

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
        series.append(
            Series(formula("z = {z}", z=num(z)), frozen_array([z]), frozen_array([f]), "points", 2)
        )
        if self.params["derivative"]:
            at_z = Series(msg("f′ at z"), frozen_array([z]), frozen_array([df]), "points", 3)
            series.append(at_z)
        text = derivative_text(name, z, f, df)
        limit = num(SATURATION)
        saturated = df < SATURATION
        if saturated:
            below = formula("f′ = {df} < {limit}", df=num(df, 4), limit=limit)
            text += ["", Cat((SATURATED, ":")), below]
        elif name in ("sigmoid", "tanh"):
            text += ["", msg("Try |z| > 5: f′ drops below {limit}.", limit=limit)]
        both = self.params["derivative"]
        plot = LinePlot(
            title=msg("{name} and its derivative", name=name) if both else name,
            series=tuple(series),
            xlabel="z",
            ylabel="f(z)",
            xlim=Z_RANGE,
        )
        return Frame(
            step=0,
            status=formula("{name}({z}) = {f}", name=name, z=num(z), f=num(f, 4)),
            panels=(plot, TextPanel(name, lines(*text))),
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
        series = [Series(msg("p₁ as z₁ varies"), frozen_array(xs), frozen_array(p1))]
        if p["derivative"]:
            dp1 = p1 * (1 - p1) / T
            series.append(
                Series("∂p₁/∂z₁ = p₁(1−p₁)/T", frozen_array(xs), frozen_array(dp1), role=1)
            )
        series.append(
            Series(
                formula("z₁ = {z}", z=num(p["z1"])),
                frozen_array([p["z1"]]),
                frozen_array([probs[0]]),
                "points",
                2,
            )
        )
        power = "e^(z/T − max)" if big else "e^(z/T)"
        if T < 1:
            reading = msg("T < 1 sharpens toward the max.")
        elif T > 1:
            reading = msg("T > 1 flattens toward (⅓, ⅓, ⅓).")
        else:
            reading = msg("T = 1: the usual softmax.")
        text = lines(
            "pᵢ = e^(zᵢ/T) / Σⱼ e^(zⱼ/T)",
            formula("z/T = {v}", v=vec(scaled)),
            formula("{power} = {v}", power=power, v=vec(exps, 3)),
            msg("sum = {sum}", sum=num(exps.sum(), 3)),
            formula("p = {p}, Σ = {total}", p=vec(probs, 3), total=num(probs.sum(), 0)),
            reading,
        )
        bars = Bars(
            formula("softmax(z / {T})", T=num(T)),
            tuple(
                formula("p{i} = {p}", i=i, p=num(v, 3))
                for i, v in zip(("₁", "₂", "₃"), probs, strict=True)
            ),
            tuple(float(v) for v in probs),
            vmax=1.0,
        )
        plot = LinePlot(
            msg("softmax: p₁ against z₁"), tuple(series), xlabel="z₁", ylabel="p₁", xlim=Z_RANGE
        )
        return Frame(
            step=0,
            status=formula("p = {p}", p=vec(probs, 3)),
            panels=(bars, TextPanel("softmax", text), plot),
            metrics={
                "p1": float(probs[0]),
                "p2": float(probs[1]),
                "p3": float(probs[2]),
                "max_p": float(probs.max()),
            },
        )
