"""Limits and challenges: each demo shows the failure it is about."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.experiment_checks import (
    english_words,
    frame_texts,
    language,
    lesson_problems,
    step_while_reading,
)
from tui_workshop.experiments import Bars, LinePlot, ParameterError, TextPanel, create
from tui_workshop.experiments.limits import DEMOS, Limits, fgsm, input_gradient
from tui_workshop.i18n import render
from tui_workshop.nn.mlp import MLP


def limits(**params):
    return create("limits", params)


def train(exp):
    steps = 0
    while not exp.done:
        exp.step()
        steps += 1
        assert steps < 1000
    return exp.frame()


@pytest.mark.parametrize(
    "bad",
    [{"demo": "nope"}, {"activation": "x"}, {"depth": 0}, {"depth": 1_000_000},
     {"sample": 10_000}, {"rare_percent": 0}, {"epsilon": 2.0}, {"seed": 10**12}],
)
def test_rejects_bad_parameters(bad):
    with pytest.raises(ParameterError) as error:
        limits(**bad)
    assert render(error.value.message)


@pytest.mark.parametrize("demo", DEMOS)
def test_every_demo_has_discussion_questions(demo):
    frame = limits(demo=demo).frame()
    questions = [
        p for p in frame.panels if isinstance(p, TextPanel) and render(p.title) == "Discuss"
    ]
    assert len(questions) == 1
    assert render(questions[0].text).count("?") >= 3


@pytest.mark.parametrize("function", ["square", "sin"])
def test_extrapolation_fails_outside_the_training_range(function):
    exp = limits(demo="extrapolation", function=function)
    before = exp.frame().metrics["inside_error"]
    frame = train(exp)
    m = frame.metrics
    assert m["inside_error"] < before
    assert m["inside_error"] < 0.02
    assert m["outside_error"] > 50 * m["inside_error"]
    plot = next(p for p in frame.panels if isinstance(p, LinePlot))
    assert plot.xlim == (-3.0, 3.0)
    assert {s.style for s in plot.series} == {"line", "points"}


def test_imbalance_accuracy_hides_a_poor_recall():
    exp = limits(demo="imbalance", rare_percent=5)
    m = train(exp).metrics
    assert m["baseline_accuracy"] == pytest.approx(0.95, abs=0.01)
    assert m["accuracy"] >= m["baseline_accuracy"]  # looks great...
    assert m["recall"] < 0.75  # ...yet many rare points are missed
    low = exp.imbalance_scores(threshold=0.1)
    assert low["recall"] > m["recall"]
    assert low["precision"] < m["precision"]
    exp.set_live("threshold", 0.1)
    assert exp.frame().metrics["recall"] == low["recall"]


def test_input_gradient_matches_finite_differences():
    model = MLP([3, 4, 3], activation="tanh", output="softmax", seed=1)
    X = np.array([[0.2, -0.4, 0.9], [1.0, 0.3, -0.5]])
    y = np.array([2, 0])
    g = input_gradient(model, X, y)
    h = 1e-6
    numeric = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        up, down = X.copy(), X.copy()
        up[idx] += h
        down[idx] -= h
        numeric[idx] = (model.loss(up, y, penalty=False) - model.loss(down, y, penalty=False)) / (
            2 * h
        )
    np.testing.assert_allclose(g, numeric, atol=1e-8)
    sig = MLP([2, 3, 1], activation="relu", output="sigmoid", seed=2)
    Xs, ys = np.array([[0.5, -1.0]]), np.array([1])
    gs = input_gradient(sig, Xs, ys)
    e = np.array([h, 0.0])
    fd = (sig.loss(Xs + e, ys, penalty=False) - sig.loss(Xs - e, ys, penalty=False)) / (2 * h)
    assert gs[0, 0] == pytest.approx(fd, abs=1e-7)


def test_adversarial_perturbation_of_size_epsilon_flips_the_prediction():
    exp = limits(demo="adversarial", epsilon=0.1, sample=0)
    frame = train(exp)
    m = frame.metrics
    assert m["val_accuracy"] > 0.9
    assert m["flipped"] == 1.0
    assert m["perturbation"] == pytest.approx(0.1)
    assert m["p_after"] < m["p_before"]
    a = exp.attack()
    assert np.max(np.abs(a["x_adv"] - a["x"])) == pytest.approx(0.1)
    assert set(np.unique(a["sign"])) <= {-1.0, 0.0, 1.0}
    x_adv, _ = fgsm(exp.model, a["x"], a["label"], 0.1)
    assert exp.model.predict(x_adv)[0] != a["label"]
    # a smaller ε flips fewer images: the attacked accuracy goes up
    attacked = m["attacked_accuracy"]
    exp.set_live("epsilon", 0.02)
    assert exp.frame().metrics["attacked_accuracy"] > attacked
    exp.set_live("epsilon", 0.0)
    zero = exp.frame().metrics
    assert zero["flipped"] == 0.0 and zero["perturbation"] == 0.0


def test_vanishing_gradients_with_sigmoid_not_with_relu():
    sigmoid = limits(demo="vanishing", activation="sigmoid", depth=8)
    assert sigmoid.done  # static: nothing to train
    frame = sigmoid.frame()
    m = frame.metrics
    assert m["grad_ratio"] < 1e-3
    bars = next(p for p in frame.panels if isinstance(p, Bars))
    assert len(bars.values) == 9
    assert bars.values[0] < 1e-3 * bars.values[-1]
    relu = limits(demo="vanishing", activation="relu", depth=8).frame().metrics
    assert relu["grad_ratio"] > 0.1
    assert relu["grad_ratio"] > 1e3 * m["grad_ratio"]
    shallow = limits(demo="vanishing", activation="sigmoid", depth=2).frame().metrics
    assert shallow["grad_ratio"] > 100 * m["grad_ratio"]


def test_schema_contains_the_lesson():
    assert lesson_problems(Limits.SCHEMA, "18-limits.md") == []


@pytest.mark.parametrize("demo", ["extrapolation", "imbalance"])
def test_stepping_in_a_thread_while_frames_are_read(demo):
    exp = limits(demo=demo)
    seen = step_while_reading(exp, 200)
    assert exp.done and seen[-1] == exp.trainer.epochs
    assert exp.frame().message is None  # the end of training needs no words


def test_vanishing_is_static():
    exp = limits(demo="vanishing")
    assert exp.done and exp.trainable
    exp.step()
    assert exp.frame().step == 0


def test_adversarial_texts_read_as_before():
    exp = limits(demo="adversarial", epsilon=0.1, sample=0)
    frame = train(exp)
    assert render(frame.message) == "A change of ε = 0.10 per pixel flipped it."
    text = render(next(p for p in frame.panels if isinstance(p, TextPanel)).text)
    assert "(flipped!)" in text and "after the attack" in text
    assert render(frame.status).startswith(f"reads {int(exp.y_val[0])} → ")


# function and activation names kept as plain text
ALLOWED = frozenset({"sigmoid", "tanh", "relu", "sign", "sin", "out"})


@pytest.mark.parametrize(
    "params",
    [
        {"demo": "extrapolation", "function": "sin"},
        {"demo": "imbalance"},
        {"demo": "adversarial"},
        {"demo": "vanishing", "depth": 1},
        {"demo": "vanishing", "activation": "relu"},
        {"demo": "attention", "query": 1, "temperature": 0.3},
    ],
)
def test_every_text_is_translated(params):
    exp = limits(**params)
    frames = [exp.frame()]
    for _ in range(2):
        exp.step()
    frames.append(exp.frame())
    with language():
        for frame in frames:
            assert english_words(frame_texts(frame), ALLOWED) == []
