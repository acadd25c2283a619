"""Every goal exercise of the course: reachable on seeds 0–9 within its lesson's limits, and
not met by a trivial setting.

The goals are read from the course (``load_course``), so a new goal fails here until it has a
row in ``GOALS``. A run goes the app's way: the setting is validated by the lesson's narrowed
parameters (``coerce_params``, as a saved setting is), ``experiments.create`` builds the
experiment, ``step`` advances it until it is done (the lesson's epoch limit) and each frame's
metrics go to ``check_goal`` with the experiment's parameters, as ``ExerciseBox.set_metrics``
does for every frame the lesson screen shows.

A solution must meet its goal on the frame where its run stops. A trivial setting must not meet
it on any frame of its run, from the first to the last: the lesson's untouched defaults, the
defaults with the values the goal requires, the solution before it has run (zero epochs) and the
degenerate settings listed per goal (a threshold of 0, the extreme of a bounded parameter).
Lessons with a ``seed`` parameter are tried on seeds 0–9.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tui_workshop import experiments
from tui_workshop.course.exercises import check_goal
from tui_workshop.course.loader import load_course, parse_constraint
from tui_workshop.course.model import Exercise, Lesson
from tui_workshop.course.params import coerce_params
from tui_workshop.experiments.base import Experiment

COURSE = load_course(Path(__file__).resolve().parents[2] / "lessons" / "en")
SEEDS = tuple(range(10))
MAX_STEPS = 5000  # a run still going after this many steps is a bug of the experiment


@dataclass(frozen=True)
class Goal:
    """How a goal is met, and what must not meet it."""

    setting: Mapping[str, Any]  # what the student sets (lesson parameters)
    steps: int | None = None  # steps to take; None: run until the experiment is done
    per_seed: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)  # overrides
    trivial: tuple[Mapping[str, Any], ...] = ()  # degenerate settings, each run to its end
    # The goal is to run or step the experiment (the defaults meet it once run): only the run
    # not yet made is trivial, not the defaults.
    run: bool = False
    # The seed is what the student changes (the hint names one): the setting holds it, and
    # the lesson's default seed is a trivial setting.
    seed_lever: bool = False
    # The metric is known before the experiment runs (an output size): running is no part of
    # the solution, so the solution before its run is no trivial setting.
    needs_run: bool = True


SPIRAL = {"dataset": "spiral", "layers": 3, "neurons": 8}
GOALS: dict[tuple[str, str], Goal] = {
    ("welcome", "steps"): Goal({}, steps=3, run=True),
    ("vectors-matrices", "reveal"): Goal({"batch": 3, "n_outputs": 2}, run=True),
    ("neuron", "separate"): Goal(
        {"w1": 1.0, "w2": 1.0, "b": 0.0},
        trivial=(
            {"w1": 0.0, "w2": 0.0, "b": 0.0},
            {"w1": 0.0, "w2": 0.0, "b": 5.0},
            {"w1": 0.0, "w2": 0.0, "b": -5.0},
            {"w1": 1.0, "w2": 1.0, "b": 0.0, "dataset": "moons"},
        ),
    ),
    ("activations", "confident"): Goal(
        {"function": "softmax", "temperature": 0.4},
        trivial=(
            {"function": "softmax", "temperature": 5.0},
            {"function": "softmax", "temperature": 0.4, "z1": 5.0, "z2": -5.0},
        ),
    ),
    ("losses", "small"): Goal(
        {"y": 0, "p": 0.01},
        trivial=({"y": 0, "p": 0.999}, {"y": 0, "p": 0.5}, {"y": 1, "p": 0.999}),
    ),
    ("gradient-descent", "fast-parabola"): Goal(
        {"learning_rate": 0.5, "max_steps": 5},
        trivial=(
            {"max_steps": 5},
            {"max_steps": 5, "learning_rate": 0.0},
            {"max_steps": 5, "learning_rate": 1.0},
            {"max_steps": 5, "learning_rate": 2.0},
            {"max_steps": 500, "learning_rate": 0.1},
            {"max_steps": 5, "learning_rate": 0.1, "momentum": 0.9},
        ),
    ),
    ("gradient-descent", "ravine-goal"): Goal(
        {
            "surface": "ravine",
            "x0": -4.0,
            "y0": 1.0,
            "max_steps": 20,
            "learning_rate": 0.5,
            "momentum": 0.5,
        },
        trivial=tuple(
            {"surface": "ravine", "x0": -4.0, "y0": 1.0, "max_steps": 20, **values}
            for values in (
                {"learning_rate": 0.1},
                {"learning_rate": 0.5},
                {"learning_rate": 2.0},
                {"learning_rate": 0.1, "momentum": 0.99},
                {"learning_rate": 0.5, "momentum": 0.5, "max_steps": 500, "x0": 0.0, "y0": 0.0},
            )
        ),
    ),
    ("backprop", "pass"): Goal({"bug": "none"}, run=True, trivial=({"bug": "wrong_sign"},)),
    ("backprop", "fail"): Goal({"bug": "no_tanh_derivative"}, run=True, trivial=({"bug": "none"},)),
    ("initialisation", "relu-deep"): Goal(
        {"init": "he"},
        trivial=(
            {"init": "lecun"},
            {"init": "glorot"},
            {"init": "large"},
            {"init": "small", "layers": 1},
            {"init": "lecun", "activation": "tanh"},
        ),
    ),
    ("initialisation", "slow-down"): Goal(
        {"view": "schedule", "decay": 0.45},
        trivial=({"view": "schedule", "decay": 0.4}, {"view": "schedule", "lr0": 0.01}),
    ),
    ("initialisation", "unsaturate"): Goal(
        {"init": "lecun", "activation": "tanh", "input_scale": 20.0, "standardise": True},
        trivial=(
            {"init": "lecun", "activation": "tanh", "input_scale": 0.1},
            {"init": "small", "activation": "tanh", "input_scale": 20.0},
        ),
    ),
    ("metrics", "find-them"): Goal(
        {"dataset": "imbalanced", "threshold": 0.05},
        # threshold 0 calls every point a 1 (recall 1), threshold 1 none
        trivial=(
            {"dataset": "imbalanced", "threshold": 0.0},
            {"dataset": "imbalanced", "threshold": 1.0},
            {"dataset": "imbalanced", "threshold": 0.05, "ratio": 0.5},
            {"dataset": "imbalanced", "threshold": 0.05, "noise": 0.0},
            {"dataset": "balanced", "threshold": 0.05},
        ),
    ),
    ("metrics", "best-f1"): Goal(
        {"dataset": "imbalanced", "threshold": 0.25},
        trivial=(
            {"dataset": "imbalanced", "threshold": 0.0},
            {"dataset": "imbalanced", "threshold": 1.0},
            {"dataset": "imbalanced", "threshold": 0.25, "noise": 0.0},
            {"dataset": "balanced", "threshold": 0.25},
        ),
    ),
    ("overfitting", "cure-it"): Goal(
        {"cure": "l2"},
        # cures that do nothing: the plain run passes 0.080 near epoch 50 on its way up
        trivial=(
            {"cure": "l2", "rate": 0.0},
            {"cure": "dropout", "dropout": 0.0},
            {"cure": "l2", "hidden": 1},
            {"cure": "none", "n": 100},
            {"cure": "l2", "noise": 0.0},
            {"cure": "early_stopping"},  # the hint: it keeps the plain run's best, 0.080
        ),
    ),
    ("optimisers", "tune-sgd"): Goal(
        {"problem": "ravine", "learning_rate": 0.3, "epochs": 100},
        trivial=tuple(
            {"problem": "ravine", **values}
            for values in (
                {"epochs": 100},
                {"epochs": 100, "learning_rate": 0.1},
                {"epochs": 100, "learning_rate": 0.55},
                {"epochs": 100, "learning_rate": 1.0},
                {"epochs": 1000, "learning_rate": 0.1},
            )
        ),
    ),
    ("hyperparameter-search", "lucky-draw"): Goal(
        {"method": "random", "n_trials": 15, "seed": 2},
        seed_lever=True,
        trivial=(
            {"method": "random", "n_trials": 15},
            {"method": "random", "n_trials": 60},
            {"method": "grid"},
            {"method": "random", "n_trials": 15, "noise": 0.0},
        ),
    ),
    ("playground", "circle-no-hidden"): Goal(
        {
            "dataset": "circle",
            "layers": 0,
            "feat_x1": False,
            "feat_x2": False,
            "feat_x1sq": True,
            "feat_x2sq": True,
            "epochs": 100,  # reached from epoch 22 on, on every seed
        },
        trivial=({"dataset": "circle", "layers": 2},),
    ),
    ("playground", "spiral"): Goal(
        {
            **SPIRAL,
            "activation": "tanh",
            "feat_sin_x1": True,
            "feat_sin_x2": True,
            "optimizer": "adam",
            "learning_rate": 0.01,
            "epochs": 100,  # reached from epoch 40 on, on every seed
        },
        trivial=(
            {
                **SPIRAL,
                "layers": 6,
                "activation": "relu",
                "optimizer": "adam",
                "learning_rate": 0.01,
            },
        ),
    ),
    ("convolution", "keep-size"): Goal(
        {"kernel": "blur_5x5", "padding": 2},
        needs_run=False,
        trivial=(
            {"kernel": "blur_5x5", "padding": 3},
            {"kernel": "identity"},
            {"kernel": "blur_5x5", "padding": 2, "stride": 2},
        ),
    ),
    ("convolution", "shrink"): Goal(
        {"padding": 1, "stride": 3},
        needs_run=False,
        trivial=({"padding": 1, "stride": 2}, {"padding": 0, "stride": 1, "size": 6}),
    ),
    ("cnn-digits", "reach"): Goal({}, run=True),
    ("cnn-digits", "four"): Goal({"filters": 4, "epochs": 40}),
    ("recurrence", "survive"): Goal(
        {"activation": "linear", "w": 0.97},
        trivial=tuple({"activation": "linear", "w": w} for w in (0.95, -0.95, 1.5, 3.0)),
    ),
    ("recurrence", "clip"): Goal(
        {"activation": "linear", "w": 1.5, "clip": 1.0},
        trivial=(
            {"activation": "linear", "w": 1.5, "clip": 100.0},
            {"activation": "linear", "w": 0.5},
        ),
    ),
    ("rnn-series", "sine-goal"): Goal({"window": 10}, run=True),
    ("rnn-series", "small"): Goal({"hidden": 4, "window": 10, "epochs": 135}),
    ("limits", "flip"): Goal(
        {"demo": "adversarial", "epsilon": 0.1, "sample": 0},
        # image 0 flips on seeds 0–4; each other seed flips another image
        per_seed={
            5: {"sample": 2},
            6: {"sample": 2},
            7: {"sample": 4},
            8: {"sample": 1},
            9: {"sample": 1},
        },
        run=True,
        trivial=({"demo": "adversarial", "epsilon": 0.0}, {"demo": "adversarial", "epsilon": 0.5}),
    ),
}


def goal_exercises() -> Iterator[tuple[Lesson, Exercise]]:
    for lesson in COURSE.lessons:
        for exercise in lesson.exercises:
            if exercise.kind == "goal":
                yield lesson, exercise


def seeded(lesson: Lesson) -> bool:
    return any(spec.name == "seed" for spec in lesson.params)


def cases() -> Iterator[Any]:
    for lesson, exercise in goal_exercises():
        goal = GOALS.get((lesson.id, exercise.id))
        seeds = SEEDS if seeded(lesson) and not (goal and goal.seed_lever) else (None,)
        for seed in seeds:
            suffix = "" if seed is None else f"-seed{seed}"
            yield pytest.param(lesson, exercise, seed, id=f"{lesson.id}-{exercise.id}{suffix}")


def lesson_values(lesson: Lesson, setting: Mapping[str, Any]) -> dict[str, Any]:
    """The lesson's defaults overlaid with ``setting``, each value validated by the lesson."""
    values, warnings = coerce_params(lesson, setting)
    assert not warnings, (lesson.id, dict(setting), warnings)
    return values


def required_values(exercise: Exercise) -> dict[str, Any]:
    """The values a goal's constraints fix (``dataset = "imbalanced"``, ``T = 20``)."""
    fixed = {}
    for name, rule in exercise.constraints.items():
        op, value = parse_constraint(rule)
        if op == "==":
            fixed[name] = value
    return fixed


def met(lesson: Lesson, exercise: Exercise, exp: Experiment) -> bool:
    """Whether the experiment's current frame reaches the goal, as the exercise box says."""
    return check_goal(exercise, exp.frame().metrics, dict(exp.params), lesson).correct


def constraints_hold(lesson: Lesson, exercise: Exercise, params: Mapping[str, Any]) -> bool:
    """Whether ``params`` keep the goal's constraints (a metric on target cannot fail then)."""
    on_target = {">=": 0.0, "<=": 0.0, "==": 0.0, ">": 1.0, "<": -1.0}[exercise.op]
    metrics = {exercise.metric: exercise.target + on_target}
    return check_goal(exercise, metrics, dict(params), lesson).correct


def run(exp: Experiment, steps: int | None) -> Iterator[int]:
    """Step ``exp`` until it is done (or ``steps`` were taken), yielding the step count
    before the first step and after each one."""
    yield 0
    taken = 0
    while not exp.done and (steps is None or taken < steps):
        assert taken < MAX_STEPS, f"{exp.name} is not done after {MAX_STEPS} steps"
        exp.step()
        taken += 1
        yield taken


def setting_for(goal: Goal, seed: int | None) -> dict[str, Any]:
    setting = dict(goal.setting)
    if seed is not None:
        setting["seed"] = seed
        setting.update(goal.per_seed.get(seed, {}))
    return setting


def trivial_settings(
    lesson: Lesson, exercise: Exercise, goal: Goal, seed: int | None
) -> list[tuple[str, dict[str, Any], int | None]]:
    """(what, setting, steps) of each trivial setting: steps None runs it to its end."""
    with_seed = {} if seed is None else {"seed": seed}
    trials: list[tuple[str, dict[str, Any], int | None]] = []
    if goal.needs_run and experiments.experiment_class(lesson.experiment).trainable:
        trials.append(("the solution before it has run", setting_for(goal, seed), 0))
    if not goal.run:
        trials += [
            ("the lesson's defaults", dict(with_seed), None),
            (
                "the defaults with the values the goal requires",
                {**required_values(exercise), **with_seed},
                None,
            ),
        ]
    if goal.seed_lever:
        trials.append(
            (
                "the solution on the default seed",
                {**goal.setting, "seed": lesson.param("seed").default},
                None,
            )
        )
    trials += [
        (f"trivial setting {i}", {**values, **with_seed}, None)
        for i, values in enumerate(goal.trivial)
    ]
    return trials


def test_every_goal_has_a_solution_and_every_solution_a_goal():
    goals = {(lesson.id, exercise.id) for lesson, exercise in goal_exercises()}
    assert len(goals) >= 20
    assert goals - set(GOALS) == set(), "goal exercises with no recorded solution"
    assert set(GOALS) - goals == set(), "solutions for goals the course no longer has"


@pytest.mark.parametrize(("lesson", "exercise", "seed"), list(cases()))
def test_goal_is_reachable_and_not_met_trivially(lesson, exercise, seed):
    goal = GOALS.get((lesson.id, exercise.id))
    if goal is None:
        pytest.fail(f"{lesson.id}/{exercise.id}: no solution recorded in GOALS")
    setting = setting_for(goal, seed)
    if goal.seed_lever:
        assert setting["seed"] in SEEDS and setting["seed"] != lesson.param("seed").default
    values = lesson_values(lesson, setting)
    assert constraints_hold(lesson, exercise, values), (setting, dict(exercise.constraints))
    exp = experiments.create(lesson.experiment, values)
    for _ in run(exp, goal.steps):
        pass
    assert met(lesson, exercise, exp), (
        f"{lesson.id}/{exercise.id} seed {seed}: {setting} stops at step {exp.steps_done} with "
        f"{exercise.metric} = {exp.frame().metrics.get(exercise.metric)}, goal {exercise.op} "
        f"{exercise.target}"
    )

    for what, trial, steps in trivial_settings(lesson, exercise, goal, seed):
        values = lesson_values(lesson, trial)
        if not constraints_hold(lesson, exercise, values):
            continue  # never met, whatever the run shows: its parameters stay as they are
        exp = experiments.create(lesson.experiment, values)
        for step in run(exp, steps):
            assert not met(lesson, exercise, exp), (
                f"{lesson.id}/{exercise.id} seed {seed}: {what} {trial} meets the goal at step "
                f"{step}: {exercise.metric} = {exp.frame().metrics.get(exercise.metric)}"
            )
