"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Recurrence: one neuron through time')
SCHEMA = {
    'w': Float(0.5, -3.0, 3.0, label=msg('weight w'), step=0.1, help=msg('Recurrent weight w: how much of hₜ₋₁ is carried to hₜ')),
    'u': Float(1.0, -3.0, 3.0, label=msg('weight u'), step=0.1, help=msg('Input weight u: how much of the input xₜ enters hₜ')),
    'b': Float(0.0, -3.0, 3.0, label=msg('bias b'), step=0.1),
    'h0': Float(0.0, -1.0, 1.0, label=msg('start h₀'), step=0.1, help=msg('The start state h₀, before the first input')),
    'input': Choice('pulse', ('zero', 'pulse', 'step', 'sine'), label=msg('input xₜ'), labels=tuple(msg(x) for x in ('zero', 'pulse', 'step', 'sine')), help=msg('The inputs x₁..x_T: zero, a pulse (x₁ = 1, then 0), a step (all 1) or a sine')),  # provisional choices
    'T': Int(20, 1, 100, label=msg('steps T'), step=1),
    'activation': Choice('tanh', ('tanh', 'linear'), label=msg('activation')),  # provisional choices
    'clip': Float(0.0, 0.0, 100.0, label=msg('clip at c'), step=0.5, help=msg('Gradient clipping, 0 = off. Larger gradients are rescaled to size c')),
}
