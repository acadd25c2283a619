"""Lesson text speaks of the app as it is: parameters are text fields, typed or changed,
never dragged or slid (no lesson, speaker note, prompt or hint says so, in any language)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
# "the kernel slides over the image" is fine; "slide z to 6" and "drag the threshold" are not.
CONTROLS = re.compile(
    r"\bdrag(s|ged|ging)?\b|\bsliders?\b|(^|[.!?:]\s+)slide\b"  # English
    r"|\barrast(e|em|ar|ando)\b|\bdeslizante\b|\bdeslize(m)?\b|\bdeslizando\b",  # Portuguese
    re.IGNORECASE | re.MULTILINE,
)


def lesson_files() -> list[Path]:
    return sorted(LESSONS.glob("*/*.md"))


def test_both_languages_are_checked():
    assert {path.parent.name for path in lesson_files()} >= {"en", "pt-BR"}


@pytest.mark.parametrize(
    "text",
    [
        "Drag the threshold down to 0.1.",
        "Move the sample slider.",
        "notes: Slide z to 6.",
        "Arraste o limiar para 0,1.",
        "o controle deslizante",
        "1 min. Deslize p até 0,01.",
    ],
)
def test_the_pattern_finds_dragging_and_sliders(text):
    assert CONTROLS.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "A kernel slides over the image.",
        "the ROC point slides along the curve",
        "O núcleo desliza sobre a imagem.",
        "aí x se arrasta.",
        "Type 0.1 in the threshold field.",
    ],
)
def test_the_pattern_leaves_other_meanings_alone(text):
    assert not CONTROLS.search(text)


@pytest.mark.parametrize("path", lesson_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_lesson_speaks_of_dragging_or_sliders(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = CONTROLS.search(line)
        assert match is None, f"{path.parent.name}/{path.name}:{number}: {line.strip()}"
