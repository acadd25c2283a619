"""Draw the app headlessly and save an SVG screenshot (the README's picture).

    python -m tui_workshop.ui.screenshot docs/screenshot.svg --lesson playground \\
        --size 100x30 --steps 150

Deterministic: progress lives in a throw-away state dir, the experiment keeps
its seeded defaults and is stepped ``--steps`` epochs on the UI thread (no
worker, no clock), cursors do not blink. ``--pane`` picks the pane shown when
the lesson is narrower than the wide layout (text, lab or exercises).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_LESSONS = Path(__file__).resolve().parents[2] / "lessons" / "en"
SCREENSHOT_PREFIX = "tui-workshop-"


def screenshot_dirs(log_path: Path | None) -> list[Path]:
    """Where the palette's Screenshot command saves, first choice first.

    The state/log directory (next to the log the student may be asked for),
    then the current directory; never a guessed ~/Downloads.
    """
    dirs = [log_path.parent] if log_path is not None else []
    dirs.append(Path.cwd())
    return dirs


def write_new_file(directory: Path, stem: str, text: str, suffix: str = ".svg") -> Path:
    """Write ``text`` to a file that did not exist (never through a symlink); its path.

    The name is ``stem`` + ``suffix``, or ``stem-2`` ... when taken. OSError if
    the directory cannot be written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for attempt in range(1, 100):
        name = f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}"
        path = directory / name
        try:
            descriptor = os.open(path, flags, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        return path.absolute()
    raise FileExistsError(directory / f"{stem}{suffix}")


def save_app_screenshot(app: Any, log_path: Path | None) -> Path:
    """Save ``app``'s screen as SVG in the first writable of :func:`screenshot_dirs`."""
    svg = app.export_screenshot()
    stem = SCREENSHOT_PREFIX + time.strftime("%Y%m%d-%H%M%S")
    error: OSError | None = None
    for directory in screenshot_dirs(log_path):
        try:
            return write_new_file(directory, stem, svg)
        except OSError as failed:
            error = failed
    assert error is not None
    raise error


def parse_size(text: str) -> tuple[int, int]:
    width, _sep, height = text.lower().partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None


async def take(
    out: Path,
    lessons_dir: Path,
    lesson_id: str | None,
    size: tuple[int, int],
    steps: int,
    pane: str,
) -> None:
    from textual.widgets import Input

    from tui_workshop.course.loader import load_course
    from tui_workshop.course.progress import ProgressStore
    from tui_workshop.ui.app import WorkshopApp
    from tui_workshop.ui.screens import LessonScreen

    course = load_course(lessons_dir)
    app = WorkshopApp(course, ProgressStore(), start_lesson=lesson_id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, LessonScreen):
            experiment = screen.experiment
            if experiment is not None and steps > 0:
                for _ in range(steps):
                    if experiment.done:
                        break
                    experiment.step()
                screen.show_frame(experiment.frame())
            for _ in range(3):  # ctrl+t cycles the panes of the narrow layout
                if getattr(screen, "pane", pane) == pane:
                    break
                await pilot.press("ctrl+t")
                await pilot.pause()
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        out.parent.mkdir(parents=True, exist_ok=True)
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui_workshop.ui.screenshot")
    parser.add_argument("out", type=Path, help="the SVG file to write")
    parser.add_argument("--lesson", default="playground", help="lesson id or number")
    parser.add_argument("--lessons", type=Path, default=DEFAULT_LESSONS, help="lesson folder")
    parser.add_argument("--size", type=parse_size, default=(100, 30), help="WIDTHxHEIGHT")
    parser.add_argument("--steps", type=int, default=150, help="epochs to train first")
    parser.add_argument("--pane", default="lab", choices=("text", "lab", "exercises"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as state:
        os.environ["TUI_WORKSHOP_STATE_DIR"] = state
        asyncio.run(take(args.out, args.lessons, args.lesson, args.size, args.steps, args.pane))
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
