"""Parameters of the formula sheet (one section of the course's key formulas at a time)."""

from tui_workshop.experiments.schema import Choice
from tui_workshop.i18n.message import msg

TITLE = msg("Summary: the formula sheet")
SECTIONS = ("linear_algebra", "activations", "losses", "gradient_descent", "backprop",
            "metrics", "regularisation", "optimisers", "cnn", "rnn")  # fmt: skip

SCHEMA = {
    "section": Choice(
        "activations",
        SECTIONS,
        labels=(msg("linear alg."), msg("activations"), msg("losses"), msg("descent"),
                msg("backprop"), msg("metrics"), msg("overfitting"), msg("optimisers"),
                "CNN", "RNN"),
        label=msg("section"),
        help=msg("Which part of the formula sheet to show"),
    ),
}
