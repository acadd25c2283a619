"""A summary of exercises solved per lesson, hints used and solutions revealed."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui_workshop.i18n import _

if TYPE_CHECKING:
    from tui_workshop.ui.app import WorkshopApp


class ScoreScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,s,q", "close", _("key.close"))]

    app: WorkshopApp

    def compose(self) -> ComposeResult:
        with Vertical(id="score-dialog", classes="dialog"):
            yield Static(_("score.title"), classes="dialog-title")
            yield DataTable(id="score-table", cursor_type="row")
            yield Static(id="score-total")

    def on_mount(self) -> None:
        table = self.query_one("#score-table", DataTable)
        table.add_columns(
            _("score.col.lesson"),
            _("score.col.solved"),
            _("score.col.hints"),
            _("score.col.revealed"),
        )
        for lesson in self.app.course.lessons:
            if not lesson.exercises:
                continue
            state = self.app.lesson_progress(lesson.id, create=False)
            hints = sum(state.hints.values()) if state is not None else 0
            revealed = len(state.revealed) if state is not None else 0
            table.add_row(
                _("cmd.lesson", number=lesson.number, title=lesson.title),
                f"{self.app.solved_count(lesson)}/{len(lesson.exercises)}",
                str(hints),
                str(revealed),
            )
        solved, total = self.app.score_totals()
        self.query_one("#score-total", Static).update(
            _("score.total", solved=solved, total=total)
        )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
