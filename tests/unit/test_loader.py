"""Loading and validating lesson files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar

import pytest

from tui_workshop.course.loader import (
    MAX_ERRORS,
    MAX_FILE_BYTES,
    MAX_PAGE_CHARS,
    LessonError,
    LessonErrors,
    find_lessons_dir,
    load_course,
    load_lesson,
    read_front_matter,
    split_pages,
    validate_dir,
)
from tui_workshop.experiments.base import Experiment
from tui_workshop.experiments.schema import Bool, Choice, Float, Int
from tui_workshop.i18n import render
from tui_workshop.i18n.message import msg

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
OK = FIXTURES / "lessons_ok" / "en"
BAD = FIXTURES / "lessons_bad" / "en"


class FixtureExperiment(Experiment):
    name = "fixture"
    SCHEMA: ClassVar = {
        "lr": Float(0.1, 0.0001, 100.0, label=msg("learning rate"), log=True, live=True),
        "layers": Int(1, 0, 8, label=msg("hidden layers")),
        "dataset": Choice(
            "circle", ("circle", "xor", "spiral"), label=msg("data set"),
            labels=(msg("circle"), msg("xor"), msg("spiral")),
        ),
        "noisy": Bool(False, label=msg("noisy")),
        "w1": Float(0.5, -5.0, 5.0, label=msg("weight w1"), step=0.5),
    }


REGISTRY = {"fixture": FixtureExperiment}

HEADER = """\
+++
id = "t"
title = "T"
duration = 5
experiment = "fixture"
"""


def write(tmp_path: Path, front: str, body: str = "Text.\n", name: str = "01-t.md") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + front + "+++\n" + body, encoding="utf-8")
    return path


def errors_of(path: Path) -> list[LessonError]:
    with pytest.raises(LessonErrors) as info:
        load_lesson(path, registry=REGISTRY)
    return info.value.errors


# ------------------------------------------------------------------ good lessons


def test_load_course_orders_by_number():
    course = load_course(OK, registry=REGISTRY)
    assert [lesson.id for lesson in course.lessons] == ["first", "second", "extra"]
    assert [lesson.number for lesson in course.lessons] == [1, 2, 10]
    assert course.root == OK
    assert course.lang == "en"
    assert course.by_id("second").title == "A second lesson"
    assert course.index("extra") == 2
    with pytest.raises(KeyError):
        course.by_id("nope")
    with pytest.raises(KeyError):
        course.index("nope")
    assert course.core_duration == 25
    assert course.optional_duration == 5


def test_lesson_fields():
    lesson = load_lesson(OK / "01-first.md", registry=REGISTRY)
    assert lesson.objectives == ("Read a lesson", "Answer an exercise")
    assert lesson.notes.startswith("Speaker notes")
    assert lesson.defaults() == {"lr": 0.1, "layers": 1, "dataset": "circle", "noisy": False}
    lr = lesson.param("lr")
    assert (lr.min, lr.max, lr.step, lr.label) == (0.001, 10.0, 0.01, "learning rate")
    assert isinstance(lr.max, float)
    assert render(lesson.param("layers").label) == "hidden layers"  # the schema's label
    assert lesson.param("dataset").choice_labels == ("Circle", "Exclusive or")
    (preset,) = lesson.presets
    assert preset.values == {"lr": 5.0, "layers": 2}
    kinds = {e.id: e.kind for e in lesson.exercises}
    assert kinds == {
        "z": "numeric",
        "pick": "choice",
        "vec": "vector",
        "mat": "vector",
        "reach": "goal",
    }
    mat = next(e for e in lesson.exercises if e.id == "mat")
    assert mat.answer == ((1.0, 2.0, 3.0), (4.0, 5.0, 6.0))
    reach = lesson.exercises[-1]
    assert (reach.metric, reach.op, reach.target) == ("val_accuracy", ">=", 0.95)
    assert reach.constraints == {"layers": "<=2"}
    # exercise lines point at their [[exercises]] headers
    lines = (OK / "01-first.md").read_text().splitlines()
    for exercise in lesson.exercises:
        assert lines[exercise.line - 1] == "[[exercises]]"


def test_pages_split_at_level_two_headings_outside_code():
    lesson = load_lesson(OK / "01-first.md", registry=REGISTRY)
    assert [p.title for p in lesson.pages] == ["A first lesson", "The idea", "Try it"]
    assert "## not a heading" in lesson.pages[1].text
    assert lesson.pages[0].text == "An introduction before the first heading."


def test_split_pages_edge_cases():
    assert [p.title for p in split_pages("## A\nx\n## B\ny", "T")] == ["A", "B"]
    assert [p.title for p in split_pages("\n\n## A\nx", "T")] == ["A"]  # blank preamble dropped
    pages = split_pages("intro\n~~~\n## inside\n~~~\n### three\n## Out\nz", "T")
    assert [p.title for p in pages] == ["T", "Out"]
    assert "### three" in pages[0].text
    pages = split_pages("````\n```\n## still code\n```\n````\n## Real\n", "T")
    assert [p.title for p in pages] == ["T", "Real"]


def test_translation_tree_loads_with_its_language():
    course = load_course(OK.parent / "pt-BR", registry=REGISTRY)
    assert course.lang == "pt-BR"
    assert len(course) == 3


def test_find_lessons_dir_finds_repository_lessons():
    folder = find_lessons_dir("en")
    assert folder.is_dir() and folder.name == "en"
    with pytest.raises(FileNotFoundError):
        find_lessons_dir("xx-nonexistent")


# ------------------------------------------------------------------ the bad folder

# (file, line, part of the message): every error expected in lessons_bad/en, no more
EXPECTED_BAD = [
    ("01-no-front.md", 1, "missing front matter"),
    ("02-unterminated.md", 1, "unterminated front matter"),
    ("03-bad-toml.md", 7, "invalid TOML: Unclosed array"),
    ("04-keys.md", 1, "missing required key 'title'"),
    ("04-keys.md", 3, "duration must be a whole number, not 'ten'"),
    ("04-keys.md", 4, "unknown key 'durtion' (did you mean 'duration'?)"),
    ("04-keys.md", 5, "unknown experiment 'nonesuch' (known: fixture)"),
    ("04-keys.md", 6, "optional must be true or false, not 'no'"),
    ("05-params.md", 7, "unknown parameter 'momentum': the experiment has none"),
    ("05-params.md", 13, "params.lr: default 20: must be between 0.001 and 10"),
    ("05-params.md", 20, "params.layers: min (5) is greater than max (1)"),
    ("05-params.md", 24, "params.w1: kind must be one of int, float, choice, bool, not 'real'"),
    ("05-params.md", 29, "params.dataset: default 'spiral': must be one of: circle, xor"),
    ("05-params.md", 35, "params.noisy: unknown key 'lable' (did you mean 'label'?)"),
    ("05-params.md", 39, "presets.odd: unknown parameter 'speed'"),
    ("05-params.md", 42, "presets.bad_value: momentum = 'fast': not a number"),
    ("06-exercises.md", 13, "exercise a: kind must be one of numeric, choice, vector, goal"),
    ("06-exercises.md", 16, "exercise b: missing required key 'answer'"),
    ("06-exercises.md", 26, "exercise c: answer 2 is out of range (0 to 1"),
    ("06-exercises.md", 28, "exercise d: a goal needs a 'metric'"),
    ("06-exercises.md", 28, "exercise d: a goal needs a 'target'"),
    (
        "06-exercises.md",
        32,
        "exercise d: constraint on 'depth', which the experiment does not have",
    ),
    ("06-exercises.md", 41, "duplicate exercise id 'e' (also at line 35)"),
    ("08-dup-b.md", 3, "duplicate lesson id 'same' (also in 07-dup-a.md)"),
    ("09-empty.md", 7, "no text after the front matter"),
    ("09-number.md", 1, "lesson number 09 is also used by 09-empty.md"),
    ("badname.md", 1, "file name must look like NN-slug.md"),
]


def test_bad_folder_reports_every_error_with_its_line():
    errors = validate_dir(BAD, registry=REGISTRY)
    found = [(e.path.name, e.line, e.text) for e in errors]
    for name, line, part in EXPECTED_BAD:
        matches = [f for f in found if f[0] == name and f[1] == line and part in f[2]]
        assert matches, f"missing {name}:{line}: {part}\nfound:\n" + "\n".join(map(str, errors))
    assert len(errors) == len(EXPECTED_BAD), "\n".join(map(str, errors))


def test_error_string_is_file_line_message():
    errors = validate_dir(BAD, registry=REGISTRY)
    for error in errors:
        assert re.match(r"^.+\.md:\d+: \S", str(error)), str(error)
    assert str(LessonError(Path("a/01-x.md"), 3, "boom")) == "a/01-x.md:3: boom"


def test_load_course_raises_with_all_errors():
    with pytest.raises(LessonErrors) as info:
        load_course(BAD, registry=REGISTRY)
    assert len(info.value.errors) == len(EXPECTED_BAD)
    assert "01-no-front.md:1:" in str(info.value)


def test_ok_folder_has_no_errors():
    assert validate_dir(OK, registry=REGISTRY) == []


def test_missing_and_empty_folders(tmp_path):
    with pytest.raises(FileNotFoundError):
        validate_dir(tmp_path / "missing", registry=REGISTRY)
    (errors,) = [validate_dir(tmp_path, registry=REGISTRY)]
    assert len(errors) == 1 and "no lesson files" in errors[0].text
    assert str(errors[0]) == f"{tmp_path}: no lesson files (NN-slug.md) in this folder"


# ------------------------------------------------------------------ single cases


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ('[params.lr]\nkind = "int"\n', 7, "params.lr: kind is float in the experiment, not int"),
        ('[params.layers]\nkind = "int"\ndefault = 1.5\n', 8, "default 1.5: must be a whole"),
        (
            '[params.noisy]\nkind = "bool"\ndefault = "no"\n',
            8,
            "default 'no': must be yes or no",
        ),
        ('[params.lr]\nkind = "float"\ndefault = 0.1\nstep = -1\n', 9, "step must be positive"),
        (
            '[params.lr]\nkind = "float"\ndefault = 0.1\nmin = "a"\n',
            9,
            "params.lr.min must be a number",
        ),
        (
            '[params.noisy]\nkind = "bool"\ndefault = true\nmax = 3\n',
            9,
            "max is only for int and float",
        ),
        (
            '[params.dataset]\nkind = "choice"\ndefault = "a"\nchoices = []\n',
            9,
            "choices must be a non-empty list",
        ),
        (
            '[params.dataset]\nkind = "choice"\ndefault = "a"\n'
            'choices = ["a"]\nchoice_labels = ["A", "B"]\n',
            10,
            "choice_labels must be 1 strings",
        ),
        ("params = { lr = 3 }\n", 6, "params.lr must be a table"),
        (
            '[params]\nlr.kind = "float"\nlr.default = 20.0\nlr.max = 10.0\n',
            8,
            "default 20: must be between 0.0001 and 10",
        ),
        ("[presets.p]\nvalues = 3\n", 7, "values must be a table"),
        (
            '[params.lr]\nkind = "float"\ndefault = 0.1\n'
            '[presets.p]\nlabel = "P"\nvalues = { lr = 1 }\n'
            'colour = "red"\n',
            12,
            "unknown key 'colour'",
        ),
        (
            "[presets.p]\nvalues = { lr = 1 }\n",
            7,
            "presets.p: lr is not shown by this lesson",
        ),
        ("id2 = 3\n", 6, "unknown key 'id2'"),
        ('objectives = "learn"\n', 6, "objectives must be a list, not 'learn'"),
        ("objectives = [1, 2]\n", 6, "objectives must be a list of strings"),
        (
            '[[exercises]]\nid = "a"\nkind = "numeric"\nanswer = 1\n',
            6,
            "missing required key 'prompt'",
        ),
        (
            '[[exercises]]\nid = "a"\nkind = "numeric"\n'
            'prompt = "p"\nanswer = 1\nchoices = ["x"]\n',
            11,
            "'choices' is not used by numeric exercises",
        ),
        (
            '[[exercises]]\nid = "a"\nkind = "numeric"\n'
            'prompt = "p"\nanswer = 1\ntolerence = 0.1\n',
            11,
            "unknown key 'tolerence' (did you mean 'tolerance'?)",
        ),
        (
            '[[exercises]]\nid = "a"\nkind = "numeric"\nprompt = "p"\nanswer = 1\ntolerance = -1\n',
            11,
            "tolerance must not be negative",
        ),
        (
            '[[exercises]]\nid = "a"\nkind = "vector"\nprompt = "p"\nanswer = [[1, 2], [3]]\n',
            10,
            "equal-length rows",
        ),
        (
            '[[exercises]]\nid = "a"\nkind = "choice"\nprompt = "p"\nchoices = ["x"]\nanswer = 0\n',
            10,
            "at least two strings",
        ),
        (
            '[[exercises]]\nid = "a"\nkind = "goal"\nprompt = "p"\n'
            'metric = "m"\ntarget = 1\nop = "=>"\n',
            12,
            "op must be one of",
        ),
        (
            '[[exercises]]\nid = "a"\nkind = "goal"\nprompt = "p"\nmetric = "m"\ntarget = 1\n'
            'constraints = { layers = "<=two" }\n',
            12,
            "'two' is not a number",
        ),
    ],
)
def test_single_errors(tmp_path, front, line, message):
    errors = errors_of(write(tmp_path, front))
    assert [(e.line, message in e.text) for e in errors] == [(line, True)], "\n".join(
        map(str, errors)
    )


def test_id_must_be_a_slug(tmp_path):
    path = tmp_path / "01-t.md"
    path.write_text(HEADER.replace('id = "t"', 'id = "Big Id"') + "+++\nText\n")
    (error,) = errors_of(path)
    assert error.line == 2 and "lower-case letters" in error.text


def test_goal_constraint_plain_value_and_defaults(tmp_path):
    path = write(
        tmp_path,
        '[[exercises]]\nid = "g"\nkind = "goal"\nprompt = "p"\nmetric = "loss"\nop = "<"\n'
        'target = 0.1\nconstraints = { dataset = "xor", layers = 1 }\n',
    )
    (goal,) = load_lesson(path, registry=REGISTRY).exercises
    assert goal.op == "<" and goal.constraints == {"dataset": "xor", "layers": 1}


def test_unreadable_bytes_are_reported(tmp_path):
    path = tmp_path / "01-t.md"
    path.write_bytes(b"+++\n\xff\xfe\n+++\n")
    (error,) = errors_of(path)
    assert error.line == 2 and "not UTF-8 text: byte 0xff" in error.text


def test_leading_blank_lines_before_the_fence_are_allowed(tmp_path):
    path = tmp_path / "01-t.md"
    path.write_text("\n\n" + HEADER + "+++\nText\n")
    assert load_lesson(path, registry=REGISTRY).id == "t"


def test_find_lessons_dir_prefers_the_packaged_copy(tmp_path, monkeypatch):
    import importlib.resources

    from tui_workshop.course import loader

    (tmp_path / "lessons" / "pt-BR").mkdir(parents=True)
    (tmp_path / "lessons" / "pt-BR" / "01-a.md").write_text("x")
    monkeypatch.setattr(importlib.resources, "files", lambda package: tmp_path)
    assert find_lessons_dir("pt-BR") == tmp_path / "lessons" / "pt-BR"
    assert find_lessons_dir("en").name == "en"  # not packaged here: the repository's copy
    assert "pt-BR" in loader.available_languages()


def test_read_front_matter_gives_raw_toml_and_body(tmp_path):
    path = tmp_path / "01-x.md"
    path.write_text('+++\nid = "x"\nduration = 5\n+++\nIntro\n\n## Page\nText\n', encoding="utf-8")
    front, body = read_front_matter(path)
    assert front == {"id": "x", "duration": 5}
    assert body == "Intro\n\n## Page\nText\n"
    path.write_text("no fences here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing front matter"):
        read_front_matter(path)


# ------------------------------------------------------------------ narrowing the schema


def test_lesson_parameters_narrow_the_schema(tmp_path):
    path = write(
        tmp_path,
        "[params.lr]\nmin = 0.01\nmax = 1.0\nlabel = \"step size\"\n"
        '[params.dataset]\nchoices = ["xor", "circle"]\ndefault = "xor"\n'
        "[params.w1]\n",
    )
    lesson = load_lesson(path, registry=REGISTRY)
    lr = lesson.param("lr")
    # kind, default, log and live come from the schema; bounds and label from the lesson
    assert (lr.kind, lr.default, lr.min, lr.max, lr.log, lr.live) == (
        "float", 0.1, 0.01, 1.0, True, True
    )
    assert lr.label == "step size" and lr.name == "lr"
    dataset = lesson.param("dataset")
    assert dataset.choices == ("xor", "circle")
    assert [render(label) for label in dataset.choice_labels] == ["xor", "circle"]
    w1 = lesson.param("w1")
    assert (w1.default, w1.min, w1.max, w1.step, render(w1.label)) == (
        0.5, -5.0, 5.0, 0.5, "weight w1"
    )
    assert lesson.defaults() == {"lr": 0.1, "dataset": "xor", "w1": 0.5}
    assert lr.parse("0,5") == 0.5
    with pytest.raises(ValueError, match=r"must be between 0\.01 and 1"):
        lr.parse("2")


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ('[params.lr]\nmin = 0.00001\n', 7, "params.lr: min 0.00001 is below the experiment's"
         " minimum 0.0001"),
        ('[params.lr]\nmax = 1000\n', 7, "params.lr: max 1000 is above the experiment's"
         " maximum 100"),
        ('[params.layers]\nkind = "float"\n', 7, "kind is int in the experiment, not float"),
        ('[params.dataset]\nchoices = ["circle", "moons"]\n', 7,
         "params.dataset: unknown choice moons (the experiment knows: circle, xor, spiral)"),
        ('[params.layers]\nmin = 2\n', 6,
         "params.layers: the experiment's default 1 does not fit: must be between 2 and 8;"
         " give a default"),
        ('[params.layers]\nmin = 2\ndefault = 9\n', 8,
         "params.layers: default 9: must be between 2 and 8"),
        ('[params.layers]\nmin = 0.5\n', 7, "min must be a whole number for an int parameter"),
        ('[params.lr]\nmax = nan\n', 7, "params.lr.max must be a finite number, not nan"),
        ('[params.lr]\nstep = inf\n', 7, "params.lr.step must be a finite number, not inf"),
        ('[params.lr]\nmin = -inf\n', 7, "params.lr.min must be a finite number, not -inf"),
        ('[params.dataset]\nchoice_labels = ["A"]\n', 7, "choice_labels must be 3 strings"),
        ('[params.lr]\nmax = 1.0\n[presets.p]\nvalues = { lr = 5.0 }\n', 9,
         "presets.p: lr = 5: must be between 0.0001 and 1"),
        ('[params.dataset]\nchoices = ["circle", "xor"]\n[presets.p]\n'
         'values = { dataset = "spiral" }\n', 9,
         "presets.p: dataset = 'spiral': must be one of: circle, xor"),
        ('[params.noisy]\n[presets.p]\nvalues = { noisy = 1 }\n', 8,
         "presets.p: noisy = 1: must be yes or no"),
        ('[params.lr]\n[presets.p]\nvalues = { lr = 0.5, layers = 2 }\n', 8,
         "presets.p: layers is not shown by this lesson"),
        ('[params.momentum]\nkind = "float"\ndefault = 0.9\n', 6,
         "unknown parameter 'momentum': the experiment has none"),
        ('[params.layer]\nkind = "int"\ndefault = 1\n', 6, "(did you mean 'layers'?)"),
        ('[[exercises]]\nid = "a"\nkind = "numeric"\nprompt = "p"\nanswer = 1\n'
         "tolerance = nan\n", 11, "exercise a: tolerance must be a finite number, not nan"),
        ('[[exercises]]\nid = "a"\nkind = "numeric"\nprompt = "p"\nanswer = inf\n', 10,
         "exercise a: answer must be a finite number, not inf"),
        ('[[exercises]]\nid = "a"\nkind = "goal"\nprompt = "p"\nmetric = "m"\n'
         "target = nan\n", 11, "exercise a: target must be a finite number, not nan"),
        ('[[exercises]]\nid = "a"\nkind = "goal"\nprompt = "p"\nmetric = "m"\ntarget = 1\n'
         'constraints = { dataset = "moons" }\n', 12,
         "constraint dataset = 'moons': must be one of: circle, xor, spiral"),
        ('[[exercises]]\nid = "a"\nkind = "goal"\nprompt = "p"\nmetric = "m"\ntarget = 1\n'
         'constraints = { noisy = "<=2" }\n', 12, "<= compares numbers"),
    ],
)
def test_narrowing_errors(tmp_path, front, line, message):
    errors = errors_of(write(tmp_path, front))
    assert [(e.line, message in e.text) for e in errors] == [(line, True)], "\n".join(
        map(str, errors)
    )


def test_messages_are_keys_rendered_in_the_current_language(tmp_path):
    from tui_workshop.i18n import PSEUDO, Msg, set_language

    (error,) = errors_of(write(tmp_path, '[params.lr]\nmax = 1000\n'))
    assert isinstance(error.message, Msg)
    set_language(PSEUDO)
    try:
        shown = str(error)
    finally:
        set_language("en")
    assert shown.startswith(f"{tmp_path / '01-t.md'}:7: ")
    assert "experiment" not in shown and "⟦" in shown


def test_course_resolve_accepts_id_number_and_stem():
    course = load_course(OK, registry=REGISTRY)
    for key in ("second", "2", "02", "02-second", " 02 "):
        assert course.resolve(key).id == "second", key
    assert course.resolve("10").id == "extra"
    for key in ("", "3", "99", "nope", "01-second", "-1", "1e3"):
        assert course.resolve(key) is None, key


# ------------------------------------------------------------------ hostile files


def timed_errors(path: Path) -> list[LessonError]:
    """The errors of a lesson, which must be found within a second of CPU time
    (quadratic scans took minutes; CPU time is not stretched by a loaded machine)."""
    start = time.process_time()
    errors = errors_of(path)
    assert time.process_time() - start < 1.0
    return errors


def test_toml_nested_too_deeply_is_a_message(tmp_path):
    for value in ("[" * 500 + "]" * 500, "{ a = " * 500 + "1" + " }" * 500):
        (error,) = timed_errors(write(tmp_path, f"x = {value}\n"))
        assert (error.line, error.text) == (1, "invalid TOML: nested too deeply")


def test_many_unknown_keys_are_capped_and_fast(tmp_path):
    front = "".join(f"key_{n} = {n}\n" for n in range(20_000))
    errors = timed_errors(write(tmp_path, front))
    assert len(errors) == MAX_ERRORS + 1
    assert (errors[0].line, errors[0].text) == (6, "unknown key 'key_0'")
    assert errors[MAX_ERRORS - 1].line == 6 + MAX_ERRORS - 1
    assert errors[-1].text == (
        f"… and more problems: only the first {MAX_ERRORS} in this file are shown"
    )


@pytest.mark.parametrize(
    "front",
    [
        "".join(f'[params.p{n}]\nkind = "float"\n' for n in range(10_000)),  # 20,000 lines
        "[params]\n" + "".join(f'p{n} = {{ kind = "int", default = 1 }}\n' for n in range(20_000)),
        "[params.lr]\n" + "".join(f"k{n} = 1\n" for n in range(20_000)),
        "[params.lr]\n[presets.a]\nvalues = { "
        + ", ".join(f"v{n} = 1" for n in range(20_000)) + " }\n",
        '[[exercises]]\nid = "g"\nkind = "goal"\nprompt = "p"\nmetric = "m"\ntarget = 1\n'
        "constraints = { " + ", ".join(f"c{n} = 1" for n in range(20_000)) + " }\n",
    ],
    ids=["param tables", "inline params", "param keys", "preset values", "constraints"],
)
def test_unknown_names_by_the_thousand_anywhere_are_fast(tmp_path, front):
    errors = timed_errors(write(tmp_path, front))
    assert len(errors) == MAX_ERRORS + 1


def test_long_runs_of_spaces_are_not_quadratic(tmp_path):
    spaces = " " * 200_000
    for front in (
        f"[{spaces}x\n",  # a header that never closes
        f"[params.lr{spaces}]{spaces}x\n",
        f"a{spaces}b{spaces}= 1\n",
        f"{spaces}k = 1\n",
        f'notes = """{spaces}\n[x{spaces}\n"""\nfoo{spaces}= 1\n',
    ):
        errors = timed_errors(write(tmp_path, front))
        assert errors and all(error.line >= 1 for error in errors)


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "01-t.md"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "+++\nText\n").encode())
    assert load_lesson(path, registry=REGISTRY).id == "t"


def test_control_characters_in_file_names_are_printed_escaped(tmp_path):
    name = "01-\x1b[31mred\x07.md"
    (tmp_path / name).write_text("no front matter\n", encoding="utf-8")
    errors = validate_dir(tmp_path, registry=REGISTRY)
    shown = "\n".join(map(str, errors))
    assert "\x1b" not in shown and "\x07" not in shown
    assert "01-\\x1b[31mred\\x07.md:1: file name must look like NN-slug.md" in shown
    assert "01-\\x1b[31mred\\x07.md:1: missing front matter" in shown


def test_special_and_huge_files_are_refused_unread(tmp_path):
    (tmp_path / "01-zero.md").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "02-fifo.md")  # opening it for reading would block
    big = tmp_path / "03-big.md"
    big.write_bytes((HEADER + "+++\n").encode() + b"x" * (MAX_FILE_BYTES + 1))
    start = time.process_time()
    errors = validate_dir(tmp_path, registry=REGISTRY)
    assert time.process_time() - start < 1.0
    found = {(e.path.name, e.line): e.text for e in errors}
    assert found == {
        ("01-zero.md", 1): "not a regular file: a lesson must be a plain text file",
        ("02-fifo.md", 1): "not a regular file: a lesson must be a plain text file",
        ("03-big.md", 1): f"the file is too large ({big.stat().st_size} bytes;"
        f" at most {MAX_FILE_BYTES})",
    }


def test_a_page_over_the_cap_is_reported(tmp_path):
    body = "Intro.\n\n## Long\n" + ("word " * 20 + "\n") * (MAX_PAGE_CHARS // 100 + 10)
    (error,) = timed_errors(write(tmp_path, "", body))
    assert error.line == 9  # the '## Long' heading
    assert error.text.startswith("page 'Long' is too long (")


def test_undecodable_text_names_its_line(tmp_path):
    path = tmp_path / "01-t.md"
    path.write_bytes((HEADER + "+++\nText\n").encode() + b"caf\xe9\n")
    (error,) = errors_of(path)
    assert (error.line, error.text) == (
        8, "not UTF-8 text: byte 0xe9 cannot be read; save the file as UTF-8"
    )


def test_a_path_that_is_a_file_is_not_a_lessons_folder(tmp_path):
    path = tmp_path / "01-t.md"
    path.write_text("x")
    with pytest.raises(FileNotFoundError):
        validate_dir(path, registry=REGISTRY)


def _runs_as_nobody() -> bool:
    """Whether this interpreter can be run as the unprivileged user 'nobody'."""
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        return False
    probe = subprocess.run(
        ["runuser", "-u", "nobody", "--", sys.executable, "-c", "pass"],
        capture_output=True, timeout=30, check=False,
    )
    return probe.returncode == 0


def _check_unreadable(lessons: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    """`check` on a folder the user may not list: really (non-root, or as 'nobody'), or
    else simulated by a listing that fails as it would (root reads every folder)."""
    command = [sys.executable, "-m", "tui_workshop", "check", str(lessons)]
    if os.geteuid() != 0 or _runs_as_nobody():
        if os.geteuid() == 0:
            command = ["runuser", "-u", "nobody", "--", *command]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env=env, cwd="/", check=False
        )
        return result.returncode, result.stdout, result.stderr
    from tui_workshop import __main__ as cli

    real_listdir, real_iterdir = os.listdir, Path.iterdir

    def listdir(path="."):
        if Path(path) == lessons:
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    def iterdir(self):
        if self == lessons:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(Path, "iterdir", iterdir)
    monkeypatch.setattr(Path, "glob", lambda self, pattern: iter(()))
    status = cli.main(["check", str(lessons)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_unreadable_lessons_folder_is_one_message(capsys, monkeypatch):
    """One clear line, no traceback, a failing status."""
    root = Path(tempfile.mkdtemp(prefix="tui-unreadable-"))
    lessons = root / "en"
    try:
        os.chmod(root, 0o711)
        shutil.copytree(OK, lessons)
        os.chmod(lessons, 0o000)
        status, out, err = _check_unreadable(lessons, capsys, monkeypatch)
    finally:
        os.chmod(lessons, 0o755)
        shutil.rmtree(root)
    assert status == 1, err
    assert "Traceback" not in err, err
    lines = out.splitlines()
    assert lines[0] == f"{lessons}: cannot read the lessons folder: Permission denied"
    assert len([line for line in lines if "Permission denied" in line]) == 1


def test_load_course_on_an_unreadable_folder_raises_one_error(monkeypatch, tmp_path):
    real_listdir = os.listdir

    def listdir(path="."):
        if Path(path) == tmp_path:
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    with pytest.raises(LessonErrors) as info:
        load_course(tmp_path, registry=REGISTRY)
    (error,) = info.value.errors
    assert str(error) == f"{tmp_path}: cannot read the lessons folder: Permission denied"


def test_line_finder_ignores_text_inside_strings_and_arrays(tmp_path):
    front = (
        'notes = """\n[params.lr]\nkind = 3\n"""\n'
        '[[exercises]]\nid = "a"\nkind = "numeric"\nprompt = "p"\nhints = [\n'
        '  "answer = 2",\n]\nanswer = "x"\n'
    )
    (error,) = errors_of(write(tmp_path, front))
    assert error.line == 17 and "answer must be a number" in error.text


def test_speaker_notes_are_kept_out_of_the_page_and_misplaced_ones_reported(tmp_path):
    from tui_workshop.course.loader import notes_problems, split_pages

    body = (
        "Intro text.\n\n::: notes\nAsk the room.\n:::\n\n## Second\nMore.\n"
        "```\n::: notes\n```\n::: notes\nTwo minutes.\n:::\n"
    )
    first, second = split_pages(body, "T")
    assert first.text == "Intro text." and first.notes == "Ask the room."
    assert "Two minutes" not in second.text and second.notes == "Two minutes."
    assert "::: notes" in second.text  # inside a code fence it is text
    assert notes_problems(body) == []
    stray = notes_problems("::: notes\nx\n:::\nText.\n", 10)
    assert [line for line, _ in stray] == [10]
    unclosed = notes_problems("Text.\n::: notes\nx\n", 1)
    assert [line for line, _ in unclosed] == [2]
    # A ``` inside a ~~~ block does not close it: pages and checks agree the notes are code.
    nested = "Text.\n~~~\n```\n::: notes\n~~~\n"
    (page,) = split_pages(nested, "T")
    assert "::: notes" in page.text and page.notes == ""
    assert notes_problems(nested) == []


def test_part_and_extra_exercises(tmp_path):
    import shutil

    from tui_workshop.course.loader import find_lessons_dir, load_course

    folder = tmp_path / "en"
    shutil.copytree(find_lessons_dir("en"), folder)
    lesson = folder / "03-neuron.md"
    text = lesson.read_text(encoding="utf-8")
    core_before = len(load_course(folder).by_id("neuron").core_exercises)
    text = re.sub(r"(?m)^part = \d\n", "", text)  # the shipped lesson may declare its part
    text = text.replace('experiment = "neuron"', 'experiment = "neuron"\npart = 2', 1)
    text = text.replace('id = "z"\nkind = "numeric"', 'id = "z"\nkind = "numeric"\nextra = true', 1)
    lesson.write_text(text, encoding="utf-8")
    neuron = load_course(folder).by_id("neuron")
    assert neuron.part == 2
    assert len(neuron.core_exercises) == core_before - 1
    lesson.write_text(text.replace("part = 2", "part = 7"), encoding="utf-8")
    errors = validate_dir(folder)
    assert any("part must be 1" in str(e) for e in errors)


# ------------------------------------------------------------------ course.toml: the plan

PLAN = """\
minutes = 40

[[parts]]
number = 1
title = "Theory"

[[parts]]
number = 2
title = "Practice"

[break]
title = "Break"
minutes = 5
after_part = 1

[discussion]
title = "Talk"
minutes = 10
after_part = 2
"""


def _plan_folder(tmp_path: Path, plan: str, part: int = 1, duration: int = 5) -> Path:
    write(tmp_path, f"part = {part}\n")
    text = (tmp_path / "01-t.md").read_text(encoding="utf-8")
    (tmp_path / "01-t.md").write_text(
        text.replace("duration = 5", f"duration = {duration}"), encoding="utf-8"
    )
    (tmp_path / "course.toml").write_text(plan, encoding="utf-8")
    return tmp_path


def test_course_toml_gives_the_plan(tmp_path):
    course = load_course(_plan_folder(tmp_path, PLAN, part=2), registry=REGISTRY)
    plan = course.schedule
    assert plan.minutes == 40
    assert [(p.number, p.title) for p in plan.parts] == [(1, "Theory"), (2, "Practice")]
    assert (plan.pause.title, plan.pause.minutes, plan.pause.after_part) == ("Break", 5, 1)
    assert plan.sessions_after(2) == (plan.discussion,)
    assert plan.extra_minutes == 15
    assert course.planned_duration == 20
    assert [lesson.id for lesson in course.lessons_of_part(2)] == ["t"]


def test_a_folder_without_course_toml_has_no_plan(tmp_path):
    write(tmp_path, "")
    course = load_course(tmp_path, registry=REGISTRY)
    assert course.schedule.parts == () and course.schedule.minutes == 0
    assert course.planned_duration == course.core_duration


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("minutes = 40", "minutes = 0", 1, "minutes must be a whole number above 0"),
        ("number = 2", "number = 4", 8,
         "part must be 1 (theory), 2 (guided practice) or 3 (exercises and limits), not '4'"),
        ("number = 2", "number = 1", 8, "part 1 is declared twice"),
        ('title = "Practice"', 'title = ""', 9, "a part needs a title"),
        ("after_part = 1", "after_part = 3", 14,
         "after_part must name a declared part (1, 2), not '3'"),
        ("[discussion]\n", "[discussion]\nlength = 3\n", 17,
         "unknown key 'length'"),
        ("minutes = 40", "minutes = 40\nminuts = 3", 2,
         "unknown key 'minuts' (did you mean 'minutes'?)"),
        ("minutes = 40", "minutes = 24", 1,
         "the plan takes 25 minutes (core lessons 10, break and discussion 15), more than"
         " the 24 the workshop has"),
        ("[break]", "[break", 11, "invalid TOML"),
    ],
)
def test_course_toml_errors_name_file_and_line(tmp_path, old, new, line, message):
    folder = _plan_folder(tmp_path, PLAN.replace(old, new, 1), duration=10)
    errors = validate_dir(folder, registry=REGISTRY)
    assert errors, "no error reported"
    assert errors[0].path == folder / "course.toml"
    assert errors[0].line == line
    assert errors[0].text.startswith(message)
    with pytest.raises(LessonErrors):
        load_course(folder, registry=REGISTRY)


def test_a_lesson_in_an_undeclared_part_is_reported(tmp_path):
    folder = _plan_folder(tmp_path, PLAN, part=3)
    (error,) = validate_dir(folder, registry=REGISTRY)
    assert str(error) == f"{folder / '01-t.md'}:1: part 3 is not declared in course.toml"
