"""Small grey images: the 8×8 handwritten digits and a few shapes to filter.

``load_digits`` reads the UCI "Optical Recognition of Handwritten Digits" test
set shipped in ``tui_workshop/nn/data/digits.csv.gz`` (1797 images, CC BY 4.0;
see ``data/ATTRIBUTION.md``), through importlib.resources so it works from a
wheel or an editable install. Nothing is downloaded.
"""

from __future__ import annotations

import gzip
import io
from functools import lru_cache
from importlib import resources

import numpy as np

__all__ = ["DIGIT_SHAPE", "load_digits", "sample_images"]

DIGIT_SHAPE = (8, 8)


@lru_cache(maxsize=1)
def _digits_table() -> np.ndarray:
    raw = resources.files("tui_workshop.nn").joinpath("data/digits.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)
    table.setflags(write=False)
    return table


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """(X, y): X (1797, 64) floats in [0, 1] (pixel counts 0..16 divided by 16), y digits 0..9.

    Row ``i`` of X reshaped to (8, 8) is image ``i``, row by row from the top.
    """
    table = _digits_table()
    X = table[:, :64].astype(np.float64) / 16.0
    y = table[:, 64].copy()
    return X, y


def _upscale(image: np.ndarray, size: int) -> np.ndarray:
    """Nearest-neighbour resize of a square image to ``size``×``size``."""
    n = image.shape[0]
    idx = np.arange(size) * n // size
    return image[np.ix_(idx, idx)]


def sample_images(size: int = 16, digit_index: int = 0) -> dict[str, np.ndarray]:
    """A few ``size``×``size`` grey images in [0, 1] to try kernels on.

    Keys: square, circle, diagonal, checkerboard, digit (digit ``digit_index``
    of the data set, enlarged).
    """
    if size < 6:
        raise ValueError(f"size must be at least 6, got {size}")
    r, c = np.mgrid[0:size, 0:size]
    centre = (size - 1) / 2.0
    square = np.zeros((size, size))
    q = size // 4
    square[q : size - q, q : size - q] = 1.0
    circle = ((r - centre) ** 2 + (c - centre) ** 2 <= (size / 3.0) ** 2).astype(float)
    diagonal = (np.abs(r - c) <= size // 16).astype(float)
    block = max(size // 4, 1)
    checkerboard = (((r // block) + (c // block)) % 2).astype(float)
    X, _ = load_digits()
    digit = _upscale(X[digit_index].reshape(DIGIT_SHAPE), size)
    return {
        "square": square,
        "circle": circle,
        "diagonal": diagonal,
        "checkerboard": checkerboard,
        "digit": digit,
    }
