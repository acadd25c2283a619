"""NO_COLOR and TERM=dumb in a real terminal: only default colours and attributes (issue 10).

The app runs the playground in a pty at 80x24 until its experiment is drawn,
then quits (ctrl+q); every SGR sequence it wrote is checked. Under NO_COLOR
or TERM=dumb no colour may be emitted (no 256-colour greys 232-255, no
truecolor, no ANSI colours): only default colours (39/49), reset, bold, dim,
italic, underline and reverse. With TERM=xterm-256color colours are emitted
(the check can tell them apart).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from tests.e2e.pseudo_terminal import Terminal
from tests.e2e.tmux import ROOT, terminal_env

pytestmark = pytest.mark.e2e

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
PLAIN_CODES = {"", "0", "1", "2", "3", "4", "7", "21", "22", "23", "24", "27", "39", "49"}
DRAWN = "Decision boundary"  # the playground's first panel: the experiment is on screen
TIMEOUT = 40.0


def run_app(tmp_path: Path, **env_extra: str) -> str:
    """All the app wrote to its terminal from the start until it ended on ctrl+q."""
    env = {
        **terminal_env(),
        "TUI_WORKSHOP_STATE_DIR": str(tmp_path / "state"),
        "TERM": "xterm-256color",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        **env_extra,
    }
    argv = [sys.executable, "-m", "tui_workshop", "--lesson", "playground"]
    with Terminal(argv, env) as terminal:
        drawn = terminal.read_until(DRAWN.encode(), TIMEOUT)
        assert drawn, terminal.output[-500:].decode("utf-8", "replace")
        terminal.write(b"\x11")  # ctrl+q
        assert terminal.wait_exit(TIMEOUT) is not None, terminal.output[-500:]
    return terminal.output.decode("utf-8", "replace")


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
