"""Parameters of the activations experiment (f and f′ at a point; softmax of three logits)."""

from tui_workshop.experiments.schema import Bool, Choice, Float
from tui_workshop.i18n.message import msg

TITLE = msg("Activation functions")
FUNCTIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "softplus", "softmax")
LOGIT = 1000.0  # softmax shifts by the largest logit, so large ones stay finite

SCHEMA = {
    "function": Choice(
        "sigmoid",
        FUNCTIONS,
        labels=(msg("sigmoid σ"), "tanh", "ReLU", msg("leaky ReLU"), "softplus", "softmax"),
        label=msg("function"),
        help=msg("The activation to plot (softmax uses the three logits)"),
        live=True,
    ),
    "z": Float(0.5, -20.0, 20.0, step=0.1, label="z", live=True,
               help=msg("The point where f and f′ are evaluated")),
    "derivative": Bool(True, label=msg("show f′"), live=True,
                       help=msg("Also plot the derivative")),
    "temperature": Float(1.0, 0.01, 100.0, step=0.1, log=True, label=msg("temperature T"),
                         live=True, help=msg("softmax only: T < 1 sharpens, T > 1 flattens")),
    "z1": Float(2.0, -LOGIT, LOGIT, step=0.1, label=msg("logit z₁"), live=True,
                help=msg("softmax only: score of class 1")),
    "z2": Float(1.0, -LOGIT, LOGIT, step=0.1, label=msg("logit z₂"), live=True,
                help=msg("softmax only: score of class 2")),
    "z3": Float(0.1, -LOGIT, LOGIT, step=0.1, label=msg("logit z₃"), live=True,
                help=msg("softmax only: score of class 3")),
}
