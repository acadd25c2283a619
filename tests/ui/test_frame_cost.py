"""What a training costs the main thread and the memory (issue 11), checked by
behaviour, not time: frames lay nothing out, a replaced experiment is freed by
reference counting, and the app's lasting objects are left out of collections.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from tests.ui.conftest import REAL_COURSE, settle, until
from tui_workshop.i18n import set_language
from tui_workshop.ui import textual_fixes
from tui_workshop.ui.app import WorkshopApp
from tui_workshop.ui.screens.lesson import LessonScreen
from tui_workshop.ui.widgets.static_text import set_static

GOAL_LESSON = "cnn-digits"  # its goal exercise shows a live figure on every frame


@pytest.fixture
def layouts(monkeypatch) -> list[str]:
    """The widgets that asked for a layout pass, while the list is being filled."""
    asked: list[str] = []
    refresh = Widget.refresh

    def spy(self: Widget, *regions: Any, **options: Any) -> Widget:
        if options.get("layout") or options.get("recompose"):
            asked.append(f"{type(self).__name__}#{self.id}")
        return refresh(self, *regions, **options)

    monkeypatch.setattr(Widget, "refresh", spy)
    return asked


class Lines(App):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("one line", id="line")


async def test_a_static_is_laid_out_again_only_when_its_height_changes(layouts) -> None:
    async with Lines().run_test(size=(30, 10)) as pilot:
        line = pilot.app.query_one("#line", Static)
        await settle(pilot)
        layouts.clear()
        set_static(line, "another line")
        set_static(line, "another line")  # unchanged: nothing at all
        await settle(pilot)
        assert layouts == [], layouts
        assert line.render().plain == "another line"
        set_static(line, "a line long enough to wrap over the thirty columns")
        assert layouts == ["Static#line"]
        await settle(pilot)
        assert line.size.height == 2


def lesson_screen(app: WorkshopApp) -> LessonScreen:
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    return screen


async def test_training_frames_lay_nothing_out(make_real_app, layouts) -> None:
    """Each frame changes the status, the plots and the goal's live figure; none of
    them changes a widget's size, so no frame asks for a layout of the screen."""
    lesson = next(x for x in REAL_COURSE.lessons if x.id == GOAL_LESSON)
    assert any(e.kind == "goal" for e in lesson.exercises)
    app = make_real_app(GOAL_LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = lesson_screen(app)
        await until(pilot, lambda: screen.experiment is not None)
        for _ in range(2):
            await pilot.press("f10")  # 5 epochs/s: frames well before the end
        await pilot.press("f5")
        # The first epochs' message line goes away (a layout, rightly) by epoch 8.
        await until(pilot, lambda: screen.last_frame is not None and screen.last_frame.step >= 8)
        assert screen.last_frame.message is None
        await settle(pilot)
        layouts.clear()
        first = screen.last_frame.step
        await until(pilot, lambda: screen.last_frame.step >= first + 4)  # about 4 frames
        assert screen.playing and not screen.experiment.done
        assert layouts == [], layouts


async def test_a_replaced_experiment_is_freed_without_the_cyclic_collector(
    make_real_app,
) -> None:
    """After a run and F9 the old experiment (megabytes of arrays) goes as soon as
    the new one replaces it, not at the next full collection."""
    app = make_real_app(GOAL_LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = lesson_screen(app)
        await until(pilot, lambda: screen.experiment is not None)
        gc.disable()  # from the run's start: what it leaves must go by reference counts
        try:
            await pilot.press("f5")
            await until(pilot, lambda: not screen.playing and screen.experiment.done)
            old = weakref.ref(screen.experiment)
            await pilot.press("f9")
            await until(pilot, lambda: screen.experiment is not old())
            await settle(pilot)
            assert old() is None
        finally:
            gc.enable()


async def test_the_apps_lasting_objects_are_frozen_until_the_course_changes(
    make_store,
) -> None:
    app = WorkshopApp(REAL_COURSE, make_store(), "neuron", freeze_lasting=True)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, LessonScreen))
            english = app.screen
            assert gc.get_freeze_count() > 0
            assert app.switch_language("pt-BR")
            assert gc.get_freeze_count() == 0
            await until(pilot, lambda: app.screen is not english)
            assert app.screen.lesson.title != english.lesson.title
    finally:
        gc.unfreeze()
        set_language("en")


async def test_a_test_app_freezes_nothing(make_real_app) -> None:
    """Only the app of a process (run_app) freezes: tests run many apps in one."""
    gc.unfreeze()
    app = make_real_app("neuron")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert gc.get_freeze_count() == 0


class TwoLines(App):
    def compose(self) -> ComposeResult:
        yield Static("changes", id="top")
        yield Static("stays", id="bottom")


async def test_a_partial_update_draws_only_the_widgets_in_it(monkeypatch) -> None:
    """Textual picked the widgets of a partial update by their container's clip:
    a change to one line drew every line of the screen (ui/textual_fixes.py)."""
    assert textual_fixes.PARTIAL_UPDATES_CROPPED  # the Textual this project pins
    drawn: list[str | None] = []
    render_lines = Widget.render_lines

    def spy(self: Widget, crop: Any) -> Any:
        drawn.append(self.id)
        return render_lines(self, crop)

    monkeypatch.setattr(Widget, "render_lines", spy)
    async with TwoLines().run_test(size=(30, 10)) as pilot:
        top = pilot.app.query_one("#top", Static)
        await settle(pilot)
        drawn.clear()
        set_static(top, "changed")
        await settle(pilot)
        assert "top" in drawn
        assert "bottom" not in drawn
        assert pilot.app.query_one("#bottom", Static).render().plain == "stays"
