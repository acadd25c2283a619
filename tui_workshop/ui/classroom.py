"""Class mode for a student's app: publish the status, raise and lower a hand, ask a name.

The app creates a :class:`StudentClass` only when a class folder is set (see
``tui-workshop --class DIR``); without one nothing here is imported. Writing
happens in the :class:`~tui_workshop.course.classroom.Publisher` thread, which
reports back with :class:`ClassNotice` messages (posting is thread-safe), so a
slow or broken class folder never delays a key.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui_workshop import __version__
from tui_workshop.course import classroom as cr
from tui_workshop.i18n import Msg, _, render

if TYPE_CHECKING:
    from tui_workshop.ui.app import WorkshopApp

logger = logging.getLogger("tui_workshop")

HAND_KEY = "f12"


@dataclass
class ClassNotice(Message):
    """From the publisher thread: "error", "recovered" or "answered"."""

    kind: str
    message: Msg | None = None


class NameScreen(ModalScreen[str | None]):
    """Asked once in class mode: the name the instructor sees."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "skip", _("Skip"))]
    DEFAULT_CSS = """
    NameScreen { align: center middle; }
    NameScreen #name-dialog { width: 64; max-width: 100%; height: auto; }
    """

    def __init__(self, account: str) -> None:
        super().__init__()
        self.account = account

    def compose(self) -> ComposeResult:
        with Vertical(id="name-dialog", classes="dialog"):
            yield Static(_("You are in a class"), classes="dialog-title")
            yield Static(
                _(
                    "Your instructor sees your name, lesson, page, exercises and raised hand."
                    " Type the name to show (Enter), or Escape to use {account}.",
                    account=self.account,
                ),
                markup=False,
            )
            yield Input(value=self.account, max_length=cr.MAX_NAME, id="name-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = cr.clean_text(event.value, cr.MAX_NAME)
        self.dismiss(name or self.account)

    def action_skip(self) -> None:
        self.dismiss(self.account)


class StudentClass:
    """Owned by the app in class mode; every method runs on the UI thread."""

    def __init__(self, app: WorkshopApp, info: cr.ClassInfo) -> None:
        self.app = app
        self.info = info
        self.user = cr.current_user()
        self.hand: float | None = None
        self.publisher: cr.Publisher | None = None

    @property
    def name(self) -> str:
        return self.app.session.display_name or self.user

    def start(self) -> None:
        if self.app.session.display_name:
            self._start_publishing()
        else:
            self.app.push_screen(NameScreen(self.user), self._named)

    def _named(self, name: str | None) -> None:
        self.app.session.set_display_name(name or self.user)
        self._start_publishing()

    def _start_publishing(self) -> None:
        path = cr.status_file(self.info, self.user, self.name)
        self.publisher = cr.Publisher(
            self.info, path, self._from_thread, interval=cr.PUBLISH_INTERVAL
        )
        self.publish()
        self.publisher.start()

    def _from_thread(self, kind: str, message: Msg | None) -> None:
        self.app.post_message(ClassNotice(kind, message))

    def stop(self) -> None:
        """At exit: a raised hand goes down, the last status is written."""
        if self.publisher is not None:
            if self.hand is not None:
                self.hand = None
                self.publish()
            self.publisher.stop(flush=True)
            self.publisher = None

    def publish(self) -> None:
        """Hand the newest status to the publisher (it writes when due)."""
        if self.publisher is None:
            return
        progress = self.app.session.snapshot()
        screen = self.app.lesson_screen()
        page = screen.page if screen is not None else None
        if screen is not None and progress.current_lesson != screen.lesson.id:
            page = None
        status = cr.build_status(self.user, self.name, progress, page, self.hand, __version__)
        self.publisher.update(status)

    def toggle_hand(self) -> None:
        if self.hand is None:
            self.hand = time.time()
            self.app.notify(
                _("✋ Your hand is up: the instructor sees it. {key} lowers it.", key="F12"),
                title=_("Hand raised"),
                timeout=3600,
            )
        else:
            self.lower_hand(_("Hand lowered."))
        self.publish()

    def lower_hand(self, text: str) -> None:
        self.hand = None
        self.app.clear_notifications()
        self.app.notify(text, timeout=4)

    def handle(self, notice: ClassNotice) -> None:
        if notice.kind == "error" and notice.message is not None:
            logger.warning("class folder: %s", notice.message)
            self.app.notify(render(notice.message), severity="warning", timeout=10)
        elif notice.kind == "recovered":
            self.app.notify(_("The class folder can be written again."), timeout=4)
        elif notice.kind == "answered" and self.hand is not None:
            self.lower_hand(_("The instructor marked your question answered; hand lowered."))
            self.publish()


def start_class_mode(app: WorkshopApp, info: Any) -> StudentClass:
    """Bind the hand key and start publishing (called from the app's on_mount)."""
    student = StudentClass(app, info)
    app.bind(HAND_KEY, "toggle_hand", description=_("Hand"), show=True)
    app.session.on_change = student.publish
    student.start()
    return student
