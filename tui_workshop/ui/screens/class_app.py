"""A class-folder tool as an app of its own (the instructor's board, the speaker notes):
one screen over a class folder and a course, quit with ctrl+q."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui_workshop.course import classroom as cr
from tui_workshop.i18n import translate
from tui_workshop.ui.text import N_
from tui_workshop.ui.translated_app import TranslatedApp


class ClassFolderApp(TranslatedApp):
    """Subclasses set ``TITLE`` (an ``N_`` text) and ``make_screen``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", N_("Quit"), priority=True),
    ]

    def __init__(self, info: cr.ClassInfo, course: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.info = info
        self.course = course

    def make_screen(self) -> Screen[Any]:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.title = translate(self.TITLE or "")
        self.push_screen(self.make_screen())

    @classmethod
    def run_for(cls, info: cr.ClassInfo, course: Any) -> int:
        """Run until quit; the exit status."""
        app = cls(info, course)
        app.run()
        return 0 if app.return_code is None else int(app.return_code)
