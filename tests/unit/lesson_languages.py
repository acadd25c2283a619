"""The lesson folders of every language, and answers typed as a student of each would.

The answer tests (tests/unit/test_lesson_answers_*.py) run on each folder of
:data:`LANGS`. In pt-BR an answer is typed in the Brazilian form, computed from
the English one by :func:`typed_in`: decimal comma, ``;`` between values and
between a function's arguments (``[0,2; -0,1]``, ``max(0; 1,5)``).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tui_workshop import i18n
from tui_workshop.course import exercises as checking
from tui_workshop.course import loader
from tui_workshop.course.loader import read_front_matter

ROOT = Path(__file__).resolve().parents[2]
LANGS: tuple[str, ...] = tuple(
    lang for lang in ("en", "pt-BR") if (ROOT / "lessons" / lang).is_dir()
)


def folder(lang: str) -> Path:
    return ROOT / "lessons" / lang


@functools.cache
def lesson(lang: str, name: str) -> Any:
    """The loaded lesson ``name`` (a file name) of ``lang``'s folder."""
    return loader.load_lesson(folder(lang) / name)


def exercise(lang: str, name: str, ex_id: str) -> Any:
    return next(ex for ex in lesson(lang, name).exercises if ex.id == ex_id)


def exercise_cases(files: Mapping[str, str], kinds: tuple[str, ...]) -> Iterator[Any]:
    """pytest params (lang, key, exercise as in the front matter) of each exercise of
    those ``kinds`` in ``files`` (key -> file name), in every language."""
    for lang in LANGS:
        for key, name in files.items():
            for ex in read_front_matter(folder(lang) / name)[0]["exercises"]:
                if ex["kind"] in kinds:
                    yield pytest.param(lang, key, ex, id=f"{lang}-{key}-{ex['id']}")


def answer_text(value: Any) -> str:
    """A number, vector or matrix as an English answer: 0.6411, [0.2, -0.1], [[3, 1], [2, 2]]."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return repr(float(array))
    return "[" + ", ".join(answer_text(row) for row in array) + "]"


_DECIMAL_POINT = re.compile(r"(?<![\w.])(\d*)\.(?=\d)")


def typed_in(lang: str, text: str) -> str:
    """The English answer ``text`` as a student of ``lang`` types it."""
    if i18n.decimal_mark(lang) != ",":
        return text
    text = text.replace(",", ";")  # between values and arguments
    return _DECIMAL_POINT.sub(lambda m: f"{m.group(1)},", text)


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """The interface (and the answer checker) in ``lang`` while inside."""
    before = i18n.get_language()
    i18n.set_language(lang)
    try:
        yield
    finally:
        i18n.set_language(before)


def accepted(exercise: Any, english: str, lang: str) -> bool:
    """The English answer ``english``, typed in ``lang``'s form, is accepted in ``lang``."""
    with language(lang):
        return checking.check(exercise, typed_in(lang, english)).correct
