"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Backpropagation step by step')
SCHEMA = {
    'x1': Float(1.0, -3.0, 3.0, label=msg('input x₁'), step=0.1, help=msg('First input of the sample')),
    'x2': Float(0.5, -3.0, 3.0, label=msg('input x₂'), step=0.1, help=msg('Second input of the sample')),
    'y': Int(1, 0, 1, label=msg('target y'), step=1, help=msg('The true label: 0 or 1')),
    'bug': Choice('none', ('none', 'no_tanh_derivative', 'no_bias_gradient', 'wrong_sign'), label=msg('bug'), labels=tuple(msg(x) for x in ('none', 'drop 1 − a₁²', 'no bias grad', 'wrong sign')), help=msg('Plant a classic mistake in the backward pass: drop tanh′ = 1 − a₁², forget the bias gradient, or flip the sign of (p − y)')),  # provisional choices
}
