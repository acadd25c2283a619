"""Brazilian Portuguese in the running app: switching keeps the progress, the glossary,
answers with the decimal comma.

The pt-BR course is lessons/pt-BR, or until it exists a stand-in with the same
structure (tests/ui/ptbr_course.py); the interface texts come from the real
catalogue.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from tests.ui.conftest import settle
from tests.ui.ptbr_course import PTBR_COURSE
from tests.ui.screen_text import screen_lines
from tests.ui.test_real_course import REAL_COURSE, answer, open_exercise
from tui_workshop import i18n
from tui_workshop.ui.screens import LessonScreen
from tui_workshop.ui.widgets.exercise_box import ExerciseBox
from tui_workshop.ui.widgets.param_panel import ParamPanel


@pytest.fixture
def english(monkeypatch):
    import tui_workshop.course.loader as loader

    # the palette offers languages whose lessons exist: pt-BR's stand-in counts
    monkeypatch.setattr(loader, "available_languages", lambda: ["en", "pt-BR"])
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def courses(lang: str):
    return PTBR_COURSE if lang == "pt-BR" else REAL_COURSE


def command(app, title: str):
    for found in app.get_system_commands(app.screen):
        if found.title == title:
            return found
    return None


async def _wait_for(pilot, condition, tries: int = 60) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("condition not met")


async def test_switch_to_portuguese_keeps_lesson_page_parameters_and_solved(english, make_store):
    from tui_workshop.ui.app import WorkshopApp, language_name

    lesson = REAL_COURSE.by_id("neuron")
    name = next(p.name for p in lesson.params if p.kind == "float")
    exercise = next(i for i, ex in enumerate(lesson.exercises) if ex.id == "sigmoid")
    app = WorkshopApp(REAL_COURSE, make_store(), lesson.id, course_loader=courses)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        box = await open_exercise(pilot, app, lesson, exercise)
        assert (await answer(pilot, box, "1/(1+exp(-0.58))")).startswith("✓")
        panel = screen.query_one(ParamPanel)
        await _wait_for(pilot, lambda: panel.rows_mounted)
        field = panel.control(name)
        assert isinstance(field, Input)
        field.focus()
        field.value = "0.25"
        await pilot.press("enter")
        await _wait_for(pilot, lambda: panel.values[name] == 0.25)
        screen.go_to_page(1)
        await settle(pilot)

        switch = command(app, i18n._("Language: {language}", language=language_name("pt-BR")))
        assert switch is not None
        switch.callback()
        await _wait_for(
            pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen is not screen
        )
        await settle(pilot, 3)
        new = app.screen
        assert i18n.get_language() == "pt-BR"
        assert new.lesson.id == lesson.id and new.page == 1
        assert new.lesson is PTBR_COURSE.by_id(lesson.id)
        new_panel = new.query_one(ParamPanel)
        await _wait_for(pilot, lambda: new_panel.rows_mounted)
        assert new_panel.values[name] == 0.25
        assert new_panel.control(name).value == "0,25"  # the Brazilian decimal mark
        await _wait_for(pilot, lambda: bool(new.query(ExerciseBox)))
        assert "sigmoid" in new.query_one(ExerciseBox).completed
        keys = [key.description for key in new.query(FooterKey) if key.description]
        assert "Próx." in keys and "Rodar" in keys, keys
        assert app.title == "Oficina de redes neurais"
        # An answer with the decimal comma is accepted in pt-BR.
        z = next(i for i, ex in enumerate(lesson.exercises) if ex.id == "z")
        box = await open_exercise(pilot, app, new.lesson, z)
        assert (await answer(pilot, box, "0,58")).startswith("✓")

        command(app, i18n._("Language: {language}", language=language_name("en"))).callback()
        await _wait_for(
            pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen is not new
        )
        await settle(pilot, 3)
        back = app.screen
        assert i18n.get_language() == "en" and back.lesson.title == lesson.title
        assert back.page == 1
        await _wait_for(pilot, lambda: bool(back.query(ExerciseBox)))
        assert {"sigmoid", "z"} <= set(back.query_one(ExerciseBox).completed)


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

