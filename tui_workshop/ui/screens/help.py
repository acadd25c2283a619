"""F1: every key of the screen below, grouped, generated from its bindings, and a short guide.

The keys come from the public ``Screen.active_bindings`` of the screen the help
was opened on (its own bindings, the focused widget's and the app's). Each
action is put in a group (navigation, experiment, exercises, app); the
exercise keys that belong to ordinary widgets (Tab, Enter) are listed as text.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui_workshop.i18n import _, msg, render, translate
from tui_workshop.ui.screens.modal import OneShotModal
from tui_workshop.ui.text import N_

# Shown as in the footer: "f5" -> "F5", "ctrl+pagedown" -> "ctrl+PgDn".
_KEY_NAMES = {
    "escape": "Esc",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "enter": "Enter",
    "minus": "-",
    "plus": "+",
    "equals_sign": "=",
}

GROUPS = ("navigation", "experiment", "exercises", "app")
GROUP_NAMES = {
    "navigation": msg("Navigation"),
    "experiment": msg("Experiment"),
    "exercises": msg("Exercises"),
    "app": msg("App"),
}
_ACTION_GROUPS = {
    "prev_page": "navigation",
    "next_page": "navigation",
    "prev_lesson": "navigation",
    "next_lesson": "navigation",
    "overview": "navigation",
    "switch_pane": "navigation",
    "open": "navigation",
    "contents": "navigation",
    "play": "experiment",
    "step": "experiment",
    "reset_experiment": "experiment",
    "slower": "experiment",
    "faster": "experiment",
    "next_panels": "experiment",
    "check": "exercises",
    "hint": "exercises",
    "solution": "exercises",
}
# Textual's own bindings, described in our words.
_DESCRIPTIONS = {
    "command_palette": msg("Commands: language, score, reset, any lesson"),
    "quit": msg("Quit"),
}
# Listed once, in our words, by _EXTRA_ROWS.
_SKIP = {"focus_next", "focus_previous"}
# Keys of ordinary widgets, not bindings of ours: (keys, description), per group.
_EXTRA_ROWS = {
    "navigation": (("Tab / shift+Tab", msg("Next / previous field")),),
    "exercises": (
        ("Enter", msg("Check the answer, press a button")),
        ("Tab", msg("Go to Check, Hint, Solution")),
    ),
}

GUIDE = msg(
    "How to use the workshop\n"
    " 1. Pick a lesson in the overview and press Enter.\n"
    " 2. Read a page; F3 and F4 turn the pages.\n"
    " 3. Change a parameter: type a value and press Enter, or pick a preset.\n"
    " 4. F5 trains (F5 again pauses), F6 does one step, F9 starts over.\n"
    " 5. Answer the exercises; goal exercises are solved by the running experiment.\n"
    "Below 120 columns the text sits above the experiment: ctrl+t enlarges the text, "
    "then the experiment, then shows the exercises; ctrl+n shows the experiment's other "
    "panels. Function keys and ctrl keys also work while you type in a field. "
    "Progress is saved after each change."
)


def key_label(key: str) -> str:
    parts = key.split("+")
    last = parts[-1]
    if last.startswith("f") and last[1:].isdigit():
        last = last.upper()
    parts[-1] = _KEY_NAMES.get(last, last)
    return "+".join(parts)


def _action_name(action: str) -> str:
    """'app.reset_lesson' -> 'reset_lesson', 'answer(True)' -> 'answer'."""
    return action.rpartition(".")[2].split("(")[0]


def _own(node: object, binding: Binding) -> bool:
    """A binding of the app, of a screen, or declared by a widget class of this package
    (not one a widget of ours inherits from Textual's, such as a scroll pane's keys)."""
    if isinstance(node, (App, Screen)):
        return True
    return any(
        (own.key, own.action) == (binding.key, binding.action)
        for cls in type(node).__mro__
        if cls.__module__.startswith("tui_workshop")
        for own in Binding.make_bindings(cls.__dict__.get("BINDINGS", ()))
    )


def _class_bindings(node: object) -> list[tuple[str, Binding]]:
    """(key, binding) from the BINDINGS of ``node``'s class and its bases, subclass first."""
    found: list[tuple[str, Binding]] = []
    for cls in type(node).__mro__:
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
            found.append((binding.key, binding))
    return found


def binding_groups(screen: Screen) -> dict[str, list[tuple[str, str]]]:
    """Group name -> (keys, description) for every described binding of ``screen``.

    The active bindings (the focused widget's, the screen's, the app's) come
    first; the screen's and the app's class bindings are added for keys a
    focused widget shadows (Enter on the overview's table).
    """
    pairs = [
        (key, active.binding)
        for key, active in screen.active_bindings.items()
        if _own(active.node, active.binding)
    ]
    pairs += _class_bindings(screen) + _class_bindings(screen.app)
    rows: dict[str, tuple[str, list[str], str]] = {}
    for key, binding in pairs:
        name = _action_name(binding.action)
        # Descriptions are English msgids, translated when shown.
        if name in _DESCRIPTIONS:
            description = render(_DESCRIPTIONS[name])
        else:
            description = translate(binding.description) if binding.description else ""
        if not description or name in _SKIP:
            continue
        group = _ACTION_GROUPS.get(name, "app")
        _group, keys, _description = rows.setdefault(name, (group, [], description))
        label = key_label(key)
        if label not in keys:
            keys.append(label)
    groups: dict[str, list[tuple[str, str]]] = {group: [] for group in GROUPS}
    for group, keys, description in rows.values():
        groups[group].append((" / ".join(keys), description))
    for group, extra in _EXTRA_ROWS.items():
        groups[group].extend((keys, render(text)) for keys, text in extra)
    return {group: items for group, items in groups.items() if items}


def binding_rows(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) of every described binding of ``screen`` and of the app."""
    return [row for items in binding_groups(screen).values() for row in items]


class HelpScreen(OneShotModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", N_("Close")),
    ]

    def __init__(self, for_screen: Screen) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(_("Help"), classes="dialog-title")
            yield Static(render(GUIDE), id="help-guide")
            yield Static(_("Keys"), classes="dialog-subtitle")
            yield DataTable(
                id="help-keys", show_cursor=False, show_header=False, zebra_stripes=False
            )
            yield Static(_("Escape or F1 closes this help."), classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns(_("Keys"), _("Action"))
        for group, items in binding_groups(self.for_screen).items():
            table.add_row(Text(render(GROUP_NAMES[group]), style="bold underline"), "")
            for keys, description in items:
                table.add_row(Text(keys, style="bold"), description)
        self.query_one("#help-dialog").focus()

    def action_close(self) -> None:
        self.dismiss(None)
