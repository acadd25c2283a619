"""The quiet input thread's waits and its wake-up pipe (no terminal needed)."""

from __future__ import annotations

import os
import select

import pytest

pytest.importorskip("termios")

from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

from tui_workshop.ui.input_driver import (
    IDLE_WAIT_SECONDS,
    TEXTUAL_WAIT_SECONDS,
    QuietInputDriver,
    WakingEvent,
    input_wait,
    quiet_driver_for,
)


def test_waits_for_input_only_unless_an_escape_is_pending() -> None:
    parser = XTermParser()
    assert input_wait(parser, now=100.0) == IDLE_WAIT_SECONDS
    list(parser.feed("\x1b"))  # a lone Escape: the parser waits ESCDELAY for more
    pending = parser._timeout_time
    assert pending is not None
    assert input_wait(parser, now=pending - 0.03) == pytest.approx(0.03)
    assert input_wait(parser, now=pending + 1.0) == 0.0
    assert input_wait(object(), now=0.0) == TEXTUAL_WAIT_SECONDS  # a parser it does not know


def test_setting_the_event_wakes_the_pipe() -> None:
    event = WakingEvent()
    event.set()  # no pipe yet: only the flag
    assert event.is_set()
    event.clear()
    read_end, write_end = os.pipe()
    try:
        event.wake_fd = write_end
        assert select.select([read_end], [], [], 0)[0] == []
        event.set()
        assert select.select([read_end], [], [], 0)[0] == [read_end]
        assert event.is_set()
        os.close(write_end)
        event.set()  # the pipe closed by the ending thread: no error
    finally:
        os.close(read_end)


def test_only_textuals_linux_driver_is_replaced() -> None:
    assert quiet_driver_for(LinuxDriver) is QuietInputDriver

    class Other(LinuxDriver):
        pass

    assert quiet_driver_for(Other) is Other
