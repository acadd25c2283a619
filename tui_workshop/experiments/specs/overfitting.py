"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Overfitting and regularisation')
SCHEMA = {
    'mode': Choice('single', ('single', 'compare'), label=msg('mode'), labels=tuple(msg(x) for x in ('one cure', 'compare all')), help=msg('Train one cure, or every cure one after another on the same data')),  # provisional choices
    'cure': Choice('none', ('none', 'l2', 'l1', 'dropout', 'early_stopping'), label=msg('cure'), labels=tuple(msg(x) for x in ('no cure', 'L2 penalty', 'L1 penalty', 'dropout', 'early stop')), help=msg('How to keep the network from memorising the noise')),  # provisional choices
    'rate': Float(0.01, 0.0, 0.1, label=msg('rate λ'), step=0.001, help=msg('Strength of the L2 or L1 penalty')),
    'dropout': Float(0.2, 0.0, 0.8, label=msg('dropout p'), step=0.05, help=msg('Chance of switching off each hidden unit while training')),
    'patience': Int(30, 5, 200, label=msg('patience'), step=5, help=msg('Early stopping: epochs without a better validation loss before stopping')),
    'dataset': Choice('sin', ('sin', 'cubic', 'quadratic'), label=msg('true curve'), labels=tuple(msg(x) for x in ('sin(πx)', 'x³ − 0.5x', 'x² − 0.5')), help=msg('The smooth function behind the noisy points')),  # provisional choices
    'n': Int(12, 4, 100, label=msg('points'), step=1, help=msg('How many noisy training points')),
    'noise': Float(0.25, 0.0, 0.6, label=msg('noise'), step=0.05, help=msg('Standard deviation of the noise added to each point')),
    'hidden': Int(64, 1, 128, label=msg('hidden units'), step=1, help=msg('Units in each hidden layer')),
    'layers': Int(2, 1, 3, label=msg('hidden layers'), step=1, help=msg('How many hidden layers')),
    'epochs': Int(300, 10, 1000, label=msg('epochs'), step=10, help=msg('Training stops after this many passes over the points')),
    'seed': Int(2, 0, 20, label=msg('seed')), # provisional bounds
}
