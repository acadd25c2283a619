"""The RNN series experiment: forecasts the held-out sine within the stated bound."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.experiment_checks import (
    english_words,
    frame_texts,
    frames_until_done,
    lesson_problems,
    step_while_reading,
)
from tui_workshop.experiments import LinePlot, ParameterError, TextPanel, create
from tui_workshop.experiments.rnn_series import SINE_FORECAST_BOUND, RnnSeries
from tui_workshop.i18n import render
from tui_workshop.nn import series
from tui_workshop.nn.rnn import forecast


def train(exp):
    steps = 0
    while not exp.done:
        exp.step()
        steps += 1
    return steps


def test_sine_forecast_within_the_bound():
    # Training time is measured by `python -m tui_workshop.bench_experiments`.
    exp = create("rnn_series", {"series": "sine", "seed": 0})
    first = exp.frame().metrics
    assert first["forecast_rmse"] > SINE_FORECAST_BOUND  # not reached before training
    train(exp)
    m = exp.frame().metrics
    assert m["epoch"] == 40
    assert m["forecast_rmse"] <= SINE_FORECAST_BOUND, m
    assert m["test_rmse"] <= SINE_FORECAST_BOUND and m["train_rmse"] <= SINE_FORECAST_BOUND
    # the metric is the engine's forecast from the end of the training part
    values = series.sine(200, period=20)
    train_part, test_part = series.split_series(values, 0.8)
    scaled = exp.scaler.transform(train_part[-20:])
    predicted = exp.scaler.inverse(forecast(exp.model, scaled, 40))
    assert m["forecast_rmse"] == pytest.approx(np.sqrt(np.mean((predicted - test_part) ** 2)))


@pytest.mark.parametrize("seed", [1, 2])
def test_bound_holds_for_other_seeds(seed):
    exp = create("rnn_series", {"seed": seed})
    train(exp)
    assert exp.frame().metrics["forecast_rmse"] <= SINE_FORECAST_BOUND


def test_frame_panels_and_metrics():
    exp = create("rnn_series", {"series": "sunspots", "epochs": 2, "horizon": 100})
    exp.step()
    frame = exp.frame()
    whole, held_out, loss, text = frame.panels
    assert all(isinstance(p, LinePlot) for p in (whole, held_out, loss))
    assert isinstance(text, TextPanel) and loss.logy
    assert set(frame.metrics) == {
        "epoch", "train_rmse", "test_rmse", "forecast_rmse", "hidden", "window"
    }  # fmt: skip
    _, values = series.load_sunspots()
    cut = round(0.8 * len(values))
    assert [render(s.label) for s in whole.series] == ["truth", "train pred.", "test pred."]
    np.testing.assert_allclose(whole.series[0].y, values)
    assert whole.series[1].x[0] == 20 and whole.series[2].x[0] == cut
    # the horizon is clamped to the held-out length
    truth, fc = held_out.series
    assert len(fc.x) == len(values) - cut == len(truth.x)
    summary = render(text.text)
    assert "305 parameters" in summary and "1·16 + 16·16 + 16 + 16·1 + 1" in summary
    assert "yearly sunspots 1700-2008 (NOAA)" in summary
    assert max(len(line) for line in summary.splitlines()) <= 60
    assert len(loss.series[0].x) == 2  # epochs 0 and 1
    assert not frame.done


def test_one_step_predictions_are_the_models():
    exp = create("rnn_series", {"series": "sum_of_sines", "epochs": 3})
    train(exp)
    frame = exp.frame()
    values = series.sum_of_sines(240, periods=(20, 7))
    cut = round(0.8 * 240)
    X, _ = series.windows(exp.scaler.transform(values[cut - 20 :]), 20)
    predicted = exp.scaler.inverse(exp.model.predict(X)[:, 0])
    np.testing.assert_allclose(frame.panels[0].series[2].y, predicted)
    rmse = np.sqrt(np.mean((predicted - values[cut:]) ** 2))
    assert frame.metrics["test_rmse"] == pytest.approx(rmse)
    assert frame.done and render(frame.message) == "Epoch limit reached (3 epochs)."


def test_same_seed_same_history():
    a, b = (create("rnn_series", {"epochs": 3, "seed": 7}) for _ in range(2))
    train(a)
    train(b)
    assert a.history == b.history


def test_large_learning_rate_never_raises():
    exp = create("rnn_series", {"learning_rate": 0.5, "clip": 0.0, "epochs": 10, "hidden": 32})
    train(exp)
    frame = exp.frame()
    assert frame.done and frame.level in ("info", "warning")


def _spoil(exp):
    """Weights that are no longer numbers, as after an overflow."""
    exp.model.params[0][...] = np.nan
    return exp


def test_diverging_run_stops_with_a_warning():
    exp = _spoil(create("rnn_series", {"epochs": 50}))
    assert train(exp) == 1
    frame = exp.frame()
    assert exp.stopped == "diverged" and frame.done
    assert frame.level == "warning" and "clipping" in render(frame.message)


def test_bad_parameters():
    for params in (
        {"series": "stocks"},
        {"window": 1},
        {"window": 200},
        {"hidden": 0},
        {"hidden": 10**9},
        {"window": 10**9},
        {"epochs": 10**9},
        {"horizon": 10**9},
        {"batch_size": 0},
    ):
        with pytest.raises(ParameterError) as caught:
            create("rnn_series", params)
        assert render(caught.value.message)
    # the window may be at most half the training part of the chosen series
    assert create("rnn_series", {"series": "sunspots", "window": 120}).cut == 247
    with pytest.raises(ParameterError) as caught:
        create("rnn_series", {"series": "sine", "window": 82})
    assert render(caught.value.message) == (
        "the window must be between 2 and 80 steps for this series"
    )


def test_schema_contains_the_lesson():
    assert lesson_problems(RnnSeries.SCHEMA, "17-rnn-series.md") == []
    assert RnnSeries.live_params == frozenset()


def test_steps_in_a_worker_while_frames_are_read():
    exp = create("rnn_series", {"epochs": 8, "hidden": 8})
    seen = step_while_reading(exp, 8)
    assert seen[0] == 0 and seen[-1] == 8
    assert exp.done and exp.stopped == "epoch limit"


@pytest.mark.parametrize(
    "params",
    [
        {"series": "sunspots", "epochs": 2},
        {"series": "sine", "clip": 0.0, "epochs": 2},
        {"series": "trend_season", "horizon": 1, "epochs": 2},
        {"series": "sine", "epochs": 50, "spoil": True},
    ],
)
def test_every_text_goes_through_the_catalogue(pseudo_locale, params):
    params = dict(params)
    spoil = params.pop("spoil", False)
    exp = create("rnn_series", params)
    if spoil:
        _spoil(exp)
    frames = [exp.frame(), *frames_until_done(exp)]
    assert frames[0].message is not None and frames[-1].message is not None
    for frame in frames[:2] + frames[-2:]:  # kept: the sine series, Adam, a diverged loss
        assert english_words(frame_texts(frame), {"sin", "Adam", "nan"}) == []
