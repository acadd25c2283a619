"""End-to-end: ``LANG=pt_BR.UTF-8 tui-workshop`` in a real terminal (tmux, 80x24) starts in
Brazilian Portuguese with no flag: the Portuguese lesson and keys, no English ones; ctrl+q
ends it with status 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_terminal import START_TIMEOUT
from tests.e2e.tmux import Tmux, app_env, needs_tmux, workshop_command

pytestmark = [pytest.mark.e2e, needs_tmux]


def test_lang_pt_br_starts_in_portuguese_without_a_flag(tmp_path: Path) -> None:
    env = app_env(tmp_path, LANG="pt_BR.UTF-8")
    with Tmux() as tmux:
        tmux.env = {k: v for k, v in tmux.env.items() if k not in ("LC_ALL", "LC_MESSAGES")}
        tmux.start("e2e", [*workshop_command(), "--lesson", "neuron"], env=env)
        # the parameters are the last part of the lesson to be drawn
        shown = tmux.wait_screen("e2e", "Restaurar padrões", START_TIMEOUT)
        assert shown, f"no Portuguese lesson at 80x24:\n{tmux.screen('e2e')}"
        assert "Aula 3" in shown and "Rodar" in shown and "Ajuda" in shown, shown
        assert not {"Next", "Play", "Help", "Lesson"} & set(shown.split()), shown

        tmux.keys("e2e", "C-q")
        status = tmux.exit_status("e2e", 10)
        assert status == 0, f"exit status {status!r}:\n{tmux.screen('e2e')}"
