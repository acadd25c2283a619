"""The READMEs' course table is the course: lessons, minutes, optional ones, parts, the break,
the closing discussion and the totals, as the loader reads them from lessons/<lang>."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui_workshop.course.loader import load_course

ROOT = Path(__file__).resolve().parents[2]
READMES = {  # file, language, the section, the words for "Part" and "(optional)"
    "en": ("README.md", "## The course", "Part", "(optional)"),
    "pt-BR": ("README.pt-BR.md", "## O curso", "Parte", "(opcional)"),
}
TOTALS = {
    "en": r"take (\d+) minutes; with the\s+break and the closing discussion, (\d+) of the (\d+)",
    "pt-BR": r"levam (\d+) minutos; com o intervalo\s+e a discussão final, (\d+) dos (\d+)",
}


def section(text: str, heading: str) -> str:
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end >= 0 else None]


def table_rows(text: str) -> list[list[str]]:
    """The rows of the first table of ``text`` (header and rule left out), cells stripped."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


@pytest.mark.parametrize("lang", list(READMES))
def test_the_readme_course_table_matches_the_course(lang):
    name, heading, part_word, optional_word = READMES[lang]
    text = section((ROOT / name).read_text(encoding="utf-8"), heading)
    course = load_course(ROOT / "lessons" / lang)
    plan = course.schedule

    lessons, parts, sessions = [], [], []
    part = 0
    for number, title, minutes in table_rows(text):
        if heading_match := re.fullmatch(rf"\*\*{part_word} (\d): (.+)\*\*", title):
            part = int(heading_match.group(1))
            parts.append((part, heading_match.group(2).lower()))
        elif re.fullmatch(r"\*[^*]+\*", title):  # the break, the closing discussion
            sessions.append((title.strip("*"), int(minutes), part))
        else:
            lessons.append((int(number), int(minutes), optional_word in title, part))

    assert lessons == [
        (lesson.number, lesson.duration, lesson.optional, lesson.part) for lesson in course.lessons
    ]
    assert parts == [(p.number, p.title.lower()) for p in plan.parts]
    assert plan.pause is not None and plan.discussion is not None
    assert sessions == [
        (plan.pause.title, plan.pause.minutes, plan.pause.after_part),
        (plan.discussion.title, plan.discussion.minutes, plan.discussion.after_part),
    ]
    totals = re.search(TOTALS[lang], " ".join(text.split()).replace("\n", " "))
    assert totals, f"{name}: the sentence with the totals"
    core, planned, available = (int(value) for value in totals.groups())
    assert core == course.core_duration
    assert planned == course.core_duration + plan.extra_minutes
    assert available == plan.minutes
