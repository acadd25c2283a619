"""ProgressLine: a one-row progress bar and percentage, redrawn only when they change.

It draws what Textual's ``ProgressBar`` draws with ``show_eta=False`` (a bar of
``━`` 32 cells wide, then the whole percentage right-aligned in 5), as one
widget. ``ProgressBar`` is three widgets, keeps a one-second timer (its ETA)
that repaints it even when nothing changed, and re-renders through reactives
on every update; while a class trains, each of those repaints is composited
in every app (issue 11).

API: ``ProgressLine(id=...)``; ``update(progress=fraction)`` (0..1, clipped);
``progress`` (the fraction shown).
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

HALF_LEFT, FULL, HALF_RIGHT = "╺", "━", "╸"


def bar_cells(fraction: float, width: int) -> tuple[str, str]:
    """The highlighted and the background parts of a ``width``-cell bar at ``fraction``
    (half cells drawn with ``╸``/``╺``, as Textual's bar does)."""
    end = round(min(max(fraction, 0.0), 1.0) * width * 2) / 2
    if end <= 0:
        return "", FULL * width
    whole = int(end)
    half = end - whole > 0
    done = FULL * whole + (HALF_RIGHT if half else "")
    rest = "" if half or whole >= width else HALF_LEFT
    rest += FULL * max(width - whole - 1, 0)
    return done, rest


class ProgressLine(Widget, can_focus=False):
    """A bar and a percentage on one row; see the module docstring."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"progress-line--bar", "progress-line--complete"}
    DEFAULT_CSS = """
    ProgressLine {
        width: 37;
        height: 1;
        & > .progress-line--bar {
            color: $primary;
            background: $surface;
        }
        & > .progress-line--complete {
            color: $success;
            background: $surface;
        }
    }
    """
    BAR_WIDTH = 32
    PERCENT_WIDTH = 5

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.progress = 0.0

    def update(self, *, progress: float) -> None:
        """Show ``progress`` (a fraction); repaints only when it changed."""
        progress = min(max(float(progress), 0.0), 1.0)
        if progress != self.progress:
            self.progress = progress
            self.refresh()  # one row; Textual keeps the line drawn until then

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y != 0:
            return Strip.blank(width, base)
        complete = self.progress >= 1
        style = self.get_component_rich_style(
            "progress-line--complete" if complete else "progress-line--bar"
        )
        done_style = base + Style.from_color(style.color)
        rest_style = base + Style.from_color(style.bgcolor)
        bar_width = min(self.BAR_WIDTH, width)
        done, rest = bar_cells(self.progress, bar_width)
        percent = f"{round(self.progress * 100)}%"
        pad = " " * max(self.PERCENT_WIDTH - len(percent), 0)
        # The styles Textual's bar and percentage label give (the same look and snapshots).
        parts = [
            (done, done_style),
            (rest, rest_style),
            (pad, base + Style(reverse=False)),
            (percent, base),
        ]
        segments = [Segment(text, style) for text, style in parts if text]
        return Strip(segments).crop_extend(0, width, base)
