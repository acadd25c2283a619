"""Only the recorded instructor's files steer followers (real Unix accounts).

Runs as root: two accounts every Linux system has play the instructor
(``daemon``) and a student (``nobody``); the instructor's files are written from
children forked and switched to each account (``os.setuid``; only already
imported code runs after the switch). No account is created, so this runs
alongside the tests that create students with ``useradd``.
The instructor's folder is made writable by anyone, as a careless copy of a
class folder could be: a presentation or poll written there by the student must
still be ignored, and a student app must not follow it. Skipped when not root.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.test_class_users import collect, run_as
from tui_workshop.course import classroom as cr
from tui_workshop.course.session import CourseSession
from tui_workshop.ui.app import WorkshopApp
from tui_workshop.ui.screens.lesson import LessonScreen

TEACHER = "daemon"
STUDENT = "nobody"


def _accounts() -> bool:
    try:
        return all(pwd.getpwnam(user) for user in (TEACHER, STUDENT))
    except KeyError:
        return False


pytestmark = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not _accounts(),
    reason="needs root and the accounts daemon and nobody",
)


@pytest.fixture
def lab() -> Iterator[cr.ClassInfo]:
    base = Path(tempfile.mkdtemp(prefix="tw-present-"))
    try:
        os.chmod(base, 0o755)
        info = cr.init_class(base / "class", instructor=TEACHER)
        os.chmod(info.instructor_dir, 0o1777)  # careless: anyone may add files
        yield info
    finally:
        shutil.rmtree(base, ignore_errors=True)


def write_as(user: str, info: cr.ClassInfo, lesson: str, page: int) -> object:
    def job() -> object:
        for name in (cr.PRESENT, cr.POLL):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(info.instructor_dir / name)  # refused for another's file: sticky
        now = time.time()
        cr.write_presentation(
            info, cr.Presentation(lesson, page, {"rate": 9.5}, False, True, now, now, {})
        )
        cr.open_poll(info, lesson, "pick")
        return pwd.getpwuid(os.stat(info.instructor_dir / cr.PRESENT).st_uid).pw_name

    return collect(*run_as(user, job))


def test_only_the_instructors_files_are_read(lab) -> None:
    assert write_as(STUDENT, lab, "second", 1) == STUDENT
    assert cr.read_presentation(lab) is None
    assert cr.read_poll(lab) is None
    os.unlink(lab.instructor_dir / cr.PRESENT)
    os.unlink(lab.instructor_dir / cr.POLL)
    assert write_as(TEACHER, lab, "second", 1) == TEACHER
    shown = cr.read_presentation(lab)
    assert shown is not None and (shown.lesson, shown.page) == ("second", 1)
    assert cr.read_poll(lab).exercise == "pick"
    # Even root's file is not the instructor's.
    os.unlink(lab.instructor_dir / cr.PRESENT)
    cr.write_presentation(lab, shown)
    assert cr.read_presentation(lab) is None


async def test_a_student_file_does_not_steer_followers(lab, course, make_store) -> None:
    assert write_as(STUDENT, lab, "second", 1) == STUDENT
    session = CourseSession(course, make_store())
    session.set_display_name("Ana")
    app = WorkshopApp(course, session.store, "first", session=session, class_info=lab)
    async with app.run_test(size=(80, 24)) as pilot:
        deadline = time.monotonic() + 20
        while not (isinstance(app.screen, LessonScreen) and app.screen.is_mounted):
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        await pilot.pause(1.5)  # three looks at the instructor's folder
        assert app.classroom.presentation is None and app.classroom.poll is None
        assert not app.classroom.following
        assert (app.screen.lesson.id, app.screen.page) == ("first", 0)
        # Asked to follow, the student still stays: there is nothing trusted to follow.
        await pilot.press("ctrl+f")
        await pilot.pause(1.2)
        assert app.classroom.following
        assert (app.screen.lesson.id, app.screen.page) == ("first", 0)
        assert app.session.params(course.lessons[0])[0]["rate"] == 1.0
