"""The material the course revision added is taught interactively: each topic has at least two
auto-checked exercises whose answers a test recomputes (with the engine or the experiment).

A topic names its lesson and the exercises that check it; an exercise counts as recomputed when
the answer tests of its lesson name it (``("vectors", "transpose"): lambda: W2.T``,
``ex["std-error"]["answer"] == ...``) or, for a goal, when test_goal_exercises.py runs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_workshop.course.loader import load_course

HERE = Path(__file__).resolve().parent
COURSE = load_course(HERE.parents[1] / "lessons" / "en")
ANSWER_TESTS = {  # lesson: the module that recomputes its answers
    **dict.fromkeys(
        ("vectors-matrices", "activations", "losses", "initialisation"), "test_lesson_answers_a"
    ),
    **dict.fromkeys(("metrics", "overfitting", "hyperparameter-search"), "test_lesson_answers_b"),
    **dict.fromkeys(("optimisers", "limits"), "test_lesson_answers_c"),
    **dict.fromkeys(("convolution", "recurrence"), "test_lesson_answers_d"),
}
NEW_MATERIAL = {  # topic: (lesson, the exercises that check it)
    "transpose, norm, outer and element-wise products": (
        "vectors-matrices", {"transpose", "norm", "outer", "hadamard"}),
    "the logit as log-odds; two-class softmax is the sigmoid": (
        "activations", {"logit", "two-class"}),
    "binary cross-entropy from the Bernoulli likelihood, dL/dp and dL/dz = p − y": (
        "losses", {"bernoulli", "two-samples", "dldp", "dldp-value", "dz"}),
    "the softmax + cross-entropy gradient p − onehot(y)": (
        "losses", {"softmax-grad", "softmax-other"}),
    "MSE as the Gaussian negative log-likelihood": ("losses", {"gauss-nll", "gauss-choice"}),
    "the standard error of an accuracy, comparing two models": (
        "hyperparameter-search", {"std-error", "tied"}),
    "initialisation from Var(z), schedules, standardisation": (
        "initialisation", {"var-z", "var-small", "he-std", "decay", "decay-quarter",
                           "standard-score"}),
    "hyperparameter tuning, validation against test": (
        "hyperparameter-search", {"grid-size", "grid-steps", "log-uniform", "optimistic"}),
    "weight sharing, the banded matrix, the receptive field": (
        "convolution", {"conv-params", "banded", "receptive"}),
    "backpropagation through time as a sum, the LSTM cell": (
        "recurrence", {"bptt-sum", "lstm-path"}),
    "attention as softmax(QKᵀ/√d)·V": (
        "limits", {"attention-score", "attention-weight", "temperature", "attention-cost"}),
    "calibration and overconfidence": ("limits", {"calibration-gap", "calibrated"}),
    "adversarial examples": ("limits", {"fgsm-linear", "flip"}),
}  # fmt: skip
AUTO_CHECKED = {"numeric", "vector", "choice", "goal"}


def recomputed(lesson_id: str, exercise_id: str, kind: str) -> bool:
    module = HERE / "test_goal_exercises.py" if kind == "goal" else (
        HERE / f"{ANSWER_TESTS[lesson_id]}.py")
    return f'"{exercise_id}"' in module.read_text(encoding="utf-8")


@pytest.mark.parametrize("topic", list(NEW_MATERIAL))
def test_new_material_has_two_recomputed_exercises(topic):
    lesson_id, ids = NEW_MATERIAL[topic]
    lesson = COURSE.by_id(lesson_id)
    assert not lesson.optional, f"{topic}: on the core path"
    exercises = {exercise.id: exercise for exercise in lesson.exercises}
    assert ids <= set(exercises), f"{topic}: missing {ids - set(exercises)}"
    checked = [i for i in ids if exercises[i].kind in AUTO_CHECKED
               and recomputed(lesson_id, i, exercises[i].kind)]  # fmt: skip
    assert len(checked) >= 2, f"{topic}: only {checked} recomputed by a test"
