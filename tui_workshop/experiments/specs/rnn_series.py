"""The RNN series experiment's parameters (NumPy-free): the series, the network, training."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("An RNN forecasts a time series")

SERIES = ("sine", "sum_of_sines", "trend_season", "sunspots")

SCHEMA = {
    "series": Choice(
        "sine",
        SERIES,
        labels=(msg("sine"), msg("sum of sines"), msg("trend+season"), msg("sunspots")),
        label=msg("series"),
        help=msg("The series to forecast; sunspots is the real yearly record, 1700-2008"),
    ),
    "hidden": Int(
        16,
        1,
        64,
        step=4,
        label=msg("hidden size H"),
        help=msg("Hidden units H of the recurrent layer"),
    ),
    # At most half the training part, which the experiment checks for each series.
    "window": Int(
        20,
        2,
        120,
        step=2,
        label=msg("window length"),
        help=msg("How many past values the network reads for each prediction"),
    ),
    "epochs": Int(40, 1, 2000, step=10, label=msg("epochs")),
    "learning_rate": Float(
        0.01,
        0.00001,
        10.0,
        step=0.005,
        log=True,
        label=msg("learning rate"),
        help=msg("Learning rate η of the optimiser"),
    ),
    "optimizer": Choice(
        "adam",
        ("adam", "sgd"),
        labels=(msg("Adam"), msg("SGD")),
        label=msg("optimiser"),
        help=msg("Adam divides each step by the gradient's running size; SGD steps η·gradient"),
    ),
    "batch_size": Int(
        16,
        1,
        256,
        step=4,
        label=msg("batch size"),
        help=msg("Windows per optimiser step"),
    ),
    "clip": Float(
        1.0,
        0.0,
        100.0,
        step=0.5,
        label=msg("clip norm"),
        help=msg("Gradient clipping, 0 = off. The gradient's norm is rescaled to at most this"),
    ),
    "seed": Int(0, 0, 9999, label=msg("seed")),
    # Clamped to the held-out length of the series.
    "horizon": Int(
        40,
        1,
        200,
        label=msg("horizon"),
        help=msg(
            "Forecast horizon: steps forecast after the training part (at most the held-out length)"
        ),
    ),
}
