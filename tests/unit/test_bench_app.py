"""The measuring helpers of the app benchmark (no timing is asserted)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tui_workshop.bench_app import (
    Metric,
    PtyApp,
    bytes_per_row,
    check,
    cpu_seconds_from_stat,
    epochs_in,
    format_table,
    lesson_marker,
    measure_fast_run,
    peak_rss_mib_from_status,
    rate,
    strip_ansi,
)

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def test_strip_ansi_keeps_only_the_text() -> None:
    raw = (
        b"\x1b[?1049h\x1b[?25l\x1b[1;1H\x1b[38;5;33;48;2;10;20;30mLesson 8\x1b[0m"
        b"\x1b]0;title\x07\x1b[2;5H: The \xe2\x97\x8f playground\x1b(B\x1b=\x1b[?2026l"
    )
    assert strip_ansi(raw) == "Lesson 8: The ● playground"


def test_epochs_in_finds_every_counter_in_order() -> None:
    text = "epoch 35/500 · train loss 0.4\x00epoch  36/500 · newepoch 99 epochs 7"
    assert epochs_in(text) == [35, 36]
    assert epochs_in(strip_ansi(b"\x1b[3;1Hepoch 1\x1b[4;1H2/500")) == [12]


def test_cpu_seconds_from_stat_handles_odd_command_names() -> None:
    # Fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt
    # majflt cmajflt utime stime ...
    stat = "4242 (my (odd) app) S 1 2 3 0 -1 4194304 10 0 0 0 250 50 0 0 20 0 3 0"
    assert cpu_seconds_from_stat(stat, 100) == pytest.approx(3.0)


@linux_only
def test_cpu_and_memory_of_this_process() -> None:
    before = cpu_seconds_from_stat(Path("/proc/self/stat").read_text(), os.sysconf("SC_CLK_TCK"))
    sum(i * i for i in range(300_000))  # some CPU work
    after = cpu_seconds_from_stat(Path("/proc/self/stat").read_text(), os.sysconf("SC_CLK_TCK"))
    assert 0 <= before <= after
    peak = peak_rss_mib_from_status(Path("/proc/self/status").read_text())
    assert peak is not None and peak > 1


def test_peak_rss_from_status() -> None:
    status = "Name:\tpython\nVmPeak:\t  999 kB\nVmHWM:\t   81920 kB\nVmRSS:\t 1024 kB\n"
    assert peak_rss_mib_from_status(status) == pytest.approx(80.0)
    assert peak_rss_mib_from_status("Name:\tpython\n") is None


def test_bytes_per_row_attributes_output_to_cursor_rows() -> None:
    data = b"ab\x1b[3;1Hxyz\x1b[10;5H12345\x1b[3;40Hq"
    rows = bytes_per_row(data)
    assert sum(rows.values()) == len(data)
    assert rows[0] == 2
    assert rows[3] == len(b"\x1b[3;1Hxyz") + len(b"\x1b[3;40Hq")
    assert rows[10] == len(b"\x1b[10;5H12345")


def test_rate_between_first_and_last_samples() -> None:
    assert rate([(1.0, 10), (1.5, 40), (3.0, 210)]) == pytest.approx(100.0)
    assert rate([(1.0, 10)]) is None
    assert rate([(1.0, 10), (1.0, 20)]) is None


def test_check_and_table() -> None:
    fast = check("start-up", 0.3, "s", "<=", 0.5)
    slow = check("bytes/s", 40.0, "KiB/s", ">=", 50, note="too few")
    missing = check("ratio", None, "", ">=", 0.9)
    assert (fast.ok, slow.ok, missing.ok) == (True, False, None)
    assert check("cpu", 1.0, "%", "<", 1).ok is False
    table = format_table([fast, slow, missing, Metric("info", 1234.5, "/s")])
    lines = table.splitlines()
    assert lines[0].split(" | ")[0].strip() == "metric"
    assert "| <= 0.5 s" in lines[2] and lines[2].endswith("yes")
    assert lines[3].endswith("NO")
    assert "n/a" in lines[4]
    assert "1,234 /s" in lines[5] or "1,235 /s" in lines[5]
    assert "bytes/s: too few" in table


@linux_only
def test_pty_app_reads_what_the_child_draws() -> None:
    code = (
        "import sys, time, shutil; sys.stdout.write('\\x1b[2;3Hready %dx%d' % "
        "tuple(shutil.get_terminal_size())); sys.stdout.flush(); time.sleep(20)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    app = PtyApp([sys.executable, "-c", code], env)
    app.start()
    try:
        assert app.wait_for_text("ready 80x24", timeout=15) is not None
        assert app.cpu_seconds() >= 0
        assert (app.peak_rss_mib() or 0) > 0
    finally:
        app.close()
    assert app.proc.poll() is not None


@linux_only
def test_fast_run_times_whole_runs_that_end_within_a_round() -> None:
    # The playground's epoch limit is reached in about a second at the fastest
    # speed: each round resets, plays and reads the app until the limit shows.
    marker, lesson = lesson_marker("playground")
    fast = measure_fast_run(lesson, marker, window=6.0, rounds=2)
    assert fast["last_epoch"] == fast["epoch_limit"] == lesson.param("epochs").max
    assert fast["samples"] >= 4  # at least a first and a last counter in each round
    assert fast["epochs_per_s"] > 0 and fast["engine_epochs_per_s"] > 0
    assert fast["exit_status"] == 0
