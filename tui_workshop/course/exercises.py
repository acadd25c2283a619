"""Checking exercise answers and giving feedback that helps.

:func:`check` reads what a student typed (numbers or small expressions, see
:mod:`tui_workshop.course.expr`) and compares it with the answer;
:func:`check_goal` compares a live metric of the running experiment with a
goal's target. Both return a :class:`Feedback`.

``Feedback.kind`` says how to show it:

- ``"correct"``: the answer is right (or the goal is reached);
- ``"close"``: near the answer but outside the tolerance;
- ``"wrong"``: a readable answer that is not right;
- ``"invalid"``: the text could not be read (nothing is counted as an attempt);
- ``"pending"``: a goal not reached yet, or not measurable yet.

Choice answers typed as text are 1-based numbers or letters as shown to the
student (``"2"`` or ``"b"`` is the second choice); the choice text itself is
accepted too. :func:`check_choice` takes a 0-based index for widgets.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui_workshop.course.expr import ExprError, evaluate, evaluate_array, shape
from tui_workshop.course.loader import Course, parse_constraint
from tui_workshop.course.model import Exercise

if TYPE_CHECKING:
    from tui_workshop.course.progress import Progress

FeedbackKind = str  # "correct" | "close" | "wrong" | "invalid" | "pending"

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
OP_WORDS = {">=": "at least", "<=": "at most", ">": "above", "<": "below"}


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str
    kind: FeedbackKind


def fmt(value: float) -> str:
    """A number as a student would write it: 0.58, 12, 1e-05."""
    if value == int(value) and abs(value) < 1e12:
        return str(int(value))
    return f"{value:.6g}"


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _allowed(exercise: Exercise, expected: float) -> float:
    if exercise.relative:
        return exercise.tolerance * abs(expected)
    return exercise.tolerance


def _close(exercise: Exercise, value: float, expected: float) -> bool:
    # a tiny slack so that 0.1 + 0.2 style rounding never fails an exact answer
    return abs(value - expected) <= _allowed(exercise, expected) + 1e-12 * max(1.0, abs(expected))


def check(exercise: Exercise, text: str) -> Feedback:
    """Feedback for the answer ``text`` to a numeric, choice or vector exercise."""
    if exercise.kind == "numeric":
        return _check_numeric(exercise, text)
    if exercise.kind == "choice":
        return _check_choice_text(exercise, text)
    if exercise.kind == "vector":
        return _check_vector(exercise, text)
    if exercise.kind == "goal":
        return Feedback(False, "This goal is checked on the live experiment.", "pending")
    raise ValueError(f"unknown exercise kind {exercise.kind!r}")


def _invalid(text: str, error: Exception) -> Feedback:
    if not text.strip():
        return Feedback(False, "Type an answer first.", "invalid")
    return Feedback(False, f"could not read {_short(text)!r}: {error}", "invalid")


def _check_numeric(exercise: Exercise, text: str) -> Feedback:
    try:
        value = evaluate(text)
    except ExprError as error:
        return _invalid(text, error)
    expected = float(exercise.answer)
    if _close(exercise, value, expected):
        return Feedback(True, f"Correct: {fmt(value)}.", "correct")
    return Feedback(
        False, _numeric_hint(exercise, value, expected), _miss_kind(exercise, value, expected)
    )


def _miss_kind(exercise: Exercise, value: float, expected: float) -> FeedbackKind:
    allowed = _allowed(exercise, expected)
    near = abs(value - expected) <= max(5 * allowed, 0.05 * abs(expected))
    return "close" if near else "wrong"


def _numeric_hint(exercise: Exercise, value: float, expected: float) -> str:
    """Why a number is wrong, when there is a common reason."""
    if expected != 0 and _close(exercise, -value, expected):
        return f"{fmt(value)}: right magnitude, wrong sign."
    if expected != 0 and value != 0 and (value > 0) == (expected > 0):
        ratio = math.log10(abs(value / expected))
        power = round(ratio)
        if power != 0 and abs(power) <= 3 and _close(exercise, value / 10.0**power, expected):
            factor = fmt(10.0 ** abs(power))
            direction = "too large" if power > 0 else "too small"
            return (
                f"{fmt(value)} is off by a factor of {factor} ({direction});"
                " check the decimal point."
            )
    if _miss_kind(exercise, value, expected) == "close":
        return (
            f"{fmt(value)} is close but outside the tolerance"
            f" (±{fmt(_allowed(exercise, expected))}); keep more decimals."
        )
    return f"{fmt(value)} is not right."


def choice_index(exercise: Exercise, text: str) -> int:
    """The 0-based choice that ``text`` names ("2", "b", or the choice text); ValueError if none."""
    count = len(exercise.choices)
    word = text.strip().rstrip(").").strip()
    if not word:
        raise ValueError("type the number or letter of a choice")
    if word.isdigit():
        number = int(word)
        if 1 <= number <= count:
            return number - 1
    elif len(word) == 1 and word.isalpha():
        number = ord(word.lower()) - ord("a")
        if 0 <= number < count:
            return number
    else:
        for index, choice in enumerate(exercise.choices):
            if word.lower() == choice.strip().lower():
                return index
    last = chr(ord("a") + count - 1)
    raise ValueError(f"choose 1 to {count} (or a to {last})")


def check_choice(exercise: Exercise, index: int) -> Feedback:
    """Feedback for the 0-based choice ``index`` (from a widget)."""
    if not 0 <= index < len(exercise.choices):
        return Feedback(False, f"there is no choice {index + 1}", "invalid")
    if index == exercise.answer:
        return Feedback(True, f"Correct: {exercise.choices[index]}.", "correct")
    return Feedback(False, f"Not {exercise.choices[index]!r}. Read the options again.", "wrong")


def _check_choice_text(exercise: Exercise, text: str) -> Feedback:
    try:
        index = choice_index(exercise, text)
    except ValueError as error:
        return _invalid(text, error) if text.strip() else Feedback(False, str(error), "invalid")
    return check_choice(exercise, index)


def _describe_shape(dims: tuple[int, ...]) -> str:
    if len(dims) == 1:
        return f"{dims[0]} value" + ("" if dims[0] == 1 else "s")
    return f"a {dims[0]}×{dims[1]} matrix"


def _check_vector(exercise: Exercise, text: str) -> Feedback:
    try:
        given = evaluate_array(text)
    except ExprError as error:
        return _invalid(text, error)
    expected = exercise.answer
    matrix = isinstance(expected[0], tuple)
    want = (len(expected), len(expected[0])) if matrix else (len(expected),)
    got = shape(given)
    if len(want) == 1 and len(got) == 2 and 1 in got:
        # a column or a row typed for a vector
        given = [row[0] for row in given] if got[1] == 1 else list(given[0])
        got = (len(given),)
    elif len(want) == 2 and len(got) == 1 and 1 in want and got[0] == max(want):
        # a plain list typed for a column or row matrix
        given = [[v] for v in given] if want[1] == 1 else [list(given)]
        got = want
    if want != got:
        if len(want) == 1:
            message = f"expected {want[0]} values, got {_describe_shape(got)}."
        else:
            message = f"expected {_describe_shape(want)}, got {_describe_shape(got)}."
        return Feedback(False, message, "wrong")
    if len(want) == 1:
        pairs = [((i,), given[i], expected[i]) for i in range(want[0])]
    else:
        pairs = [
            ((r, c), given[r][c], expected[r][c]) for r in range(want[0]) for c in range(want[1])
        ]
    wrong = [pos for pos, value, answer in pairs if not _close(exercise, value, answer)]
    if not wrong:
        return Feedback(True, "Correct: every entry matches.", "correct")
    names = [str(pos[0] + 1) if len(pos) == 1 else f"({pos[0] + 1}, {pos[1] + 1})" for pos in wrong]
    if len(wrong) == len(pairs):
        message = "none of the entries is right."
    elif len(names) == 1:
        message = f"entry {names[0]} is wrong."
    else:
        listed = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
        message = f"entries {listed} are wrong ({len(wrong)} of {len(pairs)})."
    flipped = all(
        answer != 0 and _close(exercise, -value, answer)
        for pos, value, answer in pairs
        if pos in wrong
    )
    if flipped:
        message += " Check the signs."
    return Feedback(False, message[0].upper() + message[1:], "wrong")


def _check_constraint(name: str, rule: Any, params: Mapping[str, Any]) -> str | None:
    """None when ``params[name]`` satisfies ``rule``, else a message."""
    if name not in params:
        return f"{name} is not set, so the goal cannot be checked"
    value = params[name]
    op, limit = parse_constraint(rule)
    if isinstance(limit, float) and not isinstance(value, bool):
        try:
            value = float(value)
        except (TypeError, ValueError):
            return f"{name} is {value!r}, not a number"
    if OPERATORS[op](value, limit):
        return None
    shown_limit = fmt(limit) if isinstance(limit, float) else repr(limit)
    shown_value = fmt(value) if isinstance(value, float) else repr(value)
    return f"{name} must be {op} {shown_limit} (it is {shown_value})"


def check_goal(
    exercise: Exercise, metrics: Mapping[str, float], params: Mapping[str, Any]
) -> Feedback:
    """Whether the live experiment reaches the goal while respecting its constraints."""
    problems = [
        problem
        for name, rule in exercise.constraints.items()
        if (problem := _check_constraint(name, rule, params)) is not None
    ]
    if problems:
        return Feedback(False, "Constraint not met: " + "; ".join(problems) + ".", "pending")
    metric = exercise.metric
    value = metrics.get(metric)
    if value is None or not isinstance(value, (int, float)) or math.isnan(value):
        return Feedback(False, f"Run the experiment to measure {metric}.", "pending")
    target = exercise.target
    words = OP_WORDS.get(exercise.op, exercise.op)
    if OPERATORS[exercise.op](value, target):
        return Feedback(
            True, f"Goal reached: {metric} = {fmt(value)} ({exercise.op} {fmt(target)}).", "correct"
        )
    return Feedback(
        False, f"{metric} is {fmt(value)}; the goal is {words} {fmt(target)}.", "pending"
    )


def hint(exercise: Exercise, n: int) -> str | None:
    """The hint number ``n`` (0-based), or None when there is no such hint."""
    if 0 <= n < len(exercise.hints):
        return exercise.hints[n]
    return None


def hints_shown(exercise: Exercise, count: int) -> tuple[str, ...]:
    """The first ``count`` hints (what the student has asked for so far)."""
    return exercise.hints[: max(0, count)]


def score(course: Course, progress: Progress) -> dict[str, tuple[int, int]]:
    """Per lesson id: (exercises completed, exercises in the lesson), in course order.

    Completions stored for exercises that no longer exist are not counted.
    """
    result: dict[str, tuple[int, int]] = {}
    for lesson in course.lessons:
        ids = {exercise.id for exercise in lesson.exercises}
        state = progress.lessons.get(lesson.id)
        done = len(ids & state.completed) if state is not None else 0
        result[lesson.id] = (done, len(ids))
    return result


def total_score(course: Course, progress: Progress) -> tuple[int, int]:
    """(exercises completed, exercises) over the whole course."""
    per_lesson = score(course, progress).values()
    return sum(d for d, _ in per_lesson), sum(t for _, t in per_lesson)
