"""Backprop step by step: one sample (x₁, x₂, y) and the bug planted in the backward pass."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Backpropagation step by step")
SCHEMA = {
    "x1": Float(1.0, -5.0, 5.0, step=0.1, label=msg("input x₁"),
                help=msg("First input of the sample")),
    "x2": Float(0.5, -5.0, 5.0, step=0.1, label=msg("input x₂"),
                help=msg("Second input of the sample")),
    "y": Int(1, 0, 1, label=msg("target y"), help=msg("The true label: 0 or 1")),
    "bug": Choice(
        "none",
        ("none", "no_tanh_derivative", "no_bias_gradient", "wrong_sign"),
        labels=(
            msg("none"),
            msg("drop {term}", term="1 − a₁²"),
            msg("no bias grad"),
            msg("wrong sign"),
        ),
        label=msg("bug"),
        help=msg(
            "Plant a classic mistake in the backward pass: drop tanh′ = 1 − a₁², forget the"
            " bias gradient, or flip the sign of (p − y)"
        ),
    ),
}
