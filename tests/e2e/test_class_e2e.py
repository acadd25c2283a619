"""End-to-end: a real instructor board and two real student apps on one class folder (tmux).

Each app runs in its own 80x24 tmux session of one private tmux server. A
student turning a page, solving an exercise and raising a hand must show on
the board within 3 s of the key press. Every wait is bounded; the server is
killed in ``finally``.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tui_workshop.course import classroom as cr

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
SHOW_LIMIT = 3.0  # the bound from a student's key to the board


def wait_for(predicate: Callable[[], object], timeout: float, interval: float = 0.05) -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


class Tmux:
    def __init__(self) -> None:
        self.socket = f"tw-class-{uuid.uuid4().hex[:12]}"

    def run(self, *args: str, check: bool = True) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=check,
        ).stdout

    def start(self, name: str, env: dict[str, str], command: list[str]) -> None:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        script = f"env {exports} {shlex.join(command)}; sleep 60"
        self.run(
            "new-session", "-d", "-s", name, "-x", "80", "-y", "24", f"sh -c {shlex.quote(script)}"
        )

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name, check=False)

    def keys(self, name: str, *keys: str) -> None:
        self.run("send-keys", "-t", name, *keys)

    def kill(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10, check=False
        )


def row_of(screen: str, name: str) -> list[str] | None:
    """The board's class-table cells of the student ``name`` (split on the table's spaces)."""
    for line in screen.splitlines():
        if f" {name} " in f" {line} ":
            return line.replace("│", " ").split()
    return None


def test_board_follows_two_students(tmp_path: Path) -> None:
    info = cr.init_class(tmp_path / "class")
    base_env = {
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path / "home"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TUI_WORKSHOP_CLASS": str(info.folder),
    }
    command = [sys.executable, "-m", "tui_workshop"]
    tmux = Tmux()
    try:
        for name in ("Ana", "Bea"):
            state = tmp_path / f"state-{name}"
            state.mkdir()
            progress = {
                "version": 1,
                "current_lesson": "neuron",
                "lessons": {},
                "display_name": name,
            }
            (state / "progress.json").write_text(json.dumps(progress))
            env = {**base_env, "TUI_WORKSHOP_STATE_DIR": str(state)}
            tmux.start(name, env, [*command, "--lesson", "neuron"])
        board_env = {**base_env, "TUI_WORKSHOP_STATE_DIR": str(tmp_path / "state-board")}
        tmux.start("board", board_env, [*command, "instructor"])

        def rows() -> tuple[list[str] | None, list[str] | None]:
            screen = tmux.screen("board")
            return row_of(screen, "Ana"), row_of(screen, "Bea")

        started = wait_for(lambda: all(rows()), START_TIMEOUT)
        assert started, f"the board does not show both students:\n{tmux.screen('board')}"
        assert rows()[0][:5] == ["Ana", "3", "1", "0", "0"]  # lesson 3, page 1, 0 solved, idle 0
        # The students' apps are ready for keys once their lesson is drawn.
        for name in ("Ana", "Bea"):
            assert wait_for(lambda n=name: "Lesson 3" in tmux.screen(n), START_TIMEOUT)

        tmux.keys("Ana", "F4")
        pressed = time.monotonic()
        moved = wait_for(lambda: (row := rows()[0]) and row[2] == "2", SHOW_LIMIT + 10)
        elapsed = time.monotonic() - pressed
        assert moved, f"page 2 not shown:\n{tmux.screen('board')}"
        assert elapsed <= SHOW_LIMIT, f"page move shown after {elapsed:.1f} s"

        # Bea: the exercises pane (ctrl+t three times at 80 columns), then the answer.
        tmux.keys("Bea", "C-t", "C-t", "C-t")
        assert wait_for(lambda: "Check" in tmux.screen("Bea"), 20), tmux.screen("Bea")
        # Tab on until the answer field has the focus: what is typed then shows.
        for _tab in range(6):
            tmux.keys("Bea", "Tab", "0.58")
            if wait_for(lambda: "0.58" in tmux.screen("Bea"), 3):
                break
        assert "0.58" in tmux.screen("Bea"), tmux.screen("Bea")
        tmux.keys("Bea", "Enter")
        pressed = time.monotonic()
        solved = wait_for(lambda: (row := rows()[1]) and row[3] == "1", SHOW_LIMIT + 10)
        elapsed = time.monotonic() - pressed
        assert solved, (
            f"the solved exercise not shown:\n{tmux.screen('board')}\n{tmux.screen('Bea')}"
        )
        assert elapsed <= SHOW_LIMIT, f"solve shown after {elapsed:.1f} s"

        tmux.keys("Ana", "F12")
        pressed = time.monotonic()
        raised = wait_for(lambda: "1 hand up" in tmux.screen("board"), SHOW_LIMIT + 10)
        elapsed = time.monotonic() - pressed
        assert raised, f"the hand not shown:\n{tmux.screen('board')}"
        assert elapsed <= SHOW_LIMIT, f"hand shown after {elapsed:.1f} s"
        assert "✋" in tmux.screen("board")
        assert "hand is up" in tmux.screen("Ana").lower()

        # The instructor answers it: F5 (hands), F9; Ana's hand goes down.
        tmux.keys("board", "F5")
        assert wait_for(lambda: "Ana" in tmux.screen("board"), 5)
        tmux.keys("board", "F9")
        lowered = wait_for(lambda: "hand lowered" in tmux.screen("Ana"), 10)
        assert lowered, tmux.screen("Ana")
        assert wait_for(lambda: "0 hands up" in tmux.screen("board"), 10)
        for name in ("board", "Ana", "Bea"):
            assert "Traceback" not in tmux.screen(name)
    finally:
        tmux.kill()
