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
from tui_workshop.course.model import Exercise, Lesson
from tui_workshop.experiments.schema import ParameterError
from tui_workshop.i18n.message import Msg, Num, Text, join, msg, msg_n

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
# How a comparison reads in a sentence: "the goal is at least 0.95"
OP_WORDS: dict[str, Msg] = {
    ">=": msg("at least {value}"),
    "<=": msg("at most {value}"),
    ">": msg("above {value}"),
    "<": msg("below {value}"),
    "==": msg("equal to {value}"),
    "!=": msg("other than {value}"),
}
# What a goal's metric is called on screen; names not listed are shown as they are.
METRIC_LABELS: dict[str, Text] = {
    "accuracy": msg("accuracy"),
    "val_accuracy": msg("validation accuracy"),
    "best_val_accuracy": msg("best validation accuracy"),
    "test_accuracy": msg("test accuracy"),
    "loss": msg("loss"),
    "val_loss": msg("validation loss"),
    "cross_entropy": msg("cross-entropy"),
    "distance": msg("distance to the minimum"),
    "recall": msg("recall"),
    "f1": msg("F1 score"),
    "steps": msg("steps"),
    "complete": msg("complete"),
    "forecast_rmse": msg("forecast RMSE"),
    "relative_difference": msg("relative difference"),
    "check_passed": msg("gradient check passed"),
    "grad_abs": msg("gradient size"),
    "grad_clipped": msg("clipped gradient size"),
    "grad_ratio": msg("gradient ratio"),
    "loss_sgd": msg("SGD loss"),
    "out_h": msg("output height"),
    "flipped": msg("flipped predictions"),
    "p1": "p₁",
    "drift": msg("drift of the spread of z"),
    "saturated_first": msg("share of saturated units in layer 1"),
    "lr_20": msg("η after 20 epochs"),
}
# Metrics that are 1.0 (true) or 0.0 (false): a goal on them reads as a sentence.
FLAG_GOALS: dict[str, tuple[Msg, Msg]] = {  # name: (goal when true, goal when false)
    "check_passed": (msg("the gradient check passes"), msg("the gradient check fails")),
    "complete": (msg("every entry computed"), msg("not every entry computed")),
}


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: Text  # a message key: render it in the interface's language
    kind: FeedbackKind


def fmt(value: float) -> Num:
    """A number as a student would write it: 0.58, 12, 1e-05 (in the language's form)."""
    return Num(value, digits=0, exact=True, max_digits=6)


def _short(text: str, limit: int = 40) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text.strip()[: limit + 1])
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
        return Feedback(False, msg("This goal is checked on the live experiment."), "pending")
    raise ValueError(f"unknown exercise kind {exercise.kind!r}")


def _invalid(text: str, error: ExprError | ValueError) -> Feedback:
    if not text.strip():
        return Feedback(False, msg("Type an answer first."), "invalid")
    reason = getattr(error, "message", str(error))
    return Feedback(
        False, msg("could not read {text}: {error}", text=repr(_short(text)), error=reason),
        "invalid",
    )


def _check_numeric(exercise: Exercise, text: str) -> Feedback:
    try:
        value = evaluate(text)
    except ExprError as error:
        return _invalid(text, error)
    expected = float(exercise.answer)
    if _close(exercise, value, expected):
        return Feedback(True, msg("Correct: {value}.", value=fmt(value)), "correct")
    return Feedback(
        False, _numeric_hint(exercise, value, expected), _miss_kind(exercise, value, expected)
    )


def _miss_kind(exercise: Exercise, value: float, expected: float) -> FeedbackKind:
    allowed = _allowed(exercise, expected)
    near = abs(value - expected) <= max(5 * allowed, 0.05 * abs(expected))
    return "close" if near else "wrong"


def _numeric_hint(exercise: Exercise, value: float, expected: float) -> Msg:
    """Why a number is wrong, when there is a common reason."""
    if expected != 0 and _close(exercise, -value, expected):
        return msg("{value}: right magnitude, wrong sign.", value=fmt(value))
    if expected != 0 and value != 0 and (value > 0) == (expected > 0):
        ratio = math.log10(abs(value / expected))
        power = round(ratio)
        if power != 0 and abs(power) <= 3 and _close(exercise, value / 10.0**power, expected):
            factor = fmt(10.0 ** abs(power))
            if power > 0:
                return msg(
                    "{value} is off by a factor of {factor} (too large); check the decimal point.",
                    value=fmt(value), factor=factor,
                )
            return msg(
                "{value} is off by a factor of {factor} (too small); check the decimal point.",
                value=fmt(value), factor=factor,
            )
    if _allowed(exercise, expected) == 0 and float(expected).is_integer():
        # an exact whole number (a count): tolerance and decimals are beside the point
        return _whole_number_hint(value, expected)
    if _miss_kind(exercise, value, expected) == "close":
        if _allowed(exercise, expected) == 0:
            return msg("{value} is close, but the answer is exact: compute it without rounding.",
                       value=fmt(value))
        return msg(
            "{value} is close but outside the tolerance (±{tolerance}); keep more decimals.",
            value=fmt(value), tolerance=fmt(_allowed(exercise, expected)),
        )
    return msg("{value} is not right.", value=fmt(value))


def _whole_number_hint(value: float, expected: float) -> Msg:
    """A count or another whole number missed: say so (no talk of decimals or tolerance)."""
    if not float(value).is_integer():
        return msg("{value} is not a whole number: the answer is one.", value=fmt(value))
    if value < expected:
        return msg("{value} is too small: the answer is a whole number; count again.",
                   value=fmt(value))
    return msg("{value} is too large: the answer is a whole number; count again.",
               value=fmt(value))


def choice_index(exercise: Exercise, text: str) -> int:
    """The 0-based choice that ``text`` names ("2", "b", or the choice text); ParameterError
    (a ValueError with a message key) if none."""
    count = len(exercise.choices)
    word = text.strip().rstrip(").").strip()
    if not word:
        raise ParameterError(msg("type the number or letter of a choice"))
    if word.isdigit():
        number = int(word) if len(word) < 6 else 0
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
    raise ParameterError(msg("choose 1 to {count} (or a to {last})", count=count, last=last))


def check_choice(exercise: Exercise, index: int) -> Feedback:
    """Feedback for the 0-based choice ``index`` (from a widget)."""
    if not 0 <= index < len(exercise.choices):
        return Feedback(False, msg("there is no choice {number}", number=index + 1), "invalid")
    if index == exercise.answer:
        return Feedback(True, msg("Correct: {choice}.", choice=exercise.choices[index]), "correct")
    return Feedback(
        False, msg("Not {choice}. Read the options again.", choice=repr(exercise.choices[index])),
        "wrong",
    )


def _check_choice_text(exercise: Exercise, text: str) -> Feedback:
    try:
        index = choice_index(exercise, text)
    except ParameterError as error:
        if text.strip():
            return _invalid(text, error)
        return Feedback(False, error.message, "invalid")
    return check_choice(exercise, index)


def _describe_shape(dims: tuple[int, ...]) -> Msg:
    if len(dims) == 1:
        return msg_n("{n} value", "{n} values", dims[0])
    return msg("a {rows}×{cols} matrix", rows=dims[0], cols=dims[1])


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
            message = msg_n("expected {n} value, got {got}.", "expected {n} values, got {got}.",
                            want[0], got=_describe_shape(got))
        else:
            message = msg("expected {want}, got {got}.", want=_describe_shape(want),
                          got=_describe_shape(got))
        return Feedback(False, message, "wrong")
    pairs: list[tuple[tuple[int, ...], Any, Any]]
    if len(want) == 1:
        pairs = [((i,), given[i], expected[i]) for i in range(want[0])]
    else:
        pairs = [
            ((r, c), given[r][c], expected[r][c]) for r in range(want[0]) for c in range(want[1])
        ]
    wrong = [pos for pos, value, answer in pairs if not _close(exercise, value, answer)]
    if not wrong:
        return Feedback(True, msg("Correct: every entry matches."), "correct")
    names = [str(pos[0] + 1) if len(pos) == 1 else f"({pos[0] + 1}, {pos[1] + 1})" for pos in wrong]
    if len(wrong) == len(pairs):
        message = msg("None of the entries is right.")
    elif len(names) == 1:
        message = msg("Entry {entry} is wrong.", entry=names[0])
    else:
        listed = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
        message = msg("Entries {entries} are wrong ({count} of {total}).", entries=listed,
                      count=len(wrong), total=len(pairs))
    flipped = all(
        answer != 0 and _close(exercise, -value, answer)
        for pos, value, answer in pairs
        if pos in wrong
    )
    if flipped:
        return Feedback(False, join(" ", (message, msg("Check the signs."))), "wrong")
    return Feedback(False, message, "wrong")


# ---- goals -------------------------------------------------------------------------


def metric_label(name: str) -> Text:
    """What a goal's metric is called on screen."""
    return METRIC_LABELS.get(name, name)


def _param_label(name: str, lesson: Lesson | None) -> Text:
    if lesson is not None:
        for spec in lesson.params:
            if spec.name == name:
                return spec.label or name
    return name


def _shown_value(name: str, value: Any, lesson: Lesson | None) -> Text:
    """A constraint's or parameter's value as the student sees it."""
    if isinstance(value, bool):
        return msg("yes") if value else msg("no")
    if isinstance(value, int | float):
        return fmt(float(value))
    if lesson is not None and isinstance(value, str):
        for spec in lesson.params:
            if spec.name == name and spec.kind == "choice":
                return spec.label_of(value)
    return str(value)


def _rule_text(name: str, rule: Any, lesson: Lesson | None) -> Msg:
    """One constraint in words: "hidden layers at most 2", "data set: gauss"."""
    op, limit = parse_constraint(rule)
    label = _param_label(name, lesson)
    value = _shown_value(name, limit, lesson)
    if op == "==":
        return msg("{label}: {value}", label=label, value=value)
    words = OP_WORDS[op]
    return msg("{label} {comparison}", label=label,
               comparison=words.with_args(value=value))


def _flag_goal(exercise: Exercise) -> Msg | None:
    """The goal as a sentence when its metric is true/false and the goal asks for one of them."""
    if exercise.metric not in FLAG_GOALS:
        return None
    compare = OPERATORS[exercise.op]
    when_true, when_false = compare(1.0, exercise.target), compare(0.0, exercise.target)
    if when_true == when_false:
        return None
    return FLAG_GOALS[exercise.metric][0 if when_true else 1]


def describe_goal(exercise: Exercise, lesson: Lesson | None = None) -> Text:
    """A goal in words, with the parameter labels the student sees:
    "Goal: validation accuracy at least 0.95, with hidden layers at most 2"."""
    flag = _flag_goal(exercise)
    if flag is not None:
        goal = msg("Goal: {what}", what=flag)
    else:
        comparison = OP_WORDS[exercise.op].with_args(value=fmt(exercise.target))
        goal = msg("Goal: {metric} {comparison}", metric=metric_label(exercise.metric),
                   comparison=comparison)
    if not exercise.constraints:
        return goal
    rules = join(", ", (_rule_text(n, r, lesson) for n, r in exercise.constraints.items()))
    return msg("{goal}, with {constraints}", goal=goal, constraints=rules)


def _check_constraint(
    name: str, rule: Any, params: Mapping[str, Any], lesson: Lesson | None
) -> Msg | None:
    """None when ``params[name]`` satisfies ``rule``, else a message."""
    label = _param_label(name, lesson)
    if name not in params:
        return msg("{label} is not set, so the goal cannot be checked", label=label)
    value = params[name]
    op, limit = parse_constraint(rule)
    if isinstance(limit, float) and not isinstance(value, bool):
        try:
            value = float(value)
        except (TypeError, ValueError):
            return msg("{label} is {value}, not a number", label=label, value=repr(value))
    if OPERATORS[op](value, limit):
        return None
    return msg("{rule} (it is {value})", rule=_rule_text(name, rule, lesson),
               value=_shown_value(name, value, lesson))


def check_goal(
    exercise: Exercise,
    metrics: Mapping[str, float],
    params: Mapping[str, Any],
    lesson: Lesson | None = None,
) -> Feedback:
    """Whether the live experiment reaches the goal while respecting its constraints.

    With ``lesson``, parameters are named by the labels the student sees.
    """
    problems = [
        problem
        for name, rule in exercise.constraints.items()
        if (problem := _check_constraint(name, rule, params, lesson)) is not None
    ]
    if problems:
        return Feedback(
            False, msg("Constraint not met: {problems}.", problems=join("; ", problems)),
            "pending",
        )
    metric = metric_label(exercise.metric)
    value = metrics.get(exercise.metric)
    if value is None or not isinstance(value, int | float) or math.isnan(value):
        return Feedback(False, msg("Run the experiment to measure {metric}.", metric=metric),
                        "pending")
    target = exercise.target
    comparison = OP_WORDS[exercise.op].with_args(value=fmt(target))
    if OPERATORS[exercise.op](value, target):
        return Feedback(
            True,
            msg("Goal reached: {metric} = {value} ({comparison}).", metric=metric,
                value=fmt(value), comparison=comparison),
            "correct",
        )
    return Feedback(
        False,
        msg("{metric} is {value}; the goal is {comparison}.", metric=metric, value=fmt(value),
            comparison=comparison),
        "pending",
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
