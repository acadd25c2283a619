"""The static experiment catalogue matches the classes, and keeps start-up light."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tui_workshop.experiments import REGISTRY, catalogue, create, load_all
from tui_workshop.experiments.catalogue import CATALOGUE


def test_catalogue_matches_every_experiment_class():
    load_all()
    ours = {
        name: cls
        for name, cls in REGISTRY.items()
        if cls.__module__.startswith("tui_workshop.experiments.")
    }
    assert set(CATALOGUE) == set(ours)
    for name, cls in ours.items():
        module, params = CATALOGUE[name]
        assert cls.__module__ == f"tui_workshop.experiments.{module}", name
        assert params == tuple(cls.defaults), name


def test_catalogue_view_lists_parameters_and_create_builds():
    view = catalogue()
    assert set(CATALOGUE) <= set(view)
    assert set(view["neuron"].defaults) == set(CATALOGUE["neuron"][1])
    assert create("welcome").frame().panels


def test_course_and_interface_load_without_numpy():
    code = textwrap.dedent(
        """
        import sys
        from tui_workshop.course.loader import find_lessons_dir, load_course
        course = load_course(find_lessons_dir("en"))
        assert len(course.lessons) > 10
        import tui_workshop.ui.app
        print("numpy" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False", result.stdout + result.stderr
