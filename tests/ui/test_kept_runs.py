"""A lesson's run is kept when the lesson is left or the app quits (Pilot, two app runs)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from tests.ui.conftest import REAL_COURSE, settle, wait_workers
from tui_workshop.ui.screens import LessonScreen

PLAYGROUND = next(lesson for lesson in REAL_COURSE.lessons if lesson.experiment == "playground")
NEURON = next(lesson for lesson in REAL_COURSE.lessons if lesson.experiment == "neuron")


@pytest.fixture
def make_real_app(make_store):
    from tui_workshop.ui.app import WorkshopApp

    def make(start_lesson: str | None = None) -> WorkshopApp:
        app = WorkshopApp(REAL_COURSE, make_store(), start_lesson)
        # Every notice, even one whose timeout ran out before the test looked.
        app.notices_seen = []
        notify = app.notify

        def recording(message, **kwargs):
            app.notices_seen.append((str(message), kwargs.get("severity", "information")))
            return notify(message, **kwargs)

        app.notify = recording
        return app

    return make


async def lesson_ready(pilot, app, lesson_id: str) -> LessonScreen:
    deadline = time.monotonic() + 60  # a loaded machine builds slowly: wait, do not guess
    while time.monotonic() < deadline:
        await pilot.pause()
        screen = app.screen
        if (
            isinstance(screen, LessonScreen)
            and screen.lesson.id == lesson_id
            and screen.experiment is not None
            and screen.last_frame is not None
        ):
            await settle(pilot)
            return screen
    raise AssertionError(f"lesson {lesson_id} did not build its experiment")


async def train(pilot, app, screen: LessonScreen, steps: int) -> None:
    for _ in range(steps):
        await pilot.press("f6")
        await wait_workers(app)
    await settle(pilot)


def notices(app) -> list[str]:
    return [text for text, _ in app.notices_seen]


def run_file(state_dir: Path, lesson_id: str) -> Path:
    return state_dir / "runs" / f"{lesson_id}.npz"


async def test_quitting_and_coming_back_finds_the_run_as_left(make_real_app, state_dir):
    app = make_real_app(PLAYGROUND.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lesson_ready(pilot, app, PLAYGROUND.id)
        await train(pilot, app, screen, 7)
        assert screen.experiment.steps_done == 7
        weights = screen.experiment.model.flat_params.copy()
        history = list(screen.experiment.history["train_loss"])
        await pilot.press("ctrl+q")
    assert run_file(state_dir, PLAYGROUND.id).is_file()

    again = make_real_app(PLAYGROUND.id)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await lesson_ready(pilot, again, PLAYGROUND.id)
        experiment = screen.experiment
        assert experiment.steps_done == 7 and experiment.trainer.epoch == 7
        assert np.array_equal(experiment.model.flat_params, weights)
        assert experiment.history["train_loss"] == history
        assert screen.last_frame.step == 7
        assert any("back where you left it (step 7)" in text for text in notices(again))
        await train(pilot, again, screen, 1)  # and it goes on from there
        assert experiment.steps_done == 8


async def test_leaving_a_lesson_and_coming_back_keeps_the_run(make_real_app, state_dir):
    app = make_real_app(PLAYGROUND.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await lesson_ready(pilot, app, PLAYGROUND.id)
        await train(pilot, app, screen, 3)
        app.open_lesson(NEURON.id)
        await lesson_ready(pilot, app, NEURON.id)
        assert not run_file(state_dir, NEURON.id).exists()  # nothing to keep there
        app.open_lesson(PLAYGROUND.id)
        screen = await lesson_ready(pilot, app, PLAYGROUND.id)
        assert screen.experiment.steps_done == 3
        # F9 starts afresh, and a fresh run is what the next visit finds
        await pilot.press("f9")
        await settle(pilot)
        app.open_lesson(NEURON.id)
        await lesson_ready(pilot, app, NEURON.id)
        app.open_lesson(PLAYGROUND.id)
        screen = await lesson_ready(pilot, app, PLAYGROUND.id)
        assert screen.experiment.steps_done == 0
        await pilot.press("ctrl+q")
    assert not run_file(state_dir, PLAYGROUND.id).exists()


async def test_other_parameters_start_afresh(make_real_app, state_dir):
    app = make_real_app(PLAYGROUND.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lesson_ready(pilot, app, PLAYGROUND.id)
        await train(pilot, app, screen, 2)
        await pilot.press("ctrl+q")
    neurons = PLAYGROUND.defaults()["neurons"]
    store = app.session.store
    from tui_workshop.course.session import CourseSession

    session = CourseSession(REAL_COURSE, store, autosave=False)
    session.set_params(PLAYGROUND.id, {"neurons": neurons + 1})
    session.close()

    again = make_real_app(PLAYGROUND.id)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await lesson_ready(pilot, again, PLAYGROUND.id)
        assert screen.experiment.params["neurons"] == neurons + 1
        assert screen.experiment.steps_done == 0
        assert not any("could not be used" in text for text in notices(again))


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"not a zip at all"),
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: _replace_entry(path, "run.trainer.model.w.0", np.zeros(3)),
        lambda path: (os.unlink(path), os.symlink("/etc/passwd", path)),
        lambda path: path.write_bytes(b"\0" * (9 << 20)),
    ],
    ids=["garbage", "truncated", "wrong-shape", "symlink", "huge"],
)
async def test_a_damaged_run_is_discarded_with_a_notice(make_real_app, state_dir, damage):
    app = make_real_app(PLAYGROUND.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lesson_ready(pilot, app, PLAYGROUND.id)
        await train(pilot, app, screen, 2)
        await pilot.press("ctrl+q")
    path = run_file(state_dir, PLAYGROUND.id)
    damage(path)

    again = make_real_app(PLAYGROUND.id)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await lesson_ready(pilot, again, PLAYGROUND.id)
        assert screen.experiment.steps_done == 0
        assert screen.experiment.trainer.epoch == 0
        assert any("could not be used" in text for text in notices(again)), notices(again)
        assert not [text for text, severity in again.notices_seen if severity == "error"]
        await train(pilot, again, screen, 1)
        assert screen.experiment.steps_done == 1


def _replace_entry(path: Path, name: str, value: np.ndarray) -> None:
    with np.load(path, allow_pickle=False) as data:
        entries = {key: data[key] for key in data.files}
    entries[name] = value
    with path.open("wb") as stream:
        np.savez(stream, **entries)


# ---- switching lessons: a loading line, then the first frame; one "finished" notice ----


async def test_a_lesson_shows_a_loading_line_until_its_first_frame(make_real_app, monkeypatch):
    built: list[LessonScreen] = []
    monkeypatch.setattr(LessonScreen, "_first_build", lambda self: built.append(self))
    app = make_real_app(PLAYGROUND.id)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause()
            if built:
                break
        screen = built[0]
        status = str(screen.query_one("#ev-status").render())
        assert "Loading the experiment" in status and "No experiment" not in status
        monkeypatch.undo()
        screen._first_build()
        await settle(pilot)
        status = str(screen.query_one("#ev-status").render())
        assert "Loading" not in status and screen.last_frame is not None


async def test_f6_on_a_finished_run_shows_one_notice_at_a_time(make_real_app):
    limits = next(lesson for lesson in REAL_COURSE.lessons if lesson.experiment == "limits")
    app = make_real_app(limits.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lesson_ready(pilot, app, limits.id)
        screen.query_one("ParamPanel").set_values({"demo": "attention"})
        app.session.set_params(limits.id, {"demo": "attention"})
        screen.build_experiment()
        await settle(pilot)
        assert screen.experiment.done
        before = len(notices(app))
        for _ in range(5):
            await pilot.press("f6")
            await pilot.press("f5")
        await settle(pilot)
        shown = notices(app)[before:]
        assert len(shown) == 1, shown
        assert "nothing to play" in shown[0]


async def test_goals_are_checked_against_the_first_frame(make_real_app):
    """The exercises mount after the experiment: they still get its first frame."""
    from tui_workshop.ui.widgets.exercise_box import ExerciseBox

    lesson = next(one for one in REAL_COURSE.lessons if one.experiment == "overfitting")
    app = make_real_app(lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lesson_ready(pilot, app, lesson.id)
        deadline = time.monotonic() + 30
        while not screen.query(ExerciseBox) and time.monotonic() < deadline:
            await pilot.pause()
        box = screen.query_one(ExerciseBox)
        goals = [e.id for e in lesson.exercises if e.kind == "goal"]
        assert goals and all(goal in box._goal_status for goal in goals)
