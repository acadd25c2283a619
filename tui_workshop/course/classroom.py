"""The class folder: students publish small status files, the instructor's board reads them.

Layout of a class folder (made by :func:`init_class`)::

    DIR/class.toml            instructor = "<user>", created = <epoch s>, plan_minutes = 150
    DIR/students/             mode 1777 (sticky, as /tmp): each student creates and
                              replaces only its own <user>.json (or <user>~<name>.json)
    DIR/instructor/           mode 0755, the instructor's: answered.json (hands answered)

Everything one user writes and another reads is untrusted: files are opened
without following symlinks (``O_NOFOLLOW`` and ``lstat``), capped in size,
every field is validated, texts lose control characters, and a file whose
owner is not the account it names is ignored (root's files are accepted).
Reading never raises for a bad file: it is counted as ignored.

Pure Python, no Textual: the UI calls :class:`Publisher` (a thread) and the
aggregation functions for the board.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
import statistics
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tui_workshop.i18n.message import Msg, msg

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

STATUS_VERSION = 1
CLASS_ENV = "TUI_WORKSHOP_CLASS"
SITE_CONFIG = Path("/etc/tui-workshop/config.toml")
CONFIG_KEY = "class_folder"
CLASS_FILE = "class.toml"
STUDENTS = "students"
INSTRUCTOR = "instructor"
ANSWERED = "answered.json"
PLAN_MINUTES = 150

MAX_STATUS_BYTES = 32 * 1024
MAX_ANSWERED_BYTES = 64 * 1024
MAX_CLASS_FILE_BYTES = 4 * 1024
MAX_FILES = 1000  # status files read per scan; more are counted as ignored
MAX_NAME = 40
MAX_ANSWER = 40
MAX_WRONG = 5  # last wrong answers kept per exercise
MAX_EXERCISES = 300  # attempt entries per status
MAX_SOLVED = 300
PUBLISH_INTERVAL = 2.0
PRESENT = "present.json"  # the instructor's lesson, page, parameters, run (--present)
POLL = "poll.json"  # the live poll opened from the board
MAX_PRESENT_BYTES = 16 * 1024
MAX_POLL_BYTES = 2 * 1024
MAX_PARAMS = 64
MAX_PARAM_TEXT = 64
MAX_CHOICES = 26
POLL_STATES = ("open", "closed", "revealed")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")
_USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\Z")
_POLL_ID = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}/[0-9]{1,16}\Z"
)
_SLUG = re.compile(r"[^a-z0-9]+")
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


class ClassError(Exception):
    """A class folder that cannot be used; ``message`` is a Msg for the user."""

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


class InvalidStatus(ValueError):
    """A status file that is ignored (the reason is for the log and the tests)."""


# ---------------------------------------------------------------- texts


def clean_text(value: str, limit: int) -> str:
    """A student's text made safe to show: escape sequences, control and format
    characters (bidi overrides included) removed, whitespace collapsed, capped."""
    if value.isascii() and value.isprintable():  # the usual case: nothing to remove
        text = " ".join(value.split())
        return text if len(text) <= limit else text[: limit - 1] + "…"
    value = _ESCAPES.sub("", value)
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if char in "\t\n\r":
            kept.append(" ")
        elif category[0] == "C" or category in ("Zl", "Zp"):
            continue  # Cc control, Cf format (bidi), Cs, Co, Cn
        else:
            kept.append(char)
    text = " ".join("".join(kept).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer_key(answer: str) -> str:
    """Wrong answers that differ only in case and spaces count as one."""
    return " ".join(answer.lower().split()).replace(" ", "")


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_name.lower()).strip("-")[:24]


# ---------------------------------------------------------------- the status model


@dataclass(frozen=True)
class Attempts:
    count: int = 0
    wrong: tuple[str, ...] = ()  # the last MAX_WRONG wrong answers, oldest first


@dataclass(frozen=True)
class StudentStatus:
    """What one student's app publishes (``students/<user>.json``)."""

    user: str
    name: str
    lesson: str | None = None
    page: int = 0
    solved: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # lesson -> ids
    attempts: Mapping[str, Attempts] = field(default_factory=dict)  # "lesson/ex" -> Attempts
    hand: float | None = None  # raised at (epoch s), None when down
    active: float = 0.0  # last change made by the student (epoch s)
    app_version: str = ""
    version: int = STATUS_VERSION
    key: str = ""  # the file's stem, set when read (not written)
    poll: tuple[str, int] | None = None  # (poll id, chosen index) for the open poll


    def solved_count(self) -> int:
        return sum(len(ids) for ids in self.solved.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "user": self.user,
            "name": self.name,
            "lesson": self.lesson,
            "page": self.page,
            "solved": {k: sorted(v) for k, v in sorted(self.solved.items())},
            "attempts": {
                k: {"count": a.count, "wrong": list(a.wrong)}
                for k, a in sorted(self.attempts.items())
            },
            "hand": self.hand,
            "active": self.active,
            "app_version": self.app_version,
            **({"poll": {"id": self.poll[0], "choice": self.poll[1]}} if self.poll else {}),
        }


def _number(value: Any, what: str, low: float = 0.0, high: float = 1e12) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidStatus(f"{what} is not a number")
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidStatus(f"{what} is out of range")
    return float(value)


def _whole(value: Any, what: str, high: int = 10_000) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise InvalidStatus(f"{what} is not a whole number from 0 to {high}")
    return value


def _ident(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidStatus(f"{what} is not an id")
    return value


def _string(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > 4 * limit:
        raise InvalidStatus(f"{what} is not a short text")
    return clean_text(value, limit)


def status_from_json(data: Any) -> StudentStatus:
    """A validated status, texts cleaned; InvalidStatus names the first problem."""
    if not isinstance(data, dict):
        raise InvalidStatus("not a JSON object")
    version = data.get("version")
    if version != STATUS_VERSION or isinstance(version, bool):
        raise InvalidStatus("unknown version")
    user = data.get("user")
    if not isinstance(user, str) or not _USER.match(user):
        raise InvalidStatus("user is not an account name")
    name = _string(data.get("name", user), "name", MAX_NAME) or user
    lesson = data.get("lesson")
    if lesson is not None:
        lesson = _ident(lesson, "lesson")
    page = _whole(data.get("page", 0), "page")
    solved_raw = data.get("solved", {})
    if not isinstance(solved_raw, dict) or len(solved_raw) > MAX_SOLVED:
        raise InvalidStatus("solved is not an object of lists")
    solved: dict[str, tuple[str, ...]] = {}
    total = 0
    for key, ids in solved_raw.items():
        if not isinstance(ids, list):
            raise InvalidStatus("solved is not an object of lists")
        total += len(ids)
        if total > MAX_SOLVED:
            raise InvalidStatus("too many solved exercises")
        solved[_ident(key, "lesson")] = tuple(sorted({_ident(i, "exercise") for i in ids}))
    attempts_raw = data.get("attempts", {})
    if not isinstance(attempts_raw, dict) or len(attempts_raw) > MAX_EXERCISES:
        raise InvalidStatus("attempts is not an object")
    attempts: dict[str, Attempts] = {}
    for key, entry in attempts_raw.items():
        lesson_id, slash, exercise_id = str(key).partition("/")
        if not slash:
            raise InvalidStatus("attempts key is not lesson/exercise")
        _ident(lesson_id, "lesson")
        _ident(exercise_id, "exercise")
        if not isinstance(entry, dict):
            raise InvalidStatus("attempts entry is not an object")
        wrong = entry.get("wrong", [])
        if not isinstance(wrong, list) or len(wrong) > MAX_WRONG:
            raise InvalidStatus("wrong answers are not a short list")
        attempts[key] = Attempts(
            _whole(entry.get("count", 0), "attempts", 1_000_000),
            tuple(_string(w, "answer", MAX_ANSWER) for w in wrong),
        )
    hand = data.get("hand")
    if hand is not None:
        hand = _number(hand, "hand")
    active = _number(data.get("active", 0.0), "active")
    app_version = _string(data.get("app_version", ""), "app_version", 20)
    poll = None
    poll_raw = data.get("poll")
    if poll_raw is not None:
        if not isinstance(poll_raw, dict):
            raise InvalidStatus("poll is not an object")
        poll_id = poll_raw.get("id")
        if not isinstance(poll_id, str) or not _POLL_ID.match(poll_id):
            raise InvalidStatus("poll id is not valid")
        poll = (poll_id, _whole(poll_raw.get("choice"), "poll choice", MAX_CHOICES - 1))
    return StudentStatus(
        user=user,
        name=name,
        lesson=lesson,
        page=page,
        solved=solved,
        attempts=attempts,
        hand=hand,
        active=active,
        app_version=app_version,
        poll=poll,
    )


# ---------------------------------------------------------------- reading safely


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, not through a symlink, at most ``limit`` of them.

    Raises InvalidStatus for a symlink, a non-regular file or a file too big,
    OSError when it cannot be read.
    """
    return read_owned(path, limit)[0]


def read_owned(path: Path, limit: int) -> tuple[bytes, int]:
    """Like :func:`read_capped`, with the owner's uid of the very file read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == 40 or os.path.islink(path):  # ELOOP: a symlink
            raise InvalidStatus("a symbolic link") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidStatus("not a regular file")
        if info.st_size > limit:
            raise InvalidStatus("too big")
        data = os.read(fd, limit + 1)
        if len(data) > limit:
            raise InvalidStatus("too big")
        return data, info.st_uid
    finally:
        os.close(fd)


def _owner_name(uid: int) -> str | None:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return None


def read_status(path: Path, check_owner: bool = True) -> StudentStatus:
    """One student's status file, validated; InvalidStatus (or OSError) when not usable."""
    data, uid = read_owned(path, MAX_STATUS_BYTES)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidStatus("not JSON") from None
    status = status_from_json(parsed)
    account = path.stem.split("~", 1)[0]
    if account != status.user:
        raise InvalidStatus("file name and user differ")
    if check_owner and uid != 0 and _owner_name(uid) != status.user:
        raise InvalidStatus("owned by another account")
    return status


@dataclass(frozen=True)
class ClassScan:
    """The students found in a class folder and how many files were ignored."""

    students: tuple[StudentStatus, ...]
    ignored: int = 0
    reasons: Mapping[str, str] = field(default_factory=dict)  # file name -> reason
    error: Msg | None = None  # the folder itself could not be read


ScanCache = dict[str, tuple[tuple[int, int, int, int], StudentStatus]]


def scan_class(
    folder: Path, check_owner: bool = True, cache: ScanCache | None = None
) -> ClassScan:
    """Read every status file of the class; never raises for what students wrote.

    With a ``cache`` (kept by the caller between scans) a file whose inode, size,
    modification time and owner are unchanged is not read again.
    """
    fresh: ScanCache = {}
    students_dir = Path(folder) / STUDENTS
    try:
        entries = list(os.scandir(students_dir))
    except OSError as error:
        return ClassScan(
            (), 0, {}, msg("The class folder cannot be read: {error}", error=str(error))
        )
    found: dict[str, StudentStatus] = {}
    reasons: dict[str, str] = {}
    entries.sort(key=lambda entry: entry.name)
    for index, entry in enumerate(entries):
        name = entry.name
        if name.startswith("."):
            continue  # a temporary file being written
        if index >= MAX_FILES:
            reasons[name] = "too many files"
            continue
        try:
            if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                raise InvalidStatus("not a regular file")
            if not name.endswith(".json"):
                raise InvalidStatus("not a .json file")
            info = entry.stat(follow_symlinks=False)
            signature = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_uid)
            cached = cache.get(name) if cache is not None else None
            if cached is not None and cached[0] == signature:
                status = cached[1]
            else:
                status = read_status(Path(entry.path), check_owner)
            fresh[name] = (signature, status)
        except FileNotFoundError:
            continue  # the student's app replaced or removed it meanwhile
        except (InvalidStatus, OSError) as error:
            reasons[name] = str(error) or type(error).__name__
            continue
        stem = name[: -len(".json")]
        found[stem] = replace(status, key=stem)
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    students = tuple(found[key] for key in sorted(found))
    return ClassScan(students, len(reasons), reasons)


# ---------------------------------------------------------------- the folder


@dataclass(frozen=True)
class ClassInfo:
    folder: Path
    instructor: str
    created: float
    plan_minutes: int = PLAN_MINUTES

    @property
    def students_dir(self) -> Path:
        return self.folder / STUDENTS

    @property
    def instructor_dir(self) -> Path:
        return self.folder / INSTRUCTOR


def current_user() -> str:
    name = _owner_name(os.geteuid()) if hasattr(os, "geteuid") else None
    return name or os.environ.get("USER") or os.environ.get("USERNAME") or "student"


def init_class(folder: Path, instructor: str | None = None) -> ClassInfo:
    """Create (or repair) a class folder owned by the caller; ClassError when impossible."""
    folder = Path(folder).absolute()
    instructor = instructor or current_user()
    if folder.is_dir() and any(folder.iterdir()) and not (folder / CLASS_FILE).is_file():
        raise ClassError(
            msg("{folder} is not empty: choose a new folder for the class", folder=str(folder))
        )
    for sub in (STUDENTS, INSTRUCTOR):
        if (folder / sub).is_symlink():
            raise ClassError(msg("{path} is a symbolic link", path=str(folder / sub)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o755)
        students = folder / STUDENTS
        students.mkdir(exist_ok=True)
        os.chmod(students, 0o1777)  # anyone creates, only the owner replaces or deletes
        teacher = folder / INSTRUCTOR
        teacher.mkdir(exist_ok=True)
        os.chmod(teacher, 0o755)
        info = ClassInfo(folder, instructor, time.time())
        _atomic_write(
            folder / CLASS_FILE,
            f'instructor = "{instructor}"\ncreated = {info.created:.0f}\n'
            f"plan_minutes = {info.plan_minutes}\n",
            mode=0o644,
        )
    except OSError as error:
        raise ClassError(
            msg(
                "Could not create the class folder {folder}: {error}",
                folder=str(folder),
                error=str(error),
            )
        ) from None
    return info


def open_class(folder: Path) -> ClassInfo:
    """The class folder at ``folder``; ClassError when it is not one."""
    folder = Path(folder).absolute()
    try:
        data = tomllib.loads(read_capped(folder / CLASS_FILE, MAX_CLASS_FILE_BYTES).decode())
    except FileNotFoundError:
        raise ClassError(
            msg(
                "{folder} is not a class folder (run 'tui-workshop class init {folder}')",
                folder=str(folder),
            )
        ) from None
    except (OSError, InvalidStatus, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ClassError(
            msg(
                "The class folder {folder} cannot be read: {error}",
                folder=str(folder),
                error=str(error),
            )
        ) from None
    instructor = data.get("instructor")
    created = data.get("created", 0)
    plan = data.get("plan_minutes", PLAN_MINUTES)
    if not isinstance(instructor, str) or not _USER.match(instructor):
        raise ClassError(msg("{file} names no instructor", file=str(folder / CLASS_FILE)))
    if isinstance(created, bool) or not isinstance(created, int | float):
        created = 0
    if isinstance(plan, bool) or not isinstance(plan, int) or not 1 <= plan <= 1000:
        plan = PLAN_MINUTES
    return ClassInfo(folder, instructor, float(created), plan)


def _config_folder(path: Path) -> str | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    value = data.get(CONFIG_KEY)
    return value if isinstance(value, str) else None


def user_config_file() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("tui-workshop")) / "config.toml"


def class_folder_setting(
    option: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    config_files: Sequence[Path] | None = None,
) -> Path | None:
    """Where the class folder is, if any: ``--class``, else $TUI_WORKSHOP_CLASS, else
    ``class_folder`` in the user's config.toml, else in /etc/tui-workshop/config.toml.
    An empty value at any level means "no class"."""
    if option is not None:
        return Path(option) if str(option) else None
    env = os.environ if environ is None else environ
    if CLASS_ENV in env:
        return Path(env[CLASS_ENV]) if env[CLASS_ENV] else None
    files = config_files if config_files is not None else (user_config_file(), SITE_CONFIG)
    for path in files:
        value = _config_folder(path)
        if value is not None:
            return Path(value).expanduser() if value else None
    return None


def status_file(info: ClassInfo, user: str, name: str) -> Path:
    """``students/<user>.json``, or ``<user>~<name>.json`` when a name was typed."""
    tag = slug(name)
    stem = user if not tag or tag == slug(user) else f"{user}~{tag}"
    return info.students_dir / f"{stem}.json"


def _atomic_write(path: Path, text: str, mode: int = 0o644) -> None:
    """A temporary file in the same folder, then a rename: readers never see half."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            os.fchmod(stream.fileno(), mode)
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_status(path: Path, status: StudentStatus) -> None:
    _atomic_write(path, json.dumps(status.to_json(), ensure_ascii=False, separators=(",", ":")))


# ---------------------------------------------------------------- hands answered


def read_answered(info: ClassInfo) -> dict[str, float]:
    """user -> time of the hand the instructor marked answered (bad data: empty)."""
    path = info.instructor_dir / ANSWERED
    try:
        raw, uid = read_owned(path, MAX_ANSWERED_BYTES)
        if uid != 0 and _owner_name(uid) != info.instructor:
            return {}
        data = json.loads(raw.decode("utf-8"))
    except (OSError, InvalidStatus, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    answered: dict[str, float] = {}
    for key, value in data.items():
        if (
            isinstance(key, str)
            and _USER.match(key.split("~")[0])
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
        ):
            answered[key] = float(value)
    return answered


def mark_answered(info: ClassInfo, key: str, raised_at: float) -> None:
    """The instructor answered the hand of the student with file stem ``key``."""
    answered = read_answered(info)
    answered[key] = raised_at
    _atomic_write(info.instructor_dir / ANSWERED, json.dumps(answered, sort_keys=True))


# ---------------------------------------------------------------- publishing


def attempts_from_progress(progress: Any) -> dict[str, Attempts]:
    """Attempts and last wrong answers per exercise ("lesson/exercise"), from the progress."""
    out: dict[str, Attempts] = {}
    for lesson_id, state in getattr(progress, "lessons", {}).items():
        if not _ID.match(lesson_id):
            continue
        for exercise_id, count in getattr(state, "attempts", {}).items():
            if not _ID.match(exercise_id):
                continue
            wrong = tuple(
                clean_text(a, MAX_ANSWER) for a in state.wrong.get(exercise_id, [])[-MAX_WRONG:]
            )
            out[f"{lesson_id}/{exercise_id}"] = Attempts(int(count), wrong)
            if len(out) >= MAX_EXERCISES:
                return out
    return out


def build_status(
    user: str,
    name: str,
    progress: Any,
    page: int | None,
    hand: float | None,
    app_version: str,
    poll: tuple[str, int] | None = None,
) -> StudentStatus:
    """A status from a Progress (current lesson, pages, completed exercises, attempts)."""
    attempts = attempts_from_progress(progress)
    lesson = getattr(progress, "current_lesson", None)
    lessons = getattr(progress, "lessons", {})
    if page is None:
        page = lessons[lesson].page if lesson in lessons else 0
    solved = {
        key: tuple(sorted(state.completed))
        for key, state in lessons.items()
        if state.completed and _ID.match(key)
    }
    return StudentStatus(
        user=user,
        name=clean_text(name, MAX_NAME) or user,
        lesson=lesson if isinstance(lesson, str) and _ID.match(lesson) else None,
        page=page,
        solved=solved,
        attempts=dict(attempts),
        hand=hand,
        app_version=app_version,
        poll=poll,
    )


class Publisher:
    """Writes a student's status off the UI thread: at most every ``interval`` s, only on
    change. ``on_event(kind, message)`` is called from the thread: kind "error" (once
    until a write succeeds again; the message says why), "recovered", "answered" (the
    instructor marked the raised hand answered; the app lowers it)."""

    def __init__(
        self,
        info: ClassInfo,
        path: Path,
        on_event: Callable[[str, Msg | None], None] = lambda kind, message: None,
        interval: float = PUBLISH_INTERVAL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.info = info
        self.path = path
        self.on_event = on_event
        self.interval = interval
        self.clock = clock
        self._lock = threading.Lock()
        self._pending: StudentStatus | None = None
        self._written: StudentStatus | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._failing = False
        self._answered_seen = 0.0
        self._thread: threading.Thread | None = None
        self._last_write = -math.inf  # time.monotonic() of the last write
        self.writes = 0

    def update(self, status: StudentStatus) -> None:
        """The newest status (any thread; cheap). ``active`` is set when it changed."""
        with self._lock:
            base = self._pending or self._written
            same = base is not None and replace(base, active=0.0) == replace(status, active=0.0)
            if same:
                return
            self._pending = replace(status, active=self.clock())
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="class-publisher", daemon=True)
        self._thread.start()

    def stop(self, flush: bool = True) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if flush:
            self.publish_once()

    def _run(self) -> None:
        # A change is written at once, unless the last write is less than `interval` old;
        # with nothing to write, the thread wakes every `interval` to check the hand.
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            wait = self._last_write + self.interval - time.monotonic()
            if wait > 0 and self._stop.wait(wait):
                break
            self.publish_once()

    def publish_once(self) -> bool:
        """Write the pending status if any; check the hand. True when a file was written."""
        with self._lock:
            status = self._pending
        written = False
        if status is not None:
            try:
                write_status(self.path, status)
            except OSError as error:
                if not self._failing:
                    self._failing = True
                    self.on_event(
                        "error",
                        msg(
                            "The class folder cannot be written ({error}); you can work on,"
                            " but the instructor does not see your progress.",
                            error=error.strerror or str(error),
                        ),
                    )
            else:
                written = True
                self.writes += 1
                self._last_write = time.monotonic()
                with self._lock:
                    self._written = status
                    if self._pending is status:
                        self._pending = None
                if self._failing:
                    self._failing = False
                    self.on_event("recovered", None)
        current = self._pending or self._written
        if current is not None and current.hand is not None:
            self._check_answered(current.hand)
        return written

    def _check_answered(self, raised_at: float) -> None:
        answered = read_answered(self.info).get(self.path.stem)
        if answered is not None and answered >= raised_at and answered != self._answered_seen:
            self._answered_seen = answered
            self.on_event("answered", None)


# ---------------------------------------------------------------- the board's figures


@dataclass(frozen=True)
class ExerciseRow:
    exercise: str
    solved: int
    students: int  # students who are or were in the lesson
    attempts: int
    common_wrong: tuple[tuple[str, int], ...]  # (answer, how many), most common first

    @property
    def share(self) -> float:
        return self.solved / self.students if self.students else 0.0


def lesson_counts(
    students: Iterable[StudentStatus], lesson_ids: Sequence[str]
) -> list[tuple[str, int]]:
    """How many students are on each lesson, in course order (unknown lessons last)."""
    counts = Counter(s.lesson for s in students if s.lesson is not None)
    rows = [(lesson, counts.pop(lesson, 0)) for lesson in lesson_ids]
    rows += sorted(counts.items())
    return rows


def exercise_stats(
    students: Sequence[StudentStatus], lesson_id: str, exercise_ids: Sequence[str], top: int = 3
) -> list[ExerciseRow]:
    """Share solved, attempts and the most common wrong answers per exercise."""
    involved = [
        s
        for s in students
        if s.lesson == lesson_id
        or lesson_id in s.solved
        or any(key.startswith(lesson_id + "/") for key in s.attempts)
    ]
    rows = []
    for exercise in exercise_ids:
        key = f"{lesson_id}/{exercise}"
        solved = sum(1 for s in involved if exercise in s.solved.get(lesson_id, ()))
        attempts = sum(s.attempts[key].count for s in involved if key in s.attempts)
        wrong: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for s in involved:
            entry = s.attempts.get(key)
            if entry is None:
                continue
            keys: dict[str, str] = {}
            for answer in entry.wrong:
                keys.setdefault(answer_key(answer), answer.strip())
            for norm, answer in keys.items():  # once per student
                if norm:
                    wrong[norm] += 1
                    shown.setdefault(norm, answer)
        ranked = sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        common = tuple((shown[k], n) for k, n in ranked)
        rows.append(ExerciseRow(exercise, solved, len(involved), attempts, common))
    return rows


def raised_hands(students: Iterable[StudentStatus]) -> list[StudentStatus]:
    """Students with a hand up, first raised first."""
    return sorted((s for s in students if s.hand is not None), key=lambda s: (s.hand, s.user))


def median_lesson(students: Iterable[StudentStatus], lesson_ids: Sequence[str]) -> str | None:
    positions = [lesson_ids.index(s.lesson) for s in students if s.lesson in lesson_ids]
    if not positions:
        return None
    return lesson_ids[int(statistics.median_low(positions))]


def idle_minutes(status: StudentStatus, now: float) -> int:
    return max(0, int((now - status.active) // 60)) if status.active else 0


# ---------------------------------------------------------------- presenting (--present)
#
# The instructor's app writes instructor/present.json on every change; followers and the
# notes view read it. The board writes instructor/poll.json. Both are trusted only when
# the file itself is owned by the instructor recorded in class.toml; every field is
# validated, and nothing read from them is ever shown as markup (the lesson, page and
# exercise are looked up in the reader's own course, parameters in the lesson's schema).

ParamValue = bool | int | float | str


@dataclass(frozen=True)
class Presentation:
    """What the presenting instructor shows (``instructor/present.json``)."""

    lesson: str | None = None
    page: int = 0
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    playing: bool = False
    presenting: bool = True  # False once the instructor's app has quit
    started: float = 0.0  # when the presentation began (epoch s)
    since: float = 0.0  # when the instructor opened the current lesson
    spent: Mapping[str, float] = field(default_factory=dict)  # lesson -> s, before ``since``
    version: int = STATUS_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "lesson": self.lesson,
            "page": self.page,
            "params": dict(sorted(self.params.items())),
            "playing": self.playing,
            "presenting": self.presenting,
            "started": self.started,
            "since": self.since,
            "spent": dict(sorted(self.spent.items())),
        }

    def lesson_seconds(self, lesson_id: str, now: float) -> float:
        """Time the instructor has spent on a lesson so far (seconds)."""
        spent = float(self.spent.get(lesson_id, 0.0))
        if lesson_id == self.lesson and self.presenting and self.since:
            spent += max(0.0, now - self.since)
        return spent


def _param_value(value: Any) -> ParamValue:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) <= 10**12:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str) and len(value) <= MAX_PARAM_TEXT:
        return clean_text(value, MAX_PARAM_TEXT)
    raise InvalidStatus("a parameter value is not a number, a choice or a switch")


def presentation_from_json(data: Any) -> Presentation:
    """A validated presentation; InvalidStatus names the first problem."""
    if not isinstance(data, dict):
        raise InvalidStatus("not a JSON object")
    if data.get("version") != STATUS_VERSION or isinstance(data.get("version"), bool):
        raise InvalidStatus("unknown version")
    lesson = data.get("lesson")
    if lesson is not None:
        lesson = _ident(lesson, "lesson")
    page = _whole(data.get("page", 0), "page")
    params_raw = data.get("params", {})
    if not isinstance(params_raw, dict) or len(params_raw) > MAX_PARAMS:
        raise InvalidStatus("params is not a small object")
    params = {_ident(name, "parameter"): _param_value(v) for name, v in params_raw.items()}
    flags = {}
    for name in ("playing", "presenting"):
        value = data.get(name, name == "presenting")
        if not isinstance(value, bool):
            raise InvalidStatus(f"{name} is not true or false")
        flags[name] = value
    spent_raw = data.get("spent", {})
    if not isinstance(spent_raw, dict) or len(spent_raw) > MAX_SOLVED:
        raise InvalidStatus("spent is not an object")
    spent = {_ident(k, "lesson"): _number(v, "spent", 0.0, 1e7) for k, v in spent_raw.items()}
    return Presentation(
        lesson=lesson,
        page=page,
        params=params,
        playing=flags["playing"],
        presenting=flags["presenting"],
        started=_number(data.get("started", 0.0), "started"),
        since=_number(data.get("since", 0.0), "since"),
        spent=spent,
    )


def _read_instructor_json(info: ClassInfo, name: str, limit: int) -> Any:
    """The JSON of an instructor file owned by the recorded instructor; InvalidStatus or
    OSError otherwise."""
    raw, uid = read_owned(info.instructor_dir / name, limit)
    if _owner_name(uid) != info.instructor:
        raise InvalidStatus("not owned by the instructor")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidStatus("not JSON") from None


def read_presentation(info: ClassInfo) -> Presentation | None:
    """The instructor's presentation, or None (no file, not the instructor's, invalid)."""
    try:
        return presentation_from_json(_read_instructor_json(info, PRESENT, MAX_PRESENT_BYTES))
    except (OSError, InvalidStatus):
        return None


def write_presentation(info: ClassInfo, presentation: Presentation) -> None:
    _atomic_write(
        info.instructor_dir / PRESENT,
        json.dumps(presentation.to_json(), ensure_ascii=False, separators=(",", ":")),
    )


def file_signature(path: Path) -> tuple[int, int, int, int] | None:
    """(inode, size, mtime ns, owner) of a file, not following a symlink; None if absent.
    Readers poll with it and read only when it changed."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_uid)


# ---------------------------------------------------------------- live polls


@dataclass(frozen=True)
class Poll:
    """A poll on a choice exercise (``instructor/poll.json``)."""

    lesson: str
    exercise: str
    opened: int  # epoch ms: makes the id of each poll unique
    state: str = "open"  # open, closed (no more answers), revealed (right answer shown)

    @property
    def id(self) -> str:
        return f"{self.lesson}/{self.exercise}/{self.opened}"

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATUS_VERSION,
            "lesson": self.lesson,
            "exercise": self.exercise,
            "opened": self.opened,
            "state": self.state,
        }


def poll_from_json(data: Any) -> Poll:
    if not isinstance(data, dict) or data.get("version") != STATUS_VERSION:
        raise InvalidStatus("not a poll")
    state = data.get("state")
    if state not in POLL_STATES:
        raise InvalidStatus("unknown poll state")
    opened = data.get("opened")
    if isinstance(opened, bool) or not isinstance(opened, int) or not 0 <= opened < 10**16:
        raise InvalidStatus("opened is not a time")
    lesson = _ident(data.get("lesson"), "lesson")
    return Poll(lesson, _ident(data.get("exercise"), "exercise"), opened, state)


def read_poll(info: ClassInfo) -> Poll | None:
    try:
        return poll_from_json(_read_instructor_json(info, POLL, MAX_POLL_BYTES))
    except (OSError, InvalidStatus):
        return None


def write_poll(info: ClassInfo, poll: Poll) -> None:
    _atomic_write(info.instructor_dir / POLL, json.dumps(poll.to_json()))


def open_poll(
    info: ClassInfo, lesson: str, exercise: str, clock: Callable[[], float] = time.time
) -> Poll:
    poll = Poll(lesson, exercise, int(clock() * 1000))
    write_poll(info, poll)
    return poll


def poll_counts(students: Iterable[StudentStatus], poll: Poll, choices: int) -> list[int]:
    """How many students chose each choice in this poll (no names)."""
    counts = [0] * choices
    for student in students:
        if student.poll is not None and student.poll[0] == poll.id and student.poll[1] < choices:
            counts[student.poll[1]] += 1
    return counts
