"""Gradient descent: exact update numbers, divergence, momentum, saddle points."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from tests.unit.experiment_checks import (
    english_words,
    frame_texts,
    language,
    lesson_problems,
    step_while_reading,
)
from tui_workshop.course.loader import read_front_matter
from tui_workshop.experiments import Heatmap, LinePlot, ParameterError, TextPanel, create
from tui_workshop.experiments.gradient_descent import SURFACES, GradientDescent
from tui_workshop.i18n import render

NUMBER = r"\(?[−-]?\d+\.\d+\)?"


def _numbers(line: str) -> list[float]:
    return [float(t.replace("−", "-").strip("()")) for t in re.findall(NUMBER, line)]


def _run(**params) -> GradientDescent:
    exp = GradientDescent(params)
    while not exp.done:
        exp.step()
    return exp


def _steps_to(params: dict, distance: float) -> int:
    exp = GradientDescent(params)
    while not exp.done and exp.distance_to_minimum() > distance:
        exp.step()
    return exp.steps_done


@pytest.mark.parametrize(("x0", "lr"), [(1.5, 0.1), (2.5, 0.3), (-1.75, 0.05)])
def test_plain_update_shows_exact_numbers(x0, lr):
    exp = GradientDescent({"surface": "parabola", "x0": x0, "learning_rate": lr})
    text = render(exp.frame().panels[2].text)
    line = next(ln for ln in text.splitlines() if ln.startswith("x ←"))
    assert line.startswith("x ← x − η·f′(x) = ")
    x, eta, grad, new = _numbers(line)
    assert (x, eta, grad) == pytest.approx((x0, lr, 2 * x0))
    assert new == pytest.approx(round(x0 - lr * 2 * x0, 2))
    exp.step()
    assert exp.frame().metrics["x"] == pytest.approx(x0 - lr * 2 * x0, abs=1e-15)
    assert exp.frame().metrics["loss"] == pytest.approx((x0 - lr * 2 * x0) ** 2)


def test_the_brief_example_reads_as_written():
    exp = GradientDescent({"surface": "parabola", "x0": 1.5, "learning_rate": 0.1})
    assert "x ← x − η·f′(x) = 1.50 − 0.10·3.00 = 1.20" in render(exp.frame().panels[2].text)


def test_momentum_update_numbers():
    exp = GradientDescent(
        {"surface": "ravine", "x0": -4.0, "y0": 1.0, "learning_rate": 0.1, "momentum": 0.8}
    )
    exp.step()
    vx, vy = exp.velocity
    x, y = exp.point
    gx, gy = 0.2 * x, 2 * y  # gradient of 0.1x² + y²
    lines = render(exp.frame().panels[2].text).splitlines()
    grad_line = next(ln for ln in lines if ln.startswith("∇f"))
    assert _numbers(grad_line) == pytest.approx([round(gx, 2), round(gy, 2)])
    v_line = next(ln for ln in lines if ln.startswith("vx ←"))
    beta, v_old, eta, g, v_new = _numbers(v_line)
    assert (beta, eta) == (0.8, 0.1)
    assert v_old == pytest.approx(round(vx, 2)) and g == pytest.approx(round(gx, 2))
    assert v_new == pytest.approx(round(0.8 * vx - 0.1 * gx, 2))
    exp.step()
    assert exp.velocity[0] == pytest.approx(0.8 * vx - 0.1 * gx)
    assert exp.point[1] == pytest.approx(y + 0.8 * vy - 0.1 * gy)


@pytest.mark.parametrize(
    ("surface", "lr"),
    [("parabola", 1.1), ("double_well", 5.0), ("rosenbrock", 0.01), ("bowl", 10.0)],
)
def test_too_large_learning_rate_diverges_with_a_warning(surface, lr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exp = _run(surface=surface, x0=2.0, y0=1.5, learning_rate=lr, max_steps=1000)
        frame = exp.frame()
    assert exp.diverged and frame.done
    assert exp.steps_done < 1000
    assert frame.level == "warning"
    assert "learning rate is too large" in render(frame.message)


def test_small_learning_rates_converge_and_larger_ones_faster():
    slow = _run(surface="parabola", x0=2.0, learning_rate=0.01, max_steps=50)
    good = _run(surface="parabola", x0=2.0, learning_rate=0.3, max_steps=50)
    assert slow.frame().metrics["loss"] > 0.5
    assert good.frame().metrics["loss"] < 1e-6
    assert not slow.diverged and not good.diverged
    # 0.9 oscillates around the minimum but still converges
    zigzag = GradientDescent({"surface": "parabola", "x0": 2.0, "learning_rate": 0.9})
    zigzag.step()
    assert zigzag.point[0] < 0
    assert _run(surface="parabola", x0=2.0, learning_rate=0.9).frame().metrics["loss"] < 1e-3


def test_momentum_crosses_the_ravine_faster():
    base = {"surface": "ravine", "x0": -4.0, "y0": 1.0, "learning_rate": 0.3, "max_steps": 400}
    plain = _steps_to({**base, "momentum": 0.0}, 1e-3)
    heavy = _steps_to({**base, "momentum": 0.7}, 1e-3)
    assert heavy < plain / 2, (plain, heavy)


def test_saddle_point_traps_an_exactly_balanced_start():
    stuck = _run(surface="saddle", x0=2.0, y0=0.0, learning_rate=0.1, max_steps=200)
    frame = stuck.frame()
    assert stuck.converged and "saddle" in render(frame.message)
    assert frame.metrics["distance"] == pytest.approx(1.0)
    escaped = _run(surface="saddle", x0=2.0, y0=0.01, learning_rate=0.1, max_steps=200)
    assert escaped.frame().metrics["distance"] < 1e-3
    assert escaped.frame().metrics["loss"] == pytest.approx(-0.25)


def test_double_well_local_minimum_and_momentum_escape():
    local = _run(surface="double_well", x0=2.0, learning_rate=0.05, max_steps=200)
    assert local.point[0] > 0 and "local minimum" in render(local.frame().message)
    rolled = _run(surface="double_well", x0=2.0, learning_rate=0.05, momentum=0.8, max_steps=200)
    assert rolled.point[0] < 0  # momentum carried it over the hump to the lower well
    f = SURFACES["double_well"].f
    assert f(rolled.point) < f(local.point)


def test_frames_have_expected_panels():
    one_d = GradientDescent({"surface": "parabola"}).frame()
    assert [type(p) for p in one_d.panels] == [LinePlot, LinePlot, TextPanel]
    exp = GradientDescent({"surface": "bowl", "x0": 2.0, "y0": -1.0})
    exp.set_grid(40, 16)
    for _ in range(3):
        exp.step()
    frame = exp.frame()
    heat = frame.panels[0]
    assert isinstance(heat, Heatmap) and not heat.diverging
    assert heat.z.shape == (16, 40)
    # z holds f itself (log-shaded colours): the legend speaks in values of f
    assert heat.log_colors and (heat.vmin, heat.vmax) == (heat.z.min(), heat.z.max())
    assert heat.z.min() >= 0.0 and heat.z.max() == pytest.approx(18.0)  # bowl at (±3, ±3)
    path = next(s for s in heat.points if render(s.label) == "path")
    assert len(path.x) == 4  # the start and three steps
    assert set(frame.metrics) >= {"loss", "steps", "distance", "x", "y"}
    assert frame.metrics["steps"] == 3.0
    assert frame.metrics["distance"] == pytest.approx(np.hypot(*exp.point))
    loss_plot = frame.panels[1]
    assert len(loss_plot.series[0].y) == 4


def test_step_limit_and_live_learning_rate():
    exp = GradientDescent({"learning_rate": 0.01, "max_steps": 3})
    for _ in range(10):
        exp.step()
    assert exp.steps_done == 3 and exp.done
    assert render(exp.frame().message) == "Step limit reached (3 steps)."
    exp = GradientDescent({"learning_rate": 0.01})
    exp.set_live("learning_rate", 0.4)
    exp.step()
    assert exp.point[0] == pytest.approx(2.5 - 0.4 * 5.0)


def test_every_surface_builds_and_bad_parameters_fail():
    for name in SURFACES:
        assert create("gradient_descent", {"surface": name}).frame().panels
    with pytest.raises(ParameterError):
        GradientDescent({"surface": "volcano"})
    with pytest.raises(ParameterError):
        GradientDescent({"momentum": 1.0})


def test_live_step_limit_ends_or_extends_the_run():
    exp = GradientDescent({"learning_rate": 0.01, "max_steps": 3})
    for _ in range(3):
        exp.step()
    assert exp.done
    exp.set_live("max_steps", 5)  # a higher limit lets the run go on
    assert not exp.done and exp.frame().message is None
    exp.step()
    exp.set_live("max_steps", 2)  # below the steps taken: stopped at once
    assert exp.done and exp.steps_done == 4
    assert render(exp.frame().message) == "Step limit reached (2 steps)."


def test_stepping_in_a_thread_while_frames_are_read():
    exp = GradientDescent({"surface": "ravine", "x0": -4.0, "learning_rate": 0.05,
                           "max_steps": 300})
    seen = step_while_reading(exp, 300)
    assert seen[-1] == 300 and exp.done


@pytest.mark.parametrize("bad", [{"max_steps": 1_000_000_000}, {"learning_rate": 1e6},
                                 {"x0": 1e9}, {"momentum": -0.1}])
def test_over_large_values_are_rejected_by_the_schema(bad):
    with pytest.raises(ParameterError) as error:
        GradientDescent(bad)
    assert render(error.value.message)


ALLOWED = frozenset({"Rosenbrock"})


@pytest.mark.parametrize(
    "params",
    [
        {"surface": "parabola"},
        {"surface": "ravine", "momentum": 0.5, "max_steps": 4},
        {"surface": "saddle", "x0": 2.0, "y0": 0.0, "max_steps": 200},
        {"surface": "parabola", "learning_rate": 1.1, "max_steps": 200},
        {"surface": "double_well", "x0": 2.0, "learning_rate": 0.05, "max_steps": 300},
    ],
)
def test_every_text_is_translated(params):
    exp = GradientDescent(params)
    frames = [exp.frame()]
    while not exp.done:
        exp.step()
    frames.append(exp.frame())
    with language():
        for frame in frames:
            assert english_words(frame_texts(frame), ALLOWED) == []
            assert render(exp.title) != "Gradient descent"


# --- the lesson ---------------------------------------------------------------

LESSON = Path(__file__).resolve().parents[2] / "lessons" / "en" / "06-gradient-descent.md"


def _front_matter(path: Path) -> dict:
    return read_front_matter(path)[0]


def _exercise(front: dict, exercise_id: str) -> dict:
    return next(e for e in front["exercises"] if e["id"] == exercise_id)


def _defaults(front: dict) -> dict:
    return {name: spec["default"] for name, spec in front["params"].items()}


def _constrained(goal: dict, base: dict, **params) -> dict:
    """Parameters for a goal: ``base``, the goal's fixed values, then ``params``;
    checks that the result keeps the goal's "<=" constraints."""
    rules = goal["constraints"]
    fixed = {k: v for k, v in rules.items() if not (isinstance(v, str) and v[:1] in "<>=")}
    values = {**base, **fixed, **params}
    for name, rule in rules.items():
        if isinstance(rule, str) and rule.startswith("<="):
            assert values[name] <= float(rule[2:])
    return values


def test_schema_contains_the_lesson():
    assert lesson_problems(GradientDescent.SCHEMA, LESSON.name) == []


def test_lesson_loads_and_presets_behave():
    from tui_workshop.course.loader import load_lesson

    lesson = load_lesson(LESSON)
    assert lesson.experiment == "gradient_descent" and 3 <= len(lesson.pages) <= 6
    for page in lesson.pages:
        assert len(page.text.splitlines()) <= 16
        assert max(len(line) for line in page.text.splitlines()) <= 78
    runs = {p.name: _run(**{**lesson.defaults(), **p.values}) for p in lesson.presets}
    assert {"too_small", "good", "too_large", "diverging", "ravine_momentum", "saddle"} <= set(runs)
    assert runs["too_small"].frame().metrics["loss"] > 0.5
    assert runs["good"].frame().metrics["loss"] < 1e-6
    xs = [p[0] for p in runs["too_large"].path[:4]]
    assert xs[0] > 0 > xs[1] and xs[2] > 0  # zigzag
    assert runs["too_large"].frame().metrics["loss"] < runs["too_small"].frame().metrics["loss"]
    assert runs["diverging"].diverged and runs["diverging"].frame().level == "warning"
    assert runs["ravine_momentum"].frame().metrics["distance"] < 1e-3
    assert runs["saddle"].converged and runs["saddle"].frame().metrics["distance"] > 0.9
    assert runs["saddle_nudge"].frame().metrics["distance"] < 1e-3
    assert runs["local_minimum"].point[0] > 0 > runs["roll_over"].point[0]


def test_lesson_numeric_answers_match_the_engine():
    front = _front_matter(LESSON)
    one = _exercise(front, "one-step")
    exp = GradientDescent({"surface": "parabola", "x0": 1.5, "learning_rate": 0.1})
    exp.step()
    assert one["answer"] == pytest.approx(exp.point[0], abs=one["tolerance"])

    two = _exercise(front, "momentum-steps")
    params = {"surface": "parabola", "x0": 2.0, "learning_rate": 0.1, "momentum": 0.9}
    exp = GradientDescent(params)
    exp.step()
    exp.step()
    assert two["answer"] == pytest.approx(exp.point[0], abs=two["tolerance"])

    eta_one = _exercise(front, "eta-one")
    exp = GradientDescent({"surface": "parabola", "x0": 2.0, "learning_rate": 1.0})
    exp.step()
    assert exp.point[0] == -2.0
    exp.step()
    assert exp.point[0] == 2.0
    assert "forever" in eta_one["choices"][eta_one["answer"]]


def test_lesson_goals_are_reachable_as_hinted():
    front = _front_matter(LESSON)
    fast = _exercise(front, "fast-parabola")
    base = {**_defaults(front), "max_steps": 5}

    def reached(goal: dict, **params) -> bool:
        exp = _run(**_constrained(goal, base, **params))
        return exp.frame().metrics[goal["metric"]] <= goal["target"]

    assert all(reached(fast, learning_rate=lr) for lr in (0.25, 0.5, 0.75))
    assert not any(reached(fast, learning_rate=lr) for lr in (0.1, 0.2, 0.8))

    ravine = _exercise(front, "ravine-goal")
    base = {**_defaults(front), "max_steps": 20}
    assert reached(ravine, learning_rate=0.5, momentum=0.5)
    plain = [
        _run(**_constrained(ravine, base, learning_rate=lr)).distance_to_minimum()
        for lr in np.arange(0.05, 1.0, 0.01)
    ]
    assert 0.05 < min(plain) < 0.1  # "about 0.07 away"


def test_lesson_goals_pass_the_course_checker():
    from tui_workshop.course.exercises import check_goal
    from tui_workshop.course.loader import load_lesson

    lesson = load_lesson(LESSON)
    goals = {e.id: e for e in lesson.exercises if e.kind == "goal"}

    def reached(goal_id: str, **values) -> bool:
        params = {**lesson.defaults(), **values}
        exp = GradientDescent(params)
        while not exp.done:
            exp.step()
        return check_goal(goals[goal_id], exp.frame().metrics, params).correct

    assert reached("fast-parabola", x0=2.5, learning_rate=0.5, max_steps=5)
    assert not reached("fast-parabola", x0=2.5, learning_rate=0.1, max_steps=5)
    assert not reached("fast-parabola", x0=2.5, learning_rate=0.1, max_steps=50)  # limit
    ravine = {"surface": "ravine", "x0": -4.0, "y0": 1.0, "max_steps": 20}
    assert reached("ravine-goal", **ravine, learning_rate=0.5, momentum=0.5)
    assert not reached("ravine-goal", **ravine, learning_rate=0.9, momentum=0.0)
