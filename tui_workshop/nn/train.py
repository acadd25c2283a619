"""Minibatch training loop yielding immutable snapshots, one per epoch.

``Trainer(model, optimizer, X, y, X_val=None, y_val=None, batch_size=10,
epochs=100, patience=None, seed=0, restore_best=False)``

* Each epoch shuffles the training set with the trainer's own generator
  (seeded by ``seed``) and takes one optimiser step per minibatch; the last
  minibatch may be smaller.
* ``train_loss`` and ``val_loss`` are the mean *data* loss (no dropout, no
  L1/L2 penalty) on the whole training / validation set, measured after the
  epoch with the parameters it ended with.
* ``metrics`` holds ``train_accuracy`` / ``val_accuracy`` for classification
  models and ``train_r2`` / ``val_r2`` for regression.
* Early stopping: with ``patience`` and a validation set, training stops once
  ``val_loss`` has not improved for ``patience`` epochs (``stopped == "early
  stopping"``). ``best_epoch`` is the epoch with the lowest validation loss
  (training loss when there is no validation set). With ``restore_best=True``
  the parameters of that epoch are put back when training stops early.
* Divergence (a non-finite loss or parameter) is reported as
  ``diverged=True, stopped="diverged"``; it is never raised, and no numpy
  floating-point warning escapes.

Works with any model following the contract in docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

STOP_EPOCHS = "epoch limit"
STOP_EARLY = "early stopping"
STOP_DIVERGED = "diverged"


@dataclass(frozen=True)
class Snapshot:
    """The state after one epoch."""

    epoch: int
    step: int
    train_loss: float
    val_loss: float | None
    metrics: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    diverged: bool = False
    stopped: str | None = None
    best_epoch: int | None = None


def is_classifier(model) -> bool:
    """True when the model classifies (``task`` attribute, else a sigmoid/softmax output)."""
    task = getattr(model, "task", None)
    if task is not None:
        return task == "classification"
    return getattr(model, "output", "sigmoid") in ("sigmoid", "softmax")


def accuracy(y_true, y_pred) -> float:
    y_true = np.asarray(y_true).reshape(-1)
    return float(np.mean(y_true == np.asarray(y_pred).reshape(-1))) if y_true.size else 0.0


def r2(y_true, y_pred) -> float:
    """Coefficient of determination 1 - SS_res / SS_tot (0 when y is constant)."""
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float).reshape(y_true.shape)
    ss_tot = float(np.sum((y_true - y_true.mean(axis=0)) ** 2))
    ss_res = float(np.sum((y_true - y_pred) ** 2))
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0


class Trainer:
    """Trains ``model`` with ``optimizer`` on (X, y); see the module docstring."""

    def __init__(
        self,
        model,
        optimizer,
        X,
        y,
        X_val=None,
        y_val=None,
        batch_size=10,
        epochs=100,
        patience=None,
        seed=0,
        restore_best=False,
    ):
        if batch_size < 1 or epochs < 0:
            raise ValueError("batch_size must be >= 1 and epochs >= 0")
        if patience is not None and patience < 1:
            raise ValueError("patience must be >= 1")
        self.model = model
        self.optimizer = optimizer
        self.X = np.ascontiguousarray(X, dtype=float)
        self.classifier = is_classifier(model)
        self.y = np.asarray(y, dtype=int if self.classifier else float)
        if len(self.X) != len(self.y) or len(self.X) == 0:
            raise ValueError("X and y must have the same, non-zero, number of rows")
        self.has_val = X_val is not None and y_val is not None and len(X_val) > 0
        if self.has_val:
            self.X_val = np.ascontiguousarray(X_val, dtype=float)
            self.y_val = np.asarray(y_val, dtype=self.y.dtype)
        else:
            self.X_val = self.y_val = None
        self.batch_size = int(batch_size)
        self.epochs = int(epochs)
        self.patience = patience
        self.restore_best = restore_best
        self.rng = np.random.default_rng(seed)
        self.epoch = 0
        self.step = 0
        self.best_epoch: int | None = None
        self.best_loss = np.inf
        self._best_params: list[np.ndarray] | None = None
        self._stopped: str | None = STOP_EPOCHS if self.epochs == 0 else None
        self.last: Snapshot | None = None

    @property
    def done(self) -> bool:
        """True once training has stopped (epoch limit, early stopping or divergence)."""
        return self._stopped is not None

    @property
    def stopped(self) -> str | None:
        return self._stopped

    def evaluate(self, X, y) -> tuple[float, float]:
        """(data loss, accuracy or r2) of the model on (X, y), without dropout."""
        model = self.model
        if hasattr(model, "evaluate"):  # loss and predictions from one forward pass
            loss, predicted = model.evaluate(X, y)
        else:
            if hasattr(model, "loss"):
                loss = model.loss(X, y, penalty=False)
            else:
                loss = model.loss_and_grads(X, y)[0]
            predicted = model.predict(X)
        loss = float(loss)
        score = accuracy(y, predicted) if self.classifier else r2(y, predicted)
        return loss, score

    def step_epoch(self) -> Snapshot:
        """Train one epoch and return its snapshot (the last one again once done)."""
        if self.done:
            if self.last is None:
                self.last = self._snapshot(*self._evaluate_all(), diverged=False)
            return self.last
        with np.errstate(all="ignore"):
            diverged = not self._train_one_epoch()
            self.epoch += 1
            if hasattr(self.optimizer, "on_epoch_end"):
                self.optimizer.on_epoch_end()
            train_loss, train_score, val_loss, val_score = self._evaluate_all()
        diverged = diverged or not np.isfinite(train_loss)
        if val_loss is not None and not np.isfinite(val_loss):
            diverged = True
        if diverged:
            self._stopped = STOP_DIVERGED
        else:
            self._track_best(train_loss if val_loss is None else val_loss)
            if self.epoch >= self.epochs:
                self._stopped = STOP_EPOCHS
        self.last = self._snapshot(train_loss, train_score, val_loss, val_score, diverged)
        return self.last

    def run(self) -> Iterator[Snapshot]:
        """Yield one snapshot per epoch until training is done."""
        while not self.done:
            yield self.step_epoch()

    # ----------------------------------------------------------------- parts
    def _train_one_epoch(self) -> bool:
        """One pass over shuffled minibatches; False as soon as a loss is not finite."""
        order = self.rng.permutation(len(self.X))
        X, y = self.X[order], self.y[order]
        size = self.batch_size
        loss_and_grads, step = self.model.loss_and_grads, self.optimizer.step
        isfinite = np.isfinite
        for start in range(0, len(X), size):
            loss, grads = loss_and_grads(X[start : start + size], y[start : start + size])
            self.step += 1
            if not isfinite(loss):
                return False
            step(grads)
        return all(np.isfinite(p).all() for p in self._param_list())

    def _evaluate_all(self) -> tuple[float, float, float | None, float | None]:
        train_loss, train_score = self.evaluate(self.X, self.y)
        if self.has_val:
            val_loss, val_score = self.evaluate(self.X_val, self.y_val)
            return train_loss, train_score, val_loss, val_score
        return train_loss, train_score, None, None

    def _param_list(self):
        flat = getattr(self.model, "flat_params", None)
        return [flat] if flat is not None else self.model.params

    def _track_best(self, loss: float) -> None:
        if loss < self.best_loss:
            self.best_loss = loss
            self.best_epoch = self.epoch
            if self.restore_best:
                self._best_params = [p.copy() for p in self._param_list()]
        elif (
            self.patience is not None
            and self.has_val
            and self.best_epoch is not None
            and self.epoch - self.best_epoch >= self.patience
        ):
            self._stopped = STOP_EARLY
            if self.restore_best and self._best_params is not None:
                for p, best in zip(self._param_list(), self._best_params, strict=True):
                    p[...] = best

    def _snapshot(self, train_loss, train_score, val_loss, val_score, diverged) -> Snapshot:
        key = "accuracy" if self.classifier else "r2"
        metrics = {f"train_{key}": float(train_score)}
        if val_score is not None:
            metrics[f"val_{key}"] = float(val_score)
        return Snapshot(
            epoch=self.epoch,
            step=self.step,
            train_loss=float(train_loss),
            val_loss=None if val_loss is None else float(val_loss),
            metrics=MappingProxyType(metrics),
            diverged=bool(diverged),
            stopped=self._stopped,
            best_epoch=self.best_epoch,
        )
