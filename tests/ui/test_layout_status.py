"""Status lines put the most important figure first (issue 10).

At 80 columns the status line is cut (with …) after a few fields, so its first
field is the figure the lesson's goals are about. KEY_FIGURES says, per
experiment of the course, what that first field must be; a new experiment
must be added to it. Every experiment is built with its lesson's defaults
(and each value of the parameter that switches what it shows), stepped once,
and its status's first field (fields are joined by " · ") checked. That the
first field is drawn whole at 80x24 is checked in the layout pass
(test_layout.py, "status first").
"""

from __future__ import annotations

import re

import pytest

from tests.ui.test_real_course import REAL_COURSE
from tui_workshop import experiments
from tui_workshop.i18n import render

NUMBER = r"−?[\d.]+(e[−+]?\d+)?%?"
# experiment -> the first field of its status (a regular expression, matched whole).
KEY_FIGURES: dict[str, str] = {
    "welcome": r"step \d+/\d+",
    "linear_algebra": r"\d+/\d+ entr(y|ies)",
    "neuron": rf"accuracy {NUMBER}",
    "activations": rf"(\w+\({NUMBER}\) = {NUMBER}|p = \(.*\))",
    "losses": rf"CE {NUMBER}  MSE {NUMBER}",
    "gradient_descent": rf"f = {NUMBER}",
    "backprop": r"(check: \S+ (PASS|FAIL)|\d+/\d+ revealed)",
    "initialisation": rf"(the signal vanishes|the signal explodes or saturates"
    rf"|the spread is kept|the spread drifts|η after \d+ epochs: {NUMBER})",
    "metrics_lab": rf"F1 {NUMBER}",
    "overfitting": rf"val {NUMBER}",
    "optimizer_race": rf"(SGD|mom\.|RMS|Adam) {NUMBER}",  # the leader: checked below
    "hyperparameter_search": rf"(best val {NUMBER}|trial \d+/\d+)",
    "playground": rf"val (R² )?{NUMBER}",
    "convolution": rf"(out\[\d+,\d+\] = {NUMBER}|.* on a \d+×\d+ image: no output)",
    "cnn_digits": rf"test {NUMBER}",
    "recurrence": rf"∂h\S*/∂h₀ = {NUMBER}",
    "rnn_series": rf"forecast RMSE {NUMBER}",
    "limits": rf"(MSE out {NUMBER}|reads \d → \d|largest weight: \w+, {NUMBER}"
    rf"|recall {NUMBER}|first/last grad {NUMBER})",
    "summary": r".+ \(\d+/\d+\)",
}
# Parameters that switch what an experiment shows (and so its status): each value is tried.
SWITCHES = {
    "limits": "demo",
    "initialisation": "view",
    "overfitting": "mode",
    "optimizer_race": "problem",
    "activations": "function",
}


def test_every_experiment_of_the_course_has_a_key_figure() -> None:
    assert {lesson.experiment for lesson in REAL_COURSE.lessons} == set(KEY_FIGURES)


def variants(lesson) -> list[dict]:
    defaults = lesson.defaults()
    switch = SWITCHES.get(lesson.experiment)
    param = next((p for p in lesson.params if p.name == switch), None)
    if param is None or not param.choices:
        return [defaults]
    return [{**defaults, switch: choice} for choice in param.choices]


@pytest.mark.parametrize("lesson", REAL_COURSE.lessons, ids=lambda lesson: lesson.id)
def test_the_status_starts_with_the_key_figure(lesson) -> None:
    for params in variants(lesson):
        experiment = experiments.create(lesson.experiment, params)
        if experiment.trainable and not experiment.done:
            experiment.step()
        frame = experiment.frame()
        first = render(frame.status).split(" · ")[0]
        assert re.fullmatch(KEY_FIGURES[lesson.experiment], first), (lesson.id, params, first)
        if lesson.experiment == "optimizer_race":  # the leader first
            losses = [v for k, v in frame.metrics.items() if k.startswith("loss_")]
            value = float(first.split()[-1].replace("−", "-"))
            assert value == pytest.approx(min(losses), abs=1e-3), (first, losses)
