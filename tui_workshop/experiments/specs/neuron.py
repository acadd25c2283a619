"""Parameters of the neuron experiment (z = w·x + b, a = g(z), over a 2D data set)."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("A neuron is a dot product")
N_POINTS = 100  # points of the data set; ``sample`` picks one of them

SCHEMA = {
    "w1": Float(0.5, -10.0, 10.0, step=0.1, label=msg("weight w1"), live=True,
                help=msg("How much input x1 counts")),
    "w2": Float(-0.3, -10.0, 10.0, step=0.1, label=msg("weight w2"), live=True,
                help=msg("How much input x2 counts")),
    "b": Float(0.1, -20.0, 20.0, step=0.1, label=msg("bias b"), live=True,
               help=msg("Shifts the decision line without turning it")),
    "activation": Choice(
        "sigmoid",
        ("sigmoid", "tanh", "relu", "step", "identity"),
        labels=(msg("sigmoid σ"), "tanh", "ReLU", msg("step"), msg("identity")),
        label=msg("activation"),
        help=msg("The function applied to z"),
        live=True,
    ),
    "dataset": Choice(
        "gauss",
        ("gauss", "xor", "circle", "moons"),
        labels=(msg("gauss"), "xor", msg("circle"), msg("moons")),
        label=msg("data set"),
        help=msg("Points of two classes in the plane"),
    ),
    "noise": Float(0.0, 0.0, 1.0, step=0.05, label=msg("noise"),
                   help=msg("How much the two classes overlap")),
    "sample": Int(0, 0, N_POINTS - 1, label=msg("sample"), live=True,
                  help=msg("Which point to follow through the neuron")),
}
