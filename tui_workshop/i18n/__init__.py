"""Languages: one resolver, gettext catalogues, a pseudo-locale, rendering of messages.

Texts are English gettext message ids. The layers below the UI return
:class:`Msg` values (see :mod:`tui_workshop.i18n.message`); the UI renders
them, and its own texts, with :func:`_` and :func:`render` in the current
language. Catalogues are ``locales/<ll_CC>/LC_MESSAGES/tui_workshop.po`` in
the repository, compiled to ``.mo`` when the package is built (Babel; see
``hatch_build.py``). The pseudo-locale ``qps-ploc`` translates every text on
the fly into accented, bracketed, ~30 % longer text: English left outside the
catalogues and layouts that break with longer words show at once.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tui_workshop.i18n.message import (
    Cat,
    Msg,
    Num,
    Text,
    format_number,
    join,
    lines,
    msg,
    msg_n,
)
from tui_workshop.i18n.message import render as _render
from tui_workshop.i18n.pseudo import PSEUDO, PseudoTranslations, pseudo

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "PSEUDO",
    "Cat",
    "Msg",
    "Num",
    "Text",
    "_",
    "decimal_mark",
    "format_number",
    "get_language",
    "join",
    "language_from_env",
    "lines",
    "msg",
    "msg_n",
    "ngettext",
    "normalise",
    "pseudo",
    "render",
    "set_language",
    "translate",
]

DOMAIN = "tui_workshop"
LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"
# Languages with lessons and a catalogue; PSEUDO is for testing, with English lessons.
LANGUAGES: tuple[str, ...] = ("en", "pt-BR")
DECIMAL_MARKS: Mapping[str, str] = {"en": ".", "pt-BR": ",", PSEUDO: ","}

_language = DEFAULT_LANGUAGE
_translations: _gettext.NullTranslations = _gettext.NullTranslations()


def normalise(lang: str | None) -> str | None:
    """A known language for 'pt_BR.UTF-8', 'pt-br', 'pt', 'en_US'...; None if unknown."""
    if not lang:
        return None
    code = lang.split(".")[0].split("@")[0].replace("_", "-").strip().lower()
    if code == PSEUDO.lower():
        return PSEUDO
    for name in LANGUAGES:
        if name.lower() == code:
            return name
    base = code.split("-")[0]
    for name in LANGUAGES:
        if name.lower().split("-")[0] == base:
            return name
    return None


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, else English.

    As in POSIX, the first of LC_ALL, LC_MESSAGES, LANG that is set decides:
    ``LC_ALL=C`` means English even when LANG names another language.
    """
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            if value in ("C", "POSIX") or value.startswith("C."):
                return DEFAULT_LANGUAGE
            return normalise(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _locale_dir_name(lang: str) -> str:
    return lang.replace("-", "_")


@functools.lru_cache(maxsize=8)
def _compile_po(po: Path, mtime: float = 0.0) -> _gettext.GNUTranslations | None:
    """A catalogue compiled in memory from its .po (a development checkout); kept for
    the next switch to that language while the file (``mtime``) is unchanged."""
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
    except ImportError:
        return None
    with po.open("rb") as stream:
        catalog = read_po(stream)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def load_translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue of ``lang``: its .po compiled in memory when it is newer than the
    .mo (a development checkout, with Babel), else the compiled .mo (a wheel); English
    (the message ids themselves) when there is neither or they cannot be read."""
    if lang == PSEUDO:
        return PseudoTranslations()
    if lang == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    folder = LOCALES / _locale_dir_name(lang) / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    try:
        mo_current = mo.is_file() and (
            not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime
        )
        if po.is_file() and not mo_current:
            compiled = _compile_po(po, po.stat().st_mtime)
            if compiled is not None:
                return compiled
        if mo.is_file():  # current, or older but Babel is missing: better than English
            with mo.open("rb") as stream:
                return _gettext.GNUTranslations(stream)
    except (OSError, ValueError):
        pass
    return _gettext.NullTranslations()


def set_language(lang: str | None = None) -> str:
    """Choose the language (None: from the environment); returns the one in use."""
    global _language, _translations
    _language = (normalise(lang) if lang else None) or language_from_env()
    _translations = load_translations(_language)
    return _language


def get_language() -> str:
    return _language


def decimal_mark(lang: str | None = None) -> str:
    return DECIMAL_MARKS.get(lang or _language, ".")


def render(text: Any) -> str:
    """A message, number, joined parts or plain string as text in the current language."""
    return _render(text, _translations.gettext, _translations.ngettext, decimal_mark())


def _(msgid: str, /, **args: Any) -> str:
    """The interface text ``msgid`` in the current language, formatted with ``args``."""
    if not args:
        return _translations.gettext(msgid)
    return render(msg(msgid, **args))


def N_(msgid: str) -> str:
    """``msgid`` unchanged: marks a text translated when shown, with :func:`translate`."""
    return msgid


def translate(marked: str) -> str:
    """A text already marked for extraction elsewhere (``N_("...")``), in the current
    language: the gettext pattern for texts held in variables."""
    return _translations.gettext(marked)


def ngettext(singular: str, plural: str, n: int, /, **args: Any) -> str:
    return render(msg_n(singular, plural, n, **args))
