"""Run work after the screen's first drawn paint, to show a screen sooner.

``call_after_refresh`` alone is not enough at start-up: a ``Markdown``
mounting its blocks holds a batch update, during which refreshes are
computed but not drawn, so the callback would run (and delay the paint)
before anything reached the terminal. :func:`after_first_paint` waits for a
refresh that began with no batch update under way, then calls back.
``node`` is a widget or a screen (anything with timers and call_after_refresh).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump

BATCH_POLL = 0.01  # seconds between looks while a batch update holds the screen


def _batching(node: MessagePump) -> bool:
    # Textual keeps the depth of App.batch_update() here; absent, assume none.
    return bool(getattr(node.app, "_batch_count", 0))


def after_first_paint(node: MessagePump, callback: Callable[[], object]) -> None:
    """Call ``callback`` (on ``node``'s thread) once a refresh has been drawn."""
    clear = False

    def check() -> None:
        nonlocal clear
        if not node.is_attached:
            return
        if _batching(node):
            # Poll (a screen's own call_after_refresh would spin without yielding).
            clear = False
            node.set_timer(BATCH_POLL, check)
            return
        if not clear:
            clear = True  # the next refresh starts outside a batch: it is drawn
            node.call_after_refresh(check)
            return
        callback()

    node.call_after_refresh(check)
