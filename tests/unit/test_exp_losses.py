"""The losses experiment: squared error and cross-entropy of one prediction."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.experiment_checks import english_words, frame_texts, language, lesson_problems
from tui_workshop.experiments import Bars, LinePlot, ParameterError, TextPanel, create
from tui_workshop.experiments.losses import Losses
from tui_workshop.i18n import render
from tui_workshop.nn import losses


def panel(frame, kind):
    return next(p for p in frame.panels if isinstance(p, kind))


def text_of(frame) -> str:
    return render(panel(frame, TextPanel).text)


@pytest.mark.parametrize("p", [0.001, 0.2, 0.5, 0.8, 0.999])
@pytest.mark.parametrize("y", [0, 1])
def test_metrics_equal_formulas_and_engine(p, y):
    m = create("losses", {"p": p, "y": y}).frame().metrics
    ce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert m["cross_entropy"] == pytest.approx(ce, rel=1e-12)
    assert m["cross_entropy"] == pytest.approx(losses.binary_cross_entropy([y], p=[p]), rel=1e-9)
    assert m["mse"] == pytest.approx((p - y) ** 2, rel=1e-12)
    assert m["dce_dz"] == pytest.approx(p - y)
    assert m["dmse_dp"] == pytest.approx(2 * (p - y))
    assert m["likelihood"] == pytest.approx(p if y == 1 else 1 - p)


@pytest.mark.parametrize("y", [0, 1])
def test_gradients_agree_with_finite_differences(y):
    """dL/dp and dL/dz (p = σ(z)) against central differences of the engine's losses."""
    p, eps = 0.3, 1e-6
    m = create("losses", {"p": p, "y": y}).frame().metrics
    ce = lambda q: losses.binary_cross_entropy([y], p=[q])  # noqa: E731
    se = lambda q: losses.mse([y], [q])  # noqa: E731
    assert m["dce_dp"] == pytest.approx((ce(p + eps) - ce(p - eps)) / (2 * eps), rel=1e-6)
    assert m["dmse_dp"] == pytest.approx((se(p + eps) - se(p - eps)) / (2 * eps), rel=1e-6)
    z = np.log(p / (1 - p))
    logit_grad = losses.binary_cross_entropy_grad([y], np.array([[z]]))
    assert m["dce_dz"] == pytest.approx(float(logit_grad.ravel()[0]))
    sig = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    dz = (se(sig(z + eps)) - se(sig(z - eps))) / (2 * eps)
    assert m["dmse_dz"] == pytest.approx(dz, rel=1e-6)


def test_text_shows_negative_log_likelihood():
    text = text_of(create("losses", {"p": 0.8, "y": 1}).frame())
    assert "−log(0.80) = 0.2231" in text
    assert "P(truth) = p = 0.80" in text
    assert "dL/dz = p − y = −0.2000" in text
    assert "(−0.20)² = 0.0400" in text
    text0 = text_of(create("losses", {"p": 0.8, "y": 0}).frame())
    assert "P(truth) = 1 − p = 0.20" in text0
    assert "−log(0.20) = 1.6094" in text0


@pytest.mark.parametrize("p, y", [(0.001, 1), (0.8, 1), (0.999, 0), (0.123, 0)])
def test_text_lines_fit_half_of_an_80_column_pane(p, y):
    text = text_of(create("losses", {"p": p, "y": y}).frame())
    assert max(len(line) for line in text.splitlines()) <= 36


@pytest.mark.parametrize("choice, lines", [("mse", 1), ("cross_entropy", 1), ("both", 2)])
def test_plot_shows_the_chosen_curves_with_the_current_point(choice, lines):
    frame = create("losses", {"p": 0.3, "y": 1, "loss": choice}).frame()
    plot = panel(frame, LinePlot)
    curves = [s for s in plot.series if s.style == "line"]
    points = [s for s in plot.series if s.style == "points"]
    assert len(curves) == lines and len(points) == lines
    for curve in curves:
        xs = np.asarray(curve.x)
        ref = -np.log(xs) if render(curve.label) == "cross-entropy" else (xs - 1) ** 2
        np.testing.assert_allclose(curve.y, ref, rtol=1e-12)
    assert all(pt.x[0] == 0.3 for pt in points)
    text = text_of(frame)
    assert ("cross-entropy" in text) is (choice != "mse")
    assert ("squared error" in text) is (choice != "cross_entropy")


def test_bars_show_both_probabilities_and_a_wrong_answer_is_flagged():
    frame = create("losses", {"p": 0.3, "y": 1}).frame()
    bars = panel(frame, Bars)
    assert bars.values == pytest.approx((0.7, 0.3))
    assert sum(bars.values) == pytest.approx(1.0)
    assert render(frame.message) == "A wrong answer: the loss grows fast as p moves away from y."
    assert [render(label) for label in bars.labels] == ["P(y=0) = 0.70", "P(y=1) = 0.30"]
    assert create("losses", {"p": 0.9, "y": 1}).frame().message is None


def test_confident_wrong_answers_cost_more_with_cross_entropy():
    m = create("losses", {"p": 0.01, "y": 1}).frame().metrics
    assert m["cross_entropy"] > 4.5 > 1 > m["mse"]
    # and the squared error's gradient through the sigmoid nearly vanishes
    assert abs(m["dmse_dz"]) < 0.02 < abs(m["dce_dz"])


@pytest.mark.parametrize("bad", [{"p": 0.0}, {"p": 1.0}, {"y": 2}, {"loss": "hinge"}])
def test_bad_parameters_are_rejected(bad):
    with pytest.raises(ParameterError):
        create("losses", bad)


def test_schema_contains_the_shipped_lesson():
    assert lesson_problems(Losses.SCHEMA, "05-losses.md") == []
    assert Losses.live_params == {"p", "y", "loss"}


@pytest.mark.parametrize("p, y", [(0.3, 1), (0.8, 0), (0.999, 1)])
@pytest.mark.parametrize("choice", ["mse", "cross_entropy", "both"])
def test_every_text_is_translated_in_the_pseudo_locale(p, y, choice):
    with language():
        texts = frame_texts(create("losses", {"p": p, "y": y, "loss": choice}).frame())
    assert english_words(texts, {"log"}) == []
    assert "⟦" in texts[0]  # the status
