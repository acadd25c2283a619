"""The workshop app: routing between screens, global keys, command palette, progress.

The app stays thin: the overview and lesson screens do the work. It owns the
course and the progress store, opens the lesson to resume (or ``start_lesson``),
keeps the "please enlarge" screen on top while the terminal is below 80x24,
and turns unexpected errors into a short message plus a traceback in a log file.

Languages: every text is an English msgid translated when shown (bindings are
marked with ``N_`` and translated by the footer and the help). The command
palette offers "Language: …" for each language whose lessons exist (and the
pseudo-locale when ``TUI_WORKSHOP_PSEUDO=1``): :meth:`WorkshopApp.switch_language`
reloads the course in that language and re-opens the lesson at the same page;
parameters and solved exercises follow, as progress is keyed by lesson id.

Errors go through public Textual APIs only: a failed worker arrives as a
``Worker.StateChanged`` event (logged, then one notice); an unhandled error
makes Textual exit with return code 1 and print its traceback to
``App.error_console``, which here writes to the log file instead of the
terminal, so :func:`run_app` prints a single line naming the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING, Any, ClassVar, cast

from rich.console import Console
from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui_workshop.course.session import CourseSession
from tui_workshop.experiments.schema import excerpt
from tui_workshop.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    PSEUDO,
    _,
    get_language,
    normalise,
    render,
    set_language,
    translate,
)
from tui_workshop.i18n.message import Msg
from tui_workshop.ui import palette, textual_fixes  # noqa: F401 (applied on import)
from tui_workshop.ui.screens.lesson import LessonScreen
from tui_workshop.ui.screens.small import TooSmallScreen, too_small
from tui_workshop.ui.text import N_
from tui_workshop.ui.translated_app import TranslatedApp
from tui_workshop.ui.worker import freeze_lasting_objects, thaw_lasting_objects

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from tui_workshop.ui.screens.overview import OverviewScreen

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


def _is_overview(screen: object) -> TypeIs[OverviewScreen]:
    return _is_screen(screen, "overview", "OverviewScreen")


def _overview() -> Screen:
    from tui_workshop.ui.screens.overview import OverviewScreen

    return OverviewScreen()


EXIT_GRACE_SECONDS = 5.0


def arm_exit_watchdog(code: int, grace: float = EXIT_GRACE_SECONDS) -> threading.Timer:
    """End the process with ``code`` after ``grace`` seconds unless it ended by itself
    (a daemon timer: a normal exit does not wait for it)."""
    timer = threading.Timer(grace, os._exit, args=(code,))
    timer.daemon = True
    timer.start()
    return timer


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


class SafeFileHandler(logging.FileHandler):
    """A log file opened without following a symlink, failing quietly.

    ``O_NOFOLLOW`` refuses a log path that is a symlink (where the platform
    has it; elsewhere the path is checked first). A failure to open or write
    never prints to the terminal the app draws on: ``failed`` records it, and
    :meth:`written` tells whether the file holds anything a notice may point to.
    """

    failed = False

    def _open(self) -> io.TextIOWrapper:
        path = self.baseFilename
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        if not nofollow and os.path.islink(path):
            raise OSError(f"refusing to log through a symlink: {path}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | nofollow
        descriptor = os.open(path, flags, 0o600)
        return os.fdopen(descriptor, "a", encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        try:
            super().emit(record)  # opens the file on first use: may raise
        except OSError:
            self.failed = True

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed = True

    def written(self) -> bool:
        if self.failed:
            return False
        try:
            return os.path.getsize(self.baseFilename) > 0
        except OSError:
            return False


def setup_logging(log_path: Path) -> None:
    """Send warnings and errors of the package to ``log_path`` (created on first write)."""
    for handler in list(logger.handlers):
        if isinstance(handler, logging.FileHandler):
            if Path(handler.baseFilename) == log_path.absolute():
                return
            logger.removeHandler(handler)  # one log file at a time
            handler.close()
    # If this fails, the handler fails quietly on first write; notices then name no log.
    with contextlib.suppress(OSError):
        log_path.parent.mkdir(parents=True, exist_ok=True)
    handler = SafeFileHandler(log_path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


# Each language named in its own words (not translated).
LANGUAGE_NAMES = {"en": "English", "pt-BR": "Português (Brasil)", PSEUDO: "Pseudo (qps-ploc)"}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def offered_languages() -> list[str]:
    """Languages whose lessons exist, plus the pseudo-locale when TUI_WORKSHOP_PSEUDO=1."""
    from tui_workshop.course.loader import available_languages

    found = set(available_languages())
    offered = [code for code in LANGUAGES if code in found]
    if os.environ.get("TUI_WORKSHOP_PSEUDO") == "1":
        offered.append(PSEUDO)
    return offered


def load_course_for(lang: str) -> Any:
    """The course in ``lang`` (the pseudo-locale's lessons come from the English ones)."""
    from tui_workshop.course.loader import find_lessons_dir, load_course

    if lang == PSEUDO:
        return load_course(find_lessons_dir(DEFAULT_LANGUAGE), lang=PSEUDO)
    return load_course(find_lessons_dir(lang), lang=lang)


def log_written(log_path: Path) -> bool:
    """True when the package's log handler for ``log_path`` has written it."""
    for handler in logger.handlers:
        if isinstance(handler, SafeFileHandler) and Path(handler.baseFilename) == (
            log_path.absolute()
        ):
            return handler.written()
    return False


def stopped_message(log_path: Path) -> str:
    """The line printed after a fatal error; it names the log only when written."""
    if log_written(log_path):
        return _("The workshop stopped after an unexpected error. Details: {log}", log=log_path)
    return _("The workshop stopped after an unexpected error.")


COLOR_SYSTEMS = ("auto", "standard", "256", "truecolor", "windows")


def checked_color_system() -> str | None:
    """Make Textual's TEXTUAL_COLOR_SYSTEM usable; the unknown value replaced, else None.

    Textual reads the variable when imported and gives it to Rich, which raises
    on an unknown value: the app could not start. An unknown value becomes
    "auto" (the terminal's own colours).
    """
    from textual import constants

    value = constants.COLOR_SYSTEM
    if value is None or value in COLOR_SYSTEMS:
        return None
    lowered = str(value).strip().lower()
    constants.COLOR_SYSTEM = lowered if lowered in COLOR_SYSTEMS else "auto"  # type: ignore[misc]
    return None if lowered in COLOR_SYSTEMS else str(value)


class LogStream(io.TextIOBase):
    """A text file for a Rich console that writes each print to the log as an error."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text.strip():
            logger.error("unexpected error\n%s", text.rstrip())
        return len(text)


class ProgressNotice(Message, bubble=False):
    """A notice from the progress saver thread (saving failed)."""

    def __init__(self, notice: Msg) -> None:
        super().__init__()
        self.notice = notice


class WorkshopApp(TranslatedApp):
    """Built from a loaded course and a progress store; see :func:`run_app`."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES / "app.tcss", STYLES / "lesson.tcss"]
    # English msgids; translated on mount and when the language changes.
    TITLE = N_("Neural networks workshop")
    SUB_TITLE = N_("the mathematics behind neural networks")
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", N_("Help"), priority=True),
        Binding("f2", "contents", N_("Contents"), priority=True),
        Binding("ctrl+g", "glossary", N_("Glossary"), priority=True, show=False),
        Binding("ctrl+q", "quit", N_("Quit"), priority=True, show=False),
    ]

    def __init__(
        self,
        course: Any,
        store: Any,
        start_lesson: str | None = None,
        *,
        log_path: Path | None = None,
        session: CourseSession | None = None,
        handle_signals: bool = False,
        freeze_lasting: bool = False,
        course_loader: Callable[[str], Any] | None = None,
        class_info: Any = None,
        present: bool = False,
        **kwargs: Any,
    ) -> None:
        self.bad_color_system = checked_color_system()
        super().__init__(**kwargs)
        palette.use_plain_colors(self)  # NO_COLOR, TERM=dumb: default colours and attributes
        self.class_info = class_info  # a ClassInfo in class mode (--class), else None
        self.classroom: Any = None  # its StudentClass once mounted
        self.present = present and class_info is not None  # --present: the instructor shows
        self.presenter: Any = None  # its Presenter once mounted
        self.course = course
        # lang -> Course, for the language command (tests pass their own).
        self.course_loader = course_loader or load_course_for
        self.store = store
        self.start_lesson = start_lesson
        self.log_path = log_path or default_log_path(store)
        # The course logic (lookup, pages seen, scores, saving) lives in the session.
        self.session = session or CourseSession(course, store)
        self.session.on_notice = self._post_notice
        self.handle_signals = handle_signals
        # The process is this app's: what is alive once it is mounted lasts as long.
        self.freeze_lasting = freeze_lasting
        self.stopped_by_signal: int | None = None
        # Textual prints a fatal error's traceback here: to the log, not the terminal.
        setup_logging(self.log_path)
        # cast: typeshed's io.TextIOBase is not a typing.IO, though it is a text file.
        self.error_console = Console(
            file=cast(IO[str], LogStream()),
            markup=False,
            highlight=False,
            color_system=None,
            width=100,
        )

    def _post_notice(self, notice: Msg) -> None:
        """A notice from the progress saver (any thread): shown by the app."""
        self.post_message(ProgressNotice(notice))

    @property
    def fatal_message(self) -> str | None:
        """One line (naming the log file if it holds the details) after an error, else None."""
        if self.return_code:
            return stopped_message(self.log_path)
        return None

    # ---- start, size, errors -------------------------------------------------

    def on_mount(self) -> None:
        if self.freeze_lasting:
            freeze_lasting_objects()
        setup_logging(self.log_path)
        if self.handle_signals:
            self._install_signal_handlers()
        self._translate_titles()
        notice = self.session.notice
        if notice:
            self.notify(render(notice), severity="warning", timeout=10)
        if self.bad_color_system:
            self.notify(
                _(
                    "TEXTUAL_COLOR_SYSTEM={value} is not one of {known}; using auto.",
                    value=excerpt(self.bad_color_system),
                    known=", ".join(COLOR_SYSTEMS),
                ),
                severity="warning",
                timeout=8,
            )
        lesson_id, page = self._resume_target()
        if lesson_id is None:
            self.push_screen(_overview())
        else:
            # Straight into the lesson: the overview is built when first asked for.
            self.open_lesson(lesson_id, page)
        self.call_after_refresh(self._check_size)
        if self.present:
            from tui_workshop.ui.classroom import start_presenting

            self.presenter = start_presenting(self, self.class_info)
        elif self.class_info is not None:
            self._start_class_mode()

    def _resume_target(self) -> tuple[str | None, int | None]:
        if self.start_lesson is not None:
            found = self.session.lesson(self.start_lesson)
            if found is None:
                self.notify(
                    _(
                        "There is no lesson {lesson!r}; showing the overview.",
                        lesson=self.start_lesson,
                    ),
                    severity="warning",
                )
                return None, None
            return found.id, None
        target = self.session.resume_target()
        return (None, None) if target is None else target

    # ---- signals and quitting ------------------------------------------------

    def _install_signal_handlers(self) -> None:
        """SIGTERM and SIGHUP: save, then leave like a quit (the terminal is restored)."""
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self._on_signal, number)

    def _on_signal(self, number: int) -> None:
        """Save, then leave like a quit. A process whose terminal went away can hang in
        Textual's shutdown (its output thread writes to a dead terminal): everything is
        saved by then, so a watchdog ends it after a grace period instead."""
        self.stopped_by_signal = number
        self.session.flush()
        if self.classroom is not None:
            self.classroom.stop()
        arm_exit_watchdog(128 + number)
        self.exit()

    async def action_quit(self) -> None:
        self.session.flush()
        await super().action_quit()

    def on_unmount(self) -> None:
        """The app is shutting down, however it ends: stop the saver, save what is left."""
        if self.classroom is not None:
            self.classroom.stop()
        if self.presenter is not None:
            self.presenter.stop()
        self.session.close()

    def on_progress_notice(self, message: ProgressNotice) -> None:
        self.notify(render(message.notice), severity="warning", timeout=10)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._check_size)

    def _check_size(self) -> None:
        """Push the "please enlarge" screen while too small; it removes itself once it fits."""
        width, height = self.size
        small = [s for s in self.screen_stack if isinstance(s, TooSmallScreen)]
        if too_small(width, height):
            if small:
                small[-1].update_size(width, height)
            else:
                self.push_screen(TooSmallScreen(width, height))
        else:
            for screen in small:
                screen.leave()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the app that raised (with exit_on_error=False): log it, one notice."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            self.report_error(f"{type(error).__name__}: {error}", error)

    def report_error(self, summary: str, exc: BaseException | None = None) -> None:
        """Log an error with its traceback and tell the user in one line."""
        logger.error(summary, exc_info=exc)
        summary = excerpt(summary, 200)
        if log_written(self.log_path):
            text = _(
                "Something went wrong: {error}. Details were written to {log}.",
                error=summary,
                log=self.log_path,
            )
        else:
            text = _("Something went wrong: {error}.", error=summary)
        self.notify(text, severity="error", timeout=10)

    # ---- progress ------------------------------------------------------------

    def lesson_progress(self, lesson_id: str) -> Any:
        """A copy of one lesson's saved state (LessonProgress), for reading."""
        return self.session.state(lesson_id)

    # ---- class mode (a class folder is set) -------------------------------------

    def _start_class_mode(self) -> None:
        from tui_workshop.ui.classroom import start_class_mode

        self.classroom = start_class_mode(self, self.class_info)

    def action_toggle_hand(self) -> None:
        if self.classroom is not None:
            self.classroom.toggle_hand()

    def action_toggle_follow(self) -> None:
        if self.classroom is not None:
            self.classroom.toggle_follow()

    def on_class_notice(self, notice: Any) -> None:
        if self.classroom is not None:
            self.classroom.handle(notice)

    def on_exercise_box_checked(self, event: Any) -> None:
        screen = self.lesson_screen()
        if screen is not None:
            self.session.record_attempt(
                screen.lesson.id, event.exercise_id, event.answer, event.correct
            )


    # ---- navigation ----------------------------------------------------------

    def open_lesson(self, lesson_id: str, page: int | None = None) -> None:
        """Show a lesson (at ``page``, or where the student left it)."""
        lesson = self.session.lesson(lesson_id)
        if lesson is None:
            return
        if len(self.screen_stack) > 1 and not self.screen.is_mounted:
            # Fast keys: the screen this would replace is still being built; replacing
            # it now would remove its widgets while they mount. Open once it is built.
            self.screen.call_later(self.open_lesson, lesson_id, page)
            return
        if page is None or page < 0:
            page = self.session.page(lesson.id)
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

    def action_glossary(self) -> None:
        if _is_screen(self.screen, "glossary", "GlossaryScreen"):
            self.screen.dismiss(None)
            return
        if isinstance(self.screen, TooSmallScreen):
            return
        from tui_workshop.ui.screens.glossary import GlossaryScreen

        self.push_screen(GlossaryScreen())

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
        lesson = screen.lesson if screen else self.session.lesson(self.session.current_lesson)
        if lesson is None:
            return
        lesson_id = lesson.id
        question = _(
            "Reset lesson {number} ({title})? Its progress, parameters and solved exercises "
            "will be forgotten.",
            number=lesson.number,
            title=lesson.title,
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.reset_lesson(lesson_id)

        from tui_workshop.ui.screens.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen(question), answered)

    def reset_lesson(self, lesson_id: str) -> None:
        self.session.reset_lesson(lesson_id)
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
        self.session.reset_all()
        screen = self.lesson_screen()
        if screen is not None:
            screen.restore_from_progress()
        self._refresh_overview()
        self.notify(_("All progress reset."))

    def _refresh_overview(self) -> None:
        for screen in self.screen_stack:
            if _is_overview(screen):
                screen.refresh_rows()

    # ---- language --------------------------------------------------------------

    def _translate_titles(self) -> None:
        self.title = translate(self.TITLE)
        self.sub_title = translate(self.SUB_TITLE)

    def switch_language(self, lang: str) -> bool:
        """Show the course and the interface in ``lang``, at the same lesson and page.

        Parameters, solved exercises and pages seen are kept: progress is keyed
        by lesson id, shared by every language. False (and a notice) when the
        lessons of ``lang`` cannot be loaded.
        """
        code = normalise(lang)
        if code is None:
            self.notify(_("Unknown language: {lang}", lang=excerpt(lang)), severity="error")
            return False
        try:
            course = self.course_loader(code)
        except Exception as error:  # missing folder, lesson errors: the course stays as it was
            logger.warning("could not load the lessons of %s", code, exc_info=error)
            self.notify(
                _("The lessons in {language} could not be loaded.", language=language_name(code)),
                severity="error",
            )
            return False
        screen = self.lesson_screen()
        target = (screen.lesson.id, screen.page) if screen is not None else None
        set_language(code)
        if self.freeze_lasting:
            thaw_lasting_objects()  # the course left behind can be freed
        self.course = course
        self.session.course = course
        self._translate_titles()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        lesson = self.session.lesson(target[0]) if target is not None else None
        if target is not None and lesson is not None:
            self.push_screen(LessonScreen(lesson, page=target[1]))
        else:
            self.push_screen(_overview())
        self.refresh_bindings()
        self.call_after_refresh(self._check_size)
        return True

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(_("Help"), _("Keys and a short guide"), self.action_help)
        yield SystemCommand(
            _("Table of contents"),
            _("Pages of this lesson and lessons of the course"),
            self.action_contents,
        )
        yield SystemCommand(
            _("Glossary"),
            _("The course's terms in English and Portuguese, with short definitions (ctrl+g)"),
            self.action_glossary,
        )
        yield SystemCommand(_("Overview"), _("The list of lessons"), self.show_overview)
        yield SystemCommand(_("Score"), _("Exercises solved per lesson"), self.action_score)
        yield SystemCommand(
            _("Reset lesson"),
            _("Forget the progress of the current lesson (asks first)"),
            self.action_reset_lesson,
        )
        yield SystemCommand(
            _("Reset all progress"),
            _("Forget the progress of every lesson (asks first)"),
            self.action_reset_all,
        )
        current = get_language()
        for code in offered_languages():
            if code != current:
                yield SystemCommand(
                    _("Language: {language}", language=language_name(code)),
                    _("Show the lessons and the interface in this language"),
                    lambda code=code: self.switch_language(code),
                )
        if self.classroom is not None:
            yield SystemCommand(
                _("Raise or lower your hand"),
                _("The instructor sees raised hands in order (F12)"),
                self.action_toggle_hand,
            )
            yield SystemCommand(
                _("Follow the instructor (on or off)"),
                _("Your screen shows the instructor's lesson, page and parameters (ctrl+f)"),
                self.action_toggle_follow,
            )
        for lesson in self.course.lessons:
            yield SystemCommand(
                _("Lesson {number}: {title}", number=lesson.number, title=lesson.title),
                _("Open this lesson"),
                lambda lesson_id=lesson.id: self.open_lesson(lesson_id),
            )
        yield from super().get_system_commands(screen)  # Textual's, translated

    def textual_command(self, command: SystemCommand) -> SystemCommand:
        if command.title == "Screenshot":  # Textual's saves to ~/Downloads, silently
            return SystemCommand(
                _("Screenshot"),
                _("Save an SVG picture of the screen next to the log file"),
                lambda: self.set_timer(0.1, self.save_screenshot_notice),
            )
        return super().textual_command(command)

    def save_screenshot_notice(self) -> Path | None:
        """Save the screen as SVG (state/log folder, else the current one) and say where."""
        from tui_workshop.ui.screenshot import save_app_screenshot

        try:
            path = save_app_screenshot(self, self.log_path)
        except OSError as error:
            logger.warning("screenshot not saved: %s", error)
            self.notify(
                _("Could not save the screenshot: {error}", error=excerpt(str(error), 160)),
                severity="error",
                timeout=8,
            )
            return None
        self.notify(_("Screenshot saved to {path}", path=path), timeout=10, markup=False)
        return path


def run_app(
    course: Any,
    store: Any,
    start_lesson: str | None = None,
    class_info: Any = None,
    present: bool = False,
) -> int:
    """Run the workshop; 0 after a normal quit, non-zero after a fatal error."""
    log_path = default_log_path(store)
    setup_logging(log_path)
    session = CourseSession(course, store)
    try:
        app = WorkshopApp(
            course,
            store,
            start_lesson,
            log_path=log_path,
            session=session,
            handle_signals=True,
            freeze_lasting=True,
            class_info=class_info,
            present=present,
        )
        app.run()
    except Exception as error:  # a failure outside Textual's own handling
        logger.error("the app could not run", exc_info=error)
        print(stopped_message(log_path), file=sys.stderr)
        return 1
    finally:
        session.close()
    code = app.return_code
    if app.stopped_by_signal is not None:
        return 128 + app.stopped_by_signal
    if app.fatal_message:
        print(app.fatal_message, file=sys.stderr)
        return code or 1
    return 0 if code is None else int(code)
