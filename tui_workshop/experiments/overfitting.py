"""Overfitting and its cures: a big network fitted to a few noisy points.

The data: ``n`` noisy samples of a smooth 1D curve (``nn.datasets.curve``)
for training, and 200 fresh noisy samples of the same curve, over the same
x range, for validation. The network (``layers`` hidden layers of ``hidden``
tanh units, identity output, mean squared error) has far more weights than
there are points, so with enough epochs it threads through the noise: the
training loss keeps falling while the validation loss turns back up.

Cures (``cure``):

* ``none``: plain training;
* ``l2``: adds rate/2 · Σw² to the loss (weight decay);
* ``l1``: adds rate · Σ|w| (pushes weights to exactly zero);
* ``dropout``: drops each hidden unit with probability ``dropout`` while training;
* ``early_stopping``: stops once the validation loss has not improved for
  ``patience`` epochs and goes back to the best epoch's weights.

``mode = "single"`` trains the chosen cure, one epoch per step.
``mode = "compare"`` trains every cure on the same data, network and seed one
after another (``CHUNK`` epochs per step) and compares the final losses.
Losses shown are data losses (mean squared error, no penalty term).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import num, param_num, start_hint
from tui_workshop.experiments.specs import overfitting as spec
from tui_workshop.experiments.base import (
    Bars,
    Experiment,
    Frame,
    LinePlot,
    ParameterError,
    Series,
    Table,
    TextPanel,
    frozen_array,
    register,
)

CURES = ("none", "l2", "l1", "dropout", "early_stopping")
CURE_NAMES = {
    "none": "no cure",
    "l2": "L2",
    "l1": "L1",
    "dropout": "dropout",
    "early_stopping": "early stopping",
}
MODES = ("single", "compare")
DATASETS = ("sin", "cubic", "quadratic")
N_VAL = 200
BATCH_SIZE = 4
LEARNING_RATE = 0.01
CHUNK = 25  # epochs per step in compare mode
PLOT_POINTS = 120


@dataclass
class _Run:
    """One training run: a network, its trainer and its loss history."""

    cure: str
    model: Any
    trainer: Any
    epochs: list[int]
    train: list[float]
    val: list[float]


@register
class Overfitting(Experiment):
    """A big network on few noisy points, with and without regularisation."""

    name: ClassVar[str] = "overfitting"
    title: ClassVar[str] = "Overfitting and regularisation"
    defaults: ClassVar[dict[str, Any]] = {
        "mode": "single",
        "cure": "none",
        "rate": 0.01,  # strength of L2 or L1
        "dropout": 0.2,  # drop probability for the dropout cure
        "patience": 30,  # epochs without improvement before early stopping
        "dataset": "sin",
        "n": 12,
        "noise": 0.25,
        "hidden": 64,
        "layers": 2,
        "epochs": 300,
        "seed": 2,
    }
    trainable: ClassVar[bool] = True

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        super().__init__(params)
        from tui_workshop.nn import datasets

        p = self.params
        for key, allowed in (("mode", MODES), ("cure", CURES), ("dataset", DATASETS)):
            self.require_choice(key, allowed)
        if float(p["rate"]) < 0:
            raise ParameterError("rate must be 0 or more")
        if not 0.0 <= float(p["dropout"]) < 1.0:
            raise ParameterError("dropout must lie in [0, 1)")
        if int(p["patience"]) < 1 or int(p["epochs"]) < 1:
            raise ParameterError("patience and epochs must be at least 1")
        if int(p["n"]) < 2 or int(p["hidden"]) < 1 or int(p["layers"]) < 1:
            raise ParameterError("n must be at least 2; hidden and layers at least 1")
        seed, noise = int(p["seed"]), float(p["noise"])
        try:
            self.X, self.y = datasets.curve(int(p["n"]), noise, seed, kind=p["dataset"])
        except ValueError as error:
            raise ParameterError(str(error)) from None
        truth = datasets.CURVES[p["dataset"]]
        rng = np.random.default_rng(seed + 1)
        low, high = float(self.X.min()), float(self.X.max())
        if high - low < 1e-9:
            low, high = -1.0, 1.0
        x_val = rng.uniform(low, high, N_VAL)
        self.X_val = x_val[:, None]
        self.y_val = truth(x_val) + rng.normal(0.0, noise, N_VAL)
        self.x_plot = np.linspace(-1.0, 1.0, PLOT_POINTS)
        self.y_truth = truth(self.x_plot)
        self.cures = CURES if p["mode"] == "compare" else (p["cure"],)
        self.finished: dict[str, tuple[float, float, int]] = {}  # cure -> (train, val, epoch)
        self.run = self._new_run(self.cures[0])

    # ------------------------------------------------------------- training
    def _new_run(self, cure: str) -> _Run:
        from tui_workshop.nn import MLP, optim
        from tui_workshop.nn.train import Trainer

        p = self.params
        rate = float(p["rate"])
        model = MLP(
            [1] + [int(p["hidden"])] * int(p["layers"]) + [1],
            activation="tanh",
            output="identity",
            l2=rate if cure == "l2" else 0.0,
            l1=rate if cure == "l1" else 0.0,
            dropout=float(p["dropout"]) if cure == "dropout" else 0.0,
            seed=int(p["seed"]),
        )
        trainer = Trainer(
            model,
            optim.make("adam", model, lr=LEARNING_RATE),
            self.X,
            self.y,
            self.X_val,
            self.y_val,
            batch_size=BATCH_SIZE,
            epochs=int(p["epochs"]),
            patience=int(p["patience"]) if cure == "early_stopping" else None,
            seed=int(p["seed"]),
            restore_best=cure == "early_stopping",
        )
        return _Run(cure, model, trainer, [], [], [])

    def losses(self, model: Any = None) -> tuple[float, float]:
        """(training, validation) mean squared error of ``model`` (default: the current run)."""
        model = self.run.model if model is None else model
        with np.errstate(all="ignore"):
            train = float(model.loss(self.X, self.y, penalty=False))
            val = float(model.loss(self.X_val, self.y_val, penalty=False))
        return train, val

    def _epoch(self) -> None:
        run = self.run
        snap = run.trainer.step_epoch()
        run.epochs.append(snap.epoch)
        run.train.append(snap.train_loss)
        run.val.append(snap.val_loss if snap.val_loss is not None else np.nan)
        if run.trainer.done:
            train, val = self.losses()
            self.finished[run.cure] = (train, val, snap.epoch)

    @property
    def done(self) -> bool:
        return len(self.finished) == len(self.cures)

    def step(self) -> None:
        if self.done:
            return
        super().step()
        if self.run.trainer.done:  # the previous cure finished: start the next one
            self.run = self._new_run(self.cures[len(self.finished)])
        for _ in range(CHUNK if self.params["mode"] == "compare" else 1):
            self._epoch()
            if self.run.trainer.done:
                break

    # ---------------------------------------------------------------- frames
    def progress(self) -> float:
        epochs = int(self.params["epochs"])
        current = 0.0 if self.run.trainer.done else min(self.run.trainer.epoch / epochs, 1.0)
        return min((len(self.finished) + current) / len(self.cures), 1.0)

    def cure_text(self, cure: str) -> str:
        p = self.params
        if cure == "l2":
            return f"L2, rate λ = {param_num(p['rate'])}: loss + λ/2·Σw²"
        if cure == "l1":
            return f"L1, rate λ = {param_num(p['rate'])}: loss + λ·Σ|w|"
        if cure == "dropout":
            return f"dropout, p = {param_num(p['dropout'])} of hidden units off"
        if cure == "early_stopping":
            return f"early stopping, patience {int(p['patience'])}"
        return "none: plain training"

    def loss_plot(self) -> LinePlot:
        run = self.run
        epochs = frozen_array(run.epochs)
        return LinePlot(
            title=f"Loss per epoch ({CURE_NAMES[run.cure]})",
            series=(
                Series("training", epochs, frozen_array(run.train), role=0),
                Series("validation", epochs, frozen_array(run.val), role=1),
            ),
            xlabel="epoch",
            ylabel="mean squared error",
            logy=bool(run.epochs),  # a log axis with no data breaks some plotters
        )

    def fit_plot(self) -> LinePlot:
        with np.errstate(all="ignore"):
            fit = self.run.model.forward(self.x_plot[:, None])[:, 0]
        fit = np.clip(np.nan_to_num(fit), -3.0, 3.0)
        return LinePlot(
            title=f"The fitted function ({CURE_NAMES[self.run.cure]})",
            series=(
                Series("truth", frozen_array(self.x_plot), frozen_array(self.y_truth), role=2),
                Series("network", frozen_array(self.x_plot), frozen_array(fit), role=1),
                Series(
                    "training points",
                    frozen_array(self.X[:, 0]),
                    frozen_array(self.y),
                    style="points",
                    role=0,
                ),
            ),
            xlabel="x",
            ylabel="y",
            xlim=(-1.0, 1.0),
            ylim=(-2.0, 2.0),
        )

    def summary_text(self, train: float, val: float) -> TextPanel:
        run = self.run
        n_weights = run.model.n_params
        lines = [
            f"cure: {self.cure_text(run.cure)}",
            f"epoch {run.trainer.epoch} of {int(self.params['epochs'])}",
            "",
            f"training loss   {num(train, 4)}",
            f"validation loss {num(val, 4)}",
            "gap = val − train",
            f"    = {num(val, 4)} − {num(train, 4)} = {num(val - train, 4)}",
            "",
            f"{n_weights} weights for {len(self.X)} points.",
        ]
        if run.trainer.stopped == "early stopping":
            best = run.trainer.best_epoch
            lines += ["Stopped early: the weights of", f"epoch {best} are restored."]
        elif run.cure == "none" and len(run.val) > 10:
            best = int(np.nanargmin(run.val))
            if run.val[-1] > 1.2 * run.val[best]:
                lines += [f"Validation was best at epoch {run.epochs[best]};"]
                lines += ["it has risen since."]
        return TextPanel("Training vs validation", "\n".join(lines))

    def comparison(self) -> tuple[Bars, Table]:
        labels, values, rows = [], [], []
        for cure in self.cures:
            if cure in self.finished:
                train, val, epoch = self.finished[cure]
                labels.append(CURE_NAMES[cure])
                values.append(val)
                rows.append(
                    (CURE_NAMES[cure], num(train, 4), num(val, 4), num(val - train, 4), str(epoch))
                )
            else:
                rows.append((CURE_NAMES[cure], "…", "…", "…", ""))
        best_row = None
        if self.finished:
            best = min(self.finished, key=lambda c: self.finished[c][1])
            best_row = self.cures.index(best)
        bars = Bars(
            title="Validation loss after training (lower is better)",
            labels=tuple(labels),
            values=tuple(values),
        )
        table = Table(
            title="Every cure on the same data and seed",
            columns=("cure", "train", "val", "gap", "epochs"),
            rows=tuple(rows),
            highlight=frozenset() if best_row is None else frozenset({(best_row, 2)}),
        )
        return bars, table

    def frame(self) -> Frame:
        train, val = self.losses()
        metrics: dict[str, float] = {
            "train_loss": train,
            "val_loss": val,
            "gap": val - train,
            "epoch": float(self.run.trainer.epoch),
        }
        diverged = not (np.isfinite(train) and np.isfinite(val))
        epoch = self.run.trainer.epoch
        status = f"val {num(val, 3)} · train {num(train, 3)} · epoch {epoch}"
        status += f" · {CURE_NAMES[self.run.cure]}"
        if self.params["mode"] == "compare":
            for cure, (_, cure_val, _) in self.finished.items():
                metrics[f"val_loss_{cure}"] = cure_val
            bars, table = self.comparison()
            panels: tuple = (bars, table, self.loss_plot(), self.fit_plot())
            status += f" ({len(self.finished)}/{len(self.cures)} done)"
        else:
            panels = (self.loss_plot(), self.fit_plot(), self.summary_text(train, val))
        return Frame(
            step=self.steps_done,
            status=status,
            panels=panels,
            metrics=metrics,
            done=self.done,
            message="Training diverged."
            if diverged
            else (None if self.steps_done else start_hint()),
            level="error" if diverged else "info",
            progress=self.progress(),
        )
