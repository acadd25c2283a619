"""A student's progress, saved as JSON under the user's state directory.

The file lives at ``$TUI_WORKSHOP_STATE_DIR/progress.json`` when that
variable is set (tests, several courses side by side), else in
``platformdirs.user_state_dir("tui-workshop")``. Saving is atomic (a temporary
file in the same directory, fsync, ``os.replace``), so a crash never leaves a
half-written file. Loading never raises: a corrupt file is moved aside to
``progress.json.corrupt-<timestamp>`` and :attr:`ProgressStore.notice` says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
STATE_DIR_ENV = "TUI_WORKSHOP_STATE_DIR"
FILE_NAME = "progress.json"


@dataclass
class LessonProgress:
    page: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    completed: set[str] = field(default_factory=set)  # exercise ids answered right
    revealed: set[str] = field(default_factory=set)  # exercise ids whose solution was shown
    hints: dict[str, int] = field(default_factory=dict)  # exercise id -> hints shown

    def to_json(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "params": dict(self.params),
            "completed": sorted(self.completed),
            "revealed": sorted(self.revealed),
            "hints": dict(sorted(self.hints.items())),
        }

    @classmethod
    def from_json(cls, data: Any) -> LessonProgress:
        if not isinstance(data, dict):
            raise ValueError("a lesson entry is not an object")
        page = data.get("page", 0)
        params = data.get("params", {})
        completed = data.get("completed", [])
        revealed = data.get("revealed", [])
        hints = data.get("hints", {})
        if isinstance(page, bool) or not isinstance(page, int) or page < 0:
            raise ValueError("page is not a non-negative whole number")
        if not isinstance(params, dict):
            raise ValueError("params is not an object")
        for name, values in (("completed", completed), ("revealed", revealed)):
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ValueError(f"{name} is not a list of strings")
        if not isinstance(hints, dict) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in hints.values()
        ):
            raise ValueError("hints is not an object of counts")
        return cls(
            page=page,
            params=dict(params),
            completed=set(completed),
            revealed=set(revealed),
            hints=dict(hints),
        )


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

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "current_lesson": self.current_lesson,
            "lessons": {key: value.to_json() for key, value in sorted(self.lessons.items())},
            **({"display_name": self.display_name} if self.display_name else {}),
        }

    @classmethod
    def from_json(cls, data: Any) -> Progress:
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a JSON object")
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise ValueError("no schema version")
        if version > SCHEMA_VERSION:
            raise ValueError(f"written by a newer version (schema {version})")
        current = data.get("current_lesson")
        if current is not None and not isinstance(current, str):
            raise ValueError("current_lesson is not a string")
        lessons = data.get("lessons", {})
        if not isinstance(lessons, dict):
            raise ValueError("lessons is not an object")
        name = data.get("display_name")
        return cls(
            current_lesson=current,
            lessons={str(k): LessonProgress.from_json(v) for k, v in lessons.items()},
            version=SCHEMA_VERSION,
            display_name=name if isinstance(name, str) and name.strip() else None,
        )


def default_path() -> Path:
    """Where progress is kept unless a path is given."""
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override).expanduser() / FILE_NAME
    from platformdirs import user_state_dir

    return Path(user_state_dir("tui-workshop")) / FILE_NAME


class ProgressStore:
    """Loads and saves :class:`Progress` at one path."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        # A message for the user after a problem (a corrupt file moved aside...).
        self.notice: str | None = None

    def load(self) -> Progress:
        """The saved progress, or a fresh one; never raises."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Progress()
        except (OSError, UnicodeDecodeError) as error:
            return self._recover(f"could not be read ({error})")
        try:
            return Progress.from_json(json.loads(text))
        except (ValueError, TypeError, AttributeError, RecursionError) as error:
            reason = "is not valid JSON" if isinstance(error, json.JSONDecodeError) else str(error)
            return self._recover(reason)

    def _recover(self, reason: str) -> Progress:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
            counter += 1
        try:
            os.replace(self.path, aside)
        except OSError:
            self.notice = (
                f"Saved progress in {self.path} {reason} and could not be moved aside;"
                " starting from the beginning."
            )
        else:
            self.notice = (
                f"Saved progress in {self.path} {reason}; it was moved to {aside.name}"
                " and the workshop starts from the beginning."
            )
        return Progress()

    def save(self, progress: Progress) -> None:
        """Write atomically: the old file stays intact if anything fails (OSError raised)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(progress.to_json(), stream, indent=1, ensure_ascii=False)
                stream.write("\n")
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise

    def try_save(self, progress: Progress) -> bool:
        """Like :meth:`save` but reports a failure in :attr:`notice` instead of raising."""
        try:
            self.save(progress)
        except (OSError, TypeError, ValueError) as error:
            self.notice = f"Progress could not be saved to {self.path}: {error}"
            return False
        return True

    def reset_lesson(self, lesson_id: str) -> Progress:
        """Forget one lesson's progress on disk; returns the updated progress."""
        progress = self.load()
        progress.reset_lesson(lesson_id)
        self.save(progress)
        return progress

    def reset_all(self) -> Progress:
        """Start over (the current lesson is forgotten too)."""
        progress = Progress()
        self.save(progress)
        return progress
