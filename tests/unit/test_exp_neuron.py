"""The neuron experiment: numbers shown equal NumPy's, the boundary follows the weights."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tests.unit.experiment_checks import english_words, frame_texts, language, lesson_problems
from tui_workshop.course.loader import read_front_matter
from tui_workshop.experiments import REGISTRY, Heatmap, ParameterError, TextPanel, create
from tui_workshop.experiments._common import num, param_num, percent, term, vec
from tui_workshop.experiments.neuron import ACTIVATIONS, Neuron, _Neuron
from tui_workshop.i18n import render


def text_of(frame) -> str:
    return render(frame.panels[1].text)

NUMBER = r"[−-]?\d+\.\d+"


def _float(text: str) -> float:
    return float(text.replace("−", "-").strip("()"))


def _grid_coords(h: Heatmap):
    rows, cols = h.z.shape
    xs = np.linspace(*h.x_range, cols)
    ys = np.linspace(*h.y_range, rows)
    return np.meshgrid(xs, ys)  # row 0 at the bottom, like Heatmap.z


def test_registered_and_frame_panels():
    assert REGISTRY["neuron"] is Neuron
    exp = create("neuron", {"dataset": "xor"})
    assert not exp.trainable and exp.done
    frame = exp.frame()
    kinds = [type(p) for p in frame.panels]
    assert kinds == [Heatmap, TextPanel]
    heat = frame.panels[0]
    assert heat.z.shape == (20, 48)
    roles = sorted(s.role for s in heat.points)
    assert roles == [0, 1, 2]  # class 0, class 1, the chosen sample
    assert 0.0 <= frame.metrics["accuracy"] <= 1.0


@pytest.mark.parametrize(
    ("w1", "w2", "b", "sample"),
    [(0.5, -0.3, 0.1, 0), (1.2, 0.7, -0.45, 17), (-2.0, 0.25, 1.5, 99)],
)
def test_shown_computation_equals_numpy(w1, w2, b, sample):
    exp = Neuron({"w1": w1, "w2": w2, "b": b, "sample": sample})
    frame = exp.frame()
    x = exp.X[sample]
    z = float(np.dot([w1, w2], x) + b)
    a = 1 / (1 + np.exp(-z))
    assert frame.metrics["z"] == pytest.approx(z)
    assert frame.metrics["a"] == pytest.approx(a)
    assert frame.metrics["predicted_class"] == float(z >= 0)

    text = text_of(frame)
    assert f"x = {render(vec(x))}" in text
    line = next(ln for ln in text.splitlines() if ln.startswith("z = w·x + b ="))
    terms = re.findall(r"\(?" + NUMBER + r"\)?", line.split("=", 2)[2])
    # w1·x1 + w2·x2 + b = z, each number as written
    v = [_float(t) for t in terms]
    assert v[:5] == pytest.approx([w1, x[0], w2, x[1], b])
    # the written numbers reproduce the written result exactly
    assert v[0] * v[1] + v[2] * v[3] + v[4] == pytest.approx(v[5], abs=5e-5)
    assert v[5] == pytest.approx(z, abs=5e-5)
    assert f"a = σ(z) = {render(num(a, 3))} → class {int(z >= 0)}" in text


def test_numbers_use_unicode_minus_and_parentheses():
    assert render(num(-0.3)) == "−0.30"
    assert render(num(-0.0001)) == "−1.0e−4"
    assert render(num(-0.001)) == "−1.0e−3"
    assert render(term(-0.3)) == "(−0.30)" and render(term(0.3)) == "0.30"
    assert render(param_num(0.125)) == "0.125" and render(param_num(0.1)) == "0.10"
    assert render(percent(0.953)) == "95%" and render(vec([1, -2])) == "(1.00, −2.00)"
    text = text_of(Neuron({"w1": 0.5, "w2": -0.3, "b": 0.1}).frame())
    assert "-" not in text and "(−0.30)·" in text


def test_heatmap_sign_follows_weights():
    # w = (1, 0), b = 0: class 1 exactly where x1 >= 0; w = (0, -1): where x2 <= 0
    for w1, w2, coord, sign in [(1.0, 0.0, 0, 1), (0.0, -1.0, 1, -1), (2.0, 0.0, 0, 1)]:
        exp = Neuron({"w1": w1, "w2": w2, "b": 0.0, "activation": "tanh"})
        heat = exp.frame().panels[0]
        grid = _grid_coords(heat)[coord]
        positive = heat.z > 0
        expected = sign * grid > 0
        assert np.array_equal(positive, expected)
    # moving the bias shifts the line: b = −1 with w = (1, 0) puts it at x1 = 1
    heat = Neuron({"w1": 1.0, "w2": 0.0, "b": -1.0, "activation": "tanh"}).frame().panels[0]
    gx, _ = _grid_coords(heat)
    assert np.array_equal(heat.z > 0, gx > 1.0)


def test_heatmap_values_equal_the_activation():
    exp = Neuron({"w1": 0.8, "w2": -0.4, "b": 0.3, "activation": "sigmoid"})
    heat = exp.frame().panels[0]
    gx, gy = _grid_coords(heat)
    expected = 1 / (1 + np.exp(-(0.8 * gx - 0.4 * gy + 0.3)))
    np.testing.assert_allclose(heat.z, expected, rtol=1e-12)
    assert (heat.vmin, heat.vmax) == (0.0, 1.0)


def test_accuracy_equals_numpy():
    for w, b in [((1.0, 1.0), 0.0), ((0.5, -0.3), 0.1), ((-1.0, 0.2), 2.0)]:
        exp = Neuron({"w1": w[0], "w2": w[1], "b": b, "dataset": "gauss"})
        predicted = (exp.X @ np.array(w) + b >= 0).astype(int)
        assert exp.frame().metrics["accuracy"] == pytest.approx(np.mean(predicted == exp.y))
    # a good line separates the two gaussian blobs; no line separates xor well
    assert Neuron({"w1": 1.0, "w2": 1.0, "b": 0.0}).accuracy() >= 0.95
    assert Neuron({"w1": 1.0, "w2": 1.0, "b": 0.0, "dataset": "xor"}).accuracy() < 0.8


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_every_activation_classifies_by_the_sign_of_z(activation):
    exp = Neuron({"w1": 0.7, "w2": -1.1, "b": 0.2, "activation": activation, "sample": 5})
    z = exp.X @ np.array([0.7, -1.1]) + 0.2
    a = exp.neuron.forward(exp.X)
    np.testing.assert_array_equal(exp.classify(a), (z > 0).astype(int))
    frame = exp.frame()
    assert frame.panels[0].vmin < frame.panels[0].vmax
    assert "→ class" in text_of(frame)


def test_set_grid_and_bad_parameters():
    exp = Neuron()
    exp.set_grid(30, 12)
    assert exp.frame().panels[0].z.shape == (12, 30)
    assert Neuron({"sample": 99}).sample_index == len(exp.X) - 1
    with pytest.raises(ParameterError):
        Neuron({"sample": 10_000})
    with pytest.raises(ParameterError):
        Neuron({"noise": 5.0})
    with pytest.raises(ParameterError):
        Neuron({"activation": "softmax"})
    with pytest.raises(ParameterError):
        Neuron({"dataset": "mnist"})
    with pytest.raises(ParameterError):
        Neuron({"learning_rate": 0.1})


# --- the lesson ---------------------------------------------------------------

LESSON = Path(__file__).resolve().parents[2] / "lessons" / "en" / "03-neuron.md"


def _front_matter(path: Path) -> dict:
    return read_front_matter(path)[0]


def _exercise(front: dict, exercise_id: str) -> dict:
    return next(e for e in front["exercises"] if e["id"] == exercise_id)


def test_lesson_loads_and_presets_run():
    from tui_workshop.course.loader import load_lesson

    lesson = load_lesson(LESSON)
    assert lesson.experiment == "neuron" and 3 <= len(lesson.pages) <= 6
    for page in lesson.pages:
        assert len(page.text.splitlines()) <= 16
        assert max(len(line) for line in page.text.splitlines()) <= 78
    for preset in lesson.presets:
        frame = Neuron({**lesson.defaults(), **preset.values}).frame()
        assert 0.0 <= frame.metrics["accuracy"] <= 1.0


def test_lesson_numeric_answers_match_the_engine():
    from tui_workshop.course.expr import evaluate
    from tui_workshop.nn.activations import get

    front = _front_matter(LESSON)
    z_ex, s_ex = _exercise(front, "z"), _exercise(front, "sigmoid")
    assert "x = (1.2, 0.4), w = (0.5, −0.3), b = 0.1" in z_ex["prompt"]
    neuron = _Neuron(np.array([0.5, -0.3]), 0.1, "sigmoid")
    z = float(neuron.z(np.array([[1.2, 0.4]]))[0])
    assert z_ex["answer"] == pytest.approx(z, abs=z_ex["tolerance"])
    a = float(get("sigmoid").f(np.array(z)))
    assert a == pytest.approx(float(neuron.forward(np.array([[1.2, 0.4]]))[0]))
    assert s_ex["answer"] == pytest.approx(a, abs=s_ex["tolerance"])
    # the formula the hint suggests typing is accepted
    assert evaluate("1/(1+exp(-0.58))") == pytest.approx(s_ex["answer"], abs=s_ex["tolerance"])


def test_lesson_choice_and_goal_answers_hold():
    front = _front_matter(LESSON)
    double = _exercise(front, "double")
    assert "stays" in double["choices"][double["answer"]]
    same = [
        Neuron({"w1": k * 0.7, "w2": k * -0.4, "b": k * 0.5}).frame().panels[0].z >= 0.5
        for k in (1, 2)
    ]
    assert np.array_equal(*same)

    xor = _exercise(front, "xor")
    assert xor["choices"][xor["answer"]] == "xor"
    rng = np.random.default_rng(0)
    lines = rng.normal(size=(4000, 2)), rng.uniform(-6, 6, 4000)
    best = {}
    for name in ("xor", "gauss"):
        exp = Neuron({"dataset": name})
        hits = ((exp.X @ lines[0].T + lines[1]) >= 0) == exp.y[:, None]
        best[name] = hits.mean(axis=0).max()
    assert best["xor"] < 0.8 <= best["gauss"]

    goal = _exercise(front, "separate")
    preset = front["presets"]["separate"]["values"]
    assert preset["dataset"] == goal["constraints"]["dataset"]
    assert Neuron(preset).frame().metrics[goal["metric"]] >= goal["target"]
    assert Neuron(front["presets"]["start"]["values"]).accuracy() < goal["target"]


def test_lesson_goal_passes_the_course_checker():
    from tui_workshop.course.exercises import check_goal
    from tui_workshop.course.loader import load_lesson

    lesson = load_lesson(LESSON)
    goal = next(e for e in lesson.exercises if e.kind == "goal")
    presets = {p.name: {**lesson.defaults(), **p.values} for p in lesson.presets}
    for name, expected in (("separate", True), ("start", False), ("xor", False)):
        params = presets[name]
        metrics = Neuron(params).frame().metrics
        assert check_goal(goal, metrics, params).correct is expected, name


def test_schema_contains_the_shipped_lesson():
    assert lesson_problems(Neuron.SCHEMA, "03-neuron.md") == []
    assert Neuron.live_params == {"w1", "w2", "b", "activation", "sample"}


def test_status_and_labels_in_english():
    frame = Neuron({"w1": 1.0, "w2": 1.0, "b": 0.0}).frame()
    accuracy = round(100 * frame.metrics["accuracy"])
    assert render(frame.status) == f"accuracy {accuracy}% · 100 points"
    labels = [render(s.label) for s in frame.panels[0].points]
    assert labels == ["class 0", "class 1", "sample 0"]
    assert render(frame.panels[0].title) == "a = σ(z) over the plane"


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("dataset", ["gauss", "moons"])
def test_every_text_is_translated_in_the_pseudo_locale(activation, dataset):
    params = {"activation": activation, "dataset": dataset, "sample": 7}
    with language():
        texts = frame_texts(Neuron(params).frame())
    assert english_words(texts, {"tanh", "ReLU", "max"}) == []
    assert "⟦" in texts[0]
