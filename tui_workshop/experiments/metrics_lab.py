"""Classification metrics of one classifier: confusion matrix, formulas, ROC curve.

A small logistic model (one sigmoid neuron, ``MLP([2, 1])``) is trained
briefly when the experiment is built, on half of the data. Its scores
P(class 1) on the other half (the *evaluation set*) are fixed from then on;
moving the decision ``threshold`` only changes which scores count as
positive, so the confusion matrix, the metrics and the point on the ROC
curve follow the threshold at once without retraining.

Data sets: ``balanced`` (two gaussian blobs, half of each class) or
``imbalanced`` (class 1 is only a fraction ``ratio`` of the points), where
the "always predict 0" baseline reaches a high accuracy while finding no
positive at all.

Every number shown is computed with :mod:`tui_workshop.nn.metrics`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import num
from tui_workshop.experiments.specs import metrics_lab as spec
from tui_workshop.experiments.base import (
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

DATASETS = ("balanced", "imbalanced")
TRAIN_EPOCHS = 40
TRAIN_LR = 0.05


def counts_at(y: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[int, int, int, int]:
    """``(tp, fp, fn, tn)`` when every score >= ``threshold`` is predicted positive."""
    from tui_workshop.nn import metrics

    return metrics.binary_counts(y, (scores >= threshold).astype(int))


def formula_lines(tp: int, fp: int, fn: int, tn: int) -> list[str]:
    """The four metrics written out with the counts filled in."""
    n = tp + fp + fn + tn

    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    acc = ratio(tp + tn, n)
    prec = ratio(tp, tp + fp)
    rec = ratio(tp, tp + fn)
    f1 = ratio(2 * tp, 2 * tp + fp + fn)
    undefined = "  (no positive prediction: taken as 0)" if tp + fp == 0 else ""
    return [
        "accuracy  = (TP+TN)/N",
        f"          = ({tp}+{tn})/{n} = {num(acc, 3)}",
        "precision = TP/(TP+FP)",
        f"          = {tp}/({tp}+{fp}) = {num(prec, 3)}{undefined}",
        "recall    = TP/(TP+FN)",
        f"          = {tp}/({tp}+{fn}) = {num(rec, 3)}",
        "F1        = 2·P·R/(P+R)",
        "          = 2TP/(2TP+FP+FN)",
        f"          = {2 * tp}/({2 * tp}+{fp}+{fn}) = {num(f1, 3)}",
    ]


@register
class MetricsLab(Experiment):
    """Confusion matrix, precision/recall/F1 and ROC of a trained logistic model."""

    name: ClassVar[str] = "metrics_lab"
    title: ClassVar[str] = "Metrics"
    defaults: ClassVar[dict[str, Any]] = {
        "dataset": "balanced",
        "ratio": 0.05,  # share of class 1 in the imbalanced set
        "threshold": 0.5,
        "noise": 0.5,
        "n": 800,
        "seed": 0,
    }
    trainable: ClassVar[bool] = False
    live_params: ClassVar[frozenset[str]] = frozenset({"threshold"})

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        super().__init__(params)
        from tui_workshop.nn import MLP, datasets, metrics, optim
        from tui_workshop.nn.train import Trainer

        p = self.params
        self.require_choice("dataset", DATASETS)
        self._check_threshold(p["threshold"])
        n, seed, noise = int(p["n"]), int(p["seed"]), float(p["noise"])
        if n < 20:
            raise ParameterError("n must be at least 20 points")
        try:
            if p["dataset"] == "balanced":
                X, y = datasets.make("gauss", n=n, noise=noise, seed=seed)
            else:
                X, y = datasets.imbalanced(n=n, ratio=float(p["ratio"]), noise=noise, seed=seed)
            parts = datasets.split(X, y, val=0.5, seed=seed)
        except ValueError as error:
            raise ParameterError(str(error)) from None
        if len(np.unique(parts.y_val)) < 2:
            raise ParameterError("the evaluation half needs both classes: raise n or ratio")
        model = MLP([2, 1], output="sigmoid", seed=seed)
        optimizer = optim.make("adam", model, lr=TRAIN_LR)
        trainer = Trainer(
            model, optimizer, parts.X_train, parts.y_train, batch_size=20, epochs=TRAIN_EPOCHS,
            seed=seed,
        )  # fmt: skip
        for _ in trainer.run():
            pass
        self.model = model
        self.X, self.y = parts.X_val, parts.y_val.astype(int)
        self.scores = model.forward(self.X)[:, 0]
        self.fpr, self.tpr, self.thresholds = metrics.roc_curve(self.y, self.scores)
        self.auc = metrics.roc_auc(self.y, self.scores)

    @staticmethod
    def _check_threshold(value: Any) -> None:
        if not 0.0 <= float(value) <= 1.0:
            raise ParameterError("threshold must lie between 0 and 1")

    def set_live(self, name: str, value: Any) -> None:
        if name == "threshold":
            self._check_threshold(value)
        super().set_live(name, value)

    # ---------------------------------------------------------------- numbers
    def predictions(self) -> np.ndarray:
        """Class predicted for each evaluation point at the current threshold."""
        return (self.scores >= float(self.params["threshold"])).astype(int)

    def metric_values(self) -> dict[str, float]:
        from tui_workshop.nn import metrics

        y, yhat = self.y, self.predictions()
        tp, fp, fn, tn = metrics.binary_counts(y, yhat)
        baseline = np.zeros_like(y)
        return {
            "accuracy": metrics.accuracy(y, yhat),
            "precision": metrics.precision(y, yhat),
            "recall": metrics.recall(y, yhat),
            "f1": metrics.f1(y, yhat),
            "auc": float(self.auc),
            "threshold": float(self.params["threshold"]),
            "baseline_accuracy": metrics.accuracy(y, baseline),
            "tp": float(tp),
            "fp": float(fp),
            "fn": float(fn),
            "tn": float(tn),
            "positives": float(np.count_nonzero(y == 1)),
        }

    # ----------------------------------------------------------------- panels
    def confusion_table(self, m: dict[str, float]) -> Table:
        tp, fp, fn, tn = (int(m[k]) for k in ("tp", "fp", "fn", "tn"))
        return Table(
            title=f"Confusion matrix, threshold {num(m['threshold'], 2)}",
            columns=("", "predicted 0", "predicted 1"),
            rows=(
                ("actual 0", f"TN {tn}", f"FP {fp}"),
                ("actual 1", f"FN {fn}", f"TP {tp}"),
            ),
            highlight=frozenset({(0, 1), (1, 2)}),  # the correct predictions
        )

    def formulas(self, m: dict[str, float]) -> TextPanel:
        tp, fp, fn, tn = (int(m[k]) for k in ("tp", "fp", "fn", "tn"))
        n = tp + fp + fn + tn
        negatives = tn + fp
        lines = formula_lines(tp, fp, fn, tn)
        lines += [
            "",
            "Baseline “always predict 0”:",
            f"  accuracy = {negatives}/{n} = {num(m['baseline_accuracy'], 3)}",
            "  recall   = 0",
        ]
        if m["baseline_accuracy"] >= 0.8:
            lines += [
                f"  {round(100 * m['baseline_accuracy'])}% accuracy, yet it finds",
                "  no positive at all: accuracy misleads.",
            ]
        return TextPanel(f"Metrics on {n} evaluation points", "\n".join(lines))

    def roc_plot(self, m: dict[str, float]) -> LinePlot:
        fpr = m["fp"] / (m["fp"] + m["tn"]) if m["fp"] + m["tn"] else 0.0
        tpr = m["recall"]
        return LinePlot(
            title=f"ROC curve, AUC = {num(self.auc, 3)}",
            series=(
                Series("chance", frozen_array([0.0, 1.0]), frozen_array([0.0, 1.0]), role=2),
                Series("ROC", frozen_array(self.fpr), frozen_array(self.tpr), role=0),
                Series(
                    f"threshold {num(m['threshold'], 2)}",
                    frozen_array([fpr]),
                    frozen_array([tpr]),
                    style="points",
                    role=1,
                ),
            ),
            xlabel="false positive rate FP/(FP+TN)",
            ylabel="recall (true positive rate)",
            xlim=(0.0, 1.0),
            ylim=(0.0, 1.0),
        )

    def frame(self) -> Frame:
        m = self.metric_values()
        status = (
            f"acc {num(m['accuracy'], 3)} · F1 {num(m['f1'], 3)}"
            f" · recall {num(m['recall'], 3)} · precision {num(m['precision'], 3)}"
        )
        message = None
        if m["baseline_accuracy"] >= 0.8:
            message = (
                f"“Always predict 0” already scores {num(m['baseline_accuracy'], 3)} accuracy"
                " on this set."
            )
        return Frame(
            step=0,
            status=status,
            panels=(self.confusion_table(m), self.formulas(m), self.roc_plot(m)),
            metrics=m,
            message=message,
        )
