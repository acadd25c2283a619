"""An Elman RNN learns a time series and forecasts it, live.

The series is cut in time: the first 80% trains, the rest is held out. The
network reads a window of the last ``window`` values and predicts the next
one (sequence to one):

    h_t = tanh(x_t·W_xh + h_{t−1}·W_hh + b),   ŷ = h_T·W_hy + b_y

Each step trains one epoch by backpropagation through time, with the
gradient clipped to ``clip`` (0 = off). The frame shows one-step predictions
against the truth on the training and the held-out part, a multi-step
forecast (predictions fed back as inputs, starting from the end of the
training part), the loss per epoch, and the errors (RMSE, in the series'
own units). Values are scaled to [−1, 1] with the training part's range.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import numpy as np

from tui_workshop.experiments._common import num, param_num, start_hint
from tui_workshop.experiments.specs import rnn_series as spec
from tui_workshop.experiments.base import (
    Experiment,
    Frame,
    LinePlot,
    ParameterError,
    Series,
    TextPanel,
    frozen_array,
    register,
)
from tui_workshop.nn import optim, series
from tui_workshop.nn.rnn import RNN, forecast

SERIES = ("sine", "sum_of_sines", "trend_season", "sunspots")
TRAIN_FRACTION = 0.8
OPTIMIZER = "adam"
# The sine with the default parameters forecasts its held-out 40 steps within
# this RMSE (amplitude 1); the lesson and the tests quote it.
SINE_FORECAST_BOUND = 0.05


def make_series(name: str) -> tuple[np.ndarray, str]:
    """(values, description) of a series by name."""
    if name == "sine":
        return series.sine(200, period=20), "sin(2πt/20), 200 steps"
    if name == "sum_of_sines":
        return series.sum_of_sines(240, periods=(20, 7)), "sin(2πt/20) + ½·sin(2πt/7)"
    if name == "trend_season":
        return series.trend_season(240, slope=0.01, period=12), "0.01·t + sin(2πt/12)"
    years, values = series.load_sunspots()
    return values, f"yearly sunspots {years[0]}-{years[-1]} (NOAA)"


def rmse(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.sqrt(np.mean((a - b) ** 2))) if a.size else float("nan")


@register
class RnnSeries(Experiment):
    name = "rnn_series"
    SCHEMA = spec.SCHEMA  # provisional: the hand-written checks below still run
    title = "An RNN forecasts a time series"
    defaults: ClassVar[dict[str, Any]] = {
        "series": "sine",
        "hidden": 16,
        "window": 20,
        "epochs": 40,
        "learning_rate": 0.01,
        "batch_size": 16,
        "clip": 1.0,  # global gradient norm threshold; 0 = off
        "seed": 0,
        "horizon": 40,  # steps forecast after the training part
    }
    trainable = True

    def __init__(self, params=None) -> None:
        super().__init__(params)
        p = self.params
        self.require_choice("series", SERIES)
        for key in ("hidden", "window", "epochs", "batch_size", "seed", "horizon"):
            p[key] = int(p[key])
        p["learning_rate"], p["clip"] = float(p["learning_rate"]), float(p["clip"])
        if not 1 <= p["hidden"] <= 64:
            raise ParameterError("hidden must be between 1 and 64")
        if p["epochs"] < 1 or p["batch_size"] < 1 or p["horizon"] < 1:
            raise ParameterError("epochs, batch size and horizon must be at least 1")
        if p["learning_rate"] <= 0 or p["clip"] < 0:
            raise ParameterError("the learning rate must be positive and clip 0 (off) or more")
        self.values, self.description = make_series(p["series"])
        self.train, self.test = series.split_series(self.values, TRAIN_FRACTION)
        self.cut = len(self.train)
        if not 2 <= p["window"] <= self.cut // 2:
            raise ParameterError(f"the window must be between 2 and {self.cut // 2} steps")
        self.horizon = min(p["horizon"], len(self.test))
        self.scaler = series.Scaler.fit(self.train, "minmax")
        scaled = self.scaler.transform(self.values)
        self.scaled = scaled
        L = p["window"]
        self.X, self.y = series.windows(scaled[: self.cut], L)
        self.X_test, self.y_test = series.windows(scaled[self.cut - L :], L)
        self.model = RNN(1, p["hidden"], 1, seed=p["seed"], clip=p["clip"] or None)
        self.optimizer = optim.make(OPTIMIZER, self.model.params, p["learning_rate"])
        self.rng = np.random.default_rng(p["seed"])
        self._lock = threading.Lock()  # step() runs in a worker, frame() in the UI
        self.epoch = 0
        self.diverged = False
        self.history: dict[str, list[float]] = {"epoch": [], "train": [], "test": []}
        self._evaluate()

    # --- training -------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.diverged or self.epoch >= self.params["epochs"]

    def step(self) -> None:
        """Train one epoch (shuffled mini-batches, BPTT, clipping)."""
        with self._lock:
            if self.done:
                return
            size = self.params["batch_size"]
            order = self.rng.permutation(len(self.X))
            with np.errstate(all="ignore"):
                for start in range(0, len(order), size):
                    batch = order[start : start + size]
                    loss, grads = self.model.loss_and_grads(self.X[batch], self.y[batch])
                    if not np.isfinite(loss):
                        self.diverged = True
                        break
                    self.optimizer.step(grads)
                self.epoch += 1
                self.steps_done = self.epoch
                self._evaluate()

    def _evaluate(self) -> None:
        with np.errstate(all="ignore"):
            self.pred_train = self.model.predict(self.X)[:, 0]
            self.pred_test = self.model.predict(self.X_test)[:, 0]
            self.pred_forecast = forecast(
                self.model, self.scaled[self.cut - self.params["window"] : self.cut], self.horizon
            )
        train_mse = float(np.mean((self.pred_train - self.y[:, 0]) ** 2))
        test_mse = float(np.mean((self.pred_test - self.y_test[:, 0]) ** 2))
        if not (np.isfinite(train_mse) and np.isfinite(test_mse)):
            self.diverged = True
        h = self.history
        h["epoch"].append(float(self.epoch))
        h["train"].append(train_mse)
        h["test"].append(test_mse)

    # --- reading --------------------------------------------------------------

    def metrics(self) -> dict[str, float]:
        inv = self.scaler.inverse
        L = self.params["window"]
        return {
            "epoch": float(self.epoch),
            "train_rmse": rmse(inv(self.pred_train), self.values[L : self.cut]),
            "test_rmse": rmse(inv(self.pred_test), self.test),
            "forecast_rmse": rmse(inv(self.pred_forecast), self.test[: self.horizon]),
            "hidden": float(self.params["hidden"]),
            "window": float(L),
        }

    def summary(self, m: dict[str, float]) -> str:
        p = self.params
        H, L = p["hidden"], p["window"]
        clip = f"clip {param_num(p['clip'])}" if p["clip"] > 0 else "no clipping"
        return "\n".join(
            [
                self.description,
                f"train t < {self.cut} · test {len(self.test)} steps · window {L}",
                f"1 → {H} hidden (tanh) → 1 · {self.model.n_params} parameters:",
                f"1·{H} + {H}·{H} + {H} + {H}·1 + 1",
                f"{OPTIMIZER} η = {param_num(p['learning_rate'])} · batch {p['batch_size']}"
                f" · {clip}",
                f"RMSE one step: train {num(m['train_rmse'], 4)} · test {num(m['test_rmse'], 4)}",
                f"RMSE forecast of {self.horizon} steps: {num(m['forecast_rmse'], 4)}",
            ]
        )

    def plots(self) -> tuple[LinePlot, LinePlot, LinePlot]:
        inv = self.scaler.inverse
        L, n, cut = self.params["window"], len(self.values), self.cut
        t = np.arange(n, dtype=float)
        t_fc = np.arange(cut, cut + self.horizon, dtype=float)
        forecast_values = frozen_array(inv(self.pred_forecast))
        whole = LinePlot(
            "Truth and one-step predictions",
            (
                Series("truth", frozen_array(t), frozen_array(self.values), "line", 0),
                Series(
                    "train pred.", frozen_array(t[L:cut]), frozen_array(inv(self.pred_train)),
                    "line", 1,
                ),
                Series(
                    "test pred.", frozen_array(t[cut:]), frozen_array(inv(self.pred_test)),
                    "line", 2,
                ),
            ),
            xlabel=f"t (held out from t = {cut})",
        )  # fmt: skip
        held_out = LinePlot(
            f"Forecast of {self.horizon} steps, fed back",
            (
                Series("truth", frozen_array(t[cut:]), frozen_array(self.test), "line", 0),
                Series("forecast", frozen_array(t_fc), forecast_values, "line", 3),
            ),
            xlabel="t",
        )
        h = self.history
        epochs = np.array(h["epoch"])
        loss_series = []
        for role, key, label in ((0, "train", "train"), (1, "test", "test")):
            values = np.array(h[key])
            ok = np.isfinite(values) & (values > 0)
            loss_series.append(
                Series(label, frozen_array(epochs[ok]), frozen_array(values[ok]), "line", role)
            )
        loss = LinePlot(
            "Loss per epoch (MSE, scaled)", tuple(loss_series), xlabel="epoch", logy=True
        )
        return whole, held_out, loss

    def frame(self) -> Frame:
        with self._lock, np.errstate(all="ignore"):
            m = self.metrics()
            whole, held_out, loss = self.plots()
            text = TextPanel("RNN", self.summary(m))
            diverged = self.diverged
        p = self.params
        message, level = None, "info"
        if diverged:
            message = "Training diverged: lower the learning rate or turn clipping on."
            level = "warning"
        elif self.done:
            message = f"Epoch limit reached ({p['epochs']} epochs)."
        elif self.epoch == 0:
            message = start_hint()
        status = (
            f"test RMSE {num(m['test_rmse'], 3)} · epoch {self.epoch}"
            f" · train {num(m['train_rmse'], 3)} · forecast {num(m['forecast_rmse'], 3)}"
        )
        return Frame(
            step=self.epoch,
            status=status,
            panels=(whole, held_out, loss, text),
            metrics=m,
            done=self.done,
            message=message,
            level=level,
            progress=min(1.0, self.epoch / p["epochs"]),
        )
