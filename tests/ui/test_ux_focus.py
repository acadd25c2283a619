"""Focus and keys (issue 10): typing an answer never changes the run, focus goes where it shows.

- Entering the Exercises view (ctrl+t at 80x24, where the panes are zoomed)
  focuses its first answer field, so what the student types lands there.
- Keys bound to state changes (``+``, ``-``...) never fire while an answer
  field has focus; they still work elsewhere.
- After "Next ›" the first Tab reaches a visible element.
"""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.conftest import REAL_COURSE, settle, to_exercises
from tests.ui.test_real_course import first_exercise
from tui_workshop.ui.screens import LessonScreen
from tui_workshop.ui.widgets.exercise_box import ExerciseBox


async def test_ctrl_t_into_exercises_focuses_the_answer_and_plus_types(make_real_app):
    lesson, index, _exercise = first_exercise("numeric")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        box = screen.query_one(ExerciseBox)
        await box.show_exercise(index)
        await settle(pilot)
        await to_exercises(pilot, screen)
        field = box.query_one("#eb-input", Input)
        assert app.focused is field
        speed = screen.speed_index
        await pilot.press(*"0.5*1-0.2*2+0.1+")
        await settle(pilot)
        assert field.value == "0.5*1-0.2*2+0.1+"
        assert screen.speed_index == speed  # "+" typed, not "faster"


def visible(widget) -> bool:
    """On screen: a non-empty region inside the screen (hidden panes have none)."""
    region = widget.region
    return bool(region.area) and bool(region.intersection(widget.screen.region).area)


async def test_keys_typed_on_the_buttons_go_into_the_answer(make_real_app):
    lesson, index, _exercise = first_exercise("numeric")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        box = screen.query_one(ExerciseBox)
        await box.show_exercise(index)
        await to_exercises(pilot, screen)
        box.query_one("#eb-hint").focus()
        await settle(pilot)
        speed = screen.speed_index
        await pilot.press(*"1+2")
        await settle(pilot)
        field = box.query_one("#eb-input", Input)
        assert field.value == "1+2" and app.focused is field
        assert screen.speed_index == speed


async def test_plus_still_changes_the_speed_outside_the_answer(make_real_app):
    lesson, _index, _exercise = first_exercise("numeric")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#pane-text").focus()
        await settle(pilot)
        speed = screen.speed_index
        await pilot.press("plus")
        await settle(pilot)
        assert screen.speed_index != speed


async def test_after_next_focus_and_the_first_tab_stay_visible(make_real_app):
    lesson = next(lesson for lesson in REAL_COURSE.lessons if len(lesson.exercises) >= 3)
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await to_exercises(pilot, screen)
        box = screen.query_one(ExerciseBox)
        box.query_one("#eb-next").focus()
        await settle(pilot)
        await pilot.press("enter")  # Next ›
        await settle(pilot, 4)
        assert box.index == 1
        assert app.focused is not None and visible(app.focused), app.focused
        assert app.focused.id == "eb-next"
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is not None and visible(app.focused), app.focused


async def test_wide_ctrl_t_to_the_exercises_focuses_the_answer(make_real_app):
    lesson, index, _exercise = first_exercise("numeric")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        box = screen.query_one(ExerciseBox)
        await box.show_exercise(index)
        await settle(pilot)
        field = box.query_one("#eb-input", Input)
        for _ in range(3):
            await pilot.press("ctrl+t")
            await settle(pilot)
            if app.focused is field:
                break
        assert app.focused is field
