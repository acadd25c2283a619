"""Saving and restoring a run: what an experiment needs to continue where it was left.

An experiment's :meth:`~tui_workshop.experiments.base.Experiment.state` is a flat
dict of names to NumPy arrays, floats and ints (what ``np.savez`` stores and
``np.load(..., allow_pickle=False)`` reads back). :func:`check_state` compares a
saved state with the state of a fresh experiment built from the same parameters
(the *template*): the same names, the same kinds and shapes (names in
``variable`` may differ in length), sizes within :data:`MAX_ELEMENTS`. Anything
else raises :class:`StateError` with a message key, never a traceback.

The helpers save and load the parts of the engine that training changes: a
model's weights (and its dropout random stream), an optimiser's moments and step
count, a :class:`~tui_workshop.nn.train.Trainer`'s epoch, best loss, random
stream and stop reason. Loading writes into the existing arrays, so views
(flat parameter vectors, optimiser slots) stay shared.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from tui_workshop.i18n.message import Text, msg

StateValue = np.ndarray | float | int
StateDict = dict[str, StateValue]

MAX_ELEMENTS = 2_000_000  # numbers in one saved run, all arrays together
MAX_TEXT = 4096  # characters of a text entry (a random generator's state)


class StateError(ValueError):
    """A saved run that does not fit the experiment; ``message`` says why."""

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(str(message))


# ---- checking ------------------------------------------------------------------------


def _array(value: Any) -> np.ndarray:
    return value if isinstance(value, np.ndarray) else np.asarray(value)


def check_state(
    template: Mapping[str, StateValue], saved: Mapping[str, Any], variable: Iterable[str] = ()
) -> dict[str, np.ndarray]:
    """``saved`` as arrays, checked against ``template``; StateError when it does not fit.

    Names starting with an entry of ``variable`` may have any length along their
    first axis (histories); every other array keeps the template's shape.
    """
    variable = tuple(variable)
    if set(saved) != set(template):
        missing = sorted(set(template) - set(saved))
        extra = sorted(set(saved) - set(template))
        name = (missing or extra)[0]
        raise StateError(msg("it does not match this experiment ({name})", name=name[:40]))
    out: dict[str, np.ndarray] = {}
    total = 0
    for name, expected in template.items():
        value = _array(saved[name])
        want = _array(expected)
        if value.dtype.kind != want.dtype.kind and not (
            value.dtype.kind in "iuf" and want.dtype.kind in "iuf"
        ):
            raise StateError(msg("it does not match this experiment ({name})", name=name))
        if value.dtype.kind == "O":
            raise StateError(msg("it does not match this experiment ({name})", name=name))
        if any(name.startswith(prefix) for prefix in variable):
            if value.ndim != want.ndim or value.shape[1:] != want.shape[1:]:
                raise StateError(msg("it does not match this experiment ({name})", name=name))
        elif value.shape != want.shape:
            raise StateError(msg("it does not match this experiment ({name})", name=name))
        if value.dtype.kind == "U" and value.dtype.itemsize // 4 > MAX_TEXT:
            raise StateError(msg("it does not match this experiment ({name})", name=name))
        total += value.size
        if total > MAX_ELEMENTS:
            raise StateError(msg("it is too large"))
        out[name] = value
    return out


def as_int(value: Any, low: int = 0, high: int = 10**9) -> int:
    number = float(_array(value))
    if not math.isfinite(number) or number != int(number) or not low <= number <= high:
        raise StateError(msg("it holds an impossible count"))
    return int(number)


def as_float(value: Any) -> float:
    return float(_array(value))


def as_text(value: Any) -> str:
    return str(_array(value)[()])


def text(value: str) -> np.ndarray:
    return np.array(value)


def prefixed(prefix: str, state: Mapping[str, Any]) -> dict[str, Any]:
    return {f"{prefix}.{key}": value for key, value in state.items()}


def part(prefix: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of ``state`` under ``prefix.``, without it."""
    start = prefix + "."
    return {key[len(start):]: value for key, value in state.items() if key.startswith(start)}


# ---- random generators ---------------------------------------------------------------


def rng_state(rng: np.random.Generator) -> np.ndarray:
    return text(json.dumps(rng.bit_generator.state))


def load_rng(rng: np.random.Generator, value: Any) -> None:
    try:
        state = json.loads(as_text(value))
        if state.get("bit_generator") != rng.bit_generator.state["bit_generator"]:
            raise ValueError("another generator")
        rng.bit_generator.state = state
    except (ValueError, TypeError, KeyError, AttributeError):
        raise StateError(msg("its random state cannot be read")) from None


# ---- the engine's parts --------------------------------------------------------------


def arrays_state(arrays: Iterable[np.ndarray]) -> StateDict:
    return {str(i): np.array(a, dtype=float, copy=True) for i, a in enumerate(arrays)}


def load_arrays(arrays: Iterable[np.ndarray], state: Mapping[str, Any]) -> None:
    for i, array in enumerate(arrays):
        array[...] = state[str(i)]


def model_state(model: Any) -> StateDict:
    out = prefixed("w", arrays_state(model.params))
    if getattr(model, "_dropout_rng", None) is not None:
        out["dropout_rng"] = rng_state(model._dropout_rng)
    return out


def load_model(model: Any, state: Mapping[str, Any]) -> None:
    load_arrays(model.params, part("w", state))
    if getattr(model, "_dropout_rng", None) is not None:
        load_rng(model._dropout_rng, state["dropout_rng"])


def optimizer_state(opt: Any) -> StateDict:
    opt = getattr(opt, "opt", opt)  # a wrapper that records updates
    out: StateDict = {"t": int(opt.t), "epoch": int(opt.epoch), "lr": float(opt.lr),
                      "lr0": float(opt.lr0)}
    for i, slot in enumerate(opt._slots):
        for name in ("s1", "s2"):
            array = getattr(slot, name)
            if array is not None:
                out[f"{name}.{i}"] = array.copy()
    return out


def load_optimizer(opt: Any, state: Mapping[str, Any]) -> None:
    opt = getattr(opt, "opt", opt)
    opt.t = as_int(state["t"])
    opt.epoch = as_int(state["epoch"])
    opt._lr = as_float(state["lr"])
    opt._lr_array = np.array(opt._lr)
    opt.lr0 = as_float(state["lr0"])
    for i, slot in enumerate(opt._slots):
        for name in ("s1", "s2"):
            array = getattr(slot, name)
            if array is not None:
                array[...] = state[f"{name}.{i}"]


def trainer_state(trainer: Any) -> StateDict:
    """A Trainer with its model and optimiser (the best weights when it keeps them)."""
    out: StateDict = {
        "epoch": int(trainer.epoch),
        "step": int(trainer.step),
        "best_epoch": -1 if trainer.best_epoch is None else int(trainer.best_epoch),
        "best_loss": float(trainer.best_loss),
        "stopped": text(trainer.stopped or ""),
        "rng": rng_state(trainer.rng),
    }
    out.update(prefixed("model", model_state(trainer.model)))
    out.update(prefixed("opt", optimizer_state(trainer.optimizer)))
    if trainer.restore_best:
        best = trainer._best_params or trainer._param_list()
        out["has_best"] = int(trainer._best_params is not None)
        out.update(prefixed("best", arrays_state(best)))
    return out


def load_trainer(trainer: Any, state: Mapping[str, Any]) -> None:
    load_model(trainer.model, part("model", state))
    load_optimizer(trainer.optimizer, part("opt", state))
    trainer.epoch = as_int(state["epoch"])
    trainer.step = as_int(state["step"], high=10**12)
    best_epoch = as_int(state["best_epoch"], low=-1)
    trainer.best_epoch = None if best_epoch < 0 else best_epoch
    trainer.best_loss = as_float(state["best_loss"])
    trainer._stopped = as_text(state["stopped"]) or None
    load_rng(trainer.rng, state["rng"])
    if trainer.restore_best:
        if as_int(state["has_best"], high=1):
            trainer._best_params = [p.copy() for p in trainer._param_list()]
            load_arrays(trainer._best_params, part("best", state))
        else:
            trainer._best_params = None
    trainer.last = None
    if trainer.epoch:
        with np.errstate(all="ignore"):
            scores = trainer._evaluate_all()
        trainer.last = trainer._snapshot(*scores, diverged=trainer._stopped == "diverged")
