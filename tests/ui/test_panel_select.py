"""A parameter's Select removed in the moment it is mounted (keys pressed fast
rebuild the parameter panel) does not end the app: Textual's Select looked for
its option list in its Mount handler and raised NoMatches."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Container

from tui_workshop.ui.widgets.param_panel import PanelSelect


class SelectApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Container(id="box")


@pytest.mark.parametrize("removal", ["the select", "the container's children"])
async def test_a_select_removed_as_it_mounts(removal: str) -> None:
    app = SelectApp()
    async with app.run_test() as pilot:
        box = app.query_one("#box", Container)
        for _ in range(5):
            select = PanelSelect([("a", 1), ("b", 2)], value=2)
            box.mount(select)  # not awaited: removed before its Mount handler runs
            if removal == "the select":
                select.remove()
            else:
                box.remove_children()
            await pilot.pause()
        assert app.is_running
        kept = PanelSelect([("a", 1), ("b", 2)], value=2)
        await box.mount(kept)
        await pilot.pause()
        assert kept.value == 2 and kept.selection == 2
