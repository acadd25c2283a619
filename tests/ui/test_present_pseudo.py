"""No English left on the screens of a class in the pseudo-locale: the board's poll
tab, a follower's banner and poll, the speaker notes (80x24)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.ui.conftest import until
from tests.ui.pseudo_course import PSEUDO_COURSE
from tests.ui.screen_text import english_words
from tests.ui.test_pseudo_locale import Collector
from tui_workshop import i18n
from tui_workshop.course import classroom as cr
from tui_workshop.course.session import CourseSession
from tui_workshop.ui.app import WorkshopApp
from tui_workshop.ui.classroom import FollowBanner, PollScreen
from tui_workshop.ui.screens.board import BoardApp, BoardScreen
from tui_workshop.ui.screens.notes import NotesApp, NotesScreen


@pytest.fixture
def pseudo_language():
    i18n.set_language(i18n.PSEUDO)
    yield
    i18n.set_language("en")


async def test_no_english_on_class_screens(pseudo_language, make_store, tmp_path: Path) -> None:
    lesson = next(x for x in PSEUDO_COURSE.lessons if any(e.kind == "choice" for e in x.exercises))
    info = cr.init_class(tmp_path / "class")
    now = time.time()
    cr.write_presentation(
        info, cr.Presentation(lesson.id, 0, {}, True, True, now - 600, now - 60, {})
    )
    board = BoardApp(info, PSEUDO_COURSE)
    session = CourseSession(PSEUDO_COURSE, make_store())
    session.set_display_name("Ana")
    student = WorkshopApp(PSEUDO_COURSE, session.store, lesson.id, session=session, class_info=info)
    board_seen, student_seen = Collector(board), Collector(student)
    async with board.run_test(size=(80, 24)) as bp, student.run_test(size=(80, 24)) as sp:
        await until(bp, lambda: isinstance(board.screen, BoardScreen))
        await until(sp, lambda: student.lesson_screen() is not None)
        await until(sp, lambda: student.lesson_screen().query(FollowBanner))
        await sp.pause(0.2)
        banner = student.lesson_screen().query_one(FollowBanner)
        assert not english_words([banner.text], frozenset({"ctrl"}))
        await bp.press("f10")
        await until(bp, lambda: board.screen.query_one("#board-poll-exercises").row_count)
        await bp.pause(0.2)
        board_seen.look("poll tab")
        await bp.press("enter")
        await until(sp, lambda: isinstance(student.screen, PollScreen))
        await sp.pause(0.2)
        student_seen.look("poll")
        await sp.press("1")
        await until(sp, lambda: student.screen.answered == 0)
        student_seen.look("answered")
        await bp.press("f12")
        await until(sp, lambda: student.screen.state == "revealed")
        await sp.pause(0.2)
        student_seen.look("revealed")
        await until(bp, lambda: "1" in str(board.screen.query_one("#board-poll-chart").render()))
        board_seen.look("revealed")
    notes = NotesApp(info, PSEUDO_COURSE)
    notes_seen = Collector(notes)
    async with notes.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(notes.screen, NotesScreen))
        await pilot.pause(0.3)
        notes_seen.look("notes")
    found = {**board_seen.found, **student_seen.found, **notes_seen.found}
    ids = {exercise.id for exercise in lesson.exercises}  # identifiers, never translated
    ui = {key: where for key, where in found.items() if key[0] == "ui" and key[1] not in ids}
    assert not ui, "\n".join(f"{word!r} in {where}" for (_s, word), where in ui.items())
