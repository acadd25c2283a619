"""The course in Brazilian Portuguese for the Pilot tests.

``lessons/pt-BR`` when it exists; until then a stand-in built from the English
lessons, with the same ids, pages, parameters and answers, whose lesson texts
are Portuguese placeholders: what remains English on a pt-BR screen then comes
from the interface, the experiments or the catalogue, never from a lesson.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tui_workshop.course.loader import available_languages, find_lessons_dir, load_course


def _text(value: Any, placeholder: str) -> Any:
    """A lesson's own text (a str) becomes ``placeholder``; a message key is kept."""
    return placeholder if isinstance(value, str) and value else value


def _stand_in_lesson(lesson: Any) -> Any:
    return replace(
        lesson,
        title=f"Aula {lesson.number}",
        objectives=tuple("um objetivo da aula" for _ in lesson.objectives),
        summary="",
        pages=tuple(
            replace(page, title=f"Página {index + 1}",
                    text="Texto da página, em português: a rede neural aprende.")
            for index, page in enumerate(lesson.pages)
        ),
        params=tuple(
            replace(
                param,
                label=_text(param.label, "rótulo"),
                help=_text(param.help, "ajuda do parâmetro"),
                choice_labels=tuple(_text(c, "opção") for c in param.choice_labels),
            )
            for param in lesson.params
        ),
        presets=tuple(replace(p, label=_text(p.label, "predefinição")) for p in lesson.presets),
        exercises=tuple(
            replace(
                exercise,
                prompt="Quanto vale?",
                choices=tuple(f"alternativa {i + 1}" for i in range(len(exercise.choices))),
                hints=tuple("uma dica" for _ in exercise.hints),
                solution="a solução" if exercise.solution else "",
            )
            for exercise in lesson.exercises
        ),
    )


def _ptbr_course() -> Any:
    if "pt-BR" in available_languages():
        return load_course(find_lessons_dir("pt-BR"), lang="pt-BR")
    english = load_course(find_lessons_dir("en"), lang="en")
    return replace(
        english, lessons=tuple(_stand_in_lesson(x) for x in english.lessons), lang="pt-BR"
    )


PTBR_COURSE = _ptbr_course()
