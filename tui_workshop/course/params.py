"""Parameter values typed by a student or read from disk, checked by the schema.

A lesson's parameters are :class:`~tui_workshop.experiments.schema.Param`
values, so checking is the schema's: these functions are thin wrappers kept
for callers. Errors are :class:`ParameterError` (a ``ValueError``) whose
``message`` is a message key ("must be between {min} and {max}").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tui_workshop.experiments.schema import ParameterError, excerpt
from tui_workshop.i18n.message import Msg, msg

if TYPE_CHECKING:
    from tui_workshop.course.model import Lesson, ParamSpec

__all__ = ["ParameterError", "coerce_params", "parse_value", "validate_value"]


def parse_value(spec: ParamSpec, text: str) -> Any:
    """The value that ``text`` means for ``spec``, or ParameterError."""
    return spec.parse(text)


def validate_value(spec: ParamSpec, value: Any) -> Any:
    """``value`` normalised to the spec's type (int, float, str, bool), or ParameterError."""
    return spec.validate(value)


def coerce_params(lesson: Lesson, stored: Mapping[str, Any]) -> tuple[dict[str, Any], list[Msg]]:
    """Lesson defaults overridden by the valid stored values, plus warnings (message keys).

    Used when restoring progress: a value that is no longer valid (the lesson
    changed its bounds, a parameter was renamed) falls back to the default.
    """
    values = lesson.defaults()
    warnings: list[Msg] = []
    specs = {spec.name: spec for spec in lesson.params}
    for name, raw in stored.items():
        spec = specs.get(name)
        if spec is None:
            warnings.append(
                msg("{name}: no longer a parameter of this lesson, ignored", name=excerpt(name))
            )
            continue
        try:
            values[name] = spec.validate(raw)
        except ParameterError as error:
            warnings.append(
                msg(
                    "{label}: saved value {value} {error}; using {default} instead",
                    label=spec.label or name,
                    value=excerpt(repr(raw)),
                    error=error.message,
                    default=excerpt(repr(spec.default)),
                )
            )
    return values, warnings
