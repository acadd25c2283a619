"""Optimisers: known update formulas, decreasing a quadratic, flat fast path, decay."""

import numpy as np
import pytest

from tui_workshop.nn import MLP, optim


def _quadratic_grads(params, centre):
    # f(p) = 1/2 |p - c|^2 summed over arrays, gradient p - c
    return [p - c for p, c in zip(params, centre, strict=True)]


def _quadratic_value(params, centre):
    return sum(0.5 * float(((p - c) ** 2).sum()) for p, c in zip(params, centre, strict=True))


@pytest.mark.parametrize("name", optim.NAMES)
def test_each_optimiser_decreases_a_quadratic(name):
    params = [np.array([3.0, -2.0]), np.array([[1.5]])]
    centre = [np.array([0.5, 0.5]), np.array([[-1.0]])]
    opt = optim.make(name, params, lr=0.05)
    start = _quadratic_value(params, centre)
    for _ in range(200):
        opt.step(_quadratic_grads(params, centre))
    assert _quadratic_value(params, centre) < 0.05 * start


def test_sgd_step():
    p = [np.array([1.0, -1.0])]
    optim.make("sgd", p, lr=0.1).step([np.array([2.0, 4.0])])
    np.testing.assert_allclose(p[0], [0.8, -1.4])


def test_momentum_two_steps():
    p = [np.array([1.0])]
    opt = optim.make("momentum", p, lr=0.1)
    g = [np.array([2.0])]
    opt.step(g)  # v = -0.2, p = 0.8
    np.testing.assert_allclose(p[0], [0.8])
    opt.step(g)  # v = 0.9 * -0.2 - 0.2 = -0.38, p = 0.42
    np.testing.assert_allclose(p[0], [0.42])


def test_nesterov_two_steps():
    p = [np.array([1.0])]
    opt = optim.make("nesterov", p, lr=0.1)
    g = [np.array([2.0])]
    opt.step(g)  # v = -0.2; p += 0.9 * -0.2 - 0.2 = -0.38
    np.testing.assert_allclose(p[0], [0.62])
    opt.step(g)  # v = -0.38; p += 0.9 * -0.38 - 0.2 = -0.542
    np.testing.assert_allclose(p[0], [0.078])


def test_rmsprop_first_step():
    p = [np.array([0.0, 0.0])]
    optim.make("rmsprop", p, lr=0.01).step([np.array([3.0, -0.5])])
    # s = 0.1 g^2, step = lr g / sqrt(0.1 g^2) = lr sign(g) / sqrt(0.1)
    np.testing.assert_allclose(p[0], [-0.01 / np.sqrt(0.1), 0.01 / np.sqrt(0.1)], rtol=1e-6)


def test_adam_first_step_is_lr_times_sign():
    p = [np.array([0.0, 0.0, 0.0])]
    optim.make("adam", p, lr=0.01).step([np.array([5.0, -0.003, 200.0])])
    np.testing.assert_allclose(p[0], [-0.01, 0.01, -0.01], rtol=1e-4)


def test_adam_matches_textbook_formula_over_steps():
    rng = np.random.default_rng(0)
    p = [rng.normal(size=4)]
    ref = p[0].copy()
    m = np.zeros(4)
    v = np.zeros(4)
    opt = optim.make("adam", p, lr=0.02)
    for t in range(1, 6):
        g = rng.normal(size=4)
        opt.step([g.copy()])
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        ref -= 0.02 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    np.testing.assert_allclose(p[0], ref, rtol=1e-12)


@pytest.mark.parametrize("name", optim.NAMES)
def test_flat_path_equals_per_array_path(name):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(8, 2)), rng.integers(0, 2, 8)
    fast = MLP([2, 3, 1], seed=2)
    slow = MLP([2, 3, 1], seed=2)
    fast_opt = optim.make(name, fast.params, lr=0.05)
    slow_opt = optim.make(name, list(slow.params), lr=0.05)  # a plain list: no flat vector
    assert fast_opt._flat is not None and slow_opt._flat is None
    for _ in range(4):
        fast_opt.step(fast.loss_and_grads(X, y)[1])
        slow_opt.step([g.copy() for g in slow.loss_and_grads(X, y)[1]])
    np.testing.assert_allclose(fast.flat_params, slow.flat_params, rtol=1e-12, atol=1e-15)


def test_flat_params_with_plain_list_of_grads():
    model = MLP([2, 3, 1], seed=0)
    before = model.flat_params.copy()
    opt = optim.make("sgd", model, lr=1.0)  # a model may be passed
    grads = [np.ones_like(p) for p in model.params]
    opt.step(grads)
    np.testing.assert_allclose(model.flat_params, before - 1.0)


def test_decay_schedule_and_mutable_lr():
    opt = optim.make("sgd", [np.zeros(1)], lr=0.1, decay=0.5)
    assert opt.lr == 0.1
    opt.on_epoch_end()
    assert opt.lr == pytest.approx(0.1 / 1.5)
    opt.on_epoch_end()
    assert opt.lr == pytest.approx(0.1 / 2.0)
    opt.lr = 0.3  # the schedule continues from the value set
    assert opt.lr == 0.3
    opt.on_epoch_end()
    assert opt.lr == pytest.approx(0.3 * 2.0 / 2.5)
    plain = optim.make("adam", [np.zeros(1)], lr=0.1)
    plain.on_epoch_end()
    assert plain.lr == 0.1
    plain.lr = 0.5
    p = [np.array([0.0])]
    sgd = optim.make("sgd", p, lr=0.1)
    sgd.lr = 0.5
    sgd.step([np.array([1.0])])
    np.testing.assert_allclose(p[0], [-0.5])


def test_errors():
    with pytest.raises(ValueError, match="unknown optimiser"):
        optim.make("lbfgs", [np.zeros(1)], lr=0.1)
    with pytest.raises(ValueError):
        optim.make("sgd", [], lr=0.1)
    opt = optim.make("sgd", [np.zeros(1), np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError):
        opt.step([np.zeros(1)])


def test_first_entry_state_reports_value_and_moments():
    w = np.array([[0.5, -1.0]])
    adam = optim.make("adam", [w], 0.1)
    assert adam.first_entry_state() == (0.5, 0.0, 0.0)
    g = np.array([[0.2, 0.3]])
    adam.step([g])
    value, m, v = adam.first_entry_state()
    assert value == w[0, 0]
    assert m == pytest.approx((1 - 0.9) * 0.2)
    assert v == pytest.approx((1 - 0.999) * 0.2**2)
    sgd = optim.make("sgd", [np.array([2.0])], 0.5)
    sgd.step([np.array([1.0])])
    assert sgd.first_entry_state() == (1.5, 0.0, 0.0)
