"""Which module holds each experiment, and the parameters it accepts.

The lesson loader validates lessons against this table, so the app can draw
its first screen before NumPy and the experiment modules load; ``create``
imports an experiment's module on first use. A test checks that the table
matches the experiment classes; after adding or changing an experiment, print
a fresh table with
``python -c "from tui_workshop.experiments.catalogue import render; print(render())"``.
"""

from __future__ import annotations

CATALOGUE: dict[str, tuple[str, tuple[str, ...]]] = {
    "activations": ("activations", ("function", "z", "derivative", "temperature", "z1", "z2", "z3",)),
    "backprop": ("backprop", ("x1", "x2", "y", "bug",)),
    "cnn_digits": ("cnn_digits", ("filters", "kernel", "epochs", "learning_rate", "optimizer", "batch_size", "seed", "compare_mlp", "mlp_hidden", "sample",)),
    "convolution": ("convolution", ("image", "digit", "size", "kernel", "stride", "padding", "pool",)),
    "gradient_descent": ("gradient_descent", ("surface", "x0", "y0", "learning_rate", "momentum", "max_steps",)),
    "hyperparameter_search": ("hyperparameter_search", ("method", "n_trials", "epochs", "dataset", "noise", "n", "seed",)),
    "limits": ("limits", ("demo", "function", "activation", "depth", "rare_percent", "threshold", "epsilon", "sample", "seed",)),
    "linear_algebra": ("linear_algebra", ("n_inputs", "n_outputs", "batch", "seed", "example", "entry",)),
    "losses": ("losses", ("p", "y", "loss",)),
    "metrics_lab": ("metrics_lab", ("dataset", "ratio", "threshold", "noise", "n", "seed",)),
    "neuron": ("neuron", ("w1", "w2", "b", "activation", "dataset", "noise", "sample",)),
    "optimizer_race": ("optimizer_race", ("problem", "learning_rate", "epochs", "seed", "show",)),
    "overfitting": ("overfitting", ("mode", "cure", "rate", "dropout", "patience", "dataset", "n", "noise", "hidden", "layers", "epochs", "seed",)),
    "playground": ("playground", ("dataset", "noise", "train_ratio", "points", "feat_x1", "feat_x2", "feat_x1sq", "feat_x2sq", "feat_x1x2", "feat_sin_x1", "feat_sin_x2", "layers", "neurons", "activation", "output", "learning_rate", "batch_size", "optimizer", "regularization", "reg_rate", "epochs", "patience", "init", "seed", "show_validation",)),
    "recurrence": ("recurrence", ("w", "u", "b", "h0", "input", "T", "activation", "clip",)),
    "rnn_series": ("rnn_series", ("series", "hidden", "window", "epochs", "learning_rate", "batch_size", "clip", "seed", "horizon",)),
    "summary": ("summary", ("section",)),
    "welcome": ("welcome", ("a", "curve",)),
}


def render() -> str:
    """The table as Python source, from the experiment classes themselves."""
    from tui_workshop.experiments import load_all
    from tui_workshop.experiments.base import REGISTRY

    load_all()
    rows = []
    for name, cls in sorted(REGISTRY.items()):
        if not cls.__module__.startswith("tui_workshop.experiments."):
            continue
        module = cls.__module__.rsplit(".", 1)[1]
        keys = ", ".join(f'"{key}"' for key in cls.defaults)
        rows.append(f'    "{name}": ("{module}", ({keys},)),')
    return "CATALOGUE: dict[str, tuple[str, tuple[str, ...]]] = {\n" + "\n".join(rows) + "\n}"

