"""LinePlotWidget: a :class:`~tui_workshop.experiments.base.LinePlot` drawn with plotext.

Kept apart from :mod:`tui_workshop.ui.widgets.panels` so that plotext is
imported with the first line plot rather than at start-up.

Layout inside the widget (title in the top border)::

    loss                 ━ train  ━ test     y label at the left, legend at the right
    1.0┤⠑⠢⡀                                   plotext draws only the data, the left
    0.5┤   ⠈⠒⠢⠤⣀⣀⣀⣀                            and bottom axes and the ticks
    0.0┤          ⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉
       └┬──────────┬─────────┬
        0          50       100
                 epoch                        x label centred under the axis

Axes that do not lie: the y range is chosen so that every canvas row stands
for an exact multiple of a round step, and each y tick label is the value of
the row it sits on (plotext maps the top row to the top of the range and the
bottom row to the bottom); rows are labelled every few rows on a tall plot.
A fixed range that a round step would overshoot (a rate from 0 to 1 on four
rows) runs from exactly its ends instead, labelled only on its round rows.
Log axes are drawn as linear axes of log10(y), labelled with 10^value. The
legend and the axis labels stay outside the plotting area. ``axis`` (after a
render) records what was drawn, for tests: ``y_range``, ``rows``, ``log``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from rich.text import Text
from textual_plotext import PlotextPlot

from tui_workshop.experiments.base import LinePlot
from tui_workshop.i18n import decimal_mark
from tui_workshop.i18n import render as render_text
from tui_workshop.i18n.message import Num
from tui_workshop.ui import palette
from tui_workshop.ui.text import text as as_str
from tui_workshop.ui.widgets.panels import PANEL_BORDER_CSS, thin

# Mantissas of a row step: every canvas row is a multiple of step = m·10^k.
STEP_MANTISSAS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
# On a log axis (in decades) steps that divide a decade, so whole decades fall on rows.
LOG_MANTISSAS = (1.0, 2.0, 2.5, 5.0, 10.0)
MIN_CANVAS_ROWS = 2  # below this no y ticks are drawn
MIN_USEFUL_ROWS = 4  # rows of data a second header row may not take away
MAX_HEADER_ROWS = 3  # the y label and the legend take at most this many rows


def nice_axis(
    lo: float, hi: float, rows: int, mantissas: tuple[float, ...] = STEP_MANTISSAS
) -> tuple[float, float, float]:
    """(bottom, top, step): ``rows`` canvas rows from ``bottom`` to ``top``, each a
    multiple of the round ``step``, covering [lo, hi] with as little spare as possible."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1e-300):
        pad = abs(lo) * 0.1 or 0.5
        lo, hi = lo - pad, hi + pad
    intervals = max(rows - 1, 1)
    raw = (hi - lo) / intervals
    exponent = math.floor(math.log10(raw))
    for k in (exponent, exponent + 1, exponent + 2):
        for m in mantissas:
            step = m * 10.0**k
            if step < raw * (1 - 1e-9):
                continue
            bottom = math.floor(lo / step + 1e-9) * step
            top = bottom + step * intervals
            if top >= hi - step * 1e-9:
                return bottom, top, step
    step = 10.0 ** (exponent + 3)  # not reached: the loop always fits
    return lo, lo + step * intervals, step


def fitted_axis(lo: float, hi: float, rows: int) -> tuple[float, float, float, list[int]] | None:
    """(bottom, top, step, labelled rows) for a fixed range that a round step would
    overshoot (a rate from 0 to 1 on 4 rows reads 0, 0.4, 0.8, 1.2): the rows run from
    exactly ``lo`` to ``hi``, and only rows whose value is round carry a label, the
    two ends always. None when a round step fits the range or the ends are not round."""
    bottom, top, step = nice_axis(lo, hi, rows)
    span = hi - lo
    if rows < 2 or span <= 0 or (bottom >= lo - step * 1e-9 and top <= hi + step * 1e-9):
        return None
    unit = 10.0 ** math.floor(math.log10(span)) / 4

    def round_value(value: float) -> bool:
        return abs(value / unit - round(value / unit)) < 1e-6

    if not (round_value(lo) and round_value(hi)):
        return None
    step = span / (rows - 1)
    # A step that is not round leaves few round rows: no crowding to thin out.
    marks = [r for r in range(rows) if r in (0, rows - 1) or round_value(lo + r * step)]
    return lo, hi, step, marks


def tick_rows(rows: int, bottom: float = 0.0, step: float = 1.0, log: bool = False) -> list[int]:
    """Canvas rows (0 = bottom) that carry a label: all on a short plot, else every
    few rows from the bottom one. On a log axis the whole decades when at least
    two fall on rows (1, 10, 100 rather than 3.98, 1.58, 0.631)."""
    if log:
        decades = [
            r for r in range(rows) if abs((v := bottom + r * step) - round(v)) < 1e-6 * max(step, 1)
        ]
        if len(decades) >= 2:
            return decades
    every = 1 if rows <= 5 else 2 if rows <= 12 else 3
    return list(range(0, rows, every))


def labelled_step(values: list[float]) -> float:
    """The largest step that all ``values`` are multiples of (among round steps),
    so that their labels need no more decimals than they use; 0 if none."""
    largest = max((abs(v) for v in values), default=0.0)
    if largest == 0.0:
        return 0.0
    for k in range(6, -7, -1):
        for m in (5.0, 2.5, 2.0, 1.0):
            unit = m * 10.0**k
            if unit <= largest * (1 + 1e-9) and all(
                abs(v / unit - round(v / unit)) < 1e-6 for v in values
            ):
                return unit
    return 0.0


def decimals_for(step: float) -> int:
    """Decimals that show every multiple of ``step`` exactly (at most 6)."""
    for d in range(0, 7):
        if abs(round(step, d) - step) <= abs(step) * 1e-9:
            return d
    return 6


def _scientific(value: float, digits: int) -> str:
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa}e{int(exponent)}".replace(".", decimal_mark()).replace("-", "−")


def tick_label(value: float, step: float, log: bool) -> str:
    """The text of a tick: the row's value, in the language's decimal convention."""
    if log:
        digits = 2 if step >= 0.5 else 3  # within a tenth of a row of the row's value
        exponent = math.floor(value + 1e-9)
        if abs(value - round(value)) < 1e-9:  # a whole decade: 0.01, 0.1, 1, 10, 1e5
            exponent = round(value)
            if -3 <= exponent <= 4:
                return render_text(Num(10.0**exponent, max(-exponent, 0)))
            return f"1e{exponent}".replace("-", "−")
        if -3 <= exponent <= 4:
            return render_text(Num(10.0**value, max(digits - 1 - exponent, 0)))
        mantissa = 10.0 ** (value - exponent)  # no overflow for 1e-400..1e400
        if round(mantissa, digits - 1) >= 10:
            mantissa, exponent = mantissa / 10, exponent + 1
        text = f"{mantissa:.{digits - 1}f}e{exponent}"
        return text.replace(".", decimal_mark()).replace("-", "−")
    if abs(value) < step * 1e-6:
        value = 0.0
    if step >= 1e-4 and abs(value) < 1e6:
        return render_text(Num(value, decimals_for(step)))
    return _scientific(value, 3)


def parse_tick(text: str, log: bool = False) -> float:
    """The value of a tick label (tests read axes back with this); log10 of it on a log axis."""
    text = text.strip().replace("−", "-").replace(",", ".")
    if log:
        mantissa, _, exponent = text.partition("e")
        return math.log10(float(mantissa)) + (int(exponent) if exponent else 0)
    return float(text)


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
        self.axis: dict[str, Any] | None = None  # what the last render drew (see module doc)
        if panel is not None:
            self.border_title = as_str(panel.title)

    def on_unmount(self) -> None:
        # PlotextPlot.on_mount subscribes to the theme signal with a closure on self
        # and never unsubscribes: without this, every removed plot stays alive.
        self.app.theme_changed_signal.unsubscribe(self)

    def update_panel(self, panel: LinePlot) -> None:
        self.panel = panel
        title = as_str(panel.title)
        if self.border_title != title:
            self.border_title = title
        self._built_for = None
        self.refresh()

    def render(self):
        key = (self.size.width, self.size.height, self.app.theme, self.theme)
        if self._built_for != key or self._built is None:
            self._built = self._draw(self.size.width, self.size.height)
            self._built_for = key
        return self._built

    # ------------------------------------------------------------ drawing
    def _series_data(self, width: int) -> list[tuple[np.ndarray, np.ndarray, Any]]:
        """(x, y, series) of each series with points to draw; y as log10 on a log axis."""
        panel = self.panel
        assert panel is not None
        limit = max(2 * width, 10)  # braille gives two points per column
        out = []
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
            out.append((x, np.log10(y) if panel.logy else y, series))
        return out

    def _draw(self, width: int, height: int) -> Text:
        panel = self.panel
        self.axis = None
        if panel is None or width <= 0 or height <= 0:
            return Text("")
        mono = palette.no_color(self.app)
        data = self._series_data(width)
        log = panel.logy and bool(data)
        ylabel, xlabel = render_text(panel.ylabel), render_text(panel.xlabel)
        legend = [(s.label, s) for _x, _y, s in data if render_text(s.label)]
        footer = 1 if xlabel and height >= 5 else 0
        # The y label and the legend: one row, two when one would cut them and
        # the data keeps MIN_USEFUL_ROWS rows; none on a tiny plot.
        spare = height - footer - 2 - MIN_USEFUL_ROWS
        allowed = max(1, min(spare, MAX_HEADER_ROWS))
        heads = self._header(ylabel, legend, width, mono, allowed) if height >= 6 else []
        header = len(heads)
        plot_height = height - header - footer
        rows = plot_height - 2  # the x axis line and its tick labels
        plt = self.plt
        plt.clear_figure()
        plt.plotsize(width, plot_height)
        plt._set_size(width, plot_height)  # see PlotextPlot.render
        plt.theme(self._get_plotext_theme_name(self.app.theme))
        plt.xaxes(1, 0)
        plt.yaxes(1, 0)
        for x, y, series in data:
            options: dict[str, Any] = {}
            if not mono:
                options["color"] = palette.role_rgb(series.role)
            if series.style == "points":
                options["marker"] = palette.role_marker(series.role)
                plt.scatter(x.tolist(), y.tolist(), **options)
            else:
                options["marker"] = palette.line_marker(series.role) if mono else "braille"
                plt.plot(x.tolist(), y.tolist(), **options)
        self._x_axis(data, width)
        if rows >= MIN_CANVAS_ROWS:
            lo, hi = self._y_extent(data, log)
            fitted = fitted_axis(lo, hi, rows) if not log and panel.ylim is not None else None
            if fitted is not None:
                bottom, top, step, marks = fitted
            else:
                mantissas = LOG_MANTISSAS if log else STEP_MANTISSAS
                bottom, top, step = nice_axis(lo, hi, rows, mantissas)
                marks = tick_rows(rows, bottom, step, log)
            plt.ylim(bottom, top)
            values = [bottom + r * step for r in marks]
            # Decimals enough for the values labelled (9, 6, 3 rather than 9.0, 6.0, 3.0).
            shown = min((labelled_step(values) or step), step * 10) if not log else step
            plt.yticks(values, [tick_label(v, shown, log) for v in values])
            self.axis = {
                "y_range": (bottom, top),
                "rows": rows,
                "step": step,
                "log": log,
                "first_row": header,
            }
        built = Text.from_ansi(plt.build()) if plot_height > 0 else Text("")
        parts: list[Text] = []
        parts.extend(heads)
        parts.extend(built.split("\n")[: max(plot_height, 0)])
        if footer:
            parts.append(Text(xlabel[:width].center(width).rstrip()))
        return Text("\n").join(parts)

    def _y_extent(self, data, log: bool) -> tuple[float, float]:
        panel = self.panel
        assert panel is not None
        ylim = panel.ylim
        if ylim is not None and all(math.isfinite(v) for v in ylim) and ylim[0] != ylim[1]:
            if not log:
                return min(ylim), max(ylim)
            if min(ylim) > 0:
                return math.log10(min(ylim)), math.log10(max(ylim))
        if not data:
            return 0.0, 1.0
        return (
            float(min(np.min(y) for _x, y, _s in data)),
            float(max(np.max(y) for _x, y, _s in data)),
        )

    def _x_axis(self, data, width: int) -> None:
        """x limits (the panel's, else the data's) and round ticks about 10 columns apart."""
        panel = self.panel
        assert panel is not None
        if panel.xlim is not None and all(math.isfinite(v) for v in panel.xlim):
            lo, hi = min(panel.xlim), max(panel.xlim)
        elif data:
            lo = float(min(np.min(x) for x, _y, _s in data))
            hi = float(max(np.max(x) for x, _y, _s in data))
        else:
            lo, hi = 0.0, 1.0
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        self.plt.xlim(lo, hi)
        count = max(width // 10, 1)
        _b, _t, step = nice_axis(lo, hi, count + 1)
        if data and all(np.all(x == np.round(x)) for x, _y, _s in data):
            step = max(float(math.ceil(step - 1e-9)), 1.0)  # whole x values (epochs, steps)
        first = math.ceil(lo / step - 1e-9)
        values = [k * step for k in range(first, first + count + 2) if k * step <= hi + step * 1e-9]
        self.plt.xticks(values, [tick_label(v, step, False) for v in values])

    def _header(self, ylabel: str, legend, width: int, mono: bool, allowed: int) -> list[Text]:
        """The y label at the left, the legend at the right: both outside the data.
        When one row would cut either and ``allowed`` rows permit, the y label has
        its own row and the legend wraps under it; else the y label is shortened,
        then legend entries are left out (with …)."""
        items: list[Text] = []
        for label, series in legend:
            if series.style == "points":
                mark = palette.role_marker(series.role)
            else:
                mark = palette.line_marker(series.role) if mono else "━"
            item = Text()
            item.append(mark, style="" if mono else palette.role_color(series.role))
            item.append(" " + render_text(label))
            items.append(item)
        left = Text(ylabel)
        if not items and not ylabel:
            return []
        right = Text("  ").join(items)
        fits = left.cell_len + (2 if ylabel else 0) + right.cell_len <= width
        if not fits and allowed >= 2 and items:
            rows = [left] if ylabel else []
            for line in self._wrap(items, width, allowed - len(rows)):
                rows.append(self._right(line, width))
            for row in rows:
                row.truncate(width, overflow="ellipsis")
            return rows
        if not fits and items and ylabel:
            room = max(width - 2 - right.cell_len, min(left.cell_len, 8))
            left.truncate(room, overflow="ellipsis")
        left.truncate(width, overflow="ellipsis")
        right = self._right(items, width - left.cell_len - (2 if ylabel else 0))
        gap = max(width - left.cell_len - right.cell_len, 0)
        return [Text.assemble(left, " " * gap, right)]

    @staticmethod
    def _wrap(items: list[Text], width: int, rows: int) -> list[list[Text]]:
        """Legend entries packed into at most ``rows`` lines of ``width``; when some
        do not fit, the last line ends with …."""
        lines: list[list[Text]] = [[]]
        used = 0
        cut = False
        for item in items:
            need = item.cell_len + (2 if lines[-1] else 0)
            if lines[-1] and used + need > width:
                if len(lines) == rows:
                    cut = True
                    break
                lines.append([])
                used, need = 0, item.cell_len
            lines[-1].append(item)
            used += need
        if cut:
            last = lines[-1]
            while last and Text("  ").join([*last, Text("…")]).cell_len > width:
                last.pop()
            last.append(Text("…"))
        return lines

    @staticmethod
    def _right(items: list[Text], width: int) -> Text:
        """Legend entries right-aligned in ``width``; those that do not fit left out (…)."""
        kept = list(items)
        right = Text("  ").join(kept)
        while kept and right.cell_len > width:
            kept.pop()
            right = Text("  ").join([*kept, Text("…")])
        if right.cell_len > width:
            return Text("")
        return Text(" " * (width - right.cell_len)).append_text(right) if width > 0 else right
