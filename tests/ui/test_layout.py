"""Layout checks on the shipped course: every page of every lesson, with its experiment
stepped, at 80x24, 100x30 and 120x40, every page of panels shown in turn.

One rendering pass per (lesson, size); on each screen state every registered check
family runs and reports problems as text. To add a family, write a function
``(screen, where) -> list[str]`` and decorate it with ``@check("name")``: it runs in
the same pass (no second rendering of the course) and its problems are reported
under its name.

Families here: ``plot heights`` (a panel shorter than its minimum useful height),
``plot ticks`` (a y tick label more than one row from the value of the row it is
on, or data drawn outside the labelled range), ``plot legends`` (a legend on drawn
data), ``colour scales`` (a heatmap legend that is not the range of the values shown),
``aspect`` (a plane or an image drawn stretched), ``text heights`` (a text or table
panel below its minimum) and ``status first`` (at 80 columns, the status line's first
field, its key figure, cut).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from tests.ui.conftest import settle, wait_workers
from tests.ui.test_real_course import REAL_COURSE
from tui_workshop.ui.screens import LessonScreen
from tui_workshop.ui.widgets.experiment_view import (
    HEATMAP_MIN_HEIGHT,
    PLOT_MIN_HEIGHT,
    PLOT_MIN_ROWS,
    ExperimentView,
)
from tui_workshop.ui.widgets.heatmap import HeatmapWidget, aspect, data_range, fmt
from tui_workshop.ui.widgets.status_line import StatusLine

SIZES = [(80, 24), (100, 30), (120, 40)]


@pytest.fixture
def make_real_app(make_store):
    from tui_workshop.ui.app import WorkshopApp

    def make(start_lesson: str | None = None) -> WorkshopApp:
        return WorkshopApp(REAL_COURSE, make_store(), start_lesson)

    return make


Check = Callable[[LessonScreen, str], list[str]]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register a check family: ``fn(screen, where)`` returns the problems it sees."""

    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def shown(screen: LessonScreen, kind: type) -> list:
    """The widgets of ``kind`` among the panels on screen now."""
    view = screen.query_one(ExperimentView)
    return [
        view.panel_widgets[i]
        for i in view.visible_panels
        if isinstance(view.panel_widgets[i], kind) and view.panel_widgets[i].size.height > 0
    ]


def line_plots(screen: LessonScreen) -> list:
    from tui_workshop.ui.widgets.line_plot import LinePlotWidget

    return shown(screen, LinePlotWidget)


def lines_of(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def is_braille(char: str) -> bool:
    return "\u2800" < char <= "\u28ff"


def is_data(char: str) -> bool:
    """A cell plotext draws data with: braille, or a point/line marker."""
    from tui_workshop.ui import palette

    return "\u2800" < char <= "\u28ff" or char in (*palette.ROLE_MARKERS, *palette.LINE_MARKERS)


# ------------------------------------------------------------------ line plots
@check("plot heights")
def plots_tall_enough(screen: LessonScreen, where: str) -> list[str]:
    problems = []
    for widget in line_plots(screen):
        widget.render()
        axis = widget.axis
        rows = axis["rows"] if axis else 0
        if rows < PLOT_MIN_ROWS:
            problems.append(
                f"{where}: line plot {widget.border_title!r} has {rows} rows of data "
                f"(height {widget.size.height}, minimum {PLOT_MIN_HEIGHT})"
            )
    for widget in shown(screen, HeatmapWidget):
        if widget.size.height < HEATMAP_MIN_HEIGHT - 1:  # the title border is outside size
            problems.append(
                f"{where}: heatmap {widget.border_title!r} is {widget.size.height} rows "
                f"(minimum {HEATMAP_MIN_HEIGHT - 1} inside its border)"
            )
    return problems


@check("plot ticks")
def ticks_on_their_rows(screen: LessonScreen, where: str) -> list[str]:
    from tui_workshop.ui.widgets.line_plot import parse_tick

    problems = []
    for widget in line_plots(screen):
        widget.render()
        axis = widget.axis
        if axis is None:
            continue
        bottom, top = axis["y_range"]
        rows, first, log = axis["rows"], axis["first_row"], axis["log"]
        span = (top - bottom) / (rows - 1)  # plotext: top row = top, bottom row = bottom
        lines = lines_of(widget)
        labelled = 0
        for r in range(rows):
            text = lines[first + r]
            label, bar, _ = text.partition("┤")
            if not bar or not label.strip():
                continue
            labelled += 1
            value = parse_tick(label, log)
            row_value = top - r * span
            if abs(value - row_value) > span * (1 + 1e-9):
                problems.append(
                    f"{where}: {widget.border_title!r}: tick {label.strip()} on a row worth "
                    f"{row_value:.4g} (one row = {span:.3g})"
                )
        if labelled < min(2, rows):
            problems.append(f"{where}: {widget.border_title!r}: {labelled} y tick labels")
        # The labelled range is the range the data is drawn in.
        panel = widget.panel
        if panel.ylim is None:
            ys = [np.asarray(s.y, dtype=float) for s in panel.series]
            ys = [y[np.isfinite(y) & ((y > 0) if log else True)] for y in ys]
            ys = [np.log10(y) if log else y for y in ys if y.size]
            if ys:
                low, high = min(float(y.min()) for y in ys), max(float(y.max()) for y in ys)
                if low < bottom - span * 1e-6 or high > top + span * 1e-6:
                    problems.append(
                        f"{where}: {widget.border_title!r}: data {low:.4g}..{high:.4g} "
                        f"outside the axis {bottom:.4g}..{top:.4g}"
                    )
    return problems


@check("plot legends")
def legends_clear_of_data(screen: LessonScreen, where: str) -> list[str]:
    problems = []
    for widget in line_plots(screen):
        widget.render()
        axis = widget.axis
        labels = [str(s.label) for s in widget.panel.series if str(s.label)]
        if axis is None or not labels:
            continue
        lines = lines_of(widget)
        canvas = lines[axis["first_row"] : axis["first_row"] + axis["rows"]]
        header = lines[: axis["first_row"]]
        # The legend is in the header, which has no data cells; data rows hold no legend.
        if not any(any(label in line for label in labels) for line in header):
            problems.append(f"{where}: {widget.border_title!r}: no legend above the data")
        if any(is_braille(ch) for line in header for ch in line):
            problems.append(f"{where}: {widget.border_title!r}: data in the legend row")
        for line in canvas:
            for label in labels:
                if len(label) > 2 and label in line:
                    problems.append(
                        f"{where}: {widget.border_title!r}: legend {label!r} among the data"
                    )
    for widget in shown(screen, HeatmapWidget):
        geo = widget.geometry()
        lines = lines_of(widget)
        legend = lines[geo["grid_rows"] + geo["axis"] :][: geo["legend"]]
        if geo["legend"] and len(legend) < geo["legend"]:
            problems.append(f"{where}: {widget.border_title!r}: legend lines cut")
        grid = [line[geo["gutter"] : geo["gutter"] + geo["cols"]] for line in lines]
        grid = grid[: geo["grid_rows"]]
        for series in widget.panel.points:
            label = str(series.label)
            if len(label) > 2 and any(label in line for line in grid):
                problems.append(f"{where}: {widget.border_title!r}: {label!r} on the grid")
    return problems


# -------------------------------------------------------------------- heatmaps
@check("colour scales")
def colour_scale_is_data_range(screen: LessonScreen, where: str) -> list[str]:
    problems = []
    for widget in shown(screen, HeatmapWidget):
        geo = widget.geometry()
        if not geo["legend"]:
            continue
        found = data_range(widget.panel.z)
        if found is None:
            continue
        scale = widget.render_line(geo["grid_rows"] + geo["axis"] + geo["legend"] - 1).text
        low, high = fmt(found[0]), fmt(found[1])
        if not scale.rstrip().endswith(" " + high) or f"{low} " not in scale:
            problems.append(
                f"{where}: {widget.border_title!r}: legend {scale.strip()!r} is not the "
                f"range of the values shown, {low}..{high}"
            )
    return problems


@check("aspect")
def planes_keep_their_shape(screen: LessonScreen, where: str) -> list[str]:
    problems = []
    for widget in shown(screen, HeatmapWidget):
        ratio = aspect(widget.panel)
        if ratio is None:
            continue
        geo = widget.geometry()
        cols, rows = geo["cols"], geo["grid_rows"]
        # A cell is twice as tall as wide: cols ≈ 2·ratio·rows, to one row or column.
        if abs(cols - 2 * ratio * rows) > max(2 * ratio, 1) + 1e-9:
            problems.append(
                f"{where}: {widget.border_title!r}: {cols}×{rows} cells for a "
                f"{ratio:.3g}:1 rectangle"
            )
        # The y labels are the values at the top and bottom edges, one row at most away.
        lines = lines_of(widget)
        (y0, y1), gutter = widget.panel.y_range, geo["gutter"]
        span = abs(y1 - y0) / rows
        for r, expected in ((0, y1), (rows - 1, y0)):
            label = lines[r][:gutter].strip().replace("−", "-")
            centre = y1 - (r + 0.5) * (y1 - y0) / rows
            if label and abs(float(label) - centre) > span:
                problems.append(f"{where}: {widget.border_title!r}: y label {label} on row {r}")
            if label and not math.isclose(float(label), float(fmt(expected)), abs_tol=1e-12):
                problems.append(f"{where}: {widget.border_title!r}: y label {label} ≠ {expected}")
    return problems


# ------------------------------------------------------------ text and tables
READABLE_TEXT_HEIGHT = 6  # the title and five rows (a table: header, rule, three rows)


@check("text heights")
def text_panels_tall_enough(screen: LessonScreen, where: str) -> list[str]:
    """A text or table panel gets its minimum (a table: header, rule, three rows),
    or all it wants when less: never one row under a header."""
    from tui_workshop.ui.widgets.panels import TableWidget, TextPanelWidget, desired_height

    problems = []
    for widget in shown(screen, TableWidget) + shown(screen, TextPanelWidget):
        want = min(desired_height(widget.panel, widget.size.width), READABLE_TEXT_HEIGHT)
        if widget.outer_size.height < want:
            problems.append(
                f"{where}: {widget.border_title!r} is {widget.outer_size.height} rows"
                f" (minimum {want})"
            )
    return problems


# ---------------------------------------------------------------- status line
@check("status first")
def key_figure_drawn_whole(screen: LessonScreen, where: str) -> list[str]:
    """At 80 columns the status line starts with its first field (its key figure, see
    test_layout_status.py) drawn whole, and a cut drops whole fields."""
    view = screen.query_one(ExperimentView)
    frame = view.frame
    if frame is None or not frame.status or screen.size.width > 80:
        return []
    first = str(frame.status).split(" · ")[0]
    status = view.query_one("#ev-status", StatusLine)
    line = status.render_line(0).text
    if not line.lstrip().startswith(first):
        return [f"{where}: status line {line.strip()!r} does not start with {first!r} whole"]
    drawn = line.strip()
    if drawn.endswith("…") and not status.text.startswith(drawn[:-1].rstrip() + " "):
        return [f"{where}: status line {drawn!r} cuts a field (a number) short"]
    return []


# ------------------------------------------------------------------- the pass
async def screen_states(pilot, app, lesson):
    """Yield (screen, where) for every page of ``lesson`` and every page of its panels."""
    screen = app.screen
    for page in range(len(lesson.pages)):
        if page:
            await pilot.press("f4")
            await settle(pilot)
        experiment = screen.experiment
        if experiment.trainable and not experiment.done and experiment.steps_done == 0:
            await pilot.press("f6")
            await wait_workers(app)
            await settle(pilot)
        view = screen.query_one(ExperimentView)
        seen: set[tuple[int, ...]] = set()
        while tuple(view.visible_panels) not in seen:
            seen.add(tuple(view.visible_panels))
            yield screen, f"{lesson.id} page {page + 1} panels {view.visible_panels}"
            if len(view.visible_panels) == len(view.panel_widgets):
                break
            view.cycle_panels()
            await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in REAL_COURSE.lessons])
async def test_layout(make_real_app, lesson_id: str, size: tuple[int, int]) -> None:
    lesson = next(lesson for lesson in REAL_COURSE.lessons if lesson.id == lesson_id)
    app = make_real_app(start_lesson=lesson_id)
    problems: dict[str, list[str]] = {name: [] for name in CHECKS}
    states = 0
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == lesson_id
        async for screen, where in screen_states(pilot, app, lesson):
            states += 1
            for name, fn in CHECKS.items():
                problems[name].extend(fn(screen, f"{where} at {size[0]}x{size[1]}"))
    assert states >= len(lesson.pages)
    report = [f"[{name}] {p}" for name, found in problems.items() for p in dict.fromkeys(found)]
    assert not report, "\n".join(report)


def test_checks_catch_what_they_are_for() -> None:
    """The tick check fails on a label one row away or more; a legend found among data."""
    from tui_workshop.ui.widgets.line_plot import nice_axis, parse_tick, tick_label

    bottom, top, step = nice_axis(9.53e-7, 16.0, 6)
    assert bottom <= 9.53e-7 and top >= 16.0 and bottom == 0.0
    rows = [bottom + k * step for k in range(6)]
    assert all(abs(parse_tick(tick_label(v, step, False)) - v) < step / 2 for v in rows)
    # log: labels read back to their log10 within a row
    bottom, top, step = nice_axis(-6.0, 0.3, 5)
    for k in range(5):
        v = bottom + k * step
        assert abs(parse_tick(tick_label(v, step, True), log=True) - v) < step / 2
    assert is_data("⣀") and is_data("●") and not is_data("t")
