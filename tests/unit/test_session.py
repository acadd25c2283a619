"""CourseSession: lookup, pages seen, exercises, parameters, debounced and merged saving."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui_workshop.course.loader import find_lessons_dir, load_course
from tui_workshop.course.progress import MAX_ANSWER, MAX_WRONG, ProgressStore
from tui_workshop.course.session import CourseSession
from tui_workshop.i18n import render
from tui_workshop.i18n.message import Msg

ROOT = Path(__file__).resolve().parents[2]
COURSE = load_course(find_lessons_dir("en"))
NEURON = COURSE.lessons[2]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "progress.json"


def session_at(path: Path, **kwargs) -> CourseSession:
    return CourseSession(COURSE, ProgressStore(path), **kwargs)


def on_disk(path: Path) -> dict:
    return json.loads(path.read_text())


# ---- lookup ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["neuron", "3", "03", "003", "03-neuron", " 3 ", 3, "NEURON"])
def test_lesson_by_id_number_or_stem(path, key):
    assert NEURON.id == "neuron" and NEURON.number == 3
    assert session_at(path, autosave=False).lesson(key) is NEURON


@pytest.mark.parametrize("key", ["nope", "99", "", "04-neuron", None])
def test_unknown_lesson_is_none(path, key):
    assert session_at(path, autosave=False).lesson(key) is None


def test_resolve_prefers_an_exact_id():
    assert COURSE.resolve("welcome") is COURSE.lessons[0]


def test_neighbours_and_index(path):
    session = session_at(path, autosave=False)
    assert session.index("neuron") == 2 and session.index("nope") == -1
    assert session.neighbour("neuron", 1) is COURSE.lessons[3]
    assert session.neighbour(COURSE.lessons[0].id, -1) is None
    assert session.neighbour(COURSE.lessons[-1].id, 1) is None


# ---- pages, exercises, scores ---------------------------------------------------------


def test_pages_seen_stay_seen_when_going_back(path):
    session = session_at(path, autosave=False)
    for page in (0, 1, 2, 3, 4, 0):
        session.visit("neuron", page)
    assert session.pages_seen(NEURON) == 5 == len(NEURON.pages)
    assert session.page("neuron") == 0 and session.current_lesson == "neuron"
    assert session.resume_target() == ("neuron", 0)
    session.visit("neuron", 99)  # a page the lesson does not have is not counted
    assert session.pages_seen(NEURON) == 5


def test_first_time_and_resume(path):
    session = session_at(path, autosave=False)
    assert session.first_time and session.resume_target() is None
    session.open("neuron")
    assert not session.first_time and session.resume_target() == ("neuron", 0)


def test_solve_reveal_hints_and_scores(path):
    session = session_at(path, autosave=False)
    solved_before, total = session.score_totals()
    assert solved_before == 0 and total == sum(len(lesson.exercises) for lesson in COURSE.lessons)
    assert session.solve("neuron", "z") is True
    assert session.solve("neuron", "z") is False
    session.solve("neuron", "not-an-exercise")  # kept, but not counted
    session.hint_shown("neuron", "sigmoid", 2)
    session.hint_shown("neuron", "sigmoid", 1)  # never decreases
    session.reveal("neuron", "double")
    assert session.solved_count(NEURON) == 1
    assert session.hints_used(NEURON) == 2 and session.revealed_count(NEURON) == 1
    assert session.score_totals() == (1, total)
    assert not session.is_complete(NEURON)
    for page in range(len(NEURON.pages)):
        session.visit("neuron", page)
    for exercise in NEURON.exercises:
        session.solve("neuron", exercise.id)
    assert session.is_complete(NEURON)


def test_attempts_and_last_wrong_answers_are_capped(path):
    session = session_at(path, autosave=False)
    for number in range(MAX_WRONG + 3):
        session.record_attempt("neuron", "z", f"0.{number}", correct=False)
    session.record_attempt("neuron", "z", "x" * (MAX_ANSWER * 3), correct=False)
    session.record_attempt("neuron", "z", "0.58", correct=True)
    state = session.state("neuron")
    assert state.attempts == {"z": MAX_WRONG + 5}
    assert len(state.wrong["z"]) == MAX_WRONG and state.wrong["z"][-1] == "x" * MAX_ANSWER
    assert state.wrong["z"][0] == f"0.{4}"
    assert "z" in state.completed
    assert session.flush()
    assert on_disk(path)["lessons"]["neuron"]["attempts"] == {"z": MAX_WRONG + 5}


# ---- parameters -------------------------------------------------------------------


def test_params_validated_through_the_lesson_spec(path):
    session = session_at(path, autosave=False)
    session.set_params("neuron", {"w1": 1.5, "w2": 99.0, "activation": "softplus", "old": 1})
    values, warnings = session.params(NEURON)
    defaults = NEURON.defaults()
    assert values["w1"] == 1.5
    assert values["w2"] == defaults["w2"] and values["activation"] == defaults["activation"]
    assert all(isinstance(warning, Msg) for warning in warnings)
    texts = [render(warning) for warning in warnings]
    assert len(texts) == 3
    assert any("w2" in text and "99.0" in text and "between" in text for text in texts)
    assert any("softplus" in text for text in texts)
    assert any(text.startswith("old:") for text in texts)
    session.clear_params("neuron")
    assert session.params(NEURON) == (defaults, [])


# ---- resets ---------------------------------------------------------------------------


def test_reset_lesson_wins_over_what_another_session_saved(path):
    first = session_at(path, autosave=False)
    second = session_at(path, autosave=False)
    first.solve("neuron", "z")
    first.solve("welcome", "a")
    assert first.flush()
    second.reset_lesson("neuron")
    assert second.flush()
    data = on_disk(path)["lessons"]
    assert "neuron" not in data and data["welcome"]["completed"] == ["a"]
    second.reset_all()
    assert second.flush()
    assert on_disk(path)["lessons"] == {} and on_disk(path)["current_lesson"] is None


def test_a_session_learns_what_the_other_saved(path):
    first = session_at(path, autosave=False)
    second = session_at(path, autosave=False)
    first.solve("neuron", "z")
    first.flush()
    second.visit("neuron", 3)
    second.flush()
    assert second.state("neuron").completed == {"z"}
    assert second.state("neuron").seen == {3}


# ---- saving off the UI thread ------------------------------------------------------------


def test_changes_are_saved_by_the_background_thread_in_one_write(path):
    writes: list[str] = []
    written = threading.Event()
    store = ProgressStore(path)
    real_write = store._write

    def counting_write(progress):
        writes.append(threading.current_thread().name)
        real_write(progress)
        written.set()

    store._write = counting_write  # type: ignore[method-assign]
    session = CourseSession(COURSE, store, debounce=0.2)
    for page in range(5):
        session.visit("neuron", page)
    session.solve("neuron", "z")
    assert writes == []  # nothing written on the calling thread
    assert written.wait(10)
    assert writes == ["progress-saver"]
    assert on_disk(path)["lessons"]["neuron"]["seen"] == [0, 1, 2, 3, 4]
    session.hint_shown("neuron", "z", 1)
    assert session.close()
    assert on_disk(path)["lessons"]["neuron"]["hints"] == {"z": 1}
    assert not session.dirty


def test_flush_with_nothing_pending_writes_nothing(path):
    session = session_at(path, autosave=False)
    assert session.flush() and not path.exists()


def test_a_failing_save_is_reported_once_until_it_works_again(tmp_path):
    blocker = tmp_path / "blocker"
    notices: list[Msg] = []
    store = ProgressStore(blocker / "progress.json")
    session = CourseSession(COURSE, store, autosave=False, on_notice=notices.append)
    assert session.notice is None  # the folder could be made
    blocker.rmdir()
    blocker.write_text("now a file")
    for page in range(3):
        session.visit("neuron", page)
        assert not session.flush()
    assert len(notices) == 1 and str(blocker) in render(notices[0])
    blocker.unlink()
    assert session.flush()
    assert on_disk(blocker / "progress.json")["lessons"]["neuron"]["seen"] == [0, 1, 2]
    blocker.joinpath("progress.json").unlink()
    blocker.joinpath(".progress.json.lock").unlink()
    blocker.rmdir()
    blocker.write_text("a file again")
    session.visit("neuron", 4)
    assert not session.flush()
    assert len(notices) == 3 and render(notices[1]) == "Progress is saved again."


def test_unwritable_state_folder_is_the_start_notice(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    session = CourseSession(COURSE, ProgressStore(blocker / "progress.json"))
    assert session.notice is not None
    assert "cannot be saved" in render(session.notice) and str(blocker) in render(session.notice)
    session.visit("neuron", 1)
    assert not session.close()


# ---- two processes ---------------------------------------------------------------------

WORKER = """
import sys, types
from tui_workshop.course.progress import ProgressStore
from tui_workshop.course.session import CourseSession

path, name, count, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
course = types.SimpleNamespace(lessons=())
session = CourseSession(course, ProgressStore(path), autosave=(mode == "auto"), debounce=0.001)
for i in range(count):
    session.solve("shared", f"{name}-{i}")
    session.visit("shared", i if name == "a" else 1000 + i)
    session.hint_shown("shared", "h", i if name == "a" else 2 * i)
    session.reveal(name, f"r{i}")
    if mode == "flush":
        assert session.flush()
assert session.close()
"""


@pytest.mark.parametrize("mode", ["flush", "auto"])
def test_two_processes_interleaving_lose_nothing(tmp_path, mode):
    path = tmp_path / "progress.json"
    count = 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), name, str(count), mode],
            cwd=ROOT,
            env={**_env(), "PYTHONPATH": str(ROOT)},
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    data = on_disk(path)["lessons"]
    shared = data["shared"]
    expected = {f"{name}-{i}" for name in "ab" for i in range(count)}
    assert set(shared["completed"]) == expected
    assert set(shared["seen"]) == set(range(count)) | {1000 + i for i in range(count)}
    assert shared["hints"] == {"h": 2 * (count - 1)}
    assert set(data["a"]["revealed"]) == {f"r{i}" for i in range(count)}
    assert set(data["b"]["revealed"]) == {f"r{i}" for i in range(count)}


def _env() -> dict[str, str]:
    import os

    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


# ---- kept runs ----------------------------------------------------------------------


def test_a_kept_run_is_written_beside_the_progress_and_read_back(tmp_path):
    import numpy as np

    from tui_workshop.course.loader import find_lessons_dir, load_course
    from tui_workshop.course.progress import ProgressStore
    from tui_workshop.course.session import CourseSession

    course = load_course(find_lessons_dir("en"))
    store = ProgressStore(tmp_path / "progress.json")
    session = CourseSession(course, store, autosave=False)
    state = {"steps_done": 3, "run.w": np.arange(4.0)}
    session.keep_run("playground", "playground", {"a": 1, "b": "x"}, state)
    session.keep_run("../evil", "playground", {"a": 1}, state)  # never a path outside
    session.close()
    assert (tmp_path / "runs" / "playground.npz").is_file()
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["playground.npz"]

    again = CourseSession(course, ProgressStore(tmp_path / "progress.json"), autosave=False)
    kept, notice = again.kept_run("playground", "playground", {"b": "x", "a": 1})
    assert notice is None and int(kept["steps_done"]) == 3
    assert np.array_equal(kept["run.w"], np.arange(4.0))
    assert again.kept_run("playground", "playground", {"a": 2, "b": "x"}) == (None, None)
    assert again.kept_run("playground", "overfitting", {"a": 1, "b": "x"}) == (None, None)
    first = course.lessons[0].id
    again.keep_run(first, "welcome", {}, {"steps_done": 1})
    again.reset_lesson("playground")  # a reset forgets the run too
    again.flush()
    assert not (tmp_path / "runs" / "playground.npz").exists()
    assert (tmp_path / "runs" / f"{first}.npz").exists()
    again.reset_all()
    again.close()
    assert not list((tmp_path / "runs").glob("*.npz"))


def test_a_corrupt_kept_run_gives_a_notice_and_is_removed(tmp_path):
    from tui_workshop.course.loader import find_lessons_dir, load_course
    from tui_workshop.course.progress import ProgressStore
    from tui_workshop.course.session import CourseSession
    from tui_workshop.i18n import render

    course = load_course(find_lessons_dir("en"))
    (tmp_path / "runs").mkdir()
    path = tmp_path / "runs" / "playground.npz"
    path.write_bytes(b"PK\x03\x04 but not really")
    session = CourseSession(course, ProgressStore(tmp_path / "progress.json"), autosave=False)
    kept, notice = session.kept_run("playground", "playground", {})
    assert kept is None and "could not be used" in render(notice)
    assert not path.exists()
    session.close()
