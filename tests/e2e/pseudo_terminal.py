"""A command on a pseudo-terminal of its own, its output collected as bytes.

For the tests that read what the app writes to the terminal byte by byte, or
that signal or hang up the process; tests/e2e/tmux.py runs apps in tmux.
Every wait is bounded; ``close`` (or the end of the ``with`` block) kills a
process still running.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Mapping, Sequence


class Terminal:
    """``argv`` run with ``env`` on a pty of ``size`` (columns, rows)."""

    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], size: tuple[int, int] = (80, 24)
    ) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.execvpe(argv[0], list(argv), dict(env))
        columns, rows = size
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.output = b""
        self.status: int | None = None

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def read(self, timeout: float) -> bool:
        """Adds what the app wrote within ``timeout`` s (at most 0.5) to ``output``;
        False once the app closed the terminal."""
        ready, _, _ = select.select([self.fd], [], [], min(timeout, 0.5))
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        self.output += chunk
        return bool(chunk)

    def read_until(self, wanted: bytes, timeout: float, start: int = 0) -> bool:
        """Whether ``wanted`` arrives (after byte ``start`` of the output) within ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while wanted not in self.output[start:]:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.read(remaining):
                return wanted in self.output[start:]
        return True

    def poll(self) -> int | None:
        """The exit code once the process has ended (128 + n for signal n), else None."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return None if self.status is None else os.waitstatus_to_exitcode(self.status)

    def wait_exit(self, timeout: float) -> int | None:
        """The exit code, reading the output meanwhile and what is left of it after; None
        when the process still runs after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.1)
            if (code := self.poll()) is not None:
                while select.select([self.fd], [], [], 0)[0] and self.read(0.05):
                    pass
                return code
        return None

    def hang_up(self) -> None:
        """Close our side, as a dropped SSH connection does: the kernel sends SIGHUP."""
        os.close(self.fd)
        self.fd = -1

    def wait_exit_closed(self, timeout: float) -> int | None:
        """:meth:`wait_exit` after :meth:`hang_up` (nothing left to read)."""
        deadline = time.monotonic() + timeout
        while (code := self.poll()) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        return code

    def close(self) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
