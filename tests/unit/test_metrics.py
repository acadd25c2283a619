"""Tests for the metrics, against values computed by hand."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_workshop.nn import metrics as m

# A small binary example counted by hand:
#   y    = 1 1 1 0 0 0 0 1
#   yhat = 1 0 1 0 1 0 0 1
# TP = 3 (idx 0, 2, 7), FN = 1 (idx 1), FP = 1 (idx 4), TN = 3 (idx 3, 5, 6).
Y = np.array([1, 1, 1, 0, 0, 0, 0, 1])
YHAT = np.array([1, 0, 1, 0, 1, 0, 0, 1])


def test_binary_metrics_by_hand():
    assert m.binary_counts(Y, YHAT) == (3, 1, 1, 3)
    assert m.accuracy(Y, YHAT) == pytest.approx(6 / 8)
    assert m.precision(Y, YHAT) == pytest.approx(3 / 4)
    assert m.recall(Y, YHAT) == pytest.approx(3 / 4)
    assert m.f1(Y, YHAT) == pytest.approx(3 / 4)
    np.testing.assert_array_equal(m.confusion_matrix(Y, YHAT), [[3, 1], [1, 3]])


def test_precision_and_recall_differ_when_errors_are_lopsided():
    y = np.array([1, 1, 1, 1, 0, 0])
    yhat = np.array([1, 0, 0, 0, 0, 0])  # cautious: one TP, three FN, no FP
    assert m.precision(y, yhat) == 1.0
    assert m.recall(y, yhat) == pytest.approx(0.25)
    assert m.f1(y, yhat) == pytest.approx(2 * 1.0 * 0.25 / 1.25)


def test_multiclass_confusion_matrix_and_macro_scores():
    y = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    yhat = np.array([0, 1, 1, 1, 2, 2, 2, 0, 2])
    expected = np.array([[1, 1, 0], [0, 2, 1], [1, 0, 3]])  # rows true, cols predicted
    np.testing.assert_array_equal(m.confusion_matrix(y, yhat), expected)
    assert m.accuracy(y, yhat) == pytest.approx(6 / 9)
    # Per class precision: 1/2, 2/3, 3/4; recall: 1/2, 2/3, 3/4.
    assert m.precision(y, yhat, average="macro") == pytest.approx((1 / 2 + 2 / 3 + 3 / 4) / 3)
    assert m.recall(y, yhat, average="macro") == pytest.approx((1 / 2 + 2 / 3 + 3 / 4) / 3)
    assert m.f1(y, yhat, average="macro") == pytest.approx((1 / 2 + 2 / 3 + 3 / 4) / 3)
    # A class never predicted and never present still gets its row and column.
    assert m.confusion_matrix([0, 1], [1, 1], n_classes=4).shape == (4, 4)


def test_confusion_matrix_rejects_labels_out_of_range():
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.1"):
        m.confusion_matrix([0, 2], [0, 1], n_classes=2)


def test_zero_division_gives_zero_without_warnings():
    y = np.array([1, 1, 0])
    never = np.array([0, 0, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert m.precision(y, never) == 0.0
        assert m.f1(y, never) == 0.0
        assert m.recall(np.zeros(3, dtype=int), never) == 0.0
        assert m.accuracy([], []) == 0.0
        assert m.mse([], []) == 0.0


def test_invalid_average_and_shapes():
    with pytest.raises(ValueError, match="average"):
        m.precision(Y, YHAT, average="micro")
    with pytest.raises(ValueError, match="differ in length"):
        m.accuracy([0, 1], [0])
    # Column vectors are accepted like flat ones.
    assert m.accuracy(Y[:, None], YHAT) == pytest.approx(0.75)


# ROC ---------------------------------------------------------------------------


def test_roc_of_perfect_random_and_inverted_scorers():
    y = np.array([0, 0, 0, 1, 1, 1])
    scores = np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9])
    assert m.roc_auc(y, scores) == 1.0
    assert m.roc_auc(y, -scores) == 0.0
    assert m.roc_auc(y, np.full(6, 0.5)) == 0.5  # all tied: one diagonal step


def test_roc_curve_with_ties_by_hand():
    y = np.array([1, 0, 1, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.8, 0.6, 0.6, 0.1])
    fpr, tpr, thresholds = m.roc_curve(y, scores)
    # score >= 0.9: 1 TP; >= 0.8: TP 2, FP 1; >= 0.6: TP 3, FP 2; >= 0.1: all.
    np.testing.assert_array_equal(thresholds, [np.inf, 0.9, 0.8, 0.6, 0.1])
    np.testing.assert_allclose(tpr, [0, 1 / 3, 2 / 3, 1, 1])
    np.testing.assert_allclose(fpr, [0, 0, 1 / 3, 2 / 3, 1])
    # Area: trapezoids 0 + (1/3)(1/3+2/3)/2 + (1/3)(2/3+1)/2 + (1/3)(1) = 7/9.
    assert m.auc(fpr, tpr) == pytest.approx(7 / 9)
    # Same as counting (positive, negative) pairs ranked right, ties counting half: 7 of 9.
    pos, neg = scores[y == 1], scores[y == 0]
    pairs = (pos[:, None] > neg).sum() + 0.5 * (pos[:, None] == neg).sum()
    assert m.roc_auc(y, scores) == pytest.approx(pairs / 9)


def test_auc_trapezoid_and_direction():
    assert m.auc([0, 1, 2], [0, 1, 0]) == pytest.approx(1.0)
    assert m.auc([2, 1, 0], [0, 1, 0]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="monotonic"):
        m.auc([0, 2, 1], [0, 1, 0])


def test_roc_auc_needs_both_classes():
    with pytest.raises(ValueError, match="both"):
        m.roc_auc([1, 1, 1], [0.2, 0.5, 0.9])
    fpr, tpr, _ = m.roc_curve([1, 1], [0.2, 0.9])
    np.testing.assert_array_equal(fpr, 0.0)  # no negatives: rate 0, no warning
    np.testing.assert_allclose(tpr, [0.0, 0.5, 1.0])


@settings(max_examples=50, deadline=None)
@given(data=st.lists(st.tuples(st.integers(0, 1), st.integers(-20, 20)), min_size=2, max_size=40))
def test_roc_auc_equals_pair_ranking_and_ignores_monotone_transforms(data):
    y = np.array([d[0] for d in data])
    scores = np.array([d[1] for d in data], dtype=float)
    if y.min() == y.max():
        return
    auc_value = m.roc_auc(y, scores)
    pos, neg = scores[y == 1], scores[y == 0]
    pairs = (pos[:, None] > neg).mean() + 0.5 * (pos[:, None] == neg).mean()
    assert auc_value == pytest.approx(pairs)
    assert m.roc_auc(y, np.exp(scores / 5) * 3 + 1) == pytest.approx(auc_value)
    fpr, tpr, _ = m.roc_curve(y, scores)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
    assert fpr[-1] == tpr[-1] == 1.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=30))
def test_scores_lie_in_unit_interval_and_matrix_counts_everything(pairs):
    y = np.array([p[0] for p in pairs])
    yhat = np.array([p[1] for p in pairs])
    for score in (m.accuracy(y, yhat), m.f1(y, yhat), m.precision(y, yhat, average="macro")):
        assert 0.0 <= score <= 1.0
    cm = m.confusion_matrix(y, yhat, n_classes=3)
    assert cm.sum() == len(y)
    assert np.trace(cm) / len(y) == pytest.approx(m.accuracy(y, yhat))


# Log loss and regression ---------------------------------------------------------


def test_log_loss_binary_and_multiclass_by_hand():
    y = np.array([1, 0, 1])
    p = np.array([0.9, 0.2, 0.5])
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.5)) / 3
    assert m.log_loss(y, p) == pytest.approx(expected)
    assert m.log_loss(y, p[:, None]) == pytest.approx(expected)
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    assert m.log_loss([0, 1], probs) == pytest.approx(-(math.log(0.7) + math.log(0.1)) / 2)


def test_log_loss_is_finite_for_confident_mistakes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = m.log_loss([1, 0], [0.0, 1.0])
    assert math.isfinite(loss) and loss == pytest.approx(-math.log(1e-15), rel=1e-3)
    assert m.log_loss([1, 0], [0.0, 1.0], eps=1e-3) == pytest.approx(-math.log(1e-3))


def test_regression_metrics_by_hand():
    y = np.array([3.0, -0.5, 2.0, 7.0])
    yhat = np.array([2.5, 0.0, 2.0, 8.0])
    assert m.mse(y, yhat) == pytest.approx((0.25 + 0.25 + 0 + 1) / 4)
    assert m.mae(y, yhat) == pytest.approx((0.5 + 0.5 + 0 + 1) / 4)
    ss_tot = np.sum((y - y.mean()) ** 2)  # 29.1875
    assert m.r2(y, yhat) == pytest.approx(1 - 1.5 / ss_tot)
    assert m.r2(y, yhat[:, None]) == pytest.approx(1 - 1.5 / ss_tot)
    assert m.r2(y, np.full(4, y.mean())) == pytest.approx(0.0)
    assert m.r2(y, y) == 1.0


def test_r2_with_constant_targets():
    assert m.r2([2.0, 2.0], [2.0, 2.0]) == 1.0
    assert m.r2([2.0, 2.0], [1.0, 3.0]) == 0.0


def test_regression_shape_mismatch():
    with pytest.raises(ValueError, match="differ in shape"):
        m.mse(np.zeros(3), np.zeros(4))
