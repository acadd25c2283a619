"""ExperimentView: draws the frames of an experiment, updating in place.

API for the lesson screen (main thread only)::

    view = ExperimentView(id="experiment")
    view.show(frame)            # any Frame; call again for every new frame
    view.show(frame, live=True) # a frame of a running training: plots at most ~2 Hz
    view.frame                  # the last frame shown, its texts rendered (or None)
    view.cycle_panels()         # next page of panels when they do not all fit
    view.heatmap_grid_size()    # (cols, rows) the first heatmap can show, or None
    view.panel_widgets          # the current panel widgets, in frame order
    view.min_height()           # rows that show one page of panels at their minimum
    ExperimentView.PanelsChanged  # posted when the frame's structure (panels) changed

Layout, top to bottom: one status line (the screen's run state given to
:meth:`set_run_state`, then ``frame.status``, cropped with …), a progress bar
when ``frame.progress`` is not None, ``frame.message`` styled by
``frame.level`` with a ⚠/✖ mark on its own line when there is one, then the
panels in a grid of one column (narrow) or two (>= 64 columns). Text, table
and bar panels take the height of their content (at most 8 rows, at least 6,
then they scroll), plots share the rest, heatmaps twice as much. When the
panels do not fit (:data:`PLOT_MIN_HEIGHT`, :data:`HEATMAP_MIN_HEIGHT`: a
panel is never squeezed below the height that shows its point) only a page of
them is shown; the pager at the right of the status line ("panels 1-2 of 3 ›", clickable) and
:meth:`cycle_panels` (bind a key to ``action_cycle_panels``) show the next.

Widgets are reused while the frame's structure (panel kinds and titles) is
unchanged; a panel equal to the one its widget shows is not redrawn at all, a
hidden panel (another page) is drawn when it is shown, and with ``live=True``
plots and heatmaps are redrawn at most every :data:`LIVE_PLOT_INTERVAL` s
while the status line follows every frame (the next non-live frame, such as
the final one of a run, draws everything).
``HeatmapWidget.Resized`` messages bubble up from heatmaps: the app may then
ask the experiment for a grid of that size.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Click
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from tui_workshop.experiments.base import Frame, Heatmap, LinePlot, Panel
from tui_workshop.i18n import _
from tui_workshop.ui import palette
from tui_workshop.ui.text import localize
from tui_workshop.ui.text import text as as_str
from tui_workshop.ui.widgets.heatmap import HeatmapWidget
from tui_workshop.ui.widgets.panels import (
    AUTO_HEIGHT,
    PanelWidget,
    desired_height,
    make_panel_widget,
    panel_key,
    panels_equal,
)
from tui_workshop.ui.widgets.progress_line import ProgressLine
from tui_workshop.ui.widgets.static_text import set_static
from tui_workshop.ui.widgets.status_line import StatusLine

TWO_COLUMNS_MIN_WIDTH = 64
# A line plot shows its point with at least PLOT_MIN_ROWS rows of data (braille:
# four dots a row); around them: the title border, the y label/legend row, the
# x axis, its ticks and the x label. A heatmap needs 7 rows of cells (14 pixels)
# plus the title border, the axis and the legend. A panel never gets less than
# its minimum while another is shown: the pager shows one panel at a time then.
PLOT_MIN_ROWS = 4
PLOT_MIN_HEIGHT = PLOT_MIN_ROWS + 5
HEATMAP_MIN_ROWS = 7
HEATMAP_MIN_HEIGHT = HEATMAP_MIN_ROWS + 3
# A text or table panel shrinks to this and scrolls: its title and five rows (a
# table: its header, rule and three rows), not one row under a header.
AUTO_MIN_HEIGHT = 6
AUTO_MAX_HEIGHT = 8
# While training, plots and heatmaps redraw at most this often (seconds); the
# status line (epoch counter) follows every frame.
LIVE_PLOT_INTERVAL = 0.5
SLOW_PANELS = (Heatmap, LinePlot)


def row_heights(mins: list[int], wants: list[int], weights: list[int], height: int) -> list[int]:
    """Heights of the grid rows: each gets its minimum, text rows then grow to
    what they want, and plots share what is left (heatmaps twice as much)."""
    heights = list(mins)
    spare = height - sum(heights)
    for i, want in enumerate(wants):
        if weights[i] == 0 and spare > 0:
            extra = min(want - heights[i], spare)
            heights[i] += extra
            spare -= extra
    total = sum(weights)
    if spare > 0 and heights:
        if total == 0:
            heights[-1] += spare
        else:
            shares = [spare * w // total for w in weights]
            shares[max(range(len(weights)), key=weights.__getitem__)] += spare - sum(shares)
            heights = [h + s for h, s in zip(heights, shares, strict=True)]
    return [max(h, 1) for h in heights]


def panel_min_height(panel: Panel, width: int) -> int:
    """The least height (title border included) that shows a panel's point."""
    if isinstance(panel, AUTO_HEIGHT):
        return min(desired_height(panel, width), AUTO_MIN_HEIGHT)
    return HEATMAP_MIN_HEIGHT if isinstance(panel, Heatmap) else PLOT_MIN_HEIGHT


class PagerLabel(Static):
    """The clickable "panels 1-2 of 3 ›" label."""

    def on_click(self, event: Click) -> None:
        event.stop()
        view = next((a for a in self.ancestors if isinstance(a, ExperimentView)), None)
        if view is not None:
            view.cycle_panels()


class ExperimentView(Widget):
    """Shows a Frame: status, optional progress bar and its panels."""

    class PanelsChanged(Message):
        """The panels shown are of other kinds or titles: min_height() may differ."""

    DEFAULT_CSS = """
    ExperimentView {
        width: 1fr;
        height: 1fr;
        layout: vertical;
    }
    ExperimentView > #ev-top {
        height: 1;
        background: $panel;
    }
    ExperimentView #ev-status {
        width: 1fr;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ExperimentView > #ev-message {
        height: auto;
        max-height: 2;
        display: none;
    }
    ExperimentView > #ev-message.-shown {
        display: block;
    }
    ExperimentView #ev-pager {
        width: auto;
        height: 1;
        padding: 0 0 0 1;
        color: $accent;
        text-style: underline;
    }
    ExperimentView > #ev-panels {
        height: 1fr;
        layout: grid;
        grid-size: 1;
        grid-gutter: 0 1;
    }
    """

    def __init__(self, frame: Frame | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.frame: Frame | None = None
        self.panel_widgets: list[Widget] = []
        self._key: tuple | None = None
        self._status_key: tuple | None = None
        self._offset = 0  # first panel of the page shown
        self._visible: list[int] = []
        self._pending = frame
        self._layout_key: tuple | None = None
        self._ready = False  # compose ran and on_mount started
        self._run_state = ""  # the screen's "paused · 20/s", before frame.status
        self._stale: dict[int, Panel] = {}  # panel index -> newest panel not drawn yet
        self._slow_drawn_at = -LIVE_PLOT_INTERVAL  # time.monotonic() of the last plot redraw
        self._progress_shown: float | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="ev-top"):
            yield StatusLine(_("No experiment yet."), id="ev-status")
            yield PagerLabel("", id="ev-pager", markup=False)
        bar = ProgressLine(id="ev-progress")
        bar.display = False
        yield bar
        yield Static("", id="ev-message", markup=False)
        yield Widget(id="ev-panels")

    def on_mount(self) -> None:
        self._ready = True
        self.query_one("#ev-pager").display = False
        if self._pending is not None:
            frame, self._pending = self._pending, None
            self.show(frame)

    # ----------------------------------------------------------------- API
    def show(self, frame: Frame, live: bool = False) -> None:
        """Draw ``frame``: reuse the panel widgets when its structure is unchanged.

        ``live``: a frame of a running training; plots and heatmaps may wait
        (at most :data:`LIVE_PLOT_INTERVAL` s) for a later frame.
        """
        if not self._ready:
            self._pending = frame
            return
        # Texts of the frame (Msg, Num...) become str here, once: widgets draw str.
        frame = localize(frame)
        self.frame = frame
        self._show_status(frame)
        key = panel_key(frame.panels)
        if key != self._key:
            self._key = key
            self._stale.clear()
            self._rebuild(frame)
            return
        now = time.monotonic()
        slow_due = not live or now - self._slow_drawn_at >= LIVE_PLOT_INTERVAL
        drew_slow = False
        visible = set(self._visible)
        for i, panel in enumerate(frame.panels):
            slow = isinstance(panel, SLOW_PANELS)
            if i not in visible or (slow and not slow_due):
                self._stale[i] = panel  # drawn when shown, or by a later frame
                continue
            self._stale.pop(i, None)
            if self._draw_panel(i, panel) and slow:
                drew_slow = True
        if drew_slow:
            self._slow_drawn_at = now
        self._relayout()

    def _draw_panel(self, index: int, panel: Panel) -> bool:
        """Hand ``panel`` to its widget unless it shows an equal one; True if redrawn."""
        widget = self.panel_widgets[index]
        assert isinstance(widget, PanelWidget)  # built by make_panel_widget
        if panels_equal(getattr(widget, "panel", None), panel):
            return False
        widget.update_panel(panel)
        return True

    def set_run_state(self, text: str) -> None:
        """The screen's run state, shown after the frame's status on the status line."""
        if text != self._run_state:
            self._run_state = text
            self._status_key = None
            if self._ready and self.frame is not None:
                self._show_status(self.frame)
            elif self._ready:
                self.query_one("#ev-status", StatusLine).update(text)

    def cycle_panels(self, step: int = 1) -> None:
        """Show the next page of panels (when they do not all fit)."""
        count = len(self.panel_widgets)
        if count == 0 or len(self._visible) >= count:
            return
        if step > 0:
            self._offset = (self._visible[-1] + 1) % count if self._visible else 0
        else:
            self._offset = (self._offset - max(len(self._visible), 1)) % count
        self._relayout(force=True)

    def action_cycle_panels(self) -> None:
        self.cycle_panels()

    def heatmap_grid_size(self) -> tuple[int, int] | None:
        for widget in self.panel_widgets:
            if isinstance(widget, HeatmapWidget):
                return widget.grid_size()
        return None

    def min_height(self) -> int:
        """Rows that show the status line (and the progress bar) and any page of
        the panels at its minimum height: the pager shows one panel at a time then."""
        frame = self.frame
        top = 1 + (frame is not None and frame.progress is not None)
        if frame is None or not frame.panels:  # loading: room for a plot
            return top + PLOT_MIN_HEIGHT
        return top + max(panel_min_height(panel, self.size.width) for panel in frame.panels)

    @property
    def visible_panels(self) -> list[int]:
        """Indices of the panels currently displayed."""
        return list(self._visible)

    # ------------------------------------------------------------ internals
    def _show_status(self, frame: Frame) -> None:
        status_key = (frame.status, frame.message, frame.level)
        if status_key != self._status_key:
            self._status_key = status_key
            # One line (cropped by whole fields with …): the frame's status, its key
            # figure first, then the run state.
            parts = [part for part in (as_str(frame.status), self._run_state) if part]
            # One row whatever the text: no layout pass for each frame.
            self.query_one("#ev-status", StatusLine).update(" │ ".join(parts))
            message = self.query_one("#ev-message", Static)
            if frame.message:
                style, mark = palette.LEVEL_STYLES.get(frame.level, ("", ""))
                if palette.no_color(self.app):
                    style = "bold" if frame.level != "info" else ""
                set_static(message, Text(mark + as_str(frame.message), style=style))
            message.set_class(bool(frame.message), "-shown")
        bar = self.query_one("#ev-progress", ProgressLine)
        if frame.progress is None:
            bar.display = False
            self._progress_shown = None
        else:
            bar.display = True
            # Whole percents: the bar is redrawn when what it shows changes.
            progress = round(min(max(float(frame.progress), 0.0), 1.0), 2)
            if progress != self._progress_shown:
                self._progress_shown = progress
                bar.update(progress=progress)

    def _rebuild(self, frame: Frame) -> None:
        box = self.query_one("#ev-panels")
        for widget in self.panel_widgets:
            widget.remove()
        self.panel_widgets = [make_panel_widget(panel) for panel in frame.panels]
        self._offset = 0
        self._layout_key = None
        if self.panel_widgets:
            box.mount_all(self.panel_widgets)
        self._relayout()
        self.call_after_refresh(self._relayout)
        self.post_message(self.PanelsChanged())

    def on_resize(self) -> None:
        self._relayout()

    def _relayout(self, force: bool = False) -> None:
        """Choose columns, the page of panels shown and the grid row heights."""
        frame = self.frame
        if frame is None or not self.panel_widgets:
            self.query_one("#ev-pager").display = False
            return
        box = self.query_one("#ev-panels")
        width = box.size.width or self.size.width
        height = box.size.height or max(self.size.height - 1, 0)
        wanted = tuple(
            desired_height(panel, width) for panel in frame.panels if isinstance(panel, AUTO_HEIGHT)
        )
        layout_key = (width, height, self._offset, len(self.panel_widgets), wanted)
        if not force and layout_key == self._layout_key:
            return
        self._layout_key = layout_key
        panels = frame.panels
        count = len(panels)
        cols = 2 if width >= TWO_COLUMNS_MIN_WIDTH and count >= 2 else 1
        if self._offset >= count:
            self._offset = 0
        # Fill rows of `cols` panels from the offset while their minimum heights fit.
        visible: list[int] = []
        mins: list[int] = []
        wants: list[int] = []
        weights: list[int] = []  # share of the spare rows: 0 for text rows
        index = self._offset
        while index < count:
            row = list(range(index, min(index + cols, count)))
            if all(isinstance(panels[i], AUTO_HEIGHT) for i in row):
                want = min(max(desired_height(panels[i], width) for i in row), AUTO_MAX_HEIGHT)
                low, weight = min(want, AUTO_MIN_HEIGHT), 0
            else:
                heat = any(isinstance(panels[i], Heatmap) for i in row)
                low = want = HEATMAP_MIN_HEIGHT if heat else PLOT_MIN_HEIGHT
                weight = 2 if heat else 1
            if visible and sum(mins) + low > height:
                break
            visible.extend(row)
            mins.append(low)
            wants.append(want)
            weights.append(weight)
            index += cols
        self._visible = visible
        box.styles.grid_size_columns = cols
        box.styles.grid_rows = " ".join(str(h) for h in row_heights(mins, wants, weights, height))
        for i, widget in enumerate(self.panel_widgets):
            widget.display = i in visible
            if i in visible and i in self._stale:
                self._draw_panel(i, self._stale.pop(i))
        pager = self.query_one("#ev-pager", PagerLabel)
        if len(visible) < count:
            first, last = visible[0] + 1, visible[-1] + 1
            if first == last:
                pager.update(_("{first}/{total} ^n›", first=first, total=count))
            else:
                pager.update(_("{first}-{last}/{total} ^n›", first=first, last=last, total=count))
            pager.tooltip = _("Show the next panels")
            pager.display = True
        else:
            pager.display = False
