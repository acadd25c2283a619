"""Every user-facing string of the interface, one table per language.

``_(key, **kwargs)`` looks ``key`` up in the current language's table, falls
back to English, then to the key itself, and formats it with ``kwargs``.
The language comes from :func:`set_language` (a command-line flag) or, by
default, from ``LANG`` / ``LC_ALL`` / ``LC_MESSAGES``. A translation is a new
table with the same keys; a test can check that the tables match.
"""

from __future__ import annotations

import os

DEFAULT_LANGUAGE = "en"

EN: dict[str, str] = {
    # application
    "app.title": "Neural networks workshop",
    "app.subtitle": "the mathematics behind neural networks",
    "app.too_small": "Please enlarge the terminal to at least 80×24 (now {width}×{height})",
    "app.error": "Something went wrong: {error}. Details were written to {log}.",
    "app.fatal": "The workshop stopped after an unexpected error. Details: {log}",
    "app.unknown_lesson": "There is no lesson {lesson!r}; showing the overview.",
    "app.saved_failed": "Could not save progress: {error}",
    # key descriptions (footer and help)
    "key.help": "Help",
    "key.contents": "Contents",
    "key.quit": "Quit",
    "key.palette": "Commands",
    "key.prev_page": "Prev",
    "key.next_page": "Next",
    "key.prev_lesson": "Prev lesson",
    "key.next_lesson": "Next lesson",
    "key.play": "Play",
    "key.step": "Step",
    "key.reset_experiment": "Reset",
    "key.reset_lesson": "Reset lesson",
    "key.slower": "Slower",
    "key.faster": "Faster",
    "key.switch_pane": "Pane",
    "key.next_panels": "Next panels",
    "key.overview": "Lessons",
    "key.open": "Open",
    "key.score": "Score",
    "key.close": "Close",
    "key.yes": "Yes",
    "key.no": "No",
    # overview
    "overview.title": "Lessons",
    "overview.col.number": "#",
    "overview.col.title": "Lesson",
    "overview.col.duration": "Min",
    "overview.col.pages": "Pages",
    "overview.col.exercises": "Solved",
    "overview.optional": "(optional)",
    "overview.objectives": "In this lesson you will:",
    "overview.no_objectives": "No objectives listed.",
    "overview.hint": "Enter opens · F1 help · ctrl+p commands",
    "overview.first_hint": "Enter opens a lesson · F1 help · ctrl+p commands",
    "overview.col.done": "✓",
    "overview.minutes": "{minutes} min",
    "overview.hours": "{hours} h",
    "overview.hours_minutes": "{hours} h {minutes} min",
    "overview.core": "Core course: {time}",
    "overview.extra": "(+{time} optional)",
    "overview.total": "Exercises solved: {solved} of {total}",
    "overview.empty": "No lessons were found.",
    # lesson
    "lesson.heading": "Lesson {number}: {title}",
    "lesson.page": "page {page}/{pages}: {title}",
    "lesson.tab.text": "Text",
    "lesson.tab.lab": "Experiment",
    "lesson.tab.exercises": "Exercises",
    "lesson.no_exercises": "This lesson has no exercises.",
    "lesson.first_page": "This is the first page.",
    "lesson.last_page": "Last page: F8 opens the next lesson.",
    "lesson.first_lesson": "This is the first lesson.",
    "lesson.last_lesson": "This is the last lesson.",
    "lesson.param_error": "Parameters not applied: {error}",
    "lesson.param_invalid": "{error}",
    "lesson.no_experiment": "Experiment {name!r} is not available.",
    "lesson.not_trainable": "This experiment has nothing to play; change the parameters.",
    "lesson.finished": "The run has finished; F9 starts it again.",
    "lesson.diverged": "Training diverged: {message}. Try a smaller learning rate, then F9.",
    "lesson.run_error": "The experiment failed: {error}",
    "lesson.speed": "speed: {speed}",
    "lesson.speed_max": "max",
    "lesson.speed_value": "{steps}/s",
    "lesson.state.playing": "playing",
    "lesson.state.paused": "paused",
    "lesson.state.done": "finished",
    "lesson.status": "{state} · step {step} · {speed}",
    "lesson.reset_experiment": "Experiment reset.",
    "lesson.solved": "Solved: {exercise}",
    "lesson.preset": "Preset applied: {preset}",
    # confirmation
    "confirm.reset_lesson": "Reset lesson {number} ({title})? Its progress, parameters and "
    "solved exercises will be forgotten.",
    "confirm.reset_all": "Reset ALL progress of the whole course?",
    "confirm.yes": "Yes, reset",
    "confirm.no": "Cancel",
    "confirm.done_lesson": "Lesson reset.",
    "confirm.done_all": "All progress reset.",
    # table of contents
    "toc.title": "Contents",
    "toc.pages": "Pages of this lesson",
    "toc.lessons": "Lessons of the course",
    "toc.hint": "Enter jumps, Escape closes.",
    # score
    "score.title": "Score",
    "score.col.lesson": "Lesson",
    "score.col.solved": "Solved",
    "score.col.hints": "Hints",
    "score.col.revealed": "Solutions",
    "score.total": "Total: {solved} of {total} exercises solved",
    "score.used": "hints used: {hints} · solutions seen: {revealed}",
    "score.hint": "Escape closes.",
    # help
    "help.title": "Help",
    "help.keys": "Keys",
    "help.guide": (
        "How to use the workshop\n"
        " 1. Pick a lesson in the overview and press Enter.\n"
        " 2. Read a page; F3 and F4 turn the pages.\n"
        " 3. Change a parameter: type a value and press Enter, or pick a preset.\n"
        " 4. F5 trains (F5 again pauses), F6 does one step, F9 starts over.\n"
        " 5. Answer the exercises; goal exercises are solved by the running experiment.\n"
        "Below 120 columns the text sits above the experiment: ctrl+t enlarges the "
        "text, then the experiment, then shows the exercises; ctrl+n shows the "
        "experiment's other panels. Function keys and ctrl keys also work while "
        "you type in a field. Progress is saved after each change."
    ),
    "help.col.keys": "Keys",
    "help.col.action": "Action",
    "help.group.navigation": "Navigation",
    "help.group.experiment": "Experiment",
    "help.group.exercises": "Exercises",
    "help.group.app": "App",
    "help.key.focus": "Next / previous field",
    "help.key.check": "Check the answer, press a button",
    "help.key.buttons": "Go to Check, Hint, Solution",
    "help.close": "Escape or F1 closes this help.",
    # command palette
    "cmd.lesson": "Lesson {number}: {title}",
    "cmd.lesson.help": "Open this lesson",
    "cmd.reset_lesson": "Reset lesson",
    "cmd.reset_lesson.help": "Forget the progress of the current lesson (asks first)",
    "cmd.reset_all": "Reset all progress",
    "cmd.reset_all.help": "Forget the progress of every lesson (asks first)",
    "cmd.help": "Help",
    "cmd.help.help": "Keys and a short guide",
    "cmd.contents": "Table of contents",
    "cmd.contents.help": "Pages of this lesson and lessons of the course",
    "cmd.overview": "Overview",
    "cmd.overview.help": "The list of lessons",
    "cmd.score": "Score",
    "cmd.score.help": "Exercises solved per lesson",
    # widgets (ui/widgets): ExperimentView
    "experiment_view.waiting": "No experiment yet.",
    "experiment_view.pager": "{first}-{last}/{total} ^n›",
    "experiment_view.pager_one": "{first}/{total} ^n›",
    "experiment_view.pager_help": "Show the next panels",
    # Heatmap
    "heatmap.low_high": "{low} {scale} {high}",
    # Bars
    "bars.empty": "(no bars)",
    # ParamPanel
    "param_panel.preset_prompt": "Preset…",
    "param_panel.preset_label": "Preset: {label}",
    "param_panel.reset": "Reset to defaults",
    "param_panel.reset_help": "Put every parameter back to the lesson's default",
    "param_panel.error": "{message} (kept {value})",
    "param_panel.not_a_number": "not a number: {text!r}",
    "param_panel.not_an_integer": "not a whole number: {text!r}",
    "param_panel.too_small": "must be at least {min}",
    "param_panel.too_large": "must be at most {max}",
    "param_panel.range": "{label}: from {min} to {max}",
    "param_panel.empty": "No parameters to change in this lesson.",
    # ExerciseBox
    "exercise_box.header": "Exercise {number}/{total}",
    "exercise_box.done_mark": "✓ solved",
    "exercise_box.revealed_mark": "solution shown",
    "exercise_box.prev": "‹ Prev",
    "exercise_box.next": "Next ›",
    "exercise_box.check": "Check",
    "exercise_box.hint": "Hint",
    "exercise_box.solution": "Solution",
    "exercise_box.placeholder": "your answer (e.g. 0.5, 1/3, sigmoid(0.2))",
    "exercise_box.placeholder_vector": "your answer (e.g. [1, 2, 3] or 1 2; 3 4)",
    "exercise_box.hint_line": "Hint {n}/{total}: {text}",
    "exercise_box.no_more_hints": "No more hints.",
    "exercise_box.no_hints": "This exercise has no hints.",
    "exercise_box.solution_line": "Solution: {text}",
    "exercise_box.no_solution": "No written solution for this exercise.",
    "exercise_box.choose": "Choose an answer first.",
    "exercise_box.empty_answer": "Type an answer first.",
    "exercise_box.goal": "Goal: {metric} {op} {target}",
    "exercise_box.constraints": "with {constraints}",
    "exercise_box.goal_now": "now: {status}",
    "exercise_box.goal_waiting": "now: run the experiment to measure it",
    "exercise_box.goal_check": "The goal is checked live while the experiment runs.",
    "exercise_box.none": "This lesson has no exercises.",
    "exercise_box.check_failed": "Could not check the answer: {error}",
    # command line
    "cli.description": (
        "An interactive workshop, in the terminal, on the mathematics behind\n"
        "artificial neural networks: neurons, activations, losses, gradient descent,\n"
        "backpropagation, regularisation and more. Each lesson pairs short text with a\n"
        "live experiment and exercises checked as you type. Progress is saved, so\n"
        "starting again resumes where you stopped."
    ),
    "cli.epilog": (
        "examples:\n"
        "  tui-workshop                      start at the saved position\n"
        '  tui-workshop --lesson neuron      open the lesson with id "neuron"\n'
        "  tui-workshop --list               list the lessons and their durations\n"
        "  tui-workshop --lang pt-BR         lessons in Brazilian Portuguese\n"
        "  tui-workshop check                validate the packaged lessons\n"
        "  tui-workshop check lessons/en     validate a lessons folder (for authors)\n"
        "  tui-workshop --lessons my/en      run a course from another folder\n"
        "\n"
        "environment:\n"
        "  TUI_WORKSHOP_STATE_DIR   where progress.json is kept (default: the user's\n"
        "                           state directory)\n"
        "  NO_COLOR                 draw without colours"
    ),
    "cli.help.lesson": "open this lesson (see --list for ids)",
    "cli.help.lessons": (
        "read lessons from DIR (a folder of NN-slug.md files) instead of the packaged ones"
    ),
    "cli.help.lang": (
        "language of the lessons, e.g. en or pt-BR (default: from LANG when such lessons"
        " exist, else en)"
    ),
    "cli.help.list": "print the lessons with their durations and exit",
    "cli.help.check": "validate lesson files and report problems as file:line: message",
    "cli.check.description": (
        "Validate lesson files. Prints one file:line: message per problem and exits with"
        " status 1 when there is any, 0 when all is well."
    ),
    "cli.help.check_dir": (
        "a lessons folder, or a folder of language folders (default: the packaged lessons)"
    ),
    "cli.error": "{prog}: error: {error}",
    "cli.no_folder": "no lessons folder at {folder}",
    "cli.no_language": "no lessons for language {lang!r}",
    "cli.no_lesson": "no lesson with id {lesson!r} (see '{prog} --list')",
    "cli.lesson_problems": (
        "{prog}: {count} problem(s) in the lessons; run '{prog} check {folder}' after fixing them"
    ),
    "cli.optional": "  (optional)",
    "cli.list_total": "{count} lessons; core {core}",
    "cli.list_optional": ", optional {optional}",
    "cli.hours": "{hours} h {minutes:02d} min",
    "cli.minutes": "{minutes} min",
    "cli.check_problems": "{folder}: {count} problem(s) in {files} lesson file(s)",
    "cli.check_ok": "{folder}: {files} lesson file(s), no problems",
    "cli.no_interface": "{prog}: error: the interface could not be loaded: {error}",
}

# Filled in by the translation; until then every key falls back to English.
PT_BR: dict[str, str] = {}

TABLES: dict[str, dict[str, str]] = {"en": EN, "pt-BR": PT_BR}

_language = DEFAULT_LANGUAGE


def normalise(lang: str | None) -> str:
    """Map 'pt_BR.UTF-8', 'pt-br', 'pt' to a known table name, else English."""
    if not lang:
        return DEFAULT_LANGUAGE
    code = lang.split(".")[0].split("@")[0].replace("_", "-").lower()
    for name in TABLES:
        if name.lower() == code:
            return name
    base = code.split("-")[0]
    for name in TABLES:
        if name.lower().split("-")[0] == base:
            return name
    return DEFAULT_LANGUAGE


def language_from_env(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value and value not in ("C", "POSIX"):
            return normalise(value)
    return DEFAULT_LANGUAGE


def set_language(lang: str | None) -> str:
    """Choose the language (None: from the environment); returns the table used."""
    global _language
    _language = normalise(lang) if lang else language_from_env()
    return _language


def get_language() -> str:
    return _language


def _(key: str, **kwargs: object) -> str:
    """The text for ``key`` in the current language, formatted with ``kwargs``."""
    text = TABLES.get(_language, {}).get(key)
    if text is None:
        text = EN.get(key, key)
    if kwargs:
        try:
            return text.format(**kwargs)
        except (KeyError, IndexError, ValueError):
            return text
    return text
