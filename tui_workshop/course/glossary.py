"""The course's bilingual glossary: each term in English and in Brazilian Portuguese.

Both names are shown in every language (a student reads Portuguese lessons and
English papers); the short definition is a message, shown in the current
language. The Portuguese names are the ones the lessons use (issue 13's list):
"acurácia" for accuracy, never "precisão", which is precision.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tui_workshop.i18n import Msg, msg

__all__ = ["GLOSSARY", "Term", "fold", "matching", "sorted_terms"]


@dataclass(frozen=True)
class Term:
    english: str
    portuguese: str
    definition: Msg

    def name(self, lang: str) -> str:
        """The term in ``lang`` ("pt-BR": Portuguese, else English)."""
        return self.portuguese if lang.startswith("pt") else self.english

    def other_name(self, lang: str) -> str:
        return self.english if lang.startswith("pt") else self.portuguese


def _t(english: str, portuguese: str, definition: Msg) -> Term:
    return Term(english, portuguese, definition)


GLOSSARY: tuple[Term, ...] = (
    _t("neural network", "rede neural", msg(
        "Layers of neurons, each feeding the next; its weights are learned from examples.")),
    _t("neuron", "neurônio", msg(
        "Computes z = w·x + b, a weighted sum of its inputs plus a bias, and applies an "
        "activation: a = f(z).")),
    _t("weight", "peso", msg("How much one input counts in a neuron's sum; learned.")),
    _t("bias", "viés", msg(
        "The constant b added to a neuron's weighted sum: it shifts the decision line.")),
    _t("activation function", "função de ativação", msg(
        "The non-linear function f applied to z; without it, layers add up to one linear "
        "map.")),
    _t("sigmoid", "sigmoide", msg("σ(z) = 1/(1 + e^(−z)), between 0 and 1: a probability.")),
    _t("ReLU", "ReLU (unidade linear retificada)", msg(
        "max(0, z): zero for negative inputs, the identity for positive ones.")),
    _t("softmax", "softmax", msg(
        "Turns scores (logits) into probabilities that add up to 1: e^zᵢ / Σⱼ e^zⱼ.")),
    _t("logit", "logit", msg("A raw score before the sigmoid or the softmax.")),
    _t("loss function", "função de perda", msg(
        "A number that measures how wrong the predictions are; training lowers it.")),
    _t("cross-entropy", "entropia cruzada", msg(
        "The loss −log p of the probability given to the right class (log: natural "
        "logarithm).")),
    _t("mean squared error", "erro quadrático médio", msg(
        "The mean of (prediction − target)²; the usual loss for regression.")),
    _t("gradient", "gradiente", msg(
        "The vector of partial derivatives of the loss; it points where the loss grows "
        "fastest.")),
    _t("gradient descent", "descida do gradiente", msg(
        "Repeat w ← w − η·∇L: small steps against the gradient.")),
    _t("learning rate", "taxa de aprendizado", msg(
        "η, the size of each step of gradient descent; too large diverges, too small "
        "crawls.")),
    _t("epoch", "época", msg("One pass over the whole training set.")),
    _t("batch (mini-batch)", "lote (minilote)", msg(
        "The examples used for one update; the gradient is their mean.")),
    _t("backpropagation", "retropropagação", msg(
        "Computes every gradient of the loss in one backward pass, layer by layer, with "
        "the chain rule.")),
    _t("chain rule", "regra da cadeia", msg(
        "The derivative of f(g(x)) is f′(g(x))·g′(x): one factor per step.")),
    _t("overfitting", "sobreajuste", msg(
        "Learning the noise of the training set: training loss falls, validation loss "
        "rises.")),
    _t("regularisation", "regularização", msg(
        "Any way to keep a model from overfitting: L2 or L1 penalties, dropout, early "
        "stopping.")),
    _t("dropout", "dropout", msg(
        "Switching off hidden units at random while training, each with probability p.")),
    _t("early stopping", "parada antecipada", msg(
        "Stop training when the validation loss stops improving; keep the best weights.")),
    _t("training set", "conjunto de treinamento", msg("The examples the weights are fitted on.")),
    _t("validation set", "conjunto de validação", msg(
        "Held-out examples for choosing hyperparameters and when to stop.")),
    _t("test set", "conjunto de teste", msg(
        "Examples kept aside until the end, to report the final score once.")),
    _t("accuracy", "acurácia", msg("The share of right predictions: (TP + TN)/N.")),
    _t("precision", "precisão", msg(
        "Of the predicted positives, the share that are positive: TP/(TP + FP).")),
    _t("recall (sensitivity)", "revocação (sensibilidade)", msg(
        "Of the actual positives, the share that are found: TP/(TP + FN).")),
    _t("confusion matrix", "matriz de confusão", msg(
        "A table of counts: true classes in the rows, predicted classes in the columns.")),
    _t("optimiser", "otimizador", msg(
        "The rule that turns gradients into weight updates: SGD, momentum, RMSProp, Adam.")),
    _t("momentum", "momento", msg(
        "Keeps a running velocity of past steps, so the descent rolls through ravines.")),
    _t("hyperparameter", "hiperparâmetro", msg(
        "A setting chosen before training (learning rate, layers, λ), not learned.")),
    _t("convolution", "convolução", msg(
        "Slides a small kernel over an image, taking a dot product at each position.")),
    _t("filter / kernel", "filtro / núcleo", msg(
        "The small matrix of weights a convolution slides over its input.")),
    _t("feature map", "mapa de características", msg(
        "The output of one filter: where in the image its pattern appears.")),
    _t("stride", "passo", msg("How many pixels the kernel moves each time.")),
    _t("padding", "preenchimento", msg(
        "Zeros added around the input so the kernel also fits at the borders.")),
    _t("max pooling", "agrupamento máximo", msg(
        "Keeps the largest value of each window (2×2): halves the height and width.")),
    _t("recurrent network", "rede recorrente", msg(
        "A network that reads a sequence step by step, with the same weights at every "
        "step.")),
    _t("hidden state", "estado oculto", msg(
        "hₜ, what a recurrent network carries from one step to the next.")),
    _t("backpropagation through time", "retropropagação através do tempo", msg(
        "Backpropagation on the network unrolled over the steps of the sequence.")),
    _t("vanishing / exploding gradients", "gradientes que desaparecem / explodem", msg(
        "Gradients multiplied by many small (or large) factors shrink to nothing (or blow "
        "up).")),
    _t("gradient clipping", "corte do gradiente", msg(
        "Rescales a gradient whose norm exceeds a limit c down to norm c.")),
    _t("decision boundary", "fronteira de decisão", msg(
        "Where a classifier's prediction changes from one class to another.")),
)


def fold(text: str) -> str:
    """Lower case without accents: 'Época' and 'epoca' match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sorted_terms(lang: str, terms: Iterable[Term] = GLOSSARY) -> list[Term]:
    """The terms in the alphabetical order of ``lang``'s names."""
    return sorted(terms, key=lambda term: fold(term.name(lang)))


def matching(
    query: str, lang: str, describe: Callable[[Msg], str], terms: Iterable[Term] = GLOSSARY
) -> list[Term]:
    """Terms whose names or definition (as ``describe`` renders it) contain ``query``."""
    wanted = fold(query.strip())
    found = [
        term
        for term in terms
        if not wanted
        or wanted in fold(term.english)
        or wanted in fold(term.portuguese)
        or wanted in fold(describe(term.definition))
    ]
    return sorted_terms(lang, found)
