"""Keeping a run: state() -> npz -> restore() continues exactly where it was left."""

from __future__ import annotations

import io

import numpy as np
import pytest

from tui_workshop import experiments
from tui_workshop.course.loader import find_lessons_dir, load_course
from tui_workshop.experiments.state import StateError
from tui_workshop.i18n import render

COURSE = load_course(find_lessons_dir("en"))
# What every lesson's run needs to be kept: (experiment, parameters) for each preset too.
CASES = [
    pytest.param(lesson.experiment, {**lesson.defaults(), **values}, id=f"{lesson.id}-{name}")
    for lesson in COURSE.lessons
    for name, values in [("defaults", {})] + [(p.name, dict(p.values)) for p in lesson.presets]
]
KEEPS_NOTHING = {"hyperparameter_search"}  # a search restarts (it trains many networks)


def saved(state: dict) -> dict:
    """Through an npz file and back, as the app stores it (no pickles)."""
    buffer = io.BytesIO()
    np.savez(buffer, **state)
    buffer.seek(0)
    with np.load(buffer, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def same(a: dict, b: dict) -> bool:
    def equal(x, y) -> bool:
        x, y = np.asarray(x), np.asarray(y)
        return np.array_equal(x, y, equal_nan=x.dtype.kind == "f")

    return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize(("name", "params"), CASES)
def test_a_restored_run_continues_exactly(name, params):
    first = experiments.create(name, params)
    if not first.trainable or first.done:
        assert first.state() == {}
        return
    assert first.state() == {}  # nothing to keep before the first step
    for _ in range(3):
        first.step()
    state = first.state()
    if name in KEEPS_NOTHING or (name == "limits" and params["demo"] == "vanishing"):
        assert state == {}
        return
    assert state, name
    second = experiments.create(name, params)
    second.restore(saved(state))
    assert second.steps_done == first.steps_done and second.done == first.done
    assert second.frame().step == first.frame().step
    for _ in range(2):
        first.step()
        second.step()
    assert same(first.state(), second.state()), name
    assert repr(first.frame().metrics) == repr(second.frame().metrics)


def playground(**changes):
    lesson = next(one for one in COURSE.lessons if one.experiment == "playground")
    return experiments.create("playground", {**lesson.defaults(), **changes})


def test_playground_comes_back_at_its_epoch_with_its_weights():
    run = playground()
    for _ in range(11):
        run.step()
    back = playground()
    back.restore(saved(run.state()))
    assert back.steps_done == 11 and back.trainer.epoch == 11
    assert np.array_equal(back.model.flat_params, run.model.flat_params)
    assert back.history["epoch"][-1] == 11.0
    assert "epoch 11" in render(back.frame().status)


def test_compare_mode_comes_back_in_the_cure_it_was_training():
    lesson = next(one for one in COURSE.lessons if one.experiment == "overfitting")
    params = {**lesson.defaults(), "mode": "compare", "epochs": 30}
    run = experiments.create("overfitting", params)
    while len(run.finished) < 2:
        run.step()
    run.step()
    back = experiments.create("overfitting", params)
    back.restore(saved(run.state()))
    assert back.run.cure == run.run.cure != back.cures[0]
    assert back.finished == run.finished
    assert back.history["epoch"] == run.history["epoch"]
    run.step()
    back.step()
    assert same(run.state(), back.state())


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s.pop("run.trainer.model.w.0"),  # a missing entry
        lambda s: s.update(extra=np.zeros(3)),  # an unknown one
        lambda s: s.update({"run.trainer.model.w.0": np.zeros(7)}),  # another shape
        lambda s: s.update({"run.trainer.rng": np.array("{not json")}),
        lambda s: s.update({"run.trainer.epoch": np.array(-3)}),
        lambda s: s.update({"steps_done": np.array(2.5)}),
        lambda s: s.update({"run.trainer.model.w.0": np.array(["a"] * 3)}),
    ],
)
def test_a_saved_run_that_does_not_fit_is_refused_with_a_message(damage):
    run = playground()
    run.step()
    state = saved(run.state())
    damage(state)
    fresh = playground()
    before = fresh.model.flat_params.copy()
    with pytest.raises(StateError) as caught:
        fresh.restore(state)
    assert render(caught.value.message)
    # nothing half restored: the experiment is as built
    assert np.array_equal(fresh.model.flat_params, before)
    assert fresh.steps_done == 0 and fresh.trainer.epoch == 0 and fresh.history["epoch"] == [0.0]


def test_another_networks_run_does_not_fit():
    run = playground(neurons=4)
    run.step()
    with pytest.raises(StateError):
        playground(neurons=5).restore(saved(run.state()))


def test_a_static_experiment_keeps_nothing():
    lesson = next(one for one in COURSE.lessons if one.experiment == "neuron")
    neuron = experiments.create("neuron", lesson.defaults())
    assert neuron.state() == {}
    with pytest.raises(StateError):
        neuron.restore({"steps_done": np.array(1)})
