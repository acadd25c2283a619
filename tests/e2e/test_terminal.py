"""End-to-end: the real ``tui-workshop`` command in a real terminal (tmux, 80x24).

The app opens the playground, F5 starts training, the epoch counter must rise
on screen, ctrl+q must end the process with status 0 within 2 s and leave the
terminal as it found it (main screen, cursor shown, mouse reporting off).
Every wait is bounded; the tmux server runs on a private socket and is killed
when the test ends (tests/e2e/tmux.py).
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux, needs_tmux, terminal_env, wait_for, workshop_command
from tui_workshop.course.loader import find_lessons_dir, load_course

pytestmark = pytest.mark.e2e

LESSON_ID = "playground"
START_TIMEOUT = 30.0  # the first draw (a cold start on a loaded CI machine)
EPOCH_TIMEOUT = 15.0  # the counter appearing, then rising
EXIT_LIMIT = 2.0  # the bound from ctrl+q to the process exit
EPOCH = re.compile(r"\bepoch\s+(\d+)")


def epoch_on(screen: str) -> int | None:
    match = EPOCH.search(screen)
    return int(match.group(1)) if match else None


@pytest.fixture
def lesson_title() -> str:
    course = load_course(find_lessons_dir("en"), lang="en")
    return next(lesson.title for lesson in course.lessons if lesson.id == LESSON_ID)


@needs_tmux
def test_playground_trains_and_quits_cleanly(tmp_path: Path, lesson_title: str) -> None:
    env = {"TUI_WORKSHOP_STATE_DIR": str(tmp_path)}
    with Tmux() as tmux:
        tmux.start("app", [*workshop_command(), "--lesson", LESSON_ID], env)

        def lesson_drawn() -> bool:
            screen = tmux.screen("app")
            return lesson_title in screen and "f5" in screen.lower()

        drawn = wait_for(lesson_drawn, START_TIMEOUT)
        assert drawn, f"the lesson was not drawn in {START_TIMEOUT} s:\n{tmux.screen('app')}"
        assert tmux.flag("app", "alternate_on") == "1", "the app draws on the alternate screen"

        tmux.keys("app", "F5")
        first = wait_for(lambda: epoch_on(tmux.screen("app")), EPOCH_TIMEOUT)
        assert first is not None, f"no epoch counter after F5:\n{tmux.screen('app')}"
        later = wait_for(
            lambda: (n := epoch_on(tmux.screen("app"))) is not None and n > first and n,
            EPOCH_TIMEOUT,
        )
        assert later, f"the epoch counter stayed at {first}:\n{tmux.screen('app')}"

        tmux.keys("app", "C-q")
        quit_at = time.monotonic()
        status = tmux.exit_status("app", EXIT_LIMIT + 3)
        elapsed = time.monotonic() - quit_at
        assert status is not None, f"the app did not exit after ctrl+q:\n{tmux.screen('app')}"
        assert status == 0, f"exit status {status}:\n{tmux.screen('app')}"
        assert elapsed <= EXIT_LIMIT, f"the app took {elapsed:.2f} s to exit"

        # The terminal is restored: main screen back, cursor visible, no mouse reporting.
        shown = tmux.screen("app")
        assert tmux.flag("app", "alternate_on") == "0"
        assert tmux.flag("app", "cursor_flag") == "1"
        for mouse in ("mouse_any_flag", "mouse_button_flag", "mouse_sgr_flag"):
            assert tmux.flag("app", mouse) == "0", f"{mouse} left on"
        assert lesson_title not in shown, f"the app's frame is still on screen:\n{shown}"
        assert "Traceback" not in shown


@pytest.mark.parametrize(
    ("option", "value"),
    [("--lesson", "no-such-lesson"), ("--lessons", "no/such/folder")],
)
def test_unknown_lesson_or_folder_is_a_one_line_error(
    tmp_path: Path, option: str, value: str
) -> None:
    result = subprocess.run(
        [*workshop_command(), option, value],
        env={**terminal_env(), "TUI_WORKSHOP_STATE_DIR": str(tmp_path)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    output = (result.stdout + result.stderr).strip()
    assert len(output.splitlines()) == 1, output
    assert value in output
    assert "error" in output.lower()
    assert not (tmp_path / "progress.json").exists()
