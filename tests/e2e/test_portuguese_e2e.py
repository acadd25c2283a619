"""End-to-end: ``LANG=pt_BR.UTF-8 tui-workshop`` in a real terminal (tmux, 80x24) starts in
Brazilian Portuguese with no flag: the Portuguese lesson and keys, no English ones; ctrl+q
ends it with status 0. Uses the tmux helpers of ``test_terminal``.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from tests.e2e.test_terminal import (
    EXITED,
    START_TIMEOUT,
    Tmux,
    clean_env,
    wait_for,
    workshop_command,
)

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_lang_pt_br_starts_in_portuguese_without_a_flag(tmp_path: Path) -> None:
    status_file = tmp_path / "status"
    app = shlex.join([*workshop_command(), "--lesson", "neuron"])
    script = f"{app}; echo $? > {shlex.quote(str(status_file))}; echo {EXITED}; sleep 60"
    env = {k: v for k, v in clean_env(tmp_path).items() if k not in ("LC_ALL", "LC_MESSAGES")}
    tmux = Tmux({**env, "LANG": "pt_BR.UTF-8"})
    try:
        tmux.run(
            "new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", f"sh -c {shlex.quote(script)}"
        )
        # the parameters are the last part of the lesson to be drawn
        shown = wait_for(lambda: "Restaurar padrões" in (s := tmux.screen()) and s, START_TIMEOUT)
        assert shown, f"no Portuguese lesson at 80x24:\n{tmux.screen()}"
        assert "Aula 3" in shown and "Rodar" in shown and "Ajuda" in shown, shown
        assert not {"Next", "Play", "Help", "Lesson"} & set(shown.split()), shown

        tmux.keys("C-q")
        written = wait_for(
            lambda: status_file.exists() and status_file.read_text().strip(), 10, interval=0.05
        )
        assert written == "0", f"exit status {written!r}:\n{tmux.screen()}"
    finally:
        tmux.kill()
