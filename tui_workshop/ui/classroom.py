"""Class mode for a student's app: publish the status, raise and lower a hand, ask a name.

The app creates a :class:`StudentClass` only when a class folder is set (see
``tui-workshop --class DIR``); without one nothing here is imported. Writing
happens in the :class:`~tui_workshop.course.classroom.Publisher` thread, which
reports back with :class:`ClassNotice` messages (posting is thread-safe), so a
slow or broken class folder never delays a key.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_workshop import __version__
from tui_workshop.course import classroom as cr
from tui_workshop.i18n import Msg, _, render
from tui_workshop.ui.screens.modal import OneShotModal
from tui_workshop.ui.text import N_

if TYPE_CHECKING:
    from tui_workshop.ui.app import WorkshopApp

T = TypeVar("T")
logger = logging.getLogger("tui_workshop")

HAND_KEY = "f12"
FOLLOW_KEY = "ctrl+f"  # free on every screen, and works while an input has focus
FOLLOW_INTERVAL = 0.5  # seconds between looks at the instructor's files
PRESENT_INTERVAL = 0.25  # seconds between looks at what the presenting instructor shows
RECENT_HOURS = 8  # a presentation started this recently goes on when the app restarts


@dataclass
class ClassNotice(Message):
    """From the publisher thread: "error", "recovered" or "answered"."""

    kind: str
    message: Msg | None = None


class NameScreen(ModalScreen[str | None]):
    """Asked once in class mode: the name the instructor sees."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "skip", N_("Skip"))]
    DEFAULT_CSS = """
    NameScreen { align: center middle; }
    NameScreen #name-dialog { width: 64; max-width: 100%; height: auto; }
    """

    def __init__(self, account: str) -> None:
        super().__init__()
        self.account = account

    def compose(self) -> ComposeResult:
        with Vertical(id="name-dialog", classes="dialog"):
            yield Static(_("You are in a class"), classes="dialog-title")
            yield Static(
                _(
                    "Your instructor sees your name, lesson, page, exercises and raised hand."
                    " Type the name to show (Enter), or Escape to use {account}.",
                    account=self.account,
                ),
                markup=False,
            )
            yield Input(value=self.account, max_length=cr.MAX_NAME, id="name-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = cr.clean_text(event.value, cr.MAX_NAME)
        self.dismiss(name or self.account)

    def action_skip(self) -> None:
        self.dismiss(self.account)


class StudentClass:
    """Owned by the app in class mode; every method runs on the UI thread."""

    def __init__(self, app: WorkshopApp, info: cr.ClassInfo) -> None:
        self.app = app
        self.info = info
        self.user = cr.current_user()
        self.hand: float | None = None
        self.publisher: cr.Publisher | None = None
        # Following the instructor (see tick): on at start when the instructor presents.
        self.following = False
        self.presentation: cr.Presentation | None = None
        self.expected: tuple[str, int] | None = None  # where following last put the student
        self.own_params: dict[str, dict[str, Any]] = {}  # lesson -> the student's saved values
        self.applied: dict[str, dict[str, Any]] = {}  # lesson -> instructor values applied
        self.poll: cr.Poll | None = None
        self.poll_answer: tuple[str, int] | None = None
        self.poll_shown = ""  # id of the last poll put on screen
        self.poll_revealed = ""
        self._signatures: dict[str, Any] = {}
        # (screen, text) last shown; a weak reference: a closed screen is not kept alive
        self._banner_shown: tuple[Callable[[], object], str] = (lambda: None, "")

    @property
    def name(self) -> str:
        return self.app.session.display_name or self.user

    def start(self) -> None:
        if self.app.session.display_name:
            self._start_publishing()
        else:
            self.app.push_screen(NameScreen(self.user), self._named)

    def _named(self, name: str | None) -> None:
        self.app.session.set_display_name(name or self.user)
        self._start_publishing()

    def _start_publishing(self) -> None:
        path = cr.status_file(self.info, self.user, self.name)
        self.publisher = cr.Publisher(
            self.info, path, self._from_thread, interval=cr.PUBLISH_INTERVAL
        )
        self.publish()
        self.publisher.start()

    def _from_thread(self, kind: str, message: Msg | None) -> None:
        self.app.post_message(ClassNotice(kind, message))

    def stop(self) -> None:
        """At exit: a raised hand goes down, the last status is written."""
        if self.following:
            self._restore_own_params()
        if self.publisher is not None:
            if self.hand is not None:
                self.hand = None
                self.publish()
            self.publisher.stop(flush=True)
            self.publisher = None

    def publish(self) -> None:
        """Hand the newest status to the publisher (it writes when due)."""
        if self.publisher is None:
            return
        progress = self.app.session.snapshot()
        screen = self.app.lesson_screen()
        page = screen.page if screen is not None else None
        if screen is not None and progress.current_lesson != screen.lesson.id:
            page = None
        status = cr.build_status(
            self.user, self.name, progress, page, self.hand, __version__, self.poll_answer
        )
        self.publisher.update(status)

    def toggle_hand(self) -> None:
        if self.hand is None:
            self.hand = time.time()
            self.app.notify(
                _("✋ Your hand is up: the instructor sees it. {key} lowers it.", key="F12"),
                title=_("Hand raised"),
                timeout=3600,
            )
        else:
            self.lower_hand(_("Hand lowered."))
        self.publish()

    def lower_hand(self, text: str) -> None:
        self.hand = None
        self.app.clear_notifications()
        self.app.notify(text, timeout=4)

    def handle(self, notice: ClassNotice) -> None:
        if notice.kind == "error" and notice.message is not None:
            logger.warning("class folder: %s", notice.message)
            self.app.notify(render(notice.message), severity="warning", timeout=10)
        elif notice.kind == "recovered":
            self.app.notify(_("The class folder can be written again."), timeout=4)
        elif notice.kind == "answered" and self.hand is not None:
            self.lower_hand(_("The instructor marked your question answered; hand lowered."))
            self.publish()

    # ---- following the instructor ------------------------------------------------

    def start_following(self) -> None:
        """Look at the instructor's files every FOLLOW_INTERVAL; follow when presenting."""
        self._read_files()
        if self.presentation is not None and self.presentation.presenting:
            self.set_following(True, _("The instructor is presenting: you follow them."))
        self.timer = self.app.set_interval(FOLLOW_INTERVAL, self.tick)

    def toggle_follow(self) -> None:
        if self.following:
            self.set_following(False, _("You no longer follow the instructor."))
        else:
            self.set_following(True, _("You follow the instructor."))
            self.tick()

    def set_following(self, on: bool, notice: str) -> None:
        if on == self.following:
            return
        self.following = on
        self.expected = None
        if not on:
            self._restore_own_params()
        self.app.notify(
            f"{notice} {_('{key} turns following on or off.', key='ctrl+f')}", timeout=5
        )
        self._show_banner()

    def _read_files(self) -> tuple[bool, bool]:
        """Read present.json and poll.json when they changed; (presentation, poll) changed."""
        present = self._file_changed(cr.PRESENT)
        if present:
            self.presentation = self._read(cr.PRESENT, cr.read_presentation)
        poll = self._file_changed(cr.POLL)
        if poll:
            self.poll = self._read(cr.POLL, cr.read_poll)
        return present, poll

    def _file_changed(self, name: str) -> bool:
        signature = cr.file_signature(self.info.instructor_dir / name)
        if signature == self._signatures.get(name, ()):
            return False
        self._signatures[name] = signature
        return True

    def _read(self, name: str, reader: Callable[[cr.ClassInfo], T]) -> T | None:
        return reader(self.info) if self._signatures.get(name) is not None else None

    def tick(self) -> None:
        """Every FOLLOW_INTERVAL: new instructor files, then follow and show polls."""
        _presentation, poll_changed = self._read_files()
        if self.following:
            self._follow()
        poll = self.poll
        waiting = (
            self.following
            and poll is not None
            and poll.state == "open"
            and poll.id != self.poll_shown
        )
        if poll_changed or waiting:
            self._poll_changed()
        self._show_banner()

    def _follow(self) -> None:
        from tui_workshop.ui.screens.lesson import LessonScreen

        app = self.app
        screen = app.lesson_screen()
        if app.screen is not screen:
            if screen is None and not isinstance(app.screen, ModalScreen):
                self.set_following(False, _("You opened another page of your own."))
            return  # a dialog is open: wait until it closes
        if screen is None or not screen.is_mounted or not isinstance(screen, LessonScreen):
            return
        here = (screen.lesson.id, screen.page)
        if self.expected is not None and here != self.expected:
            self.set_following(False, _("You moved on your own."))
            return
        shown = self.presentation
        if shown is None or not shown.presenting or shown.lesson is None:
            return
        lesson = app.session.lesson(shown.lesson)
        if lesson is None:  # not a lesson of this course
            return
        page = min(shown.page, len(lesson.pages) - 1)
        values = self._instructor_values(lesson, shown.params)
        if lesson.id != screen.lesson.id:
            self._store_instructor_values(lesson.id, values)
            self.expected = (lesson.id, page)
            app.open_lesson(lesson.id, page)
            return
        if page != screen.page:
            screen.go_to_page(page)
        self.expected = (lesson.id, page)
        if values != self.applied.get(lesson.id):
            self._apply_values(screen, values)

    def _instructor_values(self, lesson: Any, params: Any) -> dict[str, Any]:
        """The instructor's values that are valid parameters of this lesson."""
        values: dict[str, Any] = {}
        for spec in lesson.params:
            if spec.name in params:
                try:
                    values[spec.name] = spec.validate(params[spec.name])
                except (ValueError, TypeError):
                    continue
        return values

    def _store_instructor_values(self, lesson_id: str, values: dict[str, Any]) -> None:
        """The instructor's values become the lesson's; the student's own are kept aside."""
        if lesson_id not in self.own_params:
            self.own_params[lesson_id] = dict(self.app.session.state(lesson_id).params)
        self.applied[lesson_id] = values
        if values:
            self.app.session.set_params(lesson_id, values)

    def _apply_values(self, screen: Any, values: dict[str, Any]) -> None:
        from tui_workshop.ui.widgets.param_panel import ParamPanel

        previous = self.applied.get(screen.lesson.id, {})
        self._store_instructor_values(screen.lesson.id, values)
        changed = {k: v for k, v in values.items() if previous.get(k, object()) != v}
        screen.query_one(ParamPanel).set_values(values)
        experiment = screen.experiment
        if experiment is None:
            return
        if all(experiment.params.get(k) == v for k, v in values.items()):
            return
        if changed and set(changed) <= set(experiment.live_params):
            try:
                for name, value in changed.items():
                    experiment.set_live(name, value)
                if not screen.playing:
                    screen.show_frame(experiment.frame())
                return
            except Exception:  # fall back to building it again
                logger.warning("live parameter refused while following", exc_info=True)
        screen.build_experiment()

    def _restore_own_params(self) -> None:
        """Following stops: each lesson gets the student's own values back."""
        from tui_workshop.ui.widgets.param_panel import ParamPanel

        session = self.app.session
        own, self.own_params, self.applied = self.own_params, {}, {}
        for lesson_id, saved in own.items():
            session.clear_params(lesson_id)
            if saved:
                session.set_params(lesson_id, saved)
        screen = self.app.lesson_screen()
        if screen is not None and screen.lesson.id in own and screen.is_mounted:
            screen.query_one(ParamPanel).set_values(screen.values())
            screen.build_experiment()

    def banner_text(self) -> str:
        if not self.following:
            return ""
        shown = self.presentation
        if shown is None or not shown.presenting:
            return _("▶ Following the instructor (waiting for them to present) · ctrl+f stops")
        text = _("▶ Following the instructor · ctrl+f stops")
        if shown.playing:
            text += " · " + _("their run is playing")
        return text

    def _show_banner(self) -> None:
        screen = self.app.lesson_screen()
        if screen is None or not screen.is_mounted:
            return
        text = self.banner_text()
        last_screen, last_text = self._banner_shown
        if last_screen() is screen and last_text == text:  # the usual tick: nothing to do
            return
        self._banner_shown = (weakref.ref(screen), text)
        found = screen.query(FollowBanner)
        if not text:
            found.remove()
        elif found:
            found.first().show(text)
        else:
            screen.mount(FollowBanner(text), before=0)

    # ---- polls -----------------------------------------------------------------

    def _poll_exercise(self, poll: cr.Poll) -> tuple[Any, Any] | None:
        lesson = self.app.session.lesson(poll.lesson)
        if lesson is None:
            return None
        exercise = next((e for e in lesson.exercises if e.id == poll.exercise), None)
        if exercise is None or exercise.kind != "choice" or not exercise.choices:
            return None
        return lesson, exercise

    def _poll_screen(self) -> PollScreen | None:
        for screen in self.app.screen_stack:
            if isinstance(screen, PollScreen):
                return screen
        return None

    def _poll_changed(self) -> None:
        poll = self.poll
        open_screen = self._poll_screen()
        if poll is None:
            if open_screen is not None:
                open_screen.dismiss(None)
            return
        found = self._poll_exercise(poll)
        if found is None:
            return
        lesson, exercise = found
        if open_screen is not None and open_screen.poll_id != poll.id:
            open_screen.dismiss(None)
            open_screen = None
        if poll.state == "open" and poll.id != self.poll_shown and self.following:
            if self._ready_for_poll(lesson.id):
                self.poll_shown = poll.id
                self.app.push_screen(PollScreen(self, poll, lesson, exercise))
        elif open_screen is not None:
            open_screen.show_state(poll.state)
        if poll.state == "revealed" and poll.id != self.poll_revealed:
            self.poll_revealed = poll.id
            if open_screen is None:
                self.app.notify(
                    _(
                        "Poll on {exercise}: the right answer is {answer}",
                        exercise=exercise.id,
                        answer=exercise.choices[exercise.answer],
                    ),
                    title=_("Poll"),
                    timeout=15,
                    markup=False,
                )

    def _ready_for_poll(self, lesson_id: str) -> bool:
        """A poll comes up once the follower is on the lesson, with no dialog open."""
        screen = self.app.lesson_screen()
        if screen is None or self.app.screen is not screen or not screen.is_mounted:
            return False
        shown = self.presentation
        return shown is None or shown.lesson != lesson_id or screen.lesson.id == lesson_id

    def answer_poll(self, poll: cr.Poll, exercise: Any, index: int) -> bool:
        """The student's answer: an attempt at the exercise, published for the board."""
        current = self.poll
        if current is None or current.id != poll.id or current.state != "open":
            return False
        self.poll_answer = (poll.id, index)
        correct = index == exercise.answer
        self.app.session.record_attempt(poll.lesson, exercise.id, exercise.choices[index], correct)
        self.publish()
        return True


def start_class_mode(app: WorkshopApp, info: Any) -> StudentClass:
    """Bind the hand and follow keys, start publishing and following (from on_mount)."""
    student = StudentClass(app, info)
    app.bind(HAND_KEY, "toggle_hand", description=_("Hand"), show=True)
    app.bind(FOLLOW_KEY, "toggle_follow", description=_("Follow"), show=True)
    app.session.on_change = student.publish
    student.start()
    student.start_following()
    return student


class FollowBanner(Static):
    """One line on top of the lesson while the student follows the instructor."""

    DEFAULT_CSS = """
    FollowBanner {
        height: 1; width: 100%; padding: 0 1;
        background: $warning; color: $text; text-style: bold;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False, id="follow-banner")
        self.text = text

    def show(self, text: str) -> None:
        self.text = text
        self.update(text)


class PollScreen(OneShotModal[None]):
    """A live poll from the instructor: the exercise's question and its choices.

    Everything shown comes from the student's own lesson (the poll file names only
    the lesson, the exercise and its state); the answer counts as an attempt.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
        *[Binding(str(n), f"choose({n - 1})", show=False) for n in range(1, 10)],
    ]
    DEFAULT_CSS = """
    PollScreen { align: center middle; }
    PollScreen #poll-dialog { width: 72; max-width: 100%; height: auto; max-height: 100%; }
    PollScreen OptionList { height: auto; max-height: 12; }
    PollScreen #poll-state { height: auto; text-style: bold; }
    """

    def __init__(self, student: StudentClass, poll: cr.Poll, lesson: Any, exercise: Any) -> None:
        super().__init__()
        self.student = student
        self.poll = poll
        self.poll_id = poll.id
        self.lesson = lesson
        self.exercise = exercise
        self.answered: int | None = None
        self.state = poll.state

    def compose(self) -> ComposeResult:
        with Vertical(id="poll-dialog", classes="dialog"):
            yield Static(
                _(
                    "Poll · lesson {number}: {title}",
                    number=self.lesson.number,
                    title=self.lesson.title,
                ),
                classes="dialog-title",
                markup=False,
            )
            yield Static(self.exercise.prompt, id="poll-question", markup=False)
            yield OptionList(
                *[
                    Option(f"{index + 1}  {choice}", id=str(index))
                    for index, choice in enumerate(self.exercise.choices)
                ],
                id="poll-choices",
                markup=False,
            )
            yield Static(id="poll-state", markup=False)

    def on_mount(self) -> None:
        self.show_state(self.state)
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(int(event.option.id or 0))

    def action_choose(self, index: int) -> None:
        if not 0 <= index < len(self.exercise.choices):
            return
        if self.state != "open":
            return
        if self.student.answer_poll(self.poll, self.exercise, index):
            self.answered = index
            self.query_one(OptionList).highlighted = index
        self.show_state(self.state)

    def action_close(self) -> None:
        self.dismiss(None)

    def show_state(self, state: str) -> None:
        self.state = state
        if not self.is_mounted:
            return
        choices = self.exercise.choices
        if state == "revealed":
            right = self.exercise.answer
            text = _(
                "The right answer: {number}. {answer}", number=right + 1, answer=choices[right]
            )
            if self.answered is not None:
                text += " · " + (
                    _("you got it right")
                    if self.answered == right
                    else _("you answered {number}", number=self.answered + 1)
                )
        elif state == "closed":
            text = _("The poll is closed; the instructor will show the answer.")
        elif self.answered is not None:
            text = _(
                "Your answer: {number}. Waiting for the instructor (Escape closes).",
                number=self.answered + 1,
            )
        else:
            text = _("Choose with the arrows and Enter, or type 1-{n}.", n=len(choices))
        self.query_one("#poll-state", Static).update(text)


# ---------------------------------------------------------------- the presenter (--present)


def _plain_value(value: Any) -> Any:
    """A parameter value as JSON can carry it (NumPy scalars become Python ones)."""
    item = getattr(value, "item", None)
    if callable(item):
        value = item()
    return value if isinstance(value, bool | int | float | str) else None


class Presenter:
    """The instructor's app with --present: publishes what it shows to instructor/.

    Every PRESENT_INTERVAL it looks at the lesson, page, parameter values and run
    state; when one changed, it writes present.json at once (atomically).
    """

    def __init__(self, app: WorkshopApp, info: cr.ClassInfo, clock: Any = time.time) -> None:
        self.app = app
        self.info = info
        self.clock = clock
        self.last: tuple[Any, ...] | None = None
        self.started = clock()
        self.since = self.started
        self.spent: dict[str, float] = {}
        self.failing = False
        self.writes = 0
        self._screen_seen: int | None = None

    def start(self) -> None:
        previous = cr.read_presentation(self.info)
        now = self.clock()
        if previous is not None and 0 <= now - previous.started < RECENT_HOURS * 3600:
            self.started = previous.started  # the same class, the app started again
            self.spent = dict(previous.spent)
        self.tick()
        self.timer = self.app.set_interval(PRESENT_INTERVAL, self.tick)

    def shown(self) -> tuple[str | None, int, dict[str, Any], bool]:
        screen = self.app.lesson_screen()
        if screen is None:
            return None, 0, {}, False
        source = screen.experiment.params if screen.experiment is not None else screen.values()
        params = {}
        for spec in screen.lesson.params:
            value = _plain_value(source.get(spec.name))
            if value is not None:
                params[spec.name] = value
        return screen.lesson.id, screen.page, params, bool(screen.playing)

    def tick(self) -> None:
        self._quiet_screen()
        state = self.shown()
        if state == self.last:
            return
        now = self.clock()
        if self.last is None or self.last[0] != state[0]:
            if self.last is not None and self.last[0] is not None:
                self.spent[self.last[0]] = self.spent.get(self.last[0], 0.0) + now - self.since
            self.since = now
        self.last = state
        self.write(presenting=True)

    def _quiet_screen(self) -> None:
        """No blinking cursor on the projector."""
        screen = self.app.screen
        if id(screen) == self._screen_seen:
            return
        self._screen_seen = id(screen)
        for field in screen.query(Input):
            field.cursor_blink = False

    def write(self, presenting: bool) -> None:
        lesson, page, params, playing = self.last or (None, 0, {}, False)
        presentation = cr.Presentation(
            lesson=lesson,
            page=page,
            params=params,
            playing=playing,
            presenting=presenting,
            started=self.started,
            since=self.since,
            spent=dict(self.spent),
        )
        try:
            cr.write_presentation(self.info, presentation)
        except OSError as error:
            if not self.failing:
                self.failing = True
                self.app.notify(
                    _(
                        "Could not write to the class folder: {error}",
                        error=error.strerror or str(error),
                    ),
                    severity="error",
                    timeout=10,
                )
            return
        self.failing = False
        self.writes += 1

    def stop(self) -> None:
        """At exit: the students see that the presentation ended."""
        if self.last is not None and self.last[0] is not None:
            self.spent[self.last[0]] = self.spent.get(self.last[0], 0.0) + (
                self.clock() - self.since
            )
            self.since = self.clock()
        self.write(presenting=False)


def start_presenting(app: WorkshopApp, info: cr.ClassInfo) -> Presenter:
    """The projector layout and the presenter (called from the app's on_mount)."""
    app.animation_level = "none"
    app.add_class("-present")
    presenter = Presenter(app, info)
    presenter.start()
    return presenter
