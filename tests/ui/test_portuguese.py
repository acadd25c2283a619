"""Brazilian Portuguese in the running app: the glossary from a lesson, the overview,
the palette and the help. (Switching language: tests/ui/test_language_switch.py;
every screen without English: tests/ui/test_portuguese_screens.py.)

The pt-BR course is lessons/pt-BR, or until it exists a stand-in with the same
structure (tests/ui/ptbr_course.py); the interface texts come from the real
catalogue.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from tests.ui.conftest import settle
from tests.ui.ptbr_course import PTBR_COURSE
from tests.ui.screen_text import screen_lines
from tests.ui.test_language_switch import _wait_for, courses
from tui_workshop import i18n


@pytest.fixture
def english(monkeypatch):
    import tui_workshop.course.loader as loader

    # the palette offers languages whose lessons exist: pt-BR's stand-in counts
    monkeypatch.setattr(loader, "available_languages", lambda: ["en", "pt-BR"])
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def command(app, title: str):
    for found in app.get_system_commands(app.screen):
        if found.title == title:
            return found
    return None


async def test_glossary_from_a_lesson_the_overview_and_the_palette(english, make_store):
    from tui_workshop.ui.app import WorkshopApp

    i18n.set_language("pt-BR")
    app = WorkshopApp(PTBR_COURSE, make_store(), "neuron", course_loader=courses)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        lesson = app.screen
        await pilot.press("ctrl+g")
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "GlossaryScreen")
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        assert "Glossário: inglês e português" in text
        assert "acurácia · accuracy" in text or "acurácia" in text
        await pilot.press(*"epoca")  # accents and case are ignored
        await settle(pilot)
        body = str(app.screen.query_one("#glossary-terms", Static).render())
        assert "época · epoch" in body
        assert "Uma passada por todo o conjunto de treinamento." in body
        assert "acurácia" not in body
        await pilot.press("escape")
        await _wait_for(pilot, lambda: app.screen is lesson)

        palette_command = command(app, "Glossário")
        assert palette_command is not None
        palette_command.callback()
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "GlossaryScreen")
        await pilot.press("ctrl+g")  # closes it again
        await _wait_for(pilot, lambda: app.screen is lesson)

        await pilot.press("escape")
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "OverviewScreen")
        await pilot.press("ctrl+g")
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "GlossaryScreen")
        await pilot.press("escape")
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "OverviewScreen")

        await pilot.press("f1")
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await settle(pilot)
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["ctrl+g", "Glossário"] in rows, rows

