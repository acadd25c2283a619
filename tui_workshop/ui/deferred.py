"""Deferred work that is safe when its screen has gone, and paint-aware start-up work.

Work scheduled for later (``call_after_refresh``, timers, messages from a
worker) may run after its screen was popped or replaced by a fast key, or
before the widgets it wants were built. :func:`is_live` says whether a node's
screen is still on the app's screen stack; :func:`live_only` makes a method a
no-op once it is not.

``call_after_refresh`` alone is not enough at start-up: a ``Markdown``
mounting its blocks holds a batch update, during which refreshes are
computed but not drawn, so the callback would run (and delay the paint)
before anything reached the terminal. :func:`after_first_paint` waits for a
refresh that began with no batch update under way, then calls back.
``node`` is a widget or a screen (anything with timers and call_after_refresh).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from textual.message_pump import MessagePump
from textual.screen import Screen

BATCH_POLL = 0.01  # seconds between looks while a batch update holds the screen

Method = TypeVar("Method", bound=Callable[..., Any])


def is_live(node: MessagePump) -> bool:
    """True while ``node`` is attached and its screen is on the app's screen stack."""
    try:
        if not node.is_attached:
            return False
        screen = node if isinstance(node, Screen) else node.screen  # type: ignore[attr-defined]
        return screen in node.app.screen_stack
    except Exception:  # no app, no screen (being removed): not live
        return False


def live_only(method: Method) -> Method:
    """Decorate a screen's or widget's method to do nothing once it is no longer live."""

    @functools.wraps(method)
    def guarded(self: MessagePump, *args: Any, **kwargs: Any) -> Any:
        if not is_live(self):
            return None
        return method(self, *args, **kwargs)

    return guarded  # type: ignore[return-value]


def _batching(node: MessagePump) -> bool:
    # Textual keeps the depth of App.batch_update() here; absent, assume none.
    return bool(getattr(node.app, "_batch_count", 0))


def after_first_paint(node: MessagePump, callback: Callable[[], object]) -> None:
    """Call ``callback`` (on ``node``'s thread) once a refresh has been drawn.

    Never called if ``node`` stops being live (its screen popped or replaced) first.
    """
    clear = False

    def check() -> None:
        nonlocal clear
        if not is_live(node):
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
