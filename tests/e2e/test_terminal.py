"""End-to-end: the real ``tui-workshop`` command in a real terminal (tmux, 80x24).

The app opens the playground, F5 starts training, the run's progress (the
percentage beside its bar) must rise on screen, ctrl+q must end the process
with status 0 within 2 s and leave the terminal as it found it (main screen,
cursor shown, mouse reporting off). A resize is drawn in full with no key
pressed, idle (the screen an app started at that size shows) and training.
Every wait is bounded; the tmux server runs on a private socket and is killed
in ``finally``, so a failure never leaves anything behind or hangs CI.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tui_workshop.course.loader import find_lessons_dir, load_course

# The terminal tests' environment: not tmux's, no NO_COLOR, and no COLUMNS/LINES
# (xdist workers set them; they would override the pty's size).
TERMINAL_ENV_DROPPED = ("TMUX", "TMUX_PANE", "NO_COLOR", "COLUMNS", "LINES")

pytestmark = pytest.mark.e2e

LESSON_ID = "playground"
START_TIMEOUT = 30.0  # the first draw (a cold start on a loaded CI machine)
EPOCH_TIMEOUT = 15.0  # the progress appearing, then rising
EXIT_LIMIT = 2.0  # the bound from ctrl+q to the process exit
PROGRESS = re.compile(r"[━╸╺]\s+(\d+)%")  # the progress bar, then its percentage
EXITED = "E2E-EXITED"


def workshop_command() -> list[str]:
    """The console script of the running interpreter's environment, else ``-m``."""
    beside = Path(sys.executable).with_name("tui-workshop")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("tui-workshop")
    return [found] if found else [sys.executable, "-m", "tui_workshop"]


def clean_env(state_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_ENV_DROPPED}
    env.update(TUI_WORKSHOP_STATE_DIR=str(state_dir), TERM="xterm-256color")
    return env


def wait_for(predicate: Callable[[], object], timeout: float, interval: float = 0.1) -> object:
    """The first truthy result of ``predicate`` within ``timeout`` s, else None."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


class Tmux:
    """One tmux server on a private socket with a single 80x24 session."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"tw-e2e-{uuid.uuid4().hex[:12]}"
        self.env = env

    def run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=check,
        )
        return result.stdout

    def start(self, command: str) -> None:
        self.run("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", command)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e", check=False)

    def flag(self, name: str) -> str:
        return self.run("display-message", "-p", "-t", "e2e", f"#{{{name}}}").strip()

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def kill(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"],
            env=self.env,
            capture_output=True,
            timeout=10,
            check=False,
        )


def progress_on(screen: str) -> int | None:
    match = PROGRESS.search(screen)
    return int(match.group(1)) if match else None


@pytest.fixture
def lesson_title() -> str:
    course = load_course(find_lessons_dir("en"), lang="en")
    return next(lesson.title for lesson in course.lessons if lesson.id == LESSON_ID)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_playground_trains_and_quits_cleanly(tmp_path: Path, lesson_title: str) -> None:
    status_file = tmp_path / "status"
    app = shlex.join([*workshop_command(), "--lesson", LESSON_ID])
    # The pane outlives the app (sleep), so the restored terminal can be inspected.
    script = f"{app}; echo $? > {shlex.quote(str(status_file))}; echo {EXITED}; sleep 60"
    tmux = Tmux(clean_env(tmp_path))
    try:
        tmux.start(f"sh -c {shlex.quote(script)}")

        def lesson_drawn() -> bool:
            screen = tmux.screen()
            return lesson_title in screen and "f5" in screen.lower()

        drawn = wait_for(lesson_drawn, START_TIMEOUT)
        assert drawn, f"the lesson was not drawn in {START_TIMEOUT} s:\n{tmux.screen()}"
        assert tmux.flag("alternate_on") == "1", "the app should draw on the alternate screen"

        tmux.keys("F5")
        first = wait_for(lambda: progress_on(tmux.screen()), EPOCH_TIMEOUT)
        assert first is not None, f"no progress after F5:\n{tmux.screen()}"
        later = wait_for(
            lambda: (n := progress_on(tmux.screen())) is not None and n > first and n,
            EPOCH_TIMEOUT,
        )
        assert later, f"the progress stayed at {first}%:\n{tmux.screen()}"

        tmux.keys("C-q")
        quit_at = time.monotonic()
        written = wait_for(
            lambda: status_file.exists() and status_file.read_text().strip(),
            EXIT_LIMIT + 3,
            interval=0.02,
        )
        elapsed = time.monotonic() - quit_at
        assert written, f"the app did not exit after ctrl+q:\n{tmux.screen()}"
        assert written == "0", f"exit status {written}:\n{tmux.screen()}"
        assert elapsed <= EXIT_LIMIT, f"the app took {elapsed:.2f} s to exit"

        # The terminal is restored: main screen back, cursor visible, no mouse reporting.
        shown = wait_for(lambda: EXITED in (s := tmux.screen()) and s, 5)
        assert shown, f"the shell did not continue after the app:\n{tmux.screen()}"
        assert tmux.flag("alternate_on") == "0"
        assert tmux.flag("cursor_flag") == "1"
        for mouse in ("mouse_any_flag", "mouse_button_flag", "mouse_sgr_flag"):
            assert tmux.flag(mouse) == "0", f"{mouse} left on"
        assert lesson_title not in shown, f"the app's frame is still on screen:\n{shown}"
        assert "Traceback" not in shown
    finally:
        tmux.kill()


@pytest.mark.parametrize(
    ("option", "value"),
    [("--lesson", "no-such-lesson"), ("--lessons", "no/such/folder")],
)
def test_unknown_lesson_or_folder_is_a_one_line_error(
    tmp_path: Path, option: str, value: str
) -> None:
    result = subprocess.run(
        [*workshop_command(), option, value],
        env=clean_env(tmp_path),
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


def stable_screen(tmux: Tmux, timeout: float) -> str | None:
    """The screen once the experiment is drawn and five captures 0.1 s apart agree."""
    seen: list[str] = []

    def settled() -> str | None:
        seen.append(tmux.screen())
        last = seen[-5:]
        loaded = "Loading the experiment" not in last[-1]
        return last[-1] if loaded and len(last) == 5 and len(set(last)) == 1 else None

    return wait_for(settled, timeout)  # type: ignore[return-value]


def start_idle(tmp_path: Path, lesson: str, size: tuple[int, int], name: str) -> Tmux:
    """The app on ``lesson`` in a ``size`` terminal, drawn and settled."""
    state = tmp_path / name
    state.mkdir()
    tmux = Tmux(clean_env(state))
    app = shlex.join([*workshop_command(), "--lesson", lesson])
    tmux.run("new-session", "-d", "-s", "e2e", "-x", str(size[0]), "-y", str(size[1]), app)
    drawn = wait_for(lambda: "f5" in tmux.screen().lower(), START_TIMEOUT)
    assert drawn, f"the lesson was not drawn in {START_TIMEOUT} s:\n{tmux.screen()}"
    return tmux


def resize(tmux: Tmux, size: tuple[int, int]) -> None:
    tmux.run("resize-window", "-t", "e2e", "-x", str(size[0]), "-y", str(size[1]))


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_resize_is_drawn_in_full_without_a_key(tmp_path: Path) -> None:
    """Idle: after a resize the screen becomes what an app started at that size shows,
    with no key pressed, and back. (A text panel that was cut at the small size
    stayed cut at the large one: its height came from its own cut text.)"""
    lesson, small, large = "metrics", (80, 24), (120, 40)
    fresh = start_idle(tmp_path, lesson, large, "fresh")
    try:
        expected_large = stable_screen(fresh, START_TIMEOUT)
    finally:
        fresh.kill()
    assert expected_large
    tmux = start_idle(tmp_path, lesson, small, "resized")
    try:
        expected_small = stable_screen(tmux, START_TIMEOUT)
        assert expected_small
        for size, expected in ((large, expected_large), (small, expected_small)):
            resize(tmux, size)
            drawn = wait_for(lambda e=expected: tmux.screen() == e, RESIZE_TIMEOUT)
            assert drawn, (
                f"after the resize to {size[0]}x{size[1]} the screen is\n{tmux.screen()}\n"
                f"instead of\n{expected}"
            )
    finally:
        tmux.kill()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_resize_while_training_is_drawn_and_training_goes_on(tmp_path: Path) -> None:
    tmux = start_idle(tmp_path, LESSON_ID, (80, 24), "training")
    try:
        tmux.keys("F5")
        first = wait_for(lambda: progress_on(tmux.screen()), EPOCH_TIMEOUT)
        assert first is not None, f"no progress after F5:\n{tmux.screen()}"
        for width, height in ((100, 30), (80, 24), (120, 40)):
            resize(tmux, (width, height))

            def laid_out(w: int = width, h: int = height) -> bool:
                rows = tmux.screen().split("\n")[:h]
                return (
                    len(rows) == h
                    and rows[0].startswith(" Lesson 13")
                    and rows[-1].startswith("f3 Prev")
                    and max(len(row) for row in rows) > w - 4  # drawn across the new width
                )

            assert wait_for(laid_out, RESIZE_TIMEOUT), (
                f"{width}x{height} not drawn:\n{tmux.screen()}"
            )
            now = progress_on(tmux.screen()) or 0
            later = wait_for(lambda n=now: (progress_on(tmux.screen()) or 0) > n, EPOCH_TIMEOUT)
            assert later, f"the progress stopped at {now}% after the resize"
    finally:
        tmux.kill()
