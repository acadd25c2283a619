"""The training loop run by the lesson screen's thread worker.

Kept free of widgets so it can be tested alone: it steps an experiment until
it is done or asked to stop, sleeps between steps through an Event (so pause
and cancel wake it at once), and hands frames to ``publish``, plus one final
frame.

Frames are paced by the UI (issue 11): a frame is computed and sent only when
it is due (``frame_interval`` after the last one) *and* the UI has drawn the
previous one (the ``drawn`` event, set by the UI after the frame reached the
screen). A frame that is due while the previous one is still waiting means the
UI is late: the interval doubles (up to :data:`MAX_FRAME_INTERVAL`), and it
halves again, back to ``frame_interval``, while frames are drawn on time. A
saturated machine thus gets fewer frames, and its main threads keep time for
keys and navigation; training itself goes on at its pace.

Steps are taken in short bursts (:data:`STEP_BURST_SECONDS` of the schedule at
a time) with one pause after each: the same steps per second, in fewer wake-ups.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable

from tui_workshop.experiments.base import Experiment, Frame

# Steps per second offered by the speed keys; 0 means as fast as possible.
SPEEDS: tuple[float, ...] = (1, 2, 5, 10, 20, 50, 0)
DEFAULT_SPEED_INDEX = 4  # 20 steps/s
# Seconds between frames sent to the UI while it keeps up (the epoch counter: 2 Hz).
FRAME_INTERVAL = 0.5
MAX_FRAME_INTERVAL = 2.0  # the longest interval a late UI backs off to
# Steps are taken in bursts covering this much of the schedule (5 steps at 20/s),
# then the thread sleeps: a step after a sleep runs with cold caches and costs
# 2-3x one that follows another (issue 11), and frames show 2 per second anyway.
STEP_BURST_SECONDS = 0.25


def burst_size(steps_per_second: float) -> int:
    """Steps taken back to back before the next pause, at ``steps_per_second``."""
    if steps_per_second <= 0:
        return 1  # as fast as possible: no pause anyway
    return max(1, int(steps_per_second * STEP_BURST_SECONDS + 0.5))


class FramePacer:
    """When to send the next frame: due by time, and only once the last one was drawn.

    The UI calls :meth:`mark_drawn` when the previous frame has reached the screen.
    The worker asks :meth:`due` after each step and calls :meth:`sent` when it
    sends. The interval doubles when a frame was not drawn within one interval
    (or is still waiting when the next is due) and halves, down to the base
    interval, when one was drawn within half an interval. Thread-safe: the UI
    only writes ``drawn_at`` and then sets the Event.
    """

    def __init__(
        self,
        interval: float = FRAME_INTERVAL,
        *,
        max_interval: float = MAX_FRAME_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base = interval
        self.interval = interval
        self.max_interval = max(max_interval, interval)
        self.clock = clock
        self.drawn = threading.Event()
        self.drawn.set()  # nothing sent yet: nothing to wait for
        self.sent_at: float | None = None  # when the last frame was sent
        self.drawn_at: float | None = None  # when the UI drew it
        self.next_at: float | None = None  # when to look again
        self._penalised = False  # the last frame already slowed the pace
        self.late_count = 0  # times the UI was found late (tests and benchmarks)

    def mark_drawn(self) -> None:
        """From the UI: the last frame sent is on the screen."""
        self.drawn_at = self.clock()
        self.drawn.set()

    def _slower(self) -> None:
        self.late_count += 1
        self._penalised = True
        self.interval = min(self.interval * 2, self.max_interval)

    def due(self, now: float) -> bool:
        """True when a frame should be sent now (adapting the interval as it looks)."""
        if self.next_at is None:
            self.next_at = now + self.interval
            return False
        if now < self.next_at:
            return False
        if not self.drawn.is_set():
            # Due, but the last one is not drawn yet: the UI is late. Look again after
            # a longer interval (and send nothing before it has drawn).
            self._slower()
            self.next_at = now + self.interval
            return False
        return True

    def sent(self, now: float) -> None:
        """A frame is being sent at ``now``."""
        if self.drawn_at is not None and self.sent_at is not None and not self._penalised:
            latency = self.drawn_at - self.sent_at
            if latency > self.interval:
                self._slower()
            elif latency < self.interval / 2 and self.interval > self.base:
                self.interval = max(self.base, self.interval / 2)
        self._penalised = False
        self.sent_at = now
        self.next_at = now + self.interval
        self.drawn_at = None
        self.drawn.clear()


def training_loop(
    experiment: Experiment,
    *,
    publish: Callable[[Frame, bool], None],
    stop: threading.Event,
    steps_per_second: Callable[[], float],
    is_cancelled: Callable[[], bool] = lambda: False,
    frame_interval: float = FRAME_INTERVAL,
    clock: Callable[[], float] = time.monotonic,
    pacer: FramePacer | None = None,
) -> int:
    """Step ``experiment`` until done, stopped or cancelled; returns the steps taken.

    ``publish(frame, final)`` is called from this thread; exceptions from
    ``experiment.step()`` propagate to the caller. Without a ``pacer`` (whose
    ``drawn`` event the UI sets) frames are paced by time alone.
    """
    if pacer is None:
        pacer = FramePacer(frame_interval, max_interval=frame_interval, clock=clock)
        ack = False
    else:
        ack = True
    steps = 0
    pacer.due(clock())  # starts the clock

    def stopping() -> bool:
        return stop.is_set() or is_cancelled() or experiment.done

    burst = 1  # the first step alone; then bursts at the rate asked before each pause
    while not stopping():
        started = clock()
        taken = 0
        while taken < burst and not (taken and stopping()):
            experiment.step()
            taken += 1
        steps += taken
        now = clock()
        if pacer.due(now):
            pacer.sent(now)
            publish(experiment.frame(), False)
            if not ack:
                pacer.mark_drawn()
        rate = steps_per_second()
        if rate > 0 and not experiment.done:
            pause = taken / rate - (clock() - started)
            if pause > 0:
                stop.wait(pause)
        burst = burst_size(rate)
    if not is_cancelled():
        publish(experiment.frame(), True)
    return steps


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where there is none (macOS, musl)."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM: list[Callable[[int], int] | None] = []


def release_memory() -> None:
    """Free a replaced experiment now and give the pages back to the system.

    An experiment sits in reference cycles, so only the cyclic collector frees
    it; its arrays are few objects but many megabytes, so the collector's
    thresholds (counted in objects) let four or five old CNN experiments pile up
    before a full collection (+5 MiB per run, issue 11). A full collection here
    (a few ms once :func:`freeze_lasting_objects` has run, once per run or
    rebuild), then glibc's ``malloc_trim(0)``, which returns the freed pages it
    would otherwise keep.
    """
    gc.collect()
    if not _TRIM:
        _TRIM.append(_malloc_trim())
    trim = _TRIM[0]
    if trim is not None:
        trim(0)


def freeze_lasting_objects() -> None:
    """Leave what lives as long as the app (modules, the course, the stylesheet)
    out of every later collection.

    The cyclic collector walks every tracked object on a full collection: about
    100,000 once the app is up, 15-25 ms each time (after each run, and whenever
    its thresholds say so during training). ``gc.freeze()`` moves the objects
    alive now to a generation it never walks; called once the app is mounted and
    before any lesson or experiment exists, that is what stays until the end.
    """
    gc.freeze()


def thaw_lasting_objects() -> None:
    """Undo :func:`freeze_lasting_objects` when some of those objects may die (the
    course of the language left): the next full collection frees them."""
    gc.unfreeze()
