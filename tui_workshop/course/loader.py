"""Load and validate lesson files (``lessons/<lang>/NN-slug.md``).

A lesson is TOML front matter between ``+++`` lines followed by Markdown. The
body is split into pages at ``## `` headings (not inside fenced code blocks);
text before the first heading is a page titled with the lesson title.

Every problem is reported as a :class:`LessonError` whose ``str`` is
``file:line: message``, so editors and terminals can jump to it. Validation
collects all errors of a folder instead of stopping at the first one.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from tui_workshop.course.model import Exercise, Lesson, Page, ParamSpec, Preset
from tui_workshop.course.params import format_number, validate_value

FENCE = "+++"
FILE_NAME = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
LESSON_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
IGNORED_FILES = frozenset({"README.md", "readme.md"})

LESSON_KEYS = {
    "id": str,
    "title": str,
    "duration": int,
    "optional": bool,
    "objectives": list,
    "experiment": str,
    "notes": str,
    "summary": str,
    "params": dict,
    "presets": dict,
    "exercises": list,
}
REQUIRED_LESSON_KEYS = ("id", "title", "duration", "experiment")
PARAM_KINDS = ("int", "float", "choice", "bool")
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
COMMON_EXERCISE_KEYS = {"id", "kind", "prompt", "hints", "solution"}
EXERCISE_KEYS = {
    "numeric": COMMON_EXERCISE_KEYS | {"answer", "tolerance", "relative"},
    "vector": COMMON_EXERCISE_KEYS | {"answer", "tolerance", "relative"},
    "choice": COMMON_EXERCISE_KEYS | {"answer", "choices"},
    "goal": COMMON_EXERCISE_KEYS | {"metric", "op", "target", "constraints"},
}
ALL_EXERCISE_KEYS = set().union(*EXERCISE_KEYS.values())
GOAL_OPS = (">=", "<=", ">", "<")
CONSTRAINT = re.compile(r"^\s*(>=|<=|==|!=|>|<)?\s*(.+?)\s*$")

TYPE_NAMES = {
    str: "a string",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
    float: "a number",
}


@dataclass(frozen=True)
class LessonError:
    """One problem in a lesson file, shown as ``file:line: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:  # about a whole folder
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class LessonErrors(Exception):
    """Raised by :func:`load_course` / :func:`load_lesson` with every error found."""

    def __init__(self, errors: Iterable[LessonError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Course:
    """The lessons of one folder, in order of their ``NN-`` prefix."""

    lessons: tuple[Lesson, ...]
    root: Path
    lang: str = "en"

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

    def ids(self) -> tuple[str, ...]:
        return tuple(lesson.id for lesson in self.lessons)

    @property
    def core_duration(self) -> int:
        return sum(lesson.duration for lesson in self.lessons if not lesson.optional)

    @property
    def optional_duration(self) -> int:
        return sum(lesson.duration for lesson in self.lessons if lesson.optional)

    def __len__(self) -> int:
        return len(self.lessons)


# ---------------------------------------------------------------- line lookup


class _Lines:
    """Finds the file line of a key in the front matter (best effort).

    ``table`` is a dotted header such as ``params.w1``; ``occurrence`` picks the
    n-th ``[[exercises]]``. Dotted keys (``w1.kind = ...``) and inline tables
    (``w1 = { kind = ... }``) are found through their parent table. Falls back
    to the table header, then to the first front-matter line.
    """

    HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z_][A-Za-z0-9_.\-\"' ]*?)\s*\]\]?\s*(#.*)?$")
    KEY = re.compile(
        r"^\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="
    )

    def __init__(self, front: list[str], fence_line: int) -> None:
        self.fence_line = fence_line  # 1-based file line of the opening '+++'
        self.first = fence_line + 1
        # sections: (header, file line of the header, occurrence of that header)
        self.sections: list[tuple[str, int, int]] = [("", fence_line, 0)]
        self.keys: list[tuple[int, str, int]] = []  # (section number, dotted key, file line)
        counts: dict[str, int] = {}
        for index, line in enumerate(front):
            file_line = fence_line + 1 + index
            header = self.HEADER.match(line)
            if header:
                name = re.sub(r"[\s\"']", "", header.group(1))
                occurrence = counts.get(name, 0)
                counts[name] = occurrence + 1
                self.sections.append((name, file_line, occurrence))
                continue
            key = self.KEY.match(line)
            if key:
                name = re.sub(r"[\s\"']", "", key.group(1))
                self.keys.append((len(self.sections) - 1, name, file_line))

    def table(self, name: str, occurrence: int = 0) -> int | None:
        """Line of the header ``[name]`` (or the n-th ``[[name]]``)."""
        for header, line, seen in self.sections[1:]:
            if header == name and seen == occurrence:
                return line
        return None

    def _in_section(self, section: str, key: str, occurrence: int | None) -> int | None:
        """Line of ``key = `` (or else ``key.x = ``) in a section."""
        candidates = []
        for number, (header, _line, seen) in enumerate(self.sections):
            if header != section or (occurrence is not None and seen != occurrence):
                continue
            for owner, name, line in self.keys:
                if owner == number and name == key:
                    return line
                if owner == number and name.startswith(key + "."):
                    candidates.append(line)
        return candidates[0] if candidates else None

    def key(self, key: str, table: str = "", occurrence: int = 0) -> int:
        """Line of ``key = ...`` inside ``[table]``."""
        found = self._in_section(table, key, occurrence)
        if found is not None:
            return found
        header = self.table(table, occurrence) if table else None
        if header is not None:
            return header
        # a sub-table ``[table.key]`` or ``[table.key.x]``
        prefix = f"{table}.{key}" if table else key
        for name, line, _seen in self.sections[1:]:
            if name == prefix or name.startswith(prefix + "."):
                return line
        # a dotted key or inline table in a parent: ``lr.default = `` in [params]
        parts = table.split(".") if table else []
        for depth in range(len(parts) - 1, -1, -1):
            found = self._in_section(".".join(parts[:depth]), ".".join([*parts[depth:], key]), None)
            if found is None:
                found = self._in_section(".".join(parts[:depth]), ".".join(parts[depth:]), None)
            if found is not None:
                return found
        return self.first


# ---------------------------------------------------------------- parsing


def _split_front_matter(text: str) -> tuple[list[str], int, int] | str:
    """(front lines, index of the opening fence, index of the closing fence) or an error."""
    lines = text.splitlines()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != FENCE:
        return "missing front matter: the file must start with a '+++' line"
    for index in range(start + 1, len(lines)):
        if lines[index].strip() == FENCE:
            return lines[start + 1 : index], start, index
    return "unterminated front matter: no closing '+++' line"


def read_front_matter(path: str | Path) -> tuple[dict[str, Any], str]:
    """(the raw TOML front matter, the Markdown body) of a lesson file, unvalidated.

    Raises ValueError when the fences are missing; TOML errors propagate.
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    split = _split_front_matter("\n".join(lines))
    if isinstance(split, str):
        raise ValueError(f"{path}: {split}")
    front, _start, end = split
    return tomllib.loads("\n".join(front)), "\n".join(lines[end + 1 :]) + "\n"


def split_pages(body: str, lesson_title: str) -> list[Page]:
    """Pages of a Markdown body, split at ``## `` headings outside code fences."""
    pages: list[Page] = []
    title, current, preamble = lesson_title, [], True
    fence: str | None = None

    def close() -> None:
        text = "\n".join(current).strip("\n")
        if text.strip() or not preamble:
            pages.append(Page(title, text))

    for line in body.splitlines():
        marker = re.match(r"^\s{0,3}(`{3,}|~{3,})", line)
        if marker:
            ticks = marker.group(1)
            if fence is None:
                fence = ticks
            elif ticks[0] == fence[0] and len(ticks) >= len(fence):
                fence = None
        elif fence is None and line.startswith("## "):
            close()
            title, current, preamble = line[3:].strip(), [], False
            continue
        current.append(line)
    close()
    return pages


class _LessonParser:
    def __init__(self, path: Path, registry: Mapping[str, Any]) -> None:
        self.path = path
        self.registry = registry
        self.errors: list[LessonError] = []
        self.lines: _Lines | None = None

    def error(self, line: int, message: str) -> None:
        self.errors.append(LessonError(self.path, line, message))

    def at(self, key: str, table: str = "", occurrence: int = 0) -> int:
        assert self.lines is not None
        return self.lines.key(key, table, occurrence)

    def parse(self) -> Lesson | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.error(1, f"cannot read the file: {exc}")
            return None
        split = _split_front_matter(text)
        if isinstance(split, str):
            self.error(1, split)
            return None
        front, open_index, close_index = split
        self.lines = _Lines(front, open_index + 1)  # 1-based fence line
        try:
            data = tomllib.loads("\n".join(front))
        except tomllib.TOMLDecodeError as exc:
            line = self._toml_line(exc, open_index, close_index)
            self.error(line, f"invalid TOML: {_toml_message(exc)}")
            return None
        body = "\n".join(text.splitlines()[close_index + 1 :])
        return self._lesson(data, body, close_index + 1)

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

    def _lesson(self, data: dict, body: str, body_offset: int) -> Lesson | None:
        for key in data:
            if key not in LESSON_KEYS:
                self.error(self.at(key), f"unknown key {key!r}{_suggest(key, LESSON_KEYS)}")
        for key in REQUIRED_LESSON_KEYS:
            if key not in data:
                self.error(self.lines.fence_line, f"missing required key {key!r}")
        values: dict[str, Any] = {}
        for key, kind in LESSON_KEYS.items():
            if key in data and self._typed(data[key], kind, key, self.at(key)):
                values[key] = data[key]
        lesson_id = values.get("id", "")
        if "id" in values and not LESSON_ID.match(lesson_id):
            self.error(
                self.at("id"),
                f"id {lesson_id!r} must use lower-case letters, digits, '-' and '_'",
            )
        if "duration" in values and values["duration"] <= 0:
            self.error(self.at("duration"), "duration must be a positive number of minutes")
        objectives = values.get("objectives", [])
        if any(not isinstance(o, str) for o in objectives):
            self.error(self.at("objectives"), "objectives must be a list of strings")
            objectives = []

        accepted = self._experiment(values)
        params = self._params(values.get("params", {}), accepted)
        declared = set(values.get("params", {}))
        presets = self._presets(values.get("presets", {}), params, declared)
        exercises = self._exercises(values.get("exercises", []), accepted)

        title = values.get("title", "")
        pages = split_pages(body, title)
        if not any(page.text.strip() for page in pages):
            self.error(body_offset + 1, "the lesson has no text after the front matter")

        match = FILE_NAME.match(self.path.name)
        number = int(match.group(1)) if match else 0
        if self.errors:
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
        )

    def _typed(self, value: Any, kind: type, what: str, line: int) -> bool:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok:
            self.error(line, f"{what} must be {TYPE_NAMES[kind]}, not {_describe(value)}")
        return ok

    def _experiment(self, values: dict) -> set[str] | None:
        """Parameter names the experiment accepts (None if unknown)."""
        name = values.get("experiment")
        if name is None:
            return None
        cls = self.registry.get(name)
        if cls is None:
            known = ", ".join(sorted(self.registry)) or "none registered"
            self.error(self.at("experiment"), f"unknown experiment {name!r} (known: {known})")
            return None
        if isinstance(cls, type):  # a registered class (tests) rather than a schema
            return set(getattr(cls, "SCHEMA", None) or getattr(cls, "defaults", {}))
        return set(cls)

    # -- params

    def _params(self, table: dict, accepted: set[str] | None) -> dict[str, ParamSpec]:
        specs: dict[str, ParamSpec] = {}
        for name, raw in table.items():
            where = f"params.{name}"
            line = self.at(name, "params")
            if not isinstance(raw, dict):
                self.error(line, f"params.{name} must be a table like [params.{name}]")
                continue
            if accepted is not None and name not in accepted:
                self.error(
                    line,
                    f"parameter {name!r} is not accepted by the experiment"
                    f" (accepted: {', '.join(sorted(accepted))})",
                )
            spec = self._param(name, raw, where)
            if spec is not None:
                specs[name] = spec
        return specs

    def _param(self, name: str, raw: dict, where: str) -> ParamSpec | None:
        ok = True
        for key in raw:
            if key not in PARAM_KEYS:
                self.error(
                    self.at(key, where), f"{where}: unknown key {key!r}{_suggest(key, PARAM_KEYS)}"
                )
                ok = False
        kind = raw.get("kind")
        if kind is None:
            self.error(self.at("kind", where), f"{where}: missing required key 'kind'")
            return None
        if kind not in PARAM_KINDS:
            self.error(
                self.at("kind", where),
                f"{where}: kind must be one of {', '.join(PARAM_KINDS)}, not {kind!r}",
            )
            return None
        if "default" not in raw:
            self.error(self.at("default", where), f"{where}: missing required key 'default'")
            return None
        for key in ("label", "help"):
            if key in raw and not self._typed(raw[key], str, f"{where}.{key}", self.at(key, where)):
                ok = False
        numeric = kind in ("int", "float")
        bounds: dict[str, float | None] = {"min": None, "max": None, "step": None}
        for key in bounds:
            if key not in raw:
                continue
            if not numeric:
                self.error(
                    self.at(key, where), f"{where}: {key} is only for int and float parameters"
                )
                ok = False
            elif self._typed(raw[key], float, f"{where}.{key}", self.at(key, where)):
                bounds[key] = raw[key]
            else:
                ok = False
        if bounds["step"] is not None and bounds["step"] <= 0:
            self.error(self.at("step", where), f"{where}: step must be positive")
            ok = False
        low, high = bounds["min"], bounds["max"]
        if low is not None and high is not None and low > high:
            self.error(
                self.at("min", where),
                f"{where}: min ({format_number(low)}) is greater than max ({format_number(high)})",
            )
            ok = False
        choices: tuple[str, ...] = ()
        labels: tuple[str, ...] = ()
        if kind == "choice":
            raw_choices = raw.get("choices")
            if (
                not isinstance(raw_choices, list)
                or not raw_choices
                or not all(isinstance(c, str) for c in raw_choices)
            ):
                self.error(
                    self.at("choices", where),
                    f"{where}: choices must be a non-empty list of strings",
                )
                return None
            choices = tuple(raw_choices)
            if len(set(choices)) != len(choices):
                self.error(self.at("choices", where), f"{where}: choices has duplicates")
                ok = False
            if "choice_labels" in raw:
                raw_labels = raw["choice_labels"]
                if (
                    not isinstance(raw_labels, list)
                    or len(raw_labels) != len(choices)
                    or not all(isinstance(c, str) for c in raw_labels)
                ):
                    self.error(
                        self.at("choice_labels", where),
                        f"{where}: choice_labels must be {len(choices)} strings, one per choice",
                    )
                    ok = False
                else:
                    labels = tuple(raw_labels)
        else:
            for key in ("choices", "choice_labels"):
                if key in raw:
                    self.error(self.at(key, where), f"{where}: {key} is only for choice parameters")
                    ok = False
        if not ok:
            return None
        spec = ParamSpec(
            name=name,
            kind=kind,
            default=raw["default"],
            label=raw.get("label", name),
            help=raw.get("help", ""),
            min=_as_kind(low, kind),
            max=_as_kind(high, kind),
            step=_as_kind(bounds["step"], kind),
            choices=choices,
            choice_labels=labels,
        )
        try:
            default = validate_value(spec, raw["default"])
        except ValueError as exc:
            self.error(
                self.at("default", where), f"{where}: default {_describe(raw['default'])} {exc}"
            )
            return None
        return replace(spec, default=default)

    # -- presets

    def _presets(
        self, table: dict, params: dict[str, ParamSpec], declared: set[str]
    ) -> list[Preset]:
        presets = []
        for name, raw in table.items():
            where = f"presets.{name}"
            line = self.at(name, "presets")
            if not isinstance(raw, dict):
                self.error(line, f"{where} must be a table like [{where}]")
                continue
            for key in raw:
                if key not in PRESET_KEYS:
                    self.error(
                        self.at(key, where),
                        f"{where}: unknown key {key!r}{_suggest(key, PRESET_KEYS)}",
                    )
            label = raw.get("label", name)
            if not isinstance(label, str):
                self.error(self.at("label", where), f"{where}.label must be a string")
            values = raw.get("values")
            if not isinstance(values, dict) or not values:
                self.error(
                    self.at("values", where), f"{where}: values must be a table like {{ lr = 0.1 }}"
                )
                continue
            checked: dict[str, Any] = {}
            values_line = self.at("values", where)
            for param, value in values.items():
                spec = params.get(param)
                if spec is None and param in declared:
                    continue  # the parameter itself is invalid and reported
                if spec is None:
                    known = ", ".join(sorted(declared)) or "none"
                    self.error(
                        values_line,
                        f"{where}: unknown parameter {param!r} (lesson parameters: {known})",
                    )
                    continue
                try:
                    checked[param] = validate_value(spec, value)
                except ValueError as exc:
                    self.error(values_line, f"{where}: {param} = {_describe(value)}: {exc}")
            presets.append(
                Preset(name=name, label=label if isinstance(label, str) else name, values=checked)
            )
        return presets

    # -- exercises

    def _exercises(self, items: list, accepted: set[str] | None) -> list[Exercise]:
        exercises: list[Exercise] = []
        seen: dict[str, int] = {}
        for position, raw in enumerate(items):
            line = self.lines.table("exercises", position) or self.at("exercises")
            if not isinstance(raw, dict):
                self.error(line, "each exercise must be a table ([[exercises]])")
                continue
            exercise = self._exercise(raw, position, line, accepted)
            if exercise is None:
                continue
            if exercise.id in seen:
                self.error(
                    self.at("id", "exercises", position),
                    f"duplicate exercise id {exercise.id!r} (also at line {seen[exercise.id]})",
                )
                continue
            seen[exercise.id] = self.at("id", "exercises", position)
            exercises.append(exercise)
        return exercises

    def _exercise(
        self, raw: dict, position: int, line: int, accepted: set[str] | None
    ) -> Exercise | None:
        def at(key: str) -> int:
            return self.at(key, "exercises", position)

        label = f"exercise {raw.get('id', position + 1)!s}"
        errors_before = len(self.errors)
        for key in ("id", "kind", "prompt"):
            if key not in raw:
                self.error(line, f"{label}: missing required key {key!r}")
        for key in ("id", "prompt", "solution"):
            if key in raw:
                self._typed(raw[key], str, f"{label}: {key}", at(key))
        kind = raw.get("kind")
        if kind is not None and kind not in EXERCISE_KINDS:
            self.error(
                at("kind"),
                f"{label}: kind must be one of {', '.join(EXERCISE_KINDS)}, not {kind!r}",
            )
            return None
        allowed = EXERCISE_KEYS.get(kind, ALL_EXERCISE_KEYS)
        for key in raw:
            if key not in ALL_EXERCISE_KEYS:
                self.error(
                    at(key), f"{label}: unknown key {key!r}{_suggest(key, ALL_EXERCISE_KEYS)}"
                )
            elif key not in allowed:
                self.error(at(key), f"{label}: {key!r} is not used by {kind} exercises")
        hints = raw.get("hints", [])
        if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
            self.error(at("hints"), f"{label}: hints must be a list of strings")
            hints = []
        fields: dict[str, Any] = {}
        if kind in ("numeric", "vector"):
            fields.update(self._tolerance(raw, label, at))
        if kind == "numeric":
            if "answer" not in raw:
                self.error(line, f"{label}: missing required key 'answer'")
            elif self._typed(raw["answer"], float, f"{label}: answer", at("answer")):
                if not math.isfinite(raw["answer"]):
                    self.error(at("answer"), f"{label}: answer must be a finite number")
                fields["answer"] = float(raw["answer"])
        elif kind == "vector":
            if "answer" not in raw:
                self.error(line, f"{label}: missing required key 'answer'")
            else:
                answer = _array_answer(raw["answer"])
                if answer is None:
                    self.error(
                        at("answer"),
                        f"{label}: answer must be a list of numbers or a list of equal-length rows",
                    )
                fields["answer"] = answer
        elif kind == "choice":
            choices = raw.get("choices")
            if (
                not isinstance(choices, list)
                or len(choices) < 2
                or not all(isinstance(c, str) for c in choices)
            ):
                self.error(
                    at("choices"), f"{label}: choices must be a list of at least two strings"
                )
                choices = None
            else:
                fields["choices"] = tuple(choices)
            if "answer" not in raw:
                self.error(line, f"{label}: missing required key 'answer'")
            elif self._typed(
                raw["answer"], int, f"{label}: answer (the index of the right choice)", at("answer")
            ):
                if choices is not None and not 0 <= raw["answer"] < len(choices):
                    self.error(
                        at("answer"),
                        f"{label}: answer {raw['answer']} is out of range"
                        f" (0 to {len(choices) - 1}, the index of the right choice)",
                    )
                fields["answer"] = raw["answer"]
        elif kind == "goal":
            fields.update(self._goal(raw, label, line, at, accepted))
        if len(self.errors) > errors_before:
            return None
        return Exercise(
            id=raw["id"],
            kind=kind,
            prompt=raw["prompt"],
            hints=tuple(hints),
            solution=raw.get("solution", ""),
            line=line,
            **fields,
        )

    def _tolerance(self, raw: dict, label: str, at: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if "tolerance" in raw and self._typed(
            raw["tolerance"], float, f"{label}: tolerance", at("tolerance")
        ):
            if raw["tolerance"] < 0:
                self.error(at("tolerance"), f"{label}: tolerance must not be negative")
            fields["tolerance"] = float(raw["tolerance"])
        if "relative" in raw and self._typed(
            raw["relative"], bool, f"{label}: relative", at("relative")
        ):
            fields["relative"] = raw["relative"]
        return fields

    def _goal(
        self, raw: dict, label: str, line: int, at: Any, accepted: set[str] | None
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if "metric" not in raw:
            self.error(line, f"{label}: a goal needs a 'metric' (e.g. metric = \"val_accuracy\")")
        elif self._typed(raw["metric"], str, f"{label}: metric", at("metric")):
            fields["metric"] = raw["metric"]
        if "target" not in raw:
            self.error(line, f"{label}: a goal needs a 'target' (e.g. target = 0.95)")
        elif self._typed(raw["target"], float, f"{label}: target", at("target")):
            fields["target"] = float(raw["target"])
        if "op" in raw:
            if raw["op"] not in GOAL_OPS:
                self.error(
                    at("op"), f"{label}: op must be one of {', '.join(GOAL_OPS)}, not {raw['op']!r}"
                )
            else:
                fields["op"] = raw["op"]
        constraints = raw.get("constraints", {})
        if not isinstance(constraints, dict):
            self.error(
                at("constraints"), f'{label}: constraints must be a table like {{ layers = "<=2" }}'
            )
            return fields
        for name, rule in constraints.items():
            if accepted is not None and name not in accepted:
                self.error(
                    at("constraints"),
                    f"{label}: constraint on {name!r}, which the experiment does not have",
                )
            if isinstance(rule, str):
                try:
                    parse_constraint(rule)
                except ValueError as exc:
                    self.error(at("constraints"), f"{label}: constraint {name} = {rule!r}: {exc}")
        fields["constraints"] = dict(constraints)
        return fields


def _as_kind(value: float | None, kind: str) -> float | None:
    if value is None:
        return None
    return float(value) if kind == "float" else value


def parse_constraint(rule: Any) -> tuple[str, Any]:
    """``"<=2"`` -> ("<=", 2.0); a plain value means equality ("==", value)."""
    if not isinstance(rule, str):
        return "==", rule
    match = CONSTRAINT.match(rule)
    if not match or not match.group(2):
        raise ValueError("expected something like '<=2'")
    op, value = match.group(1) or "==", match.group(2)
    try:
        return op, float(value)
    except ValueError:
        if op in ("==", "!="):
            return op, value
        raise ValueError(f"{value!r} is not a number") from None


def _array_answer(value: Any) -> tuple | None:
    def number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    if not isinstance(value, list) or not value:
        return None
    if all(number(v) for v in value):
        return tuple(float(v) for v in value)
    rows = all(isinstance(row, list) and row and all(number(v) for v in row) for row in value)
    if rows and len({len(row) for row in value}) == 1:
        return tuple(tuple(float(v) for v in row) for row in value)
    return None


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _toml_message(exc: Exception) -> str:
    message = str(exc)
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or message


def _suggest(key: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# ---------------------------------------------------------------- public API


def _default_registry() -> Mapping[str, Any]:
    from tui_workshop.experiments import catalogue

    return catalogue()


def _parse_file(path: Path, registry: Mapping[str, Any]) -> tuple[Lesson | None, list[LessonError]]:
    parser = _LessonParser(Path(path), registry)
    lesson = parser.parse()
    return lesson, parser.errors


def load_lesson(path: str | Path, registry: Mapping[str, Any] | None = None) -> Lesson:
    """One lesson file; raises :class:`LessonErrors` listing every problem."""
    lesson, errors = _parse_file(Path(path), _default_registry() if registry is None else registry)
    if errors or lesson is None:
        raise LessonErrors(errors)
    return lesson


def lesson_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.name not in IGNORED_FILES)


def _check_folder(
    folder: Path, registry: Mapping[str, Any]
) -> tuple[list[Lesson], list[LessonError]]:
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no lessons folder at {folder}")
    lessons: list[Lesson] = []
    errors: list[LessonError] = []
    ids: dict[str, Path] = {}
    numbers: dict[int, Path] = {}
    for path in lesson_files(folder):
        match = FILE_NAME.match(path.name)
        if not match:
            errors.append(
                LessonError(
                    path, 1, "file name must look like NN-slug.md (e.g. 03-gradient-descent.md)"
                )
            )
        else:
            number = int(match.group(1))
            if number in numbers:
                errors.append(
                    LessonError(
                        path,
                        1,
                        f"lesson number {number:02d} is also used by {numbers[number].name}",
                    )
                )
            numbers.setdefault(number, path)
        lesson, file_errors = _parse_file(path, registry)
        errors.extend(sorted(file_errors, key=lambda error: error.line))
        if lesson is None:
            continue
        if lesson.id in ids:
            line = _id_line(path)
            errors.append(
                LessonError(
                    path, line, f"duplicate lesson id {lesson.id!r} (also in {ids[lesson.id].name})"
                )
            )
            continue
        ids[lesson.id] = path
        lessons.append(lesson)
    if not lessons and not errors:
        errors.append(LessonError(folder, 0, "no lesson files (NN-slug.md) in this folder"))
    lessons.sort(key=lambda lesson: (lesson.number, lesson.path.name))
    return lessons, errors


def _id_line(path: Path) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(r"^\s*id\s*=", line):
            return number
    return 1


def validate_dir(
    folder: str | Path, registry: Mapping[str, Any] | None = None
) -> list[LessonError]:
    """Every problem in a lessons folder (an empty list when all is well)."""
    registry = _default_registry() if registry is None else registry
    return _check_folder(Path(folder), registry)[1]


def load_course(
    folder: str | Path, registry: Mapping[str, Any] | None = None, lang: str | None = None
) -> Course:
    """All lessons of a folder in ``NN-`` order; raises :class:`LessonErrors` on any problem."""
    folder = Path(folder)
    registry = _default_registry() if registry is None else registry
    lessons, errors = _check_folder(folder, registry)
    if errors:
        raise LessonErrors(errors)
    return Course(lessons=tuple(lessons), root=folder, lang=lang or folder.name)


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
    """The lessons of ``lang``: the packaged copy (wheel) or the repository's ``lessons/``."""
    for root in (_packaged_root(), _repo_root()):
        if root is not None and (root / lang).is_dir():
            return root / lang
    raise FileNotFoundError(f"no lessons for language {lang!r}")


def available_languages() -> list[str]:
    """Language folders that hold lessons (packaged or in the repository)."""
    langs: set[str] = set()
    for root in (_packaged_root(), _repo_root()):
        if root is not None and root.is_dir():
            langs.update(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.md")))
    return sorted(langs)
