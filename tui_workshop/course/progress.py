"""A student's progress, saved as JSON under the user's state directory.

The file lives at ``$TUI_WORKSHOP_STATE_DIR/progress.json`` when that
variable is set (tests, several courses side by side), else in
``platformdirs.user_state_dir("tui-workshop")``.

Saving (:meth:`ProgressStore.save`) takes a lock on a sibling file, re-reads
what is on disk, merges (two sessions of one student never lose a solved
exercise, a revealed solution, a hint or a page seen) and replaces the file
atomically. Loading never raises: only a regular file under a size cap is
read; a corrupt one is moved aside and :attr:`ProgressStore.notice` (a
:class:`~tui_workshop.i18n.message.Msg`) says so. Schema version 1 files
(no pages seen, no attempts) still load.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_workshop.i18n.message import Msg, msg

SCHEMA_VERSION = 2
STATE_DIR_ENV = "TUI_WORKSHOP_STATE_DIR"
FILE_NAME = "progress.json"
MAX_BYTES = 1 << 20  # a progress file larger than this is not read
MAX_WRONG = 5  # last wrong answers kept per exercise
MAX_ANSWER = 200  # characters kept of one wrong answer
STALE_TEMP_SECONDS = 60.0

JsonObject = dict[str, Any]


class CorruptProgress(ValueError):
    """The file's content is not progress this version can read."""


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


@dataclass
class LessonProgress:
    page: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    completed: set[str] = field(default_factory=set)  # exercise ids answered right
    revealed: set[str] = field(default_factory=set)  # exercise ids whose solution was shown
    hints: dict[str, int] = field(default_factory=dict)  # exercise id -> hints shown
    seen: set[int] = field(default_factory=set)  # page indices seen
    attempts: dict[str, int] = field(default_factory=dict)  # exercise id -> answers checked
    wrong: dict[str, list[str]] = field(default_factory=dict)  # last wrong answers, oldest first

    def to_json(self) -> JsonObject:
        return {
            "page": self.page,
            "params": dict(self.params),
            "completed": sorted(self.completed),
            "revealed": sorted(self.revealed),
            "hints": dict(sorted(self.hints.items())),
            "seen": sorted(self.seen),
            "attempts": dict(sorted(self.attempts.items())),
            "wrong": {key: list(value) for key, value in sorted(self.wrong.items())},
        }

    @classmethod
    def from_json(cls, data: Any) -> LessonProgress:
        if not isinstance(data, dict):
            raise CorruptProgress("a lesson entry is not an object")
        page = data.get("page", 0)
        params = data.get("params", {})
        completed = data.get("completed", [])
        revealed = data.get("revealed", [])
        hints = data.get("hints", {})
        seen = data.get("seen", [])
        attempts = data.get("attempts", {})
        wrong = data.get("wrong", {})
        if not _count(page):
            raise CorruptProgress("page is not a non-negative whole number")
        if not isinstance(params, dict):
            raise CorruptProgress("params is not an object")
        for name, values in (("completed", completed), ("revealed", revealed)):
            if not _strings(values):
                raise CorruptProgress(f"{name} is not a list of strings")
        for name, counts in (("hints", hints), ("attempts", attempts)):
            if not isinstance(counts, dict) or not all(_count(n) for n in counts.values()):
                raise CorruptProgress(f"{name} is not an object of counts")
        if not isinstance(seen, list) or not all(_count(n) for n in seen):
            raise CorruptProgress("seen is not a list of page numbers")
        if not isinstance(wrong, dict) or not all(_strings(v) for v in wrong.values()):
            raise CorruptProgress("wrong is not an object of lists of strings")
        return cls(
            page=page,
            params=dict(params),
            completed=set(completed),
            revealed=set(revealed),
            hints=dict(hints),
            # Version 1 kept no pages seen: the current page and those before it were.
            seen=set(seen) if "seen" in data else set(range(page + 1)),
            attempts=dict(attempts),
            wrong={key: [_clip(a) for a in value][-MAX_WRONG:] for key, value in wrong.items()},
        )

    def absorb(self, other: LessonProgress) -> None:
        """Add what ``other`` knows (solved, revealed, seen, counts); keep own page/params."""
        self.completed |= other.completed
        self.revealed |= other.revealed
        self.seen |= other.seen
        for key, count in other.hints.items():
            self.hints[key] = max(count, self.hints.get(key, 0))
        for key, count in other.attempts.items():
            self.attempts[key] = max(count, self.attempts.get(key, 0))
        for key, answers in other.wrong.items():
            # Ours first, then other's (the newer when other is the saving session).
            kept = [a for a in self.wrong.get(key, []) if a not in answers]
            self.wrong[key] = (kept + answers)[-MAX_WRONG:]


def _clip(answer: str) -> str:
    return answer[:MAX_ANSWER]


@dataclass
class Progress:
    current_lesson: str | None = None
    lessons: dict[str, LessonProgress] = field(default_factory=dict)
    version: int = SCHEMA_VERSION
    display_name: str | None = None  # typed once in class mode (a shared account)

    def lesson(self, lesson_id: str) -> LessonProgress:
        """The progress of a lesson, created empty on first use."""
        if lesson_id not in self.lessons:
            self.lessons[lesson_id] = LessonProgress()
        return self.lessons[lesson_id]

    def reset_lesson(self, lesson_id: str) -> None:
        self.lessons.pop(lesson_id, None)

    def to_json(self) -> JsonObject:
        return {
            "version": self.version,
            "current_lesson": self.current_lesson,
            "lessons": {key: value.to_json() for key, value in sorted(self.lessons.items())},
            **({"display_name": self.display_name} if self.display_name else {}),
        }

    @classmethod
    def from_json(cls, data: Any) -> Progress:
        if not isinstance(data, dict):
            raise CorruptProgress("the file does not hold a JSON object")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise CorruptProgress("no schema version")
        if version > SCHEMA_VERSION:
            raise CorruptProgress(f"written by a newer version (schema {version})")
        current = data.get("current_lesson")
        if current is not None and not isinstance(current, str):
            raise CorruptProgress("current_lesson is not a string")
        lessons = data.get("lessons", {})
        if not isinstance(lessons, dict):
            raise CorruptProgress("lessons is not an object")
        name = data.get("display_name")
        return cls(
            current_lesson=current,
            lessons={str(k): LessonProgress.from_json(v) for k, v in lessons.items()},
            version=SCHEMA_VERSION,
            display_name=name if isinstance(name, str) and name.strip() else None,
        )

    def copy(self) -> Progress:
        return Progress.from_json(self.to_json())

    def absorb(self, other: Progress) -> None:
        """Union in what ``other`` knows; page, params and current lesson stay ours."""
        if self.display_name is None:
            self.display_name = other.display_name
        for lesson_id, state in other.lessons.items():
            if lesson_id in self.lessons:
                self.lessons[lesson_id].absorb(state)
            else:
                self.lessons[lesson_id] = LessonProgress.from_json(state.to_json())


def merge(on_disk: Progress, mine: Progress, reset: frozenset[str] | None = None,
          reset_all: bool = False) -> Progress:
    """What to write when ``mine`` is saved over ``on_disk``.

    Solved and revealed exercises and pages seen are united, hint and attempt
    counts take the maximum; the current lesson, each lesson's page and
    parameters are the saving session's. Lessons in ``reset`` (or all, with
    ``reset_all``) forget what is on disk: a reset is the one way to lose.
    """
    result = Progress() if reset_all else on_disk.copy()
    for lesson_id in reset or ():
        result.reset_lesson(lesson_id)
    result.current_lesson = mine.current_lesson
    result.display_name = mine.display_name or result.display_name
    for lesson_id, state in mine.lessons.items():
        base = result.lessons.get(lesson_id)
        if base is None:
            result.lessons[lesson_id] = LessonProgress.from_json(state.to_json())
            continue
        base.page = state.page
        base.params = dict(state.params)
        base.absorb(state)
    return result


def default_path() -> Path | None:
    """Where progress is kept unless a path is given; None without a home folder."""
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override).expanduser().absolute() / FILE_NAME
    if not Path(os.path.expanduser("~")).is_absolute():
        return None  # no HOME and no password entry: nowhere sensible to write
    from platformdirs import user_state_dir

    return Path(user_state_dir("tui-workshop")) / FILE_NAME


def _describe(error: OSError) -> str:
    return error.strerror or type(error).__name__


class ProgressStore:
    """Loads and saves :class:`Progress` at one path; see the module docstring."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path: Path | None = Path(path) if path is not None else default_path()
        # A message for the user after a problem (a corrupt file moved aside...).
        self.notice: Msg | None = None
        if self.path is None:
            self.notice = msg(
                "Progress cannot be saved: there is no home folder (HOME is not set)."
            )

    # ---- reading -------------------------------------------------------------

    @property
    def lock_path(self) -> Path | None:
        return None if self.path is None else self.path.with_name(f".{self.path.name}.lock")

    def _read_bytes(self) -> bytes | None:
        """The file's bytes (None when missing); CorruptProgress for what is not a small
        regular file; OSError when it cannot be read."""
        assert self.path is not None
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        try:
            handle = os.open(self.path, flags)
        except (FileNotFoundError, NotADirectoryError):
            return None  # a folder that is a file: reported by unwritable_reason()
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise CorruptProgress("it is a symbolic link") from None
            raise
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                raise CorruptProgress("it is not a regular file")
            if info.st_size > MAX_BYTES:
                raise CorruptProgress("it is too large")
            chunks: list[bytes] = []
            size = 0
            while chunk := os.read(handle, 65536):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise CorruptProgress("it is too large")
            return b"".join(chunks)
        finally:
            os.close(handle)

    @staticmethod
    def _decode(data: bytes) -> Progress:
        try:
            text = data.decode("utf-8")
            parsed = json.loads(text)
            # A lone surrogate from a \\udXXX escape cannot be written back as UTF-8.
            json.dumps(parsed, ensure_ascii=False).encode("utf-8")
        except UnicodeError:
            raise CorruptProgress("it is not UTF-8 text") from None
        except (ValueError, RecursionError):
            raise CorruptProgress("it is not valid JSON") from None
        try:
            return Progress.from_json(parsed)
        except (TypeError, AttributeError, RecursionError) as error:
            raise CorruptProgress(str(error)) from None

    def load(self) -> Progress:
        """The saved progress, or a fresh one; never raises."""
        if self.path is None:
            return Progress()
        self.remove_stale_temps()
        try:
            data = self._read_bytes()
            return Progress() if data is None else self._decode(data)
        except CorruptProgress as error:
            return self._recover(str(error))
        except OSError as error:
            self.notice = msg(
                "Saved progress in {path} could not be read ({error}); starting from the"
                " beginning.",
                path=str(self.path),
                error=_describe(error),
            )
            return Progress()

    def _recover(self, reason: str) -> Progress:
        assert self.path is not None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while aside.exists() or aside.is_symlink():
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
            counter += 1
        try:
            os.replace(self.path, aside)
        except OSError:
            self.notice = msg(
                "Saved progress in {path} could not be used ({reason}) nor moved aside;"
                " starting from the beginning.",
                path=str(self.path),
                reason=reason,
            )
        else:
            self.notice = msg(
                "Saved progress in {path} could not be used ({reason}); it was moved to"
                " {aside} and the workshop starts from the beginning.",
                path=str(self.path),
                reason=reason,
                aside=aside.name,
            )
        return Progress()

    def remove_stale_temps(self, older_than: float = STALE_TEMP_SECONDS) -> int:
        """Delete ``.progress.json.*.tmp`` left by a crash; returns how many."""
        if self.path is None:
            return 0
        removed = 0
        limit = time.time() - older_than
        with contextlib.suppress(OSError):
            for temp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    info = temp.lstat()
                    if stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                        temp.unlink()
                        removed += 1
        return removed

    # ---- writing -------------------------------------------------------------

    def unwritable_reason(self) -> Msg | None:
        """Why progress cannot be saved here (None when it can): checked by writing."""
        if self.path is None:
            return self.notice
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                            dir=folder)
            os.close(handle)
            os.unlink(name)
        except OSError as error:
            return msg(
                "Progress cannot be saved in {folder}: {error}.",
                folder=str(folder),
                error=_describe(error),
            )
        return None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold an exclusive lock on the sibling lock file (no-op where flock is missing)."""
        assert self.lock_path is not None
        try:
            import fcntl
        except ImportError:  # not on Unix: atomic replace still holds
            yield
            return
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        handle = os.open(self.lock_path, flags, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # releases the lock

    def _write(self, progress: Progress) -> None:
        assert self.path is not None
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            text = json.dumps(progress.to_json(), indent=1, ensure_ascii=False) + "\n"
            # A lone surrogate (from a pasted answer) becomes "?": never a failed save.
            data = text.encode("utf-8", "replace")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise

    def _on_disk(self) -> Progress:
        """What is saved now, for merging (a corrupt file counts as nothing)."""
        try:
            data = self._read_bytes()
            return Progress() if data is None else self._decode(data)
        except CorruptProgress:
            return Progress()

    def save(
        self,
        progress: Progress,
        *,
        reset: frozenset[str] | None = None,
        reset_all: bool = False,
    ) -> Progress:
        """Merge ``progress`` with the file under a lock and write it atomically.

        Returns what was written. Raises OSError when it cannot (the old file
        stays intact).
        """
        if self.path is None:
            raise OSError(errno.ENOENT, "no home folder")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():
            merged = merge(self._on_disk(), progress, reset, reset_all)
            self._write(merged)
        return merged

    def try_save(self, progress: Progress) -> bool:
        """Like :meth:`save` but reports a failure in :attr:`notice` instead of raising."""
        try:
            self.save(progress)
        except (OSError, TypeError, ValueError) as error:
            self.notice = self.save_failed(error)
            return False
        return True

    def save_failed(self, error: BaseException) -> Msg:
        reason = _describe(error) if isinstance(error, OSError) else str(error)
        return msg("Progress could not be saved to {path}: {error}", path=str(self.path),
                   error=reason)

    def reset_lesson(self, lesson_id: str) -> Progress:
        """Forget one lesson's progress on disk; returns the updated progress."""
        progress = self.load()
        progress.reset_lesson(lesson_id)
        return self.save(progress, reset=frozenset({lesson_id}))

    def reset_all(self) -> Progress:
        """Start over (the current lesson is forgotten too)."""
        return self.save(Progress(), reset_all=True)



# ---- kept runs: each lesson's experiment state, one file per lesson ----------------------

RUNS_FOLDER = "runs"  # beside progress.json: runs/<lesson-id>.npz
MAX_RUN_BYTES = 8 << 20  # a kept run larger than this is neither written nor read
MAX_RUN_ENTRIES = 2000
RUN_FORMAT = 1
_META = "__meta__"


class CorruptRun(ValueError):
    """A kept run that cannot be read; ``message`` (a message key) says why."""

    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(str(message))


def _safe_id(lesson_id: str) -> bool:
    return (
        0 < len(lesson_id) <= 64
        and lesson_id[0].isalnum()
        and all(ch.isalnum() or ch in "-_." for ch in lesson_id)
        and ".." not in lesson_id
    )


def run_meta(experiment: str, params: Any) -> str:
    """What a kept run belongs to: the experiment and its parameters, canonical JSON."""
    return json.dumps(
        {"format": RUN_FORMAT, "experiment": experiment, "params": dict(params)},
        sort_keys=True, ensure_ascii=True, default=str,
    )


class RunStore:
    """Each lesson's kept run in ``folder/<lesson-id>.npz`` (NumPy arrays, no pickles).

    Written atomically (a temporary file, fsync, rename); read only from a regular
    file under :data:`MAX_RUN_BYTES` whose entries add up to no more than that
    either, with ``allow_pickle=False``. A run kept for other parameters or
    another experiment is not returned. ``folder`` None keeps nothing on disk.
    """

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = None if folder is None else Path(folder)

    @classmethod
    def beside(cls, store: ProgressStore) -> RunStore:
        return cls(None if store.path is None else store.path.parent / RUNS_FOLDER)

    def path(self, lesson_id: str) -> Path | None:
        if self.folder is None or not _safe_id(lesson_id):
            return None
        return self.folder / f"{lesson_id}.npz"

    def save(self, lesson_id: str, meta: str, state: dict[str, Any]) -> bool:
        """Write the run (False when it cannot be kept: no folder, a bad id, too large).
        OSError when the disk refuses."""
        import numpy as np

        path = self.path(lesson_id)
        if path is None or any(key.startswith("__") for key in state):
            return False
        arrays = {key: np.asarray(value) for key, value in state.items()}
        if sum(a.nbytes for a in arrays.values()) > MAX_RUN_BYTES or len(arrays) > MAX_RUN_ENTRIES:
            return False
        arrays[_META] = np.array(meta)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                np.savez(stream, allow_pickle=False, **arrays)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp_name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
        return True

    def remove(self, lesson_id: str) -> None:
        path = self.path(lesson_id)
        if path is not None:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                os.unlink(path)

    def remove_all(self) -> None:
        if self.folder is None or not self.folder.is_dir() or self.folder.is_symlink():
            return
        for path in self.folder.glob("*.npz"):
            with contextlib.suppress(OSError):
                os.unlink(path)

    def load(self, lesson_id: str, meta: str) -> dict[str, Any] | None:
        """The run kept for ``meta`` (None when there is none, or it is for other
        parameters); CorruptRun when the file cannot be read."""
        path = self.path(lesson_id)
        if path is None:
            return None
        data = self._read(path)
        if data is None:
            return None
        state = self._decode(data)
        try:
            saved_meta = str(state.pop(_META)[()])
        except (KeyError, IndexError, ValueError):
            raise CorruptRun(msg("it is not a saved run")) from None
        if saved_meta != meta:
            return None
        return state

    @staticmethod
    def _read(path: Path) -> bytes | None:
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        try:
            handle = os.open(path, flags)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise CorruptRun(msg("it is a symbolic link")) from None
            raise CorruptRun(msg("it cannot be read ({error})", error=_describe(error))) from None
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                raise CorruptRun(msg("it is not a regular file"))
            if info.st_size > MAX_RUN_BYTES:
                raise CorruptRun(msg("it is too large"))
            chunks: list[bytes] = []
            size = 0
            while chunk := os.read(handle, 65536):
                size += len(chunk)
                if size > MAX_RUN_BYTES:
                    raise CorruptRun(msg("it is too large"))
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError as error:
            raise CorruptRun(msg("it cannot be read ({error})", error=_describe(error))) from None
        finally:
            os.close(handle)

    @staticmethod
    def _decode(data: bytes) -> dict[str, Any]:
        import io
        import zipfile

        import numpy as np

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = archive.infolist()
                if len(entries) > MAX_RUN_ENTRIES + 1:
                    raise CorruptRun(msg("it is too large"))
                if sum(entry.file_size for entry in entries) > MAX_RUN_BYTES:
                    raise CorruptRun(msg("it is too large"))  # a small file that unpacks big
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                return {key: archive[key] for key in archive.files}
        except CorruptRun:
            raise
        except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile, RuntimeError):
            raise CorruptRun(msg("it is not a saved run")) from None
