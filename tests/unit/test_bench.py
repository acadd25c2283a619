"""The training-step benchmark: every case runs and reports finite figures (no timing asserts)."""

from __future__ import annotations

import io
import math

import pytest

from tui_workshop import bench


def test_every_case_runs_and_reports_finite_figures():
    out = io.StringIO()
    results = bench.run(repeat=1, number=1, with_torch=False, out=out)
    assert [r["name"] for r in results] == [c.name for c in bench.CASES]
    for r in results:
        assert math.isfinite(r["numpy_us"]) and r["numpy_us"] > 0
        assert 0 < r["best_us"] <= r["numpy_us"]
        assert "torch_us" not in r
    text = out.getvalue()
    for case in bench.CASES:
        assert case.name in text
    assert "torch µs" not in text  # no PyTorch column when it is not asked for


def test_cnn_and_rnn_cases_are_listed_with_their_targets():
    targets = {c.name.split()[0]: c.target_us for c in bench.CASES}
    assert targets["CNN"] == 70
    assert targets["RNN"] == 85
    assert all(c.make_torch_step is not None for c in bench.CASES)


def test_select_by_name_fragment():
    assert [c.name.split()[0] for c in bench.select(["cnn"])] == ["CNN"]
    both = bench.select(["rnn", "CNN", "rnn"])
    assert [c.name.split()[0] for c in both] == ["RNN", "CNN"]
    assert bench.select(None) == bench.CASES
    with pytest.raises(ValueError, match="no case matches 'nope'"):
        bench.select(["nope"])


def test_main_runs_one_case(capsys):
    assert (
        bench.main(["--case", "W1 2-8-8-1 tanh/sigmoid, batch", "--repeat", "1", "--no-torch"]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("W1 ") for line in lines) == 1
    with pytest.raises(SystemExit):
        bench.main(["--case", "nope"])


def test_load_note_depends_on_load_per_cpu(monkeypatch):
    monkeypatch.setattr(bench.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(bench.os, "getloadavg", lambda: (0.4, 0.0, 0.0), raising=False)
    assert bench.load_note() is None
    assert bench.load_note(1.5) is not None
    monkeypatch.setattr(bench.os, "getloadavg", lambda: (3.5, 0.0, 0.0), raising=False)
    note = bench.load_note()
    assert note is not None and "3.50" in note
    out = io.StringIO()
    bench.run(bench.select(["W1 2-8-8-1 tanh/sigmoid, batch"]), 1, 1, with_torch=False, out=out)
    assert out.getvalue().count("note: load average 3.50") == 1


def test_torch_comparison_for_cnn_and_rnn():
    pytest.importorskip("torch")
    cases = bench.select(["CNN", "RNN"])
    results = bench.run(cases, repeat=1, number=1, with_torch=True, out=io.StringIO())
    for r in results:
        assert math.isfinite(r["torch_us"]) and r["torch_us"] > 0
        assert r["ratio"] == pytest.approx(r["torch_us"] / r["numpy_us"])
