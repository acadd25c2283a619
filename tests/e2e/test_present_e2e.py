"""End-to-end: an instructor presenting (--present), the notes view and two students (tmux).

One private tmux server, four sessions on one class folder: the instructor's app
with ``--present``, ``tui-workshop notes`` and two
student apps at 80x24. Both students join while the instructor presents, so both
land on the instructor's page; Bea turns following off (ctrl+f) and stays where
she is while Ana follows every page within 2 s and shows the instructor's
parameter value. The notes view shows the notes of the instructor's page.
Every wait is bounded; the server is killed when the test ends (tests/e2e/tmux.py).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux, app_env, needs_tmux, student_state, wait_for
from tui_workshop.course import classroom as cr
from tui_workshop.course.loader import find_lessons_dir, load_course

pytestmark = [pytest.mark.e2e, needs_tmux]

START_TIMEOUT = 60.0
FOLLOW_LIMIT = 2.0  # the bound from the instructor's page to the follower's


def noted_lessons(folder: Path) -> Path:
    """A copy of the English lessons with a recognisable note on each neuron page."""
    shutil.copytree(find_lessons_dir("en"), folder)
    path = folder / "03-neuron.md"
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n+++\n")
    body = re.sub(r"(?ms)^::: notes\n.*?^:::\n", "", body)  # the lesson's own notes
    parts = re.split(r"(?m)^(?=## )", body)
    for index in range(1, len(parts)):
        parts[index] = parts[index].rstrip("\n") + f"\n\n::: notes\nNOTE-{index + 1} ask\n:::\n\n"
    parts[0] = parts[0].rstrip("\n") + "\n\n::: notes\nNOTE-1 ask\n:::\n\n"
    path.write_text(head + sep + "".join(parts), encoding="utf-8")
    lesson = next(x for x in load_course(folder).lessons if x.id == "neuron")
    assert [p.notes.split()[0] for p in lesson.pages][:3] == ["NOTE-1", "NOTE-2", "NOTE-3"]
    return folder


def neuron_minutes(folder: Path) -> int:
    return next(x for x in load_course(folder).lessons if x.id == "neuron").duration


def page_of(screen: str) -> str | None:
    found = re.search(r"Lesson (\d+): .*? · page (\d+)/", screen)
    return f"{found.group(1)}.{found.group(2)}" if found else None


def test_presenting_following_and_notes(tmp_path: Path) -> None:
    info = cr.init_class(tmp_path / "class")
    lessons = noted_lessons(tmp_path / "lessons" / "en")
    env = app_env(tmp_path / "home", TUI_WORKSHOP_CLASS=str(info.folder))
    app = [sys.executable, "-m", "tui_workshop", "--lessons", str(lessons)]
    present_file = info.instructor_dir / cr.PRESENT

    def shown() -> dict:
        try:
            return json.loads(present_file.read_text())
        except (OSError, ValueError):
            return {}

    with Tmux() as tmux:
        teach_env = {**env, "TUI_WORKSHOP_STATE_DIR": str(tmp_path / "state-teach")}
        tmux.start("teach", [*app, "--present", "--lesson", "neuron"], teach_env)
        assert wait_for(lambda: shown().get("lesson") == "neuron", START_TIMEOUT), tmux.screen(
            "teach"
        )
        tmux.start("notes", [*app, "notes"], env)
        for name in ("Ana", "Bea"):
            state = student_state(tmp_path / f"state-{name}", name, "welcome")
            tmux.start(name, app, {**env, "TUI_WORKSHOP_STATE_DIR": str(state)})
        # Joining late, both land on the instructor's page, following.
        for name in ("Ana", "Bea"):
            assert wait_for(lambda n=name: page_of(tmux.screen(n)) == "3.1", START_TIMEOUT), (
                tmux.screen(name)
            )
            assert tmux.wait_screen(name, "Following the instructor", 5), tmux.screen(name)
        assert tmux.wait_screen("notes", "NOTE-1", 10), tmux.screen("notes")
        assert "NOTE-2" in tmux.screen("notes")  # the next page's notes
        assert f"planned {neuron_minutes(lessons)} min" in tmux.screen("notes")

        # Bea stops following: a notice, no banner.
        tmux.keys("Bea", "C-f")
        assert tmux.wait_screen("Bea", "no longer follow", 10), tmux.screen("Bea")
        assert "Following the instructor" not in tmux.screen("Bea")

        for page in (2, 3, 2):
            key = "F4" if page > int(shown()["page"]) + 1 else "F3"
            tmux.keys("teach", key)
            pressed = time.monotonic()
            moved = wait_for(lambda p=page: page_of(tmux.screen("Ana")) == f"3.{p}", 10)
            elapsed = time.monotonic() - pressed
            assert moved, tmux.screen("Ana")
            assert elapsed <= FOLLOW_LIMIT, f"page {page} followed after {elapsed:.1f} s"
            assert tmux.wait_screen("notes", f"NOTE-{page} ", 5), tmux.screen("notes")
            assert page_of(tmux.screen("Bea")) == "3.1"

        # The instructor sets w1 = 1.5: the experiment zoomed (ctrl+t), Tab on until typing
        # shows in the field.
        for _zoom in range(4):
            if "[Experiment]" in tmux.screen("teach"):
                break
            tmux.keys("teach", "C-t")
            tmux.wait_screen("teach", "[Experiment]", 1)
        # ctrl+u empties the focused field: when w1 shows empty, it has the focus.
        for _attempt in range(8):
            tmux.keys("teach", "C-u")
            if wait_for(lambda: re.search(r"weight w1 *\n", tmux.screen("teach")), 2):
                break
            tmux.keys("teach", "Tab")
        tmux.type("teach", "1.5")
        assert wait_for(lambda: re.search(r"weight w1 +1\.5", tmux.screen("teach")), 5), (
            tmux.screen("teach")
        )
        tmux.keys("teach", "Enter")
        assert wait_for(lambda: shown().get("params", {}).get("w1") == 1.5, 5), tmux.screen("teach")
        assert shown()["params"]["w1"] == 1.5, tmux.screen("teach")
        assert wait_for(lambda: re.search(r"weight w1 +1\.5", tmux.screen("Ana")), 5), tmux.screen(
            "Ana"
        )
        assert re.search(r"weight w1 +0\.5", tmux.screen("Bea")), tmux.screen("Bea")
        for name in ("teach", "notes", "Ana", "Bea"):
            assert "Traceback" not in tmux.screen(name)
