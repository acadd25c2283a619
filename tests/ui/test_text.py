"""Texts from the layers below become str in the UI: frames, parameters, errors."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from tests.ui.test_param_panel import error_text, type_into
from tui_workshop import i18n
from tui_workshop.experiments.base import Frame, Series, Table, TextPanel, frozen_array
from tui_workshop.experiments.schema import Choice, Float, named
from tui_workshop.i18n import Num, lines, msg, msg_n
from tui_workshop.ui.text import localize, text
from tui_workshop.ui.widgets import ParamPanel


@pytest.fixture
def language():
    yield i18n.set_language
    i18n.set_language("en")


def test_text_renders_each_kind_in_the_current_language(language):
    assert text(None) == "" and text("y = a·x") == "y = a·x"
    assert text(msg("epoch {epoch}", epoch=3)) == "epoch 3"
    assert text(msg_n("{n} step", "{n} steps", 1)) == "1 step"
    assert text(Num(-0.5)) == "−0.50"
    language(i18n.PSEUDO)
    assert text(Num(-0.5)) == "−0,50"  # the language's decimal mark
    assert text(msg("epoch {epoch}", epoch=3)) == i18n.pseudo("epoch {epoch}").format(epoch=3)


def test_localize_renders_every_text_of_a_frame_and_keeps_the_rest(language):
    x = frozen_array([0.0, 1.0])
    frame = Frame(
        step=2,
        status=msg("epoch {epoch}", epoch=2),
        panels=(
            TextPanel(msg("State"), lines(msg("loss {loss}", loss=Num(0.25)), "y = a·x")),
            Table(msg("Errors"), (msg("name"), "x"), ((msg("train"), Num(0.5), 3.0),)),
        ),
        message=msg("diverged"),
    )
    shown = localize(frame)
    assert shown.status == "epoch 2" and shown.message == "diverged" and shown.step == 2
    assert shown.panels[0].title == "State" and shown.panels[0].text == "loss 0.25\ny = a·x"
    table = shown.panels[1]
    assert table.columns == ("name", "x") and table.rows == (("train", "0.50", 3.0),)
    series = Series(msg("train"), x, x)
    assert localize(series).label == "train" and localize(series).x is x  # arrays shared
    plain = Frame(0, "ready", (TextPanel("t", "a"),))
    assert localize(plain) is plain  # nothing to render: the very same frame
    language(i18n.PSEUDO)
    assert localize(frame).panels[0].text.startswith("⟦")


SCHEMA = named(
    {
        "lr": Float(0.1, 0.001, 10.0, label=msg("learning rate"), help=msg("Step size")),
        "act": Choice(
            "tanh", ("tanh", "relu"), label=msg("activation"), labels=(msg("Tanh"), "ReLU")
        ),
    }
)


class SchemaPanelApp(App):
    def compose(self) -> ComposeResult:
        yield ParamPanel(tuple(SCHEMA.values()))


async def test_panel_shows_schema_texts_translated_and_errors_without_echo(language):
    language(i18n.PSEUDO)
    app = SchemaPanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(ParamPanel)
        assert (
            panel.help_text("lr") == f"{i18n.pseudo('learning rate')}: {i18n.pseudo('Step size')}"
        )
        labels = [str(label.render()) for label in panel.query(".pp-label")]
        assert labels and all(label.startswith("⟦") for label in labels)
        field = panel.control("lr")
        await type_into(pilot, field, "")
        field.value = "x" * 300  # a paste
        await pilot.press("enter")
        await pilot.pause()
        shown = error_text(panel, "lr")
        assert shown.startswith("⟦")  # the ParameterError's message, translated
        assert "x" * 40 not in shown and len(shown) < 120  # never the whole typed text
        assert panel.values["lr"] == 0.1
