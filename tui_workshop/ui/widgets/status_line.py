"""StatusLine: one row of plain text, cropped by whole fields with …, repainted only
when the text changes.

A ``Static`` (so ``query_one(..., Static)`` and ``update`` work as before) that
draws its row itself with ``render_line``: ``Static.update`` builds a new
visual and lays the text out again through Textual's content pipeline on every
frame of a training, several times the cost of the one segment drawn here
(issue 11). ``render()`` still gives the text (tests read it).
"""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widgets import Static


def _plain(content: Any) -> str:
    if isinstance(content, Text):
        return content.plain
    return str(content)


FIELD_SEPARATORS = re.compile(r" [·│|] ")


def crop_to(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells. When longer, whole fields (parts between
    " · ", " │ " or " | ") are dropped from the end and … shows the cut, so a number is
    never cut; a first field longer than the row is cut with …."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    for separator in reversed(list(FIELD_SEPARATORS.finditer(text))):
        head = text[: separator.start()]
        if cell_len(head) + 2 <= width:
            return head + " …"
    return set_cell_size(text, width - 1) + "…"


class StatusLine(Static):
    """One row of plain text; see the module docstring."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs["markup"] = False
        super().__init__("", **kwargs)
        self._text = _plain(content)

    @property
    def text(self) -> str:
        return self._text

    def update(self, content: Any = "", *, layout: bool = False) -> None:
        """Show ``content`` (str or rich Text, drawn without its styles); one row
        whatever the text, so never a layout pass."""
        text = _plain(content)
        if text != self._text:
            self._text = text
            self.refresh()

    def get_content_width(self, container: Any, viewport: Any) -> int:
        return cell_len(self._text)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return 1

    def render(self) -> Text:
        return Text(self._text, no_wrap=True, overflow="ellipsis")

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        base = self.rich_style
        if y != 0:
            return Strip.blank(width, base)
        text = crop_to(self._text, width)
        # Textual pads the rest of the row with the background, as it does for a Static.
        return Strip([Segment(text, base)] if text else [])
