"""Gradient descent: the surface, the start, η, momentum and the step limit."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Gradient descent")
SCHEMA = {
    "surface": Choice(
        "parabola",
        ("parabola", "double_well", "bowl", "ravine", "saddle", "rosenbrock"),
        labels=(
            msg("parabola {formula}", formula="x²"),
            msg("double well"),
            msg("bowl"),
            msg("ravine"),
            msg("saddle"),
            "Rosenbrock",
        ),
        label=msg("surface"),
        help=msg("The function f to minimise (1D or 2D)"),
    ),
    "x0": Float(2.5, -10.0, 10.0, step=0.1, label=msg("start x"),
                help=msg("Where the descent starts")),
    "y0": Float(1.0, -10.0, 10.0, step=0.01, label=msg("start y"),
                help=msg("Start y (2D surfaces only)")),
    "learning_rate": Float(
        0.1, 0.0, 10.0, step=0.01, log=True, live=True, label=msg("learning rate"),
        help=msg("Learning rate η: how far each step goes along −∇f"),
    ),
    "momentum": Float(
        0.0, 0.0, 0.99, step=0.05, live=True, label=msg("momentum β"),
        help=msg("0 is plain gradient descent; 0.9 keeps 90% of the last step"),
    ),
    "max_steps": Int(
        50, 1, 2000, step=5, live=True, label=msg("step limit"),
        help=msg("The run stops after this many steps"),
    ),
}
