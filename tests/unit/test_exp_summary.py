"""The formula sheet: every section builds, quotes the engine's numbers and is translatable."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.experiment_checks import english_words, frame_texts, language, lesson_problems
from tui_workshop.experiments import ParameterError, Table, TextPanel, create
from tui_workshop.experiments.specs import summary as spec
from tui_workshop.experiments.summary import SECTIONS, Summary, short
from tui_workshop.i18n import render
from tui_workshop.nn import activations, optim, rnn


def sheet(section: str) -> str:
    frame = create("summary", {"section": section}).frame()
    return render(next(p for p in frame.panels if isinstance(p, TextPanel)).text)


def test_sections_are_the_schema_choices():
    assert tuple(SECTIONS) == spec.SECTIONS == Summary.SCHEMA["section"].choices


@pytest.mark.parametrize("section", spec.SECTIONS)
def test_every_section_builds_with_formulas_and_examples(section):
    frame = create("summary", {"section": section}).frame()
    assert frame.done and frame.metrics["formulas"] >= 4
    index = spec.SECTIONS.index(section) + 1
    title = render(SECTIONS[section][0])
    assert render(frame.status) == f"{title} ({index}/10) · formula sheet"
    assert render(frame.panels[0].title) == title
    lines = sheet(section).splitlines()
    assert sum(line.startswith("  ") for line in lines) == len(lines) - frame.metrics["formulas"]


def test_examples_quote_the_engine():
    sigmoid = float(activations.get("sigmoid").f(np.array([2.0]))[0])
    assert f"σ(0) = 0.50, σ(2) = {sigmoid:.2f}" in sheet("activations")
    assert "x = 1.5, η = 0.1: 1.5 − 0.1·3 = 1.20" in sheet("gradient_descent")
    assert "n = 200, B = 10: 20 steps per epoch" in sheet("gradient_descent")
    grad = rnn.scalar_gradient(0.5, 1.0, [1.0] + [0.0] * 9)[-1]
    assert grad == pytest.approx(3.4e-4, rel=0.02)  # 0.5¹⁰ times the tanh′ factors
    assert "w = 0.5, 10 steps: 3.4e−4 (vanishes)" in sheet("rnn")
    assert "(1, 2)·(0.5, −1) = −1.5" in sheet("linear_algebra")


def test_optimiser_table_is_one_step_of_each_optimiser():
    frame = create("summary", {"section": "optimisers"}).frame()
    table = next(p for p in frame.panels if isinstance(p, Table))
    assert render(table.title) == "One step from w = 1, g = 0.5, η = 0.1"
    rows = {render(name): float(render(value)) for name, value in table.rows}
    for key, label in (("sgd", "SGD"), ("momentum", "Momentum"), ("adam", "Adam")):
        w = np.array([1.0])
        optim.make(key, [w], 0.1).step([np.array([0.5])])
        assert rows[label] == pytest.approx(w[0], abs=5e-4)
    assert rows["SGD"] == pytest.approx(0.95)


def test_confusion_table_of_the_metrics_section():
    table = create("summary", {"section": "metrics"}).frame().panels[1]
    cells = [[render(c) for c in row] for row in table.rows]
    assert cells == [["actual 1", "TP 2", "FN 1"], ["actual 0", "FP 1", "TN 4"]]


def test_short_numbers_as_written_by_hand():
    assert [render(short(v)) for v in (1.0, -0.5, 0.025, 0.95)] == ["1", "−0.5", "0.025", "0.95"]
    assert render(short(np.array([1.0, -2.0]))) == "(1, −2)"
    with language("pt-BR"):
        assert render(short(0.25)) == "0,25"


def test_schema_contains_the_shipped_lesson_and_rejects_unknown_sections():
    assert lesson_problems(Summary.SCHEMA, "19-summary.md") == []
    with pytest.raises(ParameterError):
        create("summary", {"section": "calculus"})


# names of methods and symbols kept as written in formulas
FORMULA_WORDS = {"tanh", "ReLU", "softmax", "max", "log", "MSE", "BCE", "SGD", "RMSProp",
                 "Adam", "res", "tot"}  # fmt: skip


@pytest.mark.parametrize("section", spec.SECTIONS)
def test_every_text_is_translated_in_the_pseudo_locale(section):
    with language():
        texts = frame_texts(create("summary", {"section": section}).frame())
    assert english_words(texts, FORMULA_WORDS) == []
