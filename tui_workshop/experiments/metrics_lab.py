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

from tui_workshop.experiments._common import formula, num, percent
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
from tui_workshop.experiments.schema import excerpt
from tui_workshop.experiments.specs import metrics_lab as spec
from tui_workshop.i18n.message import Text, lines, msg, msg_n

TRAIN_EPOCHS = 40
TRAIN_LR = 0.05


def counts_at(y: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[int, int, int, int]:
    """``(tp, fp, fn, tn)`` when every score >= ``threshold`` is predicted positive."""
    from tui_workshop.nn import metrics

    return metrics.binary_counts(y, (scores >= threshold).astype(int))


def formula_lines(tp: int, fp: int, fn: int, tn: int) -> list[Text]:
    """The four metrics written out with the counts filled in."""
    n = tp + fp + fn + tn

    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    acc = ratio(tp + tn, n)
    prec = ratio(tp, tp + fp)
    rec = ratio(tp, tp + fn)
    f1 = ratio(2 * tp, 2 * tp + fp + fn)
    precision: Text = formula("          = {tp}/({tp}+{fp}) = {p}", tp=tp, fp=fp, p=num(prec, 3))
    if tp + fp == 0:
        precision = msg("{formula}  (no positive prediction: taken as 0)", formula=precision)
    return [
        msg("accuracy  = (TP+TN)/N"),
        formula("          = ({tp}+{tn})/{n} = {a}", tp=tp, tn=tn, n=n, a=num(acc, 3)),
        msg("precision = TP/(TP+FP)"),
        precision,
        msg("recall    = TP/(TP+FN)"),
        formula("          = {tp}/({tp}+{fn}) = {r}", tp=tp, fn=fn, r=num(rec, 3)),
        "F1        = 2·P·R/(P+R)",
        "          = 2TP/(2TP+FP+FN)",
        formula("          = {a}/({a}+{fp}+{fn}) = {f}", a=2 * tp, fp=fp, fn=fn, f=num(f1, 3)),
    ]


@register
class MetricsLab(Experiment):
    """Confusion matrix, precision/recall/F1 and ROC of a trained logistic model."""

    name: ClassVar[str] = "metrics_lab"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        super().__init__(params)
        from tui_workshop.nn import MLP, datasets, metrics, optim
        from tui_workshop.nn.train import Trainer

        p = self.params
        n, seed, noise = p["n"], p["seed"], p["noise"]
        try:
            if p["dataset"] == "balanced":
                X, y = datasets.make("gauss", n=n, noise=noise, seed=seed)
            else:
                X, y = datasets.imbalanced(n=n, ratio=p["ratio"], noise=noise, seed=seed)
            parts = datasets.split(X, y, val=0.5, seed=seed)
        except ValueError as error:  # the schema's bounds should make this unreachable
            raise ParameterError(
                msg("cannot make this data set: {reason}", reason=excerpt(error, 80))
            ) from None
        if len(np.unique(parts.y_val)) < 2:
            raise ParameterError(
                msg("the evaluation half needs both classes: raise n or the class-1 share")
            )
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
            title=msg("Confusion matrix, threshold {threshold}", threshold=num(m["threshold"], 2)),
            columns=("", msg("predicted 0"), msg("predicted 1")),
            rows=(
                (msg("actual 0"), msg("TN {n}", n=tn), msg("FP {n}", n=fp)),
                (msg("actual 1"), msg("FN {n}", n=fn), msg("TP {n}", n=tp)),
            ),
            highlight=frozenset({(0, 1), (1, 2)}),  # the correct predictions
        )

    def formulas(self, m: dict[str, float]) -> TextPanel:
        tp, fp, fn, tn = (int(m[k]) for k in ("tp", "fp", "fn", "tn"))
        n = tp + fp + fn + tn
        negatives = tn + fp
        text = formula_lines(tp, fp, fn, tn)
        text += [
            "",
            msg("Baseline “always predict 0”:"),
            msg("  accuracy = {negatives}/{n} = {accuracy}", negatives=negatives, n=n,
                accuracy=num(m["baseline_accuracy"], 3)),
            msg("  recall   = 0"),
        ]
        if m["baseline_accuracy"] >= 0.8:
            text += [
                msg("  {percent} accuracy, yet it finds",
                    percent=percent(m["baseline_accuracy"])),
                msg("  no positive at all: accuracy misleads."),
            ]
        title = msg_n("Metrics on {n} evaluation point", "Metrics on {n} evaluation points", n)
        return TextPanel(title, lines(*text))

    def roc_plot(self, m: dict[str, float]) -> LinePlot:
        fpr = m["fp"] / (m["fp"] + m["tn"]) if m["fp"] + m["tn"] else 0.0
        tpr = m["recall"]
        return LinePlot(
            title=msg("ROC curve, AUC = {auc}", auc=num(self.auc, 3)),
            series=(
                Series(msg("chance"), frozen_array([0.0, 1.0]), frozen_array([0.0, 1.0]), role=2),
                Series(msg("ROC"), frozen_array(self.fpr), frozen_array(self.tpr), role=0),
                Series(
                    msg("threshold {threshold}", threshold=num(m["threshold"], 2)),
                    frozen_array([fpr]),
                    frozen_array([tpr]),
                    style="points",
                    role=1,
                ),
            ),
            xlabel=msg("false positive rate FP/(FP+TN)"),
            ylabel=msg("recall (true positive rate)"),
            xlim=(0.0, 1.0),
            ylim=(0.0, 1.0),
        )

    def frame(self) -> Frame:
        m = self.metric_values()
        status = msg(
            "F1 {f1} · recall {recall} · precision {precision} · acc {accuracy}",
            accuracy=num(m["accuracy"], 3),
            f1=num(m["f1"], 3),
            recall=num(m["recall"], 3),
            precision=num(m["precision"], 3),
        )
        message = None
        if m["baseline_accuracy"] >= 0.8:
            message = msg(
                "“Always predict 0” already scores {accuracy} accuracy on this set.",
                accuracy=num(m["baseline_accuracy"], 3),
            )
        return Frame(
            step=0,
            status=status,
            panels=(self.confusion_table(m), self.formulas(m), self.roc_plot(m)),
            metrics=m,
            message=message,
        )
