"""Every screen of the course in pt-BR: no English interface word left.

Like tests/ui/test_pseudo_locale.py, each lesson is opened at 80x24 in
Brazilian Portuguese (lessons/pt-BR, or its stand-in: tests/ui/ptbr_course.py):
every page, a few steps of its experiment, each zoom, then help, contents,
score, the glossary's first screen is left out (it shows English terms on
purpose) and the overview. A word of :data:`ENGLISH` on screen fails the test,
naming the word and where it was seen.
"""

from __future__ import annotations

import re

import pytest

from tests.ui.conftest import settle
from tests.ui.ptbr_course import PTBR_COURSE
from tests.ui.screen_text import screen_lines
from tests.ui.test_pseudo_locale import (
    _source,
    _wait_for,
    look_at_every_screen,
    look_at_textual_screens,
)
from tui_workshop import i18n

# English words of the interface and the experiments that never occur in Portuguese
# (not "no", "total", "real", "for", "min", "max": Portuguese uses them too).
_WORDS = """
    the and of to is with your not more first last yes press next play step steps
    reset help contents quit lesson lessons exercise exercises check hint hints solution
    solutions epoch epochs loss accuracy training train validation learning rate preset
    presets pages solved score escape closes weight weights bias input inputs output
    hidden layer layers units test gradient value values page paused playing finished
    speed slower faster pane text close keys action navigation experiment app commands
    goal answer choose type number seed noise points batch size kernel image filters
    overview optional palette update search trial trials best none network truth
    prediction predicted actual threshold recall precision samples sample entry entries
    row column window padding stride pooling forecast series horizon hand student
    students shown search chosen while running
    matches found theme themes want maximize minimize screenshot scroll focus copy
    selected loading select
"""
ENGLISH = frozenset(_WORDS.split())
WORD = re.compile(r"[^\W\d_]+")  # whole words, accented letters included
# The lessons give the English term practitioners use beside the Portuguese on first
# use, in parentheses: "lote (batch)", "(recall, ou sensibilidade)". Those are not
# interface text.
GLOSSED = re.compile(r"\([A-Za-z][A-Za-z -]{0,30}(, [^()]{0,40})?\)")


@pytest.fixture
def portuguese():
    i18n.set_language("pt-BR")
    yield
    i18n.set_language("en")


class Collector:
    def __init__(self, app) -> None:
        self.app = app
        self.found: dict[tuple[str, str], str] = {}
        self.seen: list[str] = []  # every line looked at

    def look(self, where: str, skip: re.Pattern[str] | None = None) -> None:
        """Each line of the screen; lines that ``skip`` finds are left out."""
        lines = screen_lines(self.app)
        self.seen += lines
        for row, text in enumerate(lines):
            if skip is not None and skip.search(text):
                continue
            text = GLOSSED.sub(lambda m: " " * len(m.group()), text)  # columns kept
            for match in WORD.finditer(text):
                if match.group().lower() in ENGLISH:
                    key = (_source(self.app, match.start(), row), match.group())
                    self.found.setdefault(key, f"{where}: {text.strip()[:70]}")

    def report(self) -> str:
        found = sorted(self.found.items())
        return "\n".join(f"[{source}] {word!r} in {where}" for (source, word), where in found)


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in PTBR_COURSE.lessons])
async def test_no_english_word_on_a_portuguese_screen(portuguese, make_store, lesson_id):
    from tui_workshop.ui.app import WorkshopApp

    app = WorkshopApp(PTBR_COURSE, make_store(), lesson_id)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = Collector(app)
        await look_at_every_screen(app, pilot, seen)
        if seen.found:
            pytest.fail("English on a pt-BR screen:\n" + seen.report(), pytrace=False)


async def test_textual_own_texts_in_portuguese(portuguese, make_store):
    """The command palette (its prompt, its list, "no matches"), the theme picker and
    the ctrl+c hint, which Textual writes itself."""
    from textual.command import CommandInput

    from tui_workshop.ui.app import WorkshopApp

    app = WorkshopApp(PTBR_COURSE, make_store(), "neuron")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        seen = Collector(app)
        await settle(pilot, 3)
        for open_palette, prompt in (
            (app.action_command_palette, "Buscar comandos…"),
            (app.action_change_theme, "Buscar temas…"),
        ):
            open_palette()
            await _wait_for(pilot, lambda: bool(app.screen.query(CommandInput)))
            assert app.screen.query_one(CommandInput).placeholder == prompt
            await pilot.press("escape")
        await look_at_textual_screens(app, pilot, seen)
        text = "\n".join(seen.seen)
        assert "Nada encontrado" in text and "No matches" not in text
        assert "Quer sair?" in text, text
        commands = list(app.get_system_commands(app.screen))
        titles = {c.title for c in commands}
        assert {"Tema", "Sair", "Captura de tela"} <= titles, titles
        assert not titles & {"Keys", "Teclas"}  # Textual's key panel is English: F1 instead
        for command in commands:
            words = set(WORD.findall(f"{command.title} {command.help}".lower()))
            assert not words & ENGLISH, (command.title, command.help)
        if seen.found:
            pytest.fail("English on a pt-BR screen:\n" + seen.report(), pytrace=False)


async def test_the_help_lists_every_key_in_portuguese_within_its_width(portuguese, make_store):
    """The whole key table of the help (F1), also the rows below the visible ones:
    no English description, and no row wider than the table (a cut column)."""
    from textual.widgets import DataTable

    from tui_workshop.ui.app import WorkshopApp

    app = WorkshopApp(PTBR_COURSE, make_store(), "neuron")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        await pilot.press("f1")
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await settle(pilot)
        table = app.screen.query_one("#help-keys", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        english = [row for row in rows if set(WORD.findall(row[1].lower())) & ENGLISH]
        assert rows and not english, english
        assert table.virtual_size.width <= table.size.width, (table.virtual_size, table.size)


async def test_the_dialogs_the_glossary_and_the_too_small_screen(portuguese, make_store):
    """The reset question, the glossary (but its "termo · term" lines) and the screen of
    a terminal too small, each in Portuguese."""
    from tui_workshop.ui.app import WorkshopApp

    app = WorkshopApp(PTBR_COURSE, make_store(), "neuron")
    async with app.run_test(size=(80, 24)) as pilot:
        seen = Collector(app)
        await settle(pilot, 3)
        lesson = app.screen
        app.action_reset_lesson()
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await settle(pilot)
        seen.look("reset question")
        await pilot.press("escape")
        await _wait_for(pilot, lambda: app.screen is lesson)
        await pilot.press("ctrl+g")
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "GlossaryScreen")
        await settle(pilot)
        seen.look("glossary", skip=re.compile(r" · "))
        await pilot.press("escape")
        await _wait_for(pilot, lambda: app.screen is lesson)
        await pilot.resize_terminal(40, 10)
        await _wait_for(pilot, lambda: type(app.screen).__name__ == "TooSmallScreen")
        await settle(pilot)
        seen.look("too small")
        text = "\n".join(seen.seen)
        assert "Sim, reiniciar" in text and "Glossário: inglês e português" in text
        assert "Aumente o terminal" in text
        if seen.found:
            pytest.fail("English on a pt-BR screen:\n" + seen.report(), pytrace=False)


async def test_the_word_list_finds_the_english_interface(make_store):
    """The same look at the English course finds words: the list is not blind."""
    from tests.ui.test_real_course import REAL_COURSE
    from tui_workshop.ui.app import WorkshopApp

    i18n.set_language("en")
    app = WorkshopApp(REAL_COURSE, make_store(), "neuron")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        seen = Collector(app)
        seen.look("lesson")
        words = {word for _source, word in seen.found}
        assert {"Next", "Play"} <= words, seen.report()
