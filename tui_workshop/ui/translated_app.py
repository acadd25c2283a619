"""Textual's own words through the catalogues: the command palette, its system
commands, the theme picker and the ctrl+c hint.

:class:`TranslatedApp` is the base of the workshop app and of the class-folder
apps. Textual's "Keys" command is left out of the palette: its panel lists the
English descriptions of Textual's widget bindings; F1 (help) lists the keys in
the language in use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from rich.align import Align
from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import CommandList, CommandListItem, CommandPalette, SimpleProvider
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets.option_list import Option

from tui_workshop.i18n import _, translate
from tui_workshop.ui.text import N_

# Textual's system commands, marked for the catalogues (translated when listed).
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
LEFT_OUT_COMMANDS = frozenset({"Keys"})
# Descriptions of Textual's own bindings that the help (F1) lists.
TEXTUAL_BINDINGS = (N_("Copy selected text"),)


class TranslatedCommandPalette(CommandPalette):
    """Textual's palette with its prompt and its "No matches found" in the language in use."""

    def __init__(self, providers: Any = None, *, placeholder: str | None = None,
                 **kwargs: Any) -> None:
        if placeholder is None:
            placeholder = _("Search for commands…")
        super().__init__(providers, placeholder=placeholder, **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's (textual/command.py), with the text through the catalogues."""
        self._stop_no_matches_countdown()
        no_matches = _("No matches found")

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(no_matches, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:  # discovery mode: nothing to say
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class TranslatedApp(App[int]):
    """An App whose Textual-made texts follow the language in use (and whose
    input thread sleeps while no key comes: :mod:`tui_workshop.ui.input_driver`)."""

    def get_driver_class(self) -> Any:
        driver_class = super().get_driver_class()
        if driver_class.__name__ != "LinuxDriver":
            return driver_class
        from tui_workshop.ui.input_driver import quiet_driver_for

        return quiet_driver_for(driver_class)

    def action_command_palette(self) -> None:
        app = cast("App[object]", self)  # textual types is_open for App[object] only
        if self.use_command_palette and not CommandPalette.is_open(app):
            self.push_screen(TranslatedCommandPalette(id="--command-palette"))

    def search_commands(
        self, commands: Sequence[CommandListItem], placeholder: str | None = None
    ) -> AwaitMount:
        palette = TranslatedCommandPalette(
            providers=[SimpleProvider(self.screen, list(commands))], placeholder=placeholder
        )
        return self.push_screen(palette)

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(
            TranslatedCommandPalette(providers=[ThemeProvider],
                                     placeholder=_("Search for themes…"))
        )

    def action_help_quit(self) -> None:
        """ctrl+c (which does not quit): say which key does."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    _("Press [b]{key}[/b] to quit the app", key=key),
                    title=_("Do you want to quit?"),
                )
                return

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title not in LEFT_OUT_COMMANDS:
                yield self.textual_command(command)

    def textual_command(self, command: SystemCommand) -> SystemCommand:
        """One of Textual's system commands as the palette lists it: translated."""
        return command._replace(title=translate(command.title), help=translate(command.help))
