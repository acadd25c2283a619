"""An Elman recurrent network trained by backpropagation through time (BPTT).

With row vectors (as in the MLP, weights shaped (fan_in, fan_out)):

    h_0 = 0
    h_t = tanh(x_t W_xh + h_{t−1} W_hh + b)       t = 1..T
    ŷ   = h_T W_hy + b_y                           mode "sequence_to_one"
    ŷ_t = h_t W_hy + b_y  (target x_{t+1})         mode "next_value"

(the column-vector form W_hh·h_{t−1} + W_xh·x_t uses the transposed
matrices). The loss is the mean squared error ``mean((ŷ − y)²)`` plus
``l2/2 · (‖W_xh‖² + ‖W_hh‖² + ‖W_hy‖²)``. ``clip`` rescales the gradients
when their global norm exceeds it; the norm *before* clipping is kept in
``model.grad_norm``.

Parameters are ``[W_xh, W_hh, b, W_hy, b_y]``, views of one flat array (and
the gradients views of another), so an optimiser can update them in place.
Inside the flat array W_hh, W_xh and b are stored together as the matrix
A = [W_hh; W_xh; b] of shape (n_hidden + n_inputs + 1, n_hidden).

Speed: the training pass works on transposed states, one column per
sequence. Step k keeps the column block [h_kᵀ; x_{k+1}ᵀ; 1] contiguous, so
each step is one matmul with Aᵀ (recurrence, input and bias at once) and one
in-place tanh; each step backward is one product and one matmul; the weight
gradients of all steps come from one matmul at the end (straight into the
flat gradient).

For the lessons: :meth:`RNN.hidden_states`, :meth:`RNN.jacobian_norms`
(‖∂h_t/∂h_0‖ over the steps), :func:`forecast` (feed predictions back) and the
one-neuron case :func:`scalar_trace` / :func:`scalar_gradient`.
"""

from __future__ import annotations

import math

import numpy as np

from tui_workshop.nn.mlp import ParamList

__all__ = ["MODES", "RNN", "forecast", "scalar_gradient", "scalar_trace"]

MODES = ("sequence_to_one", "next_value")

_ONE = np.float64(1.0)  # a NumPy scalar: ufuncs take it faster than a Python float


class _Buffers:
    """Work arrays for one (batch, length) pair, reused between steps.

    The per-step views are built once here: creating them in the time loop
    would cost as much as the arithmetic on such small arrays.
    """

    def __init__(self, n: int, t: int, net: RNN) -> None:
        h, f, o = net.n_hidden, net.n_inputs, net.n_outputs
        F = h + f + 1
        # S[k] = [h_kᵀ; x_{k+1}ᵀ; 1] (F, n): states and inputs, one column per sequence
        self.S = np.zeros((t + 1, F, n))
        self.S[:, h + f] = 1.0
        self.XT = self.S[:t, h : h + f]  # inputs (t, f, n)
        self.HT = self.S[1:, :h]  # h_1..h_T (t, h, n)
        self.h_last = self.S[t, :h]  # h_T (h, n)
        self.AT = np.empty((h, F))  # Aᵀ, copied once per pass
        self.D = np.empty((t, h, n))  # 1 − h_t²
        self.DZ = np.empty((t, h, n))  # ∂L/∂(pre-activation at step t), transposed
        self.dh = np.empty((h, n))
        # the weight gradient contracts over steps and sequences: (F, t·n) @ (t·n, h)
        self.S_ft = np.empty((F, t, n))
        self.S_2d = self.S_ft.reshape(F, t * n)
        self.DZ_ht = np.empty((h, t, n))
        self.DZ_2d_T = self.DZ_ht.reshape(h, t * n).T
        self.ones_n = np.ones(n)  # sums over rows as dot products (faster than np.sum)
        self.ones_tn = np.ones(t * n)
        self.steps = [(self.S[k], self.S[k + 1, :h]) for k in range(t)]
        self.back = [(self.D[k], self.DZ[k]) for k in range(t)]
        if net.mode == "next_value":
            self.H = np.empty((t, n, h))  # h_1..h_T, one row per (step, sequence)
            self.H_2d = self.H.reshape(t * n, h)
            self.Y = np.empty((t * n, o))
            self.G = np.empty((t, n, h))
            self.G_2d = self.G.reshape(t * n, h)
            self.GT = [self.G[k].T for k in range(t)]
        else:
            self.Y = np.empty((n, o))


class RNN:
    """Elman RNN with a linear output (see the module docstring).

    ``X`` has shape (n, T, n_inputs) — or (n, T) for one input. ``y`` has shape
    (n, n_outputs) (or (n,)) for "sequence_to_one" and (n, T, n_outputs) (or
    (n, T)) for "next_value".
    """

    def __init__(
        self,
        n_inputs: int = 1,
        n_hidden: int = 16,
        n_outputs: int = 1,
        mode: str = "sequence_to_one",
        seed: int = 0,
        clip: float | None = None,
        l2: float = 0.0,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
        if min(n_inputs, n_hidden, n_outputs) < 1:
            raise ValueError("n_inputs, n_hidden and n_outputs must be at least 1")
        if clip is not None and clip <= 0:
            raise ValueError(f"clip must be positive (or None), got {clip}")
        if l2 < 0:
            raise ValueError(f"l2 must be zero or positive, got {l2}")
        self.n_inputs, self.n_hidden, self.n_outputs = n_inputs, n_hidden, n_outputs
        self.mode, self.seed, self.clip, self.l2 = mode, seed, clip, float(l2)
        self.grad_norm = 0.0  # global gradient norm before clipping, from the last call
        h, f, o = n_hidden, n_inputs, n_outputs
        # flat layout: A = [W_hh; W_xh; b] (h + f + 1, h), then W_hy, b_y
        ends = np.cumsum([(h + f + 1) * h, h * o, o])
        self._flat = np.zeros(int(ends[-1]))
        self._flat_grad = np.zeros(int(ends[-1]))
        views = []
        for flat in (self._flat, self._flat_grad):
            A = flat[: ends[0]].reshape(h + f + 1, h)
            W_hy = flat[ends[0] : ends[1]].reshape(h, o)
            views.append((A, [A[h : h + f], A[:h], A[h + f], W_hy, flat[ends[1] :]]))
        (self._A, params), (self._gA, grads) = views
        self.params = ParamList(params, self._flat)
        self.grads = ParamList(grads, self._flat_grad)
        W_xh, W_hh, _, W_hy, _ = self.params
        rng = np.random.default_rng(seed)
        W_xh[...] = rng.uniform(-1.0, 1.0, W_xh.shape) * np.sqrt(3.0 / (f + h))
        q, r = np.linalg.qr(rng.normal(size=(h, h)))
        W_hh[...] = q * np.sign(np.diag(r))  # orthogonal: keeps gradients' scale at start
        W_hy[...] = rng.uniform(-1.0, 1.0, W_hy.shape) * np.sqrt(6.0 / (h + o))
        self._buffers: dict[tuple[int, int], _Buffers] = {}

    @property
    def n_params(self) -> int:
        return int(self._flat.size)

    # ------------------------------------------------------------ inputs

    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 2 and self.n_inputs == 1:
            X = X[:, :, None]
        if X.ndim != 3 or X.shape[2] != self.n_inputs or X.shape[1] < 1:
            raise ValueError(f"expected X with shape (n, T, {self.n_inputs}), got {X.shape}")
        return X

    def _targets(self, y, n: int, t: int) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        o = self.n_outputs
        shape = (n, o) if self.mode == "sequence_to_one" else (n, t, o)
        if y.shape != shape:
            if y.size != n * (o if len(shape) == 2 else t * o):
                raise ValueError(f"expected y with shape {shape}, got {y.shape}")
            y = y.reshape(shape)
        return y

    def _get_buffers(self, n: int, t: int) -> _Buffers:
        key = (n, t)
        buffers = self._buffers.get(key)
        if buffers is None:
            if len(self._buffers) >= 4:
                self._buffers.clear()
            buffers = self._buffers[key] = _Buffers(n, t, self)
        return buffers

    # ------------------------------------------------- plain forward pass

    def hidden_states(self, X) -> np.ndarray:
        """Hidden states h_0..h_T for each sequence: shape (n, T + 1, n_hidden)."""
        X = self._inputs(X)
        n, t, _ = X.shape
        W_xh, W_hh, b = self.params[:3]
        hs = np.zeros((n, t + 1, self.n_hidden))
        pre_x = X @ W_xh + b  # input part of every step at once
        for k in range(t):
            hs[:, k + 1] = np.tanh(pre_x[:, k] + hs[:, k] @ W_hh)
        return hs

    def forward(self, X) -> np.ndarray:
        """Outputs: (n, n_outputs) for "sequence_to_one", (n, T, n_outputs) for "next_value"."""
        hs = self.hidden_states(X)
        W_hy, b_y = self.params[3:]
        if self.mode == "sequence_to_one":
            return hs[:, -1] @ W_hy + b_y
        return hs[:, 1:] @ W_hy + b_y

    def predict(self, X) -> np.ndarray:
        """Same as :meth:`forward` (regression)."""
        return self.forward(X)

    def jacobian_norms(self, x) -> np.ndarray:
        """Spectral norm of ∂h_t/∂h_0 for t = 0..T along one sequence ``x`` (T, n_inputs).

        ∂h_t/∂h_{t−1} = diag(1 − h_t²) W_hhᵀ; the product over the steps shrinks
        (vanishing gradient) or grows (exploding gradient) geometrically.
        """
        x = np.asarray(x, dtype=np.float64)
        hs = self.hidden_states(x.reshape(1, len(x), -1))[0]
        W_hh = self.params[1]
        jac = np.eye(self.n_hidden)
        norms = [1.0]
        for k in range(1, len(hs)):
            jac = ((1.0 - hs[k] ** 2)[:, None] * W_hh.T) @ jac
            norms.append(float(np.linalg.norm(jac, 2)))
        return np.array(norms)

    # --------------------------------------------------- training pass

    def loss_and_grads(self, X, y) -> tuple[float, list[np.ndarray]]:
        """Mean squared error (+ L2) and gradients ``[dW_xh, dW_hh, db, dW_hy, db_y]``.

        Gradients are views of one internal buffer, valid until the next call,
        already clipped when ``clip`` is set (``grad_norm`` holds the norm before).
        """
        X = self._inputs(X)
        n, t, _ = X.shape
        y = self._targets(y, n, t)
        B = self._get_buffers(n, t)
        D, dh = B.D, B.dh
        W_xh, W_hh, _, W_hy, b_y = self.params
        gW_xh, gW_hh, _, gW_hy, gb_y = self.grads
        dot = np.dot

        # forward, transposed: h_{k+1}ᵀ = tanh(Aᵀ [h_kᵀ; x_{k+1}ᵀ; 1])
        np.copyto(B.XT, X.transpose(1, 2, 0))
        AT = B.AT
        np.copyto(AT, self._A.T)
        for s_k, h_next in B.steps:
            dot(AT, s_k, out=h_next)
            np.tanh(h_next, out=h_next)
        np.square(B.HT, out=D)
        np.subtract(_ONE, D, out=D)

        back = B.back
        if self.mode == "sequence_to_one":
            h_last = B.h_last  # (h, n)
            err = dot(h_last.T, W_hy, out=B.Y)
            err += b_y
            err -= y
            loss = float(np.vdot(err, err)) / err.size
            err *= 2.0 / err.size  # ∂L/∂ŷ
            dot(h_last, err, out=gW_hy)
            dot(B.ones_n, err, out=gb_y)
            dot(W_hy, err.T, out=dh)
            for d, dz in back[:0:-1]:  # backward through time, t = T..2
                np.multiply(dh, d, out=dz)
                dot(W_hh, dz, out=dh)
            np.multiply(dh, back[0][0], out=back[0][1])
        else:
            np.copyto(B.H, B.HT.transpose(0, 2, 1))
            H2 = B.H_2d
            err = dot(H2, W_hy, out=B.Y)
            err += b_y
            err -= y.transpose(1, 0, 2).reshape(t * n, -1)
            loss = float(np.vdot(err, err)) / err.size
            err *= 2.0 / err.size
            dot(H2.T, err, out=gW_hy)
            dot(B.ones_tn, err, out=gb_y)
            dot(err, W_hy.T, out=B.G_2d)
            GT = B.GT
            np.copyto(dh, GT[t - 1])
            for k in range(t - 1, 0, -1):
                d, dz = back[k]
                np.multiply(dh, d, out=dz)
                dot(W_hh, dz, out=dh)
                dh += GT[k - 1]
            np.multiply(dh, back[0][0], out=back[0][1])
        # weight gradients of all steps at once: [dW_hh; dW_xh; db] = Σ_k S_k DZ_kᵀ
        np.copyto(B.S_ft, B.S[:t].transpose(1, 0, 2))
        np.copyto(B.DZ_ht, B.DZ.transpose(1, 0, 2))
        dot(B.S_2d, B.DZ_2d_T, out=self._gA)

        if self.l2:
            loss += 0.5 * self.l2 * sum(float(np.vdot(w, w)) for w in (W_xh, W_hh, W_hy))
            gW_xh += self.l2 * W_xh
            gW_hh += self.l2 * W_hh
            gW_hy += self.l2 * W_hy
        g = self._flat_grad
        self.grad_norm = norm = math.sqrt(np.vdot(g, g))
        if self.clip is not None and norm > self.clip:
            g *= self.clip / norm
        return loss, self.grads

    # ----------------------------------------------------- forecasting

    def step(self, h: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One step from hidden state ``h`` (n, H) with input ``x`` (n, F): (h_next, output)."""
        W_xh, W_hh, b, W_hy, b_y = self.params
        h_next = np.tanh(x @ W_xh + h @ W_hh + b)
        return h_next, h_next @ W_hy + b_y


def forecast(model: RNN, seed_window, steps: int) -> np.ndarray:
    """Predict ``steps`` values after ``seed_window`` by feeding predictions back.

    ``seed_window``: (T,) or (T, n_inputs); needs n_outputs == n_inputs. A
    "sequence_to_one" model slides its window (always T long, as trained); a
    "next_value" model runs through the seed once, then keeps its hidden state.
    Returns shape (steps,) for one feature, else (steps, n_inputs).
    """
    if model.n_outputs != model.n_inputs:
        raise ValueError("forecasting feeds outputs back as inputs: n_outputs must equal n_inputs")
    if steps < 0:
        raise ValueError(f"steps must be zero or positive, got {steps}")
    window = np.array(seed_window, dtype=np.float64).reshape(-1, model.n_inputs)
    if len(window) == 0:
        raise ValueError("the seed window is empty")
    preds = np.empty((steps, model.n_inputs))
    if model.mode == "sequence_to_one":
        for k in range(steps):
            preds[k] = model.forward(window[None])[0]
            window = np.concatenate([window[1:], preds[k : k + 1]])
    else:
        h = np.zeros((1, model.n_hidden))
        for x in window:
            h, y = model.step(h, x[None])
        for k in range(steps):
            preds[k] = y[0]
            h, y = model.step(h, y)
    return preds[:, 0] if model.n_inputs == 1 else preds


# --------------------------------------------------------- one neuron


def scalar_trace(w: float, u: float, x, h0: float = 0.0, b: float = 0.0) -> np.ndarray:
    """h_t = tanh(w·h_{t−1} + u·x_t + b) for t = 0..T (h_0 first): length T + 1."""
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    hs = np.empty(len(x) + 1)
    hs[0] = h0
    for k, xk in enumerate(x):
        hs[k + 1] = np.tanh(w * hs[k] + u * xk + b)
    return hs


def scalar_gradient(w: float, u: float, x, h0: float = 0.0, b: float = 0.0) -> np.ndarray:
    """∂h_t/∂h_0 = wᵗ · ∏_{k=1..t} (1 − h_k²) for t = 0..T (1.0 first): length T + 1.

    Each step multiplies by w·(1 − h_t²), whose size is at most |w|: with
    |w| < 1 the product vanishes geometrically; with |w| > 1 it can explode
    while the neuron stays away from saturation.
    """
    hs = scalar_trace(w, u, x, h0, b)
    factors = w * (1.0 - hs[1:] ** 2)
    return np.concatenate([[1.0], np.cumprod(factors)])
