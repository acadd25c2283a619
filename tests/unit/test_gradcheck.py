"""Tests for the numerical gradient check, with tiny hand-written models."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from tui_workshop.nn.gradcheck import gradient_check, numerical_gradient, relative_difference


class LinearRegression:
    """Loss = mean((X W + b - y)^2); grads written into one buffer and returned as views."""

    def __init__(self, d: int, seed: int = 0, wrong: bool = False):
        rng = np.random.default_rng(seed)
        self.params = [rng.normal(size=(d, 1)), rng.normal(size=(1,))]
        self._buffer = np.zeros(d + 1)
        self.wrong = wrong
        self.calls = 0

    def loss_and_grads(self, X, y):
        self.calls += 1
        W, b = self.params
        r = X @ W + b - y[:, None]
        n = len(X)
        factor = 1.0 if self.wrong else 2.0  # the wrong model forgets the 2 of the square
        self._buffer[:-1] = factor * (X.T @ r)[:, 0] / n
        self._buffer[-1] = factor * r.sum() / n
        return float(np.mean(r**2)), [self._buffer[:-1].reshape(W.shape), self._buffer[-1:]]


class LogisticRegression:
    """Binary cross-entropy of sigmoid(X w + b); gradient X^T (p - y) / n."""

    def __init__(self, d: int, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.params = [rng.normal(size=(d,)), np.array([0.3])]

    def loss_and_grads(self, X, y):
        w, b = self.params
        p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        return float(loss), [X.T @ (p - y) / len(X), np.array([np.mean(p - y)])]


@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(12, 3))
    return X, (X @ [1.0, -2.0, 0.5] > 0).astype(float)


def test_numerical_gradient_matches_the_known_linear_gradient(data):
    X, y = data
    model = LinearRegression(3)
    _, grads = model.loss_and_grads(X, y)
    expected = [g.copy() for g in grads]
    numeric = numerical_gradient(model, X, y, eps=1e-5)
    assert [g.shape for g in numeric] == [(3, 1), (1,)]
    for g, e in zip(numeric, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-7, atol=1e-9)
    # Two loss evaluations per parameter entry (3 weights + 1 bias), plus ours.
    assert model.calls == 1 + 2 * 4


def test_numerical_gradient_restores_every_parameter_exactly(data):
    X, y = data
    model = LogisticRegression(3)
    arrays = list(model.params)
    before = [p.copy() for p in model.params]
    numerical_gradient(model, X, y, eps=1e-3)
    for array, p, old in zip(arrays, model.params, before, strict=True):
        assert p is array  # still the same arrays, updated in place only
        np.testing.assert_array_equal(p, old)


def test_correct_gradients_pass_the_check(data):
    X, y = data
    assert gradient_check(LogisticRegression(3), X, y) < 1e-7
    assert gradient_check(LinearRegression(3), X, y) < 1e-7


def test_check_copies_gradients_that_are_views_of_a_buffer(data):
    # With a quadratic loss central differences are exact for any eps. A large eps
    # makes the buffer, rewritten at perturbed points, visibly wrong if not copied.
    X, y = data
    assert gradient_check(LinearRegression(3), X, y, eps=0.1) < 1e-9


def test_wrong_gradient_is_flagged(data):
    X, y = data
    difference = gradient_check(LinearRegression(3, wrong=True), X, y)
    # Analytic g/2 against the true g: |g/2| / (3|g|/2) = 1/3.
    assert difference == pytest.approx(1 / 3, rel=1e-5)


def test_relative_difference_known_values():
    a = [np.array([1.0, 0.0]), np.array([[0.0]])]
    b = [np.array([0.0, 1.0]), np.array([[0.0]])]
    assert relative_difference(a, b) == pytest.approx(np.sqrt(2) / 2)
    assert relative_difference(a, a) == 0.0
    assert relative_difference(a, [-x for x in a]) == 1.0
    zeros = [np.zeros(2), np.zeros((1, 1))]
    assert relative_difference(zeros, zeros) == 0.0
    assert relative_difference(np.array([3.0, 4.0]), np.array([0.0, 0.0])) == 1.0


def test_relative_difference_rejects_mismatches():
    with pytest.raises(ValueError, match="numbers of arrays"):
        relative_difference([np.zeros(2)], [np.zeros(2), np.zeros(1)])
    with pytest.raises(ValueError, match="shapes differ"):
        relative_difference([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(LinearRegression(2), np.zeros((1, 2)), np.zeros(1), eps=0.0)


def _mlp_available() -> bool:
    if importlib.util.find_spec("tui_workshop.nn.mlp") is None:
        return False
    try:
        from tui_workshop.nn.mlp import MLP

        MLP([2, 3, 1])
    except Exception:
        return False
    return True


@pytest.mark.skipif(not _mlp_available(), reason="the MLP is not built yet")
@pytest.mark.parametrize(
    ("output", "k", "activation"),
    [("sigmoid", 1, "tanh"), ("softmax", 3, "sigmoid"), ("identity", 1, "tanh")],
)
def test_mlp_backpropagation_passes_the_check(output, k, activation):
    from tui_workshop.nn.mlp import MLP

    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 2))
    y = rng.normal(size=6) if output == "identity" else rng.integers(0, k if k > 1 else 2, 6)
    model = MLP([2, 4, 3, k], activation=activation, output=output, l2=0.01, seed=1)
    assert gradient_check(model, X, y) < 1e-6
