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
* ``l1``: adds rate · Σ|w| (its optimum is sparse; Adam's steps only hover near 0);
* ``dropout``: drops each hidden unit with probability ``dropout`` while training;
* ``early_stopping``: stops once the validation loss has not improved for
  ``patience`` epochs and goes back to the best epoch's weights.

``mode = "single"`` trains the chosen cure, one epoch per step.
``mode = "compare"`` trains every cure on the same data, network and seed one
after another (up to ``CHUNK`` epochs per step, fewer for big networks on
many points) and compares the final losses.
Losses shown are data losses (mean squared error, no penalty term).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from tui_workshop.experiments._common import num, param_num
from tui_workshop.experiments.base import (
    STOP_MESSAGES,
    Bars,
    Frame,
    LinePlot,
    Series,
    Table,
    TextPanel,
    TrainerExperiment,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import overfitting as spec
from tui_workshop.i18n.message import Cat, Num, Text, lines, msg, msg_n

CURES = spec.CURES
CURE_NAMES: dict[str, Text] = {
    "none": msg("no cure"),
    "l2": "L2",
    "l1": "L1",
    "dropout": msg("dropout"),
    "early_stopping": msg("early stopping"),
}
N_VAL = 200
BATCH_SIZE = 4
LEARNING_RATE = 0.01
CHUNK = 25  # epochs per step in compare mode, at most
# Compare mode: at most this many (points × weights) per step, so that a step
# of a big network on many points stays short.
WORK_PER_STEP = 2_000_000
PLOT_POINTS = 120
START_HINT = msg("Press F5 to train, F6 for one epoch.")
COMPARED = "compared"  # stop reason once every cure of compare mode has trained


@dataclass
class _Run:
    """One training run: a network, its trainer and its loss history."""

    cure: str
    model: Any
    trainer: Any
    epochs: list[float]
    train: list[float]
    val: list[float]


@register
class Overfitting(TrainerExperiment):
    """A big network on few noisy points, with and without regularisation."""

    name = "overfitting"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        super().__init__(params)
        from tui_workshop.nn import datasets

        p = self.params
        seed, noise = p["seed"], p["noise"]
        self.X, self.y = datasets.curve(p["n"], noise, seed, kind=p["dataset"])
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
        self.chunk = 1
        if p["mode"] == "compare":
            work = len(self.X) * self.run.model.n_params
            self.chunk = max(1, min(CHUNK, WORK_PER_STEP // work))

    # ------------------------------------------------------------- training
    def _new_run(self, cure: str) -> _Run:
        from tui_workshop.nn import MLP, optim
        from tui_workshop.nn.train import Trainer

        p = self.params
        rate = p["rate"]
        model = MLP(
            [1] + [p["hidden"]] * p["layers"] + [1],
            activation="tanh",
            output="identity",
            l2=rate if cure == "l2" else 0.0,
            l1=rate if cure == "l1" else 0.0,
            dropout=p["dropout"] if cure == "dropout" else 0.0,
            seed=p["seed"],
        )
        trainer = Trainer(
            model,
            optim.make("adam", model, lr=LEARNING_RATE),
            self.X,
            self.y,
            self.X_val,
            self.y_val,
            batch_size=BATCH_SIZE,
            epochs=p["epochs"],
            patience=p["patience"] if cure == "early_stopping" else None,
            seed=p["seed"],
            restore_best=cure == "early_stopping",
        )
        run = _Run(cure, model, trainer, [], [], [])
        # The base class keeps the current run's lists bounded (in place).
        self.history = {"epoch": run.epochs, "train": run.train, "val": run.val}
        return run

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
        run.epochs.append(float(snap.epoch))
        run.train.append(snap.train_loss)
        run.val.append(snap.val_loss if snap.val_loss is not None else np.nan)
        if run.trainer.done:
            train, val = self.losses()
            self.finished[run.cure] = (train, val, snap.epoch)

    def advance(self) -> None:
        """One epoch (single mode) or a chunk of epochs of the current cure (compare mode)."""
        self.steps_done += 1
        if self.run.trainer.done:  # the previous cure finished: start the next one
            self.run = self._new_run(self.cures[len(self.finished)])
        for _ in range(self.chunk):
            self._epoch()
            if self.run.trainer.done:
                break
        if len(self.finished) == len(self.cures):
            self.stopped = (
                COMPARED if self.params["mode"] == "compare" else self.run.trainer.stopped
            )

    def stop_message(self) -> tuple[Text | None, Literal["info", "warning", "error"]]:
        if self.stopped == COMPARED:
            return msg("Every cure has trained: compare their validation losses."), "info"
        return super().stop_message()

    # ------------------------------------------------------- keeping the run
    keeps_state = True

    def save_state(self) -> dict[str, Any]:
        from tui_workshop.experiments import state

        finished = np.full((len(self.cures), 3), np.nan)
        for index, cure in enumerate(self.cures):
            if cure in self.finished:
                finished[index] = self.finished[cure]
        out: dict[str, Any] = {"run_index": self.cures.index(self.run.cure), "finished": finished}
        out.update(state.prefixed("trainer", state.trainer_state(self.run.trainer)))
        return out

    def load_state(self, saved: Mapping[str, Any]) -> None:
        from tui_workshop.experiments import state

        index = state.as_int(saved["run_index"], high=len(self.cures) - 1)
        finished = np.asarray(saved["finished"], dtype=float)
        done = [i for i in range(len(self.cures)) if not np.isnan(finished[i, 2])]
        if done != list(range(len(done))) or len(done) not in (index, index + 1):
            raise state.StateError(msg("it does not match this experiment ({name})",
                                       name="finished"))
        self.finished = {
            self.cures[i]: (float(finished[i, 0]), float(finished[i, 1]), int(finished[i, 2]))
            for i in done
        }
        if index:
            self.run = self._new_run(self.cures[index])  # its lists become the history
        state.load_trainer(self.run.trainer, state.part("trainer", saved))

    # ---------------------------------------------------------------- frames
    def progress(self) -> float:
        epochs = self.params["epochs"]
        current = 0.0 if self.run.trainer.done else min(self.run.trainer.epoch / epochs, 1.0)
        return min((len(self.finished) + current) / len(self.cures), 1.0)

    def cure_text(self, cure: str) -> Text:
        p = self.params
        if cure == "l2":
            return msg("L2, rate λ = {rate}: loss + λ/2·Σw²", rate=param_num(p["rate"]))
        if cure == "l1":
            return msg("L1, rate λ = {rate}: loss + λ·Σ|w|", rate=param_num(p["rate"]))
        if cure == "dropout":
            return msg("dropout, p = {p} of hidden units off", p=param_num(p["dropout"]))
        if cure == "early_stopping":
            return msg("early stopping, patience {patience}", patience=p["patience"])
        return msg("none: plain training")

    def loss_plot(self) -> LinePlot:
        run = self.run
        epochs = frozen_array(run.epochs)
        return LinePlot(
            title=msg("Loss per epoch ({cure})", cure=CURE_NAMES[run.cure]),
            series=(
                Series(msg("training"), epochs, frozen_array(run.train), role=0),
                Series(msg("validation"), epochs, frozen_array(run.val), role=1),
            ),
            xlabel=msg("epoch"),
            ylabel=msg("mean squared error"),
            logy=bool(run.epochs),  # a log axis with no data breaks some plotters
        )

    def fit_plot(self) -> LinePlot:
        with np.errstate(all="ignore"):
            fit = self.run.model.forward(self.x_plot[:, None])[:, 0]
        fit = np.clip(np.nan_to_num(fit), -3.0, 3.0)
        return LinePlot(
            title=msg("The fitted function ({cure})", cure=CURE_NAMES[self.run.cure]),
            series=(
                Series(msg("truth"), frozen_array(self.x_plot), frozen_array(self.y_truth), role=2),
                Series(msg("network"), frozen_array(self.x_plot), frozen_array(fit), role=1),
                Series(
                    msg("training points"),
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
        note: Text | None = None
        if run.trainer.stopped == "early stopping":
            note = msg(
                "Stopped early: the weights of\nepoch {epoch} are restored.",
                epoch=run.trainer.best_epoch,
            )
        elif run.cure == "none" and len(run.val) > 10:
            best = int(np.nanargmin(run.val))
            if run.val[-1] > 1.2 * run.val[best]:
                note = msg(
                    "Validation was best at epoch {epoch};\nit has risen since.",
                    epoch=int(run.epochs[best]),
                )
        text = lines(
            msg("cure: {cure}", cure=self.cure_text(run.cure)),
            msg("epoch {epoch} of {epochs}", epoch=run.trainer.epoch, epochs=self.params["epochs"]),
            "",
            msg("training loss   {loss}", loss=num(train, 4)),
            msg("validation loss {loss}", loss=num(val, 4)),
            msg("gap = val − train"),
            Cat(("    = ", num(val, 4), " − ", num(train, 4), " = ", num(val - train, 4))),
            "",
            msg_n(
                "{weights} weights for {n} point.",
                "{weights} weights for {n} points.",
                len(self.X),
                weights=run.model.n_params,
            ),
            note,
        )
        return TextPanel(msg("Training vs validation"), text)

    def comparison(self) -> tuple[Bars, Table]:
        labels: list[Text] = []
        values: list[float] = []
        rows: list[tuple[Text, ...]] = []
        for cure in self.cures:
            if cure in self.finished:
                train, val, epoch = self.finished[cure]
                labels.append(CURE_NAMES[cure])
                values.append(val)
                rows.append(
                    (
                        CURE_NAMES[cure],
                        num(train, 4),
                        num(val, 4),
                        num(val - train, 4),
                        Num(epoch, digits=0),
                    )
                )
            else:
                rows.append((CURE_NAMES[cure], "…", "…", "…", ""))
        best_row = None
        if self.finished:
            best = min(self.finished, key=lambda c: self.finished[c][1])
            best_row = self.cures.index(best)
        bars = Bars(
            title=msg("Validation loss after training (lower is better)"),
            labels=tuple(labels),
            values=tuple(values),
        )
        table = Table(
            title=msg("Every cure on the same data and seed"),
            columns=(msg("cure"), msg("train"), msg("val"), msg("gap"), msg("epochs")),
            rows=tuple(rows),
            highlight=frozenset() if best_row is None else frozenset({(best_row, 2)}),
        )
        return bars, table

    def draw(self) -> Frame:
        train, val = self.losses()
        epoch = self.run.trainer.epoch
        metrics: dict[str, float] = {
            "train_loss": train,
            "val_loss": val,
            "gap": val - train,
            "epoch": float(epoch),
        }
        numbers = {
            "val": num(val, 3),
            "train": num(train, 3),
            "epoch": epoch,
            "cure": CURE_NAMES[self.run.cure],
        }
        if self.params["mode"] == "compare":
            for cure, (_, cure_val, _) in self.finished.items():
                metrics[f"val_loss_{cure}"] = cure_val
            bars, table = self.comparison()
            panels: tuple = (bars, table, self.loss_plot(), self.fit_plot())
            status = msg(
                "val {val} · train {train} · epoch {epoch} · {cure} ({done}/{total} done)",
                done=len(self.finished),
                total=len(self.cures),
                **numbers,
            )
        else:
            panels = (self.loss_plot(), self.fit_plot(), self.summary_text(train, val))
            status = msg("val {val} · train {train} · epoch {epoch} · {cure}", **numbers)
        message, level = self.stop_message()
        if not (np.isfinite(train) and np.isfinite(val)):
            message, level = STOP_MESSAGES["diverged"]
        elif message is None and self.steps_done == 0:
            message = START_HINT
        return Frame(
            step=self.steps_done,
            status=status,
            panels=panels,
            metrics=metrics,
            done=self.done,
            message=message,
            level=level,
            progress=self.progress(),
        )
