"""Parameters of the recurrence experiment: h_t = g(w·h_{t−1} + u·x_t + b) through time."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Recurrence: one neuron through time")
MAX_T = 200  # |w|ᵗ stays a finite float for |w| ≤ 5

SCHEMA = {
    "w": Float(0.5, -5.0, 5.0, step=0.1, label=msg("weight w"),
               help=msg("Recurrent weight w: how much of hₜ₋₁ is carried to hₜ")),
    "u": Float(1.0, -5.0, 5.0, step=0.1, label=msg("weight u"),
               help=msg("Input weight u: how much of the input xₜ enters hₜ")),
    "b": Float(0.0, -5.0, 5.0, step=0.1, label=msg("bias b"),
               help=msg("Added to w·hₜ₋₁ + u·xₜ at every step")),
    "h0": Float(0.0, -5.0, 5.0, step=0.1, label=msg("start h₀"),
                help=msg("The start state h₀, before the first input")),
    "input": Choice(
        "pulse",
        ("zero", "pulse", "step", "sine"),
        labels=(msg("zero"), msg("pulse"), msg("step"), msg("sine")),
        label=msg("input xₜ"),
        help=msg("The inputs x₁..x_T: zero, a pulse (x₁ = 1, then 0), a step (all 1) or a sine"),
    ),
    "T": Int(20, 1, MAX_T, label=msg("steps T"), help=msg("How many time steps to unroll")),
    "activation": Choice("tanh", ("tanh", "linear"), labels=("tanh", msg("linear")),
                         label=msg("activation"), help=msg("g: tanh, or none (linear)")),
    "clip": Float(0.0, 0.0, 1000.0, step=0.5, label=msg("clip at c"),
                  help=msg("Gradient clipping, 0 = off. Larger gradients are rescaled to size c")),
}
