"""The MLP: contract, initialisation, regularisation, dropout and exact gradients."""

import itertools

import numpy as np
import pytest

from tui_workshop.nn import MLP, activations, losses

OUTPUT_UNITS = {"sigmoid": 1, "softmax": 3, "identity": 2}


def _targets(output, n, rng):
    if output == "sigmoid":
        return rng.integers(0, 2, n)
    if output == "softmax":
        return rng.integers(0, 3, n)
    return rng.normal(size=(n, 2))


def _numerical_gradient(model, X, y, eps=1e-6):
    flat = model.flat_params
    grad = np.zeros_like(flat)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = model.loss_and_grads(X, y)[0]
        flat[i] = old - eps
        minus = model.loss_and_grads(X, y)[0]
        flat[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def _relative_difference(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


REGULARISERS = {
    "none": {},
    "l1": {"l1": 0.03},
    "l2": {"l2": 0.2},
    "dropout": {"dropout": 0.3},
}


@pytest.mark.parametrize(
    ("activation", "output", "regulariser"),
    list(itertools.product(activations.NAMES, OUTPUT_UNITS, REGULARISERS)),
)
def test_gradients_match_central_differences(activation, output, regulariser):
    rng = np.random.default_rng(7)
    sizes = [3, 5, 4, OUTPUT_UNITS[output]]
    model = MLP(sizes, activation=activation, output=output, seed=1, **REGULARISERS[regulariser])
    # random non-zero biases too: keeps every ReLU input away from its kink
    model.flat_params[:] = rng.normal(scale=0.8, size=model.n_params)
    model.hold_dropout_mask = True  # the same dropout mask for every evaluation
    X = rng.normal(size=(7, 3))
    y = _targets(output, 7, rng)
    loss, grads = model.loss_and_grads(X, y)
    analytic = np.concatenate([g.ravel() for g in grads])
    numeric = _numerical_gradient(model, X, y)
    assert _relative_difference(analytic, numeric) < 1e-7
    assert model.loss_and_grads(X, y)[0] == pytest.approx(loss, rel=1e-12)


def test_mixed_activations_and_three_hidden_layers_gradient():
    rng = np.random.default_rng(2)
    model = MLP([2, 4, 3, 3, 1], activation=["relu", "softplus", "sigmoid"], l1=0.01, l2=0.1)
    model.flat_params[:] = rng.normal(size=model.n_params)
    X, y = rng.normal(size=(9, 2)), rng.integers(0, 2, 9)
    analytic = np.concatenate([g.ravel() for g in model.loss_and_grads(X, y)[1]])
    assert _relative_difference(analytic, _numerical_gradient(model, X, y)) < 1e-7


def test_param_layout_and_shapes():
    model = MLP([2, 8, 8, 1])
    shapes = [p.shape for p in model.params]
    assert shapes == [(2, 8), (8,), (8, 8), (8,), (8, 1), (1,)]
    assert model.n_params == 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1
    # params are views into the flat vector: editing one shows in the other
    model.params[2][1, 3] = 42.0
    assert 42.0 in model.flat_params
    model.flat_params[:] = 0.0
    assert all(not p.any() for p in model.params)
    _, grads = model.loss_and_grads(np.ones((3, 2)), np.array([0, 1, 1]))
    assert [g.shape for g in grads] == shapes


def test_bias_is_the_last_row_of_each_block():
    model = MLP([2, 3, 1], seed=4)
    X = np.array([[0.5, -1.0]])
    W1, b1, W2, b2 = model.params
    expected = activations.sigmoid(np.tanh(X @ W1 + b1) @ W2 + b2)
    np.testing.assert_allclose(model.forward(X), expected)


def test_forward_and_predict_shapes():
    X = np.random.default_rng(0).normal(size=(6, 4))
    binary = MLP([4, 5, 1], output="sigmoid")
    assert binary.forward(X).shape == (6, 1)
    assert set(binary.predict(X)) <= {0, 1} and binary.predict(X).shape == (6,)
    multi = MLP([4, 5, 3], output="softmax")
    p = multi.forward(X)
    assert p.shape == (6, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_array_equal(multi.predict(X), p.argmax(axis=1))
    reg = MLP([4, 5, 1], output="identity")
    assert reg.forward(X).shape == (6, 1) and reg.predict(X).shape == (6,)
    reg2 = MLP([4, 5, 2], output="identity")
    assert reg2.forward(X).shape == (6, 2) and reg2.predict(X).shape == (6, 2)
    assert binary.task == "classification" and reg.task == "regression"
    # predict agrees with the probabilities
    np.testing.assert_array_equal(binary.predict(X), (binary.forward(X)[:, 0] >= 0.5).astype(int))


@pytest.mark.parametrize("output", list(OUTPUT_UNITS))
def test_training_loss_equals_plain_loss(output):
    rng = np.random.default_rng(5)
    model = MLP([3, 6, OUTPUT_UNITS[output]], output=output, l1=0.01, l2=0.05, seed=3)
    X = rng.normal(size=(11, 3))
    y = _targets(output, 11, rng)
    fast = model.loss_and_grads(X, y)[0]
    assert fast == pytest.approx(model.loss(X, y), rel=1e-12)
    assert model.loss(X, y, penalty=False) == pytest.approx(fast - model.penalty(), rel=1e-12)
    z = model.logits(X)
    if output == "sigmoid":
        data = losses.binary_cross_entropy(y, logits=z)
    elif output == "softmax":
        data = losses.categorical_cross_entropy(y, logits=z)
    else:
        data = losses.mse(y, z)
    assert model.loss(X, y, penalty=False) == pytest.approx(data, rel=1e-12)


def test_regression_accepts_flat_targets():
    rng = np.random.default_rng(1)
    model = MLP([2, 4, 1], output="identity")
    X, y = rng.normal(size=(5, 2)), rng.normal(size=5)
    assert model.loss_and_grads(X, y)[0] == pytest.approx(losses.mse(y, model.forward(X)[:, 0]))
    assert model.loss_and_grads(X, y.reshape(-1, 1))[0] == pytest.approx(model.loss(X, y))


def test_penalty_formula_covers_weights_not_biases():
    model = MLP([2, 3, 1], l1=0.1, l2=0.4, init="uniform")
    weights = [model.params[0], model.params[2]]
    expected = sum(0.1 * np.abs(W).sum() + 0.2 * (W**2).sum() for W in weights)
    assert model.penalty() == pytest.approx(expected)
    model.params[1][:] = 100.0  # biases do not count
    assert model.penalty() == pytest.approx(expected)


def test_initialisations():
    uniform = MLP([2, 50, 50, 1], init="uniform", seed=0)
    W = uniform.params[2]
    assert W.min() >= -0.5 and W.max() <= 0.5 and W.std() > 0.25
    assert np.all(uniform.params[1] == 0.1)
    xavier = MLP([100, 100, 1], init="xavier", seed=0)
    limit = np.sqrt(6 / 200)
    assert np.abs(xavier.params[0]).max() <= limit and xavier.params[
        0
    ].std() > 0.5 * limit / np.sqrt(3)
    assert not xavier.params[1].any()
    he = MLP([100, 100, 1], init="he", seed=0)
    assert he.params[0].std() == pytest.approx(np.sqrt(2 / 100), rel=0.05)


def test_same_seed_same_model_and_training():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, 10)
    a = MLP([2, 4, 1], dropout=0.5, seed=9)
    b = MLP([2, 4, 1], dropout=0.5, seed=9)
    np.testing.assert_array_equal(a.flat_params, b.flat_params)
    for _ in range(3):
        la, _ga = a.loss_and_grads(X, y)
        lb, _gb = b.loss_and_grads(X, y)
        assert la == lb
        np.testing.assert_array_equal(a.flat_grads, b.flat_grads)
    c = MLP([2, 4, 1], dropout=0.5, seed=10)
    assert not np.array_equal(a.flat_params, c.flat_params)


def test_dropout_only_while_training():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.integers(0, 2, 20)
    model = MLP([2, 16, 16, 1], dropout=0.5, seed=1)
    plain = MLP([2, 16, 16, 1], seed=1)
    np.testing.assert_array_equal(model.forward(X), plain.forward(X))
    assert model.loss(X, y) == plain.loss(X, y)
    first = model.loss_and_grads(X, y)[0]
    second = model.loss_and_grads(X, y)[0]
    assert first != second  # a new mask each call
    assert first != plain.loss_and_grads(X, y)[0]
    model.hold_dropout_mask = True
    held = model.loss_and_grads(X, y)[0]
    assert model.loss_and_grads(X, y)[0] == held


def test_dropout_keeps_expected_fraction_and_scale():
    model = MLP([1, 2000, 1], activation="identity", output="identity", dropout=0.25, seed=0)
    model.flat_params[:] = 0.0
    model.params[1][:] = 1.0  # every hidden unit outputs 1 before dropout
    model.params[2][:] = 1.0 / 2000  # the output averages the hidden units
    _, _ = model.loss_and_grads(np.zeros((1, 1)), np.zeros(1))
    ws = model._ws
    kept = ws.mask[0] > 0
    assert kept.mean() == pytest.approx(0.75, abs=0.03)
    np.testing.assert_allclose(ws.mask[0][kept], 1 / 0.75)


def test_forward_changes_no_parameter_and_batch_sizes_mix():
    rng = np.random.default_rng(0)
    model = MLP([2, 4, 3], output="softmax")
    before = model.flat_params.copy()
    model.forward(rng.normal(size=(7, 2)))
    np.testing.assert_array_equal(model.flat_params, before)
    X, y = rng.normal(size=(13, 2)), rng.integers(0, 3, 13)
    full = model.loss_and_grads(X, y)[0]
    for n in (1, 5, 13, 2, 13):  # workspaces per batch size give the same answers
        assert model.loss_and_grads(X[:n], y[:n])[0] == pytest.approx(model.loss(X[:n], y[:n]))
    assert model.loss_and_grads(X, y)[0] == full


def test_extreme_weights_give_finite_loss_and_gradients():
    import warnings

    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 2)) * 1e3
    for output in OUTPUT_UNITS:
        if output == "identity":
            continue
        model = MLP([2, 4, OUTPUT_UNITS[output]], activation="relu", output=output)
        model.flat_params[:] = rng.normal(size=model.n_params) * 1e2
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            loss, _ = model.loss_and_grads(X, _targets(output, 6, rng))
        assert np.isfinite(loss) and np.all(np.isfinite(model.flat_grads))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sizes": [2]},
        {"sizes": [2, 3, 2], "output": "sigmoid"},
        {"sizes": [2, 3, 1], "output": "softmax"},
        {"sizes": [2, 3, 1], "output": "relu"},
        {"sizes": [2, 3, 1], "init": "zeros"},
        {"sizes": [2, 3, 3, 1], "activation": ["tanh"]},
        {"sizes": [2, 3, 1], "activation": "cosine"},
        {"sizes": [2, 3, 1], "dropout": 1.0},
        {"sizes": [2, 3, 1], "l2": -1.0},
    ],
)
def test_invalid_configurations_raise(kwargs):
    with pytest.raises(ValueError):
        MLP(**kwargs)
