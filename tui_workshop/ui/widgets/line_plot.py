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
from tui_workshop.i18n import decimal_mark
from tui_workshop.ui import palette
from tui_workshop.ui.widgets.panels import PANEL_BORDER_CSS, thin

TICKS = 5  # about as many as plotext draws by itself


def nice_ticks(low: float, high: float, count: int = TICKS) -> list[float]:
    """Round tick positions (1, 2 or 5 times a power of ten apart) inside [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return []
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = max(m * power for m in (1, 2, 5) if m * power <= raw * (1 + 1e-9))
    first = math.ceil(low / step - 1e-9)
    ticks = []
    for index in range(first, first + 4 * count):
        value = round(index * step, 12)
        if value > high + step * 1e-9:
            break
        ticks.append(value + 0.0)
    return ticks


def tick_label(value: float, decimal: str) -> str:
    """A tick's text: up to 4 significant digits, the language's decimal mark."""
    text = f"{value:.4g}"
    return text.replace(".", decimal)


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
        spans: list[tuple[float, float, float, float]] = []
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
            spans.append((float(x.min()), float(x.max()), float(y.min()), float(y.max())))
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
        decimal = decimal_mark()
        if decimal != "." and spans:  # plotext writes 0.5: label the ticks ourselves
            self._decimal_ticks(panel, spans, logy, decimal)

    def _decimal_ticks(
        self, panel: LinePlot, spans: list[tuple[float, float, float, float]], logy: bool,
        decimal: str,
    ) -> None:
        plt = self.plt
        xlim = panel.xlim if panel.xlim is not None else (
            min(s[0] for s in spans), max(s[1] for s in spans))
        ticks = nice_ticks(*xlim)
        if ticks:
            plt.xticks(ticks, [tick_label(t, decimal) for t in ticks])
        if logy:  # plotext's log ticks are powers of ten: no decimal mark to change
            return
        ylim = panel.ylim if panel.ylim is not None else (
            min(s[2] for s in spans), max(s[3] for s in spans))
        ticks = nice_ticks(*ylim)
        if ticks:
            plt.yticks(ticks, [tick_label(t, decimal) for t in ticks])
