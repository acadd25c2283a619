"""A small convolutional network: conv → ReLU → max pool → flatten → dense → softmax.

    z = conv(X, K) + bk        (N, F, Ho, Wo)   F filters of size k×k
    a = maxpool(relu(z))       (N, F, P, Q)     windows pool×pool, stride pool
    p = softmax(flatten(a) W + b)               categorical cross-entropy loss

Parameters are ``[K, bk, W, b]`` with K (F, C, k, k), bk (F,), W (F·P·Q,
n_classes), b (n_classes,); W's rows follow :func:`conv.flatten` order
(filter, row, column). All parameters are views of one flat array and all
gradients views of another, so an optimiser may update them in place. Inside
the flat array K and bk are stored as the matrix [K; bk]ᵀ of shape
(C·k·k + 1, F) that the convolution matmul uses as is (K and bk are strided
views of it); W and b follow in the usual order.

``loss_and_grads`` is the fast training path: im2col through one ``np.take``
with a precomputed index (patches grouped by pooling window), one matmul for
the convolution and its bias (reading the parameters in place, and writing
their gradients in place), and ReLU folded into the pooling (max then ReLU
equals ReLU then max). ``forward`` and ``feature_maps`` use the plain layer
functions of :mod:`tui_workshop.nn.conv`, which keeps the two paths checkable
against each other.
"""

from __future__ import annotations

import numpy as np

from . import conv

__all__ = ["CNN"]


class _FlatList(list):
    """Arrays that are views into the flat vector ``flat`` (in list order).

    Optimisers use ``flat`` to update everything in a few calls.
    """

    __slots__ = ("flat",)

    def __init__(self, arrays, flat: np.ndarray) -> None:
        super().__init__(arrays)
        self.flat = flat


class _Buffers:
    """Work arrays for one batch size, reused between training steps."""

    def __init__(self, n: int, net: CNN) -> None:
        co, pq, pp, nflat = net.filters, net._pq, net._pp, net._nflat
        c, h, w = net.input_shape
        p = net.padding
        # input copied behind a zero border, plus a trailing 1 that feeds the conv bias
        self.src = np.zeros((n, c * (h + 2 * p) * (w + 2 * p) + 1))
        self.src[:, -1] = 1.0
        inner = self.src[:, :-1].reshape(n, c, h + 2 * p, w + 2 * p)
        self.interior = inner[:, :, p : p + h, p : p + w]
        # per-sample patch indices into src.ravel(): (pp, n, PQ, F + 1), offset first
        offsets = (np.arange(n) * self.src.shape[1]).reshape(1, n, 1, 1)
        self.index = np.ascontiguousarray(net._idx[:, None] + offsets, dtype=np.intp)
        self.cols = np.empty(self.index.shape)
        self.z = np.empty((n * pp * pq, co))
        # pooled activations in (P, Q, filter) order; last column 1 feeds the dense bias
        self.a_ext = np.ones((n, nflat + 1))
        self.r = np.empty((n, nflat))
        self.logits = np.empty((n, net.n_classes))
        self.total = np.empty((n, 1))
        self.da = np.empty((n, nflat))
        self.pos = np.empty((n, pq * co), dtype=bool)
        self.dm = np.empty((n, pq * co))
        self.hot = np.empty((pp, n, pq * co), dtype=bool)
        self.claimed = np.empty((n, pq * co), dtype=bool)
        self.dz = np.empty((n * pp * pq, co))
        self.flat_rows = np.arange(n) * net.n_classes  # + y: flat index of the true class


class CNN:
    """conv → ReLU → max pool → dense → softmax classifier (see module docstring).

    ``X`` may be given flattened, (n, C·H·W) — e.g. (n, 64) digits — or as
    images (n, C, H, W). ``pool`` of 1 (or None) means no pooling. ``l2`` adds
    ``l2/2 · (‖K‖² + ‖W‖²)`` to the loss (biases are not penalised).
    """

    def __init__(
        self,
        input_shape: tuple[int, int, int] = (1, 8, 8),
        filters: int = 8,
        kernel: int = 3,
        stride: int = 1,
        padding: int = 0,
        pool: int | None = 2,
        n_classes: int = 10,
        seed: int = 0,
        l2: float = 0.0,
    ) -> None:
        if len(input_shape) != 3:
            raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}")
        c, h, w = (int(v) for v in input_shape)
        if filters < 1 or n_classes < 2:
            raise ValueError("need at least 1 filter and 2 classes")
        if l2 < 0:
            raise ValueError(f"l2 must be zero or positive, got {l2}")
        self.input_shape = (c, h, w)
        self._size = c * h * w
        self._ones = np.ones((n_classes, 1))
        self.filters, self.kernel, self.stride, self.padding = filters, kernel, stride, padding
        self.pool = int(pool) if pool and pool > 1 else 1
        self.n_classes, self.l2, self.seed = n_classes, float(l2), seed

        ho = conv.conv_output_size(h, kernel, padding, stride)
        wo = conv.conv_output_size(w, kernel, padding, stride)
        hq = conv.conv_output_size(ho, self.pool, 0, self.pool)
        wq = conv.conv_output_size(wo, self.pool, 0, self.pool)
        self.conv_shape = (filters, ho, wo)
        self.pool_shape = (filters, hq, wq)
        self._pq, self._pp = hq * wq, self.pool * self.pool
        self._feat = c * kernel * kernel
        self._kt = np.empty((self._feat + 1, filters))  # [K; bk] transposed for the matmul
        self._gkt = np.empty((self._feat + 1, filters))
        n_flat = self._nflat = filters * self._pq
        # [W; b] with W's rows permuted to the (P, Q, filter) order of the fast path
        self._wp = np.empty((n_flat + 1, n_classes))
        self._gwp = np.empty((n_flat + 1, n_classes))
        self._idx = self._patch_index(c, h + 2 * padding, w + 2 * padding, hq, wq)
        shapes = [(filters, c, kernel, kernel), (filters,), (n_flat, n_classes), (n_classes,)]
        sizes = [int(np.prod(s)) for s in shapes]
        self._flat = np.zeros(sum(sizes))
        self._flat_grad = np.zeros(sum(sizes))
        params, grads, start = [], [], 0
        for shape, size in zip(shapes, sizes, strict=True):
            params.append(self._flat[start : start + size].reshape(shape))
            grads.append(self._flat_grad[start : start + size].reshape(shape))
            start += size
        self.params = _FlatList(params, self._flat)
        self.grads = _FlatList(grads, self._flat_grad)
        rng = np.random.default_rng(seed)
        K, _, W, _ = self.params
        K[...] = rng.normal(0.0, np.sqrt(2.0 / self._feat), K.shape)  # He for ReLU
        limit = np.sqrt(6.0 / (n_flat + n_classes))  # Glorot for the softmax layer
        W[...] = rng.uniform(-limit, limit, W.shape)
        self._buffers: dict[int, _Buffers] = {}

    # ------------------------------------------------------------ helpers

    @property
    def n_params(self) -> int:
        return int(self._flat.size)

    def _patch_index(self, c: int, hp: int, wp: int, hq: int, wq: int) -> np.ndarray:
        """Indices into the padded flat image (+ a final 1 for the bias).

        Shape (pool², P·Q, C·k·k + 1): pooling-window offset first, so each
        offset's conv outputs form one contiguous block; columns (C, a, b)
        then the bias.
        """
        k, s, pool = self.kernel, self.stride, self.pool
        di = np.arange(pool).reshape(pool, 1, 1, 1, 1, 1, 1)
        dj = np.arange(pool).reshape(1, pool, 1, 1, 1, 1, 1)
        pi = np.arange(hq).reshape(1, 1, hq, 1, 1, 1, 1)
        qj = np.arange(wq).reshape(1, 1, 1, wq, 1, 1, 1)
        ch = np.arange(c).reshape(1, 1, 1, 1, c, 1, 1)
        a = np.arange(k).reshape(1, 1, 1, 1, 1, k, 1)
        b = np.arange(k).reshape(1, 1, 1, 1, 1, 1, k)
        row = (pi * pool + di) * s + a
        col = (qj * pool + dj) * s + b
        idx = (ch * hp * wp + row * wp + col).reshape(pool * pool, hq * wq, c * k * k)
        bias = np.full((pool * pool, hq * wq, 1), c * hp * wp)
        return np.ascontiguousarray(np.concatenate([idx, bias], axis=2), dtype=np.intp)

    def _as_flat(self, X) -> np.ndarray:
        size = self._size
        if (
            type(X) is np.ndarray
            and X.dtype == np.float64
            and X.ndim == 2
            and X.shape[1] == size
            and X.flags.c_contiguous
        ):
            return X  # the common case, checked cheaply
        X = np.asarray(X, dtype=np.float64)
        if (X.ndim == 4 and X.shape[1:] == self.input_shape) or (
            X.ndim == 2 and X.shape[1] == size
        ):
            return np.ascontiguousarray(X.reshape(len(X), size))
        raise ValueError(
            f"expected X with shape (n, {size}) or (n, {', '.join(map(str, self.input_shape))}),"
            f" got {X.shape}"
        )

    def _get_buffers(self, n: int) -> _Buffers:
        buffers = self._buffers.get(n)
        if buffers is None:
            if len(self._buffers) >= 4:  # e.g. a last smaller batch: keep few
                self._buffers.clear()
            buffers = self._buffers[n] = _Buffers(n, self)
        return buffers

    # ------------------------------------------------------ the contract

    def feature_maps(self, X) -> dict[str, np.ndarray]:
        """Every intermediate activation, for display; changes no parameter.

        Keys: ``input`` (n, C, H, W), ``conv`` (n, F, Ho, Wo) before ReLU,
        ``relu``, ``pool`` (n, F, P, Q), ``flat`` (n, F·P·Q), ``logits`` and
        ``probabilities`` (n, n_classes).
        """
        X4 = self._as_flat(X).reshape(-1, *self.input_shape)
        K, bk, W, b = self.params
        z = conv.conv2d(X4, K, bk, self.stride, self.padding)
        relu = np.maximum(z, 0.0)
        pooled = conv.maxpool_forward(relu, self.pool)[0] if self.pool > 1 else relu
        flat = conv.flatten(pooled)
        logits = flat @ W + b
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = shifted / shifted.sum(axis=1, keepdims=True)
        return {
            "input": X4,
            "conv": z,
            "relu": relu,
            "pool": pooled,
            "flat": flat,
            "logits": logits,
            "probabilities": probs,
        }

    def forward(self, X) -> np.ndarray:
        """Class probabilities (n, n_classes)."""
        return self.feature_maps(X)["probabilities"]

    def predict(self, X) -> np.ndarray:
        """Most probable class index for each sample."""
        return np.argmax(self.forward(X), axis=1)

    def loss_and_grads(self, X, y) -> tuple[float, list[np.ndarray]]:
        """Mean cross-entropy (+ L2) and gradients ``[dK, dbk, dW, db]``.

        The gradients are views of one internal buffer, valid until the next call.
        """
        Xf = self._as_flat(X)
        y = np.asarray(y, dtype=np.intp).reshape(-1)
        n = len(Xf)
        if len(y) != n:
            raise ValueError(f"X has {n} samples but y has {len(y)}")
        if n == 0:
            raise ValueError("empty batch")
        B = self._get_buffers(n)
        K, bk, W, b = self.params
        gK, gbk, gW, gb = self.grads
        co, pp, f = self.filters, self._pp, self._feat
        nflat = self._nflat
        pq, k_out = self._pq, self.n_classes
        wp, gwp = self._wp, self._gwp
        np.copyto(wp[:nflat].reshape(pq, co, k_out), W.reshape(co, pq, k_out).transpose(1, 0, 2))
        wp[nflat] = b

        # forward: im2col with one take, conv + bias with one matmul
        B.interior[...] = Xf.reshape(B.interior.shape)
        np.take(B.src.ravel(), B.index, out=B.cols, mode="wrap")  # indices are valid
        cols = B.cols.reshape(-1, f + 1)
        kt = self._kt
        np.copyto(kt[:f], K.reshape(co, f).T)
        kt[f] = bk
        np.matmul(cols, kt, out=B.z)
        # max over the pooling window and ReLU in one chain: r = max(0, z_0, z_1, ...)
        z3 = B.z.reshape(pp, n, -1)
        r = B.r
        np.maximum(z3[0], 0.0, out=r)
        for k in range(1, pp):
            np.maximum(r, z3[k], out=r)
        # dense + bias with one matmul (rows of W permuted to match r)
        B.a_ext[:, :nflat] = r
        logits = B.logits
        np.matmul(B.a_ext, wp, out=logits)
        # shift for a stable exp: by the batch max when the logits' spread is small
        # (a single reduction, cheaper than per-row maxima), else row by row
        top = logits.max()
        if top - logits.min() < 500.0:
            logits -= top
        else:
            logits -= logits.max(axis=1, keepdims=True)
        true_class = B.flat_rows + y
        picked = logits.ravel()[true_class]
        np.exp(logits, out=logits)
        np.matmul(logits, self._ones, out=B.total)  # row sums
        loss = (np.log(B.total).sum() - picked.sum()) / n
        logits /= B.total  # now probabilities

        # backward: softmax + cross-entropy, dense
        dlogits = logits
        dlogits.ravel()[true_class] -= 1.0
        dlogits *= 1.0 / n
        np.matmul(B.a_ext.T, dlogits, out=gwp)
        np.copyto(gW.reshape(co, pq, k_out), gwp[:nflat].reshape(pq, co, k_out).transpose(1, 0, 2))
        np.copyto(gb, gwp[nflat])
        np.matmul(dlogits, wp[:nflat].T, out=B.da)
        # ReLU and pooling: the gradient goes to the first maximum of each window
        np.greater(r, 0.0, out=B.pos)
        np.multiply(B.da, B.pos, out=B.dm)
        hot = B.hot
        np.equal(z3, r, out=hot)
        if pp > 1:  # keep only the first maximum: hot[k] and not claimed by hot[:k]
            claimed = hot[0]
            for k in range(1, pp):
                np.greater(hot[k], claimed, out=hot[k])  # a > b is a and not b
                if k < pp - 1:
                    claimed = np.logical_or(claimed, hot[k], out=B.claimed)
        np.multiply(hot, B.dm, out=B.dz.reshape(pp, n, -1))
        # conv weights and bias with one matmul
        np.matmul(cols.T, B.dz, out=self._gkt)
        np.copyto(gK.reshape(co, f), self._gkt[:f].T)
        np.copyto(gbk, self._gkt[f])
        if self.l2:
            loss += 0.5 * self.l2 * (float(np.vdot(K, K)) + float(np.vdot(W, W)))
            gK += self.l2 * K
            gW += self.l2 * W
        return float(loss), self.grads
