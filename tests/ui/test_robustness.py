"""Issue 9 (UI side): the app never crashes, whatever the terminal size, keys or experiment.

Self-contained: its own small course and experiments (registered here), an
isolated state dir (the autouse fixture of conftest), Pilot on the real app.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual import events
from textual.geometry import Size
from textual.notifications import Notification, Notify
from textual.widgets import Input, Static
from textual.worker import WorkerCancelled

from tui_workshop.course.loader import load_course
from tui_workshop.experiments.base import REGISTRY, Experiment, Frame, TextPanel, register
from tui_workshop.experiments.schema import Choice, Float
from tui_workshop.i18n.message import msg
from tui_workshop.ui.widgets.bounded_input import ANSWER_MAX_LENGTH, PARAM_MAX_LENGTH


class Ticker(Experiment):
    """Trains for ever (until stopped): one step adds ``rate``."""

    name = "rb_ticker"
    title = "Ticker"
    trainable = True
    SCHEMA: ClassVar[dict] = {
        "rate": Float(1.0, 0.0, 10.0, label=msg("rate"), live=True),
        "shape": Choice("flat", ("flat", "steep"), label=msg("shape")),
    }

    def __init__(self, params: dict | None = None) -> None:
        super().__init__(params)
        self.value = 0.0

    @property
    def done(self) -> bool:
        return False

    def step(self) -> None:
        self.steps_done += 1
        self.value += float(self.params["rate"])

    def frame(self) -> Frame:
        return Frame(
            step=self.steps_done,
            status=f"value {self.value:g}",
            panels=(TextPanel("State", f"value = {self.value:g}"),),
            metrics={"value": self.value},
        )


class BrokenOnBuild(Experiment):
    name = "rb_broken"
    title = "Broken"
    trainable = True

    def __init__(self, params: dict | None = None) -> None:
        super().__init__(params)
        raise RuntimeError("broken on purpose " + "x" * 5000)


class ExitsOnBuild(Experiment):
    name = "rb_exits"
    title = "Exits"
    trainable = True

    def __init__(self, params: dict | None = None) -> None:
        super().__init__(params)
        raise SystemExit(3)


class ExitsOnStep(Ticker):
    """Builds, then raises SystemExit from its second step (in the worker or on F6)."""

    name = "rb_exits_on_step"

    def step(self) -> None:
        super().step()
        if self.steps_done >= 2:
            raise SystemExit("step asked to exit")


for _cls in (Ticker, BrokenOnBuild, ExitsOnBuild, ExitsOnStep):
    if _cls.name not in REGISTRY:
        register(_cls)

EXERCISE = """
[[exercises]]
id = "sum"
kind = "numeric"
prompt = "What is 2 + 2?"
answer = 4.0
"""

TICKER = '''+++
id = "ticker"
title = "Ticking"
duration = 5
objectives = ["Press play"]
experiment = "rb_ticker"

[params.rate]
kind = "float"
default = 1.0
min = 0.0
max = 10.0
label = "rate"
''' + EXERCISE + '''+++
## First
Press F5.

## Second
Answer below.
'''


def failing_lesson(lesson_id: str, experiment: str) -> str:
    return f'''+++
id = "{lesson_id}"
title = "Failing {lesson_id}"
duration = 5
objectives = ["Read on"]
experiment = "{experiment}"
''' + EXERCISE + '''+++
## First
The experiment fails to build.

## Second
The text still reads.
'''


@pytest.fixture
def rb_course(tmp_path: Path):
    folder = tmp_path / "rb-lessons" / "en"
    folder.mkdir(parents=True)
    (folder / "01-ticker.md").write_text(TICKER, encoding="utf-8")
    (folder / "02-broken.md").write_text(failing_lesson("broken", "rb_broken"), encoding="utf-8")
    (folder / "03-exits.md").write_text(failing_lesson("exits", "rb_exits"), encoding="utf-8")
    (folder / "04-exits-on-step.md").write_text(
        failing_lesson("exits-on-step", "rb_exits_on_step"), encoding="utf-8"
    )
    return load_course(folder)


class Harness:
    """The app plus every notice it showed (notices expire; the hook keeps them)."""

    def __init__(self, course: Any, start: str | None, store: Any = None) -> None:
        from tui_workshop.course.progress import ProgressStore
        from tui_workshop.ui.app import WorkshopApp

        self.notices: list[Notification] = []
        self.app = WorkshopApp(course, store or ProgressStore(), start)

    def hook(self, message: object) -> None:
        if isinstance(message, Notify):
            self.notices.append(message.notification)

    def run(self, size: tuple[int, int]):
        return self.app.run_test(size=size, message_hook=self.hook)

    def errors(self) -> list[str]:
        return [str(n.message) for n in self.notices if n.severity == "error"]

    def texts(self) -> list[str]:
        return [str(n.message) for n in self.notices]


async def settle(pilot, until=None, limit: int = 60) -> None:
    """Pause until ``until()`` holds (or a few times without a condition)."""
    for _ in range(limit if until else 3):
        await pilot.pause()
        if until is not None and until():
            return
    if until is not None:
        assert until(), "condition not reached"


async def stop_training(app) -> None:
    screen = app.lesson_screen()
    if screen is not None:
        screen.stop_run()
    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


def send(app, *keys: str) -> None:
    """Queue keys back to back, as fast typing does (no wait between them)."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


def top(app) -> str:
    return type(app.screen).__name__


# ---- 1. small terminals ------------------------------------------------------

SMALL = [(79, 24), (80, 23), (60, 20), (40, 12), (20, 5)]


@pytest.mark.parametrize("size", SMALL, ids=[f"{w}x{h}" for w, h in SMALL])
@pytest.mark.parametrize("start", ["ticker", None], ids=["lesson", "overview"])
async def test_starting_small_asks_to_enlarge_then_recovers(rb_course, size, start):
    harness = Harness(rb_course, start)
    app = harness.app
    async with harness.run(size) as pilot:
        await settle(pilot, lambda: top(app) == "TooSmallScreen")
        text = str(app.screen.query_one("#too-small-message", Static).render())
        assert f"{size[0]}×{size[1]}" in text and "80×24" in text
        await pilot.resize_terminal(100, 30)
        await settle(pilot, lambda: top(app) in ("LessonScreen", "OverviewScreen"))
        assert not any(type(s).__name__ == "TooSmallScreen" for s in app.screen_stack)
        assert app.return_code is None
    assert not harness.errors()


@pytest.mark.parametrize("size", SMALL, ids=[f"{w}x{h}" for w, h in SMALL])
async def test_resize_bursts_while_training(rb_course, size):
    harness = Harness(rb_course, "ticker")
    app = harness.app
    async with harness.run((100, 30)) as pilot:
        await settle(pilot, lambda: app.lesson_screen() and app.lesson_screen().experiment)
        await pilot.press("f5")
        burst = [size, (100, 30), size, (81, 25), size, (120, 40), size]
        for _ in range(5):
            for width, height in burst:
                new_size = Size(width, height)
                app.post_message(events.Resize(new_size, new_size))
            await pilot.pause()
        # The burst ends small: the request shows the final size.
        await settle(pilot, lambda: top(app) == "TooSmallScreen")
        text = str(app.screen.query_one("#too-small-message", Static).render())
        assert f"{size[0]}×{size[1]}" in text
        smalls = [s for s in app.screen_stack if type(s).__name__ == "TooSmallScreen"]
        assert len(smalls) == 1
        await pilot.resize_terminal(80, 24)
        await settle(pilot, lambda: top(app) == "LessonScreen")
        assert app.lesson_screen().playing
        await stop_training(app)
        assert app.return_code is None
    assert not harness.errors()


# ---- 2. fast keys --------------------------------------------------------------


@pytest.mark.parametrize(
    "answers", [("y", "y"), ("enter", "enter"), ("y", "enter", "n"), ("n", "y", "y")]
)
async def test_confirm_dialog_answers_once(rb_course, answers):
    harness = Harness(rb_course, "ticker")
    app = harness.app
    async with harness.run((80, 24)) as pilot:
        await settle(pilot, lambda: app.lesson_screen() and app.lesson_screen().experiment)
        await pilot.press("f5")
        send(app, "ctrl+r", *answers)
        await settle(pilot, lambda: top(app) == "LessonScreen")
        await settle(pilot)
        assert [type(s).__name__ for s in app.screen_stack][-1] == "LessonScreen"
        assert harness.texts().count("Lesson reset.") <= 1
        await stop_training(app)
    assert app.return_code in (None, 0)
    assert not harness.errors()


@pytest.mark.parametrize(
    "keys",
    [
        ("f2", "enter", "enter"),
        ("f1", "f1", "f1", "f1"),
        ("escape", "enter", "enter", "ctrl+n", "f4", "ctrl+t"),
        ("escape", "enter", "escape", "enter", "f5", "f6", "f9"),
        ("f8", "f7", "f8", "f7", "ctrl+t", "ctrl+n", "f5"),
        ("ctrl+r", "f1", "y", "escape", "n"),
    ],
    ids=["contents", "help", "overview-open", "overview-twice", "lessons", "confirm-help"],
)
async def test_fast_key_sequences_keep_a_usable_screen(rb_course, keys):
    harness = Harness(rb_course, "ticker")
    app = harness.app
    async with harness.run((80, 24)) as pilot:
        await settle(pilot, lambda: app.lesson_screen() and app.lesson_screen().experiment)
        await pilot.press("f5")
        for _ in range(3):
            send(app, *keys)
            await settle(pilot)
        assert top(app) != "Screen", "the default (blank) screen is showing"
        assert app.return_code is None
        await stop_training(app)
    errors = [e for e in harness.errors() if "experiment failed" not in e]
    assert not errors


# ---- 3. long input ---------------------------------------------------------------

BIG = "7" * 5_000_000


async def test_pasting_megabytes_into_a_parameter_is_cut_to_the_limit(rb_course):
    harness = Harness(rb_course, "ticker")
    app = harness.app
    async with harness.run((120, 40)) as pilot:
        await settle(pilot, lambda: app.screen.query("ParamPanel Input"))
        field = app.screen.query("ParamPanel Input").first(Input)
        field.focus()
        field.value = ""
        field.post_message(events.Paste(BIG + "\nsecond line"))
        await settle(pilot, lambda: field.value != "")
        assert field.value == "7" * PARAM_MAX_LENGTH
        await pilot.press("enter")
        await settle(pilot, lambda: any(n.severity != "information" for n in harness.notices))
        notices = [str(n.message) for n in harness.notices]
        assert all(len(text) < 300 for text in notices), notices
        assert app.lesson_screen().experiment.params["rate"] == 1.0  # refused: out of range
    assert not harness.errors()


async def test_pasting_megabytes_into_an_answer_is_cut_to_the_limit(rb_course):
    harness = Harness(rb_course, "ticker")
    app = harness.app
    async with harness.run((120, 40)) as pilot:
        await settle(pilot, lambda: app.screen.query("#eb-input"))
        field = app.screen.query_one("#eb-input", Input)
        field.focus()
        field.post_message(events.Paste(BIG))
        await settle(pilot, lambda: field.value != "")
        assert len(field.value) == ANSWER_MAX_LENGTH
        await pilot.press("enter")  # checked without delay, feedback is short
        await settle(pilot)
        feedback = str(app.screen.query_one("#eb-feedback", Static).render())
        assert len(feedback) < 400
        # Room left: a paste fills it and no more.
        field.value = "4"
        field.cursor_position = 1
        field.post_message(events.Paste("0" * 1000))
        await settle(pilot, lambda: len(field.value) > 1)
        assert field.value == "4" + "0" * (ANSWER_MAX_LENGTH - 1)
    assert app.return_code in (None, 0)


# ---- 4. experiments that fail to build --------------------------------------------


@pytest.mark.parametrize(
    ("lesson_id", "error_name"), [("broken", "RuntimeError"), ("exits", "SystemExit")]
)
async def test_an_experiment_failing_to_build_leaves_the_lesson_usable(
    rb_course, state_dir, lesson_id, error_name
):
    harness = Harness(rb_course, lesson_id)
    app = harness.app
    async with harness.run((120, 40)) as pilot:
        await settle(pilot, lambda: harness.errors())
        [error] = harness.errors()
        assert error_name in error
        assert len(error) < 600  # the 5000 x are not echoed
        screen = app.lesson_screen()
        assert screen is not None and screen.experiment is None
        await pilot.press("f5", "f6", "f9")  # nothing to run: no crash
        await pilot.press("f4")
        await settle(pilot, lambda: screen.page == 1)
        await settle(pilot, lambda: app.screen.query("#eb-input"))
        field = app.screen.query_one("#eb-input", Input)
        field.focus()
        field.value = "4"
        await pilot.press("enter")
        await settle(pilot, lambda: "sum" in app.lesson_progress(lesson_id).completed)
        assert app.return_code is None
    log = (state_dir / "tui-workshop.log").read_text(encoding="utf-8")
    assert "Traceback" in log and error_name in log


@pytest.mark.parametrize("key", ["f5", "f6"], ids=["worker", "ui-thread"])
async def test_system_exit_in_a_step_ends_the_run_not_the_app(rb_course, state_dir, key):
    harness = Harness(rb_course, "exits-on-step")
    app = harness.app
    async with harness.run((80, 24)) as pilot:
        await settle(pilot, lambda: app.lesson_screen() and app.lesson_screen().experiment)
        for _ in range(2 if key == "f6" else 1):
            await pilot.press(key)
        await settle(pilot, lambda: harness.errors())
        assert "SystemExit" in harness.errors()[0]
        await stop_training(app)
        assert not app.lesson_screen().playing
        await pilot.press("f4")
        await settle(pilot, lambda: app.lesson_screen().page == 1)
        assert app.return_code is None
    log = (state_dir / "tui-workshop.log").read_text(encoding="utf-8")
    assert "step asked to exit" in log and "Traceback" in log


# ---- 5. environment, log file, saving, screenshot -----------------------------------


async def test_unknown_color_system_falls_back_to_auto(rb_course, monkeypatch):
    from textual import constants

    monkeypatch.setattr(constants, "COLOR_SYSTEM", "bogus")
    harness = Harness(rb_course, "ticker")
    async with harness.run((80, 24)) as pilot:
        await settle(pilot, lambda: harness.notices)
        assert constants.COLOR_SYSTEM == "auto"
        assert any("TEXTUAL_COLOR_SYSTEM" in text for text in harness.texts())
        assert harness.app.return_code is None


async def test_log_is_never_written_through_a_symlink(rb_course, state_dir, tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("", encoding="utf-8")
    (state_dir / "tui-workshop.log").symlink_to(target)
    harness = Harness(rb_course, "broken")
    async with harness.run((80, 24)) as pilot:
        await settle(pilot, lambda: harness.errors())
        assert harness.app.return_code is None
    assert target.read_text(encoding="utf-8") == ""
    # The notice does not send the student to a log that holds nothing.
    assert all("tui-workshop.log" not in text for text in harness.errors())
    logging.getLogger("tui_workshop").handlers[0].close()


class FailingStore:
    """A progress store whose saves fail until ``failing`` is cleared."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.failing = True
        self.path = real.path
        self.notice = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def unwritable_reason(self) -> Any:
        return None

    def save(self, progress: Any, **kwargs: Any) -> Any:
        if self.failing:
            raise PermissionError(13, "Permission denied", str(self.path))
        return self.real.save(progress, **kwargs)


async def test_save_failure_is_told_once_until_it_works_again(rb_course):
    from tui_workshop.course.progress import ProgressStore

    store = FailingStore(ProgressStore())
    harness = Harness(rb_course, "ticker", store=store)
    app = harness.app

    def failures() -> int:
        return len([t for t in harness.texts() if "could not be saved" in t])

    async with harness.run((80, 24)) as pilot:
        await settle(pilot, lambda: app.lesson_screen() and app.lesson_screen().experiment)
        for key in ("f4", "f3", "f4", "f3"):
            await pilot.press(key)
            assert not app.session.flush()
        await settle(pilot, lambda: failures() >= 1)
        await settle(pilot)
        assert failures() == 1, harness.texts()
        store.failing = False
        await pilot.press("f4")
        assert app.session.flush()
        await settle(pilot, lambda: "Progress is saved again." in harness.texts())
        store.failing = True
        await pilot.press("f3")
        assert not app.session.flush()
        await settle(pilot, lambda: failures() == 2)


async def test_screenshot_command_saves_next_to_the_log_and_says_where(rb_course, state_dir):
    harness = Harness(rb_course, "ticker")
    app = harness.app
    async with harness.run((80, 24)) as pilot:
        await settle(pilot, lambda: app.lesson_screen() and app.lesson_screen().experiment)
        commands = [c for c in app.get_system_commands(app.screen) if c.title == "Screenshot"]
        assert len(commands) == 1
        commands[0].callback()
        await settle(pilot, lambda: any(".svg" in text for text in harness.texts()))
    [saved] = list(state_dir.glob("*.svg"))
    assert saved.read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert any(str(saved) in text for text in harness.texts())
    assert not (Path.home() / "Downloads").exists()


async def test_a_signal_saves_and_arms_an_exit_watchdog(rb_course, monkeypatch):
    """SIGTERM/SIGHUP save at once; if Textual's shutdown then hangs on a terminal that
    went away, a daemon timer ends the process with 128 + the signal's number."""
    import signal as signals

    from tui_workshop.ui import app as app_module

    armed: list[tuple[int, float]] = []

    def arm(code: int, grace: float = app_module.EXIT_GRACE_SECONDS):
        armed.append((code, grace))

    monkeypatch.setattr(app_module, "arm_exit_watchdog", arm)
    harness = Harness(rb_course, "ticker")
    app = harness.app
    async with harness.run((80, 24)) as pilot:
        await settle(pilot, lambda: app.lesson_screen() and app.lesson_screen().experiment)
        app.session.visit(app.lesson_screen().lesson.id, 1)
        app._on_signal(signals.SIGTERM)
        assert not app.session.dirty  # saved before anything else
    assert armed == [(128 + signals.SIGTERM, app_module.EXIT_GRACE_SECONDS)]
    assert app.stopped_by_signal == signals.SIGTERM


def test_the_exit_watchdog_is_a_daemon_timer(monkeypatch):
    from tui_workshop.ui import app as app_module

    ended: list[int] = []
    monkeypatch.setattr(app_module.os, "_exit", ended.append)
    timer = app_module.arm_exit_watchdog(143, grace=0.01)
    assert timer.daemon
    timer.join(5)
    assert ended == [143]
