"""ExperimentView and the panel widgets, driven with Pilot at 80x24."""

from __future__ import annotations

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui_workshop.experiments.base import (
    Bars,
    Frame,
    Heatmap,
    LinePlot,
    Series,
    Table,
    TextPanel,
    frozen_array,
)
from tui_workshop.ui import palette
from tui_workshop.ui.widgets import (
    BarsWidget,
    ExperimentView,
    HeatmapWidget,
    LinePlotWidget,
    TableWidget,
    TextPanelWidget,
    panels_equal,
)
from tui_workshop.ui.widgets.heatmap import levels, resample
from tui_workshop.ui.widgets.panels import bars_text, thin

SIZE = (80, 24)


def heatmap(shift: float = 0.0, points: bool = True) -> Heatmap:
    xs = np.linspace(-6, 6, 30)
    grid_x, grid_y = np.meshgrid(xs, np.linspace(-6, 6, 20))
    z = 1 / (1 + np.exp(-(grid_x + grid_y + shift)))
    series = (
        (
            Series("class 0", frozen_array([-4.0, -3.0]), frozen_array([-4.0, -2.0]), "points", 0),
            Series("class 1", frozen_array([4.0, 3.0]), frozen_array([4.0, 2.0]), "points", 1),
        )
        if points
        else ()
    )
    return Heatmap("Boundary", frozen_array(z), (-6.0, 6.0), (-6.0, 6.0), series, xlabel="x1")


def loss_plot(n: int = 50) -> LinePlot:
    epochs = np.arange(1, n + 1, dtype=float)
    return LinePlot(
        "Loss",
        (
            Series("train", frozen_array(epochs), frozen_array(1 / epochs)),
            Series("val", frozen_array(epochs), frozen_array(1.2 / epochs), role=1),
        ),
        xlabel="epoch",
        ylabel="loss",
        logy=True,
    )


def all_kinds(step: int = 0, loss_points: int = 50) -> Frame:
    return Frame(
        step=step,
        status=f"epoch {step}",
        panels=(
            TextPanel("Neuron", "z = w·x + b\n  = 0.7"),
            loss_plot(loss_points),
            heatmap(step * 0.1),
            Table("Weights", ("w", "b"), (("0.5", "0.1"), ("-0.3", "0.2")), frozenset({(1, 0)})),
            Bars("Gradients", ("dW", "db"), (0.5, -0.25)),
        ),
        message="learning rate is high",
        level="warning",
        progress=0.25,
    )


class ViewApp(App):
    """The view alone, or stacked under some text with ``height`` rows."""

    def __init__(self, frame: Frame | None = None, height: int | None = None) -> None:
        super().__init__()
        self.first = frame
        self.height = height

    def compose(self) -> ComposeResult:
        view = ExperimentView(self.first, id="view")
        if self.height is not None:
            yield Static("Some lesson text above the experiment.\n" * 3)
            view.styles.height = self.height
        yield view


def texts(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_every_panel_kind_is_drawn() -> None:
    app = ViewApp(all_kinds(), height=16)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ExperimentView)
        kinds = [type(w) for w in view.panel_widgets]
        assert kinds == [TextPanelWidget, LinePlotWidget, HeatmapWidget, TableWidget, BarsWidget]
        status = str(app.query_one("#ev-status").render())
        assert "epoch 0" in status and "learning rate" not in status
        message = app.query_one("#ev-message")
        assert message.display and "⚠ learning rate is high" in str(message.render())
        assert app.query_one("#ev-progress").display
        assert [w.border_title for w in view.panel_widgets] == [
            "Neuron",
            "Loss",
            "Boundary",
            "Weights",
            "Gradients",
        ]
        # The frame does not fit in 16 rows: a page is shown and the pager cycles.
        shown = view.visible_panels
        assert 0 < len(shown) < 5
        assert app.query_one("#ev-pager").display
        view.cycle_panels()
        await pilot.pause()
        assert view.visible_panels and view.visible_panels[0] == shown[-1] + 1
        for index, widget in enumerate(view.panel_widgets):
            assert widget.display == (index in view.visible_panels)


async def test_update_reuses_widgets_and_skips_unchanged_panels() -> None:
    app = ViewApp(all_kinds(0, loss_points=50))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ExperimentView)
        before = list(view.panel_widgets)
        calls: list[str] = []
        def make_spy(widget):
            original, name = widget.update_panel, type(widget).__name__

            def spy(panel):
                calls.append(name)
                original(panel)

            return spy

        for widget in before:
            widget.update_panel = make_spy(widget)
        view.show(all_kinds(3, loss_points=80))
        await pilot.pause()
        assert view.panel_widgets == before
        assert all(a is b for a, b in zip(view.panel_widgets, before, strict=True))
        # Text, table and bars are equal to the previous frame: not redrawn.
        assert sorted(calls) == ["HeatmapWidget", "LinePlotWidget"]
        assert len(before[1].panel.series[0].x) == 80
        assert "epoch 3" in str(app.query_one("#ev-status").render())


async def test_new_structure_builds_new_widgets_and_hides_progress() -> None:
    app = ViewApp(all_kinds())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ExperimentView)
        old = list(view.panel_widgets)
        view.show(Frame(1, "done", (heatmap(), loss_plot()), progress=None))
        await pilot.pause()
        assert [type(w) for w in view.panel_widgets] == [HeatmapWidget, LinePlotWidget]
        assert not any(w in old for w in view.panel_widgets)
        assert not any(w.is_attached for w in old)
        assert not app.query_one("#ev-progress").display
        # Two plots fit side by side at 80 columns: no pager.
        assert view.visible_panels == [0, 1]
        assert not app.query_one("#ev-pager").display
        assert view.panel_widgets[0].region.y == view.panel_widgets[1].region.y


async def test_narrow_view_uses_one_column() -> None:
    app = ViewApp(Frame(0, "", (TextPanel("A", "one"), TextPanel("B", "two"))))
    async with app.run_test(size=(44, 24)) as pilot:
        await pilot.pause()
        first, second = app.query_one(ExperimentView).panel_widgets
        assert second.region.y > first.region.y
        assert first.region.x == second.region.x


async def test_heatmap_colour_rendering_has_half_blocks_and_markers() -> None:
    app = ViewApp(Frame(0, "", (heatmap(),)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one(HeatmapWidget)
        lines = texts(widget)
        body = "".join(lines)
        assert "▀" in body
        assert "●" in body and "✕" in body
        assert not set("░▒▓") & set(body)
        cols, rows = widget.grid_size()
        assert rows == 2 * (widget.size.height - 2)  # axis + legend lines
        # A square plane: square pixels (two per cell), so as many columns as pixel rows.
        assert cols == rows < widget.size.width - len("-6 ")
        assert lines[0].startswith(" 6 ") and lines[rows // 2 - 1].startswith("-6 ")
        assert "x1" in lines[-2] and "class 1" in lines[-1]
        # Colour cells carry a blue low value and an orange high value.
        colours = {
            seg.style.color.name.lower()
            for seg in widget.render_line(0)
            if seg.style and seg.style.color
        }
        scale = palette.heat_scale(True, palette.few_colors(app))
        assert {color.lower() for color in scale} & colours


async def test_heatmap_without_colour_uses_shading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = ViewApp(Frame(0, "", (heatmap(),)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one(HeatmapWidget)
        body = "".join(texts(widget))
        assert "▀" not in body
        assert "●" in body and "✕" in body
        assert "█" in body and "░" in body
        cols, rows = widget.grid_size()
        assert rows == widget.size.height - 2  # one grid row per text row
        assert cols == 2 * rows  # the aspect ratio kept: a cell is twice as tall as wide
        # The top-right corner is high (x + y large): full block; bottom-left is blank.
        top = widget.render_line(0).text
        bottom = widget.render_line(rows - 1).text
        assert top.rstrip().endswith("█")
        assert bottom[3] == " "


async def test_heatmap_reports_grid_size_changes() -> None:
    seen: list = []
    app = ViewApp(Frame(0, "", (heatmap(points=False),)))
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.pause()
        view = app.query_one(ExperimentView)
        resized = [m for m in seen if isinstance(m, HeatmapWidget.Resized)]
        assert resized and (resized[-1].cols, resized[-1].rows) == view.heatmap_grid_size()
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        resized = [m for m in seen if isinstance(m, HeatmapWidget.Resized)]
        assert (resized[-1].cols, resized[-1].rows) == view.heatmap_grid_size()
        assert resized[-1].cols < 78


@pytest.mark.parametrize("no_color", [False, True])
async def test_line_plot_draws_labels_and_legend(monkeypatch, no_color: bool) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = ViewApp(Frame(0, "", (loss_plot(500),)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one(LinePlotWidget)
        text = str(widget.render())
        assert "epoch" in text and "train" in text and "val" in text
        # logy: drawn as log10(y) on a linear axis, labelled with the values of y
        assert widget.axis is not None and widget.axis["log"]
        assert widget.plt._active.monitor.yscale[0] == "linear"


async def test_table_highlights_cells_and_bars_fit() -> None:
    table = Table("T", ("w", "b"), (("0.5", "0.1"), ("-0.3", "0.2")), frozenset({(1, 0)}))
    bars = Bars("Gradients", ("dW", "db"), (0.5, -0.25))
    app = ViewApp(Frame(0, "", (table, bars)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one(TableWidget)
        segments = [s for y in range(widget.size.height) for s in widget.render_line(y)]
        hot = [s for s in segments if "-0.3" in s.text]
        cold = [s for s in segments if "0.5" in s.text]
        assert hot and hot[0].style.reverse and not cold[0].style.reverse
        bar_widget = app.query_one(BarsWidget)
        assert bar_widget.size.height == 2
        lines = texts(bar_widget)
        assert lines[0].startswith("dW") and lines[0].rstrip().endswith("0.5")
        assert len(lines[0].rstrip()) <= bar_widget.size.width


def test_resample_and_levels() -> None:
    z = np.array([[0.0, 1.0], [0.5, np.nan]])
    grid = resample(z, 4, 4)
    assert grid.shape == (4, 4)
    assert grid[0, 0] == 0.0 and grid[0, 3] == 1.0 and grid[3, 0] == 0.5
    lev = levels(grid, 0.0, 1.0, 5)
    assert lev[0, 0] == 0 and lev[0, 3] == 4 and lev[3, 0] == 2 and lev[3, 3] == 2  # NaN: middle
    assert levels(np.array([[5.0]]), 1.0, 1.0, 5)[0, 0] == 2  # empty range: middle


def test_thin_keeps_ends_and_limit() -> None:
    x = np.arange(1000.0)
    tx, ty = thin(x, x * 2, 100)
    assert len(tx) <= 100 and tx[0] == 0 and tx[-1] == 999
    assert np.array_equal(ty, tx * 2)
    assert len(thin(x[:50], x[:50], 100)[0]) == 50


def test_bars_text_scales_to_width_and_marks_negative_without_colour() -> None:
    text = bars_text(Bars("g", ("a", "bb"), (1.0, -0.5)), 30, mono=True).plain
    first, second = text.split("\n")
    assert first.startswith("a  ") and first.endswith(" 1")
    assert first.count("█") == 2 * second.count("▒") and "-0.5" in second


def test_panels_equal_compares_arrays_by_value() -> None:
    assert panels_equal(heatmap(0.5), heatmap(0.5))
    assert not panels_equal(heatmap(0.5), heatmap(0.6))
    assert not panels_equal(loss_plot(10), loss_plot(11))
    assert not panels_equal(None, heatmap())


def test_palette_is_legible() -> None:
    # Blue and orange roles differ in luminance too (readable in greyscale).
    assert palette.contrast(palette.BLUE, palette.ORANGE) > 2.0
    assert palette.role_marker(0) != palette.role_marker(1)
    # A marker that would vanish on its own colour turns black or white.
    assert palette.marker_color(0, palette.BLUE) in ("black", "#FFFFFF")
    assert palette.marker_color(1, palette.BLUE) == palette.ORANGE
    for ansi in (False, True):
        scale = palette.heat_scale(True, ansi)
        assert len(set(scale)) == len(scale) >= 5


@pytest.mark.parametrize(
    "ys",
    [[], [float("nan")] * 3, [0.0, -1.0, 0.0], [0.5]],
    ids=["empty", "all-nan", "non-positive", "one-point"],
)
async def test_log_plot_without_usable_data_does_not_crash(ys: list[float]) -> None:
    series = Series("train", frozen_array(list(range(len(ys)))), frozen_array(ys))
    plot = LinePlot("Loss", (series,), xlabel="epoch", ylabel="loss", logy=True)
    app = ViewApp(Frame(0, "", (plot,)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one(LinePlotWidget)
        text = str(widget.render())
        assert "epoch" in text  # the axes are still drawn


async def test_text_panel_keeps_spaces_and_shows_the_newest_lines() -> None:
    log = "\n".join(f"  line {i:02d}" for i in range(30))
    plot = LinePlot("Loss", (Series("train", frozen_array([0, 1]), frozen_array([1.0, 0.5])),))
    frame = Frame(0, "", (TextPanel("Log", "  a\n    b"), plot))
    app = ViewApp(frame, height=16)
    async with app.run_test(size=(60, 24)) as pilot:  # one column
        await pilot.pause()
        view = app.query_one(ExperimentView)
        panel = view.panel_widgets[0]
        lines = [line.rstrip() for line in texts(panel)]
        assert "  a" in lines and "    b" in lines
        # A log that grows past the panel scrolls to its newest line; plots keep room.
        for lines in (2, 30):
            text = "\n".join(log.split("\n")[:lines])
            view.show(Frame(lines, "", (TextPanel("Log", text), plot)))
            await pilot.pause()
            await pilot.pause()
        shown = [line.rstrip() for line in texts(panel)]
        assert len(shown) < 30 and "  line 29" in shown and "  line 00" not in shown
        assert view.panel_widgets[1].outer_size.height >= 7


async def test_page_markdown_keeps_spaces_after_emphasis_and_indented_formulas() -> None:
    """The lesson's Markdown styles: inline emphasis and 4-space code blocks show."""
    from pathlib import Path

    from textual.containers import VerticalScroll
    from textual.widgets import Markdown

    import tui_workshop.ui as ui_package

    page = "Change **every** weight, *how far* and `x`.\n\n    z = w·x + b\n    a = σ(z)\n"

    class PageApp(App):
        CSS_PATH = str(Path(ui_package.__file__).parent / "styles" / "lesson.tcss")

        def compose(self) -> ComposeResult:
            with VerticalScroll(id="pane-text"):
                yield Markdown(page, id="page-text")

    app = PageApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen_text = "\n".join(
            "".join(segment.text for segment in strip)
            for strip in app.screen._compositor.render_strips()
        )
        assert "every weight" in screen_text and "how far and" in screen_text
        assert "z = w·x + b" in screen_text and "a = σ(z)" in screen_text
