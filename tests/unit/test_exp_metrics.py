"""The metrics lab: every number shown equals nn.metrics on the same scores."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.unit.experiment_checks import english_words, frame_texts, language, lesson_problems
from tui_workshop.experiments import (
    REGISTRY,
    LinePlot,
    ParameterError,
    Table,
    TextPanel,
    create,
)
from tui_workshop.experiments.metrics_lab import MetricsLab, formula_lines
from tui_workshop.i18n import render
from tui_workshop.nn import metrics


@pytest.fixture(scope="module")
def balanced():
    return MetricsLab({"dataset": "balanced", "noise": 0.5})


@pytest.fixture(scope="module")
def imbalanced():
    return MetricsLab({"dataset": "imbalanced", "ratio": 0.05, "noise": 0.3})


def _float(text: str) -> float:
    return float(text.replace("−", "-"))


def test_registered_with_panels(balanced):
    assert REGISTRY["metrics_lab"] is MetricsLab
    assert not MetricsLab.trainable and balanced.done
    frame = balanced.frame()
    assert [type(p) for p in frame.panels] == [Table, TextPanel, LinePlot]
    for key in ("accuracy", "precision", "recall", "f1", "auc", "threshold"):
        assert 0.0 <= frame.metrics[key] <= 1.0


@pytest.mark.parametrize("threshold", [0.0, 0.15, 0.5, 0.85, 1.0])
def test_metrics_equal_engine(balanced, threshold):
    balanced.set_live("threshold", threshold)
    frame = balanced.frame()
    yhat = (balanced.scores >= threshold).astype(int)
    y = balanced.y
    m = frame.metrics
    assert m["accuracy"] == pytest.approx(metrics.accuracy(y, yhat))
    assert m["precision"] == pytest.approx(metrics.precision(y, yhat))
    assert m["recall"] == pytest.approx(metrics.recall(y, yhat))
    assert m["f1"] == pytest.approx(metrics.f1(y, yhat))
    assert m["threshold"] == threshold
    (tn, fp), (fn, tp) = metrics.confusion_matrix(y, yhat, n_classes=2)
    table = frame.panels[0]
    assert tuple(tuple(render(cell) for cell in row) for row in table.rows) == (
        ("actual 0", f"TN {tn}", f"FP {fp}"),
        ("actual 1", f"FN {fn}", f"TP {tp}"),
    )


def test_formulas_show_live_counts(balanced):
    balanced.set_live("threshold", 0.35)
    frame = balanced.frame()
    text = render(frame.panels[1].text)
    tp, fp, fn = (int(frame.metrics[k]) for k in ("tp", "fp", "fn"))
    match = re.search(r"= (\d+)/\((\d+)\+(\d+)\) = (\d\.\d+)", text.split("precision")[1])
    assert match is not None
    assert (int(match[1]), int(match[2]), int(match[3])) == (tp, tp, fp)
    assert _float(match[4]) == pytest.approx(frame.metrics["precision"], abs=5e-4)
    recall = re.search(r"= (\d+)/\((\d+)\+(\d+)\) = (\d\.\d+)", text.split("recall")[1])
    assert (int(recall[1]), int(recall[3])) == (tp, fn)
    assert _float(recall[4]) == pytest.approx(frame.metrics["recall"], abs=5e-4)


def test_formula_lines_for_known_counts():
    lines = "\n".join(render(line) for line in formula_lines(tp=40, fp=5, fn=10, tn=145))
    assert "40/(40+5) = 0.889" in lines
    assert "40/(40+10) = 0.800" in lines
    assert "80/(80+5+10) = 0.842" in lines
    assert "(40+145)/200 = 0.925" in lines


def test_threshold_moves_counts_monotonically(imbalanced):
    recalls, fps, precisions_defined = [], [], []
    for threshold in np.linspace(0.0, 1.0, 21):
        imbalanced.set_live("threshold", float(threshold))
        m = imbalanced.frame().metrics
        recalls.append(m["recall"])
        fps.append(m["fp"])
        precisions_defined.append(m["tp"] + m["fp"] > 0)
        assert m["tp"] + m["fn"] == m["positives"]
    assert recalls[0] == 1.0  # threshold 0: everything is called 1
    assert bool(np.all(np.diff(recalls) <= 0))
    assert bool(np.all(np.diff(fps) <= 0))
    assert recalls[-1] < recalls[0]


def test_auc_matches_engine_and_ranking(imbalanced):
    frame = imbalanced.frame()
    y, s = imbalanced.y, imbalanced.scores
    assert frame.metrics["auc"] == pytest.approx(metrics.roc_auc(y, s))
    # AUC is the chance a random positive outranks a random negative (ties count half)
    pos, neg = s[y == 1], s[y == 0]
    wins = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
    assert frame.metrics["auc"] == pytest.approx(wins)
    assert "AUC = " in render(frame.panels[2].title)


def test_roc_point_lies_on_the_curve(balanced):
    for threshold in (0.2, 0.5, 0.9):
        balanced.set_live("threshold", threshold)
        roc = balanced.frame().panels[2]
        curve = next(s for s in roc.series if render(s.label) == "ROC")
        point = next(s for s in roc.series if s.style == "points")
        distances = np.hypot(curve.x - point.x[0], curve.y - point.y[0])
        assert distances.min() < 1e-12


def test_imbalanced_baseline_accuracy_is_high(imbalanced):
    imbalanced.set_live("threshold", 0.5)
    frame = imbalanced.frame()
    m = frame.metrics
    baseline = metrics.accuracy(imbalanced.y, np.zeros_like(imbalanced.y))
    assert m["baseline_accuracy"] == pytest.approx(baseline)
    assert baseline >= 0.9
    assert m["positives"] / len(imbalanced.y) == pytest.approx(1 - baseline)
    assert "always predict 0" in render(frame.panels[1].text)
    assert "95% accuracy, yet it finds" in render(frame.panels[1].text)
    assert frame.message is not None and "0.950" in render(frame.message)
    # the balanced set has no such warning
    assert create("metrics_lab", {"dataset": "balanced"}).frame().message is None


def test_construction_is_deterministic():
    a = MetricsLab({"dataset": "imbalanced", "seed": 3})
    b = MetricsLab({"dataset": "imbalanced", "seed": 3})
    np.testing.assert_array_equal(a.scores, b.scores)
    assert a.frame().metrics == b.frame().metrics


@pytest.mark.parametrize(
    "params",
    [{"dataset": "nope"}, {"threshold": 1.5}, {"ratio": 0.0, "dataset": "imbalanced"}, {"n": 5},
     {"n": 1_000_000_000}, {"noise": 2.0}, {"n": 20, "dataset": "imbalanced"}],
)  # fmt: skip
def test_bad_parameters(params):
    with pytest.raises(ParameterError):
        MetricsLab(params)


def test_only_threshold_is_live(balanced):
    with pytest.raises(ParameterError):
        balanced.set_live("noise", 0.1)
    with pytest.raises(ParameterError):
        balanced.set_live("threshold", -0.1)


def test_no_positive_prediction_is_explained():
    lines = [render(line) for line in formula_lines(tp=0, fp=0, fn=4, tn=6)]
    assert "          = 0/(0+0) = 0.000  (no positive prediction: taken as 0)" in lines


def test_schema_contains_the_shipped_lesson():
    assert lesson_problems(MetricsLab.SCHEMA, "09-metrics.md") == []
    assert MetricsLab.live_params == {"threshold"}
    assert MetricsLab.SCHEMA["n"].max <= 10_000


@pytest.mark.parametrize("threshold", [0.0, 0.5, 1.0])
def test_every_text_is_translated_in_the_pseudo_locale(imbalanced, threshold):
    imbalanced.set_live("threshold", threshold)
    with language():
        texts = frame_texts(imbalanced.frame())
    # TP, FP... and F1 are the names of the counts in formulas
    assert english_words(texts) == []
    assert any("⟦" in t for t in texts)
