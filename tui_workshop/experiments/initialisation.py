"""Initialisation: how the spread of activations changes from layer to layer.

A batch of inputs goes through a stack of equally wide layers z = a·W + b
(b = 0) with weights drawn from N(0, Var(w)); the bars show the standard
deviation of each layer's pre-activations z. Since Var(z) = n_in·Var(w)·Var(a),
the spread stays put when Var(w) = 1/n_in (LeCun; Glorot's 2/(n_in + n_out) is
the same for equal widths) with tanh, and when Var(w) = 2/n_in (He) with ReLU,
which zeroes half of its inputs. Too small a Var(w) shrinks the signal layer by
layer, too large a one blows it up (or saturates tanh).
"""

from __future__ import annotations

import math

import numpy as np

from tui_workshop.experiments._common import num, percent
from tui_workshop.experiments.base import (
    Bars,
    Experiment,
    Frame,
    LinePlot,
    Panel,
    Series,
    TextPanel,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import initialisation as spec
from tui_workshop.i18n.message import lines, msg

N_SAMPLES = 256
EPOCHS = 100  # the schedule view draws η over this many epochs
SATURATED = 0.99  # |tanh(z)| above this: the unit's slope 1 − a² is below 0.02


def weight_variance(init: str, n_in: int, n_out: int) -> float:
    """Var(w) of each initialisation for a layer with ``n_in`` inputs and ``n_out`` outputs."""
    if init == "small":
        return 0.01**2
    if init == "lecun":
        return 1.0 / n_in
    if init == "glorot":
        return 2.0 / (n_in + n_out)
    if init == "he":
        return 2.0 / n_in
    return 1.0  # large


def raw_inputs(width: int, scale: float, seed: int) -> np.ndarray:
    """N_SAMPLES raw inputs: each feature with its own mean and a spread of ``scale``."""
    rng = np.random.default_rng([seed, 1])
    means = rng.uniform(-scale, scale, size=width)
    return means + scale * rng.standard_normal((N_SAMPLES, width))


def standardise(x: np.ndarray) -> np.ndarray:
    """Each column shifted to mean 0 and scaled to standard deviation 1."""
    return (x - x.mean(axis=0)) / x.std(axis=0)


def forward(params: dict) -> dict:
    """Pre-activation and activation statistics of every layer for ``params``."""
    width, depth = params["width"], params["layers"]
    x = raw_inputs(width, params["input_scale"], params["seed"])
    if params["standardise"]:
        x = standardise(x)
    var_w = weight_variance(params["init"], width, width)
    rng = np.random.default_rng([params["seed"], 2])
    relu = params["activation"] == "relu"
    a, z_std, a_std, saturated = x, [], [], []
    for _ in range(depth):
        w = rng.standard_normal((width, width)) * math.sqrt(var_w)
        z = a @ w
        a = np.maximum(z, 0.0) if relu else np.tanh(z)
        z_std.append(float(z.std()))
        a_std.append(float(a.std()))
        saturated.append(0.0 if relu else float(np.mean(np.abs(a) > SATURATED)))
    return {
        "x_var": float(np.mean(x**2)),
        "var_w": var_w,
        "z_std": z_std,
        "a_std": a_std,
        "saturated": saturated,
    }


def schedule(lr0: float, decay: float, epochs: int = EPOCHS) -> np.ndarray:
    """η after each of ``epochs`` epochs (index t: after t epochs), from the engine's optimiser."""
    from tui_workshop.nn.optim import SGD

    opt = SGD([np.zeros(1)], lr=lr0, decay=decay)
    out = [opt.lr]
    for _ in range(epochs):
        opt.on_epoch_end()
        out.append(opt.lr)
    return np.array(out)


@register
class Initialisation(Experiment):
    name = "initialisation"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def frame(self) -> Frame:
        p = self.params
        r = forward(p)
        z_std = r["z_std"]
        width = p["width"]
        predicted = width * r["var_w"] * r["x_var"]
        first, last = z_std[0], z_std[-1]
        drift = abs(math.log2(last / first)) if first > 0 and last > 0 else math.inf
        bars = Bars(
            msg("std of z in each layer"),
            tuple(msg("layer {k}", k=k + 1) for k in range(len(z_std))),
            tuple(z_std),
        )
        text = lines(
            msg("Var(w) = {v}", v=num(r["var_w"], 4)),
            msg("std(w) = {s}", s=num(math.sqrt(r["var_w"]), 4)),
            msg("E[x²] = {v}", v=num(r["x_var"], 2)),
            msg("layer 1: Var(z) = n_in·Var(w)·E[x²]"),
            msg("  = {n}·{w}·{x}", n=width, w=num(r["var_w"], 4), x=num(r["x_var"], 2)),
            msg("  predicted {v}", v=num(predicted, 3)),
            msg("  measured {v}", v=num(first**2, 3)),
            msg("std of z, layer 1: {a}", a=num(first, 3)),
            msg("std of z, layer {k}: {b}", k=len(z_std), b=num(last, 3)),
            msg("saturated in layer 1: {s}", s=percent(r["saturated"][0])),
        )
        if last < 1e-3:
            status, verdict = msg("the signal vanishes"), msg(
                "The signal vanishes:\nVar(w) is too small.")
        elif last > 1e3 or r["saturated"][-1] > 0.5:
            status, verdict = msg("the signal explodes or saturates"), msg(
                "The signal explodes or\nsaturates: Var(w) is too large.")
        elif drift <= 0.5:
            status, verdict = msg("the spread is kept"), msg(
                "The spread is kept\nfrom layer to layer.")
        else:
            status, verdict = msg("the spread drifts"), msg(
                "The spread drifts\nfrom layer to layer.")
        lrs = schedule(p["lr0"], p["decay"])
        if p["view"] == "schedule":
            status = msg("η after 20 epochs: {lr}", lr=num(lrs[20], 4))  # the goal's figure
            panels: tuple[Panel, ...] = (
                LinePlot(
                    msg("η_t = η₀/(1 + d·t)"),
                    (Series("η", frozen_array(np.arange(EPOCHS + 1)), frozen_array(lrs)),),
                    xlabel=msg("epoch t"),
                    ylabel="η",
                    ylim=(0.0, float(p["lr0"]) * 1.05),
                ),
                TextPanel(msg("Learning-rate schedule"), lines(
                    msg("η₀ = {lr0}, d = {d}", lr0=num(p["lr0"], 3), d=num(p["decay"], 2)),
                    *(msg("after {t} epochs: η = {lr}", t=t, lr=num(lrs[t], 4))
                      for t in (5, 10, 20, 50, 100)),
                )),
            )
        else:
            panels = (bars, TextPanel(msg("Variance of a layer"), lines(text, verdict)))
        return Frame(
            step=0,
            status=status,
            panels=panels,
            metrics={
                "std_first": first,
                "std_last": last,
                "drift": drift,
                "saturated_first": r["saturated"][0],
                "saturated_last": r["saturated"][-1],
                "var_z_predicted": predicted,
                "var_z_measured": first**2,
                "lr_10": float(lrs[10]),
                "lr_20": float(lrs[20]),
            },
        )
