"""The lesson model: what a lesson file's front matter and body become.

A lesson file ``lessons/<lang>/NN-slug.md`` is Markdown with TOML front matter
between ``+++`` fences. Its body is split into pages at level-2 headings
(``## Title``); text before the first one is a page of its own. See
``tui_workshop.course.loader`` for the parsing and validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tui_workshop.experiments.schema import Param, ParamKind

__all__ = ["Exercise", "ExerciseKind", "Lesson", "Page", "ParamKind", "ParamSpec", "Preset"]

ExerciseKind = Literal["numeric", "choice", "vector", "goal"]

# A lesson's parameter is its experiment's Param narrowed by the lesson
# (bounds, choices, default, label and help): see the loader.
ParamSpec = Param


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: ExerciseKind
    prompt: str
    # numeric: a float; vector: a tuple of floats or tuple of rows;
    # choice: the 0-based index of the right choice
    answer: Any = None
    tolerance: float = 1e-2  # absolute, or relative when ``relative`` is true
    relative: bool = False
    choices: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    solution: str = ""
    # goal: a metric of the live experiment compared with a target
    metric: str = ""
    op: Literal[">=", "<=", ">", "<", "=="] = ">="
    target: float = 0.0
    constraints: Mapping[str, Any] = field(default_factory=dict)  # e.g. {"layers": "<=2"}
    line: int = 0
    extra: bool = False  # beyond the core exercises a student needs to finish on time


@dataclass(frozen=True)
class Page:
    title: str
    text: str  # Markdown
    line: int = field(default=0, compare=False)  # file line where the page starts
    notes: str = ""  # speaker notes (``::: notes`` blocks), never shown to students


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    number: int  # from the NN- prefix of the file name
    duration: int  # minutes
    objectives: tuple[str, ...]
    experiment: str
    params: tuple[ParamSpec, ...]
    presets: tuple[Preset, ...]
    exercises: tuple[Exercise, ...]
    pages: tuple[Page, ...]
    path: Path
    optional: bool = False
    notes: str = ""
    summary: str = ""
    part: int = 1  # the workshop's stage: 1 theory, 2 guided practice, 3 exercises and limits

    @property
    def core_exercises(self) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises if not e.extra)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> ParamSpec:
        for spec in self.params:
            if spec.name == name:
                return spec
        raise KeyError(name)
