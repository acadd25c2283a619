"""Every exercise answer of every lesson, in each language, typed as its students type it.

The recomputations of the answers are in tests/unit/test_lesson_answers_[a-d].py
(each run on both folders); here every numeric and vector answer of every lesson
is typed in the language's form (pt-BR: ``0,58``, ``[0,2; -0,1]``) and must be
accepted, and a wrong value must not be; every choice answer names one of its choices.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.lesson_languages import LANGS, accepted, answer_text, folder, lesson, typed_in
from tui_workshop.course import loader


def cases(kinds: tuple[str, ...]):
    for lang in LANGS:
        for path in loader.lesson_files(folder(lang)):
            for ex in lesson(lang, path.name).exercises:
                if ex.kind in kinds:
                    yield pytest.param(lang, path.name, ex, id=f"{lang}-{path.stem}-{ex.id}")


def test_typed_in_writes_the_brazilian_forms():
    assert typed_in("pt-BR", "0.58") == "0,58"
    assert typed_in("pt-BR", "[0.2, -0.1]") == "[0,2; -0,1]"
    assert typed_in("pt-BR", "[[3.0, 1.0], [2.0, 2.0]]") == "[[3,0; 1,0]; [2,0; 2,0]]"
    assert typed_in("pt-BR", "1/(1+exp(-0.58))") == "1/(1+exp(-0,58))"
    assert typed_in("pt-BR", "max(0, 1.5)") == "max(0; 1,5)"
    assert typed_in("pt-BR", "1.5e-05") == "1,5e-05"
    assert typed_in("en", "[0.2, -0.1]") == "[0.2, -0.1]"
    assert answer_text([[3, 1], [2, 2]]) == "[[3.0, 1.0], [2.0, 2.0]]"


@pytest.mark.parametrize(("lang", "name", "ex"), list(cases(("numeric", "vector"))))
def test_the_answer_typed_in_the_language_is_accepted_and_a_wrong_one_is_not(lang, name, ex):
    assert accepted(ex, answer_text(ex.answer), lang), typed_in(lang, answer_text(ex.answer))
    answer = np.asarray(ex.answer, dtype=float)
    off = 10 * max(ex.tolerance * (np.max(np.abs(answer)) if ex.relative else 1), 0.1) + 1
    assert not accepted(ex, answer_text(answer + off), lang)


@pytest.mark.parametrize(("lang", "name", "ex"), list(cases(("choice",))))
def test_choice_answers_name_one_of_their_choices(lang, name, ex):
    assert 0 <= ex.answer < len(ex.choices)
