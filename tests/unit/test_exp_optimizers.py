"""The optimiser race: same start, deterministic, honest numbers, a sensible winner."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.experiment_checks import (
    english_words,
    frame_texts,
    language,
    lesson_problems,
    step_while_reading,
)
from tui_workshop.experiments import LinePlot, ParameterError, create
from tui_workshop.experiments._common import num
from tui_workshop.experiments.base import Heatmap
from tui_workshop.experiments.optimizer_race import (
    OPTIMIZERS,
    RAVINE_START,
    OptimizerRace,
    adam_hats,
    ravine,
    sig,
)
from tui_workshop.i18n import render


def race(**params):
    return create("optimizer_race", params)


def run(exp, steps: int):
    for _ in range(steps):
        exp.step()
    return exp.frame()


def test_registered_with_all_parameters():
    exp = race()
    assert exp.trainable and not exp.done
    assert set(exp.defaults) == {"problem", "learning_rate", "epochs", "seed", "show"}


@pytest.mark.parametrize(
    "bad",
    [{"problem": "nope"}, {"learning_rate": 0}, {"epochs": 0}, {"epochs": 1_000_000_000},
     {"learning_rate": 1e6}, {"seed": -1}, {"show": "everyone"}],
)
def test_rejects_bad_parameters(bad):
    with pytest.raises(ParameterError) as error:
        race(**bad)
    assert render(error.value.message)


def test_every_optimiser_starts_from_the_same_weights():
    exp = race(problem="spiral")
    starts = [exp.models[name].flat_params.copy() for name in OPTIMIZERS]
    for other in starts[1:]:
        np.testing.assert_array_equal(starts[0], other)
    np.testing.assert_array_equal(starts[0], exp.initial_weights("adam"))
    losses = [exp.history[name][0] for name in OPTIMIZERS]
    assert len(set(losses)) == 1
    surface = race(problem="ravine")
    for name in OPTIMIZERS:
        np.testing.assert_array_equal(surface.paths[name][0], RAVINE_START)


def test_after_one_step_the_optimisers_differ():
    exp = race(problem="circle")
    exp.step()
    weights = {name: exp.models[name].flat_params.copy() for name in OPTIMIZERS}
    assert not np.allclose(weights["sgd"], weights["adam"])
    assert not np.allclose(weights["sgd"], weights["rmsprop"])


def test_deterministic():
    a, b = race(problem="spiral", seed=3), race(problem="spiral", seed=3)
    fa, fb = run(a, 5), run(b, 5)
    assert dict(fa.metrics) == dict(fb.metrics)
    c = run(race(problem="spiral", seed=4), 5)
    assert dict(c.metrics) != dict(fa.metrics)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_adam_and_momentum_beat_sgd_on_the_circle(seed):
    # measured at η = 0.01 after 50 epochs: SGD ≈ 0.4-0.6, momentum ≈ 0.02, Adam ≈ 0.004
    m = run(race(problem="circle", learning_rate=0.01, epochs=50, seed=seed), 50).metrics
    assert m["loss_adam"] < 0.5 * m["loss_sgd"]
    assert m["loss_momentum"] < 0.5 * m["loss_sgd"]
    assert m["loss_rmsprop"] < m["loss_sgd"]


def test_adam_beats_sgd_on_the_spiral():
    # measured after 100 epochs at η = 0.01: SGD ≈ 0.67, momentum ≈ 0.6, Adam ≈ 0.45
    m = run(race(problem="spiral", learning_rate=0.01, epochs=100), 100).metrics
    assert m["loss_adam"] < m["loss_momentum"] < m["loss_sgd"]


def test_momentum_and_adaptive_methods_beat_sgd_in_the_ravine():
    # η = 0.1, 50 updates: SGD ≈ 0.27, momentum ≈ 0.012, RMSProp ≈ 0.007, Adam ≈ 0.04
    exp = race(problem="ravine", learning_rate=0.1, epochs=50)
    frame = run(exp, 50)
    m = frame.metrics
    for name in ("momentum", "rmsprop", "adam"):
        assert m[f"loss_{name}"] < 0.25 * m["loss_sgd"], name
    assert m["loss_sgd"] == pytest.approx(float(ravine(exp.points["sgd"])))
    assert frame.done and m["epoch"] == 50
    heat = next(p for p in frame.panels if isinstance(p, Heatmap))
    assert len(heat.points) == 4
    assert len({s.role for s in heat.points}) == 4


def test_loss_plot_overlays_one_curve_per_optimiser_with_distinct_roles():
    frame = run(race(problem="circle"), 3)
    plot = next(p for p in frame.panels if isinstance(p, LinePlot))
    assert [render(s.label) for s in plot.series] == ["SGD", "Momentum", "RMSProp", "Adam"]
    assert len({s.role for s in plot.series}) == 4
    assert all(len(s.y) == 4 for s in plot.series)  # epoch 0 plus three


def manual_update(name: str, u, opt) -> tuple[float, float, float]:
    """(state 1, state 2, new weight) recomputed by hand from the state before."""
    if name == "sgd":
        return 0.0, 0.0, u.w_old - u.lr * u.g
    if name == "momentum":
        v = opt.beta * u.s1_old - u.lr * u.g
        return v, 0.0, u.w_old + v
    if name == "rmsprop":
        s = opt.rho * u.s1_old + (1 - opt.rho) * u.g**2
        return s, 0.0, u.w_old - u.lr * u.g / (np.sqrt(s) + opt.eps)
    m = opt.beta1 * u.s1_old + (1 - opt.beta1) * u.g
    v = opt.beta2 * u.s2_old + (1 - opt.beta2) * u.g**2
    m_hat, v_hat = m / (1 - opt.beta1**u.t), v / (1 - opt.beta2**u.t)
    return m, v, u.w_old - u.lr * m_hat / (np.sqrt(v_hat) + opt.eps)


@pytest.mark.parametrize("problem", ["spiral", "ravine"])
def test_displayed_updates_match_a_manual_computation(problem):
    exp = race(problem=problem, learning_rate=0.05)
    frame = run(exp, 3)
    text = render(frame.panels[2 if problem == "ravine" else 1].text)
    for name in OPTIMIZERS:
        rec = exp.recorders[name]
        u, opt = rec.last, rec.opt
        s1, s2, w_new = manual_update(name, u, opt)
        assert u.w_new == pytest.approx(w_new, rel=1e-9, abs=1e-12)
        if name != "sgd":
            assert u.s1_new == pytest.approx(s1, rel=1e-9, abs=1e-15)
        if name == "adam":
            assert u.s2_new == pytest.approx(s2, rel=1e-9, abs=1e-15)
        # the recorded weight is the model's (or point's) actual current value
        actual = exp.models[name].flat_params[0] if problem != "ravine" else exp.points[name][0]
        assert u.w_new == actual
        # the compact text (all four) shows these very numbers
        assert f"= {num(u.w_old, 4)} " in text and f"= {num(u.w_new, 4)}" in text
        if name in ("momentum", "rmsprop"):
            assert f"= {sig(u.s1_new)};" in text
        # the detailed text of one optimiser shows every intermediate number
        exp.set_live("show", name)
        detail = render(exp.frame().panels[2 if problem == "ravine" else 1].text)
        assert f"{num(u.w_old, 4)} − " in detail or f"{num(u.w_old, 4)} + " in detail
        assert f"= {num(u.w_new, 4)}" in detail
        assert render(sig(u.g)) in detail
        if name != "sgd":
            assert f"= {sig(u.s1_new)}" in detail
    m_hat, v_hat = adam_hats(exp.recorders["adam"].last, exp.recorders["adam"].opt)
    assert f"m̂ = {sig(m_hat)}, v̂ = {sig(v_hat)}" in text
    assert f"m̂ = m/(1−β₁ᵗ) = {sig(m_hat)}" in detail
    assert f"v̂ = v/(1−β₂ᵗ) = {sig(v_hat)}" in detail
    assert f"= {sig(exp.recorders['adam'].last.s2_new)}" in detail


def test_first_sgd_step_on_the_ravine_by_hand():
    exp = race(problem="ravine", learning_rate=0.1)
    exp.step()
    x0, y0 = RAVINE_START
    # ∂f/∂x = 0.2·x for f = 0.1x² + 2y²
    assert exp.points["sgd"][0] == pytest.approx(x0 - 0.1 * 0.2 * x0)
    assert exp.points["sgd"][1] == pytest.approx(y0 - 0.1 * 4.0 * y0)


def test_show_filters_the_text_live():
    exp = race(problem="circle")
    exp.step()
    exp.set_live("show", "adam")
    text = render(exp.frame().panels[1].text)
    assert "Adam" in text and "SGD" not in text and "RMSProp" not in text


def test_divergence_is_reported_not_raised():
    exp = race(problem="ravine", learning_rate=5.0, epochs=200)
    frame = run(exp, 200)
    assert exp.diverged["sgd"]
    assert np.isnan(frame.metrics["loss_sgd"])
    assert frame.level == "warning"
    assert render(frame.message) == "Diverged: SGD, Momentum. Try a smaller learning rate."
    assert "SGD diverged" in render(frame.status)


def test_schema_contains_the_lesson():
    assert lesson_problems(OptimizerRace.SCHEMA, "11-optimisers.md") == []


@pytest.mark.parametrize("problem", ["circle", "ravine"])
def test_stepping_in_a_thread_while_frames_are_read(problem):
    exp = race(problem=problem, epochs=30)
    seen = step_while_reading(exp, 40)
    assert seen[-1] == 30 and exp.done
    assert render(exp.frame().message) == "The race is over: compare the curves."


def test_history_stays_aligned_when_one_optimiser_diverges():
    exp = race(problem="ravine", learning_rate=0.55, epochs=100)
    frame = run(exp, 100)
    assert exp.diverged["sgd"] and not exp.diverged["adam"]
    assert all(len(exp.history[k]) == 101 for k in exp.history)
    plot = next(p for p in frame.panels if isinstance(p, LinePlot))
    sgd = next(s for s in plot.series if s.label == "SGD")
    assert len(sgd.x) == len(sgd.y) < 101 and np.all(np.isfinite(sgd.y))


# names of optimisers and formulas kept as plain text
ALLOWED = frozenset({"SGD", "Momentum", "RMSProp", "RMS", "Adam"})


@pytest.mark.parametrize(
    "params",
    [
        {"problem": "circle", "epochs": 3},
        {"problem": "ravine", "learning_rate": 0.55, "epochs": 20},
        {"problem": "spiral", "show": "adam", "epochs": 2},
        {"problem": "ravine", "show": "momentum", "epochs": 2},
    ],
)
def test_every_text_is_translated(params):
    exp = race(**params)
    frames = [exp.frame()]
    while not exp.done:
        exp.step()
    frames.append(exp.frame())
    with language():
        for frame in frames:
            assert english_words(frame_texts(frame), ALLOWED) == []
