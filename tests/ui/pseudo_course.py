"""The course in the pseudo-locale, built from the English lessons (as the loader's
``load_course`` of ``qps-ploc`` does): every text a student reads passed through
:func:`tui_workshop.i18n.pseudo`; ids, names, numbers and answers kept."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tui_workshop.i18n import pseudo


def _texts(values: Any) -> tuple:
    return tuple(pseudo(v) if isinstance(v, str) else v for v in values)


def _maybe(value: Any) -> Any:
    return pseudo(value) if isinstance(value, str) else value


def pseudo_lesson(lesson: Any) -> Any:
    return replace(
        lesson,
        title=pseudo(lesson.title),
        objectives=_texts(lesson.objectives),
        pages=tuple(
            replace(p, title=pseudo(p.title), text=pseudo(p.text), notes=pseudo(p.notes))
            for p in lesson.pages
        ),
        params=tuple(
            replace(
                p,
                label=_maybe(p.label),
                help=_maybe(p.help),
                choice_labels=_texts(p.choice_labels),
            )
            for p in lesson.params
        ),
        presets=tuple(replace(p, label=_maybe(p.label)) for p in lesson.presets),
        exercises=tuple(
            replace(
                e,
                prompt=pseudo(e.prompt),
                choices=_texts(e.choices),
                hints=_texts(e.hints),
                solution=_maybe(e.solution),
            )
            for e in lesson.exercises
        ),
    )


def pseudo_course(course: Any) -> Any:
    from tui_workshop.course.loader import pseudo_schedule
    from tui_workshop.i18n import PSEUDO

    return replace(
        course,
        lessons=tuple(pseudo_lesson(x) for x in course.lessons),
        lang=PSEUDO,
        schedule=pseudo_schedule(course.schedule),  # the part titles, break, discussion
    )


def _real_pseudo_course() -> Any:
    from tests.ui.test_real_course import REAL_COURSE

    return pseudo_course(REAL_COURSE)


PSEUDO_COURSE = _real_pseudo_course()
