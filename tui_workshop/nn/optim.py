"""Gradient-descent optimisers that update parameter arrays in place.

``make(name, params, lr, **options)`` builds one of:

* ``sgd``:      p -= lr * g
* ``momentum``: v = beta * v - lr * g;  p += v                     (beta = 0.9)
* ``nesterov``: v = beta * v - lr * g;  p += beta * v - lr * g     (beta = 0.9)
* ``rmsprop``:  s = rho * s + (1 - rho) * g^2;  p -= lr * g / (sqrt(s) + eps)
                (rho = 0.9, eps = 1e-8)
* ``adam``:     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
                p -= lr_t * m / (sqrt(v) + eps_t), lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),
                eps_t = eps sqrt(1 - b2^t)  (b1 = 0.9, b2 = 0.999, eps = 1e-8; this is
                exactly lr * m_hat / (sqrt(v_hat) + eps) with bias-corrected m_hat, v_hat)

Every optimiser takes the option ``decay`` (default 0): after each
``on_epoch_end()`` the learning rate becomes ``lr0 / (1 + decay * epoch)``.
``opt.lr`` may be changed at any time; the schedule then continues from the
new value (``lr0`` is rescaled so that the current rate is the one you set).

``params`` is any list of float arrays (``step(grads)`` takes a list of the
same shapes). When ``params`` are views into one flat vector (an
:class:`~tui_workshop.nn.mlp.MLP`'s ``params`` carry it as ``params.flat``;
a model with ``flat_params`` may be passed instead of its params) and the
gradients come the same way (``grads.flat``), each step is a handful of ufunc
calls on the flat vectors instead of a loop over arrays.
"""

from __future__ import annotations

import numpy as np

NAMES = ("sgd", "momentum", "nesterov", "rmsprop", "adam")

_mul = np.multiply
_add = np.add
_sub = np.subtract


class _Slot:
    """One parameter array with its optimiser state arrays and a scratch array."""

    __slots__ = ("p", "s1", "s2", "tmp")

    def __init__(self, p: np.ndarray, n_state: int):
        self.p = p
        self.s1 = np.zeros_like(p) if n_state >= 1 else None
        self.s2 = np.zeros_like(p) if n_state >= 2 else None
        self.tmp = np.empty_like(p)


class Optimizer:
    """Base class: holds parameters, learning-rate schedule and per-array state."""

    name = "base"
    n_state = 0

    def __init__(self, params, lr: float = 0.01, decay: float = 0.0):
        if hasattr(params, "flat_params"):  # a model was given
            params = params.params
        self.params = list(params)
        if not self.params:
            raise ValueError("no parameters to optimise")
        if lr < 0 or decay < 0:
            raise ValueError("lr and decay must be >= 0")
        self.lr0 = float(lr)
        self.decay = float(decay)
        self.epoch = 0
        self.t = 0  # number of steps taken
        self._lr = float(lr)
        self._lr_array = np.array(self._lr)  # a 0-d array multiplies faster than a float
        flat = getattr(params, "flat", None)
        if flat is not None and flat.size != sum(p.size for p in self.params):
            flat = None
        self._flat = flat
        if flat is not None:
            self._slots = [_Slot(flat, self.n_state)]
        else:
            self._slots = [_Slot(p, self.n_state) for p in self.params]

    @property
    def lr(self) -> float:
        """The current learning rate."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = float(value)
        self._lr_array = np.array(self._lr)
        self.lr0 = self._lr * (1.0 + self.decay * self.epoch)

    def on_epoch_end(self) -> None:
        """Count an epoch and apply the decay schedule lr0 / (1 + decay * epoch)."""
        self.epoch += 1
        if self.decay:
            self._lr = self.lr0 / (1.0 + self.decay * self.epoch)
            self._lr_array = np.array(self._lr)

    def first_entry_state(self) -> tuple[float, float, float]:
        """(value, state 1, state 2) of the first entry of the first parameter.

        State 1 is the velocity (momentum, Nesterov) or the mean square (RMSProp)
        or the first moment (Adam); state 2 is Adam's second moment; a state the
        optimiser does not keep is 0.0. For showing an update with its numbers.
        """
        slot = self._slots[0]
        s1 = float(slot.s1.flat[0]) if slot.s1 is not None else 0.0
        s2 = float(slot.s2.flat[0]) if slot.s2 is not None else 0.0
        return float(slot.p.flat[0]), s1, s2

    def step(self, grads) -> None:
        """Update every parameter in place from ``grads`` (same order and shapes)."""
        self.t += 1
        flat_grads = getattr(grads, "flat", None)
        if self._flat is not None and flat_grads is not None and flat_grads.size == self._flat.size:
            self._update(self._slots[0], flat_grads)
            return
        if self._flat is not None:  # flat params but a plain list of grads
            grads = [np.ravel(g) for g in grads]
            flat_grads = np.concatenate(grads) if len(grads) > 1 else grads[0]
            self._update(self._slots[0], flat_grads)
            return
        if len(grads) != len(self._slots):
            raise ValueError(f"{len(grads)} gradients for {len(self._slots)} parameters")
        for slot, g in zip(self._slots, grads, strict=True):
            self._update(slot, g)

    def _update(self, slot: _Slot, g: np.ndarray) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    name = "sgd"

    def _update(self, slot, g):
        _mul(g, self._lr_array, slot.tmp)
        _sub(slot.p, slot.tmp, slot.p)


class Momentum(Optimizer):
    name = "momentum"
    n_state = 1

    def __init__(self, params, lr=0.01, beta=0.9, decay=0.0):
        super().__init__(params, lr, decay)
        self.beta = float(beta)

    def _update(self, slot, g):
        v = slot.s1
        _mul(v, self.beta, v)
        _mul(g, self._lr, slot.tmp)
        _sub(v, slot.tmp, v)
        _add(slot.p, v, slot.p)


class Nesterov(Momentum):
    name = "nesterov"

    def _update(self, slot, g):
        v, tmp = slot.s1, slot.tmp
        _mul(v, self.beta, v)
        _mul(g, self._lr, tmp)
        _sub(v, tmp, v)
        # p += beta * v - lr * g
        _sub(slot.p, tmp, slot.p)
        _mul(v, self.beta, tmp)
        _add(slot.p, tmp, slot.p)


class RMSprop(Optimizer):
    name = "rmsprop"
    n_state = 1

    def __init__(self, params, lr=0.001, rho=0.9, eps=1e-8, decay=0.0):
        super().__init__(params, lr, decay)
        self.rho = float(rho)
        self.eps = float(eps)

    def _update(self, slot, g):
        s, tmp = slot.s1, slot.tmp
        _mul(s, self.rho, s)
        _mul(g, g, tmp)
        _mul(tmp, 1.0 - self.rho, tmp)
        _add(s, tmp, s)
        np.sqrt(s, tmp)
        _add(tmp, self.eps, tmp)
        np.divide(g, tmp, tmp)
        _mul(tmp, self._lr, tmp)
        _sub(slot.p, tmp, slot.p)


class Adam(Optimizer):
    name = "adam"
    n_state = 2

    def __init__(self, params, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, decay=0.0):
        super().__init__(params, lr, decay)
        self.beta1 = float(beta1)
        self.beta2 = float(beta2)
        self.eps = float(eps)

    def _update(self, slot, g):
        m, v, tmp = slot.s1, slot.s2, slot.tmp
        b1, b2 = self.beta1, self.beta2
        _mul(m, b1, m)
        _mul(g, 1.0 - b1, tmp)
        _add(m, tmp, m)
        _mul(v, b2, v)
        _mul(g, g, tmp)
        _mul(tmp, 1.0 - b2, tmp)
        _add(v, tmp, v)
        correction2 = np.sqrt(1.0 - b2**self.t)
        step = self._lr * correction2 / (1.0 - b1**self.t)
        np.sqrt(v, tmp)
        _add(tmp, self.eps * correction2, tmp)
        np.divide(m, tmp, tmp)
        _mul(tmp, step, tmp)
        _sub(slot.p, tmp, slot.p)


_CLASSES = {cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSprop, Adam)}


def make(name: str, params, lr: float, **options) -> Optimizer:
    """The optimiser called ``name`` over ``params`` with learning rate ``lr``.

    Options: ``decay`` for all; ``beta`` (momentum, nesterov); ``rho``, ``eps``
    (rmsprop); ``beta1``, ``beta2``, ``eps`` (adam).
    """
    try:
        cls = _CLASSES[name]
    except KeyError:
        raise ValueError(f"unknown optimiser {name!r}; choose from {', '.join(NAMES)}") from None
    return cls(params, lr, **options)
