"""Load and validate lesson files (``lessons/<lang>/NN-slug.md``).

A lesson is TOML front matter between ``+++`` lines followed by Markdown. The
body is split into pages at ``## `` headings (not inside fenced code blocks);
text before the first heading is a page titled with the lesson title.

Each lesson parameter is its experiment's schema parameter (see
:mod:`tui_workshop.experiments.schema`) *narrowed* by the lesson: bounds inside
the schema's, a subset of its choices, a default and presets within them, the
lesson's own label and help. The loader proves each lesson does only that,
reading the schemas from :func:`tui_workshop.experiments.catalogue` (no NumPy).

Every problem is a :class:`LessonError` whose ``str`` is ``file:line: message``
(the message a message key, rendered in the current language), so editors and
terminals can jump to it. Validation collects all errors of a folder instead
of stopping at the first one. Files are read defensively: regular files only,
at most :data:`MAX_FILE_BYTES`, UTF-8 (a BOM is accepted).
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from tui_workshop.course.model import Exercise, Lesson, Page, ParamSpec, Preset
from tui_workshop.experiments.schema import (
    PARAM_KINDS,
    Param,
    ParameterError,
    bound,
    narrowing_errors,
)
from tui_workshop.i18n import PSEUDO, render
from tui_workshop.i18n.message import Msg, Text, msg

FENCE = "+++"
FILE_NAME = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
LESSON_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
IGNORED_FILES = frozenset({"README.md", "readme.md"})
MAX_FILE_BYTES = 1 << 20  # a lesson file larger than this is refused unread
MAX_PAGE_CHARS = 64 * 1024  # a page longer than this is reported
MAX_ERRORS = 50  # per file; the rest are counted

LESSON_KEYS = {
    "id": str,
    "title": str,
    "duration": int,
    "optional": bool,
    "part": int,
    "objectives": list,
    "experiment": str,
    "notes": str,
    "summary": str,
    "params": dict,
    "presets": dict,
    "exercises": list,
}
REQUIRED_LESSON_KEYS = ("id", "title", "duration", "experiment")
PARAM_KEYS = {
    "kind",
    "default",
    "label",
    "help",
    "min",
    "max",
    "step",
    "choices",
    "choice_labels",
}
PRESET_KEYS = {"label", "values"}
EXERCISE_KINDS = ("numeric", "choice", "vector", "goal")
COMMON_EXERCISE_KEYS = {"id", "kind", "prompt", "hints", "solution", "extra"}
PARTS = (1, 2, 3)  # theory with examples; guided practice; exercises and limits
NOTES_OPEN = re.compile(r"^\s{0,3}:::\s*notes\s*$")
NOTES_CLOSE = re.compile(r"^\s{0,3}:::\s*$")
CODE_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
EXERCISE_KEYS = {
    "numeric": COMMON_EXERCISE_KEYS | {"answer", "tolerance", "relative"},
    "vector": COMMON_EXERCISE_KEYS | {"answer", "tolerance", "relative"},
    "choice": COMMON_EXERCISE_KEYS | {"answer", "choices"},
    "goal": COMMON_EXERCISE_KEYS | {"metric", "op", "target", "constraints"},
}
ALL_EXERCISE_KEYS = set().union(*EXERCISE_KEYS.values())
GOAL_OPS = (">=", "<=", ">", "<", "==")
CONSTRAINT = re.compile(r"^\s*(>=|<=|==|!=|>|<)?\s*(.+?)\s*$")

TYPE_NAMES = {
    str: msg("a string"),
    int: msg("a whole number"),
    bool: msg("true or false"),
    list: msg("a list"),
    dict: msg("a table"),
    float: msg("a number"),
}


def printable(text: str) -> str:
    """``text`` with control characters and escape sequences shown escaped (``\\x1b``)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def quoted(value: Any, limit: int = 40) -> str:
    """``value`` quoted for a message ('name'), control characters escaped, cut at ``limit``."""
    text = repr(str(value)[: limit + 1])
    return text if len(text) <= limit + 2 else text[: limit] + "…" + text[0]


@dataclass(frozen=True)
class LessonError:
    """One problem in a lesson file, shown as ``file:line: message``."""

    path: Path
    line: int
    message: Text

    @property
    def text(self) -> str:
        """The message in the current language."""
        return render(self.message)

    def __str__(self) -> str:
        where = printable(str(self.path))
        text = printable(self.text)
        if self.line <= 0:  # about a whole folder
            return f"{where}: {text}"
        return f"{where}:{self.line}: {text}"


class LessonErrors(Exception):
    """Raised by :func:`load_course` / :func:`load_lesson` with every error found."""

    def __init__(self, errors: Iterable[LessonError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Part:
    """One stage of the workshop (``[[parts]]`` in ``course.toml``)."""

    number: int
    title: str


@dataclass(frozen=True)
class Session:
    """A stretch of the plan that is no lesson: the break, the closing discussion."""

    title: str
    minutes: int
    after_part: int  # shown after the lessons of this part


@dataclass(frozen=True)
class Schedule:
    """The course plan from ``course.toml``: total minutes, parts, break, discussion."""

    minutes: int = 0  # the time the workshop has (0: no plan)
    parts: tuple[Part, ...] = ()
    pause: Session | None = None  # the break
    discussion: Session | None = None

    def part(self, number: int) -> Part | None:
        for part in self.parts:
            if part.number == number:
                return part
        return None

    def sessions_after(self, number: int) -> tuple[Session, ...]:
        """The break and/or discussion that follow part ``number``, in that order."""
        return tuple(s for s in (self.pause, self.discussion)
                     if s is not None and s.after_part == number)

    @property
    def extra_minutes(self) -> int:
        """Minutes of the plan that are not lessons (break + discussion)."""
        return sum(s.minutes for s in (self.pause, self.discussion) if s is not None)


@dataclass(frozen=True)
class Course:
    """The lessons of one folder, in order of their ``NN-`` prefix."""

    lessons: tuple[Lesson, ...]
    root: Path
    lang: str = "en"
    schedule: Schedule = field(default_factory=Schedule)

    def by_id(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    def index(self, lesson_id: str) -> int:
        for position, lesson in enumerate(self.lessons):
            if lesson.id == lesson_id:
                return position
        raise KeyError(lesson_id)

    def resolve(self, key: str) -> Lesson | None:
        """The lesson ``key`` names: an id ("neuron"), a number ("3", "03") or a file
        stem ("03-neuron"); None when none does."""
        key = str(key).strip()
        for lesson in self.lessons:
            if key in (lesson.id, lesson.path.stem, lesson.path.name):
                return lesson
        if key.isdigit() and len(key) <= 4:
            for lesson in self.lessons:
                if lesson.number == int(key):
                    return lesson
        lowered = key.lower()
        for lesson in self.lessons:
            if lowered in (lesson.id.lower(), lesson.path.stem.lower()):
                return lesson
        return None

    def ids(self) -> tuple[str, ...]:
        return tuple(lesson.id for lesson in self.lessons)

    @property
    def core_duration(self) -> int:
        return sum(lesson.duration for lesson in self.lessons if not lesson.optional)

    @property
    def optional_duration(self) -> int:
        return sum(lesson.duration for lesson in self.lessons if lesson.optional)

    @property
    def planned_duration(self) -> int:
        """Core lessons plus the break and the closing discussion."""
        return self.core_duration + self.schedule.extra_minutes

    def lessons_of_part(self, number: int) -> tuple[Lesson, ...]:
        return tuple(lesson for lesson in self.lessons if lesson.part == number)

    def __len__(self) -> int:
        return len(self.lessons)


# ---------------------------------------------------------------- line lookup

_HEADER_CHARS = re.compile(r"[A-Za-z0-9_.\-\"' \t]*")
_KEY_CHARS = re.compile(r"[A-Za-z0-9_.\-\"' \t]+")
_KEY_NOISE = re.compile(r"[\s\"']")


def _header_name(line: str) -> str | None:
    """``params.lr`` for ``[params.lr]`` or ``[[ exercises ]]``; None for other lines.

    Plain string scans (no backtracking regex): long lines stay linear.
    """
    text = line.strip()
    if not text.startswith("["):
        return None
    double = text.startswith("[[")
    closing = "]]" if double else "]"
    start = 2 if double else 1
    end = text.find(closing, start)
    if end < 0:
        return None
    inner, rest = text[start:end], text[end + len(closing) :].strip()
    if rest and not rest.startswith("#"):
        return None
    name = _KEY_NOISE.sub("", inner)
    if not name or not (name[0].isalpha() or name[0] == "_"):
        return None
    return name if _HEADER_CHARS.fullmatch(inner) else None


def _key_name(line: str) -> str | None:
    """``lr.default`` for ``lr.default = 3``; None for other lines."""
    equals = line.find("=")
    if equals <= 0:
        return None
    left = line[:equals]
    if not _KEY_CHARS.fullmatch(left) or left.count('"') % 2 or left.count("'") % 2:
        return None  # e.g. a line of a multi-line array: "z = w·x + b",
    name = _KEY_NOISE.sub("", left)
    return name or None


class _Lines:
    """Finds the file line of a key in the front matter (best effort).

    ``table`` is a dotted header such as ``params.w1``; ``occurrence`` picks the
    n-th ``[[exercises]]``. Dotted keys (``w1.kind = ...``) and inline tables
    (``w1 = { kind = ... }``) are found through their parent table. Falls back
    to the table header, then to the first front-matter line. Keys are indexed
    once, so each lookup costs the same however long the file is.
    """

    def __init__(self, front: list[str], fence_line: int) -> None:
        self.fence_line = fence_line  # 1-based file line of the opening '+++'
        self.first = fence_line + 1
        self.headers: dict[tuple[str, int], int] = {}  # (header, occurrence) -> line
        self.header_prefixes: dict[str, int] = {}  # every dotted prefix of a header -> line
        self.sections_named: dict[str, list[int]] = {"": [0]}  # header -> section numbers
        self.occurrence_of: list[int] = [0]  # section number -> occurrence of its header
        self.keys: dict[tuple[int, str], int] = {}  # (section, dotted key) -> line
        self.key_prefixes: dict[tuple[int, str], int] = {}  # (section, key prefix) -> line
        counts: dict[str, int] = {}
        section = 0
        in_string: str | None = None  # inside a multi-line string: its delimiter
        for index, line in enumerate(front):
            file_line = fence_line + 1 + index
            if in_string is not None:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            header = _header_name(line)
            if header is not None:
                occurrence = counts.get(header, 0)
                counts[header] = occurrence + 1
                section = len(self.occurrence_of)
                self.occurrence_of.append(occurrence)
                self.sections_named.setdefault(header, []).append(section)
                self.headers.setdefault((header, occurrence), file_line)
                parts = header.split(".")
                for depth in range(1, len(parts) + 1):
                    self.header_prefixes.setdefault(".".join(parts[:depth]), file_line)
                continue
            name = _key_name(line)
            if name is not None:
                self.keys.setdefault((section, name), file_line)
                parts = name.split(".")
                for depth in range(1, len(parts)):
                    self.key_prefixes.setdefault((section, ".".join(parts[:depth])), file_line)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_string = quote
                    break

    def table(self, name: str, occurrence: int = 0) -> int | None:
        """Line of the header ``[name]`` (or the n-th ``[[name]]``)."""
        return self.headers.get((name, occurrence))

    def _in_section(self, section: str, key: str, occurrence: int | None) -> int | None:
        """Line of ``key = `` (or else ``key.x = ``) in a section."""
        fallback = None
        for number in self.sections_named.get(section, ()):
            if occurrence is not None and self.occurrence_of[number] != occurrence:
                continue
            found = self.keys.get((number, key))
            if found is not None:
                return found
            if fallback is None:
                fallback = self.key_prefixes.get((number, key))
        return fallback

    def key(self, key: str, table: str = "", occurrence: int = 0) -> int:
        """Line of ``key = ...`` inside ``[table]``."""
        found = self._in_section(table, key, occurrence)
        if found is not None:
            return found
        header = self.table(table, occurrence) if table else None
        if header is not None:
            return header
        # a sub-table ``[table.key]`` or ``[table.key.x]``
        found = self.header_prefixes.get(f"{table}.{key}" if table else key)
        if found is not None:
            return found
        # a dotted key or inline table in a parent: ``lr.default = `` in [params]
        parts = table.split(".") if table else []
        for depth in range(len(parts) - 1, -1, -1):
            parent, rest = ".".join(parts[:depth]), ".".join(parts[depth:])
            found = self._in_section(parent, f"{rest}.{key}", None)
            if found is None:
                found = self._in_section(parent, rest, None)
            if found is not None:
                return found
        return self.first


# ---------------------------------------------------------------- reading


class _Unreadable(Exception):
    def __init__(self, line: int, message: Msg) -> None:
        self.line = line
        self.message = message
        super().__init__(str(message))


def _os_reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def read_lesson_text(path: str | Path, limit: int = MAX_FILE_BYTES) -> str:
    """The text of a lesson file, read safely; raises ``_Unreadable`` (line, message).

    Only regular files are opened (never a FIFO or a device, even through a
    symbolic link), at most ``limit`` bytes are read, a UTF-8 BOM is dropped.
    """
    try:
        info = os.stat(path)
    except OSError as error:
        raise _Unreadable(
            1, msg("cannot read the file: {reason}", reason=_os_reason(error))
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable(1, msg("not a regular file: a lesson must be a plain text file"))
    if info.st_size > limit:
        raise _Unreadable(
            1, msg("the file is too large ({size} bytes; at most {limit})", size=info.st_size,
                   limit=limit)
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # swapped since the stat
                raise _Unreadable(1, msg("not a regular file: a lesson must be a plain text file"))
            data = stream.read(limit + 1)
    except OSError as error:
        raise _Unreadable(
            1, msg("cannot read the file: {reason}", reason=_os_reason(error))
        ) from None
    if len(data) > limit:
        raise _Unreadable(
            1, msg("the file is too large (more than {limit} bytes)", limit=limit)
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _Unreadable(
            line,
            msg(
                "not UTF-8 text: byte 0x{byte} cannot be read; save the file as UTF-8",
                byte=f"{data[error.start]:02x}",
            ),
        ) from None


def _split_front_matter(text: str) -> tuple[list[str], int, int] | Msg:
    """(front lines, index of the opening fence, index of the closing fence) or an error."""
    lines = text.splitlines()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != FENCE:
        return msg("missing front matter: the file must start with a '+++' line")
    for index in range(start + 1, len(lines)):
        if lines[index].strip() == FENCE:
            return lines[start + 1 : index], start, index
    return msg("unterminated front matter: no closing '+++' line")


def read_front_matter(path: str | Path) -> tuple[dict[str, Any], str]:
    """(the raw TOML front matter, the Markdown body) of a lesson file, unvalidated.

    Raises ValueError when the file cannot be read or the fences are missing;
    TOML errors propagate.
    """
    try:
        text = read_lesson_text(path)
    except _Unreadable as error:
        raise ValueError(f"{printable(str(path))}: {error.message}") from None
    lines = text.splitlines()
    split = _split_front_matter(text)
    if isinstance(split, Msg):
        raise ValueError(f"{printable(str(path))}: {split}")
    front, _start, end = split
    return tomllib.loads("\n".join(front)), "\n".join(lines[end + 1 :]) + "\n"


def code_fence(line: str, fence: str | None) -> tuple[str | None, bool]:
    """The code fence open after ``line`` (None: outside code) when ``fence`` was open
    before it, and whether ``line`` opens or closes one (a closing fence is at least as
    long as the opening one and of the same character)."""
    marker = CODE_FENCE.match(line)
    if marker is None:
        return fence, False
    ticks = marker.group(1)
    if fence is None:
        return ticks, True
    if ticks[0] == fence[0] and len(ticks) >= len(fence):
        return None, True
    return fence, True


def split_pages(body: str, lesson_title: str, first_line: int = 1) -> list[Page]:
    """Pages of a Markdown body, split at ``## `` headings outside code fences.

    ``first_line`` is the file line of the body's first line: each page knows
    the line it starts on. Speaker notes, written in a page between a line
    ``::: notes`` and a line ``:::``, are taken out of its text into
    ``Page.notes`` (see :func:`notes_problems` for misplaced ones).
    """
    pages: list[Page] = []
    current: list[str] = []
    notes: list[str] = []
    title, preamble, start = lesson_title, True, first_line
    fence: str | None = None
    in_notes = False

    def close() -> None:
        text = "\n".join(current).strip("\n")
        if text.strip() or not preamble:
            pages.append(Page(title, text, start, "\n\n".join(notes).strip()))

    block: list[str] = []
    for number, line in enumerate(body.splitlines(), start=first_line):
        if in_notes:
            if NOTES_CLOSE.match(line):
                in_notes = False
                notes.append("\n".join(block).strip())
            else:
                block.append(line)
            continue
        fence, is_fence = code_fence(line, fence)
        if not is_fence and fence is None:
            if NOTES_OPEN.match(line):
                in_notes, block = True, []
                continue
            if line.startswith("## "):
                close()
                title, preamble, start = line[3:].strip(), False, number
                current, notes = [], []
                continue
        current.append(line)
    if in_notes:  # an unclosed block: its text stays notes, never shown
        notes.append("\n".join(block).strip())
    close()
    return pages


def notes_problems(body: str, first_line: int = 1) -> list[tuple[int, Msg]]:
    """Speaker-notes blocks that belong to no page (before any page text) or are
    never closed, as (line, message)."""
    problems: list[tuple[int, Msg]] = []
    seen_text, fence, opened = False, None, 0
    for number, line in enumerate(body.splitlines(), start=first_line):
        if opened:
            if NOTES_CLOSE.match(line):
                opened = 0
            continue
        fence, is_fence = code_fence(line, fence)
        if not is_fence and fence is None:
            if NOTES_OPEN.match(line):
                if not seen_text:
                    problems.append((number, msg("speaker notes before any page text belong to"
                                                 " no page: put them after the text of a page")))
                opened = number
                continue
            if line.startswith("## "):
                seen_text = False
                continue
        if line.strip():
            seen_text = True
    if opened:
        problems.append((opened, msg("speaker notes are not closed: end them with a line ':::'")))
    return problems


# ---------------------------------------------------------------- parsing


def _where(where: Text, problem: Text) -> Msg:
    return msg("{where}: {problem}", where=where, problem=problem)


def _unknown_key(key: str, known: Iterable[str]) -> Msg:
    close = difflib.get_close_matches(str(key)[:64], sorted(known), n=1, cutoff=0.6)
    if close:
        return msg("unknown key {key} (did you mean {suggestion}?)", key=quoted(key),
                   suggestion=quoted(close[0]))
    return msg("unknown key {key}", key=quoted(key))


def _finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class _LessonParser:
    def __init__(self, path: Path, registry: Mapping[str, Any]) -> None:
        self.path = path
        self.registry = registry
        self.errors: list[LessonError] = []
        self.dropped = 0  # errors beyond MAX_ERRORS, counted only
        self.lines: _Lines | None = None
        self.id_line = 1

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    def error(self, line: int, message: Text) -> None:
        """Record a problem; past :data:`MAX_ERRORS` they are only counted."""
        if self.full:
            self.dropped += 1
            return
        self.errors.append(LessonError(self.path, line, message))

    def at(self, key: str, table: str = "", occurrence: int = 0) -> int:
        assert self.lines is not None
        return self.lines.key(key, table, occurrence)

    def unknown_key(self, line: int, where: Text | None, key: str, known: Iterable[str]) -> None:
        if self.full:  # no suggestion computed for errors that are not shown
            self.dropped += 1
            return
        problem = _unknown_key(key, known)
        self.error(line, problem if where is None else _where(where, problem))

    def parse(self) -> Lesson | None:
        lesson = self._parse()
        if self.dropped:
            self.errors.append(
                LessonError(self.path, self.errors[-1].line if self.errors else 1,
                            msg("… and more problems: only the first {n} in this file are"
                                " shown", n=MAX_ERRORS))
            )
        return lesson

    def _parse(self) -> Lesson | None:
        try:
            text = read_lesson_text(self.path)
        except _Unreadable as error:
            self.error(error.line, error.message)
            return None
        split = _split_front_matter(text)
        if isinstance(split, Msg):
            self.error(1, split)
            return None
        front, open_index, close_index = split
        self.lines = _Lines(front, open_index + 1)  # 1-based fence line
        try:
            data = tomllib.loads("\n".join(front))
        except tomllib.TOMLDecodeError as exc:
            line = self._toml_line(exc, open_index, close_index)
            self.error(line, msg("invalid TOML: {error}", error=printable(_toml_message(exc))))
            return None
        except RecursionError:
            self.error(open_index + 1, msg("invalid TOML: nested too deeply"))
            return None
        except (ValueError, MemoryError) as exc:
            self.error(open_index + 1, msg("invalid TOML: {error}", error=printable(str(exc))))
            return None
        body = "\n".join(text.splitlines()[close_index + 1 :])
        return self._lesson(data, body, close_index + 2)

    @staticmethod
    def _toml_line(exc: Exception, open_index: int, close_index: int) -> int:
        lineno = getattr(exc, "lineno", None)
        if not isinstance(lineno, int):
            found = re.search(r"at line (\d+)", str(exc))
            if not found:  # "at end of document": the closing fence
                return close_index + 1
            lineno = int(found.group(1))
        return open_index + 1 + lineno

    # -- top level

    def _lesson(self, data: dict, body: str, body_line: int) -> Lesson | None:
        for key in data:
            if key not in LESSON_KEYS:
                self.unknown_key(self.at(key), None, key, LESSON_KEYS)
        assert self.lines is not None
        for key in REQUIRED_LESSON_KEYS:
            if key not in data:
                self.error(self.lines.fence_line, msg("missing required key {key}",
                                                      key=quoted(key)))
        values: dict[str, Any] = {}
        for key, kind in LESSON_KEYS.items():
            if key in data and self._typed(data[key], kind, key, self.at(key)):
                values[key] = data[key]
        lesson_id = values.get("id", "")
        self.id_line = self.at("id")
        if "id" in values and not LESSON_ID.match(lesson_id):
            self.error(
                self.at("id"),
                msg("id {id} must use lower-case letters, digits, '-' and '_'",
                    id=quoted(lesson_id)),
            )
        if "duration" in values and values["duration"] <= 0:
            self.error(self.at("duration"), msg("duration must be a positive number of minutes"))
        objectives = values.get("objectives", [])
        if any(not isinstance(o, str) for o in objectives):
            self.error(self.at("objectives"), msg("objectives must be a list of strings"))
            objectives = []

        schema = self._experiment(values)
        declared = values.get("params", {})
        params = self._params(declared, schema)
        presets = self._presets(values.get("presets", {}), params, set(declared), schema)
        exercises = self._exercises(values.get("exercises", []), schema, params)

        title = values.get("title", "")
        pages = split_pages(body, title, body_line)
        for line, problem in notes_problems(body, body_line):
            self.error(line, problem)
        part = values.get("part", 1)
        if part not in PARTS:
            self.error(self.at("part"), msg("part must be 1 (theory), 2 (guided practice) or 3"
                                            " (exercises and limits), not {part}", part=part))
        if not any(page.text.strip() for page in pages):
            self.error(body_line, msg("the lesson has no text after the front matter"))
        for page in pages:
            if len(page.text) > MAX_PAGE_CHARS:
                self.error(
                    page.line,
                    msg("page {title} is too long ({size} characters; at most {limit}):"
                        " split it with '## ' headings", title=quoted(page.title),
                        size=len(page.text), limit=MAX_PAGE_CHARS),
                )

        match = FILE_NAME.match(self.path.name)
        number = int(match.group(1)) if match else 0
        if self.errors or self.dropped:
            return None
        return Lesson(
            id=lesson_id,
            title=title,
            number=number,
            duration=values["duration"],
            objectives=tuple(objectives),
            experiment=values["experiment"],
            params=tuple(params.values()),
            presets=tuple(presets),
            exercises=tuple(exercises),
            pages=tuple(pages),
            path=self.path,
            optional=values.get("optional", False),
            notes=values.get("notes", ""),
            summary=values.get("summary", ""),
            part=part,
        )

    def _typed(self, value: Any, kind: type, what: Text, line: int) -> bool:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok:
            self.error(line, msg("{what} must be {kind}, not {value}", what=what,
                                 kind=TYPE_NAMES[kind], value=_describe(value)))
        return ok

    def _finite(self, value: Any, what: Text, line: int) -> bool:
        """A number that is not NaN or infinite (reported otherwise)."""
        if not self._typed(value, float, what, line):
            return False
        if not math.isfinite(value):
            self.error(line, msg("{what} must be a finite number, not {value}", what=what,
                                 value=_describe(value)))
            return False
        return True

    def _experiment(self, values: dict) -> Mapping[str, Param] | None:
        """The schema of the lesson's experiment (None if unknown)."""
        name = values.get("experiment")
        if name is None:
            return None
        entry = self.registry.get(name)
        if entry is None:
            known = ", ".join(sorted(self.registry)) or "-"
            self.error(self.at("experiment"), msg("unknown experiment {name} (known: {known})",
                                                  name=quoted(name), known=known))
            return None
        if isinstance(entry, type):  # a registered class (tests) rather than a schema
            return dict(getattr(entry, "SCHEMA", None) or {})
        return entry

    # -- params

    def _params(
        self, table: dict, schema: Mapping[str, Param] | None
    ) -> dict[str, ParamSpec]:
        specs: dict[str, ParamSpec] = {}
        for name, raw in table.items():
            if self.full:  # enough to show: the rest is not checked
                self.dropped += 1
                continue
            where = f"params.{name}"
            line = self.at(name, "params")
            if not isinstance(raw, dict):
                self.error(line, msg("{where} must be a table like [{where}]", where=where))
                continue
            base = None
            if schema is not None:
                base = schema.get(name)
                if base is None:
                    self.error(line, _unknown_parameter(name, schema))
            spec = self._param(name, raw, where, base)
            if spec is not None:
                specs[name] = spec
        return specs

    def _param(self, name: str, raw: dict, where: str, base: Param | None) -> ParamSpec | None:
        def at(key: str) -> int:
            return self.at(key, where)

        ok = True
        for key in raw:
            if key not in PARAM_KEYS:
                self.unknown_key(at(key), where, key, PARAM_KEYS)
                ok = False
        kind = raw.get("kind")
        if kind is None and base is None:
            self.error(at("kind"), _where(where, msg("missing required key 'kind'")))
            return None
        if kind is not None and kind not in PARAM_KINDS:
            self.error(at("kind"), _where(where, msg(
                "kind must be one of {kinds}, not {kind}", kinds=", ".join(PARAM_KINDS),
                kind=quoted(kind))))
            return None
        if base is not None and kind is not None and kind != base.kind:
            self.error(at("kind"), _where(where, msg(
                "kind is {kind} in the experiment, not {lesson}", kind=base.kind,
                lesson=kind)))
            return None
        if kind is None:
            assert base is not None
            kind = base.kind
        if "default" not in raw and base is None:
            self.error(at("default"), _where(where, msg("missing required key 'default'")))
            return None
        for key in ("label", "help"):
            if key in raw and not self._typed(raw[key], str, f"{where}.{key}", at(key)):
                ok = False
        numeric = kind in ("int", "float")
        bounds: dict[str, float | None] = {"min": None, "max": None, "step": None}
        for key in bounds:
            if key not in raw:
                continue
            if not numeric:
                self.error(at(key), _where(where, msg(
                    "{key} is only for int and float parameters", key=key)))
                ok = False
            elif not self._finite(raw[key], f"{where}.{key}", at(key)):
                ok = False
            elif kind == "int" and raw[key] != int(raw[key]):
                self.error(at(key), _where(where, msg(
                    "{key} must be a whole number for an int parameter, not {value}",
                    key=key, value=_describe(raw[key]))))
                ok = False
            else:
                bounds[key] = int(raw[key]) if kind == "int" else float(raw[key])
        if bounds["step"] is not None and bounds["step"] <= 0:
            self.error(at("step"), _where(where, msg("step must be positive")))
            ok = False
        low, high = bounds["min"], bounds["max"]
        if low is not None and high is not None and low > high:
            self.error(at("min"), _where(where, msg(
                "min ({min}) is greater than max ({max})", min=bound(low), max=bound(high))))
            ok = False
        choices, labels = self._choices(raw, where, kind, base)
        if choices is None:
            return None
        if not ok or labels is None:
            return None
        standalone = base is None  # not in the schema (reported): checked on its own
        if base is None:
            base = Param(kind, None, label=name)
        narrowed = replace(
            base,
            name=name,
            label=raw.get("label", base.label or name),
            help=raw.get("help", base.help),
            min=low if low is not None else base.min,
            max=high if high is not None else base.max,
            step=bounds["step"] if bounds["step"] is not None else base.step,
            choices=choices,
            choice_labels=labels,
        )
        problems = [] if standalone else narrowing_errors(base, narrowed)
        for key, problem in problems:
            self.error(at(key) if key in raw else self.at(name, "params"),
                       _where(where, problem))
        if problems:
            return None
        given = "default" in raw
        default = raw["default"] if given else base.default
        try:
            value = narrowed.validate(default)
        except ParameterError as error:
            if given:
                problem = msg("default {value}: {error}", value=_describe(default),
                              error=error.message)
            else:
                problem = msg(
                    "the experiment's default {value} does not fit: {error}; give a default",
                    value=_describe(default), error=error.message,
                )
            self.error(at("default"), _where(where, problem))
            return None
        return replace(narrowed, default=value)

    def _choices(
        self, raw: dict, where: str, kind: str, base: Param | None
    ) -> tuple[tuple[str, ...] | None, tuple[Text, ...] | None]:
        """(choices, choice labels) of a parameter; None for what is invalid."""
        if kind != "choice":
            ok = True
            for key in ("choices", "choice_labels"):
                if key in raw:
                    self.error(self.at(key, where), _where(where, msg(
                        "{key} is only for choice parameters", key=key)))
                    ok = False
            return (), (() if ok else None)
        if "choices" in raw or base is None:
            raw_choices = raw.get("choices")
            if (
                not isinstance(raw_choices, list)
                or not raw_choices
                or not all(isinstance(c, str) for c in raw_choices)
            ):
                self.error(self.at("choices", where), _where(where, msg(
                    "choices must be a non-empty list of strings")))
                return None, None
            choices = tuple(raw_choices)
            if len(set(choices)) != len(choices):
                self.error(self.at("choices", where), _where(where, msg("choices has duplicates")))
                return choices, None
        else:
            choices = base.choices
        if "choice_labels" in raw:
            raw_labels = raw["choice_labels"]
            if (
                not isinstance(raw_labels, list)
                or len(raw_labels) != len(choices)
                or not all(isinstance(c, str) for c in raw_labels)
            ):
                self.error(self.at("choice_labels", where), _where(where, msg(
                    "choice_labels must be {n} strings, one per choice", n=len(choices))))
                return choices, None
            return choices, tuple(raw_labels)
        if base is not None and base.choice_labels:
            return choices, tuple(base.label_of(choice) for choice in choices)
        return choices, ()

    # -- presets

    def _presets(
        self,
        table: dict,
        params: dict[str, ParamSpec],
        declared: set[str],
        schema: Mapping[str, Param] | None,
    ) -> list[Preset]:
        presets = []
        for name, raw in table.items():
            if self.full:
                self.dropped += 1
                continue
            where = f"presets.{name}"
            line = self.at(name, "presets")
            if not isinstance(raw, dict):
                self.error(line, msg("{where} must be a table like [{where}]", where=where))
                continue
            for key in raw:
                if key not in PRESET_KEYS:
                    self.unknown_key(self.at(key, where), where, key, PRESET_KEYS)
            label = raw.get("label", name)
            if not isinstance(label, str):
                self.error(self.at("label", where), msg("{where}.label must be a string",
                                                        where=where))
            values = raw.get("values")
            if not isinstance(values, dict) or not values:
                self.error(self.at("values", where), _where(where, msg(
                    "values must be a table like { lr = 0.1 }")))
                continue
            checked: dict[str, Any] = {}
            values_line = self.at("values", where)
            for param, value in values.items():
                spec = params.get(param)
                if spec is None and param in declared:
                    continue  # the parameter itself is invalid and reported
                if spec is None:
                    if schema is not None and param in schema:
                        problem = msg(
                            "{name} is not shown by this lesson: add [params.{name}] to use it"
                            " in a preset", name=param)
                    else:
                        known = ", ".join(sorted(declared)) or msg("none")
                        problem = msg("unknown parameter {name} (lesson parameters: {known})",
                                      name=quoted(param), known=known)
                    self.error(values_line, _where(where, problem))
                    continue
                try:
                    checked[param] = spec.validate(value)
                except ParameterError as error:
                    self.error(values_line, _where(where, msg(
                        "{name} = {value}: {error}", name=param, value=_describe(value),
                        error=error.message)))
            presets.append(
                Preset(name=name, label=label if isinstance(label, str) else name, values=checked)
            )
        return presets

    # -- exercises

    def _exercises(
        self, items: list, schema: Mapping[str, Param] | None, params: dict[str, ParamSpec]
    ) -> list[Exercise]:
        exercises: list[Exercise] = []
        seen: dict[str, int] = {}
        assert self.lines is not None
        for position, raw in enumerate(items):
            if self.full:
                self.dropped += 1
                continue
            line = self.lines.table("exercises", position) or self.at("exercises")
            if not isinstance(raw, dict):
                self.error(line, msg("each exercise must be a table ([[exercises]])"))
                continue
            exercise = self._exercise(raw, position, line, schema, params)
            if exercise is None:
                continue
            if exercise.id in seen:
                self.error(
                    self.at("id", "exercises", position),
                    msg("duplicate exercise id {id} (also at line {line})",
                        id=quoted(exercise.id), line=seen[exercise.id]),
                )
                continue
            seen[exercise.id] = self.at("id", "exercises", position)
            exercises.append(exercise)
        return exercises

    def _exercise(
        self,
        raw: dict,
        position: int,
        line: int,
        schema: Mapping[str, Param] | None,
        params: dict[str, ParamSpec],
    ) -> Exercise | None:
        def at(key: str) -> int:
            return self.at(key, "exercises", position)

        label = msg("exercise {id}", id=printable(str(raw.get("id", position + 1)))[:40])

        def error(where: int, problem: Msg) -> None:
            self.error(where, _where(label, problem))

        errors_before = len(self.errors) + self.dropped
        for key in ("id", "kind", "prompt"):
            if key not in raw:
                error(line, msg("missing required key {key}", key=quoted(key)))
        for key in ("id", "prompt", "solution"):
            if key in raw:
                self._typed(raw[key], str, _where(label, key), at(key))
        if "extra" in raw:
            self._typed(raw["extra"], bool, _where(label, "extra"), at("extra"))
        kind = raw.get("kind")
        if kind is not None and kind not in EXERCISE_KINDS:
            error(at("kind"), msg("kind must be one of {kinds}, not {kind}",
                                  kinds=", ".join(EXERCISE_KINDS), kind=quoted(kind)))
            return None
        allowed = EXERCISE_KEYS.get(kind, ALL_EXERCISE_KEYS) if kind else ALL_EXERCISE_KEYS
        for key in raw:
            if key not in ALL_EXERCISE_KEYS:
                self.unknown_key(at(key), label, key, ALL_EXERCISE_KEYS)
            elif key not in allowed:
                error(at(key), msg("{key} is not used by {kind} exercises", key=quoted(key),
                                   kind=kind))
        hints = raw.get("hints", [])
        if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
            error(at("hints"), msg("hints must be a list of strings"))
            hints = []
        fields: dict[str, Any] = {}
        if kind in ("numeric", "vector"):
            fields.update(self._tolerance(raw, label, at))
        if kind == "numeric":
            if "answer" not in raw:
                error(line, msg("missing required key 'answer'"))
            elif self._finite(raw["answer"], _where(label, "answer"), at("answer")):
                fields["answer"] = float(raw["answer"])
        elif kind == "vector":
            if "answer" not in raw:
                error(line, msg("missing required key 'answer'"))
            else:
                answer = _array_answer(raw["answer"])
                if answer is None:
                    error(at("answer"), msg(
                        "answer must be a list of numbers or a list of equal-length rows"))
                fields["answer"] = answer
        elif kind == "choice":
            choices = raw.get("choices")
            if (
                not isinstance(choices, list)
                or len(choices) < 2
                or not all(isinstance(c, str) for c in choices)
            ):
                error(at("choices"), msg("choices must be a list of at least two strings"))
                choices = None
            else:
                fields["choices"] = tuple(choices)
            if "answer" not in raw:
                error(line, msg("missing required key 'answer'"))
            elif self._typed(
                raw["answer"], int, _where(label, msg("answer (the index of the right choice)")),
                at("answer"),
            ):
                if choices is not None and not 0 <= raw["answer"] < len(choices):
                    error(at("answer"), msg(
                        "answer {answer} is out of range (0 to {last}, the index of the right"
                        " choice)", answer=raw["answer"], last=len(choices) - 1))
                fields["answer"] = raw["answer"]
        elif kind == "goal":
            fields.update(self._goal(raw, label, line, at, schema, params))
        if len(self.errors) + self.dropped > errors_before:
            return None
        return Exercise(
            id=raw["id"],
            kind=kind,  # type: ignore[arg-type]  # checked against EXERCISE_KINDS
            prompt=raw["prompt"],
            hints=tuple(hints),
            solution=raw.get("solution", ""),
            line=line,
            extra=bool(raw.get("extra", False)),
            **fields,
        )

    def _tolerance(self, raw: dict, label: Msg, at: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if "tolerance" in raw and self._finite(
            raw["tolerance"], _where(label, "tolerance"), at("tolerance")
        ):
            if raw["tolerance"] < 0:
                self.error(at("tolerance"), _where(label, msg("tolerance must not be negative")))
            fields["tolerance"] = float(raw["tolerance"])
        if "relative" in raw and self._typed(
            raw["relative"], bool, _where(label, "relative"), at("relative")
        ):
            fields["relative"] = raw["relative"]
        return fields

    def _goal(
        self,
        raw: dict,
        label: Msg,
        line: int,
        at: Any,
        schema: Mapping[str, Param] | None,
        params: dict[str, ParamSpec],
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {}

        def error(where: int, problem: Msg) -> None:
            self.error(where, _where(label, problem))

        if "metric" not in raw:
            error(line, msg("a goal needs a 'metric' (e.g. metric = \"val_accuracy\")"))
        elif self._typed(raw["metric"], str, _where(label, "metric"), at("metric")):
            fields["metric"] = raw["metric"]
        if "target" not in raw:
            error(line, msg("a goal needs a 'target' (e.g. target = 0.95)"))
        elif self._finite(raw["target"], _where(label, "target"), at("target")):
            fields["target"] = float(raw["target"])
        if "op" in raw:
            if raw["op"] not in GOAL_OPS:
                error(at("op"), msg("op must be one of {ops}, not {op}", ops=", ".join(GOAL_OPS),
                                    op=quoted(raw["op"])))
            else:
                fields["op"] = raw["op"]
        constraints = raw.get("constraints", {})
        if not isinstance(constraints, dict):
            error(at("constraints"), msg('constraints must be a table like { layers = "<=2" }'))
            return fields
        for name, rule in constraints.items():
            param = params.get(name) or (schema or {}).get(name)
            if schema is not None and name not in schema:
                error(at("constraints"), msg(
                    "constraint on {name}, which the experiment does not have",
                    name=quoted(name)))
                continue
            try:
                op, limit = parse_constraint(rule)
                if param is not None:
                    check_constraint_value(param, op, limit)
            except ParameterError as exc:
                error(at("constraints"), msg("constraint {name} = {rule}: {error}", name=name,
                                             rule=_describe(rule), error=exc.message))
        fields["constraints"] = dict(constraints)
        return fields


def parse_constraint(rule: Any) -> tuple[str, Any]:
    """``"<=2"`` -> ("<=", 2.0); a plain value means equality ("==", value).

    Raises :class:`ParameterError` (a ValueError) with a message key.
    """
    if not isinstance(rule, str):
        return "==", rule
    match = CONSTRAINT.match(rule)
    if not match or not match.group(2):
        raise ParameterError(msg("expected something like '<=2'"))
    op, value = match.group(1) or "==", match.group(2)
    try:
        number = float(value)
    except ValueError:
        if op in ("==", "!="):
            return op, value
        raise ParameterError(msg("{value} is not a number", value=quoted(value))) from None
    if not math.isfinite(number):
        raise ParameterError(msg("{value} is not a number", value=quoted(value)))
    return op, number


def check_constraint_value(param: Param, op: str, limit: Any) -> None:
    """ParameterError when a goal's constraint can never hold for ``param``'s kind."""
    if op in ("==", "!="):
        if isinstance(limit, str) and param.kind != "choice":
            raise ParameterError(msg("{value} is not a number", value=quoted(limit)))
        if op == "==":
            param.validate(limit)  # a value the parameter can never take is an error
        return
    if param.kind not in ("int", "float"):
        raise ParameterError(msg("{op} compares numbers, and this parameter is not one", op=op))


def _unknown_parameter(name: str, schema: Mapping[str, Param]) -> Msg:
    close = difflib.get_close_matches(str(name)[:64], sorted(schema), n=1, cutoff=0.6)
    if close:
        return msg("unknown parameter {name}: the experiment has none (did you mean"
                   " {suggestion}?)", name=quoted(name), suggestion=quoted(close[0]))
    return msg("unknown parameter {name}: the experiment has none (it has: {known})",
               name=quoted(name), known=", ".join(sorted(schema)) or "-")


def _array_answer(value: Any) -> tuple | None:
    if not isinstance(value, list) or not value:
        return None
    if all(_finite_number(v) for v in value):
        return tuple(float(v) for v in value)
    rows = all(
        isinstance(row, list) and row and all(_finite_number(v) for v in row) for row in value
    )
    if rows and len({len(row) for row in value}) == 1:
        return tuple(tuple(float(v) for v in row) for row in value)
    return None


def _describe(value: Any) -> Text:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
        return bound(value)
    if isinstance(value, list):
        return msg("a list")
    if isinstance(value, dict):
        return msg("a table")
    return type(value).__name__


def _toml_message(exc: Exception) -> str:
    message = str(exc)
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or message


# ---------------------------------------------------------------- pseudo-locale

_MD_PREFIX = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+|>\s?)*)")
_CODE_SPAN = re.compile(r"(`+)(.*?)\1")


def _pseudo_inline(text: str) -> str:
    """Accent a line's words, code spans untouched."""
    from tui_workshop.i18n.pseudo import accent

    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(accent(text[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(accent(text[last:]))
    return "".join(out)


def pseudo_markdown(text: str) -> str:
    """A Markdown text in the pseudo-locale: each line's words accented, bracketed and
    padded; headings, list and quote markers, tables, code spans and fenced code kept."""
    from tui_workshop.i18n.pseudo import CLOSE, OPEN, PAD

    result: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        fence, is_fence = code_fence(line, fence)
        if is_fence or fence is not None or not line.strip() or line.startswith("    "):
            result.append(line)
            continue
        if line.lstrip().startswith("|"):  # a table row: cells accented, no brackets
            result.append(_pseudo_inline(line))
            continue
        found = _MD_PREFIX.match(line)
        prefix = found.group(1) if found else ""
        rest = line[len(prefix) :]
        letters = sum(ch.isalpha() for ch in rest)
        pad = " " + PAD * max(1, round(0.3 * letters)) if letters else ""
        result.append(f"{prefix}{OPEN}{_pseudo_inline(rest)}{pad}{CLOSE}")
    return "\n".join(result)


def pseudo_lesson(lesson: Lesson) -> Lesson:
    """``lesson`` with every text a student sees in the pseudo-locale (ids, formulas in
    code and the values the checker compares are kept)."""
    from tui_workshop.i18n.pseudo import pseudo

    def text(value: Text) -> Text:
        return pseudo(value) if isinstance(value, str) else value

    params = []
    for spec in lesson.params:
        labels = spec.choice_labels
        if spec.kind == "choice" and not labels:
            labels = spec.choices
        params.append(
            replace(spec, label=text(spec.label), help=text(spec.help),
                    choice_labels=tuple(text(label) for label in labels))
        )
    exercises = [
        replace(
            exercise,
            prompt=pseudo(exercise.prompt),
            choices=tuple(pseudo(choice) for choice in exercise.choices),
            hints=tuple(pseudo(hint) for hint in exercise.hints),
            solution=pseudo(exercise.solution),
        )
        for exercise in lesson.exercises
    ]
    return replace(
        lesson,
        title=pseudo(lesson.title),
        objectives=tuple(pseudo(o) for o in lesson.objectives),
        params=tuple(params),
        presets=tuple(replace(p, label=pseudo(p.label)) for p in lesson.presets),
        exercises=tuple(exercises),
        pages=tuple(
            Page(
                pseudo(page.title),
                pseudo_markdown(page.text),
                page.line,
                pseudo_markdown(page.notes),
            )
            for page in lesson.pages
        ),
        notes=pseudo(lesson.notes),
        summary=pseudo(lesson.summary),
    )


# ---------------------------------------------------------------- public API


def _default_registry() -> Mapping[str, Any]:
    from tui_workshop.experiments import catalogue

    return catalogue()


def _parse_file(
    path: Path, registry: Mapping[str, Any]
) -> tuple[Lesson | None, list[LessonError], int]:
    parser = _LessonParser(Path(path), registry)
    lesson = parser.parse()
    return lesson, parser.errors, parser.id_line


def load_lesson(path: str | Path, registry: Mapping[str, Any] | None = None) -> Lesson:
    """One lesson file; raises :class:`LessonErrors` listing every problem."""
    registry = _default_registry() if registry is None else registry
    lesson, errors, _line = _parse_file(Path(path), registry)
    if errors or lesson is None:
        raise LessonErrors(errors)
    return lesson


def lesson_files(folder: Path) -> list[Path]:
    """The ``.md`` files of a folder (README excepted); [] when it cannot be listed."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(
        Path(folder) / name
        for name in names
        if name.endswith(".md") and name not in IGNORED_FILES
    )


def _check_folder(
    folder: Path, registry: Mapping[str, Any]
) -> tuple[list[Lesson], list[LessonError]]:
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no lessons folder at {printable(str(folder))}")
    try:
        os.listdir(folder)
    except OSError as error:
        reason = _os_reason(error)
        return [], [LessonError(folder, 0, msg("cannot read the lessons folder: {reason}",
                                                reason=reason))]
    lessons: list[Lesson] = []
    errors: list[LessonError] = []
    ids: dict[str, Path] = {}
    numbers: dict[int, Path] = {}
    for path in lesson_files(folder):
        match = FILE_NAME.match(path.name)
        if not match:
            errors.append(
                LessonError(path, 1, msg(
                    "file name must look like NN-slug.md (e.g. 03-gradient-descent.md)"))
            )
        else:
            number = int(match.group(1))
            if number in numbers:
                errors.append(
                    LessonError(path, 1, msg("lesson number {number} is also used by {name}",
                                             number=f"{number:02d}",
                                             name=printable(numbers[number].name)))
                )
            numbers.setdefault(number, path)
        lesson, file_errors, id_line = _parse_file(path, registry)
        errors.extend(sorted(file_errors, key=lambda error: error.line))
        if lesson is None:
            continue
        if lesson.id in ids:
            errors.append(
                LessonError(path, id_line, msg("duplicate lesson id {id} (also in {name})",
                                               id=quoted(lesson.id),
                                               name=printable(ids[lesson.id].name)))
            )
            continue
        ids[lesson.id] = path
        lessons.append(lesson)
    if not lessons and not errors:
        errors.append(LessonError(folder, 0, msg("no lesson files (NN-slug.md) in this folder")))
    lessons.sort(key=lambda lesson: (lesson.number, lesson.path.name))
    return lessons, errors


# ---------------------------------------------------------------- the course plan

SCHEDULE_FILE = "course.toml"
SCHEDULE_KEYS = {"minutes", "parts", "break", "discussion"}
PART_KEYS = {"number", "title"}
SESSION_KEYS = {"title", "minutes", "after_part"}


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def load_schedule(folder: str | Path) -> tuple[Schedule, list[LessonError]]:
    """The plan in ``folder/course.toml`` and its problems (``file:line``).

    The file is optional: without it the course has no plan (``Schedule()``).
    It holds ``minutes`` (the time the workshop has), ``[[parts]]`` (``number``,
    ``title``), a ``[break]`` and a ``[discussion]`` (``title``, ``minutes``,
    ``after_part``).
    """
    path = Path(folder) / SCHEDULE_FILE
    if not os.path.lexists(path):
        return Schedule(), []
    errors: list[LessonError] = []

    def error(line: int, message: Text) -> None:
        errors.append(LessonError(path, line, message))

    try:
        text = read_lesson_text(path)
    except _Unreadable as problem:
        return Schedule(), [LessonError(path, problem.line, problem.message)]
    front = text.splitlines()
    lines = _Lines(front, 0)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _LessonParser._toml_line(exc, -1, len(front) - 1)
        error(line, msg("invalid TOML: {error}", error=printable(_toml_message(exc))))
        return Schedule(), errors
    except RecursionError:
        error(1, msg("invalid TOML: nested too deeply"))
        return Schedule(), errors
    except (ValueError, MemoryError) as exc:
        error(1, msg("invalid TOML: {error}", error=printable(str(exc))))
        return Schedule(), errors
    for key in data:
        if key not in SCHEDULE_KEYS:
            error(lines.key(key), _unknown_key(key, SCHEDULE_KEYS))
    minutes = data.get("minutes", 0)
    if not _positive_int(minutes):
        error(lines.key("minutes"), msg("minutes must be a whole number above 0"))
        minutes = 0
    parts: list[Part] = []
    raw_parts = data.get("parts", [])
    if not isinstance(raw_parts, list):
        error(lines.key("parts"), msg("parts must be a list of [[parts]] tables"))
        raw_parts = []
    for index, raw in enumerate(raw_parts):
        at = lines.table("parts", index) or lines.first
        if not isinstance(raw, dict):
            error(at, msg("parts must be a list of [[parts]] tables"))
            continue
        for key in raw:
            if key not in PART_KEYS:
                error(lines.key(key, "parts", index), _unknown_key(key, PART_KEYS))
        number, title = raw.get("number"), raw.get("title")
        if number not in PARTS or isinstance(number, bool):
            error(lines.key("number", "parts", index),
                  msg("part must be 1 (theory), 2 (guided practice) or 3 (exercises and"
                      " limits), not {part}", part=quoted(number)))
            continue
        if any(part.number == number for part in parts):
            error(lines.key("number", "parts", index),
                  msg("part {part} is declared twice", part=number))
            continue
        if not isinstance(title, str) or not title.strip():
            error(lines.key("title", "parts", index), msg("a part needs a title"))
            continue
        parts.append(Part(number, title.strip()))
    parts.sort(key=lambda part: part.number)
    numbers = {part.number for part in parts}

    def session(name: str, default_after: int) -> Session | None:
        raw = data.get(name)
        if raw is None:
            return None
        at = lines.table(name) or lines.key(name)
        if not isinstance(raw, dict):
            error(at, msg("{name} must be a table", name=quoted(name)))
            return None
        for key in raw:
            if key not in SESSION_KEYS:
                error(lines.key(key, name), _unknown_key(key, SESSION_KEYS))
        title = raw.get("title")
        length = raw.get("minutes")
        after = raw.get("after_part", default_after)
        ok = True
        if not isinstance(title, str) or not title.strip():
            error(lines.key("title", name), msg("{name} needs a title", name=quoted(name)))
            ok = False
        if not _positive_int(length):
            error(lines.key("minutes", name), msg("minutes must be a whole number above 0"))
            ok = False
        if isinstance(after, bool) or after not in numbers:
            error(lines.key("after_part", name),
                  msg("after_part must name a declared part ({parts}), not {value}",
                      parts=", ".join(str(n) for n in sorted(numbers)) or "-",
                      value=quoted(after)))
            ok = False
        if not ok:
            return None
        assert isinstance(title, str) and isinstance(length, int)  # checked above
        return Session(title.strip(), length, after)

    schedule = Schedule(
        minutes=minutes,
        parts=tuple(parts),
        pause=session("break", 2),
        discussion=session("discussion", 3),
    )
    return schedule, errors


def _schedule_problems(
    folder: Path, schedule: Schedule, lessons: list[Lesson]
) -> list[LessonError]:
    """The plan checked against the lessons: each lesson's part is declared, and the
    core lessons, break and discussion fit the workshop's minutes."""
    if not schedule.parts and not schedule.minutes:
        return []
    path = folder / SCHEDULE_FILE
    errors: list[LessonError] = []
    numbers = {part.number for part in schedule.parts}
    for lesson in lessons:
        if numbers and lesson.part not in numbers:
            errors.append(LessonError(lesson.path, 1, msg(
                "part {part} is not declared in {file}", part=lesson.part, file=SCHEDULE_FILE)))
    if schedule.minutes:
        core = sum(lesson.duration for lesson in lessons if not lesson.optional)
        planned = core + schedule.extra_minutes
        if planned > schedule.minutes:
            try:
                text = read_lesson_text(path)
                line = _Lines(text.splitlines(), 0).key("minutes")
            except _Unreadable:
                line = 1
            errors.append(LessonError(path, line, msg(
                "the plan takes {planned} minutes (core lessons {core}, break and discussion"
                " {extra}), more than the {minutes} the workshop has", planned=planned,
                core=core, extra=schedule.extra_minutes, minutes=schedule.minutes)))
    return errors


def validate_dir(
    folder: str | Path, registry: Mapping[str, Any] | None = None
) -> list[LessonError]:
    """Every problem in a lessons folder (an empty list when all is well)."""
    registry = _default_registry() if registry is None else registry
    lessons, errors = _check_folder(Path(folder), registry)
    schedule, problems = load_schedule(folder)
    return errors + problems + _schedule_problems(Path(folder), schedule, lessons)


def load_course(
    folder: str | Path | None = None,
    registry: Mapping[str, Any] | None = None,
    lang: str | None = None,
) -> Course:
    """All lessons of a folder in ``NN-`` order; raises :class:`LessonErrors` on any problem.

    Without ``folder``, the lessons of ``lang`` (see :func:`find_lessons_dir`).
    For the pseudo-locale (:data:`tui_workshop.i18n.PSEUDO`) the English lessons
    are loaded and every text a student sees is pseudo-translated.
    """
    if folder is None:
        folder = find_lessons_dir(lang or "en")
    folder = Path(folder)
    registry = _default_registry() if registry is None else registry
    lessons, errors = _check_folder(folder, registry)
    schedule, problems = load_schedule(folder)
    errors += problems + _schedule_problems(folder, schedule, lessons)
    if errors:
        raise LessonErrors(errors)
    lang = lang or folder.name
    if lang == PSEUDO:
        lessons = [pseudo_lesson(lesson) for lesson in lessons]
        schedule = pseudo_schedule(schedule)
    return Course(lessons=tuple(lessons), root=folder, lang=lang, schedule=schedule)


def pseudo_schedule(schedule: Schedule) -> Schedule:
    """``schedule`` with its titles in the pseudo-locale."""
    from tui_workshop.i18n.pseudo import pseudo

    def pseudo_session(item: Session | None) -> Session | None:
        return None if item is None else replace(item, title=pseudo(item.title))

    return replace(
        schedule,
        parts=tuple(replace(part, title=pseudo(part.title)) for part in schedule.parts),
        pause=pseudo_session(schedule.pause),
        discussion=pseudo_session(schedule.discussion),
    )


def _packaged_root() -> Path | None:
    """``tui_workshop/lessons`` inside an installed wheel, if there is one."""
    try:
        from importlib.resources import files

        candidate = files("tui_workshop") / "lessons"
        if candidate.is_dir():
            return Path(str(candidate))
    except (ModuleNotFoundError, NotADirectoryError, TypeError):
        pass
    return None


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2] / "lessons"


def find_lessons_dir(lang: str = "en") -> Path:
    """The lessons of ``lang``: the packaged copy (wheel) or the repository's ``lessons/``.

    The pseudo-locale reads the English lessons.
    """
    folder_lang = "en" if lang == PSEUDO else lang
    for root in (_packaged_root(), _repo_root()):
        if root is not None and (root / folder_lang).is_dir():
            return root / folder_lang
    raise FileNotFoundError(f"no lessons for language {printable(repr(lang))}")


def available_languages() -> list[str]:
    """Language folders that hold lessons (packaged or in the repository)."""
    langs: set[str] = set()
    for root in (_packaged_root(), _repo_root()):
        if root is not None and root.is_dir():
            langs.update(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.md")))
    return sorted(langs)
