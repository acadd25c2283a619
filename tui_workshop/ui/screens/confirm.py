"""A modal yes/no question; dismisses once with True (yes) or False (no)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui_workshop.i18n import _
from tui_workshop.ui.screens.modal import OneShotModal
from tui_workshop.ui.text import N_


class ConfirmScreen(OneShotModal[bool]):
    """Ask ``question``; Enter on a button, y/n, or Escape (no) answer it.

    The first answer counts: keys queued behind it (y y, Enter Enter) do nothing.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", N_("No")),
        Binding("n", "answer(False)", N_("No"), show=False),
        Binding("y", "answer(True)", N_("Yes"), show=False),
        Binding("left,right", "swap_focus", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(_("Yes, reset"), id="yes", variant="error")
                yield Button(_("Cancel"), id="no", variant="primary")

    def on_mount(self) -> None:
        # The safe answer has the focus.
        for button in self.query("#no").results(Button):
            button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_swap_focus(self) -> None:
        self.focus_next()
