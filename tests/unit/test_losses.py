"""Loss functions: known values, stable logits path, gradients."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tui_workshop.nn import losses
from tui_workshop.nn.activations import sigmoid, softmax

floats = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)


def test_bce_known_value():
    assert losses.binary_cross_entropy([1], p=[0.8]) == pytest.approx(-math.log(0.8))
    assert losses.binary_cross_entropy([1], p=[0.8]) == pytest.approx(0.22314355131)
    assert losses.binary_cross_entropy([0], p=[0.8]) == pytest.approx(-math.log(0.2))
    assert losses.binary_cross_entropy([0, 1], logits=[0.0, 0.0]) == pytest.approx(math.log(2))


def test_bce_from_logits_matches_probabilities():
    z = np.array([-2.0, -0.5, 0.3, 1.7])
    y = np.array([0, 1, 1, 0])
    assert losses.binary_cross_entropy(y, logits=z) == pytest.approx(
        losses.binary_cross_entropy(y, p=sigmoid(z)), rel=1e-12
    )


def test_bce_from_logits_is_exact_for_large_logits():
    # a wrong confident prediction costs |z|, a right one costs ~e^-|z|
    assert losses.binary_cross_entropy([0], logits=[1e4]) == 1e4
    assert losses.binary_cross_entropy([1], logits=[-1e4]) == 1e4
    assert losses.binary_cross_entropy([1], logits=[40.0]) == pytest.approx(math.exp(-40.0))


def test_cce_known_values():
    assert losses.categorical_cross_entropy([2], logits=[[0.0, 0.0, 0.0]]) == pytest.approx(
        math.log(3)
    )
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    expected = -(math.log(0.7) + math.log(0.8)) / 2
    assert losses.categorical_cross_entropy([0, 2], p=p) == pytest.approx(expected)
    z = np.log(p)
    assert losses.categorical_cross_entropy([0, 2], logits=z) == pytest.approx(expected)
    assert losses.categorical_cross_entropy([1], logits=[[1e4, -1e4]]) == 2e4


def test_mse_known_value():
    assert losses.mse([1.0, 2.0], [1.5, 1.0]) == pytest.approx((0.25 + 1.0) / 2)
    np.testing.assert_allclose(losses.mse_grad([1.0, 2.0], [1.5, 1.0]), [0.5, -1.0])


def _central(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        plus = f(x)
        x[idx] = old - eps
        minus = f(x)
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * eps)
    return grad


def test_gradients_match_central_differences():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(6, 1))
    y = rng.integers(0, 2, 6)
    numeric = _central(lambda v: losses.binary_cross_entropy(y, logits=v), z)
    np.testing.assert_allclose(losses.binary_cross_entropy_grad(y, z), numeric, atol=1e-9)
    z3 = rng.normal(size=(5, 3))
    y3 = rng.integers(0, 3, 5)
    numeric = _central(lambda v: losses.categorical_cross_entropy(y3, logits=v), z3)
    np.testing.assert_allclose(losses.categorical_cross_entropy_grad(y3, z3), numeric, atol=1e-9)
    pred = rng.normal(size=(4, 2))
    target = rng.normal(size=(4, 2))
    numeric = _central(lambda v: losses.mse(target, v), pred)
    np.testing.assert_allclose(losses.mse_grad(target, pred), numeric, atol=1e-9)


def test_gradients_have_closed_forms():
    z = np.array([[0.3], [-1.2]])
    np.testing.assert_allclose(
        losses.binary_cross_entropy_grad([1, 0], z), (sigmoid(z) - [[1], [0]]) / 2
    )
    z3 = np.array([[0.1, 0.2, 0.3]])
    np.testing.assert_allclose(
        losses.categorical_cross_entropy_grad([1], z3), softmax(z3, axis=1) - [[0, 1, 0]]
    )


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 12), elements=floats), st.integers(0, 2**16))
def test_property_bce_finite_on_extreme_logits(z, seed):
    y = np.random.default_rng(seed).integers(0, 2, z.size)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.binary_cross_entropy(y, logits=z)
        grad = losses.binary_cross_entropy_grad(y, z)
    assert math.isfinite(value) and value >= 0
    assert np.all(np.isfinite(grad))


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 5)), elements=floats))
def test_property_cce_finite_on_extreme_logits(z):
    y = np.arange(z.shape[0]) % z.shape[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.categorical_cross_entropy(y, logits=z)
        grad = losses.categorical_cross_entropy_grad(y, z)
    assert math.isfinite(value) and value >= 0
    assert np.all(np.isfinite(grad))


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.integers(1, 12), elements=st.floats(0.0, 1.0)))
def test_property_bce_finite_on_extreme_probabilities(p):
    y = (np.arange(p.size) % 2).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isfinite(losses.binary_cross_entropy(y, p=p))
