"""Convolution and pooling in pure NumPy.

Layout is ``(N, C, H, W)`` (batch, channels, rows, columns). Weights have shape
``(C_out, C_in, kh, kw)`` and the bias ``(C_out,)``. Like deep-learning
frameworks, "convolution" here is cross-correlation: the kernel is slid over
the image without flipping it,

    out[n, o, i, j] = b[o] + Σ_c Σ_a Σ_b K[o, c, a, b] · X[n, c, i·s + a, j·s + b]

(on the zero-padded input). The hot path uses im2col built from a strided
view (no Python loop per pixel); the backward pass scatters the patch
gradients back with one loop over the kernel offsets (kh·kw iterations).

For the lessons: :func:`correlate2d` works on one grey image with one kernel,
and :func:`correlation_step` / :func:`correlation_steps` give the patch, the
element-wise products and the dot product at each output position, so the UI
can show the kernel sliding step by step. :data:`KERNELS` holds classic 3×3
filters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = [
    "KERNELS",
    "ConvCache",
    "CorrelationStep",
    "PoolCache",
    "avgpool_backward",
    "avgpool_forward",
    "conv2d",
    "conv2d_backward",
    "conv2d_forward",
    "conv_output_size",
    "correlate2d",
    "correlation_step",
    "correlation_steps",
    "flatten",
    "im2col",
    "kernel",
    "maxpool_backward",
    "maxpool_forward",
    "unflatten",
]


def conv_output_size(n: int, k: int, p: int = 0, s: int = 1) -> int:
    """Output length ``floor((n + 2p − k) / s) + 1`` along one axis.

    ``n`` input size, ``k`` kernel (or pooling window) size, ``p`` zero padding
    on each side, ``s`` stride. Raises ValueError with the reason when the
    combination does not fit.
    """
    for name, value in (("input size", n), ("kernel size", k), ("padding", p), ("stride", s)):
        if int(value) != value:
            raise ValueError(f"{name} must be an integer, got {value!r}")
    n, k, p, s = int(n), int(k), int(p), int(s)
    if n <= 0:
        raise ValueError(f"input size must be positive, got {n}")
    if k <= 0:
        raise ValueError(f"kernel size must be positive, got {k}")
    if p < 0:
        raise ValueError(f"padding must be zero or positive, got {p}")
    if s <= 0:
        raise ValueError(f"stride must be positive, got {s}")
    if k > n + 2 * p:
        raise ValueError(
            f"kernel size {k} is larger than the padded input {n} + 2·{p} = {n + 2 * p}"
        )
    return (n + 2 * p - k) // s + 1


def _pad(X: np.ndarray, padding: int) -> np.ndarray:
    if padding == 0:
        return X
    p = padding
    return np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))


def im2col(X: np.ndarray, kh: int, kw: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Patches of ``X`` (N, C, H, W) as a read-only strided view (N, Ho, Wo, C, kh, kw).

    ``view[n, i, j]`` is the (C, kh, kw) patch under the kernel at output
    position (i, j). Reshaping it to (N·Ho·Wo, C·kh·kw) gives the im2col matrix.
    """
    if X.ndim != 4:
        raise ValueError(f"expected X with shape (N, C, H, W), got {X.shape}")
    n, c, h, w = X.shape
    ho = conv_output_size(h, kh, padding, stride)
    wo = conv_output_size(w, kw, padding, stride)
    Xp = _pad(np.ascontiguousarray(X, dtype=np.float64), padding)
    sn, sc, sh, sw = Xp.strides
    return as_strided(
        Xp,
        shape=(n, ho, wo, c, kh, kw),
        strides=(sn, sh * stride, sw * stride, sc, sh, sw),
        writeable=False,
    )


@dataclass(frozen=True)
class ConvCache:
    """What :func:`conv2d_backward` needs from the forward pass."""

    cols: np.ndarray  # (N·Ho·Wo, C·kh·kw)
    x_shape: tuple[int, int, int, int]
    K: np.ndarray
    stride: int
    padding: int


def conv2d_forward(
    X: np.ndarray, K: np.ndarray, b: np.ndarray | None = None, stride: int = 1, padding: int = 0
) -> tuple[np.ndarray, ConvCache]:
    """Cross-correlate ``X`` (N, C, H, W) with ``K`` (C_out, C, kh, kw); returns (out, cache).

    ``out`` has shape (N, C_out, Ho, Wo) with Ho, Wo from :func:`conv_output_size`.
    """
    X = np.asarray(X, dtype=np.float64)
    K = np.asarray(K, dtype=np.float64)
    if K.ndim != 4:
        raise ValueError(f"expected K with shape (C_out, C_in, kh, kw), got {K.shape}")
    if X.ndim != 4 or X.shape[1] != K.shape[1]:
        raise ValueError(
            f"X has shape {X.shape} but K expects {K.shape[1]} input channels (N, C, H, W)"
        )
    c_out, c_in, kh, kw = K.shape
    view = im2col(X, kh, kw, stride, padding)
    n, ho, wo = view.shape[:3]
    cols = view.reshape(n * ho * wo, c_in * kh * kw)
    out = cols @ K.reshape(c_out, -1).T
    if b is not None:
        out += np.asarray(b, dtype=np.float64)
    out = np.ascontiguousarray(out.reshape(n, ho, wo, c_out).transpose(0, 3, 1, 2))
    return out, ConvCache(cols, X.shape, K, stride, padding)


def conv2d(
    X: np.ndarray, K: np.ndarray, b: np.ndarray | None = None, stride: int = 1, padding: int = 0
) -> np.ndarray:
    """Forward pass only: see :func:`conv2d_forward`."""
    return conv2d_forward(X, K, b, stride, padding)[0]


def conv2d_backward(
    dout: np.ndarray, cache: ConvCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients (dX, dK, db) given ``dout`` = ∂L/∂out with shape (N, C_out, Ho, Wo)."""
    K, s, p = cache.K, cache.stride, cache.padding
    c_out, c_in, kh, kw = K.shape
    n, _, h, w = cache.x_shape
    _, _, ho, wo = dout.shape
    d2 = dout.transpose(0, 2, 3, 1).reshape(-1, c_out)  # (N·Ho·Wo, C_out)
    dK = (d2.T @ cache.cols).reshape(K.shape)
    db = dout.sum(axis=(0, 2, 3))
    dcols = (d2 @ K.reshape(c_out, -1)).reshape(n, ho, wo, c_in, kh, kw)
    dcols = dcols.transpose(0, 3, 4, 5, 1, 2)  # (N, C, kh, kw, Ho, Wo)
    dXp = np.zeros((n, c_in, h + 2 * p, w + 2 * p))
    for a in range(kh):  # one iteration per kernel offset, not per pixel
        for c in range(kw):
            dXp[:, :, a : a + s * (ho - 1) + 1 : s, c : c + s * (wo - 1) + 1 : s] += dcols[
                :, :, a, c
            ]
    dX = dXp[:, :, p : p + h, p : p + w] if p else dXp
    return np.ascontiguousarray(dX), dK, db


# ---------------------------------------------------------------- pooling


@dataclass(frozen=True)
class PoolCache:
    """What the pooling backward passes need from the forward pass."""

    x_shape: tuple[int, int, int, int]
    size: int
    stride: int
    argmax: np.ndarray | None  # (N, C, Ho, Wo) flat index inside the window (max pooling)


def _windows(X: np.ndarray, size: int, stride: int) -> np.ndarray:
    """Read-only view (N, C, Ho, Wo, size, size) of the pooling windows."""
    if X.ndim != 4:
        raise ValueError(f"expected X with shape (N, C, H, W), got {X.shape}")
    n, c, h, w = X.shape
    ho = conv_output_size(h, size, 0, stride)
    wo = conv_output_size(w, size, 0, stride)
    sn, sc, sh, sw = X.strides
    return as_strided(
        X,
        shape=(n, c, ho, wo, size, size),
        strides=(sn, sc, sh * stride, sw * stride, sh, sw),
        writeable=False,
    )


def maxpool_forward(
    X: np.ndarray, size: int = 2, stride: int | None = None
) -> tuple[np.ndarray, PoolCache]:
    """Max over each ``size``×``size`` window moved by ``stride`` (default ``size``)."""
    stride = size if stride is None else stride
    X = np.ascontiguousarray(X, dtype=np.float64)
    win = _windows(X, size, stride)
    flat = win.reshape(*win.shape[:4], size * size)
    arg = flat.argmax(axis=-1)
    out = np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]
    return out, PoolCache(X.shape, size, stride, arg)


def maxpool_backward(dout: np.ndarray, cache: PoolCache) -> np.ndarray:
    """∂L/∂X: each window's gradient goes to the position of its maximum (first on ties)."""
    size, s = cache.size, cache.stride
    dX = np.zeros(cache.x_shape)
    ho, wo = dout.shape[2:]
    for a in range(size):  # loop over window offsets; overlapping windows add up
        for c in range(size):
            hit = cache.argmax == a * size + c
            dX[:, :, a : a + s * (ho - 1) + 1 : s, c : c + s * (wo - 1) + 1 : s] += dout * hit
    return dX


def avgpool_forward(
    X: np.ndarray, size: int = 2, stride: int | None = None
) -> tuple[np.ndarray, PoolCache]:
    """Mean over each ``size``×``size`` window moved by ``stride`` (default ``size``)."""
    stride = size if stride is None else stride
    X = np.ascontiguousarray(X, dtype=np.float64)
    out = _windows(X, size, stride).mean(axis=(-2, -1))
    return out, PoolCache(X.shape, size, stride, None)


def avgpool_backward(dout: np.ndarray, cache: PoolCache) -> np.ndarray:
    """∂L/∂X: each window's gradient is shared equally by its size² inputs."""
    size, s = cache.size, cache.stride
    dX = np.zeros(cache.x_shape)
    ho, wo = dout.shape[2:]
    share = dout / (size * size)
    for a in range(size):
        for c in range(size):
            dX[:, :, a : a + s * (ho - 1) + 1 : s, c : c + s * (wo - 1) + 1 : s] += share
    return dX


def flatten(X: np.ndarray) -> np.ndarray:
    """(N, C, H, W) -> (N, C·H·W), channel-major like ``X.reshape(N, -1)``."""
    return np.asarray(X).reshape(len(X), -1)


def unflatten(dX: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of :func:`flatten` for gradients: (N, C·H·W) -> ``shape``."""
    return np.asarray(dX).reshape(shape)


# ------------------------------------------------- one image, one kernel


def _check_2d(image: np.ndarray, kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(
            f"expected a 2-D image and a 2-D kernel, got shapes {image.shape} and {kernel.shape}"
        )
    return image, kernel


def correlate2d(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0
) -> np.ndarray:
    """Slide ``kernel`` over one grey ``image`` (2-D) and take the dot product at each place."""
    image, kernel = _check_2d(image, kernel)
    return conv2d(image[None, None], kernel[None, None], None, stride, padding)[0, 0]


@dataclass(frozen=True)
class CorrelationStep:
    """One position of the sliding kernel.

    ``top``/``left`` locate the patch in the *padded* image; ``products`` is
    ``patch * kernel`` element by element and ``value`` their sum (the dot
    product written to ``out[row, col]``).
    """

    row: int
    col: int
    top: int
    left: int
    patch: np.ndarray
    products: np.ndarray
    value: float


def correlation_step(
    image: np.ndarray, kernel: np.ndarray, row: int, col: int, stride: int = 1, padding: int = 0
) -> CorrelationStep:
    """The patch, products and dot product behind output position (``row``, ``col``)."""
    image, kernel = _check_2d(image, kernel)
    kh, kw = kernel.shape
    ho = conv_output_size(image.shape[0], kh, padding, stride)
    wo = conv_output_size(image.shape[1], kw, padding, stride)
    if not (0 <= row < ho and 0 <= col < wo):
        raise ValueError(f"output position ({row}, {col}) is outside the {ho}×{wo} output")
    padded = np.pad(image, padding) if padding else image
    top, left = row * stride, col * stride
    patch = padded[top : top + kh, left : left + kw].copy()
    products = patch * kernel
    return CorrelationStep(row, col, top, left, patch, products, float(products.sum()))


def correlation_steps(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0
) -> Iterator[CorrelationStep]:
    """Every :class:`CorrelationStep` in reading order (row by row)."""
    image, kernel = _check_2d(image, kernel)
    ho = conv_output_size(image.shape[0], kernel.shape[0], padding, stride)
    wo = conv_output_size(image.shape[1], kernel.shape[1], padding, stride)
    for i in range(ho):
        for j in range(wo):
            yield correlation_step(image, kernel, i, j, stride, padding)


# ---------------------------------------------------------- classic kernels

KERNELS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    # Prewitt-style: respond to horizontal / vertical edges
    "edge_horizontal": np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]], dtype=float),
    "edge_vertical": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=float),
    "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
    "sobel_x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "sobel_y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "box_blur": np.full((3, 3), 1.0 / 9.0),
    "gaussian_blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=float) / 16.0,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
}
for _k in KERNELS.values():
    _k.setflags(write=False)


def kernel(name: str) -> np.ndarray:
    """A writable copy of the classic kernel ``name`` (see :data:`KERNELS`)."""
    try:
        return KERNELS[name].copy()
    except KeyError:
        raise ValueError(f"unknown kernel {name!r}; choose from {', '.join(KERNELS)}") from None
