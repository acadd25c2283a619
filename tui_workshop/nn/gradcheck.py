"""Numerical gradient check: compare backpropagation with central differences.

For each parameter entry ``w`` the numerical derivative is
``(L(w + eps) - L(w - eps)) / (2 eps)``, with an error of order ``eps**2``.
The check reports the relative difference ``‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)``:
around 1e-7 or below means the analytic gradient is right; 1e-2 or above
means a bug. Models must be deterministic for the check (no dropout).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _loss(model, X, y) -> float:
    return float(model.loss_and_grads(X, y)[0])


def numerical_gradient(model, X, y, eps: float = 1e-6) -> list[np.ndarray]:
    """Central-difference gradient of the loss for every array in ``model.params``.

    Each entry is perturbed in place and restored exactly afterwards, so the
    model is unchanged when this returns. Costs two loss evaluations per
    parameter entry: keep models and batches small.
    """
    if eps <= 0:
        raise ValueError(f"eps must be positive, got {eps}")
    grads = []
    for param in model.params:
        grad = np.zeros(param.shape, dtype=np.float64)
        for idx in np.ndindex(param.shape):
            original = param[idx].copy()
            try:
                param[idx] = original + eps
                loss_plus = _loss(model, X, y)
                param[idx] = original - eps
                loss_minus = _loss(model, X, y)
            finally:
                param[idx] = original
            grad[idx] = (loss_plus - loss_minus) / (2.0 * eps)
        grads.append(grad)
    return grads


def _as_list(g) -> list[np.ndarray]:
    if isinstance(g, np.ndarray):
        return [g]
    return [np.asarray(a, dtype=np.float64) for a in g]


def relative_difference(g: Sequence[np.ndarray], g_hat: Sequence[np.ndarray]) -> float:
    """``‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)`` with norms over all arrays together; 0.0 if both are zero."""
    g, g_hat = _as_list(g), _as_list(g_hat)
    if len(g) != len(g_hat):
        raise ValueError(f"different numbers of arrays: {len(g)} != {len(g_hat)}")
    for a, b in zip(g, g_hat, strict=True):
        if a.shape != b.shape:
            raise ValueError(f"gradient shapes differ: {a.shape} != {b.shape}")

    def norm(arrays) -> float:
        return float(np.sqrt(sum(np.sum(np.square(a, dtype=np.float64)) for a in arrays)))

    den = norm(g) + norm(g_hat)
    if den == 0.0:
        return 0.0
    return norm([a - b for a, b in zip(g, g_hat, strict=True)]) / den


def gradient_check(model, X, y, eps: float = 1e-6) -> float:
    """Relative difference between the model's analytic gradients and numerical ones."""
    _, grads = model.loss_and_grads(X, y)
    analytic = [np.array(g, dtype=np.float64, copy=True) for g in grads]  # may be views
    return relative_difference(analytic, numerical_gradient(model, X, y, eps))
