"""One lesson: its text in pages, its live experiment with parameters, its exercises.

Layout: at 120 columns or more, the text (with the exercises below it) sits
left of the experiment and its parameters. Narrower, one pane shows at a time
under a tab bar (Text | Experiment | Exercises) and ctrl+t switches; the
experiment pane puts the plot beside the parameters, so at 80x24 the plot is
on screen while a parameter is edited. Narrow, a page opens with the lab idle:
the text takes the height the lab does not need to show one page of its
panels at their minimum (``lab_idle``); from the first use of the lab (F5, F6,
F9, a parameter, the focus in it) until the next page, the lab takes its room
back (the text at most 40 %). "↓ 12 more lines" says how much text is below.

Keys (all F-keys and ctrl-keys also work while an input has focus):
F1 help, F2 contents, F3/F4 previous/next page (also ctrl+left/right), F5
play/pause, F6 one step, F7/F8 previous/next lesson (also ctrl+pageup/pagedown),
F9 reset the experiment, F10/F11 slower/faster (also -/+ outside inputs),
ctrl+t next pane, ctrl+r reset the lesson (asks first), Escape the overview,
ctrl+p commands, ctrl+q quit.

The screen owns the experiment instance. F5 plays it in a thread worker (see
:mod:`tui_workshop.ui.worker`) that posts :class:`FrameReady` messages; any
other change (a parameter, a step, a reset) happens here, on the UI thread,
after the worker has been told to stop.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Markdown, Static
from textual.worker import active_worker, get_current_worker

from tui_workshop import experiments
from tui_workshop.experiments.base import Experiment, Frame, ParameterError
from tui_workshop.experiments.schema import excerpt
from tui_workshop.i18n import _, msg, ngettext, render
from tui_workshop.ui.deferred import after_first_paint, is_live, live_only
from tui_workshop.ui.messages import FrameReady, RunFailed, RunStopped
from tui_workshop.ui.text import N_
from tui_workshop.ui.widgets.experiment_view import ExperimentView
from tui_workshop.ui.widgets.footer import CompactFooter
from tui_workshop.ui.widgets.heatmap import HeatmapWidget
from tui_workshop.ui.widgets.page_text import PageText
from tui_workshop.ui.widgets.param_panel import ParamPanel
from tui_workshop.ui.worker import (
    DEFAULT_SPEED_INDEX,
    SPEEDS,
    FramePacer,
    release_memory,
    training_loop,
)

if TYPE_CHECKING:
    from tui_workshop.course.model import Lesson
    from tui_workshop.ui.app import WorkshopApp

logger = logging.getLogger("tui_workshop")

WIDE_MIN_WIDTH = 120
PANES = ("text", "lab", "exercises")
PANE_NAMES = {"text": msg("Text"), "lab": msg("Experiment"), "exercises": msg("Exercises")}
# Narrow layout, cycled with ctrl+t: text over experiment, then each maximised.
ZOOMS = ("normal", "text", "lab", "exercises")
# Narrow, while the lab is idle the page text may take all the height but the lab's
# minimum; from the first use of the lab (F5, F6, a parameter...) at most this share.
TEXT_MIN_ROWS = 5
FINISHED_NOTICE_SECONDS = 3.0
ERROR_EXCERPT = 160  # characters of an experiment's error shown in a notice
RELEASE_DELAY = 1.0  # seconds after a run or a rebuild before freed memory is returned


def forget_worker() -> None:
    """End of a thread worker: its pool thread lets go of it (and of its experiment).

    Textual sets the ``active_worker`` context variable in the executor's thread
    and never clears it, so each of the pool's threads kept the last worker it
    ran alive, with the experiment passed to it: up to five old CNN experiments
    (about 5 MiB each) stayed in memory after F9 (issue 11).
    """
    active_worker.set(None)  # type: ignore[arg-type]


class TrainingRun:
    """What a training thread is given. Emptied when the thread ends: Textual's
    Worker keeps its arguments, and the Worker stays in reference cycles (asyncio
    contexts) until a full collection, so a replaced experiment and its arrays
    would wait for one too; emptied, the experiment is freed when replaced."""

    __slots__ = ("experiment", "pacer", "run_id", "stop")

    def __init__(
        self, experiment: Experiment, run_id: int, stop: threading.Event, pacer: FramePacer
    ) -> None:
        self.experiment: Experiment | None = experiment
        self.run_id = run_id
        self.stop = stop
        self.pacer = pacer


class TextPane(VerticalScroll):
    """The page text's scrolling pane; says when its size changed (the lines left
    below change with it, and ``size`` is no reactive to watch)."""

    class Resized(Message):
        pass

    def on_resize(self) -> None:
        self.post_message(self.Resized())


class LessonScreen(Screen[None]):
    """A lesson at a page; see the module docstring for layout and keys."""

    # F-keys and ctrl-keys are priority bindings: they work while an Input has focus.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", "prev_page", N_("Prev"), priority=True),
        Binding("f4", "next_page", N_("Next"), priority=True),
        Binding("ctrl+left", "prev_page", N_("Prev"), show=False),
        Binding("ctrl+right", "next_page", N_("Next"), show=False),
        Binding("f5", "play", N_("Play"), priority=True),
        Binding("f6", "step", N_("Step"), priority=True),
        Binding("f7", "prev_lesson", N_("Prev lesson"), priority=True, show=False),
        Binding("f8", "next_lesson", N_("Next lesson"), priority=True, show=False),
        Binding("ctrl+pageup", "prev_lesson", N_("Prev lesson"), priority=True, show=False),
        Binding("ctrl+pagedown", "next_lesson", N_("Next lesson"), priority=True, show=False),
        Binding("f9", "reset_experiment", N_("Reset"), priority=True),
        Binding("f10", "slower", N_("Slower"), priority=True, show=False),
        Binding("f11", "faster", N_("Faster"), priority=True, show=False),
        Binding("minus", "slower", N_("Slower"), show=False),
        Binding("plus,equals_sign", "faster", N_("Faster"), show=False),
        Binding("ctrl+t", "switch_pane", N_("Pane"), priority=True),
        Binding("ctrl+n", "next_panels", N_("Next panels"), priority=True, show=False),
        Binding("ctrl+r", "app.reset_lesson", N_("Reset lesson"), priority=True, show=False),
        Binding("escape", "overview", N_("Lessons")),
    ]

    app: WorkshopApp

    def __init__(self, lesson: Lesson, page: int = 0) -> None:
        super().__init__()
        self.lesson = lesson
        self.page = max(0, min(page, len(lesson.pages) - 1))
        self.experiment: Experiment | None = None
        self.run_id = 0
        self.playing = False
        self.speed_index = DEFAULT_SPEED_INDEX
        self.last_frame: Frame | None = None
        self.pane = "normal"
        self._lab_idle = True  # see lab_idle
        self._stop = threading.Event()
        # Held by whichever worker steps the experiment: F6 never overlaps a run.
        self._stepping = threading.Lock()
        self._warned_run = -1
        self._finished_notice_until = 0.0  # time.monotonic() until which it is on screen
        # The exercise box, held from its creation: no DOM query per frame.
        self._exercises: Widget | None = None
        # Paces the running worker's frames by what this screen has drawn.
        self._pacer: FramePacer | None = None
        self._release_timer: Timer | None = None
        self._text_limit: int | None = None  # the text pane's max height while the lab is idle

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys act only on a built screen still on the stack (fast keys outrun both)."""
        return True if self.is_mounted and is_live(self) else None

    # ---- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Layout classes before the children mount: toggling them later restyles the tree.
        self._apply_width(self.app.size.width)
        yield Static(id="lesson-title", markup=False)
        with Container(id="panes"):
            with TextPane(id="pane-text", classes="pane"):
                yield PageText(id="page-text")
            with Vertical(id="pane-lab", classes="pane"), Container(id="lab-body"):
                yield ExperimentView(id="experiment")
                # Its rows mount after the first paint (most of the screen's widgets).
                yield ParamPanel(
                    self.lesson.params, self.values(), presets=self.lesson.presets, lazy=True
                )
            # The exercises mount after the first paint (hidden at first at 80x24).
            yield Vertical(id="pane-exercises", classes="pane")
        yield CompactFooter(show_command_palette=False)

    def _exercise_box(self, state: Any) -> Widget:
        if not self.lesson.exercises:
            return Static(_("This lesson has no exercises."), id="no-exercises")
        # Imported with the first lesson that has exercises, not at start-up.
        from tui_workshop.ui.widgets.exercise_box import ExerciseBox

        self._exercises = ExerciseBox(
            self.lesson.exercises,
            completed=set(state.completed),
            hints_shown=dict(state.hints),
            revealed=set(state.revealed),
            lesson=self.lesson,
            id="exercises",
        )
        return self._exercises

    def on_mount(self) -> None:
        if not is_live(self) or not self.query("#page-text"):  # replaced, or the app closing
            return
        self.query_one("#page-text").can_focus = True
        pane_text = self.query_one("#pane-text")
        pane_text.can_focus = True
        # "↓ 12 more lines" on the text pane's border while the page goes on below.
        self.watch(pane_text, "scroll_y", self._show_text_left, init=False)
        self.watch(pane_text, "virtual_size", self._show_text_left, init=False)
        self._apply_width(self.size.width or self.app.size.width)
        self.show_page()
        # The experiment (and its plots) and the exercises after the first paint: the
        # page shows sooner, and a loading line until the first frame.
        self.query_one("#experiment", ExperimentView).set_run_state(
            _("Loading the experiment…")
        )
        after_first_paint(self, self._first_build)
        self.app.session.visit(self.lesson.id, self.page)
        for warning in self.app.session.params(self.lesson)[1]:
            self.notify(render(warning), severity="warning", timeout=8)

    def on_resize(self) -> None:
        if not self.query("#experiment"):  # its widgets removed: the app is closing
            return
        self._apply_width(self.size.width)
        self.call_after_refresh(self._fit_grid)

    def _apply_width(self, width: int) -> None:
        narrow = width < WIDE_MIN_WIDTH
        self.set_class(narrow, "-narrow")
        self.set_class(not narrow, "-wide")
        self._show_pane(self.pane)
        self._fit_text_pane(self.size.height or self.app.size.height)

    def _show_pane(self, pane: str) -> None:
        """Narrow: the zoom ("normal" stacks the text over the experiment)."""
        changed = pane != self.pane
        self.pane = pane
        for name in ZOOMS[1:]:
            self.set_class(name == pane, f"-zoom-{name}")
        self._show_title()
        if changed:
            self._fit_text_pane()

    # ---- the text's share of the height (narrow) ------------------------------

    @property
    def lab_idle(self) -> bool:
        """Nothing done in the lab since the page opened (see the module docstring).
        A flag, not a class: a class on the screen restyles the whole page (about
        0.1 s, paid by every student who presses F5 at once)."""
        return self._lab_idle

    def _use_lab(self) -> None:
        """The lab is in use: it takes its room back until the next page."""
        if self._lab_idle:
            self._lab_idle = False
            self._fit_text_pane()

    def _lab_idle_again(self) -> None:
        """A new page: the text may take the space, unless the lab is running or focused."""
        focused = self.focused
        in_lab = focused is not None and self.is_mounted and self._in_pane(focused, "lab")
        if not self.playing and not in_lab and not self._lab_idle:
            self._lab_idle = True
            self._fit_text_pane()

    def _fit_text_pane(self, height: int | None = None) -> None:
        """Narrow and not zoomed, with the lab idle: the text pane may grow to all the
        rows but those the experiment needs; otherwise the stylesheet's share."""
        if not self.is_mounted:
            return
        limit: int | None = None  # the stylesheet's 40 %
        if self.lab_idle and self.has_class("-narrow") and self.pane == "normal":
            rows = (height or self.size.height) - 2  # the title and footer lines
            lab = self.query_one("#experiment", ExperimentView).min_height()
            limit = max(rows - lab, TEXT_MIN_ROWS)
        if limit != self._text_limit:
            self._text_limit = limit
            self.query_one("#pane-text").styles.max_height = limit

    @on(ExperimentView.PanelsChanged)
    def _panels_changed(self, event: ExperimentView.PanelsChanged) -> None:
        event.stop()
        self._fit_text_pane()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self._in_pane(event.widget, "lab"):
            self._use_lab()

    def action_switch_pane(self) -> None:
        """Narrow: the next zoom. Wide: move the focus to the next pane."""
        if self.has_class("-narrow"):
            pane = ZOOMS[(ZOOMS.index(self.pane) + 1) % len(ZOOMS)]
            self._show_pane(pane)
            self.call_after_refresh(self._focus_pane, "lab" if pane == "normal" else pane)
        else:
            focused = self.focused
            current = next(
                (name for name in PANES if focused and self._in_pane(focused, name)), None
            )
            pane = PANES[(PANES.index(current) + 1) % 3] if current else "lab"
            self._focus_pane(pane)

    def action_next_panels(self) -> None:
        """Show the experiment's next panels when they do not all fit."""
        self._reveal_lab()
        self.query_one(ExperimentView).cycle_panels()

    def _reveal_lab(self) -> None:
        """The lab is in use (it takes its room back); narrow: running or stepping
        brings the experiment back into view."""
        self._use_lab()
        if self.has_class("-narrow") and self.pane in ("text", "exercises"):
            self._show_pane("normal")

    def _in_pane(self, widget: Widget, pane: str) -> bool:
        container = self.query_one(f"#pane-{pane}")
        return widget is container or container in widget.ancestors

    @live_only
    def _focus_pane(self, pane: str) -> None:
        container = self.query_one(f"#pane-{pane}")
        if pane == "text":
            container.focus()
            return
        if pane == "exercises":
            from tui_workshop.ui.widgets.exercise_box import ExerciseBox

            for box in container.query(ExerciseBox):
                if box.focus_answer():
                    return
        for widget in container.query("*"):
            if widget.focusable:
                widget.focus()
                return

    # ---- pages -----------------------------------------------------------------

    def show_page(self) -> None:
        page = self.lesson.pages[self.page]
        heading = _("Lesson {number}: {title}", number=self.lesson.number, title=self.lesson.title)
        where = _(
            "page {page}/{pages}: {title}",
            page=self.page + 1,
            pages=len(self.lesson.pages),
            title=page.title,
        )
        self._title = f"{heading} · {where}"
        self._show_title()
        self.query_one("#page-text", Markdown).update(page.text)
        self.query_one("#pane-text", VerticalScroll).scroll_home(animate=False)
        self.sub_title = where

    @on(TextPane.Resized)
    def _text_pane_resized(self, event: TextPane.Resized) -> None:
        event.stop()
        self._show_text_left()

    def _show_text_left(self, *_args: Any) -> None:
        """How much of the page is below the text pane, on its bottom border."""
        if not is_live(self):
            return
        pane = self.query_one("#pane-text", VerticalScroll)
        below = max(round(pane.max_scroll_y - pane.scroll_y), 0)
        sign = ngettext("↓ {n} more line", "↓ {n} more lines", below) if below else ""
        if pane.border_subtitle != sign:
            pane.border_subtitle = sign

    def _show_title(self) -> None:
        """The title line; narrow and zoomed, it names the pane shown."""
        title = getattr(self, "_title", "")
        if self.has_class("-narrow") and self.pane in PANES:
            title = f"[{render(PANE_NAMES[self.pane])}] {title}"
        if self.is_mounted:
            self.query_one("#lesson-title", Static).update(title)

    def go_to_page(self, page: int) -> None:
        self.page = max(0, min(page, len(self.lesson.pages) - 1))
        self.show_page()
        self._lab_idle_again()
        self.app.session.visit(self.lesson.id, self.page)

    def action_prev_page(self) -> None:
        if self.page == 0:
            self.notify(_("This is the first page."), timeout=2)
            return
        self.go_to_page(self.page - 1)

    def action_next_page(self) -> None:
        if self.page >= len(self.lesson.pages) - 1:
            self.notify(_("Last page: F8 opens the next lesson."), timeout=3)
            return
        self.go_to_page(self.page + 1)

    def _neighbour(self, offset: int) -> str | None:
        lesson = self.app.session.neighbour(self.lesson.id, offset)
        return None if lesson is None else lesson.id

    def action_prev_lesson(self) -> None:
        target = self._neighbour(-1)
        if target is None:
            self.notify(_("This is the first lesson."), timeout=2)
        else:
            self.app.open_lesson(target)

    def action_next_lesson(self) -> None:
        target = self._neighbour(1)
        if target is None:
            self.notify(_("This is the last lesson."), timeout=2)
        else:
            self.app.open_lesson(target)

    def action_overview(self) -> None:
        self.app.show_overview()

    # ---- parameters and the experiment -----------------------------------------

    def values(self) -> dict[str, Any]:
        """The lesson defaults overlaid with the saved values that are still valid."""
        return self.app.session.params(self.lesson)[0]

    @live_only
    def _first_build(self) -> None:
        # The experiment first: its first frame replaces the loading line sooner.
        if self.experiment is None:
            if self.build_experiment():
                self._restore_run()
            else:  # the notice says why; the loading line must not stay
                self.query_one("#experiment", ExperimentView).set_run_state(
                    _("No experiment yet.")
                )
        pane = self.query_one("#pane-exercises")
        if not pane.children:  # not already put there by a reset
            box = self._exercise_box(self.app.session.state(self.lesson.id))
            frame, experiment = self.last_frame, self.experiment
            if frame is not None and experiment is not None and hasattr(box, "set_metrics"):
                box.set_metrics(frame.metrics, dict(experiment.params))  # goals: live at once
            pane.mount(box)

    # ---- the run kept when the lesson was left ----------------------------------

    def _restore_run(self) -> None:
        """Continue the run kept when this lesson was last left (same parameters only)."""
        experiment = self.experiment
        if experiment is None or not experiment.keeps_state:
            return
        from tui_workshop.experiments.state import StateError  # NumPy: not at start-up

        session = self.app.session
        state, notice = session.kept_run(self.lesson.id, experiment.name, experiment.params)
        if notice is not None:
            self.notify(render(notice), severity="warning", timeout=8)
        if not state:
            return
        try:
            experiment.restore(state)
            frame = experiment.frame()
        except StateError as error:
            reason = render(error.message)
        except (Exception, SystemExit) as error:  # a bug of the experiment: start afresh
            logger.error("restoring %s failed", experiment.name, exc_info=error)
            reason = type(error).__name__
        else:
            self.show_frame(frame)
            self.notify(
                _("Your run is back where you left it (step {step}).", step=frame.step),
                timeout=3,
            )
            return
        session.forget_run(self.lesson.id)
        self.build_experiment()  # as built, whatever the failure left behind
        self.notify(
            _("The saved run of this lesson could not be used ({reason}); it starts afresh.",
              reason=reason),
            severity="warning",
            timeout=8,
        )

    def keep_run(self) -> None:
        """Hand the experiment's run to the session (kept per lesson, written in the
        background); a run at its start forgets what was kept."""
        experiment = self.experiment
        if experiment is None or not experiment.keeps_state:
            return
        self._stop.set()
        try:
            state = experiment.state()
        except (Exception, SystemExit) as error:  # never lose the progress over a run
            logger.error("keeping %s failed", experiment.name, exc_info=error)
            return
        self.app.session.keep_run(self.lesson.id, experiment.name, experiment.params, state)

    def build_experiment(self) -> bool:
        """(Re)build the experiment from the current values; False if it could not be built.

        A ParameterError is the student's to fix (a notice); any other error of the
        experiment (in its constructor or first frame) is logged with its traceback and
        leaves the lesson without an experiment: its text and exercises stay usable.
        """
        self.stop_run()
        try:
            experiments.experiment_class(self.lesson.experiment)
        except KeyError:
            self.notify(
                _("Experiment {name!r} is not available.", name=self.lesson.experiment),
                severity="error",
            )
            return False
        except (Exception, SystemExit) as error:  # its module failed to import
            return self._experiment_failed(error)
        try:
            experiment = experiments.create(self.lesson.experiment, self.values())
        except ParameterError as error:
            self.notify(
                _("Parameters not applied: {error}", error=error.message),
                severity="error",
                timeout=6,
            )
            if self.experiment is None and self.values() != self.lesson.defaults():
                # Saved values that no longer work: start from the lesson's defaults.
                self.app.session.clear_params(self.lesson.id)
                self.query_one(ParamPanel).set_values(self.lesson.defaults())
                return self.build_experiment()
            return False
        except (Exception, SystemExit) as error:  # a bug in the experiment: not the app's end
            return self._experiment_failed(error)
        self.experiment = experiment
        self.run_id += 1
        try:
            self._fit_grid(show=False)
            self.show_frame(experiment.frame())
        except (Exception, SystemExit) as error:
            self.experiment = None
            return self._experiment_failed(error)
        # The experiment replaced, its worker and its last frame are gone a moment later.
        self._release_soon()
        return True

    def _experiment_failed(self, error: BaseException) -> bool:
        """Log an experiment's failure (traceback in the log file), tell the student; False."""
        self.playing = False
        summary = f"{type(error).__name__}: {excerpt(str(error), ERROR_EXCERPT)}"
        self.app.report_error(_("The experiment failed: {error}", error=summary), error)
        return False

    @live_only
    def _fit_grid(self, show: bool = True) -> None:
        """Size the experiment's heatmap to the heatmap widget when both allow it."""
        experiment = self.experiment
        if experiment is None or not hasattr(experiment, "set_grid"):
            return
        size = self.query_one("#experiment", ExperimentView).heatmap_grid_size()
        if not size or min(size) < 4 or tuple(size) == tuple(getattr(experiment, "grid", ())):
            return
        try:
            experiment.set_grid(*size)
            frame = experiment.frame() if show and not self.playing else None
        except (Exception, SystemExit) as error:
            self.experiment = None
            self._experiment_failed(error)
            return
        if frame is not None:
            self.show_frame(frame)

    @on(HeatmapWidget.Resized)
    def _heatmap_resized(self, event: HeatmapWidget.Resized) -> None:
        event.stop()
        self._fit_grid()

    @live_only
    def show_frame(self, frame: Frame, live: bool = False) -> None:
        """Draw a frame; ``live`` for the frames of a running training (plots may wait)."""
        self.last_frame = frame
        self.query_one("#experiment", ExperimentView).show(frame, live=live)
        box = self._exercises
        if box is not None and box.is_attached and self.experiment is not None:
            box.set_metrics(frame.metrics, dict(self.experiment.params))  # type: ignore[attr-defined]
        if frame.level == "error" and self._warned_run != self.run_id:
            self._warned_run = self.run_id
            self.notify(
                _(
                    "Training diverged: {message}. Try a smaller learning rate, then F9.",
                    message=frame.message or frame.status,
                ),
                severity="error",
                timeout=8,
            )
        self.update_status()

    def _runs(self) -> bool:
        """The experiment can be played (F5): its run state and speed mean something."""
        experiment = self.experiment
        if experiment is None or not experiment.trainable:
            return False
        return not (experiment.done and experiment.steps_done == 0)  # nothing to play

    @live_only
    def update_status(self) -> None:
        frame = self.last_frame
        if self.playing:
            state = _("playing")
        elif self.experiment is not None and self.experiment.done and self.experiment.trainable:
            state = _("finished")
        else:
            state = _("paused")
        speed = SPEEDS[self.speed_index]
        speed_text = _("max") if speed == 0 else _("{steps}/s", steps=speed)
        if frame is not None and frame.status and not self._runs():
            status = ""  # nothing to run: the line is all the experiment's own figures
        elif frame is not None and frame.status:
            # One line with the experiment's status: state and speed only here.
            status = f"{state} · {speed_text}"
        else:
            status = _(
                "{state} · step {step} · {speed}",
                state=state,
                step=frame.step if frame else 0,
                speed=_("speed: {speed}", speed=speed_text),
            )
        self.query_one("#experiment", ExperimentView).set_run_state(status)

    @on(ParamPanel.Changed)
    def _param_changed(self, event: ParamPanel.Changed) -> None:
        event.stop()
        self._use_lab()
        self._store_params({event.name: event.value})
        experiment = self.experiment
        if experiment is not None and event.name in experiment.live_params:
            try:
                experiment.set_live(event.name, event.value)
                frame = None if self.playing else experiment.frame()
            except ParameterError as error:
                self.notify(
                    _("Parameters not applied: {error}", error=error.message), severity="error"
                )
                return
            except (Exception, SystemExit) as error:
                self._experiment_failed(error)
                return
            if frame is not None:
                self.show_frame(frame)
            return
        if not self.build_experiment() and experiment is not None:
            # Refused: go back to the value the running experiment has.
            previous = experiment.params.get(event.name, self.lesson.defaults()[event.name])
            self._store_params({event.name: previous})
            self.query_one(ParamPanel).set_values({event.name: previous})

    @on(ParamPanel.Invalid)
    def _param_invalid(self, event: ParamPanel.Invalid) -> None:
        event.stop()
        self.notify(event.message, severity="warning")

    @on(ParamPanel.PresetApplied)
    def _preset_applied(self, event: ParamPanel.PresetApplied) -> None:
        event.stop()
        self._use_lab()
        self._store_params(dict(event.values))
        self.build_experiment()

    @on(ParamPanel.Reset)
    def _params_reset(self, event: ParamPanel.Reset) -> None:
        event.stop()
        self._use_lab()
        self.app.session.clear_params(self.lesson.id)
        self.build_experiment()

    def _store_params(self, values: dict[str, Any]) -> None:
        self.app.session.set_params(self.lesson.id, values)

    # ---- running ---------------------------------------------------------------

    def action_play(self) -> None:
        self._reveal_lab()
        if self.playing:
            self.stop_run()
            self.update_status()
            return
        experiment = self.experiment
        if experiment is None:
            return
        if not experiment.trainable:
            self.notify(_("This experiment has nothing to play; change the parameters."), timeout=3)
            return
        if experiment.done:
            self._notify_finished()
            return
        self._stop = threading.Event()
        self._pacer = FramePacer()
        self.playing = True
        self.update_status()
        self._train(TrainingRun(experiment, self.run_id, self._stop, self._pacer))

    @work(thread=True, exclusive=True, exit_on_error=False, group="training")
    def _train(self, run: TrainingRun) -> None:
        worker = get_current_worker()
        experiment, run_id = run.experiment, run.run_id

        def publish(frame: Frame, final: bool) -> None:
            self.post_message(FrameReady(frame, run_id, final))

        try:
            assert experiment is not None
            self._train_loop(experiment, run_id, run.stop, run.pacer, worker, publish)
        finally:
            run.experiment = None
            forget_worker()

    def _train_loop(
        self,
        experiment: Experiment,
        run_id: int,
        stop: threading.Event,
        pacer: FramePacer,
        worker: Any,
        publish: Any,
    ) -> None:
        try:
            with self._stepping:
                steps = training_loop(
                    experiment,
                    publish=publish,
                    stop=stop,
                    steps_per_second=lambda: SPEEDS[self.speed_index],
                    is_cancelled=lambda: worker.is_cancelled,
                    pacer=pacer,
                )
        except (Exception, SystemExit) as error:  # the run ends; the app goes on
            logger.error("experiment %s failed", experiment.name, exc_info=error)
            summary = f"{type(error).__name__}: {excerpt(str(error), ERROR_EXCERPT)}"
            self.post_message(RunFailed(run_id, summary))
            return
        self.post_message(RunStopped(run_id, steps, experiment.done))

    def stop_run(self) -> None:
        """Tell the worker to stop (it wakes at once) and forget it."""
        self._stop.set()
        if self.playing:
            self.workers.cancel_group(self, "training")
        self.playing = False

    @live_only
    def on_frame_ready(self, message: FrameReady) -> None:
        if message.run_id == self.run_id:
            self.show_frame(message.frame, live=not message.final)
            pacer = self._pacer
            if pacer is not None and not message.final:
                # The worker sends its next frame once this one is on the screen.
                self.call_after_refresh(pacer.mark_drawn)

    @live_only
    def on_run_stopped(self, message: RunStopped) -> None:
        if message.run_id != self.run_id:
            return
        self.playing = False
        if message.done and self.last_frame is not None and self.last_frame.level != "error":
            self._notify_finished()
        self.update_status()

    @live_only
    def on_run_failed(self, message: RunFailed) -> None:
        if message.run_id != self.run_id:
            return
        self.playing = False
        self.update_status()
        self.app.report_error(_("The experiment failed: {error}", error=message.error))

    def action_step(self) -> None:
        self._reveal_lab()
        experiment = self.experiment
        if experiment is None:
            return
        if self.playing:
            self.stop_run()
        if experiment.done:
            self._notify_finished()
            self.update_status()
            return
        self._step_once(experiment, self.run_id)

    @work(thread=True, exit_on_error=False, group="step")
    def _step_once(self, experiment: Experiment, run_id: int) -> None:
        """One step off the UI thread, after any running training loop has let go."""
        try:
            self._step_locked(experiment, run_id)
        finally:
            forget_worker()

    def _step_locked(self, experiment: Experiment, run_id: int) -> None:
        with self._stepping:
            if experiment.done or run_id != self.run_id:
                return
            try:
                experiment.step()
                frame = experiment.frame()
            except (Exception, SystemExit) as error:
                logger.error("experiment %s failed", experiment.name, exc_info=error)
                self.post_message(RunFailed(run_id, f"{type(error).__name__}: {error}"))
                return
        self.post_message(FrameReady(frame, run_id, final=True))

    def action_reset_experiment(self) -> None:
        self._reveal_lab()
        if self.build_experiment():
            self.notify(_("Experiment reset."), timeout=2)

    def action_slower(self) -> None:
        self.speed_index = max(0, self.speed_index - 1)
        self.update_status()

    def action_faster(self) -> None:
        self.speed_index = min(len(SPEEDS) - 1, self.speed_index + 1)
        self.update_status()

    def _notify_finished(self) -> None:
        """"The run has finished" (or, for a run with nothing to play, that): one notice
        at a time, however often F5/F6 is pressed."""
        now = time.monotonic()
        if now < self._finished_notice_until:
            return
        self._finished_notice_until = now + FINISHED_NOTICE_SECONDS
        experiment = self.experiment
        if experiment is not None and experiment.steps_done == 0:
            text = _("This experiment has nothing to play; change the parameters.")
        else:
            text = _("The run has finished; F9 starts it again.")
        self.notify(text, timeout=FINISHED_NOTICE_SECONDS)

    def _release_soon(self) -> None:
        """Free what a run or a replaced experiment left, once (timers are merged)."""
        if self._release_timer is not None:
            self._release_timer.stop()
        self._release_timer = self.set_timer(RELEASE_DELAY, release_memory)

    def on_unmount(self) -> None:
        self._stop.set()
        self.keep_run()  # leaving the lesson, or quitting: before letting go of it
        # A lesson left behind lets go of its experiment (its model and data) and its
        # last frame at once, whatever still holds the screen for a while.
        self.experiment = None
        self.last_frame = None
        self._exercises = None
        self._pacer = None

    # ---- exercises and progress ------------------------------------------------

    # ExerciseBox messages (handlers by name: the widget is imported lazily).
    def on_exercise_box_solved(self, event: Any) -> None:
        event.stop()
        if self.app.session.solve(self.lesson.id, event.exercise_id):
            self.notify(_("Solved: {exercise}", exercise=event.exercise_id), timeout=3)

    def on_exercise_box_hint_shown(self, event: Any) -> None:
        event.stop()
        self.app.session.hint_shown(self.lesson.id, event.exercise_id, event.n)

    def on_exercise_box_solution_shown(self, event: Any) -> None:
        event.stop()
        self.app.session.reveal(self.lesson.id, event.exercise_id)

    def restore_from_progress(self) -> None:
        """After a reset: page, parameters and exercises as saved (now the defaults)."""
        state = self.app.session.state(self.lesson.id)
        self.go_to_page(state.page)
        self.query_one(ParamPanel).set_values(self.values())
        self.build_experiment()
        self.call_later(self._replace_exercises, state)

    async def _replace_exercises(self, state: Any) -> None:
        if not is_live(self):
            return
        pane = self.query_one("#pane-exercises")
        await pane.remove_children()
        await pane.mount(self._exercise_box(state))
