"""Parameters of the initialisation experiment (activation spread through a deep stack)."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Weight initialisation: the spread of activations, layer by layer")
INITS = ("small", "lecun", "glorot", "he", "large")

SCHEMA = {
    "init": Choice(
        "small",
        INITS,
        labels=(msg("small: std 0.01"), msg("LeCun: 1/n_in"), msg("Glorot: 2/(n_in+n_out)"),
                msg("He: 2/n_in"), msg("large: std 1")),
        label=msg("initialisation"),
        help=msg("The variance Var(w) the weights are drawn with"),
        live=True,
    ),
    "activation": Choice(
        "tanh", ("tanh", "relu"), labels=("tanh", "ReLU"), label=msg("activation"),
        help=msg("The activation of every layer"), live=True,
    ),
    "layers": Int(10, 1, 30, label=msg("layers"), live=True,
                  help=msg("How many layers the signal passes through")),
    "width": Int(100, 2, 500, step=10, label=msg("width n"), live=True,
                 help=msg("Units per layer: each layer has n_in = n_out = n")),
    "input_scale": Float(1.0, 0.01, 100.0, step=0.5, log=True, label=msg("input spread"),
                         live=True, help=msg("Standard deviation of the raw input features")),
    "standardise": Bool(False, label=msg("standardise inputs"), live=True,
                        help=msg("Subtract each feature's mean and divide by its std")),
    "view": Choice(
        "spread", ("spread", "schedule"),
        labels=(msg("spread per layer"), msg("learning-rate schedule")),
        label=msg("show"), help=msg("The spread of z per layer, or the decay of η"), live=True,
    ),
    "lr0": Float(0.1, 0.001, 1.0, step=0.01, log=True, label=msg("start η₀"), live=True,
                 help=msg("Learning rate of the first epoch")),
    "decay": Float(0.0, 0.0, 5.0, step=0.05, label=msg("decay d"), live=True,
                   help=msg("η after epoch t is η₀/(1 + d·t)")),
    "seed": Int(0, 0, 99, label=msg("seed"), live=True,
                help=msg("Picks the random weights and inputs")),
}
