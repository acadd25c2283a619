"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Hyperparameter search')
SCHEMA = {
    'method': Choice('grid', ('grid', 'random'), label=msg('method'), labels=tuple(msg(x) for x in ('grid search', 'random search')), help=msg('Every combination of a fixed list, or random draws')),  # provisional choices
    'n_trials': Int(20, 1, 60, label=msg('random trials'), step=1, help=msg('Random search only: how many configurations to try')),
    'epochs': Int(20, 1, 100, label=msg('epochs/trial'), step=1, help=msg('How long each configuration is trained')),
    'dataset': Choice('circle', ('circle', 'moons', 'xor', 'spiral', 'gauss'), label=msg('data set'), help=msg('Split once into 60% training, 20% validation, 20% test')),  # provisional choices
    'noise': Float(0.3, 0.0, 0.5, label=msg('noise'), step=0.05, help=msg('How noisy the data set is')),
    'n': Int(300, 0, 3000, label=msg('n')), # provisional bounds
    'seed': Int(0, 0, 99, label=msg('seed'), step=1, help=msg('Draws other data and, for random search, other configurations')),
}
