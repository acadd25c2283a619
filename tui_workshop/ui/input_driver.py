"""Textual's terminal driver, with an input thread that sleeps while nothing comes.

Textual 8.2's ``LinuxDriver`` reads keys in a thread that waits on the
terminal with a 0.1 s timeout, only to notice the end of the app and to
complete a lone Escape after ``ESCDELAY``: ten wake-ups a second for as long as
the app runs, idle or not (about 0.1 % of a core per student; issue 11).
:class:`QuietInputDriver` waits on the terminal and on a wake-up pipe instead:
with no timeout while nothing is pending, for exactly the parser's remaining
delay while an Escape waits, and woken at once when input is disabled (quit,
suspend). Everything else is ``LinuxDriver``'s.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
from codecs import getincrementaldecoder
from typing import Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

# The longest wait with nothing pending: a safety net, not a poll.
IDLE_WAIT_SECONDS = 5.0
TEXTUAL_WAIT_SECONDS = 0.1  # Textual's own timeout, kept when the parser's state is unknown


class WakingEvent(threading.Event):
    """A ``threading.Event`` whose ``set`` also writes to a pipe a selector waits on."""

    def __init__(self) -> None:
        super().__init__()
        self.wake_fd: int | None = None

    def set(self) -> None:
        super().set()
        fd = self.wake_fd
        if fd is not None:
            with contextlib.suppress(OSError):  # closed meanwhile: the thread is ending
                os.write(fd, b"x")


def input_wait(parser: Any, now: float) -> float:
    """How long the input thread may wait for the terminal: until the parser's
    pending timeout (a lone Escape), else :data:`IDLE_WAIT_SECONDS`."""
    if not hasattr(parser, "_timeout_time"):
        return TEXTUAL_WAIT_SECONDS
    pending = parser._timeout_time
    if pending is None:
        return IDLE_WAIT_SECONDS
    return max(0.0, pending - now)


class QuietInputDriver(LinuxDriver):
    """``LinuxDriver`` whose input thread wakes only for input, a pending Escape or the end."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.exit_event = self._waking_exit = WakingEvent()

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (``LinuxDriver.run_input_thread``,
        with the waits above)."""
        exit_event = self._waking_exit
        wake_read, wake_write = os.pipe()
        exit_event.wake_fd = wake_write
        selector = selectors.SelectSelector()
        fileno = self.fileno
        selector.register(fileno, selectors.EVENT_READ)
        selector.register(wake_read, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        feed = parser.feed
        tick = parser.tick
        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (key, mask) in loop_last(selector_events):
                if key.fd == wake_read:
                    os.read(wake_read, 64)
                    continue
                if mask & selectors.EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break  # stdin is piped and ended
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not exit_event.is_set():
                process_selector_events(selector.select(input_wait(parser, get_time())))
            selector.unregister(fileno)
            process_selector_events(selector.select(TEXTUAL_WAIT_SECONDS), final=True)
        finally:
            exit_event.wake_fd = None
            selector.close()
            os.close(wake_read)
            os.close(wake_write)
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass


def quiet_driver_for(driver_class: type) -> type:
    """:class:`QuietInputDriver` in place of Textual's ``LinuxDriver``; any other
    driver (Windows, one named in ``TEXTUAL_DRIVER``) as it is."""
    return QuietInputDriver if driver_class is LinuxDriver else driver_class
