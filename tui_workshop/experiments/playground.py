"""The playground: TensorFlow Playground in the terminal.

Choose a 2D data set, the input features, the network's shape, activation,
optimiser, regularisation and learning rate; each step trains one epoch. The
frame shows the decision boundary over the plane with the training points,
the training and validation loss per epoch, and a summary of the network.

Regression sets (``plane``, ``multi_gauss``) use an identity output with the
mean squared error and report R² instead of accuracy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from tui_workshop.experiments._common import GridMixin, boundary_heatmap, num, param_num
from tui_workshop.experiments.base import (
    Frame,
    Heatmap,
    LinePlot,
    ParameterError,
    Series,
    TextPanel,
    TrainerExperiment,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import playground as spec
from tui_workshop.i18n.message import Cat, Num, Text, join, lines, msg, msg_n
from tui_workshop.nn import datasets, optim
from tui_workshop.nn.boundary import grid_bounds
from tui_workshop.nn.mlp import MLP
from tui_workshop.nn.train import Trainer

REGRESSION = spec.REGRESSION
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
ACTIVATIONS = {"linear": "identity"}  # the lesson's name -> the engine's


def point_series(
    X: np.ndarray, roles: np.ndarray, label: Callable[[int], Text]
) -> tuple[Series, ...]:
    """One point series per role (class, or sign of a regression target), named by ``label``."""
    return tuple(
        Series(
            label(int(c)),
            frozen_array(X[roles == c, 0]),
            frozen_array(X[roles == c, 1]),
            "points",
            int(c),
        )
        for c in np.unique(roles)
    )


@register
class Playground(GridMixin, TrainerExperiment):
    name = "playground"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def check_params(self, params: dict[str, Any]) -> None:
        regression = params["dataset"] in REGRESSION
        if params["output"] == "identity" and not regression:
            raise ParameterError(
                msg(
                    "the identity output (squared error) is for the regression sets plane and"
                    " bumps; the classification sets need the sigmoid output"
                )
            )
        if params["output"] == "sigmoid" and regression:
            raise ParameterError(
                msg(
                    "the regression sets plane and bumps need the identity output"
                    " (squared error), not the sigmoid"
                )
            )
        if not any(params[key] for key in FEATURE_PARAMS):
            raise ParameterError(msg("choose at least one input feature"))

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        super().__init__(params)
        p = self.params
        self.regression = p["dataset"] in REGRESSION
        output = "identity" if self.regression else "sigmoid"
        self.features = [f for key, f in FEATURE_PARAMS.items() if p[key]]
        X, y = datasets.make(p["dataset"], n=p["points"], noise=p["noise"] / 100, seed=p["seed"])
        parts = datasets.split(X, y, val=1 - p["train_ratio"] / 100, seed=p["seed"])
        self.X_train, self.y_train = parts.X_train, parts.y_train
        self.X_val, self.y_val = parts.X_val, parts.y_val
        self.bounds = grid_bounds(X)  # the heatmap covers every point
        reg = p["regularization"]
        self.sizes = [len(self.features)] + [p["neurons"]] * p["layers"] + [1]
        self.model = MLP(
            self.sizes,
            activation=ACTIVATIONS.get(p["activation"], p["activation"]),
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
        self._score = "r2" if self.regression else "accuracy"
        self._points: tuple[bool, tuple[Series, ...]] | None = None
        with np.errstate(all="ignore"):
            train_loss, train_score = self.trainer.evaluate(self.trainer.X, self.trainer.y)
            val_loss, val_score = self.trainer.evaluate(self.trainer.X_val, self.trainer.y_val)
        self.history = {
            "epoch": [0.0],
            "train_loss": [train_loss],
            "val_loss": [val_loss],
            f"train_{self._score}": [train_score],
            f"val_{self._score}": [val_score],
        }

    def inputs(self, X: np.ndarray) -> np.ndarray:
        """Raw 2D points mapped to the chosen input features."""
        return datasets.transform(X, self.features)

    # --- stepping -------------------------------------------------------------

    def advance(self) -> None:
        """Train one epoch."""
        snap = self.trainer.step_epoch()
        self.steps_done = snap.epoch
        self.stopped = snap.stopped
        h = self.history
        h["epoch"].append(float(snap.epoch))
        h["train_loss"].append(snap.train_loss)
        h["val_loss"].append(np.nan if snap.val_loss is None else snap.val_loss)
        for key in (f"train_{self._score}", f"val_{self._score}"):
            h[key].append(float(snap.metrics.get(key, np.nan)))

    def on_live_change(self, name: str, value: Any) -> None:
        if name == "learning_rate":
            self.optimizer.lr = value

    # --- keeping the run ----------------------------------------------------------

    keeps_state = True

    def save_state(self) -> dict[str, Any]:
        from tui_workshop.experiments import state

        return state.prefixed("trainer", state.trainer_state(self.trainer))

    def load_state(self, saved: Mapping[str, Any]) -> None:
        from tui_workshop.experiments import state

        state.load_trainer(self.trainer, state.part("trainer", saved))

    # --- reading --------------------------------------------------------------

    def metrics(self) -> dict[str, float]:
        out = {key: float(values[-1]) for key, values in self.history.items()}
        out["layers"] = float(self.params["layers"])
        out["neurons"] = float(self.params["neurons"])
        return out

    def score_text(self, value: float) -> Text:
        """Accuracy as a whole percentage ("87%"), R² with three decimals ("R² 0.912")."""
        if self.regression:
            return Cat(("R² ", num(value, 3)))
        return Num(value, digits=0, percent=True)

    def status(self, m: dict[str, float]) -> Text:
        # The lesson's goal (the validation score) first: the line is cropped at 80 columns.
        return msg(
            "val {val} · val loss {val_loss} · epoch {epoch} · train {train}"
            " · train loss {train_loss}",
            epoch=int(m["epoch"]),
            val=self.score_text(m[f"val_{self._score}"]),
            val_loss=num(m["val_loss"], 3),
            train=self.score_text(m[f"train_{self._score}"]),
            train_loss=num(m["train_loss"], 3),
        )

    def scores_text(self, m: dict[str, float]) -> Cat:
        """The Network panel's first lines: epoch, losses, scores."""
        train = self.score_text(m[f"train_{self._score}"])
        val = self.score_text(m[f"val_{self._score}"])
        return lines(
            msg("epoch {epoch}/{epochs}", epoch=int(m["epoch"]), epochs=self.params["epochs"]),
            msg(
                "train loss {train} · val loss {val}",
                train=num(m["train_loss"], 3),
                val=num(m["val_loss"], 3),
            ),
            msg("train {train} · val {val}", train=train, val=val)
            if self.regression
            else msg("train acc {train} · val acc {val}", train=train, val=val),
        )

    def describe_network(self) -> Cat:
        p = self.params
        schema = self.SCHEMA
        names = ", ".join(datasets.FEATURES[f][0] for f in self.features)
        hidden: list[Text] = [str(s) for s in self.sizes[1:-1]] or [msg("no hidden layer")]
        shape = join(" → ", [str(len(self.features)), *hidden, "1"])
        training: Text = msg(
            "{optimizer} η = {rate} · batch {size}",
            optimizer=schema["optimizer"].label_of(p["optimizer"]),
            rate=param_num(p["learning_rate"]),
            size=p["batch_size"],
        )
        if p["regularization"] != "none":
            penalty = Cat((p["regularization"].upper(), " ", param_num(p["reg_rate"])))
            training = join(" · ", [training, penalty])
        return lines(
            msg("inputs: {features}", features=names),
            msg(
                "network: {shape} · {activation}",
                shape=shape,
                activation=schema["activation"].label_of(p["activation"]),
            ),
            msg_n("{n} weight and bias", "{n} weights and biases", self.model.n_params),
            msg("output: identity, squared error")
            if self.regression
            else msg("output: sigmoid, cross-entropy"),
            training,
        )

    def _loss_plot(self) -> LinePlot:
        h = self.history
        epochs = np.array(h["epoch"])
        series = []
        for role, key, label in (
            (0, "train_loss", msg("train")),
            (1, "val_loss", msg("validation")),
        ):
            values = np.array(h[key])
            ok = np.isfinite(values)
            series.append(
                Series(label, frozen_array(epochs[ok]), frozen_array(values[ok]), "line", role)
            )
        return LinePlot(
            msg("Loss per epoch"), tuple(series), xlabel=msg("epoch"), ylabel=msg("loss")
        )

    def _heatmap(self) -> Heatmap:
        cols, rows = self.grid
        train_roles, val_roles = self.y_train, self.y_val
        if self.regression:  # colour the points by the sign of their target
            train_roles = (self.y_train > 0).astype(int)
            val_roles = (self.y_val > 0).astype(int)
        # The points never move: built once (the UI then reuses their screen cells).
        shown = bool(self.params["show_validation"])
        if self._points is None or self._points[0] != shown:
            points = point_series(self.X_train, train_roles, lambda c: msg("train {c}", c=c))
            if shown:
                points += point_series(
                    self.X_val, val_roles, lambda c: msg("validation {c}", c=c)
                )
            self._points = (shown, points)
        points = self._points[1]
        heat = boundary_heatmap(
            self.model,
            self.X_train,
            train_roles,
            cols,
            rows,
            transform=self.inputs,
            vmin=-1.0 if self.regression else 0.0,
            bounds=self.bounds,
        )
        title = msg("Output over the plane") if self.regression else msg("Decision boundary")
        return replace(heat, title=title, points=points)

    def draw(self) -> Frame:
        with np.errstate(all="ignore"):
            m = self.metrics()
            panels = (
                self._heatmap(),
                self._loss_plot(),
                TextPanel(msg("Network"), lines(self.scores_text(m), self.describe_network())),
            )
        message, level = self.stop_message()
        return Frame(
            step=int(m["epoch"]),
            status=self.status(m),
            panels=panels,
            metrics=m,
            done=self.done,
            message=message,
            level=level,
            progress=min(1.0, m["epoch"] / self.params["epochs"]),
        )
