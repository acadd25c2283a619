"""The course layer: lessons, parameters, exercises and progress. No Textual here.

- :mod:`~tui_workshop.course.model`: the Lesson/ParamSpec/Preset/Exercise/Page dataclasses;
- :mod:`~tui_workshop.course.loader`: reading and validating ``lessons/<lang>/NN-slug.md``;
- :mod:`~tui_workshop.course.params`: parameter values, checked by the experiment's schema;
- :mod:`~tui_workshop.course.expr`: the safe evaluator for typed answers;
- :mod:`~tui_workshop.course.exercises`: checking answers and goals, hints, scores;
- :mod:`~tui_workshop.course.progress`: the saved progress (atomic JSON).
"""

from __future__ import annotations

from tui_workshop.course.exercises import (
    Feedback,
    check,
    check_goal,
    describe_goal,
    hint,
    metric_label,
    score,
)
from tui_workshop.course.loader import (
    Course,
    LessonError,
    LessonErrors,
    find_lessons_dir,
    load_course,
    load_lesson,
    validate_dir,
)
from tui_workshop.course.model import Exercise, Lesson, Page, ParamSpec, Preset
from tui_workshop.course.params import (
    ParameterError,
    coerce_params,
    parse_value,
    validate_value,
)
from tui_workshop.course.progress import LessonProgress, Progress, ProgressStore

__all__ = [
    "Course",
    "Exercise",
    "Feedback",
    "Lesson",
    "LessonError",
    "LessonErrors",
    "LessonProgress",
    "Page",
    "ParamSpec",
    "ParameterError",
    "Preset",
    "Progress",
    "ProgressStore",
    "check",
    "check_goal",
    "coerce_params",
    "describe_goal",
    "find_lessons_dir",
    "hint",
    "load_course",
    "load_lesson",
    "metric_label",
    "parse_value",
    "score",
    "validate_dir",
    "validate_value",
]
