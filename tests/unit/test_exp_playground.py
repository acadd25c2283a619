"""The playground: trains real networks, deterministic per seed, never raises on NaN."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from tests.unit.experiment_checks import (
    english_words,
    frame_texts,
    lesson_problems,
    step_while_reading,
)
from tui_workshop.course.loader import read_front_matter
from tui_workshop.experiments import Heatmap, LinePlot, ParameterError, TextPanel, create
from tui_workshop.experiments.playground import Playground
from tui_workshop.i18n import render
from tui_workshop.nn.mlp import MLP


def _train(exp: Playground, epochs: int) -> Playground:
    while not exp.done and exp.steps_done < epochs:
        exp.step()
    return exp


def test_frame_panels_and_metrics_before_training():
    exp = create("playground", {})
    frame = exp.frame()
    heat, losses, text = frame.panels
    assert isinstance(heat, Heatmap) and isinstance(losses, LinePlot)
    assert isinstance(text, TextPanel)
    assert heat.z.shape == (20, 48)
    assert heat.z.min() >= 0.0 and heat.z.max() <= 1.0
    assert sorted(s.role for s in heat.points) == [0, 1]
    assert sum(len(s.x) for s in heat.points) == len(exp.X_train)
    assert [render(s.label) for s in losses.series] == ["train", "validation"]
    assert set(frame.metrics) == {
        "epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy", "layers", "neurons"
    }  # fmt: skip
    assert frame.metrics["epoch"] == 0.0 and frame.metrics["layers"] == 2.0
    assert not frame.done and frame.level == "info"
    assert "2 → 4 → 4 → 1" in render(text.text)


def test_trains_circle_to_high_validation_accuracy():
    exp = _train(Playground({"dataset": "circle", "learning_rate": 0.1}), 100)
    frame = exp.frame()
    assert frame.metrics["val_accuracy"] >= 0.9, frame.status
    assert frame.metrics["train_loss"] < exp.history["train_loss"][0]
    loss, acc = r"loss \d\.\d{3}", r"\d+%"
    pattern = rf"val {acc} · val {loss} · epoch 100 · train {acc} · train {loss}"
    assert re.fullmatch(pattern, render(frame.status))
    assert len(frame.panels[1].series[0].x) == exp.steps_done + 1
    # the heatmap agrees with the model: P(class 1) on the grid predicts the validation points
    heat = frame.panels[0]
    rows, cols = heat.z.shape
    col = np.rint((exp.X_val[:, 0] - heat.x_range[0]) / np.ptp(heat.x_range) * (cols - 1))
    row = np.rint((exp.X_val[:, 1] - heat.y_range[0]) / np.ptp(heat.y_range) * (rows - 1))
    grid_says = heat.z[row.astype(int), col.astype(int)] >= 0.5
    assert np.mean(grid_says == exp.y_val) > 0.8


def test_step_is_deterministic_for_a_seed():
    params = {"dataset": "spiral", "layers": 3, "optimizer": "adam", "learning_rate": 0.01}
    runs = [_train(Playground({**params, "seed": seed}), 5) for seed in (3, 3, 4)]
    assert runs[0].history == runs[1].history
    np.testing.assert_array_equal(runs[0].model.flat_params, runs[1].model.flat_params)
    np.testing.assert_array_equal(runs[0].frame().panels[0].z, runs[1].frame().panels[0].z)
    assert runs[0].history["train_loss"] != runs[2].history["train_loss"]


def test_huge_learning_rate_gives_done_and_a_warning_not_an_exception():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for params in (
            {"activation": "linear", "learning_rate": 5.0},
            {"dataset": "plane", "learning_rate": 10.0},
        ):
            exp = _train(Playground(params), 50)
            frame = exp.frame()
            assert exp.done and frame.done and exp.steps_done < 50
            assert frame.level == "warning" and "diverged" in render(frame.message)
            assert frame.panels[0].z.shape == (20, 48)
            exp.step()  # stepping a finished run does nothing
            assert exp.frame().step == frame.step


def test_features_change_what_a_single_layer_can_learn():
    only_product = {"feat_x1": False, "feat_x2": False, "feat_x1x2": True}
    xor = _train(Playground({"dataset": "xor", "layers": 0, **only_product}), 60)
    assert xor.model.sizes == (1, 1)
    assert xor.frame().metrics["val_accuracy"] >= 0.95
    plain = _train(Playground({"dataset": "xor", "layers": 0}), 60)
    assert plain.frame().metrics["val_accuracy"] < 0.8
    with pytest.raises(ParameterError, match="feature"):
        Playground({"feat_x1": False, "feat_x2": False})


def test_regression_sets_report_r2():
    exp = _train(Playground({"dataset": "plane", "layers": 0}), 20)
    frame = exp.frame()
    assert frame.metrics["val_r2"] > 0.9
    assert "train_accuracy" not in frame.metrics
    assert frame.panels[0].vmin == -1.0
    assert "R²" in render(frame.status)
    with pytest.raises(ParameterError):
        Playground({"dataset": "circle", "output": "identity"})


def test_limits_live_learning_rate_and_validation_points():
    exp = _train(Playground({"epochs": 3}), 10)
    assert exp.steps_done == 3 and exp.done
    assert render(exp.frame().message) == "Epoch limit reached (3 epochs)."
    exp = Playground({"learning_rate": 0.03})
    exp.set_live("learning_rate", 0.3)
    assert exp.optimizer.lr == 0.3
    exp.set_live("show_validation", True)
    points = exp.frame().panels[0].points
    assert sum(len(s.x) for s in points) == len(exp.X_train) + len(exp.X_val)
    exp.set_grid(30, 10)
    assert exp.frame().panels[0].z.shape == (10, 30)
    with pytest.raises(ParameterError):
        exp.set_live("layers", 3)
    for bad in ({"layers": 7}, {"neurons": 0}, {"optimizer": "lbfgs"}, {"train_ratio": 95}):
        with pytest.raises(ParameterError):
            Playground(bad)


def test_early_stopping_on_an_overfitting_network():
    overfit = {"dataset": "circle", "noise": 50, "train_ratio": 20, "layers": 6, "neurons": 8,
               "optimizer": "adam", "learning_rate": 0.01, "patience": 20}  # fmt: skip
    exp = _train(Playground(overfit), 500)
    assert exp.done and exp.steps_done < 200
    assert "early" in render(exp.frame().message)


# --- the lesson ---------------------------------------------------------------

LESSON = Path(__file__).resolve().parents[2] / "lessons" / "en" / "13-playground.md"


def _front_matter(path: Path) -> dict:
    return read_front_matter(path)[0]


def _exercise(front: dict, exercise_id: str) -> dict:
    return next(e for e in front["exercises"] if e["id"] == exercise_id)


def _lesson_params(front: dict, **values) -> dict:
    return {**{k: spec["default"] for k, spec in front["params"].items()}, **values}


def test_lesson_loads_and_presets_do_what_they_say():
    from tui_workshop.course.loader import load_lesson

    lesson = load_lesson(LESSON)
    assert lesson.experiment == "playground" and 3 <= len(lesson.pages) <= 6
    for page in lesson.pages:
        assert len(page.text.splitlines()) <= 16
        assert max(len(line) for line in page.text.splitlines()) <= 78
    presets = {p.name: {**lesson.defaults(), **p.values} for p in lesson.presets}
    over = _train(Playground(presets["overfit"]), 300)
    h = over.history
    assert h["train_accuracy"][-1] - h["val_accuracy"][-1] > 0.15  # a gap opens
    assert h["val_loss"][-1] > 2 * min(h["val_loss"])  # validation loss rises again
    tamed = _train(Playground(presets["regularise"]), 300)
    assert tamed.history["val_loss"][-1] < h["val_loss"][-1]
    xor = _train(Playground(presets["xor_product"]), 100)
    assert xor.frame().metrics["val_accuracy"] >= 0.95


def test_lesson_answers_match_the_engine():
    front = _front_matter(LESSON)
    count = _exercise(front, "count")
    assert "2 → 4 → 4 → 1" in count["prompt"]
    assert count["answer"] == MLP([2, 4, 4, 1]).n_params
    assert f"{count['answer']:g} weights and biases" in render(Playground().frame().panels[2].text)

    feature = _exercise(front, "xor-feature")
    assert feature["choices"][feature["answer"]] == "x₁x₂"

    goal = _exercise(front, "spiral")
    assert goal["constraints"] == {"dataset": "spiral", "layers": "<=3"}
    assert (goal["metric"], goal["op"]) == ("val_accuracy", ">=")
    # the hinted network reaches the target with three layers; one layer of tanh does not
    hinted = _lesson_params(front, dataset="spiral", layers=3, neurons=8, activation="relu",
                            optimizer="adam", learning_rate=0.01)  # fmt: skip
    reached = _train(Playground(hinted), 300).history[goal["metric"]]
    assert max(reached) >= goal["target"]
    start = _lesson_params(front, dataset="spiral")
    assert max(_train(Playground(start), 300).history[goal["metric"]]) < goal["target"]


def test_lesson_goals_pass_the_course_checker():
    from tui_workshop.course.exercises import check_goal
    from tui_workshop.course.loader import load_lesson

    lesson = load_lesson(LESSON)
    goals = {e.id: e for e in lesson.exercises if e.kind == "goal"}

    def reached(goal_id: str, params: dict, epochs: int) -> bool:
        exp = Playground(params)
        while not exp.done and exp.steps_done < epochs:
            exp.step()
            if check_goal(goals[goal_id], exp.frame().metrics, params).correct:
                return True
        return False

    squares = {
        **lesson.defaults(),
        **next(p for p in lesson.presets if p.name == "circle_squares").values,
    }
    assert reached("circle-no-hidden", squares, 100)
    relu = {**lesson.defaults(), "dataset": "spiral", "layers": 3, "neurons": 8,
            "activation": "relu", "optimizer": "adam", "learning_rate": 0.01}  # fmt: skip
    assert reached("spiral", relu, 300)
    # the constraint bites: the deep preset breaks "at most 3 layers" whatever it reaches
    deep = {
        **lesson.defaults(),
        **next(p for p in lesson.presets if p.name == "spiral_deep").values,
    }
    feedback = check_goal(goals["spiral"], {"val_accuracy": 1.0}, deep)
    assert not feedback.correct and "layers" in render(feedback.message)


# --- schema, threads, texts ------------------------------------------------------


def test_schema_contains_the_lesson_and_bounds_sizes():
    assert lesson_problems(Playground.SCHEMA, LESSON.name) == []
    assert Playground.live_params == {"learning_rate", "show_validation"}
    for name, huge in (("points", 1_000_000_000), ("epochs", 10**9), ("neurons", 10**6),
                       ("layers", 1000), ("batch_size", 10**9)):  # fmt: skip
        with pytest.raises(ParameterError) as caught:
            Playground({name: huge})
        assert "must be between" in render(caught.value.message)
    with pytest.raises(ParameterError):
        Playground({"points": 19})
    with pytest.raises(ParameterError, match="identity output"):
        Playground({"dataset": "circle", "output": "identity"})
    with pytest.raises(ParameterError, match="identity output"):
        Playground({"dataset": "plane", "output": "sigmoid"})
    assert Playground({"dataset": "plane", "output": "identity"}).regression
    with pytest.raises(ParameterError):
        Playground().set_live("learning_rate", 0.0)


def test_steps_in_a_worker_while_frames_are_read():
    exp = Playground({"points": 60, "epochs": 40})
    seen = step_while_reading(exp, 40)
    assert seen[0] == 0 and seen[-1] == 40
    assert exp.done and exp.stopped == "epoch limit"


@pytest.mark.parametrize(
    "params",
    [
        {"regularization": "l2", "reg_rate": 0.01, "show_validation": True, "epochs": 3},
        {"dataset": "plane", "layers": 0, "optimizer": "momentum", "epochs": 3},
        {"dataset": "plane", "learning_rate": 10.0},
    ],
)
def test_every_text_goes_through_the_catalogue(pseudo_locale, params):
    exp = Playground({**params, "points": 60})
    frames = [exp.frame()]
    while not exp.done and exp.steps_done < 50:
        exp.step()
        frames.append(exp.frame())
    assert frames[-1].message is not None  # the limit or the divergence is explained
    for frame in frames:
        assert english_words(frame_texts(frame), {"tanh", "SGD"}) == []
