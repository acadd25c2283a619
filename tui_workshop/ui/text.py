"""The UI's side of the catalogues: texts from the layers below turned into str.

``N_("Help")`` marks an English msgid that is translated later, when shown
(binding descriptions, class attributes). :func:`localize` renders every text
of a Frame (status, message, titles, labels, cells) in the current language,
so that widget drawing code works on plain str.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any

from textual.cache import LRUCache

from tui_workshop.i18n import N_ as N_  # re-exported: the UI marks its texts with it
from tui_workshop.i18n import Cat, Msg, Num, get_language, render

TEXT_TYPES = (str, Msg, Num, Cat)
# Fields of Frame, Series and the panels that hold texts (or tuples of them).
_TEXT_FIELDS = frozenset({"status", "message", "title", "text", "label", "xlabel", "ylabel"})
_TEXT_TUPLES = frozenset({"columns", "labels"})
_NESTED = frozenset({"panels", "series", "points"})

_rendered: LRUCache[tuple[str, Any], str] = LRUCache(2048)


def text(value: Any) -> str:
    """``value`` (str, Msg, Num, Cat, None or a number) as str in the current language."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Msg | Cat):
        key = (get_language(), value)
        try:
            cached = _rendered.get(key)
        except TypeError:  # an unhashable argument
            return render(value)
        if cached is None:
            cached = render(value)
            _rendered[key] = cached
        return cached
    return render(value)


def _cell(value: Any) -> Any:
    """A table cell: texts rendered, other values (numbers for the widget to format) kept."""
    return text(value) if isinstance(value, TEXT_TYPES) else value


def _same(new: tuple, old: Any) -> Any:
    """``old`` itself when ``new`` holds the very same items (nothing was rendered)."""
    if len(new) == len(old) and all(a is b for a, b in zip(new, old, strict=True)):
        return old
    return new


def localize(item: Any) -> Any:
    """A Frame (or panel, or Series) whose texts are all str: ``item`` itself when they
    already are, else a copy (arrays shared, not copied)."""
    if not is_dataclass(item) or isinstance(item, type):
        return item
    changes: dict[str, Any] = {}
    for field in fields(item):
        name = field.name
        value = getattr(item, name)
        if name in _TEXT_FIELDS:
            new = value if value is None and name == "message" else text(value)
        elif name in _TEXT_TUPLES and isinstance(value, tuple | list):
            new = _same(tuple(text(v) for v in value), value)
        elif name == "rows" and isinstance(value, tuple | list):
            new = _same(tuple(_same(tuple(_cell(c) for c in row), row) for row in value), value)
        elif name in _NESTED and isinstance(value, tuple | list):
            new = _same(tuple(localize(v) for v in value), value)
        else:
            continue
        if new is not value:
            changes[name] = new
    return replace(item, **changes) if changes else item
