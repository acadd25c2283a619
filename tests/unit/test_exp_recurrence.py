"""The one-neuron recurrence: traces and gradients agree with nn.rnn and the chain rule."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.unit.experiment_checks import english_words, frame_texts, language, lesson_problems
from tui_workshop.experiments import LinePlot, ParameterError, TextPanel, create
from tui_workshop.experiments.recurrence import Recurrence, make_input, sig
from tui_workshop.i18n import render
from tui_workshop.nn import rnn


def frame(**params):
    return create("recurrence", params).frame()


def text(f, index: int) -> str:
    return render(f.panels[index].text)


def test_frame_panels_and_metrics():
    f = frame()
    text, h_plot, chain, g_plot = f.panels
    assert isinstance(text, TextPanel) and isinstance(h_plot, LinePlot)
    assert isinstance(chain, TextPanel) and render(chain.title) == "Chain rule"
    assert isinstance(g_plot, LinePlot) and g_plot.logy and not h_plot.logy
    assert set(f.metrics) == {"grad_T", "grad_abs", "grad_clipped", "h_T", "w", "T"}
    assert [render(s.label) for s in g_plot.series] == ["|∂hₜ/∂h₀|", "|w|ᵗ"]
    assert len(h_plot.series[0].x) == 21 and f.done
    for panel in (text, chain):
        panel_lines = render(panel.text).splitlines()
        assert max(len(line) for line in panel_lines) <= 44
        # no leading spaces: the text panel does not keep them
        assert not any(line.startswith(" ") for line in panel_lines)


@pytest.mark.parametrize("w", [0.5, 0.9, -0.8, 1.5, 2.0])
@pytest.mark.parametrize("kind", ["zero", "pulse", "step", "sine"])
def test_linear_gradient_is_w_to_the_T(w, kind):
    f = frame(w=w, activation="linear", input=kind, T=12)
    assert f.metrics["grad_T"] == pytest.approx(w**12, rel=1e-12)
    g = f.panels[3].series[0]
    np.testing.assert_allclose(g.y, np.abs(w) ** np.arange(13), rtol=1e-12)


def test_linear_trace_follows_the_recurrence():
    f = frame(w=0.5, u=1.0, b=0.0, h0=0.0, input="pulse", activation="linear", T=3)
    np.testing.assert_allclose(f.panels[1].series[0].y, [0.0, 1.0, 0.5, 0.25])
    assert f.metrics["h_T"] == 0.25


def test_tanh_trace_and_gradient_come_from_the_engine():
    params = {"w": 0.9, "u": 0.5, "b": -0.1, "h0": 0.3, "input": "sine", "T": 8}
    f = frame(**params)
    x = make_input("sine", 8)
    h = rnn.scalar_trace(0.9, 0.5, x, 0.3, -0.1)
    g = rnn.scalar_gradient(0.9, 0.5, x, 0.3, -0.1)
    np.testing.assert_allclose(f.panels[1].series[0].y, h)
    assert f.metrics["grad_T"] == pytest.approx(g[-1])
    # and the engine's gradient matches central differences of the trace in h₀
    eps = 1e-6
    numeric = (
        rnn.scalar_trace(0.9, 0.5, x, 0.3 + eps, -0.1)[-1]
        - rnn.scalar_trace(0.9, 0.5, x, 0.3 - eps, -0.1)[-1]
    ) / (2 * eps)
    assert f.metrics["grad_T"] == pytest.approx(numeric, rel=1e-6)


def test_vanishing_and_exploding():
    small = frame(w=0.5, activation="linear", T=20)
    big = frame(w=1.5, activation="linear", T=20)
    assert small.metrics["grad_abs"] < 1e-5 and render(small.message).startswith("Vanishing")
    assert big.metrics["grad_abs"] > 1e3 and render(big.message).startswith("Exploding")
    g_small = small.panels[3].series[0].y
    g_big = big.panels[3].series[0].y
    assert np.all(np.diff(g_small) < 0) and np.all(np.diff(g_big) > 0)


def test_tanh_saturation_shrinks_the_gradient_below_the_bound():
    f = frame(w=1.5, u=1.0, input="step", activation="tanh", T=20)
    actual, bound = (s.y for s in f.panels[3].series)
    assert np.all(actual <= bound + 1e-12)
    assert f.metrics["grad_abs"] < 1e-20 < 1.5**20
    assert render(f.message).startswith("Vanishing")
    assert "Π w·(1 − hₜ²)" in text(f, 2)
    # with h stuck at 0 (no input, h₀ = 0) tanh′ = 1 and tanh gives wᵀ too
    still = frame(w=1.5, u=1.0, input="zero", h0=0.0, activation="tanh", T=20)
    assert still.metrics["grad_T"] == pytest.approx(1.5**20)


def test_clipping_rescales_the_gradient_size():
    f = frame(w=1.5, activation="linear", T=20, clip=5.0)
    assert f.metrics["grad_clipped"] == 5.0 and f.metrics["grad_abs"] > 5
    clipped = f.panels[3].series[2]
    assert render(clipped.label) == "clipped"
    np.testing.assert_allclose(clipped.y, np.minimum(1.5 ** np.arange(21), 5.0))
    assert "→ g·c/|g|, size 5.00" in text(f, 2)
    kept = frame(w=0.5, activation="linear", T=20, clip=5.0)
    assert kept.metrics["grad_clipped"] == kept.metrics["grad_abs"]
    assert "kept" in text(kept, 2)
    assert frame(w=1.5, activation="linear", clip=0.0).metrics["grad_clipped"] > 5


def test_unrolled_text_shows_inputs_and_states():
    f = frame(w=0.5, u=1.0, input="pulse", T=20)
    lines = text(f, 0).splitlines()[2:]
    h = rnn.scalar_trace(0.5, 1.0, make_input("pulse", 20))
    assert lines[0] == "h₀ = 0.00" and lines[4] == "…"
    steps = [lines[1], lines[2], lines[3], lines[5]]
    for line, t in zip(steps, (1, 2, 3, 20), strict=True):
        m = re.fullmatch(r"x(\S+) = (\S+) → \[h(\S+)\] = (\S+)", line)
        assert m and m[1] == m[3]
        assert float(m[2]) == make_input("pulse", 20)[t - 1]
        assert float(m[4].replace("−", "-")) == pytest.approx(h[t], abs=0.006, rel=0.05)
    # short sequences show every step and no ellipsis
    short = text(frame(T=3), 0)
    assert "…" not in short and "[h₃]" in short


def test_chain_rule_text_numbers():
    linear = text(frame(w=0.5, activation="linear", T=10), 2)
    assert "∂h₁₀/∂h₀ = w^T = 0.5^10 = 9.766e−4" in linear
    tanh = frame(w=0.9, T=10, input="step")
    m = re.search(r"= (\S+) · (\S+) = (\S+)\n\(linear: 0.9\^10 = (\S+)\)", text(tanh, 2))
    value = [float(v.replace("−", "-")) for v in m.groups()]
    assert value[0] == value[3] == pytest.approx(0.9**10, rel=1e-3)
    assert value[2] == pytest.approx(tanh.metrics["grad_T"], rel=1e-3)
    assert value[0] * value[1] == pytest.approx(value[2], rel=1e-3)


def test_overflow_is_harmless():
    f = frame(w=3.0, activation="linear", T=200)
    assert np.isfinite(f.metrics["grad_T"]) and render(f.message).startswith("Exploding")


def test_bad_parameters():
    bad = ({"input": "noise"}, {"activation": "relu"}, {"T": 0}, {"clip": -1.0},
           {"T": 1_000_000_000}, {"w": 100.0})  # fmt: skip
    for params in bad:
        with pytest.raises(ParameterError):
            create("recurrence", params)


def test_significant_digits():
    assert [render(sig(v)) for v in (57.666, 0.12159, -9.7656e-4, 3325.26, 0.0)] == [
        "57.67", "0.1216", "−9.766e−4", "3325", "0.00",
    ]
    assert render(sig(33252.6)) == "3.325e4"


def test_largest_values_stay_finite():
    f = frame(w=-5.0, activation="linear", T=200, clip=1000.0)
    assert np.isfinite(f.metrics["grad_T"]) and f.metrics["grad_clipped"] == 1000.0


def test_status_and_input_label():
    f = frame(w=1.5, activation="linear", T=20, clip=5.0)
    assert render(f.status) == "∂h₂₀/∂h₀ = 3325 · h₂₀ = 2217 · clipped 5.000"  # 1.5²⁰, 1.5¹⁹
    assert render(f.panels[0].text).splitlines()[1] == "w = 1.50, u = 1.00, b = 0.00, input pulse"


def test_schema_contains_the_shipped_lesson():
    assert lesson_problems(Recurrence.SCHEMA, "16-recurrence.md") == []
    assert not Recurrence.live_params


@pytest.mark.parametrize(
    "params",
    [{}, {"w": 1.5, "activation": "linear", "clip": 5.0}, {"w": 0.9, "T": 3, "input": "sine"},
     {"w": 0.5, "activation": "linear", "T": 10, "clip": 1.0}],
)  # fmt: skip
def test_every_text_is_translated_in_the_pseudo_locale(params):
    with language():
        texts = frame_texts(frame(**params))
    assert english_words(texts, {"tanh"}) == []
