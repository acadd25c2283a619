"""What keeps the app light: minimal heatmap repaints, throttled live plots,
hidden panels left alone, lazy parameter rows, no overview under a lesson."""

from __future__ import annotations

import numpy as np
from textual.app import App, ComposeResult

from tests.ui.conftest import settle
from tui_workshop.course.model import ParamSpec
from tui_workshop.experiments.base import Frame, Heatmap, Series, TextPanel, frozen_array
from tui_workshop.ui.screens import LessonScreen, OverviewScreen
from tui_workshop.ui.widgets import ExperimentView, HeatmapWidget, ParamPanel
from tui_workshop.ui.widgets.progress_line import ProgressLine, bar_cells
from tui_workshop.ui.widgets.status_line import StatusLine, crop_to

SIZE = (80, 24)


def field(shift: float = 0.0, bump: tuple[int, int] | None = None) -> Heatmap:
    xs = np.linspace(-6, 6, 40)
    grid_x, grid_y = np.meshgrid(xs, np.linspace(-6, 6, 30))
    z = 1 / (1 + np.exp(-(grid_x + grid_y + shift)))
    if bump is not None:  # one far corner flips colour
        row, col = bump
        z[row : row + 2, col : col + 2] = 1.0 - z[row : row + 2, col : col + 2]
    points = (Series("class 0", frozen_array([-4.0]), frozen_array([-4.0]), "points", 0),)
    return Heatmap("Boundary", frozen_array(z), (-6.0, 6.0), (-6.0, 6.0), points, xlabel="x1")


def frame(step: int, heat: Heatmap) -> Frame:
    return Frame(step, f"epoch {step}", (heat, TextPanel("Numbers", f"step {step}")))


class HeatApp(App):
    def compose(self) -> ComposeResult:
        yield HeatmapWidget(field(), id="heat")


class ViewApp(App):
    def __init__(self, first: Frame) -> None:
        super().__init__()
        self.first = first

    def compose(self) -> ComposeResult:
        yield ExperimentView(self.first, id="view")


async def test_heatmap_repaints_only_the_cells_that_change() -> None:
    app = HeatApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = app.query_one(HeatmapWidget)
        cells = widget.grid_size()[0] * widget.grid_size()[1] // 2
        widget.update_panel(field(0.001))  # a tiny change: the same colours
        assert widget.repainted_cells in (0, -1)  # -1: not drawn since the last resize
        await pilot.pause()
        widget.update_panel(field())  # the same picture: nothing to repaint
        assert widget.repainted_cells == 0
        widget.update_panel(field(bump=(0, 0)))  # one corner changes
        assert 0 < widget.repainted_cells < cells // 20
        partial = [list(widget.render_line(y)) for y in range(widget.size.height)]
        # The lines after a partial update equal a full redraw (text and colours).
        widget._lines = None
        assert [list(widget.render_line(y)) for y in range(widget.size.height)] == partial
        # A new range or legend redraws everything.
        shifted = field(bump=(0, 0))
        widget.update_panel(
            Heatmap("Boundary", shifted.z, (-5.0, 5.0), (-6.0, 6.0), shifted.points)
        )
        assert widget.repainted_cells == -1


async def test_live_frames_redraw_plots_at_most_twice_a_second() -> None:
    app = ViewApp(frame(0, field(0.0)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ExperimentView)
        heat, text = view.panel_widgets
        view.show(frame(1, field(1.0)), live=True)  # the first live frame draws
        assert heat.panel.z[0, 0] == field(1.0).z[0, 0]
        view.show(frame(2, field(2.0)), live=True)  # too soon: the heatmap waits
        await pilot.pause()
        assert heat.panel.z[0, 0] == field(1.0).z[0, 0]
        assert text.panel.text == "step 2"  # text and status follow every frame
        assert "epoch 2" in str(app.query_one("#ev-status").render())
        view.show(frame(3, field(3.0)))  # not live (a final frame): everything
        assert heat.panel.z[0, 0] == field(3.0).z[0, 0]


async def test_hidden_panels_are_drawn_when_shown() -> None:
    first = Frame(0, "", (field(0.0), field(0.5), field(0.7), TextPanel("t", "a")))
    app = ViewApp(first)
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.pause()
        view = app.query_one(ExperimentView)
        hidden = [i for i in range(4) if i not in view.visible_panels]
        assert hidden  # 16 rows: not every panel fits
        index = hidden[0]
        newer = Frame(1, "", (field(1.0), field(1.5), field(1.7), TextPanel("t", "b")))
        view.show(newer)
        assert view.panel_widgets[index].panel is first.panels[index]  # left alone
        while index not in view.visible_panels:
            view.cycle_panels()
            await pilot.pause()
        assert view.panel_widgets[index].panel is newer.panels[index]


SPECS = tuple(ParamSpec("int", i, f"value {i}", min=0, max=99, name=f"p{i}") for i in range(12))


class LazyPanelApp(App):
    def compose(self) -> ComposeResult:
        yield ParamPanel(SPECS, {"p3": 42}, lazy=True)


async def test_lazy_param_panel_mounts_its_rows_after_the_first_paint() -> None:
    app = LazyPanelApp()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(ParamPanel)
        panel.set_disabled(["p5"])  # before the rows exist: kept for them
        await settle(pilot)
        assert panel.rows_mounted
        assert panel.control("p3").value == "42"
        assert panel.control("p5").disabled and not panel.control("p4").disabled
        assert len(panel.query(".pp-row")) == len(SPECS)


async def test_a_lesson_opened_at_start_has_no_overview_under_it(make_app) -> None:
    app = make_app(start_lesson="first")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert not any(isinstance(s, OverviewScreen) for s in app.screen_stack)
        assert app.screen.experiment is not None  # built once the page was drawn
        await pilot.press("escape")  # the overview is built now, in the lesson's place
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert len(app.screen_stack) == 2
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        assert len(app.screen_stack) == 3


class BarApp(App):
    def compose(self) -> ComposeResult:
        yield ProgressLine(id="bar")


def test_progress_line_draws_what_textuals_bar_draws() -> None:
    from rich.console import Console
    from textual.renderables.bar import Bar

    console = Console(width=32, color_system=None)
    for fraction in (0.0, 0.016, 0.03, 0.11, 0.5, 0.99, 1.0):
        with console.capture() as captured:
            console.print(Bar((0, 32 * fraction), width=32), end="")
        done, rest = bar_cells(fraction, 32)
        assert done + rest == captured.get()


async def test_progress_line_repaints_only_when_its_value_changes() -> None:
    app = BarApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.query_one(ProgressLine)
        bar.update(progress=0.25)
        await pilot.pause()
        assert "".join(s.text for s in bar.render_line(0)).rstrip().endswith("25%")
        repaints = []
        bar.refresh = lambda *a, **k: repaints.append(a)  # type: ignore[method-assign]
        bar.update(progress=0.25)
        assert repaints == []
        bar.update(progress=1.5)  # clipped
        assert len(repaints) == 1 and bar.progress == 1.0


class StatusApp(App):
    def compose(self) -> ComposeResult:
        yield StatusLine("ready", id="status")


def test_status_line_crops_with_an_ellipsis() -> None:
    assert crop_to("epoch 12", 10) == "epoch 12"
    assert crop_to("epoch 12 · loss 0.25", 10) == "epoch 12 …"
    # whole fields dropped from the end: a number is never cut
    status = "F1 0.957 · recall 0.950 · precision 0.952 │ paused · 20/s"
    assert crop_to(status, 40) == "F1 0.957 · recall 0.950 …"
    assert crop_to(status, 43) == "F1 0.957 · recall 0.950 · precision 0.952 …"
    assert crop_to("precision 0.952", 12) == "precision 0…"  # one field: cut, shown with …
    assert crop_to("数字数字", 5) == "数字…"  # wide characters: cells, not characters
    assert crop_to("x", 0) == ""


async def test_status_line_repaints_only_when_its_text_changes() -> None:
    app = StatusApp()
    async with app.run_test(size=(12, 3)) as pilot:
        await pilot.pause()
        line = app.query_one(StatusLine)
        line.update("epoch 1 · loss 0.5")
        await pilot.pause()
        assert "".join(s.text for s in line.render_line(0)) == "epoch 1 …"
        assert str(line.render()) == "epoch 1 · loss 0.5"
        repaints = []
        line.refresh = lambda *a, **k: repaints.append(a)  # type: ignore[method-assign]
        line.update("epoch 1 · loss 0.5")
        assert repaints == []
        line.update("epoch 2 · loss 0.4")
        assert len(repaints) == 1
