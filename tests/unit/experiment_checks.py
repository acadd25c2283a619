"""Checks shared by the experiment tests.

- :func:`frame_texts` / :func:`english_words`: every text of a frame, rendered, and
  the plain English words left in such texts (under :func:`language`, the pseudo-locale).
- :func:`lesson_problems`: how a shipped lesson asks for more than its experiment's
  schema allows (empty when the lesson only narrows it).
- :func:`frames_until_done`: the frames of a whole run.
- :func:`step_while_reading`: a worker thread steps while this thread reads frames.

The ``pseudo_locale`` fixture of ``tests/unit/conftest.py`` wraps :func:`language`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui_workshop.course.loader import check_constraint_value, parse_constraint, read_front_matter
from tui_workshop.experiments import Bars, Experiment, Frame, Heatmap, LinePlot, Table, TextPanel
from tui_workshop.experiments.schema import Param, ParameterError, narrowing_errors
from tui_workshop.i18n import PSEUDO, render, set_language
from tui_workshop.i18n.pseudo import is_pseudo_word_free

LESSONS = Path(__file__).resolve().parents[2] / "lessons" / "en"


@contextmanager
def language(lang: str = PSEUDO) -> Iterator[None]:
    """Render in ``lang`` (the pseudo-locale unless named) inside the block; English after."""
    set_language(lang)
    try:
        yield
    finally:
        set_language("en")


def panel_texts(panel: Any) -> list[Any]:
    """Every text of a panel (title, text, labels, columns, cells), unrendered."""
    texts: list[Any] = [panel.title]
    if isinstance(panel, TextPanel):
        texts.append(panel.text)
    if isinstance(panel, LinePlot | Heatmap):
        texts += [panel.xlabel, panel.ylabel]
        series = panel.series if isinstance(panel, LinePlot) else panel.points
        texts += [s.label for s in series]
    if isinstance(panel, Table):
        texts += list(panel.columns)
        texts += [cell for row in panel.rows for cell in row]
    if isinstance(panel, Bars):
        texts += list(panel.labels)
    return texts


def frame_texts(frame: Frame) -> list[str]:
    """Status, message and every panel text of ``frame``, rendered in the current language."""
    texts = [frame.status, frame.message]
    for panel in frame.panels:
        texts += panel_texts(panel)
    return [render(t) for t in texts]


def english_words(texts: Iterable[str], allowed: Iterable[str] = ()) -> list[str]:
    """Runs of 3+ plain ASCII letters in ``texts`` that are not in ``allowed``."""
    allow = frozenset(allowed)
    return [w for text in texts for w in is_pseudo_word_free(text, allow)]


def lesson_front(file: str) -> dict[str, Any]:
    return read_front_matter(LESSONS / file)[0]


def _lesson_param(raw: Mapping[str, Any]) -> Param:
    return Param(
        raw["kind"],
        raw.get("default"),
        min=raw.get("min"),
        max=raw.get("max"),
        choices=tuple(raw.get("choices", ())),
    )


def lesson_problems(schema: Mapping[str, Param], file: str) -> list[str]:
    """How the shipped lesson ``file`` asks for more than ``schema`` allows: parameters
    it does not know, wider bounds, unknown choices, defaults, presets, and goal
    constraints the loader would reject or whose bounds the schema rejects. Empty when
    the lesson only narrows the schema."""
    front = lesson_front(file)
    problems: list[str] = []

    def check(name: str, value: Any, where: str) -> None:
        if name not in schema:
            problems.append(f"{where}: unknown parameter {name}")
            return
        try:
            schema[name].validate(value)
        except ParameterError as error:
            problems.append(f"{where}: {name} = {value!r}: {render(error.message)}")

    for name, raw in front.get("params", {}).items():
        if name not in schema:
            problems.append(f"params: unknown parameter {name}")
            continue
        for key, message in narrowing_errors(schema[name], _lesson_param(raw)):
            problems.append(f"params.{name}.{key}: {render(message)}")
        if "default" in raw:
            check(name, raw["default"], "default")
    for preset, table in front.get("presets", {}).items():
        for name, value in table.get("values", {}).items():
            check(name, value, f"presets.{preset}")
    for exercise in front.get("exercises", []):
        where = f"exercise {exercise.get('id')}"
        for name, rule in exercise.get("constraints", {}).items():
            if name not in schema:
                problems.append(f"{where}: unknown parameter {name}")
                continue
            try:
                op, limit = parse_constraint(rule)
                check_constraint_value(schema[name], op, limit)
            except ParameterError as error:
                problems.append(f"{where}: {name} {rule!r}: {render(error.message)}")
                continue
            if op not in ("==", "!="):  # a bound such as "<=0.05": inside the schema's range
                whole = schema[name].kind == "int" and float(limit).is_integer()
                check(name, int(limit) if whole else limit, where)
    return problems


def frames_until_done(experiment: Experiment, max_steps: int | None = None) -> list[Frame]:
    """The frame after each step until ``experiment`` is done; with ``max_steps``, fails
    the test when it is not done after that many steps."""
    frames: list[Frame] = []
    while not experiment.done:
        assert max_steps is None or len(frames) < max_steps, f"not done in {max_steps} steps"
        experiment.step()
        frames.append(experiment.frame())
    return frames


def step_while_reading(experiment: Experiment, steps: int) -> list[int]:
    """Step ``experiment`` ``steps`` times in a thread while this thread reads frames.

    Returns the step of every frame read: before the thread starts, while it runs and
    after it ended. Fails the test when a frame's step goes backwards; re-raises an
    exception of the stepping thread.
    """
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(steps):
                experiment.step()
        except BaseException as error:  # reported to the test below
            errors.append(error)

    worker = threading.Thread(target=work)
    seen = [experiment.frame().step]
    worker.start()
    try:
        while worker.is_alive():
            seen.append(experiment.frame().step)
    finally:
        worker.join()
    if errors:
        raise errors[0]
    seen.append(experiment.frame().step)
    assert seen == sorted(seen), f"frame steps went backwards: {seen}"
    return seen
