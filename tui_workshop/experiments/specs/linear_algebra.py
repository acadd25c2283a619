"""Parameters of the vectors-and-matrices experiment (Y = X·W + b, one entry at a time)."""

from tui_workshop.experiments.schema import Choice, Int
from tui_workshop.i18n.message import msg

TITLE = msg("Vectors and matrices")
MAX_SIZE = 4  # the lesson's matrices are 4×4; each entry is written out by hand

SCHEMA = {
    "n_inputs": Int(2, 1, MAX_SIZE, label=msg("inputs (in)"),
                    help=msg("Features per sample: the length of each row of X")),
    "n_outputs": Int(2, 1, MAX_SIZE, label=msg("outputs (out)"),
                     help=msg("Neurons in the layer: the columns of W")),
    "batch": Int(2, 1, MAX_SIZE, label=msg("batch size"),
                 help=msg("Samples computed together: the rows of X")),
    "seed": Int(0, 0, 99_999, label=msg("seed"),
                help=msg("Picks the random numbers (with numbers = random)")),
    "example": Choice("lesson", ("lesson", "random"), labels=(msg("from text"), msg("random")),
                      label=msg("numbers"),
                      help=msg("The numbers of the text, or new ones from the seed")),
    "entry": Int(0, 0, MAX_SIZE * MAX_SIZE, label=msg("explain entry"), live=True,
                 help=msg("0 follows the steps; k explains the k-th entry of Y (row by row)")),
}
