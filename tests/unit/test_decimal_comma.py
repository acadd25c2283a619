"""Brazilian number conventions in answers: the decimal comma, ';' between values, sen and tg."""

from __future__ import annotations

import math

import pytest

from tui_workshop import i18n
from tui_workshop.course.exercises import check
from tui_workshop.course.expr import ExprError, evaluate, evaluate_array
from tui_workshop.course.model import Exercise

NUMERIC = Exercise(id="z", kind="numeric", prompt="z?", answer=0.58, tolerance=0.01)
SIGMOID = Exercise(
    id="s", kind="numeric", prompt="σ(0,58)?", answer=0.6411, tolerance=0.001
)
VECTOR = Exercise(id="v", kind="vector", prompt="?", answer=(0.2, 1.0), tolerance=0.01)
MATRIX = Exercise(
    id="m", kind="vector", prompt="?", answer=((3.0, 1.0), (2.0, 2.0)), tolerance=0.01
)


@pytest.fixture
def pt_br():
    i18n.set_language("pt-BR")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,58", 0.58),
        ("-0,58", -0.58),
        ("1/(1+exp(-0,58))", 1 / (1 + math.exp(-0.58))),
        ("sigmoid(0,58)", 1 / (1 + math.exp(-0.58))),
        ("2,5*3", 7.5),
        ("1,5e-3", 0.0015),
        ("max(0,5; 1)", 1.0),  # ';' separates the arguments
        ("max(0,5, 1)", 1.0),  # ', ' too
        ("0.58", 0.58),  # the decimal point still works
        ("sen(pi/2)", 1.0),
        ("tg(pi/4)", math.tan(math.pi / 4)),
    ],
)
def test_scalars_with_the_decimal_comma(text, expected):
    assert evaluate(text, decimal_comma=True) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[0,2; 1,0]", [0.2, 1.0]),
        ("[0,2; -0,1]", [0.2, -0.1]),
        ("[[3; 1]; [2; 2]]", [[3.0, 1.0], [2.0, 2.0]]),
        ("[[0,2; 1,0]; [0,3; -0,5]]", [[0.2, 1.0], [0.3, -0.5]]),
        ("[0,2, 1,0]", [0.2, 1.0]),  # a comma and a space separate
        ("0,2 1,0", [0.2, 1.0]),
        ("0,2 1,0; 0,3 -0,5", [[0.2, 1.0], [0.3, -0.5]]),
        # the current forms are still read as before
        ("[1, 2, 3]", [1.0, 2.0, 3.0]),
        ("[1,2]", [1.0, 2.0]),
        ("1,2,3", [1.0, 2.0, 3.0]),
        ("1 2; 3 4", [[1.0, 2.0], [3.0, 4.0]]),
        ("[[1, 2], [3, 4]]", [[1.0, 2.0], [3.0, 4.0]]),
        ("[0.2, 1.0]", [0.2, 1.0]),
    ],
)
def test_arrays_with_the_decimal_comma(text, expected):
    assert evaluate_array(text, decimal_comma=True) == expected  # read exactly as 0.2 is


def test_semicolons_between_values_are_read_in_english_too():
    assert evaluate_array("[0,2; -0,1]", decimal_comma=False) == [0.2, -0.1]
    assert evaluate_array("[[3; 1]; [2; 2]]", decimal_comma=False) == [[3.0, 1.0], [2.0, 2.0]]
    # English keeps its reading of commas in calls
    assert evaluate("max(1,5)", decimal_comma=False) == 5.0
    assert evaluate("sen(0)", decimal_comma=False) == 0.0


def test_the_language_decides_by_default(pt_br):
    assert evaluate("max(1,5)") == 1.5  # pt-BR: one argument, 1,5
    i18n.set_language("en")
    assert evaluate("max(1,5)") == 5.0


def test_a_comma_and_a_space_is_still_not_a_number(pt_br):
    with pytest.raises(ExprError) as info:
        evaluate("1, 5")
    assert "','" in i18n.render(info.value.message)  # says: use ',' for decimals


def test_answers_in_portuguese_are_accepted(pt_br):
    for text in ("0,58", "0,5*1,2 - 0,02"):
        assert check(NUMERIC, text).correct, text
    assert check(SIGMOID, "1/(1+exp(-0,58))").correct
    assert check(VECTOR, "[0,2; 1,0]").correct
    assert check(VECTOR, "0,2; 1,0").correct  # a column typed for a vector
    assert check(MATRIX, "[[3; 1]; [2; 2]]").correct
    assert "0,58" in i18n.render(check(NUMERIC, "0,58").message)  # feedback in pt-BR numbers
    assert not check(NUMERIC, "0,68").correct


def test_vectors_shown_in_portuguese_separate_values_with_semicolons(pt_br):
    from tui_workshop.experiments._common import vec

    assert i18n.render(vec([2.92, -2.67])) == "(2,92; −2,67)"
    i18n.set_language("en")
    assert i18n.render(vec([2.92, -2.67])) == "(2.92, −2.67)"
