"""Hyperparameter search: bounded, seeded, chooses by validation, reports test once."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.unit.experiment_checks import (
    english_words,
    frame_texts,
    frames_until_done,
    lesson_problems,
    step_while_reading,
)
from tui_workshop.experiments import (
    REGISTRY,
    Heatmap,
    LinePlot,
    ParameterError,
    Table,
    TextPanel,
)
from tui_workshop.experiments.hyperparameter_search import (
    CHUNK,
    HIDDEN_SIZES,
    L2_RATES,
    LEARNING_RATES,
    LR_RANGE,
    HyperparameterSearch,
    random_configs,
)
from tui_workshop.i18n import render
from tui_workshop.nn import MLP, metrics, optim
from tui_workshop.nn.train import Trainer

GRID = {"method": "grid", "epochs": 4}
RANDOM = {"method": "random", "n_trials": 6, "epochs": 25, "seed": 1}


def _finish(exp):
    return frames_until_done(exp, exp.total * math.ceil(int(exp.params["epochs"]) / CHUNK))


@pytest.fixture(scope="module")
def grid():
    exp = HyperparameterSearch(GRID)
    return exp, _finish(exp)


@pytest.fixture(scope="module")
def random_search():
    exp = HyperparameterSearch(RANDOM)
    return exp, _finish(exp)


def test_registered_and_first_frame():
    assert REGISTRY["hyperparameter_search"] is HyperparameterSearch
    exp = HyperparameterSearch(GRID)
    assert exp.trainable and not exp.done
    assert exp.total == len(LEARNING_RATES) * len(HIDDEN_SIZES) * len(L2_RATES)
    frame = exp.frame()
    assert frame.progress == 0.0
    assert frame.metrics["trials_done"] == 0
    assert "test_accuracy" not in frame.metrics
    heat = frame.panels[0]
    assert isinstance(heat, Heatmap) and not heat.diverging
    assert heat.z.shape == (len(HIDDEN_SIZES), len(LEARNING_RATES))


def test_grid_completes_with_progress_to_one(grid):
    exp, frames = grid
    progress = [f.progress for f in frames]
    assert progress[-1] == 1.0
    assert bool(np.all(np.diff(progress) >= 0))
    assert frames[-1].done and frames[-1].metrics["trials_done"] == exp.total
    assert len(exp.results) == exp.total
    # test accuracy only appears once the search is over
    assert all("test_accuracy" not in f.metrics for f in frames[:-1])
    assert "test_accuracy" in frames[-1].metrics


def test_best_is_chosen_by_validation(grid):
    exp, frames = grid
    m = frames[-1].metrics
    best_val = max(r.val_accuracy for r in exp.results)
    assert m["best_val_accuracy"] == best_val
    winner = next(r for r in exp.results if r.val_accuracy == best_val)  # first of ties
    assert m["test_accuracy"] == winner.test_accuracy
    assert m["best_lr"] == winner.config.lr and m["best_hidden"] == winner.config.hidden
    assert m["best_test_accuracy"] == max(r.test_accuracy for r in exp.results)
    assert m["best_test_accuracy"] >= m["test_accuracy"]
    heat = frames[-1].panels[0]
    row = HIDDEN_SIZES.index(winner.config.hidden)
    col = LEARNING_RATES.index(winner.config.lr)
    assert heat.z[row, col] == pytest.approx(best_val)
    assert heat.z.max() == pytest.approx(best_val)
    table = frames[-1].panels[1]
    assert isinstance(table, Table) and render(table.rows[0][3]) == f"{best_val:.3f}"


def test_test_accuracy_matches_an_independent_retrain(grid):
    exp, frames = grid
    m = frames[-1].metrics
    hidden, lr, l2 = int(m["best_hidden"]), m["best_lr"], m["best_l2"]
    model = MLP([2, hidden, 1], activation="tanh", output="sigmoid", l2=l2, seed=0)
    trainer = Trainer(
        model, optim.make("adam", model, lr=lr), exp.X_train, exp.y_train,
        batch_size=10, epochs=GRID["epochs"], seed=0,
    )  # fmt: skip
    for _ in trainer.run():
        pass
    assert metrics.accuracy(exp.y_test, model.predict(exp.X_test)) == m["test_accuracy"]


def test_explanation_gives_the_numbers(grid):
    _, frames = grid
    text = render(frames[-1].panels[2].text)
    m = frames[-1].metrics
    assert f"{m['test_accuracy']:.3f}" in text
    assert f"{m['best_test_accuracy']:.3f}" in text
    assert "held-out test set" in text
    assert "test set" in render(frames[0].panels[2].text)  # locked until the end
    assert "60 noisy numbers" in text


def test_random_search_is_seeded(random_search):
    exp, frames = random_search
    assert isinstance(frames[-1].panels[0], LinePlot)
    assert isinstance(frames[-1].panels[2], TextPanel)
    again = HyperparameterSearch(RANDOM)
    assert again.configs == exp.configs
    _finish(again)
    assert again.results == exp.results
    other = HyperparameterSearch({**RANDOM, "seed": 2})
    assert other.configs != exp.configs
    assert len(exp.configs) == RANDOM["n_trials"]


def test_random_configs_lie_in_their_ranges():
    configs = random_configs(200, seed=0)
    assert all(LR_RANGE[0] * 0.99 <= c.lr <= LR_RANGE[1] for c in configs)
    assert {c.hidden for c in configs} <= set(HIDDEN_SIZES)
    assert 0.3 < sum(c.l2 == 0 for c in configs) / 200 < 0.7
    low = sum(c.lr < 0.01 for c in configs) / 200  # log-uniform: about 1/3 below 0.01
    assert 0.23 < low < 0.43


def test_long_trials_are_split_across_steps():
    exp = HyperparameterSearch({"method": "random", "n_trials": 1, "epochs": 3 * CHUNK})
    exp.step()
    assert not exp.done and exp.frame().progress == pytest.approx(1 / 3)
    exp.step()
    exp.step()
    assert exp.done and exp.frame().progress == 1.0


@pytest.mark.parametrize(
    "params",
    [
        {"method": "bayes"},
        {"dataset": "plane"},
        {"n_trials": 0},
        {"n": 10},
        {"n": 1_000_000_000},
        {"n_trials": 10**9},
        {"epochs": 10**9},
        {"noise": 5.0},
    ],
)
def test_bad_parameters(params):
    with pytest.raises(ParameterError) as caught:
        HyperparameterSearch(params)
    assert render(caught.value.message)


def test_schema_contains_the_lesson():
    assert lesson_problems(HyperparameterSearch.SCHEMA, "12-hyperparameter-search.md") == []
    with pytest.raises(ParameterError) as caught:
        HyperparameterSearch({"n": 1_000_000_000})
    assert render(caught.value.message) == "points: must be between 30 and 2000"


def test_steps_in_a_worker_while_frames_are_read():
    exp = HyperparameterSearch({"method": "random", "n_trials": 4, "epochs": 2 * CHUNK})
    seen = step_while_reading(exp, 8)
    assert seen[0] == 0 and seen[-1] == 8
    assert exp.done and len(exp.results) == 4


@pytest.mark.parametrize("method", ["grid", "random"])
def test_every_text_goes_through_the_catalogue(pseudo_locale, method):
    exp = HyperparameterSearch({"method": method, "n_trials": 3, "epochs": 2})
    frames = [exp.frame(), *frames_until_done(exp)]
    assert frames[0].message is not None and frames[-1].message is not None
    for frame in frames[:2] + frames[-2:]:
        assert english_words(frame_texts(frame)) == []
