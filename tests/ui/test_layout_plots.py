"""A plot of whole x values (epochs, steps) has whole x ticks (issue 10).

Three epochs drawn 48 columns wide were labelled 0.0, 0.8, 1.6, 2.4: a student
reads "epoch 0.8". Whole data get a step of at least 1, a whole number.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ui.test_widgets import ViewApp, texts
from tui_workshop.experiments.base import Frame, LinePlot, Series, frozen_array
from tui_workshop.ui.widgets import LinePlotWidget


def x_tick_labels(widget: LinePlotWidget) -> list[str]:
    lines = texts(widget)
    axis = next(k for k, line in enumerate(lines) if "└" in line)
    return lines[axis + 1].split()


@pytest.mark.parametrize(("epochs", "width"), [(1, 48), (3, 48), (4, 80), (37, 48), (300, 80)])
async def test_whole_x_values_get_whole_ticks(epochs: int, width: int) -> None:
    x = np.arange(epochs + 1, dtype=float)
    plot = LinePlot("Loss", (Series("train", frozen_array(x), frozen_array(1 / (1 + x))),))
    app = ViewApp(Frame(0, "", (plot,)))
    async with app.run_test(size=(width, 20)) as pilot:
        await pilot.pause()
        widget = app.query_one(LinePlotWidget)
        labels = x_tick_labels(widget)
        assert len(labels) >= 2 or epochs <= 1, labels
        values = [float(label.replace("−", "-")) for label in labels]
        assert all(v == round(v) and 0 <= v <= epochs for v in values), labels
        assert "." not in "".join(labels), labels


async def test_fractional_x_values_keep_fractional_ticks() -> None:
    x = np.linspace(-1.0, 1.0, 41)
    plot = LinePlot("Fit", (Series("f", frozen_array(x), frozen_array(x**2)),))
    app = ViewApp(Frame(0, "", (plot,)))
    async with app.run_test(size=(48, 20)) as pilot:
        await pilot.pause()
        labels = x_tick_labels(app.query_one(LinePlotWidget))
        assert any("." in label for label in labels), labels
