"""The UI's lazily imported NumPy: imported on first use, each attribute looked up once."""

from __future__ import annotations

import colorsys

from tui_workshop.ui.lazy_numpy import _LazyModule


def test_an_attribute_is_the_modules_and_is_kept() -> None:
    lazy = _LazyModule("colorsys")
    assert "rgb_to_hsv" not in vars(lazy)
    assert lazy.rgb_to_hsv is colorsys.rgb_to_hsv
    assert vars(lazy)["rgb_to_hsv"] is colorsys.rgb_to_hsv  # the next use skips the import
