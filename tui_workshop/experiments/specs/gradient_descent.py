"""Provisional schema generated from the old defaults and the lesson; refine it."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg('Gradient descent')
SCHEMA = {
    'surface': Choice('parabola', ('parabola', 'double_well', 'bowl', 'ravine', 'saddle', 'rosenbrock'), label=msg('surface'), labels=tuple(msg(x) for x in ('parabola x²', 'double well', 'bowl', 'ravine', 'saddle', 'Rosenbrock')), help=msg('The function f to minimise (1D or 2D)')),  # provisional choices
    'x0': Float(2.5, -5.0, 5.0, label=msg('start x'), step=0.1, help=msg('Where the descent starts')),
    'y0': Float(1.0, -3.0, 3.0, label=msg('start y'), step=0.01, help=msg('Start y (2D surfaces only)')),
    'learning_rate': Float(0.1, 0.0, 2.0, label=msg('learning rate'), step=0.01, live=True, help=msg('Learning rate η: how far each step goes along −∇f')),
    'momentum': Float(0.0, 0.0, 0.99, label=msg('momentum β'), step=0.05, live=True, help=msg('0 is plain gradient descent; 0.9 keeps 90% of the last step')),
    'max_steps': Int(50, 1, 500, label=msg('step limit'), step=5, live=True, help=msg('The run stops after this many steps')),
}
