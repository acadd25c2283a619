"""Limits and challenges: which demo, and the few parameters each demo uses."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Limits and challenges")
SCHEMA = {
    "demo": Choice(
        "extrapolation",
        ("extrapolation", "imbalance", "adversarial", "vanishing", "attention"),
        labels=(msg("outside data"), msg("rare classes"), msg("adversarial"), msg("vanishing"),
                msg("attention")),
        label=msg("demo"),
        help=msg(
            "Which demo to show: outside the training range, rare classes, an adversarial"
            " example, vanishing gradients, attention"
        ),
    ),
    "function": Choice(
        "square",
        ("square", "sin"),
        labels=("y = x²", "y = sin(πx)"),
        label=msg("function"),
        help=msg("Extrapolation: what the network learns on {range}", range="[−1, 1]"),
    ),
    "activation": Choice(
        "sigmoid",
        ("sigmoid", "tanh", "relu"),
        labels=("sigmoid", "tanh", "ReLU"),
        label=msg("activation"),
        help=msg("Extrapolation and vanishing gradients"),
    ),
    "depth": Int(8, 1, 60, label=msg("hidden layers"),
                 help=msg("Vanishing gradients: depth of the network")),
    "rare_percent": Int(5, 1, 50, label=msg("rare class %"),
                        help=msg("Rare classes: share of the rare class")),
    "threshold": Float(0.5, 0.0, 1.0, step=0.05, live=True, label=msg("threshold"),
                       help=msg("Rare classes: say 'rare' when P(rare) ≥ threshold")),
    "epsilon": Float(0.1, 0.0, 1.0, step=0.01, live=True, label="ε",
                     help=msg("Adversarial: change per pixel (pixels go from 0 to 1)")),
    "sample": Int(0, 0, 500, live=True, label=msg("image"),
                  help=msg("Adversarial: which validation image to attack")),
    "query": Int(0, 0, 3, live=True, label=msg("query word"),
                 help=msg("Attention: which word asks (0 the, 1 cat, 2 sat, 3 mat)")),
    "temperature": Float(1.0, 0.1, 10.0, step=0.1, live=True, log=True,
                         label=msg("temperature τ"),
                         help=msg("Attention: scores are divided by τ before the softmax")),
    "seed": Int(0, 0, 99999, label=msg("seed")),
}
