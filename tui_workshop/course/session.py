"""One student's session with a course: lookup, pages seen, exercises, scores, saving.

The CLI and the UI both go through :class:`CourseSession`; nothing here
imports Textual. Every change marks the progress dirty; a background thread
saves it at most every ``debounce`` seconds (the file is merged with what is
on disk and replaced atomically, see :mod:`tui_workshop.course.progress`), so
no fsync ever runs on the UI thread while the student works. :meth:`flush`
saves now (on quit and on SIGTERM/SIGHUP). Save failures reach ``on_notice``
once, until saving works again.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from tui_workshop.course.params import coerce_params
from tui_workshop.course.progress import (
    MAX_ANSWER,
    MAX_WRONG,
    CorruptRun,
    LessonProgress,
    Progress,
    ProgressStore,
    RunStore,
    run_meta,
)
from tui_workshop.i18n.message import Msg, msg

if TYPE_CHECKING:
    from tui_workshop.course.loader import Course
    from tui_workshop.course.model import Lesson

DEBOUNCE_SECONDS = 0.5
Notify = Callable[[Msg], None]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 24 else text[:23] + "…"


class CourseSession:
    """A course, a progress store and the progress being made; see the module docstring.

    ``autosave=False`` (tests, tools) saves only on :meth:`flush`.
    """

    def __init__(
        self,
        course: Course,
        store: ProgressStore,
        *,
        autosave: bool = True,
        debounce: float = DEBOUNCE_SECONDS,
        on_notice: Notify | None = None,
    ) -> None:
        self.course = course
        self.store = store
        self.autosave = autosave
        self.debounce = debounce
        self.on_notice = on_notice
        # Called (on the caller's thread) after every change: class mode publishes then.
        self.on_change: Callable[[], None] | None = None
        self._lock = threading.RLock()  # guards the progress in memory
        self._save_lock = threading.Lock()  # one save at a time
        self._progress = store.load()
        self._dirty = False
        self._reset: set[str] = set()
        self._reset_all = False
        self._wake = threading.Event()  # something to save
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        # Kept runs (each lesson's experiment state): written by the saver thread too.
        self.runs = RunStore.beside(store)
        self._runs: dict[str, tuple[str, dict[str, Any]] | None] = {}  # id -> (meta, state)
        self._runs_pending: set[str] = set()
        self._runs_clear_all = False
        unwritable = store.unwritable_reason()
        # Shown once at start: a corrupt file moved aside, or why nothing will be saved.
        self.notice: Msg | None = unwritable or store.notice
        self._failing = unwritable is not None

    # ---- lessons --------------------------------------------------------------

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(self.course.lessons)

    def lesson(self, key: str | int | None) -> Lesson | None:
        """The lesson named by an id, a number or a file stem (see :func:`resolve`)."""
        if key is None:
            return None
        return self.course.resolve(str(key))

    def index(self, lesson_id: str) -> int:
        """The lesson's position in the course, -1 when it is not there."""
        for position, lesson in enumerate(self.course.lessons):
            if lesson.id == lesson_id:
                return position
        return -1

    def neighbour(self, lesson_id: str, offset: int) -> Lesson | None:
        """The lesson ``offset`` places away (None past either end)."""
        position = self.index(lesson_id)
        target = position + offset
        if position < 0 or not 0 <= target < len(self.course.lessons):
            return None
        return self.course.lessons[target]

    # ---- reading progress ------------------------------------------------------

    @property
    def current_lesson(self) -> str | None:
        with self._lock:
            return self._progress.current_lesson

    @property
    def first_time(self) -> bool:
        """Nothing recorded yet (the overview shows a hint on the keys)."""
        with self._lock:
            return self._progress.current_lesson is None and not self._progress.lessons

    def state(self, lesson_id: str) -> LessonProgress:
        """A copy of one lesson's saved state (empty when there is none)."""
        with self._lock:
            state = self._progress.lessons.get(lesson_id)
            return LessonProgress.from_json(state.to_json()) if state else LessonProgress()

    def snapshot(self) -> Progress:
        """A copy of the whole progress."""
        with self._lock:
            return self._progress.copy()

    def page(self, lesson_id: str) -> int:
        with self._lock:
            state = self._progress.lessons.get(lesson_id)
            return state.page if state else 0

    def resume_target(self) -> tuple[str, int] | None:
        """(lesson id, page) to reopen at start, or None for the overview."""
        with self._lock:
            lesson = self.lesson(self._progress.current_lesson)
            if lesson is None:
                return None
            page = self.page(lesson.id)
            return lesson.id, max(0, min(page, len(lesson.pages) - 1))

    def pages_seen(self, lesson: Lesson) -> int:
        with self._lock:
            state = self._progress.lessons.get(lesson.id)
            if state is None:
                return 0
            return len({page for page in state.seen if 0 <= page < len(lesson.pages)})

    def solved_count(self, lesson: Lesson) -> int:
        with self._lock:
            state = self._progress.lessons.get(lesson.id)
            if state is None:
                return 0
            return len({exercise.id for exercise in lesson.exercises} & state.completed)

    def hints_used(self, lesson: Lesson) -> int:
        with self._lock:
            state = self._progress.lessons.get(lesson.id)
            return sum(state.hints.values()) if state else 0

    def revealed_count(self, lesson: Lesson) -> int:
        with self._lock:
            state = self._progress.lessons.get(lesson.id)
            return len(state.revealed) if state else 0

    def is_complete(self, lesson: Lesson) -> bool:
        """Every page seen and every exercise solved."""
        if not lesson.pages:
            return False
        return (
            self.pages_seen(lesson) >= len(lesson.pages)
            and self.solved_count(lesson) >= len(lesson.exercises)
        )

    def score_totals(self) -> tuple[int, int]:
        """(exercises solved, exercises) over the whole course."""
        solved = sum(self.solved_count(lesson) for lesson in self.course.lessons)
        total = sum(len(lesson.exercises) for lesson in self.course.lessons)
        return solved, total

    def params(self, lesson: Lesson) -> tuple[dict[str, Any], list[Msg]]:
        """The lesson's defaults overridden by valid saved values, plus a warning per
        saved value that no longer fits (it falls back to the default)."""
        with self._lock:
            state = self._progress.lessons.get(lesson.id)
            saved = dict(state.params) if state else {}
        return coerce_params(lesson, saved)

    def _lesson_state(self, lesson_id: str) -> LessonProgress:
        return self._progress.lesson(lesson_id)

    def open(self, lesson_id: str) -> None:
        """The student opened a lesson: it becomes the current one."""
        with self._lock:
            self._progress.current_lesson = lesson_id
            self._lesson_state(lesson_id)
        self._changed()

    def visit(self, lesson_id: str, page: int) -> None:
        """The student is on ``page`` (0-based) of a lesson: current lesson, page, seen."""
        page = max(0, int(page))
        with self._lock:
            self._progress.current_lesson = lesson_id
            state = self._lesson_state(lesson_id)
            state.page = page
            state.seen.add(page)
        self._changed()

    def solve(self, lesson_id: str, exercise_id: str) -> bool:
        """Mark an exercise solved; True when it was not solved before."""
        with self._lock:
            state = self._lesson_state(lesson_id)
            new = exercise_id not in state.completed
            state.completed.add(exercise_id)
        self._changed()
        return new

    def record_attempt(
        self, lesson_id: str, exercise_id: str, answer_text: str, correct: bool
    ) -> None:
        """Count a checked answer; keep the last few wrong ones (for the classroom)."""
        with self._lock:
            state = self._lesson_state(lesson_id)
            state.attempts[exercise_id] = state.attempts.get(exercise_id, 0) + 1
            if correct:
                state.completed.add(exercise_id)
            else:
                wrong = state.wrong.setdefault(exercise_id, [])
                wrong.append(str(answer_text)[:MAX_ANSWER])
                del wrong[:-MAX_WRONG]
        self._changed()

    def reveal(self, lesson_id: str, exercise_id: str) -> None:
        with self._lock:
            self._lesson_state(lesson_id).revealed.add(exercise_id)
        self._changed()

    def hint_shown(self, lesson_id: str, exercise_id: str, count: int) -> None:
        """``count`` hints of an exercise have been shown (never decreases)."""
        with self._lock:
            hints = self._lesson_state(lesson_id).hints
            hints[exercise_id] = max(int(count), hints.get(exercise_id, 0))
        self._changed()

    def set_params(self, lesson_id: str, values: Mapping[str, Any]) -> None:
        """Remember parameter values (merged into those saved)."""
        with self._lock:
            self._lesson_state(lesson_id).params.update(values)
        self._changed()

    def clear_params(self, lesson_id: str) -> None:
        """Back to the lesson's defaults."""
        with self._lock:
            self._lesson_state(lesson_id).params.clear()
        self._changed()

    def reset_lesson(self, lesson_id: str) -> None:
        """Forget a lesson (also in other sessions' saves: a reset wins over a merge)."""
        with self._lock:
            self._progress.reset_lesson(lesson_id)
            self._reset.add(lesson_id)
        self.forget_run(lesson_id)
        self._changed()

    def reset_all(self) -> None:
        with self._lock:
            self._progress = Progress()
            self._reset_all = True
            self._reset.clear()
            self._runs.clear()
            self._runs_pending.clear()
            self._runs_clear_all = True
        self._changed()

    # ---- kept runs: a lesson's experiment as it was left ---------------------------

    def keep_run(
        self, lesson_id: str, experiment: str, params: Mapping[str, Any], state: Mapping[str, Any]
    ) -> None:
        """Keep a lesson's run (``state`` from its experiment; empty forgets it), written
        in the background like the progress (at once after :meth:`close`)."""
        entry = (run_meta(experiment, params), dict(state)) if state else None
        with self._lock:
            self._runs[lesson_id] = entry
            self._runs_pending.add(lesson_id)
        if self._closing.is_set() or not self.autosave:
            if self._closing.is_set():
                self._write_runs()
            return
        self._start_saver()

    def forget_run(self, lesson_id: str) -> None:
        self.keep_run(lesson_id, "", {}, {})

    def kept_run(
        self, lesson_id: str, experiment: str, params: Mapping[str, Any]
    ) -> tuple[dict[str, Any] | None, Msg | None]:
        """(the run kept for this experiment with these parameters, or None; a notice
        when a saved run had to be thrown away). Never raises."""
        meta = run_meta(experiment, params)
        with self._lock:
            if lesson_id in self._runs:
                entry = self._runs[lesson_id]
                return (dict(entry[1]) if entry and entry[0] == meta else None), None
        try:
            state = self.runs.load(lesson_id, meta)
        except CorruptRun as error:
            self._discard_run(lesson_id)
            return None, msg(
                "The saved run of this lesson could not be used ({reason}); it starts afresh.",
                reason=error.message,
            )
        return state, None

    def _discard_run(self, lesson_id: str) -> None:
        """Remove a kept run's file (a corrupt one)."""
        with contextlib.suppress(OSError):
            self.runs.remove(lesson_id)

    def _write_runs(self) -> None:
        with self._lock:
            pending = {key: self._runs.get(key) for key in self._runs_pending}
            clear_all = self._runs_clear_all
            self._runs_pending.clear()
            self._runs_clear_all = False
        try:
            if clear_all:
                self.runs.remove_all()
            for lesson_id, entry in pending.items():
                if entry is None or not self.runs.save(lesson_id, entry[0], entry[1]):
                    self.runs.remove(lesson_id)
        except (OSError, ValueError, TypeError) as error:
            # Progress saving reports a disk that refuses; a run is only a convenience.
            import logging

            logging.getLogger("tui_workshop").warning("a run could not be kept: %s", error)

    # ---- saving ---------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        with self._lock:
            return self._dirty

    def _changed(self) -> None:
        with self._lock:
            self._dirty = True
        if self.on_change is not None:
            self.on_change()
        if not self.autosave:
            return
        self._start_saver()

    def _start_saver(self) -> None:
        if self._thread is None and not self._closing.is_set():
            self._thread = threading.Thread(
                target=self._saver, name="progress-saver", daemon=True
            )
            self._thread.start()
        self._wake.set()

    def _saver(self) -> None:
        while not self._closing.is_set():
            self._wake.wait()
            if self._closing.is_set():
                return
            # Collect the changes of the next moment into one write.
            self._closing.wait(self.debounce)
            self._wake.clear()
            self._save_pending()
            self._write_runs()

    @property
    def display_name(self) -> str | None:
        """The name typed once in class mode (labs often share one account)."""
        return self._progress.display_name

    def set_display_name(self, name: str | None) -> None:
        with self._lock:
            self._progress.display_name = name or None
        self._changed()

    def flush(self) -> bool:
        """Save now what is pending; False when it could not be saved."""
        saved = self._save_pending()
        self._write_runs()
        return saved

    def _save_pending(self) -> bool:
        with self._save_lock:
            with self._lock:
                if not self._dirty:
                    return True
                snapshot = self._progress.copy()
                reset, reset_all = frozenset(self._reset), self._reset_all
                self._dirty = False
                self._reset.clear()
                self._reset_all = False
            try:
                written = self.store.save(snapshot, reset=reset, reset_all=reset_all)
            except (OSError, ValueError, TypeError) as error:
                with self._lock:
                    self._dirty = True  # saved by the next change or flush
                    self._reset |= reset
                    self._reset_all = self._reset_all or reset_all
                if not self._failing:
                    self._failing = True
                    self._notify(self.store.save_failed(error))
                return False
            if self._failing:
                self._failing = False
                self._notify(msg("Progress is saved again."))
            with self._lock:
                if not (self._reset or self._reset_all):
                    # What another session of this student saved meanwhile.
                    self._progress.absorb(written)
            return True

    def _notify(self, notice: Msg) -> None:
        if self.on_notice is not None:
            self.on_notice(notice)

    def close(self, timeout: float = 5.0) -> bool:
        """Stop the saver thread and save what is pending."""
        self._closing.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        return self.flush()
