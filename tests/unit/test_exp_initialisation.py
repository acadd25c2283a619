"""The initialisation experiment: Var(z) = n_in·Var(w)·E[x²], the rules, standardisation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.unit.experiment_checks import english_words, frame_texts, language, lesson_problems
from tui_workshop.experiments import Bars, LinePlot, ParameterError, TextPanel, create
from tui_workshop.experiments import initialisation as init_exp
from tui_workshop.experiments.initialisation import Initialisation
from tui_workshop.i18n import render

INITS = ("small", "lecun", "glorot", "he", "large")


def frame(**params):
    return create("initialisation", params).frame()


def text_of(f) -> str:
    return render(next(p for p in f.panels if isinstance(p, TextPanel)).text)


def test_weight_variances_are_the_textbook_rules():
    assert init_exp.weight_variance("lecun", 50, 10) == pytest.approx(1 / 50)
    assert init_exp.weight_variance("glorot", 50, 10) == pytest.approx(2 / 60)
    assert init_exp.weight_variance("he", 50, 10) == pytest.approx(2 / 50)
    assert init_exp.weight_variance("small", 50, 10) == pytest.approx(1e-4)
    assert init_exp.weight_variance("large", 50, 10) == 1.0


@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("width", [20, 100, 300])
def test_first_layer_variance_follows_the_formula(init, width):
    m = frame(init=init, width=width, layers=1).metrics
    assert m["var_z_predicted"] == pytest.approx(m["var_z_measured"], rel=0.25)


def test_the_formula_is_recomputed_independently():
    p = {**Initialisation.defaults, "init": "he", "width": 50, "layers": 3}
    r = init_exp.forward(p)
    x = init_exp.raw_inputs(50, 1.0, 0)
    assert r["x_var"] == pytest.approx(float(np.mean(x**2)))
    predicted = 50 * (2 / 50) * r["x_var"]
    assert r["z_std"][0] ** 2 == pytest.approx(predicted, rel=0.2)


def test_standardise_gives_mean_zero_and_unit_spread():
    x = init_exp.raw_inputs(30, 20.0, 3)
    z = init_exp.standardise(x)
    assert np.allclose(z.mean(axis=0), 0, atol=1e-12) and np.allclose(z.std(axis=0), 1)


@pytest.mark.parametrize("seed", range(5))
def test_he_keeps_relu_and_lecun_halves_it(seed):
    he = init_exp.forward({**Initialisation.defaults, "init": "he", "activation": "relu",
                           "seed": seed})
    lecun = init_exp.forward({**Initialisation.defaults, "init": "lecun", "activation": "relu",
                              "seed": seed})
    he_ratio = np.array(he["z_std"][1:]) ** 2 / np.array(he["z_std"][:-1]) ** 2
    lecun_ratio = np.array(lecun["z_std"][1:]) ** 2 / np.array(lecun["z_std"][:-1]) ** 2
    assert math.exp(np.mean(np.log(he_ratio))) == pytest.approx(1.0, abs=0.15)
    assert math.exp(np.mean(np.log(lecun_ratio))) == pytest.approx(0.5, abs=0.1)


def test_verdicts_and_metrics():
    assert "vanishes" in render(frame(init="small", activation="relu").status)
    assert "\n" not in render(frame(init="small").status)
    assert "saturates" in render(frame(init="large", activation="tanh").status)
    assert "kept" in render(frame(init="he", activation="relu").status)
    m = frame(init="large", activation="relu").metrics
    assert m["drift"] > 10 and math.isfinite(m["std_last"])
    assert frame(activation="relu").metrics["saturated_first"] == 0.0


def test_bars_show_one_layer_each():
    f = frame(layers=7)
    bars = next(p for p in f.panels if isinstance(p, Bars))
    assert len(bars.values) == len(bars.labels) == 7
    assert bars.values[0] == pytest.approx(f.metrics["std_first"])


@pytest.mark.parametrize("init", INITS)
def test_text_lines_fit_half_of_an_80_column_pane(init):
    text = text_of(frame(init=init, width=500, input_scale=100.0))
    assert max(len(line) for line in text.splitlines()) <= 36, text


@pytest.mark.parametrize("bad", [{"init": "zeros"}, {"layers": 0}, {"width": 1},
                                 {"input_scale": 0.0}, {"seed": "x"}])
def test_bad_parameters_are_rejected_with_a_message(bad):
    with pytest.raises(ParameterError) as error:
        create("initialisation", bad)
    assert render(error.value.message)


def test_schema_contains_the_shipped_lesson():
    assert lesson_problems(Initialisation.SCHEMA, "08-initialisation.md") == []


FORMULA_WORDS = {"tanh", "relu", "std", "Var", "LeCun", "Glorot", "He", "n_in", "n_out", "E"}


@pytest.mark.parametrize("init", INITS)
def test_every_text_is_translated_in_the_pseudo_locale(init):
    with language():
        texts = frame_texts(frame(init=init))
    assert english_words(texts, FORMULA_WORDS) == []
    assert any("⟦" in t for t in texts)


@pytest.mark.parametrize("lr0, decay", [(0.1, 0.0), (0.1, 0.1), (0.5, 2.0)])
def test_schedule_view_draws_the_engines_decay(lr0, decay):
    f = frame(view="schedule", lr0=lr0, decay=decay)
    plot = next(p for p in f.panels if isinstance(p, LinePlot))
    t = np.arange(init_exp.EPOCHS + 1)
    assert np.allclose(plot.series[0].y, lr0 / (1 + decay * t))
    assert f.metrics["lr_10"] == pytest.approx(lr0 / (1 + 10 * decay))
    assert f.metrics["lr_20"] == pytest.approx(lr0 / (1 + 20 * decay))
    # the status shows the figure the lesson's goal (slow-down) is about: η after 20 epochs
    assert render(f.status) == f"η after 20 epochs: {lr0 / (1 + 20 * decay):.4f}"
    text = text_of(f)
    assert max(len(line) for line in text.splitlines()) <= 36, text


def test_schedule_view_is_translated_in_the_pseudo_locale():
    with language():
        texts = frame_texts(frame(view="schedule", decay=0.1))
    assert english_words(texts, FORMULA_WORDS) == []
