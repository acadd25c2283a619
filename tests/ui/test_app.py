"""The app as a whole: start-up, resume, size guard, command palette, fatal errors."""

from __future__ import annotations

import contextlib
import json

from textual.widgets import DataTable, Static
from textual.worker import WorkerFailed

from tests.ui.conftest import settle
from tui_workshop.ui.screens import LessonScreen, OverviewScreen, TooSmallScreen


async def test_starts_on_overview_listing_every_lesson(make_app, course):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        table = app.screen.query_one("#lessons", DataTable)
        assert table.row_count == len(course.lessons) == 3
        titles = [str(table.get_row_at(i)[1]) for i in range(3)]
        assert titles[0] == "Counting steps"
        assert "(optional)" in titles[2]
        total = str(app.screen.query_one("#overview-total", Static).render())
        assert "0 of 3" in total


async def test_start_lesson_by_id_or_number_and_unknown(make_app):
    app = make_app(start_lesson="2")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "second"
    app = make_app(start_lesson="nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert any("nope" in str(n.message) for n in app._notifications)


async def test_resumes_saved_lesson_and_page(make_app, state_dir):
    (state_dir / "progress.json").write_text(
        json.dumps(
            {"version": 1, "current_lesson": "second", "lessons": {"second": {"page": 1}}}
        )
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert (app.screen.lesson.id, app.screen.page) == ("second", 1)


async def test_small_terminal_shows_the_enlarge_message(make_app):
    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lesson = app.screen
        await pilot.resize_terminal(70, 20)
        await settle(pilot, 3)
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small-message", Static).render())
        assert "at least 80×24" in text and "70×20" in text
        await pilot.resize_terminal(79, 30)
        await settle(pilot, 3)
        text = str(app.screen.query_one("#too-small-message", Static).render())
        assert "79×30" in text
        await pilot.resize_terminal(100, 30)
        await settle(pilot, 3)
        assert app.screen is lesson


async def test_palette_commands_open_lessons(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title in ("Help", "Table of contents", "Reset lesson", "Reset all progress"):
            assert title in commands
        commands["Lesson 3: An optional extra"].callback()
        await settle(pilot)
        assert app.screen.lesson.id == "third"
        commands["Lesson 1: Counting steps"].callback()
        await settle(pilot)
        assert app.screen.lesson.id == "first"
        assert len(app.screen_stack) == 3  # default, overview, one lesson


async def test_unexpected_error_is_logged_with_a_short_message(make_app, state_dir):
    app = make_app()

    def explode() -> None:
        raise ValueError("boom in a handler")

    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.call_later(explode)
            await settle(pilot)
    except ValueError:
        pass
    assert app.return_code == 1
    assert "tui-workshop.log" in app.fatal_message
    log = (state_dir / "tui-workshop.log").read_text()
    assert "Traceback" in log and "ValueError: boom in a handler" in log


def test_run_app_exit_codes_and_no_traceback(course, make_store, monkeypatch, capfd, state_dir):
    from tui_workshop.ui import app as app_module

    run = app_module.WorkshopApp.run
    monkeypatch.setattr(
        app_module.WorkshopApp, "run", lambda self: run(self, headless=True, size=(80, 24))
    )
    monkeypatch.setattr(
        app_module.WorkshopApp, "on_ready", lambda self: self.exit(), raising=False
    )
    assert app_module.run_app(course, make_store()) == 0

    def crash(self) -> None:
        raise RuntimeError("crash at start")

    monkeypatch.setattr(app_module.WorkshopApp, "on_ready", crash, raising=False)
    assert app_module.run_app(course, make_store()) == 1
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert "tui-workshop.log" in out + err
    assert "RuntimeError: crash at start" in (state_dir / "tui-workshop.log").read_text()


def _catalogue(translations: dict[str, str]):
    """A gettext catalogue built in memory (as a compiled .mo would be)."""
    import gettext
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="pt_BR")
    for msgid, text in translations.items():
        catalog.add(msgid, text)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def test_i18n_translates_falls_back_to_english_and_pseudo_wraps(monkeypatch):
    from tui_workshop import i18n

    fake = _catalogue({"Help": "Ajuda", "page {page}": "página {page}"})
    real = i18n.load_translations
    monkeypatch.setattr(
        i18n, "load_translations", lambda lang: fake if lang == "pt-BR" else real(lang)
    )
    try:
        assert i18n.set_language("pt_BR.UTF-8") == "pt-BR"
        assert i18n._("Help") == "Ajuda"
        assert i18n._("Quit") == "Quit"  # missing in pt-BR: English
        assert i18n._("page {page}", page=3) == "página 3"
        assert i18n.render(i18n.Num(0.5)) == "0,50"  # the decimal comma
        text = i18n._(
            "Please enlarge the terminal to at least 80×24 (now {width}×{height})",
            width=70,
            height=20,
        )
        assert text.endswith("(now 70×20)")
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LC_MESSAGES", raising=False)
        monkeypatch.setenv("LANG", "pt_BR.UTF-8")
        assert i18n.set_language(None) == "pt-BR"
        monkeypatch.setenv("LANG", "de_DE.UTF-8")
        assert i18n.set_language(None) == "en"
        assert i18n.set_language(i18n.PSEUDO) == i18n.PSEUDO
        wrapped = i18n._("Help")
        assert wrapped != "Help" and len(wrapped) > len("Help")
        assert not any(word in wrapped for word in ("Help",))
        assert i18n._("page {page}", page=3).count("3") == 1  # arguments are kept
    finally:
        i18n.set_language("en")


async def test_worker_error_is_logged_and_shown_as_one_notice(make_app, state_dir):
    app = make_app()

    def fail() -> None:
        raise RuntimeError("worker broke")

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        worker = app.run_worker(fail, thread=True, exit_on_error=False)
        with contextlib.suppress(WorkerFailed):
            await worker.wait()
        await settle(pilot, 3)
        assert worker.state.name == "ERROR"
        assert isinstance(app.screen, OverviewScreen)  # still running
        notices = [str(n.message) for n in app._notifications]
        assert len(notices) == 1
        assert "worker broke" in notices[0] and "tui-workshop.log" in notices[0]
        assert "\n" not in notices[0]
    assert app.return_code in (None, 0) and app.fatal_message is None
    log = (state_dir / "tui-workshop.log").read_text()
    assert "Traceback" in log and "RuntimeError: worker broke" in log


async def test_overview_fits_80x24_with_objectives_below(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#lessons", DataTable)
        assert len(table.columns) == 6
        # Every column is visible: nothing to scroll sideways.
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.region.right <= 80
        objectives = screen.query_one("#lesson-objectives", Static)
        assert objectives.region.y >= table.region.bottom
        assert "Press play" in str(objectives.render())
        assert screen.query_one("#overview-hint").display
        total = str(screen.query_one("#overview-total", Static).render())
        assert "Core course: 15 min" in total and "+3 min optional" in total
        await pilot.press("down")
        await settle(pilot)
        assert "See a divergence" in str(objectives.render())
        await pilot.resize_terminal(130, 40)
        await settle(pilot, 3)
        assert screen.has_class("-wide")
        assert objectives.region.x >= table.region.right


async def test_overview_highlights_the_saved_lesson_and_marks_complete(make_app, state_dir):
    (state_dir / "progress.json").write_text(
        json.dumps(
            {
                "version": 1,
                "current_lesson": "third",
                "lessons": {"third": {"page": 0}, "second": {"page": 1, "completed": ["pick"]}},
            }
        )
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # from the resumed lesson to the overview
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        assert not screen.query_one("#overview-hint").display  # not a first-time user
        table = screen.query_one("#lessons", DataTable)
        assert table.cursor_row == 2
        marks = [str(table.get_row_at(i)[5]) for i in range(3)]
        assert marks == ["", "✓", "✓"]
        await pilot.press("up", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "second"


async def test_help_groups_every_key_and_scrolls(make_app):
    from tui_workshop.ui.screens import HelpScreen
    from tui_workshop.ui.screens.help import binding_groups

    app = make_app(start_lesson="first")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        groups = binding_groups(app.screen)
        assert list(groups) == ["navigation", "experiment", "exercises", "app"]
        flat = {description: keys for items in groups.values() for keys, description in items}
        assert flat["Play"] == "F5" and "F4" in flat["Next"]
        commands = flat["Commands: language, score, reset, any lesson"]  # the palette is listed
        assert "ctrl+p" in commands and "ctrl+q" in flat["Quit"]
        assert "F1" in flat["Help"]
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        dialog = app.screen.query_one("#help-dialog")
        assert dialog.region.right <= 80 and dialog.region.bottom <= 24
        assert dialog.max_scroll_y > 0
        await pilot.press("end")
        await settle(pilot)
        assert dialog.scroll_y == dialog.max_scroll_y
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
