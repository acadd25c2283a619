"""The convolution experiment: slides step by step and agrees with nn.conv."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from tests.unit.experiment_checks import (
    english_words,
    frame_texts,
    language,
    lesson_problems,
    step_while_reading,
)
from tui_workshop.experiments import Heatmap, ParameterError, TextPanel, create
from tui_workshop.experiments.convolution import KERNELS, Convolution, output_size_text
from tui_workshop.i18n import render
from tui_workshop.nn import conv
from tui_workshop.nn.images import sample_images

MINUS = "−"


def parse(text: str) -> float:
    return float(text.replace(MINUS, "-"))


def text_of(frame, index: int = 2) -> str:
    return render(frame.panels[index].text)


def run(exp, steps: int):
    for _ in range(steps):
        exp.step()
    return exp.frame()


def test_frame_panels_window_and_metrics():
    exp = create("convolution", {"image": "square", "size": 12, "kernel": "sobel_x"})
    frame = exp.frame()
    image, out, text = frame.panels
    assert isinstance(image, Heatmap) and isinstance(out, Heatmap) and isinstance(text, TextPanel)
    assert image.z.shape == (12, 12) and out.z.shape == (10, 10)
    assert out.diverging and not image.diverging and out.vmin == -out.vmax
    # only the first entry is computed; the rest are NaN (drawn pale)
    assert np.isfinite(out.z).sum() == 1
    assert dict(frame.metrics) == pytest.approx(
        {"out_h": 10, "out_w": 10, "position": 0, "row": 0, "col": 0, "value": 0, "computed": 1}
    )
    # the window: the 4 corner cells of the 3×3 patch at the top-left corner (y runs
    # down an image: row 0 at the top, y_range = (12, 0))
    assert image.y_range == (12.0, 0.0)
    (window,) = image.points
    cells = sorted(zip(window.x - 0.5, window.y - 0.5, strict=True))
    assert cells == [(0, 0), (0, 2), (2, 0), (2, 2)]
    # later the window follows the position (row 1, col 4 of the output, stride 1)
    moved = run(exp, 14).panels[0].points[0]
    assert sorted(zip(moved.x - 0.5, moved.y - 0.5, strict=True)) == [
        (4, 1), (4, 3), (6, 1), (6, 3)
    ]  # fmt: skip
    assert frame.level == "info" and not frame.done


def test_each_step_moves_one_position_in_reading_order_until_done():
    exp = create("convolution", {"size": 8, "kernel": "box_blur"})
    frame = run(exp, 7)
    assert (frame.metrics["row"], frame.metrics["col"]) == (1, 1)  # 6 per row
    steps = 7
    while not exp.done:
        exp.step()
        steps += 1
    assert steps == 6 * 6 - 1
    final = exp.frame()
    assert final.done and final.progress == 1.0
    expected = conv.correlate2d(sample_images(8)["square"], KERNELS["box_blur"])
    np.testing.assert_allclose(final.panels[1].z[::-1], expected)
    exp.step()  # nothing more to do
    assert exp.frame().metrics["computed"] == 36


@pytest.mark.parametrize(
    "params",
    [
        {"image": "digit", "size": 16, "kernel": "sobel_x"},
        {"image": "circle", "size": 12, "kernel": "sharpen", "stride": 2, "padding": 1},
        {"image": "checkerboard", "size": 10, "kernel": "laplacian", "padding": 2, "stride": 3},
        {"image": "digit", "size": 8, "kernel": "gaussian_blur"},
    ],
)
def test_dot_product_text_equals_correlate2d(params):
    exp = create("convolution", params)
    image = sample_images(params["size"])[params["image"]]
    kernel = KERNELS[params["kernel"]]
    s, p = params.get("stride", 1), params.get("padding", 0)
    expected = conv.correlate2d(image, kernel, s, p)
    rng = np.random.default_rng(0)
    for steps in sorted(rng.choice(expected.size, 5, replace=False)):
        frame = run(exp, int(steps) + 1 - exp.computed)
        i, j = int(frame.metrics["row"]), int(frame.metrics["col"])
        text = text_of(frame)
        head = re.search(r"out\[(\d+),(\d+)\] = Σ K⊙patch", text)
        assert head and (int(head[1]), int(head[2])) == (i, j)
        total = re.search(r"\n = (\S+)\n", text)[1]
        assert parse(total) == pytest.approx(expected[i, j], abs=0.005)
        # the products written out are the kernel times the patch the engine uses
        step = conv.correlation_step(image, kernel, i, j, s, p)
        terms = re.findall(r"\(?(−?[\d.]+)\)?·(−?[\d.]+)", text.split("\n\n")[0])
        assert len(terms) == kernel.size
        np.testing.assert_allclose([parse(k) for k, _ in terms], kernel.ravel(), atol=5e-5)
        np.testing.assert_allclose([parse(x) for _, x in terms], step.patch.ravel(), atol=0.005)
        assert f"{expected.shape[0]}" in text.split("\n\n")[1]
        assert frame.metrics["value"] == pytest.approx(expected[i, j])


def test_box_blur_entry_factors_out_the_constant():
    frame = run(create("convolution", {"image": "digit", "size": 8, "kernel": "blur_5x5"}), 5)
    text = text_of(frame)
    image = sample_images(8)["digit"]
    i, j = int(frame.metrics["row"]), int(frame.metrics["col"])
    patch_sum = image[i : i + 5, j : j + 5].sum()
    assert f"0.040·{patch_sum:.2f}" in text
    assert text.split("\n")[2] == f" = {conv.correlate2d(image, KERNELS['blur_5x5'])[i, j]:.2f}"


def test_output_size_text_uses_the_formula_with_numbers():
    frame = create("convolution", {"size": 12, "stride": 2, "padding": 1}).frame()
    text = text_of(frame)
    assert "⌊(12 + 2·1 − 3)/2⌋ + 1\n = ⌊11/2⌋ + 1 = 6" in text
    assert conv.conv_output_size(12, 3, 1, 2) == 6
    assert "(the last 1 row/column is skipped)" in text
    two = text_of(create("convolution", {"size": 14, "stride": 3}).frame())  # 11 = 3·3 + 2
    assert "(the last 2 rows/columns are skipped)" in two
    last = render(output_size_text(28, 5, 2, 2)[-1])
    assert last.endswith(f"= {conv.conv_output_size(28, 5, 2, 2)}")
    assert max(len(line) for line in text.splitlines()) <= 38


@pytest.mark.parametrize(
    "params",
    [
        {"size": 6, "kernel": "blur_7x7", "padding": 0},
        {"size": 6, "kernel": "blur_7x7", "padding": 0, "pool": "max"},
    ],
)
def test_misfit_gives_a_warning_frame_not_an_exception(params):
    exp = create("convolution", params)
    frame = exp.frame()
    assert frame.level == "warning" and frame.done and exp.done
    message = render(frame.message)
    assert "7" in message and "6 + 2·0 = 6" in message
    assert "padding" in message
    assert "7 > 6 + 2·0 = 6: no room" in text_of(frame, 1)
    assert frame.metrics["out_h"] == 0 and frame.metrics["position"] == -1
    exp.step()  # harmless
    assert exp.frame().level == "warning"
    with pytest.raises(ValueError):
        conv.conv_output_size(6, 7, 0, 1)
    # one ring of padding makes it fit: ⌊(6 + 2 − 7)/1⌋ + 1 = 2
    fits = create("convolution", {**params, "padding": 1}).frame()
    assert fits.level == "info" and fits.metrics["out_h"] == 2


def test_pooling_too_small_a_map_warns():
    frame = create(
        "convolution", {"size": 6, "kernel": "blur_5x5", "stride": 2, "pool": "max"}
    ).frame()  # out 1×1
    assert frame.metrics["out_h"] == 1
    assert frame.level == "warning" and "pooling" in render(frame.message).lower()
    assert len(frame.panels) == 3


@pytest.mark.parametrize("kind, reduce", [("max", np.max), ("avg", np.mean)])
def test_pooled_heatmap_matches_the_engine(kind, reduce):
    exp = create("convolution", {"image": "digit", "size": 16, "kernel": "sobel_y", "pool": kind})
    while not exp.done:
        exp.step()
    pooled = exp.frame().panels[3]
    out = conv.correlate2d(sample_images(16)["digit"], KERNELS["sobel_y"])
    forward = conv.maxpool_forward if kind == "max" else conv.avgpool_forward
    expected = forward(out[None, None], 2)[0][0, 0]
    np.testing.assert_allclose(pooled.z[::-1], expected)
    assert pooled.z.shape == (7, 7)
    # before the end, unfinished windows are NaN
    partial = run(create("convolution", {"size": 16, "kernel": "sobel_y", "pool": kind}), 20)
    assert np.isnan(partial.panels[3].z).any() and np.isfinite(partial.panels[3].z).any()


def test_bad_parameters_raise_parameter_error():
    bad = ({"kernel": "nope"}, {"image": "cat"}, {"pool": "min"}, {"size": 100},
           {"size": 1_000_000_000}, {"digit": 1797}, {"stride": 0}, {"padding": 100})  # fmt: skip
    for params in bad:
        with pytest.raises(ParameterError):
            create("convolution", params)


def test_steps_and_frames_are_fast_and_panels_small():
    exp = create("convolution", {"image": "digit", "size": 24, "kernel": "sharpen", "pool": "avg"})
    slowest = 0.0
    while not exp.done:
        started = time.process_time()  # CPU time: other processes do not count
        exp.step()
        frame = exp.frame()
        slowest = max(slowest, time.process_time() - started)
    assert slowest < 0.1
    for panel in frame.panels:
        if isinstance(panel, Heatmap):
            assert max(panel.z.shape) <= 24
        else:
            assert max(len(line) for line in render(panel.text).splitlines()) <= 60


def test_status_and_titles_in_english():
    exp = create("convolution", {"size": 8, "kernel": "sobel_x", "padding": 1, "pool": "max"})
    frame = run(exp, 3)
    assert render(frame.status) == "out[0,3] = 0.00 · 4/64 · Sobel x 3×3, s = 1, p = 1"
    titles = [render(p.title) for p in frame.panels]
    assert titles == ["Input 10×10 (padding 1)", "Feature map 8×8", "Dot product",
                      "Max pool 2×2 → 4×4"]  # fmt: skip
    assert "max pool 2×2: ⌊8/2⌋ = 4 → 4×4" in text_of(frame)


def test_stepping_in_a_thread_while_frames_are_read():
    exp = create("convolution", {"size": 10, "kernel": "laplacian", "pool": "avg"})
    seen = step_while_reading(exp, 80)
    assert seen[-1] == 64
    assert exp.done and render(exp.frame().message) == "The kernel has visited every position."


def test_schema_contains_the_shipped_lesson():
    assert lesson_problems(Convolution.SCHEMA, "14-convolution.md") == []
    assert not Convolution.live_params


@pytest.mark.parametrize(
    "params",
    [{"kernel": "sobel_y", "stride": 3, "pool": "max"},
     {"image": "digit", "kernel": "blur_5x5", "padding": 2, "pool": "avg"},
     {"size": 6, "kernel": "blur_7x7"},
     {"size": 6, "kernel": "blur_5x5", "stride": 2, "pool": "max"}],
)  # fmt: skip
def test_every_text_is_translated_in_the_pseudo_locale(params):
    exp = create("convolution", params)
    with language():
        texts = frame_texts(exp.frame())
        texts += frame_texts(run(exp, 5))
    assert english_words(texts, {"Sobel"}) == []
