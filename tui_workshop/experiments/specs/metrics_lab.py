"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Metrics')
SCHEMA = {
    'dataset': Choice('balanced', ('balanced', 'imbalanced'), label=msg('data set'), labels=tuple(msg(x) for x in ('balanced', 'imbalanced')), help=msg('Two overlapping clouds; in the imbalanced set class 1 is rare')),  # provisional choices
    'ratio': Float(0.05, 0.02, 0.5, label=msg('class-1 share'), step=0.01, help=msg('Imbalanced set only: the share of points in class 1')),
    'threshold': Float(0.5, 0.0, 1.0, label=msg('threshold'), step=0.05, live=True, help=msg("Predict 1 when the model's score P(1) is at least this")),
    'noise': Float(0.5, 0.0, 1.0, label=msg('noise'), step=0.05, help=msg('How much the two classes overlap')),
    'n': Int(800, 0, 8000, label=msg('n')), # provisional bounds
    'seed': Int(0, 0, 99, label=msg('seed'), step=1, help=msg('Draws another data set')),
}
