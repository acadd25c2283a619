"""Tables never lose a row, a column or a digit without a sign (issue 10).

Every lesson of the real course is opened at 80x24, 100x30 and 120x40, its
experiment stepped, and the lab shown (zoomed at 80 columns). For every
table on screen: each cell of each row drawn shows its whole value (no "3"
for 33), columns not drawn are announced in the title (→ / ←), and rows not
drawn are announced (↓ / ↑); the keys then reach them (right pages the
columns, down / end scroll the rows).
"""

from __future__ import annotations

import pytest
from rich.console import Console

from tests.ui.conftest import settle, wait_workers
from tests.ui.test_real_course import REAL_COURSE
from tui_workshop.experiments.base import Table
from tui_workshop.ui.screens import LessonScreen
from tui_workshop.ui.widgets.panels import TableWidget

SIZES = [(80, 24), (100, 30), (120, 40)]


@pytest.fixture
def make_real_app(make_store):
    from tui_workshop.ui.app import WorkshopApp

    def make(start_lesson: str | None = None) -> WorkshopApp:
        return WorkshopApp(REAL_COURSE, make_store(), start_lesson)

    return make


def screen_lines(app, widget) -> list[str]:
    """The text of the widget's content rows as drawn on screen (title row excluded)."""
    strips = app.screen._compositor.render_strips()
    region = widget.content_region
    return [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]


def check_table(app, widget: TableWidget) -> None:
    panel = widget.panel
    title = str(widget.border_title)
    shown = widget.shown_columns
    assert shown, title
    if len(shown) < len(panel.columns):
        assert "→" in title or "←" in title, title
    lines = screen_lines(app, widget)
    drawn_rows = []
    for k, line in enumerate(lines):
        r = widget.first_row + k - 2  # the header and its rule come first
        if k >= 2 and 0 <= r < len(panel.rows):
            drawn_rows.append(r)
            for c in shown:
                value = str(panel.rows[r][c]).strip()
                assert value in line, (title, r, c, value, line)
    hidden = len(panel.rows) - len(drawn_rows)
    if hidden:
        assert "↓" in title or "↑" in title, (title, hidden)


async def check_drawn(pilot, app, widget: TableWidget) -> None:
    """check_table once the screen shows the widget's state: a new frame or a scroll
    is drawn on the next refresh, so wait (a bounded number of refreshes) for it."""
    for _ in range(40):
        try:
            check_table(app, widget)
            return
        except AssertionError:
            await pilot.pause(0.05)
    check_table(app, widget)


async def visit_tables(pilot, app) -> list[TableWidget]:
    screen = app.screen
    tables = [w for w in screen.query(TableWidget) if w.region.area and w.panel is not None]
    for widget in tables:
        await check_drawn(pilot, app, widget)
    return tables


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_tables_show_every_value_or_say_what_is_hidden(make_real_app, size):
    app = make_real_app(start_lesson=REAL_COURSE.lessons[0].id)
    seen = 0
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for lesson in REAL_COURSE.lessons:
            screen = app.screen
            assert isinstance(screen, LessonScreen) and screen.lesson.id == lesson.id
            if screen.experiment is not None and screen.experiment.trainable:
                await pilot.press("f6")
                await wait_workers(app)
            if screen.has_class("-narrow"):
                while screen.pane != "lab":
                    await pilot.press("ctrl+t")
                    await settle(pilot)
            await settle(pilot, 3)
            view = screen.query_one("#experiment")
            pages = len(view.panel_widgets)
            for _ in range(max(pages, 1)):  # every page of panels
                tables = await visit_tables(pilot, app)
                seen += len(tables)
                for widget in tables:
                    if "↓" in str(widget.border_title):
                        widget.focus()
                        await pilot.press("end")
                        await settle(pilot)
                        await check_drawn(pilot, app, widget)
                        assert "↓" not in str(widget.border_title)
                    if "→" in str(widget.border_title):
                        widget.focus()
                        await pilot.press("right")
                        await settle(pilot)
                        await check_drawn(pilot, app, widget)
                        assert "←" in str(widget.border_title)
                if len(view.visible_panels) >= pages:
                    break
                view.cycle_panels()
                await settle(pilot)
            await pilot.press("f8")
            await settle(pilot)
    assert seen, "no table was checked"


def test_a_table_drawn_at_any_width_shows_whole_cells_within_it():
    """What fit_columns counts is what rich draws: at every width the cells of the
    columns shown are whole (a 10x10 confusion table at 34 columns lost its row
    labels and showed "2" for 27 when rich's padding came on top of the divider)."""
    labels = [str(k) for k in range(10)]
    rows = tuple(
        (labels[r], *(str(10 + r + c) if (r + c) % 3 else "·" for c in range(10)))
        for r in range(10)
    )
    widget = TableWidget(Table("Confusion", ("", *labels), rows))
    for width in range(4, 45):  # from the row label and one column
        table = widget.rich_table(width, len(rows))
        console = Console(width=width, record=True, color_system=None)
        console.print(table)
        lines = console.export_text().splitlines()
        assert len(lines) == 2 + len(rows), width
        assert all(len(line) <= width for line in lines), width
        for r, line in enumerate(lines[2:]):
            cells = line.split()
            assert cells == [rows[r][c] for c in widget.shown_columns], (width, line)
