"""Micro-benchmark of training steps: ``python -m tui_workshop.bench [--quick] [--repeat N]``.

Prints the median time of one training step (forward, backward, parameter
update) for each case, beside its target. When PyTorch is importable the same
network is timed in PyTorch on the CPU with one thread and plain SGD, and the
ratio is shown (the target is the engine being at least 5x faster).

A case is a :class:`Case`: a name, a function building a NumPy step, an
optional function building the PyTorch step, and the target in microseconds.
Add cases to :data:`CASES` (e.g. convolutional or recurrent networks).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from tui_workshop.nn import optim
from tui_workshop.nn.mlp import MLP

Step = Callable[[], object]
TORCH_RATIO_TARGET = 5.0


@dataclass(frozen=True)
class Case:
    """One benchmark: ``make_numpy_step()`` and ``make_torch_step()`` return a
    zero-argument callable doing one training step (``make_torch_step`` may be
    None); ``target_us`` is the target median time or None."""

    name: str
    make_numpy_step: Callable[[], Step]
    make_torch_step: Callable[[], Step] | None
    target_us: float | None


def _data(n: int, features: int, outputs: int, task: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, features))
    if task == "binary":
        y = (X[:, 0] * X[:, 1 % features] > 0).astype(np.int64)
    elif task == "classes":
        y = rng.integers(0, outputs, size=n)
    else:
        y = rng.normal(size=n)
    return X, y


def _batches(X, y, batch: int):
    starts = list(range(0, len(X), batch))
    return [(X[s : s + batch], y[s : s + batch]) for s in starts]


def mlp_numpy_step(sizes, activation, output, n, batch, lr=0.01) -> Callable[[], Step]:
    """A NumPy MLP step cycling through the minibatches of a fixed data set."""

    def make() -> Step:
        task = {"sigmoid": "binary", "softmax": "classes"}.get(output, "values")
        X, y = _data(n, sizes[0], sizes[-1], task)
        batches = _batches(X, y, batch)
        model = MLP(sizes, activation=activation, output=output, seed=0)
        opt = optim.make("sgd", model.params, lr)
        loss_and_grads, update = model.loss_and_grads, opt.step
        state = {"i": 0}

        def step():
            i = state["i"]
            Xb, yb = batches[i]
            state["i"] = (i + 1) % len(batches)
            update(loss_and_grads(Xb, yb)[1])

        return step

    return make


def mlp_torch_step(sizes, activation, output, n, batch, lr=0.01) -> Callable[[], Step]:
    """The same network in PyTorch (CPU, one thread, SGD)."""

    def make() -> Step:
        import torch

        torch.set_num_threads(1)
        torch.manual_seed(0)
        task = {"sigmoid": "binary", "softmax": "classes"}.get(output, "values")
        X, y = _data(n, sizes[0], sizes[-1], task)
        layers = []
        act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}
        for i, (a, b) in enumerate(pairwise(sizes)):
            layers.append(torch.nn.Linear(a, b).double())
            if i < len(sizes) - 2:
                layers.append(act[activation]())
        net = torch.nn.Sequential(*layers)
        if output == "sigmoid":
            loss_fn = torch.nn.BCEWithLogitsLoss()
            targets = torch.tensor(y, dtype=torch.float64).reshape(-1, 1)
        elif output == "softmax":
            loss_fn = torch.nn.CrossEntropyLoss()
            targets = torch.tensor(y, dtype=torch.int64)
        else:
            loss_fn = torch.nn.MSELoss()
            targets = torch.tensor(y, dtype=torch.float64).reshape(-1, 1)
        inputs = torch.tensor(X, dtype=torch.float64)
        batches = [(inputs[s : s + batch], targets[s : s + batch]) for s in range(0, n, batch)]
        opt = torch.optim.SGD(net.parameters(), lr=lr)
        state = {"i": 0}

        def step():
            i = state["i"]
            xb, yb = batches[i]
            state["i"] = (i + 1) % len(batches)
            opt.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()

        return step

    return make


def _mlp_case(name, sizes, activation, output, n, batch, target_us) -> Case:
    args = (sizes, activation, output, n, batch)
    return Case(name, mlp_numpy_step(*args), mlp_torch_step(*args), target_us)


W1 = [2, 8, 8, 1]
W2 = [4, 16, 16, 3]
W3 = [64, 32, 10]

CASES: list[Case] = [
    _mlp_case("W1 2-8-8-1 tanh/sigmoid, batch 10", W1, "tanh", "sigmoid", 500, 10, 15),
    _mlp_case("W1 2-8-8-1 tanh/sigmoid, full batch 500", W1, "tanh", "sigmoid", 500, 500, None),
    _mlp_case("W2 4-16-16-3 tanh/softmax, batch 10", W2, "tanh", "softmax", 500, 10, 19),
    _mlp_case("W3 64-32-10 relu/softmax, batch 32", W3, "relu", "softmax", 512, 32, 27),
]


def time_step(step: Step, repeat: int, number: int) -> tuple[float, float]:
    """(median, best) over ``repeat`` runs of the mean time of ``number`` steps, in µs."""
    for _ in range(max(number // 10, 10)):  # warm up (buffers, caches)
        step()
    timings = []
    clock = time.perf_counter
    for _ in range(repeat):
        start = clock()
        for _ in range(number):
            step()
        timings.append((clock() - start) / number * 1e6)
    return statistics.median(timings), min(timings)


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except Exception:
        return False
    return True


def run(cases=None, repeat: int = 15, number: int = 1000, with_torch: bool = True, out=None):
    """Time every case and print a table; returns a list of result dicts."""
    out = out or sys.stdout
    cases = CASES if cases is None else cases
    use_torch = with_torch and torch_available()
    threads = {k: os.environ.get(k, "(unset)") for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    print(f"numpy {np.__version__}; {threads}", file=out)
    if os.environ.get("OPENBLAS_CORETYPE"):
        print(
            f"note: OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is set; it can slow numpy",
            file=out,
        )
    if hasattr(os, "getloadavg") and os.getloadavg()[0] > 0.5:
        load = os.getloadavg()[0]
        print(f"note: load average {load:.2f}: other processes may slow the figures", file=out)
    header = f"{'case':44} {'numpy us':>9} {'best':>7} {'target':>7}"
    if use_torch:
        header += f" {'torch us':>9} {'ratio':>6}"
    print(header, file=out)
    # every NumPy case first: PyTorch may leave worker threads spinning on the
    # cores for a while after it ran, which would slow what is timed next
    numpy_times = [time_step(case.make_numpy_step(), repeat, number) for case in cases]
    results = []
    for case, (numpy_us, best_us) in zip(cases, numpy_times, strict=True):
        target = "-" if case.target_us is None else f"<={case.target_us:g}"
        ok = case.target_us is None or numpy_us <= case.target_us
        line = f"{case.name:44} {numpy_us:9.2f} {best_us:7.2f} {target:>7}"
        result = {
            "name": case.name,
            "numpy_us": numpy_us,
            "best_us": best_us,
            "target_us": case.target_us,
            "ok": ok,
        }
        if use_torch and case.make_torch_step is not None:
            torch_us = time_step(case.make_torch_step(), max(repeat // 3, 3), number)[0]
            ratio = torch_us / numpy_us
            line += f" {torch_us:9.2f} {ratio:5.1f}x"
            result.update(torch_us=torch_us, ratio=ratio)
            ok = ok and ratio >= TORCH_RATIO_TARGET
        line += "" if ok else "  MISSED"
        print(line, file=out, flush=True)
        results.append(result)
    print("numpy us: median µs per training step; best: fastest run", file=out)
    if use_torch:
        print(f"ratio = torch / numpy (medians); target >= {TORCH_RATIO_TARGET:g}x", file=out)
    else:
        print("(PyTorch not importable: no comparison)", file=out)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui_workshop.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs")
    parser.add_argument("--repeat", type=int, default=None, help="runs per case (median)")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    args = parser.parse_args(argv)
    repeat = args.repeat or (5 if args.quick else 15)
    number = 200 if args.quick else 1000
    run(repeat=repeat, number=number, with_torch=not args.no_torch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
