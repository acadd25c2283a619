"""Benchmark every lesson's experiment as the app runs it (no UI).

For each lesson: the time to build the experiment and draw a frame, the
median and slowest step, and for trainable ones the time to run to the end
(epoch limit, early stop) with the lesson's defaults. A step should stay well
under 0.2 s so the app can pause and quit at once; the CNN and RNN lessons
must train in under 60 s.

    python -m tui_workshop.bench_experiments [--lesson ID] [--max-seconds S]
"""

from __future__ import annotations

import argparse
import statistics
import time

from tui_workshop.course.loader import find_lessons_dir, load_course
from tui_workshop.experiments import create

STEP_TARGET_S = 0.2
TRAIN_TARGET_S = {"cnn_digits": 60.0, "rnn_series": 60.0}


def measure(lesson, max_seconds: float) -> dict:
    started = time.perf_counter()
    exp = create(lesson.experiment, lesson.defaults())
    built = time.perf_counter() - started
    t = time.perf_counter()
    exp.frame()
    frame_s = time.perf_counter() - t
    steps: list[float] = []
    run_started = time.perf_counter()
    while exp.trainable and not exp.done and time.perf_counter() - run_started < max_seconds:
        t = time.perf_counter()
        exp.step()
        steps.append(time.perf_counter() - t)
    run_s = time.perf_counter() - run_started
    return {
        "lesson": lesson.id,
        "experiment": lesson.experiment,
        "build_ms": built * 1e3,
        "frame_ms": frame_s * 1e3,
        "steps": len(steps),
        "median_step_ms": statistics.median(steps) * 1e3 if steps else 0.0,
        "max_step_ms": max(steps) * 1e3 if steps else 0.0,
        "run_s": run_s,
        "finished": bool(exp.done),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", help="only this lesson id")
    parser.add_argument("--max-seconds", type=float, default=90.0, help="cap per run")
    args = parser.parse_args(argv)
    course = load_course(find_lessons_dir("en"))
    lessons = [lesson for lesson in course.lessons if args.lesson in (None, lesson.id)]
    header = (
        f"{'lesson':<22} {'build ms':>8} {'frame ms':>8} {'steps':>6} "
        f"{'step med ms':>11} {'step max ms':>11} {'run s':>7}  verdict"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for lesson in lessons:
        r = measure(lesson, args.max_seconds)
        verdict = []
        if r["max_step_ms"] > STEP_TARGET_S * 1e3:
            verdict.append(f"a step over {STEP_TARGET_S:g} s")
        target = TRAIN_TARGET_S.get(r["experiment"])
        if target is not None:
            ok = r["finished"] and r["run_s"] <= target
            verdict.append(f"trains in {r['run_s']:.1f} s (target <= {target:g} s)")
            if not ok:
                verdict.append("TOO SLOW")
        failures += any("over" in v or v == "TOO SLOW" for v in verdict)
        print(
            f"{r['lesson']:<22} {r['build_ms']:>8.1f} {r['frame_ms']:>8.1f} {r['steps']:>6} "
            f"{r['median_step_ms']:>11.2f} {r['max_step_ms']:>11.2f} {r['run_s']:>7.2f}  "
            + ("; ".join(verdict) or "ok")
        )
    print(f"\n{len(lessons)} lessons, {failures} over target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
