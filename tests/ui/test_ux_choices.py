"""Nothing cut: long choices wrap, the Preset dropdown has room (issue 10)."""

from __future__ import annotations

from textual.widgets import Select

from tests.ui.conftest import REAL_COURSE, settle, to_exercises
from tui_workshop.ui.widgets.exercise_box import ChoiceButton, ExerciseBox


def drawn_text(app, widget) -> str:
    strips = app.screen._compositor.render_strips()
    region = widget.region
    lines = [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]
    return " ".join(" ".join(lines).split())


def longest_choice():
    best = None
    for lesson in REAL_COURSE.lessons:
        for index, exercise in enumerate(lesson.exercises):
            if exercise.kind == "choice":
                for choice in exercise.choices:
                    if best is None or len(choice) > len(best[2]):
                        best = (lesson, index, choice)
    assert best is not None
    return best


async def test_the_longest_choice_is_shown_whole_at_80x24(make_real_app):
    lesson, index, _choice = longest_choice()
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        box = screen.query_one(ExerciseBox)
        await box.show_exercise(index)
        await to_exercises(pilot, screen)
        await settle(pilot, 3)
        buttons = list(box.query(ChoiceButton))
        assert len(buttons) == len(lesson.exercises[index].choices)
        for button, choice in zip(buttons, lesson.exercises[index].choices, strict=True):
            assert " ".join(choice.split()) in drawn_text(app, button), choice


async def test_the_preset_dropdown_has_room_at_80x24(make_real_app):
    app = make_real_app(start_lesson="playground")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        while screen.pane != "lab":
            await pilot.press("ctrl+t")
            await settle(pilot)
        await settle(pilot, 3)
        picker = screen.query_one("#pp-presets", Select)
        assert picker.region.width >= 20, picker.region
