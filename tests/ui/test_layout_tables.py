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

from tests.ui.conftest import settle, wait_workers
from tests.ui.test_real_course import REAL_COURSE
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


KNOWN_DEFECT = pytest.mark.xfail(
    strict=True,
    reason="issue 10, open: at 100x30 the CNN lesson's confusion table is drawn two rows"
    " further down than its first_row says (since panels keep a minimum height)",
)


@pytest.mark.parametrize(
    "size",
    [pytest.param(s, marks=KNOWN_DEFECT) if s == (100, 30) else s for s in SIZES],
    ids=[f"{w}x{h}" for w, h in SIZES],
)
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
