"""End-to-end: SIGTERM and SIGHUP save the progress and restore the terminal.

The real command runs in a pseudo-terminal (80x24) on lesson 3 (neuron); F4
turns a page and the signal follows at once, inside the saver's debounce
window, so only the flush on the signal can have written the page. The
process must end within a bounded time, leave the alternate screen, and the
progress file must hold the page turned.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.e2e.pseudo_terminal import Terminal
from tests.e2e.tmux import ROOT, app_env, terminal_env

pytestmark = pytest.mark.e2e

START_TIMEOUT = 30.0
EXIT_TIMEOUT = 30.0  # correctness, not speed: a loaded machine may be slow to end
ENTER_ALT = b"\x1b[?1049h"
LEAVE_ALT = b"\x1b[?1049l"
F4 = b"\x1bOS"


def start_on_lesson_3(tmp_path: Path) -> tuple[Terminal, Path]:
    """The real command on lesson 3 in a terminal; the state folder its progress goes to."""
    state = tmp_path / "state"
    env = {**terminal_env(), **app_env(tmp_path / "home", TUI_WORKSHOP_STATE_DIR=str(state))}
    argv = [sys.executable, "-m", "tui_workshop", "--lang", "en", "--lesson", "3"]
    return Terminal(argv, {**env, "TERM": "xterm-256color"}), state


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_signal_saves_progress_and_leaves_the_alternate_screen(tmp_path, signal_number):
    terminal, state = start_on_lesson_3(tmp_path)
    with terminal:
        assert terminal.read_until(ENTER_ALT, START_TIMEOUT), terminal.output[-2000:]
        assert terminal.read_until(b"page 1/5", START_TIMEOUT), terminal.output[-2000:]
        terminal.write(F4)
        assert terminal.read_until(b"page 2/5", START_TIMEOUT), terminal.output[-2000:]
        sent_at = len(terminal.output)
        os.kill(terminal.pid, signal_number)
        code = terminal.wait_exit(EXIT_TIMEOUT)
        assert code == 128 + signal_number, terminal.output[-2000:]
        assert LEAVE_ALT in terminal.output[sent_at:]
        assert b"Traceback" not in terminal.output
    data = json.loads((state / "progress.json").read_text())
    assert data["current_lesson"] == "neuron"
    assert data["lessons"]["neuron"]["page"] == 1
    assert data["lessons"]["neuron"]["seen"] == [0, 1]


def test_a_dropped_terminal_saves_progress_and_ends_the_process(tmp_path):
    terminal, state = start_on_lesson_3(tmp_path)
    with terminal:
        assert terminal.read_until(b"page 1/5", START_TIMEOUT), terminal.output[-2000:]
        terminal.write(F4)
        assert terminal.read_until(b"page 2/5", START_TIMEOUT), terminal.output[-2000:]
        terminal.hang_up()
        code = terminal.wait_exit_closed(EXIT_TIMEOUT)
        # SIGHUP, or the end of input noticed first: either way a clean end.
        assert code in (0, 128 + signal.SIGHUP), (code, terminal.output[-2000:])
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
        with Terminal(_as_user(plain_user, python, env), env) as terminal:
            assert terminal.read_until(b"page 1/5", START_TIMEOUT), terminal.output[-3000:]
            assert terminal.read_until(b"cannot be saved", START_TIMEOUT), terminal.output[-3000:]
            terminal.write(F4)
            assert terminal.read_until(b"page 2/5", START_TIMEOUT), terminal.output[-3000:]
            terminal.write(b"\x11")  # ctrl+q
            assert terminal.wait_exit(EXIT_TIMEOUT) == 0, terminal.output[-3000:]
            assert b"Traceback" not in terminal.output
            assert b"Error" not in terminal.output
        assert not list(locked.iterdir())
    finally:
        locked.rmdir()
