"""End-to-end: ctrl+q pressed the moment a lesson is drawn, while its parameter panel is
still being set up, ends the app with status 0 (Textual's Select raised NoMatches when its
parts were removed while it set its value, and the app ended with an "unexpected error").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_terminal import START_TIMEOUT
from tests.e2e.tmux import Tmux, app_env, needs_tmux, wait_for, workshop_command

pytestmark = [pytest.mark.e2e, needs_tmux]

APPS = 4


def test_quit_as_soon_as_the_lesson_shows(tmp_path: Path) -> None:
    with Tmux() as tmux:
        names = [f"early{i}" for i in range(APPS)]
        for name in names:
            home = tmp_path / name
            home.mkdir()
            tmux.start(name, [*workshop_command(), "--lesson", "playground"], env=app_env(home))
        for name in names:
            shown = wait_for(lambda n=name: "page 1/" in tmux.screen(n), START_TIMEOUT, 0.01)
            assert shown, tmux.screen(name)
            tmux.keys(name, "C-q")
        for name in names:
            status = tmux.exit_status(name, 15)
            assert status == 0, f"{name}: exit status {status!r}\n{tmux.screen(name)}"
