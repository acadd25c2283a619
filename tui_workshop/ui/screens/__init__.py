"""The screens of the workshop app: overview, lesson and the modal helpers."""

from __future__ import annotations

from tui_workshop.ui.screens.confirm import ConfirmScreen
from tui_workshop.ui.screens.help import HelpScreen
from tui_workshop.ui.screens.lesson import LessonScreen
from tui_workshop.ui.screens.overview import OverviewScreen
from tui_workshop.ui.screens.score import ScoreScreen
from tui_workshop.ui.screens.small import TooSmallScreen
from tui_workshop.ui.screens.toc import TocScreen

__all__ = [
    "ConfirmScreen",
    "HelpScreen",
    "LessonScreen",
    "OverviewScreen",
    "ScoreScreen",
    "TocScreen",
    "TooSmallScreen",
]
