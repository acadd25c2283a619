"""The vectors-and-matrices experiment: Y = X·W + b revealed entry by entry."""

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
from tui_workshop.experiments.linear_algebra import (
    LESSON_B,
    LESSON_W,
    LESSON_X,
    LinearAlgebra,
    make_layer,
)
from tui_workshop.experiments.schema import Param
from tui_workshop.i18n import render


def parse(cell) -> float:
    return float(render(cell).replace("−", "-"))


def table(frame, prefix: str) -> Table:
    return next(
        p for p in frame.panels if isinstance(p, Table) and render(p.title).startswith(prefix)
    )


def text(frame) -> str:
    return render(next(p for p in frame.panels if isinstance(p, TextPanel)).text)


@pytest.mark.parametrize(
    "n_inputs, n_outputs, batch, seed, example",
    [
        (2, 2, 2, 0, "lesson"),
        (3, 1, 4, 0, "lesson"),
        (4, 3, 2, 7, "random"),
        (1, 4, 1, 3, "random"),
    ],
)
def test_revealed_numbers_equal_numpy_product(n_inputs, n_outputs, batch, seed, example):
    params = {"n_inputs": n_inputs, "n_outputs": n_outputs, "batch": batch, "seed": seed,
              "example": example}  # fmt: skip
    exp = create("linear_algebra", params)
    X, W, b = make_layer(n_inputs, n_outputs, batch, seed, example)
    expected = X @ W + b
    frames = frames_until_done(exp)
    assert len(frames) == batch * n_outputs
    final = frames[-1]
    y_rows = table(final, "Y").rows
    got = np.array([[parse(c) for c in row[1:]] for row in y_rows])
    np.testing.assert_allclose(got, expected, atol=0.005)
    x_rows = table(final, "X").rows
    np.testing.assert_allclose([[parse(c) for c in r[1:]] for r in x_rows], X, atol=0.005)
    *w_rows, b_row = table(final, "W").rows
    np.testing.assert_allclose([[parse(c) for c in r[1:]] for r in w_rows], W, atol=0.005)
    assert b_row[0] == "b"
    assert [parse(c) for c in b_row[1:]] == pytest.approx(b, abs=0.005)


def test_lesson_example_uses_the_top_left_block():
    X, W, b = make_layer(2, 3, 2, example="lesson")
    np.testing.assert_array_equal(X, LESSON_X[:2, :2])
    np.testing.assert_array_equal(W, LESSON_W[:2, :3])
    np.testing.assert_array_equal(b, LESSON_B[:3])


def test_random_example_depends_on_seed_and_is_reproducible():
    a = make_layer(3, 3, 3, seed=1, example="random")
    b = make_layer(3, 3, 3, seed=1, example="random")
    c = make_layer(3, 3, 3, seed=2, example="random")
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_reveal_order_is_row_by_row_and_ends_done():
    exp = create("linear_algebra", {"batch": 2, "n_outputs": 3})
    first = exp.frame()
    assert not first.done and first.metrics["revealed"] == 0
    assert all(c == "?" for row in table(first, "Y").rows for c in row[1:])
    order = []
    for frame in frames_until_done(exp):
        (cell,) = table(frame, "Y").highlight
        order.append(cell)
        shown = sum(c != "?" for row in table(frame, "Y").rows for c in row[1:])
        assert shown == frame.metrics["revealed"]
    assert order == [(i, j + 1) for i in range(2) for j in range(3)]
    assert exp.done and exp.frame().done
    assert exp.frame().metrics["complete"] == 1.0
    exp.step()  # stepping past the end changes nothing
    assert exp.frame().metrics["revealed"] == 6


def test_entry_text_shows_the_dot_product_with_numbers():
    exp = create("linear_algebra")
    exp.step()
    lines = text(exp.frame())
    assert "(batch×in)·(in×out) + (out)\n  → (batch×out)" in lines
    assert "here (2×2)·(2×2) + (2) → (2×2)" in lines
    # Y₁₁ = 0.5·1 + (−0.2)·2 + 0.1 = 0.2
    assert "Y₁₁ = w₁·x₁ + b₁\n  = 0.50·1.00 + (−0.20)·2.00\n  + 0.10 = 0.20" in lines


def test_long_dot_products_wrap_two_products_per_line():
    exp = create("linear_algebra", {"n_inputs": 4, "n_outputs": 1, "batch": 1})
    exp.step()
    lines = text(exp.frame()).splitlines()
    X, W, b = make_layer(4, 1, 1)
    assert lines[2] == "  = 0.50·1.00 + (−0.20)·2.00"
    assert lines[3] == "  + 0.10·0.50 + 0.30·(−1.00)"
    assert lines[4] == f"  + 0.10 = {float(X[0] @ W[:, 0] + b[0]):.2f}".replace("-", "−")
    assert max(len(line) for line in lines) <= 32  # fits half of a wide experiment pane


@pytest.mark.parametrize("seed", range(6))
def test_entry_lines_stay_narrow_with_any_numbers(seed):
    params = {"n_inputs": 4, "n_outputs": 2, "batch": 2, "example": "random", "seed": seed}
    exp = create("linear_algebra", params)
    while not exp.done:
        exp.step()
        assert max(len(line) for line in text(exp.frame()).splitlines()) <= 36


def test_highlights_follow_the_current_entry():
    exp = create("linear_algebra", {"n_inputs": 3, "n_outputs": 2, "batch": 2})
    for _ in range(4):
        exp.step()
    frame = exp.frame()  # last revealed: row 2, column 2
    assert table(frame, "X").highlight == {(1, 1), (1, 2), (1, 3)}
    assert table(frame, "W").highlight == {(0, 2), (1, 2), (2, 2), (3, 2)}  # with b


def test_entry_parameter_picks_the_entry_to_explain():
    exp = create("linear_algebra", {"entry": 4})
    frame = exp.frame()
    assert table(frame, "Y").highlight == {(1, 2)}
    X, W, b = make_layer(2, 2, 2)
    value = X[1] @ W[:, 1] + b[1]
    assert f"= {value:.2f}".replace("-", "−") in text(frame)
    exp.set_live("entry", 0)
    assert table(exp.frame(), "Y").highlight == frozenset()


@pytest.mark.parametrize("bad", [{"n_inputs": 0}, {"batch": 5}, {"example": "other"}, {"x": 1}])
def test_bad_parameters_are_rejected(bad):
    with pytest.raises(ParameterError):
        create("linear_algebra", bad)


def test_stepping_in_a_thread_while_frames_are_read():
    exp = create("linear_algebra", {"n_inputs": 4, "n_outputs": 4, "batch": 4})
    seen = step_while_reading(exp, 20)
    assert seen[-1] == 16
    assert exp.done and render(exp.frame().message) == "Every entry of Y is computed."


def test_status_counts_entries_with_a_plural():
    exp = create("linear_algebra", {"n_inputs": 1, "n_outputs": 1, "batch": 1})
    assert render(exp.frame().status) == "0/1 entry"
    assert render(table(exp.frame(), "X").title) == "X: 1 sample (1×1)"
    assert render(create("linear_algebra").frame().status) == "0/4 entries"


def test_schema_contains_the_shipped_lesson():
    assert lesson_problems(LinearAlgebra.SCHEMA, "02-vectors-matrices.md") == []
    assert LinearAlgebra.live_params == {"entry"}


@pytest.mark.parametrize("name", ["n_inputs", "n_outputs", "batch", "entry", "seed"])
def test_sizes_are_bounded(name):
    param: Param = LinearAlgebra.SCHEMA[name]
    assert param.max is not None and param.max <= 100_000
    with pytest.raises(ParameterError) as error:
        create("linear_algebra", {name: 1_000_000_000})
    assert "must be between" in render(error.value.message)


@pytest.mark.parametrize("example", ["lesson", "random"])
def test_every_text_is_translated_in_the_pseudo_locale(example):
    exp = create("linear_algebra", {"n_inputs": 3, "batch": 1, "example": example})
    with language():
        texts = frame_texts(exp.frame())
        while not exp.done:
            exp.step()
            texts += frame_texts(exp.frame())
    assert english_words(texts) == []
