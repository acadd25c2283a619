"""End-to-end: the real ``tui-workshop`` command in a real terminal (tmux, 80x24).

The app opens the playground, F5 starts training, the run's progress (the
percentage beside its bar) must rise on screen, ctrl+q must end the process
with status 0 within 2 s and leave the terminal as it found it (main screen,
cursor shown, mouse reporting off). A resize is drawn in full with no key
pressed, idle (the screen an app started at that size shows) and training.
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
EPOCH_TIMEOUT = 15.0  # the progress appearing, then rising
EXIT_LIMIT = 2.0  # the bound from ctrl+q to the process exit
PROGRESS = re.compile(r"[━╸╺]\s+(\d+)%")  # the progress bar, then its percentage


def progress_on(screen: str) -> int | None:
    match = PROGRESS.search(screen)
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
        first = wait_for(lambda: progress_on(tmux.screen("app")), EPOCH_TIMEOUT)
        assert first is not None, f"no progress after F5:\n{tmux.screen('app')}"
        later = wait_for(
            lambda: (n := progress_on(tmux.screen("app"))) is not None and n > first and n,
            EPOCH_TIMEOUT,
        )
        assert later, f"the progress stayed at {first}%:\n{tmux.screen('app')}"

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


# ------------------------------------------------------------------ resizing
RESIZE_TIMEOUT = 10.0  # a resize drawn in full, with no key pressed


def stable_screen(tmux: Tmux, name: str, timeout: float) -> str | None:
    """The screen once the experiment is drawn and five captures 0.1 s apart agree."""
    seen: list[str] = []

    def settled() -> str | None:
        seen.append(tmux.screen(name))
        last = seen[-5:]
        loaded = "Loading the experiment" not in last[-1]
        return last[-1] if loaded and len(last) == 5 and len(set(last)) == 1 else None

    return wait_for(settled, timeout, interval=0.1)


def start_idle(tmux: Tmux, tmp_path: Path, lesson: str, size: tuple[int, int], name: str) -> None:
    """The app on ``lesson`` in a ``size`` terminal of session ``name``, drawn."""
    state = tmp_path / name
    state.mkdir()
    env = {"TUI_WORKSHOP_STATE_DIR": str(state)}
    tmux.start(name, [*workshop_command(), "--lesson", lesson], env, size=size)
    drawn = wait_for(lambda: "f5" in tmux.screen(name).lower(), START_TIMEOUT)
    assert drawn, f"the lesson was not drawn in {START_TIMEOUT} s:\n{tmux.screen(name)}"


@needs_tmux
def test_a_resize_is_drawn_in_full_without_a_key(tmp_path: Path) -> None:
    """Idle: after a resize the screen becomes what an app started at that size shows,
    with no key pressed, and back. (A text panel that was cut at the small size
    stayed cut at the large one: its height came from its own cut text.)"""
    lesson, small, large = "metrics", (80, 24), (120, 40)
    with Tmux() as tmux:
        start_idle(tmux, tmp_path, lesson, large, "fresh")
        expected_large = stable_screen(tmux, "fresh", START_TIMEOUT)
        assert expected_large
        tmux.keys("fresh", "C-q")
        start_idle(tmux, tmp_path, lesson, small, "resized")
        expected_small = stable_screen(tmux, "resized", START_TIMEOUT)
        assert expected_small
        for size, expected in ((large, expected_large), (small, expected_small)):
            tmux.resize("resized", size)
            drawn = wait_for(lambda e=expected: tmux.screen("resized") == e, RESIZE_TIMEOUT)
            assert drawn, (
                f"after the resize to {size[0]}x{size[1]} the screen is\n"
                f"{tmux.screen('resized')}\ninstead of\n{expected}"
            )


@needs_tmux
def test_a_resize_while_training_is_drawn_and_training_goes_on(tmp_path: Path) -> None:
    with Tmux() as tmux:
        start_idle(tmux, tmp_path, LESSON_ID, (80, 24), "training")
        tmux.keys("training", "F5")
        first = wait_for(lambda: progress_on(tmux.screen("training")), EPOCH_TIMEOUT)
        assert first is not None, f"no progress after F5:\n{tmux.screen('training')}"
        for width, height in ((100, 30), (80, 24), (120, 40)):
            tmux.resize("training", (width, height))

            def laid_out(w: int = width, h: int = height) -> bool:
                rows = tmux.screen("training").split("\n")[:h]
                return (
                    len(rows) == h
                    and rows[0].startswith(" Lesson 13")
                    and rows[-1].startswith("f3 Prev")
                    and max(len(row) for row in rows) > w - 4  # drawn across the new width
                )

            assert wait_for(laid_out, RESIZE_TIMEOUT), (
                f"{width}x{height} not drawn:\n{tmux.screen('training')}"
            )
            now = progress_on(tmux.screen("training")) or 0
            later = wait_for(
                lambda n=now: (progress_on(tmux.screen("training")) or 0) > n, EPOCH_TIMEOUT
            )
            assert later, f"the progress stopped at {now}% after the resize"
