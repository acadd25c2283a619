"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Optimisers')
SCHEMA = {
    'problem': Choice('spiral', ('spiral', 'circle', 'ravine'), label=msg('problem'), labels=tuple(msg(x) for x in ('spiral (net)', 'circle (net)', 'ravine f(x,y)')), help=msg('A 2-8-8-1 network on the spiral or circle data, or a point on the ravine f = 0.1x² + 2y²')),  # provisional choices
    'learning_rate': Float(0.01, 0.001, 1.0, label=msg('learning rate'), step=0.005, help=msg('Learning rate η, the same for all four optimisers')),
    'epochs': Int(200, 10, 1000, label=msg('epochs/steps'), step=10, help=msg('Epochs on a network, single updates on the surface')),
    'seed': Int(0, 0, 99, label=msg('seed'), step=1, help=msg('Same seed: same data and the same starting weights for all')),
    'show': Choice('all', ('all', 'sgd', 'momentum', 'rmsprop', 'adam'), label=msg('write out'), labels=tuple(msg(x) for x in ('all four', 'SGD', 'momentum', 'RMSProp', 'Adam')), live=True, help=msg('Whose last update of w₁ the text panel shows')),  # provisional choices
}
