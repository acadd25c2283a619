"""The list of lessons: number, title, duration, progress; objectives of the highlighted one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tui_workshop.i18n import _

if TYPE_CHECKING:
    from tui_workshop.course.model import Lesson
    from tui_workshop.ui.app import WorkshopApp


class OverviewScreen(Screen[None]):
    """Every lesson of the course; Enter opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", _("key.open")),
        Binding("s", "app.score", _("key.score")),
    ]

    app: WorkshopApp

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="overview-body"):
            yield DataTable(id="lessons", cursor_type="row", zebra_stripes=True)
            with Vertical(id="overview-side"):
                yield Static(id="lesson-objectives")
        yield Static(id="overview-total")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("app.title")
        self.sub_title = _("overview.title")
        table = self.query_one("#lessons", DataTable)
        table.add_column(_("overview.col.number"), key="number")
        table.add_column(_("overview.col.title"), key="title")
        table.add_column(_("overview.col.duration"), key="duration")
        table.add_column(_("overview.col.pages"), key="pages")
        table.add_column(_("overview.col.exercises"), key="exercises")
        self.refresh_rows()
        current = self.app.current_lesson_id()
        if self.app.get_lesson(current) is not None:
            table.move_cursor(row=self.app.lesson_index(current))
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Rebuild the rows from the course and the saved progress."""
        table = self.query_one("#lessons", DataTable)
        row = table.cursor_row
        table.clear()
        for lesson in self.app.course.lessons:
            title = lesson.title + (f" {_('overview.optional')}" if lesson.optional else "")
            table.add_row(
                str(lesson.number),
                title,
                str(lesson.duration),
                self._pages_cell(lesson),
                self._exercises_cell(lesson),
                key=lesson.id,
            )
        if not self.app.course.lessons:
            self.query_one("#lesson-objectives", Static).update(_("overview.empty"))
        elif row is not None and 0 <= row < table.row_count:
            table.move_cursor(row=row)
        solved, total = self.app.score_totals()
        self.query_one("#overview-total", Static).update(
            _("overview.total", solved=solved, total=total) + "   " + _("overview.hint")
        )
        self._show_objectives(table.cursor_row)

    def _pages_cell(self, lesson: Lesson) -> str:
        seen = self.app.pages_seen(lesson)
        return f"{seen}/{len(lesson.pages)}" if seen else f"-/{len(lesson.pages)}"

    def _exercises_cell(self, lesson: Lesson) -> str:
        if not lesson.exercises:
            return "-"
        return f"{self.app.solved_count(lesson)}/{len(lesson.exercises)}"

    def _show_objectives(self, row: int | None) -> None:
        lessons = self.app.course.lessons
        if row is None or not 0 <= row < len(lessons):
            return
        lesson = lessons[row]
        text = Text(_("lesson.heading", number=lesson.number, title=lesson.title), style="bold")
        lines = [""]
        if lesson.objectives:
            lines.append(_("overview.objectives"))
            lines.extend(f" • {item}" for item in lesson.objectives)
        else:
            lines.append(_("overview.no_objectives"))
        text.append("\n" + "\n".join(lines), style="")
        self.query_one("#lesson-objectives", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_objectives(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.app.open_lesson(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one("#lessons", DataTable)
        lessons = self.app.course.lessons
        if lessons and table.cursor_row is not None:
            self.app.open_lesson(lessons[table.cursor_row].id)
