"""A small CNN learns the 8×8 handwritten digits, live.

The network is conv (F filters k×k) → ReLU → max pool 2×2 → dense → softmax
(:class:`tui_workshop.nn.cnn.CNN`). Each step trains one epoch (a few
hundredths of a second); with ``compare_mlp`` an MLP with one hidden layer
trains on the same split in the same steps. The frame shows the loss curves,
accuracies and parameter counts, the test confusion matrix, the learned
filters and the feature maps of one chosen test sample.

The data are the UCI digits shipped with the package (1797 images, CC BY
4.0); a fixed 80/20 split keeps the test set the same for every seed.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import num, param_num, start_hint
from tui_workshop.experiments.specs import cnn_digits as spec
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    Heatmap,
    LinePlot,
    ParameterError,
    Series,
    Table,
    TextPanel,
    frozen_array,
    register,
)
from tui_workshop.experiments.convolution import image_heatmap
from tui_workshop.nn import metrics, optim
from tui_workshop.nn.cnn import CNN
from tui_workshop.nn.images import load_digits
from tui_workshop.nn.mlp import MLP
from tui_workshop.nn.train import Trainer

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
TEST_FRACTION = 0.2
SPLIT_SEED = 0  # the split does not move with the seed parameter
POOL = 2
MOSAIC_COLS = 4


def digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, y_train, X_test, y_test): a fixed shuffled 80/20 split of the digits."""
    X, y = load_digits()
    order = np.random.default_rng(SPLIT_SEED).permutation(len(X))
    n_test = round(TEST_FRACTION * len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


def mosaic(tiles: np.ndarray, cols: int = MOSAIC_COLS) -> np.ndarray:
    """Tiles (n, h, w) side by side, ``cols`` per row, separated by NaN gaps one cell wide."""
    n, h, w = tiles.shape
    cols = min(cols, n)
    rows = -(-n // cols)
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, cols)
        out[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = tile
    return out


def percent(value: float) -> str:
    return f"{100 * value:.1f}%" if np.isfinite(value) else "–"


@register
class CnnDigits(Experiment):
    name = "cnn_digits"
    SCHEMA = spec.SCHEMA  # provisional: the hand-written checks below still run
    title = "A CNN on the digits"
    defaults: ClassVar[dict[str, Any]] = {
        "filters": 8,
        "kernel": 3,
        "epochs": 20,
        "learning_rate": 0.01,
        "optimizer": "adam",
        "batch_size": 32,
        "seed": 0,
        "compare_mlp": True,
        "mlp_hidden": 32,
        "sample": 0,  # index into the test set
    }
    trainable = True
    live_params = frozenset({"sample"})

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        for key in ("filters", "kernel", "epochs", "batch_size", "seed", "mlp_hidden", "sample"):
            p[key] = int(p[key])
        p["learning_rate"] = float(p["learning_rate"])
        p["compare_mlp"] = bool(p["compare_mlp"])
        self.require_choice("optimizer", OPTIMIZERS)
        if not 1 <= p["filters"] <= 32:
            raise ParameterError("filters must be between 1 and 32")
        if p["kernel"] not in (2, 3, 4, 5):
            raise ParameterError("the kernel size must be 2, 3, 4 or 5 on 8×8 images")
        if p["epochs"] < 1 or p["batch_size"] < 1 or p["mlp_hidden"] < 1:
            raise ParameterError("epochs, batch size and MLP width must be at least 1")
        if p["learning_rate"] <= 0:
            raise ParameterError("the learning rate must be positive")
        self.X_train, self.y_train, self.X_test, self.y_test = digits_split()
        if not 0 <= p["sample"] < len(self.X_test):
            raise ParameterError(f"sample must be between 0 and {len(self.X_test) - 1}")

        self.model = CNN(filters=p["filters"], kernel=p["kernel"], pool=POOL, seed=p["seed"])
        self.trainer = self._trainer(self.model)
        sizes = [64, p["mlp_hidden"], 10]
        self.mlp = MLP(sizes, activation="relu", output="softmax", init="he", seed=p["seed"])
        self.mlp_trainer = self._trainer(self.mlp) if p["compare_mlp"] else None
        self._lock = threading.Lock()  # step() runs in a worker, frame() in the UI
        self.history: dict[str, list[float]] = {k: [] for k in ("epoch", "train", "test", "mlp")}
        self.scores = {"train_accuracy": np.nan, "test_accuracy": np.nan, "mlp": np.nan}
        with np.errstate(all="ignore"):
            self._record(self.trainer.evaluate, 0)

    def _trainer(self, model) -> Trainer:
        p = self.params
        opt = optim.make(p["optimizer"], model.params, p["learning_rate"])
        return Trainer(
            model,
            opt,
            self.X_train,
            self.y_train,
            self.X_test,
            self.y_test,
            batch_size=p["batch_size"],
            epochs=p["epochs"],
            seed=p["seed"],
        )

    def _record(self, evaluate, epoch: int) -> None:
        train_loss, train_acc = evaluate(self.X_train, self.y_train)
        test_loss, test_acc = evaluate(self.X_test, self.y_test)
        h = self.history
        h["epoch"].append(float(epoch))
        h["train"].append(train_loss)
        h["test"].append(test_loss)
        mlp_loss = np.nan
        if self.mlp_trainer is not None:
            mlp_loss, self.scores["mlp"] = self.mlp_trainer.evaluate(self.X_test, self.y_test)
        h["mlp"].append(mlp_loss)
        self.scores["train_accuracy"], self.scores["test_accuracy"] = train_acc, test_acc

    # --- stepping -------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.trainer.done

    def step(self) -> None:
        """Train one epoch of the CNN (and of the MLP when comparing)."""
        with self._lock:
            if self.trainer.done:
                return
            snap = self.trainer.step_epoch()
            if self.mlp_trainer is not None and not self.mlp_trainer.done:
                self.mlp_trainer.step_epoch()
            self.steps_done = snap.epoch
            with np.errstate(all="ignore"):
                self._record(self.trainer.evaluate, snap.epoch)

    def set_live(self, name: str, value: Any) -> None:
        super().set_live(name, value)
        sample = int(value)
        if not 0 <= sample < len(self.X_test):
            raise ParameterError(f"sample must be between 0 and {len(self.X_test) - 1}")
        self.params[name] = sample

    # --- reading --------------------------------------------------------------

    def metrics(self) -> dict[str, float]:
        out = {
            "epoch": self.history["epoch"][-1],
            "train_accuracy": float(self.scores["train_accuracy"]),
            "test_accuracy": float(self.scores["test_accuracy"]),
            "train_loss": float(self.history["train"][-1]),
            "test_loss": float(self.history["test"][-1]),
            "n_params": float(self.model.n_params),
            "mlp_n_params": float(self.mlp.n_params),
        }
        if self.mlp_trainer is not None:
            out["mlp_test_accuracy"] = float(self.scores["mlp"])
        return out

    def status(self, m: dict[str, float]) -> str:
        text = f"test {percent(m['test_accuracy'])} · epoch {int(m['epoch'])}"
        if "mlp_test_accuracy" in m:
            text += f" · MLP {percent(m['mlp_test_accuracy'])}"
        return text + f" · train {percent(m['train_accuracy'])}"

    def summary(self, m: dict[str, float]) -> str:
        p = self.params
        k, f = p["kernel"], p["filters"]
        _, ho, wo = self.model.conv_shape
        _, hq, wq = self.model.pool_shape
        hidden = p["mlp_hidden"]
        lines = [
            f"CNN: 8×8 → conv {k}×{k} → {f}×{ho}×{wo} → ReLU",
            f"→ max pool 2×2 → {f}×{hq}×{wq} → 10",
            f"{num(m['n_params'], 0)} params: {f}·{k * k} + {f} + {f * hq * wq}·10 + 10",
            f"CNN test {percent(m['test_accuracy'])} · train {percent(m['train_accuracy'])}",
            f"MLP: 64 → {hidden} → 10 (ReLU)",
            f"{num(m['mlp_n_params'], 0)} params: 64·{hidden} + {hidden} + {hidden}·10 + 10",
        ]
        if "mlp_test_accuracy" in m:
            lines.append(f"MLP test {percent(m['mlp_test_accuracy'])}")
        else:
            lines.append("MLP not trained: tick compare with an MLP")
        lines.append(
            f"{p['optimizer']} η = {param_num(p['learning_rate'])} · batch {p['batch_size']}"
        )
        return "\n".join(lines)

    def loss_plot(self) -> LinePlot:
        h = self.history
        epochs = np.array(h["epoch"])
        series = []
        for role, key, label in (
            (0, "train", "CNN train"),
            (1, "test", "CNN test"),
            (2, "mlp", "MLP test"),
        ):
            values = np.array(h[key], dtype=float)
            ok = np.isfinite(values)
            if ok.any():
                series.append(
                    Series(label, frozen_array(epochs[ok]), frozen_array(values[ok]), "line", role)
                )
        return LinePlot(
            "Loss per epoch (log scale)", tuple(series), xlabel="epoch", ylabel="cross-entropy",
            logy=True,
        )  # fmt: skip

    def confusion_table(self) -> Table:
        predicted = self.model.predict(self.X_test)
        counts = metrics.confusion_matrix(self.y_test, predicted, n_classes=10)
        rows = tuple((str(i), *(str(c) if c else "·" for c in counts[i])) for i in range(10))
        wrong = frozenset(
            (i, j + 1) for i in range(10) for j in range(10) if i != j and counts[i, j] > 0
        )
        return Table(
            "Confusion (rows true, cols predicted)",
            ("", *(str(j) for j in range(10))),
            rows,
            wrong,
        )

    def sample_panels(self) -> tuple[Heatmap, Heatmap, Heatmap]:
        index = self.params["sample"]
        x = self.X_test[index : index + 1]
        maps = self.model.feature_maps(x)
        probs = maps["probabilities"][0]
        guess = int(np.argmax(probs))
        digit = image_heatmap(
            f"Test #{index}: {int(self.y_test[index])} → {guess} ({percent(probs[guess])})",
            x.reshape(8, 8),
            0.0,
            1.0,
            False,
        )
        K = self.model.params[0][:, 0]
        top = max(float(np.abs(K).max()), 1e-9)
        filters = image_heatmap("Learned filters", mosaic(K), -top, top, True)
        relu = maps["relu"][0]
        high = max(float(relu.max()), 1e-9)
        features = image_heatmap(
            f"Feature maps of #{index} (after ReLU)", mosaic(relu), 0.0, high, False
        )
        return digit, filters, features

    def frame(self) -> Frame:
        with self._lock, np.errstate(all="ignore"):
            m = self.metrics()
            digit, filters, features = self.sample_panels()
            panels = (
                self.loss_plot(),
                TextPanel("CNN against MLP", self.summary(m)),
                digit,
                filters,
                features,
                self.confusion_table(),
            )
            stopped = self.trainer.stopped
        message, level = None, "info"
        if stopped == "diverged":
            message = "Training diverged (the loss is no longer a number): lower the learning rate."
            level = "warning"
        elif stopped == "epoch limit":
            message = f"Epoch limit reached ({self.params['epochs']} epochs)."
        elif m["epoch"] == 0:
            message = start_hint()
        return Frame(
            step=int(m["epoch"]),
            status=self.status(m),
            panels=panels,
            metrics=m,
            done=stopped is not None,
            message=message,
            level=level,
            progress=min(1.0, m["epoch"] / self.params["epochs"]),
        )
