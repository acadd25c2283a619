"""Text pages say how much is left to scroll (issue 10)."""

from __future__ import annotations

from textual.containers import VerticalScroll

from tests.ui.conftest import settle
from tui_workshop.ui.widgets.panels import TextPanelWidget


async def test_the_text_pane_counts_the_lines_left_and_zero_at_the_end(make_real_app):
    app = make_real_app(start_lesson="backprop")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 4)
        pane = app.screen.query_one("#pane-text", VerticalScroll)
        for _ in range(len(app.screen.lesson.pages)):  # a page that needs scrolling
            if pane.max_scroll_y > 0:
                break
            await pilot.press("f4")
            await settle(pilot, 4)
        assert pane.max_scroll_y > 0
        left = round(pane.max_scroll_y)
        assert str(pane.border_subtitle) == f"↓ {left} more lines"
        pane.scroll_end(animate=False)
        await settle(pilot, 3)
        assert not pane.border_subtitle


async def test_a_cut_text_panel_says_how_many_lines_are_hidden(make_real_app):
    app = make_real_app(start_lesson="metrics")
    cut = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 4)
        for widget in app.screen.query(TextPanelWidget):
            if not widget.region.area or widget.panel is None:
                continue
            lines = widget.panel.text.split("\n")
            rows = widget.content_size.height
            drawn = widget.render().plain.split("\n")
            assert len(drawn) <= rows
            if len(lines) > rows:
                cut += 1
                assert "more line" in drawn[-1], drawn
                assert drawn[:-1] == lines[: rows - 1]
    assert cut, "no cut text panel: the case is not exercised any more"
