"""Benchmark of the whole app in a pseudo-terminal: ``python -m tui_workshop.bench_app``.

Runs the real command (``python -m tui_workshop --lesson playground``) in an
80x24 pty with an isolated state directory, the way a student's terminal
would, and reports beside each target:

- start-up: process start to the lesson drawn (median of several runs);
- bytes per second written to the terminal while the playground trains;
- CPU used over a quiet period with no training (from /proc/<pid>/stat);
- peak resident memory (VmHWM from /proc/<pid>/status);
- epochs per second inside the app (read from the epoch counter on screen, at
  the fastest speed) against the same experiment stepped in a plain loop.

Options: ``--quick`` (shorter windows, fewer runs), ``--json``, ``--rows``
(bytes per screen row while training, to see which part redraws), ``--lesson``.
Linux only (pty, /proc). Not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

COLS, ROWS = 80, 24
LESSON_ID = "playground"
KEY_PLAY = b"\x1b[15~"  # F5
KEY_FASTER = b"\x1b[23~"  # F11
KEY_QUIT = b"\x11"  # ctrl+q
KEY_RESET = b"\x1b[20~"  # F9
# A run long enough for any measuring window (saved as the lesson's epoch limit),
# cut to the most the lesson allows (see long_run_epochs).
LONG_RUN_EPOCHS = 1_000_000

ANSI = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    rb"|\x1bP[^\x1b]*\x1b\\"  # DCS
    rb"|\x1b[()][0-9A-Za-z]"  # character sets
    rb"|\x1b[=>78DEHMNOZc]"  # short escapes
)
CURSOR_TO = re.compile(rb"\x1b\[(\d+);(\d+)H")
EPOCH = re.compile(r"\bepoch\s+(\d+)")


# ---------------------------------------------------------------- helpers


def strip_ansi(data: bytes) -> str:
    """The printable text of terminal output, escape sequences removed."""
    return ANSI.sub(b"", data).decode("utf-8", errors="replace")


def epochs_in(text: str) -> list[int]:
    """Every epoch counter value shown in ``text``, in order."""
    return [int(match) for match in EPOCH.findall(text)]


def cpu_seconds_from_stat(stat: str, ticks_per_second: float) -> float:
    """utime + stime (all threads) from the text of /proc/<pid>/stat."""
    # The command name (field 2) may hold spaces or parentheses: split after the last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of the full line
    return (utime + stime) / ticks_per_second


def peak_rss_mib_from_status(status: str) -> float | None:
    """VmHWM (peak resident set) in MiB from the text of /proc/<pid>/status."""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def bytes_per_row(data: bytes) -> Counter[int]:
    """Bytes of output following each absolute cursor move, by screen row (1-based).

    Textual positions every updated line with ``ESC [ row ; col H``, so this
    shows which rows of the screen are redrawn; bytes before the first move
    count for row 0.
    """
    rows: Counter[int] = Counter()
    row, start = 0, 0
    for match in CURSOR_TO.finditer(data):
        rows[row] += match.start() - start
        row, start = int(match.group(1)), match.start()
    rows[row] += len(data) - start
    return rows


def rate(samples: list[tuple[float, int]]) -> float | None:
    """Units per second between the first and last (time, count) samples."""
    if len(samples) < 2 or samples[-1][0] <= samples[0][0]:
        return None
    (t0, n0), (t1, n1) = samples[0], samples[-1]
    return (n1 - n0) / (t1 - t0)


@dataclass
class Metric:
    """One line of the report; ``ok`` is None for figures without a target."""

    name: str
    measured: float | None
    unit: str
    target: str = ""
    ok: bool | None = None
    note: str = ""

    def cell(self) -> str:
        if self.measured is None:
            return "n/a"
        value = self.measured
        text = f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"
        return f"{text} {self.unit}".strip()


def check(name: str, value: float | None, unit: str, op: str, limit: float, **kw: Any) -> Metric:
    """A metric with a target ``value op limit`` (op one of <=, <, >=)."""
    ok = None
    if value is not None:
        ok = {"<=": value <= limit, "<": value < limit, ">=": value >= limit}[op]
    return Metric(name, value, unit, f"{op} {limit:g} {unit}".strip(), ok, **kw)


def format_table(metrics: list[Metric]) -> str:
    """The report as an aligned table: metric | measured | target | ok."""
    rows = [("metric", "measured", "target", "ok")]
    for m in metrics:
        ok = "" if m.ok is None else ("yes" if m.ok else "NO")
        rows.append((m.name, m.cell(), m.target or "-", ok))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    notes = [f"  {m.name}: {m.note}" for m in metrics if m.note]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))


# ---------------------------------------------------------------- the app in a pty


def _take_terminal() -> None:  # runs in the child, after setsid
    with contextlib.suppress(OSError):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@dataclass
class PtyApp:
    """The workshop command running on the slave side of an 80x24 pty."""

    args: list[str]
    env: dict[str, str]
    received: list[tuple[float, bytes]] = field(default_factory=list)

    def start(self) -> float:
        """Spawn the process; returns its start time (time.perf_counter)."""
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            self.args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            start_new_session=True,
            preexec_fn=_take_terminal,  # a fresh session needs its controlling terminal
        )
        os.close(slave)
        return started

    @property
    def pid(self) -> int:
        return self.proc.pid

    def read(self, timeout: float) -> bytes:
        """What the app wrote within ``timeout`` s (b"" when nothing or when it exited)."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return b""
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the terminal
            return b""
        self.received.append((time.perf_counter(), data))
        return data

    def pump(self, seconds: float) -> bytes:
        """Read everything written during ``seconds``."""
        chunks, deadline = [], time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            chunks.append(self.read(min(left, 0.05)))
            if self.proc.poll() is not None and not chunks[-1]:
                break
        return b"".join(chunks)

    def wait_for_text(self, marker: str, timeout: float) -> float | None:
        """The time (perf_counter) at which ``marker`` first shows in the output."""
        data, deadline = b"", time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            chunk = self.read(0.05)
            if chunk:
                data += chunk
                if marker in strip_ansi(data):
                    return self.received[-1][0]
            elif self.proc.poll() is not None:
                return None
        return None

    def settle(self, quiet: float = 0.5, timeout: float = 10.0) -> float:
        """Read until ``quiet`` s pass with no output; returns the last output time."""
        last = self.received[-1][0] if self.received else time.perf_counter()
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.read(quiet):
                last = self.received[-1][0]
            else:
                break
        return last

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def cpu_seconds(self) -> float:
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        return cpu_seconds_from_stat(stat, os.sysconf("SC_CLK_TCK"))

    def peak_rss_mib(self) -> float | None:
        return peak_rss_mib_from_status(Path(f"/proc/{self.pid}/status").read_text())

    def quit(self, timeout: float = 5.0) -> tuple[int | None, float]:
        """ctrl+q; returns (exit status or None, seconds until the process ended)."""
        self.send(KEY_QUIT)
        sent = time.perf_counter()
        while time.perf_counter() - sent < timeout:
            self.read(0.02)
            if self.proc.poll() is not None:
                return self.proc.returncode, time.perf_counter() - sent
        return None, time.perf_counter() - sent

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        os.close(self.master)


# ---------------------------------------------------------------- measurements


def lesson_marker(lesson_id: str) -> tuple[str, Any]:
    """The heading the lesson screen draws, and the lesson itself."""
    from tui_workshop.course.loader import find_lessons_dir, load_course
    from tui_workshop.i18n import _

    course = load_course(find_lessons_dir("en"), lang="en")
    lesson = next((item for item in course.lessons if item.id == lesson_id), None)
    if lesson is None:
        raise SystemExit(f"no lesson with id {lesson_id!r}")
    return _("Lesson {number}: {title}", number=lesson.number, title=lesson.title), lesson


def child_env(state_dir: Path, truecolor: bool = False) -> dict[str, str]:
    """An xterm with 256 colours (as over SSH, where COLORTERM is not passed on)."""
    hidden = ("NO_COLOR", "TMUX", "TEXTUAL", "COLORTERM")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env.update(
        TUI_WORKSHOP_STATE_DIR=str(state_dir),
        TERM="xterm-256color",
        COLUMNS=str(COLS),
        LINES=str(ROWS),
    )
    if truecolor:
        env["COLORTERM"] = "truecolor"
    return env


def long_run_epochs(lesson: Any) -> int:
    """The longest epoch limit the lesson accepts (a saved value above it is rejected)."""
    from tui_workshop import experiments

    limits: list[float | None] = [LONG_RUN_EPOCHS]
    with contextlib.suppress(KeyError):
        limits.append(experiments.catalogue()[lesson.experiment]["epochs"].max)
    with contextlib.suppress(KeyError):
        limits.append(lesson.param("epochs").max)
    return int(min(limit for limit in limits if limit is not None))


def save_params(state_dir: Path, lesson_id: str, params: dict[str, Any]) -> None:
    """Saved parameter values, restored by the app at start like a student's own."""
    from tui_workshop.course.progress import ProgressStore

    store = ProgressStore(state_dir / "progress.json")
    progress = store.load()
    progress.lesson(lesson_id).params.update(params)
    store.save(progress)


def launch(lesson_id: str, state_dir: Path, truecolor: bool = False) -> tuple[PtyApp, float]:
    command = [sys.executable, "-m", "tui_workshop", "--lesson", lesson_id]
    app = PtyApp(command, child_env(state_dir, truecolor))
    return app, app.start()


def compile_bytecode(tree: Path | None = None) -> bool:
    """Compile the app's modules to bytecode next to their sources, as pip does when it
    installs (with PYTHONDONTWRITEBYTECODE set, a source checkout never gets any and
    every start compiles about 60 modules: 0.1 s). True when it worked."""
    package = (tree or Path(__file__).resolve().parent.parent) / "tui_workshop"
    done = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        capture_output=True,
        timeout=300,
        check=False,
    )
    return done.returncode == 0


def measure_import() -> float:
    """Seconds to import the app's module in a fresh interpreter (part of start-up)."""
    code = (
        "import time; t = time.perf_counter(); import tui_workshop.ui.app; "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return float(out.stdout.strip())


def measure_startup(lesson_id: str, marker: str, runs: int) -> dict[str, Any]:
    """Wall time and CPU (of the whole process) to the lesson drawn, after compiling."""
    compiled = compile_bytecode()
    drawn, drawn_cpu, settled, exits, imports = [], [], [], [], []
    for _ in range(runs):
        imports.append(measure_import())  # interleaved: both see the same machine load
        with tempfile.TemporaryDirectory(prefix="tw-bench-") as state:
            app, started = launch(lesson_id, Path(state))
            try:
                seen = app.wait_for_text(marker, timeout=30)
                if seen is None:
                    raise RuntimeError(f"the lesson was not drawn: {strip_ansi(app.pump(0.2))!r}")
                drawn.append(seen - started)
                drawn_cpu.append(app.cpu_seconds())  # read a moment after: a little high
                settled.append(app.settle() - started)
                exits.append(app.quit())
            finally:
                app.close()
    return {
        "bytecode_compiled": compiled,
        "drawn": drawn,
        "drawn_cpu": drawn_cpu,
        "settled": settled,
        "exit_status": [status for status, _ in exits],
        "exit_seconds": [seconds for _, seconds in exits],
        "import": imports,
    }


def measure_default_run(
    lesson_id: str, marker: str, window: float, rows: bool, truecolor: bool = False
) -> dict[str, Any]:
    """Idle CPU, then bytes/s while training at the default speed."""
    with tempfile.TemporaryDirectory(prefix="tw-bench-") as state:
        app, _ = launch(lesson_id, Path(state), truecolor)
        try:
            if app.wait_for_text(marker, timeout=30) is None:
                raise RuntimeError("the lesson was not drawn")
            app.settle()
            cpu0, t0 = app.cpu_seconds(), time.perf_counter()
            idle_bytes = len(app.pump(window))
            idle_cpu = (app.cpu_seconds() - cpu0) / (time.perf_counter() - t0)

            app.send(KEY_PLAY)
            app.pump(0.5)  # the switch to the experiment pane and the first frames
            cpu0, t0 = app.cpu_seconds(), time.perf_counter()
            data = app.pump(window)
            elapsed = time.perf_counter() - t0
            train_cpu = (app.cpu_seconds() - cpu0) / elapsed
            shown = epochs_in(strip_ansi(data))
            peak = app.peak_rss_mib()
            status, exit_seconds = app.quit()
        finally:
            app.close()
    result: dict[str, Any] = {
        "idle_cpu": idle_cpu,
        "idle_bytes_per_s": idle_bytes / window,
        "train_bytes_per_s": len(data) / elapsed,
        "train_cpu": train_cpu,
        "epochs_shown": (shown[0], shown[-1]) if shown else None,
        "peak_rss_mib": peak,
        "exit_status": status,
        "exit_seconds": exit_seconds,
    }
    if rows:
        result["bytes_per_row"] = {
            row: count / elapsed for row, count in sorted(bytes_per_row(data).items())
        }
    return result


def measure_fast_run(lesson: Any, marker: str, window: float, rounds: int) -> dict[str, Any]:
    """Epochs/s shown on screen at the fastest speed against the engine alone.

    The lesson's epoch limit may be reached within a second at the fastest
    speed, so each of ``rounds`` rounds times whole runs: the engine steps a new
    experiment to its limit (or for ``window / rounds`` s) in this process while
    the app waits, then the app resets (F9), plays (F5) and is read until its
    counter shows the limit (or as long). The app's rate is taken between the
    first and the last counter drawn; its CPU from F5 to the end of the run.
    """
    from tui_workshop import experiments

    long_run = long_run_epochs(lesson)
    params = {**lesson.defaults(), "epochs": long_run}
    experiments.create(lesson.experiment, params).step()  # warm up
    part = window / rounds
    engine_epochs = engine_time = engine_cpu = 0.0
    app_epochs = app_time = app_bytes = app_cpu = app_wall = 0.0
    samples_seen = last_epoch = 0
    with tempfile.TemporaryDirectory(prefix="tw-bench-") as state:
        save_params(Path(state), lesson.id, {"epochs": long_run})
        app, _ = launch(lesson.id, Path(state))
        try:
            if app.wait_for_text(marker, timeout=30) is None:
                raise RuntimeError("the lesson was not drawn")
            app.settle()
            for _ in range(8):  # the speed keys stop at the fastest setting
                app.send(KEY_FASTER)
            app.pump(0.3)
            for _ in range(rounds):
                engine = experiments.create(lesson.experiment, params)
                done, elapsed, cpu = step_for(engine, part)
                engine_epochs += done
                engine_time += elapsed
                engine_cpu += cpu
                app.send(KEY_RESET)  # a new run: the last one may have reached its limit
                app.pump(0.5)
                first = len(app.received)
                cpu0, t0 = app.cpu_seconds(), time.perf_counter()
                app.send(KEY_PLAY)
                samples: list[tuple[float, int]] = []
                read = first
                while time.perf_counter() - t0 < part:
                    app_bytes += len(app.pump(0.05))
                    samples += [
                        (when, shown[-1])
                        for when, chunk in app.received[read:]
                        if (shown := epochs_in(strip_ansi(chunk)))
                    ]
                    read = len(app.received)
                    if samples and samples[-1][1] >= long_run:
                        break
                app_wall += time.perf_counter() - t0
                app_cpu += app.cpu_seconds() - cpu0
                if len(samples) >= 2:
                    app_epochs += samples[-1][1] - samples[0][1]
                    app_time += samples[-1][0] - samples[0][0]
                samples_seen += len(samples)
                if samples:
                    last_epoch = samples[-1][1]
                if last_epoch < long_run:
                    app.send(KEY_PLAY)  # pause
                app.pump(0.3)
            peak = app.peak_rss_mib()
            status, exit_seconds = app.quit()
        finally:
            app.close()
    in_app = app_epochs / app_time if app_time else None
    alone = engine_epochs / engine_time if engine_time else None
    return {
        "epochs_per_s": in_app,
        "engine_epochs_per_s": alone,
        "ratio": in_app / alone if in_app and alone else None,
        "samples": samples_seen,
        "last_epoch": last_epoch,
        "epoch_limit": long_run,
        "bytes_per_s": app_bytes / app_wall if app_wall else 0.0,
        "cpu": app_cpu / app_wall if app_wall else 0.0,
        "engine_cpu": engine_cpu / engine_time if engine_time else None,
        "peak_rss_mib": peak,
        "exit_status": status,
        "exit_seconds": exit_seconds,
    }


def step_for(experiment: Any, seconds: float) -> tuple[int, float, float]:
    """Step ``experiment`` in a plain loop for ``seconds``: (steps, elapsed, CPU seconds)."""
    done, started, cpu = 0, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - started) < seconds and not experiment.done:
        experiment.step()
        done += 1
    return done, elapsed, time.process_time() - cpu


# ---------------------------------------------------------------- report


def run(quick: bool, lesson_id: str, rows: bool) -> tuple[list[Metric], dict[str, Any]]:
    window = 3.0 if quick else 10.0
    runs = 3 if quick else 5
    marker, lesson = lesson_marker(lesson_id)
    raw: dict[str, Any] = {"lesson": lesson_id, "window_s": window, "terminal": f"{COLS}x{ROWS}"}
    raw["load_average"] = os.getloadavg()
    raw["startup"] = startup = measure_startup(lesson_id, marker, runs)
    raw["default_speed"] = default = measure_default_run(lesson_id, marker, window, rows)
    raw["fastest_speed"] = fast = measure_fast_run(lesson, marker, window, 2 if quick else 4)
    if not quick:
        raw["truecolor"] = measure_default_run(lesson_id, marker, window, False, truecolor=True)

    exit_statuses = [*startup["exit_status"], default["exit_status"], fast["exit_status"]]
    exit_times = [*startup["exit_seconds"], default["exit_seconds"], fast["exit_seconds"]]
    shown = default["epochs_shown"]
    metrics = [
        check(
            "start-up to lesson drawn (median)",
            median(startup["drawn"]),
            "s",
            "<=",
            0.5,
            note=f"{runs} runs: " + ", ".join(f"{t:.3f}" for t in startup["drawn"]) + " s"
            + ("" if startup["bytecode_compiled"] else "; bytecode NOT compiled"),
        ),
        check(
            "CPU to lesson drawn (median)",
            median(startup["drawn_cpu"]),
            "s",
            "<=",
            0.6,
            note=f"load average {raw['load_average'][0]:.2f}",
        ),
        Metric("start-up until the screen settles (median)", median(startup["settled"]), "s"),
        Metric("of which: importing the app (median)", median(startup["import"]), "s"),
        check(
            "bytes/s while training (default speed, 256 colours)",
            default["train_bytes_per_s"] / 1024,
            "KiB/s",
            "<=",
            15,
            note=f"epochs {shown[0]}..{shown[1]} shown in {window:g} s" if shown else "",
        ),
        Metric("bytes/s while training (fastest speed)", fast["bytes_per_s"] / 1024, "KiB/s"),
        Metric(
            "bytes/s while training (truecolor terminal)",
            raw["truecolor"]["train_bytes_per_s"] / 1024 if "truecolor" in raw else None,
            "KiB/s",
            note="" if "truecolor" in raw else "not measured with --quick",
        ),
        Metric("bytes/s idle", default["idle_bytes_per_s"] / 1024, "KiB/s"),
        check("idle CPU (lesson open, no training)", default["idle_cpu"] * 100, "%", "<", 1),
        Metric("CPU while training (default speed)", default["train_cpu"] * 100, "%"),
        check(
            "peak RSS (VmHWM) after training at default speed",
            default["peak_rss_mib"],
            "MiB",
            "<=",
            80,
        ),
        check(
            "peak RSS (VmHWM) after the fastest run",
            fast["peak_rss_mib"],
            "MiB",
            "<=",
            80,
            note=f"{long_run_epochs(lesson):,} epoch limit;"
            f" about {fast['last_epoch'] or 0:,} epochs of history kept",
        ),
        Metric("epochs/s in the app (fastest speed)", fast["epochs_per_s"], "/s"),
        Metric("epochs/s of the engine alone", fast["engine_epochs_per_s"], "/s"),
        Metric(
            "CPU of the app while training (fastest)",
            fast["cpu"] * 100,
            "%",
            note=f"the engine loop alone got {fast['engine_cpu'] * 100:.0f}% of a core;"
            f" load average {raw['load_average'][0]:.2f} on {os.cpu_count()} cores",
        ),
        check(
            "epochs/s app / engine",
            fast["ratio"],
            "",
            ">=",
            0.9,
            note=f"from {fast['samples']} epoch counters read on screen;"
            f" whole runs of {fast['epoch_limit']:,} epochs, each timed anew",
        ),
        check(
            "ctrl+q to exit (worst)",
            max(exit_times),
            "s",
            "<=",
            2,
            note="exit statuses " + ", ".join(str(s) for s in exit_statuses),
        ),
    ]
    if any(status != 0 for status in exit_statuses):
        metrics[-1].ok = False
    return metrics, raw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tui_workshop.bench_app", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="3 s windows and 3 start-ups")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--rows", action="store_true", help="bytes/s per screen row while training")
    parser.add_argument("--lesson", default=LESSON_ID, help="the lesson to open (playground)")
    parser.add_argument(
        "--memory", action="store_true", help="memory over 40 CNN runs and the whole course"
    )
    args, rest = parser.parse_known_args(argv)
    if args.memory:
        from tui_workshop.bench_memory import main as memory_main

        return memory_main(rest + (["--json"] if args.json else []))
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    if not sys.platform.startswith("linux"):
        print("bench_app needs Linux (a pty and /proc)", file=sys.stderr)
        return 2
    metrics, raw = run(args.quick, args.lesson, args.rows)
    if args.json:
        print(json.dumps({"metrics": [asdict(m) for m in metrics], "raw": raw}, indent=1))
    else:
        print(f"tui-workshop app benchmark: lesson {args.lesson!r}, {COLS}x{ROWS} pty")
        print(format_table(metrics))
        if args.rows:
            print("\nbytes/s by screen row while training (default speed):")
            for row, per_s in raw["default_speed"]["bytes_per_row"].items():
                print(f"  row {row:>2}: {per_s / 1024:7.2f} KiB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
