"""Benchmark cases for the convolutional and recurrent networks.

``CASES`` lists ``(name, make_numpy_step, make_torch_step, target_us)``: each
``make_*`` builds a model and a fixed batch and returns a callable doing one
full training step (forward, backward, SGD update). ``make_torch_step``
returns None when PyTorch is not installed (it is never a dependency; it only
gives a reference: the same network, float32, one thread).

Run ``python -m tui_workshop.bench_extra`` to print the median time per step,
the target and the PyTorch / NumPy ratio.
"""

from __future__ import annotations

import os

# one BLAS thread, as in the app (only effective if numpy is not imported yet)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

Step = Callable[[], None]

CNN_BATCH, RNN_BATCH, RNN_LENGTH, RNN_HIDDEN = 32, 16, 20, 16
LR = 0.01


def _sgd(model) -> Callable[[list[np.ndarray]], None]:
    """The project's SGD when available, else a flat in-place update."""
    try:
        from tui_workshop.nn import optim

        return optim.make("sgd", model.params, LR).step
    except ImportError:  # pragma: no cover - the optimisers ship with the package
        flat, step = model.params.flat, np.empty_like(model.params.flat)

        def update(grads) -> None:
            np.multiply(grads.flat, LR, out=step)
            np.subtract(flat, step, out=flat)

        return update


def _digits_batch(n: int) -> tuple[np.ndarray, np.ndarray]:
    from tui_workshop.nn.images import load_digits

    X, y = load_digits()
    return np.ascontiguousarray(X[:n]), y[:n].copy()


def make_cnn_numpy() -> Step:
    from tui_workshop.nn.cnn import CNN

    net = CNN(input_shape=(1, 8, 8), filters=8, kernel=3, pool=2, n_classes=10, seed=0)
    X, y = _digits_batch(CNN_BATCH)
    update = _sgd(net)

    def step() -> None:
        update(net.loss_and_grads(X, y)[1])

    return step


def _torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def make_cnn_torch() -> Step | None:
    torch = _torch()
    if torch is None:
        return None
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(72, 10)
    )
    X, y = _digits_batch(CNN_BATCH)
    Xt = torch.tensor(X, dtype=torch.float32).reshape(-1, 1, 8, 8)
    yt = torch.tensor(y, dtype=torch.long)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        loss_fn(model(Xt), yt).backward()
        opt.step()

    return step


def _sine_batch() -> tuple[np.ndarray, np.ndarray]:
    from tui_workshop.nn import series

    X, y = series.windows(series.sine(RNN_BATCH + RNN_LENGTH, period=20), RNN_LENGTH)
    return X[:RNN_BATCH], y[:RNN_BATCH]


def make_rnn_numpy() -> Step:
    from tui_workshop.nn.rnn import RNN

    net = RNN(n_inputs=1, n_hidden=RNN_HIDDEN, n_outputs=1, mode="sequence_to_one", seed=0)
    X, y = _sine_batch()
    update = _sgd(net)

    def step() -> None:
        update(net.loss_and_grads(X, y)[1])

    return step


def make_rnn_torch() -> Step | None:
    torch = _torch()
    if torch is None:
        return None
    nn = torch.nn
    torch.manual_seed(0)

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = nn.RNN(1, RNN_HIDDEN, batch_first=True)
            self.out = nn.Linear(RNN_HIDDEN, 1)

        def forward(self, x):
            _, h = self.rnn(x)
            return self.out(h[0])

    model = Net()
    X, y = _sine_batch()
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    loss_fn = nn.MSELoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        loss_fn(model(Xt), yt).backward()
        opt.step()

    return step


CASES: list[tuple[str, Callable[[], Step], Callable[[], Step | None], float]] = [
    ("cnn step (batch 32, 8 filters 3x3 on 8x8, pool 2, dense 10)", make_cnn_numpy,
     make_cnn_torch, 70.0),
    ("rnn step (hidden 16, length 20, batch 16, seq-to-one)", make_rnn_numpy,
     make_rnn_torch, 85.0),
]


def median_us(step: Step, repeat: int = 2000, warmup: int = 200) -> float:
    """Median wall time of one call of ``step`` in microseconds."""
    for _ in range(warmup):
        step()
    clock = time.perf_counter_ns
    times = np.empty(repeat)
    for i in range(repeat):
        t0 = clock()
        step()
        times[i] = clock() - t0
    return float(np.median(times)) / 1000.0


def run(repeat: int = 2000) -> list[dict]:
    """Measure every case; one dict per case (name, numpy_us, target_us, torch_us, ratio)."""
    rows = []
    for name, make_numpy, make_torch, target in CASES:
        numpy_us = median_us(make_numpy(), repeat)
        torch_step = make_torch()
        torch_us = median_us(torch_step, max(repeat // 4, 100)) if torch_step else None
        rows.append(
            {
                "name": name,
                "numpy_us": numpy_us,
                "target_us": target,
                "torch_us": torch_us,
                "ratio": torch_us / numpy_us if torch_us else None,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000, help="timed steps per case")
    args = parser.parse_args(argv)
    print(f"{'case':62s} {'median µs':>10s} {'target':>7s} {'torch µs':>9s} {'torch/np':>9s}")
    for row in run(args.repeat):
        ok = "ok" if row["numpy_us"] <= row["target_us"] else "SLOW"
        torch_us = f"{row['torch_us']:9.1f}" if row["torch_us"] else f"{'n/a':>9s}"
        ratio = f"{row['ratio']:8.1f}x" if row["ratio"] else f"{'n/a':>9s}"
        print(
            f"{row['name']:62s} {row['numpy_us']:10.1f} {row['target_us']:7.0f} "
            f"{torch_us} {ratio}  {ok}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
