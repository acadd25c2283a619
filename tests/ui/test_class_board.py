"""The instructor's board (Pilot, 80x24) and a student's app in class mode."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import ClassVar

import pytest
from textual.widgets import DataTable, Static

from tests.ui.conftest import until
from tui_workshop.course import classroom as cr
from tui_workshop.course.loader import find_lessons_dir, load_course
from tui_workshop.ui.screens.board import BoardApp, BoardScreen

NOW = time.time()


@pytest.fixture(scope="module")
def real_course():
    return load_course(find_lessons_dir("en"))


@pytest.fixture
def klass(tmp_path: Path) -> cr.ClassInfo:
    return cr.init_class(tmp_path / "class", instructor="teacher")


def put(info: cr.ClassInfo, status: cr.StudentStatus, stem: str | None = None) -> None:
    cr.write_status(info.students_dir / f"{stem or status.user}.json", status)


def cells(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def board(app: BoardApp) -> BoardScreen:
    assert isinstance(app.screen, BoardScreen)
    return app.screen


async def test_board_shows_class_lessons_exercises_and_hands(klass, real_course) -> None:
    lesson = real_course.lessons[2]
    exercise = lesson.exercises[0].id
    for index in range(60):
        lesson_id = real_course.lessons[index % 4].id
        wrong = ("0.5",) if index % 3 == 0 else ("1.5",) if index % 5 == 0 else ()
        put(klass, cr.StudentStatus(
            user=f"s{index:02d}",
            name=f"Student {index:02d}",
            lesson=lesson_id,
            page=index % 3,
            solved={lesson.id: (exercise,)} if index % 2 else {},
            attempts={f"{lesson.id}/{exercise}": cr.Attempts(2, wrong)},
            hand=NOW - 100 + index if index in (7, 3, 42) else None,
            active=NOW - 60 * (index % 7),
        ))
    # Hand order follows the time of raising, not the name: s42 raised before s03.
    put(klass, cr.StudentStatus(user="s99", name="Early", hand=NOW - 500, active=NOW))
    (klass.students_dir / "junk.json").write_text("{not json")
    app = BoardApp(klass, real_course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = board(app)
        summary = str(screen.query_one("#board-summary", Static).render())
        assert "61 students" in summary and "4 hands up" in summary and "1 file ignored" in summary
        table = screen.query_one("#board-class", DataTable)
        assert table.row_count == 61
        # Sorted by hand first: the earliest hand on top.
        assert [row[0] for row in cells(table)[:4]] == [
            "Early", "Student 03", "Student 07", "Student 42"]
        await pilot.press("f3")
        bars = str(screen.query_one("#board-lessons", Static).render())
        assert bars.count("15\n") == 4 or bars.count(" 15") == 4
        screen.exercise_lesson, screen.lesson_chosen = lesson.id, True
        await pilot.press("f4")
        screen._show_exercises()
        rows = cells(screen.query_one("#board-exercises", DataTable))
        assert rows[0][0] == exercise
        assert rows[0][1] == "30/60"  # all 60 tried it, the odd ones solved it
        assert rows[0][2] == "120"
        # index % 3 == 0 answered 0.5 (20 students); index % 5 == 0 otherwise 1.5 (8).
        assert rows[0][3] == "0.5 ×20  1.5 ×8"
        await pilot.press("f5")
        hands = screen.query_one("#board-hands", DataTable)
        names = [row[1] for row in cells(hands)]
        assert names == ["Early", "Student 03", "Student 07", "Student 42"]
        await pilot.press("f9")  # the first hand answered
        await pilot.pause()
        assert cr.read_answered(klass) == {"s99": pytest.approx(NOW - 500)}
        assert cells(hands)[0][1] == "Student 03"
        # A new file appears with the next refresh, no key needed.
        put(klass, cr.StudentStatus(user="late", name="Late Comer", lesson=lesson.id))
        await until(pilot, lambda: "62 students" in str(
            screen.query_one("#board-summary", Static).render()))


async def test_board_filter_and_sort(klass, real_course) -> None:
    for user, lesson, solved in (("ana", 0, 3), ("bob", 2, 1), ("cy", 1, 2)):
        lesson_id = real_course.lessons[lesson].id
        put(klass, cr.StudentStatus(
            user=user, name=user.title(), lesson=lesson_id,
            solved={lesson_id: tuple(f"e{i}" for i in range(solved))}))
    app = BoardApp(klass, real_course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = board(app).query_one("#board-class", DataTable)
        await pilot.press("f6")  # name
        assert [row[0] for row in cells(table)] == ["Ana", "Bob", "Cy"]
        await pilot.press("f6")  # lesson
        assert [row[0] for row in cells(table)] == ["Ana", "Cy", "Bob"]
        await pilot.press("f6")  # solved
        assert [row[0] for row in cells(table)] == ["Ana", "Cy", "Bob"]
        await pilot.press("ctrl+f", "b", "o")
        assert [row[0] for row in cells(table)] == ["Bob"]
        await pilot.press("escape")
        assert table.row_count == 3


HOSTILE_NAME = "\x1b]0;owned\x07\x1b[2J[bold red]HACK[/] [link=http://x]y[/link]\u202e"


async def test_board_shows_hostile_text_literally(klass, real_course, tmp_path) -> None:
    lesson = real_course.lessons[2]
    exercise = lesson.exercises[0].id
    raw = cr.StudentStatus(
        user="mallory", name="m", lesson=lesson.id, hand=NOW,
        attempts={f"{lesson.id}/{exercise}": cr.Attempts(1, ())},
    ).to_json()
    raw["name"] = HOSTILE_NAME
    raw["attempts"][f"{lesson.id}/{exercise}"]["wrong"] = ["[blink]\x1b[5mx\x9b2J"]
    (klass.students_dir / "mallory.json").write_text(json.dumps(raw))
    (klass.students_dir / "huge.json").write_bytes(b" " * (cr.MAX_STATUS_BYTES + 1))
    (klass.students_dir / "types.json").write_text('{"version": 1, "user": "types", "page": []}')
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(cr.StudentStatus(user="link", name="link").to_json()))
    (klass.students_dir / "link.json").symlink_to(outside)
    app = BoardApp(klass, real_course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = board(app)
        screen.exercise_lesson, screen.lesson_chosen = lesson.id, True
        screen._show_exercises()
        name = cells(screen.query_one("#board-class", DataTable))[0][0]
        assert name.startswith("[bold red]HACK[/] [link=http://x]y[/")  # capped at 40
        assert "3 files ignored" in str(screen.query_one("#board-summary", Static).render())
        wrong = cells(screen.query_one("#board-exercises", DataTable))[0][3]
        assert wrong.startswith("[blink]x2J")
        svg = app.export_screenshot()
    assert "HACK" in svg and "\x1b" not in svg and "owned" not in svg


async def test_board_survives_a_vanished_folder(klass, real_course) -> None:
    put(klass, cr.StudentStatus(user="ana", name="Ana"))
    app = BoardApp(klass, real_course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for path in klass.students_dir.iterdir():
            path.unlink()
        klass.students_dir.rmdir()
        board(app).refresh_now()
        summary = str(board(app).query_one("#board-summary", Static).render())
        assert "0 students" in summary and "cannot be read" in summary


# ---------------------------------------------------------------- the student's side


@pytest.fixture
def student_app(real_course, make_store, klass, monkeypatch):
    from tui_workshop.ui.app import WorkshopApp

    monkeypatch.setattr(cr, "PUBLISH_INTERVAL", 0.05)

    def make() -> WorkshopApp:
        return WorkshopApp(real_course, make_store(), "neuron", class_info=klass)

    return make


def my_status(info: cr.ClassInfo) -> cr.StudentStatus | None:
    files = [p for p in info.students_dir.glob("*.json")]
    if len(files) != 1:
        return None
    return cr.read_status(files[0])


async def test_student_name_page_attempts_and_hand(student_app, klass) -> None:
    app = student_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        from tui_workshop.ui.classroom import NameScreen

        await until(pilot, lambda: isinstance(app.screen, NameScreen))
        app.screen.query_one("#name-input").value = ""
        await pilot.press(*"Zoë", "enter")
        await until(pilot, lambda: my_status(klass) is not None)
        status = my_status(klass)
        assert status.name == "Zoë" and status.lesson == "neuron" and status.page == 0
        assert app.session.display_name == "Zoë"
        await pilot.press("f4")
        await until(pilot, lambda: my_status(klass).page == 1)
        app.session.record_attempt("neuron", "z", "0.42", False)
        await until(pilot, lambda: "neuron/z" in my_status(klass).attempts)
        assert my_status(klass).attempts["neuron/z"] == cr.Attempts(1, ("0.42",))
        await pilot.press("f12")
        await until(pilot, lambda: my_status(klass).hand is not None)
        raised = my_status(klass).hand
        key = next(klass.students_dir.glob("*.json")).stem
        cr.mark_answered(klass, key, raised)
        await until(pilot, lambda: app.classroom.hand is None)
        await until(pilot, lambda: my_status(klass).hand is None)
        assert "toggle_hand" in {b.binding.action for b in app.screen.active_bindings.values()}
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Raise or lower your hand" in titles
        from tui_workshop.ui.screens.help import binding_rows

        assert ("F12", "Hand") in binding_rows(app.screen)
        await pilot.press("f12")
        await until(pilot, lambda: my_status(klass).hand is not None)
    # Quitting with the hand up lowers it.
    assert my_status(klass).hand is None


def remove_folder(folder: Path) -> bool:
    """Whether ``folder`` could be removed now. The app's publishing thread may be
    writing in it (a temporary file renamed into place), so a file listed may be
    gone, or a new one there, by the time it is reached."""
    for path in folder.iterdir():
        path.unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:  # a file written meanwhile: try again
        return False
    return True


async def test_student_works_on_when_the_folder_vanishes(student_app, klass) -> None:
    app = student_app()
    app.session.set_display_name("Ana")
    notices: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        original = app.notify

        def spy(message, *args, **kwargs):
            notices.append(str(message))
            return original(message, *args, **kwargs)

        app.notify = spy
        await until(pilot, lambda: my_status(klass) is not None)
        await until(pilot, lambda: remove_folder(klass.students_dir))
        for _ in range(3):
            await pilot.press("f4")
            await pilot.press("f3")
        await until(pilot, lambda: any("cannot be written" in n for n in notices))
        await pilot.pause(0.3)
        assert sum("cannot be written" in n for n in notices) == 1
        assert app.screen.page == 0  # keys still work
        klass.students_dir.mkdir()
        os.chmod(klass.students_dir, 0o1777)
        await pilot.press("f4")
        await until(pilot, lambda: my_status(klass) is not None and my_status(klass).page == 1)


async def test_exercise_box_reports_each_checked_answer() -> None:
    from textual.app import App

    from tui_workshop.course.model import Exercise
    from tui_workshop.ui.widgets.exercise_box import ExerciseBox

    class BoxApp(App):
        checked: ClassVar[list] = []

        def compose(self):
            yield ExerciseBox((Exercise("z", "numeric", "z?", answer=0.7, tolerance=0.01),))

        def on_exercise_box_checked(self, event: ExerciseBox.Checked) -> None:
            self.checked.append((event.exercise_id, event.answer, event.correct))

    app = BoxApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#eb-input").focus()
        await pilot.press("0", ".", "5", "enter")
        app.query_one("#eb-input").value = ""
        await pilot.press("0", ".", "7", "enter")
        await pilot.pause()
    assert app.checked == [("z", "0.5", False), ("z", "0.7", True)]


async def test_app_records_checked_answers_in_class_mode(student_app, klass) -> None:
    from tui_workshop.ui.widgets.exercise_box import ExerciseBox

    app = student_app()
    app.session.set_display_name("Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: my_status(klass) is not None)
        app.post_message(ExerciseBox.Checked("z", "[b]1e9[/b]", False))
        await until(pilot, lambda: "neuron/z" in my_status(klass).attempts)
        assert my_status(klass).attempts["neuron/z"].wrong == ("[b]1e9[/b]",)
        # Leave once the lesson is built (a Select removed while it mounts trips Textual).
        from tui_workshop.ui.widgets.param_panel import ParamPanel

        await until(pilot, lambda: all(p.rows_mounted for p in app.screen.query(ParamPanel)))
        await pilot.pause()


async def test_exercises_tab_follows_the_median_lesson_until_chosen(klass, real_course) -> None:
    ids = [lesson.id for lesson in real_course.lessons]
    for index, lesson in enumerate((3, 4, 4)):
        put(klass, cr.StudentStatus(user=f"u{index}", name=f"U{index}", lesson=ids[lesson]))
    app = BoardApp(klass, real_course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = board(app)
        await pilot.press("f4")
        title = str(screen.query_one("#board-exercise-lesson", Static).render())
        assert title.startswith(f"Lesson {real_course.lessons[4].number}:")
        await pilot.press("f8")
        assert screen.exercise_lesson == ids[5] and screen.lesson_chosen
        put(klass, cr.StudentStatus(user="u9", name="U9", lesson=ids[0]))
        screen.refresh_now()
        assert screen.exercise_lesson == ids[5]
