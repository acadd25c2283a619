"""The trainer: snapshots, early stopping, divergence, and learning real problems."""

import dataclasses
import warnings

import numpy as np
import pytest

from tui_workshop.nn import MLP, datasets, optim
from tui_workshop.nn.train import Snapshot, Trainer

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def _train(model, opt, *args, **kwargs):
    trainer = Trainer(model, opt, *args, **kwargs)
    snapshots = list(trainer.run())
    return trainer, snapshots


def test_xor_reaches_full_training_accuracy():
    model = MLP([2, 4, 1], activation="tanh", seed=0)
    _trainer, snaps = _train(
        model, optim.make("adam", model.params, 0.05), XOR_X, XOR_Y, batch_size=4, epochs=400
    )
    assert snaps[-1].metrics["train_accuracy"] == 1.0
    assert snaps[-1].train_loss < 0.05
    np.testing.assert_array_equal(model.predict(XOR_X), XOR_Y)


@pytest.mark.parametrize(
    ("dataset", "n", "sizes", "activation", "output", "rate", "epochs"),
    [
        ("spiral", 400, [2, 16, 16, 1], "tanh", "sigmoid", 0.02, 200),
        ("spiral3", 600, [2, 32, 32, 3], "relu", "softmax", 0.01, 120),
    ],
    ids=["two-arm spiral", "three-arm spiral with softmax"],
)
def test_spirals_reach_95_percent_validation_accuracy(
    dataset, n, sizes, activation, output, rate, epochs
):
    X, y = datasets.make(dataset, n=n, seed=0)
    split = datasets.split(X, y, val=0.5, seed=0)
    model = MLP(sizes, activation=activation, output=output, seed=0)
    _trainer, snaps = _train(
        model,
        optim.make("adam", model.params, rate),
        split.X_train,
        split.y_train,
        split.X_val,
        split.y_val,
        epochs=epochs,
    )
    assert snaps[-1].metrics["val_accuracy"] >= 0.95


def test_regression_reports_r2():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(200, 2))
    y = 0.7 * X[:, 0] - 0.4 * X[:, 1]
    model = MLP([2, 1], output="identity")
    _trainer, snaps = _train(
        model, optim.make("sgd", model.params, 0.1), X[:100], y[:100], X[100:], y[100:], epochs=60
    )
    assert set(snaps[-1].metrics) == {"train_r2", "val_r2"}
    assert snaps[-1].metrics["val_r2"] > 0.99
    assert snaps[-1].train_loss < snaps[0].train_loss


def test_snapshots_are_frozen_and_count_epochs_and_steps():
    model = MLP([2, 3, 1], seed=1)
    trainer = Trainer(
        model, optim.make("sgd", model.params, 0.1), XOR_X, XOR_Y, batch_size=3, epochs=4
    )
    snaps = list(trainer.run())
    assert [s.epoch for s in snaps] == [1, 2, 3, 4]
    assert [s.step for s in snaps] == [2, 4, 6, 8]  # 4 points in batches of 3
    assert all(isinstance(s, Snapshot) for s in snaps)
    assert [s.stopped for s in snaps] == [None, None, None, "epoch limit"]
    assert trainer.done and trainer.step_epoch() is snaps[-1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        snaps[0].epoch = 9
    with pytest.raises(TypeError):
        snaps[0].metrics["train_accuracy"] = 1.0
    assert snaps[0].val_loss is None and "val_accuracy" not in snaps[0].metrics
    # train_loss is the data loss on the whole training set after the epoch
    assert snaps[-1].train_loss == pytest.approx(model.loss(XOR_X, XOR_Y, penalty=False))


def test_same_seed_same_run():
    def run(seed):
        model = MLP([2, 4, 1], dropout=0.2, seed=3)
        X, y = datasets.make("circle", n=60, seed=1)
        _, snaps = _train(
            model, optim.make("momentum", model.params, 0.05), X, y, epochs=5, seed=seed
        )
        return [s.train_loss for s in snaps], model.flat_params.copy()

    a, b, c = run(0), run(0), run(1)
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])
    assert a[0] != c[0]  # another shuffle order


def test_early_stopping_on_validation_loss():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), rng.integers(0, 2, 40)  # pure noise: val loss rises
    Xv, yv = rng.normal(size=(40, 2)), rng.integers(0, 2, 40)
    model = MLP([2, 32, 32, 1], seed=0)
    _trainer, snaps = _train(
        model,
        optim.make("adam", model.params, 0.05),
        X,
        y,
        Xv,
        yv,
        epochs=500,
        patience=5,
        restore_best=True,
    )
    last = snaps[-1]
    assert last.stopped == "early stopping" and len(snaps) < 500
    assert last.epoch - last.best_epoch == 5
    best_val = min(s.val_loss for s in snaps)
    assert snaps[last.best_epoch - 1].val_loss == best_val
    # restore_best put back the parameters of the best epoch
    assert model.loss(Xv, yv, penalty=False) == pytest.approx(best_val)


def test_divergence_is_reported_not_raised():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2)) * 100
    y = rng.normal(size=50) * 1e6
    model = MLP([2, 8, 1], activation="relu", output="identity")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer, snaps = _train(
            model, optim.make("sgd", model.params, 10.0), X, y, epochs=100, patience=3
        )
    assert snaps[-1].diverged and snaps[-1].stopped == "diverged"
    assert trainer.done and len(snaps) < 100


def test_optimizer_decay_is_applied_each_epoch():
    model = MLP([2, 3, 1])
    opt = optim.make("sgd", model.params, 0.1, decay=1.0)
    _train(model, opt, XOR_X, XOR_Y, epochs=3)
    assert opt.lr == pytest.approx(0.1 / 4)


def test_zero_epochs_and_bad_arguments():
    model = MLP([2, 3, 1])
    opt = optim.make("sgd", model.params, 0.1)
    trainer = Trainer(model, opt, XOR_X, XOR_Y, epochs=0)
    assert trainer.done and list(trainer.run()) == []
    with pytest.raises(ValueError):
        Trainer(model, opt, XOR_X, XOR_Y[:3])
    with pytest.raises(ValueError):
        Trainer(model, opt, XOR_X, XOR_Y, batch_size=0)
