"""An Input that never holds more than ``max_length`` characters, pasted text included.

Textual's Input refuses a paste that would pass ``max_length`` as a whole
(only a bell). Here a paste is cut to the room left, and only its first
line is used, so a 5 MB paste costs no more than typing ``max_length`` keys.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

PARAM_MAX_LENGTH = 64  # a parameter value: a number or a choice
ANSWER_MAX_LENGTH = 200  # an exercise answer: a number or a short vector


class BoundedInput(Input):
    """``Input`` whose pastes are cut to fit ``max_length`` (set it; 0 means no limit).

    Its own key bindings run in key order, before the next key is handled.
    """

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # Input._on_key inserts it (called next, along the MRO)
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue  # the App already ran priority bindings before forwarding the key
            if await self.app.run_action(binding.action, self):
                self._restart_blink()
                event.stop()
                event.prevent_default()  # handled: the App must not run it a second time
                return

    def on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own paste handler would take the whole text
        event.stop()
        limit = self.max_length
        text = event.text[: limit + 1] if limit else event.text
        lines = text.splitlines()
        if not lines:
            return
        start, end = sorted(self.selection)
        if limit:
            room = limit - (len(self.value) - (end - start))
            if room <= 0:
                self.restricted()
                return
            line = lines[0][:room]
        else:
            line = lines[0]
        self.replace(line, start, end)
