"""A fully connected network (multi-layer perceptron) in pure NumPy, built for speed.

``MLP(sizes, activation, output, init, l1, l2, dropout, seed)``: ``sizes`` lists
the layer widths from inputs to outputs, e.g. ``[2, 8, 8, 1]``.

The training loss (what :meth:`MLP.loss_and_grads` returns and differentiates)::

    loss = mean_i data_loss(x_i, y_i) + l1 * sum(|W|) + l2 / 2 * sum(W ** 2)

where the sums run over every weight of every layer but never over biases, and
``data_loss`` is the binary cross-entropy for a ``"sigmoid"`` output (labels
0/1), the categorical cross-entropy for ``"softmax"`` (class indices), and the
squared error averaged over outputs for ``"identity"`` (regression), so the
data term is :func:`tui_workshop.nn.losses.mse` exactly.

Dropout (probability ``dropout`` of zeroing a hidden unit) is *inverted*
dropout: kept units are scaled by 1 / (1 - dropout) while training. It is used
only inside :meth:`MLP.loss_and_grads`; :meth:`MLP.forward`, :meth:`MLP.predict`
and :meth:`MLP.loss` never drop anything. Masks come from the model's own
generator, seeded from ``seed``; set ``model.hold_dropout_mask = True`` to
reuse the last masks (for gradient checks).

How it is fast (training steps of a few microseconds on tiny batches):

* all parameters live in one flat vector ``model.flat_params``; each layer's
  block is a (fan_in + 1, fan_out) matrix whose first rows are W and whose last
  row is b, and ``model.params`` are views into it. Gradients are views into
  ``model.flat_grads`` laid out the same way, so an optimiser updates
  everything with a few ufunc calls on the flat vectors;
* hidden activations are kept features x batch with an extra row of ones
  (the inputs batch x features with a column of ones), so one ``np.dot``
  computes ``W^T a + b`` and one more gives both dW and db;
* all intermediate arrays are preallocated per batch size and written with
  ``out=`` arguments; every derivative is computed from the activation value.

The model is not thread-safe: train and evaluate it from one thread.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from tui_workshop.nn import activations as act
from tui_workshop.nn import losses

OUTPUTS = ("sigmoid", "softmax", "identity")
INITS = ("uniform", "xavier", "he")

_dot = np.dot
_mul = np.multiply
_add = np.add
_sub = np.subtract
_exp = np.exp
_tanh = np.tanh

_ZERO = np.array(0.0)
_ONE = np.array(1.0)
_HALF = np.array(0.5)
_MINUS_ONE = np.array(-1.0)
_MINUS_TWO = np.array(-2.0)
_SLOPE = np.array(act.LEAKY_SLOPE)
_ONE_MINUS_SLOPE = np.array(1.0 - act.LEAKY_SLOPE)

_MAX_WORKSPACES = 6


class ParamList(list):
    """A list of arrays that are views into the flat vector ``flat`` (in list order):
    the parameters (or gradients) of an MLP, CNN or RNN. Optimisers use ``flat`` to
    update everything in a few calls."""

    __slots__ = ("flat",)

    def __init__(self, arrays, flat):
        super().__init__(arrays)
        self.flat = flat


# In-place hidden activations: h <- f(h); t is a scratch array of h's shape.
def _f_identity(h, t):
    pass


def _f_tanh(h, t):
    _tanh(h, h)


def _f_sigmoid(h, t):
    _mul(h, _HALF, h)
    _tanh(h, h)
    _mul(h, _HALF, h)
    _add(h, _HALF, h)


def _f_relu(h, t):
    np.maximum(h, _ZERO, out=h)


def _f_leaky_relu(h, t):
    _mul(h, _SLOPE, t)
    np.maximum(h, t, out=h)


def _f_softplus(h, t):
    np.logaddexp(_ZERO, h, h)


# In-place backward: d <- d * f'(z), with f'(z) written in terms of a = f(z).
def _b_identity(a, d, t):
    pass


def _b_tanh(a, d, t):
    _mul(a, a, t)
    _sub(_ONE, t, t)
    _mul(d, t, d)


def _b_sigmoid(a, d, t):
    _sub(_ONE, a, t)
    _mul(t, a, t)
    _mul(d, t, d)


def _b_relu(a, d, t):
    np.sign(a, t)  # a >= 0, so sign(a) is 1 where z > 0 and 0 elsewhere
    _mul(d, t, d)


def _b_leaky_relu(a, d, t):
    np.heaviside(a, _ZERO, t)
    _mul(t, _ONE_MINUS_SLOPE, t)
    _add(t, _SLOPE, t)
    _mul(d, t, d)


def _b_softplus(a, d, t):
    # softplus'(z) = sigmoid(z) = 1 - exp(-a) = -expm1(-a): exact for tiny a too
    _mul(a, _MINUS_ONE, t)
    np.expm1(t, t)
    _mul(d, t, d)
    np.negative(d, d)


_KERNELS = {
    "identity": (_f_identity, _b_identity),
    "tanh": (_f_tanh, _b_tanh),
    "sigmoid": (_f_sigmoid, _b_sigmoid),
    "relu": (_f_relu, _b_relu),
    "leaky_relu": (_f_leaky_relu, _b_leaky_relu),
    "softplus": (_f_softplus, _b_softplus),
}


class _Workspace:
    """Preallocated arrays for one batch size n (features x batch layout)."""

    def __init__(self, model: MLP, n: int):
        sizes = model.sizes
        self.n = n
        self.inv_n = np.array(1.0 / n)
        # a[l]: input of layer l with a row of ones appended (for the bias)
        # (the inputs are kept batch x features: copying X needs no transpose,
        # and BLAS computes the first layer's gradient faster from that layout)
        inputs = np.empty((n, sizes[0] + 1))
        inputs[:, sizes[0]] = 1.0
        self.x_in = inputs[:, : sizes[0]]
        self.a = [inputs.T]
        for width in sizes[1:-1]:
            block = np.empty((width + 1, n))
            block[width] = 1.0
            self.a.append(block)
        hidden = sizes[1:-1]
        self.h = [self.a[i + 1][:w] for i, w in enumerate(hidden)]  # hidden outputs
        self.pre = [np.empty((w, n)) for w in hidden]  # before dropout
        self.rand = [np.empty((w, n)) for w in hidden]
        self.mask = [np.empty((w, n)) for w in hidden]
        self.delta = [np.empty((w, n)) for w in hidden]
        self.tmp = [np.empty((w, n)) for w in hidden]
        self.masks_drawn = False
        k = sizes[-1]
        self.z = np.empty((k, n))
        self.dz = np.empty((k, n))
        self.z_flat = self.z.reshape(-1)
        self.dz_flat = self.dz.reshape(-1)
        # output-specific scratch
        self.s = np.empty(n)
        self.t = np.empty(n)
        self.u = np.empty(n)
        self.ones = np.ones(n)
        self.m = np.empty(n)
        self.shifted = np.empty((k, n))
        self.e = np.empty((k, n))
        self.onehot = np.empty((k, n))
        self.eye_over_n = np.eye(k) / n
        self.ones_over_n = np.full(n, 1.0 / n)
        self.inv_size = np.array(1.0 / (n * k))
        self.two_inv_size = np.array(2.0 / (n * k))
        # deltas in the order the backward pass meets them, with their transposes
        self.deltas = [*self.delta, self.dz]
        self.deltas_t = [d.T for d in self.deltas]
        self._plans: dict[bool, tuple[list, list]] = {}

    def plans(self, model: MLP, dropping: bool) -> tuple[list, list]:
        """Per-layer argument tuples for the forward and backward loops."""
        plans = self._plans.get(dropping)
        if plans is None:
            values = self.pre if dropping else self.h
            forward = [
                (model._blocks_t[i], self.a[i], values[i], f, self.tmp[i], self.mask[i], self.h[i])
                for i, (f, _) in enumerate(model._kernels)
            ]
            backward = []
            for layer in range(len(model._grad_blocks) - 1, -1, -1):
                below = self.deltas[layer - 1] if layer else None
                df = model._kernels[layer - 1][1] if layer else None
                value = values[layer - 1] if layer else None
                tmp = self.tmp[layer - 1] if layer else None
                mask = self.mask[layer - 1] if layer else None
                backward.append(
                    (
                        self.a[layer],
                        self.deltas_t[layer],
                        model._grad_blocks[layer],
                        model._weights[layer],
                        self.deltas[layer],
                        below,
                        df,
                        value,
                        tmp,
                        mask,
                    )
                )
            plans = self._plans[dropping] = (forward, backward)
        return plans


class MLP:
    """A multi-layer perceptron; see the module docstring for the exact loss.

    Parameters
    ----------
    sizes : widths from inputs to outputs, at least two (no hidden layer = a
        linear / logistic model). A sigmoid output needs 1 output unit, a
        softmax output at least 2.
    activation : one name from :data:`tui_workshop.nn.activations.NAMES` for
        every hidden layer, or a list with one name per hidden layer.
    output : "sigmoid" (binary classification, BCE; y is 0/1 of shape (n,)),
        "softmax" (classes 0..k-1, categorical cross-entropy; y shape (n,)),
        "identity" (regression, MSE; y shape (n,) or (n, outputs)).
    init : "uniform" (weights U(-0.5, 0.5), biases 0.1, as TensorFlow
        Playground), "xavier" (Glorot uniform, U(+-sqrt(6 / (fan_in + fan_out))),
        biases 0) or "he" (U(+-sqrt(6 / fan_in)), biases 0).
    l1, l2 : penalty strengths on the weights (not biases).
    dropout : probability of dropping each hidden unit during training.
    seed : seeds the initial weights and the dropout masks.
    """

    def __init__(
        self,
        sizes,
        activation="tanh",
        output="sigmoid",
        init="xavier",
        l1=0.0,
        l2=0.0,
        dropout=0.0,
        seed=0,
    ):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes needs at least two positive widths, got {sizes}")
        if output not in OUTPUTS:
            raise ValueError(f"unknown output {output!r}; choose from {', '.join(OUTPUTS)}")
        if output == "sigmoid" and sizes[-1] != 1:
            raise ValueError("a sigmoid output has exactly one unit")
        if output == "softmax" and sizes[-1] < 2:
            raise ValueError("a softmax output needs at least two units")
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose from {', '.join(INITS)}")
        n_hidden = len(sizes) - 2
        names = [activation] * n_hidden if isinstance(activation, str) else list(activation)
        if len(names) != n_hidden:
            raise ValueError(f"{n_hidden} hidden layers but {len(names)} activations")
        for name in names:
            act.get(name)  # validates
        if not 0.0 <= dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        if l1 < 0 or l2 < 0:
            raise ValueError("l1 and l2 must be >= 0")

        self.sizes = sizes
        self.activations = tuple(names)
        self.output = output
        self.init = init
        self.l1 = float(l1)
        self.l2 = float(l2)
        self.dropout = float(dropout)
        self.seed = seed
        self.hold_dropout_mask = False

        total = sum((fan_in + 1) * fan_out for fan_in, fan_out in pairwise(sizes))
        self.flat_params = np.zeros(total)
        self.flat_grads = np.zeros(total)
        self._weight_mask = np.zeros(total)
        self._blocks, self._grad_blocks = [], []
        params, grads = [], []
        offset = 0
        for fan_in, fan_out in pairwise(sizes):
            end = offset + (fan_in + 1) * fan_out
            block = self.flat_params[offset:end].reshape(fan_in + 1, fan_out)
            grad_block = self.flat_grads[offset:end].reshape(fan_in + 1, fan_out)
            self._weight_mask[offset : offset + fan_in * fan_out] = 1.0
            self._blocks.append(block)
            self._grad_blocks.append(grad_block)
            params += [block[:fan_in], block[fan_in]]
            grads += [grad_block[:fan_in], grad_block[fan_in]]
            offset = end
        self.params = ParamList(params, self.flat_params)
        self._grads = ParamList(grads, self.flat_grads)
        self._scratch = np.empty(total)
        # hot-path views: W^T b-augmented (for forward), W alone (for backward)
        self._blocks_t = [b.T for b in self._blocks]
        self._weights = params[0::2]
        self._kernels = [_KERNELS[name] for name in names]

        init_seq, dropout_seq = np.random.SeedSequence(seed).spawn(2)
        self.reset(np.random.default_rng(init_seq))
        self._dropout_rng = np.random.default_rng(dropout_seq)
        self._workspaces: dict[int, _Workspace] = {}
        self._ws: _Workspace | None = None

    # ----------------------------------------------------------------- setup
    def reset(self, rng=None) -> None:
        """Draw fresh initial weights (from ``rng``, default: the seed's stream)."""
        if rng is None:
            rng = np.random.default_rng(np.random.SeedSequence(self.seed).spawn(2)[0])
        for block, (fan_in, fan_out) in zip(self._blocks, pairwise(self.sizes), strict=True):
            if self.init == "uniform":
                limit, bias = 0.5, 0.1
            elif self.init == "xavier":
                limit, bias = np.sqrt(6.0 / (fan_in + fan_out)), 0.0
            else:  # he
                limit, bias = np.sqrt(6.0 / fan_in), 0.0
            block[:fan_in] = rng.uniform(-limit, limit, size=(fan_in, fan_out))
            block[fan_in] = bias

    @property
    def n_params(self) -> int:
        """Number of trainable numbers (weights and biases)."""
        return int(self.flat_params.size)

    @property
    def task(self) -> str:
        """ "classification" for sigmoid/softmax outputs, else "regression"."""
        return "regression" if self.output == "identity" else "classification"

    @property
    def n_classes(self) -> int:
        """2 for a sigmoid output, k for softmax, 0 for regression."""
        return {"sigmoid": 2, "softmax": self.sizes[-1]}.get(self.output, 0)

    def __repr__(self) -> str:
        return (
            f"MLP(sizes={list(self.sizes)}, activation={list(self.activations)}, "
            f"output={self.output!r}, init={self.init!r}, l1={self.l1}, l2={self.l2}, "
            f"dropout={self.dropout}, seed={self.seed})"
        )

    # ------------------------------------------------------- plain evaluation
    def logits(self, X) -> np.ndarray:
        """Output-layer pre-activations for X (n, features): shape (n, outputs)."""
        a = np.asarray(X, dtype=float)
        if a.ndim == 1:
            a = a.reshape(1, -1)
        last = len(self._blocks) - 1
        for index, block in enumerate(self._blocks):
            z = a @ block[:-1]
            z += block[-1]
            if index == last:
                return z
            a = act.get(self.activations[index]).f(z)
        raise AssertionError("unreachable")

    def forward(self, X) -> np.ndarray:
        """Outputs for X: probabilities (n, 1) for sigmoid, (n, k) for softmax,
        values (n, outputs) for identity. Never uses dropout."""
        z = self.logits(X)
        if self.output == "sigmoid":
            return act.sigmoid(z)
        if self.output == "softmax":
            return act.softmax(z, axis=1)
        return z

    def predict(self, X) -> np.ndarray:
        """Class indices (n,) for classification; values (n,) or (n, outputs) for regression."""
        z = self.logits(X)
        if self.output == "sigmoid":
            return (z[:, 0] >= 0.0).astype(int)
        if self.output == "softmax":
            return np.argmax(z, axis=1)
        return z[:, 0] if z.shape[1] == 1 else z

    def evaluate(self, X, y) -> tuple[float, np.ndarray]:
        """(mean data loss without the penalty, predictions as :meth:`predict`) in one pass."""
        z = self.logits(X)
        if self.output == "sigmoid":
            return losses.binary_cross_entropy(y, logits=z), (z[:, 0] >= 0.0).astype(int)
        if self.output == "softmax":
            return losses.categorical_cross_entropy(y, logits=z), np.argmax(z, axis=1)
        data = losses.mse(np.asarray(y, dtype=float).reshape(z.shape), z)
        return data, z[:, 0] if z.shape[1] == 1 else z

    def penalty(self) -> float:
        """l1 * sum |W| + l2 / 2 * sum W^2 over all weights (biases excluded)."""
        total = 0.0
        for W in self._weights:
            if self.l1:
                total += self.l1 * float(np.abs(W).sum())
            if self.l2:
                total += 0.5 * self.l2 * float(np.vdot(W, W))
        return total

    def loss(self, X, y, penalty=True) -> float:
        """Mean data loss on (X, y), plus the penalty unless ``penalty=False``.

        No dropout; the same value :meth:`loss_and_grads` gives without dropout.
        """
        z = self.logits(X)
        if self.output == "sigmoid":
            data = losses.binary_cross_entropy(y, logits=z)
        elif self.output == "softmax":
            data = losses.categorical_cross_entropy(y, logits=z)
        else:
            data = losses.mse(np.asarray(y, dtype=float).reshape(z.shape), z)
        return data + self.penalty() if penalty else data

    # --------------------------------------------------------------- training
    def _workspace(self, n: int) -> _Workspace:
        ws = self._workspaces.get(n)
        if ws is None:
            if len(self._workspaces) >= _MAX_WORKSPACES:
                self._workspaces.clear()
            ws = self._workspaces[n] = _Workspace(self, n)
        self._ws = ws
        return ws

    def loss_and_grads(self, X, y):
        """Training loss on the batch (X, y) and its gradients, in ``params`` order.

        The returned list holds views into ``flat_grads``: valid until the next
        call (copy them to keep them). Uses dropout when ``dropout > 0``.
        """
        n = X.shape[0]
        ws = self._ws
        if ws is None or ws.n != n:
            ws = self._workspace(n)
        np.copyto(ws.x_in, X)

        dropping = self.dropout > 0.0
        if dropping:
            self._draw_masks(ws)
            forward_plan, backward_plan = ws.plans(self, True)
        else:
            forward_plan, backward_plan = ws.plans(self, False)

        # forward through hidden layers
        for weights_t, a, out, f, tmp, mask, dropped in forward_plan:
            _dot(weights_t, a, out)
            f(out, tmp)
            if dropping:
                _mul(out, mask, dropped)
        _dot(self._blocks_t[-1], ws.a[-1], ws.z)

        # output layer: loss and delta = dLoss/dz (already divided by n)
        output = self.output
        if output == "sigmoid":
            loss = self._sigmoid_output(ws, y)
        elif output == "softmax":
            loss = self._softmax_output(ws, y)
        else:
            loss = self._identity_output(ws, y)

        # backward: gradient of each block, then the delta of the layer below
        for a, delta_t, grad, weights, delta, below, df, value, tmp, mask in backward_plan:
            _dot(a, delta_t, grad)
            if below is not None:
                _dot(weights, delta, below)
                if dropping:
                    _mul(below, mask, below)
                df(value, below, tmp)

        if self.l1 or self.l2:
            loss += self._add_penalty()
        return loss, self._grads

    def _sigmoid_output(self, ws: _Workspace, y) -> float:
        # loss_i = softplus(s_i z_i) with s = 1 - 2y; dloss/dz = s sigmoid(s z) / n
        s, t, u = ws.s, ws.t, ws.u
        if y.ndim != 1:
            y = y.reshape(-1)
        _mul(y, _MINUS_TWO, s)
        _add(s, _ONE, s)
        _mul(ws.z_flat, s, t)
        np.logaddexp(_ZERO, t, u)
        loss = float(_dot(u, ws.ones)) / ws.n
        _sub(t, u, t)
        _exp(t, t)  # sigmoid(t) = exp(t - softplus(t)), never overflows
        _mul(t, s, t)
        _mul(t, ws.inv_n, ws.dz_flat)
        return loss

    def _softmax_output(self, ws: _Workspace, y) -> float:
        # loss_i = logsumexp(z_i) - z_i[y_i]; dloss/dz = (softmax(z) - onehot(y)) / n
        z, m, u, shifted, e, onehot = ws.z, ws.m, ws.u, ws.shifted, ws.e, ws.onehot
        if y.dtype.kind not in "iu":
            y = y.astype(np.intp)
        np.maximum.reduce(z, axis=0, out=m)
        _sub(z, m, shifted)
        _exp(shifted, e)
        np.add.reduce(e, axis=0, out=u)
        ws.eye_over_n.take(y.reshape(-1), 1, onehot)  # onehot(y) / n, classes x batch
        np.log(u, ws.t)
        loss = float(_dot(ws.t, ws.ones_over_n)) - float(np.vdot(shifted, onehot))
        np.divide(ws.inv_n, u, u)
        _mul(e, u, ws.dz)
        _sub(ws.dz, onehot, ws.dz)
        return loss

    def _identity_output(self, ws: _Workspace, y) -> float:
        dz = ws.dz
        _sub(ws.z, y.T if y.ndim == 2 else y, dz)
        loss = float(np.vdot(dz, dz)) * float(ws.inv_size)
        _mul(dz, ws.two_inv_size, dz)
        return loss

    def _add_penalty(self) -> float:
        flat, grads, scratch = self.flat_params, self.flat_grads, self._scratch
        mask = self._weight_mask
        extra = 0.0
        if self.l2:
            _mul(flat, mask, scratch)
            extra += 0.5 * self.l2 * float(_dot(scratch, flat))
            _mul(scratch, self.l2, scratch)
            _add(grads, scratch, grads)
        if self.l1:
            np.sign(flat, scratch)
            _mul(scratch, mask, scratch)
            _mul(scratch, self.l1, scratch)
            _add(grads, scratch, grads)
            np.abs(flat, scratch)
            extra += self.l1 * float(_dot(scratch, mask))
        return extra

    def _draw_masks(self, ws: _Workspace) -> None:
        if self.hold_dropout_mask and ws.masks_drawn:
            return
        keep = 1.0 - self.dropout
        for rand, mask in zip(ws.rand, ws.mask, strict=True):
            self._dropout_rng.random(out=rand)
            _add(rand, keep, rand)
            np.floor(rand, mask)  # 1 with probability keep, else 0
            _mul(mask, 1.0 / keep, mask)
        ws.masks_drawn = True
