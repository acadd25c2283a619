"""Memory of one app over a class session: ``python -m tui_workshop.bench_memory``.

Also reached as ``python -m tui_workshop.bench_app --memory``. Two measurements,
each on the real command in an 80x24 pty with its own state folder:

- **repeated runs** (issue 11: at most 5 % growth over 40 runs): the CNN lesson
  (``--lesson``), F5 until "Epoch limit reached", then F9, ``--runs`` times;
  resident memory (VmRSS) after each run.
- **the whole course** (at most 100 MiB resident): every lesson in order (F8),
  each experiment played for ``--play`` seconds; VmRSS after the last, and the
  peak (VmHWM).

Linux only (pty, /proc). Not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tui_workshop.bench_app import KEY_PLAY, KEY_RESET, PtyApp, child_env, lesson_marker

KEY_NEXT_LESSON = b"\x1b[19~"  # F8
LIMIT_MARKER = "Epoch limit reached"
RUNS_LESSON = "cnn-digits"
GROWTH_LIMIT = 0.05
RESIDENT_LIMIT_MIB = 100.0


def status_mib(pid: int, field: str) -> float | None:
    """A ``Vm...`` line of /proc/<pid>/status in MiB."""
    text = Path(f"/proc/{pid}/status").read_text()
    found = re.search(rf"^{field}:\s+(\d+)\s+kB", text, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def start(lesson_id: str, state: Path) -> PtyApp:
    marker, _lesson = lesson_marker(lesson_id)
    command = [sys.executable, "-m", "tui_workshop", "--lesson", lesson_id]
    app = PtyApp(command, child_env(state))
    app.start()
    if app.wait_for_text(marker, timeout=60) is None:
        app.close()
        raise RuntimeError(f"lesson {lesson_id!r} was not drawn")
    app.settle(quiet=1.0, timeout=15)
    return app


def repeated_runs(lesson_id: str, runs: int, timeout: float = 120.0) -> dict[str, Any]:
    """VmRSS after each of ``runs`` runs (F5 to the epoch limit, then F9)."""
    rss: list[float] = []
    seconds: list[float] = []
    with tempfile.TemporaryDirectory(prefix="tw-mem-") as state:
        app = start(lesson_id, Path(state))
        try:
            for _ in range(runs):
                app.send(KEY_PLAY)
                sent = time.perf_counter()
                if app.wait_for_text(LIMIT_MARKER, timeout) is None:
                    raise RuntimeError(f"run {len(rss) + 1} did not finish in {timeout:g} s")
                seconds.append(time.perf_counter() - sent)
                app.settle(quiet=0.3, timeout=5)
                rss.append(status_mib(app.pid, "VmRSS") or 0.0)
                app.send(KEY_RESET)
                app.settle(quiet=0.3, timeout=5)
            peak = status_mib(app.pid, "VmHWM")
            app.quit()
        finally:
            app.close()
    growth = (rss[-1] - rss[0]) / rss[0] if rss and rss[0] else None
    return {
        "lesson": lesson_id,
        "runs": runs,
        "rss_mib": rss,
        "run_seconds": seconds,
        "growth": growth,
        "peak_mib": peak,
    }


def whole_course(play: float) -> dict[str, Any]:
    """Every lesson in order, each experiment played ``play`` s; VmRSS at the end."""
    from tui_workshop.course.loader import find_lessons_dir, load_course

    course = load_course(find_lessons_dir("en"), lang="en")
    lessons = list(course.lessons)
    visited: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="tw-mem-") as state:
        app = start(lessons[0].id, Path(state))
        try:
            for index, lesson in enumerate(lessons):
                if index:
                    marker, _lesson = lesson_marker(lesson.id)
                    app.send(KEY_NEXT_LESSON)
                    if app.wait_for_text(marker, timeout=60) is None:
                        raise RuntimeError(f"F8 did not open {lesson.id!r}")
                    app.settle(quiet=0.5, timeout=10)
                app.send(KEY_PLAY)
                app.pump(play)
                visited.append((lesson.id, status_mib(app.pid, "VmRSS") or 0.0))
            app.settle(quiet=1.0, timeout=10)
            final = status_mib(app.pid, "VmRSS")
            peak = status_mib(app.pid, "VmHWM")
            app.quit()
        finally:
            app.close()
    return {"lessons": visited, "play_s": play, "rss_mib": final, "peak_mib": peak}


def report(runs: dict[str, Any] | None, course: dict[str, Any] | None) -> str:
    lines = [f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"]
    if runs is not None:
        rss = runs["rss_mib"]
        ok = runs["growth"] is not None and runs["growth"] <= GROWTH_LIMIT
        lines.append(
            f"{runs['runs']} runs of {runs['lesson']}: VmRSS {rss[0]:.1f} MiB after run 1,"
            f" {rss[-1]:.1f} after run {len(rss)}: growth {runs['growth'] * 100:+.1f} %"
            f" (target <= {GROWTH_LIMIT * 100:.0f} %) {'ok' if ok else 'MISSED'};"
            f" peak {runs['peak_mib']:.1f} MiB"
        )
        middle = ", ".join(f"{value:.1f}" for value in rss[:: max(1, len(rss) // 8)])
        lines.append(f"  VmRSS along the runs: {middle}")
        times = sorted(runs["run_seconds"])
        lines.append(f"  run time median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s")
    if course is not None:
        ok = course["rss_mib"] is not None and course["rss_mib"] <= RESIDENT_LIMIT_MIB
        lines.append(
            f"every lesson, each experiment played {course['play_s']:g} s:"
            f" VmRSS {course['rss_mib']:.1f} MiB (target <= {RESIDENT_LIMIT_MIB:g})"
            f" {'ok' if ok else 'MISSED'}; peak {course['peak_mib']:.1f} MiB"
        )
        lines.append(
            "  after each lesson: "
            + ", ".join(f"{lesson} {mib:.0f}" for lesson, mib in course["lessons"])
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tui_workshop.bench_memory", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--lesson", default=RUNS_LESSON, help="lesson of the repeated runs")
    parser.add_argument("--runs", type=int, default=40, help="repeated runs (0: skip)")
    parser.add_argument("--play", type=float, default=3.0, help="seconds each lesson plays")
    parser.add_argument("--no-course", action="store_true", help="skip the whole course")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        print("bench_memory needs Linux (a pty and /proc)", file=sys.stderr)
        return 2
    runs = repeated_runs(args.lesson, args.runs) if args.runs > 0 else None
    course = None if args.no_course else whole_course(args.play)
    if args.json:
        print(json.dumps({"runs": runs, "course": course}, indent=1))
    else:
        print(report(runs, course))
    return 0


if __name__ == "__main__":
    sys.exit(main())
