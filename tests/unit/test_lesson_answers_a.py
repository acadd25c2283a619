"""Lessons 01–08 (03 and 06 in part; their experiments' tests hold the rest): every
answer and number agrees with the engine.

Each numeric or vector answer is recomputed with NumPy, the experiments or the
engine (``tui_workshop.nn``); each choice answer is derived from a computation
where one exists; each goal is shown reachable with parameters that satisfy its
constraints; key numbers quoted in the pages are recomputed and must appear as
written. The lessons must also load without errors through the course loader.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from tests.unit.lesson_languages import (
    LANGS,
    accepted,
    answer_text,
    exercise_cases,
    folder,
    language,
    typed_in,
)
from tests.unit.lesson_languages import exercise as lesson_exercise
from tui_workshop.course import expr
from tui_workshop.course.loader import read_front_matter
from tui_workshop.experiments import create, initialisation
from tui_workshop.experiments.backprop import BUGS, backward, default_params
from tui_workshop.experiments.linear_algebra import LESSON_B, LESSON_W, LESSON_X
from tui_workshop.nn import activations, gradcheck, losses, optim
from tui_workshop.nn.mlp import MLP

LESSONS = Path(__file__).resolve().parents[2] / "lessons" / "en"
FILES = {
    "welcome": "01-welcome.md",
    "vectors": "02-vectors-matrices.md",
    "activations": "04-activations.md",
    "losses": "05-losses.md",
    "backprop": "07-backprop.md",
    "initialisation": "08-initialisation.md",
}
PART_ONE = {  # every lesson of part 1, for the checks of notes and notation
    **FILES,
    "neuron": "03-neuron.md",
    "descent": "06-gradient-descent.md",
}


def read(key: str, lang: str = "en") -> tuple[dict, str]:
    """(front matter, body) of a lesson file of ``lang``'s folder."""
    return read_front_matter(folder(lang) / PART_ONE[key])


def exercises(key: str, lang: str = "en") -> dict[str, dict]:
    return {ex["id"]: ex for ex in read(key, lang)[0]["exercises"]}


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


def softmax_ce_grad(logits, label: int) -> np.ndarray:
    """dL/dz of one sample's softmax + cross-entropy, from the engine."""
    return losses.categorical_cross_entropy_grad([label], np.array([logits]))[0]


def bce_dldp(p: float, y: int, h: float = 1e-6) -> float:
    """dL/dp of the binary cross-entropy by central differences through the engine."""
    return (losses.binary_cross_entropy([y], p=[p + h])
            - losses.binary_cross_entropy([y], p=[p - h])) / (2 * h)


def gaussian_nll(y: float, y_hat: float, sigma: float = 1.0) -> float:
    """−log of the normal density N(y; ŷ, σ²)."""
    density = math.exp(-((y - y_hat) ** 2) / (2 * sigma**2)) / math.sqrt(2 * math.pi * sigma**2)
    return -math.log(density)


def decayed_lr(lr0: float, decay: float, epochs: int) -> float:
    """The engine optimiser's learning rate after ``epochs`` epochs."""
    opt = optim.SGD([np.zeros(1)], lr=lr0, decay=decay)
    for _ in range(epochs):
        opt.on_epoch_end()
    return opt.lr


def first_epoch_with(lr0: float, decay: float, fraction: float) -> int:
    return next(t for t in range(1000) if decayed_lr(lr0, decay, t) <= lr0 * fraction + 1e-12)


def standardised_values(values) -> np.ndarray:
    x = np.array(values, dtype=float)[:, None]
    return initialisation.standardise(x)[:, 0]

EXPECTED = {
    ("welcome", "read"): lambda: 1.5 * 2.0**2,
    ("vectors", "dot"): lambda: float(X2[0] @ W2[:, 0] + B2[0]),
    ("vectors", "layer"): lambda: X2[0] @ W2 + B2,
    ("vectors", "batch"): lambda: X2 @ W2 + B2,
    ("vectors", "transpose"): lambda: W2.T,
    ("vectors", "norm"): lambda: np.linalg.norm([1.0, 2.0, 2.0]),
    ("vectors", "outer"): lambda: np.outer([1.0, 2.0], [0.5, -1.0]),
    ("vectors", "hadamard"): lambda: np.multiply([1.0, 2.0, 3.0], [0.5, -1.0, 2.0]),
    ("activations", "logit"): lambda: math.log(0.8 / 0.2),
    ("activations", "two-class"): lambda: activations.softmax(np.array([2.0, 0.5]))[0],
    ("activations", "sigmoid"): lambda: sigmoid(0.5),
    ("activations", "dsigmoid"): lambda: float(activations.get("sigmoid").df(np.array([0.5]))[0]),
    ("activations", "dtanh"): lambda: float(activations.get("tanh").df(np.array([2.0]))[0]),
    ("activations", "softmax"): lambda: activations.softmax(np.array([2.0, 1.0, 0.1])),
    ("losses", "nll"): lambda: losses.binary_cross_entropy([1], p=[0.8]),
    ("losses", "wrong"): lambda: losses.binary_cross_entropy([1], p=[0.1]),
    ("losses", "mse"): lambda: losses.mse([1], [0.1]),
    ("losses", "bernoulli"): lambda: math.exp(-losses.binary_cross_entropy([0], p=[0.8])),
    ("losses", "two-samples"): lambda: 2 * losses.binary_cross_entropy([1, 0], p=[0.8, 0.6]),
    ("losses", "dldp-value"): lambda: bce_dldp(0.8, 1),
    ("losses", "softmax-grad"): lambda: softmax_ce_grad([2.0, 1.0, 0.1], 0),
    ("losses", "gauss-nll"): lambda: gaussian_nll(3.0, 2.5),
    ("losses", "dz"): lambda: float(
        losses.binary_cross_entropy_grad([0], np.array([[math.log(0.8 / 0.2)]]))[0, 0]
    ),
    ("backprop", "dz2"): lambda: float(backprop_result()["dL_dz2"][0]),
    ("backprop", "dw2"): lambda: float(engine_mlp_grads()[2][0, 0]),
    ("backprop", "dz1"): lambda: float(backprop_result()["dL_dz1"][0]),
    ("backprop", "dw1"): lambda: engine_mlp_grads()[0],
    ("initialisation", "var-z"): lambda: 100 * initialisation.weight_variance("lecun", 100, 100),
    ("initialisation", "var-small"): lambda: 100
    * initialisation.weight_variance("small", 100, 100),
    ("initialisation", "he-std"): lambda: math.sqrt(initialisation.weight_variance("he", 50, 50)),
    ("initialisation", "decay"): lambda: decayed_lr(0.1, 0.1, 10),
    ("initialisation", "decay-quarter"): lambda: first_epoch_with(0.1, 0.5, 0.25),
    ("initialisation", "standard-score"): lambda: standardised_values([2, 4, 6, 8])[-1],
}


def computed_cases():
    return exercise_cases(FILES, ("numeric", "vector"))


@pytest.mark.parametrize("lang, key, ex", list(computed_cases()))
def test_numeric_and_vector_answers_equal_the_computation(lang, key, ex):
    assert (key, ex["id"]) in EXPECTED, "every computed answer needs a recomputation here"
    expected = np.asarray(EXPECTED[(key, ex["id"])](), dtype=float)
    answer = np.asarray(ex["answer"], dtype=float)
    assert answer.shape == expected.shape
    tolerance = ex.get("tolerance", 1e-2)
    # half the tolerance: a student typing the exact value passes with room to spare
    assert np.max(np.abs(answer - expected)) <= tolerance / 2
    # the recomputed value, typed as a student of the language types it, is accepted
    typed = lesson_exercise(lang, PART_ONE[key], ex["id"])
    assert accepted(typed, answer_text(expected), lang), typed_in(lang, answer_text(expected))


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
        ("log(0.8/0.2)", math.log(4.0)),
        ("1/(1+exp(-1.5))", sigmoid(1.5)),
        ("exp(2)/(exp(2)+exp(0.5))", sigmoid(1.5)),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_formulas_suggested_in_hints_are_accepted(text, expected, lang):
    text = typed_in(lang, text)  # as the hints of that language write it
    with language(lang):
        assert expr.evaluate(text) == pytest.approx(expected)
    hints = " ".join(
        h for key in FILES for ex in exercises(key, lang).values() for h in ex.get("hints", [])
    )
    prompts = " ".join(ex["prompt"] for key in FILES for ex in exercises(key, lang).values())
    assert text in hints + prompts


# --------------------------------------------------------------- choices


@pytest.mark.parametrize("lang", LANGS)
def test_choice_answers_are_in_range(lang):
    for key in FILES:
        for ex in exercises(key, lang).values():
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

# Every goal exercise is run on seeds 0–9, with its trivial settings, in
# test_goal_exercises.py.


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
    flat_text = " ".join(text.split())
    assert f"dL/dp = {fmt(bce_dldp(0.8, 1), 2)} and dL/dz = −0.2" in flat_text
    g = softmax_ce_grad([2.0, 1.0, 0.1], 0)
    assert "dL/dz = (" + ", ".join(fmt(v, 3) for v in g) + ")" in flat_text
    assert "0.9¹⁰⁰⁰ is 10⁻⁴⁶" in flat_text and round(1000 * math.log10(0.9)) == -46


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
    assert f"dL/dW₂ = a₁ᵀ·dL/dz₂ = ({fmt(g[2][0, 0])}, {fmt(g[2][1, 0])})" in text
    assert f"dL/db₂ = dL/dz₂ = {fmt(g[3][0])}" in text
    assert f"dL/da₁ = dL/dz₂·W₂ᵀ = ({fmt(r['dL_da1'][0])}, {fmt(r['dL_da1'][1])})" in text
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


# --------------------------------------------------------------- issue 12: course revision


def flat(text: str) -> str:
    return " ".join(text.split())


def test_no_lesson_writes_w_times_x_where_the_code_computes_x_times_w():
    """Row vectors everywhere: a layer is x·W + b; W·x, Wx, Wᵀx or W₁ᵀx would be the
    column convention, which the code does not use."""
    pattern = re.compile(r"W[₀-₉]*ᵀ?\s*·?\s*(x|a[₀-₉]*)\b|\bWx\b|\(W[₀-₉]*·?x\)")
    for path in sorted(LESSONS.parent.glob("*/*.md")):  # every language
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not pattern.search(line), f"{path.parent.name}/{path.name}:{number}: {line}"
    # the layer in lesson 2 is computed as x·W + b by the experiment
    front, text = read("vectors")
    assert "## A layer is x·W + b" in text
    assert front["presets"]["one_sample"]["label"] == "One sample: y = x·W + b"
    assert pattern.search("A layer is W·x + b") and pattern.search("z₁ = W₁ᵀx + b₁")


def test_the_readme_course_table_uses_the_same_notation():
    readme = (LESSONS.parents[1] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if "Vectors and matrices" in line)
    assert "x·W + b" in row and "W·x" not in row


def test_cross_entropy_adds_log_ten_per_factor_of_ten():
    solution = exercises("losses")["wrong"]["solution"]
    assert "ten times larger" not in solution and "adds log 10 ≈ 2.30" in solution
    loss = [losses.binary_cross_entropy([1], p=[q]) for q in (0.1, 0.01, 0.001)]
    assert np.allclose(np.diff(loss), math.log(10))
    assert f"0.01 gives {loss[1]:.2f}, 0.001 gives {loss[2]:.2f}" in solution
    assert "*adds* log 10 ≈ 2.30" in flat(body("losses"))


def choice_value(ex: dict, index: int) -> str:
    return ex["choices"][index]


def test_derivation_choice_dl_dp_is_the_finite_difference():
    ex = exercises("losses")["dldp"]
    candidates = {
        "(p − y) / (p·(1 − p))": lambda p, y: (p - y) / (p * (1 - p)),
        "p − y": lambda p, y: p - y,
        "−y / p": lambda p, y: -y / p,
        "(y − p) / (p·(1 − p))": lambda p, y: (y - p) / (p * (1 - p)),
    }
    assert list(candidates) == ex["choices"]
    right = [
        name for name, f in candidates.items()
        if all(abs(f(p, y) - bce_dldp(p, y)) < 1e-4 for p in (0.2, 0.5, 0.8) for y in (0, 1))
    ]
    assert right == [chosen("losses", "dldp")]
    # dL/dp · σ′(z) is the engine's dL/dz = p − y
    for p, y in ((0.8, 1), (0.3, 0)):
        z = math.log(p / (1 - p))
        grad = losses.binary_cross_entropy_grad([y], np.array([[z]]))[0, 0]
        assert bce_dldp(p, y) * p * (1 - p) == pytest.approx(grad, abs=1e-6)


def test_softmax_gradient_for_a_wrong_class_is_its_probability():
    logits = np.array([2.0, 1.0, 0.1])
    g = softmax_ce_grad(logits, 0)
    p = activations.softmax(logits)
    assert np.allclose(g[1:], p[1:]) and chosen("losses", "softmax-other") == "pₖ"
    assert abs(g.sum()) < 1e-12  # "the three gradients add up to 0" (notes)
    # and p − onehot(y) is the finite-difference gradient of −log p_y
    h = 1e-6
    for k in range(3):
        e = np.eye(3)[k] * h
        numeric = (losses.categorical_cross_entropy([0], logits=[logits + e])
                   - losses.categorical_cross_entropy([0], logits=[logits - e])) / (2 * h)
        assert numeric == pytest.approx(g[k], abs=1e-6)


def test_squared_error_is_the_gaussian_nll_up_to_a_constant():
    ys = np.linspace(-2, 2, 9)
    gaps = [gaussian_nll(3.0, y_hat) - 0.5 * (3.0 - y_hat) ** 2 for y_hat in ys]
    assert np.allclose(gaps, 0.5 * math.log(2 * math.pi))
    assert chosen("losses", "gauss-choice").startswith("Gaussian")


def test_two_class_softmax_is_the_sigmoid_of_the_difference():
    for z1, z2 in ((2.0, 0.5), (-1.0, 3.0), (0.0, 0.0)):
        assert activations.softmax(np.array([z1, z2]))[0] == pytest.approx(sigmoid(z1 - z2))
    assert sigmoid(math.log(0.8 / 0.2)) == pytest.approx(0.8)
    assert "z = log 4 ≈ 1.386" in flat(body("activations"))


def test_dw_rule_choice_is_the_engines_gradient():
    """dL/dW = xᵀδ (outer product) for z = x·W + b: the engine's W₁ gradient."""
    r = backprop_result()
    g = engine_mlp_grads()
    assert np.allclose(np.outer([1.0, 0.5], r["dL_dz1"]), g[0])
    assert np.allclose(np.outer(r["a1"], r["dL_dz2"]), g[2])
    w2 = default_params()[2]
    assert np.allclose(r["dL_dz2"] @ w2.T, r["dL_da1"])  # dL/da₁ = dL/dz₂·W₂ᵀ
    assert chosen("backprop", "dw-rule").startswith("xᵀ·δ")


def test_he_choice_relu_halves_the_second_moment():
    z = np.random.default_rng(0).standard_normal(200_000)
    assert np.mean(np.maximum(z, 0) ** 2) == pytest.approx(np.mean(z**2) / 2, rel=0.02)
    assert chosen("initialisation", "why-he").startswith("ReLU sets half")


def test_ravine_presets_compare_momentum_at_the_same_learning_rate():
    presets = read("descent")[0]["presets"]
    plain, heavy = presets["ravine"]["values"], presets["ravine_momentum"]["values"]
    assert {k: v for k, v in plain.items() if k != "momentum"} == {
        k: v for k, v in heavy.items() if k != "momentum"
    }
    assert plain["momentum"] == 0.0 < heavy["momentum"]

    def distance_after(values, steps=20):
        exp = create("gradient_descent", values)
        for _ in range(steps):
            exp.step()
        return exp.frame().metrics["distance"]

    # "After 20 steps plain descent is still about 0.08 from the minimum, with β = 0.5 under 0.01."
    assert round(distance_after(plain), 2) == 0.08
    assert distance_after(heavy) < 0.01
    assert "about 0.08" in flat(body("descent")) and "both use η = 0.9" in flat(body("descent"))


def test_initialisation_text_numbers_come_from_the_experiment_and_engine():
    text = flat(body("initialisation"))
    assert f"η is {decayed_lr(0.1, 0.1, 10):.2f} after 10 epochs" in text
    assert f"and {decayed_lr(0.1, 0.1, 90):.2f} after 90" in text
    z = standardised_values([2, 4, 6, 8])
    assert f"8 becomes (8 − 5)/2.236 ≈ {z[-1]:.3f}" in text
    assert f"√5 ≈ {math.sqrt(5):.3f}" in text

    presets = read("initialisation")[0]["presets"]

    def metrics(preset: str):
        return create("initialisation", presets[preset]["values"]).frame().metrics

    # predicted and measured Var(z) of layer 1 agree (the formula holds)
    for preset in ("small", "lecun_relu", "he_relu", "raw_inputs"):
        m = metrics(preset=preset)
        assert m["var_z_measured"] == pytest.approx(m["var_z_predicted"], rel=0.15), preset
    # "LeCun with ReLU: the bars halve in height every two layers"
    m = metrics(preset="lecun_relu")
    per_two_layers = (m["std_last"] / m["std_first"]) ** (2 / 9)
    assert 0.4 < per_two_layers < 0.6
    # notes: raw inputs about 90% saturated, standardised about 1%
    assert metrics(preset="raw_inputs")["saturated_first"] == pytest.approx(0.9, abs=0.05)
    assert metrics(preset="standardised")["saturated_first"] == pytest.approx(0.01, abs=0.005)
    assert metrics(preset="raw_inputs")["std_first"] > 20  # "std(z) above 20"
    # "Large weights with tanh: saturated"
    assert metrics(preset="large_tanh")["saturated_last"] > 0.5


def test_the_engines_initialisations_have_the_variances_the_lesson_gives():
    n_in, n_out = 400, 200
    for init, variance in (("he", 2 / n_in), ("xavier", 2 / (n_in + n_out))):
        w = MLP([n_in, n_out, 1], init=init, seed=0).params[0]
        assert np.var(w) == pytest.approx(variance, rel=0.05), init
    assert initialisation.weight_variance("he", n_in, n_out) == 2 / n_in
    assert initialisation.weight_variance("glorot", n_in, n_out) == 2 / (n_in + n_out)
    assert initialisation.weight_variance("lecun", n_in, n_out) == 1 / n_in


@pytest.mark.parametrize("key", list(PART_ONE))
def test_every_page_of_part_one_has_speaker_notes_with_timing_and_a_question(key):
    from tui_workshop.course import loader
    lesson = loader.load_lesson(LESSONS / PART_ONE[key])
    assert lesson.part == 1
    for page in lesson.pages:
        assert page.notes, f"{key}: page {page.title!r} has no notes"
        assert re.search(r"\b(\d+(\.\d+)? min|\d+ s)\b", page.notes), (key, page.title)
        assert "?" in page.notes, (key, page.title)
        assert "::: notes" not in page.text and "\n:::" not in page.text
    # the lesson's minutes are announced in the notes of its first page
    assert f"{lesson.duration} min in all" in lesson.pages[0].notes
    # two or three core exercises, the rest marked extra
    core = [ex for ex in lesson.exercises if not ex.extra]
    assert 2 <= len(core) <= 3, (key, [ex.id for ex in core])


def test_part_one_minutes():
    minutes = {key: read(key)[0]["duration"] for key in PART_ONE}
    assert minutes == {"welcome": 3, "vectors": 8, "neuron": 7, "activations": 7, "losses": 8,
                       "descent": 8, "backprop": 9, "initialisation": 6}


def test_new_pages_have_two_checked_exercises():
    # lesson 2's page of four operations, lesson 4's log-odds page, lesson 5's new pages and
    # lesson 8: each at least two exercises whose answers are recomputed above
    new = {
        "vectors": {"transpose", "norm", "outer", "hadamard"},
        "activations": {"logit", "two-class"},
        "losses": {"bernoulli", "two-samples", "dldp", "dldp-value", "softmax-grad",
                   "softmax-other", "gauss-nll", "gauss-choice"},
        "initialisation": {ex for ex in exercises("initialisation")},
    }
    for key, ids in new.items():
        assert ids <= set(exercises(key)), key
        checked = [i for i in ids if (key, i) in EXPECTED or exercises(key)[i]["kind"] != "numeric"]
        assert len(checked) >= 2
