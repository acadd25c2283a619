"""Reusable widgets of the workshop app.

- :class:`ExperimentView` draws experiment frames (see ``experiment_view``);
- panel widgets, one per panel kind (see ``panels`` and ``heatmap``);
- :class:`ParamPanel` edits a lesson's parameters (see ``param_panel``);
- :class:`ExerciseBox` runs a lesson's exercises (see ``exercise_box``).
"""

from __future__ import annotations

from tui_workshop.ui import textual_fixes  # noqa: F401 (applied on import)
from tui_workshop.ui.widgets.experiment_view import ExperimentView
from tui_workshop.ui.widgets.heatmap import HeatmapWidget
from tui_workshop.ui.widgets.panels import (
    BarsWidget,
    TableWidget,
    TextPanelWidget,
    make_panel_widget,
    panels_equal,
)
from tui_workshop.ui.widgets.param_panel import ParamPanel


def __getattr__(name: str):
    if name == "ExerciseBox":  # imported with the first lesson that has exercises
        from tui_workshop.ui.widgets.exercise_box import ExerciseBox

        return ExerciseBox
    if name == "LinePlotWidget":  # plotext is imported with the first line plot
        from tui_workshop.ui.widgets.line_plot import LinePlotWidget

        return LinePlotWidget
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BarsWidget",
    "ExerciseBox",
    "ExperimentView",
    "HeatmapWidget",
    "LinePlotWidget",
    "ParamPanel",
    "TableWidget",
    "TextPanelWidget",
    "make_panel_widget",
    "panels_equal",
]
