"""Overfitting's parameters (NumPy-free): the cure, the data and the (big) network."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Overfitting and regularisation")

CURES = ("none", "l2", "l1", "dropout", "early_stopping")

SCHEMA = {
    "mode": Choice(
        "single",
        ("single", "compare"),
        labels=(msg("one cure"), msg("compare all")),
        label=msg("mode"),
        help=msg("Train one cure, or every cure one after another on the same data"),
    ),
    "cure": Choice(
        "none",
        CURES,
        labels=(
            msg("no cure"),
            msg("L2 penalty"),
            msg("L1 penalty"),
            msg("dropout"),
            msg("early stop"),
        ),
        label=msg("cure"),
        help=msg("How to keep the network from memorising the noise"),
    ),
    "rate": Float(
        0.01,
        0.0,
        1.0,
        step=0.001,
        label=msg("rate λ"),
        help=msg("Strength of the L2 or L1 penalty"),
    ),
    "dropout": Float(
        0.2,
        0.0,
        0.9,
        step=0.05,
        label=msg("dropout p"),
        help=msg("Chance of switching off each hidden unit while training"),
    ),
    "patience": Int(
        30,
        1,
        1000,
        step=5,
        label=msg("patience"),
        help=msg("Early stopping: epochs without a better validation loss before stopping"),
    ),
    "dataset": Choice(
        "sin",
        ("sin", "cubic", "quadratic"),
        labels=("sin(πx)", "x³ − 0.5x", "x² − 0.5"),
        label=msg("true curve"),
        help=msg("The smooth function behind the noisy points"),
    ),
    "n": Int(
        12,
        2,
        500,
        label=msg("points"),
        help=msg("How many noisy training points"),
    ),
    "noise": Float(
        0.25,
        0.0,
        2.0,
        step=0.05,
        label=msg("noise"),
        help=msg("Standard deviation of the noise added to each point"),
    ),
    "hidden": Int(
        64,
        1,
        256,
        label=msg("hidden units"),
        help=msg("Units in each hidden layer"),
    ),
    "layers": Int(
        2,
        1,
        4,
        label=msg("hidden layers"),
        help=msg("How many hidden layers"),
    ),
    "epochs": Int(
        300,
        1,
        5000,
        step=10,
        label=msg("epochs"),
        help=msg("Training stops after this many passes over the points"),
    ),
    "seed": Int(
        2,
        0,
        9999,
        label=msg("seed"),
        help=msg("Another seed: other points, other starting weights"),
    ),
}
