"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Vectors and matrices')
SCHEMA = {
    'n_inputs': Int(2, 1, 4, label=msg('inputs (in)'), step=1, help=msg('Features per sample: the length of each row of X')),
    'n_outputs': Int(2, 1, 4, label=msg('outputs (out)'), step=1, help=msg('Neurons in the layer: the columns of W')),
    'batch': Int(2, 1, 4, label=msg('batch size'), step=1, help=msg('Samples computed together: the rows of X')),
    'seed': Int(0, 0, 99, label=msg('seed'), step=1, help=msg('Picks the random numbers (with numbers = random)')),
    'example': Choice('lesson', ('lesson', 'random'), label=msg('numbers'), labels=tuple(msg(x) for x in ('from text', 'random')), help=msg('The numbers of the text, or new ones from the seed')),  # provisional choices
    'entry': Int(0, 0, 16, label=msg('explain entry'), step=1, live=True, help=msg('0 follows the steps; k explains the k-th entry of Y (row by row)')),
}
