"""Activation functions: known values, derivatives, stability on extreme inputs."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tui_workshop.nn import activations as act

EXTREME = np.array([-1e4, -1e3, -710.0, -50.0, -1e-9, 0.0, 1e-9, 50.0, 710.0, 1e3, 1e4])
floats = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)


def test_known_values():
    assert act.sigmoid(0.0) == 0.5
    assert act.get("tanh").f(0.0) == 0.0
    assert act.sigmoid(2.0) == pytest.approx(1 / (1 + math.exp(-2.0)), rel=1e-15)
    assert act.softplus(0.0) == pytest.approx(math.log(2.0))
    assert act.softplus(3.0) == pytest.approx(math.log1p(math.exp(3.0)))
    np.testing.assert_array_equal(act.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu([-2.0, 3.0]), [-2.0 * act.LEAKY_SLOPE, 3.0])
    np.testing.assert_array_equal(act.identity([-2.0, 5.0]), [-2.0, 5.0])
    assert act.d_sigmoid(0.0) == 0.25
    assert act.d_tanh(0.0) == 1.0
    np.testing.assert_array_equal(act.d_relu([-1.0, 2.0]), [0.0, 1.0])
    np.testing.assert_allclose(act.d_leaky_relu([-1.0, 2.0]), [act.LEAKY_SLOPE, 1.0])


def test_get_returns_every_name_and_rejects_unknown():
    for name in act.NAMES:
        assert act.get(name).name == name
    with pytest.raises(ValueError, match="unknown activation"):
        act.get("swish")


@pytest.mark.parametrize("name", act.NAMES)
def test_derivative_matches_central_difference(name):
    a = act.get(name)
    z = np.array([-3.1, -0.7, -0.2, 0.3, 0.9, 2.5])  # away from the kink at 0
    eps = 1e-6
    numeric = (a.f(z + eps) - a.f(z - eps)) / (2 * eps)
    np.testing.assert_allclose(a.df(z), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", act.NAMES)
def test_extreme_inputs_are_finite_without_warnings(name):
    a = act.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values, slopes = a.f(EXTREME), a.df(EXTREME)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))


def test_saturation_limits():
    assert act.sigmoid(1e4) == 1.0 and act.sigmoid(-1e4) == 0.0
    assert act.softplus(1e4) == 1e4
    assert act.softplus(-1e4) == 0.0
    assert act.d_softplus(-1e4) == 0.0 and act.d_softplus(1e4) == 1.0


def test_softmax_values_and_stability():
    np.testing.assert_allclose(act.softmax([0.0, 0.0, 0.0]), [1 / 3] * 3)
    p = act.softmax(np.array([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]]), axis=1)
    np.testing.assert_allclose(p[0], [1.0, 0.0, 0.0])
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(p[1], e / e.sum())
    np.testing.assert_allclose(act.log_softmax([1e4, 0.0]), [0.0, -1e4])


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=floats), st.sampled_from(act.NAMES))
def test_property_activations_finite(z, name):
    a = act.get(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.all(np.isfinite(a.f(z)))
        assert np.all(np.isfinite(a.df(z)))


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=floats))
def test_property_softmax_is_a_distribution(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = act.softmax(z, axis=1)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
