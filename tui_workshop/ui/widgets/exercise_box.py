"""ExerciseBox: a lesson's exercises, one at a time, checked as the student answers.

API for the lesson screen::

    box = ExerciseBox(lesson.exercises, completed={"z"}, hints_shown={"z": 1},
                      revealed=set(), lesson=lesson, id="exercises")
    box.set_metrics(frame.metrics, params)   # goals are checked live (all of them)
    box.show_exercise(index)                 # or the Prev/Next buttons
    box.current                              # the Exercise shown (or None)
    box.completed, box.hints_shown, box.revealed   # the state, kept up to date

Layout (scrolls when taller than its region): a header "Exercise 2/4 ✓
solved" with ‹ Prev / Next › buttons, the prompt, then by kind: an Input and
a Check button (numeric, vector; Enter in the Input checks too), a RadioSet
and Check (choice), or the goal's target and a live status line (goal). Then
Hint (reveals the next hint, one at a time) and Solution (shown at once,
marked as revealed), the hints and solution shown so far, and the feedback
line (✓ / ≈ / ✗ marks keep it legible without colour).

Answers go through ``tui_workshop.course.exercises``: ``check(exercise,
text)``, ``check_choice(exercise, index)`` for choices, and
``check_goal(exercise, metrics, params, lesson)`` for goals; each gives a
Feedback. A goal's text is ``describe_goal(exercise, lesson)``.

Messages (bubble): ``ExerciseBox.Solved(exercise_id)`` (once, when an
exercise becomes solved), ``ExerciseBox.HintShown(exercise_id, n)`` (n hints
now shown), ``ExerciseBox.SolutionShown(exercise_id)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from tui_workshop.course.model import Exercise, Lesson
from tui_workshop.i18n import _
from tui_workshop.ui import palette
from tui_workshop.ui.text import text as as_text
from tui_workshop.ui.widgets.bounded_input import ANSWER_MAX_LENGTH, BoundedInput
from tui_workshop.ui.widgets.static_text import set_static

# Feedback.kind -> (mark, colour); the mark carries the meaning without colour.
FEEDBACK_STYLES: dict[str, tuple[str, str]] = {
    "correct": ("✓ ", palette.GREEN),
    "close": ("≈ ", palette.ORANGE),
    "wrong": ("✗ ", palette.VERMILLION),
    "invalid": ("? ", palette.ORANGE),
    "pending": ("… ", ""),
}


class ChoiceButton(RadioButton):
    """A choice whose long text wraps onto more lines instead of being cut."""

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return max(len(self.render().wrap(max(width, 1))), 1)


def _checker():
    from tui_workshop.course import exercises

    return exercises


class ExerciseBox(Widget):
    """Shows and checks a lesson's exercises; see the module docstring."""

    DEFAULT_CSS = """
    ExerciseBox {
        width: 1fr;
        height: 1fr;
    }
    ExerciseBox > VerticalScroll {
        height: 1fr;
    }
    ExerciseBox .eb-header {
        height: 1;
    }
    ExerciseBox #eb-title {
        width: 1fr;
        text-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ExerciseBox .eb-header Button {
        width: auto;
        min-width: 6;
        margin: 0 0 0 1;
    }
    ExerciseBox #eb-prompt {
        margin: 1 0 0 0;
        height: auto;
    }
    ExerciseBox .eb-answer {
        height: auto;
        margin: 1 0 0 0;
    }
    ExerciseBox .eb-answer Input {
        width: 1fr;
    }
    ExerciseBox .eb-answer RadioSet {
        width: 1fr;
        height: auto;
        border: none;
        padding: 0;
    }
    /* Long choices wrap instead of being cut with an ellipsis. */
    ExerciseBox .eb-answer ChoiceButton {
        width: 1fr;
        height: auto;
        text-wrap: wrap;
    }
    ExerciseBox Button {
        width: auto;
        margin: 0 0 0 1;
    }
    ExerciseBox .eb-tools {
        height: 1;
        margin: 1 0 0 0;
    }
    ExerciseBox .eb-line {
        height: auto;
    }
    ExerciseBox #eb-feedback {
        margin: 1 0 0 0;
    }
    """

    class Solved(Message):
        def __init__(self, exercise_id: str) -> None:
            super().__init__()
            self.exercise_id = exercise_id

    class HintShown(Message):
        def __init__(self, exercise_id: str, n: int) -> None:
            super().__init__()
            self.exercise_id = exercise_id
            self.n = n

    class Checked(Message):
        """An answer was checked (for class mode: attempts and wrong answers)."""

        def __init__(self, exercise_id: str, answer: str, correct: bool) -> None:
            super().__init__()
            self.exercise_id = exercise_id
            self.answer = answer
            self.correct = correct

    class SolutionShown(Message):
        def __init__(self, exercise_id: str) -> None:
            super().__init__()
            self.exercise_id = exercise_id

    def __init__(
        self,
        exercises: Sequence[Exercise],
        completed: Iterable[str] = (),
        hints_shown: Mapping[str, int] | None = None,
        revealed: Iterable[str] = (),
        index: int = 0,
        lesson: Lesson | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # The lesson names goals' parameters by the labels the student sees.
        self.lesson = lesson
        self.exercises: tuple[Exercise, ...] = tuple(exercises)
        self.completed: set[str] = set(completed)
        self.hints_shown: dict[str, int] = dict(hints_shown or {})
        self.revealed: set[str] = set(revealed)
        self.index = min(max(index, 0), max(len(self.exercises) - 1, 0))
        self._feedback: dict[str, tuple[str, Any]] = {}  # id -> (kind, message: Text)
        self._goal_status: dict[str, tuple[str, Any]] = {}
        self._goal_inputs: dict[str, tuple] = {}  # id -> what its last live check read
        self._drafts: dict[str, str] = {}
        self._metrics: Mapping[str, float] = {}
        self._params: Mapping[str, Any] = {}

    # ----------------------------------------------------------------- API
    @property
    def current(self) -> Exercise | None:
        return self.exercises[self.index] if self.exercises else None

    def show_exercise(self, index: int, focus: str | None = None) -> AwaitComplete:
        """Show exercise ``index`` (clamped), keeping what was typed in the others.

        May be awaited (the new exercise is on screen afterwards) or not.
        ``focus``: the id of the control to focus afterwards (the answer field
        when that control is disabled); by default focus stays where it was,
        or, when it was inside the box (its widgets are replaced), goes to the
        answer field.
        """
        had_focus = self.is_mounted and self.has_focus_within
        self._save_draft()
        if self.exercises:
            self.index = min(max(index, 0), len(self.exercises) - 1)
        return AwaitComplete(self._recompose_current(focus, had_focus)).call_next(self)

    async def _recompose_current(self, focus: str | None = None, had_focus: bool = False) -> None:
        await self.recompose()
        self._refresh_lines()
        if focus is not None:
            target = self.query(f"#{focus}")
            if target and target.first().focusable:
                target.first().focus(scroll_visible=True)
                return
        if focus is not None or had_focus:
            self.focus_answer()

    def focus_answer(self) -> bool:
        """Focus the current exercise's answer (field or choices), else its first control.

        Returns False when nothing in the box can take focus.
        """
        for selector in ("#eb-input", "#eb-choices", "Button"):
            for widget in self.query(selector):
                if widget.focusable:
                    widget.focus(scroll_visible=True)
                    return True
        return False

    def set_metrics(self, metrics: Mapping[str, float], params: Mapping[str, Any]) -> None:
        """Check every goal exercise against the live metrics and parameters."""
        self._metrics, self._params = dict(metrics), dict(params)
        before = (dict(self._goal_status), len(self.completed))
        for exercise in self.exercises:
            if exercise.kind != "goal":
                continue
            # A check reads one metric and the constrained parameters; most frames
            # change neither (the loss moves every frame, the accuracy seldom).
            inputs = (
                self._metrics.get(exercise.metric),
                tuple((n in self._params, self._params.get(n)) for n in exercise.constraints),
            )
            if self._goal_inputs.get(exercise.id) == inputs:
                continue
            self._goal_inputs[exercise.id] = inputs
            feedback = _checker().check_goal(exercise, self._metrics, self._params, self.lesson)
            self._goal_status[exercise.id] = (feedback.kind, feedback.message)
            if feedback.correct:
                self._mark_solved(exercise)
        # Called for every frame of a training: redraw only when a status changed.
        if self.is_mounted and (self._goal_status, len(self.completed)) != before:
            self._refresh_lines()

    # ------------------------------------------------------------ compose
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            exercise = self.current
            if exercise is None:
                yield Static(_("This lesson has no exercises."))
                return
            with Horizontal(classes="eb-header"):
                yield Static(id="eb-title", markup=False)
                yield Button(_("‹ Prev"), id="eb-prev", compact=True)
                yield Button(_("Next ›"), id="eb-next", compact=True)
            yield Static(exercise.prompt, id="eb-prompt", markup=False)
            if exercise.kind == "goal":
                yield Static(self._goal_text(exercise), id="eb-goal", markup=False)
                yield Static(id="eb-goal-status", classes="eb-line", markup=False)
            else:
                with Horizontal(classes="eb-answer"):
                    if exercise.kind == "choice":
                        with RadioSet(id="eb-choices"):
                            for i, choice in enumerate(exercise.choices):
                                yield ChoiceButton(f"{chr(ord('a') + i)}) {choice}")
                    else:
                        placeholder = (
                            _("your answer (e.g. [1, 2, 3] or 1 2; 3 4)")
                            if exercise.kind == "vector"
                            else _("your answer (e.g. 0.5, 1/3, sigmoid(0.2))")
                        )
                        yield BoundedInput(
                            self._drafts.get(exercise.id, ""),
                            max_length=ANSWER_MAX_LENGTH,
                            placeholder=placeholder,
                            id="eb-input",
                            compact=True,
                            # Keys redirected from the buttons append to the answer.
                            select_on_focus=False,
                        )
                    yield Button(_("Check"), id="eb-check", compact=True)
            with Horizontal(classes="eb-tools"):
                yield Button(_("Hint"), id="eb-hint", compact=True)
                yield Button(_("Solution"), id="eb-solution", compact=True)
            yield Static(id="eb-hints", classes="eb-line", markup=False)
            yield Static(id="eb-solution-text", classes="eb-line", markup=False)
            yield Static(id="eb-feedback", classes="eb-line", markup=False)

    def on_mount(self) -> None:
        self._refresh_lines()

    # ------------------------------------------------------------- events
    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        exercise = self.current
        if exercise is None or button not in {
            "eb-prev",
            "eb-next",
            "eb-check",
            "eb-hint",
            "eb-solution",
        }:
            return
        event.stop()
        if button == "eb-prev":
            self.show_exercise(self.index - 1, focus="eb-prev")
        elif button == "eb-next":
            self.show_exercise(self.index + 1, focus="eb-next")
        elif button == "eb-check":
            self._check(exercise)
        elif button == "eb-hint":
            self._next_hint(exercise)
        elif button == "eb-solution":
            self._reveal(exercise)

    def on_key(self, event: events.Key) -> None:
        """Printable keys typed on the box's buttons go into the answer field.

        A student typing an answer after pressing Check or Hint keeps typing
        it: the key lands in the field instead of acting on the lesson (``+``
        would change the run's speed). Space still presses a button.
        """
        if not event.is_printable or event.key == "space" or not event.character:
            return
        fields = self.query("#eb-input").results(Input)
        field = next(iter(fields), None)
        if field is None or self.screen.focused is field or field.disabled:
            return
        event.stop()
        event.prevent_default()
        field.focus()
        field.insert_text_at_cursor(event.character)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "eb-input" and self.current is not None:
            event.stop()
            self._check(self.current)

    # ---------------------------------------------------------- internals
    def _check(self, exercise: Exercise) -> None:
        checker = _checker()
        try:
            if exercise.kind == "goal":
                feedback = checker.check_goal(exercise, self._metrics, self._params, self.lesson)
                self._goal_status[exercise.id] = (feedback.kind, feedback.message)
            elif exercise.kind == "choice":
                index = self.query_one("#eb-choices", RadioSet).pressed_index
                if index < 0:
                    self._set_feedback(exercise, "invalid", _("Choose an answer first."))
                    return
                if hasattr(checker, "check_choice"):
                    feedback = checker.check_choice(exercise, index)
                else:
                    feedback = checker.check(exercise, str(index + 1))
            else:
                text = self.query_one("#eb-input", Input).value
                if not text.strip():
                    self._set_feedback(exercise, "invalid", _("Type an answer first."))
                    return
                feedback = checker.check(exercise, text)
        except Exception as error:  # a checker bug must not close the app
            self._set_feedback(
                exercise, "invalid", _("Could not check the answer: {error}", error=error)
            )
            return
        if exercise.kind != "goal" and feedback.kind != "invalid":
            answer = self._answer_text(exercise)
            self.post_message(self.Checked(exercise.id, answer, feedback.correct))
        if feedback.correct:
            self._mark_solved(exercise)
        self._set_feedback(exercise, feedback.kind, feedback.message)

    def _answer_text(self, exercise: Exercise) -> str:
        """What the student answered, as text: the typed value or the chosen choice."""
        if exercise.kind == "choice":
            index = self.query_one("#eb-choices", RadioSet).pressed_index
            return exercise.choices[index] if 0 <= index < len(exercise.choices) else ""
        return self.query_one("#eb-input", Input).value

    def _mark_solved(self, exercise: Exercise) -> None:
        if exercise.id not in self.completed:
            self.completed.add(exercise.id)
            self.post_message(self.Solved(exercise.id))

    def _next_hint(self, exercise: Exercise) -> None:
        shown = self.hints_shown.get(exercise.id, 0)
        if not exercise.hints:
            self._set_feedback(exercise, "pending", _("This exercise has no hints."))
            return
        if shown >= len(exercise.hints):
            self._set_feedback(exercise, "pending", _("No more hints."))
            return
        self.hints_shown[exercise.id] = shown + 1
        self.post_message(self.HintShown(exercise.id, shown + 1))
        self._refresh_lines()

    def _reveal(self, exercise: Exercise) -> None:
        if exercise.id not in self.revealed:
            self.revealed.add(exercise.id)
            self.post_message(self.SolutionShown(exercise.id))
        self._refresh_lines()

    def _set_feedback(self, exercise: Exercise, kind: str, message: Any) -> None:
        self._feedback[exercise.id] = (kind, message)
        self._refresh_lines()

    def _save_draft(self) -> None:
        exercise = self.current
        if exercise is not None:
            for field in self.query("#eb-input").results(Input):
                self._drafts[exercise.id] = field.value

    def _styled(self, kind: str, message: Any) -> Text:
        """A feedback line; ``message`` (a Msg from the checker, or str) rendered now."""
        mark, color = FEEDBACK_STYLES.get(kind, ("", ""))
        style = "" if palette.no_color(self.app) or not color else f"bold {color}"
        return Text(mark + as_text(message), style=style)

    def _goal_text(self, exercise: Exercise) -> str:
        """The goal with the metric's and parameters' labels, as the student sees them."""
        return as_text(_checker().describe_goal(exercise, self.lesson))

    def _refresh_lines(self) -> None:
        """Update the header, hints, solution, feedback and goal lines of the current one."""
        exercise = self.current
        if exercise is None or not self.query("#eb-title"):
            return
        title = _("Exercise {number}/{total}", number=self.index + 1, total=len(self.exercises))
        if exercise.id in self.completed:
            title += "  " + _("✓ solved")
        elif exercise.id in self.revealed:
            title += "  (" + _("solution shown") + ")"
        set_static(self.query_one("#eb-title", Static), title)
        self.query_one("#eb-prev", Button).disabled = self.index == 0
        self.query_one("#eb-next", Button).disabled = self.index >= len(self.exercises) - 1
        shown = min(self.hints_shown.get(exercise.id, 0), len(exercise.hints))
        hints = "\n".join(
            _("Hint {n}/{total}: {text}", n=i + 1, total=len(exercise.hints), text=hint)
            for i, hint in enumerate(exercise.hints[:shown])
        )
        hints_widget = self.query_one("#eb-hints", Static)
        set_static(hints_widget, hints)
        hints_widget.display = bool(hints)
        solution = self.query_one("#eb-solution-text", Static)
        if exercise.id in self.revealed:
            text = exercise.solution or _("No written solution for this exercise.")
            set_static(solution, _("Solution: {text}", text=text))
            solution.display = True
        else:
            solution.display = False
        feedback = self._feedback.get(exercise.id)
        line = self.query_one("#eb-feedback", Static)
        set_static(line, self._styled(*feedback) if feedback else "")
        line.display = feedback is not None
        if exercise.kind == "goal":
            status = self._goal_status.get(exercise.id)
            widget = self.query_one("#eb-goal-status", Static)
            if status is None:
                set_static(widget, _("now: run the experiment to measure it"))
            else:
                set_static(widget, self._styled(*status))
