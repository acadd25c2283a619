"""A class on one server: ``python -m tui_workshop.bench_class N``.

Starts N real app processes (``python -m tui_workshop --lesson ...``) at
once, each in its own 80x24 pty with its own state folder, waits until every
one has drawn its lesson and gone idle (the experiment is built after the
lesson shows), then presses F5 in all of them (training at the speed the
lesson defaults to) and, while they train, measures:

- each instance's epochs per second (read from the epoch counter on screen);
- each instance's CPU (from /proc/<pid>/stat) and proportional memory (PSS,
  /proc/<pid>/smaps_rollup);
- the key-to-screen latency of one extra *probe* instance that does not
  train: F4 / F3 (next / previous page) alternately, timed until the new
  page's "page k/n" shows in its pty (median, p90, max);
- with ``--lesson cnn-digits``: the time from F5 until each run reports its
  epoch limit;
- the time to the first drawn lesson of each instance and to quit them all.

With N = 1 it also steps the same experiment in a plain loop in a fresh
interpreter, for as many epochs as the app trained (without frames, and with
one frame every 0.5 s of epochs, as the app's worker sends them), and reports
the app's CPU against that engine CPU (target: at most 1.5x). A third figure
paces that loop like the app's worker (bursts of steps, a pause after each, a
frame every 0.5 s): the same work at the same rhythm without the UI, since a
step after a sleep costs 2-3x one in a tight loop.

The app's modules are compiled to bytecode first (as pip installs them), so
start-up is measured as students get it.

Every pty is drained by one selector thread, so no instance ever blocks on
its output. The run is bounded in time and always ends its processes (also
on ctrl+c). Linux only. Not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from tui_workshop.bench_app import (
    KEY_PLAY,
    KEY_QUIT,
    PtyApp,
    child_env,
    compile_bytecode,
    cpu_seconds_from_stat,
    epochs_in,
    lesson_marker,
    long_run_epochs,
    save_params,
    strip_ansi,
)

KEY_NEXT_PAGE = b"\x1b[14~"  # F4
KEY_PREV_PAGE = b"\x1bOR"  # F3
TAIL_CHARS = 4000  # screen text kept per instance to look for markers
FRAME_INTERVAL = 0.5  # ui/worker.py: the base interval between frames (longer when late)
CNN_LESSON = "cnn-digits"
LIMIT_MARKER = "Epoch limit reached"
PACED_EPOCHS = 200  # epochs of the paced engine loop (10 s at 20/s)


# ---------------------------------------------------------------- parsing helpers


def pss_mib_from_rollup(text: str) -> float | None:
    """Pss (proportional set size) in MiB from the text of /proc/<pid>/smaps_rollup."""
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return None


def percentile(values: list[float], fraction: float) -> float | None:
    """The ``fraction`` quantile (nearest rank, 0 < fraction <= 1) of ``values``."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[min(int(rank), len(ordered)) - 1]


def summary(values: list[float]) -> dict[str, float | None]:
    """min, median, p90 and max of ``values`` (None each when empty)."""
    if not values:
        return {"n": 0, "min": None, "median": None, "p90": None, "max": None}
    return {
        "n": len(values),
        "min": min(values),
        "median": median(values),
        "p90": percentile(values, 0.9),
        "max": max(values),
    }


def epoch_rate(samples: list[tuple[float, int]], start: float, end: float) -> float | None:
    """Epochs per second from (time, epoch) samples taken between ``start`` and ``end``."""
    inside = [(t, e) for t, e in samples if start <= t <= end]
    if len(inside) < 2 or inside[-1][0] <= inside[0][0]:
        return None
    (t0, e0), (t1, e1) = inside[0], inside[-1]
    return (e1 - e0) / (t1 - t0)


def page_marker(page: int, pages: int) -> str:
    """The start of the lesson screen's page line ("page 2/6")."""
    from tui_workshop.i18n import _

    return _("page {page}/{pages}: {title}", page=page, pages=pages, title="").rstrip(": ")


# ---------------------------------------------------------------- instances


@dataclass
class Instance:
    """One app in a pty, with what its output has shown so far."""

    app: PtyApp
    started: float
    drawn: float | None = None
    tail: str = ""
    bytes: int = 0
    samples: list[tuple[float, int]] = field(default_factory=list)
    wanted: str | None = None
    seen: threading.Event = field(default_factory=threading.Event)
    seen_at: float | None = None
    finished_at: float | None = None
    closed: bool = False

    def cpu_seconds(self) -> float | None:
        try:
            stat = Path(f"/proc/{self.app.pid}/stat").read_text()
        except OSError:
            return None
        return cpu_seconds_from_stat(stat, os.sysconf("SC_CLK_TCK"))

    def pss_mib(self) -> float | None:
        try:
            return pss_mib_from_rollup(Path(f"/proc/{self.app.pid}/smaps_rollup").read_text())
        except OSError:
            return None


class Drain:
    """One thread reading every pty as soon as it has output; parses what it shows."""

    def __init__(self, instances: list[Instance], marker: str) -> None:
        self.instances = instances
        self.marker = marker
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.selector = selectors.DefaultSelector()
        for inst in instances:
            self.selector.register(inst.app.master, selectors.EVENT_READ, inst)
        self.thread = threading.Thread(target=self._run, name="drain", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.selector.close()

    def expect(self, inst: Instance, text: str) -> None:
        """Start watching ``inst`` for ``text`` in output that arrives from now on."""
        with self.lock:
            inst.tail = ""
            inst.wanted = text
            inst.seen_at = None
            inst.seen.clear()

    def _run(self) -> None:
        while not self.stop.is_set():
            for key, _ in self.selector.select(timeout=0.05):
                inst: Instance = key.data
                try:
                    data = os.read(inst.app.master, 65536)
                except OSError:  # EIO: the child closed its terminal
                    data = b""
                if not data:
                    self.selector.unregister(inst.app.master)
                    inst.closed = True
                    continue
                self._feed(inst, time.perf_counter(), data)

    def _feed(self, inst: Instance, now: float, data: bytes) -> None:
        text = strip_ansi(data)
        with self.lock:
            inst.bytes += len(data)
            inst.tail = (inst.tail + text)[-TAIL_CHARS:]
            if inst.drawn is None and self.marker in inst.tail:
                inst.drawn = now
            shown = epochs_in(text)
            if shown:
                inst.samples.append((now, shown[-1]))
            if inst.finished_at is None and LIMIT_MARKER in inst.tail:
                inst.finished_at = now
            if inst.wanted is not None and inst.wanted in inst.tail:
                inst.wanted = None
                inst.seen_at = now
                inst.seen.set()


# ---------------------------------------------------------------- the run


IDLE_WINDOW = 1.0  # seconds over which an idle class uses at most IDLE_CORES
IDLE_CORES = 0.2  # all its apps together (60 idle ones use about 0.06)


def wait_idle(instances: list[Any], timeout: float, window: float = IDLE_WINDOW) -> float:
    """Wait until the instances together use at most IDLE_CORES over ``window``
    (every experiment built, nothing left to draw); the seconds waited. (Each
    alone is no sign: 60 busy apps on 2 cores get 3 % of a core each.)"""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        before = [inst.cpu_seconds() for inst in instances]
        time.sleep(window)
        after = [inst.cpu_seconds() for inst in instances]
        pairs = zip(before, after, strict=True)
        used = [b - a for a, b in pairs if a is not None and b is not None]
        if sum(used) <= IDLE_CORES * window:
            break
    return time.perf_counter() - started


def wait_until(condition, timeout: float, poll: float = 0.05) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if condition():
            return True
        time.sleep(poll)
    return condition()


ENGINE_LOOP = """
import json, sys, time
from tui_workshop import experiments
name, params, epochs, frames_every, rate, paced_epochs = json.loads(sys.argv[1])

def timed(with_frames):
    experiment = experiments.create(name, params)
    experiment.frame()
    cpu = time.process_time()
    for done in range(1, epochs + 1):
        experiment.step()
        if with_frames and done % frames_every == 0:
            experiment.frame()
    return time.process_time() - cpu

def paced():
    # The app's rhythm without its UI: bursts of steps, a pause after each, a frame
    # every FRAME_INTERVAL s (a step after a sleep costs more than one after another).
    try:
        from tui_workshop.ui.worker import burst_size
    except ImportError:  # a tree from before the bursts
        burst_size = lambda rate: 1
    experiment = experiments.create(name, params)
    experiment.frame()
    burst, done, last = burst_size(rate), 0, time.monotonic()
    cpu = time.process_time()
    while done < paced_epochs:
        started = time.monotonic()
        for _ in range(min(burst, paced_epochs - done)):
            experiment.step()
            done += 1
        if time.monotonic() - last >= FRAME_INTERVAL_S:
            experiment.frame()
            last = time.monotonic()
        pause = burst / rate - (time.monotonic() - started)
        if pause > 0:
            time.sleep(pause)
    return (time.process_time() - cpu) * epochs / paced_epochs

print(json.dumps({"epochs": epochs, "steps_cpu": timed(False),
                  "steps_and_frames_cpu": timed(True),
                  "paced_cpu": paced() if rate > 0 and paced_epochs > 0 else None,
                  "paced_epochs": paced_epochs}))
"""


def engine_cpu(
    lesson: Any,
    params: dict[str, Any],
    epochs: int,
    frames_every: int,
    source: Path | None,
    rate: float = 0.0,
) -> dict:
    """CPU seconds to step the lesson's experiment ``epochs`` times in a plain loop,
    without frames and with one frame every ``frames_every`` epochs, in a fresh
    interpreter running the same source tree as the app; with ``rate``, also paced
    like the app's worker (at most PACED_EPOCHS epochs, scaled to ``epochs``)."""
    env = app_env(Path(tempfile.gettempdir()), source)
    paced_epochs = min(epochs, PACED_EPOCHS) if rate > 0 else 0
    job = json.dumps([lesson.experiment, params, epochs, frames_every, rate, paced_epochs])
    code = ENGINE_LOOP.replace("FRAME_INTERVAL_S", repr(FRAME_INTERVAL))
    out = subprocess.run(
        [sys.executable, "-c", code, job],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(out.stdout)


def app_env(state: Path, source: Path | None) -> dict[str, str]:
    """The child's environment; ``source`` runs the app from another source tree."""
    env = child_env(state)
    if source is not None:
        env["PYTHONPATH"] = str(source)
        env["PYTHONSAFEPATH"] = "1"  # not the current directory first
    return env


def run(
    n: int, lesson_id: str, seconds: float, probes: int, source: Path | None = None
) -> dict[str, Any]:
    marker, lesson = lesson_marker(lesson_id)
    pages = len(lesson.pages)
    cnn = lesson_id == CNN_LESSON
    result: dict[str, Any] = {
        "n": n,
        "lesson": lesson_id,
        "seconds": seconds,
        "cores": os.cpu_count(),
        "load_before": os.getloadavg(),
        "source": str(source or Path(__file__).resolve().parent.parent),
    }
    result["bytecode_compiled"] = compile_bytecode(source)  # as installed by pip
    instances: list[Instance] = []
    drain: Drain | None = None
    with tempfile.TemporaryDirectory(prefix="tw-class-") as root:
        try:
            for i in range(n + 1):  # the last one is the probe
                state = Path(root) / f"student{i:02d}"
                state.mkdir()
                if not cnn:  # a run that outlasts the window
                    save_params(state, lesson_id, {"epochs": long_run_epochs(lesson)})
                command = [sys.executable, "-m", "tui_workshop", "--lesson", lesson_id]
                app = PtyApp(command, app_env(state, source))
                instances.append(Instance(app, app.start()))
            drain = Drain(instances, marker)
            drain.start()
            trainers, probe = instances[:n], instances[n]

            wait_until(lambda: all(i.drawn or i.closed for i in instances), 30 + 1.5 * n)
            drawn = [i.drawn - i.started for i in instances if i.drawn]
            result["startup_s"] = summary(drawn)
            result["startup_missing"] = sum(1 for i in instances if not i.drawn)
            # The lesson shows first; its experiment is built after that first paint.
            # F5 is pressed once every app is idle, as when a class is told to train.
            result["idle_after_s"] = wait_idle(instances, 30 + 0.5 * n)

            # A CNN run is short: its window starts at F5 and the run's CPU is measured whole.
            run_cpu0 = [inst.cpu_seconds() for inst in trainers]
            pressed = time.perf_counter()
            for inst in trainers:
                inst.app.send(KEY_PLAY)
            if not cnn:
                time.sleep(min(2.0, seconds / 4))  # workers start, first frames arrive
            start = time.perf_counter()
            cpu0 = [inst.cpu_seconds() for inst in trainers]
            latencies, lost = probe_keys(drain, probe, pages, seconds, probes)
            end = time.perf_counter()
            cpu1 = [inst.cpu_seconds() for inst in trainers]
            elapsed = end - start
            result["window_s"] = elapsed
            result["probe_latency_s"] = summary(latencies)
            result["probe_lost"] = lost
            rates = [epoch_rate(inst.samples, start, end) for inst in trainers]
            result["epochs_per_s"] = summary([r for r in rates if r is not None])
            result["epochs_per_s_each"] = rates
            cpus = [
                (b - a) / elapsed for a, b in zip(cpu0, cpu1, strict=True) if a is not None and b
            ]
            result["cpu_fraction"] = summary(cpus)
            result["cpu_total_cores"] = sum(cpus)
            result["pss_mib"] = summary([p for i in instances if (p := i.pss_mib())])
            result["bytes_per_s"] = summary([i.bytes / (end - i.started) for i in trainers])
            if cnn:
                wait_until(lambda: all(i.finished_at or i.closed for i in trainers), max(60, 2 * n))
                runs = [i.finished_at - pressed for i in trainers if i.finished_at]
                result["run_s"] = summary(runs)
                result["runs_unfinished"] = n - len(runs)
                result["pss_after_run_mib"] = summary([p for i in trainers if (p := i.pss_mib())])
            if n == 1:
                inst = trainers[0]
                if cnn and inst.finished_at and run_cpu0[0] is not None:
                    cpu = (inst.cpu_seconds() or 0.0) - run_cpu0[0]
                    epochs = int(lesson.defaults().get("epochs", 0))
                    result["single"] = compare_with_engine(
                        lesson, epochs, cpu, epochs / (inst.finished_at - pressed), source
                    )
                else:
                    result["single"] = single_comparison(lesson, inst, start, end, cpus, source)
            result["load_after"] = os.getloadavg()
            result["quit_s"] = quit_all(instances)
        finally:
            if drain is not None:
                drain.close()
            for inst in instances:
                with contextlib.suppress(Exception):
                    inst.app.close()
    return result


def probe_keys(
    drain: Drain, probe: Instance, pages: int, seconds: float, probes: int
) -> tuple[list[float], int]:
    """F4/F3 on the probe about every ``seconds / probes``; key-to-screen latencies."""
    latencies: list[float] = []
    lost = 0
    end = time.perf_counter() + seconds
    gap = seconds / max(probes, 1)
    page = 1
    while (now := time.perf_counter()) < end and len(latencies) + lost < probes:
        forward = page == 1
        page = page + 1 if forward else page - 1
        drain.expect(probe, page_marker(page, pages))
        sent = time.perf_counter()
        probe.app.send(KEY_NEXT_PAGE if forward else KEY_PREV_PAGE)
        if probe.seen.wait(timeout=max(5.0, end - sent)) and probe.seen_at is not None:
            latencies.append(probe.seen_at - sent)
        else:
            lost += 1
        with contextlib.suppress(ValueError):
            time.sleep(max(0.0, now + gap - time.perf_counter()))
    return latencies, lost


def single_comparison(
    lesson: Any,
    inst: Instance,
    start: float,
    end: float,
    cpus: list[float],
    source: Path | None,
) -> dict[str, Any]:
    """The app's CPU for the epochs it trained in the window against the engine's."""
    inside = [(t, e) for t, e in inst.samples if start <= t <= end]
    if len(inside) < 2 or not cpus or inside[-1][1] <= inside[0][1]:
        return {"error": "no epochs seen"}
    (t0, e0), (t1, e1) = inside[0], inside[-1]
    rate = (e1 - e0) / (t1 - t0)
    return compare_with_engine(lesson, e1 - e0, cpus[0] * (t1 - t0), rate, source)


def compare_with_engine(
    lesson: Any, epochs: int, app_cpu: float, rate: float, source: Path | None
) -> dict[str, Any]:
    """The app's CPU for ``epochs`` trained at ``rate`` epochs/s against the engine's."""
    frames_every = max(1, round(rate * FRAME_INTERVAL))
    params = {**lesson.defaults()}
    if lesson.id != CNN_LESSON:
        params["epochs"] = long_run_epochs(lesson)
    engine = engine_cpu(lesson, params, epochs, frames_every, source, rate)
    paced = engine.get("paced_cpu")
    return {
        **engine,
        "app_cpu": app_cpu,
        "ratio_to_paced": app_cpu / paced if paced else None,
        "ratio_to_steps": app_cpu / engine["steps_cpu"] if engine["steps_cpu"] else None,
        "ratio_to_steps_and_frames": app_cpu / engine["steps_and_frames_cpu"]
        if engine["steps_and_frames_cpu"]
        else None,
        "frames_every": frames_every,
    }


def quit_all(instances: list[Instance], timeout: float = 30.0) -> dict[str, Any]:
    """ctrl+q to every instance; seconds until each process ended."""
    sent = time.perf_counter()
    for inst in instances:
        with contextlib.suppress(OSError):
            inst.app.send(KEY_QUIT)
    ended: dict[int, float] = {}
    deadline = sent + timeout
    while len(ended) < len(instances) and time.perf_counter() < deadline:
        for i, inst in enumerate(instances):
            if i not in ended and inst.app.proc.poll() is not None:
                ended[i] = time.perf_counter() - sent
        time.sleep(0.05)
    times = list(ended.values())
    return {**summary(times), "not_ended": len(instances) - len(ended)}


# ---------------------------------------------------------------- report


def fmt(value: Any, unit: str = "", scale: float = 1.0, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value * scale:.{digits}f}{unit}"


def report(r: dict[str, Any]) -> str:
    def row(name: str, s: dict, unit: str = "", scale: float = 1.0, digits: int = 2) -> str:
        cells = " / ".join(fmt(s[k], "", scale, digits) for k in ("min", "median", "p90", "max"))
        return f"  {name:<34} {cells} {unit}  (n={s['n']})"

    load = ", ".join(f"{x:.2f}" for x in r["load_before"])
    out = [
        f"class benchmark: {r['n']} training + 1 probe, lesson {r['lesson']!r},"
        f" {r['cores']} cores, load average before {load}",
        f"  window {r['window_s']:.1f} s; figures min / median / p90 / max",
        row("start-up to lesson drawn", r["startup_s"], "s")
        + ("" if r.get("bytecode_compiled", True) else ", bytecode NOT compiled"),
        f"  {'all idle (experiments built) after':<34} {r['idle_after_s']:.1f} s more;"
        " F5 is pressed then",
        row("probe key-to-screen latency", r["probe_latency_s"], "ms", 1000, 0)
        + f", lost {r['probe_lost']}",
        row("epochs/s per instance", r["epochs_per_s"], "/s", 1, 1),
        row("CPU per instance", r["cpu_fraction"], "% of a core", 100, 1),
        f"  {'CPU of all trainers':<34} {r['cpu_total_cores']:.2f} cores",
        row("PSS per instance", r["pss_mib"], "MiB", 1, 1),
        row("bytes/s to each terminal", r["bytes_per_s"], "KiB/s", 1 / 1024, 1),
    ]
    if "run_s" in r:
        out.append(row("F5 to epoch limit (CNN run)", r["run_s"], "s", 1, 1))
        out.append(f"  runs unfinished: {r['runs_unfinished']}")
        out.append(row("PSS after the run", r["pss_after_run_mib"], "MiB", 1, 1))
    q = r["quit_s"]
    out.append(row("ctrl+q to exit", q, "s") + f", not ended {q['not_ended']}")
    if "single" in r:
        s = r["single"]
        if "error" in s:
            out.append(f"  single instance: {s['error']}")
        else:
            out.append(
                f"  single instance: app {s['app_cpu']:.2f} s CPU for {s['epochs']} epochs;"
                f" engine steps {s['steps_cpu']:.2f} s, steps + a frame every"
                f" {s['frames_every']} epochs {s['steps_and_frames_cpu']:.2f} s"
            )
            out.append(
                f"  app / engine CPU: {fmt(s['ratio_to_steps'])}x (steps only),"
                f" {fmt(s['ratio_to_steps_and_frames'])}x (with frames); target <= 1.5x"
            )
            if s.get("paced_cpu"):
                out.append(
                    f"  engine paced like the app (bursts, pauses, frames; no UI)"
                    f" {s['paced_cpu']:.2f} s: app / paced engine {fmt(s['ratio_to_paced'])}x"
                )
    load = ", ".join(f"{x:.2f}" for x in r["load_after"])
    out.append(f"  load average after {load}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tui_workshop.bench_class", description=__doc__.split("\n")[0]
    )
    parser.add_argument("n", type=int, help="instances that train (a probe is added)")
    parser.add_argument("--lesson", default="playground", help="playground or cnn-digits")
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring window")
    parser.add_argument("--probes", type=int, default=20, help="probe key presses")
    parser.add_argument(
        "--source", type=Path, help="run the app from this source tree (to compare versions)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        print("bench_class needs Linux (a pty and /proc)", file=sys.stderr)
        return 2
    if not 1 <= args.n <= 200 or args.seconds <= 0:
        print("N must be 1..200 and --seconds positive", file=sys.stderr)
        return 2
    # SIGTERM ends the run like ctrl+c: the finally blocks end every process.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        result = run(args.n, args.lesson, args.seconds, args.probes, args.source)
    except KeyboardInterrupt:
        print("interrupted; every instance was ended", file=sys.stderr)
        return 130
    print(json.dumps(result, indent=1) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
