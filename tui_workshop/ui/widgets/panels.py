"""One widget per panel kind of :mod:`tui_workshop.experiments.base`.

Every panel widget has ``update_panel(panel)`` (replace the data, redraw in
place) and shows ``panel.title`` in its top border. :func:`make_panel_widget`
builds the right widget for a panel; :func:`panels_equal` compares two panels
(arrays by value) so an unchanged panel is not redrawn.

- :class:`LinePlotWidget` (a ``PlotextPlot``, in ``line_plot``: plotext is
  imported with the first line plot, not at start-up): series thinned to the
  plot width, axis labels, legend, log y axis, per-role colours and markers.
- :class:`~tui_workshop.ui.widgets.heatmap.HeatmapWidget`: see its module.
- :class:`TableWidget`: a rich table; highlighted cells are reversed and bold.
- :class:`BarsWidget`: horizontal bars with labels and values (negative bars
  in orange, or drawn with ``▒`` under NO_COLOR).
- :class:`TextPanelWidget`: preformatted text, lines kept as written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

from rich import box
from rich.cells import cell_len
from rich.table import Table as RichTable
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui_workshop.experiments.base import Bars, Heatmap, LinePlot, Panel, Table, TextPanel
from tui_workshop.i18n import _, decimal_mark, ngettext
from tui_workshop.ui import palette
from tui_workshop.ui.lazy_numpy import np
from tui_workshop.ui.text import text as as_str
from tui_workshop.ui.widgets.heatmap import HeatmapWidget, fmt

PANEL_BORDER_CSS = """
    border-top: solid $secondary;
    border-title-align: left;
    border-title-color: $text;
    border-title-style: bold;
"""


@runtime_checkable
class PanelWidget(Protocol):
    """What every panel widget has: the panel it shows and ``update_panel``."""

    def update_panel(self, panel: Any) -> None: ...


def values_equal(a: Any, b: Any) -> bool:
    """Deep equality for panel fields: arrays by value, dataclasses field by field."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a_arr, b_arr = np.asarray(a), np.asarray(b)
        return a_arr.shape == b_arr.shape and bool(np.array_equal(a_arr, b_arr, equal_nan=True))
    if is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            values_equal(getattr(a, f.name), getattr(b, f.name)) for f in fields(a)
        )
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b, strict=True))
    try:
        return bool(a == b)
    except (ValueError, TypeError):
        return False


def panels_equal(a: Panel | None, b: Panel | None) -> bool:
    return a is not None and b is not None and values_equal(a, b)


def thin(x: np.ndarray, y: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``limit`` evenly spaced points, always keeping the first and the last."""
    n = len(x)
    if limit < 2 or n <= limit:
        return x, y
    index = np.unique(np.linspace(0, n - 1, limit).round().astype(int))
    return x[index], y[index]



def cell_text(value: object) -> str:
    """A table cell as text: a float with the language's decimal mark (0,5 in pt-BR)."""
    if isinstance(value, float):
        return f"{value:g}".replace(".", decimal_mark())
    return str(value)


class TableWidget(Static):
    """Draws a Table panel as a compact rich table; nothing is cut without a sign.

    Numbers are never cut or folded: every column shown has its full width.
    When the columns do not fit, the first one (the row labels) stays and the
    others are paged with left/right; when the rows do not fit, the header
    stays and the rows scroll (up/down, page up/down, home/end: the panel
    takes focus with Tab or a click). The title says what is hidden:
    ``↓ 4 more rows``,
    ``↑ 2 more rows``, ``← 2 more columns``, ``→ 3 more columns``.
    """

    DEFAULT_CSS = (
        """
    TableWidget {
        width: 1fr;
        height: auto;
        max-height: 100%;
        overflow: hidden;
        &:focus {
            border-title-style: bold reverse;
        }
    """
        + PANEL_BORDER_CSS
        + "}"
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_rows(-1)", show=False),
        Binding("down", "scroll_rows(1)", show=False),
        Binding("pageup", "scroll_rows(-1000)", show=False),
        Binding("pagedown", "scroll_rows(1000)", show=False),
        Binding("home", "scroll_home_rows", show=False),
        Binding("end", "scroll_end_rows", show=False),
        Binding("left", "page_columns(-1)", show=False),
        Binding("right", "page_columns(1)", show=False),
    ]
    GAP = 1  # columns between cells

    def __init__(self, panel: Table | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.panel: Table | None = None
        self.first_column = 1  # the first paged column shown (column 0 always shows)
        self.first_row = 0  # the first row shown (the header always shows)
        self.shown_columns: list[int] = []
        self._drawn_size = (-1, -1)
        self.can_focus = False
        if panel is not None:
            self.update_panel(panel)

    # ---- layout ---------------------------------------------------------------
    def column_widths(self) -> list[int]:
        panel = self.panel
        if panel is None:
            return []
        widths = [cell_len(str(column)) for column in panel.columns]
        for row in panel.rows:
            for c, value in enumerate(row[: len(widths)]):
                widths[c] = max(widths[c], cell_len(cell_text(value)))
        return widths

    def fit_columns(self, width: int) -> list[int]:
        """The columns shown at ``width``: column 0, then from ``first_column`` on."""
        widths = self.column_widths()
        if not widths:
            return []
        if sum(widths) + self.GAP * (len(widths) - 1) <= width:
            self.first_column = 1
            return list(range(len(widths)))
        self.first_column = min(max(self.first_column, 1), max(len(widths) - 1, 1))
        shown = [0]
        used = widths[0]
        for c in range(self.first_column, len(widths)):
            if used + self.GAP + widths[c] > width and len(shown) > 1:
                break
            shown.append(c)
            used += self.GAP + widths[c]
        return shown

    HEADER = 2  # the header line and its rule

    def row_capacity(self) -> int:
        """Rows of the table that fit under the header (all of them before layout)."""
        height = self.content_region.height
        if self.panel is None or height <= 0:
            return len(self.panel.rows) if self.panel else 0
        return max(height - self.HEADER, 1)

    def get_content_height(self, container, viewport, width: int) -> int:
        """The whole table: the layout (max-height, the grid) decides how much shows."""
        return self.HEADER + len(self.panel.rows) if self.panel is not None else 1

    def hidden_rows(self) -> tuple[int, int]:
        """Rows of the table above and below the visible part."""
        if self.panel is None:
            return 0, 0
        total = len(self.panel.rows)
        above = min(self.first_row, total)
        below = max(total - above - self.row_capacity(), 0)
        return above, below

    def _show_title(self) -> None:
        panel = self.panel
        if panel is None:
            return
        signs: list[str] = []
        widths = self.column_widths()
        if self.shown_columns:
            left = sum(1 for c in range(1, self.shown_columns[-1]) if c not in self.shown_columns)
            right = len(widths) - 1 - self.shown_columns[-1]
            if left:
                signs.append(ngettext("← {n} more column", "← {n} more columns", left))
            if right:
                signs.append(ngettext("→ {n} more column", "→ {n} more columns", right))
        above, below = self.hidden_rows()
        if above:
            signs.append(ngettext("↑ {n} more row", "↑ {n} more rows", above))
        if below:
            signs.append(ngettext("↓ {n} more row", "↓ {n} more rows", below))
        title = as_str(panel.title) + ("  " + " ".join(signs) if signs else "")
        if self.border_title != title:
            self.border_title = title
        self.can_focus = bool(signs)

    def _draw(self) -> None:
        panel = self.panel
        if panel is None:
            return
        width = self.content_region.width or self.size.width
        if width <= 0:
            return
        self._drawn_size = (width, self.content_region.height)
        self.update(self.rich_table(width, self.row_capacity()))
        self._show_title()

    def rich_table(self, width: int, capacity: int) -> RichTable:
        """The part of the table shown at ``width`` columns with ``capacity`` rows;
        sets ``shown_columns`` and clamps ``first_row``."""
        panel = self.panel
        assert panel is not None
        self.shown_columns = self.fit_columns(width)
        self.first_row = min(max(self.first_row, 0), max(len(panel.rows) - capacity, 0))
        rows = range(self.first_row, min(self.first_row + capacity, len(panel.rows)))
        # The box's column divider is the only gap between cells (GAP): with padding
        # as well, rich would need more than fit_columns counted and cut the cells.
        table = RichTable(
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            padding=0,
            show_edge=False,
            expand=False,
        )
        for c in self.shown_columns:
            table.add_column(
                as_str(panel.columns[c]), header_style="bold", no_wrap=True, overflow="ignore"
            )
        for r in rows:
            row = panel.rows[r]
            table.add_row(
                *(
                    Text(
                        cell_text(row[c]) if c < len(row) else "",
                        style="reverse bold" if (r, c) in panel.highlight else "",
                    )
                    for c in self.shown_columns
                )
            )
        return table

    def update_panel(self, panel: Table) -> None:
        rows_before = len(self.panel.rows) if self.panel is not None else -1
        self.panel = panel
        title = as_str(panel.title)
        if self.border_title is None or not str(self.border_title).startswith(title):
            self.border_title = title
        self._draw()
        if len(panel.rows) != rows_before:
            self.refresh(layout=True)  # the height it asks for follows the rows

    def on_resize(self) -> None:
        if (self.content_region.width, self.content_region.height) != self._drawn_size:
            self._draw()

    # ---- keys -----------------------------------------------------------------
    def action_scroll_rows(self, rows: int) -> None:
        if abs(rows) >= 1000:
            page = max(self.row_capacity() - 1, 1)
            rows = page if rows > 0 else -page
        self.first_row += rows
        self._draw()

    def action_scroll_home_rows(self) -> None:
        self.first_row = 0
        self._draw()

    def action_scroll_end_rows(self) -> None:
        self.first_row = len(self.panel.rows) if self.panel else 0
        self._draw()

    def action_page_columns(self, step: int) -> None:
        shown = self.shown_columns
        total = len(self.column_widths())
        if not shown or len(shown) >= total:
            return
        paged = max(len(shown) - 1, 1)
        self.first_column = min(max(self.first_column + step * paged, 1), total - 1)
        self._draw()


class BarsWidget(Static):
    """Draws a Bars panel: ``label ████▌ value`` per line."""

    DEFAULT_CSS = (
        """
    BarsWidget {
        width: 1fr;
        height: auto;
        max-height: 100%;
        overflow-y: auto;
    """
        + PANEL_BORDER_CSS
        + "}"
    )
    EIGHTHS = " ▏▎▍▌▋▊▉"

    def __init__(self, panel: Bars | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.panel: Bars | None = panel
        if panel is not None:
            self.border_title = as_str(panel.title)

    def update_panel(self, panel: Bars) -> None:
        self.panel = panel
        self.border_title = as_str(panel.title)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(len(self.panel.labels), 1) if self.panel is not None else 1

    def render(self) -> Text:
        panel = self.panel
        if panel is None:
            return Text("")
        return bars_text(panel, self.size.width, palette.no_color(self.app))


def bars_text(panel: Bars, width: int, mono: bool) -> Text:
    """The text of a Bars panel at ``width`` columns."""
    if not panel.labels:
        return Text(_("(no bars)"))
    values = [float(v) for v in panel.values]
    finite = [abs(v) for v in values if math.isfinite(v)]
    vmax = panel.vmax if panel.vmax else (max(finite) if finite else 1.0)
    vmax = vmax if vmax and math.isfinite(vmax) else 1.0
    labels = [as_str(label) for label in panel.labels]
    label_width = min(max(len(label) for label in labels), max(width // 3, 4))
    value_texts = [fmt(v) for v in values]
    value_width = max(len(v) for v in value_texts)
    bar_width = max(width - label_width - value_width - 2, 1)
    out = Text()
    for i, (label, value, shown) in enumerate(zip(labels, values, value_texts, strict=False)):
        if i:
            out.append("\n")
        out.append(label[:label_width].ljust(label_width) + " ")
        fraction = min(abs(value) / vmax, 1.0) if math.isfinite(value) else 0.0
        eighths = round(fraction * bar_width * 8)
        negative = value < 0
        if mono:
            bar = ("▒" if negative else "█") * (eighths // 8)
            style = ""
        else:
            bar = "█" * (eighths // 8) + BarsWidget.EIGHTHS[eighths % 8].strip()
            style = palette.role_color(1 if negative else 0, False)
        out.append(bar, style=style)
        out.append(" " * max(bar_width - len(bar), 0) + " " + shown.rjust(value_width))
    return out


class TextPanelWidget(Static):
    """Draws a TextPanel: monospace lines kept as written (cropped, never re-wrapped).

    When the panel is taller than its cell the top lines show, except for a
    growing log (the new text extends the old): then the newest lines show;
    either way one row says how many lines are hidden ("↓ 3 more lines").
    """

    DEFAULT_CSS = (
        """
    TextPanelWidget {
        width: 1fr;
        height: auto;
        max-height: 100%;
        overflow: hidden;
    """
        + PANEL_BORDER_CSS
        + "}"
    )

    def __init__(self, panel: TextPanel | None = None, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.panel: TextPanel | None = None
        self.follow = False  # show the last lines (a growing log)
        if panel is not None:
            self.update_panel(panel)

    def update_panel(self, panel: TextPanel) -> None:
        previous = as_str(self.panel.text) if self.panel is not None else None
        self.panel = panel
        title, text = as_str(panel.title), as_str(panel.text)
        if self.border_title != title:
            self.border_title = title
        if previous is not None and text != previous:
            self.follow = text.startswith(previous)
        # The height follows the number of lines: no layout pass while it stays.
        same_height = previous is not None and previous.count("\n") == text.count("\n")
        self.update(text, layout=not same_height)

    def get_content_height(self, container, viewport, width: int) -> int:
        """All the lines: the layout (max-height, the grid) decides how many show. (The
        height of the cut text would keep a panel that was once small that small.)"""
        return as_str(self.panel.text).count("\n") + 1 if self.panel is not None else 1

    def render(self) -> Text:
        if self.panel is None:
            return Text("")
        lines = as_str(self.panel.text).split("\n")
        rows = self.content_size.height
        if rows <= 0 or len(lines) <= rows:
            return Text("\n".join(lines), no_wrap=True, overflow="ellipsis")
        # Cut: the last row (the first, for a growing log) says how many lines are hidden.
        hidden = len(lines) - (rows - 1)
        if self.follow:
            sign = ngettext("↑ {n} earlier line", "↑ {n} earlier lines", hidden)
            shown = lines[len(lines) - (rows - 1) :] if rows > 1 else []
            text = Text(sign, style="bold")
            for line in shown:
                text.append("\n" + line)
        else:
            sign = ngettext("↓ {n} more line", "↓ {n} more lines", hidden)
            text = Text("\n".join(lines[: rows - 1]))
            text.append(("\n" if rows > 1 else "") + sign, style="bold")
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text


def _line_plot_widget(panel: LinePlot):
    from tui_workshop.ui.widgets.line_plot import LinePlotWidget

    return LinePlotWidget(panel)


def __getattr__(name: str) -> Any:
    if name == "LinePlotWidget":  # imported on first use (plotext is slow to import)
        from tui_workshop.ui.widgets.line_plot import LinePlotWidget

        return LinePlotWidget
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


PANEL_WIDGETS: dict[type, Any] = {
    TextPanel: TextPanelWidget,
    LinePlot: _line_plot_widget,
    Heatmap: HeatmapWidget,
    Table: TableWidget,
    Bars: BarsWidget,
}

# Panels whose natural height is their content (the rest share the free space).
AUTO_HEIGHT = (TextPanel, Table, Bars)


def make_panel_widget(panel: Panel):
    """A new widget drawing ``panel``."""
    return PANEL_WIDGETS[type(panel)](panel)


NUMBER_IN_TITLE = re.compile(r"[−-]?\d+(?:[.,]\d+)?")


def panel_key(panels: Sequence[Panel]) -> tuple[tuple[str, str], ...]:
    """The structure of a frame: widgets are reused while this stays the same. Numbers
    in titles ("Test #0: 6 → 0 (35.8%)") change as a run goes on: the same panel, its
    title updated in place, not every widget built again on each frame."""
    return tuple((type(p).__name__, NUMBER_IN_TITLE.sub("#", as_str(p.title))) for p in panels)


def desired_height(panel: Panel, width: int) -> int:
    """Rows a panel would like (title border included), for the layout estimate."""
    if isinstance(panel, TextPanel):
        return as_str(panel.text).count("\n") + 2
    if isinstance(panel, Table):
        return len(panel.rows) + 3
    if isinstance(panel, Bars):
        return max(len(panel.labels), 1) + 1
    return 9  # plots: smallest size that reads well
