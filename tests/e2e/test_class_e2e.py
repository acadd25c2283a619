"""End-to-end: a real instructor board and two real student apps on one class folder (tmux).

Each app runs in its own 80x24 tmux session of one private tmux server. A
student turning a page, solving an exercise and raising a hand must show on
the board within 3 s of the key press. Every wait is bounded; the server is
killed when the test ends (tests/e2e/tmux.py).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux, app_env, needs_tmux, student_state, wait_for
from tui_workshop.course import classroom as cr

pytestmark = [pytest.mark.e2e, needs_tmux]

START_TIMEOUT = 60.0
SHOW_LIMIT = 3.0  # the bound from a student's key to the board


def row_of(screen: str, name: str) -> list[str] | None:
    """The board's class-table cells of the student ``name`` (split on the table's spaces)."""
    for line in screen.splitlines():
        if f" {name} " in f" {line} ":
            return line.replace("│", " ").split()
    return None


def test_board_follows_two_students(tmp_path: Path) -> None:
    info = cr.init_class(tmp_path / "class")
    env = app_env(tmp_path / "home", TUI_WORKSHOP_CLASS=str(info.folder))
    command = [sys.executable, "-m", "tui_workshop"]
    with Tmux() as tmux:
        for name in ("Ana", "Bea"):
            state = student_state(tmp_path / f"state-{name}", name, "neuron")
            student_env = {**env, "TUI_WORKSHOP_STATE_DIR": str(state)}
            tmux.start(name, [*command, "--lesson", "neuron"], student_env)
        board_env = {**env, "TUI_WORKSHOP_STATE_DIR": str(tmp_path / "state-board")}
        tmux.start("board", [*command, "instructor"], board_env)

        def rows() -> tuple[list[str] | None, list[str] | None]:
            screen = tmux.screen("board")
            return row_of(screen, "Ana"), row_of(screen, "Bea")

        started = wait_for(lambda: all(rows()), START_TIMEOUT)
        assert started, f"the board does not show both students:\n{tmux.screen('board')}"
        assert rows()[0][:5] == ["Ana", "3", "1", "0", "0"]  # lesson 3, page 1, 0 solved, idle 0
        # The students' apps are ready for keys once their lesson is drawn.
        for name in ("Ana", "Bea"):
            assert tmux.wait_screen(name, "Lesson 3", START_TIMEOUT), tmux.screen(name)

        tmux.keys("Ana", "F4")
        pressed = time.monotonic()
        moved = wait_for(lambda: (row := rows()[0]) and row[2] == "2", SHOW_LIMIT + 10)
        elapsed = time.monotonic() - pressed
        assert moved, f"page 2 not shown:\n{tmux.screen('board')}"
        assert elapsed <= SHOW_LIMIT, f"page move shown after {elapsed:.1f} s"

        # Bea: the exercises pane (ctrl+t three times at 80 columns), then the answer.
        tmux.keys("Bea", "C-t", "C-t", "C-t")
        assert tmux.wait_screen("Bea", "Check", 20), tmux.screen("Bea")
        # Tab on until the answer field has the focus: what is typed then shows.
        for _tab in range(6):
            tmux.keys("Bea", "Tab", "0.58")
            if tmux.wait_screen("Bea", "0.58", 3):
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
        raised = tmux.wait_screen("board", "1 hand up", SHOW_LIMIT + 10)
        elapsed = time.monotonic() - pressed
        assert raised, f"the hand not shown:\n{tmux.screen('board')}"
        assert elapsed <= SHOW_LIMIT, f"hand shown after {elapsed:.1f} s"
        assert "✋" in tmux.screen("board")
        assert "hand is up" in tmux.screen("Ana").lower()

        # The instructor answers it: F5 (hands), F9; Ana's hand goes down.
        tmux.keys("board", "F5")
        assert tmux.wait_screen("board", "Ana", 5), tmux.screen("board")
        tmux.keys("board", "F9")
        assert tmux.wait_screen("Ana", "hand lowered", 10), tmux.screen("Ana")
        assert tmux.wait_screen("board", "0 hands up", 10), tmux.screen("board")
        for name in ("board", "Ana", "Bea"):
            assert "Traceback" not in tmux.screen(name)
