"""Loss functions (batch means) and their gradients.

Arguments follow ``(y, prediction)``: targets first. Classification targets are
class indices (ints); ``binary_cross_entropy`` takes labels 0/1.

The cross-entropies accept either probabilities (``p``) or, better, the
pre-activation ``logits``; from logits they are computed without ever taking
the log of 0 or overflowing an exponential:

* binary: ``mean(softplus(z) - y*z) = mean(logaddexp(0, (1 - 2y) z))``
* categorical: ``mean(logsumexp(z) - z[y])``

The ``*_grad`` functions give the gradient of the mean loss with respect to the
prediction (MSE) or to the logits (cross-entropies):
``(sigmoid(z) - y) / n`` and ``(softmax(z) - onehot(y)) / n``.
"""

from __future__ import annotations

import numpy as np

from tui_workshop.nn.activations import log_softmax, sigmoid, softmax

EPS = 1e-12
"""Probabilities are clipped to [EPS, 1 - EPS] when a loss is given ``p``."""


def _labels(y) -> np.ndarray:
    return np.asarray(y).reshape(-1)


def mse(y, y_pred) -> float:
    """Mean squared error: the mean over all elements of (y_pred - y)^2."""
    y_pred = np.asarray(y_pred, dtype=float)
    diff = y_pred - np.asarray(y, dtype=float).reshape(y_pred.shape)
    return float(np.mean(diff * diff))


def mse_grad(y, y_pred) -> np.ndarray:
    """Gradient of :func:`mse` with respect to ``y_pred``: 2 (y_pred - y) / size."""
    y_pred = np.asarray(y_pred, dtype=float)
    diff = y_pred - np.asarray(y, dtype=float).reshape(y_pred.shape)
    return 2.0 * diff / diff.size


def binary_cross_entropy(y, p=None, *, logits=None) -> float:
    """Mean of -[y log p + (1 - y) log(1 - p)] for labels y in {0, 1}.

    Give either probabilities ``p`` (shape (n,) or (n, 1); clipped to
    [EPS, 1 - EPS]) or ``logits`` z with p = sigmoid(z) (exact and stable).
    """
    y = _labels(y).astype(float)
    if logits is not None:
        z = np.asarray(logits, dtype=float).reshape(-1)
        return float(np.mean(np.logaddexp(0.0, (1.0 - 2.0 * y) * z)))
    if p is None:
        raise TypeError("give p or logits")
    p = np.clip(np.asarray(p, dtype=float).reshape(-1), EPS, 1.0 - EPS)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def binary_cross_entropy_grad(y, logits) -> np.ndarray:
    """Gradient of the mean BCE with respect to the logits: (sigmoid(z) - y) / n."""
    z = np.asarray(logits, dtype=float)
    y = _labels(y).astype(float).reshape(z.shape)
    return (sigmoid(z) - y) / z.shape[0]


def one_hot(y, k: int) -> np.ndarray:
    """Rows of the k x k identity picked by the class indices y: shape (n, k)."""
    return np.eye(k)[_labels(y).astype(int)]


def categorical_cross_entropy(y, p=None, *, logits=None) -> float:
    """Mean of -log p[y] for class indices y.

    Give either probabilities ``p`` (n, k) (clipped to >= EPS) or ``logits``
    z (n, k) with p = softmax(z) (computed as logsumexp(z) - z[y]: stable).
    """
    y = _labels(y).astype(int)
    rows = np.arange(y.size)
    if logits is not None:
        logp = log_softmax(np.asarray(logits, dtype=float), axis=1)
        return float(-np.mean(logp[rows, y]))
    if p is None:
        raise TypeError("give p or logits")
    p = np.asarray(p, dtype=float)
    return float(-np.mean(np.log(np.clip(p[rows, y], EPS, 1.0))))


def categorical_cross_entropy_grad(y, logits) -> np.ndarray:
    """Gradient of the mean CCE with respect to the logits: (softmax(z) - onehot(y)) / n."""
    z = np.asarray(logits, dtype=float)
    return (softmax(z, axis=1) - one_hot(y, z.shape[1])) / z.shape[0]


LOSS_FOR_OUTPUT = {
    "sigmoid": "binary_cross_entropy",
    "softmax": "categorical_cross_entropy",
    "identity": "mse",
}
"""The loss each MLP output layer is trained with."""
