"""NO_COLOR and TERM=dumb in a real terminal: only default colours and attributes (issue 10).

The app runs the playground in a pty at 80x24 until its experiment is drawn,
then quits (ctrl+q); every SGR sequence it wrote is checked. Under NO_COLOR
or TERM=dumb no colour may be emitted (no 256-colour greys 232-255, no
truecolor, no ANSI colours): only default colours (39/49), reset, bold, dim,
italic, underline and reverse. With TERM=xterm-256color colours are emitted
(the check can tell them apart).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
PLAIN_CODES = {"", "0", "1", "2", "3", "4", "7", "21", "22", "23", "24", "27", "39", "49"}
DRAWN = "Decision boundary"  # the playground's first panel: the experiment is on screen
TIMEOUT = 40.0


def run_app(tmp_path: Path, **env_extra: str) -> str:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM", "TMUX")}
    env.update(
        TUI_WORKSHOP_STATE_DIR=str(tmp_path / "state"),
        TERM="xterm-256color",
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
    )
    env.update(env_extra)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_workshop", "--lesson", "playground"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    output = b""
    quit_sent = False
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the app closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            if not quit_sent and DRAWN.encode() in output:
                os.write(master, b"\x11")  # ctrl+q
                quit_sent = True
            if quit_sent and process.poll() is not None and not ready:
                break
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        os.close(master)
    text = output.decode("utf-8", "replace")
    assert DRAWN in text, text[-500:]
    return text


def colour_codes(text: str) -> set[str]:
    """Every SGR parameter that sets a colour (or anything but plain attributes)."""
    found: set[str] = set()
    for params in SGR.findall(text):
        parts = params.replace(":", ";").split(";")
        i = 0
        while i < len(parts):
            part = parts[i]
            if part in ("38", "48", "58") and i + 1 < len(parts):
                width = 3 if parts[i + 1] == "5" else 5
                found.add(";".join(parts[i : i + width]))
                i += width
                continue
            if part not in PLAIN_CODES:
                found.add(part)
            i += 1
    return found


@pytest.mark.parametrize(
    "env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}], ids=["NO_COLOR", "TERM=dumb"]
)
def test_no_colour_is_emitted(tmp_path: Path, env: dict[str, str]) -> None:
    text = run_app(tmp_path, **env)
    assert colour_codes(text) == set()
    # Attributes still reach the terminal (reverse marks focus and selection).
    assert any("7" in params.split(";") for params in SGR.findall(text))


def test_colours_are_emitted_in_a_colour_terminal(tmp_path: Path) -> None:
    assert colour_codes(run_app(tmp_path)) != set()
