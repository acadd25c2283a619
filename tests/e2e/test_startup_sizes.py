"""End-to-end: the real command started in a small terminal (tmux, 60x20), then enlarged.

It must show the "please enlarge" request with the current size, not a
traceback; once the terminal is 80x24 the lesson appears, and ctrl+q ends
the app with status 0. Uses the tmux helpers of ``test_terminal``.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from tests.e2e.test_terminal import (
    EXITED,
    START_TIMEOUT,
    Tmux,
    clean_env,
    wait_for,
    workshop_command,
)

pytestmark = pytest.mark.e2e

LESSON_ID = "neuron"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_start_at_60x20_asks_to_enlarge_then_shows_the_lesson(tmp_path: Path) -> None:
    status_file = tmp_path / "status"
    app = shlex.join([*workshop_command(), "--lesson", LESSON_ID])
    script = f"{app}; echo $? > {shlex.quote(str(status_file))}; echo {EXITED}; sleep 60"
    tmux = Tmux(clean_env(tmp_path))
    try:
        tmux.run(
            "new-session", "-d", "-s", "e2e", "-x", "60", "-y", "20", f"sh -c {shlex.quote(script)}"
        )
        asked = wait_for(lambda: "enlarge" in (s := tmux.screen()) and s, START_TIMEOUT)
        assert asked, f"no request to enlarge at 60x20:\n{tmux.screen()}"
        assert "60×20" in asked, asked
        assert "Traceback" not in asked

        tmux.run("resize-window", "-t", "e2e", "-x", "80", "-y", "24")
        lesson = wait_for(
            lambda: "enlarge" not in (s := tmux.screen()) and "f5" in s.lower() and s,
            START_TIMEOUT,
        )
        assert lesson, f"the lesson did not replace the request at 80x24:\n{tmux.screen()}"

        tmux.run("resize-window", "-t", "e2e", "-x", "40", "-y", "12")
        again = wait_for(lambda: "40×12" in (s := tmux.screen()) and s, START_TIMEOUT)
        assert again, f"no request to enlarge at 40x12:\n{tmux.screen()}"
        tmux.run("resize-window", "-t", "e2e", "-x", "80", "-y", "24")
        assert wait_for(lambda: "enlarge" not in tmux.screen(), START_TIMEOUT), tmux.screen()

        tmux.keys("C-q")
        written = wait_for(
            lambda: status_file.exists() and status_file.read_text().strip(), 10, interval=0.05
        )
        assert written == "0", f"exit status {written!r}:\n{tmux.screen()}"
        shown = wait_for(lambda: EXITED in (s := tmux.screen()) and s, 5)
        assert shown and "Traceback" not in shown, shown
        assert not list(tmp_path.glob("*.log")) or "unexpected error" not in "".join(
            p.read_text(encoding="utf-8") for p in tmp_path.glob("*.log")
        )
    finally:
        tmux.kill()
