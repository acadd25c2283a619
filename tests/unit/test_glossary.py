"""The bilingual glossary: the issue's terms, definitions translated, filtering."""

from __future__ import annotations

import pytest

from tui_workshop import i18n
from tui_workshop.course.glossary import GLOSSARY, fold, matching, sorted_terms

# Terms issue 13 asks the course to use (English -> Portuguese).
REQUIRED = {
    "neural network": "rede neural",
    "neuron": "neurônio",
    "weight": "peso",
    "bias": "viés",
    "activation function": "função de ativação",
    "loss function": "função de perda",
    "cross-entropy": "entropia cruzada",
    "gradient descent": "descida do gradiente",
    "learning rate": "taxa de aprendizado",
    "epoch": "época",
    "backpropagation": "retropropagação",
    "chain rule": "regra da cadeia",
    "overfitting": "sobreajuste",
    "regularisation": "regularização",
    "accuracy": "acurácia",
    "precision": "precisão",
    "confusion matrix": "matriz de confusão",
    "optimiser": "otimizador",
    "hyperparameter": "hiperparâmetro",
    "convolution": "convolução",
    "stride": "passo",
    "padding": "preenchimento",
    "max pooling": "agrupamento máximo",
    "recurrent network": "rede recorrente",
    "hidden state": "estado oculto",
    "backpropagation through time": "retropropagação através do tempo",
}


@pytest.fixture
def pt_br():
    i18n.set_language("pt-BR")
    yield
    i18n.set_language("en")


def test_the_issue_terms_are_there_with_their_portuguese_names():
    names = {term.english: term.portuguese for term in GLOSSARY}
    for english, portuguese in REQUIRED.items():
        assert names.get(english) == portuguese, english
    assert len(names) == len(GLOSSARY)  # no term twice


def test_every_definition_is_translated(pt_br):
    for term in GLOSSARY:
        portuguese = i18n.render(term.definition)
        assert portuguese and portuguese != term.definition.msgid, term.english


def test_filter_ignores_case_and_accents_and_reads_both_languages(pt_br):
    found = [t.english for t in matching("EPOCA", "pt-BR", i18n.render)]
    assert found == ["epoch"]
    assert [t.english for t in matching("recall", "pt-BR", i18n.render)] == [
        "recall (sensitivity)"
    ]
    # a word of a Portuguese definition
    assert "learning rate" in [t.english for t in matching("diverge", "pt-BR", i18n.render)]
    assert len(matching("", "pt-BR", i18n.render)) == len(GLOSSARY)
    assert matching("zzz", "pt-BR", i18n.render) == []


def test_order_follows_the_language():
    assert fold("Época") == "epoca"
    portuguese = [t.portuguese for t in sorted_terms("pt-BR")]
    assert portuguese == sorted(portuguese, key=fold)
    english = [t.english for t in sorted_terms("en")]
    assert english == sorted(english, key=fold)
