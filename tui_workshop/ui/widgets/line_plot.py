"""LinePlotWidget: a :class:`~tui_workshop.experiments.base.LinePlot` drawn with plotext.

Kept apart from :mod:`tui_workshop.ui.widgets.panels` so that plotext is
imported with the first line plot rather than at start-up.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from textual_plotext import PlotextPlot

from tui_workshop.experiments.base import LinePlot
from tui_workshop.ui import palette
from tui_workshop.ui.widgets.panels import PANEL_BORDER_CSS, thin


class LinePlotWidget(PlotextPlot):
    """Draws a LinePlot panel with plotext; replots lazily at render time."""

    DEFAULT_CSS = (
        """
    LinePlotWidget {
        width: 1fr;
        height: 1fr;
        min-height: 6;
    """
        + PANEL_BORDER_CSS
        + "}"
    )

    def __init__(self, panel: LinePlot | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.panel: LinePlot | None = panel
        # plotext rescales its data in place when it builds (log axes), so
        # every build follows a fresh replot; the built text is cached.
        self._built_for: tuple | None = None
        self._built: Any = None
        if panel is not None:
            self.border_title = panel.title

    def on_unmount(self) -> None:
        # PlotextPlot.on_mount subscribes to the theme signal with a closure on self
        # and never unsubscribes: without this, every removed plot stays alive.
        self.app.theme_changed_signal.unsubscribe(self)

    def update_panel(self, panel: LinePlot) -> None:
        self.panel = panel
        if self.border_title != panel.title:
            self.border_title = panel.title
        self._built_for = None
        self.refresh()

    def render(self):
        key = (self.size.width, self.size.height, self.app.theme, self.theme)
        if self._built_for != key or self._built is None:
            self._replot(self.size.width)
            self._built = super().render()
            self._built_for = key
        return self._built

    def _replot(self, width: int) -> None:
        plt = self.plt
        plt.clear_figure()
        panel = self.panel
        if panel is None:
            return
        mono = palette.no_color(self.app)
        limit = max(2 * width, 10)  # braille gives two points per column
        drawn = 0
        for series in panel.series:
            x = np.asarray(series.x, dtype=float).ravel()
            y = np.asarray(series.y, dtype=float).ravel()
            n = min(len(x), len(y))
            x, y = x[:n], y[:n]
            keep = np.isfinite(x) & np.isfinite(y)
            if panel.logy:
                keep &= y > 0
            x, y = thin(x[keep], y[keep], limit)
            if len(x) == 0:
                continue
            drawn += 1
            options: dict[str, Any] = {"label": series.label or None}
            if not mono:
                options["color"] = palette.role_rgb(series.role)
            if series.style == "points":
                options["marker"] = palette.role_marker(series.role)
                plt.scatter(x.tolist(), y.tolist(), **options)
            else:
                options["marker"] = palette.line_marker(series.role) if mono else "braille"
                plt.plot(x.tolist(), y.tolist(), **options)
        if panel.xlabel:
            plt.xlabel(panel.xlabel)
        if panel.ylabel:
            plt.ylabel(panel.ylabel)
        # plotext cannot build log ticks without a positive point: stay linear then.
        logy = panel.logy and drawn > 0
        if logy:
            plt.yscale("log")
        if panel.xlim is not None and all(math.isfinite(v) for v in panel.xlim):
            plt.xlim(*panel.xlim)
        ylim = panel.ylim
        if (
            ylim is not None
            and all(math.isfinite(v) for v in ylim)
            and (not logy or min(ylim) > 0)
        ):
            plt.ylim(*ylim)
