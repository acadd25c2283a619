"""F1: every key of the screen below, generated from its bindings, and a short guide."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from tui_workshop.i18n import _

# Shown as in the footer: "f5" -> "F5", "ctrl+r" -> "ctrl+r".
_KEY_NAMES = {"escape": "Esc", "pageup": "PgUp", "pagedown": "PgDn", "enter": "Enter"}


def key_label(key: str) -> str:
    parts = key.split("+")
    last = parts[-1]
    if last.startswith("f") and last[1:].isdigit():
        last = last.upper()
    parts[-1] = _KEY_NAMES.get(last, last)
    return "+".join(parts)


def binding_rows(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) for every described binding of ``screen`` and of the app."""
    rows: dict[tuple[int, str], tuple[list[str], str]] = {}
    for source in (screen, screen.app):
        for _key, binding in source._bindings:
            if not binding.description:
                continue
            keys, _description = rows.setdefault(
                (id(source), binding.action), ([], binding.description)
            )
            label = key_label(binding.key)
            if label not in keys:
                keys.append(label)
    return [(" / ".join(keys), description) for keys, description in rows.values()]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", _("key.close")),
    ]

    def __init__(self, for_screen: Screen) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(_("help.title"), classes="dialog-title")
            yield Static(_("help.guide"), id="help-guide")
            yield Static(_("help.keys"), classes="dialog-subtitle")
            yield DataTable(id="help-keys", show_cursor=False, zebra_stripes=False)
            yield Static(_("help.close"), classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns(_("help.keys"), "")
        for keys, description in binding_rows(self.for_screen):
            table.add_row(keys, description)
        self.query_one("#help-dialog").focus()

    def action_close(self) -> None:
        self.dismiss(None)
