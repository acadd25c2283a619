"""Hyperparameter search's parameters (NumPy-free): the method, its budget and the data."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Hyperparameter search")

SCHEMA = {
    "method": Choice(
        "grid",
        ("grid", "random"),
        labels=(msg("grid search"), msg("random search")),
        label=msg("method"),
        help=msg("Every combination of a fixed list, or random draws"),
    ),
    "n_trials": Int(
        20,
        1,
        200,
        label=msg("random trials"),
        help=msg("Random search only: how many configurations to try"),
    ),
    "epochs": Int(
        20,
        1,
        500,
        label=msg("epochs/trial"),
        help=msg("How long each configuration is trained"),
    ),
    "dataset": Choice(
        "circle",
        ("circle", "moons", "xor", "spiral", "gauss"),
        labels=(msg("circle"), msg("moons"), msg("xor"), msg("spiral"), msg("gauss")),
        label=msg("data set"),
        help=msg("Split once into 60% training, 20% validation, 20% test"),
    ),
    "noise": Float(
        0.3,
        0.0,
        1.0,
        step=0.05,
        label=msg("noise"),
        help=msg("How noisy the data set is"),
    ),
    "n": Int(
        300,
        30,
        2000,
        step=50,
        label=msg("points"),
        help=msg("How many points the data set has"),
    ),
    "seed": Int(
        0,
        0,
        9999,
        label=msg("seed"),
        help=msg("Draws other data and, for random search, other configurations"),
    ),
}
