"""ParamPanel: typing, validation, choices, switches, presets and reset (Pilot, 80x24)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Checkbox, Input, Select

from tests.ui.conftest import type_into
from tui_workshop.course.model import ParamSpec, Preset
from tui_workshop.ui.widgets import ParamPanel

SPECS = (
    ParamSpec("float", 0.1, "learning rate", "Step size", min=0.001, max=10.0, name="lr"),
    ParamSpec("int", 4, "hidden units", min=1, max=8, name="hidden"),
    ParamSpec(
        "choice",
        "tanh",
        "activation",
        choices=("tanh", "relu", "sigmoid"),
        choice_labels=("Tanh", "ReLU", "Sigmoid"),
        name="activation",
    ),
    ParamSpec("bool", True, "use bias", name="bias"),
)
PRESETS = (Preset("too_high", "Learning rate too high", {"lr": 3.0}),)


class PanelApp(App):
    def __init__(self, values=None) -> None:
        super().__init__()
        self.values = values
        self.seen: list = []

    def compose(self) -> ComposeResult:
        yield ParamPanel(SPECS, self.values, presets=PRESETS)

    def on_param_panel_changed(self, message: ParamPanel.Changed) -> None:
        self.seen.append(message)

    def on_param_panel_invalid(self, message: ParamPanel.Invalid) -> None:
        self.seen.append(message)

    def on_param_panel_preset_applied(self, message: ParamPanel.PresetApplied) -> None:
        self.seen.append(message)

    def on_param_panel_reset(self, message: ParamPanel.Reset) -> None:
        self.seen.append(message)


def error_text(panel: ParamPanel, name: str) -> str:
    error = panel._errors[name]
    return str(error.render()) if error.has_class("-shown") and error.display else ""


async def test_each_parameter_is_one_line_with_its_control() -> None:
    app = PanelApp({"lr": 0.5})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.query_one(ParamPanel)
        assert isinstance(panel.control("lr"), Input) and panel.control("lr").value == "0.5"
        assert isinstance(panel.control("activation"), Select)
        assert isinstance(panel.control("bias"), Checkbox) and panel.control("bias").value is True
        assert "[x] use bias" in str(panel.control("bias").render())
        assert panel.values == {"lr": 0.5, "hidden": 4, "activation": "tanh", "bias": True}
        rows = [panel.control(name).region for name in ("lr", "hidden", "activation", "bias")]
        assert all(region.height == 1 for region in rows)
        assert [r.y for r in rows] == sorted({r.y for r in rows})  # one row each
        assert "Step size" in str(panel.control("lr").tooltip)
        # The help line shows the focused parameter's full label and help.
        panel.control("lr").focus()
        await pilot.pause()
        assert "Step size" in str(panel.query_one("#pp-help").render())


def test_short_label_fits_and_keeps_short_labels() -> None:
    from tui_workshop.ui.widgets.param_panel import short_label

    assert short_label("noise %") == "noise %"
    for label in ("regularisation rate", "neurons per layer", "a_very_long_single_identifier"):
        short = short_label(label, 13)
        assert len(short) <= 13 and short[0] == label[0]
    assert short_label("regularisation rate", 13) == "reg. rate"


async def test_valid_value_posts_changed_with_parsed_value() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(ParamPanel)
        await type_into(pilot, panel.control("lr"), "0.25")
        changed = [m for m in app.seen if isinstance(m, ParamPanel.Changed)]
        assert len(changed) == 1
        assert changed[0].name == "lr" and changed[0].value == 0.25
        assert changed[0].values["lr"] == 0.25 and changed[0].values["hidden"] == 4
        assert panel.values["lr"] == 0.25
        await type_into(pilot, panel.control("hidden"), "6")
        assert app.seen[-1].name == "hidden" and app.seen[-1].value == 6
        assert isinstance(app.seen[-1].value, int)


async def test_not_a_number_shows_error_and_keeps_value() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(ParamPanel)
        await type_into(pilot, panel.control("lr"), "abc")
        assert panel.values["lr"] == 0.1
        assert not [m for m in app.seen if isinstance(m, ParamPanel.Changed)]
        invalid = [m for m in app.seen if isinstance(m, ParamPanel.Invalid)]
        assert invalid and invalid[0].name == "lr" and invalid[0].text == "abc"
        assert invalid[0].message and invalid[0].message in error_text(panel, "lr")
        assert "0.1" in error_text(panel, "lr")  # says which value was kept
        # A valid value clears the error.
        await type_into(pilot, panel.control("lr"), "2")
        assert error_text(panel, "lr") == "" and panel.values["lr"] == 2.0


async def test_out_of_range_on_blur_shows_error() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(ParamPanel)
        await type_into(pilot, panel.control("hidden"), "50", then="tab")
        assert panel.values["hidden"] == 4
        assert error_text(panel, "hidden")
        assert any(isinstance(m, ParamPanel.Invalid) for m in app.seen)
        assert not any(isinstance(m, ParamPanel.Changed) for m in app.seen)


async def test_select_and_switch_post_changed() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(ParamPanel)
        select = panel.control("activation")
        select.focus()
        await pilot.press("enter")  # open the list
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.seen[-1].name == "activation" and app.seen[-1].value == "relu"
        assert panel.values["activation"] == "relu"
        panel.control("bias").focus()
        await pilot.press("space")
        await pilot.pause()
        assert app.seen[-1].name == "bias" and app.seen[-1].value is False
        assert app.seen[-1].values == panel.values


async def test_set_values_posts_nothing() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(ParamPanel)
        await pilot.pause()
        panel.set_values({"lr": 0.5, "activation": "sigmoid", "bias": False, "nope": 1})
        await pilot.pause()
        await pilot.pause()
        assert app.seen == []
        assert panel.control("lr").value == "0.5"
        assert panel.control("activation").value == "sigmoid"
        assert panel.control("bias").value is False
        assert "nope" not in panel.values


async def test_preset_and_reset() -> None:
    app = PanelApp({"hidden": 7})
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(ParamPanel)
        await pilot.pause()
        panel.query_one("#pp-presets", Select).value = "too_high"
        await pilot.pause()
        applied = [m for m in app.seen if isinstance(m, ParamPanel.PresetApplied)]
        assert len(applied) == 1 and applied[0].name == "too_high"
        # A preset starts from the lesson defaults: a known state.
        assert applied[0].values == {"lr": 3.0, "hidden": 4, "activation": "tanh", "bias": True}
        assert panel.control("lr").value == "3"
        assert panel.query_one("#pp-presets", Select).is_blank()
        await type_into(pilot, panel.control("lr"), "0.5")
        await pilot.click("#pp-reset")
        await pilot.pause()
        reset = [m for m in app.seen if isinstance(m, ParamPanel.Reset)]
        assert len(reset) == 1
        assert reset[0].values == {"lr": 0.1, "hidden": 4, "activation": "tanh", "bias": True}
        assert panel.control("lr").value == "0.1"
        assert [type(m) for m in app.seen].count(ParamPanel.Changed) == 1  # only the typed one


async def test_a_choice_torn_down_while_it_sets_its_value_does_not_crash() -> None:
    """Quitting just after a lesson is drawn removes a Select's parts while it still sets
    its value; Textual's Select raised NoMatches and the app ended with an error."""
    from textual.css.query import NoMatches

    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        select = app.query_one(ParamPanel).control("activation")
        assert isinstance(select, Select)
        await select.query_one("#label").remove()
        try:
            select.value = "relu"  # a live widget missing its part: a real error
        except NoMatches:
            pass
        else:
            raise AssertionError("the guard hid an error of a live Select")
        select._pruning = True  # what Textual sets on a widget it is removing
        select.value = "sigmoid"
        select._init_selected_option("tanh")
        select._pruning = False
        select._is_mounted = False  # a value set while its parts are still being mounted
        select.value = "relu"
        select._is_mounted = True
        assert select.value == "relu"
