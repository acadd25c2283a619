"""Every screen of the course in the pseudo-locale: no English left outside the catalogues.

In ``qps-ploc`` every translated text is accented (``Ĥéļþ``), so a run of
three or more plain ASCII letters on screen is a text that escaped the
catalogues (or a name kept as notation, in :data:`ALLOWED`). Each lesson of
the real course is opened at 80x24: every page, a few steps of its
experiment, each zoom (text, experiment, exercises), then help, contents,
score and the overview. A failure names each word, where it is, and whether
it lies in the experiment view or parameters (texts from the experiments and
their schemas) or elsewhere (the interface and the lessons).
"""

from __future__ import annotations

import pytest

from tests.ui.conftest import settle
from tests.ui.pseudo_course import PSEUDO_COURSE
from tests.ui.screen_text import english_words, screen_lines
from tests.ui.test_real_course import REAL_COURSE
from tui_workshop import i18n
from tui_workshop.i18n.pseudo import is_pseudo_word_free
from tui_workshop.ui.screens import LessonScreen
from tui_workshop.ui.widgets.experiment_view import ExperimentView
from tui_workshop.ui.widgets.param_panel import ParamPanel

# Notation the lessons keep as it is, and key names.
ALLOWED = frozenset(
    {
        "tanh",
        "ReLU",
        "relu",
        "SGD",
        "Adam",
        "RMSProp",
        "RMSprop",
        "RMS",  # RMSProp abbreviated on the optimiser race's status line
        "Momentum",  # the optimisers' names, kept as practitioners say them
        "softmax",
        "sigmoid",
        "exp",
        "log",
        "max",
        "min",
        "nan",
        "MSE",
        "mse",
        "ctrl",
        "Esc",
        "esc",
        "Tab",
        "Enter",
        "PgUp",
        "PgDn",
        "shift",
        "zqxj",  # the query that matches nothing (look_at_textual_screens)
    }
)


@pytest.fixture
def pseudo_language():
    i18n.set_language(i18n.PSEUDO)
    yield
    i18n.set_language("en")


def _source(app, column: int, row: int) -> str:
    """'experiment' for a word drawn by the experiment view or the parameters, else 'ui'."""
    try:
        widget, _region = app.screen.get_widget_at(column, row)
    except Exception:  # outside every widget of the screen on top
        return "ui"
    chain = [widget, *widget.ancestors]
    if any(isinstance(node, ExperimentView | ParamPanel) for node in chain):
        return "experiment"
    return "ui"


class Collector:
    def __init__(self, app, allowed: frozenset[str] = ALLOWED) -> None:
        self.app = app
        self.allowed = allowed
        self.found: dict[tuple[str, str], str] = {}  # (source, word) -> where seen first

    def look(self, where: str) -> None:
        lines = screen_lines(self.app)
        for word, column, row in english_words(lines, self.allowed):
            key = (_source(self.app, column, row), word)
            self.found.setdefault(key, f"{where}: {lines[row].strip()[:70]}")

    def report(self) -> str:
        found = sorted(self.found.items())
        return "\n".join(f"[{source}] {word!r} in {where}" for (source, word), where in found)


async def _wait_for(pilot, condition, tries: int = 40) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()


async def look_at_every_screen(app, pilot, seen) -> None:
    """Every page, three steps, each zoom, help, contents, score and the overview,
    each looked at by ``seen`` (a Collector)."""
    await settle(pilot, 3)
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    await _wait_for(pilot, lambda: screen.last_frame is not None)
    for page in range(len(screen.lesson.pages)):
        await _wait_for(pilot, lambda page=page: screen.page == page)
        await settle(pilot)
        seen.look(f"page {page + 1}")
        await pilot.press("f4")
    await pilot.press("f6", "f6", "f6")
    await settle(pilot, 3)
    seen.look("after 3 steps")
    for zoom in ("text", "lab", "exercises"):
        await pilot.press("ctrl+t")
        await _wait_for(pilot, lambda zoom=zoom: screen.pane == zoom)
        await settle(pilot)
        seen.look(f"zoom {zoom}")
    for key, name in (("f1", "HelpScreen"), ("f2", "TocScreen")):
        await pilot.press(key)
        await _wait_for(pilot, lambda name=name: type(app.screen).__name__ == name)
        await settle(pilot)
        seen.look(name)
        await pilot.press("escape")
        await _wait_for(pilot, lambda: app.screen is screen)
    app.action_score()
    await _wait_for(pilot, lambda: type(app.screen).__name__ == "ScoreScreen")
    await settle(pilot)
    seen.look("score")
    await pilot.press("escape")
    await _wait_for(pilot, lambda: app.screen is screen)
    await pilot.press("escape")
    await _wait_for(pilot, lambda: type(app.screen).__name__ == "OverviewScreen")
    await settle(pilot)
    seen.look("overview")


async def look_at_textual_screens(app, pilot, seen) -> None:
    """Textual's own texts, each looked at by ``seen``: the command palette (its list and a
    query that matches nothing), the theme picker and the hint ctrl+c gives."""
    from textual.command import CommandInput, CommandList
    from textual.widgets._toast import Toast

    def no_matches() -> bool:
        lists = app.screen.query(CommandList)
        return bool(lists) and any(o.id == "--no-matches" for o in lists.first().options)

    await settle(pilot, 3)
    start = app.screen
    for where, open_palette in (("palette", "ctrl+p"), ("theme picker", None)):
        if open_palette:
            await pilot.press(open_palette)
        else:
            app.action_change_theme()
        await _wait_for(pilot, lambda: bool(app.screen.query(CommandInput)))
        await settle(pilot)
        if open_palette:  # the themes are listed by their names
            seen.look(where)
        await pilot.press(*"zqxj")
        await _wait_for(pilot, no_matches, tries=200)
        assert no_matches(), where
        await settle(pilot)
        seen.look(f"{where}: a query that matches nothing")
        await pilot.press("escape")
        await _wait_for(pilot, lambda: app.screen is start)
    await pilot.press("ctrl+c")  # does not quit: a toast says which key does
    await _wait_for(pilot, lambda: bool(app.screen.query(Toast)))
    assert app.screen.query(Toast), "run_test(notifications=True) shows toasts"
    await settle(pilot, 3)
    seen.look("ctrl+c")


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in REAL_COURSE.lessons])
async def test_no_english_on_any_screen(pseudo_language, make_store, lesson_id):
    from tui_workshop.ui.app import WorkshopApp

    app = WorkshopApp(PSEUDO_COURSE, make_store(), lesson_id)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = Collector(app)
        await look_at_every_screen(app, pilot, seen)
        if seen.found:
            pytest.fail("English outside the catalogues:\n" + seen.report(), pytrace=False)


async def test_no_english_in_textual_own_texts(pseudo_language, make_store):
    from tui_workshop.ui.app import WorkshopApp, language_name

    app = WorkshopApp(PSEUDO_COURSE, make_store(), "neuron")
    # The palette names each language in itself ("Language: English").
    names = " ".join(language_name(lang) for lang in i18n.LANGUAGES)
    allowed = ALLOWED | set(is_pseudo_word_free(names))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        seen = Collector(app, allowed)
        await look_at_textual_screens(app, pilot, seen)
        commands = list(app.get_system_commands(app.screen))
        english = [c for c in commands if is_pseudo_word_free(f"{c.title} {c.help}", allowed)]
        assert commands and not english, english
        if seen.found:
            pytest.fail("English outside the catalogues:\n" + seen.report(), pytrace=False)
