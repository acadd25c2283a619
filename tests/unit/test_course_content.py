"""The shipped course as a whole: valid, complete, and within the workshop's time."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_workshop.course.loader import find_lessons_dir, load_course, validate_dir
from tui_workshop.experiments import REGISTRY, create, load_all

LESSONS_ROOT = Path(__file__).resolve().parents[2] / "lessons"
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


def test_the_curriculum_topics_are_all_there(course):
    experiments = {lesson.experiment for lesson in course.lessons}
    wanted = {
        "welcome", "linear_algebra", "neuron", "activations", "losses", "gradient_descent",
        "backprop", "playground", "metrics_lab", "overfitting", "hyperparameter_search",
        "optimizer_race", "convolution", "cnn_digits", "recurrence", "rnn_series", "limits",
        "summary",
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
