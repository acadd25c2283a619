"""The class folder: config lookup, init modes, status validation, hostile files, figures."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from tui_workshop.course import classroom as cr
from tui_workshop.course.progress import Progress


def status(user: str = "ana", **fields) -> cr.StudentStatus:
    return cr.StudentStatus(user=user, name=fields.pop("name", user), **fields)


def write_raw(folder: Path, name: str, data) -> Path:
    path = folder / cr.STUDENTS / name
    text = data if isinstance(data, str | bytes) else json.dumps(data)
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


@pytest.fixture
def klass(tmp_path: Path) -> cr.ClassInfo:
    return cr.init_class(tmp_path / "class", instructor="teacher")


def test_init_modes_and_class_file(klass: cr.ClassInfo) -> None:
    mode = stat.S_IMODE(os.stat(klass.students_dir).st_mode)
    assert mode == 0o1777
    assert stat.S_IMODE(os.stat(klass.instructor_dir).st_mode) == 0o755
    opened = cr.open_class(klass.folder)
    assert opened.instructor == "teacher"
    assert opened.plan_minutes == 150


def test_open_class_refuses_a_plain_folder(tmp_path: Path) -> None:
    with pytest.raises(cr.ClassError) as caught:
        cr.open_class(tmp_path)
    assert "class init" in str(caught.value.message)


def test_setting_order(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    user = tmp_path / "user.toml"
    site.write_text('class_folder = "/srv/site"\n')
    assert cr.class_folder_setting(None, {}, [user, site]) == Path("/srv/site")
    user.write_text('class_folder = "/srv/mine"\n')
    assert cr.class_folder_setting(None, {}, [user, site]) == Path("/srv/mine")
    env = {cr.CLASS_ENV: "/srv/env"}
    assert cr.class_folder_setting(None, env, [user, site]) == Path("/srv/env")
    assert cr.class_folder_setting("/srv/opt", env, [user, site]) == Path("/srv/opt")
    assert cr.class_folder_setting(None, {cr.CLASS_ENV: ""}, [user, site]) is None
    assert cr.class_folder_setting(None, {}, [tmp_path / "none.toml"]) is None


def test_round_trip_and_status_file_names(klass: cr.ClassInfo) -> None:
    original = status(
        "ana",
        name="Ana Lúcia",
        lesson="neuron",
        page=2,
        solved={"neuron": ("a", "b")},
        attempts={"neuron/a": cr.Attempts(3, ("0.5", "1"))},
        hand=100.0,
        active=90.0,
        app_version="0.1.0",
    )
    path = cr.status_file(klass, "ana", "Ana Lúcia")
    assert path.name == "ana~ana-lucia.json"
    assert cr.status_file(klass, "ana", "ana").name == "ana.json"
    cr.write_status(path, original)
    assert cr.read_status(path, check_owner=False) == original
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    assert not [p for p in klass.students_dir.iterdir() if p.name.startswith(".")]


def test_clean_text_neutralises_escapes_controls_and_bidi() -> None:
    hostile = "\x1b[2J\x1b]0;pwned\x07Bob\u202e\x00\x9b31m [b]x[/b]\nnext"
    cleaned = cr.clean_text(hostile, 40)
    assert "\x1b" not in cleaned and "\u202e" not in cleaned and "\x9b" not in cleaned
    assert cleaned == "Bob31m [b]x[/b] next"  # markup stays literal text; the UI escapes it
    assert len(cr.clean_text("x" * 100, 10)) == 10


HOSTILE = {
    "huge.json": b'{"version": 1, "user": "huge", "name": "' + b"x" * 100_000 + b'"}',
    "broken.json": b'{"version": 1, "user": ',
    "binary.json": b"\xff\xfe\x00garbage",
    "array.json": b"[1, 2, 3]",
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "wrongtypes.json": json.dumps(
        {"version": 1, "user": "wrongtypes", "page": "three", "hand": "yes"}
    ).encode(),
    "badhand.json": json.dumps({"version": 1, "user": "badhand", "hand": float("inf")})
    .replace("Infinity", "1e999")
    .encode(),
    "badlesson.json": json.dumps(
        {"version": 1, "user": "badlesson", "lesson": "../../etc"}
    ).encode(),
    "badversion.json": json.dumps({"version": 99, "user": "badversion"}).encode(),
    "impostor.json": json.dumps({"version": 1, "user": "somebodyelse"}).encode(),
    "manywrong.json": json.dumps(
        {"version": 1, "user": "manywrong", "attempts": {"a/b": {"count": 1, "wrong": ["x"] * 50}}}
    ).encode(),
    "notes.txt": b"hello",
}


def test_hostile_files_are_counted_and_ignored(klass: cr.ClassInfo, tmp_path: Path) -> None:
    for name, data in HOSTILE.items():
        write_raw(klass.folder, name, data)
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps(status("linked").to_json()))
    (klass.students_dir / "linked.json").symlink_to(secret)
    (klass.students_dir / "fifo.json").mkdir()  # not a regular file
    (klass.students_dir / ".ana.json.x.tmp").write_text("{")  # being written: skipped
    markup = status("mallory", name="[bold red]HACK[/] \x1b[31m", hand=5.0)
    cr.write_status(klass.students_dir / "mallory.json", markup)
    scan = cr.scan_class(klass.folder, check_owner=False)
    assert [s.user for s in scan.students] == ["mallory"]
    assert scan.students[0].name == "[bold red]HACK[/] [31m"[:0] + "[bold red]HACK[/]"
    expected_ignored = set(HOSTILE) | {"linked.json", "fifo.json"}
    assert set(scan.reasons) == expected_ignored
    assert scan.ignored == len(expected_ignored)
    assert scan.reasons["linked.json"] == "not a regular file"
    assert scan.reasons["huge.json"] == "too big"


def test_read_capped_refuses_symlink_directly(tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.write_text("{}")
    link = tmp_path / "l.json"
    link.symlink_to(target)
    with pytest.raises(cr.InvalidStatus):
        cr.read_capped(link, 100)


def test_vanished_folder_is_an_error_not_a_crash(tmp_path: Path) -> None:
    scan = cr.scan_class(tmp_path / "gone")
    assert scan.students == () and scan.error is not None


def test_figures() -> None:
    students = [
        status(
            "a",
            lesson="one",
            solved={"one": ("x",)},
            attempts={"one/x": cr.Attempts(2, ("0.5",)), "one/y": cr.Attempts(2, ("7", " 7"))},
            hand=30.0,
        ),
        status(
            "b",
            lesson="two",
            solved={"one": ("x", "y")},
            attempts={"one/x": cr.Attempts(1, ()), "one/y": cr.Attempts(3, ("7", "8", "7"))},
            hand=10.0,
        ),
        status("c", lesson="one", attempts={"one/x": cr.Attempts(4, ("0.5", "0.50", "2"))}),
        status("d"),
    ]
    assert cr.lesson_counts(students, ["one", "two", "three"]) == [
        ("one", 2),
        ("two", 1),
        ("three", 0),
    ]
    rows = {row.exercise: row for row in cr.exercise_stats(students, "one", ["x", "y"])}
    assert rows["x"].solved == 2 and rows["x"].students == 3 and rows["x"].attempts == 7
    assert rows["x"].common_wrong[0] == ("0.5", 2)
    assert rows["y"].common_wrong[0] == ("7", 2)
    assert rows["y"].share == pytest.approx(1 / 3)
    assert [s.user for s in cr.raised_hands(students)] == ["b", "a"]
    assert cr.median_lesson(students, ["one", "two"]) == "one"
    assert cr.idle_minutes(status("e", active=0.0), 1000.0) == 0
    assert cr.idle_minutes(status("e", active=100.0), 100.0 + 185) == 3


def test_attempts_come_from_the_progress_capped_and_cleaned() -> None:
    progress = Progress()
    state = progress.lesson("one")
    state.attempts["x"] = 9
    state.wrong["x"] = [f"wrong {i}" for i in range(8)] + ["\x1b[31mred"]
    state.attempts["bad id!"] = 1
    entry = cr.attempts_from_progress(progress)
    assert set(entry) == {"one/x"}
    assert entry["one/x"].count == 9
    assert entry["one/x"].wrong == (*(f"wrong {i}" for i in range(4, 8)), "red")


def test_build_status_from_progress() -> None:
    progress = Progress(current_lesson="neuron")
    progress.lesson("neuron").page = 3
    progress.lesson("neuron").completed.add("z")
    built = cr.build_status("ana", "Ana", progress, None, None, "0.1.0")
    assert built.lesson == "neuron" and built.page == 3 and built.solved == {"neuron": ("z",)}


def test_publisher_writes_only_on_change_and_reports_errors_once(klass: cr.ClassInfo) -> None:
    events: list[str] = []
    path = klass.students_dir / "ana.json"
    publisher = cr.Publisher(
        klass, path, lambda kind, message: events.append(kind), clock=lambda: 50.0
    )
    publisher.update(status("ana", page=1))
    assert publisher.publish_once()
    publisher.update(status("ana", page=1))
    assert not publisher.publish_once()  # nothing changed
    assert cr.read_status(path, check_owner=False).active == 50.0
    os.chmod(klass.students_dir, 0o555)
    try:
        if os.access(klass.students_dir, os.W_OK):  # root ignores modes: remove the folder
            os.chmod(klass.students_dir, 0o1777)
            path.unlink()
            klass.students_dir.rmdir()
        for page in (2, 3):
            publisher.update(status("ana", page=page))
            assert not publisher.publish_once()
        assert events == ["error"]
    finally:
        if klass.students_dir.exists():
            os.chmod(klass.students_dir, 0o1777)
        else:
            klass.students_dir.mkdir()
    assert publisher.publish_once()
    assert events == ["error", "recovered"]
    assert cr.read_status(path, check_owner=False).page == 3


def test_publisher_thread_and_answered_hand(klass: cr.ClassInfo) -> None:
    answered = threading.Event()

    def on_event(kind, message):
        if kind == "answered":
            answered.set()

    path = klass.students_dir / "ana.json"
    publisher = cr.Publisher(klass, path, on_event, interval=0.05)
    publisher.start()
    try:
        publisher.update(status("ana", hand=123.0))
        cr.mark_answered(klass, "ana", 123.0)
        assert answered.wait(5)
    finally:
        publisher.stop()
    assert cr.read_answered(klass) == {"ana": 123.0}


def test_init_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "thesis.tex").write_text("x")
    mode = stat.S_IMODE(os.stat(tmp_path).st_mode)
    with pytest.raises(cr.ClassError):
        cr.init_class(tmp_path)
    assert stat.S_IMODE(os.stat(tmp_path).st_mode) == mode
    again = cr.init_class(tmp_path / "class")
    assert cr.init_class(again.folder).folder == again.folder  # repairs its own folder


def test_scan_cache_reads_only_changed_files(klass: cr.ClassInfo, monkeypatch) -> None:
    for user in ("ana", "bob"):
        cr.write_status(klass.students_dir / f"{user}.json", status(user))
    cache: cr.ScanCache = {}
    assert len(cr.scan_class(klass.folder, cache=cache).students) == 2
    reads: list[str] = []
    real = cr.read_status

    def counting(path, check_owner=True):
        reads.append(path.name)
        return real(path, check_owner)

    monkeypatch.setattr(cr, "read_status", counting)
    cr.write_status(klass.students_dir / "bob.json", status("bob", page=4))
    scan = cr.scan_class(klass.folder, cache=cache)
    assert reads == ["bob.json"]
    assert [s.page for s in scan.students] == [0, 4]
    (klass.students_dir / "ana.json").unlink()
    assert [s.user for s in cr.scan_class(klass.folder, cache=cache).students] == ["bob"]
    assert set(cache) == {"bob.json"}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (chown)")
def test_answered_file_of_another_owner_is_ignored(klass: cr.ClassInfo) -> None:
    cr.mark_answered(klass, "ana", 5.0)
    assert cr.read_answered(klass) == {"ana": 5.0}
    os.chown(klass.instructor_dir / cr.ANSWERED, 65534, 65534)  # nobody
    assert cr.read_answered(klass) == {}
    (klass.instructor_dir / cr.ANSWERED).unlink()
    (klass.instructor_dir / cr.ANSWERED).symlink_to("/etc/hostname")
    assert cr.read_answered(klass) == {}
