"""Benchmark of the classroom: ``python -m tui_workshop.bench_class_board [--seconds S]``.

Prints two figures beside their targets:

- one board refresh with 60 students (reading and validating the 60 status
  files, the figures, and redrawing the board's tables in a headless app):
  median of repeated refreshes, target <= 50 ms. The wall time includes
  waiting for the next frame; the CPU time is the work itself. A refresh in
  which no file changed (the usual one) reads nothing and redraws nothing;
- a student's added CPU for publishing: a :class:`~tui_workshop.course.classroom.Publisher`
  thread runs for ``--seconds`` while the status changes every 0.5 s (a busy
  student: every change is coalesced into at most one write per 2 s), with a
  hand up (the answered file is read on every wake); the process CPU time over
  the wall time, target < 0.5 % of a core.

Figures are wall-clock based: on a loaded machine they rise (the load
average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tui_workshop.course import classroom as cr

STUDENTS = 60
REFRESH_TARGET_MS = 50.0
PUBLISH_TARGET_PERCENT = 0.5


def fill_class(info: cr.ClassInfo, course: object, count: int = STUDENTS) -> None:
    """``count`` realistic status files: attempts on every exercise seen, wrong answers."""
    lessons = list(getattr(course, "lessons", ()))
    for index in range(count):
        here = index % max(1, len(lessons))
        attempts = {}
        solved = {}
        for lesson in lessons[: here + 1]:
            ids = [exercise.id for exercise in lesson.exercises]
            solved[lesson.id] = tuple(ids[: (index % 3) + 1])
            for exercise in ids:
                attempts[f"{lesson.id}/{exercise}"] = cr.Attempts(3, ("0.5", "1/2", "-0.58"))
        status = cr.StudentStatus(
            user=f"student{index:02d}",
            name=f"Student number {index:02d}",
            lesson=lessons[here].id if lessons else None,
            page=index % 4,
            solved=solved,
            attempts=attempts,
            hand=time.time() - index if index % 10 == 0 else None,
            active=time.time() - 30 * index,
            app_version="0.1.0",
        )
        cr.write_status(info.students_dir / f"{status.user}.json", status)


async def _refresh_times(
    info: cr.ClassInfo, course: object, repeats: int, cold: bool
) -> tuple[list[float], list[float]]:
    from tui_workshop.ui.screens.board import BoardApp, BoardScreen

    app = BoardApp(info, course)
    times, cpu_times = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        for _ in range(repeats):
            if cold:
                screen._cache.clear()  # every file read again, as if all 60 changed
            start, start_cpu = time.perf_counter(), time.process_time()
            if cold:
                screen.refresh_now()
            else:  # the timer's path: nothing changed, nothing redrawn
                screen.show(cr.scan_class(info.folder, cache=screen._cache), screen.clock())
            await pilot.pause()  # the redraw
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - start_cpu)
    return times, cpu_times


def board_refresh_ms(
    course: object, repeats: int = 20, cold: bool = True
) -> tuple[float, float, int]:
    """(median wall ms, median CPU ms, students shown) of a full board refresh."""
    with tempfile.TemporaryDirectory() as folder:
        info = cr.init_class(Path(folder) / "class")
        fill_class(info, course)
        times, cpu_times = asyncio.run(_refresh_times(info, course, repeats, cold))
        shown = len(cr.scan_class(info.folder).students)
    return statistics.median(times) * 1000, statistics.median(cpu_times) * 1000, shown


def scan_ms(course: object, repeats: int = 50) -> float:
    """Median ms of reading and validating the class folder alone."""
    with tempfile.TemporaryDirectory() as folder:
        info = cr.init_class(Path(folder) / "class")
        fill_class(info, course)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            cr.scan_class(info.folder)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def publish_cpu_percent(seconds: float = 10.0, change_every: float = 0.5) -> tuple[float, int]:
    """(% of one core, files written) for a Publisher over ``seconds`` of busy use."""
    with tempfile.TemporaryDirectory() as folder:
        info = cr.init_class(Path(folder) / "class")
        cr.mark_answered(info, "nobody", 1.0)
        publisher = cr.Publisher(info, info.students_dir / "me.json")
        attempts = {f"lesson/e{i}": cr.Attempts(2, ("0.5", "1")) for i in range(30)}
        start_cpu = time.process_time()
        start = time.monotonic()
        publisher.start()
        page = 0
        while time.monotonic() - start < seconds:
            page += 1
            publisher.update(
                cr.StudentStatus(
                    user="me",
                    name="Me",
                    lesson="lesson",
                    page=page,
                    attempts=attempts,
                    hand=start,
                )
            )
            time.sleep(change_every)
        publisher.stop(flush=False)
        wall = time.monotonic() - start
        cpu = time.process_time() - start_cpu
    return 100.0 * cpu / wall, publisher.writes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui_workshop.bench_class_board")
    parser.add_argument("--seconds", type=float, default=10.0, help="publishing run (s)")
    args = parser.parse_args(argv)
    from tui_workshop.course.loader import find_lessons_dir, load_course

    course = load_course(find_lessons_dir("en"))
    scan = scan_ms(course)
    median, cpu, shown = board_refresh_ms(course)
    warm, warm_cpu, _shown = board_refresh_ms(course, cold=False)
    percent, writes = publish_cpu_percent(args.seconds)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"read {STUDENTS} status files:           median {scan:6.1f} ms")
    print(f"board refresh, nothing changed:   median {warm:6.1f} ms, CPU {warm_cpu:.1f} ms")
    ok = "ok" if min(median, cpu) <= REFRESH_TARGET_MS else "OVER"
    print(
        f"board refresh, {shown} files changed:  median {median:6.1f} ms, CPU {cpu:.1f} ms"
        f"  (target <= {REFRESH_TARGET_MS:.0f} ms: {ok})"
    )
    ok = "ok" if percent < PUBLISH_TARGET_PERCENT else "OVER"
    print(
        f"publishing, busy student:     {percent:6.3f} % of a core, {writes} writes"
        f" in {args.seconds:.0f} s  (target < {PUBLISH_TARGET_PERCENT} %: {ok})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
