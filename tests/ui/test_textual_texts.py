"""Textual's loading indicator, drawn as text when animations are off (the projector
layout turns them off; the command palette shows one during a slow search), speaks the
language in use, not Textual's English "Loading...". """

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import LoadingIndicator

from tui_workshop import i18n
from tui_workshop.ui import textual_fixes


class Indicator(App):
    def compose(self) -> ComposeResult:
        yield LoadingIndicator()


@pytest.mark.parametrize(("language", "shown"), [("en", "Loading…"), ("pt-BR", "Carregando…")])
async def test_the_loading_indicator_without_animations(language: str, shown: str) -> None:
    assert textual_fixes.LOADING_INDICATOR_TRANSLATED
    i18n.set_language(language)
    try:
        app = Indicator()
        app.animation_level = "none"
        async with app.run_test(size=(30, 3)) as pilot:
            await pilot.pause()
            text = app.query_one(LoadingIndicator).render()
            assert str(text) == shown
            assert "Loading..." not in str(text)
    finally:
        i18n.set_language("en")
