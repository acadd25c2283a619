"""Evaluation in one forward pass (issue 11): same numbers as the plain paths, less work."""

from __future__ import annotations

import numpy as np
import pytest

from tui_workshop.experiments.cnn_digits import CnnDigits, digits_split
from tui_workshop.nn import optim
from tui_workshop.nn.cnn import CNN, EVAL_CHUNK
from tui_workshop.nn.mlp import MLP
from tui_workshop.nn.train import Trainer


@pytest.fixture(scope="module")
def digits():
    return digits_split()


@pytest.mark.parametrize(
    "shape", [{}, {"filters": 3, "kernel": 5}, {"filters": 16, "kernel": 2, "pool": 1}]
)
def test_cnn_logits_match_the_plain_layers_across_chunks(digits, shape) -> None:
    X = digits[0][: EVAL_CHUNK * 2 + 7]  # two full chunks and a short one
    model = CNN(**shape, seed=3)
    expected = model.feature_maps(X)["logits"]
    np.testing.assert_allclose(model.logits(X), expected, rtol=1e-12, atol=1e-12)
    assert model.logits(X[:0]).shape == (0, 10)


def test_cnn_evaluate_is_the_data_loss_and_the_predictions(digits) -> None:
    X, y = digits[0][:300], digits[1][:300]
    model = CNN(seed=1, l2=0.01)
    loss, predicted = model.evaluate(X, y)
    K, _, W, _ = model.params
    penalty = 0.5 * 0.01 * (np.vdot(K, K) + np.vdot(W, W))
    assert loss == pytest.approx(model.loss_and_grads(X, y)[0] - penalty, rel=1e-12)
    probs = model.forward(X)
    assert loss == pytest.approx(-np.mean(np.log(probs[np.arange(300), y])), rel=1e-12)
    np.testing.assert_array_equal(predicted, np.argmax(probs, axis=1))
    np.testing.assert_array_equal(model.predict(X), predicted)


def test_cnn_evaluate_rejects_mismatched_labels(digits) -> None:
    with pytest.raises(ValueError):
        CNN().evaluate(digits[0][:5], digits[1][:4])


@pytest.mark.parametrize(
    ("output", "sizes"), [("sigmoid", [2, 5, 1]), ("softmax", [2, 5, 3]), ("identity", [2, 5, 1])]
)
def test_mlp_evaluate_equals_loss_and_predict(output, sizes) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    classes = max(sizes[-1], 2)
    y = rng.normal(size=40) if output == "identity" else rng.integers(0, classes, 40)
    model = MLP(sizes, activation="tanh", output=output, l2=0.1, seed=2)
    loss, predicted = model.evaluate(X, y)
    assert loss == pytest.approx(model.loss(X, y, penalty=False), rel=1e-12)
    np.testing.assert_array_equal(predicted, model.predict(X))


def test_trainer_evaluate_known_values() -> None:
    # A sigmoid neuron with zero weights outputs 0.5 for every point: loss ln 2.
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 0.5], [2.0, 2.0]])
    y = np.array([1, 0, 1, 1])
    model = MLP([2, 1], output="sigmoid", seed=0)
    for p in model.params:
        p[...] = 0.0
    trainer = Trainer(model, optim.make("sgd", model.params, 0.1), X, y)
    loss, accuracy = trainer.evaluate(X, y)
    assert loss == pytest.approx(np.log(2.0))
    assert accuracy == pytest.approx(0.75)  # z = 0 predicts class 1


def test_cnn_digits_evaluates_each_set_once_per_epoch(monkeypatch) -> None:
    experiment = CnnDigits({"epochs": 3})
    calls: list[int] = []
    real = CNN.logits

    def counting(self, X):
        calls.append(len(X))
        return real(self, X)

    monkeypatch.setattr(CNN, "logits", counting)
    experiment.step()
    n_train, n_test = len(experiment.X_train), len(experiment.X_test)
    assert sorted(calls) == sorted([n_train, n_test])  # one pass over each set
    snap = experiment.trainer.last
    assert experiment.history["train"][-1] == snap.train_loss
    assert experiment.history["test"][-1] == snap.val_loss
    assert experiment.scores["test_accuracy"] == snap.metrics["val_accuracy"]
    mlp = experiment.mlp_trainer.last
    assert experiment.history["mlp"][-1] == mlp.val_loss


def test_cnn_digits_history_matches_a_fresh_evaluation() -> None:
    experiment = CnnDigits({"epochs": 2})
    experiment.step()
    loss, accuracy = experiment.trainer.evaluate(experiment.X_test, experiment.y_test)
    assert experiment.history["test"][-1] == pytest.approx(loss, rel=1e-12)
    assert experiment.scores["test_accuracy"] == pytest.approx(accuracy)
