"""The Elman RNN: BPTT gradients, clipping, forecasting a sine, and the one-neuron recurrence."""

from __future__ import annotations

import numpy as np
import pytest

from tui_workshop.nn import series
from tui_workshop.nn.gradcheck import gradient_check
from tui_workshop.nn.rnn import RNN, forecast, scalar_gradient, scalar_trace

CONFIGS = [
    {},
    {"mode": "next_value"},
    {"n_inputs": 2, "n_outputs": 3, "l2": 0.1},
    {"n_inputs": 2, "n_outputs": 2, "mode": "next_value", "l2": 0.2},
]


def make_batch(net, n=4, t=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, t, net.n_inputs))
    shape = (n, net.n_outputs) if net.mode == "sequence_to_one" else (n, t, net.n_outputs)
    return X, rng.normal(size=shape)


@pytest.mark.parametrize("config", CONFIGS)
def test_bptt_gradients_match_central_differences(config):
    net = RNN(n_hidden=5, seed=3, **config)
    net.params[2][:] = np.random.default_rng(9).normal(0.0, 0.1, 5)
    X, y = make_batch(net)
    assert gradient_check(net, X, y) < 1e-7


@pytest.mark.parametrize("config", CONFIGS)
def test_loss_matches_forward(config):
    net = RNN(n_hidden=6, seed=1, **config)
    X, y = make_batch(net, n=5, t=7, seed=2)
    before = [p.copy() for p in net.params]
    out = net.forward(X)
    for p, q in zip(net.params, before, strict=True):
        np.testing.assert_array_equal(p, q)
    W_xh, W_hh, _, W_hy, _ = net.params
    penalty = 0.5 * net.l2 * sum(np.sum(w**2) for w in (W_xh, W_hh, W_hy))
    loss, grads = net.loss_and_grads(X, y)
    assert loss == pytest.approx(np.mean((out - y) ** 2) + penalty, rel=1e-12)
    assert [g.shape for g in grads] == [p.shape for p in net.params]
    assert [p.shape for p in net.params] == [
        (net.n_inputs, 6), (6, 6), (6,), (6, net.n_outputs), (net.n_outputs,),
    ]


def test_shapes_hidden_states_and_errors():
    net = RNN(n_hidden=4)
    X = np.random.default_rng(0).normal(size=(3, 5))  # (n, T) accepted for one input
    hs = net.hidden_states(X)
    assert hs.shape == (3, 6, 4)
    np.testing.assert_array_equal(hs[:, 0], 0.0)
    assert np.all(np.abs(hs) < 1.0)
    assert net.forward(X).shape == (3, 1)
    assert RNN(n_hidden=4, mode="next_value").forward(X).shape == (3, 5, 1)
    assert net.n_params == 1 * 4 + 4 * 4 + 4 + 4 * 1 + 1
    with pytest.raises(ValueError, match="unknown mode"):
        RNN(mode="backwards")
    with pytest.raises(ValueError, match="expected X"):
        net.forward(np.zeros((3, 5, 2)))
    with pytest.raises(ValueError, match="expected y"):
        net.loss_and_grads(X, np.zeros((3, 2)))


def test_clipping_caps_the_global_norm_and_reports_it_before():
    X, y = make_batch(RNN(), n=8, t=12, seed=5)
    y = y * 50.0  # large errors, large gradients
    free = RNN(n_hidden=8, seed=0)
    _, g_free = free.loss_and_grads(X, y)
    g_free = [g.copy() for g in g_free]
    norm = np.sqrt(sum(np.sum(g**2) for g in g_free))
    assert free.grad_norm == pytest.approx(norm)
    clipped = RNN(n_hidden=8, seed=0, clip=1.0)
    _, g_clip = clipped.loss_and_grads(X, y)
    assert norm > 10.0
    assert clipped.grad_norm == pytest.approx(norm)  # the norm before clipping
    assert np.sqrt(sum(np.sum(g**2) for g in g_clip)) == pytest.approx(1.0)
    for a, b in zip(g_clip, g_free, strict=True):
        np.testing.assert_allclose(a, b / norm)  # same direction
    loose = RNN(n_hidden=8, seed=0, clip=10 * norm)
    _, g_loose = loose.loss_and_grads(X, y)
    for a, b in zip(g_loose, g_free, strict=True):
        np.testing.assert_array_equal(a, b)  # below the threshold: unchanged
    with pytest.raises(ValueError, match="clip"):
        RNN(clip=0.0)


def _train(net, X, y, epochs, lr=0.01, batch=16, seed=0):
    from tui_workshop.nn import optim

    opt = optim.make("adam", net.params, lr)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for i in range(0, len(X), batch):
            b = order[i : i + batch]
            _, grads = net.loss_and_grads(X[b], y[b])
            opt.step(grads)


def test_forecasts_held_out_sine_within_bound():
    """Train sequence-to-one (windows of 20) on the first 300 values of a sine of
    period 20; forecasting the 100 held-out values by feeding predictions back
    gives RMSE < 0.1 (values in [-1, 1]), and one-step predictions RMSE < 0.05."""
    s = series.sine(400, period=20)
    train, test = series.split_series(s, 0.75)
    X, y = series.windows(train, 20)
    net = RNN(n_hidden=16, seed=0, clip=5.0)
    _train(net, X, y, epochs=40)
    predicted = forecast(net, train[-20:], len(test))
    assert predicted.shape == test.shape
    assert np.sqrt(np.mean((predicted - test) ** 2)) < 0.1
    Xt, yt = series.windows(np.concatenate([train[-20:], test]), 20)
    assert np.sqrt(np.mean((net.predict(Xt) - yt) ** 2)) < 0.05
    # an untrained net is far off: the bound means something
    fresh = RNN(n_hidden=16, seed=0)
    assert np.sqrt(np.mean((forecast(fresh, train[-20:], len(test)) - test) ** 2)) > 0.3


def test_next_value_mode_learns_and_forecasts():
    s = series.sine(300, period=20)
    X, Y = series.sequences(s, 20, step=2)
    net = RNN(n_hidden=16, seed=0, mode="next_value", clip=5.0)
    first, _ = net.loss_and_grads(X, Y)
    _train(net, X, Y, epochs=30)
    last, _ = net.loss_and_grads(X, Y)
    assert last < first / 50
    out = forecast(net, s[:20], 5)
    assert out.shape == (5,)
    assert np.sqrt(np.mean((out - s[20:25]) ** 2)) < 0.1


def test_forecast_checks():
    with pytest.raises(ValueError, match="n_outputs must equal n_inputs"):
        forecast(RNN(n_inputs=1, n_outputs=2), np.zeros(5), 3)
    assert forecast(RNN(), np.zeros(5), 0).shape == (0,)


def test_scalar_gradient_is_w_to_the_t_times_product_of_tanh_slopes():
    rng = np.random.default_rng(0)
    x = rng.normal(size=12)
    w, u, h0 = 0.8, 0.7, 0.3
    hs = scalar_trace(w, u, x, h0)
    assert hs.shape == (13,) and hs[0] == h0
    assert hs[1] == pytest.approx(np.tanh(w * h0 + u * x[0]))
    g = scalar_gradient(w, u, x, h0)
    analytic = [w**t * np.prod(1 - hs[1 : t + 1] ** 2) for t in range(13)]
    np.testing.assert_allclose(g, analytic, rtol=1e-12)
    eps = 1e-6
    numeric = (scalar_trace(w, u, x, h0 + eps) - scalar_trace(w, u, x, h0 - eps)) / (2 * eps)
    np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-12)


def test_scalar_gradient_vanishes_and_explodes():
    x = np.zeros(20)
    vanishing = scalar_gradient(0.5, 1.0, x, h0=0.5)
    assert abs(vanishing[-1]) < 0.5**20
    assert np.all(np.diff(np.abs(vanishing)) < 0)
    exploding = scalar_gradient(1.5, 1.0, x, h0=1e-8)  # stays unsaturated: slope ~ 1
    assert exploding[-1] > 1000.0
    assert exploding[-1] == pytest.approx(1.5**20, rel=1e-3)


def test_jacobian_norms_shrink_with_small_recurrent_weights():
    x = np.random.default_rng(1).normal(size=(15, 1))
    net = RNN(n_hidden=6, seed=0)
    net.params[1][...] *= 0.5  # orthogonal times 0.5: spectral norm 0.5
    norms = net.jacobian_norms(x)
    assert norms.shape == (16,) and norms[0] == 1.0
    assert np.all(norms[1:] <= 0.5 ** np.arange(1, 16) + 1e-12)
    big = RNN(n_hidden=6, seed=0)
    big.params[1][...] *= 3.0
    assert big.jacobian_norms(np.zeros((15, 1)))[-1] > 1e6
