"""Setting a Static's content without a layout pass of the whole screen.

``Static.update`` asks for a layout by default: every widget of the screen is
arranged again, though a line whose text changes (a live goal status, a run's
message) mostly keeps its size. Per frame of a training that is most of the
main thread's work (issue 11).
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


def _auto_size(widget: Static) -> tuple[int | None, int | None]:
    """The content's width and height where the styles make them the widget's."""
    container, viewport = widget.container_size, widget.app.size
    styles = widget.styles
    width = (
        widget.get_content_width(container, viewport)
        if styles.width is not None and styles.width.is_auto
        else None
    )
    height = (
        widget.get_content_height(container, viewport, widget.content_size.width)
        if styles.height is None or styles.height.is_auto
        else None
    )
    return width, height


def set_static(widget: Static, content: VisualType) -> None:
    """Show ``content`` in ``widget``; lay the screen out again only when the
    content's size (its wrapped lines, or its width when that is auto) changes."""
    if widget.content == content:
        return
    if not widget.is_mounted or not widget.content_size.area:
        widget.update(content)
        return
    before = _auto_size(widget)
    widget.update(content, layout=False)
    if widget.display and _auto_size(widget) != before:
        widget.refresh(layout=True)
