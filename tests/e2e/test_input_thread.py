"""End-to-end: the app's input thread sleeps while no key comes (issue 11), and keys,
a lone Escape and ctrl+q still work.

Textual's own input thread waits with a 0.1 s timeout: about 20 wake-ups in 2 s
of an idle app. Counted with the threads' voluntary context switches in /proc.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.e2e.pseudo_terminal import Terminal
from tests.e2e.test_progress_e2e import F4
from tests.e2e.test_terminal import START_TIMEOUT
from tests.e2e.tmux import app_env, terminal_env

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc"),
]

ESCAPE = b"\x1b"
CTRL_Q = b"\x11"
IDLE_WINDOW = 2.0  # seconds of an idle app whose wake-ups are counted
MOST_WAKE_UPS = 6  # all threads together; Textual's input thread alone made 20


def wake_ups(pid: int) -> int:
    """Voluntary context switches of all of ``pid``'s threads so far."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        for line in status.read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                total += int(line.split()[1])
    return total


def read_for(terminal: Terminal, seconds: float) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        terminal.read(left)


def test_an_idle_app_sleeps_and_keys_still_work(tmp_path: Path) -> None:
    env = {
        **terminal_env(),
        **app_env(tmp_path / "home", TUI_WORKSHOP_STATE_DIR=str(tmp_path / "state")),
        "TERM": "xterm-256color",
    }
    argv = [sys.executable, "-m", "tui_workshop", "--lang", "en", "--lesson", "3"]
    with Terminal(argv, env) as terminal:
        assert terminal.read_until(b"page 1/5", START_TIMEOUT), terminal.output[-2000:]
        terminal.write(F4)  # an escape sequence: a key, not Escape
        assert terminal.read_until(b"page 2/5", START_TIMEOUT), terminal.output[-2000:]
        read_for(terminal, 2.0)  # the screen settles
        before = wake_ups(terminal.pid)
        read_for(terminal, IDLE_WINDOW)
        assert wake_ups(terminal.pid) - before <= MOST_WAKE_UPS
        start = len(terminal.output)
        terminal.write(ESCAPE)  # alone: completed after ESCDELAY, opens the lessons
        assert terminal.read_until(b"Lessons", START_TIMEOUT, start), terminal.output[-2000:]
        terminal.write(CTRL_Q)
        assert terminal.wait_exit(START_TIMEOUT) == 0, terminal.output[-2000:]
