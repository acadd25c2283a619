"""Tests for the decision grid, with fake models whose outputs are known exactly."""

from __future__ import annotations

import numpy as np
import pytest

from tui_workshop.nn import datasets as ds
from tui_workshop.nn.boundary import decision_grid, grid_bounds, grid_classes


class Fake:
    """Records its forward calls and returns ``fn(X)``."""

    def __init__(self, fn):
        self.fn = fn
        self.batches: list[int] = []

    def forward(self, X):
        self.batches.append(len(X))
        return self.fn(X)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


X_DATA = np.array([[-2.0, -1.0], [2.0, 3.0], [0.5, 0.0]])


def test_grid_spans_the_data_plus_margin():
    xs, ys, Z = decision_grid(Fake(lambda P: P[:, :1]), X_DATA, width=9, height=5, margin=0.25)
    assert xs.shape == (9,) and ys.shape == (5,) and Z.shape == (5, 9)
    # x span 4 -> 1 each side; y span 4 -> 1 each side.
    assert (xs[0], xs[-1]) == (-3.0, 3.0)
    assert (ys[0], ys[-1]) == (-2.0, 4.0)
    assert np.all(np.diff(xs) > 0) and np.all(np.diff(ys) > 0)


def test_rows_run_upwards_and_columns_rightwards():
    model = Fake(lambda P: (P[:, 0] + 10 * P[:, 1])[:, None])
    xs, ys, Z = decision_grid(model, X_DATA, width=6, height=4)
    np.testing.assert_allclose(Z, xs[None, :] + 10 * ys[:, None])
    assert Z[0, 0] == Z.min()  # bottom left is the smallest x and y


def test_sigmoid_output_half_contour_at_zero():
    model = Fake(lambda P: sigmoid(3 * P[:, :1]))
    X = np.array([[-4.0, -4.0], [4.0, 4.0]])
    xs, _, Z = decision_grid(model, X, width=21, height=7, margin=0.0)
    np.testing.assert_allclose(Z, np.broadcast_to(sigmoid(3 * xs), Z.shape))
    classes = grid_classes(Z)
    np.testing.assert_array_equal(classes[3], (xs >= 0).astype(int))
    assert Z[0, 10] == 0.5 and xs[10] == 0.0


def test_whole_grid_in_one_forward_call():
    model = Fake(lambda P: sigmoid(P[:, :1]))
    decision_grid(model, X_DATA, width=30, height=12)
    assert model.batches == [360]


def test_softmax_output_keeps_class_probabilities():
    def softmax3(P):
        logits = np.column_stack([P[:, 0], P[:, 1], np.zeros(len(P))])
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    xs, ys, Z = decision_grid(Fake(softmax3), X_DATA, width=8, height=6)
    assert Z.shape == (6, 8, 3)
    np.testing.assert_allclose(Z.sum(axis=-1), 1.0)
    gx, gy = np.meshgrid(xs, ys)
    expected = np.where((gx > gy) & (gx > 0), 0, np.where(gy > 0, 1, 2))
    np.testing.assert_array_equal(grid_classes(Z), expected)


def test_transform_maps_points_to_features_first():
    model = Fake(lambda F: (F[:, 0] + F[:, 1])[:, None])  # x1^2 + x2^2 from features
    xs, ys, Z = decision_grid(
        model, X_DATA, width=5, height=4, transform=lambda P: ds.transform(P, ["x1^2", "x2^2"])
    )
    np.testing.assert_allclose(Z, xs[None, :] ** 2 + ys[:, None] ** 2)


def test_flat_outputs_and_fixed_bounds():
    model = Fake(lambda P: P[:, 1])  # a (n,) output, like a regression predict
    xs, ys, Z = decision_grid(model, X_DATA, width=3, height=3, bounds=(-6, 6, -6, 6))
    np.testing.assert_array_equal(xs, [-6, 0, 6])
    np.testing.assert_array_equal(ys, [-6, 0, 6])
    np.testing.assert_array_equal(Z[:, 0], [-6, 0, 6])


def test_grid_bounds_widens_a_zero_span():
    assert grid_bounds(np.array([[1.0, 2.0], [1.0, 5.0]]), margin=0.0) == (0.5, 1.5, 2.0, 5.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"width": 1, "height": 5}, "at least 2 x 2"),
        ({"width": 5, "height": 5, "margin": -1}, "margin"),
    ],
)
def test_invalid_grid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        decision_grid(Fake(lambda P: P[:, :1]), X_DATA, **kwargs)


def test_wrong_model_output_is_reported():
    with pytest.raises(ValueError, match="model output has shape"):
        decision_grid(Fake(lambda P: P[:3, :1]), X_DATA, width=4, height=4)


def test_grid_of_a_real_mlp_matches_its_forward_pass():
    from tui_workshop.nn import mlp
    model = mlp.MLP([3, 5, 3], output="softmax", seed=2)
    X, _ = ds.make("blobs3", n=50, seed=0)
    names = ["x1", "x2", "x1x2"]
    xs, ys, Z = decision_grid(model, X, 7, 4, transform=lambda P: ds.transform(P, names))
    assert Z.shape == (4, 7, 3)
    point = np.array([[xs[5], ys[2]]])
    np.testing.assert_allclose(Z[2, 5], model.forward(ds.transform(point, names))[0])
