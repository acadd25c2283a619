"""End-to-end: SIGTERM and SIGHUP save the progress and restore the terminal.

The real command runs in a pseudo-terminal (80x24) on lesson 3 (neuron); F4
turns a page and the signal follows at once, inside the saver's debounce
window, so only the flush on the signal can have written the page. The
process must end within a bounded time, leave the alternate screen, and the
progress file must hold the page turned.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

# The terminal tests' environment: not tmux's, no NO_COLOR, and no COLUMNS/LINES
# (xdist workers set them; they would override the pty's size).
TERMINAL_ENV_DROPPED = ("TMUX", "TMUX_PANE", "NO_COLOR", "COLUMNS", "LINES")

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
EXIT_TIMEOUT = 30.0  # correctness, not speed: a loaded machine may be slow to end
ENTER_ALT = b"\x1b[?1049h"
LEAVE_ALT = b"\x1b[?1049l"
F4 = b"\x1bOS"


class Terminal:
    """A child process on a pty; output collected as bytes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = b""
        self.status: int | None = None

    def read_until(self, wanted: bytes, timeout: float, start: int = 0) -> bool:
        deadline = time.monotonic() + timeout
        while wanted not in self.output[start:]:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._read(remaining):
                return wanted in self.output[start:]
        return True

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], min(timeout, 0.5))
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        self.output += chunk
        return bool(chunk)

    def wait_exit(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self._read(0.05):  # what is left in the buffer
                    if not select.select([self.fd], [], [], 0)[0]:
                        break
                self.status = status
                return os.waitstatus_to_exitcode(status)
        return None

    def hang_up(self) -> None:
        """Close our side, as a dropped SSH connection does: the kernel sends SIGHUP."""
        os.close(self.fd)
        self.fd = -1

    def wait_exit_closed(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        return None

    def close(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        if self.fd >= 0:
            os.close(self.fd)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_signal_saves_progress_and_leaves_the_alternate_screen(tmp_path, signal_number):
    state = tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_ENV_DROPPED}
    env.update(
        TUI_WORKSHOP_STATE_DIR=str(state),
        TERM="xterm-256color",
        PYTHONPATH=str(ROOT),
        HOME=str(tmp_path / "home"),
    )
    argv = [sys.executable, "-m", "tui_workshop", "--lang", "en", "--lesson", "3"]
    terminal = Terminal(argv, env)
    try:
        assert terminal.read_until(ENTER_ALT, START_TIMEOUT), terminal.output[-2000:]
        assert terminal.read_until(b"page 1/5", START_TIMEOUT), terminal.output[-2000:]
        os.write(terminal.fd, F4)
        assert terminal.read_until(b"page 2/5", START_TIMEOUT), terminal.output[-2000:]
        sent_at = len(terminal.output)
        os.kill(terminal.pid, signal_number)
        code = terminal.wait_exit(EXIT_TIMEOUT)
        assert code == 128 + signal_number, terminal.output[-2000:]
        assert LEAVE_ALT in terminal.output[sent_at:]
        assert b"Traceback" not in terminal.output
    finally:
        terminal.close()
    data = json.loads((state / "progress.json").read_text())
    assert data["current_lesson"] == "neuron"
    assert data["lessons"]["neuron"]["page"] == 1
    assert data["lessons"]["neuron"]["seen"] == [0, 1]


def test_a_dropped_terminal_saves_progress_and_ends_the_process(tmp_path):
    state = tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_ENV_DROPPED}
    env.update(
        TUI_WORKSHOP_STATE_DIR=str(state),
        TERM="xterm-256color",
        PYTHONPATH=str(ROOT),
        HOME=str(tmp_path / "home"),
    )
    argv = [sys.executable, "-m", "tui_workshop", "--lang", "en", "--lesson", "3"]
    terminal = Terminal(argv, env)
    try:
        assert terminal.read_until(b"page 1/5", START_TIMEOUT), terminal.output[-2000:]
        os.write(terminal.fd, F4)
        assert terminal.read_until(b"page 2/5", START_TIMEOUT), terminal.output[-2000:]
        terminal.hang_up()
        code = terminal.wait_exit_closed(EXIT_TIMEOUT)
        # SIGHUP, or the end of input noticed first: either way a clean end.
        assert code in (0, 128 + signal.SIGHUP), (code, terminal.output[-2000:])
    finally:
        terminal.close()
    data = json.loads((state / "progress.json").read_text())
    assert data["lessons"]["neuron"]["seen"] == [0, 1]


# ---- a state folder the user cannot write -------------------------------------------


@pytest.fixture(scope="module")
def plain_user():
    """A user without a home folder (tests run as root); removed afterwards."""
    import pwd
    import shutil
    import subprocess
    import uuid

    if os.geteuid() != 0 or not (shutil.which("useradd") and shutil.which("runuser")):
        pytest.skip("needs root, useradd and runuser")
    name = f"tw{uuid.uuid4().hex[:8]}"
    result = subprocess.run(
        ["useradd", "-M", "-d", f"/nonexistent/{name}", "-s", "/bin/sh", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"useradd failed: {result.stderr.strip()}")
    try:
        yield pwd.getpwnam(name)
    finally:
        subprocess.run(["userdel", name], capture_output=True, check=False)


@pytest.fixture(scope="module")
def user_python(plain_user) -> tuple[str, str]:
    """An interpreter the plain user may run, and a PYTHONPATH that finds the packages.

    The test's own interpreter may live in root's home: then the system Python of
    the same version, with this environment's site-packages on the path.
    """
    import shutil
    import subprocess
    import sysconfig

    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    path = os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"]])
    for candidate in (sys.executable, shutil.which(version), f"/usr/bin/{version}"):
        if not candidate:
            continue
        probe = subprocess.run(
            ["runuser", "-u", plain_user.pw_name, "--", "env", "-i", f"PYTHONPATH={path}",
             candidate, "-c", "import textual, numpy, tui_workshop"],
            capture_output=True,
            check=False,
            timeout=60,
        )
        if probe.returncode == 0:
            return candidate, path
    pytest.skip("no Python interpreter the test user may run")


def _as_user(user, python: str, env: dict[str, str]) -> list[str]:
    pairs = [f"{key}={value}" for key, value in env.items()]
    command = [python, "-m", "tui_workshop", "--lang", "en", "--lesson", "3"]
    return ["runuser", "-u", user.pw_name, "--", "env", "-i", *pairs, *command]


@pytest.mark.parametrize("case", ["home-missing", "no-home-variable", "folder-not-writable"])
def test_unsaveable_progress_is_one_notice_not_a_traceback(plain_user, user_python, case):
    import tempfile

    python, python_path = user_python
    env = {"TERM": "xterm-256color", "PYTHONPATH": python_path, "PATH": os.environ["PATH"]}
    locked = Path(tempfile.mkdtemp(prefix="tw-locked-"))  # root's, 0700
    try:
        if case == "home-missing":
            env["HOME"] = plain_user.pw_dir  # does not exist; its parent is root's
        elif case == "folder-not-writable":
            locked.chmod(0o755)  # readable, not writable by the user
            env["HOME"] = plain_user.pw_dir
            env["TUI_WORKSHOP_STATE_DIR"] = str(locked)
        terminal = Terminal(_as_user(plain_user, python, env), env)
        try:
            assert terminal.read_until(b"page 1/5", START_TIMEOUT), terminal.output[-3000:]
            assert terminal.read_until(b"cannot be saved", START_TIMEOUT), terminal.output[-3000:]
            os.write(terminal.fd, F4)
            assert terminal.read_until(b"page 2/5", START_TIMEOUT), terminal.output[-3000:]
            os.write(terminal.fd, b"\x11")  # ctrl+q
            assert terminal.wait_exit(EXIT_TIMEOUT) == 0, terminal.output[-3000:]
            assert b"Traceback" not in terminal.output
            assert b"Error" not in terminal.output
        finally:
            terminal.close()
        assert not list(locked.iterdir())
    finally:
        locked.rmdir()
