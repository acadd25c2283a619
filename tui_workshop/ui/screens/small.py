"""Shown instead of the layout while the terminal is smaller than 80x24.

The screen looks after itself: it shows the size it was built with until it
is composed, then the app's size on every resize, and it leaves as soon as it
is the active screen of a terminal that is large enough again, however the
resizes and pushes of other screens interleave.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_workshop.i18n import _
from tui_workshop.ui.text import N_

MIN_WIDTH = 80
MIN_HEIGHT = 24


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """A centred request to enlarge the terminal; it removes itself once it fits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "app.quit", N_("Quit"), priority=True)
    ]

    def __init__(self, width: int = 0, height: int = 0) -> None:
        super().__init__()
        self.shown_size = (width, height)

    def message_text(self) -> str:
        width, height = self.shown_size
        return _(
            "Please enlarge the terminal to at least 80×24 (now {width}×{height})",
            width=width,
            height=height,
        )

    def compose(self) -> ComposeResult:
        yield Static(self.message_text(), id="too-small-message", markup=False)

    def on_mount(self) -> None:
        self.follow_app_size()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.follow_app_size()

    def on_resize(self, event: events.Resize) -> None:
        self.follow_app_size()

    def follow_app_size(self) -> None:
        """Show the app's size now, or leave if the terminal fits and this screen is on top."""
        width, height = self.app.size
        if not too_small(width, height):
            self.leave()
            return
        self.update_size(width, height)

    def leave(self) -> None:
        """Pop this screen once (it may be asked again before the pop completes)."""
        if self.is_active and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def update_size(self, width: int, height: int) -> None:
        """Show ``width``x``height``; safe before the screen is composed or after it is gone."""
        self.shown_size = (width, height)
        for static in self.query("#too-small-message").results(Static):
            static.update(self.message_text())
