"""The screens of the workshop app: overview, lesson and the modal helpers.

Each screen's module is imported when the screen is first asked for (start-up
needs the lesson screen only).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_workshop.ui.screens.confirm import ConfirmScreen
    from tui_workshop.ui.screens.help import HelpScreen
    from tui_workshop.ui.screens.lesson import LessonScreen
    from tui_workshop.ui.screens.overview import OverviewScreen
    from tui_workshop.ui.screens.score import ScoreScreen
    from tui_workshop.ui.screens.small import TooSmallScreen
    from tui_workshop.ui.screens.toc import TocScreen

# Screen class -> the module defining it.
MODULES = {
    "ConfirmScreen": "confirm",
    "HelpScreen": "help",
    "LessonScreen": "lesson",
    "OverviewScreen": "overview",
    "ScoreScreen": "score",
    "TocScreen": "toc",
    "TooSmallScreen": "small",
}

__all__ = [
    "ConfirmScreen",
    "HelpScreen",
    "LessonScreen",
    "OverviewScreen",
    "ScoreScreen",
    "TocScreen",
    "TooSmallScreen",
]


def __getattr__(name: str):
    module = MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
