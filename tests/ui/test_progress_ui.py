"""Progress through the UI: saved after each change, restored after a restart, reset.

The course here runs on its own small experiment declared with a schema
(``progress_counter``), so these tests do not depend on the shared fixtures'
experiments. Saving is debounced: tests read the file after ``session.flush()``
or after quitting.
"""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.widgets import DataTable
from textual.worker import WorkerCancelled

from tests.ui.conftest import LESSON_ONE, LESSON_THREE, REAL_COURSE, settle
from tui_workshop.course.loader import load_course
from tui_workshop.experiments.base import REGISTRY, Experiment, Frame, TextPanel
from tui_workshop.experiments.schema import Choice, Float, Int
from tui_workshop.ui.screens import ConfirmScreen, LessonScreen, OverviewScreen, ScoreScreen


class ProgressCounter(Experiment):
    """Trainable and deterministic: one step adds ``rate``; ``limit`` steps end it.

    ``gate`` (a class-level Event) lets a test hold a step in the middle.
    """

    name = "progress_counter"
    title = "A counter"
    SCHEMA: ClassVar = {
        "limit": Int(12, 1, 500, label="steps"),
        "rate": Float(1.0, 0.0, 10.0, label="rate", live=True),
        "mode": Choice("ok", ("ok", "broken", "nan", "raise"), label="mode"),
    }
    trainable = True
    gate: ClassVar[threading.Event | None] = None
    inside: ClassVar[int] = 0
    most_inside: ClassVar[int] = 0

    def __init__(self, params: Any = None) -> None:
        super().__init__(params)
        self.value = 0.0

    @property
    def done(self) -> bool:
        return self.steps_done >= int(self.params["limit"])

    def step(self) -> None:
        cls = type(self)
        cls.inside += 1
        cls.most_inside = max(cls.most_inside, cls.inside)
        try:
            if cls.gate is not None:
                cls.gate.wait(10)
            if not self.done:
                self.steps_done += 1
                self.value += float(self.params["rate"])
        finally:
            cls.inside -= 1

    def frame(self) -> Frame:
        return Frame(
            step=self.steps_done,
            status=f"value {self.value:g}",
            panels=(TextPanel("State", f"value = {self.value:g}"),),
            metrics={"steps": float(self.steps_done), "value": self.value},
            done=self.done,
        )


LESSON_TWO = """+++
id = "second"
title = "Choosing"
duration = 5
objectives = ["Pick a number"]
experiment = "progress_counter"

[[exercises]]
id = "pick"
kind = "choice"
prompt = "Which is a number?"
choices = ["nan", "1"]
answer = 1
+++
## One
A page.

## Two
Another page.
"""


@pytest.fixture(autouse=True)
def progress_counter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REGISTRY, ProgressCounter.name, ProgressCounter)
    ProgressCounter.gate = None
    ProgressCounter.inside = ProgressCounter.most_inside = 0


@pytest.fixture
def course(tmp_path: Path, progress_counter: None):
    """Lessons first (3 pages, 2 exercises), second (2 pages), third (optional, none)."""
    folder = tmp_path / "progress-lessons" / "en"
    folder.mkdir(parents=True)
    for name, text in (
        ("01-first.md", LESSON_ONE),
        ("02-second.md", LESSON_TWO),
        ("03-third.md", LESSON_THREE),
    ):
        text = text.replace('"ui_counter"', '"progress_counter"')
        (folder / name).write_text(text, encoding="utf-8")
    return load_course(folder)


def saved(state_dir) -> dict:
    return json.loads((state_dir / "progress.json").read_text())


def flushed(app, state_dir) -> dict:
    """What is on disk once the session saved what is pending."""
    assert app.session.flush()
    return saved(state_dir)


async def solve_sum(pilot, screen) -> None:
    """Answer the numeric exercise of lesson 'first' through its input."""
    box = screen.query_one("#exercises")
    answer = box.query_one("Input")
    answer.focus()
    answer.value = "2"
    await pilot.press("enter")
    await settle(pilot)


async def test_progress_survives_a_restart(make_app, state_dir):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("f4", "f4")
        await pilot.press("ctrl+t")
        limit = screen.query_one("ParamPanel").control("limit")
        limit.focus()
        limit.value = "40"
        await pilot.press("enter")
        await pilot.press("ctrl+t")
        await settle(pilot)
        await solve_sum(pilot, screen)
        await pilot.press("ctrl+q")
    data = saved(state_dir)
    assert data["current_lesson"] == "first"
    assert data["lessons"]["first"]["page"] == 2
    assert data["lessons"]["first"]["params"] == {"limit": 40}
    assert data["lessons"]["first"]["completed"] == ["sum"]

    again = make_app()  # a new store on the same directory: a restart
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, LessonScreen) and screen.lesson.id == "first"
        assert screen.page == 2
        assert screen.experiment.params["limit"] == 40
        assert screen.query_one("ParamPanel").values["limit"] == 40
        assert "sum" in screen.query_one("#exercises").completed
        await pilot.press("escape")
        await settle(pilot)
        table = again.screen.query_one("#lessons", DataTable)
        first = table.get_row_at(0)
        assert str(first[3]) == "3/3" and str(first[4]) == "1/2"


async def test_hints_and_revealed_solutions_are_saved(make_app, state_dir):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#exercises")
        box.query_one("#eb-hint").press()
        await settle(pilot)
        box.query_one("#eb-hint").press()
        await settle(pilot)
        box.query_one("#eb-solution").press()
        await settle(pilot)
        app.action_score()
        await settle(pilot)
        table = app.screen.query_one("#score-table", DataTable)
        row = [str(cell) for cell in table.get_row("first")]
        assert row[1:] == ["0/2", "2", "1"]
        assert table.row_count == 2  # lesson "third" has no exercises
        total = str(app.screen.query_one("#score-total").render())
        assert "0 of 3" in total and "hints used: 2 · solutions seen: 1" in total
        await pilot.press("ctrl+q")
    data = saved(state_dir)["lessons"]["first"]
    assert data["hints"] == {"sum": 2} and data["revealed"] == ["sum"]


async def test_corrupt_progress_file_is_recovered_with_a_notice(make_app, state_dir):
    (state_dir / "progress.json").write_text("{ not json")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        notices = [str(n.message) for n in app._notifications]
        assert any("moved" in text and "progress" in text.lower() for text in notices)
    assert list(state_dir.glob("progress.json.corrupt-*"))


async def test_reset_lesson_asks_first(make_app, state_dir):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+t", "ctrl+t")
        await settle(pilot)
        await solve_sum(pilot, screen)
        await pilot.press("f4")
        await settle(pilot)
        assert flushed(app, state_dir)["lessons"]["first"]["completed"] == ["sum"]

        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # the focused button is "Cancel"
        await settle(pilot)
        assert app.screen is screen
        assert flushed(app, state_dir)["lessons"]["first"]["completed"] == ["sum"]

        await pilot.press("ctrl+r", "y")
        await settle(pilot)
        assert app.screen is screen
        lessons = flushed(app, state_dir)["lessons"]
        assert "first" not in lessons or not lessons["first"]["completed"]
        assert screen.page == 0
        assert not screen.query_one("#exercises").completed


async def test_reset_all_from_the_palette_command_and_score(make_app, state_dir):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t", "ctrl+t")
        await settle(pilot)
        await solve_sum(pilot, app.screen)
        app.action_score()
        await settle(pilot)
        assert isinstance(app.screen, ScoreScreen)
        assert "1 of 3" in str(app.screen.query_one("#score-total").render())
        await pilot.press("escape")
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Reset all progress"].callback()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        data = flushed(app, state_dir)
        assert not any(lesson["completed"] for lesson in data["lessons"].values())
        assert app.session.score_totals() == (0, 3)


async def wait_workers(app) -> None:
    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


async def test_pages_seen_count_every_page_read_after_going_back(make_app):
    """Issue 8: reading all pages then going back to the first still shows all seen."""
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4", "f4", "f3", "f3")
        await settle(pilot)
        assert app.screen.page == 0
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        row = app.screen.query_one("#lessons", DataTable).get_row("first")
        assert str(row[3]) == "3/3"
        second = app.screen.query_one("#lessons", DataTable).get_row("second")
        assert str(second[3]) == "-/2"


@pytest.mark.parametrize("key", ["3", "neuron", "03-neuron"])
async def test_real_lesson_3_opens_by_number_id_or_stem_and_counts_5_of_5(make_store, key):
    from tui_workshop.ui.app import WorkshopApp

    lesson = REAL_COURSE.lessons[2]
    assert lesson.id == "neuron" and len(lesson.pages) == 5
    app = WorkshopApp(REAL_COURSE, make_store(), start_lesson=key)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.lesson.id == "neuron"
        await pilot.press("f4", "f4", "f4", "f4")
        await settle(pilot)
        assert screen.page == 4
        await pilot.press("f3", "f3", "f3", "f3")
        await settle(pilot)
        assert screen.page == 0
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        row = app.screen.query_one("#lessons", DataTable).get_row("neuron")
        assert str(row[3]) == "5/5"
        await wait_workers(app)


async def test_a_step_never_overlaps_a_running_training(make_app):
    """F6 while training: the step waits for the worker instead of stepping beside it."""
    gate = threading.Event()
    ProgressCounter.gate = gate
    app = make_app(start_lesson="first")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        for _ in range(100):
            if screen.experiment is not None:
                break
            await pilot.pause()
        experiment = screen.experiment
        await pilot.press("f5")
        for _ in range(200):  # the worker is inside its first step, held by the gate
            if ProgressCounter.inside == 1:
                break
            await pilot.pause(0.01)
        assert ProgressCounter.inside == 1
        await pilot.press("f6")  # stops the run; the step must wait for the worker
        await pilot.pause(0.05)
        assert ProgressCounter.inside == 1
        gate.set()
        await wait_workers(app)
        await settle(pilot)
        assert ProgressCounter.most_inside == 1
        assert experiment.steps_done == 2  # one from the run, one from F6
        assert screen.last_frame.step == 2 and not screen.playing


async def test_rapid_steps_each_count_once(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(100):
            if app.screen.experiment is not None:
                break
            await pilot.pause()
        await pilot.press("f6", "f6", "f6")
        await wait_workers(app)
        await settle(pilot)
        assert app.screen.experiment.steps_done == 3 and app.screen.last_frame.step == 3


async def test_state_folder_that_is_a_file_gives_one_notice(make_app, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TUI_WORKSHOP_STATE_DIR", str(blocker))
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4", "f4")
        await settle(pilot)
        assert not app.session.flush()
        notices = [str(n.message) for n in app._notifications]
        assert [text for text in notices if "cannot be saved" in text] == notices[:1]
        assert str(blocker) in notices[0]
        assert not any("could not be saved" in text for text in notices)  # not repeated
        assert isinstance(app.screen, LessonScreen) and app.screen.page == 2


async def test_saved_value_out_of_bounds_falls_back_with_a_warning(make_app, state_dir):
    (state_dir / "progress.json").write_text(
        '{"version": 2, "current_lesson": "first",'
        ' "lessons": {"first": {"params": {"limit": 100000, "gone": 1, "rate": 2.5}}}}'
    )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(100):
            if app.screen.experiment is not None:
                break
            await pilot.pause()
        assert app.screen.experiment.params["limit"] == 12
        assert app.screen.experiment.params["rate"] == 2.5
        warnings = [str(n.message) for n in app._notifications if n.severity == "warning"]
        assert any("steps" in text and "100000" in text for text in warnings)
        assert any("gone" in text for text in warnings)


async def test_a_save_failing_in_the_background_is_one_notice(make_app, state_dir):
    import shutil

    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.session.flush()
        shutil.rmtree(state_dir)
        state_dir.write_text("the state folder became a file")
        for _ in range(3):
            await pilot.press("f4", "f3")
        failed = []
        for _ in range(300):  # the saver thread reports within its debounce
            failed = [n for n in app._notifications if "could not be saved" in str(n.message)]
            if failed:
                break
            await pilot.pause(0.02)
        assert len(failed) == 1 and failed[0].severity == "warning"
        await pilot.press("f4", "f3")
        assert not app.session.flush()
        await settle(pilot)
        assert len([n for n in app._notifications if "saved" in str(n.message)]) == 1
        assert isinstance(app.screen, LessonScreen)
        state_dir.unlink()
