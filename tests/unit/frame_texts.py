"""Helpers for the experiment tests: the texts a frame shows, lesson bounds, a stepping thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui_workshop.course.loader import read_front_matter
from tui_workshop.experiments import (
    Bars,
    Experiment,
    Frame,
    Heatmap,
    LinePlot,
    Table,
    TextPanel,
)
from tui_workshop.experiments.schema import Param
from tui_workshop.i18n import render, set_language
from tui_workshop.i18n.pseudo import PSEUDO, is_pseudo_word_free

LESSONS = Path(__file__).resolve().parents[2] / "lessons" / "en"
# Kept as plain text on purpose: names of functions, optimisers and notation.
ALLOWED = frozenset({"tanh", "ReLU", "SGD", "Adam", "RMSprop", "sin", "nan"})


@contextmanager
def pseudo_locale() -> Iterator[None]:
    """The pseudo-locale for the duration of the block, English after."""
    set_language(PSEUDO)
    try:
        yield
    finally:
        set_language("en")


def frame_texts(frame: Frame) -> list[tuple[str, Any]]:
    """(where, text) for every text a frame shows: status, message, titles, labels, cells."""
    out: list[tuple[str, Any]] = [("status", frame.status), ("message", frame.message)]
    for index, panel in enumerate(frame.panels):
        where = f"panel {index}"
        out.append((f"{where} title", panel.title))
        if isinstance(panel, TextPanel):
            out.append((f"{where} text", panel.text))
        if isinstance(panel, LinePlot | Heatmap):
            out += [(f"{where} xlabel", panel.xlabel), (f"{where} ylabel", panel.ylabel)]
            series = panel.series if isinstance(panel, LinePlot) else panel.points
            out += [(f"{where} series", s.label) for s in series]
        if isinstance(panel, Table):
            out += [(f"{where} column", c) for c in panel.columns]
            out += [(f"{where} cell", c) for row in panel.rows for c in row]
        if isinstance(panel, Bars):
            out += [(f"{where} bar", label) for label in panel.labels]
    return out


def english_left(frame: Frame, allowed: frozenset[str] = ALLOWED) -> list[tuple[str, str]]:
    """(where, rendered text) of each text showing plain English words in the current language."""
    found = []
    for where, text in frame_texts(frame):
        rendered = render(text)
        if is_pseudo_word_free(rendered, allowed):
            found.append((where, rendered))
    return found


def lesson_front(filename: str) -> dict[str, Any]:
    return read_front_matter(LESSONS / filename)[0]


def lesson_schema_errors(schema: Mapping[str, Param], filename: str) -> list[str]:
    """How the lesson's parameters and presets do not fit inside ``schema`` (empty: they do)."""
    front = lesson_front(filename)
    errors = []
    for name, spec in front.get("params", {}).items():
        param = schema.get(name)
        if param is None:
            errors.append(f"{name}: not in the schema")
            continue
        if spec["kind"] != param.kind:
            errors.append(f"{name}: kind {spec['kind']} is {param.kind} in the schema")
        if "min" in spec and spec["min"] < param.min:
            errors.append(f"{name}: min {spec['min']} < {param.min}")
        if "max" in spec and spec["max"] > param.max:
            errors.append(f"{name}: max {spec['max']} > {param.max}")
        missing = set(spec.get("choices", ())) - set(param.choices)
        if missing:
            errors.append(f"{name}: choices {sorted(missing)} not in the schema")
        try:
            param.validate(spec["default"])
        except ValueError as error:
            errors.append(f"{name}: default {spec['default']!r}: {error}")
    for preset_name, preset in front.get("presets", {}).items():
        for name, value in preset["values"].items():
            try:
                schema[name].validate(value)
            except (KeyError, ValueError) as error:
                errors.append(f"preset {preset_name}: {name} = {value!r}: {error}")
    return errors


def step_while_reading(exp: Experiment, steps: int) -> list[int]:
    """Step ``exp`` ``steps`` times in a thread while this thread reads frames.

    Returns the frame steps read (the last one after the thread ended); re-raises
    an exception of either thread.
    """
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(steps):
                exp.step()
        except BaseException as error:  # reported to the test below
            errors.append(error)

    worker = threading.Thread(target=work)
    seen = [exp.frame().step]
    worker.start()
    try:
        while worker.is_alive():
            seen.append(exp.frame().step)
    finally:
        worker.join()
    if errors:
        raise errors[0]
    seen.append(exp.frame().step)
    return seen
