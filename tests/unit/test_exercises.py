"""Checking answers, goals, hints and scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_workshop.course.exercises import (
    Feedback,
    check,
    check_choice,
    check_goal,
    choice_index,
    hint,
    hints_shown,
    score,
    total_score,
)
from tui_workshop.course.loader import Course
from tui_workshop.course.model import Exercise, Lesson
from tui_workshop.course.progress import Progress
from tui_workshop.experiments.schema import Choice, Int
from tui_workshop.i18n import PSEUDO, Msg, render, set_language


def said(feedback: Feedback) -> str:
    """The feedback as the student reads it (English)."""
    assert not isinstance(feedback.message, str), feedback  # a message key, not words
    return render(feedback.message)

NUMERIC = Exercise(id="z", kind="numeric", prompt="z?", answer=0.58, tolerance=0.01)
RELATIVE = Exercise(
    id="r", kind="numeric", prompt="r?", answer=200.0, tolerance=0.01, relative=True
)
CHOICE = Exercise(id="c", kind="choice", prompt="?", answer=1, choices=("relu", "sigmoid", "tanh"))
VECTOR = Exercise(id="v", kind="vector", prompt="?", answer=(1.0, 2.0, 3.0), tolerance=0.05)
MATRIX = Exercise(
    id="m", kind="vector", prompt="?", answer=((1.0, 2.0, 3.0), (4.0, 5.0, 6.0)), tolerance=0.01
)
GOAL = Exercise(
    id="g",
    kind="goal",
    prompt="?",
    metric="val_accuracy",
    op=">=",
    target=0.95,
    constraints={"layers": "<=2"},
)


def test_numeric_correct_with_expressions():
    for text in ("0.58", "0.5*1.2 - 0.02", "0,585", "0.575"):
        feedback = check(NUMERIC, text)
        assert feedback == Feedback(True, feedback.message, "correct"), text
    assert "0.58" in said(check(NUMERIC, "0.58"))


def test_numeric_tolerance_edges():
    assert check(NUMERIC, "0.59").correct  # exactly at the tolerance
    assert not check(NUMERIC, "0.5901").correct


def test_numeric_wrong_sign():
    feedback = check(NUMERIC, "-0.58")
    assert not feedback.correct and feedback.kind == "wrong"
    assert "right magnitude, wrong sign" in said(feedback)


@pytest.mark.parametrize(
    ("text", "factor", "direction"),
    [("5.8", "10", "too large"), ("0.058", "10", "too small"), ("58", "100", "too large")],
)
def test_numeric_off_by_power_of_ten(text, factor, direction):
    feedback = check(NUMERIC, text)
    assert not feedback.correct
    assert f"off by a factor of {factor} ({direction})" in said(feedback)


def test_numeric_close_and_wrong():
    close = check(NUMERIC, "0.6")
    assert close.kind == "close" and "close but outside the tolerance" in said(close)
    assert "±0.01" in said(close)
    wrong = check(NUMERIC, "3")
    assert wrong.kind == "wrong" and "not right" in said(wrong)


def test_relative_tolerance():
    assert check(RELATIVE, "201.9").correct  # 1% of 200 is 2
    assert not check(RELATIVE, "202.1").correct


def test_malformed_input_is_invalid_not_wrong():
    feedback = check(NUMERIC, "abc")
    assert feedback.kind == "invalid" and not feedback.correct
    assert said(feedback) == "could not read 'abc': unknown name 'abc'"
    assert said(check(NUMERIC, "(1+2")) == "could not read '(1+2': unbalanced parentheses"
    assert check(NUMERIC, "   ").kind == "invalid"


@pytest.mark.parametrize("text", ["2", "b", "B", "b)", "sigmoid", " Sigmoid "])
def test_choice_accepts_number_letter_or_text(text):
    assert check(CHOICE, text).correct


@pytest.mark.parametrize("text", ["1", "a", "tanh", "3"])
def test_choice_wrong(text):
    feedback = check(CHOICE, text)
    assert not feedback.correct and feedback.kind == "wrong"


@pytest.mark.parametrize("text", ["0", "4", "d", "softmax", ""])
def test_choice_out_of_range_is_invalid(text):
    feedback = check(CHOICE, text)
    assert feedback.kind == "invalid"
    if text:
        assert "choose 1 to 3 (or a to c)" in said(feedback)


def test_choice_index_and_check_choice():
    assert choice_index(CHOICE, "c") == 2
    assert check_choice(CHOICE, 1).correct
    assert not check_choice(CHOICE, 0).correct
    assert check_choice(CHOICE, 7).kind == "invalid"


@pytest.mark.parametrize(
    "text", ["[1, 2, 3]", "1 2 3", "1, 2, 3", "1.02 1.98 3", "1; 2; 3", "[[1, 2, 3]]"]
)
def test_vector_correct(text):
    assert check(VECTOR, text).correct


def test_vector_wrong_length():
    feedback = check(VECTOR, "1 2")
    assert not feedback.correct and said(feedback) == "expected 3 values, got 2 values."


def test_vector_names_wrong_entries():
    assert said(check(VECTOR, "1 5 3")) == "Entry 2 is wrong."
    assert said(check(VECTOR, "1 5 7")) == "Entries 2, 3 are wrong (2 of 3)."
    assert said(check(VECTOR, "0 0 0")) == "None of the entries is right."
    assert "signs" in said(check(VECTOR, "-1 -2 -3"))


def test_matrix_shape_and_entries():
    assert check(MATRIX, "1 2 3; 4 5 6").correct
    assert check(MATRIX, "[[1, 2, 3], [4, 5, 6]]").correct
    assert said(check(MATRIX, "1 2; 3 4; 5 6")) == "expected a 2×3 matrix, got a 3×2 matrix."
    assert said(check(MATRIX, "1 2 3 4 5 6")) == "expected a 2×3 matrix, got 6 values."
    assert said(check(MATRIX, "1 2 3; 4 0 6")) == "Entry (2, 2) is wrong."


def test_column_matrix_accepts_a_plain_list():
    column = Exercise(id="k", kind="vector", prompt="?", answer=((1.0,), (2.0,)))
    assert check(column, "1 2").correct
    assert check(column, "1; 2").correct


def test_vector_malformed():
    feedback = check(VECTOR, "[1, 2")
    assert feedback.kind == "invalid" and "unbalanced brackets" in said(feedback)


def test_goal_reached_and_not():
    reached = check_goal(GOAL, {"val_accuracy": 0.96}, {"layers": 2})
    assert reached.correct and reached.kind == "correct"
    assert "0.96" in said(reached)
    below = check_goal(GOAL, {"val_accuracy": 0.9}, {"layers": 1})
    assert not below.correct and below.kind == "pending"
    assert said(below) == "validation accuracy is 0.9; the goal is at least 0.95."


def test_goal_constraint_violated_even_when_metric_is_reached():
    feedback = check_goal(GOAL, {"val_accuracy": 0.99}, {"layers": 3})
    assert not feedback.correct
    assert "layers at most 2 (it is 3)" in said(feedback)


def test_goal_missing_metric_or_param():
    assert "Run the experiment" in said(check_goal(GOAL, {}, {"layers": 1}))
    assert (
        "Run the experiment"
        in said(check_goal(GOAL, {"val_accuracy": float("nan")}, {"layers": 1}))
    )
    assert "layers is not set" in said(check_goal(GOAL, {"val_accuracy": 1.0}, {}))


def test_goal_operators_and_equality_constraints():
    loss = Exercise(
        id="l",
        kind="goal",
        prompt="?",
        metric="loss",
        op="<",
        target=0.1,
        constraints={"dataset": "xor", "noisy": False},
    )
    ok_params = {"dataset": "xor", "noisy": False}
    assert check_goal(loss, {"loss": 0.05}, ok_params).correct
    assert not check_goal(loss, {"loss": 0.1}, ok_params).correct  # strict
    assert not check_goal(loss, {"loss": 0.05}, {"dataset": "circle", "noisy": False}).correct
    assert not check_goal(loss, {"loss": 0.05}, {"dataset": "xor", "noisy": True}).correct


def test_check_on_a_goal_is_pending():
    assert check(GOAL, "1").kind == "pending"


def test_hints():
    exercise = Exercise(id="h", kind="numeric", prompt="?", answer=1.0, hints=("one", "two"))
    assert hint(exercise, 0) == "one"
    assert hint(exercise, 1) == "two"
    assert hint(exercise, 2) is None
    assert hint(exercise, -1) is None
    assert hints_shown(exercise, 1) == ("one",)
    assert hints_shown(exercise, 5) == ("one", "two")


def _lesson(lesson_id: str, exercises: tuple[Exercise, ...]) -> Lesson:
    return Lesson(
        id=lesson_id,
        title=lesson_id,
        number=1,
        duration=5,
        objectives=(),
        experiment="fixture",
        params=(),
        presets=(),
        exercises=exercises,
        pages=(),
        path=Path(f"01-{lesson_id}.md"),
    )


def test_score_counts_only_existing_exercises():
    course = Course(
        lessons=(_lesson("a", (NUMERIC, CHOICE)), _lesson("b", (VECTOR,)), _lesson("c", ())),
        root=Path("."),
    )
    progress = Progress()
    progress.lesson("a").completed |= {"z", "gone"}
    progress.lesson("zzz").completed.add("x")
    assert score(course, progress) == {"a": (1, 2), "b": (0, 1), "c": (0, 0)}
    assert total_score(course, progress) == (1, 3)


def _goal_lesson() -> Lesson:
    layers = Int(1, 0, 6, label=Msg("hidden layers"))
    dataset = Choice("circle", ("circle", "xor"), label="data set", labels=("Circle", "XOR"))
    from dataclasses import replace

    lesson = _lesson("g", (GOAL,))
    return replace(
        lesson, params=(replace(layers, name="layers"), replace(dataset, name="dataset"))
    )


def test_describe_goal_uses_the_labels_the_student_sees():
    from tui_workshop.course.exercises import describe_goal

    lesson = _goal_lesson()
    text = describe_goal(GOAL, lesson)
    assert render(text) == (
        "Goal: validation accuracy at least 0.95, with hidden layers at most 2"
    )
    both = Exercise(
        id="b", kind="goal", prompt="?", metric="loss", op="<", target=0.1,
        constraints={"dataset": "xor", "layers": ">=1"},
    )
    assert render(describe_goal(both, lesson)) == (
        "Goal: loss below 0.1, with data set: XOR, hidden layers at least 1"
    )
    # without the lesson, the parameter's name is all there is
    assert "layers at most 2" in render(describe_goal(GOAL))


def test_goal_feedback_names_parameters_by_label():
    lesson = _goal_lesson()
    feedback = check_goal(GOAL, {"val_accuracy": 0.99}, {"layers": 3}, lesson)
    assert said(feedback) == "Constraint not met: hidden layers at most 2 (it is 3)."
    missing = check_goal(GOAL, {"val_accuracy": 0.99}, {}, lesson)
    assert "hidden layers is not set" in said(missing)


def test_feedback_is_translated_whole_in_the_pseudo_locale():
    set_language(PSEUDO)
    try:
        shown = [
            render(check(NUMERIC, "5.8").message),
            render(check(VECTOR, "1 5 7").message),
            render(check_goal(GOAL, {"val_accuracy": 0.9}, {"layers": 1}).message),
            render(check(NUMERIC, "abc").message),
        ]
    finally:
        set_language("en")
    for text in shown:
        assert "⟦" in text, text
    assert "5,8" in shown[0]  # the pseudo-locale uses a decimal comma
    assert "factor" not in shown[0] and "Entries" not in shown[1]


COUNT = Exercise(id="count", kind="numeric", prompt="how many?", answer=4353, tolerance=0)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("4289", "4289 is too small: the answer is a whole number; count again."),
        ("4354", "4354 is too large: the answer is a whole number; count again."),
        ("4353.5", "is not a whole number"),
    ],
)
def test_a_count_missed_gets_a_true_message(text, words):
    feedback = check(COUNT, text)
    assert not feedback.correct
    assert words in said(feedback)
    assert "tolerance" not in said(feedback) and "decimals" not in said(feedback)


def test_an_exact_non_integer_answer_missed_does_not_mention_a_zero_tolerance():
    exact = Exercise(id="x", kind="numeric", prompt="?", answer=0.25, tolerance=0)
    feedback = check(exact, "0.26")
    assert feedback.kind == "close" and "±0" not in said(feedback)
    assert "exact" in said(feedback)


def test_answers_in_the_prompts_notation_are_accepted():
    tanh_prime = Exercise(id="t", kind="numeric", prompt="?", answer=0.0707, tolerance=0.001)
    assert check(tanh_prime, "1-tanh(2)²").correct
    percent = Exercise(id="p", kind="numeric", prompt="?", answer=0.95, tolerance=0.001)
    assert check(percent, "95%").correct
    vector = Exercise(id="v", kind="vector", prompt="?", answer=(1.0, 0.5, 0.25), tolerance=0.01)
    assert check(vector, "(1, 0.5, 0.25)").correct


def test_every_goal_of_the_course_is_described_with_labels():
    """No internal parameter name, choice value or operator sign in a real goal's text."""
    import re

    from tui_workshop.course.exercises import describe_goal
    from tui_workshop.course.loader import load_course

    course = load_course(Path(__file__).parents[2] / "lessons" / "en")
    seen = 0
    for lesson in course.lessons:
        specs = {spec.name: spec for spec in lesson.params}
        for exercise in lesson.exercises:
            if exercise.kind != "goal":
                continue
            seen += 1
            text = render(describe_goal(exercise, lesson))
            assert not re.search(r"[<>!=]=|'", text), text
            for name, rule in exercise.constraints.items():
                spec = specs[name]
                if spec.label and spec.label != name:
                    assert not re.search(rf"(?<![\w ]){re.escape(name)}\b", text), (name, text)
                if spec.kind == "choice" and isinstance(rule, str):
                    value = rule.lstrip("<>=!")
                    if render(spec.label_of(value)) != value:
                        assert f"'{value}'" not in text and f": {value}," not in text, text
            if exercise.metric in ("check_passed", "complete"):  # true/false: a sentence
                assert not re.search(r"at (most|least) [01]\b", text), text
    assert seen > 20


def test_every_goal_metric_of_the_course_has_a_label():
    """A goal names its metric in words, never by the experiment's identifier."""
    from tui_workshop.course.exercises import METRIC_LABELS
    from tui_workshop.course.loader import find_lessons_dir, load_course

    course = load_course(find_lessons_dir("en"))
    metrics = {e.metric for lesson in course.lessons for e in lesson.exercises if e.kind == "goal"}
    assert metrics - set(METRIC_LABELS) == set()
