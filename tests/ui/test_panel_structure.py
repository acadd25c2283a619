"""A run reuses its panel widgets: the structure of a frame (panel kinds and titles, numbers
aside) stays the same from step to step, so no frame builds the experiment view again
(the CNN lesson's image title "Test #0: 6 → 0 (35.8%)" rebuilt every widget on every
frame where the prediction changed: issue 11)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import REAL_COURSE
from tui_workshop import experiments
from tui_workshop.ui.text import localize
from tui_workshop.ui.widgets.panels import panel_key

STEPS = 4


@pytest.mark.parametrize("lesson", REAL_COURSE.lessons, ids=lambda lesson: lesson.id)
def test_a_run_keeps_its_panel_structure(lesson) -> None:
    experiment = experiments.create(lesson.experiment, lesson.defaults())
    if not experiment.trainable:
        pytest.skip("nothing to run")
    experiment.step()
    first = panel_key(localize(experiment.frame()).panels)
    for _ in range(STEPS):
        if experiment.done:
            break
        experiment.step()
        assert panel_key(localize(experiment.frame()).panels) == first


def test_numbers_in_titles_are_not_structure() -> None:
    import numpy as np

    from tui_workshop.experiments.base import Heatmap, LinePlot

    def heatmap(title: str) -> Heatmap:
        return Heatmap(title=title, z=np.zeros((1, 1)), x_range=(0, 1), y_range=(0, 1))

    assert panel_key([heatmap("Test #0: 6 → 0 (35.8%)")]) == panel_key(
        [heatmap("Test #0: 6 → 6 (86.2%)")]
    )
    assert panel_key([heatmap("Learned filters")]) != panel_key([heatmap("Feature maps")])
    assert panel_key([heatmap("Learned filters")]) != panel_key(
        [LinePlot(title="Learned filters", series=())]
    )
