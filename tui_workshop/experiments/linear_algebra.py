"""Vectors and matrices: a layer computes Y = X·W + b, one entry at a time.

A sample is a vector (a row of X), a batch is a matrix X of shape (batch×in),
a layer holds weights W of shape (in×out) (column j feeds output j, as in the
engine) and a bias b of shape (out). Each step reveals one more entry of
Y = X·W + b, written out as a dot product with its numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from tui_workshop.experiments._common import formula, num, term, wrap_sum
from tui_workshop.experiments.base import (
    Frame,
    Table,
    TextPanel,
    TrainerExperiment,
    register,
)
from tui_workshop.experiments.specs import linear_algebra as spec
from tui_workshop.i18n.message import Cat, Text, lines, msg, msg_n

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
MAX_SIZE = spec.MAX_SIZE
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


def entry_text(X: np.ndarray, W: np.ndarray, b: np.ndarray, i: int, j: int) -> Cat:
    """Y[i, j] as a dot product with its numbers (i, j from 0; shown from 1)."""
    products = [
        formula("{w}·{x}", w=term(W[k, j]), x=term(X[i, k])) for k in range(X.shape[1])
    ]
    value = float(X[i] @ W[:, j] + b[j])
    name = f"Y{sub(i + 1)}{sub(j + 1)}"
    return lines(
        f"{name} = w{sub(j + 1)}·x{sub(i + 1)} + b{sub(j + 1)}",
        *wrap_sum("  = ", [*products, term(b[j])], num(value)),
    )


@register
class LinearAlgebra(TrainerExperiment):
    name = "linear_algebra"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.X, self.W, self.b = make_layer(
            p["n_inputs"], p["n_outputs"], p["batch"], p["seed"], p["example"]
        )
        self.Y = self.X @ self.W + self.b
        self.revealed = 0

    @property
    def total(self) -> int:
        return self.Y.size

    def advance(self) -> None:
        """Reveal the next entry of Y, row by row."""
        self.revealed += 1
        self.steps_done += 1
        if self.revealed >= self.total:
            self.stopped = "complete"

    keeps_state = True

    def save_state(self) -> dict[str, Any]:
        return {"revealed": int(self.revealed)}

    def load_state(self, saved: Mapping[str, Any]) -> None:
        from tui_workshop.experiments.state import as_int

        self.revealed = as_int(saved["revealed"], high=self.total)

    def stop_message(self) -> tuple[Text | None, Literal["info", "warning", "error"]]:
        if self.stopped == "complete":
            return msg("Every entry of Y is computed."), "info"
        return super().stop_message()

    def position(self, k: int) -> tuple[int, int]:
        """(row, column) of the k-th entry in reveal order (k from 0)."""
        return divmod(k, self.Y.shape[1])

    def current(self) -> tuple[int, int] | None:
        """The entry to explain: the chosen one, else the last revealed."""
        chosen = self.params["entry"]
        if chosen >= 1:
            return self.position(min(chosen, self.total) - 1)
        if self.revealed:
            return self.position(self.revealed - 1)
        return None

    def is_shown(self, i: int, j: int) -> bool:
        return i * self.Y.shape[1] + j < self.revealed or self.current() == (i, j)

    def draw(self) -> Frame:
        X, W, b, Y = self.X, self.W, self.b, self.Y
        batch, n_in = X.shape
        n_out = W.shape[1]
        cur = self.current()
        ci, cj = cur if cur else (-1, -1)

        x_table = Table(
            msg_n("X: {n} sample ({n}×{cols})", "X: {n} samples ({n}×{cols})", batch, cols=n_in),
            ("", *tuple(msg("in {k}", k=k + 1) for k in range(n_in))),
            tuple((f"x{sub(i + 1)}", *tuple(num(v) for v in X[i])) for i in range(batch)),
            frozenset((ci, k + 1) for k in range(n_in)) if cur else frozenset(),
        )
        w_rows: list[tuple[Text, ...]] = [
            (msg("in {k}", k=k + 1), *(num(v) for v in W[k])) for k in range(n_in)
        ]
        w_rows.append(("b", *(num(v) for v in b)))
        w_table = Table(
            msg("W ({rows}×{cols}) and b ({cols})", rows=n_in, cols=n_out),
            ("", *tuple(f"w{sub(j + 1)}" for j in range(n_out))),
            tuple(w_rows),
            frozenset((k, cj + 1) for k in range(n_in + 1)) if cur else frozenset(),
        )
        y_table = Table(
            f"Y = X·W + b ({batch}×{n_out})",
            ("", *tuple(msg("out {j}", j=j + 1) for j in range(n_out))),
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
            head: list[Text] = [
                msg("row {row} of X, column {col} of W:", row=ci + 1, col=cj + 1),
                entry_text(X, W, b, ci, cj),
            ]
        else:
            head = [msg("Press step (F6) for the first entry.")]
        shapes = f"({batch}×{n_in})·({n_in}×{n_out}) + ({n_out}) → ({batch}×{n_out})"
        text = lines(
            *head,
            "",
            msg("(batch×in)·(in×out) + (out)"),
            msg("  → (batch×out)"),
            msg("here {shapes}", shapes=shapes),
        )
        message, level = self.stop_message()
        return Frame(
            step=self.revealed,
            status=msg_n(
                "{revealed}/{n} entry", "{revealed}/{n} entries", self.total,
                revealed=self.revealed,
            ),
            panels=(x_table, w_table, y_table, TextPanel(msg("One entry"), text)),
            metrics={
                "revealed": float(self.revealed),
                "total": float(self.total),
                "complete": 1.0 if self.done else 0.0,
            },
            done=self.done,
            progress=self.revealed / self.total,
            message=message,
            level=level,
        )
