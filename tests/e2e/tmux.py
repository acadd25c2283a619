"""The real command in real terminals: one private tmux server, a session per app.

Every wait polls the pane (``capture-pane``) or a condition until it holds or its
timeout runs out; the server is killed when the ``with`` block ends, so a failure
never leaves an app behind or hangs CI.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import pytest

# Not tmux's, no NO_COLOR or COLORTERM, and no COLUMNS/LINES (xdist workers set them;
# they would override the terminal's size).
TERMINAL_ENV_DROPPED = ("TMUX", "TMUX_PANE", "NO_COLOR", "COLORTERM", "COLUMNS", "LINES")
EXITED = "E2E-EXITED"  # the shell's line after the app ended: "E2E-EXITED <status>"
_EXIT_LINE = re.compile(rf"^{EXITED} (\d+)$", re.MULTILINE)

ROOT = Path(__file__).resolve().parents[2]
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

T = TypeVar("T")


def wait_for(predicate: Callable[[], T], timeout: float, interval: float = 0.05) -> T | None:
    """The first truthy result of ``predicate``, polled until ``timeout`` s; else None."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def terminal_env() -> dict[str, str]:
    """This process's environment without what would change an app's terminal: tmux's
    variables, colour settings, a size."""
    return {k: v for k, v in os.environ.items() if k not in TERMINAL_ENV_DROPPED}


def workshop_command() -> list[str]:
    """The console script of the running interpreter's environment, else ``-m``."""
    beside = Path(sys.executable).with_name("tui-workshop")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("tui-workshop")
    return [found] if found else [sys.executable, "-m", "tui_workshop"]


def app_env(home: Path, **extra: str) -> dict[str, str]:
    """What an app under test adds to :func:`terminal_env`: this checkout's code, a UTF-8
    locale and ``home`` as its home folder, then ``extra``."""
    return {"PYTHONPATH": str(ROOT), "LANG": "C.UTF-8", "HOME": str(home), **extra}


def student_state(folder: Path, name: str, lesson: str) -> Path:
    """``folder`` made a state folder whose progress names the student ``name`` and is at
    ``lesson``."""
    folder.mkdir(parents=True)
    progress = {"version": 1, "current_lesson": lesson, "lessons": {}, "display_name": name}
    (folder / "progress.json").write_text(json.dumps(progress), encoding="utf-8")
    return folder


class Tmux:
    """One tmux server on a private socket; each app runs in a named session of its own."""

    def __init__(self) -> None:
        self.socket = f"tw-e2e-{uuid.uuid4().hex[:12]}"
        self.env = terminal_env()

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.kill()

    def run(self, *args: str, check: bool = True) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=check,
        ).stdout

    def start(
        self,
        name: str,
        command: Sequence[str],
        env: Mapping[str, str] | None = None,
        size: tuple[int, int] = (80, 24),
    ) -> None:
        """Run ``command`` (with ``env`` on top of :func:`terminal_env`) in a terminal of
        ``size`` (columns, rows). When it ends the shell writes ``EXITED <status>`` and
        keeps the pane, so the terminal it left behind can be inspected."""
        env = {"TERM": "xterm-256color", **(env or {})}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        script = f'env {exports} {shlex.join(command)}; echo "{EXITED} $?"; exec sleep 600'
        width, height = size
        self.run("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
                 f"sh -c {shlex.quote(script)}")  # fmt: skip

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name, check=False)

    def wait_screen(self, name: str, text: str, timeout: float) -> str | None:
        """The screen of ``name`` once it shows ``text`` (polled until ``timeout`` s), else None."""
        return wait_for(lambda: text in (screen := self.screen(name)) and screen, timeout)

    def keys(self, name: str, *keys: str) -> None:
        """tmux key names (``F4``, ``C-q``, ``Tab``); other words are typed as they are."""
        self.run("send-keys", "-t", name, *keys)

    def type(self, name: str, text: str) -> None:
        """``text`` typed literally, even where it looks like a key name."""
        self.run("send-keys", "-t", name, "-l", text)

    def resize(self, name: str, size: tuple[int, int]) -> None:
        width, height = size
        self.run("resize-window", "-t", name, "-x", str(width), "-y", str(height))

    def flag(self, name: str, flag: str) -> str:
        """A tmux format of the pane (``alternate_on``, ``cursor_flag``, ...)."""
        return self.run("display-message", "-p", "-t", name, f"#{{{flag}}}").strip()

    def exit_status(self, name: str, timeout: float) -> int | None:
        """The status the app of ``name`` ended with, once its shell says so, else None."""
        found = wait_for(lambda: _EXIT_LINE.search(self.screen(name)), timeout, interval=0.02)
        return int(found.group(1)) if found else None

    def kill(self) -> None:
        """Ends the server and its apps, and removes its socket (tmux leaves it behind)."""
        socket = self.run("display-message", "-p", "#{socket_path}", check=False).strip()
        self.run("kill-server", check=False)
        if socket:
            Path(socket).unlink(missing_ok=True)
