"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Summary: the formula sheet')
SCHEMA = {
    'section': Choice('activations', ('linear_algebra', 'activations', 'losses', 'gradient_descent', 'backprop', 'metrics', 'regularisation', 'optimisers', 'cnn', 'rnn'), label=msg('section'), labels=tuple(msg(x) for x in ('linear alg.', 'activations', 'losses', 'descent', 'backprop', 'metrics', 'overfitting', 'optimisers', 'CNN', 'RNN')), help=msg('Which part of the formula sheet to show')),  # provisional choices
}
