"""Activation functions with their derivatives, stable for very large inputs.

Each activation is an :class:`Activation` with ``f(z)`` (the value) and
``df(z)`` (the derivative with respect to ``z``); ``get(name)`` returns one by
name. ``softmax(z, axis=-1)`` is separate because its derivative is a matrix.

Every function here is finite for ``|z|`` up to 1e4 and beyond, without
numpy overflow warnings: sigmoid goes through ``tanh`` (which saturates
instead of overflowing) and softplus through ``logaddexp``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01
"""Slope of leaky ReLU for negative inputs."""


def identity(z):
    return np.asarray(z, dtype=float).copy()


def d_identity(z):
    return np.ones_like(np.asarray(z, dtype=float))


def sigmoid(z):
    """1 / (1 + e^-z), computed as (1 + tanh(z/2)) / 2: no overflow."""
    z = np.asarray(z, dtype=float)
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def d_sigmoid(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))


def d_tanh(z):
    t = np.tanh(np.asarray(z, dtype=float))
    return 1.0 - t * t


def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def d_relu(z):
    """1 for z > 0, else 0 (the derivative at 0 is taken as 0)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


def leaky_relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def d_leaky_relu(z):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, LEAKY_SLOPE)


def softplus(z):
    """log(1 + e^z), computed as logaddexp(0, z): no overflow."""
    return np.logaddexp(0.0, np.asarray(z, dtype=float))


def d_softplus(z):
    return sigmoid(z)


def softmax(z, axis=-1):
    """exp(z) / sum(exp(z)) along ``axis``, shifted by the maximum for stability."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    """log(softmax(z)) without ever taking the log of a tiny number."""
    z = np.asarray(z, dtype=float)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


@dataclass(frozen=True)
class Activation:
    """An activation function ``f`` and its derivative ``df``, both element-wise."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]

    def __call__(self, z):
        return self.f(z)


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", identity, d_identity),
    "sigmoid": Activation("sigmoid", sigmoid, d_sigmoid),
    "tanh": Activation("tanh", tanh, d_tanh),
    "relu": Activation("relu", relu, d_relu),
    "leaky_relu": Activation("leaky_relu", leaky_relu, d_leaky_relu),
    "softplus": Activation("softplus", softplus, d_softplus),
}
NAMES = tuple(ACTIVATIONS)


def get(name: str) -> Activation:
    """The activation called ``name`` (one of :data:`NAMES`)."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose from {', '.join(NAMES)}") from None
