"""Checks shared by the tests of the experiments converted to schemas and message keys.

- :func:`assert_schema_contains_lesson`: a lesson only narrows its experiment's schema.
- :func:`frame_texts` / :func:`english_words`: every text of a frame, rendered, and the
  English words left in it under the pseudo-locale.
- :func:`step_while_reading`: a worker thread steps while this thread reads frames.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from tui_workshop.course.loader import read_front_matter
from tui_workshop.experiments.base import Bars, Frame, Heatmap, LinePlot, Table, TextPanel
from tui_workshop.experiments.schema import Param
from tui_workshop.i18n import render, set_language
from tui_workshop.i18n.pseudo import PSEUDO, is_pseudo_word_free

LESSONS = Path(__file__).resolve().parents[2] / "lessons" / "en"


def lesson_front(stem: str) -> dict:
    return read_front_matter(LESSONS / f"{stem}.md")[0]


def assert_schema_contains_lesson(schema: dict[str, Param], front: dict) -> None:
    """Every parameter, bound, choice, default and preset of the lesson fits the schema."""
    for name, declared in front["params"].items():
        param = schema[name]
        assert declared["kind"] == param.kind, name
        if "min" in declared:
            assert param.min <= declared["min"], name
        if "max" in declared:
            assert declared["max"] <= param.max, name
        assert set(declared.get("choices", ())) <= set(param.choices), name
        param.validate(declared["default"])
    for preset in front.get("presets", {}).values():
        for name, value in preset["values"].items():
            schema[name].validate(value)


@contextlib.contextmanager
def pseudo_locale() -> Iterator[None]:
    set_language(PSEUDO)
    try:
        yield
    finally:
        set_language("en")


def frame_texts(frame: Frame) -> list[str]:
    """Every text a frame shows, rendered in the current language."""
    texts = [frame.status, frame.message]
    for panel in frame.panels:
        texts.append(panel.title)
        if isinstance(panel, TextPanel):
            texts.append(panel.text)
        elif isinstance(panel, LinePlot):
            texts += [panel.xlabel, panel.ylabel, *(s.label for s in panel.series)]
        elif isinstance(panel, Heatmap):
            texts += [panel.xlabel, panel.ylabel, *(s.label for s in panel.points)]
        elif isinstance(panel, Table):
            texts += [*panel.columns, *(cell for row in panel.rows for cell in row)]
        elif isinstance(panel, Bars):
            texts += list(panel.labels)
    return [render(t) for t in texts]


def english_words(frame: Frame, allowed: frozenset[str]) -> list[str]:
    """Runs of 3+ plain ASCII letters (not in ``allowed``) in the frame's texts."""
    return [w for text in frame_texts(frame) for w in is_pseudo_word_free(text, allowed)]


def step_while_reading(experiment, steps: int) -> list[int]:
    """Step ``steps`` times in a worker thread while this thread reads frames.

    Returns the frame steps read (the last one after the worker finished);
    raises whatever the worker raised.
    """
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(steps):
                experiment.step()
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=work)
    seen: list[int] = []
    worker.start()
    while worker.is_alive():
        seen.append(experiment.frame().step)
    worker.join()
    seen.append(experiment.frame().step)
    if errors:
        raise errors[0]
    assert seen == sorted(seen), "frame steps went backwards"
    return seen
