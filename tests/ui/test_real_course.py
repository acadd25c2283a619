"""Pilot tests on the shipped course: every lesson, every kind of exercise.

The other UI tests use a small fixture course; these drive the real lessons
in lessons/en through the app, at 80x24 and 120x40.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, RadioSet, Static

from tests.ui.conftest import REAL_COURSE, settle, to_exercises, type_into, until, wait_workers
from tui_workshop.ui.screens import LessonScreen
from tui_workshop.ui.widgets.exercise_box import ExerciseBox
from tui_workshop.ui.widgets.param_panel import ParamPanel


def errors_shown(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_lesson_opens_pages_through_and_steps(make_real_app, size):
    app = make_real_app(start_lesson=REAL_COURSE.lessons[0].id)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for lesson in REAL_COURSE.lessons:
            screen = app.screen
            assert isinstance(screen, LessonScreen) and screen.lesson.id == lesson.id
            assert screen.last_frame is not None and screen.last_frame.panels, lesson.id
            for page in range(len(lesson.pages)):
                assert screen.page == page
                await pilot.press("f4")
            await pilot.pause()
            if screen.experiment.trainable and not screen.experiment.done:
                before = screen.experiment.steps_done
                await pilot.press("f6", "f6")
                await wait_workers(app)  # F6 steps in a worker
                await settle(pilot)
                assert screen.experiment.steps_done > before, lesson.id
                assert screen.last_frame.step >= 1, lesson.id
            assert screen.last_frame.level != "error", (lesson.id, screen.last_frame.message)
            assert not errors_shown(app), (lesson.id, errors_shown(app))
            await pilot.press("f8")
            await settle(pilot)
        assert app.screen.lesson.id == REAL_COURSE.lessons[-1].id


def first_exercise(kind: str):
    for lesson in REAL_COURSE.lessons:
        for index, exercise in enumerate(lesson.exercises):
            if exercise.kind == kind:
                return lesson, index, exercise
    raise AssertionError(f"no {kind} exercise in the course")


async def open_exercise(pilot, app, lesson, index) -> ExerciseBox:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, LessonScreen) and screen.lesson.id == lesson.id
    await to_exercises(pilot, screen)
    box = screen.query_one(ExerciseBox)
    await box.show_exercise(index)
    await settle(pilot)
    return box


async def answer(pilot, box: ExerciseBox, text: str) -> str:
    await type_into(pilot, box.query_one("#eb-input", Input), text)
    return str(box.query_one("#eb-feedback", Static).render())


def as_text(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(as_text(v) for v in value) + "]"
    return repr(float(value))


async def test_numeric_exercise_right_wrong_and_malformed(make_real_app):
    lesson, index, exercise = first_exercise("numeric")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await open_exercise(pilot, app, lesson, index)
        malformed = await answer(pilot, box, "2*(3")
        assert malformed.startswith("?"), malformed
        wrong_value = -float(exercise.answer) if exercise.answer else 123.0
        wrong = await answer(pilot, box, repr(wrong_value))
        assert wrong.startswith(("✗", "≈")), wrong
        assert exercise.id not in app.lesson_progress(lesson.id).completed
        right = await answer(pilot, box, as_text(exercise.answer))
        assert right.startswith("✓"), right
        assert exercise.id in app.lesson_progress(lesson.id).completed


async def test_numeric_answer_accepts_arithmetic(make_real_app):
    lesson = REAL_COURSE.by_id("neuron")
    index = next(i for i, ex in enumerate(lesson.exercises) if ex.id == "sigmoid")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await open_exercise(pilot, app, lesson, index)
        feedback = await answer(pilot, box, "1/(1+exp(-0.58))")
        assert feedback.startswith("✓"), feedback


async def test_vector_exercise_right_wrong_shape_and_malformed(make_real_app):
    lesson, index, exercise = first_exercise("vector")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await open_exercise(pilot, app, lesson, index)
        flat = exercise.answer if not isinstance(exercise.answer[0], (list, tuple)) else None
        short = "[1]" if flat is None or len(flat) > 1 else "[1, 2]"
        wrong_shape = await answer(pilot, box, short)
        assert wrong_shape.startswith(("✗", "?")), wrong_shape
        assert any(word in wrong_shape for word in ("expected", "values", "shape", "matrix"))
        malformed = await answer(pilot, box, "[1, ,")
        assert malformed.startswith("?"), malformed
        right = await answer(pilot, box, as_text(exercise.answer))
        assert right.startswith("✓"), right
        assert exercise.id in app.lesson_progress(lesson.id).completed


async def test_choice_exercise_wrong_then_right(make_real_app):
    lesson, index, exercise = first_exercise("choice")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await open_exercise(pilot, app, lesson, index)
        radios = box.query_one("#eb-choices", RadioSet)
        buttons = list(radios.query("RadioButton"))
        wrong = (int(exercise.answer) + 1) % len(buttons)
        for choice, mark in ((wrong, ("✗",)), (int(exercise.answer), ("✓",))):
            buttons[choice].value = True
            for _ in range(20):  # the RadioSet takes the change in its own message
                await pilot.pause()
                if radios.pressed_index == choice:
                    break
            assert radios.pressed_index == choice
            check = box.query_one("#eb-check")
            check.focus()  # the keyboard way: focus Check, press Enter
            for _ in range(20):
                await pilot.pause()
                if app.focused is check:
                    break
            assert app.focused is check
            # A Button ignores a press while its 0.2 s press effect lasts (-active).
            await until(pilot, lambda check=check: not check.has_class("-active"))
            await pilot.press("enter")
            feedback = ""
            for _ in range(50):  # the check answers through the widget's own messages
                await settle(pilot)
                feedback = str(box.query_one("#eb-feedback", Static).render())
                if feedback.startswith(mark):
                    break
            assert feedback.startswith(mark), (choice, feedback)
        assert exercise.id in app.lesson_progress(lesson.id).completed


async def test_goal_exercise_is_reached_by_changing_parameters(make_real_app):
    lesson = REAL_COURSE.by_id("neuron")
    goal = next(ex for ex in lesson.exercises if ex.id == "separate")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.last_frame.metrics["accuracy"] < goal.target
        assert goal.id not in app.lesson_progress(lesson.id).completed
        panel = screen.query_one(ParamPanel)
        for name, text in (("w1", "1"), ("w2", "1"), ("b", "0")):
            await type_into(pilot, panel.control(name), text)
        await wait_workers(app)
        await settle(pilot)
        assert screen.last_frame.metrics["accuracy"] >= goal.target
        assert goal.id in app.lesson_progress(lesson.id).completed


async def test_each_kind_of_parameter_in_the_playground(make_real_app):
    lesson = REAL_COURSE.by_id("playground")
    app = make_real_app(start_lesson=lesson.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        panel = screen.query_one(ParamPanel)

        async def set_param(name: str, text: str) -> None:
            await type_into(pilot, panel.control(name), text)

        # float: a valid value is applied and saved; junk and out-of-range values are refused
        await set_param("learning_rate", "0.1")
        assert screen.experiment.params["learning_rate"] == 0.1
        assert app.lesson_progress(lesson.id).params["learning_rate"] == 0.1
        for junk in ("abc", "1e9"):
            await set_param("learning_rate", junk)
            assert screen.experiment.params["learning_rate"] == 0.1, junk
            assert panel.values["learning_rate"] == 0.1
        # int: hidden layers
        await set_param("layers", "3")
        assert screen.experiment.params["layers"] == 3
        assert len(screen.experiment.model.params) == 2 * 4
        await set_param("layers", "2.5")
        assert screen.experiment.params["layers"] == 3
        # bool: switching a feature on adds an input to the network
        inputs = screen.experiment.model.params[0].shape[0]
        box = panel.control("feat_x1x2")
        assert box.value is False
        box.focus()
        await pilot.press("space")
        await settle(pilot)
        assert screen.experiment.params["feat_x1x2"] is True
        assert screen.experiment.model.params[0].shape[0] == inputs + 1
        # choice: the data set
        select = panel.control("dataset")
        select.value = "xor"
        await settle(pilot)
        assert screen.experiment.params["dataset"] == "xor"
        assert app.lesson_progress(lesson.id).params["dataset"] == "xor"


async def test_ctrl_n_shows_the_panels_that_do_not_fit(make_real_app):
    from tui_workshop.ui.widgets.experiment_view import ExperimentView

    app = make_real_app(start_lesson="playground")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 4)
        view = app.screen.query_one(ExperimentView)
        count = len(view.panel_widgets)
        first = list(view._visible)
        assert 0 < len(first) < count  # at 80x24 not every panel fits
        seen = set(first)
        for _ in range(count):
            await pilot.press("ctrl+n")
            await settle(pilot)
            seen.update(view._visible)
        assert seen == set(range(count))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_overview_shows_the_three_parts_break_and_discussion(make_real_app, size):
    from textual.widgets import DataTable

    from tui_workshop.ui.screens import OverviewScreen

    app = make_real_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if not isinstance(app.screen, OverviewScreen):
            await pilot.press("escape")
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        table = screen.query_one("#lessons", DataTable)
        titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        plan = REAL_COURSE.schedule
        headings = [t for t in titles if t.startswith("Part ")]
        assert headings == [f"Part {p.number}: {p.title}" for p in plan.parts]
        assert titles.index("— " + plan.pause.title) == titles.index(headings[2]) - 1
        assert titles[-1] == "— " + plan.discussion.title
        assert table.row_count == len(REAL_COURSE.lessons) + 5
        # a heading is not a lesson: Enter on it opens nothing, the pane describes the part
        table.move_cursor(row=titles.index(headings[1]))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        pane = str(screen.query_one("#lesson-objectives", Static).render())
        assert pane.startswith(headings[1])
        assert "The plan: core lessons" in pane and "of 2 h 30 min" in pane
        # the row below the heading is the part's first lesson, and Enter opens it
        await pilot.press("down", "enter")
        await settle(pilot)
        first = REAL_COURSE.lessons_of_part(2)[0]
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == first.id
