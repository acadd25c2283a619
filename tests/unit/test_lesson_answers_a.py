"""Lessons 01, 02, 04, 05 and 07: every answer and number agrees with the engine.

Each numeric or vector answer is recomputed with NumPy, the experiments or the
engine (``tui_workshop.nn``); each choice answer is derived from a computation
where one exists; each goal is shown reachable with parameters that satisfy its
constraints; key numbers quoted in the pages are recomputed and must appear as
written. The lessons must also load without errors through the course loader.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tui_workshop.course import expr
from tui_workshop.course.loader import read_front_matter
from tui_workshop.experiments import create
from tui_workshop.experiments.backprop import BUGS, backward, default_params
from tui_workshop.experiments.linear_algebra import LESSON_B, LESSON_W, LESSON_X
from tui_workshop.nn import activations, gradcheck, losses
from tui_workshop.nn.mlp import MLP

LESSONS = Path(__file__).resolve().parents[2] / "lessons" / "en"
FILES = {
    "welcome": "01-welcome.md",
    "vectors": "02-vectors-matrices.md",
    "activations": "04-activations.md",
    "losses": "05-losses.md",
    "backprop": "07-backprop.md",
}


def read(key: str) -> tuple[dict, str]:
    """(front matter, body) of a lesson file."""
    return read_front_matter(LESSONS / FILES[key])


def exercises(key: str) -> dict[str, dict]:
    return {ex["id"]: ex for ex in read(key)[0]["exercises"]}


def fmt(value: float, digits: int = 4) -> str:
    """A number as the lessons print it: Unicode minus."""
    return f"{value:.{digits}f}".replace("-", "−")


def matrix_text(m: np.ndarray) -> str:
    """[[0.5, 0.3], [−0.2, 0.4]] as written in prompts."""
    return "[" + ", ".join("[" + ", ".join(f"{v:g}" for v in row) + "]" for row in m) + "]"


# --------------------------------------------------------------- computations


def sigmoid(z: float) -> float:
    return float(activations.get("sigmoid").f(np.array([z]))[0])


def backprop_result(bug: str = "none") -> dict:
    return backward(default_params(), np.array([1.0, 0.5]), 1, bug)


def engine_mlp_grads() -> list[np.ndarray]:
    model = MLP([2, 2, 1], activation="tanh", output="sigmoid", seed=0)
    for param, value in zip(model.params, default_params(), strict=True):
        param[...] = value
    _, grads = model.loss_and_grads(np.array([[1.0, 0.5]]), np.array([1]))
    return [np.array(g, copy=True) for g in grads]


X2, W2, B2 = LESSON_X[:2, :2], LESSON_W[:2, :2], LESSON_B[:2]

EXPECTED = {
    ("welcome", "read"): lambda: 1.5 * 2.0**2,
    ("vectors", "dot"): lambda: float(X2[0] @ W2[:, 0] + B2[0]),
    ("vectors", "layer"): lambda: X2[0] @ W2 + B2,
    ("vectors", "batch"): lambda: X2 @ W2 + B2,
    ("activations", "sigmoid"): lambda: sigmoid(0.5),
    ("activations", "dsigmoid"): lambda: float(activations.get("sigmoid").df(np.array([0.5]))[0]),
    ("activations", "dtanh"): lambda: float(activations.get("tanh").df(np.array([2.0]))[0]),
    ("activations", "softmax"): lambda: activations.softmax(np.array([2.0, 1.0, 0.1])),
    ("losses", "nll"): lambda: losses.binary_cross_entropy([1], p=[0.8]),
    ("losses", "wrong"): lambda: losses.binary_cross_entropy([1], p=[0.1]),
    ("losses", "mse"): lambda: losses.mse([1], [0.1]),
    ("losses", "dz"): lambda: float(
        losses.binary_cross_entropy_grad([0], np.array([[math.log(0.8 / 0.2)]]))[0, 0]
    ),
    ("backprop", "dz2"): lambda: float(backprop_result()["dL_dz2"][0]),
    ("backprop", "dw2"): lambda: float(engine_mlp_grads()[2][0, 0]),
    ("backprop", "dz1"): lambda: float(backprop_result()["dL_dz1"][0]),
    ("backprop", "dw1"): lambda: engine_mlp_grads()[0],
}


def computed_cases():
    for key in FILES:
        for ex in exercises(key).values():
            if ex["kind"] in ("numeric", "vector"):
                yield pytest.param(key, ex, id=f"{key}-{ex['id']}")


@pytest.mark.parametrize("key, ex", list(computed_cases()))
def test_numeric_and_vector_answers_equal_the_computation(key, ex):
    assert (key, ex["id"]) in EXPECTED, "every computed answer needs a recomputation here"
    expected = np.asarray(EXPECTED[(key, ex["id"])](), dtype=float)
    answer = np.asarray(ex["answer"], dtype=float)
    assert answer.shape == expected.shape
    tolerance = ex.get("tolerance", 1e-2)
    # half the tolerance: a student typing the exact value passes with room to spare
    assert np.max(np.abs(answer - expected)) <= tolerance / 2


def test_prompts_quote_the_numbers_they_are_computed_from():
    vec = exercises("vectors")
    assert f"W = {matrix_text(W2)}".replace("-", "−") in vec["layer"]["prompt"]
    assert "b = (0.1, −0.1)" in vec["layer"]["prompt"]
    assert f"X = {matrix_text(X2)}".replace("-", "−") in vec["batch"]["prompt"]
    assert "x = (1.0, 2.0), w = (0.5, −0.2), b = 0.1" in vec["dot"]["prompt"]
    assert tuple(X2[0]) == (1.0, 2.0) and tuple(W2[:, 0]) == (0.5, -0.2) and B2[0] == 0.1

    r = backprop_result()
    bp = exercises("backprop")
    assert f"= {fmt(r['p'][0])}" in bp["dz2"]["prompt"]
    assert f"a₁ = ({fmt(r['a1'][0])}, {fmt(r['a1'][1])})" in bp["dw2"]["prompt"]
    assert f"dL/dz₂ = {fmt(r['dL_dz2'][0])}" in bp["dw2"]["prompt"]
    assert f"dL/da₁[1] = {fmt(r['dL_da1'][0])}" in bp["dz1"]["prompt"]
    assert f"dL/dz₁ = ({fmt(r['dL_dz1'][0])}, {fmt(r['dL_dz1'][1])})" in bp["dw1"]["prompt"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.5*2^2", 6.0),
        ("1/(1+exp(-0.5))", sigmoid(0.5)),
        ("1 - tanh(2)^2", 1 - math.tanh(2) ** 2),
        ("-log(0.8)", -math.log(0.8)),
    ],
)
def test_formulas_suggested_in_hints_are_accepted(text, expected):
    assert expr.evaluate(text) == pytest.approx(expected)
    hints = " ".join(
        h for key in FILES for ex in exercises(key).values() for h in ex.get("hints", [])
    )
    prompts = " ".join(ex["prompt"] for key in FILES for ex in exercises(key).values())
    assert text in hints + prompts


# --------------------------------------------------------------- choices


def test_choice_answers_are_in_range():
    for key in FILES:
        for ex in exercises(key).values():
            if ex["kind"] == "choice":
                assert 0 <= ex["answer"] < len(ex["choices"]), (key, ex["id"])


def chosen(key: str, ex_id: str) -> str:
    ex = exercises(key)[ex_id]
    return ex["choices"][ex["answer"]]


def test_shape_choice_matches_numpy():
    shape = (np.zeros((32, 3)) @ np.zeros((3, 5)) + np.zeros(5)).shape
    assert chosen("vectors", "shape") == f"{shape[0]}×{shape[1]}"


def test_dead_activation_choice_is_the_one_with_zero_slope_left_of_zero():
    names = {"sigmoid": "sigmoid", "tanh": "tanh", "ReLU": "relu", "leaky ReLU": "leaky_relu"}
    z = np.linspace(-5, -0.01, 50)
    dead = [label for label, name in names.items() if np.all(activations.get(name).df(z) == 0)]
    assert dead == [chosen("activations", "dead")]
    assert activations.LEAKY_SLOPE == 0.01  # quoted in the lesson


def test_larger_gradient_choice_is_cross_entropy():
    m = create("losses", {"p": 0.01, "y": 1}).frame().metrics
    assert abs(m["dce_dz"]) > abs(m["dmse_dz"])
    assert chosen("losses", "which").startswith("cross-entropy")
    assert abs(m["dce_dz"]) / abs(m["dmse_dz"]) == pytest.approx(50, rel=0.05)  # "fifty times"


def test_wrong_sign_choice_matches_the_check():
    exp = create("backprop", {"bug": "wrong_sign"})
    assert exp.rel_diff == pytest.approx(1.0)
    assert chosen("backprop", "sign") == "exactly 1"


# --------------------------------------------------------------- goals

# For each goal: parameters meeting its constraints, steps to take, and
# whether the goal is then met. Each goal must be reachable and not met at once.
GOAL_RUNS = {
    ("welcome", "steps"): [({}, 3, True), ({}, 2, False)],
    ("vectors", "reveal"): [
        ({"batch": 3, "n_outputs": 2}, 6, True),
        ({"batch": 3, "n_outputs": 2}, 5, False),
    ],
    ("activations", "confident"): [
        ({"function": "softmax", "temperature": 0.4}, 0, True),
        ({"function": "softmax", "temperature": 0.5}, 0, False),
    ],
    ("losses", "small"): [({"y": 0, "p": 0.01}, 0, True), ({"y": 0, "p": 0.05}, 0, False)],
    ("backprop", "pass"): [({"bug": "none"}, 14, True), ({"bug": "none"}, 13, False)],
    ("backprop", "fail"): [
        ({"bug": "no_tanh_derivative"}, 14, True),
        ({"bug": "no_tanh_derivative"}, 13, False),
    ],
}
OPS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}


def goal_cases():
    for key in FILES:
        for ex in exercises(key).values():
            if ex["kind"] == "goal":
                yield pytest.param(key, ex, id=f"{key}-{ex['id']}")


@pytest.mark.parametrize("key, ex", list(goal_cases()))
def test_goals_are_reachable_within_their_constraints(key, ex):
    front, _ = read(key)
    defaults = {name: spec["default"] for name, spec in front.get("params", {}).items()}
    runs = GOAL_RUNS[(key, ex["id"])]
    for params, steps, met in runs:
        values = {**defaults, **params}
        for name, rule in ex.get("constraints", {}).items():
            assert values[name] == rule, f"run violates constraint {name} = {rule}"
        exp = create(front["experiment"], values)
        for _ in range(steps):
            exp.step()
        metrics = exp.frame().metrics
        reached = ex["metric"] in metrics and OPS[ex.get("op", ">=")](
            metrics[ex["metric"]], ex["target"]
        )
        assert reached is met, (params, steps, metrics)


# --------------------------------------------------------------- page text


def body(key: str) -> str:
    return read(key)[1]


def test_welcome_text_matches_the_experiment():
    exp = create("welcome", {"a": 1.0, "curve": "parabola"})
    exp.step()
    m = exp.frame().metrics
    assert (m["x"], m["y"]) == (-3.0, 9.0)
    assert "at x = −3 on the parabola with a = 1, y = 9" in " ".join(body("welcome").split())
    while not exp.done:
        exp.step()
    assert exp.frame().done and exp.frame().metrics["steps"] == 8


def test_vectors_text_numbers():
    text = body("vectors")
    y = X2 @ W2 + B2
    assert f"w·x + b = {y[0, 0]:.1f}" in text
    assert f"y₁ = 0.5·1 + (−0.2)·2 + 0.1 = {y[0, 0]:.1f}" in text
    assert f"y₂ = 0.3·1 + 0.4·2 + (−0.1) = {y[0, 1]:.1f}" in text
    assert f"= 0.5·1.0 + (−0.2)·2.0 = {X2[0] @ W2[:, 0]:.1f}" in text


def test_activations_text_numbers():
    text = body("activations")
    s, ds = sigmoid(0.5), sigmoid(0.5) * (1 - sigmoid(0.5))
    assert f"σ = {s:.4f} and σ′ = {s:.4f}·{1 - s:.4f} = {ds:.4f}" in text
    s6 = sigmoid(6.0)
    assert (
        f"σ(6) = {s6:.4f}" in text
        and f"σ′(6) = {s6:.4f}·{1 - s6:.4f} = {s6 * (1 - s6):.4f}" in text
    )
    assert activations.get("tanh").df(np.array([3.0]))[0] < 0.01  # "tanh′(3) is already below 0.01"
    e = np.exp([2.0, 1.0, 0.1])
    p = activations.softmax(np.array([2.0, 1.0, 0.1]))
    assert "e^z = (" + ", ".join(f"{v:.3f}" for v in e) + f"), sum {e.sum():.3f}" in text
    assert "p   = (" + ", ".join(f"{v:.3f}" for v in p) + "), sum 1" in text


def test_losses_text_numbers():
    text = body("losses")
    assert f"−log(0.80) = {losses.binary_cross_entropy([1], p=[0.8]):.4f}" in text
    assert f"−log(0.10) = {losses.binary_cross_entropy([1], p=[0.1]):.4f}" in text
    assert f"L = (−0.2)² = {losses.mse([1], [0.8]):.2f}" in text
    assert "dL/dz = −0.2" in text  # p − y for p = 0.8, y = 1


def test_backprop_text_numbers_match_experiment_and_engine():
    text = body("backprop")
    r = backprop_result()
    assert f"= {r['z1'][0]:.2f}" in text and f"= {fmt(r['z1'][1], 2)}" in text
    assert f"a₁ = tanh(z₁) = ({fmt(r['a1'][0])}, {fmt(r['a1'][1])})" in text
    assert f"= {r['z2'][0]:.4f}" in text
    assert f"p  = σ({r['z2'][0]:.4f}) = {r['p'][0]:.4f}" in text
    assert f"L  = −log({r['p'][0]:.4f}) = {r['L']:.4f}" in text
    assert f"p − y = {fmt(r['dL_dz2'][0])}" in text
    g = engine_mlp_grads()
    assert f"dL/dW₂ = a₁·dL/dz₂ = ({fmt(g[2][0, 0])}, {fmt(g[2][1, 0])})" in text
    assert f"dL/db₂ = dL/dz₂ = {fmt(g[3][0])}" in text
    assert f"dL/da₁ = W₂·dL/dz₂ = ({fmt(r['dL_da1'][0])}, {fmt(r['dL_da1'][1])})" in text
    one_minus = 1 - r["a1"] ** 2
    assert f"⊙ ({fmt(one_minus[0])}, {fmt(one_minus[1])})" in text
    assert f"= ({fmt(g[1][0])}, {fmt(g[1][1])})" in text  # dL/dz₁ = dL/db₁
    # the weights quoted in the text are the experiment's
    assert "W₁ = [[0.5, −0.3], [0.2, 0.4]]" in " ".join(text.split())
    w1, b1, w2, b2 = default_params()
    assert w1.tolist() == [[0.5, -0.3], [0.2, 0.4]] and b1.tolist() == [0.1, -0.1]
    assert w2.ravel().tolist() == [0.7, -0.6] and b2.tolist() == [0.05]


def test_backprop_bug_figures_quoted_in_text_and_notes():
    model = MLP([2, 2, 1], activation="tanh", output="sigmoid", seed=0)
    for param, value in zip(model.params, default_params(), strict=True):
        param[...] = value
    X, y = np.array([[1.0, 0.5]]), np.array([1])
    assert gradcheck.gradient_check(model, X, y) < 1e-7
    numerical = gradcheck.numerical_gradient(model, X, y)
    for bug in BUGS:
        rd = gradcheck.relative_difference(backprop_result(bug)["grads"], numerical)
        if bug == "none":
            assert rd < 1e-7
        elif bug == "no_tanh_derivative":
            assert 0.05 < rd < 0.2  # "about 0.1"
        else:
            assert rd > 0.1


# --------------------------------------------------------------- loading


@pytest.mark.parametrize("key", list(FILES))
def test_lesson_loads_and_its_presets_build_the_experiment(key):
    from tui_workshop.course import loader
    lesson = loader.load_lesson(LESSONS / FILES[key])
    assert len(lesson.pages) >= 3
    exp = create(lesson.experiment, lesson.defaults())
    assert exp.frame().panels
    for preset in lesson.presets:
        assert create(lesson.experiment, {**lesson.defaults(), **preset.values}).frame().panels
    kinds = [ex.kind for ex in lesson.exercises]
    assert len(kinds) >= (1 if key == "welcome" else 2)
