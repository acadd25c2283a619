"""Grid and random search over learning rate × hidden units × L2 rate.

The data set is split once into training (60 %), validation (20 %) and test
(20 %) parts. Each *trial* trains a one-hidden-layer tanh network (Adam,
minibatches of 10) with one configuration for ``epochs`` epochs and scores it
on the validation part. The best trial *by validation accuracy* is the one
we choose; only when the search is over is its test accuracy revealed, as an
honest estimate of how it does on new data.

Every trial's test accuracy is measured too, but shown only at the end, to
make a point: choosing by the test set would pick a trial whose test score
is the maximum of many noisy numbers, an optimistic estimate that no longer
measures new data.

* ``method = "grid"``: every combination of :data:`LEARNING_RATES`,
  :data:`HIDDEN_SIZES` and :data:`L2_RATES`, in order.
* ``method = "random"``: ``n_trials`` configurations drawn with ``seed``:
  learning rate and L2 rate log-uniform, hidden units a power of two.

A step trains the current trial for at most :data:`CHUNK` epochs, so a long
trial is spread over several steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from tui_workshop.experiments._common import num, param_num
from tui_workshop.experiments.base import (
    Frame,
    Heatmap,
    LinePlot,
    Series,
    Table,
    TextPanel,
    TrainerExperiment,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import hyperparameter_search as spec
from tui_workshop.i18n.message import Cat, Num, Text, lines, msg, msg_n

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
HIDDEN_SIZES = (1, 2, 4, 8, 16)
L2_RATES = (0.0, 0.01)
LR_RANGE = (1e-3, 1.0)  # random search: log-uniform
L2_RANGE = (1e-4, 0.1)  # random search: log-uniform (half the trials use no L2)
BATCH_SIZE = 10
CHUNK = 10  # epochs per step at most
TOP_ROWS = 6
GOOD_MARGIN = 0.03  # random trials this close to the best are "good"
SEARCH_OVER = "search over"  # stop reason


def l2_text(rate: float) -> Num:
    return Num(0.0, digits=0) if rate == 0 else param_num(rate)


@dataclass(frozen=True)
class Config:
    lr: float
    hidden: int
    l2: float

    def label(self) -> Text:
        return msg_n(
            "lr {rate}, {n} unit, L2 {l2}",
            "lr {rate}, {n} units, L2 {l2}",
            self.hidden,
            rate=param_num(self.lr),
            l2=l2_text(self.l2),
        )


@dataclass(frozen=True)
class Result:
    config: Config
    train_accuracy: float
    val_accuracy: float
    test_accuracy: float


def grid_configs() -> list[Config]:
    return [Config(lr, h, l2) for lr in LEARNING_RATES for h in HIDDEN_SIZES for l2 in L2_RATES]


def random_configs(n: int, seed: int) -> list[Config]:
    """``n`` configurations drawn from a generator seeded with ``seed``."""
    rng = np.random.default_rng(seed)
    configs = []
    for _ in range(n):
        lr = float(10 ** rng.uniform(math.log10(LR_RANGE[0]), math.log10(LR_RANGE[1])))
        hidden = int(2 ** rng.integers(0, 5))  # 1, 2, 4, 8 or 16
        use_l2 = rng.random() < 0.5
        l2 = float(10 ** rng.uniform(math.log10(L2_RANGE[0]), math.log10(L2_RANGE[1])))
        configs.append(Config(round(lr, 4), hidden, round(l2, 4) if use_l2 else 0.0))
    return configs


@register
class HyperparameterSearch(TrainerExperiment):
    """Search configurations by validation accuracy, confirm the winner on the test set."""

    name = "hyperparameter_search"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        super().__init__(params)
        from tui_workshop.nn import datasets

        p = self.params
        seed = p["seed"]
        X, y = datasets.make(p["dataset"], n=p["n"], noise=p["noise"], seed=seed)
        parts = datasets.split(X, y, val=0.2, test=0.2, seed=seed)
        # Scale with the training part's mean and spread only.
        self.X_train, mean, std = datasets.standardize(parts.X_train)
        self.X_val = datasets.standardize(parts.X_val, mean, std)[0]
        self.X_test = datasets.standardize(parts.X_test, mean, std)[0]
        self.y_train, self.y_val, self.y_test = parts.y_train, parts.y_val, parts.y_test
        if p["method"] == "grid":
            self.configs = grid_configs()
        else:
            self.configs = random_configs(p["n_trials"], seed)
        self.results: list[Result] = []
        self._trainer: Any = None

    # -------------------------------------------------------------- training
    def _start(self, config: Config) -> Any:
        from tui_workshop.nn import MLP, optim
        from tui_workshop.nn.train import Trainer

        seed = self.params["seed"]
        model = MLP([2, config.hidden, 1], activation="tanh", output="sigmoid", l2=config.l2,
                    seed=seed)  # fmt: skip
        return Trainer(
            model,
            optim.make("adam", model, lr=config.lr),
            self.X_train,
            self.y_train,
            batch_size=BATCH_SIZE,
            epochs=self.params["epochs"],
            seed=seed,
        )

    def _finish(self, config: Config, trainer: Any) -> Result:
        from tui_workshop.nn import metrics

        model = trainer.model
        with np.errstate(all="ignore"):
            scores = [
                metrics.accuracy(y, model.predict(X))
                for X, y in (
                    (self.X_train, self.y_train),
                    (self.X_val, self.y_val),
                    (self.X_test, self.y_test),
                )
            ]
        return Result(config, *scores)

    @property
    def total(self) -> int:
        return len(self.configs)

    def advance(self) -> None:
        """Train the current trial for at most CHUNK epochs; score it when it ends."""
        self.steps_done += 1
        config = self.configs[len(self.results)]
        if self._trainer is None:
            self._trainer = self._start(config)
        trainer = self._trainer
        for _ in range(CHUNK):
            trainer.step_epoch()
            if trainer.done:
                break
        if trainer.done:
            self.results.append(self._finish(config, trainer))
            self._trainer = None
        if len(self.results) >= self.total:
            self.stopped = SEARCH_OVER

    def stop_message(self) -> tuple[Text | None, Literal["info", "warning", "error"]]:
        if self.stopped == SEARCH_OVER:
            done = msg(
                "The search is over: the test accuracy of the chosen configuration is shown."
            )
            return done, "info"
        return super().stop_message()

    def progress(self) -> float:
        partial = 0.0
        if self._trainer is not None:
            partial = self._trainer.epoch / self.params["epochs"]
        return min((len(self.results) + partial) / self.total, 1.0)

    # ------------------------------------------------------------- choosing
    def best_by_val(self) -> Result | None:
        """The first trial with the highest validation accuracy (ties: the earlier trial)."""
        if not self.results:
            return None
        return max(self.results, key=lambda r: r.val_accuracy)

    def best_by_test(self) -> Result | None:
        """The trial a cheater would choose: highest test accuracy."""
        if not self.results:
            return None
        return max(self.results, key=lambda r: r.test_accuracy)

    # --------------------------------------------------------------- panels
    def heatmap(self) -> Heatmap:
        """Best validation accuracy per (learning rate, hidden units) cell, over L2 rates."""
        z = np.full((len(HIDDEN_SIZES), len(LEARNING_RATES)), 0.5)
        for r in self.results:
            row = HIDDEN_SIZES.index(r.config.hidden)
            col = LEARNING_RATES.index(r.config.lr)
            z[row, col] = max(z[row, col], r.val_accuracy)
        best = self.best_by_val()
        points: tuple[Series, ...] = ()
        if best is not None:
            points = (
                Series(
                    msg("best by validation"),
                    frozen_array([math.log10(best.config.lr)]),
                    frozen_array([math.log2(best.config.hidden)]),
                    style="points",
                    role=2,
                ),
            )
        return Heatmap(
            title=msg("Validation accuracy: lr × hidden units (best over L2)"),
            z=frozen_array(z),
            x_range=(math.log10(LEARNING_RATES[0]), math.log10(LEARNING_RATES[-1])),
            y_range=(math.log2(HIDDEN_SIZES[0]), math.log2(HIDDEN_SIZES[-1])),
            points=points,
            vmin=0.5,
            vmax=1.0,
            xlabel=msg("log₁₀ learning rate"),
            ylabel=msg("log₂ hidden units"),
            diverging=False,
            square=False,  # two settings, not a plane
        )

    def scatter(self) -> LinePlot:
        """Random trials as points: good ones (within GOOD_MARGIN of the best) apart."""
        best = self.best_by_val()
        good: list[Result] = []
        other: list[Result] = []
        for r in self.results:
            close = best is not None and r.val_accuracy >= best.val_accuracy - GOOD_MARGIN
            (good if close else other).append(r)

        def series(label: Text, rs: list[Result], role: int) -> Series:
            return Series(
                label,
                frozen_array([math.log10(r.config.lr) for r in rs]),
                frozen_array([math.log2(r.config.hidden) for r in rs]),
                style="points",
                role=role,
            )

        chosen = [best] if best is not None else []
        return LinePlot(
            title=msg("Random trials: where the good configurations are"),
            series=(
                series(msg("other trials"), other, 0),
                series(msg("within {margin} of best", margin=num(GOOD_MARGIN)), good, 1),
                series(msg("best by validation"), chosen, 2),
            ),
            xlabel=msg("log₁₀ learning rate"),
            ylabel=msg("log₂ hidden units"),
            xlim=(math.log10(LR_RANGE[0]), math.log10(LR_RANGE[1])),
            ylim=(-0.5, 4.5),
        )

    def table(self) -> Table:
        ranked = sorted(self.results, key=lambda r: -r.val_accuracy)[:TOP_ROWS]
        rows = tuple(
            (
                param_num(r.config.lr),
                Num(r.config.hidden, digits=0),
                l2_text(r.config.l2),
                num(r.val_accuracy, 3),
            )
            for r in ranked
        )
        return Table(
            title=msg(
                "Top trials by validation ({done} of {total})",
                done=len(self.results),
                total=self.total,
            ),
            columns=(msg("lr"), msg("units"), "L2", msg("val acc")),
            rows=rows,
            highlight=frozenset({(0, 3)}) if rows else frozenset(),
        )

    def explanation(self) -> TextPanel:
        title = msg("Choosing a configuration")
        best = self.best_by_val()
        if best is None:
            return TextPanel(title, msg("Press Run to start the search."))
        chosen = (
            msg("Chosen by validation accuracy:"),
            Cat(("  ", best.config.label())),
            Cat(("  ", msg("validation {accuracy}", accuracy=num(best.val_accuracy, 3)))),
        )
        if not self.done:
            return TextPanel(
                title,
                lines(*chosen, "", msg("The test set stays locked until\nthe search is over.")),
            )
        cheat = self.best_by_test()
        assert cheat is not None
        optimism = cheat.test_accuracy - best.test_accuracy
        honest = num(best.test_accuracy, 3)
        text = lines(
            *chosen,
            msg("  test {accuracy}: confirmed once on\n  the held-out test set.", accuracy=honest),
            "",
            msg("Why not choose on the test set?"),
            msg_n("Best test score of {n} trial:", "Best test score of {n} trials:", self.total),
            Cat(("  ", num(cheat.test_accuracy, 3), " (", cheat.config.label(), ")")),
            msg(
                "  {difference} above our honest {accuracy}.",
                difference=num(optimism, 3),
                accuracy=honest,
            ),
            msg_n(
                "The largest of {n} noisy number\nflatters its winner and no longer\n"
                "measures new data. Choose on\nvalidation; report test, once.",
                "The largest of {n} noisy numbers\nflatters its winner and no longer\n"
                "measures new data. Choose on\nvalidation; report test, once.",
                self.total,
            ),
        )
        return TextPanel(title, text)

    def draw(self) -> Frame:
        best = self.best_by_val()
        metrics: dict[str, float] = {
            "trials_done": float(len(self.results)),
            "trials_total": float(self.total),
        }
        if best is not None:
            metrics["best_val_accuracy"] = best.val_accuracy
        if self.done and best is not None:
            cheat = self.best_by_test()
            assert cheat is not None
            metrics["test_accuracy"] = best.test_accuracy
            metrics["best_test_accuracy"] = cheat.test_accuracy
            metrics["best_lr"] = best.config.lr
            metrics["best_hidden"] = float(best.config.hidden)
            metrics["best_l2"] = best.config.l2
        overview = self.heatmap() if self.params["method"] == "grid" else self.scatter()
        trials = {"done": len(self.results), "total": self.total}
        if best is None:
            status: Text = msg("trial {done}/{total}", **trials)
        elif "test_accuracy" in metrics:
            status = msg(
                "best val {best} · trial {done}/{total} · test {test}",
                best=num(best.val_accuracy, 3),
                test=num(metrics["test_accuracy"], 3),
                **trials,
            )
        else:
            status = msg(
                "best val {best} · trial {done}/{total}", best=num(best.val_accuracy, 3), **trials
            )
        message, level = self.stop_message()
        if message is None and self.steps_done == 0:
            message = msg("Press F5 to run the search.")
        return Frame(
            step=self.steps_done,
            status=status,
            panels=(overview, self.table(), self.explanation()),
            metrics=metrics,
            done=self.done,
            message=message,
            level=level,
            progress=self.progress(),
        )
