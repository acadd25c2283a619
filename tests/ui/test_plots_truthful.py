"""Plots that do not lie (issue 10): axes, legends, colour scales, shapes and sizes.

Each test builds the situation the issue found (a loss near 0, a log axis over six
decades, a curve through the legend's corner, a ReLU output, an image, a circle)
and reads back what the widget drew.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.ui.test_layout import is_braille
from tests.ui.test_widgets import ViewApp, texts
from tui_workshop.experiments.base import Frame, Heatmap, LinePlot, Series, frozen_array
from tui_workshop.ui.widgets import ExperimentView, HeatmapWidget, LinePlotWidget
from tui_workshop.ui.widgets.experiment_view import PLOT_MIN_HEIGHT, PLOT_MIN_ROWS
from tui_workshop.ui.widgets.heatmap import color_range, data_range, fmt
from tui_workshop.ui.widgets.line_plot import fitted_axis, nice_axis, parse_tick, tick_label


def curve(title, x, y, *, logy=False, label="train", xlabel="", ylabel="", role=0) -> LinePlot:
    return LinePlot(
        title,
        (Series(label, frozen_array(x), frozen_array(y), role=role),),
        xlabel=xlabel,
        ylabel=ylabel,
        logy=logy,
    )


def row_ticks(widget: LinePlotWidget) -> list[tuple[int, float]]:
    """(canvas row from the top, value) of each y tick label drawn."""
    axis = widget.axis
    lines = texts(widget)
    out = []
    for r in range(axis["rows"]):
        label, bar, _ = lines[axis["first_row"] + r].partition("┤")
        if bar and label.strip():
            out.append((r, parse_tick(label, axis["log"])))
    return out


def assert_ticks_exact(widget: LinePlotWidget) -> None:
    axis = widget.axis
    bottom, top = axis["y_range"]
    span = (top - bottom) / (axis["rows"] - 1)
    ticks = row_ticks(widget)
    assert len(ticks) >= 2
    # Linear: the row's exact value. Log: 10^value to 2-3 significant digits,
    # a small fraction of a row away.
    tolerance = span * (0.1 if axis["log"] else 1e-6)
    for r, value in ticks:
        assert value == pytest.approx(top - r * span, abs=tolerance), (r, value)


# ------------------------------------------------------------------- ticks
@pytest.mark.parametrize("height", [9, 12, 20])
async def test_loss_near_zero_reads_zero_on_the_bottom_row(height: int) -> None:
    """The playground: loss from 0.7 down to 1e-6; the bottom row must read 0."""
    epochs = np.arange(1, 301, dtype=float)
    loss = 0.7 * np.exp(-epochs / 20) + 1e-6
    app = ViewApp(Frame(0, "", (curve("Loss", epochs, loss, xlabel="epoch", ylabel="loss"),)))
    async with app.run_test(size=(60, height + 3)) as pilot:
        await pilot.pause()
        widget = app.query_one(LinePlotWidget)
        widget.render()
        assert_ticks_exact(widget)
        bottom_row, bottom_value = row_ticks(widget)[-1]
        assert bottom_row == widget.axis["rows"] - 1 and bottom_value == 0.0
        assert max(v for _, v in row_ticks(widget)) >= 0.7 - widget.axis["step"]


async def test_log_axis_over_six_decades_labels_rows_exactly() -> None:
    """Lesson 6 (ravine, momentum): f falls from 16 to 9.53e-7 on a log axis."""
    steps = np.arange(0, 200, dtype=float)
    f = 16.0 * np.exp(-steps * math.log(16 / 9.53e-7) / 199)
    app = ViewApp(Frame(0, "", (curve("f per step", steps, f, logy=True, ylabel="f"),)))
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        widget = app.query_one(LinePlotWidget)
        widget.render()
        assert widget.axis["log"]
        assert_ticks_exact(widget)
        bottom, top = widget.axis["y_range"]
        # The smallest value drawn lies within the bottom row's reach, not at "0.43".
        assert bottom <= math.log10(9.53e-7) < bottom + widget.axis["step"]
        assert top >= math.log10(16.0)


@pytest.mark.parametrize("height", [8, 9, 11, 13])
async def test_a_rate_axis_ends_at_one(height: int) -> None:
    """Lesson 9's ROC curve: recall from 0 to 1. On 4 rows a round step read
    0, 0.4, 0.8, 1.2, and the curve's top looked like 1.2."""
    fpr = np.linspace(0.0, 1.0, 50)
    roc = LinePlot(
        "ROC",
        (Series("ROC", frozen_array(fpr), frozen_array(np.sqrt(fpr))),),
        ylabel="recall",
        xlim=(0.0, 1.0),
        ylim=(0.0, 1.0),
    )
    app = ViewApp(Frame(0, "", (roc,)))
    async with app.run_test(size=(60, height + 3)) as pilot:
        await pilot.pause()
        widget = app.query_one(LinePlotWidget)
        widget.render()
        assert widget.axis["y_range"] == (0.0, 1.0)
        assert_ticks_exact(widget)
        values = [value for _row, value in row_ticks(widget)]
        assert max(values) <= 1.0 and min(values) == 0.0


def test_fitted_axis_only_when_a_round_step_overshoots() -> None:
    assert fitted_axis(0.0, 1.0, 4) == (0.0, 1.0, pytest.approx(1 / 3), [0, 3])
    assert fitted_axis(0.0, 1.0, 7)[3] == [0, 3, 6]  # 0, 0.5, 1
    assert fitted_axis(0.0, 1.0, 6) is None  # 0, 0.2 … 1 fits
    assert fitted_axis(-2.0, 2.0, 5) is None  # a step of 1 fits
    assert fitted_axis(0.0, 0.105, 4) is None  # a padded range: a round step may pass it


def test_nice_axis_and_labels_round_trip() -> None:
    for lo, hi, rows in [(0.0, 1.0, 6), (9.53e-7, 16.0, 4), (-1.3, 1.2, 9), (5.0, 5.0, 5)]:
        bottom, top, step = nice_axis(lo, hi, rows)
        assert bottom <= lo and top >= hi and top - bottom == pytest.approx(step * (rows - 1))
        for k in range(rows):
            value = bottom + k * step
            assert parse_tick(tick_label(value, step, False)) == pytest.approx(value, abs=step / 2)


# ------------------------------------------------------- legends and labels
async def test_legend_and_labels_stay_outside_the_data() -> None:
    """Cross-entropy near p → 0 runs through the top-left corner, where plotext
    put its legend; the y label is above the axis, the x label under it."""
    p = np.linspace(0.001, 0.999, 200)
    plot = LinePlot(
        "Loss",
        (
            Series("−log p (y = 1)", frozen_array(p), frozen_array(-np.log(p))),
            Series("−log(1 − p) (y = 0)", frozen_array(p), frozen_array(-np.log(1 - p)), role=1),
        ),
        xlabel="false positive rate FP/(FP+TN)",
        ylabel="recall (true positive rate)",
    )
    app = ViewApp(Frame(0, "", (plot,)))
    async with app.run_test(size=(70, 18)) as pilot:
        await pilot.pause()
        widget = app.query_one(LinePlotWidget)
        widget.render()
        lines = texts(widget)
        first = widget.axis["first_row"]
        header, canvas = lines[:first], lines[first : first + widget.axis["rows"]]
        assert header and "recall (true positive rate)" in header[0]
        assert any("−log p (y = 1)" in line for line in header)
        assert not any(is_braille(ch) for line in header for ch in line)
        assert not any("log" in line or "recall" in line for line in canvas)
        # Data is drawn in the top-left corner (where the legend used to be).
        top_third = canvas[: len(canvas) // 3 + 1]
        assert any(is_braille(ch) for line in top_third for ch in line[:12])
        assert "false positive rate" in lines[-1] and "recall" not in lines[-1]


# ------------------------------------------------------------ colour scales
def test_colour_range_widens_to_the_data_and_keeps_zero_in_the_middle() -> None:
    z = frozen_array([[-3.0, 0.5], [1.0, 2.0]])
    heat = Heatmap("h", z, (0.0, 1.0), (0.0, 1.0), vmin=-1.0, vmax=1.0)
    assert color_range(heat) == (-3.0, 3.0)
    assert data_range(heat.z) == (-3.0, 2.0)
    inside = Heatmap("h", z, (0.0, 1.0), (0.0, 1.0), vmin=-5.0, vmax=5.0)
    assert color_range(inside) == (-5.0, 5.0)


def legend_of(widget: HeatmapWidget) -> str:
    geo = widget.geometry()
    return widget.render_line(geo["grid_rows"] + geo["axis"] + geo["legend"] - 1).text


async def test_neuron_relu_legend_starts_at_its_smallest_output() -> None:
    from tui_workshop.experiments.neuron import Neuron

    heat = Neuron({"activation": "relu"}).frame().panels[0]
    assert isinstance(heat, Heatmap) and float(np.min(heat.z)) >= 0.0
    assert heat.vmin == 0.0 and heat.vmax == pytest.approx(float(np.max(heat.z)))
    app = ViewApp(Frame(0, "", (heat,)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        legend = legend_of(app.query_one(HeatmapWidget))
        low, high = data_range(heat.z)
        assert f" {fmt(low)} " in legend and legend.rstrip().endswith(fmt(high))
        assert "−" not in legend and "-" not in legend  # no negative value for a ReLU


async def test_gradient_descent_legend_covers_f() -> None:
    from tui_workshop.experiments.gradient_descent import GradientDescent

    exp = GradientDescent({"surface": "saddle"})
    exp.set_grid(30, 20)
    heat = exp.frame().panels[0]
    assert isinstance(heat, Heatmap) and heat.log_colors
    app = ViewApp(Frame(0, "", (heat,)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        legend = legend_of(app.query_one(HeatmapWidget))
        low, high = data_range(heat.z)
        assert high > 1.0  # f reaches well above the old 0…1 legend
        assert legend.rstrip().endswith(" " + fmt(high)) and f" {fmt(low)} " in legend


# ------------------------------------------------------------------- shapes
async def test_a_circle_is_drawn_round() -> None:
    """Points on a circle over a 2:1 rectangle: as many pixel columns per unit as rows."""
    t = np.linspace(0, 2 * np.pi, 400)
    ring = Series("ring", frozen_array(2 * np.cos(t)), frozen_array(2 * np.sin(t)), "points", 1)
    z = np.zeros((20, 40))
    heat = Heatmap("plane", frozen_array(z), (-6.0, 6.0), (-3.0, 3.0), (ring,))
    app = ViewApp(Frame(0, "", (heat,)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        widget = app.query_one(HeatmapWidget)
        geo = widget.geometry()
        cols, rows = geo["cols"], geo["grid_rows"]
        assert abs(cols - 4 * rows) <= 2  # 12 × 6 units, a cell twice as tall as wide
        grid = [line[geo["gutter"] : geo["gutter"] + cols] for line in texts(widget)[:rows]]
        marks = [(r, c) for r, line in enumerate(grid) for c, ch in enumerate(line) if ch == "✕"]
        width = max(c for _, c in marks) - min(c for _, c in marks) + 1
        height = max(r for r, _ in marks) - min(r for r, _ in marks) + 1
        assert width == pytest.approx(2 * height, abs=2)  # round, not a flat ellipse


async def test_an_image_keeps_its_square_and_says_row_zero_is_on_top() -> None:
    from tui_workshop.experiments.convolution import image_heatmap

    image = np.zeros((12, 12))
    image[0, :] = 1.0  # row 0 lit
    heat = image_heatmap("Input 12×12", image, 0.0, 1.0, False)
    app = ViewApp(Frame(0, "", (heat,)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(HeatmapWidget)
        geo = widget.geometry()
        assert geo["cols"] == 2 * geo["grid_rows"]  # square
        lines = texts(widget)
        assert lines[0].startswith(" 0 ") or lines[0].split()[0] == "0"  # row 0 at the top
        assert lines[geo["grid_rows"] - 1].split()[0] == "12"
        assert any("row" in line[: geo["gutter"]] for line in lines[: geo["grid_rows"]])
        assert "column" in lines[geo["grid_rows"]]
        # The lit row 0 is the top pixel row: the top half of the first line's cells.
        top = widget.render_line(0)
        cells = [seg for seg in top if "▀" in seg.text]
        assert cells and len({seg.style.color for seg in cells}) == 1
        bottom = [seg for seg in widget.render_line(geo["grid_rows"] - 1) if "▀" in seg.text]
        assert {seg.style.color for seg in cells} != {seg.style.bgcolor for seg in bottom}


# ------------------------------------------------------------------- sizes
def two_plots() -> Frame:
    x = np.linspace(-1, 1, 100)
    return Frame(
        0,
        "",
        (
            curve("Loss per epoch", x, x**2, xlabel="epoch", ylabel="loss"),
            curve("The fitted function", x, np.sin(9 * x), xlabel="x", ylabel="y"),
        ),
    )


async def test_small_view_pages_panels_rather_than_squeezing_them() -> None:
    app = ViewApp(two_plots(), height=13)
    async with app.run_test(size=(60, 24)) as pilot:  # one column
        await pilot.pause()
        view = app.query_one(ExperimentView)
        assert view.visible_panels == [0]
        assert app.query_one("#ev-pager").display
        widget = view.panel_widgets[0]
        widget.render()
        assert widget.axis["rows"] >= PLOT_MIN_ROWS
        view.cycle_panels()
        await pilot.pause()
        assert view.visible_panels == [1]
        second = view.panel_widgets[1]
        second.render()
        assert second.axis["rows"] >= PLOT_MIN_ROWS


async def test_plots_grow_with_room() -> None:
    app = ViewApp(two_plots())
    async with app.run_test(size=(60, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(ExperimentView)
        assert view.visible_panels == [0, 1]
        for widget in view.panel_widgets:
            widget.render()
            assert widget.size.height > PLOT_MIN_HEIGHT + 4
            assert widget.axis["rows"] > 2 * PLOT_MIN_ROWS
