"""A compact footer whose keys are built compact, for a lighter first paint.

Textual's ``Footer(compact=True)`` builds each key plain, then its bound
``compact`` watcher adds the ``-compact`` class, which restyles the key at
once: one stylesheet pass per key while the screen is first drawn. Here the
keys get the class before they mount, so the watcher finds nothing to change.
Looks and behaves like ``Footer(compact=True)``.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class CompactFooter(Footer):
    def __init__(self, **kwargs) -> None:
        super().__init__(compact=True, **kwargs)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if self.compact and isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)
            yield widget
