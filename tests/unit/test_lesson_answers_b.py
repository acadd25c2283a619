"""Lessons 09-11 (metrics, overfitting, hyperparameter search) agree with the engine.

Every numeric and vector answer is recomputed here with ``tui_workshop.nn``
or the experiment itself; numbers quoted in the page text are checked against
a run of the experiment; goals are shown to be reachable (and not reached by
the lesson defaults alone).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.unit.lesson_languages import LANGS, accepted, folder, lesson
from tui_workshop.course.loader import read_front_matter
from tui_workshop.experiments import create
from tui_workshop.experiments.hyperparameter_search import LR_RANGE, grid_configs
from tui_workshop.nn import MLP, datasets, metrics, optim
from tui_workshop.nn.train import Trainer

LESSONS = Path(__file__).resolve().parents[2] / "lessons" / "en"
FILES = ("09-metrics.md", "10-overfitting.md", "12-hyperparameter-search.md")


def _read(name: str, lang: str = "en") -> tuple[dict, str]:
    return read_front_matter(folder(lang) / name)


# Numbers the prompts quote, as each language writes them.
QUOTED = {
    "en": {"counts": "TP = 40, FP = 5, FN = 10, TN = 145", "weights": "w = (0.5, −1, 2), λ = 0.1"},
    "pt-BR": {
        "counts": "VP = 40, FP = 5, FN = 10, VN = 145",
        "weights": "w = (0,5; −1; 2), λ = 0,1",
    },
}


def _exercises(data: dict) -> dict[str, dict]:
    return {e["id"]: e for e in data["exercises"]}


def _labels(tp: int, fp: int, fn: int, tn: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and predictions with exactly these counts."""
    y = np.array([1] * tp + [0] * fp + [1] * fn + [0] * tn)
    yhat = np.array([1] * tp + [1] * fp + [0] * fn + [0] * tn)
    return y, yhat


def _params(data: dict, **overrides) -> dict:
    values = {name: spec["default"] for name, spec in data["params"].items()}
    values.update(overrides)
    return values


def _run(name: str, params: dict) -> dict[str, float]:
    exp = create(name, params)
    while not exp.done:
        exp.step()
    return dict(exp.frame().metrics)


def _numeric_ids(data: dict) -> set[str]:
    return {e["id"] for e in data["exercises"] if e["kind"] in ("numeric", "vector")}


# ------------------------------------------------------------------ loading


@pytest.mark.parametrize("name", FILES)
def test_lessons_load(name):
    from tui_workshop.course import loader
    lesson = loader.load_lesson(LESSONS / name)
    data, _ = _read(name)
    assert lesson.id == data["id"]
    assert 3 <= len(lesson.pages) <= 6
    assert len(lesson.exercises) >= 2
    for page in lesson.pages:
        lines = page.text.strip().splitlines()
        assert len(lines) <= 16, page.title
        assert max(len(line) for line in lines) <= 72, page.title


@pytest.mark.parametrize("lang", LANGS)
def test_typed_arithmetic_is_accepted(lang):
    by_id = {e.id: e for e in lesson(lang, FILES[0]).exercises}
    assert accepted(by_id["precision"], "40/(40+5)", lang)
    assert accepted(by_id["f1"], "2*40/(2*40+5+10)", lang)
    assert accepted(by_id["confusion"], "[[1, 3], [1, 3]]", lang)
    assert not accepted(by_id["confusion"], "[[1, 1], [3, 3]]", lang)


# ------------------------------------------------------------------ 09 metrics


@pytest.mark.parametrize("lang", LANGS)
def test_metrics_answers(lang):
    data, _ = _read(FILES[0], lang)
    ex = _exercises(data)
    y, yhat = _labels(tp=40, fp=5, fn=10, tn=145)
    assert ex["precision"]["answer"] == pytest.approx(metrics.precision(y, yhat), abs=1e-4)
    assert ex["recall"]["answer"] == pytest.approx(metrics.recall(y, yhat), abs=1e-4)
    assert ex["f1"]["answer"] == pytest.approx(metrics.f1(y, yhat), abs=1e-4)
    assert QUOTED[lang]["counts"] in ex["precision"]["prompt"]
    sick = np.array([1] * 10 + [0] * 190)
    assert ex["baseline"]["answer"] == metrics.accuracy(sick, np.zeros_like(sick))
    y = [1, 0, 1, 1, 0, 0, 1, 0]
    yhat = [1, 1, 0, 1, 1, 0, 1, 1]
    prompt = ex["confusion"]["prompt"]
    assert "y = (1, 0, 1, 1, 0, 0, 1, 0)" in prompt and "ŷ = (1, 1, 0, 1, 1, 0, 1, 1)" in prompt
    expected = metrics.confusion_matrix(y, yhat, n_classes=2).tolist()
    assert ex["confusion"]["answer"] == expected
    tp, fp, fn, tn = metrics.binary_counts(np.array(y), np.array(yhat))
    assert expected == [[tn, fp], [fn, tp]]  # rows true class, columns predicted
    # asymmetric: the transposed layout is not accepted by mistake
    assert expected != np.array(expected).T.tolist()
    # no hint gives the answer away
    answer = str(ex["confusion"]["answer"])
    assert all(answer not in hint and answer.replace(" ", "") not in hint.replace(" ", "")
               for hint in ex["confusion"]["hints"])
    assert _numeric_ids(data) == {"precision", "recall", "f1", "baseline", "confusion"}


def test_metrics_page_numbers():
    data, body = _read(FILES[0])
    y, yhat = _labels(tp=40, fp=5, fn=10, tn=145)
    assert f"= {metrics.accuracy(y, yhat):.3f}" in body
    preset = data["presets"]["misleads"]["values"]
    exp = create("metrics_lab", _params(data, **preset))
    m = exp.frame().metrics
    n = len(exp.y)
    assert f"{round(100 * m['accuracy'], 1)}% accuracy" in body
    assert f"scores {round(100 * m['baseline_accuracy'])}%" in body
    assert f"{int(m['tn'] + m['fp'])} of {n} are 0" in body
    assert f"recall is {m['recall']:.2f}" in body
    exp.set_live("threshold", 0.1)
    low = exp.frame().metrics
    assert f"recall rises (we miss fewer 1s), {m['recall']:.2f} → {low['recall']:.2f}" in body
    assert f"{m['precision']:.2f} → {low['precision']:.2f}" in body


# ------------------------------------------------------------- 10 overfitting


def _trained_weights(preset: str, seed: int = 0) -> np.ndarray:
    data, _ = _read(FILES[1])
    values = _params(data, **data["presets"][preset]["values"], seed=seed)
    exp = create("overfitting", values)
    while not exp.done:
        exp.step()
    return np.concatenate([w.ravel() for w in exp.run.model._weights])


def test_l1_weights_hover_near_zero_but_none_is_exactly_zero():
    _, body = _read(FILES[1])
    l1, l2 = _trained_weights("l1"), _trained_weights("l2")
    body = " ".join(body.split())
    assert f"{l1.size:,} weights" in body
    assert np.count_nonzero(l1 == 0) == 0  # "none is exactly 0"
    small_l1, small_l2 = np.mean(np.abs(l1) < 0.01), np.mean(np.abs(l2) < 0.01)
    assert f"{small_l1:.1%} of the" in body and f"({small_l2:.0%} with L2)" in body
    assert "none is exactly 0" in body and "pushes many weights to exactly 0" not in body
    # the proximal step the text describes: soft-thresholding sets small weights to 0
    step = 0.01 * 0.01  # λ·η
    prox = np.sign(l1) * np.maximum(np.abs(l1) - step, 0.0)
    assert np.count_nonzero(prox == 0) == np.count_nonzero(np.abs(l1) <= step) > 0


@pytest.mark.parametrize("lang", LANGS)
def test_overfitting_answers(lang):
    data, _ = _read(FILES[1], lang)
    ex = _exercises(data)
    assert ex["weights"]["answer"] == MLP([1, 64, 64, 1], output="identity").n_params
    weights = np.array([[0.5], [-1.0], [2.0]])
    for key, kw in (("l2-penalty", {"l2": 0.1}), ("l1-penalty", {"l1": 0.1})):
        model = MLP([3, 1], output="identity", **kw)
        model.params[0][...] = weights
        assert ex[key]["answer"] == pytest.approx(model.penalty(), abs=1e-9)
        assert QUOTED[lang]["weights"] in ex[key]["prompt"]
    assert _numeric_ids(data) == {"weights", "l2-penalty", "l1-penalty"}


@pytest.fixture(scope="module")
def overfit_runs():
    data, body = _read(FILES[1])
    runs = {}
    for preset in ("none", "l2", "more_data"):
        params = _params(data, **data["presets"][preset]["values"])
        exp = create("overfitting", params)
        while not exp.done:
            exp.step()
        runs[preset] = exp
    return data, body, runs


def test_overfitting_page_numbers(overfit_runs):
    _, body, runs = overfit_runs
    plain = runs["none"].frame().metrics
    train, val = round(plain["train_loss"], 3), round(plain["val_loss"], 3)
    assert f"to {train:.3f}" in body and f"rises to {val:.3f}" in body
    assert f"= {val:.3f} − {train:.3f} = {val - train:.3f}" in body
    best_epoch = runs["none"].run.epochs[int(np.argmin(runs["none"].run.val))]
    assert "best near epoch 50" in body and 40 <= best_epoch <= 60
    assert f"{runs['none'].run.model.n_params} numbers to fit 12 points" in body
    cured = runs["l2"].frame().metrics["val_loss"]
    assert f"ends at {cured:.3f} instead of {val:.3f}" in body
    assert runs["more_data"].frame().metrics["gap"] < 0.01  # "the gap almost vanishes"


# ------------------------------------------------------- 11 hyperparameter search


@pytest.mark.parametrize("lang", LANGS)
def test_hparam_answers(lang):
    data, _ = _read(FILES[2], lang)
    ex = _exercises(data)
    assert ex["grid-size"]["answer"] == len(grid_configs())
    # optimiser steps of one trial, measured on the lesson's default data set
    p = _params(data)
    X, y = datasets.make(p["dataset"], n=300, noise=p["noise"], seed=p["seed"])
    parts = datasets.split(X, y, val=0.2, test=0.2, seed=p["seed"])
    assert len(parts.X_train) == 180
    model = MLP([2, 4, 1])
    trainer = Trainer(model, optim.make("adam", model, lr=0.01), parts.X_train, parts.y_train,
                      batch_size=10, epochs=20)  # fmt: skip
    for _ in trainer.run():
        pass
    assert ex["grid-steps"]["answer"] == trainer.step * len(grid_configs())
    low, high = (math.log10(v) for v in LR_RANGE)
    fraction = (math.log10(0.01) - low) / (high - low)
    assert ex["log-uniform"]["answer"] == pytest.approx(fraction, abs=1e-4)
    assert _numeric_ids(data) == {"grid-size", "grid-steps", "log-uniform", "std-error"}


def test_hparam_page_numbers():
    data, body = _read(FILES[2])
    m = _run("hyperparameter_search", _params(data, **data["presets"]["grid"]["values"]))
    assert m["trials_done"] == 60
    assert f"accuracy {m['best_val_accuracy']:.3f}" in body
    assert f"test set: {m['test_accuracy']:.3f}" in body
    assert f"best of 60 test scores is {m['best_test_accuracy']:.3f}" in body
    assert f"lr {m['best_lr']:g}, {int(m['best_hidden'])} hidden, L2 {m['best_l2']:g}" in body
    optimistic = _exercises(data)["optimistic"]["prompt"]
    assert f"({m['best_val_accuracy']:.3f})" in optimistic
    assert f"({m['test_accuracy']:.3f})" in optimistic


def test_standard_error_of_an_accuracy():
    data, body = _read(FILES[2])
    ex = _exercises(data)
    # the search scores each trial on 60 validation points, as the page says
    p = _params(data)
    X, y = datasets.make(p["dataset"], n=300, noise=p["noise"], seed=p["seed"])
    n = len(datasets.split(X, y, val=0.2, test=0.2, seed=p["seed"]).X_val)
    assert n == 60 and "each measured\non just 60 points" in body
    se = math.sqrt(0.9 * 0.1 / n)
    assert ex["std-error"]["answer"] == pytest.approx(se, abs=ex["std-error"]["tolerance"] / 2)
    assert f"p = 0.9, n = 60:  SE ≈ {se:.3f}" in body
    # the standard error is the spread of the accuracies a model right with probability p
    # scores on many sets of n points
    rng = np.random.default_rng(0)
    truth = np.ones(n, dtype=int)
    scores = [metrics.accuracy(truth, (rng.random(n) < 0.9).astype(int)) for _ in range(4000)]
    assert np.std(scores) == pytest.approx(se, rel=0.05)
    # four times the points, half the standard error
    assert math.sqrt(0.9 * 0.1 / (4 * n)) == pytest.approx(se / 2)
    # 55 and 56 right of 60: a gap of one point, half a standard error
    tied = ex["tied"]
    low, high = 55 / n, 56 / n
    assert f"score {low:.3f} and {high:.3f} (55 and 56 right)" in tied["prompt"]
    assert "standard error is about 0.035" in tied["prompt"]
    se_low, se_high = (math.sqrt(q * (1 - q) / n) for q in (low, high))
    assert se_high < 0.035 < se_low  # "about 0.035": between the two scores' errors
    assert high - low < se_high / 2 + 1e-3  # half a standard error, as the solution says
    assert tied["choices"][tied["answer"]].startswith("The gap is less than one standard error")


def test_playground_teaches_the_r2_it_reports():
    _, body = read_front_matter(LESSONS / "13-playground.md")
    assert "R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²" in body
    rng = np.random.default_rng(0)
    y = rng.normal(size=50)
    yhat = y + rng.normal(scale=0.3, size=50)
    by_hand = 1 - np.sum((y - yhat) ** 2) / np.sum((y - y.mean()) ** 2)
    assert metrics.r2(y, yhat) == pytest.approx(by_hand)
    assert metrics.r2(y, np.full_like(y, y.mean())) == pytest.approx(0.0, abs=1e-12)  # "0"
    assert metrics.r2(y, y) == pytest.approx(1.0)  # "1 is a perfect fit"
