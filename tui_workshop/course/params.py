"""Parsing and validating parameter values typed by a user or read from disk.

:func:`parse_value` turns text from the parameter panel into a value;
:func:`validate_value` checks a value that is already typed (a lesson default,
a preset, a stored value). Both raise ``ValueError`` with a short message meant
for the user ("must be between 0.001 and 10", "not a number: 'abc'").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui_workshop.course.model import Lesson, ParamSpec

TRUE_WORDS = frozenset({"true", "yes", "on", "1", "y"})
FALSE_WORDS = frozenset({"false", "no", "off", "0", "n"})


def format_number(value: float) -> str:
    """Short form of a number for messages: 10, 0.001, 2.5, 1e-06."""
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < 1e15):
        return str(int(value))
    return f"{value:g}"


def _parse_number(text: str) -> float:
    cleaned = text.strip().replace("−", "-").replace("_", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # decimal comma: "0,5"
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"not a number: {text.strip()!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"not a number: {text.strip()!r}")
    return value


def _check_bounds(spec: ParamSpec, value: float) -> None:
    low, high = spec.min, spec.max
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(f"must be between {format_number(low)} and {format_number(high)}")
    if low is not None and value < low:
        raise ValueError(f"must be at least {format_number(low)}")
    if high is not None and value > high:
        raise ValueError(f"must be at most {format_number(high)}")


def _choice_names(spec: ParamSpec) -> str:
    return ", ".join(spec.choices)


def parse_value(spec: ParamSpec, text: str) -> Any:
    """The value that ``text`` means for ``spec``, or ValueError(message)."""
    text = str(text)
    stripped = text.strip()
    if not stripped:
        raise ValueError("a value is needed")
    if spec.kind == "bool":
        word = stripped.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"not yes or no: {stripped!r}")
    if spec.kind == "choice":
        lowered = stripped.lower()
        for index, choice in enumerate(spec.choices):
            label = spec.choice_labels[index] if index < len(spec.choice_labels) else ""
            if lowered in (choice.lower(), label.lower()):
                return choice
        raise ValueError(f"must be one of: {_choice_names(spec)}")
    number = _parse_number(stripped)
    return validate_value(spec, number)


def validate_value(spec: ParamSpec, value: Any) -> Any:
    """``value`` normalised to the spec's type (int, float, str, bool), or ValueError."""
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        raise ValueError("must be true or false")
    if spec.kind == "choice":
        if isinstance(value, str) and value in spec.choices:
            return value
        raise ValueError(f"must be one of: {_choice_names(spec)}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"not a number: {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"not a number: {value!r}")
    if spec.kind == "int":
        if float(value) != int(value):
            raise ValueError(f"must be a whole number, not {format_number(value)}")
        value = int(value)
    elif spec.kind == "float":
        value = float(value)
    else:
        raise ValueError(f"unknown kind {spec.kind!r}")
    _check_bounds(spec, value)
    return value


def coerce_params(lesson: Lesson, stored: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Lesson defaults overridden by the valid stored values, plus warnings.

    Used when restoring progress: a value that is no longer valid (the lesson
    changed its bounds, a parameter was renamed) falls back to the default.
    """
    values = lesson.defaults()
    warnings: list[str] = []
    specs = {spec.name: spec for spec in lesson.params}
    for name, raw in stored.items():
        spec = specs.get(name)
        if spec is None:
            warnings.append(f"{name}: no longer a parameter of this lesson, ignored")
            continue
        try:
            values[name] = validate_value(spec, raw)
        except ValueError as error:
            warnings.append(f"{name}: saved value {raw!r} {error}; using {spec.default!r} instead")
    return values, warnings
