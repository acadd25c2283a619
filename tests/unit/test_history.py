"""A long training keeps a bounded history (experiments.base.thin_history)."""

from __future__ import annotations

import pytest

from tui_workshop.experiments.base import HISTORY_LIMIT, thin_history
from tui_workshop.experiments.playground import Playground


def test_history_stays_bounded_and_keeps_start_order_and_recent_points() -> None:
    history: dict[str, list[float]] = {"epoch": [], "loss": []}
    for epoch in range(20_000):
        history["epoch"].append(float(epoch))
        history["loss"].append(1.0 / (epoch + 1))
        thin_history(history, limit=500)
        assert len(history["epoch"]) <= 500
    epochs = history["epoch"]
    assert len(history["loss"]) == len(epochs)  # parallel lists stay aligned
    assert all(loss == 1.0 / (e + 1) for e, loss in zip(epochs, history["loss"], strict=True))
    assert epochs[0] == 0.0 and epochs[-1] == 19_999.0
    assert epochs == sorted(set(epochs))
    assert epochs[-250:] == [float(e) for e in range(20_000 - 250, 20_000)]  # recent detail


def test_short_history_is_untouched_and_limit_is_checked() -> None:
    history = {"epoch": [0.0, 1.0, 2.0]}
    thin_history(history, limit=4)
    assert history == {"epoch": [0.0, 1.0, 2.0]}
    with pytest.raises(ValueError):
        thin_history(history, limit=2)


def test_playground_history_is_bounded_on_a_long_run() -> None:
    exp = Playground({"points": 20, "batch_size": 20, "epochs": 10_000, "seed": 1})
    for _ in range(HISTORY_LIMIT + 200):
        exp.step()
    h = exp.history
    assert all(len(values) <= HISTORY_LIMIT for values in h.values())
    assert len({len(values) for values in h.values()}) == 1
    assert h["epoch"][0] == 0.0 and h["epoch"][-1] == float(HISTORY_LIMIT + 200)
    frame = exp.frame()
    assert frame.step == HISTORY_LIMIT + 200
    assert frame.metrics["train_loss"] == h["train_loss"][-1]
