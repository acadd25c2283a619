"""The heatmap reuses the screen cells of points that did not move (issue 11)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from textual.app import App, ComposeResult

from tui_workshop.experiments.base import Heatmap, Series, frozen_array
from tui_workshop.experiments.playground import Playground
from tui_workshop.ui.widgets import HeatmapWidget

POINTS = (
    Series("class 0", frozen_array([-4.0, -1.0]), frozen_array([-4.0, 2.0]), "points", 0),
    Series("class 1", frozen_array([4.0, 3.0]), frozen_array([4.0, -2.0]), "points", 1),
)


def field(shift: float) -> Heatmap:
    xs = np.linspace(-6, 6, 40)
    grid_x, grid_y = np.meshgrid(xs, np.linspace(-6, 6, 30))
    z = 1 / (1 + np.exp(-(grid_x + grid_y + shift)))
    return Heatmap("Boundary", frozen_array(z), (-6.0, 6.0), (-6.0, 6.0), POINTS)


class HeatApp(App):
    def compose(self) -> ComposeResult:
        yield HeatmapWidget(field(0.0))


async def test_markers_are_placed_once_for_the_same_points() -> None:
    app = HeatApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(HeatmapWidget)
        widget.render_line(0)
        markers = widget._marker_cache[-1]
        widget.update_panel(field(2.0))  # the boundary moves, the points do not
        assert widget._marker_cache[-1] is markers
        # A frame's localized copy: new Series (labels rendered) around the same arrays.
        relabelled = tuple(replace(series, label=f"{series.label}!") for series in POINTS)
        widget.update_panel(replace(field(3.0), points=relabelled))
        assert widget._marker_cache[-1] is markers
        partial = [list(widget.render_line(y)) for y in range(widget.size.height)]
        widget._lines = None  # a full redraw shows the same
        assert [list(widget.render_line(y)) for y in range(widget.size.height)] == partial
        moved = (replace(POINTS[0], x=frozen_array([-3.0, -1.0])), POINTS[1])
        widget.update_panel(replace(field(2.0), points=moved))
        assert widget._marker_cache[-1] is not markers


def test_playground_frames_share_their_points_until_they_change() -> None:
    experiment = Playground({"epochs": 5})
    first = experiment.frame().panels[0]
    experiment.step()
    second = experiment.frame().panels[0]
    assert isinstance(first, Heatmap) and isinstance(second, Heatmap)
    assert second.points is first.points
    experiment.params["show_validation"] = not experiment.params["show_validation"]
    third = experiment.frame().panels[0]
    assert third.points is not first.points
    assert len(third.points) != len(first.points)
