"""A modal screen that is dismissed at most once, and only while it is on top.

Fast keys queue several answers (Enter twice on a button, y then Enter) before
the first one has closed the dialog. Textual's ``Screen.dismiss`` pops the top
screen whatever it is, so a second dismiss would close the lesson under the
dialog (or pop past the end of the stack). Here later calls do nothing, and a
dismiss asked before the screen is built waits until it is (its ``on_mount``
would otherwise query widgets already removed).
"""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class OneShotModal(ModalScreen[ResultType]):
    """``dismiss`` acts once, and only while this screen is the active one."""

    _dismissed = False

    @property
    def dismissed(self) -> bool:
        return self._dismissed

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self._dismissed or not self.is_active:
            return AwaitComplete.nothing()
        if not self.is_mounted:
            # Asked before it was built: close once its compose and mount have run.
            self.call_later(self._dismiss_later, result)
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)

    def _dismiss_later(self, result: ResultType | None) -> None:
        self.dismiss(result)
