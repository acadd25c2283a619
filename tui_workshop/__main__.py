"""The command line: start the workshop, list lessons, check lesson files.

``tui-workshop`` and ``python -m tui_workshop`` both land in :func:`main`.
Textual is imported only when the app starts, so ``--list``, ``check`` and
``--version`` answer quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tui_workshop import __version__, i18n
from tui_workshop.i18n import _

PROG = "tui-workshop"

class UsageError(Exception):
    """A mistake on the command line: reported in one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_("cli.description"),
        epilog=_("cli.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--lesson", metavar="ID", help=_("cli.help.lesson"))
    parser.add_argument(
        "--lessons",
        metavar="DIR",
        type=Path,
        help=_("cli.help.lessons"),
    )
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=_("cli.help.lang"),
    )
    parser.add_argument(
        "--list", action="store_true", help=_("cli.help.list")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help=_("cli.help.check"),
        description=_("cli.check.description"),
    )
    check.add_argument(
        "dir",
        nargs="?",
        type=Path,
        metavar="DIR",
        help=_("cli.help.check_dir"),
    )
    check.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


# ---------------------------------------------------------------- helpers


def _lang_candidates(value: str) -> list[str]:
    """'pt_BR.UTF-8' -> ['pt-BR', 'pt']."""
    code = value.split(".")[0].split("@")[0].replace("_", "-")
    if not code or code in ("C", "POSIX"):
        return []
    parts = code.split("-")
    candidates = [code]
    if len(parts) > 1:
        candidates.append(f"{parts[0].lower()}-{parts[1].upper()}")
    candidates.append(parts[0].lower())
    return list(dict.fromkeys(candidates))


def default_language(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """The language from LC_ALL / LC_MESSAGES / LANG when lessons exist for it, else 'en'."""
    from tui_workshop.course.loader import available_languages

    env = os.environ if environ is None else environ
    available = {lang.lower(): lang for lang in available_languages()}
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if not value:
            continue
        for candidate in _lang_candidates(value):
            if candidate.lower() in available:
                return available[candidate.lower()]
        break  # the first variable that is set decides, as in gettext
    return "en"


def _lessons_dir(args: argparse.Namespace) -> tuple[Path, str]:
    from tui_workshop.course.loader import find_lessons_dir

    if args.lessons is not None:
        folder = args.lessons
        if not folder.is_dir():
            raise UsageError(_("cli.no_folder", folder=folder))
        return folder, args.lang or folder.name
    lang = args.lang or default_language()
    try:
        return find_lessons_dir(lang), lang
    except FileNotFoundError:
        raise UsageError(_("cli.no_language", lang=lang)) from None


def _load(args: argparse.Namespace):  # -> Course | None (errors printed)
    from tui_workshop.course.loader import LessonErrors, load_course

    folder, lang = _lessons_dir(args)
    try:
        return load_course(folder, lang=lang)
    except LessonErrors as errors:
        for error in errors.errors:
            print(error, file=sys.stderr)
        print(
            _("cli.lesson_problems", prog=PROG, count=len(errors.errors), folder=folder),
            file=sys.stderr,
        )
        return None


def _minutes(total: int) -> str:
    hours, minutes = divmod(total, 60)
    if hours:
        return _("cli.hours", hours=hours, minutes=minutes)
    return _("cli.minutes", minutes=minutes)


# ---------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    course = _load(args)
    if course is None:
        return 1
    width = max((len(lesson.id) for lesson in course.lessons), default=2)
    for lesson in course.lessons:
        mark = _("cli.optional") if lesson.optional else ""
        print(
            f"{lesson.number:>3}  {lesson.id:<{width}}  {lesson.duration:>3} min"
            f"  {lesson.title}{mark}"
        )
    line = _("cli.list_total", count=len(course.lessons), core=_minutes(course.core_duration))
    if course.optional_duration:
        line += _("cli.list_optional", optional=_minutes(course.optional_duration))
    print(line)
    return 0


def _check_targets(folder: Path) -> list[Path]:
    """A lessons folder, or each language folder below it."""
    if any(folder.glob("*.md")):
        return [folder]
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and any(p.glob("*.md")))
    return subfolders or [folder]


def cmd_check(args: argparse.Namespace) -> int:
    from tui_workshop.course.loader import lesson_files, validate_dir

    if args.dir is not None:
        if not args.dir.is_dir():
            raise UsageError(_("cli.no_folder", folder=args.dir))
        targets = _check_targets(args.dir)
    else:
        targets = [_lessons_dir(args)[0]]
    total_errors = 0
    for folder in targets:
        errors = validate_dir(folder)
        for error in errors:
            print(error)
        count = len(lesson_files(folder))
        total_errors += len(errors)
        if errors:
            print(_("cli.check_problems", folder=folder, count=len(errors), files=count))
        else:
            print(_("cli.check_ok", folder=folder, files=count))
    return 1 if total_errors else 0


def cmd_run(args: argparse.Namespace) -> int:
    course = _load(args)
    if course is None:
        return 1
    if args.lesson is not None and args.lesson not in course.ids():
        raise UsageError(_("cli.no_lesson", lesson=args.lesson, prog=PROG))
    from tui_workshop.course.progress import ProgressStore

    store = ProgressStore()
    i18n.set_language(course.lang)  # before the interface builds its key descriptions
    try:
        from tui_workshop.ui.app import run_app
    except ImportError as error:
        if error.name not in ("tui_workshop.ui", "tui_workshop.ui.app", "textual"):
            raise
        print(_("cli.no_interface", prog=PROG, error=error), file=sys.stderr)
        return 1
    return run_app(course, store, start_lesson=args.lesson)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.list:
            return cmd_list(args)
        return cmd_run(args)
    except UsageError as error:
        print(_("cli.error", prog=PROG, error=error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
