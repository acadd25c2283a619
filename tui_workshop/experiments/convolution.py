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

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from tui_workshop.experiments._common import MINUS, formula, num, param_num
from tui_workshop.experiments.base import (
    Frame,
    Heatmap,
    Series,
    TextPanel,
    TrainerExperiment,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import convolution as spec
from tui_workshop.i18n.message import Cat, Text, join, lines, msg, msg_n
from tui_workshop.nn import conv
from tui_workshop.nn.images import sample_images

IMAGES = ("square", "circle", "diagonal", "checkerboard", "digit")
# the classic 3×3 kernels of nn.conv plus two larger box blurs (to try padding)
KERNELS: dict[str, np.ndarray] = {
    **{name: np.array(k) for name, k in conv.KERNELS.items()},
    "blur_5x5": np.full((5, 5), 1.0 / 25.0),
    "blur_7x7": np.full((7, 7), 1.0 / 49.0),
}
# short names for the status line; the size is added ("Sobel x 3×3")
KERNEL_NAMES: dict[str, Text] = {
    "identity": msg("identity"),
    "sobel_x": "Sobel x",
    "sobel_y": "Sobel y",
    "edge_vertical": msg("vertical edges"),
    "edge_horizontal": msg("horizontal edges"),
    "laplacian": msg("Laplacian"),
    "box_blur": msg("box blur"),
    "gaussian_blur": msg("Gaussian blur"),
    "sharpen": msg("sharpen"),
    "blur_5x5": msg("box blur"),
    "blur_7x7": msg("box blur"),
}
# kernels whose output has both signs: drawn blue-white-orange around 0
SIGNED = frozenset({"edge_horizontal", "edge_vertical", "laplacian", "sobel_x", "sobel_y"})
POOLS = ("none", "max", "avg")
POOL_SIZE = 2
WINDOW_ROLE = 1  # orange crosses outline the window


def output_size_text(n: int, k: int, p: int, s: int) -> list[Text]:
    """Two lines: "⌊(12 + 2·1 − 3)/2⌋ + 1" and " = ⌊11/2⌋ + 1 = 6" (or why it does not fit)."""
    inner = n + 2 * p - k
    lead = f"⌊({n} + 2·{p} − {k})/{s}⌋ + 1"
    if inner < 0:
        return [lead, msg(" but {k} > {n} + 2·{p} = {total}: no room", k=k, n=n, p=p,
                          total=n + 2 * p)]
    return [lead, f" = ⌊{inner}/{s}⌋ + 1 = {inner // s + 1}"]


def kernel_term(value: float) -> Text:
    """A kernel entry as written in a sum: "1", "(−2)", "0.0625"."""
    number = param_num(value, 0, 4)
    return Cat(("(", number, ")")) if number.text().startswith(MINUS) else number


def dot_product_text(row: int, col: int, kernel: np.ndarray, patch: np.ndarray) -> list[Text]:
    """The entry out[row,col] written as a sum of products, one kernel row per line."""
    value = float(np.sum(kernel * patch))
    head = msg("out[{row},{col}] = Σ K⊙patch", row=row, col=col)
    flat = kernel.ravel()
    if np.all(flat == flat[0]) and kernel.size > 9:  # a box blur: factor out the constant
        c = num(flat[0], 3)
        return [
            head,
            msg(" = {c}·Σ patch = {c}·{total}", c=c, total=num(patch.sum())),
            formula(" = {v}", v=num(value)),
        ]
    out: list[Text] = [head]
    for r in range(kernel.shape[0]):
        products = [
            formula("{k}·{x}", k=kernel_term(k), x=num(x))
            for k, x in zip(kernel[r], patch[r], strict=True)
        ]
        out.append(Cat((" = " if r == 0 else " + ", join(" + ", products))))
    out.append(formula(" = {v}", v=num(value)))
    return out


def image_heatmap(
    title: Text,
    image: np.ndarray,
    vmin: float,
    vmax: float,
    diverging: bool,
    points: tuple[Series, ...] = (),
) -> Heatmap:
    """An image (row 0 at the top, as printed) as a Heatmap (row 0 at the bottom).

    Cell (r, c) of the image covers x in [c, c + 1] and y in [r, r + 1]: y runs
    downwards (``y_range = (h, 0)``), so the axis reads 0 at the top row and the
    labels say "row" and "column". NaN cells (not computed yet) show as the
    middle colour.
    """
    h, w = image.shape
    return Heatmap(
        title=title,
        z=frozen_array(image[::-1]),
        x_range=(0.0, float(w)),
        y_range=(float(h), 0.0),
        xlabel=msg("column"),
        ylabel=msg("row"),
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
    ys = [r + 0.5 for r, _ in cells]  # image_heatmap's y runs downwards
    return (Series(msg("window"), frozen_array(xs), frozen_array(ys), "points", WINDOW_ROLE),)


@register
class Convolution(TrainerExperiment):
    name = "convolution"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.image = sample_images(p["size"], p["digit"])[p["image"]]
        self.kernel = KERNELS[p["kernel"]]
        self.signed = p["kernel"] in SIGNED
        n, k, s, pad = p["size"], self.kernel.shape[0], p["stride"], p["padding"]
        self.fits = k <= n + 2 * pad
        if self.fits:
            self.out_h = self.out_w = conv.conv_output_size(n, k, pad, s)
            self.output = conv.correlate2d(self.image, self.kernel, s, pad)
        else:
            self.out_h = self.out_w = 0
            self.output = np.zeros((0, 0))
            self.stopped = "misfit"
        self.padded = np.pad(self.image, pad) if pad else self.image
        self.computed = 1 if self.fits else 0  # entries written so far (reading order)
        if self.fits and self.computed >= self.out_h * self.out_w:
            self.stopped = "complete"
        self.pool_fits = p["pool"] == "none" or not self.fits or self.out_h >= POOL_SIZE

    # --- stepping -------------------------------------------------------------

    def advance(self) -> None:
        """Slide the kernel to the next output position."""
        self.computed += 1
        self.steps_done += 1
        if self.computed >= self.out_h * self.out_w:
            self.stopped = "complete"

    keeps_state = True

    def save_state(self) -> dict[str, Any]:
        return {"computed": int(self.computed)}

    def load_state(self, saved: Mapping[str, Any]) -> None:
        from tui_workshop.experiments.state import as_int

        self.computed = as_int(saved["computed"], high=max(1, self.out_h * self.out_w))

    def stop_message(self) -> tuple[Text | None, Literal["info", "warning", "error"]]:
        p = self.params
        if self.stopped == "misfit":
            n, k, pad = p["size"], self.kernel.shape[0], p["padding"]
            padded = f"{n} + 2·{pad} = {n + 2 * pad}"
            return msg(
                "Does not fit: kernel size {k} is larger than the padded input {padded}."
                " Add padding, or choose a smaller kernel or a larger image.",
                k=k, padded=padded,
            ), "warning"  # fmt: skip
        if self.stopped == "complete":
            return msg("The kernel has visited every position."), "info"
        return super().stop_message()

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

    def size_text(self) -> list[Text]:
        p = self.params
        k = self.kernel.shape[0]
        lead, result = output_size_text(p["size"], k, p["padding"], p["stride"])
        out: list[Text] = [
            msg("out size {formula}", formula="⌊(n + 2p − k)/s⌋ + 1"),
            Cat((" = ", lead)),
            result,
        ]
        if self.fits:
            unused = (p["size"] + 2 * p["padding"] - k) % p["stride"]
            if unused:
                out.append(msg_n("(the last {n} row/column is skipped)",
                                 "(the last {n} rows/columns are skipped)", unused))
            if p["pool"] != "none" and self.pool_fits:
                q = self.out_h // POOL_SIZE
                sizes = f"⌊{self.out_h}/2⌋ = {q} → {q}×{q}"
                if p["pool"] == "max":
                    out.append(msg("max pool 2×2: {sizes}", sizes=sizes))
                else:
                    out.append(msg("avg pool 2×2: {sizes}", sizes=sizes))
        return out

    def metrics(self) -> dict[str, float]:
        out = {"out_h": float(self.out_h), "out_w": float(self.out_w)}
        if not self.fits:
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

    def draw(self) -> Frame:
        p = self.params
        k = self.kernel.shape[0]
        kernel_name = Cat((KERNEL_NAMES[p["kernel"]], f" {k}×{k}"))
        n_pad = self.padded.shape[0]
        message, level = self.stop_message()
        if not self.fits:
            return Frame(
                step=0,
                status=msg("{kernel} on a {n}×{n} image: no output", kernel=kernel_name,
                           n=p["size"]),
                panels=(
                    image_heatmap(msg("Input {n}×{n}", n=n_pad), self.padded, 0.0, 1.0, False),
                    TextPanel(msg("Output size"), lines(*self.size_text())),
                ),
                metrics=self.metrics(),
                done=True,
                message=message,
                level=level,
            )
        row, col = self.position()
        step = conv.correlation_step(self.image, self.kernel, row, col, p["stride"], p["padding"])
        partial = self.partial_output()
        vmin, vmax = self.value_range()
        if p["padding"]:
            title_in = msg("Input {n}×{n} (padding {p})", n=n_pad, p=p["padding"])
        else:
            title_in = msg("Input {n}×{n}", n=n_pad)
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
                msg("Feature map {h}×{w}", h=self.out_h, w=self.out_w),
                partial,
                vmin,
                vmax,
                self.signed,
            ),
            TextPanel(
                msg("Dot product"),
                lines(*dot_product_text(row, col, self.kernel, step.patch), "",
                      *self.size_text()),
            ),
        ]
        if p["pool"] != "none" and self.pool_fits:
            pooled = self.pooled(partial)
            h, w = pooled.shape
            if p["pool"] == "max":
                title = msg("Max pool 2×2 → {h}×{w}", h=h, w=w)
            else:
                title = msg("Avg pool 2×2 → {h}×{w}", h=h, w=w)
            panels.append(image_heatmap(title, pooled, vmin, vmax, self.signed))
        total = self.out_h * self.out_w
        status = join(" · ", (
            msg("out[{row},{col}] = {value}", row=row, col=col, value=num(step.value)),
            f"{self.computed}/{total}",
            Cat((kernel_name, f", s = {p['stride']}, p = {p['padding']}")),
        ))  # fmt: skip
        if not self.pool_fits:
            message, level = msg(
                "Pooling does not fit: pooling {size}×{size} needs a feature map at least"
                " {size}×{size}, this one is {h}×{w}.",
                size=POOL_SIZE, h=self.out_h, w=self.out_w,
            ), "warning"  # fmt: skip
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
