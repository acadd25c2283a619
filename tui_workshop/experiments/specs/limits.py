"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Limits and challenges')
SCHEMA = {
    'demo': Choice('extrapolation', ('extrapolation', 'imbalance', 'adversarial', 'vanishing'), label=msg('demo'), labels=tuple(msg(x) for x in ('outside data', 'rare classes', 'adversarial', 'vanishing')), help=msg('Which failure to show: outside the training range, rare classes, an adversarial example, vanishing gradients')),  # provisional choices
    'function': Choice('square', ('square', 'sin'), label=msg('function'), labels=tuple(msg(x) for x in ('y = x²', 'y = sin(πx)')), help=msg('Extrapolation: what the network learns on [−1, 1]')),  # provisional choices
    'activation': Choice('sigmoid', ('sigmoid', 'tanh', 'relu'), label=msg('activation'), labels=tuple(msg(x) for x in ('sigmoid', 'tanh', 'ReLU')), help=msg('Extrapolation and vanishing gradients')),  # provisional choices
    'depth': Int(8, 1, 20, label=msg('hidden layers'), step=1, help=msg('Vanishing gradients: depth of the network')),
    'rare_percent': Int(5, 1, 50, label=msg('rare class %'), step=1, help=msg('Rare classes: share of the rare class')),
    'threshold': Float(0.5, 0.0, 1.0, label=msg('threshold'), step=0.05, live=True, help=msg("Rare classes: say 'rare' when P(rare) ≥ threshold")),
    'epsilon': Float(0.1, 0.0, 0.5, label=msg('ε'), step=0.01, live=True, help=msg('Adversarial: change per pixel (pixels go from 0 to 1)')),
    'sample': Int(0, 0, 500, label=msg('image'), step=1, live=True, help=msg('Adversarial: which validation image to attack')),
    'seed': Int(0, 0, 99, label=msg('seed'), step=1),
}
