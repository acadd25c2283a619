"""The safe evaluator for typed answers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_workshop.course.expr import (
    MAX_LENGTH,
    ExprError,
    evaluate,
    evaluate_array,
    shape,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3.0),
        ("0.5*1.2 + 0.1", 0.7),
        ("1e-3", 0.001),
        ("2^3", 8.0),
        ("2**3", 8.0),
        ("-2^2", -4.0),
        ("2^-1", 0.5),
        ("(1 + 2) * 3", 9.0),
        ("--3", 3.0),
        ("2·3", 6.0),
        ("2×3 − 1", 5.0),
        ("6 ÷ 4", 1.5),
        ("exp(0)", 1.0),
        ("log(e)", 1.0),
        ("ln(e^2)", 2.0),
        ("log10(1000)", 3.0),
        ("sqrt(16)", 4.0),
        ("sin(0) + cos(0)", 1.0),
        ("tan(0)", 0.0),
        ("tanh(0)", 0.0),
        ("abs(-2.5)", 2.5),
        ("sigmoid(0)", 0.5),
        ("max(1, 5, 3)", 5.0),
        ("min(1, 5, 3)", 1.0),
        ("2*pi", 2 * math.pi),
        ("1/(1+e^-2)", 1 / (1 + math.exp(-2))),
        ("0,5", 0.5),
        ("2,5*3", 7.5),
        ("  7  ", 7.0),
    ],
)
def test_evaluate_values(text, expected):
    assert evaluate(text) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_sigmoid_is_stable_for_large_inputs():
    assert evaluate("sigmoid(-1000)") == 0.0
    assert evaluate("sigmoid(1000)") == 1.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo", "unknown name 'foo'"),
        ("foo(2)", "unknown function 'foo'"),
        ("(1 + 2", "unbalanced parentheses"),
        ("1 + 2)", "unbalanced parentheses"),
        ("[1, 2", "unbalanced brackets"),
        ("1 +", "not a valid expression"),
        ("", "empty answer"),
        ("1/0", "division by zero"),
        ("0^-1", "division by zero"),
        ("log(0)", "not defined for 0"),
        ("sqrt(-1)", "not defined for −1"),
        ("9^9^9", "exponent too large"),
        ("exp(1000)", "too large"),
        ("10.0^300 * 10.0^300", "not a finite number"),
        ("(-8)^(1/3)", "fractional power"),
        ("sqrt", "sqrt is a function"),
        ("sqrt(1, 2)", "takes 1 value"),
        ("max()", "at least one value"),
        ("'abc'", "not a number"),
        ("True", "not a number"),
        ("[1, 2]", "not a list"),
        ("__import__('os')", "unknown function '__import__'"),
        ("(1).real", "not a valid expression"),
        ("2 if 1 else 3", "not a valid expression"),
        ("1 % 2", "only + - * / and ^"),
        ("exp(x=1)", "plain values only"),
    ],
)
def test_evaluate_errors(text, message):
    with pytest.raises(ExprError) as info:
        evaluate(text)
    assert message in str(info.value)


def test_long_input_is_refused_before_parsing():
    with pytest.raises(ExprError, match="too long"):
        evaluate("1+" * MAX_LENGTH + "1")


def test_deep_nesting_is_refused():
    assert evaluate("(" * 150 + "1" + ")" * 150) == 1.0  # parentheses add no depth
    with pytest.raises(ExprError, match="nested too deeply"):
        evaluate("-" * 100 + "1")


def test_decimal_comma_only_when_unambiguous():
    # commas separate arguments in calls and are not decimals next to a dot
    assert evaluate("max(1,5)") == 5.0
    with pytest.raises(ExprError):
        evaluate("1,5.2")
    with pytest.raises(ExprError):
        evaluate("1, 5")  # a space: a list of two numbers, not a decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2, 3]", [1.0, 2.0, 3.0]),
        ("1 2 3", [1.0, 2.0, 3.0]),
        ("1, 2, 3", [1.0, 2.0, 3.0]),
        ("1,2,3", [1.0, 2.0, 3.0]),
        ("1 -2", [1.0, -2.0]),
        ("1 - 2", [-1.0]),
        ("[1/2, sqrt(4)]", [0.5, 2.0]),
        ("max(1, 2) 3", [2.0, 3.0]),
        ("[[1, 2], [3, 4]]", [[1.0, 2.0], [3.0, 4.0]]),
        ("1 2; 3 4", [[1.0, 2.0], [3.0, 4.0]]),
        ("1, 2\n3, 4", [[1.0, 2.0], [3.0, 4.0]]),
        ("1; 2", [[1.0], [2.0]]),
        ("7", [7.0]),
    ],
)
def test_evaluate_array(text, expected):
    assert evaluate_array(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[1, 2], [3]]", "different lengths"),
        ("1 2; 3", "different lengths"),
        ("[1, [2, 3]]", "mixes numbers and rows"),
        ("[[[1]]]", "only vectors and matrices"),
        ("1,,2", "empty value"),
        ("[1, 2] * 2", "expected a single number"),
        ("[1, foo]", "unknown name 'foo'"),
    ],
)
def test_evaluate_array_errors(text, message):
    with pytest.raises(ExprError) as info:
        evaluate_array(text)
    assert message in str(info.value)


def test_shape():
    assert shape([1.0, 2.0]) == (2,)
    assert shape([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) == (2, 3)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_any_printed_float_reads_back(value):
    assert evaluate(repr(value)) == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789+-*/^().,e pi[]sqrtlogx", max_size=40))
def test_never_raises_anything_but_expr_error(text):
    try:
        value = evaluate(text)
    except ExprError:
        return
    assert math.isfinite(value)


def test_errors_carry_message_keys():
    from tui_workshop.i18n import PSEUDO, Msg, render, set_language

    with pytest.raises(ExprError) as info:
        evaluate("foo(1)")
    assert isinstance(info.value.message, Msg)
    assert info.value.message.msgid == "unknown function {name}"
    set_language(PSEUDO)
    try:
        shown = render(info.value.message)
    finally:
        set_language("en")
    assert "'foo'" in shown and "unknown" not in shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the notation the prompts use
        ("1-tanh(2)²", 1 - math.tanh(2) ** 2),
        ("1 − tanh²(2)", 1 - math.tanh(2) ** 2),
        ("tanh²(1 + (1))", math.tanh(2) ** 2),
        ("2³", 8.0),
        ("10⁻²", 0.01),
        ("e⁻¹", math.exp(-1)),
        ("(−0.9)²", 0.81),
        ("floor(7.9)", 7.0),
        ("floor((160 - 20) / 1)", 140.0),
        ("ceil(2.1)", 3.0),
        ("95%", 0.95),
        ("12.5 %", 0.125),
        ("50% * 2", 1.0),
    ],
)
def test_evaluate_reads_the_prompts_notation(text, expected):
    assert evaluate(text) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(1, 0.5, 0.25)", [1.0, 0.5, 0.25]),
        ("(1, 2²)", [1.0, 4.0]),
        ("(1 + 1) 3", [2.0, 3.0]),
    ],
)
def test_vector_in_parentheses(text, expected):
    assert evaluate_array(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["5 % 3", "%", "2²²²²²²"])
def test_notation_that_still_cannot_be_read(text):
    with pytest.raises(ExprError):
        evaluate(text)
