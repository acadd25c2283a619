"""Plot ticks in the language's convention: round positions, the decimal comma in pt-BR."""

from __future__ import annotations

from tui_workshop.ui.widgets.line_plot import nice_ticks, tick_label


def test_nice_ticks_are_round_and_cover_the_range():
    assert nice_ticks(0.0, 1.0) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(-5.87, 5.85) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert nice_ticks(0.0, 200.0) == [0.0, 50.0, 100.0, 150.0, 200.0]
    assert nice_ticks(1.0, 1.0) == [] and nice_ticks(0.0, float("nan")) == []


def test_tick_labels_use_the_decimal_mark():
    assert tick_label(0.5, ",") == "0,5"
    assert tick_label(-2.0, ",") == "-2"
    assert tick_label(0.25, ".") == "0.25"
