"""Helpers shared by experiments (_common): numbers, formulas, hints, point labels, boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.experiment_checks import language
from tui_workshop.experiments._common import (
    OPTIMIZER_LABELS,
    boundary_heatmap,
    class_points,
    formula,
    num,
    param_num,
    percent,
    start_hint,
    term,
    vec,
    wrap_sum,
)
from tui_workshop.i18n import Num, msg, render


def test_wrap_sum_measures_rendered_texts_and_keeps_them_texts():
    terms = [Num(0.5), msg("ten {x}", x=Num(1.25)), "abcdef"]
    out = wrap_sum("s = ", terms, "9", width=16)
    assert [render(line) for line in out] == ["s = 0.50", "  + ten 1.25", "  + abcdef = 9"]
    with language("pt-BR"):
        assert render(out[0]) == "s = 0,50"


def test_wrap_sum_puts_a_result_that_does_not_fit_on_its_own_line():
    out = wrap_sum("  = ", ["1.00", "2.00"], "3.00", width=12)
    assert [render(line) for line in out] == ["  = 1.00", "  + 2.00", "  = 3.00"]
    assert [render(line) for line in wrap_sum("y = ", ["1", "2"], "3")] == ["y = 1 + 2 = 3"]


def test_numbers_follow_the_language():
    values = [num(-0.3), param_num(0.125), term(-1.5), vec([1.0, -0.25]), percent(0.953)]
    assert [render(v) for v in values] == ["−0.30", "0.125", "(−1.50)", "(1.00, −0.25)", "95%"]
    with language("pt-BR"):
        assert [render(v) for v in values[:3]] == ["−0,30", "0,125", "(−1,50)"]


def test_formula_fills_values_into_notation_that_is_not_translated():
    text = formula("σ({z}) = {a}", z=num(0.5), a=num(0.6225, 4))
    assert render(text) == "σ(0.50) = 0.6225"
    with language():
        assert render(text) == "σ(0,50) = 0,6225"
    assert render(formula("{{x}} = {v}", v=vec([1, 2]))) == "{x} = (1.00, 2.00)"
    with pytest.raises(ValueError):
        formula("{missing}")
    with pytest.raises(ValueError):
        formula("{v:.2f}", v=1.0)


@pytest.mark.parametrize(
    "unit, verb, english",
    [
        ("epoch", "train", "Press F5 to train, F6 for one epoch."),
        (msg("update"), msg("start the race"), "Press F5 to start the race, F6 for one update."),
        ("epoch", "start the race", "Press F5 to start the race, F6 for one epoch."),
        (msg("batch"), msg("go"), "Press F5 to go, F6 for one batch."),
    ],
)
def test_start_hint(unit, verb, english):
    assert render(start_hint(unit, verb)) == english
    with language():
        assert "Press" not in render(start_hint(unit, verb))


def test_start_hint_defaults_and_usual_pairs_are_whole_sentences():
    assert start_hint().msgid == "Press F5 to train, F6 for one epoch."
    assert not start_hint().args
    assert start_hint(msg("update"), "start the race").msgid.startswith("Press F5 to start")


def test_class_points_are_labelled_per_class():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    y = np.array([1, 0, 1])
    labels = {
        prefix_name: [render(s.label) for s in class_points(X, y, prefix)]
        for prefix_name, prefix in [
            ("default", "class"), ("train", "train"), ("msg train", msg("train")),
            ("template", msg("sample {index}")), ("other", msg("point")),
        ]
    }  # fmt: skip
    assert labels == {
        "default": ["class 0", "class 1"],
        "train": ["train 0", "train 1"],
        "msg train": ["train 0", "train 1"],
        "template": ["sample 0", "sample 1"],
        "other": ["point 0", "point 1"],
    }
    points = class_points(X, y)
    assert [s.role for s in points] == [0, 1]
    np.testing.assert_array_equal(points[1].x, [0.0, 2.0])
    with language():
        assert render(points[0].label).startswith("⟦")


class _Plane:
    """A model whose output is x1 > 0, for the boundary heatmap."""

    def forward(self, X):
        return (np.asarray(X)[:, :1] > 0).astype(float)


def test_boundary_heatmap_title_and_labels():
    X = np.array([[-1.0, -1.0], [1.0, 1.0]])
    y = np.array([0, 1])
    heat = boundary_heatmap(_Plane(), X, y, 8, 6)
    assert render(heat.title) == "Decision boundary" and heat.z.shape == (6, 8)
    assert [render(p.label) for p in heat.points] == ["class 0", "class 1"]
    custom = boundary_heatmap(_Plane(), X, y, 8, 6, title=msg("Output over the plane"),
                              prefix="train")  # fmt: skip
    assert render(custom.title) == "Output over the plane"
    assert render(custom.points[0].label) == "train 0"


def test_optimizer_labels():
    assert {k: render(v) for k, v in OPTIMIZER_LABELS.items()} == {
        "sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam",
    }  # fmt: skip
    with language():
        assert render(OPTIMIZER_LABELS["momentum"]) != "Momentum"
