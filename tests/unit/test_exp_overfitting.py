"""Overfitting: the gap grows without a cure, cures shrink it, compare mode finishes."""

from __future__ import annotations

import time
import tracemalloc

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
    Bars,
    LinePlot,
    ParameterError,
    Table,
    TextPanel,
    create,
)
from tui_workshop.experiments.overfitting import CHUNK, CURES, Overfitting
from tui_workshop.i18n import render

FAST = {"epochs": 150}


def _run(params):
    exp = Overfitting(params)
    return exp, frames_until_done(exp)


@pytest.fixture(scope="module")
def no_cure():
    return _run({"cure": "none", **FAST})


@pytest.fixture(scope="module")
def l2():
    return _run({"cure": "l2", "rate": 0.01, **FAST})


def test_registered_and_single_frame():
    assert REGISTRY["overfitting"] is Overfitting
    exp = Overfitting({})
    assert exp.trainable and not exp.done
    frame = exp.frame()
    assert [type(p) for p in frame.panels] == [LinePlot, LinePlot, TextPanel]
    assert set(frame.metrics) >= {"train_loss", "val_loss", "gap", "epoch"}
    assert frame.metrics["epoch"] == 0
    assert frame.progress == 0.0


def test_one_epoch_per_step_and_metrics_equal_model(no_cure):
    exp, frames = no_cure
    assert len(frames) == FAST["epochs"]
    assert [f.metrics["epoch"] for f in frames] == list(range(1, FAST["epochs"] + 1))
    m = frames[-1].metrics
    assert m["train_loss"] == pytest.approx(exp.run.model.loss(exp.X, exp.y, penalty=False))
    assert m["val_loss"] == pytest.approx(exp.run.model.loss(exp.X_val, exp.y_val, penalty=False))
    assert m["gap"] == pytest.approx(m["val_loss"] - m["train_loss"])
    assert frames[-1].done and frames[-1].progress == 1.0
    # the loss plot holds the whole history
    train = frames[-1].panels[0].series[0]
    assert len(train.y) == FAST["epochs"]
    assert train.y[-1] == pytest.approx(m["train_loss"])


def test_gap_grows_without_cure_and_more_than_with_l2(no_cure, l2):
    _, plain = no_cure
    _, cured = l2
    early = plain[19].metrics["gap"]
    assert plain[-1].metrics["gap"] > early + 0.05  # the curves drift apart
    assert plain[-1].metrics["train_loss"] < plain[19].metrics["train_loss"]
    assert plain[-1].metrics["gap"] > 1.5 * cured[-1].metrics["gap"]
    assert cured[-1].metrics["val_loss"] < plain[-1].metrics["val_loss"]


def test_text_names_the_cure_and_gap(l2):
    _, frames = l2
    text = render(frames[-1].panels[2].text)
    assert "L2" in text and "λ = 0.01" in text
    assert "gap = val − train" in text


def test_early_stopping_restores_best_epoch():
    exp, frames = _run({"cure": "early_stopping", "patience": 10, **FAST})
    trainer = exp.run.trainer
    assert trainer.stopped == "early stopping"
    assert len(frames) < FAST["epochs"]
    best = min(exp.run.val)
    assert frames[-1].metrics["val_loss"] == pytest.approx(best)
    assert "restored" in render(frames[-1].panels[2].text)
    assert render(frames[-1].message).startswith("Stopped early")


def test_cures_change_the_model():
    exp = Overfitting({"cure": "dropout", "dropout": 0.3})
    assert exp.run.model.dropout == 0.3 and exp.run.model.l2 == 0.0
    exp = Overfitting({"cure": "l1", "rate": 0.02})
    assert exp.run.model.l1 == 0.02 and exp.run.model.dropout == 0.0


def test_compare_trains_every_cure_on_the_same_problem():
    params = {"mode": "compare", "epochs": 60}
    exp = Overfitting(params)
    assert exp.frame().progress == 0.0
    steps, slowest, progress = 0, 0.0, []
    while not exp.done:
        started = time.perf_counter()
        exp.step()
        slowest = max(slowest, time.perf_counter() - started)
        progress.append(exp.frame().progress)
        steps += 1
        assert steps <= len(CURES) * (60 // CHUNK + 1)
    assert slowest < 0.2
    assert progress[-1] == 1.0
    assert bool(np.all(np.diff(progress) >= 0))
    frame = exp.frame()
    bars, table = frame.panels[0], frame.panels[1]
    assert isinstance(bars, Bars) and isinstance(table, Table)
    assert len(bars.values) == len(CURES) == len(table.rows)
    for cure in CURES:
        assert f"val_loss_{cure}" in frame.metrics
    # "no cure" in compare mode is exactly the single run with the same seed
    _, single_frames = _run({"cure": "none", "epochs": 60})
    assert frame.metrics["val_loss_none"] == pytest.approx(single_frames[-1].metrics["val_loss"])
    assert bars.values[0] == pytest.approx(frame.metrics["val_loss_none"])


def test_deterministic_for_a_seed():
    a = _run({"cure": "dropout", "epochs": 20})[1][-1].metrics
    b = _run({"cure": "dropout", "epochs": 20})[1][-1].metrics
    assert a == b
    c = _run({"cure": "dropout", "epochs": 20, "seed": 5})[1][-1].metrics
    assert c != a


def test_fit_plot_shows_truth_fit_and_points():
    exp = Overfitting({"n": 9})
    fit = exp.frame().panels[1]
    labels = [render(s.label) for s in fit.series]
    assert labels == ["truth", "network", "training points"]
    points = fit.series[2]
    assert len(points.x) == 9 and points.style == "points"
    np.testing.assert_allclose(fit.series[0].y, np.sin(np.pi * fit.series[0].x))


@pytest.mark.parametrize(
    "params",
    [
        {"cure": "magic"},
        {"mode": "both"},
        {"rate": -1.0},
        {"dropout": 1.0},
        {"n": 1},
        {"n": 1_000_000_000},  # issue 9: a hand-edited progress file grew the process to 12 GiB
        {"hidden": 10**6},
        {"layers": 100},
        {"epochs": 10**9},
        {"patience": 0},
        {"noise": float("nan")},
        {"n": "12"},
    ],
)
def test_bad_parameters(params):
    with pytest.raises(ParameterError) as caught:
        Overfitting(params)
    assert render(caught.value.message)  # a message, not a traceback


def test_schema_contains_the_lesson():
    assert lesson_problems(Overfitting.SCHEMA, "10-overfitting.md") == []
    assert Overfitting.live_params == frozenset()
    with pytest.raises(ParameterError) as caught:
        Overfitting({"n": 1_000_000_000})
    assert render(caught.value.message) == "points: must be between 2 and 500"


def test_issue_9_a_huge_n_is_rejected_before_anything_is_allocated():
    # A hand-edited progress file with "n": 1000000000 once grew the process to 12 GiB.
    with pytest.raises(ParameterError):  # checked first: never try the allocation itself
        Overfitting.SCHEMA["n"].validate(1_000_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(ParameterError):
            create("overfitting", {"n": 1_000_000_000, "mode": "compare"})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_compare_chunks_shrink_for_big_networks():
    assert Overfitting({"mode": "compare"}).chunk == CHUNK
    big = Overfitting({"mode": "compare", "n": 500, "hidden": 256, "layers": 4})
    assert big.chunk == 1


@pytest.mark.parametrize("mode", ["single", "compare"])
def test_steps_in_a_worker_while_frames_are_read(mode):
    exp = Overfitting({"mode": mode, "epochs": 30})
    steps = 30 if mode == "single" else len(CURES) * 2
    seen = step_while_reading(exp, steps)
    assert seen[0] == 0 and seen[-1] == exp.steps_done
    assert exp.done and len(exp.finished) == len(exp.cures)


@pytest.mark.parametrize(
    "params",
    [
        {"mode": "compare", "epochs": 30},
        {"cure": "early_stopping", "patience": 5, "epochs": 100},
        {"cure": "none", "epochs": 100},
        {"cure": "dropout", "epochs": 20},
        {"cure": "l1", "epochs": 20},
    ],
)
def test_every_text_goes_through_the_catalogue(pseudo_locale, params):
    exp = Overfitting(params)
    frames = [exp.frame(), *frames_until_done(exp)]
    assert frames[0].message is not None and frames[-1].message is not None
    for frame in frames[:3] + frames[-3:]:
        assert english_words(frame_texts(frame)) == []
