"""Convolution step by step: a kernel slides over an image.

Each step moves the kernel to the next output position (row by row) and
writes one more entry of the feature map. The frame shows the (padded) input
with the current window marked, the feature map computed so far, the dot
product at the current position in numbers,

    out[i,j] = Σ K⊙patch = K₁₁·x₁₁ + K₁₂·x₁₂ + … ,

and the output size ⌊(n + 2p − k)/s⌋ + 1 with the numbers filled in. With
pooling on, a third heatmap shows the pooled map. A combination that does not
fit (a kernel larger than the padded image, pooling a map smaller than its
window) gives a warning frame, never an exception.

Like deep-learning frameworks, "convolution" is cross-correlation here: the
kernel is not flipped (``tui_workshop.nn.conv``).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import MINUS, num, param_num
from tui_workshop.experiments.specs import convolution as spec
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    Heatmap,
    ParameterError,
    Series,
    TextPanel,
    frozen_array,
    register,
)
from tui_workshop.nn import conv
from tui_workshop.nn.images import sample_images

IMAGES = ("square", "circle", "diagonal", "checkerboard", "digit")
# the classic 3×3 kernels of nn.conv plus two larger box blurs (to try padding)
KERNELS: dict[str, np.ndarray] = {
    **{name: np.array(k) for name, k in conv.KERNELS.items()},
    "blur_5x5": np.full((5, 5), 1.0 / 25.0),
    "blur_7x7": np.full((7, 7), 1.0 / 49.0),
}
# kernels whose output has both signs: drawn blue-white-orange around 0
SIGNED = frozenset({"edge_horizontal", "edge_vertical", "laplacian", "sobel_x", "sobel_y"})
POOLS = ("none", "max", "avg")
POOL_SIZE = 2
WINDOW_ROLE = 1  # orange crosses outline the window


def output_size_text(n: int, k: int, p: int, s: int) -> str:
    """Two lines: "⌊(12 + 2·1 − 3)/2⌋ + 1" and " = ⌊11/2⌋ + 1 = 6" (or why it does not fit)."""
    inner = n + 2 * p - k
    lead = f"⌊({n} + 2·{p} − {k})/{s}⌋ + 1"
    if inner < 0:
        return f"{lead}\n but {k} > {n} + 2·{p} = {n + 2 * p}: no room"
    return f"{lead}\n = ⌊{inner}/{s}⌋ + 1 = {inner // s + 1}"


def kernel_term(value: float) -> str:
    """A kernel entry as written in a sum: "1", "(−2)", "0.0625"."""
    text = param_num(value, 0, 4)
    return f"({text})" if text.startswith(MINUS) else text


def dot_product_text(row: int, col: int, kernel: np.ndarray, patch: np.ndarray) -> str:
    """The entry out[row,col] written as a sum of products, one kernel row per line."""
    value = float(np.sum(kernel * patch))
    head = f"out[{row},{col}] = Σ K⊙patch"
    flat = kernel.ravel()
    if np.all(flat == flat[0]) and kernel.size > 9:  # a box blur: factor out the constant
        total = float(patch.sum())
        return (
            f"{head}\n = {num(flat[0], 3)}·Σ patch"
            f" = {num(flat[0], 3)}·{num(total)}\n = {num(value)}"
        )
    lines = [head]
    for r in range(kernel.shape[0]):
        terms = " + ".join(
            f"{kernel_term(k)}·{num(x)}" for k, x in zip(kernel[r], patch[r], strict=True)
        )
        lines.append((" = " if r == 0 else " + ") + terms)
    lines.append(f" = {num(value)}")
    return "\n".join(lines)


def image_heatmap(
    title: str,
    image: np.ndarray,
    vmin: float,
    vmax: float,
    diverging: bool,
    points: tuple[Series, ...] = (),
) -> Heatmap:
    """An image (row 0 at the top, as printed) as a Heatmap (row 0 at the bottom).

    Cell (r, c) of the image covers x in [c, c + 1] and y in [h − r − 1, h − r].
    NaN cells (not computed yet) show as the middle colour.
    """
    h, w = image.shape
    return Heatmap(
        title=title,
        z=frozen_array(image[::-1]),
        x_range=(0.0, float(w)),
        y_range=(0.0, float(h)),
        points=points,
        vmin=vmin,
        vmax=vmax,
        diverging=diverging,
    )


def window_points(top: int, left: int, k: int, height: int) -> tuple[Series, ...]:
    """Markers on the four corner cells of the k×k window at (top, left) of an image ``height``
    tall: few markers, so the pixels inside stay visible on a small heatmap."""
    cells = [(top + a, left + b) for a in (0, k - 1) for b in (0, k - 1)]
    xs = [c + 0.5 for _, c in cells]
    ys = [height - r - 0.5 for r, _ in cells]
    return (Series("window", frozen_array(xs), frozen_array(ys), "points", WINDOW_ROLE),)


@register
class Convolution(Experiment):
    name = "convolution"
    SCHEMA = spec.SCHEMA  # provisional: the hand-written checks below still run
    title = "Convolution, step by step"
    defaults: ClassVar[dict[str, Any]] = {
        "image": "square",
        "digit": 0,  # which digit of the data set when image = "digit"
        "size": 12,  # image side in pixels
        "kernel": "sobel_x",
        "stride": 1,
        "padding": 0,
        "pool": "none",
    }
    trainable = True

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.require_choice("image", IMAGES)
        self.require_choice("kernel", KERNELS)
        self.require_choice("pool", POOLS)
        for key in ("digit", "size", "stride", "padding"):
            p[key] = int(p[key])
        if not 6 <= p["size"] <= 32:
            raise ParameterError("the image size must be between 6 and 32 pixels")
        if not 0 <= p["digit"] < 1797:
            raise ParameterError("digit must be between 0 and 1796")
        self.image = sample_images(p["size"], p["digit"])[p["image"]]
        self.kernel = KERNELS[p["kernel"]]
        self.signed = p["kernel"] in SIGNED
        self.problem: str | None = None
        try:
            n, k, s, pad = p["size"], self.kernel.shape[0], p["stride"], p["padding"]
            self.out_h = conv.conv_output_size(n, k, pad, s)
            self.out_w = self.out_h
        except ValueError as exc:
            self.problem = str(exc)
            self.out_h = self.out_w = 0
            self.output = np.zeros((0, 0))
        else:
            self.output = conv.correlate2d(self.image, self.kernel, s, pad)
        self.padded = np.pad(self.image, p["padding"]) if p["padding"] else self.image
        self.computed = 0 if self.problem else 1  # entries written so far (reading order)
        self.pool_problem: str | None = None
        if not self.problem and p["pool"] != "none" and self.out_h < POOL_SIZE:
            self.pool_problem = (
                f"pooling {POOL_SIZE}×{POOL_SIZE} needs a feature map at least"
                f" {POOL_SIZE}×{POOL_SIZE}, this one is {self.out_h}×{self.out_w}"
            )

    # --- stepping -------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.problem is not None or self.computed >= self.out_h * self.out_w

    def step(self) -> None:
        """Slide the kernel to the next output position."""
        if not self.done:
            self.computed += 1
            self.steps_done += 1

    # --- reading --------------------------------------------------------------

    def position(self) -> tuple[int, int]:
        """(row, col) of the entry written last."""
        index = max(self.computed - 1, 0)
        return divmod(index, self.out_w)

    def partial_output(self) -> np.ndarray:
        """The feature map with entries not computed yet as NaN."""
        out = np.full(self.output.shape, np.nan)
        out.ravel()[: self.computed] = self.output.ravel()[: self.computed]
        return out

    def value_range(self) -> tuple[float, float]:
        """Colour range of the feature map: symmetric around 0 for edge kernels."""
        lo, hi = float(self.output.min()), float(self.output.max())
        if self.signed:
            top = max(abs(lo), abs(hi), 1e-9)
            return -top, top
        return min(lo, 0.0), max(hi, lo + 1e-9)

    def pooled(self, out: np.ndarray) -> np.ndarray:
        """Max or average pooling (size 2, stride 2) of ``out``; NaN where incomplete."""
        view = out[: out.shape[0] // POOL_SIZE * POOL_SIZE, : out.shape[1] // POOL_SIZE * POOL_SIZE]
        blocks = view.reshape(view.shape[0] // POOL_SIZE, POOL_SIZE, -1, POOL_SIZE)
        reduce = np.max if self.params["pool"] == "max" else np.mean
        return reduce(blocks, axis=(1, 3))  # NaN propagates from unfinished windows

    def size_text(self) -> str:
        p = self.params
        k = self.kernel.shape[0]
        lines = [
            "out size ⌊(n + 2p − k)/s⌋ + 1",
            " = " + output_size_text(p["size"], k, p["padding"], p["stride"]),
        ]
        if not self.problem:
            unused = (p["size"] + 2 * p["padding"] - k) % p["stride"]
            if unused:
                lines.append(f"(the last {unused} row(s)/col(s) are skipped)")
            if p["pool"] != "none" and not self.pool_problem:
                q = self.out_h // POOL_SIZE
                lines.append(f"{p['pool']} pool 2×2: ⌊{self.out_h}/2⌋ = {q} → {q}×{q}")
        return "\n".join(lines)

    def metrics(self) -> dict[str, float]:
        out = {"out_h": float(self.out_h), "out_w": float(self.out_w)}
        if self.problem:
            out.update(position=-1.0, computed=0.0)
            return out
        row, col = self.position()
        out.update(
            position=float(self.computed - 1),
            row=float(row),
            col=float(col),
            value=float(self.output[row, col]),
            computed=float(self.computed),
        )
        return out

    def frame(self) -> Frame:
        p = self.params
        k = self.kernel.shape[0]
        kernel_name = p["kernel"].replace("_", " ")
        if not p["kernel"].startswith("blur_"):
            kernel_name += f" {k}×{k}"
        n_pad = self.padded.shape[0]
        if self.problem:
            message = (
                f"Does not fit: {self.problem}. Add padding, or choose a smaller kernel"
                " or a larger image."
            )
            panels = (
                image_heatmap(f"Input {n_pad}×{n_pad}", self.padded, 0.0, 1.0, False),
                TextPanel("Output size", self.size_text()),
            )
            return Frame(
                step=0,
                status=f"{kernel_name} on a {p['size']}×{p['size']} image: no output",
                panels=panels,
                metrics=self.metrics(),
                done=True,
                message=message,
                level="warning",
            )
        row, col = self.position()
        step = conv.correlation_step(self.image, self.kernel, row, col, p["stride"], p["padding"])
        partial = self.partial_output()
        vmin, vmax = self.value_range()
        title_in = f"Input {n_pad}×{n_pad}" + (f" (padding {p['padding']})" if p["padding"] else "")
        panels: list[Any] = [
            image_heatmap(
                title_in,
                self.padded,
                0.0,
                1.0,
                False,
                window_points(step.top, step.left, k, n_pad),
            ),
            image_heatmap(
                f"Feature map {self.out_h}×{self.out_w}", partial, vmin, vmax, self.signed
            ),
            TextPanel(
                "Dot product",
                dot_product_text(row, col, self.kernel, step.patch) + "\n\n" + self.size_text(),
            ),
        ]
        if p["pool"] != "none" and not self.pool_problem:
            pooled = self.pooled(partial)
            panels.append(
                image_heatmap(
                    f"{p['pool'].capitalize()} pool 2×2 → {pooled.shape[0]}×{pooled.shape[1]}",
                    pooled,
                    vmin,
                    vmax,
                    self.signed,
                )
            )
        total = self.out_h * self.out_w
        status = (
            f"out[{row},{col}] = {num(step.value)} · {self.computed}/{total}"
            f" · {kernel_name}, s = {p['stride']}, p = {p['padding']}"
        )
        message, level = None, "info"
        if self.pool_problem:
            message, level = f"Pooling does not fit: {self.pool_problem}.", "warning"
        elif self.done:
            message = "The kernel has visited every position."
        return Frame(
            step=self.computed,
            status=status,
            panels=tuple(panels),
            metrics=self.metrics(),
            done=self.done,
            message=message,
            level=level,
            progress=self.computed / total,
        )
