"""Typed, NumPy-free parameter declarations: each parameter is declared once.

An experiment module's spec (``tui_workshop.experiments.specs.<name>``)
declares ``SCHEMA``: a mapping of parameter name to :class:`Param`, made with
:func:`Int`, :func:`Float`, :func:`Choice` and :func:`Bool`. Everything else
derives from it: the experiment's defaults and validation, the catalogue the
lesson loader reads at start-up, the parameter panel's widgets and the error
messages. A lesson may only *narrow* a parameter (bounds inside the schema's,
a subset of its choices, a default and presets within them, its own labels):
:func:`narrowing_errors` proves it did.

Values are checked in one place, :meth:`Param.validate` (typed values: lesson
defaults, presets, saved progress) and :meth:`Param.parse` (text typed by a
student). Errors are :class:`ParameterError` carrying a message key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from tui_workshop.i18n.message import Msg, Num, Text, msg

ParamKind = Literal["int", "float", "choice", "bool"]
PARAM_KINDS: tuple[ParamKind, ...] = ("int", "float", "choice", "bool")
TRUE_WORDS = frozenset({"true", "yes", "on", "1", "y", "sim", "s", "verdadeiro"})
FALSE_WORDS = frozenset({"false", "no", "off", "0", "n", "não", "nao", "falso"})
EXCERPT = 24  # characters of a bad value repeated in a message
MAX_TEXT = 64  # longest text a parameter field accepts


class ParameterError(ValueError):
    """A value or combination of values an experiment cannot run, as a message key."""

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(str(message))


def excerpt(text: Any, limit: int = EXCERPT) -> str:
    """At most ``limit`` characters of ``text``, printable only, with … when cut."""
    value = "".join(ch if ch.isprintable() else "?" for ch in str(text)[: limit + 1])
    return value if len(value) <= limit else value[: limit - 1] + "…"


def bound(value: float) -> Num:
    """A bound or step as typed: 10, 0.001, 2.5."""
    return Num(value, digits=0, exact=True, max_digits=6)


@dataclass(frozen=True)
class Param:
    """One parameter: its kind, default, bounds or choices, label and help.

    ``label`` and ``help`` are message keys in a schema; a lesson may
    override them with its own text. ``live`` parameters may change while the
    experiment runs. ``log`` asks for multiplicative steps (learning rates).
    """

    kind: ParamKind
    default: Any
    label: Text = ""
    help: Text = ""
    min: float | None = None
    max: float | None = None
    step: float | None = None
    log: bool = False
    choices: tuple[str, ...] = ()
    choice_labels: tuple[Text, ...] = ()
    live: bool = False
    name: str = field(default="", compare=False)

    # -- checking values ------------------------------------------------------

    def validate(self, value: Any) -> Any:
        """``value`` converted to the kind (int, float, str, bool), or ParameterError."""
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise ParameterError(msg("must be yes or no"))
        if self.kind == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
            raise ParameterError(msg("must be one of: {choices}", choices=self.choice_list()))
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParameterError(msg("not a number: {text}", text=excerpt(repr(value))))
        if not math.isfinite(value):
            raise ParameterError(msg("not a number: {text}", text=excerpt(repr(value))))
        if self.kind == "int":
            if float(value) != int(value):
                raise ParameterError(
                    msg("must be a whole number, not {value}", value=bound(float(value)))
                )
            value = int(value)
        else:
            value = float(value)
        self._check_bounds(value)
        return value

    def parse(self, text: str) -> Any:
        """The value that ``text`` (typed by a student) means, or ParameterError."""
        stripped = str(text)[: MAX_TEXT + 1].strip()
        if not stripped:
            raise ParameterError(msg("a value is needed"))
        if len(stripped) > MAX_TEXT:
            raise ParameterError(msg("too long: {text}", text=excerpt(stripped)))
        if self.kind == "bool":
            word = stripped.lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ParameterError(msg("not yes or no: {text}", text=excerpt(stripped)))
        if self.kind == "choice":
            lowered = stripped.lower()
            for index, choice in enumerate(self.choices):
                label = self.choice_labels[index] if index < len(self.choice_labels) else ""
                if lowered in (choice.lower(), str(label).lower()):
                    return choice
            raise ParameterError(msg("must be one of: {choices}", choices=self.choice_list()))
        return self.validate(parse_number(stripped))

    def _check_bounds(self, value: float) -> None:
        low, high = self.min, self.max
        if low is not None and high is not None and not low <= value <= high:
            raise ParameterError(
                msg("must be between {min} and {max}", min=bound(low), max=bound(high))
            )
        if low is not None and value < low:
            raise ParameterError(msg("must be at least {min}", min=bound(low)))
        if high is not None and value > high:
            raise ParameterError(msg("must be at most {max}", max=bound(high)))

    def choice_list(self) -> str:
        return ", ".join(self.choices)

    def label_of(self, choice: str) -> Text:
        """What the student sees for ``choice``."""
        if choice in self.choices:
            index = self.choices.index(choice)
            if index < len(self.choice_labels):
                return self.choice_labels[index]
        return choice


def parse_number(text: str) -> float:
    """A number typed by a student: "0.5", "0,5", "−2", "1e-3", "1_000"."""
    cleaned = text.strip().replace("−", "-").replace("_", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # decimal comma: "0,5"
    try:
        value = float(cleaned)
    except ValueError:
        raise ParameterError(msg("not a number: {text}", text=excerpt(text.strip()))) from None
    if not math.isfinite(value):
        raise ParameterError(msg("not a number: {text}", text=excerpt(text.strip())))
    return value


# ---- declaring ------------------------------------------------------------------


def Int(
    default: int,
    min: int,
    max: int,
    *,
    label: Text,
    help: Text = "",
    step: int = 1,
    log: bool = False,
    live: bool = False,
) -> Param:
    return Param("int", default, label, help, min, max, step, log, live=live)


def Float(
    default: float,
    min: float,
    max: float,
    *,
    label: Text,
    help: Text = "",
    step: float | None = None,
    log: bool = False,
    live: bool = False,
) -> Param:
    return Param("float", float(default), label, help, min, max, step, log, live=live)


def Choice(
    default: str,
    choices: tuple[str, ...] | list[str],
    *,
    label: Text,
    help: Text = "",
    labels: tuple[Text, ...] | list[Text] = (),
    live: bool = False,
) -> Param:
    return Param(
        "choice", default, label, help, choices=tuple(choices), choice_labels=tuple(labels),
        live=live,
    )


def Bool(
    default: bool, *, label: Text, help: Text = "", live: bool = False
) -> Param:
    return Param("bool", bool(default), label, help, live=live)


Schema = Mapping[str, Param]


def named(schema: Mapping[str, Param]) -> dict[str, Param]:
    """The schema with each parameter knowing its name; checks its own defaults."""
    out: dict[str, Param] = {}
    for name, param in schema.items():
        param = replace(param, name=name)
        param.validate(param.default)  # a schema whose default is invalid is a bug
        if param.kind == "choice" and param.choice_labels:
            assert len(param.choice_labels) == len(param.choices), name
        out[name] = param
    return out


def defaults(schema: Schema) -> dict[str, Any]:
    return {name: param.default for name, param in schema.items()}


def validate_params(schema: Schema, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults overridden by ``values``, each validated; ParameterError naming the first
    unknown or invalid parameter."""
    values = dict(values or {})
    unknown = sorted(set(values) - set(schema))
    if unknown:
        raise ParameterError(msg("unknown parameter: {name}", name=excerpt(unknown[0])))
    out = defaults(schema)
    for name, value in values.items():
        try:
            out[name] = schema[name].validate(value)
        except ParameterError as error:
            raise ParameterError(
                msg("{label}: {error}", label=schema[name].label or name, error=error.message)
            ) from None
    return out


# ---- lessons narrow a schema ---------------------------------------------------------


def narrowing_errors(base: Param, narrowed: Param) -> list[tuple[str, Msg]]:
    """How ``narrowed`` (a lesson's version of ``base``) widens or contradicts it.

    Returns (lesson key, message) pairs: the key is the front-matter key the
    problem is about (``kind``, ``min``, ``max``, ``choices``, ``default``)
    so that the loader can point at its line.
    """
    errors: list[tuple[str, Msg]] = []
    if narrowed.kind != base.kind:
        errors.append(
            ("kind", msg("kind is {kind} in the experiment, not {lesson}", kind=base.kind,
                         lesson=narrowed.kind))
        )
        return errors
    if base.kind in ("int", "float"):
        if narrowed.min is not None and base.min is not None and narrowed.min < base.min:
            errors.append(
                ("min", msg("min {value} is below the experiment's minimum {min}",
                            value=bound(narrowed.min), min=bound(base.min)))
            )
        if narrowed.max is not None and base.max is not None and narrowed.max > base.max:
            errors.append(
                ("max", msg("max {value} is above the experiment's maximum {max}",
                            value=bound(narrowed.max), max=bound(base.max)))
            )
        if (narrowed.min is not None and base.max is not None and narrowed.min > base.max) or (
            narrowed.max is not None and base.min is not None and narrowed.max < base.min
        ):
            errors.append(("min", msg("the bounds are outside the experiment's range")))
    if base.kind == "choice":
        unknown = [c for c in narrowed.choices if c not in base.choices]
        for choice in unknown:
            errors.append(
                ("choices", msg("unknown choice {choice} (the experiment knows: {known})",
                                choice=excerpt(choice), known=base.choice_list()))
            )
    return errors
