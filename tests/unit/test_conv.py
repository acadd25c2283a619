"""Convolution, pooling and the one-image helpers against naive loops and central differences."""

from __future__ import annotations

import numpy as np
import pytest

from tui_workshop.nn import conv


def naive_conv(X, K, b, stride, padding):
    n, _, h, w = X.shape
    co, _, kh, kw = K.shape
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho = (h + 2 * padding - kh) // stride + 1
    wo = (w + 2 * padding - kw) // stride + 1
    out = np.zeros((n, co, ho, wo))
    for i in range(n):
        for o in range(co):
            for r in range(ho):
                for s in range(wo):
                    patch = Xp[i, :, r * stride : r * stride + kh, s * stride : s * stride + kw]
                    out[i, o, r, s] = np.sum(patch * K[o]) + b[o]
    return out


def naive_pool(X, size, stride, reduce):
    n, c, h, w = X.shape
    ho, wo = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((n, c, ho, wo))
    for r in range(ho):
        for s in range(wo):
            win = X[:, :, r * stride : r * stride + size, s * stride : s * stride + size]
            out[:, :, r, s] = reduce(win, axis=(2, 3))
    return out


def numerical_grad(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        plus = f()
        x[idx] = old - eps
        minus = f()
        x[idx] = old
        g[idx] = (plus - minus) / (2 * eps)
    return g


def rel(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


CASES = [
    # (n, c_in, h, w, c_out, kh, kw, stride, padding)
    (2, 1, 8, 8, 1, 3, 3, 1, 0),
    (2, 3, 7, 9, 4, 3, 3, 1, 1),
    (1, 2, 8, 8, 3, 3, 3, 2, 0),
    (2, 2, 9, 7, 2, 2, 3, 2, 2),
    (1, 1, 6, 6, 2, 5, 5, 3, 1),
    (3, 4, 5, 5, 1, 1, 1, 1, 0),
]


@pytest.mark.parametrize("case", CASES)
def test_conv2d_equals_naive_loops(case):
    n, c, h, w, co, kh, kw, s, p = case
    rng = np.random.default_rng(sum(case))
    X = rng.normal(size=(n, c, h, w))
    K = rng.normal(size=(co, c, kh, kw))
    b = rng.normal(size=co)
    out = conv.conv2d(X, K, b, stride=s, padding=p)
    expected = naive_conv(X, K, b, s, p)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES[:5])
def test_conv2d_gradients_match_central_differences(case):
    n, c, h, w, co, kh, kw, s, p = case
    rng = np.random.default_rng(100 + sum(case))
    X = rng.normal(size=(n, c, h, w))
    K = rng.normal(size=(co, c, kh, kw))
    b = rng.normal(size=co)
    out, cache = conv.conv2d_forward(X, K, b, s, p)
    R = rng.normal(size=out.shape)  # loss = sum(out * R), so dL/dout = R

    def loss():
        return float(np.sum(conv.conv2d(X, K, b, s, p) * R))

    dX, dK, db = conv.conv2d_backward(R, cache)
    assert rel(dX, numerical_grad(loss, X)) < 1e-7
    assert rel(dK, numerical_grad(loss, K)) < 1e-7
    assert rel(db, numerical_grad(loss, b)) < 1e-7


@pytest.mark.parametrize(("size", "stride"), [(2, 2), (3, 2), (2, 1), (3, 3)])
def test_pooling_forward_equals_naive(size, stride):
    X = np.random.default_rng(size * 10 + stride).normal(size=(2, 3, 7, 8))
    mx, _ = conv.maxpool_forward(X, size, stride)
    av, _ = conv.avgpool_forward(X, size, stride)
    np.testing.assert_allclose(mx, naive_pool(X, size, stride, np.max))
    np.testing.assert_allclose(av, naive_pool(X, size, stride, np.mean), rtol=1e-12)


@pytest.mark.parametrize(("size", "stride"), [(2, 2), (3, 2), (2, 1)])
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_gradients_match_central_differences(size, stride, kind):
    rng = np.random.default_rng(size + 7 * stride)
    X = rng.normal(size=(2, 2, 6, 7))  # continuous values: no ties in a window
    forward = conv.maxpool_forward if kind == "max" else conv.avgpool_forward
    backward = conv.maxpool_backward if kind == "max" else conv.avgpool_backward
    out, cache = forward(X, size, stride)
    R = rng.normal(size=out.shape)
    dX = backward(R, cache)
    num = numerical_grad(lambda: float(np.sum(forward(X, size, stride)[0] * R)), X)
    assert rel(dX, num) < 1e-7


def test_maxpool_tie_sends_gradient_to_first_maximum_only():
    X = np.ones((1, 1, 2, 2))
    out, cache = conv.maxpool_forward(X, 2)
    dX = conv.maxpool_backward(np.array([[[[3.0]]]]), cache)
    assert out[0, 0, 0, 0] == 1.0
    np.testing.assert_array_equal(dX[0, 0], [[3.0, 0.0], [0.0, 0.0]])


@pytest.mark.parametrize(
    ("n", "k", "p", "s", "expected"),
    [
        (8, 3, 0, 1, 6),
        (8, 3, 1, 1, 8),
        (8, 3, 0, 2, 3),
        (7, 3, 1, 2, 4),
        (5, 5, 0, 1, 1),
        (32, 5, 2, 3, 11),
    ],
)
def test_conv_output_size_formula(n, k, p, s, expected):
    assert conv.conv_output_size(n, k, p, s) == expected
    assert expected == (n + 2 * p - k) // s + 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((5, 7, 0, 1), "larger than the padded input"),
        ((5, 8, 1, 1), "larger than the padded input"),
        ((8, 3, 0, 0), "stride must be positive"),
        ((8, 3, 0, -2), "stride must be positive"),
        ((8, 0, 0, 1), "kernel size must be positive"),
        ((8, 3, -1, 1), "padding must be zero or positive"),
        ((0, 3, 0, 1), "input size must be positive"),
        ((8, 2.5, 0, 1), "must be an integer"),
    ],
)
def test_conv_output_size_errors(args, message):
    with pytest.raises(ValueError, match=message):
        conv.conv_output_size(*args)


def test_conv2d_rejects_mismatched_channels_and_oversized_kernel():
    with pytest.raises(ValueError, match="input channels"):
        conv.conv2d(np.zeros((1, 2, 5, 5)), np.zeros((1, 3, 3, 3)))
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv.conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)))


def test_correlate2d_and_steps_show_each_dot_product():
    rng = np.random.default_rng(3)
    image = rng.integers(0, 5, size=(6, 7)).astype(float)
    kernel = rng.integers(-2, 3, size=(3, 3)).astype(float)
    out = conv.correlate2d(image, kernel, stride=2, padding=1)
    expected = naive_conv(image[None, None], kernel[None, None], [0.0], 2, 1)[0, 0]
    np.testing.assert_allclose(out, expected)
    steps = list(conv.correlation_steps(image, kernel, stride=2, padding=1))
    assert len(steps) == out.size
    assert [(st.row, st.col) for st in steps[:3]] == [(0, 0), (0, 1), (0, 2)]
    padded = np.pad(image, 1)
    for st in steps:
        assert st.value == pytest.approx(out[st.row, st.col])
        np.testing.assert_array_equal(st.patch, padded[st.top : st.top + 3, st.left : st.left + 3])
        np.testing.assert_allclose(st.products, st.patch * kernel)
    with pytest.raises(ValueError, match="outside"):
        conv.correlation_step(image, kernel, out.shape[0], 0, stride=2, padding=1)


def test_classic_kernels():
    image = np.zeros((8, 8))
    image[:, 4:] = 1.0  # a vertical edge between columns 3 and 4
    assert set(conv.KERNELS) >= {
        "identity", "edge_horizontal", "edge_vertical", "laplacian",
        "sobel_x", "sobel_y", "box_blur", "gaussian_blur", "sharpen",
    }
    np.testing.assert_allclose(conv.correlate2d(image, conv.kernel("identity")), image[1:-1, 1:-1])
    sx = conv.correlate2d(image, conv.kernel("sobel_x"))
    sy = conv.correlate2d(image, conv.kernel("sobel_y"))
    assert np.abs(sx).max() == 4.0 and np.abs(sy).max() == 0.0
    assert np.abs(conv.correlate2d(image, conv.kernel("edge_horizontal"))).max() == 0.0
    assert np.abs(conv.correlate2d(image, conv.kernel("edge_vertical"))).max() == 3.0
    for name in ("box_blur", "gaussian_blur", "sharpen", "identity"):
        assert conv.kernel(name).sum() == pytest.approx(1.0)  # keep flat areas unchanged
    assert conv.kernel("laplacian").sum() == 0.0
    k = conv.kernel("sharpen")
    k[0, 0] = 99.0  # a copy: the table is not changed
    assert conv.KERNELS["sharpen"][0, 0] == 0.0
    with pytest.raises(ValueError, match="unknown kernel"):
        conv.kernel("emboss-xyz")


def test_flatten_round_trip():
    X = np.arange(2 * 3 * 4 * 5, dtype=float).reshape(2, 3, 4, 5)
    flat = conv.flatten(X)
    assert flat.shape == (2, 60)
    np.testing.assert_array_equal(flat[1, :5], X[1, 0, 0])
    np.testing.assert_array_equal(conv.unflatten(flat, X.shape), X)
