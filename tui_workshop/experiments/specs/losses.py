"""Parameters of the losses experiment (squared error and cross-entropy of one prediction)."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Loss functions")
P_RANGE = (0.001, 0.999)  # log p and log(1 − p) stay finite

SCHEMA = {
    "p": Float(0.8, *P_RANGE, step=0.01, label=msg("prediction p"), live=True,
               help=msg("The model's probability that y = 1")),
    "y": Int(1, 0, 1, label=msg("true label y"), live=True,
             help=msg("The right answer: 0 or 1")),
    "loss": Choice(
        "both",
        ("mse", "cross_entropy", "both"),
        labels=(msg("squared error"), msg("cross-entropy"), msg("both")),
        label=msg("loss"),
        help=msg("Which loss curves to draw"),
        live=True,
    ),
}
