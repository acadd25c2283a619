"""The playground's parameters (NumPy-free): data, features, network, training."""

from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n.message import msg

TITLE = msg("The playground")

CLASSIFICATION = ("circle", "xor", "gauss", "spiral", "moons")
REGRESSION = ("plane", "multi_gauss")
MAX_LAYERS, MAX_NEURONS = 6, 8  # TensorFlow Playground's limits

SCHEMA = {
    "dataset": Choice(
        "circle",
        CLASSIFICATION + REGRESSION,
        labels=(
            msg("circle"),
            msg("xor"),
            msg("gauss"),
            msg("spiral"),
            msg("moons"),
            msg("plane (reg.)"),
            msg("bumps (reg.)"),
        ),
        label=msg("data set"),
        help=msg(
            "The data: five classification sets, and two regression sets"
            " (a plane, a sum of Gaussian bumps)"
        ),
    ),
    "noise": Int(
        0, 0, 50, step=5, label=msg("noise %"), help=msg("How much the points are jittered")
    ),
    "train_ratio": Int(
        50,
        10,
        90,
        step=10,
        label=msg("training %"),
        help=msg("Share of the points used for training; the rest validate"),
    ),
    "points": Int(
        300, 20, 2000, step=50, label=msg("points"), help=msg("How many points the data set has")
    ),
    "feat_x1": Bool(True, label="x₁"),
    "feat_x2": Bool(True, label="x₂"),
    "feat_x1sq": Bool(False, label="x₁²"),
    "feat_x2sq": Bool(False, label="x₂²"),
    "feat_x1x2": Bool(False, label="x₁x₂"),
    "feat_sin_x1": Bool(False, label="sin x₁"),
    "feat_sin_x2": Bool(False, label="sin x₂"),
    "layers": Int(2, 0, MAX_LAYERS, label=msg("hidden layers")),
    "neurons": Int(
        4, 1, MAX_NEURONS, label=msg("neurons/layer"), help=msg("Neurons in each hidden layer")
    ),
    "activation": Choice(
        "tanh",
        ("tanh", "relu", "sigmoid", "linear"),
        labels=("tanh", "ReLU", msg("sigmoid"), msg("linear")),
        label=msg("activation"),
    ),
    "output": Choice(
        "auto",
        ("auto", "sigmoid", "identity"),
        labels=(msg("automatic"), msg("sigmoid, cross-entropy"), msg("identity, squared error")),
        label=msg("output"),
        help=msg("Automatic: sigmoid for the classification sets, identity for regression"),
    ),
    "learning_rate": Float(
        0.03,
        0.00001,
        10.0,
        step=0.01,
        log=True,
        live=True,
        label=msg("learning rate"),
        help=msg("Learning rate η; may be changed while training"),
    ),
    "batch_size": Int(10, 1, 500, step=5, label=msg("batch size")),
    "optimizer": Choice(
        "sgd",
        ("sgd", "momentum", "rmsprop", "adam"),
        labels=("SGD", msg("momentum"), "RMSprop", "Adam"),
        label=msg("optimiser"),
    ),
    "regularization": Choice(
        "none",
        ("none", "l1", "l2"),
        labels=(msg("none"), "L1", "L2"),
        label=msg("penalty"),
        help=msg("Regularisation: none, L1 (λ·Σ|w|) or L2 (λ/2·Σw²)"),
    ),
    "reg_rate": Float(
        0.0,
        0.0,
        1.0,
        step=0.001,
        label=msg("penalty λ"),
        help=msg("Regularisation rate λ: the weight of the penalty in the loss"),
    ),
    "epochs": Int(500, 1, 10000, step=50, label=msg("epoch limit")),
    "patience": Int(
        0,
        0,
        1000,
        step=10,
        label=msg("patience"),
        help=msg("Stop after this many epochs without a better validation loss; 0 = never"),
    ),
    "init": Choice(
        "xavier",
        ("xavier", "he", "uniform"),
        labels=("Xavier", "He", msg("uniform")),
        label=msg("initial weights"),
    ),
    "seed": Int(
        0,
        0,
        9999,
        label=msg("seed"),
        help=msg("Another seed: other points, other starting weights"),
    ),
    "show_validation": Bool(
        False,
        live=True,
        label=msg("show val. points"),
        help=msg("Also draw the validation points (hollow) on the plane"),
    ),
}
