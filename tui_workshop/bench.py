"""Micro-benchmark of training steps: ``python -m tui_workshop.bench [--quick] [--case NAME]``.

Prints, for each case, the median and the best time of one training step
(forward, backward, parameter update) beside its target. When PyTorch is
importable (it is never a dependency) the same network is timed in PyTorch
on the CPU with one thread, float64 and plain SGD, and the ratio is shown
(the target is the engine being at least 5x faster).

A case is a :class:`Case`: a name, a function building a NumPy step, an
optional function building the PyTorch step, and the target in microseconds.
:data:`CASES` holds the MLP cases, the CNN (8 filters 3×3 on the 8×8 digits,
pool 2, dense to 10) and the RNN (hidden 16, length 20, sequence to one).

The figures are wall-clock times: on a machine busy with other work they
rise, so a note is printed when the load average is high.
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

# numpy is imported after tui_workshop/__init__.py ran (``python -m`` imports the
# package first), so BLAS is limited to one thread as in the app
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
    y: np.ndarray
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


# ------------------------------------------------ convolutional and recurrent

CNN_BATCH = 32
RNN_BATCH, RNN_LENGTH, RNN_HIDDEN = 16, 20, 16


def _digits_batch(n: int) -> tuple[np.ndarray, np.ndarray]:
    from tui_workshop.nn.images import load_digits

    X, y = load_digits()
    return np.ascontiguousarray(X[:n]), y[:n].copy()


def _sine_batch() -> tuple[np.ndarray, np.ndarray]:
    from tui_workshop.nn import series

    X, y = series.windows(series.sine(RNN_BATCH + RNN_LENGTH, period=20), RNN_LENGTH)
    return X[:RNN_BATCH], y[:RNN_BATCH]


def cnn_numpy_step(lr: float = 0.01) -> Step:
    """conv 8 filters 3×3 on 8×8 digits → ReLU → max pool 2 → dense 10, SGD, one fixed batch."""
    from tui_workshop.nn.cnn import CNN

    net = CNN(input_shape=(1, 8, 8), filters=8, kernel=3, pool=2, n_classes=10, seed=0)
    X, y = _digits_batch(CNN_BATCH)
    loss_and_grads, update = net.loss_and_grads, optim.make("sgd", net.params, lr).step

    def step():
        update(loss_and_grads(X, y)[1])

    return step


def cnn_torch_step(lr: float = 0.01) -> Step:
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    nn = torch.nn
    net = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(72, 10)
    ).double()
    X, y = _digits_batch(CNN_BATCH)
    inputs = torch.tensor(X, dtype=torch.float64).reshape(-1, 1, 8, 8)
    targets = torch.tensor(y, dtype=torch.int64)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=lr)

    def step():
        opt.zero_grad()
        loss_fn(net(inputs), targets).backward()
        opt.step()

    return step


def rnn_numpy_step(lr: float = 0.01) -> Step:
    """Elman RNN, hidden 16, sine windows of length 20, sequence to one, SGD."""
    from tui_workshop.nn.rnn import RNN

    net = RNN(n_inputs=1, n_hidden=RNN_HIDDEN, n_outputs=1, mode="sequence_to_one", seed=0)
    X, y = _sine_batch()
    loss_and_grads, update = net.loss_and_grads, optim.make("sgd", net.params, lr).step

    def step():
        update(loss_and_grads(X, y)[1])

    return step


def rnn_torch_step(lr: float = 0.01) -> Step:
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    nn = torch.nn

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = nn.RNN(1, RNN_HIDDEN, batch_first=True)
            self.out = nn.Linear(RNN_HIDDEN, 1)

        def forward(self, x):
            _, h = self.rnn(x)
            return self.out(h[0])

    net = Net().double()
    X, y = _sine_batch()
    inputs = torch.tensor(X, dtype=torch.float64)
    targets = torch.tensor(y, dtype=torch.float64).reshape(-1, 1)
    loss_fn = nn.MSELoss()
    opt = torch.optim.SGD(net.parameters(), lr=lr)

    def step():
        opt.zero_grad()
        loss_fn(net(inputs), targets).backward()
        opt.step()

    return step


W1 = [2, 8, 8, 1]
W2 = [4, 16, 16, 3]
W3 = [64, 32, 10]

CASES: list[Case] = [
    _mlp_case("W1 2-8-8-1 tanh/sigmoid, batch 10", W1, "tanh", "sigmoid", 500, 10, 15),
    _mlp_case("W1 2-8-8-1 tanh/sigmoid, full batch 500", W1, "tanh", "sigmoid", 500, 500, None),
    _mlp_case("W2 4-16-16-3 tanh/softmax, batch 10", W2, "tanh", "softmax", 500, 10, 19),
    _mlp_case("W3 64-32-10 relu/softmax, batch 32", W3, "relu", "softmax", 512, 32, 27),
    Case("CNN 8x3x3 on 8x8, pool 2, dense 10, batch 32", cnn_numpy_step, cnn_torch_step, 70),
    Case("RNN hidden 16, length 20, seq-to-one, batch 16", rnn_numpy_step, rnn_torch_step, 85),
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


def select(names: list[str] | None, cases: list[Case] | None = None) -> list[Case]:
    """The cases whose name contains one of ``names`` (case-insensitive); all if None.

    Raises ValueError naming the cases when a name matches none.
    """
    cases = CASES if cases is None else cases
    if not names:
        return list(cases)
    chosen = []
    for name in names:
        found = [c for c in cases if name.lower() in c.name.lower()]
        if not found:
            known = "; ".join(c.name for c in cases)
            raise ValueError(f"no case matches {name!r}; cases: {known}")
        chosen += [c for c in found if c not in chosen]
    return chosen


def load_average() -> float | None:
    """The 1-minute load average, or None where the system does not give it."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def load_note(load: float | None = None) -> str | None:
    """A warning when the load average (now, or ``load``) exceeds half the CPU count, else None."""
    load = load_average() if load is None else load
    cpus = os.cpu_count() or 1
    if load is None or load <= 0.5 * cpus:
        return None
    return (
        f"note: load average {load:.2f} on {cpus} CPU(s): other jobs share the machine,"
        " figures are unreliable (too high); compare best"
    )


NAME_WIDTH = 48


def run(cases=None, repeat: int = 15, number: int = 1000, with_torch: bool = True, out=None):
    """Time every case and print a table; returns a list of result dicts.

    Each dict has name, numpy_us (median), best_us, target_us, ok (median within
    the target, or no target) and, when PyTorch ran, torch_us and ratio.
    """
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
    loads = [load_average()]
    header = f"{'case':{NAME_WIDTH}} {'numpy µs':>9} {'best µs':>8} {'target':>7} {'ok?':>5}"
    if use_torch:
        header += f" {'torch µs':>9} {'ratio':>7}"
    print(header, file=out)
    print("-" * len(header), file=out)
    # every NumPy case first: PyTorch may leave worker threads spinning on the
    # cores for a while after it ran, which would slow what is timed next
    numpy_times = [time_step(case.make_numpy_step(), repeat, number) for case in cases]
    results = []
    for case, (numpy_us, best_us) in zip(cases, numpy_times, strict=True):
        target = "-" if case.target_us is None else f"<={case.target_us:g}"
        ok = case.target_us is None or numpy_us <= case.target_us
        verdict = "-" if case.target_us is None else ("ok" if ok else "SLOW")
        line = f"{case.name:{NAME_WIDTH}} {numpy_us:9.1f} {best_us:8.1f} {target:>7} {verdict:>5}"
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
            low = "" if ratio >= TORCH_RATIO_TARGET else "*"
            line += f" {torch_us:9.1f} {ratio:5.1f}x{low}"
            result.update(torch_us=torch_us, ratio=ratio)
        print(line, file=out, flush=True)
        results.append(result)
    loads.append(load_average())
    print(
        "numpy µs: median µs per training step (forward, backward, update); best: fastest run",
        file=out,
    )
    if use_torch:
        print(
            f"ratio = torch / numpy (medians); target >= {TORCH_RATIO_TARGET:g}x"
            " (* marks a ratio below it)",
            file=out,
        )
    elif with_torch:
        print("(PyTorch not importable: no comparison)", file=out)
    known = [load for load in loads if load is not None]
    note = load_note(max(known)) if known else None
    if note:
        print(note, file=out)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui_workshop.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs")
    parser.add_argument("--repeat", type=int, default=None, help="runs per case (median)")
    parser.add_argument(
        "--case",
        action="append",
        metavar="NAME",
        help="only the cases whose name contains NAME (e.g. cnn, rnn, W1); repeatable",
    )
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    args = parser.parse_args(argv)
    try:
        cases = select(args.case)
    except ValueError as error:
        parser.error(str(error))
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    repeat = args.repeat or (5 if args.quick else 15)
    number = 200 if args.quick else 1000
    run(cases, repeat=repeat, number=number, with_torch=not args.no_torch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
