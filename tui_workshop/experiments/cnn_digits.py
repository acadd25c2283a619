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

from collections.abc import Mapping
from typing import Any

import numpy as np

from tui_workshop.experiments._common import param_num
from tui_workshop.experiments.base import (
    Frame,
    Heatmap,
    LinePlot,
    Series,
    Table,
    TextPanel,
    TrainerExperiment,
    frozen_array,
    register,
)
from tui_workshop.experiments.convolution import image_heatmap
from tui_workshop.experiments.specs import cnn_digits as spec
from tui_workshop.i18n.message import Num, Text, lines, msg
from tui_workshop.nn import metrics, optim
from tui_workshop.nn.cnn import CNN
from tui_workshop.nn.images import load_digits
from tui_workshop.nn.mlp import MLP
from tui_workshop.nn.train import Trainer

TEST_FRACTION = 0.2
SPLIT_SEED = 0  # the split does not move with the seed parameter
POOL = 2
MOSAIC_COLS = 4
START_HINT = msg("Press F5 to train, F6 for one epoch.")


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


def percent(value: float) -> Text:
    """An accuracy as "97.5%" ("–" when not a number)."""
    return Num(value, digits=1, percent=True) if np.isfinite(value) else "–"


@register
class CnnDigits(TrainerExperiment):
    name = "cnn_digits"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        super().__init__(params)
        p = self.params
        self.X_train, self.y_train, self.X_test, self.y_test = digits_split()
        self.model = CNN(filters=p["filters"], kernel=p["kernel"], pool=POOL, seed=p["seed"])
        self.trainer = self._trainer(self.model)
        sizes = [64, p["mlp_hidden"], 10]
        self.mlp = MLP(sizes, activation="relu", output="softmax", init="he", seed=p["seed"])
        self.mlp_trainer = self._trainer(self.mlp) if p["compare_mlp"] else None
        self.history = {k: [] for k in ("epoch", "train", "test", "mlp")}
        self.scores = {"train_accuracy": np.nan, "test_accuracy": np.nan, "mlp": np.nan}
        with np.errstate(all="ignore"):
            self._record_start()

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

    def _record(self, epoch: int, train: tuple, test: tuple, mlp: tuple | None) -> None:
        """Append one epoch: (loss, accuracy) on the train and test sets, and the MLP's test."""
        h = self.history
        h["epoch"].append(float(epoch))
        h["train"].append(float(train[0]))
        h["test"].append(float(test[0]))
        h["mlp"].append(np.nan if mlp is None else float(mlp[0]))
        self.scores["train_accuracy"], self.scores["test_accuracy"] = train[1], test[1]
        if mlp is not None:
            self.scores["mlp"] = mlp[1]

    def _record_start(self) -> None:
        evaluate = self.trainer.evaluate
        mlp = None
        if self.mlp_trainer is not None:
            mlp = self.mlp_trainer.evaluate(self.X_test, self.y_test)
        train, test = evaluate(self.X_train, self.y_train), evaluate(self.X_test, self.y_test)
        self._record(0, train, test, mlp)

    # --- stepping -------------------------------------------------------------

    def advance(self) -> None:
        """Train one epoch of the CNN (and of the MLP when comparing).

        The trainers already measure both sets after each epoch: their snapshots
        are what the history records (no second evaluation).
        """
        snap = self.trainer.step_epoch()
        mlp = None
        if self.mlp_trainer is not None:
            last = self.mlp_trainer.step_epoch()  # the last snapshot again once done
            mlp = (last.val_loss, last.metrics.get("val_accuracy", np.nan))
        self.steps_done = snap.epoch
        self.stopped = snap.stopped
        train = (snap.train_loss, snap.metrics["train_accuracy"])
        test = (snap.val_loss, snap.metrics.get("val_accuracy", np.nan))
        self._record(snap.epoch, train, test, mlp)

    # --- keeping the run ----------------------------------------------------------

    keeps_state = True

    def save_state(self) -> dict[str, Any]:
        from tui_workshop.experiments import state

        out: dict[str, Any] = {f"score.{k}": float(v) for k, v in self.scores.items()}
        out.update(state.prefixed("cnn", state.trainer_state(self.trainer)))
        if self.mlp_trainer is not None:
            out.update(state.prefixed("mlp", state.trainer_state(self.mlp_trainer)))
        return out

    def load_state(self, saved: Mapping[str, Any]) -> None:
        from tui_workshop.experiments import state

        state.load_trainer(self.trainer, state.part("cnn", saved))
        if self.mlp_trainer is not None:
            state.load_trainer(self.mlp_trainer, state.part("mlp", saved))
        for key in self.scores:
            self.scores[key] = state.as_float(saved[f"score.{key}"])

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

    def status(self, m: dict[str, float]) -> Text:
        scores = {
            "test": percent(m["test_accuracy"]),
            "epoch": int(m["epoch"]),
            "train": percent(m["train_accuracy"]),
        }
        if "mlp_test_accuracy" in m:
            return msg(
                "test {test} · epoch {epoch} · MLP {mlp} · train {train}",
                mlp=percent(m["mlp_test_accuracy"]),
                **scores,
            )
        return msg("test {test} · epoch {epoch} · train {train}", **scores)

    def summary(self, m: dict[str, float]) -> Text:
        p = self.params
        k, f = p["kernel"], p["filters"]
        _, ho, wo = self.model.conv_shape
        _, hq, wq = self.model.pool_shape
        hidden = p["mlp_hidden"]
        if "mlp_test_accuracy" in m:
            mlp_line = msg("MLP test {test}", test=percent(m["mlp_test_accuracy"]))
        else:
            mlp_line = msg("MLP not trained: tick compare with an MLP")
        return lines(
            msg("CNN: 8×8 → conv {k}×{k} → {f}×{h}×{w} → ReLU", k=k, f=f, h=ho, w=wo),
            msg("→ max pool 2×2 → {f}×{h}×{w} → 10", f=f, h=hq, w=wq),
            msg(
                "{n} params: {formula}",
                n=Num(m["n_params"], digits=0),
                formula=f"{f}·{k * k} + {f} + {f * hq * wq}·10 + 10",
            ),
            msg(
                "CNN test {test} · train {train}",
                test=percent(m["test_accuracy"]),
                train=percent(m["train_accuracy"]),
            ),
            msg("MLP: {shape} (ReLU)", shape=f"64 → {hidden} → 10"),
            msg(
                "{n} params: {formula}",
                n=Num(m["mlp_n_params"], digits=0),
                formula=f"64·{hidden} + {hidden} + {hidden}·10 + 10",
            ),
            mlp_line,
            msg(
                "{optimizer} η = {rate} · batch {size}",
                optimizer=self.SCHEMA["optimizer"].label_of(p["optimizer"]),
                rate=param_num(p["learning_rate"]),
                size=p["batch_size"],
            ),
        )

    def loss_plot(self) -> LinePlot:
        h = self.history
        epochs = np.array(h["epoch"])
        series = []
        for role, key, label in (
            (0, "train", msg("CNN train")),
            (1, "test", msg("CNN test")),
            (2, "mlp", msg("MLP test")),
        ):
            values = np.array(h[key], dtype=float)
            ok = np.isfinite(values)
            if ok.any():
                series.append(
                    Series(label, frozen_array(epochs[ok]), frozen_array(values[ok]), "line", role)
                )
        return LinePlot(
            msg("Loss per epoch (log scale)"),
            tuple(series),
            xlabel=msg("epoch"),
            ylabel=msg("cross-entropy"),
            logy=True,
        )

    def confusion_table(self) -> Table:
        predicted = self.model.predict(self.X_test)
        counts = metrics.confusion_matrix(self.y_test, predicted, n_classes=10)
        rows = tuple(
            (str(i), *(Num(c, digits=0) if c else "·" for c in counts[i])) for i in range(10)
        )
        wrong = frozenset(
            (i, j + 1) for i in range(10) for j in range(10) if i != j and counts[i, j] > 0
        )
        return Table(
            msg("Confusion (rows true, cols predicted)"),
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
        title = msg(
            "Test #{index}: {label} → {guess} ({confidence})",
            index=index,
            label=int(self.y_test[index]),
            guess=guess,
            confidence=percent(probs[guess]),
        )
        digit = image_heatmap(title, x.reshape(8, 8), 0.0, 1.0, False)
        K = self.model.params[0][:, 0]
        top = max(float(np.abs(K).max()), 1e-9)
        filters = image_heatmap(msg("Learned filters"), mosaic(K), -top, top, True)
        relu = maps["relu"][0]
        high = max(float(relu.max()), 1e-9)
        features = image_heatmap(
            msg("Feature maps of #{index} (after ReLU)", index=index),
            mosaic(relu),
            0.0,
            high,
            False,
        )
        return digit, filters, features

    def draw(self) -> Frame:
        with np.errstate(all="ignore"):
            m = self.metrics()
            digit, filters, features = self.sample_panels()
            panels = (
                self.loss_plot(),
                TextPanel(msg("CNN against MLP"), self.summary(m)),
                digit,
                filters,
                features,
                self.confusion_table(),
            )
        message, level = self.stop_message()
        if message is None and m["epoch"] == 0:
            message = START_HINT
        return Frame(
            step=int(m["epoch"]),
            status=self.status(m),
            panels=panels,
            metrics=m,
            done=self.done,
            message=message,
            level=level,
            progress=min(1.0, m["epoch"] / self.params["epochs"]),
        )
