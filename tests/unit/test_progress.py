"""Saved progress: round trip, version 1 files, merging, recovery, file safety."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tui_workshop.course import progress as progress_module
from tui_workshop.course.progress import (
    MAX_BYTES,
    STATE_DIR_ENV,
    LessonProgress,
    Progress,
    ProgressStore,
    default_path,
    merge,
)
from tui_workshop.i18n import render
from tui_workshop.i18n.message import Msg

VERSION_1 = Path(__file__).resolve().parents[1] / "fixtures" / "progress" / "version1.json"


def files(folder: Path) -> list[str]:
    """Names in a folder, without the lock file saves leave."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".progress.json.lock")


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
    assert data["version"] == 2
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
    assert isinstance(store.notice, Msg) and aside.name in render(store.notice)


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

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(progress_module.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        store.save(Progress())
    assert path.read_bytes() == before
    assert files(tmp_path) == ["progress.json"]  # no temp file left
    assert not store.try_save(Progress())
    assert "No space left on device" in render(store.notice)


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


# ---- version 1 ----------------------------------------------------------------


def test_version_1_file_loads_with_pages_seen_up_to_its_page(tmp_path):
    path = tmp_path / "progress.json"
    path.write_bytes(VERSION_1.read_bytes())
    store = ProgressStore(path)
    progress = store.load()
    assert store.notice is None
    neuron = progress.lessons["neuron"]
    assert progress.current_lesson == "neuron"
    assert neuron.page == 2 and neuron.seen == {0, 1, 2}
    assert neuron.completed == {"z", "sigmoid"} and neuron.revealed == {"double"}
    assert neuron.hints == {"double": 2, "z": 1}
    assert neuron.params == {"w1": 0.7, "activation": "tanh"}
    assert neuron.attempts == {} and neuron.wrong == {}
    assert progress.lessons["welcome"].seen == {0, 1}
    store.save(progress)
    data = json.loads(path.read_text())
    assert data["version"] == 2 and data["lessons"]["neuron"]["seen"] == [0, 1, 2]
    assert ProgressStore(path).load() == progress


# ---- merging --------------------------------------------------------------------


def test_merge_unites_solved_revealed_seen_and_takes_max_counts():
    disk = Progress(current_lesson="a")
    theirs = disk.lesson("a")
    theirs.page, theirs.params = 3, {"x": 1}
    theirs.completed, theirs.revealed, theirs.seen = {"e1"}, {"e1"}, {0, 3}
    theirs.hints, theirs.attempts, theirs.wrong = {"e1": 2, "e2": 1}, {"e1": 4}, {"e1": ["7"]}
    disk.lesson("only-on-disk").completed = {"k"}
    mine = Progress(current_lesson="b")
    own = mine.lesson("a")
    own.page, own.params = 1, {"x": 2}
    own.completed, own.seen = {"e2"}, {1}
    own.hints, own.attempts, own.wrong = {"e1": 1, "e2": 3}, {"e1": 2}, {"e1": ["8"]}
    result = merge(disk, mine)
    state = result.lessons["a"]
    assert result.current_lesson == "b"
    assert state.page == 1 and state.params == {"x": 2}  # the saving session's
    assert state.completed == {"e1", "e2"} and state.revealed == {"e1"}
    assert state.seen == {0, 1, 3}
    assert state.hints == {"e1": 2, "e2": 3} and state.attempts == {"e1": 4}
    assert state.wrong == {"e1": ["7", "8"]}
    assert result.lessons["only-on-disk"].completed == {"k"}


def test_a_reset_wins_over_the_merge():
    disk = Progress()
    disk.lesson("a").completed = {"e1"}
    disk.lesson("b").completed = {"e2"}
    result = merge(disk, Progress(), reset=frozenset({"a"}))
    assert "a" not in result.lessons and result.lessons["b"].completed == {"e2"}
    assert merge(disk, Progress(), reset_all=True) == Progress()


def test_two_stores_on_one_file_never_lose_a_solved_exercise(tmp_path):
    path = tmp_path / "progress.json"
    first, second = ProgressStore(path), ProgressStore(path)
    mine, theirs = first.load(), second.load()
    mine.lesson("a").completed.add("x")
    theirs.lesson("a").completed.add("y")
    theirs.lesson("a").seen.add(4)
    first.save(mine)
    second.save(theirs)
    state = ProgressStore(path).load().lessons["a"]
    assert state.completed == {"x", "y"} and 4 in state.seen


# ---- file safety ----------------------------------------------------------------


def test_symlink_is_not_followed(tmp_path):
    path = tmp_path / "progress.json"
    path.symlink_to("/dev/zero")
    store = ProgressStore(path)
    assert store.load() == Progress()
    assert "symbolic link" in render(store.notice)
    assert not path.is_symlink() and not path.exists()
    (aside,) = tmp_path.glob("progress.json.corrupt-*")
    assert aside.is_symlink()  # moved aside, never read


def test_fifo_is_not_read_and_does_not_block(tmp_path):
    path = tmp_path / "progress.json"
    os.mkfifo(path)
    store = ProgressStore(path)
    assert store.load() == Progress()
    assert "not a regular file" in render(store.notice)


def test_huge_file_is_not_read(tmp_path):
    path = tmp_path / "progress.json"
    with path.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)
    store = ProgressStore(path)
    assert store.load() == Progress()
    assert "too large" in render(store.notice)


@pytest.mark.parametrize(
    "data",
    [
        b'{"version": 2, "current_lesson": "\xff\xfe"}',
        b'{"version": 2, "current_lesson": "\\ud800"}',
    ],
    ids=["undecodable", "lone-surrogate"],
)
def test_undecodable_text_is_corrupt(tmp_path, data):
    path = tmp_path / "progress.json"
    path.write_bytes(data)
    store = ProgressStore(path)
    assert store.load() == Progress()
    assert list(tmp_path.glob("progress.json.corrupt-*"))
    assert store.notice is not None


def test_surrogates_never_fail_a_save(tmp_path):
    path = tmp_path / "progress.json"
    progress = Progress()
    progress.lesson("a").wrong["e"] = ["bad \udc80 answer"]
    ProgressStore(path).save(progress)
    store = ProgressStore(path)
    assert store.load().lessons["a"].wrong["e"] == ["bad ? answer"]
    assert store.notice is None


def test_stale_temporary_files_are_removed_at_start(tmp_path):
    path = tmp_path / "progress.json"
    old = tmp_path / ".progress.json.abc123.tmp"
    fresh = tmp_path / ".progress.json.def456.tmp"
    other = tmp_path / "notes.tmp"
    for file in (old, fresh, other):
        file.write_text("{")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(other, (an_hour_ago, an_hour_ago))
    ProgressStore(path).load()
    assert not old.exists() and fresh.exists() and other.exists()


def test_unwritable_reasons(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    reason = ProgressStore(blocker / "progress.json").unwritable_reason()
    assert reason is not None and str(blocker) in render(reason)
    assert ProgressStore(tmp_path / "ok" / "progress.json").unwritable_reason() is None


def test_no_home_folder_means_no_path_and_a_notice(monkeypatch):
    monkeypatch.delenv(STATE_DIR_ENV, raising=False)
    monkeypatch.setattr(progress_module.os.path, "expanduser", lambda path: path)
    assert default_path() is None
    store = ProgressStore()
    assert store.path is None and "HOME" in render(store.notice)
    assert store.load() == Progress()
    assert store.unwritable_reason() == store.notice
    with pytest.raises(OSError):
        store.save(Progress())
