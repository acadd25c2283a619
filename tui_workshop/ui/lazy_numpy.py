"""``np`` for UI modules, imported on first use.

The first screen (a lesson's title and text) needs no NumPy; importing it
only when a plot is drawn lets that screen appear sooner.
"""

from __future__ import annotations

import importlib
from typing import Any


class _LazyModule:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(importlib.import_module(self._name), attribute)
        # Kept: the next use finds it at once (a frame uses NumPy dozens of times).
        self.__dict__[attribute] = value
        return value


np: Any = _LazyModule("numpy")
