"""The list of lessons: number, title, duration, progress; objectives of the highlighted one.

At 80x24 the table takes the full width (#, lesson, min, pages seen, exercises
solved, a check mark when complete) and the highlighted lesson's objectives sit
in a pane below it; from 120 columns the objectives move to the right. When the
course has a plan (``course.toml``), a heading row opens each of its parts and
the break and closing discussion have rows of their own, where they fall. A
footer line gives the core duration, the plan and the score; first-time users
get a one-line hint on the keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tui_workshop.i18n import _
from tui_workshop.ui.text import N_
from tui_workshop.ui.widgets.footer import TranslatedFooter

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from tui_workshop.course.loader import Part, Session
    from tui_workshop.course.model import Lesson
    from tui_workshop.ui.app import WorkshopApp

WIDE_MIN_WIDTH = 120
DONE_MARK = "✓"


def is_lesson(item: Lesson | Part | Session) -> TypeIs[Lesson]:
    """A lesson row, not a part heading, the break or the discussion."""
    return hasattr(item, "pages")


def format_minutes(minutes: int) -> str:
    """'45 min', '1 h', '2 h 05 min'."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("{minutes} min", minutes=rest)
    if not rest:
        return _("{hours} h", hours=hours)
    return _("{hours} h {minutes} min", hours=hours, minutes=f"{rest:02d}")


class OverviewScreen(Screen[None]):
    """Every lesson of the course; Enter opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open")),
        Binding("s", "app.score", N_("Score")),
    ]

    app: WorkshopApp

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # what each table row shows: a lesson, a part heading or the break/discussion
        self._rows: list[Lesson | Part | Session] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Enter opens a lesson · F1 help · ctrl+p commands"), id="overview-hint")
        with Container(id="overview-body"):
            yield DataTable(id="lessons", cursor_type="row", zebra_stripes=True)
            yield Static(id="lesson-objectives")
        yield Static(id="overview-total")
        yield TranslatedFooter()

    def on_mount(self) -> None:
        self.title = _("Neural networks workshop")
        self.sub_title = _("Lessons")
        first_time = self.app.session.first_time
        self.query_one("#overview-hint").display = first_time
        table = self.query_one("#lessons", DataTable)
        table.add_column(_("#"), key="number")
        table.add_column(_("Lesson"), key="title")
        table.add_column(_("Min"), key="duration")
        table.add_column(_("Pages"), key="pages")
        table.add_column(_("Solved"), key="exercises")
        table.add_column(_("✓"), key="done")
        self.refresh_rows()
        current = self.app.session.lesson(self.app.session.current_lesson)
        if current is not None:
            table.move_cursor(row=self.row_of(current.id))
        table.focus()
        self._apply_width(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width >= WIDE_MIN_WIDTH, "-wide")

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Rebuild the rows from the course and the saved progress."""
        table = self.query_one("#lessons", DataTable)
        row = table.cursor_row
        table.clear()
        self._rows = []
        course = self.app.course
        lessons = course.lessons
        schedule = getattr(course, "schedule", None)
        if schedule is not None and schedule.parts:
            for part in schedule.parts:
                of_part = course.lessons_of_part(part.number)
                self._add_part(table, part, of_part)
                for lesson in of_part:
                    self._add_lesson(table, lesson)
                for session in schedule.sessions_after(part.number):
                    self._add_session(table, session)
        else:
            for lesson in lessons:
                self._add_lesson(table, lesson)
        if not lessons:
            self.query_one("#lesson-objectives", Static).update(_("No lessons were found."))
        elif row is not None and 0 <= row < table.row_count:
            table.move_cursor(row=row)
        self.query_one("#overview-total", Static).update(self.total_line())
        self._show_objectives(table.cursor_row)

    def _add_lesson(self, table: DataTable, lesson: Lesson) -> None:
        title = Text(lesson.title)
        if lesson.optional:
            title.append(" " + _("(optional)"), style="italic")
        table.add_row(
            str(lesson.number),
            title,
            str(lesson.duration),
            self._pages_cell(lesson),
            self._exercises_cell(lesson),
            DONE_MARK if self.is_complete(lesson) else "",
            key=lesson.id,
        )
        self._rows.append(lesson)

    def _add_part(self, table: DataTable, part: Part, lessons: tuple[Lesson, ...]) -> None:
        minutes = sum(lesson.duration for lesson in lessons if not lesson.optional)
        title = Text(_("Part {number}: {title}", number=part.number, title=part.title),
                     style="bold reverse")
        table.add_row("", title, str(minutes), "", "", "",
                      key=f"part-{part.number}")
        self._rows.append(part)

    def _add_session(self, table: DataTable, session: Session) -> None:
        title = Text("— " + session.title, style="bold italic")
        table.add_row("", title, str(session.minutes), "", "", "",
                      key=f"session-{len(self._rows)}")
        self._rows.append(session)

    def row_of(self, lesson_id: str) -> int:
        """The table row that shows lesson ``lesson_id`` (0 when none does)."""
        for row, item in enumerate(self._rows):
            if getattr(item, "id", None) == lesson_id:
                return row
        return 0

    def lesson_at(self, row: int | None) -> Lesson | None:
        """The lesson of a table row; None for a part heading, the break or discussion."""
        if row is None or not 0 <= row < len(self._rows):
            return None
        item = self._rows[row]
        return item if is_lesson(item) else None

    def total_line(self) -> str:
        lessons = self.app.course.lessons
        core = sum(lesson.duration for lesson in lessons if not lesson.optional)
        extra = sum(lesson.duration for lesson in lessons if lesson.optional)
        solved, total = self.app.session.score_totals()
        parts = [_("Core course: {time}", time=format_minutes(core))]
        if extra:
            parts[0] += " " + _("(+{time} optional)", time=format_minutes(extra))
        parts.append(_("Exercises solved: {solved} of {total}", solved=solved, total=total))
        return " · ".join(parts)

    def is_complete(self, lesson: Lesson) -> bool:
        """Every page seen and every exercise solved."""
        return self.app.session.is_complete(lesson)

    def _pages_cell(self, lesson: Lesson) -> str:
        seen = self.app.session.pages_seen(lesson)
        return f"{seen}/{len(lesson.pages)}" if seen else f"-/{len(lesson.pages)}"

    def _exercises_cell(self, lesson: Lesson) -> str:
        if not lesson.exercises:
            return "-"
        return f"{self.app.session.solved_count(lesson)}/{len(lesson.exercises)}"

    def _show_objectives(self, row: int | None) -> None:
        if row is None or not 0 <= row < len(self._rows):
            return
        lesson = self._rows[row]
        if not is_lesson(lesson):
            self.query_one("#lesson-objectives", Static).update(self._item_text(lesson))
            return
        text = Text(
            _("Lesson {number}: {title}", number=lesson.number, title=lesson.title), style="bold"
        )
        text.append("  " + _("{minutes} min", minutes=lesson.duration), style="dim")
        if lesson.objectives:
            for item in lesson.objectives:
                text.append(f"\n • {item}")
        else:
            text.append("\n" + _("No objectives listed."))
        self.query_one("#lesson-objectives", Static).update(text)

    def _item_text(self, item: Part | Session) -> Text:
        """What the pane says about a part heading, the break or the discussion."""
        if hasattr(item, "number"):
            lessons = self.app.course.lessons_of_part(item.number)
            core = [lesson for lesson in lessons if not lesson.optional]
            text = Text(_("Part {number}: {title}", number=item.number, title=item.title),
                        style="bold")
            text.append("  " + format_minutes(sum(lesson.duration for lesson in core)),
                        style="dim")
            text.append("\n" + _("{count} lessons, {optional} optional", count=len(lessons),
                                  optional=len(lessons) - len(core)))
        else:
            text = Text(item.title, style="bold")
            text.append("  " + _("{minutes} min", minutes=item.minutes), style="dim")
        course = self.app.course
        if course.schedule.minutes:
            text.append("\n" + _("The plan: core lessons {core} + break and discussion {extra}"
                                  " = {planned} of {minutes}",
                                  core=format_minutes(course.core_duration),
                                  extra=format_minutes(course.schedule.extra_minutes),
                                  planned=format_minutes(course.planned_duration),
                                  minutes=format_minutes(course.schedule.minutes)))
        return text

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_objectives(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        lesson = self.lesson_at(event.cursor_row)
        if lesson is not None:
            self.app.open_lesson(lesson.id)

    def action_open(self) -> None:
        table = self.query_one("#lessons", DataTable)
        lesson = self.lesson_at(table.cursor_row)
        if lesson is not None:
            self.app.open_lesson(lesson.id)
