"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('A CNN on the digits')
SCHEMA = {
    'filters': Int(8, 1, 16, label=msg('filters F'), step=1, help=msg('Number of learned kernels')),
    'kernel': Int(3, 3, 5, label=msg('kernel size k'), step=2, help=msg('k×k kernels: 3 or 5')),
    'epochs': Int(20, 1, 100, label=msg('epochs'), step=5),
    'learning_rate': Float(0.01, 0.0001, 1.0, label=msg('learning rate'), step=0.005, help=msg('Learning rate η of the optimiser')),
    'optimizer': Choice('adam', ('sgd', 'momentum', 'rmsprop', 'adam'), label=msg('optimiser'), labels=tuple(msg(x) for x in ('SGD', 'momentum', 'RMSprop', 'Adam'))),  # provisional choices
    'batch_size': Int(32, 0, 320, label=msg('batch size')), # provisional bounds
    'seed': Int(0, 0, 999, label=msg('seed'), step=1),
    'compare_mlp': Bool(True, label=msg('compare with an MLP'), help=msg('Train a 64 → 32 → 10 MLP on the same data in the same steps')),
    'mlp_hidden': Int(32, 0, 320, label=msg('mlp hidden')), # provisional bounds
    'sample': Int(0, 0, 358, label=msg('test sample'), step=1, live=True, help=msg('Which test image to show with its feature maps (may change while running)')),
}
