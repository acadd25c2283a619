"""Plot ticks in the language's convention: the decimal comma in pt-BR."""

from __future__ import annotations

import pytest

from tui_workshop import i18n
from tui_workshop.ui.widgets.line_plot import nice_axis, parse_tick, tick_label


@pytest.fixture
def portuguese():
    i18n.set_language("pt-BR")
    yield
    i18n.set_language("en")


def test_tick_labels_use_the_decimal_comma_in_portuguese(portuguese):
    assert tick_label(0.5, 0.1, False) == "0,5"
    assert tick_label(-2.0, 1.0, False) == "−2"
    assert parse_tick(tick_label(0.25, 0.05, False)) == 0.25


def test_tick_labels_in_english_and_round_axes():
    assert tick_label(0.25, 0.05, False) == "0.25"
    bottom, top, step = nice_axis(0.0, 1.0, 6)
    assert (bottom, top, step) == (0.0, 1.0, 0.2)
