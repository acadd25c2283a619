"""Classification and regression metrics, written out in plain NumPy.

Conventions: labels are class indices; ``(n, 1)`` columns are accepted
wherever ``(n,)`` is. Undefined ratios (precision with no positive
prediction, recall with no positive sample, ...) are 0.0 and raise no
warning, as are the metrics of empty inputs.
"""

from __future__ import annotations

import numpy as np


def _vector(a, name: str) -> np.ndarray:
    a = np.asarray(a)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise ValueError(f"{name} must be a vector of shape (n,) or (n, 1), got {a.shape}")
    return a


def _pair(y, yhat, names=("y", "yhat")):
    y, yhat = _vector(y, names[0]), _vector(yhat, names[1])
    if len(y) != len(yhat):
        raise ValueError(f"{names[0]} and {names[1]} differ in length: {len(y)} != {len(yhat)}")
    return y, yhat


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else 0.0


def accuracy(y, yhat) -> float:
    """Fraction of predictions equal to the labels."""
    y, yhat = _pair(y, yhat)
    return _ratio(int(np.count_nonzero(y == yhat)), len(y))


def confusion_matrix(y, yhat, n_classes: int | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` of samples of true class ``i`` predicted as ``j``.

    Rows are true classes, columns predicted ones; ``n_classes`` defaults to
    the largest label seen plus one.
    """
    y, yhat = _pair(y, yhat)
    y, yhat = y.astype(np.int64), yhat.astype(np.int64)
    if n_classes is None:
        n_classes = int(max(y.max(initial=-1), yhat.max(initial=-1))) + 1
    if len(y) and (min(y.min(), yhat.min()) < 0 or max(y.max(), yhat.max()) >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}")
    counts = np.bincount(y * n_classes + yhat, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes)


def binary_counts(y, yhat, pos_label=1) -> tuple[int, int, int, int]:
    """``(tp, fp, fn, tn)`` for the class ``pos_label`` against the rest."""
    y, yhat = _pair(y, yhat)
    actual, predicted = y == pos_label, yhat == pos_label
    tp = int(np.count_nonzero(actual & predicted))
    fp = int(np.count_nonzero(~actual & predicted))
    fn = int(np.count_nonzero(actual & ~predicted))
    tn = int(np.count_nonzero(~actual & ~predicted))
    return tp, fp, fn, tn


def _per_class(y, yhat, average: str, pos_label, score) -> float:
    y, yhat = _pair(y, yhat)
    if average == "binary":
        return score(*binary_counts(y, yhat, pos_label))
    if average == "macro":
        labels = np.union1d(y, yhat)
        if len(labels) == 0:
            return 0.0
        return float(np.mean([score(*binary_counts(y, yhat, c)) for c in labels]))
    raise ValueError(f"average must be 'binary' or 'macro', got {average!r}")


def _precision(tp, fp, fn, tn):
    return _ratio(tp, tp + fp)


def _recall(tp, fp, fn, tn):
    return _ratio(tp, tp + fn)


def _f1(tp, fp, fn, tn):
    return _ratio(2 * tp, 2 * tp + fp + fn)  # = 2PR / (P + R)


def precision(y, yhat, average: str = "binary", pos_label=1) -> float:
    """TP / (TP + FP): of the predicted positives, how many are right.

    ``average="macro"`` averages the per-class precisions over every class
    present in ``y`` or ``yhat``.
    """
    return _per_class(y, yhat, average, pos_label, _precision)


def recall(y, yhat, average: str = "binary", pos_label=1) -> float:
    """TP / (TP + FN): of the actual positives, how many were found."""
    return _per_class(y, yhat, average, pos_label, _recall)


def f1(y, yhat, average: str = "binary", pos_label=1) -> float:
    """Harmonic mean of precision and recall (macro: mean of per-class F1)."""
    return _per_class(y, yhat, average, pos_label, _f1)


def roc_curve(y, scores):
    """ROC curve of binary labels ``y`` (1 positive) ranked by ``scores``.

    Returns ``(fpr, tpr, thresholds)``: point ``i`` classifies as positive
    every sample with ``score >= thresholds[i]``. Thresholds are the distinct
    scores in decreasing order after a first ``inf`` giving (0, 0), so tied
    scores move the curve diagonally in one step. When a class is absent its
    rate is 0 throughout.
    """
    y, scores = _pair(y, scores, ("y", "scores"))
    scores = scores.astype(np.float64)
    order = np.argsort(-scores, kind="stable")
    scores, positive = scores[order], (y[order] == 1)
    # Last index of each run of equal scores.
    last = np.flatnonzero(np.diff(scores) != 0)
    last = np.append(last, len(scores) - 1) if len(scores) else last
    tps = np.cumsum(positive)[last]
    fps = (last + 1) - tps
    n_pos, n_neg = int(positive.sum()), len(positive) - int(positive.sum())
    tpr = np.concatenate([[0.0], tps / n_pos if n_pos else np.zeros(len(tps))])
    fpr = np.concatenate([[0.0], fps / n_neg if n_neg else np.zeros(len(fps))])
    thresholds = np.concatenate([[np.inf], scores[last]])
    return fpr, tpr, thresholds


def auc(x, y) -> float:
    """Area under the curve through points ``(x, y)`` by the trapezoid rule.

    ``x`` must be monotonic (increasing or decreasing).
    """
    x, y = _pair(x, y, ("x", "y"))
    x, y = x.astype(np.float64), y.astype(np.float64)
    if len(x) < 2:
        return 0.0
    dx = np.diff(x)
    if np.all(dx >= 0):
        sign = 1.0
    elif np.all(dx <= 0):
        sign = -1.0
    else:
        raise ValueError("x must be monotonic")
    return float(sign * np.sum(dx * (y[1:] + y[:-1]) / 2.0))


def roc_auc(y, scores) -> float:
    """Area under the ROC curve: the chance a random positive outranks a random negative.

    Raises ``ValueError`` unless ``y`` holds both classes.
    """
    y = _vector(y, "y")
    n_pos = int(np.count_nonzero(y == 1))
    if n_pos == 0 or n_pos == len(y):
        raise ValueError("ROC AUC needs both positive and negative samples")
    fpr, tpr, _ = roc_curve(y, scores)
    return auc(fpr, tpr)


def log_loss(y, p, eps: float = 1e-15) -> float:
    """Mean cross-entropy of labels ``y`` under predicted probabilities ``p``.

    Binary: ``p`` is P(class 1), shape ``(n,)`` or ``(n, 1)``. Multiclass:
    ``p`` has shape ``(n, k)`` and ``y`` holds class indices. Probabilities
    are clipped to ``[eps, 1 - eps]`` so a confident mistake costs a large
    but finite loss.
    """
    y = _vector(y, "y")
    p = np.asarray(p, dtype=np.float64)
    if p.ndim == 2 and p.shape[1] > 1:
        if len(p) != len(y):
            raise ValueError(f"y and p differ in length: {len(y)} != {len(p)}")
        if len(y) == 0:
            return 0.0
        picked = p[np.arange(len(y)), y.astype(np.int64)]
        return float(-np.mean(np.log(np.clip(picked, eps, 1.0))))
    y, p = _pair(y, p, ("y", "p"))
    if len(y) == 0:
        return 0.0
    p = np.clip(p.astype(np.float64), eps, 1.0 - eps)
    y = y.astype(np.float64)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def _regression_pair(y, yhat):
    y, yhat = np.asarray(y, dtype=np.float64), np.asarray(yhat, dtype=np.float64)
    if y.ndim == 2 and y.shape[1] == 1 and yhat.ndim == 1:
        y = y[:, 0]
    if yhat.ndim == 2 and yhat.shape[1] == 1 and y.ndim == 1:
        yhat = yhat[:, 0]
    if y.shape != yhat.shape:
        raise ValueError(f"y and yhat differ in shape: {y.shape} != {yhat.shape}")
    return y, yhat


def mse(y, yhat) -> float:
    """Mean squared error."""
    y, yhat = _regression_pair(y, yhat)
    return float(np.mean((y - yhat) ** 2)) if y.size else 0.0


def mae(y, yhat) -> float:
    """Mean absolute error."""
    y, yhat = _regression_pair(y, yhat)
    return float(np.mean(np.abs(y - yhat))) if y.size else 0.0


def r2(y, yhat) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot``.

    1 is perfect, 0 is no better than predicting the mean, and it may be
    negative. With constant ``y`` it is 1.0 for a perfect fit, else 0.0.
    Several output columns are averaged.
    """
    y, yhat = _regression_pair(y, yhat)
    if y.size == 0:
        return 0.0
    if y.ndim == 1:
        y, yhat = y[:, None], yhat[:, None]
    ss_res = np.sum((y - yhat) ** 2, axis=0)
    ss_tot = np.sum((y - y.mean(axis=0)) ** 2, axis=0)
    scores = [
        1.0 - res / tot if tot > 0 else (1.0 if res == 0 else 0.0)
        for res, tot in zip(ss_res, ss_tot, strict=True)
    ]
    return float(np.mean(scores))
