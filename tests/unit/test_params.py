"""Parsing and validating parameter values."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_workshop.course.model import Lesson, ParamSpec
from tui_workshop.course.params import ParameterError, coerce_params, parse_value, validate_value
from tui_workshop.i18n import Msg, render

LR = ParamSpec("float", 0.1, "learning rate", min=0.001, max=10.0, name="lr")
LAYERS = ParamSpec("int", 1, "layers", min=0, max=4, name="layers")
FREE = ParamSpec("float", 0.0, "weight", name="w")
DATASET = ParamSpec(
    "choice",
    "circle",
    "dataset",
    choices=("circle", "xor"),
    choice_labels=("Circle", "XOR gate"),
    name="dataset",
)
NOISY = ParamSpec("bool", False, "noisy", name="noisy")


@pytest.mark.parametrize(
    ("spec", "text", "expected"),
    [
        (LR, "0.5", 0.5),
        (LR, " 1e-3 ", 0.001),
        (LR, "0,25", 0.25),
        (LR, "10", 10.0),
        (FREE, "−2.5", -2.5),
        (FREE, "-1e6", -1e6),
        (LAYERS, "3", 3),
        (LAYERS, "2.0", 2),
        (LAYERS, "4", 4),
        (DATASET, "xor", "xor"),
        (DATASET, "XOR", "xor"),
        (DATASET, "XOR gate", "xor"),
        (NOISY, "yes", True),
        (NOISY, "On", True),
        (NOISY, "1", True),
        (NOISY, "true", True),
        (NOISY, "no", False),
        (NOISY, "off", False),
        (NOISY, "0", False),
        (NOISY, "FALSE", False),
    ],
)
def test_parse_value(spec, text, expected):
    value = parse_value(spec, text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("spec", "text", "message"),
    [
        (LR, "abc", "not a number: abc"),
        (LR, "nan", "not a number: nan"),
        (LR, "inf", "not a number: inf"),
        (LR, "-inf", "not a number: -inf"),
        (LR, "", "a value is needed"),
        (LR, "20", "must be between 0.001 and 10"),
        (LR, "0", "must be between 0.001 and 10"),
        (LAYERS, "2.5", "must be a whole number, not 2.5"),
        (LAYERS, "5", "must be between 0 and 4"),
        (DATASET, "spiral", "must be one of: circle, xor"),
        (NOISY, "maybe", "not yes or no: maybe"),
    ],
)
def test_parse_value_errors(spec, text, message):
    with pytest.raises(ParameterError) as info:
        parse_value(spec, text)
    assert isinstance(info.value, ValueError) and isinstance(info.value.message, Msg)
    assert render(info.value.message) == message


def test_one_sided_bounds():
    spec = ParamSpec("int", 10, "n", min=1, name="n")
    assert parse_value(spec, "1000") == 1000
    with pytest.raises(ValueError, match="must be at least 1"):
        parse_value(spec, "0")
    spec = ParamSpec("float", 0.0, "x", max=1.0, name="x")
    with pytest.raises(ValueError, match="must be at most 1"):
        parse_value(spec, "1.5")


def test_spec_parse_method_uses_parse_value():
    assert LR.parse("0.2") == 0.2


def test_validate_value_types():
    assert validate_value(LR, 1) == 1.0 and isinstance(validate_value(LR, 1), float)
    assert validate_value(LAYERS, 2.0) == 2 and isinstance(validate_value(LAYERS, 2.0), int)
    with pytest.raises(ValueError):
        validate_value(LAYERS, True)  # a bool is not a number here
    with pytest.raises(ValueError):
        validate_value(LR, "0.5")  # text must go through parse_value
    with pytest.raises(ValueError):
        validate_value(NOISY, 1)
    with pytest.raises(ValueError):
        validate_value(DATASET, 0)


def _lesson() -> Lesson:
    return Lesson(
        id="x",
        title="X",
        number=1,
        duration=5,
        objectives=(),
        experiment="fixture",
        params=(LR, LAYERS, DATASET, NOISY),
        presets=(),
        exercises=(),
        pages=(),
        path=Path("01-x.md"),
    )


def test_coerce_params_keeps_valid_and_falls_back():
    stored = {"lr": 0.5, "layers": 9, "dataset": "xor", "noisy": "yes", "gone": 1}
    values, warnings = coerce_params(_lesson(), stored)
    assert values == {"lr": 0.5, "layers": 1, "dataset": "xor", "noisy": False}
    assert len(warnings) == 3
    assert all(isinstance(warning, Msg) for warning in warnings)
    joined = "\n".join(render(warning) for warning in warnings)
    assert "layers" in joined and "must be between 0 and 4" in joined
    assert "gone" in joined and "noisy" in joined


def test_coerce_params_empty_gives_defaults():
    values, warnings = coerce_params(_lesson(), {})
    assert values == _lesson().defaults()
    assert warnings == []
