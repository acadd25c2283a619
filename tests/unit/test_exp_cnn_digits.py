"""The CNN digits experiment: trains to >= 95% test accuracy quickly, frames are legible."""

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
from tui_workshop.experiments import Heatmap, LinePlot, ParameterError, Table, TextPanel, create
from tui_workshop.experiments.cnn_digits import CnnDigits, digits_split, mosaic
from tui_workshop.experiments.specs.cnn_digits import TEST_IMAGES
from tui_workshop.i18n import render
from tui_workshop.nn import metrics
from tui_workshop.nn.cnn import CNN
from tui_workshop.nn.mlp import MLP


@pytest.mark.slow
def test_reaches_95_percent_test_accuracy():
    # Training time is measured by `python -m tui_workshop.bench_experiments`.
    exp = create("cnn_digits", {"seed": 0})
    while not exp.done:
        exp.step()
    m = exp.frame().metrics
    assert m["test_accuracy"] >= 0.95, m
    assert m["train_accuracy"] >= 0.95
    assert m["mlp_test_accuracy"] >= 0.9
    assert m["epoch"] == 20
    # the reported accuracy is the model's on the held-out split
    X_train, _, X_test, y_test = digits_split()
    assert m["test_accuracy"] == pytest.approx(np.mean(exp.model.predict(X_test) == y_test))
    assert len(X_test) == 359 and len(X_train) == 1438
    # the confusion table agrees with the engine
    table = exp.frame().panels[-1]
    counts = metrics.confusion_matrix(y_test, exp.model.predict(X_test), n_classes=10)
    shown = np.array(
        [[0 if c == "·" else int(render(c)) for c in row[1:]] for row in table.rows]
    )
    np.testing.assert_array_equal(shown, counts)
    wrong = np.argwhere(counts - np.diag(np.diag(counts)))
    assert {(int(i), int(j) + 1) for i, j in wrong} == set(table.highlight)


def test_frame_panels_and_metrics_before_training():
    exp = create("cnn_digits", {"filters": 6, "kernel": 3, "sample": 5})
    frame = exp.frame()
    kinds = [type(p) for p in frame.panels]
    assert kinds == [LinePlot, TextPanel, Heatmap, Heatmap, Heatmap, Table]
    _, text, digit, filters, features, table = frame.panels
    assert set(frame.metrics) == {
        "epoch", "train_accuracy", "test_accuracy", "train_loss", "test_loss",
        "n_params", "mlp_n_params", "mlp_test_accuracy",
    }  # fmt: skip
    assert frame.metrics["epoch"] == 0
    assert frame.metrics["n_params"] == CNN(filters=6).n_params == 6 * 9 + 6 + 54 * 10 + 10
    assert frame.metrics["mlp_n_params"] == MLP([64, 32, 10], output="softmax").n_params
    text_lines = render(text.text).splitlines()
    assert f"{6 * 9 + 6 + 540 + 10} params: 6·9 + 6 + 54·10 + 10" in text_lines
    # small panels: the digit 8×8, 6 filters 3×3 in a 2×4 mosaic, 6 maps 6×6
    assert digit.z.shape == (8, 8)
    assert filters.z.shape == (2 * 3 + 1, 4 * 3 + 3) and filters.diverging
    assert features.z.shape == (2 * 6 + 1, 4 * 6 + 3) and not features.diverging
    assert len(table.columns) == 11 and len(table.rows) == 10
    assert max(len(render(c)) for row in table.rows for c in row) <= 3
    assert max(len(line) for line in text_lines) <= 44
    # the sample shown is test image 5, with its label in the title
    _, _, X_test, y_test = digits_split()
    np.testing.assert_allclose(digit.z[::-1].ravel(), X_test[5])
    assert render(digit.title).startswith(f"Test #5: {y_test[5]} → ")
    assert len(X_test) == TEST_IMAGES  # the sample's bound in the schema


def test_feature_maps_are_the_models_for_the_sample():
    exp = create("cnn_digits", {"compare_mlp": False})
    for _ in range(2):
        exp.step()
    exp.set_live("sample", 42)
    frame = exp.frame()
    _, _, X_test, _ = digits_split()
    relu = exp.model.feature_maps(X_test[42:43])["relu"][0]
    np.testing.assert_allclose(frame.panels[4].z[::-1], mosaic(relu), equal_nan=True)
    K = exp.model.params[0][:, 0]
    np.testing.assert_allclose(frame.panels[3].z[::-1], mosaic(K), equal_nan=True)
    assert "mlp_test_accuracy" not in frame.metrics
    assert "MLP test" not in [render(s.label) for s in frame.panels[0].series]
    with pytest.raises(ParameterError):
        exp.set_live("sample", 10_000)
    with pytest.raises(ParameterError):
        exp.set_live("filters", 3)


def test_mosaic_layout():
    tiles = np.arange(5 * 2 * 2, dtype=float).reshape(5, 2, 2)
    m = mosaic(tiles, cols=4)
    assert m.shape == (5, 11)
    np.testing.assert_array_equal(m[0:2, 3:5], tiles[1])
    np.testing.assert_array_equal(m[3:5, 0:2], tiles[4])
    assert np.isnan(m[2]).all() and np.isnan(m[:, 2]).all()


def test_same_seed_same_run_and_loss_falls():
    a, b = (create("cnn_digits", {"seed": 3, "compare_mlp": False}) for _ in range(2))
    for _ in range(3):
        a.step()
        b.step()
    assert a.history == b.history
    assert a.history["train"][-1] < a.history["train"][0]


def test_huge_learning_rate_does_not_raise():
    exp = create("cnn_digits", {"optimizer": "sgd", "learning_rate": 1.0, "epochs": 5})
    while not exp.done:
        exp.step()
    frame = exp.frame()
    assert frame.done and frame.level in ("info", "warning")


def test_bad_parameters():
    for params in (
        {"optimizer": "lbfgs"},
        {"kernel": 7},
        {"filters": 0},
        {"sample": 400},
        {"filters": 10**9},
        {"mlp_hidden": 10**9},
        {"batch_size": 10**9},
        {"epochs": 10**9},
        {"learning_rate": 0.0},
        {"compare_mlp": "yes"},
    ):
        with pytest.raises(ParameterError) as caught:
            create("cnn_digits", params)
        assert render(caught.value.message)


def test_schema_contains_the_lesson():
    assert lesson_problems(CnnDigits.SCHEMA, "15-cnn-digits.md") == []
    assert CnnDigits.live_params == {"sample"}
    with pytest.raises(ParameterError) as caught:
        create("cnn_digits", {"filters": 1_000_000_000})
    assert render(caught.value.message) == "filters F: must be between 1 and 32"


def test_steps_in_a_worker_while_frames_are_read():
    exp = create("cnn_digits", {"epochs": 3, "filters": 2})
    seen = step_while_reading(exp, 3)
    assert seen[0] == 0 and seen[-1] == 3
    assert exp.done and exp.stopped == "epoch limit"


@pytest.mark.parametrize("params", [{}, {"compare_mlp": False, "optimizer": "momentum"}])
def test_every_text_goes_through_the_catalogue(pseudo_locale, params):
    exp = create("cnn_digits", {**params, "epochs": 2, "filters": 2})
    frames = [exp.frame(), *frames_until_done(exp)]
    assert frames[0].message is not None and frames[-1].message is not None
    for frame in frames:
        assert english_words(frame_texts(frame), {"Adam"}) == []
