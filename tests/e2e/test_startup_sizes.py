"""End-to-end: the real command started in a small terminal (tmux, 60x20), then enlarged.

It must show the "please enlarge" request with the current size, not a
traceback; once the terminal is 80x24 the lesson appears, and ctrl+q ends
the app with status 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux, needs_tmux, wait_for, workshop_command

pytestmark = pytest.mark.e2e

LESSON_ID = "neuron"
START_TIMEOUT = 30.0  # each redraw (a cold start on a loaded CI machine)


@needs_tmux
def test_start_at_60x20_asks_to_enlarge_then_shows_the_lesson(tmp_path: Path) -> None:
    env = {"TUI_WORKSHOP_STATE_DIR": str(tmp_path)}
    with Tmux() as tmux:
        tmux.start("app", [*workshop_command(), "--lesson", LESSON_ID], env, size=(60, 20))
        asked = tmux.wait_screen("app", "enlarge", START_TIMEOUT)
        assert asked, f"no request to enlarge at 60x20:\n{tmux.screen('app')}"
        assert "60×20" in asked, asked
        assert "Traceback" not in asked

        tmux.resize("app", (80, 24))
        lesson = wait_for(
            lambda: "enlarge" not in (s := tmux.screen("app")) and "f5" in s.lower() and s,
            START_TIMEOUT,
        )
        assert lesson, f"the lesson did not replace the request at 80x24:\n{tmux.screen('app')}"

        tmux.resize("app", (40, 12))
        again = tmux.wait_screen("app", "40×12", START_TIMEOUT)
        assert again, f"no request to enlarge at 40x12:\n{tmux.screen('app')}"
        tmux.resize("app", (80, 24))
        assert wait_for(lambda: "enlarge" not in tmux.screen("app"), START_TIMEOUT), tmux.screen(
            "app"
        )

        tmux.keys("app", "C-q")
        status = tmux.exit_status("app", 10)
        assert status == 0, f"exit status {status!r}:\n{tmux.screen('app')}"
        assert "Traceback" not in tmux.screen("app")
        assert not list(tmp_path.glob("*.log")) or "unexpected error" not in "".join(
            p.read_text(encoding="utf-8") for p in tmp_path.glob("*.log")
        )
