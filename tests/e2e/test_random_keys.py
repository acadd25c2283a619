"""Random fast keys while training must never crash the app (issue 9).

Each case opens one lesson of the real course, starts training (F5), then
sends bursts of keys without waiting between the keys of a burst, as a
student hammering the keyboard would: F-keys, Tab, Enter, ctrl+r, y, n,
arrows, Escape, ctrl+t, ctrl+n, digits and letters. The walk wanders through
lessons, dialogs, help and contents. Afterwards the app must still run, with
no error notice and nothing logged as an unexpected error.

Each case sends ``KEYS_PER_CASE`` keys or stops at ``TIME_BUDGET`` seconds,
whichever comes first, so the module stays within a minute on a slow machine.
The seed is in the test id, so a failure reproduces with ``-k <lesson>-seed<n>``.
``KEY_LESSONS`` lists the lessons walked (the course used is made of these
only, so F7/F8 stay within them); set TUI_WORKSHOP_KEY_LESSONS=all (or a
comma-separated list of ids) to walk others.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import time
from pathlib import Path

import pytest
from textual import events
from textual.notifications import Notification, Notify
from textual.worker import WorkerCancelled

from tui_workshop.course.loader import find_lessons_dir, load_course

KEY_LESSONS = ("neuron", "playground", "rnn-series")
SEEDS = (1,)
KEYS_PER_CASE = 800  # three cases: a few thousand keys
TIME_BUDGET = 18.0  # seconds per case: a loaded CI machine sends fewer keys, never hangs
BURST = (1, 8)  # keys sent back to back before the app may catch up

KEYS = (
    [f"f{n}" for n in range(1, 12)] * 3
    + ["tab", "shift+tab", "enter", "enter", "ctrl+r", "y", "y", "n", "n", "escape", "escape"]
    + ["up", "down", "left", "right", "ctrl+t", "ctrl+t", "ctrl+n", "space", "backspace"]
    + list("0123456789")
    + list("abcdefghijklmnopqrstuvwxyz")
    + ["minus", "plus", "full_stop"]
)
# Runs that hit races seen in the wild: answers queued behind a dialog's first answer.
CHORDS = (
    ("ctrl+r", "y", "y"),
    ("ctrl+r", "enter", "enter"),
    ("ctrl+r", "n", "escape"),
    ("f2", "enter", "enter"),
    ("f1", "f1", "f1"),
    ("escape", "enter", "enter"),
    ("escape", "enter", "escape", "enter"),
    ("f8", "f7", "f5", "f6"),
)


def chosen_lessons() -> tuple[str, ...]:
    wanted = os.environ.get("TUI_WORKSHOP_KEY_LESSONS", "").strip()
    if not wanted:
        return KEY_LESSONS
    if wanted == "all":
        return load_course(find_lessons_dir("en"), lang="en").ids
    return tuple(part.strip() for part in wanted.split(",") if part.strip())


def course_of(lesson_ids: tuple[str, ...], folder: Path):
    """The real course reduced to ``lesson_ids`` (their files copied into ``folder``)."""
    source = find_lessons_dir("en")
    full = load_course(source, lang="en")
    folder.mkdir(parents=True)
    for lesson in full.lessons:
        if lesson.id in lesson_ids:
            shutil.copy(lesson.path, folder / Path(lesson.path).name)
    return load_course(folder, lang="en")


def key_event(key: str) -> events.Key:
    char = key if len(key) == 1 else {"space": " ", "full_stop": ".", "minus": "-"}.get(key)
    return events.Key(key, char)


CASES = [(lesson, seed) for lesson in chosen_lessons() for seed in SEEDS]


@pytest.mark.parametrize(
    ("lesson_id", "seed"), CASES, ids=[f"{lesson}-seed{seed}" for lesson, seed in CASES]
)
async def test_random_fast_keys_never_crash(
    lesson_id: str, seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui_workshop.course.progress import ProgressStore
    from tui_workshop.ui.app import WorkshopApp

    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setenv("TUI_WORKSHOP_STATE_DIR", str(state))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    course = course_of(chosen_lessons(), tmp_path / "lessons" / "en")
    rng = random.Random(seed)
    app = WorkshopApp(course, ProgressStore(), lesson_id)
    notices: list[Notification] = []

    def hook(message: object) -> None:
        if isinstance(message, Notify):
            notices.append(message.notification)

    screens: set[str] = set()
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        sent = 0
        deadline = time.monotonic() + TIME_BUDGET
        while sent < KEYS_PER_CASE and app.is_running and time.monotonic() < deadline:
            burst = [rng.choice(KEYS) for _ in range(rng.randint(*BURST))]
            if rng.random() < 0.15:
                burst.extend(rng.choice(CHORDS))
            if rng.random() < 0.05:
                burst.append("f5")  # keep something training
            for key in burst:
                app.post_message(key_event(key))
            sent += len(burst)
            await pilot.pause()
            screens.add(type(app.screen).__name__)
            assert type(app.screen).__name__ != "Screen", f"blank default screen after {burst}"
        assert app.is_running, "the app stopped during the key walk"
        assert app.return_code is None
        with contextlib.suppress(WorkerCancelled):
            # Stop any training before leaving, so the run ends cleanly.
            screen = app.lesson_screen()
            if screen is not None:
                screen.stop_run()
            await app.workers.wait_for_complete()
    errors = [str(n.message) for n in notices if n.severity == "error"]
    assert not errors, errors
    assert {"LessonScreen", "OverviewScreen"} <= screens
    assert app.return_code in (None, 0)
    log = state / "tui-workshop.log"
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    assert "unexpected error" not in text, text[-3000:]
