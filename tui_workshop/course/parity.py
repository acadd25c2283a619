"""Do two language folders hold the same course? (``lessons/en`` against ``lessons/pt-BR``)

A translation changes words, never the structure a student's progress and the
tests depend on: the same files, lesson ids, number of pages, experiment,
parameters (kind, default, bounds, choices), presets and exercises (kind, id,
answer, tolerance, number of choices, goal). Each difference is a
:class:`~tui_workshop.course.loader.LessonError` at the line of the translated
file, naming the reference file and line, so ``tui-workshop check`` reports it
as ``file:line: message``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tui_workshop.course.loader import (
    LessonError,
    _check_folder,
    _default_registry,
    lesson_files,
    printable,
)
from tui_workshop.course.model import Exercise, Lesson
from tui_workshop.i18n import Msg, Text, msg, msg_n

__all__ = ["compare_folders", "compare_lessons", "reference_folder"]

# What must be equal in a parameter, preset and exercise (labels, texts and help may differ).
PARAM_FIELDS = ("kind", "default", "min", "max", "step", "log", "choices", "live")
EXERCISE_FIELDS = (
    "kind", "answer", "tolerance", "relative", "metric", "op", "target", "constraints", "extra",
)
LESSON_FIELDS = ("id", "experiment", "duration", "optional", "part")


def reference_folder(folders: Sequence[Path]) -> Path:
    """The folder the others are compared with: ``en`` when present, else the first."""
    for folder in folders:
        if folder.name == "en":
            return folder
    return folders[0]


def _line_of(path: Path, pattern: str, default: int = 1) -> int:
    """The first line of ``path`` matching the regular expression ``pattern``."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return default
    compiled = re.compile(pattern)
    for number, line in enumerate(text.splitlines(), start=1):
        if compiled.search(line):
            return number
    return default


def _at(path: Path, line: int) -> str:
    return f"{printable(str(path))}:{line}"


def _show(value: Any) -> str:
    if isinstance(value, Mapping):
        value = dict(value)
    return printable(repr(value))


def _differs(what: Text, here: Any, there: Any, reference: str) -> Msg:
    return msg(
        "{what} is {here} here but {there} in {reference}",
        what=what,
        here=_show(here),
        there=_show(there),
        reference=reference,
    )


def _key(exercise: Exercise, key: str) -> Msg:
    return msg("exercise {id}: {key}", id=exercise.id, key=key)


def _exercise_differences(
    ours: Exercise, theirs: Exercise, path: Path, ref_path: Path
) -> Iterable[LessonError]:
    reference = _at(ref_path, theirs.line)
    line = ours.line or 1
    if ours.id != theirs.id:
        yield LessonError(path, line, _differs(_key(ours, "id"), ours.id, theirs.id, reference))
    for name in EXERCISE_FIELDS:
        here, there = getattr(ours, name), getattr(theirs, name)
        if here != there:
            yield LessonError(path, line, _differs(_key(ours, name), here, there, reference))
    if len(ours.choices) != len(theirs.choices):
        yield LessonError(path, line, _differs(_key(ours, "choices"), len(ours.choices),
                                               len(theirs.choices), reference))


def compare_lessons(ours: Lesson, theirs: Lesson) -> list[LessonError]:
    """Differences of structure between a translated lesson and its reference."""
    path, ref_path = ours.path, theirs.path
    errors: list[LessonError] = []
    id_line = _line_of(path, r"^\s*id\s*=")
    for name in LESSON_FIELDS:
        here, there = getattr(ours, name), getattr(theirs, name)
        if here != there:
            key_line = _line_of(path, rf"^\s*{name}\s*=", id_line)
            ref_line = _line_of(ref_path, rf"^\s*{name}\s*=")
            errors.append(LessonError(path, key_line,
                                      _differs(name, here, there, _at(ref_path, ref_line))))
    if len(ours.pages) != len(theirs.pages):
        line = ours.pages[-1].line if ours.pages else 1
        errors.append(LessonError(path, line or 1, msg_n(
            "{n} page here but {count} in {reference}",
            "{n} pages here but {count} in {reference}",
            len(ours.pages),
            count=len(theirs.pages),
            reference=printable(str(ref_path)),
        )))
    # parameters
    mine = {spec.name: spec for spec in ours.params}
    other = {spec.name: spec for spec in theirs.params}
    for name in sorted(mine.keys() | other.keys()):
        line = _line_of(path, rf"^\s*\[params\.{re.escape(name)}\]", id_line)
        ref_line = _line_of(ref_path, rf"^\s*\[params\.{re.escape(name)}\]")
        reference = _at(ref_path, ref_line)
        if name not in other:
            errors.append(LessonError(path, line, msg(
                "parameter {name} is not in {reference}", name=name,
                reference=printable(str(ref_path)))))
            continue
        if name not in mine:
            errors.append(LessonError(path, id_line, msg(
                "parameter {name} is missing (it is in {reference})", name=name,
                reference=reference)))
            continue
        for field_name in PARAM_FIELDS:
            here, there = getattr(mine[name], field_name), getattr(other[name], field_name)
            if here != there:
                errors.append(LessonError(path, line, _differs(
                    f"params.{name}.{field_name}", here, there, reference)))
    # presets
    my_presets = {preset.name: preset for preset in ours.presets}
    other_presets = {preset.name: preset for preset in theirs.presets}
    for name in sorted(my_presets.keys() | other_presets.keys()):
        line = _line_of(path, rf"^\s*\[presets\.{re.escape(name)}\]", id_line)
        ref_line = _line_of(ref_path, rf"^\s*\[presets\.{re.escape(name)}\]")
        reference = _at(ref_path, ref_line)
        if name not in other_presets:
            errors.append(LessonError(path, line, msg(
                "preset {name} is not in {reference}", name=name,
                reference=printable(str(ref_path)))))
        elif name not in my_presets:
            errors.append(LessonError(path, id_line, msg(
                "preset {name} is missing (it is in {reference})", name=name,
                reference=reference)))
        elif dict(my_presets[name].values) != dict(other_presets[name].values):
            errors.append(LessonError(path, line, _differs(
                f"presets.{name}", my_presets[name].values, other_presets[name].values,
                reference)))
    # exercises, in order
    for index in range(max(len(ours.exercises), len(theirs.exercises))):
        if index >= len(ours.exercises):
            missing = theirs.exercises[index]
            errors.append(LessonError(path, ours.exercises[-1].line if ours.exercises else 1,
                                      msg("exercise {id} is missing (it is in {reference})",
                                          id=missing.id,
                                          reference=_at(ref_path, missing.line))))
        elif index >= len(theirs.exercises):
            extra = ours.exercises[index]
            errors.append(LessonError(path, extra.line or 1, msg(
                "exercise {id} is not in {reference}", id=extra.id,
                reference=printable(str(ref_path)))))
        else:
            errors.extend(_exercise_differences(ours.exercises[index], theirs.exercises[index],
                                                path, ref_path))
    return errors


def compare_folders(
    folder: Path, reference: Path, registry: Mapping[str, Any] | None = None
) -> list[LessonError]:
    """Every difference of structure between ``folder`` and the ``reference`` folder.

    Lessons that do not load are left to the folder's own validation; the files
    are matched by name.
    """
    registry = _default_registry() if registry is None else registry
    folder, reference = Path(folder), Path(reference)
    ours, _ = _check_folder(folder, registry)
    theirs, _ = _check_folder(reference, registry)
    errors: list[LessonError] = []
    my_names = {path.name for path in lesson_files(folder)}
    their_names = {path.name for path in lesson_files(reference)}
    for name in sorted(their_names - my_names):
        errors.append(LessonError(folder, 0, msg(
            "{name} is missing (it is in {reference})", name=printable(name),
            reference=printable(str(reference)))))
    for name in sorted(my_names - their_names):
        errors.append(LessonError(folder / name, 1, msg(
            "{name} is not in {reference}", name=printable(name),
            reference=printable(str(reference)))))
    by_name = {lesson.path.name: lesson for lesson in theirs}
    for lesson in ours:
        counterpart = by_name.get(lesson.path.name)
        if counterpart is not None:
            errors.extend(compare_lessons(lesson, counterpart))
    return errors
