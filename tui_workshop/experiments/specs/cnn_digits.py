"""The CNN digits experiment's parameters (NumPy-free): the network and its training."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("A CNN on the digits")

TEST_IMAGES = 359  # the fixed test split: 20 % of the 1797 digits

SCHEMA = {
    "filters": Int(8, 1, 32, label=msg("filters F"), help=msg("Number of learned kernels")),
    "kernel": Int(
        3, 2, 5, label=msg("kernel size k"), help=msg("k×k kernels, from 2×2 to 5×5 on 8×8 images")
    ),
    "epochs": Int(20, 1, 500, step=5, label=msg("epochs")),
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
        ("sgd", "momentum", "rmsprop", "adam"),
        labels=("SGD", msg("momentum"), "RMSprop", "Adam"),
        label=msg("optimiser"),
    ),
    # From 4: smaller batches make an epoch (one step) last about a second.
    "batch_size": Int(
        32,
        4,
        512,
        step=4,
        label=msg("batch size"),
        help=msg("Images per optimiser step"),
    ),
    "seed": Int(0, 0, 9999, label=msg("seed")),
    "compare_mlp": Bool(
        True,
        label=msg("compare with an MLP"),
        help=msg("Train a 64 → 32 → 10 MLP on the same data in the same steps"),
    ),
    "mlp_hidden": Int(
        32,
        1,
        512,
        label=msg("MLP hidden units"),
        help=msg("Hidden units of the MLP it is compared with"),
    ),
    "sample": Int(
        0,
        0,
        TEST_IMAGES - 1,
        live=True,
        label=msg("test sample"),
        help=msg("Which test image to show with its feature maps (may change while running)"),
    ),
}
