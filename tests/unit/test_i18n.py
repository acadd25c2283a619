"""Languages: resolution from the environment, rendering of messages and numbers,
catalogues (.po in memory, .mo, none), and the pseudo-locale."""

from __future__ import annotations

import gettext
import io
import os
import re
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from tui_workshop import i18n
from tui_workshop.i18n import (
    LANGUAGES,
    PSEUDO,
    Num,
    _,
    join,
    language_from_env,
    lines,
    msg,
    msg_n,
    ngettext,
    normalise,
    pseudo,
    render,
    set_language,
)
from tui_workshop.i18n.pseudo import CLOSE, OPEN


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


# ---- which language --------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "pt_BR.UTF-8"}, "pt-BR"),
        ({"LANG": "pt_BR"}, "pt-BR"),
        ({"LANG": "pt"}, "pt-BR"),
        ({"LANG": "pt_PT.UTF-8"}, "pt-BR"),
        ({"LANG": "pt-PT"}, "pt-BR"),
        ({"LANG": "pt_BR.UTF-8@euro"}, "pt-BR"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_GB"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # no French: English
        ({"LANG": "../../etc"}, "en"),
        ({}, "en"),
        # LC_ALL > LC_MESSAGES > LANG: the first one set decides
        ({"LC_ALL": "pt_BR.UTF-8", "LC_MESSAGES": "en_US", "LANG": "en_US"}, "pt-BR"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "pt_BR", "LANG": "pt_BR"}, "en"),
        ({"LC_MESSAGES": "pt_BR.UTF-8", "LANG": "en_US.UTF-8"}, "pt-BR"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "pt_BR.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "pt_BR.UTF-8"}, "en"),  # C overrides, as in POSIX
        ({"LC_ALL": "", "LANG": "pt_BR.UTF-8"}, "pt-BR"),  # empty means unset
    ],
)
def test_language_from_environment(environ, expected):
    assert language_from_env(environ) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pt-BR", "pt-BR"),
        ("pt_br", "pt-BR"),
        ("PT-BR", "pt-BR"),
        ("en", "en"),
        ("qps-ploc", PSEUDO),
        ("qps_PLOC", PSEUDO),
        ("../..", None),
        ("../../etc/passwd", None),
        ("/tmp/x", None),
        ("pt/../../x", None),
        ("", None),
        (None, None),
        ("klingon", None),
    ],
)
def test_normalise_returns_a_known_language_or_none(text, expected):
    assert normalise(text) == expected


@given(st.text(max_size=40))
def test_normalise_never_returns_what_it_was_given_unless_known(text):
    assert normalise(text) in (*LANGUAGES, PSEUDO, None)


def test_set_language_ignores_junk_and_uses_the_environment(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    assert set_language("../../../etc") == "pt-BR"
    assert set_language(None) == "pt-BR"
    assert set_language("en") == "en"
    monkeypatch.setenv("LANG", "C")
    assert set_language("nonsense") == "en"


# ---- rendering in English ------------------------------------------------------


def test_messages_render_with_their_arguments():
    assert render(msg("epoch {epoch}", epoch=3)) == "epoch 3"
    assert render(msg("Next page")) == "Next page"
    nested = msg("loss {value} at {when}", value=Num(0.25), when=msg("epoch {n}", n=2))
    assert render(nested) == "loss 0.25 at epoch 2"
    assert render(None) == "" and render("y = a·x") == "y = a·x"
    assert _("Help") == "Help"
    assert _("{count} lessons", count=18) == "18 lessons"


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (Num(3.14159), "3.14"),
        (Num(2.0, digits=0), "2"),
        (Num(-1.5), "−1.50"),  # Unicode minus
        (Num(-0.001), "−1.0e−3"),  # too small for 2 decimals: short scientific form
        (Num(-0.0), "0.00"),
        (Num(-0.004), "−4.0e−3"),  # never "−0.00"
        (Num(1234567.0), "1.2e6"),
        (Num(0.1, exact=True), "0.10"),
        (Num(0.005, exact=True), "0.005"),
        (Num(0.125, digits=1, percent=True), "12.5%"),
        (Num(2, sign=True), "+2.00"),
        (Num(float("nan")), "nan"),
        (Num(float("-inf")), "−∞"),
    ],
)
def test_numbers_in_english(number, text):
    assert render(number) == text


def test_joined_parts_and_lines():
    assert render(join(", ", [msg("loss"), Num(1.5), "tanh"])) == "loss, 1.50, tanh"
    assert render(lines(msg("first"), None, msg("second {n}", n=2))) == "first\nsecond 2"


@pytest.mark.parametrize(("n", "text"), [(0, "0 steps"), (1, "1 step"), (2, "2 steps")])
def test_english_plurals(n, text):
    assert render(msg_n("{n} step", "{n} steps", n)) == text
    assert ngettext("{n} step", "{n} steps", n) == text


# ---- decimal comma ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["pt-BR", PSEUDO])
def test_decimal_comma_in_portuguese_and_the_pseudo_locale(lang):
    set_language(lang)
    assert i18n.decimal_mark() == ","
    assert render(Num(3.14159)) == "3,14"
    assert render(Num(-0.001)) == "−1,0e−3"
    assert render(Num(0.125, digits=1, percent=True)) == "12,5%"
    assert render(join("; ", [Num(0.5), Num(1.0)])) == "0,50; 1,00"
    assert "0,25" in render(msg("loss {value}", value=Num(0.25)))


# ---- catalogues -------------------------------------------------------------------

PO = r"""
msgid ""
msgstr ""
"Language: pt_BR\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
"Content-Type: text/plain; charset=utf-8\n"

msgid "Next page"
msgstr "Próxima página"

msgid "epoch {epoch}"
msgstr "época {epoch}"

msgid "loss {value}"
msgstr "perda {valor}"

msgid "{n} step"
msgid_plural "{n} steps"
msgstr[0] "{n} passo"
msgstr[1] "{n} passos"
"""


@pytest.fixture
def locales(tmp_path, monkeypatch) -> Path:
    """A locales folder with a small pt_BR catalogue (.po only)."""
    folder = tmp_path / "pt_BR" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "tui_workshop.po").write_text(PO, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    return folder


def compile_mo(folder: Path, edit=lambda text: text) -> None:
    po = folder / "tui_workshop.po"
    catalog = read_po(io.StringIO(edit(po.read_text(encoding="utf-8"))))
    with (folder / "tui_workshop.mo").open("wb") as stream:
        write_mo(stream, catalog)


def test_po_compiled_in_memory_translates_with_portuguese_plurals(locales):
    set_language("pt-BR")
    assert render(msg("Next page")) == "Próxima página"
    assert _("epoch {epoch}", epoch=4) == "época 4"
    # pt-BR: 0 and 1 take the singular
    assert [render(msg_n("{n} step", "{n} steps", n)) for n in (0, 1, 2)] == [
        "0 passo",
        "1 passo",
        "2 passos",
    ]
    assert render(msg("Quit")) == "Quit"  # untranslated: English
    # a translation with a wrong placeholder falls back to the English text
    assert render(msg("loss {value}", value=Num(0.5))) == "loss 0,50"


def test_compiled_mo_is_used_when_current(locales):
    compile_mo(locales, lambda text: text.replace("Próxima página", "Página seguinte"))
    po, mo = locales / "tui_workshop.po", locales / "tui_workshop.mo"
    os.utime(po, (1_000_000, 1_000_000))  # the .mo is newer
    set_language("pt-BR")
    assert render(msg("Next page")) == "Página seguinte"
    os.utime(mo, (0, 0))  # the .po was edited since: it wins
    set_language("pt-BR")
    assert render(msg("Next page")) == "Próxima página"


def block_babel(monkeypatch):
    for name in [m for m in sys.modules if m == "babel" or m.startswith("babel.")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("babel", "babel.messages", "babel.messages.mofile", "babel.messages.pofile"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError


def test_without_babel_a_po_alone_falls_back_to_english(locales, monkeypatch):
    block_babel(monkeypatch)
    assert set_language("pt-BR") == "pt-BR"
    assert render(msg("Next page")) == "Next page"
    assert render(Num(0.5)) == "0,50"  # still Portuguese numbers


def test_without_babel_an_older_mo_still_translates(locales, monkeypatch):
    compile_mo(locales)
    os.utime(locales / "tui_workshop.mo", (0, 0))
    block_babel(monkeypatch)
    set_language("pt-BR")
    assert render(msg("Next page")) == "Próxima página"


def test_broken_catalogues_fall_back_to_english(locales):
    (locales / "tui_workshop.mo").write_bytes(b"not a catalogue")
    os.utime(locales / "tui_workshop.po", (0, 0))
    set_language("pt-BR")
    assert render(msg("Next page")) == "Next page"


def test_shipped_portuguese_catalogue_loads_with_its_plural_rule():
    catalogue = i18n.load_translations("pt-BR")
    assert isinstance(catalogue, gettext.GNUTranslations)
    assert catalogue.info()["language"] == "pt_BR"
    assert [catalogue.plural(n) for n in (0, 1, 2, 5)] == [0, 0, 1, 1]


# ---- pseudo-locale ----------------------------------------------------------------

SENTENCES = [
    "Next page",
    "Train the network for ten epochs",
    "The learning rate must be between {low} and {high}",
    "Press F5 to start [b]training[/b] again",
]


def plain_words(text: str) -> list[str]:
    without_kept = re.sub(r"\{[^{}]*\}|\[/?[a-z][^\[\]]*\]|\bF\d{1,2}\b", "", text)
    return re.findall(r"[A-Za-z]{2,}", without_kept)


@pytest.mark.parametrize("text", SENTENCES)
def test_pseudo_keeps_placeholders_and_markup_and_hides_english(text):
    result = pseudo(text)
    assert result.startswith(OPEN) and result.endswith(CLOSE)
    kept = re.findall(r"\{[^{}]*\}|\[/?[a-z][^\[\]]*\]|\bF\d{1,2}\b", text)
    assert kept == re.findall(r"\{[^{}]*\}|\[/?[a-z][^\[\]]*\]|\bF\d{1,2}\b", result)
    assert plain_words(result) == []
    assert 1.2 <= len(result) / len(text) <= 1.7  # about 30 % longer


def test_pseudo_wraps_each_line_and_leaves_empty_text_alone():
    assert pseudo("") == "" and pseudo("  ") == "  "
    first, blank, second = pseudo("one line\n\nanother").split("\n")
    assert first.startswith(OPEN) and second.endswith(CLOSE) and blank == ""


def test_pseudo_locale_renders_messages_and_plurals():
    set_language(PSEUDO)
    text = render(msg("epoch {epoch} of {total}", epoch=3, total=Num(10, digits=0)))
    assert "3" in text and "10" in text and plain_words(text) == []
    assert plain_words(render(msg_n("{n} step", "{n} steps", 2))) == []
    assert render("tanh") == "tanh"  # plain strings are not words to translate
