"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('A neuron is a dot product')
SCHEMA = {
    'w1': Float(0.5, -3.0, 3.0, label=msg('weight w1'), step=0.1, live=True, help=msg('How much input x1 counts')),
    'w2': Float(-0.3, -3.0, 3.0, label=msg('weight w2'), step=0.1, live=True, help=msg('How much input x2 counts')),
    'b': Float(0.1, -5.0, 5.0, label=msg('bias b'), step=0.1, live=True, help=msg('Shifts the decision line without turning it')),
    'activation': Choice('sigmoid', ('sigmoid', 'tanh', 'relu', 'step', 'identity'), label=msg('activation'), labels=tuple(msg(x) for x in ('sigmoid σ', 'tanh', 'ReLU', 'step', 'identity')), live=True, help=msg('The function applied to z')),  # provisional choices
    'dataset': Choice('gauss', ('gauss', 'xor', 'circle', 'moons'), label=msg('data set'), help=msg('Points of two classes in the plane')),  # provisional choices
    'noise': Float(0.0, 0.0, 10.0, label=msg('noise')), # provisional bounds
    'sample': Int(0, 0, 99, label=msg('sample'), step=1, live=True, help=msg('Which point to follow through the neuron')),
}
