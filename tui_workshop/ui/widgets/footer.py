"""Footers whose key descriptions are translated when shown.

Binding descriptions are English msgids (marked with ``N_``): each key's
description and tooltip is translated when the footer is composed, so
``App.refresh_bindings()`` after a language change shows the new language.

:class:`CompactFooter`: Textual's ``Footer(compact=True)`` builds each key
plain, then its bound ``compact`` watcher adds the ``-compact`` class, which
restyles the key at once: one stylesheet pass per key while the screen is
first drawn. Here the keys get the class before they mount, so the watcher
finds nothing to change. Looks and behaves like ``Footer(compact=True)``.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui_workshop.i18n import translate
from tui_workshop.ui.text import N_

# Descriptions of Textual's own bindings shown in a footer, marked for the catalogues.
TEXTUAL_DESCRIPTIONS = (N_("palette"),)


class TranslatedFooter(Footer):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                if widget.description:
                    widget.description = translate(widget.description)
                if isinstance(widget.tooltip, str) and widget.tooltip:
                    widget.tooltip = translate(widget.tooltip)
                if self.compact:
                    widget.add_class("-compact", update=False)
            yield widget


class CompactFooter(TranslatedFooter):
    def __init__(self, **kwargs) -> None:
        super().__init__(compact=True, **kwargs)
