"""Saved progress: round trip, recovery from corrupt files, atomic saves."""

from __future__ import annotations

import json

import pytest

from tui_workshop.course import progress as progress_module
from tui_workshop.course.progress import (
    STATE_DIR_ENV,
    LessonProgress,
    Progress,
    ProgressStore,
    default_path,
)


def _sample() -> Progress:
    progress = Progress(current_lesson="neuron")
    state = progress.lesson("neuron")
    state.page = 2
    state.params = {"w1": 0.7, "dataset": "xor", "noisy": True}
    state.completed = {"z", "a"}
    state.revealed = {"z"}
    state.hints = {"z": 2}
    progress.lesson("gradient-descent").page = 1
    return progress


def test_round_trip(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    store.save(_sample())
    loaded = store.load()
    assert loaded == _sample()
    assert store.notice is None


def test_file_is_plain_json_with_sorted_lists(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    store.save(_sample())
    data = json.loads((tmp_path / "progress.json").read_text())
    assert data["version"] == 1
    assert data["lessons"]["neuron"]["completed"] == ["a", "z"]
    assert data["current_lesson"] == "neuron"


def test_missing_file_gives_fresh_progress(tmp_path):
    store = ProgressStore(tmp_path / "nothing" / "progress.json")
    assert store.load() == Progress()
    assert store.notice is None


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        '{"lessons": {}}',
        '{"version": 1, "lessons": {"a": {"page": -1}}}',
        '{"version": 1, "lessons": {"a": {"completed": "z"}}}',
        '{"version": 1, "lessons": {"a": {"hints": {"z": "two"}}}}',
        '{"version": 1, "current_lesson": 3}',
        '{"version": 99}',
    ],
)
def test_corrupt_file_is_moved_aside(tmp_path, content):
    path = tmp_path / "progress.json"
    path.write_text(content)
    store = ProgressStore(path)
    assert store.load() == Progress()
    assert not path.exists()
    (aside,) = tmp_path.glob("progress.json.corrupt-*")
    assert aside.read_text() == content
    assert store.notice is not None and aside.name in store.notice


def test_two_corrupt_files_in_the_same_second_are_both_kept(tmp_path):
    path = tmp_path / "progress.json"
    for content in ("{bad", "{worse"):
        path.write_text(content)
        ProgressStore(path).load()
    assert sorted(p.read_text() for p in tmp_path.glob("progress.json.corrupt-*")) == [
        "{bad",
        "{worse",
    ]


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    store.save(_sample())
    before = path.read_bytes()

    def broken_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(progress_module.json, "dump", broken_dump)
    with pytest.raises(OSError, match="disk full"):
        store.save(Progress())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]  # no temp file left
    assert not store.try_save(Progress())
    assert "disk full" in store.notice


def test_unknown_lesson_ids_are_kept(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(
        json.dumps(
            {"version": 1, "current_lesson": "old", "lessons": {"old": {"page": 3, "extra": 1}}}
        )
    )
    store = ProgressStore(path)
    progress = store.load()
    assert progress.lessons["old"].page == 3
    store.save(progress)
    assert ProgressStore(path).load().lessons["old"].page == 3


def test_reset_lesson_and_all(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    store.save(_sample())
    after = store.reset_lesson("neuron")
    assert "neuron" not in after.lessons and "gradient-descent" in after.lessons
    assert store.load() == after
    assert store.reset_all() == Progress()
    assert store.load() == Progress()


def test_lesson_get_or_create():
    progress = Progress()
    state = progress.lesson("x")
    assert state == LessonProgress()
    assert progress.lesson("x") is state
    progress.reset_lesson("x")
    progress.reset_lesson("never-there")
    assert progress.lessons == {}


def test_default_path_respects_env(tmp_path, monkeypatch):
    monkeypatch.setenv(STATE_DIR_ENV, str(tmp_path / "state"))
    assert default_path() == tmp_path / "state" / "progress.json"
    assert ProgressStore().path == tmp_path / "state" / "progress.json"
    monkeypatch.delenv(STATE_DIR_ENV)
    assert default_path().name == "progress.json"
    assert "tui-workshop" in str(default_path())


def test_save_creates_the_directory(tmp_path):
    store = ProgressStore(tmp_path / "a" / "b" / "progress.json")
    store.save(_sample())
    assert store.load() == _sample()
