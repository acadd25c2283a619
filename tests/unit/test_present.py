"""The instructor's files of a presentation and a poll: validation, ownership, counts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui_workshop.course import classroom as cr


@pytest.fixture
def klass(tmp_path: Path) -> cr.ClassInfo:
    return cr.init_class(tmp_path / "class")


def good() -> dict:
    return {
        "version": 1,
        "lesson": "neuron",
        "page": 2,
        "params": {"w1": 0.5, "layers": 2, "activation": "tanh", "bias": True},
        "playing": True,
        "presenting": True,
        "started": 1000.0,
        "since": 1600.0,
        "spent": {"welcome": 300.0},
    }


def test_presentation_round_trip(klass) -> None:
    shown = cr.presentation_from_json(good())
    assert shown.lesson == "neuron" and shown.page == 2 and shown.playing
    assert shown.params == {"w1": 0.5, "layers": 2, "activation": "tanh", "bias": True}
    cr.write_presentation(klass, shown)
    assert cr.read_presentation(klass) == shown
    assert shown.lesson_seconds("neuron", 1660.0) == 60.0
    assert shown.lesson_seconds("welcome", 1660.0) == 300.0


@pytest.mark.parametrize(
    "change",
    [
        {"version": 2},
        {"lesson": "../etc"},
        {"lesson": "[bold]x"},
        {"page": -1},
        {"page": True},
        {"params": {"w1": float("inf")}},
        {"params": {"w1": [1, 2]}},
        {"params": {"bad name": 1}},
        {"params": {"w1": "x" * 100}},
        {"params": {f"p{i}": i for i in range(100)}},
        {"playing": "yes"},
        {"started": "now"},
        {"spent": {"neuron": -5}},
    ],
)
def test_presentation_rejects_bad_fields(change: dict) -> None:
    data = good() | change
    with pytest.raises(cr.InvalidStatus):
        cr.presentation_from_json(data)


def test_presentation_texts_lose_escapes() -> None:
    data = good() | {"params": {"activation": "ta\x1b[31mnh\u202e"}}
    assert cr.presentation_from_json(data).params["activation"] == "tanh"


def test_unreadable_presentations_are_none(klass) -> None:
    path = klass.instructor_dir / cr.PRESENT
    assert cr.read_presentation(klass) is None  # no file
    path.write_text("{not json")
    assert cr.read_presentation(klass) is None
    path.write_text("x" * (cr.MAX_PRESENT_BYTES + 1))
    assert cr.read_presentation(klass) is None
    path.unlink()
    target = klass.folder / "elsewhere.json"
    target.write_text(json.dumps(good()))
    os.symlink(target, path)
    assert cr.read_presentation(klass) is None  # never through a symlink


def test_files_of_another_owner_are_ignored(klass) -> None:
    cr.write_presentation(klass, cr.presentation_from_json(good()))
    cr.open_poll(klass, "neuron", "pick", clock=lambda: 1.5)
    assert cr.read_presentation(klass) is not None and cr.read_poll(klass) is not None
    other = cr.ClassInfo(klass.folder, "not-the-owner", klass.created)
    assert cr.read_presentation(other) is None
    assert cr.read_poll(other) is None


def test_poll_file_and_counts(klass) -> None:
    poll = cr.open_poll(klass, "neuron", "pick", clock=lambda: 12.345)
    assert poll.id == "neuron/pick/12345" and poll.state == "open"
    assert cr.read_poll(klass) == poll
    cr.write_poll(klass, cr.Poll("neuron", "pick", 12345, "revealed"))
    assert cr.read_poll(klass).state == "revealed"
    (klass.instructor_dir / cr.POLL).write_text(json.dumps(poll.to_json() | {"state": "gone"}))
    assert cr.read_poll(klass) is None
    students = [
        cr.StudentStatus(user="a", name="A", poll=(poll.id, 1)),
        cr.StudentStatus(user="b", name="B", poll=(poll.id, 1)),
        cr.StudentStatus(user="c", name="C", poll=(poll.id, 0)),
        cr.StudentStatus(user="d", name="D", poll=("neuron/pick/1", 0)),  # an older poll
        cr.StudentStatus(user="e", name="E", poll=(poll.id, 7)),  # not a choice
        cr.StudentStatus(user="f", name="F"),
    ]
    assert cr.poll_counts(students, poll, 3) == [1, 2, 0]


def test_status_carries_the_poll_answer() -> None:
    status = cr.StudentStatus(user="ana", name="Ana", poll=("neuron/pick/12345", 2))
    data = status.to_json()
    assert data["poll"] == {"id": "neuron/pick/12345", "choice": 2}
    assert cr.status_from_json(data).poll == ("neuron/pick/12345", 2)
    assert "poll" not in cr.StudentStatus(user="ana", name="Ana").to_json()
    for bad in ({"id": "x", "choice": 0}, {"id": "a/b/1", "choice": 99}, "a/b/1"):
        with pytest.raises(cr.InvalidStatus):
            cr.status_from_json(data | {"poll": bad})


def test_cli_present_and_notes_need_a_class(capsys, monkeypatch, tmp_path) -> None:
    from tui_workshop.__main__ import main

    monkeypatch.delenv(cr.CLASS_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(cr, "SITE_CONFIG", tmp_path / "none.toml")
    for argv in (["--present"], ["notes"]):
        assert main(argv) == 2
        assert "no class folder" in capsys.readouterr().err
    assert main(["notes", "--class", str(tmp_path / "nothing")]) == 2
    assert "is not a class folder" in capsys.readouterr().err
