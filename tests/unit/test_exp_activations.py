"""The activations experiment: values, derivatives, saturation and softmax."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.experiment_checks import english_words, frame_texts, language, lesson_problems
from tui_workshop.experiments import Bars, LinePlot, ParameterError, TextPanel, create
from tui_workshop.experiments.activations import Activations
from tui_workshop.i18n import render
from tui_workshop.nn import activations as act

FUNCTIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "softplus"]


def panel(frame, kind):
    return next(p for p in frame.panels if isinstance(p, kind))


def text_of(frame) -> str:
    return render(panel(frame, TextPanel).text)


def numpy_reference(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Textbook formulas, independent of the engine."""
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s, s * (1 - s)
    if name == "tanh":
        t = np.tanh(z)
        return t, 1 - t**2
    if name == "relu":
        return np.maximum(z, 0), (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z), np.where(z > 0, 1.0, 0.01)
    return np.log1p(np.exp(z)), 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("z", [-4.5, -0.3, 0.5, 2.0])
def test_values_and_curves_match_numpy(name, z):
    frame = create("activations", {"function": name, "z": z}).frame()
    f, df = numpy_reference(name, np.array(z))
    assert frame.metrics["f"] == pytest.approx(float(f), abs=1e-12)
    assert frame.metrics["df"] == pytest.approx(float(df), abs=1e-12)
    plot = panel(frame, LinePlot)
    curve, deriv = plot.series[0], plot.series[1]
    assert curve.x[0] == -6.0 and curve.x[-1] == 6.0
    ref_f, ref_df = numpy_reference(name, np.asarray(curve.x))
    np.testing.assert_allclose(curve.y, ref_f, atol=1e-12)
    np.testing.assert_allclose(deriv.y, ref_df, atol=1e-12)
    points = [s for s in plot.series if s.style == "points"]
    assert points[0].x[0] == z and points[0].y[0] == pytest.approx(float(f))
    assert f"{float(f):.4f}".replace("-", "−") in text_of(frame)


def test_sigmoid_text_shows_the_derivative_formula_with_numbers():
    text = text_of(create("activations", {"function": "sigmoid", "z": 0.5}).frame())
    assert "σ(0.50) = 0.6225" in text
    assert "σ′ = σ(1−σ) = 0.6225·0.3775\nσ′(0.50) = 0.2350" in text


@pytest.mark.parametrize("name", [*FUNCTIONS, "softmax"])
@pytest.mark.parametrize("z", [-6.0, 0.5])
def test_text_lines_fit_half_of_an_80_column_pane(name, z):
    frame = create("activations", {"function": name, "z": z, "z1": z}).frame()
    text = text_of(frame)
    assert max(len(line) for line in text.splitlines()) <= 36


def test_derivative_curve_can_be_hidden():
    plot = panel(create("activations", {"derivative": False}).frame(), LinePlot)
    assert len([s for s in plot.series if s.style == "line"]) == 1


@pytest.mark.parametrize(
    "name, z, saturated",
    [("sigmoid", 6.0, True), ("sigmoid", -5.0, True), ("sigmoid", 4.0, False),
     ("tanh", 3.5, True), ("tanh", 2.0, False), ("relu", -1.0, True), ("relu", 1.0, False),
     ("leaky_relu", -3.0, False), ("softplus", -5.0, True)],
)  # fmt: skip
def test_saturation_is_flagged_when_the_derivative_is_below_001(name, z, saturated):
    frame = create("activations", {"function": name, "z": z}).frame()
    text = text_of(frame)
    assert (frame.metrics["df"] < 0.01) is saturated
    assert ("saturated: the gradient vanishes" in text) is saturated
    assert (frame.level == "warning") is saturated


def softmax_frame(**params):
    return create("activations", {"function": "softmax", **params}).frame()


def test_softmax_bars_sum_to_one_and_match_numpy():
    frame = softmax_frame(z1=2.0, z2=1.0, z3=0.1)
    bars = panel(frame, Bars)
    z = np.array([2.0, 1.0, 0.1])
    expected = np.exp(z) / np.exp(z).sum()
    np.testing.assert_allclose(bars.values, expected, atol=1e-12)
    assert sum(bars.values) == pytest.approx(1.0)
    assert bars.vmax == 1.0
    assert render(bars.labels[0]) == "p₁ = 0.659"
    text = text_of(frame)
    assert "e^(z/T) = (7.389, 2.718, 1.105)" in text and "sum = 11.213" in text
    assert "p = (0.659, 0.242, 0.099), Σ = 1" in text


def test_softmax_temperature_sharpens_and_flattens():
    logits = {"z1": 1.0, "z2": 0.5, "z3": -0.5}
    maxima = [softmax_frame(temperature=t, **logits).metrics["max_p"] for t in (0.2, 1.0, 5.0)]
    assert maxima[0] > maxima[1] > maxima[2] > 1 / 3
    cold = softmax_frame(temperature=0.1, **logits).metrics
    hot = softmax_frame(temperature=100.0, **logits).metrics
    assert cold["p1"] > 0.99
    assert max(abs(hot[k] - 1 / 3) for k in ("p1", "p2", "p3")) < 0.01
    for t in (0.1, 1.0, 100.0):
        m = softmax_frame(temperature=t, **logits).metrics
        assert m["p1"] + m["p2"] + m["p3"] == pytest.approx(1.0)


def test_softmax_is_stable_for_huge_logits():
    frame = softmax_frame(z1=800.0, z2=1.0, z3=0.0, temperature=0.5)
    assert frame.metrics["p1"] == pytest.approx(1.0)
    assert "e^(z/T − max)" in text_of(frame)


def test_softmax_curve_is_p1_against_z1():
    frame = softmax_frame(z1=0.5, z2=1.0, z3=-1.0, temperature=2.0)
    plot = panel(frame, LinePlot)
    xs = np.asarray(plot.series[0].x)
    grid = np.column_stack([xs, np.full_like(xs, 1.0), np.full_like(xs, -1.0)]) / 2.0
    np.testing.assert_allclose(plot.series[0].y, act.softmax(grid)[:, 0], atol=1e-12)
    point = next(s for s in plot.series if s.style == "points")
    assert point.y[0] == pytest.approx(frame.metrics["p1"])


@pytest.mark.parametrize("bad", [{"function": "swish"}, {"temperature": 0.0}])
def test_bad_parameters_are_rejected(bad):
    with pytest.raises(ParameterError):
        create("activations", bad)


@pytest.mark.parametrize("bad", [{"z1": 1e9}, {"temperature": 1e6}, {"z": "big"}])
def test_values_out_of_the_schema_are_rejected_with_a_message(bad):
    with pytest.raises(ParameterError) as error:
        create("activations", bad)
    assert render(error.value.message)


def test_schema_contains_the_shipped_lesson():
    assert lesson_problems(Activations.SCHEMA, "04-activations.md") == []


def test_live_parameters_are_the_plotting_ones():
    assert Activations.live_params == set(Activations.SCHEMA)


FORMULA_WORDS = {"tanh", "relu", "leaky", "softplus", "softmax", "max", "log", "sigmoid"}


@pytest.mark.parametrize("name", [*FUNCTIONS, "softmax"])
@pytest.mark.parametrize("z", [-6.0, 0.5, 3.0])
def test_every_text_is_translated_in_the_pseudo_locale(name, z):
    with language():
        params = {"function": name, "z": z, "z1": z, "temperature": 0.5 if z > 0 else 2.0}
        texts = frame_texts(create("activations", params).frame())
    assert english_words(texts, FORMULA_WORDS) == []
    assert any("⟦" in t for t in texts)
