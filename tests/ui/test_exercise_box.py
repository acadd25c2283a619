"""ExerciseBox: checking answers, hints, solutions, navigation and live goals (Pilot, 80x24)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, RadioSet

from tests.ui.conftest import type_into
from tui_workshop.course.model import Exercise
from tui_workshop.ui.widgets import ExerciseBox

EXERCISES = (
    Exercise(
        "z",
        "numeric",
        "Compute z = 0.5·1.2 + 0.1",
        answer=0.7,
        tolerance=0.01,
        hints=("Multiply first.", "0.5·1.2 = 0.6"),
        solution="z = 0.6 + 0.1 = 0.7",
    ),
    Exercise("act", "choice", "Which is zero for negative inputs?", answer=1,
             choices=("tanh", "relu", "sigmoid")),
    Exercise("reach", "goal", "Reach 90% accuracy", metric="val_accuracy", op=">=",
             target=0.9, constraints={"layers": "<=2"}),
)


class BoxApp(App):
    def __init__(self, **state) -> None:
        super().__init__()
        self.state = state
        self.seen: list = []

    def compose(self) -> ComposeResult:
        yield ExerciseBox(EXERCISES, **self.state)

    def on_exercise_box_solved(self, message: ExerciseBox.Solved) -> None:
        self.seen.append(("solved", message.exercise_id))

    def on_exercise_box_hint_shown(self, message: ExerciseBox.HintShown) -> None:
        self.seen.append(("hint", message.exercise_id, message.n))

    def on_exercise_box_solution_shown(self, message: ExerciseBox.SolutionShown) -> None:
        self.seen.append(("solution", message.exercise_id))


def shown(box: ExerciseBox, ident: str) -> str:
    widget = box.query_one(ident)
    return str(widget.render()) if widget.display else ""


async def click(pilot, box: ExerciseBox, ident: str) -> None:
    """Click a button with its 0.2 s press effect off (repeated clicks count)."""
    box.query_one(ident).active_effect_duration = 0
    await pilot.click(ident)
    await pilot.pause()


async def answer(pilot, box: ExerciseBox, text: str) -> None:
    await type_into(pilot, box.query_one("#eb-input", Input), text)


async def test_right_answer_posts_solved_once() -> None:
    app = BoxApp()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(ExerciseBox)
        await pilot.pause()
        assert "Exercise 1/3" in shown(box, "#eb-title")
        assert "0.5·1.2" in shown(box, "#eb-prompt")
        await answer(pilot, box, "0.5*1.2+0.1")
        assert app.seen == [("solved", "z")]
        assert "z" in box.completed
        assert shown(box, "#eb-feedback").startswith("✓")
        assert "✓" in shown(box, "#eb-title")
        await click(pilot, box, "#eb-check")
        assert app.seen == [("solved", "z")]  # not posted twice


async def test_wrong_answer_shows_feedback() -> None:
    app = BoxApp()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(ExerciseBox)
        await answer(pilot, box, "3")
        assert app.seen == []
        feedback = shown(box, "#eb-feedback")
        assert feedback and not feedback.startswith("✓")
        assert "z" not in box.completed
        await answer(pilot, box, "what")
        assert shown(box, "#eb-feedback") != feedback  # unreadable text: another message


async def test_hints_one_at_a_time_then_solution() -> None:
    app = BoxApp()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(ExerciseBox)
        await pilot.pause()
        assert shown(box, "#eb-hints") == ""
        await click(pilot, box, "#eb-hint")
        assert "Multiply first." in shown(box, "#eb-hints")
        assert "0.5·1.2 = 0.6" not in shown(box, "#eb-hints")
        await click(pilot, box, "#eb-hint")
        assert "0.5·1.2 = 0.6" in shown(box, "#eb-hints")
        await click(pilot, box, "#eb-hint")  # no third hint
        assert app.seen == [("hint", "z", 1), ("hint", "z", 2)]
        assert box.hints_shown == {"z": 2}
        assert shown(box, "#eb-solution-text") == ""
        await click(pilot, box, "#eb-solution")
        assert "z = 0.6 + 0.1 = 0.7" in shown(box, "#eb-solution-text")
        assert app.seen[-1] == ("solution", "z") and box.revealed == {"z"}


async def test_navigation_choice_and_restored_state() -> None:
    app = BoxApp(completed={"act"}, hints_shown={"z": 1}, revealed={"z"})
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(ExerciseBox)
        await pilot.pause()
        assert "Multiply first." in shown(box, "#eb-hints")  # restored
        assert "z = 0.6" in shown(box, "#eb-solution-text")
        assert box.query_one("#eb-prev").disabled
        await click(pilot, box, "#eb-next")
        assert box.current.id == "act" and "✓" in shown(box, "#eb-title")
        await click(pilot, box, "#eb-check")
        assert shown(box, "#eb-feedback")  # asks to choose first
        radio = box.query_one("#eb-choices", RadioSet)
        radio.focus()
        await pilot.press("enter")  # the first choice: tanh, wrong
        await click(pilot, box, "#eb-check")
        assert "tanh" in shown(box, "#eb-feedback")
        assert not shown(box, "#eb-feedback").startswith("✓")
        radio.focus()
        await pilot.press("down", "enter")  # relu
        await click(pilot, box, "#eb-check")
        assert shown(box, "#eb-feedback").startswith("✓")
        assert app.seen == []  # it was already solved: no second Solved
        await box.show_exercise(0)
        await pilot.pause()
        assert box.current.id == "z"


async def test_goal_is_checked_live_from_metrics() -> None:
    app = BoxApp(index=2)
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one(ExerciseBox)
        await pilot.pause()
        assert "Goal: validation accuracy at least 0.9" in shown(box, "#eb-goal")
        box.set_metrics({"val_accuracy": 0.8}, {"layers": 1})
        await pilot.pause()
        assert "0.8" in shown(box, "#eb-goal-status") and app.seen == []
        box.set_metrics({"val_accuracy": 0.95}, {"layers": 3})  # constraint broken
        await pilot.pause()
        assert app.seen == [] and "layers" in shown(box, "#eb-goal-status")
        box.set_metrics({"val_accuracy": 0.95}, {"layers": 2})
        await pilot.pause()
        assert app.seen == [("solved", "reach")]
        assert shown(box, "#eb-goal-status").startswith("✓")


async def test_goal_text_shows_the_lessons_labels_not_internal_names() -> None:
    from tui_workshop.course.loader import load_course

    lesson = next(one for one in load_course("lessons/en").lessons if one.number == 10)
    goal = next(e for e in lesson.exercises if e.kind == "goal")

    class LessonBox(App):
        def compose(self) -> ComposeResult:
            yield ExerciseBox((goal,), lesson=lesson)

    app = LessonBox()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = shown(app.query_one(ExerciseBox), "#eb-goal")
        assert "mode: one cure" in text and "cure other than no cure" in text
        assert "hidden units at least 64" in text
        for internal in ("mode single", "!=none", ">=64", "hidden >="):
            assert internal not in text
