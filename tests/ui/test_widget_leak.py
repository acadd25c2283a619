"""Removed panel widgets are released (issue 11): nothing the app holds keeps them alive.

Counted with the garbage collector after repeated rebuilds, not timed.
"""

from __future__ import annotations

import gc

import numpy as np
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from tui_workshop.experiments.base import Frame, Heatmap, LinePlot, Series, TextPanel, frozen_array
from tui_workshop.ui.widgets import ExperimentView, HeatmapWidget, LinePlotWidget

REBUILDS = 8


def heatmap() -> Heatmap:
    z = frozen_array(np.linspace(0, 1, 24).reshape(4, 6))
    points = (Series("class 0", frozen_array([0.1]), frozen_array([0.2]), "points", 0),)
    return Heatmap("Field", z, (-1.0, 1.0), (-1.0, 1.0), points)


def plot() -> LinePlot:
    x = frozen_array([1.0, 2.0, 3.0])
    return LinePlot("Loss", (Series("train", x, frozen_array([3.0, 2.0, 1.0])),))


def frame(swap: bool) -> Frame:
    """Two panel layouts: each switch between them makes the view rebuild its widgets."""
    panels = (heatmap(), plot()) if swap else (plot(), heatmap(), TextPanel("Notes", "a note"))
    return Frame(step=0, status="ready", panels=panels)


def alive(cls: type) -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if type(obj) is cls)


class Host(App):
    def compose(self) -> ComposeResult:
        yield Vertical(id="host")


async def rebuild_views(pilot, app: Host) -> None:
    """A view per experiment build (as F9 or a lesson change makes), rebuilt in place too.

    The theme does not change meanwhile: publishing the signal would prune removed
    subscribers and hide the leak.
    """
    host = app.query_one("#host")
    for i in range(REBUILDS):
        await host.remove_children()
        view = ExperimentView()
        await host.mount(view)
        await pilot.pause()
        for swap in (i % 2 == 0, i % 2 == 1):
            view.show(frame(swap))
            await pilot.pause()


async def test_removed_heatmaps_are_released() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await rebuild_views(pilot, app)
        mounted = len(app.query(HeatmapWidget))
        assert mounted == 1
        assert alive(HeatmapWidget) == mounted


async def test_removed_line_plots_are_released() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await rebuild_views(pilot, app)
        mounted = len(app.query(LinePlotWidget))
        assert mounted == 1
        assert alive(LinePlotWidget) == mounted


async def test_a_heatmap_is_subscribed_to_the_theme_only_while_mounted() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = HeatmapWidget(heatmap())
        await app.query_one("#host").mount(widget)
        await pilot.pause()
        subscribers = app.theme_changed_signal._subscriptions
        assert widget in subscribers
        await widget.remove()
        assert widget not in subscribers


async def test_removed_widgets_leave_no_line_cache_behind() -> None:
    """Textual's lru_cache on StylesCache.get_inner_outer held removed widgets' line
    caches (ui/textual_fixes.py); every line cache alive belongs to a live widget."""
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await rebuild_views(pilot, app)
        gc.collect()
        objects = gc.get_objects()
        owned = {id(obj._styles_cache) for obj in objects if isinstance(obj, Widget)}
        caches = [obj for obj in objects if isinstance(obj, StylesCache)]
        assert caches
        assert [cache for cache in caches if id(cache) not in owned] == []
