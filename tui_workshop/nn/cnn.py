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
against each other. ``logits``, ``predict`` and ``evaluate`` (the loss and
the predictions of a whole set in one pass) take the fast path's forward half,
in chunks of :data:`EVAL_CHUNK` samples so that no set size allocates buffers.
"""

from __future__ import annotations

import numpy as np

from . import conv
from .mlp import ParamList

__all__ = ["CNN"]

# reductions called directly (the array methods add a Python-level wrapper)
_max, _min, _sum = np.maximum.reduce, np.minimum.reduce, np.add.reduce
EVAL_CHUNK = 256  # samples per forward pass when evaluating a set


class _Buffers:
    """Work arrays for one batch size, reused between training steps."""

    def __init__(self, n: int, net: CNN) -> None:
        co, pq, pp, nflat = net.filters, net._pq, net._pp, net._nflat
        k_out = net.n_classes
        c, h, w = net.input_shape
        p = net.padding
        # input copied behind a zero border
        self.src = np.zeros((n, c * (h + 2 * p) * (w + 2 * p)))
        self.src_flat = self.src.reshape(-1)
        inner = self.src.reshape(n, c, h + 2 * p, w + 2 * p)
        self.interior = inner[:, :, p : p + h, p : p + w]
        # im2col, transposed: colsT[:, m] = [patch m; 1] for the M = pp·n·PQ conv outputs
        # (pooling-window offset first); colsT[:f] comes from one take with the
        # per-sample patch indices into src.ravel(), shape (f, pp, n, PQ); the row
        # of ones feeds the conv bias
        f = net._feat
        offsets = (np.arange(n) * self.src.shape[1]).reshape(1, n, 1, 1)
        index = (net._idx[:, None] + offsets).transpose(3, 0, 1, 2)
        self.index = np.ascontiguousarray(index, dtype=np.intp)
        self.colsT = np.ones((f + 1, n * pp * pq))
        self.patches = self.colsT[:f].reshape(self.index.shape)
        self.cols = self.colsT.T
        self.z = np.empty((n * pp * pq, co))
        self.z2 = self.z.reshape(pp, n * pq * co)  # one row per pooling-window offset
        # pooled activations in (P, Q, filter) order
        self.r = np.empty((n, nflat))
        self.r1 = self.r.reshape(-1)
        self.rT = self.r.T
        self.logits = np.empty((n, k_out))
        self.logits_flat = self.logits.reshape(-1)
        self.n_col = np.full((k_out, 1), float(n))  # row sums times n, as a matmul
        self.total = np.empty((n, 1))
        self.ones_n = np.ones(n)
        self.log_n = float(np.log(n))
        self.log_total = np.empty((n, 1))
        self.inv_n = 1.0 / n
        self.zeros = np.zeros(n * nflat)
        # wins[k]: z_k > max(0, z_0..z_{k-1}), so the last win of a window marks its
        # first maximum, or no win at all when every z <= 0 (ReLU blocks the gradient)
        self.wins = np.empty((pp, n * nflat), dtype=bool)
        self.da = np.empty((n, nflat))
        self.da1 = self.da.reshape(-1)
        self.rest = np.empty(n * nflat)
        self.dz = np.empty((n * pp * pq, co))
        self.dz2 = self.dz.reshape(pp, -1)
        self.flat_rows = np.arange(n) * k_out  # + y: flat index of the true class


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
        f = self._feat = c * kernel * kernel
        n_flat = self._nflat = filters * self._pq
        self._idx = self._patch_index(c, h + 2 * padding, w + 2 * padding, hq, wq)
        # flat layout: [K; bk]ᵀ as a (f + 1, F) matrix, then W (n_flat, n_classes), then b
        n_conv, n_dense = (f + 1) * filters, n_flat * n_classes
        self._flat = np.zeros(n_conv + n_dense + n_classes)
        self._flat_grad = np.zeros(n_conv + n_dense + n_classes)
        views = []
        for flat in (self._flat, self._flat_grad):
            kt = flat[:n_conv].reshape(f + 1, filters)  # the conv matmul's right operand
            K = kt[:f].reshape(c, kernel, kernel, filters).transpose(3, 0, 1, 2)
            W = flat[n_conv : n_conv + n_dense].reshape(n_flat, n_classes)
            views.append((kt, [K, kt[f], W, flat[n_conv + n_dense :]]))
        (self._kt, params), (self._gkt, grads) = views
        self.params = ParamList(params, self._flat)
        self.grads = ParamList(grads, self._flat_grad)
        # W with its rows permuted to the (P, Q, filter) order of the fast path
        self._wp = np.empty((n_flat, n_classes))
        self._wpT = self._wp.T
        self._gwp = np.empty((n_flat, n_classes))
        self._w3 = params[2].reshape(filters, self._pq, n_classes).transpose(1, 0, 2)
        self._gw3 = grads[2].reshape(filters, self._pq, n_classes)
        self._gwp3 = self._gwp.reshape(self._pq, filters, n_classes).transpose(1, 0, 2)
        self._wp3 = self._wp.reshape(self._pq, filters, n_classes)
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
        """Indices of each patch into one padded flat image.

        Shape (pool², P·Q, C·k·k): pooling-window offset first, so each
        offset's conv outputs form one contiguous block; columns (C, a, b).
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
        return np.ascontiguousarray(idx, dtype=np.intp)

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

    def logits(self, X) -> np.ndarray:
        """Pre-softmax outputs (n, n_classes) by the fast path, EVAL_CHUNK samples at a time."""
        Xf = self._as_flat(X)
        out = np.empty((len(Xf), self.n_classes))
        if not len(Xf):
            return out
        B = self._get_buffers(EVAL_CHUNK)
        np.copyto(self._wp3, self._w3)
        b, pp = self.params[3], self._pp
        for start in range(0, len(Xf), EVAL_CHUNK):
            chunk = Xf[start : start + EVAL_CHUNK]
            m = len(chunk)
            B.interior[:m] = chunk.reshape(B.interior[:m].shape)
            np.take(B.src_flat, B.index, out=B.patches, mode="wrap")
            np.dot(B.cols, self._kt, out=B.z)
            r1, z2 = B.r1, B.z2
            np.maximum(z2[0], B.zeros, out=r1)
            for k in range(1, pp):
                np.maximum(r1, z2[k], out=r1)
            np.dot(B.r[:m], self._wp, out=out[start : start + m])
        out += b
        return out

    def predict(self, X) -> np.ndarray:
        """Most probable class index for each sample."""
        return np.argmax(self.logits(X), axis=1)

    def evaluate(self, X, y) -> tuple[float, np.ndarray]:
        """(mean cross-entropy without the L2 penalty, predicted classes) in one forward pass."""
        y = np.asarray(y, dtype=np.intp).reshape(-1)
        logits = self.logits(X)
        if len(y) != len(logits):
            raise ValueError(f"X has {len(logits)} samples but y has {len(y)}")
        if not len(y):
            raise ValueError("empty set")
        predicted = np.argmax(logits, axis=1)
        top = logits[np.arange(len(y)), predicted]
        picked = logits[np.arange(len(y)), y]
        logits -= top[:, None]
        np.exp(logits, out=logits)
        loss = float(np.mean(np.log(_sum(logits, axis=1)) + top - picked))
        return loss, predicted

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
        b, gb = self.params[3], self.grads[3]
        pp, dot = self._pp, np.dot
        wp = self._wp
        np.copyto(self._wp3, self._w3)

        # forward: im2col with one take, conv + bias with one matmul on [K; bk]ᵀ in place
        np.copyto(B.interior, Xf.reshape(B.interior.shape))
        np.take(B.src_flat, B.index, out=B.patches, mode="wrap")  # indices are valid
        dot(B.cols, self._kt, out=B.z)
        # ReLU and max over the pooling window in one chain, r = max(0, z_0, z_1, ...),
        # noting where each z_k beats the running maximum (for the backward pass)
        z2, r, r1, wins = B.z2, B.r, B.r1, B.wins
        np.greater(z2[0], B.zeros, out=wins[0])
        np.maximum(z2[0], B.zeros, out=r1)
        for k in range(1, pp):
            np.greater(z2[k], r1, out=wins[k])
            np.maximum(r1, z2[k], out=r1)
        # dense layer (rows of W permuted to match r), then its bias
        logits = B.logits
        dot(r, wp, out=logits)
        logits += b
        # shift for a stable exp: by the batch max when the logits' spread is small
        # (a single reduction, cheaper than per-row maxima), else row by row
        top = _max(logits, axis=None)
        if top - _min(logits, axis=None) < 500.0:
            logits -= top
        else:
            logits -= _max(logits, axis=1, keepdims=True)
        true_class = B.flat_rows + y
        logits_flat = B.logits_flat
        picked = logits_flat[true_class]
        np.exp(logits, out=logits)
        total = B.total
        dot(logits, B.n_col, out=total)  # n times the row sums
        np.log(total, out=B.log_total)
        loss = (_sum(B.log_total, axis=None) - _sum(picked)) / n - B.log_n
        np.divide(logits, total, out=logits)  # now probabilities / n

        # backward: softmax + cross-entropy (already divided by n), dense
        dlogits = logits
        logits_flat[true_class] -= B.inv_n
        dot(B.rT, dlogits, out=self._gwp)
        np.copyto(self._gw3, self._gwp3)
        dot(B.ones_n, dlogits, out=gb)
        dot(dlogits, self._wpT, out=B.da)
        # ReLU and pooling: the gradient goes to the first maximum of each window, the
        # last z_k that beat the running maximum; taken from the last offset down
        dz2, rest = B.dz2, B.da1
        for k in range(pp - 1, 0, -1):
            np.multiply(rest, wins[k], out=dz2[k])
            rest = np.subtract(rest, dz2[k], out=B.rest)
        np.multiply(rest, wins[0], out=dz2[0])
        # conv weights and bias with one matmul, straight into the flat gradient
        dot(B.colsT, B.dz, out=self._gkt)
        if self.l2:
            K, _, W, _ = self.params
            gK, _, gW, _ = self.grads
            loss += 0.5 * self.l2 * (float(np.vdot(K, K)) + float(np.vdot(W, W)))
            gK += self.l2 * K
            gW += self.l2 * W
        return float(loss), self.grads
