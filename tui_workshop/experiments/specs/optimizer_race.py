"""The optimiser race: the problem, the shared η, its length, the seed and whose update to show."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Optimisers")
SCHEMA = {
    "problem": Choice(
        "spiral",
        ("spiral", "circle", "ravine"),
        labels=(
            msg("spiral (net)"),
            msg("circle (net)"),
            msg("ravine {formula}", formula="f(x,y)"),
        ),
        label=msg("problem"),
        help=msg(
            "A 2-8-8-1 network on the spiral or circle data, or a point on the ravine"
            " {formula}", formula="f = 0.1x² + 2y²"
        ),
    ),
    "learning_rate": Float(
        0.01, 0.0001, 10.0, step=0.005, log=True, label=msg("learning rate"),
        help=msg("Learning rate η, the same for all four optimisers"),
    ),
    "epochs": Int(
        200, 1, 5000, step=10, label=msg("epochs/steps"),
        help=msg("Epochs on a network, single updates on the surface"),
    ),
    "seed": Int(
        0, 0, 99999, label=msg("seed"),
        help=msg("Same seed: same data and the same starting weights for all"),
    ),
    "show": Choice(
        "all",
        ("all", "sgd", "momentum", "rmsprop", "adam"),
        labels=(msg("all four"), "SGD", msg("momentum"), "RMSProp", "Adam"),
        label=msg("write out"),
        help=msg("Whose last update of w₁ the text panel shows"),
        live=True,
    ),
}
