"""The playground: TensorFlow Playground in the terminal.

Choose a 2D data set, the input features, the network's shape, activation,
optimiser, regularisation and learning rate; each step trains one epoch. The
frame shows the decision boundary over the plane with the training points,
the training and validation loss per epoch, and a one-line summary.

Regression sets (``plane``, ``multi_gauss``) use an identity output with the
mean squared error and report R² instead of accuracy.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import (
    OPTIMIZER_LABELS,
    GridMixin,
    boundary_heatmap,
    num,
    param_num,
)
from tui_workshop.experiments.specs import playground as spec
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    LinePlot,
    ParameterError,
    Series,
    TextPanel,
    frozen_array,
    register,
    thin_history,
)
from tui_workshop.nn import datasets, optim
from tui_workshop.nn.boundary import grid_bounds
from tui_workshop.nn.mlp import MLP
from tui_workshop.nn.train import Trainer

CLASSIFICATION = ("circle", "xor", "gauss", "spiral", "moons")
REGRESSION = ("plane", "multi_gauss")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity", "linear")  # linear = identity
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
REGULARIZATION = ("none", "l1", "l2")
# parameter name -> feature name in nn.datasets.FEATURES
FEATURE_PARAMS: dict[str, str] = {
    "feat_x1": "x1",
    "feat_x2": "x2",
    "feat_x1sq": "x1^2",
    "feat_x2sq": "x2^2",
    "feat_x1x2": "x1x2",
    "feat_sin_x1": "sin_x1",
    "feat_sin_x2": "sin_x2",
}
MAX_LAYERS, MAX_NEURONS = 6, 8
DIVERGED_MESSAGE = "Training diverged (the loss is no longer a number): lower the learning rate."


@register
class Playground(GridMixin, Experiment):
    name = "playground"
    SCHEMA = spec.SCHEMA  # provisional: the hand-written checks below still run
    title = "The playground"
    defaults: ClassVar[dict[str, Any]] = {
        "dataset": "circle",
        "noise": 0,  # percent, 0..50 as in TensorFlow Playground
        "train_ratio": 50,  # percent of the points used for training; the rest validate
        "points": 300,
        **{name: name in ("feat_x1", "feat_x2") for name in FEATURE_PARAMS},
        "layers": 2,
        "neurons": 4,
        "activation": "tanh",
        "output": "auto",  # auto | sigmoid (BCE) | identity (MSE)
        "learning_rate": 0.03,
        "batch_size": 10,
        "optimizer": "sgd",
        "regularization": "none",
        "reg_rate": 0.0,
        "epochs": 500,
        "patience": 0,  # early stopping after this many epochs without progress; 0 = never
        "init": "xavier",
        "seed": 0,
        "show_validation": False,
    }
    trainable = True
    live_params = frozenset({"learning_rate", "show_validation"})

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.require_choice("dataset", CLASSIFICATION + REGRESSION)
        self.require_choice("activation", ACTIVATIONS)
        self.require_choice("optimizer", OPTIMIZERS)
        self.require_choice("regularization", REGULARIZATION)
        self.require_choice("output", ("auto", "sigmoid", "identity"))
        for key in ("noise", "train_ratio", "points", "layers", "neurons", "batch_size"):
            p[key] = int(p[key])
        for key in ("epochs", "patience", "seed"):
            p[key] = int(p[key])
        p["learning_rate"], p["reg_rate"] = float(p["learning_rate"]), float(p["reg_rate"])
        self.regression = p["dataset"] in REGRESSION
        output = p["output"]
        if output == "auto":
            output = "identity" if self.regression else "sigmoid"
        if (output == "identity") != self.regression:
            raise ParameterError(
                "the identity output (MSE) is for the regression sets plane and multi_gauss;"
                " the classification sets need the sigmoid output"
            )
        self.features = [f for key, f in FEATURE_PARAMS.items() if p[key]]
        if not self.features:
            raise ParameterError("choose at least one input feature")
        if not 0 <= p["layers"] <= MAX_LAYERS:
            raise ParameterError(f"layers must be between 0 and {MAX_LAYERS}")
        if not 1 <= p["neurons"] <= MAX_NEURONS:
            raise ParameterError(f"neurons must be between 1 and {MAX_NEURONS}")
        if not 10 <= p["train_ratio"] <= 90:
            raise ParameterError("the training ratio must be between 10% and 90%")
        if not 0 <= p["noise"] <= 50:
            raise ParameterError("noise must be between 0 and 50 (percent)")
        if p["points"] < 20 or p["batch_size"] < 1 or p["epochs"] < 1 or p["patience"] < 0:
            raise ParameterError("points ≥ 20, batch size ≥ 1, epochs ≥ 1 and patience ≥ 0")
        if p["learning_rate"] <= 0 or p["reg_rate"] < 0:
            raise ParameterError(
                "the learning rate must be positive and the rate of regularisation not negative"
            )

        X, y = datasets.make(p["dataset"], n=p["points"], noise=p["noise"] / 100, seed=p["seed"])
        parts = datasets.split(X, y, val=1 - p["train_ratio"] / 100, seed=p["seed"])
        self.X_train, self.y_train = parts.X_train, parts.y_train
        self.X_val, self.y_val = parts.X_val, parts.y_val
        self.bounds = grid_bounds(X)  # the heatmap covers every point
        activation = "identity" if p["activation"] == "linear" else p["activation"]
        reg = p["regularization"]
        self.sizes = [len(self.features)] + [p["neurons"]] * p["layers"] + [1]
        self.model = MLP(
            self.sizes,
            activation=activation,
            output=output,
            init=p["init"],
            l1=p["reg_rate"] if reg == "l1" else 0.0,
            l2=p["reg_rate"] if reg == "l2" else 0.0,
            seed=p["seed"],
        )
        self.optimizer = optim.make(p["optimizer"], self.model.params, p["learning_rate"])
        self.trainer = Trainer(
            self.model,
            self.optimizer,
            self.inputs(self.X_train),
            self.y_train,
            self.inputs(self.X_val),
            self.y_val,
            batch_size=p["batch_size"],
            epochs=p["epochs"],
            patience=p["patience"] or None,
            seed=p["seed"],
        )
        self._lock = threading.Lock()  # step() runs in a worker, frame() in the UI
        score = "r2" if self.regression else "accuracy"
        self._score = score
        with np.errstate(all="ignore"):
            train_loss, train_score = self.trainer.evaluate(self.trainer.X, self.trainer.y)
            val_loss, val_score = self.trainer.evaluate(self.trainer.X_val, self.trainer.y_val)
        self.history: dict[str, list[float]] = {
            "epoch": [0.0],
            "train_loss": [train_loss],
            "val_loss": [val_loss],
            f"train_{score}": [train_score],
            f"val_{score}": [val_score],
        }
        self.stopped: str | None = None

    def inputs(self, X: np.ndarray) -> np.ndarray:
        """Raw 2D points mapped to the chosen input features."""
        return datasets.transform(X, self.features)

    # --- stepping -------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.trainer.done

    def step(self) -> None:
        """Train one epoch (nothing once done)."""
        with self._lock:
            if self.trainer.done:
                return
            snap = self.trainer.step_epoch()
            self.steps_done = snap.epoch
            self.stopped = snap.stopped
            h = self.history
            h["epoch"].append(float(snap.epoch))
            h["train_loss"].append(snap.train_loss)
            h["val_loss"].append(np.nan if snap.val_loss is None else snap.val_loss)
            for key in (f"train_{self._score}", f"val_{self._score}"):
                h[key].append(float(snap.metrics.get(key, np.nan)))
            thin_history(h)  # bounded memory on long runs

    def set_live(self, name: str, value: Any) -> None:
        super().set_live(name, value)
        if name == "learning_rate":
            with self._lock:
                self.params[name] = float(value)
                self.optimizer.lr = float(value)

    # --- reading --------------------------------------------------------------

    def metrics(self) -> dict[str, float]:
        h = self.history
        out = {key: float(values[-1]) for key, values in h.items()}
        out["layers"] = float(self.params["layers"])
        out["neurons"] = float(self.params["neurons"])
        return out

    def _score_text(self, value: float) -> str:
        if self.regression:
            return f"R² {num(value, 3)}"
        return f"{round(100 * value)}%" if np.isfinite(value) else "nan"

    def status(self, m: dict[str, float]) -> str:
        # Short, key numbers first: the status line is cropped at about 20 columns.
        train, val = m[f"train_{self._score}"], m[f"val_{self._score}"]
        return (
            f"epoch {int(m['epoch'])} · val {self._score_text(val)}"
            f" · val loss {num(m['val_loss'], 3)}"
            f" · train {self._score_text(train)} · train loss {num(m['train_loss'], 3)}"
        )

    def scores_text(self, m: dict[str, float]) -> str:
        """The Network panel's first lines: epoch, losses, scores."""
        train, val = m[f"train_{self._score}"], m[f"val_{self._score}"]
        short = "" if self.regression else "acc "
        return (
            f"epoch {int(m['epoch'])}/{self.params['epochs']}\n"
            f"train loss {num(m['train_loss'], 3)} · val loss {num(m['val_loss'], 3)}\n"
            f"train {short}{self._score_text(train)} · val {short}{self._score_text(val)}"
        )

    def describe_network(self) -> str:
        p = self.params
        names = [datasets.FEATURES[f][0] for f in self.features]
        hidden = " → ".join(str(s) for s in self.sizes[1:-1]) or "no hidden layer"
        out = "sigmoid, cross-entropy" if not self.regression else "identity, squared error"
        reg = p["regularization"]
        lines = [
            f"inputs: {', '.join(names)}",
            f"network: {len(self.features)} → {hidden} → 1 · {p['activation']}",
            f"{self.model.n_params} weights and biases",
            f"output: {out}",
            f"{OPTIMIZER_LABELS[p['optimizer']]}"
            f" η = {param_num(p['learning_rate'])} · batch {p['batch_size']}",
        ]
        if reg != "none":
            lines[-1] += f" · {reg.upper()} {param_num(p['reg_rate'])}"
        return "\n".join(lines)

    def _loss_plot(self) -> LinePlot:
        h = self.history
        epochs = np.array(h["epoch"])
        series = []
        for role, key, label in ((0, "train_loss", "train"), (1, "val_loss", "validation")):
            values = np.array(h[key])
            ok = np.isfinite(values)
            series.append(
                Series(label, frozen_array(epochs[ok]), frozen_array(values[ok]), "line", role)
            )
        return LinePlot("Loss per epoch", tuple(series), xlabel="epoch", ylabel="loss")

    def _heatmap(self):
        cols, rows = self.grid
        y_roles = self.y_train
        extra: tuple[Series, ...] = ()
        if self.regression:  # colour the points by the sign of their target
            y_roles = (self.y_train > 0).astype(int)
        if self.params["show_validation"]:
            val_roles = (self.y_val > 0).astype(int) if self.regression else self.y_val
            extra = tuple(
                Series(
                    f"validation {c}",
                    frozen_array(self.X_val[val_roles == c, 0]),
                    frozen_array(self.X_val[val_roles == c, 1]),
                    "points",
                    int(c),
                )
                for c in np.unique(val_roles)
            )
        return boundary_heatmap(
            self.model,
            self.X_train,
            y_roles,
            cols,
            rows,
            title="Output over the plane" if self.regression else "Decision boundary",
            transform=self.inputs,
            extra_points=extra,
            vmin=-1.0 if self.regression else 0.0,
            bounds=self.bounds,
            prefix="train",
        )

    def frame(self) -> Frame:
        with self._lock, np.errstate(all="ignore"):
            m = self.metrics()
            heat = self._heatmap()
            panels = (
                heat,
                self._loss_plot(),
                TextPanel(
                    "Network",
                    self.scores_text(m)
                    + "\n"
                    + self.describe_network(),
                ),
            )
            stopped = self.trainer.stopped
        message, level = None, "info"
        if stopped == "diverged":
            message, level = DIVERGED_MESSAGE, "warning"
        elif stopped == "early stopping":
            message = "Stopped early: the validation loss stopped improving."
        elif stopped == "epoch limit":
            message = f"Epoch limit reached ({self.params['epochs']} epochs)."
        return Frame(
            step=int(m["epoch"]),
            status=self.status(m),
            panels=panels,
            metrics=m,
            done=stopped is not None,
            message=message,
            level=level,
            progress=min(1.0, m["epoch"] / self.params["epochs"]),
        )
