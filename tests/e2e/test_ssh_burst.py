"""Keys that arrive in one read (a slow SSH link) are applied in the order typed.

Over SSH a backspace and the next character often arrive in one read. With a
bare Textual ``Input`` (8.2.8) ``abc`` followed by ``DEL x`` in one write
stays ``abc``: the ``x`` is inserted before the backspace's action runs, and
the backspace then deletes it (see docs/upstream-textual-input-order.md).
``BoundedInput``, used for every text field of the app, runs its own
bindings in key order. Each case here runs a minimal app holding one
``BoundedInput`` in a real pseudo-terminal, writes the keys as a terminal
would, and reads the field's value back from a file the app writes on every
change.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.e2e.pseudo_terminal import Terminal
from tests.e2e.tmux import ROOT, terminal_env, wait_for

APP = r"""
import sys
from pathlib import Path

from textual.app import App
from textual.widgets import Input

from tui_workshop.ui.widgets.bounded_input import BoundedInput

OUT = Path(sys.argv[1])


class Burst(App):
    def compose(self):
        yield BoundedInput(id="field")

    def on_mount(self):
        self.query_one(BoundedInput).focus()
        self.write("<ready>")

    def write(self, text):
        tmp = OUT.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(OUT)

    def on_input_changed(self, event: Input.Changed):
        self.write(event.value)

    def on_input_submitted(self, event: Input.Submitted):
        self.write("<submitted>" + event.value)
        self.exit()


Burst().run()
"""

LEFT = b"\x1b[D"
HOME = b"\x1b[H"
DEL = b"\x7f"


class PtyApp:
    """The burst app on a pty of 80x24; ``value`` reads what the field holds."""

    def __init__(self, tmp_path: Path) -> None:
        self.out = tmp_path / "value.txt"
        script = tmp_path / "burst_app.py"
        script.write_text(APP, encoding="utf-8")
        env = {**terminal_env(), "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
        self.terminal = Terminal([sys.executable, str(script), str(self.out)], env)

    def value(self) -> str | None:
        try:
            return self.out.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def wait_value(self, expected: str, timeout: float = 20.0) -> str | None:
        """The field's value once it is ``expected`` (or the app ended, or ``timeout`` s)."""

        def shown() -> bool:
            self.terminal.read(0.02)  # the app blocks when nobody reads its output
            return self.value() == expected or self.terminal.poll() is not None

        wait_for(shown, timeout, interval=0)
        return self.value()

    def write(self, data: bytes) -> None:
        self.terminal.write(data)

    def close(self) -> None:
        self.terminal.close()


@pytest.fixture
def app(tmp_path: Path):
    running = PtyApp(tmp_path)
    try:
        assert running.wait_value("<ready>") == "<ready>", "the app did not start"
        yield running
    finally:
        running.close()


@pytest.mark.parametrize(
    ("burst", "expected"),
    [
        (DEL + b"x", "abx"),  # the case seen over SSH
        (DEL + DEL + b"xy", "axy"),
        (LEFT + b"z", "abzc"),
        (HOME + b"z" + DEL + b"y", "yabc"),
        (b"d" + DEL + DEL + b"e", "abe"),
    ],
    ids=["del-x", "del-del-xy", "left-z", "home-z-del-y", "d-del-del-e"],
)
def test_a_burst_is_applied_in_the_order_typed(app: PtyApp, burst: bytes, expected: str) -> None:
    app.write(b"abc")
    assert app.wait_value("abc") == "abc"
    app.write(burst)  # one write: the app reads it in one go
    app.write(b"\r")
    assert app.wait_value("<submitted>" + expected) == "<submitted>" + expected
