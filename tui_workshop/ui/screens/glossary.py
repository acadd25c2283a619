"""ctrl+g (or the command palette, or the help): the bilingual glossary, filtered as you type.

Each term shows in the current language first, the other language after it,
and a short definition in the current language. The filter matches either
name or the definition, ignoring case and accents ("epoca" finds "época").
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from tui_workshop.course.glossary import Term, matching
from tui_workshop.i18n import _, get_language, render
from tui_workshop.ui.screens.modal import OneShotModal
from tui_workshop.ui.text import N_
from tui_workshop.ui.widgets.bounded_input import BoundedInput

FILTER_MAX_LENGTH = 40


def glossary_text(terms: list[Term], lang: str) -> Text:
    """The entries as rich text: the term in bold, the other language, the definition."""
    text = Text()
    for index, term in enumerate(terms):
        if index:
            text.append("\n")
        text.append(term.name(lang), style="bold")
        text.append(f" · {term.other_name(lang)}", style="italic")
        text.append(f"\n  {render(term.definition)}")
    return text


class GlossaryScreen(OneShotModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "close", N_("Close")),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="glossary-dialog", classes="dialog"):
            yield Static(_("Glossary: English and Portuguese"), classes="dialog-title")
            filter_input = BoundedInput(
                placeholder=_("filter: a term in either language"), id="glossary-filter"
            )
            filter_input.max_length = FILTER_MAX_LENGTH
            yield filter_input
            with VerticalScroll(id="glossary-scroll"):
                yield Static(id="glossary-terms")
            yield Static(_("Type to filter; Escape closes."), classes="dialog-hint")

    def on_mount(self) -> None:
        self.show_terms("")
        self.query_one("#glossary-filter", Input).focus()

    @on(Input.Changed, "#glossary-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.show_terms(event.value)

    def show_terms(self, query: str) -> None:
        lang = get_language()
        terms = matching(query, lang, render)
        body = self.query_one("#glossary-terms", Static)
        if terms:
            body.update(glossary_text(terms, lang))
        else:
            body.update(Text(_("No term matches {query}.", query=repr(query.strip()))))
        self.query_one("#glossary-scroll", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
