"""ParamPanel: edit a lesson's parameters (``ParamSpec``), presets and a reset.

API for the lesson screen::

    panel = ParamPanel(lesson.params, values, presets=lesson.presets, id="params")
    panel.values                 # dict name -> current value (a copy)
    panel.set_values({...})      # programmatic: updates the controls, posts nothing
    panel.control(name)          # the Input / Select / CheckBox of one parameter
    panel.set_disabled(names)    # grey out parameters that cannot change now
    panel.rows_mounted           # False until the controls exist (``lazy=True``)

``lazy=True`` mounts the rows after the screen's first paint: a lesson with
twenty parameters then shows its text and plot first (the rows are most of
the lesson screen's widgets, and most of its start-up time).

Controls: int/float -> an Input (parsed with ``spec.parse(text)`` when Enter
is pressed or the field loses focus; an error is shown under the field and
the previous value is kept); choice -> a Select (``choice_labels`` shown when
given); bool -> a :class:`CheckBox` drawn ``[x] label``. Each parameter takes
one line (two while its error shows): a label shortened to fit
(:func:`short_label`), then the control. The full label, help and range are
the tooltip, and the help line at the bottom of the panel shows them for the
focused parameter. Below the parameters: a preset Select (when the lesson has
presets) and a "Reset to defaults" button; the list scrolls when it is taller
than its region.

Messages (all bubble):
- ``ParamPanel.Changed(name, value, values)``: the user changed one value;
  ``values`` is the full dict after the change.
- ``ParamPanel.Invalid(name, text, message)``: typed text was rejected.
- ``ParamPanel.PresetApplied(name, values)``: a preset was chosen; values
  are the lesson defaults updated with the preset's values.
- ``ParamPanel.Reset(values)``: every parameter went back to its default.
Presets and reset post only their own message, not one Changed per value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static
from textual.widgets._select import SelectCurrent, SelectOverlay

from tui_workshop.course.model import ParamSpec, Preset
from tui_workshop.experiments.schema import ParameterError, excerpt
from tui_workshop.i18n import Num, _, decimal_mark
from tui_workshop.ui.deferred import after_first_paint
from tui_workshop.ui.text import text as as_text
from tui_workshop.ui.widgets.bounded_input import PARAM_MAX_LENGTH, BoundedInput


def format_value(spec: ParamSpec, value: Any) -> str:
    """How a value is written in its Input."""
    if spec.kind == "int":
        return str(int(value))
    if spec.kind == "float":  # with the language's decimal mark: 0,25 in pt-BR
        return f"{float(value):.6g}".replace(".", decimal_mark())
    return str(value)


def parse_param(spec: ParamSpec, text: str) -> Any:
    """``spec.parse(text)``; a ParameterError's message (a Msg) is rendered by the caller."""
    return spec.parse(text)


def label_of(spec: ParamSpec) -> str:
    """The parameter's label in the current language (its name when it has none)."""
    return as_text(spec.label) or spec.name


def error_text(error: ValueError) -> str:
    """What a rejected value shows: the ParameterError's message, never the typed text."""
    if isinstance(error, ParameterError):
        return as_text(error.message)
    return excerpt(str(error), 60)


LABEL_WIDTH = 13


def short_label(label: str, width: int = LABEL_WIDTH) -> str:
    """``label`` in at most ``width`` cells: long words abbreviated, then cropped with …."""
    words = label.split()
    while len(" ".join(words)) > width:
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        if len(words[longest]) <= 4:
            break
        words[longest] = words[longest][:3] + "."
    text = " ".join(words)
    return text if len(text) <= width else text[: width - 1] + "…"


class PanelSelect(Select):
    """A Select whose value may be set while its parts are not all there.

    Quitting just after a lesson is drawn removes the Select's parts while its
    Mount handler still sets its value; a value set while its parts are still
    being mounted finds one of them missing. Textual's Select then raises
    NoMatches and the app ended with an "unexpected error". Before the Mount
    handler runs, the value is kept and shown by that handler. Keys pressed
    fast can also remove the parts before that handler fills the option list.
    """

    def _parts_may_be_missing(self) -> bool:
        if not self.is_mounted:
            return True
        return self._pruning or self._closing or not self.is_attached or self.app._closing

    def _setup_options_renderables(self) -> None:
        try:
            super()._setup_options_renderables()
        except NoMatches:  # the parts removed before the Mount handler ran (fast keys)
            if not self._parts_may_be_missing():
                raise

    def _init_selected_option(self, hint: Any = Select.NULL) -> None:
        try:
            super()._init_selected_option(hint)
        except NoMatches:
            if not self._parts_may_be_missing():
                raise

    def _watch_value(self, value: Any) -> None:
        try:
            super()._watch_value(value)
        except NoMatches:
            if not self._parts_may_be_missing():
                raise
            if not self.is_mounted:  # the Mount handler would set the same value: no update
                self.call_after_refresh(self._show_value)

    def _show_value(self) -> None:
        """The current value in the Select's parts, without a Changed message."""
        try:
            overlay = self.query_one(SelectOverlay)
            current = self.query_one(SelectCurrent)
        except NoMatches:
            return
        for index, (prompt, value) in enumerate(self._options):
            if value == self.value:
                overlay.highlighted = index
                current.update(prompt)
                break


class CheckBox(Checkbox):
    """A one-line checkbox drawn ``[x] label``, readable without colour."""

    DEFAULT_CSS = """
    CheckBox, CheckBox.-textual-compact {
        border: none;
        padding: 0;
        height: 1;
        width: 1fr;
        background: transparent;
        &:focus {
            border: none;
            & > .toggle--label {
                text-style: reverse;
            }
        }
        & > .toggle--button {
            background: transparent;
            color: $text;
        }
        &.-on > .toggle--button {
            background: transparent;
            color: $text;
            text-style: bold;
        }
    }
    """

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("[x]" if self.value else "[ ]", style))


class ParamPanel(Widget):
    """A compact, scrollable form of a lesson's parameters."""

    DEFAULT_CSS = """
    ParamPanel {
        width: 1fr;
        height: 1fr;
    }
    ParamPanel > VerticalScroll {
        height: 1fr;
    }
    ParamPanel .pp-row {
        height: 1;
        width: 1fr;
    }
    ParamPanel .pp-label {
        width: 14;
        height: 1;
        padding: 0 1 0 0;
        text-overflow: ellipsis;
        text-wrap: nowrap;
    }
    ParamPanel .pp-control {
        width: 1fr;
        max-width: 24;
    }
    ParamPanel CheckBox.pp-control {
        max-width: 100%;
    }
    ParamPanel > #pp-help {
        height: auto;
        max-height: 2;
        border-top: solid $primary;
        color: $text-muted;
    }
    ParamPanel .pp-error {
        color: $error;
        text-style: bold;
        padding: 0 0 0 2;
        height: auto;
        display: none;
    }
    ParamPanel .pp-error.-shown {
        display: block;
    }
    ParamPanel Input.-invalid {
        text-style: underline;
    }
    /* One above the other: side by side, the preset picker was 7 columns at 80x24. */
    ParamPanel .pp-actions {
        height: auto;
        layout: vertical;
        margin: 1 0 0 0;
    }
    ParamPanel .pp-actions Select {
        width: 1fr;
        max-width: 40;
    }
    ParamPanel .pp-actions Button {
        width: auto;
        margin: 0;
    }
    ParamPanel .pp-empty {
        color: $text-muted;
    }
    """

    class Changed(Message):
        def __init__(self, name: str, value: Any, values: dict[str, Any]) -> None:
            super().__init__()
            self.name = name
            self.value = value
            self.values = values

    class Invalid(Message):
        def __init__(self, name: str, text: str, message: str) -> None:
            super().__init__()
            self.name = name
            self.text = text
            self.message = message

    class PresetApplied(Message):
        def __init__(self, name: str, values: dict[str, Any]) -> None:
            super().__init__()
            self.name = name
            self.values = values

    class Reset(Message):
        def __init__(self, values: dict[str, Any]) -> None:
            super().__init__()
            self.values = values

    def __init__(
        self,
        specs: Sequence[ParamSpec],
        values: Mapping[str, Any] | None = None,
        presets: Sequence[Preset] = (),
        lazy: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.lazy = lazy
        self.rows_mounted = False
        self._disabled: set[str] = set()
        self.specs: dict[str, ParamSpec] = {spec.name: spec for spec in specs}
        self.presets: dict[str, Preset] = {preset.name: preset for preset in presets}
        self._values: dict[str, Any] = {spec.name: spec.default for spec in specs}
        self._values.update({k: v for k, v in (values or {}).items() if k in self.specs})
        self._controls: dict[str, Widget] = {}
        self._errors: dict[str, Static] = {}
        self._names: dict[int, str] = {}  # id(control) -> parameter name

    # ----------------------------------------------------------------- API
    @property
    def values(self) -> dict[str, Any]:
        return dict(self._values)

    def defaults(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.specs.items()}

    def help_text(self, name: str) -> str:
        """The full label and help of one parameter (the help line shows it)."""
        spec = self.specs[name]
        label = label_of(spec)
        return f"{label}: {as_text(spec.help)}" if spec.help else label

    def control(self, name: str) -> Widget:
        return self._controls[name]

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show new values without posting Changed; unknown names are ignored."""
        for name, value in values.items():
            if name not in self.specs:
                continue
            self._values[name] = value
            self._hide_error(name)
            if name in self._controls:
                self._show_value(name)

    def set_disabled(self, names: Iterable[str], disabled: bool = True) -> None:
        for name in names:
            if disabled:
                self._disabled.add(name)
            else:
                self._disabled.discard(name)
            if name in self._controls:
                self._controls[name].disabled = disabled

    # ------------------------------------------------------------ compose
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            if not self.lazy:
                self.rows_mounted = True
                yield from self._rows()
        if self.specs:
            first = next(iter(self.specs))
            yield Static(self.help_text(first), id="pp-help", markup=False)

    def on_mount(self) -> None:
        if not self.rows_mounted:
            after_first_paint(self, self._mount_rows)

    def _mount_rows(self) -> None:
        """Lazy mode: mount the rows once the screen has been drawn."""
        if self.rows_mounted or not self.is_attached:
            return
        self.rows_mounted = True
        self.query_one(VerticalScroll).mount_all(self._rows())

    def _rows(self) -> list[Widget]:
        """One row per parameter (label and control, then its hidden error line), the actions."""
        widgets: list[Widget] = []
        if not self.specs:
            widgets.append(Static(_("No parameters to change in this lesson."), classes="pp-empty"))
        for index, spec in enumerate(self.specs.values()):
            control = self._make_control(spec, index)
            control.disabled = spec.name in self._disabled
            self._controls[spec.name] = control
            self._names[id(control)] = spec.name
            label = Label(short_label(label_of(spec)), classes="pp-label")
            tip = self._tooltip_for(spec)
            if tip:
                label.tooltip = tip
                control.tooltip = tip
            cells = [control] if spec.kind == "bool" else [label, control]
            widgets.append(Horizontal(*cells, classes="pp-row"))
            error = Static("", classes="pp-error", markup=False)
            self._errors[spec.name] = error
            widgets.append(error)
        if self.specs:
            actions: list[Widget] = []
            if self.presets:
                actions.append(
                    PanelSelect(
                        [
                            (_("Preset: {label}", label=as_text(p.label) or p.name), p.name)
                            for p in self.presets.values()
                        ],
                        prompt=_("Preset…"),
                        allow_blank=True,
                        compact=True,
                        id="pp-presets",
                    )
                )
            actions.append(
                Button(
                    _("Reset to defaults"),
                    compact=True,
                    id="pp-reset",
                    tooltip=_("Put every parameter back to the lesson's default"),
                )
            )
            widgets.append(Horizontal(*actions, classes="pp-actions"))
        return widgets

    def on_descendant_focus(self, event: Any) -> None:
        """The help line follows the focused parameter."""
        name = self._name_of(event.widget)
        if name is not None and self.is_mounted:
            self.query_one("#pp-help", Static).update(self.help_text(name))

    def _tooltip_for(self, spec: ParamSpec) -> str:
        label = label_of(spec)
        parts = [label]
        if spec.help:
            parts.append(as_text(spec.help))
        if spec.kind in ("int", "float") and spec.min is not None and spec.max is not None:
            low = Num(spec.min, digits=0, exact=True, max_digits=6)
            high = Num(spec.max, digits=0, exact=True, max_digits=6)
            parts.append(_("{label}: from {min} to {max}", label=label, min=low, max=high))
        return "\n".join(parts)

    def _make_control(self, spec: ParamSpec, index: int) -> Widget:
        value = self._values[spec.name]
        ident = f"pp-control-{index}"
        if spec.kind == "choice":
            labels = spec.choice_labels if len(spec.choice_labels) == len(spec.choices) else ()
            options = [
                (as_text(labels[i]) if labels else str(c), c) for i, c in enumerate(spec.choices)
            ]
            start = value if value in spec.choices else Select.NULL
            return PanelSelect(
                options,
                value=start,
                allow_blank=False,
                compact=True,
                id=ident,
                classes="pp-control",
            )
        if spec.kind == "bool":
            return CheckBox(
                label_of(spec), bool(value), id=ident, classes="pp-control", compact=True
            )
        return BoundedInput(
            format_value(spec, value),
            max_length=PARAM_MAX_LENGTH,
            compact=True,
            id=ident,
            classes="pp-control",
            select_on_focus=True,
        )

    # ------------------------------------------------------------- events
    def _name_of(self, widget: Widget) -> str | None:
        return self._names.get(id(widget))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = self._name_of(event.input)
        if name is not None:
            event.stop()
            self._commit(name, event.value)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        name = self._name_of(event.input)
        if name is None:
            return
        event.stop()
        spec = self.specs[name]
        if event.value != format_value(spec, self._values[name]):
            self._commit(name, event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "pp-presets":
            if event.value is not Select.NULL and event.value in self.presets:
                self._apply_preset(str(event.value))
            return
        name = self._name_of(event.select)
        if name is not None and event.value is not Select.NULL:
            self._set_from_user(name, event.value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        name = self._name_of(event.checkbox)
        if name is not None:
            event.stop()
            self._set_from_user(name, bool(event.value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "pp-reset":
            event.stop()
            defaults = self.defaults()
            self.set_values(defaults)
            self.post_message(self.Reset(self.values))

    # ---------------------------------------------------------- internals
    def _commit(self, name: str, text: str) -> None:
        spec = self.specs[name]
        try:
            value = parse_param(spec, text)
        except ValueError as error:
            message = error_text(error)
            self._show_error(name, message)
            self.post_message(self.Invalid(name, text, message))
            return
        self._hide_error(name)
        self._show_value(name, value)
        self._set_from_user(name, value)

    def _set_from_user(self, name: str, value: Any) -> None:
        if self._values.get(name) == value and type(self._values.get(name)) is type(value):
            return  # also swallows the echo of a programmatic set
        self._values[name] = value
        self.post_message(self.Changed(name, value, self.values))

    def _apply_preset(self, preset_name: str) -> None:
        preset = self.presets[preset_name]
        values = self.defaults()
        values.update({k: v for k, v in preset.values.items() if k in self.specs})
        self.set_values(values)
        picker = self.query_one("#pp-presets", Select)
        with self.prevent(Select.Changed):
            picker.clear()
        self.post_message(self.PresetApplied(preset_name, self.values))

    def _show_value(self, name: str, value: Any = None) -> None:
        """Put the stored value (or ``value``) into the control, posting nothing."""
        spec = self.specs[name]
        value = self._values[name] if value is None else value
        control = self._controls[name]
        with self.prevent(Select.Changed, Checkbox.Changed, Input.Changed):
            if isinstance(control, Input):
                control.value = format_value(spec, value)
            elif isinstance(control, Select):
                control.value = value if value in spec.choices else Select.NULL
            elif isinstance(control, Checkbox):
                control.value = bool(value)

    def _show_error(self, name: str, message: str) -> None:
        spec = self.specs[name]
        error = self._errors[name]
        kept = format_value(spec, self._values[name])
        error.update(_("{message} (kept {value})", message=message, value=kept))
        error.add_class("-shown")
        self._controls[name].add_class("-invalid")

    def _hide_error(self, name: str) -> None:
        if name in self._errors:
            self._errors[name].remove_class("-shown")
            self._controls[name].remove_class("-invalid")
