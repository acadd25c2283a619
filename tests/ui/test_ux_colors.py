"""Colours (issue 10): focus shows without colour; NO_COLOR and TERM=dumb stay plain.

Focus: every control of the playground's parameter panel and of an exercise
(answer field, choices, buttons, the Preset dropdown) must look different
focused and blurred once colours are gone (Textual's NoColor filter, as under
NO_COLOR) and once colours are cut to the 16 ANSI ones; a difference of one
cell (the input cursor) does not count.

The terminal output itself under NO_COLOR and TERM=dumb is checked in a pty
by tests/e2e/test_ux_terminal_colors.py.
"""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from textual.filter import NoColor
from textual.widgets import Button, Input, RadioSet, Select

from tests.ui.conftest import settle, to_exercises
from tests.ui.test_real_course import first_exercise
from tui_workshop.ui import palette
from tui_workshop.ui.screens import LessonScreen
from tui_workshop.ui.widgets.exercise_box import ExerciseBox

MIN_CELLS = 3  # a focus mark wider than the input's cursor


def cells(app, widget, mode: str) -> list[tuple]:
    """The widget's cells on screen as (char, attributes, colours) in ``mode``."""
    strips = app.screen._compositor.render_strips()
    region = widget.region
    out: list[tuple] = []
    for y in range(region.y, region.bottom):
        strip = strips[y]
        segments = list(strip.crop(region.x, region.right))
        if mode == "nocolor":
            segments = NoColor().apply(segments, None)
        for text, style, _control in segments:
            attrs = (
                (bool(style.bold), bool(style.reverse), bool(style.underline), bool(style.dim))
                if style
                else (False,) * 4
            )
            colors: tuple = ()
            if style and mode == "16":
                colors = tuple(
                    c.downgrade(ColorSystem.STANDARD).number if c else None
                    for c in (style.color, style.bgcolor)
                )
            out.extend((char, attrs, colors) for char in text)
    return out


def differing(before: list[tuple], after: list[tuple]) -> int:
    return sum(a != b for a, b in zip(before, after, strict=False))


async def check_focus_visible(pilot, app, widget, parking) -> None:
    parking.focus()
    await settle(pilot)
    widget.scroll_visible(animate=False)
    await settle(pilot)
    blurred = {mode: cells(app, widget, mode) for mode in ("nocolor", "16")}
    widget.focus()
    await settle(pilot)
    for mode in ("nocolor", "16"):
        focused = cells(app, widget, mode)
        assert differing(blurred[mode], focused) >= MIN_CELLS, (mode, widget)


async def test_focus_is_visible_on_the_parameter_controls(make_real_app):
    app = make_real_app(start_lesson="playground")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 4)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        while screen.pane != "lab":
            await pilot.press("ctrl+t")
            await settle(pilot)
        parking = screen.query_one("#pane-text")
        controls = [
            w
            for w in screen.query("#pane-lab *")
            if isinstance(w, (Input, Select, Button)) and w.focusable
        ]
        assert any(isinstance(w, Select) for w in controls)
        for widget in controls:
            await check_focus_visible(pilot, app, widget, parking)


@pytest.mark.parametrize("kind", ["numeric", "choice"])
async def test_focus_is_visible_on_the_exercise_controls(make_real_app, kind):
    lesson, index, _exercise = first_exercise(kind)
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        box = screen.query_one(ExerciseBox)
        await box.show_exercise(index)
        await to_exercises(pilot, screen)
        parking = screen.query_one("#pane-text")
        controls = [
            w for w in box.query("*") if isinstance(w, (Input, RadioSet, Button)) and w.focusable
        ]
        assert controls
        for widget in controls:
            await check_focus_visible(pilot, app, widget, parking)


async def test_no_color_in_the_environment_installs_the_plain_filter(make_real_app, monkeypatch):
    from textual.filter import Monochrome

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_real_app(start_lesson="playground")
    assert app.no_color and palette.no_color(app)
    assert any(isinstance(f, NoColor) for f in app._filters)
    assert not any(isinstance(f, Monochrome) for f in app._filters)


async def test_term_dumb_turns_colours_off(make_real_app, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "dumb")
    app = make_real_app(start_lesson="playground")
    assert app.no_color and any(isinstance(f, NoColor) for f in app._filters)
