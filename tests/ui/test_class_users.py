"""Sixty real Unix accounts publish with the real code; the board shows them all.

Runs as root: creates the accounts tws01..tws60 (``useradd -M``), forks one
process per student that drops to that account (``os.setuid``: the Python of
this venv may not be readable by other accounts, so nothing is executed after
the switch, only the already imported publishing code runs), and removes the
accounts afterwards. Skipped when not root or without useradd.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from tui_workshop.course import classroom as cr
from tui_workshop.course.loader import find_lessons_dir, load_course
from tui_workshop.ui.screens.board import BoardApp, BoardScreen

COUNT = 60
PREFIX = "tws"
HANDS = (41, 7, 23)  # raised in this order
T0 = time.time() - 600

pytestmark = [
    pytest.mark.skipif(
        not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("useradd") is None,
        reason="needs root and useradd to create student accounts",
    ),
    # One worker: the module's fixture creates and removes the same accounts, so two
    # workers running it at once removed each other's students.
    pytest.mark.xdist_group("unix-accounts"),
]


def run_as(user: str, job: Callable[[], object]) -> object:
    """Run ``job`` in a forked child as ``user``; its JSON result (or error text)."""
    record = pwd.getpwnam(user)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(record.pw_gid)
            os.setuid(record.pw_uid)
            result = job()
            os.write(write_end, json.dumps(result).encode())
        except BaseException as error:
            with contextlib.suppress(BaseException):
                os.write(write_end, json.dumps({"error": repr(error)}).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def collect(pid: int, read_end: int) -> object:
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks) or b"null")


def student_job(info: cr.ClassInfo, index: int, lesson_ids: list[str], exercise: str):
    def job() -> object:
        user = cr.current_user()
        lesson = lesson_ids[index % 5]
        status = cr.StudentStatus(
            user=user,
            name=f"Student {index:02d}",
            lesson=lesson,
            page=index % 4,
            solved={lesson_ids[2]: (exercise,)} if index % 2 else {},
            attempts={
                f"{lesson_ids[2]}/{exercise}": cr.Attempts(
                    1 + index % 3, ("0.5",) if index % 4 == 0 else ()
                )
            },
            hand=T0 + HANDS.index(index) if index in HANDS else None,
        )
        publisher = cr.Publisher(info, cr.status_file(info, user, user), interval=0.05)
        publisher.start()  # the thread the app uses
        publisher.update(status)
        deadline = time.monotonic() + 60
        while publisher.writes == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        publisher.stop(flush=False)
        return {"user": user, "writes": publisher.writes}

    return job


def attack_job(info: cr.ClassInfo, victim: str):
    """What one student tries against another's file and the instructor's folder."""

    def job() -> object:
        own = info.students_dir / f"{cr.current_user()}.json"
        target = info.students_dir / f"{victim}.json"
        attempts: dict[str, Callable[[], object]] = {
            "overwrite": lambda: target.write_text("{}"),
            "delete": lambda: target.unlink(),
            "replace": lambda: os.replace(own, target),
            "chmod": lambda: os.chmod(target, 0o666),
            "instructor file": lambda: (info.instructor_dir / cr.ANSWERED).write_text("{}"),
            "instructor folder": lambda: (info.instructor_dir / "x").write_text("x"),
            "class file": lambda: (info.folder / cr.CLASS_FILE).write_text("x"),
        }
        outcome = {}
        for name, attempt in attempts.items():
            try:
                attempt()
                outcome[name] = "done"
            except PermissionError:
                outcome[name] = "refused"
            except OSError as error:
                outcome[name] = repr(error)
        # Pretending to be the victim in a new file is refused by the board.
        fake = cr.StudentStatus(user=victim, name="fake", hand=T0 - 1000)
        cr.write_status(info.students_dir / f"{victim}~fake.json", fake)
        return outcome

    return job


@pytest.fixture(scope="module")
def lab() -> Iterator[tuple[cr.ClassInfo, list[str], object, str]]:
    users = [f"{PREFIX}{i:02d}" for i in range(1, COUNT + 1)]
    created = []
    base = Path(tempfile.mkdtemp(prefix="tw-class-"))
    try:
        for user in users:
            with contextlib.suppress(KeyError):
                pwd.getpwnam(user)
                subprocess.run(["userdel", user], check=False, capture_output=True)
            subprocess.run(["useradd", "-M", "-N", user], check=True, capture_output=True)
            created.append(user)
        os.chmod(base, 0o755)
        info = cr.init_class(base / "class", instructor="root")
        course = load_course(find_lessons_dir("en"))
        lesson_ids = [lesson.id for lesson in course.lessons]
        exercise = course.lessons[2].exercises[0].id
        running = [
            run_as(user, student_job(info, i, lesson_ids, exercise)) for i, user in enumerate(users)
        ]
        results = [collect(pid, fd) for pid, fd in running]
        assert all(isinstance(r, dict) and r.get("writes") == 1 for r in results), results
        cr.mark_answered(info, users[0], 0.0)  # the instructor's file exists
        attack = collect(*run_as(users[0], attack_job(info, users[1])))
        yield info, users, course, attack
    finally:
        for user in created:
            subprocess.run(["userdel", user], check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_a_student_cannot_touch_another_or_the_instructor(lab) -> None:
    info, users, _course, attack = lab
    assert attack == {name: "refused" for name in attack}, attack
    victim = cr.read_status(info.students_dir / f"{users[1]}.json")
    assert victim.name == "Student 01"
    assert (info.students_dir / f"{users[0]}.json").exists()


def test_files_belong_to_their_students(lab) -> None:
    info, users, _course, _attack = lab
    for user in users:
        path = info.students_dir / f"{user}.json"
        assert pwd.getpwuid(path.stat().st_uid).pw_name == user
    scan = cr.scan_class(info.folder)
    assert len(scan.students) == COUNT
    assert scan.reasons == {f"{users[1]}~fake.json": "owned by another account"}


async def test_board_shows_sixty_real_students(lab) -> None:
    info, _users, course, _attack = lab
    app = BoardApp(info, course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        summary = str(screen.query_one("#board-summary", Static).render())
        assert f"{COUNT} students" in summary and "3 hands up" in summary
        table = screen.query_one("#board-class", DataTable)
        assert table.row_count == COUNT
        names = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert names == {f"Student {i:02d}" for i in range(COUNT)}
        await pilot.press("f3")
        lessons = str(screen.query_one("#board-lessons", Static).render())
        assert lessons.count(" 12\n") == 5  # 60 students over the first five lessons
        await pilot.press("f5")
        hands = screen.query_one("#board-hands", DataTable)
        assert [str(hands.get_row_at(i)[1]) for i in range(hands.row_count)] == [
            f"Student {i:02d}" for i in HANDS
        ]
        screen.exercise_lesson, screen.lesson_chosen = course.lessons[2].id, True
        await pilot.press("f4")
        screen._show_exercises()
        first = [str(c) for c in screen.query_one("#board-exercises", DataTable).get_row_at(0)]
        assert first[1] == "30/60" and first[3] == "0.5 ×15"
