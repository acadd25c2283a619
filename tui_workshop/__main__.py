"""The command line: start the workshop, list lessons, check lesson files.

``tui-workshop`` and ``python -m tui_workshop`` both land in :func:`main`.
Textual is imported only when the app starts, so ``--list``, ``check`` and
``--version`` answer quickly.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tui_workshop import __version__, i18n
from tui_workshop.i18n import N_, _

PROG = "tui-workshop"

class UsageError(Exception):
    """A mistake on the command line: reported in one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description=_(
            "An interactive workshop, in the terminal, on the mathematics behind\n"
            "artificial neural networks: neurons, activations, losses, gradient descent,\n"
            "backpropagation, regularisation and more. Each lesson pairs short text with a\n"
            "live experiment and exercises checked as you type. Progress is saved, so\n"
            "starting again resumes where you stopped."
        ),
        epilog=_(
            "examples:\n"
            "  tui-workshop                      start at the saved position\n"
            '  tui-workshop --lesson neuron      open the lesson with id "neuron"\n'
            "  tui-workshop --lesson 3           open lesson 3 (also: --lesson 03-neuron)\n"
            "  tui-workshop --list               list the lessons and their durations\n"
            "  tui-workshop --lang pt-BR         lessons in Brazilian Portuguese\n"
            "  tui-workshop check                validate the packaged lessons\n"
            "  tui-workshop check lessons/en     validate a lessons folder (for authors)\n"
            "  tui-workshop --lessons my/en      run a course from another folder\n"
            "  tui-workshop --class DIR          join a class (see 'class init')\n"
            "  tui-workshop --present            present to the class (instructor)\n"
            "  tui-workshop notes                speaker notes of the presented page\n"
            "\n"
            "environment:\n"
            "  TUI_WORKSHOP_STATE_DIR   where progress.json is kept (default: the user's\n"
            "                           state directory)\n"
            "  NO_COLOR                 draw without colours"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__}",
        help=_("show the version number and exit"),
    )
    parser.add_argument(
        "--lesson",
        metavar="ID",
        help=_("open this lesson: its id, number or file name (see --list)"),
    )
    parser.add_argument(
        "--lessons",
        metavar=_("DIR"),
        type=Path,
        help=_("read lessons from DIR (a folder of NN-slug.md files) instead of the packaged ones"),
    )
    parser.add_argument(
        "--lang",
        metavar=_("LANG"),
        help=_(
            "language of the lessons, e.g. en or pt-BR"
            " (default: from LANG when such lessons exist, else en)"
        ),
    )
    parser.add_argument(
        "--list", action="store_true", help=_("print the lessons with their durations and exit")
    )
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    check = commands.add_parser(
        "check",
        help=_("validate lesson files and report problems as file:line: message"),
        description=_(
            "Validate lesson files. Prints one file:line: message per problem and exits"
            " with status 1 when there is any, 0 when all is well."
        ),
    )
    check.add_argument(
        "dir",
        nargs="?",
        type=Path,
        metavar=_("DIR"),
        help=_("a lessons folder, or a folder of language folders (default: the packaged lessons)"),
    )
    check.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    add_class_arguments(parser, commands)
    return parser


# argparse's own texts that this command line can show (Python 3's msgids), in the
# catalogues; argparse looks them up with its module's ``_`` (gettext's) while it runs.
ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("the following arguments are required: %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
    N_("invalid %(type)s value: %(value)r"),
)


@contextlib.contextmanager
def _argparse_in_language() -> Iterator[None]:
    """While inside, argparse's ``_`` translates through our catalogues."""
    namespace = vars(argparse)
    saved = namespace["_"]
    namespace["_"] = i18n.translate
    try:
        yield
    finally:
        namespace["_"] = saved


class Parser(argparse.ArgumentParser):
    """argparse with its own words ("usage:", "options", its error messages) in the
    language in use. Subcommands' parsers are of this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _argparse_in_language():  # group titles and -h's help
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with _argparse_in_language():  # errors, and --help
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with _argparse_in_language():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with _argparse_in_language():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_language():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _argparse_in_language():
            super().error(message)


def add_class_arguments(parser: argparse.ArgumentParser, commands: Any) -> None:
    """--class DIR, 'class init DIR' and 'instructor' (see tui_workshop.course.classroom)."""
    parser.add_argument(
        "--class",
        dest="class_dir",
        metavar=_("DIR"),
        help=_(
            "join the class whose folder is DIR (default: $TUI_WORKSHOP_CLASS, else"
            " class_folder in ~/.config/tui-workshop/config.toml, else in"
            " /etc/tui-workshop/config.toml)"
        ),
    )
    parser.add_argument(
        "--present",
        action="store_true",
        help=_(
            "present to the class (instructor): students who follow see your lesson, page"
            " and parameters; a layout for the projector"
        ),
    )
    klass = commands.add_parser(
        "class",
        help=_("set up a class folder for a lab (instructor)"),
        description=_(
            "Manage a class folder: students publish their progress there,"
            " the instructor's board reads it."
        ),
    )
    klass_commands = klass.add_subparsers(dest="class_command", metavar=_("ACTION"), required=True)
    init = klass_commands.add_parser(
        "init",
        help=_("create a class folder owned by you"),
        description=_(
            "Create DIR with a students/ folder where each student can write only their"
            " own file and an instructor/ folder only you can write; prints the line"
            " students need."
        ),
    )
    init.add_argument("dir", type=Path, metavar=_("DIR"))
    board = commands.add_parser(
        "instructor",
        help=_("open the instructor's board of a class"),
        description=_(
            "Show the class: where each student is, raised hands, exercises and"
            " common wrong answers."
        ),
    )
    board.add_argument(
        "--class", dest="class_dir", metavar=_("DIR"), default=argparse.SUPPRESS,
        help=_("the class folder (default: as for the app)"),
    )
    notes = commands.add_parser(
        "notes",
        help=_("speaker notes of the page the instructor presents (a second terminal)"),
        description=_(
            "Follow the instructor's presentation (tui-workshop --present) and show the"
            " speaker notes of the page on screen and of the next one, the lesson's planned"
            " minutes, the time spent on it and the time left of the class plan."
        ),
    )
    notes.add_argument(
        "--class", dest="class_dir", metavar=_("DIR"), default=argparse.SUPPRESS,
        help=_("the class folder (default: as for the app)"),
    )


# ---------------------------------------------------------------- helpers


def default_language(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """The language LC_ALL / LC_MESSAGES / LANG ask for (the one resolver,
    :func:`tui_workshop.i18n.language_from_env`) when lessons exist for it, else 'en'.

    A lessons folder named after the base language (``pt``) serves too.
    """
    from tui_workshop.course.loader import available_languages

    wanted = i18n.language_from_env(os.environ if environ is None else environ)
    available = available_languages()
    for lang in available:
        if lang.lower() == wanted.lower():
            return lang
    for lang in available:
        if lang.lower() == wanted.split("-")[0].lower():
            return lang
    return i18n.DEFAULT_LANGUAGE


def _language_option(value: str | None) -> str | None:
    """The language --lang names ('pt_BR', 'pt', 'PT-br' give 'pt-BR'); UsageError if unknown."""
    if value is None:
        return None
    lang = i18n.normalise(value)
    if lang is None:
        raise UsageError(_("no lessons for language {lang!r}", lang=value))
    return lang


def _interface_language(argv: Sequence[str]) -> str:
    """The language of --help and messages: --lang when given and known, else the environment."""
    for index, arg in enumerate(argv):
        value = None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None and i18n.normalise(value):
            return i18n.normalise(value) or i18n.DEFAULT_LANGUAGE
    return i18n.language_from_env()


def _lessons_dir(args: argparse.Namespace) -> tuple[Path, str]:
    from tui_workshop.course.loader import find_lessons_dir

    if args.lessons is not None:
        folder = args.lessons
        if not folder.is_dir():
            raise UsageError(_("no lessons folder at {folder}", folder=folder))
        return folder, _language_option(args.lang) or folder.name
    lang = _language_option(args.lang) or default_language()
    try:
        return find_lessons_dir(lang), lang
    except FileNotFoundError:
        raise UsageError(_("no lessons for language {lang!r}", lang=lang)) from None


def _load(args: argparse.Namespace):  # -> Course | None (errors printed)
    from tui_workshop.course.loader import LessonErrors, load_course

    folder, lang = _lessons_dir(args)
    try:
        return load_course(folder, lang=lang)
    except LessonErrors as errors:
        for error in errors.errors:
            print(error, file=sys.stderr)
        print(
            _(
                "{prog}: {count} problem(s) in the lessons;"
                " run '{prog} check {folder}' after fixing them",
                prog=PROG,
                count=len(errors.errors),
                folder=folder,
            ),
            file=sys.stderr,
        )
        return None


def _minutes(total: int) -> str:
    hours, minutes = divmod(total, 60)
    if hours:
        return _("{hours} h {minutes} min", hours=hours, minutes=f"{minutes:02d}")
    return _("{minutes} min", minutes=minutes)


# ---------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    course = _load(args)
    if course is None:
        return 1
    schedule = course.schedule
    sessions = [s for s in (schedule.pause, schedule.discussion) if s is not None]
    width = max((len(lesson.id) for lesson in course.lessons), default=2)
    if sessions:
        width = max(width, len(_("break")), len(_("discussion")))

    def lesson_line(lesson) -> None:
        mark = _("  (optional)") if lesson.optional else ""
        print(
            f"{lesson.number:>3}  {lesson.id:<{width}}  {lesson.duration:>3} min"
            f"  {lesson.title}{mark}"
        )

    def session_line(kind: str, session) -> None:
        print(f"{'--':>3}  {kind:<{width}}  {session.minutes:>3} min  {session.title}")

    if schedule.parts:
        for part in schedule.parts:
            lessons = course.lessons_of_part(part.number)
            minutes = sum(lesson.duration for lesson in lessons if not lesson.optional)
            print(_("Part {number}: {title} ({minutes})", number=part.number,
                    title=part.title, minutes=_minutes(minutes)))
            for lesson in lessons:
                lesson_line(lesson)
            for session in schedule.sessions_after(part.number):
                kind = _("break") if session is schedule.pause else _("discussion")
                session_line(kind, session)
    else:
        for lesson in course.lessons:
            lesson_line(lesson)
    line = _(
        "{count} lessons; core {core}",
        count=len(course.lessons),
        core=_minutes(course.core_duration),
    )
    if course.optional_duration:
        line += _(", optional {optional}", optional=_minutes(course.optional_duration))
    print(line)
    if schedule.minutes:
        print(_("plan: core lessons, break and discussion {planned} of {minutes}",
                planned=_minutes(course.planned_duration), minutes=_minutes(schedule.minutes)))
    return 0


def _check_targets(folder: Path) -> list[Path]:
    """A lessons folder, or each language folder below it."""
    try:
        if any(folder.glob("*.md")):
            return [folder]
        subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and any(p.glob("*.md")))
    except OSError:  # unreadable: validating it reports why, once
        return [folder]
    return subfolders or [folder]


def _parity_pairs(targets: list[Path]) -> list[tuple[Path, Path]]:
    """(translation, reference) folders to compare: each language folder with ``en``."""
    from tui_workshop.course.parity import reference_folder

    if len(targets) == 1:
        sibling = targets[0].parent / "en"
        if targets[0].name != "en" and sibling.is_dir() and any(sibling.glob("*.md")):
            return [(targets[0], sibling)]
        return []
    reference = reference_folder(targets)
    return [(folder, reference) for folder in targets if folder != reference]


def cmd_check(args: argparse.Namespace) -> int:
    from tui_workshop.course.loader import (
        available_languages,
        find_lessons_dir,
        lesson_files,
        validate_dir,
    )
    from tui_workshop.course.parity import compare_folders

    if args.dir is not None:
        if not args.dir.is_dir():
            raise UsageError(_("no lessons folder at {folder}", folder=args.dir))
        targets = _check_targets(args.dir)
    elif getattr(args, "lang", None) or args.lessons is not None:
        targets = [_lessons_dir(args)[0]]
    else:  # every language of the packaged course
        targets = [find_lessons_dir(lang) for lang in available_languages()]
        targets = targets or [_lessons_dir(args)[0]]
    total_errors = 0
    for folder in targets:
        errors = validate_dir(folder)
        for error in errors:
            print(error)
        count = len(lesson_files(folder))
        total_errors += len(errors)
        if errors:
            print(
                _(
                    "{folder}: {count} problem(s) in {files} lesson file(s)",
                    folder=folder,
                    count=len(errors),
                    files=count,
                )
            )
        else:
            print(_("{folder}: {files} lesson file(s), no problems", folder=folder, files=count))
    for folder, reference in _parity_pairs(targets):
        differences = compare_folders(folder, reference)
        for error in differences:
            print(error)
        total_errors += len(differences)
        if differences:
            print(_("{folder}: {count} difference(s) in structure from {reference}",
                    folder=folder, count=len(differences), reference=reference))
        else:
            print(_("{folder}: the same structure as {reference}", folder=folder,
                    reference=reference))
    return 1 if total_errors else 0


def cmd_run(args: argparse.Namespace) -> int:
    course = _load(args)
    if course is None:
        return 1

    start_lesson = None
    if args.lesson is not None:
        # An id ("neuron"), a number ("3", "03") or a file stem ("03-neuron").
        found = course.resolve(args.lesson)
        if found is None:
            raise UsageError(
                _("no lesson with id {lesson!r} (see '{prog} --list')", lesson=args.lesson,
                  prog=PROG)
            )
        start_lesson = found.id
    from tui_workshop.course.progress import ProgressStore

    store = ProgressStore()
    i18n.set_language(course.lang)  # before the interface builds its key descriptions
    try:
        from tui_workshop.ui.app import run_app
    except ImportError as error:
        if error.name not in ("tui_workshop.ui", "tui_workshop.ui.app", "textual"):
            raise
        print(
            _("{prog}: error: the interface could not be loaded: {error}", prog=PROG,
              error=error),
            file=sys.stderr,
        )
        return 1
    class_info = _class_info(args, required=args.present)
    if class_info is None:
        return run_app(course, store, start_lesson=start_lesson)
    if args.present:
        return run_app(
            course, store, start_lesson=start_lesson, class_info=class_info, present=True
        )
    return run_app(course, store, start_lesson=start_lesson, class_info=class_info)


def _class_info(args: argparse.Namespace, required: bool = False) -> Any:
    """The ClassInfo of the class folder set by --class, the environment or a config file."""
    from tui_workshop.course.classroom import ClassError, class_folder_setting, open_class

    folder = class_folder_setting(getattr(args, "class_dir", None))
    if folder is None:
        if required:
            raise UsageError(_("no class folder: give --class DIR or set TUI_WORKSHOP_CLASS"))
        return None
    try:
        return open_class(folder)
    except ClassError as error:
        raise UsageError(i18n.render(error.message)) from None


def cmd_class(args: argparse.Namespace) -> int:
    from tui_workshop.course.classroom import ClassError, init_class

    try:
        info = init_class(args.dir)
    except ClassError as error:
        raise UsageError(i18n.render(error.message)) from None
    print(
        _(
            "Class folder ready: {folder} (instructor: {user})",
            folder=info.folder,
            user=info.instructor,
        )
    )
    print(_("Students start the workshop with:"))
    print(f"  {PROG} --class {info.folder}")
    print(_("Open the board with:"))
    print(f"  {PROG} instructor --class {info.folder}")
    return 0


def cmd_instructor(args: argparse.Namespace) -> int:
    info = _class_info(args, required=True)
    course = _load(args)
    if course is None:
        return 1
    i18n.set_language(course.lang)
    from tui_workshop.ui.screens.board import run_board

    return run_board(info, course)


def cmd_notes(args: argparse.Namespace) -> int:
    info = _class_info(args, required=True)
    course = _load(args)
    if course is None:
        return 1
    i18n.set_language(course.lang)
    from tui_workshop.ui.screens.notes import run_notes

    return run_notes(info, course)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(_interface_language(arguments))  # --help and errors in that language
    parser = build_parser()
    args = parser.parse_args(arguments)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "class":
            return cmd_class(args)
        if args.command == "instructor":
            return cmd_instructor(args)
        if args.command == "notes":
            return cmd_notes(args)
        if args.list:
            return cmd_list(args)
        return cmd_run(args)
    except UsageError as error:
        print(_("{prog}: error: {error}", prog=PROG, error=error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
