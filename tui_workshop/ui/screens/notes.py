"""Speaker notes in a second terminal: ``tui-workshop notes --class DIR``.

Follows the instructor's presentation (``instructor/present.json``, written by the
app started with ``--present``) and shows, for the page on the projector: the
lesson, the page, the lesson's planned minutes, the time spent on it so far and
the time left of the class plan (``plan_minutes`` of class.toml, 150 by
default); then the notes of that page and of the next one (the next lesson's
first page after a lesson's last).

The notes come from this app's own lesson files (``::: notes`` blocks of each
page); the presentation file only names a lesson id and a page number, which
are looked up in the course. Nothing read from it is shown as text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, Static

from tui_workshop.course import classroom as cr
from tui_workshop.i18n import _
from tui_workshop.ui.screens.class_app import ClassFolderApp
from tui_workshop.ui.text import N_
from tui_workshop.ui.widgets.footer import TranslatedFooter

REFRESH_SECONDS = 0.5


def _clock_text(seconds: float) -> str:
    seconds = int(seconds)
    sign = "-" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


class NotesScreen(Screen[None]):
    """See the module docstring."""

    DEFAULT_CSS = """
    NotesScreen #notes-head { height: auto; padding: 0 1; background: $primary; text-style: bold; }
    NotesScreen #notes-time { height: auto; padding: 0 1; }
    NotesScreen .notes-title { height: auto; padding: 0 1; text-style: bold; color: $accent; }
    NotesScreen #notes-body { height: 1fr; }
    NotesScreen #notes-next-title { margin-top: 1; }
    NotesScreen Markdown { margin: 0 1; }
    """

    def __init__(
        self, info: cr.ClassInfo, course: Any, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__()
        self.info = info
        self.course = course
        self.clock = clock
        self.presentation: cr.Presentation | None = None
        self._signature: Any = ()
        self._shown: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="notes-head", markup=False)
        yield Static(id="notes-time", markup=False)
        with VerticalScroll(id="notes-body"):
            yield Static(id="notes-this-title", classes="notes-title", markup=False)
            yield Markdown(id="notes-this")
            yield Static(id="notes-next-title", classes="notes-title", markup=False)
            yield Markdown(id="notes-next")
        yield TranslatedFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_now()
        self.set_interval(REFRESH_SECONDS, self.refresh_now)

    def refresh_now(self) -> None:
        signature = cr.file_signature(self.info.instructor_dir / cr.PRESENT)
        if signature != self._signature:
            self._signature = signature
            self.presentation = cr.read_presentation(self.info) if signature else None
        self.show()

    def _where(self) -> tuple[Any, int] | None:
        shown = self.presentation
        if shown is None or shown.lesson is None:
            return None
        lesson = next((x for x in self.course.lessons if x.id == shown.lesson), None)
        if lesson is None:
            return None
        return lesson, min(shown.page, len(lesson.pages) - 1)

    def _next(self, lesson: Any, page: int) -> tuple[Any, int] | None:
        if page + 1 < len(lesson.pages):
            return lesson, page + 1
        lessons = list(self.course.lessons)
        index = lessons.index(lesson)
        return (lessons[index + 1], 0) if index + 1 < len(lessons) else None

    def show(self) -> None:
        now = self.clock()
        where = self._where()
        shown = self.presentation
        # Redraw when the page changes, and the times once a second.
        key = (where and (where[0].id, where[1]), shown, int(now))
        if key == self._shown:
            return
        self._shown = key
        head = self.query_one("#notes-head", Static)
        times = self.query_one("#notes-time", Static)
        if where is None or shown is None:
            head.update(_("Speaker notes: waiting for the instructor (tui-workshop --present)"))
            times.update(_("Class plan: {plan} min", plan=self.info.plan_minutes))
            self._notes(None, None)
            return
        lesson, page = where
        state = "" if shown.presenting else " · " + _("the presentation has ended")
        head.update(
            _(
                "Lesson {number}: {title} · page {page}/{pages}",
                number=lesson.number,
                title=lesson.title,
                page=page + 1,
                pages=len(lesson.pages),
            )
            + state
        )
        spent = shown.lesson_seconds(lesson.id, now)
        elapsed = (now if shown.presenting else shown.since) - shown.started
        left = self.info.plan_minutes * 60 - elapsed
        times.update(
            _(
                "planned {planned} min · spent {spent} · left of the {plan}-min plan {left}",
                planned=lesson.duration,
                spent=_clock_text(spent),
                plan=self.info.plan_minutes,
                left=_clock_text(left),
            )
        )
        self._notes(where, self._next(lesson, page))

    def _notes(self, this: tuple[Any, int] | None, following: tuple[Any, int] | None) -> None:
        none = _("(no notes for this page)")
        for part, target in (("this", this), ("next", following)):
            title = self.query_one(f"#notes-{part}-title", Static)
            body = self.query_one(f"#notes-{part}", Markdown)
            if target is None:
                title.update("")
                body.update("")
                continue
            lesson, page = target
            label = _("This page") if part == "this" else _("Next")
            title.update(f"{label}: {lesson.number}.{page + 1} {lesson.pages[page].title}")
            body.update(lesson.pages[page].notes or none)


class NotesApp(ClassFolderApp):
    """The speaker notes as an app of its own."""

    TITLE = N_("Speaker notes")

    def make_screen(self) -> Screen[Any]:
        return NotesScreen(self.info, self.course)

    def on_mount(self) -> None:
        self.animation_level = "none"
        super().on_mount()


def run_notes(info: cr.ClassInfo, course: Any) -> int:
    return NotesApp.run_for(info, course)
