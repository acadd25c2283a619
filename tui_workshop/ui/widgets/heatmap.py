"""HeatmapWidget: a :class:`~tui_workshop.experiments.base.Heatmap` drawn with text cells.

Colour mode: each character cell shows two grid rows with the half block
``▀`` (top row in the foreground colour, bottom row in the background).
NO_COLOR mode: one grid row per cell, the value drawn with ``' ░▒▓█'``.
Points are drawn on top with one marker per role (``●`` class 0, ``✕``
class 1, ...), coloured by role when that stands out, else black or white.

Layout inside the widget (title in the top border)::

     6 ▀▀▀▀▀▀▀▀▀▀▀▀▀     y range at the left corners, ylabel in between
    x2 ▀▀▀▀●▀▀▀▀✕▀▀     (wrapped over several rows when long)
    -6 ▀▀▀▀▀▀▀▀▀▀▀▀
       -6    x1    6    x range under the grid corners, xlabel centred
    ● class 0 ✕ class 1  0.02 ▀▀▀▀ 0.98    legend (when there is room; on
                                           two lines when one would cut it)

Truthful by construction: a ``square`` panel (a plane, an image) keeps its
aspect ratio (a cell is about twice as tall as wide, so two half-block pixels
per cell are square; an image magnified gets a whole number of columns per
pixel); the colour scale spans [vmin, vmax] widened to the data, and the
legend shows the range of the values drawn with the colours they use. A
``y_range`` running downwards (images) puts row 0 at the top.

API for the app: ``update_panel(heatmap)``, ``grid_size() -> (cols, rows)``
(the grid the widget can show at its current size, to ask the experiment
for a matching resolution; a grid of another size is resampled), and the
message ``HeatmapWidget.Resized(widget, cols, rows)`` posted when it changes.

Redraws are minimal: ``update_panel`` compares the quantised cells (colour
levels and markers) with those on screen and repaints only the spans of the
rows that changed, so a slowly moving decision boundary costs a few cells,
not the whole grid; the axis and legend rows are repainted only when they change.
"""

from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui_workshop.experiments.base import Heatmap
from tui_workshop.i18n import decimal_mark, render
from tui_workshop.ui import palette
from tui_workshop.ui.lazy_numpy import np

DEFAULT_GRID = (40, 20)
GUTTER_LABEL_MAX = 8  # the y label wraps to lines this wide in the gutter
LEGEND_MIN_HEIGHT = 6  # content rows needed before a legend line is drawn


def fmt(value: float) -> str:
    """A short axis number: 3 significant digits, no trailing zeros."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.3g}"
    return "0" if text == "-0" else text.replace(".", decimal_mark())


def data_range(z: np.ndarray) -> tuple[float, float] | None:
    """(min, max) of the finite values of ``z``, or None when there are none."""
    z = np.asarray(z, dtype=float)
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return None
    return float(finite.min()), float(finite.max())


def color_range(panel: Heatmap) -> tuple[float, float]:
    """The range the colours span: the panel's [vmin, vmax], widened to the data
    when values fall outside (clipped colours would hide them)."""
    vmin, vmax = float(panel.vmin), float(panel.vmax)
    found = data_range(panel.z)
    if found is not None:
        vmin, vmax = min(vmin, found[0]), max(vmax, found[1])
        if panel.diverging and panel.vmin == -panel.vmax:
            m = max(abs(vmin), abs(vmax))
            vmin, vmax = -m, m  # keep the middle colour at 0
    return vmin, vmax


def aspect(panel: Heatmap) -> float | None:
    """Width / height of the panel's rectangle in its own units, when it is drawn square."""
    if not panel.square:
        return None
    dx = abs(panel.x_range[1] - panel.x_range[0])
    dy = abs(panel.y_range[1] - panel.y_range[0])
    if not (math.isfinite(dx) and math.isfinite(dy)) or dx <= 0 or dy <= 0:
        return None
    return dx / dy


def wrap_label(text: str, width: int, rows: int) -> list[str]:
    """``text`` in lines of at most ``width`` (word wrap), at most ``rows`` lines."""
    if width <= 0 or rows <= 0 or not text:
        return []
    out: list[str] = []
    for word in text.split():
        while len(word) > width:
            out.append(word[:width])
            word = word[width:]
        if out and len(out[-1]) + 1 + len(word) <= width and out[-1] is not None:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > rows:
        out = out[:rows]
        out[-1] = (out[-1][: width - 1] + "…") if width > 1 else "…"
    return out


def resample(z: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Nearest-neighbour resampling of ``z`` to (rows, cols); row 0 stays at the bottom."""
    z = np.asarray(z, dtype=float)
    if z.ndim != 2 or z.size == 0:
        return np.full((rows, cols), np.nan)
    src_rows = np.minimum(((np.arange(rows) + 0.5) * z.shape[0] / rows).astype(int), z.shape[0] - 1)
    src_cols = np.minimum(((np.arange(cols) + 0.5) * z.shape[1] / cols).astype(int), z.shape[1] - 1)
    return z[np.ix_(src_rows, src_cols)]


def levels(z: np.ndarray, vmin: float, vmax: float, count: int, log: bool = False) -> np.ndarray:
    """Integer levels 0..count-1 of ``z`` clipped to [vmin, vmax]; NaN maps to the middle.

    ``log``: levels follow log(1 + z − vmin) instead of z."""
    z = np.asarray(z, dtype=float)
    span = vmax - vmin
    if not math.isfinite(span) or span <= 0:
        t = np.full(z.shape, 0.5)
    elif log:
        t = np.log1p(np.clip(z, vmin, vmax) - vmin) / math.log1p(span)
    else:
        t = (np.clip(z, vmin, vmax) - vmin) / span
    t = np.where(np.isfinite(t), t, 0.5)
    return np.minimum((t * count).astype(int), count - 1)


class HeatmapWidget(Widget):
    """Draws a Heatmap panel; see the module docstring."""

    DEFAULT_CSS = """
    HeatmapWidget {
        width: 1fr;
        height: 1fr;
        min-height: 5;
        border-top: solid $secondary;
        border-title-align: left;
        border-title-color: $text;
        border-title-style: bold;
    }
    """

    class Resized(Message):
        """The grid the widget can show changed size."""

        def __init__(self, widget: HeatmapWidget, cols: int, rows: int) -> None:
            super().__init__()
            self.widget = widget
            self.cols = cols
            self.rows = rows

    def __init__(self, panel: Heatmap | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.panel: Heatmap | None = panel
        self._lines: list[Strip] | None = None
        self._last_grid: tuple[int, int] | None = None
        # What the cached lines show: the fixed parts (size, labels, legend) and
        # one code per grid cell (colour levels and marker), to repaint only changes.
        self._drawn_key: tuple | None = None
        self._drawn_cells: np.ndarray | None = None
        self._drawn_legend: tuple | None = None
        self.repainted_cells = 0  # cells repainted by the last update_panel (for tests)
        self._marker_cache: tuple | None = None  # (points, geometry, markers)
        self._base = Style()  # the widget's style the cached lines were built with
        if panel is not None:
            self.border_title = render(panel.title)

    # ----------------------------------------------------------------- API
    def update_panel(self, panel: Heatmap) -> None:
        """Show ``panel``, repainting only the cells whose colour or marker changed."""
        self.panel = panel
        title = render(panel.title)
        if self.border_title != title:
            self.border_title = title
        width, height = self.size
        if self._lines is None or self._drawn_cells is None or width <= 0 or height <= 0:
            self._lines = None
            self.repainted_cells = -1  # all
            self.refresh()
            return
        state = self._state(width, height)
        if state["key"] != self._drawn_key or state["cells"].shape != self._drawn_cells.shape:
            self._lines = self._build(width, height, state)
            self.repainted_cells = -1
            self.refresh()
            return
        lay = state["lay"]
        if state["legend"] != self._drawn_legend and lay["legend"]:
            row = lay["grid_rows"] + lay["axis"]
            legend = self._legend_lines(panel, state, state["base"], width, lay["legend"])
            self._lines[row : row + len(legend)] = legend
            self._drawn_legend = state["legend"]
            self.refresh(Region(0, row, width, len(legend)))
        changed = state["cells"] != self._drawn_cells
        self.repainted_cells = int(changed.sum())
        if not self.repainted_cells:
            return
        self._drawn_cells = state["cells"]
        gutter = state["lay"]["gutter"]
        for row in np.flatnonzero(changed.any(axis=1)).tolist():
            self._lines[row] = self._grid_line(row, state)  # only the rows that changed
            cols = np.flatnonzero(changed[row])
            first, last = int(cols[0]), int(cols[-1])
            self.refresh(Region(gutter + first, row, last - first + 1, 1))

    @property
    def mono(self) -> bool:
        return palette.no_color(self.app)

    def grid_size(self) -> tuple[int, int]:
        """(cols, rows) of data cells the widget shows at its current size."""
        width, height = self.size
        if width <= 0 or height <= 0:
            return DEFAULT_GRID
        # Not snapped to the panel's pixels: what the widget could show, whatever
        # grid the experiment sends now.
        layout = self._layout(width, height, snap=False)
        return layout["cols"], layout["grid_rows"] * (1 if self.mono else 2)

    def geometry(self) -> dict[str, int]:
        """Where things are at the current size (for tests): ``gutter`` (columns of
        y labels), ``cols`` × ``grid_rows`` character cells of grid from the top
        left, then ``axis`` (0/1) line and ``legend`` (0-2) lines under it."""
        return self._layout(*self.size)

    # -------------------------------------------------------------- layout
    def _layout(self, width: int, height: int, snap: bool = True) -> dict[str, int]:
        """Where things go: the gutter (y labels), the grid of character cells
        (cols × grid_rows, the aspect ratio kept for a square panel), the axis
        line under the grid and the legend line (when there is room)."""
        panel = self.panel
        y_labels = [fmt(panel.y_range[0]), fmt(panel.y_range[1])] if panel else ["0"]
        ylabel = render(panel.ylabel) if panel else ""
        widest = max(len(label) for label in y_labels)
        if ylabel:
            widest = max(widest, min(max(len(w) for w in ylabel.split()), GUTTER_LABEL_MAX))
        gutter = min(widest + 1, max(0, width // 4))
        legend = 1 if height >= LEGEND_MIN_HEIGHT else 0
        if legend and panel is not None and panel.points:
            # Markers and colour scale on two lines when one would be cut.
            markers = sum(len(render(s.label)) + 4 for s in panel.points)
            scale = 2 * 8 + 4 + len(palette.SHADES if self.mono else palette.heat_scale())
            if markers + scale > width and height >= LEGEND_MIN_HEIGHT + 2:
                legend = 2
        axis = 1 if height >= 3 else 0
        avail_rows = max(1, height - legend - axis)
        avail_cols = max(1, width - gutter)
        cols, grid_rows = avail_cols, avail_rows
        ratio = aspect(panel) if panel is not None else None
        if panel is not None and ratio is not None:
            # A character cell is about twice as tall as wide: cols = 2·ratio·rows.
            z = np.asarray(panel.z)
            if snap and z.ndim == 2 and 0 < 2 * z.shape[1] <= avail_cols:
                # An image magnified: a whole number of columns per pixel.
                avail_cols = avail_cols // z.shape[1] * z.shape[1]
            grid_rows = max(1, round(avail_cols / (2 * ratio)))
            cols = avail_cols
            if grid_rows > avail_rows:
                grid_rows = avail_rows
                cols = max(1, min(avail_cols, round(2 * ratio * grid_rows)))
        return {
            "gutter": gutter,
            "cols": cols,
            "grid_rows": grid_rows,
            "axis": axis,
            "legend": legend,
        }

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_unmount(self) -> None:
        # The signal's callbacks hold this widget: without this, every removed
        # heatmap stays alive as long as the app.
        self.app.theme_changed_signal.unsubscribe(self)

    def _theme_changed(self, _theme: object) -> None:
        self._lines = None  # cached strips hold the old background
        self._drawn_cells = None
        self.refresh()

    def on_resize(self) -> None:
        if self._drawn_key is None or self._drawn_key[:2] != tuple(self.size):
            self._lines = None
            self._drawn_cells = None
        grid = self.grid_size()
        if grid != self._last_grid:
            self._last_grid = grid
            self.post_message(self.Resized(self, *grid))

    # ------------------------------------------------------------ drawing
    def render_line(self, y: int) -> Strip:
        width, height = self.size
        if self._lines is None or len(self._lines) != height:
            self._lines = self._build(width, height, self._state(width, height))
        if 0 <= y < len(self._lines):
            return self._lines[y].crop_extend(0, width, self._base)
        return Strip.blank(width, self._base)

    def _state(self, width: int, height: int) -> dict:
        """The quantised picture at this size: levels, markers, one code per cell
        and a key of everything else drawn (labels, legend, colours)."""
        panel = self.panel
        # The widget's style, once per update (it walks every ancestor's styles).
        base = self.rich_style
        if panel is None or width <= 0 or height <= 0:
            return {"key": None, "cells": np.zeros((0, 0), dtype=np.int64), "base": base}
        lay = self._layout(width, height)
        mono = self.mono
        ansi = palette.few_colors(self.app)
        scale = palette.heat_scale(panel.diverging, ansi)
        count = len(palette.SHADES) if mono else len(scale)
        sub = 1 if mono else 2
        cols, grid_rows = lay["cols"], lay["grid_rows"]
        z = resample(panel.z, grid_rows * sub, cols)[::-1]  # top row first
        vmin, vmax = color_range(panel)
        lev = levels(z, vmin, vmax, count, panel.log_colors)
        markers = self._markers(panel, cols, grid_rows)
        # One code per character cell: its level (mono) or its two half-cell levels.
        cells = lev.astype(np.int64) if mono else lev[0::2].astype(np.int64) * count + lev[1::2]
        for (row, col), role in markers.items():
            # Levels are >= 0, markers < 0; in colour a marker's background is the mean
            # level under it, so that is part of its code (a change repaints the cell).
            under = 0 if mono else (int(lev[2 * row, col]) + int(lev[2 * row + 1, col])) // 2
            cells[row, col] = -1 - (role * count + under)
        legend = tuple((series.role, render(series.label)) for series in panel.points)
        key = (
            width,
            height,
            mono,
            ansi,
            panel.diverging,
            vmin,
            vmax,
            panel.log_colors,
            tuple(fmt(v) for v in (*panel.x_range, *panel.y_range)),
            render(panel.xlabel),
            render(panel.ylabel),
            legend,
            base,
        )
        shown = data_range(panel.z) or (panel.vmin, panel.vmax)
        legend_levels = levels(np.array(shown), vmin, vmax, count, panel.log_colors)
        return {
            "key": key,
            "legend": (fmt(shown[0]), fmt(shown[1]), *legend_levels.tolist()),
            "cells": cells,
            "lay": lay,
            "lev": lev,
            "markers": markers,
            "scale": scale,
            "mono": mono,
            "ansi": ansi,
            "sub": sub,
            "base": base,
        }

    def _build(self, width: int, height: int, state: dict) -> list[Strip]:
        panel = self.panel
        self._drawn_key, self._drawn_cells = state["key"], state["cells"]
        self._base = base = state["base"]
        if panel is None or state["key"] is None:
            return [Strip.blank(width) for _ in range(max(height, 0))]
        lay = state["lay"]
        cols, gutter = lay["cols"], lay["gutter"]
        lines = [self._grid_line(row, state) for row in range(lay["grid_rows"])]
        if lay["axis"]:
            lines.append(self._axis_line(panel, gutter, cols, base))
        if lay["legend"]:
            lines.extend(self._legend_lines(panel, state, base, width, lay["legend"]))
        self._drawn_legend = state["legend"]
        while len(lines) < height:
            lines.append(Strip.blank(width, base))
        return lines[:height]

    def _grid_line(self, row: int, state: dict) -> Strip:
        """One row of the grid, with its part of the y axis in the gutter."""
        panel = self.panel
        assert panel is not None
        gutter, grid_rows = state["lay"]["gutter"], state["lay"]["grid_rows"]
        if row == 0:
            label = fmt(panel.y_range[1])
        elif row == grid_rows - 1:
            label = fmt(panel.y_range[0])
        else:
            words = wrap_label(render(panel.ylabel), gutter - 1, max(grid_rows - 2, 0))
            first = max(1, (grid_rows - len(words)) // 2)
            label = words[row - first] if 0 <= row - first < len(words) else ""
        base = state["base"]
        text = label[: gutter - 1].rjust(gutter - 1) + " " if gutter > 0 else ""
        segments = [Segment(text, base)]
        segments += self._row_segments(
            state["lev"],
            row,
            state["sub"],
            state["markers"],
            state["scale"],
            state["mono"],
            state["ansi"],
            base,
        )
        return Strip(segments).simplify()

    def _markers(self, panel: Heatmap, cols: int, grid_rows: int) -> dict[tuple[int, int], int]:
        """Character cell (row, col) -> role of the point drawn there (later ones on top).

        Remembered while the panel brings the same points (the same arrays: the
        experiment reuses them while its points do not move; a frame's localized
        copy has new Series around the same arrays) on the same grid.
        """
        geometry = (panel.x_range, panel.y_range, cols, grid_rows)
        # The cache holds the points, so the arrays (and their ids) stay alive meanwhile.
        same = tuple((id(s.x), id(s.y), s.role) for s in panel.points)
        cached = self._marker_cache
        if cached is not None and cached[1] == same and cached[2] == geometry:
            return cached[3]
        out = self._place_markers(panel, cols, grid_rows)
        self._marker_cache = (panel.points, same, geometry, out)
        return out

    def _place_markers(
        self, panel: Heatmap, cols: int, grid_rows: int
    ) -> dict[tuple[int, int], int]:
        (x0, x1), (y0, y1) = panel.x_range, panel.y_range
        out: dict[tuple[int, int], int] = {}
        if x1 == x0 or y1 == y0:
            return out
        for series in panel.points:
            x = np.asarray(series.x, dtype=float).ravel()
            y = np.asarray(series.y, dtype=float).ravel()
            n = min(len(x), len(y))
            x, y = x[:n], y[:n]
            ok = np.isfinite(x) & np.isfinite(y)
            col = np.floor((x[ok] - x0) / (x1 - x0) * cols).astype(int)
            row = np.floor((y1 - y[ok]) / (y1 - y0) * grid_rows).astype(int)
            # Points exactly on the far edge belong to the last cell.
            col = np.where(col == cols, cols - 1, col)
            row = np.where(row == grid_rows, grid_rows - 1, row)
            inside = (col >= 0) & (col < cols) & (row >= 0) & (row < grid_rows)
            for r, c in zip(row[inside].tolist(), col[inside].tolist(), strict=True):
                out[(r, c)] = series.role
        return out

    def _row_segments(self, lev, row, sub, markers, scale, mono, ansi, base) -> list[Segment]:
        segments: list[Segment] = []
        cols = lev.shape[1]
        if mono:
            chars = []
            for col in range(cols):
                role = markers.get((row, col))
                chars.append(
                    palette.role_marker(role) if role is not None else palette.SHADES[lev[row, col]]
                )
            return [Segment("".join(chars), base)]
        top, bottom = lev[2 * row], lev[2 * row + 1]
        for col in range(cols):
            role = markers.get((row, col))
            if role is None:
                style = _half_style(scale[top[col]], scale[bottom[col]])
                segments.append(Segment("▀", base + style))
            else:
                background = scale[(int(top[col]) + int(bottom[col])) // 2]
                color = _marker_color(role, background, ansi)
                style = _marker_style(color, background)
                segments.append(Segment(palette.role_marker(role), base + style))
        return segments

    def _axis_line(self, panel: Heatmap, gutter: int, cols: int, base: Style) -> Strip:
        left, right = fmt(panel.x_range[0]), fmt(panel.x_range[1])
        line = [" "] * cols
        label = render(panel.xlabel)
        room = cols - len(left) - len(right) - 2
        if len(label) > room:  # never a cut name ("x" for "x1"): shortened with …, or none
            label = label[: room - 1] + "…" if room >= 3 else ""
        _put(line, 0, left)
        _put(line, cols - len(right), right)
        if label:
            _put(line, (cols - len(label)) // 2, label)
        return Strip([Segment(" " * gutter + "".join(line), base)])

    def _legend_lines(self, panel, state, base, width, count: int) -> list[Strip]:
        """The point markers, then the colour scale of the values drawn: their
        minimum, the colours between, their maximum (on a line of its own when
        ``count`` is 2)."""
        scale, mono, ansi = state["scale"], state["mono"], state["ansi"]
        low, high, first, last = state["legend"]
        markers: list[Segment] = []
        for series in panel.points:
            marker = palette.role_marker(series.role)
            color = None if mono else palette.role_color(series.role, ansi)
            markers.append(Segment(marker, base + Style(color=color, bold=True)))
            markers.append(Segment(f" {render(series.label)}  ", base))
        colours = [Segment(low + " ", base)]
        if mono:
            colours.append(Segment("▕" + palette.SHADES[first : last + 1] + "▏", base))
        else:
            for color in scale[first : last + 1]:
                colours.append(Segment("█", base + Style(color=color)))
        colours.append(Segment(" " + high, base))
        if count >= 2:
            return [Strip(markers).crop(0, width), Strip(colours).crop(0, width)]
        return [Strip(markers + colours).crop(0, width)]


def _put(line: list[str], start: int, text: str) -> None:
    for i, char in enumerate(text):
        if 0 <= start + i < len(line):
            line[start + i] = char


_STYLE_CACHE: dict[tuple[str, str, bool], Style] = {}
_MARKER_COLORS: dict[tuple[int, str, bool], str] = {}


def _marker_color(role: int, background: str, ansi: bool) -> str:
    """palette.marker_color, remembered (a contrast computation per marker cell otherwise)."""
    key = (role, background, ansi)
    color = _MARKER_COLORS.get(key)
    if color is None:
        color = _MARKER_COLORS[key] = palette.marker_color(role, background, ansi)
    return color


def _half_style(top: str, bottom: str) -> Style:
    key = (top, bottom, False)
    style = _STYLE_CACHE.get(key)
    if style is None:
        style = _STYLE_CACHE[key] = Style(color=top, bgcolor=bottom)
    return style


def _marker_style(color: str, background: str) -> Style:
    key = (color, background, True)
    style = _STYLE_CACHE.get(key)
    if style is None:
        style = _STYLE_CACHE[key] = Style(color=color, bgcolor=background, bold=True)
    return style
