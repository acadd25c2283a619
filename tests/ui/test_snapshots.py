"""Snapshot tests: the overview and every lesson at 80x24, in English and in pt-BR; in
pt-BR also the help, the glossary and the screen of a terminal too small.

Regenerate the snapshots after a deliberate change of the screens (then look
at the report or the SVGs under tests/ui/__snapshots__/ before committing):

    python -m pytest tests/ui/test_snapshots.py --snapshot-update

Determinism: the state dir is a tmp dir (autouse fixture in conftest.py), the
progress starts empty, nothing trains (experiments draw their seeded first
frame), every cursor blink is off and run_before waits until the first frame
is drawn. A new lesson file gets a snapshot of its own: the ids are read from
the course.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tui_workshop import i18n
from tui_workshop.course.loader import load_course
from tui_workshop.course.progress import ProgressStore
from tui_workshop.ui.app import WorkshopApp

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons" / "en"
COURSE = load_course(LESSONS_DIR)
COURSE_PT = load_course(LESSONS_DIR.parent / "pt-BR", lang="pt-BR")
LESSON_IDS = [lesson.id for lesson in COURSE.lessons]
SIZE = (80, 24)


def make_app(start_lesson: str | None = None, course=COURSE) -> WorkshopApp:
    """The app on the real course with fresh progress (TUI_WORKSHOP_STATE_DIR is a tmp dir)."""
    return WorkshopApp(course, ProgressStore(), start_lesson=start_lesson)


@pytest.fixture
def portuguese():
    i18n.set_language("pt-BR")
    yield
    i18n.set_language("en")


async def first_frame(pilot: Pilot) -> None:
    """Wait until the screen is mounted and drawn; stop every blinking cursor."""
    app = pilot.app
    await pilot.pause()
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False
    await app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    # Until the screen is stable: the heatmap fits its grid to its size after the first
    # frame, and the frame drawn for that grid may come one refresh later.
    previous, stable = None, 0
    for _ in range(100):
        await pilot.pause()
        shot = app.export_screenshot()
        stable = stable + 1 if shot == previous else 0
        if stable >= 3:
            break
        previous = shot


def test_overview(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=first_frame)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_lesson(snap_compare, lesson_id: str) -> None:
    assert snap_compare(make_app(lesson_id), terminal_size=SIZE, run_before=first_frame)


def test_overview_pt_br(snap_compare, portuguese) -> None:
    assert snap_compare(make_app(course=COURSE_PT), terminal_size=SIZE, run_before=first_frame)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_lesson_pt_br(snap_compare, portuguese, lesson_id: str) -> None:
    app = make_app(lesson_id, course=COURSE_PT)
    assert snap_compare(app, terminal_size=SIZE, run_before=first_frame)


async def _open(pilot: Pilot, key: str, screen: str) -> None:
    await first_frame(pilot)
    await pilot.press(key)
    for _ in range(200):
        if type(pilot.app.screen).__name__ == screen:
            break
        await pilot.pause()
    assert type(pilot.app.screen).__name__ == screen
    await first_frame(pilot)


@pytest.mark.parametrize(
    ("key", "screen"),
    [("f1", "HelpScreen"), ("ctrl+g", "GlossaryScreen")],
    ids=["help", "glossary"],
)
def test_dialog_pt_br(snap_compare, portuguese, key: str, screen: str) -> None:
    async def open_it(pilot: Pilot) -> None:
        await _open(pilot, key, screen)

    app = make_app("neuron", course=COURSE_PT)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_it)


def test_too_small_pt_br(snap_compare, portuguese) -> None:
    """A terminal smaller than the app needs: the screen that says so, in Portuguese."""
    app = make_app("neuron", course=COURSE_PT)
    assert snap_compare(app, terminal_size=(40, 10), run_before=first_frame)
