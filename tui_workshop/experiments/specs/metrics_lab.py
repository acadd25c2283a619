"""Parameters of the metrics lab (confusion matrix, precision/recall/F1, ROC)."""

from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Metrics")
MAX_POINTS = 5000  # a logistic model is trained on half of them when the lab is built

SCHEMA = {
    "dataset": Choice(
        "balanced",
        ("balanced", "imbalanced"),
        labels=(msg("balanced"), msg("imbalanced")),
        label=msg("data set"),
        help=msg("Two overlapping clouds; in the imbalanced set class 1 is rare"),
    ),
    "ratio": Float(0.05, 0.01, 0.5, step=0.01, label=msg("class-1 share"),
                   help=msg("Imbalanced set only: the share of points in class 1")),
    "threshold": Float(0.5, 0.0, 1.0, step=0.05, label=msg("threshold"), live=True,
                       help=msg("Predict 1 when the model's score P(1) is at least this")),
    "noise": Float(0.5, 0.0, 1.0, step=0.05, label=msg("noise"),
                   help=msg("How much the two classes overlap")),
    "n": Int(800, 20, MAX_POINTS, step=100, label=msg("points n"),
             help=msg("Points in the data set; half of them are for evaluation")),
    "seed": Int(0, 0, 99_999, label=msg("seed"), help=msg("Draws another data set")),
}
