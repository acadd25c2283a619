"""The training loop run by the lesson screen's thread worker.

Kept free of widgets so it can be tested alone: it steps an experiment until
it is done or asked to stop, sleeps between steps through an Event (so pause
and cancel wake it at once), and hands frames to ``publish`` at most every
``frame_interval`` seconds, plus one final frame.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tui_workshop.experiments.base import Experiment, Frame

# Steps per second offered by the speed keys; 0 means as fast as possible.
SPEEDS: tuple[float, ...] = (1, 2, 5, 10, 20, 50, 0)
DEFAULT_SPEED_INDEX = 4  # 20 steps/s
FRAME_INTERVAL = 0.2  # seconds between frames sent to the UI (the epoch counter: 5 Hz)


def training_loop(
    experiment: Experiment,
    *,
    publish: Callable[[Frame, bool], None],
    stop: threading.Event,
    steps_per_second: Callable[[], float],
    is_cancelled: Callable[[], bool] = lambda: False,
    frame_interval: float = FRAME_INTERVAL,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Step ``experiment`` until done, stopped or cancelled; returns the steps taken.

    ``publish(frame, final)`` is called from this thread; exceptions from
    ``experiment.step()`` propagate to the caller.
    """
    steps = 0
    last_sent = clock()
    while not (stop.is_set() or is_cancelled() or experiment.done):
        started = clock()
        experiment.step()
        steps += 1
        now = clock()
        if now - last_sent >= frame_interval:
            publish(experiment.frame(), False)
            last_sent = now
        rate = steps_per_second()
        if rate > 0:
            pause = 1.0 / rate - (clock() - started)
            if pause > 0:
                stop.wait(pause)
    if not is_cancelled():
        publish(experiment.frame(), True)
    return steps
