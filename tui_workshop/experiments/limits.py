"""Limits and challenges: four small demonstrations of how networks fail.

Chosen by the parameter ``demo``:

* ``extrapolation``: a small MLP fits y = x² (or sin πx) on [−1, 1]; its
  prediction on [−3, 3] is good inside the training range and wrong outside.
  Trained in steps of a few epochs.
* ``imbalance``: a logistic classifier on a set where 5% of the points are the
  rare class. Accuracy looks excellent while the recall of the rare class is
  poor; the decision threshold (live) trades one for the other.
* ``adversarial``: an MLP trained on the 8×8 handwritten digits, then the fast
  gradient sign method (FGSM) x′ = x + ε·sign(∇ₓL(x, y)) on one validation
  image: a change of ε per pixel flips the prediction.
* ``vanishing``: a deep network (``depth`` hidden layers) at initialisation;
  the norm of ∂L/∂W per layer shows the first layers of a sigmoid network
  getting a tiny fraction of the last layer's gradient (static).

Each demo shows a panel of discussion questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from tui_workshop.experiments._common import num, param_num
from tui_workshop.experiments.base import (
    Bars,
    Frame,
    Heatmap,
    LinePlot,
    ParameterError,
    Series,
    Table,
    TextPanel,
    TrainerExperiment,
    frozen_array,
    register,
)
from tui_workshop.experiments.specs import limits as spec
from tui_workshop.i18n.message import Cat, Num, Text, join, lines, msg, msg_n
from tui_workshop.nn import activations as act
from tui_workshop.nn import datasets, metrics, optim
from tui_workshop.nn.mlp import MLP
from tui_workshop.nn.train import Trainer

DEMOS = spec.SCHEMA["demo"].choices
FUNCTIONS = {
    "square": ("y = x²", lambda x: x**2),
    "sin": ("y = sin(πx)", lambda x: np.sin(np.pi * x)),
}
STATIC = "static"  # stop reason of the vanishing demo: nothing to train

# extrapolation: 40 points on [−1, 1], a 1 → 16 → 16 → 1 network, Adam
EXTRA_POINTS, EXTRA_HIDDEN, EXTRA_LR = 40, (16, 16), 0.01
EXTRA_EPOCHS, EXTRA_EPOCHS_PER_STEP = 400, 20
TRAIN_RANGE, SHOW_RANGE = (-1.0, 1.0), (-3.0, 3.0)
# imbalance: 1000 points, half for validation, logistic regression
IMB_POINTS, IMB_LR, IMB_BATCH = 1000, 0.05, 20
IMB_EPOCHS, IMB_EPOCHS_PER_STEP = 60, 5
# adversarial: the 8×8 digits, 64 → 32 → 10 softmax network
ADV_HIDDEN, ADV_LR, ADV_BATCH, ADV_EPOCHS, ADV_VAL = 32, 0.01, 32, 15, 0.3
# vanishing: width of each hidden layer, points of the batch
VANISH_WIDTH, VANISH_POINTS = 16, 200

# Attention: four words, keys and queries of dimension d = 4, values in 2-D.
WORDS = ("the", "cat", "sat", "mat")
# shown to students: the example sentence in the current language
WORD_TEXTS = (msg("the"), msg("cat"), msg("sat"), msg("mat"))
ATT_Q = np.array([[1.0, 0, 0, 0], [0, 1, 1, 0], [0, 2, 0, 1], [0, 1, 0, 1]])
ATT_K = np.array([[1.0, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 2, 0, 2]])
ATT_V = np.array([[0.0, 0], [1, 0], [0, 1], [1, 1]])


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attention(Q: np.ndarray, K: np.ndarray, V: np.ndarray, temperature: float = 1.0):
    """(scaled scores QKᵀ/√d, weights softmax(scores/τ), output weights·V)."""
    scores = Q @ K.T / np.sqrt(K.shape[1])
    weights = softmax(scores / temperature)
    return scores, weights, weights @ V


QUESTIONS: dict[str, tuple[Text, ...]] = {
    "attention": (
        msg("Each weight is a softmax of dot products: where did you see both before?"),
        msg("Lower τ: the weights sharpen towards one word. Raise it: they even out."),
        msg("Why divide by √d? (dot products grow with the dimension)"),
        msg("A language model does this for every word and layer: what does it cost?"),
    ),
    "extrapolation": (
        msg("Why does the network go flat (or straight) outside [−1, 1]?"),
        msg("Which activation extrapolates more like a line? Try relu."),
        msg("Where in real data do inputs leave the training range?"),
        msg("How could you notice this without knowing the truth?"),
    ),
    "imbalance": (
        msg("Predicting 'common' every time scores 95%. Is 97% good?"),
        msg("Lower the threshold: what happens to recall and precision?"),
        msg("For a disease test, which mistake costs more?"),
        msg("Which other fixes exist? (weights, resampling, more data)"),
    ),
    "adversarial": (
        msg("Would you see the difference between the two images?"),
        msg("Why does the sign of the gradient work so well?"),
        msg("Which ε flips most images? Try 0.05, 0.1, 0.2."),
        msg("Where would such an attack matter in practice?"),
    ),
    "vanishing": (
        msg("Why does each sigmoid layer shrink the gradient? (σ′ ≤ 0.25)"),
        msg("Compare tanh and relu at the same depth."),
        msg("What does a tiny gradient mean for the first layers' learning?"),
        msg("Which fixes exist? (relu, He init, batch norm, residuals)"),
    ),
}


def bullet(text: Text) -> Cat:
    return Cat(("• ", text))


def percent(value: float) -> Num:
    """A share as a whole percentage: 97%."""
    return Num(float(value), 0, percent=True)


def input_gradient(model: MLP, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂L/∂X of the model's mean data loss on (X, y) (no penalty), same shape as X.

    Backpropagation through the MLP down to its inputs: the output delta is
    (p − y)/n for sigmoid and softmax outputs, 2(ŷ − y)/(n·k) for identity.
    """
    a = np.atleast_2d(np.asarray(X, dtype=float))
    weights, biases = model.params[0::2], model.params[1::2]
    pre: list[np.ndarray] = []
    for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z = a @ W + b
        if i == len(weights) - 1:
            break
        pre.append(z)
        a = act.get(model.activations[i]).f(z)
    n = len(z)
    y = np.asarray(y)
    if model.output == "softmax":
        delta = act.softmax(z, axis=1)
        delta[np.arange(n), y.astype(int)] -= 1.0
        delta /= n
    elif model.output == "sigmoid":
        delta = (act.sigmoid(z) - y.reshape(-1, 1)) / n
    else:
        delta = 2.0 * (z - y.reshape(z.shape)) / z.size
    for i in range(len(weights) - 1, -1, -1):
        delta = delta @ weights[i].T
        if i:
            delta = delta * act.get(model.activations[i - 1]).df(pre[i - 1])
    return delta.reshape(np.shape(X))


def fgsm(model: MLP, x: np.ndarray, label: int, epsilon: float) -> tuple[np.ndarray, np.ndarray]:
    """(x′, sign of ∇ₓL): the fast gradient sign perturbation x′ = x + ε·sign(∇ₓL(x, label))."""
    x = np.asarray(x, dtype=float).reshape(1, -1)
    sign = np.sign(input_gradient(model, x, np.array([label])))
    return np.clip(x + epsilon * sign, 0.0, 1.0), sign  # pixels stay in [0, 1]


def image_z(pixels: np.ndarray) -> np.ndarray:
    """An 8×8 image (row 0 at the top) as Heatmap z (row 0 at the bottom)."""
    return np.asarray(pixels, dtype=float).reshape(8, 8)[::-1]


@register
class Limits(TrainerExperiment):
    """One of four demos; three train a small network in steps, "vanishing" is static."""

    name = "limits"
    title = spec.TITLE
    SCHEMA = spec.SCHEMA

    def __init__(self, params=None) -> None:
        super().__init__(params)
        self.demo = self.params["demo"]
        self.trainer: Trainer | None = None
        self.epochs_per_step = 1
        getattr(self, f"_build_{self.demo}")()
        if self.trainer is None:
            self.stopped = STATIC

    # --- building ---------------------------------------------------------------

    def _build_extrapolation(self) -> None:
        p = self.params
        self.target = FUNCTIONS[p["function"]][1]
        x = np.linspace(*TRAIN_RANGE, EXTRA_POINTS)[:, None]
        self.X, self.y = x, self.target(x[:, 0])
        self.model = MLP(
            [1, *EXTRA_HIDDEN, 1], activation=p["activation"], output="identity", seed=p["seed"]
        )
        opt = optim.make("adam", self.model.params, EXTRA_LR)
        self.trainer = Trainer(
            self.model, opt, self.X, self.y, batch_size=10, epochs=EXTRA_EPOCHS, seed=p["seed"]
        )
        self.epochs_per_step = EXTRA_EPOCHS_PER_STEP

    def _build_imbalance(self) -> None:
        p = self.params
        X, y = datasets.imbalanced(n=IMB_POINTS, ratio=p["rare_percent"] / 100, seed=p["seed"])
        parts = datasets.split(X, y, val=0.5, seed=p["seed"])
        self.X, self.y = parts.X_train, parts.y_train
        self.X_val, self.y_val = parts.X_val, parts.y_val
        self.model = MLP([2, 1], output="sigmoid", seed=p["seed"])
        opt = optim.make("adam", self.model.params, IMB_LR)
        self.trainer = Trainer(
            self.model, opt, self.X, self.y, self.X_val, self.y_val,
            batch_size=IMB_BATCH, epochs=IMB_EPOCHS, seed=p["seed"],
        )  # fmt: skip
        self.epochs_per_step = IMB_EPOCHS_PER_STEP

    def _build_adversarial(self) -> None:
        from tui_workshop.nn.images import load_digits

        p = self.params
        X, y = load_digits()
        parts = datasets.split(X, y, val=ADV_VAL, seed=p["seed"])
        self.X, self.y = parts.X_train, parts.y_train
        self.X_val, self.y_val = parts.X_val, parts.y_val
        if p["sample"] >= len(self.X_val):
            raise ParameterError(msg("image: must be below {count}", count=len(self.X_val)))
        self.model = MLP([64, ADV_HIDDEN, 10], activation="tanh", output="softmax", seed=p["seed"])
        opt = optim.make("adam", self.model.params, ADV_LR)
        self.trainer = Trainer(
            self.model, opt, self.X, self.y, self.X_val, self.y_val,
            batch_size=ADV_BATCH, epochs=ADV_EPOCHS, seed=p["seed"],
        )  # fmt: skip

    def _build_attention(self) -> None:
        """Static: the weights follow the query and the temperature at once."""

    def _attention(self) -> tuple[tuple, dict[str, float], Text]:
        p = self.params
        q, tau = p["query"], p["temperature"]
        scores, weights, out = attention(ATT_Q[q : q + 1], ATT_K, ATT_V, tau)
        scores, weights, out = scores[0], weights[0], out[0]
        raw = ATT_Q[q] @ ATT_K.T
        rows = tuple(
            (WORD_TEXTS[j], num(raw[j], 2), num(scores[j], 3), num(weights[j], 3))
            for j in range(len(WORD_TEXTS))
        )
        best = int(np.argmax(weights))
        table = Table(
            msg("Query {word}: q·k, q·k/√d, weight", word=WORD_TEXTS[q]),
            (msg("key"), "q·k", "q·k/√d", msg("weight")),
            rows,
            frozenset({(best, 3)}),
        )
        text = lines(
            msg("softmax(QKᵀ/√d)·V,  d = 4, √d = 2"),
            msg("weights = softmax(scores / τ), τ = {tau}", tau=param_num(tau)),
            msg("output = Σ weight·v = ({a}, {b})", a=num(out[0], 3), b=num(out[1], 3)),
            msg("largest weight: {word}, {w}", word=WORD_TEXTS[best], w=num(weights[best], 3)),
        )
        panels = (  # the weights first: at 80x24 the first panel is the one seen
            Bars(msg("Attention weights"), WORD_TEXTS, tuple(float(w) for w in weights)),
            TextPanel(msg("Attention"), text),
            table,
        )
        entropy = float(-np.sum(weights * np.log(np.maximum(weights, 1e-300))))
        m = {
            "max_weight": float(weights[best]),
            "entropy": entropy,
            "temperature": float(tau),
            "out_0": float(out[0]),
            "out_1": float(out[1]),
        }
        status = join(" · ", (  # the largest weight first: what the query attends to
            msg("largest weight: {word}, {w}", word=WORD_TEXTS[best], w=num(weights[best], 3)),
            msg("attention of {word} · τ = {tau}", word=WORD_TEXTS[q], tau=param_num(tau)),
        ))  # fmt: skip
        return panels, m, status

    def _build_vanishing(self) -> None:
        p = self.params
        X, y = datasets.make("circle", n=VANISH_POINTS, seed=p["seed"])
        sizes = [2] + [VANISH_WIDTH] * p["depth"] + [1]
        self.model = MLP(sizes, activation=p["activation"], init="xavier", seed=p["seed"])
        _, grads = self.model.loss_and_grads(X, y)
        self.grad_norms = np.array([float(np.linalg.norm(g)) for g in grads[0::2]])

    # --- stepping ---------------------------------------------------------------

    @property
    def epoch(self) -> int:
        return 0 if self.trainer is None else self.trainer.epoch

    def advance(self) -> None:
        """Train a few epochs (extrapolation, imbalance) or one (adversarial)."""
        trainer = self.trainer
        if trainer is None:  # static demo: already stopped
            return
        for _ in range(self.epochs_per_step):
            if trainer.step_epoch().stopped:
                break
        self.steps_done += 1
        self.stopped = trainer.stopped

    keeps_state = True

    def save_state(self) -> dict[str, Any]:
        from tui_workshop.experiments import state

        if self.trainer is None:
            return {}
        return state.prefixed("trainer", state.trainer_state(self.trainer))

    def load_state(self, saved: Mapping[str, Any]) -> None:
        from tui_workshop.experiments import state

        if self.trainer is not None:
            state.load_trainer(self.trainer, state.part("trainer", saved))

    def stop_message(self) -> tuple[Text | None, Literal["info", "warning", "error"]]:
        # The end of a demo's training needs no words; a divergence does.
        if self.stopped == "diverged":
            return super().stop_message()
        return None, "info"

    # --- extrapolation ----------------------------------------------------------

    def extrapolation_errors(self) -> tuple[float, float]:
        """Mean squared error of the fit inside [−1, 1] and outside, on [−3, 3]."""
        inside = np.linspace(*TRAIN_RANGE, 201)
        outside = np.concatenate([np.linspace(-3.0, -1.0, 101), np.linspace(1.0, 3.0, 101)])
        errors = []
        for x in (inside, outside):
            pred = self.model.predict(x[:, None])
            errors.append(float(np.mean((pred - self.target(x)) ** 2)))
        return errors[0], errors[1]

    def _extrapolation(self) -> tuple[tuple, dict[str, float], Text]:
        xs = np.linspace(*SHOW_RANGE, 121)
        truth, pred = self.target(xs), self.model.predict(xs[:, None])
        name = FUNCTIONS[self.params["function"]][0]
        plot = LinePlot(
            msg("Truth and prediction on {range}", range="[−3, 3]"),
            (
                Series(msg("truth {formula}", formula=name), frozen_array(xs),
                       frozen_array(truth), "line", 0),
                Series(msg("network"), frozen_array(xs), frozen_array(pred), "line", 1),
                Series(
                    msg("training points"), frozen_array(self.X[:, 0]), frozen_array(self.y),
                    "points", 2,
                ),
            ),
            xlabel="x",
            ylabel="y",
            xlim=SHOW_RANGE,
        )  # fmt: skip
        inside, outside = self.extrapolation_errors()
        ratio = outside / inside if inside > 0 else np.inf
        text = lines(
            msg("Trained on x in [−1, 1] only ({n} points).", n=EXTRA_POINTS),
            msg("mean squared error inside  [−1, 1]: {error}", error=num(inside, 4)),
            msg("mean squared error outside [−1, 1]: {error}", error=num(outside, 3)),
            msg("outside is {ratio}× worse.", ratio=num(ratio, 0)),
        )
        m = {"inside_error": inside, "outside_error": outside, "epoch": float(self.epoch)}
        status = msg(
            "MSE out {outside} · in {inside} · epoch {epoch}/{total}",
            outside=num(outside, 3), inside=num(inside, 4), epoch=self.epoch, total=EXTRA_EPOCHS,
        )  # fmt: skip
        return (plot, TextPanel(msg("Inside and outside"), text)), m, status

    # --- imbalance --------------------------------------------------------------

    def imbalance_scores(self, threshold: float | None = None) -> dict[str, float]:
        """Validation accuracy, precision, recall, F1 at ``threshold``, and the baseline."""
        t = self.params["threshold"] if threshold is None else threshold
        prob = self.model.forward(self.X_val)[:, 0]
        yhat = (prob >= t).astype(int)
        y = self.y_val
        return {
            "accuracy": metrics.accuracy(y, yhat),
            "precision": metrics.precision(y, yhat),
            "recall": metrics.recall(y, yhat),
            "f1": metrics.f1(y, yhat),
            "baseline_accuracy": metrics.accuracy(y, np.zeros_like(y)),
            "threshold": float(t),
            "epoch": float(self.epoch),
        }

    def _imbalance(self) -> tuple[tuple, dict[str, float], Text]:
        s = self.imbalance_scores()
        y = self.y_val
        table = Table(
            msg("Validation scores"),
            (msg("classifier"), msg("accuracy"), msg("precision"), msg("recall")),
            (
                (msg("always 'common'"), percent(s["baseline_accuracy"]), "–", percent(0.0)),
                (
                    msg("network, t = {threshold}", threshold=param_num(s["threshold"])),
                    percent(s["accuracy"]),
                    percent(s["precision"]),
                    percent(s["recall"]),
                ),
            ),
            frozenset({(1, 3)}),
        )
        prob = self.model.forward(self.X_val)[:, 0]
        yhat = (prob >= s["threshold"]).astype(int)
        tp = int(np.sum((yhat == 1) & (y == 1)))
        fn = int(np.sum((yhat == 0) & (y == 1)))
        fp = int(np.sum((yhat == 1) & (y == 0)))
        tn = int(np.sum((yhat == 0) & (y == 0)))
        confusion = Table(  # the course's one layout: rows true class, class 0 first
            msg("Confusion matrix"),
            ("", msg("predicted common"), msg("predicted rare")),
            ((msg("common"), str(tn), str(fp)), (msg("rare"), str(fn), str(tp))),
            frozenset({(1, 2)}),
        )
        text = lines(
            msg_n("{n} rare point of {total}.", "{n} rare points of {total}.", int(y.sum()),
                  total=len(y)),
            msg("recall = TP/(TP+FN) = {tp}/{total} = {value}", tp=tp, total=tp + fn,
                value=num(s["recall"], 2)),
            msg("precision = TP/(TP+FP) = {tp}/{total} = {value}", tp=tp, total=tp + fp,
                value=num(s["precision"], 2)),
        )  # fmt: skip
        status = msg(
            "recall {recall} · acc {accuracy} · epoch {epoch}/{total}",
            recall=percent(s["recall"]), accuracy=percent(s["accuracy"]), epoch=self.epoch,
            total=IMB_EPOCHS,
        )  # fmt: skip
        return (table, confusion, TextPanel(msg("Recall and precision"), text)), s, status

    # --- adversarial ------------------------------------------------------------

    def attack(self) -> dict[str, Any]:
        """FGSM on validation image ``sample`` with the current ε: inputs and outcome."""
        p = self.params
        x = self.X_val[p["sample"]]
        label = int(self.y_val[p["sample"]])
        x_adv, sign = fgsm(self.model, x, label, p["epsilon"])
        before = self.model.forward(x[None, :])[0]
        after = self.model.forward(x_adv)[0]
        return {
            "x": x,
            "x_adv": x_adv[0],
            "sign": sign[0],
            "label": label,
            "before": before,
            "after": after,
            "pred_before": int(np.argmax(before)),
            "pred_after": int(np.argmax(after)),
        }

    def attacked_accuracy(self) -> float:
        """Validation accuracy after FGSM with the current ε on every image."""
        grads = input_gradient(self.model, self.X_val, self.y_val)
        X_adv = np.clip(self.X_val + self.params["epsilon"] * np.sign(grads), 0.0, 1.0)
        return metrics.accuracy(self.y_val, self.model.predict(X_adv))

    def _adversarial(self) -> tuple[tuple, dict[str, float], Text]:
        a = self.attack()
        eps = self.params["epsilon"]
        label, before, after = a["label"], a["pred_before"], a["pred_after"]
        flipped = before == label and after != label
        norm = float(np.max(np.abs(a["x_adv"] - a["x"])))
        accuracy = metrics.accuracy(self.y_val, self.model.predict(self.X_val))
        attacked = self.attacked_accuracy()
        prediction = (
            msg("prediction: {before} → {after} (flipped!)", before=before, after=after)
            if flipped else msg("prediction: {before} → {after}", before=before, after=after)
        )  # fmt: skip
        panels = (
            Heatmap(
                msg("Input: a {label}, network says {digit}", label=label, digit=before),
                frozen_array(image_z(a["x"])), (0.0, 7.0), (7.0, 0.0),
                xlabel=msg("column"), ylabel=msg("row"),
                vmin=0.0, vmax=1.0, diverging=False,
            ),
            Heatmap(
                msg("{formula}: +1 orange, −1 blue", formula="sign(∇ₓL)"),
                frozen_array(image_z(a["sign"])), (0.0, 7.0), (7.0, 0.0),
                xlabel=msg("column"), ylabel=msg("row"), vmin=-1.0, vmax=1.0,
            ),
            Heatmap(
                msg("{formula}: network says {digit}", formula="x + ε·sign(∇ₓL)", digit=after),
                frozen_array(image_z(np.clip(a["x_adv"], 0.0, 1.0))), (0.0, 7.0), (7.0, 0.0),
                xlabel=msg("column"), ylabel=msg("row"),
                vmin=0.0, vmax=1.0, diverging=False,
            ),
            TextPanel(
                msg("Fast gradient sign method"),
                lines(
                    msg("x′ = clip(x + ε·sign(∇ₓL(x, y)), 0, 1)"),
                    msg("ε = {eps}, so ‖x′ − x‖∞ = {norm} (pixels 0..1)",
                        eps=param_num(eps), norm=num(norm, 3)),
                    msg("P({label}) before: {before}, after: {after}", label=label,
                        before=num(a["before"][label], 3), after=num(a["after"][label], 3)),
                    prediction,
                    msg("all {n} images: accuracy {before} → {after} after the attack",
                        n=len(self.y_val), before=percent(accuracy), after=percent(attacked)),
                ),
            ),
        )  # fmt: skip
        m = {
            "flipped": 1.0 if flipped else 0.0,
            "p_before": float(a["before"][label]),
            "p_after": float(a["after"][label]),
            "epsilon": eps,
            "perturbation": norm,
            "val_accuracy": accuracy,
            "attacked_accuracy": attacked,
            "epoch": float(self.epoch),
        }
        status = msg(
            "reads {before} → {after} · ε = {eps} · true digit {label} · epoch {epoch}/{total}",
            before=before, after=after, eps=param_num(eps), label=label, epoch=self.epoch,
            total=ADV_EPOCHS,
        )  # fmt: skip
        return panels, m, status

    # --- vanishing --------------------------------------------------------------

    def _vanishing(self) -> tuple[tuple, dict[str, float], Text]:
        norms = self.grad_norms
        last = norms[-1]
        labels = (*(msg("layer {n}", n=i + 1) for i in range(len(norms) - 1)), msg("output"))
        ratio = float(norms[0] / last)
        p = self.params
        text = lines(
            msg_n(
                "{n} hidden layer of {width} {activation} units, at initialisation.",
                "{n} hidden layers of {width} {activation} units, at initialisation.",
                p["depth"], width=VANISH_WIDTH, activation=p["activation"],
            ),
            msg("layer 1: {first}, output: {last}", first=num(norms[0], 3), last=num(last, 3)),
            Cat(("‖∂L/∂W₁‖ / ‖∂L/∂W_out‖ = ", num(ratio, 3))),
            msg("Each layer multiplies the gradient by Wᵀ and f′(z);"),
            msg("for the sigmoid f′(z) ≤ 0.25."),
        )  # fmt: skip
        panels = (
            Bars(msg("‖∂L/∂W‖ per layer"), labels, tuple(float(v) for v in norms)),
            TextPanel(msg("Vanishing gradients"), text),
        )
        m = {
            "grad_ratio": ratio,
            "first_norm": float(norms[0]),
            "last_norm": float(last),
            "depth": float(p["depth"]),
        }
        status = msg_n(
            "first/last grad {ratio} · {n} {activation} layer",
            "first/last grad {ratio} · {n} {activation} layers",
            p["depth"], ratio=num(ratio, 3), activation=p["activation"],
        )  # fmt: skip
        return panels, m, status

    # --- frame ------------------------------------------------------------------

    def draw(self) -> Frame:
        with np.errstate(all="ignore"):
            panels, m, status = getattr(self, f"_{self.demo}")()
        questions = TextPanel(msg("Discuss"), lines(*(bullet(q) for q in QUESTIONS[self.demo])))
        progress = None
        if self.trainer is not None:
            progress = min(1.0, self.trainer.epoch / max(self.trainer.epochs, 1))
        message, level = self.stop_message()
        if self.demo == "adversarial" and m["flipped"]:
            message = msg(
                "A change of ε = {eps} per pixel flipped it.", eps=param_num(self.params["epsilon"])
            )
        return Frame(
            step=self.epoch,
            status=status,
            panels=(*panels, questions),
            metrics=m,
            done=self.done,
            message=message,
            level=level,
            progress=progress,
        )
