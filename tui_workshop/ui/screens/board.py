"""The instructor's board: the whole class at a glance, refreshed every second.

``tui-workshop instructor --class DIR`` runs :class:`BoardApp`. One summary
line (students, median lesson, minutes against the plan, hands, ignored
files) sits above four tabs:

- Class (F2): one row per student, sortable (F6 cycles the column) and
  filtered by the text typed after ctrl+f (name, account or lesson);
- Lessons (F3): how many students are on each lesson, as bars;
- Exercises (F4): for the median lesson (F7/F8 choose another), the share that solved each
  exercise, attempts, and the most common wrong answers with their counts;
- Hands (F5): raised hands, first raised first; Enter or F9 marks the
  selected one answered, which lowers the student's hand;
- Poll (F10): the choice exercises of the lesson the instructor presents (else the
  Exercises tab's lesson); Enter opens a live poll on the selected one, which
  following students see at once; the answers come in as a bar chart without
  names; F11 closes the poll, F12 reveals the right answer to every student.

The folder is scanned in a thread worker; what students wrote is shown as
literal text (``rich.text.Text``, never markup) after
:func:`~tui_workshop.course.classroom.clean_text` removed escape sequences.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane

from tui_workshop.course import classroom as cr
from tui_workshop.i18n import _, ngettext, render
from tui_workshop.ui.screens.class_app import ClassFolderApp
from tui_workshop.ui.text import N_
from tui_workshop.ui.widgets.footer import TranslatedFooter

REFRESH_SECONDS = 1.0
SORTS = ("hand", "name", "lesson", "solved", "idle")
RECENT_START_HOURS = 8  # a class folder made this recently marks the start of the class


@dataclass
class Scanned(Message):
    """A scan of the class folder, from the worker thread."""

    scan: cr.ClassScan
    now: float

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Scanned)


def _literal(value: str, style: str = "") -> Text:
    """Untrusted text as one literal, single-line Text."""
    return Text(cr.clean_text(value, 80), style=style, no_wrap=True, overflow="ellipsis")


class BoardScreen(Screen[None]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "tab('class')", N_("Class"), priority=True),
        Binding("f3", "tab('lessons')", N_("Lessons"), priority=True),
        Binding("f4", "tab('exercises')", N_("Exercises"), priority=True),
        Binding("f5", "tab('hands')", N_("Hands"), priority=True),
        Binding("f6", "sort", N_("Sort"), priority=True),
        Binding("ctrl+f", "filter", N_("Filter"), priority=True),
        Binding("f7", "lesson(-1)", N_("Prev lesson"), priority=True, show=False),
        Binding("f8", "lesson(1)", N_("Next lesson"), priority=True, show=False),
        Binding("f9", "answered", N_("Answered"), priority=True),
        Binding("f10", "tab('poll')", N_("Poll"), priority=True),
        Binding("f11", "poll_state('closed')", N_("Close poll"), priority=True),
        Binding("f12", "poll_state('revealed')", N_("Reveal"), priority=True),
        Binding("escape", "clear_filter", N_("Clear filter"), show=False),
    ]

    DEFAULT_CSS = """
    BoardScreen #board-summary { height: auto; padding: 0 1; text-style: bold; }
    BoardScreen #board-filter { height: 1; border: none; padding: 0 1; display: none; }
    BoardScreen #board-filter.-shown { display: block; }
    BoardScreen DataTable { height: 1fr; }
    BoardScreen #board-exercise-lesson, BoardScreen .board-hint { height: auto; padding: 0 1; }
    BoardScreen TabbedContent, BoardScreen ContentSwitcher { height: 1fr; }
    BoardScreen TabPane { padding: 0; height: 1fr; }
    """

    def __init__(
        self, info: cr.ClassInfo, course: Any, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__()
        self.info = info
        self.course = course
        self.clock = clock
        self.lesson_ids = [lesson.id for lesson in course.lessons]
        self.scan = cr.ClassScan(())
        self.now = clock()
        opened = clock()
        recent = 0 < opened - info.created < RECENT_START_HOURS * 3600
        self.started = info.created if recent else opened
        self.sort = "hand"
        self.filter_text = ""
        # The lesson of the Exercises tab: the class's median lesson until F7/F8 choose one.
        self.exercise_lesson = self.lesson_ids[0] if self.lesson_ids else ""
        self.lesson_chosen = False
        self.answered: dict[str, float] = {}
        self.poll: cr.Poll | None = None
        self.presentation: cr.Presentation | None = None
        self._poll_rows: tuple[str, ...] = ()
        self._shown: tuple[Any, ...] = ()
        self._cache: cr.ScanCache = {}  # only the scanning thread uses it

    def compose(self) -> ComposeResult:
        yield Static(id="board-summary", markup=False)
        with TabbedContent(initial="class"):
            with TabPane(_("Class"), id="class"):
                yield Input(placeholder=_("filter: name, account or lesson"), id="board-filter")
                yield DataTable(id="board-class", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Lessons"), id="lessons"):
                yield Static(id="board-lessons", markup=False)
            with TabPane(_("Exercises"), id="exercises"):
                yield Static(id="board-exercise-lesson", markup=False)
                yield DataTable(id="board-exercises", cursor_type="row")
            with TabPane(_("Hands"), id="hands"):
                yield Static(
                    _("Enter or F9: the selected question is answered (the hand goes down)."),
                    classes="board-hint",
                    markup=False,
                )
                yield DataTable(id="board-hands", cursor_type="row")
            with TabPane(_("Poll"), id="poll"):
                yield Static(id="board-poll-lesson", classes="board-hint", markup=False)
                yield DataTable(id="board-poll-exercises", cursor_type="row")
                yield Static(id="board-poll-chart", markup=False)
        yield TranslatedFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#board-class", DataTable).add_columns(
            _("name"), _("lesson"), _("page"), _("solved"), _("hand"), _("idle")
        )
        self.query_one("#board-exercises", DataTable).add_columns(
            _("exercise"), _("solved"), _("attempts"), _("common wrong answers")
        )
        self.query_one("#board-hands", DataTable).add_columns(
            "#", _("name"), _("lesson"), _("waiting")
        )
        self.query_one("#board-poll-exercises", DataTable).add_columns(_("exercise"), _("question"))
        self.refresh_now()
        self.set_interval(REFRESH_SECONDS, self._scan_in_thread)

    # ---- data ------------------------------------------------------------------

    def refresh_now(self) -> None:
        """Scan on this thread and redraw (start-up, tests, the benchmark)."""
        self.show(cr.scan_class(self.info.folder, cache=self._cache), self.clock(), force=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="board-scan")
    def _scan_in_thread(self) -> None:
        scan = cr.scan_class(self.info.folder, cache=self._cache)
        self.post_message(Scanned(scan, self.clock()))

    def on_scanned(self, message: Scanned) -> None:
        self.show(message.scan, message.now)

    def show(self, scan: cr.ClassScan, now: float, force: bool = False) -> None:
        answered = cr.read_answered(self.info)
        self.poll = cr.read_poll(self.info)
        self.presentation = cr.read_presentation(self.info)
        # Redraw only when something shown changed (minutes idle change once a minute).
        seen = (scan, answered, int(now // 60), self.poll, self.presentation)
        if not force and seen == self._shown:
            return
        self._shown = seen
        self.scan = scan
        self.now = now
        self.answered = answered
        if not self.lesson_chosen:
            median = cr.median_lesson(scan.students, self.lesson_ids)
            self.exercise_lesson = median or self.exercise_lesson
        self._show_summary()
        self._show_tab()

    def _show_tab(self) -> None:
        """Redraw the tab on screen only (the others when they are opened)."""
        tab = self.query_one(TabbedContent).active or "class"
        draw = {
            "class": self._show_class,
            "lessons": self._show_lessons,
            "exercises": self._show_exercises,
            "hands": self._show_hands,
            "poll": self._show_poll,
        }
        draw.get(tab, self._show_class)()

    @on(TabbedContent.TabActivated)
    def _tab_opened(self) -> None:
        self._show_tab()

    def _lesson_label(self, lesson_id: str | None) -> str:
        if lesson_id is None:
            return "–"
        if lesson_id in self.lesson_ids:
            return f"{self.lesson_ids.index(lesson_id) + 1}"
        return lesson_id

    def _open_hands(self) -> list[cr.StudentStatus]:
        """Raised hands not yet marked answered, in order."""
        hands = []
        for student in cr.raised_hands(self.scan.students):
            key = self._key(student)
            if self.answered.get(key, -1.0) < (student.hand or 0.0):
                hands.append(student)
        return hands

    def _key(self, student: cr.StudentStatus) -> str:
        """The student's file stem (the account, or account~name)."""
        return student.key or student.user

    def _show_summary(self) -> None:
        students = self.scan.students
        median = cr.median_lesson(students, self.lesson_ids)
        minutes = max(0, int((self.now - self.started) // 60))
        parts = [
            ngettext("{n} student", "{n} students", len(students)),
            _("median lesson {lesson}", lesson=self._lesson_label(median)),
            _("{minutes} of {plan} min", minutes=minutes, plan=self.info.plan_minutes),
            ngettext("{n} hand up", "{n} hands up", len(self._open_hands())),
        ]
        if self.poll is not None and self.poll.state != "revealed":
            answers = sum(cr.poll_counts(self.scan.students, self.poll, cr.MAX_CHOICES))
            parts.append(ngettext("poll: {n} answer", "poll: {n} answers", answers))
        if self.scan.ignored:
            parts.append(ngettext("{n} file ignored", "{n} files ignored", self.scan.ignored))
        if self.scan.error is not None:
            parts.append(render(self.scan.error))
        self.query_one("#board-summary", Static).update(" · ".join(parts))

    def _sorted_students(self) -> list[cr.StudentStatus]:
        students = list(self.scan.students)
        needle = self.filter_text.lower()
        if needle:
            students = [
                s
                for s in students
                if needle in s.name.lower()
                or needle in s.user.lower()
                or needle in (s.lesson or "")
                or needle == self._lesson_label(s.lesson)
            ]
        order = {lesson: index for index, lesson in enumerate(self.lesson_ids)}
        keys: dict[str, Callable[[cr.StudentStatus], Any]] = {
            "name": lambda s: (s.name.lower(), s.user),
            "lesson": lambda s: (order.get(s.lesson or "", -1), s.page, s.name.lower()),
            "solved": lambda s: (-s.solved_count(), s.name.lower()),
            "idle": lambda s: (-cr.idle_minutes(s, self.now), s.name.lower()),
            "hand": lambda s: (s.hand is None, s.hand or 0.0, s.name.lower()),
        }
        return sorted(students, key=keys[self.sort])

    def _show_class(self) -> None:
        table = self.query_one("#board-class", DataTable)
        selected = None
        if table.row_count and table.cursor_row >= 0:
            selected = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        table.clear()
        open_hands = {self._key(s) for s in self._open_hands()}
        for student in self._sorted_students():
            key = self._key(student)
            hand = Text("✋", style="bold") if key in open_hands else Text("")
            table.add_row(
                _literal(student.name),
                Text(self._lesson_label(student.lesson)),
                Text(str(student.page + 1)),
                Text(str(student.solved_count())),
                hand,
                Text(str(cr.idle_minutes(student, self.now))),
                key=key,
            )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)

    def _show_lessons(self) -> None:
        counts = cr.lesson_counts(self.scan.students, self.lesson_ids)
        most = max((n for _lesson, n in counts), default=0) or 1
        width = 36
        text = Text(no_wrap=True, overflow="ellipsis")
        titles = {lesson.id: lesson.title for lesson in self.course.lessons}
        for lesson_id, count in counts:
            title = titles.get(lesson_id, lesson_id)
            label = f"{self._lesson_label(lesson_id):>2} {title[:24]:<24} "
            text.append(label)
            text.append("█" * round(width * count / most), style="bold")
            text.append(f" {count}\n")
        self.query_one("#board-lessons", Static).update(text)

    def _show_exercises(self) -> None:
        lesson = next((x for x in self.course.lessons if x.id == self.exercise_lesson), None)
        table = self.query_one("#board-exercises", DataTable)
        table.clear()
        if lesson is None:
            return
        self.query_one("#board-exercise-lesson", Static).update(
            _(
                "Lesson {number}: {title} (F7/F8 another lesson)",
                number=lesson.number,
                title=lesson.title,
            )
        )
        ids = [exercise.id for exercise in lesson.exercises]
        for row in cr.exercise_stats(self.scan.students, lesson.id, ids):
            wrong = Text(no_wrap=True, overflow="ellipsis")
            for index, (answer, count) in enumerate(row.common_wrong):
                if index:
                    wrong.append("  ")
                wrong.append(cr.clean_text(answer, cr.MAX_ANSWER))
                wrong.append(f" ×{count}", style="bold")
            table.add_row(
                Text(row.exercise),
                Text(f"{row.solved}/{row.students}"),
                Text(str(row.attempts)),
                wrong,
                key=row.exercise,
            )

    def _show_hands(self) -> None:
        table = self.query_one("#board-hands", DataTable)
        cursor = table.cursor_row
        table.clear()
        for index, student in enumerate(self._open_hands(), start=1):
            key = self._key(student)
            waited = max(0, int(self.now - (student.hand or self.now)))
            table.add_row(
                Text(str(index)),
                _literal(student.name),
                Text(self._lesson_label(student.lesson)),
                Text(f"{waited // 60}:{waited % 60:02d}"),
                key=key,
            )
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1), animate=False)

    def poll_lesson(self) -> Any:
        """The lesson polls are taken from: the presented one, else the Exercises tab's."""
        shown = self.presentation
        wanted = shown.lesson if shown is not None and shown.presenting else None
        wanted = wanted if wanted in self.lesson_ids else self.exercise_lesson
        return next((x for x in self.course.lessons if x.id == wanted), None)

    def _poll_exercise(self, poll: cr.Poll) -> Any:
        lesson = next((x for x in self.course.lessons if x.id == poll.lesson), None)
        if lesson is None:
            return None
        return next((e for e in lesson.exercises if e.id == poll.exercise), None)

    def _show_poll(self) -> None:
        lesson = self.poll_lesson()
        table = self.query_one("#board-poll-exercises", DataTable)
        choices = (
            [e for e in lesson.exercises if e.kind == "choice" and e.choices] if lesson else []
        )
        rows = tuple(e.id for e in choices)
        if rows != self._poll_rows:
            self._poll_rows = rows
            cursor = table.cursor_row
            table.clear()
            for exercise in choices:
                table.add_row(
                    Text(exercise.id),
                    Text(" ".join(exercise.prompt.split()), no_wrap=True, overflow="ellipsis"),
                    key=exercise.id,
                )
            if table.row_count:
                table.move_cursor(row=min(max(cursor, 0), table.row_count - 1), animate=False)
        if lesson is None:
            hint = _("No lesson to poll on.")
        elif not choices:
            hint = _("Lesson {number} has no choice exercise to poll on.", number=lesson.number)
        else:
            hint = _(
                "Lesson {number}: Enter opens a poll on the selected exercise;"
                " F11 closes it, F12 reveals the answer.",
                number=lesson.number,
            )
        self.query_one("#board-poll-lesson", Static).update(hint)
        self.query_one("#board-poll-chart", Static).update(self._poll_chart())

    def _poll_chart(self) -> Text:
        """The live answers of the current poll as bars, without names."""
        poll = self.poll
        text = Text(no_wrap=True, overflow="ellipsis")
        exercise = self._poll_exercise(poll) if poll is not None else None
        if poll is None or exercise is None:
            text.append(_("No poll yet."))
            return text
        states = {
            "open": _("open"),
            "closed": _("closed"),
            "revealed": _("answer revealed"),
        }
        counts = cr.poll_counts(self.scan.students, poll, len(exercise.choices))
        total = sum(counts)
        text.append(
            _(
                "Poll on {exercise} ({state}): {answers}",
                exercise=exercise.id,
                state=states.get(poll.state, poll.state),
                answers=ngettext("{n} answer", "{n} answers", total),
            )
            + "\n",
            style="bold",
        )
        text.append(" ".join(exercise.prompt.split())[:200] + "\n")
        most = max(counts, default=0) or 1
        width = 30
        for index, (choice, count) in enumerate(zip(exercise.choices, counts, strict=True)):
            right = poll.state == "revealed" and index == exercise.answer
            mark = "✔" if right else " "
            text.append(f"{mark}{index + 1}. {choice[:28]:<28} ", style="bold" if right else "")
            text.append("█" * round(width * count / most), style="bold")
            share = f" {count} ({round(100 * count / total)}%)\n" if total else f" {count}\n"
            text.append(share)
        return text

    def _written(self, write: Callable[..., object], *args: Any) -> bool:
        """Runs ``write(*args)``, a change to the class folder; when it fails, says why."""
        try:
            write(*args)
        except OSError as error:
            self.notify(
                _("Could not write to the class folder: {error}", error=error.strerror or error),
                severity="error",
            )
            return False
        return True

    @on(DataTable.RowSelected, "#board-poll-exercises")
    def _poll_exercise_selected(self, event: DataTable.RowSelected) -> None:
        lesson = self.poll_lesson()
        exercise_id = event.row_key.value
        if lesson is None or exercise_id is None:
            return
        if not self._written(cr.open_poll, self.info, lesson.id, str(exercise_id), self.clock):
            return
        self.notify(_("Poll opened on {exercise}.", exercise=exercise_id), timeout=3)
        self.show(self.scan, self.now, force=True)

    def action_poll_state(self, state: str) -> None:
        poll = self.poll
        if poll is None:
            self.notify(_("No poll is open: F10, then Enter on an exercise."), timeout=3)
            return
        if not self._written(cr.write_poll, self.info, replace(poll, state=state)):
            return
        self.show(self.scan, self.now, force=True)
        if self.query_one(TabbedContent).active != "poll":
            self.action_tab("poll")

    # ---- actions ---------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._show_tab()
        table_id = {
            "class": "#board-class",
            "exercises": "#board-exercises",
            "hands": "#board-hands",
            "poll": "#board-poll-exercises",
        }
        if tab in table_id:
            self.query_one(table_id[tab]).focus()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        labels = {
            "hand": _("hand"),
            "name": _("name"),
            "lesson": _("lesson"),
            "solved": _("solved"),
            "idle": _("idle"),
        }
        self.notify(_("Sorted by {column}", column=labels[self.sort]), timeout=2)
        self._show_class()

    def action_filter(self) -> None:
        self.action_tab("class")
        field = self.query_one("#board-filter", Input)
        field.add_class("-shown")
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#board-filter", Input)
        field.value = ""
        field.remove_class("-shown")
        self.query_one("#board-class").focus()

    @on(Input.Changed, "#board-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self._show_class()

    @on(Input.Submitted, "#board-filter")
    def _filter_done(self) -> None:
        self.query_one("#board-class").focus()

    def action_lesson(self, offset: int) -> None:
        if not self.lesson_ids:
            return
        index = (
            self.lesson_ids.index(self.exercise_lesson)
            if self.exercise_lesson in self.lesson_ids
            else 0
        )
        self.exercise_lesson = self.lesson_ids[(index + offset) % len(self.lesson_ids)]
        self.lesson_chosen = True
        self.action_tab("exercises")

    @on(DataTable.RowSelected, "#board-hands")
    def _hand_selected(self) -> None:
        self.action_answered()

    def action_answered(self) -> None:
        if self.query_one(TabbedContent).active != "hands":
            self.action_tab("hands")
            return
        table = self.query_one("#board-hands", DataTable)
        hands = self._open_hands()
        if not hands or not 0 <= table.cursor_row < len(hands):
            self.notify(_("No raised hand selected."), timeout=2)
            return
        student = hands[table.cursor_row]
        if not self._written(cr.mark_answered, self.info, self._key(student), student.hand or 0.0):
            return
        self.show(self.scan, self.now, force=True)


class BoardApp(ClassFolderApp):
    """The instructor's board as an app of its own."""

    TITLE = N_("Class board")

    def make_screen(self) -> Screen[Any]:
        return BoardScreen(self.info, self.course)


def run_board(info: cr.ClassInfo, course: Any) -> int:
    return BoardApp.run_for(info, course)
