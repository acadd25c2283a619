"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Activation functions')
SCHEMA = {
    'function': Choice('sigmoid', ('sigmoid', 'tanh', 'relu', 'leaky_relu', 'softplus', 'softmax'), label=msg('function'), labels=tuple(msg(x) for x in ('sigmoid σ', 'tanh', 'ReLU', 'leaky ReLU', 'softplus', 'softmax')), live=True, help=msg('The activation to plot (softmax uses the three logits)')),  # provisional choices
    'z': Float(0.5, -6.0, 6.0, label=msg('z'), step=0.1, live=True, help=msg('The point where f and f′ are evaluated')),
    'derivative': Bool(True, label=msg('show f′'), live=True, help=msg('Also plot the derivative')),
    'temperature': Float(1.0, 0.1, 5.0, label=msg('temperature T'), step=0.1, live=True, help=msg('softmax only: T < 1 sharpens, T > 1 flattens')),
    'z1': Float(2.0, -5.0, 5.0, label=msg('logit z₁'), step=0.1, live=True, help=msg('softmax only: score of class 1')),
    'z2': Float(1.0, -5.0, 5.0, label=msg('logit z₂'), step=0.1, live=True, help=msg('softmax only: score of class 2')),
    'z3': Float(0.1, -5.0, 5.0, label=msg('logit z₃'), step=0.1, live=True, help=msg('softmax only: score of class 3')),
}
