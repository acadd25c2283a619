"""Text pages say how much is left to scroll (issue 10)."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll

from tests.ui.conftest import settle
from tui_workshop.ui.widgets.panels import TextPanelWidget


async def test_the_text_pane_counts_the_lines_left_and_zero_at_the_end(make_real_app):
    app = make_real_app(start_lesson="rnn-series")
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
        view = app.screen.query_one("#experiment")
        for _ in view.panel_widgets:  # every page of panels
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
            view.cycle_panels()
            await settle(pilot, 3)
    assert cut, "no cut text panel: the case is not exercised any more"


def text_left_is_shown(pane: VerticalScroll) -> None:
    """The pane's border says how many lines are below, and nothing when none are."""
    below = max(round(pane.max_scroll_y - pane.scroll_y), 0)
    sign = str(pane.border_subtitle or "")
    if below:
        assert sign == (f"↓ {below} more lines" if below > 1 else "↓ 1 more line"), sign
    else:
        assert not sign, sign


async def wait_for(pilot, condition, what: str, tries: int = 100) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_the_text_takes_the_room_until_the_lab_is_used(make_real_app, size):
    """Narrow: a page opens with the lab idle and the text taller than while training;
    the lab keeps room for a page of panels at their minimum; F5 gives the lab its room,
    the next page (not playing) gives it back to the text."""
    from tui_workshop.ui.widgets.experiment_view import ExperimentView

    app = make_real_app(start_lesson="playground")
    async with app.run_test(size=size) as pilot:
        await settle(pilot, 4)
        screen = app.screen
        pane = screen.query_one("#pane-text", VerticalScroll)
        view = screen.query_one(ExperimentView)
        for _ in range(len(screen.lesson.pages)):  # a page longer than the training share
            if pane.virtual_size.height > 0.4 * (size[1] - 2):
                break
            await pilot.press("f4")
            await settle(pilot, 4)
        assert screen.lab_idle
        idle_rows = pane.outer_size.height
        assert idle_rows > 0.4 * (size[1] - 2)
        assert view.size.height >= view.min_height()
        text_left_is_shown(pane)

        await pilot.press("f5")
        await wait_for(pilot, lambda: pane.outer_size.height < idle_rows, "the lab's room")
        training_rows = pane.outer_size.height
        assert not screen.lab_idle and screen.playing
        assert training_rows <= 0.4 * (size[1] - 2) < idle_rows
        text_left_is_shown(pane)

        await pilot.press("f5")  # pause, then the next page: the text takes the room again
        await pilot.press("f4")
        await wait_for(
            pilot,
            lambda: pane.max_scroll_y == 0 or pane.outer_size.height > training_rows,
            "the text's room",
        )
        assert screen.lab_idle
        text_left_is_shown(pane)


async def test_the_lines_left_sign_is_true_on_every_page(make_real_app):
    """Also after the pane changed size with no scroll (the sign once kept "↓ 2 more
    lines" on a page that fitted, from a layout pass where the pane was smaller)."""
    app = make_real_app(start_lesson="neuron")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 4)
        pane = app.screen.query_one("#pane-text", VerticalScroll)
        for _ in range(len(app.screen.lesson.pages)):
            await settle(pilot, 3)
            text_left_is_shown(pane)
            await pilot.press("f4")


async def test_a_text_panel_cut_when_small_shows_more_when_its_cell_grows():
    """Its height is its whole text (the layout cuts it), not the text it drew when
    cut: once small, it stayed small after a resize."""
    from textual.app import App, ComposeResult
    from textual.containers import Vertical

    from tui_workshop.experiments.base import TextPanel

    text = "\n".join(f"line {k}" for k in range(12))

    class PanelApp(App):
        def compose(self) -> ComposeResult:
            with Vertical(id="cell"):
                yield TextPanelWidget(TextPanel("Numbers", text))

    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        cell = app.query_one("#cell")
        widget = app.query_one(TextPanelWidget)
        cell.styles.height = 5
        await settle(pilot, 3)
        assert widget.content_size.height == 4
        assert widget.render().plain.split("\n")[-1] == "↓ 9 more lines"
        cell.styles.height = 10
        await settle(pilot, 3)
        assert widget.content_size.height == 9
        assert widget.render().plain.split("\n")[-1] == "↓ 4 more lines"
