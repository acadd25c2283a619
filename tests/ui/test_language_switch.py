"""Changing the language while running: same lesson, page, parameters and solved exercises.

Switched to Brazilian Portuguese (lessons/pt-BR, or its stand-in: tests/ui/ptbr_course.py)
and to the pseudo-locale (the English course passed through ``pseudo``:
tests/ui/pseudo_course.py), given to the app as its ``course_loader``.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from tests.ui.conftest import settle
from tests.ui.pseudo_course import PSEUDO_COURSE
from tests.ui.ptbr_course import PTBR_COURSE
from tests.ui.test_real_course import REAL_COURSE, answer, open_exercise
from tui_workshop import i18n
from tui_workshop.ui.app import offered_languages
from tui_workshop.ui.screens import LessonScreen
from tui_workshop.ui.widgets.exercise_box import ExerciseBox
from tui_workshop.ui.widgets.param_panel import ParamPanel


@pytest.fixture
def english(monkeypatch):
    import tui_workshop.course.loader as loader

    # the palette offers the languages whose lessons exist: pt-BR's stand-in counts
    monkeypatch.setattr(loader, "available_languages", lambda: ["en", "pt-BR"])
    monkeypatch.setenv("TUI_WORKSHOP_PSEUDO", "1")
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def courses(lang: str):
    return {i18n.PSEUDO: PSEUDO_COURSE, "pt-BR": PTBR_COURSE}.get(lang, REAL_COURSE)


def language_command(app, lang: str):
    """The palette's "Language: …" command for ``lang`` (None when not offered)."""
    from tui_workshop.ui.app import language_name

    title = i18n._("Language: {language}", language=language_name(lang))
    for command in app.get_system_commands(app.screen):
        if command.title == title:
            return command
    return None


async def _wait_for(pilot, condition, tries: int = 60) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("condition not met")


def test_languages_offered_are_those_with_lessons_plus_pseudo_for_testers(monkeypatch):
    monkeypatch.delenv("TUI_WORKSHOP_PSEUDO", raising=False)
    offered = offered_languages()
    assert "en" in offered and i18n.PSEUDO not in offered
    assert "pt-BR" not in offered or "pt-BR" in i18n.LANGUAGES
    monkeypatch.setenv("TUI_WORKSHOP_PSEUDO", "1")
    assert offered_languages()[-1] == i18n.PSEUDO


# What the new language shows: the app's title and two footer keys.
SHOWN = {
    "pt-BR": ("Oficina de redes neurais", {"Próx.", "Rodar"}),
    i18n.PSEUDO: (i18n.pseudo("Neural networks workshop"), {i18n.pseudo("Next")}),
}


@pytest.mark.parametrize("lang", ["pt-BR", i18n.PSEUDO])
async def test_switch_keeps_lesson_page_parameters_and_solved(english, make_store, lang):
    from tui_workshop.ui.app import WorkshopApp

    lesson = REAL_COURSE.by_id("neuron")
    name = next(p.name for p in lesson.params if p.kind == "float")
    exercise = next(i for i, ex in enumerate(lesson.exercises) if ex.id == "sigmoid")
    app = WorkshopApp(REAL_COURSE, make_store(), lesson.id, course_loader=courses)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        # A solved exercise, a changed parameter, page 2.
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
        english_keys = {key.description for key in screen.query(FooterKey) if key.description}

        assert language_command(app, "en") is None  # the language in use is not offered
        language_command(app, lang).callback()
        await _wait_for(
            pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen is not screen
        )
        await settle(pilot, 3)
        new = app.screen
        assert i18n.get_language() == lang
        assert new.lesson.id == lesson.id and new.lesson is courses(lang).by_id(lesson.id)
        assert new.lesson.title != lesson.title
        assert new.page == 1
        new_panel = new.query_one(ParamPanel)
        await _wait_for(pilot, lambda: new_panel.rows_mounted)
        assert new_panel.values[name] == 0.25
        assert new_panel.control(name).value == "0,25"  # the decimal comma
        await _wait_for(pilot, lambda: bool(new.query(ExerciseBox)))
        assert "sigmoid" in new.query_one(ExerciseBox).completed
        # Footer, title line, app title and palette re-rendered in the new language.
        title, footer = SHOWN[lang]
        keys = [key.description for key in new.query(FooterKey) if key.description]
        assert footer <= set(keys) and not set(keys) & english_keys, keys
        assert new.lesson.title in str(new.query_one("#lesson-title", Static).render())
        assert app.title == title
        commands = list(app.get_system_commands(new))
        if lang == i18n.PSEUDO:
            assert commands and all(c.title.startswith("⟦") for c in commands), commands
            assert all(c.help.startswith("⟦") for c in commands)
        # An answer in the new language's form: the decimal comma.
        z = next(i for i, ex in enumerate(lesson.exercises) if ex.id == "z")
        box = await open_exercise(pilot, app, new.lesson, z)
        assert (await answer(pilot, box, "0,58")).startswith("✓")

        # And back: English everywhere, still the same place, both exercises solved.
        language_command(app, "en").callback()
        await _wait_for(
            pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen is not new
        )
        await settle(pilot, 3)
        back = app.screen
        assert i18n.get_language() == "en" and back.lesson.title == lesson.title
        assert back.page == 1
        keys = [key.description for key in back.query(FooterKey) if key.description]
        assert "Next" in keys and "Play" in keys
        await _wait_for(pilot, lambda: bool(back.query(ExerciseBox)))
        assert {"sigmoid", "z"} <= set(back.query_one(ExerciseBox).completed)


async def test_a_language_whose_lessons_fail_to_load_changes_nothing(english, make_store):
    from tui_workshop.ui.app import WorkshopApp

    def broken(lang: str):
        raise FileNotFoundError(lang)

    app = WorkshopApp(REAL_COURSE, make_store(), "neuron", course_loader=broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        screen = app.screen
        assert app.switch_language(i18n.PSEUDO) is False
        await settle(pilot)
        assert app.screen is screen and i18n.get_language() == "en"
        assert any(n.severity == "error" for n in app._notifications)
        assert app.switch_language("klingon") is False


async def test_switch_on_the_overview_shows_the_overview_in_the_new_language(english, make_store):
    from textual.widgets import DataTable

    from tui_workshop.ui.app import WorkshopApp

    app = WorkshopApp(REAL_COURSE, make_store(), None, course_loader=courses)
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "OverviewScreen")
        old = app.screen
        assert app.switch_language(i18n.PSEUDO)
        await _wait_for(
            pilot, lambda: type(app.screen).__name__ == "OverviewScreen" and app.screen is not old
        )
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        first_title = str(table.get_row_at(0)[1])
        assert first_title.startswith("⟦"), first_title
        assert i18n.get_language() == i18n.PSEUDO
