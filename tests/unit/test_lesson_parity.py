"""lessons/pt-BR and lessons/en hold the same course: files, ids, pages, params, presets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui_workshop.course.loader import load_course
from tui_workshop.course.parity import compare_folders

ROOT = Path(__file__).resolve().parents[2]
EN = ROOT / "lessons" / "en"
PT = ROOT / "lessons" / "pt-BR"


@pytest.mark.skipif(not PT.is_dir(), reason="lessons/pt-BR is being translated")
def test_portuguese_lessons_have_the_structure_of_the_english_ones():
    differences = compare_folders(PT, EN)
    assert not differences, "\n".join(str(error) for error in differences)
    english, portuguese = load_course(EN, lang="en"), load_course(PT, lang="pt-BR")
    assert portuguese.ids() == english.ids()
    for en, pt in zip(english.lessons, portuguese.lessons, strict=True):
        assert pt.path.name == en.path.name
        assert len(pt.pages) == len(en.pages), pt.path
        assert [(p.name, p.kind, p.default, p.min, p.max, p.choices) for p in pt.params] == [
            (p.name, p.kind, p.default, p.min, p.max, p.choices) for p in en.params
        ]
        assert {p.name: dict(p.values) for p in pt.presets} == {
            p.name: dict(p.values) for p in en.presets
        }
        assert [(e.id, e.kind, e.answer, e.tolerance, len(e.choices)) for e in pt.exercises] == [
            (e.id, e.kind, e.answer, e.tolerance, len(e.choices)) for e in en.exercises
        ]


def _copy(tmp_path: Path, *names: str) -> tuple[Path, Path]:
    en, pt = tmp_path / "en", tmp_path / "pt-BR"
    en.mkdir()
    pt.mkdir()
    for name in names:
        shutil.copy(EN / name, en / name)
        shutil.copy(EN / name, pt / name)
    return en, pt


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path``; the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_a_copy_has_no_differences(tmp_path):
    en, pt = _copy(tmp_path, "01-welcome.md", "03-neuron.md")
    assert compare_folders(pt, en) == []


def test_each_kind_of_difference_is_reported_at_its_line(tmp_path):
    en, pt = _copy(tmp_path, "01-welcome.md", "03-neuron.md")
    welcome = pt / "01-welcome.md"
    preset_line = _edit(welcome, "[presets.flipped]", "[presets.invertido]")
    page_text = welcome.read_text(encoding="utf-8")
    heading = next(line for line in page_text.splitlines() if line.startswith("## "))
    _edit(welcome, heading + "\n", "")  # two pages become one
    neuron = pt / "03-neuron.md"
    text = neuron.read_text(encoding="utf-8")
    exercise_answer = next(line for line in text.splitlines() if line.startswith("answer = "))
    answer_line = _edit(neuron, exercise_answer, "answer = 123.5")
    differences = [str(error) for error in compare_folders(pt, en)]
    joined = "\n".join(differences)
    assert f"{welcome}:{preset_line}: preset invertido is not in {en / '01-welcome.md'}" in joined
    assert f"preset flipped is missing (it is in {en / '01-welcome.md'}:" in joined
    assert "pages here but" in joined or "page here but" in joined
    wanted = "exercise z: answer is 123.5 here but 0.58 in"
    (answer,) = [line for line in differences if wanted in line]
    path, line, _rest = answer.split(":", 2)
    assert path == str(neuron) and 0 < answer_line - int(line) < 15  # the exercise's table


def test_missing_and_extra_files(tmp_path):
    en, pt = _copy(tmp_path, "01-welcome.md")
    shutil.copy(EN / "03-neuron.md", en / "03-neuron.md")
    differences = [str(error) for error in compare_folders(pt, en)]
    assert differences == [f"{pt}: 03-neuron.md is missing (it is in {en})"]
    differences = [str(error) for error in compare_folders(en, pt)]
    assert differences == [f"{en / '03-neuron.md'}:1: 03-neuron.md is not in {pt}"]
