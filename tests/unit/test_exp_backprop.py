"""The backprop experiment: explicit 2-2-1 math, reveal order and gradient check."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.experiment_checks import (
    english_words,
    frame_texts,
    frames_until_done,
    language,
    lesson_problems,
    step_while_reading,
)
from tui_workshop.experiments import ParameterError, Table, TextPanel, create
from tui_workshop.experiments.backprop import (
    BUGS,
    STEPS,
    Backprop,
    backward,
    default_params,
    forward,
    numerical_gradients,
)
from tui_workshop.i18n import render
from tui_workshop.nn import gradcheck
from tui_workshop.nn.mlp import MLP


def panel(frame, kind):
    return next(p for p in frame.panels if isinstance(p, kind))


def finished(**params):
    exp = create("backprop", params)
    while not exp.done:
        exp.step()
    return exp


def engine_model() -> MLP:
    """The engine's 2-2-1 tanh/sigmoid network with the lesson's weights."""
    model = MLP([2, 2, 1], activation="tanh", output="sigmoid", seed=0)
    for param, value in zip(model.params, default_params(), strict=True):
        param[...] = value
    return model


@pytest.mark.parametrize("x1, x2, y", [(1.0, 0.5, 1), (-2.0, 1.5, 0), (0.3, -0.7, 1)])
def test_forward_and_gradients_agree_with_the_engine(x1, x2, y):
    x = np.array([x1, x2])
    model = engine_model()
    X = x.reshape(1, 2)
    result = backward(default_params(), x, y)
    p_engine = model.forward(X).ravel()[0]
    assert result["p"][0] == pytest.approx(p_engine, rel=1e-12)
    loss, grads = model.loss_and_grads(X, np.array([y]))
    assert result["L"] == pytest.approx(loss, rel=1e-10)
    for ours, theirs in zip(result["grads"], grads, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    ours_num = numerical_gradients(default_params(), x, y)
    engine_num = gradcheck.numerical_gradient(model, X, np.array([y]))
    for ours, theirs in zip(ours_num, engine_num, strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-8)


def test_gradient_check_passes_without_a_bug():
    frame = finished(bug="none").frame()
    assert frame.metrics["relative_difference"] < 1e-7
    assert frame.metrics["check_passed"] == 1.0
    exp = create("backprop")
    engine_rd = gradcheck.relative_difference(exp.result["grads"], exp.numerical)
    assert exp.rel_diff == pytest.approx(engine_rd, rel=1e-6, abs=1e-15)
    assert "PASS < 1e−7" in render(panel(frame, TextPanel).text)
    assert render(frame.message) == "Gradient check passed." and frame.level == "info"
    assert panel(frame, Table).highlight == frozenset()


@pytest.mark.parametrize("bug", [b for b in BUGS if b != "none"])
@pytest.mark.parametrize("y", [0, 1])
def test_each_bug_makes_the_check_fail_visibly(bug, y):
    frame = finished(bug=bug, y=y).frame()
    rd = frame.metrics["relative_difference"]
    assert rd > 1e-2
    assert frame.metrics["check_passed"] == 0.0
    # a failed check is what the bug is for: a warning naming the bug, never "diverged"
    assert frame.level == "warning"
    message = render(frame.message)
    assert message.startswith("Gradient check FAILED: the planted bug")
    assert "diverged" not in message and "learning rate" not in message
    assert "FAIL" in render(panel(frame, TextPanel).text)
    assert panel(frame, Table).highlight  # the wrong gradients are marked


def test_tanh_derivative_bug_is_off_by_about_ten_percent():
    rd = finished(bug="no_tanh_derivative").frame().metrics["relative_difference"]
    assert 0.03 < rd < 0.5


def texts(frame) -> tuple[str, str]:
    """(current step, graph so far)."""
    current, graph = (p for p in frame.panels if isinstance(p, TextPanel))
    assert (render(current.title), render(graph.title)) == ("Current step", "The graph so far")
    return render(current.text), render(graph.text)


def test_steps_reveal_quantities_in_graph_order():
    exp = create("backprop")
    assert len(STEPS) == 14
    markers = ["z₁ =", "a₁ =", "z₂ =", "p = σ", "L =", "dL/dp", "dL/dz₂", "dL/dW₂", "dL/db₂",
               "dL/da₁", "dL/dz₁", "dL/dW₁", "dL/db₁", "check:"]  # fmt: skip
    current, graph = texts(exp.frame())
    assert not any(m in graph for m in markers)
    assert current.startswith("Step 0")
    for k in range(1, 15):
        exp.step()
        frame = exp.frame()
        current, graph = texts(frame)
        assert frame.metrics["revealed"] == k
        assert all(m in graph for m in markers[:k])
        assert not any(m in graph for m in markers[k:])
        assert current.startswith(f"Step {k}/14")
        assert frame.done is (k == 14)
        assert ("relative_difference" in frame.metrics) is (k == 14)
        # panel titles stay fixed, so the UI can update the widgets in place
        assert [type(p).__name__ + render(p.title) for p in frame.panels] == [
            "TextPanelCurrent step", "TabledL/dw: backprop g, numeric ĝ",
            "TextPanelThe graph so far"]  # fmt: skip
    exp.step()
    assert exp.frame().metrics["revealed"] == 14


def test_current_step_text_has_the_numbers_and_fits_a_narrow_pane():
    exp = create("backprop")
    f = forward(default_params(), np.array([1.0, 0.5]), 1)
    seen = []
    while not exp.done:
        exp.step()
        current, graph = texts(exp.frame())
        seen.append(current)
        for text in (current, graph):
            assert max(len(line) for line in text.splitlines()) <= 36
    assert "z₁[1] = 0.50·1.00 + 0.20·0.50\n  + 0.10 = 0.7000" in seen[0]
    assert f"= {f['p'][0]:.4f}" in seen[3]
    assert f"= {f['L']:.4f}" in seen[4]
    assert "dL/dz₂ = dL/dp · σ′(z₂)\n  = p − y = 0.6437 − 1" in seen[6]
    assert "⊙ (0.6347, 0.9610)" in seen[10]


def test_gradient_table_fills_in_as_steps_reveal():
    exp = create("backprop")
    for _ in range(STEPS.index("dW2") + 1):
        exp.step()
    rows = [tuple(map(render, r)) for r in panel(exp.frame(), Table).rows]
    by_name = {r[0]: r for r in rows}
    assert by_name["W₂[1]"][1] != "?" and by_name["b₂"][1] == "?"
    assert by_name["W₁[1,1]"][1] == "?"
    assert all(r[2] == "?" for r in rows)
    while not exp.done:
        exp.step()
    rows = [tuple(map(render, r)) for r in panel(exp.frame(), Table).rows]
    assert len(rows) == 9 and all("?" not in r for r in rows)
    grads = np.concatenate([g.ravel() for g in exp.result["grads"]])
    shown = [float(r[1].replace("−", "-")) for r in rows]
    np.testing.assert_allclose(shown, grads, atol=6e-6)  # 5 decimals


@pytest.mark.parametrize("bad", [{"bug": "typo"}, {"y": 3}])
def test_bad_parameters_are_rejected(bad):
    with pytest.raises(ParameterError):
        create("backprop", bad)


def test_each_bug_message_names_the_bug():
    words = {
        "no_tanh_derivative": "tanh derivative",
        "no_bias_gradient": "bias gradients",
        "wrong_sign": "sign of dL/dz₂",
    }
    for bug, words_of_bug in words.items():
        message = render(finished(bug=bug).frame().message)
        assert words_of_bug in message, bug


@pytest.mark.parametrize("bad", [{"x1": 1e9}, {"x2": -1e9}, {"y": 0.5}, {"bug": 3}])
def test_out_of_range_values_are_rejected_with_a_message(bad):
    with pytest.raises(ParameterError) as error:
        create("backprop", bad)
    assert render(error.value.message)


def test_schema_contains_the_lesson():
    assert lesson_problems(Backprop.SCHEMA, "07-backprop.md") == []


def test_stepping_in_a_thread_while_frames_are_read():
    exp = create("backprop", {"bug": "wrong_sign"})
    seen = step_while_reading(exp, 20)
    assert seen[-1] == len(STEPS) and exp.done


# formulas kept as plain text: function names in them
ALLOWED = frozenset({"tanh", "log"})


@pytest.mark.parametrize("bug", BUGS)
def test_every_text_is_translated(bug):
    exp = create("backprop", {"bug": bug, "y": 0})
    frames = [exp.frame(), *frames_until_done(exp)]
    with language():
        for frame in frames:
            assert english_words(frame_texts(frame), ALLOWED) == [], frame.step
