"""Vectors and matrices: a layer computes Y = X·W + b, one entry at a time.

A sample is a vector (a row of X), a batch is a matrix X of shape (batch×in),
a layer holds weights W of shape (in×out) (column j feeds output j, as in the
engine) and a bias b of shape (out). Each step reveals one more entry of
Y = X·W + b, written out as a dot product with its numbers.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import num, term
from tui_workshop.experiments.specs import linear_algebra as spec
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    ParameterError,
    Table,
    TextPanel,
    register,
)

# The numbers used in the lesson text; smaller shapes take the top-left block.
LESSON_X = np.array(
    [
        [1.0, 2.0, 0.5, -1.0],
        [0.0, -1.0, 1.0, 2.0],
        [2.0, 1.0, -1.0, 0.0],
        [-1.0, 0.5, 2.0, 1.0],
    ]
)
LESSON_W = np.array(
    [
        [0.5, 0.3, -0.1, 0.2],
        [-0.2, 0.4, 0.6, -0.5],
        [0.1, -0.3, 0.2, 0.4],
        [0.3, 0.1, -0.4, 0.2],
    ]
)
LESSON_B = np.array([0.1, -0.1, 0.2, 0.0])
MAX_SIZE = 4
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(n: int) -> str:
    """An index written as Unicode subscripts: 12 -> ₁₂."""
    return str(n).translate(SUBSCRIPTS)


def make_layer(
    n_inputs: int, n_outputs: int, batch: int, seed: int = 0, example: str = "lesson"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, W, b) with one-decimal numbers easy to multiply by hand."""
    if example == "lesson":
        return (
            LESSON_X[:batch, :n_inputs].copy(),
            LESSON_W[:n_inputs, :n_outputs].copy(),
            LESSON_B[:n_outputs].copy(),
        )
    rng = np.random.default_rng(seed)
    X = rng.integers(-4, 5, size=(batch, n_inputs)) / 2.0
    W = rng.integers(-10, 11, size=(n_inputs, n_outputs)) / 10.0
    b = rng.integers(-5, 6, size=n_outputs) / 10.0
    return X, W, b


def wrap_sum(head: str, terms: list[str], tail: str, width: int = 32) -> list[str]:
    """``head`` + terms joined by " + " + ``tail``, broken into lines of at most
    ``width`` where possible; continuation lines start with "  + "."""
    lines = [head + terms[0]]
    for item in terms[1:]:
        if len(lines[-1]) + 3 + len(item) <= width:
            lines[-1] += " + " + item
        else:
            lines.append("  + " + item)
    if len(lines[-1]) + len(tail) <= width:
        lines[-1] += tail
    else:
        lines.append("  " + tail.lstrip())
    return lines


def entry_text(X: np.ndarray, W: np.ndarray, b: np.ndarray, i: int, j: int) -> str:
    """Y[i, j] as a dot product with its numbers (i, j from 0; shown from 1)."""
    products = [f"{term(W[k, j])}·{term(X[i, k])}" for k in range(X.shape[1])]
    value = float(X[i] @ W[:, j] + b[j])
    name = f"Y{sub(i + 1)}{sub(j + 1)}"
    lines = [f"{name} = w{sub(j + 1)}·x{sub(i + 1)} + b{sub(j + 1)}"]
    lines += wrap_sum("  = ", [*products, term(b[j])], f" = {num(value)}")
    return "\n".join(lines)


@register
class LinearAlgebra(Experiment):
    name = "linear_algebra"
    SCHEMA = spec.SCHEMA  # provisional: the hand-written checks below still run
    title = "Vectors and matrices"
    defaults: ClassVar[dict[str, Any]] = {
        "n_inputs": 2,
        "n_outputs": 2,
        "batch": 2,
        "seed": 0,
        "example": "lesson",
        "entry": 0,
    }
    trainable = True
    live_params = frozenset({"entry"})

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        for key in ("n_inputs", "n_outputs", "batch"):
            p[key] = int(p[key])
            if not 1 <= p[key] <= MAX_SIZE:
                raise ParameterError(f"{key} must be between 1 and {MAX_SIZE}")
        if p["example"] not in ("lesson", "random"):
            raise ParameterError("example must be 'lesson' or 'random'")
        self.X, self.W, self.b = make_layer(
            p["n_inputs"], p["n_outputs"], p["batch"], int(p["seed"]), p["example"]
        )
        self.Y = self.X @ self.W + self.b
        self.revealed = 0

    @property
    def total(self) -> int:
        return self.Y.size

    @property
    def done(self) -> bool:
        return self.revealed >= self.total

    def step(self) -> None:
        """Reveal the next entry of Y, row by row."""
        if not self.done:
            self.revealed += 1
            self.steps_done += 1

    def position(self, k: int) -> tuple[int, int]:
        """(row, column) of the k-th entry in reveal order (k from 0)."""
        return divmod(k, self.Y.shape[1])

    def current(self) -> tuple[int, int] | None:
        """The entry to explain: the chosen one, else the last revealed."""
        chosen = int(self.params.get("entry", 0) or 0)
        if chosen >= 1:
            return self.position(min(chosen, self.total) - 1)
        if self.revealed:
            return self.position(self.revealed - 1)
        return None

    def is_shown(self, i: int, j: int) -> bool:
        return i * self.Y.shape[1] + j < self.revealed or self.current() == (i, j)

    def frame(self) -> Frame:
        X, W, b, Y = self.X, self.W, self.b, self.Y
        batch, n_in = X.shape
        n_out = W.shape[1]
        cur = self.current()
        ci, cj = cur if cur else (-1, -1)

        x_table = Table(
            f"X: {batch} samples ({batch}×{n_in})",
            ("", *tuple(f"in {k + 1}" for k in range(n_in))),
            tuple((f"x{sub(i + 1)}", *tuple(num(v) for v in X[i])) for i in range(batch)),
            frozenset((ci, k + 1) for k in range(n_in)) if cur else frozenset(),
        )
        w_table = Table(
            f"W ({n_in}×{n_out}) and b ({n_out})",
            ("", *tuple(f"w{sub(j + 1)}" for j in range(n_out))),
            (
                *((f"in {k + 1}", *(num(v) for v in W[k])) for k in range(n_in)),
                ("b", *(num(v) for v in b)),
            ),
            frozenset((k, cj + 1) for k in range(n_in + 1)) if cur else frozenset(),
        )
        y_table = Table(
            f"Y = X·W + b ({batch}×{n_out})",
            ("", *tuple(f"out {j + 1}" for j in range(n_out))),
            tuple(
                (
                    f"y{sub(i + 1)}",
                    *tuple(num(Y[i, j]) if self.is_shown(i, j) else "?" for j in range(n_out)),
                )
                for i in range(batch)
            ),
            frozenset({(ci, cj + 1)}) if cur else frozenset(),
        )
        if cur:
            lines = [f"row {ci + 1} of X, column {cj + 1} of W:", entry_text(X, W, b, ci, cj)]
        else:
            lines = ["Press step (F6) for the first entry."]
        lines += [
            "",
            "(batch×in)·(in×out) + (out)",
            "  → (batch×out)",
            f"here ({batch}×{n_in})·({n_in}×{n_out}) + ({n_out}) → ({batch}×{n_out})",
        ]
        status = f"{self.revealed}/{self.total} entries"
        return Frame(
            step=self.revealed,
            status=status,
            panels=(x_table, w_table, y_table, TextPanel("One entry", "\n".join(lines))),
            metrics={
                "revealed": float(self.revealed),
                "total": float(self.total),
                "complete": 1.0 if self.done else 0.0,
            },
            done=self.done,
            progress=self.revealed / self.total,
            message="Every entry of Y is computed." if self.done else None,
        )
