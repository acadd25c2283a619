"""Paging through lessons with the keyboard at 80x24 and 120x40."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Markdown, OptionList, Static

from tests.ui.conftest import settle, wait_workers
from tui_workshop.ui.screens import HelpScreen, LessonScreen, OverviewScreen, TocScreen

SIZES = [(80, 24), (120, 40)]


def title_of(screen) -> str:
    return str(screen.query_one("#lesson-title", Static).render())


@pytest.mark.parametrize("size", SIZES)
async def test_open_every_lesson_and_page_through(make_app, course, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for lesson in course.lessons:
            assert isinstance(app.screen, OverviewScreen)
            table = app.screen.query_one("#lessons", DataTable)
            table.move_cursor(row=app.screen.row_of(lesson.id))
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, LessonScreen) and screen.lesson.id == lesson.id
            pages = len(lesson.pages)
            for page in range(pages):
                assert screen.page == page
                assert f"page {page + 1}/{pages}" in title_of(screen)
                assert screen.query_one("#page-text", Markdown).source == lesson.pages[page].text
                await pilot.press("f4")
                await pilot.pause()
            assert screen.page == pages - 1  # F4 on the last page stays there
            for _ in range(pages):
                await pilot.press("f3")
            await settle(pilot)
            assert screen.page == 0
            await pilot.press("escape")
            await settle(pilot)


async def test_next_and_previous_lesson_keys(make_app, course):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.lesson.id == "first"
        await pilot.press("f8")
        await settle(pilot)
        assert app.screen.lesson.id == "second"
        await pilot.press("ctrl+pagedown")
        await settle(pilot)
        assert app.screen.lesson.id == "third"
        await pilot.press("f8")  # last lesson: stays
        await settle(pilot)
        assert app.screen.lesson.id == "third"
        await pilot.press("f7", "f7")
        await settle(pilot)
        assert app.screen.lesson.id == "first"
        # Escape goes back to the overview, one level only.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert len(app.screen_stack) == 2


async def test_function_keys_work_while_an_input_has_focus(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        panel_input = screen.query_one("ParamPanel").control("limit")
        panel_input.focus()
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press("f4")
        await settle(pilot)
        assert screen.page == 1
        await pilot.press("f6")
        await wait_workers(app)  # F6 steps in a worker
        await settle(pilot)
        assert screen.experiment.steps_done == 1
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("size", SIZES)
async def test_layout_narrow_stacked_with_zoom_and_wide_columns(make_app, size):
    app = make_app(start_lesson="first")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        experiment = screen.query_one("#experiment")
        text = screen.query_one("#pane-text")
        if size[0] < 120:
            assert screen.has_class("-narrow")
            # Text on top, the experiment below it: both on screen at once.
            assert screen.pane == "normal"
            lab = experiment.region
            assert text.region.area and lab.area and text.region.bottom <= lab.y
            assert lab.bottom <= size[1] and 5 <= text.region.height <= 0.4 * size[1] + 1
            await pilot.press("ctrl+t")  # text maximised
            await settle(pilot)
            assert screen.pane == "text" and not experiment.region.area
            assert text.region.height > 0.5 * size[1]
            await pilot.press("ctrl+t")  # experiment maximised
            await settle(pilot)
            assert screen.pane == "lab" and not text.region.area
            assert experiment.region.height > lab.height
            await pilot.press("ctrl+t")  # exercises
            await settle(pilot)
            assert screen.pane == "exercises"
            assert screen.query_one("#exercises").region.area and not experiment.region.area
            await pilot.press("f5")  # F5 brings the experiment back
            await settle(pilot)
            assert screen.pane == "normal" and experiment.region.area
            await pilot.press("f5")
        else:
            assert screen.has_class("-wide")
            lab = experiment.region
            assert text.region.area and lab.area and text.region.right <= lab.x
            assert screen.query_one("#exercises").region.area


async def test_contents_jumps_to_a_page_and_to_a_lesson(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, TocScreen)
        options = app.screen.query_one("#toc-list", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "page:2" in ids and "lesson:third" in ids
        options.highlighted = ids.index("page:2")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen) and app.screen.page == 2
        await pilot.press("f2")
        await settle(pilot)
        options = app.screen.query_one("#toc-list", OptionList)
        options.highlighted = ids.index("lesson:second")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.lesson.id == "second"
        await pilot.press("f2", "escape")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)


async def test_help_lists_the_keys_from_the_bindings(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", DataTable)
        rows = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1])
                for i in range(table.row_count)}
        keys = " ".join(rows)
        for key in ("F1", "F2", "F3", "F4", "F5", "F6", "F9", "ctrl+r", "ctrl+q", "Esc"):
            assert key in keys
        assert "F8" in keys and "ctrl+PgDn" in keys
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
