"""The workshop app: routing between screens, global keys, command palette, progress.

The app stays thin: the overview and lesson screens do the work. It owns the
course and the progress store, opens the lesson to resume (or ``start_lesson``),
keeps the "please enlarge" screen on top while the terminal is below 80x24,
and turns unexpected errors into a short message plus a traceback in a log file.

Errors go through public Textual APIs only: a failed worker arrives as a
``Worker.StateChanged`` event (logged, then one notice); an unhandled error
makes Textual exit with return code 1 and print its traceback to
``App.error_console``, which here writes to the log file instead of the
terminal, so :func:`run_app` prints a single line naming the log.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Console
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui_workshop.i18n import _
from tui_workshop.ui.screens.lesson import LessonScreen
from tui_workshop.ui.screens.small import TooSmallScreen, too_small

STYLES = Path(__file__).parent / "styles"
LOG_NAME = "tui-workshop.log"
logger = logging.getLogger("tui_workshop")


def _is_screen(screen: object, module: str, name: str) -> bool:
    """isinstance(screen, <name> of tui_workshop.ui.screens.<module>) without importing it.

    The overview and the modal screens are imported when first opened: before
    that, no screen can be one of them.
    """
    loaded = sys.modules.get(f"tui_workshop.ui.screens.{module}")
    return loaded is not None and isinstance(screen, getattr(loaded, name))


def _is_overview(screen: object) -> bool:
    return _is_screen(screen, "overview", "OverviewScreen")


def _overview() -> Screen:
    from tui_workshop.ui.screens.overview import OverviewScreen

    return OverviewScreen()


def default_log_path(store: Any = None) -> Path:
    """Next to the progress file when the state dir is set, else the user's log dir."""
    state_dir = os.environ.get("TUI_WORKSHOP_STATE_DIR")
    if state_dir:
        return Path(state_dir) / LOG_NAME
    store_path = getattr(store, "path", None)
    if store_path is not None:
        return Path(store_path).parent / LOG_NAME
    from platformdirs import user_log_dir

    return Path(user_log_dir("tui-workshop")) / LOG_NAME


def setup_logging(log_path: Path) -> None:
    """Send warnings and errors of the package to ``log_path`` (created on first write)."""
    for handler in list(logger.handlers):
        if isinstance(handler, logging.FileHandler):
            if Path(handler.baseFilename) == log_path.absolute():
                return
            logger.removeHandler(handler)  # one log file at a time
            handler.close()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


class LogStream(io.TextIOBase):
    """A text file for a Rich console that writes each print to the log as an error."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text.strip():
            logger.error("unexpected error\n%s", text.rstrip())
        return len(text)


class WorkshopApp(App[int]):
    """Built from a loaded course and a progress store; see :func:`run_app`."""

    CSS_PATH: ClassVar[list[Path]] = [STYLES / "app.tcss", STYLES / "lesson.tcss"]
    TITLE = _("Neural networks workshop")
    SUB_TITLE = _("the mathematics behind neural networks")
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", _("Help"), priority=True),
        Binding("f2", "contents", _("Contents"), priority=True),
        Binding("ctrl+q", "quit", _("Quit"), priority=True, show=False),
    ]

    def __init__(
        self,
        course: Any,
        store: Any,
        start_lesson: str | None = None,
        *,
        log_path: Path | None = None,
        class_info: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.class_info = class_info  # a ClassInfo in class mode (--class), else None
        self.classroom: Any = None  # its StudentClass once mounted
        self.course = course
        self.store = store
        self.start_lesson = start_lesson
        self.log_path = log_path or default_log_path(store)
        self.progress = store.load()
        # Textual prints a fatal error's traceback here: to the log, not the terminal.
        setup_logging(self.log_path)
        self.error_console = Console(
            file=LogStream(), markup=False, highlight=False, color_system=None, width=100
        )

    @property
    def fatal_message(self) -> str | None:
        """One line naming the log file once the app stopped on an error, else None."""
        if self.return_code:
            return _("The workshop stopped after an unexpected error. Details: {log}", log=self.log_path)
        return None

    # ---- start, size, errors -------------------------------------------------

    def on_mount(self) -> None:
        setup_logging(self.log_path)
        notice = getattr(self.store, "notice", None)
        if notice:
            self.notify(str(notice), severity="warning", timeout=10)
        lesson_id, page = self._resume_target()
        if lesson_id is None:
            self.push_screen(_overview())
        else:
            # Straight into the lesson: the overview is built when first asked for.
            self.open_lesson(lesson_id, page)
        self.call_after_refresh(self._check_size)
        if self.class_info is not None:
            self._start_class_mode()

    def _resume_target(self) -> tuple[str | None, int | None]:
        if self.start_lesson is not None:
            found = self.find_lesson(self.start_lesson)
            if found is None:
                self.notify(_("There is no lesson {lesson!r}; showing the overview.", lesson=self.start_lesson), severity="warning")
                return None, None
            return found, None
        current = self.current_lesson_id()
        if self.get_lesson(current) is not None:
            return current, None
        return None, None

    def get_lesson(self, lesson_id: str | None) -> Any:
        """The lesson with this id, or None."""
        for lesson in self.course.lessons:
            if lesson.id == lesson_id:
                return lesson
        return None

    def find_lesson(self, key: str) -> str | None:
        """A lesson id from an id, a number ("3") or a file stem ("03-neuron")."""
        key = str(key)
        if self.get_lesson(key) is not None:
            return key
        for lesson in self.course.lessons:
            if key.isdigit() and int(key) == lesson.number:
                return lesson.id
            if Path(lesson.path).stem == key:
                return lesson.id
        return None

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._check_size)

    def _check_size(self) -> None:
        width, height = self.size
        small = [s for s in self.screen_stack if isinstance(s, TooSmallScreen)]
        if too_small(width, height):
            if small:
                small[-1].update_size(width, height)
            else:
                self.push_screen(TooSmallScreen())
        elif small and self.screen is small[-1]:
            self.pop_screen()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the app that raised (with exit_on_error=False): log it, one notice."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            self.report_error(f"{type(error).__name__}: {error}", error)

    def report_error(self, summary: str, exc: BaseException | None = None) -> None:
        """Log an error with its traceback and tell the user in one line."""
        logger.error(summary, exc_info=exc)
        self.notify(
            _("Something went wrong: {error}. Details were written to {log}.", error=summary, log=self.log_path), severity="error", timeout=10
        )

    # ---- progress ------------------------------------------------------------

    def current_lesson_id(self) -> str | None:
        return getattr(self.progress, "current_lesson", None)

    def lesson_index(self, lesson_id: str) -> int:
        ids = [lesson.id for lesson in self.course.lessons]
        return ids.index(lesson_id) if lesson_id in ids else -1

    def lesson_progress(self, lesson_id: str, create: bool = True) -> Any:
        """The saved state of one lesson (a LessonProgress), created when asked."""
        lessons = self.progress.lessons
        if lesson_id not in lessons:
            if not create:
                return None
            return self.progress.lesson(lesson_id)
        return lessons[lesson_id]

    def save_progress(self) -> None:
        try:
            self.store.save(self.progress)
        except OSError as error:
            self.report_error(_("Could not save progress: {error}", error=error), error)
        if self.classroom is not None:
            self.classroom.publish()

    # ---- class mode (a class folder is set) -------------------------------------

    def _start_class_mode(self) -> None:
        from tui_workshop.ui.classroom import start_class_mode

        self.classroom = start_class_mode(self, self.class_info)

    def action_toggle_hand(self) -> None:
        if self.classroom is not None:
            self.classroom.toggle_hand()

    def on_class_notice(self, notice: Any) -> None:
        if self.classroom is not None:
            self.classroom.handle(notice)

    def on_exercise_box_checked(self, event: Any) -> None:
        # Until the course session records attempts, class mode keeps them.
        if self.classroom is not None:
            screen = self.lesson_screen()
            if screen is not None:
                self.classroom.record_attempt(
                    screen.lesson.id, event.exercise_id, event.answer, event.correct
                )

    def on_unmount(self) -> None:
        if self.classroom is not None:
            self.classroom.stop()

    def pages_seen(self, lesson: Any) -> int:
        state = self.lesson_progress(lesson.id, create=False)
        if state is None:
            return 0
        return min(len(lesson.pages), max(getattr(state, "seen", 0), state.page + 1))

    def solved_count(self, lesson: Any) -> int:
        state = self.lesson_progress(lesson.id, create=False)
        if state is None:
            return 0
        ids = {exercise.id for exercise in lesson.exercises}
        return len(ids & set(state.completed))

    def score_totals(self) -> tuple[int, int]:
        solved = sum(self.solved_count(lesson) for lesson in self.course.lessons)
        total = sum(len(lesson.exercises) for lesson in self.course.lessons)
        return solved, total

    # ---- navigation ----------------------------------------------------------

    def open_lesson(self, lesson_id: str, page: int | None = None) -> None:
        """Show a lesson (at ``page``, or where the student left it)."""
        lesson = self.get_lesson(lesson_id)
        if lesson is None:
            return
        if page is None or page < 0:
            page = self.lesson_progress(lesson_id).page
        screen = LessonScreen(lesson, page=page)
        if not isinstance(self.screen, LessonScreen):
            self._pop_to_base()
        if isinstance(self.screen, LessonScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.call_after_refresh(self._check_size)

    def _pop_to_base(self) -> None:
        """Close the screens above the overview (or above the first lesson when the
        app started in a lesson and the overview has not been built yet)."""
        while len(self.screen_stack) > 2 and not _is_overview(self.screen):
            self.pop_screen()

    def show_overview(self) -> None:
        self._pop_to_base()
        if _is_overview(self.screen):
            return
        # Started in a lesson: the overview takes the lesson's place (which stops it).
        if len(self.screen_stack) > 1:
            self.switch_screen(_overview())
        else:
            self.push_screen(_overview())

    def lesson_screen(self) -> LessonScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, LessonScreen):
                return screen
        return None

    # ---- actions -------------------------------------------------------------

    def action_help(self) -> None:
        if _is_screen(self.screen, "help", "HelpScreen"):
            self.screen.dismiss(None)
            return
        if isinstance(self.screen, TooSmallScreen):
            return
        from tui_workshop.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_contents(self) -> None:
        if _is_screen(self.screen, "toc", "TocScreen"):
            self.screen.dismiss(None)
            return
        if isinstance(self.screen, TooSmallScreen):
            return
        from tui_workshop.ui.screens.toc import TocScreen

        lesson = self.screen if isinstance(self.screen, LessonScreen) else None
        toc = TocScreen(lesson.lesson if lesson else None, lesson.page if lesson else 0)
        self.push_screen(toc, self._jump)

    def _jump(self, target: tuple[str, int] | None) -> None:
        if target is None:
            return
        lesson_id, page = target
        screen = self.screen
        if isinstance(screen, LessonScreen) and screen.lesson.id == lesson_id and page >= 0:
            screen.go_to_page(page)
        else:
            self.open_lesson(lesson_id, page)

    def action_score(self) -> None:
        from tui_workshop.ui.screens.score import ScoreScreen

        self.push_screen(ScoreScreen())

    def action_reset_lesson(self) -> None:
        screen = self.lesson_screen()
        lesson_id = screen.lesson.id if screen else self.current_lesson_id()
        lesson = self.get_lesson(lesson_id)
        if lesson is None:
            return
        question = _("Reset lesson {number} ({title})? Its progress, parameters and solved exercises will be forgotten.", number=lesson.number, title=lesson.title)

        def answered(yes: bool | None) -> None:
            if yes:
                self.reset_lesson(lesson_id)

        from tui_workshop.ui.screens.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen(question), answered)

    def reset_lesson(self, lesson_id: str) -> None:
        self.progress.reset_lesson(lesson_id)
        self.save_progress()
        screen = self.lesson_screen()
        if screen is not None and screen.lesson.id == lesson_id:
            screen.restore_from_progress()
        self._refresh_overview()
        self.notify(_("Lesson reset."))

    def action_reset_all(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.reset_all()

        from tui_workshop.ui.screens.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen(_("Reset ALL progress of the whole course?")), answered)

    def reset_all(self) -> None:
        self.progress = type(self.progress)()
        self.save_progress()
        screen = self.lesson_screen()
        if screen is not None:
            screen.restore_from_progress()
        self._refresh_overview()
        self.notify(_("All progress reset."))

    def _refresh_overview(self) -> None:
        for screen in self.screen_stack:
            if _is_overview(screen):
                screen.refresh_rows()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(_("Help"), _("Keys and a short guide"), self.action_help)
        yield SystemCommand(_("Table of contents"), _("Pages of this lesson and lessons of the course"), self.action_contents)
        yield SystemCommand(_("Overview"), _("The list of lessons"), self.show_overview)
        yield SystemCommand(_("Score"), _("Exercises solved per lesson"), self.action_score)
        yield SystemCommand(
            _("Reset lesson"), _("Forget the progress of the current lesson (asks first)"), self.action_reset_lesson
        )
        yield SystemCommand(_("Reset all progress"), _("Forget the progress of every lesson (asks first)"), self.action_reset_all)
        if self.classroom is not None:
            yield SystemCommand(
                _("Raise or lower your hand"),
                _("The instructor sees raised hands in order (F12)"),
                self.action_toggle_hand,
            )
        for lesson in self.course.lessons:
            yield SystemCommand(
                _("Lesson {number}: {title}", number=lesson.number, title=lesson.title),
                _("Open this lesson"),
                lambda lesson_id=lesson.id: self.open_lesson(lesson_id),
            )
        yield from super().get_system_commands(screen)


def run_app(
    course: Any, store: Any, start_lesson: str | None = None, class_info: Any = None
) -> int:
    """Run the workshop; 0 after a normal quit, non-zero after a fatal error."""
    log_path = default_log_path(store)
    setup_logging(log_path)
    try:
        app = WorkshopApp(course, store, start_lesson, log_path=log_path, class_info=class_info)
        app.run()
    except Exception as error:  # a failure outside Textual's own handling
        logger.error("the app could not run", exc_info=error)
        print(_("The workshop stopped after an unexpected error. Details: {log}", log=log_path), file=sys.stderr)
        return 1
    code = app.return_code
    if app.fatal_message:
        print(app.fatal_message, file=sys.stderr)
        return code or 1
    return 0 if code is None else int(code)
