"""Fixtures for the Pilot tests: a small course, fake experiments, an isolated state dir.

``ui_counter`` is trainable, fast and deterministic (one step adds ``rate`` to
a value, ``limit`` steps end the run); ``ui_faulty`` diverges (an error frame)
or raises from ``step()``. Tests never touch the real $HOME: the state dir is
a tmp_path through TUI_WORKSHOP_STATE_DIR.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.worker import WorkerCancelled

from tui_workshop.course.loader import find_lessons_dir, load_course
from tui_workshop.experiments.base import (
    REGISTRY,
    Experiment,
    Frame,
    Heatmap,
    LinePlot,
    ParameterError,
    Series,
    TextPanel,
    frozen_array,
    register,
)
from tui_workshop.experiments.schema import Choice, Float, Int, Param
from tui_workshop.i18n import msg

# The shipped English lessons (the other fixtures build a small course of their own).
REAL_COURSE = load_course(find_lessons_dir("en"))


class CounterExperiment(Experiment):
    name = "ui_counter"
    title = "A counter"
    SCHEMA: ClassVar[dict[str, Param]] = {
        "limit": Int(12, 1, 500, label="steps"),
        "rate": Float(1.0, 0.0, 10.0, step=0.5, label="rate", live=True),
        "mode": Choice("ok", ("ok", "broken"), label="mode"),
    }
    trainable = True

    def check_params(self, params: dict[str, Any]) -> None:
        if params["mode"] == "broken":
            raise ParameterError(msg("mode 'broken' cannot run"))

    def __init__(self, params: dict | None = None) -> None:
        super().__init__(params)
        self.value = 0.0
        self.history: list[float] = []
        self.grid = (8, 6)
        self.grid_calls: list[tuple[int, int]] = []

    @property
    def done(self) -> bool:
        return self.steps_done >= int(self.params["limit"])

    def step(self) -> None:
        if not self.done:
            self.steps_done += 1
            self.value += float(self.params["rate"])
            self.history.append(self.value)

    def set_grid(self, cols: int, rows: int) -> None:
        self.grid = (max(4, cols), max(4, rows))
        self.grid_calls.append(self.grid)

    def frame(self) -> Frame:
        cols, rows = self.grid
        z = (frozen_array([[((c + r + self.steps_done) % 5) / 4 for c in range(cols)]
                           for r in range(rows)]))
        steps = list(range(1, len(self.history) + 1)) or [0]
        values = self.history or [0.0]
        return Frame(
            step=self.steps_done,
            status=f"value {self.value:g}",
            panels=(
                TextPanel("State", f"value = {self.value:g}\nrate = {self.params['rate']:g}"),
                LinePlot("Value", (Series("value", frozen_array(steps), frozen_array(values)),)),
                Heatmap("Field", z, (-1.0, 1.0), (-1.0, 1.0)),
            ),
            metrics={"steps": float(self.steps_done), "value": self.value},
            done=self.done,
            progress=self.steps_done / max(1, int(self.params["limit"])),
        )


class FaultyExperiment(Experiment):
    name = "ui_faulty"
    title = "Breaks on purpose"
    SCHEMA: ClassVar[dict[str, Param]] = {
        "mode": Choice("nan", ("nan", "raise"), label="mode"),
        "fail_at": Int(3, 1, 50, label="fail at"),
    }
    trainable = True

    @property
    def done(self) -> bool:
        return self.steps_done >= 50 or (
            self.params["mode"] == "nan" and self.steps_done >= int(self.params["fail_at"])
        )

    def step(self) -> None:
        if self.params["mode"] == "raise" and self.steps_done + 1 >= int(self.params["fail_at"]):
            raise RuntimeError("the faulty experiment broke")
        self.steps_done += 1

    def frame(self) -> Frame:
        diverged = self.params["mode"] == "nan" and self.steps_done >= int(self.params["fail_at"])
        return Frame(
            step=self.steps_done,
            status="loss = nan" if diverged else "loss = 1",
            panels=(TextPanel("Loss", "nan" if diverged else "1.0"),),
            done=self.done,
            message="the loss became NaN" if diverged else None,
            level="error" if diverged else "info",
        )


for _cls in (CounterExperiment, FaultyExperiment):
    if _cls.name not in REGISTRY:
        register(_cls)


LESSON_ONE = '''+++
id = "first"
title = "Counting steps"
duration = 10
objectives = ["Press play", "Change the rate"]
experiment = "ui_counter"

[params.limit]
kind = "int"
default = 12
min = 1
max = 500
label = "steps"

[params.rate]
kind = "float"
default = 1.0
min = 0.0
max = 10.0
step = 0.5
label = "rate"

[params.mode]
kind = "choice"
default = "ok"
choices = ["ok", "broken"]
label = "mode"

[presets.fast]
label = "Fast"
values = { rate = 5.0 }

[[exercises]]
id = "sum"
kind = "numeric"
prompt = "What is 1 + 1?"
answer = 2.0
hints = ["Count on your fingers", "It is between 1 and 3"]
solution = "1 + 1 = 2"

[[exercises]]
id = "run"
kind = "goal"
prompt = "Run at least 5 steps"
metric = "steps"
op = ">="
target = 5
+++
Welcome to the first lesson.

## Playing
Press F5 to play.

## Changing
Change the **rate** and watch.
'''

LESSON_TWO = '''+++
id = "second"
title = "When things break"
duration = 5
objectives = ["See a divergence"]
experiment = "ui_faulty"

[params.mode]
kind = "choice"
default = "nan"
choices = ["nan", "raise"]
label = "mode"

[[exercises]]
id = "pick"
kind = "choice"
prompt = "Which is a number?"
choices = ["nan", "1"]
answer = 1
+++
## Diverging
The loss becomes NaN.

## Raising
An error inside a step.
'''

LESSON_THREE = '''+++
id = "third"
title = "An optional extra"
duration = 3
optional = true
objectives = []
experiment = "ui_counter"
+++
## Only page
Nothing to solve here.
'''


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Progress and logs go to a temporary directory, never to $HOME."""
    directory = tmp_path / "state"
    directory.mkdir()
    monkeypatch.setenv("TUI_WORKSHOP_STATE_DIR", str(directory))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return directory


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons" / "en"
    folder.mkdir(parents=True)
    (folder / "01-first.md").write_text(LESSON_ONE, encoding="utf-8")
    (folder / "02-second.md").write_text(LESSON_TWO, encoding="utf-8")
    (folder / "03-third.md").write_text(LESSON_THREE, encoding="utf-8")
    return folder


@pytest.fixture
def course(lessons_dir: Path):
    return load_course(lessons_dir)


@pytest.fixture
def make_store(state_dir: Path):
    """A fresh ProgressStore on the isolated state dir (call again to 'restart')."""
    from tui_workshop.course.progress import ProgressStore

    def make() -> Any:
        return ProgressStore()

    return make


@pytest.fixture
def make_real_app(make_store):
    """Build a WorkshopApp on the shipped English course (REAL_COURSE)."""
    from tui_workshop.ui.app import WorkshopApp

    def make(start_lesson: str | None = None) -> WorkshopApp:
        return WorkshopApp(REAL_COURSE, make_store(), start_lesson)

    return make


@pytest.fixture
def make_app(course, make_store):
    """Build a WorkshopApp on the fixture course; messages are collected by tests."""
    from tui_workshop.ui.app import WorkshopApp

    def make(start_lesson: str | None = None, store: Any = None) -> WorkshopApp:
        return WorkshopApp(course, store or make_store(), start_lesson)

    return make


async def wait_workers(app) -> None:
    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


async def until(pilot, condition: Callable[[], object], timeout: float = 30.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


async def settle(pilot, times: int = 2) -> None:
    """Let pending messages and refreshes run."""
    for _ in range(times):
        await pilot.pause()


async def type_into(pilot, field, text: str, then: str = "enter") -> None:
    """Empty the input ``field``, type ``text`` into it, then press ``then``."""
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*text, then)
    await settle(pilot)


async def to_exercises(pilot, screen) -> None:
    """ctrl+t until the lesson screen shows its exercises pane."""
    while screen.pane != "exercises":
        await pilot.press("ctrl+t")
        await settle(pilot)
