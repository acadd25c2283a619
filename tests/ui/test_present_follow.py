"""Presenting (--present), following (ctrl+f), speaker notes and live polls, with Pilot.

The instructor's files are written with the real code (the Presenter, the board's
poll actions) or, for a follower alone, with ``cr.write_presentation`` as the
instructor's app does. Every wait is bounded and waits for a condition.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Markdown, Static

from tests.ui.conftest import until
from tui_workshop.course import classroom as cr
from tui_workshop.course.loader import load_course
from tui_workshop.course.session import CourseSession
from tui_workshop.ui.app import WorkshopApp
from tui_workshop.ui.classroom import FollowBanner, PollScreen
from tui_workshop.ui.screens.board import BoardApp, BoardScreen
from tui_workshop.ui.screens.lesson import LessonScreen
from tui_workshop.ui.screens.notes import NotesApp, NotesScreen
from tui_workshop.ui.widgets.param_panel import ParamPanel

NOTES = {
    "Playing": "Ask the room: what will F5 do?",
    "Changing": "Show a rate of 5, then 0.",
}


@pytest.fixture
def noted_course(lessons_dir: Path):
    """The fixture course with speaker notes on two pages of the first lesson."""
    path = lessons_dir / "01-first.md"
    text = path.read_text(encoding="utf-8")
    for title, note in NOTES.items():
        head = f"## {title}\n"
        start = text.index(head) + len(head)
        end = text.find("\n## ", start)
        end = len(text) if end < 0 else end
        body = text[start:end].rstrip("\n")
        text = text[:start] + body + f"\n\n::: notes\n{note}\n:::\n" + text[end:]
    path.write_text(text, encoding="utf-8")
    return load_course(lessons_dir)


@pytest.fixture
def klass(tmp_path: Path) -> cr.ClassInfo:
    return cr.init_class(tmp_path / "class")  # the instructor is the account running tests


def student_app(course, make_store, klass, start: str = "first", **own_params) -> WorkshopApp:
    session = CourseSession(course, make_store())
    session.set_display_name("Ana")
    if own_params:
        session.set_params(start, own_params)
    return WorkshopApp(course, session.store, start, session=session, class_info=klass)


def present(klass: cr.ClassInfo, lesson: str, page: int = 0, playing: bool = False, **params):
    now = time.time()
    cr.write_presentation(
        klass,
        cr.Presentation(lesson, page, params, playing, True, now - 60, now - 30, {}),
    )


def where(app: WorkshopApp) -> tuple[str, int] | None:
    screen = app.screen
    if isinstance(screen, LessonScreen) and screen.is_mounted:
        return screen.lesson.id, screen.page
    return None


def panel_values(app: WorkshopApp) -> dict:
    return app.lesson_screen().query_one(ParamPanel).values


def present_file(klass: cr.ClassInfo) -> dict:
    return json.loads((klass.instructor_dir / cr.PRESENT).read_text())


# ---------------------------------------------------------------- presenting


async def test_present_publishes_page_params_and_run(noted_course, make_store, klass) -> None:
    app = WorkshopApp(noted_course, make_store(), "first", class_info=klass, present=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: (klass.instructor_dir / cr.PRESENT).exists())
        shown = present_file(klass)
        assert (shown["lesson"], shown["page"], shown["presenting"]) == ("first", 0, True)
        assert shown["params"] == {"limit": 12, "rate": 1.0, "mode": "ok"}
        assert app.classroom is None  # the instructor publishes no student status
        assert not list(klass.students_dir.iterdir())
        # The projector layout: exercises hidden, no animations; every key kept.
        screen = app.lesson_screen()
        assert app.has_class("-present") and app.animation_level == "none"
        await until(pilot, lambda: screen.query("#pane-exercises"))
        assert screen.query_one("#pane-exercises").styles.display == "none"
        await pilot.press("f4")
        await until(pilot, lambda: present_file(klass)["page"] == 1)
        await until(pilot, lambda: screen.experiment is not None)
        screen.query_one(ParamPanel).set_values({"rate": 2.5})
        app.session.set_params("first", {"rate": 2.5})
        screen.build_experiment()
        await until(pilot, lambda: present_file(klass)["params"]["rate"] == 2.5)
        await pilot.press("f5")
        await until(pilot, lambda: present_file(klass)["playing"] is True)
        await pilot.press("f5")
        await until(pilot, lambda: present_file(klass)["playing"] is False)
        await pilot.press("f8")
        await until(pilot, lambda: present_file(klass)["lesson"] == "second")
        assert present_file(klass)["spent"]["first"] > 0
    assert present_file(klass)["presenting"] is False  # quitting ends the presentation


async def test_present_needs_files_owned_by_the_instructor(klass, tmp_path) -> None:
    other = cr.ClassInfo(klass.folder, "someone-else", klass.created)
    present(klass, "first", 1)
    assert cr.read_presentation(klass).page == 1
    assert cr.read_presentation(other) is None  # the file is not owned by "someone-else"


# ---------------------------------------------------------------- following


async def test_follower_moves_applies_values_and_restores_own(course, make_store, klass) -> None:
    present(klass, "second", 1, mode="raise")
    app = student_app(course, make_store, klass, start="first", rate=2.0)
    async with app.run_test(size=(80, 24)) as pilot:
        # A late joiner lands where the instructor is, following.
        await until(pilot, lambda: where(app) == ("second", 1))
        assert app.classroom.following
        await until(pilot, lambda: app.lesson_screen().query(FollowBanner))
        banner = app.lesson_screen().query_one(FollowBanner)
        assert "Following the instructor" in str(banner.render())
        await until(pilot, lambda: panel_values(app).get("mode") == "raise")
        # The instructor moves: the follower moves (the 2 s bound is checked end to end).
        present(klass, "first", 2, rate=7.5)
        await until(pilot, lambda: where(app) == ("first", 2), timeout=10)
        await until(pilot, lambda: panel_values(app).get("rate") == 7.5)
        await until(pilot, lambda: app.lesson_screen().experiment is not None)
        await until(pilot, lambda: app.lesson_screen().experiment.params["rate"] == 7.5)
        # A page of the student's own: following stops, the own values come back.
        await pilot.press("f3")
        await until(pilot, lambda: not app.classroom.following)
        assert where(app) == ("first", 1)
        await until(pilot, lambda: panel_values(app).get("rate") == 2.0)
        assert app.session.params(app.session.lesson("first"))[0]["rate"] == 2.0
        assert not app.lesson_screen().query(FollowBanner)
        # No longer following: the instructor's moves leave the student where they are.
        present(klass, "second", 0)
        await pilot.pause(1.2)
        assert where(app) == ("first", 1)
        # ctrl+f follows again: straight to the instructor.
        await pilot.press("ctrl+f")
        await until(pilot, lambda: where(app) == ("second", 0), timeout=5)


async def test_follow_key_is_in_help_and_palette(course, make_store, klass) -> None:
    app = student_app(course, make_store, klass)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: where(app) is not None)
        assert not app.classroom.following  # nobody presents: nothing to follow
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Follow the instructor (on or off)" in titles
        from tui_workshop.ui.screens.help import binding_rows

        rows = binding_rows(app.screen)
        assert any("Follow" in text for _key, text in rows), rows


async def test_follower_renders_nothing_from_the_file(course, make_store, klass) -> None:
    """Markup and escape sequences in the instructor's file never reach the screen."""
    now = time.time()
    evil = {
        "version": 1,
        "lesson": "first",
        "page": 1,
        "params": {"mode": "[bold red]x[/]\x1b[31m", "rate": 3.0},
        "playing": True,
        "presenting": True,
        "started": now,
        "since": now,
        "spent": {},
    }
    (klass.instructor_dir / cr.PRESENT).write_text(json.dumps(evil))
    app = student_app(course, make_store, klass)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: where(app) == ("first", 1))
        await until(pilot, lambda: panel_values(app).get("rate") == 3.0)
        assert panel_values(app)["mode"] == "ok"  # not a choice of the lesson: not applied
        banner = app.lesson_screen().query_one(FollowBanner)
        assert "bold" not in str(banner.render()) and "\x1b" not in str(banner.render())


# ---------------------------------------------------------------- notes


async def test_notes_show_this_and_next_page_and_times(noted_course, klass) -> None:
    now = time.time()
    cr.write_presentation(
        klass, cr.Presentation("first", 1, {}, False, True, now - 600, now - 120, {})
    )
    app = NotesApp(klass, noted_course)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, NotesScreen))
        screen = app.screen

        def text(selector: str) -> str:
            widget = screen.query_one(selector)
            if isinstance(widget, Markdown):
                return widget.source
            return str(widget.render())

        await until(pilot, lambda: NOTES["Playing"] in text("#notes-this"))
        assert NOTES["Changing"] in text("#notes-next")
        assert "page 2/3" in text("#notes-head")
        times = text("#notes-time")
        assert "planned 10 min" in times and "spent 2:0" in times
        assert "140:0" in times or "139:5" in times  # 150 - 10 minutes left
        cr.write_presentation(
            klass, cr.Presentation("first", 2, {}, False, True, now - 600, now - 120, {})
        )
        await until(pilot, lambda: NOTES["Changing"] in text("#notes-this"))
        assert "no notes" in text("#notes-next")  # the next lesson's first page has none


# ---------------------------------------------------------------- polls


async def test_poll_counts_on_board_and_reveal_on_student(course, make_store, klass) -> None:
    present(klass, "second", 0)
    board = BoardApp(klass, course)
    student = student_app(course, make_store, klass, start="second")
    async with board.run_test(size=(100, 30)) as bp, student.run_test(size=(80, 24)) as sp:
        await until(bp, lambda: isinstance(board.screen, BoardScreen))
        screen = board.screen
        await bp.press("f10")
        table = screen.query_one("#board-poll-exercises", DataTable)
        await until(bp, lambda: table.row_count == 1)
        await bp.press("enter")
        await until(bp, lambda: cr.read_poll(klass) is not None)
        poll = cr.read_poll(klass)
        assert (poll.lesson, poll.exercise, poll.state) == ("second", "pick", "open")
        # Simulated students answer (choice 1 three times, choice 0 once).
        for index, choice in enumerate((1, 1, 0, 1)):
            cr.write_status(
                klass.students_dir / f"sim{index}.json",
                cr.StudentStatus(user=f"sim{index}", name=f"Sim {index}", poll=(poll.id, choice)),
            )
        # The real student (following) sees the question and answers 2 (index 1).
        await until(sp, lambda: isinstance(student.screen, PollScreen), timeout=10)
        await sp.press("2")
        await until(sp, lambda: student.screen.answered == 1)
        assert student.session.state("second").attempts["pick"] == 1
        assert "pick" in student.session.state("second").completed
        chart = screen.query_one("#board-poll-chart", Static)
        await until(bp, lambda: "5 answers" in str(chart.render()), timeout=10)
        rendered = str(chart.render())
        assert "1. nan" in rendered and " 1 (20%)" in rendered
        assert "2. 1" in rendered and " 4 (80%)" in rendered
        assert "Sim" not in rendered and "Ana" not in rendered  # no names
        await bp.press("f11")
        await until(bp, lambda: cr.read_poll(klass).state == "closed")
        await until(sp, lambda: student.screen.state == "closed", timeout=5)
        await bp.press("f12")
        await until(bp, lambda: cr.read_poll(klass).state == "revealed")
        await until(sp, lambda: student.screen.state == "revealed", timeout=5)
        state = str(student.screen.query_one("#poll-state", Static).render())
        assert "The right answer: 2. 1" in state and "you got it right" in state
        assert "✔2." in str(chart.render())
