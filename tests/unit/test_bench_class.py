"""The class benchmark's parsing helpers, and a tiny real run (slow; no timing is asserted)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tui_workshop.bench_class import (
    Drain,
    Instance,
    engine_cpu,
    epoch_rate,
    page_marker,
    percentile,
    pss_mib_from_rollup,
    report,
    run,
    summary,
    wait_idle,
)

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

ROLLUP = """55d0c0a00000-7ffd1c1f5000 ---p 00000000 00:00 0                  [rollup]
Rss:               51200 kB
Pss:               40960 kB
Pss_Dirty:         30000 kB
Shared_Clean:      10000 kB
"""


def test_pss_is_read_from_smaps_rollup_in_mib() -> None:
    assert pss_mib_from_rollup(ROLLUP) == pytest.approx(40.0)
    assert pss_mib_from_rollup("Rss: 10 kB\n") is None


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 11)]  # 1..10
    assert percentile(values, 0.9) == 9.0
    assert percentile(values, 0.5) == 5.0
    assert percentile(values, 1.0) == 10.0
    assert percentile([3.0], 0.9) == 3.0
    assert percentile([], 0.9) is None


def test_summary_of_values_and_of_nothing() -> None:
    assert summary([4.0, 1.0, 3.0, 2.0]) == {
        "n": 4,
        "min": 1.0,
        "median": 2.5,
        "p90": 4.0,
        "max": 4.0,
    }
    assert summary([])["median"] is None


def test_epoch_rate_uses_only_samples_inside_the_window() -> None:
    samples = [(0.0, 0), (1.0, 20), (2.0, 40), (3.0, 50), (9.0, 500)]
    assert epoch_rate(samples, 1.0, 3.0) == pytest.approx(15.0)
    assert epoch_rate(samples, 0.5, 1.5) is None  # one sample only
    assert epoch_rate([], 0.0, 1.0) is None


def test_page_marker_matches_the_page_line() -> None:
    assert page_marker(2, 5) == "page 2/5"
    assert page_marker(2, 5) in "Lesson 8: The playground · page 2/5: The playground"


class FakeApp:
    master = -1


def test_drain_parses_epochs_markers_and_waited_text() -> None:
    inst = Instance(FakeApp(), started=0.0)  # type: ignore[arg-type]
    drain = Drain.__new__(Drain)  # no selector: feed output by hand
    drain.marker = "Lesson 8"
    drain.lock = threading.Lock()
    drain._feed(inst, 1.0, b"\x1b[1;1HLesson 8: The playground \x1b[2;1Hepoch 3/500")
    assert inst.drawn == 1.0 and inst.samples == [(1.0, 3)]
    drain.expect(inst, "page 2/5")
    drain._feed(inst, 2.0, b"\x1b[3;1Hepoch 7/500 \x1b[1;30Hpage 2")
    assert not inst.seen.is_set()  # split across two chunks
    drain._feed(inst, 2.5, b"/5: The playground")
    assert inst.seen.is_set() and inst.seen_at == 2.5
    drain._feed(inst, 3.0, b"Epoch limit reached (20 epochs).")
    assert inst.finished_at == 3.0
    assert inst.bytes > 0


def test_the_engine_loop_runs_plain_and_paced_like_the_app() -> None:
    from tui_workshop.bench_app import lesson_marker

    _marker, lesson = lesson_marker("playground")
    # 200 epochs/s: one burst of 50 covers the paced run, so it lasts a fraction of a second.
    figures = engine_cpu(lesson, dict(lesson.defaults()), 12, 4, None, rate=200.0)
    assert figures["epochs"] == 12 and figures["paced_epochs"] == 12
    assert figures["steps_cpu"] > 0 and figures["steps_and_frames_cpu"] > 0
    assert figures["paced_cpu"] > 0
    assert engine_cpu(lesson, dict(lesson.defaults()), 3, 1, None)["paced_cpu"] is None


class BusyFor:
    """An instance whose CPU grows by ``step`` seconds at each of its first ``reads`` reads."""

    def __init__(self, reads: int, step: float = 0.1) -> None:
        self.reads = reads
        self.step = step
        self.cpu = 0.0

    def cpu_seconds(self) -> float:
        if self.reads > 0:
            self.reads -= 1
            self.cpu += self.step
        return self.cpu


def test_the_class_waits_until_every_app_is_idle() -> None:
    busy, quiet = BusyFor(5), BusyFor(0)
    wait_idle([quiet, busy], timeout=5.0, window=0.001)
    assert busy.reads == 0  # read until it stopped growing
    # Thirty apps sharing the cores, each with 3 % of one: together they are busy.
    many = [BusyFor(3, step=0.03 * 0.01) for _ in range(30)]
    wait_idle(many, timeout=5.0, window=0.01)
    assert all(app.reads == 0 for app in many)
    always = BusyFor(10**9)
    waited = wait_idle([always], timeout=0.05, window=0.001)
    assert waited >= 0.05 and always.reads < 10**9


@linux_only
@pytest.mark.slow
def test_a_tiny_class_trains_and_is_cleaned_up() -> None:
    result = run(2, "playground", seconds=3.0, probes=3)
    assert result["startup_missing"] == 0
    assert result["probe_latency_s"]["n"] + result["probe_lost"] == 3
    assert result["probe_latency_s"]["n"] >= 1
    assert result["epochs_per_s"]["n"] == 2
    assert result["pss_mib"]["n"] == 3
    assert result["quit_s"]["not_ended"] == 0
    text = report(result)
    assert "probe key-to-screen latency" in text and "load average" in text
