"""F2: the pages of the current lesson and the lessons of the course; Enter jumps."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_workshop.i18n import _
from tui_workshop.ui.screens.modal import OneShotModal
from tui_workshop.ui.text import N_

if TYPE_CHECKING:
    from tui_workshop.course.model import Lesson
    from tui_workshop.ui.app import WorkshopApp


class TocScreen(OneShotModal[tuple[str, int] | None]):
    """Dismisses with (lesson id, page index) or None.

    Option ids are ``page:<index>`` for pages and ``lesson:<id>`` for lessons.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f2", "close", N_("Close"))]

    app: WorkshopApp

    def __init__(self, lesson: Lesson | None = None, page: int = 0) -> None:
        super().__init__()
        self.lesson = lesson
        self.page = page

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        highlight = 0
        if self.lesson is not None:
            options.append(Option(_("Pages of this lesson"), disabled=True))
            for index, page in enumerate(self.lesson.pages):
                if index == self.page:
                    highlight = len(options)
                options.append(Option(f"  {index + 1}. {page.title}", id=f"page:{index}"))
            options.append(None)
        options.append(Option(_("Lessons of the course"), disabled=True))
        for lesson in self.app.course.lessons:
            if self.lesson is None and lesson.id == self.app.session.current_lesson:
                highlight = len(options)
            label = _("Lesson {number}: {title}", number=lesson.number, title=lesson.title)
            options.append(Option(f"  {label}", id=f"lesson:{lesson.id}"))
        if self.lesson is None and not highlight:
            highlight = 1
        with Vertical(id="toc-dialog", classes="dialog"):
            yield Static(_("Contents"), classes="dialog-title")
            option_list = OptionList(*options, id="toc-list")
            option_list.highlighted = highlight
            yield option_list
            yield Static(_("Enter jumps, Escape closes."), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#toc-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _sep, value = (event.option.id or "").partition(":")
        if kind == "page" and self.lesson is not None:
            self.dismiss((self.lesson.id, int(value)))
        elif kind == "lesson":
            self.dismiss((value, -1))

    def action_close(self) -> None:
        self.dismiss(None)
