"""The shipped course as a whole: valid, complete, and within the workshop's time."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui_workshop.course.loader import (
    available_languages,
    find_lessons_dir,
    load_course,
    validate_dir,
)
from tui_workshop.experiments import REGISTRY, create, load_all

ROOT = Path(__file__).resolve().parents[2]
LESSONS_ROOT = ROOT / "lessons"
WORKSHOP_MINUTES = 150


@pytest.fixture(scope="module")
def course():
    return load_course(find_lessons_dir("en"))


def test_every_language_tree_validates():
    for lang_dir in sorted(p for p in LESSONS_ROOT.iterdir() if p.is_dir()):
        assert validate_dir(lang_dir) == [], lang_dir


def test_language_trees_hold_the_same_files():
    trees = {
        d.name: sorted(f.name for f in d.glob("*.md"))
        for d in LESSONS_ROOT.iterdir()
        if d.is_dir()
    }
    english = trees.pop("en")
    for lang, files in trees.items():
        assert files == english, f"lessons/{lang} differs from lessons/en"


def test_core_path_fits_the_workshop(course):
    core = sum(lesson.duration for lesson in course.lessons if not lesson.optional)
    assert 0 < core <= WORKSHOP_MINUTES


def test_the_plan_has_three_parts_a_break_and_a_closing_discussion(course):
    plan = course.schedule
    assert plan.minutes == WORKSHOP_MINUTES
    assert [part.number for part in plan.parts] == [1, 2, 3]
    assert plan.pause is not None and plan.pause.after_part == 2 and plan.pause.minutes >= 10
    assert plan.discussion is not None and plan.discussion.after_part == 3
    assert plan.discussion.minutes >= 15
    # about two hours of core lessons; with the break and the discussion within 150 minutes
    assert 105 <= course.core_duration <= 125
    assert course.core_duration + plan.pause.minutes + plan.discussion.minutes <= 150
    assert course.planned_duration <= WORKSHOP_MINUTES


def test_parts_follow_the_lesson_order(course):
    parts = [lesson.part for lesson in course.lessons]
    assert parts == sorted(parts) and set(parts) == {1, 2, 3}
    ids = {lesson.id: lesson for lesson in course.lessons}
    assert ids["playground"].part == 2 and not ids["playground"].optional
    assert not ids["hyperparameter-search"].optional  # tuning is on the core path
    assert ids["cnn-digits"].optional and ids["rnn-series"].optional
    assert [lesson.id for lesson in course.lessons_of_part(3)] == ["limits", "summary"]
    before = course.index
    assert before("optimisers") < before("hyperparameter-search") < before("playground")


def test_durations_of_the_second_and_third_parts(course):
    minutes = {lesson.id: lesson.duration for lesson in course.lessons}
    assert {k: minutes[k] for k in (
        "metrics", "overfitting", "optimisers", "hyperparameter-search", "playground",
        "convolution", "recurrence", "limits", "summary")} == {
        "metrics": 7, "overfitting": 7, "optimisers": 6, "hyperparameter-search": 6,
        "playground": 8, "convolution": 7, "recurrence": 7, "limits": 10, "summary": 4,
    }  # fmt: skip


def test_the_curriculum_topics_are_all_there(course):
    experiments = {lesson.experiment for lesson in course.lessons}
    wanted = {
        "welcome", "linear_algebra", "neuron", "activations", "losses", "gradient_descent",
        "backprop", "playground", "metrics_lab", "overfitting", "hyperparameter_search",
        "optimizer_race", "convolution", "cnn_digits", "recurrence", "rnn_series", "limits",
        "summary", "initialisation",
    }  # fmt: skip
    assert wanted <= experiments
    ids = [lesson.id for lesson in course.lessons]
    # convolutional and recurrent lessons come before "Limits", which comes before the summary
    for topic in ("convolution", "cnn-digits", "recurrence", "rnn-series"):
        assert ids.index(topic) < ids.index("limits")
    assert ids[-1] == "summary"


def test_each_teaching_lesson_has_two_exercises(course):
    for lesson in course.lessons:
        if lesson.id in ("welcome", "summary"):
            continue
        assert len(lesson.exercises) >= 2, lesson.id


def test_every_lesson_experiment_builds_with_defaults_and_presets(course):
    load_all()
    for lesson in course.lessons:
        assert lesson.experiment in REGISTRY
        assert create(lesson.experiment, lesson.defaults()).frame().panels, lesson.id
        for preset in lesson.presets:
            values = {**lesson.defaults(), **preset.values}
            assert create(lesson.experiment, values).frame().panels, (lesson.id, preset.name)


# ------------------------------------------------------------------ lessons fit the schemas


def test_every_lesson_narrows_its_experiments_schema(course):
    from tui_workshop.experiments import catalogue
    from tui_workshop.experiments.schema import narrowing_errors

    schemas = catalogue()
    for lesson in course.lessons:
        schema = schemas.get(lesson.experiment)
        if schema is None:  # an experiment whose spec has not landed yet
            continue
        for param in lesson.params:
            base = schema[param.name]
            assert narrowing_errors(base, param) == [], (lesson.id, param.name)
            assert param.validate(param.default) == param.default
            assert base.validate(param.default) == param.default, (lesson.id, param.name)
            assert set(param.choices) <= set(base.choices)
        for preset in lesson.presets:
            for name, value in preset.values.items():
                assert lesson.param(name).validate(value) == value, (lesson.id, preset.name)


def test_loading_the_course_does_not_import_numpy():
    script = (
        "import sys\n"
        "from tui_workshop.course.loader import find_lessons_dir, load_course\n"
        "course = load_course(find_lessons_dir('en'))\n"
        "assert len(course.lessons) >= 18\n"
        "assert 'numpy' not in sys.modules, 'numpy imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False,
    )
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ `check` finds planted defects

NEURON = "03-neuron.md"


def _neuron_schema():
    from tui_workshop.experiments import catalogue

    return catalogue()["neuron"]


def _plant(lessons: Path, old: str, new: str, name: str = NEURON) -> int:
    """Replace the first ``old`` in a lesson with ``new``; the file line of the change."""
    path = lessons / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _defects() -> list[tuple[str, str, str, str]]:
    """(case, old text, new text, part of the message) for defects in 03-neuron.md."""
    schema = _neuron_schema()
    w1, sample = schema["w1"], schema["sample"]
    return [
        ("unknown parameter", "[params.w2]", "[params.w9]", "unknown parameter 'w9'"),
        (
            "unknown choice",
            'choices = ["sigmoid", "tanh", "relu", "step", "identity"]',
            'choices = ["sigmoid", "tanh", "relu", "step", "softsign"]',
            "unknown choice softsign",
        ),
        (
            "min below the schema's",
            "min = -3.0",
            f"min = {w1.min - 1.0}",
            "is below the experiment's minimum",
        ),
        (
            "max above the schema's",
            "max = 3.0",
            f"max = {w1.max + 1.0}",
            "is above the experiment's maximum",
        ),
        ("default outside the bounds", "default = 0.5", "default = 3.5",
         "params.w1: default 3.5: must be between"),
        ("default of the wrong kind", "default = 0\n", 'default = "zero"\n',
         "params.sample: default 'zero'"),
        ("kind mismatch", 'kind = "int"', 'kind = "float"',
         f"params.sample: kind is {sample.kind} in the experiment, not float"),
        (
            "preset value outside the bounds",
            "values = { w1 = 0.5,",
            f"values = {{ w1 = {w1.max + 0.5},",
            "presets.start: w1 = ",
        ),
        ("TOML nested too deeply", 'id = "neuron"', 'id = "neuron"\nx = ' + "[" * 500 + "]" * 500,
         "invalid TOML: nested too deeply"),
    ]


@pytest.mark.parametrize("case", [d[0] for d in _defects()])
def test_check_names_each_defect_planted_in_a_copy_of_the_lessons(case, tmp_path, capsys):
    from tui_workshop.__main__ import main

    lessons = tmp_path / "en"
    shutil.copytree(LESSONS_ROOT / "en", lessons)
    _case, old, new, part = next(d for d in _defects() if d[0] == case)
    line = _plant(lessons, old, new)
    if case == "default of the wrong kind":
        line = _line_of(lessons / NEURON, 'default = "zero"')
    if case == "TOML nested too deeply":
        line = 1  # the opening fence: the parser gives no line for this
    assert main(["check", str(lessons)]) == 1
    out = capsys.readouterr().out
    wanted = f"{lessons / NEURON}:{line}: "
    found = [row for row in out.splitlines() if row.startswith(wanted) and part in row]
    assert found, f"no '{wanted}…{part}' in:\n{out}"


def test_check_names_a_preset_value_the_lesson_does_not_show(tmp_path, capsys):
    from tui_workshop.__main__ import main
    from tui_workshop.experiments import catalogue

    course = load_course(find_lessons_dir("en"))
    schemas = catalogue()
    hidden = [
        (lesson, name)
        for lesson in course.lessons
        if lesson.presets and lesson.experiment in schemas
        for name in schemas[lesson.experiment]
        if name not in {p.name for p in lesson.params}
    ]
    if not hidden:
        pytest.skip("every lesson with presets shows all of its experiment's parameters")
    lesson, name = hidden[0]
    lessons = tmp_path / "en"
    shutil.copytree(LESSONS_ROOT / "en", lessons)
    path = lessons / lesson.path.name
    text = path.read_text(encoding="utf-8")
    first = lesson.presets[0].name
    header = f"[presets.{first}]"
    start = text.index(header)
    values_at = text.index("values = {", start)
    path.write_text(
        text[:values_at] + f"values = {{ {name} = 1, " + text[values_at + len("values = {"):],
        encoding="utf-8",
    )
    line = text[:values_at].count("\n") + 1
    assert main(["check", str(lessons)]) == 1
    out = capsys.readouterr().out
    wanted = f"{path}:{line}: presets.{first}: {name} is not shown by this lesson"
    assert wanted in out, out


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(text)


def test_the_shipped_lessons_pass_check(capsys):
    from tui_workshop.__main__ import main

    assert main(["check", str(LESSONS_ROOT / "en")]) == 0
    assert "no problems" in capsys.readouterr().out


# ------------------------------------------------------------------ the pseudo-locale


def test_pseudo_locale_course_translates_every_student_text(course):
    from tui_workshop.course.loader import available_languages
    from tui_workshop.i18n import PSEUDO

    pseudo = load_course(lang=PSEUDO)
    assert pseudo.lang == PSEUDO and len(pseudo) == len(course)
    assert PSEUDO not in available_languages()
    for plain, shown in zip(course.lessons, pseudo.lessons, strict=True):
        assert shown.id == plain.id and shown.experiment == plain.experiment
        texts = [shown.title, *shown.objectives, shown.summary]
        texts += [page.title for page in shown.pages]
        texts += [p.label for p in shown.params if isinstance(p.label, str)]
        texts += [label for p in shown.params for label in p.choice_labels
                  if isinstance(label, str)]
        texts += [preset.label for preset in shown.presets]
        for exercise in shown.exercises:
            texts += [exercise.prompt, *exercise.choices, *exercise.hints]
        for text in texts:
            if text.strip():
                assert "⟦" in text, (plain.id, text)
        # values the checker compares are kept
        assert [e.answer for e in shown.exercises] == [e.answer for e in plain.exercises]
        assert shown.defaults() == plain.defaults()
        for page, original in zip(shown.pages, plain.pages, strict=True):
            _same_markdown_structure(original.text, page.text)


def _same_markdown_structure(original: str, shown: str) -> None:
    """Headings keep their markers, fenced code and code spans are untouched."""
    before, after = original.split("\n"), shown.split("\n")
    assert len(before) == len(after)
    fenced = False
    for old, new in zip(before, after, strict=True):
        if old.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            assert new == old
        elif fenced or not old.strip():
            assert new == old
        elif old.startswith("#"):
            assert new.startswith(old.split(" ")[0] + " ⟦"), new
        for span in re.findall(r"`[^`]+`", old):
            assert span in new, (span, new)


@pytest.mark.parametrize("lang", available_languages())
def test_every_page_of_every_language_has_speaker_notes(lang):
    """Notes on every page (its timing, what to show, a question for the room), in
    every language folder; none left in the lesson-level front matter."""
    for lesson in load_course(find_lessons_dir(lang)).lessons:
        assert not lesson.notes.strip(), (lang, lesson.id)
        for page in lesson.pages:
            assert page.notes, (lang, lesson.id, page.title)
            timing = re.search(r"\d+(?:[.,]\d+)?\s*(?:min|s\b)", page.notes)
            assert timing, (lang, lesson.id, page.title)
            question = "?" in page.notes or re.search(r"\bask|pergunt", page.notes, re.I)
            assert question, (lang, lesson.id, page.title)  # a question for the room


def test_later_lessons_mark_two_or_three_exercises_as_core(course):
    for lesson in course.lessons:
        if lesson.number < 9:
            continue
        assert 2 <= len(lesson.core_exercises) <= 3, (lesson.id, len(lesson.core_exercises))
