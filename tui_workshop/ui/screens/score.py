"""A summary of exercises solved per lesson, hints used and solutions revealed."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tui_workshop.i18n import _
from tui_workshop.ui.screens.modal import OneShotModal
from tui_workshop.ui.text import N_

if TYPE_CHECKING:
    from tui_workshop.ui.app import WorkshopApp


class ScoreScreen(OneShotModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,s,q", "close", N_("Close"))]

    app: WorkshopApp

    def compose(self) -> ComposeResult:
        with Vertical(id="score-dialog", classes="dialog"):
            yield Static(_("Score"), classes="dialog-title")
            yield DataTable(id="score-table", cursor_type="row")
            yield Static(id="score-total")
            yield Static(_("Escape closes."), classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one("#score-table", DataTable)
        # The title column gives way so that every column fits at 80 columns.
        title_width = max(20, min(60, self.app.size.width - 40))
        table.add_column(_("Lesson"), width=title_width)
        table.add_column(_("Solved"))
        table.add_column(_("Hints"))
        table.add_column(_("Solutions"))
        all_hints = all_revealed = 0
        for lesson in self.app.course.lessons:
            if not lesson.exercises:
                continue
            hints = self.app.session.hints_used(lesson)
            revealed = self.app.session.revealed_count(lesson)
            all_hints += hints
            all_revealed += revealed
            table.add_row(
                f"{lesson.number:>2} {lesson.title}",
                f"{self.app.session.solved_count(lesson)}/{len(lesson.exercises)}",
                str(hints),
                str(revealed),
                key=lesson.id,
            )
        solved, total = self.app.session.score_totals()
        self.query_one("#score-total", Static).update(
            _("Total: {solved} of {total} exercises solved", solved=solved, total=total)
            + " · "
            + _(
                "hints used: {hints} · solutions seen: {revealed}",
                hints=all_hints,
                revealed=all_revealed,
            )
        )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
