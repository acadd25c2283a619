"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Loss functions')
SCHEMA = {
    'p': Float(0.8, 0.001, 0.999, label=msg('prediction p'), step=0.01, live=True, help=msg("The model's probability that y = 1")),
    'y': Int(1, 0, 1, label=msg('true label y'), step=1, live=True, help=msg('The right answer: 0 or 1')),
    'loss': Choice('both', ('mse', 'cross_entropy', 'both'), label=msg('loss'), labels=tuple(msg(x) for x in ('squared error', 'cross-entropy', 'both')), live=True, help=msg('Which loss curves to draw')),  # provisional choices
}
