"""Live training: play to the end, step, parameters, errors, quitting mid-run."""

from __future__ import annotations

import threading
import time

import pytest
from textual.widgets import Input, Select

from tests.ui.conftest import settle, wait_workers
from tui_workshop.experiments import create
from tui_workshop.ui.messages import FrameReady, RunFailed, RunStopped
from tui_workshop.ui.screens import LessonScreen
from tui_workshop.ui.worker import SPEEDS, FramePacer, burst_size, training_loop


def errors_shown(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def running_training_worker(pilot, app, timeout: float = 10.0):
    """The training worker once it is running and has taken its first step."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        worker = next((w for w in app.workers if w.group == "training"), None)
        if worker is not None and worker.is_running and app.screen.experiment.steps_done:
            return worker
        await pilot.pause(0.01)
    raise AssertionError("the training worker did not start")


async def start(pilot, app) -> LessonScreen:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    return screen


def test_training_loop_throttles_frames_and_sends_a_final_one():
    experiment = create("ui_counter", {"limit": 200})
    frames = []
    steps = training_loop(
        experiment,
        publish=lambda frame, final: frames.append((frame.step, final)),
        stop=threading.Event(),
        steps_per_second=lambda: 0,
        frame_interval=10.0,  # no intermediate frame within this run
    )
    assert steps == 200 and experiment.done
    assert frames == [(200, True)]


def test_training_loop_wakes_at_once_when_stopped():
    experiment = create("ui_counter", {"limit": 100})
    stop, pausing = threading.Event(), threading.Event()

    def one_step_every_5_s() -> float:  # asked right before each pause
        pausing.set()
        return 0.2

    frames = []
    thread = threading.Thread(
        target=training_loop,
        args=(experiment,),
        kwargs={
            "publish": lambda frame, final: frames.append(frame.step),
            "stop": stop,
            "steps_per_second": one_step_every_5_s,
        },
    )
    thread.start()
    assert pausing.wait(10)
    stop.set()
    thread.join(4)  # well before the 5 s pause would end
    assert not thread.is_alive()
    assert experiment.steps_done == 1 and frames == [1]


async def test_play_runs_to_completion_and_reports_frames(make_app):
    messages = []
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        screen = await start(pilot, app)
        screen.speed_index = len(SPEEDS) - 1  # max
        await pilot.press("f5")
        await wait_workers(app)
        await settle(pilot, 3)
        frames = [m for m in messages if isinstance(m, FrameReady)]
        stopped = [m for m in messages if isinstance(m, RunStopped)]
        assert frames and frames[-1].final and frames[-1].frame.step == 12
        assert [(m.steps, m.done) for m in stopped] == [(12, True)]
        assert screen.last_frame.step == 12 and screen.last_frame.done
        assert not screen.playing
        assert "finished" in str(screen.query_one("#ev-status").render())
        # The goal exercise "run at least 5 steps" was solved by the run.
        assert "run" in app.lesson_progress("first").completed
        # F5 on a finished run does not start another.
        await pilot.press("f5")
        await settle(pilot)
        assert not screen.playing


async def test_step_and_reset_experiment(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, app)
        await pilot.press("f6", "f6", "f6")
        await wait_workers(app)  # F6 steps in a worker
        await settle(pilot)
        assert screen.experiment.steps_done == 3 and screen.last_frame.step == 3
        await pilot.press("f9")
        await settle(pilot)
        assert screen.experiment.steps_done == 0 and screen.last_frame.step == 0


async def test_speed_keys_move_through_the_speed_list(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app)
        first = screen.speed_index
        await pilot.press("f11")
        assert screen.speed_index == first + 1
        for _ in range(len(SPEEDS) + 1):
            await pilot.press("f10")
        assert screen.speed_index == 0
        await settle(pilot)
        assert f"{SPEEDS[0]:g}/s" in str(screen.query_one("#ev-status").render())


async def test_parameter_changes_valid_invalid_live_and_rebuild(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app)
        await pilot.press("ctrl+t")
        panel = screen.query_one("ParamPanel")
        await pilot.press("f6")
        await wait_workers(app)
        await settle(pilot)
        before = screen.experiment

        # A live parameter changes the running experiment in place.
        rate = panel.control("rate")
        rate.focus()
        rate.value = "2.5"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.experiment is before and before.params["rate"] == 2.5
        assert before.steps_done == 1

        # Another parameter rebuilds the experiment.
        limit = panel.control("limit")
        limit.focus()
        limit.value = "30"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.experiment is not before
        assert screen.experiment.params["limit"] == 30 and screen.experiment.steps_done == 0
        assert app.lesson_progress("first").params == {"rate": 2.5, "limit": 30}

        # Out of range: refused, nothing changes.
        current = screen.experiment
        limit.value = "100000"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.experiment is current and current.params["limit"] == 30
        assert any(n.severity == "warning" for n in app._notifications)

        # A combination the experiment refuses: a clear message, old run kept.
        mode = panel.control("mode")
        assert isinstance(mode, Select)
        mode.value = "broken"
        await settle(pilot)
        assert screen.experiment is current
        assert any("broken" in text for text in errors_shown(app))
        assert panel.values["mode"] == "ok"
        assert app.lesson_progress("first").params["mode"] == "ok"
        assert isinstance(limit, Input)


async def test_saved_values_the_experiment_refuses_fall_back_to_defaults(make_app, state_dir):
    (state_dir / "progress.json").write_text(
        '{"version": 1, "current_lesson": "first",'
        ' "lessons": {"first": {"params": {"mode": "broken", "limit": 7}}}}'
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app)
        assert screen.experiment is not None
        assert screen.experiment.params["mode"] == "ok"
        assert screen.experiment.params["limit"] == 12
        assert any("broken" in text for text in errors_shown(app))


async def test_diverging_frame_shows_a_clear_notice(make_app):
    app = make_app(start_lesson="second")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app)
        screen.speed_index = len(SPEEDS) - 1
        await pilot.press("f5")
        await wait_workers(app)
        await settle(pilot, 3)
        assert screen.last_frame.level == "error"
        assert any("diverged" in text and "NaN" in text for text in errors_shown(app))


async def test_error_in_a_step_is_logged_not_raised(make_app, state_dir):
    messages = []
    app = make_app(start_lesson="second")
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        screen = await start(pilot, app)
        screen.query_one("ParamPanel").control("mode").value = "raise"
        await settle(pilot)
        screen.speed_index = len(SPEEDS) - 1
        await pilot.press("f5")
        await wait_workers(app)
        await settle(pilot, 3)
        failed = [m for m in messages if isinstance(m, RunFailed)]
        assert len(failed) == 1 and "the faulty experiment broke" in failed[0].error
        assert not screen.playing
        assert any("faulty experiment broke" in text for text in errors_shown(app))
        # F6 hits the same error: reported, the app keeps running.
        await pilot.press("f6")
        await wait_workers(app)
        await settle(pilot)
        assert app.is_running
    log = (state_dir / "tui-workshop.log").read_text()
    assert "Traceback" in log and "RuntimeError: the faulty experiment broke" in log


async def test_leaving_or_quitting_mid_training_ends_the_worker(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app)
        screen.query_one("ParamPanel").control("limit").value = "500"
        await pilot.press("enter")
        screen.speed_index = 0  # one step per second: the worker mostly sleeps
        await pilot.press("f5")
        worker = await running_training_worker(pilot, app)
        experiment = screen.experiment
        await pilot.press("escape")  # leaving the lesson stops it
        await wait_workers(app)
        assert worker.is_finished
        assert experiment.steps_done < 5
        assert screen.experiment is None  # the lesson left behind lets go of it

        app.open_lesson("first")
        await settle(pilot)
        app.screen.speed_index = 0
        await pilot.press("f5")
        worker = await running_training_worker(pilot, app)
        await pilot.press("ctrl+q")
    assert worker.is_finished


async def test_heatmap_grid_follows_the_widget(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app)
        await pilot.press("ctrl+t", "ctrl+t")  # the experiment maximised
        await settle(pilot, 3)
        view = screen.query_one("#experiment")
        for _ in range(3):  # the heatmap may be on another page of panels at 80x24
            if 2 in view.visible_panels:
                break
            view.cycle_panels()
            await settle(pilot, 3)
        size = view.heatmap_grid_size()
        assert size is not None
        assert screen.experiment.grid == size
        await pilot.resize_terminal(120, 40)
        await settle(pilot, 4)
        bigger = screen.query_one("#experiment").heatmap_grid_size()
        assert bigger != size and screen.experiment.grid == bigger


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_frame_pacer_waits_for_the_ui_and_backs_off_while_it_is_late():
    clock = FakeClock()
    pacer = FramePacer(0.25, max_interval=2.0, clock=clock)
    assert not pacer.due(0.0)  # starts the clock
    assert not pacer.due(0.2)
    assert pacer.due(0.25)
    pacer.sent(0.25)
    # Not drawn yet when the next is due: no frame, and the interval doubles each time.
    assert not pacer.due(0.5) and pacer.interval == 0.5
    assert not pacer.due(0.9)
    assert not pacer.due(1.0) and pacer.interval == 1.0
    assert not pacer.due(2.0) and pacer.interval == 2.0
    assert not pacer.due(4.0) and pacer.interval == 2.0  # capped
    clock.now = 4.5
    pacer.mark_drawn()
    assert not pacer.due(5.9)
    assert pacer.due(6.0)
    pacer.sent(6.0)
    # Drawn quickly (well within half the interval): the interval halves back to the base.
    for sent_at, expected in ((8.0, 1.0), (9.0, 0.5), (9.5, 0.25), (9.75, 0.25)):
        clock.now = pacer.sent_at + 0.01
        pacer.mark_drawn()
        assert pacer.due(sent_at)
        pacer.sent(sent_at)
        assert pacer.interval == expected
    # Drawn, but after more than an interval: slower again.
    clock.now = pacer.sent_at + 0.3
    pacer.mark_drawn()
    assert pacer.due(pacer.sent_at + 0.3)
    pacer.sent(clock.now)
    assert pacer.interval == 0.5
    assert pacer.late_count == 5


def test_training_loop_sends_no_frame_before_the_ui_drew_the_last_one():
    experiment = create("ui_counter", {"limit": 50})
    clock = FakeClock()

    def tick() -> float:  # each step takes 0.1 s of the fake clock
        clock.now += 0.05
        return clock.now

    pacer = FramePacer(0.2, max_interval=0.8, clock=tick)
    frames = []
    steps = training_loop(
        experiment,
        publish=lambda frame, final: frames.append((frame.step, final)),
        stop=threading.Event(),
        steps_per_second=lambda: 0,
        clock=tick,
        pacer=pacer,
    )
    assert steps == 50
    # One live frame (never marked drawn), then only the final one.
    assert len(frames) == 2 and frames[-1] == (50, True) and not frames[0][1]
    assert pacer.interval == 0.8 and pacer.late_count >= 2


async def test_a_running_lesson_paces_frames_by_what_it_drew(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, app)
        app.session.set_params("first", {"limit": 500})
        assert screen.build_experiment()
        drawn = []
        await pilot.press("f5")
        await running_training_worker(pilot, app)
        pacer = screen._pacer
        original = pacer.mark_drawn

        def mark() -> None:
            drawn.append(screen.last_frame.step)
            original()

        pacer.mark_drawn = mark
        deadline = time.monotonic() + 10
        while len(drawn) < 3 and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert len(drawn) >= 3 and drawn == sorted(drawn)
        await pilot.press("f5")
        await wait_workers(app)


class SleeplessStop(threading.Event):
    """A stop event whose waits advance a fake clock instead of sleeping."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.pauses: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.pauses.append(timeout or 0.0)
        self.clock.now += timeout or 0.0
        return self.is_set()


def test_training_loop_steps_in_bursts_at_the_rate_asked():
    assert [burst_size(rate) for rate in (0, 1, 2, 5, 10, 20, 50)] == [1, 1, 1, 1, 3, 5, 13]
    experiment = create("ui_counter", {"limit": 101})
    clock = FakeClock()
    stop = SleeplessStop(clock)
    steps = training_loop(
        experiment,
        publish=lambda frame, final: None,
        stop=stop,
        steps_per_second=lambda: 20,
        clock=clock,
    )
    assert steps == 101 and experiment.done
    # The first step alone, then 20 bursts of 5, each but the last followed by a
    # quarter-second pause (a burst's worth of the schedule).
    assert len(stop.pauses) == 20
    assert stop.pauses[0] == pytest.approx(0.05) and set(stop.pauses[1:]) == {0.25}
