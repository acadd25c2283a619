"""A heatmap redrawn in place shows what a full redraw shows (issue 10).

The heatmap repaints only the cells whose code changed; a point's marker is
drawn on the colour under it, so that colour is part of its code. It was not:
after a change of grid (the layout settling, timing-dependent) the markers
kept the old background, and the playground's first screen differed from run
to run.
"""

from __future__ import annotations

import numpy as np
from textual.app import App, ComposeResult

from tui_workshop.experiments.base import Heatmap, Series, frozen_array
from tui_workshop.ui.widgets import HeatmapWidget

POINTS = (
    Series("class 0", frozen_array([-4.0, -1.0, 0.5]), frozen_array([-4.0, 2.0, 0.5]), "points", 0),
    Series("class 1", frozen_array([4.0, 3.0, -0.5]), frozen_array([4.0, -2.0, 0.0]), "points", 1),
)


def field(shift: float) -> Heatmap:
    grid_x, grid_y = np.meshgrid(np.linspace(-6, 6, 40), np.linspace(-6, 6, 30))
    z = 1 / (1 + np.exp(-(grid_x + grid_y + shift)))
    return Heatmap("Boundary", frozen_array(z), (-6.0, 6.0), (-6.0, 6.0), POINTS)


class HeatApp(App):
    def compose(self) -> ComposeResult:
        yield HeatmapWidget(field(0.0))


def on_screen(app, widget) -> list[list]:
    """The widget's cells as the screen shows them (text and style)."""
    strips = app.screen._compositor.render_strips()
    region = widget.region
    return [list(strips[y].crop(region.x, region.right)) for y in range(region.y, region.bottom)]


async def test_markers_are_repainted_when_the_colour_under_them_changes() -> None:
    app = HeatApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        widget = app.query_one(HeatmapWidget)
        lay = widget.geometry()
        rows, cols = 2 * lay["grid_rows"], lay["cols"]
        markers = widget._markers(widget.panel, cols, lay["grid_rows"])
        row, col = next(iter(markers))
        for level in (0.0, 1.0, 0.0):  # only the cells under one marker change colour,
            top_first = np.zeros((rows, cols))  # and one far corner, so the redraw is partial
            top_first[2 * row : 2 * row + 2, col] = level
            top_first[-1, 0 if col > cols // 2 else -1] = level
            z = frozen_array(top_first[::-1].copy())
            widget.update_panel(Heatmap("Boundary", z, (-6.0, 6.0), (-6.0, 6.0), POINTS))
            await pilot.pause()
            partial = on_screen(app, widget)
            widget._lines = None
            widget.refresh()
            await pilot.pause()
            assert on_screen(app, widget) == partial, level


def test_the_x_label_is_whole_shortened_with_a_sign_or_left_out() -> None:
    from rich.style import Style

    widget = HeatmapWidget()
    for xlabel in ("x1", "column of the image"):
        panel = Heatmap("Boundary", frozen_array(np.zeros((4, 4))), (-5.87, 5.85), (0.0, 1.0),
                        xlabel=xlabel)  # fmt: skip
        for cols in range(9, 40):
            line = widget._axis_line(panel, 0, cols, Style()).text
            middle = line[len("-5.87") : cols - len("5.85")].strip()
            assert middle in ("", xlabel) or (
                middle.endswith("…") and xlabel.startswith(middle[:-1])
            ), (cols, line)
            assert line.startswith("-5.87") and line.rstrip().endswith("5.85"), line
