"""The CNN: gradients, the fast path against the layer functions, and learning the digits."""

from __future__ import annotations

import numpy as np
import pytest

from tui_workshop.nn import conv
from tui_workshop.nn.cnn import CNN
from tui_workshop.nn.gradcheck import gradient_check
from tui_workshop.nn.images import load_digits

CONFIGS = [
    {},
    {"padding": 1, "filters": 3},
    {"stride": 2, "pool": 1, "input_shape": (2, 7, 7), "filters": 3, "n_classes": 4},
    {"kernel": 2, "pool": 3, "filters": 2, "l2": 0.1, "n_classes": 3},
]


def slow_loss_and_grads(net, X, y):
    """The same network written with the plain layer functions of nn.conv."""
    K, bk, W, b = (p.copy() for p in net.params)
    X4 = np.asarray(X, dtype=float).reshape(-1, *net.input_shape)
    n = len(X4)
    z, ccache = conv.conv2d_forward(X4, K, bk, net.stride, net.padding)
    a = np.maximum(z, 0.0)
    if net.pool > 1:
        pooled, pcache = conv.maxpool_forward(a, net.pool)
    else:
        pooled = a
    flat = conv.flatten(pooled)
    logits = flat @ W + b
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), y])) + 0.5 * net.l2 * (np.sum(K**2) + np.sum(W**2))
    d = p.copy()
    d[np.arange(n), y] -= 1
    d /= n
    dW, db = flat.T @ d + net.l2 * W, d.sum(axis=0)
    dpooled = conv.unflatten(d @ W.T, pooled.shape)
    da = conv.maxpool_backward(dpooled, pcache) if net.pool > 1 else dpooled
    _, dK, dbk = conv.conv2d_backward(da * (z > 0), ccache)
    return loss, [dK + net.l2 * K, dbk, dW, db]


@pytest.mark.parametrize("config", CONFIGS)
def test_gradients_match_central_differences(config):
    net = CNN(seed=1, **config)
    rng = np.random.default_rng(2)
    net.params[1][:] = rng.normal(0.0, 0.1, net.params[1].shape)
    X = rng.normal(size=(4, int(np.prod(net.input_shape))))
    y = rng.integers(0, net.n_classes, 4)
    assert gradient_check(net, X, y) < 1e-7


@pytest.mark.parametrize("config", CONFIGS)
def test_fast_path_equals_layer_functions(config):
    net = CNN(seed=3, **config)
    rng = np.random.default_rng(4)
    net.params[1][:] = rng.normal(0.0, 0.1, net.params[1].shape)
    X = rng.normal(size=(6, int(np.prod(net.input_shape))))
    y = rng.integers(0, net.n_classes, 6)
    loss, grads = net.loss_and_grads(X, y)
    ref_loss, ref_grads = slow_loss_and_grads(net, X, y)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for g, r in zip(grads, ref_grads, strict=True):
        np.testing.assert_allclose(g, r, rtol=1e-9, atol=1e-12)


def test_ties_in_a_pooling_window_count_once():
    # digit images have blank 3x3 patches: their conv outputs equal bk exactly and tie
    X, y = load_digits()
    net = CNN(seed=0)
    net.params[1][:] = 0.05  # ReLU passes the tied values
    loss, grads = net.loss_and_grads(X[:40], y[:40])
    ref_loss, ref_grads = slow_loss_and_grads(net, X[:40], y[:40])
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for g, r in zip(grads, ref_grads, strict=True):
        np.testing.assert_allclose(g, r, rtol=1e-9, atol=1e-12)


def test_shapes_inputs_and_feature_maps():
    net = CNN()
    assert [p.shape for p in net.params] == [(8, 1, 3, 3), (8,), (72, 10), (10,)]
    assert net.n_params == 8 * 9 + 8 + 72 * 10 + 10
    X, y = load_digits()
    Xb = X[:5]
    before = [p.copy() for p in net.params]
    probs = net.forward(Xb)
    np.testing.assert_allclose(probs, net.forward(Xb.reshape(5, 1, 8, 8)))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    for p, q in zip(net.params, before, strict=True):
        np.testing.assert_array_equal(p, q)  # forward changes nothing
    maps = net.feature_maps(Xb)
    assert maps["conv"].shape == (5, 8, 6, 6)
    assert maps["pool"].shape == (5, 8, 3, 3)
    assert maps["flat"].shape == (5, 72)
    np.testing.assert_allclose(maps["relu"], np.maximum(maps["conv"], 0))
    np.testing.assert_array_equal(net.predict(Xb), probs.argmax(axis=1))
    loss, _ = net.loss_and_grads(Xb, y[:5])
    assert loss == pytest.approx(-np.mean(np.log(probs[np.arange(5), y[:5]])))
    with pytest.raises(ValueError, match="expected X"):
        net.forward(np.zeros((3, 63)))
    with pytest.raises(ValueError, match="larger than the padded input"):
        CNN(kernel=9)


def test_learns_the_digits_to_95_percent():
    """Adam, batch 32, 12 epochs on 1300 digits; at least 95% on the 497 held out."""
    from tui_workshop.nn import optim

    X, y = load_digits()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(X))
    train, test = order[:1300], order[1300:]
    net = CNN(seed=0)
    opt = optim.make("adam", net.params, 0.01)
    for _ in range(12):
        perm = rng.permutation(train)
        for i in range(0, len(perm), 32):
            batch = perm[i : i + 32]
            _, grads = net.loss_and_grads(X[batch], y[batch])
            opt.step(grads)
    accuracy = np.mean(net.predict(X[test]) == y[test])
    assert accuracy >= 0.95
