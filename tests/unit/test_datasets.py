"""Tests for the toy data sets, splits and feature maps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_workshop.nn import datasets as ds


@pytest.mark.parametrize("name", ds.NAMES)
def test_shapes_types_and_bounds(name):
    X, y = ds.make(name, n=151, noise=0.3, seed=4)
    assert X.shape == (151, 2) and X.dtype == np.float64
    assert y.shape == (151,)
    assert np.all(np.abs(X) <= 6.0)
    if name in ds.REGRESSION:
        assert y.dtype == np.float64
        assert np.all(np.abs(y) <= 1.0)
    else:
        assert y.dtype.kind == "i"
        assert set(np.unique(y)) == set(range(ds.n_classes(name)))


@pytest.mark.parametrize("name", ds.NAMES)
def test_same_seed_same_data_other_seed_other_data(name):
    X1, y1 = ds.make(name, n=60, noise=0.2, seed=7)
    X2, y2 = ds.make(name, n=60, noise=0.2, seed=7)
    X3, _ = ds.make(name, n=60, noise=0.2, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", ("circle", "gauss", "spiral", "moons", *ds.MULTICLASS))
def test_classes_are_balanced_without_noise(name):
    k = ds.n_classes(name)
    _, y = ds.make(name, n=301, noise=0.0, seed=1)
    counts = np.bincount(y, minlength=k)
    assert counts.max() - counts.min() <= 1


def test_samples_are_shuffled():
    _, y = ds.make("gauss", n=200, seed=0)
    # Not one block of each class: the labels change many times along the array.
    assert np.count_nonzero(np.diff(y)) > 50


def test_xor_labels_follow_quadrant_sign_and_noise_flips_some():
    X, y = ds.make("xor", n=400, noise=0.0, seed=2)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] >= 0).astype(int))
    assert 0.4 < y.mean() < 0.6  # uniform over the square: about half each
    assert np.all(np.abs(X) >= 0.3)  # Playground's padding around the axes
    Xn, yn = ds.make("xor", n=400, noise=0.5, seed=2)
    flipped = np.mean(yn != (Xn[:, 0] * Xn[:, 1] >= 0))
    assert 0.05 < flipped < 0.5


def test_circle_inner_disc_is_class_one():
    X, y = ds.make("circle", n=400, noise=0.0, seed=3)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all(r[y == 1] < 2.5)
    assert np.all((r[y == 0] >= 3.5) & (r[y == 0] <= 5.0))


def test_gauss_clusters_centre_on_plus_minus_two():
    X, y = ds.make("gauss", n=2000, noise=0.0, seed=5)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-2, -2], atol=0.1)
    # Playground's variance 0.5 at no noise; more noise spreads the clusters.
    assert np.var(X[y == 1][:, 0]) == pytest.approx(0.5, rel=0.15)
    Xn, yn = ds.make("gauss", n=2000, noise=0.5, seed=5)
    assert np.var(Xn[yn == 1][:, 0]) > 2.0


@pytest.mark.parametrize(("name", "k"), [("spiral", 2), ("spiral3", 3)])
def test_spiral_arms_are_rotated_copies(name, k):
    X, y = ds.make(name, n=300, noise=0.0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() <= 5.0
    # Rotating one arm by 2*pi/k lands on the next arm's points (same radii).
    radii = [np.sort(r[y == c]) for c in range(k)]
    for other in radii[1:]:
        np.testing.assert_allclose(other, radii[0])


def test_blobs3_has_three_separated_clusters():
    X, y = ds.make("blobs3", n=600, noise=0.0, seed=0)
    centres = np.array([X[y == c].mean(axis=0) for c in range(3)])
    gaps = [np.linalg.norm(centres[i] - centres[j]) for i in range(3) for j in range(i)]
    assert min(gaps) > 4.0


def test_moons_are_two_interleaved_arcs():
    X, y = ds.make("moons", n=400, noise=0.0, seed=0)
    # Without noise, each moon lies on its circle of radius 3 (scaled unit circle).
    outer = np.hypot(X[y == 0, 0] + 1.5, X[y == 0, 1] + 0.75)
    inner = np.hypot(X[y == 1, 0] - 1.5, X[y == 1, 1] - 0.75)
    np.testing.assert_allclose(outer, 3.0)
    np.testing.assert_allclose(inner, 3.0)


def test_plane_is_a_linear_function():
    X, y = ds.make("plane", n=300, noise=0.0, seed=0)
    np.testing.assert_allclose(y, (X[:, 0] + X[:, 1]) / 12.0)
    _, yn = ds.make("plane", n=300, noise=0.5, seed=0)
    assert 0.02 < np.std(yn - y) < 0.3  # same points, noisy labels


def test_multi_gauss_bumps_near_their_centres():
    X, y = ds.make("multi_gauss", n=2000, noise=0.0, seed=0)
    for cx, cy, sign in [(-4, 2.5, 1), (0, 2.5, -1), (4, -2.5, -1)]:
        d = np.hypot(X[:, 0] - cx, X[:, 1] - cy)
        near = d < 2
        assert near.any()
        np.testing.assert_allclose(y[near], sign * (1 - d[near] / 2))
    far = np.all(
        [np.hypot(X[:, 0] - cx, X[:, 1] - cy) >= 2 for cx in (-4, 0, 4) for cy in (-2.5, 2.5)],
        axis=0,
    )
    np.testing.assert_array_equal(y[far], 0.0)


def test_names_and_classes():
    assert ds.CLASSIFICATION == ("xor", "circle", "gauss", "spiral", "moons")
    assert ds.MULTICLASS == ("blobs3", "spiral3")
    assert ds.REGRESSION == ("plane", "multi_gauss")
    assert [ds.n_classes(n) for n in ("xor", "spiral3", "plane")] == [2, 3, 0]
    assert [ds.task(n) for n in ("moons", "blobs3", "multi_gauss")] == [
        "binary",
        "multiclass",
        "regression",
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ds.make("swirl"), "unknown data set 'swirl'"),
        (lambda: ds.make("xor", noise=25), "noise must be a fraction"),
        (lambda: ds.make("xor", noise=-0.1), "noise must be a fraction"),
        (lambda: ds.make("xor", n=0), "n must be at least 1"),
        (lambda: ds.n_classes("swirl"), "unknown data set"),
        (lambda: ds.imbalanced(ratio=0.0), "ratio"),
        (lambda: ds.curve(kind="zigzag"), "unknown curve 'zigzag'"),
    ],
)
def test_invalid_arguments_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_imbalanced_has_a_rare_positive_class():
    X, y = ds.imbalanced(n=500, ratio=0.1, noise=0.0, seed=3)
    assert X.shape == (500, 2) and y.dtype.kind == "i"
    assert np.count_nonzero(y == 1) == 50
    X2, y2 = ds.imbalanced(n=500, ratio=0.1, noise=0.0, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    # The rare class sits up and to the right of the common one.
    assert np.all(X[y == 1].mean(axis=0) > X[y == 0].mean(axis=0) + 1.5)


def test_curve_samples_the_named_function():
    X, y = ds.curve(n=15, noise=0.0, seed=1, kind="sin")
    assert X.shape == (15, 1) and y.shape == (15,)
    assert np.all(np.diff(X[:, 0]) >= 0) and np.all(np.abs(X) <= 1)
    np.testing.assert_allclose(y, np.sin(np.pi * X[:, 0]))
    _, noisy = ds.curve(n=15, noise=0.2, seed=1, kind="sin")
    assert 0.05 < np.std(noisy - y) < 0.5
    _, cubic = ds.curve(n=15, noise=0.0, seed=1, kind="cubic")
    np.testing.assert_allclose(cubic, ds.CURVES["cubic"](X[:, 0]))


# Splits -----------------------------------------------------------------------


def _indexed(n, k=2, seed=0):
    """Points whose first coordinate is their index, so parts can be traced back."""
    X = np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    y = np.random.default_rng(seed).integers(0, k, n)
    return X, y


def test_split_sizes_and_partition():
    X, y = _indexed(200)
    s = ds.split(X, y, val=0.3, test=0.2, seed=1)
    sizes = (len(s.X_train), len(s.X_val), len(s.X_test))
    assert sum(sizes) == 200
    assert abs(sizes[1] - 60) <= 2 and abs(sizes[2] - 40) <= 2
    ids = np.concatenate([s.X_train[:, 0], s.X_val[:, 0], s.X_test[:, 0]]).astype(int)
    np.testing.assert_array_equal(np.sort(ids), np.arange(200))
    # Labels travel with their points.
    for Xp, yp in [(s.X_train, s.y_train), (s.X_val, s.y_val), (s.X_test, s.y_test)]:
        np.testing.assert_array_equal(yp, y[Xp[:, 0].astype(int)])


def test_split_is_stratified_and_deterministic():
    X, y = ds.imbalanced(n=200, ratio=0.1, seed=0)
    s = ds.split(X, y, val=0.5, seed=2)
    assert np.count_nonzero(s.y_train == 1) == 10
    assert np.count_nonzero(s.y_val == 1) == 10
    again = ds.split(X, y, val=0.5, seed=2)
    np.testing.assert_array_equal(s.X_val, again.X_val)
    other = ds.split(X, y, val=0.5, seed=3)
    assert not np.array_equal(s.X_val, other.X_val)


def test_split_defaults_and_regression_labels():
    X, y = ds.make("plane", n=100, seed=0)
    s = ds.split(X, y)
    assert len(s.y_train) == len(s.y_val) == 50
    assert s.X_test.shape == (0, 2) and s.y_test.shape == (0,)
    assert s.y_val.dtype == np.float64
    with pytest.raises(AttributeError):
        s.X_train = X  # frozen


@pytest.mark.parametrize(
    ("val", "test", "message"),
    [
        (1.0, 0.0, "val must be a fraction"),
        (-0.1, 0.0, "val must be a fraction"),
        (0.2, 1.5, "test must be a fraction"),
        (0.6, 0.4, "val \\+ test must be below 1"),
        ("half", 0.0, "val must be a number"),
    ],
)
def test_split_rejects_invalid_fractions(val, test, message):
    X, y = _indexed(20)
    with pytest.raises(ValueError, match=message):
        ds.split(X, y, val=val, test=test)


def test_split_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="differ in length"):
        ds.split(np.zeros((5, 2)), np.zeros(4, dtype=int))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(4, 80),
    val=st.floats(0.0, 0.6),
    test=st.floats(0.0, 0.3),
    seed=st.integers(0, 10),
)
def test_split_always_partitions_the_samples(n, val, test, seed):
    X, y = _indexed(n, k=3, seed=seed)
    s = ds.split(X, y, val=val, test=test, seed=seed)
    ids = np.concatenate([s.X_train[:, 0], s.X_val[:, 0], s.X_test[:, 0]])
    np.testing.assert_array_equal(np.sort(ids), np.arange(n))
    assert len(s.X_train) > 0


# Features -----------------------------------------------------------------------


def test_features_order_and_labels():
    assert list(ds.FEATURES) == ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"]
    assert [label for label, _ in ds.FEATURES.values()] == [
        "x₁",
        "x₂",
        "x₁²",
        "x₂²",
        "x₁x₂",
        "sin x₁",
        "sin x₂",
    ]


def test_transform_computes_each_feature():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    out = ds.transform(X, ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"])
    expected = np.array(
        [
            [1, 2, 1, 4, 2, np.sin(1), np.sin(2)],
            [-3, 0.5, 9, 0.25, -1.5, np.sin(-3), np.sin(0.5)],
        ]
    )
    np.testing.assert_allclose(out, expected)
    assert ds.transform(X, ["x1x2"]).shape == (2, 1)
    np.testing.assert_array_equal(ds.transform(X, ["x2", "x1"]), X[:, ::-1])


def test_transform_rejects_unknown_or_empty_features():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="unknown feature 'x3'"):
        ds.transform(X, ["x1", "x3"])
    with pytest.raises(ValueError, match="at least one feature"):
        ds.transform(X, [])


def test_standardize_uses_training_statistics():
    X = np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    Xs, mean, std = ds.standardize(X)
    np.testing.assert_allclose(Xs[:, 0], [-np.sqrt(1.5), 0, np.sqrt(1.5)])
    np.testing.assert_array_equal(Xs[:, 1], 0.0)  # constant column: std taken as 1
    other, _, _ = ds.standardize(np.array([[3.0, 6.0]]), mean, std)
    np.testing.assert_allclose(other, [[0.0, 1.0]])
